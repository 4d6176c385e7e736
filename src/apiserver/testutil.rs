//! Fixtures for the control-plane unit tests: an API server with the system namespaces, and
//! minimal pods and nodes shaped like a kubeadm cluster's.

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use crate::apiserver::helpers::time;
use crate::apiserver::registry::ensure_system_namespaces;
use crate::apiserver::store::Resource;
use crate::apiserver::ApiServer;
use crate::sim::{Rng, SimTime};

/// A serving API server with the system namespaces, and a seeded generator.
pub fn api_with_namespaces() -> (ApiServer, Rng) {
    let mut api = ApiServer::new("172.30.1.2:6443");
    let mut rng = Rng::seeded(7);
    ensure_system_namespaces(SimTime::ZERO, &mut rng, &mut api).unwrap();
    (api, rng)
}

/// A pod `name` in `default` with one nginx container.
pub fn pod(name: &str) -> corev1::Pod {
    corev1::Pod {
        metadata: metav1::ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some("default".to_string()),
            ..Default::default()
        },
        spec: Some(corev1::PodSpec {
            containers: vec![corev1::Container {
                name: "nginx".to_string(),
                image: Some("nginx:1.27".to_string()),
                ..Default::default()
            }],
            termination_grace_period_seconds: Some(30),
            ..Default::default()
        }),
        status: None,
    }
}

/// A Ready node `name` (heartbeat at time zero) with 2 CPUs, 2 GiB and 110 pods allocatable.
pub fn node(name: &str) -> corev1::Node {
    corev1::Node {
        metadata: metav1::ObjectMeta {
            name: Some(name.to_string()),
            labels: Some(
                [
                    ("kubernetes.io/hostname".to_string(), name.to_string()),
                    ("kubernetes.io/os".to_string(), "linux".to_string()),
                ]
                .into(),
            ),
            ..Default::default()
        },
        spec: Some(corev1::NodeSpec::default()),
        status: Some(corev1::NodeStatus {
            allocatable: Some(
                [
                    ("cpu".to_string(), Quantity("2".to_string())),
                    ("memory".to_string(), Quantity("2Gi".to_string())),
                    ("pods".to_string(), Quantity("110".to_string())),
                ]
                .into(),
            ),
            conditions: Some(vec![corev1::NodeCondition {
                type_: "Ready".to_string(),
                status: "True".to_string(),
                reason: Some("KubeletReady".to_string()),
                message: Some("kubelet is posting ready status".to_string()),
                last_heartbeat_time: Some(time(SimTime::ZERO)),
                last_transition_time: Some(time(SimTime::ZERO)),
            }]),
            ..Default::default()
        }),
    }
}

/// The kubeadm control-plane node: labelled and tainted `node-role.kubernetes.io/control-plane`.
pub fn control_plane_node(name: &str) -> corev1::Node {
    let mut n = node(name);
    n.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert(
            "node-role.kubernetes.io/control-plane".to_string(),
            String::new(),
        );
    n.spec.get_or_insert_with(Default::default).taints = Some(vec![corev1::Taint {
        key: "node-role.kubernetes.io/control-plane".to_string(),
        effect: "NoSchedule".to_string(),
        time_added: None,
        value: None,
    }]);
    n
}

/// `controlplane` and `node01`, created in the store.
pub fn two_node_cluster() -> (ApiServer, Rng) {
    let (mut api, mut rng) = api_with_namespaces();
    api.create(
        SimTime::ZERO,
        &mut rng,
        Resource::Nodes,
        &control_plane_node("controlplane"),
    )
    .unwrap();
    api.create(SimTime::ZERO, &mut rng, Resource::Nodes, &node("node01"))
        .unwrap();
    (api, rng)
}

/// Marks every pod bound to a node Running and Ready, as kubelets would.
pub fn run_bound_pods(api: &mut ApiServer, now: SimTime) {
    let pods: Vec<corev1::Pod> = api.list(Resource::Pods, None).unwrap();
    for mut p in pods {
        let bound = p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some();
        if !bound || p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let status = p.status.get_or_insert_with(Default::default);
        if status.phase.as_deref() == Some("Running") {
            continue;
        }
        status.phase = Some("Running".to_string());
        crate::apiserver::helpers::set_pod_condition(
            status,
            corev1::PodCondition {
                type_: "Ready".to_string(),
                status: "True".to_string(),
                ..Default::default()
            },
            now,
        );
        api.update(Resource::Pods, &p).unwrap();
    }
}

/// Removes pods whose graceful deletion has begun, as kubelets do once containers stopped.
pub fn finish_terminating_pods(api: &mut ApiServer) {
    let pods: Vec<corev1::Pod> = api.list(Resource::Pods, None).unwrap();
    for p in pods {
        if p.metadata.deletion_timestamp.is_some() {
            let ns = p.metadata.namespace.clone().unwrap_or_default();
            let name = p.metadata.name.clone().unwrap_or_default();
            api.remove(Resource::Pods, &ns, &name).unwrap();
        }
    }
}
