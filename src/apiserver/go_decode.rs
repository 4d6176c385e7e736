//! Decoding a JSON value into a Kubernetes type as Go's JSON codec does (`sigs.k8s.io/json`,
//! the fork of `encoding/json` the kubelet's and the API server's serializer run), through the
//! type's own deserializer: what Go accepts, and the first type error in Go's words
//! (`json: cannot unmarshal number into Go struct field Container.spec.containers.args of
//! type string`) with the path of the value at fault.
//!
//! Everything else decodes k8s types from a borrowed `serde_json::Value`, and that stays the
//! fast path. This walker is the only other deserializer the types are compiled for, so each
//! type's decoding exists twice and not three times: callers run it when the fast path fails,
//! to say why as Go would, and the manifest editor runs it to list each struct's fields.
//!
//! Go is more lenient than serde in two places, and the walker follows Go: `null` where a
//! string, number, boolean, list or struct is expected leaves the zero value, and a number
//! written with a zero fraction (`80.0`, which `yaml.ToJSON` writes as `80`) fills an integer.
//!
//! Simplified (written down in the README's fidelity notes too):
//! - Go keeps decoding after a type error and reports the earliest one once it is done; the
//!   walker stops at the first, which is the same one unless a later value fails in a way that
//!   is not a type error (a custom unmarshaler's error), which Go reports instead.
//! - Go names a field's type with its Go name. The walker derives it from what the type's
//!   deserializer asks for (`string`, `int32`, `[]v1.Container`, `map[string]string`), and
//!   knows the named string types (`v1.PullPolicy`, ...) and `v1.ResourceList` of the pod's
//!   types from [`NAMED`]; a field of a named type missing there is called `string`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, Expected, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

use crate::apiserver::helpers::go_json_type;
use crate::apiserver::validation::Step;

/// Why a value does not decode, in Go's words, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Go's error text (`json: cannot unmarshal ...`).
    pub message: String,
    /// The value at fault: struct fields, map keys and list indices from the root.
    pub path: Vec<Step>,
}

/// `value` decoded as `T` the way Go's JSON codec decodes it.
pub fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, DecodeError> {
    let shared = RefCell::new(Shared::default());
    let res = T::deserialize(Walker::root(value, &shared));
    match res {
        Ok(typed) => Ok(typed),
        Err(err) => Err(shared.into_inner().failure.unwrap_or(DecodeError {
            message: err.to_string(),
            path: Vec::new(),
        })),
    }
}

/// For each path of `object` that `T` decodes as a struct, the field names that struct has.
///
/// Decoding stops at the first value of the wrong type; the paths read until then are kept.
pub fn struct_fields<T: DeserializeOwned>(
    object: &Value,
) -> BTreeMap<Vec<Step>, &'static [&'static str]> {
    let shared = RefCell::new(Shared {
        fields: Some(BTreeMap::new()),
        ..Shared::default()
    });
    // A type error only ends the walk early; what was recorded until then is still right.
    let _ = T::deserialize(Walker::root(object, &shared));
    shared.into_inner().fields.unwrap_or_default()
}

/// Fields of the pod's types whose Go type is a named one: (struct, field, Go type). A named
/// string type names the strings the field holds (each item's, for a list); `v1.ResourceList`
/// names the whole map.
const NAMED: &[(&str, &str, &str)] = &[
    ("AppArmorProfile", "type", "v1.AppArmorProfileType"),
    ("Capabilities", "add", "v1.Capability"),
    ("Capabilities", "drop", "v1.Capability"),
    ("Container", "imagePullPolicy", "v1.PullPolicy"),
    ("Container", "restartPolicy", "v1.ContainerRestartPolicy"),
    (
        "Container",
        "terminationMessagePolicy",
        "v1.TerminationMessagePolicy",
    ),
    ("ContainerPort", "protocol", "v1.Protocol"),
    ("ContainerResizePolicy", "resourceName", "v1.ResourceName"),
    (
        "ContainerResizePolicy",
        "restartPolicy",
        "v1.ResourceResizeRestartPolicy",
    ),
    ("EmptyDirVolumeSource", "medium", "v1.StorageMedium"),
    ("EphemeralContainer", "imagePullPolicy", "v1.PullPolicy"),
    (
        "EphemeralContainer",
        "terminationMessagePolicy",
        "v1.TerminationMessagePolicy",
    ),
    ("HTTPGetAction", "scheme", "v1.URIScheme"),
    ("HostPathVolumeSource", "type", "v1.HostPathType"),
    (
        "LabelSelectorRequirement",
        "operator",
        "v1.LabelSelectorOperator",
    ),
    (
        "NodeSelectorRequirement",
        "operator",
        "v1.NodeSelectorOperator",
    ),
    ("ObjectMeta", "uid", "types.UID"),
    ("PodCondition", "status", "v1.ConditionStatus"),
    ("PodCondition", "type", "v1.PodConditionType"),
    ("PodOS", "name", "v1.OSName"),
    (
        "PodSecurityContext",
        "fsGroupChangePolicy",
        "v1.PodFSGroupChangePolicy",
    ),
    (
        "PodSecurityContext",
        "seLinuxChangePolicy",
        "v1.PodSELinuxChangePolicy",
    ),
    (
        "PodSecurityContext",
        "supplementalGroupsPolicy",
        "v1.SupplementalGroupsPolicy",
    ),
    ("PodSpec", "dnsPolicy", "v1.DNSPolicy"),
    ("PodSpec", "overhead", "v1.ResourceList"),
    ("PodSpec", "preemptionPolicy", "v1.PreemptionPolicy"),
    ("PodSpec", "restartPolicy", "v1.RestartPolicy"),
    ("PodStatus", "phase", "v1.PodPhase"),
    ("PodStatus", "qosClass", "v1.PodQOSClass"),
    ("ResourceRequirements", "limits", "v1.ResourceList"),
    ("ResourceRequirements", "requests", "v1.ResourceList"),
    ("SeccompProfile", "type", "v1.SeccompProfileType"),
    ("SecurityContext", "procMount", "v1.ProcMountType"),
    ("Toleration", "effect", "v1.TaintEffect"),
    ("Toleration", "operator", "v1.TolerationOperator"),
    (
        "TopologySpreadConstraint",
        "nodeAffinityPolicy",
        "v1.NodeInclusionPolicy",
    ),
    (
        "TopologySpreadConstraint",
        "nodeTaintsPolicy",
        "v1.NodeInclusionPolicy",
    ),
    (
        "TopologySpreadConstraint",
        "whenUnsatisfiable",
        "v1.UnsatisfiableConstraintAction",
    ),
    ("VolumeMount", "mountPropagation", "v1.MountPropagationMode"),
    (
        "VolumeMount",
        "recursiveReadOnly",
        "v1.RecursiveReadOnlyMode",
    ),
];

/// `ParseQuantity`'s complaint about text that is not a quantity (`ErrFormatWrong`), which
/// Go's `Quantity.UnmarshalJSON` returns for a boolean, a list or an object.
const QUANTITY_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// What a walk found: the first failure, the struct field lists (when asked for) and the
/// answer of the last type probe.
#[derive(Default)]
struct Shared {
    failure: Option<DecodeError>,
    fields: Option<BTreeMap<Vec<Step>, &'static [&'static str]>>,
    probe: Option<String>,
}

/// Where the walk is, as Go's error context keeps it and as the editor needs it.
#[derive(Clone, Default)]
struct Place<'v> {
    /// Every step from the root: struct fields, map keys and list indices.
    path: Vec<Step>,
    /// Only the struct fields, which is the path Go's type errors print.
    go_fields: Vec<&'v str>,
    /// The struct the innermost field belongs to (Go's `Struct`), once inside one.
    owner: Option<&'static str>,
    /// Lists and maps entered since that field: 0 means the field's own value.
    nested: usize,
}

impl<'v> Place<'v> {
    fn item(&self, idx: usize) -> Place<'v> {
        let mut place = self.clone();
        place.path.push(Step::Index(idx));
        place.nested += 1;
        place
    }

    fn map_value(&self, key: &str) -> Place<'v> {
        let mut place = self.clone();
        place.path.push(Step::Key(key.to_string()));
        place.nested += 1;
        place
    }

    fn field(&self, owner: &'static str, key: &'v str) -> Place<'v> {
        let mut place = self.clone();
        place.path.push(Step::Key(key.to_string()));
        place.go_fields.push(key);
        place.owner = Some(owner);
        place.nested = 0;
        place
    }

    /// The named Go type of the current field, if [`NAMED`] knows one.
    fn named(&self) -> Option<&'static str> {
        let owner = self.owner?;
        let field = *self.go_fields.last()?;
        NAMED
            .iter()
            .find(|(o, f, _)| *o == owner && *f == field)
            .map(|(_, _, go)| *go)
    }
}

/// A deserializer over a JSON value with Go's decoding rules. Without a value it is a probe:
/// it answers only which Go type the deserializer asked for, then fails.
struct Walker<'v, 's> {
    value: Option<&'v Value>,
    place: Place<'v>,
    shared: &'s RefCell<Shared>,
}

impl<'v, 's> Walker<'v, 's> {
    fn root(value: &'v Value, shared: &'s RefCell<Shared>) -> Walker<'v, 's> {
        Walker {
            value: Some(value),
            place: Place::default(),
            shared,
        }
    }

    fn at(&self, value: Option<&'v Value>, place: Place<'v>) -> Walker<'v, 's> {
        Walker {
            value,
            place,
            shared: self.shared,
        }
    }

    /// Keeps `message` as the walk's failure unless an inner value failed first.
    fn record(&self, message: String) -> serde_json::Error {
        let mut shared = self.shared.borrow_mut();
        if shared.failure.is_none() {
            shared.failure = Some(DecodeError {
                message: message.clone(),
                path: self.place.path.clone(),
            });
        }
        de::Error::custom(message)
    }

    /// A visitor's own error (a value Go and serde both refuse for a reason other than its
    /// JSON type) is kept at the innermost place it came out of.
    fn checked<T>(&self, res: Result<T, serde_json::Error>) -> Result<T, serde_json::Error> {
        if let Err(err) = &res {
            self.record(err.to_string());
        }
        res
    }

    /// Go's `UnmarshalTypeError`: `got` (`number`, `string`, ...) where `go_type` was wanted.
    fn type_error<T>(&self, got: &str, go_type: &str) -> Result<T, serde_json::Error> {
        let message = match self.place.owner {
            Some(owner) => format!(
                "json: cannot unmarshal {got} into Go struct field {owner}.{} of type {go_type}",
                self.place.go_fields.join(".")
            ),
            None => format!("json: cannot unmarshal {got} into Go value of type {go_type}"),
        };
        Err(self.record(message))
    }

    /// The probe's answer.
    fn answer<T>(&self, go_type: String) -> Result<T, serde_json::Error> {
        self.shared.borrow_mut().probe = Some(go_type);
        Err(de::Error::custom("probe"))
    }

    fn probe(&self, nested: Place<'v>) -> Walker<'v, 's> {
        self.at(None, nested)
    }

    /// The Go type of a list, found by probing what its items decode as.
    fn list_type<V: Visitor<'v>>(&self, visitor: V) -> String {
        self.shared.borrow_mut().probe = None;
        let _ = visitor.visit_seq(ProbeItems {
            probe: Some(self.probe(self.place.item(0))),
        });
        let item = self.shared.borrow_mut().probe.take();
        format!("[]{}", item.as_deref().unwrap_or("interface {}"))
    }

    /// The Go type of a map: a named one, or `map[string]` and what its values decode as.
    fn map_type<V: Visitor<'v>>(&self, visitor: V) -> String {
        if self.place.nested == 0 {
            if let Some(named) = self.place.named() {
                return named.to_string();
            }
        }
        self.shared.borrow_mut().probe = None;
        let _ = visitor.visit_map(ProbeEntries {
            probe: Some(self.probe(self.place.map_value(""))),
            value_next: false,
        });
        let value = self.shared.borrow_mut().probe.take();
        format!("map[string]{}", value.as_deref().unwrap_or("interface {}"))
    }

    /// The Go type of a string field: its named type, or `string`.
    fn string_type(&self) -> &'static str {
        match self.place.named() {
            Some("v1.ResourceList") | None => "string",
            Some(named) => named,
        }
    }

    /// An integer of at most `bits` bits (`signed` or not) as Go decodes one.
    fn integer<V: Visitor<'v>>(
        self,
        visitor: V,
        go_type: &'static str,
        (min, max): (i128, i128),
    ) -> Result<V::Value, serde_json::Error> {
        let Some(value) = self.value else {
            return self.answer(go_type.to_string());
        };
        match value {
            Value::Null => visitor.visit_u64(0),
            Value::Number(n) => match integral(n) {
                Some(i) if min <= i && i <= max => {
                    let res = match u64::try_from(i) {
                        Ok(u) => visitor.visit_u64(u),
                        Err(_) => visitor.visit_i64(i as i64),
                    };
                    self.checked(res)
                }
                _ => self.type_error(&format!("number {n}"), go_type),
            },
            other => self.type_error(go_json_type(other), go_type),
        }
    }
}

/// The number as an integer if Go would read its JSON text as one: an integer, or a float
/// with no fraction that `yaml.ToJSON` writes without a decimal point (below 1e21).
fn integral(n: &serde_json::Number) -> Option<i128> {
    if let Some(i) = n.as_i64() {
        return Some(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(i128::from(u));
    }
    let f = n.as_f64()?;
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return Some(f as i128);
    }
    None
}

/// The object a `null` decodes as: no entries.
fn empty_map() -> &'static serde_json::Map<String, Value> {
    static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(serde_json::Map::new)
}

const I32: (i128, i128) = (i32::MIN as i128, i32::MAX as i128);
const I64: (i128, i128) = (i64::MIN as i128, i64::MAX as i128);

impl<'de, 's> Deserializer<'de> for Walker<'de, 's> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        // IntOrString is the one type of the pod that takes whatever comes; Go unmarshals
        // anything but a string into its int32.
        let int_or_string = format!("{}", &visitor as &dyn Expected) == "IntOrString";
        let Some(value) = self.value else {
            return match int_or_string {
                true => self.answer("intstr.IntOrString".to_string()),
                false => self.answer("interface {}".to_string()),
            };
        };
        if int_or_string {
            return match value {
                Value::String(s) => self.checked(visitor.visit_borrowed_str(s)),
                Value::Null => visitor.visit_i64(0),
                Value::Number(n) => match integral(n) {
                    Some(i) if I32.0 <= i && i <= I32.1 => visitor.visit_i64(i as i64),
                    _ => Err(self.record(format!(
                        "json: cannot unmarshal number {n} into Go value of type int32"
                    ))),
                },
                other => Err(self.record(format!(
                    "json: cannot unmarshal {} into Go value of type int32",
                    go_json_type(other)
                ))),
            };
        }
        let res = match value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or_default())
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Items::new(&self, items)),
            Value::Object(map) => visitor.visit_map(Entries::new(&self, map, None)),
        };
        self.checked(res)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
            None => self.answer("bool".to_string()),
            Some(Value::Bool(b)) => visitor.visit_bool(*b),
            Some(Value::Null) => visitor.visit_bool(false),
            Some(other) => self.type_error(go_json_type(other), "bool"),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "int8", (-128, 127))
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "int16", (-32768, 32767))
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "int32", I32)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "int64", I64)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "int64", I64)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "uint8", (0, 255))
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "uint16", (0, 65535))
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "uint32", (0, u32::MAX as i128))
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "uint64", (0, u64::MAX as i128))
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor, "uint64", (0, u64::MAX as i128))
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
            None => self.answer("float64".to_string()),
            Some(Value::Number(n)) => visitor.visit_f64(n.as_f64().unwrap_or_default()),
            Some(Value::Null) => visitor.visit_f64(0.0),
            Some(other) => self.type_error(go_json_type(other), "float64"),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
            None => self.answer(self.string_type().to_string()),
            Some(Value::String(s)) => self.checked(visitor.visit_borrowed_str(s)),
            Some(Value::Null) => self.checked(visitor.visit_str("")),
            Some(other) => self.type_error(go_json_type(other), self.string_type()),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        // A pointer in Go: its type errors name the type pointed to, so the probe goes on.
        match self.value {
            Some(Value::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let go_type = match name {
            "Quantity" => "resource.Quantity",
            "Time" => "v1.Time",
            "MicroTime" => "v1.MicroTime",
            _ => return visitor.visit_newtype_struct(self),
        };
        let Some(value) = self.value else {
            return self.answer(go_type.to_string());
        };
        match (go_type, value) {
            // `Quantity.UnmarshalJSON` parses whatever text it is given, quoted or not.
            ("resource.Quantity", Value::Bool(_) | Value::Array(_) | Value::Object(_)) => {
                Err(self.record(QUANTITY_FORMAT.to_string()))
            }
            // `Time.UnmarshalJSON` unmarshals a string first.
            (
                "v1.Time" | "v1.MicroTime",
                Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_),
            ) => Err(self.record(format!(
                "json: cannot unmarshal {} into Go value of type string",
                go_json_type(value)
            ))),
            _ => {
                let walker = self.at(self.value, self.place.clone());
                self.checked(visitor.visit_newtype_struct(walker))
            }
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
            None => {
                let go_type = self.list_type(visitor);
                self.answer(go_type)
            }
            Some(Value::Array(items)) => {
                let res = visitor.visit_seq(Items::new(&self, items));
                self.checked(res)
            }
            Some(Value::Null) => {
                let res = visitor.visit_seq(Items::new(&self, &[]));
                self.checked(res)
            }
            Some(other) => {
                let go_type = self.list_type(visitor);
                self.type_error(go_json_type(other), &go_type)
            }
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
            None => {
                let go_type = self.map_type(visitor);
                self.answer(go_type)
            }
            Some(Value::Object(map)) => {
                let res = visitor.visit_map(Entries::new(&self, map, None));
                self.checked(res)
            }
            Some(Value::Null) => {
                let res = visitor.visit_map(Entries::new(&self, empty_map(), None));
                self.checked(res)
            }
            Some(other) => {
                let go_type = self.map_type(visitor);
                self.type_error(go_json_type(other), &go_type)
            }
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let Some(value) = self.value else {
            return self.answer(format!("v1.{name}"));
        };
        if let Some(found) = &mut self.shared.borrow_mut().fields {
            found.insert(self.place.path.clone(), fields);
        }
        let map = match value {
            Value::Object(map) => map,
            Value::Null => empty_map(),
            other => return self.type_error(go_json_type(other), &format!("v1.{name}")),
        };
        let res = visitor.visit_map(Entries::new(&self, map, Some(name)));
        self.checked(res)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value {
            None => self.answer("string".to_string()),
            Some(value) => self.checked(value.deserialize_enum(name, variants, visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        // Go skips what no field takes without looking at it.
        visitor.visit_unit()
    }
}

/// A list's items, each walked at its index.
struct Items<'v, 's> {
    items: std::iter::Enumerate<std::slice::Iter<'v, Value>>,
    parent: Walker<'v, 's>,
}

impl<'v, 's> Items<'v, 's> {
    fn new(parent: &Walker<'v, 's>, items: &'v [Value]) -> Items<'v, 's> {
        Items {
            items: items.iter().enumerate(),
            parent: parent.at(parent.value, parent.place.clone()),
        }
    }
}

impl<'de> SeqAccess<'de> for Items<'de, '_> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        let Some((idx, value)) = self.items.next() else {
            return Ok(None);
        };
        let place = self.parent.place.item(idx);
        seed.deserialize(self.parent.at(Some(value), place))
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An object's entries: a struct's fields (which Go's errors name) or a map's keys.
struct Entries<'v, 's> {
    entries: serde_json::map::Iter<'v>,
    pending: Option<(&'v String, &'v Value)>,
    owner: Option<&'static str>,
    parent: Walker<'v, 's>,
}

impl<'v, 's> Entries<'v, 's> {
    fn new(
        parent: &Walker<'v, 's>,
        map: &'v serde_json::Map<String, Value>,
        owner: Option<&'static str>,
    ) -> Entries<'v, 's> {
        Entries {
            entries: map.iter(),
            pending: None,
            owner,
            parent: parent.at(parent.value, parent.place.clone()),
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'de, '_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some((key, value));
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom(
                "a map value was asked for before its key",
            ));
        };
        let place = match self.owner {
            Some(owner) => self.parent.place.field(owner, key),
            None => self.parent.place.map_value(key),
        };
        seed.deserialize(self.parent.at(Some(value), place))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// One probe item: asks the list's item type, then ends the list.
struct ProbeItems<'v, 's> {
    probe: Option<Walker<'v, 's>>,
}

impl<'de> SeqAccess<'de> for ProbeItems<'de, '_> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        match self.probe.take() {
            Some(probe) => seed.deserialize(probe).map(Some),
            None => Ok(None),
        }
    }
}

/// One probe entry: a key, then a probe for the map's value type.
struct ProbeEntries<'v, 's> {
    probe: Option<Walker<'v, 's>>,
    value_next: bool,
}

impl<'de> MapAccess<'de> for ProbeEntries<'de, '_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        if self.probe.is_none() {
            return Ok(None);
        }
        self.value_next = true;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(""))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match (self.value_next, self.probe.take()) {
            (true, Some(probe)) => seed.deserialize(probe),
            _ => Err(de::Error::custom(
                "a map value was asked for before its key",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1 as corev1;
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    fn pod_error(spec: Value) -> DecodeError {
        let pod =
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": spec});
        decode::<corev1::Pod>(&pod).unwrap_err()
    }

    fn key(name: &str) -> Step {
        Step::Key(name.to_string())
    }

    #[test]
    fn type_errors_are_gos_with_the_path_of_the_value() {
        let err = pod_error(
            json!({"containers": [{"name": "web", "image": "busybox", "args": ["sleep", 3600]}]}),
        );
        assert_eq!(
            err.message,
            "json: cannot unmarshal number into Go struct field Container.spec.containers.args of type string"
        );
        assert_eq!(
            err.path,
            [
                key("spec"),
                key("containers"),
                Step::Index(0),
                key("args"),
                Step::Index(1)
            ]
        );
        let err = pod_error(
            json!({"containers": [{"name": "web", "ports": [{"containerPort": "eighty"}]}]}),
        );
        assert_eq!(
            err.message,
            "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
        );
    }

    #[test]
    fn the_go_type_names_lists_maps_structs_and_named_strings() {
        let message = |spec: Value| pod_error(spec).message;
        assert_eq!(
            message(json!({"containers": [{"name": "web", "command": "sleep 1"}]})),
            "json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string"
        );
        assert_eq!(
            message(json!({"containers": "web"})),
            "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"
        );
        assert_eq!(
            message(json!({"nodeSelector": ["a"]})),
            "json: cannot unmarshal array into Go struct field PodSpec.spec.nodeSelector of type map[string]string"
        );
        assert_eq!(
            message(json!({"securityContext": true})),
            "json: cannot unmarshal bool into Go struct field PodSpec.spec.securityContext of type v1.PodSecurityContext"
        );
        assert_eq!(
            message(json!({"restartPolicy": 1})),
            "json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy"
        );
        assert_eq!(
            message(json!({"containers": [{"name": "a", "resources": {"limits": "1"}}]})),
            "json: cannot unmarshal string into Go struct field ResourceRequirements.spec.containers.resources.limits of type v1.ResourceList"
        );
        assert_eq!(
            message(json!({"containers": [{"name": "a", "securityContext": {"capabilities": {"add": [1]}}}]})),
            "json: cannot unmarshal number into Go struct field Capabilities.spec.containers.securityContext.capabilities.add of type v1.Capability"
        );
        assert_eq!(
            message(json!({"terminationGracePeriodSeconds": 1.5})),
            "json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64"
        );
        assert_eq!(
            message(json!({"hostNetwork": "true"})),
            "json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool"
        );
    }

    #[test]
    fn map_keys_and_indices_are_not_in_gos_field_path() {
        let pod = json!({"metadata": {"name": "web", "labels": {"tier": 1}}});
        let err = decode::<corev1::Pod>(&pod).unwrap_err();
        assert_eq!(
            err.message,
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"
        );
        assert_eq!(err.path, [key("metadata"), key("labels"), key("tier")]);
    }

    #[test]
    fn custom_unmarshalers_answer_in_their_own_words() {
        let message = |spec: Value| pod_error(spec).message;
        assert_eq!(
            message(json!({"containers": [{"name": "a", "resources": {"limits": {"cpu": true}}}]})),
            QUANTITY_FORMAT
        );
        assert_eq!(
            message(
                json!({"containers": [{"name": "a", "livenessProbe": {"httpGet": {"port": true}}}]})
            ),
            "json: cannot unmarshal bool into Go value of type int32"
        );
    }

    #[test]
    fn go_accepts_nulls_and_integral_floats_where_serde_does_not() {
        let pod = json!({"metadata": {"name": "web"}, "spec": {
            "containers": [{"name": "web", "args": ["a", null], "ports": [{"containerPort": 80.0}]}]
        }});
        assert!(corev1::Pod::deserialize(&pod).is_err());
        let pod: corev1::Pod = decode(&pod).unwrap();
        let container = &pod.spec.unwrap().containers[0];
        assert_eq!(
            container.args.as_deref(),
            Some(&["a".to_string(), String::new()][..])
        );
        assert_eq!(container.ports.as_ref().unwrap()[0].container_port, 80);
    }

    #[test]
    fn records_the_fields_of_every_struct_by_path() {
        let pod = json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"a": "b"}},
            "spec": {"containers": [{"name": "web", "image": "nginx", "imagePullPolcy": "Always",
                                      "ports": [{"containerPort": 80}]}]}
        });
        let fields = struct_fields::<corev1::Pod>(&pod);
        let at = |path: &[Step]| fields.get(path).copied().unwrap_or_default();
        assert!(at(&[]).contains(&"spec"));
        let container = [key("spec"), key("containers"), Step::Index(0)];
        assert!(at(&container).contains(&"imagePullPolicy"));
        let mut port = container.to_vec();
        port.extend([key("ports"), Step::Index(0)]);
        assert!(at(&port).contains(&"containerPort"));
        // Maps are not structs: labels has no field list.
        let labels = [key("metadata"), key("labels")];
        assert!(!fields.contains_key(labels.as_slice()));
    }
}
