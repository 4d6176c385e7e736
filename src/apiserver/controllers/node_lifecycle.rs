//! The node lifecycle controller: notices kubelets that stopped reporting, and taints nodes by
//! their conditions.
//!
//! Mirrors (v1.34) `pkg/controller/nodelifecycle/node_lifecycle_controller.go`
//! (`monitorNodeHealth`, `tryUpdateNodeHealth`: conditions set to Unknown with
//! `NodeStatusUnknown` / "Kubelet stopped posting node status." after
//! `--node-monitor-grace-period` (50 s since v1.32) without a new heartbeat, `NodeStatusNeverUpdated`
//! for nodes that never posted, `--node-startup-grace-period` 60 s; `doNoScheduleTaintingPass`;
//! `doNoExecuteTaintingPass`; the "all nodes not ready" master disruption mode) and
//! `pkg/controller/util/node/controller_utils.go` (`MarkPodsNotReady` with the pods'
//! `NodeNotReady` "Node is not ready" events; `RecordNodeStatusChange`).
//!
//! A node is healthy while its kubelet either posts a new Ready heartbeat or renews its Lease
//! in `kube-node-lease` (`tryUpdateNodeHealth`: "Always update the probe time if node lease is
//! renewed"); the kubelet renews the Lease every 10 s and posts status only every 5 min.
//!
//! Simplifications: the controller checks every `--node-monitor-period` (5 s) but taints at once
//! (no per-zone rate limiter); all nodes form one zone.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::coordination::v1 as coordv1;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::admission::PodStrategy;
use crate::apiserver::controllers::Ctx;
use crate::apiserver::events::{object_reference, pod_reference, EventType};
use crate::apiserver::helpers::{set_pod_condition, sim_time, time};
use crate::apiserver::leases::NODE_LEASE_NAMESPACE;
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimDuration, SimTime};

/// The events' source component.
pub const COMPONENT: &str = "node-controller";
/// `--node-monitor-grace-period` (v1.32 raised the default from 40 s to 50 s).
pub const NODE_MONITOR_GRACE_PERIOD: SimDuration = SimDuration::from_secs(50);
/// `--node-startup-grace-period`, for nodes whose kubelet never posted status.
pub const NODE_STARTUP_GRACE_PERIOD: SimDuration = SimDuration::from_secs(60);
/// `--node-monitor-period`.
pub const NODE_MONITOR_PERIOD: SimDuration = SimDuration::from_secs(5);
/// The NoSchedule taint for a NotReady node.
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
/// The taint for a node whose kubelet went silent.
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// The taint for a cordoned node.
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// Condition-driven NoSchedule taints (`nodeConditionToTaintKeyStatusMap`).
const CONDITION_TAINTS: [(&str, &str, &str); 6] = [
    ("Ready", "False", TAINT_NOT_READY),
    ("Ready", "Unknown", TAINT_UNREACHABLE),
    (
        "MemoryPressure",
        "True",
        "node.kubernetes.io/memory-pressure",
    ),
    ("DiskPressure", "True", "node.kubernetes.io/disk-pressure"),
    (
        "NetworkUnavailable",
        "True",
        "node.kubernetes.io/network-unavailable",
    ),
    ("PIDPressure", "True", "node.kubernetes.io/pid-pressure"),
];

/// The controller's memory: when it last saw each node's heartbeat change.
#[derive(Debug, Clone, Default)]
pub struct NodeLifecycleController {
    health: BTreeMap<String, NodeHealth>,
    last_pass: Option<SimTime>,
}

#[derive(Debug, Clone)]
struct NodeHealth {
    probe: SimTime,
    heartbeat: Option<SimTime>,
    /// The renew time of the node's Lease when last seen.
    lease_renewed: Option<i64>,
}

fn condition<'a>(node: &'a corev1::Node, type_: &str) -> Option<&'a corev1::NodeCondition> {
    node.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

fn ready_status(node: &corev1::Node) -> Option<&str> {
    condition(node, "Ready").map(|c| c.status.as_str())
}

impl NodeLifecycleController {
    /// Whether a [`NodeLifecycleController::sync`] at `now` would make a monitoring pass.
    pub fn due(&self, now: SimTime) -> bool {
        self.last_pass
            .is_none_or(|last| now >= last + NODE_MONITOR_PERIOD)
    }

    /// One monitoring pass, if `NODE_MONITOR_PERIOD` has passed since the last one.
    pub fn sync(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
    ) -> Result<(), ApiError> {
        if !self.due(now) {
            return Ok(());
        }
        self.last_pass = Some(now);
        let strategy = PodStrategy::PERMISSIVE;
        let mut ctx = Ctx {
            now,
            rng,
            api,
            strategy: &strategy,
        };
        // Shared with the store: a node is copied only when this pass changes it.
        let nodes = ctx.api.list_shared::<corev1::Node>(Resource::Nodes, None)?;
        self.health.retain(|name, _| {
            nodes
                .iter()
                .any(|n| n.metadata.name.as_deref() == Some(name))
        });
        let mut current = Vec::with_capacity(nodes.len());
        for node in nodes {
            current.push(self.monitor(&mut ctx, node)?);
        }
        let all_not_ready =
            !current.is_empty() && current.iter().all(|n| ready_status(n) != Some("True"));
        for node in &current {
            taint_node(&mut ctx, node, all_not_ready)?;
        }
        Ok(())
    }

    /// `tryUpdateNodeHealth` plus the Ready→not-Ready reaction; returns the node as stored.
    fn monitor(
        &mut self,
        ctx: &mut Ctx<'_>,
        stored: Arc<corev1::Node>,
    ) -> Result<Arc<corev1::Node>, ApiError> {
        let name = stored.metadata.name.as_deref().unwrap_or_default();
        let created = stored
            .metadata
            .creation_timestamp
            .as_ref()
            .map(sim_time)
            .unwrap_or(SimTime::ZERO);
        let ready = condition(&stored, "Ready");
        let was_ready = ready.is_some_and(|c| c.status == "True");
        let heartbeat = ready
            .and_then(|c| c.last_heartbeat_time.as_ref())
            .map(sim_time);
        let now = ctx.now;
        let health = self.health.entry(name.to_string()).or_insert(NodeHealth {
            probe: if ready.is_none() { created } else { now },
            heartbeat,
            lease_renewed: None,
        });
        if health.heartbeat != heartbeat {
            health.heartbeat = heartbeat;
            health.probe = now;
        }
        let renewed = ctx
            .api
            .get_shared::<coordv1::Lease>(Resource::Leases, NODE_LEASE_NAMESPACE, name)
            .ok()
            .and_then(|lease| Some(lease.spec.as_ref()?.renew_time.as_ref()?.0.as_microsecond()));
        if renewed.is_some()
            && health
                .lease_renewed
                .is_none_or(|saved| Some(saved) < renewed)
        {
            health.lease_renewed = renewed;
            health.probe = now;
        }
        let grace = if ready.is_none() {
            NODE_STARTUP_GRACE_PERIOD
        } else {
            NODE_MONITOR_GRACE_PERIOD
        };
        if now <= health.probe + grace {
            return Ok(stored);
        }

        let mut node = corev1::Node::clone(&stored);
        let status = node.status.get_or_insert_with(Default::default);
        let conditions = status.conditions.get_or_insert_with(Vec::new);
        let mut changed = false;
        for type_ in ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] {
            match conditions.iter_mut().find(|c| c.type_ == type_) {
                None => {
                    conditions.push(corev1::NodeCondition {
                        type_: type_.to_string(),
                        status: "Unknown".to_string(),
                        reason: Some("NodeStatusNeverUpdated".to_string()),
                        message: Some("Kubelet never posted node status.".to_string()),
                        last_heartbeat_time: node.metadata.creation_timestamp.clone(),
                        last_transition_time: Some(time(now)),
                    });
                    changed = true;
                }
                Some(c) if c.status != "Unknown" => {
                    c.status = "Unknown".to_string();
                    c.reason = Some("NodeStatusUnknown".to_string());
                    c.message = Some("Kubelet stopped posting node status.".to_string());
                    c.last_transition_time = Some(time(now));
                    changed = true;
                }
                Some(_) => (),
            }
        }
        if !changed {
            return Ok(stored);
        }
        let node = ctx.api.update(Resource::Nodes, &node)?;
        if was_ready {
            let involved = object_reference("Node", "v1", &node.metadata);
            let message = format!("Node {name} status is now: NodeNotReady");
            ctx.event(
                COMPONENT,
                &involved,
                EventType::Normal,
                "NodeNotReady",
                &message,
            );
            mark_pods_not_ready(ctx, name)?;
        }
        Ok(Arc::new(node))
    }
}

/// `MarkPodsNotReady`: the Ready condition of every pod on the node becomes False.
fn mark_pods_not_ready(ctx: &mut Ctx<'_>, node: &str) -> Result<(), ApiError> {
    // Shared with the store: only a pod on the node with a Ready condition is copied.
    let pods = ctx.api.list_shared::<corev1::Pod>(Resource::Pods, None)?;
    for stored in pods {
        if stored.spec.as_ref().and_then(|s| s.node_name.as_deref()) != Some(node) {
            continue;
        }
        let now = ctx.now;
        let Some(ready) = stored
            .status
            .iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .find(|c| c.type_ == "Ready")
        else {
            continue;
        };
        let not_ready = corev1::PodCondition {
            status: "False".to_string(),
            ..ready.clone()
        };
        let mut pod = corev1::Pod::clone(&stored);
        let Some(status) = pod.status.as_mut() else {
            continue;
        };
        if set_pod_condition(status, not_ready, now) {
            ctx.api.update(Resource::Pods, &pod)?;
            let involved = pod_reference(&pod);
            ctx.event(
                COMPONENT,
                &involved,
                EventType::Warning,
                "NodeNotReady",
                "Node is not ready",
            );
        }
    }
    Ok(())
}

/// `doNoScheduleTaintingPass` and `doNoExecuteTaintingPass` for one node.
fn taint_node(ctx: &mut Ctx<'_>, node: &corev1::Node, all_not_ready: bool) -> Result<(), ApiError> {
    let mut no_schedule: Vec<&str> = CONDITION_TAINTS
        .iter()
        .filter(|(type_, status, _)| condition(node, type_).is_some_and(|c| c.status == *status))
        .map(|(_, _, key)| *key)
        .collect();
    if node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
        no_schedule.push(TAINT_UNSCHEDULABLE);
    }
    let no_execute: Option<&str> = match ready_status(node) {
        _ if all_not_ready => None,
        Some("False") => Some(TAINT_NOT_READY),
        Some("Unknown") => Some(TAINT_UNREACHABLE),
        _ => None,
    };
    let controlled_no_schedule = |key: &str| {
        key == TAINT_UNSCHEDULABLE || CONDITION_TAINTS.iter().any(|(_, _, k)| *k == key)
    };
    let controlled_no_execute = |key: &str| key == TAINT_NOT_READY || key == TAINT_UNREACHABLE;

    let now = ctx.now;
    let old: &[corev1::Taint] = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or_default();
    let mut taints: Vec<corev1::Taint> = old
        .iter()
        .filter(|t| match t.effect.as_str() {
            "NoSchedule" => {
                !controlled_no_schedule(&t.key) || no_schedule.contains(&t.key.as_str())
            }
            "NoExecute" => !controlled_no_execute(&t.key) || no_execute == Some(t.key.as_str()),
            _ => true,
        })
        .cloned()
        .collect();
    let add = |key: &str, effect: &str, taints: &mut Vec<corev1::Taint>| {
        if !taints.iter().any(|t| t.key == key && t.effect == effect) {
            taints.push(corev1::Taint {
                key: key.to_string(),
                effect: effect.to_string(),
                time_added: Some(time(now)),
                value: None,
            });
        }
    };
    for key in &no_schedule {
        add(key, "NoSchedule", &mut taints);
    }
    if let Some(key) = no_execute {
        add(key, "NoExecute", &mut taints);
    }
    if taints == old {
        return Ok(());
    }
    let mut node = corev1::Node::clone(node);
    node.spec.get_or_insert_with(Default::default).taints = if taints.is_empty() {
        None
    } else {
        Some(taints)
    };
    ctx.api.update(Resource::Nodes, &node)?;
    Ok(())
}
