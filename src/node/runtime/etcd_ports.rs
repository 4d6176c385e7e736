//! The client ports on which the node's etcds serve, as the node's processes see them
//! (`Surroundings::etcd_ports`), kept between calls.
//!
//! Every probe and every pass of the runtime asks for them, while the answer changes only when
//! a process starts, steps or ends, or when a running etcd starts serving. So the running
//! etcds are collected again only after the runtime says its processes may have changed
//! ([`EtcdPorts::forget`]), and the ports are worked out again only when time leaves the span
//! of instants over which no collected etcd starts serving.

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
    /// `running` yields each running etcd's first serving instant and client ports
    /// (`Component::etcd_client_ports`); it is walked only when the processes were forgotten.
    /// `ports` must hold what the previous call wrote.
    pub fn refresh<'a>(
        &mut self,
        now: SimTime,
        running: impl Iterator<Item = (SimTime, &'a [u16])>,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the runtime computed on every call before this cache: the ports of every etcd
    /// serving at `now`, sorted and deduplicated.
    fn collected(now: SimTime, etcds: &[(SimTime, Vec<u16>)]) -> Vec<u16> {
        let mut ports: Vec<u16> = etcds
            .iter()
            .filter(|(since, _)| *since <= now)
            .flat_map(|(_, p)| p.iter().copied())
            .collect();
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    #[test]
    fn ports_follow_each_etcd_s_serving_instant_and_a_forget() {
        let mut etcds = vec![
            (SimTime(5_000), vec![2379]),
            (SimTime(2_000), vec![2381, 2379]),
        ];
        let mut cache = EtcdPorts::default();
        let mut ports = Vec::new();
        // Time moves forwards and backwards across both serving instants.
        for at in [0, 1_999, 2_000, 4_999, 5_000, 9_000, 3_000, 0, 5_000] {
            let running = etcds.iter().map(|(t, p)| (*t, p.as_slice()));
            cache.refresh(SimTime(at), running, &mut ports);
            assert_eq!(ports, collected(SimTime(at), &etcds), "at {at}");
        }
        // Without a forget the running etcds are not collected again ...
        etcds.push((SimTime(1_000), vec![12379]));
        let running = etcds.iter().map(|(t, p)| (*t, p.as_slice()));
        cache.refresh(SimTime(6_000), running, &mut ports);
        assert_eq!(ports, vec![2379, 2381]);
        // ... and after one they are.
        cache.forget();
        let running = etcds.iter().map(|(t, p)| (*t, p.as_slice()));
        cache.refresh(SimTime(6_000), running, &mut ports);
        assert_eq!(ports, collected(SimTime(6_000), &etcds));
    }
}
