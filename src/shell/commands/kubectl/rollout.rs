//! `kubectl rollout status|history|undo|restart` for Deployments
//! (`staging/src/k8s.io/kubectl/pkg/cmd/rollout/` and `polymorphichelpers/{rollout_status,
//! history,rollback,objectrestarter}.go` v1.34).
//!
//! `status` prints each new state of the rollout (`Waiting for deployment "web" rollout to
//! finish: 1 out of 3 new replicas have been updated...`) until `successfully rolled out`,
//! the progress deadline's error or `--timeout`. As `kubectl wait` it is the terminal's
//! foreground job in the browser (Ctrl-C stops it); a script runs the cluster up to
//! `--timeout`, or [`SCRIPT_LIMIT`] without one. `history` lists the revisions of the
//! Deployment's ReplicaSets with their change causes; `undo` copies an older ReplicaSet's
//! template back (the previous revision by default); `restart` stamps the template with
//! `kubectl.kubernetes.io/restartedAt`. Every change goes through the server's update.
//!
//! Simplified: only Deployments (not DaemonSets or StatefulSets); `status` looks once per
//! virtual second instead of watching, and a script without `--timeout` stops after
//! [`SCRIPT_LIMIT`] (past the default progress deadline) as if interrupted; `history
//! --revision`, `pause`, `resume`, `-l`, `-f` and `--dry-run` are not available.

use serde_json::Value;

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, server_error, Client};
use super::objutil::{array_at, str_at};
use super::resources::{kind_name, resolve_type};
use crate::apiserver::controllers::deployment::{
    ANNOTATIONS_TO_SKIP, REVISION_ANNOTATION as REVISION,
};
use crate::apiserver::store::{ObjectKey, Resource};
use crate::cluster::Cluster;
use crate::shell::commands::sleep::MAX_SLEEP;
use crate::shell::follow::{Polled, POLL_EVERY};
use crate::shell::io::Output;
use crate::sim::time::parse_go_duration;
use crate::sim::{SimDuration, SimTime};

/// How long a script's `rollout status` without `--timeout` follows the rollout.
pub const SCRIPT_LIMIT: SimDuration = SimDuration::from_secs(15 * 60);

/// The annotation `kubectl rollout history` shows.
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
/// The annotation `kubectl rollout restart` sets on the pod template.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// `kubectl rollout`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "rollout",
    usage: "kubectl rollout SUBCOMMAND (TYPE NAME | TYPE/NAME) [flags]",
    summary: "Manage the rollout of a resource",
    flags: &[
        flag("timeout", None, Kind::Str, "The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h)."),
        flag("watch", Some('w'), Kind::Bool, "Watch the status of the rollout until it's done."),
        flag("to-revision", None, Kind::Int, "The revision to rollback to. Default to 0 (last revision)."),
    ],
    unsupported: &[
        "revision", "selector", "l", "filename", "f", "dry-run", "output", "o", "recursive", "R",
    ],
};

/// Runs `kubectl rollout`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let Some((sub, args)) = parsed.args.split_first() else {
        return Output::ok("Manage the rollout of one or many resources.\n\nAvailable Commands in this playground:\n  history       View rollout history\n  restart       Restart a resource\n  status        Show the status of the rollout\n  undo          Undo a previous rollout\n\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n\nUse \"kubectl rollout <command> --help\" for more information about a given command.\n".to_string());
    };
    let sub = sub.as_str();
    if matches!(sub, "pause" | "resume") {
        return plain_error(&format!(
            "\"kubectl rollout {sub}\" is not available in this playground; the emulated subcommands are: history, restart, status, undo"
        ));
    }
    if !matches!(sub, "status" | "history" | "undo" | "restart") {
        return Output::err(
            format!("error: unknown command \"{sub}\" for \"kubectl rollout\"\nRun 'kubectl rollout --help' for usage.\n"),
            1,
        );
    }
    let target = match args {
        [one] => one
            .split_once('/')
            .map(|(t, n)| (t.to_string(), n.to_string())),
        [typed, wanted] if !typed.contains('/') => Some((typed.clone(), wanted.clone())),
        _ => None,
    };
    let Some((typed, wanted)) = target else {
        if let [typed] = args {
            if !typed.contains('/') {
                return plain_error("resource(s) were provided, but no name was specified");
            }
        }
        return Output::err(
            format!("error: required resource not specified\nSee 'kubectl rollout {sub} -h' for help and examples\n"),
            1,
        );
    };
    let timeout = match parsed.get("timeout") {
        None => None,
        Some(t) => match parse_go_duration(t) {
            Ok(d) if d.as_millis() == 0 => None,
            Ok(d) => Some(d),
            Err(why) => {
                return Output::err(
                    format!("error: invalid argument \"{t}\" for \"--timeout\" flag: {why}\nSee 'kubectl rollout {sub} --help' for usage.\n"),
                    1,
                )
            }
        },
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let resource = match resolve_type(&typed) {
        Ok(r) => r,
        Err(message) => return plain_error(&message),
    };
    let deployment = match client.get(resource, &wanted) {
        Ok(object) => object,
        Err(err) => return Output::err(server_error(&client.conn, &err), 1),
    };
    if resource != Resource::Deployments {
        let kind = match resource {
            Resource::DaemonSets => "DaemonSet",
            _ => resource.kind(),
        };
        return plain_error(&format!(
            "no {} has been implemented for \"apps/v1, Kind={kind}\" in this playground; only deployments are",
            match sub {
                "status" => "status viewer",
                "history" => "history viewer",
                "undo" => "rollbacker",
                _ => "restarter",
            }
        ));
    }
    match sub {
        "status" => status(client, parsed, &deployment, timeout),
        "history" => Output::ok(history(client, &deployment)),
        "undo" => undo(client, parsed, deployment),
        _ => restart(client, deployment),
    }
}

/// `rollout status`: the first state now, then a follow.
fn status(
    client: &mut Client<'_, '_>,
    parsed: &Parsed,
    deployment: &Value,
    timeout: Option<SimDuration>,
) -> Output {
    let now = client.now();
    let mut follow = RolloutStatus {
        key: ObjectKey::new(
            Resource::Deployments,
            str_at(deployment, &["metadata", "namespace"]),
            str_at(deployment, &["metadata", "name"]),
        ),
        uid: str_at(deployment, &["metadata", "uid"]).to_string(),
        last: String::new(),
        watch: !parsed.has("watch") || parsed.bool("watch"),
        deadline: timeout.map(|t| now + t),
        next: now,
    };
    let first = follow.poll(client.world.cluster);
    let mut out = first.out;
    if let Some(code) = first.done {
        out.code = code;
        return out;
    }
    let bound = timeout.map_or(SCRIPT_LIMIT, |t| (t + POLL_EVERY).min(MAX_SLEEP));
    client.world.follow(follow, out, Some(bound))
}

/// `kubectl rollout status` following a Deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutStatus {
    key: ObjectKey,
    uid: String,
    /// The last line printed; a line is printed only when it changes.
    last: String,
    /// `--watch` (on by default); without it the first answer is the only one.
    watch: bool,
    deadline: Option<SimTime>,
    /// When to look next.
    pub next: SimTime,
}

impl RolloutStatus {
    /// Looks at the Deployment: a new state is printed; done when rolled out, failed or out
    /// of time.
    pub fn poll(&mut self, cluster: &Cluster) -> Polled {
        let at = self.next;
        self.next += POLL_EVERY;
        let mut out = Output::default();
        let found = cluster
            .api()
            .store()
            .get_value(&self.key)
            .filter(|d| str_at(d, &["metadata", "uid"]) == self.uid);
        let Some(deployment) = found else {
            out.stderr.push_str("error: object has been deleted\n");
            return Polled {
                out,
                done: Some(1),
                ..Polled::quiet()
            };
        };
        let done = match deployment_status(deployment) {
            Err(message) => {
                out.stderr_after_stdout(&format!("error: {message}\n"));
                Some(1)
            }
            Ok((line, finished)) => {
                if line != self.last {
                    out.stdout.push_str(&line);
                    self.last = line;
                }
                // Without `--watch` the first answer is the only one.
                if finished || !self.watch {
                    Some(0)
                } else if self.deadline.is_some_and(|d| at >= d) {
                    out.stderr_after_stdout("error: timed out waiting for the condition\n");
                    Some(1)
                } else {
                    None
                }
            }
        };
        Polled {
            out,
            done,
            ..Polled::quiet()
        }
    }
}

/// `DeploymentStatusViewer.Status`: the line to print and whether the rollout is done, or
/// the progress deadline's error.
fn deployment_status(d: &Value) -> Result<(String, bool), String> {
    let name = str_at(d, &["metadata", "name"]);
    let int = |path: &str| d.pointer(path).and_then(Value::as_i64).unwrap_or(0);
    if int("/metadata/generation") > int("/status/observedGeneration") {
        return Ok((
            "Waiting for deployment spec update to be observed...\n".to_string(),
            false,
        ));
    }
    let timed_out = array_at(d, &["status", "conditions"]).iter().any(|c| {
        str_at(c, &["type"]) == "Progressing"
            && str_at(c, &["reason"]) == "ProgressDeadlineExceeded"
    });
    if timed_out {
        return Err(format!(
            "deployment \"{name}\" exceeded its progress deadline"
        ));
    }
    let wanted = d
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let updated = int("/status/updatedReplicas");
    let replicas = int("/status/replicas");
    let available = int("/status/availableReplicas");
    let waiting = |what: String| {
        Ok((
            format!("Waiting for deployment \"{name}\" rollout to finish: {what}...\n"),
            false,
        ))
    };
    if updated < wanted {
        return waiting(format!(
            "{updated} out of {wanted} new replicas have been updated"
        ));
    }
    if replicas > updated {
        return waiting(format!(
            "{} old replicas are pending termination",
            replicas - updated
        ));
    }
    if available < updated {
        return waiting(format!(
            "{available} of {updated} updated replicas are available"
        ));
    }
    Ok((
        format!("deployment \"{name}\" successfully rolled out\n"),
        true,
    ))
}

/// The Deployment's ReplicaSets (those it controls) with their revisions, oldest first.
fn revisions(client: &Client<'_, '_>, deployment: &Value) -> Vec<(i64, Value)> {
    let uid = str_at(deployment, &["metadata", "uid"]);
    let namespace = str_at(deployment, &["metadata", "namespace"]);
    let mut found: Vec<(i64, Value)> = client
        .list(Resource::ReplicaSets, Some(namespace))
        .unwrap_or_default()
        .into_iter()
        .filter(|rs| {
            array_at(rs, &["metadata", "ownerReferences"])
                .iter()
                .any(|o| {
                    str_at(o, &["uid"]) == uid && o.get("controller") == Some(&Value::Bool(true))
                })
        })
        .filter_map(|rs| {
            let revision = str_at(&rs, &["metadata", "annotations", REVISION])
                .parse()
                .ok()?;
            Some((revision, rs))
        })
        .collect();
    found.sort_by_key(|(revision, _)| *revision);
    found
}

/// `rollout history`: `deployment.apps/NAME ` and the revision table.
fn history(client: &Client<'_, '_>, deployment: &Value) -> String {
    let mut table = String::from("REVISION  CHANGE-CAUSE\n");
    for (revision, rs) in revisions(client, deployment) {
        let cause = str_at(&rs, &["metadata", "annotations", CHANGE_CAUSE]);
        let cause = if cause.is_empty() { "<none>" } else { cause };
        table.push_str(&format!("{revision:<8}  {cause}\n"));
    }
    format!(
        "{} \n{table}\n",
        kind_name(
            Resource::Deployments,
            str_at(deployment, &["metadata", "name"])
        )
    )
}

/// `rollout undo [--to-revision=N]`: `DeploymentRollbacker.Rollback`.
fn undo(client: &mut Client<'_, '_>, parsed: &Parsed, mut deployment: Value) -> Output {
    let name = str_at(&deployment, &["metadata", "name"]).to_string();
    let to_revision = parsed.int("to-revision").unwrap_or(0);
    if to_revision < 0 {
        return plain_error(&format!(
            "unable to find specified revision {to_revision} in history"
        ));
    }
    let history = revisions(client, &deployment);
    let chosen = if to_revision == 0 {
        if history.len() < 2 {
            return plain_error(&format!(
                "no rollout history found for deployment \"{name}\""
            ));
        }
        history[history.len() - 2].clone()
    } else {
        match history.iter().find(|(r, _)| *r == to_revision) {
            Some(found) => found.clone(),
            None => {
                return plain_error(&format!(
                    "unable to find specified revision {to_revision} in history"
                ))
            }
        }
    };
    let (revision, rs) = chosen;
    let mut template = rs.pointer("/spec/template").cloned().unwrap_or(Value::Null);
    if let Some(labels) = template
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove("pod-template-hash");
    }
    let object_ref = kind_name(Resource::Deployments, &name);
    if deployment.pointer("/spec/template") == Some(&template) {
        return Output::ok(format!(
            "{object_ref} skipped rollback (current template already matches revision {revision})\n"
        ));
    }
    deployment["spec"]["template"] = template;
    deployment["metadata"]["annotations"] = rollback_annotations(&deployment, &rs);
    write(client, &deployment, &format!("{object_ref} rolled back\n"))
}

/// The Deployment's annotations after a rollback: its own controller-kept ones
/// (`annotationsToSkip`) and every other annotation from the revision's ReplicaSet, so a
/// change cause comes back with its template and the Deployment's later ones go.
fn rollback_annotations(deployment: &Value, rs: &Value) -> Value {
    let mut annotations = serde_json::Map::new();
    let own = deployment
        .pointer("/metadata/annotations")
        .and_then(Value::as_object);
    for (key, value) in own.into_iter().flatten() {
        if ANNOTATIONS_TO_SKIP.contains(&key.as_str()) {
            annotations.insert(key.clone(), value.clone());
        }
    }
    let from_rs = rs
        .pointer("/metadata/annotations")
        .and_then(Value::as_object);
    for (key, value) in from_rs.into_iter().flatten() {
        if !ANNOTATIONS_TO_SKIP.contains(&key.as_str()) {
            annotations.insert(key.clone(), value.clone());
        }
    }
    Value::Object(annotations)
}

/// `rollout restart`: the restartedAt stamp on the pod template.
fn restart(client: &mut Client<'_, '_>, mut deployment: Value) -> Output {
    let object_ref = kind_name(
        Resource::Deployments,
        str_at(&deployment, &["metadata", "name"]),
    );
    let stamp = crate::sim::wallclock::rfc3339(client.now());
    let annotations = deployment
        .pointer_mut("/spec/template/metadata")
        .and_then(Value::as_object_mut)
        .map(|meta| {
            meta.entry("annotations")
                .or_insert_with(|| Value::Object(Default::default()))
        });
    if let Some(Value::Object(map)) = annotations {
        map.insert(RESTARTED_AT.into(), Value::from(stamp));
    }
    write(client, &deployment, &format!("{object_ref} restarted\n"))
}

/// The server's update of `deployment`, then `message`.
fn write(client: &mut Client<'_, '_>, deployment: &Value, message: &str) -> Output {
    let result = client
        .world
        .cluster
        .requests()
        .update(Resource::Deployments, deployment);
    client.world.cluster.settle();
    match result {
        Ok(_) => Output::ok(message.to_string()),
        Err(err) => Output::err(server_error(&client.conn, &err), 1),
    }
}
