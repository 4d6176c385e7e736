//! Ports of upstream `pkg/kubelet/config/config_test.go` and `mux_test.go` (v1.34) as
//! black-box scenarios (`docs/upstream-cases.md` A1–A18, B1–B3).
//!
//! Each test sends messages on a source named `test` and checks exactly which updates the
//! mux emits, then that nothing else is pending — upstream's `expectPodUpdate` followed by
//! `expectNoPodUpdate`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kubelet_playground::kubelet::config::{NotificationMode, PodConfig};
use kubelet_playground::kubelet::context::Ctx;
use kubelet_playground::kubelet::types::{PodOp, PodUpdate};
use kubelet_playground::sim::trace::Trace;
use kubelet_playground::sim::{Rng, SimTime};

const TEST_SOURCE: &str = "test";

/// A PodConfig plus the world a merge needs.
struct Harness {
    config: PodConfig,
    rng: Rng,
    trace: Trace,
}

impl Harness {
    fn new(mode: NotificationMode) -> Harness {
        let mut config = PodConfig::new(mode);
        config.channel(TEST_SOURCE);
        Harness {
            config,
            rng: Rng::seeded(1),
            trace: Trace::default(),
        }
    }

    fn send(&mut self, op: PodOp, pods: Vec<corev1::Pod>) {
        let mut ctx = Ctx {
            now: SimTime(1000),
            host: "test-node",
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        let update = PodUpdate {
            pods: pods.into_iter().map(Arc::new).collect(),
            op,
            source: TEST_SOURCE.to_string(),
        };
        self.config.send(&mut ctx, TEST_SOURCE, update);
    }

    fn sync(&mut self) {
        let mut ctx = Ctx {
            now: SimTime(1000),
            host: "test-node",
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        self.config.sync(&mut ctx);
    }

    /// Asserts the pending updates are exactly `expected`, in order, and nothing else.
    fn expect(&mut self, expected: &[(PodOp, &str, Vec<corev1::Pod>)]) {
        for (idx, (op, source, pods)) in expected.iter().enumerate() {
            let got = self
                .config
                .next_update()
                .unwrap_or_else(|| panic!("update {idx}: expected {op} {source}, got nothing"));
            assert_eq!(
                (got.op, got.source.as_str()),
                (*op, *source),
                "update {idx}"
            );
            let got_pods: Vec<corev1::Pod> =
                got.pods.iter().map(|p| corev1::Pod::clone(p)).collect();
            assert_eq!(summary(&got_pods), summary(pods), "update {idx} ({op})");
        }
        assert_no_update(&mut self.config);
    }
}

fn assert_no_update(config: &mut PodConfig) {
    if let Some(extra) = config.next_update() {
        panic!(
            "expected no further update, got {} {} with {} pods",
            extra.op,
            extra.source,
            extra.pods.len()
        );
    }
}

const LOCAL_KEYS: [&str; 3] = [
    "kubernetes.io/config.source",
    "kubernetes.io/config.mirror",
    "kubernetes.io/config.seen",
];

/// What upstream's comparison looks at: pods sorted by namespace, then name, compared on
/// spec, labels, deletion fields, non-local annotations and status.
fn summary(pods: &[corev1::Pod]) -> Vec<String> {
    let mut rows: Vec<(String, String, String)> = pods
        .iter()
        .map(|p| {
            let annotations: BTreeMap<&String, &String> = p
                .metadata
                .annotations
                .iter()
                .flatten()
                .filter(|(k, _)| !LOCAL_KEYS.contains(&k.as_str()))
                .collect();
            let row = serde_json::json!({
                "spec": p.spec,
                "labels": p.metadata.labels,
                "deletionTimestamp": p.metadata.deletion_timestamp,
                "deletionGracePeriodSeconds": p.metadata.deletion_grace_period_seconds,
                "annotations": annotations,
                "status": p.status,
            });
            (
                p.metadata.namespace.clone().unwrap_or_default(),
                p.metadata.name.clone().unwrap_or_default(),
                row.to_string(),
            )
        })
        .collect();
    rows.sort();
    rows.into_iter()
        .map(|(ns, name, row)| format!("{ns}/{name} {row}"))
        .collect()
}

/// Upstream's `CreateValidPod`: UID is name + namespace.
fn pod(name: &str, namespace: &str) -> corev1::Pod {
    corev1::Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            uid: Some(format!("{name}{namespace}")),
            name: Some(name.to_string()),
            namespace: Some(namespace.to_string()),
            ..Default::default()
        },
        spec: Some(corev1::PodSpec {
            restart_policy: Some("Always".into()),
            dns_policy: Some("ClusterFirst".into()),
            containers: vec![corev1::Container {
                name: "ctr".into(),
                image: Some("image".into()),
                image_pull_policy: Some("IfNotPresent".into()),
                termination_message_policy: Some("File".into()),
                security_context: Some(corev1::SecurityContext {
                    privileged: Some(false),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: None,
    }
}

/// The same pod with its container list replaced: a spec change under the same UID.
fn pod_bar(name: &str, namespace: &str) -> corev1::Pod {
    let mut p = pod(name, namespace);
    p.spec.as_mut().unwrap().containers = vec![corev1::Container {
        name: "bar".into(),
        image: Some("test".into()),
        image_pull_policy: Some("IfNotPresent".into()),
        termination_message_policy: Some("File".into()),
        ..Default::default()
    }];
    p
}

use PodOp::{Add, Delete, Reconcile, Remove, Set, Update};

// A1
#[test]
fn new_pod_added() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "new")])]);
    h.sync();
    h.expect(&[(Set, "*", vec![pod("foo", "new")])]);
}

// A2: PodConfig neither validates nor defaults the namespace.
#[test]
fn new_pod_added_invalid_namespace() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Add, vec![pod("foo", "")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "")])]);
    h.sync();
    h.expect(&[(Set, "*", vec![pod("foo", "")])]);
}

// A3
#[test]
fn new_pod_added_default_namespace() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Add, vec![pod("foo", "default")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "default")])]);
    h.sync();
    h.expect(&[(Set, "*", vec![pod("foo", "default")])]);
}

// A4: the same name in another namespace is another pod.
#[test]
fn new_pod_added_different_namespaces() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Add, vec![pod("foo", "default")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "default")])]);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "new")])]);
    h.sync();
    h.expect(&[(Set, "*", vec![pod("foo", "default"), pod("foo", "new")])]);
}

// A5: an identical second message is a no-op diff.
#[test]
fn invalid_pod_filtered() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "new")])]);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[]);
}

// A5, the note: the duplicate filter only works inside one message, so a different UID with
// the same name in a later message is still added.
#[test]
fn same_name_different_uid_in_a_later_message_is_added() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "new")])]);
    let mut other = pod("foo", "new");
    other.metadata.uid = Some("other-uid".into());
    h.send(Add, vec![other.clone()]);
    h.expect(&[(Add, TEST_SOURCE, vec![other])]);
}

// The duplicate filter inside one message: the first pod with a full name wins, the later
// one is dropped with a FailedValidation event.
#[test]
fn duplicate_name_in_one_message_is_dropped() {
    let mut h = Harness::new(NotificationMode::Incremental);
    let mut twin = pod("foo", "new");
    twin.metadata.uid = Some("twin".into());
    h.send(Set, vec![pod("foo", "new"), twin]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "new")])]);
    let events = h.config.take_events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].reason, "FailedValidation");
    assert_eq!(
        events[0].message,
        "Error validating pod foo_new(twin) from test due to duplicate pod name \"foo\", ignoring"
    );
}

// A6
#[test]
fn new_pod_added_snapshot_and_updates() {
    let mut h = Harness::new(NotificationMode::SnapshotAndUpdates);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Set, TEST_SOURCE, vec![pod("foo", "new")])]);
    h.sync();
    h.expect(&[(Set, "*", vec![pod("foo", "new")])]);
    h.send(Add, vec![pod_bar("foo", "new")]);
    h.expect(&[(Update, TEST_SOURCE, vec![pod_bar("foo", "new")])]);
}

// A7
#[test]
fn new_pod_added_snapshot() {
    let mut h = Harness::new(NotificationMode::Snapshot);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Set, TEST_SOURCE, vec![pod("foo", "new")])]);
    h.sync();
    h.expect(&[(Set, "*", vec![pod("foo", "new")])]);
    h.send(Add, vec![pod_bar("foo", "new")]);
    h.expect(&[(Set, TEST_SOURCE, vec![pod_bar("foo", "new")])]);
}

// A8: ADD of a known UID with a changed spec is an UPDATE; REMOVE emits the stored pod.
#[test]
fn new_pod_added_updated_removed() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "new")])]);
    h.send(Add, vec![pod_bar("foo", "new")]);
    h.expect(&[(Update, TEST_SOURCE, vec![pod_bar("foo", "new")])]);
    h.send(Remove, vec![pod("foo", "new")]);
    h.expect(&[(Remove, TEST_SOURCE, vec![pod_bar("foo", "new")])]);
}

// A9: a deletion timestamp appearing makes a DELETE.
#[test]
fn new_pod_added_delete() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "new")])]);
    let mut deleting = pod("foo", "new");
    deleting.metadata.deletion_timestamp =
        Some(Time(jiff::Timestamp::from_second(1_795_334_460).unwrap()));
    h.send(Delete, vec![deleting.clone()]);
    h.expect(&[(Delete, TEST_SOURCE, vec![deleting])]);
}

// A10: one SET yields REMOVE, ADD and UPDATE in that order.
#[test]
fn new_pod_added_updated_set() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(
        Add,
        vec![pod("foo", "new"), pod("foo2", "new"), pod("foo3", "new")],
    );
    h.expect(&[(
        Add,
        TEST_SOURCE,
        vec![pod("foo", "new"), pod("foo2", "new"), pod("foo3", "new")],
    )]);
    h.send(
        Set,
        vec![
            pod_bar("foo2", "new"),
            pod("foo3", "new"),
            pod("foo4", "new"),
        ],
    );
    h.expect(&[
        (Remove, TEST_SOURCE, vec![pod("foo", "new")]),
        (Add, TEST_SOURCE, vec![pod("foo4", "new")]),
        (Update, TEST_SOURCE, vec![pod_bar("foo2", "new")]),
    ]);
}

fn with_status_message(mut p: corev1::Pod, message: &str) -> corev1::Pod {
    p.status = Some(corev1::PodStatus {
        message: Some(message.to_string()),
        ..Default::default()
    });
    p
}

/// A11 and A12: status-only changes reconcile; spec plus status changes only update.
fn set_reconciled(op: PodOp) {
    let mut h = Harness::new(NotificationMode::Incremental);
    let pods = || {
        vec![
            pod("changeable-pod-0", "new"),
            pod("constant-pod-1", "new"),
            pod("constant-pod-2", "new"),
        ]
    };
    h.send(Set, pods());
    h.expect(&[(Add, TEST_SOURCE, pods())]);
    h.send(op, pods());
    h.expect(&[]);

    let mut changed = pods();
    changed[0] = with_status_message(changed[0].clone(), "status-4711");
    h.send(op, changed.clone());
    h.expect(&[(Reconcile, TEST_SOURCE, vec![changed[0].clone()])]);

    let mut changed = pods();
    changed[0] = with_status_message(changed[0].clone(), "status-4712");
    changed[0].spec.as_mut().unwrap().containers[0].name = "renamed-ctr".into();
    h.send(op, changed.clone());
    h.expect(&[(Update, TEST_SOURCE, vec![changed[0].clone()])]);
}

// A11
#[test]
fn new_pod_added_set_reconciled_add() {
    set_reconciled(Add);
}

// A12
#[test]
fn new_pod_added_set_reconciled_set() {
    set_reconciled(Set);
}

// A13: the first empty SET becomes an empty ADD, the "source is ready" signal.
#[test]
fn initial_empty_set_incremental() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Set, vec![]);
    h.expect(&[(Add, TEST_SOURCE, vec![])]);
    h.send(Set, vec![]);
    h.expect(&[]);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "new")])]);
}

// A14
#[test]
fn initial_empty_set_snapshot() {
    let mut h = Harness::new(NotificationMode::Snapshot);
    h.send(Set, vec![]);
    h.expect(&[(Set, TEST_SOURCE, vec![])]);
    h.send(Set, vec![]);
    h.expect(&[]);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Set, TEST_SOURCE, vec![pod("foo", "new")])]);
}

// A15
#[test]
fn initial_empty_set_snapshot_and_updates() {
    let mut h = Harness::new(NotificationMode::SnapshotAndUpdates);
    h.send(Set, vec![]);
    h.expect(&[(Set, TEST_SOURCE, vec![])]);
    h.send(Set, vec![]);
    h.expect(&[]);
    h.send(Add, vec![pod("foo", "new")]);
    h.expect(&[(Set, TEST_SOURCE, vec![pod("foo", "new")])]);
}

fn with_annotations(mut p: corev1::Pod, pairs: &[(&str, &str)]) -> corev1::Pod {
    p.metadata.annotations = Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    p
}

// A16: a non-local annotation changed, added or removed is an UPDATE.
#[test]
fn pod_update_annotations() {
    let mut h = Harness::new(NotificationMode::Incremental);
    let foo2 = |pairs: &[(&str, &str)]| with_annotations(pod("foo2", "new"), pairs);
    let all = |p2: corev1::Pod| vec![pod("foo1", "new"), p2, pod("foo3", "new")];
    h.send(Set, all(foo2(&[("kubernetes.io/blah", "blah")])));
    h.expect(&[(
        Add,
        TEST_SOURCE,
        all(foo2(&[("kubernetes.io/blah", "blah")])),
    )]);

    let changed = foo2(&[("kubernetes.io/blah", "superblah")]);
    h.send(Set, all(changed.clone()));
    h.expect(&[(Update, TEST_SOURCE, vec![changed])]);

    let added = foo2(&[
        ("kubernetes.io/blah", "superblah"),
        ("kubernetes.io/otherblah", "doh"),
    ]);
    h.send(Set, all(added.clone()));
    h.expect(&[(Update, TEST_SOURCE, vec![added])]);

    let removed = foo2(&[("kubernetes.io/otherblah", "doh")]);
    h.send(Set, all(removed.clone()));
    h.expect(&[(Update, TEST_SOURCE, vec![removed])]);
}

// Local annotations are ignored by the comparison.
#[test]
fn local_annotation_changes_are_not_updates() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.send(Set, vec![pod("foo", "new")]);
    h.expect(&[(Add, TEST_SOURCE, vec![pod("foo", "new")])]);
    let marked = with_annotations(pod("foo", "new"), &[("kubernetes.io/config.mirror", "x")]);
    h.send(Set, vec![marked]);
    h.expect(&[]);
    // config.hash is not local: changing it alone is an update.
    let hashed = with_annotations(pod("foo", "new"), &[("kubernetes.io/config.hash", "x")]);
    h.send(Set, vec![hashed.clone()]);
    h.expect(&[(Update, TEST_SOURCE, vec![hashed])]);
}

// A17
#[test]
fn pod_update_labels() {
    let mut h = Harness::new(NotificationMode::Incremental);
    let labelled = |value: &str| {
        let mut p = pod("foo2", "new");
        p.metadata.labels = Some([("key".to_string(), value.to_string())].into());
        p
    };
    h.send(Set, vec![labelled("value")]);
    h.expect(&[(Add, TEST_SOURCE, vec![labelled("value")])]);
    h.send(Set, vec![labelled("newValue")]);
    h.expect(&[(Update, TEST_SOURCE, vec![labelled("newValue")])]);
}

// A18: upstream races 100 source registrations against SeenAllSources. Rust's borrow rules
// make concurrent mutation impossible here, so this checks the sequential equivalent: any
// interleaving keeps SeenAllSources false while no source has sent a SET.
#[test]
fn pod_config_race() {
    let mut config = PodConfig::new(NotificationMode::Incremental);
    let mut rng = Rng::seeded(1);
    let mut trace = Trace::default();
    let seen: BTreeSet<String> = ["test".to_string()].into();
    for i in 0..100 {
        config.channel(&i.to_string());
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            host: "n",
            rng: &mut rng,
            trace: &mut trace,
        };
        assert!(!config.seen_all_sources(&mut ctx, &seen));
    }
    assert_eq!(config.sources().len(), 100);
}

// SeenAllSources needs both: the sync loop saw every source, and each sent a SET.
#[test]
fn seen_all_sources_needs_a_set_from_every_source() {
    let mut h = Harness::new(NotificationMode::Incremental);
    h.config.channel("other");
    let seen: BTreeSet<String> = ["test".to_string(), "other".to_string()].into();
    let ready = |h: &mut Harness| {
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            host: "n",
            rng: &mut h.rng,
            trace: &mut h.trace,
        };
        h.config.seen_all_sources(&mut ctx, &seen)
    };
    // An ADD does not count: only a SET marks a source as seen.
    h.send(Add, vec![pod("foo", "new")]);
    assert!(!ready(&mut h));
    h.send(Set, vec![pod("foo", "new")]);
    assert!(!ready(&mut h));
    let update = PodUpdate::set("other", vec![]);
    let mut ctx = Ctx {
        now: SimTime::ZERO,
        host: "n",
        rng: &mut h.rng,
        trace: &mut h.trace,
    };
    h.config.send(&mut ctx, "other", update);
    assert!(ready(&mut h));
}

// B1
#[test]
fn configuration_channels() {
    let mut config = PodConfig::new(NotificationMode::Incremental);
    config.channel("one");
    config.channel("one");
    config.channel("two");
    let names: Vec<&str> = config.sources().iter().map(String::as_str).collect();
    assert_eq!(names, ["one", "two"]);
}

// B2 and B3: a message on a channel is merged under that channel's name, and two sources'
// messages are merged independently.
#[test]
fn merge_invoked_per_source() {
    let mut config = PodConfig::new(NotificationMode::Incremental);
    config.channel("one");
    config.channel("two");
    let mut rng = Rng::seeded(1);
    let mut trace = Trace::default();
    let mut ctx = Ctx {
        now: SimTime::ZERO,
        host: "n",
        rng: &mut rng,
        trace: &mut trace,
    };
    config.send(
        &mut ctx,
        "one",
        PodUpdate::set("one", vec![Arc::new(pod("a", "ns"))]),
    );
    config.send(
        &mut ctx,
        "two",
        PodUpdate::set("two", vec![Arc::new(pod("a", "ns"))]),
    );
    let first = config.next_update().unwrap();
    let second = config.next_update().unwrap();
    assert_eq!((first.op, first.source.as_str()), (Add, "one"));
    assert_eq!((second.op, second.source.as_str()), (Add, "two"));
    assert_eq!(
        first.pods[0].metadata.annotations.as_ref().unwrap()["kubernetes.io/config.source"],
        "one"
    );
    assert_no_update(&mut config);
}

/// Not an upstream case: a SET that resends the very objects of the last one (as an undelta
/// store does for every pod it holds) is recognised without comparing them, and emits exactly
/// what a SET of equal copies would: nothing for the unchanged pods, an UPDATE for the one
/// that changed and a DELETE for the one whose graceful deletion began, once.
#[test]
fn a_set_resending_the_same_objects_emits_only_what_changed() {
    let mut h = Harness::new(NotificationMode::Incremental);
    let mut ctx = Ctx {
        now: SimTime(1000),
        host: "test-node",
        rng: &mut h.rng,
        trace: &mut h.trace,
    };
    let a = Arc::new(pod("a", "ns"));
    let b = Arc::new(pod("b", "ns"));
    let mut deleting = pod("c", "ns");
    deleting.metadata.deletion_timestamp = Some(Time(jiff::Timestamp::UNIX_EPOCH));
    deleting.metadata.deletion_grace_period_seconds = Some(30);
    let c = Arc::new(pod("c", "ns"));
    let set = |pods: &[&Arc<corev1::Pod>]| {
        PodUpdate::set(TEST_SOURCE, pods.iter().map(|p| Arc::clone(p)).collect())
    };
    h.config.send(&mut ctx, TEST_SOURCE, set(&[&a, &b, &c]));
    let added = h.config.next_update().unwrap();
    assert_eq!((added.op, added.pods.len()), (PodOp::Add, 3));
    assert_no_update(&mut h.config);

    // The same objects again: nothing.
    h.config.send(&mut ctx, TEST_SOURCE, set(&[&a, &b, &c]));
    assert_no_update(&mut h.config);

    // `b` changed (a new object), `c` is being deleted: an UPDATE and a DELETE.
    let mut changed = pod("b", "ns");
    changed.metadata.labels = Some(BTreeMap::from([("new".to_string(), "label".to_string())]));
    let b2 = Arc::new(changed);
    let c2 = Arc::new(deleting);
    h.config.send(&mut ctx, TEST_SOURCE, set(&[&a, &b2, &c2]));
    let update = h.config.next_update().unwrap();
    assert_eq!(
        (update.op, update.pods[0].metadata.name.as_deref()),
        (PodOp::Update, Some("b"))
    );
    let delete = h.config.next_update().unwrap();
    assert_eq!(
        (delete.op, delete.pods[0].metadata.name.as_deref()),
        (PodOp::Delete, Some("c"))
    );
    assert_no_update(&mut h.config);

    // Resent once more: `b` is unchanged now; the pod being deleted is not new either.
    h.config.send(&mut ctx, TEST_SOURCE, set(&[&a, &b2, &c2]));
    assert_no_update(&mut h.config);
    // An equal copy of `c` gives the same answer as the shared object did.
    let c3 = Arc::new(corev1::Pod::clone(&c2));
    h.config.send(&mut ctx, TEST_SOURCE, set(&[&a, &b2, &c3]));
    assert_no_update(&mut h.config);
}
