//! The kubelet, named after upstream `pkg/kubelet`: pod-config sources and mux, sync loop, pod
//! workers, PLEG, back-off, status and mirror pods.

pub mod config;
