//! `kubectl label` (`staging/src/k8s.io/kubectl/pkg/cmd/label/label.go` v1.34): `KEY=VALUE`
//! adds or (with `--overwrite`) changes a label, `KEY-` removes it; objects by name, `-l` or
//! `--all`. Each object is reported `labeled`, `unlabeled` or `not labeled`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{label_query, plain_error, server_error, usage_error, Client};
use super::objutil::{name, string_map};
use super::resources::{kind_name, resolve_type};

use crate::apiserver::store::Resource;
use crate::apiserver::validation::names::{is_qualified_name, is_valid_label_value};
use crate::shell::io::Output;

/// `kubectl label`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "label",
    usage: "kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    summary: "Update the labels on a resource.",
    flags: &[
        flag("all", None, Kind::Bool, "Select all resources, in the namespace of the specified resource types"),
        flag("all-namespaces", Some('A'), Kind::Bool, "If true, check the specified action in all namespaces."),
        flag("list", None, Kind::Bool, "If true, display the labels for a given resource."),
        flag("overwrite", None, Kind::Bool, "If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels."),
        flag("selector", Some('l'), Kind::Str, "Selector (label query) to filter on."),
    ],
    unsupported: &[
        "dry-run", "field-manager", "field-selector", "filename", "f", "kustomize", "k", "local",
        "output", "o", "recursive", "R", "resource-version", "template",
    ],
};

/// One requested change.
enum Change {
    Set(String, String),
    Remove(String),
}

/// Runs `kubectl label`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let mut resources_args: Vec<&str> = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    for arg in &parsed.args {
        if let Some((key, value)) = arg.split_once('=') {
            if !is_qualified_name(key).is_empty() || !is_valid_label_value(value).is_empty() {
                return plain_error(&format!("invalid label spec: {arg}"));
            }
            changes.push(Change::Set(key.to_string(), value.to_string()));
        } else if let Some(key) = arg.strip_suffix('-').filter(|_| !resources_args.is_empty()) {
            changes.push(Change::Remove(key.to_string()));
        } else {
            resources_args.push(arg);
        }
    }
    let list = parsed.bool("list");
    if changes.is_empty() && !list {
        return usage_error("label", "at least one label update is required");
    }
    let owned: Vec<String> = resources_args.iter().map(|s| s.to_string()).collect();
    if let Err(msg) = super::resources::parse_args(&owned) {
        return plain_error(&msg);
    }
    let Some((typed, names)) = split_target(&resources_args) else {
        return usage_error(
            "label",
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let resource = match resolve_type(&typed) {
        Ok(r) => r,
        Err(msg) => return plain_error(&msg),
    };
    let query = match label_query(parsed, resource) {
        Ok(q) => q,
        Err(out) => return out,
    };
    let mut objects: Vec<Value> = Vec::new();
    let mut out = Output::default();
    // Errors are collected and printed after the objects that were labeled.
    let mut errors = String::new();
    if names.is_empty() {
        if query.is_none() && !parsed.bool("all") {
            return usage_error(
                "label",
                "resource(s) were provided, but no name was specified",
            );
        }
        let ns = (!parsed.bool("all-namespaces")).then(|| client.namespace.clone());
        let listed = match client.list(resource, ns.as_deref()) {
            Ok(listed) => listed,
            Err(err) => return Output::err(server_error(&client.conn, &err), 1),
        };
        objects = listed
            .into_iter()
            .filter(|o| {
                query
                    .as_ref()
                    .is_none_or(|q| q.matches(&string_map(o, &["metadata", "labels"])))
            })
            .collect();
    } else {
        for wanted in &names {
            match client.get(resource, wanted) {
                Ok(o) => objects.push(o),
                Err(err) => {
                    errors.push_str(&server_error(&client.conn, &err));
                    out.code = 1;
                }
            }
        }
    }
    for obj in objects {
        if list {
            for (k, v) in string_map(&obj, &["metadata", "labels"]) {
                out.stdout.push_str(&format!("{k}={v}\n"));
            }
            continue;
        }
        match relabel(client, resource, obj, &changes, parsed.bool("overwrite")) {
            Ok(line) => out.stdout.push_str(&line),
            Err(text) => {
                errors.push_str(&text);
                out.code = 1;
            }
        }
    }
    out.stderr_after_stdout(&errors);
    out
}

/// `pods web` or `pods/web` (one type); the names.
fn split_target(args: &[&str]) -> Option<(String, Vec<String>)> {
    let first = args.first()?;
    if let Some((kind, n)) = first.split_once('/') {
        let mut names = vec![n.to_string()];
        for more in &args[1..] {
            names.push(more.split_once('/').map_or(*more, |(_, n)| n).to_string());
        }
        return Some((kind.to_string(), names));
    }
    Some((
        first.to_string(),
        args[1..].iter().map(|s| s.to_string()).collect(),
    ))
}

/// Applies the changes to one object; the line kubectl prints, or its error.
fn relabel(
    client: &mut Client<'_, '_>,
    resource: Resource,
    mut obj: Value,
    changes: &[Change],
    overwrite: bool,
) -> Result<String, String> {
    let mut labels: BTreeMap<String, String> = string_map(&obj, &["metadata", "labels"]);
    let before = labels.clone();
    let mut removed_any = false;
    for change in changes {
        match change {
            Change::Set(key, value) => {
                if let Some(old) = labels.get(key) {
                    if !overwrite && old != value {
                        return Err(format!(
                            "error: '{key}' already has a value ({old}), and --overwrite is false\n"
                        ));
                    }
                }
                labels.insert(key.clone(), value.clone());
            }
            Change::Remove(key) => {
                removed_any |= labels.remove(key).is_some();
            }
        }
    }
    let object_ref = kind_name(resource, name(&obj));
    if labels == before {
        return Ok(format!("{object_ref} not labeled\n"));
    }
    let map: Map<String, Value> = labels
        .into_iter()
        .map(|(k, v)| (k, Value::from(v)))
        .collect();
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("labels".into(), Value::Object(map));
    }
    let result = client.world.cluster.requests().update(resource, &obj);
    client.world.cluster.settle();
    match result {
        Ok(_) if removed_any && changes.iter().all(|c| matches!(c, Change::Remove(_))) => {
            Ok(format!("{object_ref} unlabeled\n"))
        }
        Ok(_) => Ok(format!("{object_ref} labeled\n")),
        Err(err) => Err(server_error(&client.conn, &err)),
    }
}
