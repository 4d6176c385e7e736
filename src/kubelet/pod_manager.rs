//! Mirrors `pkg/kubelet/pod/pod_manager.go` (v1.34): the desired pods, indexed by UID and by
//! full name, with mirror pods kept apart and tied to their static pods purely by full name.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;

use crate::kubelet::types::{
    annotation, is_mirror_pod, pod_full_name, pod_uid, SharedPod, CONFIG_HASH_ANNOTATION_KEY,
    CONFIG_MIRROR_ANNOTATION_KEY,
};
use crate::sim::inline_id::InlineId;

/// The kubelet's desired pods (`basicManager`). UIDs and full names are kept inline: every
/// sync, status write and housekeeping pass looks pods up here, and at ten nodes the keys'
/// heap copies missed the cache.
#[derive(Debug, Clone, Default)]
pub struct PodManager {
    pods_by_uid: BTreeMap<InlineId, SharedPod>,
    pods_by_full_name: BTreeMap<InlineId, InlineId>,
    mirrors_by_uid: BTreeMap<InlineId, SharedPod>,
    mirrors_by_full_name: BTreeMap<InlineId, InlineId>,
}

impl PodManager {
    /// Adds or replaces a pod (`AddPod`/`UpdatePod`); a mirror pod goes to the mirror indexes.
    /// The last pod added for a full name takes that name's slot.
    pub fn update_pod(&mut self, pod: SharedPod) {
        let uid = InlineId::new(pod_uid(&pod));
        let full_name = InlineId::new(&pod_full_name(&pod));
        if is_mirror_pod(&pod) {
            self.mirrors_by_full_name.insert(full_name, uid.clone());
            self.mirrors_by_uid.insert(uid, pod);
        } else {
            self.pods_by_full_name.insert(full_name, uid.clone());
            self.pods_by_uid.insert(uid, pod);
        }
    }

    /// Removes a pod (`RemovePod`).
    pub fn remove_pod(&mut self, pod: &corev1::Pod) {
        let uid = pod_uid(pod);
        let full_name = pod_full_name(pod);
        if is_mirror_pod(pod) {
            self.mirrors_by_uid.remove(uid);
            if self
                .mirrors_by_full_name
                .get(full_name.as_str())
                .map(InlineId::as_str)
                == Some(uid)
            {
                self.mirrors_by_full_name.remove(full_name.as_str());
            }
        } else {
            self.pods_by_uid.remove(uid);
            if self
                .pods_by_full_name
                .get(full_name.as_str())
                .map(InlineId::as_str)
                == Some(uid)
            {
                self.pods_by_full_name.remove(full_name.as_str());
            }
        }
    }

    /// A regular or static pod by UID.
    pub fn pod_by_uid(&self, uid: &str) -> Option<&SharedPod> {
        self.pods_by_uid.get(uid)
    }

    /// A mirror pod by UID.
    pub fn mirror_by_uid(&self, uid: &str) -> Option<&SharedPod> {
        self.mirrors_by_uid.get(uid)
    }

    /// The regular or static pod holding `full_name`.
    pub fn pod_by_full_name(&self, full_name: &str) -> Option<&SharedPod> {
        self.pods_by_full_name
            .get(full_name)
            .and_then(|uid| self.pods_by_uid.get(uid.as_str()))
    }

    /// The mirror pod of a static pod, by full name (`GetMirrorPodByPod`).
    pub fn mirror_of(&self, pod: &corev1::Pod) -> Option<&SharedPod> {
        self.mirrors_by_full_name
            .get(pod_full_name(pod).as_str())
            .and_then(|uid| self.mirrors_by_uid.get(uid.as_str()))
    }

    /// The static pod a mirror pod mirrors, by full name (`GetPodByMirrorPod`).
    pub fn pod_of_mirror(&self, mirror: &corev1::Pod) -> Option<&SharedPod> {
        self.pod_by_full_name(&pod_full_name(mirror))
    }

    /// `GetPodAndMirrorPod`: for any pod (static, mirror or regular) the pod to run and its
    /// mirror, and whether the given one was the mirror.
    pub fn pod_and_mirror(&self, pod: &SharedPod) -> (Option<SharedPod>, Option<SharedPod>, bool) {
        if is_mirror_pod(pod) {
            return (self.pod_of_mirror(pod).cloned(), Some(pod.clone()), true);
        }
        (Some(pod.clone()), self.mirror_of(pod).cloned(), false)
    }

    /// [`PodManager::pod_and_mirror`] of the regular or static pod with `uid`.
    pub fn pod_and_mirror_of_uid(&self, uid: &str) -> (Option<SharedPod>, Option<SharedPod>, bool) {
        match self.pod_by_uid(uid) {
            Some(pod) => self.pod_and_mirror(pod),
            None => (None, None, false),
        }
    }

    /// Every regular and static pod, by UID.
    pub fn pods(&self) -> Vec<&corev1::Pod> {
        self.pods_by_uid.values().map(|p| &**p).collect()
    }

    /// The UIDs of every regular and static pod, in order.
    pub fn uids(&self) -> Vec<&str> {
        self.pods_by_uid.keys().map(InlineId::as_str).collect()
    }

    /// Every mirror pod, by UID.
    pub fn mirror_pods(&self) -> Vec<&corev1::Pod> {
        self.mirrors_by_uid.values().map(|p| &**p).collect()
    }

    /// Full names of mirror pods with no static pod of the same name
    /// (`GetPodsAndMirrorPods`'s third result).
    pub fn orphaned_mirror_full_names(&self) -> Vec<String> {
        self.mirrors_by_full_name
            .keys()
            .filter(|name| !self.pods_by_full_name.contains_key(*name))
            .map(InlineId::to_string)
            .collect()
    }
}

/// `IsMirrorPodOf`: same name and namespace, and the mirror's hash equals the pod's.
pub fn is_mirror_pod_of(mirror: &corev1::Pod, pod: &corev1::Pod) -> bool {
    if pod_full_name(mirror) != pod_full_name(pod) {
        return false;
    }
    let hash = annotation(pod, CONFIG_HASH_ANNOTATION_KEY);
    hash.is_some() && annotation(mirror, CONFIG_MIRROR_ANNOTATION_KEY) == hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubelet::types::set_annotation;

    fn pod(name: &str, uid: &str, mirror_hash: Option<&str>) -> SharedPod {
        let mut p = corev1::Pod::default();
        p.metadata.name = Some(name.into());
        p.metadata.namespace = Some("ns".into());
        p.metadata.uid = Some(uid.into());
        set_annotation(&mut p, CONFIG_HASH_ANNOTATION_KEY, uid);
        if let Some(hash) = mirror_hash {
            set_annotation(&mut p, CONFIG_MIRROR_ANNOTATION_KEY, hash);
        }
        SharedPod::new(p)
    }

    #[test]
    fn static_and_mirror_pods_pair_by_full_name() {
        let mut pm = PodManager::default();
        let static_pod = pod("etcd-cp", "s1", None);
        let mirror = pod("etcd-cp", "m1", Some("s1"));
        pm.update_pod(static_pod.clone());
        pm.update_pod(mirror.clone());
        assert_eq!(pm.pods().len(), 1);
        assert_eq!(
            pm.mirror_of(&static_pod).unwrap().metadata.uid.as_deref(),
            Some("m1")
        );
        assert!(is_mirror_pod_of(&mirror, &static_pod));
        let (p, m, was_mirror) = pm.pod_and_mirror(&mirror);
        assert!(was_mirror);
        assert_eq!(p.unwrap().metadata.uid.as_deref(), Some("s1"));
        assert!(m.is_some());
        assert!(pm.orphaned_mirror_full_names().is_empty());
        pm.remove_pod(&static_pod);
        assert_eq!(pm.orphaned_mirror_full_names(), ["etcd-cp_ns"]);
    }

    #[test]
    fn uids_name_the_desired_pods_in_order_without_mirrors() {
        let mut pm = PodManager::default();
        for (name, uid) in [("b", "u3"), ("a", "u10"), ("c", "u2")] {
            pm.update_pod(pod(name, uid, None));
        }
        pm.update_pod(pod("a", "m1", Some("u10")));
        assert_eq!(pm.uids(), ["u10", "u2", "u3"]);
        let from_pods: Vec<&str> = pm.pods().iter().map(|p| pod_uid(p)).collect();
        assert_eq!(pm.uids(), from_pods);
        pm.remove_pod(&pod("c", "u2", None));
        assert_eq!(pm.uids(), ["u10", "u3"]);
    }

    #[test]
    fn a_stale_hash_is_not_a_mirror_of_the_pod() {
        let static_pod = pod("web", "new", None);
        let mirror = pod("web", "m", Some("old"));
        assert!(!is_mirror_pod_of(&mirror, &static_pod));
    }

    #[test]
    fn last_added_wins_the_full_name() {
        let mut pm = PodManager::default();
        pm.update_pod(pod("web", "a", None));
        pm.update_pod(pod("web", "b", None));
        assert_eq!(
            pm.pod_by_full_name("web_ns")
                .unwrap()
                .metadata
                .uid
                .as_deref(),
            Some("b")
        );
        // Removing the older pod leaves the newer one's slot alone.
        pm.remove_pod(&pod("web", "a", None));
        assert!(pm.pod_by_full_name("web_ns").is_some());
    }
}
