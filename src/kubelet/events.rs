//! Mirrors the kubelet's event recorder (`record.EventRecorder` as `pkg/kubelet` uses it): the
//! Kubernetes events `kubectl describe` shows, queued for the API server.
//!
//! Simplified: client-go's broadcaster retries a failed write a few times and then drops the
//! event; here an event is written at the next flush if the API server is serving, and dropped
//! after a minute otherwise.

use k8s_openapi::api::core::v1 as corev1;

use crate::kubelet::context::Ctx;
use crate::sim::trace::Event;
use crate::sim::{SimDuration, SimTime};

/// How long an unsent event is kept while the API server is unreachable.
pub const EVENT_RETENTION: SimDuration = SimDuration::from_secs(60);

/// The object an event is about (`ObjectReference`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvolvedObject {
    /// `Pod` or `Node`.
    pub kind: String,
    /// The namespace (empty for nodes).
    pub namespace: String,
    /// The name.
    pub name: String,
    /// The UID.
    pub uid: String,
    /// For container events: `spec.containers{web}`.
    pub field_path: String,
}

impl InvolvedObject {
    /// The pod itself.
    pub fn pod(pod: &corev1::Pod) -> InvolvedObject {
        InvolvedObject {
            kind: "Pod".into(),
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            uid: pod.metadata.uid.clone().unwrap_or_default(),
            field_path: String::new(),
        }
    }

    /// One container of the pod (`GenerateContainerRef`).
    pub fn container(pod: &corev1::Pod, container: &str) -> InvolvedObject {
        InvolvedObject {
            field_path: format!("spec.containers{{{container}}}"),
            ..InvolvedObject::pod(pod)
        }
    }

    /// A node.
    pub fn node(name: &str, uid: &str) -> InvolvedObject {
        InvolvedObject {
            kind: "Node".into(),
            namespace: String::new(),
            name: name.to_string(),
            uid: uid.to_string(),
            field_path: String::new(),
        }
    }
}

/// An event waiting to be written to the API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEvent {
    /// When it happened.
    pub at: SimTime,
    /// What it is about.
    pub object: InvolvedObject,
    /// `Normal` or `Warning`.
    pub event_type: &'static str,
    /// The reason.
    pub reason: String,
    /// The message.
    pub message: String,
}

/// The kubelet's event recorder.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    pending: Vec<PendingEvent>,
}

impl Recorder {
    /// Records an event (`Eventf`).
    pub fn eventf(
        &mut self,
        ctx: &mut Ctx<'_>,
        object: InvolvedObject,
        event_type: &'static str,
        reason: &str,
        message: impl Into<String>,
    ) {
        let message = message.into();
        ctx.record(Event::KubeEvent {
            object: format!("{}/{}", object.kind.to_lowercase(), object.name),
            event_type,
            reason: reason.to_string(),
            message: message.clone(),
        });
        self.pending.push(PendingEvent {
            at: ctx.now,
            object,
            event_type,
            reason: reason.to_string(),
            message,
        });
    }

    /// Takes the events to write now; events older than the retention are dropped.
    pub fn take(&mut self, now: SimTime) -> Vec<PendingEvent> {
        let mut out = std::mem::take(&mut self.pending);
        out.retain(|e| now.since(e.at) <= EVENT_RETENTION);
        out
    }

    /// Puts back events that could not be written.
    pub fn requeue(&mut self, events: Vec<PendingEvent>) {
        let mut events = events;
        events.append(&mut self.pending);
        self.pending = events;
    }

    /// Whether events wait to be written.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }
}
