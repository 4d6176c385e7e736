//! Goal predicates evaluated against the cluster: files, running kubelets, pods in the API
//! server's store, containers in the runtimes and trace records since the step began.
//!
//! Evaluation only reads the cluster. What a goal compares with "when the step began" (pod
//! UIDs, the newest containers, kubelet processes, how long the trace was) is a [`Baseline`]
//! taken when the step opens.

use std::collections::BTreeMap;

use serde_json::Value;

use super::model::{
    BackOffGoal, ContainerGoal, ContainerStateGoal, FileGoal, Goal, KubeletGoal, PodGoal,
    TraceEvent, TraceGoal,
};
use crate::apiserver::store::{ObjectKey, Resource};
use crate::cluster::Cluster;
use crate::kubelet::container::{LABEL_POD_NAME, LABEL_POD_NAMESPACE};
use crate::node::cri::ContainerState;
use crate::node::runtime::Container;
use crate::sim::trace::{Event, PodOp};

/// The annotation the kubelet puts on a mirror pod.
const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// The state a step's goals compare with: the world as it was when the step opened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// How many trace records there were.
    pub trace_len: usize,
    /// Each pod's UID, by `(namespace, name)`.
    pub pod_uids: BTreeMap<(String, String), String>,
    /// The newest container's id by `(host, namespace, pod, container name)`.
    pub containers: BTreeMap<(String, String, String, String), String>,
    /// The kubelet's process id on each host that ran one.
    pub kubelet_pids: BTreeMap<String, u32>,
}

impl Baseline {
    /// The cluster as it is now.
    pub fn take(cluster: &Cluster) -> Baseline {
        let mut pod_uids = BTreeMap::new();
        for pod in cluster.api().store().list_values(Resource::Pods, None) {
            let text = |ptr: &str| str_at(pod, ptr).to_string();
            pod_uids.insert(
                (text("/metadata/namespace"), text("/metadata/name")),
                text("/metadata/uid"),
            );
        }
        let mut containers = BTreeMap::new();
        let mut kubelet_pids = BTreeMap::new();
        for host in cluster.hosts() {
            let name = host.node.name.clone();
            let mut newest: BTreeMap<(String, String, String, String), &Container> =
                BTreeMap::new();
            for c in host.node.runtime.containers() {
                let key = (
                    name.clone(),
                    label(c, LABEL_POD_NAMESPACE),
                    label(c, LABEL_POD_NAME),
                    c.config.name.clone(),
                );
                let slot = newest.entry(key).or_insert(c);
                if is_newer(c, slot) {
                    *slot = c;
                }
            }
            containers.extend(newest.into_iter().map(|(k, c)| (k, c.id.to_string())));
            if let Some(kubelet) = host.kubelet() {
                kubelet_pids.insert(name, kubelet.pid());
            }
        }
        Baseline {
            trace_len: cluster.trace().len(),
            pod_uids,
            containers,
            kubelet_pids,
        }
    }
}

/// Whether `goal` holds in `cluster`, compared with the step's `baseline`.
pub fn holds(goal: &Goal, cluster: &Cluster, baseline: &Baseline) -> bool {
    match goal {
        Goal::All(goals) => goals.iter().all(|g| holds(g, cluster, baseline)),
        Goal::Any(goals) => goals.iter().any(|g| holds(g, cluster, baseline)),
        Goal::NoneOf(goals) => !goals.iter().any(|g| holds(g, cluster, baseline)),
        Goal::File(goal) => file(goal, cluster),
        Goal::Kubelet(goal) => kubelet(goal, cluster, baseline),
        Goal::Pod(goal) => pod(goal, cluster, baseline),
        Goal::Container(goal) => container(goal, cluster, baseline),
        Goal::Trace(goal) => trace(goal, cluster, baseline),
        Goal::BackOff(goal) => back_off(goal, cluster),
    }
}

fn str_at<'a>(value: &'a Value, ptr: &str) -> &'a str {
    value.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

fn label(c: &Container, key: &str) -> String {
    c.config.labels.get(key).cloned().unwrap_or_default()
}

/// Whether container `a` came after `b` (a higher ATTEMPT, or created later).
fn is_newer(a: &Container, b: &Container) -> bool {
    (a.config.attempt, a.created_at) > (b.config.attempt, b.created_at)
}

fn file(goal: &FileGoal, cluster: &Cluster) -> bool {
    let Some(idx) = cluster.host_index(&goal.host) else {
        return false;
    };
    let fs = &cluster.host(idx).node.fs;
    match fs.read(&goal.path) {
        Ok(data) => {
            goal.exists
                && goal
                    .contains
                    .as_ref()
                    .is_none_or(|needle| String::from_utf8_lossy(&data).contains(needle.as_str()))
        }
        // A directory cannot be read but exists.
        Err(_) => fs.stat(&goal.path).is_ok() == goal.exists && goal.contains.is_none(),
    }
}

fn kubelet(goal: &KubeletGoal, cluster: &Cluster, baseline: &Baseline) -> bool {
    let Some(idx) = cluster.host_index(&goal.host) else {
        return false;
    };
    let running = cluster.host(idx).kubelet();
    if goal.running.is_some_and(|want| want != running.is_some()) {
        return false;
    }
    if let Some(want) = goal.restarted {
        let restarted =
            running.is_some_and(|k| baseline.kubelet_pids.get(&goal.host) != Some(&k.pid()));
        if restarted != want {
            return false;
        }
    }
    // A stopped kubelet is neither standalone nor connected.
    if let Some(want) = goal.standalone {
        if running.map(|k| !k.settings().has_api_client) != Some(want) {
            return false;
        }
    }
    let config = running.map(|k| &k.settings().config);
    let same = |want: &Option<String>, have: Option<&String>| match want {
        None => true,
        Some(want) => have == Some(want),
    };
    same(&goal.static_pod_path, config.map(|c| &c.static_pod_path))
        && same(&goal.static_pod_url, config.map(|c| &c.static_pod_url))
}

fn pod(goal: &PodGoal, cluster: &Cluster, baseline: &Baseline) -> bool {
    let key = ObjectKey::new(Resource::Pods, &goal.namespace, &goal.name);
    let Some(pod) = cluster.api().store().get_value(&key) else {
        return !goal.exists;
    };
    if !goal.exists {
        return false;
    }
    let mirror = pod
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(MIRROR_ANNOTATION))
        .is_some();
    if goal.mirror.is_some_and(|want| want != mirror) {
        return false;
    }
    let same = |want: &Option<String>, have: &str| want.as_ref().is_none_or(|w| w == have);
    if !same(&goal.phase, str_at(pod, "/status/phase"))
        || !same(&goal.node, str_at(pod, "/spec/nodeName"))
        || !same(
            &goal.owner_kind,
            str_at(pod, "/metadata/ownerReferences/0/kind"),
        )
    {
        return false;
    }
    if let Some(min) = goal.min_restarts {
        let restarts: u64 = pod
            .pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .map(|statuses| {
                statuses
                    .iter()
                    .filter_map(|s| s.get("restartCount").and_then(Value::as_u64))
                    .sum()
            })
            .unwrap_or(0);
        if restarts < u64::from(min) {
            return false;
        }
    }
    if let Some(want) = &goal.waiting_reason {
        let waiting = pod
            .pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .is_some_and(|statuses| {
                statuses
                    .iter()
                    .any(|s| str_at(s, "/state/waiting/reason") == want)
            });
        if !waiting {
            return false;
        }
    }
    if let Some(want) = goal.uid_changed {
        let before = baseline
            .pod_uids
            .get(&(goal.namespace.clone(), goal.name.clone()));
        let changed = before.map(String::as_str) != Some(str_at(pod, "/metadata/uid"));
        if changed != want {
            return false;
        }
    }
    true
}

fn container(goal: &ContainerGoal, cluster: &Cluster, baseline: &Baseline) -> bool {
    let Some(idx) = cluster.host_index(&goal.host) else {
        return false;
    };
    let newest = cluster
        .host(idx)
        .node
        .runtime
        .containers()
        .filter(|c| {
            label(c, LABEL_POD_NAMESPACE) == goal.namespace
                && label(c, LABEL_POD_NAME) == goal.pod
                && goal.name.as_ref().is_none_or(|n| *n == c.config.name)
        })
        .fold(None, |best: Option<&Container>, c| match best {
            Some(b) if !is_newer(c, b) => Some(b),
            _ => Some(c),
        });
    let Some(c) = newest else {
        return false;
    };
    if let Some(want) = goal.state {
        let want = match want {
            ContainerStateGoal::Created => ContainerState::Created,
            ContainerStateGoal::Running => ContainerState::Running,
            ContainerStateGoal::Exited => ContainerState::Exited,
        };
        if c.state != want {
            return false;
        }
    }
    if goal.min_attempt.is_some_and(|min| c.config.attempt < min) {
        return false;
    }
    if goal
        .image
        .as_ref()
        .is_some_and(|want| *want != c.config.image)
    {
        return false;
    }
    if let Some(want) = goal.same_as_step_start {
        let key = (
            goal.host.clone(),
            goal.namespace.clone(),
            goal.pod.clone(),
            c.config.name.clone(),
        );
        let same = baseline.containers.get(&key).map(String::as_str) == Some(&*c.id);
        if same != want {
            return false;
        }
    }
    true
}

fn back_off(goal: &BackOffGoal, cluster: &Cluster) -> bool {
    let Some(idx) = cluster.host_index(&goal.host) else {
        return false;
    };
    let Some(kubelet) = cluster.host(idx).kubelet() else {
        return false;
    };
    let full_name = format!("{}_{}", goal.pod, goal.namespace);
    kubelet
        .container_backoff(&full_name, &goal.container)
        .is_some_and(|d| d.as_millis() >= u64::from(goal.min_secs) * 1000)
}

fn trace(goal: &TraceGoal, cluster: &Cluster, baseline: &Baseline) -> bool {
    cluster
        .trace()
        .since(baseline.trace_len)
        .iter()
        .filter(|r| goal.host.as_ref().is_none_or(|h| **h == *r.host))
        .any(|r| event_matches(&goal.event, &r.event))
}

fn event_matches(want: &TraceEvent, event: &Event) -> bool {
    let opt = |want: &Option<String>, have: &str| want.as_ref().is_none_or(|w| w == have);
    match (want, event) {
        (
            TraceEvent::Mux { op, source, pod },
            Event::MuxEmitted {
                source: have_source,
                op: have_op,
                pods,
                ..
            },
        ) => {
            have_op.as_str() == op
                && opt(source, have_source)
                && pod
                    .as_ref()
                    .is_none_or(|name| pods.iter().any(|p| p.name == *name))
        }
        (
            TraceEvent::ManifestRejected { location },
            Event::ManifestRejected { location: have, .. },
        ) => opt(location, have),
        (TraceEvent::ManifestSkipped { path }, Event::ManifestSkipped { path: have, .. }) => {
            opt(path, have)
        }
        (
            TraceEvent::KubeEvent { reason, object },
            Event::KubeEvent {
                reason: have_reason,
                object: have_object,
                ..
            },
        ) => reason == have_reason && opt(object, have_object),
        (TraceEvent::ProcessStarted { name }, Event::ProcessStarted { name: have, .. }) => {
            name == have
        }
        (
            TraceEvent::Replaced { source, pod },
            Event::MuxEmitted {
                source: have_source,
                op: PodOp::Add,
                pods,
                changes,
                ..
            },
        ) => {
            opt(source, have_source)
                && pods.iter().any(|p| {
                    pod.as_ref().is_none_or(|name| p.name == *name)
                        && changes
                            .iter()
                            .any(|c| c.uid == p.uid && c.paired_uid.is_some())
                })
        }
        (
            TraceEvent::MirrorWritten { action, pod },
            Event::MirrorWritten {
                action: have_action,
                pod: have_pod,
                error: None,
                ..
            },
        ) => action == have_action && opt(pod, &have_pod.name),
        (
            TraceEvent::Pleg { event_type },
            Event::PlegEvent {
                event_type: have, ..
            },
        ) => event_type == have,
        _ => false,
    }
}
