//! The event log: typed records of every decision the simulation makes, each stamped with its
//! virtual time and host.
//!
//! The UI draws these, lessons check them, and the kubelet's journal (`journalctl -u kubelet`)
//! is derived from them. The records hold plain data (names, UIDs, messages) so this module
//! depends on nothing above `sim`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::sim::text::Text;
use crate::sim::time::{SimDuration, SimTime};

/// A pod as the log names it: namespace, name and UID. Shared: the mux names every pod of a
/// source in each message it records, so a copy costs a reference count.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PodRef(Arc<PodName>);

/// What a [`PodRef`] names.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub struct PodName {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub name: String,
    /// The pod's UID.
    pub uid: String,
}

impl PodRef {
    /// The reference to the pod `namespace/name` with UID `uid`.
    pub fn new(
        namespace: impl Into<String>,
        name: impl Into<String>,
        uid: impl Into<String>,
    ) -> PodRef {
        PodRef(Arc::new(PodName {
            namespace: namespace.into(),
            name: name.into(),
            uid: uid.into(),
        }))
    }
}

impl std::ops::Deref for PodRef {
    type Target = PodName;

    fn deref(&self) -> &PodName {
        &self.0
    }
}

// Written as the plain struct it once was, so trace dumps stay comparable across versions.
impl fmt::Debug for PodRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PodRef")
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .field("uid", &self.uid)
            .finish()
    }
}

impl fmt::Display for PodRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// The pod-config operations, in upstream's declaration order (`pkg/kubelet/types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PodOp {
    /// The whole set of pods from one source.
    Set,
    /// New pods.
    Add,
    /// Pods being gracefully deleted.
    Delete,
    /// Pods no longer present.
    Remove,
    /// Pods whose spec, labels or annotations changed.
    Update,
    /// Pods whose status changed.
    Reconcile,
}

impl PodOp {
    /// The upper-case name upstream logs (`SyncLoop ADD`).
    pub fn as_str(self) -> &'static str {
        match self {
            PodOp::Set => "SET",
            PodOp::Add => "ADD",
            PodOp::Delete => "DELETE",
            PodOp::Remove => "REMOVE",
            PodOp::Update => "UPDATE",
            PodOp::Reconcile => "RECONCILE",
        }
    }
}

impl fmt::Display for PodOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a file under the static pod path was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Its name starts with a dot.
    DotFile,
    /// It is a directory (the file source does not recurse).
    Directory,
    /// It is neither a regular file nor a directory.
    NotFileOrDir,
}

/// Klog severities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// `I`
    Info,
    /// `W`
    Warning,
    /// `E`
    Error,
}

/// One structured log line as klog writes it: `"message" key="value" ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// I, W or E.
    pub severity: Severity,
    /// The `klog.V(n)` level; 0 is always shown.
    pub verbosity: u8,
    /// The upstream source file and line that logs it, e.g. `file.go:108`.
    pub caller: &'static str,
    /// The message, without quotes (most are literals, kept without a copy).
    pub message: Cow<'static, str>,
    /// Key/value pairs, in order.
    pub fields: Vec<(&'static str, FieldValue)>,
    /// `false` for printf-style lines (`klog.Warningf`), whose message is written unquoted.
    pub structured: bool,
}

impl LogLine {
    /// An info line at verbosity `v`.
    pub fn info(
        verbosity: u8,
        caller: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> LogLine {
        LogLine {
            severity: Severity::Info,
            verbosity,
            caller,
            message: message.into(),
            fields: Vec::new(),
            structured: true,
        }
    }

    /// A printf-style line (`klog.Warningf`, `klog.Infof`): the text is written as is.
    pub fn printf(
        severity: Severity,
        caller: &'static str,
        text: impl Into<Cow<'static, str>>,
    ) -> LogLine {
        LogLine {
            severity,
            structured: false,
            ..LogLine::info(0, caller, text)
        }
    }

    /// An error line (`klog.ErrorS`).
    pub fn error(caller: &'static str, message: impl Into<Cow<'static, str>>) -> LogLine {
        LogLine {
            severity: Severity::Error,
            ..LogLine::info(0, caller, message)
        }
    }

    /// A warning line.
    pub fn warning(caller: &'static str, message: impl Into<Cow<'static, str>>) -> LogLine {
        LogLine {
            severity: Severity::Warning,
            ..LogLine::info(0, caller, message)
        }
    }

    /// Adds a `key="value"` pair (a string, written quoted).
    pub fn with(mut self, key: &'static str, value: impl Into<Text>) -> LogLine {
        self.fields.push((key, FieldValue::Str(value.into())));
        self
    }

    /// Adds a `key=value` pair written as is (numbers, booleans, JSON objects, lists).
    pub fn with_raw(mut self, key: &'static str, value: impl Into<Text>) -> LogLine {
        self.fields.push((key, FieldValue::Raw(value.into())));
        self
    }

    /// The value of field `key`, as text.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Makes the fields' text shared, for a line kept to be recorded again: its copies then
    /// share their text instead of allocating their own.
    pub fn share_text(&mut self) {
        for (_, value) in &mut self.fields {
            match value {
                FieldValue::Str(text) | FieldValue::Raw(text) => text.share(),
            }
        }
    }
}

/// A structured log value: klog quotes strings and writes everything else as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// A string, written with Go's `%q` quoting.
    Str(Text),
    /// Written verbatim: `3`, `true`, `{"ID":"..."}`, `[file api]`.
    Raw(Text),
}

impl FieldValue {
    /// The value without quoting.
    pub fn as_str(&self) -> &str {
        match self {
            FieldValue::Str(s) | FieldValue::Raw(s) => s,
        }
    }
}

/// What happened. Variants are grouped by the layer that records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A source delivered a message to the pod-config mux.
    SourceSent {
        /// `file`, `http` or `api`.
        source: String,
        /// Always SET for the kubelet's own sources.
        op: PodOp,
        /// The pods it carried.
        pods: Vec<PodRef>,
    },
    /// The mux emitted an update to the sync loop.
    MuxEmitted {
        /// The source the update is attributed to.
        source: Box<str>,
        /// The operation.
        op: PodOp,
        /// The pods it carried (empty for the "source is ready" ADD).
        pods: Vec<PodRef>,
        /// Each pod's `kubernetes.io/config.hash` (empty when it has none), in `pods` order.
        hashes: Vec<String>,
        /// For pods that changed (UPDATE, RECONCILE, DELETE) or were replaced by a pod with the
        /// same name (REMOVE + ADD in one message): what differs.
        changes: Vec<PodChanges>,
    },
    /// The mux dropped a pod because an earlier one in the same message had its full name.
    DuplicatePodName {
        /// The source that sent both.
        source: String,
        /// The dropped pod.
        pod: Box<PodRef>,
    },
    /// The file source listed its path.
    FileListed {
        /// The static pod path.
        path: String,
        /// The pods it found, in store order.
        pods: Vec<PodRef>,
    },
    /// The file source received a watch event.
    FileWatchEvent {
        /// The file the event names.
        path: String,
        /// `add`, `modify` or `delete` (the file source's own event kinds).
        kind: &'static str,
    },
    /// A manifest could not be decoded, defaulted or validated.
    ManifestRejected {
        /// `file` or `http`.
        source: String,
        /// The file path or URL.
        location: String,
        /// Upstream's error text.
        error: String,
    },
    /// A directory entry under the static pod path was not read.
    ManifestSkipped {
        /// The entry's path.
        path: String,
        /// Why.
        reason: SkipReason,
    },
    /// The static pod path does not exist.
    PathMissing {
        /// The configured path.
        path: String,
    },
    /// The URL source fetched its URL.
    UrlFetched {
        /// The URL.
        url: String,
        /// `None` when the body was accepted, else upstream's error text.
        error: Option<String>,
    },
    /// PLEG's relist found a container state change.
    PlegEvent {
        /// The pod the container belongs to.
        pod_uid: String,
        /// `ContainerStarted`, `ContainerDied`, `ContainerRemoved`, ...
        event_type: String,
        /// The container's id.
        container_id: String,
    },
    /// The kubelet refused to restart a container that exited too recently (`doBackOff`).
    ContainerBackOff {
        /// The pod.
        pod: Box<PodRef>,
        /// The container's name.
        container: String,
        /// The back-off in force.
        back_off: SimDuration,
        /// When the window opens again.
        until: SimTime,
    },
    /// The kubelet created or deleted a mirror pod in the API server.
    MirrorWritten {
        /// `create` or `delete`.
        action: &'static str,
        /// The mirror pod (its UID is the static pod's for a create: the API server assigns
        /// the mirror its own).
        pod: Box<PodRef>,
        /// The `kubernetes.io/config.mirror` annotation written (empty for a delete).
        hash: String,
        /// The node that owns it.
        node: String,
        /// `None` when the API server accepted it, else its error.
        error: Option<String>,
    },
    /// A plain kubelet log line with no richer meaning for the UI.
    Log(LogLine),
    /// One iteration of the kubelet's sync loop: which channel fired and which handler ran
    /// for which pods.
    SyncLoopIteration {
        /// `config`, `pleg`, `sync`, `housekeeping`, `liveness`, `readiness` or `startup`.
        channel: &'static str,
        /// The handler, e.g. `HandlePodAdditions`.
        handler: &'static str,
        /// The pods it was given.
        pods: Vec<PodRef>,
    },
    /// A pod worker ran a sync function.
    PodSync {
        /// `SyncPod`, `SyncTerminatingPod` or `SyncTerminatedPod`.
        function: &'static str,
        /// The pod.
        pod: Box<PodRef>,
        /// `done`, `terminal`, `waiting` or the error.
        outcome: String,
    },
    /// A Kubernetes event was recorded (what `kubectl describe` and `get events` show).
    KubeEvent {
        /// The object it is about, e.g. `pod/web-controlplane`.
        object: String,
        /// `Normal` or `Warning`.
        event_type: &'static str,
        /// The reason, e.g. `BackOff`.
        reason: String,
        /// The message.
        message: String,
    },
    /// A process started (the journal names its lines after it).
    ProcessStarted {
        /// The program, e.g. `kubelet`.
        name: String,
        /// Its process id.
        pid: u32,
        /// Its klog verbosity (`--v`), 0 for programs without one.
        verbosity: u8,
    },
    /// A process exited.
    ProcessExited {
        /// The program.
        name: String,
        /// Its process id.
        pid: u32,
        /// The exit status.
        code: i32,
    },
    /// The event loop's guard stopped a storm: a component kept scheduling wake-ups at one
    /// instant, so the rest of that instant's wake-ups were moved a second later.
    StormStopped {
        /// Wake-ups dispatched at the instant before the guard stepped in.
        wakeups: u32,
        /// The wake-up that crossed the limit, as the event loop names it.
        wake: String,
    },
    /// The API server met an object it could not decode from its store (the read failed with
    /// a 500) or could not encode for storing (nothing was stored).
    StoreFault {
        /// `decode` or `encode`.
        operation: &'static str,
        /// The object's storage key, as the API server logs it (`/pods/default/web`).
        key: String,
        /// The codec's message.
        error: String,
    },
    /// A line written to the journal as is (systemd's own lines, a program's stderr).
    Journal {
        /// The syslog identifier, e.g. `systemd` or `kubelet`.
        identifier: String,
        /// The writer's process id.
        pid: u32,
        /// The unit the line belongs to, e.g. `kubelet.service`.
        unit: String,
        /// The text.
        message: String,
    },
}

/// What differs between a pod the mux held and the one it received, or between a removed pod
/// and the pod with the same name added in the same message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodChanges {
    /// The UID of the pod the changes lead to.
    pub uid: String,
    /// For a REMOVE + ADD pair, the UID of the other pod of the pair.
    pub paired_uid: Option<String>,
    /// The differing fields, in path order (at most [`MAX_CHANGES`]).
    pub fields: Vec<FieldChange>,
    /// How many more fields differ than are listed.
    pub more: usize,
}

/// The most changed fields a record keeps per pod.
pub const MAX_CHANGES: usize = 12;

/// One differing field of a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The path, e.g. `spec.containers[0].image`.
    pub path: String,
    /// The old value as JSON (`None`: absent).
    pub before: Option<String>,
    /// The new value as JSON (`None`: absent).
    pub after: Option<String>,
}

/// An event with its time and the host it happened on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// When.
    pub at: SimTime,
    /// Which node (or `apiserver`), shared by every record of that host.
    pub host: Arc<str>,
    /// What.
    pub event: Event,
}

/// The append-only event log of one simulation, bounded: past [`KEEP`] records the oldest are
/// dropped in batches (as journald rotates its oldest files out), so a session left running
/// for a day keeps a small log. Records keep their ids (their index since the world began);
/// readers that remember an id ask for what follows it with [`Trace::since`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    /// The id of `records[0]`: how many records were dropped or left behind before it.
    base: usize,
    records: Vec<Record>,
    /// The host names recorded so far, each allocated once (a world has a handful).
    hosts: Vec<Arc<str>>,
}

/// How many records the trace keeps at least; it drops the oldest when it holds twice as many.
/// About five virtual hours of the default cluster (which records some 20,000 an hour), so the
/// journal, the timeline and the replay scrubber see far back while a day at 600× stays a few
/// tens of megabytes.
pub const KEEP: usize = 100_000;

impl Trace {
    /// Appends a record.
    pub fn record(&mut self, at: SimTime, host: &str, mut event: Event) {
        if self.records.len() >= 2 * KEEP {
            let drop = self.records.len() - KEEP;
            self.records.drain(..drop);
            self.base += drop;
        }
        // Grow by doubling, but never past the most the log holds: a doubled vector would
        // leave most of a second bound's worth of records allocated and unused.
        if self.records.len() == self.records.capacity() {
            let want = (2 * self.records.capacity()).clamp(64, 2 * KEEP);
            self.records.reserve_exact(want - self.records.len());
        }
        // A line's fields grew by pushes (room for four at the first); most lines keep one
        // or two for hours, so they keep only what they use.
        if let Event::Log(line) = &mut event {
            line.fields.shrink_to_fit();
        }
        let host = self.host(host);
        self.records.push(Record { at, host, event });
    }

    /// The shared name of `host`, added the first time it records.
    fn host(&mut self, host: &str) -> Arc<str> {
        if let Some(known) = self.hosts.iter().find(|known| ***known == *host) {
            return Arc::clone(known);
        }
        let name: Arc<str> = Arc::from(host);
        self.hosts.push(Arc::clone(&name));
        name
    }

    /// The records kept, oldest first; the first one's id is [`Trace::first_id`].
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The id of the oldest record kept.
    pub fn first_id(&self) -> usize {
        self.base
    }

    /// The record with id `id`, if it is kept.
    pub fn get(&self, id: usize) -> Option<&Record> {
        self.records.get(id.checked_sub(self.base)?)
    }

    /// Records from id `from` on (for readers that remember how far they got); from the
    /// oldest kept when `from` was dropped.
    pub fn since(&self, from: usize) -> &[Record] {
        let idx = from.saturating_sub(self.base).min(self.records.len());
        &self.records[idx..]
    }

    /// An empty log that continues this one: its next record gets the id this one's next
    /// would (a snapshot of the world leaves its history behind).
    pub fn detached(&self) -> Trace {
        Trace {
            base: self.len(),
            records: Vec::new(),
            hosts: self.hosts.clone(),
        }
    }

    /// This log with `earlier` (the records just before its own, ending at its first id)
    /// put back in front: a world resumed from a snapshot gets the recent history its views
    /// look back through.
    pub fn with_earlier(mut self, earlier: &[Record]) -> Trace {
        let count = earlier.len().min(self.base);
        let mut records = earlier[earlier.len() - count..].to_vec();
        records.append(&mut self.records);
        Trace {
            base: self.base - count,
            records,
            hosts: self.hosts,
        }
    }

    /// The id the next record gets (how many were ever recorded).
    pub fn len(&self) -> usize {
        self.base + self.records.len()
    }

    /// Whether nothing was ever recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: usize) -> Event {
        Event::Journal {
            identifier: "test".into(),
            pid: 1,
            unit: "test.service".into(),
            message: n.to_string(),
        }
    }

    fn message(record: &Record) -> &str {
        match &record.event {
            Event::Journal { message, .. } => message,
            other => panic!("not a journal line: {other:?}"),
        }
    }

    #[test]
    fn past_twice_keep_the_oldest_records_are_dropped_and_ids_stay() {
        let mut trace = Trace::default();
        for n in 0..2 * KEEP {
            trace.record(SimTime::ZERO, "a", line(n));
        }
        assert_eq!((trace.first_id(), trace.records().len()), (0, 2 * KEEP));
        // The vector grew to the bound and no further (doubling would have gone past it).
        assert_eq!(trace.records.capacity(), 2 * KEEP);
        trace.record(SimTime::ZERO, "a", line(2 * KEEP));
        assert_eq!(trace.records.capacity(), 2 * KEEP);
        assert_eq!(trace.len(), 2 * KEEP + 1);
        assert_eq!(trace.first_id(), KEEP);
        assert_eq!(trace.records().len(), KEEP + 1);
        assert_eq!(message(trace.get(KEEP).unwrap()), KEEP.to_string());
        assert!(trace.get(KEEP - 1).is_none());
        // A reader that stopped before the drop goes on from the oldest kept record.
        assert_eq!(message(&trace.since(3)[0]), KEEP.to_string());
        assert_eq!(trace.since(2 * KEEP).len(), 1);
        assert!(trace.since(5 * KEEP).is_empty());
    }

    #[test]
    fn records_of_one_host_share_its_name_and_log_lines_keep_only_their_fields() {
        let mut trace = Trace::default();
        let two = LogLine::info(0, "test.go:1", "two fields")
            .with("a", "1")
            .with_raw("b", "2");
        trace.record(SimTime::ZERO, "node01", Event::Log(two));
        trace.record(SimTime::ZERO, "controlplane", line(1));
        trace.record(SimTime::ZERO, "node01", line(2));
        let [first, other, again] = trace.records() else {
            panic!("three records");
        };
        assert!(Arc::ptr_eq(&first.host, &again.host));
        assert!(!Arc::ptr_eq(&first.host, &other.host));
        assert_eq!((&*first.host, &*other.host), ("node01", "controlplane"));
        let Event::Log(kept) = &first.event else {
            panic!("a log line");
        };
        assert_eq!((kept.fields.len(), kept.fields.capacity()), (2, 2));
        assert_eq!((kept.field("a"), kept.field("b")), (Some("1"), Some("2")));
        // A detached log goes on naming hosts with the same shared names.
        let mut fork = trace.detached();
        fork.record(SimTime::ZERO, "node01", line(3));
        assert!(Arc::ptr_eq(&fork.records()[0].host, &first.host));
    }

    #[test]
    fn a_detached_log_continues_the_ids_and_takes_back_what_came_before() {
        let mut trace = Trace::default();
        for n in 0..10 {
            trace.record(SimTime::ZERO, "a", line(n));
        }
        let mut fork = trace.detached();
        assert_eq!((fork.first_id(), fork.len()), (10, 10));
        fork.record(SimTime::ZERO, "a", line(10));
        assert_eq!(message(fork.get(10).unwrap()), "10");
        let fork = fork.with_earlier(&trace.records()[6..]);
        assert_eq!((fork.first_id(), fork.len()), (6, 11));
        let texts: Vec<&str> = fork.records().iter().map(message).collect();
        assert_eq!(texts, ["6", "7", "8", "9", "10"]);
        // More than came before is cut to what fits.
        let too_many = Trace::default()
            .detached()
            .with_earlier(&trace.records()[..3]);
        assert_eq!((too_many.first_id(), too_many.records().len()), (0, 0));
    }
}
