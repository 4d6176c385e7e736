//! The kubelet, named after upstream `pkg/kubelet`: pod-config sources and mux, sync loop, pod
//! workers, PLEG, back-off, status and mirror pods.

pub mod backoff;
pub mod config;
pub mod container;
pub mod context;
pub mod cri;
// Named after upstream's kubelet.go.
#[allow(clippy::module_inception)]
pub mod kubelet;
pub mod kubeletconfig;
pub mod options;
pub mod pod_manager;
pub mod pod_workers;
pub mod server;
pub mod status;
pub mod types;
