//! Mirrors `pkg/apis/core/v1/defaults.go` and the Pod part of
//! `pkg/apis/core/v1/zz_generated.defaults.go` (v1.34): the defaults the API machinery fills in
//! whenever it decodes a v1 Pod (`SetObjectDefaults_Pod`), for the kubelet's static pod
//! manifests and the API server alike. Also mirrors `pkg/util/parsers.ParseImageName` and the
//! `distribution/reference` grammar it relies on, which decide the image pull policy.
//!
//! The order follows `SetObjectDefaults_Pod`: `SetDefaults_Pod`, `SetDefaults_PodSpec`, the
//! volumes, then init, regular and ephemeral containers (ports, env field refs, resource
//! lists, probes, lifecycle handlers), then the pod overhead.
//!
//! Deliberate simplifications:
//! - Pod-level resources (`spec.resources`, the PodLevelResources feature) only get their
//!   quantities canonicalised; the derived pod requests/limits are not defaulted.
//! - Image volume pull policies are left alone (the ImageVolume gate is off by default in
//!   v1.34), and so is `status` (container status resource lists).
//! - Quantities are rewritten in their canonical form, as a decode/encode round trip through
//!   the API machinery would print them; one that does not parse is left as written (upstream
//!   would have refused to decode it).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::apiserver::validation::quantity;

/// `v1.TerminationMessagePathDefault`.
pub const TERMINATION_MESSAGE_PATH_DEFAULT: &str = "/dev/termination-log";
/// `v1.DefaultTerminationGracePeriodSeconds`.
pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
/// `v1.DefaultSchedulerName`.
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";
/// The default file mode of secret, configMap, downwardAPI and projected volumes (0644).
pub const DEFAULT_VOLUME_FILE_MODE: i32 = 0o644;
/// The default lifetime of a projected service account token (one hour).
pub const DEFAULT_TOKEN_EXPIRATION_SECONDS: i64 = 3600;

/// Mutable views of the fields `Container` and `EphemeralContainer` share, so one defaulter
/// serves both (upstream converts an ephemeral container to a container the same way).
struct ContainerFields<'a> {
    image: &'a Option<String>,
    image_pull_policy: &'a mut Option<String>,
    termination_message_path: &'a mut Option<String>,
    termination_message_policy: &'a mut Option<String>,
    ports: &'a mut Option<Vec<corev1::ContainerPort>>,
    env: &'a mut Option<Vec<corev1::EnvVar>>,
    resources: &'a mut Option<corev1::ResourceRequirements>,
    probes: [&'a mut Option<corev1::Probe>; 3],
    lifecycle: &'a mut Option<corev1::Lifecycle>,
}

macro_rules! container_fields {
    ($c:expr) => {
        ContainerFields {
            image: &$c.image,
            image_pull_policy: &mut $c.image_pull_policy,
            termination_message_path: &mut $c.termination_message_path,
            termination_message_policy: &mut $c.termination_message_policy,
            ports: &mut $c.ports,
            env: &mut $c.env,
            resources: &mut $c.resources,
            probes: [
                &mut $c.liveness_probe,
                &mut $c.readiness_probe,
                &mut $c.startup_probe,
            ],
            lifecycle: &mut $c.lifecycle,
        }
    };
}

/// Applies the v1 API defaults the API machinery applies when it decodes a Pod
/// (SetObjectDefaults_Pod).
pub fn set_defaults_pod(pod: &mut corev1::Pod) {
    // Go's PodSpec is a value, so a manifest without `spec` still gets a defaulted spec.
    let spec = pod.spec.get_or_insert_with(Default::default);
    set_defaults_pod_only(spec);
    set_defaults_pod_spec(spec);
    for volume in spec.volumes.iter_mut().flatten() {
        set_defaults_volume(volume);
    }
    for c in spec.init_containers.iter_mut().flatten() {
        set_defaults_container(container_fields!(c));
    }
    for c in spec.containers.iter_mut() {
        set_defaults_container(container_fields!(c));
    }
    for c in spec.ephemeral_containers.iter_mut().flatten() {
        set_defaults_container(container_fields!(c));
    }
    if let Some(overhead) = spec.overhead.as_mut() {
        round_resource_list(overhead);
    }
    if let Some(resources) = spec.resources.as_mut() {
        round_resource_list_opt(&mut resources.limits);
        round_resource_list_opt(&mut resources.requests);
    }
}

/// The pull policy a container gets when it names none: `Always` for an untagged image or the
/// `latest` tag, `IfNotPresent` otherwise (also for images that do not parse).
pub fn default_image_pull_policy(image: &str) -> &'static str {
    match image_tag(image) {
        Some(tag) if tag == "latest" => "Always",
        _ => "IfNotPresent",
    }
}

/// `SetDefaults_Pod`: the defaults that only materialise on a Pod (not on pod templates).
fn set_defaults_pod_only(spec: &mut corev1::PodSpec) {
    // Requests default to limits, per container, for containers and init containers only.
    for c in spec.containers.iter_mut() {
        default_requests_to_limits(&mut c.resources);
    }
    for c in spec.init_containers.iter_mut().flatten() {
        default_requests_to_limits(&mut c.resources);
    }
    if spec.enable_service_links.is_none() {
        spec.enable_service_links = Some(true);
    }
    if spec.host_network == Some(true) {
        for c in spec.containers.iter_mut() {
            default_host_network_ports(&mut c.ports);
        }
        for c in spec.init_containers.iter_mut().flatten() {
            default_host_network_ports(&mut c.ports);
        }
    }
}

fn default_requests_to_limits(resources: &mut Option<corev1::ResourceRequirements>) {
    let Some(resources) = resources.as_mut() else {
        return;
    };
    let Some(limits) = resources.limits.as_ref() else {
        return;
    };
    if limits.is_empty() {
        // Upstream would create an empty requests map, which serialises to nothing.
        return;
    }
    let requests = resources.requests.get_or_insert_with(BTreeMap::new);
    for (name, value) in limits {
        requests
            .entry(name.clone())
            .or_insert_with(|| value.clone());
    }
}

/// With host networking every container port is also a host port.
fn default_host_network_ports(ports: &mut Option<Vec<corev1::ContainerPort>>) {
    for port in ports.iter_mut().flatten() {
        if port.host_port.unwrap_or(0) == 0 {
            port.host_port = Some(port.container_port);
        }
    }
}

/// `SetDefaults_PodSpec`.
fn set_defaults_pod_spec(spec: &mut corev1::PodSpec) {
    set_if_empty(&mut spec.dns_policy, "ClusterFirst");
    set_if_empty(&mut spec.restart_policy, "Always");
    if spec.security_context.is_none() {
        spec.security_context = Some(Default::default());
    }
    if spec.termination_grace_period_seconds.is_none() {
        spec.termination_grace_period_seconds = Some(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    }
    set_if_empty(&mut spec.scheduler_name, DEFAULT_SCHEDULER_NAME);
}

/// `SetDefaults_Volume` plus the per-source defaulters the generated code calls.
fn set_defaults_volume(v: &mut corev1::Volume) {
    if !has_volume_source(v) {
        v.empty_dir = Some(Default::default());
    }
    if let Some(empty_dir) = v.empty_dir.as_mut() {
        canonicalize_opt(&mut empty_dir.size_limit);
    }
    if let Some(host_path) = v.host_path.as_mut() {
        if host_path.type_.is_none() {
            host_path.type_ = Some(String::new());
        }
    }
    if let Some(secret) = v.secret.as_mut() {
        secret.default_mode.get_or_insert(DEFAULT_VOLUME_FILE_MODE);
    }
    if let Some(iscsi) = v.iscsi.as_mut() {
        set_if_empty(&mut iscsi.iscsi_interface, "default");
    }
    if let Some(rbd) = v.rbd.as_mut() {
        set_if_empty(&mut rbd.pool, "rbd");
        set_if_empty(&mut rbd.user, "admin");
        set_if_empty(&mut rbd.keyring, "/etc/ceph/keyring");
    }
    if let Some(downward) = v.downward_api.as_mut() {
        downward
            .default_mode
            .get_or_insert(DEFAULT_VOLUME_FILE_MODE);
        default_downward_api_items(&mut downward.items);
    }
    if let Some(config_map) = v.config_map.as_mut() {
        config_map
            .default_mode
            .get_or_insert(DEFAULT_VOLUME_FILE_MODE);
    }
    if let Some(azure) = v.azure_disk.as_mut() {
        azure
            .caching_mode
            .get_or_insert_with(|| "ReadWrite".to_string());
        azure.kind.get_or_insert_with(|| "Shared".to_string());
        azure.fs_type.get_or_insert_with(|| "ext4".to_string());
        azure.read_only.get_or_insert(false);
    }
    if let Some(projected) = v.projected.as_mut() {
        projected
            .default_mode
            .get_or_insert(DEFAULT_VOLUME_FILE_MODE);
        for source in projected.sources.iter_mut().flatten() {
            if let Some(downward) = source.downward_api.as_mut() {
                default_downward_api_items(&mut downward.items);
            }
            if let Some(token) = source.service_account_token.as_mut() {
                token
                    .expiration_seconds
                    .get_or_insert(DEFAULT_TOKEN_EXPIRATION_SECONDS);
            }
        }
    }
    if let Some(scale_io) = v.scale_io.as_mut() {
        set_if_empty(&mut scale_io.storage_mode, "ThinProvisioned");
        set_if_empty(&mut scale_io.fs_type, "xfs");
    }
    if let Some(template) = v
        .ephemeral
        .as_mut()
        .and_then(|e| e.volume_claim_template.as_mut())
    {
        template
            .spec
            .volume_mode
            .get_or_insert_with(|| "Filesystem".to_string());
        if let Some(resources) = template.spec.resources.as_mut() {
            round_resource_list_opt(&mut resources.limits);
            round_resource_list_opt(&mut resources.requests);
        }
    }
}

fn default_downward_api_items(items: &mut Option<Vec<corev1::DownwardAPIVolumeFile>>) {
    for item in items.iter_mut().flatten() {
        if let Some(field_ref) = item.field_ref.as_mut() {
            set_if_empty(&mut field_ref.api_version, "v1");
        }
        if let Some(resource_ref) = item.resource_field_ref.as_mut() {
            canonicalize_opt(&mut resource_ref.divisor);
        }
    }
}

/// Whether any volume source is set (Go's `ptr.AllPtrFieldsNil(&obj.VolumeSource)` negated).
fn has_volume_source(v: &corev1::Volume) -> bool {
    v.aws_elastic_block_store.is_some()
        || v.azure_disk.is_some()
        || v.azure_file.is_some()
        || v.cephfs.is_some()
        || v.cinder.is_some()
        || v.config_map.is_some()
        || v.csi.is_some()
        || v.downward_api.is_some()
        || v.empty_dir.is_some()
        || v.ephemeral.is_some()
        || v.fc.is_some()
        || v.flex_volume.is_some()
        || v.flocker.is_some()
        || v.gce_persistent_disk.is_some()
        || v.git_repo.is_some()
        || v.glusterfs.is_some()
        || v.host_path.is_some()
        || v.image.is_some()
        || v.iscsi.is_some()
        || v.nfs.is_some()
        || v.persistent_volume_claim.is_some()
        || v.photon_persistent_disk.is_some()
        || v.portworx_volume.is_some()
        || v.projected.is_some()
        || v.quobyte.is_some()
        || v.rbd.is_some()
        || v.scale_io.is_some()
        || v.secret.is_some()
        || v.storageos.is_some()
        || v.vsphere_volume.is_some()
}

/// `SetDefaults_Container` and the per-field defaulters the generated code runs after it.
fn set_defaults_container(c: ContainerFields<'_>) {
    if c.image_pull_policy.as_deref().unwrap_or("").is_empty() {
        let image = c.image.as_deref().unwrap_or("");
        *c.image_pull_policy = Some(default_image_pull_policy(image).to_string());
    }
    set_if_empty(c.termination_message_path, TERMINATION_MESSAGE_PATH_DEFAULT);
    set_if_empty(c.termination_message_policy, "File");
    for port in c.ports.iter_mut().flatten() {
        set_if_empty(&mut port.protocol, "TCP");
    }
    for env in c.env.iter_mut().flatten() {
        let Some(value_from) = env.value_from.as_mut() else {
            continue;
        };
        if let Some(field_ref) = value_from.field_ref.as_mut() {
            set_if_empty(&mut field_ref.api_version, "v1");
        }
        if let Some(resource_ref) = value_from.resource_field_ref.as_mut() {
            canonicalize_opt(&mut resource_ref.divisor);
        }
    }
    if let Some(resources) = c.resources.as_mut() {
        round_resource_list_opt(&mut resources.limits);
        round_resource_list_opt(&mut resources.requests);
    }
    for probe in c.probes {
        let Some(probe) = probe.as_mut() else {
            continue;
        };
        set_defaults_probe(probe);
    }
    if let Some(lifecycle) = c.lifecycle.as_mut() {
        for handler in [lifecycle.post_start.as_mut(), lifecycle.pre_stop.as_mut()]
            .into_iter()
            .flatten()
        {
            if let Some(http_get) = handler.http_get.as_mut() {
                set_defaults_http_get(http_get);
            }
        }
    }
}

/// `SetDefaults_Probe` plus the HTTPGet and gRPC defaults.
fn set_defaults_probe(probe: &mut corev1::Probe) {
    set_if_zero(&mut probe.timeout_seconds, 1);
    set_if_zero(&mut probe.period_seconds, 10);
    set_if_zero(&mut probe.success_threshold, 1);
    set_if_zero(&mut probe.failure_threshold, 3);
    if let Some(http_get) = probe.http_get.as_mut() {
        set_defaults_http_get(http_get);
    }
    if let Some(grpc) = probe.grpc.as_mut() {
        grpc.service.get_or_insert_with(String::new);
    }
}

/// `SetDefaults_HTTPGetAction`.
fn set_defaults_http_get(action: &mut corev1::HTTPGetAction) {
    set_if_empty(&mut action.path, "/");
    set_if_empty(&mut action.scheme, "HTTP");
}

/// `SetDefaults_ResourceList`: round every quantity up to milli precision, canonical form.
fn round_resource_list(list: &mut BTreeMap<String, Quantity>) {
    for value in list.values_mut() {
        if let Ok(mut parsed) = quantity::Quantity::parse(&value.0) {
            parsed.round_up_to_milli();
            value.0 = parsed.canonical();
        }
    }
}

fn round_resource_list_opt(list: &mut Option<BTreeMap<String, Quantity>>) {
    if let Some(list) = list.as_mut() {
        round_resource_list(list);
    }
}

/// A quantity outside a resource list is not rounded, only printed canonically.
fn canonicalize_opt(value: &mut Option<Quantity>) {
    if let Some(value) = value.as_mut() {
        if let Some(canonical) = quantity::canonicalize(&value.0) {
            value.0 = canonical;
        }
    }
}

/// Go compares strings with "" since an absent and an empty field are the same to it.
fn set_if_empty(field: &mut Option<String>, default: &str) {
    if field.as_deref().unwrap_or("").is_empty() {
        *field = Some(default.to_string());
    }
}

fn set_if_zero(field: &mut Option<i32>, default: i32) {
    if field.unwrap_or(0) == 0 {
        *field = Some(default);
    }
}

/// `parsers.ParseImageName`'s tag: `Some("latest")` for an image with neither tag nor digest,
/// `Some("")` for a digest-only reference, `None` when the reference does not parse.
fn image_tag(image: &str) -> Option<String> {
    let (tag, digest) = parse_normalized_named(image)?;
    if tag.is_empty() && digest.is_empty() {
        return Some("latest".to_string());
    }
    Some(tag)
}

/// `reference.ParseNormalizedNamed` reduced to what the pull policy needs: `(tag, digest)`.
fn parse_normalized_named(s: &str) -> Option<(String, String)> {
    if s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        // "cannot specify 64-byte hexadecimal strings"
        return None;
    }
    let (domain, remainder) = split_docker_domain(s);
    let remote_name = match remainder.find(':') {
        Some(idx) => &remainder[..idx],
        None => remainder.as_str(),
    };
    if remote_name.to_lowercase() != remote_name {
        return None;
    }
    parse_reference(&format!("{domain}/{remainder}"))
}

/// `splitDockerDomain`: `nginx` → (`docker.io`, `library/nginx`).
fn split_docker_domain(name: &str) -> (String, String) {
    let explicit = name.find('/').and_then(|idx| {
        let first = &name[..idx];
        let is_domain =
            first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first;
        is_domain.then(|| (first.to_string(), name[idx + 1..].to_string()))
    });
    let (mut domain, mut remainder) =
        explicit.unwrap_or_else(|| ("docker.io".to_string(), name.to_string()));
    if domain == "index.docker.io" {
        domain = "docker.io".to_string();
    }
    if domain == "docker.io" && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    (domain, remainder)
}

/// `reference.Parse`: `name[:tag][@digest]`; returns `(tag, digest)`.
fn parse_reference(s: &str) -> Option<(String, String)> {
    let (name_and_tag, digest) = match s.split_once('@') {
        Some((head, digest)) => (head, digest),
        None => (s, ""),
    };
    // Only the domain may hold a ':' before a '/', so a ':' after the last '/' starts the tag.
    let (name, tag) = match name_and_tag.rfind(':') {
        Some(idx) if !name_and_tag[idx + 1..].contains('/') => {
            (&name_and_tag[..idx], &name_and_tag[idx + 1..])
        }
        _ => (name_and_tag, ""),
    };
    if name.len() < name_and_tag.len() && !matches_tag(tag) {
        // A ':' must be followed by a valid tag; "nginx:" does not match the grammar.
        return None;
    }
    if !matches_name(name) || name.len() > 255 {
        return None;
    }
    if s.contains('@') && !valid_digest(digest) {
        return None;
    }
    Some((tag.to_string(), digest.to_string()))
}

/// `[\w][\w.-]{0,127}`
fn matches_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes[1..]
            .iter()
            .all(|b| word(*b) || matches!(b, b'.' | b'-'))
}

/// `optional(domainAndPort "/") remoteName`
fn matches_name(name: &str) -> bool {
    if let Some((first, rest)) = name.split_once('/') {
        if matches_domain_and_port(first) && matches_remote_name(rest) {
            return true;
        }
    }
    matches_remote_name(name)
}

fn matches_domain_and_port(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        // An IPv6 literal in brackets, then an optional port.
        let Some(end) = rest.find(']') else {
            return false;
        };
        let inner = &rest[..end];
        if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        ("", &rest[end + 1..])
    } else {
        match s.find(':') {
            Some(idx) => (&s[..idx], &s[idx..]),
            None => (s, ""),
        }
    };
    if !s.starts_with('[') {
        let component_ok = |c: &str| {
            let b = c.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
        };
        if !host.split('.').all(component_ok) {
            return false;
        }
    }
    match port.strip_prefix(':') {
        Some(digits) => !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
        None => port.is_empty(),
    }
}

/// `pathComponent(/pathComponent)*` with `pathComponent = [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
fn matches_remote_name(s: &str) -> bool {
    s.split('/').all(|component| {
        let b = component.as_bytes();
        let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
        let mut i = 0;
        loop {
            let start = i;
            while i < b.len() && alnum(b[i]) {
                i += 1;
            }
            if i == start {
                return false;
            }
            if i == b.len() {
                return true;
            }
            match b[i] {
                b'.' => i += 1,
                b'_' => {
                    i += 1;
                    if i < b.len() && b[i] == b'_' {
                        i += 1;
                    }
                }
                b'-' => {
                    while i < b.len() && b[i] == b'-' {
                        i += 1;
                    }
                }
                _ => return false,
            }
        }
    })
}

/// The digest grammar plus go-digest's check for the algorithms the kubelet links in.
fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod_from(spec: corev1::PodSpec) -> corev1::Pod {
        corev1::Pod {
            spec: Some(spec),
            ..Default::default()
        }
    }

    fn container(name: &str, image: &str) -> corev1::Container {
        corev1::Container {
            name: name.to_string(),
            image: Some(image.to_string()),
            ..Default::default()
        }
    }

    fn defaulted(spec: corev1::PodSpec) -> corev1::PodSpec {
        let mut pod = pod_from(spec);
        set_defaults_pod(&mut pod);
        pod.spec.unwrap()
    }

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(default_image_pull_policy("nginx"), "Always");
        assert_eq!(default_image_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_image_pull_policy("nginx:1.27"), "IfNotPresent");
        assert_eq!(default_image_pull_policy("bar:bartag"), "IfNotPresent");
        assert_eq!(
            default_image_pull_policy("registry.k8s.io/etcd:3.5.15-0"),
            "IfNotPresent"
        );
        assert_eq!(default_image_pull_policy("localhost:5000/app"), "Always");
        assert_eq!(
            default_image_pull_policy("localhost:5000/app:v1"),
            "IfNotPresent"
        );
        let digest = format!("nginx@sha256:{}", "a".repeat(64));
        assert_eq!(default_image_pull_policy(&digest), "IfNotPresent");
        let both = format!("nginx:latest@sha256:{}", "a".repeat(64));
        assert_eq!(default_image_pull_policy(&both), "Always");
        // Images that do not parse get IfNotPresent, as upstream ignores the parse error.
        assert_eq!(default_image_pull_policy(""), "IfNotPresent");
        assert_eq!(default_image_pull_policy("Nginx"), "IfNotPresent");
        assert_eq!(default_image_pull_policy("nginx:"), "IfNotPresent");
        assert_eq!(
            default_image_pull_policy("nginx@sha256:abc"),
            "IfNotPresent"
        );
    }

    #[test]
    fn container_defaults() {
        let mut given = container("web", "nginx:1.27");
        given.image_pull_policy = Some("Never".to_string());
        let spec = defaulted(corev1::PodSpec {
            containers: vec![container("a", "nginx"), container("b", "nginx:1.27"), given],
            ..Default::default()
        });
        let c = &spec.containers;
        assert_eq!(c[0].image_pull_policy.as_deref(), Some("Always"));
        assert_eq!(c[1].image_pull_policy.as_deref(), Some("IfNotPresent"));
        assert_eq!(c[2].image_pull_policy.as_deref(), Some("Never"));
        assert_eq!(
            c[0].termination_message_path.as_deref(),
            Some("/dev/termination-log")
        );
        assert_eq!(c[0].termination_message_policy.as_deref(), Some("File"));
    }

    #[test]
    fn pod_spec_defaults() {
        let mut pod = corev1::Pod::default();
        set_defaults_pod(&mut pod);
        let spec = pod.spec.unwrap();
        assert_eq!(spec.restart_policy.as_deref(), Some("Always"));
        assert_eq!(spec.dns_policy.as_deref(), Some("ClusterFirst"));
        assert_eq!(spec.termination_grace_period_seconds, Some(30));
        assert_eq!(spec.scheduler_name.as_deref(), Some("default-scheduler"));
        assert_eq!(spec.enable_service_links, Some(true));
        assert_eq!(
            spec.security_context,
            Some(corev1::PodSecurityContext::default())
        );
    }

    #[test]
    fn given_pod_spec_values_are_kept() {
        let spec = defaulted(corev1::PodSpec {
            restart_policy: Some("Never".to_string()),
            dns_policy: Some("Default".to_string()),
            termination_grace_period_seconds: Some(0),
            enable_service_links: Some(false),
            ..Default::default()
        });
        assert_eq!(spec.restart_policy.as_deref(), Some("Never"));
        assert_eq!(spec.dns_policy.as_deref(), Some("Default"));
        assert_eq!(spec.termination_grace_period_seconds, Some(0));
        assert_eq!(spec.enable_service_links, Some(false));
    }

    #[test]
    fn ports_and_host_network() {
        let mut c = container("web", "nginx");
        c.ports = Some(vec![corev1::ContainerPort {
            container_port: 8080,
            ..Default::default()
        }]);
        let spec = defaulted(corev1::PodSpec {
            containers: vec![c.clone()],
            ..Default::default()
        });
        let port = &spec.containers[0].ports.as_ref().unwrap()[0];
        assert_eq!(port.protocol.as_deref(), Some("TCP"));
        assert_eq!(port.host_port, None);
        let spec = defaulted(corev1::PodSpec {
            host_network: Some(true),
            containers: vec![c],
            ..Default::default()
        });
        let port = &spec.containers[0].ports.as_ref().unwrap()[0];
        assert_eq!(port.host_port, Some(8080));
    }

    #[test]
    fn probe_defaults() {
        let mut c = container("web", "nginx");
        c.liveness_probe = Some(corev1::Probe {
            http_get: Some(corev1::HTTPGetAction {
                port: k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(80),
                ..Default::default()
            }),
            ..Default::default()
        });
        c.readiness_probe = Some(corev1::Probe {
            grpc: Some(corev1::GRPCAction {
                port: 9090,
                ..Default::default()
            }),
            period_seconds: Some(5),
            ..Default::default()
        });
        let spec = defaulted(corev1::PodSpec {
            containers: vec![c],
            ..Default::default()
        });
        let live = spec.containers[0].liveness_probe.as_ref().unwrap();
        assert_eq!(live.timeout_seconds, Some(1));
        assert_eq!(live.period_seconds, Some(10));
        assert_eq!(live.success_threshold, Some(1));
        assert_eq!(live.failure_threshold, Some(3));
        assert_eq!(live.initial_delay_seconds, None);
        let http = live.http_get.as_ref().unwrap();
        assert_eq!(http.scheme.as_deref(), Some("HTTP"));
        assert_eq!(http.path.as_deref(), Some("/"));
        let ready = spec.containers[0].readiness_probe.as_ref().unwrap();
        assert_eq!(ready.period_seconds, Some(5));
        assert_eq!(ready.grpc.as_ref().unwrap().service.as_deref(), Some(""));
    }

    #[test]
    fn lifecycle_http_get_defaults() {
        let mut c = container("web", "nginx");
        c.lifecycle = Some(corev1::Lifecycle {
            pre_stop: Some(corev1::LifecycleHandler {
                http_get: Some(Default::default()),
                ..Default::default()
            }),
            ..Default::default()
        });
        let spec = defaulted(corev1::PodSpec {
            containers: vec![c],
            ..Default::default()
        });
        let handler = spec.containers[0]
            .lifecycle
            .as_ref()
            .unwrap()
            .pre_stop
            .as_ref()
            .unwrap();
        assert_eq!(
            handler.http_get.as_ref().unwrap().scheme.as_deref(),
            Some("HTTP")
        );
    }

    #[test]
    fn volume_defaults() {
        let spec = defaulted(corev1::PodSpec {
            volumes: Some(vec![
                corev1::Volume {
                    name: "scratch".to_string(),
                    ..Default::default()
                },
                corev1::Volume {
                    name: "host".to_string(),
                    host_path: Some(corev1::HostPathVolumeSource {
                        path: "/var/log".to_string(),
                        type_: None,
                    }),
                    ..Default::default()
                },
                corev1::Volume {
                    name: "secret".to_string(),
                    secret: Some(Default::default()),
                    ..Default::default()
                },
                corev1::Volume {
                    name: "cm".to_string(),
                    config_map: Some(Default::default()),
                    ..Default::default()
                },
                corev1::Volume {
                    name: "down".to_string(),
                    downward_api: Some(corev1::DownwardAPIVolumeSource {
                        items: Some(vec![corev1::DownwardAPIVolumeFile {
                            path: "name".to_string(),
                            field_ref: Some(corev1::ObjectFieldSelector {
                                api_version: None,
                                field_path: "metadata.name".to_string(),
                            }),
                            ..Default::default()
                        }]),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                corev1::Volume {
                    name: "proj".to_string(),
                    projected: Some(corev1::ProjectedVolumeSource {
                        sources: Some(vec![corev1::VolumeProjection {
                            service_account_token: Some(corev1::ServiceAccountTokenProjection {
                                path: "token".to_string(),
                                ..Default::default()
                            }),
                            ..Default::default()
                        }]),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        });
        let v = spec.volumes.unwrap();
        assert_eq!(v[0].empty_dir, Some(Default::default()));
        assert_eq!(v[1].host_path.as_ref().unwrap().type_.as_deref(), Some(""));
        assert_eq!(v[2].secret.as_ref().unwrap().default_mode, Some(420));
        assert_eq!(v[3].config_map.as_ref().unwrap().default_mode, Some(420));
        let down = v[4].downward_api.as_ref().unwrap();
        assert_eq!(down.default_mode, Some(420));
        let field_ref = down.items.as_ref().unwrap()[0].field_ref.as_ref().unwrap();
        assert_eq!(field_ref.api_version.as_deref(), Some("v1"));
        let proj = v[5].projected.as_ref().unwrap();
        assert_eq!(proj.default_mode, Some(420));
        let token = proj.sources.as_ref().unwrap()[0]
            .service_account_token
            .as_ref()
            .unwrap();
        assert_eq!(token.expiration_seconds, Some(3600));
    }

    #[test]
    fn network_volume_defaults() {
        let spec = defaulted(corev1::PodSpec {
            volumes: Some(vec![
                corev1::Volume {
                    name: "iscsi".to_string(),
                    iscsi: Some(Default::default()),
                    ..Default::default()
                },
                corev1::Volume {
                    name: "rbd".to_string(),
                    rbd: Some(Default::default()),
                    ..Default::default()
                },
                corev1::Volume {
                    name: "disk".to_string(),
                    azure_disk: Some(Default::default()),
                    ..Default::default()
                },
                corev1::Volume {
                    name: "sio".to_string(),
                    scale_io: Some(Default::default()),
                    ..Default::default()
                },
                corev1::Volume {
                    name: "eph".to_string(),
                    ephemeral: Some(corev1::EphemeralVolumeSource {
                        volume_claim_template: Some(Default::default()),
                    }),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        });
        let v = spec.volumes.unwrap();
        assert_eq!(
            v[0].iscsi.as_ref().unwrap().iscsi_interface.as_deref(),
            Some("default")
        );
        let rbd = v[1].rbd.as_ref().unwrap();
        assert_eq!(rbd.pool.as_deref(), Some("rbd"));
        assert_eq!(rbd.user.as_deref(), Some("admin"));
        assert_eq!(rbd.keyring.as_deref(), Some("/etc/ceph/keyring"));
        let disk = v[2].azure_disk.as_ref().unwrap();
        assert_eq!(disk.caching_mode.as_deref(), Some("ReadWrite"));
        assert_eq!(disk.kind.as_deref(), Some("Shared"));
        assert_eq!(disk.fs_type.as_deref(), Some("ext4"));
        assert_eq!(disk.read_only, Some(false));
        let sio = v[3].scale_io.as_ref().unwrap();
        assert_eq!(sio.storage_mode.as_deref(), Some("ThinProvisioned"));
        assert_eq!(sio.fs_type.as_deref(), Some("xfs"));
        let template = v[4]
            .ephemeral
            .as_ref()
            .unwrap()
            .volume_claim_template
            .as_ref()
            .unwrap();
        assert_eq!(template.spec.volume_mode.as_deref(), Some("Filesystem"));
    }

    #[test]
    fn env_field_ref_and_resources() {
        let mut c = container("web", "nginx");
        c.env = Some(vec![corev1::EnvVar {
            name: "POD".to_string(),
            value_from: Some(corev1::EnvVarSource {
                field_ref: Some(corev1::ObjectFieldSelector {
                    api_version: None,
                    field_path: "metadata.name".to_string(),
                }),
                ..Default::default()
            }),
            ..Default::default()
        }]);
        let mut limits = BTreeMap::new();
        limits.insert("cpu".to_string(), Quantity("0.5".to_string()));
        limits.insert("memory".to_string(), Quantity("1024Mi".to_string()));
        let mut requests = BTreeMap::new();
        requests.insert("cpu".to_string(), Quantity("100u".to_string()));
        c.resources = Some(corev1::ResourceRequirements {
            limits: Some(limits),
            requests: Some(requests),
            ..Default::default()
        });
        let spec = defaulted(corev1::PodSpec {
            containers: vec![c],
            ..Default::default()
        });
        let c = &spec.containers[0];
        let env = &c.env.as_ref().unwrap()[0];
        let field_ref = env.value_from.as_ref().unwrap().field_ref.as_ref().unwrap();
        assert_eq!(field_ref.api_version.as_deref(), Some("v1"));
        let resources = c.resources.as_ref().unwrap();
        let limits = resources.limits.as_ref().unwrap();
        assert_eq!(limits["cpu"].0, "500m");
        assert_eq!(limits["memory"].0, "1Gi");
        let requests = resources.requests.as_ref().unwrap();
        // The given request is kept (rounded up to 1m); the missing one comes from the limit.
        assert_eq!(requests["cpu"].0, "1m");
        assert_eq!(requests["memory"].0, "1Gi");
    }

    #[test]
    fn init_and_ephemeral_containers_are_defaulted() {
        let spec = defaulted(corev1::PodSpec {
            init_containers: Some(vec![container("init", "busybox:1.36")]),
            ephemeral_containers: Some(vec![corev1::EphemeralContainer {
                name: "debug".to_string(),
                image: Some("busybox".to_string()),
                ..Default::default()
            }]),
            ..Default::default()
        });
        let init = &spec.init_containers.unwrap()[0];
        assert_eq!(init.image_pull_policy.as_deref(), Some("IfNotPresent"));
        assert_eq!(init.termination_message_policy.as_deref(), Some("File"));
        let debug = &spec.ephemeral_containers.unwrap()[0];
        assert_eq!(debug.image_pull_policy.as_deref(), Some("Always"));
        assert_eq!(
            debug.termination_message_path.as_deref(),
            Some("/dev/termination-log")
        );
    }
}
