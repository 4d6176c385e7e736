//! The taint eviction controller: deletes pods from nodes with NoExecute taints they do not
//! tolerate, or tolerate only for `tolerationSeconds`.
//!
//! Mirrors (v1.34) `pkg/controller/tainteviction/taint_eviction.go` (`processPodOnNode`,
//! `getMinTolerationTime`, the `TaintManagerEviction` events "Marking for deletion Pod ns/name"
//! and "Cancelling deletion of Pod ns/name", the `DisruptionTarget` condition added before the
//! delete) and `staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go`
//! (`GetMatchingTolerations`).
//!
//! Simplifications: the timed work queue is a map checked once a second; pods already being
//! deleted are left alone.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::admission::PodStrategy;
use crate::apiserver::controllers::Ctx;
use crate::apiserver::deletion::{delete_pod, DeleteOptions};
use crate::apiserver::events::{pod_reference, EventType};
use crate::apiserver::helpers::{
    node_taints, pod_tolerations, seconds, set_pod_condition, tolerates,
};
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimDuration, SimTime};

/// The events' source component.
pub const COMPONENT: &str = "taint-eviction-controller";

/// The controller's memory: evictions scheduled for later.
#[derive(Debug, Clone, Default)]
pub struct TaintEvictionController {
    scheduled: BTreeMap<(String, String), Scheduled>,
}

#[derive(Debug, Clone)]
struct Scheduled {
    uid: String,
    created: SimTime,
    fire_at: SimTime,
}

/// The smallest `tolerationSeconds` among `used`; `None` means forever.
fn min_toleration(used: &[&corev1::Toleration]) -> Option<SimDuration> {
    let mut min: Option<i64> = None;
    for t in used {
        if let Some(seconds) = t.toleration_seconds {
            if seconds <= 0 {
                return Some(SimDuration::ZERO);
            }
            min = Some(min.map_or(seconds, |m| m.min(seconds)));
        }
    }
    min.map(seconds)
}

impl TaintEvictionController {
    /// Whether an eviction it scheduled is due at `now`. Otherwise a pass over a store that did
    /// not change since the last one does nothing (its decisions depend only on the pods, the
    /// nodes and the scheduled times).
    pub fn due(&self, now: SimTime) -> bool {
        self.scheduled.values().any(|s| s.fire_at <= now)
    }

    /// One pass over every bound pod.
    pub fn sync(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
    ) -> Result<(), ApiError> {
        let strategy = PodStrategy::PERMISSIVE;
        let mut ctx = Ctx {
            now,
            rng,
            api,
            strategy: &strategy,
        };
        let nodes = ctx.api.list_shared::<corev1::Node>(Resource::Nodes, None)?;
        let no_execute: BTreeMap<String, Vec<corev1::Taint>> = nodes
            .iter()
            .map(|n| {
                let taints = node_taints(n)
                    .iter()
                    .filter(|t| t.effect == "NoExecute")
                    .cloned()
                    .collect();
                (n.metadata.name.clone().unwrap_or_default(), taints)
            })
            .collect();

        // With nothing scheduled before this pass, a pod on an untainted node has nothing to
        // cancel and nothing to keep (pods are unique by key), so it is passed over without
        // copying its key; this is every pod while no node has a NoExecute taint.
        let had_scheduled = !self.scheduled.is_empty();
        if !had_scheduled && no_execute.values().all(Vec::is_empty) {
            // The pods are still listed (lent, not copied), so that one that does not decode
            // fails the pass as it always did.
            ctx.api
                .with_list::<corev1::Pod, _>(Resource::Pods, None, |_| ())?;
            return Ok(());
        }
        let pods = ctx.api.list_shared::<corev1::Pod>(Resource::Pods, None)?;
        let mut seen = Vec::new();
        for pod in &pods {
            let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) else {
                continue;
            };
            if pod.metadata.deletion_timestamp.is_some() {
                continue;
            }
            let taints: &[corev1::Taint] = no_execute.get(node).map_or(&[], Vec::as_slice);
            if taints.is_empty() && !had_scheduled {
                continue;
            }
            let key = (
                pod.metadata.namespace.clone().unwrap_or_default(),
                pod.metadata.name.clone().unwrap_or_default(),
            );
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            seen.push(key.clone());
            if taints.is_empty() {
                self.cancel(&mut ctx, &key, pod);
                continue;
            }
            let tolerations = pod_tolerations(pod);
            let used: Option<Vec<&corev1::Toleration>> = taints
                .iter()
                .map(|taint| tolerations.iter().find(|t| tolerates(t, taint)))
                .collect();
            let Some(used) = used else {
                self.scheduled.remove(&key);
                evict(&mut ctx, pod)?;
                continue;
            };
            let Some(min) = min_toleration(&used) else {
                self.cancel(&mut ctx, &key, pod);
                continue;
            };
            let created = match self.scheduled.get(&key) {
                Some(s) if s.uid == uid => s.created,
                _ => now,
            };
            let fire_at = created + min;
            self.scheduled.insert(
                key,
                Scheduled {
                    uid,
                    created,
                    fire_at,
                },
            );
        }
        self.scheduled.retain(|key, _| seen.contains(key));

        let due: Vec<(String, String)> = self
            .scheduled
            .iter()
            .filter(|(_, s)| s.fire_at <= now)
            .map(|(k, _)| k.clone())
            .collect();
        for key in due {
            self.scheduled.remove(&key);
            let pod = pods.iter().find(|p| {
                p.metadata.namespace.as_deref() == Some(key.0.as_str())
                    && p.metadata.name.as_deref() == Some(key.1.as_str())
            });
            if let Some(pod) = pod {
                evict(&mut ctx, pod)?;
            }
        }
        Ok(())
    }

    fn cancel(&mut self, ctx: &mut Ctx<'_>, key: &(String, String), pod: &corev1::Pod) {
        if self.scheduled.remove(key).is_some() {
            let message = format!("Cancelling deletion of Pod {}/{}", key.0, key.1);
            ctx.event(
                COMPONENT,
                &pod_reference(pod),
                EventType::Normal,
                "TaintManagerEviction",
                &message,
            );
        }
    }
}

/// The eviction: event, `DisruptionTarget` condition, graceful delete.
fn evict(ctx: &mut Ctx<'_>, pod: &corev1::Pod) -> Result<(), ApiError> {
    let namespace = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    let message = format!("Marking for deletion Pod {namespace}/{name}");
    ctx.event(
        COMPONENT,
        &pod_reference(pod),
        EventType::Normal,
        "TaintManagerEviction",
        &message,
    );
    let mut marked = pod.clone();
    let status = marked.status.get_or_insert_with(Default::default);
    let changed = set_pod_condition(
        status,
        corev1::PodCondition {
            type_: "DisruptionTarget".to_string(),
            status: "True".to_string(),
            reason: Some("DeletionByTaintManager".to_string()),
            message: Some("Taint manager: deleting due to NoExecute taint".to_string()),
            ..Default::default()
        },
        ctx.now,
    );
    if changed {
        match ctx.api.update(Resource::Pods, &marked) {
            Ok(_) | Err(ApiError::NotFound { .. }) => (),
            Err(err) => return Err(err),
        }
    }
    match delete_pod(
        ctx.now,
        ctx.api,
        &namespace,
        &name,
        &DeleteOptions::default(),
    ) {
        Ok(_) | Err(ApiError::NotFound { .. }) => Ok(()),
        Err(err) => Err(err),
    }
}
