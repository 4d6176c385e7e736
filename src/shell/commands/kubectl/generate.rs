//! Objects kubectl builds from flags: `kubectl run` (`pkg/cmd/run/run.go`, the pod generator)
//! and `kubectl create namespace|deployment|configmap` (`pkg/cmd/create/create_*.go`), v1.34.
//! Each object is what `--dry-run=client -o yaml` prints, then goes through the same create
//! path as `kubectl create -f`.

use serde_json::{json, Map, Value};

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, usage_error, Client};
use super::manifest::Manifest;
use super::write::{metadata, submit_create, Printing};
use crate::apiserver::store::Resource;
use crate::shell::io::Output;

/// `kubectl run`.
pub const RUN: CommandSpec = CommandSpec {
    name: "run",
    usage: "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
    summary: "Run a particular image on the cluster.",
    flags: &[
        flag("image", None, Kind::Str, "The image for the container to run."),
        flag("restart", None, Kind::Str, "The restart policy for this Pod.  Legal values [Always, OnFailure, Never]."),
        flag("labels", Some('l'), Kind::Str, "Comma separated labels to apply to the pod. Will override previous values."),
        flag("env", None, Kind::Strings, "Environment variables to set in the container."),
        flag("port", None, Kind::Str, "The port that this container exposes."),
        flag("command", None, Kind::Bool, "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default."),
        flag("image-pull-policy", None, Kind::Str, "The image pull policy for the container."),
        flag("dry-run", None, Kind::Str, "Must be \"none\" or \"client\"."),
        flag("output", Some('o'), Kind::Str, "Output format. One of: (json, yaml, name)."),
    ],
    unsupported: &[
        "annotations", "attach", "cascade", "expose", "field-manager", "filename", "f", "force",
        "grace-period", "kustomize", "k", "leave-stdin-open", "override-type", "overrides",
        "pod-running-timeout", "privileged", "quiet", "q", "recursive", "R", "rm",
        "save-config", "show-managed-fields", "stdin", "i", "template", "timeout", "tty", "t", "wait",
    ],
};

/// Runs `kubectl run`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let before_dash = parsed.dash.unwrap_or(parsed.args.len());
    let Some(name) = parsed.args.first().filter(|_| before_dash >= 1) else {
        return usage_error("run", "NAME is required for run");
    };
    let Some(image) = parsed.get("image").filter(|i| !i.is_empty()) else {
        return plain_error("required flag(s) \"image\" not set");
    };
    let restart = parsed.get("restart").unwrap_or("Always");
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return plain_error(&format!("invalid restart policy: {restart}"));
    }
    let printing = match Printing::from(parsed) {
        Ok(p) => p,
        Err(out) => return out,
    };
    let labels = match parsed.get("labels") {
        Some(text) => match parse_pairs(text.split(','), "labels") {
            Ok(pairs) => pairs,
            Err(msg) => return plain_error(&msg),
        },
        None => vec![("run".to_string(), name.clone())],
    };
    let mut container = Map::new();
    let rest: Vec<Value> = parsed.args[before_dash.max(1)..]
        .iter()
        .map(|a| Value::from(a.as_str()))
        .collect();
    if !rest.is_empty() {
        let field = if parsed.bool("command") {
            "command"
        } else {
            "args"
        };
        container.insert(field.into(), Value::Array(rest));
    }
    let env = parsed.all("env");
    if !env.is_empty() {
        let pairs = match parse_pairs(env.iter().copied(), "env") {
            Ok(pairs) => pairs,
            Err(msg) => return plain_error(&msg),
        };
        let items: Vec<Value> = pairs
            .into_iter()
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect();
        container.insert("env".into(), Value::Array(items));
    }
    container.insert("image".into(), Value::from(image));
    if let Some(policy) = parsed.get("image-pull-policy") {
        container.insert("imagePullPolicy".into(), Value::from(policy));
    }
    container.insert("name".into(), Value::from(name.as_str()));
    if let Some(port) = parsed.get("port") {
        match port.parse::<i64>() {
            Ok(p) => {
                container.insert("ports".into(), json!([{"containerPort": p}]));
            }
            Err(_) => {
                return plain_error(&format!("strconv.Atoi: parsing \"{port}\": invalid syntax"))
            }
        }
    }
    container.insert("resources".into(), json!({}));
    let label_refs: Vec<(&str, &str)> = labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata(name, &label_refs),
        "spec": {
            "containers": [Value::Object(container)],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": restart,
        },
        "status": {},
    });
    finish(client, Resource::Pods, pod, &printing)
}

/// `kubectl create namespace|deployment|configmap NAME`.
pub fn create_generated(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let what = parsed.args[0].as_str();
    if !matches!(
        what,
        "namespace" | "ns" | "deployment" | "deploy" | "configmap" | "cm"
    ) {
        return not_generated(what);
    }
    let Some(name) = parsed.args.get(1) else {
        return usage_error(
            &format!("create {what}"),
            "exactly one NAME is required, got 0",
        );
    };
    if parsed.args.len() > 2 {
        return usage_error(
            &format!("create {what}"),
            &format!(
                "exactly one NAME is required, got {}",
                parsed.args.len() - 1
            ),
        );
    }
    let printing = match Printing::from(parsed) {
        Ok(p) => p,
        Err(out) => return out,
    };
    let (resource, object) = match what {
        "namespace" | "ns" => (
            Resource::Namespaces,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": metadata(name, &[]), "spec": {}, "status": {}}),
        ),
        "deployment" | "deploy" => {
            let images = parsed.all("image");
            if images.is_empty() {
                return plain_error("required flag(s) \"image\" not set");
            }
            let containers: Vec<Value> = images
                .iter()
                .map(
                    |image| json!({"image": image, "name": container_name(image), "resources": {}}),
                )
                .collect();
            let replicas = parsed.int("replicas").unwrap_or(1);
            (
                Resource::Deployments,
                json!({
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "metadata": metadata(name, &[("app", name)]),
                    "spec": {
                        "replicas": replicas,
                        "selector": {"matchLabels": {"app": name}},
                        "strategy": {},
                        "template": {
                            "metadata": {"labels": {"app": name}},
                            "spec": {"containers": containers},
                        },
                    },
                    "status": {},
                }),
            )
        }
        "configmap" | "cm" => {
            let pairs = match parse_pairs(parsed.all("from-literal").into_iter(), "from-literal") {
                Ok(pairs) => pairs,
                Err(msg) => return plain_error(&msg),
            };
            let data: Map<String, Value> = pairs
                .into_iter()
                .map(|(k, v)| (k, Value::from(v)))
                .collect();
            let mut cm =
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(name, &[])});
            if !data.is_empty() {
                cm["data"] = Value::Object(data);
            }
            (Resource::ConfigMaps, cm)
        }
        other => return not_generated(other),
    };
    finish(client, resource, object, &printing)
}

/// The answer for `kubectl create` generators the playground does not have.
fn not_generated(what: &str) -> Output {
    plain_error(&format!(
        "\"kubectl create {what}\" is not available in this playground; create objects with `kubectl create -f FILE`, or `kubectl create namespace|deployment|configmap NAME`"
    ))
}

/// Sends (or, for a dry run, only prints) a generated object.
fn finish(
    client: &mut Client<'_, '_>,
    resource: Resource,
    mut object: Value,
    printing: &Printing,
) -> Output {
    if resource.namespaced() {
        object["metadata"]["namespace"] = Value::from(client.namespace.clone());
    }
    if !printing.dry_run {
        if let Err(out) = client.discover() {
            return out;
        }
    } else if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        // The client-side dry run prints the object as built, without the request namespace
        // unless -n was given.
        if !client.explicit_namespace {
            meta.remove("namespace");
        }
    }
    let manifest = Manifest {
        source: String::new(),
        object: object.clone(),
        resource,
    };
    match submit_create(client, &manifest, object, printing.dry_run) {
        Ok(stored) => Output::ok(printing.line(client, resource, &stored, "created")),
        Err(text) => Output::err(text, 1),
    }
}

/// `KEY=VALUE` items; the error names the flag.
fn parse_pairs<'a>(
    items: impl Iterator<Item = &'a str>,
    flag: &str,
) -> Result<Vec<(String, String)>, String> {
    items
        .filter(|item| !item.is_empty())
        .map(|item| match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(match flag {
                "labels" => format!("invalid label spec: {item}"),
                "env" => format!("invalid env: {item}"),
                _ => format!("invalid literal source {item}, expected key=value"),
            }),
        })
        .collect()
}

/// `create deployment` names a container after its image's last path part, without tag.
fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let base = last.split(['@', ':']).next().unwrap_or(last);
    base.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_come_from_images() {
        assert_eq!(container_name("nginx"), "nginx");
        assert_eq!(container_name("dockercoins/rng:v0.1"), "rng");
        assert_eq!(container_name("registry.k8s.io/pause@sha256:abc"), "pause");
    }

    #[test]
    fn pairs_are_checked() {
        let ok = parse_pairs(["a=1", "b="].into_iter(), "env").unwrap();
        assert_eq!(
            ok,
            vec![("a".into(), "1".into()), ("b".into(), String::new())]
        );
        assert_eq!(
            parse_pairs(["x"].into_iter(), "labels").unwrap_err(),
            "invalid label spec: x"
        );
    }
}
