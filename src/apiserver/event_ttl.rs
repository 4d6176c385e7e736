//! Event expiry (etcd's lease on every Event): an Event not updated for `EVENT_TTL` goes.
//!
//! The API server keeps, for each stored Event, the instant its TTL counts from (its
//! `lastTimestamp`, else its creation), ordered by that instant, and brings the index up to
//! date from the store's watch history. A pass then removes the expired prefix instead of
//! walking every Event, which matters because Events change several times a second while
//! pods crash-loop. Removal order is the store's (namespace, name), as a walk of the store
//! would give.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1 as corev1;
use serde::Deserialize;

use crate::apiserver::events::EVENT_TTL;
use crate::apiserver::helpers::sim_time;
use crate::apiserver::store::{Resource, WatchEventType};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::SimTime;

/// An Event's place in the store: (namespace, name).
type EventKey = (String, String);

/// The Events and the instants their TTLs count from.
#[derive(Debug, Clone, Default)]
pub struct EventTtl {
    /// The store revision the index reflects (`None`: never built).
    revision: Option<u64>,
    /// Each Event's instant.
    by_key: BTreeMap<EventKey, SimTime>,
    /// The same, oldest first.
    by_time: BTreeSet<(SimTime, EventKey)>,
}

impl EventTtl {
    /// Deletes the Events not updated for `EVENT_TTL`; returns how many, and when the oldest
    /// one left expires (`None` if there is none).
    pub fn expire(
        &mut self,
        now: SimTime,
        api: &mut ApiServer,
    ) -> Result<(usize, Option<SimTime>), ApiError> {
        api.check()?;
        self.catch_up(api)?;
        let mut due: Vec<EventKey> = self
            .by_time
            .iter()
            .take_while(|(last, _)| now.since(*last) >= EVENT_TTL)
            .map(|(_, key)| key.clone())
            .collect();
        due.sort();
        for key in &due {
            api.remove(Resource::Events, &key.0, &key.1)?;
            self.forget(key);
        }
        // What this pass removed is known; the history's record of it changes nothing. (After
        // a failed removal the revision stays behind and the next pass reads the deletions
        // that did happen from the history, which forgets them again, harmlessly.)
        self.revision = Some(api.store().revision());
        let next = self.by_time.first().map(|(last, _)| *last + EVENT_TTL);
        Ok((due.len(), next))
    }

    /// Applies the changes to Events since the index's revision, or rebuilds it from a list
    /// when it was never built or the history no longer reaches back that far.
    fn catch_up(&mut self, api: &ApiServer) -> Result<(), ApiError> {
        let store = api.store();
        let changes = self
            .revision
            .filter(|since| *since <= store.revision())
            .and_then(|since| store.changes_since(Resource::Events, since).ok());
        let Some(changes) = changes else {
            return self.rebuild(api);
        };
        let mut updates = Vec::with_capacity(changes.len());
        for change in changes {
            let key = (change.key.namespace.clone(), change.key.name.clone());
            match change.event_type {
                WatchEventType::Deleted => updates.push((key, None)),
                WatchEventType::Added | WatchEventType::Modified => {
                    // An Event that does not decode fails the pass as a list would.
                    match corev1::Event::deserialize(&*change.object) {
                        Ok(event) => updates.push((key, Some(counted_from(&event)))),
                        Err(_) => return self.rebuild(api),
                    }
                }
            }
        }
        for (key, last) in updates {
            self.forget(&key);
            if let Some(last) = last {
                self.remember(key, last);
            }
        }
        self.revision = Some(store.revision());
        Ok(())
    }

    /// The index from a list of every Event.
    fn rebuild(&mut self, api: &ApiServer) -> Result<(), ApiError> {
        let events = api.list_shared::<corev1::Event>(Resource::Events, None)?;
        self.by_key.clear();
        self.by_time.clear();
        for event in events {
            let key = (
                event.metadata.namespace.clone().unwrap_or_default(),
                event.metadata.name.clone().unwrap_or_default(),
            );
            self.remember(key, counted_from(&event));
        }
        self.revision = Some(api.store().revision());
        Ok(())
    }

    fn remember(&mut self, key: EventKey, last: SimTime) {
        self.by_time.insert((last, key.clone()));
        self.by_key.insert(key, last);
    }

    fn forget(&mut self, key: &EventKey) {
        if let Some(last) = self.by_key.remove(key) {
            self.by_time.remove(&(last, key.clone()));
        }
    }
}

/// The instant an Event's TTL counts from: its last occurrence, else its creation.
fn counted_from(event: &corev1::Event) -> SimTime {
    event
        .last_timestamp
        .as_ref()
        .or(event.metadata.creation_timestamp.as_ref())
        .map(sim_time)
        .unwrap_or(SimTime::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::events::{pod_reference, record_event, EventSource, EventType, NewEvent};
    use crate::apiserver::testutil::{api_with_namespaces, pod};

    const KUBELET: EventSource<'static> = EventSource {
        component: "kubelet",
        host: "node01",
    };

    fn mins(m: u64) -> SimTime {
        SimTime(m * 60_000)
    }

    #[test]
    fn a_repeated_event_lives_an_hour_from_its_last_occurrence() {
        let (mut api, mut rng) = api_with_namespaces();
        let web = pod("web");
        let involved = pod_reference(&web);
        let backoff = NewEvent {
            involved: &involved,
            event_type: EventType::Warning,
            reason: "BackOff",
            message: "Back-off restarting failed container web",
        };
        let mut ttl = EventTtl::default();
        record_event(mins(0), &mut rng, &mut api, &KUBELET, &backoff).unwrap();
        // The index is built before the event repeats, then follows the repeat.
        assert_eq!(ttl.expire(mins(1), &mut api), Ok((0, Some(mins(60)))));
        record_event(mins(30), &mut rng, &mut api, &KUBELET, &backoff).unwrap();
        assert_eq!(ttl.expire(mins(60), &mut api), Ok((0, Some(mins(90)))));
        assert_eq!(ttl.expire(mins(90), &mut api), Ok((1, None)));
        let left: Vec<corev1::Event> = api.list(Resource::Events, None).unwrap();
        assert!(left.is_empty());
    }

    #[test]
    fn a_deleted_event_is_forgotten_and_expired_ones_go_in_store_order() {
        let (mut api, mut rng) = api_with_namespaces();
        let mut ttl = EventTtl::default();
        let mut names = Vec::new();
        for (minute, name) in [(0, "b"), (1, "a"), (2, "c")] {
            let target = pod(name);
            let involved = pod_reference(&target);
            let ev = NewEvent {
                involved: &involved,
                event_type: EventType::Normal,
                reason: "Pulled",
                message: "Container image already present on machine",
            };
            names.push(record_event(mins(minute), &mut rng, &mut api, &KUBELET, &ev).unwrap());
            assert_eq!(ttl.expire(mins(minute), &mut api).unwrap().0, 0);
        }
        // The oldest one is deleted by hand: the next expiry is the second one's.
        api.remove(Resource::Events, "default", &names[0]).unwrap();
        assert_eq!(ttl.expire(mins(3), &mut api), Ok((0, Some(mins(61)))));
        let revision = api.store().revision();
        assert_eq!(ttl.expire(mins(62), &mut api), Ok((2, None)));
        // Both removals are the store's next two changes, in (namespace, name) order.
        let removed: Vec<String> = api
            .store()
            .changes_since(Resource::Events, revision)
            .unwrap()
            .iter()
            .map(|c| c.key.name.clone())
            .collect();
        let mut expected = names[1..].to_vec();
        expected.sort();
        assert_eq!(removed, expected);
    }
}
