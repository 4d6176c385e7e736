//! The replay scrubber's memory: snapshots of the session taken as it goes, so the panes can
//! show any recorded instant. To show instant `t`, the newest snapshot at or before `t` is
//! copied and the logged inputs that followed it are replayed up to `t`; the simulation is
//! deterministic, so the copy is the world the learner had then.
//!
//! Snapshots versus re-running the whole log: re-running a one-hour session costs seconds, a
//! snapshot is a copy of the world without its event log (see `Cluster::fork`). Snapshots are
//! taken by work done, not by virtual time alone, so replaying forward from the nearest one
//! costs about the same however busy the cluster is, until the memory cap ([`DENSE_MAX`])
//! spreads them out: in a world of 110 static pods a snapshot is large, and the cap keeps the
//! tab's memory bounded at the price of slower scrubbing there.

use std::collections::VecDeque;

use crate::playground::{Input, Playground};
use crate::sim::{SimDuration, SimTime};
use crate::view::kubelet::diagram::LOOK_BACK;

/// A new snapshot after this much work since the last one (see [`work`]): about 30 ms of
/// replay natively in the default cluster.
pub const SNAPSHOT_WORK: u64 = 20_000;
/// The most snapshots kept over the last [`DENSE_WINDOW`]: past it, the one whose neighbours
/// are closest in work goes, so a busy hour keeps even spacing in a bounded memory (a
/// snapshot of the default cluster holds about 2 MB, one with 110 static pods about 13 MB).
pub const DENSE_MAX: usize = 20;

/// The work the world has done, as a replay forward would redo it: wake-ups dispatched plus
/// ten per trace record. Wake-ups alone undercount a busy world (110 pods starting are few
/// wake-ups and a great many records), records alone an idle one.
pub fn work(live: &Playground) -> u64 {
    let cluster = live.cluster();
    cluster.wakeups() + 10 * cluster.trace().len() as u64
}
/// Never two snapshots closer than this in virtual time: in a busy world (110 static pods) a
/// snapshot is a large copy, and taking one every few seconds would cost the page its frames.
pub const MIN_SPAN: SimDuration = SimDuration::from_secs(60);
/// A new snapshot after this much virtual time, however quiet the world was.
pub const SNAPSHOT_SPAN: SimDuration = SimDuration::from_mins(5);
/// Snapshots are kept dense for this long back from now; older ones thin out to one per
/// [`SPARSE_SPAN`].
pub const DENSE_WINDOW: SimDuration = SimDuration::from_mins(60);
/// How far apart snapshots older than [`DENSE_WINDOW`] are kept.
pub const SPARSE_SPAN: SimDuration = SimDuration::from_mins(60);
/// The most snapshots older than [`DENSE_WINDOW`] kept (the oldest go first).
pub const SPARSE_MAX: usize = 12;

/// Snapshots of one session, oldest first.
#[derive(Debug, Default)]
pub struct Rewind {
    snapshots: VecDeque<Snapshot>,
}

/// The session at one instant.
#[derive(Debug)]
struct Snapshot {
    /// The world, without its event log.
    world: Playground,
    /// The work done by then (see [`work`]).
    work: u64,
    /// How many inputs were logged by then.
    inputs: usize,
    /// The last logged input's clock movement then, when it was one: later movements fold
    /// into it, so a replay applies only the rest.
    tail_ms: Option<u64>,
}

impl Snapshot {
    fn at(&self) -> SimTime {
        self.world.cluster().now()
    }
}

impl Rewind {
    /// Takes a snapshot of `live` when enough has happened since the last one (call after
    /// every input or frame slice, never inside one: a snapshot records how many inputs were
    /// logged), and thins out old snapshots.
    pub fn observe(&mut self, live: &Playground) {
        let cluster = live.cluster();
        let due = match self.snapshots.back() {
            None => true,
            Some(last) => {
                cluster.now() >= last.at() + MIN_SPAN
                    && (work(live) >= last.work + SNAPSHOT_WORK
                        || cluster.now() >= last.at() + SNAPSHOT_SPAN)
            }
        };
        if !due {
            return;
        }
        self.snapshots.push_back(Snapshot {
            world: live.fork(),
            work: work(live),
            inputs: live.inputs().len(),
            tail_ms: match live.inputs().last() {
                Some(Input::Advance(ms)) => Some(*ms),
                _ => None,
            },
        });
        self.thin(cluster.now());
    }

    /// Keeps every snapshot of the last [`DENSE_WINDOW`], one per [`SPARSE_SPAN`] before it,
    /// and at most [`SPARSE_MAX`] of those.
    fn thin(&mut self, now: SimTime) {
        let dense_from = now.as_millis().saturating_sub(DENSE_WINDOW.as_millis());
        let span = SPARSE_SPAN.as_millis();
        let mut kept: VecDeque<Snapshot> = VecDeque::with_capacity(self.snapshots.len());
        let mut sparse = 0;
        for snap in self.snapshots.drain(..) {
            let at = snap.at().as_millis();
            let same_span = kept
                .back()
                .is_some_and(|prev: &Snapshot| prev.at().as_millis() / span == at / span);
            if at < dense_from && same_span {
                continue;
            }
            if at < dense_from {
                sparse += 1;
            }
            kept.push_back(snap);
        }
        while sparse > SPARSE_MAX {
            kept.pop_front();
            sparse -= 1;
        }
        // Never the oldest dense one (it bounds the window) nor the newest.
        while kept.len() - sparse > DENSE_MAX {
            let gap = |i: usize| kept[i + 1].work - kept[i - 1].work;
            let Some(drop) = (sparse + 1..kept.len() - 1).min_by_key(|&i| gap(i)) else {
                break;
            };
            kept.remove(drop);
        }
        self.snapshots = kept;
    }

    /// The earliest instant the scrubber can show.
    pub fn earliest(&self) -> Option<SimTime> {
        self.snapshots.front().map(Snapshot::at)
    }

    /// How many snapshots are kept.
    pub fn len(&self) -> usize {
        self.snapshots.len()
    }

    /// Whether none is kept yet.
    pub fn is_empty(&self) -> bool {
        self.snapshots.is_empty()
    }

    /// The session `live` as it was at `t`, after every input logged at `t` itself (clamped to
    /// what is recorded): a copy to look at,
    /// with the event log's recent records before its snapshot put back so the diagram sees
    /// what had just happened. `None` before the first snapshot.
    pub fn at(&self, live: &Playground, t: SimTime) -> Option<Playground> {
        let t = t.min(live.cluster().now());
        let snap = self
            .snapshots
            .iter()
            .rev()
            .find(|s| s.at() <= t)
            .or_else(|| self.snapshots.front())?;
        let mut world = snap.world.clone();
        let base = world.cluster().trace().first_id();
        let earlier = live.cluster().trace().since(base.saturating_sub(LOOK_BACK));
        let kept = earlier
            .len()
            .saturating_sub(live.cluster().trace().len() - base);
        world.cluster_mut().restore_earlier(&earlier[..kept]);
        let inputs = live.inputs();
        let from = match snap.tail_ms {
            Some(_) => snap.inputs - 1,
            None => snap.inputs,
        };
        for (idx, input) in inputs.iter().enumerate().skip(from) {
            let now = world.cluster().now();
            match input {
                Input::Advance(ms) => {
                    if now >= t {
                        break;
                    }
                    let done = match (idx + 1 == snap.inputs, snap.tail_ms) {
                        (true, Some(done)) => done,
                        _ => 0,
                    };
                    let rest = ms.saturating_sub(done);
                    let left = rest.min(t.since(now).as_millis());
                    world.apply(Input::Advance(left));
                    // Cut short at `t`: what was logged next happened after it.
                    if left < rest {
                        break;
                    }
                }
                other => world.apply(other.clone()),
            }
        }
        Some(world)
    }
}

#[cfg(test)]
mod tests;
