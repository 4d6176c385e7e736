//! `kubectl logs` (`staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go` and
//! `polymorphichelpers/logsforobject.go` v1.34, answered as the API server's pod log REST
//! (`pkg/registry/core/pod/rest/log.go`) and the kubelet's `/containerLogs` handler answer):
//! the container is `-c`, else the `kubectl.kubernetes.io/default-container` annotation, else
//! the first one (with a `Defaulted container` note when there are several); `-p` reads the
//! previous attempt's log.
//!
//! The API server proxies the request to the kubelet on the pod's node, so the logs are
//! unavailable while that kubelet is down. Simplified: `-f` follows for at most
//! [`FOLLOW_LIMIT`] of virtual time.

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, server_error, usage_error, Client};
use super::objutil::{array_at, name, str_at};
use crate::apiserver::store::Resource;
use crate::node::cri::ContainerState;
use crate::shell::commands::crictl::logs::parse_cri_log;
use crate::shell::commands::parse_duration_arg;
use crate::shell::io::Output;
use crate::sim::SimDuration;

/// How long `kubectl logs -f` follows a running container.
pub const FOLLOW_LIMIT: SimDuration = SimDuration::from_secs(60);

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
    let pod_name = match pod_name.split_once('/') {
        Some(("pod" | "pods" | "po", n)) => n.to_string(),
        Some((kind, _)) => {
            return plain_error(&format!(
                "cannot get the logs from {kind}: this playground reads logs of pods only"
            ))
        }
        None => pod_name,
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let pod = match client.get(Resource::Pods, &pod_name) {
        Ok(pod) => pod,
        Err(err) => return Output::err(server_error(&client.conn, &err), 1),
    };
    let mut out = Output::default();
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
    let Some(host) = client.world.cluster.host_index(&node_name) else {
        return bad(format!(
            "container \"{container}\" in pod \"{pod_name}\" is waiting to start: ContainerCreating"
        ));
    };
    if client.world.cluster.host(host).kubelet().is_none() {
        let ip = client.world.cluster.host(host).node.ip.clone();
        return Output::err(
            format!(
                "Error from server: Get \"https://{ip}:10250/containerLogs/{}/{pod_name}/{container}\": dial tcp {ip}:10250: connect: connection refused\n",
                str_at(&pod, &["metadata", "namespace"]),
            ),
            1,
        );
    }
    let namespace = str_at(&pod, &["metadata", "namespace"]).to_string();
    let find = |client: &Client<'_, '_>| {
        let runtime = &client.world.cluster.host(host).node.runtime;
        let mut attempts: Vec<(u32, String, ContainerState)> = runtime
            .containers()
            .filter(|c| {
                let labels = &c.config.labels;
                labels.get("io.kubernetes.pod.name") == Some(&pod_name)
                    && labels.get("io.kubernetes.pod.namespace") == Some(&namespace)
                    && labels.get("io.kubernetes.container.name") == Some(&container)
            })
            .map(|c| (c.config.attempt, c.config.log_path.clone(), c.state))
            .collect();
        attempts.sort_by_key(|(attempt, _, _)| *attempt);
        attempts
    };
    let attempts = find(client);
    let previous = parsed.bool("previous");
    let chosen = if previous {
        attempts.len().checked_sub(2).map(|i| attempts[i].clone())
    } else {
        attempts.last().cloned()
    };
    let Some((_, path, state)) = chosen else {
        return bad(if previous {
            format!("previous terminated container \"{container}\" in pod \"{pod_name}\" not found")
        } else {
            format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start: ContainerCreating")
        });
    };
    if parsed.bool("follow") && !previous && state == ContainerState::Running {
        let limit = client.now() + FOLLOW_LIMIT;
        client.world.cluster.run_while(limit, |cluster| {
            cluster
                .host(host)
                .node
                .runtime
                .containers()
                .any(|c| c.config.log_path == path && c.state != ContainerState::Running)
        });
    }
    let text = client
        .world
        .cluster
        .host(host)
        .node
        .fs
        .read_to_string(&path)
        .unwrap_or_default();
    let mut lines = parse_cri_log(&text);
    if let Some(since) = parsed.get("since") {
        let Some(window) = parse_duration_arg(since) else {
            return plain_error(&format!("invalid argument \"{since}\" for \"--since\" flag: time: invalid duration \"{since}\""));
        };
        let cutoff = crate::sim::wallclock::rfc3339(crate::sim::SimTime(
            client.now().0.saturating_sub(window.as_millis()),
        ));
        lines.retain(|l| l.time.as_str() >= cutoff.as_str());
    }
    if let Ok(keep) = usize::try_from(parsed.int("tail").unwrap_or(-1)) {
        let skip = lines.len().saturating_sub(keep);
        lines.drain(..skip);
    }
    for line in lines {
        if parsed.bool("timestamps") {
            out.stdout.push_str(&line.time);
            out.stdout.push(' ');
        }
        out.stdout.push_str(&line.text);
    }
    out
}
