//! `kubectl label` and `kubectl annotate` (`staging/src/k8s.io/kubectl/pkg/cmd/label/label.go`
//! and `.../annotate/annotate.go` v1.34), one command over a metadata map: `KEY=VALUE` adds
//! or (with `--overwrite`) changes an entry, `KEY-` removes it; objects by name, `-l` or
//! `--all`. A label is reported `labeled`, `unlabeled` or `not labeled`, an annotation always
//! `annotated`; labels are validated by kubectl, annotations only by the server.

use std::collections::BTreeMap;

use serde_json::{Map as JsonMap, Value};

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

/// `kubectl annotate`.
pub const ANNOTATE: CommandSpec = CommandSpec {
    name: "annotate",
    usage: "kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    summary: "Update the annotations on a resource.",
    flags: &[
        flag("all", None, Kind::Bool, "Select all resources, in the namespace of the specified resource types."),
        flag("all-namespaces", Some('A'), Kind::Bool, "If true, check the specified action in all namespaces."),
        flag("list", None, Kind::Bool, "If true, display the annotations for a given resource."),
        flag("overwrite", None, Kind::Bool, "If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing annotations."),
        flag("selector", Some('l'), Kind::Str, "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)."),
    ],
    unsupported: &[
        "dry-run", "field-manager", "field-selector", "filename", "f", "kustomize", "k", "local",
        "output", "o", "recursive", "R", "resource-version", "template",
    ],
};

/// Which metadata map the command edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Map {
    Labels,
    Annotations,
}

impl Map {
    fn command(self) -> &'static str {
        match self {
            Map::Labels => "label",
            Map::Annotations => "annotate",
        }
    }

    fn field(self) -> &'static str {
        match self {
            Map::Labels => "labels",
            Map::Annotations => "annotations",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Map::Labels => "label",
            Map::Annotations => "annotation",
        }
    }
}

/// Runs `kubectl annotate`.
pub fn annotate(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    run_map(client, parsed, Map::Annotations)
}

/// One requested change.
enum Change {
    Set(String, String),
    Remove(String),
}

/// Runs `kubectl label`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    run_map(client, parsed, Map::Labels)
}

fn run_map(client: &mut Client<'_, '_>, parsed: &Parsed, map: Map) -> Output {
    let command = map.command();
    let field = map.field();
    let mut resources_args: Vec<&str> = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    for arg in &parsed.args {
        if let Some((key, value)) = arg.split_once('=') {
            let invalid =
                !is_qualified_name(key).is_empty() || !is_valid_label_value(value).is_empty();
            if map == Map::Labels && invalid {
                return plain_error(&format!("invalid label spec: {arg}"));
            }
            changes.push(Change::Set(key.to_string(), value.to_string()));
        } else if let Some(key) = arg.strip_suffix('-').filter(|_| !resources_args.is_empty()) {
            changes.push(Change::Remove(key.to_string()));
        } else if !changes.is_empty() {
            return plain_error(&format!(
                "all resources must be specified before {} changes: {arg}",
                map.noun()
            ));
        } else {
            resources_args.push(arg);
        }
    }
    let list = parsed.bool("list");
    if changes.is_empty() && !list {
        if map == Map::Annotations {
            return plain_error("at least one annotation update is required");
        }
        return usage_error(command, "at least one label update is required");
    }
    let owned: Vec<String> = resources_args.iter().map(|s| s.to_string()).collect();
    if let Err(msg) = super::resources::parse_args(&owned) {
        return plain_error(&msg);
    }
    let Some((typed, names)) = split_target(&resources_args) else {
        return usage_error(
            command,
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
            // The builder's error, which CheckErr prints without the help pointer.
            return plain_error("resource(s) were provided, but no name was specified");
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
            for (k, v) in string_map(&obj, &["metadata", field]) {
                out.stdout.push_str(&format!("{k}={v}\n"));
            }
            continue;
        }
        match relabel(
            client,
            resource,
            obj,
            &changes,
            parsed.bool("overwrite"),
            map,
        ) {
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
    map: Map,
) -> Result<String, String> {
    let mut labels: BTreeMap<String, String> = string_map(&obj, &["metadata", map.field()]);
    let before = labels.clone();
    let mut removed_any = false;
    if map == Map::Annotations && !overwrite {
        // `validateNoAnnotationOverwrites`: any existing key is refused, equal value or not.
        let found: Vec<String> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Set(key, _) => labels
                    .get(key)
                    .map(|old| format!("'{key}' already has a value ({old})")),
                Change::Remove(_) => None,
            })
            .collect();
        if !found.is_empty() {
            return Err(format!(
                "error: --overwrite is false but found the following declared annotation(s): {}\n",
                found.join("; ")
            ));
        }
    }
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
    if map == Map::Annotations && labels == before {
        return Ok(format!("{object_ref} annotated\n"));
    }
    if labels == before {
        return Ok(format!("{object_ref} not labeled\n"));
    }
    let field = map.field();
    let entries: JsonMap<String, Value> = labels
        .into_iter()
        .map(|(k, v)| (k, Value::from(v)))
        .collect();
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert(field.into(), Value::Object(entries));
    }
    let result = client.world.cluster.requests().update(resource, &obj);
    client.world.cluster.settle();
    match result {
        Ok(_) if map == Map::Annotations => Ok(format!("{object_ref} annotated\n")),
        Ok(_) if removed_any && changes.iter().all(|c| matches!(c, Change::Remove(_))) => {
            Ok(format!("{object_ref} unlabeled\n"))
        }
        Ok(_) => Ok(format!("{object_ref} labeled\n")),
        Err(err) => Err(server_error(&client.conn, &err)),
    }
}
