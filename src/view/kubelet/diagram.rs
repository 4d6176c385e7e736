//! The pipeline diagram of one node's kubelet at one instant: its sources, the config mux with
//! the pods each source gave it, the sync loop's channels, one row per pod worker, the runtime's
//! sandboxes and containers, and the mirror pods in the API server; which box acted last and
//! which records are travelling along the edges now.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::store::Resource;
use crate::cluster::{Cluster, Host};
use crate::kubelet::pod_workers::WorkType;
use crate::kubelet::types::is_mirror_pod;
use crate::lessons::model::Locale;
use crate::shell::commands::crictl::containers::{pod_name, pod_namespace, state_word};
use crate::sim::trace::Event;
use crate::sim::{SimDuration, SimTime};
use crate::view::kubelet::explain::stamp;
use crate::view::kubelet::kind::{Edge, Stage};
use crate::view::kubelet::row::{row_for, RowContext};

/// How long a record keeps its box lit and travels along its edge (virtual time).
pub const PULSE: SimDuration = SimDuration::from_secs(2);
/// How many trace records the diagram looks back through for lit boxes and back-offs.
pub const LOOK_BACK: usize = 4_000;
/// The most records shown travelling at once (the newest).
const MAX_PULSES: usize = 24;

/// One node's kubelet as a diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeletDiagram {
    /// The node.
    pub node: String,
    /// The running kubelet's pid, `None` while it is stopped.
    pub pid: Option<u32>,
    /// The file source, when `staticPodPath` is set.
    pub file_source: Option<FileSourceBox>,
    /// The http source, when `staticPodURL` is set.
    pub http_source: Option<HttpSourceBox>,
    /// The API source's state, when the kubelet has an API client.
    pub api_source: Option<ApiSourceState>,
    /// The mux: per source, the pods it holds (`namespace/name`).
    pub mux: Vec<(String, Vec<String>)>,
    /// The sync loop's channels.
    pub channels: Vec<ChannelBox>,
    /// One row per pod worker.
    pub workers: Vec<WorkerRow>,
    /// Pod sandboxes in the runtime.
    pub sandboxes: Vec<SandboxRow>,
    /// Containers in the runtime.
    pub containers: Vec<ContainerRow>,
    /// The API server: whether it serves, and the mirror pods of this node.
    pub api: ApiBox,
    /// Per box, the latest record that lit it (id and time), pipeline order.
    pub lit: Vec<Lit>,
    /// Records travelling along edges now (the last [`PULSE`]), oldest first.
    pub pulses: Vec<Pulse>,
}

/// What the API source can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiSourceState {
    /// It watches the pods bound to its node.
    Watching,
    /// The API server does not answer; the source keeps what it had.
    Unreachable,
}

impl ApiSourceState {
    /// The state in `locale`.
    pub fn words(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::En, ApiSourceState::Watching) => "watching",
            (Locale::En, ApiSourceState::Unreachable) => "API server unreachable",
            (Locale::ZhCn, ApiSourceState::Watching) => "监视中",
            (Locale::ZhCn, ApiSourceState::Unreachable) => "无法连接 API 服务器",
        }
    }
}

/// The file source's box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSourceBox {
    /// The path it watches.
    pub path: String,
    /// The files in it, by name.
    pub files: Vec<String>,
}

/// The http source's box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSourceBox {
    /// The URL.
    pub url: String,
    /// The last fetch, if there was one in the diagram's look-back.
    pub last_fetch: Option<Fetch>,
}

/// A fetch of the http source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetch {
    /// When, as time since arrival.
    pub at: String,
    /// The error the kubelet logged (its own words); `None` when the fetch worked.
    pub error: Option<String>,
}

/// One channel of the sync loop's `select`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelBox {
    /// `config`, `pleg`, `sync`, `housekeeping`, `probes`.
    pub name: &'static str,
    /// When it last fired.
    pub last: Option<String>,
}

/// A pod worker's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerRow {
    /// `namespace/name`.
    pub pod: String,
    /// The pod's UID.
    pub uid: String,
    /// Its state.
    pub state: WorkerState,
}

/// What a pod worker is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerState {
    /// Nothing to do until its next resync.
    Idle,
    /// Inside a sync that waits (an image pull, a grace period).
    Syncing,
    /// Stopping the pod's containers.
    Terminating,
    /// Stopped; cleaning up or done.
    Terminated,
    /// A container may not restart before this time.
    BackOff {
        /// When, as the timeline writes times.
        until: String,
    },
}

impl WorkerState {
    /// The state in `locale`.
    pub fn words(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::En, WorkerState::Idle) => "idle".into(),
            (Locale::En, WorkerState::Syncing) => "syncing".into(),
            (Locale::En, WorkerState::Terminating) => "terminating".into(),
            (Locale::En, WorkerState::Terminated) => "terminated".into(),
            (Locale::En, WorkerState::BackOff { until }) => format!("back-off until {until}"),
            (Locale::ZhCn, WorkerState::Idle) => "空闲".into(),
            (Locale::ZhCn, WorkerState::Syncing) => "同步中".into(),
            (Locale::ZhCn, WorkerState::Terminating) => "终止中".into(),
            (Locale::ZhCn, WorkerState::Terminated) => "已终止".into(),
            (Locale::ZhCn, WorkerState::BackOff { until }) => format!("回退至 {until}"),
        }
    }
}

/// A pod sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxRow {
    /// `namespace/name`.
    pub pod: String,
    /// Its ATTEMPT.
    pub attempt: u32,
    /// Whether it is ready.
    pub ready: bool,
}

/// A container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerRow {
    /// `namespace/name` of its pod.
    pub pod: String,
    /// Its name.
    pub name: String,
    /// `Running`, `Exited`, ...
    pub state: String,
    /// Its ATTEMPT.
    pub attempt: u32,
}

/// The API server as the diagram shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBox {
    /// Whether it answers.
    pub serving: bool,
    /// Mirror pods bound to this node, `namespace/name`.
    pub mirrors: Vec<String>,
}

/// The latest record that lit a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lit {
    /// The box.
    pub stage: Stage,
    /// The record's id.
    pub record: usize,
    /// Whether it is recent (within [`PULSE`]).
    pub recent: bool,
}

/// A record travelling along an edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulse {
    /// The record's id.
    pub record: usize,
    /// The edge.
    pub edge: Edge,
    /// What travels: `SET`, `ADD`, `SyncPod`, `ContainerDied`, ...
    pub label: String,
}

/// The diagram of `node`'s kubelet at the cluster's current instant, times from `start`.
/// `None` when the cluster has no such node.
pub fn kubelet_diagram(cluster: &Cluster, node: &str, start: SimTime) -> Option<KubeletDiagram> {
    let host = cluster.hosts().iter().find(|h| h.node.name == node)?;
    let now = cluster.now();
    let kubelet = host.kubelet();
    let recent = recent_rows(cluster, node, now, start);
    let file_source = kubelet.and_then(|k| k.file_source()).map(|source| {
        let fs = &host.node.fs;
        let mut files: Vec<String> = match fs.read_dir(source.path()) {
            Ok(entries) => entries.into_iter().map(|e| e.name).collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        FileSourceBox {
            path: source.path().to_string(),
            files,
        }
    });
    let http_source = kubelet
        .map(|k| k.settings().config.static_pod_url.clone())
        .filter(|url| !url.is_empty())
        .map(|url| HttpSourceBox {
            url,
            last_fetch: recent.last_fetch.clone(),
        });
    let api = cluster.api();
    let api_source = kubelet
        .filter(|k| k.sources().contains("api"))
        .map(|_| match api.serving() {
            true => ApiSourceState::Watching,
            false => ApiSourceState::Unreachable,
        });
    let mux = match kubelet {
        Some(k) => k
            .sources()
            .iter()
            .map(|source| {
                let mut pods: Vec<String> = k
                    .pod_config()
                    .source_pods(source)
                    .iter()
                    .map(|p| pod_key(p))
                    .collect();
                pods.sort();
                (source.clone(), pods)
            })
            .collect(),
        None => Vec::new(),
    };
    let channels = ["config", "pleg", "sync", "housekeeping", "probes"]
        .into_iter()
        .map(|name| ChannelBox {
            name,
            last: recent.channels.get(name).map(|at| stamp(*at, start)),
        })
        .collect();
    let workers = match kubelet {
        Some(k) => {
            let mut rows: Vec<WorkerRow> = k
                .pod_workers()
                .snapshots(now)
                .into_iter()
                .map(|w| {
                    let state = match (w.state, w.finished) {
                        (WorkType::Terminated, _) | (_, true) => WorkerState::Terminated,
                        (WorkType::Terminating, _) => WorkerState::Terminating,
                        (WorkType::Sync, _) => match recent.backoffs.get(&w.uid) {
                            Some(until) if now < *until => WorkerState::BackOff {
                                until: stamp(*until, start),
                            },
                            _ if w.blocked_until.is_some() => WorkerState::Syncing,
                            _ => WorkerState::Idle,
                        },
                    };
                    WorkerRow {
                        pod: format!("{}/{}", w.namespace, w.name),
                        uid: w.uid,
                        state,
                    }
                })
                .collect();
            rows.sort_by(|a, b| a.pod.cmp(&b.pod).then(a.uid.cmp(&b.uid)));
            rows
        }
        None => Vec::new(),
    };
    let (sandboxes, containers) = runtime_rows(host);
    let mirrors = match api.serving() {
        true => {
            let mut names: Vec<String> = api
                .store()
                .list::<corev1::Pod>(Resource::Pods, None)
                .unwrap_or_default()
                .iter()
                .filter(|p| is_mirror_pod(p))
                .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
                .map(pod_key)
                .collect();
            names.sort();
            names
        }
        false => Vec::new(),
    };
    let lit = Stage::ALL
        .into_iter()
        .filter_map(|stage| {
            recent.lit.get(&stage).map(|(record, at)| Lit {
                stage,
                record: *record,
                recent: now.as_millis() < at.as_millis() + PULSE.as_millis(),
            })
        })
        .collect();
    Some(KubeletDiagram {
        node: node.to_string(),
        pid: kubelet.map(|k| k.pid()),
        file_source,
        http_source,
        api_source,
        mux,
        channels,
        workers,
        sandboxes,
        containers,
        api: ApiBox {
            serving: api.serving(),
            mirrors,
        },
        lit,
        pulses: recent.pulses,
    })
}

fn pod_key(pod: &corev1::Pod) -> String {
    format!(
        "{}/{}",
        pod.metadata.namespace.as_deref().unwrap_or_default(),
        pod.metadata.name.as_deref().unwrap_or_default()
    )
}

fn runtime_rows(host: &Host) -> (Vec<SandboxRow>, Vec<ContainerRow>) {
    let runtime = &host.node.runtime;
    let mut sandboxes: Vec<SandboxRow> = runtime
        .sandboxes()
        .map(|s| SandboxRow {
            pod: format!("{}/{}", s.config.namespace, s.config.name),
            attempt: s.config.attempt,
            ready: s.ready,
        })
        .collect();
    sandboxes.sort_by(|a, b| a.pod.cmp(&b.pod).then(a.attempt.cmp(&b.attempt)));
    let mut containers: Vec<ContainerRow> = runtime
        .containers()
        .map(|c| ContainerRow {
            pod: format!("{}/{}", pod_namespace(c), pod_name(c)),
            name: c.config.name.clone(),
            state: state_word(c.state).to_string(),
            attempt: c.config.attempt,
        })
        .collect();
    containers.sort_by(|a, b| {
        (a.pod.as_str(), a.name.as_str(), a.attempt).cmp(&(
            b.pod.as_str(),
            b.name.as_str(),
            b.attempt,
        ))
    });
    (sandboxes, containers)
}

/// What the diagram reads from the end of the trace.
#[derive(Default)]
struct Recent {
    lit: BTreeMap<Stage, (usize, SimTime)>,
    channels: BTreeMap<&'static str, SimTime>,
    backoffs: BTreeMap<String, SimTime>,
    last_fetch: Option<Fetch>,
    pulses: Vec<Pulse>,
}

fn recent_rows(cluster: &Cluster, node: &str, now: SimTime, start: SimTime) -> Recent {
    let trace = cluster.trace();
    let records = trace.records();
    let skip = records.len().saturating_sub(LOOK_BACK);
    let window = &records[skip..];
    let from = trace.first_id() + skip;
    let mut ctx = RowContext::default();
    let mut out = Recent::default();
    for (idx, record) in window.iter().enumerate() {
        if *record.host != *node {
            continue;
        }
        let Some(row) = row_for(&mut ctx, from + idx, window, idx) else {
            continue;
        };
        out.lit.insert(row.stage, (row.id, row.at));
        if let Event::SyncLoopIteration { channel, .. } = &record.event {
            let name = match *channel {
                "config" => "config",
                "pleg" => "pleg",
                "sync" => "sync",
                "housekeeping" => "housekeeping",
                _ => "probes",
            };
            out.channels.insert(name, record.at);
        }
        match &record.event {
            Event::ContainerBackOff { pod, until, .. } => {
                out.backoffs.insert(pod.uid.clone(), *until);
            }
            Event::UrlFetched { error, .. } => {
                out.last_fetch = Some(Fetch {
                    at: stamp(record.at, start),
                    error: error.clone(),
                });
            }
            _ => (),
        }
        let recent = now.as_millis() < record.at.as_millis() + PULSE.as_millis();
        if let (true, Some(edge)) = (recent, row.edge) {
            let label = match row.op {
                Some(op) => op.as_str().to_string(),
                None => row.handler.clone(),
            };
            out.pulses.push(Pulse {
                record: row.id,
                edge,
                label,
            });
        }
    }
    let extra = out.pulses.len().saturating_sub(MAX_PULSES);
    out.pulses.drain(..extra);
    out
}
