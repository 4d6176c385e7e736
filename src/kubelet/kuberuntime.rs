//! Mirrors `pkg/kubelet/kuberuntime` (v1.34: `kuberuntime_manager.go`,
//! `kuberuntime_container.go`, `kuberuntime_sandbox.go`, `kuberuntime_gc.go`, `labels.go`) and
//! `pod_container_deletor.go`: reading a pod's state back from the runtime, deciding what to
//! create, start and kill (`computePodActions`), doing it (`SyncPod`, `KillPod`), and pruning
//! dead containers.
//!
//! Simplified:
//! - Init, ephemeral and sidecar containers are not run; lifecycle hooks are not run.
//! - A CRI call that blocks upstream (an image pull, `StopContainer` waiting out a grace
//!   period) returns at once here; `SyncPod`/`KillPod` then ask the pod worker to wait until
//!   the runtime is done and run again.
//! - Pod IPs come from a host-local style allocator over the node's pod CIDR, in place of a
//!   CNI plugin.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::store::Resource;
use crate::apiserver::ApiServer;
use crate::kubelet::backoff::Backoff;
use crate::kubelet::container::*;
use crate::kubelet::context::Ctx;
use crate::kubelet::cri::{
    ContainerConfig, ContainerFilter, ContainerInfo, Cri, Mount, SandboxConfig,
};
use crate::kubelet::events::{InvolvedObject, Recorder};
use crate::kubelet::images::{ImageManager, ImageOutcome};
use crate::kubelet::status::ReasonCache;
use crate::kubelet::types::{pod_name, pod_namespace, pod_ref, pod_uid};
use crate::kubelet::volumes::{setup_volumes, MountFailure, MountedVolume};
use crate::node::fs::Fs;
use crate::sim::trace::{Event, LogLine};
use crate::sim::{SimDuration, SimTime};

/// How many dead instances of each container a pod keeps (`minDeadContainerInPod`).
pub const DEAD_CONTAINERS_TO_KEEP: usize = 1;

/// Whether a running container failed a probe that restarts it.
pub trait ProbeFailures {
    /// The container's liveness probe has failed.
    fn liveness_failed(&self, container_id: &str) -> bool;
    /// The container's startup probe has failed.
    fn startup_failed(&self, container_id: &str) -> bool;
}

/// What `SyncPod` touches besides the runtime manager.
pub struct SyncEnv<'a> {
    /// The container runtime.
    pub cri: &'a mut dyn Cri,
    /// The node's filesystem (volumes, files processes read).
    pub fs: &'a mut Fs,
    /// The API server, for ConfigMaps and Secrets (`None` in standalone mode).
    pub api: Option<&'a ApiServer>,
    /// The event recorder.
    pub recorder: &'a mut Recorder,
    /// Why containers are not running.
    pub reasons: &'a mut ReasonCache,
    /// Probe failures that restart containers.
    pub probes: &'a dyn ProbeFailures,
    /// The node's IP (hostIP, and the pod IP of host-network pods).
    pub node_ip: &'a str,
}

/// One failed step of a sync (`SyncResult`): action, target, error kind and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepFailure {
    /// `StartContainer`, `KillContainer`, `CreatePodSandbox`, ...
    pub action: &'static str,
    /// The container name or pod.
    pub target: String,
    /// `CrashLoopBackOff`, `ErrImagePull`, `ImagePullBackOff`, `CreateContainerError`, ...
    pub kind: String,
    /// The detail.
    pub message: String,
}

/// The outcome of `SyncPod` (`PodSyncResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncResult {
    /// Failed steps.
    pub failures: Vec<StepFailure>,
    /// A failure before any step (`SyncError`).
    pub sync_error: Option<String>,
    /// The sync has to continue at this time (a pull or a kill in progress).
    pub wait: Option<SimTime>,
}

impl SyncResult {
    /// The aggregated error, worded as upstream's `PodSyncResult.Error()`.
    pub fn error(&self) -> Option<String> {
        let mut errs = Vec::new();
        if let Some(err) = &self.sync_error {
            errs.push(format!("failed to SyncPod: {err}"));
        }
        for f in &self.failures {
            errs.push(format!(
                "failed to {:?} for {:?} with {}: {:?}",
                f.action, f.target, f.kind, f.message
            ));
        }
        match errs.len() {
            0 => None,
            1 => errs.pop(),
            _ => Some(format!("[{}]", errs.join(", "))),
        }
    }
}

/// The outcome of `KillPod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillOutcome {
    /// Every container and sandbox is stopped.
    Done,
    /// Containers are still stopping; look again at this time at the latest.
    Wait(SimTime),
}

/// Why a running container is killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KillReason {
    Unspecified,
    LivenessProbe,
    StartupProbe,
}

/// A container `computePodActions` wants killed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ContainerToKill {
    id: String,
    name: String,
    message: String,
    reason: KillReason,
}

/// `podActions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PodActions {
    kill_pod: bool,
    create_sandbox: bool,
    sandbox_id: Option<String>,
    attempt: u32,
    containers_to_start: Vec<usize>,
    containers_to_kill: Vec<ContainerToKill>,
}

/// The kubelet's runtime manager (`kubeGenericRuntimeManager`).
#[derive(Debug, Clone)]
pub struct RuntimeManager {
    /// Container restart back-off.
    pub backoff: Backoff,
    /// Image pulls.
    pub images: ImageManager,
    /// The first three octets of the node's pod /24.
    pod_subnet: String,
    used_ips: BTreeSet<u8>,
    /// Containers asked to stop, and when their grace period ends.
    stopping: BTreeMap<String, SimTime>,
}

impl Default for RuntimeManager {
    fn default() -> Self {
        RuntimeManager::new("10.244.0")
    }
}

impl RuntimeManager {
    /// A manager handing out pod IPs from `<pod_subnet>.2` up.
    pub fn new(pod_subnet: &str) -> RuntimeManager {
        RuntimeManager {
            backoff: Backoff::containers(),
            images: ImageManager::default(),
            pod_subnet: pod_subnet.to_string(),
            used_ips: BTreeSet::new(),
            stopping: BTreeMap::new(),
        }
    }

    /// Marks the IPs of existing sandboxes as taken (after a kubelet restart).
    pub fn adopt_ips(&mut self, cri: &dyn Cri) {
        let prefix = format!("{}.", self.pod_subnet);
        for sandbox in cri.list_pod_sandboxes() {
            if let Some(last) = sandbox.ip.strip_prefix(&prefix) {
                if let Ok(n) = last.parse::<u8>() {
                    self.used_ips.insert(n);
                }
            }
        }
    }

    fn allocate_ip(&mut self) -> Option<String> {
        let n = (2..=254u8).find(|n| !self.used_ips.contains(n))?;
        self.used_ips.insert(n);
        Some(format!("{}.{n}", self.pod_subnet))
    }

    fn release_ip(&mut self, ip: &str) {
        let prefix = format!("{}.", self.pod_subnet);
        if let Some(n) = ip.strip_prefix(&prefix).and_then(|l| l.parse::<u8>().ok()) {
            self.used_ips.remove(&n);
        }
    }

    /// `SyncPod`: brings the runtime in line with `pod`.
    pub fn sync_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut SyncEnv<'_>,
        pod: &corev1::Pod,
        status: &PodStatus,
    ) -> SyncResult {
        let mut result = SyncResult::default();
        let actions = compute_pod_actions(ctx, pod, status, env.probes);
        if actions.create_sandbox {
            if actions.sandbox_id.is_some() {
                env.recorder.eventf(
                    ctx,
                    InvolvedObject::pod(pod),
                    "Normal",
                    "SandboxChanged",
                    "Pod sandbox changed, it will be killed and re-created.",
                );
            } else {
                ctx.log(
                    LogLine::info(
                        4,
                        "kuberuntime_manager.go:1047",
                        "SyncPod received new pod, will create a sandbox for it",
                    )
                    .with("pod", pod_ref(pod).to_string()),
                );
            }
        }
        if actions.kill_pod {
            if let KillOutcome::Wait(until) = self.kill_pod(ctx, env, pod, status, None) {
                result.wait = Some(until);
                return result;
            }
            if !actions.create_sandbox {
                return result;
            }
        } else {
            for kill in &actions.containers_to_kill {
                ctx.log(
                    LogLine::info(
                        3,
                        "kuberuntime_manager.go:1077",
                        "Killing unwanted container for pod",
                    )
                    .with("containerName", &kill.name)
                    .with("containerID", format!("containerd://{}", kill.id))
                    .with("pod", pod_ref(pod).to_string()),
                );
                let deadline = self.kill_container(
                    ctx,
                    env,
                    pod,
                    &kill.id,
                    &kill.name,
                    &kill.message,
                    kill.reason,
                    None,
                );
                if let Some(deadline) = deadline {
                    result.wait = Some(result.wait.map_or(deadline, |w| w.max(deadline)));
                }
            }
            if result.wait.is_some() {
                return result;
            }
        }

        let mut sandbox_id = actions.sandbox_id.clone();
        let mut pod_ip = status.ip().map(str::to_string);
        if actions.create_sandbox {
            match self.create_pod_sandbox(ctx, env, pod, actions.attempt) {
                Ok((id, ip)) => {
                    sandbox_id = Some(id);
                    pod_ip = ip;
                }
                Err(err) => {
                    env.recorder.eventf(
                        ctx,
                        InvolvedObject::pod(pod),
                        "Warning",
                        "FailedCreatePodSandBox",
                        format!("Failed to create pod sandbox: {err}"),
                    );
                    result.failures.push(StepFailure {
                        action: "CreatePodSandbox",
                        target: format_pod(pod),
                        kind: "CreatePodSandboxError".into(),
                        message: err,
                    });
                    return result;
                }
            }
        }
        let Some(sandbox_id) = sandbox_id else {
            return result;
        };

        let mounts = match setup_volumes(ctx.now, env.fs, env.api, pod) {
            Ok(mounts) => mounts,
            Err(failures) => {
                report_mount_failures(ctx, env, pod, &failures, &mut result);
                return result;
            }
        };
        let containers: &[corev1::Container] = pod.spec.as_ref().map_or(&[], |s| &s.containers);
        for idx in &actions.containers_to_start {
            let container = &containers[*idx];
            let outcome = self.start_container(
                ctx,
                env,
                pod,
                status,
                container,
                &sandbox_id,
                pod_ip.as_deref(),
                &mounts,
            );
            match outcome {
                StartOutcome::Started => env.reasons.remove(pod_uid(pod), &container.name),
                StartOutcome::Wait(at) => {
                    result.wait = Some(at);
                    return result;
                }
                StartOutcome::Failed { kind, message } => {
                    env.reasons
                        .update(pod_uid(pod), &container.name, &kind, &message);
                    result.failures.push(StepFailure {
                        action: "StartContainer",
                        target: container.name.clone(),
                        kind,
                        message,
                    });
                }
            }
        }
        result
    }

    fn create_pod_sandbox(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut SyncEnv<'_>,
        pod: &corev1::Pod,
        attempt: u32,
    ) -> Result<(String, Option<String>), String> {
        ctx.log(
            LogLine::info(
                4,
                "kuberuntime_manager.go:1120",
                "Creating PodSandbox for pod",
            )
            .with("pod", pod_ref(pod).to_string()),
        );
        let host_network = is_host_network(pod);
        let ip = if host_network {
            None
        } else {
            Some(self.allocate_ip().ok_or_else(|| {
                "failed to allocate for range 0: no IP addresses available in range set".to_string()
            })?)
        };
        let mut labels: BTreeMap<String, String> = pod.metadata.labels.clone().unwrap_or_default();
        labels.insert(LABEL_POD_NAME.into(), pod_name(pod).into());
        labels.insert(LABEL_POD_NAMESPACE.into(), pod_namespace(pod).into());
        labels.insert(LABEL_POD_UID.into(), pod_uid(pod).into());
        let config = SandboxConfig {
            name: pod_name(pod).to_string(),
            namespace: pod_namespace(pod).to_string(),
            uid: pod_uid(pod).to_string(),
            attempt,
            hostname: pod
                .spec
                .as_ref()
                .and_then(|s| s.hostname.clone())
                .unwrap_or_else(|| pod_name(pod).to_string()),
            host_network,
            ip: ip.clone().unwrap_or_default(),
            labels: labels.into(),
            annotations: pod.metadata.annotations.clone().unwrap_or_default().into(),
        };
        match env.cri.run_pod_sandbox(ctx.now, ctx.rng, &config) {
            Ok(id) => {
                ctx.log(
                    LogLine::info(
                        4,
                        "kuberuntime_manager.go:1160",
                        "Created PodSandbox for pod",
                    )
                    .with("podSandboxID", &id)
                    .with("pod", pod_ref(pod).to_string()),
                );
                Ok((id, ip))
            }
            Err(err) => {
                if let Some(ip) = &ip {
                    self.release_ip(ip);
                }
                ctx.log(
                    LogLine::error(
                        "kuberuntime_manager.go:1152",
                        "CreatePodSandbox for pod failed",
                    )
                    .with("err", &err)
                    .with("pod", pod_ref(pod).to_string()),
                );
                Err(err)
            }
        }
    }

    /// `startContainer`: pull, create, start, with back-off and events.
    #[allow(clippy::too_many_arguments)]
    fn start_container(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut SyncEnv<'_>,
        pod: &corev1::Pod,
        status: &PodStatus,
        container: &corev1::Container,
        sandbox_id: &str,
        pod_ip: Option<&str>,
        mounts: &[MountedVolume],
    ) -> StartOutcome {
        let object = InvolvedObject::container(pod, &container.name);
        if let Some(message) = self.do_backoff(ctx, env, pod, container, status) {
            return StartOutcome::Failed {
                kind: "CrashLoopBackOff".into(),
                message,
            };
        }
        match self
            .images
            .ensure_image_exists(ctx, env.cri, env.recorder, pod, container)
        {
            ImageOutcome::Ready(_) => (),
            ImageOutcome::Wait(at) => return StartOutcome::Wait(at),
            ImageOutcome::Failed { reason, message } => {
                env.recorder
                    .eventf(ctx, object, "Warning", "Failed", format!("Error: {reason}"));
                return StartOutcome::Failed {
                    kind: reason.into(),
                    message,
                };
            }
        };
        // A container the runtime no longer lists (removed by `crictl rm`, or by a runtime
        // that lost its state) continues from the attempts its log directory remembers.
        let log_dir = crate::kubelet::logs::container_logs_directory(
            pod_namespace(pod),
            pod_name(pod),
            pod_uid(pod),
            &container.name,
        );
        let restart_count = status
            .find_container(&container.name)
            .map(|c| c.restart_count + 1)
            .unwrap_or_else(|| crate::kubelet::logs::restart_count_by_log_dir(env.fs, &log_dir));
        // generateContainerConfig makes the directory the runtime writes the log into.
        let _ = env.fs.mkdir_all(ctx.now, &log_dir);
        let config =
            match generate_container_config(env, pod, container, restart_count, pod_ip, mounts) {
                Ok(config) => config,
                Err(err) => {
                    env.recorder
                        .eventf(ctx, object, "Warning", "Failed", format!("Error: {err}"));
                    return StartOutcome::Failed {
                        kind: "CreateContainerConfigError".into(),
                        message: err,
                    };
                }
            };
        let id = match env
            .cri
            .create_container(ctx.now, ctx.rng, sandbox_id, &config)
        {
            Ok(id) => id,
            Err(err) => {
                env.recorder
                    .eventf(ctx, object, "Warning", "Failed", format!("Error: {err}"));
                return StartOutcome::Failed {
                    kind: "CreateContainerError".into(),
                    message: err,
                };
            }
        };
        env.recorder.eventf(
            ctx,
            object.clone(),
            "Normal",
            "Created",
            format!("Created container: {}", container.name),
        );
        if let Err(err) = env.cri.start_container(ctx.now, &id, env.fs) {
            env.recorder
                .eventf(ctx, object, "Warning", "Failed", format!("Error: {err}"));
            return StartOutcome::Failed {
                kind: "RunContainerError".into(),
                message: err,
            };
        }
        env.recorder.eventf(
            ctx,
            object,
            "Normal",
            "Started",
            format!("Started container {}", container.name),
        );
        // The legacy symlink for cluster logging, made only when the log file exists.
        if env.fs.exists(&config.log_path) {
            let link = crate::kubelet::logs::legacy_log_symlink(
                &id,
                &container.name,
                pod_name(pod),
                pod_namespace(pod),
            );
            let _ = env.fs.symlink(ctx.now, &config.log_path, &link);
        }
        StartOutcome::Started
    }

    /// `doBackOff`: refuses to start a container that exited too recently; otherwise moves
    /// its back-off on. Returns the back-off message when refusing.
    fn do_backoff(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut SyncEnv<'_>,
        pod: &corev1::Pod,
        container: &corev1::Container,
        status: &PodStatus,
    ) -> Option<String> {
        let exited = status
            .containers
            .iter()
            .find(|c| c.name == container.name && c.state == ContainerState::Exited)?;
        let finished = exited.finished_at.unwrap_or(exited.created_at);
        let key = stable_key(pod, container);
        // A sync that paused for an image pull comes back here for the same exit: upstream
        // pulls inside the one SyncPod call, so that exit has already been let through.
        if self.backoff.last_update(&key) == Some(finished) {
            return None;
        }
        if self.backoff.is_in_backoff_since(&key, finished, ctx.now) {
            ctx.record(Event::ContainerBackOff {
                pod: Box::new(pod_ref(pod)),
                container: container.name.clone(),
                back_off: self.backoff.get(&key),
                until: self.backoff.window_end(&key, finished).unwrap_or(ctx.now),
            });
            env.recorder.eventf(
                ctx,
                InvolvedObject::container(pod, &container.name),
                "Warning",
                "BackOff",
                format!(
                    "Back-off restarting failed container {} in pod {}",
                    container.name,
                    format_pod(pod)
                ),
            );
            let message = format!(
                "back-off {} restarting failed container={} pod={}",
                self.backoff.get(&key),
                container.name,
                format_pod(pod)
            );
            ctx.log(
                LogLine::info(
                    3,
                    "kuberuntime_manager.go:1494",
                    "Back-off restarting failed container",
                )
                .with("err", &message),
            );
            return Some(message);
        }
        self.backoff.next(&key, finished);
        None
    }

    /// `killContainer`: SIGTERM with the grace period, SIGKILL when it runs out. Returns the
    /// grace deadline if the container has not stopped yet.
    #[allow(clippy::too_many_arguments)]
    fn kill_container(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut SyncEnv<'_>,
        pod: &corev1::Pod,
        id: &str,
        name: &str,
        message: &str,
        reason: KillReason,
        grace_override: Option<i64>,
    ) -> Option<SimTime> {
        let running = !env
            .cri
            .list_containers_filtered(&ContainerFilter {
                id: Some(id),
                state: Some(ContainerState::Running),
                ..ContainerFilter::default()
            })
            .is_empty();
        if !running {
            self.stopping.remove(id);
            return None;
        }
        if let Some(deadline) = self.stopping.get(id) {
            return Some(*deadline);
        }
        let container = pod
            .spec
            .as_ref()
            .and_then(|s| s.containers.iter().find(|c| c.name == name));
        let mut grace = pod
            .metadata
            .deletion_grace_period_seconds
            .or_else(|| {
                pod.spec
                    .as_ref()
                    .and_then(|s| s.termination_grace_period_seconds)
            })
            .unwrap_or(30);
        let probe_grace = match reason {
            KillReason::LivenessProbe => container
                .and_then(|c| c.liveness_probe.as_ref())
                .and_then(|p| p.termination_grace_period_seconds),
            KillReason::StartupProbe => container
                .and_then(|c| c.startup_probe.as_ref())
                .and_then(|p| p.termination_grace_period_seconds),
            KillReason::Unspecified => None,
        };
        if let Some(probe_grace) = probe_grace {
            grace = probe_grace;
        }
        if let Some(value) = grace_override {
            grace = value;
        }
        let grace = grace.max(0) as u64;
        let shown = if message.is_empty() {
            format!("Stopping container {name}")
        } else {
            message.to_string()
        };
        env.recorder.eventf(
            ctx,
            InvolvedObject::container(pod, name),
            "Normal",
            "Killing",
            shown,
        );
        ctx.log(
            LogLine::info(
                2,
                "kuberuntime_container.go:864",
                "Killing container with a grace period",
            )
            .with("pod", pod_ref(pod).to_string())
            .with("podUID", pod_uid(pod))
            .with("containerName", name)
            .with("containerID", format!("containerd://{id}"))
            .with_raw("gracePeriod", grace.to_string()),
        );
        let timeout = SimDuration::from_secs(grace);
        if let Err(err) = env.cri.stop_container(ctx.now, id, timeout) {
            ctx.log(
                LogLine::error(
                    "kuberuntime_container.go:875",
                    "Container termination failed with gracePeriod",
                )
                .with("err", err)
                .with("pod", pod_ref(pod).to_string())
                .with("containerName", name),
            );
            return None;
        }
        let still_running = !env
            .cri
            .list_containers_filtered(&ContainerFilter {
                id: Some(id),
                state: Some(ContainerState::Running),
                ..ContainerFilter::default()
            })
            .is_empty();
        if !still_running {
            return None;
        }
        let deadline = ctx.now + timeout;
        self.stopping.insert(id.to_string(), deadline);
        Some(deadline)
    }

    /// `KillPod`: stops every running container (in parallel, each with its grace period),
    /// then the pod's sandboxes.
    pub fn kill_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut SyncEnv<'_>,
        pod: &corev1::Pod,
        status: &PodStatus,
        grace_override: Option<i64>,
    ) -> KillOutcome {
        let mut wait: Option<SimTime> = None;
        for container in status
            .containers
            .iter()
            .filter(|c| c.state == ContainerState::Running)
        {
            if let Some(deadline) = self.kill_container(
                ctx,
                env,
                pod,
                &container.id,
                &container.name,
                "",
                KillReason::Unspecified,
                grace_override,
            ) {
                wait = Some(wait.map_or(deadline, |w| w.max(deadline)));
            }
        }
        if let Some(until) = wait {
            return KillOutcome::Wait(until);
        }
        for sandbox in status.sandboxes.iter().filter(|s| s.ready) {
            if let Err(err) = env.cri.stop_pod_sandbox(ctx.now, &sandbox.id) {
                ctx.log(
                    LogLine::error("kuberuntime_manager.go:1294", "Failed to stop sandbox")
                        .with("err", err)
                        .with("podSandboxID", &sandbox.id),
                );
            }
            if !sandbox.ip.is_empty() {
                self.release_ip(&sandbox.ip);
            }
        }
        KillOutcome::Done
    }

    /// Whether the kubelet is waiting for any of these containers to stop.
    pub fn is_stopping(&self, ids: &[String]) -> bool {
        ids.iter().any(|id| self.stopping.contains_key(id))
    }

    /// Forgets stop requests for containers that are no longer running.
    pub fn forget_stopped(&mut self, running: &BTreeSet<String>) {
        self.stopping.retain(|id, _| running.contains(id));
    }
}

/// How starting one container went.
#[derive(Debug, Clone, PartialEq, Eq)]
enum StartOutcome {
    Started,
    Wait(SimTime),
    Failed { kind: String, message: String },
}

fn report_mount_failures(
    ctx: &mut Ctx<'_>,
    env: &mut SyncEnv<'_>,
    pod: &corev1::Pod,
    failures: &[MountFailure],
    result: &mut SyncResult,
) {
    for failure in failures {
        env.recorder.eventf(
            ctx,
            InvolvedObject::pod(pod),
            "Warning",
            "FailedMount",
            failure.error.clone(),
        );
    }
    let names: Vec<&str> = failures.iter().map(|f| f.name.as_str()).collect();
    let err = format!(
        "unmounted volumes=[{0}], unattached volumes=[{0}], failed to process volumes=[]: context deadline exceeded",
        names.join(" ")
    );
    ctx.log(
        LogLine::error(
            "kubelet.go:2066",
            "Unable to attach or mount volumes for pod; skipping pod",
        )
        .with("err", &err)
        .with("pod", pod_ref(pod).to_string()),
    );
    result.sync_error = Some(err);
}

/// `GetStableKey`: the back-off key of a container of a pod.
pub fn stable_key(pod: &corev1::Pod, container: &corev1::Container) -> String {
    format!(
        "{}_{}_{}_{}_{:x}",
        pod_name(pod),
        pod_namespace(pod),
        pod_uid(pod),
        container.name,
        hash_container(container)
    )
}

/// `PodSandboxChanged`: whether a new sandbox is needed, its attempt number and the current
/// sandbox.
fn pod_sandbox_changed(
    ctx: &mut Ctx<'_>,
    pod: &corev1::Pod,
    status: &PodStatus,
) -> (bool, u32, Option<String>) {
    let Some(latest) = status.sandboxes.first() else {
        ctx.log(
            LogLine::info(
                2,
                "helpers.go:170",
                "No sandbox for pod can be found. Need to start a new one",
            )
            .with("pod", pod_ref(pod).to_string()),
        );
        return (true, 0, None);
    };
    let ready = status.sandboxes.iter().filter(|s| s.ready).count();
    if ready > 1 {
        ctx.log(
            LogLine::info(
                2,
                "helpers.go:183",
                "Multiple sandboxes are ready for Pod. Need to reconcile them",
            )
            .with("pod", pod_ref(pod).to_string()),
        );
        return (true, latest.attempt + 1, Some(latest.id.clone()));
    }
    if !latest.ready {
        ctx.log(
            LogLine::info(
                2,
                "helpers.go:189",
                "No ready sandbox for pod can be found. Need to start a new one",
            )
            .with("pod", pod_ref(pod).to_string()),
        );
        return (true, latest.attempt + 1, Some(latest.id.clone()));
    }
    if !is_host_network(pod) && latest.ip.is_empty() {
        ctx.log(
            LogLine::info(
                2,
                "helpers.go:202",
                "Sandbox for pod has no IP address. Need to start a new one",
            )
            .with("pod", pod_ref(pod).to_string()),
        );
        return (true, latest.attempt + 1, Some(latest.id.clone()));
    }
    (false, latest.attempt, Some(latest.id.clone()))
}

/// `computePodActions`.
fn compute_pod_actions(
    ctx: &mut Ctx<'_>,
    pod: &corev1::Pod,
    status: &PodStatus,
    probes: &dyn ProbeFailures,
) -> PodActions {
    let (create_sandbox, attempt, sandbox_id) = pod_sandbox_changed(ctx, pod, status);
    let containers: &[corev1::Container] = pod.spec.as_ref().map_or(&[], |s| &s.containers);
    let mut actions = PodActions {
        kill_pod: create_sandbox,
        create_sandbox,
        sandbox_id,
        attempt,
        ..Default::default()
    };
    if create_sandbox {
        if !should_restart_on_failure(pod) && attempt != 0 && !status.containers.is_empty() {
            // A finished Never pod gets no new sandbox.
            actions.create_sandbox = false;
            return actions;
        }
        actions.containers_to_start = containers
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                !(restart_policy(pod) == "OnFailure"
                    && status
                        .find_container(&c.name)
                        .is_some_and(|s| s.state == ContainerState::Exited && s.exit_code == 0))
            })
            .map(|(idx, _)| idx)
            .collect();
        if actions.containers_to_start.is_empty() && !status.containers.is_empty() {
            actions.create_sandbox = false;
        }
        return actions;
    }
    let mut keep = 0;
    for (idx, container) in containers.iter().enumerate() {
        let current = status.find_container(&container.name);
        let running = current.filter(|c| c.state == ContainerState::Running);
        let Some(running) = running else {
            if should_container_be_restarted(container, pod, status) {
                ctx.log(
                    LogLine::info(
                        3,
                        "kuberuntime_manager.go:985",
                        "Container of pod is not in the desired state and shall be started",
                    )
                    .with("containerName", &container.name)
                    .with("pod", pod_ref(pod).to_string()),
                );
                actions.containers_to_start.push(idx);
                if let Some(unknown) = current.filter(|c| c.state == ContainerState::Unknown) {
                    actions.containers_to_kill.push(ContainerToKill {
                        id: unknown.id.clone(),
                        name: container.name.clone(),
                        message: format!(
                            "Container is in {:?} state, try killing it before restart",
                            unknown.state.as_str()
                        ),
                        reason: KillReason::Unspecified,
                    });
                }
            }
            continue;
        };
        let mut restart = should_restart_on_failure(pod);
        let (message, reason) = if running.hash != hash_container(container) {
            restart = true;
            (
                format!("Container {} definition changed", container.name),
                KillReason::Unspecified,
            )
        } else if probes.liveness_failed(&running.id) {
            (
                format!("Container {} failed liveness probe", container.name),
                KillReason::LivenessProbe,
            )
        } else if probes.startup_failed(&running.id) {
            (
                format!("Container {} failed startup probe", container.name),
                KillReason::StartupProbe,
            )
        } else {
            keep += 1;
            continue;
        };
        let message = if restart {
            actions.containers_to_start.push(idx);
            format!("{message}, will be restarted")
        } else {
            message
        };
        ctx.log(
            LogLine::info(
                2,
                "kuberuntime_manager.go:1030",
                "Message for Container of pod",
            )
            .with("containerName", &container.name)
            .with("containerStatusID", format!("containerd://{}", running.id))
            .with("pod", pod_ref(pod).to_string())
            .with("containerMessage", &message),
        );
        actions.containers_to_kill.push(ContainerToKill {
            id: running.id.clone(),
            name: container.name.clone(),
            message,
            reason,
        });
    }
    if keep == 0 && actions.containers_to_start.is_empty() {
        actions.kill_pod = true;
    }
    actions
}

/// The CRI `ContainerConfig` for one container (`generateContainerConfig`).
fn generate_container_config(
    env: &SyncEnv<'_>,
    pod: &corev1::Pod,
    container: &corev1::Container,
    restart_count: i32,
    pod_ip: Option<&str>,
    mounts: &[MountedVolume],
) -> Result<ContainerConfig, String> {
    let vars = make_environment(env, pod, container, pod_ip)?;
    let expand = |words: &Option<Vec<String>>| -> Vec<String> {
        words
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|w| expand_vars(w, &vars))
            .collect()
    };
    let mut cri_mounts = Vec::new();
    for mount in container.volume_mounts.clone().unwrap_or_default() {
        let Some(volume) = mounts.iter().find(|m| m.name == mount.name) else {
            return Err(format!(
                "cannot find volume {:?} to mount into container {:?}",
                mount.name, container.name
            ));
        };
        let host_path = match mount.sub_path.as_deref() {
            Some(sub) if !sub.is_empty() => format!("{}/{sub}", volume.host_path),
            _ => volume.host_path.clone(),
        };
        cri_mounts.push(Mount {
            container_path: mount.mount_path.clone(),
            host_path,
            readonly: mount.read_only.unwrap_or(false),
        });
    }
    let mut labels = BTreeMap::new();
    labels.insert(LABEL_POD_NAME.to_string(), pod_name(pod).to_string());
    labels.insert(
        LABEL_POD_NAMESPACE.to_string(),
        pod_namespace(pod).to_string(),
    );
    labels.insert(LABEL_POD_UID.to_string(), pod_uid(pod).to_string());
    labels.insert(LABEL_CONTAINER_NAME.to_string(), container.name.clone());
    let mut annotations = BTreeMap::new();
    annotations.insert(
        ANNOTATION_CONTAINER_HASH.to_string(),
        format!("{:x}", hash_container(container)),
    );
    annotations.insert(
        ANNOTATION_RESTART_COUNT.to_string(),
        restart_count.to_string(),
    );
    annotations.insert(
        ANNOTATION_TERMINATION_MESSAGE_PATH.to_string(),
        container
            .termination_message_path
            .clone()
            .unwrap_or_else(|| "/dev/termination-log".into()),
    );
    annotations.insert(
        ANNOTATION_TERMINATION_MESSAGE_POLICY.to_string(),
        container
            .termination_message_policy
            .clone()
            .unwrap_or_else(|| "File".into()),
    );
    annotations.insert(
        ANNOTATION_TERMINATION_GRACE_PERIOD.to_string(),
        pod.spec
            .as_ref()
            .and_then(|s| s.termination_grace_period_seconds)
            .unwrap_or(30)
            .to_string(),
    );
    Ok(ContainerConfig {
        name: container.name.clone(),
        attempt: restart_count.max(0) as u32,
        // The runtime resolves the user's image reference itself, as containerd does.
        image: container.image.clone().unwrap_or_default(),
        command: expand(&container.command),
        args: expand(&container.args),
        env: vars,
        working_dir: container.working_dir.clone().unwrap_or_default(),
        mounts: cri_mounts,
        labels: labels.into(),
        annotations: annotations.into(),
        log_path: format!(
            "{}/{restart_count}.log",
            crate::kubelet::logs::container_logs_directory(
                pod_namespace(pod),
                pod_name(pod),
                pod_uid(pod),
                &container.name
            )
        ),
    })
}

/// The container's environment (`makeEnvironmentVariables`): the `kubernetes` service's
/// variables when the kubelet has an API client, then the spec's `env`.
fn make_environment(
    env: &SyncEnv<'_>,
    pod: &corev1::Pod,
    container: &corev1::Container,
    pod_ip: Option<&str>,
) -> Result<Vec<(String, String)>, String> {
    let mut vars: Vec<(String, String)> = Vec::new();
    if env.api.is_some() {
        for (k, v) in [
            ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
            ("KUBERNETES_SERVICE_PORT", "443"),
            ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
            ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
            ("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
            ("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
            ("KUBERNETES_PORT_443_TCP_PORT", "443"),
            ("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
        ] {
            vars.push((k.to_string(), v.to_string()));
        }
    }
    let host_ip = env.node_ip.to_string();
    for var in container.env.clone().unwrap_or_default() {
        let value = if let Some(source) = &var.value_from {
            if let Some(field) = &source.field_ref {
                match field.field_path.as_str() {
                    "metadata.name" => pod_name(pod).to_string(),
                    "metadata.namespace" => pod_namespace(pod).to_string(),
                    "metadata.uid" => pod_uid(pod).to_string(),
                    "spec.nodeName" => pod
                        .spec
                        .as_ref()
                        .and_then(|s| s.node_name.clone())
                        .unwrap_or_default(),
                    "spec.serviceAccountName" => pod
                        .spec
                        .as_ref()
                        .and_then(|s| s.service_account_name.clone())
                        .unwrap_or_default(),
                    "status.hostIP" => host_ip.clone(),
                    "status.podIP" => pod_ip
                        .map(str::to_string)
                        .unwrap_or_else(|| host_ip.clone()),
                    other => return Err(format!("unsupported fieldPath: {other}")),
                }
            } else if let Some(key_ref) = &source.config_map_key_ref {
                key_value(
                    env,
                    Resource::ConfigMaps,
                    pod,
                    &key_ref.name,
                    &key_ref.key,
                    key_ref.optional,
                )?
            } else if let Some(key_ref) = &source.secret_key_ref {
                key_value(
                    env,
                    Resource::Secrets,
                    pod,
                    &key_ref.name,
                    &key_ref.key,
                    key_ref.optional,
                )?
            } else {
                String::new()
            }
        } else {
            expand_vars(&var.value.clone().unwrap_or_default(), &vars)
        };
        vars.retain(|(k, _)| *k != var.name);
        vars.push((var.name.clone(), value));
    }
    Ok(vars)
}

fn key_value(
    env: &SyncEnv<'_>,
    resource: Resource,
    pod: &corev1::Pod,
    name: &str,
    key: &str,
    optional: Option<bool>,
) -> Result<String, String> {
    let kind = if resource == Resource::ConfigMaps {
        "configmap"
    } else {
        "secret"
    };
    let object = env.api.and_then(|api| {
        api.get::<serde_json::Value>(resource, pod_namespace(pod), name)
            .ok()
    });
    let Some(object) = object else {
        if optional == Some(true) {
            return Ok(String::new());
        }
        return Err(format!("{kind} {name:?} not found"));
    };
    match object
        .pointer(&format!("/data/{key}"))
        .and_then(|v| v.as_str())
    {
        Some(value) => Ok(value.to_string()),
        None if optional == Some(true) => Ok(String::new()),
        None => Err(format!(
            "couldn't find key {key} in {} {}/{name}",
            resource.kind(),
            pod_namespace(pod)
        )),
    }
}

/// `$(VAR)` expansion in command, args and env values (`expansion.Expand`): known variables
/// are replaced, `$$` is a literal `$`, anything else stays as written.
fn expand_vars(input: &str, vars: &[(String, String)]) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(idx) = rest.find('$') {
        out.push_str(&rest[..idx]);
        let after = &rest[idx + 1..];
        if let Some(stripped) = after.strip_prefix('$') {
            out.push('$');
            rest = stripped;
            continue;
        }
        if let Some(inner) = after.strip_prefix('(') {
            if let Some(end) = inner.find(')') {
                let name = &inner[..end];
                match vars.iter().rev().find(|(k, _)| k == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push_str("$(");
                        out.push_str(name);
                        out.push(')');
                    }
                }
                rest = &inner[end + 1..];
                continue;
            }
        }
        out.push('$');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The pod's runtime state, read back from the runtime by the `io.kubernetes.pod.uid` label
/// (`GetPodStatus`): sandboxes and containers, newest first.
pub fn get_pod_status(cri: &dyn Cri, uid: &str) -> PodStatus {
    let mut sandboxes: Vec<SandboxStatus> = cri
        .list_pod_sandboxes_of(uid)
        .into_iter()
        .map(|s| SandboxStatus {
            id: s.id,
            ready: s.ready,
            attempt: s.attempt,
            created_at: s.created_at,
            ip: s.ip,
        })
        .collect();
    sandboxes.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then(b.attempt.cmp(&a.attempt))
    });
    let mut containers: Vec<ContainerStatus> = cri
        .list_containers_filtered(&ContainerFilter {
            pod_uid: Some(uid),
            ..ContainerFilter::default()
        })
        .into_iter()
        .map(|c| ContainerStatus {
            name: container_name(&c).to_string(),
            hash: c
                .annotations
                .get(ANNOTATION_CONTAINER_HASH)
                .and_then(|h| u64::from_str_radix(h, 16).ok())
                .unwrap_or(0),
            restart_count: restart_count(&c),
            id: c.id.to_string(),
            state: c.state,
            created_at: c.created_at,
            started_at: c.started_at,
            finished_at: c.finished_at,
            exit_code: c.exit_code,
            reason: c.reason.to_string(),
            message: c.message.to_string(),
            image: c.image.to_string(),
            image_ref: c.image_ref.to_string(),
        })
        .collect();
    containers.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then(b.restart_count.cmp(&a.restart_count))
    });
    PodStatus {
        uid: uid.to_string(),
        sandboxes,
        containers,
    }
}

/// A container's name in the pod spec: its `io.kubernetes.container.name` label, else its CRI
/// metadata name.
fn container_name(c: &ContainerInfo) -> &str {
    c.labels
        .get(LABEL_CONTAINER_NAME)
        .map_or(&*c.name, String::as_str)
}

/// A container's restarts before it, from its annotation (0 without one).
fn restart_count(c: &ContainerInfo) -> i32 {
    c.annotations
        .get(ANNOTATION_RESTART_COUNT)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The newest instance of container `name` of the pod with UID `uid`: what
/// `get_pod_status(cri, uid).find_container(name)` finds, without building the pod's whole
/// status (a probe asks for one container every few seconds). Among equally new instances
/// the first listed wins, as the status's stable sort keeps it first.
pub fn newest_container(cri: &dyn Cri, uid: &str, name: &str) -> Option<ContainerInfo> {
    let mut newest: Option<(SimTime, i32, ContainerInfo)> = None;
    let listed = cri.list_containers_filtered(&ContainerFilter {
        pod_uid: Some(uid),
        ..ContainerFilter::default()
    });
    for c in listed {
        if container_name(&c) != name {
            continue;
        }
        let key = (c.created_at, restart_count(&c));
        if newest.as_ref().is_none_or(|(at, n, _)| key > (*at, *n)) {
            newest = Some((key.0, key.1, c));
        }
    }
    newest.map(|(_, _, c)| c)
}

/// The IP of the newest sandbox of the pod with UID `uid` if it is ready: what
/// `get_pod_status(cri, uid).ip()` gives, without building the pod's whole status.
pub fn newest_sandbox_ip(cri: &dyn Cri, uid: &str) -> Option<String> {
    let mut newest: Option<crate::kubelet::cri::SandboxInfo> = None;
    for s in cri.list_pod_sandboxes_of(uid) {
        let newer = newest
            .as_ref()
            .is_none_or(|n| (s.created_at, s.attempt) > (n.created_at, n.attempt));
        if newer {
            newest = Some(s);
        }
    }
    newest.filter(|s| s.ready && !s.ip.is_empty()).map(|s| s.ip)
}

/// The dead containers to remove after one died (`getContainersToDeleteInPod`): exited
/// instances of the same container name beyond the newest `keep`, or of every container when
/// the pod is gone (`remove_all`).
pub fn containers_to_delete(
    died: Option<&str>,
    status: &PodStatus,
    keep: usize,
    remove_all: bool,
) -> Vec<String> {
    let (keep, died) = if remove_all { (0, None) } else { (keep, died) };
    let name = match died {
        Some(id) => match status.containers.iter().find(|c| c.id == id) {
            Some(c) => Some(c.name.clone()),
            None => return Vec::new(),
        },
        None => None,
    };
    let mut by_name: BTreeMap<&str, Vec<&ContainerStatus>> = BTreeMap::new();
    for c in status
        .containers
        .iter()
        .filter(|c| c.state == ContainerState::Exited)
        .filter(|c| name.as_deref().is_none_or(|n| n == c.name))
    {
        by_name.entry(c.name.as_str()).or_default().push(c);
    }
    // Upstream ranks all candidates together when no name filter applies; with one
    // container per name either way keeps the newest `keep`.
    by_name
        .into_values()
        .flat_map(|instances| instances.into_iter().skip(keep))
        .map(|c| c.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::runtime::fixtures;

    #[test]
    fn expands_dollar_parens() {
        let vars = vec![("NAME".to_string(), "web".to_string())];
        assert_eq!(expand_vars("hello $(NAME)", &vars), "hello web");
        assert_eq!(
            expand_vars("$(MISSING) $$(NAME) $5", &vars),
            "$(MISSING) $(NAME) $5"
        );
    }

    #[test]
    fn sync_errors_aggregate_like_upstream() {
        let mut result = SyncResult::default();
        result.failures.push(StepFailure {
            action: "StartContainer",
            target: "web".into(),
            kind: "CrashLoopBackOff".into(),
            message: "back-off 10s restarting failed container=web pod=web_default(u)".into(),
        });
        assert_eq!(
            result.error().unwrap(),
            "failed to \"StartContainer\" for \"web\" with CrashLoopBackOff: \"back-off 10s restarting failed container=web pod=web_default(u)\""
        );
    }

    fn probe_sandbox(uid: &str, ip: &str, attempt: u32) -> SandboxConfig {
        SandboxConfig {
            attempt,
            host_network: false,
            ip: ip.to_string(),
            ..fixtures::sandbox("web", "default", uid)
        }
    }

    fn probe_container(uid: &str, name: &str, attempt: u32, restarts: &str) -> ContainerConfig {
        let annotations = [(ANNOTATION_RESTART_COUNT.to_string(), restarts.to_string())];
        ContainerConfig {
            attempt,
            annotations: std::sync::Arc::new(annotations.into()),
            // The CRI name differs from the label, which names the container.
            ..fixtures::container(
                &format!("cri-{name}"),
                &[(LABEL_POD_UID, uid), (LABEL_CONTAINER_NAME, name)],
            )
        }
    }

    #[test]
    fn a_probe_finds_what_the_pod_status_finds() {
        use crate::node::runtime::Runtime;
        use crate::sim::Rng;

        let mut runtime = fixtures::runtime();
        let mut rng = Rng::seeded(5);
        let t0 = SimTime::ZERO;
        let t1 = t0 + SimDuration::from_secs(10);
        let old = runtime
            .run_pod_sandbox(t0, &mut rng, &probe_sandbox("u1", "10.244.0.7", 0))
            .unwrap();
        let check = |runtime: &Runtime, name: &str| {
            let status = get_pod_status(runtime, "u1");
            assert_eq!(
                newest_container(runtime, "u1", name).map(|c| c.id.to_string()),
                status.find_container(name).map(|c| c.id.clone()),
                "{name}"
            );
            assert_eq!(
                newest_sandbox_ip(runtime, "u1").as_deref(),
                status.ip(),
                "{name}"
            );
        };
        check(&runtime, "app");
        let create = |runtime: &mut Runtime, rng: &mut Rng, at, name, attempt, restarts| {
            runtime
                .create_container(
                    at,
                    rng,
                    &old,
                    &probe_container("u1", name, attempt, restarts),
                )
                .unwrap()
        };
        create(&mut runtime, &mut rng, t0, "app", 0, "0");
        check(&runtime, "app");
        // Newer by creation time, then by restart count; equal ones keep the listing's order.
        create(&mut runtime, &mut rng, t1, "app", 1, "1");
        create(&mut runtime, &mut rng, t1, "app", 2, "0");
        create(&mut runtime, &mut rng, t1, "app", 3, "1");
        create(&mut runtime, &mut rng, t1, "side", 0, "7");
        check(&runtime, "app");
        check(&runtime, "side");
        check(&runtime, "cri-app");
        assert!(newest_container(&runtime, "u1", "cri-app").is_none());
        let found = newest_container(&runtime, "u1", "app").unwrap();
        assert_eq!((found.created_at, restart_count(&found)), (t1, 1));
        // A stopped newest sandbox has no IP to give; a ready one has.
        runtime.stop_pod_sandbox(t1, &old).unwrap();
        check(&runtime, "app");
        let new = runtime
            .run_pod_sandbox(t1, &mut rng, &probe_sandbox("u1", "10.244.0.9", 1))
            .unwrap();
        check(&runtime, "app");
        assert_eq!(
            newest_sandbox_ip(&runtime, "u1").as_deref(),
            Some("10.244.0.9")
        );
        runtime.stop_pod_sandbox(t1, &new).unwrap();
        assert_eq!(newest_sandbox_ip(&runtime, "u1"), None);
    }
}
