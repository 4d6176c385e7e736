//! `-f FILENAME` as kubectl's resource builder reads it
//! (`staging/src/k8s.io/cli-runtime/pkg/resource/{builder,visitor}.go` v0.34.1): files,
//! directories (their `.json`, `.yaml` and `.yml` files, sorted; `-R` descends), and `-` for
//! standard input (named `STDIN` in messages); multi-document YAML and `List` objects become
//! one object each; every object needs `apiVersion` and `kind`.
//!
//! Unknown fields are found the way the API server's strict decoding finds them: the object
//! is decoded into its typed form and encoded again, and whatever did not survive is unknown.
//!
//! Simplified: URLs are not fetched.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::apiserver::store::Resource;
use crate::apiserver::validation::{render_steps, Step};
use crate::node::fs::{normalize, Fs};

/// One object read from a manifest, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The source as kubectl names it in messages (the path as typed, or `STDIN`).
    pub source: String,
    /// The object.
    pub object: Value,
    /// Its resource.
    pub resource: Resource,
}

impl Manifest {
    /// `metadata.name`.
    pub fn name(&self) -> &str {
        self.object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// `metadata.namespace`, if set.
    pub fn namespace(&self) -> Option<&str> {
        self.object
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .filter(|ns| !ns.is_empty())
    }
}

/// Reads every `-f` source. The error is kubectl's message without `error: `.
pub fn read_all(
    fs: &Fs,
    cwd: &str,
    stdin: &str,
    sources: &[&str],
    recursive: bool,
) -> Result<Vec<Manifest>, String> {
    let mut out = Vec::new();
    for source in sources {
        if *source == "-" {
            out.extend(parse_stream("STDIN", stdin)?);
            continue;
        }
        if source.starts_with("http://") || source.starts_with("https://") {
            return Err(format!(
                "reading manifests from URLs is not available in this playground: {source}"
            ));
        }
        let path = normalize(cwd, source);
        if is_dir(fs, &path) {
            for file in dir_files(fs, &path, source, recursive) {
                let text = fs
                    .read_to_string(&normalize(cwd, &file))
                    .map_err(|err| err.go_path_error("open", &file))?;
                out.extend(parse_stream(&file, &text)?);
            }
            continue;
        }
        let text = fs
            .read_to_string(&path)
            .map_err(|_| format!("the path \"{source}\" does not exist"))?;
        out.extend(parse_stream(source, &text)?);
    }
    if out.is_empty() {
        return Err("no objects passed to apply".to_string());
    }
    Ok(out)
}

/// The manifest files of a directory, as typed paths, sorted (`FileVisitorForSTDIN` aside,
/// `ExpandPathsToFileVisitors` walks in lexical order).
fn dir_files(fs: &Fs, abs: &str, typed: &str, recursive: bool) -> Vec<String> {
    let mut files = Vec::new();
    let Ok(entries) = fs.read_dir(abs) else {
        return files;
    };
    for name in entries.into_iter().map(|e| e.name) {
        let typed_child = format!("{}/{name}", typed.trim_end_matches('/'));
        let abs_child = format!("{}/{name}", abs.trim_end_matches('/'));
        if is_dir(fs, &abs_child) {
            if recursive {
                files.extend(dir_files(fs, &abs_child, &typed_child, recursive));
            }
        } else if [".json", ".yaml", ".yml"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            files.push(typed_child);
        }
    }
    files
}

fn is_dir(fs: &Fs, path: &str) -> bool {
    fs.stat(path).is_ok_and(|m| m.is_dir())
}

/// Every object of one YAML or JSON stream.
pub fn parse_stream(source: &str, text: &str) -> Result<Vec<Manifest>, String> {
    let docs: Vec<Value> = crate::yaml::from_str_multi(text).map_err(|err| {
        format!(
            "error parsing {source}: error converting YAML to JSON: yaml: {}",
            err.go_message()
        )
    })?;
    let mut out = Vec::new();
    for doc in docs {
        if !doc.is_object() {
            return Err(format!(
                "error validating \"{source}\": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false"
            ));
        }
        let items = if doc.get("kind").and_then(Value::as_str) == Some("List") {
            doc.get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        } else {
            vec![doc]
        };
        for object in items {
            out.push(typed(source, object)?);
        }
    }
    Ok(out)
}

/// Checks `apiVersion` and `kind` and finds the resource.
fn typed(source: &str, object: Value) -> Result<Manifest, String> {
    let field = |name: &str| {
        object
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (api_version, kind) = (field("apiVersion"), field("kind"));
    for (name, value) in [("apiVersion", &api_version), ("kind", &kind)] {
        if value.is_empty() {
            return Err(format!(
                "error validating \"{source}\": error validating data: {name} not set; if you choose to ignore these errors, turn validation off with --validate=false"
            ));
        }
    }
    let resource = Resource::from_kind(&kind).filter(|r| r.api_version() == api_version);
    let Some(resource) = resource else {
        let name = object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let namespace = object
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(format!(
            "resource mapping not found for name: \"{name}\" namespace: \"{namespace}\" from \"{source}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first"
        ));
    };
    Ok(Manifest {
        source: source.to_string(),
        object,
        resource,
    })
}

/// The API server's strict decoding of `object` as `T`: the typed object, or the message of a
/// BadRequest (`Pod in version "v1" cannot be handled as a Pod: ...`).
pub fn strict_decode<T: DeserializeOwned + Serialize>(
    resource: Resource,
    object: &Value,
) -> Result<T, String> {
    let prefix = format!(
        "{kind} in version \"v1\" cannot be handled as a {kind}",
        kind = resource.kind()
    );
    let (typed, unknown) =
        decode_with_unknown_fields::<T>(object).map_err(|err| format!("{prefix}: {err}"))?;
    if unknown.is_empty() {
        return Ok(typed);
    }
    let listed: Vec<String> = unknown
        .iter()
        .map(|path| format!("unknown field \"{}\"", render_steps(path)))
        .collect();
    Err(format!(
        "{prefix}: strict decoding error: {}",
        listed.join(", ")
    ))
}

/// `object` decoded leniently as `T`, and the paths of the fields the lenient decoding dropped
/// (the ones strict decoding calls unknown), in the object's order.
pub fn decode_with_unknown_fields<T: DeserializeOwned + Serialize>(
    object: &Value,
) -> Result<(T, Vec<Vec<Step>>), serde_json::Error> {
    // From the borrowed value: the only JSON decode path compiled for k8s types.
    let typed = T::deserialize(object)?;
    let round_trip = serde_json::to_value(&typed)?;
    let mut unknown = Vec::new();
    lost_fields(object, &round_trip, &mut Vec::new(), &mut unknown);
    Ok((typed, unknown))
}

/// Paths present (and not null) in `given` but missing from `kept`.
fn lost_fields(given: &Value, kept: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match (given, kept) {
        (Value::Object(g), Value::Object(k)) => {
            for (key, value) in g {
                path.push(Step::Key(key.clone()));
                match k.get(key) {
                    Some(kept_value) => lost_fields(value, kept_value, path, out),
                    None if !value.is_null() => out.push(path.clone()),
                    None => (),
                }
                path.pop();
            }
        }
        (Value::Array(g), Value::Array(k)) => {
            for (idx, (value, kept_value)) in g.iter().zip(k).enumerate() {
                path.push(Step::Index(idx));
                lost_fields(value, kept_value, path, out);
                path.pop();
            }
        }
        _ => (),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1 as corev1;

    #[test]
    fn documents_and_lists_become_objects() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n---\n";
        let got = parse_stream("x.yaml", text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].resource, got[0].name()), (Resource::Pods, "a"));
        assert_eq!(
            (got[1].resource, got[1].name()),
            (Resource::ConfigMaps, "b")
        );
    }

    #[test]
    fn missing_type_meta_and_unknown_kinds() {
        let err = parse_stream("x.yaml", "apiVersion: v1\nmetadata:\n  name: a\n").unwrap_err();
        assert!(
            err.starts_with("error validating \"x.yaml\": error validating data: kind not set"),
            "{err}"
        );
        let err = parse_stream(
            "x.yaml",
            "apiVersion: v1\nkind: Widget\nmetadata:\n  name: a\n",
        )
        .unwrap_err();
        assert!(err.starts_with("resource mapping not found for name: \"a\" namespace: \"\" from \"x.yaml\": no matches for kind \"Widget\" in version \"v1\""), "{err}");
        let err = parse_stream("x.yaml", "kind: Pod\n  bad: [\n").unwrap_err();
        assert!(
            err.starts_with("error parsing x.yaml: error converting YAML to JSON: yaml: line "),
            "{err}"
        );
    }

    #[test]
    fn strict_decoding_names_unknown_fields() {
        let pod = serde_json::json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "web", "image": "nginx", "imagePullPolcy": "Always"}]}
        });
        let err = strict_decode::<corev1::Pod>(Resource::Pods, &pod).unwrap_err();
        assert_eq!(
            err,
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagePullPolcy\""
        );
        let mut fixed = pod.clone();
        fixed["spec"]["containers"][0]
            .as_object_mut()
            .unwrap()
            .remove("imagePullPolcy");
        assert!(strict_decode::<corev1::Pod>(Resource::Pods, &fixed).is_ok());
    }
}
