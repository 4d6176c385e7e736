//! Which fields a Kubernetes type accepts at each place of an object, and the closest one to
//! a misspelt name ("did you mean").
//!
//! The field lists come from the types' own deserializers: every generated struct hands the
//! names it knows to `deserialize_struct`, so decoding an object through a deserializer that
//! writes those lists down tells, for each object in it, what could have been written there.
//! Nothing is listed by hand, so the suggestions always match the decoder the kubelet uses.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

use crate::apiserver::validation::Step;

/// For each path of `object` that `T` decodes as a struct, the field names that struct has.
///
/// Decoding stops at the first value of the wrong type; the paths read until then are kept.
pub fn struct_fields<T: DeserializeOwned>(
    object: &Value,
) -> BTreeMap<Vec<Step>, &'static [&'static str]> {
    let found = RefCell::new(BTreeMap::new());
    let recorder = Recorder {
        value: object,
        path: Vec::new(),
        found: &found,
    };
    // A type error only ends the walk early; what was recorded until then is still right.
    let _ = T::deserialize(recorder);
    found.into_inner()
}

/// The candidate closest to `name`, if it is close enough to be a slip of the keyboard:
/// letters swapped, dropped, doubled or mistyped, or the wrong case.
pub fn did_you_mean<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let wanted: Vec<char> = name.to_lowercase().chars().collect();
    // Short names get less room: "nmae" is "name", but "arg" is not "env".
    let allowed = match wanted.len() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if *candidate == name {
            continue;
        }
        let other: Vec<char> = candidate.to_lowercase().chars().collect();
        let distance = edit_distance(&wanted, &other);
        if distance > allowed {
            continue;
        }
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost one.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    rows[a.len() * width + b.len()]
}

type Found = RefCell<BTreeMap<Vec<Step>, &'static [&'static str]>>;

/// A deserializer over a JSON value that writes down every struct's field list by path.
struct Recorder<'v, 'f> {
    value: &'v Value,
    path: Vec<Step>,
    found: &'f Found,
}

impl<'de, 'f> Deserializer<'de> for Recorder<'de, 'f> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
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
            Value::Array(items) => visitor.visit_seq(Items {
                items: items.iter().enumerate(),
                path: self.path,
                found: self.found,
            }),
            Value::Object(map) => visitor.visit_map(Entries {
                entries: map.iter(),
                pending: None,
                path: self.path,
                found: self.found,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.found.borrow_mut().insert(self.path.clone(), fields);
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // No struct inside an enum matters for suggestions; serde_json decodes it as usual.
        self.value.clone().deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

struct Items<'v, 'f> {
    items: std::iter::Enumerate<std::slice::Iter<'v, Value>>,
    path: Vec<Step>,
    found: &'f Found,
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
        let mut path = self.path.clone();
        path.push(Step::Index(idx));
        seed.deserialize(Recorder {
            value,
            path,
            found: self.found,
        })
        .map(Some)
    }
}

struct Entries<'v, 'f> {
    entries: serde_json::map::Iter<'v>,
    pending: Option<(&'v String, &'v Value)>,
    path: Vec<Step>,
    found: &'f Found,
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
        let mut path = self.path.clone();
        path.push(Step::Key(key.clone()));
        seed.deserialize(Recorder {
            value,
            path,
            found: self.found,
        })
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1 as corev1;
    use serde_json::json;

    use super::*;

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
        let container = [
            Step::Key("spec".into()),
            Step::Key("containers".into()),
            Step::Index(0),
        ];
        assert!(at(&container).contains(&"imagePullPolicy"));
        let mut port = container.to_vec();
        port.extend([Step::Key("ports".into()), Step::Index(0)]);
        assert!(at(&port).contains(&"containerPort"));
        // Maps are not structs: labels has no field list.
        let labels = [Step::Key("metadata".into()), Step::Key("labels".into())];
        assert!(!fields.contains_key(labels.as_slice()));
    }

    #[test]
    fn suggests_near_misses_only() {
        let fields = ["image", "imagePullPolicy", "name", "env", "envFrom", "args"];
        assert_eq!(
            did_you_mean("imagePullPolcy", &fields),
            Some("imagePullPolicy")
        );
        assert_eq!(
            did_you_mean("ImagePullPolicy", &fields),
            Some("imagePullPolicy")
        );
        assert_eq!(did_you_mean("nmae", &fields), Some("name"));
        assert_eq!(did_you_mean("imgae", &fields), Some("image"));
        assert_eq!(did_you_mean("volumes", &fields), None);
        assert_eq!(did_you_mean("arg", &fields), Some("args"));
        assert_eq!(did_you_mean("xyz", &fields), None);
    }
}
