//! `kubectl apply -f` and `kubectl create -f` (plus `create namespace|deployment|configmap`):
//! reading manifests, the namespace rules of the resource builder, client-side apply with the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation
//! (`staging/src/k8s.io/kubectl/pkg/cmd/apply/{apply,patcher}.go` v1.34), and the API
//! server's answers worded as kubectl prints them.
//!
//! Simplified: apply's three-way merge treats maps field by field and lists of named items
//! (containers, ports, env, volumes) item by item, and replaces any other list whole, close to
//! what the strategic merge patch does for the fields lessons touch. A pod update may change
//! only container images (the API server's other mutable pod fields are refused too).
//! `--dry-run=server` and server-side apply are not available.

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::coordination::v1 as coordinationv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::api::rbac::v1 as rbacv1;
use serde_json::{json, Map, Value};

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, server_error, Client};
use super::manifest::{read_all, strict_decode, Manifest};
use super::output::{parse_output_format, print_objects, OutputFormat, OutputOptions};
use super::resources::kind_name;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::ApiError;
use crate::shell::io::Output;

/// The annotation client-side apply keeps the last applied configuration in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

const FILE_FLAGS: [super::cli::Flag; 4] = [
    flag("filename", Some('f'), Kind::Strings, "The files that contain the configurations to apply."),
    flag("recursive", Some('R'), Kind::Bool, "Process the directory used in -f, --filename recursively."),
    flag("dry-run", None, Kind::Str, "Must be \"none\" or \"client\". If client strategy, only print the object that would be sent, without sending it."),
    flag("output", Some('o'), Kind::Str, "Output format. One of: (json, yaml, name)."),
];

/// `kubectl apply`.
pub const APPLY: CommandSpec = CommandSpec {
    name: "apply",
    usage: "kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
    summary: "Apply a configuration to a resource by file name or stdin.",
    flags: &[
        FILE_FLAGS[0],
        FILE_FLAGS[1],
        FILE_FLAGS[2],
        FILE_FLAGS[3],
        flag(
            "validate",
            None,
            Kind::Str,
            "Must be one of: strict (or true), warn, ignore (or false).",
        ),
    ],
    unsupported: &[
        "all",
        "cascade",
        "field-manager",
        "force",
        "force-conflicts",
        "grace-period",
        "kustomize",
        "k",
        "overwrite",
        "prune",
        "prune-allowlist",
        "selector",
        "l",
        "server-side",
        "show-managed-fields",
        "template",
        "timeout",
        "wait",
    ],
};

/// `kubectl create`.
pub const CREATE: CommandSpec = CommandSpec {
    name: "create",
    usage: "kubectl create -f FILENAME | kubectl create namespace|deployment|configmap NAME [options]",
    summary: "Create a resource from a file or from stdin.",
    flags: &[FILE_FLAGS[0], FILE_FLAGS[1], FILE_FLAGS[2], FILE_FLAGS[3],
        flag("validate", None, Kind::Str, "Must be one of: strict (or true), warn, ignore (or false)."),
        flag("save-config", None, Kind::Bool, "If true, the configuration of current object will be saved in its annotation."),
        flag("image", None, Kind::Strings, "(create deployment) Image names to run."),
        flag("replicas", Some('r'), Kind::Int, "(create deployment) Number of replicas to create. Default is 1."),
        flag("from-literal", None, Kind::Strings, "(create configmap) Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)"),
    ],
    unsupported: &["edit", "kustomize", "k", "raw", "selector", "l", "show-managed-fields", "template", "windows-line-endings", "field-manager", "port", "from-file", "from-env-file"],
};

/// What the user asked to see of each written object.
pub struct Printing {
    /// `-o json|yaml|name`; `None` prints `kind/name verb`.
    pub format: Option<OutputFormat>,
    /// `--dry-run=client`.
    pub dry_run: bool,
}

impl Printing {
    /// `--dry-run` and `-o`.
    pub fn from(parsed: &Parsed) -> Result<Printing, Output> {
        let dry_run =
            match parsed.get("dry-run").unwrap_or("none") {
                "none" | "false" => false,
                "client" | "true" => true,
                "server" => return Err(plain_error(
                    "--dry-run=server is not available in this playground; use --dry-run=client",
                )),
                other => {
                    return Err(plain_error(&format!(
                    "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
                )))
                }
            };
        let format = match parsed.get("output") {
            None => None,
            Some(flag) => match parse_output_format(flag) {
                Ok(OutputFormat::Table { .. }) | Err(_) => {
                    return Err(plain_error(&format!(
                        "unable to match a printer suitable for the output format \"{flag}\", allowed formats are: json,name,yaml"
                    )))
                }
                Ok(format) => Some(format),
            },
        };
        Ok(Printing { format, dry_run })
    }

    /// `pod/web created`, `pod/web created (dry run)`, or the object in the chosen format.
    pub fn line(
        &self,
        client: &Client<'_, '_>,
        resource: Resource,
        object: &Value,
        verb: &str,
    ) -> String {
        match &self.format {
            Some(format) => {
                let opts = OutputOptions::default();
                print_objects(
                    resource,
                    std::slice::from_ref(object),
                    true,
                    format,
                    &opts,
                    client.now(),
                )
                .unwrap_or_default()
            }
            None => {
                let name = object
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let suffix = if self.dry_run { " (dry run)" } else { "" };
                format!("{} {verb}{suffix}\n", kind_name(resource, name))
            }
        }
    }
}

/// Runs `kubectl apply`.
pub fn apply(client: &mut Client<'_, '_>, parsed: &Parsed, stdin: &str) -> Output {
    write(client, parsed, stdin, "apply")
}

/// Runs `kubectl create`.
pub fn create(client: &mut Client<'_, '_>, parsed: &Parsed, stdin: &str) -> Output {
    if !parsed.args.is_empty() {
        return super::generate::create_generated(client, parsed);
    }
    write(client, parsed, stdin, "create")
}

/// The manifests `-f` names (files, folders with `-R`, `-` for stdin), from the node's disk.
pub(super) fn read_manifests(
    client: &Client<'_, '_>,
    parsed: &Parsed,
    stdin: &str,
) -> Result<Vec<Manifest>, String> {
    let host = client.world.host;
    let fs = &client.world.cluster.host(host).node.fs;
    read_all(
        fs,
        client.world.cwd,
        stdin,
        &parsed.all("filename"),
        parsed.bool("recursive"),
    )
}

fn write(client: &mut Client<'_, '_>, parsed: &Parsed, stdin: &str, command: &str) -> Output {
    let sources = parsed.all("filename");
    if sources.is_empty() {
        return Output::err(
            format!(
                "error: must specify one of -f and -k\n\nSee 'kubectl {command} -h' for help and examples\n"
            ),
            1,
        );
    }
    let printing = match Printing::from(parsed) {
        Ok(p) => p,
        Err(out) => return out,
    };
    let manifests = match read_manifests(client, parsed, stdin) {
        Ok(m) => m,
        Err(msg) => return plain_error(&msg),
    };
    if !printing.dry_run {
        if let Err(out) = client.discover() {
            return out;
        }
    }
    let mut out = Output::default();
    // Errors are collected and printed after the objects that were written.
    let mut errors = String::new();
    for manifest in manifests {
        let object = match scoped(client, &manifest) {
            Ok(object) => object,
            Err(msg) => {
                errors.push_str(&format!("error: {msg}\n"));
                out.code = 1;
                continue;
            }
        };
        let result = if command == "apply" {
            apply_one(client, &manifest, object, &printing)
        } else {
            let object = if parsed.bool("save-config") {
                with_last_applied(object)
            } else {
                object
            };
            submit_create(client, &manifest, object, printing.dry_run).map(|stored| {
                (
                    String::new(),
                    printing.line(client, manifest.resource, &stored, "created"),
                )
            })
        };
        match result {
            Ok((warning, text)) => {
                out.stderr_after_stdout(&warning);
                out.stdout.push_str(&text);
            }
            Err(text) => {
                errors.push_str(&text);
                out.code = 1;
            }
        }
    }
    out.stderr_after_stdout(&errors);
    out
}

/// The object with its namespace settled: the manifest's own, else the request's; a manifest
/// namespace that contradicts an explicit `-n` is refused.
fn scoped(client: &Client<'_, '_>, manifest: &Manifest) -> Result<Value, String> {
    let mut object = manifest.object.clone();
    if !manifest.resource.namespaced() {
        return Ok(object);
    }
    if let Some(ns) = manifest.namespace() {
        if client.explicit_namespace && ns != client.namespace {
            return Err(format!(
                "the namespace from the provided object \"{ns}\" does not match the namespace \"{}\". You must pass '--namespace={ns}' to perform this operation.",
                client.namespace
            ));
        }
        return Ok(object);
    }
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("namespace".into(), Value::from(client.namespace.clone()));
    } else if let Some(map) = object.as_object_mut() {
        map.insert("metadata".into(), json!({"namespace": client.namespace}));
    }
    Ok(object)
}

/// POST, worded as kubectl words a failed create of `manifest`. Returns the stored object.
pub fn submit_create(
    client: &mut Client<'_, '_>,
    manifest: &Manifest,
    object: Value,
    dry_run: bool,
) -> Result<Value, String> {
    let fail = |client: &Client<'_, '_>, err: ApiError| match err {
        // Objects made from flags (`kubectl run`, `create namespace`) have no file to name.
        _ if manifest.source.is_empty() => server_error(&client.conn, &err),
        ApiError::AlreadyExists { .. }
        | ApiError::BadRequest { .. }
        | ApiError::Forbidden { .. }
        | ApiError::MethodNotAllowed
        | ApiError::NotFound { .. } => format!(
            "Error from server ({}): error when creating \"{}\": {err}\n",
            err.reason(),
            manifest.source
        ),
        other => server_error(&client.conn, &other),
    };
    let resource = manifest.resource;
    if let Err(message) = decode_check(resource, &object) {
        return Err(fail(client, ApiError::BadRequest { message }));
    }
    if dry_run {
        return Ok(object);
    }
    let stored = client.world.cluster.requests().create(resource, &object);
    client.world.cluster.settle();
    stored.map_err(|err| fail(client, err))
}

/// Strict decoding into the resource's typed form.
fn decode_check(resource: Resource, object: &Value) -> Result<(), String> {
    match resource {
        Resource::Pods => strict_decode::<corev1::Pod>(resource, object).map(|_| ()),
        Resource::Nodes => strict_decode::<corev1::Node>(resource, object).map(|_| ()),
        Resource::Namespaces => strict_decode::<corev1::Namespace>(resource, object).map(|_| ()),
        Resource::Events => strict_decode::<corev1::Event>(resource, object).map(|_| ()),
        Resource::ConfigMaps => strict_decode::<corev1::ConfigMap>(resource, object).map(|_| ()),
        Resource::Secrets => strict_decode::<corev1::Secret>(resource, object).map(|_| ()),
        Resource::Deployments => strict_decode::<appsv1::Deployment>(resource, object).map(|_| ()),
        Resource::DaemonSets => strict_decode::<appsv1::DaemonSet>(resource, object).map(|_| ()),
        Resource::ReplicaSets => strict_decode::<appsv1::ReplicaSet>(resource, object).map(|_| ()),
        Resource::Services => strict_decode::<corev1::Service>(resource, object).map(|_| ()),
        Resource::Endpoints => strict_decode::<corev1::Endpoints>(resource, object).map(|_| ()),
        Resource::ServiceAccounts => {
            strict_decode::<corev1::ServiceAccount>(resource, object).map(|_| ())
        }
        Resource::PersistentVolumes => {
            strict_decode::<corev1::PersistentVolume>(resource, object).map(|_| ())
        }
        Resource::PersistentVolumeClaims => {
            strict_decode::<corev1::PersistentVolumeClaim>(resource, object).map(|_| ())
        }
        Resource::ComponentStatuses => {
            strict_decode::<corev1::ComponentStatus>(resource, object).map(|_| ())
        }
        Resource::EndpointSlices => {
            strict_decode::<discoveryv1::EndpointSlice>(resource, object).map(|_| ())
        }
        Resource::Leases => strict_decode::<coordinationv1::Lease>(resource, object).map(|_| ()),
        Resource::Roles => strict_decode::<rbacv1::Role>(resource, object).map(|_| ()),
        Resource::RoleBindings => {
            strict_decode::<rbacv1::RoleBinding>(resource, object).map(|_| ())
        }
        Resource::ClusterRoles => {
            strict_decode::<rbacv1::ClusterRole>(resource, object).map(|_| ())
        }
        Resource::ClusterRoleBindings => {
            strict_decode::<rbacv1::ClusterRoleBinding>(resource, object).map(|_| ())
        }
    }
}

/// The object with the last-applied annotation holding its own configuration.
fn with_last_applied(mut object: Value) -> Value {
    if let Some(ann) = object
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        ann.remove(LAST_APPLIED);
    }
    let config = format!("{}\n", serde_json::to_string(&object).unwrap_or_default());
    let meta = object
        .as_object_mut()
        .map(|m| m.entry("metadata").or_insert_with(|| json!({})));
    if let Some(meta) = meta.and_then(Value::as_object_mut) {
        let ann = meta.entry("annotations").or_insert_with(|| json!({}));
        if let Some(ann) = ann.as_object_mut() {
            ann.insert(LAST_APPLIED.into(), Value::from(config));
        }
    }
    object
}

/// Client-side apply of one object: create it, or merge the configuration into the live
/// object and update it. Returns the warning for stderr and the line for stdout.
fn apply_one(
    client: &mut Client<'_, '_>,
    manifest: &Manifest,
    object: Value,
    printing: &Printing,
) -> Result<(String, String), String> {
    let resource = manifest.resource;
    let namespace = object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let key = ObjectKey::new(
        resource,
        if resource.namespaced() {
            &namespace
        } else {
            ""
        },
        manifest.name(),
    );
    let config = with_last_applied(object);
    let live = client.api().store().get_value(&key).cloned();
    let Some(live) = live else {
        let stored = submit_create(client, manifest, config, printing.dry_run)?;
        return Ok((
            String::new(),
            printing.line(client, resource, &stored, "created"),
        ));
    };
    let mut warning = String::new();
    let previous: Value = live
        .pointer(&format!("/metadata/annotations/{}", LAST_APPLIED.replace('/', "~1")))
        .and_then(Value::as_str)
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_else(|| {
            warning = format!(
                "Warning: resource {}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
                resource.plural(),
                manifest.name()
            );
            json!({})
        });
    if let Err(message) = decode_check(resource, &config) {
        return Err(format!(
            "{warning}Error from server (BadRequest): error when applying patch to \"{}\": {message}\n",
            manifest.source
        ));
    }
    let mut merged = live.clone();
    merge(&mut merged, &config, &previous);
    if merged == live {
        return Ok((warning, printing.line(client, resource, &live, "unchanged")));
    }
    if printing.dry_run {
        return Ok((
            warning,
            printing.line(client, resource, &merged, "configured"),
        ));
    }
    let result = client.world.cluster.requests().update(resource, &merged);
    client.world.cluster.settle();
    match result {
        Ok(stored) => Ok((
            warning,
            printing.line(client, resource, &stored, "configured"),
        )),
        Err(err) => Err(format!("{warning}{}", server_error(&client.conn, &err))),
    }
}

/// The three-way merge: `config` over `live`, and fields that were in `previous` (the last
/// applied configuration) but are no longer in `config` removed.
fn merge(live: &mut Value, config: &Value, previous: &Value) {
    let (Some(live_map), Some(config_map)) = (live.as_object_mut(), config.as_object()) else {
        *live = config.clone();
        return;
    };
    if let Some(prev_map) = previous.as_object() {
        for key in prev_map.keys() {
            if !config_map.contains_key(key) {
                live_map.remove(key);
            }
        }
    }
    for (key, value) in config_map {
        let prev = previous.get(key).cloned().unwrap_or(Value::Null);
        match (live_map.get_mut(key), value) {
            (Some(live_value @ Value::Object(_)), Value::Object(_)) => {
                merge(live_value, value, &prev)
            }
            (Some(Value::Array(live_items)), Value::Array(items))
                if named(items) && named(live_items) =>
            {
                *live_items = merge_named(live_items, items, &prev);
            }
            _ => {
                live_map.insert(key.clone(), value.clone());
            }
        }
    }
}

fn named(items: &[Value]) -> bool {
    !items.is_empty()
        && items
            .iter()
            .all(|i| i.get("name").is_some_and(Value::is_string))
}

/// Lists keyed by `name`: each configured item merged into the live item of the same name.
fn merge_named(live: &[Value], config: &[Value], previous: &Value) -> Vec<Value> {
    config
        .iter()
        .map(|item| {
            let name = item.get("name");
            let prev = previous
                .as_array()
                .and_then(|p| p.iter().find(|p| p.get("name") == name))
                .cloned()
                .unwrap_or(Value::Null);
            match live.iter().find(|l| l.get("name") == name) {
                Some(existing) => {
                    let mut merged = existing.clone();
                    merge(&mut merged, item, &prev);
                    merged
                }
                None => item.clone(),
            }
        })
        .collect()
}

/// Adds `labels` to a fresh object's metadata (for the generators).
pub fn metadata(name: &str, labels: &[(&str, &str)]) -> Value {
    let mut meta = Map::new();
    if !labels.is_empty() {
        let map: Map<String, Value> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), Value::from(*v)))
            .collect();
        meta.insert("labels".into(), Value::Object(map));
    }
    meta.insert("name".into(), Value::from(name));
    Value::Object(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_way_merge_keeps_server_fields_and_drops_removed_ones() {
        let mut live = json!({"metadata": {"name": "web", "uid": "u", "labels": {"a": "1", "b": "2"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1", "imagePullPolicy": "IfNotPresent"}]}});
        let previous = json!({"metadata": {"name": "web", "labels": {"a": "1", "b": "2"}}});
        let config = json!({"metadata": {"name": "web", "labels": {"a": "1"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:2"}]}});
        merge(&mut live, &config, &previous);
        assert_eq!(live["metadata"]["uid"], "u");
        assert_eq!(live["metadata"]["labels"], json!({"a": "1"}));
        assert_eq!(live["spec"]["containers"][0]["image"], "nginx:2");
        assert_eq!(
            live["spec"]["containers"][0]["imagePullPolicy"],
            "IfNotPresent"
        );
    }

    #[test]
    fn last_applied_holds_the_configuration_without_itself() {
        let obj = with_last_applied(
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}),
        );
        let text = obj["metadata"]["annotations"][LAST_APPLIED]
            .as_str()
            .unwrap();
        assert_eq!(
            text,
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}\n"
        );
    }
}
