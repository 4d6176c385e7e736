//! The timeline's one-line explanations, in plain words, in English and Simplified Chinese.

use crate::lessons::model::Locale;
use crate::sim::trace::{PodOp, SkipReason};
use crate::sim::SimTime;
use crate::view::kubelet::row::{Explain, Row};

/// Virtual time since the learner arrived at `start`, as `H:MM:SS.mmm` (`-` before it: the
/// cluster's boot).
pub fn stamp(at: SimTime, start: SimTime) -> String {
    let (sign, ms) = match at < start {
        true => ("-", start.since(at).as_millis()),
        false => ("", at.since(start).as_millis()),
    };
    let secs = ms / 1000;
    format!(
        "{sign}{}:{:02}:{:02}.{:03}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        ms % 1000
    )
}

/// The row's explanation in `locale`.
pub fn explain(row: &Row, locale: Locale, start: SimTime) -> String {
    let pods = pod_list(&row.pods, locale);
    let zh = locale == Locale::ZhCn;
    match &row.explain {
        Explain::FileListed { path, count } => match (zh, row.changed) {
            (false, false) => format!(
                "the file source relisted {path} (every 20 s) and found no change, so the mux sent nothing"
            ),
            (false, true) => format!(
                "the file source relisted {path} and found {count} pod(s); something differs from what the mux holds"
            ),
            (true, false) => {
                format!("文件源重新列出了 {path}（每 20 秒一次），没有发现变化，所以 mux 什么也没发送")
            }
            (true, true) => {
                format!("文件源重新列出了 {path}，找到 {count} 个 Pod；与 mux 保存的内容有所不同")
            }
        },
        Explain::FileWatch { path, kind } => match zh {
            false => format!(
                "the file source's watch saw {path} {}, so it reads the folder now",
                watch_word(kind, locale)
            ),
            true => format!("文件源的监视发现 {path} 被{}，于是立即读取目录", watch_word(kind, locale)),
        },
        Explain::SourceSent { source, count } => match (zh, row.changed) {
            (false, false) => format!(
                "the {source} source sent SET with its {count} pod(s); the mux compared them with what it holds and found nothing new"
            ),
            (false, true) => format!(
                "the {source} source sent SET with its {count} pod(s); the mux compares them with what it holds"
            ),
            (true, false) => format!(
                "{source} 源发送了包含 {count} 个 Pod 的 SET；mux 与已有内容比较后没有发现变化"
            ),
            (true, true) => format!(
                "{source} 源发送了包含 {count} 个 Pod 的 SET；mux 将其与已有内容比较"
            ),
        },
        Explain::Rejected { location, error } => match zh {
            false => format!(
                "the kubelet could not use {location} ({error}); a pod it defined before keeps running until the next relist drops it"
            ),
            true => format!("kubelet 无法使用 {location}（{error}）；之前由它定义的 Pod 会继续运行，直到下一次重新列出将其移除"),
        },
        Explain::Skipped { path, reason } => match zh {
            false => format!("the file source skipped {path}: {}", skip_word(*reason, locale)),
            true => format!("文件源跳过了 {path}：{}", skip_word(*reason, locale)),
        },
        Explain::PathMissing { path } => match zh {
            false => format!("the static pod path {path} does not exist; the file source looks again at the next relist"),
            true => format!("静态 Pod 路径 {path} 不存在；文件源会在下一次重新列出时再看"),
        },
        Explain::UrlFetched { url, error } => match (zh, error) {
            (false, None) => format!("the http source fetched {url} (every 20 s)"),
            (false, Some(err)) => format!("the http source could not use {url} ({err}); its pods stay as they were"),
            (true, None) => format!("http 源获取了 {url}（每 20 秒一次）"),
            (true, Some(err)) => format!("http 源无法使用 {url}（{err}）；它的 Pod 保持不变"),
        },
        Explain::Mux { source, replaced } => mux_text(row.op, source, *replaced, &pods, locale),
        Explain::Duplicate { source } => match zh {
            false => format!("the mux dropped {pods} from {source}: an earlier pod in the same message has its name"),
            true => format!("mux 丢弃了来自 {source} 的 {pods}：同一消息中前面的 Pod 已使用这个名字"),
        },
        Explain::Iteration => {
            let pods = match (pods.is_empty(), locale) {
                (false, _) => pods,
                (true, Locale::En) => "no pods (a source is ready)".to_string(),
                (true, Locale::ZhCn) => "空列表（某个源已就绪）".to_string(),
            };
            iteration_text(&row.channel, &row.handler, &pods, locale)
        }
        Explain::PodSync { outcome } => {
            let what = match (row.handler.as_str(), outcome.as_str(), locale) {
                ("SyncTerminatingPod", "done", Locale::En) => "done: its containers are stopped".into(),
                ("SyncTerminatingPod", "done", Locale::ZhCn) => "完成：容器均已停止".into(),
                ("SyncTerminatedPod", "done", Locale::En) => "done: the pod is cleaned up".into(),
                ("SyncTerminatedPod", "done", Locale::ZhCn) => "完成：Pod 已清理".into(),
                _ => outcome_word(outcome, locale),
            };
            match zh {
                false => format!("the pod worker of {pods} ran {}: {what}", row.handler),
                true => format!("{pods} 的 Pod worker 执行了 {}：{what}", row.handler),
            }
        }
        Explain::Pleg {
            event_type,
            container,
        } => match zh {
            false => format!(
                "PLEG's relist (every 1 s) saw {event_type} for container {container} of {pods}, and tells the sync loop"
            ),
            true => format!("PLEG 的重新列举（每 1 秒）发现 {pods} 的容器 {container} 出现 {event_type}，并通知同步循环"),
        },
        Explain::BackOff {
            container,
            back_off,
            until,
        } => match zh {
            false => format!(
                "container {container} of {pods} exited recently: back-off {back_off}, no restart before {}",
                stamp(*until, start)
            ),
            true => format!(
                "{pods} 的容器 {container} 刚退出：回退 {back_off}，在 {} 之前不会重启",
                stamp(*until, start)
            ),
        },
        Explain::Mirror { action, error } => match (zh, *action, error) {
            (false, "create", None) => format!(
                "the kubelet created the mirror pod {pods} in the API server, so kubectl can see the static pod"
            ),
            (false, _, None) => format!("the kubelet deleted the mirror pod {pods} from the API server"),
            (false, _, Some(err)) => format!("the kubelet's {action} of the mirror pod {pods} failed: {err}"),
            (true, "create", None) => {
                format!("kubelet 在 API 服务器中创建了镜像 Pod {pods}，kubectl 因此能看到这个静态 Pod")
            }
            (true, _, None) => format!("kubelet 从 API 服务器删除了镜像 Pod {pods}"),
            (true, _, Some(err)) => format!("kubelet 对镜像 Pod {pods} 的 {action} 失败：{err}"),
        },
        Explain::KubeEvent { reason, message } => match zh {
            false => format!("event {reason}: {message}"),
            true => format!("事件 {reason}：{message}"),
        },
        Explain::Process { pid, exit } => match (zh, exit) {
            (false, None) => format!(
                "the kubelet started (pid {pid}): it reads its configuration once and starts its sources"
            ),
            (false, Some(code)) => format!("the kubelet (pid {pid}) stopped with exit code {code}"),
            (true, None) => format!("kubelet 已启动（pid {pid}）：读取一次配置并启动各个源"),
            (true, Some(code)) => format!("kubelet（pid {pid}）已停止，退出码 {code}"),
        },
    }
}

fn mux_text(op: Option<PodOp>, source: &str, replaced: bool, pods: &str, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    let op = op.unwrap_or(PodOp::Set);
    match (zh, op, replaced) {
        (false, PodOp::Remove, true) => format!(
            "{pods} from {source} changed, and a static pod's UID is a hash of its manifest: the old UID is gone, so the mux sent REMOVE"
        ),
        (false, PodOp::Add, true) => format!(
            "…and ADD for {pods} with the new UID: a changed manifest is a new pod, never an UPDATE"
        ),
        (false, PodOp::Add, false) if pods.is_empty() => format!(
            "the {source} source sent its first SET, with no pods: an empty ADD tells the sync loop this source is ready"
        ),
        (false, PodOp::Add, false) => format!("the mux found new pods from {source} ({pods}) and sent ADD"),
        (false, PodOp::Remove, false) => {
            format!("{pods} no longer come(s) from {source}, so the mux sent REMOVE")
        }
        (false, PodOp::Update, _) => format!(
            "the spec, labels or annotations of {pods} changed with the UID kept, so the mux sent UPDATE"
        ),
        (false, PodOp::Delete, _) => {
            format!("{pods} is being deleted gracefully, so the mux sent DELETE")
        }
        (false, PodOp::Reconcile, _) => {
            format!("only the status of {pods} changed, so the mux sent RECONCILE")
        }
        (false, PodOp::Set, _) => format!("the mux sent its whole state (SET) for {source}"),
        (true, PodOp::Remove, true) => format!(
            "来自 {source} 的 {pods} 已改变，而静态 Pod 的 UID 是其清单的哈希：旧 UID 不存在了，所以 mux 发送 REMOVE"
        ),
        (true, PodOp::Add, true) => {
            format!("……并以新 UID 为 {pods} 发送 ADD：修改过的清单就是一个新 Pod，绝不是 UPDATE")
        }
        (true, PodOp::Add, false) if pods.is_empty() => format!(
            "{source} 源发送了第一个 SET，其中没有 Pod：空的 ADD 告诉同步循环这个源已就绪"
        ),
        (true, PodOp::Add, false) => format!("mux 发现了来自 {source} 的新 Pod（{pods}），发送 ADD"),
        (true, PodOp::Remove, false) => format!("{pods} 不再来自 {source}，所以 mux 发送 REMOVE"),
        (true, PodOp::Update, _) => {
            format!("{pods} 的 spec、标签或注解改变而 UID 不变，所以 mux 发送 UPDATE")
        }
        (true, PodOp::Delete, _) => format!("{pods} 正在被优雅删除，所以 mux 发送 DELETE"),
        (true, PodOp::Reconcile, _) => format!("{pods} 只有状态改变，所以 mux 发送 RECONCILE"),
        (true, PodOp::Set, _) => format!("mux 为 {source} 发送了完整状态（SET）"),
    }
}

fn iteration_text(channel: &str, handler: &str, pods: &str, locale: Locale) -> String {
    match (locale, channel) {
        (Locale::En, "config") => {
            format!("the sync loop took the mux's update from the config channel and ran {handler} for {pods}")
        }
        (Locale::En, "pleg") => {
            format!("PLEG reported a container change of {pods}, so the sync loop ran {handler}")
        }
        (Locale::En, "sync") => format!(
            "the 1 s sync ticker found {pods} due for a resync in the work queue: {handler}"
        ),
        (Locale::En, "housekeeping") => format!(
            "the 2 s housekeeping ticker fired: {handler} looks for pods and containers nobody wants"
        ),
        (Locale::En, probe) => {
            format!("the {probe} probe's result for {pods} changed, so the sync loop ran {handler}")
        }
        (Locale::ZhCn, "config") => {
            format!("同步循环从 config 通道取出 mux 的更新，为 {pods} 执行 {handler}")
        }
        (Locale::ZhCn, "pleg") => format!("PLEG 报告 {pods} 的容器发生变化，同步循环执行 {handler}"),
        (Locale::ZhCn, "sync") => {
            format!("1 秒的 sync 定时器发现工作队列中 {pods} 到期需要重新同步：{handler}")
        }
        (Locale::ZhCn, "housekeeping") => {
            format!("2 秒的 housekeeping 定时器触发：{handler} 查找无人需要的 Pod 和容器")
        }
        (Locale::ZhCn, probe) => format!("{pods} 的 {probe} 探针结果改变，同步循环执行 {handler}"),
    }
}

fn pod_list(pods: &[String], locale: Locale) -> String {
    match pods.len() {
        0 => String::new(),
        1..=3 => pods.join(", "),
        n => match locale {
            Locale::En => format!("{} and {} more", pods[..2].join(", "), n - 2),
            Locale::ZhCn => format!("{} 等 {n} 个", pods[..2].join("、")),
        },
    }
}

fn watch_word(kind: &str, locale: Locale) -> &'static str {
    match (locale, kind) {
        (Locale::En, "add") => "created",
        (Locale::En, "delete") => "removed",
        (Locale::En, _) => "changed",
        (Locale::ZhCn, "add") => "新建",
        (Locale::ZhCn, "delete") => "删除",
        (Locale::ZhCn, _) => "修改",
    }
}

fn skip_word(reason: SkipReason, locale: Locale) -> &'static str {
    match (locale, reason) {
        (Locale::En, SkipReason::DotFile) => "its name starts with a dot",
        (Locale::En, SkipReason::Directory) => "it is a folder (the kubelet does not look inside)",
        (Locale::En, SkipReason::NotFileOrDir) => "it is not a regular file",
        (Locale::ZhCn, SkipReason::DotFile) => "文件名以点开头",
        (Locale::ZhCn, SkipReason::Directory) => "它是目录（kubelet 不查看子目录）",
        (Locale::ZhCn, SkipReason::NotFileOrDir) => "它不是普通文件",
    }
}

fn outcome_word(outcome: &str, locale: Locale) -> String {
    match (locale, outcome) {
        (Locale::En, "done") => "done; the work queue resyncs it in about a minute".into(),
        (Locale::En, "terminal") => "the pod reached a terminal phase".into(),
        (Locale::En, "waiting") => {
            "it has to wait (an image pull, a grace period) and runs again then".into()
        }
        (Locale::En, err) => format!("failed ({err}); retried after a back-off"),
        (Locale::ZhCn, "done") => "完成；工作队列大约一分钟后重新同步".into(),
        (Locale::ZhCn, "terminal") => "Pod 进入终止阶段".into(),
        (Locale::ZhCn, "waiting") => "需要等待（拉取镜像、宽限期），之后再次执行".into(),
        (Locale::ZhCn, err) => format!("失败（{err}）；回退后重试"),
    }
}
