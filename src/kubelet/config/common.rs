//! Mirrors `pkg/kubelet/config/common.go` (v1.34): decoding a static pod manifest, the
//! kubelet's own defaults (name suffix, namespace, node name, hash annotation, toleration,
//! phase), the content-hash UID, validation and the static-pod API-reference rule.
//!
//! Simplified (written down here and in the README's fidelity notes):
//! - The UID is FNV-1a 128 over a canonical JSON dump of the API-defaulted pod, then
//!   `host:<node>` + `file:<path>` (or `url:<url>`), as upstream orders it. Upstream hashes a Go
//!   `%#v` dump of its internal struct, so the hex differs from a real kubelet's for the same
//!   manifest; it is still stable, content-derived and path- and node-dependent.
//! - Decoding: only the core `v1` group is registered (the kubelet's legacy scheme decodes
//!   Pods and PodLists). Other objects in `v1` are rejected with a short `%#v`-style summary
//!   instead of Go's full struct dump. As upstream, the YAML becomes JSON first
//!   (`yaml.ToJSON`) and the JSON is decoded into the Pod, so `args: [sleep, 3600]` is refused
//!   with Go's `json: cannot unmarshal number into Go struct field ...` (see
//!   `apiserver::go_decode` for how closely its wording follows Go's).
//! - Unknown fields are dropped silently, as upstream's non-strict universal decoder does.

use std::fmt;

use k8s_openapi::api::core::v1 as corev1;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::apiserver::defaults::set_defaults_pod;
use crate::apiserver::go_decode;
use crate::apiserver::helpers::go_json_type;
use crate::apiserver::podutil::static_pod_reference_error;
use crate::apiserver::validation::{
    format_error_list, validate_pod_create_with, FieldError, PodValidationOptions, Step,
};
use crate::kubelet::context::Ctx;
use crate::kubelet::types::{pod_ref, set_annotation, CONFIG_HASH_ANNOTATION_KEY};
use crate::sim::trace::LogLine;
use crate::yaml;

/// The largest manifest or URL body the kubelet reads (`maxConfigLength`, 10 MiB).
pub const MAX_CONFIG_LENGTH: u64 = 10 << 20;

/// Where a static pod came from, which decides its UID seed and its toleration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticSource<'a> {
    /// A manifest file at this path.
    File(&'a str),
    /// A manifest fetched from this URL.
    Url(&'a str),
}

impl StaticSource<'_> {
    fn location(&self) -> &str {
        match self {
            StaticSource::File(path) => path,
            StaticSource::Url(url) => url,
        }
    }
}

/// The outcome of a decode attempt: `parsed` says whether the data was the expected kind of
/// object at all (upstream's `parsed` return value), `result` whether it could be used.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T> {
    /// The data decoded as the expected kind (even if it then failed validation).
    pub parsed: bool,
    /// The usable object, or upstream's error text.
    pub result: Result<T, String>,
}

impl<T> Decoded<T> {
    fn unparsed(error: String) -> Decoded<T> {
        Decoded {
            parsed: false,
            result: Err(error),
        }
    }

    fn refused(refusal: PodRefusal) -> Decoded<T> {
        Decoded {
            parsed: refusal.parsed(),
            result: Err(refusal.to_string()),
        }
    }
}

/// Why the kubelet refused a manifest, kept structured for readers that place each problem
/// in the text (the manifest editor). `Display` is the kubelet's error text.
#[derive(Debug, Clone, PartialEq)]
pub enum PodRefusal {
    /// The data is not a Pod at all (upstream's `parsed == false`): YAML, type meta, kind or
    /// field-type errors.
    Unparsed {
        /// The kubelet's error text.
        message: String,
        /// Where the YAML parser stopped, or where the value of the wrong type starts:
        /// 1-based (line, column), when known.
        at: Option<(usize, usize)>,
        /// The top-level field at fault (`kind` or `apiVersion`), for type-meta errors.
        field: Option<&'static str>,
    },
    /// `metadata.name` is missing or empty.
    NoName,
    /// `ValidatePodCreate` found these problems (after the kubelet's defaults).
    Invalid(Vec<FieldError>),
    /// The static-pod API-reference rule (`static pods may not reference ...`).
    ApiReference(String),
}

impl PodRefusal {
    /// Whether the data decoded as a Pod before it was refused.
    pub fn parsed(&self) -> bool {
        !matches!(self, PodRefusal::Unparsed { .. })
    }

    fn unparsed(message: String) -> PodRefusal {
        PodRefusal::Unparsed {
            message,
            at: None,
            field: None,
        }
    }

    fn unparsed_field(field: &'static str, message: String) -> PodRefusal {
        PodRefusal::Unparsed {
            message,
            at: None,
            field: Some(field),
        }
    }

    fn from_yaml(message: String, err: &yaml::YamlError) -> PodRefusal {
        let at = match (err.line, err.column) {
            (Some(line), Some(column)) => Some((line, column)),
            (Some(line), None) => Some((line, 1)),
            _ => None,
        };
        PodRefusal::Unparsed {
            message,
            at,
            field: None,
        }
    }
}

impl fmt::Display for PodRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PodRefusal::Unparsed { message, .. } => f.write_str(message),
            PodRefusal::NoName => f.write_str("invalid pod: name is needed for the pod"),
            PodRefusal::Invalid(errs) => write!(f, "invalid pod: {}", format_error_list(errs)),
            PodRefusal::ApiReference(message) => f.write_str(message),
        }
    }
}

/// `<name>-<lower-cased node name>`, unique among nodes (`generatePodName`).
pub fn generate_pod_name(name: &str, node_name: &str) -> String {
    format!("{name}-{}", node_name.to_lowercase())
}

/// The kubelet's own defaults for a static pod (`applyDefaults`).
pub fn apply_defaults(
    ctx: &mut Ctx<'_>,
    pod: &mut corev1::Pod,
    source: StaticSource<'_>,
    node_name: &str,
) {
    if pod.metadata.uid.as_deref().unwrap_or_default().is_empty() {
        let uid = generate_uid(pod, source, node_name);
        pod.metadata.uid = Some(uid);
        log_pod(ctx, pod, "Generated UID", source);
    }
    let name = pod.metadata.name.clone().unwrap_or_default();
    pod.metadata.name = Some(generate_pod_name(&name, node_name));
    log_pod(ctx, pod, "Generated pod name", source);
    if pod
        .metadata
        .namespace
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        pod.metadata.namespace = Some("default".to_string());
    }
    log_pod(ctx, pod, "Set namespace for pod", source);
    let spec = pod.spec.get_or_insert_with(Default::default);
    // The pod is bound to this node; the node name is kept as given (not lower-cased).
    spec.node_name = Some(node_name.to_string());
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    set_annotation(pod, CONFIG_HASH_ANNOTATION_KEY, &uid);
    if let StaticSource::File(_) = source {
        // File pods tolerate NoExecute taints so node problems never evict them.
        add_or_update_toleration(
            pod.spec.get_or_insert_with(Default::default),
            corev1::Toleration {
                operator: Some("Exists".to_string()),
                effect: Some("NoExecute".to_string()),
                ..Default::default()
            },
        );
    }
    pod.status.get_or_insert_with(Default::default).phase = Some("Pending".to_string());
}

fn log_pod(ctx: &mut Ctx<'_>, pod: &corev1::Pod, message: &'static str, source: StaticSource) {
    let pod_ref = pod_ref(pod);
    let mut line = LogLine::info(5, "common.go:66", message).with("pod", pod_ref.to_string());
    if message != "Set namespace for pod" {
        line = line.with("podUID", pod_ref.uid.as_str());
    }
    ctx.log(line.with("source", source.location()));
}

/// `helper.AddOrUpdateTolerationInPod`: adds `toleration` unless an identical one exists.
fn add_or_update_toleration(spec: &mut corev1::PodSpec, toleration: corev1::Toleration) {
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    if tolerations.contains(&toleration) {
        return;
    }
    tolerations.push(toleration);
}

/// A content-derived UID: FNV-1a 128 of the defaulted pod, then the source information.
fn generate_uid(pod: &corev1::Pod, source: StaticSource<'_>, node_name: &str) -> String {
    let mut hasher = Fnv128a::default();
    // serde_json writes struct fields in declaration order and maps sorted, so the dump is
    // canonical for equal pods.
    hasher.write(serde_json::to_string(pod).unwrap_or_default().as_bytes());
    match source {
        StaticSource::File(path) => {
            hasher.write(format!("host:{node_name}").as_bytes());
            hasher.write(format!("file:{path}").as_bytes());
        }
        StaticSource::Url(url) => hasher.write(format!("url:{url}").as_bytes()),
    }
    format!("{:032x}", hasher.sum())
}

/// Go's `hash/fnv` New128a.
#[derive(Debug)]
struct Fnv128a(u128);

impl Default for Fnv128a {
    fn default() -> Self {
        Fnv128a(0x6c62272e07bb014262b821756295c58d)
    }
}

impl Fnv128a {
    const PRIME: u128 = 0x0000000001000000000000000000013B;

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u128::from(*byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn sum(&self) -> u128 {
        self.0
    }
}

/// What the object's `apiVersion` and `kind` say, checked the way the universal decoder
/// checks them.
enum Kind {
    Pod,
    PodList,
    /// Another object of the core group, which is not what the caller wanted.
    OtherCore(String),
}

/// The first YAML document as JSON, and its type meta.
fn decode_type_meta(text: &str) -> Result<(Value, Kind), PodRefusal> {
    let value: Value = yaml::from_str_first(text).map_err(|err| {
        let message = format!("error converting YAML to JSON: yaml: {}", err.go_message());
        PodRefusal::from_yaml(message, &err)
    })?;
    let compact = serde_json::to_string(&value).unwrap_or_default();
    let field = |name: &'static str| -> Result<String, PodRefusal> {
        match value.get(name) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(PodRefusal::unparsed_field(name, format!(
                "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go struct field .{name} of type string",
                go_json_type(other)
            ))),
        }
    };
    if !(value.is_object() || value.is_null()) {
        return Err(PodRefusal::unparsed(format!(
            "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
            go_json_type(&value)
        )));
    }
    let api_version = field("apiVersion")?;
    let kind = field("kind")?;
    if kind.is_empty() {
        return Err(PodRefusal::unparsed_field(
            "kind",
            format!("Object 'Kind' is missing in '{compact}'"),
        ));
    }
    if api_version.is_empty() {
        return Err(PodRefusal::unparsed_field(
            "apiVersion",
            format!("Object 'apiVersion' is missing in '{compact}'"),
        ));
    }
    if api_version != "v1" || !CORE_V1_KINDS.contains(&kind.as_str()) {
        let at_fault = if CORE_V1_KINDS.contains(&kind.as_str()) {
            "apiVersion"
        } else {
            "kind"
        };
        return Err(PodRefusal::unparsed_field(at_fault, format!(
            "no kind \"{kind}\" is registered for version \"{api_version}\" in scheme \"pkg/api/legacyscheme/scheme.go:30\""
        )));
    }
    let kind = match kind.as_str() {
        "Pod" => Kind::Pod,
        "PodList" => Kind::PodList,
        _ => Kind::OtherCore(kind),
    };
    Ok((value, kind))
}

/// Kinds of the core `v1` group the kubelet's scheme knows.
const CORE_V1_KINDS: [&str; 26] = [
    "Binding",
    "ComponentStatus",
    "ConfigMap",
    "ConfigMapList",
    "Endpoints",
    "Event",
    "LimitRange",
    "List",
    "Namespace",
    "NamespaceList",
    "Node",
    "NodeList",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Pod",
    "PodList",
    "PodTemplate",
    "ReplicationController",
    "ResourceQuota",
    "Secret",
    "SecretList",
    "Service",
    "ServiceAccount",
    "ServiceList",
    "PodAttachOptions",
    "PodLogOptions",
];

/// A short stand-in for Go's `%#v` of a decoded object that is not what was asked for.
fn object_summary(kind: &str, value: &Value) -> String {
    let meta = |key: &str| {
        value
            .get("metadata")
            .and_then(|m| m.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    format!(
        "&core.{kind}{{TypeMeta:v1.TypeMeta{{Kind:\"\", APIVersion:\"\"}}, ObjectMeta:v1.ObjectMeta{{Name:{:?}, Namespace:{:?}, ...}}, ...}}",
        meta("name"),
        meta("namespace")
    )
}

fn text_of(data: &[u8]) -> Result<&str, String> {
    yaml::text(data).map_err(|problem| format!("error converting YAML to JSON: yaml: {problem}"))
}

/// Decodes one Pod, applies API defaults, `default_fn` and validation (`tryDecodeSinglePod`).
pub fn try_decode_single_pod(
    ctx: &mut Ctx<'_>,
    data: &[u8],
    default_fn: &mut dyn FnMut(&mut Ctx<'_>, &mut corev1::Pod),
) -> Decoded<corev1::Pod> {
    let text = match text_of(data) {
        Ok(text) => text,
        Err(err) => return Decoded::unparsed(err),
    };
    match decode_single_pod(ctx, text, default_fn) {
        Ok(pod) => Decoded {
            parsed: true,
            result: Ok(pod),
        },
        Err(refusal) => Decoded::refused(refusal),
    }
}

/// [`try_decode_single_pod`] on text, with the refusal kept structured: the same steps and
/// the same words, plus where each problem is.
pub fn decode_single_pod(
    ctx: &mut Ctx<'_>,
    text: &str,
    default_fn: &mut dyn FnMut(&mut Ctx<'_>, &mut corev1::Pod),
) -> Result<corev1::Pod, PodRefusal> {
    let value = match decode_type_meta(text)? {
        (value, Kind::Pod) => value,
        (value, Kind::PodList) => {
            return Err(PodRefusal::unparsed_field(
                "kind",
                format!("invalid pod: {}", object_summary("PodList", &value)),
            ))
        }
        (value, Kind::OtherCore(kind)) => {
            return Err(PodRefusal::unparsed_field(
                "kind",
                format!("invalid pod: {}", object_summary(&kind, &value)),
            ))
        }
    };
    let mut pod: corev1::Pod = decode_json(text, &value)?;
    set_defaults_pod(&mut pod);
    default_and_validate(ctx, &mut pod, default_fn)?;
    Ok(pod)
}

/// Decodes a PodList the same way, item by item; any bad item rejects the whole list
/// (`tryDecodePodList`).
pub fn try_decode_pod_list(
    ctx: &mut Ctx<'_>,
    data: &[u8],
    default_fn: &mut dyn FnMut(&mut Ctx<'_>, &mut corev1::Pod),
) -> Decoded<Vec<corev1::Pod>> {
    let text = match text_of(data) {
        Ok(text) => text,
        Err(err) => return Decoded::unparsed(err),
    };
    let value = match decode_type_meta(text) {
        Ok((value, Kind::PodList)) => value,
        Ok((value, Kind::Pod)) => {
            return Decoded::unparsed(format!(
                "invalid pods list: {}",
                object_summary("Pod", &value)
            ))
        }
        Ok((value, Kind::OtherCore(kind))) => {
            return Decoded::unparsed(format!(
                "invalid pods list: {}",
                object_summary(&kind, &value)
            ))
        }
        Err(refusal) => return Decoded::refused(refusal),
    };
    let list: k8s_openapi::List<corev1::Pod> = match decode_json(text, &value) {
        Ok(list) => list,
        Err(refusal) => return Decoded::refused(refusal),
    };
    let mut pods = list.items;
    for pod in &mut pods {
        set_defaults_pod(pod);
        if let Err(refusal) = default_and_validate(ctx, pod, default_fn) {
            return Decoded::refused(refusal);
        }
    }
    Decoded {
        parsed: true,
        result: Ok(pods),
    }
}

/// The JSON form of the manifest decoded as `T`, as the kubelet's JSON codec decodes it: the
/// crate's one JSON decoder first, and when that refuses the value, Go's rules (which also
/// accept a few values serde does not) to decide and to word the error, placed at the value
/// at fault in `text`.
fn decode_json<T: DeserializeOwned>(text: &str, value: &Value) -> Result<T, PodRefusal> {
    if let Ok(typed) = T::deserialize(value) {
        return Ok(typed);
    }
    go_decode::decode(value).map_err(|err| PodRefusal::Unparsed {
        message: err.message,
        at: position(text, &err.path),
        field: None,
    })
}

/// Where the value at `path` starts in the first document of `text`, 1-based: the deepest
/// node the path reaches.
fn position(text: &str, path: &[Step]) -> Option<(usize, usize)> {
    if path.is_empty() {
        return None;
    }
    let stream = yaml::marked::parse(text);
    let mut node = &stream.documents.first()?.root;
    for step in path {
        let next = match (step, &node.kind) {
            (Step::Key(key), _) => node.get(key),
            (Step::Index(idx), yaml::marked::NodeKind::Sequence(items)) => items.get(*idx),
            (Step::Index(_), _) => None,
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    Some((node.span.start.line, node.span.start.column))
}

/// The shared tail of both decoders: name check, defaults, validation, API references.
fn default_and_validate(
    ctx: &mut Ctx<'_>,
    pod: &mut corev1::Pod,
    default_fn: &mut dyn FnMut(&mut Ctx<'_>, &mut corev1::Pod),
) -> Result<(), PodRefusal> {
    if pod.metadata.name.as_deref().unwrap_or_default().is_empty() {
        return Err(PodRefusal::NoName);
    }
    default_fn(ctx, pod);
    let errs = validate_pod_create_with(pod, PodValidationOptions::kubelet());
    if !errs.is_empty() {
        return Err(PodRefusal::Invalid(errs));
    }
    match static_pod_reference_error(pod) {
        Some(err) => Err(PodRefusal::ApiReference(err)),
        None => Ok(()),
    }
}
