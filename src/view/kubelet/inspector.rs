//! The inspector: what one record carried, and the upstream function it mirrors.

use crate::cluster::Cluster;
use crate::lessons::model::Locale;
use crate::sim::trace::{Event, PodOp};
use crate::sim::SimTime;
use crate::view::kubelet::explain::{explain, stamp};
use crate::view::kubelet::row::{row_for, RowContext};

/// One record, inspected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The record's id.
    pub id: usize,
    /// A title: `mux ADD`, `sync loop: config`, `SyncPod`, ...
    pub title: String,
    /// When and where: `0:01:05.000 on controlplane`.
    pub when: String,
    /// The timeline's explanation.
    pub summary: String,
    /// The upstream file and function this record mirrors.
    pub upstream: Upstream,
    /// What it carried, in sections.
    pub sections: Vec<Section>,
}

/// An upstream function, by file and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    /// The file in kubernetes/kubernetes, e.g. `pkg/kubelet/config/config.go`.
    pub file: &'static str,
    /// The function, e.g. `merge`.
    pub function: &'static str,
}

/// A titled list of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading.
    pub heading: String,
    /// The lines.
    pub lines: Vec<String>,
}

fn t(locale: Locale, en: &str, zh: &str) -> String {
    match locale {
        Locale::En => en.to_string(),
        Locale::ZhCn => zh.to_string(),
    }
}

/// The inspector on record `id`; `None` when there is no such record or the timeline does not
/// show records of its kind.
pub fn inspect(cluster: &Cluster, id: usize, locale: Locale, start: SimTime) -> Option<Inspection> {
    let trace = cluster.trace();
    let record = trace.get(id)?;
    let idx = id - trace.first_id();
    let mut ctx = RowContext::default();
    let row = row_for(&mut ctx, id, trace.records(), idx)?;
    let summary = explain(&row, locale, start);
    let when = match locale {
        Locale::En => format!("{} on {}", stamp(record.at, start), record.host),
        Locale::ZhCn => format!("{}，{}", stamp(record.at, start), record.host),
    };
    let up = |file, function| Upstream { file, function };
    let (title, upstream, sections) = match &record.event {
        Event::MuxEmitted {
            source,
            op,
            pods,
            hashes,
            changes,
        } => {
            let mut sections = vec![Section {
                heading: t(locale, "Pods", "Pod"),
                lines: pods
                    .iter()
                    .enumerate()
                    .map(|(idx, pod)| {
                        let hash = hashes.get(idx).map(String::as_str).unwrap_or_default();
                        match hash.is_empty() {
                            true => format!("{pod}  uid={}", pod.uid),
                            false => format!("{pod}  uid={}  hash={hash}", pod.uid),
                        }
                    })
                    .collect(),
            }];
            for change in changes {
                let mut lines: Vec<String> = change
                    .fields
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {} → {}",
                            f.path,
                            f.before.as_deref().unwrap_or("(none)"),
                            f.after.as_deref().unwrap_or("(none)")
                        )
                    })
                    .collect();
                if change.more != 0 {
                    lines.push(match locale {
                        Locale::En => format!("… and {} more", change.more),
                        Locale::ZhCn => format!("……另有 {} 处", change.more),
                    });
                }
                let heading = match (&change.paired_uid, locale) {
                    (Some(old), Locale::En) => {
                        format!(
                            "What changed: the pod with UID {old} was replaced by UID {}",
                            change.uid
                        )
                    }
                    (Some(old), Locale::ZhCn) => {
                        format!("变化：UID {old} 的 Pod 被 UID {} 取代", change.uid)
                    }
                    (None, Locale::En) => {
                        format!("What changed in the pod with UID {}", change.uid)
                    }
                    (None, Locale::ZhCn) => format!("UID {} 的 Pod 的变化", change.uid),
                };
                sections.push(Section { heading, lines });
            }
            sections.push(Section {
                heading: t(locale, "Why this operation", "为什么是这个操作"),
                lines: vec![why_op(
                    *op,
                    changes.iter().any(|c| c.paired_uid.is_some()),
                    locale,
                )],
            });
            (
                format!("mux {op} ({source})"),
                up("pkg/kubelet/config/config.go", "merge"),
                sections,
            )
        }
        Event::SourceSent { source, op, pods } => (
            format!("{source} source {op}"),
            match source.as_str() {
                "file" => up("pkg/kubelet/config/file.go", "sendConfig"),
                "http" => up("pkg/kubelet/config/http.go", "extractFromURL"),
                _ => up("pkg/kubelet/config/apiserver.go", "NewSourceApiserver"),
            },
            vec![Section {
                heading: t(locale, "Pods in the SET", "SET 中的 Pod"),
                lines: pods.iter().map(|p| format!("{p}  uid={}", p.uid)).collect(),
            }],
        ),
        Event::SyncLoopIteration {
            channel,
            handler,
            pods,
        } => (
            format!("sync loop: {channel}"),
            up("pkg/kubelet/kubelet.go", "syncLoopIteration"),
            vec![
                Section {
                    heading: t(locale, "Channel and handler", "通道与处理函数"),
                    lines: vec![format!("{channel} → {handler}")],
                },
                Section {
                    heading: t(locale, "Why that channel was ready", "为什么该通道就绪"),
                    lines: vec![why_ready(channel, locale)],
                },
                Section {
                    heading: t(locale, "Pods", "Pod"),
                    lines: pods.iter().map(|p| format!("{p}  uid={}", p.uid)).collect(),
                },
            ],
        ),
        Event::PodSync {
            function,
            pod,
            outcome,
        } => {
            let mut lines = vec![
                format!("{pod}  uid={}", pod.uid),
                format!("outcome: {outcome}"),
            ];
            // A refused restart at the same instant is this sync's back-off.
            for later in trace.records().iter().skip(idx.saturating_sub(40)).take(80) {
                if let Event::ContainerBackOff {
                    pod: p,
                    container,
                    back_off,
                    until,
                } = &later.event
                {
                    if later.at == record.at && later.host == record.host && p.uid == pod.uid {
                        lines.push(match locale {
                            Locale::En => format!(
                                "back-off: container {container} waits {back_off}; the window opens at {}",
                                stamp(*until, start)
                            ),
                            Locale::ZhCn => format!(
                                "回退：容器 {container} 等待 {back_off}；窗口在 {} 打开",
                                stamp(*until, start)
                            ),
                        });
                    }
                }
            }
            (
                function.to_string(),
                match *function {
                    "SyncTerminatingPod" => up("pkg/kubelet/kubelet.go", "SyncTerminatingPod"),
                    "SyncTerminatedPod" => up("pkg/kubelet/kubelet.go", "SyncTerminatedPod"),
                    _ => up("pkg/kubelet/kubelet.go", "SyncPod"),
                },
                vec![Section {
                    heading: t(locale, "Worker sync", "Worker 同步"),
                    lines,
                }],
            )
        }
        Event::ContainerBackOff {
            pod,
            container,
            back_off,
            until,
        } => (
            "back-off".to_string(),
            up(
                "pkg/kubelet/kuberuntime/kuberuntime_manager.go",
                "doBackOff",
            ),
            vec![Section {
                heading: t(locale, "Back-off window", "回退窗口"),
                lines: vec![
                    format!("{pod}  container={container}"),
                    format!("back-off: {back_off}"),
                    match locale {
                        Locale::En => format!("opens at {}", stamp(*until, start)),
                        Locale::ZhCn => format!("{} 打开", stamp(*until, start)),
                    },
                ],
            }],
        ),
        Event::MirrorWritten {
            action,
            pod,
            hash,
            node,
            error,
        } => {
            let mut lines = vec![
                "apiVersion: v1".to_string(),
                "kind: Pod".to_string(),
                "metadata:".to_string(),
                format!("  name: {}", pod.name),
                format!("  namespace: {}", pod.namespace),
            ];
            if *action == "create" {
                lines.push("  annotations:".into());
                lines.push(format!("    kubernetes.io/config.mirror: {hash:?}"));
                lines.push("  ownerReferences:".into());
                lines.push(format!(
                    "  - kind: Node\n    name: {node}\n    controller: true"
                ));
            }
            lines.push(match error {
                None => t(locale, "result: accepted", "结果：已接受"),
                Some(err) => format!("{}{err}", t(locale, "result: ", "结果：")),
            });
            (
                format!("mirror pod {action}"),
                match *action {
                    "create" => up("pkg/kubelet/pod/mirror_client.go", "CreateMirrorPod"),
                    _ => up("pkg/kubelet/pod/mirror_client.go", "DeleteMirrorPod"),
                },
                vec![Section {
                    heading: t(locale, "The object as sent", "发送的对象"),
                    lines,
                }],
            )
        }
        Event::PlegEvent {
            pod_uid,
            event_type,
            container_id,
        } => (
            format!("PLEG {event_type}"),
            up("pkg/kubelet/pleg/generic.go", "Relist"),
            vec![Section {
                heading: t(locale, "Event", "事件"),
                lines: vec![
                    format!("pod uid={pod_uid}"),
                    format!("type: {event_type}"),
                    format!("container: {container_id}"),
                ],
            }],
        ),
        Event::FileListed { path, pods } => (
            "file source relist".to_string(),
            up("pkg/kubelet/config/file.go", "listConfig"),
            vec![Section {
                heading: path.clone(),
                lines: pods.iter().map(|p| format!("{p}  uid={}", p.uid)).collect(),
            }],
        ),
        Event::FileWatchEvent { path, kind } => (
            "file source watch".to_string(),
            up("pkg/kubelet/config/file_linux.go", "produceWatchEvent"),
            vec![Section {
                heading: t(locale, "Event", "事件"),
                lines: vec![format!("{kind} {path}")],
            }],
        ),
        Event::ManifestRejected {
            location, error, ..
        } => (
            "manifest rejected".to_string(),
            up("pkg/kubelet/config/common.go", "tryDecodeSinglePod"),
            vec![Section {
                heading: location.clone(),
                lines: vec![error.clone()],
            }],
        ),
        Event::KubeEvent {
            object,
            event_type,
            reason,
            message,
        } => (
            format!("event {reason}"),
            up(
                "staging/src/k8s.io/client-go/tools/record/event.go",
                "Eventf",
            ),
            vec![Section {
                heading: object.clone(),
                lines: vec![format!("{event_type} {reason}: {message}")],
            }],
        ),
        _ => (
            row.handler.clone(),
            match &record.event {
                Event::ManifestSkipped { .. } => up("pkg/kubelet/config/file.go", "extractFromDir"),
                Event::PathMissing { .. } => up("pkg/kubelet/config/file.go", "listConfig"),
                Event::UrlFetched { .. } => up("pkg/kubelet/config/http.go", "extractFromURL"),
                Event::DuplicatePodName { .. } => {
                    up("pkg/kubelet/config/config.go", "filterInvalidPods")
                }
                _ => up("cmd/kubelet/app/server.go", "Run"),
            },
            Vec::new(),
        ),
    };
    Some(Inspection {
        id,
        title,
        when,
        summary,
        upstream,
        sections,
    })
}

fn why_op(op: PodOp, replaced: bool, locale: Locale) -> String {
    let text = match (op, replaced) {
        (PodOp::Remove | PodOp::Add, true) => (
            "A static pod's UID is computed from its manifest (a hash of the pod and the node name), so an edited manifest arrives as a pod with a new UID. The mux keys pods by UID: the old one is no longer in the SET (REMOVE) and the new one was never seen (ADD). It is never an UPDATE.",
            "静态 Pod 的 UID 由其清单计算而来（Pod 与节点名的哈希），所以修改后的清单以新 UID 的 Pod 出现。mux 按 UID 记录 Pod：旧的不在 SET 中了（REMOVE），新的从未见过（ADD）。它绝不会是 UPDATE。",
        ),
        (PodOp::Add, false) => (
            "The mux had no pod with this UID from this source.",
            "mux 之前没有来自该源、具有此 UID 的 Pod。",
        ),
        (PodOp::Remove, false) => (
            "The source's new SET no longer contains this UID.",
            "该源的新 SET 中不再包含此 UID。",
        ),
        (PodOp::Update, _) => (
            "Same UID, and the spec, labels, annotations or deletion fields differ (podsDifferSemantically).",
            "UID 相同，而 spec、标签、注解或删除字段不同（podsDifferSemantically）。",
        ),
        (PodOp::Reconcile, _) => (
            "Same UID and the same spec; only the status differs.",
            "UID 与 spec 都相同，只有状态不同。",
        ),
        (PodOp::Delete, _) => (
            "The pod now has a deletionTimestamp: it is being deleted gracefully.",
            "Pod 现在带有 deletionTimestamp：正在被优雅删除。",
        ),
        (PodOp::Set, _) => (
            "A snapshot of every pod (not used by the kubelet's incremental mode).",
            "所有 Pod 的快照（kubelet 的增量模式不使用）。",
        ),
    };
    t(locale, text.0, text.1)
}

fn why_ready(channel: &str, locale: Locale) -> String {
    let text = match channel {
        "config" => (
            "The mux had an update queued for the sync loop.",
            "mux 为同步循环排队了一个更新。",
        ),
        "pleg" => (
            "PLEG's relist found a container whose state changed.",
            "PLEG 的重新列举发现某个容器状态改变。",
        ),
        "sync" => (
            "The 1 s sync ticker fired and the work queue had pods due.",
            "1 秒的 sync 定时器触发，工作队列中有到期的 Pod。",
        ),
        "housekeeping" => (
            "The 2 s housekeeping ticker fired.",
            "2 秒的 housekeeping 定时器触发。",
        ),
        _ => ("A probe's result changed.", "某个探针的结果改变。"),
    };
    t(locale, text.0, text.1)
}
