//! Mirrors `pkg/kubelet/container` (`runtime.go`, `helpers.go`) and `kuberuntime/labels.go`
//! (v1.34): the kubelet's view of what the runtime runs for a pod, the labels it puts on
//! containers to find them again, and when a container should be (re)started.

use k8s_openapi::api::core::v1 as corev1;

pub use crate::node::cri::ContainerState;
use crate::sim::SimTime;

/// Label: the pod's name.
pub const LABEL_POD_NAME: &str = crate::node::cri::POD_NAME_LABEL;
/// Label: the pod's namespace.
pub const LABEL_POD_NAMESPACE: &str = crate::node::cri::POD_NAMESPACE_LABEL;
/// Label: the pod's UID (how the kubelet finds a pod's containers after a restart).
pub const LABEL_POD_UID: &str = crate::node::cri::POD_UID_LABEL;
/// Label: the container's name in the pod spec.
pub const LABEL_CONTAINER_NAME: &str = "io.kubernetes.container.name";
/// Annotation: the hash of the container spec the container was created from.
pub const ANNOTATION_CONTAINER_HASH: &str = "io.kubernetes.container.hash";
/// Annotation: how many times the container was restarted before this instance.
pub const ANNOTATION_RESTART_COUNT: &str = "io.kubernetes.container.restartCount";
/// Annotation: where the termination message is read from.
pub const ANNOTATION_TERMINATION_MESSAGE_PATH: &str =
    "io.kubernetes.container.terminationMessagePath";
/// Annotation: how the termination message is taken.
pub const ANNOTATION_TERMINATION_MESSAGE_POLICY: &str =
    "io.kubernetes.container.terminationMessagePolicy";
/// Annotation: the pod's grace period, recorded on each container.
pub const ANNOTATION_TERMINATION_GRACE_PERIOD: &str = "io.kubernetes.pod.terminationGracePeriod";

/// One container instance of a pod (`kubecontainer.Status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerStatus {
    /// The runtime's container id (64 hex digits).
    pub id: String,
    /// The container's name in the pod spec.
    pub name: String,
    /// Its state.
    pub state: ContainerState,
    /// When it was created.
    pub created_at: SimTime,
    /// When it started running, if it did.
    pub started_at: Option<SimTime>,
    /// When it finished, if it did.
    pub finished_at: Option<SimTime>,
    /// Its exit code, once exited.
    pub exit_code: i32,
    /// The runtime's reason (`Completed`, `Error`, `StartError`, ...).
    pub reason: String,
    /// The runtime's message.
    pub message: String,
    /// The image as the runtime names it (`docker.io/library/nginx:latest`).
    pub image: String,
    /// The image's digest reference (`docker.io/library/nginx@sha256:...`).
    pub image_ref: String,
    /// The spec hash the container was created with.
    pub hash: u64,
    /// Restarts before this instance.
    pub restart_count: i32,
}

/// One pod sandbox of a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxStatus {
    /// The runtime's sandbox id.
    pub id: String,
    /// Whether it is ready (its pause container runs).
    pub ready: bool,
    /// The attempt number (0 for the first sandbox of a pod).
    pub attempt: u32,
    /// When it was created.
    pub created_at: SimTime,
    /// Its IP, empty for host-network pods.
    pub ip: String,
}

/// What the runtime runs for one pod UID (`kubecontainer.PodStatus`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodStatus {
    /// The pod UID.
    pub uid: String,
    /// Sandboxes, newest first.
    pub sandboxes: Vec<SandboxStatus>,
    /// Container instances, newest first.
    pub containers: Vec<ContainerStatus>,
}

impl PodStatus {
    /// The newest instance of container `name` (`FindContainerStatusByName`).
    pub fn find_container(&self, name: &str) -> Option<&ContainerStatus> {
        self.containers.iter().find(|c| c.name == name)
    }

    /// The IP of the newest ready sandbox, if any.
    pub fn ip(&self) -> Option<&str> {
        self.sandboxes
            .first()
            .filter(|s| s.ready && !s.ip.is_empty())
            .map(|s| s.ip.as_str())
    }

    /// Whether any container is running.
    pub fn has_running_containers(&self) -> bool {
        self.containers
            .iter()
            .any(|c| c.state == ContainerState::Running)
    }
}

/// `HashContainer`: FNV-1a 32 over the container spec, so a changed spec is noticed.
pub fn hash_container(container: &corev1::Container) -> u64 {
    // The JSON is hashed as it is written rather than collected first (a sync hashes every
    // container); a spec that fails to encode hashes as empty text, as before.
    let mut hasher = Fnv1a32(0x811c9dc5);
    match serde_json::to_writer(&mut hasher, container) {
        Ok(()) => u64::from(hasher.0),
        Err(_) => u64::from(0x811c9dc5u32),
    }
}

/// FNV-1a 32 over the bytes written to it.
struct Fnv1a32(u32);

impl std::io::Write for Fnv1a32 {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for byte in bytes {
            self.0 ^= u32::from(*byte);
            self.0 = self.0.wrapping_mul(0x01000193);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The pod's restart policy (`Always` when unset).
pub fn restart_policy(pod: &corev1::Pod) -> &str {
    pod.spec
        .as_ref()
        .and_then(|s| s.restart_policy.as_deref())
        .unwrap_or("Always")
}

/// `ShouldContainerBeRestarted`.
pub fn should_container_be_restarted(
    container: &corev1::Container,
    pod: &corev1::Pod,
    status: &PodStatus,
) -> bool {
    if pod.metadata.deletion_timestamp.is_some() {
        return false;
    }
    let Some(latest) = status.find_container(&container.name) else {
        return true;
    };
    match latest.state {
        ContainerState::Running => false,
        ContainerState::Unknown | ContainerState::Created => true,
        ContainerState::Exited => match restart_policy(pod) {
            "Never" => false,
            "OnFailure" => latest.exit_code != 0,
            _ => true,
        },
    }
}

/// Whether the pod restarts containers that failed (`shouldRestartOnFailure`).
pub fn should_restart_on_failure(pod: &corev1::Pod) -> bool {
    restart_policy(pod) != "Never"
}

/// `podName_namespace(uid)`, as `format.Pod` writes a pod in messages.
pub fn format_pod(pod: &corev1::Pod) -> String {
    format!(
        "{}_{}({})",
        pod.metadata.name.as_deref().unwrap_or_default(),
        pod.metadata.namespace.as_deref().unwrap_or_default(),
        pod.metadata.uid.as_deref().unwrap_or_default()
    )
}

/// Whether the pod uses the host's network namespace.
pub fn is_host_network(pod: &corev1::Pod) -> bool {
    pod.spec
        .as_ref()
        .and_then(|s| s.host_network)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(policy: &str) -> corev1::Pod {
        corev1::Pod {
            spec: Some(corev1::PodSpec {
                restart_policy: Some(policy.into()),
                containers: vec![corev1::Container {
                    name: "c".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn exited(code: i32) -> PodStatus {
        PodStatus {
            uid: "u".into(),
            sandboxes: Vec::new(),
            containers: vec![ContainerStatus {
                id: "1".into(),
                name: "c".into(),
                state: ContainerState::Exited,
                created_at: SimTime::ZERO,
                started_at: Some(SimTime::ZERO),
                finished_at: Some(SimTime(1)),
                exit_code: code,
                reason: String::new(),
                message: String::new(),
                image: String::new(),
                image_ref: String::new(),
                hash: 0,
                restart_count: 0,
            }],
        }
    }

    #[test]
    fn restart_decisions_follow_the_policy() {
        let container = pod("Always").spec.unwrap().containers[0].clone();
        let cases = [
            ("Always", 0, true),
            ("Always", 1, true),
            ("OnFailure", 0, false),
            ("OnFailure", 1, true),
            ("Never", 1, false),
        ];
        for (policy, code, restart) in cases {
            assert_eq!(
                should_container_be_restarted(&container, &pod(policy), &exited(code)),
                restart,
                "{policy} exit {code}"
            );
        }
        assert!(should_container_be_restarted(
            &container,
            &pod("Never"),
            &PodStatus::default()
        ));
    }

    #[test]
    fn spec_changes_change_the_hash() {
        let mut c = corev1::Container {
            name: "web".into(),
            image: Some("nginx".into()),
            ..Default::default()
        };
        let before = hash_container(&c);
        assert_eq!(before, hash_container(&c.clone()));
        c.image = Some("nginx:1.27".into());
        assert_ne!(before, hash_container(&c));
    }

    #[test]
    fn the_hash_is_fnv1a_of_the_spec_as_json_text() {
        let c = corev1::Container {
            name: "web".into(),
            image: Some("nginx".into()),
            args: Some(vec!["-g".into(), "daemon off;".into()]),
            ..Default::default()
        };
        let json = serde_json::to_string(&c).unwrap();
        let mut hash: u32 = 0x811c9dc5;
        for byte in json.as_bytes() {
            hash ^= u32::from(*byte);
            hash = hash.wrapping_mul(0x01000193);
        }
        assert_eq!(hash_container(&c), u64::from(hash));
    }
}
