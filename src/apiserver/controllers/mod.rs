//! kube-controller-manager's controllers, each a function (or a small struct when the real
//! controller keeps memory) that reads and writes only through the API server.
//!
//! Mirrors (v1.34) `pkg/controller/controller_utils.go` for what they share: `PodControl`
//! (`CreatePods` with the `SuccessfulCreate`/`FailedCreate` events, `DeletePod` with
//! `SuccessfulDelete`), `GetPodFromTemplate` (`generateName: <owner>-`, the template's labels,
//! annotations and finalizers, a controller owner reference) and pod adoption
//! (`ClaimPods`: orphans matching the selector get an owner reference).
//!
//! Simplifications: controllers run one after another on the control plane's one-second grid
//! when what they read changed (see `controlplane.rs`), instead of each reacting to its own
//! watch events at once, so there are no expectations and no work queues.

pub mod daemonset;
pub mod deployment;
pub mod endpoints;
pub mod endpointslice;
pub mod garbage;
pub mod namespace;
pub mod node_lifecycle;
pub mod replicaset;
pub mod root_ca;
pub mod serviceaccount;
pub mod taint_eviction;
pub mod volume_binder;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use crate::apiserver::admission::{create_pod, PodStrategy, Requester};
use crate::apiserver::deletion::{delete_pod, DeleteOptions};
use crate::apiserver::events::{record_event, EventSource, EventType, NewEvent};
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// What every controller step needs: the time, the generator, the API and pod strategy.
pub(crate) struct Ctx<'a> {
    /// The current virtual time.
    pub now: SimTime,
    /// The simulation's generator (names, uids, event names).
    pub rng: &'a mut Rng,
    /// The API server.
    pub api: &'a mut ApiServer,
    /// Defaulting and validation for the pods controllers create.
    pub strategy: &'a PodStrategy,
}

impl Ctx<'_> {
    /// Records an event from `component`; errors are dropped, as client-go's recorder does.
    pub fn event(
        &mut self,
        component: &str,
        involved: &corev1::ObjectReference,
        event_type: EventType,
        reason: &str,
        message: &str,
    ) {
        let source = EventSource {
            component,
            host: "",
        };
        let event = NewEvent {
            involved,
            event_type,
            reason,
            message,
        };
        let _ = record_event(self.now, self.rng, self.api, &source, &event);
    }

    /// `PodControl.CreatePods`: creates `pod` through admission and records `SuccessfulCreate`
    /// or `FailedCreate` on `owner`. `Ok(None)` means the API refused it (already recorded).
    pub fn create_pod(
        &mut self,
        component: &str,
        owner: &corev1::ObjectReference,
        pod: &corev1::Pod,
    ) -> Result<Option<corev1::Pod>, ApiError> {
        let result = create_pod(
            self.now,
            self.rng,
            self.api,
            self.strategy,
            Requester::Controller(component),
            pod,
        );
        match result {
            Ok(created) => {
                let message = format!(
                    "Created pod: {}",
                    created.metadata.name.as_deref().unwrap_or_default()
                );
                self.event(
                    component,
                    owner,
                    EventType::Normal,
                    "SuccessfulCreate",
                    &message,
                );
                Ok(Some(created))
            }
            Err(err) if err.is_unreachable() => Err(err),
            Err(err) => {
                let message = format!("Error creating: {err}");
                self.event(
                    component,
                    owner,
                    EventType::Warning,
                    "FailedCreate",
                    &message,
                );
                Ok(None)
            }
        }
    }

    /// `PodControl.DeletePod`: deletes with the pod's own grace period and records
    /// `SuccessfulDelete` on `owner`. A pod already gone is not an error.
    pub fn delete_pod(
        &mut self,
        component: &str,
        owner: &corev1::ObjectReference,
        pod: &corev1::Pod,
    ) -> Result<(), ApiError> {
        let namespace = pod.metadata.namespace.clone().unwrap_or_default();
        let name = pod.metadata.name.clone().unwrap_or_default();
        match delete_pod(
            self.now,
            self.api,
            &namespace,
            &name,
            &DeleteOptions::default(),
        ) {
            Ok(_) => {
                let message = format!("Deleted pod: {name}");
                self.event(
                    component,
                    owner,
                    EventType::Normal,
                    "SuccessfulDelete",
                    &message,
                );
                Ok(())
            }
            Err(ApiError::NotFound { .. }) => Ok(()),
            Err(err) => Err(err),
        }
    }
}

/// `GetPodFromTemplate`: a pod to be named by the API server from `<owner>-`.
pub(crate) fn pod_from_template(
    template: &corev1::PodTemplateSpec,
    namespace: &str,
    owner_name: &str,
    owner: metav1::OwnerReference,
) -> corev1::Pod {
    let meta = template.metadata.clone().unwrap_or_default();
    corev1::Pod {
        metadata: metav1::ObjectMeta {
            generate_name: Some(format!("{owner_name}-")),
            namespace: Some(namespace.to_string()),
            labels: meta.labels,
            annotations: meta.annotations,
            finalizers: meta.finalizers,
            owner_references: Some(vec![owner]),
            ..Default::default()
        },
        spec: template.spec.clone(),
        status: None,
    }
}

/// Adopts orphans: objects of `resource` without a controller whose labels `matches`, not
/// being deleted, get `owner` as their controller reference. Returns the adopted objects.
pub(crate) fn adopt_orphans<T>(
    api: &mut ApiServer,
    resource: Resource,
    candidates: Vec<T>,
    owner: &metav1::OwnerReference,
    matches: impl Fn(&T) -> bool,
    meta: impl Fn(&mut T) -> &mut metav1::ObjectMeta,
) -> Result<Vec<T>, ApiError>
where
    T: serde::Serialize + crate::apiserver::store::Object,
{
    let mut adopted = Vec::new();
    for mut object in candidates {
        let m = meta(&mut object);
        if crate::apiserver::helpers::controller_of(m).is_some() || m.deletion_timestamp.is_some() {
            continue;
        }
        if !matches(&object) {
            continue;
        }
        meta(&mut object)
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(owner.clone());
        adopted.push(api.update(resource, &object)?);
    }
    Ok(adopted)
}
