//! `kubectl scale` (`staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go` and
//! `pkg/scale/scale.go` v1.34): sets `spec.replicas` of Deployments and ReplicaSets through
//! the server's update, with the `--current-replicas` precondition, and prints
//! `deployment.apps/NAME scaled`.
//!
//! Simplified: the new size is written with an update of the whole object rather than
//! through the `/scale` subresource (the stored result is the same); `--timeout`, `--all`,
//! `-l`, `-f`, `--resource-version` and `--dry-run` are not available.

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, server_error, Client};
use super::objutil::name;
use super::resources::{kind_name, parse_args, resolve_type, Selection};
use crate::apiserver::store::Resource;
use crate::apiserver::ApiError;
use crate::shell::io::Output;

/// `kubectl scale`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "scale",
    usage: "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)",
    summary: "Set a new size for a deployment, replica set, or replication controller",
    flags: &[
        flag("replicas", None, Kind::Int, "The new desired number of replicas. Required."),
        flag("current-replicas", None, Kind::Int, "Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition."),
    ],
    unsupported: &[
        "all", "resource-version", "timeout", "filename", "f", "selector", "l", "dry-run",
        "output", "o", "record",
    ],
};

/// The builder's complaint when no resource is named.
const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n";

/// Runs `kubectl scale`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    // cobra checks the required flag before the command runs.
    let Some(replicas) = parsed.int("replicas") else {
        return plain_error("required flag(s) \"replicas\" not set");
    };
    if replicas < 0 {
        return plain_error(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        );
    }
    let current = parsed.int("current-replicas").unwrap_or(-1);
    if current < -1 {
        return plain_error("The --current-replicas must specify an integer of -1 or greater");
    }
    let pairs = match parse_args(&parsed.args) {
        Err(message) => return plain_error(&message),
        Ok(None) => return Output::err(NO_RESOURCES, 1),
        Ok(Some(Selection::Pairs(pairs))) => pairs,
        Ok(Some(Selection::Types { types, names })) => {
            if names.is_empty() {
                return plain_error("resource(s) were provided, but no name was specified");
            }
            types
                .iter()
                .flat_map(|t| names.iter().map(move |n| (t.clone(), n.clone())))
                .collect()
        }
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let mut out = Output::default();
    let mut targets = Vec::new();
    let mut info_error: Option<ApiError> = None;
    for (typed, wanted) in &pairs {
        let resource = match resolve_type(typed) {
            Ok(r) => r,
            Err(message) => return plain_error(&message),
        };
        match client.get(resource, wanted) {
            Ok(object) => targets.push((resource, object)),
            // The builder goes on past objects it cannot get, and reports the last.
            Err(err) => info_error = Some(err),
        }
    }
    if targets.is_empty() {
        return match info_error {
            Some(ApiError::NotFound { .. } | ApiError::Unreachable { .. }) | None => {
                let why = info_error.map(|e| format!(" {e}")).unwrap_or_default();
                plain_error(&format!("no objects passed to scale{why}"))
            }
            Some(err) => Output::err(server_error(&client.conn, &err), 1),
        };
    }
    for (resource, mut object) in targets {
        if !matches!(resource, Resource::Deployments | Resource::ReplicaSets) {
            return fail(
                out,
                format!(
                    "error: could not find scale subresource for {} in discovery information\n",
                    gvr(resource)
                ),
            );
        }
        let was = object
            .pointer("/spec/replicas")
            .and_then(|v| v.as_i64())
            .unwrap_or(1);
        if current != -1 && was != current {
            return fail(
                out,
                format!("error: Expected replicas to be {current}, was {was}\n"),
            );
        }
        let object_ref = kind_name(resource, name(&object));
        if let Some(spec) = object.get_mut("spec").and_then(|s| s.as_object_mut()) {
            spec.insert("replicas".into(), replicas.into());
        }
        let result = client.world.cluster.requests().update(resource, &object);
        client.world.cluster.settle();
        if let Err(err) = result {
            return fail(out, server_error(&client.conn, &err));
        }
        out.stdout.push_str(&format!("{object_ref} scaled\n"));
    }
    if let Some(err) = info_error {
        return fail(out, server_error(&client.conn, &err));
    }
    out
}

/// `out` with `message` on stderr after what it printed, and status 1.
fn fail(out: Output, message: String) -> Output {
    let mut out = out;
    out.stderr_after_stdout(&message);
    out.code = 1;
    out
}

/// A GroupVersionResource as Go's `String()` writes it (`/v1, Resource=pods`).
fn gvr(resource: Resource) -> String {
    let version = match resource.group() {
        "" => "/v1".to_string(),
        group => format!("{group}/v1"),
    };
    format!("{version}, Resource={}", resource.plural())
}
