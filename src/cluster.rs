//! Wires nodes, kubelets and the API server into one world that the UI, the runner and the
//! tests drive.
//!
//! The world owns the only clock, event queue, random generator and event log. Components
//! never schedule anything themselves: they ask (a kubelet's timer outbox), and the world
//! queues the wake-up and calls them back at that virtual time.

pub mod defaults;
pub mod network;

use crate::apiserver::ApiServer;
use crate::kubelet::context::Ctx;
use crate::kubelet::kubelet::{Kubelet, KubeletEnv, KubeletTimer};
use crate::node::Node;
use crate::sim::trace::{Event, Trace};
use crate::sim::{EventQueue, Rng, SimDuration, SimTime};

/// A wake-up in the event queue.
#[derive(Debug, Clone)]
enum Wake {
    /// A kubelet's timer; `generation` tells a timer of a stopped kubelet from its successor's.
    Kubelet {
        host: usize,
        generation: u64,
        timer: KubeletTimer,
    },
}

/// A node and the kubelet process running on it, if any.
#[derive(Debug, Clone)]
pub struct Host {
    /// The node.
    pub node: Node,
    kubelet: Option<Kubelet>,
    generation: u64,
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
    hosts: Vec<Host>,
    /// The API server's (revision, serving) the kubelets were last told about.
    api_seen: (u64, bool),
}

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
            hosts: Vec::new(),
            api_seen,
        }
    }

    /// Adds a host; returns its index.
    pub fn add_node(&mut self, node: Node) -> usize {
        self.hosts.push(Host {
            node,
            kubelet: None,
            generation: 0,
        });
        self.hosts.len() - 1
    }

    /// The current virtual time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The event log.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The API server.
    pub fn api(&self) -> &ApiServer {
        &self.api
    }

    /// The API server, for changes made from outside the simulation (kubectl, tests).
    pub fn api_mut(&mut self) -> &mut ApiServer {
        &mut self.api
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

    /// The node at `idx`, for changes from outside (the shell writing files).
    pub fn node_mut(&mut self, idx: usize) -> &mut Node {
        &mut self.hosts[idx].node
    }

    /// Starts a kubelet process on host `idx` with `args` (without `argv[0]`). Returns the
    /// error it exited with if it could not start.
    pub fn start_kubelet(&mut self, idx: usize, args: &[String]) -> Result<(), String> {
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
        let mut env = KubeletEnv {
            fs: &mut host.node.fs,
            api: &mut self.api,
        };
        let hostname = host.node.name.clone();
        match Kubelet::start(&mut ctx, &mut env, &hostname, args, pid) {
            Ok(kubelet) => {
                host.kubelet = Some(kubelet);
                self.schedule_kubelet_timers(idx);
                Ok(())
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

    /// Stops the kubelet on host `idx`, if one runs.
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

    fn schedule_kubelet_timers(&mut self, idx: usize) {
        let host = &mut self.hosts[idx];
        let Some(kubelet) = &mut host.kubelet else {
            return;
        };
        for (at, timer) in kubelet.take_timers() {
            self.queue.push(
                at,
                Wake::Kubelet {
                    host: idx,
                    generation: host.generation,
                    timer,
                },
            );
        }
    }

    /// Runs everything due now: fs events, API notifications and queued wake-ups at the
    /// current instant. Call after changing the world from outside.
    pub fn settle(&mut self) {
        self.run_until(self.now);
    }

    /// Advances virtual time by `d`, running everything that happens in between.
    pub fn advance(&mut self, d: SimDuration) {
        self.run_until(self.now + d);
    }

    /// Runs everything due up to and including `until`, then sets the clock to `until`.
    pub fn run_until(&mut self, until: SimTime) {
        loop {
            self.route_fs_events();
            self.route_api_changes();
            let Some((at, wake)) = self.queue.pop_due(until) else {
                break;
            };
            self.now = at;
            self.dispatch(wake);
        }
        self.now = until;
    }

    fn dispatch(&mut self, wake: Wake) {
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
        }
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
        let host = &mut self.hosts[idx];
        let Some(kubelet) = &mut host.kubelet else {
            return;
        };
        let mut ctx = Ctx {
            now: self.now,
            host: &host.node.name,
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        let mut env = KubeletEnv {
            fs: &mut host.node.fs,
            api: &mut self.api,
        };
        kubelet.on_timer(&mut ctx, &mut env, timer);
        self.schedule_kubelet_timers(idx);
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
            self.schedule_kubelet_timers(idx);
        }
    }

    /// Tells waiting API sources that the API server changed (or started/stopped serving).
    fn route_api_changes(&mut self) {
        let seen = (self.api.store().revision(), self.api.serving());
        if seen == self.api_seen {
            return;
        }
        self.api_seen = seen;
        for idx in 0..self.hosts.len() {
            let host = &mut self.hosts[idx];
            let Some(kubelet) = &mut host.kubelet else {
                continue;
            };
            if !kubelet.wants_api_changes() {
                continue;
            }
            let mut ctx = Ctx {
                now: self.now,
                host: &host.node.name,
                rng: &mut self.rng,
                trace: &mut self.trace,
            };
            let mut env = KubeletEnv {
                fs: &mut host.node.fs,
                api: &mut self.api,
            };
            kubelet.on_api_change(&mut ctx, &mut env);
            self.schedule_kubelet_timers(idx);
        }
    }
}
