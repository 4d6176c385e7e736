//! The Deployment controller: one ReplicaSet per pod template, rolled over with RollingUpdate
//! (or Recreate), with the status and conditions `kubectl rollout status` reads.
//!
//! Mirrors (v1.34) `pkg/controller/deployment/deployment_controller.go` (`syncDeployment`),
//! `sync.go` (`getNewReplicaSet`: name `<deployment>-<pod-template-hash>`, revision
//! annotations, `Created new replica set`; `scaleReplicaSet` and its `ScalingReplicaSet`
//! event; `calculateStatus`; `cleanupDeployment`), `rolling.go` (`reconcileNewReplicaSet`,
//! `reconcileOldReplicaSets`, `cleanupUnhealthyReplicas`,
//! `scaleDownOldReplicaSetsForRollingUpdate`), `recreate.go`, `progress.go`
//! (`syncRolloutStatus`) and `util/deployment_util.go` (`NewRSNewReplicas`,
//! `ResolveFenceposts`, `SetDeploymentCondition`, `DeploymentComplete`,
//! `DeploymentProgressing`, `DeploymentTimedOut`, `EqualIgnoreHash`).
//!
//! Simplifications: no proportional scaling of several active ReplicaSets when `replicas`
//! changes mid-rollout (the rolling logic converges instead), no rollback annotations, no
//! pause/resume conditions (a paused Deployment only gets its status refreshed), and the
//! template hash is FNV-32a over JSON rather than over Go's object dump, so hash values differ
//! from a real cluster's while looking the same.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::apiserver::admission::PodStrategy;
use crate::apiserver::controllers::{adopt_orphans, Ctx};
use crate::apiserver::deletion::{delete_object, DeleteOptions};
use crate::apiserver::events::{object_reference, EventType};
use crate::apiserver::helpers::{
    compute_hash, controller_reference, is_controlled_by, non_zero, pod_is_terminal,
    saturating_sum, seconds, selector_matches, sim_time, time,
};
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// The events' source component.
pub const COMPONENT: &str = "deployment-controller";
/// The label (and selector term) tying a ReplicaSet and its pods to one template.
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";
/// The rollout revision annotation.
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// The desired-replicas annotation on ReplicaSets.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// The max-replicas annotation on ReplicaSets.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// The revisions a ReplicaSet held before a rollback made it new again.
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// Annotations that belong to one side only: never copied from a Deployment to its
/// ReplicaSets (`annotationsToSkip`, which `kubectl rollout undo` also keeps off the
/// Deployment).
pub const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    "deprecated.deployment.rollback.to",
];
/// `maxRevHistoryLengthInChars`: how long the revision-history annotation may grow.
const MAX_REV_HISTORY_LENGTH_IN_CHARS: usize = 2000;
const DEFAULT_PROGRESS_DEADLINE_SECONDS: i32 = 600;
const DEFAULT_REVISION_HISTORY_LIMIT: i32 = 10;

/// Syncs every Deployment once.
pub fn sync_all(now: SimTime, rng: &mut Rng, api: &mut ApiServer) -> Result<(), ApiError> {
    let deployments: Vec<appsv1::Deployment> = api.list(Resource::Deployments, None)?;
    let strategy = PodStrategy::PERMISSIVE;
    let mut ctx = Ctx {
        now,
        rng,
        api,
        strategy: &strategy,
    };
    for d in deployments {
        sync_deployment(&mut ctx, d)?;
    }
    Ok(())
}

/// What one sync knows about a Deployment while it works.
struct Sync {
    d: appsv1::Deployment,
    old_status: appsv1::DeploymentStatus,
    conditions: Vec<appsv1::DeploymentCondition>,
    involved: corev1::ObjectReference,
    namespace: String,
    name: String,
    replicas: i32,
}

fn sync_deployment(ctx: &mut Ctx<'_>, d: appsv1::Deployment) -> Result<(), ApiError> {
    if d.metadata.deletion_timestamp.is_some() || d.spec.is_none() {
        return Ok(());
    }
    let old_status = d.status.clone().unwrap_or_default();
    let mut sync = Sync {
        involved: object_reference("Deployment", "apps/v1", &d.metadata),
        namespace: d.metadata.namespace.clone().unwrap_or_default(),
        name: d.metadata.name.clone().unwrap_or_default(),
        replicas: d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1).max(0),
        conditions: old_status.conditions.clone().unwrap_or_default(),
        old_status,
        d,
    };
    let owned = claim_replica_sets(ctx.api, &sync.d)?;
    // Read in place: the spec (with its pod template) is not copied for two flags.
    let spec = sync.d.spec.as_ref();
    if spec.and_then(|s| s.paused) == Some(true) {
        let (new_rs, old_rss) = split_new(&sync.d, owned);
        return finish(ctx, &mut sync, new_rs.as_ref(), &old_rss);
    }
    let recreate = spec
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.type_.as_deref())
        == Some("Recreate");
    if recreate {
        rollout_recreate(ctx, &mut sync, owned)
    } else {
        rollout_rolling(ctx, &mut sync, owned)
    }
}

/// ReplicaSets the Deployment controls, adopting matching orphans.
fn claim_replica_sets(
    api: &mut ApiServer,
    d: &appsv1::Deployment,
) -> Result<Vec<appsv1::ReplicaSet>, ApiError> {
    let namespace = d.metadata.namespace.clone().unwrap_or_default();
    let uid = d.metadata.uid.as_deref();
    let all: Vec<appsv1::ReplicaSet> = api.list(Resource::ReplicaSets, Some(&namespace))?;
    let (mut owned, others): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|rs| is_controlled_by(&rs.metadata, uid));
    let selector = d.spec.as_ref().map(|s| &s.selector);
    let owner = controller_reference("apps/v1", "Deployment", &d.metadata);
    let adopted = adopt_orphans(
        api,
        Resource::ReplicaSets,
        others,
        &owner,
        |rs: &appsv1::ReplicaSet| selector_matches(selector, rs.metadata.labels.as_ref()),
        |rs: &mut appsv1::ReplicaSet| &mut rs.metadata,
    )?;
    owned.extend(adopted);
    owned.retain(|rs| rs.metadata.deletion_timestamp.is_none());
    Ok(owned)
}

/// `EqualIgnoreHash`: templates equal once the `pod-template-hash` label is dropped.
fn equal_ignore_hash(a: &corev1::PodTemplateSpec, b: &corev1::PodTemplateSpec) -> bool {
    let strip_meta = |t: &corev1::PodTemplateSpec| {
        let mut meta = t.metadata.clone()?;
        if let Some(labels) = meta.labels.as_mut() {
            labels.remove(POD_TEMPLATE_HASH);
            if labels.is_empty() {
                meta.labels = None;
            }
        }
        match meta == metav1::ObjectMeta::default() {
            true => None,
            false => Some(meta),
        }
    };
    // Equal values serialize to equal JSON, so the common case (the template a ReplicaSet was
    // made from) is settled without serializing either spec.
    if a.spec == b.spec && strip_meta(a) == strip_meta(b) {
        return true;
    }
    let strip = |t: &corev1::PodTemplateSpec| {
        let template = corev1::PodTemplateSpec {
            metadata: strip_meta(t),
            spec: t.spec.clone(),
        };
        serde_json::to_value(template).unwrap_or_default()
    };
    strip(a) == strip(b)
}

fn rs_template(rs: &appsv1::ReplicaSet) -> Option<&corev1::PodTemplateSpec> {
    rs.spec.as_ref().and_then(|s| s.template.as_ref())
}

fn rs_replicas(rs: &appsv1::ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

fn rs_available(rs: &appsv1::ReplicaSet) -> i32 {
    rs.status
        .as_ref()
        .and_then(|s| s.available_replicas)
        .unwrap_or(0)
}

fn created_at(rs: &appsv1::ReplicaSet) -> (SimTime, String) {
    (
        rs.metadata
            .creation_timestamp
            .as_ref()
            .map(sim_time)
            .unwrap_or(SimTime::ZERO),
        rs.metadata.name.clone().unwrap_or_default(),
    )
}

fn revision(rs: &appsv1::ReplicaSet) -> i64 {
    rs.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION_ANNOTATION))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// `SetNewReplicaSetAnnotations` for a ReplicaSet that already exists: the Deployment's
/// annotations are copied over (`copyDeploymentAnnotationsToReplicaSet`, which adds and
/// overwrites but never removes), and a ReplicaSet made new again by a rollback takes the new
/// revision and keeps its old one in the revision history. Returns whether anything changed.
fn set_existing_annotations(
    d: &appsv1::Deployment,
    rs: &mut appsv1::ReplicaSet,
    new_revision: &str,
) -> bool {
    let old_revision = rs
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION_ANNOTATION))
        .cloned();
    let annotations = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let mut changed = false;
    for (key, value) in d.metadata.annotations.iter().flatten() {
        if ANNOTATIONS_TO_SKIP.contains(&key.as_str()) || annotations.get(key) == Some(value) {
            continue;
        }
        annotations.insert(key.clone(), value.clone());
        changed = true;
    }
    let old_number: i64 = old_revision
        .as_deref()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    let new_number: i64 = new_revision.parse().unwrap_or(0);
    if old_number >= new_number {
        return changed;
    }
    annotations.insert(REVISION_ANNOTATION.to_string(), new_revision.to_string());
    if let Some(old) = old_revision {
        let history = annotations
            .get(REVISION_HISTORY_ANNOTATION)
            .cloned()
            .unwrap_or_default();
        if history.is_empty() {
            annotations.insert(REVISION_HISTORY_ANNOTATION.to_string(), old);
        } else {
            // Drop the oldest entries until the appended list fits the limit.
            let mut kept: Vec<&str> = history.split(',').collect();
            let mut total = history.len() + old.len() + 1;
            while total > MAX_REV_HISTORY_LENGTH_IN_CHARS && !kept.is_empty() {
                total -= kept[0].len() + 1;
                kept.remove(0);
            }
            if total <= MAX_REV_HISTORY_LENGTH_IN_CHARS {
                kept.push(&old);
                let joined = kept.join(",");
                annotations.insert(REVISION_HISTORY_ANNOTATION.to_string(), joined);
            }
        }
    }
    true
}

/// The ReplicaSet whose template matches the Deployment's (the oldest if several), and the rest.
fn split_new(
    d: &appsv1::Deployment,
    mut owned: Vec<appsv1::ReplicaSet>,
) -> (Option<appsv1::ReplicaSet>, Vec<appsv1::ReplicaSet>) {
    owned.sort_by_key(created_at);
    let empty = corev1::PodTemplateSpec::default();
    let template = d.spec.as_ref().map_or(&empty, |s| &s.template);
    let position = owned
        .iter()
        .position(|rs| equal_ignore_hash(rs_template(rs).unwrap_or(&empty), template));
    match position {
        Some(i) => {
            let new = owned.remove(i);
            (Some(new), owned)
        }
        None => (None, owned),
    }
}

/// `GetScaledValueFromIntOrPercent`.
fn scaled_value(
    value: Option<&IntOrString>,
    total: i32,
    round_up: bool,
    default_percent: i32,
) -> i32 {
    let percent = match value {
        Some(IntOrString::Int(n)) => return *n,
        Some(IntOrString::String(s)) => s
            .strip_suffix('%')
            .and_then(|p| p.parse::<i32>().ok())
            .unwrap_or(default_percent),
        None => default_percent,
    };
    let product = i64::from(percent) * i64::from(total);
    let value = if round_up {
        (product + 99) / 100
    } else {
        product / 100
    };
    value as i32
}

/// `ResolveFenceposts`: (maxSurge, maxUnavailable), never both zero.
fn fenceposts(d: &appsv1::Deployment, replicas: i32) -> (i32, i32) {
    let rolling = d
        .spec
        .as_ref()
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.rolling_update.as_ref());
    let surge = scaled_value(
        rolling.and_then(|r| r.max_surge.as_ref()),
        replicas,
        true,
        25,
    );
    let mut unavailable = scaled_value(
        rolling.and_then(|r| r.max_unavailable.as_ref()),
        replicas,
        false,
        25,
    );
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable)
}

fn is_recreate(d: &appsv1::Deployment) -> bool {
    d.spec
        .as_ref()
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.type_.as_deref())
        == Some("Recreate")
}

/// `MaxUnavailable` as the Available condition uses it.
fn max_unavailable(d: &appsv1::Deployment, replicas: i32) -> i32 {
    if is_recreate(d) || replicas == 0 {
        return 0;
    }
    fenceposts(d, replicas).1.min(replicas)
}

/// `getNewReplicaSet` for an existing or missing new ReplicaSet: revision bookkeeping and, if
/// `create`, the new ReplicaSet with `replicas` pods.
fn ensure_new_replica_set(
    ctx: &mut Ctx<'_>,
    sync: &mut Sync,
    new_rs: Option<appsv1::ReplicaSet>,
    old_rss: &[appsv1::ReplicaSet],
    create_with: Option<i32>,
) -> Result<Option<appsv1::ReplicaSet>, ApiError> {
    let max_old_revision = old_rss.iter().map(revision).max().unwrap_or(0);
    let new_revision = (max_old_revision + 1).to_string();
    if let Some(mut rs) = new_rs {
        if set_existing_annotations(&sync.d, &mut rs, &new_revision) {
            rs = ctx.api.update(Resource::ReplicaSets, &rs)?;
        }
        let rev = revision(&rs).to_string();
        sync.d
            .metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(REVISION_ANNOTATION.to_string(), rev);
        if !sync.conditions.iter().any(|c| c.type_ == "Progressing") {
            let message = format!(
                "Found new replica set \"{}\"",
                rs.metadata.name.as_deref().unwrap_or_default()
            );
            set_condition(
                &mut sync.conditions,
                condition(
                    ctx.now,
                    "Progressing",
                    "True",
                    "FoundNewReplicaSet",
                    &message,
                ),
            );
        }
        return Ok(Some(rs));
    }
    let Some(replicas) = create_with else {
        return Ok(None);
    };
    let spec = sync.d.spec.clone().unwrap_or_default();
    let collision_count = sync.old_status.collision_count;
    let hash = compute_hash(&spec.template, collision_count);
    let rs_name = format!("{}-{hash}", sync.name);

    let mut template = spec.template.clone();
    let template_meta = template.metadata.get_or_insert_with(Default::default);
    let mut labels = template_meta.labels.clone().unwrap_or_default();
    labels.insert(POD_TEMPLATE_HASH.to_string(), hash.clone());
    template_meta.labels = Some(labels.clone());
    let mut selector = spec.selector.clone();
    selector
        .match_labels
        .get_or_insert_with(BTreeMap::new)
        .insert(POD_TEMPLATE_HASH.to_string(), hash.clone());
    let (surge, _) = fenceposts(&sync.d, sync.replicas);
    let mut annotations: BTreeMap<String, String> = sync
        .d
        .metadata
        .annotations
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| !ANNOTATIONS_TO_SKIP.contains(&k.as_str()))
        .collect();
    annotations.insert(REVISION_ANNOTATION.to_string(), new_revision.clone());
    annotations.insert(
        DESIRED_REPLICAS_ANNOTATION.to_string(),
        sync.replicas.to_string(),
    );
    annotations.insert(
        MAX_REPLICAS_ANNOTATION.to_string(),
        sync.replicas.saturating_add(surge).to_string(),
    );
    let rs = appsv1::ReplicaSet {
        metadata: metav1::ObjectMeta {
            name: Some(rs_name.clone()),
            namespace: Some(sync.namespace.clone()),
            labels: Some(labels),
            annotations: Some(annotations),
            owner_references: Some(vec![controller_reference(
                "apps/v1",
                "Deployment",
                &sync.d.metadata,
            )]),
            ..Default::default()
        },
        spec: Some(appsv1::ReplicaSetSpec {
            replicas: Some(replicas),
            min_ready_seconds: spec.min_ready_seconds,
            selector,
            template: Some(template),
        }),
        status: None,
    };
    let value = serde_json::to_value(&rs).unwrap_or_default();
    let created = match crate::apiserver::registry::create_object(
        ctx.now,
        ctx.rng,
        ctx.api,
        Resource::ReplicaSets,
        &value,
    ) {
        Ok(v) => v,
        Err(ApiError::AlreadyExists { .. }) => {
            // A ReplicaSet of that name with another template: bump collisionCount and retry
            // with a different hash on the next sync.
            let mut status = sync.old_status.clone();
            status.collision_count = Some(collision_count.unwrap_or(0) + 1);
            sync.d.status = Some(status);
            ctx.api.update(Resource::Deployments, &sync.d)?;
            return Ok(None);
        }
        Err(err) if err.is_unreachable() => return Err(err),
        Err(err) => {
            let message = format!("Failed to create new replica set \"{rs_name}\": {err}");
            ctx.event(
                COMPONENT,
                &sync.involved.clone(),
                EventType::Warning,
                "FailedCreate",
                &message,
            );
            return Ok(None);
        }
    };
    let created: appsv1::ReplicaSet =
        serde::Deserialize::deserialize(&created).map_err(|e: serde_json::Error| {
            ApiError::BadRequest {
                message: e.to_string(),
            }
        })?;
    if replicas > 0 {
        let message = format!("Scaled up replica set {rs_name} from 0 to {replicas}");
        ctx.event(
            COMPONENT,
            &sync.involved.clone(),
            EventType::Normal,
            "ScalingReplicaSet",
            &message,
        );
    }
    sync.d
        .metadata
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .insert(REVISION_ANNOTATION.to_string(), new_revision);
    let message = format!("Created new replica set \"{rs_name}\"");
    set_condition(
        &mut sync.conditions,
        condition(
            ctx.now,
            "Progressing",
            "True",
            "NewReplicaSetCreated",
            &message,
        ),
    );
    Ok(Some(created))
}

/// `scaleReplicaSet`: sets replicas and the desired/max annotations; `ScalingReplicaSet` event.
fn scale(
    ctx: &mut Ctx<'_>,
    sync: &Sync,
    rs: &mut appsv1::ReplicaSet,
    new_scale: i32,
) -> Result<bool, ApiError> {
    let old_scale = rs_replicas(rs);
    let (surge, _) = fenceposts(&sync.d, sync.replicas);
    let desired = sync.replicas.to_string();
    let max = sync.replicas.saturating_add(surge).to_string();
    let annotations = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let annotations_stale = annotations.get(DESIRED_REPLICAS_ANNOTATION) != Some(&desired)
        || annotations.get(MAX_REPLICAS_ANNOTATION) != Some(&max);
    if old_scale == new_scale && !annotations_stale {
        return Ok(false);
    }
    annotations.insert(DESIRED_REPLICAS_ANNOTATION.to_string(), desired);
    annotations.insert(MAX_REPLICAS_ANNOTATION.to_string(), max);
    rs.spec.get_or_insert_with(Default::default).replicas = Some(new_scale);
    *rs = ctx.api.update(Resource::ReplicaSets, &*rs)?;
    if old_scale == new_scale {
        return Ok(false);
    }
    let direction = if old_scale < new_scale { "up" } else { "down" };
    let message = format!(
        "Scaled {direction} replica set {} from {old_scale} to {new_scale}",
        rs.metadata.name.as_deref().unwrap_or_default()
    );
    ctx.event(
        COMPONENT,
        &sync.involved,
        EventType::Normal,
        "ScalingReplicaSet",
        &message,
    );
    Ok(true)
}

/// `NewRSNewReplicas` for RollingUpdate.
fn new_rs_new_replicas(sync: &Sync, all_spec_replicas: i32, new_replicas: i32) -> i32 {
    let (surge, _) = fenceposts(&sync.d, sync.replicas);
    let max_total = sync.replicas.saturating_add(surge);
    if all_spec_replicas >= max_total {
        return new_replicas;
    }
    let scale_up = max_total
        .saturating_sub(all_spec_replicas)
        .min(sync.replicas.saturating_sub(new_replicas));
    new_replicas.saturating_add(scale_up.max(0))
}

fn rollout_rolling(
    ctx: &mut Ctx<'_>,
    sync: &mut Sync,
    owned: Vec<appsv1::ReplicaSet>,
) -> Result<(), ApiError> {
    let (new_rs, mut old_rss) = split_new(&sync.d, owned);
    let old_total = saturating_sum(old_rss.iter().map(rs_replicas));
    let create_with = if new_rs.is_none() {
        Some(new_rs_new_replicas(sync, old_total, 0))
    } else {
        None
    };
    let mut new_rs = ensure_new_replica_set(ctx, sync, new_rs, &old_rss, create_with)?;

    // reconcileNewReplicaSet.
    if let Some(rs) = new_rs.as_mut() {
        let current = rs_replicas(rs);
        let target = if current > sync.replicas {
            sync.replicas
        } else {
            new_rs_new_replicas(sync, old_total.saturating_add(current), current)
        };
        if current != target && scale(ctx, sync, rs, target)? {
            return finish(ctx, sync, new_rs.as_ref(), &old_rss);
        }
    }

    // reconcileOldReplicaSets.
    if reconcile_old(ctx, sync, new_rs.as_ref(), &mut old_rss)? {
        return finish(ctx, sync, new_rs.as_ref(), &old_rss);
    }
    let complete = new_rs
        .as_ref()
        .is_some_and(|rs| rs_replicas(rs) == sync.replicas && rs_available(rs) == sync.replicas)
        && old_rss.iter().all(|rs| rs_replicas(rs) == 0);
    if complete {
        cleanup_old(ctx, sync, &mut old_rss)?;
    }
    finish(ctx, sync, new_rs.as_ref(), &old_rss)
}

/// `reconcileOldReplicaSets`: scale old ReplicaSets down as far as availability allows.
fn reconcile_old(
    ctx: &mut Ctx<'_>,
    sync: &Sync,
    new_rs: Option<&appsv1::ReplicaSet>,
    old_rss: &mut [appsv1::ReplicaSet],
) -> Result<bool, ApiError> {
    let old_pods = saturating_sum(old_rss.iter().map(rs_replicas));
    if old_pods == 0 {
        return Ok(false);
    }
    let new_spec = new_rs.map_or(0, rs_replicas);
    let all_pods = old_pods.saturating_add(new_spec);
    let (_, max_unavailable) = fenceposts(&sync.d, sync.replicas);
    let min_available = sync.replicas.saturating_sub(max_unavailable);
    let new_unavailable = new_rs.map_or(0, |rs| rs_replicas(rs).saturating_sub(rs_available(rs)));
    let max_scaled_down = all_pods
        .saturating_sub(min_available)
        .saturating_sub(new_unavailable);
    if max_scaled_down <= 0 {
        return Ok(false);
    }
    old_rss.sort_by_key(created_at);

    // cleanupUnhealthyReplicas.
    let mut cleaned = 0;
    for rs in old_rss.iter_mut() {
        if cleaned >= max_scaled_down {
            break;
        }
        let replicas = rs_replicas(rs);
        let unhealthy = replicas.saturating_sub(rs_available(rs));
        if replicas == 0 || unhealthy <= 0 {
            continue;
        }
        let count = (max_scaled_down - cleaned).min(unhealthy);
        scale(ctx, sync, rs, replicas - count)?;
        cleaned += count;
    }

    // scaleDownOldReplicaSetsForRollingUpdate.
    let available: i32 = saturating_sum(old_rss.iter().map(rs_available))
        .saturating_add(new_rs.map_or(0, rs_available));
    let mut scaled = 0;
    if available > min_available {
        let total = available - min_available;
        for rs in old_rss.iter_mut() {
            if scaled >= total {
                break;
            }
            let replicas = rs_replicas(rs);
            if replicas == 0 {
                continue;
            }
            let count = replicas.min(total - scaled);
            scale(ctx, sync, rs, replicas - count)?;
            scaled += count;
        }
    }
    Ok(cleaned + scaled > 0)
}

fn rollout_recreate(
    ctx: &mut Ctx<'_>,
    sync: &mut Sync,
    owned: Vec<appsv1::ReplicaSet>,
) -> Result<(), ApiError> {
    let (new_rs, mut old_rss) = split_new(&sync.d, owned);
    let new_rs = ensure_new_replica_set(ctx, sync, new_rs, &old_rss, None)?;
    let mut scaled_down = false;
    for rs in old_rss.iter_mut() {
        if rs_replicas(rs) > 0 {
            scaled_down |= scale(ctx, sync, rs, 0)?;
        }
    }
    if scaled_down {
        return finish(ctx, sync, new_rs.as_ref(), &old_rss);
    }
    // Wait until no old pod runs.
    let pods: Vec<corev1::Pod> = ctx.api.list(Resource::Pods, Some(&sync.namespace))?;
    let old_uids: Vec<Option<&str>> = old_rss
        .iter()
        .map(|rs| rs.metadata.uid.as_deref())
        .collect();
    let old_running = pods.iter().any(|p| {
        !pod_is_terminal(p)
            && old_uids
                .iter()
                .any(|uid| is_controlled_by(&p.metadata, *uid))
    });
    if old_running {
        return finish(ctx, sync, new_rs.as_ref(), &old_rss);
    }
    let mut new_rs = match new_rs {
        Some(rs) => Some(rs),
        None => ensure_new_replica_set(ctx, sync, None, &old_rss, Some(sync.replicas))?,
    };
    if let Some(rs) = new_rs.as_mut() {
        let replicas = sync.replicas;
        scale(ctx, sync, rs, replicas)?;
    }
    finish(ctx, sync, new_rs.as_ref(), &old_rss)
}

/// `cleanupDeployment`: keep at most `revisionHistoryLimit` scaled-down old ReplicaSets.
fn cleanup_old(
    ctx: &mut Ctx<'_>,
    sync: &Sync,
    old_rss: &mut Vec<appsv1::ReplicaSet>,
) -> Result<(), ApiError> {
    let limit = sync
        .d
        .spec
        .as_ref()
        .and_then(|s| s.revision_history_limit)
        .unwrap_or(DEFAULT_REVISION_HISTORY_LIMIT)
        .max(0) as usize;
    let mut cleanable: Vec<&appsv1::ReplicaSet> = old_rss
        .iter()
        .filter(|rs| rs_replicas(rs) == 0 && rs.status.as_ref().is_none_or(|s| s.replicas == 0))
        .collect();
    if cleanable.len() <= limit {
        return Ok(());
    }
    cleanable.sort_by_key(|rs| (revision(rs), created_at(rs)));
    let doomed: Vec<String> = cleanable[..cleanable.len() - limit]
        .iter()
        .filter_map(|rs| rs.metadata.name.clone())
        .collect();
    for name in &doomed {
        delete_object(
            ctx.now,
            ctx.api,
            Resource::ReplicaSets,
            &sync.namespace,
            name,
            &DeleteOptions::default(),
        )?;
    }
    old_rss.retain(|rs| !doomed.iter().any(|d| Some(d) == rs.metadata.name.as_ref()));
    Ok(())
}

fn condition(
    now: SimTime,
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
) -> appsv1::DeploymentCondition {
    appsv1::DeploymentCondition {
        type_: type_.to_string(),
        status: status.to_string(),
        reason: Some(reason.to_string()),
        message: Some(message.to_string()),
        last_update_time: Some(time(now)),
        last_transition_time: Some(time(now)),
    }
}

/// `SetDeploymentCondition`: same status and reason is a no-op; same status keeps the
/// transition time; the condition moves to the end.
fn set_condition(
    conditions: &mut Vec<appsv1::DeploymentCondition>,
    mut new: appsv1::DeploymentCondition,
) {
    if let Some(current) = conditions.iter().find(|c| c.type_ == new.type_) {
        if current.status == new.status && current.reason == new.reason {
            return;
        }
        if current.status == new.status {
            new.last_transition_time = current.last_transition_time.clone();
        }
    }
    conditions.retain(|c| c.type_ != new.type_);
    conditions.push(new);
}

/// `calculateStatus` and `syncRolloutStatus`, then one write if anything changed.
fn finish(
    ctx: &mut Ctx<'_>,
    sync: &mut Sync,
    new_rs: Option<&appsv1::ReplicaSet>,
    old_rss: &[appsv1::ReplicaSet],
) -> Result<(), ApiError> {
    let all: Vec<&appsv1::ReplicaSet> = new_rs.into_iter().chain(old_rss.iter()).collect();
    let status_of = |rs: &appsv1::ReplicaSet| rs.status.clone().unwrap_or_default();
    let replicas = saturating_sum(all.iter().map(|rs| status_of(rs).replicas));
    let updated = new_rs.map_or(0, |rs| status_of(rs).replicas);
    let ready = saturating_sum(
        all.iter()
            .map(|rs| status_of(rs).ready_replicas.unwrap_or(0)),
    );
    let available = saturating_sum(all.iter().map(|rs| rs_available(rs)));
    let total_spec = saturating_sum(all.iter().map(|rs| rs_replicas(rs)));
    let unavailable = total_spec.saturating_sub(available).max(0);

    let mut conditions = sync.conditions.clone();
    if available
        >= sync
            .replicas
            .saturating_sub(max_unavailable(&sync.d, sync.replicas))
    {
        set_condition(
            &mut conditions,
            condition(
                ctx.now,
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
            ),
        );
    } else {
        set_condition(
            &mut conditions,
            condition(
                ctx.now,
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            ),
        );
    }
    let mut status = appsv1::DeploymentStatus {
        replicas: non_zero(replicas),
        updated_replicas: non_zero(updated),
        ready_replicas: non_zero(ready),
        available_replicas: non_zero(available),
        unavailable_replicas: non_zero(unavailable),
        observed_generation: sync.d.metadata.generation,
        collision_count: sync.old_status.collision_count,
        conditions: None,
        terminating_replicas: None,
    };

    // syncRolloutStatus.
    let old = &sync.old_status;
    let n = |v: Option<i32>| v.unwrap_or(0);
    let progress_cond = conditions
        .iter()
        .find(|c| c.type_ == "Progressing")
        .cloned();
    let is_complete_deployment = n(status.replicas) == n(status.updated_replicas)
        && progress_cond
            .as_ref()
            .is_some_and(|c| c.reason.as_deref() == Some("NewReplicaSetAvailable"));
    let has_deadline = sync
        .d
        .spec
        .as_ref()
        .and_then(|s| s.progress_deadline_seconds)
        .unwrap_or(DEFAULT_PROGRESS_DEADLINE_SECONDS)
        < i32::MAX;
    if has_deadline && !is_complete_deployment {
        let rs_name = new_rs.and_then(|rs| rs.metadata.name.clone());
        let deployment_complete = n(status.updated_replicas) == sync.replicas
            && n(status.replicas) == sync.replicas
            && n(status.available_replicas) == sync.replicas
            && status.observed_generation >= sync.d.metadata.generation;
        let progressing = n(status.updated_replicas) > n(old.updated_replicas)
            || n(status.replicas) - n(status.updated_replicas)
                < n(old.replicas) - n(old.updated_replicas)
            || n(status.ready_replicas) > n(old.ready_replicas)
            || n(status.available_replicas) > n(old.available_replicas);
        if deployment_complete {
            let message = match &rs_name {
                Some(rs) => format!("ReplicaSet \"{rs}\" has successfully progressed."),
                None => format!("Deployment \"{}\" has successfully progressed.", sync.name),
            };
            set_condition(
                &mut conditions,
                condition(
                    ctx.now,
                    "Progressing",
                    "True",
                    "NewReplicaSetAvailable",
                    &message,
                ),
            );
        } else if progressing {
            let message = match &rs_name {
                Some(rs) => format!("ReplicaSet \"{rs}\" is progressing."),
                None => format!("Deployment \"{}\" is progressing.", sync.name),
            };
            let mut new = condition(
                ctx.now,
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                &message,
            );
            if let Some(current) = &progress_cond {
                if current.status == "True" {
                    new.last_transition_time = current.last_transition_time.clone();
                }
            }
            conditions.retain(|c| c.type_ != "Progressing");
            conditions.push(new);
        } else if timed_out(&sync.d, progress_cond.as_ref(), ctx.now) {
            let message = match &rs_name {
                Some(rs) => format!("ReplicaSet \"{rs}\" has timed out progressing."),
                None => format!("Deployment \"{}\" has timed out progressing.", sync.name),
            };
            set_condition(
                &mut conditions,
                condition(
                    ctx.now,
                    "Progressing",
                    "False",
                    "ProgressDeadlineExceeded",
                    &message,
                ),
            );
        }
    }
    status.conditions = Some(conditions);

    let latest: appsv1::Deployment =
        ctx.api
            .get(Resource::Deployments, &sync.namespace, &sync.name)?;
    let mut updated_d = latest.clone();
    updated_d.status = Some(status);
    if let Some(rev) = sync
        .d
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION_ANNOTATION))
    {
        updated_d
            .metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(REVISION_ANNOTATION.to_string(), rev.clone());
    }
    if updated_d != latest {
        ctx.api.update(Resource::Deployments, &updated_d)?;
    }
    Ok(())
}

/// `DeploymentTimedOut`: no progress within `progressDeadlineSeconds` of the last update.
fn timed_out(
    d: &appsv1::Deployment,
    progressing: Option<&appsv1::DeploymentCondition>,
    now: SimTime,
) -> bool {
    let Some(cond) = progressing else {
        return false;
    };
    match cond.reason.as_deref() {
        Some("NewReplicaSetAvailable") => return false,
        Some("ProgressDeadlineExceeded") => return true,
        _ => (),
    }
    let deadline = d
        .spec
        .as_ref()
        .and_then(|s| s.progress_deadline_seconds)
        .unwrap_or(DEFAULT_PROGRESS_DEADLINE_SECONDS);
    let from = cond
        .last_update_time
        .as_ref()
        .map(sim_time)
        .unwrap_or(SimTime::ZERO);
    now > from + seconds(i64::from(deadline))
}
