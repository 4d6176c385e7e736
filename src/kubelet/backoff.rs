//! Mirrors `k8s.io/client-go/util/flowcontrol/backoff.go`: per-key exponential back-off, as
//! the kubelet uses for crash-looping containers (10 s → 300 s) and image pulls.
//!
//! An entry expires (and the next back-off starts over) once the event time is more than
//! `expire_after` past the entry's last update; the kubelet sets that to 600 s for containers
//! (`HasExpiredFunc` in v1.33+), so a container that ran ten minutes restarts quickly again.

use std::collections::BTreeMap;

use crate::sim::{SimDuration, SimTime};

/// Initial container restart back-off (`containerBackOffPeriod`).
pub const CONTAINER_BACKOFF_INITIAL: SimDuration = SimDuration::from_secs(10);
/// Maximum container restart back-off (`MaxContainerBackOff`).
pub const CONTAINER_BACKOFF_MAX: SimDuration = SimDuration::from_secs(300);
/// Initial image pull back-off (`imageBackOffPeriod`).
pub const IMAGE_BACKOFF_INITIAL: SimDuration = SimDuration::from_secs(10);
/// Maximum image pull back-off (`MaxImageBackOff`).
pub const IMAGE_BACKOFF_MAX: SimDuration = SimDuration::from_secs(300);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    backoff: SimDuration,
    last_update: SimTime,
}

/// Back-off entries by key.
#[derive(Debug, Clone)]
pub struct Backoff {
    initial: SimDuration,
    max: SimDuration,
    expire_after: SimDuration,
    entries: BTreeMap<String, Entry>,
}

impl Backoff {
    /// A back-off starting at `initial`, doubling to `max`; entries expire after twice `max`
    /// unless `expire_after` says otherwise.
    pub fn new(initial: SimDuration, max: SimDuration, expire_after: SimDuration) -> Backoff {
        Backoff {
            initial,
            max,
            expire_after,
            entries: BTreeMap::new(),
        }
    }

    /// The kubelet's container restart back-off.
    pub fn containers() -> Backoff {
        Backoff::new(
            CONTAINER_BACKOFF_INITIAL,
            CONTAINER_BACKOFF_MAX,
            SimDuration::from_secs(600),
        )
    }

    /// The kubelet's image pull back-off.
    pub fn images() -> Backoff {
        Backoff::new(
            IMAGE_BACKOFF_INITIAL,
            IMAGE_BACKOFF_MAX,
            IMAGE_BACKOFF_MAX + IMAGE_BACKOFF_MAX,
        )
    }

    /// The current back-off for `key` (zero without an entry).
    pub fn get(&self, key: &str) -> SimDuration {
        self.entries
            .get(key)
            .map(|e| e.backoff)
            .unwrap_or(SimDuration::ZERO)
    }

    fn expired(&self, entry: &Entry, event_time: SimTime) -> bool {
        event_time.since(entry.last_update) > self.expire_after
    }

    /// Moves `key` to its next back-off (`Next`): the initial value for a new or expired entry,
    /// else double, capped at the maximum.
    pub fn next(&mut self, key: &str, event_time: SimTime) {
        let backoff = match self.entries.get(key) {
            Some(entry) if !self.expired(entry, event_time) => {
                (entry.backoff + entry.backoff).min(self.max)
            }
            _ => self.initial,
        };
        self.entries.insert(
            key.to_string(),
            Entry {
                backoff,
                last_update: event_time,
            },
        );
    }

    /// `IsInBackOffSince`: whether `now` is still inside the back-off window that started at
    /// `event_time` (for containers, the last exit).
    pub fn is_in_backoff_since(&self, key: &str, event_time: SimTime, now: SimTime) -> bool {
        let Some(entry) = self.entries.get(key) else {
            return false;
        };
        if self.expired(entry, now) {
            return false;
        }
        now.since(event_time) < entry.backoff
    }

    /// `IsInBackOffSinceUpdate`: whether `now` is within the back-off of the last update.
    pub fn is_in_backoff_since_update(&self, key: &str, now: SimTime) -> bool {
        let Some(entry) = self.entries.get(key) else {
            return false;
        };
        if self.expired(entry, now) {
            return false;
        }
        now.since(entry.last_update) < entry.backoff
    }

    /// When the window that started at `event_time` ends, if `key` backs off.
    pub fn window_end(&self, key: &str, event_time: SimTime) -> Option<SimTime> {
        self.entries.get(key).map(|e| event_time + e.backoff)
    }

    /// The event time `key` last moved on at, if it has an entry.
    pub fn last_update(&self, key: &str) -> Option<SimTime> {
        self.entries.get(key).map(|e| e.last_update)
    }

    /// Forgets `key` (`Reset`).
    pub fn reset(&mut self, key: &str) {
        self.entries.remove(key);
    }

    /// Drops expired entries (`GC`, run by housekeeping).
    pub fn gc(&mut self, now: SimTime) {
        let expire_after = self.expire_after;
        self.entries
            .retain(|_, e| now.since(e.last_update) <= expire_after);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1000;

    #[test]
    fn doubles_to_the_cap() {
        let mut b = Backoff::containers();
        let mut seen = Vec::new();
        for i in 0..8 {
            b.next("k", SimTime(i * 1000 * S / 1000));
            seen.push(b.get("k").as_millis() / S);
        }
        assert_eq!(seen, [10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn window_and_expiry() {
        let mut b = Backoff::containers();
        b.next("k", SimTime(0));
        assert!(b.is_in_backoff_since("k", SimTime(0), SimTime(9 * S)));
        assert!(!b.is_in_backoff_since("k", SimTime(0), SimTime(10 * S)));
        b.next("k", SimTime(11 * S));
        assert_eq!(b.get("k"), SimDuration::from_secs(20));
        // Ten minutes later the entry has expired: the next back-off starts over.
        b.next("k", SimTime(11 * S + 601 * S));
        assert_eq!(b.get("k"), SimDuration::from_secs(10));
        b.gc(SimTime(10_000 * S));
        assert_eq!(b.get("k"), SimDuration::ZERO);
    }
}
