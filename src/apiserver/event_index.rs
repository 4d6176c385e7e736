//! An index of the stored Events by their aggregate key (source, involved object, type and
//! reason: client-go's `EventAggregatorByReasonFunc`), so recording an event looks at the
//! events it may correlate with instead of every event in the namespace. A pod with a
//! thousand containers records thousands of events; scanning them all for each made that
//! quadratic.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value;

use crate::apiserver::store::{ObjectKey, Resource};

/// The fields of an aggregate key, in a fixed order: source component, source host,
/// involved kind, namespace, name, UID and apiVersion, type, reason.
pub type AggregateKey<'a> = [&'a str; 9];

/// The Events of one (namespace, aggregate key) hash: by message, then by field path.
pub type ByMessage = BTreeMap<String, BTreeMap<String, BTreeSet<ObjectKey>>>;

/// Stored Events by a hash of (their namespace, their aggregate key), then by message and
/// field path: the two questions recording asks (how many distinct messages are similar; is
/// there an event with this exact key) each look at a handful of entries. A hash can
/// collide: callers compare the real key of every event they take.
#[derive(Debug, Clone, Default)]
pub struct EventIndex {
    by_key: BTreeMap<u64, ByMessage>,
}

impl EventIndex {
    /// Notes a stored Event (`value` is what is stored at `key`).
    pub fn insert(&mut self, key: &ObjectKey, value: &Value) {
        if key.resource == Resource::Events {
            let (hash, message, field_path) = place(key, value);
            self.by_key
                .entry(hash)
                .or_default()
                .entry(message.to_string())
                .or_default()
                .entry(field_path.to_string())
                .or_default()
                .insert(key.clone());
        }
    }

    /// Forgets a stored Event (`value` is what was stored at `key`).
    pub fn remove(&mut self, key: &ObjectKey, value: &Value) {
        if key.resource != Resource::Events {
            return;
        }
        let (hash, message, field_path) = place(key, value);
        let Some(by_message) = self.by_key.get_mut(&hash) else {
            return;
        };
        if let Some(by_path) = by_message.get_mut(message) {
            if let Some(keys) = by_path.get_mut(field_path) {
                keys.remove(key);
                if keys.is_empty() {
                    by_path.remove(field_path);
                }
            }
            if by_path.is_empty() {
                by_message.remove(message);
            }
        }
        if by_message.is_empty() {
            self.by_key.remove(&hash);
        }
    }

    /// The Events in `namespace` that may have the aggregate key `wanted`.
    pub fn like(&self, namespace: &str, wanted: &AggregateKey<'_>) -> Option<&ByMessage> {
        self.by_key.get(&hash(namespace, wanted))
    }
}

/// Where an Event goes in the index: its hash, message and field path.
fn place<'a>(key: &ObjectKey, value: &'a Value) -> (u64, &'a str, &'a str) {
    (
        hash(&key.namespace, &key_of_value(value)),
        value["message"].as_str().unwrap_or_default(),
        value["involvedObject"]["fieldPath"]
            .as_str()
            .unwrap_or_default(),
    )
}

/// The aggregate key of a stored Event, read from its JSON (absent fields are empty, as the
/// typed reading gives them).
fn key_of_value(value: &Value) -> AggregateKey<'_> {
    fn text(v: &Value) -> &str {
        v.as_str().unwrap_or_default()
    }
    let source = &value["source"];
    let involved = &value["involvedObject"];
    [
        text(&source["component"]),
        text(&source["host"]),
        text(&involved["kind"]),
        text(&involved["namespace"]),
        text(&involved["name"]),
        text(&involved["uid"]),
        text(&involved["apiVersion"]),
        text(&value["type"]),
        text(&value["reason"]),
    ]
}

/// A deterministic hash of a namespace and an aggregate key.
fn hash(namespace: &str, key: &AggregateKey<'_>) -> u64 {
    let mut hasher = DefaultHasher::new();
    namespace.hash(&mut hasher);
    key.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(reason: &str, message: &str, path: &str) -> Value {
        serde_json::json!({
            "metadata": {"name": "x", "namespace": "default"},
            "source": {"component": "kubelet", "host": "node01"},
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web", "uid": "u1", "apiVersion": "v1", "fieldPath": path},
            "type": "Normal",
            "reason": reason,
            "message": message,
        })
    }

    const PULLED: AggregateKey<'static> = [
        "kubelet", "node01", "Pod", "default", "web", "u1", "v1", "Normal", "Pulled",
    ];

    fn keys(index: &EventIndex, namespace: &str) -> Vec<(String, String, Vec<String>)> {
        let mut out = Vec::new();
        for (message, by_path) in index.like(namespace, &PULLED).into_iter().flatten() {
            for (path, keys) in by_path {
                let names = keys.iter().map(|k| k.name.clone()).collect();
                out.push((message.clone(), path.clone(), names));
            }
        }
        out
    }

    #[test]
    fn events_are_found_by_aggregate_key_message_and_field_path_until_removed() {
        let mut index = EventIndex::default();
        let a = ObjectKey::new(Resource::Events, "default", "web.2");
        let b = ObjectKey::new(Resource::Events, "default", "web.1");
        let c = ObjectKey::new(Resource::Events, "default", "web.4");
        let other = ObjectKey::new(Resource::Events, "default", "web.3");
        index.insert(&a, &event("Pulled", "present", "spec.containers{a}"));
        index.insert(&b, &event("Pulled", "present", "spec.containers{a}"));
        index.insert(&c, &event("Pulled", "present", "spec.containers{b}"));
        index.insert(&other, &event("Started", "started", "spec.containers{a}"));
        let s = |v: &str| v.to_string();
        assert_eq!(
            keys(&index, "default"),
            vec![
                (
                    s("present"),
                    s("spec.containers{a}"),
                    vec![s("web.1"), s("web.2")]
                ),
                (s("present"), s("spec.containers{b}"), vec![s("web.4")]),
            ]
        );
        assert!(keys(&index, "kube-system").is_empty());
        index.remove(&b, &event("Pulled", "present", "spec.containers{a}"));
        index.remove(&c, &event("Pulled", "present", "spec.containers{b}"));
        assert_eq!(
            keys(&index, "default"),
            vec![(s("present"), s("spec.containers{a}"), vec![s("web.2")])]
        );
        index.remove(&a, &event("Pulled", "present", "spec.containers{a}"));
        assert!(index.like("default", &PULLED).is_none());
    }

    #[test]
    fn other_resources_are_not_indexed() {
        let mut index = EventIndex::default();
        let pod = ObjectKey::new(Resource::Pods, "default", "web");
        index.insert(&pod, &event("Pulled", "present", ""));
        assert!(index.like("default", &PULLED).is_none());
    }
}
