//! Pod creation through the API server's request pipeline: decode-time defaulting, the admission
//! plugins kubeadm's kube-apiserver enables that touch pods, the pod strategy's
//! `PrepareForCreate`, validation and storage.
//!
//! Mirrors (v1.34), in the order the real pipeline runs them:
//! - `staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go`
//!   (NamespaceLifecycle: `namespaces "x" not found`, `unable to create new content in namespace
//!   x because it is being terminated`);
//! - `plugin/pkg/admission/serviceaccount/admission.go` (ServiceAccount: `serviceAccountName:
//!   default`, the projected `kube-api-access-<5>` volume and its mounts; mirror pods may not
//!   reference service accounts, secrets or token projections);
//! - `plugin/pkg/admission/noderestriction/admission.go` (`admitPodCreate`: what a kubelet may
//!   create);
//! - `plugin/pkg/admission/priority/admission.go` (system priority classes, `preemptionPolicy`);
//! - `plugin/pkg/admission/defaulttolerationseconds/admission.go` (300 s not-ready/unreachable);
//! - `pkg/registry/core/pod/strategy.go` (`PrepareForCreate`: phase Pending, QoS class,
//!   generation 1) and `staging/src/k8s.io/apiserver/pkg/registry/rest/create.go`
//!   (`BeforeCreate`: the generated name exists before validation runs).
//!
//! Simplifications: there are no ServiceAccount, Secret or PriorityClass objects in the emulated
//! API, so the ServiceAccount plugin does not check that the account exists (nor merge its
//! imagePullSecrets) and only the two system priority classes resolve. Defaulting and validation
//! live in another module; the world passes them in as a [`PodStrategy`].

use std::fmt;

use k8s_openapi::api::core::v1 as corev1;
use serde_json::Value;

use crate::apiserver::helpers::parse_quantity_milli;
use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// The annotation that marks a mirror pod (`kubetypes.ConfigMirrorAnnotationKey`).
pub const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";
/// The service account pods get when they name none.
pub const DEFAULT_SERVICE_ACCOUNT: &str = "default";
/// Where the service-account token volume is mounted.
pub const SERVICE_ACCOUNT_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// The prefix of the projected token volume's name.
pub const SERVICE_ACCOUNT_VOLUME_PREFIX: &str = "kube-api-access-";
/// `serviceaccount.WarnOnlyBoundTokenExpirationSeconds` (1 h 7 s).
pub const TOKEN_EXPIRATION_SECONDS: i64 = 3607;
/// `system-node-critical`'s value.
pub const SYSTEM_NODE_CRITICAL_PRIORITY: i32 = 2_000_001_000;
/// `system-cluster-critical`'s value.
pub const SYSTEM_CLUSTER_CRITICAL_PRIORITY: i32 = 2_000_000_000;
/// `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds`.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;
/// The not-ready taint key.
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
/// The unreachable taint key.
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";

/// Who sends the request; NodeRestriction applies only to kubelets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requester<'a> {
    /// kubectl as `kubernetes-admin` (group `system:masters`).
    Admin,
    /// A kubelet, authenticated as `system:node:<name>`.
    Node(&'a str),
    /// A control-plane component (its name, e.g. `replicaset-controller`).
    Controller(&'a str),
}

/// The pod strategy steps that live in other modules, passed in so this module compiles and
/// tests without them. The world wires the real ones once (non-capturing closures coerce to
/// `fn` pointers), roughly:
///
/// ```text
/// PodStrategy {
///     default: apiserver::defaults::set_defaults_pod,
///     validate: |pod| {
///         let errors = apiserver::validation::validate_pod_create(pod);
///         if errors.is_empty() { Ok(()) }
///         else { Err(apiserver::validation::invalid_error_message(/* pod, errors */)) }
///     },
/// }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PodStrategy {
    /// Decode-time defaulting (`SetObjectDefaults_Pod`).
    pub default: fn(&mut corev1::Pod),
    /// Validation after admission; `Err` carries the whole `Pod "x" is invalid: ...` message.
    pub validate: fn(&corev1::Pod) -> Result<(), String>,
}

impl PodStrategy {
    /// No defaulting and no validation (tests, and a world not yet wired).
    pub const PERMISSIVE: PodStrategy = PodStrategy {
        default: no_defaulting,
        validate: no_validation,
    };
}

fn no_defaulting(_: &mut corev1::Pod) {}

fn no_validation(_: &corev1::Pod) -> Result<(), String> {
    Ok(())
}

/// `admission.NewForbidden`: `pods "x" is forbidden: <why>` (`pods is forbidden:` unnamed).
pub fn forbidden(resource: Resource, name: &str, why: impl fmt::Display) -> ApiError {
    let message = if name.is_empty() {
        format!("{resource} is forbidden: {why}")
    } else {
        format!("{resource} \"{name}\" is forbidden: {why}")
    };
    ApiError::Forbidden { message }
}

/// NamespaceLifecycle for a create of `resource` named `name` in `namespace`: the namespace
/// must exist and must not be terminating.
pub fn check_namespace_for_create(
    api: &ApiServer,
    resource: Resource,
    name: &str,
    namespace: &str,
) -> Result<(), ApiError> {
    if !resource.namespaced() {
        return Ok(());
    }
    let key = ObjectKey::new(Resource::Namespaces, "", namespace);
    let Some(ns) = api.store().get_value(&key) else {
        return Err(ApiError::NotFound {
            resource: Resource::Namespaces,
            name: namespace.to_string(),
        });
    };
    let terminating = ns.at("/status/phase").and_then(Value::as_str) == Some("Terminating")
        || ns.at("/metadata/deletionTimestamp").is_some();
    if terminating {
        return Err(forbidden(
            resource,
            name,
            format!("unable to create new content in namespace {namespace} because it is being terminated"),
        ));
    }
    Ok(())
}

/// POST a pod as `requester`: defaulting, admission, `PrepareForCreate`, the generated name,
/// validation, storage. Returns the stored pod.
pub fn create_pod(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    strategy: &PodStrategy,
    requester: Requester<'_>,
    pod: &corev1::Pod,
) -> Result<corev1::Pod, ApiError> {
    api.check()?;
    let mut pod = pod.clone();
    (strategy.default)(&mut pod);
    let namespace = pod
        .metadata
        .namespace
        .clone()
        .filter(|ns| !ns.is_empty())
        .unwrap_or_else(|| "default".to_string());
    pod.metadata.namespace = Some(namespace.clone());
    let name = pod.metadata.name.clone().unwrap_or_default();

    // Mutating admission, in kube-apiserver's plugin order.
    check_namespace_for_create(api, Resource::Pods, &name, &namespace)?;
    admit_service_account(rng, &mut pod, &name)?;
    if let Requester::Node(node) = requester {
        admit_node_restriction(api, node, &pod, &name)?;
    }
    admit_priority(&mut pod, &name)?;
    admit_default_toleration_seconds(&mut pod);

    // rest.BeforeCreate: PrepareForCreate, then the generated name, then validation.
    prepare_for_create(&mut pod);
    if name.is_empty() {
        if let Some(prefix) = pod.metadata.generate_name.clone().filter(|p| !p.is_empty()) {
            pod.metadata.name = Some(format!("{prefix}{}", rng.name_suffix(5)));
        }
    }
    if let Err(message) = (strategy.validate)(&pod) {
        return Err(ApiError::Invalid {
            kind: "Pod",
            name: pod.metadata.name.clone().unwrap_or_default(),
            message,
        });
    }
    api.create(now, rng, Resource::Pods, &pod)
}

/// Whether the pod carries the mirror annotation.
pub fn is_mirror_pod(pod: &corev1::Pod) -> bool {
    pod.metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(MIRROR_POD_ANNOTATION))
}

/// The ServiceAccount plugin's `Admit` (which ends in its `Validate`).
fn admit_service_account(rng: &mut Rng, pod: &mut corev1::Pod, name: &str) -> Result<(), ApiError> {
    if is_mirror_pod(pod) {
        return validate_mirror_pod_references(pod, name);
    }
    let spec = pod.spec.get_or_insert_with(Default::default);
    if spec
        .service_account_name
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        spec.service_account_name = Some(DEFAULT_SERVICE_ACCOUNT.to_string());
    }
    if spec.automount_service_account_token == Some(false) {
        return Ok(());
    }
    let existing = spec
        .volumes
        .iter()
        .flatten()
        .find(|v| v.name.starts_with(SERVICE_ACCOUNT_VOLUME_PREFIX))
        .map(|v| v.name.clone());
    let volume_name = match &existing {
        Some(name) => name.clone(),
        None => format!("{SERVICE_ACCOUNT_VOLUME_PREFIX}{}", rng.name_suffix(5)),
    };
    let mount = corev1::VolumeMount {
        name: volume_name.clone(),
        read_only: Some(true),
        mount_path: SERVICE_ACCOUNT_MOUNT_PATH.to_string(),
        ..Default::default()
    };
    let mut needs_volume = false;
    let containers = spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut());
    for container in containers {
        let mounts = container.volume_mounts.get_or_insert_with(Vec::new);
        if !mounts
            .iter()
            .any(|m| m.mount_path == SERVICE_ACCOUNT_MOUNT_PATH)
        {
            mounts.push(mount.clone());
            needs_volume = true;
        }
    }
    if existing.is_none() && needs_volume {
        spec.volumes
            .get_or_insert_with(Vec::new)
            .push(token_volume(volume_name));
    }
    Ok(())
}

/// The projected volume `TokenVolumeSource` builds: token, cluster CA, namespace.
fn token_volume(name: String) -> corev1::Volume {
    corev1::Volume {
        name,
        projected: Some(corev1::ProjectedVolumeSource {
            default_mode: Some(0o644),
            sources: Some(vec![
                corev1::VolumeProjection {
                    service_account_token: Some(corev1::ServiceAccountTokenProjection {
                        path: "token".to_string(),
                        expiration_seconds: Some(TOKEN_EXPIRATION_SECONDS),
                        audience: None,
                    }),
                    ..Default::default()
                },
                corev1::VolumeProjection {
                    config_map: Some(corev1::ConfigMapProjection {
                        name: "kube-root-ca.crt".to_string(),
                        items: Some(vec![corev1::KeyToPath {
                            key: "ca.crt".to_string(),
                            path: "ca.crt".to_string(),
                            mode: None,
                        }]),
                        optional: None,
                    }),
                    ..Default::default()
                },
                corev1::VolumeProjection {
                    downward_api: Some(corev1::DownwardAPIProjection {
                        items: Some(vec![corev1::DownwardAPIVolumeFile {
                            path: "namespace".to_string(),
                            field_ref: Some(corev1::ObjectFieldSelector {
                                api_version: Some("v1".to_string()),
                                field_path: "metadata.namespace".to_string(),
                            }),
                            ..Default::default()
                        }]),
                    }),
                    ..Default::default()
                },
            ]),
        }),
        ..Default::default()
    }
}

/// The ServiceAccount plugin's `Validate` for mirror pods.
fn validate_mirror_pod_references(pod: &corev1::Pod, name: &str) -> Result<(), ApiError> {
    let spec = pod.spec.as_ref();
    if !spec
        .and_then(|s| s.service_account_name.as_deref())
        .unwrap_or_default()
        .is_empty()
    {
        return Err(forbidden(
            Resource::Pods,
            name,
            "a mirror pod may not reference service accounts",
        ));
    }
    let json = serde_json::to_value(pod).unwrap_or(Value::Null);
    if references_secrets(&json) {
        return Err(forbidden(
            Resource::Pods,
            name,
            "a mirror pod may not reference secrets",
        ));
    }
    if projected_sources(&json).any(|s| s.get("serviceAccountToken").is_some()) {
        return Err(forbidden(
            Resource::Pods,
            name,
            "a mirror pod may not use ServiceAccountToken volume projections",
        ));
    }
    Ok(())
}

/// NodeRestriction's `admitPodCreate` for a kubelet named `node`.
fn admit_node_restriction(
    api: &ApiServer,
    node: &str,
    pod: &corev1::Pod,
    name: &str,
) -> Result<(), ApiError> {
    let deny = |why: String| Err(forbidden(Resource::Pods, name, why));
    if !is_mirror_pod(pod) {
        return deny(format!(
            "pod does not have \"{MIRROR_POD_ANNOTATION}\" annotation, node \"{node}\" can only create mirror pods"
        ));
    }
    let spec = pod.spec.clone().unwrap_or_default();
    if spec.node_name.as_deref().unwrap_or_default() != node {
        return deny(format!(
            "node \"{node}\" can only create pods with spec.nodeName set to itself"
        ));
    }
    let owners = pod.metadata.owner_references.as_deref().unwrap_or_default();
    match owners {
        [] => {
            return deny(format!(
                "node \"{node}\" can only create pods with an owner reference set to itself"
            ))
        }
        [owner] => {
            if owner.api_version != "v1" || owner.kind != "Node" || owner.name != node {
                return deny(format!(
                    "node \"{node}\" can only create pods with an owner reference set to itself"
                ));
            }
            if owner.controller != Some(true) {
                return deny(format!(
                    "node \"{node}\" can only create pods with a controller owner reference set to itself"
                ));
            }
            if owner.block_owner_deletion == Some(true) {
                return deny(format!(
                    "node \"{node}\" must not set blockOwnerDeletion on an owner reference"
                ));
            }
            let key = ObjectKey::new(Resource::Nodes, "", node);
            let Some(node_object) = api.store().get_value(&key) else {
                return Err(ApiError::NotFound {
                    resource: Resource::Nodes,
                    name: node.to_string(),
                });
            };
            let node_uid = node_object
                .at("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if owner.uid != node_uid {
                return deny(format!(
                    "node {node} UID mismatch: expected {} got {node_uid}",
                    owner.uid
                ));
            }
        }
        _ => {
            return deny(format!(
                "node \"{node}\" can only create pods with a single owner reference set to itself"
            ))
        }
    }
    if !spec
        .service_account_name
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        return deny(format!(
            "node \"{node}\" can not create pods that reference a service account"
        ));
    }
    let json = serde_json::to_value(pod).unwrap_or(Value::Null);
    if references_secrets(&json) {
        return deny(format!(
            "node \"{node}\" can not create pods that reference secrets"
        ));
    }
    if references_config_maps(&json) {
        return deny(format!(
            "node \"{node}\" can not create pods that reference configmaps"
        ));
    }
    if projected_sources(&json).any(|s| s.get("clusterTrustBundle").is_some()) {
        return deny(format!(
            "node \"{node}\" can not create pods that reference clustertrustbundles"
        ));
    }
    let volumes = json.at("/spec/volumes").and_then(Value::as_array);
    if volumes
        .into_iter()
        .flatten()
        .any(|v| v.get("persistentVolumeClaim").is_some())
    {
        return deny(format!(
            "node \"{node}\" can not create pods that reference persistentvolumeclaims"
        ));
    }
    Ok(())
}

/// Every container of the pod (init, regular, ephemeral), as JSON.
fn all_containers(pod: &Value) -> impl Iterator<Item = &Value> {
    ["initContainers", "containers", "ephemeralContainers"]
        .into_iter()
        .filter_map(|k| pod.at(&format!("/spec/{k}")).and_then(Value::as_array))
        .flatten()
}

/// The sources of every projected volume.
fn projected_sources(pod: &Value) -> impl Iterator<Item = &Value> {
    pod.at("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.at("/projected/sources").and_then(Value::as_array))
        .flatten()
}

/// `podutil.VisitPodSecretNames` found anything.
fn references_secrets(pod: &Value) -> bool {
    let pull_secrets = pod
        .at("/spec/imagePullSecrets")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    let in_containers = all_containers(pod).any(|c| {
        let env_from = c
            .get("envFrom")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let env = c.get("env").and_then(Value::as_array).into_iter().flatten();
        env_from.into_iter().any(|e| e.get("secretRef").is_some())
            || env
                .into_iter()
                .any(|e| e.at("/valueFrom/secretKeyRef").is_some())
    });
    const VOLUME_SECRET_PATHS: [&str; 10] = [
        "/secret",
        "/azureFile/secretName",
        "/cephfs/secretRef",
        "/cinder/secretRef",
        "/flexVolume/secretRef",
        "/rbd/secretRef",
        "/scaleIO/secretRef",
        "/iscsi/secretRef",
        "/storageos/secretRef",
        "/csi/nodePublishSecretRef",
    ];
    let in_volumes = pod
        .at("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|v| VOLUME_SECRET_PATHS.iter().any(|p| v.at(p).is_some()));
    let in_projections = projected_sources(pod).any(|s| s.get("secret").is_some());
    pull_secrets || in_containers || in_volumes || in_projections
}

/// `podutil.VisitPodConfigmapNames` found anything.
fn references_config_maps(pod: &Value) -> bool {
    let in_containers = all_containers(pod).any(|c| {
        let env_from = c
            .get("envFrom")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let env = c.get("env").and_then(Value::as_array).into_iter().flatten();
        env_from
            .into_iter()
            .any(|e| e.get("configMapRef").is_some())
            || env
                .into_iter()
                .any(|e| e.at("/valueFrom/configMapKeyRef").is_some())
    });
    let in_volumes = pod
        .at("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|v| v.get("configMap").is_some());
    let in_projections = projected_sources(pod).any(|s| s.get("configMap").is_some());
    in_containers || in_volumes || in_projections
}

/// The Priority plugin's `admitPod` on create.
fn admit_priority(pod: &mut corev1::Pod, name: &str) -> Result<(), ApiError> {
    let spec = pod.spec.get_or_insert_with(Default::default);
    let class = spec.priority_class_name.clone().unwrap_or_default();
    let priority = match class.as_str() {
        "" => 0,
        "system-node-critical" => SYSTEM_NODE_CRITICAL_PRIORITY,
        "system-cluster-critical" => SYSTEM_CLUSTER_CRITICAL_PRIORITY,
        other => {
            return Err(forbidden(
                Resource::Pods,
                name,
                format!("no PriorityClass with name {other} was found"),
            ))
        }
    };
    if let Some(given) = spec.priority {
        if given != priority {
            return Err(forbidden(
                Resource::Pods,
                name,
                format!("the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name"),
            ));
        }
    }
    spec.priority = Some(priority);
    let policy = "PreemptLowerPriority";
    if let Some(given) = spec.preemption_policy.as_deref() {
        if given != policy {
            return Err(forbidden(
                Resource::Pods,
                name,
                format!("the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name"),
            ));
        }
    }
    spec.preemption_policy = Some(policy.to_string());
    Ok(())
}

/// DefaultTolerationSeconds: tolerate not-ready and unreachable for 300 s unless the pod
/// already tolerates them (an empty key or effect counts).
pub(crate) fn admit_default_toleration_seconds(pod: &mut corev1::Pod) {
    let spec = pod.spec.get_or_insert_with(Default::default);
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    let tolerates = |key: &str| {
        tolerations.iter().any(|t| {
            let k = t.key.as_deref().unwrap_or_default();
            let e = t.effect.as_deref().unwrap_or_default();
            (k == key || k.is_empty()) && (e == "NoExecute" || e.is_empty())
        })
    };
    let missing: Vec<&str> = [TAINT_NOT_READY, TAINT_UNREACHABLE]
        .into_iter()
        .filter(|key| !tolerates(key))
        .collect();
    for key in missing {
        tolerations.push(corev1::Toleration {
            key: Some(key.to_string()),
            operator: Some("Exists".to_string()),
            effect: Some("NoExecute".to_string()),
            toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
            value: None,
        });
    }
}

/// The pod strategy's `PrepareForCreate`: a fresh status (phase Pending and the QoS class)
/// and generation 1.
fn prepare_for_create(pod: &mut corev1::Pod) {
    let qos = qos_class(pod);
    pod.status = Some(corev1::PodStatus {
        phase: Some("Pending".to_string()),
        qos_class: Some(qos.to_string()),
        ..Default::default()
    });
    pod.metadata.generation = Some(1);
    pod.metadata.deletion_timestamp = None;
    pod.metadata.deletion_grace_period_seconds = None;
}

/// `qos.GetPodQOS`, from cpu and memory requests and limits.
pub fn qos_class(pod: &corev1::Pod) -> &'static str {
    let Some(spec) = pod.spec.as_ref() else {
        return "BestEffort";
    };
    let containers: Vec<&corev1::Container> = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter())
        .collect();
    let mut any_set = false;
    let mut guaranteed = true;
    for c in containers {
        let requests = c.resources.as_ref().and_then(|r| r.requests.as_ref());
        let limits = c.resources.as_ref().and_then(|r| r.limits.as_ref());
        for resource in ["cpu", "memory"] {
            let request = requests
                .and_then(|m| m.get(resource))
                .and_then(|q| parse_quantity_milli(&q.0))
                .filter(|v| *v != 0);
            let limit = limits
                .and_then(|m| m.get(resource))
                .and_then(|q| parse_quantity_milli(&q.0))
                .filter(|v| *v != 0);
            if request.is_some() || limit.is_some() {
                any_set = true;
            }
            match (request, limit) {
                (_, None) => guaranteed = false,
                (Some(r), Some(l)) if r != l => guaranteed = false,
                _ => (),
            }
        }
    }
    if !any_set {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::testutil::{api_with_namespaces, node, pod};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

    fn create(
        api: &mut ApiServer,
        rng: &mut Rng,
        who: Requester<'_>,
        pod: &corev1::Pod,
    ) -> Result<corev1::Pod, ApiError> {
        create_pod(SimTime(1000), rng, api, &PodStrategy::PERMISSIVE, who, pod)
    }

    fn mirror_pod(api: &ApiServer, node_name: &str) -> corev1::Pod {
        let node_uid = api
            .store()
            .get_value(&ObjectKey::new(Resource::Nodes, "", node_name))
            .and_then(|n| {
                n.at("/metadata/uid")
                    .and_then(Value::as_str)
                    .map(String::from)
            })
            .unwrap_or_default();
        let mut p = pod(&format!("etcd-{node_name}"));
        p.metadata.namespace = Some("kube-system".into());
        p.metadata.annotations =
            Some([(MIRROR_POD_ANNOTATION.to_string(), "abc".to_string())].into());
        p.metadata.owner_references = Some(vec![metav1::OwnerReference {
            api_version: "v1".into(),
            kind: "Node".into(),
            name: node_name.into(),
            uid: node_uid,
            controller: Some(true),
            block_owner_deletion: None,
        }]);
        let spec = p.spec.as_mut().unwrap();
        spec.node_name = Some(node_name.into());
        spec.priority_class_name = Some("system-node-critical".into());
        p
    }

    #[test]
    fn namespace_must_exist() {
        let (mut api, mut rng) = api_with_namespaces();
        let mut p = pod("web");
        p.metadata.namespace = Some("nope".into());
        let err = create(&mut api, &mut rng, Requester::Admin, &p).unwrap_err();
        assert_eq!(err.to_string(), "namespaces \"nope\" not found");
    }

    #[test]
    fn service_account_admission_mounts_the_token() {
        let (mut api, mut rng) = api_with_namespaces();
        let created = create(&mut api, &mut rng, Requester::Admin, &pod("web")).unwrap();
        let spec = created.spec.unwrap();
        assert_eq!(spec.service_account_name.as_deref(), Some("default"));
        let volumes = spec.volumes.unwrap();
        assert_eq!(volumes.len(), 1);
        let name = &volumes[0].name;
        assert!(name.starts_with("kube-api-access-"));
        assert_eq!(name.len(), "kube-api-access-".len() + 5);
        let json = serde_json::to_value(&volumes[0]).unwrap();
        assert_eq!(json["projected"]["defaultMode"], 420);
        assert_eq!(
            json["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"],
            3607
        );
        assert_eq!(
            json["projected"]["sources"][1]["configMap"]["name"],
            "kube-root-ca.crt"
        );
        assert_eq!(
            json["projected"]["sources"][2]["downwardAPI"]["items"][0]["fieldRef"]["fieldPath"],
            "metadata.namespace"
        );
        let mounts = spec.containers[0].volume_mounts.clone().unwrap();
        assert_eq!(mounts[0].name, *name);
        assert_eq!(mounts[0].mount_path, SERVICE_ACCOUNT_MOUNT_PATH);
        assert_eq!(mounts[0].read_only, Some(true));
        let status = created.status.unwrap();
        assert_eq!(status.phase.as_deref(), Some("Pending"));
        assert_eq!(status.qos_class.as_deref(), Some("BestEffort"));
    }

    #[test]
    fn priority_and_default_tolerations() {
        let (mut api, mut rng) = api_with_namespaces();
        let plain = create(&mut api, &mut rng, Requester::Admin, &pod("web")).unwrap();
        let spec = plain.spec.unwrap();
        assert_eq!(spec.priority, Some(0));
        assert_eq!(
            spec.preemption_policy.as_deref(),
            Some("PreemptLowerPriority")
        );
        let tolerations = spec.tolerations.unwrap();
        assert_eq!(tolerations.len(), 2);
        assert_eq!(tolerations[0].key.as_deref(), Some(TAINT_NOT_READY));
        assert_eq!(tolerations[1].key.as_deref(), Some(TAINT_UNREACHABLE));
        assert_eq!(tolerations[1].toleration_seconds, Some(300));

        let mut critical = pod("dns");
        critical.spec.as_mut().unwrap().priority_class_name =
            Some("system-cluster-critical".into());
        critical.spec.as_mut().unwrap().tolerations = Some(vec![corev1::Toleration {
            operator: Some("Exists".into()),
            ..Default::default()
        }]);
        let spec = create(&mut api, &mut rng, Requester::Admin, &critical)
            .unwrap()
            .spec
            .unwrap();
        assert_eq!(spec.priority, Some(2_000_000_000));
        assert_eq!(spec.tolerations.unwrap().len(), 1);

        let mut unknown = pod("x");
        unknown.spec.as_mut().unwrap().priority_class_name = Some("gold".into());
        let err = create(&mut api, &mut rng, Requester::Admin, &unknown).unwrap_err();
        assert_eq!(
            err.to_string(),
            "pods \"x\" is forbidden: no PriorityClass with name gold was found"
        );
    }

    #[test]
    fn mirror_pods_from_their_node_are_admitted() {
        let (mut api, mut rng) = api_with_namespaces();
        api.create(SimTime(0), &mut rng, Resource::Nodes, &node("node01"))
            .unwrap();
        let p = mirror_pod(&api, "node01");
        let created = create(&mut api, &mut rng, Requester::Node("node01"), &p).unwrap();
        let spec = created.spec.unwrap();
        assert_eq!(spec.service_account_name, None);
        assert_eq!(spec.volumes, None);
        assert_eq!(spec.priority, Some(2_000_001_000));
    }

    #[test]
    fn node_restriction_refuses_with_upstream_wording() {
        let (mut api, mut rng) = api_with_namespaces();
        api.create(SimTime(0), &mut rng, Resource::Nodes, &node("node01"))
            .unwrap();
        api.create(SimTime(0), &mut rng, Resource::Nodes, &node("controlplane"))
            .unwrap();
        let refuse = |api: &mut ApiServer, rng: &mut Rng, p: &corev1::Pod| {
            create(api, rng, Requester::Node("node01"), p)
                .unwrap_err()
                .to_string()
        };

        assert_eq!(
            refuse(&mut api, &mut rng, &pod("web")),
            "pods \"web\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"node01\" can only create mirror pods"
        );
        let other = mirror_pod(&api, "controlplane");
        assert_eq!(
            refuse(&mut api, &mut rng, &other),
            "pods \"etcd-controlplane\" is forbidden: node \"node01\" can only create pods with spec.nodeName set to itself"
        );
        let mut no_owner = mirror_pod(&api, "node01");
        no_owner.metadata.owner_references = None;
        assert_eq!(
            refuse(&mut api, &mut rng, &no_owner),
            "pods \"etcd-node01\" is forbidden: node \"node01\" can only create pods with an owner reference set to itself"
        );
        let mut with_config_map = mirror_pod(&api, "node01");
        with_config_map.spec.as_mut().unwrap().volumes = Some(vec![corev1::Volume {
            name: "cfg".into(),
            config_map: Some(corev1::ConfigMapVolumeSource {
                name: "settings".into(),
                ..Default::default()
            }),
            ..Default::default()
        }]);
        assert_eq!(
            refuse(&mut api, &mut rng, &with_config_map),
            "pods \"etcd-node01\" is forbidden: node \"node01\" can not create pods that reference configmaps"
        );
        let mut with_secret = mirror_pod(&api, "node01");
        with_secret.spec.as_mut().unwrap().volumes = Some(vec![corev1::Volume {
            name: "certs".into(),
            secret: Some(corev1::SecretVolumeSource {
                secret_name: Some("certs".into()),
                ..Default::default()
            }),
            ..Default::default()
        }]);
        // The ServiceAccount plugin runs first and words it its own way.
        assert_eq!(
            refuse(&mut api, &mut rng, &with_secret),
            "pods \"etcd-node01\" is forbidden: a mirror pod may not reference secrets"
        );
        let mut with_sa = mirror_pod(&api, "node01");
        with_sa.spec.as_mut().unwrap().service_account_name = Some("default".into());
        assert_eq!(
            refuse(&mut api, &mut rng, &with_sa),
            "pods \"etcd-node01\" is forbidden: a mirror pod may not reference service accounts"
        );
        let mut with_pvc = mirror_pod(&api, "node01");
        with_pvc.spec.as_mut().unwrap().volumes = Some(vec![corev1::Volume {
            name: "data".into(),
            persistent_volume_claim: Some(corev1::PersistentVolumeClaimVolumeSource {
                claim_name: "data".into(),
                read_only: None,
            }),
            ..Default::default()
        }]);
        assert_eq!(
            refuse(&mut api, &mut rng, &with_pvc),
            "pods \"etcd-node01\" is forbidden: node \"node01\" can not create pods that reference persistentvolumeclaims"
        );
        let mut wrong_uid = mirror_pod(&api, "node01");
        wrong_uid.metadata.owner_references.as_mut().unwrap()[0].uid = "123".into();
        let err = refuse(&mut api, &mut rng, &wrong_uid);
        assert!(
            err.starts_with(
                "pods \"etcd-node01\" is forbidden: node node01 UID mismatch: expected 123 got "
            ),
            "{err}"
        );
    }

    #[test]
    fn validation_runs_after_admission_with_the_generated_name() {
        let (mut api, mut rng) = api_with_namespaces();
        fn reject(pod: &corev1::Pod) -> Result<(), String> {
            Err(format!(
                "Pod \"{}\" is invalid: spec.containers: Required value",
                pod.metadata.name.as_deref().unwrap_or_default()
            ))
        }
        let strategy = PodStrategy {
            validate: reject,
            ..PodStrategy::PERMISSIVE
        };
        let mut p = pod("");
        p.metadata.name = None;
        p.metadata.generate_name = Some("web-".into());
        let err = create_pod(
            SimTime(0),
            &mut rng,
            &mut api,
            &strategy,
            Requester::Admin,
            &p,
        )
        .unwrap_err();
        assert_eq!(err.reason(), "Invalid");
        let message = err.to_string();
        assert!(message.starts_with("Pod \"web-"), "{message}");
        assert!(
            message.ends_with("\" is invalid: spec.containers: Required value"),
            "{message}"
        );
    }

    #[test]
    fn terminating_namespaces_refuse_new_content() {
        let (mut api, mut rng) = api_with_namespaces();
        let mut ns: Value = api
            .store()
            .get_value(&ObjectKey::new(Resource::Namespaces, "", "default"))
            .unwrap()
            .clone();
        ns["status"]["phase"] = "Terminating".into();
        api.store_mut()
            .put(ObjectKey::new(Resource::Namespaces, "", "default"), ns);
        let err = create(&mut api, &mut rng, Requester::Admin, &pod("web")).unwrap_err();
        assert_eq!(err.to_string(), "pods \"web\" is forbidden: unable to create new content in namespace default because it is being terminated");
    }
}
