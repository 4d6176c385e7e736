//! `kubectl get` tables: the server-side column definitions and row cells of
//! `pkg/printers/internalversion/printers.go` (v1.34: `AddHandlers`, `printNode`,
//! `printEvent`, `printDeployment`, ...) and the client-side decoration and layout of
//! `staging/src/k8s.io/cli-runtime/pkg/printers/tableprinter.go` (`decorateTable`,
//! `printTable`): the NAMESPACE column for `-A`, `-L` label columns, `--show-labels`,
//! `kind/name` prefixes for multi-kind output, hiding priority-1 columns unless `-o wide`.
//!
//! Like the API server, every row carries all cells (the server always generates the wide
//! table); the client drops the priority-1 ones. Pod rows come from
//! `crate::apiserver::printers::print_pod`.
//!
//! Deliberate simplifications: a Deployment or ReplicaSet without `spec.replicas` counts as
//! 1, the value API defaulting would have stored.

use k8s_openapi::api::core::v1 as corev1;
use serde::Deserialize;
use serde_json::Value;

use super::objutil::{
    age_at, array_at, format_label_selector, format_labels, get, int_at, label_selector, name,
    namespace, node_roles, str_at, string_map,
};
use super::tabwriter::{TabConfig, TabWriter};
use crate::apiserver::printers::print_pod;
use crate::apiserver::store::Resource;
use crate::sim::SimTime;

/// How `kubectl get` lays out a table (`printers.PrintOptions`); the default is kubectl's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// `-o wide`: show the priority-1 columns.
    pub wide: bool,
    /// `--show-labels`: append a LABELS column.
    pub show_labels: bool,
    /// `-A`/`--all-namespaces`: prepend a NAMESPACE column (ignored for cluster-scoped kinds).
    pub with_namespace: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// Prefix names with the lower-case kind (`pod/web`, `deployment.apps/coredns`), as
    /// kubectl does when several kinds are printed (`get all`, `get pods,nodes`).
    pub kind_prefix: bool,
    /// `-L key1,key2`: one column per label key.
    pub label_columns: Vec<String>,
}

/// The kinds that have a table printer here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pod,
    Node,
    Namespace,
    Event,
    ConfigMap,
    Secret,
    Deployment,
    ReplicaSet,
    DaemonSet,
    Service,
    Endpoints,
    ServiceAccount,
    PersistentVolume,
    PersistentVolumeClaim,
    ComponentStatus,
    EndpointSlice,
    Lease,
    Role,
    RoleBinding,
    ClusterRole,
    ClusterRoleBinding,
}

impl Kind {
    fn of_resource(resource: Resource) -> Kind {
        match resource {
            Resource::Pods => Kind::Pod,
            Resource::Nodes => Kind::Node,
            Resource::Namespaces => Kind::Namespace,
            Resource::Events => Kind::Event,
            Resource::ConfigMaps => Kind::ConfigMap,
            Resource::Secrets => Kind::Secret,
            Resource::Deployments => Kind::Deployment,
            Resource::ReplicaSets => Kind::ReplicaSet,
            Resource::DaemonSets => Kind::DaemonSet,
            Resource::Services => Kind::Service,
            Resource::Endpoints => Kind::Endpoints,
            Resource::ServiceAccounts => Kind::ServiceAccount,
            Resource::PersistentVolumes => Kind::PersistentVolume,
            Resource::PersistentVolumeClaims => Kind::PersistentVolumeClaim,
            Resource::ComponentStatuses => Kind::ComponentStatus,
            Resource::EndpointSlices => Kind::EndpointSlice,
            Resource::Leases => Kind::Lease,
            Resource::Roles => Kind::Role,
            Resource::RoleBindings => Kind::RoleBinding,
            Resource::ClusterRoles => Kind::ClusterRole,
            Resource::ClusterRoleBindings => Kind::ClusterRoleBinding,
        }
    }

    fn of_kind(kind: &str) -> Option<Kind> {
        Resource::from_kind(kind).map(Kind::of_resource)
    }

    /// `GroupKind.String()`, lower-cased for the name prefix.
    fn group_kind(self) -> &'static str {
        match self {
            Kind::Pod => "pod",
            Kind::Node => "node",
            Kind::Namespace => "namespace",
            Kind::Event => "event",
            Kind::ConfigMap => "configmap",
            Kind::Secret => "secret",
            Kind::Deployment => "deployment.apps",
            Kind::ReplicaSet => "replicaset.apps",
            Kind::DaemonSet => "daemonset.apps",
            Kind::Service => "service",
            Kind::Endpoints => "endpoints",
            Kind::ServiceAccount => "serviceaccount",
            Kind::PersistentVolume => "persistentvolume",
            Kind::PersistentVolumeClaim => "persistentvolumeclaim",
            Kind::ComponentStatus => "componentstatus",
            Kind::EndpointSlice => "endpointslice.discovery.k8s.io",
            Kind::Lease => "lease.coordination.k8s.io",
            Kind::Role => "role.rbac.authorization.k8s.io",
            Kind::RoleBinding => "rolebinding.rbac.authorization.k8s.io",
            Kind::ClusterRole => "clusterrole.rbac.authorization.k8s.io",
            Kind::ClusterRoleBinding => "clusterrolebinding.rbac.authorization.k8s.io",
        }
    }

    fn namespaced(self) -> bool {
        !matches!(
            self,
            Kind::Node
                | Kind::Namespace
                | Kind::PersistentVolume
                | Kind::ComponentStatus
                | Kind::ClusterRole
                | Kind::ClusterRoleBinding
        )
    }
}

/// A `metav1.TableColumnDefinition`, reduced to what the client uses.
#[derive(Debug, Clone, Copy)]
struct Column {
    name: &'static str,
    priority: u8,
    // `Format: "name"`: the column that gets the kind prefix.
    is_name: bool,
}

const fn col(name: &'static str) -> Column {
    Column {
        name,
        priority: 0,
        is_name: false,
    }
}

const fn wide(name: &'static str) -> Column {
    Column {
        name,
        priority: 1,
        is_name: false,
    }
}

const NAME: Column = Column {
    name: "Name",
    priority: 0,
    is_name: true,
};

const POD_COLUMNS: &[Column] = &[
    NAME,
    col("Ready"),
    col("Status"),
    col("Restarts"),
    col("Age"),
    wide("IP"),
    wide("Node"),
    wide("Nominated Node"),
    wide("Readiness Gates"),
];

const NODE_COLUMNS: &[Column] = &[
    NAME,
    col("Status"),
    col("Roles"),
    col("Age"),
    col("Version"),
    wide("Internal-IP"),
    wide("External-IP"),
    wide("OS-Image"),
    wide("Kernel-Version"),
    wide("Container-Runtime"),
];

const NAMESPACE_COLUMNS: &[Column] = &[NAME, col("Status"), col("Age")];

const EVENT_COLUMNS: &[Column] = &[
    col("Last Seen"),
    col("Type"),
    col("Reason"),
    col("Object"),
    wide("Subobject"),
    wide("Source"),
    col("Message"),
    wide("First Seen"),
    wide("Count"),
    Column {
        name: "Name",
        priority: 1,
        is_name: true,
    },
];

const CONFIGMAP_COLUMNS: &[Column] = &[NAME, col("Data"), col("Age")];

const SECRET_COLUMNS: &[Column] = &[NAME, col("Type"), col("Data"), col("Age")];

const DEPLOYMENT_COLUMNS: &[Column] = &[
    NAME,
    col("Ready"),
    col("Up-to-date"),
    col("Available"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];

const REPLICASET_COLUMNS: &[Column] = &[
    NAME,
    col("Desired"),
    col("Current"),
    col("Ready"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];

const DAEMONSET_COLUMNS: &[Column] = &[
    NAME,
    col("Desired"),
    col("Current"),
    col("Ready"),
    col("Up-to-date"),
    col("Available"),
    col("Node Selector"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];

const SERVICE_COLUMNS: &[Column] = &[
    NAME,
    col("Type"),
    col("Cluster-IP"),
    col("External-IP"),
    col("Port(s)"),
    col("Age"),
    wide("Selector"),
];

const ENDPOINTS_COLUMNS: &[Column] = &[NAME, col("Endpoints"), col("Age")];

const SERVICE_ACCOUNT_COLUMNS: &[Column] = &[NAME, col("Secrets"), col("Age")];

const PERSISTENT_VOLUME_COLUMNS: &[Column] = &[
    NAME,
    col("Capacity"),
    col("Access Modes"),
    col("Reclaim Policy"),
    col("Status"),
    col("Claim"),
    col("StorageClass"),
    col("VolumeAttributesClass"),
    col("Reason"),
    col("Age"),
    wide("VolumeMode"),
];

const PERSISTENT_VOLUME_CLAIM_COLUMNS: &[Column] = &[
    NAME,
    col("Status"),
    col("Volume"),
    col("Capacity"),
    col("Access Modes"),
    col("StorageClass"),
    col("VolumeAttributesClass"),
    col("Age"),
    wide("VolumeMode"),
];

const COMPONENT_STATUS_COLUMNS: &[Column] = &[NAME, col("Status"), col("Message"), col("Error")];

const ENDPOINT_SLICE_COLUMNS: &[Column] = &[
    NAME,
    col("AddressType"),
    col("Ports"),
    col("Endpoints"),
    col("Age"),
];

const LEASE_COLUMNS: &[Column] = &[NAME, col("Holder"), col("Age")];

const ROLE_COLUMNS: &[Column] = &[NAME, col("Created At")];

const ROLE_BINDING_COLUMNS: &[Column] = &[
    NAME,
    col("Role"),
    col("Age"),
    wide("Users"),
    wide("Groups"),
    wide("ServiceAccounts"),
];

fn columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Pod => POD_COLUMNS,
        Kind::Node => NODE_COLUMNS,
        Kind::Namespace => NAMESPACE_COLUMNS,
        Kind::Event => EVENT_COLUMNS,
        Kind::ConfigMap => CONFIGMAP_COLUMNS,
        Kind::Secret => SECRET_COLUMNS,
        Kind::Deployment => DEPLOYMENT_COLUMNS,
        Kind::ReplicaSet => REPLICASET_COLUMNS,
        Kind::DaemonSet => DAEMONSET_COLUMNS,
        Kind::Service => SERVICE_COLUMNS,
        Kind::Endpoints => ENDPOINTS_COLUMNS,
        Kind::ServiceAccount => SERVICE_ACCOUNT_COLUMNS,
        Kind::PersistentVolume => PERSISTENT_VOLUME_COLUMNS,
        Kind::PersistentVolumeClaim => PERSISTENT_VOLUME_CLAIM_COLUMNS,
        Kind::ComponentStatus => COMPONENT_STATUS_COLUMNS,
        Kind::EndpointSlice => ENDPOINT_SLICE_COLUMNS,
        Kind::Lease => LEASE_COLUMNS,
        Kind::Role | Kind::ClusterRole => ROLE_COLUMNS,
        Kind::RoleBinding | Kind::ClusterRoleBinding => ROLE_BINDING_COLUMNS,
    }
}

/// The table `kubectl get <resource>` prints for `objects`, or `""` when there are none
/// (kubectl then prints `No resources found ...` on stderr, which is the caller's job).
pub fn table(resource: Resource, objects: &[Value], opts: &TableOptions, now: SimTime) -> String {
    render(Kind::of_resource(resource), objects, opts, now)
}

/// The table for objects of `kind` (`"Pod"`, `"Secret"`, ...), covering kinds that have no
/// `Resource` in the store yet; `None` for kinds without a printer.
pub fn table_for_kind(
    kind: &str,
    objects: &[Value],
    opts: &TableOptions,
    now: SimTime,
) -> Option<String> {
    Kind::of_kind(kind).map(|k| render(k, objects, opts, now))
}

/// Several tables as one `kubectl get a,b` prints them: each kind aligned on its own
/// (kubectl flushes and forgets the remembered widths between kinds) and separated by an empty
/// line unless `--no-headers` is set. Empty groups print nothing.
pub fn tables(groups: &[(Resource, &[Value])], opts: &TableOptions, now: SimTime) -> String {
    let mut out = String::new();
    for (resource, objects) in groups {
        let text = table(*resource, objects, opts, now);
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() && !opts.no_headers {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

fn render(kind: Kind, objects: &[Value], opts: &TableOptions, now: SimTime) -> String {
    if objects.is_empty() {
        // printTable prints no header for a table without rows.
        return String::new();
    }
    let defs = columns(kind);
    let with_namespace = opts.with_namespace && kind.namespaced();
    let name_column = if opts.kind_prefix {
        defs.iter().position(|c| c.is_name)
    } else {
        None
    };

    // decorateTable: the visible column headers.
    let mut headers: Vec<String> = Vec::new();
    if with_namespace {
        headers.push("NAMESPACE".to_string());
    }
    for c in defs {
        if opts.wide || c.priority == 0 {
            headers.push(c.name.to_uppercase());
        }
    }
    for label in &opts.label_columns {
        let last = label.rsplit('/').next().unwrap_or(label);
        headers.push(last.to_uppercase());
    }
    if opts.show_labels {
        headers.push("LABELS".to_string());
    }

    let mut text = String::new();
    if !opts.no_headers {
        text.push_str(&headers.join("\t"));
        text.push('\n');
    }
    for obj in objects {
        let mut cells = row(kind, obj, now);
        if let Some(idx) = name_column {
            if let Some(cell) = cells.get_mut(idx) {
                *cell = format!("{}/{cell}", kind.group_kind());
            }
        }
        let mut visible: Vec<String> = Vec::new();
        if with_namespace {
            visible.push(namespace(obj).to_string());
        }
        for (c, cell) in defs.iter().zip(cells) {
            if opts.wide || c.priority == 0 {
                visible.push(cell);
            }
        }
        let labels = string_map(obj, &["metadata", "labels"]);
        for key in &opts.label_columns {
            visible.push(labels.get(key).cloned().unwrap_or_default());
        }
        if opts.show_labels {
            visible.push(format_labels(&labels));
        }
        let printed: Vec<String> = visible.iter().map(|c| printable_cell(c)).collect();
        text.push_str(&printed.join("\t"));
        text.push('\n');
    }
    let mut writer = TabWriter::new(TabConfig::KUBECTL_TABLE);
    writer.write(&text);
    writer.finish()
}

/// printTable: a cell is cut at its first line break (with `...` appended) and terminal
/// escapes are made visible (`printers.WriteEscaped`).
fn printable_cell(cell: &str) -> String {
    let (shown, truncated) = match cell.find(['\u{c}', '\n', '\r']) {
        Some(idx) => (&cell[..idx], true),
        None => (cell, false),
    };
    let mut out = shown.replace('\u{1b}', "^[").replace('\r', "\\r");
    if truncated {
        out.push_str("...");
    }
    out
}

/// All cells of one row, in column-definition order.
fn row(kind: Kind, obj: &Value, now: SimTime) -> Vec<String> {
    match kind {
        Kind::Pod => pod_row(obj, now),
        Kind::Node => node_row(obj, now),
        Kind::Namespace => vec![
            name(obj).to_string(),
            str_at(obj, &["status", "phase"]).to_string(),
            age_at(obj, &["metadata", "creationTimestamp"], now),
        ],
        Kind::Event => event_row(obj, now),
        Kind::ConfigMap => {
            let count = map_len(obj, "data") + map_len(obj, "binaryData");
            vec![
                name(obj).to_string(),
                count.to_string(),
                age_at(obj, &["metadata", "creationTimestamp"], now),
            ]
        }
        Kind::Secret => {
            // The internal Secret the server prints has stringData merged into data.
            let mut keys = std::collections::BTreeSet::new();
            for field in ["data", "stringData"] {
                if let Some(map) = get(obj, &[field]).and_then(Value::as_object) {
                    keys.extend(map.keys().cloned());
                }
            }
            vec![
                name(obj).to_string(),
                str_at(obj, &["type"]).to_string(),
                keys.len().to_string(),
                age_at(obj, &["metadata", "creationTimestamp"], now),
            ]
        }
        Kind::Deployment => deployment_row(obj, now),
        Kind::ReplicaSet => {
            let (containers, images) = container_cells(obj);
            vec![
                name(obj).to_string(),
                replicas(obj).to_string(),
                int_at(obj, &["status", "replicas"]).to_string(),
                int_at(obj, &["status", "readyReplicas"]).to_string(),
                age_at(obj, &["metadata", "creationTimestamp"], now),
                containers,
                images,
                format_label_selector(get(obj, &["spec", "selector"])),
            ]
        }
        Kind::DaemonSet => {
            let (containers, images) = container_cells(obj);
            vec![
                name(obj).to_string(),
                int_at(obj, &["status", "desiredNumberScheduled"]).to_string(),
                int_at(obj, &["status", "currentNumberScheduled"]).to_string(),
                int_at(obj, &["status", "numberReady"]).to_string(),
                int_at(obj, &["status", "updatedNumberScheduled"]).to_string(),
                int_at(obj, &["status", "numberAvailable"]).to_string(),
                format_labels(&string_map(
                    obj,
                    &["spec", "template", "spec", "nodeSelector"],
                )),
                age_at(obj, &["metadata", "creationTimestamp"], now),
                containers,
                images,
                format_label_selector(get(obj, &["spec", "selector"])),
            ]
        }
        Kind::Service => service_row(obj, now),
        Kind::Endpoints => vec![
            name(obj).to_string(),
            format_endpoints(obj),
            age_at(obj, &["metadata", "creationTimestamp"], now),
        ],
        Kind::ServiceAccount => vec![
            name(obj).to_string(),
            array_at(obj, &["secrets"]).len().to_string(),
            age_at(obj, &["metadata", "creationTimestamp"], now),
        ],
        Kind::PersistentVolume => persistent_volume_row(obj, now),
        Kind::PersistentVolumeClaim => persistent_volume_claim_row(obj, now),
        Kind::ComponentStatus => component_status_row(obj),
        Kind::EndpointSlice => endpoint_slice_row(obj, now),
        Kind::Lease => vec![
            name(obj).to_string(),
            str_at(obj, &["spec", "holderIdentity"]).to_string(),
            age_at(obj, &["metadata", "creationTimestamp"], now),
        ],
        // printRole: the creation time in RFC 3339, UTC (as stored).
        Kind::Role | Kind::ClusterRole => vec![
            name(obj).to_string(),
            str_at(obj, &["metadata", "creationTimestamp"]).to_string(),
        ],
        Kind::RoleBinding | Kind::ClusterRoleBinding => role_binding_row(obj, now),
    }
}

/// `printService`: type, cluster IP, external IPs, ports and selector.
fn service_row(obj: &Value, now: SimTime) -> Vec<String> {
    let kind = str_at(obj, &["spec", "type"]);
    let cluster_ip = match str_at(obj, &["spec", "clusterIP"]) {
        "" => "<none>".to_string(),
        ip => ip.to_string(),
    };
    let external: Vec<&str> = array_at(obj, &["spec", "externalIPs"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // getServiceExternalIP: an ExternalName service shows its name, a LoadBalancer its
    // ingress points (or `<pending>`), the others their external IPs.
    let external_ip = match kind {
        "ExternalName" => str_at(obj, &["spec", "externalName"]).to_string(),
        "LoadBalancer" => {
            let mut ips: Vec<String> = array_at(obj, &["status", "loadBalancer", "ingress"])
                .iter()
                .map(|i| match str_at(i, &["ip"]) {
                    "" => str_at(i, &["hostname"]).to_string(),
                    ip => ip.to_string(),
                })
                .collect();
            ips.extend(external.iter().map(|s| s.to_string()));
            if ips.is_empty() {
                "<pending>".to_string()
            } else {
                ips.join(",")
            }
        }
        _ if external.is_empty() => "<none>".to_string(),
        _ => external.join(","),
    };
    let ports: Vec<String> = array_at(obj, &["spec", "ports"])
        .iter()
        .map(|p| {
            let protocol = str_at(p, &["protocol"]);
            match int_at(p, &["nodePort"]) {
                0 => format!("{}/{protocol}", int_at(p, &["port"])),
                node_port => format!("{}:{node_port}/{protocol}", int_at(p, &["port"])),
            }
        })
        .collect();
    let ports = if ports.is_empty() {
        "<none>".to_string()
    } else {
        ports.join(",")
    };
    vec![
        name(obj).to_string(),
        kind.to_string(),
        cluster_ip,
        external_ip,
        ports,
        age_at(obj, &["metadata", "creationTimestamp"], now),
        format_labels(&string_map(obj, &["spec", "selector"])),
    ]
}

/// `formatEndpoints`: up to three `address:port` pairs (port by port, then address by
/// address), `+ N more...` beyond, `<none>` without subsets.
pub fn format_endpoints(obj: &Value) -> String {
    let subsets = array_at(obj, &["subsets"]);
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0;
    for subset in subsets {
        let addresses = array_at(subset, &["addresses"]);
        let ports = array_at(subset, &["ports"]);
        if ports.is_empty() {
            count += addresses.len();
            for address in addresses.iter().take(MAX.saturating_sub(list.len())) {
                list.push(str_at(address, &["ip"]).to_string());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for address in addresses.iter().take(MAX.saturating_sub(list.len())) {
                list.push(join_host_port(
                    str_at(address, &["ip"]),
                    int_at(port, &["port"]),
                ));
            }
        }
    }
    let text = list.join(",");
    if count > MAX {
        return format!("{text} + {} more...", count - MAX);
    }
    text
}

/// `net.JoinHostPort`: IPv6 addresses in brackets.
fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `listWithMoreString`: up to three items, `+ N more...` beyond, `<unset>` for none.
fn list_with_more(items: Vec<String>) -> String {
    const MAX: usize = 3;
    let count = items.len();
    let text = items.into_iter().take(MAX).collect::<Vec<_>>().join(",");
    if count > MAX {
        return format!("{text} + {} more...", count - MAX);
    }
    if text.is_empty() {
        return "<unset>".to_string();
    }
    text
}

/// `printEndpointSlice`: address type, ports (`formatDiscoveryPorts`) and addresses
/// (`formatDiscoveryEndpoints`).
fn endpoint_slice_row(obj: &Value, now: SimTime) -> Vec<String> {
    let ports: Vec<String> = array_at(obj, &["ports"])
        .iter()
        .map(|p| match get(p, &["port"]).and_then(Value::as_i64) {
            Some(port) => port.to_string(),
            None => match str_at(p, &["name"]) {
                "" => "*".to_string(),
                name => name.to_string(),
            },
        })
        .collect();
    let addresses: Vec<String> = array_at(obj, &["endpoints"])
        .iter()
        .flat_map(|e| array_at(e, &["addresses"]))
        .filter_map(Value::as_str)
        .map(String::from)
        .collect();
    vec![
        name(obj).to_string(),
        str_at(obj, &["addressType"]).to_string(),
        list_with_more(ports),
        list_with_more(addresses),
        age_at(obj, &["metadata", "creationTimestamp"], now),
    ]
}

/// `GetAccessModesAsString`: the short forms in a fixed order, comma-joined.
pub fn access_modes(modes: &[Value]) -> String {
    let has = |mode: &str| modes.iter().any(|m| m.as_str() == Some(mode));
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(mode, _)| has(mode))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

fn or_unset(value: &str) -> String {
    if value.is_empty() {
        "<unset>".to_string()
    } else {
        value.to_string()
    }
}

/// The phase printed for a volume or claim: `Terminating` once deletion started.
fn volume_phase(obj: &Value) -> String {
    if get(obj, &["metadata", "deletionTimestamp"]).is_some() {
        return "Terminating".to_string();
    }
    str_at(obj, &["status", "phase"]).to_string()
}

/// `printPersistentVolume`.
fn persistent_volume_row(obj: &Value, now: SimTime) -> Vec<String> {
    let claim = match get(obj, &["spec", "claimRef"]) {
        Some(claim) => format!(
            "{}/{}",
            str_at(claim, &["namespace"]),
            str_at(claim, &["name"])
        ),
        None => String::new(),
    };
    vec![
        name(obj).to_string(),
        str_at(obj, &["spec", "capacity", "storage"]).to_string(),
        access_modes(array_at(obj, &["spec", "accessModes"])),
        str_at(obj, &["spec", "persistentVolumeReclaimPolicy"]).to_string(),
        volume_phase(obj),
        claim,
        str_at(obj, &["spec", "storageClassName"]).to_string(),
        or_unset(str_at(obj, &["spec", "volumeAttributesClassName"])),
        str_at(obj, &["status", "reason"]).to_string(),
        age_at(obj, &["metadata", "creationTimestamp"], now),
        or_unset(str_at(obj, &["spec", "volumeMode"])),
    ]
}

/// `printPersistentVolumeClaim`: capacity and access modes only once bound to a volume.
fn persistent_volume_claim_row(obj: &Value, now: SimTime) -> Vec<String> {
    let volume = str_at(obj, &["spec", "volumeName"]);
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            str_at(obj, &["status", "capacity", "storage"]).to_string(),
            access_modes(array_at(obj, &["status", "accessModes"])),
        )
    };
    let attributes_class = match str_at(obj, &["status", "currentVolumeAttributesClassName"]) {
        "" => str_at(obj, &["spec", "volumeAttributesClassName"]),
        current => current,
    };
    vec![
        name(obj).to_string(),
        volume_phase(obj),
        volume.to_string(),
        capacity,
        modes,
        str_at(obj, &["spec", "storageClassName"]).to_string(),
        or_unset(attributes_class),
        age_at(obj, &["metadata", "creationTimestamp"], now),
        or_unset(str_at(obj, &["spec", "volumeMode"])),
    ]
}

/// `printComponentStatus`: the `Healthy` condition's status, message and error.
fn component_status_row(obj: &Value) -> Vec<String> {
    let healthy = array_at(obj, &["conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == "Healthy");
    let (status, message, error) = match healthy {
        Some(c) => (
            if str_at(c, &["status"]) == "True" {
                "Healthy"
            } else {
                "Unhealthy"
            },
            str_at(c, &["message"]),
            str_at(c, &["error"]),
        ),
        None => ("Unknown", "", ""),
    };
    vec![
        name(obj).to_string(),
        status.to_string(),
        message.to_string(),
        error.to_string(),
    ]
}

/// `printRoleBinding` / `printClusterRoleBinding`: `Kind/name` of the role, and with `-o
/// wide` the subjects by kind (`rbac.SubjectsStrings`).
fn role_binding_row(obj: &Value, now: SimTime) -> Vec<String> {
    let mut users = Vec::new();
    let mut groups = Vec::new();
    let mut service_accounts = Vec::new();
    for subject in array_at(obj, &["subjects"]) {
        let subject_name = str_at(subject, &["name"]).to_string();
        match str_at(subject, &["kind"]) {
            "User" => users.push(subject_name),
            "Group" => groups.push(subject_name),
            "ServiceAccount" => service_accounts.push(format!(
                "{}/{subject_name}",
                str_at(subject, &["namespace"])
            )),
            _ => (),
        }
    }
    vec![
        name(obj).to_string(),
        format!(
            "{}/{}",
            str_at(obj, &["roleRef", "kind"]),
            str_at(obj, &["roleRef", "name"])
        ),
        age_at(obj, &["metadata", "creationTimestamp"], now),
        users.join(", "),
        groups.join(", "),
        service_accounts.join(", "),
    ]
}

fn map_len(obj: &Value, field: &str) -> usize {
    get(obj, &[field])
        .and_then(Value::as_object)
        .map_or(0, |m| m.len())
}

fn replicas(obj: &Value) -> i64 {
    get(obj, &["spec", "replicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

fn pod_row(obj: &Value, now: SimTime) -> Vec<String> {
    // A pod that does not decode still gets a row under its name, as an empty pod would.
    let mut pod = corev1::Pod::deserialize(obj).unwrap_or_default();
    if pod.metadata.name.is_none() {
        pod.metadata.name = Some(name(obj).to_string());
    }
    let r = print_pod(&pod, now);
    vec![
        r.name,
        r.ready,
        r.status,
        r.restarts,
        r.age,
        r.ip,
        r.node,
        r.nominated_node,
        r.readiness_gates,
    ]
}

fn node_row(obj: &Value, now: SimTime) -> Vec<String> {
    // The last condition of each type wins, as in upstream's conditionMap.
    let ready = array_at(obj, &["status", "conditions"])
        .iter()
        .rfind(|c| str_at(c, &["type"]) == "Ready");
    let mut status = vec![match ready {
        Some(c) if str_at(c, &["status"]) == "True" => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    }];
    if get(obj, &["spec", "unschedulable"]).and_then(Value::as_bool) == Some(true) {
        status.push("SchedulingDisabled".to_string());
    }
    let roles = node_roles(obj).join(",");
    let info = |field: &str| {
        let v = str_at(obj, &["status", "nodeInfo", field]);
        if v.is_empty() {
            "<unknown>".to_string()
        } else {
            v.to_string()
        }
    };
    let address = |kind: &str| {
        array_at(obj, &["status", "addresses"])
            .iter()
            .find(|a| str_at(a, &["type"]) == kind)
            .map(|a| str_at(a, &["address"]).to_string())
            .unwrap_or_else(|| "<none>".to_string())
    };
    vec![
        name(obj).to_string(),
        status.join(","),
        if roles.is_empty() {
            "<none>".to_string()
        } else {
            roles
        },
        age_at(obj, &["metadata", "creationTimestamp"], now),
        str_at(obj, &["status", "nodeInfo", "kubeletVersion"]).to_string(),
        address("InternalIP"),
        address("ExternalIP"),
        info("osImage"),
        info("kernelVersion"),
        info("containerRuntimeVersion"),
    ]
}

/// `formatEventSource`: component (or reporting controller), then host (or reporting
/// instance) after a comma.
pub fn format_event_source(event: &Value) -> String {
    let first_non_empty = |a: &str, b: &str| -> String {
        if a.is_empty() {
            b.to_string()
        } else {
            a.to_string()
        }
    };
    let component = first_non_empty(
        str_at(event, &["source", "component"]),
        str_at(event, &["reportingComponent"]),
    );
    let instance = first_non_empty(
        str_at(event, &["source", "host"]),
        str_at(event, &["reportingInstance"]),
    );
    if instance.is_empty() {
        component
    } else {
        format!("{component}, {instance}")
    }
}

fn event_row(obj: &Value, now: SimTime) -> Vec<String> {
    let first = if str_at(obj, &["firstTimestamp"]).is_empty() {
        age_at(obj, &["eventTime"], now)
    } else {
        age_at(obj, &["firstTimestamp"], now)
    };
    let mut last = if str_at(obj, &["lastTimestamp"]).is_empty() {
        first.clone()
    } else {
        age_at(obj, &["lastTimestamp"], now)
    };
    let mut count = int_at(obj, &["count"]);
    match get(obj, &["series"]).filter(|s| s.is_object()) {
        Some(series) => {
            last = age_at(series, &["lastObservedTime"], now);
            count = int_at(series, &["count"]);
        }
        // Singleton events don't have a count set in the new API.
        None if count == 0 => count = 1,
        None => (),
    }
    let kind = str_at(obj, &["involvedObject", "kind"]).to_lowercase();
    let involved = str_at(obj, &["involvedObject", "name"]);
    let target = if involved.is_empty() {
        kind
    } else {
        format!("{kind}/{involved}")
    };
    vec![
        last,
        str_at(obj, &["type"]).to_string(),
        str_at(obj, &["reason"]).to_string(),
        target,
        str_at(obj, &["involvedObject", "fieldPath"]).to_string(),
        format_event_source(obj),
        str_at(obj, &["message"]).trim().to_string(),
        first,
        count.to_string(),
        name(obj).to_string(),
    ]
}

fn deployment_row(obj: &Value, now: SimTime) -> Vec<String> {
    let (containers, images) = container_cells(obj);
    let selector = match label_selector(get(obj, &["spec", "selector"])) {
        Some(s) => s.to_text(),
        None => "<invalid>".to_string(),
    };
    vec![
        name(obj).to_string(),
        format!(
            "{}/{}",
            int_at(obj, &["status", "readyReplicas"]),
            replicas(obj)
        ),
        int_at(obj, &["status", "updatedReplicas"]).to_string(),
        int_at(obj, &["status", "availableReplicas"]).to_string(),
        age_at(obj, &["metadata", "creationTimestamp"], now),
        containers,
        images,
        selector,
    ]
}

/// `layoutContainerCells`: container names and images of the pod template, comma-joined.
fn container_cells(obj: &Value) -> (String, String) {
    let containers = array_at(obj, &["spec", "template", "spec", "containers"]);
    let names: Vec<&str> = containers.iter().map(|c| str_at(c, &["name"])).collect();
    let images: Vec<&str> = containers.iter().map(|c| str_at(c, &["image"])).collect();
    (names.join(","), images.join(","))
}

#[cfg(test)]
mod tests;
