//! DELETE: graceful deletion of pods, plain deletion of everything else, and namespace
//! deletion (the namespace turns `Terminating`; the namespace controller empties it).
//!
//! Mirrors (v1.34): `pkg/registry/core/pod/strategy.go` (`CheckGracefulDelete`: the grace
//! period from the request, else `terminationGracePeriodSeconds`; zero for unscheduled or
//! terminal pods; negative becomes 1), `staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go`
//! (`BeforeDelete`: the UID precondition, "only a shorter grace period may be provided", the
//! deletion timestamp moved accordingly), `staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`
//! (`Delete`: grace 0 without finalizers removes at once; finalizers keep the object) and
//! `staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go`
//! (immortal namespaces).
//!
//! Simplifications: `propagationPolicy` is always Background (kubectl's default): owners go at
//! once and the garbage collector removes dependents. A pod without
//! `terminationGracePeriodSeconds` gets 30 s (the API's default) instead of 0; stored pods are
//! always defaulted, so this only matters for hand-made objects. NodeRestriction's rule that a
//! kubelet may delete only its own pods is not enforced.

use serde_json::Value;

use crate::apiserver::admission::forbidden;
use crate::apiserver::helpers::{seconds, sim_time_of_value};
use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::wallclock::rfc3339;
use crate::sim::SimTime;

/// The grace period pods get when neither the request nor the spec names one.
pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
/// Namespaces that may not be deleted.
pub const IMMORTAL_NAMESPACES: [&str; 3] = ["default", "kube-system", "kube-public"];

/// `metav1.DeleteOptions`, the parts we honour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// `--grace-period`; `Some(0)` is `--force --grace-period=0`.
    pub grace_period_seconds: Option<i64>,
    /// `preconditions.uid`: delete only this incarnation.
    pub precondition_uid: Option<String>,
}

/// What a DELETE did.
#[derive(Debug, Clone, PartialEq)]
pub enum DeleteOutcome {
    /// The object is gone; its last state.
    Removed(Value),
    /// The object stays, marked with a deletion timestamp (graceful deletion pending,
    /// finalizers, or a terminating namespace); its current state.
    Pending(Value),
}

impl DeleteOutcome {
    /// The object (last or current state).
    pub fn object(&self) -> &Value {
        match self {
            DeleteOutcome::Removed(v) | DeleteOutcome::Pending(v) => v,
        }
    }

    /// Whether the object is gone.
    pub fn is_removed(&self) -> bool {
        matches!(self, DeleteOutcome::Removed(_))
    }
}

/// DELETE for any resource: pods gracefully, namespaces through termination, the rest at once.
pub fn delete_object(
    now: SimTime,
    api: &mut ApiServer,
    resource: Resource,
    namespace: &str,
    name: &str,
    options: &DeleteOptions,
) -> Result<DeleteOutcome, ApiError> {
    match resource {
        Resource::Pods => delete_pod(now, api, namespace, name, options),
        Resource::Namespaces => delete_namespace(now, api, name, options),
        _ => {
            let (key, mut object) = fetch(api, resource, namespace, name, options)?;
            if has_finalizers(&object) {
                if object.at("/metadata/deletionTimestamp").is_none() {
                    set_deletion(&mut object, now, 0);
                    object = api.store_mut().put(key, object);
                }
                return Ok(DeleteOutcome::Pending(object));
            }
            api.remove(resource, &key.namespace, &key.name)
                .map(DeleteOutcome::Removed)
        }
    }
}

/// DELETE a pod: graceful (deletion timestamp, the kubelet finishes it) when it is bound and
/// not terminal and the grace period is positive; otherwise removed at once.
pub fn delete_pod(
    now: SimTime,
    api: &mut ApiServer,
    namespace: &str,
    name: &str,
    options: &DeleteOptions,
) -> Result<DeleteOutcome, ApiError> {
    let (key, mut pod) = fetch(api, Resource::Pods, namespace, name, options)?;
    let meta_i64 = |pod: &Value, field: &str| {
        pod.get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Value::as_i64)
    };

    if pod.at("/metadata/deletionTimestamp").is_some() {
        // Already terminating: only a shorter grace period changes anything.
        let current = meta_i64(&pod, "deletionGracePeriodSeconds").unwrap_or(0);
        if current == 0 {
            return remove_unless_finalized(api, key, pod);
        }
        let Some(shorter) = options.grace_period_seconds.filter(|g| *g < current) else {
            return Ok(DeleteOutcome::Pending(pod));
        };
        let shorter = shorter.max(0);
        let old_deadline = sim_time_of_value(pod.at("/metadata/deletionTimestamp")).unwrap_or(now);
        let started = SimTime(old_deadline.0.saturating_sub(seconds(current).as_millis()));
        set_deletion(&mut pod, started, shorter);
        if shorter == 0 {
            return remove_unless_finalized(api, key, pod);
        }
        let stored = api.store_mut().put(key, pod);
        return Ok(DeleteOutcome::Pending(stored));
    }

    let spec_grace = pod
        .at("/spec/terminationGracePeriodSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    let mut grace = options.grace_period_seconds.unwrap_or(spec_grace);
    let unscheduled = pod
        .at("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .is_empty();
    let phase = pod
        .at("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if unscheduled || matches!(phase, "Succeeded" | "Failed") {
        grace = 0;
    }
    if grace < 0 {
        grace = 1;
    }
    set_deletion(&mut pod, now, grace);
    if grace == 0 {
        return remove_unless_finalized(api, key, pod);
    }
    let stored = api.store_mut().put(key, pod);
    Ok(DeleteOutcome::Pending(stored))
}

/// DELETE a namespace: refused for the immortal ones; otherwise it becomes `Terminating` and
/// the namespace controller deletes its contents, then the namespace.
pub fn delete_namespace(
    now: SimTime,
    api: &mut ApiServer,
    name: &str,
    options: &DeleteOptions,
) -> Result<DeleteOutcome, ApiError> {
    api.check()?;
    if IMMORTAL_NAMESPACES.contains(&name) {
        return Err(forbidden(
            Resource::Namespaces,
            name,
            "this namespace may not be deleted",
        ));
    }
    let (key, mut ns) = fetch(api, Resource::Namespaces, "", name, options)?;
    if ns.at("/metadata/deletionTimestamp").is_some() {
        return Ok(DeleteOutcome::Pending(ns));
    }
    set_deletion(&mut ns, now, 0);
    if let Some(map) = ns.as_object_mut() {
        map.insert("status".into(), serde_json::json!({"phase": "Terminating"}));
    }
    let stored = api.store_mut().put(key, ns);
    Ok(DeleteOutcome::Pending(stored))
}

/// Looks the object up and checks the UID precondition.
fn fetch(
    api: &ApiServer,
    resource: Resource,
    namespace: &str,
    name: &str,
    options: &DeleteOptions,
) -> Result<(ObjectKey, Value), ApiError> {
    api.check()?;
    let key = ObjectKey::new(resource, namespace, name);
    let Some(object) = api.store().get_value(&key).cloned() else {
        return Err(ApiError::NotFound {
            resource,
            name: name.to_string(),
        });
    };
    if let Some(want) = &options.precondition_uid {
        let uid = object
            .at("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if want != uid {
            return Err(ApiError::Conflict {
                resource,
                name: name.to_string(),
                message: format!(
                    "Precondition failed: UID in precondition: {want}, UID in object meta: {uid}"
                ),
            });
        }
    }
    Ok((key, object))
}

/// Sets `deletionTimestamp = start + grace` and `deletionGracePeriodSeconds = grace`.
fn set_deletion(object: &mut Value, start: SimTime, grace: i64) {
    let deadline = start + seconds(grace);
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("deletionTimestamp".into(), Value::String(rfc3339(deadline)));
        meta.insert("deletionGracePeriodSeconds".into(), Value::from(grace));
    }
}

fn has_finalizers(object: &Value) -> bool {
    object
        .at("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| !f.is_empty())
}

fn remove_unless_finalized(
    api: &mut ApiServer,
    key: ObjectKey,
    object: Value,
) -> Result<DeleteOutcome, ApiError> {
    if has_finalizers(&object) {
        let stored = api.store_mut().put(key, object);
        return Ok(DeleteOutcome::Pending(stored));
    }
    api.store_mut().remove(&key);
    Ok(DeleteOutcome::Removed(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::testutil::{api_with_namespaces, pod};
    use k8s_openapi::api::core::v1 as corev1;

    fn store_pod(
        api: &mut ApiServer,
        rng: &mut crate::sim::Rng,
        node: Option<&str>,
    ) -> corev1::Pod {
        let mut p = pod("web");
        p.spec.as_mut().unwrap().node_name = node.map(String::from);
        api.create(SimTime(0), rng, Resource::Pods, &p).unwrap()
    }

    #[test]
    fn bound_pods_are_deleted_gracefully() {
        let (mut api, mut rng) = api_with_namespaces();
        store_pod(&mut api, &mut rng, Some("node01"));
        let out = delete_pod(
            SimTime(10_000),
            &mut api,
            "default",
            "web",
            &DeleteOptions::default(),
        )
        .unwrap();
        assert!(!out.is_removed());
        assert_eq!(
            out.object()["metadata"]["deletionTimestamp"],
            "2026-11-22T08:00:40Z"
        );
        assert_eq!(out.object()["metadata"]["deletionGracePeriodSeconds"], 30);

        // Same or longer grace: nothing changes.
        let again = DeleteOptions {
            grace_period_seconds: Some(60),
            ..Default::default()
        };
        let out = delete_pod(SimTime(12_000), &mut api, "default", "web", &again).unwrap();
        assert_eq!(out.object()["metadata"]["deletionGracePeriodSeconds"], 30);

        // A shorter one moves the deadline: started at 10 s, now 5 s of grace.
        let shorter = DeleteOptions {
            grace_period_seconds: Some(5),
            ..Default::default()
        };
        let out = delete_pod(SimTime(12_000), &mut api, "default", "web", &shorter).unwrap();
        assert_eq!(
            out.object()["metadata"]["deletionTimestamp"],
            "2026-11-22T08:00:15Z"
        );
        assert_eq!(out.object()["metadata"]["deletionGracePeriodSeconds"], 5);

        // The kubelet finishes with grace 0.
        let force = DeleteOptions {
            grace_period_seconds: Some(0),
            ..Default::default()
        };
        let out = delete_pod(SimTime(14_000), &mut api, "default", "web", &force).unwrap();
        assert!(out.is_removed());
        assert!(api
            .get::<corev1::Pod>(Resource::Pods, "default", "web")
            .is_err());
    }

    #[test]
    fn unscheduled_terminal_and_forced_pods_go_at_once() {
        let (mut api, mut rng) = api_with_namespaces();
        store_pod(&mut api, &mut rng, None);
        assert!(delete_pod(
            SimTime(0),
            &mut api,
            "default",
            "web",
            &DeleteOptions::default()
        )
        .unwrap()
        .is_removed());

        let mut done = store_pod(&mut api, &mut rng, Some("node01"));
        done.status = Some(corev1::PodStatus {
            phase: Some("Succeeded".into()),
            ..Default::default()
        });
        api.update(Resource::Pods, &done).unwrap();
        assert!(delete_pod(
            SimTime(0),
            &mut api,
            "default",
            "web",
            &DeleteOptions::default()
        )
        .unwrap()
        .is_removed());

        store_pod(&mut api, &mut rng, Some("node01"));
        let force = DeleteOptions {
            grace_period_seconds: Some(0),
            ..Default::default()
        };
        assert!(delete_pod(SimTime(0), &mut api, "default", "web", &force)
            .unwrap()
            .is_removed());
    }

    #[test]
    fn uid_precondition_mismatch_is_a_conflict() {
        let (mut api, mut rng) = api_with_namespaces();
        let p = store_pod(&mut api, &mut rng, Some("node01"));
        let uid = p.metadata.uid.unwrap();
        let wrong = DeleteOptions {
            grace_period_seconds: Some(0),
            precondition_uid: Some("1234".into()),
        };
        let err = delete_pod(SimTime(0), &mut api, "default", "web", &wrong).unwrap_err();
        assert_eq!(err.reason(), "Conflict");
        assert_eq!(
            err.to_string(),
            format!("Operation cannot be fulfilled on pods \"web\": Precondition failed: UID in precondition: 1234, UID in object meta: {uid}")
        );
        let right = DeleteOptions {
            grace_period_seconds: Some(0),
            precondition_uid: Some(uid),
        };
        assert!(delete_pod(SimTime(0), &mut api, "default", "web", &right)
            .unwrap()
            .is_removed());
        assert_eq!(
            delete_pod(SimTime(0), &mut api, "default", "web", &right)
                .unwrap_err()
                .to_string(),
            "pods \"web\" not found"
        );
    }

    #[test]
    fn namespaces_terminate_and_immortal_ones_refuse() {
        let (mut api, mut rng) = api_with_namespaces();
        let err = delete_namespace(
            SimTime(0),
            &mut api,
            "kube-system",
            &DeleteOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "namespaces \"kube-system\" is forbidden: this namespace may not be deleted"
        );
        let ns = serde_json::json!({"metadata": {"name": "team"}});
        crate::apiserver::registry::create_object(
            SimTime(0),
            &mut rng,
            &mut api,
            Resource::Namespaces,
            &ns,
        )
        .unwrap();
        let out = delete_object(
            SimTime(5_000),
            &mut api,
            Resource::Namespaces,
            "",
            "team",
            &DeleteOptions::default(),
        )
        .unwrap();
        assert_eq!(out.object()["status"]["phase"], "Terminating");
        let cm = serde_json::json!({"metadata": {"name": "cfg", "namespace": "default"}});
        api.create(SimTime(0), &mut rng, Resource::ConfigMaps, &cm)
            .unwrap();
        assert!(delete_object(
            SimTime(0),
            &mut api,
            Resource::ConfigMaps,
            "default",
            "cfg",
            &DeleteOptions::default()
        )
        .unwrap()
        .is_removed());
    }
}
