//! Mirrors `pkg/kubelet/prober` (v1.34: `prober_manager.go`, `worker.go`, `prober.go`):
//! liveness, readiness and startup probes for `exec`, `httpGet` and `tcpSocket`, one worker per
//! container and probe type, ticking every `periodSeconds`.
//!
//! Simplified: `grpc` probes always succeed; probe timeouts (`timeoutSeconds`) are not
//! modelled because the emulated processes answer at once; the random first delay upstream adds
//! after a kubelet restart is not applied.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::kubelet::context::Ctx;
use crate::kubelet::cri::{Cri, HttpProbeAnswer};
use crate::kubelet::events::{InvolvedObject, Recorder};
use crate::kubelet::kuberuntime::ProbeFailures;
use crate::kubelet::status::ProbeView;
use crate::kubelet::types::{pod_ref, pod_uid};
use crate::node::fs::Fs;
use crate::sim::trace::LogLine;
use crate::sim::{SimDuration, SimTime};

/// The three kinds of probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProbeType {
    /// Restarts the container when it fails.
    Liveness,
    /// Takes the pod out of service when it fails.
    Readiness,
    /// Holds the other probes until it succeeds; restarts the container when it fails.
    Startup,
}

impl ProbeType {
    /// How events and logs name it (`Liveness`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeType::Liveness => "Liveness",
            ProbeType::Readiness => "Readiness",
            ProbeType::Startup => "Startup",
        }
    }
}

/// A probe result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeResult {
    /// Passed.
    Success,
    /// Failed.
    Failure,
}

/// Identifies one worker: pod UID, container name, probe type.
pub type WorkerKey = (String, String, ProbeType);

#[derive(Debug, Clone)]
struct Worker {
    probe: corev1::Probe,
    container_id: String,
    last_result: Option<ProbeResult>,
    result_run: i32,
    on_hold: bool,
    stopped: bool,
}

/// A result change the sync loop must hear about (the results managers' update channels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeUpdate {
    /// Which kind of probe.
    pub probe_type: ProbeType,
    /// The pod's UID.
    pub pod_uid: String,
    /// The container's id.
    pub container_id: String,
    /// The new result.
    pub result: ProbeResult,
}

/// What a probe tick needs to know about the container.
#[derive(Debug, Clone)]
pub struct ContainerView<'a> {
    /// The pod.
    pub pod: &'a corev1::Pod,
    /// The container's current id, if it has one.
    pub container_id: Option<&'a str>,
    /// Whether it is running, and since when.
    pub running_since: Option<SimTime>,
    /// It has exited (and the pod's policy is Never, so it will not come back).
    pub terminated_for_good: bool,
    /// Whether the container has passed its startup probe (or has none).
    pub started: bool,
    /// The pod IP the probes target.
    pub pod_ip: &'a str,
    /// The pod's status phase is terminal.
    pub pod_terminal: bool,
}

/// The probe manager: workers and results.
#[derive(Debug, Clone, Default)]
pub struct ProbeManager {
    workers: BTreeMap<WorkerKey, Worker>,
    /// (container id, type) → result.
    results: BTreeMap<(String, ProbeType), ProbeResult>,
    updates: Vec<ProbeUpdate>,
}

impl ProbeManager {
    /// Starts workers for every probe of `pod` (`AddPod`); returns the workers to tick now.
    pub fn add_pod(&mut self, pod: &corev1::Pod) -> Vec<WorkerKey> {
        let uid = pod_uid(pod).to_string();
        let mut started = Vec::new();
        for container in pod
            .spec
            .as_ref()
            .map(|s| s.containers.as_slice())
            .unwrap_or(&[])
        {
            for (kind, probe) in [
                (ProbeType::Startup, &container.startup_probe),
                (ProbeType::Liveness, &container.liveness_probe),
                (ProbeType::Readiness, &container.readiness_probe),
            ] {
                let Some(probe) = probe else {
                    continue;
                };
                let key = (uid.clone(), container.name.clone(), kind);
                if self.workers.contains_key(&key) {
                    continue;
                }
                self.workers.insert(
                    key.clone(),
                    Worker {
                        probe: probe.clone(),
                        container_id: String::new(),
                        last_result: None,
                        result_run: 0,
                        on_hold: false,
                        stopped: false,
                    },
                );
                started.push(key);
            }
        }
        started
    }

    /// Stops every worker of pod `uid` (`RemovePod`).
    pub fn remove_pod(&mut self, uid: &str) {
        self.workers.retain(|(u, _, _), _| u != uid);
    }

    /// Stops the liveness and startup workers of a pod being stopped
    /// (`StopLivenessAndStartup`).
    pub fn stop_liveness_and_startup(&mut self, uid: &str) {
        self.workers
            .retain(|(u, _, t), _| u != uid || *t == ProbeType::Readiness);
    }

    /// Whether pod `uid` has a worker of this kind for `container`.
    pub fn has_worker(&self, uid: &str, container: &str, kind: ProbeType) -> bool {
        self.workers
            .contains_key(&(uid.to_string(), container.to_string(), kind))
    }

    /// The period of a worker, if it still runs.
    pub fn period(&self, key: &WorkerKey) -> Option<SimDuration> {
        let worker = self.workers.get(key)?;
        if worker.stopped {
            return None;
        }
        let secs = worker.probe.period_seconds.unwrap_or(10).max(1) as u64;
        Some(SimDuration::from_secs(secs))
    }

    /// Takes the result changes since the last call.
    pub fn take_updates(&mut self) -> Vec<ProbeUpdate> {
        std::mem::take(&mut self.updates)
    }

    /// One tick of a worker (`doProbe`). Returns whether the worker keeps running.
    #[allow(clippy::too_many_arguments)]
    pub fn do_probe(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &WorkerKey,
        view: &ContainerView<'_>,
        cri: &mut dyn Cri,
        fs: &mut Fs,
        recorder: &mut Recorder,
    ) -> bool {
        // The worker is changed in place (nothing below looks workers up), rather than copied
        // with its probe spec, or taken out and put back, on every tick.
        let Some(worker) = self.workers.get_mut(key) else {
            return false;
        };
        if view.pod_terminal {
            self.workers.remove(key);
            return false;
        }
        let Some(id) = view.container_id else {
            return true;
        };
        let mut results = Results {
            by_container: &mut self.results,
            updates: &mut self.updates,
        };
        let initial = match key.2 {
            ProbeType::Readiness => ProbeResult::Failure,
            _ => ProbeResult::Success,
        };
        if worker.container_id != id {
            if !worker.container_id.is_empty() {
                results
                    .by_container
                    .remove(&(worker.container_id.clone(), key.2));
            }
            worker.container_id = id.to_string();
            worker.on_hold = false;
            results.set(key, id, initial);
        }
        let keep = probe_step(&mut results, ctx, key, worker, view, cri, fs, recorder);
        if !keep {
            self.workers.remove(key);
        }
        keep
    }

    fn result(&self, container_id: &str, kind: ProbeType) -> Option<ProbeResult> {
        self.results.get(&(container_id.to_string(), kind)).copied()
    }
}

impl ProbeFailures for ProbeManager {
    fn liveness_failed(&self, container_id: &str) -> bool {
        self.result(container_id, ProbeType::Liveness) == Some(ProbeResult::Failure)
    }

    fn startup_failed(&self, container_id: &str) -> bool {
        self.result(container_id, ProbeType::Startup) == Some(ProbeResult::Failure)
    }
}

impl ProbeView for ProbeManager {
    fn readiness(&self, container_id: &str, has_probe: bool) -> Option<bool> {
        if !has_probe {
            return None;
        }
        Some(self.result(container_id, ProbeType::Readiness) == Some(ProbeResult::Success))
    }

    fn startup(&self, container_id: &str, has_probe: bool) -> Option<bool> {
        if !has_probe {
            return None;
        }
        Some(self.result(container_id, ProbeType::Startup) == Some(ProbeResult::Success))
    }
}

/// The port of a probe: a number, or a named port of the container.
fn resolve_port(port: &IntOrString, container: Option<&corev1::Container>) -> Option<u16> {
    match port {
        IntOrString::Int(n) => u16::try_from(*n).ok(),
        IntOrString::String(name) => container?
            .ports
            .as_ref()?
            .iter()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .and_then(|p| u16::try_from(p.container_port).ok()),
    }
}

/// The manager's results and their pending updates, borrowed apart from its workers so a
/// worker can be ticked in place.
struct Results<'a> {
    by_container: &'a mut BTreeMap<(String, ProbeType), ProbeResult>,
    updates: &'a mut Vec<ProbeUpdate>,
}

impl Results<'_> {
    /// Records a worker's result; a change is queued for the sync loop.
    fn set(&mut self, key: &WorkerKey, container_id: &str, result: ProbeResult) {
        let map_key = (container_id.to_string(), key.2);
        if self.by_container.get(&map_key) == Some(&result) {
            return;
        }
        self.by_container.insert(map_key, result);
        self.updates.push(ProbeUpdate {
            probe_type: key.2,
            pod_uid: key.0.clone(),
            container_id: container_id.to_string(),
            result,
        });
    }
}

/// One tick of a worker that has a container to probe.
#[allow(clippy::too_many_arguments)]
fn probe_step(
    results: &mut Results<'_>,
    ctx: &mut Ctx<'_>,
    key: &WorkerKey,
    worker: &mut Worker,
    view: &ContainerView<'_>,
    cri: &mut dyn Cri,
    fs: &mut Fs,
    recorder: &mut Recorder,
) -> bool {
    if worker.on_hold {
        return true;
    }
    let id = worker.container_id.clone();
    let Some(running_since) = view.running_since else {
        results.set(key, &id, ProbeResult::Failure);
        return !view.terminated_for_good;
    };
    if view.pod.metadata.deletion_timestamp.is_some()
        && matches!(key.2, ProbeType::Liveness | ProbeType::Startup)
    {
        results.set(key, &id, ProbeResult::Success);
        return false;
    }
    let initial_delay = worker.probe.initial_delay_seconds.unwrap_or(0).max(0) as u64;
    if ctx.now.since(running_since) < SimDuration::from_secs(initial_delay) {
        return true;
    }
    if view.started {
        if key.2 == ProbeType::Startup {
            return true;
        }
    } else if key.2 != ProbeType::Startup {
        return true;
    }
    let container = view
        .pod
        .spec
        .as_ref()
        .and_then(|s| s.containers.iter().find(|c| c.name == key.1));
    let (result, output) = run_probe(ctx.now, &worker.probe, container, &id, view.pod_ip, cri, fs);
    if result == ProbeResult::Failure {
        ctx.log(
            LogLine::info(1, "prober.go:107", "Probe failed")
                .with("probeType", key.2.as_str())
                .with("pod", pod_ref(view.pod).to_string())
                .with("podUID", &key.0)
                .with("containerName", &key.1)
                .with("probeResult", "failure")
                .with("output", &output),
        );
        recorder.eventf(
            ctx,
            InvolvedObject::container(view.pod, &key.1),
            "Warning",
            "Unhealthy",
            format!("{} probe failed: {output}", key.2.as_str()),
        );
    }
    if worker.last_result == Some(result) {
        worker.result_run += 1;
    } else {
        worker.last_result = Some(result);
        worker.result_run = 1;
    }
    let failure_threshold = worker.probe.failure_threshold.unwrap_or(3).max(1);
    let success_threshold = worker.probe.success_threshold.unwrap_or(1).max(1);
    if (result == ProbeResult::Failure && worker.result_run < failure_threshold)
        || (result == ProbeResult::Success && worker.result_run < success_threshold)
    {
        return true;
    }
    results.set(key, &id, result);
    if result == ProbeResult::Failure && key.2 != ProbeType::Readiness {
        // Stop probing until there is a new container.
        worker.on_hold = true;
        worker.result_run = 0;
    }
    true
}

/// Runs one probe (`prober.runProbe`): the result and the output the event quotes.
fn run_probe(
    now: SimTime,
    probe: &corev1::Probe,
    container: Option<&corev1::Container>,
    container_id: &str,
    pod_ip: &str,
    cri: &mut dyn Cri,
    fs: &mut Fs,
) -> (ProbeResult, String) {
    if let Some(exec) = &probe.exec {
        let cmd = exec.command.clone().unwrap_or_default();
        let out = cri.exec_sync(now, container_id, &cmd, fs);
        let output = format!("{}{}", out.stdout, out.stderr);
        return if out.exit_code == 0 {
            (ProbeResult::Success, output)
        } else {
            (ProbeResult::Failure, output)
        };
    }
    if let Some(http) = &probe.http_get {
        let https = http.scheme.as_deref() == Some("HTTPS");
        let scheme = if https { "https" } else { "http" };
        let host = http
            .host
            .clone()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| pod_ip.to_string());
        let path = http.path.clone().unwrap_or_else(|| "/".into());
        let Some(port) = resolve_port(&http.port, container) else {
            return (
                ProbeResult::Failure,
                format!("unable to resolve port {:?}", http.port),
            );
        };
        // The URL is only quoted by a failure, so it is only written then.
        let url = || format!("{scheme}://{host}:{port}{path}");
        return match cri.http_get(now, container_id, port, &path, https, fs) {
            HttpProbeAnswer::Status(code) if (200..400).contains(&code) => {
                (ProbeResult::Success, String::new())
            }
            HttpProbeAnswer::Status(code) => (
                ProbeResult::Failure,
                format!("HTTP probe failed with statuscode: {code}"),
            ),
            HttpProbeAnswer::Refused => (
                ProbeResult::Failure,
                format!(
                    "Get {:?}: dial tcp {host}:{port}: connect: connection refused",
                    url()
                ),
            ),
            HttpProbeAnswer::Error(err) => {
                (ProbeResult::Failure, format!("Get {:?}: {err}", url()))
            }
        };
    }
    if let Some(tcp) = &probe.tcp_socket {
        let host = tcp
            .host
            .clone()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| pod_ip.to_string());
        let Some(port) = resolve_port(&tcp.port, container) else {
            return (
                ProbeResult::Failure,
                format!("unable to resolve port {:?}", tcp.port),
            );
        };
        return if cri.tcp_connect(now, container_id, port) {
            (ProbeResult::Success, String::new())
        } else {
            (
                ProbeResult::Failure,
                format!("dial tcp {host}:{port}: connect: connection refused"),
            )
        };
    }
    (ProbeResult::Success, String::new())
}
