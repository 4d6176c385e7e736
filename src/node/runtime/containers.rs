//! The runtime's containers by id, and when the earliest of their processes next needs time.
//!
//! The world asks the runtime for its next wake-up after every step of every component, and
//! most steps change no container; working it out over every container each time was a
//! steady cost per wake-up. The answer is kept until a container is touched mutably: every way
//! to change a container (and so its process) goes through this map's mutable methods, which
//! forget it. (Asking is a mutable call too, so the world stays shareable between threads.)

use std::collections::BTreeMap;

use crate::node::runtime::Container;
use crate::sim::inline_id::InlineId;
use crate::sim::SimTime;

/// The containers by id, with their earliest process wake-up remembered until one changes.
#[derive(Clone, Default)]
pub struct Containers {
    /// Ids kept inline: probes, status passes and the PLEG look containers up by id, and at
    /// ten nodes the keys' heap copies missed the cache.
    by_id: BTreeMap<InlineId, Container>,
    /// The earliest instant a container's process needs polling (`Some(None)`: none does),
    /// or `None` when not known since the last mutable access.
    next_wake: Option<Option<SimTime>>,
}

/// The containers alone; the remembered wake-up says nothing new about them.
impl std::fmt::Debug for Containers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.by_id.fmt(f)
    }
}

impl Containers {
    /// The container with id `id`.
    pub fn get(&self, id: &str) -> Option<&Container> {
        self.by_id.get(id)
    }

    /// Every container, in id order.
    pub fn values(&self) -> impl Iterator<Item = &Container> {
        self.by_id.values()
    }

    /// The container with id `id`, to change.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Container> {
        self.next_wake = None;
        self.by_id.get_mut(id)
    }

    /// Adds (or replaces) the container with id `id`.
    pub fn insert(&mut self, id: String, container: Container) {
        self.next_wake = None;
        self.by_id.insert(InlineId::new(&id), container);
    }

    /// Takes out the container with id `id`.
    pub fn remove(&mut self, id: &str) -> Option<Container> {
        self.next_wake = None;
        self.by_id.remove(id)
    }

    /// Keeps only the containers `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Container) -> bool) {
        self.next_wake = None;
        self.by_id.retain(|id, container| keep(id, container));
    }

    /// When a container's process next needs time to pass (`None`: no process waits).
    pub fn next_wake(&mut self) -> Option<SimTime> {
        if let Some(known) = self.next_wake {
            return known;
        }
        let earliest = self
            .by_id
            .values()
            .filter_map(Container::process_wake)
            .min();
        self.next_wake = Some(earliest);
        earliest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::cri::Cri;
    use crate::node::fs::Fs;
    use crate::node::runtime::fixtures::{container, runtime, sandbox};
    use crate::sim::{Rng, SimDuration};

    /// The earliest wake-up worked out afresh.
    fn afresh(containers: &Containers) -> Option<SimTime> {
        containers
            .values()
            .filter_map(Container::process_wake)
            .min()
    }

    #[test]
    fn the_remembered_wake_up_follows_every_change_to_a_container() {
        let mut runtime = runtime();
        let mut rng = Rng::seeded(5);
        let mut fs = Fs::default();
        let now = SimTime::ZERO;
        assert_eq!(runtime.containers.next_wake(), None);
        let pod = runtime
            .run_pod_sandbox(now, &mut rng, &sandbox("pod-u1", "default", "u1"))
            .unwrap();
        let id = runtime
            .create_container(now, &mut rng, &pod, &container("app", &[]))
            .unwrap();
        assert_eq!(runtime.containers.next_wake(), None);

        runtime.start_container(now, &id, &mut fs).unwrap();
        let started = runtime.containers.next_wake();
        assert_eq!(started, Some(now));
        assert_eq!(started, afresh(&runtime.containers));

        // The shell runs up to its `sleep 3600`: the next wake-up moves an hour on.
        runtime.advance(now, &mut fs);
        let sleeping = runtime.containers.next_wake();
        assert_eq!(sleeping, afresh(&runtime.containers));
        assert_eq!(sleeping, Some(now + SimDuration::from_secs(3600)));

        runtime
            .stop_container(now, &id, SimDuration::from_secs(30))
            .unwrap();
        assert_eq!(runtime.containers.next_wake(), afresh(&runtime.containers));
        assert_ne!(runtime.containers.next_wake(), sleeping);

        // Run it to its exit (at the latest when the grace period runs out).
        for _ in 0..10 {
            let Some(at) = runtime.containers.next_wake() else {
                break;
            };
            runtime.advance(at, &mut fs);
            assert_eq!(runtime.containers.next_wake(), afresh(&runtime.containers));
        }
        assert_eq!(runtime.containers.next_wake(), None);
        runtime.remove_container(&id).unwrap();
        assert_eq!(runtime.containers.next_wake(), None);
    }
}
