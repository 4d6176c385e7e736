//! The ReplicaSet controller: keeps `spec.replicas` active pods and reports their state.
//!
//! Mirrors (v1.34) `pkg/controller/replicaset/replica_set.go` (`syncReplicaSet`,
//! `manageReplicas`, `getPodsToDelete`) and `replica_set_utils.go` (`calculateStatus`), plus
//! `pkg/controller/controller_utils.go` (`ActivePodsWithRanks` ordering).
//!
//! Simplifications: no slow-start batches (up to `BurstReplicas`, 500, pods are created in one
//! sync); deletion ranking uses unassigned < assigned, Pending < Unknown <
//! Running, not ready < ready, then newest first (no co-location or restart-count ranks);
//! status is computed after this step's creations and deletions (upstream reports them on the
//! next sync, milliseconds later); no `ReplicaFailure` condition.

use std::cmp::Reverse;
use std::sync::Arc;

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::admission::PodStrategy;
use crate::apiserver::controllers::{adopt_orphans, pod_from_template, Ctx};
use crate::apiserver::events::object_reference;
use crate::apiserver::helpers::{
    controller_of, controller_reference, is_controlled_by, non_zero, pod_is_active,
    pod_is_available, pod_is_ready, pod_phase, selector_matches, sim_time,
};
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// The events' source component.
pub const COMPONENT: &str = "replicaset-controller";

/// At most this many pods are created or deleted per sync (`BurstReplicas`).
pub const BURST_REPLICAS: usize = 500;

/// Syncs every ReplicaSet once.
pub fn sync_all(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    strategy: &PodStrategy,
) -> Result<(), ApiError> {
    let replica_sets: Vec<appsv1::ReplicaSet> = api.list(Resource::ReplicaSets, None)?;
    let mut ctx = Ctx {
        now,
        rng,
        api,
        strategy,
    };
    for rs in replica_sets {
        sync_replica_set(&mut ctx, &rs)?;
    }
    Ok(())
}

/// The pods `rs` controls (adopting matching orphans), all of them, active or not.
pub(crate) fn claim_pods(
    api: &mut ApiServer,
    rs: &appsv1::ReplicaSet,
) -> Result<Vec<Arc<corev1::Pod>>, ApiError> {
    let namespace = rs.metadata.namespace.clone().unwrap_or_default();
    let uid = rs.metadata.uid.as_deref();
    let selector = rs.spec.as_ref().map(|s| &s.selector);
    // Only the pods it owns and the orphans it may adopt are copied out of the store.
    let pods = api.list_shared::<corev1::Pod>(Resource::Pods, Some(&namespace))?;
    let (mut owned, mut others) = (Vec::new(), Vec::new());
    for pod in pods {
        if is_controlled_by(&pod.metadata, uid) {
            // Shared with the store: the pods it owns are only read.
            owned.push(pod);
        } else if controller_of(&pod.metadata).is_none()
            && pod.metadata.deletion_timestamp.is_none()
        {
            others.push(corev1::Pod::clone(&pod));
        }
    }
    if rs.metadata.deletion_timestamp.is_none() {
        let owner = controller_reference("apps/v1", "ReplicaSet", &rs.metadata);
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

fn sync_replica_set(ctx: &mut Ctx<'_>, rs: &appsv1::ReplicaSet) -> Result<(), ApiError> {
    let Some(spec) = rs.spec.as_ref() else {
        return Ok(());
    };
    let namespace = rs.metadata.namespace.clone().unwrap_or_default();
    let name = rs.metadata.name.clone().unwrap_or_default();
    let involved = object_reference("ReplicaSet", "apps/v1", &rs.metadata);
    let wanted = spec.replicas.unwrap_or(1).max(0) as usize;

    if rs.metadata.deletion_timestamp.is_none() {
        let pods = claim_pods(ctx.api, rs)?;
        let mut active: Vec<Arc<corev1::Pod>> =
            pods.into_iter().filter(|p| pod_is_active(p)).collect();
        if active.len() < wanted {
            let template = spec.template.clone().unwrap_or_default();
            let owner = controller_reference("apps/v1", "ReplicaSet", &rs.metadata);
            let missing = (wanted - active.len()).min(BURST_REPLICAS);
            for _ in 0..missing {
                let pod = pod_from_template(&template, &namespace, &name, owner.clone());
                if ctx.create_pod(COMPONENT, &involved, &pod)?.is_none() {
                    break;
                }
            }
        } else if active.len() > wanted {
            active.sort_by_key(|p| deletion_rank(p));
            let surplus = (active.len() - wanted).min(BURST_REPLICAS);
            for pod in &active[..surplus] {
                ctx.delete_pod(COMPONENT, &involved, pod)?;
            }
        }
    }

    let pods = claim_pods(ctx.api, rs)?;
    let active: Vec<&corev1::Pod> = pods
        .iter()
        .map(|p| &**p)
        .filter(|p| pod_is_active(p))
        .collect();
    let template_labels = spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    let fully_labeled = active
        .iter()
        .filter(|p| {
            let labels = p.metadata.labels.clone().unwrap_or_default();
            template_labels
                .iter()
                .all(|(k, v)| labels.get(k) == Some(v))
        })
        .count();
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let ready = active.iter().filter(|p| pod_is_ready(p)).count();
    let available = active
        .iter()
        .filter(|p| pod_is_available(p, min_ready, ctx.now))
        .count();
    let old = rs.status.clone().unwrap_or_default();
    let status = appsv1::ReplicaSetStatus {
        replicas: active.len() as i32,
        fully_labeled_replicas: non_zero(fully_labeled as i32),
        ready_replicas: non_zero(ready as i32),
        available_replicas: non_zero(available as i32),
        observed_generation: rs.metadata.generation,
        conditions: old.conditions.clone(),
        terminating_replicas: old.terminating_replicas,
    };
    if status != old {
        // Re-read: adoption may have changed nothing on the RS, but keep the latest object.
        let mut latest: appsv1::ReplicaSet =
            ctx.api.get(Resource::ReplicaSets, &namespace, &name)?;
        latest.status = Some(status);
        ctx.api.update(Resource::ReplicaSets, &latest)?;
    }
    Ok(())
}

/// Lower sorts first = deleted first: unassigned, then by phase, then not ready, then newest.
fn deletion_rank(pod: &corev1::Pod) -> (bool, u8, bool, Reverse<SimTime>, Reverse<String>) {
    let assigned = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty());
    let phase = match pod_phase(pod) {
        "Pending" | "" => 0,
        "Unknown" => 1,
        _ => 2,
    };
    let created = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map(sim_time)
        .unwrap_or(SimTime::ZERO);
    (
        assigned,
        phase,
        pod_is_ready(pod),
        Reverse(created),
        Reverse(pod.metadata.name.clone().unwrap_or_default()),
    )
}
