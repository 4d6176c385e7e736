//! `crictl inspect` and `crictl inspectp` (`containerStatus`/`podSandboxStatus` with
//! `outputStatusData`): the CRI status as protojson, timestamps turned into RFC 3339, the
//! runtime's verbose `info` beside it, all re-encoded by `encoding/json` (keys sorted, `<`,
//! `>` and `&` escaped) and indented by two spaces; one object alone, several in an array.
//!
//! Simplified: containerd's `info` carries the runtime facts a learner looks for (`pid`,
//! `sandboxID`, snapshotter, runtime type), not the full OCI `config` and `runtimeSpec`; the
//! status leaves out `resources` and `user`.

use super::cli::{flag, Kind, Parsed};
use super::containers::{image_spec, list, state_enum, ListOptions};
use super::json::{obj, s, string_map, Json};
use super::pods::{metadata_json, state_enum as sandbox_state};
use super::{ago, fatal, go_quote, show_help, Ctx, Subcommand};
use crate::node::cri::{ContainerState, ImageInfo};
use crate::node::runtime::{Container, Sandbox, PAUSE_IMAGE};
use crate::shell::io::Output;
use crate::sim::wallclock::rfc3339_nano;
use crate::sim::SimTime;

/// `crictl inspect`.
pub const INSPECT: Subcommand = Subcommand {
    name: "inspect",
    aliases: &[],
    usage: "Display the status of one or more containers",
    args_usage: "CONTAINER-ID [CONTAINER-ID...]",
    flags: &[
        flag("all", &["a"], Kind::Bool, "Show all containers (default: false)"),
        flag("label", &[], Kind::List, "Filter by key=value label"),
        flag("last", &["n"], Kind::Int, "Show last n recently created containers (includes all states). Set 0 for unlimited. (default: 0)"),
        flag("latest", &["l"], Kind::Bool, "Show the most recently created container (includes all states) (default: false)"),
        flag("name", &[], Kind::Str, "Filter by container name regular expression pattern"),
        flag("namespace", &[], Kind::Str, "Filter by pod namespace regular expression pattern"),
        flag("output", &["o"], Kind::Str, "Output format, One of: json|yaml|table"),
        flag("pod", &["p"], Kind::Str, "Filter by pod id"),
        flag("quiet", &["q"], Kind::Bool, "Do not show verbose information (default: false)"),
        flag("state", &["s"], Kind::Str, "Filter by container state"),
    ],
};

/// `crictl inspectp`.
pub const INSPECTP: Subcommand = Subcommand {
    name: "inspectp",
    aliases: &[],
    usage: "Display the status of one or more pods",
    args_usage: "POD-ID [POD-ID...]",
    flags: &[
        flag(
            "output",
            &["o"],
            Kind::Str,
            "Output format, One of: json|yaml",
        ),
        flag(
            "quiet",
            &["q"],
            Kind::Bool,
            "Do not show verbose information (default: false)",
        ),
    ],
};

/// `crictl inspect`.
pub fn inspect(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    let mut typed = parsed.args.clone();
    if typed.is_empty() {
        let mut opts = match ListOptions::from_flags(parsed) {
            Ok(opts) => opts,
            Err(err) => return fatal(&err),
        };
        // `inspect` without ids anchors its name filters (`^name$`), unlike `ps`.
        if !opts.name.is_empty() {
            opts.name = format!("^{}$", opts.name);
        }
        if !opts.namespace.is_empty() {
            opts.namespace = format!("^{}$", opts.namespace);
        }
        match list(ctx, &opts) {
            Ok(found) => typed = found.iter().map(|c| c.id.to_string()).collect(),
            Err(err) => return fatal(&format!("listing containers: {err}")),
        }
        if typed.is_empty() {
            let help = show_help("inspect");
            return Output {
                stderr: "ERRO[0000] No IDs provided or nothing found per filter\n".into(),
                ..help
            };
        }
    }
    let format = parsed.string("output");
    let format = if format.is_empty() {
        "json".to_string()
    } else {
        format
    };
    if !matches!(format.as_str(), "json" | "yaml" | "table") {
        return not_supported_format(&format, "inspect");
    }
    let verbose = !parsed.bool("quiet");
    let now = ctx.now();
    let mut entries = Vec::new();
    let mut table = String::new();
    for name in &typed {
        let found = ctx.container_id(name);
        let id = match found {
            Ok(id) => id,
            Err(err) => {
                return ctx.rpc_failure(
                    "ContainerStatus from runtime service failed",
                    "containerID",
                    name,
                    &err,
                    &format!("get the status of containers: get container status: {err}"),
                )
            }
        };
        let Some(c) = ctx.runtime().container(&id) else {
            continue;
        };
        if format == "table" {
            table.push_str(&status_table(c, now));
            continue;
        }
        let mut fields = Vec::new();
        if verbose {
            fields.push(("info".to_string(), container_info(c)));
        }
        let present = ctx.runtime().images().status(&c.image_id);
        fields.push(("status".to_string(), container_status(c, present.as_ref())));
        entries.push(Json::Obj(fields));
    }
    if format == "table" {
        return Output::ok(table);
    }
    Output::ok(status_output(entries, &format))
}

/// `crictl inspectp`.
pub fn inspectp(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    if parsed.args.is_empty() {
        return fatal("get the status of pod sandboxes: ID cannot be empty");
    }
    let format = parsed.string("output");
    let format = if format.is_empty() {
        "json".to_string()
    } else {
        format
    };
    if !matches!(format.as_str(), "json" | "yaml") {
        return not_supported_format(&format, "inspectp");
    }
    let verbose = !parsed.bool("quiet");
    let node_ip = ctx.world.cluster.host(ctx.world.host).node.ip.clone();
    let mut entries = Vec::new();
    for name in &parsed.args {
        let found = ctx.sandbox_id(name);
        let id = match found {
            Ok(id) => id,
            Err(err) => {
                return ctx.rpc_failure(
                    "PodSandboxStatus from runtime service failed",
                    "podSandboxID",
                    name,
                    &err,
                    &format!(
                    "get the status of pod sandboxes: getting the pod sandbox status for {}: {err}",
                    go_quote(name)
                ),
                )
            }
        };
        let Some(sb) = ctx.runtime().sandbox(&id) else {
            continue;
        };
        let mut fields = Vec::new();
        if verbose {
            fields.push(("info".to_string(), sandbox_info(sb)));
        }
        fields.push(("status".to_string(), sandbox_status(sb, &node_ip)));
        entries.push(Json::Obj(fields));
    }
    Output::ok(status_output(entries, &format))
}

fn not_supported_format(format: &str, name: &str) -> Output {
    if format == "go-template" || format == "table" {
        return fatal(&format!(
            "crictl {name} -o {format} is not supported in the playground; use -o json or -o yaml"
        ));
    }
    fatal(&format!(
        "get the status of containers: unsupported format: {}",
        go_quote(format)
    ))
}

/// One status alone, several in an array; JSON indented or YAML.
fn status_output(mut entries: Vec<Json>, format: &str) -> String {
    let value = if entries.len() == 1 {
        entries.remove(0)
    } else {
        Json::Arr(entries)
    }
    .sorted();
    if format == "yaml" {
        return format!(
            "{}\n",
            crate::shell::commands::kubectl::yaml_out::to_yaml(&value.to_value())
        );
    }
    format!("{}\n", value.pretty(true))
}

/// `time.Unix(0, t).Format(time.RFC3339Nano)`; the zero time for "never".
fn stamp(t: Option<SimTime>) -> Json {
    match t {
        Some(t) => s(rfc3339_nano(t)),
        None => s("0001-01-01T00:00:00Z"),
    }
}

/// `ContainerStatus` with crictl's timestamp rewrite; `present` is the container's image while
/// the runtime still has it.
fn container_status(c: &Container, present: Option<&ImageInfo>) -> Json {
    let (image, image_ref) = status_image(c, present);
    let started = if c.state == ContainerState::Created {
        None
    } else {
        c.started_at.or(Some(c.created_at))
    };
    let finished = if c.state == ContainerState::Exited {
        c.finished_at
    } else {
        None
    };
    let mounts = c
        .config
        .mounts
        .iter()
        .map(|m| {
            obj([
                ("containerPath", s(&m.container_path)),
                ("hostPath", s(&m.host_path)),
                ("readonly", Json::Bool(m.readonly)),
                ("selinuxRelabel", Json::Bool(false)),
                ("propagation", s("PROPAGATION_PRIVATE")),
                ("uidMappings", Json::Arr(Vec::new())),
                ("gidMappings", Json::Arr(Vec::new())),
                ("recursiveReadOnly", Json::Bool(false)),
                ("imageSubPath", s("")),
            ])
        })
        .collect();
    obj([
        ("id", s(&*c.id)),
        (
            "metadata",
            obj([
                ("name", s(&c.config.name)),
                ("attempt", Json::Int(c.config.attempt.into())),
            ]),
        ),
        ("state", s(state_enum(c.state))),
        ("createdAt", stamp(Some(c.created_at))),
        ("startedAt", stamp(started)),
        ("finishedAt", stamp(finished)),
        ("exitCode", Json::Int(c.exit_code.into())),
        ("image", image),
        ("imageRef", s(image_ref)),
        ("reason", s(&*c.reason)),
        ("message", s(&*c.message)),
        ("labels", string_map(&*c.config.labels)),
        ("annotations", string_map(&*c.config.annotations)),
        ("mounts", Json::Arr(mounts)),
        ("logPath", s(&c.config.log_path)),
        ("imageId", s(&*c.image_id)),
        ("stopSignal", s("")),
    ])
}

/// The `image` and `imageRef` of a container's status. containerd answers with the image's
/// first repo tag (a fresh `ImageSpec` with nothing else set) and first repo digest; when the
/// image is gone it falls back to the spec the container was created with and the image id.
fn status_image(c: &Container, present: Option<&ImageInfo>) -> (Json, String) {
    let Some(info) = present else {
        return (image_spec(c), c.image_id.to_string());
    };
    let image = match info.repo_tags.first() {
        Some(tag) => obj([
            ("image", s(tag)),
            ("annotations", Json::Obj(Vec::new())),
            ("userSpecifiedImage", s("")),
            ("runtimeHandler", s("")),
        ]),
        None => image_spec(c),
    };
    let image_ref = match info.repo_digests.first() {
        Some(digest) => digest.clone(),
        None => c.image_id.to_string(),
    };
    (image, image_ref)
}

/// containerd's verbose container info (the parts emulated).
fn container_info(c: &Container) -> Json {
    let pid = if c.state == ContainerState::Running {
        c.pid.unwrap_or(0)
    } else {
        0
    };
    obj([
        ("sandboxID", s(&*c.sandbox_id)),
        ("pid", Json::Int(pid.into())),
        ("removing", Json::Bool(false)),
        ("snapshotKey", s(&*c.id)),
        ("snapshotter", s("overlayfs")),
        ("runtimeType", s("io.containerd.runc.v2")),
        (
            "runtimeOptions",
            obj([("systemd_cgroup", Json::Bool(true))]),
        ),
    ])
}

/// `outputContainerStatusTable`.
fn status_table(c: &Container, now: SimTime) -> String {
    let mut out = format!("ID: {}\nName: {}\n", c.id, c.config.name);
    if c.config.attempt != 0 {
        out.push_str(&format!("Attempt: {}\n", c.config.attempt));
    }
    out.push_str(&format!(
        "State: {}\nCreated: {}\n",
        state_enum(c.state),
        ago(now, c.created_at)
    ));
    if c.state != ContainerState::Created {
        let started = c.started_at.unwrap_or(c.created_at);
        out.push_str(&format!("Started: {}\n", ago(now, started)));
    }
    if c.state == ContainerState::Exited {
        if let Some(finished) = c.finished_at {
            out.push_str(&format!("Finished: {}\n", ago(now, finished)));
        }
        out.push_str(&format!("Exit Code: {}\n", c.exit_code));
    }
    super::containers::push_map(&mut out, "Labels", &c.config.labels);
    super::containers::push_map(&mut out, "Annotations", &c.config.annotations);
    out
}

/// `PodSandboxStatus` with crictl's timestamp rewrite.
fn sandbox_status(sb: &Sandbox, node_ip: &str) -> Json {
    let ip = if sb.config.host_network {
        node_ip.to_string()
    } else {
        sb.config.ip.clone()
    };
    let network = if sb.config.host_network {
        "NODE"
    } else {
        "POD"
    };
    obj([
        ("id", s(&sb.id)),
        ("metadata", metadata_json(sb)),
        ("state", s(sandbox_state(sb.ready))),
        ("createdAt", s(rfc3339_nano(sb.created_at))),
        (
            "network",
            obj([("ip", s(ip)), ("additionalIps", Json::Arr(Vec::new()))]),
        ),
        (
            "linux",
            obj([(
                "namespaces",
                obj([(
                    "options",
                    obj([
                        ("network", s(network)),
                        ("pid", s("CONTAINER")),
                        ("ipc", s("POD")),
                        ("targetId", s("")),
                    ]),
                )]),
            )]),
        ),
        ("labels", string_map(&*sb.config.labels)),
        ("annotations", string_map(&*sb.config.annotations)),
        ("runtimeHandler", s("")),
    ])
}

/// containerd's verbose sandbox info (the parts emulated).
fn sandbox_info(sb: &Sandbox) -> Json {
    obj([
        ("pid", Json::Int(if sb.ready { sb.pid.into() } else { 0 })),
        (
            "processStatus",
            s(if sb.ready { "running" } else { "stopped" }),
        ),
        ("netNamespaceClosed", Json::Bool(!sb.ready)),
        ("image", s(PAUSE_IMAGE)),
        ("snapshotKey", s(&sb.id)),
        ("snapshotter", s("overlayfs")),
        ("runtimeHandler", s("")),
        ("runtimeType", s("io.containerd.runc.v2")),
        (
            "runtimeOptions",
            obj([("systemd_cgroup", Json::Bool(true))]),
        ),
    ])
}
