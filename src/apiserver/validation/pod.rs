//! Mirrors `pkg/apis/core/validation/validation.go` (v1.34): `ValidatePodCreate` →
//! `validatePodMetadataAndSpec` → `ValidateObjectMeta` (with
//! `staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go` and
//! `pkg/apis/meta/v1/validation` for labels), `ValidatePodSpecificAnnotations` and
//! `ValidatePodSpec`, in upstream's order, on a defaulted v1 Pod.
//!
//! Covered: metadata (name, generateName, namespace, generation, labels, annotations and their
//! total size, owner reference fields, finalizers), the mirror-pod and pod-deletion-cost
//! annotations; volumes (name, uniqueness, exactly one source, and the fields of hostPath,
//! emptyDir, secret, configMap, downwardAPI, projected, persistentVolumeClaim, nfs, gitRepo, csi,
//! ephemeral, image and the required fields of the cloud/network sources); resource claims;
//! containers, init containers and ephemeral containers (name, image, uniqueness across init
//! and regular containers, terminationMessagePolicy, ports, env and envFrom, volumeMounts and
//! volumeDevices, imagePullPolicy, resources with requests ≤ limits, resizePolicy,
//! securityContext, probes, lifecycle handlers, restartPolicy, host port conflicts);
//! `spec.containers: Required value`; hostNetwork ports; restartPolicy; dnsPolicy;
//! nodeSelector; the pod securityContext (ids, sysctls, seccomp, AppArmor, fsGroupChangePolicy,
//! supplementalGroupsPolicy); dnsConfig (except nameserver IPs); readinessGates;
//! schedulingGates; hostUsers; serviceAccountName; nodeName; activeDeadlineSeconds; hostname;
//! subdomain; tolerations; hostAliases hostnames; priorityClassName; runtimeClassName;
//! preemptionPolicy; os; the serviceAccountToken rule; image whitespace; and the create-only
//! rules (no ephemeral containers, no nodeName with scheduling gates).
//!
//! Left out (deliberately): the seccomp/AppArmor annotations and their match with the fields,
//! the tolerations annotation, affinity, topologySpreadConstraints, pod-level resources and
//! overhead, Windows options and host-process pods, SELinux change policy, IP address syntax
//! (dnsConfig nameservers, hostAliases IPs), the PVC spec inside ephemeral volume templates,
//! owner-reference banning and "only one controller", `managedFields`, and the detailed checks
//! of iSCSI, FC, Flocker, Quobyte, StorageOS, FlexVolume options and AzureDisk enums.
//!
//! Deliberate simplifications:
//! - Feature gates are fixed at their v1.34 defaults (relaxed env var names and DNS searches,
//!   zero-second sleep actions, sidecar resize policies allowed; privileged containers allowed,
//!   as kubeadm clusters and the kubelet configure it).
//! - Map fields (labels, annotations, resource lists) are visited in key order; Go visits them
//!   in random order, so upstream's order of those errors is not deterministic anyway.
//! - A quantity that does not parse is reported as an Invalid value with the parse error as
//!   detail (upstream refuses such a pod already when decoding it).
//! - Struct-valued bad values (a security context or seccomp profile) are rendered as the JSON
//!   of the internal Go struct on a best-effort basis.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::field::{go_quote, json_quote, BadValue, FieldError, Path};
use super::names::{
    inclusive_range_error, is_config_map_key, is_dns1123_label, is_dns1123_subdomain,
    is_dns1123_subdomain_with_underscore, is_http_header_name, is_qualified_name,
    is_relaxed_env_var_name, is_valid_group_id, is_valid_label_value, is_valid_port_name,
    is_valid_port_num, is_valid_user_id, name_is_dns_label, name_is_dns_subdomain,
};
use super::quantity::Quantity;
use crate::apiserver::podutil::service_account_name;

type Errs = Vec<FieldError>;

const IS_NEGATIVE_ERROR_MSG: &str = "must be greater than or equal to 0";
const IS_NOT_INTEGER_ERROR_MSG: &str = "must be an integer";
const FILE_MODE_ERROR_MSG: &str = "must be a number between 0 and 0777 (octal), both inclusive";
const TOTAL_ANNOTATION_SIZE_LIMIT_B: usize = 256 * (1 << 10);
const MIRROR_POD_ANNOTATION_KEY: &str = "kubernetes.io/config.mirror";
const POD_DELETION_COST_ANNOTATION_KEY: &str = "controller.kubernetes.io/pod-deletion-cost";

/// Which caller validates: the two differ in a few rules upstream (`ResourceIsPod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodValidationOptions {
    /// True when the object is a Pod seen by the API server's pod strategy; the kubelet
    /// validates static pods with this false.
    pub resource_is_pod: bool,
}

impl PodValidationOptions {
    /// The options the API server's pod strategy uses.
    pub fn api_server() -> PodValidationOptions {
        PodValidationOptions {
            resource_is_pod: true,
        }
    }

    /// The options the kubelet uses for a static pod manifest.
    pub fn kubelet() -> PodValidationOptions {
        PodValidationOptions {
            resource_is_pod: false,
        }
    }
}

/// ValidatePodCreate: everything wrong with a new pod, in upstream's order.
pub fn validate_pod_create(pod: &corev1::Pod) -> Vec<FieldError> {
    validate_pod_create_with(pod, PodValidationOptions::api_server())
}

/// `ValidatePodCreate` with explicit options (the kubelet passes [`PodValidationOptions::kubelet`]).
pub fn validate_pod_create_with(pod: &corev1::Pod, opts: PodValidationOptions) -> Vec<FieldError> {
    let empty_spec = corev1::PodSpec::default();
    let spec = pod.spec.as_ref().unwrap_or(&empty_spec);
    let mut errs = validate_pod_metadata_and_spec(&pod.metadata, spec, opts);
    let spec_path = Path::new("spec");
    if !list(&spec.ephemeral_containers).is_empty() {
        errs.push(FieldError::forbidden(
            &spec_path.child("ephemeralContainers"),
            "cannot be set on create",
        ));
    }
    if !str_of(&spec.node_name).is_empty() && !list(&spec.scheduling_gates).is_empty() {
        errs.push(FieldError::forbidden(
            &spec_path.child("nodeName"),
            "cannot be set until all schedulingGates have been cleared",
        ));
    }
    errs
}

fn validate_pod_metadata_and_spec(
    meta: &metav1::ObjectMeta,
    spec: &corev1::PodSpec,
    opts: PodValidationOptions,
) -> Errs {
    let meta_path = Path::new("metadata");
    let spec_path = Path::new("spec");
    let mut errs = Errs::new();
    validate_object_meta(meta, &meta_path, &mut errs);
    validate_pod_specific_annotations(meta, spec, &meta_path.child("annotations"), &mut errs);
    validate_pod_spec(spec, meta, &spec_path, opts, &mut errs);

    // Pod-only rules, kept out of ValidatePodSpec upstream for backwards compatibility.
    if service_account_name(spec).is_empty() {
        for (vi, volume) in list(&spec.volumes).iter().enumerate() {
            let Some(projected) = volume.projected.as_ref() else {
                continue;
            };
            let path = spec_path.child("volumes").index(vi).child("projected");
            for (si, source) in list(&projected.sources).iter().enumerate() {
                if source.service_account_token.is_some() {
                    errs.push(FieldError::forbidden(
                        &path.child("sources").index(si).child("serviceAccountToken"),
                        "must not be specified when serviceAccountName is not set",
                    ));
                }
            }
        }
    }
    for (i, c) in spec.containers.iter().enumerate() {
        validate_image_whitespace(
            c.image.as_deref(),
            &spec_path.child("containers").index(i),
            &mut errs,
        );
    }
    for (i, c) in list(&spec.init_containers).iter().enumerate() {
        validate_image_whitespace(
            c.image.as_deref(),
            &spec_path.child("initContainers").index(i),
            &mut errs,
        );
    }
    errs
}

fn validate_image_whitespace(image: Option<&str>, path: &Path, errs: &mut Errs) {
    let image = image.unwrap_or("");
    if image.len() != image.trim().len() {
        errs.push(FieldError::invalid(
            &path.child("image"),
            BadValue::str(image),
            "must not have leading or trailing whitespace",
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Object metadata.

fn validate_object_meta(meta: &metav1::ObjectMeta, path: &Path, errs: &mut Errs) {
    let generate_name = str_of(&meta.generate_name);
    if !generate_name.is_empty() {
        for msg in name_is_dns_subdomain(generate_name, true) {
            errs.push(FieldError::invalid(
                &path.child("generateName"),
                BadValue::str(generate_name),
                &msg,
            ));
        }
    }
    let name = str_of(&meta.name);
    if name.is_empty() {
        errs.push(FieldError::required(
            &path.child("name"),
            "name or generateName is required",
        ));
    } else {
        for msg in name_is_dns_subdomain(name, false) {
            errs.push(FieldError::invalid(
                &path.child("name"),
                BadValue::str(name),
                &msg,
            ));
        }
    }
    let namespace = str_of(&meta.namespace);
    if namespace.is_empty() {
        errs.push(FieldError::required(&path.child("namespace"), ""));
    } else {
        for msg in name_is_dns_label(namespace, false) {
            errs.push(FieldError::invalid(
                &path.child("namespace"),
                BadValue::str(namespace),
                &msg,
            ));
        }
    }
    if let Some(generation) = meta.generation {
        if generation < 0 {
            errs.push(FieldError::invalid(
                &path.child("generation"),
                BadValue::Int(generation),
                IS_NEGATIVE_ERROR_MSG,
            ));
        }
    }
    validate_labels(meta.labels.as_ref(), &path.child("labels"), errs);
    validate_annotations(meta.annotations.as_ref(), &path.child("annotations"), errs);
    validate_owner_references(
        meta.owner_references.as_deref(),
        &path.child("ownerReferences"),
        errs,
    );
    let finalizers = meta.finalizers.as_deref().unwrap_or(&[]);
    validate_finalizers(finalizers, &path.child("finalizers"), errs);
    for (i, finalizer) in finalizers.iter().enumerate() {
        let standard = matches!(
            finalizer.as_str(),
            "kubernetes" | "orphan" | "foregroundDeletion"
        );
        if !finalizer.contains('/') && !standard {
            errs.push(FieldError::invalid(
                &path.child("finalizers").index(i),
                BadValue::str(finalizer),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
}

/// `ValidateLabels`: every key a qualified name, every value a label value.
fn validate_labels(labels: Option<&BTreeMap<String, String>>, path: &Path, errs: &mut Errs) {
    for (key, value) in labels.into_iter().flatten() {
        for msg in is_qualified_name(key) {
            errs.push(FieldError::invalid(path, BadValue::str(key), &msg));
        }
        for msg in is_valid_label_value(value) {
            errs.push(FieldError::invalid(path, BadValue::str(value), &msg));
        }
    }
}

/// `ValidateAnnotations`: keys are qualified names (case-insensitively), 256 KiB in total.
fn validate_annotations(
    annotations: Option<&BTreeMap<String, String>>,
    path: &Path,
    errs: &mut Errs,
) {
    let mut total = 0usize;
    for (key, value) in annotations.into_iter().flatten() {
        for msg in is_qualified_name(&key.to_lowercase()) {
            errs.push(FieldError::invalid(path, BadValue::str(key), &msg));
        }
        total += key.len() + value.len();
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_B {
        errs.push(FieldError::too_long(
            path,
            TOTAL_ANNOTATION_SIZE_LIMIT_B as i64,
        ));
    }
}

fn validate_owner_references(
    refs: Option<&[metav1::OwnerReference]>,
    path: &Path,
    errs: &mut Errs,
) {
    for r in refs.unwrap_or(&[]) {
        // schema.FromAPIVersionAndKind: a version needs "v" or "group/v"; more slashes fail.
        let version = match r.api_version.matches('/').count() {
            0 => r.api_version.as_str(),
            1 => r.api_version.split('/').nth(1).unwrap_or(""),
            _ => "",
        };
        if version.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("apiVersion"),
                BadValue::str(&r.api_version),
                "version must not be empty",
            ));
        }
        if r.kind.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("kind"),
                BadValue::str(&r.kind),
                "must not be empty",
            ));
        }
        if r.name.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("name"),
                BadValue::str(&r.name),
                "must not be empty",
            ));
        }
        if r.uid.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("uid"),
                BadValue::typed(&r.uid),
                "must not be empty",
            ));
        }
    }
}

fn validate_finalizers(finalizers: &[String], path: &Path, errs: &mut Errs) {
    for finalizer in finalizers {
        for msg in is_qualified_name(finalizer) {
            errs.push(FieldError::invalid(path, BadValue::str(finalizer), &msg));
        }
    }
    let has = |name: &str| finalizers.iter().any(|f| f == name);
    if has("orphan") && has("foregroundDeletion") {
        errs.push(FieldError::invalid(
            path,
            BadValue::strings(finalizers),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
}

/// `ValidatePodSpecificAnnotations` (mirror pod and deletion cost parts).
fn validate_pod_specific_annotations(
    meta: &metav1::ObjectMeta,
    spec: &corev1::PodSpec,
    path: &Path,
    errs: &mut Errs,
) {
    let annotations = meta.annotations.as_ref();
    let get = |key: &str| annotations.and_then(|a| a.get(key));
    if let Some(value) = get(MIRROR_POD_ANNOTATION_KEY) {
        if str_of(&spec.node_name).is_empty() {
            errs.push(FieldError::invalid(
                &path.key(MIRROR_POD_ANNOTATION_KEY),
                BadValue::str(value),
                "must set spec.nodeName if mirror pod annotation is set",
            ));
        }
    }
    if let Some(value) = get(POD_DELETION_COST_ANNOTATION_KEY) {
        // Go accepts an optional '-' then digits, no '+' and no leading zeros, within int32.
        let first_ok = match value.as_bytes().first() {
            Some(b'-') => true,
            Some(b'0') => value == "0",
            Some(b'1'..=b'9') => true,
            _ => false,
        };
        let parses = value.parse::<i32>().is_ok() && !value.starts_with('+');
        if !(first_ok && parses) {
            errs.push(FieldError::invalid(
                &path.key(POD_DELETION_COST_ANNOTATION_KEY),
                BadValue::str(value),
                "must be a 32bit integer",
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The pod spec.

fn validate_pod_spec(
    spec: &corev1::PodSpec,
    meta: &metav1::ObjectMeta,
    path: &Path,
    opts: PodValidationOptions,
    errs: &mut Errs,
) {
    if spec.termination_grace_period_seconds.is_none() {
        errs.push(FieldError::required(
            &path.child("terminationGracePeriodSeconds"),
            "",
        ));
    }
    let grace = spec.termination_grace_period_seconds;
    let host_users = spec.host_users.unwrap_or(true);
    let restart_policy = str_of(&spec.restart_policy);

    let volumes = validate_volumes(
        list(&spec.volumes),
        meta,
        &path.child("volumes"),
        opts,
        errs,
    );
    let claim_names: BTreeSet<String> = list(&spec.resource_claims)
        .iter()
        .filter(|c| !c.name.is_empty())
        .map(|c| c.name.clone())
        .collect();
    validate_pod_resource_claims(
        list(&spec.resource_claims),
        &path.child("resourceClaims"),
        errs,
    );
    let ctx = ContainerContext {
        volumes: &volumes,
        claim_names: &claim_names,
        restart_policy,
        host_users,
        grace,
    };
    validate_containers(&spec.containers, &ctx, &path.child("containers"), errs);
    validate_init_containers(
        list(&spec.init_containers),
        &spec.containers,
        &ctx,
        &path.child("initContainers"),
        errs,
    );
    validate_ephemeral_containers(spec, &ctx, &path.child("ephemeralContainers"), errs);

    validate_host_network_deps(spec, path, opts, errs);
    validate_restart_policy(restart_policy, &path.child("restartPolicy"), errs);
    validate_dns_policy(str_of(&spec.dns_policy), &path.child("dnsPolicy"), errs);
    validate_labels(
        spec.node_selector.as_ref(),
        &path.child("nodeSelector"),
        errs,
    );
    validate_pod_security_context(spec, &path.child("securityContext"), errs);
    validate_dns_config(spec, &path.child("dnsConfig"), errs);
    for (i, gate) in list(&spec.readiness_gates).iter().enumerate() {
        validate_qualified_name(
            &gate.condition_type,
            &path.child("readinessGates").index(i).child("conditionType"),
            errs,
        );
    }
    let mut seen_gates = BTreeSet::new();
    for (i, gate) in list(&spec.scheduling_gates).iter().enumerate() {
        let gate_path = path.child("schedulingGates").index(i);
        validate_qualified_name(&gate.name, &gate_path, errs);
        if !seen_gates.insert(gate.name.as_str()) {
            errs.push(FieldError::duplicate(&gate_path, BadValue::str(&gate.name)));
        }
    }
    validate_host_users(spec, path, errs);
    let sa_name = service_account_name(spec);
    if !sa_name.is_empty() {
        for msg in name_is_dns_subdomain(sa_name, false) {
            errs.push(FieldError::invalid(
                &path.child("serviceAccountName"),
                BadValue::str(sa_name),
                &msg,
            ));
        }
    }
    let node_name = str_of(&spec.node_name);
    if !node_name.is_empty() {
        for msg in name_is_dns_subdomain(node_name, false) {
            errs.push(FieldError::invalid(
                &path.child("nodeName"),
                BadValue::str(node_name),
                &msg,
            ));
        }
    }
    if let Some(value) = spec.active_deadline_seconds {
        if !(1..=i64::from(i32::MAX)).contains(&value) {
            errs.push(FieldError::invalid(
                &path.child("activeDeadlineSeconds"),
                BadValue::Int(value),
                &inclusive_range_error(1, i64::from(i32::MAX)),
            ));
        }
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        let value = str_of(value);
        if !value.is_empty() {
            validate_dns1123_label(value, &path.child(field), errs);
        }
    }
    validate_tolerations(list(&spec.tolerations), &path.child("tolerations"), errs);
    for (i, alias) in list(&spec.host_aliases).iter().enumerate() {
        for (j, hostname) in list(&alias.hostnames).iter().enumerate() {
            validate_dns1123_subdomain(
                hostname,
                &path
                    .child("hostAliases")
                    .index(i)
                    .child("hostnames")
                    .index(j),
                errs,
            );
        }
    }
    let priority_class = str_of(&spec.priority_class_name);
    if !priority_class.is_empty() {
        for msg in name_is_dns_subdomain(priority_class, false) {
            errs.push(FieldError::invalid(
                &path.child("priorityClassName"),
                BadValue::str(priority_class),
                &msg,
            ));
        }
    }
    if let Some(runtime_class) = spec.runtime_class_name.as_deref() {
        for msg in name_is_dns_subdomain(runtime_class, false) {
            errs.push(FieldError::invalid(
                &path.child("runtimeClassName"),
                BadValue::str(runtime_class),
                &msg,
            ));
        }
    }
    if let Some(policy) = spec.preemption_policy.as_deref() {
        let policy_path = path.child("preemptionPolicy");
        match policy {
            "PreemptLowerPriority" | "Never" => (),
            "" => errs.push(FieldError::required(&policy_path, "")),
            _ => errs.push(FieldError::not_supported(
                &policy_path,
                BadValue::typed(policy),
                &["PreemptLowerPriority", "Never"],
            )),
        }
    }
    if let Some(os) = spec.os.as_ref() {
        let os_path = path.child("os");
        if os.name.is_empty() {
            errs.push(FieldError::required(
                &os_path.child("name"),
                "cannot be empty",
            ));
        } else if os.name != "linux" && os.name != "windows" {
            errs.push(FieldError::not_supported(
                &os_path,
                BadValue::typed(&os.name),
                &["linux", "windows"],
            ));
        } else if os.name == "linux" {
            validate_linux(spec, path, errs);
        }
    }
}

/// `validateLinux`: Windows options are forbidden on a Linux pod.
fn validate_linux(spec: &corev1::PodSpec, path: &Path, errs: &mut Errs) {
    let msg = "windows options cannot be set for a linux pod";
    if spec
        .security_context
        .as_ref()
        .is_some_and(|s| s.windows_options.is_some())
    {
        errs.push(FieldError::forbidden(
            &path.child("securityContext").child("windowsOptions"),
            msg,
        ));
    }
    for (c_path, sc) in visit_security_contexts(spec, path) {
        if sc.is_some_and(|s| s.windows_options.is_some()) {
            errs.push(FieldError::forbidden(
                &c_path.child("securityContext").child("windowsOptions"),
                msg,
            ));
        }
    }
}

/// Containers in `VisitContainersWithPath` order (init, regular, ephemeral) with their paths.
fn visit_security_contexts<'a>(
    spec: &'a corev1::PodSpec,
    path: &Path,
) -> Vec<(Path, Option<&'a corev1::SecurityContext>)> {
    let mut out = Vec::new();
    for (i, c) in list(&spec.init_containers).iter().enumerate() {
        out.push((
            path.child("initContainers").index(i),
            c.security_context.as_ref(),
        ));
    }
    for (i, c) in spec.containers.iter().enumerate() {
        out.push((
            path.child("containers").index(i),
            c.security_context.as_ref(),
        ));
    }
    for (i, c) in list(&spec.ephemeral_containers).iter().enumerate() {
        out.push((
            path.child("ephemeralContainers").index(i),
            c.security_context.as_ref(),
        ));
    }
    out
}

fn validate_restart_policy(policy: &str, path: &Path, errs: &mut Errs) {
    match policy {
        "Always" | "OnFailure" | "Never" => (),
        "" => errs.push(FieldError::required(path, "")),
        _ => errs.push(FieldError::not_supported(
            path,
            BadValue::typed(policy),
            &["Always", "OnFailure", "Never"],
        )),
    }
}

fn validate_dns_policy(policy: &str, path: &Path, errs: &mut Errs) {
    match policy {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => (),
        "" => errs.push(FieldError::required(path, "")),
        _ => errs.push(FieldError::not_supported(
            path,
            BadValue::typed(policy),
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
}

/// `validatePodHostNetworkDeps`: with hostNetwork, hostPort must equal containerPort.
fn validate_host_network_deps(
    spec: &corev1::PodSpec,
    path: &Path,
    opts: PodValidationOptions,
    errs: &mut Errs,
) {
    if spec.host_network != Some(true) {
        return;
    }
    for (i, c) in spec.containers.iter().enumerate() {
        let ports_path = path.child("containers").index(i).child("ports");
        for (j, port) in list(&c.ports).iter().enumerate() {
            let host_port = port.host_port.unwrap_or(0);
            if (opts.resource_is_pod || host_port != 0) && host_port != port.container_port {
                errs.push(FieldError::invalid(
                    &ports_path.index(j).child("hostPort"),
                    BadValue::Int(i64::from(host_port)),
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
    }
}

/// `validateHostUsers`: a user-namespaced pod may not share the host's namespaces.
fn validate_host_users(spec: &corev1::PodSpec, path: &Path, errs: &mut Errs) {
    if spec.host_users != Some(false) {
        return;
    }
    let msg = "when `pod.Spec.HostUsers` is false";
    // Upstream's paths really are hostNetwork, HostPID and HostIPC.
    if spec.host_network == Some(true) {
        errs.push(FieldError::forbidden(&path.child("hostNetwork"), msg));
    }
    if spec.host_pid == Some(true) {
        errs.push(FieldError::forbidden(&path.child("HostPID"), msg));
    }
    if spec.host_ipc == Some(true) {
        errs.push(FieldError::forbidden(&path.child("HostIPC"), msg));
    }
}

fn validate_dns_config(spec: &corev1::PodSpec, path: &Path, errs: &mut Errs) {
    let policy = str_of(&spec.dns_policy);
    let config = spec.dns_config.as_ref();
    if policy == "None" {
        let Some(config) = config else {
            errs.push(FieldError::required(
                path,
                "must provide `dnsConfig` when `dnsPolicy` is None",
            ));
            return;
        };
        if list(&config.nameservers).is_empty() {
            errs.push(FieldError::required(
                &path.child("nameservers"),
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            ));
            return;
        }
    }
    let Some(config) = config else {
        return;
    };
    let nameservers = list(&config.nameservers);
    if nameservers.len() > 3 {
        errs.push(FieldError::invalid(
            &path.child("nameservers"),
            BadValue::strings(nameservers),
            "must not have more than 3 nameservers",
        ));
    }
    let searches = list(&config.searches);
    if searches.len() > 32 {
        errs.push(FieldError::invalid(
            &path.child("searches"),
            BadValue::strings(searches),
            "must not have more than 32 search paths",
        ));
    }
    if searches.join(" ").len() > 2048 {
        errs.push(FieldError::invalid(
            &path.child("searches"),
            BadValue::strings(searches),
            "must not have more than 2048 characters (including spaces) in the search list",
        ));
    }
    for (i, search) in searches.iter().enumerate() {
        // RelaxedDNSSearchValidation (on in v1.34): "." and underscores are allowed.
        if search == "." {
            continue;
        }
        let search = search.strip_suffix('.').unwrap_or(search);
        for msg in is_dns1123_subdomain_with_underscore(search) {
            errs.push(FieldError::invalid(
                &path.child("searches").index(i),
                BadValue::str(search),
                &msg,
            ));
        }
    }
    for (i, option) in list(&config.options).iter().enumerate() {
        if str_of(&option.name).is_empty() {
            errs.push(FieldError::required(
                &path.child("options").index(i),
                "must not be empty",
            ));
        }
    }
}

fn validate_tolerations(tolerations: &[corev1::Toleration], path: &Path, errs: &mut Errs) {
    for (i, t) in tolerations.iter().enumerate() {
        let idx_path = path.index(i);
        let key = str_of(&t.key);
        let operator = str_of(&t.operator);
        let effect = str_of(&t.effect);
        let value = str_of(&t.value);
        if !key.is_empty() {
            validate_qualified_name(key, &idx_path.child("key"), errs);
        }
        if key.is_empty() && operator != "Exists" {
            errs.push(FieldError::invalid(
                &idx_path.child("operator"),
                BadValue::typed(operator),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            errs.push(FieldError::invalid(
                &idx_path.child("effect"),
                BadValue::typed(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match operator {
            "Equal" | "" => {
                let msgs = is_valid_label_value(value);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(
                        &idx_path.child("operator"),
                        BadValue::str(value),
                        &msgs.join(";"),
                    ));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    errs.push(FieldError::invalid(
                        &idx_path.child("operator"),
                        BadValue::str(value),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            _ => errs.push(FieldError::not_supported(
                &idx_path.child("operator"),
                BadValue::typed(operator),
                &["Equal", "Exists"],
            )),
        }
        if !effect.is_empty() && !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute")
        {
            errs.push(FieldError::not_supported(
                &idx_path.child("effect"),
                BadValue::typed(effect),
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            ));
        }
    }
}

fn validate_pod_resource_claims(claims: &[corev1::PodResourceClaim], path: &Path, errs: &mut Errs) {
    let mut names = BTreeSet::new();
    for (i, claim) in claims.iter().enumerate() {
        let claim_path = path.index(i);
        if claim.name.is_empty() {
            errs.push(FieldError::required(&claim_path.child("name"), ""));
        } else if names.contains(claim.name.as_str()) {
            errs.push(FieldError::duplicate(
                &claim_path.child("name"),
                BadValue::str(&claim.name),
            ));
        } else {
            validate_dns1123_label(&claim.name, &claim_path.child("name"), errs);
            names.insert(claim.name.as_str());
        }
        for (field, value) in [
            ("resourceClaimName", &claim.resource_claim_name),
            (
                "resourceClaimTemplateName",
                &claim.resource_claim_template_name,
            ),
        ] {
            if let Some(value) = value.as_deref() {
                for msg in name_is_dns_subdomain(value, false) {
                    errs.push(FieldError::invalid(
                        &claim_path.child(field),
                        BadValue::str(value),
                        &msg,
                    ));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pod security context.

fn validate_pod_security_context(spec: &corev1::PodSpec, path: &Path, errs: &mut Errs) {
    let Some(sc) = spec.security_context.as_ref() else {
        return;
    };
    let ids = [
        (
            "fsGroup",
            sc.fs_group,
            is_valid_group_id as fn(i64) -> Vec<String>,
        ),
        ("runAsUser", sc.run_as_user, is_valid_user_id),
        ("runAsGroup", sc.run_as_group, is_valid_group_id),
    ];
    for (field, value, check) in ids {
        if let Some(value) = value {
            for msg in check(value) {
                errs.push(FieldError::invalid(
                    &path.child(field),
                    BadValue::Int(value),
                    &msg,
                ));
            }
        }
    }
    for (g, gid) in list(&sc.supplemental_groups).iter().enumerate() {
        for msg in is_valid_group_id(*gid) {
            errs.push(FieldError::invalid(
                &path.child("supplementalGroups").index(g),
                BadValue::Int(*gid),
                &msg,
            ));
        }
    }
    if spec.share_process_namespace == Some(true) && spec.host_pid == Some(true) {
        errs.push(FieldError::invalid(
            &path.child("shareProcessNamespace"),
            BadValue::Bool(true),
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
    validate_sysctls(spec, list(&sc.sysctls), &path.child("sysctls"), errs);
    if let Some(policy) = sc.fs_group_change_policy.as_deref() {
        if policy != "Always" && policy != "OnRootMismatch" {
            errs.push(FieldError::not_supported(
                &path.child("fsGroupChangePolicy"),
                BadValue::typed(policy),
                &["Always", "OnRootMismatch"],
            ));
        }
    }
    validate_seccomp_profile(
        sc.seccomp_profile.as_ref(),
        &path.child("seccompProfile"),
        errs,
    );
    validate_app_armor_profile(
        sc.app_armor_profile.as_ref(),
        &path.child("appArmorProfile"),
        errs,
    );
    if let Some(policy) = sc.supplemental_groups_policy.as_deref() {
        if policy != "Merge" && policy != "Strict" {
            errs.push(FieldError::not_supported(
                &path.child("supplementalGroupsPolicy"),
                BadValue::typed(policy),
                &["Merge", "Strict"],
            ));
        }
    }
}

fn validate_sysctls(
    spec: &corev1::PodSpec,
    sysctls: &[corev1::Sysctl],
    path: &Path,
    errs: &mut Errs,
) {
    let mut names = BTreeSet::new();
    for (i, s) in sysctls.iter().enumerate() {
        let name_path = path.index(i).child("name");
        if s.name.is_empty() {
            errs.push(FieldError::required(&name_path, ""));
        } else if !is_valid_sysctl_name(&s.name) {
            errs.push(FieldError::invalid(
                &name_path,
                BadValue::str(&s.name),
                r"must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$",
            ));
        } else if names.contains(s.name.as_str()) {
            errs.push(FieldError::duplicate(&name_path, BadValue::str(&s.name)));
        }
        // ValidateHostSysctl: namespaced sysctls cannot be set on a pod sharing that namespace.
        let net = s.name.starts_with("net.") || s.name.starts_with("net/");
        let ipc = s.name.starts_with("kernel.shm")
            || s.name.starts_with("kernel.msg")
            || s.name == "kernel.sem"
            || s.name.starts_with("fs.mqueue.");
        if spec.host_network == Some(true) && net {
            errs.push(FieldError::invalid(
                &name_path,
                BadValue::str(&s.name),
                "may not be specified when 'hostNetwork' is true",
            ));
        } else if spec.host_ipc == Some(true) && ipc {
            errs.push(FieldError::invalid(
                &name_path,
                BadValue::str(&s.name),
                "may not be specified when 'hostIPC' is true",
            ));
        }
        names.insert(s.name.as_str());
    }
}

/// `([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?`, at most 253 bytes.
fn is_valid_sysctl_name(name: &str) -> bool {
    if name.len() > 253 {
        return false;
    }
    name.split(['.', '/']).all(|segment| {
        let b = segment.as_bytes();
        let edge = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
        match b {
            [] => false,
            [only] => edge(*only),
            [first, middle @ .., last] => {
                edge(*first)
                    && edge(*last)
                    && middle.iter().all(|x| edge(*x) || *x == b'-' || *x == b'_')
            }
        }
    })
}

fn validate_seccomp_profile(
    profile: Option<&corev1::SeccompProfile>,
    path: &Path,
    errs: &mut Errs,
) {
    let Some(profile) = profile else {
        return;
    };
    match profile.type_.as_str() {
        "Localhost" | "RuntimeDefault" | "Unconfined" => (),
        "" => errs.push(FieldError::required(
            &path.child("type"),
            "type is required when seccompProfile is set",
        )),
        other => errs.push(FieldError::not_supported(
            &path.child("type"),
            BadValue::typed(other),
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
    if profile.type_ == "Localhost" {
        match profile.localhost_profile.as_deref() {
            None => errs.push(FieldError::required(
                &path.child("localhostProfile"),
                "must be set when seccomp type is Localhost",
            )),
            Some(local) => {
                validate_local_descending_path(local, &path.child("localhostProfile"), errs)
            }
        }
    } else if profile.localhost_profile.is_some() {
        errs.push(FieldError::invalid(
            &path.child("localhostProfile"),
            BadValue::Json(profile_json(
                &profile.type_,
                profile.localhost_profile.as_deref(),
            )),
            "can only be set when seccomp type is Localhost",
        ));
    }
}

fn validate_app_armor_profile(
    profile: Option<&corev1::AppArmorProfile>,
    path: &Path,
    errs: &mut Errs,
) {
    let Some(profile) = profile else {
        return;
    };
    match profile.type_.as_str() {
        "Localhost" => match profile.localhost_profile.as_deref() {
            None => errs.push(FieldError::required(
                &path.child("localhostProfile"),
                "must be set when AppArmor type is Localhost",
            )),
            Some(local) => {
                let trimmed = local.trim();
                if trimmed != local {
                    errs.push(FieldError::invalid(
                        &path.child("localhostProfile"),
                        BadValue::str(local),
                        "must not be padded with whitespace",
                    ));
                } else if trimmed.is_empty() {
                    errs.push(FieldError::required(
                        &path.child("localhostProfile"),
                        "must be set when AppArmor type is Localhost",
                    ));
                }
                if local.len() > 4095 {
                    errs.push(FieldError::too_long(&path.child("localhostProfile"), 4095));
                }
            }
        },
        "RuntimeDefault" | "Unconfined" => {
            if let Some(local) = profile.localhost_profile.as_deref() {
                errs.push(FieldError::invalid(
                    &path.child("localhostProfile"),
                    BadValue::Json(json_quote(local)),
                    "can only be set when AppArmor type is Localhost",
                ));
            }
        }
        "" => errs.push(FieldError::required(
            &path.child("type"),
            "type is required when appArmorProfile is set",
        )),
        other => errs.push(FieldError::not_supported(
            &path.child("type"),
            BadValue::typed(other),
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Volumes.

/// A volume that passed validation, by name (upstream's `map[string]core.VolumeSource`).
type VolumeMap<'a> = BTreeMap<&'a str, &'a corev1::Volume>;

fn validate_volumes<'a>(
    volumes: &'a [corev1::Volume],
    meta: &metav1::ObjectMeta,
    path: &Path,
    opts: PodValidationOptions,
    errs: &mut Errs,
) -> VolumeMap<'a> {
    let pod_name = str_of(&meta.name);
    let mut all_names = BTreeSet::new();
    let created_pvcs: BTreeSet<String> = if pod_name.is_empty() {
        BTreeSet::new()
    } else {
        volumes
            .iter()
            .filter(|v| v.ephemeral.is_some())
            .map(|v| format!("{pod_name}-{}", v.name))
            .collect()
    };
    let mut valid = VolumeMap::new();
    for (i, vol) in volumes.iter().enumerate() {
        let idx_path = path.index(i);
        let name_path = idx_path.child("name");
        let mut el = Errs::new();
        validate_volume_source(vol, &idx_path, pod_name, opts, &mut el);
        if vol.name.is_empty() {
            el.push(FieldError::required(&name_path, ""));
        } else {
            validate_dns1123_label(&vol.name, &name_path, &mut el);
        }
        if all_names.contains(vol.name.as_str()) {
            el.push(FieldError::duplicate(&name_path, BadValue::str(&vol.name)));
        }
        if el.is_empty() {
            all_names.insert(vol.name.as_str());
            valid.insert(vol.name.as_str(), vol);
        } else {
            errs.extend(el);
        }
        if let Some(pvc) = vol.persistent_volume_claim.as_ref() {
            if created_pvcs.contains(&pvc.claim_name) {
                errs.push(FieldError::invalid(
                    &idx_path.child("persistentVolumeClaim").child("claimName"),
                    BadValue::str(&pvc.claim_name),
                    "must not reference a PVC that gets created for an ephemeral volume",
                ));
            }
        }
    }
    valid
}

/// `validateVolumeSource`: exactly one source, then that source's own rules.
fn validate_volume_source(
    v: &corev1::Volume,
    path: &Path,
    pod_name: &str,
    opts: PodValidationOptions,
    errs: &mut Errs,
) {
    let mut count = 0;
    // Each present source after the first is refused under its own (sometimes misspelt) name;
    // the first one is validated.
    let mut first = |present: bool, name: &str, errs: &mut Errs| -> bool {
        if !present {
            return false;
        }
        if count > 0 {
            errs.push(FieldError::forbidden(
                &path.child(name),
                "may not specify more than 1 volume type",
            ));
            return false;
        }
        count += 1;
        true
    };
    if first(v.empty_dir.is_some(), "emptyDir", errs) {
        let limit = v.empty_dir.as_ref().and_then(|s| s.size_limit.as_ref());
        if let Some(limit) = limit {
            if Quantity::parse(&limit.0).is_ok_and(|q| q.sign() < 0) {
                errs.push(FieldError::forbidden(
                    &path.child("emptyDir").child("sizeLimit"),
                    "SizeLimit field must be a valid resource quantity",
                ));
            }
        }
    }
    if first(v.host_path.is_some(), "hostPath", errs) {
        if let Some(s) = v.host_path.as_ref() {
            validate_host_path(s, &path.child("hostPath"), errs);
        }
    }
    if first(v.git_repo.is_some(), "gitRepo", errs) {
        if let Some(s) = v.git_repo.as_ref() {
            let p = path.child("gitRepo");
            require(s.repository.is_empty(), &p.child("repository"), errs);
            validate_local_descending_path(str_of(&s.directory), &p.child("directory"), errs);
        }
    }
    if first(v.gce_persistent_disk.is_some(), "gcePersistentDisk", errs) {
        if let Some(s) = v.gce_persistent_disk.as_ref() {
            // Upstream validates this source under the path "persistentDisk".
            let p = path.child("persistentDisk");
            require(s.pd_name.is_empty(), &p.child("pdName"), errs);
            validate_partition(s.partition, &p.child("partition"), errs);
        }
    }
    if first(
        v.aws_elastic_block_store.is_some(),
        "awsElasticBlockStore",
        errs,
    ) {
        if let Some(s) = v.aws_elastic_block_store.as_ref() {
            let p = path.child("awsElasticBlockStore");
            require(s.volume_id.is_empty(), &p.child("volumeID"), errs);
            validate_partition(s.partition, &p.child("partition"), errs);
        }
    }
    if first(v.secret.is_some(), "secret", errs) {
        if let Some(s) = v.secret.as_ref() {
            let p = path.child("secret");
            require(
                str_of(&s.secret_name).is_empty(),
                &p.child("secretName"),
                errs,
            );
            validate_file_mode(s.default_mode, &p.child("defaultMode"), errs);
            for (i, item) in list(&s.items).iter().enumerate() {
                validate_key_to_path(item, &p.child("items").index(i), errs);
            }
        }
    }
    if first(v.nfs.is_some(), "nfs", errs) {
        if let Some(s) = v.nfs.as_ref() {
            let p = path.child("nfs");
            require(s.server.is_empty(), &p.child("server"), errs);
            require(s.path.is_empty(), &p.child("path"), errs);
            if !s.path.starts_with('/') {
                errs.push(FieldError::invalid(
                    &p.child("path"),
                    BadValue::str(&s.path),
                    "must be an absolute path",
                ));
            }
        }
    }
    if first(v.iscsi.is_some(), "iscsi", errs) {
        if let Some(s) = v.iscsi.as_ref() {
            let p = path.child("iscsi");
            require(s.target_portal.is_empty(), &p.child("targetPortal"), errs);
            require(s.iqn.is_empty(), &p.child("iqn"), errs);
            if !(0..=255).contains(&s.lun) {
                errs.push(FieldError::invalid(
                    &p.child("lun"),
                    BadValue::Int(i64::from(s.lun)),
                    &inclusive_range_error(0, 255),
                ));
            }
        }
    }
    if first(v.glusterfs.is_some(), "glusterfs", errs) {
        if let Some(s) = v.glusterfs.as_ref() {
            let p = path.child("glusterfs");
            require(s.endpoints.is_empty(), &p.child("endpoints"), errs);
            require(s.path.is_empty(), &p.child("path"), errs);
        }
    }
    first(v.flocker.is_some(), "flocker", errs);
    if first(
        v.persistent_volume_claim.is_some(),
        "persistentVolumeClaim",
        errs,
    ) {
        if let Some(s) = v.persistent_volume_claim.as_ref() {
            require(
                s.claim_name.is_empty(),
                &path.child("persistentVolumeClaim").child("claimName"),
                errs,
            );
        }
    }
    if first(v.rbd.is_some(), "rbd", errs) {
        if let Some(s) = v.rbd.as_ref() {
            let p = path.child("rbd");
            require(s.monitors.is_empty(), &p.child("monitors"), errs);
            require(s.image.is_empty(), &p.child("image"), errs);
        }
    }
    if first(v.cinder.is_some(), "cinder", errs) {
        if let Some(s) = v.cinder.as_ref() {
            let p = path.child("cinder");
            require(s.volume_id.is_empty(), &p.child("volumeID"), errs);
            if s.secret_ref.as_ref().is_some_and(|r| r.name.is_empty()) {
                errs.push(FieldError::required(
                    &p.child("secretRef").child("name"),
                    "",
                ));
            }
        }
    }
    if first(v.cephfs.is_some(), "cephFS", errs) {
        if let Some(s) = v.cephfs.as_ref() {
            require(
                s.monitors.is_empty(),
                &path.child("cephfs").child("monitors"),
                errs,
            );
        }
    }
    first(v.quobyte.is_some(), "quobyte", errs);
    // Upstream's misspelling of downwardAPI in this one message is kept on purpose.
    if first(v.downward_api.is_some(), "downwarAPI", errs) {
        if let Some(s) = v.downward_api.as_ref() {
            let p = path.child("downwardAPI");
            validate_file_mode(s.default_mode, &p.child("defaultMode"), errs);
            for file in list(&s.items) {
                validate_downward_api_file(file, &p, errs);
            }
        }
    }
    first(v.fc.is_some(), "fc", errs);
    if first(v.flex_volume.is_some(), "flexVolume", errs) {
        if let Some(s) = v.flex_volume.as_ref() {
            require(
                s.driver.is_empty(),
                &path.child("flexVolume").child("driver"),
                errs,
            );
        }
    }
    if first(v.config_map.is_some(), "configMap", errs) {
        if let Some(s) = v.config_map.as_ref() {
            let p = path.child("configMap");
            require(s.name.is_empty(), &p.child("name"), errs);
            validate_file_mode(s.default_mode, &p.child("defaultMode"), errs);
            for (i, item) in list(&s.items).iter().enumerate() {
                validate_key_to_path(item, &p.child("items").index(i), errs);
            }
        }
    }
    if first(v.azure_file.is_some(), "azureFile", errs) {
        if let Some(s) = v.azure_file.as_ref() {
            let p = path.child("azureFile");
            require(s.secret_name.is_empty(), &p.child("secretName"), errs);
            require(s.share_name.is_empty(), &p.child("shareName"), errs);
        }
    }
    if first(v.vsphere_volume.is_some(), "vsphereVolume", errs) {
        if let Some(s) = v.vsphere_volume.as_ref() {
            require(
                s.volume_path.is_empty(),
                &path.child("vsphereVolume").child("volumePath"),
                errs,
            );
        }
    }
    if first(
        v.photon_persistent_disk.is_some(),
        "photonPersistentDisk",
        errs,
    ) {
        if let Some(s) = v.photon_persistent_disk.as_ref() {
            require(
                s.pd_id.is_empty(),
                &path.child("photonPersistentDisk").child("pdID"),
                errs,
            );
        }
    }
    if first(v.portworx_volume.is_some(), "portworxVolume", errs) {
        if let Some(s) = v.portworx_volume.as_ref() {
            require(
                s.volume_id.is_empty(),
                &path.child("portworxVolume").child("volumeID"),
                errs,
            );
        }
    }
    if first(v.azure_disk.is_some(), "azureDisk", errs) {
        if let Some(s) = v.azure_disk.as_ref() {
            let p = path.child("azureDisk");
            require(s.disk_name.is_empty(), &p.child("diskName"), errs);
            require(s.disk_uri.is_empty(), &p.child("diskURI"), errs);
        }
    }
    first(v.storageos.is_some(), "storageos", errs);
    if first(v.projected.is_some(), "projected", errs) {
        if let Some(s) = v.projected.as_ref() {
            validate_projected(s, &path.child("projected"), errs);
        }
    }
    if first(v.scale_io.is_some(), "scaleIO", errs) {
        if let Some(s) = v.scale_io.as_ref() {
            let p = path.child("scaleIO");
            require(s.gateway.is_empty(), &p.child("gateway"), errs);
            require(s.system.is_empty(), &p.child("system"), errs);
            require(
                str_of(&s.volume_name).is_empty(),
                &p.child("volumeName"),
                errs,
            );
        }
    }
    if first(v.csi.is_some(), "csi", errs) {
        if let Some(s) = v.csi.as_ref() {
            validate_csi(s, &path.child("csi"), errs);
        }
    }
    if first(v.ephemeral.is_some(), "ephemeral", errs) {
        if let Some(s) = v.ephemeral.as_ref() {
            if s.volume_claim_template.is_none() {
                errs.push(FieldError::required(
                    &path.child("ephemeral").child("volumeClaimTemplate"),
                    "",
                ));
            }
            if !pod_name.is_empty() && !v.name.is_empty() {
                let pvc_name = format!("{pod_name}-{}", v.name);
                for msg in name_is_dns_subdomain(&pvc_name, false) {
                    errs.push(FieldError::invalid(
                        &path.child("name"),
                        BadValue::str(&v.name),
                        &format!("PVC name {}: {}", go_quote(&pvc_name), msg),
                    ));
                }
            }
        }
    }
    if first(v.image.is_some(), "image", errs) {
        if let Some(s) = v.image.as_ref() {
            let p = path.child("image");
            if opts.resource_is_pod && str_of(&s.reference).is_empty() {
                errs.push(FieldError::required(&p.child("reference"), ""));
            }
            validate_pull_policy(str_of(&s.pull_policy), &p.child("pullPolicy"), errs);
        }
    }
    if count == 0 {
        errs.push(FieldError::required(path, "must specify a volume type"));
    }
}

fn require(missing: bool, path: &Path, errs: &mut Errs) {
    if missing {
        errs.push(FieldError::required(path, ""));
    }
}

fn validate_partition(partition: Option<i32>, path: &Path, errs: &mut Errs) {
    let partition = partition.unwrap_or(0);
    if !(0..=255).contains(&partition) {
        errs.push(FieldError::invalid(
            path,
            BadValue::Int(i64::from(partition)),
            &inclusive_range_error(1, 255),
        ));
    }
}

fn validate_host_path(s: &corev1::HostPathVolumeSource, path: &Path, errs: &mut Errs) {
    if s.path.is_empty() {
        errs.push(FieldError::required(&path.child("path"), ""));
        return;
    }
    validate_path_no_backsteps(&s.path, &path.child("path"), errs);
    if let Some(kind) = s.type_.as_deref() {
        const SUPPORTED: [&str; 8] = [
            "",
            "BlockDevice",
            "CharDevice",
            "Directory",
            "DirectoryOrCreate",
            "File",
            "FileOrCreate",
            "Socket",
        ];
        if !SUPPORTED.contains(&kind) {
            errs.push(FieldError::not_supported(
                &path.child("type"),
                BadValue::typed(kind),
                &SUPPORTED,
            ));
        }
    }
}

fn validate_file_mode(mode: Option<i32>, path: &Path, errs: &mut Errs) {
    if let Some(mode) = mode {
        if !(0..=0o777).contains(&mode) {
            errs.push(FieldError::invalid(
                path,
                BadValue::Int(i64::from(mode)),
                FILE_MODE_ERROR_MSG,
            ));
        }
    }
}

fn validate_key_to_path(kp: &corev1::KeyToPath, path: &Path, errs: &mut Errs) {
    require(kp.key.is_empty(), &path.child("key"), errs);
    require(kp.path.is_empty(), &path.child("path"), errs);
    validate_local_non_reserved_path(&kp.path, &path.child("path"), errs);
    validate_file_mode(kp.mode, &path.child("mode"), errs);
}

const VOLUME_DOWNWARD_API_FIELD_PATHS: [&str; 5] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
];

const ENV_DOWNWARD_API_FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

const CONTAINER_RESOURCE_FIELD_PATHS: [&str; 6] = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];

/// `validateDownwardAPIVolumeFile`; upstream reports these under the source's path, not the
/// item's.
fn validate_downward_api_file(file: &corev1::DownwardAPIVolumeFile, path: &Path, errs: &mut Errs) {
    require(file.path.is_empty(), &path.child("path"), errs);
    validate_local_non_reserved_path(&file.path, &path.child("path"), errs);
    if let Some(field_ref) = file.field_ref.as_ref() {
        validate_object_field_selector(
            field_ref,
            &VOLUME_DOWNWARD_API_FIELD_PATHS,
            &path.child("fieldRef"),
            errs,
        );
        if file.resource_field_ref.is_some() {
            errs.push(FieldError::invalid(
                path,
                BadValue::str("resource"),
                "fieldRef and resourceFieldRef can not be specified simultaneously",
            ));
        }
    } else if let Some(resource_ref) = file.resource_field_ref.as_ref() {
        validate_container_resource_field_selector(
            resource_ref,
            &path.child("resourceFieldRef"),
            true,
            errs,
        );
    } else {
        errs.push(FieldError::required(
            path,
            "one of fieldRef and resourceFieldRef is required",
        ));
    }
    validate_file_mode(file.mode, &path.child("mode"), errs);
}

fn validate_projected(s: &corev1::ProjectedVolumeSource, path: &Path, errs: &mut Errs) {
    validate_file_mode(s.default_mode, &path.child("defaultMode"), errs);
    let mut all_paths = BTreeSet::new();
    for (i, source) in list(&s.sources).iter().enumerate() {
        let src_path = path.child("sources").index(i);
        let mut count = 0;
        if let Some(secret) = source.secret.as_ref() {
            count += 1;
            let p = src_path.child("secret");
            require(secret.name.is_empty(), &p.child("name"), errs);
            for (j, kp) in list(&secret.items).iter().enumerate() {
                validate_key_to_path(kp, &p.child("items").index(j), errs);
                if !kp.path.is_empty() && !all_paths.insert(kp.path.clone()) {
                    errs.push(FieldError::invalid(
                        path,
                        BadValue::str(&secret.name),
                        "conflicting duplicate paths",
                    ));
                }
            }
        }
        if let Some(config_map) = source.config_map.as_ref() {
            count += 1;
            let p = src_path.child("configMap");
            require(config_map.name.is_empty(), &p.child("name"), errs);
            for (j, kp) in list(&config_map.items).iter().enumerate() {
                validate_key_to_path(kp, &p.child("items").index(j), errs);
                if !kp.path.is_empty() && !all_paths.insert(kp.path.clone()) {
                    errs.push(FieldError::invalid(
                        path,
                        BadValue::str(&config_map.name),
                        "conflicting duplicate paths",
                    ));
                }
            }
        }
        if let Some(downward) = source.downward_api.as_ref() {
            count += 1;
            let p = src_path.child("downwardAPI");
            for file in list(&downward.items) {
                validate_downward_api_file(file, &p, errs);
                if !file.path.is_empty() && !all_paths.insert(file.path.clone()) {
                    errs.push(FieldError::invalid(
                        path,
                        BadValue::str(&file.path),
                        "conflicting duplicate paths",
                    ));
                }
            }
        }
        if let Some(token) = source.service_account_token.as_ref() {
            count += 1;
            let p = src_path.child("serviceAccountToken");
            let expiration = token.expiration_seconds.unwrap_or(0);
            if expiration < 10 * 60 {
                errs.push(FieldError::invalid(
                    &p.child("expirationSeconds"),
                    BadValue::Int(expiration),
                    "may not specify a duration less than 10 minutes",
                ));
            }
            if expiration > 1 << 32 {
                errs.push(FieldError::invalid(
                    &p.child("expirationSeconds"),
                    BadValue::Int(expiration),
                    "may not specify a duration larger than 2^32 seconds",
                ));
            }
            // Upstream reports the token path under the projected source, not the token.
            if token.path.is_empty() {
                errs.push(FieldError::required(&path.child("path"), ""));
            } else {
                validate_local_non_reserved_path(&token.path, &path.child("path"), errs);
            }
        }
        if let Some(bundle) = source.cluster_trust_bundle.as_ref() {
            count += 1;
            let p = src_path.child("clusterTrustBundle");
            match (bundle.name.as_deref(), bundle.signer_name.as_deref()) {
                (Some(_), Some(_)) => (),
                (Some(name), None) => {
                    if name.is_empty() {
                        errs.push(FieldError::required(
                            &p.child("name"),
                            "must be a valid object name",
                        ));
                    }
                }
                (None, Some(signer)) => {
                    if signer.is_empty() {
                        errs.push(FieldError::required(
                            &p.child("signerName"),
                            "must be a valid signer name",
                        ));
                    }
                }
                (None, None) => errs.push(FieldError::required(
                    &p,
                    "either name or signerName must be specified",
                )),
            }
            require(bundle.path.is_empty(), &p.child("path"), errs);
            validate_local_non_reserved_path(&bundle.path, &p.child("path"), errs);
            if !all_paths.insert(bundle.path.clone()) {
                errs.push(FieldError::invalid(
                    path,
                    BadValue::str(&bundle.path),
                    "conflicting duplicate paths",
                ));
            }
        }
        if source.pod_certificate.is_some() {
            count += 1;
        }
        if count > 1 {
            errs.push(FieldError::forbidden(
                &src_path,
                "may not specify more than 1 volume type per source",
            ));
        }
    }
}

fn validate_csi(s: &corev1::CSIVolumeSource, path: &Path, errs: &mut Errs) {
    let driver_path = path.child("driver");
    if s.driver.is_empty() {
        errs.push(FieldError::required(&driver_path, ""));
    }
    if s.driver.len() > 63 {
        errs.push(FieldError::too_long(&driver_path, 63));
    }
    for msg in is_dns1123_subdomain(&s.driver.to_lowercase()) {
        errs.push(FieldError::invalid(
            &driver_path,
            BadValue::str(&s.driver),
            &msg,
        ));
    }
    if let Some(secret) = s.node_publish_secret_ref.as_ref() {
        if secret.name.is_empty() {
            errs.push(FieldError::required(
                &path.child("nodePublishSecretRef").child("name"),
                "",
            ));
        } else {
            for msg in name_is_dns_subdomain(&secret.name, false) {
                // Upstream reports this one at csi.name.
                errs.push(FieldError::invalid(
                    &path.child("name"),
                    BadValue::str(&secret.name),
                    &msg,
                ));
            }
        }
    }
}

/// `validateLocalDescendingPath`: relative, without `..` elements.
fn validate_local_descending_path(target: &str, path: &Path, errs: &mut Errs) {
    if target.starts_with('/') {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(target),
            "must be a relative path",
        ));
    }
    validate_path_no_backsteps(target, path, errs);
}

fn validate_path_no_backsteps(target: &str, path: &Path, errs: &mut Errs) {
    if target.split('/').any(|part| part == "..") {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(target),
            "must not contain '..'",
        ));
    }
}

/// `ValidateLocalNonReservedPath`: a local descending path that does not start with `..`.
fn validate_local_non_reserved_path(target: &str, path: &Path, errs: &mut Errs) {
    validate_local_descending_path(target, path, errs);
    if target.starts_with("..") && !target.starts_with("../") {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(target),
            "must not start with '..'",
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Containers.

/// Pod-wide facts every container check needs.
struct ContainerContext<'a> {
    volumes: &'a VolumeMap<'a>,
    claim_names: &'a BTreeSet<String>,
    restart_policy: &'a str,
    host_users: bool,
    grace: Option<i64>,
}

/// The fields `Container` and `EphemeralContainer` share, borrowed, so one validator serves both
/// (upstream converts an ephemeral container to a container the same way).
struct ContainerView<'a> {
    name: &'a str,
    image: &'a str,
    ports: &'a [corev1::ContainerPort],
    env: &'a [corev1::EnvVar],
    env_from: &'a [corev1::EnvFromSource],
    resources: Option<&'a corev1::ResourceRequirements>,
    resize_policy: &'a [corev1::ContainerResizePolicy],
    restart_policy: Option<&'a str>,
    volume_mounts: &'a [corev1::VolumeMount],
    volume_devices: &'a [corev1::VolumeDevice],
    liveness_probe: Option<&'a corev1::Probe>,
    readiness_probe: Option<&'a corev1::Probe>,
    startup_probe: Option<&'a corev1::Probe>,
    lifecycle: Option<&'a corev1::Lifecycle>,
    termination_message_policy: &'a str,
    image_pull_policy: &'a str,
    security_context: Option<&'a corev1::SecurityContext>,
}

macro_rules! container_view {
    ($c:expr) => {
        ContainerView {
            name: &$c.name,
            image: str_of(&$c.image),
            ports: list(&$c.ports),
            env: list(&$c.env),
            env_from: list(&$c.env_from),
            resources: $c.resources.as_ref(),
            resize_policy: list(&$c.resize_policy),
            restart_policy: $c.restart_policy.as_deref(),
            volume_mounts: list(&$c.volume_mounts),
            volume_devices: list(&$c.volume_devices),
            liveness_probe: $c.liveness_probe.as_ref(),
            readiness_probe: $c.readiness_probe.as_ref(),
            startup_probe: $c.startup_probe.as_ref(),
            lifecycle: $c.lifecycle.as_ref(),
            termination_message_policy: str_of(&$c.termination_message_policy),
            image_pull_policy: str_of(&$c.image_pull_policy),
            security_context: $c.security_context.as_ref(),
        }
    };
}

fn validate_containers(
    containers: &[corev1::Container],
    ctx: &ContainerContext<'_>,
    path: &Path,
    errs: &mut Errs,
) {
    if containers.is_empty() {
        errs.push(FieldError::required(path, ""));
        return;
    }
    let mut names = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        let c_path = path.index(i);
        let view = container_view!(c);
        validate_container_common(&view, ctx, &c_path, errs);
        if !names.insert(c.name.as_str()) {
            errs.push(FieldError::duplicate(
                &c_path.child("name"),
                BadValue::str(&c.name),
            ));
        }
        if let Some(lifecycle) = view.lifecycle {
            validate_lifecycle(lifecycle, ctx.grace, &c_path.child("lifecycle"), errs);
        }
        validate_probes(&view, ctx, &c_path, errs);
        if view.restart_policy.is_some() {
            errs.push(FieldError::forbidden(
                &c_path.child("restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        check_host_port_conflicts(list(&c.ports), &mut seen, &path.index(i), errs);
    }
}

fn validate_init_containers(
    containers: &[corev1::Container],
    regular: &[corev1::Container],
    ctx: &ContainerContext<'_>,
    path: &Path,
    errs: &mut Errs,
) {
    let mut names: BTreeSet<&str> = regular.iter().map(|c| c.name.as_str()).collect();
    for (i, c) in containers.iter().enumerate() {
        let c_path = path.index(i);
        let view = container_view!(c);
        validate_container_common(&view, ctx, &c_path, errs);
        let mut restart_always = false;
        if let Some(policy) = view.restart_policy {
            if policy != "Always" {
                errs.push(FieldError::not_supported(
                    &c_path.child("restartPolicy"),
                    BadValue::typed(policy),
                    &["Always"],
                ));
            }
            restart_always = policy == "Always";
        }
        if names.contains(c.name.as_str()) {
            errs.push(FieldError::duplicate(
                &c_path.child("name"),
                BadValue::str(&c.name),
            ));
        } else if !c.name.is_empty() {
            names.insert(c.name.as_str());
        }
        // Init containers run one at a time, so each is checked on its own; upstream passes a
        // one-element list, which is why the reported index is always 0.
        let mut seen = BTreeSet::new();
        check_host_port_conflicts(list(&c.ports), &mut seen, &path.index(0), errs);
        if restart_always {
            if let Some(lifecycle) = view.lifecycle {
                validate_lifecycle(lifecycle, ctx.grace, &c_path.child("lifecycle"), errs);
            }
            validate_probes(&view, ctx, &c_path, errs);
        } else {
            let msg = "may not be set for init containers without restartPolicy=Always";
            for (set, field) in [
                (view.lifecycle.is_some(), "lifecycle"),
                (view.liveness_probe.is_some(), "livenessProbe"),
                (view.readiness_probe.is_some(), "readinessProbe"),
                (view.startup_probe.is_some(), "startupProbe"),
            ] {
                if set {
                    errs.push(FieldError::forbidden(&c_path.child(field), msg));
                }
            }
        }
    }
}

fn validate_ephemeral_containers(
    spec: &corev1::PodSpec,
    ctx: &ContainerContext<'_>,
    path: &Path,
    errs: &mut Errs,
) {
    let ephemeral = list(&spec.ephemeral_containers);
    if ephemeral.is_empty() {
        return;
    }
    let mut other_names = BTreeSet::new();
    for c in spec.containers.iter().chain(list(&spec.init_containers)) {
        other_names.insert(c.name.as_str());
    }
    let mut all_names = other_names.clone();
    for (i, c) in ephemeral.iter().enumerate() {
        let c_path = path.index(i);
        let view = container_view!(c);
        validate_container_common(&view, ctx, &c_path, errs);
        validate_image_whitespace(c.image.as_deref(), &c_path, errs);
        if !all_names.insert(c.name.as_str()) {
            errs.push(FieldError::duplicate(
                &c_path.child("name"),
                BadValue::str(&c.name),
            ));
        }
        let target = str_of(&c.target_container_name);
        if !target.is_empty() && !other_names.contains(target) {
            errs.push(FieldError::not_found(
                &c_path.child("targetContainerName"),
                BadValue::str(target),
            ));
        }
        // validateFieldAllowList: the fields an ephemeral container may not set, in struct order.
        let resources_set = c.resources.as_ref().is_some_and(|r| {
            r.limits.as_ref().is_some_and(|m| !m.is_empty())
                || r.requests.as_ref().is_some_and(|m| !m.is_empty())
                || r.claims.as_ref().is_some_and(|m| !m.is_empty())
        });
        let forbidden = [
            (!list(&c.ports).is_empty(), "ports"),
            (resources_set, "resources"),
            (!list(&c.resize_policy).is_empty(), "resizePolicy"),
            (c.restart_policy.is_some(), "restartPolicy"),
            (
                !list(&c.restart_policy_rules).is_empty(),
                "restartPolicyRules",
            ),
            (c.liveness_probe.is_some(), "livenessProbe"),
            (c.readiness_probe.is_some(), "readinessProbe"),
            (c.startup_probe.is_some(), "startupProbe"),
            (c.lifecycle.is_some(), "lifecycle"),
        ];
        for (set, field) in forbidden {
            if set {
                errs.push(FieldError::forbidden(
                    &c_path.child(field),
                    "cannot be set for an Ephemeral Container",
                ));
            }
        }
        for (j, mount) in view.volume_mounts.iter().enumerate() {
            let mount_path = c_path.child("volumeMounts").index(j);
            if !str_of(&mount.sub_path).is_empty() {
                errs.push(FieldError::forbidden(
                    &mount_path.child("subPath"),
                    "cannot be set for an Ephemeral Container",
                ));
            }
            if !str_of(&mount.sub_path_expr).is_empty() {
                errs.push(FieldError::forbidden(
                    &mount_path.child("subPathExpr"),
                    "cannot be set for an Ephemeral Container",
                ));
            }
        }
    }
}

/// `validateContainerCommon`: the rules every kind of container shares.
fn validate_container_common(
    c: &ContainerView<'_>,
    ctx: &ContainerContext<'_>,
    path: &Path,
    errs: &mut Errs,
) {
    let name_path = path.child("name");
    if c.name.is_empty() {
        errs.push(FieldError::required(&name_path, ""));
    } else {
        validate_dns1123_label(c.name, &name_path, errs);
    }
    if c.image.is_empty() {
        errs.push(FieldError::required(&path.child("image"), ""));
    }
    let policy_path = path.child("terminationMessagePolicy");
    match c.termination_message_policy {
        "File" | "FallbackToLogsOnError" => (),
        "" => errs.push(FieldError::required(&policy_path, "")),
        other => errs.push(FieldError::not_supported(
            &policy_path,
            BadValue::typed(other),
            &["File", "FallbackToLogsOnError"],
        )),
    }
    validate_container_ports(c.ports, &path.child("ports"), errs);
    validate_env(c.env, &path.child("env"), errs);
    validate_env_from(c.env_from, &path.child("envFrom"), errs);
    validate_volume_mounts(c, ctx.volumes, &path.child("volumeMounts"), errs);
    validate_volume_devices(c, ctx.volumes, &path.child("volumeDevices"), errs);
    validate_pull_policy(c.image_pull_policy, &path.child("imagePullPolicy"), errs);
    if let Some(resources) = c.resources {
        validate_resource_requirements(resources, ctx.claim_names, &path.child("resources"), errs);
    }
    validate_resize_policy(
        c.resize_policy,
        ctx.restart_policy,
        &path.child("resizePolicy"),
        errs,
    );
    validate_security_context(
        c.security_context,
        ctx.host_users,
        &path.child("securityContext"),
        errs,
    );
}

fn validate_pull_policy(policy: &str, path: &Path, errs: &mut Errs) {
    match policy {
        "Always" | "IfNotPresent" | "Never" => (),
        "" => errs.push(FieldError::required(path, "")),
        other => errs.push(FieldError::not_supported(
            path,
            BadValue::typed(other),
            &["Always", "IfNotPresent", "Never"],
        )),
    }
}

fn validate_container_ports(ports: &[corev1::ContainerPort], path: &Path, errs: &mut Errs) {
    let mut names = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let idx_path = path.index(i);
        let name = str_of(&port.name);
        if !name.is_empty() {
            let msgs = is_valid_port_name(name);
            if !msgs.is_empty() {
                for msg in msgs {
                    errs.push(FieldError::invalid(
                        &idx_path.child("name"),
                        BadValue::str(name),
                        &msg,
                    ));
                }
            } else if !names.insert(name) {
                errs.push(FieldError::duplicate(
                    &idx_path.child("name"),
                    BadValue::str(name),
                ));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(&idx_path.child("containerPort"), ""));
        } else {
            for msg in is_valid_port_num(i64::from(port.container_port)) {
                errs.push(FieldError::invalid(
                    &idx_path.child("containerPort"),
                    BadValue::Int(i64::from(port.container_port)),
                    &msg,
                ));
            }
        }
        let host_port = port.host_port.unwrap_or(0);
        if host_port != 0 {
            for msg in is_valid_port_num(i64::from(host_port)) {
                errs.push(FieldError::invalid(
                    &idx_path.child("hostPort"),
                    BadValue::Int(i64::from(host_port)),
                    &msg,
                ));
            }
        }
        let protocol = str_of(&port.protocol);
        if protocol.is_empty() {
            errs.push(FieldError::required(&idx_path.child("protocol"), ""));
        } else if !matches!(protocol, "SCTP" | "TCP" | "UDP") {
            errs.push(FieldError::not_supported(
                &idx_path.child("protocol"),
                BadValue::typed(protocol),
                &["SCTP", "TCP", "UDP"],
            ));
        }
    }
}

/// `AccumulateUniqueHostPorts`: the same protocol/hostIP/hostPort may be used once.
fn check_host_port_conflicts(
    ports: &[corev1::ContainerPort],
    seen: &mut BTreeSet<String>,
    container_path: &Path,
    errs: &mut Errs,
) {
    for (j, port) in ports.iter().enumerate() {
        let host_port = port.host_port.unwrap_or(0);
        if host_port == 0 {
            continue;
        }
        let key = format!(
            "{}/{}/{}",
            str_of(&port.protocol),
            str_of(&port.host_ip),
            host_port
        );
        if seen.contains(&key) {
            errs.push(FieldError::duplicate(
                &container_path.child("ports").index(j).child("hostPort"),
                BadValue::str(&key),
            ));
        } else {
            seen.insert(key);
        }
    }
}

fn validate_env(vars: &[corev1::EnvVar], path: &Path, errs: &mut Errs) {
    for (i, ev) in vars.iter().enumerate() {
        let idx_path = path.index(i);
        if ev.name.is_empty() {
            errs.push(FieldError::required(&idx_path.child("name"), ""));
        } else {
            for msg in is_relaxed_env_var_name(&ev.name) {
                errs.push(FieldError::invalid(
                    &idx_path.child("name"),
                    BadValue::str(&ev.name),
                    &msg,
                ));
            }
        }
        validate_env_var_value_from(ev, &idx_path.child("valueFrom"), errs);
    }
}

fn validate_env_var_value_from(ev: &corev1::EnvVar, path: &Path, errs: &mut Errs) {
    let Some(from) = ev.value_from.as_ref() else {
        return;
    };
    let mut count = 0;
    if let Some(field_ref) = from.field_ref.as_ref() {
        count += 1;
        validate_object_field_selector(
            field_ref,
            &ENV_DOWNWARD_API_FIELD_PATHS,
            &path.child("fieldRef"),
            errs,
        );
    }
    if let Some(resource_ref) = from.resource_field_ref.as_ref() {
        count += 1;
        validate_container_resource_field_selector(
            resource_ref,
            &path.child("resourceFieldRef"),
            false,
            errs,
        );
    }
    if let Some(selector) = from.config_map_key_ref.as_ref() {
        count += 1;
        validate_key_selector(
            &selector.name,
            &selector.key,
            &path.child("configMapKeyRef"),
            errs,
        );
    }
    if let Some(selector) = from.secret_key_ref.as_ref() {
        count += 1;
        validate_key_selector(
            &selector.name,
            &selector.key,
            &path.child("secretKeyRef"),
            errs,
        );
    }
    if count == 0 {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(""),
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ));
    } else if !str_of(&ev.value).is_empty() {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(""),
            "may not be specified when `value` is not empty",
        ));
    } else if count > 1 {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(""),
            "may not have more than one field specified at a time",
        ));
    }
}

fn validate_key_selector(name: &str, key: &str, path: &Path, errs: &mut Errs) {
    // The name is checked even when empty, so an empty name gets the subdomain message.
    for msg in name_is_dns_subdomain(name, false) {
        errs.push(FieldError::invalid(
            &path.child("name"),
            BadValue::str(name),
            &msg,
        ));
    }
    if key.is_empty() {
        errs.push(FieldError::required(&path.child("key"), ""));
    } else {
        for msg in is_config_map_key(key) {
            errs.push(FieldError::invalid(
                &path.child("key"),
                BadValue::str(key),
                &msg,
            ));
        }
    }
}

/// `validateObjectFieldSelector` with `ConvertDownwardAPIFieldLabel`'s accepted labels.
fn validate_object_field_selector(
    fs: &corev1::ObjectFieldSelector,
    expressions: &[&str],
    path: &Path,
    errs: &mut Errs,
) {
    let api_version = str_of(&fs.api_version);
    if api_version.is_empty() {
        errs.push(FieldError::required(&path.child("apiVersion"), ""));
        return;
    }
    if fs.field_path.is_empty() {
        errs.push(FieldError::required(&path.child("fieldPath"), ""));
        return;
    }
    let converted = convert_downward_api_field_label(api_version, &fs.field_path);
    let internal = match converted {
        Ok(label) => label,
        Err(err) => {
            errs.push(FieldError::invalid(
                &path.child("fieldPath"),
                BadValue::str(&fs.field_path),
                &format!("error converting fieldPath: {err}"),
            ));
            return;
        }
    };
    if let Some((field, subscript)) = split_maybe_subscripted_path(&internal) {
        match field {
            "metadata.annotations" => {
                validate_qualified_name(&subscript.to_lowercase(), path, errs)
            }
            "metadata.labels" => validate_qualified_name(subscript, path, errs),
            _ => errs.push(FieldError::invalid(
                path,
                BadValue::str(field),
                "does not support subscript",
            )),
        }
    } else if !expressions.contains(&internal.as_str()) {
        errs.push(FieldError::not_supported(
            &path.child("fieldPath"),
            BadValue::str(&internal),
            expressions,
        ));
    }
}

fn convert_downward_api_field_label(version: &str, label: &str) -> Result<String, String> {
    if version != "v1" {
        return Err(format!("unsupported pod version: {version}"));
    }
    if let Some((field, _)) = split_maybe_subscripted_path(label) {
        return match field {
            "metadata.annotations" | "metadata.labels" => Ok(label.to_string()),
            _ => Err(format!("field label does not support subscript: {label}")),
        };
    }
    match label {
        "metadata.annotations"
        | "metadata.labels"
        | "metadata.name"
        | "metadata.namespace"
        | "metadata.uid"
        | "spec.nodeName"
        | "spec.restartPolicy"
        | "spec.serviceAccountName"
        | "spec.schedulerName"
        | "status.phase"
        | "status.hostIP"
        | "status.hostIPs"
        | "status.podIP"
        | "status.podIPs" => Ok(label.to_string()),
        "spec.host" => Ok("spec.nodeName".to_string()),
        _ => Err(format!("field label not supported: {label}")),
    }
}

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['app']` → (`metadata.labels`, `app`).
fn split_maybe_subscripted_path(field_path: &str) -> Option<(&str, &str)> {
    let inner = field_path.strip_suffix("']")?;
    let (field, subscript) = inner.split_once("['")?;
    if field.is_empty() {
        return None;
    }
    Some((field, subscript))
}

fn validate_container_resource_field_selector(
    fs: &corev1::ResourceFieldSelector,
    path: &Path,
    volume: bool,
    errs: &mut Errs,
) {
    if volume && str_of(&fs.container_name).is_empty() {
        errs.push(FieldError::required(&path.child("containerName"), ""));
    } else if fs.resource.is_empty() {
        errs.push(FieldError::required(&path.child("resource"), ""));
    } else if !CONTAINER_RESOURCE_FIELD_PATHS.contains(&fs.resource.as_str())
        && !fs.resource.starts_with("limits.hugepages-")
        && !fs.resource.starts_with("requests.hugepages-")
    {
        errs.push(FieldError::not_supported(
            &path.child("resource"),
            BadValue::str(&fs.resource),
            &CONTAINER_RESOURCE_FIELD_PATHS,
        ));
    }
    let Some(divisor) = fs.divisor.as_ref().and_then(|d| Quantity::parse(&d.0).ok()) else {
        return;
    };
    if divisor.is_zero() {
        return;
    }
    let divisor = divisor.canonical();
    const MEMORY_LIKE: [&str; 13] = [
        "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei",
    ];
    let resource = fs.resource.as_str();
    let msg = match resource {
        "limits.cpu" | "requests.cpu" if divisor != "1m" && divisor != "1" => {
            Some("only divisor's values 1m and 1 are supported with the cpu resource")
        }
        "limits.memory" | "requests.memory" if !MEMORY_LIKE.contains(&divisor.as_str()) => {
            Some("only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource")
        }
        "limits.ephemeral-storage" | "requests.ephemeral-storage" if !MEMORY_LIKE.contains(&divisor.as_str()) => {
            Some("only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource")
        }
        _ => None,
    };
    if let Some(msg) = msg {
        errs.push(FieldError::invalid(
            &path.child("divisor"),
            BadValue::str(resource),
            msg,
        ));
    }
    let hugepages =
        resource.starts_with("requests.hugepages-") || resource.starts_with("limits.hugepages-");
    if hugepages && !MEMORY_LIKE.contains(&divisor.as_str()) {
        errs.push(FieldError::invalid(
            &path.child("divisor"),
            BadValue::str(resource),
            "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource",
        ));
    }
}

fn validate_env_from(sources: &[corev1::EnvFromSource], path: &Path, errs: &mut Errs) {
    for (i, ev) in sources.iter().enumerate() {
        let idx_path = path.index(i);
        let prefix = str_of(&ev.prefix);
        if !prefix.is_empty() {
            for msg in is_relaxed_env_var_name(prefix) {
                errs.push(FieldError::invalid(
                    &idx_path.child("prefix"),
                    BadValue::str(prefix),
                    &msg,
                ));
            }
        }
        let mut count = 0;
        if let Some(r) = ev.config_map_ref.as_ref() {
            count += 1;
            validate_env_source_name(&r.name, &idx_path.child("configMapRef"), errs);
        }
        if let Some(r) = ev.secret_ref.as_ref() {
            count += 1;
            validate_env_source_name(&r.name, &idx_path.child("secretRef"), errs);
        }
        // Upstream reports these two under envFrom itself, without the index.
        if count == 0 {
            errs.push(FieldError::invalid(
                path,
                BadValue::str(""),
                "must specify one of: `configMapRef` or `secretRef`",
            ));
        } else if count > 1 {
            errs.push(FieldError::invalid(
                path,
                BadValue::str(""),
                "may not have more than one field specified at a time",
            ));
        }
    }
}

fn validate_env_source_name(name: &str, path: &Path, errs: &mut Errs) {
    if name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
        return;
    }
    for msg in name_is_dns_subdomain(name, true) {
        errs.push(FieldError::invalid(
            &path.child("name"),
            BadValue::str(name),
            &msg,
        ));
    }
}

fn validate_volume_mounts(
    c: &ContainerView<'_>,
    volumes: &VolumeMap<'_>,
    path: &Path,
    errs: &mut Errs,
) {
    let mut mount_points = BTreeSet::new();
    let devices: BTreeMap<&str, &str> = c
        .volume_devices
        .iter()
        .map(|d| (d.name.as_str(), d.device_path.as_str()))
        .collect();
    for (i, mount) in c.volume_mounts.iter().enumerate() {
        let idx_path = path.index(i);
        if mount.name.is_empty() {
            errs.push(FieldError::required(&idx_path.child("name"), ""));
        }
        if !volumes.contains_key(mount.name.as_str()) {
            errs.push(FieldError::not_found(
                &idx_path.child("name"),
                BadValue::str(&mount.name),
            ));
        }
        if mount.mount_path.is_empty() {
            errs.push(FieldError::required(&idx_path.child("mountPath"), ""));
        }
        if !mount_points.insert(mount.mount_path.as_str()) {
            errs.push(FieldError::invalid(
                &idx_path.child("mountPath"),
                BadValue::str(&mount.mount_path),
                "must be unique",
            ));
        }
        if devices.contains_key(mount.name.as_str()) {
            errs.push(FieldError::invalid(
                &idx_path.child("name"),
                BadValue::str(&mount.name),
                "must not already exist in volumeDevices",
            ));
        }
        if devices.values().any(|p| *p == mount.mount_path) {
            errs.push(FieldError::invalid(
                &idx_path.child("mountPath"),
                BadValue::str(&mount.mount_path),
                "must not already exist as a path in volumeDevices",
            ));
        }
        let sub_path = str_of(&mount.sub_path);
        let sub_path_expr = str_of(&mount.sub_path_expr);
        if volumes
            .get(mount.name.as_str())
            .is_some_and(|v| v.image.is_some())
        {
            if !sub_path.is_empty() {
                errs.push(FieldError::invalid(
                    &idx_path.child("subPath"),
                    BadValue::str(sub_path),
                    "not allowed in image volume sources",
                ));
            }
            if !sub_path_expr.is_empty() {
                errs.push(FieldError::invalid(
                    &idx_path.child("subPathExpr"),
                    BadValue::str(sub_path_expr),
                    "not allowed in image volume sources",
                ));
            }
        }
        // Upstream reports these under volumeMounts itself, without the index.
        if !sub_path.is_empty() {
            validate_local_descending_path(sub_path, &path.child("subPath"), errs);
        }
        if !sub_path_expr.is_empty() {
            if !sub_path.is_empty() {
                errs.push(FieldError::invalid(
                    &idx_path.child("subPathExpr"),
                    BadValue::str(sub_path_expr),
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            validate_local_descending_path(sub_path_expr, &path.child("subPathExpr"), errs);
        }
        if let Some(propagation) = mount.mount_propagation.as_deref() {
            let prop_path = path.child("mountPropagation");
            if !matches!(propagation, "Bidirectional" | "HostToContainer" | "None") {
                errs.push(FieldError::not_supported(
                    &prop_path,
                    BadValue::typed(propagation),
                    &["Bidirectional", "HostToContainer", "None"],
                ));
            }
            let privileged = c
                .security_context
                .and_then(|s| s.privileged)
                .unwrap_or(false);
            if propagation == "Bidirectional" && !privileged {
                errs.push(FieldError::forbidden(
                    &prop_path,
                    "Bidirectional mount propagation is available only to privileged containers",
                ));
            }
        }
        if let Some(rro) = mount.recursive_read_only.as_deref() {
            let rro_path = path.child("recursiveReadOnly");
            match rro {
                "Disabled" => (),
                "Enabled" | "IfPossible" => {
                    if mount.read_only != Some(true) {
                        errs.push(FieldError::forbidden(
                            &rro_path,
                            "may only be specified when readOnly is true",
                        ));
                    }
                    if mount
                        .mount_propagation
                        .as_deref()
                        .is_some_and(|p| p != "None")
                    {
                        errs.push(FieldError::forbidden(
                            &rro_path,
                            "may only be specified when mountPropagation is None or not specified",
                        ));
                    }
                }
                other => errs.push(FieldError::not_supported(
                    &rro_path,
                    BadValue::typed(other),
                    &["Disabled", "Enabled", "IfPossible"],
                )),
            }
        }
    }
}

fn validate_volume_devices(
    c: &ContainerView<'_>,
    volumes: &VolumeMap<'_>,
    path: &Path,
    errs: &mut Errs,
) {
    let mounts: BTreeMap<&str, &str> = c
        .volume_mounts
        .iter()
        .map(|m| (m.name.as_str(), m.mount_path.as_str()))
        .collect();
    let mut device_paths = BTreeSet::new();
    let mut device_names = BTreeSet::new();
    for (i, dev) in c.volume_devices.iter().enumerate() {
        let idx_path = path.index(i);
        let name = dev.name.as_str();
        let dev_path = dev.device_path.as_str();
        let matched = volumes.get(name);
        let is_pvc =
            matched.is_some_and(|v| v.persistent_volume_claim.is_some() || v.ephemeral.is_some());
        if name.is_empty() {
            errs.push(FieldError::required(&idx_path.child("name"), ""));
        }
        if device_names.contains(name) {
            errs.push(FieldError::invalid(
                &idx_path.child("name"),
                BadValue::str(name),
                "must be unique",
            ));
        }
        if matched.is_some() && !is_pvc {
            errs.push(FieldError::invalid(
                &idx_path.child("name"),
                BadValue::str(name),
                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
            ));
        }
        if matched.is_none() {
            errs.push(FieldError::not_found(
                &idx_path.child("name"),
                BadValue::str(name),
            ));
        }
        if dev_path.is_empty() {
            errs.push(FieldError::required(&idx_path.child("devicePath"), ""));
        }
        if device_paths.contains(dev_path) {
            errs.push(FieldError::invalid(
                &idx_path.child("devicePath"),
                BadValue::str(dev_path),
                "must be unique",
            ));
        }
        if !dev_path.is_empty() && dev_path.split('/').any(|p| p == "..") {
            errs.push(FieldError::invalid(
                &idx_path.child("devicePath"),
                BadValue::str(dev_path),
                "can not contain backsteps ('..')",
            ));
        } else {
            device_paths.insert(dev_path);
        }
        if mounts.contains_key(name) {
            errs.push(FieldError::invalid(
                &idx_path.child("name"),
                BadValue::str(name),
                "must not already exist in volumeMounts",
            ));
        }
        if mounts.values().any(|p| *p == dev_path) {
            errs.push(FieldError::invalid(
                &idx_path.child("devicePath"),
                BadValue::str(dev_path),
                "must not already exist as a path in volumeMounts",
            ));
        }
        if !name.is_empty() {
            device_names.insert(name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Resources.

fn validate_resource_requirements(
    requirements: &corev1::ResourceRequirements,
    claim_names: &BTreeSet<String>,
    path: &Path,
    errs: &mut Errs,
) {
    let lim_path = path.child("limits");
    let req_path = path.child("requests");
    let empty = BTreeMap::new();
    let limits = requirements.limits.as_ref().unwrap_or(&empty);
    let requests = requirements.requests.as_ref().unwrap_or(&empty);
    let mut cpu_or_memory = false;
    let mut hugepages = false;
    let mut parsed_limits = BTreeMap::new();
    for (name, value) in limits {
        let key_path = lim_path.key(name);
        validate_container_resource_name(name, &key_path, errs);
        let Some(q) = parse_quantity(&value.0, &key_path, errs) else {
            continue;
        };
        validate_resource_quantity_value(name, &q, &key_path, errs);
        if is_hugepage_resource_name(name) {
            hugepages = true;
            validate_hugepage_value(name, &q, &key_path, errs);
        }
        cpu_or_memory |= name == "cpu" || name == "memory";
        parsed_limits.insert(name.as_str(), q);
    }
    for (name, value) in requests {
        let key_path = req_path.key(name);
        validate_container_resource_name(name, &key_path, errs);
        let Some(q) = parse_quantity(&value.0, &key_path, errs) else {
            continue;
        };
        validate_resource_quantity_value(name, &q, &key_path, errs);
        if let Some(limit) = parsed_limits.get(name.as_str()) {
            let ordering = q.cmp_value(limit);
            if ordering.is_ne() && !is_overcommit_allowed(name) {
                errs.push(FieldError::invalid(
                    &req_path,
                    BadValue::str(&q.canonical()),
                    &format!("must be equal to {name} limit of {}", limit.canonical()),
                ));
            } else if ordering.is_gt() {
                errs.push(FieldError::invalid(
                    &req_path,
                    BadValue::str(&q.canonical()),
                    &format!(
                        "must be less than or equal to {name} limit of {}",
                        limit.canonical()
                    ),
                ));
            }
        } else if !limits.contains_key(name) && !is_overcommit_allowed(name) {
            errs.push(FieldError::required(
                &lim_path,
                "Limit must be set for non overcommitable resources",
            ));
        }
        if is_hugepage_resource_name(name) {
            hugepages = true;
            validate_hugepage_value(name, &q, &key_path, errs);
        }
        cpu_or_memory |= name == "cpu" || name == "memory";
    }
    if !cpu_or_memory && hugepages {
        errs.push(FieldError::forbidden(
            path,
            "HugePages require cpu or memory",
        ));
    }
    validate_resource_claim_names(
        list(&requirements.claims),
        claim_names,
        &path.child("claims"),
        errs,
    );
}

fn parse_quantity(text: &str, path: &Path, errs: &mut Errs) -> Option<Quantity> {
    match Quantity::parse(text) {
        Ok(q) => Some(q),
        Err(err) => {
            errs.push(FieldError::invalid(
                path,
                BadValue::str(text),
                &err.to_string(),
            ));
            None
        }
    }
}

/// `ValidateResourceQuantityValue`: not negative, and whole for integer-only resources.
fn validate_resource_quantity_value(name: &str, q: &Quantity, path: &Path, errs: &mut Errs) {
    if q.sign() < 0 {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(&q.canonical()),
            IS_NEGATIVE_ERROR_MSG,
        ));
    }
    if is_integer_resource_name(name) && q.milli_value() % 1000 != 0 {
        errs.push(FieldError::invalid(
            path,
            BadValue::Json(json_quote(&q.canonical())),
            IS_NOT_INTEGER_ERROR_MSG,
        ));
    }
}

fn validate_hugepage_value(name: &str, q: &Quantity, path: &Path, errs: &mut Errs) {
    let page = name
        .strip_prefix("hugepages-")
        .and_then(|size| Quantity::parse(size).ok());
    let divisible = match page {
        Some(page) if page.sign() > 0 && page.milli_value() % 1000 == 0 => {
            q.value() % page.value() == 0
        }
        _ => false,
    };
    if !divisible {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(&q.canonical()),
            &format!(
                "{} is not positive integer multiple of {name}",
                q.canonical()
            ),
        ));
    }
}

/// `validateContainerResourceName`: standard container resources, or qualified extended ones.
fn validate_container_resource_name(name: &str, path: &Path, errs: &mut Errs) {
    let msgs = is_qualified_name(name);
    let qualified_ok = msgs.is_empty();
    for msg in msgs {
        errs.push(FieldError::invalid(path, BadValue::typed(name), &msg));
    }
    let unprefixed = !name.contains('/');
    if qualified_ok && unprefixed && !is_standard_resource_name(name) {
        errs.push(FieldError::invalid(
            path,
            BadValue::typed(name),
            "must be a standard resource type or fully qualified",
        ));
    }
    if unprefixed {
        if !is_standard_container_resource_name(name) {
            errs.push(FieldError::invalid(
                path,
                BadValue::typed(name),
                "must be a standard resource for containers",
            ));
        }
    } else if !is_native_resource(name) && !is_extended_resource_name(name) {
        errs.push(FieldError::invalid(
            path,
            BadValue::typed(name),
            "doesn't follow extended resource name standard",
        ));
    }
}

fn is_hugepage_resource_name(name: &str) -> bool {
    name.starts_with("hugepages-")
}

fn is_standard_container_resource_name(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || is_hugepage_resource_name(name)
}

fn is_standard_resource_name(name: &str) -> bool {
    const STANDARD: [&str; 19] = [
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "persistentvolumeclaims",
        "storage",
        "requests.storage",
        "services.nodeports",
        "services.loadbalancers",
    ];
    STANDARD.contains(&name)
        || name.starts_with("hugepages-")
        || name.starts_with("requests.hugepages-")
}

fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_extended_resource_name(name: &str) -> bool {
    if is_native_resource(name) || name.starts_with("requests.") {
        return false;
    }
    is_qualified_name(&format!("requests.{name}")).is_empty()
}

/// `IsIntegerResourceName`: object counts and extended resources come in whole units.
fn is_integer_resource_name(name: &str) -> bool {
    const INTEGER: [&str; 9] = [
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "services.nodeports",
        "services.loadbalancers",
    ];
    INTEGER.contains(&name) || is_extended_resource_name(name)
}

fn is_overcommit_allowed(name: &str) -> bool {
    is_native_resource(name) && !is_hugepage_resource_name(name)
}

fn validate_resource_claim_names(
    claims: &[corev1::ResourceClaim],
    pod_claims: &BTreeSet<String>,
    path: &Path,
    errs: &mut Errs,
) {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (i, claim) in claims.iter().enumerate() {
        let idx_path = path.index(i);
        if claim.name.is_empty() {
            errs.push(FieldError::required(&idx_path, ""));
            continue;
        }
        if names.contains(&claim.name) {
            errs.push(FieldError::duplicate(&idx_path, BadValue::str(&claim.name)));
        } else {
            let request = str_of(&claim.request);
            let mut key = claim.name.clone();
            if !request.is_empty() {
                validate_dns1123_label(request, &idx_path.child("request"), errs);
                key = format!("{key}/{request}");
            }
            if names.contains(&key) {
                errs.push(FieldError::duplicate(&idx_path, BadValue::str(&key)));
            } else if request.is_empty() {
                let overlapping = names
                    .iter()
                    .filter(|k| k.split_once('/').is_some_and(|(n, _)| n == claim.name))
                    .count();
                for _ in 0..overlapping {
                    errs.push(FieldError::duplicate(&idx_path, BadValue::str(&claim.name)));
                }
            }
            names.insert(key);
        }
        if !pod_claims.contains(&claim.name) {
            let mut err = FieldError::not_found(&idx_path, BadValue::str(&claim.name));
            err.detail = if pod_claims.is_empty() {
                "must be one of the names in pod.spec.resourceClaims which is empty".to_string()
            } else {
                let all: Vec<&str> = pod_claims.iter().map(String::as_str).collect();
                format!(
                    "must be one of the names in pod.spec.resourceClaims: {}",
                    all.join(", ")
                )
            };
            errs.push(err);
        }
    }
}

fn validate_resize_policy(
    policies: &[corev1::ContainerResizePolicy],
    pod_restart: &str,
    path: &Path,
    errs: &mut Errs,
) {
    let mut seen = BTreeSet::new();
    for (i, p) in policies.iter().enumerate() {
        if !seen.insert(p.resource_name.as_str()) {
            errs.push(FieldError::duplicate(
                &path.index(i),
                BadValue::typed(&p.resource_name),
            ));
        }
        match p.resource_name.as_str() {
            "cpu" | "memory" => (),
            "" => errs.push(FieldError::required(path, "")),
            other => errs.push(FieldError::not_supported(
                path,
                BadValue::typed(other),
                &["cpu", "memory"],
            )),
        }
        match p.restart_policy.as_str() {
            "NotRequired" | "RestartContainer" => (),
            "" => errs.push(FieldError::required(path, "")),
            other => errs.push(FieldError::not_supported(
                path,
                BadValue::typed(other),
                &["NotRequired", "RestartContainer"],
            )),
        }
        if pod_restart == "Never" && p.restart_policy != "NotRequired" {
            errs.push(FieldError::invalid(
                path,
                BadValue::typed(&p.restart_policy),
                "must be 'NotRequired' when `restartPolicy` is 'Never'",
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Container security context, probes and lifecycle handlers.

fn validate_security_context(
    sc: Option<&corev1::SecurityContext>,
    host_users: bool,
    path: &Path,
    errs: &mut Errs,
) {
    let Some(sc) = sc else {
        return;
    };
    let ids = [
        (
            "runAsUser",
            sc.run_as_user,
            is_valid_user_id as fn(i64) -> Vec<String>,
        ),
        ("runAsGroup", sc.run_as_group, is_valid_group_id),
    ];
    for (field, value, check) in ids {
        if let Some(value) = value {
            for msg in check(value) {
                errs.push(FieldError::invalid(
                    &path.child(field),
                    BadValue::Int(value),
                    &msg,
                ));
            }
        }
    }
    if let Some(proc_mount) = sc.proc_mount.as_deref() {
        if proc_mount != "Default" && proc_mount != "Unmasked" {
            errs.push(FieldError::not_supported(
                &path.child("procMount"),
                BadValue::typed(proc_mount),
                &["Default", "Unmasked"],
            ));
        }
        if host_users && proc_mount == "Unmasked" {
            errs.push(FieldError::invalid(
                &path.child("procMount"),
                BadValue::typed(proc_mount),
                "`hostUsers` must be false to use `Unmasked`",
            ));
        }
    }
    validate_seccomp_profile(
        sc.seccomp_profile.as_ref(),
        &path.child("seccompProfile"),
        errs,
    );
    if sc.allow_privilege_escalation == Some(false) {
        if sc.privileged == Some(true) {
            errs.push(FieldError::invalid(
                path,
                BadValue::Json(security_context_json(sc)),
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            ));
        }
        let adds = sc
            .capabilities
            .as_ref()
            .and_then(|c| c.add.as_deref())
            .unwrap_or(&[]);
        for cap in adds {
            if cap == "CAP_SYS_ADMIN" {
                errs.push(FieldError::invalid(
                    path,
                    BadValue::Json(security_context_json(sc)),
                    "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                ));
            }
        }
    }
    validate_app_armor_profile(
        sc.app_armor_profile.as_ref(),
        &path.child("appArmorProfile"),
        errs,
    );
}

fn validate_probes(
    c: &ContainerView<'_>,
    ctx: &ContainerContext<'_>,
    path: &Path,
    errs: &mut Errs,
) {
    if let Some(probe) = c.liveness_probe {
        let p = path.child("livenessProbe");
        validate_probe(probe, ctx.grace, &p, errs);
        validate_success_threshold_is_one(probe, &p, errs);
    }
    if let Some(probe) = c.readiness_probe {
        let p = path.child("readinessProbe");
        validate_probe(probe, ctx.grace, &p, errs);
        if let Some(grace) = probe.termination_grace_period_seconds {
            errs.push(FieldError::invalid(
                &p.child("terminationGracePeriodSeconds"),
                BadValue::Int(grace),
                "must not be set for readinessProbes",
            ));
        }
    }
    if let Some(probe) = c.startup_probe {
        let p = path.child("startupProbe");
        validate_probe(probe, ctx.grace, &p, errs);
        validate_success_threshold_is_one(probe, &p, errs);
    }
}

fn validate_success_threshold_is_one(probe: &corev1::Probe, path: &Path, errs: &mut Errs) {
    let threshold = probe.success_threshold.unwrap_or(0);
    if threshold != 1 {
        errs.push(FieldError::invalid(
            &path.child("successThreshold"),
            BadValue::Int(i64::from(threshold)),
            "must be 1",
        ));
    }
}

fn validate_probe(probe: &corev1::Probe, grace: Option<i64>, path: &Path, errs: &mut Errs) {
    let handler = Handler {
        exec: probe.exec.as_ref(),
        http_get: probe.http_get.as_ref(),
        tcp_socket: probe.tcp_socket.as_ref(),
        grpc: probe.grpc.as_ref(),
        sleep: None,
    };
    validate_handler(&handler, grace, path, errs);
    for (field, value) in [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        let value = i64::from(value.unwrap_or(0));
        if value < 0 {
            errs.push(FieldError::invalid(
                &path.child(field),
                BadValue::Int(value),
                IS_NEGATIVE_ERROR_MSG,
            ));
        }
    }
    if let Some(grace) = probe.termination_grace_period_seconds {
        if grace <= 0 {
            errs.push(FieldError::invalid(
                &path.child("terminationGracePeriodSeconds"),
                BadValue::Int(grace),
                "must be greater than 0",
            ));
        }
    }
}

fn validate_lifecycle(
    lifecycle: &corev1::Lifecycle,
    grace: Option<i64>,
    path: &Path,
    errs: &mut Errs,
) {
    for (field, handler) in [
        ("postStart", &lifecycle.post_start),
        ("preStop", &lifecycle.pre_stop),
    ] {
        if let Some(h) = handler.as_ref() {
            let handler = Handler {
                exec: h.exec.as_ref(),
                http_get: h.http_get.as_ref(),
                tcp_socket: h.tcp_socket.as_ref(),
                grpc: None,
                sleep: h.sleep.as_ref(),
            };
            validate_handler(&handler, grace, &path.child(field), errs);
        }
    }
}

/// Upstream's `commonHandler`: what a probe or lifecycle hook may run.
struct Handler<'a> {
    exec: Option<&'a corev1::ExecAction>,
    http_get: Option<&'a corev1::HTTPGetAction>,
    tcp_socket: Option<&'a corev1::TCPSocketAction>,
    grpc: Option<&'a corev1::GRPCAction>,
    sleep: Option<&'a corev1::SleepAction>,
}

/// `validateHandler`: exactly one handler type, then its own rules.
fn validate_handler(h: &Handler<'_>, grace: Option<i64>, path: &Path, errs: &mut Errs) {
    let mut count = 0;
    let mut take = |present: bool, name: &str, errs: &mut Errs| -> bool {
        if !present {
            return false;
        }
        if count > 0 {
            errs.push(FieldError::forbidden(
                &path.child(name),
                "may not specify more than 1 handler type",
            ));
            return false;
        }
        count += 1;
        true
    };
    // take() must run first: it counts the handler even when the check below passes.
    if take(h.exec.is_some(), "exec", errs) && h.exec.is_some_and(|e| list(&e.command).is_empty()) {
        errs.push(FieldError::required(
            &path.child("exec").child("command"),
            "",
        ));
    }
    if take(h.http_get.is_some(), "httpGet", errs) {
        if let Some(http) = h.http_get {
            let p = path.child("httpGet");
            require(str_of(&http.path).is_empty(), &p.child("path"), errs);
            validate_port_num_or_name(&http.port, &p.child("port"), errs);
            let scheme = str_of(&http.scheme);
            if scheme != "HTTP" && scheme != "HTTPS" {
                errs.push(FieldError::not_supported(
                    &p.child("scheme"),
                    BadValue::typed(scheme),
                    &["HTTP", "HTTPS"],
                ));
            }
            for header in list(&http.http_headers) {
                for msg in is_http_header_name(&header.name) {
                    errs.push(FieldError::invalid(
                        &p.child("httpHeaders"),
                        BadValue::str(&header.name),
                        &msg,
                    ));
                }
            }
        }
    }
    if take(h.tcp_socket.is_some(), "tcpSocket", errs) {
        if let Some(tcp) = h.tcp_socket {
            validate_port_num_or_name(&tcp.port, &path.child("tcpSocket").child("port"), errs);
        }
    }
    if take(h.grpc.is_some(), "grpc", errs) {
        if let Some(grpc) = h.grpc {
            validate_port_num_or_name(
                &IntOrString::Int(grpc.port),
                &path.child("grpc").child("port"),
                errs,
            );
        }
    }
    if take(h.sleep.is_some(), "sleep", errs) {
        if let (Some(sleep), Some(grace)) = (h.sleep, grace) {
            // PodLifecycleSleepActionAllowZero is on in v1.34, so zero seconds are allowed.
            if sleep.seconds < 0 || sleep.seconds > grace {
                errs.push(FieldError::invalid(
                    &path.child("sleep"),
                    BadValue::Int(sleep.seconds),
                    &format!("must be non-negative and less than terminationGracePeriodSeconds ({grace})"),
                ));
            }
        }
    }
    if count == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    }
}

fn validate_port_num_or_name(port: &IntOrString, path: &Path, errs: &mut Errs) {
    match port {
        IntOrString::Int(n) => {
            for msg in is_valid_port_num(i64::from(*n)) {
                errs.push(FieldError::invalid(
                    path,
                    BadValue::Int(i64::from(*n)),
                    &msg,
                ));
            }
        }
        IntOrString::String(name) => {
            for msg in is_valid_port_name(name) {
                errs.push(FieldError::invalid(path, BadValue::str(name), &msg));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

fn validate_dns1123_label(value: &str, path: &Path, errs: &mut Errs) {
    for msg in is_dns1123_label(value) {
        errs.push(FieldError::invalid(path, BadValue::str(value), &msg));
    }
}

fn validate_dns1123_subdomain(value: &str, path: &Path, errs: &mut Errs) {
    for msg in is_dns1123_subdomain(value) {
        errs.push(FieldError::invalid(path, BadValue::str(value), &msg));
    }
}

fn validate_qualified_name(value: &str, path: &Path, errs: &mut Errs) {
    for msg in is_qualified_name(value) {
        errs.push(FieldError::invalid(path, BadValue::str(value), &msg));
    }
}

/// The JSON of the internal (tag-less) Go `SeccompProfile`/`AppArmorProfile`.
fn profile_json(kind: &str, localhost: Option<&str>) -> String {
    format!(
        r#"{{"Type":{},"LocalhostProfile":{}}}"#,
        json_quote(kind),
        opt_json(localhost)
    )
}

/// The JSON of the internal (tag-less) Go `SecurityContext`, field order as in its struct.
fn security_context_json(sc: &corev1::SecurityContext) -> String {
    let strings = |v: Option<&Vec<String>>| match v {
        Some(v) => format!(
            "[{}]",
            v.iter()
                .map(|s| json_quote(s))
                .collect::<Vec<_>>()
                .join(",")
        ),
        None => "null".to_string(),
    };
    let capabilities = match sc.capabilities.as_ref() {
        Some(c) => format!(
            r#"{{"Add":{},"Drop":{}}}"#,
            strings(c.add.as_ref()),
            strings(c.drop.as_ref())
        ),
        None => "null".to_string(),
    };
    let se_linux = match sc.se_linux_options.as_ref() {
        Some(o) => format!(
            r#"{{"User":{},"Role":{},"Type":{},"Level":{}}}"#,
            json_quote(str_of(&o.user)),
            json_quote(str_of(&o.role)),
            json_quote(str_of(&o.type_)),
            json_quote(str_of(&o.level))
        ),
        None => "null".to_string(),
    };
    let windows = match sc.windows_options.as_ref() {
        Some(o) => format!(
            r#"{{"GMSACredentialSpecName":{},"GMSACredentialSpec":{},"RunAsUserName":{},"HostProcess":{}}}"#,
            opt_json(o.gmsa_credential_spec_name.as_deref()),
            opt_json(o.gmsa_credential_spec.as_deref()),
            opt_json(o.run_as_user_name.as_deref()),
            opt_scalar(o.host_process)
        ),
        None => "null".to_string(),
    };
    let seccomp = sc
        .seccomp_profile
        .as_ref()
        .map(|p| profile_json(&p.type_, p.localhost_profile.as_deref()))
        .unwrap_or_else(|| "null".to_string());
    let app_armor = sc
        .app_armor_profile
        .as_ref()
        .map(|p| profile_json(&p.type_, p.localhost_profile.as_deref()))
        .unwrap_or_else(|| "null".to_string());
    format!(
        r#"{{"Capabilities":{},"Privileged":{},"SELinuxOptions":{},"WindowsOptions":{},"RunAsUser":{},"RunAsGroup":{},"RunAsNonRoot":{},"ReadOnlyRootFilesystem":{},"AllowPrivilegeEscalation":{},"ProcMount":{},"SeccompProfile":{},"AppArmorProfile":{}}}"#,
        capabilities,
        opt_scalar(sc.privileged),
        se_linux,
        windows,
        opt_scalar(sc.run_as_user),
        opt_scalar(sc.run_as_group),
        opt_scalar(sc.run_as_non_root),
        opt_scalar(sc.read_only_root_filesystem),
        opt_scalar(sc.allow_privilege_escalation),
        opt_json(sc.proc_mount.as_deref()),
        seccomp,
        app_armor
    )
}

fn opt_json(value: Option<&str>) -> String {
    value.map(json_quote).unwrap_or_else(|| "null".to_string())
}

fn opt_scalar<T: std::fmt::Display>(value: Option<T>) -> String {
    value
        .map(|v| v.to_string())
        .unwrap_or_else(|| "null".to_string())
}

fn str_of(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

fn list<T>(value: &Option<Vec<T>>) -> &[T] {
    value.as_deref().unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::defaults::set_defaults_pod;
    use crate::apiserver::validation::field::{format_error_list, invalid_error_message};

    const SUBDOMAIN_MSG: &str = r"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    /// Decodes a manifest, applies the API defaults and validates it as the API server would.
    fn defaulted(manifest: &str) -> corev1::Pod {
        let mut pod: corev1::Pod =
            serde_json::from_value(crate::yaml::from_str(manifest).unwrap()).unwrap();
        set_defaults_pod(&mut pod);
        pod
    }

    fn errors(manifest: &str) -> Vec<String> {
        validate_pod_create(&defaulted(manifest))
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    /// A valid pod with `extra` appended to the first container.
    fn with_container(extra: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n{extra}"
        )
    }

    /// A valid pod with `extra` appended to the spec.
    fn with_spec(extra: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n{extra}"
        )
    }

    #[test]
    fn a_kubeadm_style_static_pod_is_valid() {
        let manifest = r#"
apiVersion: v1
kind: Pod
metadata:
  name: kube-scheduler-controlplane
  namespace: kube-system
  labels:
    component: kube-scheduler
    tier: control-plane
  annotations:
    kubernetes.io/config.mirror: "4b5d0ab4"
spec:
  nodeName: controlplane
  hostNetwork: true
  priorityClassName: system-node-critical
  priority: 2000001000
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: kube-scheduler
    image: registry.k8s.io/kube-scheduler:v1.34.0
    command:
    - kube-scheduler
    - --kubeconfig=/etc/kubernetes/scheduler.conf
    resources:
      requests:
        cpu: 100m
    livenessProbe:
      httpGet:
        host: 127.0.0.1
        path: /livez
        port: 10259
        scheme: HTTPS
      initialDelaySeconds: 10
      failureThreshold: 8
    startupProbe:
      httpGet:
        host: 127.0.0.1
        path: /livez
        port: probe-port
        scheme: HTTPS
    ports:
    - name: probe-port
      containerPort: 10259
    volumeMounts:
    - name: kubeconfig
      mountPath: /etc/kubernetes/scheduler.conf
      readOnly: true
  volumes:
  - name: kubeconfig
    hostPath:
      path: /etc/kubernetes/scheduler.conf
      type: FileOrCreate
  tolerations:
  - operator: Exists
    effect: NoExecute
"#;
        assert_eq!(errors(manifest), Vec::<String>::new());
    }

    #[test]
    fn upper_case_static_pod_name() {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-pod1-NODE1\n  namespace: default\nspec:\n  containers:\n  - name: web\n    image: nginx\n";
        assert_eq!(
            errors(manifest),
            vec![format!(
                r#"metadata.name: Invalid value: "static-pod1-NODE1": {SUBDOMAIN_MSG}"#
            )]
        );
    }

    #[test]
    fn missing_image() {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: web\n";
        let pod = defaulted(manifest);
        let errs = validate_pod_create(&pod);
        assert_eq!(
            invalid_error_message("Pod", "web", &errs),
            r#"The Pod "web" is invalid: spec.containers[0].image: Required value"#
        );
        assert_eq!(
            format_error_list(&errs),
            "[spec.containers[0].image: Required value]"
        );
    }

    #[test]
    fn unknown_restart_policy() {
        assert_eq!(
            errors(&with_spec("  restartPolicy: Sometimes\n")),
            vec![
                r#"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#
            ]
        );
    }

    #[test]
    fn volume_mount_to_an_undefined_volume() {
        assert_eq!(
            errors(&with_container(
                "    volumeMounts:\n    - name: data\n      mountPath: /data\n"
            )),
            vec![r#"spec.containers[0].volumeMounts[0].name: Not found: "data""#]
        );
    }

    // The four TestExtractInvalidPods cases of pkg/kubelet/config/http_test.go that reach
    // validation, on an otherwise valid pod.

    #[test]
    fn invalid_volume_name() {
        assert_eq!(
            errors(&with_spec("  volumes:\n  - name: _INVALID_\n")),
            vec![format!(
                r#"spec.volumes[0].name: Invalid value: "_INVALID_": {LABEL_MSG}"#
            )]
        );
    }

    #[test]
    fn duplicate_volume_names() {
        assert_eq!(
            errors(&with_spec(
                "  volumes:\n  - name: repeated\n  - name: repeated\n"
            )),
            vec![r#"spec.volumes[1].name: Duplicate value: "repeated""#]
        );
    }

    #[test]
    fn unspecified_container_name() {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: \"\"\n    image: nginx\n";
        assert_eq!(
            errors(manifest),
            vec!["spec.containers[0].name: Required value"]
        );
    }

    #[test]
    fn invalid_container_name() {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: _INVALID_\n    image: nginx\n";
        assert_eq!(
            errors(manifest),
            vec![format!(
                r#"spec.containers[0].name: Invalid value: "_INVALID_": {LABEL_MSG}"#
            )]
        );
    }

    #[test]
    fn the_upstream_invalid_pods_fail_as_a_whole() {
        // As upstream writes them: no name, no namespace, only the offending part.
        let manifest = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: \"\"\n";
        assert_eq!(
            errors(manifest),
            vec![
                "metadata.name: Required value: name or generateName is required",
                "metadata.namespace: Required value",
                "spec.containers[0].name: Required value",
                "spec.containers[0].image: Required value",
            ]
        );
    }

    #[test]
    fn no_containers() {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers: []\n";
        assert_eq!(errors(manifest), vec!["spec.containers: Required value"]);
    }

    #[test]
    fn errors_come_in_upstream_order_and_print_like_kubectl() {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Web\n  namespace: default\nspec:\n  restartPolicy: Sometimes\n  containers:\n  - name: web\n";
        let pod = defaulted(manifest);
        let errs = validate_pod_create(&pod);
        let want = format!(
            "The Pod \"Web\" is invalid: \n* metadata.name: Invalid value: \"Web\": {SUBDOMAIN_MSG}\n* spec.containers[0].image: Required value\n* spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
        );
        assert_eq!(invalid_error_message("Pod", "Web", &errs), want);
    }

    #[test]
    fn container_names_are_unique_across_init_and_regular_containers() {
        let manifest = with_spec("  initContainers:\n  - name: web\n    image: busybox\n");
        assert_eq!(
            errors(&manifest),
            vec![r#"spec.initContainers[0].name: Duplicate value: "web""#]
        );
        let manifest = with_spec("  - name: web\n    image: nginx\n");
        assert_eq!(
            errors(&manifest),
            vec![r#"spec.containers[1].name: Duplicate value: "web""#]
        );
    }

    #[test]
    fn image_pull_policy_and_termination_message_policy() {
        assert_eq!(
            errors(&with_container(
                "    imagePullPolicy: Sometimes\n    terminationMessagePolicy: Logs\n"
            )),
            vec![
                r#"spec.containers[0].terminationMessagePolicy: Unsupported value: "Logs": supported values: "File", "FallbackToLogsOnError""#,
                r#"spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never""#,
            ]
        );
    }

    #[test]
    fn image_with_whitespace() {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: web\n    image: \"nginx \"\n";
        assert_eq!(
            errors(manifest),
            vec![
                r#"spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace"#
            ]
        );
    }

    #[test]
    fn host_path_volumes() {
        assert_eq!(
            errors(&with_spec("  volumes:\n  - name: logs\n    hostPath:\n      path: /var/log\n      type: Folder\n")),
            vec![r#"spec.volumes[0].hostPath.type: Unsupported value: "Folder": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket""#]
        );
        assert_eq!(
            errors(&with_spec(
                "  volumes:\n  - name: logs\n    hostPath:\n      path: \"\"\n"
            )),
            vec!["spec.volumes[0].hostPath.path: Required value"]
        );
        assert_eq!(
            errors(&with_spec(
                "  volumes:\n  - name: logs\n    hostPath:\n      path: /var/../etc\n"
            )),
            vec![
                r#"spec.volumes[0].hostPath.path: Invalid value: "/var/../etc": must not contain '..'"#
            ]
        );
    }

    #[test]
    fn two_volume_sources() {
        assert_eq!(
            errors(&with_spec(
                "  volumes:\n  - name: both\n    emptyDir: {}\n    hostPath:\n      path: /tmp\n"
            )),
            vec!["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"]
        );
    }

    #[test]
    fn a_mount_of_an_invalid_volume_is_not_found_too() {
        let manifest = with_spec("    volumeMounts:\n    - name: Data\n      mountPath: /data\n  volumes:\n  - name: Data\n");
        assert_eq!(
            errors(&manifest),
            vec![
                format!(r#"spec.volumes[0].name: Invalid value: "Data": {LABEL_MSG}"#),
                r#"spec.containers[0].volumeMounts[0].name: Not found: "Data""#.to_string(),
            ]
        );
    }

    #[test]
    fn mount_paths() {
        let manifest = with_spec("    volumeMounts:\n    - name: data\n      mountPath: \"\"\n    - name: data\n      mountPath: \"\"\n  volumes:\n  - name: data\n    emptyDir: {}\n");
        assert_eq!(
            errors(&manifest),
            vec![
                "spec.containers[0].volumeMounts[0].mountPath: Required value",
                "spec.containers[0].volumeMounts[1].mountPath: Required value",
                r#"spec.containers[0].volumeMounts[1].mountPath: Invalid value: "": must be unique"#,
            ]
        );
    }

    #[test]
    fn requests_above_limits() {
        let manifest = with_container("    resources:\n      limits:\n        cpu: 500m\n        memory: 128Mi\n      requests:\n        cpu: \"1\"\n        memory: 64Mi\n");
        assert_eq!(
            errors(&manifest),
            vec![
                r#"spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m"#
            ]
        );
    }

    #[test]
    fn resource_names_and_quantities() {
        let manifest = with_container("    resources:\n      requests:\n        cpus: \"1\"\n        memory: -1Gi\n        example.com/gpu: 500m\n");
        assert_eq!(
            errors(&manifest),
            vec![
                r#"spec.containers[0].resources.requests[cpus]: Invalid value: "cpus": must be a standard resource type or fully qualified"#,
                r#"spec.containers[0].resources.requests[cpus]: Invalid value: "cpus": must be a standard resource for containers"#,
                r#"spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "500m": must be an integer"#,
                "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
                r#"spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0"#,
            ]
        );
        assert_eq!(
            errors(&with_container(
                "    resources:\n      limits:\n        memory: 1GB\n"
            )),
            vec![
                r#"spec.containers[0].resources.limits[memory]: Invalid value: "1GB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"#,
                // Defaulting copied the limit into the requests.
                r#"spec.containers[0].resources.requests[memory]: Invalid value: "1GB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"#,
            ]
        );
    }

    #[test]
    fn ports() {
        let manifest = with_container("    ports:\n    - containerPort: 0\n      protocol: HTTP\n    - name: Web\n      containerPort: 70000\n      hostPort: 8080\n");
        assert_eq!(
            errors(&manifest),
            vec![
                "spec.containers[0].ports[0].containerPort: Required value",
                r#"spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#,
                r#"spec.containers[0].ports[1].name: Invalid value: "Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#,
                "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            ]
        );
    }

    #[test]
    fn host_ports() {
        let manifest = with_spec("    ports:\n    - containerPort: 80\n      hostPort: 8080\n  - name: sidecar\n    image: nginx\n    ports:\n    - containerPort: 81\n      hostPort: 8080\n");
        assert_eq!(
            errors(&manifest),
            vec![r#"spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080""#]
        );
        let manifest = with_spec(
            "    ports:\n    - containerPort: 80\n      hostPort: 81\n  hostNetwork: true\n",
        );
        assert_eq!(
            errors(&manifest),
            vec!["spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true"]
        );
    }

    #[test]
    fn host_network_port_defaulting_and_options() {
        // Without defaulting, an unset hostPort only fails for the API server.
        let mut pod: corev1::Pod = serde_json::from_value(
            crate::yaml::from_str(&with_spec(
                "    ports:\n    - containerPort: 80\n      protocol: TCP\n  hostNetwork: true\n",
            ))
            .unwrap(),
        )
        .unwrap();
        let spec = pod.spec.as_mut().unwrap();
        spec.termination_grace_period_seconds = Some(30);
        spec.restart_policy = Some("Always".into());
        spec.dns_policy = Some("ClusterFirst".into());
        let c = &mut spec.containers[0];
        c.image_pull_policy = Some("IfNotPresent".into());
        c.termination_message_policy = Some("File".into());
        let kubelet = validate_pod_create_with(&pod, PodValidationOptions::kubelet());
        assert_eq!(kubelet, Vec::new());
        let api = validate_pod_create_with(&pod, PodValidationOptions::api_server());
        assert_eq!(
            api.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            vec!["spec.containers[0].ports[0].hostPort: Invalid value: 0: must match `containerPort` when `hostNetwork` is true"]
        );
    }

    #[test]
    fn env_vars() {
        let manifest = with_container("    env:\n    - name: A=B\n      value: x\n    - name: \"\"\n    - name: POD\n      valueFrom: {}\n    - name: NODE\n      valueFrom:\n        fieldRef:\n          fieldPath: spec.nodename\n");
        assert_eq!(
            errors(&manifest),
            vec![
                r#"spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='"#,
                "spec.containers[0].env[1].name: Required value",
                r#"spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"#,
                r#"spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nodename": error converting fieldPath: field label not supported: spec.nodename"#,
            ]
        );
        let manifest = with_container("    env:\n    - name: PHASE\n      valueFrom:\n        fieldRef:\n          fieldPath: status.phase\n");
        assert_eq!(
            errors(&manifest),
            vec![
                r#"spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs""#
            ]
        );
    }

    #[test]
    fn probes() {
        let manifest = with_container("    livenessProbe:\n      exec:\n        command: [\"true\"]\n      tcpSocket:\n        port: 80\n      successThreshold: 2\n    readinessProbe:\n      periodSeconds: -1\n");
        assert_eq!(
            errors(&manifest),
            vec![
                "spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
                "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
                "spec.containers[0].readinessProbe: Required value: must specify a handler type",
                "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
            ]
        );
        let manifest = with_container(
            "    startupProbe:\n      httpGet:\n        port: 0\n        scheme: FTP\n",
        );
        assert_eq!(
            errors(&manifest),
            vec![
                "spec.containers[0].startupProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
                r#"spec.containers[0].startupProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS""#,
            ]
        );
    }

    #[test]
    fn lifecycle_sleep_is_bounded_by_the_grace_period() {
        let manifest = with_container(
            "    lifecycle:\n      preStop:\n        sleep:\n          seconds: 60\n",
        );
        assert_eq!(
            errors(&manifest),
            vec!["spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)"]
        );
    }

    #[test]
    fn init_containers() {
        let manifest = with_spec("  initContainers:\n  - name: setup\n    image: busybox\n    restartPolicy: Never\n    livenessProbe:\n      exec:\n        command: [\"true\"]\n");
        assert_eq!(
            errors(&manifest),
            vec![
                r#"spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always""#,
                "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
            ]
        );
        // A sidecar (restartPolicy Always) may have probes.
        let manifest = with_spec("  initContainers:\n  - name: proxy\n    image: envoy\n    restartPolicy: Always\n    readinessProbe:\n      tcpSocket:\n        port: 9901\n");
        assert_eq!(errors(&manifest), Vec::<String>::new());
        assert_eq!(
            errors(&with_container("    restartPolicy: Always\n")),
            vec!["spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"]
        );
    }

    #[test]
    fn metadata_labels_annotations_and_namespace() {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: Prod\n  labels:\n    app/name/x: web\n    tier: -front\nspec:\n  containers:\n  - name: web\n    image: nginx\n";
        assert_eq!(
            errors(manifest),
            vec![
                format!(r#"metadata.namespace: Invalid value: "Prod": {LABEL_MSG}"#),
                r#"metadata.labels: Invalid value: "app/name/x": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"#.to_string(),
                r#"metadata.labels: Invalid value: "-front": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#.to_string(),
            ]
        );
        let big = "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B);
        let manifest = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\n  annotations:\n    a: {big}\nspec:\n  containers:\n  - name: web\n    image: nginx\n");
        assert_eq!(
            errors(&manifest),
            vec!["metadata.annotations: Too long: may not be more than 262144 bytes"]
        );
    }

    #[test]
    fn mirror_annotation_needs_a_node_name() {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\n  annotations:\n    kubernetes.io/config.mirror: abc\nspec:\n  containers:\n  - name: web\n    image: nginx\n";
        assert_eq!(
            errors(manifest),
            vec![
                r#"metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "abc": must set spec.nodeName if mirror pod annotation is set"#
            ]
        );
    }

    #[test]
    fn dns_policy_and_tolerations() {
        let manifest = with_spec("  dnsPolicy: ClusterFirstWithHostnet\n  tolerations:\n  - operator: Equal\n    effect: NoExecute\n  - key: node.kubernetes.io/unreachable\n    operator: Exists\n    effect: NoSchedule\n    tolerationSeconds: 300\n");
        assert_eq!(
            errors(&manifest),
            vec![
                r#"spec.dnsPolicy: Unsupported value: "ClusterFirstWithHostnet": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None""#,
                r#"spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys""#,
                r#"spec.tolerations[1].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when `tolerationSeconds` is set"#,
            ]
        );
    }

    #[test]
    fn security_contexts() {
        let manifest = with_container("    securityContext:\n      privileged: true\n      allowPrivilegeEscalation: false\n      runAsUser: -1\n");
        assert_eq!(
            errors(&manifest),
            vec![
                "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
                r#"spec.containers[0].securityContext: Invalid value: {"Capabilities":null,"Privileged":true,"SELinuxOptions":null,"WindowsOptions":null,"RunAsUser":-1,"RunAsGroup":null,"RunAsNonRoot":null,"ReadOnlyRootFilesystem":null,"AllowPrivilegeEscalation":false,"ProcMount":null,"SeccompProfile":null,"AppArmorProfile":null}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true"#,
            ]
        );
        let manifest =
            with_spec("  securityContext:\n    seccompProfile:\n      type: Localhost\n");
        assert_eq!(
            errors(&manifest),
            vec!["spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost"]
        );
    }

    #[test]
    fn service_account_token_needs_a_service_account() {
        let manifest = with_spec("  volumes:\n  - name: token\n    projected:\n      sources:\n      - serviceAccountToken:\n          path: token\n");
        assert_eq!(
            errors(&manifest),
            vec!["spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set"]
        );
    }

    #[test]
    fn create_only_rules() {
        let manifest = with_spec("  ephemeralContainers:\n  - name: debug\n    image: busybox\n");
        assert_eq!(
            errors(&manifest),
            vec!["spec.ephemeralContainers: Forbidden: cannot be set on create"]
        );
        let manifest =
            with_spec("  nodeName: node1\n  schedulingGates:\n  - name: example.com/wait\n");
        assert_eq!(
            errors(&manifest),
            vec!["spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"]
        );
    }

    #[test]
    fn secret_and_config_map_volume_fields() {
        let manifest = with_spec("  volumes:\n  - name: s\n    secret:\n      defaultMode: 1000\n      items:\n      - key: a\n        path: /abs\n  - name: c\n    configMap:\n      name: \"\"\n");
        assert_eq!(
            errors(&manifest),
            vec![
                "spec.volumes[0].secret.secretName: Required value",
                "spec.volumes[0].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
                r#"spec.volumes[0].secret.items[0].path: Invalid value: "/abs": must be a relative path"#,
                "spec.volumes[1].configMap.name: Required value",
            ]
        );
    }

    #[test]
    fn the_http_source_single_pod_is_valid_after_defaults() {
        // pkg/kubelet/config/http_test.go TestExtractPodsFromHTTP "Single pod", after the
        // kubelet's own defaults (name suffix, node name).
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: foo-different-value\n  uid: \"111\"\n  namespace: mynamespace\nspec:\n  nodeName: different-value\n  containers:\n  - name: \"1\"\n    image: foo\n    imagePullPolicy: Always\n    terminationMessagePolicy: File\n  securityContext: {}\n  schedulerName: default-scheduler\n";
        assert_eq!(errors(manifest), Vec::<String>::new());
    }
}
