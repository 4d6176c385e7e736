//! Mirrors `pkg/kubelet/kubelet_pods.go` (`generateAPIPodStatus`, `getPhase`,
//! `convertToAPIContainerStatuses`) and `pkg/kubelet/status` (v1.34): turning what the runtime
//! runs into the pod status the API shows, and keeping it in sync with the API server — for a
//! static pod, on its mirror pod.
//!
//! Simplified: init containers are not run by this kubelet (pods with init containers are
//! treated as initialised), so no `Init:` statuses appear; a pod's status is written with a
//! full replace of `status` rather than a strategic-merge patch.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1 as corev1;

use crate::kubelet::container::{
    restart_policy, should_container_be_restarted, ContainerState, ContainerStatus, PodStatus,
};
use crate::kubelet::types::is_static_pod;
use crate::sim::inline_id::InlineId;
use crate::sim::wallclock::k8s_time;
use crate::sim::SimTime;

/// Why a container is not running, from the last sync (`ReasonCache`): e.g.
/// `CrashLoopBackOff` with `back-off 10s restarting failed container=...`.
#[derive(Debug, Clone, Default)]
pub struct ReasonCache {
    entries: BTreeMap<(String, String), (String, String)>,
}

impl ReasonCache {
    /// Records a failure of container `name` of pod `uid`.
    pub fn update(&mut self, uid: &str, name: &str, reason: &str, message: &str) {
        self.entries.insert(
            (uid.to_string(), name.to_string()),
            (reason.to_string(), message.to_string()),
        );
    }

    /// Clears container `name` of pod `uid` (it started).
    pub fn remove(&mut self, uid: &str, name: &str) {
        self.entries.remove(&(uid.to_string(), name.to_string()));
    }

    /// The cached (reason, message).
    pub fn get(&self, uid: &str, name: &str) -> Option<&(String, String)> {
        self.entries.get(&(uid.to_string(), name.to_string()))
    }

    /// Forgets a pod.
    pub fn forget_pod(&mut self, uid: &str) {
        self.entries.retain(|(u, _), _| u != uid);
    }
}

/// Probe results the status needs: per container id, readiness and startup.
pub trait ProbeView {
    /// `Some(true)` ready, `Some(false)` not ready, `None` no readiness probe.
    fn readiness(&self, container_id: &str, has_probe: bool) -> Option<bool>;
    /// `Some(true)` started, `Some(false)` not yet, `None` no startup probe.
    fn startup(&self, container_id: &str, has_probe: bool) -> Option<bool>;
}

/// Inputs of `generateAPIPodStatus` besides the pod and its runtime status.
#[derive(Debug)]
pub struct StatusInputs<'a> {
    /// The last status the status manager holds for the pod.
    pub old: Option<&'a corev1::PodStatus>,
    /// Why containers are not running.
    pub reasons: &'a ReasonCache,
    /// The node's IP.
    pub host_ip: &'a str,
    /// The pod has been stopped for good.
    pub pod_is_terminal: bool,
}

/// The container statuses as the API shows them (`convertToAPIContainerStatuses`).
pub fn container_statuses(
    pod: &corev1::Pod,
    status: &PodStatus,
    reasons: &ReasonCache,
    probes: &dyn ProbeView,
    old: Option<&corev1::PodStatus>,
) -> Vec<corev1::ContainerStatus> {
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    let containers = pod
        .spec
        .as_ref()
        .map(|s| s.containers.as_slice())
        .unwrap_or(&[]);
    let mut out = Vec::with_capacity(containers.len());
    for container in containers {
        let instances: Vec<&ContainerStatus> = status
            .containers
            .iter()
            .filter(|c| c.name == container.name)
            .collect();
        let old_restarts = old
            .and_then(|o| o.container_statuses.as_ref())
            .and_then(|all| all.iter().find(|c| c.name == container.name))
            .map(|c| c.restart_count)
            .unwrap_or(0);
        let image = container.image.clone().unwrap_or_default();
        let mut api = corev1::ContainerStatus {
            name: container.name.clone(),
            image: image.clone(),
            image_id: String::new(),
            restart_count: old_restarts,
            ready: false,
            started: Some(false),
            state: Some(waiting("ContainerCreating", "")),
            ..Default::default()
        };
        if let Some(latest) = instances.first() {
            api.container_id = Some(format!("containerd://{}", latest.id));
            api.image = latest.image.clone();
            api.image_id = latest.image_ref.clone();
            api.restart_count = latest.restart_count;
            api.state = Some(api_state(latest));
            if let Some(previous) = instances.get(1) {
                api.last_state = Some(api_state(previous));
            }
            let restarting = latest.state != ContainerState::Running
                && should_container_be_restarted(container, pod, status);
            if restarting {
                if let Some((reason, message)) = reasons.get(uid, &container.name) {
                    // Waiting to be restarted: the failed instance moves to lastState.
                    api.last_state = Some(api_state(latest));
                    api.state = Some(waiting(reason, message));
                }
            }
        } else if let Some((reason, message)) = reasons.get(uid, &container.name) {
            api.state = Some(waiting(reason, message));
        }
        let running = instances
            .first()
            .is_some_and(|c| c.state == ContainerState::Running);
        let id = instances.first().map(|c| c.id.as_str()).unwrap_or_default();
        let started = running
            && probes
                .startup(id, container.startup_probe.is_some())
                .unwrap_or(true);
        api.started = Some(started);
        api.ready = started
            && probes
                .readiness(id, container.readiness_probe.is_some())
                .unwrap_or(true);
        out.push(api);
    }
    out
}

fn waiting(reason: &str, message: &str) -> corev1::ContainerState {
    corev1::ContainerState {
        waiting: Some(corev1::ContainerStateWaiting {
            reason: Some(reason.to_string()),
            message: (!message.is_empty()).then(|| message.to_string()),
        }),
        ..Default::default()
    }
}

fn api_state(c: &ContainerStatus) -> corev1::ContainerState {
    match c.state {
        ContainerState::Running => corev1::ContainerState {
            running: Some(corev1::ContainerStateRunning {
                started_at: c.started_at.map(k8s_time),
            }),
            ..Default::default()
        },
        ContainerState::Exited | ContainerState::Unknown => corev1::ContainerState {
            terminated: Some(corev1::ContainerStateTerminated {
                container_id: Some(format!("containerd://{}", c.id)),
                exit_code: c.exit_code,
                reason: (!c.reason.is_empty()).then(|| c.reason.clone()),
                message: (!c.message.is_empty()).then(|| c.message.clone()),
                started_at: c.started_at.map(k8s_time),
                finished_at: c.finished_at.map(k8s_time),
                signal: None,
            }),
            ..Default::default()
        },
        ContainerState::Created => waiting("ContainerCreating", ""),
    }
}

/// `getPhase`: the pod phase from its containers' statuses.
pub fn get_phase(
    pod: &corev1::Pod,
    statuses: &[corev1::ContainerStatus],
    pod_is_terminal: bool,
) -> &'static str {
    let containers = pod
        .spec
        .as_ref()
        .map(|s| s.containers.as_slice())
        .unwrap_or(&[]);
    let (mut unknown, mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0, 0);
    for container in containers {
        let Some(status) = statuses.iter().find(|s| s.name == container.name) else {
            unknown += 1;
            continue;
        };
        let state = status.state.clone().unwrap_or_default();
        if state.running.is_some() {
            running += 1;
        } else if let Some(terminated) = &state.terminated {
            stopped += 1;
            if terminated.exit_code == 0 {
                succeeded += 1;
            }
        } else if state.waiting.is_some() {
            let previously_terminated = status
                .last_state
                .as_ref()
                .is_some_and(|s| s.terminated.is_some());
            if previously_terminated {
                stopped += 1;
            } else {
                waiting += 1;
            }
        } else {
            unknown += 1;
        }
    }
    if waiting > 0 {
        return "Pending";
    }
    if running > 0 && unknown == 0 {
        return "Running";
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        // Static pods are left out of the terminal shortcut (upstream TODO #116484).
        if pod_is_terminal && !is_static_pod(pod) {
            return if stopped == succeeded {
                "Succeeded"
            } else {
                "Failed"
            };
        }
        let policy = restart_policy(pod);
        if policy == "Always" {
            return "Running";
        }
        if stopped == succeeded {
            return "Succeeded";
        }
        if policy == "Never" {
            return "Failed";
        }
        return "Running";
    }
    "Pending"
}

/// The pod's QoS class (`GetPodQOS`).
pub fn qos_class(pod: &corev1::Pod) -> &'static str {
    let containers = pod
        .spec
        .as_ref()
        .map(|s| s.containers.as_slice())
        .unwrap_or(&[]);
    let mut any = false;
    let mut guaranteed = true;
    for c in containers {
        let resources = c.resources.clone().unwrap_or_default();
        let requests = resources.requests.unwrap_or_default();
        let limits = resources.limits.unwrap_or_default();
        for name in ["cpu", "memory"] {
            if requests.contains_key(name) || limits.contains_key(name) {
                any = true;
            }
            match (limits.get(name), requests.get(name)) {
                (Some(limit), Some(request)) if limit == request => (),
                (Some(_), None) => (),
                _ => guaranteed = false,
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// `generateAPIPodStatus`.
pub fn generate_api_pod_status(
    pod: &corev1::Pod,
    status: &PodStatus,
    probes: &dyn ProbeView,
    inputs: &StatusInputs<'_>,
) -> corev1::PodStatus {
    let containers = container_statuses(pod, status, inputs.reasons, probes, inputs.old);
    let mut phase = get_phase(pod, &containers, inputs.pod_is_terminal).to_string();
    let old_phase = inputs.old.and_then(|o| o.phase.clone()).unwrap_or_default();
    let api_phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    if phase != "Failed" && phase != "Succeeded" {
        // Terminal phases never go back.
        if old_phase == "Failed" || old_phase == "Succeeded" {
            phase = old_phase.clone();
        } else if api_phase == "Failed" || api_phase == "Succeeded" {
            phase = api_phase;
        }
    }
    let unready: Vec<&str> = containers
        .iter()
        .filter(|c| !c.ready)
        .map(|c| c.name.as_str())
        .collect();
    let terminal = phase == "Succeeded" || phase == "Failed";
    let condition = |kind: &str, ok: bool, reason: Option<String>, message: Option<String>| {
        corev1::PodCondition {
            type_: kind.to_string(),
            status: if ok { "True" } else { "False" }.to_string(),
            reason,
            message,
            ..Default::default()
        }
    };
    let not_ready = |_: ()| -> (Option<String>, Option<String>) {
        if terminal {
            return (Some("PodCompleted".into()), None);
        }
        (
            Some("ContainersNotReady".into()),
            Some(format!(
                "containers with unready status: [{}]",
                unready.join(" ")
            )),
        )
    };
    let sandbox_ready = status.sandboxes.first().is_some_and(|s| s.ready);
    let all_ready = unready.is_empty() && !terminal;
    let mut conditions = vec![condition(
        "PodReadyToStartContainers",
        sandbox_ready,
        None,
        None,
    )];
    conditions.push(if terminal {
        condition("Initialized", true, Some("PodCompleted".into()), None)
    } else {
        condition("Initialized", true, None, None)
    });
    let (reason, message) = if all_ready {
        (None, None)
    } else {
        not_ready(())
    };
    conditions.push(condition(
        "Ready",
        all_ready,
        reason.clone(),
        message.clone(),
    ));
    conditions.push(condition("ContainersReady", all_ready, reason, message));
    conditions.push(condition("PodScheduled", true, None, None));

    let host_network = pod
        .spec
        .as_ref()
        .and_then(|s| s.host_network)
        .unwrap_or(false);
    let pod_ip = if host_network {
        Some(inputs.host_ip.to_string())
    } else {
        status.ip().map(str::to_string)
    };
    corev1::PodStatus {
        phase: Some(phase),
        conditions: Some(conditions),
        host_ip: Some(inputs.host_ip.to_string()),
        host_ips: Some(vec![corev1::HostIP {
            ip: inputs.host_ip.to_string(),
        }]),
        pod_ip: pod_ip.clone(),
        pod_ips: pod_ip.map(|ip| vec![corev1::PodIP { ip }]),
        container_statuses: Some(containers),
        qos_class: Some(qos_class(pod).to_string()),
        start_time: inputs.old.and_then(|o| o.start_time.clone()),
        ..Default::default()
    }
}

/// One pod's entry in the status manager.
#[derive(Debug, Clone)]
struct Entry {
    status: corev1::PodStatus,
    version: u64,
    synced_version: u64,
    /// The UID of the API object the status was last written to: a recreated mirror pod
    /// has a new one and needs the status again (upstream's `needsReconcile`).
    synced_target: Option<InlineId>,
}

/// The status manager: the latest status of every pod, and which still need writing to the
/// API server (`status.Manager`).
#[derive(Debug, Clone, Default)]
pub struct StatusManager {
    /// uid → its status. UIDs are kept inline: housekeeping's retain and every sync look the
    /// entries up, and at ten nodes the keys' heap copies missed the cache.
    entries: BTreeMap<InlineId, Entry>,
    /// The UIDs whose entry changed since it was last written (`version > synced_version`),
    /// kept apart so that a pod's sync, which writes only those, does not scan every entry.
    changed: BTreeSet<InlineId>,
}

impl StatusManager {
    /// The status held for `uid`.
    pub fn get(&self, uid: &str) -> Option<&corev1::PodStatus> {
        self.entries.get(uid).map(|e| &e.status)
    }

    /// `SetPodStatus`: keeps transition times of unchanged conditions and the start time, and
    /// marks the pod for syncing if anything changed.
    pub fn set_pod_status(&mut self, now: SimTime, uid: &str, mut status: corev1::PodStatus) {
        let old = self.entries.get(uid).map(|e| &e.status);
        let old_conditions = old
            .and_then(|s| s.conditions.as_deref())
            .unwrap_or_default();
        for condition in status.conditions.iter_mut().flatten() {
            let previous = old_conditions.iter().find(|c| c.type_ == condition.type_);
            condition.last_transition_time = match previous {
                Some(p) if p.status == condition.status => p.last_transition_time.clone(),
                _ => Some(k8s_time(now)),
            };
            condition.last_probe_time = None;
        }
        if status.start_time.is_none() {
            status.start_time = old
                .and_then(|s| s.start_time.clone())
                .or_else(|| Some(k8s_time(now)));
        }
        match self.entries.get_mut(uid) {
            Some(entry) if entry.status == status => (),
            Some(entry) => {
                entry.status = status;
                entry.version += 1;
                self.changed.insert(InlineId::new(uid));
            }
            None => {
                self.changed.insert(InlineId::new(uid));
                self.entries.insert(
                    InlineId::new(uid),
                    Entry {
                        status,
                        version: 1,
                        synced_version: 0,
                        synced_target: None,
                    },
                );
            }
        }
    }

    /// The UIDs whose status changed since it was last written, or whose API object is not
    /// the one it was written to; `target` names that object's UID for a pod.
    ///
    /// A status written to another API object than today's (a recreated mirror pod) is only
    /// found again by the periodic pass (`syncBatch(all)`'s `needsReconcile`): a pod's own
    /// sync writes nothing when its status did not change, so a new mirror shows the API
    /// server's `Pending` until that pass.
    pub fn unsynced<'t>(&self, target: impl Fn(&str) -> Option<&'t str>, all: bool) -> Vec<String> {
        if !all {
            return self.changed.iter().map(InlineId::to_string).collect();
        }
        self.entries
            .iter()
            .filter(|(uid, e)| {
                e.version > e.synced_version
                    || target(uid).is_some_and(|t| e.synced_target.as_deref() != Some(t))
            })
            .map(|(uid, _)| uid.to_string())
            .collect()
    }

    /// Notes that `uid`'s current status is in the API object `target_uid`.
    pub fn mark_synced(&mut self, uid: &str, target_uid: Option<String>) {
        if let Some(entry) = self.entries.get_mut(uid) {
            entry.synced_version = entry.version;
            entry.synced_target = target_uid.as_deref().map(InlineId::new);
            self.changed.remove(uid);
        }
    }

    /// Forgets pods no longer known (`RemoveOrphanedStatuses`).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.entries.retain(|uid, _| keep(uid));
        self.changed.retain(|uid| keep(uid));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(policy: &str, names: &[&str]) -> corev1::Pod {
        corev1::Pod {
            spec: Some(corev1::PodSpec {
                restart_policy: Some(policy.into()),
                containers: names
                    .iter()
                    .map(|n| corev1::Container {
                        name: n.to_string(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn status(
        name: &str,
        state: corev1::ContainerState,
        last_terminated: bool,
    ) -> corev1::ContainerStatus {
        corev1::ContainerStatus {
            name: name.into(),
            state: Some(state),
            last_state: last_terminated.then(|| corev1::ContainerState {
                terminated: Some(corev1::ContainerStateTerminated {
                    exit_code: 1,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn running() -> corev1::ContainerState {
        corev1::ContainerState {
            running: Some(Default::default()),
            ..Default::default()
        }
    }

    fn terminated(code: i32) -> corev1::ContainerState {
        corev1::ContainerState {
            terminated: Some(corev1::ContainerStateTerminated {
                exit_code: code,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    // Ports of upstream's TestPodPhaseWithRestart{Always,Never,OnFailure} cases.
    #[test]
    fn phase_follows_containers_and_policy() {
        let cases = [
            (
                "Always",
                vec![status("a", running(), false), status("b", running(), false)],
                "Running",
            ),
            (
                "Always",
                vec![
                    status("a", terminated(0), false),
                    status("b", terminated(0), false),
                ],
                "Running",
            ),
            (
                "Always",
                vec![
                    status("a", terminated(1), false),
                    status("b", terminated(0), false),
                ],
                "Running",
            ),
            ("Always", vec![status("a", running(), false)], "Pending"),
            (
                "Always",
                vec![
                    status("a", running(), false),
                    status("b", waiting("CrashLoopBackOff", ""), true),
                ],
                "Running",
            ),
            (
                "Always",
                vec![
                    status("a", running(), false),
                    status("b", waiting("ContainerCreating", ""), false),
                ],
                "Pending",
            ),
            (
                "Never",
                vec![
                    status("a", terminated(0), false),
                    status("b", terminated(0), false),
                ],
                "Succeeded",
            ),
            (
                "Never",
                vec![
                    status("a", terminated(0), false),
                    status("b", terminated(1), false),
                ],
                "Failed",
            ),
            (
                "Never",
                vec![
                    status("a", running(), false),
                    status("b", terminated(0), false),
                ],
                "Running",
            ),
            (
                "OnFailure",
                vec![
                    status("a", terminated(0), false),
                    status("b", terminated(0), false),
                ],
                "Succeeded",
            ),
            (
                "OnFailure",
                vec![
                    status("a", terminated(1), false),
                    status("b", terminated(0), false),
                ],
                "Running",
            ),
            (
                "OnFailure",
                vec![
                    status("a", waiting("CrashLoopBackOff", ""), true),
                    status("b", terminated(0), false),
                ],
                "Running",
            ),
        ];
        for (policy, statuses, want) in cases {
            let p = pod(policy, &["a", "b"]);
            assert_eq!(
                get_phase(&p, &statuses, false),
                want,
                "{policy} {statuses:?}"
            );
        }
    }

    #[test]
    fn terminal_shortcut_skips_static_pods() {
        let mut p = pod("Always", &["a"]);
        let statuses = vec![status("a", terminated(0), false)];
        assert_eq!(get_phase(&p, &statuses, true), "Succeeded");
        crate::kubelet::types::set_annotation(&mut p, "kubernetes.io/config.source", "file");
        assert_eq!(get_phase(&p, &statuses, true), "Running");
    }

    #[test]
    fn qos_classes() {
        let mut p = pod("Always", &["a"]);
        assert_eq!(qos_class(&p), "BestEffort");
        let q = |s: &str| k8s_openapi::apimachinery::pkg::api::resource::Quantity(s.into());
        p.spec.as_mut().unwrap().containers[0].resources = Some(corev1::ResourceRequirements {
            requests: Some([("cpu".to_string(), q("250m"))].into()),
            ..Default::default()
        });
        assert_eq!(qos_class(&p), "Burstable");
        p.spec.as_mut().unwrap().containers[0].resources = Some(corev1::ResourceRequirements {
            requests: Some(
                [
                    ("cpu".to_string(), q("1")),
                    ("memory".to_string(), q("1Gi")),
                ]
                .into(),
            ),
            limits: Some(
                [
                    ("cpu".to_string(), q("1")),
                    ("memory".to_string(), q("1Gi")),
                ]
                .into(),
            ),
            ..Default::default()
        });
        assert_eq!(qos_class(&p), "Guaranteed");
    }
}
