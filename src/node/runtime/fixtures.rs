//! Sandboxes, containers and a runtime with its images pulled, for the unit tests of the
//! runtime and of the kubelet parts that read its listings.

use std::sync::Arc;

use super::{Runtime, PAUSE_IMAGE};
use crate::node::cri::{ContainerConfig, SandboxConfig};

/// The image every test container runs.
pub const BUSYBOX: &str = "registry.k8s.io/busybox:latest";

/// A runtime on 10.0.0.10 with the pause and busybox images already pulled.
pub fn runtime() -> Runtime {
    let mut runtime = Runtime::new("10.0.0.10", 1000);
    runtime.preload_image(PAUSE_IMAGE).unwrap();
    runtime.preload_image(BUSYBOX).unwrap();
    runtime
}

/// A host-network sandbox for pod `name` in `namespace` with UID `uid`.
pub fn sandbox(name: &str, namespace: &str, uid: &str) -> SandboxConfig {
    SandboxConfig {
        name: name.to_string(),
        namespace: namespace.to_string(),
        uid: uid.to_string(),
        attempt: 0,
        hostname: name.to_string(),
        host_network: true,
        ip: String::new(),
        labels: Default::default(),
        annotations: Default::default(),
    }
}

/// A busybox container `name` that sleeps an hour, with `labels`.
pub fn container(name: &str, labels: &[(&str, &str)]) -> ContainerConfig {
    let labels = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ContainerConfig {
        name: name.to_string(),
        attempt: 0,
        image: BUSYBOX.to_string(),
        command: vec!["sleep".to_string(), "3600".to_string()],
        args: Vec::new(),
        env: Vec::new(),
        working_dir: String::new(),
        mounts: Vec::new(),
        labels: Arc::new(labels),
        annotations: Default::default(),
        log_path: String::new(),
    }
}
