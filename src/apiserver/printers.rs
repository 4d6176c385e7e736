//! Mirrors `pkg/printers/internalversion/printers.go` (`printPod`) and
//! `apimachinery/pkg/util/duration` (v1.34): the table rows `kubectl get` shows, which the API
//! server computes (server-side printing).

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use crate::sim::time::{SimDuration, WALL_EPOCH_MS};
use crate::sim::SimTime;

/// The cells of one `kubectl get pods` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRow {
    /// NAME
    pub name: String,
    /// READY, e.g. `1/1`.
    pub ready: String,
    /// STATUS, e.g. `CrashLoopBackOff`.
    pub status: String,
    /// RESTARTS, e.g. `3 (12s ago)`.
    pub restarts: String,
    /// AGE, e.g. `5m2s`.
    pub age: String,
    /// IP (`-o wide`), `<none>` when unset.
    pub ip: String,
    /// NODE (`-o wide`).
    pub node: String,
    /// NOMINATED NODE (`-o wide`).
    pub nominated_node: String,
    /// READINESS GATES (`-o wide`).
    pub readiness_gates: String,
}

/// `duration.HumanDuration`: `45s`, `3m20s`, `15m`, `5h10m`, `2d3h`, `40d`, `3y10d`.
pub fn human_duration(d: SimDuration) -> String {
    let seconds = d.as_millis() / 1000;
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// The virtual instant of an API timestamp.
pub fn sim_time(t: &Time) -> SimTime {
    let ms = t.0.as_millisecond() - WALL_EPOCH_MS;
    SimTime(ms.max(0) as u64)
}

/// `translateTimestampSince`: the age of `t` at `now`, `<unknown>` when unset.
pub fn age(t: Option<&Time>, now: SimTime) -> String {
    match t {
        Some(t) => human_duration(now.since(sim_time(t))),
        None => "<unknown>".to_string(),
    }
}

/// Moves `last` forward to when `state` finished, if it is a later termination.
fn note_restart(last: &mut Option<SimTime>, state: Option<&corev1::ContainerState>) {
    let Some(finished) = state
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref())
    else {
        return;
    };
    let at = sim_time(finished);
    if last.is_none_or(|l| l < at) {
        *last = Some(at);
    }
}

/// `printPod`: one row of `kubectl get pods` at time `now`.
pub fn print_pod(pod: &corev1::Pod, now: SimTime) -> PodRow {
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    let conditions = status.conditions.clone().unwrap_or_default();
    let phase = status.phase.clone().unwrap_or_default();
    let mut reason = status
        .reason
        .clone()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| phase.clone());
    if conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".to_string();
    }
    let total = spec.containers.len();
    let mut ready = 0;
    let mut restarts: i64 = 0;
    let mut last_restart: Option<SimTime> = None;

    let init_statuses = status.init_container_statuses.clone().unwrap_or_default();
    let mut initializing = false;
    for (idx, container) in init_statuses.iter().enumerate() {
        restarts += i64::from(container.restart_count);
        note_restart(&mut last_restart, container.last_state.as_ref());
        let state = container.state.clone().unwrap_or_default();
        if state.terminated.as_ref().is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if let Some(t) = &state.terminated {
            reason = match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ => match t.signal {
                    Some(s) if s != 0 => format!("Init:Signal:{s}"),
                    _ => format!("Init:ExitCode:{}", t.exit_code),
                },
            };
        } else if let Some(r) = state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!(
                "Init:{idx}/{}",
                spec.init_containers.as_ref().map_or(0, Vec::len)
            );
        }
        initializing = true;
        break;
    }
    let initialized = conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = 0;
        last_restart = None;
        let mut has_running = false;
        let statuses = status.container_statuses.clone().unwrap_or_default();
        for container in statuses.iter().rev() {
            restarts += i64::from(container.restart_count);
            note_restart(&mut last_restart, container.last_state.as_ref());
            let state = container.state.clone().unwrap_or_default();
            let waiting_reason = state
                .waiting
                .as_ref()
                .and_then(|w| w.reason.clone())
                .filter(|r| !r.is_empty());
            let terminated = state.terminated.as_ref();
            if let Some(r) = waiting_reason {
                reason = r;
            } else if let Some(r) = terminated
                .and_then(|t| t.reason.clone())
                .filter(|r| !r.is_empty())
            {
                reason = r;
            } else if let Some(t) = terminated {
                reason = match t.signal {
                    Some(s) if s != 0 => format!("Signal:{s}"),
                    _ => format!("ExitCode:{}", t.exit_code),
                };
            } else if container.ready && state.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
        }
    }
    let terminal = phase == "Succeeded" || phase == "Failed";
    if pod.metadata.deletion_timestamp.is_some() {
        if status.reason.as_deref() == Some("NodeLost") {
            reason = "Unknown".to_string();
        } else if !terminal {
            reason = "Terminating".to_string();
        }
    }
    let restarts = match last_restart {
        Some(at) if restarts != 0 => {
            format!("{restarts} ({} ago)", human_duration(now.since(at)))
        }
        _ => restarts.to_string(),
    };
    let ip = status
        .pod_ips
        .as_ref()
        .and_then(|ips| ips.first())
        .map(|ip| ip.ip.clone())
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "<none>".to_string());
    let gates = match spec.readiness_gates.as_deref() {
        Some(gates) if !gates.is_empty() => {
            let met = gates
                .iter()
                .filter(|g| {
                    conditions
                        .iter()
                        .find(|c| c.type_ == g.condition_type)
                        .is_some_and(|c| c.status == "True")
                })
                .count();
            format!("{met}/{}", gates.len())
        }
        _ => "<none>".to_string(),
    };
    PodRow {
        name: pod.metadata.name.clone().unwrap_or_default(),
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
        age: age(pod.metadata.creation_timestamp.as_ref(), now),
        ip,
        node: spec
            .node_name
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<none>".into()),
        nominated_node: status
            .nominated_node_name
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<none>".into()),
        readiness_gates: gates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::wallclock::k8s_time;

    #[test]
    fn human_durations() {
        let cases = [
            (0, "0s"),
            (59, "59s"),
            (119, "119s"),
            (120, "2m"),
            (200, "3m20s"),
            (600, "10m"),
            (179 * 60, "179m"),
            (3 * 3600, "3h"),
            (5 * 3600 + 600, "5h10m"),
            (47 * 3600, "47h"),
            (51 * 3600, "2d3h"),
            (40 * 86400, "40d"),
            (3 * 365 * 86400 + 10 * 86400, "3y10d"),
        ];
        for (secs, want) in cases {
            assert_eq!(
                human_duration(SimDuration::from_secs(secs)),
                want,
                "{secs}s"
            );
        }
    }

    fn container(
        state: corev1::ContainerState,
        ready: bool,
        restarts: i32,
    ) -> corev1::ContainerStatus {
        corev1::ContainerStatus {
            name: "c".into(),
            state: Some(state),
            ready,
            restart_count: restarts,
            ..Default::default()
        }
    }

    fn pod_with(phase: &str, statuses: Vec<corev1::ContainerStatus>) -> corev1::Pod {
        corev1::Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some("web".into()),
                creation_timestamp: Some(k8s_time(SimTime(0))),
                ..Default::default()
            },
            spec: Some(corev1::PodSpec {
                containers: vec![corev1::Container {
                    name: "c".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            status: Some(corev1::PodStatus {
                phase: Some(phase.into()),
                container_statuses: Some(statuses),
                ..Default::default()
            }),
        }
    }

    // Ports of upstream TestPrintPod's core cases.
    #[test]
    fn status_column() {
        let waiting = |r: &str| corev1::ContainerState {
            waiting: Some(corev1::ContainerStateWaiting {
                reason: Some(r.into()),
                message: None,
            }),
            ..Default::default()
        };
        let terminated = |code: i32, r: Option<&str>| corev1::ContainerState {
            terminated: Some(corev1::ContainerStateTerminated {
                exit_code: code,
                reason: r.map(str::to_string),
                ..Default::default()
            }),
            ..Default::default()
        };
        let running = corev1::ContainerState {
            running: Some(Default::default()),
            ..Default::default()
        };
        let now = SimTime(62_000);
        let row = print_pod(&pod_with("Running", vec![container(running, true, 0)]), now);
        assert_eq!(
            (
                row.ready.as_str(),
                row.status.as_str(),
                row.restarts.as_str(),
                row.age.as_str()
            ),
            ("1/1", "Running", "0", "62s")
        );
        let row = print_pod(
            &pod_with(
                "Pending",
                vec![container(waiting("ContainerCreating"), false, 0)],
            ),
            now,
        );
        assert_eq!(
            (row.ready.as_str(), row.status.as_str()),
            ("0/1", "ContainerCreating")
        );
        let row = print_pod(
            &pod_with(
                "Running",
                vec![container(waiting("CrashLoopBackOff"), false, 3)],
            ),
            now,
        );
        assert_eq!(
            (row.status.as_str(), row.restarts.as_str()),
            ("CrashLoopBackOff", "3")
        );
        let row = print_pod(
            &pod_with(
                "Running",
                vec![container(terminated(1, Some("Error")), false, 2)],
            ),
            now,
        );
        assert_eq!(row.status, "Error");
        let row = print_pod(
            &pod_with(
                "Succeeded",
                vec![container(terminated(0, Some("Completed")), false, 0)],
            ),
            now,
        );
        assert_eq!(row.status, "Completed");
        let row = print_pod(
            &pod_with("Failed", vec![container(terminated(137, None), false, 0)]),
            now,
        );
        assert_eq!(row.status, "ExitCode:137");
        let mut deleting = pod_with("Running", vec![container(running_state(), true, 0)]);
        deleting.metadata.deletion_timestamp = Some(k8s_time(SimTime(1000)));
        assert_eq!(print_pod(&deleting, now).status, "Terminating");
    }

    fn running_state() -> corev1::ContainerState {
        corev1::ContainerState {
            running: Some(Default::default()),
            ..Default::default()
        }
    }

    #[test]
    fn restarts_show_the_last_restart_age() {
        let mut status = container(running_state(), true, 2);
        status.last_state = Some(corev1::ContainerState {
            terminated: Some(corev1::ContainerStateTerminated {
                exit_code: 1,
                finished_at: Some(k8s_time(SimTime(50_000))),
                ..Default::default()
            }),
            ..Default::default()
        });
        let row = print_pod(&pod_with("Running", vec![status]), SimTime(62_000));
        assert_eq!(row.restarts, "2 (12s ago)");
    }
}
