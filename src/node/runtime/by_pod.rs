//! The runtime's containers and sandboxes by pod UID. The kubelet asks for one pod's
//! containers and sandboxes on every status pass over every pod; walking all of them for each
//! made a node of many pods quadratic.

use std::collections::{BTreeMap, BTreeSet};

/// Ids by pod UID, each pod's in id order (the order a full walk of the runtime gives).
#[derive(Debug, Clone, Default)]
pub struct ByPod {
    ids: BTreeMap<String, BTreeSet<String>>,
}

impl ByPod {
    /// Notes that `id` belongs to the pod `uid`.
    pub fn insert(&mut self, uid: &str, id: &str) {
        self.ids
            .entry(uid.to_string())
            .or_default()
            .insert(id.to_string());
    }

    /// Forgets `id` of the pod `uid`.
    pub fn remove(&mut self, uid: &str, id: &str) {
        if let Some(ids) = self.ids.get_mut(uid) {
            ids.remove(id);
            if ids.is_empty() {
                self.ids.remove(uid);
            }
        }
    }

    /// The ids of the pod `uid`, in id order.
    pub fn of(&self, uid: &str) -> impl Iterator<Item = &String> {
        self.ids.get(uid).into_iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kept_per_pod_in_order_until_removed() {
        let mut by_pod = ByPod::default();
        by_pod.insert("u1", "b");
        by_pod.insert("u1", "a");
        by_pod.insert("u2", "c");
        assert_eq!(by_pod.of("u1").collect::<Vec<_>>(), ["a", "b"]);
        by_pod.remove("u1", "a");
        by_pod.remove("u1", "b");
        assert_eq!(by_pod.of("u1").count(), 0);
        assert_eq!(by_pod.of("u2").collect::<Vec<_>>(), ["c"]);
        assert!(!by_pod.ids.contains_key("u1"));
    }
}
