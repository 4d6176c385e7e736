//! The runtime's containers and sandboxes by pod UID, and its containers by sandbox. The
//! kubelet asks for one pod's containers and sandboxes on every status pass over every pod,
//! and for one sandbox's containers when it collects garbage; walking all of them for each
//! made a node of many pods quadratic.

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::inline_id::InlineId;

/// Ids by owner (a pod UID or a sandbox id), each owner's in id order (the order a full walk of the runtime gives). Both
/// are kept inline, so a lookup reads only the maps' own nodes.
#[derive(Debug, Clone, Default)]
pub struct ByPod {
    ids: BTreeMap<InlineId, BTreeSet<InlineId>>,
}

impl ByPod {
    /// Notes that `id` belongs to the owner `uid`.
    pub fn insert(&mut self, uid: &str, id: &str) {
        self.ids
            .entry(InlineId::new(uid))
            .or_default()
            .insert(InlineId::new(id));
    }

    /// Forgets `id` of the owner `uid`.
    pub fn remove(&mut self, uid: &str, id: &str) {
        if let Some(ids) = self.ids.get_mut(uid) {
            ids.remove(id);
            if ids.is_empty() {
                self.ids.remove(uid);
            }
        }
    }

    /// The ids of the owner `uid`, in id order.
    pub fn of(&self, uid: &str) -> impl Iterator<Item = &str> {
        self.ids
            .get(uid)
            .into_iter()
            .flatten()
            .map(InlineId::as_str)
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
