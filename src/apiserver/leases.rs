//! Leases (coordination.k8s.io/v1): each node's heartbeat Lease in `kube-node-lease`, and the
//! leader-election Leases the controller manager and the scheduler hold in `kube-system`.
//!
//! Mirrors (v1.34) `pkg/kubelet/nodelease` and `staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go`
//! (`newLease`: holder = node name, `leaseDurationSeconds` 40, the Node as owner, `renewTime`
//! now) and `staging/src/k8s.io/client-go/tools/leaderelection/resourcelock/leaselock.go`
//! with `leaderelection.go` (`tryAcquireOrRenew`: holder `<hostname>_<uuid>`, duration 15 s,
//! `leaseTransitions` counted when the holder changes).
//!
//! Simplifications: the leader-election Leases are written when their component (re)starts,
//! not renewed every two seconds while it runs.

use serde_json::{json, Value};

use crate::apiserver::registry::create_object;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::wallclock::rfc3339_micro;
use crate::sim::{Rng, SimTime};

/// The namespace of the node Leases.
pub const NODE_LEASE_NAMESPACE: &str = "kube-node-lease";
/// The kubelet's `nodeLeaseDurationSeconds` default.
pub const NODE_LEASE_DURATION_SECONDS: i64 = 40;
/// The components' `--leader-elect-lease-duration` default.
pub const LEADER_LEASE_DURATION_SECONDS: i64 = 15;

/// Creates the Lease of node `node_name` or renews it (`renewTime` now, holder the node), as
/// the kubelet's node lease controller does on every renew interval. Returns the stored
/// Lease. A node that is not registered gets a Lease without an owner.
pub fn ensure_node_lease(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    node_name: &str,
) -> Result<Value, ApiError> {
    api.check()?;
    let key = ObjectKey::new(Resource::Leases, NODE_LEASE_NAMESPACE, node_name);
    if let Some(existing) = api.store().get_value(&key).cloned() {
        let mut lease = existing;
        if let Some(spec) = lease.get_mut("spec").and_then(Value::as_object_mut) {
            spec.insert("holderIdentity".into(), json!(node_name));
            spec.insert(
                "leaseDurationSeconds".into(),
                json!(NODE_LEASE_DURATION_SECONDS),
            );
            spec.insert("renewTime".into(), json!(rfc3339_micro(now)));
        }
        return api.update(Resource::Leases, &lease);
    }
    let node_key = ObjectKey::new(Resource::Nodes, "", node_name);
    let owner = api
        .store()
        .get_value(&node_key)
        .and_then(|node| node.pointer("/metadata/uid"))
        .and_then(Value::as_str)
        .map(|uid| {
            json!([{
                "apiVersion": "v1",
                "kind": "Node",
                "name": node_name,
                "uid": uid,
            }])
        });
    let mut metadata = json!({"name": node_name, "namespace": NODE_LEASE_NAMESPACE});
    if let Some(owner) = owner {
        metadata["ownerReferences"] = owner;
    }
    let lease = json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": metadata,
        "spec": {
            "holderIdentity": node_name,
            "leaseDurationSeconds": NODE_LEASE_DURATION_SECONDS,
            "renewTime": rfc3339_micro(now),
        },
    });
    create_object(now, rng, api, Resource::Leases, &lease)
}

/// Takes the leader-election Lease `name` in `kube-system` for a new process of the
/// component on `host` (holder `<host>_<uuid>`), as leader election does when the previous
/// holder is gone. Returns the stored Lease.
pub fn acquire_leader_lease(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    name: &str,
    host: &str,
) -> Result<Value, ApiError> {
    api.check()?;
    let holder = format!("{host}_{}", rng.uuid());
    let spec = |transitions: i64| {
        json!({
            "acquireTime": rfc3339_micro(now),
            "holderIdentity": holder,
            "leaseDurationSeconds": LEADER_LEASE_DURATION_SECONDS,
            "leaseTransitions": transitions,
            "renewTime": rfc3339_micro(now),
        })
    };
    let key = ObjectKey::new(Resource::Leases, "kube-system", name);
    if let Some(mut lease) = api.store().get_value(&key).cloned() {
        let transitions = lease
            .pointer("/spec/leaseTransitions")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        lease["spec"] = spec(transitions + 1);
        return api.update(Resource::Leases, &lease);
    }
    let lease = json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": name, "namespace": "kube-system"},
        "spec": spec(0),
    });
    create_object(now, rng, api, Resource::Leases, &lease)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::testutil::two_node_cluster;
    use crate::sim::SimDuration;

    #[test]
    fn a_node_lease_is_owned_by_its_node_and_renewed_in_place() {
        let (mut api, mut rng) = two_node_cluster();
        let created = ensure_node_lease(SimTime::ZERO, &mut rng, &mut api, "node01").unwrap();
        assert_eq!(created["spec"]["holderIdentity"], "node01");
        assert_eq!(created["spec"]["leaseDurationSeconds"], 40);
        assert_eq!(created["metadata"]["ownerReferences"][0]["kind"], "Node");
        let uid = created["metadata"]["uid"].clone();
        let later = SimTime::ZERO + SimDuration::from_secs(10);
        let renewed = ensure_node_lease(later, &mut rng, &mut api, "node01").unwrap();
        assert_eq!(renewed["metadata"]["uid"], uid);
        assert_eq!(
            renewed["spec"]["renewTime"].as_str(),
            Some(rfc3339_micro(later).as_str())
        );
        assert!(renewed["spec"]["renewTime"]
            .as_str()
            .unwrap()
            .ends_with(".000000Z"));
    }

    #[test]
    fn a_new_leader_counts_a_transition() {
        let (mut api, mut rng) = two_node_cluster();
        let first = acquire_leader_lease(
            SimTime::ZERO,
            &mut rng,
            &mut api,
            "kube-scheduler",
            "controlplane",
        )
        .unwrap();
        let holder = first["spec"]["holderIdentity"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            holder.starts_with("controlplane_") && holder.len() == 13 + 36,
            "{holder}"
        );
        assert_eq!(first["spec"]["leaseTransitions"], 0);
        let second = acquire_leader_lease(
            SimTime::ZERO,
            &mut rng,
            &mut api,
            "kube-scheduler",
            "controlplane",
        )
        .unwrap();
        assert_eq!(second["spec"]["leaseTransitions"], 1);
        assert_ne!(
            second["spec"]["holderIdentity"],
            first["spec"]["holderIdentity"]
        );
    }
}
