//! Small helpers shared by admission, the scheduler and the controllers.
//!
//! Mirrors (v1.34):
//! - `k8s.io/component-helpers/scheduling/corev1` (`ToleratesTaint`, `FindMatchingUntoleratedTaint`,
//!   `nodeaffinity.GetRequiredNodeAffinity(...).Match`);
//! - `k8s.io/apimachinery/pkg/labels` and `metav1.LabelSelectorAsSelector`;
//! - `pkg/api/v1/pod/util.go` (`GetPodCondition`, `UpdatePodCondition`, `IsPodReady`,
//!   `IsPodAvailable`) and `pkg/controller/controller_utils.go` (`IsPodActive`, `ComputeHash`);
//! - `k8s.io/apimachinery/pkg/api/resource` (`Quantity` parsing, `MilliValue`/`Value` rounding up).
//!
//! Simplifications: selectors that fail to parse never match (upstream reports an error);
//! node-affinity `matchFields` supports only `metadata.name`, as upstream does.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use serde_json::Value;

use crate::apiserver::json_pointer::JsonPointer;
use crate::sim::time::WALL_EPOCH_MS;
use crate::sim::wallclock::k8s_time;
use crate::sim::{SimDuration, SimTime};

/// How Go's JSON decoder names a value's type in its errors (`cannot unmarshal string into
/// Go value of type ...`); the API server, the kubelet and kubectl all quote it.
pub fn go_json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `metav1.Time` for a virtual instant (second precision once serialized, as the API stores it).
pub fn time(now: SimTime) -> metav1::Time {
    k8s_time(now)
}

/// The virtual instant of an API timestamp (times before the simulation began clamp to zero).
pub fn sim_time(t: &metav1::Time) -> SimTime {
    let ms = t.0.as_millisecond() - WALL_EPOCH_MS;
    SimTime(ms.max(0) as u64)
}

/// The virtual instant of an RFC 3339 timestamp inside a JSON object, if it parses.
pub fn sim_time_of_value(value: Option<&Value>) -> Option<SimTime> {
    let t = <metav1::Time as serde::Deserialize>::deserialize(value?).ok()?;
    Some(sim_time(&t))
}

/// Whether `selector` selects an object with `labels` (`nil` selects nothing, `{}` everything).
pub fn selector_matches(
    selector: Option<&metav1::LabelSelector>,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    let Some(selector) = selector else {
        return false;
    };
    let empty = BTreeMap::new();
    let labels = labels.unwrap_or(&empty);
    for (k, v) in selector.match_labels.iter().flatten() {
        if labels.get(k) != Some(v) {
            return false;
        }
    }
    for req in selector.match_expressions.iter().flatten() {
        let value = labels.get(&req.key).map(String::as_str);
        let values = req.values.as_deref().unwrap_or_default();
        let ok = match req.operator.as_str() {
            "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
            "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Whether a node selector requirement holds for `value` (the label or field, if present).
fn requirement_matches(req: &corev1::NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = req.values.as_deref().unwrap_or_default();
    match req.operator.as_str() {
        "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), [bound]) = (value, values) else {
                return false;
            };
            match (v.parse::<i64>(), bound.parse::<i64>()) {
                (Ok(v), Ok(b)) if req.operator == "Gt" => v > b,
                (Ok(v), Ok(b)) => v < b,
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether a node selector term matches `node` (an empty term matches nothing, as upstream).
pub fn node_selector_term_matches(term: &corev1::NodeSelectorTerm, node: &corev1::Node) -> bool {
    let exprs = term.match_expressions.as_deref().unwrap_or_default();
    let fields = term.match_fields.as_deref().unwrap_or_default();
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    let labels = node.metadata.labels.as_ref();
    let label_ok = exprs.iter().all(|req| {
        requirement_matches(
            req,
            labels.and_then(|l| l.get(&req.key)).map(String::as_str),
        )
    });
    let field_ok = fields.iter().all(|req| {
        req.key == "metadata.name" && requirement_matches(req, node.metadata.name.as_deref())
    });
    label_ok && field_ok
}

/// The pod's required node-affinity terms, if it has any.
pub fn required_node_affinity_terms(pod: &corev1::Pod) -> Option<&[corev1::NodeSelectorTerm]> {
    let required = pod
        .spec
        .as_ref()?
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?;
    Some(&required.node_selector_terms)
}

/// `spec.nodeSelector` and required node affinity both match `node`.
pub fn pod_matches_node_selector_and_affinity(pod: &corev1::Pod, node: &corev1::Node) -> bool {
    let node_labels = node.metadata.labels.as_ref();
    let selector = pod.spec.as_ref().and_then(|s| s.node_selector.as_ref());
    for (k, v) in selector.into_iter().flatten() {
        if node_labels.and_then(|l| l.get(k)) != Some(v) {
            return false;
        }
    }
    match required_node_affinity_terms(pod) {
        Some(terms) => terms.iter().any(|t| node_selector_term_matches(t, node)),
        None => true,
    }
}

/// The node a pod is bound to or, for an unbound DaemonSet pod, pinned to by its
/// `matchFields metadata.name In [node]` affinity (`util.GetTargetNodeName`).
pub fn target_node_name(pod: &corev1::Pod) -> Option<String> {
    if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_ref()) {
        if !node.is_empty() {
            return Some(node.clone());
        }
    }
    for term in required_node_affinity_terms(pod)? {
        for req in term.match_fields.iter().flatten() {
            if req.key == "metadata.name" && req.operator == "In" {
                if let Some([name]) = req.values.as_deref() {
                    return Some(name.clone());
                }
            }
        }
    }
    None
}

/// `ToleratesTaint`: effect (if set), key (if set) and operator/value agree.
pub fn tolerates(toleration: &corev1::Toleration, taint: &corev1::Taint) -> bool {
    if let Some(effect) = toleration.effect.as_deref() {
        if !effect.is_empty() && effect != taint.effect {
            return false;
        }
    }
    if let Some(key) = toleration.key.as_deref() {
        if !key.is_empty() && key != taint.key {
            return false;
        }
    }
    match toleration.operator.as_deref().unwrap_or_default() {
        "" | "Equal" => {
            toleration.value.as_deref().unwrap_or_default()
                == taint.value.as_deref().unwrap_or_default()
        }
        "Exists" => true,
        _ => false,
    }
}

/// The first taint with one of `effects` that no toleration tolerates.
pub fn find_untolerated_taint<'a>(
    taints: &'a [corev1::Taint],
    tolerations: &[corev1::Toleration],
    effects: &[&str],
) -> Option<&'a corev1::Taint> {
    taints.iter().find(|taint| {
        effects.contains(&taint.effect.as_str()) && !tolerations.iter().any(|t| tolerates(t, taint))
    })
}

/// The node's taints.
pub fn node_taints(node: &corev1::Node) -> &[corev1::Taint] {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or_default()
}

/// The pod's tolerations.
pub fn pod_tolerations(pod: &corev1::Pod) -> &[corev1::Toleration] {
    pod.spec
        .as_ref()
        .and_then(|s| s.tolerations.as_deref())
        .unwrap_or_default()
}

/// `status.phase`, empty if unset.
pub fn pod_phase(pod: &corev1::Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or_default()
}

/// Succeeded or Failed.
pub fn pod_is_terminal(pod: &corev1::Pod) -> bool {
    matches!(pod_phase(pod), "Succeeded" | "Failed")
}

/// `IsPodActive`: not terminal and not being deleted.
pub fn pod_is_active(pod: &corev1::Pod) -> bool {
    !pod_is_terminal(pod) && pod.metadata.deletion_timestamp.is_none()
}

/// The pod condition of `type_`, if present.
pub fn pod_condition<'a>(pod: &'a corev1::Pod, type_: &str) -> Option<&'a corev1::PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

/// `IsPodReady`: the Ready condition is True.
pub fn pod_is_ready(pod: &corev1::Pod) -> bool {
    pod_condition(pod, "Ready").is_some_and(|c| c.status == "True")
}

/// `IsPodAvailable`: ready for at least `min_ready_seconds`.
pub fn pod_is_available(pod: &corev1::Pod, min_ready_seconds: i32, now: SimTime) -> bool {
    let Some(ready) = pod_condition(pod, "Ready").filter(|c| c.status == "True") else {
        return false;
    };
    if min_ready_seconds <= 0 {
        return true;
    }
    let since = ready
        .last_transition_time
        .as_ref()
        .map(sim_time)
        .unwrap_or(SimTime::ZERO);
    now.since(since) >= seconds(i64::from(min_ready_seconds))
}

/// `UpdatePodCondition`: sets `condition` (keeping `lastTransitionTime` when the status did
/// not change); returns whether anything changed.
pub fn set_pod_condition(
    status: &mut corev1::PodStatus,
    mut condition: corev1::PodCondition,
    now: SimTime,
) -> bool {
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    match conditions.iter_mut().find(|c| c.type_ == condition.type_) {
        Some(existing) => {
            if existing.status == condition.status {
                condition.last_transition_time = existing.last_transition_time.clone();
            } else {
                condition.last_transition_time = Some(time(now));
            }
            let changed = existing.status != condition.status
                || existing.reason != condition.reason
                || existing.message != condition.message
                || existing.last_transition_time != condition.last_transition_time;
            *existing = condition;
            changed
        }
        None => {
            if condition.last_transition_time.is_none() {
                condition.last_transition_time = Some(time(now));
            }
            conditions.push(condition);
            true
        }
    }
}

/// The controller owner reference (`controller: true`), if any.
pub fn controller_of(meta: &metav1::ObjectMeta) -> Option<&metav1::OwnerReference> {
    meta.owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
}

/// A controller owner reference to the object `meta` (`controller` and `blockOwnerDeletion`
/// true, as `metav1.NewControllerRef` makes).
pub fn controller_reference(
    api_version: &str,
    kind: &str,
    meta: &metav1::ObjectMeta,
) -> metav1::OwnerReference {
    metav1::OwnerReference {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Whether `meta` is controlled by the object with `uid`.
pub fn is_controlled_by(meta: &metav1::ObjectMeta, uid: Option<&str>) -> bool {
    controller_of(meta).is_some_and(|r| Some(r.uid.as_str()) == uid)
}

const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `rand.SafeEncodeString`: each byte mapped into the consonant-and-digit alphabet.
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| SAFE_ALPHABET[b as usize % SAFE_ALPHABET.len()] as char)
        .collect()
}

/// FNV-1a, 32 bits.
pub fn fnv32a(bytes: &[u8], mut hash: u32) -> u32 {
    for b in bytes {
        hash ^= u32::from(*b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// The FNV-1a 32-bit offset basis.
pub const FNV32_OFFSET: u32 = 0x811c_9dc5;

/// `controller.ComputeHash`: FNV-32a over the template (upstream hashes Go's `%#v`-style
/// dump; we hash the canonical JSON), then the collision count as 8 little-endian bytes,
/// rendered through `SafeEncodeString` — so values look like upstream's (`7d4b9c8f5`).
pub fn compute_hash(template: &corev1::PodTemplateSpec, collision_count: Option<i32>) -> String {
    let json = serde_json::to_vec(template).unwrap_or_default();
    let mut hash = fnv32a(&json, FNV32_OFFSET);
    if let Some(count) = collision_count {
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&(count as u32).to_le_bytes());
        hash = fnv32a(&bytes, hash);
    }
    safe_encode(&hash.to_string())
}

/// A quantity (`100m`, `1.5`, `128Mi`, `1e3`) in thousandths of a unit, rounded up as
/// `Quantity.MilliValue` does; `None` if it does not parse or overflows.
pub fn parse_quantity_milli(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let num_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(num_len);
    if number.is_empty() || number == "." {
        return None;
    }
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if frac_part.contains('.') || frac_part.len() > 9 {
        return None;
    }
    // The value in billionths of a unit.
    let mut nanos: i128 = 0;
    for c in int_part.chars() {
        nanos = nanos
            .checked_mul(10)?
            .checked_add(i128::from(c.to_digit(10)?))?;
    }
    nanos = nanos.checked_mul(1_000_000_000)?;
    let mut scale = 100_000_000i128;
    for c in frac_part.chars() {
        nanos = nanos.checked_add(i128::from(c.to_digit(10)?) * scale)?;
        scale /= 10;
    }
    // Multiplier as numerator / denominator.
    let (num, den): (i128, i128) = match suffix {
        "" => (1, 1),
        "n" => (1, 1_000_000_000),
        "u" => (1, 1_000_000),
        "m" => (1, 1000),
        "k" => (1000, 1),
        "M" => (1_000_000, 1),
        "G" => (1_000_000_000, 1),
        "T" => (1_000_000_000_000, 1),
        "P" => (1_000_000_000_000_000, 1),
        "E" => (1_000_000_000_000_000_000, 1),
        "Ki" => (1 << 10, 1),
        "Mi" => (1 << 20, 1),
        "Gi" => (1 << 30, 1),
        "Ti" => (1 << 40, 1),
        "Pi" => (1 << 50, 1),
        "Ei" => (1 << 60, 1),
        exp if exp.starts_with(['e', 'E']) => {
            let e: i32 = exp[1..].parse().ok()?;
            if !(-18..=18).contains(&e) {
                return None;
            }
            if e >= 0 {
                (10i128.pow(e as u32), 1)
            } else {
                (1, 10i128.pow((-e) as u32))
            }
        }
        _ => return None,
    };
    // milli = nanos * num / den / 1e6, rounded up (away from zero).
    let scaled = nanos.checked_mul(num)?;
    let den = den.checked_mul(1_000_000)?;
    let milli = scaled.checked_add(den - 1)? / den;
    Some(if negative { -milli } else { milli })
}

/// A quantity in whole units, rounded up (`Quantity.Value`).
pub fn parse_quantity_units(text: &str) -> Option<i128> {
    let milli = parse_quantity_milli(text)?;
    Some(milli.checked_add(999)?.div_euclid(1000))
}

/// What a container asks for: `requests`, falling back to `limits` (API defaulting copies
/// limits into missing requests).
fn container_request_milli(container: &corev1::Container, resource: &str) -> i128 {
    let resources = container.resources.as_ref();
    let quantity = resources
        .and_then(|r| r.requests.as_ref())
        .and_then(|m| m.get(resource))
        .or_else(|| {
            resources
                .and_then(|r| r.limits.as_ref())
                .and_then(|m| m.get(resource))
        });
    quantity
        .and_then(|q| parse_quantity_milli(&q.0))
        .unwrap_or(0)
}

/// The pod's effective request for `resource` in milli-units: the sum over containers, at
/// least the largest init container, plus `spec.overhead` (`resource.PodRequests`).
pub fn pod_request_milli(pod: &corev1::Pod, resource: &str) -> i128 {
    let Some(spec) = pod.spec.as_ref() else {
        return 0;
    };
    let sum: i128 = spec
        .containers
        .iter()
        .map(|c| container_request_milli(c, resource))
        .fold(0, i128::saturating_add);
    let init_max = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| container_request_milli(c, resource))
        .max()
        .unwrap_or(0);
    let overhead = spec
        .overhead
        .as_ref()
        .and_then(|m| m.get(resource))
        .and_then(|q| parse_quantity_milli(&q.0))
        .unwrap_or(0);
    sum.max(init_max).saturating_add(overhead)
}

/// A saturating sum: counts from user input must not overflow.
pub fn saturating_sum(values: impl Iterator<Item = i32>) -> i32 {
    values.fold(0, i32::saturating_add)
}

/// Seconds from user input as a duration, clamped to zero..one hundred years.
pub fn seconds(n: i64) -> SimDuration {
    SimDuration::from_millis(n.clamp(0, 3_153_600_000) as u64 * 1000)
}

/// `0` becomes `None`, for status fields the API omits when zero (`omitempty`).
pub fn non_zero(n: i32) -> Option<i32> {
    if n == 0 {
        None
    } else {
        Some(n)
    }
}

/// The names of the namespaces that are not terminating, in name order: where the
/// per-namespace controllers (service accounts, the root CA publisher) keep their objects.
pub fn active_namespaces(api: &crate::apiserver::ApiServer) -> Vec<String> {
    api.store()
        .list_values(crate::apiserver::store::Resource::Namespaces, None)
        .into_iter()
        .filter(|ns| ns.at("/metadata/deletionTimestamp").is_none())
        .filter_map(|ns| ns.at("/metadata/name").and_then(Value::as_str))
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_like_the_api() {
        assert_eq!(parse_quantity_milli("100m"), Some(100));
        assert_eq!(parse_quantity_milli("1"), Some(1000));
        assert_eq!(parse_quantity_milli("0.5"), Some(500));
        assert_eq!(parse_quantity_units("128Mi"), Some(128 * 1024 * 1024));
        assert_eq!(parse_quantity_units("1G"), Some(1_000_000_000));
        assert_eq!(parse_quantity_units("1e3"), Some(1000));
        assert_eq!(parse_quantity_milli("1n"), Some(1));
        assert_eq!(parse_quantity_milli("lots"), None);
        assert_eq!(parse_quantity_milli("1Zi"), None);
    }

    #[test]
    fn safe_encoding_uses_the_upstream_alphabet() {
        // '0'..'9' map to 4 5 6 7 8 9 b c d f.
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }

    #[test]
    fn tolerations_match_taints() {
        let taint = corev1::Taint {
            key: "node-role.kubernetes.io/control-plane".into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        };
        let exists_all = corev1::Toleration {
            operator: Some("Exists".into()),
            ..Default::default()
        };
        let wrong_effect = corev1::Toleration {
            key: Some(taint.key.clone()),
            operator: Some("Exists".into()),
            effect: Some("NoExecute".into()),
            ..Default::default()
        };
        assert!(tolerates(&exists_all, &taint));
        assert!(!tolerates(&wrong_effect, &taint));
        let taints = [taint];
        assert!(find_untolerated_taint(&taints, &[wrong_effect], &["NoSchedule"]).is_some());
        assert!(find_untolerated_taint(&taints, &[], &["NoExecute"]).is_none());
    }
}
