//! `kubeadm version` (kubeadm v1.34.1, `cmd/kubeadm/app/cmd/version.go`) and `kubelet
//! --version`: the binaries' build information; `kubeadm certs` and `kubeadm config` live in
//! `kubeadm_certs.rs` and `kubeadm_config.rs`.
//!
//! Simplified: the other kubeadm subcommands (`init`, `join`, `upgrade`, `token`, `reset`,
//! `kubeconfig`, `completion`) say they are not supported here, and running `kubelet` by hand
//! (it runs as `kubelet.service`) says so instead of starting a second kubelet.

use super::{kubeadm_certs, kubeadm_config};
use crate::shell::commands::kubectl::info::KUBERNETES_VERSION;
use crate::shell::commands::World;
use crate::shell::io::Output;

/// The commit v1.34.1 was built from.
const GIT_COMMIT: &str = "93248f9ae092f571eb870b7664c534bfc7d00f03";
/// When v1.34.1 was built.
const BUILD_DATE: &str = "2025-09-09T19:43:15Z";
/// The Go release v1.34.1 was built with.
const GO_VERSION: &str = "go1.24.6";

/// `version.Info` printed with Go's `%#v` after `&`: the emulation and compatibility fields,
/// empty in a release binary, sit after the minor version.
fn go_struct() -> String {
    let mut body: Vec<String> = fields()
        .iter()
        .map(|(go, _, value)| format!("{go}:\"{value}\""))
        .collect();
    let empty = [
        "EmulationMajor",
        "EmulationMinor",
        "MinCompatibilityMajor",
        "MinCompatibilityMinor",
    ];
    for (at, name) in empty.iter().enumerate() {
        body.insert(2 + at, format!("{name}:\"\""));
    }
    format!("version.Info{{{}}}", body.join(", "))
}

/// The version fields in the order `version.Info` declares them, with their JSON names (the
/// empty emulation fields are left out of JSON and YAML).
fn fields() -> [(&'static str, &'static str, String); 9] {
    let minor = KUBERNETES_VERSION
        .split('.')
        .nth(1)
        .unwrap_or("34")
        .to_string();
    [
        ("Major", "major", "1".to_string()),
        ("Minor", "minor", minor),
        ("GitVersion", "gitVersion", KUBERNETES_VERSION.to_string()),
        ("GitCommit", "gitCommit", GIT_COMMIT.to_string()),
        ("GitTreeState", "gitTreeState", "clean".to_string()),
        ("BuildDate", "buildDate", BUILD_DATE.to_string()),
        ("GoVersion", "goVersion", GO_VERSION.to_string()),
        ("Compiler", "compiler", "gc".to_string()),
        ("Platform", "platform", "linux/amd64".to_string()),
    ]
}

/// `kubeadm SUBCOMMAND ...`.
pub fn kubeadm(world: &World<'_>, argv: &[String]) -> Output {
    let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    match args.first().copied() {
        None | Some("-h" | "--help" | "help") => Output::ok(HELP),
        Some("version") => version(&args[1..]),
        Some("certs" | "certificates") => kubeadm_certs::certs(world, &args[1..]),
        Some("config") => {
            let hostname = world.cluster.host(world.host).node.name.clone();
            kubeadm_config::config(&args[1..], &hostname)
        }
        Some(sub @ ("init" | "join" | "reset" | "upgrade" | "token" | "kubeconfig" | "completion")) => {
            Output::err(
                format!("kubeadm: \"{sub}\" is not supported in the playground; supported: version, certs check-expiration, config print|images list\n"),
                1,
            )
        }
        Some(other) => Output::err(
            format!(
                "unknown command \"{other}\" for \"kubeadm\"\nTo see the stack trace of this error execute with --v=5 or higher\n"
            ),
            1,
        ),
    }
}

/// `kubeadm version [-o short|yaml|json]`.
fn version(args: &[&str]) -> Output {
    let mut output = "";
    let mut idx = 0;
    while idx < args.len() {
        let arg = args[idx];
        if let Some(value) = arg
            .strip_prefix("--output=")
            .or_else(|| arg.strip_prefix("-o="))
        {
            output = value;
        } else if arg == "-o" || arg == "--output" {
            idx += 1;
            match args.get(idx) {
                Some(value) => output = value,
                None => {
                    return Output::err(
                        format!(
                            "error: flag needs an argument: {}\n",
                            if arg == "-o" { "'o' in -o" } else { "--output" }
                        ),
                        1,
                    )
                }
            }
        } else if let Some(value) = arg.strip_prefix("-o") {
            output = value;
        } else {
            return Output::err(
                format!("unknown flag: {arg}\nTo see the stack trace of this error execute with --v=5 or higher\n"),
                1,
            );
        }
        idx += 1;
    }
    let fields = fields();
    match output {
        "" => Output::ok(format!("kubeadm version: &{}\n", go_struct())),
        "short" => Output::ok(format!("{KUBERNETES_VERSION}\n")),
        "yaml" => {
            let mut sorted: Vec<_> = fields.iter().map(|(_, json, v)| (*json, v)).collect();
            sorted.sort();
            let mut out = String::from("clientVersion:\n");
            for (key, value) in sorted {
                // YAML quotes values that would read as numbers or timestamps.
                let quoted = value.parse::<i64>().is_ok() || key == "buildDate";
                if quoted {
                    out.push_str(&format!("  {key}: \"{value}\"\n"));
                } else {
                    out.push_str(&format!("  {key}: {value}\n"));
                }
            }
            Output::ok(out)
        }
        "json" => {
            let body: Vec<String> = fields
                .iter()
                .map(|(_, json, value)| format!("    \"{json}\": \"{value}\""))
                .collect();
            Output::ok(format!(
                "{{\n  \"clientVersion\": {{\n{}\n  }}\n}}\n",
                body.join(",\n")
            ))
        }
        other => Output::err(
            format!("error: invalid output format: {other}\nTo see the stack trace of this error execute with --v=5 or higher\n"),
            1,
        ),
    }
}

/// `kubelet [--version]`.
pub fn kubelet(argv: &[String]) -> Output {
    match argv.get(1).map(String::as_str) {
        Some("--version" | "--version=true") => {
            Output::ok(format!("Kubernetes {KUBERNETES_VERSION}\n"))
        }
        Some("--version=raw") => Output::ok(format!("{}\n", go_struct())),
        Some("-h" | "--help") => Output::ok(KUBELET_HELP),
        _ => Output::err(
            "kubelet: the kubelet runs as kubelet.service on this node; starting another one by hand is not supported in the playground (see systemctl status kubelet)\n",
            1,
        ),
    }
}

/// The head of `kubelet --help`.
const KUBELET_HELP: &str = "The kubelet is the primary \"node agent\" that runs on each
node. It can register the node with the apiserver using one of: the hostname; a flag to
override the hostname; or specific logic for a cloud provider.

The kubelet works in terms of a PodSpec. A PodSpec is a YAML or JSON object
that describes a pod. The kubelet takes a set of PodSpecs that are provided through
various mechanisms (primarily through the apiserver) and ensures that the containers
described in those PodSpecs are running and healthy. The kubelet doesn't manage
containers which were not created by Kubernetes.

Other than from an PodSpec from the apiserver, there are two ways that a container
manifest can be provided to the Kubelet.

File: Path passed as a flag on the command line. Files under this path will be monitored
periodically for updates. The monitoring period is 20s by default and is configurable
via a flag.

HTTP endpoint: HTTP endpoint passed as a parameter on the command line. This endpoint
is checked every 20 seconds (also configurable with a flag).

Usage:
  kubelet [flags]
";

/// `kubeadm --help`.
const HELP: &str = "

    ┌──────────────────────────────────────────────────────────┐
    │ KUBEADM                                                  │
    │ Easily bootstrap a secure Kubernetes cluster             │
    │                                                          │
    │ Please give us feedback at:                              │
    │ https://github.com/kubernetes/kubeadm/issues             │
    └──────────────────────────────────────────────────────────┘

Example usage:

    Create a two-machine cluster with one control-plane node
    (which controls the cluster), and one worker node
    (where your workloads, like Pods and Deployments run).

    ┌──────────────────────────────────────────────────────────┐
    │ On the first machine:                                    │
    ├──────────────────────────────────────────────────────────┤
    │ control-plane# kubeadm init                              │
    └──────────────────────────────────────────────────────────┘

    ┌──────────────────────────────────────────────────────────┐
    │ On the second machine:                                   │
    ├──────────────────────────────────────────────────────────┤
    │ worker# kubeadm join <arguments-returned-from-init>      │
    └──────────────────────────────────────────────────────────┘

    You can then repeat the second step on as many other machines as you like.

Usage:
  kubeadm [command]

Available Commands:
  certs       Commands related to handling Kubernetes certificates
  completion  Output shell completion code for the specified shell (bash or zsh)
  config      Manage configuration for a kubeadm cluster persisted in a ConfigMap in the cluster
  help        Help about any command
  init        Run this command in order to set up the Kubernetes control plane
  join        Run this on any machine you wish to join an existing cluster
  kubeconfig  Kubeconfig file utilities
  reset       Performs a best effort revert of changes made to this host by 'kubeadm init' or 'kubeadm join'
  token       Manage bootstrap tokens
  upgrade     Upgrade your cluster smoothly to a newer version with this command
  version     Print the version of kubeadm

Flags:
  -h, --help                     help for kubeadm
      --rootfs string            [EXPERIMENTAL] The path to the 'real' host root filesystem. This will cause kubeadm to chroot into the provided path.

Additional help topics:
  kubeadm alpha      Kubeadm experimental sub-commands

Use \"kubeadm [command] --help\" for more information about a command.
";
