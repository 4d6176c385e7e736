//! `kubectl wait` (`staging/src/k8s.io/kubectl/pkg/cmd/wait/{wait,condition,delete}.go`
//! v1.34): `--for=condition=TYPE[=STATUS]` or `--for=delete` on objects by name, up to
//! `--timeout` (30 s by default). Each object is reported `condition met`; the first that
//! does not make it in time ends the command with `timed out waiting for the condition`.
//!
//! As `kubectl delete`'s wait, it is the terminal's foreground job in the browser (virtual
//! time runs while it waits; Ctrl-C stops it) and a script runs the cluster up to the
//! timeout (at most one virtual day, as `sleep`). Simplified: the objects are looked at once per virtual second instead of being
//! watched; `--for=jsonpath=`, `--for=create`, `-l` and `--all` are not offered, and an object
//! that is already gone when `--for=delete` starts counts as deleted without a line.

use serde_json::Value;

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, server_error, Client};
use super::objutil::{array_at, str_at};
use super::resources::{kind_name, resolve_type};

use crate::apiserver::store::{ObjectKey, Resource};
use crate::cluster::Cluster;
use crate::shell::commands::sleep::MAX_SLEEP;
use crate::shell::follow::{Polled, POLL_EVERY};
use crate::shell::io::Output;
use crate::sim::time::parse_go_duration;
use crate::sim::{SimDuration, SimTime};

/// `kubectl wait`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "wait",
    usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]",
    summary: "Experimental: Wait for a specific condition on one or many resources",
    flags: &[
        flag("for", None, Kind::Str, "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity."),
        flag("timeout", None, Kind::Str, "The length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week."),
    ],
    unsupported: &[
        "all", "all-namespaces", "A", "allow-missing-template-keys", "field-selector", "filename",
        "f", "local", "output", "o", "recursive", "R", "selector", "l", "show-managed-fields",
        "template",
    ],
};

/// What is waited for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Condition {
    /// `condition=TYPE=STATUS` (compared case-insensitively).
    Status(String, String),
    /// `delete`: the object (with its UID) is gone.
    Delete,
}

/// One object waited for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    resource: Resource,
    namespace: String,
    name: String,
    uid: String,
}

/// `kubectl wait` waiting for its objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitFor {
    condition: Condition,
    targets: Vec<Target>,
    /// When the command gives up.
    deadline: SimTime,
    /// The next look at the store.
    pub next: SimTime,
}

/// Runs `kubectl wait`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let condition = match parse_condition(parsed.get("for").unwrap_or("")) {
        Ok(c) => c,
        Err(msg) => return plain_error(&msg),
    };
    let timeout = match parsed.get("timeout") {
        None => SimDuration::from_secs(30),
        Some(t) if t.starts_with('-') => SimDuration::from_secs(7 * 24 * 3600),
        Some(t) => match parse_go_duration(t) {
            Ok(d) => d,
            Err(why) => {
                return Output::err(
                    format!("error: invalid argument \"{t}\" for \"--timeout\" flag: {why}\nSee 'kubectl wait --help' for usage.\n"),
                    1,
                )
            }
        },
    };
    let mut names: Vec<(String, String)> = Vec::new();
    let mut typed_first: Option<&str> = None;
    for arg in &parsed.args {
        match (arg.split_once('/'), typed_first) {
            (Some((t, n)), _) => names.push((t.to_string(), n.to_string())),
            (None, None) => typed_first = Some(arg),
            (None, Some(t)) => names.push((t.to_string(), arg.clone())),
        }
    }
    if names.is_empty() {
        if typed_first.is_some() {
            return plain_error("resource(s) were provided, but no name was specified");
        }
        return Output::err(
            "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
            1,
        );
    }
    if let Err(out) = client.discover() {
        return out;
    }
    let mut targets = Vec::new();
    for (typed, wanted) in names {
        let resource = match resolve_type(&typed) {
            Ok(r) => r,
            Err(msg) => return plain_error(&msg),
        };
        match client.get(resource, &wanted) {
            Ok(obj) => targets.push(Target {
                resource,
                namespace: client.scope(resource).unwrap_or("").to_string(),
                name: wanted,
                uid: str_at(&obj, &["metadata", "uid"]).to_string(),
            }),
            Err(err) if err.reason() == "NotFound" && condition == Condition::Delete => (),
            Err(err) => return Output::err(server_error(&client.conn, &err), 1),
        }
    }
    let now = client.now();
    let mut wait = WaitFor {
        condition,
        targets,
        deadline: now + timeout,
        next: now,
    };
    let first = wait.poll(client.world.cluster);
    let mut out = first.out;
    if let Some(code) = first.done {
        out.code = code;
        return out;
    }
    // A script waits at most a virtual day, as `sleep` does, so a long time-out cannot stall
    // the page.
    let bound = (timeout + POLL_EVERY).min(MAX_SLEEP);
    client.world.follow(wait, out, Some(bound))
}

/// `conditionFuncFor`.
fn parse_condition(text: &str) -> Result<Condition, String> {
    if text.eq_ignore_ascii_case("delete") {
        return Ok(Condition::Delete);
    }
    if let Some(rest) = text.strip_prefix("condition=") {
        let (kind, status) = rest.split_once('=').unwrap_or((rest, "true"));
        return Ok(Condition::Status(kind.to_string(), status.to_string()));
    }
    Err(format!("unrecognized condition: \"{text}\""))
}

impl WaitFor {
    /// Reports the objects whose condition is met, in order; done when all are, or with the
    /// time-out error when the deadline passed.
    pub fn poll(&mut self, cluster: &Cluster) -> Polled {
        let at = self.next;
        self.next += POLL_EVERY;
        let mut out = Output::default();
        while let Some(target) = self.targets.first() {
            if !self.met(cluster, target) {
                break;
            }
            if self.condition != Condition::Delete || !target.uid.is_empty() {
                out.stdout.push_str(&format!(
                    "{} condition met\n",
                    kind_name(target.resource, &target.name)
                ));
            }
            self.targets.remove(0);
        }
        let done = match self.targets.first() {
            None => Some(0),
            Some(target) if at >= self.deadline => {
                out.stderr_after_stdout(&format!(
                    "error: timed out waiting for the condition on {}/{}\n",
                    target.resource.plural(),
                    target.name
                ));
                Some(1)
            }
            Some(_) => None,
        };
        Polled {
            out,
            done,
            ..Polled::quiet()
        }
    }

    fn met(&self, cluster: &Cluster, target: &Target) -> bool {
        let key = ObjectKey::new(target.resource, &target.namespace, &target.name);
        let obj = cluster.api().store().get_value(&key);
        match &self.condition {
            Condition::Delete => obj.is_none_or(|o| str_at(o, &["metadata", "uid"]) != target.uid),
            Condition::Status(kind, status) => obj.is_some_and(|o| has_condition(o, kind, status)),
        }
    }
}

/// Whether `status.conditions` holds `kind` with `status` (both case-insensitive).
fn has_condition(obj: &Value, kind: &str, status: &str) -> bool {
    array_at(obj, &["status", "conditions"]).iter().any(|c| {
        str_at(c, &["type"]).eq_ignore_ascii_case(kind)
            && str_at(c, &["status"]).eq_ignore_ascii_case(status)
    })
}
