//! Mirrors the kubelet's node lease (v1.34): `component-helpers/apimachinery/lease/controller.go`
//! (`sync`, `backoffEnsureLease`, `ensureLease`, `retryUpdateLease`, `newLease`) as the kubelet
//! runs it, with `pkg/kubelet/util/nodelease.go` (`SetNodeOwnerFunc`) making the Node the
//! lease's owner. The lease `kube-node-lease/<node>` is the kubelet's heartbeat: renewed every
//! `nodeLeaseDurationSeconds / 4` (10 s), while the Node's status is posted only when it
//! changes or every `nodeStatusReportFrequency` (see `node_status`).
//!
//! The controller's goroutine blocks inside `backoffEnsureLease` while the lease cannot be read
//! or created (the API server is down): each retry is a timer here, 200 ms doubling to 7 s, so
//! the journal shows upstream's "Failed to ensure lease exists, will retry" cadence.
//!
//! Simplified: no ±4 % jitter on the renew period (the simulation's timers are exact); a
//! conflict while renewing fetches the lease once instead of entering a second backoff loop
//! (only a learner editing the lease can cause one); `nodeLeaseDurationSeconds` is the
//! default 40 (the config field is accepted but not read).

use k8s_openapi::api::coordination::v1 as coordv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

pub use crate::apiserver::leases::NODE_LEASE_NAMESPACE;
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::kubelet::context::Ctx;
use crate::sim::trace::LogLine;
use crate::sim::wallclock::k8s_time;
use crate::sim::SimDuration;

/// `nodeLeaseDurationSeconds`' default.
pub const NODE_LEASE_DURATION_SECONDS: i32 = 40;
/// How often the lease is renewed: a quarter of its duration (`nodeLeaseRenewIntervalFraction`).
pub const RENEW_INTERVAL: SimDuration = SimDuration::from_secs(10);
/// `maxUpdateRetries`: immediate retries of a failed renewal.
const MAX_UPDATE_RETRIES: usize = 5;
/// `backoffEnsureLease`'s first sleep before doubling.
const FIRST_BACKOFF: SimDuration = SimDuration::from_millis(100);
/// `maxBackoff`.
const MAX_BACKOFF: SimDuration = SimDuration::from_secs(7);

/// The lease controller of one kubelet process.
#[derive(Debug, Clone, Default)]
pub struct NodeLeaseController {
    /// `latestLease`: the lease as this controller last wrote or read it.
    latest: Option<coordv1::Lease>,
    /// The sleep of `backoffEnsureLease` in progress, if the lease could not be ensured.
    backoff: Option<SimDuration>,
}

/// Where the controller's requests go, for the errors it logs.
pub struct LeaseTarget<'a> {
    /// The node (and lease) name.
    pub node: &'a str,
    /// The kubeconfig's API server URL.
    pub server: &'a str,
}

impl LeaseTarget<'_> {
    fn lease_url(&self) -> String {
        format!(
            "{}/apis/coordination.k8s.io/v1/namespaces/{NODE_LEASE_NAMESPACE}/leases/{}?timeout=10s",
            self.server, self.node
        )
    }

    fn collection_url(&self) -> String {
        format!(
            "{}/apis/coordination.k8s.io/v1/namespaces/{NODE_LEASE_NAMESPACE}/leases?timeout=10s",
            self.server
        )
    }

    /// A request error as client-go words it: transport errors name the request.
    fn error(&self, verb: &str, url: String, err: &ApiError) -> String {
        match err {
            ApiError::Unreachable { .. } => format!("{verb} \"{url}\": {err}"),
            _ => err.to_string(),
        }
    }
}

impl NodeLeaseController {
    /// One run of the controller (`sync`, or the next retry of a `backoffEnsureLease` in
    /// progress); returns how long until the next run.
    pub fn sync(
        &mut self,
        ctx: &mut Ctx<'_>,
        api: &mut ApiServer,
        target: &LeaseTarget<'_>,
    ) -> SimDuration {
        if self.backoff.is_none() {
            if let Some(latest) = &self.latest {
                match retry_update(ctx, api, target, latest) {
                    Ok(updated) => {
                        self.latest = Some(updated);
                        return RENEW_INTERVAL;
                    }
                    Err(err) => ctx.log(
                        LogLine::info(
                            0,
                            "controller.go:115",
                            "failed to update lease using latest lease, fallback to ensure lease",
                        )
                        .with("err", err),
                    ),
                }
            }
        }
        let (lease, created) = match ensure(ctx, api, target) {
            Ok(found) => found,
            Err(err) => {
                let doubled = self
                    .backoff
                    .unwrap_or(FIRST_BACKOFF)
                    .as_millis()
                    .saturating_mul(2);
                let sleep = SimDuration::from_millis(doubled).min(MAX_BACKOFF);
                self.backoff = Some(sleep);
                ctx.log(
                    LogLine::error(
                        "controller.go:145",
                        "Failed to ensure lease exists, will retry",
                    )
                    .with("err", err)
                    .with("interval", sleep.to_string()),
                );
                return sleep;
            }
        };
        self.backoff = None;
        self.latest = lease;
        if let (Some(lease), false) = (&self.latest, created) {
            match retry_update(ctx, api, target, lease) {
                Ok(updated) => self.latest = Some(updated),
                Err(err) => ctx.log(
                    LogLine::error("controller.go:123", "Will retry updating lease")
                        .with("err", err)
                        .with("interval", RENEW_INTERVAL.to_string()),
                ),
            }
        }
        RENEW_INTERVAL
    }
}

/// `ensureLease`: the lease as stored, or the one this call created (`true`); `None` when
/// it could not be prepared (the Node is not there to own it) and so was not created.
fn ensure(
    ctx: &mut Ctx<'_>,
    api: &mut ApiServer,
    target: &LeaseTarget<'_>,
) -> Result<(Option<coordv1::Lease>, bool), String> {
    match api.get::<coordv1::Lease>(Resource::Leases, NODE_LEASE_NAMESPACE, target.node) {
        Ok(lease) => Ok((Some(lease), false)),
        Err(ApiError::NotFound { .. }) => {
            let Some(lease) = new_lease(ctx, api, target, None) else {
                return Ok((None, false));
            };
            match api.create(ctx.now, ctx.rng, Resource::Leases, &lease) {
                Ok(created) => Ok((Some(created), true)),
                Err(err) => Err(target.error("Post", target.collection_url(), &err)),
            }
        }
        Err(err) => Err(target.error("Get", target.lease_url(), &err)),
    }
}

/// `retryUpdateLease`: up to five renewals of `base` in a row; returns the lease written (the
/// caller's new latest). `base` is borrowed: each try copies it once, as `newLease` does.
fn retry_update(
    ctx: &mut Ctx<'_>,
    api: &mut ApiServer,
    target: &LeaseTarget<'_>,
    base: &coordv1::Lease,
) -> Result<coordv1::Lease, String> {
    // The lease read again after a conflict, which later tries renew instead of `base`.
    let mut fresh: Option<coordv1::Lease> = None;
    for _ in 0..MAX_UPDATE_RETRIES {
        let Some(lease) = new_lease(ctx, api, target, Some(fresh.as_ref().unwrap_or(base))) else {
            ctx.log(LogLine::error(
                "controller.go:188",
                "Failed to prepare lease",
            ));
            continue;
        };
        match api.update(Resource::Leases, &lease) {
            Ok(updated) => return Ok(updated),
            Err(err) => {
                ctx.log(
                    LogLine::error("controller.go:195", "Failed to update lease")
                        .with("err", target.error("Put", target.lease_url(), &err)),
                );
                if matches!(err, ApiError::Conflict { .. }) {
                    if let Ok((Some(read), _)) = ensure(ctx, api, target) {
                        fresh = Some(read);
                    }
                }
            }
        }
    }
    Err(format!(
        "failed {MAX_UPDATE_RETRIES} attempts to update lease"
    ))
}

/// `newLease` with the kubelet's `SetNodeOwnerFunc`: a copy of `base` (or a new lease) renewed
/// now, owned by the Node. `None` when the owner is missing and the Node cannot be read (the
/// error is logged), which blocks a create; upstream's renewal goes on without it.
fn new_lease(
    ctx: &mut Ctx<'_>,
    api: &ApiServer,
    target: &LeaseTarget<'_>,
    base: Option<&coordv1::Lease>,
) -> Option<coordv1::Lease> {
    let mut lease = base.cloned().unwrap_or_else(|| coordv1::Lease {
        metadata: metav1::ObjectMeta {
            name: Some(target.node.to_string()),
            namespace: Some(NODE_LEASE_NAMESPACE.to_string()),
            ..Default::default()
        },
        spec: Some(coordv1::LeaseSpec {
            holder_identity: Some(target.node.to_string()),
            ..Default::default()
        }),
    });
    let spec = lease.spec.get_or_insert_with(Default::default);
    spec.lease_duration_seconds = Some(NODE_LEASE_DURATION_SECONDS);
    spec.renew_time = Some(metav1::MicroTime(k8s_time(ctx.now).0));
    if lease
        .metadata
        .owner_references
        .as_ref()
        .is_none_or(Vec::is_empty)
    {
        // Shared with the store: only the Node's UID is read.
        match api.get_shared::<corev1::Node>(Resource::Nodes, "", target.node) {
            Ok(node) => {
                lease.metadata.owner_references = Some(vec![metav1::OwnerReference {
                    api_version: "v1".to_string(),
                    kind: "Node".to_string(),
                    name: target.node.to_string(),
                    uid: node.metadata.uid.clone().unwrap_or_default(),
                    ..Default::default()
                }]);
            }
            Err(err) => {
                ctx.log(
                    LogLine::error(
                        "nodelease.go:49",
                        "Failed to get node when trying to set owner ref to the node lease",
                    )
                    .with("err", target.error("Get", node_url(target), &err))
                    .with("node", target.node),
                );
                return None;
            }
        }
    }
    Some(lease)
}

fn node_url(target: &LeaseTarget<'_>) -> String {
    format!("{}/api/v1/nodes/{}", target.server, target.node)
}

#[cfg(test)]
mod tests;
