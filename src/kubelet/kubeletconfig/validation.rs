//! Mirrors `pkg/kubelet/apis/config/validation` (v1.34) `ValidateKubeletConfiguration`: the
//! range and enumeration checks the kubelet runs on its effective configuration before it
//! starts, each worded as upstream, gathered into one aggregate error.
//!
//! Simplified: the checks on integer fields and on the enumerated string fields are made (with
//! the v1beta1 defaults a field gets when the file leaves it out); the checks that depend on
//! feature gates, durations, taints, reserved resources, logging and tracing settings are not.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::kubelet::kubeletconfig::ConfigError;

/// An integer field: its name, its v1beta1 default, whether an explicit `0` also means
/// "unset" (a plain Go integer defaulted when zero, unlike a pointer), and its Go type.
struct IntField {
    name: &'static str,
    default: i64,
    zero_is_unset: bool,
    go_type: &'static str,
}

const fn int(name: &'static str, default: i64, zero_is_unset: bool) -> IntField {
    IntField {
        name,
        default,
        zero_is_unset,
        go_type: "int32",
    }
}

const INT_FIELDS: &[IntField] = &[
    int("nodeLeaseDurationSeconds", 40, true),
    int("eventBurst", 100, true),
    int("eventRecordQPS", 50, false),
    int("healthzPort", 10248, false),
    int("imageGCHighThresholdPercent", 85, false),
    int("imageGCLowThresholdPercent", 80, false),
    int("iptablesDropBit", 15, false),
    int("iptablesMasqueradeBit", 14, false),
    int("kubeAPIBurst", 100, true),
    int("kubeAPIQPS", 50, false),
    int("nodeStatusMaxImages", 50, false),
    IntField {
        name: "maxOpenFiles",
        default: 1_000_000,
        zero_is_unset: true,
        go_type: "int64",
    },
    int("maxPods", 110, true),
    int("oomScoreAdj", -999, false),
    int("podsPerCore", 0, false),
    int("port", 10250, true),
    int("readOnlyPort", 0, false),
    int("registryBurst", 10, true),
    int("registryPullQPS", 5, false),
    int("containerLogMaxWorkers", 1, false),
    int("containerLogMaxFiles", 5, false),
];

/// A string field and its v1beta1 default (used when the file leaves it empty).
const STRING_FIELDS: &[(&str, &str)] = &[
    ("topologyManagerPolicy", "none"),
    ("topologyManagerScope", "container"),
    ("hairpinMode", "promiscuous-bridge"),
    ("podLogsDir", "/var/log/pods"),
];

/// What `failed to validate kubelet configuration` prints after the errors: the internal
/// configuration is printed with `%s`, which shows only its (empty) type meta.
const PATH_SUFFIX: &str = "path: &TypeMeta{Kind:,APIVersion:,}";

/// The fields `ValidateKubeletConfiguration` checks that the playground does not otherwise
/// act on, decoded with their v1beta1 defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    ints: BTreeMap<&'static str, i64>,
    strings: BTreeMap<&'static str, String>,
    run_once: bool,
}

impl Default for Checked {
    fn default() -> Self {
        Checked {
            ints: INT_FIELDS.iter().map(|f| (f.name, f.default)).collect(),
            strings: STRING_FIELDS
                .iter()
                .map(|(name, default)| (*name, default.to_string()))
                .collect(),
            run_once: false,
        }
    }
}

/// Reads the checked fields from a configuration object; a value of the wrong type is the
/// decoder's error (`json: cannot unmarshal ...`).
pub fn read(object: &Map<String, Value>) -> Result<Checked, ConfigError> {
    let mut checked = Checked::default();
    for field in INT_FIELDS {
        checked.ints.insert(field.name, read_int(object, field)?);
    }
    for (name, default) in STRING_FIELDS {
        let text = match object.get(*name) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(text)) => text.clone(),
            Some(other) => return Err(super::type_error(name, other, "string")),
        };
        let text = if text.is_empty() {
            default.to_string()
        } else {
            text
        };
        checked.strings.insert(*name, text);
    }
    checked.run_once = match object.get("runOnce") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(super::type_error("runOnce", other, "bool")),
    };
    Ok(checked)
}

/// `ValidateKubeletConfiguration` on the effective configuration: `None`, or the kubelet's
/// `failed to validate kubelet configuration, error: ...` message and the first field at
/// fault.
pub fn validate(checked: &Checked) -> Option<(String, &'static str)> {
    let errors = check(checked);
    let field = errors.first().map(|(field, _)| *field)?;
    let messages: Vec<String> = errors.into_iter().map(|(_, message)| message).collect();
    let aggregate = match messages.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    };
    Some((
        format!("failed to validate kubelet configuration, error: {aggregate}, {PATH_SUFFIX}"),
        field,
    ))
}

fn read_int(object: &Map<String, Value>, field: &IntField) -> Result<i64, ConfigError> {
    let value = match object.get(field.name) {
        None | Some(Value::Null) => return Ok(field.default),
        Some(value) => value,
    };
    let Some(n) = value.as_i64() else {
        return Err(super::type_error(field.name, value, field.go_type));
    };
    if n == 0 && field.zero_is_unset {
        return Ok(field.default);
    }
    Ok(n)
}

/// The checks, in upstream's order: `(field, message)` for each that fails.
fn check(checked: &Checked) -> Vec<(&'static str, String)> {
    let int = |name: &str| checked.ints.get(name).copied().unwrap_or_default();
    let string = |name: &str| {
        checked
            .strings
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    };
    let run_once = checked.run_once;
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut fail = |field: &'static str, text: String| {
        errors.push((field, format!("invalid configuration: {text}")));
    };
    let in_range = |n: i64, low: i64, high: i64| low <= n && n <= high;
    if int("nodeLeaseDurationSeconds") <= 0 {
        fail(
            "nodeLeaseDurationSeconds",
            "nodeLeaseDurationSeconds must be greater than 0".to_string(),
        );
    }
    for (name, flag) in [
        ("eventBurst", "event-burst"),
        ("eventRecordQPS", "event-qps"),
    ] {
        let n = int(name);
        if n < 0 {
            fail(
                static_name(name),
                format!("{name} (--{flag}) {n} must not be a negative number"),
            );
        }
    }
    let healthz = int("healthzPort");
    if healthz != 0 && !in_range(healthz, 1, 65535) {
        fail(
            "healthzPort",
            format!(
                "healthzPort (--healthz-port) {healthz} must be between 1 and 65535, inclusive"
            ),
        );
    }
    let (high, low) = (
        int("imageGCHighThresholdPercent"),
        int("imageGCLowThresholdPercent"),
    );
    if !in_range(high, 0, 100) {
        fail(
            "imageGCHighThresholdPercent",
            format!("imageGCHighThresholdPercent (--image-gc-high-threshold) {high} must be between 0 and 100, inclusive"),
        );
    }
    if !in_range(low, 0, 100) {
        fail(
            "imageGCLowThresholdPercent",
            format!("imageGCLowThresholdPercent (--image-gc-low-threshold) {low} must be between 0 and 100, inclusive"),
        );
    }
    if low >= high {
        fail(
            "imageGCLowThresholdPercent",
            format!("imageGCLowThresholdPercent (--image-gc-low-threshold) {low} must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) {high}"),
        );
    }
    for (name, flag) in [
        ("iptablesDropBit", "iptables-drop-bit"),
        ("iptablesMasqueradeBit", "iptables-masquerade-bit"),
    ] {
        let n = int(name);
        if !in_range(n, 0, 31) {
            fail(
                static_name(name),
                format!("{name} (--{flag}) {n} must be between 0 and 31, inclusive"),
            );
        }
    }
    for (name, flag) in [
        ("kubeAPIBurst", "kube-api-burst"),
        ("kubeAPIQPS", "kube-api-qps"),
    ] {
        let n = int(name);
        if n < 0 {
            fail(
                static_name(name),
                format!("{name} (--{flag}) {n} must not be a negative number"),
            );
        }
    }
    let images = int("nodeStatusMaxImages");
    if images < -1 {
        fail(
            "nodeStatusMaxImages",
            format!(
                "nodeStatusMaxImages (--node-status-max-images) {images} must be -1 or greater"
            ),
        );
    }
    for (name, flag) in [("maxOpenFiles", "max-open-files"), ("maxPods", "max-pods")] {
        let n = int(name);
        if n < 0 {
            fail(
                static_name(name),
                format!("{name} (--{flag}) {n} must not be a negative number"),
            );
        }
    }
    let oom = int("oomScoreAdj");
    if !in_range(oom, -1000, 1000) {
        fail(
            "oomScoreAdj",
            format!(
                "oomScoreAdj (--oom-score-adj) {oom} must be between -1000 and 1000, inclusive"
            ),
        );
    }
    let per_core = int("podsPerCore");
    if per_core < 0 {
        fail(
            "podsPerCore",
            format!("podsPerCore (--pods-per-core) {per_core} must not be a negative number"),
        );
    }
    let port = int("port");
    if !in_range(port, 1, 65535) {
        fail(
            "port",
            format!("port (--port) {port} must be between 1 and 65535, inclusive"),
        );
    }
    let read_only = int("readOnlyPort");
    if read_only != 0 && !in_range(read_only, 1, 65535) {
        fail(
            "readOnlyPort",
            format!("readOnlyPort (--read-only-port) {read_only} must be between 0 and 65535, inclusive"),
        );
    }
    for (name, flag) in [
        ("registryBurst", "registry-burst"),
        ("registryPullQPS", "registry-qps"),
    ] {
        let n = int(name);
        if n < 0 {
            fail(
                static_name(name),
                format!("{name} (--{flag}) {n} must not be a negative number"),
            );
        }
    }
    if run_once {
        fail(
            "runOnce",
            "runOnce (--runOnce) true, Runonce mode has been deprecated and should not be set"
                .to_string(),
        );
    }
    let policy = string("topologyManagerPolicy");
    if !matches!(
        policy,
        "none" | "best-effort" | "restricted" | "single-numa-node"
    ) {
        fail(
            "topologyManagerPolicy",
            format!("topologyManagerPolicy (--topology-manager-policy) {policy:?} must be one of: [\"none\" \"best-effort\" \"restricted\" \"single-numa-node\"]"),
        );
    }
    let scope = string("topologyManagerScope");
    if !matches!(scope, "container" | "pod") {
        fail(
            "topologyManagerScope",
            format!("topologyManagerScope (--topology-manager-scope) {scope:?} must be one of: \"container\", or \"pod\""),
        );
    }
    let hairpin = string("hairpinMode");
    if !matches!(hairpin, "none" | "hairpin-veth" | "promiscuous-bridge") {
        fail(
            "hairpinMode",
            format!("option {hairpin:?} specified for hairpinMode (--hairpin-mode). Valid options are \"none\", \"hairpin-veth\" or \"promiscuous-bridge\""),
        );
    }
    if int("containerLogMaxWorkers") < 1 {
        fail(
            "containerLogMaxWorkers",
            "containerLogMaxWorkers must be greater than or equal to 1".to_string(),
        );
    }
    if int("containerLogMaxFiles") <= 1 {
        fail(
            "containerLogMaxFiles",
            "containerLogMaxFiles must be greater than 1".to_string(),
        );
    }
    let logs = string("podLogsDir");
    if !logs.starts_with('/') {
        fail(
            "podLogsDir",
            format!("pod logs path {logs:?} must be absolute path"),
        );
    }
    errors
}

/// The field name as a `'static` string (the names come from `INT_FIELDS`).
fn static_name(name: &str) -> &'static str {
    INT_FIELDS
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.name)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validated(text: &str) -> Option<(String, &'static str)> {
        let Value::Object(object) = crate::yaml::from_str(text).unwrap() else {
            panic!("not a mapping: {text}")
        };
        validate(&read(&object).unwrap())
    }

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(validate(&Checked::default()), None);
        assert_eq!(validated("port: 0\nmaxPods: 0\n"), None);
    }

    #[test]
    fn one_error_reads_as_upstream_prints_it() {
        assert_eq!(
            validated("port: 70000\n").unwrap(),
            (
                "failed to validate kubelet configuration, error: invalid configuration: port (--port) 70000 must be between 1 and 65535, inclusive, path: &TypeMeta{Kind:,APIVersion:,}".to_string(),
                "port"
            )
        );
    }

    #[test]
    fn several_errors_are_one_aggregate_in_upstream_order() {
        let (message, field) =
            validated("maxPods: -1\nimageGCLowThresholdPercent: 90\nhairpinMode: bridge\n")
                .unwrap();
        assert_eq!(
            message,
            "failed to validate kubelet configuration, error: [invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) 90 must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) 85, invalid configuration: maxPods (--max-pods) -1 must not be a negative number, invalid configuration: option \"bridge\" specified for hairpinMode (--hairpin-mode). Valid options are \"none\", \"hairpin-veth\" or \"promiscuous-bridge\"], path: &TypeMeta{Kind:,APIVersion:,}"
        );
        assert_eq!(field, "imageGCLowThresholdPercent");
    }

    #[test]
    fn a_wrong_type_is_a_decoding_error() {
        let Value::Object(object) = crate::yaml::from_str("port: ten\n").unwrap() else {
            panic!("not a mapping")
        };
        assert_eq!(
            read(&object).unwrap_err().message,
            "failed to decode: json: cannot unmarshal string into Go struct field KubeletConfiguration.port of type int32"
        );
    }
}
