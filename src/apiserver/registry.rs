//! Create for objects other than pods, update for every kind (a pod's with `ValidatePodUpdate`), with the registry behaviour beyond storage:
//! NamespaceLifecycle on create, `metadata.generation`, status reset on create and status kept
//! on spec updates, and the system namespaces the API server keeps alive.
//!
//! Mirrors (v1.34): `staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`
//! (`Create`, `Update`), the `PrepareForCreate`/`PrepareForUpdate` of
//! `pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go` and
//! `pkg/registry/core/namespace/strategy.go` (phase Active, the `kubernetes` finalizer), and
//! `pkg/controlplane/controller/systemnamespaces/system_namespaces_controller.go`.
//!
//! An update carries `rest.BeforeUpdate`'s metadata rules (`staging/src/k8s.io/apiserver/pkg/registry/rest/update.go`):
//! a `metadata.resourceVersion` that is not the stored one is a 409 Conflict (an empty one
//! is an unconditional update, which every kind here allows), an empty UID takes the stored
//! one and the creation timestamp is the stored one.
//!
//! Simplifications: a resourceVersion that is not a number is a Conflict too (upstream's
//! storage rejects it as unparsable), no server-side apply, and status is a plain field (no `/status` subresource): controllers write
//! whole objects with `ApiServer::update`.

use serde_json::Value;

use k8s_openapi::api::core::v1 as corev1;
use serde::Deserialize;

use crate::apiserver::admission::{
    admit_default_toleration_seconds, check_namespace_for_create, PodStrategy,
};
use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::validation::field::{invalid_error_message, BadValue, FieldError, Path};
use crate::apiserver::validation::names::{name_is_dns_label, name_is_dns_subdomain};
use crate::apiserver::validation::pod_update::validate_pod_update;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// The namespaces kube-apiserver creates and recreates by itself.
pub const SYSTEM_NAMESPACES: [&str; 4] =
    ["default", "kube-system", "kube-public", "kube-node-lease"];

/// `metadata.FIELD` of `object` as text (empty when absent).
fn meta(object: &Value, field: &str) -> String {
    object
        .get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Whether objects of `resource` carry a `metadata.generation` bumped on spec changes.
fn has_generation(resource: Resource) -> bool {
    matches!(
        resource,
        Resource::Deployments | Resource::ReplicaSets | Resource::DaemonSets | Resource::Pods
    )
}

/// POST for any resource but pods (use `admission::create_pod` for those): namespace check,
/// `PrepareForCreate`, storage. Returns the stored object.
pub fn create_object(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    resource: Resource,
    object: &Value,
) -> Result<Value, ApiError> {
    api.check()?;
    let mut object = object.clone();
    let name = meta(&object, "name");
    let has_generate_name = object
        .at("/metadata/generateName")
        .and_then(Value::as_str)
        .is_some_and(|g| !g.is_empty());
    if !has_generate_name {
        validate_name(resource, &name)?;
    }
    if resource.namespaced() {
        let namespace = object
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .filter(|ns| !ns.is_empty())
            .unwrap_or("default")
            .to_string();
        check_namespace_for_create(api, resource, &name, &namespace)?;
    }
    if let Some(map) = object.as_object_mut() {
        match resource {
            Resource::Namespaces => {
                map.insert(
                    "spec".into(),
                    serde_json::json!({"finalizers": ["kubernetes"]}),
                );
                map.insert("status".into(), serde_json::json!({"phase": "Active"}));
            }
            Resource::Deployments | Resource::ReplicaSets | Resource::DaemonSets => {
                map.remove("status");
            }
            // `SetDefaults_PersistentVolume{,Claim}` and the strategies' `PrepareForCreate`:
            // a new volume or claim is Pending until the binder looks at it.
            Resource::PersistentVolumes => {
                let spec = map.entry("spec").or_insert_with(|| serde_json::json!({}));
                if let Some(spec) = spec.as_object_mut() {
                    spec.entry("persistentVolumeReclaimPolicy")
                        .or_insert_with(|| Value::from("Retain"));
                    spec.entry("volumeMode")
                        .or_insert_with(|| Value::from("Filesystem"));
                }
                map.insert("status".into(), serde_json::json!({"phase": "Pending"}));
            }
            Resource::PersistentVolumeClaims => {
                let spec = map.entry("spec").or_insert_with(|| serde_json::json!({}));
                if let Some(spec) = spec.as_object_mut() {
                    spec.entry("volumeMode")
                        .or_insert_with(|| Value::from("Filesystem"));
                }
                map.insert("status".into(), serde_json::json!({"phase": "Pending"}));
            }
            _ => (),
        }
        if has_generation(resource) {
            if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.insert("generation".into(), Value::from(1));
            }
        }
    }
    if resource == Resource::Services {
        crate::apiserver::service::prepare_create(api, rng, &mut object)?;
    }
    api.create(now, rng, resource, &object)
}

/// `ValidateObjectMeta`'s name rules: required, a DNS-1123 label for namespaces and a DNS-1123
/// subdomain for the other kinds.
fn validate_name(resource: Resource, name: &str) -> Result<(), ApiError> {
    let path = Path::new("metadata").child("name");
    let errs: Vec<FieldError> = if name.is_empty() {
        vec![FieldError::required(
            &path,
            "name or generateName is required",
        )]
    } else {
        let problems = match resource {
            Resource::Namespaces => name_is_dns_label(name, false),
            // RBAC objects only need to be path segments (`ValidateRBACName`):
            // `system:node` is a valid name.
            Resource::Roles
            | Resource::RoleBindings
            | Resource::ClusterRoles
            | Resource::ClusterRoleBindings => path_segment_problems(name),
            // `ValidateServiceName`: a DNS-1035 label.
            Resource::Services => crate::apiserver::validation::names::is_dns1035_label(name),
            _ => name_is_dns_subdomain(name, false),
        };
        problems
            .iter()
            .map(|p| FieldError::invalid(&path, BadValue::str(name), p))
            .collect()
    };
    if errs.is_empty() {
        return Ok(());
    }
    Err(ApiError::Invalid {
        kind: resource.kind(),
        name: name.to_string(),
        message: invalid_error_message(resource.kind(), name, &errs),
    })
}

/// `path.IsValidPathSegmentName`: not `.` or `..`, no `/` or `%`.
fn path_segment_problems(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|bad| name.contains(*bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

/// PUT of the main resource: `metadata.generation` goes up when `spec` changed, and for the
/// workload kinds the stored `status` is kept (status belongs to the controllers).
pub fn update_object(
    api: &mut ApiServer,
    resource: Resource,
    object: &Value,
) -> Result<Value, ApiError> {
    api.check()?;
    let name = meta(object, "name");
    let key = ObjectKey::new(resource, &meta(object, "namespace"), &name);
    let Some(old) = api.store().get_value(&key).cloned() else {
        return Err(ApiError::NotFound { resource, name });
    };
    let mut object = object.clone();
    before_update(resource, &old, &mut object)?;
    if has_generation(resource) {
        let generation = old
            .at("/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        let changed = old.get("spec") != object.get("spec");
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert(
                "generation".into(),
                Value::from(generation + i64::from(changed)),
            );
        }
    }
    if matches!(
        resource,
        Resource::Deployments | Resource::ReplicaSets | Resource::DaemonSets
    ) {
        if let (Some(map), Some(status)) = (object.as_object_mut(), old.get("status")) {
            map.insert("status".into(), status.clone());
        }
    }
    api.update(resource, &object)
}

/// PUT of a pod: decode-time defaulting of both versions, `ValidatePodUpdate`'s rule (only
/// images, `activeDeadlineSeconds`, added tolerations and a negative grace period's fix may
/// change in the spec), the strategy's validation of the result, and the stored `status`
/// kept (`podStrategy.PrepareForUpdate`: status belongs to the kubelet).
pub fn update_pod(
    api: &mut ApiServer,
    strategy: &PodStrategy,
    object: &Value,
) -> Result<Value, ApiError> {
    api.check()?;
    let namespace = meta(object, "namespace");
    let name = meta(object, "name");
    let key = ObjectKey::new(Resource::Pods, &namespace, &name);
    let Some(stored) = api.store().get_value(&key).cloned() else {
        return Err(ApiError::NotFound {
            resource: Resource::Pods,
            name,
        });
    };
    let mut object = object.clone();
    before_update(Resource::Pods, &stored, &mut object)?;
    let object = &object;
    let decode = |value: &Value| {
        let mut pod = corev1::Pod::deserialize(value).map_err(|e| ApiError::BadRequest {
            message: e.to_string(),
        })?;
        (strategy.default)(&mut pod);
        Ok::<_, ApiError>(pod)
    };
    let old = decode(&stored)?;
    let mut new = decode(object)?;
    // DefaultTolerationSeconds admits updates too: a replaced toleration list gets the
    // not-ready/unreachable tolerations back before the update rule compares.
    admit_default_toleration_seconds(&mut new);
    let errs = validate_pod_update(&new, &old);
    if !errs.is_empty() {
        return Err(ApiError::Invalid {
            kind: "Pod",
            name: name.clone(),
            message: invalid_error_message("Pod", &name, &errs),
        });
    }
    new.status = old.status;
    (strategy.validate)(&new).map_err(|message| ApiError::Invalid {
        kind: "Pod",
        name: name.clone(),
        message,
    })?;
    let value = serde_json::to_value(&new).map_err(|e| ApiError::BadRequest {
        message: e.to_string(),
    })?;
    update_object(api, Resource::Pods, &value)
}

/// `rest.BeforeUpdate` and the store's precondition: the optimistic-concurrency check on
/// `metadata.resourceVersion`, then the stored UID (when none is given) and creation
/// timestamp carried over.
fn before_update(resource: Resource, old: &Value, object: &mut Value) -> Result<(), ApiError> {
    let given = meta(object, "resourceVersion");
    if !given.is_empty() && given != meta(old, "resourceVersion") {
        return Err(ApiError::Conflict {
            resource,
            name: meta(object, "name"),
            message: "the object has been modified; please apply your changes to the latest version and try again".to_string(),
        });
    }
    let uid = meta(old, "uid");
    let created = old.at("/metadata/creationTimestamp").cloned();
    if let Some(map) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        let no_uid = map
            .get("uid")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if no_uid && !uid.is_empty() {
            map.insert("uid".into(), Value::from(uid));
        }
        if let Some(created) = created {
            map.insert("creationTimestamp".into(), created);
        }
    }
    Ok(())
}

/// Creates whichever system namespaces are missing (as the API server's system-namespaces
/// controller does); returns how many it created.
pub fn ensure_system_namespaces(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
) -> Result<usize, ApiError> {
    let mut created = 0;
    for name in SYSTEM_NAMESPACES {
        let key = ObjectKey::new(Resource::Namespaces, "", name);
        if api.store().get_value(&key).is_some() {
            continue;
        }
        let ns = serde_json::json!({"metadata": {"name": name}});
        create_object(now, rng, api, Resource::Namespaces, &ns)?;
        created += 1;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_validated_on_create() {
        let mut api = ApiServer::new("10.0.0.1:6443");
        let mut rng = Rng::seeded(3);
        ensure_system_namespaces(SimTime(0), &mut rng, &mut api).unwrap();
        let mut create = |resource, object: Value| {
            create_object(SimTime(0), &mut rng, &mut api, resource, &object)
        };
        let err = create(
            Resource::Namespaces,
            json!({"metadata": {"name": "team.a"}}),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "The Namespace \"team.a\" is invalid: metadata.name: Invalid value: \"team.a\": must not contain dots"
        );
        // A dot is fine in a subdomain name.
        assert!(create(
            Resource::ConfigMaps,
            json!({"metadata": {"name": "team.a"}})
        )
        .is_ok());
        let err = create(Resource::ConfigMaps, json!({"metadata": {}})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required"
        );
    }

    #[test]
    fn generation_follows_spec_changes() {
        let mut api = ApiServer::new("10.0.0.1:6443");
        let mut rng = Rng::seeded(3);
        ensure_system_namespaces(SimTime(0), &mut rng, &mut api).unwrap();
        let deploy = json!({"metadata": {"name": "web"}, "spec": {"replicas": 1}, "status": {"replicas": 9}});
        let created = create_object(
            SimTime(0),
            &mut rng,
            &mut api,
            Resource::Deployments,
            &deploy,
        )
        .unwrap();
        assert_eq!(created["metadata"]["generation"], 1);
        assert_eq!(created.get("status"), None);
        let mut scaled = created.clone();
        scaled["spec"]["replicas"] = json!(3);
        let updated = update_object(&mut api, Resource::Deployments, &scaled).unwrap();
        assert_eq!(updated["metadata"]["generation"], 2);
        let relabelled = update_object(&mut api, Resource::Deployments, &updated).unwrap();
        assert_eq!(relabelled["metadata"]["generation"], 2);
        let ns: Value = api.get(Resource::Namespaces, "", "kube-system").unwrap();
        assert_eq!(ns["status"]["phase"], "Active");
        let missing = json!({"metadata": {"name": "x", "namespace": "nope"}});
        assert_eq!(
            create_object(
                SimTime(0),
                &mut rng,
                &mut api,
                Resource::ConfigMaps,
                &missing
            )
            .unwrap_err()
            .to_string(),
            "namespaces \"nope\" not found"
        );
    }
}
