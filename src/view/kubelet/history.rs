//! The timeline's bounded history: every row of a recent window in full, older stretches folded
//! into per-node summaries ("3,240 quiet relists, no changes"), so a session left running at
//! 600× for a day keeps a small, fast timeline.

use std::collections::{BTreeMap, VecDeque};

use crate::sim::trace::Trace;
use crate::sim::{SimDuration, SimTime};
use crate::view::kubelet::kind::RecordKind;
use crate::view::kubelet::row::{row_for, Row, RowContext};

/// How far back rows are kept in full (virtual time).
pub const DETAIL_WINDOW: SimDuration = SimDuration::from_mins(15);
/// The most rows kept in full, whatever their age.
pub const MAX_ROWS: usize = 5_000;
/// The most summaries kept per node; the oldest two merge beyond it.
pub const MAX_SUMMARIES: usize = 48;
/// The virtual time one summary covers before the next one starts.
pub const SUMMARY_SPAN: SimDuration = SimDuration::from_mins(60);

/// The rows the timeline can show, and summaries of what was folded away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// How many trace records have been read.
    next: usize,
    ctx: RowContext,
    rows: VecDeque<Row>,
    /// Per node, oldest first.
    summaries: BTreeMap<String, Vec<Summary>>,
}

/// A stretch of one node's history folded into counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The node.
    pub host: String,
    /// The first folded row's time.
    pub from: SimTime,
    /// The last folded row's time.
    pub to: SimTime,
    /// The id of the last folded row (summaries sort among rows by it).
    pub last_id: usize,
    /// Quiet rows by what they were.
    pub quiet: BTreeMap<Quiet, u64>,
    /// Rows that changed something (their detail is gone).
    pub changes: u64,
}

/// What a quiet row was, for a summary's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quiet {
    /// A file or URL relist that found nothing new.
    Relist,
    /// A source's SET the mux found nothing new in.
    Set,
    /// A housekeeping pass.
    Housekeeping,
    /// A sync-ticker resync.
    Resync,
    /// A worker sync that changed nothing.
    WorkerSync,
    /// Anything else that changed nothing.
    Other,
}

impl History {
    /// Reads the trace records added since the last call.
    pub fn update(&mut self, trace: &Trace) {
        // Records the trace dropped before they were read are gone from the timeline too.
        let first = self.next.max(trace.first_id());
        let new = trace.since(first);
        for idx in 0..new.len() {
            if let Some(row) = row_for(&mut self.ctx, first + idx, new, idx) {
                let at = row.at;
                self.rows.push_back(row);
                // A long catch-up (a restored session, a day at 600×) folds as it goes, so it
                // never holds more than twice the row limit.
                if 2 * MAX_ROWS < self.rows.len() {
                    self.fold(Some(at));
                }
            }
        }
        self.next = trace.len();
        let horizon = trace.records().last().map(|r| r.at);
        self.fold(horizon);
    }

    /// Folds rows older than the window (or beyond the row limit) into summaries.
    fn fold(&mut self, now: Option<SimTime>) {
        let Some(now) = now else {
            return;
        };
        let cutoff = now.as_millis().saturating_sub(DETAIL_WINDOW.as_millis());
        while let Some(oldest) = self.rows.front() {
            let old = oldest.at.as_millis() < cutoff;
            if !(old || MAX_ROWS < self.rows.len()) {
                return;
            }
            let row = self.rows.pop_front().expect("checked above");
            self.summarise(row);
        }
    }

    fn summarise(&mut self, row: Row) {
        let list = self.summaries.entry(row.host.clone()).or_default();
        // A new summary starts every hour of virtual time, so a learner scrolling back sees
        // when the quiet stretches were; past the limit the two oldest merge.
        let full = list
            .last()
            .is_none_or(|s| SUMMARY_SPAN <= row.at.since(s.from));
        if full {
            list.push(Summary {
                host: row.host.clone(),
                from: row.at,
                to: row.at,
                last_id: row.id,
                quiet: BTreeMap::new(),
                changes: 0,
            });
        }
        let summary = list.last_mut().expect("pushed above");
        summary.to = row.at;
        summary.last_id = row.id;
        match row.changed {
            true => summary.changes += 1,
            false => *summary.quiet.entry(quiet_of(&row)).or_default() += 1,
        }
        if MAX_SUMMARIES < list.len() {
            let second = list.remove(1);
            let first = &mut list[0];
            first.to = second.to;
            first.last_id = second.last_id;
            first.changes += second.changes;
            for (k, n) in second.quiet {
                *first.quiet.entry(k).or_default() += n;
            }
        }
    }

    /// The rows kept in full, oldest first.
    pub fn rows(&self) -> &VecDeque<Row> {
        &self.rows
    }

    /// The summaries of every node, each node's oldest first.
    pub fn summaries(&self) -> impl Iterator<Item = &Summary> {
        self.summaries.values().flatten()
    }

    /// The row with trace index `id`, if it is kept in full.
    pub fn row(&self, id: usize) -> Option<&Row> {
        let idx = self.rows.binary_search_by_key(&id, |r| r.id).ok()?;
        self.rows.get(idx)
    }

    /// An estimate of the heap and inline bytes this history holds: each row and summary with
    /// the strings and lists it owns, and the UID → name map.
    pub fn memory_bytes(&self) -> usize {
        let row_bytes: usize = self
            .rows
            .iter()
            .map(|r| {
                std::mem::size_of::<Row>()
                    + r.host.capacity()
                    + r.channel.capacity()
                    + r.handler.capacity()
                    + r.pods.iter().map(|p| p.capacity() + 24).sum::<usize>()
                    + explain_bytes(r)
            })
            .sum();
        let summary_bytes: usize = self
            .summaries
            .values()
            .flatten()
            .map(|s| std::mem::size_of::<Summary>() + s.host.capacity() + s.quiet.len() * 48)
            .sum();
        let names: usize = self
            .ctx
            .names
            .iter()
            .map(|(k, v)| k.capacity() + v.capacity() + 64)
            .sum();
        row_bytes + summary_bytes + names
    }
}

fn quiet_of(row: &Row) -> Quiet {
    match (row.kind, row.channel.as_str(), row.handler.as_str()) {
        (RecordKind::Sources, _, "listConfig" | "extractFromURL") => Quiet::Relist,
        (RecordKind::Sources, _, _) => Quiet::Set,
        (RecordKind::SyncLoop, "housekeeping", _) => Quiet::Housekeeping,
        (RecordKind::SyncLoop, "sync", _) => Quiet::Resync,
        (RecordKind::Workers, _, _) => Quiet::WorkerSync,
        _ => Quiet::Other,
    }
}

fn explain_bytes(row: &Row) -> usize {
    use crate::view::kubelet::row::Explain;
    match &row.explain {
        Explain::FileListed { path, .. }
        | Explain::PathMissing { path }
        | Explain::Skipped { path, .. } => path.capacity(),
        Explain::FileWatch { path, kind } => path.capacity() + kind.capacity(),
        Explain::SourceSent { source, .. }
        | Explain::Mux { source, .. }
        | Explain::Duplicate { source } => source.capacity(),
        Explain::Rejected { location, error } => location.capacity() + error.capacity(),
        Explain::UrlFetched { url, error } => {
            url.capacity() + error.as_ref().map_or(0, String::capacity)
        }
        Explain::PodSync { outcome } => outcome.capacity(),
        Explain::Pleg {
            event_type,
            container,
        } => event_type.capacity() + container.capacity(),
        Explain::BackOff { container, .. } => container.capacity(),
        Explain::Mirror { error, .. } => error.as_ref().map_or(0, String::capacity),
        Explain::KubeEvent { reason, message } => reason.capacity() + message.capacity(),
        Explain::Iteration | Explain::Process { .. } => 0,
    }
}
