//! The replay scrubber's snapshots: any noted instant comes back exactly, replays stop where a
//! logged movement was cut, old snapshots thin out and a busy hour stays within the cap.

use super::*;
use crate::view::kubelet::KubeletDiagram;
use crate::view::View;

/// What the panes showed at one instant.
#[derive(Debug, PartialEq)]
struct Seen {
    at: SimTime,
    view: View,
    controlplane: Option<KubeletDiagram>,
    node01: Option<KubeletDiagram>,
}

fn seen(pg: &Playground) -> Seen {
    Seen {
        at: pg.cluster().now(),
        view: pg.view(),
        controlplane: pg.kubelet_view("controlplane"),
        node01: pg.kubelet_view("node01"),
    }
}

/// Plays `frames` frames of `ms` each, as the page's clock does (the log folds them into one
/// movement), snapshotting after each and noting what every `every`th frame showed. The last
/// frame is not noted: a command may follow at its instant, and the world at an instant is
/// the world after everything logged at it.
fn play(live: &mut Playground, rewind: &mut Rewind, frames: u32, ms: u64, every: u32) -> Vec<Seen> {
    let mut out = Vec::new();
    for frame in 1..=frames {
        live.apply(Input::Advance(ms));
        rewind.observe(live);
        if frame % every == 0 && frame != frames {
            out.push(seen(live));
        }
    }
    out
}

fn command(live: &mut Playground, rewind: &mut Rewind, line: &str) {
    live.apply(Input::Command(line.into()));
    rewind.observe(live);
}

#[test]
fn any_recorded_instant_shows_what_the_panes_showed_then() {
    let mut live = Playground::interactive(7).unwrap();
    let mut rewind = Rewind::default();
    rewind.observe(&live);
    let mut noted = play(&mut live, &mut rewind, 40, 500, 10);
    command(
        &mut live,
        &mut rewind,
        "kubectl run web --image=nginx:1.27 --dry-run=client -o yaml > /etc/kubernetes/manifests/web.yaml",
    );
    noted.extend(play(&mut live, &mut rewind, 120, 250, 7));
    command(
        &mut live,
        &mut rewind,
        "sed -i 's/nginx:1.27/nginx:1.26/' /etc/kubernetes/manifests/web.yaml",
    );
    noted.extend(play(&mut live, &mut rewind, 900, 1_000, 97));
    command(&mut live, &mut rewind, "crictl ps");
    noted.extend(play(&mut live, &mut rewind, 50, 100, 5));
    assert!(rewind.len() >= 3, "snapshots: {}", rewind.len());
    let times: Vec<SimTime> = rewind.snapshots.iter().map(Snapshot::at).collect();
    assert!(
        times.windows(2).all(|w| w[1] >= w[0] + MIN_SPAN),
        "snapshots at least MIN_SPAN apart: {times:?}"
    );
    // The edit's REMOVE + ADD and the container restart happened in between: every noted
    // instant, wherever it falls between snapshots, comes back exactly.
    for then in &noted {
        let past = rewind.at(&live, then.at).expect("a snapshot");
        assert_eq!(seen(&past), *then, "at {:?}", then.at);
    }
    // Now is now; before the first snapshot is the first snapshot.
    assert_eq!(
        seen(&rewind.at(&live, live.cluster().now()).unwrap()),
        seen(&live)
    );
    let first = rewind.earliest().unwrap();
    let before = rewind.at(&live, SimTime::ZERO).unwrap();
    assert_eq!(before.cluster().now(), first);
}

#[test]
fn a_replay_stops_where_a_logged_movement_was_cut_and_runs_no_later_command() {
    let mut live = Playground::interactive(3).unwrap();
    let mut rewind = Rewind::default();
    rewind.observe(&live);
    let start = live.cluster().now();
    live.apply(Input::Advance(10_000));
    command(&mut live, &mut rewind, "touch /tmp/after");
    let mid = start + SimDuration::from_secs(4);
    let past = rewind.at(&live, mid).unwrap();
    assert_eq!(past.cluster().now(), mid);
    assert!(!past.file_exists("controlplane", "/tmp/after"));
    let end = rewind.at(&live, live.cluster().now()).unwrap();
    assert!(end.file_exists("controlplane", "/tmp/after"));
}

#[test]
fn old_snapshots_thin_out_to_one_per_span_and_the_dense_window_stays() {
    let mut live = Playground::interactive(5).unwrap();
    let mut rewind = Rewind::default();
    rewind.observe(&live);
    play(&mut live, &mut rewind, 150, 60_000, 1000);
    let now = live.cluster().now().as_millis();
    let dense_from = now - DENSE_WINDOW.as_millis();
    let times: Vec<u64> = rewind
        .snapshots
        .iter()
        .map(|s| s.at().as_millis())
        .collect();
    let old: Vec<u64> = times.iter().copied().filter(|t| *t < dense_from).collect();
    let spans: Vec<u64> = old.iter().map(|t| t / SPARSE_SPAN.as_millis()).collect();
    let mut distinct = spans.clone();
    distinct.dedup();
    assert_eq!(
        spans, distinct,
        "one snapshot per span before the window: {times:?}"
    );
    assert!(!old.is_empty());
    let dense = times.len() - old.len();
    // Five-minute snapshots at least over the last hour, and no more than the cap.
    assert!((12..=DENSE_MAX).contains(&dense), "{times:?}");
}

#[test]
fn a_busy_hour_keeps_at_most_dense_max_snapshots_evenly_spaced_in_work() {
    let base = Playground::interactive(1).unwrap();
    let mut rewind = Rewind::default();
    for i in 0..(2 * DENSE_MAX as u64 + 7) {
        rewind.snapshots.push_back(Snapshot {
            world: base.fork(),
            work: i * 100,
            inputs: 0,
            tail_ms: None,
        });
    }
    let last = rewind.snapshots.back().unwrap().work;
    rewind.thin(base.cluster().now());
    let work: Vec<u64> = rewind.snapshots.iter().map(|s| s.work).collect();
    assert_eq!(work.len(), DENSE_MAX);
    assert_eq!((work[0], work[work.len() - 1]), (0, last));
    let gaps: Vec<u64> = work.windows(2).map(|w| w[1] - w[0]).collect();
    // No gap more than about twice the even spacing.
    let even = last / (DENSE_MAX as u64 - 1);
    assert!(gaps.iter().all(|g| *g <= 2 * even), "{work:?}");
}
