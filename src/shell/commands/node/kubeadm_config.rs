//! `kubeadm config` (kubeadm v1.34, `cmd/kubeadm/app/cmd/config.go`): `print
//! init-defaults|join-defaults [--component-configs KINDS]`, `images list`, and the cobra
//! errors for a missing or removed subcommand (`kubeadm config view` went away in v1.22).
//!
//! The defaults are kubeadm's `kubeadm.k8s.io/v1beta4` objects as v1.34 prints them: the
//! placeholder bootstrap token, `advertiseAddress: 1.2.3.4`, `name: node` for init and the
//! host's name for join, and `kubernetesVersion: 1.34.0` (kubeadm's own minor release).
//!
//! Simplified: `--component-configs` prints the KubeletConfiguration and
//! KubeProxyConfiguration kubeadm stored in this cluster's `kubelet-config` and `kube-proxy`
//! ConfigMaps (the same defaults, with the proxy's `clusterCIDR` emptied as no pod subnet is
//! given); `print reset-defaults|upgrade-defaults` say they are not offered; `images list` names the images the cluster runs (kubeadm would first ask dl.k8s.io
//! for the latest v1.34 patch release) and takes no flags; `images pull`, `migrate` and
//! `validate` are not offered.

use serde_json::Value;

use crate::shell::io::Output;

/// The v1.34 defaults' `kubernetesVersion` (kubeadm's `CurrentKubernetesVersion`).
const DEFAULT_VERSION: &str = "1.34.0";

/// The images the cluster's control plane and add-ons run, in `kubeadm config images list`
/// order.
const IMAGES: &[&str] = &[
    "registry.k8s.io/kube-apiserver:v1.34.1",
    "registry.k8s.io/kube-controller-manager:v1.34.1",
    "registry.k8s.io/kube-scheduler:v1.34.1",
    "registry.k8s.io/kube-proxy:v1.34.1",
    "registry.k8s.io/coredns/coredns:v1.12.1",
    "registry.k8s.io/pause:3.10.1",
    "registry.k8s.io/etcd:3.6.4-0",
];

/// `kubeadm config ARGS...` on the host named `hostname`.
pub fn config(args: &[&str], hostname: &str) -> Output {
    match args {
        [] => missing("config"),
        ["-h" | "--help", ..] => Output::ok(CONFIG_HELP),
        ["print", rest @ ..] => print(rest, hostname),
        ["images", rest @ ..] => images(rest),
        [other, ..] => invalid(other),
    }
}

/// `cmdutil.SubCmdRunE`'s error for a parent command run on its own.
pub fn missing(name: &str) -> Output {
    Output::err(
        format!("missing subcommand; \"{name}\" is not meant to be run on its own\n{STACK}"),
        1,
    )
}

/// `cmdutil.SubCmdRunE`'s error for a word that is not a subcommand.
pub fn invalid(word: &str) -> Output {
    Output::err(format!("invalid subcommand: \"{word}\"\n{STACK}"), 1)
}

/// The line kubeadm prints after every error.
pub const STACK: &str = "To see the stack trace of this error execute with --v=5 or higher\n";

fn print(args: &[&str], hostname: &str) -> Output {
    let Some((which, rest)) = args.split_first() else {
        return missing("print");
    };
    let mut kinds: Vec<String> = Vec::new();
    let mut idx = 0;
    while idx < rest.len() {
        let arg = rest[idx];
        if let Some(value) = arg.strip_prefix("--component-configs=") {
            kinds.extend(value.split(',').map(str::to_string));
        } else if arg == "--component-configs" {
            idx += 1;
            let Some(value) = rest.get(idx) else {
                return Output::err(
                    format!("flag needs an argument: --component-configs\n{STACK}"),
                    1,
                );
            };
            kinds.extend(value.split(',').map(str::to_string));
        } else if arg == "-h" || arg == "--help" {
            return Output::ok(PRINT_HELP);
        } else {
            return Output::err(format!("unknown flag: {arg}\n{STACK}"), 1);
        }
        idx += 1;
    }
    let mut out = match *which {
        "init-defaults" => format!(
            "{INIT_DEFAULTS}---\n{}",
            CLUSTER_DEFAULTS.replace("{VERSION}", DEFAULT_VERSION)
        ),
        "join-defaults" => JOIN_DEFAULTS.replace("{NODE}", hostname),
        other @ ("reset-defaults" | "upgrade-defaults") => {
            return Output::err(
                format!("kubeadm: \"config print {other}\" is not supported in the playground; supported: init-defaults, join-defaults\n"),
                1,
            )
        }
        other => return invalid(other),
    };
    for kind in kinds.iter().filter(|k| !k.is_empty()) {
        match component_config(kind) {
            Some(text) => {
                out.push_str("---\n");
                out.push_str(&text);
            }
            None => {
                return Output::err(
                    format!("cannot find component config API group \"{kind}\"\n{STACK}"),
                    1,
                )
            }
        }
    }
    Output::ok(out)
}

/// A component config kubeadm manages, as its ConfigMap in the cluster's defaults holds it.
fn component_config(kind: &str) -> Option<String> {
    let (object_file, key) = match kind {
        "KubeletConfiguration" => ("kubelet-config", "kubelet"),
        "KubeProxyConfiguration" => ("kube-proxy", "config.conf"),
        _ => return None,
    };
    let text = crate::cluster::defaults::api_objects()
        .into_iter()
        .filter_map(|doc| crate::yaml::from_str(doc).ok())
        .find(|obj| obj.pointer("/metadata/name").and_then(Value::as_str) == Some(object_file))?
        .pointer(&format!("/data/{}", key.replace('/', "~1")))?
        .as_str()?
        .to_string();
    let mut text = text.replace("clusterCIDR: 192.168.0.0/16", "clusterCIDR: \"\"");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Some(text)
}

fn images(args: &[&str]) -> Output {
    match args {
        [] => missing("images"),
        ["list"] => Output::ok(IMAGES.iter().map(|i| format!("{i}\n")).collect::<String>()),
        ["list", flag, ..] => Output::err(
            format!(
                "kubeadm: \"config images list {flag}\" is not supported in the playground; run it without flags\n"
            ),
            1,
        ),
        ["pull", ..] => Output::err(
            "kubeadm: \"config images pull\" is not supported in the playground; supported: config images list\n",
            1,
        ),
        [other, ..] => invalid(other),
    }
}

/// `kubeadm config print init-defaults`: the InitConfiguration.
const INIT_DEFAULTS: &str = "apiVersion: kubeadm.k8s.io/v1beta4
bootstrapTokens:
- groups:
  - system:bootstrappers:kubeadm:default-node-token
  token: abcdef.0123456789abcdef
  ttl: 24h0m0s
  usages:
  - signing
  - authentication
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 1.2.3.4
  bindPort: 6443
nodeRegistration:
  criSocket: unix:///var/run/containerd/containerd.sock
  imagePullPolicy: IfNotPresent
  imagePullSerial: true
  name: node
  taints: null
timeouts:
  controlPlaneComponentHealthCheck: 4m0s
  discovery: 5m0s
  etcdAPICall: 2m0s
  kubeletHealthCheck: 4m0s
  kubernetesAPICall: 1m0s
  tlsBootstrap: 5m0s
  upgradeManifests: 5m0s
";

/// `kubeadm config print init-defaults`: the ClusterConfiguration after it, with `{VERSION}`
/// for the release.
const CLUSTER_DEFAULTS: &str = "apiServer: {}
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: kubernetes
controllerManager: {}
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: {VERSION}
networking:
  dnsDomain: cluster.local
  serviceSubnet: 10.96.0.0/12
proxy: {}
scheduler: {}
";

/// `kubeadm config print join-defaults`, with `{NODE}` for the host's name.
const JOIN_DEFAULTS: &str = "apiVersion: kubeadm.k8s.io/v1beta4
caCertPath: /etc/kubernetes/pki/ca.crt
discovery:
  bootstrapToken:
    apiServerEndpoint: kube-apiserver:6443
    token: abcdef.0123456789abcdef
    unsafeSkipCAVerification: true
  tlsBootstrapToken: abcdef.0123456789abcdef
kind: JoinConfiguration
nodeRegistration:
  criSocket: unix:///var/run/containerd/containerd.sock
  imagePullPolicy: IfNotPresent
  imagePullSerial: true
  name: {NODE}
  taints: null
timeouts:
  controlPlaneComponentHealthCheck: 4m0s
  discovery: 5m0s
  etcdAPICall: 2m0s
  kubeletHealthCheck: 4m0s
  kubernetesAPICall: 1m0s
  tlsBootstrap: 5m0s
  upgradeManifests: 5m0s
";

/// `kubeadm config --help`.
const CONFIG_HELP: &str = "
There is a ConfigMap in the kube-system namespace called \"kubeadm-config\" that kubeadm uses to store internal configuration about the
cluster. kubeadm CLI v1.8.0+ automatically creates this ConfigMap with the config used with 'kubeadm init', but if you
initialized your cluster using kubeadm v1.7.x or lower, you must use the 'kubeadm init phase upload-config' command to
create this ConfigMap. This is required so that 'kubeadm upgrade' can configure your upgraded cluster correctly.

Usage:
  kubeadm config [flags]
  kubeadm config [command]

Available Commands:
  images      Interact with container images used by kubeadm
  migrate     Read an older version of the kubeadm configuration API types from a file, and output the similar config object for the newer version
  print       Print configuration
  validate    Read a file containing the kubeadm configuration API and report any validation problems

Flags:
  -h, --help                help for config
      --kubeconfig string   The kubeconfig file to use when talking to the cluster. If the flag is not set, a set of standard locations can be searched for an existing kubeconfig file. (default \"/etc/kubernetes/admin.conf\")

Global Flags:
      --rootfs string   [EXPERIMENTAL] The path to the 'real' host root filesystem. This will cause kubeadm to chroot into the provided path.

Use \"kubeadm config [command] --help\" for more information about a command.
";

/// `kubeadm config print --help`.
const PRINT_HELP: &str = "This command prints configurations for subcommands provided.
For details, see: https://pkg.go.dev/k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm#section-directories

Usage:
  kubeadm config print [flags]
  kubeadm config print [command]

Available Commands:
  init-defaults    Print default init configuration, that can be used for 'kubeadm init'
  join-defaults    Print default join configuration, that can be used for 'kubeadm join'
  reset-defaults   Print default reset configuration, that can be used for 'kubeadm reset'
  upgrade-defaults Print default upgrade configuration, that can be used for 'kubeadm upgrade'

Flags:
  -h, --help   help for print

Use \"kubeadm config print [command] --help\" for more information about a command.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_defaults_carry_the_placeholders_and_the_release_version() {
        let out = config(&["print", "init-defaults"], "controlplane");
        assert!(out.stdout.contains("  token: abcdef.0123456789abcdef\n"));
        assert!(out.stdout.contains("  advertiseAddress: 1.2.3.4\n"));
        assert!(out
            .stdout
            .contains(&format!("kubernetesVersion: {DEFAULT_VERSION}\n")));
        let join = config(&["print", "join-defaults"], "node01");
        assert!(join.stdout.contains("  name: node01\n"));
        let with = config(
            &[
                "print",
                "init-defaults",
                "--component-configs",
                "KubeletConfiguration",
            ],
            "controlplane",
        );
        assert!(with
            .stdout
            .contains("---\napiVersion: kubelet.config.k8s.io/v1beta1\n"));
        assert_eq!(config(&["view"], "controlplane").code, 1);
    }
}
