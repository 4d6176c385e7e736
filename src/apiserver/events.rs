//! The core/v1 Events API as the components use it: recording with the event broadcaster's
//! correlation (deduplication and aggregation) and the API server's event TTL.
//!
//! Mirrors (v1.34): `staging/src/k8s.io/client-go/tools/record/event.go` (`makeEvent`: name
//! `<object>.<hex nanoseconds>`, namespace `default` for cluster-scoped objects,
//! `reportingComponent`/`reportingInstance` from the source) and
//! `staging/src/k8s.io/client-go/tools/record/events_cache.go` (`EventCorrelator`:
//! `getEventKey`, `EventAggregatorByReasonFunc`, `eventLogger.eventObserve`); the TTL is
//! kube-apiserver's `--event-ttl=1h`.
//!
//! Simplifications:
//! - Upstream correlates in each client's memory (an LRU per process). We correlate against the
//!   events already stored, so a restarted component keeps bumping its old events instead of
//!   starting new ones. Everything else follows the cache: an identical event (same source,
//!   involved object, type, reason and message) bumps `count` and `lastTimestamp` of the stored
//!   one; from the tenth distinct message with the same source/object/type/reason within ten
//!   minutes, the event becomes `(combined from similar events): <message>`.
//! - The spam filter (token bucket per source and object) is not modelled.
//! - Events are refused (like any create) in a namespace that does not exist or is terminating;
//!   recorders ignore that error, as client-go does.

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use crate::apiserver::event_index::AggregateKey;
use crate::apiserver::helpers::{sim_time, time};
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimDuration, SimTime};

/// How long an event lives after its last update (`--event-ttl`).
pub const EVENT_TTL: SimDuration = SimDuration::from_mins(60);
/// The aggregation window (`defaultAggregateIntervalInSeconds`).
pub const AGGREGATE_INTERVAL: SimDuration = SimDuration::from_mins(10);
/// Distinct messages tolerated before aggregation (`defaultAggregateMaxEvents`).
pub const AGGREGATE_MAX_EVENTS: usize = 10;
/// The prefix of aggregated messages.
pub const AGGREGATE_PREFIX: &str = "(combined from similar events): ";

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    /// Routine.
    Normal,
    /// Something the user should look at.
    Warning,
}

impl EventType {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// Who reports: `source.component` (kubectl's FROM column) and `source.host`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSource<'a> {
    /// E.g. `default-scheduler`, `replicaset-controller`, `kubelet`.
    pub component: &'a str,
    /// The node for kubelet events, empty for control-plane components.
    pub host: &'a str,
}

/// What happened, to which object.
#[derive(Debug, Clone, Copy)]
pub struct NewEvent<'a> {
    /// The involved object (`kubectl describe` lists events by it).
    pub involved: &'a corev1::ObjectReference,
    /// Normal or Warning.
    pub event_type: EventType,
    /// A CamelCase reason, e.g. `Scheduled`.
    pub reason: &'a str,
    /// The human-readable message.
    pub message: &'a str,
}

/// An `ObjectReference` to the object with `meta` (what `ref.GetReference` builds).
pub fn object_reference(
    kind: &str,
    api_version: &str,
    meta: &metav1::ObjectMeta,
) -> corev1::ObjectReference {
    corev1::ObjectReference {
        kind: Some(kind.to_string()),
        api_version: Some(api_version.to_string()),
        namespace: meta.namespace.clone().filter(|ns| !ns.is_empty()),
        name: meta.name.clone(),
        uid: meta.uid.clone(),
        resource_version: meta.resource_version.clone(),
        field_path: None,
    }
}

/// An `ObjectReference` to a pod.
pub fn pod_reference(pod: &corev1::Pod) -> corev1::ObjectReference {
    object_reference("Pod", "v1", &pod.metadata)
}

/// Records an event, bumping or aggregating a matching stored one; returns the event's name.
pub fn record_event(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    source: &EventSource<'_>,
    event: &NewEvent<'_>,
) -> Result<String, ApiError> {
    api.check()?;
    let involved = event.involved;
    let namespace = involved
        .namespace
        .clone()
        .filter(|ns| !ns.is_empty())
        .unwrap_or_else(|| "default".to_string());
    crate::apiserver::admission::check_namespace_for_create(
        api,
        Resource::Events,
        involved.name.as_deref().unwrap_or_default(),
        &namespace,
    )?;
    // Only the events with the same aggregate key can correlate with this one; the store
    // indexes them by that key (a hash: each event's own key is still compared), message and
    // field path, so this looks at a handful of events however many the object has.
    let wanted = aggregate_key_of(source, event);
    let (aggregated, existing) = {
        let store = api.store();
        let by_message = store.events_like(&namespace, &wanted);
        let get = |key: &ObjectKey| store.get_shared::<corev1::Event>(key);
        let is_similar = |e: &corev1::Event| {
            aggregate_key(e) == wanted
                && e.last_timestamp
                    .as_ref()
                    .is_some_and(|t| now.since(sim_time(t)) <= AGGREGATE_INTERVAL)
        };
        // The distinct messages of similar events, the new one included.
        let mut messages: Vec<&str> = vec![event.message];
        for (message, by_path) in by_message.into_iter().flatten() {
            if message.starts_with(AGGREGATE_PREFIX) || message == event.message {
                continue;
            }
            for key in by_path.values().flatten() {
                let Some(e) = get(key)? else { continue };
                if e.message.as_deref() == Some(message.as_str()) && is_similar(&e) {
                    messages.push(message);
                    break;
                }
            }
        }
        let aggregated = messages.len() >= AGGREGATE_MAX_EVENTS;
        // The event to bump: the aggregate one, or the one with this exact key; the first
        // by name if there are several.
        let candidates: std::collections::BTreeSet<&ObjectKey> = match by_message {
            Some(by_message) if aggregated => by_message
                .range::<str, _>((
                    std::ops::Bound::Included(AGGREGATE_PREFIX),
                    std::ops::Bound::Unbounded,
                ))
                .take_while(|(m, _)| m.starts_with(AGGREGATE_PREFIX))
                .flat_map(|(_, by_path)| by_path.values().flatten())
                .collect(),
            Some(by_message) => by_message
                .get(event.message)
                .and_then(|by_path| {
                    by_path.get(event.involved.field_path.as_deref().unwrap_or_default())
                })
                .into_iter()
                .flatten()
                .collect(),
            None => Default::default(),
        };
        let mut existing = None;
        for key in candidates {
            let Some(e) = get(key)? else { continue };
            let matches = if aggregated {
                aggregate_key(&e) == wanted
                    && e.message
                        .as_deref()
                        .is_some_and(|m| m.starts_with(AGGREGATE_PREFIX))
            } else {
                event_key(&e) == event_key_of(source, event)
            };
            if matches {
                existing = Some(e);
                break;
            }
        }
        (aggregated, existing)
    };
    let message = if aggregated {
        format!("{AGGREGATE_PREFIX}{}", event.message)
    } else {
        event.message.to_string()
    };

    if let Some(existing) = existing {
        let mut existing = corev1::Event::clone(&existing);
        existing.count = Some(existing.count.unwrap_or(1) + 1);
        existing.last_timestamp = Some(time(now));
        existing.message = Some(message);
        let name = existing.metadata.name.clone().unwrap_or_default();
        api.update(Resource::Events, &existing)?;
        return Ok(name);
    }

    let object_name = involved.name.clone().unwrap_or_default();
    // A random sub-millisecond offset stands for the time the component took to get here;
    // the API server's counter keeps names in the order the events were made.
    let jitter = rng.below(1_000_000);
    let mut nanos = api.event_nanos(now.wall_millis() as u64 * 1_000_000 + jitter);
    let mut name = format!("{object_name}.{nanos:x}");
    while api
        .store()
        .get_value(&ObjectKey::new(Resource::Events, &namespace, &name))
        .is_some()
    {
        nanos += 1;
        name = format!("{object_name}.{nanos:x}");
    }
    let new = corev1::Event {
        metadata: metav1::ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(namespace),
            ..Default::default()
        },
        involved_object: involved.clone(),
        reason: Some(event.reason.to_string()),
        message: Some(message),
        source: Some(corev1::EventSource {
            component: Some(source.component.to_string()).filter(|s| !s.is_empty()),
            host: Some(source.host.to_string()).filter(|s| !s.is_empty()),
        }),
        first_timestamp: Some(time(now)),
        last_timestamp: Some(time(now)),
        count: Some(1),
        type_: Some(event.event_type.as_str().to_string()),
        reporting_component: Some(source.component.to_string()),
        reporting_instance: Some(source.host.to_string()),
        ..Default::default()
    };
    api.create(now, rng, Resource::Events, &new)?;
    Ok(name)
}

/// Source, involved object (without field path), type and reason: `EventAggregatorByReasonFunc`.
fn aggregate_key(e: &corev1::Event) -> AggregateKey<'_> {
    let source = e.source.as_ref();
    let o = &e.involved_object;
    [
        source
            .and_then(|s| s.component.as_deref())
            .unwrap_or_default(),
        source.and_then(|s| s.host.as_deref()).unwrap_or_default(),
        o.kind.as_deref().unwrap_or_default(),
        o.namespace.as_deref().unwrap_or_default(),
        o.name.as_deref().unwrap_or_default(),
        o.uid.as_deref().unwrap_or_default(),
        o.api_version.as_deref().unwrap_or_default(),
        e.type_.as_deref().unwrap_or_default(),
        e.reason.as_deref().unwrap_or_default(),
    ]
}

fn aggregate_key_of<'a>(source: &EventSource<'a>, event: &NewEvent<'a>) -> AggregateKey<'a> {
    let o = event.involved;
    [
        source.component,
        source.host,
        o.kind.as_deref().unwrap_or_default(),
        o.namespace.as_deref().unwrap_or_default(),
        o.name.as_deref().unwrap_or_default(),
        o.uid.as_deref().unwrap_or_default(),
        o.api_version.as_deref().unwrap_or_default(),
        event.event_type.as_str(),
        event.reason,
    ]
}

/// The aggregate key plus field path and message: `getEventKey`.
fn event_key(e: &corev1::Event) -> ([&str; 9], &str, &str) {
    (
        aggregate_key(e),
        e.involved_object.field_path.as_deref().unwrap_or_default(),
        e.message.as_deref().unwrap_or_default(),
    )
}

fn event_key_of<'a>(
    source: &EventSource<'a>,
    event: &NewEvent<'a>,
) -> ([&'a str; 9], &'a str, &'a str) {
    (
        aggregate_key_of(source, event),
        event.involved.field_path.as_deref().unwrap_or_default(),
        event.message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::testutil::{api_with_namespaces, pod};

    const SCHEDULER: EventSource<'static> = EventSource {
        component: "default-scheduler",
        host: "",
    };

    fn events(api: &ApiServer) -> Vec<corev1::Event> {
        api.list(Resource::Events, None).unwrap()
    }

    #[test]
    fn identical_events_bump_the_count() {
        let (mut api, mut rng) = api_with_namespaces();
        let web = pod("web");
        let involved = pod_reference(&web);
        let ev = NewEvent {
            involved: &involved,
            event_type: EventType::Warning,
            reason: "FailedScheduling",
            message: "0/2 nodes are available",
        };
        let first = record_event(SimTime(1_000), &mut rng, &mut api, &SCHEDULER, &ev).unwrap();
        assert!(first.starts_with("web."));
        assert_eq!(first.len(), "web.".len() + 16);
        let second = record_event(SimTime(61_000), &mut rng, &mut api, &SCHEDULER, &ev).unwrap();
        assert_eq!(first, second);
        let stored = events(&api);
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].count, Some(2));
        assert_eq!(
            serde_json::to_value(&stored[0].first_timestamp).unwrap(),
            "2026-11-22T08:00:01Z"
        );
        assert_eq!(
            serde_json::to_value(&stored[0].last_timestamp).unwrap(),
            "2026-11-22T08:01:01Z"
        );
        assert_eq!(stored[0].metadata.namespace.as_deref(), Some("default"));

        let other = NewEvent {
            message: "something else",
            ..ev
        };
        record_event(SimTime(62_000), &mut rng, &mut api, &SCHEDULER, &other).unwrap();
        assert_eq!(events(&api).len(), 2);
    }

    #[test]
    fn names_at_one_instant_sort_in_the_order_events_were_made() {
        let (mut api, mut rng) = api_with_namespaces();
        let web = pod("web");
        let involved = pod_reference(&web);
        let mut names = Vec::new();
        for reason in ["Pulling", "Pulled", "Created", "Started"] {
            let ev = NewEvent {
                involved: &involved,
                event_type: EventType::Normal,
                reason,
                message: reason,
            };
            names.push(record_event(SimTime(5_000), &mut rng, &mut api, &SCHEDULER, &ev).unwrap());
        }
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let reasons: Vec<_> = events(&api)
            .into_iter()
            .map(|e| e.reason.unwrap())
            .collect();
        assert_eq!(reasons, ["Pulling", "Pulled", "Created", "Started"]);
    }

    #[test]
    fn many_distinct_messages_are_combined() {
        let (mut api, mut rng) = api_with_namespaces();
        let web = pod("web");
        let involved = pod_reference(&web);
        for i in 0..12 {
            let message = format!("attempt {i}");
            let ev = NewEvent {
                involved: &involved,
                event_type: EventType::Warning,
                reason: "BackOff",
                message: &message,
            };
            record_event(SimTime(1000 * i), &mut rng, &mut api, &SCHEDULER, &ev).unwrap();
        }
        let stored = events(&api);
        assert_eq!(stored.len(), 10);
        let combined: Vec<_> = stored
            .iter()
            .filter(|e| e.message.as_deref().unwrap().starts_with(AGGREGATE_PREFIX))
            .collect();
        assert_eq!(combined.len(), 1);
        assert_eq!(combined[0].count, Some(3));
        assert_eq!(
            combined[0].message.as_deref(),
            Some("(combined from similar events): attempt 11")
        );
    }

    #[test]
    fn events_expire_after_an_hour() {
        let (mut api, mut rng) = api_with_namespaces();
        let node = corev1::Node {
            metadata: metav1::ObjectMeta {
                name: Some("node01".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let involved = object_reference("Node", "v1", &node.metadata);
        let ev = NewEvent {
            involved: &involved,
            event_type: EventType::Normal,
            reason: "NodeNotReady",
            message: "Node node01 status is now: NodeNotReady",
        };
        record_event(SimTime(0), &mut rng, &mut api, &SCHEDULER, &ev).unwrap();
        assert_eq!(
            events(&api)[0].metadata.namespace.as_deref(),
            Some("default")
        );
        let mut ttl = crate::apiserver::event_ttl::EventTtl::default();
        assert_eq!(
            ttl.expire(SimTime(3_599_000), &mut api),
            Ok((0, Some(SimTime(3_600_000))))
        );
        assert_eq!(ttl.expire(SimTime(3_600_000), &mut api), Ok((1, None)));
        assert!(events(&api).is_empty());
    }
}
