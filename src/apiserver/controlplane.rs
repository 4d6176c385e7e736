//! The facade the world drives: once a second, whatever control-plane work is due, given which
//! control-plane processes run.
//!
//! Mirrors the division of labour of a kubeadm control plane (v1.34): kube-apiserver's own
//! housekeeping (`pkg/controlplane/controller/systemnamespaces`, the event TTL) happens
//! whenever it serves; the controllers run only inside kube-controller-manager
//! (`cmd/kube-controller-manager/app/controllermanager.go`); binding only inside
//! kube-scheduler. A process that restarts loses its memory (scheduler back-offs, node health
//! timestamps, scheduled evictions).
//!
//! Simplifications: controllers run in a fixed order within the tick (node lifecycle, taint
//! eviction, deployment, replicaset, daemonset, endpoints, endpointslice, garbage collector,
//! namespace, root CA publisher, service account, persistent volume binder), then the
//! scheduler; kube-apiserver's own housekeeping (system namespaces, event expiry, the
//! `kubernetes` Service) runs before them; everything that happens in one tick is visible to the next step at once.
//!
//! Like upstream's informer-driven components, each step reacts to changes instead of
//! re-listing on every tick: it runs when a resource it reads changed since its last run (a
//! change counter per resource, [`crate::apiserver::store::Store::resource_revision`]), after
//! a run of its own that wrote anything (it looks again, as a work queue would requeue), or
//! when time itself can change its answer (its own timers: back-offs, event expiry,
//! `minReadySeconds`, a rollout's progress deadline). A tick where no step has a reason to
//! run is not run at all (see [`ControlPlane::needs_tick`]).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::admission::{create_pod, PodStrategy, Requester};
use crate::apiserver::controllers::endpoints::EndpointsController;
use crate::apiserver::controllers::node_lifecycle::NodeLifecycleController;
use crate::apiserver::controllers::taint_eviction::TaintEvictionController;
use crate::apiserver::controllers::{
    daemonset, deployment, endpointslice, garbage, namespace, replicaset, root_ca, serviceaccount,
    volume_binder,
};
use crate::apiserver::event_ttl::EventTtl;
use crate::apiserver::kubernetes_service;
use crate::apiserver::leader_election::LeaderElector;
use crate::apiserver::registry::ensure_system_namespaces;
use crate::apiserver::scheduler::{Binding, Scheduler};
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// Which control-plane processes run right now (their static pods' containers are up).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Components {
    /// kube-scheduler.
    pub scheduler: bool,
    /// kube-controller-manager.
    pub controller_manager: bool,
}

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TickReport {
    /// Pods the scheduler bound.
    pub bindings: Vec<Binding>,
    /// Failed steps, by component (`kube-apiserver`, `kube-controller-manager/<controller>`,
    /// `kube-scheduler`).
    pub errors: Vec<(&'static str, ApiError)>,
}

/// The control plane beyond storage: the scheduler, the controllers and their memory, and the
/// pod strategy used for every pod create.
#[derive(Debug, Clone)]
pub struct ControlPlane {
    strategy: PodStrategy,
    scheduler: Scheduler,
    node_lifecycle: NodeLifecycleController,
    taint_eviction: TaintEvictionController,
    endpoints: EndpointsController,
    was_running: Components,
    /// The store revision and components of the last full run, and when a run is due anyway.
    quiet: Option<(u64, Components, SimTime)>,
    /// Per step, the newest change among what it reads that its last run saw (absent: it runs
    /// at the next full run).
    seen: BTreeMap<&'static str, u64>,
    /// Whether some controller's answer can change with time alone (`minReadySeconds`, a
    /// rollout not yet complete), as of the last full run.
    controllers_wait_on_time: bool,
    /// When the oldest stored event expires, as of the last expiry pass.
    next_event_expiry: Option<SimTime>,
    /// Every Event and when its TTL runs out, kept from the store's history.
    event_ttl: EventTtl,
    /// The store revision after the garbage collector's last run that found nothing to
    /// delete: the next run need only look at what changed since.
    garbage_free_at: Option<u64>,
    /// kube-controller-manager's leader election.
    controller_manager_election: LeaderElector,
    /// kube-scheduler's leader election.
    scheduler_election: LeaderElector,
}

/// What each step reads (the store's resources whose changes it reacts to).
const READS_NAMESPACES: &[Resource] = &[Resource::Namespaces];
const READS_EVENTS: &[Resource] = &[Resource::Events];
const READS_DEPLOYMENTS: &[Resource] =
    &[Resource::Deployments, Resource::ReplicaSets, Resource::Pods];
const READS_REPLICA_SETS: &[Resource] = &[Resource::ReplicaSets, Resource::Pods];
const READS_DAEMON_SETS: &[Resource] = &[Resource::DaemonSets, Resource::Nodes, Resource::Pods];
const READS_ROOT_CA: &[Resource] = &[Resource::Namespaces, Resource::ConfigMaps];
const READS_SCHEDULER: &[Resource] = &[Resource::Pods, Resource::Nodes];
const READS_TAINT_EVICTION: &[Resource] = &[Resource::Pods, Resource::Nodes];
const READS_KUBERNETES_SERVICE: &[Resource] = &[
    Resource::Services,
    Resource::Endpoints,
    Resource::EndpointSlices,
];
const READS_ENDPOINTS: &[Resource] = &[Resource::Services, Resource::Pods, Resource::Endpoints];
const READS_ENDPOINT_SLICES: &[Resource] =
    &[Resource::Services, Resource::Pods, Resource::EndpointSlices];
const READS_SERVICE_ACCOUNTS: &[Resource] = &[Resource::Namespaces, Resource::ServiceAccounts];
const READS_VOLUMES: &[Resource] = &[
    Resource::PersistentVolumes,
    Resource::PersistentVolumeClaims,
];
/// The garbage collector and the namespace controller look at every kind of object.
const READS_EVERYTHING: &[Resource] = &Resource::ALL;

/// The steps whose memory goes with kube-controller-manager's process.
const CONTROLLER_STEPS: [&str; 11] = [
    "taint-eviction",
    "deployment",
    "replicaset",
    "daemonset",
    "endpoints",
    "endpointslice",
    "garbage-collector",
    "namespace",
    "root-ca-cert-publisher",
    "serviceaccount",
    "persistentvolume-binder",
];

/// How often the components run when nothing changed: the node lifecycle controller's
/// `nodeMonitorPeriod`, which also bounds the scheduler's retry delay.
const RESYNC_PERIOD: crate::sim::SimDuration = crate::sim::SimDuration::from_secs(5);

impl ControlPlane {
    /// A control plane whose pod creates use `strategy` (see [`PodStrategy`] for the wiring).
    pub fn new(strategy: PodStrategy) -> ControlPlane {
        ControlPlane {
            strategy,
            scheduler: Scheduler::default(),
            node_lifecycle: NodeLifecycleController::default(),
            taint_eviction: TaintEvictionController::default(),
            endpoints: EndpointsController::default(),
            was_running: Components::default(),
            quiet: None,
            seen: BTreeMap::new(),
            controllers_wait_on_time: false,
            next_event_expiry: None,
            event_ttl: EventTtl::default(),
            garbage_free_at: None,
            controller_manager_election: LeaderElector::default(),
            scheduler_election: LeaderElector::default(),
        }
    }

    /// Makes the next process of the component whose Lease is `lease` (`kube-scheduler`,
    /// `kube-controller-manager`) take `identity`: the holder the Lease was written for before
    /// the cluster's first boot.
    pub fn adopt_leader(&mut self, lease: &str, identity: &str) {
        match lease {
            "kube-controller-manager" => self.controller_manager_election.adopt(identity),
            "kube-scheduler" => self.scheduler_election.adopt(identity),
            _ => (),
        }
    }

    /// Leader election at `now` for the control-plane processes `running` on `host`: each
    /// component's elector follows its process and, when due, acquires or renews its Lease.
    /// Says whether a Lease was written.
    ///
    /// No controller reads Leases for anything it does, so a renewal alone is not a reason for
    /// a tick: when the store had not changed since the last full run, the renewal is counted
    /// as seen (upstream's informers get the update and find nothing to do).
    pub fn elect(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
        running: Components,
        host: &str,
    ) -> bool {
        let before = api.store().revision();
        let mut wrote = false;
        let electors = [
            (
                &mut self.controller_manager_election,
                "kube-controller-manager",
                running.controller_manager,
            ),
            (
                &mut self.scheduler_election,
                "kube-scheduler",
                running.scheduler,
            ),
        ];
        for (elector, lease, runs) in electors {
            if elector.due(now, runs) {
                wrote |= elector.step(now, rng, api, lease, runs.then_some(host));
            }
        }
        if wrote {
            if let Some(quiet) = &mut self.quiet {
                if quiet.0 == before {
                    quiet.0 = api.store().revision();
                }
            }
        }
        wrote
    }

    /// Of the processes `running`, those that lead or will at their next try (only a leader's
    /// controllers or scheduler run; one still waiting for another holder's Lease does not).
    pub fn leaders(&self, running: Components) -> Components {
        let may_lead = self.may_lead();
        Components {
            scheduler: running.scheduler && may_lead.scheduler,
            controller_manager: running.controller_manager && may_lead.controller_manager,
        }
    }

    /// Per component, whether its process (or the next one to start) leads or will at its next
    /// try; `false` while it must wait for another holder's Lease to expire.
    pub fn may_lead(&self) -> Components {
        Components {
            scheduler: self.scheduler_election.may_lead(),
            controller_manager: self.controller_manager_election.may_lead(),
        }
    }

    /// The pod strategy (defaulting and validation hooks).
    pub fn strategy(&self) -> &PodStrategy {
        &self.strategy
    }

    /// POST a pod as `requester` (kubectl: `Requester::Admin`; a kubelet's mirror pod:
    /// `Requester::Node(name)`).
    pub fn create_pod(
        &self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
        requester: Requester<'_>,
        pod: &corev1::Pod,
    ) -> Result<corev1::Pod, ApiError> {
        create_pod(now, rng, api, &self.strategy, requester, pod)
    }

    /// Whether [`ControlPlane::tick`] at `now` would do anything, given the API server's
    /// serving state and the processes running then: a process (re)started or stopped, the
    /// store changed since the last full run, the resync period is up, or a controller's own
    /// timer is due (the node lifecycle controller's monitor period, a scheduled eviction).
    /// A tick for which this is false changes nothing, so the world need not run it.
    ///
    /// A resync that finds nothing time-dependent to do is recorded as done here (its next one
    /// is a period later), exactly as a tick would record it.
    pub fn needs_tick(&mut self, now: SimTime, api: &ApiServer, running: Components) -> bool {
        if running != self.was_running {
            return true;
        }
        if !api.serving() {
            return false;
        }
        if running.controller_manager
            && (self.node_lifecycle.due(now) || self.taint_eviction.due(now))
        {
            return true;
        }
        let revision = api.store().revision();
        let Some((seen, ran, due)) = self.quiet else {
            return true;
        };
        if seen != revision || ran != running {
            return true;
        }
        if now < due {
            return false;
        }
        if self.waits_on_time(now, running) {
            return true;
        }
        self.quiet = Some((seen, ran, now + RESYNC_PERIOD));
        false
    }

    /// Whether a resync at `now` could find something to do with no change in the store.
    fn waits_on_time(&self, now: SimTime, running: Components) -> bool {
        (running.scheduler && self.scheduler.backing_off())
            || (running.controller_manager && self.controllers_wait_on_time)
            || self.next_event_expiry.is_some_and(|t| t <= now)
    }

    /// Whether the step `name`, reading `reads`, has a reason to run: something it reads
    /// changed since its last run, or `waits_on_time`. Returns the newest change it will see.
    fn due(
        &self,
        name: &'static str,
        api: &ApiServer,
        reads: &[Resource],
        waits_on_time: bool,
    ) -> Option<u64> {
        let store = api.store();
        let newest = reads
            .iter()
            .map(|r| store.resource_revision(*r))
            .max()
            .unwrap_or(0);
        (waits_on_time || self.seen.get(name) != Some(&newest)).then_some(newest)
    }

    /// Runs the step `name` if [`ControlPlane::due`]; remembers what it saw unless it wrote
    /// anything (then it looks again at the next full run) or failed.
    fn run_step<R>(
        &mut self,
        name: &'static str,
        api: &mut ApiServer,
        reads: &[Resource],
        waits_on_time: bool,
        step: impl FnOnce(&mut ControlPlane, &mut ApiServer) -> Result<R, ApiError>,
    ) -> Option<Result<R, ApiError>> {
        let newest = self.due(name, api, reads, waits_on_time)?;
        let before = api.store().revision();
        let result = step(self, api);
        if result.is_ok() && api.store().revision() == before {
            self.seen.insert(name, newest);
        } else {
            self.seen.remove(name);
        }
        Some(result)
    }

    /// Runs whatever is due. Call once per virtual second (or only when
    /// [`ControlPlane::needs_tick`] says so: a tick it rules out changes nothing); nothing happens while the API server
    /// does not serve (the components cannot reach it).
    pub fn tick(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
        running: Components,
    ) -> TickReport {
        // A process that (re)started forgets what the previous one remembered.
        if running.controller_manager && !self.was_running.controller_manager {
            self.node_lifecycle = NodeLifecycleController::default();
            self.taint_eviction = TaintEvictionController::default();
            self.endpoints = EndpointsController::default();
            for step in CONTROLLER_STEPS {
                self.seen.remove(step);
            }
            self.garbage_free_at = None;
        }
        if running.scheduler && !self.was_running.scheduler {
            self.scheduler = Scheduler::default();
            self.seen.remove("scheduler");
        }
        self.was_running = running;
        let mut report = TickReport::default();
        if !api.serving() {
            return report;
        }
        if running.controller_manager {
            // Node health is a matter of time passing: the node lifecycle controller looks
            // every monitor period, the taint eviction controller on every change of pods or
            // nodes and when an eviction it scheduled is due.
            if let Err(err) = self.node_lifecycle.sync(now, rng, api) {
                report
                    .errors
                    .push(("kube-controller-manager/node-lifecycle", err));
            }
            let eviction_due = self.taint_eviction.due(now);
            let result = self.run_step(
                "taint-eviction",
                api,
                READS_TAINT_EVICTION,
                eviction_due,
                |cp, api| cp.taint_eviction.sync(now, rng, api),
            );
            if let Some(Err(err)) = result {
                report
                    .errors
                    .push(("kube-controller-manager/taint-eviction", err));
            }
        }
        // Upstream's components react to watch events and resync periodically; here they run
        // when the store changed since their last run, or when the resync period is up.
        let revision = api.store().revision();
        if self
            .quiet
            .is_some_and(|(seen, ran, due)| seen == revision && ran == running && now < due)
        {
            return report;
        }
        self.quiet = Some((revision, running, now + RESYNC_PERIOD));
        let result = self.run_step(
            "system-namespaces",
            api,
            READS_NAMESPACES,
            false,
            |_, api| ensure_system_namespaces(now, rng, api),
        );
        if let Some(Err(err)) = result {
            report.errors.push(("kube-apiserver", err));
        }
        let expiry_due = self.next_event_expiry.is_some_and(|t| t <= now);
        let result = self.run_step("event-expiry", api, READS_EVENTS, expiry_due, |cp, api| {
            let (_, next) = cp.event_ttl.expire(now, api)?;
            cp.next_event_expiry = next;
            Ok(())
        });
        if let Some(Err(err)) = result {
            report.errors.push(("kube-apiserver", err));
        }
        let result = self.run_step(
            "kubernetes-service",
            api,
            READS_KUBERNETES_SERVICE,
            false,
            |_, api| kubernetes_service::reconcile(now, rng, api),
        );
        if let Some(Err(err)) = result {
            report.errors.push(("kube-apiserver", err));
        }

        if running.controller_manager {
            self.run_controllers(now, rng, api, &mut report);
        }
        if running.scheduler {
            let backing_off = self.scheduler.backing_off();
            let result =
                self.run_step("scheduler", api, READS_SCHEDULER, backing_off, |cp, api| {
                    cp.scheduler.schedule(now, rng, api)
                });
            match result {
                Some(Ok(bindings)) => report.bindings = bindings,
                Some(Err(err)) => report.errors.push(("kube-scheduler", err)),
                None => (),
            }
        }
        report
    }

    fn run_controllers(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
        report: &mut TickReport,
    ) {
        let strategy = self.strategy;
        let on_time = self.controllers_wait_on_time;
        let mut note = |component: &'static str, result: Option<Result<(), ApiError>>| {
            if let Some(Err(err)) = result {
                report.errors.push((component, err));
            }
        };
        note(
            "kube-controller-manager/deployment",
            self.run_step("deployment", api, READS_DEPLOYMENTS, on_time, |_, api| {
                deployment::sync_all(now, rng, api)
            }),
        );
        note(
            "kube-controller-manager/replicaset",
            self.run_step("replicaset", api, READS_REPLICA_SETS, on_time, |_, api| {
                replicaset::sync_all(now, rng, api, &strategy)
            }),
        );
        note(
            "kube-controller-manager/daemonset",
            self.run_step("daemonset", api, READS_DAEMON_SETS, on_time, |_, api| {
                daemonset::sync_all(now, rng, api, &strategy)
            }),
        );
        note(
            "kube-controller-manager/endpoints",
            self.run_step("endpoints", api, READS_ENDPOINTS, false, |cp, api| {
                cp.endpoints.sync(now, rng, api)
            }),
        );
        note(
            "kube-controller-manager/endpointslice",
            self.run_step(
                "endpointslice",
                api,
                READS_ENDPOINT_SLICES,
                false,
                |_, api| endpointslice::sync_all(now, rng, api),
            ),
        );
        note(
            "kube-controller-manager/garbage-collector",
            self.run_step(
                "garbage-collector",
                api,
                READS_EVERYTHING,
                false,
                |cp, api| {
                    let result = garbage::collect_since(now, api, cp.garbage_free_at.take());
                    // A deletion may leave the deleted object's own dependents behind: the
                    // next run looks at everything.
                    if result == Ok(0) {
                        cp.garbage_free_at = Some(api.store().revision());
                    }
                    result.map(|_| ())
                },
            ),
        );
        note(
            "kube-controller-manager/namespace",
            self.run_step("namespace", api, READS_EVERYTHING, false, |_, api| {
                namespace::sync_all(now, api).map(|_| ())
            }),
        );
        note(
            "kube-controller-manager/root-ca-cert-publisher",
            self.run_step(
                "root-ca-cert-publisher",
                api,
                READS_ROOT_CA,
                false,
                |_, api| root_ca::sync_all(now, rng, api),
            ),
        );
        note(
            "kube-controller-manager/serviceaccount",
            self.run_step(
                "serviceaccount",
                api,
                READS_SERVICE_ACCOUNTS,
                false,
                |_, api| serviceaccount::sync_all(now, rng, api).map(|_| ()),
            ),
        );
        note(
            "kube-controller-manager/persistentvolume-binder",
            self.run_step(
                "persistentvolume-binder",
                api,
                READS_VOLUMES,
                false,
                |_, api| volume_binder::sync_all(api).map(|_| ()),
            ),
        );
        self.controllers_wait_on_time = controllers_wait_on_time(api);
    }
}

/// Whether a controller's answer can change with time alone: a workload with
/// `minReadySeconds` (a pod's availability comes with time), or a Deployment whose rollout is
/// not complete (its progress deadline can pass).
///
/// A list that fails (a stored object that does not decode) counts as not waiting: the
/// controllers fail on it too, and run again when the store changes.
fn controllers_wait_on_time(api: &ApiServer) -> bool {
    let store = api.store();
    let deployments = store
        .list_shared::<appsv1::Deployment>(Resource::Deployments, None)
        .unwrap_or_default();
    let deployment_waits = deployments.iter().any(|d| {
        let spec = d.spec.as_ref();
        let complete = d
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Progressing"))
            .is_some_and(|c| c.reason.as_deref() == Some("NewReplicaSetAvailable"));
        spec.and_then(|s| s.min_ready_seconds).unwrap_or(0) > 0 || !complete
    });
    deployment_waits
        || store
            .list_shared::<appsv1::ReplicaSet>(Resource::ReplicaSets, None)
            .unwrap_or_default()
            .iter()
            .any(|rs| {
                rs.spec
                    .as_ref()
                    .and_then(|s| s.min_ready_seconds)
                    .unwrap_or(0)
                    > 0
            })
        || store
            .list_shared::<appsv1::DaemonSet>(Resource::DaemonSets, None)
            .unwrap_or_default()
            .iter()
            .any(|ds| {
                ds.spec
                    .as_ref()
                    .and_then(|s| s.min_ready_seconds)
                    .unwrap_or(0)
                    > 0
            })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use k8s_openapi::api::apps::v1 as appsv1;
    use k8s_openapi::api::core::v1 as corev1;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
    use serde_json::json;

    use super::*;
    use crate::apiserver::deletion::{delete_object, DeleteOptions};
    use crate::apiserver::helpers::{pod_condition, time};
    use crate::apiserver::registry::{create_object, update_object};
    use crate::apiserver::store::Resource;
    use crate::apiserver::testutil::{finish_terminating_pods, run_bound_pods, two_node_cluster};

    const ALL: Components = Components {
        scheduler: true,
        controller_manager: true,
    };

    /// A two-node cluster whose "kubelets" run bound pods, finish deletions and heartbeat.
    struct World {
        api: ApiServer,
        rng: Rng,
        cp: ControlPlane,
        now: SimTime,
        silent: BTreeSet<String>,
        /// Nodes whose kubelet renews its Lease instead of posting Ready heartbeats.
        lease_only: BTreeSet<String>,
    }

    impl World {
        fn new(seed: u64) -> World {
            let (api, _) = two_node_cluster();
            World {
                api,
                rng: Rng::seeded(seed),
                cp: ControlPlane::new(PodStrategy::PERMISSIVE),
                now: SimTime::ZERO,
                silent: BTreeSet::new(),
                lease_only: BTreeSet::new(),
            }
        }

        /// Ticks once a second as the world does: only when `needs_tick` says so. Every
        /// second it rules out is also ticked on a copy, which must change nothing (no store
        /// write, no draw from the generator, the same answer next time), so every scenario
        /// below also checks that skipping those ticks is safe.
        fn run(&mut self, seconds: u64, running: Components) {
            for _ in 0..seconds {
                self.now += crate::sim::SimDuration::from_secs(1);
                if self.cp.needs_tick(self.now, &self.api, running) {
                    let report = self
                        .cp
                        .tick(self.now, &mut self.rng, &mut self.api, running);
                    assert!(report.errors.is_empty(), "{:?}", report.errors);
                } else {
                    let (mut cp, mut api, mut rng) =
                        (self.cp.clone(), self.api.clone(), self.rng.clone());
                    let report = cp.tick(self.now, &mut rng, &mut api, running);
                    assert!(report.errors.is_empty(), "{:?}", report.errors);
                    assert_eq!(
                        api.store().revision(),
                        self.api.store().revision(),
                        "a tick ruled out at {:?} wrote to the store",
                        self.now
                    );
                    assert_eq!(rng, self.rng, "a tick ruled out drew from the generator");
                    assert!(report.bindings.is_empty());
                }
                self.kubelets();
            }
        }

        fn kubelets(&mut self) {
            if !self.api.serving() {
                return;
            }
            if self.now.as_millis().is_multiple_of(10_000) {
                let nodes: Vec<corev1::Node> = self.api.list(Resource::Nodes, None).unwrap();
                for mut node in nodes {
                    let name = node.metadata.name.clone().unwrap();
                    if self.silent.contains(&name) {
                        continue;
                    }
                    if self.lease_only.contains(&name) {
                        self.renew_lease(&name);
                        continue;
                    }
                    let conditions = node.status.as_mut().unwrap().conditions.as_mut().unwrap();
                    let ready = conditions.iter_mut().find(|c| c.type_ == "Ready").unwrap();
                    ready.last_heartbeat_time = Some(time(self.now));
                    if ready.status != "True" {
                        ready.status = "True".into();
                        ready.reason = Some("KubeletReady".into());
                        ready.last_transition_time = Some(time(self.now));
                    }
                    self.api.update(Resource::Nodes, &node).unwrap();
                }
            }
            run_bound_pods(&mut self.api, self.now);
            finish_terminating_pods(&mut self.api);
        }

        fn renew_lease(&mut self, node: &str) {
            let lease = serde_json::json!({
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {"name": node, "namespace": "kube-node-lease"},
                "spec": {
                    "holderIdentity": node,
                    "leaseDurationSeconds": 40,
                    "renewTime": crate::sim::wallclock::rfc3339(self.now)
                        .replace('Z', ".000000Z"),
                },
            });
            let key =
                crate::apiserver::store::ObjectKey::new(Resource::Leases, "kube-node-lease", node);
            if self.api.store().get_value(&key).is_some() {
                let lease: k8s_openapi::api::coordination::v1::Lease =
                    serde_json::from_value(lease).unwrap();
                self.api.update(Resource::Leases, &lease).unwrap();
            } else {
                self.create(Resource::Leases, lease);
            }
        }

        fn create(&mut self, resource: Resource, object: serde_json::Value) {
            create_object(self.now, &mut self.rng, &mut self.api, resource, &object).unwrap();
        }

        fn pods(&self) -> Vec<corev1::Pod> {
            self.api.list(Resource::Pods, None).unwrap()
        }

        fn pod_names(&self) -> Vec<String> {
            self.pods()
                .into_iter()
                .filter_map(|p| p.metadata.name)
                .collect()
        }

        fn events(&self, reason: &str) -> Vec<String> {
            let events: Vec<corev1::Event> = self.api.list(Resource::Events, None).unwrap();
            events
                .into_iter()
                .filter(|e| e.reason.as_deref() == Some(reason))
                .filter_map(|e| e.message)
                .collect()
        }
    }

    fn deployment(name: &str, replicas: i32, image: &str) -> serde_json::Value {
        json!({
            "metadata": {"name": name, "namespace": "default"},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": name}},
                "template": {
                    "metadata": {"labels": {"app": name}},
                    "spec": {"containers": [{"name": name, "image": image}]}
                }
            }
        })
    }

    #[test]
    fn deployment_makes_a_replica_set_and_pods() {
        let mut w = World::new(42);
        w.create(Resource::Deployments, deployment("web", 2, "nginx:1.27"));
        w.run(3, ALL);

        let rss: Vec<appsv1::ReplicaSet> = w.api.list(Resource::ReplicaSets, None).unwrap();
        assert_eq!(rss.len(), 1);
        let rs = &rss[0];
        let rs_name = rs.metadata.name.clone().unwrap();
        let hash = rs.metadata.labels.as_ref().unwrap()["pod-template-hash"].clone();
        assert_eq!(rs_name, format!("web-{hash}"));
        assert!(hash.chars().all(|c| "456789bcdf".contains(c)), "{hash}");
        assert_eq!(
            rs.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"],
            "1"
        );
        let owner = &rs.metadata.owner_references.as_ref().unwrap()[0];
        assert_eq!(
            (owner.kind.as_str(), owner.name.as_str()),
            ("Deployment", "web")
        );

        let ca: serde_json::Value = w
            .api
            .get(Resource::ConfigMaps, "default", "kube-root-ca.crt")
            .unwrap();
        assert!(ca["data"]["ca.crt"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----"));

        let pods = w.pods();
        assert_eq!(pods.len(), 2);
        for pod in &pods {
            let name = pod.metadata.name.as_deref().unwrap();
            assert!(
                name.starts_with(&format!("{rs_name}-")) && name.len() == rs_name.len() + 6,
                "{name}"
            );
            assert_eq!(
                pod.metadata.labels.as_ref().unwrap()["pod-template-hash"],
                hash
            );
            let owner = &pod.metadata.owner_references.as_ref().unwrap()[0];
            assert_eq!(owner.kind, "ReplicaSet");
            assert_eq!(owner.name, rs_name);
            assert_eq!(owner.controller, Some(true));
            assert_eq!(owner.block_owner_deletion, Some(true));
            assert_eq!(
                pod.spec.as_ref().unwrap().node_name.as_deref(),
                Some("node01")
            );
        }
        assert_eq!(
            w.events("ScalingReplicaSet"),
            vec![format!("Scaled up replica set {rs_name} from 0 to 2")]
        );
        let created = w.events("SuccessfulCreate");
        assert_eq!(created.len(), 2);
        assert!(created[0].starts_with(&format!("Created pod: {rs_name}-")));

        let d: appsv1::Deployment = w.api.get(Resource::Deployments, "default", "web").unwrap();
        let status = d.status.unwrap();
        assert_eq!(status.replicas, Some(2));
        assert_eq!(status.ready_replicas, Some(2));
        assert_eq!(status.available_replicas, Some(2));
        assert_eq!(status.updated_replicas, Some(2));
        let conditions: Vec<(String, String, String)> = status
            .conditions
            .unwrap()
            .into_iter()
            .map(|c| (c.type_, c.status, c.reason.unwrap()))
            .collect();
        assert_eq!(
            conditions,
            vec![
                (
                    "Available".into(),
                    "True".into(),
                    "MinimumReplicasAvailable".into()
                ),
                (
                    "Progressing".into(),
                    "True".into(),
                    "NewReplicaSetAvailable".into()
                ),
            ]
        );
    }

    #[test]
    fn same_seed_same_names() {
        let names = |seed| {
            let mut w = World::new(seed);
            w.create(Resource::Deployments, deployment("web", 3, "nginx:1.27"));
            w.run(3, ALL);
            (w.pod_names(), w.api.store().revision())
        };
        assert_eq!(names(9), names(9));
        assert_ne!(names(9).0, names(10).0);
    }

    #[test]
    fn scaling_down_deletes_the_newest_pods() {
        let mut w = World::new(1);
        w.create(Resource::Deployments, deployment("web", 1, "nginx:1.27"));
        w.run(3, ALL);
        let first = w.pod_names();
        let scale = |w: &mut World, replicas: i32| {
            let mut d: serde_json::Value =
                w.api.get(Resource::Deployments, "default", "web").unwrap();
            d["spec"]["replicas"] = json!(replicas);
            update_object(&mut w.api, Resource::Deployments, &d).unwrap();
        };
        scale(&mut w, 3);
        w.run(3, ALL);
        assert_eq!(w.pods().len(), 3);
        scale(&mut w, 1);
        w.run(3, ALL);
        assert_eq!(w.pod_names(), first);
        let rs_name = w.pods()[0].metadata.owner_references.as_ref().unwrap()[0]
            .name
            .clone();
        let scaling = w.events("ScalingReplicaSet");
        assert!(
            scaling.contains(&format!("Scaled up replica set {rs_name} from 1 to 3")),
            "{scaling:?}"
        );
        assert!(
            scaling.contains(&format!("Scaled down replica set {rs_name} from 3 to 1")),
            "{scaling:?}"
        );
        assert_eq!(w.events("SuccessfulDelete").len(), 2);
        let d: appsv1::Deployment = w.api.get(Resource::Deployments, "default", "web").unwrap();
        assert_eq!(d.status.unwrap().observed_generation, Some(3));
    }

    #[test]
    fn a_new_template_rolls_out() {
        let mut w = World::new(5);
        w.create(Resource::Deployments, deployment("web", 4, "nginx:1.27"));
        w.run(3, ALL);
        let mut d: serde_json::Value = w.api.get(Resource::Deployments, "default", "web").unwrap();
        d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.28");
        update_object(&mut w.api, Resource::Deployments, &d).unwrap();
        let mut max_pods = 0;
        for _ in 0..20 {
            w.run(1, ALL);
            max_pods = max_pods.max(w.pods().len());
        }
        // maxSurge 25% of 4 = 1: never more than 5 pods.
        assert!(max_pods <= 5, "{max_pods}");
        let rss: Vec<appsv1::ReplicaSet> = w.api.list(Resource::ReplicaSets, None).unwrap();
        assert_eq!(rss.len(), 2);
        let new = rss
            .iter()
            .find(|rs| rs.spec.as_ref().unwrap().replicas == Some(4))
            .unwrap();
        let old = rss
            .iter()
            .find(|rs| rs.spec.as_ref().unwrap().replicas == Some(0))
            .unwrap();
        assert_eq!(
            new.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"],
            "2"
        );
        let pods = w.pods();
        assert_eq!(pods.len(), 4);
        assert!(
            pods.iter()
                .all(|p| p.spec.as_ref().unwrap().containers[0].image.as_deref()
                    == Some("nginx:1.28"))
        );
        let old_name = old.metadata.name.clone().unwrap();
        let new_name = new.metadata.name.clone().unwrap();
        let scaling = w.events("ScalingReplicaSet");
        assert!(
            scaling.contains(&format!("Scaled up replica set {new_name} from 0 to 1")),
            "{scaling:?}"
        );
        assert!(
            scaling.contains(&format!("Scaled down replica set {old_name} from 4 to 3")),
            "{scaling:?}"
        );
        let d: appsv1::Deployment = w.api.get(Resource::Deployments, "default", "web").unwrap();
        let progressing = d
            .status
            .unwrap()
            .conditions
            .unwrap()
            .into_iter()
            .find(|c| c.type_ == "Progressing")
            .unwrap();
        assert_eq!(
            progressing.message.unwrap(),
            format!("ReplicaSet \"{new_name}\" has successfully progressed.")
        );
    }

    #[test]
    fn recreate_stops_old_pods_before_starting_new_ones() {
        let mut w = World::new(12);
        let mut d = deployment("db", 2, "postgres:16");
        d["spec"]["strategy"] = json!({"type": "Recreate"});
        w.create(Resource::Deployments, d);
        w.run(3, ALL);
        let mut d: serde_json::Value = w.api.get(Resource::Deployments, "default", "db").unwrap();
        d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("postgres:17");
        update_object(&mut w.api, Resource::Deployments, &d).unwrap();
        // One tick, without the test kubelet finishing deletions: old pods terminate, no new RS.
        w.now += crate::sim::SimDuration::from_secs(1);
        w.cp.tick(w.now, &mut w.rng, &mut w.api, ALL);
        let rss: Vec<appsv1::ReplicaSet> = w.api.list(Resource::ReplicaSets, None).unwrap();
        assert_eq!(rss.len(), 1);
        assert_eq!(rss[0].spec.as_ref().unwrap().replicas, Some(0));
        assert!(w
            .pods()
            .iter()
            .all(|p| p.metadata.deletion_timestamp.is_some()));
        w.run(4, ALL);
        let pods = w.pods();
        assert_eq!(pods.len(), 2);
        assert!(pods.iter().all(
            |p| p.spec.as_ref().unwrap().containers[0].image.as_deref() == Some("postgres:17")
        ));
    }

    #[test]
    fn daemon_set_runs_one_pod_per_eligible_node() {
        let mut w = World::new(3);
        let ds = |name: &str, tolerate_all: bool| {
            let mut spec = json!({"containers": [{"name": name, "image": "registry.k8s.io/kube-proxy:v1.34.0"}]});
            if tolerate_all {
                spec["tolerations"] = json!([{"operator": "Exists"}]);
                spec["hostNetwork"] = json!(true);
            }
            json!({
                "metadata": {"name": name, "namespace": "kube-system"},
                "spec": {
                    "selector": {"matchLabels": {"k8s-app": name}},
                    "template": {"metadata": {"labels": {"k8s-app": name}}, "spec": spec}
                }
            })
        };
        w.create(Resource::DaemonSets, ds("kube-proxy", true));
        w.create(Resource::DaemonSets, ds("agent", false));
        w.run(3, ALL);

        let pods = w.pods();
        let on = |prefix: &str| -> Vec<String> {
            let mut nodes: Vec<String> = pods
                .iter()
                .filter(|p| p.metadata.name.as_deref().unwrap().starts_with(prefix))
                .map(|p| p.spec.as_ref().unwrap().node_name.clone().unwrap())
                .collect();
            nodes.sort();
            nodes
        };
        assert_eq!(
            on("kube-proxy-"),
            vec!["controlplane".to_string(), "node01".to_string()]
        );
        assert_eq!(on("agent-"), vec!["node01".to_string()]);

        let proxy = pods
            .iter()
            .find(|p| {
                p.metadata
                    .name
                    .as_deref()
                    .unwrap()
                    .starts_with("kube-proxy-")
            })
            .unwrap();
        let spec = proxy.spec.as_ref().unwrap();
        let keys: Vec<String> = spec
            .tolerations
            .as_ref()
            .unwrap()
            .iter()
            .map(|t| t.key.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            keys,
            vec![
                "",
                "node.kubernetes.io/not-ready",
                "node.kubernetes.io/unreachable",
                "node.kubernetes.io/disk-pressure",
                "node.kubernetes.io/memory-pressure",
                "node.kubernetes.io/pid-pressure",
                "node.kubernetes.io/unschedulable",
                "node.kubernetes.io/network-unavailable",
            ]
        );
        let term = &spec
            .affinity
            .as_ref()
            .unwrap()
            .node_affinity
            .as_ref()
            .unwrap()
            .required_during_scheduling_ignored_during_execution
            .as_ref()
            .unwrap()
            .node_selector_terms[0];
        let field = &term.match_fields.as_ref().unwrap()[0];
        assert_eq!(
            (field.key.as_str(), field.operator.as_str()),
            ("metadata.name", "In")
        );
        assert_eq!(
            field.values.as_ref().unwrap(),
            &vec![spec.node_name.clone().unwrap()]
        );

        let ds: appsv1::DaemonSet = w
            .api
            .get(Resource::DaemonSets, "kube-system", "kube-proxy")
            .unwrap();
        let status = ds.status.unwrap();
        assert_eq!(
            (
                status.desired_number_scheduled,
                status.current_number_scheduled,
                status.number_ready
            ),
            (2, 2, 2)
        );
        assert_eq!(
            (status.number_available, status.updated_number_scheduled),
            (Some(2), Some(2))
        );
        let agent: appsv1::DaemonSet = w
            .api
            .get(Resource::DaemonSets, "kube-system", "agent")
            .unwrap();
        assert_eq!(agent.status.unwrap().desired_number_scheduled, 1);
    }

    #[test]
    fn a_renewed_lease_keeps_a_node_ready_without_status_posts() {
        let mut w = World::new(8);
        w.run(10, ALL);
        w.lease_only.insert("node01".into());
        // Five minutes with no Ready heartbeat, only lease renewals every 10 s.
        w.run(300, ALL);
        let ready_of = |w: &World| {
            let node: corev1::Node = w.api.get(Resource::Nodes, "", "node01").unwrap();
            let conditions = node.status.unwrap().conditions.unwrap();
            conditions
                .into_iter()
                .find(|c| c.type_ == "Ready")
                .unwrap()
                .status
        };
        assert_eq!(ready_of(&w), "True");
        assert!(w.events("NodeNotReady").is_empty());
        // The lease stops being renewed too: Unknown once the grace period has passed.
        w.silent.insert("node01".into());
        w.run(45, ALL);
        assert_eq!(ready_of(&w), "True");
        w.run(15, ALL);
        assert_eq!(ready_of(&w), "Unknown");
    }

    #[test]
    fn a_silent_node_goes_unknown_gets_tainted_and_loses_its_pods() {
        let mut w = World::new(8);
        w.create(Resource::Deployments, deployment("web", 1, "nginx:1.27"));
        w.run(10, ALL);
        let original = w.pod_names();
        w.silent.insert("node01".into());
        // Last heartbeat at t=10 s; unknown once 50 s have passed without a new one.
        w.run(45, ALL);
        let node: corev1::Node = w.api.get(Resource::Nodes, "", "node01").unwrap();
        let ready = node
            .status
            .as_ref()
            .unwrap()
            .conditions
            .as_ref()
            .unwrap()
            .iter()
            .find(|c| c.type_ == "Ready")
            .unwrap()
            .clone();
        assert_eq!(ready.status, "True");
        w.run(15, ALL);
        let node: corev1::Node = w.api.get(Resource::Nodes, "", "node01").unwrap();
        let status = node.status.as_ref().unwrap();
        let ready = status
            .conditions
            .as_ref()
            .unwrap()
            .iter()
            .find(|c| c.type_ == "Ready")
            .unwrap();
        assert_eq!(ready.status, "Unknown");
        assert_eq!(ready.reason.as_deref(), Some("NodeStatusUnknown"));
        assert_eq!(
            ready.message.as_deref(),
            Some("Kubelet stopped posting node status.")
        );
        let pressure = status
            .conditions
            .as_ref()
            .unwrap()
            .iter()
            .find(|c| c.type_ == "MemoryPressure")
            .unwrap();
        assert_eq!(pressure.reason.as_deref(), Some("NodeStatusNeverUpdated"));
        let taints: Vec<(String, String)> = node
            .spec
            .unwrap()
            .taints
            .unwrap()
            .into_iter()
            .map(|t| (t.key, t.effect))
            .collect();
        assert_eq!(
            taints,
            vec![
                ("node.kubernetes.io/unreachable".into(), "NoSchedule".into()),
                ("node.kubernetes.io/unreachable".into(), "NoExecute".into()),
            ]
        );
        assert_eq!(
            w.events("NodeNotReady")[0],
            "Node node01 status is now: NodeNotReady"
        );
        let pod: corev1::Pod = w.api.get(Resource::Pods, "default", &original[0]).unwrap();
        assert_eq!(pod_condition(&pod, "Ready").unwrap().status, "False");
        assert_eq!(pod.status.unwrap().phase.as_deref(), Some("Running"));

        // After the 300 s toleration the pod is evicted; its replacement cannot be scheduled.
        w.run(300, ALL);
        assert!(w
            .events("TaintManagerEviction")
            .contains(&format!("Marking for deletion Pod default/{}", original[0])));
        let pods = w.pods();
        assert_eq!(
            pods.len(),
            1,
            "the evicted pod was removed by the test kubelet"
        );
        let replacement = &pods[0];
        assert_ne!(replacement.metadata.name, Some(original[0].clone()));
        assert_eq!(replacement.spec.as_ref().unwrap().node_name, None);

        // The kubelet comes back: taints go, the pod gets scheduled.
        w.silent.clear();
        w.run(15, ALL);
        let node: corev1::Node = w.api.get(Resource::Nodes, "", "node01").unwrap();
        assert_eq!(node.spec.unwrap().taints, None);
        let pods = w.pods();
        assert_eq!(
            pods[0].spec.as_ref().unwrap().node_name.as_deref(),
            Some("node01")
        );
    }

    #[test]
    fn garbage_collector_deletes_orphans() {
        let mut w = World::new(4);
        w.create(Resource::Deployments, deployment("web", 2, "nginx:1.27"));
        w.run(3, ALL);
        assert_eq!(w.pods().len(), 2);
        delete_object(
            w.now,
            &mut w.api,
            Resource::Deployments,
            "default",
            "web",
            &DeleteOptions::default(),
        )
        .unwrap();
        w.run(3, ALL);
        let rss: Vec<appsv1::ReplicaSet> = w.api.list(Resource::ReplicaSets, None).unwrap();
        assert!(rss.is_empty());
        assert!(w.pods().is_empty());

        // A pod whose owner never existed.
        let mut orphan = crate::apiserver::testutil::pod("stray");
        orphan.metadata.owner_references = Some(vec![metav1::OwnerReference {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            name: "gone".into(),
            uid: "0000".into(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        }]);
        w.api
            .create(w.now, &mut w.rng, Resource::Pods, &orphan)
            .unwrap();
        w.run(2, ALL);
        assert!(w.pods().is_empty());
    }

    #[test]
    fn a_settled_cluster_needs_few_ticks() {
        let mut w = World::new(9);
        w.create(Resource::Deployments, deployment("web", 2, "nginx:1.27"));
        w.run(20, ALL);
        let mut needed = 0;
        for _ in 0..60 {
            let next = w.now + crate::sim::SimDuration::from_secs(1);
            if w.cp.needs_tick(next, &w.api, ALL) {
                needed += 1;
            }
            w.run(1, ALL);
        }
        // Heartbeats every 10 s per node and the node monitor every 5 s; nothing else.
        assert!(needed <= 20, "{needed} of 60 seconds ticked");
        assert_eq!(w.pods().len(), 2);
    }

    #[test]
    fn availability_after_min_ready_seconds_comes_with_time_alone() {
        let mut w = World::new(10);
        let mut d = deployment("web", 2, "nginx:1.27");
        d["spec"]["minReadySeconds"] = json!(4);
        w.create(Resource::Deployments, d);
        // No heartbeats: once the pods run, nothing writes to the store but the controllers.
        w.silent.insert("controlplane".into());
        w.silent.insert("node01".into());
        w.run(5, ALL);
        let d: appsv1::Deployment = w.api.get(Resource::Deployments, "default", "web").unwrap();
        assert_eq!(d.status.unwrap().available_replicas, None);
        w.run(15, ALL);
        let d: appsv1::Deployment = w.api.get(Resource::Deployments, "default", "web").unwrap();
        assert_eq!(d.status.unwrap().available_replicas, Some(2));
    }

    #[test]
    fn nothing_happens_without_the_processes() {
        let mut w = World::new(6);
        w.create(Resource::Deployments, deployment("web", 2, "nginx:1.27"));
        w.run(
            5,
            Components {
                scheduler: true,
                controller_manager: false,
            },
        );
        assert!(w.pods().is_empty());
        w.run(
            3,
            Components {
                scheduler: false,
                controller_manager: true,
            },
        );
        let pods = w.pods();
        assert_eq!(pods.len(), 2);
        assert!(pods
            .iter()
            .all(|p| p.spec.as_ref().unwrap().node_name.is_none()));
        w.api.set_serving(false);
        w.run(3, ALL);
        w.api.set_serving(true);
        w.run(1, ALL);
        assert!(w
            .pods()
            .iter()
            .all(|p| p.spec.as_ref().unwrap().node_name.as_deref() == Some("node01")));
    }

    #[test]
    fn deleting_a_namespace_empties_it() {
        let mut w = World::new(2);
        w.create(Resource::Namespaces, json!({"metadata": {"name": "team"}}));
        let mut d = deployment("api", 1, "nginx:1.27");
        d["metadata"]["namespace"] = json!("team");
        w.create(Resource::Deployments, d);
        w.run(3, ALL);
        assert_eq!(w.pods().len(), 1);
        delete_object(
            w.now,
            &mut w.api,
            Resource::Namespaces,
            "",
            "team",
            &DeleteOptions::default(),
        )
        .unwrap();
        w.run(3, ALL);
        assert!(w.pods().is_empty());
        assert!(w
            .api
            .get::<serde_json::Value>(Resource::Namespaces, "", "team")
            .is_err());
    }
}
