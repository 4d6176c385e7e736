//! `kubectl delete` (`staging/src/k8s.io/kubectl/pkg/cmd/delete/{delete,delete_flags}.go`
//! v1.34): objects by name, by `-l`, `--all` or `-f`; the grace period rules (`--now` is 1 s,
//! `--grace-period=0` without `--force` becomes 1, `--force` alone is 0 with a warning), and
//! the wait for each deleted object to disappear.
//!
//! The wait has no timeout of its own (`--timeout=0` means a week): in the browser's terminal
//! it is the foreground job until every object is gone or the learner presses Ctrl-C. A
//! script has no Ctrl-C: there the wait stops after the grace period plus [`WAIT_SLACK`] of
//! virtual time, as if interrupted at that instant (`^C`, status 130); that bound is a
//! simplification.
//!
//! `--dry-run=client|server` reads each object and prints `... deleted (dry run)` or
//! `(server dry run)` without deleting or waiting. Simplified: the server dry run is the
//! server's read of the object, not a delete request the server then discards.

use serde_json::Value;

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{label_query, plain_error, server_error, Client};
use super::manifest::read_all;
use super::objutil::{name, str_at, string_map};
use super::resources::{kind_string, parse_args, resolve_type, Selection};

use crate::apiserver::deletion::DeleteOptions;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::shell::follow::{Polled, POLL_EVERY};
use crate::shell::io::Output;
use crate::sim::{SimDuration, SimTime};

/// How long past the grace period kubectl keeps waiting for a deleted object.
pub const WAIT_SLACK: SimDuration = SimDuration::from_secs(60);

/// `kubectl delete`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "delete",
    usage: "kubectl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [options]",
    summary: "Delete resources by file names, stdin, resources and names, or by resources and label selector.",
    flags: &[
        flag("all", None, Kind::Bool, "Delete all resources, in the namespace of the specified resource types."),
        flag("all-namespaces", Some('A'), Kind::Bool, "If present, list the requested object(s) across all namespaces."),
        flag("filename", Some('f'), Kind::Strings, "containing the resource to delete."),
        flag("dry-run", None, Kind::Str, "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        flag("force", None, Kind::Bool, "If true, immediately remove resources from API and bypass graceful deletion."),
        flag("grace-period", None, Kind::Int, "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
        flag("ignore-not-found", None, Kind::Bool, "Treat \"resource not found\" as a successful delete."),
        flag("now", None, Kind::Bool, "If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
        flag("output", Some('o'), Kind::Str, "Output mode. Use \"-o name\" for shorter output (resource/name)."),
        flag("recursive", Some('R'), Kind::Bool, "Process the directory used in -f, --filename recursively."),
        flag("selector", Some('l'), Kind::Str, "Selector (label query) to filter on."),
        flag("wait", None, Kind::Bool, "If true, wait for resources to be gone before returning. This waits for finalizers."),
    ],
    unsupported: &[
        "cascade", "field-selector", "interactive", "i", "kustomize", "k", "raw",
        "timeout",
    ],
};

/// Runs `kubectl delete`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed, stdin: &str) -> Output {
    let grace = match grace_period(parsed) {
        Ok(g) => g,
        Err(out) => return out,
    };
    if let Some(o) = parsed.get("output").filter(|o| *o != "name") {
        return plain_error(&format!(
            "unexpected -o output mode: {o}. We only support '-o name'"
        ));
    }
    let dry_run = match parsed.get("dry-run").unwrap_or("none") {
        "none" => "",
        "client" => " (dry run)",
        "server" => " (server dry run)",
        other => {
            return plain_error(&format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            ))
        }
    };
    let targets = match targets(client, parsed, stdin) {
        Ok(t) => t,
        Err(out) => return out,
    };
    let mut out = Output::default();
    if grace == Some(0) {
        out.stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    let Some(targets) = targets else {
        out.stderr.push_str("No resources found\n");
        return out;
    };
    let wait = !parsed.has("wait") || parsed.bool("wait");
    let mut waiting: Vec<(Resource, String, String, String, i64)> = Vec::new();
    // Errors are collected and printed after the objects that were deleted.
    let mut errors = String::new();
    if !dry_run.is_empty() {
        // The builder has read each named object; nothing is deleted and nothing waited for.
        for (resource, namespace, wanted) in targets {
            match client.api().get_value(resource, &namespace, &wanted) {
                Ok(_) => {
                    let line =
                        deleted_line(parsed, resource, &namespace, &wanted, grace == Some(0));
                    out.stdout.push_str(&match parsed.get("output") {
                        Some("name") => line,
                        _ => format!("{}{dry_run}\n", line.trim_end()),
                    });
                }
                Err(err) if parsed.bool("ignore-not-found") && err.reason() == "NotFound" => (),
                Err(err) => {
                    errors.push_str(&server_error(&client.conn, &err));
                    out.code = 1;
                }
            }
        }
        out.stderr_after_stdout(&errors);
        return out;
    }
    for (resource, namespace, wanted) in targets {
        let options = DeleteOptions {
            grace_period_seconds: grace,
            precondition_uid: None,
        };
        let result = client
            .world
            .cluster
            .requests()
            .delete(resource, &namespace, &wanted, &options);
        client.world.cluster.settle();
        match result {
            Ok(outcome) => {
                let obj = outcome.object();
                out.stdout.push_str(&deleted_line(
                    parsed,
                    resource,
                    &namespace,
                    &wanted,
                    grace == Some(0),
                ));
                if !outcome.is_removed() {
                    let uid = str_at(obj, &["metadata", "uid"]).to_string();
                    let seconds = obj
                        .pointer("/metadata/deletionGracePeriodSeconds")
                        .and_then(Value::as_i64)
                        .unwrap_or(0);
                    waiting.push((resource, namespace.clone(), wanted.clone(), uid, seconds));
                }
            }
            Err(err) if parsed.bool("ignore-not-found") && err.reason() == "NotFound" => (),
            Err(err) => {
                errors.push_str(&server_error(&client.conn, &err));
                out.code = 1;
            }
        }
    }
    out.stderr_after_stdout(&errors);
    if !wait {
        return out;
    }
    let gone_now = |client: &Client<'_, '_>, w: &Waiting| gone(client.world.cluster, w);
    let waiting: Vec<Waiting> = waiting
        .into_iter()
        .map(|(resource, namespace, name, uid, seconds)| Waiting {
            resource,
            namespace,
            name,
            uid,
            seconds,
        })
        .filter(|w| !gone_now(client, w))
        .collect();
    if waiting.is_empty() {
        return out;
    }
    if client.world.foreground.is_some() {
        let follow = DeleteWait {
            waiting,
            next: client.now() + POLL_EVERY,
        };
        return client.world.follow(follow, out, None);
    }
    for w in &waiting {
        if !wait_gone(client, w) {
            // The script's stand-in for Ctrl-C: the terminal echoes ^C, bash reports SIGINT.
            out.stderr_after_stdout("^C\n");
            out.code = 130;
            return out;
        }
    }
    out
}

/// A deleted object kubectl waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    resource: Resource,
    namespace: String,
    name: String,
    uid: String,
    /// Its grace period.
    seconds: i64,
}

/// `kubectl delete` waiting in the terminal's foreground for its objects to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteWait {
    waiting: Vec<Waiting>,
    /// The next look at the store.
    pub next: SimTime,
}

impl DeleteWait {
    /// Drops the objects that are gone; done (status 0) when none is left.
    pub fn poll(&mut self, cluster: &crate::cluster::Cluster) -> Polled {
        self.next += POLL_EVERY;
        self.waiting.retain(|w| !gone(cluster, w));
        Polled {
            done: self.waiting.is_empty().then_some(0),
            ..Polled::quiet()
        }
    }
}

/// Whether the object is gone (or replaced by another with its name).
fn gone(cluster: &crate::cluster::Cluster, w: &Waiting) -> bool {
    let key = ObjectKey::new(w.resource, &w.namespace, &w.name);
    cluster
        .api()
        .store()
        .get_value(&key)
        .is_none_or(|o| str_at(o, &["metadata", "uid"]) != w.uid)
}

/// `--grace-period`, `--now` and `--force` combined as `DeleteFlags.ToOptions` and
/// `DeleteOptions.Complete` combine them.
fn grace_period(parsed: &Parsed) -> Result<Option<i64>, Output> {
    let mut grace = parsed.int("grace-period").unwrap_or(-1);
    if parsed.bool("now") {
        if grace != -1 {
            return Err(plain_error(
                "--now and --grace-period cannot be specified together",
            ));
        }
        grace = 1;
    }
    let force = parsed.bool("force");
    if grace == 0 && !force {
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    Ok((grace >= 0).then_some(grace))
}

/// What to delete: `(resource, namespace, name)`; `None` when a selector or `--all` matched
/// nothing. The error is kubectl's whole output.
#[allow(clippy::type_complexity)]
fn targets(
    client: &mut Client<'_, '_>,
    parsed: &Parsed,
    stdin: &str,
) -> Result<Option<Vec<(Resource, String, String)>>, Output> {
    let files = parsed.all("filename");
    if !files.is_empty() {
        let host = client.world.host;
        let fs = &client.world.cluster.host(host).node.fs;
        let manifests = read_all(
            fs,
            client.world.cwd,
            stdin,
            &files,
            parsed.bool("recursive"),
        )
        .map_err(|msg| plain_error(&msg))?;
        client.discover()?;
        return Ok(Some(
            manifests
                .iter()
                .map(|m| {
                    let ns = if m.resource.namespaced() {
                        m.namespace().unwrap_or(&client.namespace).to_string()
                    } else {
                        String::new()
                    };
                    (m.resource, ns, m.name().to_string())
                })
                .collect(),
        ));
    }
    let selection = match parse_args(&parsed.args).map_err(|m| plain_error(&m))? {
        Some(s) => s,
        None => {
            return Err(Output::err(
                "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
                1,
            ))
        }
    };
    client.discover()?;
    let scope = |client: &Client<'_, '_>, resource: Resource| {
        if resource.namespaced() {
            client.namespace.clone()
        } else {
            String::new()
        }
    };
    match selection {
        Selection::Pairs(pairs) => {
            let mut out = Vec::new();
            for (typed, wanted) in pairs {
                let resource = resolve_type(&typed).map_err(|m| plain_error(&m))?;
                out.push((resource, scope(client, resource), wanted));
            }
            Ok(Some(out))
        }
        Selection::Types { types, names } => {
            let resources: Vec<Resource> = types
                .iter()
                .map(|t| resolve_type(t))
                .collect::<Result<_, _>>()
                .map_err(|m| plain_error(&m))?;
            let query = label_query(parsed, resources.first().copied().unwrap_or(Resource::Pods))?;
            if !names.is_empty() {
                if query.is_some() || parsed.bool("all") {
                    return Err(plain_error(
                        "name cannot be provided when a selector is specified",
                    ));
                }
                return Ok(Some(
                    resources
                        .iter()
                        .flat_map(|r| names.iter().map(|n| (*r, scope(client, *r), n.clone())))
                        .collect(),
                ));
            }
            if query.is_none() && !parsed.bool("all") {
                return Err(plain_error(
                    "resource(s) were provided, but no name was specified",
                ));
            }
            let all_ns = parsed.bool("all-namespaces");
            let mut out = Vec::new();
            for resource in resources {
                let ns = (!all_ns).then(|| client.namespace.clone());
                let objects = client
                    .list(resource, ns.as_deref())
                    .map_err(|err| Output::err(server_error(&client.conn, &err), 1))?;
                for obj in objects {
                    if query
                        .as_ref()
                        .is_none_or(|q| q.matches(&string_map(&obj, &["metadata", "labels"])))
                    {
                        let namespace = super::objutil::namespace(&obj).to_string();
                        out.push((resource, namespace, name(&obj).to_string()));
                    }
                }
            }
            Ok((!out.is_empty()).then_some(out))
        }
    }
}

/// `pod "web" deleted from default namespace`, or `pod/web` with `-o name`.
fn deleted_line(
    parsed: &Parsed,
    resource: Resource,
    namespace: &str,
    wanted: &str,
    forced: bool,
) -> String {
    if parsed.get("output") == Some("name") {
        return format!("{}/{wanted}\n", kind_string(resource));
    }
    let verb = if forced { "force deleted" } else { "deleted" };
    if namespace.is_empty() {
        format!("{} \"{wanted}\" {verb}\n", kind_string(resource))
    } else {
        format!(
            "{} \"{wanted}\" {verb} from {namespace} namespace\n",
            kind_string(resource)
        )
    }
}

/// Runs the cluster until the object is gone; false when the script's bound came first.
fn wait_gone(client: &mut Client<'_, '_>, w: &Waiting) -> bool {
    let limit =
        client.now() + SimDuration::from_secs(u64::try_from(w.seconds).unwrap_or(0)) + WAIT_SLACK;
    let w = w.clone();
    client
        .world
        .cluster
        .run_while(limit, move |cluster| gone(cluster, &w))
}

#[cfg(test)]
mod tests {
    use super::super::cli::parse;
    use super::*;

    fn grace(args: &str) -> Result<Option<i64>, String> {
        let argv: Vec<String> = args.split_whitespace().map(String::from).collect();
        let parsed = parse(&argv, &SPEC).unwrap();
        grace_period(&parsed).map_err(|out| out.stderr)
    }

    #[test]
    fn grace_period_rules_follow_delete_flags() {
        assert_eq!(grace("pod web"), Ok(None));
        assert_eq!(grace("pod web --now"), Ok(Some(1)));
        // --grace-period=0 without --force is turned into 1 to avoid accidental force deletion.
        assert_eq!(grace("pod web --grace-period=0"), Ok(Some(1)));
        assert_eq!(grace("pod web --force"), Ok(Some(0)));
        assert_eq!(grace("pod web --force --grace-period=0"), Ok(Some(0)));
        assert_eq!(grace("pod web --force --grace-period=7"), Ok(Some(7)));
        assert_eq!(
            grace("pod web --now --grace-period=3"),
            Err("error: --now and --grace-period cannot be specified together\n".to_string())
        );
    }
}
