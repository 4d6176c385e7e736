//! The service account controller: every active namespace has a `default` ServiceAccount; one
//! that is missing (a new namespace, or a deleted account) is created.
//!
//! Mirrors (v1.34) `pkg/controller/serviceaccount/serviceaccounts_controller.go`
//! (`syncNamespace`: skip terminating namespaces, create each configured account that does
//! not exist; kube-controller-manager configures just `default`).

use serde_json::json;

use crate::apiserver::helpers::active_namespaces;
use crate::apiserver::registry::create_object;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// The account every namespace gets.
pub const DEFAULT_SERVICE_ACCOUNT: &str = "default";

/// Creates `default` in every namespace that is not terminating and lacks it; returns the
/// namespaces it created one in.
pub fn sync_all(now: SimTime, rng: &mut Rng, api: &mut ApiServer) -> Result<Vec<String>, ApiError> {
    api.check()?;
    let namespaces = active_namespaces(api);
    let mut created = Vec::new();
    for namespace in namespaces {
        let key = ObjectKey::new(
            Resource::ServiceAccounts,
            &namespace,
            DEFAULT_SERVICE_ACCOUNT,
        );
        if api.store().get_value(&key).is_some() {
            continue;
        }
        let account = json!({
            "metadata": {"name": DEFAULT_SERVICE_ACCOUNT, "namespace": namespace},
        });
        match create_object(now, rng, api, Resource::ServiceAccounts, &account) {
            Ok(_) => created.push(namespace),
            // The namespace began terminating in between: nothing to do.
            Err(ApiError::Forbidden { .. }) => (),
            Err(err) => return Err(err),
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::testutil::two_node_cluster;

    #[test]
    fn a_new_namespace_gets_a_default_service_account() {
        let (mut api, mut rng) = two_node_cluster();
        let first = sync_all(SimTime::ZERO, &mut rng, &mut api).unwrap();
        assert!(first.contains(&"default".to_string()), "{first:?}");
        create_object(
            SimTime::ZERO,
            &mut rng,
            &mut api,
            Resource::Namespaces,
            &json!({"metadata": {"name": "team-a"}}),
        )
        .unwrap();
        assert_eq!(
            sync_all(SimTime::ZERO, &mut rng, &mut api).unwrap(),
            ["team-a"]
        );
        let sa: serde_json::Value = api
            .get(Resource::ServiceAccounts, "team-a", "default")
            .unwrap();
        assert_eq!(sa["kind"], "ServiceAccount");
        assert!(sync_all(SimTime::ZERO, &mut rng, &mut api)
            .unwrap()
            .is_empty());
    }
}
