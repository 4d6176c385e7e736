//! Mirrors `pkg/kubelet/config/config.go` (v1.34): `PodConfig` and `podStorage`, which merge the
//! sources' messages into per-source pod maps and tell the sync loop what changed.
//!
//! Simplified:
//! - Upstream's mux runs one goroutine per source over unbuffered channels and buffers 50
//!   updates for the sync loop. Here a source's message is merged at the virtual instant it is
//!   sent and the output queue is unbounded; the sync loop drains it at the same instant, so
//!   back-pressure never arises.
//! - Where upstream iterates a Go map (the REMOVEs of a SET, `Sync`'s merged state) the order is
//!   random; here it is by source name, then UID, so runs are reproducible.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use k8s_openapi::api::core::v1 as corev1;

use crate::kubelet::config::diff::pod_changes;
use crate::kubelet::config::mux::Mux;
use crate::kubelet::config::pod_refs::PodRefs;
use crate::kubelet::context::Ctx;
use crate::kubelet::types::{
    annotation, pod_full_name, pod_ref, pod_uid, set_annotation, PodOp, PodUpdate, SharedPod,
    ALL_SOURCE, CONFIG_FIRST_SEEN_ANNOTATION_KEY, CONFIG_HASH_ANNOTATION_KEY,
    CONFIG_MIRROR_ANNOTATION_KEY, CONFIG_SOURCE_ANNOTATION_KEY,
};
use crate::sim::inline_id::InlineId;
use crate::sim::trace::{Event, LogLine, PodChanges, PodRef};
use crate::sim::wallclock::rfc3339_nano;

/// How `PodConfig` reports changes (`PodConfigNotificationMode`). The kubelet uses
/// `Incremental`; the other two exist because upstream's tests cover them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationMode {
    /// One SET of the merged state whenever anything changed.
    Snapshot,
    /// A SET of the merged state on adds and removes, then UPDATE and DELETE messages.
    SnapshotAndUpdates,
    /// REMOVE, ADD, UPDATE, DELETE and RECONCILE messages, in that order.
    Incremental,
}

/// A Kubernetes event the config layer asks the kubelet's recorder to emit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    /// The pod the event is about.
    pub pod: crate::sim::trace::PodRef,
    /// `Normal` or `Warning`.
    pub event_type: &'static str,
    /// The machine-readable reason, e.g. `FailedValidation`.
    pub reason: &'static str,
    /// The human-readable message.
    pub message: String,
}

/// The kubelet's view of the desired pods, merged from every source.
#[derive(Debug, Clone)]
pub struct PodConfig {
    mux: Mux,
    storage: PodStorage,
    updates: VecDeque<PodUpdate>,
    events: Vec<RecordedEvent>,
    refs: PodRefs,
}

#[derive(Debug, Clone)]
struct PodStorage {
    mode: NotificationMode,
    /// source → UID → the stored pod (changed by later messages; copied first if the sync
    /// loop still holds it). UIDs are kept inline: every SET looks up each pod it names, and
    /// at ten nodes the keys' heap copies missed the cache.
    pods: BTreeMap<String, BTreeMap<InlineId, Stored>>,
    /// Sources that have delivered at least one SET.
    sources_seen: BTreeSet<String>,
    /// How many SETs were merged (numbers each SET's marks).
    sets: u64,
}

/// A pod in the storage, and the object its source last sent for it: when a source sends
/// that same object again (an undelta store's SET resends every pod it holds), nothing about
/// the pod changed and comparing it again is skipped.
#[derive(Debug, Clone)]
struct Stored {
    pod: SharedPod,
    last_sent: Option<SharedPod>,
    /// The number of the last SET that mentioned this pod: after a SET, the pods it did not
    /// mark are the ones it removed.
    mark: u64,
}

/// The five lists one merge produces.
#[derive(Debug, Default)]
struct MergeResult {
    adds: Vec<SharedPod>,
    updates: Vec<SharedPod>,
    deletes: Vec<SharedPod>,
    removes: Vec<SharedPod>,
    reconciles: Vec<SharedPod>,
    /// What differs for each updated, reconciled or gracefully deleted pod.
    changes: Vec<PodChanges>,
}

impl PodConfig {
    /// An empty configuration with no sources (`NewPodConfig`).
    pub fn new(mode: NotificationMode) -> PodConfig {
        PodConfig {
            mux: Mux::default(),
            storage: PodStorage {
                mode,
                pods: BTreeMap::new(),
                sources_seen: BTreeSet::new(),
                sets: 0,
            },
            updates: VecDeque::new(),
            events: Vec::new(),
            refs: PodRefs::default(),
        }
    }

    /// Registers `source` (`Channel`); a source must be registered before it sends. Asking
    /// twice for the same name is allowed and changes nothing.
    pub fn channel(&mut self, source: &str) {
        self.mux.channel(source);
    }

    /// The registered sources, in name order.
    pub fn sources(&self) -> &BTreeSet<String> {
        self.mux.sources()
    }

    /// The trace's references to `pods`, shared with the mux's own records of them.
    pub fn pod_refs(&mut self, pods: &[SharedPod]) -> Vec<PodRef> {
        self.refs.of(pods)
    }

    /// Delivers one message from `source` and merges it (`podStorage.Merge`).
    pub fn send(&mut self, ctx: &mut Ctx<'_>, source: &str, update: PodUpdate) {
        debug_assert!(
            self.mux.sources().contains(source),
            "source {source} sent before registering"
        );
        ctx.record(Event::SourceSent {
            source: source.to_string(),
            op: update.op,
            pods: self.refs.of(&update.pods),
        });
        let seen_before = self.storage.sources_seen.contains(source);
        let res = self.storage.merge(ctx, &mut self.events, source, update);
        let first_set = !seen_before && self.storage.sources_seen.contains(source);
        self.emit(ctx, source, res, first_set);
    }

    fn emit(&mut self, ctx: &mut Ctx<'_>, source: &str, res: MergeResult, first_set: bool) {
        let MergeResult {
            adds,
            updates,
            deletes,
            removes,
            reconciles,
            mut changes,
        } = res;
        // A pod removed and a pod with the same full name added by one message is a replaced
        // pod (a static pod whose manifest changed gets a new UID): record what differs.
        for removed in &removes {
            let name = pod_full_name(removed);
            if let Some(added) = adds.iter().find(|a| pod_full_name(a) == name) {
                changes.push(pod_changes(removed, added, true));
            }
        }
        match self.storage.mode {
            NotificationMode::Incremental => {
                let nothing_else = adds.is_empty() && updates.is_empty() && deletes.is_empty();
                self.push(ctx, source, PodOp::Remove, removes, false, &changes);
                self.push(ctx, source, PodOp::Add, adds, false, &changes);
                self.push(ctx, source, PodOp::Update, updates, false, &changes);
                self.push(ctx, source, PodOp::Delete, deletes, false, &changes);
                // An empty ADD tells the kubelet this source has now been seen, even though
                // it has no pods (otherwise SeenAllSources could never become true).
                if first_set && nothing_else {
                    self.push(ctx, source, PodOp::Add, Vec::new(), true, &[]);
                }
                self.push(ctx, source, PodOp::Reconcile, reconciles, false, &changes);
            }
            NotificationMode::SnapshotAndUpdates => {
                if !removes.is_empty() || !adds.is_empty() || first_set {
                    let merged = self.storage.merged_state();
                    self.push(ctx, source, PodOp::Set, merged, true, &changes);
                }
                self.push(ctx, source, PodOp::Update, updates, false, &changes);
                self.push(ctx, source, PodOp::Delete, deletes, false, &changes);
            }
            NotificationMode::Snapshot => {
                let changed = !updates.is_empty()
                    || !deletes.is_empty()
                    || !adds.is_empty()
                    || !removes.is_empty();
                if changed || first_set {
                    let merged = self.storage.merged_state();
                    self.push(ctx, source, PodOp::Set, merged, true, &changes);
                }
            }
        }
    }

    /// Queues one update for the sync loop; empty lists are skipped unless `even_if_empty`.
    fn push(
        &mut self,
        ctx: &mut Ctx<'_>,
        source: &str,
        op: PodOp,
        pods: Vec<SharedPod>,
        even_if_empty: bool,
        changes: &[PodChanges],
    ) {
        if pods.is_empty() && !even_if_empty {
            return;
        }
        let refs = self.refs.of(&pods);
        let hashes = pods
            .iter()
            .map(|p| {
                annotation(p, CONFIG_HASH_ANNOTATION_KEY)
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        let changes = changes
            .iter()
            .filter(|c| {
                refs.iter()
                    .any(|p| p.uid == c.uid || c.paired_uid.as_deref() == Some(p.uid.as_str()))
            })
            .cloned()
            .collect();
        ctx.record(Event::MuxEmitted {
            source: source.into(),
            op,
            pods: refs,
            hashes,
            changes,
        });
        self.updates.push_back(PodUpdate {
            pods,
            op,
            source: source.to_string(),
        });
    }

    /// Takes the oldest update waiting for the sync loop.
    pub fn next_update(&mut self) -> Option<PodUpdate> {
        self.updates.pop_front()
    }

    /// Whether an update is waiting.
    pub fn has_updates(&self) -> bool {
        !self.updates.is_empty()
    }

    /// Takes the Kubernetes events the config layer wants recorded.
    pub fn take_events(&mut self) -> Vec<RecordedEvent> {
        std::mem::take(&mut self.events)
    }

    /// Whether every registered source is in `seen` and has sent a SET (`SeenAllSources`).
    pub fn seen_all_sources(&self, ctx: &mut Ctx<'_>, seen: &BTreeSet<String>) -> bool {
        let sources = self.mux.sources();
        ctx.log(
            LogLine::info(5, "config.go:109", "Looking for sources, have seen")
                .with_raw("sources", list(sources))
                .with_raw("seenSources", list(seen)),
        );
        sources.is_subset(seen) && sources.is_subset(&self.storage.sources_seen)
    }

    /// The pods stored for `source`, by UID.
    pub fn source_pods(&self, source: &str) -> Vec<&corev1::Pod> {
        self.storage
            .pods
            .get(source)
            .map(|by_uid| by_uid.values().map(|s| &*s.pod).collect())
            .unwrap_or_default()
    }

    /// Queues a SET of every pod from every source, labelled with the pseudo-source `*`
    /// (`PodConfig.Sync`; the kubelet itself never calls it).
    pub fn sync(&mut self, ctx: &mut Ctx<'_>) {
        let merged = self.storage.merged_state();
        self.push(ctx, ALL_SOURCE, PodOp::Set, merged, true, &[]);
    }
}

fn list(set: &BTreeSet<String>) -> String {
    // Written in place: every sync-loop run logs two of these.
    let mut out = String::with_capacity(2 + set.iter().map(|s| s.len() + 1).sum::<usize>());
    out.push('[');
    for (i, item) in set.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(item);
    }
    out.push(']');
    out
}

impl PodStorage {
    fn merge(
        &mut self,
        ctx: &mut Ctx<'_>,
        events: &mut Vec<RecordedEvent>,
        source: &str,
        update: PodUpdate,
    ) -> MergeResult {
        let mut res = MergeResult::default();
        let mut pods = self.pods.remove(source).unwrap_or_default();
        match update.op {
            PodOp::Add | PodOp::Update | PodOp::Delete => {
                let what = match update.op {
                    PodOp::Add => "Adding new pods from source",
                    PodOp::Update => "Updating pods from source",
                    _ => "Gracefully deleting pods from source",
                };
                ctx.log(LogLine::info(4, "config.go:229", what).with("source", source));
                update_pods(ctx, events, source, update.pods, None, &mut pods, &mut res);
            }
            PodOp::Remove => {
                ctx.log(
                    LogLine::info(4, "config.go:250", "Removing pods from source")
                        .with("source", source),
                );
                for pod in &update.pods {
                    if let Some(existing) = pods.remove(pod_uid(pod)) {
                        res.removes.push(existing.pod);
                    }
                }
            }
            PodOp::Set => {
                ctx.log(
                    LogLine::info(4, "config.go:262", "Setting pods for source")
                        .with("source", source),
                );
                self.sources_seen.insert(source.to_string());
                self.sets += 1;
                let set = self.sets;
                update_pods(
                    ctx,
                    events,
                    source,
                    update.pods,
                    Some(set),
                    &mut pods,
                    &mut res,
                );
                // Whatever the SET did not mention is gone, in UID order.
                let gone: Vec<InlineId> = pods
                    .iter()
                    .filter(|(_, stored)| stored.mark != set)
                    .map(|(uid, _)| uid.clone())
                    .collect();
                for uid in gone {
                    if let Some(stored) = pods.remove(&uid) {
                        res.removes.push(stored.pod);
                    }
                }
            }
            PodOp::Reconcile => {
                ctx.log(
                    LogLine::info(0, "config.go:283", "Received invalid update type")
                        .with("type", "RECONCILE"),
                );
            }
        }
        self.pods.insert(source.to_string(), pods);
        res
    }

    fn merged_state(&self) -> Vec<SharedPod> {
        self.pods
            .values()
            .flat_map(|by_uid| by_uid.values().map(|s| s.pod.clone()))
            .collect()
    }
}

/// `updatePodsFunc`: classifies each incoming pod and stores it in `pods`, the source's map.
/// For ADD, UPDATE and DELETE (`set` absent) a pod is known when the map has its UID; for a
/// SET (`set` is its number) a pod is known only if the map had its UID before this message,
/// and every pod the SET mentions is marked with its number. A known pod keeps the stored
/// object, updated in place. A known pod whose source sent the very object it sent last time
/// is unchanged: merging it again would find no difference, so it is not compared. (Upstream
/// builds a new map per SET and moves known pods into it; updating in place and marking gives
/// the same classification without moving every pod whenever one changes.)
fn update_pods(
    ctx: &mut Ctx<'_>,
    events: &mut Vec<RecordedEvent>,
    source: &str,
    incoming: Vec<SharedPod>,
    set: Option<u64>,
    pods: &mut BTreeMap<InlineId, Stored>,
    res: &mut MergeResult,
) {
    let filtered = filter_invalid_pods(ctx, events, source, incoming);
    // UIDs this SET added: a later pod with the same UID was not in the map before the SET,
    // so it is new again.
    let mut added: BTreeSet<&str> = BTreeSet::new();
    for sent in &filtered {
        let uid = pod_uid(sent);
        let known = if set.is_some() && added.contains(uid) {
            None
        } else {
            pods.get_mut(uid)
        };
        if let Some(existing) = known {
            if let Some(set) = set {
                existing.mark = set;
            }
            let resent = existing
                .last_sent
                .as_ref()
                .is_some_and(|last| SharedPod::ptr_eq(last, sent));
            if !resent {
                // The source annotation is one of the local keys that comparing and updating
                // ignore, so the sent pod is compared as it is and only what changed is
                // copied. The one place the annotation shows is a pod sent without any
                // annotations, which it gives an (otherwise empty) map: the recorded changes
                // see that copy.
                if pods_differ_semantically(&existing.pod, sent)
                    || existing.pod.status != sent.status
                {
                    let changes = match sent.metadata.annotations {
                        Some(_) => pod_changes(&existing.pod, sent, false),
                        None => {
                            let mut pod = corev1::Pod::clone(sent);
                            set_annotation(&mut pod, CONFIG_SOURCE_ANNOTATION_KEY, source);
                            pod_changes(&existing.pod, &pod, false)
                        }
                    };
                    res.changes.push(changes);
                }
                match check_and_update_pod(SharedPod::make_mut(&mut existing.pod), sent) {
                    Change::Update => res.updates.push(existing.pod.clone()),
                    Change::Reconcile => res.reconciles.push(existing.pod.clone()),
                    Change::GracefulDelete => res.deletes.push(existing.pod.clone()),
                    Change::None => (),
                }
                existing.last_sent = Some(sent.clone());
            }
            continue;
        }
        let mut pod = corev1::Pod::clone(sent);
        set_annotation(&mut pod, CONFIG_SOURCE_ANNOTATION_KEY, source);
        ctx.log(
            LogLine::info(4, "config.go:218", "Receiving a new pod")
                .with("pod", pod_ref(&pod).to_string()),
        );
        set_annotation(
            &mut pod,
            CONFIG_FIRST_SEEN_ANNOTATION_KEY,
            &rfc3339_nano(ctx.now),
        );
        let pod = SharedPod::new(pod);
        res.adds.push(pod.clone());
        pods.insert(
            InlineId::new(uid),
            Stored {
                pod,
                last_sent: Some(sent.clone()),
                mark: set.unwrap_or_default(),
            },
        );
        if set.is_some() {
            added.insert(uid);
        }
    }
}

/// Drops a pod whose full name already appeared earlier in the same message.
fn filter_invalid_pods(
    ctx: &mut Ctx<'_>,
    events: &mut Vec<RecordedEvent>,
    source: &str,
    pods: Vec<SharedPod>,
) -> Vec<SharedPod> {
    let keep = first_of_each_name(&pods);
    for (idx, pod) in pods.iter().enumerate() {
        if keep[idx] {
            continue;
        }
        let pod_ref = pod_ref(pod);
        ctx.log(
            LogLine::info(
                0,
                "config.go:393",
                "Pod failed validation due to duplicate pod name, ignoring",
            )
            .with_raw("index", idx.to_string())
            .with("pod", pod_ref.to_string())
            .with("source", source),
        );
        ctx.record(Event::DuplicatePodName {
            source: source.to_string(),
            pod: Box::new(pod_ref.clone()),
        });
        events.push(RecordedEvent {
            message: format!(
                "Error validating pod {}_{}({}) from {source} due to duplicate pod name {:?}, ignoring",
                pod_ref.name, pod_ref.namespace, pod_ref.uid, pod_ref.name
            ),
            pod: pod_ref,
            event_type: "Warning",
            reason: "FailedValidation",
        });
    }
    pods.into_iter()
        .zip(keep)
        .filter_map(|(pod, keep)| keep.then_some(pod))
        .collect()
}

/// For each pod of a message, whether it is the first with its full name.
///
/// A full name is `name_namespace`; neither part may hold `_` (every source validates its
/// pods before sending them), so comparing the pair is comparing the full name, without
/// formatting one per pod per message. The positions are sorted by (namespace, name), stably,
/// so the first of each run of equal names is the earliest in the message; a source's pods
/// mostly arrive in that order already, which makes the sort a single pass, where a set built
/// per message cost a node per pod.
fn first_of_each_name(pods: &[SharedPod]) -> Vec<bool> {
    let key = |idx: usize| {
        let meta = &pods[idx].metadata;
        (
            meta.namespace.as_deref().unwrap_or_default(),
            meta.name.as_deref().unwrap_or_default(),
        )
    };
    let mut order: Vec<usize> = (0..pods.len()).collect();
    crate::sort::sort_by(&mut order, |&a, &b| key(a).cmp(&key(b)));
    let mut first = vec![true; pods.len()];
    for pair in order.windows(2) {
        if key(pair[0]) == key(pair[1]) {
            first[pair[1]] = false;
        }
    }
    first
}

/// The outcome of comparing a stored pod with a newly received copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    None,
    Update,
    Reconcile,
    GracefulDelete,
}

/// The annotations the kubelet sets on its own and ignores when comparing pods.
pub(crate) const LOCAL_ANNOTATIONS: [&str; 3] = [
    CONFIG_SOURCE_ANNOTATION_KEY,
    CONFIG_MIRROR_ANNOTATION_KEY,
    CONFIG_FIRST_SEEN_ANNOTATION_KEY,
];

/// `checkAndUpdatePod`: copies what changed from `incoming` into `existing` and says whether
/// that is an update, a reconcile (status only) or a graceful delete. The kubelet's local
/// annotations on `incoming` play no part.
fn check_and_update_pod(existing: &mut corev1::Pod, incoming: &corev1::Pod) -> Change {
    if !pods_differ_semantically(existing, incoming) {
        if existing.status != incoming.status {
            existing.status = incoming.status.clone();
            return Change::Reconcile;
        }
        return Change::None;
    }
    existing.spec = incoming.spec.clone();
    existing.metadata.labels = incoming.metadata.labels.clone();
    existing.metadata.deletion_timestamp = incoming.metadata.deletion_timestamp.clone();
    existing.metadata.deletion_grace_period_seconds =
        incoming.metadata.deletion_grace_period_seconds;
    existing.metadata.generation = incoming.metadata.generation;
    existing.status = incoming.status.clone();
    // The incoming annotations win, except the kubelet's own local keys, which keep the
    // values already stored (so `config.seen` stays the first-seen time).
    let mut annotations = incoming.metadata.annotations.clone().unwrap_or_default();
    for key in LOCAL_ANNOTATIONS {
        annotations.remove(key);
        if let Some(value) = existing
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(key))
        {
            annotations.insert(key.to_string(), value.clone());
        }
    }
    existing.metadata.annotations = Some(annotations);
    if incoming.metadata.deletion_timestamp.is_some() {
        Change::GracefulDelete
    } else {
        Change::Update
    }
}

/// `podsDifferSemantically`: spec, labels, deletion fields or non-local annotations differ.
pub fn pods_differ_semantically(existing: &corev1::Pod, other: &corev1::Pod) -> bool {
    existing.spec != other.spec
        || existing.metadata.labels != other.metadata.labels
        || existing.metadata.deletion_timestamp != other.metadata.deletion_timestamp
        || existing.metadata.deletion_grace_period_seconds
            != other.metadata.deletion_grace_period_seconds
        || !annotations_equal_ignoring_local(
            existing.metadata.annotations.as_ref(),
            other.metadata.annotations.as_ref(),
        )
}

/// `isAnnotationMapEqual`: equal once the local keys are dropped (a missing map counts as
/// empty).
fn annotations_equal_ignoring_local(
    a: Option<&BTreeMap<String, String>>,
    b: Option<&BTreeMap<String, String>>,
) -> bool {
    // Both maps iterate in key order, so the filtered sequences compare pairwise.
    fn strip(m: Option<&BTreeMap<String, String>>) -> impl Iterator<Item = (&String, &String)> {
        m.into_iter()
            .flatten()
            .filter(|(k, _)| !LOCAL_ANNOTATIONS.contains(&k.as_str()))
    }
    strip(a).eq(strip(b))
}
