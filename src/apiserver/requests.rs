//! The API server as a client outside the control plane reaches it (kubectl): create, update
//! and delete through the server's own entry points, so every write gets the admission,
//! defaulting and validation a real API server applies. It gives no access to the store.

use k8s_openapi::api::core::v1 as corev1;
use serde::Deserialize;
use serde_json::Value;

use crate::apiserver::admission::Requester;
use crate::apiserver::controlplane::ControlPlane;
use crate::apiserver::deletion::{delete_object, DeleteOptions, DeleteOutcome};
use crate::apiserver::registry::{create_object, update_object, update_pod};
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// A client's write requests, for one moment of the simulation.
pub struct Requests<'a> {
    api: &'a mut ApiServer,
    control: &'a ControlPlane,
    rng: &'a mut Rng,
    now: SimTime,
}

impl<'a> Requests<'a> {
    /// Requests against `api`, admitted by `control`, at `now`.
    pub fn new(
        api: &'a mut ApiServer,
        control: &'a ControlPlane,
        rng: &'a mut Rng,
        now: SimTime,
    ) -> Requests<'a> {
        Requests {
            api,
            control,
            rng,
            now,
        }
    }

    /// POST: a pod through admission (as the cluster admin), anything else through the
    /// registry. Returns the stored object.
    pub fn create(&mut self, resource: Resource, object: &Value) -> Result<Value, ApiError> {
        if resource == Resource::ComponentStatuses {
            self.api.check()?;
            return Err(ApiError::MethodNotAllowed);
        }
        if resource != Resource::Pods {
            return create_object(self.now, self.rng, self.api, resource, object);
        }
        let pod = corev1::Pod::deserialize(object).map_err(|e| ApiError::BadRequest {
            message: e.to_string(),
        })?;
        let stored =
            self.control
                .create_pod(self.now, self.rng, self.api, Requester::Admin, &pod)?;
        serde_json::to_value(stored).map_err(|e| ApiError::BadRequest {
            message: e.to_string(),
        })
    }

    /// PUT: a pod with `ValidatePodUpdate`, anything else through the registry.
    pub fn update(&mut self, resource: Resource, object: &Value) -> Result<Value, ApiError> {
        if resource == Resource::ComponentStatuses {
            self.api.check()?;
            return Err(ApiError::MethodNotAllowed);
        }
        if resource == Resource::Pods {
            update_pod(self.api, self.control.strategy(), object)
        } else {
            update_object(self.api, resource, object)
        }
    }

    /// DELETE.
    pub fn delete(
        &mut self,
        resource: Resource,
        namespace: &str,
        name: &str,
        options: &DeleteOptions,
    ) -> Result<DeleteOutcome, ApiError> {
        if resource == Resource::ComponentStatuses {
            self.api.check()?;
            return Err(ApiError::MethodNotAllowed);
        }
        delete_object(self.now, self.api, resource, namespace, name, options)
    }
}
