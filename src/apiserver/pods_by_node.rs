//! An index of the pod changes in the watch history by the node they concern, so a kubelet's
//! `api` source (a watch with the field selector `spec.nodeName=<node>`) reads its own node's
//! changes instead of every pod change in the cluster and filtering them itself. With ten
//! nodes every kubelet used to look at ten times the changes it could act on.
//!
//! A change concerns a node when the changed object names it in `spec.nodeName`, or when any
//! earlier version of an object of the same namespace and name did: a source can only hold a
//! pod it was once sent bound to its node, so every change that can alter what it holds (a pod
//! it holds leaving, or one bound to it arriving) is listed under its node. The source still
//! decides on each listed change exactly as before; the index only spares it the others.

use std::collections::{BTreeMap, VecDeque};

use serde_json::Value;

/// Pod changes by node, as store revisions, oldest first.
#[derive(Debug, Clone, Default)]
pub struct PodsByNode {
    /// Per pod, keyed as the `api` source keys it (`namespace/name` from the object's own
    /// metadata), the nodes any stored version of it named. Kept after the pod is deleted: a
    /// source may still hold a pod whose deletion it could not decode.
    named: BTreeMap<String, Vec<String>>,
    /// Per node, the revisions of the changes that concern it. Entries older than the watch
    /// history are dropped as new ones arrive; readers never ask for them (they are too old).
    changes: BTreeMap<String, VecDeque<u64>>,
}

impl PodsByNode {
    /// Notes the pod change that made `revision`; `object` is the pod after it (before it, for a
    /// deletion). `oldest` is the oldest revision the history still keeps.
    pub fn record(&mut self, revision: u64, object: &Value, oldest: u64) {
        // What `Value::pointer` finds at `/part/field`, without parsing a pointer.
        let text = |part: &str, field: &str| {
            object
                .get(part)
                .and_then(|v| v.get(field))
                .and_then(Value::as_str)
        };
        let key = format!(
            "{}/{}",
            text("metadata", "namespace").unwrap_or_default(),
            text("metadata", "name").unwrap_or_default()
        );
        let node = text("spec", "nodeName");
        let nodes = match (self.named.get_mut(&key), node) {
            (Some(nodes), Some(node)) => {
                if !nodes.iter().any(|n| n == node) {
                    nodes.push(node.to_string());
                }
                nodes
            }
            (Some(nodes), None) => nodes,
            (None, Some(node)) => self.named.entry(key).or_insert(vec![node.to_string()]),
            (None, None) => return,
        };
        for node in nodes.iter() {
            let revisions = match self.changes.get_mut(node) {
                Some(revisions) => revisions,
                None => self.changes.entry(node.clone()).or_default(),
            };
            while revisions.front().is_some_and(|r| *r < oldest) {
                revisions.pop_front();
            }
            revisions.push_back(revision);
        }
    }

    /// The revisions after `since` of the changes that concern `node`, oldest first.
    pub fn since<'a>(&'a self, node: &str, since: u64) -> impl Iterator<Item = u64> + use<'a> {
        let revisions = self.changes.get(node);
        let from = revisions.map_or(0, |r| r.partition_point(|rev| *rev <= since));
        revisions
            .into_iter()
            .flat_map(move |r| r.range(from..))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, node: Option<&str>) -> Value {
        match node {
            Some(node) => {
                json!({"metadata": {"namespace": "default", "name": name}, "spec": {"nodeName": node}})
            }
            None => json!({"metadata": {"namespace": "default", "name": name}, "spec": {}}),
        }
    }

    fn listed(index: &PodsByNode, node: &str, since: u64) -> Vec<u64> {
        index.since(node, since).collect()
    }

    #[test]
    fn a_change_is_listed_under_every_node_its_pod_ever_named() {
        let mut index = PodsByNode::default();
        index.record(1, &pod("a", None), 1);
        index.record(2, &pod("a", Some("n1")), 1);
        index.record(3, &pod("b", Some("n2")), 1);
        // A pod that moves (only raw writes can) stays listed under its old node too, and so
        // does its deletion and a new pod of the same name.
        index.record(4, &pod("a", Some("n2")), 1);
        index.record(5, &pod("a", None), 1);
        index.record(6, &pod("c", None), 1);
        assert_eq!(listed(&index, "n1", 0), [2, 4, 5]);
        assert_eq!(listed(&index, "n2", 0), [3, 4, 5]);
        assert_eq!(listed(&index, "n2", 3), [4, 5]);
        assert_eq!(listed(&index, "n2", 5), Vec::<u64>::new());
        assert_eq!(listed(&index, "n3", 0), Vec::<u64>::new());
    }

    #[test]
    fn the_same_name_in_another_namespace_is_another_pod() {
        let mut index = PodsByNode::default();
        index.record(1, &pod("a", Some("n1")), 1);
        let other = json!({"metadata": {"namespace": "other", "name": "a"}, "spec": {}});
        index.record(2, &other, 1);
        assert_eq!(listed(&index, "n1", 0), [1]);
    }

    #[test]
    fn revisions_older_than_the_history_are_dropped_as_new_ones_arrive() {
        let mut index = PodsByNode::default();
        for revision in 1..=5 {
            index.record(revision, &pod("a", Some("n1")), 1);
        }
        index.record(9, &pod("a", Some("n1")), 4);
        assert_eq!(index.changes["n1"], [4, 5, 9]);
        assert_eq!(listed(&index, "n1", 4), [5, 9]);
    }
}
