//! The client ports on which the node's etcds serve, as the node's processes see them
//! (`Surroundings::etcd_ports`), kept between calls.
//!
//! Every probe and every pass of the runtime asks for them, while the answer changes only when
//! a process starts, steps or ends, or when a running etcd starts serving. So the running
//! etcds are collected again only after the runtime says its processes may have changed
//! ([`EtcdPorts::forget`]), and the ports are worked out again only when time leaves the span
//! of instants over which no collected etcd starts serving.

use crate::node::runtime::components::Component;
use crate::sim::SimTime;

/// The running etcds' client ports, collected once per change of the node's processes.
#[derive(Debug, Clone, Default)]
pub struct EtcdPorts {
    /// Each running etcd's first serving instant and its client ports; `None` once forgotten.
    etcds: Option<Vec<(SimTime, Vec<u16>)>>,
    /// The instants `[from, until)` for which the ports last written are the answer.
    span: Option<(SimTime, Option<SimTime>)>,
}

impl EtcdPorts {
    /// The node's processes may have changed: collect the running etcds again when next asked.
    pub fn forget(&mut self) {
        self.etcds = None;
        self.span = None;
    }

    /// Makes `ports` the sorted, deduplicated client ports of the etcds serving at `now`.
    /// `running` yields every running process's component; it is walked only when the
    /// processes were forgotten. `ports` must hold what the previous call wrote.
    pub fn refresh<'a>(
        &mut self,
        now: SimTime,
        running: impl Iterator<Item = &'a Component>,
        ports: &mut Vec<u16>,
    ) {
        if self
            .span
            .is_some_and(|(from, until)| from <= now && until.is_none_or(|u| now < u))
        {
            return;
        }
        let etcds = self.etcds.get_or_insert_with(|| {
            running
                .filter_map(Component::etcd_client_ports)
                .map(|(since, client)| (since, client.to_vec()))
                .collect()
        });
        ports.clear();
        let mut from = SimTime(0);
        let mut until: Option<SimTime> = None;
        for (since, client) in etcds.iter() {
            if *since <= now {
                ports.extend_from_slice(client);
                from = from.max(*since);
            } else {
                until = Some(until.map_or(*since, |u| u.min(*since)));
            }
        }
        ports.sort_unstable();
        ports.dedup();
        self.span = Some((from, until));
    }
}
