//! One shared [`PodRef`] per pod object for the mux's trace records.
//!
//! Every message a source sends and every update the mux emits names its pods in the trace;
//! with a hundred pods on a node that was three strings copied per pod per message. Sources
//! hand the mux the same shared pod for as long as it is unchanged, so its reference is made
//! once and copied as a reference count after that.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::kubelet::types::{pod_ref, SharedPod};
use crate::sim::trace::PodRef;

/// The fewest entries the cache holds before it looks for pods no one else holds any more.
const SWEEP_FLOOR: usize = 64;

/// References made so far, by the address of the pod they name.
#[derive(Debug, Clone, Default)]
pub struct PodRefs {
    /// Each entry keeps its pod alive, so an address names one pod for as long as it is here
    /// (a pod no one else holds is swept out, never mistaken for a newer one at its address).
    by_pod: BTreeMap<usize, (SharedPod, PodRef)>,
    /// How many entries the last sweep kept.
    kept: usize,
}

impl PodRefs {
    /// The references of `pods`, in order.
    pub fn of(&mut self, pods: &[SharedPod]) -> Vec<PodRef> {
        let refs = pods.iter().map(|pod| self.one(pod)).collect();
        self.sweep_if_grown();
        refs
    }

    fn one(&mut self, pod: &SharedPod) -> PodRef {
        let (_, named) = self
            .by_pod
            .entry(Arc::as_ptr(pod) as usize)
            .or_insert_with(|| (Arc::clone(pod), pod_ref(pod)));
        named.clone()
    }

    /// Forgets the pods only the cache still holds once it has doubled since the last sweep,
    /// so it stays within twice the pods in use at a constant cost per reference.
    fn sweep_if_grown(&mut self) {
        if self.by_pod.len() <= 2 * self.kept.max(SWEEP_FLOOR) {
            return;
        }
        self.by_pod.retain(|_, (pod, _)| Arc::strong_count(pod) > 1);
        self.kept = self.by_pod.len();
    }

    /// How many pods the cache holds (for tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.by_pod.len()
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1 as corev1;

    use super::*;

    fn pod(name: &str, uid: &str) -> SharedPod {
        let mut pod = corev1::Pod::default();
        pod.metadata.name = Some(name.into());
        pod.metadata.namespace = Some("default".into());
        pod.metadata.uid = Some(uid.into());
        SharedPod::new(pod)
    }

    #[test]
    fn the_same_pod_gets_the_same_shared_reference() {
        let mut refs = PodRefs::default();
        let web = pod("web", "u1");
        let first = refs.of(&[Arc::clone(&web)]);
        let again = refs.of(&[Arc::clone(&web)]);
        assert_eq!(first[0].to_string(), "default/web");
        assert_eq!(first[0].uid, "u1");
        assert!(std::ptr::eq(&*first[0], &*again[0]));
    }

    #[test]
    fn an_equal_but_different_pod_is_named_afresh() {
        let mut refs = PodRefs::default();
        let old = refs.of(&[pod("web", "u1")]);
        let new = refs.of(&[pod("web", "u2")]);
        assert_eq!(old[0].uid, "u1");
        assert_eq!(new[0].uid, "u2");
    }

    #[test]
    fn pods_no_one_holds_are_swept_once_the_cache_doubles() {
        let mut refs = PodRefs::default();
        let live: Vec<SharedPod> = (0..10).map(|i| pod(&format!("p{i}"), "u")).collect();
        refs.of(&live);
        // Each message brings pods that are dropped right after (a source that re-decodes).
        for round in 0..50 {
            let gone: Vec<SharedPod> = (0..10)
                .map(|i| pod(&format!("g{round}-{i}"), "u"))
                .collect();
            refs.of(&gone);
            assert!(refs.len() <= 2 * SWEEP_FLOOR + 10, "{} entries", refs.len());
        }
        // The pods still in use keep their references.
        let again = refs.of(&live);
        assert_eq!(again[3].name, "p3");
        assert!(refs.len() >= live.len());
    }
}
