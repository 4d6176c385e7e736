//! `kubectl logs` (`staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go` and
//! `polymorphichelpers/logsforobject.go` v1.34, answered as the API server's pod log REST
//! (`pkg/registry/core/pod/rest/log.go`) and the kubelet's `/containerLogs` handler answer):
//! the container is `-c`, else the `kubectl.kubernetes.io/default-container` annotation, else
//! the first one (with a `Defaulted container` note when there are several); `-p` reads the
//! previous attempt's log. `TYPE/NAME` (a deployment, replica set or daemon set) reads the
//! first of its pods in `ByLogging` order, with `Found N pods, using pod/NAME` on stderr
//! when there are several (see `attachable.rs`).
//!
//! The API server proxies the request to the kubelet on the pod's node, so the logs are
//! unavailable while that kubelet is down. `-f` prints the log so far, then every new line
//! until the container stops running or Ctrl-C.
//!
//! Simplified: in a script `-f` follows for at most [`FOLLOW_LIMIT`] of virtual time; new
//! lines are looked for once per virtual second, and the stream goes on when the kubelet
//! stops meanwhile.

use super::attachable::{pod_for_argument, PodOrder};
use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, usage_error, Client};
use serde_json::Value;

use super::objutil::{array_at, get, name, str_at};
use crate::node::cri::ContainerState;
use crate::shell::commands::crictl::logs::{parse_cri_log, whole_lines, LogFollow, Show};
use crate::shell::commands::parse_duration_arg;
use crate::shell::io::Output;
use crate::sim::SimDuration;

/// How long a script's `kubectl logs -f` follows a running container.
pub const FOLLOW_LIMIT: SimDuration = SimDuration::from_secs(60);

/// logs' default `--pod-running-timeout`.
const RUNNING_TIMEOUT: SimDuration = SimDuration::from_secs(20);

/// `kubectl logs`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "logs",
    usage: "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
    summary: "Print the logs for a container in a pod.",
    flags: &[
        flag("container", Some('c'), Kind::Str, "Print the logs of this container"),
        flag("follow", Some('f'), Kind::Bool, "Specify if the logs should be streamed."),
        flag("previous", Some('p'), Kind::Bool, "If true, print the logs for the previous instance of the container in a pod if it exists."),
        flag("tail", None, Kind::Int, "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines."),
        flag("timestamps", None, Kind::Bool, "Include timestamps on each line in the log output"),
        flag("since", None, Kind::Str, "Only return logs newer than a relative duration like 5s, 2m, or 3h."),
    ],
    unsupported: &[
        "all-containers", "all-pods", "ignore-errors", "insecure-skip-tls-verify-backend",
        "limit-bytes", "max-log-requests", "pod-running-timeout", "prefix", "selector", "l",
        "since-time",
    ],
};

/// Runs `kubectl logs`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let (pod_name, container_arg) = match parsed.args.as_slice() {
        [] => {
            return usage_error("logs", "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command")
        }
        [pod] => (pod.clone(), None),
        [pod, container] => (pod.clone(), Some(container.clone())),
        _ => return usage_error("logs", "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command"),
    };
    let mut out = Output::default();
    let pod = match pod_for_argument(
        client,
        &pod_name,
        PodOrder::Logging,
        RUNNING_TIMEOUT,
        "cannot get the logs from",
    ) {
        Ok((pod, count)) => {
            if count > 1 {
                out.stderr
                    .push_str(&format!("Found {count} pods, using pod/{}\n", name(&pod)));
            }
            pod
        }
        Err(failure) => return failure,
    };
    let pod_name = name(&pod).to_string();
    let containers: Vec<String> = array_at(&pod, &["spec", "containers"])
        .iter()
        .map(|c| str_at(c, &["name"]).to_string())
        .collect();
    let container = match parsed.get("container").map(String::from).or(container_arg) {
        Some(c) => c,
        None => {
            let annotated = str_at(
                &pod,
                &[
                    "metadata",
                    "annotations",
                    "kubectl.kubernetes.io/default-container",
                ],
            );
            let chosen = if containers.iter().any(|c| c == annotated) {
                annotated.to_string()
            } else {
                containers.first().cloned().unwrap_or_default()
            };
            if containers.len() > 1 && annotated.is_empty() {
                out.stderr.push_str(&format!(
                    "Defaulted container \"{chosen}\" out of: {}\n",
                    containers.join(", ")
                ));
            }
            chosen
        }
    };
    let bad =
        |message: String| Output::err(format!("Error from server (BadRequest): {message}\n"), 1);
    if !containers.contains(&container) {
        return bad(format!(
            "container {container} is not valid for pod {}",
            name(&pod)
        ));
    }
    let node_name = str_at(&pod, &["spec", "nodeName"]).to_string();
    // A pod no node has taken has no log location: the API server streams nothing.
    let Some(host) = client.world.cluster.host_index(&node_name) else {
        return out;
    };
    let namespace = str_at(&pod, &["metadata", "namespace"]).to_string();
    if client.world.cluster.host(host).kubelet().is_none() {
        let ip = client.world.cluster.host(host).node.ip.clone();
        return Output::err(
            format!(
                "Error from server: Get \"https://{ip}:10250/containerLogs/{namespace}/{pod_name}/{container}\": dial tcp {ip}:10250: connect: connection refused\n",
            ),
            1,
        );
    }
    let previous = parsed.bool("previous");
    let id = match log_container_id(&pod, &container, previous) {
        Ok(id) => id,
        Err(message) => return bad(message),
    };
    let found = client
        .world
        .cluster
        .host(host)
        .node
        .runtime
        .container(&id)
        .map(|c| (c.config.log_path.clone(), c.state));
    let Some((path, state)) = found else {
        return Output::err(
            format!(
                "Error from server: rpc error: code = NotFound desc = an error occurred when try to find container \"{id}\": not found\n"
            ),
            1,
        );
    };
    let since = match parsed.get("since") {
        None => None,
        Some(since) => match parse_duration_arg(since) {
            Some(window) => Some(window),
            None => return plain_error(&format!("invalid argument \"{since}\" for \"--since\" flag: time: invalid duration \"{since}\"")),
        },
    };
    let following = parsed.bool("follow") && state == ContainerState::Running;
    let text = client
        .world
        .cluster
        .host(host)
        .node
        .fs
        .read_to_string(&path)
        .unwrap_or_default();
    // A follow goes on from the last whole line; the runtime writes whole lines.
    let read = match following {
        true => whole_lines(&text),
        false => text.len(),
    };
    let mut lines = parse_cri_log(&text[..read]);
    if let Some(window) = since {
        let cutoff = crate::sim::wallclock::rfc3339(crate::sim::SimTime(
            client.now().0.saturating_sub(window.as_millis()),
        ));
        lines.retain(|l| l.time.as_str() >= cutoff.as_str());
    }
    if let Ok(keep) = usize::try_from(parsed.int("tail").unwrap_or(-1)) {
        let skip = lines.len().saturating_sub(keep);
        lines.drain(..skip);
    }
    let show = Show {
        timestamps: parsed.bool("timestamps"),
        stream: None,
        split_stderr: false,
    };
    let shown = show.render(&lines);
    out.stdout.push_str(&shown.stdout);
    if !following {
        return out;
    }
    let follow = LogFollow::start(client.world.cluster, host, &id, &path, read, show);
    client.world.follow(follow, out, Some(FOLLOW_LIMIT))
}

/// The container whose log the kubelet serves (`validateContainerLogStatus` in
/// `pkg/kubelet/kubelet_pods.go`): with `-p` the last terminated one, else the running one,
/// else the one that just terminated; the error is the kubelet's reason there is no log.
fn log_container_id(pod: &Value, container: &str, previous: bool) -> Result<String, String> {
    let pod_name = name(pod);
    let status = ["containerStatuses", "initContainerStatuses"]
        .iter()
        .flat_map(|field| array_at(pod, &["status", field]))
        .find(|s| str_at(s, &["name"]) == container)
        .ok_or_else(|| {
            format!("container \"{container}\" in pod \"{pod_name}\" is not available")
        })?;
    let id_of = |path: &[&str]| -> Option<String> {
        let id = str_at(status, path);
        (!id.is_empty()).then(|| id.split_once("://").map_or(id, |(_, hex)| hex).to_string())
    };
    let last_terminated = get(status, &["lastState", "terminated"]).is_some();
    let last_id = id_of(&["lastState", "terminated", "containerID"]);
    let terminated_msg =
        || format!("container \"{container}\" in pod \"{pod_name}\" is terminated");
    if previous {
        return last_id.ok_or_else(|| {
            format!("previous terminated container \"{container}\" in pod \"{pod_name}\" not found")
        });
    }
    if get(status, &["state", "running"]).is_some() {
        return id_of(&["containerID"]).ok_or_else(terminated_msg);
    }
    if get(status, &["state", "terminated"]).is_some() {
        return id_of(&["state", "terminated", "containerID"])
            .or(last_id)
            .ok_or_else(terminated_msg);
    }
    if last_terminated {
        return last_id.ok_or_else(terminated_msg);
    }
    match str_at(status, &["state", "waiting", "reason"]) {
        "" if get(status, &["state", "waiting"]).is_none() => Err(format!(
            "container \"{container}\" in pod \"{pod_name}\" is waiting to start - no logs yet"
        )),
        "ErrImagePull" => Err(format!(
            "container \"{container}\" in pod \"{pod_name}\" is waiting to start: image can't be pulled"
        )),
        "ImagePullBackOff" => Err(format!(
            "container \"{container}\" in pod \"{pod_name}\" is waiting to start: trying and failing to pull image"
        )),
        reason => Err(format!(
            "container \"{container}\" in pod \"{pod_name}\" is waiting to start: {reason}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(status: Value) -> Value {
        json!({"metadata": {"name": "web"}, "status": {"containerStatuses": [status]}})
    }

    #[test]
    fn the_kubelet_picks_the_container_by_its_status() {
        let crash_looping = pod(json!({
            "name": "web", "containerID": "containerd://bbb",
            "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            "lastState": {"terminated": {"containerID": "containerd://bbb", "exitCode": 1}}
        }));
        // In CrashLoopBackOff the plain log is the last terminated container's; -p too.
        assert_eq!(
            log_container_id(&crash_looping, "web", false),
            Ok("bbb".into())
        );
        assert_eq!(
            log_container_id(&crash_looping, "web", true),
            Ok("bbb".into())
        );
        let running = pod(json!({
            "name": "web", "containerID": "containerd://ccc",
            "state": {"running": {"startedAt": "2026-11-22T08:00:00Z"}}, "lastState": {}
        }));
        assert_eq!(log_container_id(&running, "web", false), Ok("ccc".into()));
        assert_eq!(
            log_container_id(&running, "web", true),
            Err("previous terminated container \"web\" in pod \"web\" not found".into())
        );
        let creating = pod(json!({
            "name": "web", "state": {"waiting": {"reason": "ContainerCreating"}}, "lastState": {}
        }));
        assert_eq!(
            log_container_id(&creating, "web", false),
            Err("container \"web\" in pod \"web\" is waiting to start: ContainerCreating".into())
        );
        assert_eq!(
            log_container_id(&pod(json!({"name": "other"})), "web", false),
            Err("container \"web\" in pod \"web\" is not available".into())
        );
    }
}
