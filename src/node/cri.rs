//! Mirrors the CRI (`k8s.io/cri-api`): the runtime service and image service calls a container
//! runtime serves, with request and response types shaped as the kubelet's `kuberuntime` uses
//! them.
//!
//! The emulated containerd (`crate::node::runtime`) implements this trait and the kubelet calls
//! it; neither sees the other's internals, just as upstream talks gRPC to containerd.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::node::fs::Fs;
use crate::sim::{Rng, SimDuration, SimTime};

/// Labels or annotations of a sandbox or container: fixed when it is created and shared by
/// every listing of it, since the kubelet lists the runtime several times a second.
pub type Labels = Arc<BTreeMap<String, String>>;

/// The label every container carries with its pod's UID (the kubelet's
/// `io.kubernetes.pod.uid`), which `ListContainers` filters on.
pub const POD_UID_LABEL: &str = "io.kubernetes.pod.uid";

/// `ContainerFilter`: which containers `ListContainers` returns; every field that is set must
/// match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContainerFilter<'a> {
    /// Only the container with this id.
    pub id: Option<&'a str>,
    /// Only containers in this sandbox.
    pub pod_sandbox_id: Option<&'a str>,
    /// Only containers in this state.
    pub state: Option<ContainerState>,
    /// Only containers of the pod with this UID (a label selector on `io.kubernetes.pod.uid`).
    pub pod_uid: Option<&'a str>,
}

impl ContainerFilter<'_> {
    /// Whether a container with these attributes passes the filter.
    pub fn matches(
        &self,
        id: &str,
        sandbox_id: &str,
        state: ContainerState,
        labels: &BTreeMap<String, String>,
    ) -> bool {
        self.id.is_none_or(|want| want == id)
            && self.pod_sandbox_id.is_none_or(|want| want == sandbox_id)
            && self.state.is_none_or(|want| want == state)
            && self
                .pod_uid
                .is_none_or(|want| labels.get(POD_UID_LABEL).map(String::as_str) == Some(want))
    }
}

/// `PodSandboxConfig`: what the kubelet asks for when it creates a sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// The pod's name.
    pub name: String,
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's UID.
    pub uid: String,
    /// How many sandboxes this pod had before.
    pub attempt: u32,
    /// The hostname inside the pod.
    pub hostname: String,
    /// The pod shares the host's network.
    pub host_network: bool,
    /// The pod IP (empty for host-network pods); the kubelet's IPAM picks it.
    pub ip: String,
    /// Labels (the pod's, plus the kubelet's `io.kubernetes.pod.*`).
    pub labels: Labels,
    /// Annotations (the pod's).
    pub annotations: Labels,
}

/// One bind mount into a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// Where it appears in the container.
    pub container_path: String,
    /// The host path behind it.
    pub host_path: String,
    /// Mounted read-only.
    pub readonly: bool,
}

/// `ContainerConfig`: what the kubelet asks for when it creates a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerConfig {
    /// The container's name in the pod spec.
    pub name: String,
    /// Restarts before this instance (CRI metadata `attempt`).
    pub attempt: u32,
    /// The image to run.
    pub image: String,
    /// The entrypoint override (`command`).
    pub command: Vec<String>,
    /// The arguments (`args`).
    pub args: Vec<String>,
    /// Environment variables, in order.
    pub env: Vec<(String, String)>,
    /// The working directory.
    pub working_dir: String,
    /// Mounts.
    pub mounts: Vec<Mount>,
    /// Labels (`io.kubernetes.*`).
    pub labels: Labels,
    /// Annotations (hash, restart count, ...).
    pub annotations: Labels,
    /// Where the runtime writes the container's log.
    pub log_path: String,
}

/// A container's state as the runtime reports it (`kubecontainer.State`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ContainerState {
    /// Created, not started.
    Created,
    /// Running.
    Running,
    /// Finished.
    Exited,
    /// The runtime cannot tell.
    Unknown,
}

impl ContainerState {
    /// The lower-case name upstream logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerState::Created => "created",
            ContainerState::Running => "running",
            ContainerState::Exited => "exited",
            ContainerState::Unknown => "unknown",
        }
    }
}

/// A sandbox as `ListPodSandbox`/`PodSandboxStatus` report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxInfo {
    /// Its id.
    pub id: String,
    /// The pod's name.
    pub name: String,
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's UID.
    pub uid: String,
    /// Its attempt number.
    pub attempt: u32,
    /// `SANDBOX_READY` (its pause process runs) or not.
    pub ready: bool,
    /// When it was created.
    pub created_at: SimTime,
    /// Its IP (empty for host-network pods).
    pub ip: String,
    /// Its labels.
    pub labels: Labels,
}

/// A container as `ListContainers`/`ContainerStatus` report it.
///
/// Its text is shared with the runtime's record of the container (`Arc<str>`, like
/// [`Labels`]): the kubelet lists containers on every status of every pod, and a listing then
/// copies pointers, not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInfo {
    /// Its id.
    pub id: Arc<str>,
    /// The sandbox it runs in.
    pub sandbox_id: Arc<str>,
    /// Its name (CRI metadata).
    pub name: Arc<str>,
    /// Its attempt (CRI metadata).
    pub attempt: u32,
    /// Its state.
    pub state: ContainerState,
    /// When it was created.
    pub created_at: SimTime,
    /// When it started.
    pub started_at: Option<SimTime>,
    /// When it finished.
    pub finished_at: Option<SimTime>,
    /// Its exit code.
    pub exit_code: i32,
    /// `Completed`, `Error`, ...
    pub reason: Arc<str>,
    /// The runtime's message.
    pub message: Arc<str>,
    /// The image as the runtime names it (`docker.io/library/nginx:latest`).
    pub image: Arc<str>,
    /// The image id (`sha256:...`).
    pub image_id: Arc<str>,
    /// The image digest reference.
    pub image_ref: Arc<str>,
    /// Its labels.
    pub labels: Labels,
    /// Its annotations.
    pub annotations: Labels,
}

/// The label every container carries with its pod's name (`io.kubernetes.pod.name`).
pub const POD_NAME_LABEL: &str = "io.kubernetes.pod.name";

/// The label every container carries with its pod's namespace (`io.kubernetes.pod.namespace`).
pub const POD_NAMESPACE_LABEL: &str = "io.kubernetes.pod.namespace";

/// A sandbox or container as a lending listing ([`Cri::visit_listing`]) shows it, borrowed
/// from the runtime's own record of it: nothing is copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListedRef<'a> {
    /// A sandbox, named by its config.
    Sandbox {
        /// Its id.
        id: &'a str,
        /// The pod's UID.
        uid: &'a str,
        /// The pod's name.
        name: &'a str,
        /// The pod's namespace.
        namespace: &'a str,
        /// `SANDBOX_READY` or not.
        ready: bool,
    },
    /// A container, which names its pod by its labels.
    Container {
        /// Its id.
        id: &'a str,
        /// Its state.
        state: ContainerState,
        /// Its labels.
        labels: &'a BTreeMap<String, String>,
    },
}

impl<'a> ListedRef<'a> {
    /// The sandbox's or container's id.
    pub fn id(&self) -> &'a str {
        match *self {
            ListedRef::Sandbox { id, .. } | ListedRef::Container { id, .. } => id,
        }
    }

    /// The pod's UID (a container's `io.kubernetes.pod.uid` label, empty without one).
    pub fn pod_uid(&self) -> &'a str {
        match *self {
            ListedRef::Sandbox { uid, .. } => uid,
            ListedRef::Container { labels, .. } => label(labels, POD_UID_LABEL),
        }
    }

    /// The pod's name (a container's `io.kubernetes.pod.name` label, empty without one).
    pub fn pod_name(&self) -> &'a str {
        match *self {
            ListedRef::Sandbox { name, .. } => name,
            ListedRef::Container { labels, .. } => label(labels, POD_NAME_LABEL),
        }
    }

    /// The pod's namespace (a container's `io.kubernetes.pod.namespace` label, empty without
    /// one).
    pub fn pod_namespace(&self) -> &'a str {
        match *self {
            ListedRef::Sandbox { namespace, .. } => namespace,
            ListedRef::Container { labels, .. } => label(labels, POD_NAMESPACE_LABEL),
        }
    }
}

/// The value of label `key`, empty when it is missing.
fn label<'a>(labels: &'a BTreeMap<String, String>, key: &str) -> &'a str {
    labels.get(key).map(String::as_str).unwrap_or_default()
}

/// An image in the runtime's store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// `sha256:...`.
    pub id: String,
    /// Its tags.
    pub repo_tags: Vec<String>,
    /// Its digest references.
    pub repo_digests: Vec<String>,
    /// Its size in bytes.
    pub size: u64,
}

/// The state of a pull.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullState {
    /// The image is there.
    Done(ImageInfo),
    /// Still pulling; done at this time.
    Pulling {
        /// When the pull completes.
        done_at: SimTime,
    },
    /// The pull failed with the runtime's message.
    Failed(String),
}

/// What an exec (for `exec` probes) produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecResult {
    /// The exit code.
    pub exit_code: i32,
    /// What went to stdout.
    pub stdout: String,
    /// What went to stderr.
    pub stderr: String,
}

/// What an HTTP probe got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpProbeAnswer {
    /// A status code.
    Status(u16),
    /// Nothing listens.
    Refused,
    /// The connection failed otherwise; Go's `http.Client` error text.
    Error(String),
}

/// The runtime and image services.
pub trait Cri {
    /// `RunPodSandbox`.
    fn run_pod_sandbox(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        config: &SandboxConfig,
    ) -> Result<String, String>;
    /// `StopPodSandbox`: stops its containers and the pause process.
    fn stop_pod_sandbox(&mut self, now: SimTime, id: &str) -> Result<(), String>;
    /// `RemovePodSandbox`.
    fn remove_pod_sandbox(&mut self, id: &str) -> Result<(), String>;
    /// `ListPodSandbox`.
    fn list_pod_sandboxes(&self) -> Vec<SandboxInfo>;
    /// `ListPodSandbox` with a filter: the sandboxes of the pod with UID `uid` (its
    /// `io.kubernetes.pod.uid` label), in the unfiltered list's order.
    fn list_pod_sandboxes_of(&self, uid: &str) -> Vec<SandboxInfo> {
        let mut all = self.list_pod_sandboxes();
        all.retain(|s| s.uid == uid);
        all
    }
    /// `CreateContainer`.
    fn create_container(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        sandbox_id: &str,
        config: &ContainerConfig,
    ) -> Result<String, String>;
    /// `StartContainer`.
    fn start_container(&mut self, now: SimTime, id: &str, fs: &mut Fs) -> Result<(), String>;
    /// `StopContainer`: SIGTERM, then SIGKILL when `timeout` runs out.
    fn stop_container(
        &mut self,
        now: SimTime,
        id: &str,
        timeout: SimDuration,
    ) -> Result<(), String>;
    /// `RemoveContainer`.
    fn remove_container(&mut self, id: &str) -> Result<(), String>;
    /// `ListContainers` (all states).
    fn list_containers(&self) -> Vec<ContainerInfo>;
    /// A counter that moves whenever what `list_pod_sandboxes` or `list_containers` would
    /// return may have changed; `None` when the runtime does not keep one. Not part of the
    /// CRI: the emulation's stand-in for the kubelet noticing that a relist found nothing new.
    fn list_revision(&self) -> Option<u64> {
        None
    }
    /// `ListPodSandbox` then `ListContainers` as one lending pass: `visit` sees every sandbox,
    /// then every container, in the lists' order, borrowed for as long as the runtime is. The
    /// PLEG relists every second and housekeeping every 2 s; both only compare, so they borrow
    /// instead of copying the runtime's whole listing. Not part of the CRI (whose listings are
    /// copies sent over gRPC): the emulation's stand-in for a relist that allocates nothing.
    fn visit_listing<'a>(&'a self, visit: &mut dyn FnMut(ListedRef<'a>));
    /// `ListContainers` with a `ContainerFilter`: only the containers it matches, in the
    /// unfiltered list's order.
    fn list_containers_filtered(&self, filter: &ContainerFilter<'_>) -> Vec<ContainerInfo> {
        let mut all = self.list_containers();
        all.retain(|c| filter.matches(&c.id, &c.sandbox_id, c.state, &c.labels));
        all
    }
    /// `ImageStatus`: the image if present.
    fn image_status(&self, image: &str) -> Option<ImageInfo>;
    /// `ListImages`.
    fn list_images(&self) -> Vec<ImageInfo>;
    /// `PullImage`, which takes virtual time.
    fn pull_image(&mut self, now: SimTime, image: &str) -> PullState;
    /// `ExecSync`, for exec probes.
    fn exec_sync(&mut self, now: SimTime, id: &str, cmd: &[String], fs: &mut Fs) -> ExecResult;
    /// An HTTP GET against a container's port (probes).
    fn http_get(
        &mut self,
        now: SimTime,
        id: &str,
        port: u16,
        path: &str,
        https: bool,
        fs: &mut Fs,
    ) -> HttpProbeAnswer;
    /// A TCP connect against a container's port (probes).
    fn tcp_connect(&self, now: SimTime, id: &str, port: u16) -> bool;
}
