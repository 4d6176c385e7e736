//! The DaemonSet controller: one pod per eligible node, pinned there by node affinity and
//! bound by the scheduler.
//!
//! Mirrors (v1.34) `pkg/controller/daemon/daemon_controller.go` (`syncDaemonSet`, `manage`,
//! `podsShouldBeOnNode`, `NodeShouldRunDaemonPod`, `predicates`, `updateDaemonSetStatus`),
//! `pkg/controller/daemon/util/daemonset_util.go` (`AddOrUpdateDaemonPodTolerations`,
//! `ReplaceDaemonSetPodNodeNameNodeAffinity`, `GetTargetNodeName`) and `update.go` (rolling
//! update with `maxUnavailable`).
//!
//! Simplifications: the `controller-revision-hash` label is `ComputeHash` of the template
//! (there are no ControllerRevision objects); a rolling update deletes outdated pods while
//! fewer than `maxUnavailable` (default 1) daemon pods are unavailable, oldest node first,
//! without `maxSurge`; failed daemon pods are deleted and recreated at once (no back-off).

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::apiserver::admission::PodStrategy;
use crate::apiserver::controllers::{adopt_orphans, pod_from_template, Ctx};
use crate::apiserver::events::{object_reference, EventType};
use crate::apiserver::helpers::{
    compute_hash, controller_of, controller_reference, find_untolerated_taint, is_controlled_by,
    node_taints, pod_is_available, pod_is_ready, pod_matches_node_selector_and_affinity, pod_phase,
    pod_tolerations, selector_matches, sim_time, target_node_name,
};
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// The events' source component.
pub const COMPONENT: &str = "daemonset-controller";
/// The label carrying the template hash of a daemon pod.
pub const REVISION_HASH_LABEL: &str = "controller-revision-hash";
/// The label carrying the DaemonSet generation a pod was made from.
pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";

/// Syncs every DaemonSet once.
pub fn sync_all(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    strategy: &PodStrategy,
) -> Result<(), ApiError> {
    // Shared, not copied: a node heartbeat wakes this controller, and most runs write nothing.
    let daemon_sets = api.list_shared::<appsv1::DaemonSet>(Resource::DaemonSets, None)?;
    let nodes = api.list_shared::<corev1::Node>(Resource::Nodes, None)?;
    let mut ctx = Ctx {
        now,
        rng,
        api,
        strategy,
    };
    for ds in &daemon_sets {
        sync_daemon_set(&mut ctx, ds, &nodes)?;
    }
    Ok(())
}

/// `AddOrUpdateDaemonPodTolerations`: daemon pods tolerate node problems.
pub fn add_daemon_tolerations(spec: &mut corev1::PodSpec) {
    let mut wanted = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if spec.host_network == Some(true) {
        wanted.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for (key, effect) in wanted {
        let toleration = corev1::Toleration {
            key: Some(key.to_string()),
            operator: Some("Exists".to_string()),
            effect: Some(effect.to_string()),
            toleration_seconds: None,
            value: None,
        };
        // AddOrUpdateTolerationInPodSpec: replace one with the same key/effect/operator/value.
        let same = |t: &corev1::Toleration| {
            t.key == toleration.key
                && t.effect == toleration.effect
                && t.operator.as_deref().unwrap_or("Equal") == "Exists"
                && t.value.as_deref().unwrap_or_default().is_empty()
        };
        match tolerations.iter_mut().find(|t| same(t)) {
            Some(existing) => *existing = toleration,
            None => tolerations.push(toleration),
        }
    }
}

/// `ReplaceDaemonSetPodNodeNameNodeAffinity`: require `metadata.name In [node]`, keeping the
/// template's other required terms' label expressions.
fn pin_to_node(spec: &mut corev1::PodSpec, node: &str) {
    let requirement = corev1::NodeSelectorRequirement {
        key: "metadata.name".to_string(),
        operator: "In".to_string(),
        values: Some(vec![node.to_string()]),
    };
    let affinity = spec.affinity.get_or_insert_with(Default::default);
    let node_affinity = affinity.node_affinity.get_or_insert_with(Default::default);
    let required = node_affinity
        .required_during_scheduling_ignored_during_execution
        .get_or_insert_with(Default::default);
    if required.node_selector_terms.is_empty() {
        required
            .node_selector_terms
            .push(corev1::NodeSelectorTerm::default());
    }
    for term in &mut required.node_selector_terms {
        term.match_fields = Some(vec![requirement.clone()]);
    }
}

/// The pod the DaemonSet would run on `node` (`NewPod` plus the node affinity).
fn daemon_pod(ds: &appsv1::DaemonSet, node: &str, hash: &str) -> corev1::Pod {
    let template = ds
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    let namespace = ds.metadata.namespace.clone().unwrap_or_default();
    let name = ds.metadata.name.clone().unwrap_or_default();
    let owner = controller_reference("apps/v1", "DaemonSet", &ds.metadata);
    let mut pod = pod_from_template(&template, &namespace, &name, owner);
    let labels = pod.metadata.labels.get_or_insert_with(BTreeMap::new);
    labels.insert(REVISION_HASH_LABEL.to_string(), hash.to_string());
    if let Some(generation) = ds.metadata.generation {
        labels.insert(
            TEMPLATE_GENERATION_LABEL.to_string(),
            generation.to_string(),
        );
    }
    let spec = pod.spec.get_or_insert_with(Default::default);
    add_daemon_tolerations(spec);
    pin_to_node(spec, node);
    pod
}

/// What [`should_run`] reads of the pod the DaemonSet would run on `node` (its node selector,
/// its affinity with the pin to the node, its tolerations), without copying the rest of the
/// template: the controller asks for every node on every pass.
fn placement_pod(ds: &appsv1::DaemonSet, node: &str) -> corev1::Pod {
    let template = ds.spec.as_ref().and_then(|s| s.template.spec.as_ref());
    let mut spec = corev1::PodSpec {
        node_selector: template.and_then(|s| s.node_selector.clone()),
        affinity: template.and_then(|s| s.affinity.clone()),
        tolerations: template.and_then(|s| s.tolerations.clone()),
        host_network: template.and_then(|s| s.host_network),
        ..Default::default()
    };
    add_daemon_tolerations(&mut spec);
    pin_to_node(&mut spec, node);
    corev1::Pod {
        spec: Some(spec),
        ..Default::default()
    }
}

/// `NodeShouldRunDaemonPod`: (should run, should continue running).
fn should_run(pod: &corev1::Pod, node: &corev1::Node) -> (bool, bool) {
    let fits = pod_matches_node_selector_and_affinity(pod, node);
    let taints = node_taints(node);
    let tolerations = pod_tolerations(pod);
    let schedule_ok =
        find_untolerated_taint(taints, tolerations, &["NoSchedule", "NoExecute"]).is_none();
    let execute_ok = find_untolerated_taint(taints, tolerations, &["NoExecute"]).is_none();
    (fits && schedule_ok, fits && execute_ok)
}

fn sync_daemon_set(
    ctx: &mut Ctx<'_>,
    ds: &appsv1::DaemonSet,
    nodes: &[Arc<corev1::Node>],
) -> Result<(), ApiError> {
    let Some(spec) = ds.spec.as_ref() else {
        return Ok(());
    };
    let namespace = ds.metadata.namespace.clone().unwrap_or_default();
    let name = ds.metadata.name.clone().unwrap_or_default();
    let involved = object_reference("DaemonSet", "apps/v1", &ds.metadata);
    let collision = ds.status.as_ref().and_then(|s| s.collision_count);
    let hash = compute_hash(&spec.template, collision);

    if ds.metadata.deletion_timestamp.is_none() {
        let pods = claim(ctx.api, ds)?;
        let mut by_node = pods_by_node(pods);
        let node_names: Vec<String> = nodes
            .iter()
            .filter_map(|n| n.metadata.name.clone())
            .collect();
        // Pods for nodes that no longer exist.
        for (node, pods) in &by_node {
            if !node_names.contains(node) {
                for pod in pods {
                    ctx.delete_pod(COMPONENT, &involved, pod)?;
                }
            }
        }
        for node in nodes {
            let node_name = node.metadata.name.clone().unwrap_or_default();
            let (run, keep) = should_run(&placement_pod(ds, &node_name), node);
            let mut existing = by_node.remove(&node_name).unwrap_or_default();
            // Failed daemon pods are killed and replaced.
            let (failed, alive): (Vec<_>, Vec<_>) =
                existing.drain(..).partition(|p| pod_phase(p) == "Failed");
            for pod in &failed {
                let message = format!(
                    "Found failed daemon pod {namespace}/{} on node {node_name}, will try to kill it",
                    pod.metadata.name.as_deref().unwrap_or_default()
                );
                ctx.event(
                    COMPONENT,
                    &involved,
                    EventType::Warning,
                    "FailedDaemonPod",
                    &message,
                );
                ctx.delete_pod(COMPONENT, &involved, pod)?;
            }
            let mut alive: Vec<Arc<corev1::Pod>> = alive
                .into_iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .collect();
            if run && alive.is_empty() && failed.is_empty() {
                let candidate = daemon_pod(ds, &node_name, &hash);
                ctx.create_pod(COMPONENT, &involved, &candidate)?;
            } else if !keep {
                for pod in &alive {
                    ctx.delete_pod(COMPONENT, &involved, pod)?;
                }
            } else if alive.len() > 1 {
                alive.sort_by_key(|p| p.metadata.creation_timestamp.as_ref().map(sim_time));
                for pod in &alive[1..] {
                    ctx.delete_pod(COMPONENT, &involved, pod)?;
                }
            }
        }
        rolling_update(ctx, ds, nodes, &hash, &involved)?;
    }
    update_status(ctx, ds, nodes, &hash, &namespace, &name)
}

fn claim(api: &mut ApiServer, ds: &appsv1::DaemonSet) -> Result<Vec<Arc<corev1::Pod>>, ApiError> {
    let namespace = ds.metadata.namespace.clone().unwrap_or_default();
    let uid = ds.metadata.uid.as_deref();
    let adopting = ds.metadata.deletion_timestamp.is_none();
    let selector = ds.spec.as_ref().map(|s| &s.selector);
    // The pods it owns are shared with the store (a pass claims them three times); only the
    // orphans it may adopt (those its selector matches, which are all that adopting looks at)
    // are copied out of it.
    let pods = api.list_shared::<corev1::Pod>(Resource::Pods, Some(&namespace))?;
    let (mut owned, mut others) = (Vec::new(), Vec::new());
    for pod in pods {
        if is_controlled_by(&pod.metadata, uid) {
            owned.push(pod);
        } else if adopting
            && controller_of(&pod.metadata).is_none()
            && pod.metadata.deletion_timestamp.is_none()
            && selector_matches(selector, pod.metadata.labels.as_ref())
        {
            others.push(corev1::Pod::clone(&pod));
        }
    }
    if adopting {
        let owner = controller_reference("apps/v1", "DaemonSet", &ds.metadata);
        let adopted = adopt_orphans(
            api,
            Resource::Pods,
            others,
            &owner,
            |p: &corev1::Pod| selector_matches(selector, p.metadata.labels.as_ref()),
            |p: &mut corev1::Pod| &mut p.metadata,
        )?;
        owned.extend(adopted.into_iter().map(Arc::new));
    }
    Ok(owned)
}

fn pods_by_node(pods: Vec<Arc<corev1::Pod>>) -> BTreeMap<String, Vec<Arc<corev1::Pod>>> {
    let mut by_node: BTreeMap<String, Vec<Arc<corev1::Pod>>> = BTreeMap::new();
    for pod in pods {
        if let Some(node) = target_node_name(&pod) {
            by_node.entry(node).or_default().push(pod);
        }
    }
    by_node
}

fn pod_hash(pod: &corev1::Pod) -> Option<&str> {
    pod.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_HASH_LABEL))
        .map(String::as_str)
}

/// `rollingUpdate` (maxUnavailable only).
fn rolling_update(
    ctx: &mut Ctx<'_>,
    ds: &appsv1::DaemonSet,
    nodes: &[Arc<corev1::Node>],
    hash: &str,
    involved: &corev1::ObjectReference,
) -> Result<(), ApiError> {
    let spec = ds.spec.clone().unwrap_or_default();
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    if strategy.type_.as_deref() == Some("OnDelete") {
        return Ok(());
    }
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let by_node = pods_by_node(claim(ctx.api, ds)?);
    let mut desired = 0;
    let mut unavailable = 0;
    let mut outdated: Vec<&corev1::Pod> = Vec::new();
    for node in nodes {
        let node_name = node.metadata.name.clone().unwrap_or_default();
        let (run, _) = should_run(&placement_pod(ds, &node_name), node);
        if !run {
            continue;
        }
        desired += 1;
        let pods: Vec<&corev1::Pod> = by_node
            .get(&node_name)
            .into_iter()
            .flatten()
            .map(|p| &**p)
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .collect();
        if !pods.iter().any(|p| pod_is_available(p, min_ready, ctx.now)) {
            unavailable += 1;
        }
        outdated.extend(pods.into_iter().filter(|p| pod_hash(p) != Some(hash)));
    }
    let max_unavailable = match strategy
        .rolling_update
        .as_ref()
        .and_then(|r| r.max_unavailable.as_ref())
    {
        Some(IntOrString::Int(n)) => *n,
        Some(IntOrString::String(s)) => {
            let percent: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            ((percent.clamp(0, 100) * desired + 99) / 100) as i32
        }
        None => 1,
    }
    .max(1);
    // Outdated pods that are not available go first and cost nothing.
    outdated.sort_by_key(|p| {
        (
            pod_is_available(p, min_ready, ctx.now),
            p.metadata.creation_timestamp.as_ref().map(sim_time),
        )
    });
    let mut budget = i64::from(max_unavailable) - unavailable;
    for pod in &outdated {
        let available = pod_is_available(pod, min_ready, ctx.now);
        if available {
            if budget <= 0 {
                break;
            }
            budget -= 1;
        }
        ctx.delete_pod(COMPONENT, involved, pod)?;
    }
    Ok(())
}

fn update_status(
    ctx: &mut Ctx<'_>,
    ds: &appsv1::DaemonSet,
    nodes: &[Arc<corev1::Node>],
    hash: &str,
    namespace: &str,
    name: &str,
) -> Result<(), ApiError> {
    let min_ready = ds
        .spec
        .as_ref()
        .and_then(|s| s.min_ready_seconds)
        .unwrap_or(0);
    let by_node = pods_by_node(claim(ctx.api, ds)?);
    let mut desired = 0;
    let mut current = 0;
    let mut misscheduled = 0;
    let mut ready = 0;
    let mut available = 0;
    let mut updated = 0;
    for node in nodes {
        let node_name = node.metadata.name.clone().unwrap_or_default();
        let (run, _) = should_run(&placement_pod(ds, &node_name), node);
        let pods: Vec<&corev1::Pod> = by_node
            .get(&node_name)
            .into_iter()
            .flatten()
            .map(|p| &**p)
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .collect();
        let scheduled = !pods.is_empty();
        if run {
            desired += 1;
            if scheduled {
                current += 1;
                if pods.iter().any(|p| pod_is_ready(p)) {
                    ready += 1;
                }
                if pods.iter().any(|p| pod_is_available(p, min_ready, ctx.now)) {
                    available += 1;
                }
                if pods.iter().any(|p| pod_hash(p) == Some(hash)) {
                    updated += 1;
                }
            }
        } else if scheduled {
            misscheduled += 1;
        }
    }
    let old = ds.status.clone().unwrap_or_default();
    let status = appsv1::DaemonSetStatus {
        desired_number_scheduled: desired,
        current_number_scheduled: current,
        number_misscheduled: misscheduled,
        number_ready: ready,
        number_available: crate::apiserver::helpers::non_zero(available),
        number_unavailable: crate::apiserver::helpers::non_zero(desired - available),
        updated_number_scheduled: crate::apiserver::helpers::non_zero(updated),
        observed_generation: ds.metadata.generation,
        collision_count: old.collision_count,
        conditions: old.conditions.clone(),
    };
    if status != old {
        let mut latest: appsv1::DaemonSet = ctx.api.get(Resource::DaemonSets, namespace, name)?;
        latest.status = Some(status);
        ctx.api.update(Resource::DaemonSets, &latest)?;
    }
    Ok(())
}
