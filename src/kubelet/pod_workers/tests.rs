//! Upstream's `pod_workers_test.go` cases, in our words: `Test_allowPodStart` (H1–H12) and
//! `Test_calculateEffectiveGracePeriod` (H13–H17) from `docs/upstream-cases.md`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;

use super::*;

/// A worker's state as the upstream table gives it: (full name, terminating, terminated).
type StatusSpec<'a> = (&'a str, bool, bool);

fn status(full_name: &str, terminating: bool, terminated: bool) -> PodSyncStatus {
    PodSyncStatus {
        terminating_at: terminating.then_some(SimTime(1)),
        terminated_at: terminated.then_some(SimTime(2)),
        grace_period: 30,
        ..PodSyncStatus::new(full_name.to_string(), true)
    }
}

struct Case<'a> {
    is_static: bool,
    statuses: &'a [(&'a str, StatusSpec<'a>)],
    started: &'a [(&'a str, &'a str)],
    waiting: &'a [(&'a str, &'a [&'a str])],
    expect_allowed: bool,
    expect_ever: bool,
    expect_started: &'a [(&'a str, &'a str)],
    expect_waiting: &'a [(&'a str, &'a [&'a str])],
}

fn run(case: &Case<'_>) {
    let mut workers = PodWorkers::new(SimDuration::from_secs(60));
    for (uid, (name, terminating, terminated)) in case.statuses {
        workers
            .statuses
            .insert(InlineId::new(uid), status(name, *terminating, *terminated));
    }
    for (name, uid) in case.started {
        workers
            .started_static_by_full_name
            .insert(name.to_string(), uid.to_string());
    }
    for (name, uids) in case.waiting {
        workers.waiting_static_by_full_name.insert(
            name.to_string(),
            uids.iter().map(|u| u.to_string()).collect(),
        );
    }
    let (allowed, ever) = workers.allow_pod_start("uid-0", case.is_static);
    assert_eq!(allowed, case.expect_allowed, "allowed");
    assert_eq!(ever, case.expect_ever, "allowed ever");
    let started: BTreeMap<String, String> = case
        .expect_started
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(workers.started_static_by_full_name, started, "started map");
    let waiting: BTreeMap<String, Vec<String>> = case
        .expect_waiting
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|u| u.to_string()).collect()))
        .collect();
    assert_eq!(workers.waiting_static_by_full_name, waiting, "waiting map");
}

#[test]
fn h1_non_static_pods_with_the_same_full_name_both_start() {
    run(&Case {
        is_static: false,
        statuses: &[
            ("uid-0", ("foo_", false, false)),
            ("uid-1", ("foo_", false, false)),
        ],
        started: &[],
        waiting: &[],
        expect_allowed: true,
        expect_ever: true,
        expect_started: &[],
        expect_waiting: &[],
    });
}

#[test]
fn h2_non_static_pod_starts_beside_a_started_static_one() {
    run(&Case {
        is_static: false,
        statuses: &[
            ("uid-0", ("foo_", false, false)),
            ("uid-1", ("foo_", false, false)),
        ],
        started: &[("foo_", "uid-1")],
        waiting: &[],
        expect_allowed: true,
        expect_ever: true,
        expect_started: &[("foo_", "uid-1")],
        expect_waiting: &[],
    });
}

#[test]
fn h3_non_static_pod_is_never_held_back() {
    run(&Case {
        is_static: false,
        statuses: &[
            ("uid-0", ("foo_", false, false)),
            ("uid-1", ("foo_", false, false)),
        ],
        started: &[("foo_", "uid-1")],
        waiting: &[("foo_", &["uid-1"])],
        expect_allowed: true,
        expect_ever: true,
        expect_started: &[("foo_", "uid-1")],
        expect_waiting: &[("foo_", &["uid-1"])],
    });
}

#[test]
fn h4_static_pod_starts_when_its_name_is_free() {
    run(&Case {
        is_static: true,
        statuses: &[
            ("uid-0", ("foo_", false, false)),
            ("uid-1", ("bar_", false, false)),
        ],
        started: &[("bar_", "uid-1")],
        waiting: &[],
        expect_allowed: true,
        expect_ever: true,
        expect_started: &[("bar_", "uid-1"), ("foo_", "uid-0")],
        expect_waiting: &[],
    });
}

#[test]
fn h5_static_pod_waits_while_another_uid_holds_its_name() {
    run(&Case {
        is_static: true,
        statuses: &[
            ("uid-0", ("foo_", false, false)),
            ("uid-1", ("foo_", false, false)),
        ],
        started: &[("foo_", "uid-1")],
        waiting: &[],
        expect_allowed: false,
        expect_ever: true,
        expect_started: &[("foo_", "uid-1")],
        expect_waiting: &[],
    });
}

#[test]
fn h6_static_pod_that_holds_its_name_keeps_running() {
    run(&Case {
        is_static: true,
        statuses: &[("uid-0", ("foo_", false, false))],
        started: &[("foo_", "uid-0")],
        waiting: &[],
        expect_allowed: true,
        expect_ever: true,
        expect_started: &[("foo_", "uid-0")],
        expect_waiting: &[],
    });
}

#[test]
fn h7_first_waiter_starts_and_leaves_the_queue() {
    run(&Case {
        is_static: true,
        statuses: &[("uid-0", ("foo_", false, false))],
        started: &[],
        waiting: &[("foo_", &["uid-0"])],
        expect_allowed: true,
        expect_ever: true,
        expect_started: &[("foo_", "uid-0")],
        expect_waiting: &[],
    });
}

#[test]
fn h8_second_waiter_waits_for_the_first() {
    run(&Case {
        is_static: true,
        statuses: &[
            ("uid-0", ("foo_", false, false)),
            ("uid-1", ("foo_", false, false)),
        ],
        started: &[],
        waiting: &[("foo_", &["uid-1", "uid-0"])],
        expect_allowed: false,
        expect_ever: true,
        expect_started: &[],
        expect_waiting: &[("foo_", &["uid-1", "uid-0"])],
    });
}

#[test]
fn h9_waiters_without_a_worker_are_skipped_and_dropped() {
    run(&Case {
        is_static: true,
        statuses: &[
            ("uid-0", ("foo_", false, false)),
            ("uid-1", ("foo_", false, false)),
        ],
        started: &[],
        waiting: &[("foo_", &["uid-2", "uid-2", "uid-3", "uid-0", "uid-1"])],
        expect_allowed: true,
        expect_ever: true,
        expect_started: &[("foo_", "uid-0")],
        expect_waiting: &[("foo_", &["uid-1"])],
    });
}

#[test]
fn h10_terminating_and_terminated_waiters_are_skipped() {
    run(&Case {
        is_static: true,
        statuses: &[
            ("uid-0", ("foo_", false, false)),
            ("uid-1", ("foo_", false, false)),
            ("uid-2", ("foo_", true, false)),
            ("uid-3", ("foo_", true, true)),
        ],
        started: &[],
        waiting: &[("foo_", &["uid-2", "uid-3", "uid-0", "uid-1"])],
        expect_allowed: true,
        expect_ever: true,
        expect_started: &[("foo_", "uid-0")],
        expect_waiting: &[("foo_", &["uid-1"])],
    });
}

#[test]
fn h11_static_pod_without_a_worker_can_never_start() {
    run(&Case {
        is_static: true,
        statuses: &[("uid-1", ("foo_", false, false))],
        started: &[("foo_", "uid-1")],
        waiting: &[],
        expect_allowed: false,
        expect_ever: false,
        expect_started: &[("foo_", "uid-1")],
        expect_waiting: &[],
    });
}

#[test]
fn h12_terminating_static_pod_can_never_start() {
    run(&Case {
        is_static: true,
        statuses: &[("uid-0", ("foo_", true, false))],
        started: &[],
        waiting: &[("foo_", &["uid-0"])],
        expect_allowed: false,
        expect_ever: false,
        expect_started: &[],
        expect_waiting: &[("foo_", &["uid-0"])],
    });
}

fn pod_with_grace(spec: i64, deletion: Option<i64>) -> corev1::Pod {
    corev1::Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            deletion_grace_period_seconds: deletion,
            ..Default::default()
        },
        spec: Some(corev1::PodSpec {
            termination_grace_period_seconds: Some(spec),
            ..Default::default()
        }),
        status: None,
    }
}

#[test]
fn h13_to_h17_effective_grace_period() {
    // (spec, deletionGracePeriodSeconds, kill override, expected)
    let cases = [
        (30, None, None, 30),
        (30, Some(5), None, 5),
        (30, Some(5), Some(2), 2),
        (30, Some(0), None, 1),
        (30, Some(5), Some(0), 1),
    ];
    for (spec, deletion, override_grace, expected) in cases {
        let pod = pod_with_grace(spec, deletion);
        let (grace, _) = calculate_effective_grace_period(0, &pod, override_grace);
        assert_eq!(
            grace, expected,
            "spec {spec}, deletion {deletion:?}, override {override_grace:?}"
        );
    }
}
