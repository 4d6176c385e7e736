//! The emulated kube-apiserver's request handling: availability, object metadata on create,
//! and errors worded as the real API server words them.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::{Object, ObjectKey, Resource, Store, Undecodable};
use crate::sim::wallclock::rfc3339;
use crate::sim::{Rng, SimTime};

/// Where clients reach the API server (kubeadm's default for the control-plane node).
pub const API_SERVER_HOST: &str = "controlplane";
/// The API server's port.
pub const API_SERVER_PORT: u16 = 6443;

/// A failed API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// Nothing is listening: the API server (or etcd behind it) is not running.
    Unreachable {
        /// The address dialled, e.g. `172.30.1.2:6443`.
        address: String,
    },
    /// 404.
    NotFound {
        /// The resource, e.g. `pods`.
        resource: Resource,
        /// The object's name.
        name: String,
    },
    /// 409 on create.
    AlreadyExists {
        /// The resource.
        resource: Resource,
        /// The object's name.
        name: String,
    },
    /// 409 on a precondition or version mismatch.
    Conflict {
        /// The resource.
        resource: Resource,
        /// The object's name.
        name: String,
        /// Why.
        message: String,
    },
    /// 422: the object failed validation.
    Invalid {
        /// The kind, e.g. `Pod`.
        kind: &'static str,
        /// The object's name.
        name: String,
        /// The full message, e.g. `Pod "x" is invalid: ...`.
        message: String,
    },
    /// 403: admission refused it.
    Forbidden {
        /// The full message.
        message: String,
    },
    /// 400.
    BadRequest {
        /// The full message.
        message: String,
    },
    /// 405: the resource does not serve this verb (ComponentStatus is read-only).
    MethodNotAllowed,
    /// 500 with no reason: the server failed on its own side, e.g. a stored object that does
    /// not decode (kubectl prints `Error from server: <message>`).
    Internal {
        /// The full message.
        message: String,
    },
}

impl ApiError {
    /// The reason kubectl prints in `Error from server (<reason>)`.
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::Unreachable { .. } => "ServiceUnavailable",
            ApiError::NotFound { .. } => "NotFound",
            ApiError::AlreadyExists { .. } => "AlreadyExists",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::Invalid { .. } => "Invalid",
            ApiError::Forbidden { .. } => "Forbidden",
            ApiError::BadRequest { .. } => "BadRequest",
            ApiError::MethodNotAllowed => "MethodNotAllowed",
            // `metav1.StatusReasonUnknown`.
            ApiError::Internal { .. } => "",
        }
    }

    /// Whether the request never reached the server.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ApiError::Unreachable { .. })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Unreachable { address } => {
                write!(f, "dial tcp {address}: connect: connection refused")
            }
            ApiError::NotFound { resource, name } => {
                write!(f, "{} \"{name}\" not found", resource.qualified())
            }
            ApiError::AlreadyExists { resource, name } => {
                write!(f, "{} \"{name}\" already exists", resource.qualified())
            }
            ApiError::Conflict {
                resource,
                name,
                message,
            } => write!(
                f,
                "Operation cannot be fulfilled on {} \"{name}\": {message}",
                resource.qualified()
            ),
            ApiError::MethodNotAllowed => {
                f.write_str("the server does not allow this method on the requested resource")
            }
            ApiError::Invalid { message, .. }
            | ApiError::Forbidden { message }
            | ApiError::BadRequest { message }
            | ApiError::Internal { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for ApiError {}

impl From<Undecodable> for ApiError {
    /// A corrupt stored object fails the request with a 500 carrying the decoder's message,
    /// as an undecodable etcd value does. Simplified: the message is serde's wording, not
    /// Go's JSON decoder's.
    fn from(err: Undecodable) -> ApiError {
        ApiError::Internal { message: err.error }
    }
}

/// The API server: a store plus whether it is serving.
#[derive(Debug, Clone)]
pub struct ApiServer {
    store: Store,
    serving: bool,
    address: String,
    /// The Unix nanoseconds in the newest event name: see [`ApiServer::event_nanos`].
    last_event_nanos: u64,
    /// Set while a client whose kubeconfig points elsewhere runs: the address it dials,
    /// where nothing answers.
    misdialled: Option<String>,
}

impl ApiServer {
    /// A serving API server reached at `address` (`ip:port`), with an empty store.
    pub fn new(address: &str) -> ApiServer {
        ApiServer {
            store: Store::default(),
            serving: true,
            address: address.to_string(),
            last_event_nanos: 0,
            misdialled: None,
        }
    }

    /// While `Some(address)`, every request fails as a dial to `address` that is refused:
    /// the cluster sets it around a step of a kubelet whose kubeconfig names another server.
    pub fn set_misdialled(&mut self, address: Option<String>) {
        self.misdialled = address;
    }

    /// The nanoseconds for a new event's name, never below `wanted` and always after the
    /// previous event's. Upstream each recorder names an event by its clock's `UnixNano()`
    /// when the event is made, so events of one pod sort by name in the order they happened;
    /// several events at one virtual instant must keep that order here too.
    pub fn event_nanos(&mut self, wanted: u64) -> u64 {
        let nanos = wanted.max(self.last_event_nanos + 1);
        self.last_event_nanos = nanos;
        nanos
    }

    /// Whether requests are answered right now.
    pub fn serving(&self) -> bool {
        self.serving
    }

    /// Starts or stops answering (the cluster calls this as the static pods come and go).
    pub fn set_serving(&mut self, serving: bool) {
        self.serving = serving;
    }

    /// The `ip:port` clients dial.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Fails with `Unreachable` unless serving.
    pub fn check(&self) -> Result<(), ApiError> {
        if let Some(address) = &self.misdialled {
            return Err(ApiError::Unreachable {
                address: address.clone(),
            });
        }
        if self.serving {
            return Ok(());
        }
        Err(ApiError::Unreachable {
            address: self.address.clone(),
        })
    }

    /// The store, for reading without the availability check (the cluster's own wiring).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, for the control plane's own writes.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// GET one object.
    pub fn get<T: Object>(
        &self,
        resource: Resource,
        namespace: &str,
        name: &str,
    ) -> Result<T, ApiError> {
        self.check()?;
        let key = ObjectKey::new(resource, namespace, name);
        self.store.get(&key)?.ok_or_else(|| ApiError::NotFound {
            resource,
            name: name.to_string(),
        })
    }

    /// GET one object shared with the store instead of copied (for readers that only look).
    pub fn get_shared<T: Object>(
        &self,
        resource: Resource,
        namespace: &str,
        name: &str,
    ) -> Result<Arc<T>, ApiError> {
        self.check()?;
        let key = ObjectKey::new(resource, namespace, name);
        self.store
            .get_shared(&key)?
            .ok_or_else(|| ApiError::NotFound {
                resource,
                name: name.to_string(),
            })
    }

    /// GET one object as JSON (what kubectl reads). Like every read, the server decodes the
    /// stored object as its kind first; one that does not decode fails with a 500.
    pub fn get_value(
        &self,
        resource: Resource,
        namespace: &str,
        name: &str,
    ) -> Result<Value, ApiError> {
        self.check()?;
        let key = ObjectKey::new(resource, namespace, name);
        let Some(value) = self.store.get_value(&key) else {
            return Err(ApiError::NotFound {
                resource,
                name: name.to_string(),
            });
        };
        decodes_as_kind(&self.store, &key)?;
        Ok(value.clone())
    }

    /// LIST objects as JSON; one stored object that does not decode as its kind fails the
    /// whole list with a 500, as a LIST from etcd does.
    pub fn list_values(
        &self,
        resource: Resource,
        namespace: Option<&str>,
    ) -> Result<Vec<Value>, ApiError> {
        self.check()?;
        decode_all_as_kind(&self.store, resource, namespace)?;
        Ok(self
            .store
            .list_values(resource, namespace)
            .into_iter()
            .cloned()
            .collect())
    }

    /// LIST objects (all namespaces when `namespace` is `None`).
    pub fn list<T: Object>(
        &self,
        resource: Resource,
        namespace: Option<&str>,
    ) -> Result<Vec<T>, ApiError> {
        self.check()?;
        Ok(self.store.list(resource, namespace)?)
    }

    /// LIST objects shared with the store instead of copied (for readers that only look).
    pub fn list_shared<T: Object>(
        &self,
        resource: Resource,
        namespace: Option<&str>,
    ) -> Result<Vec<Arc<T>>, ApiError> {
        self.check()?;
        Ok(self.store.list_shared(resource, namespace)?)
    }

    /// LIST objects lent to `read` instead of copied ([`Store::with_list`]): for readers that
    /// only look at a few of many.
    pub fn with_list<T: Object, R>(
        &self,
        resource: Resource,
        namespace: Option<&str>,
        read: impl FnOnce(&[Arc<T>]) -> R,
    ) -> Result<R, ApiError> {
        self.check()?;
        Ok(self.store.with_list(resource, namespace, read)?)
    }

    /// POST: stores a new object, filling in what the API server assigns (uid,
    /// creationTimestamp, the namespace default, a generated name from `generateName`).
    pub fn create<T: Serialize + Object>(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        resource: Resource,
        object: &T,
    ) -> Result<T, ApiError> {
        self.check()?;
        let mut value = serde_json::to_value(object).map_err(|e| ApiError::BadRequest {
            message: e.to_string(),
        })?;
        let key = prepare_create(&mut value, now, rng, resource)?;
        if self.store.get_value(&key).is_some() {
            return Err(ApiError::AlreadyExists {
                resource,
                name: key.name,
            });
        }
        self.store_and_read_back(key, value)
    }

    /// Stores `value` at `key` and returns it as `T`, decoded once into the store's cache. A
    /// value that does not decode as `T` is refused before it is stored, so no write leaves an
    /// object that later reads would fail on.
    fn store_and_read_back<T: Object>(
        &mut self,
        key: ObjectKey,
        mut value: Value,
    ) -> Result<T, ApiError> {
        // The usual case: decoded once, stamped, and kept for readers.
        if let Some((typed, _)) = self.store.put_decoded::<T>(key.clone(), &mut value) {
            return Ok(T::clone(&typed));
        }
        if let Err(err) = T::deserialize(&value) {
            return Err(ApiError::BadRequest {
                message: err.to_string(),
            });
        }
        self.store.put_shared(key.clone(), value);
        self.store
            .get::<T>(&key)?
            .ok_or_else(|| ApiError::NotFound {
                resource: key.resource,
                name: key.name.clone(),
            })
    }

    /// PUT: replaces an existing object.
    pub fn update<T: Serialize + Object>(
        &mut self,
        resource: Resource,
        object: &T,
    ) -> Result<T, ApiError> {
        self.check()?;
        let value = serde_json::to_value(object).map_err(|e| ApiError::BadRequest {
            message: e.to_string(),
        })?;
        let (namespace, name) = meta_names(&value);
        let key = ObjectKey::new(resource, &namespace, &name);
        if self.store.get_value(&key).is_none() {
            return Err(ApiError::NotFound { resource, name });
        }
        self.store_and_read_back(key, value)
    }

    /// PUT on the `status` subresource: replaces only `status`. With `uid`, the object must
    /// still have that UID (it may have been deleted and recreated since).
    pub fn update_status(
        &mut self,
        resource: Resource,
        namespace: &str,
        name: &str,
        uid: Option<&str>,
        status: Value,
    ) -> Result<(), ApiError> {
        self.check()?;
        let key = ObjectKey::new(resource, namespace, name);
        let Some(mut object) = self.store.get_value(&key).cloned() else {
            return Err(ApiError::NotFound {
                resource,
                name: name.to_string(),
            });
        };
        let current_uid = object
            .at("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if let Some(uid) = uid {
            if uid != current_uid {
                return Err(ApiError::Conflict {
                    resource,
                    name: name.to_string(),
                    message: format!(
                        "Precondition failed: UID in precondition: {uid}, UID in object meta: {current_uid}"
                    ),
                });
            }
        }
        if object.get("status") == Some(&status) {
            return Ok(());
        }
        if let Some(map) = object.as_object_mut() {
            map.insert("status".to_string(), status);
        }
        self.store.put_shared(key, object);
        Ok(())
    }

    /// DELETE without grace: the object disappears at once.
    pub fn remove(
        &mut self,
        resource: Resource,
        namespace: &str,
        name: &str,
    ) -> Result<Value, ApiError> {
        self.check()?;
        let key = ObjectKey::new(resource, namespace, name);
        self.store.remove(&key).ok_or_else(|| ApiError::NotFound {
            resource,
            name: name.to_string(),
        })
    }
}

/// Whether the object at `key` decodes as the typed form of its kind (decoded once per stored
/// version: the store caches it for the typed readers).
fn decodes_as_kind(store: &Store, key: &ObjectKey) -> Result<(), Undecodable> {
    use k8s_openapi::api::{
        apps::v1 as appsv1, coordination::v1 as coordinationv1, core::v1 as corev1,
        discovery::v1 as discoveryv1, rbac::v1 as rbacv1,
    };
    match key.resource {
        Resource::Pods => store.get_shared::<corev1::Pod>(key).map(drop),
        Resource::Nodes => store.get_shared::<corev1::Node>(key).map(drop),
        Resource::Namespaces => store.get_shared::<corev1::Namespace>(key).map(drop),
        Resource::Events => store.get_shared::<corev1::Event>(key).map(drop),
        Resource::ConfigMaps => store.get_shared::<corev1::ConfigMap>(key).map(drop),
        Resource::Secrets => store.get_shared::<corev1::Secret>(key).map(drop),
        Resource::Deployments => store.get_shared::<appsv1::Deployment>(key).map(drop),
        Resource::DaemonSets => store.get_shared::<appsv1::DaemonSet>(key).map(drop),
        Resource::ReplicaSets => store.get_shared::<appsv1::ReplicaSet>(key).map(drop),
        Resource::Services => store.get_shared::<corev1::Service>(key).map(drop),
        Resource::Endpoints => store.get_shared::<corev1::Endpoints>(key).map(drop),
        Resource::ServiceAccounts => store.get_shared::<corev1::ServiceAccount>(key).map(drop),
        Resource::PersistentVolumes => store.get_shared::<corev1::PersistentVolume>(key).map(drop),
        Resource::PersistentVolumeClaims => store
            .get_shared::<corev1::PersistentVolumeClaim>(key)
            .map(drop),
        Resource::ComponentStatuses => store.get_shared::<corev1::ComponentStatus>(key).map(drop),
        Resource::EndpointSlices => store
            .get_shared::<discoveryv1::EndpointSlice>(key)
            .map(drop),
        Resource::Leases => store.get_shared::<coordinationv1::Lease>(key).map(drop),
        Resource::Roles => store.get_shared::<rbacv1::Role>(key).map(drop),
        Resource::RoleBindings => store.get_shared::<rbacv1::RoleBinding>(key).map(drop),
        Resource::ClusterRoles => store.get_shared::<rbacv1::ClusterRole>(key).map(drop),
        Resource::ClusterRoleBindings => store
            .get_shared::<rbacv1::ClusterRoleBinding>(key)
            .map(drop),
    }
}

/// Whether every object of `resource` in `namespace` decodes as its kind; the first that does
/// not, in key order, is the error (as a typed LIST of them would find it).
fn decode_all_as_kind(
    store: &Store,
    resource: Resource,
    namespace: Option<&str>,
) -> Result<(), Undecodable> {
    store
        .keys(resource, namespace)
        .try_for_each(|key| decodes_as_kind(store, key))
}

fn meta_names(value: &Value) -> (String, String) {
    let get = |k: &str| {
        value
            .get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    (get("namespace"), get("name"))
}

/// Fills in server-assigned metadata and returns the new object's key.
fn prepare_create(
    value: &mut Value,
    now: SimTime,
    rng: &mut Rng,
    resource: Resource,
) -> Result<ObjectKey, ApiError> {
    let Some(object) = value.as_object_mut() else {
        return Err(ApiError::BadRequest {
            message: "the body of the request was not an object".to_string(),
        });
    };
    object.insert(
        "apiVersion".into(),
        Value::String(resource.api_version().into()),
    );
    object.insert("kind".into(), Value::String(resource.kind().into()));
    let meta = object
        .entry("metadata")
        .or_insert_with(|| Value::Object(Default::default()));
    let Some(meta) = meta.as_object_mut() else {
        return Err(ApiError::BadRequest {
            message: "metadata must be an object".to_string(),
        });
    };
    let mut name = meta
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        let prefix = meta
            .get("generateName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if prefix.is_empty() {
            return Err(ApiError::Invalid {
                kind: resource.kind(),
                name: String::new(),
                message: format!(
                    "{} \"\" is invalid: metadata.name: Required value: name or generateName is required",
                    resource.kind()
                ),
            });
        }
        name = format!("{prefix}{}", rng.name_suffix(5));
        meta.insert("name".into(), Value::String(name.clone()));
    }
    let mut namespace = String::new();
    if resource.namespaced() {
        namespace = meta
            .get("namespace")
            .and_then(Value::as_str)
            .filter(|ns| !ns.is_empty())
            .unwrap_or("default")
            .to_string();
        meta.insert("namespace".into(), Value::String(namespace.clone()));
    } else {
        meta.remove("namespace");
    }
    meta.insert("uid".into(), Value::String(rng.uuid()));
    meta.insert("creationTimestamp".into(), Value::String(rfc3339(now)));
    meta.remove("deletionTimestamp");
    meta.remove("resourceVersion");
    Ok(ObjectKey::new(resource, &namespace, &name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1 as corev1;

    fn pod(name: &str) -> corev1::Pod {
        let mut pod = corev1::Pod::default();
        pod.metadata.name = Some(name.to_string());
        pod
    }

    #[test]
    fn create_assigns_metadata() {
        let mut api = ApiServer::new("172.30.1.2:6443");
        let mut rng = Rng::seeded(1);
        let created: corev1::Pod = api
            .create(SimTime(2000), &mut rng, Resource::Pods, &pod("web"))
            .unwrap();
        assert_eq!(created.metadata.namespace.as_deref(), Some("default"));
        assert_eq!(created.metadata.uid.as_ref().map(String::len), Some(36));
        assert_eq!(created.metadata.resource_version.as_deref(), Some("1"));
        let again = api.create(SimTime(3000), &mut rng, Resource::Pods, &pod("web"));
        assert_eq!(
            again.unwrap_err().to_string(),
            "pods \"web\" already exists"
        );
    }

    #[test]
    fn unreachable_when_not_serving() {
        let mut api = ApiServer::new("172.30.1.2:6443");
        api.set_serving(false);
        let err = api
            .get::<corev1::Pod>(Resource::Pods, "default", "web")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "dial tcp 172.30.1.2:6443: connect: connection refused"
        );
        api.set_serving(true);
        let err = api
            .get::<corev1::Pod>(Resource::Pods, "default", "web")
            .unwrap_err();
        assert_eq!(err.to_string(), "pods \"web\" not found");
    }

    #[test]
    fn a_shared_get_answers_as_a_get_without_copying() {
        let mut api = ApiServer::new("172.30.1.2:6443");
        let mut rng = Rng::seeded(1);
        let created: corev1::Pod = api
            .create(SimTime(2000), &mut rng, Resource::Pods, &pod("web"))
            .unwrap();
        let first = api
            .get_shared::<corev1::Pod>(Resource::Pods, "default", "web")
            .unwrap();
        let again = api
            .get_shared::<corev1::Pod>(Resource::Pods, "default", "web")
            .unwrap();
        assert_eq!(*first, created);
        assert!(Arc::ptr_eq(&first, &again), "one decoded form, shared");
        let err = api
            .get_shared::<corev1::Pod>(Resource::Pods, "default", "db")
            .unwrap_err();
        assert_eq!(err.to_string(), "pods \"db\" not found");
        api.set_serving(false);
        let err = api
            .get_shared::<corev1::Pod>(Resource::Pods, "default", "web")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "dial tcp 172.30.1.2:6443: connect: connection refused"
        );
    }
}
