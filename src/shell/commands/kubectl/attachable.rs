//! The pod a `TYPE/NAME` argument of `kubectl exec` and `kubectl logs` stands for
//! (`staging/src/k8s.io/kubectl/pkg/polymorphichelpers/{attachablepodforobject,logsforobject,helpers}.go`
//! and `pkg/util/podutils/podutils.go` v1.34): a pod is itself; a deployment, replica set,
//! daemon set or service stands for the pods its selector matches in its namespace (a
//! service without a selector for none: an error), sorted (exec takes
//! the greatest in `ActivePods` order, logs the first in `ByLogging` order). With no such pod
//! yet, kubectl watches for one until its pod-running timeout and then gives up with
//! `timed out waiting for the condition`.
//!
//! Simplified: Go's `sort.Sort` is not stable, so among pods no rule tells apart upstream's
//! pick may differ; here the first in name order wins. A pod that appears during the wait is
//! used (upstream's helper then indexes its empty first list and fails).

use jiff::Timestamp;
use serde_json::{json, Value};

use super::client::{server_error, Client};
use super::objutil::{array_at, get, label_selector, name, parse_time, str_at, string_map};
use super::resources::resolve_type;
use crate::apiserver::store::Resource;
use crate::shell::io::Output;
use crate::sim::SimDuration;

/// How a command ranks a controller's pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodOrder {
    /// `sort.Reverse(podutils.ActivePods)` (exec, attach): running, ready, long-ready pods first.
    Attach,
    /// `podutils.ByLogging` (logs).
    Logging,
}

/// The pod `arg` (`NAME`, `pod/NAME`, `deploy/NAME`, ...) stands for, and how many pods the
/// controller's selector matched (1 for a pod). The error is kubectl's whole output.
/// `refused` words the failure for a kind without a pod selector (`cannot attach to` or
/// `cannot get the logs from`).
pub fn pod_for_argument(
    client: &mut Client<'_, '_>,
    arg: &str,
    order: PodOrder,
    timeout: SimDuration,
    refused: &str,
) -> Result<(Value, usize), Output> {
    let (resource, wanted) = match arg.split_once('/') {
        Some((typed, wanted)) => match resolve_type(typed) {
            Ok(resource) => (resource, wanted),
            Err(message) => return Err(Output::err(format!("error: {message}\n"), 1)),
        },
        None => (Resource::Pods, arg),
    };
    client.discover()?;
    let object = client
        .get(resource, wanted)
        .map_err(|err| Output::err(server_error(&client.conn, &err), 1))?;
    let go_type = format!("*v1.{}", resource.kind());
    let selector = match resource {
        Resource::Pods => return Ok((object, 1)),
        Resource::Deployments | Resource::ReplicaSets | Resource::DaemonSets => {
            label_selector(get(&object, &["spec", "selector"])).ok_or("invalid label selector")
        }
        // A Service's selector is a plain label map (`labels.SelectorFromSet`); without one
        // no pod stands for it.
        Resource::Services => {
            if string_map(&object, &["spec", "selector"]).is_empty() {
                return Err(Output::err(
                    format!(
                        "error: {refused} {go_type}: invalid service '{}': Service is defined without a selector\n",
                        name(&object)
                    ),
                    1,
                ));
            }
            let match_labels = json!({"matchLabels": get(&object, &["spec", "selector"])});
            label_selector(Some(&match_labels)).ok_or("invalid label selector")
        }
        _ => {
            return Err(Output::err(
                format!("error: {refused} {go_type}: selector for {go_type} not implemented\n"),
                1,
            ));
        }
    };
    let selector = match selector {
        Ok(selector) => selector,
        Err(reason) => {
            return Err(Output::err(
                format!("error: {refused} {go_type}: {reason}\n"),
                1,
            ))
        }
    };
    let namespace = str_at(&object, &["metadata", "namespace"]).to_string();
    let matching = |client: &Client<'_, '_>| -> Result<Vec<Value>, Output> {
        let pods = client
            .list(Resource::Pods, Some(&namespace))
            .map_err(|err| Output::err(server_error(&client.conn, &err), 1))?;
        Ok(pods
            .into_iter()
            .filter(|pod| selector.matches(&string_map(pod, &["metadata", "labels"])))
            .collect())
    };
    let mut pods = matching(client)?;
    if pods.is_empty() {
        let limit = client.now() + timeout;
        let appeared = client.world.cluster.run_while(limit, |cluster| {
            cluster
                .api()
                .list_values(Resource::Pods, Some(&namespace))
                .is_ok_and(|pods| {
                    pods.iter()
                        .any(|pod| selector.matches(&string_map(pod, &["metadata", "labels"])))
                })
        });
        if !appeared {
            return Err(Output::err(
                "error: timed out waiting for the condition\n",
                1,
            ));
        }
        pods = matching(client)?;
    }
    crate::sort::sort_by(&mut pods, |a, b| name(a).cmp(name(b)));
    let count = pods.len();
    let keys: Vec<PodKey> = pods.iter().map(PodKey::of).collect();
    let mut best = 0;
    for idx in 1..pods.len() {
        let better = match order {
            // The reversed order's first is the greatest: a later pod wins only when the
            // best so far is less than it.
            PodOrder::Attach => active_less(&keys[best], &keys[idx]),
            PodOrder::Logging => logging_less(&keys[idx], &keys[best]),
        };
        if better {
            best = idx;
        }
    }
    Ok((pods.swap_remove(best), count))
}

/// What the pod orders look at.
struct PodKey {
    assigned: bool,
    phase: String,
    ready_since: Option<Option<Timestamp>>,
    restarts: i64,
    created: Option<Timestamp>,
}

impl PodKey {
    fn of(pod: &Value) -> PodKey {
        let ready_since = array_at(pod, &["status", "conditions"])
            .iter()
            .find(|c| str_at(c, &["type"]) == "Ready" && str_at(c, &["status"]) == "True")
            .map(|c| parse_time(str_at(c, &["lastTransitionTime"])));
        let restarts = array_at(pod, &["status", "containerStatuses"])
            .iter()
            .map(|c| c.get("restartCount").and_then(Value::as_i64).unwrap_or(0))
            .max()
            .unwrap_or(0)
            .max(0);
        PodKey {
            assigned: !str_at(pod, &["spec", "nodeName"]).is_empty(),
            phase: str_at(pod, &["status", "phase"]).to_string(),
            ready_since,
            restarts,
            created: parse_time(str_at(pod, &["metadata", "creationTimestamp"])),
        }
    }

    fn ready(&self) -> bool {
        self.ready_since.is_some()
    }

    /// `podReadyTime`: the Ready condition's transition time, zero when not ready.
    fn ready_time(&self) -> Option<Timestamp> {
        self.ready_since.flatten()
    }
}

/// `afterOrZero`: whether `t1` is after `t2`, a zero time counting as after any other.
fn after_or_zero(t1: Option<Timestamp>, t2: Option<Timestamp>) -> bool {
    match (t1, t2) {
        (Some(a), Some(b)) => a > b,
        _ => t1.is_none(),
    }
}

/// `ActivePods.Less`.
fn active_less(a: &PodKey, b: &PodKey) -> bool {
    if a.assigned != b.assigned {
        return !a.assigned;
    }
    let rank = |phase: &str| match phase {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };
    if rank(&a.phase) != rank(&b.phase) {
        return rank(&a.phase) < rank(&b.phase);
    }
    if a.ready() != b.ready() {
        return !a.ready();
    }
    if a.ready() && a.ready_time() != b.ready_time() {
        return after_or_zero(a.ready_time(), b.ready_time());
    }
    if a.restarts != b.restarts {
        return a.restarts > b.restarts;
    }
    if a.created != b.created {
        return after_or_zero(a.created, b.created);
    }
    false
}

/// `ByLogging.Less`.
fn logging_less(a: &PodKey, b: &PodKey) -> bool {
    if a.assigned != b.assigned {
        return a.assigned;
    }
    let rank = |phase: &str| match phase {
        "Running" => 0,
        "Unknown" => 1,
        "Pending" => 2,
        _ => 0,
    };
    if rank(&a.phase) != rank(&b.phase) {
        return rank(&a.phase) < rank(&b.phase);
    }
    if a.ready() != b.ready() {
        return a.ready();
    }
    if a.ready() && a.ready_time() != b.ready_time() {
        return after_or_zero(b.ready_time(), a.ready_time());
    }
    if a.restarts != b.restarts {
        return a.restarts > b.restarts;
    }
    if a.created != b.created {
        return after_or_zero(b.created, a.created);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(
        node: &str,
        phase: &str,
        ready_at: Option<&str>,
        restarts: i64,
        created: &str,
    ) -> PodKey {
        let mut conditions = Vec::new();
        if let Some(at) = ready_at {
            conditions.push(json!({"type": "Ready", "status": "True", "lastTransitionTime": at}));
        }
        PodKey::of(&json!({
            "metadata": {"creationTimestamp": created},
            "spec": {"nodeName": node},
            "status": {"phase": phase, "conditions": conditions,
                "containerStatuses": [{"restartCount": restarts}]},
        }))
    }

    #[test]
    fn exec_prefers_running_ready_long_ready_pods_and_logs_prefers_the_same_differently() {
        let pending = pod("", "Pending", None, 0, "2026-01-01T00:00:00Z");
        let running = pod("node01", "Running", None, 0, "2026-01-01T00:00:00Z");
        let ready_early = pod(
            "node01",
            "Running",
            Some("2026-01-01T00:01:00Z"),
            0,
            "2026-01-01T00:00:00Z",
        );
        let ready_late = pod(
            "node01",
            "Running",
            Some("2026-01-01T00:05:00Z"),
            0,
            "2026-01-01T00:00:00Z",
        );
        assert!(active_less(&pending, &running));
        assert!(active_less(&running, &ready_late));
        // The pod that became ready last is the lesser: the longest-ready one is picked.
        assert!(active_less(&ready_late, &ready_early));
        assert!(logging_less(&ready_early, &ready_late));
        assert!(logging_less(&running, &pending));
        let restarted = pod("node01", "Running", None, 3, "2026-01-01T00:00:00Z");
        assert!(active_less(&restarted, &running));
        assert!(logging_less(&restarted, &running));
        let newer = pod("node01", "Running", None, 0, "2026-01-01T00:09:00Z");
        assert!(active_less(&newer, &running));
        assert!(logging_less(&running, &newer));
    }
}
