//! Wires nodes, kubelets, container runtimes, systemd and the API server into one world that
//! the UI, the runner and the tests drive.
//!
//! The world owns the only clock, event queue, random generator and event log. Components
//! never schedule anything themselves: they ask (a kubelet's timer outbox, a runtime's next
//! wake-up, a unit's restart), and the world queues the wake-up and calls them back at that
//! virtual time.

pub mod boot;
pub mod client;
pub mod defaults;
pub mod network;
pub mod processes;
pub mod services;
pub mod wakeup_counts;

use std::collections::BTreeMap;

use crate::apiserver::store::{StoreFault, Undecodable, Unencodable};
use crate::apiserver::{ApiServer, Components, ControlPlane, API_SERVER_PORT};
use crate::cluster::client::{NodeClient, POD_STRATEGY};
use crate::kubelet::context::Ctx;
use crate::kubelet::kubelet::{Kubelet, KubeletEnv, KubeletTimer};
use crate::kubelet::node_status::MachineInfo;
use crate::node::runtime::components::ComponentKind;
use crate::node::systemd::UnitState;
use crate::node::Node;
use crate::sim::queue::QueueMark;
use crate::sim::trace::{Event, Trace};
use crate::sim::{EventQueue, Rng, SimDuration, SimTime};

/// How often the scheduler and controllers may run: the grid of instants at which the world
/// asks whether they have anything to do.
pub const CONTROL_PLANE_PERIOD: SimDuration = SimDuration::from_secs(1);

/// A wake-up in the event queue.
#[derive(Debug, Clone)]
enum Wake {
    /// A kubelet's timer; `generation` tells a timer of a stopped kubelet from its successor's.
    Kubelet {
        host: usize,
        generation: u64,
        timer: KubeletTimer,
    },
    /// A runtime's processes or pulls need time to pass.
    Runtime { host: usize },
    /// systemd restarts a unit after `RestartSec`.
    UnitRestart {
        host: usize,
        unit: String,
        generation: u64,
    },
}

impl Wake {
    /// Who asked for the wake-up, for [`Cluster::wakeups_by_source`].
    fn source(&self) -> &'static str {
        match self {
            Wake::Kubelet { timer, .. } => timer.kind(),
            Wake::Runtime { .. } => "runtime",
            Wake::UnitRestart { .. } => "unit-restart",
        }
    }
}

/// A node with the processes systemd runs on it.
#[derive(Debug, Clone)]
pub struct Host {
    /// The node (filesystem, runtime, HTTP servers).
    pub node: Node,
    /// What the kubelet learns about the machine.
    pub machine: MachineInfo,
    kubelet: Option<Kubelet>,
    generation: u64,
    /// systemd's units by name.
    pub units: BTreeMap<String, UnitState>,
    /// Per unit, a counter that cancels queued restarts when the unit is started or stopped.
    unit_generations: BTreeMap<String, u64>,
    /// Per unit, the command line its main process runs (for `ps`).
    unit_commands: BTreeMap<String, Vec<String>>,
    /// When a runtime wake-up is queued.
    runtime_wake: Option<SimTime>,
    /// The runtime revision the kubelet was last told about.
    runtime_seen: u64,
}

impl Host {
    /// The running kubelet, if any.
    pub fn kubelet(&self) -> Option<&Kubelet> {
        self.kubelet.as_ref()
    }
}

/// The simulated world.
#[derive(Debug, Clone)]
pub struct Cluster {
    now: SimTime,
    queue: EventQueue<Wake>,
    rng: Rng,
    trace: Trace,
    api: ApiServer,
    control: ControlPlane,
    hosts: Vec<Host>,
    /// The API server's (revision, serving) the kubelets were last told about.
    api_seen: (u64, bool),
    /// The host whose static pods are the control plane; `None` leaves the API server's
    /// serving switch to the caller (tests of one layer).
    control_plane_host: Option<usize>,
    /// The control plane's next instant, and the place in the queue's order a wake-up for it
    /// would have (see `control_plane_instant`).
    control_plane_next: Option<QueueMark>,
    /// Wake-ups dispatched at the current instant: a component that keeps asking for "now"
    /// would freeze the learner's tab, so past [`SAME_INSTANT_LIMIT`] the rest of the instant
    /// is moved [`STORM_DEFERRAL`] later (see `dispatch`).
    same_instant: (SimTime, u32),
    /// Wake-ups dispatched since the world was created (for benchmarks: events per second).
    wakeups: u64,
    /// The same, by who asked for them (kubelet timers by kind).
    wakeups_by_source: wakeup_counts::WakeupCounts,
    /// How many storms the guard has stopped.
    storms: u32,
}

/// More wake-ups than this at one instant means a component never lets time pass.
const SAME_INSTANT_LIMIT: u32 = 100_000;

/// How far the storm guard moves the wake-ups of a stormed instant.
const STORM_DEFERRAL: SimDuration = SimDuration::from_secs(1);

impl Cluster {
    /// An empty world at time zero with the given seed and API server address.
    pub fn new(seed: u64, api_address: &str) -> Cluster {
        let api = ApiServer::new(api_address);
        let api_seen = (api.store().revision(), api.serving());
        Cluster {
            now: SimTime::ZERO,
            queue: EventQueue::default(),
            rng: Rng::seeded(seed),
            trace: Trace::default(),
            api,
            control: ControlPlane::new(POD_STRATEGY),
            hosts: Vec::new(),
            api_seen,
            control_plane_host: None,
            control_plane_next: None,
            same_instant: (SimTime::ZERO, 0),
            wakeups: 0,
            wakeups_by_source: Default::default(),
            storms: 0,
        }
    }

    /// Adds a host with a default machine (2 CPUs, 4 GiB, Ubuntu 24.04); returns its index.
    pub fn add_node(&mut self, node: Node) -> usize {
        let machine = MachineInfo {
            name: node.name.clone(),
            ip: node.ip.clone(),
            cpus: 2,
            memory_kib: 4_005_824,
            max_pods: 110,
            os_image: "Ubuntu 24.04.3 LTS".into(),
        };
        self.hosts.push(Host {
            node,
            machine,
            kubelet: None,
            generation: 0,
            units: BTreeMap::new(),
            unit_generations: BTreeMap::new(),
            unit_commands: BTreeMap::new(),
            runtime_wake: None,
            runtime_seen: 0,
        });
        self.hosts.len() - 1
    }

    /// Makes host `idx`'s static pods the control plane: the API server serves while its
    /// kube-apiserver and etcd run there, and the scheduler and controllers tick while theirs
    /// hold their leases.
    pub fn set_control_plane_host(&mut self, idx: usize) {
        self.control_plane_host = Some(idx);
        self.control_plane_next = Some(self.queue.mark(self.now));
        self.refresh_api_serving();
    }

    /// The current virtual time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// How many wake-ups the event loop has dispatched since the world was created.
    pub fn wakeups(&self) -> u64 {
        self.wakeups
    }

    /// The wake-ups dispatched since the world was created, by who asked for them: a kubelet
    /// timer's kind (`sync-tick`, `probe`, …), `runtime`, `unit-restart` or `control-plane`
    /// (the control plane's instants that had something to do).
    pub fn wakeups_by_source(&self) -> BTreeMap<&'static str, u64> {
        self.wakeups_by_source.by_source()
    }

    /// How many storms of same-instant wake-ups the event loop's guard has stopped.
    pub fn storms(&self) -> u32 {
        self.storms
    }

    /// The event log.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// A copy of the world that leaves its event log behind (an empty log that continues it):
    /// what the replay scrubber keeps, many times over, without copying the history each time.
    pub fn fork(&self) -> Cluster {
        Cluster {
            now: self.now,
            queue: self.queue.clone(),
            rng: self.rng.clone(),
            trace: self.trace.detached(),
            api: self.api.clone(),
            control: self.control.clone(),
            hosts: self.hosts.clone(),
            api_seen: self.api_seen,
            control_plane_host: self.control_plane_host,
            control_plane_next: self.control_plane_next,
            same_instant: self.same_instant,
            wakeups: self.wakeups,
            wakeups_by_source: self.wakeups_by_source.clone(),
            storms: self.storms,
        }
    }

    /// Puts `earlier` (the records just before this world's own, from the world it was forked
    /// from) back in front of its log, so views that look back see what happened before.
    pub fn restore_earlier(&mut self, earlier: &[crate::sim::trace::Record]) {
        self.trace = std::mem::take(&mut self.trace).with_earlier(earlier);
    }

    /// Records an event from outside the simulation (the shell, the UI).
    pub fn record(&mut self, host: &str, event: Event) {
        self.trace.record(self.now, host, event);
    }

    /// The API server.
    pub fn api(&self) -> &ApiServer {
        &self.api
    }

    /// The API server, for changes made from outside the simulation (kubectl, tests).
    pub fn api_mut(&mut self) -> &mut ApiServer {
        &mut self.api
    }

    /// The control plane (admission for kubectl's creates).
    pub fn control(&self) -> &ControlPlane {
        &self.control
    }

    /// The API server's write entry points for a client outside the control plane (kubectl):
    /// admission, defaulting and validation included, no store access. Call
    /// [`Cluster::settle`] afterwards so the world reacts.
    pub fn requests(&mut self) -> crate::apiserver::requests::Requests<'_> {
        crate::apiserver::requests::Requests::new(
            &mut self.api,
            &self.control,
            &mut self.rng,
            self.now,
        )
    }

    /// The simulation's random generator (for callers that create objects).
    pub fn rng_mut(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Every host.
    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    /// The index of the host called `name`.
    pub fn host_index(&self, name: &str) -> Option<usize> {
        self.hosts.iter().position(|h| h.node.name == name)
    }

    /// The host at `idx`.
    pub fn host(&self, idx: usize) -> &Host {
        &self.hosts[idx]
    }

    /// The node at `idx`, for changes from outside (the shell writing files, `crictl stop`).
    /// Call [`Cluster::settle`] afterwards so the world reacts.
    pub fn node_mut(&mut self, idx: usize) -> &mut Node {
        &mut self.hosts[idx].node
    }

    /// Host `idx`'s filesystem with the random generator and the time, for commands that
    /// write files (temporary names come from the generator).
    pub fn fs_parts(&mut self, idx: usize) -> (&mut crate::node::fs::Fs, &mut Rng, SimTime, &str) {
        let host = &mut self.hosts[idx];
        (&mut host.node.fs, &mut self.rng, self.now, &host.node.name)
    }

    /// Starts a kubelet process on host `idx` with `args` (without `argv[0]`). Returns the
    /// error it exited with if it could not start.
    pub fn start_kubelet(&mut self, idx: usize, args: &[String]) -> Result<u32, String> {
        self.stop_kubelet(idx);
        let host = &mut self.hosts[idx];
        host.generation += 1;
        let pid = host.node.allocate_pid();
        let mut ctx = Ctx {
            now: self.now,
            host: &host.node.name,
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        let verbosity = crate::kubelet::options::parse_flags(args)
            .map(|f| f.verbosity)
            .unwrap_or(0);
        ctx.record(Event::ProcessStarted {
            name: "kubelet".into(),
            pid,
            verbosity,
        });
        let mut client = NodeClient {
            control: &self.control,
            node: &host.node.name,
        };
        let mut env = KubeletEnv {
            fs: &mut host.node.fs,
            api: &mut self.api,
            cri: &mut host.node.runtime,
            client: &mut client,
        };
        match Kubelet::start(&mut ctx, &mut env, host.machine.clone(), args, pid) {
            Ok(kubelet) => {
                host.kubelet = Some(kubelet);
                host.runtime_seen = host.node.runtime.revision();
                self.after_host_step(idx);
                Ok(pid)
            }
            Err(err) => {
                ctx.record(Event::ProcessExited {
                    name: "kubelet".into(),
                    pid,
                    code: 1,
                });
                Err(err.message)
            }
        }
    }

    /// Stops the kubelet on host `idx`, if one runs. Its containers keep running.
    pub fn stop_kubelet(&mut self, idx: usize) {
        let host = &mut self.hosts[idx];
        let Some(mut kubelet) = host.kubelet.take() else {
            return;
        };
        kubelet.stop(&mut host.node.fs);
        host.generation += 1;
        self.trace.record(
            self.now,
            &host.node.name,
            Event::ProcessExited {
                name: "kubelet".into(),
                pid: kubelet.pid(),
                code: 0,
            },
        );
    }

    /// Runs `f` on host `idx`'s kubelet with everything it may touch.
    fn with_kubelet(
        &mut self,
        idx: usize,
        f: impl FnOnce(&mut Kubelet, &mut Ctx<'_>, &mut KubeletEnv<'_>),
    ) {
        // A kubeconfig naming another server: every request of this kubelet is refused there.
        let misdialled = self.hosts[idx]
            .kubelet
            .as_ref()
            .filter(|k| k.settings().has_api_client)
            .and_then(|k| {
                let nodes = self.hosts.iter().map(|h| &h.node);
                let api_host = self
                    .api
                    .address()
                    .rsplit_once(':')
                    .map_or("", |(host, _)| host);
                crate::cluster::network::refused_api_dial(
                    nodes,
                    &self.hosts[idx].node,
                    &k.settings().api_server,
                    api_host,
                )
            });
        self.api.set_misdialled(misdialled);
        self.with_kubelet_dialled(idx, f);
        self.api.set_misdialled(None);
    }

    fn with_kubelet_dialled(
        &mut self,
        idx: usize,
        f: impl FnOnce(&mut Kubelet, &mut Ctx<'_>, &mut KubeletEnv<'_>),
    ) {
        let host = &mut self.hosts[idx];
        let Some(kubelet) = host.kubelet.as_mut() else {
            return;
        };
        let mut ctx = Ctx {
            now: self.now,
            host: &host.node.name,
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        let mut client = NodeClient {
            control: &self.control,
            node: &host.node.name,
        };
        let mut env = KubeletEnv {
            fs: &mut host.node.fs,
            api: &mut self.api,
            cri: &mut host.node.runtime,
            client: &mut client,
        };
        f(kubelet, &mut ctx, &mut env);
        self.after_host_step(idx);
    }

    /// Queues what host `idx` asked for after a step: kubelet timers and a runtime wake-up.
    fn after_host_step(&mut self, idx: usize) {
        let host = &mut self.hosts[idx];
        if let Some(kubelet) = &mut host.kubelet {
            let generation = host.generation;
            let queue = &mut self.queue;
            kubelet.drain_timers(|at, timer| {
                queue.push(
                    at,
                    Wake::Kubelet {
                        host: idx,
                        generation,
                        timer,
                    },
                );
            });
        }
        if let Some(at) = host.node.runtime.next_wake() {
            let at = at.max(self.now);
            if host.runtime_wake.is_none_or(|queued| at < queued) {
                host.runtime_wake = Some(at);
                self.queue.push(at, Wake::Runtime { host: idx });
            }
        }
    }

    /// Runs everything due now: fs events, runtime changes, API notifications and queued
    /// wake-ups at the current instant. Call after changing the world from outside.
    pub fn settle(&mut self) {
        self.run_until(self.now);
    }

    /// Advances virtual time by `d`, running everything that happens in between.
    // Never inlined, so a profiler can collect inside it alone (callgrind's `--toggle-collect`).
    #[inline(never)]
    pub fn advance(&mut self, d: SimDuration) {
        self.run_until(self.now + d);
    }

    /// Runs everything due up to and including `until`, then sets the clock to `until`.
    pub fn run_until(&mut self, until: SimTime) {
        loop {
            self.route_fs_events();
            self.route_runtime_changes();
            self.route_api_changes();
            if self.step(until).is_none() {
                break;
            }
        }
        self.now = until;
    }

    /// When the next step is due: the earlier of the queue's head and the control plane's
    /// next instant.
    fn next_step_time(&self) -> Option<SimTime> {
        let queued = self.queue.peek_time();
        let control = self.control_plane_next.map(|m| m.at);
        match (queued, control) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Runs the next thing due at or before `until`: the control plane's instant when it comes
    /// before the queue's head (where its wake-up would have been queued), else the head.
    /// Says `None` when nothing is due, else whether it was a wake-up (an instant at which the
    /// control plane had nothing to do is not).
    fn step(&mut self, until: SimTime) -> Option<bool> {
        if let Some(mark) = self.control_plane_next.filter(|m| m.at <= until) {
            if self.queue.peek_key().is_none_or(|head| mark < head) {
                self.now = mark.at;
                return Some(self.control_plane_instant());
            }
        }
        let (at, wake) = self.queue.pop_due(until)?;
        self.now = at;
        self.dispatch(wake);
        Some(true)
    }

    /// Like [`Cluster::run_until`], but stops early once it has dispatched `max_wakeups`
    /// wake-ups and finished the instant it is at, and then says `false`. The world is then
    /// exactly as `run_until(now)` leaves it, so slicing an advance this way gives the run of
    /// one `run_until` and the browser can spread a long advance over animation frames.
    pub fn run_until_limited(&mut self, until: SimTime, max_wakeups: u32) -> bool {
        let mut dispatched = 0u32;
        loop {
            self.route_fs_events();
            self.route_runtime_changes();
            self.route_api_changes();
            let next = self.next_step_time();
            if dispatched >= max_wakeups && next.is_some_and(|at| self.now < at && at <= until) {
                return false;
            }
            match self.step(until) {
                None => break,
                Some(true) => dispatched = dispatched.saturating_add(1),
                Some(false) => (),
            }
        }
        self.now = until;
        true
    }

    /// Runs until `done` holds (checked after each step) or `limit` passes; whether it held.
    pub fn run_while(&mut self, limit: SimTime, mut done: impl FnMut(&Cluster) -> bool) -> bool {
        loop {
            self.route_fs_events();
            self.route_runtime_changes();
            self.route_api_changes();
            if done(self) {
                return true;
            }
            if self.step(limit).is_none() {
                self.now = limit;
                return done(self);
            }
        }
    }

    /// Counts a wake-up from `source` at the current instant (for benchmarks and the storm
    /// guard).
    fn count_wakeup(&mut self, source: &'static str) {
        self.wakeups += 1;
        self.wakeups_by_source.count(source);
        if self.same_instant.0 == self.now {
            self.same_instant.1 = self.same_instant.1.saturating_add(1);
        } else {
            self.same_instant = (self.now, 0);
        }
    }

    fn dispatch(&mut self, wake: Wake) {
        self.count_wakeup(wake.source());
        if self.same_instant.1 >= SAME_INSTANT_LIMIT {
            // A storm: some component keeps scheduling "now". Running on would never let time
            // pass and would freeze the tab, so everything still due at this instant waits a
            // second instead; the learner hears of it in the journal, and the session goes on.
            if self.same_instant.1 == SAME_INSTANT_LIMIT {
                self.storms = self.storms.saturating_add(1);
                let host = self.wake_host(&wake);
                self.trace.record(
                    self.now,
                    &host,
                    Event::StormStopped {
                        wakeups: SAME_INSTANT_LIMIT,
                        wake: format!("{wake:?}"),
                    },
                );
            }
            self.queue.push(self.now + STORM_DEFERRAL, wake);
            return;
        }
        match wake {
            Wake::Kubelet {
                host,
                generation,
                timer,
            } => {
                if self.hosts[host].generation != generation {
                    return;
                }
                self.run_kubelet_timer(host, timer);
            }
            Wake::Runtime { host } => {
                let h = &mut self.hosts[host];
                if h.runtime_wake.is_some_and(|t| t <= self.now) {
                    h.runtime_wake = None;
                }
                h.node.runtime.advance(self.now, &mut h.node.fs);
                self.after_host_step(host);
            }
            Wake::UnitRestart {
                host,
                unit,
                generation,
            } => self.unit_restart_due(host, &unit, generation),
        }
    }

    /// Moves the store's failures into the trace, on the host the API server runs on.
    pub fn record_store_faults(&mut self) {
        let faults = self.api.store().take_faults();
        if faults.is_empty() {
            return;
        }
        let host = self
            .control_plane_host
            .and_then(|idx| self.hosts.get(idx))
            .map_or_else(|| "apiserver".to_string(), |h| h.node.name.clone());
        for fault in faults {
            let (operation, key, error) = match fault {
                StoreFault::Undecodable(Undecodable { key, error }) => ("decode", key, error),
                StoreFault::Unencodable(Unencodable { key, error }) => ("encode", key, error),
            };
            let key = key.storage_path();
            self.trace.record(
                self.now,
                &host,
                Event::StoreFault {
                    operation,
                    key,
                    error,
                },
            );
        }
    }

    /// The host a wake-up belongs to.
    fn wake_host(&self, wake: &Wake) -> String {
        let (Wake::Kubelet { host, .. } | Wake::Runtime { host } | Wake::UnitRestart { host, .. }) =
            wake;
        self.hosts
            .get(*host)
            .map_or_else(|| "apiserver".to_string(), |h| h.node.name.clone())
    }

    fn run_kubelet_timer(&mut self, idx: usize, timer: KubeletTimer) {
        if timer == KubeletTimer::UrlFetch {
            // The fetch crosses hosts, so the world performs it and hands back the outcome.
            let Some(request) = self.hosts[idx]
                .kubelet
                .as_ref()
                .and_then(Kubelet::url_request)
            else {
                return;
            };
            let nodes: Vec<&Node> = self.hosts.iter().map(|h| &h.node).collect();
            let outcome = network::http_get(&nodes, nodes[idx], &request);
            let at = self.now + outcome.latency;
            self.queue.push(
                at,
                Wake::Kubelet {
                    host: idx,
                    generation: self.hosts[idx].generation,
                    timer: KubeletTimer::UrlDone(outcome),
                },
            );
            return;
        }
        self.with_kubelet(idx, |kubelet, ctx, env| kubelet.on_timer(ctx, env, timer));
    }

    /// Hands every pending inotify event to the kubelet watching, at the current instant.
    fn route_fs_events(&mut self) {
        for idx in 0..self.hosts.len() {
            let host = &mut self.hosts[idx];
            let events = host.node.fs.take_events();
            if events.is_empty() {
                continue;
            }
            let Some(kubelet) = &mut host.kubelet else {
                continue;
            };
            let mut ctx = Ctx {
                now: self.now,
                host: &host.node.name,
                rng: &mut self.rng,
                trace: &mut self.trace,
            };
            for event in &events {
                kubelet.on_fs_event(&mut ctx, &host.node.fs, event);
            }
            self.after_host_step(idx);
        }
    }

    /// Tells kubelets about runtime changes they did not cause (a process exited), and the
    /// world about the control plane's processes.
    fn route_runtime_changes(&mut self) {
        let mut changed = false;
        for idx in 0..self.hosts.len() {
            let revision = self.hosts[idx].node.runtime.revision();
            if revision == self.hosts[idx].runtime_seen {
                continue;
            }
            self.hosts[idx].runtime_seen = revision;
            changed = true;
            self.with_kubelet(idx, |kubelet, ctx, env| kubelet.on_runtime_change(ctx, env));
            // Anything the kubelet did in turn is its own doing.
            self.hosts[idx].runtime_seen = self.hosts[idx].node.runtime.revision();
        }
        if changed {
            self.refresh_api_serving();
        }
    }

    /// Whether the API server serves now, by the control-plane host's processes.
    fn api_should_serve(&self, idx: usize) -> bool {
        let runtime = &self.hosts[idx].node.runtime;
        let etcd_up = runtime
            .components(self.now)
            .iter()
            .any(|(kind, active)| *kind == ComponentKind::Etcd && *active);
        // Simplified: kubectl reaches the API server only on its kubeadm port; an API server
        // whose etcd went away stops answering instead of timing out requests.
        etcd_up && runtime.api_port(self.now) == Some(API_SERVER_PORT)
    }

    /// Derives whether the API server serves from the control-plane host's processes.
    fn refresh_api_serving(&mut self) {
        let Some(idx) = self.control_plane_host else {
            return;
        };
        let serving = self.api_should_serve(idx);
        if serving != self.api.serving() {
            self.api.set_serving(serving);
            for host in &mut self.hosts {
                host.node.runtime.set_api_reachable(serving);
            }
            for idx in 0..self.hosts.len() {
                self.after_host_step(idx);
            }
        }
    }

    /// Tells waiting API sources that the API server changed (or started/stopped serving),
    /// and records what the store failed to decode or encode since the last call.
    fn route_api_changes(&mut self) {
        self.record_store_faults();
        let seen = (self.api.store().revision(), self.api.serving());
        if seen == self.api_seen {
            return;
        }
        self.api_seen = seen;
        for idx in 0..self.hosts.len() {
            let wants = self.hosts[idx]
                .kubelet
                .as_ref()
                .is_some_and(Kubelet::wants_api_changes);
            if wants {
                self.with_kubelet(idx, |kubelet, ctx, env| kubelet.on_api_change(ctx, env));
            }
        }
    }

    /// What the API server's ComponentStatus probes find now: whether the scheduler, the
    /// controller manager and etcd run on the control-plane host.
    pub fn component_health(&self) -> crate::apiserver::componentstatus::Health {
        let Some(idx) = self.control_plane_host else {
            return crate::apiserver::componentstatus::Health {
                scheduler: false,
                controller_manager: false,
                etcd: false,
            };
        };
        // The probes ask each component's health endpoint, which answers while the process
        // serves, whether or not it leads yet.
        let runtime = &self.hosts[idx].node.runtime;
        let serves = |kind| runtime.component_serves(kind, self.now);
        crate::apiserver::componentstatus::Health {
            scheduler: serves(ComponentKind::KubeScheduler),
            controller_manager: serves(ComponentKind::KubeControllerManager),
            etcd: serves(ComponentKind::Etcd),
        }
    }

    /// The control-plane processes that exist on host `idx` now, whether or not they do their
    /// job yet (leader election follows processes, not leaders), and those that do it.
    fn control_plane_processes(&self, idx: usize) -> (Components, Components) {
        let present = self.hosts[idx].node.runtime.components(self.now);
        let runs = |kind| present.iter().any(|(k, _)| *k == kind);
        let active = |kind| present.iter().any(|(k, a)| *k == kind && *a);
        (
            Components {
                scheduler: runs(ComponentKind::KubeScheduler),
                controller_manager: runs(ComponentKind::KubeControllerManager),
            },
            Components {
                scheduler: active(ComponentKind::KubeScheduler),
                controller_manager: active(ComponentKind::KubeControllerManager),
            },
        )
    }

    /// The control-plane processes that do their job on host `idx` now (the scheduler and the
    /// controller manager: that hold their leader lease as their process sees it).
    fn control_plane_components(&self, idx: usize) -> Components {
        let active = self.hosts[idx].node.runtime.components(self.now);
        let running = |kind| active.iter().any(|(k, a)| *k == kind && *a);
        Components {
            scheduler: running(ComponentKind::KubeScheduler),
            controller_manager: running(ComponentKind::KubeControllerManager),
        }
    }

    /// One instant of the control plane's grid (every [`CONTROL_PLANE_PERIOD`]): leader election
    /// first (a leader renews its Lease every two seconds; see
    /// `crate::apiserver::leader_election`), then the scheduler and controllers run while their
    /// processes hold their leases, if they have anything to do.
    ///
    /// Upstream's components are driven by watch events and their own timers; here they tick on
    /// a one-second grid, and an instant at which nothing changed (no store write, no process
    /// started or stopped, no timer of theirs due; see `ControlPlane::needs_tick`) is passed
    /// over with a few comparisons instead of a tick. Such an instant is no wake-up: it runs
    /// nothing, but it keeps its place in the queue's order (the mark taken for the next
    /// instant), so the world runs exactly as if every instant had ticked.
    ///
    /// Says whether it ticked.
    fn control_plane_instant(&mut self) -> bool {
        let Some(idx) = self.control_plane_host else {
            self.control_plane_next = None;
            return false;
        };
        let serving = self.api_should_serve(idx);
        let (processes, active) = self.control_plane_processes(idx);
        let before = self.api.store().revision();
        if self.control.elect(
            self.now,
            &mut self.rng,
            &mut self.api,
            processes,
            &self.hosts[idx].node.name,
        ) {
            self.count_wakeup("leader-election");
            // Only Lease readers care about a renewal; the kubelets watch pods.
            if self.api_seen.0 == before {
                self.api_seen.0 = self.api.store().revision();
            }
        }
        let may_lead = self.control.may_lead();
        self.hosts[idx]
            .node
            .runtime
            .set_waiting_for_lease(!may_lead.scheduler, !may_lead.controller_manager);
        let components = self.control.leaders(active);
        let tick = serving != self.api.serving()
            || self.control.needs_tick(self.now, &self.api, components);
        if tick {
            self.count_wakeup("control-plane");
            self.refresh_api_serving();
            let components = self.control.leaders(self.control_plane_components(idx));
            self.control
                .tick(self.now, &mut self.rng, &mut self.api, components);
        }
        self.control_plane_next = Some(self.queue.mark(self.now + CONTROL_PLANE_PERIOD));
        tick
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::journal;

    /// The control plane ticks only at instants where something changed or a timer of its own
    /// is due, not once a second.
    #[test]
    fn a_settled_control_plane_does_not_wake_every_second() {
        let mut cluster = Cluster::boot_default(3).unwrap();
        cluster.advance(SimDuration::from_mins(2));
        let ticks = |c: &Cluster| c.wakeups_by_source().get("control-plane").copied();
        let before = ticks(&cluster).unwrap_or(0);
        cluster.advance(SimDuration::from_mins(5));
        let ticked = ticks(&cluster).unwrap_or(0) - before;
        assert!(ticked > 0 && ticked < 150, "{ticked} ticks in 300 s");
        let total: u64 = cluster.wakeups_by_source().values().sum();
        assert_eq!(total, cluster.wakeups());
    }

    /// A storm (far more wake-ups at one instant than any component schedules) is stopped:
    /// time passes, the journal says what happened, and the cluster goes on working.
    #[test]
    fn the_storm_guard_defers_a_stormed_instant_and_says_so() {
        let mut cluster = Cluster::boot_default(3).unwrap();
        let start = cluster.now();
        for _ in 0..(SAME_INSTANT_LIMIT + 50_000) {
            cluster.queue.push(start, Wake::Runtime { host: 0 });
        }
        cluster.run_until(start + SimDuration::from_secs(5));
        assert_eq!(cluster.now(), start + SimDuration::from_secs(5));
        let storms: Vec<_> = cluster
            .trace()
            .records()
            .iter()
            .filter(|r| matches!(r.event, Event::StormStopped { .. }))
            .collect();
        assert_eq!(storms.len(), 1, "one storm, reported once");
        assert_eq!(cluster.storms(), 1);
        assert_eq!(storms[0].at, start);
        assert_eq!(&*storms[0].host, "controlplane");
        let lines = journal::unit_entries(cluster.trace(), "controlplane", journal::STORM_UNIT);
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].text.contains("stopped a storm of 100000 wake-ups"),
            "{}",
            lines[0].text
        );
        // The deferred wake-ups ran a second later, and the kubelets still sync.
        let before = cluster.trace().records().len();
        cluster.run_until(start + SimDuration::from_secs(60));
        assert!(cluster.trace().records().len() > before);
        assert!(cluster
            .trace()
            .records()
            .iter()
            .any(|r| r.at > start + SimDuration::from_secs(30)
                && matches!(r.event, Event::SyncLoopIteration { .. })));
    }
}
