//! `kubectl replace -f FILE|-` (`staging/src/k8s.io/kubectl/pkg/cmd/replace/replace.go`
//! v1.34): each object of the files is PUT whole through the API server, which keeps what
//! belongs to it (status, UID, creation time) and applies its update rules (a pod's
//! `ValidatePodUpdate`, a mirror pod's annotation, the resourceVersion precondition).
//! `--force` deletes each object (a missing one is fine), waits until it is gone and creates
//! it again from the file.
//!
//! Simplified: `--force`'s wait for the old objects runs to its end (at most `--timeout`,
//! five minutes by default) without Ctrl-C; a failed re-create is worded as `kubectl create`
//! words it (`error when creating "FILE"`); `--dry-run=server`, `--raw`, `--subresource`,
//! `--save-config` and URLs are not offered.

use serde_json::{json, Value};

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, server_error, Client};
use super::manifest::Manifest;
use super::resources::kind_string;
use super::write::{read_manifests, submit_create, Printing};
use crate::apiserver::deletion::DeleteOptions;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::ApiError;
use crate::shell::commands::parse_duration_arg;
use crate::shell::io::Output;
use crate::sim::SimDuration;

/// How long `--force` waits for a deleted object by default.
const FORCE_WAIT: SimDuration = SimDuration::from_secs(300);

/// `kubectl replace`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "replace",
    usage: "kubectl replace -f FILENAME",
    summary: "Replace a resource by file name or stdin",
    flags: &[
        flag("filename", Some('f'), Kind::Strings, "The files that contain the configurations to replace."),
        flag("recursive", Some('R'), Kind::Bool, "Process the directory used in -f, --filename recursively."),
        flag("dry-run", None, Kind::Str, "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it."),
        flag("output", Some('o'), Kind::Str, "Output format. One of: (json, yaml, name)."),
        flag("force", None, Kind::Bool, "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
        flag("grace-period", None, Kind::Int, "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
        flag("timeout", None, Kind::Str, "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object"),
        flag("wait", None, Kind::Bool, "If true, wait for resources to be gone before returning. This waits for finalizers."),
        flag("validate", None, Kind::Str, "Must be one of: strict (or true), warn, ignore (or false)."),
    ],
    unsupported: &[
        "allow-missing-template-keys", "cascade", "field-manager", "kustomize", "k", "raw",
        "save-config", "show-managed-fields", "subresource", "template",
    ],
};

/// Runs `kubectl replace`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed, stdin: &str) -> Output {
    let sources = parsed.all("filename");
    // `Complete` asks for a file before `Validate` looks at the delete flags.
    if sources.is_empty() {
        return plain_error("must specify one of -f and -k");
    }
    let force = parsed.bool("force");
    // The delete flags' grace period defaults to -1; `--grace-period=0` becomes 1.
    let grace = parsed.int("grace-period").unwrap_or(-1);
    if grace >= 0 && !force {
        return plain_error("--grace-period must have --force specified");
    }
    let timeout = match parsed.get("timeout") {
        None => SimDuration::ZERO,
        Some(text) => match parse_duration_arg(text) {
            Some(d) => d,
            None => {
                return plain_error(&format!(
                    "invalid argument \"{text}\" for \"--timeout\" flag: time: invalid duration \"{text}\""
                ))
            }
        },
    };
    if timeout != SimDuration::ZERO && !force {
        return plain_error("--timeout must have --force specified");
    }
    let printing = match Printing::from(parsed) {
        Ok(p) => p,
        Err(out) => return out,
    };
    if force && printing.dry_run {
        return plain_error("--dry-run can not be used when --force is set");
    }
    if sources.iter().all(|s| s.is_empty()) {
        return plain_error("must specify --filename to replace");
    }
    let manifests = match read_manifests(client, parsed, stdin) {
        Ok(m) => m,
        Err(msg) => return plain_error(&msg.replace("to apply", "to replace")),
    };
    if !printing.dry_run {
        if let Err(out) = client.discover() {
            return out;
        }
    }
    let mut manifests_scoped = Vec::new();
    let mut out = Output::default();
    let mut errors = String::new();
    for manifest in manifests {
        match scoped(client, manifest) {
            Ok(m) => manifests_scoped.push(m),
            Err(msg) => {
                errors.push_str(&format!("error: {msg}\n"));
                out.code = 1;
            }
        }
    }
    if force {
        let wait = if timeout == SimDuration::ZERO {
            FORCE_WAIT
        } else {
            timeout
        };
        let grace = match grace {
            0 => Some(1),
            g if g > 0 => Some(g),
            _ => None,
        };
        return force_replace(
            client,
            manifests_scoped,
            &printing,
            grace,
            wait,
            out,
            errors,
        );
    }
    for manifest in manifests_scoped {
        match replace_one(client, &manifest, &printing) {
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

/// The manifest with its namespace settled as the builder settles it: the object's own
/// (refused when it contradicts an explicit `-n`), else the request's.
fn scoped(client: &Client<'_, '_>, mut manifest: Manifest) -> Result<Manifest, String> {
    if !manifest.resource.namespaced() {
        return Ok(manifest);
    }
    if let Some(ns) = manifest.namespace() {
        if client.explicit_namespace && ns != client.namespace {
            return Err(format!(
                "the namespace from the provided object \"{ns}\" does not match the namespace \"{}\". You must pass '--namespace={ns}' to perform this operation.",
                client.namespace
            ));
        }
        return Ok(manifest);
    }
    let namespace = Value::from(client.namespace.clone());
    match manifest
        .object
        .get_mut("metadata")
        .and_then(Value::as_object_mut)
    {
        Some(meta) => {
            meta.insert("namespace".into(), namespace);
        }
        None => {
            if let Some(map) = manifest.object.as_object_mut() {
                map.insert("metadata".into(), json!({ "namespace": namespace }));
            }
        }
    }
    Ok(manifest)
}

/// The namespace the object lives in ("" for cluster-scoped kinds).
fn namespace_of(manifest: &Manifest) -> String {
    if manifest.resource.namespaced() {
        manifest.namespace().unwrap_or_default().to_string()
    } else {
        String::new()
    }
}

/// `cmdutil.AddSourceToErr("replacing", ...)` around a server error: a status error's
/// message gains `error when replacing "FILE": `; an invalid object is worded from its
/// details, which the prefix does not reach.
fn replacing_error(client: &Client<'_, '_>, source: &str, err: ApiError) -> String {
    match err {
        ApiError::NotFound { .. }
        | ApiError::Conflict { .. }
        | ApiError::BadRequest { .. }
        | ApiError::Forbidden { .. } => format!(
            "Error from server ({}): error when replacing \"{source}\": {err}\n",
            err.reason()
        ),
        other => server_error(&client.conn, &other),
    }
}

/// One PUT. `Helper.Replace` with overwrite: an object without a resourceVersion takes the
/// stored one, so only a stale version given in the file conflicts.
fn replace_one(
    client: &mut Client<'_, '_>,
    manifest: &Manifest,
    printing: &Printing,
) -> Result<String, String> {
    let resource = manifest.resource;
    if printing.dry_run {
        return Ok(printing.line(client, resource, &manifest.object, "replaced"));
    }
    let key = ObjectKey::new(resource, &namespace_of(manifest), manifest.name());
    let mut object = manifest.object.clone();
    let given = object
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if given.is_empty() {
        // The helper's GET for the current version; a missing object is the server's 404.
        let Some(live) = client.api().store().get_value(&key) else {
            return Err(replacing_error(
                client,
                &manifest.source,
                ApiError::NotFound {
                    resource,
                    name: manifest.name().to_string(),
                },
            ));
        };
        let version = live
            .pointer("/metadata/resourceVersion")
            .cloned()
            .unwrap_or(Value::Null);
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("resourceVersion".into(), version);
        }
    }
    let result = client.world.cluster.requests().update(resource, &object);
    client.world.cluster.settle();
    match result {
        Ok(stored) => Ok(printing.line(client, resource, &stored, "replaced")),
        Err(err) => Err(replacing_error(client, &manifest.source, err)),
    }
}

/// `forceReplace`: delete every object (printing each deletion), wait for each to be gone,
/// then create them all again.
fn force_replace(
    client: &mut Client<'_, '_>,
    manifests: Vec<Manifest>,
    printing: &Printing,
    grace: Option<i64>,
    wait: SimDuration,
    mut out: Output,
    mut errors: String,
) -> Output {
    let fail = |mut out: Output, errors: &str, message: &str| {
        out.stderr_after_stdout(errors);
        out.stderr_after_stdout(message);
        out.code = 1;
        out
    };
    for manifest in &manifests {
        let namespace = namespace_of(manifest);
        let name = manifest.name();
        let options = DeleteOptions {
            grace_period_seconds: grace,
            precondition_uid: None,
        };
        let result =
            client
                .world
                .cluster
                .requests()
                .delete(manifest.resource, &namespace, name, &options);
        client.world.cluster.settle();
        match result {
            Ok(_) => out
                .stdout
                .push_str(&deleted_line(manifest.resource, &namespace, name)),
            // Replace creates what does not exist yet: a missing object is no error.
            Err(ApiError::NotFound { .. }) => (),
            Err(err) => return fail(out, &errors, &server_error(&client.conn, &err)),
        }
    }
    for manifest in &manifests {
        let key = ObjectKey::new(manifest.resource, &namespace_of(manifest), manifest.name());
        let limit = client.now() + wait;
        let gone = client.world.cluster.run_while(limit, |cluster| {
            cluster.api().store().get_value(&key).is_none()
        });
        if !gone {
            return fail(out, &errors, "error: timed out waiting for the condition\n");
        }
    }
    for manifest in &manifests {
        // The object is created as the file has it, without the old object's version.
        let mut object = manifest.object.clone();
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("resourceVersion");
        }
        match submit_create(client, manifest, object, false) {
            Ok(stored) => {
                out.stdout
                    .push_str(&printing.line(client, manifest.resource, &stored, "replaced"))
            }
            Err(text) => {
                // The first failed create ends the visit.
                errors.push_str(&text);
                return fail(out, &errors, "");
            }
        }
    }
    out.stderr_after_stdout(&errors);
    out
}

/// The delete printer's line: `pod "web" deleted from default namespace`.
fn deleted_line(resource: Resource, namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        format!("{} \"{name}\" deleted\n", kind_string(resource))
    } else {
        format!(
            "{} \"{name}\" deleted from {namespace} namespace\n",
            kind_string(resource)
        )
    }
}
