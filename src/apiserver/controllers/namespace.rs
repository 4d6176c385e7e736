//! The namespace controller: empties a terminating namespace, then removes it.
//!
//! Mirrors (v1.34) `pkg/controller/namespace/deletion/namespaced_resources_deleter.go`
//! (`Delete`: delete every namespaced object, wait until none is left, then finalize the
//! namespace).
//!
//! Simplifications: no `NamespaceDeletion*` status conditions; the `kubernetes` finalizer is
//! removed together with the namespace object.

use serde_json::Value;

use crate::apiserver::deletion::{delete_object, DeleteOptions};
use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::SimTime;

/// One pass over terminating namespaces; returns the namespaces removed.
pub fn sync_all(now: SimTime, api: &mut ApiServer) -> Result<Vec<String>, ApiError> {
    api.check()?;
    let terminating: Vec<String> = api
        .store()
        .list_values(Resource::Namespaces, None)
        .into_iter()
        .filter(|ns| ns.at("/metadata/deletionTimestamp").is_some())
        .filter_map(|ns| ns.at("/metadata/name").and_then(Value::as_str))
        .map(String::from)
        .collect();
    let mut finished = Vec::new();
    for namespace in terminating {
        let mut remaining = 0;
        for resource in Resource::ALL.into_iter().filter(|r| r.namespaced()) {
            let objects: Vec<(String, bool)> = api
                .store()
                .list_values(resource, Some(&namespace))
                .into_iter()
                .map(|o| {
                    let name = o
                        .at("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    (name, o.at("/metadata/deletionTimestamp").is_some())
                })
                .collect();
            for (name, deleting) in objects {
                remaining += 1;
                if deleting {
                    continue;
                }
                match delete_object(
                    now,
                    api,
                    resource,
                    &namespace,
                    &name,
                    &DeleteOptions::default(),
                ) {
                    Ok(outcome) if outcome.is_removed() => remaining -= 1,
                    Ok(_) | Err(ApiError::NotFound { .. }) => (),
                    Err(err) => return Err(err),
                }
            }
        }
        if remaining == 0 {
            api.remove(Resource::Namespaces, "", &namespace)?;
            finished.push(namespace);
        }
    }
    Ok(finished)
}
