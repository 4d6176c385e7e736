//! `kubectl cordon`, `uncordon` and `drain` (`staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go`
//! and `staging/src/k8s.io/kubectl/pkg/drain/{drain,filters,cordon}.go` v1.34): cordoning sets
//! the node's `spec.unschedulable`; a drain cordons, runs every pod of the node through
//! upstream's filters (mirror pods are skipped, DaemonSet-managed pods refused without
//! `--ignore-daemonsets` and never evicted, emptyDir pods refused without
//! `--delete-emptydir-data`, pods without a controller refused without `--force`), evicts the
//! rest and waits for them to go.
//!
//! Simplified: an eviction is the pod's graceful delete (there are no PodDisruptionBudgets to
//! consult). Where upstream iterates Go maps (the grouped errors and warnings) the order here
//! is the filters' order. The wait has no end of its own (`--timeout` is not offered): in the
//! browser it is the foreground job until the pods are gone or Ctrl-C; a script stops waiting
//! after the longest grace period plus [`super::delete::WAIT_SLACK`].

use serde_json::Value;

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, server_error, usage_error, Client};
use super::delete::WAIT_SLACK;
use super::objutil::{array_at, controller_of, name, namespace, str_at};

use crate::apiserver::deletion::DeleteOptions;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::cluster::Cluster;
use crate::shell::commands::sleep::MAX_SLEEP;
use crate::shell::follow::{Polled, POLL_EVERY};
use crate::shell::io::Output;
use crate::sim::{SimDuration, SimTime};

/// The annotation a mirror pod carries (`corev1.MirrorPodAnnotationKey`).
const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

const DAEMONSET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
const UNMANAGED_FATAL: &str =
    "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";

/// `kubectl cordon`.
pub const CORDON: CommandSpec = CommandSpec {
    name: "cordon",
    usage: "kubectl cordon NODE",
    summary: "Mark node as unschedulable",
    flags: &[],
    unsupported: &["dry-run", "selector", "l"],
};

/// `kubectl uncordon`.
pub const UNCORDON: CommandSpec = CommandSpec {
    name: "uncordon",
    usage: "kubectl uncordon NODE",
    summary: "Mark node as schedulable",
    flags: &[],
    unsupported: &["dry-run", "selector", "l"],
};

/// `kubectl drain`.
pub const DRAIN: CommandSpec = CommandSpec {
    name: "drain",
    usage: "kubectl drain NODE",
    summary: "Drain node in preparation for maintenance",
    flags: &[
        flag("delete-emptydir-data", None, Kind::Bool, "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)."),
        flag("delete-local-data", None, Kind::Bool, "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)."),
        flag("disable-eviction", None, Kind::Bool, "Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution."),
        flag("force", None, Kind::Bool, "Continue even if there are pods not managed by a ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet."),
        flag("grace-period", None, Kind::Int, "Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used."),
        flag("ignore-daemonsets", None, Kind::Bool, "Ignore DaemonSet-managed pods."),
    ],
    unsupported: &[
        "chunk-size", "dry-run", "ignore-errors", "pod-selector", "selector", "l",
        "skip-wait-for-delete-timeout", "timeout",
    ],
};

/// Runs `kubectl cordon`.
pub fn cordon(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let mut out = Output::default();
    match nodes(client, parsed, "cordon") {
        Ok(nodes) => set_unschedulable(client, &nodes, true, &mut out),
        Err(err) => return err,
    }
    out
}

/// Runs `kubectl uncordon`.
pub fn uncordon(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let mut out = Output::default();
    match nodes(client, parsed, "uncordon") {
        Ok(nodes) => set_unschedulable(client, &nodes, false, &mut out),
        Err(err) => return err,
    }
    out
}

/// The nodes named on the command line, fetched (`Complete` with its builder); the error is
/// kubectl's whole output.
fn nodes(client: &Client<'_, '_>, parsed: &Parsed, command: &str) -> Result<Vec<Value>, Output> {
    if parsed.args.is_empty() {
        return Err(usage_error(
            command,
            &format!("USAGE: {command} NODE [flags]"),
        ));
    }
    client.discover()?;
    let mut found = Vec::new();
    for arg in &parsed.args {
        // `node/node01` and `nodes/node01` name a node too; another type does not.
        let wanted = match arg.split_once('/') {
            Some((typed, n)) => {
                match super::resources::resolve_type(typed) {
                    Ok(Resource::Nodes) => n,
                    Ok(other) => {
                        return Err(plain_error(&format!(
                            "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'): {}",
                            other.plural()
                        )))
                    }
                    Err(msg) => return Err(plain_error(&msg)),
                }
            }
            None => arg.as_str(),
        };
        match client.get(Resource::Nodes, wanted) {
            Ok(node) => found.push(node),
            Err(err) => return Err(Output::err(server_error(&client.conn, &err), 1)),
        }
    }
    Ok(found)
}

/// `RunCordonOrUncordon`: `node/NAME cordoned`, `already cordoned`, or the error.
fn set_unschedulable(
    client: &mut Client<'_, '_>,
    nodes: &[Value],
    desired: bool,
    out: &mut Output,
) {
    let verb = if desired { "cordon" } else { "uncordon" };
    for node in nodes {
        let node_name = name(node).to_string();
        let current = node
            .pointer("/spec/unschedulable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if current == desired {
            out.stdout
                .push_str(&format!("node/{node_name} already {verb}ed\n"));
            continue;
        }
        let mut changed = node.clone();
        if let Some(spec) = changed.get_mut("spec").and_then(Value::as_object_mut) {
            // The helper's patch drops the field rather than writing `false` (omitempty).
            if desired {
                spec.insert("unschedulable".into(), Value::Bool(true));
            } else {
                spec.remove("unschedulable");
            }
        }
        let result = client
            .world
            .cluster
            .requests()
            .update(Resource::Nodes, &changed);
        client.world.cluster.settle();
        match result {
            Ok(_) => out.stdout.push_str(&format!("node/{node_name} {verb}ed\n")),
            Err(err) => {
                let why = server_error(&client.conn, &err);
                out.stderr_after_stdout(&format!(
                    "error: unable to {verb} node \"{node_name}\": {why}"
                ));
            }
        }
    }
}

/// What the filters decided for one pod (`PodDeleteStatus`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    /// Evict it.
    Okay,
    /// Leave it (a mirror pod).
    Skip,
    /// `delete` with a warning message.
    Warning(bool, String),
    /// Refuse the whole drain with this message.
    Error(String),
}

impl Status {
    fn deletes(&self) -> bool {
        matches!(self, Status::Okay | Status::Warning(true, _))
    }
}

/// The drain's options that the filters read.
struct Filters {
    force: bool,
    ignore_daemonsets: bool,
    delete_emptydir_data: bool,
}

/// Runs `kubectl drain`.
pub fn drain(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let nodes = match nodes(client, parsed, "drain") {
        Ok(nodes) => nodes,
        Err(err) => return err,
    };
    let mut out = Output::default();
    if parsed.has("delete-local-data") {
        out.stderr.push_str("Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n");
    }
    set_unschedulable(client, &nodes, true, &mut out);
    let filters = Filters {
        force: parsed.bool("force"),
        ignore_daemonsets: parsed.bool("ignore-daemonsets"),
        delete_emptydir_data: parsed.bool("delete-emptydir-data")
            || parsed.bool("delete-local-data"),
    };
    let grace = parsed.int("grace-period").filter(|g| *g >= 0);
    let eviction = !parsed.bool("disable-eviction");
    let mut fatal: Vec<String> = Vec::new();
    let mut remaining: Vec<String> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    for node in &nodes {
        let node_name = name(node).to_string();
        match evict_node(client, &node_name, &filters, grace, eviction, &mut out) {
            Ok(pods) => pending.extend(pods),
            Err(errors) => {
                let text = aggregate(&errors);
                out.stderr_after_stdout(&format!(
                    "error: unable to drain node \"{node_name}\" due to error: {text}, continuing command...\n"
                ));
                fatal.push(errors.join("\n"));
                remaining.push(node_name);
            }
        }
    }
    if !remaining.is_empty() {
        let mut text = String::from("There are pending nodes to be drained:\n");
        for node_name in &remaining {
            text.push_str(&format!(" {node_name}\n"));
        }
        // CheckErr prints each error of the aggregate on a line of its own.
        for errors in &fatal {
            text.push_str(errors);
            text.push('\n');
        }
        out.stderr_after_stdout(&text);
        out.code = 1;
    }
    let wait = DrainWait {
        pending,
        nodes: nodes.iter().map(|n| name(n).to_string()).collect(),
        drained: Vec::new(),
        failed: remaining,
        evicted: eviction,
        next: client.now(),
    };
    let bound = wait.bound();
    let mut wait = wait;
    // The first look happens at once (`wait.PollImmediate`).
    let first = wait.poll(client.world.cluster);
    append_polled(&mut out, first.out);
    if let Some(code) = first.done {
        out.code = out.code.max(code);
        return out;
    }
    client.world.follow(wait, out, Some(bound))
}

fn append_polled(out: &mut Output, more: Output) {
    out.stderr_after_stdout(&more.stderr);
    out.stdout.push_str(&more.stdout);
}

/// `[a, b]` as an aggregate of several errors prints, or the one error alone.
fn aggregate(errors: &[String]) -> String {
    if errors.len() == 1 {
        return errors[0].clone();
    }
    format!("[{}]", errors.join(", "))
}

/// A pod the drain waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    node: String,
    namespace: String,
    name: String,
    uid: String,
    seconds: i64,
}

/// `GetPodsForDeletion` and `DeleteOrEvictPods` for one node: the evicted pods to wait for,
/// or the filters' errors (nothing is evicted then).
fn evict_node(
    client: &mut Client<'_, '_>,
    node_name: &str,
    filters: &Filters,
    grace: Option<i64>,
    eviction: bool,
    out: &mut Output,
) -> Result<Vec<Pending>, Vec<String>> {
    let pods = match client.list(Resource::Pods, None) {
        Ok(pods) => pods,
        Err(err) => {
            return Err(vec![server_error(&client.conn, &err)
                .trim_end()
                .to_string()])
        }
    };
    let on_node: Vec<Value> = pods
        .into_iter()
        .filter(|p| str_at(p, &["spec", "nodeName"]) == node_name)
        .collect();
    let decided: Vec<(Value, Status)> = on_node
        .into_iter()
        .map(|pod| {
            let status = filter_pod(client, &pod, filters);
            (pod, status)
        })
        .collect();
    let errors = grouped(&decided, |s| match s {
        Status::Error(m) => Some(m.clone()),
        _ => None,
    });
    if !errors.is_empty() {
        return Err(errors
            .into_iter()
            .map(|(msg, pods)| {
                if msg.to_lowercase().starts_with("cannot delete") {
                    format!("{msg}: {pods}")
                } else {
                    format!("cannot delete {msg}: {pods}")
                }
            })
            .collect());
    }
    let warnings = grouped(&decided, |s| match s {
        Status::Warning(_, m) => Some(m.clone()),
        _ => None,
    });
    if !warnings.is_empty() {
        let text: Vec<String> = warnings
            .into_iter()
            .map(|(msg, pods)| format!("{msg}: {pods}"))
            .collect();
        out.stderr_after_stdout(&format!("Warning: {}\n", text.join("; ")));
    }
    let mut pending = Vec::new();
    for (pod, _) in decided.iter().filter(|(_, s)| s.deletes()) {
        let ns = namespace(pod).to_string();
        let pod_name = name(pod).to_string();
        if eviction {
            out.stdout
                .push_str(&format!("evicting pod {ns}/{pod_name}\n"));
        }
        let options = DeleteOptions {
            grace_period_seconds: grace,
            precondition_uid: None,
        };
        let result =
            client
                .world
                .cluster
                .requests()
                .delete(Resource::Pods, &ns, &pod_name, &options);
        client.world.cluster.settle();
        match result {
            Ok(outcome) => {
                let seconds = outcome
                    .object()
                    .pointer("/metadata/deletionGracePeriodSeconds")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                pending.push(Pending {
                    node: node_name.to_string(),
                    namespace: ns,
                    name: pod_name,
                    uid: str_at(pod, &["metadata", "uid"]).to_string(),
                    seconds,
                });
            }
            // Already gone: nothing to wait for.
            Err(err) if err.reason() == "NotFound" => (),
            Err(err) => {
                let why = server_error(&client.conn, &err);
                let why = why.trim_end();
                let text = if eviction {
                    format!("error when evicting pod \"{pod_name}\": {why}")
                } else {
                    why.to_string()
                };
                return Err(vec![text]);
            }
        }
    }
    Ok(pending)
}

/// The filters in upstream's order; the first that does not delete decides.
fn filter_pod(client: &Client<'_, '_>, pod: &Value, filters: &Filters) -> Status {
    let checks: [&dyn Fn() -> Status; 4] = [
        &|| daemonset_filter(client, pod, filters),
        &|| mirror_filter(pod),
        &|| local_storage_filter(pod, filters),
        &|| unreplicated_filter(pod, filters),
    ];
    let mut status = Status::Okay;
    for check in checks {
        status = check();
        if !status.deletes() {
            break;
        }
    }
    status
}

fn finished(pod: &Value) -> bool {
    matches!(str_at(pod, &["status", "phase"]), "Succeeded" | "Failed")
}

fn daemonset_filter(client: &Client<'_, '_>, pod: &Value, filters: &Filters) -> Status {
    let Some(owner) = controller_of(pod) else {
        return Status::Okay;
    };
    if str_at(owner, &["kind"]) != "DaemonSet" || finished(pod) {
        return Status::Okay;
    }
    let ds = str_at(owner, &["name"]);
    let key = ObjectKey::new(Resource::DaemonSets, namespace(pod), ds);
    if client.api().store().get_value(&key).is_none() {
        let err = format!("daemonsets.apps \"{ds}\" not found");
        if filters.force {
            return Status::Warning(true, err);
        }
        return Status::Error(err);
    }
    if !filters.ignore_daemonsets {
        return Status::Error(DAEMONSET_FATAL.to_string());
    }
    Status::Warning(false, DAEMONSET_WARNING.to_string())
}

fn mirror_filter(pod: &Value) -> Status {
    let mirror = pod
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .is_some_and(|a| a.contains_key(MIRROR_ANNOTATION));
    if mirror {
        Status::Skip
    } else {
        Status::Okay
    }
}

fn local_storage_filter(pod: &Value, filters: &Filters) -> Status {
    let empty_dir = array_at(pod, &["spec", "volumes"])
        .iter()
        .any(|v| v.get("emptyDir").is_some());
    if !empty_dir || finished(pod) {
        return Status::Okay;
    }
    if !filters.delete_emptydir_data {
        return Status::Error(LOCAL_STORAGE_FATAL.to_string());
    }
    Status::Warning(true, LOCAL_STORAGE_WARNING.to_string())
}

fn unreplicated_filter(pod: &Value, filters: &Filters) -> Status {
    if finished(pod) || controller_of(pod).is_some() {
        return Status::Okay;
    }
    if filters.force {
        return Status::Warning(true, UNMANAGED_WARNING.to_string());
    }
    Status::Error(UNMANAGED_FATAL.to_string())
}

/// The pods of each message, `ns/name, ns/name`, messages in the order first met.
fn grouped(
    decided: &[(Value, Status)],
    message: impl Fn(&Status) -> Option<String>,
) -> Vec<(String, String)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (pod, status) in decided {
        let Some(msg) = message(status) else {
            continue;
        };
        let pod_ref = format!("{}/{}", namespace(pod), name(pod));
        match groups.iter_mut().find(|(m, _)| *m == msg) {
            Some((_, pods)) => pods.push(pod_ref),
            None => groups.push((msg, vec![pod_ref])),
        }
    }
    groups
        .into_iter()
        .map(|(m, pods)| (m, pods.join(", ")))
        .collect()
}

/// `kubectl drain` waiting for its evicted pods to go, then reporting each node drained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainWait {
    pending: Vec<Pending>,
    /// Every node named, in order.
    nodes: Vec<String>,
    /// Nodes already reported drained.
    drained: Vec<String>,
    /// Nodes the filters refused.
    failed: Vec<String>,
    /// Whether the pods were evicted (`evicted`) or deleted (`deleted`).
    evicted: bool,
    /// The next look at the store.
    pub next: SimTime,
}

impl DrainWait {
    /// How long a script waits: the longest grace period plus the slack `delete` allows, at
    /// most a virtual day (as `sleep`).
    fn bound(&self) -> SimDuration {
        let longest = self.pending.iter().map(|p| p.seconds).max().unwrap_or(0);
        (SimDuration::from_secs(u64::try_from(longest).unwrap_or(0)) + WAIT_SLACK).min(MAX_SLEEP)
    }

    /// Reports the pods that are gone and the nodes left with none; done when every node is.
    pub fn poll(&mut self, cluster: &Cluster) -> Polled {
        self.next += POLL_EVERY;
        let mut out = Output::default();
        let verb = if self.evicted { "evicted" } else { "deleted" };
        let mut still = Vec::new();
        for p in std::mem::take(&mut self.pending) {
            let key = ObjectKey::new(Resource::Pods, &p.namespace, &p.name);
            let gone = cluster
                .api()
                .store()
                .get_value(&key)
                .is_none_or(|o| str_at(o, &["metadata", "uid"]) != p.uid);
            if gone {
                out.stdout.push_str(&format!("pod/{} {verb}\n", p.name));
            } else {
                still.push(p);
            }
        }
        self.pending = still;
        for node in &self.nodes {
            let waiting = self.pending.iter().any(|p| &p.node == node);
            if waiting || self.drained.contains(node) || self.failed.contains(node) {
                continue;
            }
            out.stdout.push_str(&format!("node/{node} drained\n"));
            self.drained.push(node.clone());
        }
        let done = self
            .pending
            .is_empty()
            .then_some(i32::from(!self.failed.is_empty()));
        Polled {
            out,
            done,
            ..Polled::quiet()
        }
    }
}
