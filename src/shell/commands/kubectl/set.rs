//! `kubectl set image` (`staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go` v1.34): sets
//! container images in a pod or a workload's pod template (`*` for every container, init
//! containers included) through the server's update, and prints `KIND/NAME image updated`;
//! an object whose images are already those prints nothing.
//!
//! Simplified: of `kubectl set`'s subcommands only `image` is emulated; `--all`, `-l`, `-f`,
//! `--local` and `--dry-run` are not available; the change is written with an update of the
//! whole object rather than a strategic merge patch (the stored result is the same).

use serde_json::Value;

use super::cli::{CommandSpec, Parsed};
use super::client::{plain_error, server_error, Client};
use super::objutil::name;
use super::resources::{kind_name, parse_args, resolve_type, Selection};
use crate::apiserver::store::Resource;
use crate::shell::io::Output;

/// `kubectl set`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "set",
    usage: "kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N",
    summary: "Set specific features on objects",
    flags: &[],
    unsupported: &[
        "all", "selector", "l", "filename", "f", "local", "dry-run", "output", "o", "record",
    ],
};

/// `kubectl set`'s other subcommands.
const OTHER_SUBCOMMANDS: &[&str] = &["env", "resources", "selector", "serviceaccount", "subject"];

/// Runs `kubectl set`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let Some((sub, args)) = parsed.args.split_first() else {
        return Output::ok(
            "Configure application resources.\n\n These commands help you make changes to existing application resources.\n\nAvailable Commands in this playground:\n  image           Update the image of a pod template\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n\nUse \"kubectl set <command> --help\" for more information about a given command.\n"
                .to_string(),
        );
    };
    if OTHER_SUBCOMMANDS.contains(&sub.as_str()) {
        return plain_error(&format!(
            "\"kubectl set {sub}\" is not available in this playground; only \"kubectl set image\" is emulated"
        ));
    }
    if sub != "image" {
        return Output::err(
            format!("error: unknown command \"{sub}\" for \"kubectl set\"\nRun 'kubectl set --help' for usage.\n"),
            1,
        );
    }
    set_image(client, args)
}

/// `kubectl set image`.
fn set_image(client: &mut Client<'_, '_>, args: &[String]) -> Output {
    // `GetResourcesAndPairs`: the resources first, then NAME=IMAGE pairs.
    let mut resources = Vec::new();
    let mut images: Vec<(String, String)> = Vec::new();
    for arg in args {
        match arg.split_once('=') {
            Some((container, image)) => {
                if container.is_empty() || image.is_empty() {
                    return plain_error(&format!("invalid image: {arg}"));
                }
                images.retain(|(c, _)| c != container);
                images.push((container.to_string(), image.to_string()));
            }
            None if !images.is_empty() => {
                return plain_error(&format!(
                    "all resources must be specified before image changes: {arg}"
                ))
            }
            None => resources.push(arg.clone()),
        }
    }
    let pairs = match parse_args(&resources) {
        Err(message) => return plain_error(&message),
        Ok(None) => None,
        Ok(Some(Selection::Pairs(pairs))) => Some(pairs),
        Ok(Some(Selection::Types { types, names })) => {
            if names.is_empty() {
                return plain_error("resource(s) were provided, but no name was specified");
            }
            Some(
                types
                    .iter()
                    .flat_map(|t| names.iter().map(move |n| (t.clone(), n.clone())))
                    .collect(),
            )
        }
    };
    // `Validate`: every complaint at once, as an aggregate.
    let mut complaints = Vec::new();
    if pairs.is_none() {
        complaints.push(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if images.is_empty() {
        complaints.push("at least one image update is required");
    } else if images.len() > 1 && images.iter().any(|(c, _)| c == "*") {
        complaints.push("all containers are already specified by *, but saw more than one container_name=container_image pairs");
    }
    match complaints.as_slice() {
        [] => (),
        [one] => return plain_error(one),
        many => return plain_error(&format!("[{}]", many.join(", "))),
    }
    let pairs = pairs.unwrap_or_default();
    if let Err(out) = client.discover() {
        return out;
    }
    let mut out = Output::default();
    let mut errors: Vec<String> = Vec::new();
    for (typed, wanted) in &pairs {
        let resource = match resolve_type(typed) {
            Ok(r) => r,
            Err(message) => return plain_error(&message),
        };
        let original = match client.get(resource, wanted) {
            Ok(object) => object,
            Err(err) => {
                errors.push(server_error(&client.conn, &err).trim_end().to_string());
                continue;
            }
        };
        let mut object = original.clone();
        let Some(spec) = pod_spec(resource, &mut object) else {
            errors.push(format!(
                "error: {}/{wanted} the object is not a pod or does not have a pod template: {}",
                resource.qualified(),
                kind_of(resource)
            ));
            continue;
        };
        for (container, image) in &images {
            let mut found = false;
            for field in ["initContainers", "containers"] {
                if let Some(list) = spec.get_mut(field).and_then(Value::as_array_mut) {
                    for c in list {
                        if container == "*"
                            || c.get("name").and_then(Value::as_str) == Some(container)
                        {
                            found = true;
                            c["image"] = Value::from(image.as_str());
                        }
                    }
                }
            }
            if !found {
                errors.push(format!(
                    "error: unable to find container named \"{container}\""
                ));
            }
        }
        if object == original {
            continue;
        }
        let result = client.world.cluster.requests().update(resource, &object);
        client.world.cluster.settle();
        match result {
            Ok(_) => out.stdout.push_str(&format!(
                "{} image updated\n",
                kind_name(resource, name(&object))
            )),
            Err(err) => errors.push(format!(
                "error: failed to patch image update to pod template: {}",
                server_error(&client.conn, &err).trim_end()
            )),
        }
    }
    for error in errors {
        let line = match error.starts_with("error: ") || error.starts_with("Error from server") {
            true => error,
            false => format!("error: {error}"),
        };
        out.stderr_after_stdout(&format!("{line}\n"));
        out.code = 1;
    }
    out
}

/// The pod spec `UpdatePodSpecForObjectFn` edits: a pod's own, a workload's template's.
fn pod_spec(resource: Resource, object: &mut Value) -> Option<&mut Value> {
    match resource {
        Resource::Pods => object.get_mut("spec"),
        Resource::Deployments | Resource::ReplicaSets | Resource::DaemonSets => {
            object.pointer_mut("/spec/template/spec")
        }
        _ => None,
    }
}

/// The Go type name `UpdatePodSpecForObjectFn` reports for an object it cannot edit.
fn kind_of(resource: Resource) -> String {
    format!("*v1.{}", resource.kind())
}
