//! The timeline pane: rows of the bounded history that pass the learner's filters and search,
//! newest last, each with its explanation in the learner's language, and the summaries of
//! older stretches.

use crate::lessons::model::Locale;
use crate::sim::SimTime;
use crate::view::kubelet::explain::{explain, stamp};
use crate::view::kubelet::history::{History, Quiet, Summary};
use crate::view::kubelet::kind::RecordKind;
use crate::view::kubelet::row::Row;

/// The most entries the pane shows at once (the newest that pass the filters).
pub const SHOWN: usize = 400;

/// What the learner asked the timeline to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    /// Only this node.
    pub node: Option<String>,
    /// Only rows naming a pod whose name contains this.
    pub pod: Option<String>,
    /// Only these kinds (empty: every kind).
    pub kinds: Vec<RecordKind>,
    /// Only rows that changed something or went wrong.
    pub changed_only: bool,
    /// Only rows whose text contains this (any case).
    pub search: String,
    /// Only records from this trace index on (a lesson step's start, a scenario's start).
    pub after: Option<usize>,
    /// Only records before this trace index (the replay scrubber's instant).
    pub before: Option<usize>,
}

/// The timeline as the pane shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineView {
    /// The entries, oldest first.
    pub entries: Vec<TimelineEntry>,
    /// How many older rows pass the filters but are not shown.
    pub older: usize,
}

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineEntry {
    /// A record in full.
    Row(TimelineRow),
    /// An older stretch, counted.
    Summary(TimelineSummary),
}

/// One record, as a timeline row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    /// The record's id (for the inspector).
    pub id: usize,
    /// Virtual time since the learner arrived.
    pub time: String,
    /// The node.
    pub node: String,
    /// The kind.
    pub kind: RecordKind,
    /// The source or sync-loop channel.
    pub channel: String,
    /// The function that acted.
    pub handler: String,
    /// The mux operation, e.g. `ADD`.
    pub op: Option<String>,
    /// The pods, `namespace/name`.
    pub pods: Vec<String>,
    /// The explanation.
    pub text: String,
    /// Whether it changed something.
    pub changed: bool,
    /// The sync-loop iteration it belongs to; equal to `id` for the iteration itself.
    pub iteration: Option<usize>,
}

/// An older stretch of one node, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineSummary {
    /// The node.
    pub node: String,
    /// From when.
    pub from: String,
    /// To when.
    pub to: String,
    /// What it held, in words.
    pub text: String,
}

/// The timeline for `filter`, in `locale`, with times from `start`.
pub fn timeline(
    history: &History,
    filter: &TimelineFilter,
    locale: Locale,
    start: SimTime,
) -> TimelineView {
    let needle = filter.search.to_lowercase();
    let mut rows: Vec<TimelineRow> = Vec::new();
    let mut older = 0;
    for row in history.rows().iter().rev() {
        if !passes(row, filter) {
            continue;
        }
        // Rows past the shown ones are only counted: without a search they need no words.
        if rows.len() == SHOWN && needle.is_empty() {
            older += 1;
            continue;
        }
        let shown = shown_row(row, locale, start);
        if !needle.is_empty() && !matches_search(&shown, &needle) {
            continue;
        }
        if rows.len() == SHOWN {
            older += 1;
            continue;
        }
        rows.push(shown);
    }
    rows.reverse();
    let mut entries: Vec<(usize, TimelineEntry)> = Vec::new();
    // Summaries only say "this much happened": shown when no pod, kind or text is asked for.
    let plain = filter.pod.is_none()
        && filter.kinds.is_empty()
        && needle.is_empty()
        && filter.after.is_none();
    if plain {
        for summary in history.summaries() {
            if filter.node.as_ref().is_some_and(|n| *n != summary.host) {
                continue;
            }
            if filter.changed_only && summary.changes == 0 {
                continue;
            }
            if filter
                .before
                .is_some_and(|before| summary.last_id >= before)
            {
                continue;
            }
            entries.push((
                summary.last_id,
                TimelineEntry::Summary(shown_summary(summary, locale, start)),
            ));
        }
    }
    entries.extend(rows.into_iter().map(|r| (r.id, TimelineEntry::Row(r))));
    entries.sort_by_key(|(id, _)| *id);
    TimelineView {
        entries: entries.into_iter().map(|(_, e)| e).collect(),
        older,
    }
}

/// Whether `row` passes the node, pod, kind and "changed" filters.
pub fn passes(row: &Row, filter: &TimelineFilter) -> bool {
    if filter.after.is_some_and(|after| row.id < after) {
        return false;
    }
    if filter.before.is_some_and(|before| row.id >= before) {
        return false;
    }
    if filter.node.as_ref().is_some_and(|n| *n != row.host) {
        return false;
    }
    if !filter.kinds.is_empty() && !filter.kinds.contains(&row.kind) {
        return false;
    }
    if filter.changed_only && !row.changed {
        return false;
    }
    match &filter.pod {
        Some(pod) => row.pods.iter().any(|p| p.contains(pod.as_str())),
        None => true,
    }
}

/// Whether the shown row contains `needle` (lower case) in its text, pods, operation,
/// channel or handler.
pub fn matches_search(row: &TimelineRow, needle: &str) -> bool {
    let hay = |s: &str| s.to_lowercase().contains(needle);
    hay(&row.text)
        || row.pods.iter().any(|p| hay(p))
        || row.op.as_deref().is_some_and(hay)
        || hay(&row.channel)
        || hay(&row.handler)
}

/// A kept row as the pane shows it.
pub fn shown_row(row: &Row, locale: Locale, start: SimTime) -> TimelineRow {
    TimelineRow {
        id: row.id,
        time: stamp(row.at, start),
        node: row.host.clone(),
        kind: row.kind,
        channel: row.channel.clone(),
        handler: row.handler.clone(),
        op: row.op.map(|op| op.as_str().to_string()),
        pods: row.pods.clone(),
        text: explain(row, locale, start),
        changed: row.changed,
        iteration: row.iteration,
    }
}

fn shown_summary(summary: &Summary, locale: Locale, start: SimTime) -> TimelineSummary {
    let mut parts: Vec<String> = summary
        .quiet
        .iter()
        .map(|(what, n)| quiet_words(*what, *n, locale))
        .collect();
    parts.push(match (locale, summary.changes) {
        (Locale::En, 0) => "no changes".into(),
        (Locale::En, 1) => "1 change (its detail is no longer kept)".into(),
        (Locale::En, n) => format!("{} changes (their detail is no longer kept)", group(n)),
        (Locale::ZhCn, 0) => "没有变化".into(),
        (Locale::ZhCn, n) => format!("{} 次变化（详情已不再保留）", group(n)),
    });
    let sep = match locale {
        Locale::En => ", ",
        Locale::ZhCn => "，",
    };
    TimelineSummary {
        node: summary.host.clone(),
        from: stamp(summary.from, start),
        to: stamp(summary.to, start),
        text: parts.join(sep),
    }
}

fn quiet_words(what: Quiet, n: u64, locale: Locale) -> String {
    let n = group(n);
    match (locale, what) {
        (Locale::En, Quiet::Relist) => format!("{n} quiet relists"),
        (Locale::En, Quiet::Set) => format!("{n} SETs with nothing new"),
        (Locale::En, Quiet::Housekeeping) => format!("{n} housekeeping passes"),
        (Locale::En, Quiet::Resync) => format!("{n} resyncs"),
        (Locale::En, Quiet::WorkerSync) => format!("{n} worker syncs that changed nothing"),
        (Locale::En, Quiet::Other) => format!("{n} other quiet records"),
        (Locale::ZhCn, Quiet::Relist) => format!("{n} 次无变化的重新列出"),
        (Locale::ZhCn, Quiet::Set) => format!("{n} 个没有新内容的 SET"),
        (Locale::ZhCn, Quiet::Housekeeping) => format!("{n} 次 housekeeping"),
        (Locale::ZhCn, Quiet::Resync) => format!("{n} 次重新同步"),
        (Locale::ZhCn, Quiet::WorkerSync) => format!("{n} 次无变化的 worker 同步"),
        (Locale::ZhCn, Quiet::Other) => format!("{n} 条其他无变化记录"),
    }
}

/// `3240` → `3,240`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (idx, ch) in digits.chars().enumerate() {
        if idx != 0 && (digits.len() - idx).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
