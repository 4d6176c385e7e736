//! The kubelet, named after upstream `pkg/kubelet`: pod-config sources and mux, sync loop, pod
//! workers, PLEG, back-off, status and mirror pods.

pub mod backoff;
pub mod client;
pub mod config;
pub mod container;
pub mod context;
pub mod cri;
pub mod events;
pub mod images;
// Named after upstream's kubelet.go.
#[allow(clippy::module_inception)]
pub mod kubelet;
pub mod kubelet_pods;
pub mod kubeletconfig;
pub mod kuberuntime;
pub mod logs;
pub mod mirror;
pub mod node_lease;
pub mod node_status;
pub mod options;
pub mod pleg;
pub mod pod_manager;
pub mod pod_workers;
pub mod prober;
pub mod running_pods;
pub mod server;
pub mod status;
pub mod sync_loop;
pub mod types;
pub mod volumes;
