//! Mirrors `pkg/kubelet/kubelet.go` (v1.34): the running kubelet — its pod sources
//! (`makePodSourceConfig`), the pod-config mux, the managers the sync loop drives, and the
//! timers that drive them.
//!
//! The kubelet never schedules anything itself: it leaves `(time, timer)` pairs in an outbox
//! that the cluster drains into the event queue, and the cluster calls back `on_timer`. The
//! sync loop is in `sync_loop.rs`, the pod sync functions and housekeeping in `kubelet_pods.rs`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::apiserver::ApiServer;
use crate::kubelet::client::ApiClient;
use crate::kubelet::config::apiserver::{Next, SourceApiserver};
use crate::kubelet::config::file::{SourceFile, WatchNext};
use crate::kubelet::config::http::{HttpOutcome, HttpRequest, SourceUrl};
use crate::kubelet::config::{NotificationMode, PodConfig, SourcesReady};
use crate::kubelet::context::Ctx;
use crate::kubelet::cri::Cri;
use crate::kubelet::events::{InvolvedObject, Recorder};
use crate::kubelet::kuberuntime::{stable_key, RuntimeManager};
use crate::kubelet::node_lease::{LeaseTarget, NodeLeaseController};
use crate::kubelet::node_status::{MachineInfo, NODE_STATUS_UPDATE_FREQUENCY};
use crate::kubelet::pleg::{Pleg, PlegEvent, RELIST_PERIOD};
use crate::kubelet::pod_manager::PodManager;
use crate::kubelet::pod_workers::PodWorkers;
use crate::kubelet::prober::{ProbeManager, ProbeUpdate, WorkerKey};
use crate::kubelet::running_pods::RunningPods;
use crate::kubelet::server::{load_settings, KubeletSettings, StartError};
use crate::kubelet::status::{ReasonCache, StatusManager};
use crate::kubelet::types::{API_SOURCE, FILE_SOURCE, HTTP_SOURCE};
use crate::node::fs::{Fs, WatchEvent};
use crate::sim::trace::{Event, LogLine};
use crate::sim::{SimDuration, SimTime};

/// The sync loop's ticker (`syncTicker`).
pub const SYNC_PERIOD: SimDuration = SimDuration::from_secs(1);
/// The housekeeping ticker (`housekeepingPeriod`).
pub const HOUSEKEEPING_PERIOD: SimDuration = SimDuration::from_secs(2);
/// How often the status manager writes statuses in a batch (`syncPeriod` of status.Manager).
pub const STATUS_SYNC_PERIOD: SimDuration = SimDuration::from_secs(10);
/// How often dead containers are garbage-collected (`ContainerGCPeriod`).
pub const CONTAINER_GC_PERIOD: SimDuration = SimDuration::from_mins(1);

/// Something the kubelet asked to be woken for.
#[derive(Debug, Clone, PartialEq)]
pub enum KubeletTimer {
    /// The file source's periodic relist.
    FileRelist,
    /// The file source's next watch attempt.
    FileWatch,
    /// The URL source's next fetch.
    UrlFetch,
    /// A URL fetch's outcome is known.
    UrlDone(HttpOutcome),
    /// The API source's poll (node sync, relist back-off).
    ApiSource,
    /// Run the sync loop: some channel is ready.
    SyncLoop,
    /// The 1 s sync ticker.
    SyncTick,
    /// The 2 s housekeeping ticker.
    Housekeeping,
    /// PLEG's relist.
    PlegRelist,
    /// A pod worker's run.
    PodWorker(String),
    /// A probe worker's tick.
    Probe(WorkerKey),
    /// Post the node status.
    NodeStatus,
    /// Renew the node lease (or retry ensuring it).
    NodeLease,
    /// The status manager's batch write.
    StatusSync,
    /// Container garbage collection.
    ContainerGc,
}

impl KubeletTimer {
    /// A short name for the timer's kind (for counting wake-ups by source).
    pub fn kind(&self) -> &'static str {
        match self {
            KubeletTimer::FileRelist => "file-relist",
            KubeletTimer::FileWatch => "file-watch",
            KubeletTimer::UrlFetch => "url-fetch",
            KubeletTimer::UrlDone(_) => "url-done",
            KubeletTimer::ApiSource => "api-source",
            KubeletTimer::SyncLoop => "sync-loop",
            KubeletTimer::SyncTick => "sync-tick",
            KubeletTimer::Housekeeping => "housekeeping",
            KubeletTimer::PlegRelist => "pleg-relist",
            KubeletTimer::PodWorker(_) => "pod-worker",
            KubeletTimer::Probe(_) => "probe",
            KubeletTimer::NodeStatus => "node-status",
            KubeletTimer::NodeLease => "node-lease",
            KubeletTimer::StatusSync => "status-sync",
            KubeletTimer::ContainerGc => "container-gc",
        }
    }
}

/// What a kubelet call may touch besides the kubelet itself.
pub struct KubeletEnv<'a> {
    /// The node's filesystem.
    pub fs: &'a mut Fs,
    /// The API server (every call checks whether it is serving).
    pub api: &'a mut ApiServer,
    /// The container runtime.
    pub cri: &'a mut dyn Cri,
    /// The API server's write paths with their admission rules.
    pub client: &'a mut dyn ApiClient,
}

/// One running kubelet process.
#[derive(Clone)]
pub struct Kubelet {
    pub(super) settings: KubeletSettings,
    pid: u32,
    pub(super) machine: MachineInfo,
    pub(super) pod_config: PodConfig,
    pub(super) sources_ready: SourcesReady,
    file_source: Option<SourceFile>,
    url_source: Option<SourceUrl>,
    api_source: Option<SourceApiserver>,
    /// Whether the API source waits for the next change in the API server.
    api_source_waits_for_change: bool,
    pub(super) outbox: Vec<(SimTime, KubeletTimer)>,
    pub(super) pod_manager: PodManager,
    pub(super) pod_workers: PodWorkers,
    pub(super) runtime: RuntimeManager,
    pub(super) status_manager: StatusManager,
    pub(super) reasons: ReasonCache,
    pub(super) recorder: Recorder,
    pub(super) probes: ProbeManager,
    pleg: Pleg,
    /// The runtime's running pods, for housekeeping's orphan search.
    pub(super) running_pods: RunningPods,
    /// Sync-loop channels with something waiting.
    pub(super) pleg_events: VecDeque<PlegEvent>,
    pub(super) probe_updates: VecDeque<ProbeUpdate>,
    pub(super) sync_tick_ready: bool,
    pub(super) housekeeping_ready: bool,
    sync_loop_scheduled: bool,
    pub(super) node_registered: bool,
    /// When the node status was last posted (`lastStatusReportTime`).
    pub(super) last_status_report: Option<SimTime>,
    /// The node lease's controller.
    node_lease: NodeLeaseController,
    /// Pod workers parked until these containers stop.
    pub(super) kill_waits: BTreeMap<String, Vec<String>>,
}

impl std::fmt::Debug for Kubelet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kubelet")
            .field("node", &self.settings.node_name)
            .field("pid", &self.pid)
            .finish_non_exhaustive()
    }
}

impl Kubelet {
    /// Starts kubelet process `pid` with `args` (without `argv[0]`) on a machine: loads its
    /// settings, registers its sources, lets each source run once as upstream does at start,
    /// and starts the sync loop's tickers.
    pub fn start(
        ctx: &mut Ctx<'_>,
        env: &mut KubeletEnv<'_>,
        machine: MachineInfo,
        args: &[String],
        pid: u32,
    ) -> Result<Kubelet, StartError> {
        let settings =
            load_settings(ctx, env.fs, &machine.name, args, pid).inspect_err(|error| {
                ctx.log(LogLine::error("run.go:72", "command failed").with("err", &error.message));
            })?;
        let pod_subnet = pod_subnet_for(&machine.ip);
        let resync = settings.config.sync_frequency;
        let mut kubelet = Kubelet {
            machine: MachineInfo {
                name: settings.node_name.clone(),
                max_pods: settings.config.max_pods,
                ..machine
            },
            settings,
            pid,
            pod_config: PodConfig::new(NotificationMode::Incremental),
            sources_ready: SourcesReady::default(),
            file_source: None,
            url_source: None,
            api_source: None,
            api_source_waits_for_change: false,
            outbox: Vec::new(),
            pod_manager: PodManager::default(),
            pod_workers: PodWorkers::new(resync),
            runtime: RuntimeManager::new(&pod_subnet),
            status_manager: StatusManager::default(),
            reasons: ReasonCache::default(),
            recorder: Recorder::default(),
            probes: ProbeManager::default(),
            pleg: Pleg::default(),
            running_pods: RunningPods::default(),
            pleg_events: VecDeque::new(),
            probe_updates: VecDeque::new(),
            sync_tick_ready: false,
            housekeeping_ready: false,
            sync_loop_scheduled: false,
            node_registered: false,
            last_status_report: None,
            node_lease: NodeLeaseController::default(),
            kill_waits: BTreeMap::new(),
        };
        kubelet.runtime.adopt_ips(env.cri);
        kubelet.make_pod_source_config(ctx, env);
        kubelet.run(ctx, env);
        Ok(kubelet)
    }

    /// `makePodSourceConfig`: file, then http, then api, each only when configured.
    fn make_pod_source_config(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        let config = self.settings.config.clone();
        let node_name = self.settings.node_name.clone();
        if self.settings.has_api_client {
            ctx.log(LogLine::info(
                0,
                "kubelet.go:401",
                "Attempting to sync node with API server",
            ));
        } else {
            ctx.log(LogLine::info(
                0,
                "kubelet.go:412",
                "Kubelet is running in standalone mode, will skip API server sync",
            ));
        }
        if !config.static_pod_path.is_empty() {
            ctx.log(
                LogLine::info(0, "kubelet.go:310", "Adding static pod path")
                    .with("path", &config.static_pod_path),
            );
            self.pod_config.channel(FILE_SOURCE);
            let mut source = SourceFile::new(
                ctx,
                &config.static_pod_path,
                &node_name,
                config.file_check_frequency,
            );
            // The run loop reads the path at once, then every period; the watch loop starts
            // alongside it.
            source.relist(ctx, env.fs, &mut self.pod_config);
            self.outbox
                .push((ctx.now + source.period(), KubeletTimer::FileRelist));
            self.file_source = Some(source);
            self.watch_attempt(ctx, env);
        }
        if !config.static_pod_url.is_empty() {
            let header: Vec<(String, String)> = config
                .static_pod_url_header
                .iter()
                .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
                .collect();
            ctx.log(
                LogLine::info(0, "kubelet.go:316", "Adding pod URL with HTTP header")
                    .with("URL", &config.static_pod_url)
                    .with("header", format!("{:?}", config.static_pod_url_header)),
            );
            self.pod_config.channel(HTTP_SOURCE);
            self.url_source = Some(SourceUrl::new(
                ctx,
                &config.static_pod_url,
                header,
                &node_name,
                config.http_check_frequency,
            ));
            self.outbox.push((ctx.now, KubeletTimer::UrlFetch));
        }
        if self.settings.has_api_client {
            ctx.log(LogLine::info(
                0,
                "kubelet.go:322",
                "Adding apiserver pod source",
            ));
            self.pod_config.channel(API_SOURCE);
            self.api_source = Some(SourceApiserver::new(
                ctx,
                &node_name,
                &self.settings.api_server,
            ));
            self.outbox.push((ctx.now, KubeletTimer::ApiSource));
        }
    }

    /// `Run`: node registration, the status and GC loops, PLEG, and the main sync loop.
    fn run(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        if self.settings.has_api_client {
            self.record_start_up_events(ctx);
            self.outbox.push((ctx.now, KubeletTimer::NodeStatus));
            self.outbox.push((ctx.now, KubeletTimer::NodeLease));
            self.outbox
                .push((ctx.now + STATUS_SYNC_PERIOD, KubeletTimer::StatusSync));
        } else {
            ctx.log(LogLine::info(
                0,
                "kubelet.go:1665",
                "No API server defined - no node status update will be sent",
            ));
        }
        self.relist(ctx, env);
        self.outbox
            .push((ctx.now + CONTAINER_GC_PERIOD, KubeletTimer::ContainerGc));
        ctx.log(LogLine::info(
            0,
            "kubelet.go:2391",
            "Starting kubelet main sync loop",
        ));
        self.outbox
            .push((ctx.now + SYNC_PERIOD, KubeletTimer::SyncTick));
        self.outbox
            .push((ctx.now + HOUSEKEEPING_PERIOD, KubeletTimer::Housekeeping));
        self.kick_sync_loop(ctx.now);
    }

    /// The Node events of every kubelet start: `BirthCry`, the container manager's
    /// allocatable enforcement, and the condition setters run on `initialNode` (no
    /// conditions yet, so each one changes). Upstream's node reference has the node's name as
    /// its UID.
    ///
    /// Simplified: the pressure events are recorded once (a real start often shows
    /// `(x2 over ...)`, from a second pass over the initial node) and the image-filesystem
    /// `InvalidDiskCapacity` warning that some starts show is not.
    fn record_start_up_events(&mut self, ctx: &mut Ctx<'_>) {
        let name = self.machine.name.clone();
        let node = || InvolvedObject::node(&name, &name);
        self.recorder
            .eventf(ctx, node(), "Normal", "Starting", "Starting kubelet.");
        self.recorder.eventf(
            ctx,
            node(),
            "Normal",
            "NodeAllocatableEnforced",
            "Updated Node Allocatable limit across pods",
        );
        for reason in [
            "NodeHasSufficientMemory",
            "NodeHasNoDiskPressure",
            "NodeHasSufficientPID",
        ] {
            self.recorder.eventf(
                ctx,
                node(),
                "Normal",
                reason,
                format!("Node {name} status is now: {reason}"),
            );
        }
    }

    /// The process id, as the journal shows it.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// What the kubelet decided at start-up.
    pub fn settings(&self) -> &KubeletSettings {
        &self.settings
    }

    /// The pod-config mux.
    pub fn pod_config(&self) -> &PodConfig {
        &self.pod_config
    }

    /// The desired pods.
    pub fn pod_manager(&self) -> &PodManager {
        &self.pod_manager
    }

    /// The restart back-off held for container `container` of the pod with full name
    /// `full_name` (`NAME_NAMESPACE`): zero while it has none, `None` when the kubelet has no
    /// such pod or container.
    pub fn container_backoff(&self, full_name: &str, container: &str) -> Option<SimDuration> {
        let pod = self.pod_manager.pod_by_full_name(full_name)?;
        let spec = pod
            .spec
            .as_ref()?
            .containers
            .iter()
            .find(|c| c.name == container)?;
        Some(self.runtime.backoff.get(&stable_key(pod, spec)))
    }

    /// The pod workers.
    pub fn pod_workers(&self) -> &PodWorkers {
        &self.pod_workers
    }

    /// The file source, if `staticPodPath` is set.
    pub fn file_source(&self) -> Option<&SourceFile> {
        self.file_source.as_ref()
    }

    /// The registered source names.
    pub fn sources(&self) -> &BTreeSet<String> {
        self.pod_config.sources()
    }

    /// Hands the wake-ups requested since the last call to `queue`, oldest first. The outbox
    /// is drained in place, so it keeps its room for the next step instead of being
    /// reallocated on every wake-up.
    pub fn drain_timers(&mut self, mut queue: impl FnMut(SimTime, KubeletTimer)) {
        let wakes = self.pod_workers.take_wakes();
        self.outbox.extend(
            wakes
                .into_iter()
                .map(|(uid, at)| (at, KubeletTimer::PodWorker(uid))),
        );
        for (at, timer) in self.outbox.drain(..) {
            queue(at, timer);
        }
    }

    /// The request the URL source is about to send, if it has one.
    pub fn url_request(&self) -> Option<HttpRequest> {
        self.url_source.as_ref().map(SourceUrl::request)
    }

    /// Whether the API source is waiting for the API server to change.
    pub fn wants_api_changes(&self) -> bool {
        self.api_source_waits_for_change
    }

    /// Asks for a sync-loop run now, unless one is already queued.
    pub(super) fn kick_sync_loop(&mut self, now: SimTime) {
        if !self.sync_loop_scheduled {
            self.sync_loop_scheduled = true;
            self.outbox.push((now, KubeletTimer::SyncLoop));
        }
    }

    /// Runs a timer the kubelet asked for.
    pub fn on_timer(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>, timer: KubeletTimer) {
        match timer {
            KubeletTimer::FileRelist => {
                if let Some(source) = &mut self.file_source {
                    source.relist(ctx, env.fs, &mut self.pod_config);
                    self.outbox
                        .push((ctx.now + source.period(), KubeletTimer::FileRelist));
                }
            }
            KubeletTimer::FileWatch => self.watch_attempt(ctx, env),
            KubeletTimer::UrlFetch => {
                // The cluster performs the request (it knows every host) and answers with
                // `UrlDone`; see `Cluster::run_kubelet_timer`.
            }
            KubeletTimer::UrlDone(outcome) => {
                if let Some(source) = &mut self.url_source {
                    source.complete(ctx, &mut self.pod_config, outcome);
                    self.outbox
                        .push((ctx.now + source.period(), KubeletTimer::UrlFetch));
                }
            }
            KubeletTimer::ApiSource => self.poll_api_source(ctx, env),
            KubeletTimer::SyncLoop => {
                self.sync_loop_scheduled = false;
                self.run_sync_loop(ctx, env);
            }
            KubeletTimer::SyncTick => {
                self.sync_tick_ready = true;
                self.outbox
                    .push((ctx.now + SYNC_PERIOD, KubeletTimer::SyncTick));
            }
            KubeletTimer::Housekeeping => {
                self.housekeeping_ready = true;
                self.outbox
                    .push((ctx.now + HOUSEKEEPING_PERIOD, KubeletTimer::Housekeeping));
            }
            KubeletTimer::PlegRelist => self.relist(ctx, env),
            KubeletTimer::PodWorker(uid) => self.run_pod_worker(ctx, env, &uid),
            KubeletTimer::Probe(key) => self.run_probe(ctx, env, key),
            KubeletTimer::NodeStatus => {
                self.sync_node_status(ctx, env);
                self.outbox.push((
                    ctx.now + NODE_STATUS_UPDATE_FREQUENCY,
                    KubeletTimer::NodeStatus,
                ));
            }
            KubeletTimer::NodeLease => {
                let target = LeaseTarget {
                    node: &self.machine.name,
                    server: &self.settings.api_server,
                };
                let next = self.node_lease.sync(ctx, env.api, &target);
                self.outbox.push((ctx.now + next, KubeletTimer::NodeLease));
            }
            KubeletTimer::StatusSync => {
                self.sync_statuses(ctx, env, true);
                self.outbox
                    .push((ctx.now + STATUS_SYNC_PERIOD, KubeletTimer::StatusSync));
            }
            KubeletTimer::ContainerGc => {
                self.garbage_collect(ctx, env);
                self.outbox
                    .push((ctx.now + CONTAINER_GC_PERIOD, KubeletTimer::ContainerGc));
            }
        }
        self.flush_events(ctx, env);
        self.after_step(ctx);
    }

    /// Work every entry point ends with: a sync-loop run if a channel has something.
    fn after_step(&mut self, ctx: &mut Ctx<'_>) {
        let ready = self.pod_config.has_updates()
            || !self.pleg_events.is_empty()
            || !self.probe_updates.is_empty()
            || self.sync_tick_ready
            || self.housekeeping_ready;
        if ready {
            self.kick_sync_loop(ctx.now);
        }
    }

    /// PLEG's relist: events go to the sync loop's PLEG channel.
    fn relist(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        let events = self.pleg.relist(env.cri);
        for event in &events {
            ctx.record(Event::PlegEvent {
                pod_uid: event.pod_uid.clone(),
                event_type: event.event_type.as_str().to_string(),
                container_id: event.container_id.clone(),
            });
        }
        self.pleg_events.extend(events);
        self.outbox
            .push((ctx.now + RELIST_PERIOD, KubeletTimer::PlegRelist));
    }

    /// The API server changed (or started/stopped serving).
    pub fn on_api_change(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        if self.api_source_waits_for_change {
            self.poll_api_source(ctx, env);
        }
        self.flush_events(ctx, env);
        self.after_step(ctx);
    }

    /// The runtime changed state (a process exited, a pull finished): wake pod workers that
    /// wait for containers to stop.
    pub fn on_runtime_change(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        if self.kill_waits.is_empty() {
            return;
        }
        let running: BTreeSet<String> = env
            .cri
            .list_containers_filtered(&crate::node::cri::ContainerFilter {
                state: Some(crate::kubelet::container::ContainerState::Running),
                ..Default::default()
            })
            .into_iter()
            .map(|c| c.id.to_string())
            .collect();
        let done: Vec<String> = self
            .kill_waits
            .iter()
            .filter(|(_, ids)| ids.iter().all(|id| !running.contains(id)))
            .map(|(uid, _)| uid.clone())
            .collect();
        for uid in done {
            self.kill_waits.remove(&uid);
            self.pod_workers.wake(&uid, ctx.now);
        }
        self.runtime.forget_stopped(&running);
    }

    fn poll_api_source(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        let Some(source) = &mut self.api_source else {
            return;
        };
        match source.poll(ctx, env.api, &mut self.pod_config) {
            Next::WakeAt(at) => {
                self.api_source_waits_for_change = false;
                self.outbox.push((at, KubeletTimer::ApiSource));
            }
            Next::OnChange => self.api_source_waits_for_change = true,
        }
    }

    fn watch_attempt(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        let Some(source) = &mut self.file_source else {
            return;
        };
        match source.watch_attempt(ctx, env.fs, &mut self.pod_config) {
            WatchNext::RetryAt(at) => self.outbox.push((at, KubeletTimer::FileWatch)),
            WatchNext::Watching(_) => (),
        }
    }

    /// Handles an inotify event if it belongs to this kubelet's watch.
    pub fn on_fs_event(&mut self, ctx: &mut Ctx<'_>, fs: &Fs, event: &WatchEvent) {
        let Some(source) = &mut self.file_source else {
            return;
        };
        if source.watch_id() != Some(event.watch) {
            return;
        }
        source.on_watch_event(ctx, fs, &mut self.pod_config, event);
        self.after_step(ctx);
    }

    /// The process is exiting: release what the kernel would release.
    pub fn stop(&mut self, fs: &mut Fs) {
        if let Some(source) = &mut self.file_source {
            source.stop_watch(fs);
        }
    }
}

/// The pod /24 of a node, from its address: `172.30.<n>.2` → `192.168.<n-1>`.
pub fn pod_subnet_for(ip: &str) -> String {
    let third: u8 = ip
        .split('.')
        .nth(2)
        .and_then(|o| o.parse().ok())
        .unwrap_or(1);
    format!("192.168.{}", third.saturating_sub(1))
}
