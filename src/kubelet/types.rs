//! Mirrors `pkg/kubelet/types/pod_update.go` (v1.34): the pod update message, source names,
//! the kubelet's annotations and the static/mirror pod predicates.

use std::borrow::Borrow;
use std::sync::Arc;

use k8s_openapi::api::core::v1 as corev1;

use crate::sim::trace::PodRef;

/// A pod the kubelet holds in several places at once (pod manager, workers, sync loop): shared,
/// never copied, since one pod may carry a thousand containers. A change makes a new pod.
pub type SharedPod = Arc<corev1::Pod>;

pub use crate::sim::trace::PodOp;

/// The annotation naming the source a pod came from (`file`, `http`, `api`).
pub const CONFIG_SOURCE_ANNOTATION_KEY: &str = "kubernetes.io/config.source";
/// The annotation a mirror pod carries: the static pod's hash.
pub const CONFIG_MIRROR_ANNOTATION_KEY: &str = "kubernetes.io/config.mirror";
/// The annotation with the time the kubelet first saw a pod.
pub const CONFIG_FIRST_SEEN_ANNOTATION_KEY: &str = "kubernetes.io/config.seen";
/// The annotation holding a static pod's hash (its UID).
pub const CONFIG_HASH_ANNOTATION_KEY: &str = "kubernetes.io/config.hash";

/// Source name of static pods read from files.
pub const FILE_SOURCE: &str = "file";
/// Source name of static pods fetched from a URL.
pub const HTTP_SOURCE: &str = "http";
/// Source name of pods bound to this node in the API server.
pub const API_SOURCE: &str = "api";
/// The pseudo-source of `PodConfig::sync`, meaning "all sources".
pub const ALL_SOURCE: &str = "*";

/// One message between the sources, the mux and the sync loop.
#[derive(Debug, Clone, PartialEq)]
pub struct PodUpdate {
    /// The pods (never absent; empty for an empty SET), shared: a source that sends the same
    /// pod object again is known to have sent an unchanged pod.
    pub pods: Vec<SharedPod>,
    /// What happened to them.
    pub op: PodOp,
    /// Which source it is about.
    pub source: String,
}

impl PodUpdate {
    /// A SET of `pods` from `source`.
    pub fn set(source: &str, pods: Vec<SharedPod>) -> PodUpdate {
        PodUpdate {
            pods,
            op: PodOp::Set,
            source: source.to_string(),
        }
    }
}

/// The pod's name.
pub fn pod_name(pod: &corev1::Pod) -> &str {
    pod.metadata.name.as_deref().unwrap_or_default()
}

/// The pod's namespace.
pub fn pod_namespace(pod: &corev1::Pod) -> &str {
    pod.metadata.namespace.as_deref().unwrap_or_default()
}

/// The pod's UID.
pub fn pod_uid(pod: &corev1::Pod) -> &str {
    pod.metadata.uid.as_deref().unwrap_or_default()
}

/// `name_namespace`, the key static pods and their mirrors are matched by
/// (`kubecontainer.GetPodFullName`).
pub fn pod_full_name(pod: &corev1::Pod) -> String {
    format!("{}_{}", pod_name(pod), pod_namespace(pod))
}

/// How the event log names a pod.
pub fn pod_ref(pod: &corev1::Pod) -> PodRef {
    PodRef::new(pod_namespace(pod), pod_name(pod), pod_uid(pod))
}

/// The value of annotation `key`, if set.
pub fn annotation<'a>(pod: &'a corev1::Pod, key: &str) -> Option<&'a str> {
    pod.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .map(String::as_str)
}

/// Sets annotation `key`, creating the map if needed.
pub fn set_annotation(pod: &mut corev1::Pod, key: &str, value: &str) {
    pod.metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(key.to_string(), value.to_string());
}

/// The source a pod came from, per its `config.source` annotation.
pub fn pod_source(pod: &corev1::Pod) -> Option<&str> {
    annotation(pod, CONFIG_SOURCE_ANNOTATION_KEY)
}

/// A static pod: one from a source other than the API server (`IsStaticPod`).
pub fn is_static_pod(pod: &corev1::Pod) -> bool {
    pod_source(pod).is_some_and(|s| s != API_SOURCE)
}

/// A mirror pod: the API server's copy of a static pod (`IsMirrorPod`).
pub fn is_mirror_pod(pod: &corev1::Pod) -> bool {
    annotation(pod, CONFIG_MIRROR_ANNOTATION_KEY).is_some()
}

/// Whether `pods` are all the UIDs of a message, as the event log lists them.
pub fn pod_refs<P: Borrow<corev1::Pod>>(pods: &[P]) -> Vec<PodRef> {
    pods.iter().map(|p| pod_ref(p.borrow())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod_with_annotations(pairs: &[(&str, &str)]) -> corev1::Pod {
        let mut pod = corev1::Pod::default();
        pod.metadata.name = Some("web".into());
        pod.metadata.namespace = Some("default".into());
        for (k, v) in pairs {
            set_annotation(&mut pod, k, v);
        }
        pod
    }

    #[test]
    fn static_and_mirror_predicates() {
        let file = pod_with_annotations(&[(CONFIG_SOURCE_ANNOTATION_KEY, "file")]);
        let api = pod_with_annotations(&[(CONFIG_SOURCE_ANNOTATION_KEY, "api")]);
        let mirror = pod_with_annotations(&[(CONFIG_MIRROR_ANNOTATION_KEY, "abc")]);
        assert!(is_static_pod(&file));
        assert!(!is_static_pod(&api));
        assert!(!is_static_pod(&mirror));
        assert!(is_mirror_pod(&mirror));
        assert!(!is_mirror_pod(&file));
        assert_eq!(pod_full_name(&file), "web_default");
    }
}
