//! Helpers shared by the printers and describers, each mirroring one upstream helper:
//! field access on untyped objects (`unstructured.NestedFieldNoCopy`), timestamps
//! (`translateTimestampSince`, `time.RFC1123Z`), labels and selectors
//! (`staging/src/k8s.io/apimachinery/pkg/labels`, `metav1.FormatLabelSelector`), node roles
//! (`findNodeRoles`) and resource-quantity arithmetic (`resource.Quantity.Add`/`Cmp`,
//! `staging/src/k8s.io/component-helpers/resource/helpers.go` `PodRequests`/`PodLimits`).
//!
//! Everything accepts malformed objects: a missing or mistyped field reads as Go's zero value.

use std::collections::{BTreeMap, BTreeSet};

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::Value;

use crate::apiserver::printers::human_duration;
use crate::apiserver::validation::quantity::{Format, Quantity};
use crate::sim::time::SimDuration;
use crate::sim::SimTime;

/// The value at `path` (object keys), if every step exists.
pub fn get<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = value;
    for key in path {
        cur = cur.as_object()?.get(*key)?;
    }
    Some(cur)
}

/// The string at `path`, or `""` (Go's zero value).
pub fn str_at<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    get(value, path).and_then(Value::as_str).unwrap_or("")
}

/// The integer at `path`, or 0.
pub fn int_at(value: &Value, path: &[&str]) -> i64 {
    get(value, path).and_then(Value::as_i64).unwrap_or(0)
}

/// The boolean at `path`, or `false`.
pub fn bool_at(value: &Value, path: &[&str]) -> bool {
    get(value, path).and_then(Value::as_bool).unwrap_or(false)
}

/// The array at `path`, or an empty slice.
pub fn array_at<'a>(value: &'a Value, path: &[&str]) -> &'a [Value] {
    get(value, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A `map[string]string` at `path` (labels, annotations, node selectors); non-string values
/// are skipped.
pub fn string_map(value: &Value, path: &[&str]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(map) = get(value, path).and_then(Value::as_object) {
        for (k, v) in map {
            if let Some(s) = v.as_str() {
                out.insert(k.clone(), s.to_string());
            }
        }
    }
    out
}

/// `metadata.name`.
pub fn name(obj: &Value) -> &str {
    str_at(obj, &["metadata", "name"])
}

/// `metadata.namespace`.
pub fn namespace(obj: &Value) -> &str {
    str_at(obj, &["metadata", "namespace"])
}

/// Parses an API timestamp (`2026-11-22T08:00:00Z`, or a MicroTime with a fraction).
pub fn parse_time(text: &str) -> Option<Timestamp> {
    if text.is_empty() {
        return None;
    }
    text.parse::<Timestamp>().ok()
}

/// The timestamp at `path`, if present and valid.
pub fn time_at(value: &Value, path: &[&str]) -> Option<Timestamp> {
    parse_time(str_at(value, path))
}

/// `duration.HumanDuration(now - t)`, with its tolerance for clocks slightly ahead: `0s` up to
/// a second in the future, `<invalid>` beyond.
pub fn human_since(t: Timestamp, now: SimTime) -> String {
    let diff_ms = i128::from(now.wall_millis()) - i128::from(t.as_millisecond());
    // Go converts to whole seconds truncating toward zero.
    let seconds = diff_ms / 1000;
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if diff_ms < 0 {
        return "0s".to_string();
    }
    human_duration(SimDuration(u64::try_from(diff_ms).unwrap_or(u64::MAX)))
}

/// `translateTimestampSince`: the age of `t`, `<unknown>` when unset.
pub fn age(t: Option<Timestamp>, now: SimTime) -> String {
    match t {
        Some(t) => human_since(t, now),
        None => "<unknown>".to_string(),
    }
}

/// The age of the timestamp at `path`.
pub fn age_at(value: &Value, path: &[&str], now: SimTime) -> String {
    age(time_at(value, path), now)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `t.Format(time.RFC1123Z)` in the emulated hosts' UTC zone:
/// `Sun, 22 Nov 2026 08:00:00 +0000`. An unset time prints Go's zero time, as kubectl does.
pub fn rfc1123z(t: Option<Timestamp>) -> String {
    let Some(t) = t else {
        return "Mon, 01 Jan 0001 00:00:00 +0000".to_string();
    };
    let dt = TimeZone::UTC.to_datetime(t);
    let weekday = WEEKDAYS[dt.weekday().to_monday_zero_offset() as usize % 7];
    let month = MONTHS[(dt.month() as usize).saturating_sub(1) % 12];
    format!(
        "{weekday}, {:02} {month} {:04} {:02}:{:02}:{:02} +0000",
        dt.day(),
        dt.year(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `labels.FormatLabels`: `k=v,k2=v2` sorted by key, `<none>` when empty.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// One requirement of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement {
    key: String,
    op: SelectorOp,
    values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SelectorOp {
    Equals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// What `metav1.LabelSelectorAsSelector` makes of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    // `None` for a nil selector (`labels.Nothing()`: matches nothing, prints as `""`);
    // otherwise the requirements sorted by key, where none at all matches everything.
    reqs: Option<Vec<Requirement>>,
}

/// `metav1.LabelSelectorAsSelector`; `None` when an operator or value list is invalid.
pub fn label_selector(selector: Option<&Value>) -> Option<Selector> {
    let Some(selector) = selector.filter(|s| !s.is_null()) else {
        return Some(Selector { reqs: None });
    };
    let mut reqs = Vec::new();
    for (key, value) in string_map(selector, &["matchLabels"]) {
        reqs.push(Requirement {
            key,
            op: SelectorOp::Equals,
            values: vec![value],
        });
    }
    for expr in array_at(selector, &["matchExpressions"]) {
        let key = str_at(expr, &["key"]).to_string();
        let values: Vec<String> = array_at(expr, &["values"])
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let op = match str_at(expr, &["operator"]) {
            "In" => SelectorOp::In,
            "NotIn" => SelectorOp::NotIn,
            "Exists" => SelectorOp::Exists,
            "DoesNotExist" => SelectorOp::DoesNotExist,
            _ => return None,
        };
        let needs_values = matches!(op, SelectorOp::In | SelectorOp::NotIn);
        if needs_values == values.is_empty() {
            return None;
        }
        reqs.push(Requirement { key, op, values });
    }
    crate::sort::sort_by(&mut reqs, |a, b| a.key.cmp(&b.key));
    Some(Selector { reqs: Some(reqs) })
}

impl Selector {
    /// `labels.Selector.String()`: `app=web,tier in (a,b),!legacy`.
    pub fn to_text(&self) -> String {
        match &self.reqs {
            None => String::new(),
            Some(reqs) => reqs
                .iter()
                .map(|r| {
                    let mut values = r.values.clone();
                    crate::sort::sort(&mut values);
                    let joined = values.join(",");
                    match r.op {
                        SelectorOp::Equals => format!("{}={joined}", r.key),
                        SelectorOp::In => format!("{} in ({joined})", r.key),
                        SelectorOp::NotIn => format!("{} notin ({joined})", r.key),
                        SelectorOp::Exists => r.key.clone(),
                        SelectorOp::DoesNotExist => format!("!{}", r.key),
                    }
                })
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// `labels.Selector.Matches`.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match &self.reqs {
            None => false,
            Some(reqs) => reqs.iter().all(|r| {
                let value = labels.get(&r.key);
                match r.op {
                    SelectorOp::Equals | SelectorOp::In => {
                        value.is_some_and(|v| r.values.contains(v))
                    }
                    SelectorOp::NotIn => value.is_none_or(|v| !r.values.contains(v)),
                    SelectorOp::Exists => value.is_some(),
                    SelectorOp::DoesNotExist => value.is_none(),
                }
            }),
        }
    }
}

/// `metav1.FormatLabelSelector`: the selector text, `<none>` when empty, `<error>` when invalid.
pub fn format_label_selector(selector: Option<&Value>) -> String {
    match label_selector(selector) {
        None => "<error>".to_string(),
        Some(s) => {
            let text = s.to_text();
            if text.is_empty() {
                "<none>".to_string()
            } else {
                text
            }
        }
    }
}

const LABEL_NODE_ROLE_PREFIX: &str = "node-role.kubernetes.io/";
const NODE_LABEL_ROLE: &str = "kubernetes.io/role";

/// `findNodeRoles`: roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role`
/// labels, sorted.
pub fn node_roles(node: &Value) -> Vec<String> {
    let mut roles = BTreeSet::new();
    for (k, v) in string_map(node, &["metadata", "labels"]) {
        if let Some(role) = k.strip_prefix(LABEL_NODE_ROLE_PREFIX) {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if k == NODE_LABEL_ROLE && !v.is_empty() {
            roles.insert(v);
        }
    }
    roles.into_iter().collect()
}

/// `metav1.GetControllerOf`: the owner reference with `controller: true`.
pub fn controller_of(obj: &Value) -> Option<&Value> {
    array_at(obj, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| bool_at(r, &["controller"]))
}

/// Go's `int64(f)` on amd64: truncation toward zero, and the "integer indefinite" value
/// `math.MinInt64` for NaN and out-of-range values (what kubectl prints for a division by a
/// zero allocatable).
pub fn go_int64(f: f64) -> i64 {
    // 2^63 is exactly representable; everything in [-2^63, 2^63) converts.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        return i64::MIN;
    }
    f.trunc() as i64
}

/// A resource quantity for arithmetic: its exact value in nano-units and the format it prints
/// in (`resource.Quantity` after `ParseQuantity`, which rounds to nano precision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Qty {
    nanos: i128,
    format: Option<Format>,
}

impl Qty {
    /// The zero `resource.Quantity{}` (prints `0`).
    pub const ZERO: Qty = Qty {
        nanos: 0,
        format: None,
    };

    /// Parses a quantity; `None` when it is malformed.
    pub fn parse(text: &str) -> Option<Qty> {
        let q = Quantity::parse(text).ok()?;
        Some(Qty {
            nanos: q.scaled_value(-9),
            format: Some(q.format()),
        })
    }

    /// The quantity in a JSON value (a string, or a bare number as some clients send).
    pub fn of(value: &Value) -> Option<Qty> {
        match value {
            Value::String(s) => Qty::parse(s),
            Value::Number(n) => Qty::parse(&n.to_string()),
            _ => None,
        }
    }

    /// `Quantity.Add`: the sum keeps the receiver's format.
    pub fn plus(self, other: Qty) -> Qty {
        Qty {
            nanos: self.nanos.saturating_add(other.nanos),
            format: self.format.or(other.format),
        }
    }

    /// `Quantity.Cmp`.
    pub fn cmp_value(self, other: Qty) -> std::cmp::Ordering {
        self.nanos.cmp(&other.nanos)
    }

    /// Whether the value is greater than zero.
    pub fn is_positive(self) -> bool {
        self.nanos > 0
    }

    fn scaled_up(self, unit: i128) -> i128 {
        // ScaledValue rounds away from zero.
        let q = self.nanos / unit;
        if self.nanos % unit == 0 {
            q
        } else if self.nanos > 0 {
            q + 1
        } else {
            q - 1
        }
    }

    /// `MilliValue()`.
    pub fn milli_value(self) -> i128 {
        self.scaled_up(1_000_000)
    }

    /// `Value()`.
    pub fn value(self) -> i128 {
        self.scaled_up(1_000_000_000)
    }

    /// `Quantity.String()`: the canonical text.
    pub fn canonical(self) -> String {
        let Some(format) = self.format else {
            return "0".to_string();
        };
        if self.nanos == 0 {
            return "0".to_string();
        }
        // Rebuild an exact decimal in the right format and let the quantity parser produce
        // the canonical form.
        let (text, suffix) = match format {
            Format::BinarySi => (decimal_text(self.nanos.saturating_mul(9_765_625), 19), "Ki"),
            Format::DecimalSi => (decimal_text(self.nanos, 9), ""),
            Format::DecimalExponent => (decimal_text(self.nanos, 9), "e0"),
        };
        match Quantity::parse(&format!("{text}{suffix}")) {
            Ok(q) => q.canonical(),
            Err(_) => text,
        }
    }
}

/// `value × 10^-scale` as an exact decimal string.
fn decimal_text(value: i128, scale: u32) -> String {
    let neg = value < 0;
    let digits = value.unsigned_abs().to_string();
    let scale = scale as usize;
    let padded = if digits.len() <= scale {
        format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
    } else {
        digits
    };
    let (int_part, frac_part) = padded.split_at(padded.len() - scale);
    let frac_part = frac_part.trim_end_matches('0');
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(int_part);
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(frac_part);
    }
    out
}

/// A `v1.ResourceList`: resource name to quantity, sorted by name.
pub type ResourceList = BTreeMap<String, Qty>;

/// The quantities of a JSON resource list (`requests`, `limits`, `capacity`); unparsable
/// entries are skipped.
pub fn resource_list(value: Option<&Value>) -> ResourceList {
    let mut out = ResourceList::new();
    if let Some(map) = value.and_then(Value::as_object) {
        for (name, q) in map {
            if let Some(q) = Qty::of(q) {
                out.insert(name.clone(), q);
            }
        }
    }
    out
}

/// `addResourceList`.
fn add_resource_list(list: &mut ResourceList, new: &ResourceList) {
    for (name, q) in new {
        let sum = match list.get(name) {
            Some(cur) => cur.plus(*q),
            None => *q,
        };
        list.insert(name.clone(), sum);
    }
}

/// `maxResourceList`.
fn max_resource_list(list: &mut ResourceList, new: &ResourceList) {
    for (name, q) in new {
        let replace = list
            .get(name)
            .is_none_or(|cur| q.cmp_value(*cur) == std::cmp::Ordering::Greater);
        if replace {
            list.insert(name.clone(), *q);
        }
    }
}

fn is_pod_level_resource(name: &str) -> bool {
    name == "cpu" || name == "memory" || name.starts_with("hugepages-")
}

/// `resourcehelper.PodRequests` / `PodLimits` (field `"requests"` or `"limits"`): the sum over
/// app containers and restartable (sidecar) init containers, at least the largest init
/// container, plus pod overhead; pod-level resources replace the aggregate when set.
pub fn pod_resources(pod: &Value, field: &str) -> ResourceList {
    let is_limits = field == "limits";
    let mut reqs = ResourceList::new();
    for c in array_at(pod, &["spec", "containers"]) {
        add_resource_list(&mut reqs, &resource_list(get(c, &["resources", field])));
    }
    let mut restartable = ResourceList::new();
    let mut init_max = ResourceList::new();
    for c in array_at(pod, &["spec", "initContainers"]) {
        let own = resource_list(get(c, &["resources", field]));
        let effective = if str_at(c, &["restartPolicy"]) == "Always" {
            add_resource_list(&mut reqs, &own);
            add_resource_list(&mut restartable, &own);
            restartable.clone()
        } else {
            let mut tmp = own.clone();
            add_resource_list(&mut tmp, &restartable);
            tmp
        };
        max_resource_list(&mut init_max, &effective);
    }
    max_resource_list(&mut reqs, &init_max);
    let pod_level = resource_list(get(pod, &["spec", "resources", field]));
    for (name, q) in pod_level {
        if is_pod_level_resource(&name) {
            reqs.insert(name, q);
        }
    }
    let overhead = resource_list(get(pod, &["spec", "overhead"]));
    if is_limits {
        // Overhead is added only to limits that are set.
        for (name, q) in overhead {
            if let Some(cur) = reqs.get(&name) {
                if cur.is_positive() {
                    let sum = cur.plus(q);
                    reqs.insert(name, sum);
                }
            }
        }
    } else {
        add_resource_list(&mut reqs, &overhead);
    }
    reqs
}

/// Adds `new` into `total` (the node describer's running totals).
pub fn accumulate(total: &mut ResourceList, new: &ResourceList) {
    add_resource_list(total, new);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantity_sums_keep_the_first_format() {
        let a = Qty::parse("100m").unwrap();
        let b = Qty::parse("250m").unwrap();
        assert_eq!(a.plus(b).canonical(), "350m");
        let m = Qty::parse("100Mi")
            .unwrap()
            .plus(Qty::parse("70Mi").unwrap());
        assert_eq!(m.canonical(), "170Mi");
        let odd = Qty::parse("1Ki").unwrap().plus(Qty::parse("1").unwrap());
        assert_eq!(odd.canonical(), "1025");
        assert_eq!(Qty::parse("2").unwrap().canonical(), "2");
        assert_eq!(Qty::ZERO.canonical(), "0");
        assert_eq!(Qty::parse("1e3").unwrap().canonical(), "1e3");
        assert_eq!(Qty::parse("1.5").unwrap().milli_value(), 1500);
        assert_eq!(Qty::parse("1Gi").unwrap().value(), 1 << 30);
    }

    #[test]
    fn selectors_print_and_match() {
        let sel = json!({"matchLabels": {"k8s-app": "kube-dns"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]},
                                 {"key": "legacy", "operator": "DoesNotExist"}]});
        let s = label_selector(Some(&sel)).unwrap();
        assert_eq!(s.to_text(), "k8s-app=kube-dns,!legacy,tier in (a,b)");
        let mut labels = BTreeMap::new();
        labels.insert("k8s-app".to_string(), "kube-dns".to_string());
        labels.insert("tier".to_string(), "a".to_string());
        assert!(s.matches(&labels));
        labels.insert("legacy".to_string(), "x".to_string());
        assert!(!s.matches(&labels));
        assert_eq!(format_label_selector(None), "<none>");
        assert_eq!(format_label_selector(Some(&json!({}))), "<none>");
        let bad = json!({"matchExpressions": [{"key": "a", "operator": "Near"}]});
        assert_eq!(format_label_selector(Some(&bad)), "<error>");
    }

    #[test]
    fn timestamps() {
        let t = parse_time("2026-11-22T08:00:00Z");
        assert_eq!(rfc1123z(t), "Sun, 22 Nov 2026 08:00:00 +0000");
        assert_eq!(rfc1123z(None), "Mon, 01 Jan 0001 00:00:00 +0000");
        assert_eq!(age(t, SimTime(65_000)), "65s");
        let future = parse_time("2026-11-22T08:00:30Z");
        assert_eq!(age(future, SimTime(0)), "<invalid>");
        let soon = parse_time("2026-11-22T08:00:01Z");
        assert_eq!(age(soon, SimTime(500)), "0s");
        assert_eq!(age(None, SimTime(0)), "<unknown>");
    }

    #[test]
    fn pod_requests_follow_component_helpers() {
        let pod = json!({"spec": {
            "containers": [
                {"resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}},
                {"resources": {"requests": {"cpu": "50m"}}}
            ],
            "initContainers": [
                {"resources": {"requests": {"cpu": "500m"}}},
                {"restartPolicy": "Always", "resources": {"requests": {"memory": "10Mi"}}}
            ]
        }});
        let reqs = pod_resources(&pod, "requests");
        assert_eq!(reqs["cpu"].canonical(), "500m");
        assert_eq!(reqs["memory"].canonical(), "74Mi");
        assert!(pod_resources(&pod, "limits").is_empty());
    }

    #[test]
    fn go_int64_conversions() {
        assert_eq!(go_int64(12.9), 12);
        assert_eq!(go_int64(-1.5), -1);
        assert_eq!(go_int64(f64::NAN), i64::MIN);
        assert_eq!(go_int64(f64::INFINITY), i64::MIN);
    }
}
