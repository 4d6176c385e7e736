//! Leader election of kube-controller-manager and kube-scheduler through their Leases in
//! `kube-system`. Mirrors (v1.34) `staging/src/k8s.io/client-go/tools/leaderelection/`
//! `leaderelection.go` (`acquire`, `renew`, `tryAcquireOrRenew`, `isLeaseValid`) with
//! `resourcelock/leaselock.go`, and the components' defaults (`--leader-elect-lease-duration`
//! 15 s, `--leader-elect-renew-deadline` 10 s, `--leader-elect-retry-period` 2 s).
//!
//! A process that starts gets a new identity `<host>_<uuid>` and tries at once, then every retry
//! period: it takes the Lease when nobody holds it, when it is the holder, or when the record it
//! last saw has not changed for a lease duration (measured from when *it* saw the change, as
//! upstream does, not from the stored `renewTime`); taking it from another holder sets
//! `acquireTime` and counts a transition. The leader renews every retry period while its process
//! runs; when the process stops, renewals stop, and the next process waits for the record to
//! expire. Only the leader's controllers (or scheduler) run.
//!
//! Simplifications: no jitter on the acquire retries (upstream waits 2–4.4 s between tries; here
//! exactly 2 s, so the simulation's random stream does not move); a leader whose renewals fail
//! (the API server is down) keeps leading instead of giving up after the renew deadline and
//! exiting (upstream's "leaderelection lost", after which the kubelet restarts the container);
//! leases are never released on shutdown (neither component sets `ReleaseOnCancel`); the
//! process's own `successfully acquired lease` line comes at its next step (the runtime's
//! component model, up to 2 s later); no `LeaderElection` events are recorded.

use serde_json::{json, Value};

use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::leases::LEADER_LEASE_DURATION_SECONDS;
use crate::apiserver::registry::create_object;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::ApiServer;
use crate::sim::wallclock::rfc3339_micro;
use crate::sim::{Rng, SimDuration, SimTime};

/// `--leader-elect-retry-period`: how often a candidate tries and the leader renews.
pub const RETRY_PERIOD: SimDuration = SimDuration::from_secs(2);

/// The namespace of the leader-election Leases.
const LEASE_NAMESPACE: &str = "kube-system";

/// One component's elector: the process now running (if any) and what it knows.
#[derive(Debug, Clone, Default)]
pub struct LeaderElector {
    /// This process's identity; `None` while the component does not run.
    identity: Option<String>,
    /// An identity the next process takes instead of a new one (the holder the cluster's
    /// Leases were written for before its first boot).
    adopted: Option<String>,
    /// Whether this process leads.
    leading: bool,
    /// Whether this process's identity is the holder the Lease was written for (adopted): its
    /// tries succeed whenever the API server answers.
    holder_of_record: bool,
    /// `observedRecord` (the spec as last read) and `observedTime` (when it last changed).
    observed: Option<(Value, SimTime)>,
    /// When the next try (or renewal) is due.
    next_try: SimTime,
    /// The resourceVersion of the Lease as this process last wrote it.
    written: Option<u64>,
}

impl LeaderElector {
    /// Whether the running process leads.
    pub fn leading(&self) -> bool {
        self.leading
    }

    /// Whether the component's process leads or will lead as soon as the API server answers
    /// (it is the holder of record, or the next process will be): `false` while it waits for
    /// another holder's Lease to expire.
    pub fn may_lead(&self) -> bool {
        self.leading || self.holder_of_record || (self.identity.is_none() && self.adopted.is_some())
    }

    /// The running process's identity, if it runs.
    pub fn identity(&self) -> Option<&str> {
        self.identity.as_deref()
    }

    /// Makes the next process use `identity` (the holder a Lease was written for at power-on).
    pub fn adopt(&mut self, identity: &str) {
        self.adopted = Some(identity.to_string());
    }

    /// Whether a try is due at `now` for a component whose process runs or not: a process that
    /// started or stopped changes the elector, and a running one tries every retry period.
    pub fn due(&self, now: SimTime, running: bool) -> bool {
        running != self.identity.is_some() || (running && self.next_try <= now)
    }

    /// Follows the component's process at `now` and tries to acquire or renew the Lease `name`
    /// when a try is due. Says whether it wrote the Lease.
    pub fn step(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
        name: &str,
        running_on: Option<&str>,
    ) -> bool {
        let Some(host) = running_on else {
            // The process is gone: its renewals stop, and its successor starts afresh.
            self.identity = None;
            self.leading = false;
            self.holder_of_record = false;
            self.observed = None;
            self.written = None;
            return false;
        };
        if self.identity.is_none() {
            self.holder_of_record = self.adopted.is_some();
            let identity = match self.adopted.take() {
                Some(identity) => identity,
                None => format!("{host}_{}", rng.uuid()),
            };
            self.identity = Some(identity);
            self.next_try = now;
        }
        if now < self.next_try {
            return false;
        }
        self.next_try = now + RETRY_PERIOD;
        self.try_acquire_or_renew(now, rng, api, name)
    }

    /// `tryAcquireOrRenew`: says whether it wrote the Lease (and so leads).
    fn try_acquire_or_renew(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
        name: &str,
    ) -> bool {
        if self.identity.is_none() || api.check().is_err() {
            return false;
        }
        let key = ObjectKey::new(Resource::Leases, LEASE_NAMESPACE, name);
        // The common case, kept cheap: the leader renewing the record it wrote last, which
        // nobody changed since (same resourceVersion): only `renewTime` moves.
        if let Some(stored) = api.store().get_value(&key) {
            let unchanged = self.leading
                && self.written.is_some()
                && stored
                    .at("/metadata/resourceVersion")
                    .and_then(Value::as_str)
                    .and_then(|v| v.parse::<u64>().ok())
                    == self.written;
            if unchanged {
                let renewed = Value::String(rfc3339_micro(now));
                let mut lease = stored.clone();
                lease["spec"]["renewTime"] = renewed.clone();
                api.store_mut().put_shared(key, lease);
                self.written = Some(api.store().revision());
                if let Some((record, at)) = &mut self.observed {
                    record["renewTime"] = renewed;
                    *at = now;
                }
                return true;
            }
        }
        // Copied only past the renewal above, which does not need it.
        let Some(identity) = self.identity.clone() else {
            return false;
        };
        let Some(mut lease) = api.store().get_value(&key).cloned() else {
            let spec = json!({
                "acquireTime": rfc3339_micro(now),
                "holderIdentity": identity,
                "leaseDurationSeconds": LEADER_LEASE_DURATION_SECONDS,
                "leaseTransitions": 0,
                "renewTime": rfc3339_micro(now),
            });
            let lease = json!({
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {"name": name, "namespace": LEASE_NAMESPACE},
                "spec": spec,
            });
            let created = create_object(now, rng, api, Resource::Leases, &lease).ok();
            return self.wrote(now, created.as_ref());
        };
        let record = lease.get("spec").cloned().unwrap_or(Value::Null);
        if self
            .observed
            .as_ref()
            .is_none_or(|(seen, _)| *seen != record)
        {
            self.observed = Some((record.clone(), now));
        }
        let holder = record
            .get("holderIdentity")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let duration = record
            .get("leaseDurationSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let observed_at = self.observed.as_ref().map_or(now, |(_, at)| *at);
        let valid = observed_at + SimDuration::from_secs(duration.max(0) as u64) > now;
        if !holder.is_empty() && holder != identity && valid {
            self.leading = false;
            self.written = None;
            return false;
        }
        // The record is written afresh (`LeaseSpecFromLeaderElectionRecord`): a leader keeps its
        // acquire time and the transition count, anyone else takes over and counts one.
        let transitions = record
            .get("leaseTransitions")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let (acquired, transitions) = if holder == identity {
            (record.get("acquireTime").cloned(), transitions)
        } else {
            (None, transitions + 1)
        };
        let spec = json!({
            "acquireTime": acquired.unwrap_or_else(|| json!(rfc3339_micro(now))),
            "holderIdentity": identity,
            "leaseDurationSeconds": LEADER_LEASE_DURATION_SECONDS,
            "leaseTransitions": transitions,
            "renewTime": rfc3339_micro(now),
        });
        lease["spec"] = spec;
        let updated = api.update(Resource::Leases, &lease).ok();
        self.wrote(now, updated.as_ref())
    }

    /// Records the outcome of a write: the stored Lease is what this process now observes.
    fn wrote(&mut self, now: SimTime, stored: Option<&Value>) -> bool {
        let Some(stored) = stored else {
            return false;
        };
        self.observed = Some((stored.get("spec").cloned().unwrap_or(Value::Null), now));
        self.written = stored
            .at("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .and_then(|v| v.parse::<u64>().ok());
        self.leading = true;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::leases::acquire_leader_lease;
    use crate::apiserver::testutil::two_node_cluster;

    fn spec(api: &ApiServer) -> Value {
        let key = ObjectKey::new(Resource::Leases, LEASE_NAMESPACE, "kube-scheduler");
        api.store().get_value(&key).unwrap()["spec"].clone()
    }

    #[test]
    fn the_leader_renews_every_retry_period_and_a_successor_waits_for_expiry() {
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
        let mut elector = LeaderElector::default();
        elector.adopt(&holder);
        let at = |s: u64| SimTime::ZERO + SimDuration::from_secs(s);
        let host = Some("controlplane");
        assert!(elector.step(at(1), &mut rng, &mut api, "kube-scheduler", host));
        assert!(elector.leading());
        assert!(!elector.due(at(2), true));
        assert!(elector.due(at(3), true));
        assert!(elector.step(at(3), &mut rng, &mut api, "kube-scheduler", host));
        assert_eq!(spec(&api)["renewTime"], rfc3339_micro(at(3)));
        assert_eq!(spec(&api)["holderIdentity"], holder.as_str());
        assert_eq!(spec(&api)["leaseTransitions"], 0);
        // The process stops; a new one starts a second later and waits 15 s from its first look.
        assert!(!elector.step(at(4), &mut rng, &mut api, "kube-scheduler", None));
        assert!(!elector.leading());
        let mut wrote_at = None;
        for s in 5..30 {
            if elector.step(at(s), &mut rng, &mut api, "kube-scheduler", host) {
                wrote_at = Some(s);
                break;
            }
        }
        // Tries at 5, 7, ..., 19 see an unexpired record; 21 is the first try 15 s after 5.
        assert_eq!(wrote_at, Some(21));
        let taken = spec(&api);
        assert_ne!(taken["holderIdentity"], holder.as_str());
        assert_eq!(taken["leaseTransitions"], 1);
        assert_eq!(taken["acquireTime"], rfc3339_micro(at(21)));
    }

    #[test]
    fn a_missing_lease_is_created_and_held_at_once() {
        let (mut api, mut rng) = two_node_cluster();
        let mut elector = LeaderElector::default();
        assert!(elector.step(
            SimTime::ZERO,
            &mut rng,
            &mut api,
            "kube-scheduler",
            Some("controlplane")
        ));
        assert_eq!(spec(&api)["leaseTransitions"], 0);
        assert_eq!(spec(&api)["holderIdentity"].as_str(), elector.identity());
    }
}
