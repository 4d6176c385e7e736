//! The etcd stand-in: every API object as JSON, keyed by resource, namespace and name, with a
//! global resourceVersion and a watch history.
//!
//! Objects are stored as JSON so `kubectl` can treat every kind alike (`get -o json`, `apply`);
//! the kubelet and controllers read them through typed accessors over k8s-openapi types. Each
//! stored version is decoded at most once per type and shared (`Arc`) with every reader, and
//! the watch history shares the stored JSON instead of copying it.

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use crate::apiserver::event_index::{AggregateKey, ByMessage, EventIndex};
use crate::apiserver::pods_by_node::PodsByNode;

/// The kinds of objects the emulated API server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    /// core/v1 Pod
    Pods,
    /// core/v1 Node
    Nodes,
    /// core/v1 Namespace
    Namespaces,
    /// core/v1 Event
    Events,
    /// core/v1 ConfigMap
    ConfigMaps,
    /// core/v1 Secret
    Secrets,
    /// apps/v1 Deployment
    Deployments,
    /// apps/v1 DaemonSet
    DaemonSets,
    /// apps/v1 ReplicaSet
    ReplicaSets,
    /// core/v1 Service
    Services,
    /// core/v1 Endpoints
    Endpoints,
    /// core/v1 ServiceAccount
    ServiceAccounts,
    /// core/v1 PersistentVolume
    PersistentVolumes,
    /// core/v1 PersistentVolumeClaim
    PersistentVolumeClaims,
    /// core/v1 ComponentStatus: computed by the API server on every read, never stored.
    ComponentStatuses,
    /// discovery.k8s.io/v1 EndpointSlice
    EndpointSlices,
    /// coordination.k8s.io/v1 Lease
    Leases,
    /// rbac.authorization.k8s.io/v1 Role
    Roles,
    /// rbac.authorization.k8s.io/v1 RoleBinding
    RoleBindings,
    /// rbac.authorization.k8s.io/v1 ClusterRole
    ClusterRoles,
    /// rbac.authorization.k8s.io/v1 ClusterRoleBinding
    ClusterRoleBindings,
}

impl Resource {
    /// Every resource, in the order `kubectl api-resources` lists them: the groups in the
    /// API server's discovery priority (core, apps, rbac, coordination, discovery), each
    /// sorted by name.
    pub const ALL: [Resource; 21] = [
        Resource::ComponentStatuses,
        Resource::ConfigMaps,
        Resource::Endpoints,
        Resource::Events,
        Resource::Namespaces,
        Resource::Nodes,
        Resource::PersistentVolumeClaims,
        Resource::PersistentVolumes,
        Resource::Pods,
        Resource::Secrets,
        Resource::ServiceAccounts,
        Resource::Services,
        Resource::DaemonSets,
        Resource::Deployments,
        Resource::ReplicaSets,
        Resource::ClusterRoleBindings,
        Resource::ClusterRoles,
        Resource::RoleBindings,
        Resource::Roles,
        Resource::Leases,
        Resource::EndpointSlices,
    ];

    /// The plural, lower-case name used in URLs and messages (`pods`).
    pub fn plural(self) -> &'static str {
        match self {
            Resource::Pods => "pods",
            Resource::Nodes => "nodes",
            Resource::Namespaces => "namespaces",
            Resource::Events => "events",
            Resource::ConfigMaps => "configmaps",
            Resource::Secrets => "secrets",
            Resource::Deployments => "deployments",
            Resource::DaemonSets => "daemonsets",
            Resource::ReplicaSets => "replicasets",
            Resource::Services => "services",
            Resource::Endpoints => "endpoints",
            Resource::ServiceAccounts => "serviceaccounts",
            Resource::PersistentVolumes => "persistentvolumes",
            Resource::PersistentVolumeClaims => "persistentvolumeclaims",
            Resource::ComponentStatuses => "componentstatuses",
            Resource::EndpointSlices => "endpointslices",
            Resource::Leases => "leases",
            Resource::Roles => "roles",
            Resource::RoleBindings => "rolebindings",
            Resource::ClusterRoles => "clusterroles",
            Resource::ClusterRoleBindings => "clusterrolebindings",
        }
    }

    /// The object kind (`Pod`).
    pub fn kind(self) -> &'static str {
        match self {
            Resource::Pods => "Pod",
            Resource::Nodes => "Node",
            Resource::Namespaces => "Namespace",
            Resource::Events => "Event",
            Resource::ConfigMaps => "ConfigMap",
            Resource::Secrets => "Secret",
            Resource::Deployments => "Deployment",
            Resource::DaemonSets => "DaemonSet",
            Resource::ReplicaSets => "ReplicaSet",
            Resource::Services => "Service",
            Resource::Endpoints => "Endpoints",
            Resource::ServiceAccounts => "ServiceAccount",
            Resource::PersistentVolumes => "PersistentVolume",
            Resource::PersistentVolumeClaims => "PersistentVolumeClaim",
            Resource::ComponentStatuses => "ComponentStatus",
            Resource::EndpointSlices => "EndpointSlice",
            Resource::Leases => "Lease",
            Resource::Roles => "Role",
            Resource::RoleBindings => "RoleBinding",
            Resource::ClusterRoles => "ClusterRole",
            Resource::ClusterRoleBindings => "ClusterRoleBinding",
        }
    }

    /// The API group (`""` for core, `apps`).
    pub fn group(self) -> &'static str {
        match self {
            Resource::Deployments | Resource::DaemonSets | Resource::ReplicaSets => "apps",
            Resource::EndpointSlices => "discovery.k8s.io",
            Resource::Leases => "coordination.k8s.io",
            Resource::Roles
            | Resource::RoleBindings
            | Resource::ClusterRoles
            | Resource::ClusterRoleBindings => "rbac.authorization.k8s.io",
            _ => "",
        }
    }

    /// `apiVersion` of the objects (`v1`, `apps/v1`).
    pub fn api_version(self) -> &'static str {
        match self.group() {
            "" => "v1",
            "apps" => "apps/v1",
            "discovery.k8s.io" => "discovery.k8s.io/v1",
            "coordination.k8s.io" => "coordination.k8s.io/v1",
            _ => "rbac.authorization.k8s.io/v1",
        }
    }

    /// Whether objects live in a namespace.
    pub fn namespaced(self) -> bool {
        !matches!(
            self,
            Resource::Nodes
                | Resource::Namespaces
                | Resource::PersistentVolumes
                | Resource::ComponentStatuses
                | Resource::ClusterRoles
                | Resource::ClusterRoleBindings
        )
    }

    /// The resource whose objects have this `kind`.
    pub fn from_kind(kind: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.kind() == kind)
    }
}

impl Resource {
    /// The group-qualified resource the server names in its errors (`pods`,
    /// `deployments.apps`): `schema.GroupResource.String()`.
    pub fn qualified(self) -> String {
        match self.group() {
            "" => self.plural().to_string(),
            group => format!("{}.{group}", self.plural()),
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.plural())
    }
}

/// Where an object lives: resource, namespace (empty for cluster-scoped) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    /// The resource.
    pub resource: Resource,
    /// The namespace, empty for cluster-scoped objects.
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl ObjectKey {
    /// The key of a namespaced object.
    pub fn new(resource: Resource, namespace: &str, name: &str) -> ObjectKey {
        ObjectKey {
            resource,
            namespace: if resource.namespaced() {
                namespace.to_string()
            } else {
                String::new()
            },
            name: name.to_string(),
        }
    }

    /// The key under the storage prefix, as the API server's storage logs it:
    /// `/pods/default/web`, `/nodes/node01`.
    pub fn storage_path(&self) -> String {
        match self.resource.namespaced() {
            true => format!("/{}/{}/{}", self.resource, self.namespace, self.name),
            false => format!("/{}/{}", self.resource, self.name),
        }
    }
}

/// Added, modified or deleted, as a watch reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEventType {
    /// The object was created.
    Added,
    /// The object changed.
    Modified,
    /// The object is gone (the event carries its last state).
    Deleted,
}

/// What the store can hand out typed: any decodable, shareable value (k8s-openapi types,
/// `serde_json::Value`).
pub trait Object: DeserializeOwned + Clone + Send + Sync + 'static {}

impl<T: DeserializeOwned + Clone + Send + Sync + 'static> Object for T {}

/// One change, with the resourceVersion it produced.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEvent {
    /// The store revision after the change.
    pub revision: u64,
    /// What happened.
    pub event_type: WatchEventType,
    /// Which object.
    pub key: ObjectKey,
    /// The object after the change (before it, for deletes), shared with the store.
    pub object: Arc<Value>,
}

/// How many changes the watch history keeps before old revisions are "too old".
pub const WATCH_HISTORY: usize = 4096;

/// A stored object that does not decode as the type a reader asked for: etcd's "corrupt
/// object". The API server answers such a read with a 500 whose message is the decoder's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    /// Where the object is stored.
    pub key: ObjectKey,
    /// The decoder's message.
    pub error: String,
}

impl fmt::Display for Undecodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error)
    }
}

impl std::error::Error for Undecodable {}

/// An object that could not be turned into JSON for storing (nothing was stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unencodable {
    /// Where it was to be stored.
    pub key: ObjectKey,
    /// The encoder's message.
    pub error: String,
}

impl fmt::Display for Unencodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error)
    }
}

impl std::error::Error for Unencodable {}

/// A failure the store met on behalf of a reader or writer, kept until the world records it
/// in the trace (the store has no clock and no log of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreFault {
    /// A stored version failed to decode (reported once per version and type).
    Undecodable(Undecodable),
    /// An object failed to encode and was not stored.
    Unencodable(Unencodable),
}

/// What one stored version decoded into, per type: the shared value, or the decoder's error
/// (kept so a corrupt version is decoded, and reported, once).
type Decoded = Result<Arc<dyn Any + Send + Sync>, String>;

/// A stored object: its JSON form (what kubectl, jq and selectors read) and the typed forms
/// readers decoded it into. An object is immutable once stored (a write replaces the entry),
/// so a decoded form stays valid for the entry's life and each version is decoded at most
/// once per type. The cache sits behind a `Mutex` only so that a `Cluster` stays `Sync` (tests
/// share one booted world between threads); the simulation itself never contends for it.
struct Entry {
    value: Arc<Value>,
    typed: Mutex<Vec<(TypeId, Decoded)>>,
}

impl Clone for Entry {
    fn clone(&self) -> Entry {
        Entry {
            value: Arc::clone(&self.value),
            typed: Mutex::new(self.decoded().clone()),
        }
    }
}

impl Entry {
    fn new(value: Arc<Value>) -> Entry {
        Entry {
            value,
            typed: Mutex::new(Vec::new()),
        }
    }

    /// The decoded forms; a poisoned lock still holds a valid cache (entries are only pushed
    /// whole).
    fn decoded(&self) -> MutexGuard<'_, Vec<(TypeId, Decoded)>> {
        lock_whole(&self.typed)
    }

    /// The object as `T`, decoded on first use, or the decoder's error. The second value says
    /// whether this call found the error (the first reader of a corrupt version), so the store
    /// reports each corrupt version once.
    fn typed<T: Object>(&self) -> (Result<Arc<T>, String>, bool) {
        let id = TypeId::of::<T>();
        if let Some((_, decoded)) = self.decoded().iter().find(|(t, _)| *t == id) {
            let typed = match decoded {
                Ok(any) => Arc::clone(any)
                    .downcast::<T>()
                    .map_err(|_| "decoded form of another type".to_string()),
                Err(error) => Err(error.clone()),
            };
            return (typed, false);
        }
        match T::deserialize(&*self.value) {
            Ok(object) => {
                let decoded = Arc::new(object);
                self.decoded()
                    .push((id, Ok(Arc::clone(&decoded) as Arc<dyn Any + Send + Sync>)));
                (Ok(decoded), false)
            }
            Err(error) => {
                let error = error.to_string();
                self.decoded().push((id, Err(error.clone())));
                (Err(error), true)
            }
        }
    }

    /// The object as `T` if it decodes, without recording a failure: a decoded form is cached
    /// as [`Entry::typed`] caches it, but an error is left for the next reader to find and
    /// report, so a quiet look never takes over a reader's report.
    fn typed_quietly<T: Object>(&self) -> Option<Arc<T>> {
        let id = TypeId::of::<T>();
        if let Some((_, decoded)) = self.decoded().iter().find(|(t, _)| *t == id) {
            return match decoded {
                Ok(any) => Arc::clone(any).downcast::<T>().ok(),
                Err(_) => None,
            };
        }
        let decoded = Arc::new(T::deserialize(&*self.value).ok()?);
        self.decoded()
            .push((id, Ok(Arc::clone(&decoded) as Arc<dyn Any + Send + Sync>)));
        Some(decoded)
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The decoded forms are a cache of `value`, not part of the state.
        self.value.fmt(f)
    }
}

/// The object store.
#[derive(Debug, Clone, Default)]
pub struct Store {
    objects: BTreeMap<ObjectKey, Entry>,
    revision: u64,
    /// Per resource (by its place in the enum), the revision of its last change.
    changed: [u64; Resource::ALL.len()],
    history: VecDeque<WatchEvent>,
    /// Failures not yet taken by the world for the trace. Reads take `&self`, so this sits
    /// behind a `Mutex` as the decode cache does.
    faults: Faults,
    /// The Events by aggregate key, for recording one.
    events: EventIndex,
    /// The pod changes in `history` by the node they concern, for the kubelets' watches.
    pods_by_node: PodsByNode,
    /// Whole-resource typed lists, brought up to date from the change history when read.
    lists: ListCache,
}

/// The store's pending failures: a `Mutex` so that reads through `&self` can add to it, which
/// a copy of the store copies instead of sharing.
#[derive(Debug, Default)]
struct Faults(Mutex<Vec<StoreFault>>);

/// `mutex` locked, a lock poisoned by an earlier panic taken as it is: the store's mutexes
/// only let reads through `&self` keep derived state (decoded forms, kept lists, fault
/// reports), which a later read can still use or rebuild.
fn lock_whole<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, Vec<StoreFault>> {
        lock_whole(&self.0)
    }
}

impl Clone for Faults {
    fn clone(&self) -> Faults {
        Faults(Mutex::new(self.lock().clone()))
    }
}

/// One resource's objects decoded as one type, in key order, as of a store revision: what a
/// LIST of the whole resource returned then. Kept so that the controllers that list every pod
/// on every tick re-decode and re-walk only what changed since the last list (the store's
/// entries are scattered on the heap, and with a thousand pods a full walk per reader and tick
/// dominated the control plane's time).
struct TypedList<T> {
    /// The store revision the list reflects.
    revision: u64,
    keys: Vec<ObjectKey>,
    items: Vec<Arc<T>>,
}

impl<T> TypedList<T> {
    /// The places of the objects in `namespace` (all if `None`): keys sort by namespace first.
    fn range(&self, namespace: Option<&str>) -> std::ops::Range<usize> {
        match namespace {
            None => 0..self.keys.len(),
            Some(ns) => {
                let from = self.keys.partition_point(|k| k.namespace.as_str() < ns);
                let to = from + self.keys[from..].partition_point(|k| k.namespace == ns);
                from..to
            }
        }
    }
}

/// The typed lists by resource and type. Only lists that decoded completely are kept: a list
/// that meets a corrupt object is walked afresh, so that its failure and the store's report of
/// it stay exactly those of a walk. A copy of the store starts with none (they are derived).
#[derive(Default)]
struct ListCache(Mutex<Vec<CachedList>>);

/// A [`TypedList`] of some type, with the resource and type it lists.
type CachedList = (Resource, TypeId, Box<dyn Any + Send + Sync>);

impl ListCache {
    fn lock(&self) -> MutexGuard<'_, Vec<CachedList>> {
        lock_whole(&self.0)
    }
}

impl Clone for ListCache {
    fn clone(&self) -> ListCache {
        ListCache::default()
    }
}

impl fmt::Debug for ListCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A cache of the objects, not part of the state.
        f.write_str("ListCache")
    }
}

/// A resource version older than the watch history keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooOld;

impl Store {
    /// The current revision (the newest resourceVersion handed out).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The revision of the last change to any object of `resource` (0 if none changed): a
    /// change counter per resource, so a reader can tell cheaply whether what it looks at moved.
    pub fn resource_revision(&self, resource: Resource) -> u64 {
        self.changed[resource as usize]
    }

    /// The object at `key`, as JSON.
    pub fn get_value(&self, key: &ObjectKey) -> Option<&Value> {
        self.objects.get(key).map(|e| &*e.value)
    }

    /// The object at `key` as type `T`; `Ok(None)` if missing, an error if the stored object
    /// does not decode as `T`.
    pub fn get<T: Object>(&self, key: &ObjectKey) -> Result<Option<T>, Undecodable> {
        Ok(self.get_shared(key)?.map(|t| T::clone(&t)))
    }

    /// The object at `key` as a shared `T`, decoded at most once per stored version.
    pub fn get_shared<T: Object>(&self, key: &ObjectKey) -> Result<Option<Arc<T>>, Undecodable> {
        match self.objects.get(key) {
            None => Ok(None),
            Some(entry) => self.typed(key, entry).map(Some),
        }
    }

    /// `object`, one version of the object at `key` (a watch event's), as a shared `T`, or
    /// `None` if it does not decode. While it is still the stored version it is decoded at most
    /// once (shared with every reader); an older version is decoded afresh. Like a watcher's
    /// own decoding, a failure is not reported: the world hears of a corrupt version from the
    /// readers that fail on it.
    pub fn decode_version<T: Object>(
        &self,
        key: &ObjectKey,
        object: &Arc<Value>,
    ) -> Option<Arc<T>> {
        match self.objects.get(key) {
            Some(entry) if Arc::ptr_eq(&entry.value, object) => entry.typed_quietly(),
            _ => T::deserialize(&**object).ok().map(Arc::new),
        }
    }

    /// `entry` (stored at `key`) as `T`; a corrupt version is reported the first time it is read.
    fn typed<T: Object>(&self, key: &ObjectKey, entry: &Entry) -> Result<Arc<T>, Undecodable> {
        let (typed, first) = entry.typed::<T>();
        typed.map_err(|error| {
            let undecodable = Undecodable {
                key: key.clone(),
                error,
            };
            if first {
                self.report(StoreFault::Undecodable(undecodable.clone()));
            }
            undecodable
        })
    }

    fn report(&self, fault: StoreFault) {
        self.faults.lock().push(fault);
    }

    /// Takes the failures met since the last call, oldest first (the world records them).
    pub fn take_faults(&self) -> Vec<StoreFault> {
        std::mem::take(&mut *self.faults.lock())
    }

    /// The entries of `resource` in `namespace` (all namespaces if `None`), by key order.
    fn entries<'a, 'n>(
        &'a self,
        resource: Resource,
        namespace: Option<&'n str>,
    ) -> impl Iterator<Item = (&'a ObjectKey, &'a Entry)> + use<'a, 'n> {
        // Keys sort by resource, then namespace, then name: one range holds them all.
        let from = ObjectKey {
            resource,
            namespace: namespace.unwrap_or_default().to_string(),
            name: String::new(),
        };
        self.objects.range(from..).take_while(move |(k, _)| {
            k.resource == resource && namespace.is_none_or(|ns| k.namespace == ns)
        })
    }

    /// The keys of `resource` in `namespace` (all namespaces if `None`), in order.
    pub fn keys<'a>(
        &'a self,
        resource: Resource,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = &'a ObjectKey> + 'a {
        self.entries(resource, namespace).map(|(key, _)| key)
    }

    /// Every object of `resource` in `namespace` (all namespaces if `None`), by key order.
    pub fn list_values(&self, resource: Resource, namespace: Option<&str>) -> Vec<&Value> {
        self.entries(resource, namespace)
            .map(|(_, e)| &*e.value)
            .collect()
    }

    /// Every object of `resource` as type `T`; the first object that does not decode fails the
    /// whole list, as a LIST from etcd does.
    pub fn list<T: Object>(
        &self,
        resource: Resource,
        namespace: Option<&str>,
    ) -> Result<Vec<T>, Undecodable> {
        Ok(self
            .list_shared(resource, namespace)?
            .into_iter()
            .map(|t: Arc<T>| T::clone(&t))
            .collect())
    }

    /// Every object of `resource` as a shared `T`, without copying; fails as [`Store::list`].
    pub fn list_shared<T: Object>(
        &self,
        resource: Resource,
        namespace: Option<&str>,
    ) -> Result<Vec<Arc<T>>, Undecodable> {
        let cached = self.with_typed_list(resource, |list: &TypedList<T>| {
            list.items[list.range(namespace)].to_vec()
        });
        if let Some(items) = cached {
            return Ok(items);
        }
        let walked: Result<Vec<(ObjectKey, Arc<T>)>, Undecodable> = self
            .entries(resource, namespace)
            .map(|(key, entry)| Ok((key.clone(), self.typed(key, entry)?)))
            .collect();
        let walked = walked?;
        let items: Vec<Arc<T>> = walked.iter().map(|(_, t)| Arc::clone(t)).collect();
        if namespace.is_none() {
            let (keys, kept) = walked.into_iter().unzip();
            let list = TypedList {
                revision: self.revision,
                keys,
                items: kept,
            };
            let mut lists = self.lists.lock();
            let id = TypeId::of::<T>();
            lists.retain(|(r, t, _)| !(*r == resource && *t == id));
            lists.push((resource, id, Box::new(list)));
        }
        Ok(items)
    }

    /// Runs `read` on every object of `resource` in `namespace` (all namespaces if `None`) as a
    /// shared `T`, lent instead of copied: the same objects, and the same failure, as
    /// [`Store::list_shared`] gives, without touching each object's count of owners (with a
    /// thousand pods, copying the list cost a cache miss per pod). `read` must not list from
    /// this store itself: the kept list is locked while it runs.
    pub fn with_list<T: Object, R>(
        &self,
        resource: Resource,
        namespace: Option<&str>,
        read: impl FnOnce(&[Arc<T>]) -> R,
    ) -> Result<R, Undecodable> {
        {
            let mut lists = self.lists.lock();
            if let Some(list) = self.kept_list::<T>(&mut lists, resource) {
                return Ok(read(&list.items[list.range(namespace)]));
            }
        }
        let items = self.list_shared(resource, namespace)?;
        Ok(read(&items))
    }

    /// Runs `read` on the whole-resource list of `resource` as `T`, brought up to date with the
    /// changes since it was made; `None` if there is none, the history no longer reaches back,
    /// or a changed object does not decode (the caller then walks the store, which finds and
    /// reports the failure as it always would). Updating decodes only the changed objects,
    /// quietly: one that decodes is cached exactly as a walk's read would cache it.
    fn with_typed_list<T: Object, R>(
        &self,
        resource: Resource,
        read: impl FnOnce(&TypedList<T>) -> R,
    ) -> Option<R> {
        let mut lists = self.lists.lock();
        self.kept_list(&mut lists, resource).map(read)
    }

    /// The kept list of `resource` as `T` in `lists`, brought up to date, as
    /// [`Store::with_typed_list`] reads it; one that cannot be is dropped.
    fn kept_list<'l, T: Object>(
        &self,
        lists: &'l mut Vec<CachedList>,
        resource: Resource,
    ) -> Option<&'l TypedList<T>> {
        let id = TypeId::of::<T>();
        let at = lists
            .iter()
            .position(|(r, t, _)| *r == resource && *t == id)?;
        let list = lists[at].2.downcast_mut::<TypedList<T>>()?;
        if list.revision != self.revision && !self.bring_up_to_date(resource, list) {
            lists.swap_remove(at);
            return None;
        }
        lists[at].2.downcast_ref::<TypedList<T>>()
    }

    /// Applies the changes to `resource` since `list.revision`; `false` if it cannot.
    fn bring_up_to_date<T: Object>(&self, resource: Resource, list: &mut TypedList<T>) -> bool {
        if self.resource_revision(resource) > list.revision {
            let Ok(changes) = self.all_changes_since(list.revision) else {
                return false;
            };
            let mut changed: Vec<&ObjectKey> = changes
                .filter(|e| e.key.resource == resource)
                .map(|e| &e.key)
                .collect();
            changed.sort();
            changed.dedup();
            for key in changed {
                let place = list.keys.binary_search(key);
                match (self.objects.get(key), place) {
                    (Some(entry), place) => {
                        let Some(typed) = entry.typed_quietly::<T>() else {
                            return false;
                        };
                        match place {
                            Ok(i) => list.items[i] = typed,
                            Err(i) => {
                                list.keys.insert(i, key.clone());
                                list.items.insert(i, typed);
                            }
                        }
                    }
                    (None, Ok(i)) => {
                        list.keys.remove(i);
                        list.items.remove(i);
                    }
                    (None, Err(_)) => (),
                }
            }
        }
        list.revision = self.revision;
        true
    }

    /// The Events in `namespace` that may have the aggregate key `wanted` (a superset: compare
    /// each one's key), by message and field path.
    pub fn events_like(&self, namespace: &str, wanted: &AggregateKey<'_>) -> Option<&ByMessage> {
        self.events.like(namespace, wanted)
    }

    /// Writes `object` at `key` (create or replace), stamping a new resourceVersion, and
    /// records the change. Returns the stored object.
    pub fn put(&mut self, key: ObjectKey, object: Value) -> Value {
        Value::clone(&self.put_shared(key, object))
    }

    /// Like [`Store::put`], returning the stored object shared instead of copied.
    pub fn put_shared(&mut self, key: ObjectKey, mut object: Value) -> Arc<Value> {
        self.revision += 1;
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert(
                "resourceVersion".to_string(),
                Value::String(self.revision.to_string()),
            );
        }
        self.put_stamped(key, Entry::new(Arc::new(object)))
    }

    /// Writes `object` at `key` if it decodes as `T` once stamped with the resourceVersion it
    /// gets, and returns that decoded form, which the entry keeps for typed readers (a write
    /// through the API server is checked by decoding and then read back: one decode does
    /// both). `None`, with nothing stored and `object` as it was, when it does not decode or
    /// when its `metadata.resourceVersion` is not a string (the stamp would replace what made
    /// it invalid: the caller decides on the value as given).
    pub fn put_decoded<T: Object>(
        &mut self,
        key: ObjectKey,
        object: &mut Value,
    ) -> Option<(Arc<T>, Arc<Value>)> {
        let stamp = Value::String((self.revision + 1).to_string());
        let previous = match object.get_mut("metadata").and_then(Value::as_object_mut) {
            Some(meta) => match meta.get("resourceVersion") {
                None | Some(Value::String(_)) => Some(meta.insert("resourceVersion".into(), stamp)),
                Some(_) => return None,
            },
            None => None,
        };
        match T::deserialize(&*object) {
            Ok(decoded) => {
                self.revision += 1;
                let decoded = Arc::new(decoded);
                let typed = Arc::clone(&decoded) as Arc<dyn Any + Send + Sync>;
                let entry = Entry {
                    value: Arc::new(std::mem::take(object)),
                    typed: Mutex::new(vec![(TypeId::of::<T>(), Ok(typed))]),
                };
                Some((decoded, self.put_stamped(key, entry)))
            }
            Err(_) => {
                if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                    match previous.flatten() {
                        Some(was) => meta.insert("resourceVersion".into(), was),
                        None => meta.remove("resourceVersion"),
                    };
                }
                None
            }
        }
    }

    /// Stores `entry` (its value already stamped with the current revision) and records the
    /// change.
    fn put_stamped(&mut self, key: ObjectKey, entry: Entry) -> Arc<Value> {
        let object = Arc::clone(&entry.value);
        // One lookup, and the key copied only for a new object (a replaced entry keeps its
        // key, as `BTreeMap::insert` would).
        let event_type = match self.objects.get_mut(&key) {
            Some(slot) => {
                let old = std::mem::replace(slot, entry);
                self.events.remove(&key, &old.value);
                WatchEventType::Modified
            }
            None => {
                self.objects.insert(key.clone(), entry);
                WatchEventType::Added
            }
        };
        self.events.insert(&key, &object);
        self.remember(event_type, key, Arc::clone(&object));
        object
    }

    /// Writes a typed object at `key`; an object that does not encode is not stored (and is
    /// reported for the trace).
    pub fn put_typed<T: Serialize>(
        &mut self,
        key: ObjectKey,
        object: &T,
    ) -> Result<Value, Unencodable> {
        match serde_json::to_value(object) {
            Ok(value) => Ok(self.put(key, value)),
            Err(error) => {
                let unencodable = Unencodable {
                    key,
                    error: error.to_string(),
                };
                self.report(StoreFault::Unencodable(unencodable.clone()));
                Err(unencodable)
            }
        }
    }

    /// Removes the object at `key`, recording the deletion; returns what was there.
    pub fn remove(&mut self, key: &ObjectKey) -> Option<Value> {
        let entry = self.objects.remove(key)?;
        self.events.remove(key, &entry.value);
        self.revision += 1;
        self.remember(
            WatchEventType::Deleted,
            key.clone(),
            Arc::clone(&entry.value),
        );
        Some(Value::clone(&entry.value))
    }

    fn remember(&mut self, event_type: WatchEventType, key: ObjectKey, object: Arc<Value>) {
        self.changed[key.resource as usize] = self.revision;
        self.history.push_back(WatchEvent {
            revision: self.revision,
            event_type,
            key,
            object,
        });
        while self.history.len() > WATCH_HISTORY {
            self.history.pop_front();
        }
        if let Some(change) = self
            .history
            .back()
            .filter(|c| c.key.resource == Resource::Pods)
        {
            let oldest = self.history.front().map_or(0, |c| c.revision);
            self.pods_by_node
                .record(change.revision, &change.object, oldest);
        }
    }

    /// The changes to `resource` after revision `since`, oldest first; `TooOld` if the history
    /// no longer reaches back that far.
    pub fn changes_since(
        &self,
        resource: Resource,
        since: u64,
    ) -> Result<Vec<&WatchEvent>, TooOld> {
        Ok(self
            .all_changes_since(since)?
            .filter(|e| e.key.resource == resource)
            .collect())
    }

    /// The pod changes after revision `since` that concern `node`, oldest first: every change
    /// of a pod that names the node in `spec.nodeName`, or whose earlier versions did (what a
    /// watch with the field selector `spec.nodeName=<node>` must look at); `TooOld` as
    /// [`Store::changes_since`].
    pub fn pod_changes_on_node<'a>(
        &'a self,
        node: &str,
        since: u64,
    ) -> Result<impl Iterator<Item = &'a WatchEvent> + use<'a>, TooOld> {
        self.reaches_back_to(since)?;
        // Revisions rise by one per change: a change's place in the history is its distance
        // from the oldest one kept.
        let oldest = self.history.front().map_or(0, |c| c.revision);
        Ok(self
            .pods_by_node
            .since(node, since)
            .filter_map(move |r| self.history.get(r.checked_sub(oldest)? as usize)))
    }

    /// `TooOld` if the history no longer holds every change after `since`.
    fn reaches_back_to(&self, since: u64) -> Result<(), TooOld> {
        match self.history.front() {
            Some(oldest) if since + 1 < oldest.revision => Err(TooOld),
            _ => Ok(()),
        }
    }

    /// The changes to every resource after revision `since`, oldest first; `TooOld` as
    /// [`Store::changes_since`].
    pub fn all_changes_since(
        &self,
        since: u64,
    ) -> Result<impl Iterator<Item = &WatchEvent>, TooOld> {
        self.reaches_back_to(since)?;
        // Revisions rise by one per change, so the first change after `since` is found by
        // position instead of by scanning the whole history.
        let skip = self.history.front().map_or(0, |oldest| {
            (since + 1).saturating_sub(oldest.revision) as usize
        });
        Ok(self
            .history
            .iter()
            .skip(skip)
            .filter(move |e| e.revision > since))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn put_stamps_resource_versions_and_records_changes() {
        let mut store = Store::default();
        let key = ObjectKey::new(Resource::Pods, "default", "web");
        let stored = store.put(key.clone(), json!({"metadata": {"name": "web"}}));
        assert_eq!(stored["metadata"]["resourceVersion"], "1");
        store.put(
            key.clone(),
            json!({"metadata": {"name": "web"}, "spec": {}}),
        );
        store.remove(&key);
        let changes = store.changes_since(Resource::Pods, 0).unwrap();
        let types: Vec<WatchEventType> = changes.iter().map(|e| e.event_type).collect();
        assert_eq!(
            types,
            [
                WatchEventType::Added,
                WatchEventType::Modified,
                WatchEventType::Deleted
            ]
        );
        assert_eq!(store.changes_since(Resource::Pods, 2).unwrap().len(), 1);
        assert!(store.get_value(&key).is_none());
    }

    #[test]
    fn a_decoded_write_is_stamped_kept_typed_and_refused_unchanged_when_it_does_not_decode() {
        use k8s_openapi::api::core::v1::ConfigMap;
        let mut store = Store::default();
        let key = ObjectKey::new(Resource::ConfigMaps, "default", "cm");
        let mut value = json!({"metadata": {"name": "cm", "resourceVersion": "7"}, "data": {}});
        let (typed, stored) = store
            .put_decoded::<ConfigMap>(key.clone(), &mut value)
            .unwrap();
        assert_eq!(typed.metadata.resource_version.as_deref(), Some("1"));
        assert_eq!(stored["metadata"]["resourceVersion"], "1");
        let read = store.get_shared::<ConfigMap>(&key).unwrap().unwrap();
        assert!(Arc::ptr_eq(&read, &typed));
        assert_eq!(
            store.changes_since(Resource::ConfigMaps, 0).unwrap().len(),
            1
        );
        // Not a ConfigMap: nothing stored, the revision unmoved, the value as it was.
        for original in [
            json!({"metadata": {"name": "cm"}, "data": 3}),
            json!({"metadata": {"name": "cm", "resourceVersion": "4"}, "data": 3}),
            json!({"metadata": {"name": "cm", "resourceVersion": 4}, "data": {}}),
        ] {
            let mut bad = original.clone();
            assert!(store
                .put_decoded::<ConfigMap>(key.clone(), &mut bad)
                .is_none());
            assert_eq!(bad, original);
            assert_eq!(store.revision(), 1);
        }
    }

    #[test]
    fn each_resource_counts_its_own_changes() {
        let mut store = Store::default();
        let pod = ObjectKey::new(Resource::Pods, "default", "web");
        let node = ObjectKey::new(Resource::Nodes, "", "node01");
        assert_eq!(store.resource_revision(Resource::Pods), 0);
        store.put(pod.clone(), json!({"metadata": {}}));
        store.put(node.clone(), json!({"metadata": {}}));
        assert_eq!(store.resource_revision(Resource::Pods), 1);
        assert_eq!(store.resource_revision(Resource::Nodes), 2);
        store.remove(&pod);
        assert_eq!(store.resource_revision(Resource::Pods), 3);
        assert_eq!(store.resource_revision(Resource::Nodes), 2);
        assert_eq!(store.resource_revision(Resource::Events), 0);
    }

    #[test]
    fn a_stored_object_that_does_not_decode_fails_reads_and_is_reported_once() {
        use k8s_openapi::api::core::v1::Pod;
        let mut store = Store::default();
        let good = ObjectKey::new(Resource::Pods, "default", "good");
        let bad = ObjectKey::new(Resource::Pods, "default", "bad");
        store.put(good.clone(), json!({"metadata": {"name": "good"}}));
        store.put(
            bad.clone(),
            json!({"metadata": {"name": "bad"}, "spec": {"containers": "oops"}}),
        );
        assert!(store.get::<Pod>(&good).unwrap().is_some());
        let err = store.get::<Pod>(&bad).unwrap_err();
        assert_eq!(err.key, bad);
        assert!(err.error.contains("invalid type: string \"oops\""), "{err}");
        // A LIST fails as a whole instead of leaving the corrupt object out.
        assert_eq!(store.list::<Pod>(Resource::Pods, None), Err(err.clone()));
        assert!(store.list_shared::<Pod>(Resource::Pods, None).is_err());
        // The JSON readers (kubectl's own printing) still see it.
        assert_eq!(store.list_values(Resource::Pods, None).len(), 2);
        // Reported once per stored version, however often it is read.
        assert_eq!(store.take_faults(), [StoreFault::Undecodable(err)]);
        assert!(store.get::<Pod>(&bad).is_err());
        assert!(store.take_faults().is_empty());
        store.put(bad.clone(), json!({"metadata": {"name": "bad"}, "spec": 1}));
        assert!(store.get::<Pod>(&bad).is_err());
        assert_eq!(
            store.take_faults().len(),
            1,
            "a new version is reported anew"
        );
    }

    #[test]
    fn a_watched_version_is_decoded_once_while_stored_and_quietly_when_corrupt() {
        use k8s_openapi::api::core::v1::Pod;
        let mut store = Store::default();
        let key = ObjectKey::new(Resource::Pods, "default", "web");
        let first = store.put_shared(key.clone(), json!({"metadata": {"name": "web"}}));
        // The stored version shares the readers' decoded form, whoever decodes it first.
        let watched = store.decode_version::<Pod>(&key, &first).unwrap();
        let read = store.get_shared::<Pod>(&key).unwrap().unwrap();
        assert!(Arc::ptr_eq(&watched, &read));
        let second = store.put_shared(
            key.clone(),
            json!({"metadata": {"name": "web"}, "spec": {"containers": []}}),
        );
        // An older version is decoded afresh, as it was stored.
        let old = store.decode_version::<Pod>(&key, &first).unwrap();
        assert_eq!(old.metadata.resource_version.as_deref(), Some("1"));
        assert!(old.spec.is_none());
        let now = store.decode_version::<Pod>(&key, &second).unwrap();
        assert_eq!(now.metadata.resource_version.as_deref(), Some("2"));
        // A corrupt version is skipped without a report; the reader that fails on it reports it.
        let bad = store.put_shared(key.clone(), json!({"metadata": {"name": "web"}, "spec": 1}));
        assert!(store.decode_version::<Pod>(&key, &bad).is_none());
        assert!(store.take_faults().is_empty());
        let err = store.get::<Pod>(&key).unwrap_err();
        assert_eq!(store.take_faults(), [StoreFault::Undecodable(err)]);
    }

    /// A walk of the store, bypassing the typed lists.
    fn walked(store: &Store, namespace: Option<&str>) -> Vec<String> {
        store
            .entries(Resource::Pods, namespace)
            .map(|(key, entry)| {
                let pod = store
                    .typed::<k8s_openapi::api::core::v1::Pod>(key, entry)
                    .unwrap();
                format!("{key:?}={:?}", pod.metadata.resource_version)
            })
            .collect()
    }

    fn listed(store: &Store, namespace: Option<&str>) -> Vec<String> {
        let pods = store
            .list_shared::<k8s_openapi::api::core::v1::Pod>(Resource::Pods, namespace)
            .unwrap();
        let keys: Vec<ObjectKey> = store.keys(Resource::Pods, namespace).cloned().collect();
        assert_eq!(pods.len(), keys.len());
        keys.iter()
            .zip(pods)
            .map(|(key, pod)| format!("{key:?}={:?}", pod.metadata.resource_version))
            .collect()
    }

    #[test]
    fn typed_lists_follow_adds_updates_and_deletes_as_a_walk_sees_them() {
        let mut store = Store::default();
        let pod = |ns: &str, name: &str| ObjectKey::new(Resource::Pods, ns, name);
        for (ns, name) in [("default", "b"), ("kube-system", "x"), ("default", "d")] {
            store.put(
                pod(ns, name),
                json!({"metadata": {"name": name, "namespace": ns}}),
            );
        }
        // The first whole list is kept; later ones are brought up to date from the history.
        assert_eq!(listed(&store, None), walked(&store, None));
        store.put(pod("default", "a"), json!({"metadata": {"name": "a"}}));
        store.put(
            pod("default", "d"),
            json!({"metadata": {"name": "d"}, "spec": {"containers": []}}),
        );
        store.put(pod("zeta", "z"), json!({"metadata": {"name": "z"}}));
        store.remove(&pod("default", "b"));
        store.put(pod("default", "b2"), json!({"metadata": {"name": "b2"}}));
        store.put(
            ObjectKey::new(Resource::Nodes, "", "n"),
            json!({"metadata": {}}),
        );
        for namespace in [
            None,
            Some("default"),
            Some("kube-system"),
            Some("zeta"),
            Some("nope"),
        ] {
            assert_eq!(
                listed(&store, namespace),
                walked(&store, namespace),
                "{namespace:?}"
            );
        }
        let keys = listed(&store, Some("default"));
        assert_eq!(keys.len(), 3, "{keys:?}");
        assert!(
            keys[1].contains("name: \"b2\"") && keys[2].contains("Some(\"5\")"),
            "{keys:?}"
        );
        // Deleting everything empties it; a corrupt object fails the list as a walk does, and
        // is reported once.
        for key in store
            .keys(Resource::Pods, None)
            .cloned()
            .collect::<Vec<_>>()
        {
            store.remove(&key);
        }
        assert!(listed(&store, None).is_empty());
        store.put(
            pod("default", "bad"),
            json!({"metadata": {"name": "bad"}, "spec": 1}),
        );
        store.put(
            pod("default", "good"),
            json!({"metadata": {"name": "good"}}),
        );
        type Pod = k8s_openapi::api::core::v1::Pod;
        let err = store.list_shared::<Pod>(Resource::Pods, None).unwrap_err();
        assert_eq!(err.key, pod("default", "bad"));
        assert_eq!(store.take_faults(), [StoreFault::Undecodable(err.clone())]);
        assert_eq!(store.list_shared::<Pod>(Resource::Pods, None), Err(err));
        assert!(store.take_faults().is_empty());
        store.put(pod("default", "bad"), json!({"metadata": {"name": "bad"}}));
        assert_eq!(listed(&store, None), walked(&store, None));
    }

    #[test]
    fn a_typed_list_older_than_the_history_is_walked_afresh() {
        let mut store = Store::default();
        store.put(
            ObjectKey::new(Resource::Pods, "default", "first"),
            json!({"metadata": {}}),
        );
        assert_eq!(listed(&store, None).len(), 1);
        for i in 0..(WATCH_HISTORY + 10) {
            let key = ObjectKey::new(Resource::Pods, "default", &format!("p{i}"));
            store.put(key, json!({"metadata": {}}));
        }
        store.remove(&ObjectKey::new(Resource::Pods, "default", "first"));
        assert_eq!(listed(&store, None), walked(&store, None));
        assert_eq!(listed(&store, None).len(), WATCH_HISTORY + 10);
    }

    #[test]
    fn a_node_s_pod_changes_are_the_ones_its_watch_can_act_on() {
        let mut store = Store::default();
        let pod = |name: &str, node: Option<&str>| {
            let mut pod = json!({"metadata": {"namespace": "default", "name": name}, "spec": {}});
            if let Some(node) = node {
                pod["spec"]["nodeName"] = json!(node);
            }
            (ObjectKey::new(Resource::Pods, "default", name), pod)
        };
        let (a, a1) = pod("a", Some("n1"));
        store.put(a.clone(), a1);
        let (b, b2) = pod("b", Some("n2"));
        store.put(b.clone(), b2);
        store.put(
            ObjectKey::new(Resource::Nodes, "", "n1"),
            json!({"metadata": {}}),
        );
        let (_, a_moved) = pod("a", Some("n2"));
        store.put(a.clone(), a_moved);
        store.remove(&b);
        let (c, c_unbound) = pod("c", None);
        store.put(c, c_unbound);
        let on = |node: &str, since: u64| -> Vec<(u64, WatchEventType)> {
            store
                .pod_changes_on_node(node, since)
                .unwrap()
                .map(|c| (c.revision, c.event_type))
                .collect()
        };
        use WatchEventType::{Added, Deleted, Modified};
        assert_eq!(on("n1", 0), [(1, Added), (4, Modified)]);
        assert_eq!(on("n2", 0), [(2, Added), (4, Modified), (5, Deleted)]);
        assert_eq!(on("n2", 4), [(5, Deleted)]);
        assert!(on("n3", 0).is_empty());
        for i in 0..WATCH_HISTORY {
            store.put(
                ObjectKey::new(Resource::Pods, "default", &format!("p{i}")),
                json!({"metadata": {}}),
            );
        }
        assert_eq!(store.pod_changes_on_node("n1", 1).err(), Some(TooOld));
        assert_eq!(
            store.pod_changes_on_node("n1", 7).map(Iterator::count),
            Ok(0)
        );
    }

    #[test]
    fn a_lent_list_is_the_shared_list_and_fails_as_it_does() {
        type Pod = k8s_openapi::api::core::v1::Pod;
        let mut store = Store::default();
        for (ns, name) in [("default", "a"), ("kube-system", "b"), ("default", "c")] {
            store.put(
                ObjectKey::new(Resource::Pods, ns, name),
                json!({"metadata": {"name": name, "namespace": ns}}),
            );
        }
        let names = |pods: &[Arc<Pod>]| -> Vec<String> {
            pods.iter()
                .map(|p| p.metadata.name.clone().unwrap_or_default())
                .collect()
        };
        for _ in 0..2 {
            // The first time walks the store, the second reads the kept list.
            for namespace in [None, Some("default"), Some("kube-system"), Some("none")] {
                let lent = store.with_list(Resource::Pods, namespace, names).unwrap();
                let shared = store.list_shared::<Pod>(Resource::Pods, namespace).unwrap();
                assert_eq!(lent, names(&shared), "{namespace:?}");
            }
        }
        let bad = ObjectKey::new(Resource::Pods, "default", "bad");
        store.put(bad.clone(), json!({"metadata": {"name": "bad"}, "spec": 1}));
        let err = store
            .with_list(Resource::Pods, None, |_: &[Arc<Pod>]| ())
            .unwrap_err();
        assert_eq!(err.key, bad);
        assert_eq!(store.take_faults(), [StoreFault::Undecodable(err.clone())]);
        assert_eq!(store.list_shared::<Pod>(Resource::Pods, None), Err(err));
        assert!(store.take_faults().is_empty());
    }

    #[test]
    fn put_typed_refuses_what_does_not_encode() {
        let mut store = Store::default();
        let key = ObjectKey::new(Resource::ConfigMaps, "default", "weird");
        // JSON object keys must be strings.
        let object: BTreeMap<(u8, u8), u8> = BTreeMap::from([((1, 2), 3)]);
        let err = store.put_typed(key.clone(), &object).unwrap_err();
        assert_eq!(err.error, "key must be a string");
        assert!(
            store.get_value(&key).is_none(),
            "nothing (no null) is stored"
        );
        assert_eq!(store.revision(), 0);
        assert_eq!(store.take_faults(), [StoreFault::Unencodable(err)]);
    }

    #[test]
    fn storage_paths_name_the_namespace_only_for_namespaced_kinds() {
        let pod = ObjectKey::new(Resource::Pods, "default", "web");
        let node = ObjectKey::new(Resource::Nodes, "", "node01");
        assert_eq!(pod.storage_path(), "/pods/default/web");
        assert_eq!(node.storage_path(), "/nodes/node01");
    }

    #[test]
    fn cluster_scoped_keys_drop_the_namespace() {
        let key = ObjectKey::new(Resource::Nodes, "default", "node01");
        assert_eq!(key.namespace, "");
    }

    #[test]
    fn old_revisions_are_too_old() {
        let mut store = Store::default();
        for i in 0..(WATCH_HISTORY + 10) {
            let key = ObjectKey::new(Resource::Pods, "default", &format!("p{i}"));
            store.put(key, json!({"metadata": {}}));
        }
        assert_eq!(store.changes_since(Resource::Pods, 1), Err(TooOld));
        assert!(store.changes_since(Resource::Pods, 20).is_ok());
    }
}
