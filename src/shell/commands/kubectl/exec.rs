//! `kubectl exec` (`staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go` v1.34), answered as the
//! API server's pod exec subresource (`pkg/registry/core/pod/strategy.go`, `ExecLocation`)
//! and the kubelet's streaming exec over containerd answer: the command runs in the
//! container with the image's programs, as `crictl exec` runs it on the node.
//!
//! The container is `-c`, else the `kubectl.kubernetes.io/default-container` annotation,
//! else the first one (with a `Defaulted container` note when there are several, unless
//! `-q`). The API server proxies the request to the kubelet on the pod's node, so exec fails
//! while that kubelet is down. A non-zero exit status is kubectl's `command terminated with
//! exit code N` and kubectl's own status.
//!
//! Simplified: `-i` and `-t` run the command without a terminal (the playground's terminal
//! is not interactive), so stdout and stderr stay apart (the command's stderr after its
//! stdout, as the runtime keeps them) and nothing is read from the
//! keyboard; stdin given to kubectl is not passed on.
//!
//! `TYPE/NAME` (a deployment, replica set or daemon set) execs into the controller's best
//! pod as `AttachablePodForObjectFn` picks it (see `attachable.rs`).

use serde_json::Value;

use super::attachable::{pod_for_argument, PodOrder};
use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::Client;
use super::objutil::{array_at, get, str_at};
use crate::shell::io::Output;
use crate::sim::SimDuration;

/// `kubectl exec`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "exec",
    usage: "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]",
    summary: "Execute a command in a container.",
    flags: &[
        flag("container", Some('c'), Kind::Str, "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen"),
        flag("stdin", Some('i'), Kind::Bool, "Pass stdin to the container"),
        flag("tty", Some('t'), Kind::Bool, "Stdin is a TTY"),
        flag("quiet", Some('q'), Kind::Bool, "Only print output from the remote session"),
        flag("pod-running-timeout", None, Kind::Str, "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running"),
    ],
    unsupported: &["filename", "f"],
};

/// exec's default `--pod-running-timeout`.
const RUNNING_TIMEOUT: SimDuration = SimDuration::from_secs(60);

/// The phrase kubectl prints for the old `exec POD COMMAND` form.
const DEPRECATED: &str = "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n";

/// Runs `kubectl exec`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let quiet = parsed.bool("quiet");
    let mut out = Output::default();
    // `Complete`: the resource is the first word unless `--` comes first; the command is
    // what follows `--`, or (deprecated) the words after the resource.
    let args = &parsed.args;
    let resource = match (args.first(), parsed.dash) {
        (Some(first), dash) if dash != Some(0) => Some(first.clone()),
        _ => None,
    };
    let command: Vec<String> = match parsed.dash {
        Some(at) => args[at..].to_vec(),
        None if args.len() > 1 => {
            if !quiet {
                out.stderr.push_str(DEPRECATED);
            }
            args[1..].to_vec()
        }
        None => Vec::new(),
    };
    let fail = |out: Output, message: String| Output {
        stderr: format!("{}{message}", out.stderr),
        code: 1,
        ..out
    };
    // `Validate`.
    let Some(resource) = resource else {
        return fail(
            out,
            "error: pod, type/name or --filename must be specified\n".into(),
        );
    };
    if command.is_empty() {
        return fail(
            out,
            "error: you must specify at least one command for the container\n".into(),
        );
    }
    if let Some(timeout) = parsed.get("pod-running-timeout") {
        if crate::shell::commands::parse_duration_arg(timeout).is_none() {
            return fail(
                out,
                format!("error: invalid argument \"{timeout}\" for \"--pod-running-timeout\" flag: time: invalid duration \"{timeout}\"\n"),
            );
        }
    }
    let timeout = parsed
        .get("pod-running-timeout")
        .and_then(crate::shell::commands::parse_duration_arg)
        .unwrap_or(RUNNING_TIMEOUT);
    let pod = match pod_for_argument(
        client,
        &resource,
        PodOrder::Attach,
        timeout,
        "cannot attach to",
    ) {
        Ok((pod, _)) => pod,
        Err(failure) => return fail(out, failure.stderr),
    };
    let phase = str_at(&pod, &["status", "phase"]);
    if phase == "Succeeded" || phase == "Failed" {
        return fail(
            out,
            format!(
                "error: cannot exec into a container in a completed pod; current phase is {phase}\n"
            ),
        );
    }
    let container = match parsed.get("container").filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => {
            let (chosen, note) = default_container(&pod);
            if !quiet {
                out.stderr.push_str(&note);
            }
            chosen
        }
    };
    match exec_in(client, &pod, &container, &command) {
        Ok(result) => {
            // The runtime keeps the two streams apart, so the command's stderr follows its
            // stdout; kubectl's own last word comes when the stream has closed.
            out.stdout.push_str(&result.stdout);
            out.stderr_after_stdout(&result.stderr);
            if result.exit_code != 0 {
                out.stderr_after_stdout(&format!(
                    "command terminated with exit code {}\n",
                    result.exit_code
                ));
            }
            out.code = result.exit_code;
            out
        }
        Err(message) => fail(out, message),
    }
}

/// `podcmd.FindOrDefaultContainerByName` with no name: the annotated default container when
/// it exists, else the first container; the note kubectl prints when it had to choose among
/// several (init and ephemeral containers listed with their kind).
fn default_container(pod: &Value) -> (String, String) {
    let annotated = str_at(
        pod,
        &[
            "metadata",
            "annotations",
            "kubectl.kubernetes.io/default-container",
        ],
    );
    let names = |field: &str| -> Vec<String> {
        array_at(pod, &["spec", field])
            .iter()
            .map(|c| str_at(c, &["name"]).to_string())
            .collect()
    };
    let containers = names("containers");
    if !annotated.is_empty() && containers.iter().any(|c| c == annotated) {
        return (annotated.to_string(), String::new());
    }
    let mut note = String::new();
    if !annotated.is_empty() {
        note.push_str(&format!(
            "Default container name \"{annotated}\" not found in pod {}\n",
            str_at(pod, &["metadata", "name"])
        ));
    }
    let chosen = containers.first().cloned().unwrap_or_default();
    let inits = names("initContainers");
    let ephemeral = names("ephemeralContainers");
    if containers.len() + inits.len() + ephemeral.len() > 1 {
        let mut all = containers.clone();
        all.extend(inits.iter().map(|n| format!("{n} (init)")));
        all.extend(ephemeral.iter().map(|n| format!("{n} (ephem)")));
        note.push_str(&format!(
            "Defaulted container \"{chosen}\" out of: {}\n",
            all.join(", ")
        ));
    }
    (chosen, note)
}

/// What the command printed and its status.
struct Ran {
    stdout: String,
    stderr: String,
    exit_code: i32,
}

/// The exec request as the API server and the pod's kubelet answer it; the error is what
/// kubectl prints.
fn exec_in(
    client: &mut Client<'_, '_>,
    pod: &Value,
    container: &str,
    command: &[String],
) -> Result<Ran, String> {
    let pod_name = str_at(pod, &["metadata", "name"]).to_string();
    let in_spec = ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .flat_map(|field| array_at(pod, &["spec", field]))
        .any(|c| str_at(c, &["name"]) == container);
    if !in_spec {
        return Err(format!(
            "Error from server (BadRequest): container {container} is not valid for pod {pod_name}\n"
        ));
    }
    let node_name = str_at(pod, &["spec", "nodeName"]);
    let Some(host) = client.world.cluster.host_index(node_name) else {
        return Err(format!(
            "Error from server (BadRequest): pod {pod_name} does not have a host assigned\n"
        ));
    };
    if client.world.cluster.host(host).kubelet().is_none() {
        let ip = client.world.cluster.host(host).node.ip.clone();
        return Err(format!(
            "Error from server: error dialing backend: dial tcp {ip}:10250: connect: connection refused\n"
        ));
    }
    // The kubelet finds the running container by the pod's status; one that is waiting or
    // has exited has no stream to upgrade to.
    let not_found =
        || format!("error: unable to upgrade connection: container not found (\"{container}\")\n");
    let id = [
        "containerStatuses",
        "initContainerStatuses",
        "ephemeralContainerStatuses",
    ]
    .iter()
    .flat_map(|field| array_at(pod, &["status", field]))
    .find(|s| str_at(s, &["name"]) == container && get(s, &["state", "running"]).is_some())
    .map(|s| {
        let id = str_at(s, &["containerID"]);
        id.split_once("://").map_or(id, |(_, hex)| hex).to_string()
    })
    .filter(|id| !id.is_empty())
    .ok_or_else(not_found)?;
    let now = client.now();
    let cluster = client.cluster();
    let node = cluster.node_mut(host);
    let result = node.runtime.exec(now, &id, command, &mut node.fs);
    cluster.settle();
    match result {
        Ok(result) => Ok(Ran {
            stdout: result.stdout,
            stderr: result.stderr,
            exit_code: result.exit_code,
        }),
        Err(err) => match err.split_once("OCI runtime exec failed") {
            // containerd names the exec process it failed to start; the kubelet's streaming
            // server answers 500 with its error, which kubectl prints as an internal error.
            Some((_, rest)) => {
                let exec_id = cluster.rng_mut().hex(64);
                Err(format!(
                    "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{exec_id}\": OCI runtime exec failed{rest}\n"
                ))
            }
            None => Err(not_found()),
        },
    }
}
