//! Mirrors `cmd/kubelet/app/options` (v1.34): the kubelet's command-line flags, parsed with
//! pflag's rules and wording, and how they override `--config`.
//!
//! Simplified: every flag of the v1.34 kubelet is recognised, but only the ones listed in
//! `KubeletFlags` change the playground's behaviour; the rest are accepted and ignored.

use std::collections::BTreeMap;

use crate::kubelet::kubeletconfig::KubeletConfiguration;
use crate::sim::time::{parse_go_duration, SimDuration};

/// What the flags say, before they are merged with the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KubeletFlags {
    /// `--config`.
    pub config: Option<String>,
    /// `--kubeconfig`; without it the kubelet runs standalone.
    pub kubeconfig: Option<String>,
    /// `--bootstrap-kubeconfig`.
    pub bootstrap_kubeconfig: Option<String>,
    /// `--hostname-override`.
    pub hostname_override: Option<String>,
    /// `--node-ip`.
    pub node_ip: Option<String>,
    /// `--v` / `-v`: log verbosity.
    pub verbosity: u8,
    /// `--pod-manifest-path` (deprecated; overrides `staticPodPath`).
    pub pod_manifest_path: Option<String>,
    /// `--manifest-url` (deprecated; overrides `staticPodURL`).
    pub manifest_url: Option<String>,
    /// `--manifest-url-header` (deprecated, repeatable; overrides `staticPodURLHeader`).
    pub manifest_url_header: Option<BTreeMap<String, Vec<String>>>,
    /// `--file-check-frequency` (deprecated).
    pub file_check_frequency: Option<SimDuration>,
    /// `--http-check-frequency` (deprecated).
    pub http_check_frequency: Option<SimDuration>,
    /// `--sync-frequency` (deprecated).
    pub sync_frequency: Option<SimDuration>,
    /// `--container-runtime-endpoint` (deprecated; overrides `containerRuntimeEndpoint`).
    pub container_runtime_endpoint: Option<String>,
    /// `--pod-infra-container-image` was given (deprecated; only logged about).
    pub pod_infra_container_image: bool,
    /// `Flag --x has been deprecated, ...` notices, printed to stderr at start.
    pub deprecations: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlagType {
    Bool,
    Value,
}

/// Why a flag is deprecated: it belongs in the config file, or it is going away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deprecation {
    None,
    ConfigFile,
    /// `--pod-infra-container-image`: the sandbox image comes from the CRI.
    SandboxImage,
}

/// The deprecation text of flags that belong in the config file.
const CONFIG_FILE_DEPRECATION: &str = "This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.";

/// The notice of `--pod-infra-container-image` (`MarkDeprecated` in v1.34's options.go).
const SANDBOX_IMAGE_DEPRECATION: &str =
    "will be removed in 1.35. Image garbage collector will get sandbox image information from CRI.";

/// (name, takes a value?, deprecated in favour of the config file?)
const FLAGS: &[(&str, FlagType, bool)] = &[
    ("address", FlagType::Value, true),
    ("allowed-unsafe-sysctls", FlagType::Value, true),
    ("anonymous-auth", FlagType::Bool, true),
    ("authentication-token-webhook", FlagType::Bool, true),
    ("authorization-mode", FlagType::Value, true),
    ("bootstrap-kubeconfig", FlagType::Value, false),
    ("cert-dir", FlagType::Value, false),
    ("cgroup-driver", FlagType::Value, true),
    ("cgroup-root", FlagType::Value, true),
    ("cgroups-per-qos", FlagType::Bool, true),
    ("client-ca-file", FlagType::Value, true),
    ("cloud-provider", FlagType::Value, false),
    ("cluster-dns", FlagType::Value, true),
    ("cluster-domain", FlagType::Value, true),
    ("config", FlagType::Value, false),
    ("container-log-max-files", FlagType::Value, true),
    ("container-log-max-size", FlagType::Value, true),
    ("container-runtime-endpoint", FlagType::Value, true),
    ("cpu-manager-policy", FlagType::Value, true),
    ("enforce-node-allocatable", FlagType::Value, true),
    ("eviction-hard", FlagType::Value, true),
    ("eviction-soft", FlagType::Value, true),
    ("eviction-soft-grace-period", FlagType::Value, true),
    ("exit-on-lock-contention", FlagType::Bool, false),
    ("fail-swap-on", FlagType::Bool, true),
    ("feature-gates", FlagType::Value, true),
    ("file-check-frequency", FlagType::Value, true),
    ("hairpin-mode", FlagType::Value, true),
    ("healthz-bind-address", FlagType::Value, true),
    ("healthz-port", FlagType::Value, true),
    ("help", FlagType::Bool, false),
    ("hostname-override", FlagType::Value, false),
    ("http-check-frequency", FlagType::Value, true),
    ("image-credential-provider-bin-dir", FlagType::Value, false),
    ("image-credential-provider-config", FlagType::Value, false),
    ("image-gc-high-threshold", FlagType::Value, true),
    ("image-gc-low-threshold", FlagType::Value, true),
    ("image-service-endpoint", FlagType::Value, true),
    ("kube-api-burst", FlagType::Value, true),
    ("kube-api-qps", FlagType::Value, true),
    ("kube-reserved", FlagType::Value, true),
    ("kubeconfig", FlagType::Value, false),
    ("lock-file", FlagType::Value, false),
    ("log-flush-frequency", FlagType::Value, false),
    ("logging-format", FlagType::Value, true),
    ("make-iptables-util-chains", FlagType::Bool, true),
    ("manifest-url", FlagType::Value, true),
    ("manifest-url-header", FlagType::Value, true),
    ("max-open-files", FlagType::Value, true),
    ("max-pods", FlagType::Value, true),
    ("minimum-image-ttl-duration", FlagType::Value, false),
    ("node-ip", FlagType::Value, false),
    ("node-labels", FlagType::Value, false),
    ("node-status-update-frequency", FlagType::Value, true),
    ("pod-cidr", FlagType::Value, true),
    ("pod-infra-container-image", FlagType::Value, false),
    ("pod-manifest-path", FlagType::Value, true),
    ("pod-max-pids", FlagType::Value, true),
    ("port", FlagType::Value, true),
    ("protect-kernel-defaults", FlagType::Bool, true),
    ("provider-id", FlagType::Value, true),
    ("read-only-port", FlagType::Value, true),
    ("register-node", FlagType::Bool, true),
    ("register-with-taints", FlagType::Value, true),
    ("reserved-cpus", FlagType::Value, true),
    ("resolv-conf", FlagType::Value, true),
    ("root-dir", FlagType::Value, false),
    ("rotate-certificates", FlagType::Bool, true),
    ("runtime-request-timeout", FlagType::Value, true),
    ("seccomp-default", FlagType::Bool, true),
    ("serialize-image-pulls", FlagType::Bool, true),
    ("sync-frequency", FlagType::Value, true),
    ("system-reserved", FlagType::Value, true),
    ("tls-cert-file", FlagType::Value, true),
    ("tls-private-key-file", FlagType::Value, true),
    ("topology-manager-policy", FlagType::Value, true),
    ("v", FlagType::Value, false),
    ("version", FlagType::Bool, false),
    ("vmodule", FlagType::Value, false),
    ("volume-plugin-dir", FlagType::Value, true),
];

fn lookup(name: &str) -> Option<(FlagType, Deprecation)> {
    let (_, flag_type, config_file) = FLAGS.iter().find(|(n, _, _)| *n == name)?;
    let deprecation = match (name, config_file) {
        ("pod-infra-container-image", _) => Deprecation::SandboxImage,
        (_, true) => Deprecation::ConfigFile,
        (_, false) => Deprecation::None,
    };
    Some((*flag_type, deprecation))
}

/// A command line pflag refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagError {
    /// pflag's error (`unknown flag: --foo`).
    pub message: String,
    /// The deprecation notices of the flags parsed before the bad one: pflag prints each as
    /// it parses, so they reach stderr before the kubelet gives up.
    pub deprecations: Vec<String>,
}

/// Parses the kubelet's arguments (everything after `/usr/bin/kubelet`), as pflag would.
pub fn parse_flags(args: &[String]) -> Result<KubeletFlags, FlagError> {
    let mut flags = KubeletFlags::default();
    match parse_into(&mut flags, args) {
        Ok(()) => Ok(flags),
        Err(message) => Err(FlagError {
            message,
            deprecations: flags.deprecations,
        }),
    }
}

fn parse_into(flags: &mut KubeletFlags, args: &[String]) -> Result<(), String> {
    let mut idx = 0;
    while idx < args.len() {
        let arg = &args[idx];
        idx += 1;
        let (name, inline_value) = if let Some(long) = arg.strip_prefix("--") {
            if long.is_empty() {
                // `--` ends the flags; anything after it would be a command.
                if let Some(extra) = args.get(idx) {
                    return Err(format!("unknown command {extra:?}"));
                }
                break;
            }
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let (letter, rest) = short.split_at(1);
            if letter != "v" {
                return Err(format!("unknown shorthand flag: '{letter}' in -{short}"));
            }
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            (
                "v".to_string(),
                (!rest.is_empty()).then(|| rest.to_string()),
            )
        } else {
            return Err(format!("unknown command {arg:?}"));
        };
        let Some((flag_type, deprecated)) = lookup(&name) else {
            return Err(format!("unknown flag: --{name}"));
        };
        let value = match (flag_type, inline_value) {
            (FlagType::Bool, Some(v)) => v,
            (FlagType::Bool, None) => "true".to_string(),
            (FlagType::Value, Some(v)) => v,
            (FlagType::Value, None) => match args.get(idx) {
                Some(v) => {
                    idx += 1;
                    v.clone()
                }
                None => return Err(format!("flag needs an argument: --{name}")),
            },
        };
        if flag_type == FlagType::Bool && !matches!(value.as_str(), "true" | "false" | "1" | "0") {
            return Err(format!(
                "invalid argument {value:?} for \"--{name}\" flag: strconv.ParseBool: parsing {value:?}: invalid syntax"
            ));
        }
        let notice = match deprecated {
            Deprecation::None => None,
            Deprecation::ConfigFile => Some(CONFIG_FILE_DEPRECATION),
            Deprecation::SandboxImage => Some(SANDBOX_IMAGE_DEPRECATION),
        };
        if let Some(notice) = notice {
            flags
                .deprecations
                .push(format!("Flag --{name} has been deprecated, {notice}"));
        }
        apply(flags, &name, value)?;
    }
    Ok(())
}

fn apply(flags: &mut KubeletFlags, name: &str, value: String) -> Result<(), String> {
    let duration = |value: &str| {
        parse_go_duration(value)
            .map_err(|err| format!("invalid argument {value:?} for \"--{name}\" flag: {err}"))
    };
    match name {
        "config" => flags.config = Some(value),
        "kubeconfig" => flags.kubeconfig = Some(value),
        "bootstrap-kubeconfig" => flags.bootstrap_kubeconfig = Some(value),
        "hostname-override" => flags.hostname_override = Some(value),
        "node-ip" => flags.node_ip = Some(value),
        "v" => {
            flags.verbosity = value.parse().map_err(|_| {
                format!(
                    "invalid argument {value:?} for \"-v, --v\" flag: strconv.ParseUint: parsing {value:?}: invalid syntax"
                )
            })?
        }
        "pod-manifest-path" => flags.pod_manifest_path = Some(value),
        "manifest-url" => flags.manifest_url = Some(value),
        "manifest-url-header" => {
            let headers = flags.manifest_url_header.get_or_insert_with(BTreeMap::new);
            for pair in value.split(',') {
                let Some((key, val)) = pair.split_once(':') else {
                    return Err(format!(
                        "invalid argument {value:?} for \"--manifest-url-header\" flag: malformed pair, expect string:string"
                    ));
                };
                headers
                    .entry(key.trim().to_string())
                    .or_default()
                    .push(val.trim().to_string());
            }
        }
        "file-check-frequency" => flags.file_check_frequency = Some(duration(&value)?),
        "http-check-frequency" => flags.http_check_frequency = Some(duration(&value)?),
        "sync-frequency" => flags.sync_frequency = Some(duration(&value)?),
        "container-runtime-endpoint" => flags.container_runtime_endpoint = Some(value),
        "pod-infra-container-image" => flags.pod_infra_container_image = true,
        _ => (),
    }
    Ok(())
}

impl KubeletFlags {
    /// Flags given on the command line win over the config file (`kubeletConfigFlagPrecedence`).
    pub fn override_config(&self, config: &mut KubeletConfiguration) {
        if let Some(path) = &self.pod_manifest_path {
            config.static_pod_path = path.clone();
        }
        if let Some(url) = &self.manifest_url {
            config.static_pod_url = url.clone();
        }
        if let Some(headers) = &self.manifest_url_header {
            config.static_pod_url_header = headers.clone();
        }
        if let Some(d) = self.file_check_frequency {
            config.file_check_frequency = d;
        }
        if let Some(d) = self.http_check_frequency {
            config.http_check_frequency = d;
        }
        if let Some(d) = self.sync_frequency {
            config.sync_frequency = d;
        }
        if let Some(endpoint) = &self.container_runtime_endpoint {
            config.container_runtime_endpoint = endpoint.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn kubeadm_command_line() {
        let flags = parse_flags(&args(
            "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf \
             --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock",
        ))
        .unwrap();
        assert_eq!(
            flags.config.as_deref(),
            Some("/var/lib/kubelet/config.yaml")
        );
        assert_eq!(
            flags.kubeconfig.as_deref(),
            Some("/etc/kubernetes/kubelet.conf")
        );
        assert_eq!(flags.deprecations.len(), 1);
        assert!(flags.deprecations[0].starts_with("Flag --container-runtime-endpoint has been deprecated, This parameter should be set via the config file"));
        let mut config = KubeletConfiguration::default();
        flags.override_config(&mut config);
        assert_eq!(
            config.container_runtime_endpoint,
            "unix:///var/run/containerd/containerd.sock"
        );
    }

    #[test]
    fn the_sandbox_image_flag_has_its_own_deprecation() {
        let flags = parse_flags(&args(
            "--pod-infra-container-image=registry.k8s.io/pause:3.10.1",
        ))
        .unwrap();
        assert!(flags.pod_infra_container_image);
        assert_eq!(
            flags.deprecations,
            ["Flag --pod-infra-container-image has been deprecated, will be removed in 1.35. Image garbage collector will get sandbox image information from CRI."]
        );
    }

    #[test]
    fn deprecated_static_pod_flags_override_the_config_file() {
        let flags = parse_flags(&args(
            "--pod-manifest-path /srv/pods --file-check-frequency=5s -v=4 --manifest-url-header=a:hello,b:again --manifest-url-header a:more",
        ))
        .unwrap();
        let mut config = KubeletConfiguration {
            static_pod_path: "/etc/kubernetes/manifests".into(),
            ..Default::default()
        };
        flags.override_config(&mut config);
        assert_eq!(config.static_pod_path, "/srv/pods");
        assert_eq!(config.file_check_frequency, SimDuration::from_secs(5));
        assert_eq!(flags.verbosity, 4);
        assert_eq!(
            config.static_pod_url_header["a"],
            vec!["hello".to_string(), "more".to_string()]
        );
    }

    #[test]
    fn errors_read_like_pflag() {
        assert_eq!(
            parse_flags(&args("--pod-manifest-pth=/x"))
                .unwrap_err()
                .message,
            "unknown flag: --pod-manifest-pth"
        );
        assert_eq!(
            parse_flags(&args("--config")).unwrap_err().message,
            "flag needs an argument: --config"
        );
        assert_eq!(
            parse_flags(&args("--sync-frequency=1x")).unwrap_err().message,
            "invalid argument \"1x\" for \"--sync-frequency\" flag: time: unknown unit \"x\" in duration \"1x\""
        );
        assert_eq!(
            parse_flags(&args("-x")).unwrap_err().message,
            "unknown shorthand flag: 'x' in -x"
        );
        let err = parse_flags(&args("--pod-manifest-path=/x --improve-speed")).unwrap_err();
        assert_eq!(err.message, "unknown flag: --improve-speed");
        assert_eq!(err.deprecations.len(), 1, "printed before the bad flag");
    }
}
