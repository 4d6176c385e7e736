//! The garbage collector, lightly: dependents whose owners are all gone are deleted.
//!
//! Mirrors (v1.34) `pkg/controller/garbagecollector/garbagecollector.go`
//! (`attemptToDeleteItem`: an owner is absent when no object of its kind and name exists with
//! its UID; a dependent whose owners are all absent is deleted with background propagation).
//!
//! Simplifications: no dependency graph (a full scan once a second), no foreground deletion or
//! orphaning, no `blockOwnerDeletion`; owners of kinds the emulated API does not serve count as
//! present (upstream cannot resolve them either and leaves the dependent alone).

use serde_json::Value;

use crate::apiserver::deletion::{delete_object, DeleteOptions};
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::SimTime;

/// Deletes every dependent whose owners are all gone; returns how many it deleted.
pub fn collect(now: SimTime, api: &mut ApiServer) -> Result<usize, ApiError> {
    api.check()?;
    let mut doomed: Vec<(Resource, String, String)> = Vec::new();
    for resource in Resource::ALL {
        for object in api.store().list_values(resource, None) {
            let meta = object.get("metadata");
            let owners = meta
                .and_then(|m| m.get("ownerReferences"))
                .and_then(Value::as_array);
            let Some(owners) = owners.filter(|o| !o.is_empty()) else {
                continue;
            };
            if meta.and_then(|m| m.get("deletionTimestamp")).is_some() {
                continue;
            }
            let namespace = meta
                .and_then(|m| m.get("namespace"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            if owners.iter().all(|o| owner_absent(api, o, namespace)) {
                let name = meta
                    .and_then(|m| m.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                doomed.push((resource, namespace.to_string(), name.to_string()));
            }
        }
    }
    let mut deleted = 0;
    for (resource, namespace, name) in doomed {
        match delete_object(
            now,
            api,
            resource,
            &namespace,
            &name,
            &DeleteOptions::default(),
        ) {
            Ok(_) => deleted += 1,
            Err(ApiError::NotFound { .. }) => (),
            Err(err) => return Err(err),
        }
    }
    Ok(deleted)
}

/// No object of the owner's kind and name with its UID exists.
fn owner_absent(api: &ApiServer, owner: &Value, namespace: &str) -> bool {
    let field = |k: &str| owner.get(k).and_then(Value::as_str).unwrap_or_default();
    let Some(resource) = Resource::from_kind(field("kind")) else {
        return false;
    };
    let key = ObjectKey::new(resource, namespace, field("name"));
    match api.store().get_value(&key) {
        Some(found) => found.pointer("/metadata/uid").and_then(Value::as_str) != Some(field("uid")),
        None => true,
    }
}
