//! The node lease controller against an in-memory API server: creation with the Node as owner,
//! renewals, the ensure backoff while the server is down, and recovery from a deleted lease.

use k8s_openapi::api::coordination::v1 as coordv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::*;
use crate::sim::trace::{Event, Trace};
use crate::sim::{Rng, SimTime};

const NODE: &str = "node01";
const TARGET: LeaseTarget<'static> = LeaseTarget {
    node: NODE,
    server: "https://controlplane:6443",
};

struct World {
    api: ApiServer,
    rng: Rng,
    trace: Trace,
    now: SimTime,
    lease: NodeLeaseController,
}

impl World {
    fn new(with_node: bool) -> World {
        let mut api = ApiServer::new("172.30.1.2:6443");
        let mut rng = Rng::seeded(1);
        if with_node {
            let node = corev1::Node {
                metadata: ObjectMeta {
                    name: Some(NODE.into()),
                    ..Default::default()
                },
                ..Default::default()
            };
            let _: corev1::Node = api
                .create(SimTime::ZERO, &mut rng, Resource::Nodes, &node)
                .unwrap();
        }
        World {
            api,
            rng,
            trace: Trace::default(),
            now: SimTime::ZERO,
            lease: NodeLeaseController::default(),
        }
    }

    /// Runs the controller now, then moves the clock to its next run; returns the wait.
    fn sync(&mut self) -> SimDuration {
        let mut ctx = Ctx {
            now: self.now,
            host: NODE,
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        let next = self.lease.sync(&mut ctx, &mut self.api, &TARGET);
        self.now += next;
        next
    }

    fn stored(&self) -> Option<coordv1::Lease> {
        self.api
            .get(Resource::Leases, NODE_LEASE_NAMESPACE, NODE)
            .ok()
    }

    /// The log messages recorded so far, in order.
    fn messages(&self) -> Vec<String> {
        self.trace
            .records()
            .iter()
            .filter_map(|r| match &r.event {
                Event::Log(line) => Some(line.message.to_string()),
                _ => None,
            })
            .collect()
    }
}

fn renew_millis(lease: &coordv1::Lease) -> i64 {
    lease
        .spec
        .as_ref()
        .unwrap()
        .renew_time
        .as_ref()
        .unwrap()
        .0
        .as_millisecond()
}

#[test]
fn creates_the_lease_owned_by_the_node_and_renews_it_every_ten_seconds() {
    let mut w = World::new(true);
    assert_eq!(w.sync(), RENEW_INTERVAL);
    let lease = w.stored().expect("created");
    let spec = lease.spec.clone().unwrap();
    assert_eq!(spec.holder_identity.as_deref(), Some(NODE));
    assert_eq!(spec.lease_duration_seconds, Some(40));
    let owners = lease.metadata.owner_references.clone().unwrap();
    assert_eq!(
        (owners[0].kind.as_str(), owners[0].name.as_str()),
        ("Node", NODE)
    );
    assert!(!owners[0].uid.is_empty());
    let first = renew_millis(&lease);

    assert_eq!(w.sync(), RENEW_INTERVAL);
    let renewed = w.stored().unwrap();
    assert_eq!(renew_millis(&renewed) - first, 10_000);
    assert!(w.messages().is_empty(), "{:?}", w.messages());
}

#[test]
fn backs_off_from_200ms_to_7s_while_the_server_is_down_then_creates() {
    let mut w = World::new(true);
    w.api.set_serving(false);
    let waits: Vec<String> = (0..8).map(|_| w.sync().to_string()).collect();
    assert_eq!(
        waits,
        ["200ms", "400ms", "800ms", "1.6s", "3.2s", "6.4s", "7s", "7s"]
    );
    let messages = w.messages();
    assert_eq!(messages.len(), 8);
    assert!(messages
        .iter()
        .all(|m| m == "Failed to ensure lease exists, will retry"));
    let first = w.trace.records().iter().find_map(|r| match &r.event {
        Event::Log(line) => Some(line.clone()),
        _ => None,
    });
    let first = first.unwrap();
    assert_eq!(
        first.field("err"),
        Some("Get \"https://controlplane:6443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node01?timeout=10s\": dial tcp 172.30.1.2:6443: connect: connection refused")
    );
    assert_eq!(first.field("interval"), Some("200ms"));

    w.api.set_serving(true);
    assert_eq!(w.sync(), RENEW_INTERVAL);
    assert!(w.stored().is_some());
    // Out of the backoff: the next failure (five failed renewals, then the fallback to
    // ensuring the lease) starts again at 200 ms.
    w.api.set_serving(false);
    assert_eq!(w.sync().to_string(), "200ms");
}

#[test]
fn no_lease_without_its_node_to_own_it() {
    let mut w = World::new(false);
    assert_eq!(w.sync(), RENEW_INTERVAL);
    assert!(w.stored().is_none());
    assert_eq!(
        w.messages(),
        ["Failed to get node when trying to set owner ref to the node lease"]
    );
}

#[test]
fn a_deleted_lease_is_created_again_after_five_failed_renewals() {
    let mut w = World::new(true);
    w.sync();
    let key = crate::apiserver::store::ObjectKey::new(Resource::Leases, NODE_LEASE_NAMESPACE, NODE);
    w.api.store_mut().remove(&key);
    assert_eq!(w.sync(), RENEW_INTERVAL);
    let messages = w.messages();
    assert_eq!(messages.len(), 6, "{messages:?}");
    assert!(messages[..5].iter().all(|m| m == "Failed to update lease"));
    assert_eq!(
        messages[5],
        "failed to update lease using latest lease, fallback to ensure lease"
    );
    assert!(w.stored().is_some());
}
