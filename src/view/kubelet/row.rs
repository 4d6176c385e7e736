//! One trace record as the timeline keeps it: when, where, which part of the kubelet, which
//! channel and handler, which pods, and what to say about it. Built once per record; the
//! words are chosen per locale when the timeline is shown (`explain`).

use std::collections::BTreeMap;

use crate::sim::trace::{Event, PodOp, Record, SkipReason};
use crate::sim::{SimDuration, SimTime};
use crate::view::kubelet::kind::{Edge, RecordKind, Stage};

/// A record kept by the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The record's index in the trace (the id the inspector takes).
    pub id: usize,
    /// When.
    pub at: SimTime,
    /// The node.
    pub host: String,
    /// The kind, for filters.
    pub kind: RecordKind,
    /// The diagram box it lights.
    pub stage: Stage,
    /// The edge it travels along, if any.
    pub edge: Option<Edge>,
    /// The source or sync-loop channel: `file`, `config`, `pleg`, ...
    pub channel: String,
    /// The function that acted: `HandlePodAdditions`, `SyncPod`, `merge`, ...
    pub handler: String,
    /// The pod-config operation, for mux records.
    pub op: Option<PodOp>,
    /// The pods involved, as `namespace/name`.
    pub pods: Vec<String>,
    /// Whether it changed something (or went wrong), as opposed to a quiet periodic check.
    pub changed: bool,
    /// The sync-loop iteration (its record id) this record happened in or right after.
    pub iteration: Option<usize>,
    /// What to say about it.
    pub explain: Explain,
}

/// What a row's one-line explanation says, before choosing a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explain {
    /// The file source listed its folder.
    FileListed {
        /// The folder.
        path: String,
        /// Pods found.
        count: usize,
    },
    /// The file source's watch saw a change.
    FileWatch {
        /// The file.
        path: String,
        /// `add`, `modify` or `delete`.
        kind: String,
    },
    /// A source sent its whole set to the mux.
    SourceSent {
        /// `file`, `http` or `api`.
        source: String,
        /// Pods in the set.
        count: usize,
    },
    /// A manifest was refused.
    Rejected {
        /// The file or URL.
        location: String,
        /// The kubelet's error.
        error: String,
    },
    /// A folder entry was skipped.
    Skipped {
        /// The entry.
        path: String,
        /// Why.
        reason: SkipReason,
    },
    /// The static pod path is missing.
    PathMissing {
        /// The path.
        path: String,
    },
    /// The http source fetched its URL.
    UrlFetched {
        /// The URL.
        url: String,
        /// Its error, if it failed.
        error: Option<String>,
    },
    /// The mux emitted an operation.
    Mux {
        /// The source it is attributed to.
        source: String,
        /// A REMOVE or ADD that replaces a pod with the same name (a changed manifest).
        replaced: bool,
    },
    /// The mux dropped a pod with a duplicate name.
    Duplicate {
        /// The source.
        source: String,
    },
    /// A sync-loop iteration.
    Iteration,
    /// A pod worker ran a sync function.
    PodSync {
        /// `done`, `terminal`, `waiting` or the error.
        outcome: String,
    },
    /// PLEG saw a container change.
    Pleg {
        /// `ContainerStarted`, `ContainerDied`, ...
        event_type: String,
        /// The container id (13 characters).
        container: String,
    },
    /// A restart was refused by the back-off.
    BackOff {
        /// The container.
        container: String,
        /// The back-off in force.
        back_off: SimDuration,
        /// When it opens.
        until: SimTime,
    },
    /// A mirror pod was created or deleted.
    Mirror {
        /// `create` or `delete`.
        action: &'static str,
        /// The API server's error, if any.
        error: Option<String>,
    },
    /// A Kubernetes event was recorded.
    KubeEvent {
        /// Its reason.
        reason: String,
        /// Its message.
        message: String,
    },
    /// The kubelet process started or exited.
    Process {
        /// Its pid.
        pid: u32,
        /// Its exit code, when it exited.
        exit: Option<i32>,
    },
}

/// What the row builder remembers between records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowContext {
    /// Pod UID → `namespace/name`, learnt from records that name both.
    pub names: BTreeMap<String, String>,
    /// Per host, the latest sync-loop iteration: (time, record id).
    pub iterations: BTreeMap<String, (SimTime, usize)>,
}

/// Kubernetes event reasons that report the runtime's work.
const RUNTIME_REASONS: [&str; 8] = [
    "Pulling",
    "Pulled",
    "Created",
    "Started",
    "Killing",
    "BackOff",
    "Failed",
    "Unhealthy",
];

/// The row for `records[idx]` (whose trace index is `id`), or `None` for records the timeline
/// does not show (log lines, journal lines, other programs). `records` is what follows it, for
/// the few rows whose meaning depends on what happened next at the same instant.
pub fn row_for(ctx: &mut RowContext, id: usize, records: &[Record], idx: usize) -> Option<Row> {
    let record = &records[idx];
    let host = record.host.to_string();
    let mk = |kind, stage, edge: Option<(Stage, Stage)>, explain| Row {
        id,
        at: record.at,
        host: host.clone(),
        kind,
        stage,
        edge: edge.map(|(from, to)| Edge { from, to }),
        channel: String::new(),
        handler: String::new(),
        op: None,
        pods: Vec::new(),
        changed: true,
        iteration: None,
        explain,
    };
    let mut row = match &record.event {
        Event::FileListed { path, pods } => {
            remember(ctx, pods);
            Row {
                channel: "file".into(),
                handler: "listConfig".into(),
                pods: pods.iter().map(ToString::to_string).collect(),
                changed: leads_to_mux(records, idx),
                ..mk(
                    RecordKind::Sources,
                    Stage::FileSource,
                    None,
                    Explain::FileListed {
                        path: path.clone(),
                        count: pods.len(),
                    },
                )
            }
        }
        Event::FileWatchEvent { path, kind } => Row {
            channel: "file".into(),
            handler: "produceWatchEvent".into(),
            ..mk(
                RecordKind::Sources,
                Stage::FileSource,
                None,
                Explain::FileWatch {
                    path: path.clone(),
                    kind: kind.to_string(),
                },
            )
        },
        Event::SourceSent { source, op, pods } => {
            remember(ctx, pods);
            let stage = Stage::of_source(source);
            Row {
                channel: source.clone(),
                handler: "Merge".into(),
                op: Some(*op),
                pods: pods.iter().map(ToString::to_string).collect(),
                changed: leads_to_mux(records, idx),
                ..mk(
                    RecordKind::Sources,
                    stage,
                    Some((stage, Stage::Mux)),
                    Explain::SourceSent {
                        source: source.clone(),
                        count: pods.len(),
                    },
                )
            }
        }
        Event::ManifestRejected {
            source,
            location,
            error,
        } => Row {
            channel: source.clone(),
            handler: "extractFromFile".into(),
            ..mk(
                RecordKind::Sources,
                Stage::of_source(source),
                None,
                Explain::Rejected {
                    location: location.clone(),
                    error: error.clone(),
                },
            )
        },
        Event::ManifestSkipped { path, reason } => Row {
            channel: "file".into(),
            handler: "extractFromDir".into(),
            changed: false,
            ..mk(
                RecordKind::Sources,
                Stage::FileSource,
                None,
                Explain::Skipped {
                    path: path.clone(),
                    reason: *reason,
                },
            )
        },
        Event::PathMissing { path } => Row {
            channel: "file".into(),
            handler: "listConfig".into(),
            changed: false,
            ..mk(
                RecordKind::Sources,
                Stage::FileSource,
                None,
                Explain::PathMissing { path: path.clone() },
            )
        },
        Event::UrlFetched { url, error } => Row {
            channel: "http".into(),
            handler: "extractFromURL".into(),
            changed: error.is_some() || leads_to_mux(records, idx),
            ..mk(
                RecordKind::Sources,
                Stage::HttpSource,
                None,
                Explain::UrlFetched {
                    url: url.clone(),
                    error: error.clone(),
                },
            )
        },
        Event::MuxEmitted {
            source,
            op,
            pods,
            changes,
            ..
        } => {
            remember(ctx, pods);
            let replaced = matches!(op, PodOp::Remove | PodOp::Add)
                && changes.iter().any(|c| c.paired_uid.is_some());
            Row {
                channel: source.to_string(),
                handler: "merge".into(),
                op: Some(*op),
                pods: pods.iter().map(ToString::to_string).collect(),
                ..mk(
                    RecordKind::Mux,
                    Stage::Mux,
                    Some((Stage::Mux, Stage::SyncLoop)),
                    Explain::Mux {
                        source: source.to_string(),
                        replaced,
                    },
                )
            }
        }
        Event::DuplicatePodName { source, pod } => Row {
            channel: source.clone(),
            handler: "filterInvalidPods".into(),
            pods: vec![pod.to_string()],
            ..mk(
                RecordKind::Mux,
                Stage::Mux,
                None,
                Explain::Duplicate {
                    source: source.clone(),
                },
            )
        },
        Event::SyncLoopIteration {
            channel,
            handler,
            pods,
        } => {
            remember(ctx, pods);
            ctx.iterations.insert(host.clone(), (record.at, id));
            Row {
                channel: channel.to_string(),
                handler: handler.to_string(),
                pods: pods.iter().map(ToString::to_string).collect(),
                changed: !matches!(*channel, "housekeeping" | "sync"),
                iteration: Some(id),
                ..mk(
                    RecordKind::SyncLoop,
                    Stage::SyncLoop,
                    Some((Stage::SyncLoop, Stage::PodWorkers)),
                    Explain::Iteration,
                )
            }
        }
        Event::PodSync {
            function,
            pod,
            outcome,
        } => {
            remember(ctx, std::slice::from_ref(pod));
            Row {
                channel: "worker".into(),
                handler: function.to_string(),
                pods: vec![pod.to_string()],
                changed: outcome != "done",
                ..mk(
                    RecordKind::Workers,
                    Stage::PodWorkers,
                    Some((Stage::PodWorkers, Stage::Runtime)),
                    Explain::PodSync {
                        outcome: outcome.clone(),
                    },
                )
            }
        }
        Event::PlegEvent {
            pod_uid,
            event_type,
            container_id,
        } => Row {
            channel: "pleg".into(),
            handler: "Relist".into(),
            pods: ctx.names.get(pod_uid).cloned().into_iter().collect(),
            ..mk(
                RecordKind::Runtime,
                Stage::Runtime,
                Some((Stage::Runtime, Stage::SyncLoop)),
                Explain::Pleg {
                    event_type: event_type.clone(),
                    container: container_id.chars().take(13).collect(),
                },
            )
        },
        Event::ContainerBackOff {
            pod,
            container,
            back_off,
            until,
        } => Row {
            channel: "worker".into(),
            handler: "doBackOff".into(),
            pods: vec![pod.to_string()],
            ..mk(
                RecordKind::Workers,
                Stage::PodWorkers,
                None,
                Explain::BackOff {
                    container: container.clone(),
                    back_off: *back_off,
                    until: *until,
                },
            )
        },
        Event::MirrorWritten {
            action, pod, error, ..
        } => Row {
            channel: "api".into(),
            handler: match *action {
                "create" => "CreateMirrorPod".into(),
                _ => "DeleteMirrorPod".into(),
            },
            pods: vec![pod.to_string()],
            ..mk(
                RecordKind::Api,
                Stage::Api,
                Some((Stage::PodWorkers, Stage::Api)),
                Explain::Mirror {
                    action,
                    error: error.clone(),
                },
            )
        },
        Event::KubeEvent {
            object,
            reason,
            message,
            ..
        } => {
            let runtime = RUNTIME_REASONS.contains(&reason.as_str());
            let (kind, stage, edge) = match runtime {
                true => (
                    RecordKind::Runtime,
                    Stage::Runtime,
                    Some((Stage::PodWorkers, Stage::Runtime)),
                ),
                false => (RecordKind::Api, Stage::Api, None),
            };
            Row {
                channel: "event".into(),
                handler: reason.clone(),
                pods: event_pod(object),
                ..mk(
                    kind,
                    stage,
                    edge,
                    Explain::KubeEvent {
                        reason: reason.clone(),
                        message: message.clone(),
                    },
                )
            }
        }
        Event::ProcessStarted { name, pid, .. } if name == "kubelet" => Row {
            channel: "process".into(),
            handler: "Run".into(),
            ..mk(
                RecordKind::Process,
                Stage::Kubelet,
                None,
                Explain::Process {
                    pid: *pid,
                    exit: None,
                },
            )
        },
        Event::ProcessExited { name, pid, code } if name == "kubelet" => Row {
            channel: "process".into(),
            handler: "exit".into(),
            ..mk(
                RecordKind::Process,
                Stage::Kubelet,
                None,
                Explain::Process {
                    pid: *pid,
                    exit: Some(*code),
                },
            )
        },
        _ => return None,
    };
    if row.iteration.is_none() && matches!(row.kind, RecordKind::Workers | RecordKind::Runtime) {
        if let Some(&(at, iteration)) = ctx.iterations.get(&host) {
            if at == record.at {
                row.iteration = Some(iteration);
            }
        }
    }
    Some(row)
}

fn remember(ctx: &mut RowContext, pods: &[crate::sim::trace::PodRef]) {
    for pod in pods {
        if !ctx.names.contains_key(&pod.uid) {
            ctx.names.insert(pod.uid.clone(), pod.to_string());
        }
    }
}

/// `pod/web-controlplane` (an event's object, in the pod's namespace) → the pod's name.
fn event_pod(object: &str) -> Vec<String> {
    match object.strip_prefix("pod/") {
        Some(name) => vec![name.to_string()],
        None => Vec::new(),
    }
}

/// Whether the mux emitted something in answer to the source record at `idx`: looks at what
/// follows on the same host at the same instant, up to the next source or sync-loop record.
fn leads_to_mux(records: &[Record], idx: usize) -> bool {
    let start = &records[idx];
    let is_listing = matches!(
        start.event,
        Event::FileListed { .. } | Event::UrlFetched { .. }
    );
    let mut sent = false;
    for record in records.iter().skip(idx + 1).take(400) {
        if record.at != start.at || record.host != start.host {
            return false;
        }
        match &record.event {
            Event::MuxEmitted { .. } => return true,
            Event::SourceSent { .. } if is_listing && !sent => sent = true,
            Event::SourceSent { .. }
            | Event::FileListed { .. }
            | Event::UrlFetched { .. }
            | Event::SyncLoopIteration { .. }
            | Event::PodSync { .. } => return false,
            _ => (),
        }
    }
    false
}
