//! `kubectl describe`: a port of `staging/src/k8s.io/kubectl/pkg/describe/describe.go`
//! (v1.34) for pods (`describePod`), nodes (`describeNode`, `describeNodeLease`,
//! `describeNodeResource`), deployments (`describeDeployment`, with the ReplicaSet lookup of
//! `pkg/util/deployment`) and daemon sets (`describeDaemonSet`), plus the event search
//! (`searchEvents`) and event table (`DescribeEvents`) they share, and QoS classes
//! (`pkg/util/qos`).
//!
//! Output goes through the same `PrefixWriter` (two spaces per level, terminal escapes made
//! visible) and the same elastic tab writer (minwidth 0, tabwidth 8, padding 2), so sections
//! align exactly as kubectl aligns them: a line without a tab ends an alignment block.
//!
//! The caller passes the events of the object's namespace (all events for a node); the
//! describers pick the ones kubectl's field selector would return. For a mirror pod that is
//! the static pod's UID from the `kubernetes.io/config.mirror` annotation.
//!
//! Deliberate simplifications: volume sources other than HostPath, EmptyDir, Secret,
//! ConfigMap, Projected, PersistentVolumeClaim, DownwardAPI, NFS and Image print
//! `<unknown>`; events with equal timestamps keep their given order (upstream's sort is not
//! stable); a node without a known Lease prints `<unset>` for all three lease fields.

pub mod access;
pub mod config;
pub mod generic;
pub mod namespace;
pub mod network;
pub mod replica_set;
pub mod storage;

use std::collections::BTreeMap;

use serde_json::Value;

use super::objutil::{
    accumulate, age, array_at, bool_at, controller_of, format_labels, get, go_int64, int_at,
    label_selector, name, namespace, node_roles, parse_time, pod_resources, resource_list,
    rfc1123z, str_at, string_map, time_at, Qty, ResourceList,
};
use super::tabwriter::{TabConfig, TabWriter};
use crate::apiserver::validation::quantity::canonicalize;
use crate::sim::SimTime;

/// The annotation that links a mirror pod to its static pod's UID.
pub const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// The annotation `kubectl describe` never shows.
const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

const MAX_ANNOTATION_LEN: usize = 140;

/// `PrefixWriter` over a tab writer: indentation levels of two spaces.
struct PrefixWriter {
    tw: TabWriter,
}

impl PrefixWriter {
    fn new() -> PrefixWriter {
        PrefixWriter {
            tw: TabWriter::new(TabConfig::DESCRIBE),
        }
    }

    /// `Write(level, ...)`: the indentation, then `text`, with terminal escapes made visible.
    fn write(&mut self, level: usize, text: &str) {
        let mut line = "  ".repeat(level);
        line.push_str(text);
        self.tw.write(&escape_terminal(&line));
    }

    /// `WriteLine`: `text` and a newline.
    fn write_line(&mut self, text: &str) {
        self.tw.write(&escape_terminal(&format!("{text}\n")));
    }

    fn flush(&mut self) {
        self.tw.flush();
    }

    fn finish(self) -> String {
        self.tw.finish()
    }
}

/// `printers.WriteEscaped`.
fn escape_terminal(text: &str) -> String {
    text.replace('\u{1b}', "^[").replace('\r', "\\r")
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "<none>"
    } else {
        s
    }
}

/// `printBool`.
fn print_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// A quantity as `Quantity.String()` prints it.
fn quantity_text(value: &Value) -> String {
    match value {
        Value::String(s) => canonicalize(s).unwrap_or_else(|| s.clone()),
        Value::Number(n) => canonicalize(&n.to_string()).unwrap_or_else(|| n.to_string()),
        _ => "0".to_string(),
    }
}

/// `IntOrString.String()`.
fn int_or_string(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "0".to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------

/// The `Age` cell of `kubectl describe`'s event table: `12s`, or `12s (x3 over 40s)` for a
/// repeated event (`DescribeEvents`, with `translateMicroTimestampSince` for `eventTime` and
/// series).
pub fn event_age_text(event: &Value, now: SimTime) -> String {
    let first = match time_at(event, &["eventTime"]) {
        Some(t) => age(Some(t), now),
        None => age(time_at(event, &["firstTimestamp"]), now),
    };
    if let Some(series) = get(event, &["series"]).filter(|s| s.is_object()) {
        return format!(
            "{} (x{} over {first})",
            age(time_at(series, &["lastObservedTime"]), now),
            int_at(series, &["count"])
        );
    }
    let count = int_at(event, &["count"]);
    if count > 1 {
        return format!(
            "{} (x{count} over {first})",
            age(time_at(event, &["lastTimestamp"]), now)
        );
    }
    first
}

/// Whether `event` is about the object (name, namespace and, when given, kind and UID), as
/// the `involvedObject.*` field selector of `searchEvents` matches.
fn event_matches(
    event: &Value,
    name: &str,
    namespace: &str,
    kind: Option<&str>,
    uid: &str,
) -> bool {
    let io = |field: &str| str_at(event, &["involvedObject", field]);
    io("name") == name
        && io("namespace") == namespace
        && kind.is_none_or(|k| io("kind") == k)
        && (uid.is_empty() || io("uid") == uid)
}

/// The events `kubectl describe pod` shows: about this pod by name and namespace, and by the
/// static pod's UID for a mirror pod (else the pod's own UID).
pub fn pod_events<'a>(pod: &Value, events: &'a [Value]) -> Vec<&'a Value> {
    let annotations = string_map(pod, &["metadata", "annotations"]);
    let uid = match annotations.get(MIRROR_POD_ANNOTATION) {
        Some(mirror) => mirror.as_str(),
        None => str_at(pod, &["metadata", "uid"]),
    };
    events
        .iter()
        .filter(|e| event_matches(e, name(pod), namespace(pod), None, uid))
        .collect()
}

/// The events `kubectl describe node` shows: those with the node's UID, then those that use
/// the node name as UID (the kubelet's convention).
pub fn node_events<'a>(node: &Value, events: &'a [Value]) -> Vec<&'a Value> {
    let node_name = name(node);
    let uid = str_at(node, &["metadata", "uid"]);
    let mut out: Vec<&Value> = events
        .iter()
        .filter(|e| event_matches(e, node_name, "", Some("Node"), uid))
        .collect();
    out.extend(
        events
            .iter()
            .filter(|e| event_matches(e, node_name, "", Some("Node"), node_name)),
    );
    out
}

/// Events about a namespaced object by kind, name, namespace and UID.
fn object_events<'a>(obj: &Value, kind: &str, events: &'a [Value]) -> Vec<&'a Value> {
    let uid = str_at(obj, &["metadata", "uid"]);
    events
        .iter()
        .filter(|e| event_matches(e, name(obj), namespace(obj), Some(kind), uid))
        .collect()
}

/// `DescribeEvents`.
fn describe_events(w: &mut PrefixWriter, events: &[&Value], now: SimTime) {
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    let mut sorted: Vec<&Value> = events.to_vec();
    // SortableEvents: by lastTimestamp (a missing one is Go's zero time, the earliest).
    crate::sort::sort_by_key(&mut sorted, |e| {
        time_at(e, &["lastTimestamp"]).map(|t| t.as_millisecond())
    });
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let mut source = str_at(e, &["source", "component"]);
        if source.is_empty() {
            source = str_at(e, &["reportingComponent"]);
        }
        w.write(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                str_at(e, &["type"]),
                str_at(e, &["reason"]),
                event_age_text(e, now),
                source,
                str_at(e, &["message"]).trim()
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Shared sections
// ---------------------------------------------------------------------------------------

/// The `Name`, `Namespace`, `Labels` and `Annotations` lines most describers open with.
fn print_object_header(w: &mut PrefixWriter, obj: &Value) {
    w.write(0, &format!("Name:\t{}\n", name(obj)));
    w.write(0, &format!("Namespace:\t{}\n", namespace(obj)));
    print_metadata_maps(w, obj);
}

/// The `Labels` and `Annotations` lines of an object's metadata.
fn print_metadata_maps(w: &mut PrefixWriter, obj: &Value) {
    print_labels(w, "Labels", &string_map(obj, &["metadata", "labels"]));
    print_annotations(
        w,
        "Annotations",
        &string_map(obj, &["metadata", "annotations"]),
    );
}

/// `getPodStatusForController`: running, pending, succeeded and failed pods among those the
/// controller's selector matches and the controller owns (a ReplicaSet, a DaemonSet).
fn pod_status_for_controller(controller: &Value, pods: &[Value]) -> (usize, usize, usize, usize) {
    let selector = label_selector(get(controller, &["spec", "selector"]));
    let uid = str_at(controller, &["metadata", "uid"]);
    let mut counts = (0, 0, 0, 0);
    for pod in pods {
        let selected = namespace(pod) == namespace(controller)
            && selector
                .as_ref()
                .is_some_and(|s| s.matches(&string_map(pod, &["metadata", "labels"])));
        if !selected || controller_of(pod).is_none_or(|o| str_at(o, &["uid"]) != uid) {
            continue;
        }
        match str_at(pod, &["status", "phase"]) {
            "Running" => counts.0 += 1,
            "Pending" => counts.1 += 1,
            "Succeeded" => counts.2 += 1,
            "Failed" => counts.3 += 1,
            _ => (),
        }
    }
    counts
}

/// `printLabelsMultilineWithIndent` with an empty initial indent.
fn print_labels(w: &mut PrefixWriter, title: &str, labels: &BTreeMap<String, String>) {
    w.write(0, &format!("{title}:\t"));
    if labels.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.write(0, &format!("{k}={v}\n"));
    }
}

/// `shorten`: at most `max` bytes (cut at a character boundary) followed by `...`.
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// `printAnnotationsMultiline`.
fn print_annotations(w: &mut PrefixWriter, title: &str, annotations: &BTreeMap<String, String>) {
    w.write(0, &format!("{title}:\t"));
    let keys: Vec<&String> = annotations
        .keys()
        .filter(|k| k.as_str() != LAST_APPLIED_ANNOTATION)
        .collect();
    if keys.is_empty() {
        w.write_line("<none>");
        return;
    }
    let indent = "\t";
    for (i, key) in keys.into_iter().enumerate() {
        if i != 0 {
            w.write(0, indent);
        }
        let raw = annotations.get(key).map(String::as_str).unwrap_or("");
        let value = raw.strip_suffix('\n').unwrap_or(raw);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(0, &format!("{key}:\n"));
            for line in value.split('\n') {
                w.write(
                    0,
                    &format!("{indent}  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.write(0, &format!("{key}: {value}\n"));
        }
    }
}

/// `printTaintsMultilineWithIndent` (sorted by effect, then key).
fn print_taints(w: &mut PrefixWriter, title: &str, taints: &[Value]) {
    w.write(0, &format!("{title}:\t"));
    if taints.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = taints.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |t| {
        format!("{},{}", str_at(t, &["effect"]), str_at(t, &["key"]))
    });
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let (key, value, effect) = (
            str_at(t, &["key"]),
            str_at(t, &["value"]),
            str_at(t, &["effect"]),
        );
        if value.is_empty() {
            w.write(0, &format!("{key}:{effect}\n"));
        } else {
            w.write(0, &format!("{key}={value}:{effect}\n"));
        }
    }
}

/// `printTolerationsMultilineWithIndent` (sorted by key).
fn print_tolerations(w: &mut PrefixWriter, title: &str, tolerations: &[Value]) {
    w.write(0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = tolerations.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| {
        str_at(a, &["key"]).cmp(str_at(b, &["key"]))
    });
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let (key, value, effect) = (
            str_at(t, &["key"]),
            str_at(t, &["value"]),
            str_at(t, &["effect"]),
        );
        let mut text = key.to_string();
        if !value.is_empty() {
            text.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            text.push_str(&format!(":{effect}"));
        }
        // `operator: Exists` with no value tolerates everything (or every value of a key).
        if str_at(t, &["operator"]) == "Exists" && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                text.push_str(" op=Exists");
            } else {
                text.push_str("op=Exists");
            }
        }
        if let Some(seconds) = get(t, &["tolerationSeconds"]).and_then(Value::as_i64) {
            text.push_str(&format!(" for {seconds}s"));
        }
        text.push('\n');
        w.write(0, &text);
    }
}

/// `describeResources`: limits then requests, sorted by resource name.
fn describe_resources(w: &mut PrefixWriter, resources: Option<&Value>, level: usize) {
    let Some(resources) = resources else {
        return;
    };
    for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
        let Some(list) = get(resources, &[field]).and_then(Value::as_object) else {
            continue;
        };
        if list.is_empty() {
            continue;
        }
        w.write(level, &format!("{title}:\n"));
        for (name, q) in list {
            w.write(level + 1, &format!("{name}:\t{}\n", quantity_text(q)));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------

/// `EnvValueRetriever`: kubectl's scheme only converts `metadata.name` and
/// `metadata.namespace` field paths, so every other field reference resolves to "".
fn resolve_field_ref(pod: Option<&Value>, env: &Value) -> String {
    let Some(pod) = pod else {
        return String::new();
    };
    match str_at(env, &["valueFrom", "fieldRef", "fieldPath"]) {
        "metadata.name" => name(pod).to_string(),
        "metadata.namespace" => namespace(pod).to_string(),
        _ => String::new(),
    }
}

/// `resourcehelper.ExtractContainerResourceValue` for CPU, memory and ephemeral storage.
fn resource_field_value(container: &Value, selector: &Value) -> String {
    let divisor = get(selector, &["divisor"])
        .and_then(Qty::of)
        .filter(|d| d.is_positive())
        .unwrap_or(Qty::parse("1").unwrap_or(Qty::ZERO));
    let resource = str_at(selector, &["resource"]);
    let Some((field, name)) = resource.split_once('.') else {
        return String::new();
    };
    if field != "limits" && field != "requests" {
        return String::new();
    }
    let quantity = resource_list(get(container, &["resources", field]))
        .get(name)
        .copied()
        .unwrap_or(Qty::ZERO);
    let ratio = match name {
        "cpu" => quantity.milli_value() as f64 / divisor.milli_value() as f64,
        "memory" | "ephemeral-storage" => quantity.value() as f64 / divisor.value() as f64,
        _ => return String::new(),
    };
    go_int64(ratio.ceil()).to_string()
}

fn describe_container_env(w: &mut PrefixWriter, container: &Value, pod: Option<&Value>) {
    let env_from = array_at(container, &["envFrom"]);
    if !env_from.is_empty() {
        w.write(2, "Environment Variables from:\n");
        for e in env_from {
            let (from, source) = if let Some(cm) = get(e, &["configMapRef"]) {
                ("ConfigMap", cm)
            } else if let Some(secret) = get(e, &["secretRef"]) {
                ("Secret", secret)
            } else {
                ("", &Value::Null)
            };
            let optional = bool_at(source, &["optional"]);
            let prefix = str_at(e, &["prefix"]);
            let source_name = str_at(source, &["name"]);
            if prefix.is_empty() {
                w.write(3, &format!("{source_name}\t{from}\tOptional: {optional}\n"));
            } else {
                w.write(
                    3,
                    &format!(
                        "{source_name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"
                    ),
                );
            }
        }
    }

    let env = array_at(container, &["env"]);
    if env.is_empty() {
        w.write(2, "Environment:\t<none>\n");
    } else {
        w.write(2, "Environment:\n");
    }
    for e in env {
        let env_name = str_at(e, &["name"]);
        let Some(value_from) = get(e, &["valueFrom"]).filter(|v| v.is_object()) else {
            for (i, line) in str_at(e, &["value"]).split('\n').enumerate() {
                if i == 0 {
                    w.write(3, &format!("{env_name}:\t{line}\n"));
                } else {
                    w.write(3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        if let Some(field_ref) = get(value_from, &["fieldRef"]) {
            w.write(
                3,
                &format!(
                    "{env_name}:\t{} ({}:{})\n",
                    resolve_field_ref(pod, e),
                    str_at(field_ref, &["apiVersion"]),
                    str_at(field_ref, &["fieldPath"])
                ),
            );
        } else if let Some(selector) = get(value_from, &["resourceFieldRef"]) {
            let resource = str_at(selector, &["resource"]);
            let mut value = resource_field_value(container, selector);
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".to_string();
            }
            w.write(3, &format!("{env_name}:\t{value} ({resource})\n"));
        } else if let Some(r) = get(value_from, &["secretKeyRef"]) {
            w.write(
                3,
                &format!(
                    "{env_name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    str_at(r, &["key"]),
                    str_at(r, &["name"]),
                    bool_at(r, &["optional"])
                ),
            );
        } else if let Some(r) = get(value_from, &["configMapKeyRef"]) {
            w.write(
                3,
                &format!(
                    "{env_name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    str_at(r, &["key"]),
                    str_at(r, &["name"]),
                    bool_at(r, &["optional"])
                ),
            );
        }
    }
}

/// `describeContainerPorts` / `describeContainerHostPorts`.
fn describe_ports(ports: &[Value], field: &str) -> String {
    ports
        .iter()
        .map(|p| {
            let mut s = format!("{}/{}", int_at(p, &[field]), str_at(p, &["protocol"]));
            let port_name = str_at(p, &["name"]);
            if !port_name.is_empty() {
                s.push_str(&format!(" ({port_name})"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `url.URL.String()` escaping for a path (`encodePath`) or host (`encodeHost`).
fn url_escape(s: &str, host: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (!host
                && matches!(
                    b,
                    b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'@'
                ))
            || (host
                && matches!(
                    b,
                    b'!' | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b':'
                        | b'['
                        | b']'
                        | b'<'
                        | b'>'
                        | b'"'
                ));
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `DescribeProbe`.
pub fn describe_probe(probe: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int_at(probe, &["initialDelaySeconds"]),
        int_at(probe, &["timeoutSeconds"]),
        int_at(probe, &["periodSeconds"]),
        int_at(probe, &["successThreshold"]),
        int_at(probe, &["failureThreshold"])
    );
    if let Some(exec) = get(probe, &["exec"]).filter(|v| v.is_object()) {
        let command: Vec<&str> = array_at(exec, &["command"])
            .iter()
            .map(|c| c.as_str().unwrap_or(""))
            .collect();
        return format!("exec [{}] {attrs}", command.join(" "));
    }
    if let Some(http) = get(probe, &["httpGet"]).filter(|v| v.is_object()) {
        let scheme = str_at(http, &["scheme"]).to_lowercase();
        let host = str_at(http, &["host"]);
        let port = int_or_string(get(http, &["port"]));
        let host_port = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = str_at(http, &["path"]);
        let mut url = String::new();
        if !scheme.is_empty() {
            url.push_str(&scheme);
            url.push(':');
        }
        if !scheme.is_empty() || !host_port.is_empty() {
            if !host_port.is_empty() || !path.is_empty() {
                url.push_str("//");
            }
            url.push_str(&url_escape(&host_port, true));
        }
        let escaped_path = url_escape(path, false);
        if !escaped_path.is_empty() && !escaped_path.starts_with('/') && !host_port.is_empty() {
            url.push('/');
        }
        url.push_str(&escaped_path);
        return format!("http-get {url} {attrs}");
    }
    if let Some(tcp) = get(probe, &["tcpSocket"]).filter(|v| v.is_object()) {
        return format!(
            "tcp-socket {}:{} {attrs}",
            str_at(tcp, &["host"]),
            int_or_string(get(tcp, &["port"]))
        );
    }
    if let Some(grpc) = get(probe, &["grpc"]).filter(|v| v.is_object()) {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            int_at(grpc, &["port"]),
            str_at(grpc, &["service"])
        );
    }
    format!("unknown {attrs}")
}

/// `describeStatus`.
fn describe_state(w: &mut PrefixWriter, title: &str, state: Option<&Value>) {
    let state = state.unwrap_or(&Value::Null);
    if let Some(running) = get(state, &["running"]).filter(|v| v.is_object()) {
        w.write(2, &format!("{title}:\tRunning\n"));
        w.write(
            3,
            &format!("Started:\t{}\n", rfc1123z(time_at(running, &["startedAt"]))),
        );
    } else if let Some(waiting) = get(state, &["waiting"]).filter(|v| v.is_object()) {
        w.write(2, &format!("{title}:\tWaiting\n"));
        let reason = str_at(waiting, &["reason"]);
        if !reason.is_empty() {
            w.write(3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(t) = get(state, &["terminated"]).filter(|v| v.is_object()) {
        w.write(2, &format!("{title}:\tTerminated\n"));
        let reason = str_at(t, &["reason"]);
        if !reason.is_empty() {
            w.write(3, &format!("Reason:\t{reason}\n"));
        }
        let message = str_at(t, &["message"]);
        if !message.is_empty() {
            w.write(3, &format!("Message:\t{message}\n"));
        }
        w.write(3, &format!("Exit Code:\t{}\n", int_at(t, &["exitCode"])));
        let signal = int_at(t, &["signal"]);
        if signal > 0 {
            w.write(3, &format!("Signal:\t{signal}\n"));
        }
        w.write(
            3,
            &format!("Started:\t{}\n", rfc1123z(time_at(t, &["startedAt"]))),
        );
        w.write(
            3,
            &format!("Finished:\t{}\n", rfc1123z(time_at(t, &["finishedAt"]))),
        );
    } else {
        w.write(2, &format!("{title}:\tWaiting\n"));
    }
}

/// `describeContainers`. `space` is `""` for a pod and `"  "` inside a pod template; `pod`
/// resolves field references (`None` in templates).
fn describe_containers(
    w: &mut PrefixWriter,
    label: &str,
    containers: &[Value],
    statuses: &[Value],
    pod: Option<&Value>,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for container in containers {
        let container_name = str_at(container, &["name"]);
        // The last status with this name wins, as in upstream's map.
        let status = statuses
            .iter()
            .rfind(|s| str_at(s, &["name"]) == container_name);
        w.write(1, &format!("{name_indent}{container_name}:\n"));
        if let Some(s) = status {
            w.write(
                2,
                &format!("Container ID:\t{}\n", str_at(s, &["containerID"])),
            );
        }
        w.write(2, &format!("Image:\t{}\n", str_at(container, &["image"])));
        if let Some(s) = status {
            w.write(2, &format!("Image ID:\t{}\n", str_at(s, &["imageID"])));
        }
        let ports = array_at(container, &["ports"]);
        let port_string = describe_ports(ports, "containerPort");
        if port_string.contains(',') {
            w.write(2, &format!("Ports:\t{port_string}\n"));
        } else {
            w.write(2, &format!("Port:\t{}\n", or_none(&port_string)));
        }
        let host_port_string = describe_ports(ports, "hostPort");
        if host_port_string.contains(',') {
            w.write(2, &format!("Host Ports:\t{host_port_string}\n"));
        } else {
            w.write(2, &format!("Host Port:\t{}\n", or_none(&host_port_string)));
        }
        if let Some(profile) = get(container, &["securityContext", "seccompProfile"]) {
            let kind = str_at(profile, &["type"]);
            w.write(2, &format!("SeccompProfile:\t{kind}\n"));
            if kind == "Localhost" {
                w.write(
                    3,
                    &format!(
                        "LocalhostProfile:\t{}\n",
                        str_at(profile, &["localhostProfile"])
                    ),
                );
            }
        }
        for (field, title) in [("command", "Command"), ("args", "Args")] {
            let items = array_at(container, &[field]);
            if items.is_empty() {
                continue;
            }
            w.write(2, &format!("{title}:\n"));
            for item in items {
                for line in item.as_str().unwrap_or("").split('\n') {
                    w.write(3, &format!("{line}\n"));
                }
            }
        }
        if let Some(s) = status {
            describe_state(w, "State", get(s, &["state"]));
            if get(s, &["lastState", "terminated"]).is_some_and(Value::is_object) {
                describe_state(w, "Last State", get(s, &["lastState"]));
            }
            w.write(
                2,
                &format!("Ready:\t{}\n", print_bool(bool_at(s, &["ready"]))),
            );
            w.write(
                2,
                &format!("Restart Count:\t{}\n", int_at(s, &["restartCount"])),
            );
        }
        describe_resources(w, get(container, &["resources"]), 2);
        for (field, title) in [
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ] {
            if let Some(probe) = get(container, &[field]).filter(|p| p.is_object()) {
                w.write(2, &format!("{title}:\t{}\n", describe_probe(probe)));
            }
        }
        describe_container_env(w, container, pod);

        let mut mounts: Vec<&Value> = array_at(container, &["volumeMounts"]).iter().collect();
        if mounts.is_empty() {
            w.write(2, "Mounts:\t<none>\n");
        } else {
            w.write(2, "Mounts:\n");
        }
        crate::sort::sort_by(&mut mounts, |a, b| {
            str_at(a, &["mountPath"]).cmp(str_at(b, &["mountPath"]))
        });
        for m in mounts {
            let mut flags = vec![if bool_at(m, &["readOnly"]) {
                "ro"
            } else {
                "rw"
            }
            .to_string()];
            let sub_path = str_at(m, &["subPath"]);
            if !sub_path.is_empty() {
                flags.push(format!("path={}", super::gofmt::quote(sub_path)));
            }
            w.write(
                3,
                &format!(
                    "{} from {} ({})\n",
                    str_at(m, &["mountPath"]),
                    str_at(m, &["name"]),
                    flags.join(",")
                ),
            );
        }
        let mut devices: Vec<&Value> = array_at(container, &["volumeDevices"]).iter().collect();
        if !devices.is_empty() {
            w.write(2, "Devices:\n");
            crate::sort::sort_by(&mut devices, |a, b| {
                str_at(a, &["devicePath"]).cmp(str_at(b, &["devicePath"]))
            });
            for d in devices {
                w.write(
                    3,
                    &format!(
                        "{} from {}\n",
                        str_at(d, &["devicePath"]),
                        str_at(d, &["name"])
                    ),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Volumes
// ---------------------------------------------------------------------------------------

/// `describeVolumes`.
fn describe_volumes(w: &mut PrefixWriter, volumes: &[Value], space: &str) {
    if volumes.is_empty() {
        w.write(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for volume in volumes {
        w.write(1, &format!("{name_indent}{}:\n", str_at(volume, &["name"])));
        let source = |key: &str| get(volume, &[key]).filter(|v| v.is_object());
        if let Some(hp) = source("hostPath") {
            // An unset type prints `<none>`; the defaulted empty type prints as empty.
            let kind = get(hp, &["type"])
                .and_then(Value::as_str)
                .unwrap_or("<none>");
            w.write(
                2,
                &format!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{kind}\n",
                    str_at(hp, &["path"]),
                ),
            );
        } else if let Some(ed) = source("emptyDir") {
            let size_limit = get(ed, &["sizeLimit"])
                .and_then(Qty::of)
                .filter(|q| q.is_positive())
                .map_or_else(|| "<unset>".to_string(), Qty::canonical);
            w.write(
                2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size_limit}\n",
                    str_at(ed, &["medium"])
                ),
            );
        } else if let Some(secret) = source("secret") {
            w.write(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    str_at(secret, &["secretName"]),
                    bool_at(secret, &["optional"])
                ),
            );
        } else if let Some(cm) = source("configMap") {
            w.write(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    str_at(cm, &["name"]),
                    bool_at(cm, &["optional"])
                ),
            );
        } else if let Some(nfs) = source("nfs") {
            w.write(
                2,
                &format!(
                    "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    str_at(nfs, &["server"]),
                    str_at(nfs, &["path"]),
                    bool_at(nfs, &["readOnly"])
                ),
            );
        } else if let Some(pvc) = source("persistentVolumeClaim") {
            w.write(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    str_at(pvc, &["claimName"]),
                    bool_at(pvc, &["readOnly"])
                ),
            );
        } else if let Some(d) = source("downwardAPI") {
            w.write(
                2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
            );
            for item in array_at(d, &["items"]) {
                let path = str_at(item, &["path"]);
                if let Some(f) = get(item, &["fieldRef"]).filter(|v| v.is_object()) {
                    w.write(3, &format!("{} -> {path}\n", str_at(f, &["fieldPath"])));
                }
                if let Some(r) = get(item, &["resourceFieldRef"]).filter(|v| v.is_object()) {
                    w.write(3, &format!("{} -> {path}\n", str_at(r, &["resource"])));
                }
            }
        } else if let Some(projected) = source("projected") {
            w.write(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for s in array_at(projected, &["sources"]) {
                let part = |key: &str| get(s, &[key]).filter(|v| v.is_object());
                if let Some(secret) = part("secret") {
                    w.write(
                        2,
                        &format!(
                            "SecretName:\t{}\n    Optional:\t{}\n",
                            str_at(secret, &["name"]),
                            bool_at(secret, &["optional"])
                        ),
                    );
                } else if part("downwardAPI").is_some() {
                    w.write(2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = part("configMap") {
                    w.write(
                        2,
                        &format!(
                            "ConfigMapName:\t{}\n    Optional:\t{}\n",
                            str_at(cm, &["name"]),
                            bool_at(cm, &["optional"])
                        ),
                    );
                } else if let Some(token) = part("serviceAccountToken") {
                    w.write(
                        2,
                        &format!(
                            "TokenExpirationSeconds:\t{}\n",
                            int_at(token, &["expirationSeconds"])
                        ),
                    );
                }
            }
        } else if let Some(image) = source("image") {
            w.write(
                2,
                &format!(
                    "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                    str_at(image, &["reference"]),
                    str_at(image, &["pullPolicy"])
                ),
            );
        } else {
            w.write(1, "<unknown>\n");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Pods
// ---------------------------------------------------------------------------------------

fn qos_resources(list: &ResourceList) -> ResourceList {
    list.iter()
        .filter(|(name, q)| {
            (name.as_str() == "cpu" || name.as_str() == "memory") && q.is_positive()
        })
        .map(|(name, q)| (name.clone(), *q))
        .collect()
}

/// `qos.GetPodQOS`: `status.qosClass`, else `ComputePodQOS`.
pub fn pod_qos(pod: &Value) -> String {
    let recorded = str_at(pod, &["status", "qosClass"]);
    if !recorded.is_empty() {
        return recorded.to_string();
    }
    let mut requests = ResourceList::new();
    let mut limits = ResourceList::new();
    let mut guaranteed = true;
    let mut consider = |resources: Option<&Value>| {
        let req = qos_resources(&resource_list(
            resources.and_then(|r| get(r, &["requests"])),
        ));
        let lim = qos_resources(&resource_list(resources.and_then(|r| get(r, &["limits"]))));
        accumulate(&mut requests, &req);
        accumulate(&mut limits, &lim);
        if !(lim.contains_key("cpu") && lim.contains_key("memory")) {
            guaranteed = false;
        }
    };
    match get(pod, &["spec", "resources"]).filter(|v| v.is_object()) {
        Some(pod_level) => {
            consider(Some(pod_level));
            // Without pod-level limits upstream does not demote; mirror that.
            if get(pod_level, &["limits"]).is_none() {
                guaranteed = true;
            }
        }
        None => {
            for c in array_at(pod, &["spec", "containers"])
                .iter()
                .chain(array_at(pod, &["spec", "initContainers"]))
            {
                consider(get(c, &["resources"]));
            }
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort".to_string();
    }
    if guaranteed {
        for (name, req) in &requests {
            if limits
                .get(name)
                .is_none_or(|lim| lim.cmp_value(*req) != std::cmp::Ordering::Equal)
            {
                guaranteed = false;
                break;
            }
        }
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed".to_string()
    } else {
        "Burstable".to_string()
    }
}

/// What `kubectl describe pod` prints. `events` are the events of the pod's namespace; the
/// ones about this pod are picked as kubectl's event search does ([`pod_events`]).
pub fn describe_pod(pod: &Value, events: Option<&[Value]>, now: SimTime) -> String {
    let mut w = PrefixWriter::new();
    let spec = get(pod, &["spec"]).unwrap_or(&Value::Null);
    let status = get(pod, &["status"]).unwrap_or(&Value::Null);
    w.write(0, &format!("Name:\t{}\n", name(pod)));
    w.write(0, &format!("Namespace:\t{}\n", namespace(pod)));
    if let Some(priority) = get(spec, &["priority"]).and_then(Value::as_i64) {
        w.write(0, &format!("Priority:\t{priority}\n"));
    }
    let priority_class = str_at(spec, &["priorityClassName"]);
    if !priority_class.is_empty() {
        w.write(0, &format!("Priority Class Name:\t{priority_class}\n"));
    }
    let runtime_class = str_at(spec, &["runtimeClassName"]);
    if !runtime_class.is_empty() {
        w.write(0, &format!("Runtime Class Name:\t{runtime_class}\n"));
    }
    let service_account = str_at(spec, &["serviceAccountName"]);
    if !service_account.is_empty() {
        w.write(0, &format!("Service Account:\t{service_account}\n"));
    }
    let node_name = str_at(spec, &["nodeName"]);
    if node_name.is_empty() {
        w.write(0, "Node:\t<none>\n");
    } else {
        w.write(
            0,
            &format!("Node:\t{node_name}/{}\n", str_at(status, &["hostIP"])),
        );
    }
    if let Some(start) = time_at(status, &["startTime"]) {
        w.write(0, &format!("Start Time:\t{}\n", rfc1123z(Some(start))));
    }
    print_metadata_maps(&mut w, pod);
    let phase = str_at(status, &["phase"]);
    let deletion = get(pod, &["metadata", "deletionTimestamp"]).filter(|v| !v.is_null());
    if deletion.is_some() && phase != "Failed" && phase != "Succeeded" {
        let since = age(deletion.and_then(Value::as_str).and_then(parse_time), now);
        w.write(0, &format!("Status:\tTerminating (lasts {since})\n"));
        w.write(
            0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                int_at(pod, &["metadata", "deletionGracePeriodSeconds"])
            ),
        );
    } else {
        w.write(0, &format!("Status:\t{phase}\n"));
    }
    let reason = str_at(status, &["reason"]);
    if !reason.is_empty() {
        w.write(0, &format!("Reason:\t{reason}\n"));
    }
    let message = str_at(status, &["message"]);
    if !message.is_empty() {
        w.write(0, &format!("Message:\t{message}\n"));
    }
    if let Some(profile) =
        get(spec, &["securityContext", "seccompProfile"]).filter(|v| v.is_object())
    {
        let kind = str_at(profile, &["type"]);
        w.write(0, &format!("SeccompProfile:\t{kind}\n"));
        if kind == "Localhost" {
            w.write(
                0,
                &format!(
                    "LocalhostProfile:\t{}\n",
                    str_at(profile, &["localhostProfile"])
                ),
            );
        }
    }
    w.write(0, &format!("IP:\t{}\n", str_at(status, &["podIP"])));
    let pod_ips = array_at(status, &["podIPs"]);
    if pod_ips.is_empty() {
        w.write(0, "IPs:\t<none>\n");
    } else {
        w.write(0, "IPs:\n");
        for ip in pod_ips {
            w.write(1, &format!("IP:\t{}\n", str_at(ip, &["ip"])));
        }
    }
    if let Some(owner) = controller_of(pod) {
        w.write(
            0,
            &format!(
                "Controlled By:\t{}/{}\n",
                str_at(owner, &["kind"]),
                str_at(owner, &["name"])
            ),
        );
    }
    let nominated = str_at(status, &["nominatedNodeName"]);
    if !nominated.is_empty() {
        w.write(0, &format!("NominatedNodeName:\t{nominated}\n"));
    }
    if let Some(resources) = get(spec, &["resources"]).filter(|v| v.is_object()) {
        w.write(0, "Resources:\n");
        describe_resources(&mut w, Some(resources), 1);
    }
    let init_containers = array_at(spec, &["initContainers"]);
    if !init_containers.is_empty() {
        describe_containers(
            &mut w,
            "Init Containers",
            init_containers,
            array_at(status, &["initContainerStatuses"]),
            Some(pod),
            "",
        );
    }
    describe_containers(
        &mut w,
        "Containers",
        array_at(spec, &["containers"]),
        array_at(status, &["containerStatuses"]),
        Some(pod),
        "",
    );
    let ephemeral = array_at(spec, &["ephemeralContainers"]);
    if !ephemeral.is_empty() {
        describe_containers(
            &mut w,
            "Ephemeral Containers",
            ephemeral,
            array_at(status, &["ephemeralContainerStatuses"]),
            Some(pod),
            "",
        );
    }
    let conditions = array_at(status, &["conditions"]);
    let gates = array_at(spec, &["readinessGates"]);
    if !gates.is_empty() {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let kind = str_at(g, &["conditionType"]);
            let gate_status = conditions
                .iter()
                .find(|c| str_at(c, &["type"]) == kind)
                .map_or("<none>", |c| str_at(c, &["status"]));
            w.write(1, &format!("{kind} \t{gate_status} \n"));
        }
    }
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            w.write(
                1,
                &format!("{} \t{} \n", str_at(c, &["type"]), str_at(c, &["status"])),
            );
        }
    }
    describe_volumes(&mut w, array_at(spec, &["volumes"]), "");
    w.write(0, &format!("QoS Class:\t{}\n", pod_qos(pod)));
    print_labels(
        &mut w,
        "Node-Selectors",
        &string_map(spec, &["nodeSelector"]),
    );
    print_tolerations(&mut w, "Tolerations", array_at(spec, &["tolerations"]));
    describe_topology_spread(&mut w, array_at(spec, &["topologySpreadConstraints"]), "");
    if let Some(events) = events {
        describe_events(&mut w, &pod_events(pod, events), now);
    }
    w.finish()
}

/// `describeTopologySpreadConstraints`.
fn describe_topology_spread(w: &mut PrefixWriter, constraints: &[Value], space: &str) {
    if constraints.is_empty() {
        return;
    }
    let mut sorted: Vec<&Value> = constraints.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| {
        str_at(a, &["topologyKey"]).cmp(str_at(b, &["topologyKey"]))
    });
    w.write(0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, c) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.write(0, space);
            w.write(0, "\t");
        }
        let mut text = format!(
            "{}:{} when max skew {} is exceeded",
            str_at(c, &["topologyKey"]),
            str_at(c, &["whenUnsatisfiable"]),
            int_at(c, &["maxSkew"])
        );
        if let Some(selector) = get(c, &["labelSelector"]).filter(|v| !v.is_null()) {
            text.push_str(&format!(
                " for selector {}",
                super::objutil::format_label_selector(Some(selector))
            ));
        }
        text.push('\n');
        w.write(0, &text);
    }
}

// ---------------------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------------------

/// What `kubectl describe node` prints when the node's Lease cannot be shown (every lease
/// field `<unset>`). `pods_on_node` are the pods bound to the node (terminated ones are
/// skipped, as kubectl's field selector does); `events` may be all events of the cluster.
pub fn describe_node(
    node: &Value,
    pods_on_node: &[Value],
    events: Option<&[Value]>,
    now: SimTime,
) -> String {
    describe_node_with_lease(node, None, pods_on_node, events, now)
}

/// `kubectl describe node` with the node's Lease from `kube-node-lease`.
pub fn describe_node_with_lease(
    node: &Value,
    lease: Option<&Value>,
    pods_on_node: &[Value],
    events: Option<&[Value]>,
    now: SimTime,
) -> String {
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", name(node)));
    let roles = node_roles(node);
    if roles.is_empty() {
        w.write(0, "Roles:\t<none>\n");
    } else {
        w.write(0, &format!("Roles:\t{}\n", roles.join(",")));
    }
    print_metadata_maps(&mut w, node);
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(time_at(node, &["metadata", "creationTimestamp"]))
        ),
    );
    print_taints(&mut w, "Taints", array_at(node, &["spec", "taints"]));
    w.write(
        0,
        &format!(
            "Unschedulable:\t{}\n",
            bool_at(node, &["spec", "unschedulable"])
        ),
    );

    w.write(0, "Lease:\n");
    let spec_field = |field: &str| lease.and_then(|l| get(l, &["spec", field]));
    let holder = spec_field("holderIdentity")
        .and_then(Value::as_str)
        .unwrap_or("<unset>");
    w.write(1, &format!("HolderIdentity:\t{holder}\n"));
    for (field, title) in [("acquireTime", "AcquireTime"), ("renewTime", "RenewTime")] {
        let text = match spec_field(field)
            .and_then(Value::as_str)
            .and_then(parse_time)
        {
            Some(t) => rfc1123z(Some(t)),
            None => "<unset>".to_string(),
        };
        w.write(1, &format!("{title}:\t{text}\n"));
    }

    let status = get(node, &["status"]).unwrap_or(&Value::Null);
    let conditions = array_at(status, &["conditions"]);
    if !conditions.is_empty() {
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            w.write(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    str_at(c, &["type"]),
                    str_at(c, &["status"]),
                    rfc1123z(time_at(c, &["lastHeartbeatTime"])),
                    rfc1123z(time_at(c, &["lastTransitionTime"])),
                    str_at(c, &["reason"]),
                    str_at(c, &["message"])
                ),
            );
        }
    }
    w.write(0, "Addresses:\n");
    for a in array_at(status, &["addresses"]) {
        w.write(
            1,
            &format!("{}:\t{}\n", str_at(a, &["type"]), str_at(a, &["address"])),
        );
    }
    for (field, title) in [("capacity", "Capacity"), ("allocatable", "Allocatable")] {
        let Some(list) = get(status, &[field]).and_then(Value::as_object) else {
            continue;
        };
        if list.is_empty() {
            continue;
        }
        w.write(0, &format!("{title}:\n"));
        for (resource, q) in list {
            w.write(0, &format!("  {resource}:\t{}\n", quantity_text(q)));
        }
    }
    let info = |field: &str| str_at(status, &["nodeInfo", field]);
    w.write(0, "System Info:\n");
    for (field, title) in [
        ("machineID", "Machine ID"),
        ("systemUUID", "System UUID"),
        ("bootID", "Boot ID"),
        ("kernelVersion", "Kernel Version"),
        ("osImage", "OS Image"),
        ("operatingSystem", "Operating System"),
        ("architecture", "Architecture"),
        ("containerRuntimeVersion", "Container Runtime Version"),
        ("kubeletVersion", "Kubelet Version"),
        ("kubeProxyVersion", "Kube-Proxy Version"),
    ] {
        w.write(0, &format!("  {title}:\t{}\n", info(field)));
    }
    let pod_cidr = str_at(node, &["spec", "podCIDR"]);
    if !pod_cidr.is_empty() {
        w.write(0, &format!("PodCIDR:\t{pod_cidr}\n"));
    }
    let pod_cidrs: Vec<&str> = array_at(node, &["spec", "podCIDRs"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !pod_cidrs.is_empty() {
        w.write(0, &format!("PodCIDRs:\t{}\n", pod_cidrs.join(",")));
    }
    let provider = str_at(node, &["spec", "providerID"]);
    if !provider.is_empty() {
        w.write(0, &format!("ProviderID:\t{provider}\n"));
    }
    let pods: Vec<&Value> = pods_on_node
        .iter()
        .filter(|p| {
            let phase = str_at(p, &["status", "phase"]);
            phase != "Succeeded" && phase != "Failed"
        })
        .collect();
    describe_node_resource(&mut w, node, &pods, now);
    if let Some(events) = events {
        describe_events(&mut w, &node_events(node, events), now);
    }
    w.finish()
}

/// `int64(float64(a) / float64(b) * 100)`.
fn percent(a: i128, b: i128) -> i64 {
    go_int64(a as f64 / b as f64 * 100.0)
}

/// `describeNodeResource`.
fn describe_node_resource(w: &mut PrefixWriter, node: &Value, pods: &[&Value], now: SimTime) {
    w.write(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut allocatable = resource_list(get(node, &["status", "capacity"]));
    let node_allocatable = resource_list(get(node, &["status", "allocatable"]));
    if !node_allocatable.is_empty() {
        allocatable = node_allocatable;
    }
    let alloc = |name: &str| allocatable.get(name).copied().unwrap_or(Qty::ZERO);
    let (alloc_cpu, alloc_mem) = (alloc("cpu").milli_value(), alloc("memory").value());

    let mut total_reqs = ResourceList::new();
    let mut total_limits = ResourceList::new();
    for pod in pods {
        let reqs = pod_resources(pod, "requests");
        let limits = pod_resources(pod, "limits");
        let get_q = |list: &ResourceList, name: &str| list.get(name).copied().unwrap_or(Qty::ZERO);
        let (cpu_req, cpu_lim) = (get_q(&reqs, "cpu"), get_q(&limits, "cpu"));
        let (mem_req, mem_lim) = (get_q(&reqs, "memory"), get_q(&limits, "memory"));
        w.write(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                namespace(pod),
                name(pod),
                cpu_req.canonical(),
                percent(cpu_req.milli_value(), alloc_cpu),
                cpu_lim.canonical(),
                percent(cpu_lim.milli_value(), alloc_cpu),
                mem_req.canonical(),
                percent(mem_req.value(), alloc_mem),
                mem_lim.canonical(),
                percent(mem_lim.value(), alloc_mem),
                age(time_at(pod, &["metadata", "creationTimestamp"]), now)
            ),
        );
        accumulate(&mut total_reqs, &reqs);
        accumulate(&mut total_limits, &limits);
    }

    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    let total = |list: &ResourceList, name: &str| list.get(name).copied().unwrap_or(Qty::ZERO);
    let guarded = |a: i128, b: i128| if b != 0 { percent(a, b) } else { 0 };
    for (resource, milli) in [
        ("cpu", true),
        ("memory", false),
        ("ephemeral-storage", false),
    ] {
        let (req, lim) = (total(&total_reqs, resource), total(&total_limits, resource));
        let scale = |q: Qty| if milli { q.milli_value() } else { q.value() };
        let base = scale(alloc(resource));
        w.write(
            1,
            &format!(
                "{resource}\t{} ({}%)\t{} ({}%)\n",
                req.canonical(),
                guarded(scale(req), base),
                lim.canonical(),
                guarded(scale(lim), base)
            ),
        );
    }
    for (resource, alloc_q) in &allocatable {
        if !resource.starts_with("hugepages-") {
            continue;
        }
        let (req, lim) = (total(&total_reqs, resource), total(&total_limits, resource));
        let base = alloc_q.value();
        w.write(
            1,
            &format!(
                "{resource}\t{} ({}%)\t{} ({}%)\n",
                req.canonical(),
                guarded(req.value(), base),
                lim.canonical(),
                guarded(lim.value(), base)
            ),
        );
    }
    for resource in allocatable.keys() {
        let standard = matches!(resource.as_str(), "cpu" | "memory" | "ephemeral-storage")
            || resource.starts_with("hugepages-");
        if standard || resource == "pods" {
            continue;
        }
        w.write(
            1,
            &format!(
                "{resource}\t{}\t{}\n",
                total(&total_reqs, resource).canonical(),
                total(&total_limits, resource).canonical()
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Workloads
// ---------------------------------------------------------------------------------------

/// `DescribePodTemplate`.
fn describe_pod_template(w: &mut PrefixWriter, template: Option<&Value>) {
    w.write(0, "Pod Template:\n");
    let Some(template) = template.filter(|t| t.is_object()) else {
        w.write(1, "<unset>");
        return;
    };
    print_labels(
        w,
        "  Labels",
        &string_map(template, &["metadata", "labels"]),
    );
    let annotations = string_map(template, &["metadata", "annotations"]);
    if !annotations.is_empty() {
        print_annotations(w, "  Annotations", &annotations);
    }
    let spec = get(template, &["spec"]).unwrap_or(&Value::Null);
    let service_account = str_at(spec, &["serviceAccountName"]);
    if !service_account.is_empty() {
        w.write(1, &format!("Service Account:\t{service_account}\n"));
    }
    let init = array_at(spec, &["initContainers"]);
    if !init.is_empty() {
        describe_containers(w, "Init Containers", init, &[], None, "  ");
    }
    describe_containers(
        w,
        "Containers",
        array_at(spec, &["containers"]),
        &[],
        None,
        "  ",
    );
    describe_volumes(w, array_at(spec, &["volumes"]), "  ");
    describe_topology_spread(w, array_at(spec, &["topologySpreadConstraints"]), "  ");
    let priority_class = str_at(spec, &["priorityClassName"]);
    if !priority_class.is_empty() {
        w.write(1, &format!("Priority Class Name:\t{priority_class}\n"));
    }
    print_labels(w, "  Node-Selectors", &string_map(spec, &["nodeSelector"]));
    print_tolerations(w, "  Tolerations", array_at(spec, &["tolerations"]));
}

/// A value with Go's zero values and empty collections removed, so that two pod templates
/// compare as `apiequality.Semantic.DeepEqual` compares them.
fn semantic(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Bool(false) => None,
        Value::Number(n) if n.as_f64() == Some(0.0) => None,
        Value::String(s) if s.is_empty() => None,
        Value::Array(items) => {
            let items: Vec<Value> = items
                .iter()
                .map(|i| semantic(i).unwrap_or(Value::Null))
                .collect();
            if items.is_empty() {
                None
            } else {
                Some(Value::Array(items))
            }
        }
        Value::Object(map) => {
            let map: serde_json::Map<String, Value> = map
                .iter()
                .filter_map(|(k, v)| semantic(v).map(|v| (k.clone(), v)))
                .collect();
            if map.is_empty() {
                None
            } else {
                Some(Value::Object(map))
            }
        }
        other => Some(other.clone()),
    }
}

/// `equalIgnoreHash`: templates equal apart from the `pod-template-hash` label.
fn templates_equal(a: Option<&Value>, b: Option<&Value>) -> bool {
    let strip = |t: Option<&Value>| {
        let mut t = t.cloned().unwrap_or(Value::Null);
        if let Some(labels) = t
            .get_mut("metadata")
            .and_then(|m| m.get_mut("labels"))
            .and_then(Value::as_object_mut)
        {
            labels.remove("pod-template-hash");
        }
        semantic(&t)
    };
    strip(a) == strip(b)
}

/// `printReplicaSetsByLabels`.
fn replica_sets_text(sets: &[&Value]) -> String {
    if sets.is_empty() {
        return "<none>".to_string();
    }
    sets.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                name(rs),
                int_at(rs, &["status", "replicas"]),
                get(rs, &["spec", "replicas"])
                    .and_then(Value::as_i64)
                    .unwrap_or(1)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn conditions_table(w: &mut PrefixWriter, obj: &Value) {
    let conditions = array_at(obj, &["status", "conditions"]);
    if conditions.is_empty() {
        return;
    }
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(1, "----\t------\t------\n");
    for c in conditions {
        w.write(
            1,
            &format!(
                "{} \t{}\t{}\n",
                str_at(c, &["type"]),
                str_at(c, &["status"]),
                str_at(c, &["reason"])
            ),
        );
    }
}

/// What `kubectl describe deployment` prints. `replica_sets` are the ReplicaSets of the
/// deployment's namespace (the ones it controls are picked here), `events` the namespace's
/// events.
pub fn describe_deployment(
    deployment: &Value,
    replica_sets: &[Value],
    events: Option<&[Value]>,
    now: SimTime,
) -> String {
    let selector = label_selector(get(deployment, &["spec", "selector"]));
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", name(deployment)));
    w.write(0, &format!("Namespace:\t{}\n", namespace(deployment)));
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(time_at(deployment, &["metadata", "creationTimestamp"]))
        ),
    );
    print_metadata_maps(&mut w, deployment);
    w.write(
        0,
        &format!(
            "Selector:\t{}\n",
            selector.as_ref().map(|s| s.to_text()).unwrap_or_default()
        ),
    );
    let status_int = |field: &str| int_at(deployment, &["status", field]);
    w.write(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            get(deployment, &["spec", "replicas"])
                .and_then(Value::as_i64)
                .unwrap_or(1),
            status_int("updatedReplicas"),
            status_int("replicas"),
            status_int("availableReplicas"),
            status_int("unavailableReplicas")
        ),
    );
    w.write(
        0,
        &format!(
            "StrategyType:\t{}\n",
            str_at(deployment, &["spec", "strategy", "type"])
        ),
    );
    w.write(
        0,
        &format!(
            "MinReadySeconds:\t{}\n",
            int_at(deployment, &["spec", "minReadySeconds"])
        ),
    );
    if let Some(ru) =
        get(deployment, &["spec", "strategy", "rollingUpdate"]).filter(|v| v.is_object())
    {
        w.write(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(get(ru, &["maxUnavailable"])),
                int_or_string(get(ru, &["maxSurge"]))
            ),
        );
    }
    describe_pod_template(&mut w, get(deployment, &["spec", "template"]));
    conditions_table(&mut w, deployment);

    // GetAllReplicaSets: owned ReplicaSets matching the selector, oldest first.
    let uid = str_at(deployment, &["metadata", "uid"]);
    let mut owned: Vec<&Value> = replica_sets
        .iter()
        .filter(|rs| {
            namespace(rs) == namespace(deployment)
                && selector
                    .as_ref()
                    .is_some_and(|s| s.matches(&string_map(rs, &["metadata", "labels"])))
                && controller_of(rs).is_some_and(|o| str_at(o, &["uid"]) == uid)
        })
        .collect();
    crate::sort::sort_by(&mut owned, |a, b| {
        let ta = time_at(a, &["metadata", "creationTimestamp"]).map(|t| t.as_millisecond());
        let tb = time_at(b, &["metadata", "creationTimestamp"]).map(|t| t.as_millisecond());
        ta.cmp(&tb).then_with(|| name(a).cmp(name(b)))
    });
    let template = get(deployment, &["spec", "template"]);
    let new_rs = owned
        .iter()
        .find(|rs| templates_equal(get(rs, &["spec", "template"]), template))
        .copied();
    let new_uid = new_rs.map(|rs| str_at(rs, &["metadata", "uid"]));
    let old: Vec<&Value> = owned
        .iter()
        .filter(|rs| Some(str_at(rs, &["metadata", "uid"])) != new_uid)
        .filter(|rs| {
            get(rs, &["spec", "replicas"])
                .and_then(Value::as_i64)
                .unwrap_or(1)
                != 0
        })
        .copied()
        .collect();
    let new: Vec<&Value> = new_rs.into_iter().collect();
    if !old.is_empty() || !new.is_empty() {
        w.write(
            0,
            &format!("OldReplicaSets:\t{}\n", replica_sets_text(&old)),
        );
        w.write(0, &format!("NewReplicaSet:\t{}\n", replica_sets_text(&new)));
    }
    if let Some(events) = events {
        describe_events(
            &mut w,
            &object_events(deployment, "Deployment", events),
            now,
        );
    }
    w.finish()
}

/// What `kubectl describe daemonset` prints. `pods` are the pods of the daemon set's
/// namespace (those it controls are counted), `events` the namespace's events.
pub fn describe_daemonset(
    daemonset: &Value,
    pods: &[Value],
    events: Option<&[Value]>,
    now: SimTime,
) -> String {
    let selector = label_selector(get(daemonset, &["spec", "selector"]));
    let (running, waiting, succeeded, failed) = pod_status_for_controller(daemonset, pods);
    let mut w = PrefixWriter::new();
    let status_int = |field: &str| int_at(daemonset, &["status", field]);
    w.write(0, &format!("Name:\t{}\n", name(daemonset)));
    w.write(0, &format!("Namespace:\t{}\n", namespace(daemonset)));
    w.write(
        0,
        &format!(
            "Selector:\t{}\n",
            selector.as_ref().map(|s| s.to_text()).unwrap_or_default()
        ),
    );
    w.write(
        0,
        &format!(
            "Node-Selector:\t{}\n",
            format_labels(&string_map(
                daemonset,
                &["spec", "template", "spec", "nodeSelector"]
            ))
        ),
    );
    print_metadata_maps(&mut w, daemonset);
    w.write(
        0,
        &format!(
            "Desired Number of Nodes Scheduled: {}\n",
            status_int("desiredNumberScheduled")
        ),
    );
    w.write(
        0,
        &format!(
            "Current Number of Nodes Scheduled: {}\n",
            status_int("currentNumberScheduled")
        ),
    );
    w.write(
        0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            status_int("updatedNumberScheduled")
        ),
    );
    w.write(
        0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            status_int("numberAvailable")
        ),
    );
    w.write(
        0,
        &format!(
            "Number of Nodes Misscheduled: {}\n",
            status_int("numberMisscheduled")
        ),
    );
    w.write(
        0,
        &format!(
            "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
        ),
    );
    describe_pod_template(&mut w, get(daemonset, &["spec", "template"]));
    if let Some(events) = events {
        describe_events(&mut w, &object_events(daemonset, "DaemonSet", events), now);
    }
    w.finish()
}

#[cfg(test)]
mod tests;
