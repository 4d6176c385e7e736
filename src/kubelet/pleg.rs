//! Mirrors `pkg/kubelet/pleg/generic.go` (v1.34): the pod lifecycle event generator. Every
//! second it relists the runtime's containers (sandboxes included) and turns state changes into
//! events for the sync loop.

use std::collections::BTreeMap;

use crate::kubelet::container::{ContainerState, LABEL_POD_UID};
use crate::kubelet::cri::Cri;
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

/// The generic PLEG: the last relist's view of every container.
#[derive(Debug, Clone, Default)]
pub struct Pleg {
    /// container id → (pod UID, state).
    records: BTreeMap<String, (String, PlegState)>,
    /// The runtime's list revision at the last relist: an unchanged listing has no events.
    listed: Option<u64>,
}

impl Pleg {
    /// One relist: the events since the previous one, grouped by pod as upstream sends them.
    pub fn relist(&mut self, cri: &dyn Cri) -> Vec<PlegEvent> {
        let revision = cri.list_revision();
        if revision.is_some() && revision == self.listed {
            return Vec::new();
        }
        self.listed = revision;
        let mut current: BTreeMap<String, (String, PlegState)> = BTreeMap::new();
        for sandbox in cri.list_pod_sandboxes() {
            let state = if sandbox.ready {
                PlegState::Running
            } else {
                PlegState::Exited
            };
            current.insert(sandbox.id, (sandbox.uid, state));
        }
        for container in cri.list_containers() {
            let uid = container
                .labels
                .get(LABEL_POD_UID)
                .cloned()
                .unwrap_or_default();
            current.insert(container.id.to_string(), (uid, pleg_state(container.state)));
        }
        let mut ids: Vec<&String> = self.records.keys().chain(current.keys()).collect();
        ids.sort();
        ids.dedup();
        let mut by_pod: BTreeMap<String, Vec<PlegEvent>> = BTreeMap::new();
        for id in ids {
            let old = self.records.get(id);
            let new = current.get(id);
            let old_state = old.map_or(PlegState::NonExistent, |(_, s)| *s);
            let new_state = new.map_or(PlegState::NonExistent, |(_, s)| *s);
            if old_state == new_state {
                continue;
            }
            let uid = new.or(old).map(|(u, _)| u.clone()).unwrap_or_default();
            let events = by_pod.entry(uid.clone()).or_default();
            let mut push = |event_type| {
                events.push(PlegEvent {
                    pod_uid: uid.clone(),
                    event_type,
                    container_id: id.clone(),
                })
            };
            match new_state {
                PlegState::Running => push(PlegEventType::ContainerStarted),
                PlegState::Exited => push(PlegEventType::ContainerDied),
                PlegState::Unknown => push(PlegEventType::ContainerChanged),
                PlegState::NonExistent => {
                    if old_state != PlegState::Exited {
                        push(PlegEventType::ContainerDied);
                    }
                    push(PlegEventType::ContainerRemoved);
                }
            }
        }
        self.records = current;
        by_pod.into_values().flatten().collect()
    }
}
