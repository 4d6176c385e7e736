//! The garbage collector, lightly: dependents whose owners are all gone are deleted.
//!
//! Mirrors (v1.34) `pkg/controller/garbagecollector/garbagecollector.go`
//! (`attemptToDeleteItem`: an owner is absent when no object of its kind and name exists with
//! its UID; a dependent whose owners are all absent is deleted with background propagation).
//!
//! Simplifications: no dependency graph, no foreground deletion or orphaning, no
//! `blockOwnerDeletion`; owners of kinds the emulated API does not serve count as present
//! (upstream cannot resolve them either and leaves the dependent alone). Instead of upstream's
//! graph, a run after an earlier one looks only at what the store's change history says
//! changed since (an owner only goes absent by a deletion, which makes it look at everything).

use serde_json::Value;

use crate::apiserver::deletion::{delete_object, DeleteOptions};
use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::{ObjectKey, Resource, WatchEventType};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::SimTime;

/// Deletes every dependent whose owners are all gone; returns how many it deleted. Given the
/// store revision `since` which a run left nothing to delete, only objects added or changed
/// after it can have become garbage, unless something was deleted since (an owner may be
/// gone) or the history no longer reaches back: then, as without `since`, every object is
/// looked at. The same answer either way, in the same order.
pub fn collect_since(
    now: SimTime,
    api: &mut ApiServer,
    since: Option<u64>,
) -> Result<usize, ApiError> {
    api.check()?;
    let changed = since.and_then(|since| changed_objects(api, since));
    let mut doomed: Vec<(Resource, String, String)> = Vec::new();
    let mut consider = |api: &ApiServer, resource: Resource, object: &Value| {
        let meta = object.get("metadata");
        let owners = meta
            .and_then(|m| m.get("ownerReferences"))
            .and_then(Value::as_array);
        let Some(owners) = owners.filter(|o| !o.is_empty()) else {
            return;
        };
        if meta.and_then(|m| m.get("deletionTimestamp")).is_some() {
            return;
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
    };
    match changed {
        Some(keys) => {
            for key in keys {
                if let Some(object) = api.store().get_value(&key) {
                    consider(api, key.resource, object);
                }
            }
        }
        None => {
            for resource in Resource::ALL {
                for object in api.store().list_values(resource, None) {
                    consider(api, resource, object);
                }
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

/// The objects added or changed after revision `since`, in the order a full scan visits them
/// (by resource in [`Resource::ALL`] order, then by key); `None` when a full scan is needed:
/// something was deleted, or the history does not reach back to `since`.
fn changed_objects(api: &ApiServer, since: u64) -> Option<Vec<ObjectKey>> {
    let mut keys = std::collections::BTreeSet::new();
    for change in api.store().all_changes_since(since).ok()? {
        if change.event_type == WatchEventType::Deleted {
            return None;
        }
        keys.insert(change.key.clone());
    }
    let rank = |r: Resource| {
        Resource::ALL
            .iter()
            .position(|x| *x == r)
            .unwrap_or(usize::MAX)
    };
    let mut keys: Vec<ObjectKey> = keys.into_iter().collect();
    keys.sort_by(|a, b| {
        rank(a.resource)
            .cmp(&rank(b.resource))
            .then_with(|| a.cmp(b))
    });
    Some(keys)
}

/// No object of the owner's kind and name with its UID exists.
fn owner_absent(api: &ApiServer, owner: &Value, namespace: &str) -> bool {
    let field = |k: &str| owner.get(k).and_then(Value::as_str).unwrap_or_default();
    let Some(resource) = Resource::from_kind(field("kind")) else {
        return false;
    };
    let key = ObjectKey::new(resource, namespace, field("name"));
    match api.store().get_value(&key) {
        Some(found) => found.at("/metadata/uid").and_then(Value::as_str) != Some(field("uid")),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1 as corev1;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

    use super::*;
    use crate::apiserver::testutil::{api_with_namespaces, pod};

    /// A pod owned by the ConfigMap `owner` with `uid`.
    fn dependent(name: &str, owner: &str, uid: &str) -> corev1::Pod {
        let mut p = pod(name);
        p.metadata.owner_references = Some(vec![metav1::OwnerReference {
            api_version: "v1".into(),
            kind: "ConfigMap".into(),
            name: owner.into(),
            uid: uid.into(),
            ..Default::default()
        }]);
        p
    }

    fn config_map(api: &mut ApiServer, rng: &mut crate::sim::Rng, name: &str) -> String {
        let cm = corev1::ConfigMap {
            metadata: metav1::ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let created = api
            .create(SimTime::ZERO, rng, Resource::ConfigMaps, &cm)
            .unwrap();
        created.metadata.uid.unwrap()
    }

    /// Deleted: gone, or (had it been bound to a node) terminating.
    fn terminating(api: &ApiServer, name: &str) -> bool {
        match api.get::<corev1::Pod>(Resource::Pods, "default", name) {
            Ok(p) => p.metadata.deletion_timestamp.is_some(),
            Err(ApiError::NotFound { .. }) => true,
            Err(err) => panic!("{err:?}"),
        }
    }

    #[test]
    fn dependents_whose_owners_are_gone_are_deleted_and_the_others_kept() {
        let (mut api, mut rng) = api_with_namespaces();
        let uid = config_map(&mut api, &mut rng, "owner");
        for p in [
            dependent("kept", "owner", &uid),
            dependent("stale-uid", "owner", "another-uid"),
            dependent("no-owner", "missing", "x"),
        ] {
            api.create(SimTime::ZERO, &mut rng, Resource::Pods, &p)
                .unwrap();
        }
        assert_eq!(collect_since(SimTime::ZERO, &mut api, None), Ok(2));
        assert!(!terminating(&api, "kept"));
        assert!(terminating(&api, "stale-uid"));
        assert!(terminating(&api, "no-owner"));
    }

    #[test]
    fn a_run_from_a_clean_revision_finds_new_garbage_and_what_a_deleted_owner_leaves() {
        let (mut api, mut rng) = api_with_namespaces();
        let uid = config_map(&mut api, &mut rng, "owner");
        api.create(
            SimTime::ZERO,
            &mut rng,
            Resource::Pods,
            &dependent("a", "owner", &uid),
        )
        .unwrap();
        assert_eq!(collect_since(SimTime::ZERO, &mut api, None), Ok(0));
        let clean = api.store().revision();

        // A dependent added since, whose owner does not exist.
        api.create(
            SimTime::ZERO,
            &mut rng,
            Resource::Pods,
            &dependent("b", "missing", "x"),
        )
        .unwrap();
        assert_eq!(collect_since(SimTime::ZERO, &mut api, Some(clean)), Ok(1));
        assert!(terminating(&api, "b"));
        assert!(!terminating(&api, "a"));

        // The owner deleted since: the unchanged dependent is found too.
        let clean = api.store().revision();
        api.remove(Resource::ConfigMaps, "default", "owner")
            .unwrap();
        assert_eq!(collect_since(SimTime::ZERO, &mut api, Some(clean)), Ok(1));
        assert!(terminating(&api, "a"));
    }
}
