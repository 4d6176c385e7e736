//! The scheduler's view of the pods between rounds: which count as bound (by uid, to notice a
//! bound pod going away and freeing resources) and whether any waits to be scheduled, kept up
//! to date from the store's change history. In a large, quiet cluster a round used to walk
//! every pod and build the set of bound uids afresh; now it looks at the pods that changed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::core::v1 as corev1;

use super::{needs_scheduling, uid_of};
use crate::apiserver::helpers::pod_is_terminal;
use crate::apiserver::store::{ObjectKey, Resource, Store, WatchEventType};

/// Bound uids and pending pods, as of a store revision.
#[derive(Debug, Clone, Default)]
pub(super) struct PodSets {
    /// The store revision the sets reflect; `None` until first built.
    revision: Option<u64>,
    /// Per pod, what it counts as.
    pods: BTreeMap<ObjectKey, Place>,
    /// How many pods count as bound under each uid (a uid is bound while one does).
    bound: BTreeMap<String, usize>,
    /// How many pods wait to be scheduled.
    pending: usize,
}

/// What one pod counts as.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    /// Its uid, if it counts as bound.
    bound: Option<String>,
    /// Whether it waits to be scheduled.
    pending: bool,
}

impl Place {
    fn of(pod: &corev1::Pod) -> Place {
        let pending = needs_scheduling(pod);
        let on_a_node = pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_ref())
            .is_some();
        let bound =
            (!pending && !pod_is_terminal(pod) && on_a_node).then(|| uid_of(pod).into_owned());
        Place { bound, pending }
    }
}

impl PodSets {
    /// Brings the sets up to date with `store`, whose pods are `pods` (the whole list, in key
    /// order, every one decoded). Returns the uids whose count changed, or `None` when the sets
    /// were built afresh (the first time, or when the history no longer reaches back).
    pub fn update(&mut self, store: &Store, pods: &[Arc<corev1::Pod>]) -> Option<BTreeSet<String>> {
        let since = self.revision.replace(store.revision());
        let changes = since.and_then(|since| store.changes_since(Resource::Pods, since).ok());
        let Some(changes) = changes else {
            self.rebuild(store, pods);
            return None;
        };
        // The newest change of each pod says what it is now.
        let mut newest = BTreeMap::new();
        for change in changes {
            newest.insert(&change.key, change);
        }
        let mut touched = BTreeSet::new();
        for (key, change) in newest {
            if let Some(old) = self.pods.remove(key) {
                self.forget(old, &mut touched);
            }
            if change.event_type == WatchEventType::Deleted {
                continue;
            }
            // The stored version: its decoded form is the one the list holds.
            let Some(pod) = store.decode_version::<corev1::Pod>(key, &change.object) else {
                self.rebuild(store, pods);
                return None;
            };
            self.note(key.clone(), &pod, &mut touched);
        }
        Some(touched)
    }

    /// Whether a pod with this uid counts as bound.
    pub fn is_bound(&self, uid: &str) -> bool {
        self.bound.contains_key(uid)
    }

    /// The uids of the pods that count as bound.
    pub fn bound(&self) -> impl Iterator<Item = &String> {
        self.bound.keys()
    }

    /// Whether some pod waits to be scheduled.
    pub fn any_pending(&self) -> bool {
        self.pending > 0
    }

    fn rebuild(&mut self, store: &Store, pods: &[Arc<corev1::Pod>]) {
        self.pods.clear();
        self.bound.clear();
        self.pending = 0;
        let mut touched = BTreeSet::new();
        for (key, pod) in store.keys(Resource::Pods, None).zip(pods) {
            self.note(key.clone(), pod, &mut touched);
        }
    }

    fn note(&mut self, key: ObjectKey, pod: &corev1::Pod, touched: &mut BTreeSet<String>) {
        let place = Place::of(pod);
        if let Some(uid) = &place.bound {
            *self.bound.entry(uid.clone()).or_default() += 1;
            touched.insert(uid.clone());
        }
        self.pending += usize::from(place.pending);
        self.pods.insert(key, place);
    }

    fn forget(&mut self, place: Place, touched: &mut BTreeSet<String>) {
        if let Some(uid) = place.bound {
            if let Some(count) = self.bound.get_mut(&uid) {
                *count -= 1;
                if *count == 0 {
                    self.bound.remove(&uid);
                }
            }
            touched.insert(uid);
        }
        self.pending -= usize::from(place.pending);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn pod(name: &str, uid: &str, node: Option<&str>, phase: &str) -> Value {
        let mut spec = json!({"containers": []});
        if let Some(node) = node {
            spec["nodeName"] = json!(node);
        }
        json!({
            "metadata": {"namespace": "default", "name": name, "uid": uid},
            "spec": spec,
            "status": {"phase": phase},
        })
    }

    fn key(name: &str) -> ObjectKey {
        ObjectKey::new(Resource::Pods, "default", name)
    }

    /// The sets as a walk over every pod computes them.
    fn walked(store: &Store) -> (BTreeSet<String>, bool) {
        let pods = store
            .list_shared::<corev1::Pod>(Resource::Pods, None)
            .unwrap();
        let bound = pods.iter().filter_map(|p| Place::of(p).bound).collect();
        (bound, pods.iter().any(|p| needs_scheduling(p)))
    }

    fn update(sets: &mut PodSets, store: &Store) -> Option<BTreeSet<String>> {
        let pods = store
            .list_shared::<corev1::Pod>(Resource::Pods, None)
            .unwrap();
        let touched = sets.update(store, &pods);
        let kept: BTreeSet<String> = sets.bound().cloned().collect();
        assert_eq!((kept, sets.any_pending()), walked(store));
        touched
    }

    #[test]
    fn the_sets_follow_binds_finishes_and_deletions_as_a_walk_sees_them() {
        let mut store = Store::default();
        store.put(key("a"), pod("a", "u-a", Some("n1"), "Running"));
        store.put(key("b"), pod("b", "u-b", None, "Pending"));
        let mut sets = PodSets::default();
        assert_eq!(
            update(&mut sets, &store),
            None,
            "built afresh the first time"
        );
        assert_eq!(update(&mut sets, &store), Some(BTreeSet::new()));

        store.put(key("b"), pod("b", "u-b", Some("n2"), "Pending"));
        store.put(key("c"), pod("c", "u-c", None, "Pending"));
        let touched = update(&mut sets, &store).unwrap();
        assert_eq!(touched, BTreeSet::from(["u-b".to_string()]));

        store.put(key("a"), pod("a", "u-a", Some("n1"), "Succeeded"));
        store.remove(&key("c"));
        store.put(key("d"), pod("d", "u-b", Some("n1"), "Running"));
        let touched = update(&mut sets, &store).unwrap();
        assert_eq!(
            touched,
            BTreeSet::from(["u-a".to_string(), "u-b".to_string()])
        );
        // Two pods share a uid: it stays bound until both are gone.
        store.remove(&key("b"));
        update(&mut sets, &store);
        assert!(sets.is_bound("u-b"));
        store.remove(&key("d"));
        update(&mut sets, &store);
        assert!(!sets.is_bound("u-b"));
    }

    #[test]
    fn sets_older_than_the_history_are_built_afresh() {
        let mut store = Store::default();
        store.put(key("a"), pod("a", "u-a", Some("n1"), "Running"));
        let mut sets = PodSets::default();
        update(&mut sets, &store);
        for i in 0..(crate::apiserver::store::WATCH_HISTORY + 1) {
            let name = format!("p{i}");
            store.put(key(&name), pod(&name, &name, None, "Pending"));
        }
        assert_eq!(update(&mut sets, &store), None);
    }
}
