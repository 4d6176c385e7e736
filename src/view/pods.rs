//! The Pods pane: the API server's pods as `kubectl get pods -A -o wide` lists them, with
//! mirror pods marked as the static pods they stand for.

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::printers::print_pod;
use crate::apiserver::store::Resource;
use crate::cluster::Cluster;
use crate::kubelet::types::is_mirror_pod;

/// The pane's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodsView {
    /// Whether the API server answers; when it does not, `rows` is empty and the UI keeps
    /// showing the last answer, greyed, as a learner's last `kubectl get` stays on screen.
    pub serving: bool,
    /// One row per pod, sorted by namespace and name as `kubectl get -A` sorts them.
    pub rows: Vec<PodRowView>,
}

/// One pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRowView {
    /// NAMESPACE
    pub namespace: String,
    /// NAME
    pub name: String,
    /// READY, e.g. `1/1`.
    pub ready: String,
    /// STATUS, e.g. `Running`, `CrashLoopBackOff`.
    pub status: String,
    /// RESTARTS, e.g. `2 (15s ago)`.
    pub restarts: String,
    /// AGE
    pub age: String,
    /// IP, `<none>` when unset.
    pub ip: String,
    /// NODE, `<none>` when unscheduled.
    pub node: String,
    /// NOMINATED NODE
    pub nominated_node: String,
    /// READINESS GATES
    pub readiness_gates: String,
    /// For a mirror pod, the node whose kubelet runs the static pod it stands for.
    pub static_on: Option<String>,
    /// The pod's UID (a new mirror pod has a new one).
    pub uid: String,
    /// Whether the pod is being deleted (`deletionTimestamp` set).
    pub terminating: bool,
}

/// The pods the API server holds, if it is serving.
pub fn pods_view(cluster: &Cluster) -> PodsView {
    let api = cluster.api();
    if !api.serving() {
        return PodsView {
            serving: false,
            rows: Vec::new(),
        };
    }
    let now = cluster.now();
    // A stored pod that does not decode fails the whole list, as it fails `kubectl get pods`
    // (which says why); the pane then shows no rows.
    let mut rows: Vec<PodRowView> = api
        .store()
        .list_shared::<corev1::Pod>(Resource::Pods, None)
        .unwrap_or_default()
        .iter()
        .map(|pod| {
            let pod: &corev1::Pod = pod;
            let printed = print_pod(pod, now);
            let meta = &pod.metadata;
            let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
            PodRowView {
                namespace: meta.namespace.clone().unwrap_or_default(),
                name: printed.name,
                ready: printed.ready,
                status: printed.status,
                restarts: printed.restarts,
                age: printed.age,
                ip: printed.ip,
                node: printed.node,
                nominated_node: printed.nominated_node,
                readiness_gates: printed.readiness_gates,
                static_on: if is_mirror_pod(pod) { node } else { None },
                uid: meta.uid.clone().unwrap_or_default(),
                terminating: meta.deletion_timestamp.is_some(),
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    PodsView {
        serving: true,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cluster_lists_its_static_pods_as_mirrors() {
        let cluster = Cluster::boot_default(1).unwrap();
        let view = pods_view(&cluster);
        assert!(view.serving);
        let etcd = view
            .rows
            .iter()
            .find(|r| r.name == "etcd-controlplane")
            .expect("etcd's mirror pod");
        assert_eq!(etcd.namespace, "kube-system");
        assert_eq!(etcd.status, "Running");
        assert_eq!(etcd.static_on.as_deref(), Some("controlplane"));
        let proxy = view
            .rows
            .iter()
            .find(|r| r.name.starts_with("kube-proxy-"))
            .expect("a kube-proxy pod");
        assert_eq!(proxy.static_on, None, "DaemonSet pods are not mirrors");
        let keys: Vec<(&str, &str)> = view
            .rows
            .iter()
            .map(|r| (r.namespace.as_str(), r.name.as_str()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }
}
