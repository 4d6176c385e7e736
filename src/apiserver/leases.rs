//! Leases (coordination.k8s.io/v1): the leader-election Leases the controller manager and the
//! scheduler hold in `kube-system`. (Each node's heartbeat Lease in `kube-node-lease` is the
//! kubelet's own: `kubelet::node_lease`.)
//!
//! Mirrors (v1.34) `staging/src/k8s.io/client-go/tools/leaderelection/resourcelock/leaselock.go`
//! with `leaderelection.go` (`tryAcquireOrRenew`: holder `<hostname>_<uuid>`, duration 15 s,
//! `leaseTransitions` counted when the holder changes).
//!
//! Here the leader-election Leases are written as the cluster's history left them (by the
//! processes about to start at power-on); `leader_election` renews and hands them over while
//! the components run.

use serde_json::{json, Value};

use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::registry::create_object;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::wallclock::rfc3339_micro;
use crate::sim::{Rng, SimTime};

/// The namespace of the node Leases.
pub const NODE_LEASE_NAMESPACE: &str = "kube-node-lease";
/// The components' `--leader-elect-lease-duration` default.
pub const LEADER_LEASE_DURATION_SECONDS: i64 = 15;

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
            .at("/spec/leaseTransitions")
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
