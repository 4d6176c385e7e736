//! Mirrors `pkg/kubelet/pleg/generic.go` (v1.34): the pod lifecycle event generator. Every
//! second it relists the runtime's containers (sandboxes included) and turns state changes into
//! events for the sync loop.

use std::collections::BTreeMap;

use crate::kubelet::container::ContainerState;
use crate::kubelet::cri::{Cri, ListedRef};
use crate::sim::inline_id::InlineId;
use crate::sim::SimDuration;

/// The relist period (`genericPlegRelistPeriod`).
pub const RELIST_PERIOD: SimDuration = SimDuration::from_secs(1);

/// What happened to a container (`PodLifeCycleEventType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlegEventType {
    /// It is running now.
    ContainerStarted,
    /// It exited.
    ContainerDied,
    /// It is gone from the runtime.
    ContainerRemoved,
    /// Its state is unknown.
    ContainerChanged,
}

impl PlegEventType {
    /// Upstream's name, as the sync loop logs it.
    pub fn as_str(self) -> &'static str {
        match self {
            PlegEventType::ContainerStarted => "ContainerStarted",
            PlegEventType::ContainerDied => "ContainerDied",
            PlegEventType::ContainerRemoved => "ContainerRemoved",
            PlegEventType::ContainerChanged => "ContainerChanged",
        }
    }
}

/// One event (`PodLifecycleEvent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlegEvent {
    /// The pod's UID.
    pub pod_uid: String,
    /// What happened.
    pub event_type: PlegEventType,
    /// The container (or sandbox) id.
    pub container_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlegState {
    Running,
    Exited,
    Unknown,
    NonExistent,
}

fn pleg_state(state: ContainerState) -> PlegState {
    match state {
        ContainerState::Running => PlegState::Running,
        ContainerState::Exited => PlegState::Exited,
        ContainerState::Created | ContainerState::Unknown => PlegState::Unknown,
    }
}

/// What the last relist saw of one container or sandbox.
#[derive(Debug, Clone)]
struct PlegRecord {
    pod_uid: InlineId,
    state: PlegState,
    /// The relist that last saw it: a record an update does not reach is gone.
    seen: u64,
}

/// A container or sandbox whose state moved in one relist, before the events are grouped.
struct Change {
    pod_uid: String,
    container_id: String,
    old: PlegState,
    new: PlegState,
}

/// The generic PLEG: the last relist's view of every container.
#[derive(Debug, Clone, Default)]
pub struct Pleg {
    /// container id → what the last relist saw of it. The ids are kept inline: each relist
    /// looks up every listed container, and at ten nodes the keys' heap copies missed the cache.
    records: BTreeMap<InlineId, PlegRecord>,
    /// Relists that compared a listing, to tell this relist's records from older ones.
    relists: u64,
    /// The runtime's list revision at the last relist: an unchanged listing has no events.
    listed: Option<u64>,
}

impl Pleg {
    /// One relist: the events since the previous one, grouped by pod as upstream sends them.
    ///
    /// The runtime's listing is borrowed ([`Cri::visit_listing`]) and compared with the records
    /// in place; only a new container, or one whose state moved, costs a copy. Sandbox and
    /// container ids share one namespace in containerd, so an id is listed at most once.
    pub fn relist(&mut self, cri: &dyn Cri) -> Vec<PlegEvent> {
        let revision = cri.list_revision();
        if revision.is_some() && revision == self.listed {
            return Vec::new();
        }
        self.listed = revision;
        self.relists += 1;
        let relist = self.relists;
        let records = &mut self.records;
        let mut changes: Vec<Change> = Vec::new();
        cri.visit_listing(&mut |listed| {
            let state = match listed {
                ListedRef::Sandbox { ready: true, .. } => PlegState::Running,
                ListedRef::Sandbox { ready: false, .. } => PlegState::Exited,
                ListedRef::Container { state, .. } => pleg_state(state),
            };
            let (id, pod_uid) = (listed.id(), listed.pod_uid());
            let Some(record) = records.get_mut(id) else {
                records.insert(
                    InlineId::new(id),
                    PlegRecord {
                        pod_uid: InlineId::new(pod_uid),
                        state,
                        seen: relist,
                    },
                );
                changes.push(Change {
                    pod_uid: pod_uid.to_string(),
                    container_id: id.to_string(),
                    old: PlegState::NonExistent,
                    new: state,
                });
                return;
            };
            record.seen = relist;
            if record.pod_uid != pod_uid {
                record.pod_uid = InlineId::new(pod_uid);
            }
            if record.state != state {
                changes.push(Change {
                    pod_uid: pod_uid.to_string(),
                    container_id: id.to_string(),
                    old: record.state,
                    new: state,
                });
                record.state = state;
            }
        });
        self.records.retain(|id, record| {
            if record.seen == relist {
                return true;
            }
            changes.push(Change {
                pod_uid: record.pod_uid.to_string(),
                container_id: id.to_string(),
                old: record.state,
                new: PlegState::NonExistent,
            });
            false
        });
        // Grouped by pod UID, each pod's containers in id order, as upstream's map of events
        // by pod is walked here.
        changes.sort_unstable_by(|a, b| {
            (&a.pod_uid, &a.container_id).cmp(&(&b.pod_uid, &b.container_id))
        });
        let mut events = Vec::new();
        for change in changes {
            let mut push = |event_type| {
                events.push(PlegEvent {
                    pod_uid: change.pod_uid.clone(),
                    event_type,
                    container_id: change.container_id.clone(),
                })
            };
            match change.new {
                PlegState::Running => push(PlegEventType::ContainerStarted),
                PlegState::Exited => push(PlegEventType::ContainerDied),
                PlegState::Unknown => push(PlegEventType::ContainerChanged),
                PlegState::NonExistent => {
                    if change.old != PlegState::Exited {
                        push(PlegEventType::ContainerDied);
                    }
                    push(PlegEventType::ContainerRemoved);
                }
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubelet::cri::{ContainerConfig, SandboxConfig, POD_UID_LABEL};
    use crate::node::fs::Fs;
    use crate::node::runtime::{fixtures, Runtime};
    use crate::sim::{Rng, SimTime};

    fn sandbox(uid: &str) -> SandboxConfig {
        fixtures::sandbox(&format!("pod-{uid}"), "default", uid)
    }

    fn container(uid: &str) -> ContainerConfig {
        fixtures::container("main", &[(POD_UID_LABEL, uid)])
    }

    /// The events as (pod UID, type, id) triples.
    fn relist(pleg: &mut Pleg, runtime: &Runtime) -> Vec<(String, &'static str, String)> {
        pleg.relist(runtime)
            .into_iter()
            .map(|e| (e.pod_uid, e.event_type.as_str(), e.container_id))
            .collect()
    }

    fn event(uid: &str, kind: &'static str, id: &str) -> (String, &'static str, String) {
        (uid.to_string(), kind, id.to_string())
    }

    #[test]
    fn a_relist_reports_each_state_change_once() {
        let mut runtime = fixtures::runtime();
        let mut rng = Rng::seeded(1);
        let mut fs = Fs::default();
        let now = SimTime::ZERO;
        let mut pleg = Pleg::default();
        assert_eq!(relist(&mut pleg, &runtime), []);

        let sb = runtime
            .run_pod_sandbox(now, &mut rng, &sandbox("u1"))
            .unwrap();
        assert_eq!(
            relist(&mut pleg, &runtime),
            [event("u1", "ContainerStarted", &sb)]
        );
        // Nothing moved: no events.
        assert_eq!(relist(&mut pleg, &runtime), []);

        let c = runtime
            .create_container(now, &mut rng, &sb, &container("u1"))
            .unwrap();
        assert_eq!(
            relist(&mut pleg, &runtime),
            [event("u1", "ContainerChanged", &c)]
        );
        runtime.start_container(now, &c, &mut fs).unwrap();
        assert_eq!(
            relist(&mut pleg, &runtime),
            [event("u1", "ContainerStarted", &c)]
        );
        runtime.stop_container(now, &c, SimDuration::ZERO).unwrap();
        assert_eq!(
            relist(&mut pleg, &runtime),
            [event("u1", "ContainerDied", &c)]
        );
        // An exited container that goes is only removed: it died before.
        runtime.remove_container(&c).unwrap();
        assert_eq!(
            relist(&mut pleg, &runtime),
            [event("u1", "ContainerRemoved", &c)]
        );
        // A ready sandbox that is gone by the next relist died and was removed.
        runtime.stop_pod_sandbox(now, &sb).unwrap();
        runtime.remove_pod_sandbox(&sb).unwrap();
        assert_eq!(
            relist(&mut pleg, &runtime),
            [
                event("u1", "ContainerDied", &sb),
                event("u1", "ContainerRemoved", &sb)
            ]
        );
        assert_eq!(relist(&mut pleg, &runtime), []);
    }

    #[test]
    fn events_are_grouped_by_pod_then_ordered_by_id() {
        let mut runtime = fixtures::runtime();
        let mut rng = Rng::seeded(7);
        let mut fs = Fs::default();
        let now = SimTime::ZERO;
        let mut pleg = Pleg::default();
        let mut want = Vec::new();
        // Pod "b" first, so that the runtime's order is not the pods' order.
        for uid in ["b", "a"] {
            let sb = runtime
                .run_pod_sandbox(now, &mut rng, &sandbox(uid))
                .unwrap();
            let c = runtime
                .create_container(now, &mut rng, &sb, &container(uid))
                .unwrap();
            runtime.start_container(now, &c, &mut fs).unwrap();
            let mut ids = [sb, c];
            ids.sort();
            want.extend(ids.iter().map(|id| event(uid, "ContainerStarted", id)));
        }
        want.sort();
        assert_eq!(relist(&mut pleg, &runtime), want);
    }
}
