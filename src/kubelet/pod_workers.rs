//! Mirrors `pkg/kubelet/pod_workers.go` (v1.34): one worker per pod UID moving through
//! syncing → terminating → terminated, static pods with the same full name started one at a
//! time, grace periods that can only shrink, and the work queue that drives resyncs.
//!
//! Simplified: upstream runs each worker on a goroutine that blocks inside `SyncPod` (an image
//! pull, a container's grace period). Here a sync that has to wait returns `Wait(until)`; the
//! worker is parked until then and re-runs with the newest update. A termination request (or a
//! shorter grace period) wakes a parked worker at once, as upstream cancels the sync's context.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;

use crate::kubelet::context::Ctx;
use crate::kubelet::types::{
    is_static_pod, pod_full_name, pod_name, pod_namespace, pod_ref, pod_uid, SharedPod,
};
use crate::sim::inline_id::InlineId;
use crate::sim::trace::LogLine;
use crate::sim::{SimDuration, SimTime};

/// The error back-off of a failed sync (`backOffPeriod`); jittered by up to 50%.
pub const BACKOFF_PERIOD: SimDuration = SimDuration::from_secs(10);
/// The back-off for "network is not ready" errors (`backOffOnTransientErrorPeriod`).
pub const TRANSIENT_BACKOFF_PERIOD: SimDuration = SimDuration::from_secs(1);
const JITTER_FACTOR: f64 = 0.5;

/// Why a pod is being synced (`kubetypes.SyncPodType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateType {
    /// The pod was just added.
    Create,
    /// The pod changed.
    Update,
    /// A periodic or event-driven resync.
    Sync,
    /// The pod must be stopped.
    Kill,
}

/// What a worker does next (`PodWorkerState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkType {
    /// Run `SyncPod`.
    Sync,
    /// Stop the pod's containers.
    Terminating,
    /// Clean up after a stopped pod.
    Terminated,
}

/// One request to a worker (`UpdatePodOptions`).
#[derive(Debug, Clone, PartialEq)]
pub struct UpdatePodOptions {
    /// Why.
    pub update_type: UpdateType,
    /// The pod (for an orphaned runtime pod: a stub with name, namespace and UID).
    pub pod: SharedPod,
    /// Its mirror pod, for static pods.
    pub mirror: Option<SharedPod>,
    /// A grace period that overrides the pod's (`KillPodOptions`).
    pub grace_override: Option<i64>,
    /// The pod exists only in the runtime (housekeeping found containers nobody wants).
    pub runtime_only: bool,
}

impl UpdatePodOptions {
    /// A plain update of `pod` and its mirror.
    pub fn new(update_type: UpdateType, pod: SharedPod, mirror: Option<SharedPod>) -> Self {
        UpdatePodOptions {
            update_type,
            pod,
            mirror,
            grace_override: None,
            runtime_only: false,
        }
    }
}

/// How a sync call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// Done; for `SyncPod`, whether the pod reached a terminal phase.
    Done {
        /// The pod is terminal (Succeeded or Failed).
        terminal: bool,
    },
    /// Has to wait for something until this time, then run again.
    Wait(SimTime),
    /// Failed; the worker retries after a back-off.
    Failed(String),
}

/// A worker's state (`podSyncStatus`).
#[derive(Debug, Clone)]
struct PodSyncStatus {
    full_name: String,
    is_static: bool,
    pending: Option<UpdatePodOptions>,
    active: Option<UpdatePodOptions>,
    /// A run is queued, in progress or parked.
    working: bool,
    /// When the worker should run next (its wake-up may already be queued).
    next_run: Option<SimTime>,
    /// Parked until this time by a `Wait`.
    blocked_until: Option<SimTime>,
    started_at: Option<SimTime>,
    terminating_at: Option<SimTime>,
    terminated_at: Option<SimTime>,
    finished: bool,
    deleted: bool,
    grace_period: i64,
    restart_requested: bool,
}

impl PodSyncStatus {
    /// A worker that has not synced yet.
    fn new(full_name: String, is_static: bool) -> PodSyncStatus {
        PodSyncStatus {
            full_name,
            is_static,
            pending: None,
            active: None,
            working: false,
            next_run: None,
            blocked_until: None,
            started_at: None,
            terminating_at: None,
            terminated_at: None,
            finished: false,
            deleted: false,
            grace_period: 0,
            restart_requested: false,
        }
    }
}

impl PodSyncStatus {
    fn termination_requested(&self) -> bool {
        self.terminating_at.is_some()
    }

    fn terminated(&self) -> bool {
        self.terminated_at.is_some()
    }

    fn work_type(&self) -> WorkType {
        if self.terminated() {
            WorkType::Terminated
        } else if self.termination_requested() {
            WorkType::Terminating
        } else {
            WorkType::Sync
        }
    }
}

/// What housekeeping learns about a worker (`PodWorkerSync`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodWorkerSync {
    /// The worker's current state.
    pub state: WorkType,
    /// The pod is no longer desired.
    pub orphan: bool,
    /// The worker has a pod spec (not only runtime containers).
    pub has_config: bool,
    /// It is a static pod.
    pub is_static: bool,
}

/// All pod workers of one kubelet.
#[derive(Debug, Clone)]
pub struct PodWorkers {
    /// uid → its worker. UIDs are kept inline: housekeeping, the PLEG's events and every
    /// sync look workers up by UID, and at ten nodes the keys' heap copies missed the cache.
    statuses: BTreeMap<InlineId, PodSyncStatus>,
    started_static_by_full_name: BTreeMap<String, String>,
    waiting_static_by_full_name: BTreeMap<String, Vec<String>>,
    /// uid → when it is due for a resync (`workQueue`).
    work_queue: BTreeMap<InlineId, SimTime>,
    resync_interval: SimDuration,
    /// Whether housekeeping has told the workers the desired pods once (`podsSynced`).
    pods_synced: bool,
    /// Workers that must be woken: (uid, when).
    wakes: Vec<(String, SimTime)>,
}

impl PodWorkers {
    /// Workers resyncing every `resync_interval` (`syncFrequency`), jittered by up to 50%.
    pub fn new(resync_interval: SimDuration) -> PodWorkers {
        PodWorkers {
            statuses: BTreeMap::new(),
            started_static_by_full_name: BTreeMap::new(),
            waiting_static_by_full_name: BTreeMap::new(),
            work_queue: BTreeMap::new(),
            resync_interval,
            pods_synced: false,
            wakes: Vec::new(),
        }
    }

    /// Takes the (uid, time) wake-ups the workers need.
    pub fn take_wakes(&mut self) -> Vec<(String, SimTime)> {
        std::mem::take(&mut self.wakes)
    }

    fn schedule(&mut self, uid: &str, at: SimTime) {
        if let Some(status) = self.statuses.get_mut(uid) {
            status.next_run = Some(at);
        }
        self.wakes.push((uid.to_string(), at));
    }

    /// Hands a worker an update (`UpdatePod`).
    pub fn update_pod(&mut self, ctx: &mut Ctx<'_>, mut options: UpdatePodOptions) {
        let uid = pod_uid(&options.pod).to_string();
        if !self.statuses.contains_key(uid.as_str()) {
            let is_static = !options.runtime_only && is_static_pod(&options.pod);
            let mut status = PodSyncStatus::new(pod_full_name(&options.pod), is_static);
            if is_terminal_phase(&options.pod) {
                // A pod first seen already finished only needs its cleanup.
                status.terminating_at = Some(ctx.now);
                status.terminated_at = Some(ctx.now);
            }
            if is_static {
                self.waiting_static_by_full_name
                    .entry(status.full_name.clone())
                    .or_default()
                    .push(uid.clone());
            }
            self.statuses.insert(InlineId::new(&uid), status);
        }
        let now = ctx.now;
        let status = self
            .statuses
            .get_mut(uid.as_str())
            .expect("status inserted above");
        if status.finished {
            if options.update_type == UpdateType::Create {
                // A fixed UID that came back: housekeeping forgets the old worker and the
                // pod is started afresh.
                status.restart_requested = true;
                ctx.log(
                    LogLine::info(
                        4,
                        "pod_workers.go:796",
                        "Pod is finished processing, awaiting restart",
                    )
                    .with("pod", pod_ref(&options.pod).to_string())
                    .with("podUID", &uid),
                );
            }
            return;
        }
        let mut became_terminating = false;
        if !status.termination_requested() {
            if options.pod.metadata.deletion_timestamp.is_some() {
                status.deleted = true;
                became_terminating = true;
            } else if is_terminal_phase(&options.pod) {
                became_terminating = true;
            } else if options.update_type == UpdateType::Kill {
                status.deleted = true;
                became_terminating = true;
            }
            if became_terminating {
                status.terminating_at = Some(now);
                ctx.log(
                    LogLine::info(
                        4,
                        "pod_workers.go:868",
                        "Pod is being removed by the kubelet, begin teardown",
                    )
                    .with("pod", pod_ref(&options.pod).to_string())
                    .with("podUID", &uid),
                );
            }
        }
        let mut grace_shortened = false;
        if status.termination_requested() {
            options.update_type = UpdateType::Kill;
            let (grace, shortened) = calculate_effective_grace_period(
                status.grace_period,
                &options.pod,
                options.grace_override,
            );
            grace_shortened = shortened;
            status.grace_period = grace;
        }
        status.pending = Some(options);
        let parked = status.blocked_until.is_some();
        if !status.working {
            status.working = true;
            self.schedule(&uid, now);
        } else if parked && (became_terminating || grace_shortened) {
            ctx.log(
                LogLine::info(3, "pod_workers.go:957", "Cancelling current pod sync")
                    .with("podUID", &uid),
            );
            self.schedule(&uid, now);
        }
    }

    /// Starts a worker run at `now` (`startPodSync`): takes the pending update (or, after a
    /// wait, the active one), checks the static-pod start rule and returns what to do. `None`
    /// when there is nothing to do (a stale wake-up, or the pod cannot start yet).
    pub fn start_pod_sync(
        &mut self,
        ctx: &mut Ctx<'_>,
        uid: &str,
    ) -> Option<(WorkType, UpdatePodOptions)> {
        let now = ctx.now;
        let status = self.statuses.get_mut(uid)?;
        if !status.working || status.next_run.is_none_or(|t| t > now) {
            return None;
        }
        status.next_run = None;
        let resumed = status.blocked_until.take().is_some();
        let options = match status.pending.take() {
            Some(options) => options,
            None if resumed => status.active.clone()?,
            None => {
                status.working = false;
                return None;
            }
        };
        let work_type = status.work_type();
        if status.started_at.is_some()
            || (options.runtime_only && work_type == WorkType::Terminating)
        {
            status.active = Some(options.clone());
            return Some((work_type, options));
        }
        let is_static = status.is_static;
        match self.allow_pod_start(uid, is_static) {
            (true, _) => (),
            (false, false) => {
                // A static pod stopped before it ever ran: nothing to tear down.
                let status = self.statuses.get_mut(uid)?;
                status.finished = true;
                status.working = false;
                status.terminated_at = Some(now);
                status.active = Some(options.clone());
                let full_name = status.full_name.clone();
                self.release_static_slot(&full_name, uid);
                ctx.log(
                    LogLine::info(4, "pod_workers.go:1136", "Pod cannot start ever")
                        .with("pod", pod_ref(&options.pod).to_string())
                        .with("podUID", uid),
                );
                return None;
            }
            (false, true) => {
                let status = self.statuses.get_mut(uid)?;
                status.pending = Some(options.clone());
                status.working = false;
                let delay = ctx.rng.jitter(BACKOFF_PERIOD, JITTER_FACTOR);
                self.work_queue.insert(InlineId::new(uid), now + delay);
                ctx.log(
                    LogLine::info(4, "pod_workers.go:1146", "Pod cannot start yet")
                        .with("pod", pod_ref(&options.pod).to_string())
                        .with("podUID", uid),
                );
                return None;
            }
        }
        let status = self.statuses.get_mut(uid)?;
        status.started_at = Some(now);
        status.active = Some(options.clone());
        Some((work_type, options))
    }

    /// `allowPodStart`: whether the pod may start now, and whether it ever may. Only static
    /// pods are held back, one UID per full name.
    fn allow_pod_start(&mut self, uid: &str, is_static: bool) -> (bool, bool) {
        if !is_static {
            return (true, true);
        }
        let Some(status) = self.statuses.get(uid) else {
            return (false, false);
        };
        if status.termination_requested() {
            return (false, false);
        }
        let full_name = status.full_name.clone();
        if !self.allow_static_pod_start(&full_name, uid) {
            return (false, true);
        }
        (true, true)
    }

    /// `allowStaticPodStart`: only the first live waiter for a full name may start, and only
    /// once no other UID holds the name.
    fn allow_static_pod_start(&mut self, full_name: &str, uid: &str) -> bool {
        if let Some(started) = self.started_static_by_full_name.get(full_name) {
            return started == uid;
        }
        let mut waiting = self
            .waiting_static_by_full_name
            .remove(full_name)
            .unwrap_or_default();
        let mut idx = 0;
        while idx < waiting.len() {
            let waiter = &waiting[idx];
            let live = self
                .statuses
                .get(waiter.as_str())
                .is_some_and(|s| !s.termination_requested() && !s.terminated());
            if !live {
                idx += 1;
                continue;
            }
            if waiter != uid {
                let rest = waiting.split_off(idx);
                self.waiting_static_by_full_name
                    .insert(full_name.to_string(), rest);
                return false;
            }
            idx += 1;
            break;
        }
        let rest = waiting.split_off(idx.min(waiting.len()));
        if !rest.is_empty() {
            self.waiting_static_by_full_name
                .insert(full_name.to_string(), rest);
        }
        self.started_static_by_full_name
            .insert(full_name.to_string(), uid.to_string());
        true
    }

    fn release_static_slot(&mut self, full_name: &str, uid: &str) {
        if self
            .started_static_by_full_name
            .get(full_name)
            .map(String::as_str)
            == Some(uid)
        {
            self.started_static_by_full_name.remove(full_name);
        }
    }

    /// Ends a worker run with the sync's outcome (`completeSync`/`completeTerminating`/
    /// `completeTerminated` and `completeWork`).
    pub fn complete(
        &mut self,
        ctx: &mut Ctx<'_>,
        uid: &str,
        work_type: WorkType,
        outcome: SyncOutcome,
    ) {
        let now = ctx.now;
        let Some(status) = self.statuses.get_mut(uid) else {
            return;
        };
        let pod = status.active.as_ref().map(|o| pod_ref(&o.pod));
        let pod_name = pod.map(|p| p.to_string()).unwrap_or_default();
        let mut phase_transition = false;
        let mut error = None;
        match outcome {
            SyncOutcome::Wait(until) => {
                status.blocked_until = Some(until);
                self.schedule(uid, until);
                return;
            }
            SyncOutcome::Failed(err) => {
                ctx.log(
                    LogLine::error("pod_workers.go:1301", "Error syncing pod, skipping")
                        .with("err", &err)
                        .with("pod", &pod_name)
                        .with("podUID", uid),
                );
                error = Some(err);
            }
            SyncOutcome::Done { terminal } => match work_type {
                WorkType::Terminated => {
                    status.finished = true;
                    status.working = false;
                    let full_name = status.full_name.clone();
                    self.release_static_slot(&full_name, uid);
                    ctx.log(
                        LogLine::info(
                            4,
                            "pod_workers.go:1336",
                            "Pod is complete and the worker can now stop",
                        )
                        .with("podUID", uid),
                    );
                    return;
                }
                WorkType::Terminating => {
                    if status.active.as_ref().is_some_and(|o| o.runtime_only) {
                        // An orphaned runtime pod has nothing more to do once stopped.
                        self.statuses.remove(uid);
                        self.work_queue.remove(uid);
                        return;
                    }
                    status.terminated_at = Some(now);
                    ctx.log(
                        LogLine::info(
                            4,
                            "pod_workers.go:1280",
                            "Pod terminated all containers successfully",
                        )
                        .with("podUID", uid),
                    );
                    requeue_last_update(status);
                    phase_transition = true;
                }
                WorkType::Sync if terminal => {
                    ctx.log(
                        LogLine::info(4, "pod_workers.go:1264", "Pod is terminal")
                            .with("pod", &pod_name)
                            .with("podUID", uid),
                    );
                    status.terminating_at = Some(now);
                    requeue_last_update(status);
                    phase_transition = true;
                }
                WorkType::Sync => (),
            },
        }
        let delay = if phase_transition {
            SimDuration::ZERO
        } else {
            match &error {
                None => ctx.rng.jitter(self.resync_interval, JITTER_FACTOR),
                Some(err) if err.contains("network is not ready") => {
                    ctx.rng.jitter(TRANSIENT_BACKOFF_PERIOD, JITTER_FACTOR)
                }
                Some(_) => ctx.rng.jitter(BACKOFF_PERIOD, JITTER_FACTOR),
            }
        };
        self.work_queue.insert(InlineId::new(uid), now + delay);
        let status = self.statuses.get_mut(uid).expect("checked above");
        if status.pending.is_some() {
            self.schedule(uid, now);
        } else {
            status.working = false;
        }
    }

    /// The UIDs due for a resync at `now`, removed from the queue (`workQueue.GetWork`).
    pub fn take_due(&mut self, now: SimTime) -> Vec<String> {
        let due: Vec<String> = self
            .work_queue
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uid, _)| uid.to_string())
            .collect();
        for uid in &due {
            self.work_queue.remove(uid.as_str());
        }
        due
    }

    /// `SyncKnownPods`: forgets finished workers of pods no longer desired (or asked to
    /// restart), drives orphaned live ones to termination, and reports on the rest.
    /// `desired` holds the desired pods' UIDs in order ([`PodManager::uids`]).
    ///
    /// [`PodManager::uids`]: crate::kubelet::pod_manager::PodManager::uids
    pub fn sync_known_pods(
        &mut self,
        ctx: &mut Ctx<'_>,
        desired: &[&str],
    ) -> BTreeMap<InlineId, PodWorkerSync> {
        // A sorted list is searched instead of building a set. Its UIDs are the pod manager's
        // inline keys, so the search does not read each pod's own copy of its UID.
        debug_assert!(desired.is_sorted());
        let is_orphan = |uid: &str| desired.binary_search(&uid).is_err();
        self.pods_synced = true;
        // Removing a worker changes only its own entry, so the removals run first, in UID
        // order, and the report is read from the workers that remain.
        let mut removals = Vec::new();
        for (uid, status) in &self.statuses {
            let orphan = is_orphan(uid);
            if status.restart_requested || orphan {
                removals.push((uid.to_string(), orphan));
            }
        }
        for (uid, orphan) in removals {
            self.remove_terminated_worker(ctx, &uid, orphan);
        }
        self.statuses
            .iter()
            .map(|(uid, status)| {
                let config = status.active.as_ref().or(status.pending.as_ref());
                let sync = PodWorkerSync {
                    state: status.work_type(),
                    orphan: is_orphan(uid),
                    has_config: config.is_some_and(|o| !o.runtime_only),
                    is_static: status.is_static,
                };
                (uid.clone(), sync)
            })
            .collect()
    }

    /// `removeTerminatedWorker`: forgets a finished worker and says so. An orphaned worker
    /// that has not finished is the workers' own to drive to the end, since no source will
    /// send it another update: one that never started is forgotten, a running one starts
    /// terminating, a terminating one is nudged.
    fn remove_terminated_worker(&mut self, ctx: &mut Ctx<'_>, uid: &str, orphaned: bool) -> bool {
        let now = ctx.now;
        let Some(status) = self.statuses.get_mut(uid) else {
            return true;
        };
        if !status.finished {
            if !orphaned {
                ctx.log(
                    LogLine::info(
                        4,
                        "pod_workers.go:1637",
                        "Pod worker has been requested for removal but is still not fully terminated",
                    )
                    .with("podUID", uid),
                );
                return false;
            }
            status.deleted = true;
            let observed_runtime = [&status.active, &status.pending]
                .into_iter()
                .any(|o| o.as_ref().is_some_and(|o| o.runtime_only));
            if status.started_at.is_none() && !observed_runtime {
                ctx.log(
                    LogLine::info(
                        4,
                        "pod_workers.go:1652",
                        "Pod is orphaned and has not been started",
                    )
                    .with("podUID", uid),
                );
            } else if !status.termination_requested() {
                status.terminating_at = Some(now);
                status.grace_period = match status.active.as_ref() {
                    Some(active) => {
                        calculate_effective_grace_period(status.grace_period, &active.pod, None).0
                    }
                    None => 1,
                };
                self.requeue_last_pod_update(uid, now);
                ctx.log(
                    LogLine::info(
                        4,
                        "pod_workers.go:1665",
                        "Pod is orphaned and still running, began terminating",
                    )
                    .with("podUID", uid),
                );
                return false;
            } else {
                self.requeue_last_pod_update(uid, now);
                ctx.log(
                    LogLine::info(
                        4,
                        "pod_workers.go:1672",
                        "Pod is orphaned and still terminating, notified the pod worker",
                    )
                    .with("podUID", uid),
                );
                return false;
            }
        }
        let Some(status) = self.statuses.remove(uid) else {
            return true;
        };
        let message = if status.restart_requested {
            "Pod has been terminated but another pod with the same UID was created, remove history to allow restart"
        } else {
            "Pod has been terminated and is no longer known to the kubelet, remove all history"
        };
        ctx.log(LogLine::info(4, "pod_workers.go:1679", message).with("podUID", uid));
        self.work_queue.remove(uid);
        self.release_static_slot(&status.full_name, uid);
        true
    }

    /// `requeueLastPodUpdate`: replays the last update the worker ran, unless another is
    /// already waiting, and wakes an idle worker to run it.
    fn requeue_last_pod_update(&mut self, uid: &str, now: SimTime) {
        let Some(status) = self.statuses.get_mut(uid) else {
            return;
        };
        if status.pending.is_some() || status.active.is_none() {
            return;
        }
        status.pending = status.active.clone();
        if !status.working {
            status.working = true;
            self.schedule(uid, now);
        }
    }

    /// Wakes a worker parked by a `Wait` (what it waited for happened early).
    pub fn wake(&mut self, uid: &str, now: SimTime) {
        let parked = self
            .statuses
            .get(uid)
            .is_some_and(|s| s.blocked_until.is_some_and(|t| t > now));
        if parked {
            if let Some(status) = self.statuses.get_mut(uid) {
                status.blocked_until = Some(now);
            }
            self.schedule(uid, now);
        }
    }

    /// `ShouldPodContentBeRemoved`: the pod was deleted and has stopped, or it is unknown to
    /// the workers once they have synced with the desired pods.
    pub fn should_pod_content_be_removed(&self, uid: &str) -> bool {
        match self.statuses.get(uid) {
            Some(status) => status.deleted && status.terminated(),
            None => self.pods_synced,
        }
    }

    /// Whether the pod has been asked to stop.
    pub fn is_termination_requested(&self, uid: &str) -> bool {
        self.statuses
            .get(uid)
            .is_some_and(PodSyncStatus::termination_requested)
    }

    /// Whether the worker for `uid` is done for good.
    pub fn is_finished(&self, uid: &str) -> bool {
        self.statuses.get(uid).is_some_and(|s| s.finished)
    }

    /// Whether a worker exists for `uid`.
    pub fn is_known(&self, uid: &str) -> bool {
        self.statuses.contains_key(uid)
    }

    /// Whether the worker may still have containers running (it is not yet terminated).
    pub fn could_have_running_containers(&self, uid: &str) -> bool {
        self.statuses.get(uid).is_some_and(|s| !s.terminated())
    }

    /// `IsPodForMirrorPodTerminatingByFullName`: the static pod holding `full_name` is
    /// stopping and not yet stopped.
    pub fn is_static_pod_terminating(&self, full_name: &str) -> bool {
        let Some(uid) = self.started_static_by_full_name.get(full_name) else {
            return false;
        };
        self.statuses
            .get(uid.as_str())
            .is_some_and(|s| s.termination_requested() && !s.terminated())
    }

    /// The effective grace period recorded for a terminating pod.
    pub fn grace_period(&self, uid: &str) -> Option<i64> {
        self.statuses
            .get(uid)
            .filter(|s| s.termination_requested())
            .map(|s| s.grace_period)
    }

    /// The UIDs of every worker.
    pub fn uids(&self) -> Vec<String> {
        self.statuses.keys().map(InlineId::to_string).collect()
    }

    /// Every worker as an observer sees it at `now`, by UID.
    pub fn snapshots(&self, now: SimTime) -> Vec<WorkerSnapshot> {
        self.statuses
            .iter()
            .map(|(uid, status)| {
                let pod = status
                    .active
                    .as_ref()
                    .or(status.pending.as_ref())
                    .map(|o| &*o.pod);
                WorkerSnapshot {
                    uid: uid.to_string(),
                    full_name: status.full_name.clone(),
                    namespace: pod.map(pod_namespace).unwrap_or_default().to_string(),
                    name: pod.map(pod_name).unwrap_or_default().to_string(),
                    state: status.work_type(),
                    finished: status.finished,
                    blocked_until: status.blocked_until.filter(|t| now < *t),
                    next_resync: self.work_queue.get(uid).copied(),
                    is_static: status.is_static,
                }
            })
            .collect()
    }
}

/// What an observer sees of one worker (`podSyncStatus`, read-only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerSnapshot {
    /// The pod's UID.
    pub uid: String,
    /// `name_namespace`.
    pub full_name: String,
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub name: String,
    /// Syncing, terminating or terminated.
    pub state: WorkType,
    /// Done for good (terminated and cleaned up).
    pub finished: bool,
    /// Parked by a sync that has to wait, until then.
    pub blocked_until: Option<SimTime>,
    /// When the work queue resyncs it next.
    pub next_resync: Option<SimTime>,
    /// It is a static pod.
    pub is_static: bool,
}

/// Puts the active update back as pending, so the next phase runs at once
/// (`requeueLastPodUpdate`).
fn requeue_last_update(status: &mut PodSyncStatus) {
    if status.pending.is_none() {
        status.pending = status.active.clone();
    }
}

fn is_terminal_phase(pod: &corev1::Pod) -> bool {
    matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// `calculateEffectiveGracePeriod`: the API's deletion grace period, then a kubelet override,
/// may only lower the current value; unset falls back to the pod spec; at least 1. Also says
/// whether an already set grace period got shorter.
pub fn calculate_effective_grace_period(
    current: i64,
    pod: &corev1::Pod,
    override_grace: Option<i64>,
) -> (i64, bool) {
    let mut grace = current;
    let mut overridden = false;
    if let Some(deletion) = pod.metadata.deletion_grace_period_seconds {
        if grace == 0 || deletion < grace {
            grace = deletion;
            overridden = true;
        }
    }
    if let Some(value) = override_grace {
        if grace == 0 || value < grace {
            grace = value;
            overridden = true;
        }
    }
    if !overridden && grace == 0 {
        if let Some(spec) = pod
            .spec
            .as_ref()
            .and_then(|s| s.termination_grace_period_seconds)
        {
            grace = spec;
        }
    }
    if grace < 1 {
        grace = 1;
    }
    (grace, current != 0 && current != grace)
}

#[cfg(test)]
mod tests;
