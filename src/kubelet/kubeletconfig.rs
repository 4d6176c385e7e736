//! Mirrors `pkg/kubelet/kubeletconfig/configfiles` and `util/codec` (v1.34): loading
//! `KubeletConfiguration` from `--config` with its defaults
//! (`SetDefaults_KubeletConfiguration`).
//!
//! Decoding is strict first; a file with unknown fields is then decoded leniently and the
//! kubelet logs "Using lenient decoding as strict decoding failed" — so a misspelt
//! `staticPodPat:` is silently ignored, exactly as on a real node.
//!
//! Simplified: only the fields the playground acts on are kept; every other v1beta1 field is
//! recognised (so it is not reported as unknown) and ignored. Unknown fields are detected at
//! the top level only.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::sim::time::{parse_go_duration, SimDuration};
use crate::yaml;

pub mod validation;

/// The kubelet settings the playground acts on, with upstream's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeletConfiguration {
    /// `staticPodPath`: a directory or file of static pod manifests; empty disables the source.
    pub static_pod_path: String,
    /// `staticPodURL`: a URL serving a Pod or PodList; empty disables the source.
    pub static_pod_url: String,
    /// `staticPodURLHeader`: headers sent with every URL request.
    pub static_pod_url_header: BTreeMap<String, Vec<String>>,
    /// `fileCheckFrequency` (default 20s).
    pub file_check_frequency: SimDuration,
    /// `httpCheckFrequency` (default 20s).
    pub http_check_frequency: SimDuration,
    /// `syncFrequency` (default 1m).
    pub sync_frequency: SimDuration,
    /// `clusterDNS` (kubeadm sets 10.96.0.10).
    pub cluster_dns: Vec<String>,
    /// `clusterDomain` (kubeadm sets cluster.local).
    pub cluster_domain: String,
    /// `maxPods` (default 110).
    pub max_pods: i64,
    /// `authentication.x509.clientCAFile`: the CA bundle the kubelet loads at start to
    /// authenticate clients of its API (kubeadm sets `/etc/kubernetes/pki/ca.crt`).
    pub client_ca_file: String,
    /// `containerRuntimeEndpoint` (default `unix:///run/containerd/containerd.sock`).
    pub container_runtime_endpoint: String,
    /// The fields only `ValidateKubeletConfiguration` looks at.
    pub checked: validation::Checked,
}

/// `containerRuntimeEndpoint`'s default on Linux.
pub const DEFAULT_RUNTIME_ENDPOINT: &str = "unix:///run/containerd/containerd.sock";

impl Default for KubeletConfiguration {
    fn default() -> Self {
        KubeletConfiguration {
            static_pod_path: String::new(),
            static_pod_url: String::new(),
            static_pod_url_header: BTreeMap::new(),
            file_check_frequency: SimDuration::from_secs(20),
            http_check_frequency: SimDuration::from_secs(20),
            sync_frequency: SimDuration::from_mins(1),
            cluster_dns: Vec::new(),
            cluster_domain: String::new(),
            max_pods: 110,
            client_ca_file: String::new(),
            container_runtime_endpoint: DEFAULT_RUNTIME_ENDPOINT.to_string(),
            checked: validation::Checked::default(),
        }
    }
}

/// A decoded configuration and, if strict decoding failed, the strict error that was
/// tolerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The configuration, defaults applied.
    pub config: KubeletConfiguration,
    /// `strict decoding error: unknown field "..."`, if any.
    pub strict_error: Option<String>,
}

/// Why a configuration could not be loaded: the kubelet's words, plus where in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The error as the kubelet words it (`failed to decode: ...`).
    pub message: String,
    /// The top-level field at fault, when the error is about one.
    pub field: Option<String>,
    /// The YAML parser's 1-based (line, column), for syntax errors.
    pub at: Option<(usize, usize)>,
}

impl ConfigError {
    fn new(message: String) -> ConfigError {
        ConfigError {
            message,
            field: None,
            at: None,
        }
    }

    fn in_field(field: &str, message: String) -> ConfigError {
        ConfigError {
            message,
            field: Some(field.to_string()),
            at: None,
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every top-level field of `kubelet.config.k8s.io/v1beta1` `KubeletConfiguration` (v1.34).
pub const KNOWN_FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "enableServer",
    "staticPodPath",
    "podLogsDir",
    "syncFrequency",
    "fileCheckFrequency",
    "httpCheckFrequency",
    "staticPodURL",
    "staticPodURLHeader",
    "address",
    "port",
    "readOnlyPort",
    "tlsCertFile",
    "tlsPrivateKeyFile",
    "tlsCipherSuites",
    "tlsMinVersion",
    "rotateCertificates",
    "serverTLSBootstrap",
    "authentication",
    "authorization",
    "registryPullQPS",
    "registryBurst",
    "imagePullCredentialsVerificationPolicy",
    "preloadedImagesVerificationAllowlist",
    "eventRecordQPS",
    "eventBurst",
    "enableDebuggingHandlers",
    "enableContentionProfiling",
    "healthzPort",
    "healthzBindAddress",
    "oomScoreAdj",
    "clusterDomain",
    "clusterDNS",
    "streamingConnectionIdleTimeout",
    "nodeStatusUpdateFrequency",
    "nodeStatusReportFrequency",
    "nodeLeaseDurationSeconds",
    "imageMinimumGCAge",
    "imageMaximumGCAge",
    "imageGCHighThresholdPercent",
    "imageGCLowThresholdPercent",
    "volumeStatsAggPeriod",
    "kubeletCgroups",
    "systemCgroups",
    "cgroupRoot",
    "cgroupsPerQOS",
    "cgroupDriver",
    "cpuManagerPolicy",
    "singleProcessOOMKill",
    "cpuManagerPolicyOptions",
    "cpuManagerReconcilePeriod",
    "memoryManagerPolicy",
    "topologyManagerPolicy",
    "topologyManagerScope",
    "topologyManagerPolicyOptions",
    "qosReserved",
    "runtimeRequestTimeout",
    "hairpinMode",
    "maxPods",
    "podCIDR",
    "podPidsLimit",
    "resolvConf",
    "runOnce",
    "cpuCFSQuota",
    "cpuCFSQuotaPeriod",
    "nodeStatusMaxImages",
    "maxOpenFiles",
    "contentType",
    "kubeAPIQPS",
    "kubeAPIBurst",
    "serializeImagePulls",
    "maxParallelImagePulls",
    "evictionHard",
    "evictionSoft",
    "evictionSoftGracePeriod",
    "evictionPressureTransitionPeriod",
    "evictionMaxPodGracePeriod",
    "evictionMinimumReclaim",
    "mergeDefaultEvictionSettings",
    "podsPerCore",
    "enableControllerAttachDetach",
    "protectKernelDefaults",
    "makeIPTablesUtilChains",
    "iptablesMasqueradeBit",
    "iptablesDropBit",
    "featureGates",
    "failSwapOn",
    "memorySwap",
    "containerLogMaxSize",
    "containerLogMaxFiles",
    "containerLogMaxWorkers",
    "containerLogMonitorInterval",
    "configMapAndSecretChangeDetectionStrategy",
    "systemReserved",
    "kubeReserved",
    "reservedSystemCPUs",
    "showHiddenMetricsForVersion",
    "systemReservedCgroup",
    "kubeReservedCgroup",
    "enforceNodeAllocatable",
    "allowedUnsafeSysctls",
    "volumePluginDir",
    "providerID",
    "kernelMemcgNotification",
    "logging",
    "enableSystemLogHandler",
    "enableSystemLogQuery",
    "shutdownGracePeriod",
    "shutdownGracePeriodCriticalPods",
    "shutdownGracePeriodByPodPriority",
    "crashLoopBackOff",
    "reservedMemory",
    "enableProfilingHandler",
    "enableDebugFlagsHandler",
    "seccompDefault",
    "memoryThrottlingFactor",
    "registerWithTaints",
    "registerNode",
    "tracing",
    "localStorageCapacityIsolation",
    "containerRuntimeEndpoint",
    "imageServiceEndpoint",
    "failCgroupV1",
    "userNamespaces",
];

/// The top-level keys of a configuration object that `KubeletConfiguration` does not have, in
/// the object's key order (what strict decoding reports).
pub fn unknown_fields(object: &serde_json::Map<String, Value>) -> Vec<&str> {
    object
        .keys()
        .map(String::as_str)
        .filter(|k| !KNOWN_FIELDS.contains(k))
        .collect()
}

/// Decodes a `KubeletConfiguration` document (`DecodeKubeletConfiguration`), applying the
/// defaults. Errors are worded as upstream's (`failed to decode: ...`).
pub fn decode(text: &str) -> Result<Decoded, ConfigError> {
    let value: Value = yaml::from_str_first(text).map_err(|err| {
        let line = err.line.map(|l| format!("line {l}: ")).unwrap_or_default();
        ConfigError {
            message: format!(
                "failed to decode: error converting YAML to JSON: yaml: {line}{}",
                err.message.split(", while ").next().unwrap_or(&err.message)
            ),
            field: None,
            at: err.line.map(|line| (line, err.column.unwrap_or(1))),
        }
    })?;
    let Some(object) = value.as_object() else {
        return Err(ConfigError::new(
            "failed to decode: Object 'Kind' is missing in 'null'".to_string(),
        ));
    };
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let compact = serde_json::to_string(&value).unwrap_or_default();
    if kind.is_empty() {
        return Err(ConfigError::in_field(
            "kind",
            format!("failed to decode: Object 'Kind' is missing in '{compact}'"),
        ));
    }
    if kind != "KubeletConfiguration"
        || !matches!(
            api_version,
            "kubelet.config.k8s.io/v1beta1" | "kubelet.config.k8s.io/v1"
        )
    {
        let field = if kind == "KubeletConfiguration" {
            "apiVersion"
        } else {
            "kind"
        };
        return Err(ConfigError::in_field(
            field,
            format!(
                "failed to decode: no kind \"{kind}\" is registered for version \"{api_version}\" in scheme \"pkg/kubelet/apis/config/scheme/scheme.go:35\""
            ),
        ));
    }
    let unknown = unknown_fields(object);
    let strict_error = match unknown.as_slice() {
        [] => None,
        [one] => Some(format!("strict decoding error: unknown field \"{one}\"")),
        many => Some(format!(
            "strict decoding error: {}",
            many.iter()
                .map(|f| format!("unknown field \"{f}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    let mut config = KubeletConfiguration::default();
    let str_field = |name: &str| -> Result<Option<String>, ConfigError> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(type_error(name, other, "string")),
        }
    };
    let duration_field = |name: &str| -> Result<Option<SimDuration>, ConfigError> {
        match str_field(name)? {
            None => Ok(None),
            Some(text) => parse_go_duration(&text)
                .map(Some)
                .map_err(|err| ConfigError::in_field(name, format!("failed to decode: {err}"))),
        }
    };
    if let Some(path) = str_field("staticPodPath")? {
        config.static_pod_path = path;
    }
    if let Some(url) = str_field("staticPodURL")? {
        config.static_pod_url = url;
    }
    if let Some(headers) = object.get("staticPodURLHeader") {
        config.static_pod_url_header = Deserialize::deserialize(headers)
            .map_err(|_| type_error("staticPodURLHeader", headers, "map[string][]string"))?;
    }
    // A zero duration is "unset" to the defaulting functions, as in upstream.
    if let Some(d) = duration_field("fileCheckFrequency")?.filter(|d| *d != SimDuration::ZERO) {
        config.file_check_frequency = d;
    }
    if let Some(d) = duration_field("httpCheckFrequency")?.filter(|d| *d != SimDuration::ZERO) {
        config.http_check_frequency = d;
    }
    if let Some(d) = duration_field("syncFrequency")?.filter(|d| *d != SimDuration::ZERO) {
        config.sync_frequency = d;
    }
    if let Some(dns) = object.get("clusterDNS") {
        config.cluster_dns =
            Deserialize::deserialize(dns).map_err(|_| type_error("clusterDNS", dns, "[]string"))?;
    }
    if let Some(domain) = str_field("clusterDomain")? {
        config.cluster_domain = domain;
    }
    if let Some(endpoint) = str_field("containerRuntimeEndpoint")?.filter(|e| !e.is_empty()) {
        config.container_runtime_endpoint = endpoint;
    }
    config.checked = validation::read(object)?;
    if let Some(max) = object.get("maxPods") {
        let max = max
            .as_i64()
            .ok_or_else(|| type_error("maxPods", max, "int32"))?;
        if max != 0 {
            config.max_pods = max;
        }
    }
    if let Some(file) = object
        .get("authentication")
        .and_then(|a| a.get("x509"))
        .and_then(|x| x.get("clientCAFile"))
    {
        match file {
            Value::Null => (),
            Value::String(path) => config.client_ca_file = path.clone(),
            other => {
                return Err(type_error(
                    "authentication.x509.clientCAFile",
                    other,
                    "string",
                ))
            }
        }
    }
    Ok(Decoded {
        config,
        strict_error,
    })
}

fn type_error(field: &str, value: &Value, go_type: &str) -> ConfigError {
    let json_type = crate::apiserver::helpers::go_json_type(value);
    ConfigError::in_field(
        field,
        format!(
            "failed to decode: json: cannot unmarshal {json_type} into Go struct field KubeletConfiguration.{field} of type {go_type}"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_unset() {
        let d = decode("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n")
            .unwrap();
        assert_eq!(d.config, KubeletConfiguration::default());
        assert_eq!(d.config.file_check_frequency, SimDuration::from_secs(20));
        assert_eq!(d.config.sync_frequency, SimDuration::from_secs(60));
        assert_eq!(d.strict_error, None);
    }

    #[test]
    fn reads_static_pod_settings() {
        let d = decode(
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n\
             staticPodPath: /etc/kubernetes/manifests\nfileCheckFrequency: 5s\n\
             staticPodURL: http://node01:8000/pods.yaml\n\
             staticPodURLHeader:\n  Authorization: [\"Bearer x\"]\n",
        )
        .unwrap();
        assert_eq!(d.config.static_pod_path, "/etc/kubernetes/manifests");
        assert_eq!(d.config.file_check_frequency, SimDuration::from_secs(5));
        assert_eq!(d.config.static_pod_url, "http://node01:8000/pods.yaml");
        assert_eq!(
            d.config.static_pod_url_header["Authorization"],
            vec!["Bearer x".to_string()]
        );
    }

    #[test]
    fn misspelt_field_is_tolerated_and_reported() {
        let d = decode(
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n\
             staticPodPat: /etc/kubernetes/manifests\n",
        )
        .unwrap();
        assert_eq!(d.config.static_pod_path, "");
        assert_eq!(
            d.strict_error.as_deref(),
            Some("strict decoding error: unknown field \"staticPodPat\"")
        );
    }

    #[test]
    fn broken_documents_fail_with_upstream_wording() {
        let err = decode("kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\nstaticPodPath /x\n  a: b\n")
            .unwrap_err()
            .message;
        assert!(
            err.starts_with("failed to decode: error converting YAML to JSON: yaml: line"),
            "{err}"
        );
        let err = decode("apiVersion: v1\nkind: Pod\n").unwrap_err().message;
        assert!(err.contains("no kind \"Pod\" is registered"), "{err}");
        let err = decode("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nsyncFrequency: 1x\n").unwrap_err();
        assert_eq!(
            err.message,
            "failed to decode: time: unknown unit \"x\" in duration \"1x\""
        );
        assert_eq!(err.field.as_deref(), Some("syncFrequency"));
    }
}
