//! kube-scheduler: binds pending pods to feasible nodes, and explains itself when none fits.
//!
//! Mirrors (v1.34): `pkg/scheduler/schedule_one.go` (`schedulePod`, `findNodesThatFitPod`,
//! `ErrNoNodesAvailable`, the `Scheduled`/`FailedScheduling` events and the `PodScheduled`
//! condition), `pkg/scheduler/framework/types.go` (`FitError.Error`: the sorted reason
//! histogram), the default filter plugins in their configured order —
//! `plugins/nodeunschedulable`, `plugins/tainttoleration`, `plugins/nodeaffinity` (with its
//! PreFilter narrowing to `matchFields metadata.name`), `plugins/nodeports`,
//! `plugins/noderesources/fit.go` — and the PostFilter messages of `plugins/dynamicresources`
//! (`no new claims to deallocate`) and `framework/preemption/preemption.go`
//! (`Preemption is not helpful for scheduling`, `No preemption victims found for incoming pod`,
//! `not eligible due to preemptionPolicy=Never.`). The back-off mirrors
//! `pkg/scheduler/backend/queue/scheduling_queue.go` (1 s doubling to 10 s; unschedulable pods
//! wait for a cluster change or `podMaxInUnschedulablePodsDuration`, 5 min).
//!
//! Simplifications:
//! - Node readiness is not a filter of its own, as upstream: NotReady and unreachable nodes are
//!   kept away by the `node.kubernetes.io/not-ready`/`unreachable` NoSchedule taints the node
//!   lifecycle controller (or the kubelet at registration) puts on them.
//! - Scoring is replaced by "fewest pods, then node name": deterministic and close to
//!   LeastAllocated for pods without requests. Upstream breaks ties at random.
//! - No preemption: when only resolvable filters (resources, ports) failed, the message says
//!   no victims were found, as upstream does when no lower-priority pods exist.
//! - No volume, topology-spread or inter-pod-affinity filters.
//! - "A cluster change" is any change of node labels, taints, schedulability or allocatable,
//!   or a bound pod going away (freeing resources), instead of per-plugin queueing hints.
//! - The taint filter's reason is `node(s) had untolerated taint(s)`: pod statuses stopped
//!   naming taint keys and values in kubernetes#134740, cherry-picked to release-1.34 (#135023);
//!   earlier 1.34 patch releases printed `node(s) had untolerated taint {key: value}`.

mod pod_sets;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::events::{pod_reference, record_event, EventSource, EventType, NewEvent};
use crate::apiserver::helpers::{
    find_untolerated_taint, fnv32a, node_taints, parse_quantity_milli, parse_quantity_units,
    pod_is_terminal, pod_matches_node_selector_and_affinity, pod_request_milli, pod_tolerations,
    required_node_affinity_terms, set_pod_condition, sim_time, tolerates, FNV32_OFFSET,
};
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimDuration, SimTime};

/// The scheduler's name (`spec.schedulerName` it serves, and the events' source).
pub const SCHEDULER_NAME: &str = "default-scheduler";
/// `podInitialBackoffDuration`.
pub const INITIAL_BACKOFF: SimDuration = SimDuration::from_secs(1);
/// `podMaxBackoffDuration`.
pub const MAX_BACKOFF: SimDuration = SimDuration::from_secs(10);
/// `podMaxInUnschedulablePodsDuration`: retry even when nothing changed.
pub const MAX_UNSCHEDULABLE_DURATION: SimDuration = SimDuration::from_mins(5);

const EVENTS: EventSource<'static> = EventSource {
    component: SCHEDULER_NAME,
    host: "",
};

const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
const REASON_TAINT: &str = "node(s) had untolerated taint(s)";
const REASON_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
const REASON_PREFILTER_AFFINITY: &str = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
const REASON_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";
const NO_NODES: &str = "no nodes available to schedule pods";

/// A pod bound to a node in this round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub name: String,
    /// The node it was bound to.
    pub node: String,
}

/// The scheduler process's memory: the back-off of pods that did not fit.
#[derive(Debug, Clone, Default)]
pub struct Scheduler {
    backoffs: BTreeMap<String, Backoff>,
    /// Pods bound (and not finished) at the last round, to notice resources being freed.
    bound: BTreeSet<String>,
    /// How many bound pods have gone away or finished since the process started.
    departures: u64,
    /// The pods as the store's change history says they are now (bound uids, pending ones).
    pods: pod_sets::PodSets,
    /// The uids this process bound since its last look at the pods: added to `bound` before
    /// the store says they are bound, so the next round looks at them.
    fresh: Vec<String>,
}

#[derive(Debug, Clone)]
struct Backoff {
    attempts: u32,
    retry_at: SimTime,
    last_attempt: SimTime,
    cluster: u32,
}

impl Scheduler {
    /// Whether some pod waits out a back-off: its retry depends on time passing, not only on
    /// the pods and nodes changing.
    pub fn backing_off(&self) -> bool {
        !self.backoffs.is_empty()
    }

    /// One scheduling round: every pending pod that is due is bound or explained. Run it once a
    /// second while kube-scheduler runs.
    pub fn schedule(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
    ) -> Result<Vec<Binding>, ApiError> {
        let nodes = api.list_shared::<corev1::Node>(Resource::Nodes, None)?;
        // The pods are lent (a pod that does not decode fails the round as it always did);
        // what changed since the last round updates the bound uids and the pending count.
        let store = api.store();
        let touched = api.with_list(Resource::Pods, None, |pods: &[Arc<corev1::Pod>]| {
            self.pods.update(store, pods)
        })?;
        // A uid of the last round's `bound` that neither changed nor was bound by this
        // process is still bound, so only the changed and the freshly bound can have departed.
        let fresh = std::mem::take(&mut self.fresh);
        match touched {
            Some(mut touched) => {
                touched.extend(fresh);
                let departed = touched
                    .iter()
                    .filter(|u| self.bound.contains(*u) && !self.pods.is_bound(u))
                    .count();
                self.departures += departed as u64;
                for uid in touched {
                    if self.pods.is_bound(&uid) {
                        self.bound.insert(uid);
                    } else {
                        self.bound.remove(&uid);
                    }
                }
            }
            None => {
                let departed = self.bound.iter().filter(|u| !self.pods.is_bound(u)).count();
                self.departures += departed as u64;
                self.bound = self.pods.bound().cloned().collect();
            }
        }
        if !self.pods.any_pending() {
            // Nothing to place: the round only forgets the back-offs (of pods no longer
            // pending) and needs no snapshot of the nodes.
            self.backoffs.clear();
            return Ok(Vec::new());
        }
        let shared = api.list_shared::<corev1::Pod>(Resource::Pods, None)?;
        let pods: Vec<&corev1::Pod> = shared.iter().map(|p| &**p).collect();
        let mut pending: Vec<&corev1::Pod> = pods
            .iter()
            .copied()
            .filter(|p| needs_scheduling(p))
            .collect();
        let nodes: Vec<corev1::Node> = nodes.iter().map(|n| corev1::Node::clone(n)).collect();
        let mut snapshot = Snapshot::new(nodes, &pods);
        let fingerprint = fnv32a(&self.departures.to_le_bytes(), snapshot.fingerprint());

        pending.sort_by_key(|p| {
            let priority = p.spec.as_ref().and_then(|s| s.priority).unwrap_or(0);
            let created = p.metadata.creation_timestamp.as_ref().map(sim_time);
            (
                std::cmp::Reverse(priority),
                created,
                p.metadata.namespace.clone(),
                p.metadata.name.clone(),
            )
        });
        let pending_uids: BTreeSet<String> = pending.iter().map(|p| uid(p)).collect();
        self.backoffs.retain(|uid, _| pending_uids.contains(uid));

        let mut bindings = Vec::new();
        for pod in pending {
            let uid = uid(pod);
            if let Some(backoff) = self.backoffs.get(&uid) {
                let waited_out = now.since(backoff.last_attempt) >= MAX_UNSCHEDULABLE_DURATION;
                if now < backoff.retry_at || (backoff.cluster == fingerprint && !waited_out) {
                    continue;
                }
            }
            match snapshot.find_node(pod) {
                Ok(node) => {
                    bind(now, rng, api, pod, &node)?;
                    snapshot.assume(pod, &node);
                    self.backoffs.remove(&uid);
                    self.bound.insert(uid.clone());
                    self.fresh.push(uid.clone());
                    bindings.push(Binding {
                        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
                        name: pod.metadata.name.clone().unwrap_or_default(),
                        node,
                    });
                }
                Err(message) => {
                    mark_unschedulable(now, rng, api, pod, &message)?;
                    let attempts = self.backoffs.get(&uid).map_or(0, |b| b.attempts) + 1;
                    let delay = INITIAL_BACKOFF.as_millis() << (attempts - 1).min(10);
                    let delay = SimDuration::from_millis(delay.min(MAX_BACKOFF.as_millis()));
                    self.backoffs.insert(
                        uid,
                        Backoff {
                            attempts,
                            retry_at: now + delay,
                            last_attempt: now,
                            cluster: fingerprint,
                        },
                    );
                }
            }
        }
        Ok(bindings)
    }
}

/// Where `pod` would go among `nodes`, given the pods already bound: the chosen node, or the
/// `FailedScheduling` message.
pub fn place(
    pod: &corev1::Pod,
    nodes: &[corev1::Node],
    bound: &[corev1::Pod],
) -> Result<String, String> {
    let bound: Vec<&corev1::Pod> = bound.iter().collect();
    Snapshot::new(nodes.to_vec(), &bound).find_node(pod)
}

fn uid(pod: &corev1::Pod) -> String {
    uid_of(pod).into_owned()
}

/// The pod's uid, or `namespace/name` when it has none, borrowed when it can be.
fn uid_of(pod: &corev1::Pod) -> Cow<'_, str> {
    match pod.metadata.uid.as_deref() {
        Some(uid) => Cow::Borrowed(uid),
        None => Cow::Owned(format!(
            "{}/{}",
            pod.metadata.namespace.as_deref().unwrap_or_default(),
            pod.metadata.name.as_deref().unwrap_or_default()
        )),
    }
}

/// Unbound, not being deleted, not finished, and addressed to this scheduler.
fn needs_scheduling(pod: &corev1::Pod) -> bool {
    let Some(spec) = pod.spec.as_ref() else {
        return false;
    };
    let unbound = spec.node_name.as_deref().unwrap_or_default().is_empty();
    let ours = spec
        .scheduler_name
        .as_deref()
        .is_none_or(|n| n.is_empty() || n == SCHEDULER_NAME);
    unbound && ours && pod.metadata.deletion_timestamp.is_none() && !pod_is_terminal(pod)
}

/// The binding subresource: `spec.nodeName` and `PodScheduled=True`.
fn bind(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    pod: &corev1::Pod,
    node: &str,
) -> Result<(), ApiError> {
    let mut bound = pod.clone();
    bound.spec.get_or_insert_with(Default::default).node_name = Some(node.to_string());
    let status = bound.status.get_or_insert_with(Default::default);
    set_pod_condition(
        status,
        corev1::PodCondition {
            type_: "PodScheduled".to_string(),
            status: "True".to_string(),
            ..Default::default()
        },
        now,
    );
    api.update(Resource::Pods, &bound)?;
    let message = format!(
        "Successfully assigned {}/{} to {node}",
        pod.metadata.namespace.as_deref().unwrap_or_default(),
        pod.metadata.name.as_deref().unwrap_or_default()
    );
    let involved = pod_reference(pod);
    let event = NewEvent {
        involved: &involved,
        event_type: EventType::Normal,
        reason: "Scheduled",
        message: &message,
    };
    // Event errors are logged and dropped by the recorder.
    let _ = record_event(now, rng, api, &EVENTS, &event);
    Ok(())
}

/// `PodScheduled=False/Unschedulable` with the message, and a `FailedScheduling` event.
fn mark_unschedulable(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    pod: &corev1::Pod,
    message: &str,
) -> Result<(), ApiError> {
    let mut updated = pod.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    let changed = set_pod_condition(
        status,
        corev1::PodCondition {
            type_: "PodScheduled".to_string(),
            status: "False".to_string(),
            reason: Some("Unschedulable".to_string()),
            message: Some(message.to_string()),
            ..Default::default()
        },
        now,
    );
    if changed {
        api.update(Resource::Pods, &updated)?;
    }
    let involved = pod_reference(pod);
    let event = NewEvent {
        involved: &involved,
        event_type: EventType::Warning,
        reason: "FailedScheduling",
        message,
    };
    let _ = record_event(now, rng, api, &EVENTS, &event);
    Ok(())
}

/// Why a node was rejected: by a filter preemption cannot help (`UnschedulableAndUnresolvable`)
/// or one it might (`Unschedulable`).
enum Rejection {
    Unresolvable(Vec<&'static str>),
    Unschedulable(Vec<&'static str>),
}

/// What the filters need to know about a node and the pods on it.
struct NodeInfo {
    node: corev1::Node,
    name: String,
    pods: i128,
    cpu_milli: i128,
    memory_milli: i128,
    host_ports: Vec<HostPort>,
}

#[derive(Clone, PartialEq, Eq)]
struct HostPort {
    protocol: String,
    ip: String,
    port: i32,
}

impl HostPort {
    fn conflicts(&self, other: &HostPort) -> bool {
        let wildcard = |ip: &str| ip.is_empty() || ip == "0.0.0.0";
        self.port == other.port
            && self.protocol == other.protocol
            && (self.ip == other.ip || wildcard(&self.ip) || wildcard(&other.ip))
    }
}

fn host_ports(pod: &corev1::Pod) -> Vec<HostPort> {
    let Some(spec) = pod.spec.as_ref() else {
        return Vec::new();
    };
    spec.containers
        .iter()
        .flat_map(|c| c.ports.iter().flatten())
        .filter_map(|p| {
            let port = p.host_port.filter(|port| *port > 0)?;
            Some(HostPort {
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".to_string()),
                ip: p.host_ip.clone().unwrap_or_default(),
                port,
            })
        })
        .collect()
}

/// The scheduler cache for one round.
struct Snapshot {
    infos: Vec<NodeInfo>,
}

impl Snapshot {
    fn new(nodes: Vec<corev1::Node>, pods: &[&corev1::Pod]) -> Snapshot {
        let mut snapshot = Snapshot {
            infos: nodes
                .into_iter()
                .map(|node| NodeInfo {
                    name: node.metadata.name.clone().unwrap_or_default(),
                    node,
                    pods: 0,
                    cpu_milli: 0,
                    memory_milli: 0,
                    host_ports: Vec::new(),
                })
                .collect(),
        };
        snapshot.infos.sort_by(|a, b| a.name.cmp(&b.name));
        for pod in pods {
            let node = pod.spec.as_ref().and_then(|s| s.node_name.as_deref());
            if let Some(node) = node.filter(|n| !n.is_empty()) {
                if !pod_is_terminal(pod) {
                    snapshot.assume(pod, node);
                }
            }
        }
        snapshot
    }

    /// Accounts `pod` on `node`.
    fn assume(&mut self, pod: &corev1::Pod, node: &str) {
        if let Some(info) = self.infos.iter_mut().find(|i| i.name == node) {
            info.pods += 1;
            info.cpu_milli += pod_request_milli(pod, "cpu");
            info.memory_milli += pod_request_milli(pod, "memory");
            info.host_ports.extend(host_ports(pod));
        }
    }

    /// A hash of the node properties the filters read.
    fn fingerprint(&self) -> u32 {
        let mut hash = FNV32_OFFSET;
        for info in &self.infos {
            let spec = info.node.spec.as_ref();
            let parts = serde_json::json!([
                info.name,
                info.node.metadata.labels,
                spec.and_then(|s| s.taints.as_ref()),
                spec.and_then(|s| s.unschedulable),
                info.node
                    .status
                    .as_ref()
                    .and_then(|s| s.allocatable.as_ref()),
            ]);
            hash = fnv32a(parts.to_string().as_bytes(), hash);
        }
        hash
    }

    /// `schedulePod`: PreFilter, Filter on every node, then the best feasible node or the
    /// `FitError` message.
    fn find_node(&self, pod: &corev1::Pod) -> Result<String, String> {
        if self.infos.is_empty() {
            return Err(NO_NODES.to_string());
        }
        let allowed = prefilter_node_names(pod);
        let mut feasible: Vec<&NodeInfo> = Vec::new();
        let mut rejections: Vec<Rejection> = Vec::new();
        for info in &self.infos {
            if allowed
                .as_ref()
                .is_some_and(|names| !names.contains(&info.name))
            {
                rejections.push(Rejection::Unresolvable(vec![REASON_PREFILTER_AFFINITY]));
                continue;
            }
            match filter(pod, info) {
                Some(rejection) => rejections.push(rejection),
                None => feasible.push(info),
            }
        }
        if let Some(best) = feasible
            .iter()
            .min_by(|a, b| (a.pods, &a.name).cmp(&(b.pods, &b.name)))
        {
            return Ok(best.name.clone());
        }
        Err(fit_error(pod, self.infos.len(), &rejections))
    }
}

/// NodeAffinity's PreFilter: when every required term pins `metadata.name`, only those nodes
/// are evaluated.
fn prefilter_node_names(pod: &corev1::Pod) -> Option<BTreeSet<String>> {
    let terms = required_node_affinity_terms(pod)?;
    let mut names: Option<BTreeSet<String>> = None;
    for term in terms {
        let mut term_names: Option<BTreeSet<String>> = None;
        for req in term.match_fields.iter().flatten() {
            if req.key == "metadata.name" && req.operator == "In" {
                let set: BTreeSet<String> = req.values.iter().flatten().cloned().collect();
                term_names = Some(match term_names {
                    Some(prev) => prev.intersection(&set).cloned().collect(),
                    None => set,
                });
            }
        }
        let term_names = term_names?;
        names = Some(
            names
                .unwrap_or_default()
                .union(&term_names)
                .cloned()
                .collect(),
        );
    }
    names
}

/// The Filter plugins in order; the first failure decides, as the framework stops there.
fn filter(pod: &corev1::Pod, info: &NodeInfo) -> Option<Rejection> {
    let node = &info.node;
    let tolerations = pod_tolerations(pod);
    // NodeUnschedulable.
    let unschedulable = node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
    if unschedulable {
        let taint = corev1::Taint {
            key: "node.kubernetes.io/unschedulable".to_string(),
            effect: "NoSchedule".to_string(),
            ..Default::default()
        };
        if !tolerations.iter().any(|t| tolerates(t, &taint)) {
            return Some(Rejection::Unresolvable(vec![REASON_UNSCHEDULABLE]));
        }
    }
    // TaintToleration.
    if find_untolerated_taint(node_taints(node), tolerations, &["NoSchedule", "NoExecute"])
        .is_some()
    {
        return Some(Rejection::Unresolvable(vec![REASON_TAINT]));
    }
    // NodeAffinity (nodeSelector and required affinity).
    if !pod_matches_node_selector_and_affinity(pod, node) {
        return Some(Rejection::Unresolvable(vec![REASON_AFFINITY]));
    }
    // NodePorts.
    let wanted = host_ports(pod);
    if wanted
        .iter()
        .any(|w| info.host_ports.iter().any(|used| used.conflicts(w)))
    {
        return Some(Rejection::Unschedulable(vec![REASON_PORTS]));
    }
    // NodeResourcesFit.
    let allocatable = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
    let alloc = |name: &str| allocatable.and_then(|a| a.get(name));
    let mut insufficient = Vec::new();
    if let Some(max_pods) = alloc("pods").and_then(|q| parse_quantity_units(&q.0)) {
        if info.pods + 1 > max_pods {
            insufficient.push("Too many pods");
        }
    }
    let cpu = pod_request_milli(pod, "cpu");
    let memory = pod_request_milli(pod, "memory");
    if cpu > 0 || memory > 0 {
        if let Some(total) = alloc("cpu").and_then(|q| parse_quantity_milli(&q.0)) {
            if cpu > 0 && cpu > total - info.cpu_milli {
                insufficient.push("Insufficient cpu");
            }
        }
        if let Some(total) = alloc("memory").and_then(|q| parse_quantity_milli(&q.0)) {
            if memory > 0 && memory > total - info.memory_milli {
                insufficient.push("Insufficient memory");
            }
        }
    }
    if !insufficient.is_empty() {
        return Some(Rejection::Unschedulable(insufficient));
    }
    None
}

/// `"<count> <reason>"` for each reason, sorted as Go's `sort.Strings`, joined by ", ".
fn histogram<'a>(reasons: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for reason in reasons {
        *counts.entry(reason).or_default() += 1;
    }
    let mut parts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    parts.join(", ")
}

/// `FitError.Error()` followed by the PostFilter plugins' messages (DynamicResources, then
/// DefaultPreemption).
fn fit_error(pod: &corev1::Pod, num_nodes: usize, rejections: &[Rejection]) -> String {
    let filter_reasons = rejections.iter().flat_map(|r| match r {
        Rejection::Unresolvable(reasons) | Rejection::Unschedulable(reasons) => {
            reasons.iter().copied()
        }
    });
    let filters = histogram(filter_reasons);
    let never = pod
        .spec
        .as_ref()
        .and_then(|s| s.preemption_policy.as_deref())
        == Some("Never");
    let preemption = if never {
        "not eligible due to preemptionPolicy=Never.".to_string()
    } else {
        let per_node = rejections.iter().map(|r| match r {
            Rejection::Unresolvable(_) => "Preemption is not helpful for scheduling",
            Rejection::Unschedulable(_) => "No preemption victims found for incoming pod",
        });
        format!(
            "0/{num_nodes} nodes are available: {}.",
            histogram(per_node)
        )
    };
    format!(
        "0/{num_nodes} nodes are available: {filters}. no new claims to deallocate, preemption: {preemption}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::testutil::{control_plane_node, node, pod, two_node_cluster};
    use k8s_openapi::api::core::v1 as corev1;

    fn nodes() -> Vec<corev1::Node> {
        vec![control_plane_node("controlplane"), node("node01")]
    }

    #[test]
    fn the_control_plane_taint_keeps_ordinary_pods_off() {
        assert_eq!(place(&pod("web"), &nodes(), &[]), Ok("node01".to_string()));
        let mut selective = pod("web");
        selective.spec.as_mut().unwrap().node_selector =
            Some([("disktype".to_string(), "ssd".to_string())].into());
        assert_eq!(
            place(&selective, &nodes(), &[]),
            Err("0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.".to_string())
        );
    }

    #[test]
    fn tolerations_open_the_control_plane() {
        let mut tolerant = pod("agent");
        let spec = tolerant.spec.as_mut().unwrap();
        spec.tolerations = Some(vec![corev1::Toleration {
            key: Some("node-role.kubernetes.io/control-plane".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        }]);
        spec.node_selector = Some(
            [(
                "node-role.kubernetes.io/control-plane".to_string(),
                String::new(),
            )]
            .into(),
        );
        assert_eq!(
            place(&tolerant, &nodes(), &[]),
            Ok("controlplane".to_string())
        );
    }

    #[test]
    fn resources_ports_and_never_preempt() {
        let mut big = pod("big");
        big.spec.as_mut().unwrap().containers[0].resources = Some(corev1::ResourceRequirements {
            requests: Some(
                [(
                    "cpu".to_string(),
                    k8s_openapi::apimachinery::pkg::api::resource::Quantity("3".into()),
                )]
                .into(),
            ),
            ..Default::default()
        });
        assert_eq!(
            place(&big, &nodes(), &[]),
            Err("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.".to_string())
        );
        big.spec.as_mut().unwrap().preemption_policy = Some("Never".into());
        assert_eq!(
            place(&big, &nodes(), &[]),
            Err("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: not eligible due to preemptionPolicy=Never.".to_string())
        );
        assert_eq!(
            place(&pod("x"), &[], &[]),
            Err("no nodes available to schedule pods".to_string())
        );
    }

    #[test]
    fn daemon_pods_pinned_by_match_fields() {
        let mut pinned = pod("ds-abcde");
        pinned.spec.as_mut().unwrap().affinity = Some(corev1::Affinity {
            node_affinity: Some(corev1::NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(corev1::NodeSelector {
                    node_selector_terms: vec![corev1::NodeSelectorTerm {
                        match_fields: Some(vec![corev1::NodeSelectorRequirement {
                            key: "metadata.name".into(),
                            operator: "In".into(),
                            values: Some(vec!["controlplane".into()]),
                        }]),
                        ..Default::default()
                    }],
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(
            place(&pinned, &nodes(), &[]),
            Err("0/2 nodes are available: 1 node(s) didn't satisfy plugin(s) [NodeAffinity], 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.".to_string())
        );
    }

    #[test]
    fn binds_with_condition_and_event_and_backs_off() {
        let (mut api, mut rng) = two_node_cluster();
        let mut bound = pod("fixed");
        bound.spec.as_mut().unwrap().node_name = Some("controlplane".into());
        api.create(SimTime(0), &mut rng, Resource::Pods, &bound)
            .unwrap();
        api.create(SimTime(0), &mut rng, Resource::Pods, &pod("web"))
            .unwrap();
        let mut picky = pod("picky");
        picky.spec.as_mut().unwrap().node_selector =
            Some([("gpu".to_string(), "yes".to_string())].into());
        api.create(SimTime(0), &mut rng, Resource::Pods, &picky)
            .unwrap();

        let mut scheduler = Scheduler::default();
        let bindings = scheduler
            .schedule(SimTime(1000), &mut rng, &mut api)
            .unwrap();
        assert_eq!(
            bindings,
            vec![Binding {
                namespace: "default".into(),
                name: "web".into(),
                node: "node01".into()
            }]
        );
        let web: corev1::Pod = api.get(Resource::Pods, "default", "web").unwrap();
        let cond = crate::apiserver::helpers::pod_condition(&web, "PodScheduled").unwrap();
        assert_eq!(cond.status, "True");
        let fixed: corev1::Pod = api.get(Resource::Pods, "default", "fixed").unwrap();
        assert_eq!(
            fixed.spec.unwrap().node_name.as_deref(),
            Some("controlplane")
        );
        let picky: corev1::Pod = api.get(Resource::Pods, "default", "picky").unwrap();
        let cond = crate::apiserver::helpers::pod_condition(&picky, "PodScheduled").unwrap();
        assert_eq!(
            (cond.status.as_str(), cond.reason.as_deref()),
            ("False", Some("Unschedulable"))
        );

        let events: Vec<corev1::Event> = api.list(Resource::Events, None).unwrap();
        let messages: Vec<_> = events
            .iter()
            .map(|e| (e.reason.clone().unwrap(), e.message.clone().unwrap()))
            .collect();
        assert!(messages.contains(&(
            "Scheduled".into(),
            "Successfully assigned default/web to node01".into()
        )));
        assert!(messages.iter().any(|(r, _)| r == "FailedScheduling"));

        // Nothing changes: no retry within 5 minutes, so the event is not bumped.
        for s in 2..60 {
            scheduler
                .schedule(SimTime(s * 1000), &mut rng, &mut api)
                .unwrap();
        }
        let failed = |api: &ApiServer| -> i32 {
            let events: Vec<corev1::Event> = api.list(Resource::Events, None).unwrap();
            events
                .iter()
                .find(|e| e.reason.as_deref() == Some("FailedScheduling"))
                .unwrap()
                .count
                .unwrap()
        };
        assert_eq!(failed(&api), 1);
        // A node gets the label: the next due retry binds it.
        let mut n01: corev1::Node = api.get(Resource::Nodes, "", "node01").unwrap();
        n01.metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("gpu".into(), "yes".into());
        api.update(Resource::Nodes, &n01).unwrap();
        let bindings = scheduler
            .schedule(SimTime(61_000), &mut rng, &mut api)
            .unwrap();
        assert_eq!(bindings.len(), 1);
        assert_eq!(bindings[0].name, "picky");
    }
}
