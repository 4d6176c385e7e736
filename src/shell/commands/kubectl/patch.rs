//! `kubectl patch` (`staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go` v1.34): `-p` as JSON or
//! YAML, `--type strategic` (the default), `merge` (RFC 7386) or `json` (RFC 6902), applied to
//! one object as the API server's patch handler applies it, then written through the
//! server's update entry point, so a pod gets `ValidatePodUpdate` (a mirror pod included) and
//! every kind its validation.
//!
//! Simplified: strategic merge knows the merge keys of the lists the playground's kinds use
//! (containers, volumes, env, image pull secrets by `name`; ports by `containerPort`; volume
//! mounts by `mountPath`; taints by `key`; conditions by `type`) and the `$patch: delete`
//! directive on a list item; every other list is replaced, as for a field without a patch
//! strategy. `--patch-file`, `--subresource` and `--local` are not offered.

use serde_json::{Map, Value};

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, server_error, Client};
use super::objutil::name;
use super::resources::{kind_name, resolve_type};

use crate::apiserver::helpers::go_json_type;
use crate::shell::io::Output;

/// `kubectl patch`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "patch",
    usage: "kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]",
    summary: "Update fields of a resource",
    flags: &[
        flag(
            "patch",
            Some('p'),
            Kind::Str,
            "The patch to be applied to the resource JSON file.",
        ),
        flag(
            "type",
            None,
            Kind::Str,
            "The type of patch being provided; one of [json merge strategic]",
        ),
    ],
    unsupported: &[
        "allow-missing-template-keys",
        "dry-run",
        "field-manager",
        "filename",
        "f",
        "kustomize",
        "k",
        "local",
        "output",
        "o",
        "patch-file",
        "recursive",
        "R",
        "show-managed-fields",
        "subresource",
        "template",
    ],
};

/// The three patch types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// RFC 6902.
    Json,
    /// RFC 7386.
    Merge,
    /// Kubernetes' strategic merge patch.
    Strategic,
}

/// Runs `kubectl patch`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let kind = match parsed.get("type").unwrap_or("strategic") {
        "json" => PatchType::Json,
        "merge" => PatchType::Merge,
        "strategic" => PatchType::Strategic,
        other => {
            return plain_error(&format!(
                "--type must be one of [json merge strategic], not \"{other}\""
            ))
        }
    };
    let Some(patch_text) = parsed.get("patch").filter(|p| !p.is_empty()) else {
        return plain_error(
            "must specify --patch or --patch-file containing the contents of the patch",
        );
    };
    let target = match parsed.args.as_slice() {
        [one] => one
            .split_once('/')
            .map(|(t, n)| (t.to_string(), n.to_string())),
        [typed, wanted] if !typed.contains('/') => Some((typed.clone(), wanted.clone())),
        _ => None,
    };
    let Some((typed, wanted)) = target else {
        return Output::err(
            "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
            1,
        );
    };
    // `yaml.ToJSON`: the patch may be written in YAML.
    let patch: Value = match crate::yaml::from_str(patch_text) {
        Ok(v) => v,
        Err(err) => {
            return plain_error(&format!(
                "unable to parse \"{patch_text}\": yaml: {}",
                err.go_message()
            ))
        }
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let resource = match resolve_type(&typed) {
        Ok(r) => r,
        Err(msg) => return plain_error(&msg),
    };
    let original = match client.get(resource, &wanted) {
        Ok(o) => o,
        Err(err) => return Output::err(server_error(&client.conn, &err), 1),
    };
    let patched = match apply(&original, &patch, kind) {
        Ok(p) => p,
        Err(message) => return Output::err(format!("{message}\n"), 1),
    };
    let object_ref = kind_name(resource, name(&original));
    if patched == original {
        return Output::ok(format!("{object_ref} patched (no change)\n"));
    }
    let result = client.world.cluster.requests().update(resource, &patched);
    client.world.cluster.settle();
    match result {
        Ok(_) => Output::ok(format!("{object_ref} patched\n")),
        Err(err) => Output::err(server_error(&client.conn, &err), 1),
    }
}

/// The server's patch handler: the patched object, or the whole error kubectl prints.
pub fn apply(original: &Value, patch: &Value, kind: PatchType) -> Result<Value, String> {
    match kind {
        PatchType::Json => {
            let Some(ops) = patch.as_array() else {
                return Err(format!(
                    "Error from server (BadRequest): json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                    go_json_type(patch)
                ));
            };
            json_patch(original, ops).map_err(|_| {
                "The request is invalid: the server rejected our request due to an error in our request"
                    .to_string()
            })
        }
        PatchType::Merge | PatchType::Strategic => {
            if !patch.is_object() {
                return Err(format!(
                    "Error from server (BadRequest): json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    go_json_type(patch)
                ));
            }
            let strategic = kind == PatchType::Strategic;
            Ok(merge(original, patch, strategic, ""))
        }
    }
}

/// RFC 7386, and with `strategic` the merge keys of known lists.
fn merge(target: &Value, patch: &Value, strategic: bool, field: &str) -> Value {
    let Some(patch_map) = patch.as_object() else {
        return patch.clone();
    };
    let mut out: Map<String, Value> = target.as_object().cloned().unwrap_or_default();
    for (key, value) in patch_map {
        if value.is_null() {
            out.remove(key);
            continue;
        }
        let merged = match (out.get(key), value) {
            (Some(old @ Value::Object(_)), Value::Object(_)) => merge(old, value, strategic, key),
            (Some(Value::Array(old)), Value::Array(new)) if strategic => {
                match merge_key(key, field) {
                    Some(merge_key) => Value::Array(merge_list(old, new, merge_key)),
                    None => value.clone(),
                }
            }
            // A new map is merged into nothing, so its nulls are dropped as well.
            (_, Value::Object(_)) => merge(&Value::Null, value, strategic, key),
            _ => value.clone(),
        };
        out.insert(key.clone(), merged);
    }
    Value::Object(out)
}

/// The `patchMergeKey` of a list field (`parent` is the map that holds it).
fn merge_key(field: &str, parent: &str) -> Option<&'static str> {
    match field {
        "containers" | "initContainers" | "volumes" | "env" | "imagePullSecrets" => Some("name"),
        "ports" if parent != "spec" => Some("containerPort"),
        "volumeMounts" => Some("mountPath"),
        "taints" => Some("key"),
        "conditions" => Some("type"),
        _ => None,
    }
}

/// Merges list items by `key`: a patch item with the key of an existing one is merged into
/// it (or deletes it with `$patch: delete`), a new one is appended.
fn merge_list(old: &[Value], new: &[Value], key: &str) -> Vec<Value> {
    let mut out: Vec<Value> = old.to_vec();
    for item in new {
        let id = item.get(key);
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        let found = id.and_then(|id| out.iter().position(|o| o.get(key) == Some(id)));
        match (found, delete) {
            (Some(idx), true) => {
                out.remove(idx);
            }
            (Some(idx), false) => {
                let merged = merge(&out[idx], item, true, "");
                out[idx] = merged;
            }
            (None, true) => (),
            (None, false) => out.push(merge(&Value::Null, item, true, "")),
        }
    }
    out
}

/// RFC 6902 over `original`; any failing operation fails the whole patch.
fn json_patch(original: &Value, ops: &[Value]) -> Result<Value, ()> {
    let mut doc = original.clone();
    for op in ops {
        let path = op.get("path").and_then(Value::as_str).ok_or(())?;
        match op.get("op").and_then(Value::as_str).ok_or(())? {
            "add" => add(&mut doc, path, op.get("value").ok_or(())?.clone())?,
            "remove" => {
                remove(&mut doc, path)?;
            }
            "replace" => {
                remove(&mut doc, path)?;
                add(&mut doc, path, op.get("value").ok_or(())?.clone())?;
            }
            "move" => {
                let from = op.get("from").and_then(Value::as_str).ok_or(())?;
                let value = remove(&mut doc, from)?;
                add(&mut doc, path, value)?;
            }
            "copy" => {
                let from = op.get("from").and_then(Value::as_str).ok_or(())?;
                let value = doc.pointer(from).ok_or(())?.clone();
                add(&mut doc, path, value)?;
            }
            "test" => {
                if doc.pointer(path) != op.get("value") {
                    return Err(());
                }
            }
            _ => return Err(()),
        }
    }
    Ok(doc)
}

/// The parent pointer and the last token, unescaped.
fn split_pointer(path: &str) -> Result<(&str, String), ()> {
    let idx = path.rfind('/').ok_or(())?;
    let token = path[idx + 1..].replace("~1", "/").replace("~0", "~");
    Ok((&path[..idx], token))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), ()> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, token) = split_pointer(path)?;
    match doc.pointer_mut(parent).ok_or(())? {
        Value::Object(map) => {
            map.insert(token, value);
            Ok(())
        }
        Value::Array(list) => {
            let idx = if token == "-" {
                list.len()
            } else {
                token.parse::<usize>().map_err(|_| ())?
            };
            if idx > list.len() {
                return Err(());
            }
            list.insert(idx, value);
            Ok(())
        }
        _ => Err(()),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, ()> {
    let (parent, token) = split_pointer(path)?;
    match doc.pointer_mut(parent).ok_or(())? {
        Value::Object(map) => map.remove(&token).ok_or(()),
        Value::Array(list) => {
            let idx = token.parse::<usize>().map_err(|_| ())?;
            if idx >= list.len() {
                return Err(());
            }
            Ok(list.remove(idx))
        }
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> Value {
        json!({"metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}},
               "spec": {"containers": [
                   {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]},
                   {"name": "side", "image": "busybox"}]}})
    }

    #[test]
    fn strategic_merges_containers_by_name_and_merge_replaces_the_list() {
        let patch = json!({"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}});
        let s = apply(&pod(), &patch, PatchType::Strategic).unwrap();
        assert_eq!(s["spec"]["containers"][0]["image"], "nginx:1.28");
        assert_eq!(s["spec"]["containers"][0]["ports"][0]["containerPort"], 80);
        assert_eq!(s["spec"]["containers"][1]["name"], "side");
        let m = apply(&pod(), &patch, PatchType::Merge).unwrap();
        assert_eq!(m["spec"]["containers"].as_array().unwrap().len(), 1);
        assert!(m["spec"]["containers"][0].get("ports").is_none());
        let deleted = apply(
            &pod(),
            &json!({"spec": {"containers": [{"name": "side", "$patch": "delete"}]}}),
            PatchType::Strategic,
        )
        .unwrap();
        assert_eq!(deleted["spec"]["containers"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn null_removes_a_key() {
        let m = apply(
            &pod(),
            &json!({"metadata": {"labels": {"tier": null, "new": "x"}}}),
            PatchType::Merge,
        )
        .unwrap();
        assert_eq!(m["metadata"]["labels"], json!({"app": "web", "new": "x"}));
    }

    #[test]
    fn json_patch_operations_and_failures() {
        let ops = json!([
            {"op": "replace", "path": "/spec/containers/0/image", "value": "nginx:1.28"},
            {"op": "add", "path": "/metadata/labels/env", "value": "prod"},
            {"op": "remove", "path": "/metadata/labels/tier"},
            {"op": "test", "path": "/metadata/name", "value": "web"}
        ]);
        let p = apply(&pod(), &ops, PatchType::Json).unwrap();
        assert_eq!(p["spec"]["containers"][0]["image"], "nginx:1.28");
        assert_eq!(
            p["metadata"]["labels"],
            json!({"app": "web", "env": "prod"})
        );
        let missing = json!([{"op": "remove", "path": "/metadata/labels/nope"}]);
        assert_eq!(
            apply(&pod(), &missing, PatchType::Json),
            Err("The request is invalid: the server rejected our request due to an error in our request".to_string())
        );
        assert_eq!(
            apply(&pod(), &json!({"a": 1}), PatchType::Json),
            Err("Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch".to_string())
        );
    }
}
