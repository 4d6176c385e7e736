//! `crictl ps`, `crictl stop` and `crictl rm` (`cmd/crictl/container.go`): listing
//! containers newest first with crictl's filters, and stopping or removing them through the
//! runtime, ids matched by unique prefix as containerd does.

use regex_lite::Regex;

use super::cli::{flag, Kind, Parsed};
use super::json::{obj, s, string_map, Json};
use super::{ago, fatal, go_quote, print_proto, show_help, table, truncated, unix_nanos};
use super::{Ctx, OutputFormat, Subcommand};
use crate::kubelet::container::{LABEL_POD_NAME, LABEL_POD_NAMESPACE};
use crate::node::cri::{ContainerState, Cri};
use crate::node::runtime::Container;
use crate::shell::io::Output;
use crate::sim::SimDuration;

/// `crictl ps`.
pub const PS: Subcommand = Subcommand {
    name: "ps",
    aliases: &[],
    usage: "List containers",
    args_usage: "",
    flags: &[
        flag("all", &["a"], Kind::Bool, "Show all containers (default: false)"),
        flag("id", &[], Kind::Str, "Filter by container id"),
        flag("label", &[], Kind::List, "Filter by key=value label"),
        flag("last", &["n"], Kind::Int, "Show last n recently created containers (includes all states). Set 0 for unlimited. (default: 0)"),
        flag("latest", &["l"], Kind::Bool, "Show the most recently created container (includes all states) (default: false)"),
        flag("name", &[], Kind::Str, "Filter by container name regular expression pattern"),
        flag("namespace", &[], Kind::Str, "Filter by pod namespace regular expression pattern"),
        flag("no-trunc", &[], Kind::Bool, "Show output without truncating the ID (default: false)"),
        flag("output", &["o"], Kind::Str, "Output format, One of: json|yaml|table (default: \"table\")"),
        flag("pod", &["p"], Kind::Str, "Filter by pod id"),
        flag("quiet", &["q"], Kind::Bool, "Only display container IDs (default: false)"),
        flag("state", &["s"], Kind::Str, "Filter by container state"),
        flag("verbose", &["v"], Kind::Bool, "Show verbose information for containers (default: false)"),
    ],
};

/// `crictl stop`.
pub const STOP: Subcommand = Subcommand {
    name: "stop",
    aliases: &[],
    usage: "Stop one or more running containers",
    args_usage: "CONTAINER-ID [CONTAINER-ID...]",
    flags: &[
        flag(
            "all",
            &["a"],
            Kind::Bool,
            "Stop all running containers (default: false)",
        ),
        flag(
            "timeout",
            &["t"],
            Kind::Int,
            "Seconds to wait to kill the container after a graceful stop is requested (default: 0)",
        ),
    ],
};

/// `crictl rm`.
pub const RM: Subcommand = Subcommand {
    name: "rm",
    aliases: &[],
    usage: "Remove one or more containers",
    args_usage: "CONTAINER-ID [CONTAINER-ID...]",
    flags: &[
        flag(
            "all",
            &["a"],
            Kind::Bool,
            "Remove all containers (default: false)",
        ),
        flag(
            "force",
            &["f"],
            Kind::Bool,
            "Force removal of the container, disregarding if running (default: false)",
        ),
        flag(
            "keep-logs",
            &["k"],
            Kind::Bool,
            "Preserve the container log file and its rotations (default: false)",
        ),
    ],
};

/// The filters of `crictl ps` (and of `inspect`/`exec` without ids): `listOptions`.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// `--id`.
    pub id: String,
    /// `--pod`.
    pub pod: String,
    /// `--name`.
    pub name: String,
    /// `--namespace`.
    pub namespace: String,
    /// `--state`.
    pub state: String,
    /// `--label`.
    pub labels: Vec<(String, String)>,
    /// `--all`.
    pub all: bool,
    /// `--latest`.
    pub latest: bool,
    /// `--last`.
    pub last: i64,
}

impl ListOptions {
    /// The options as `ps` reads them from its flags.
    pub fn from_flags(parsed: &Parsed) -> Result<ListOptions, String> {
        Ok(ListOptions {
            id: parsed.string("id"),
            pod: parsed.string("pod"),
            name: parsed.string("name"),
            namespace: parsed.string("namespace"),
            state: parsed.string("state"),
            labels: parse_labels(&parsed.list("label"))?,
            all: parsed.bool("all"),
            latest: parsed.bool("latest"),
            last: parsed.int("last", 0),
        })
    }
}

/// `parseLabelStringSlice`: `key=value` pairs.
pub fn parse_labels(items: &[String]) -> Result<Vec<(String, String)>, String> {
    items
        .iter()
        .map(|item| match item.split_once('=') {
            Some((k, v)) => Ok((k.to_string(), v.to_string())),
            None => Err(format!("incorrectly specified label: {item}")),
        })
        .collect()
}

/// `ListContainers`: the containers matching `opts`, newest first; the error is crictl's.
pub fn list<'r>(ctx: &'r Ctx<'_, '_>, opts: &ListOptions) -> Result<Vec<&'r Container>, String> {
    let runtime = ctx.runtime();
    let wanted_state = if opts.state.is_empty() {
        (!opts.all).then_some(ContainerState::Running)
    } else {
        Some(match opts.state.to_lowercase().as_str() {
            "created" => ContainerState::Created,
            "running" => ContainerState::Running,
            "exited" => ContainerState::Exited,
            "unknown" => ContainerState::Unknown,
            _ => return Err("--state should be one of created, running, exited or unknown".into()),
        })
    };
    // Do not filter by state when --latest or --last is given.
    let wanted_state = if opts.latest || opts.last > 0 {
        None
    } else {
        wanted_state
    };
    // containerd normalises id prefixes in the filter; an unknown prefix matches nothing.
    let id = (!opts.id.is_empty()).then(|| ctx.container_id(&opts.id).ok());
    let pod = (!opts.pod.is_empty()).then(|| ctx.sandbox_id(&opts.pod).ok());
    let name = regex(&opts.name)?;
    let namespace = regex(&opts.namespace)?;
    let mut found: Vec<&Container> = runtime
        .containers()
        .filter(|c| wanted_state.is_none_or(|st| c.state == st))
        .filter(|c| id.as_ref().is_none_or(|id| id.as_deref() == Some(&*c.id)))
        .filter(|c| {
            pod.as_ref()
                .is_none_or(|p| p.as_deref() == Some(&*c.sandbox_id))
        })
        .filter(|c| {
            opts.labels
                .iter()
                .all(|(k, v)| c.config.labels.get(k) == Some(v))
        })
        .filter(|c| name.as_ref().is_none_or(|re| re.is_match(&c.config.name)))
        .filter(|c| {
            namespace
                .as_ref()
                .is_none_or(|re| re.is_match(pod_namespace(c)))
        })
        .collect();
    crate::sort::sort_by(&mut found, |a, b| {
        b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id))
    });
    let mut n = found.len();
    if opts.latest {
        n = 1;
    }
    if opts.last > 0 {
        n = opts.last as usize;
    }
    found.truncate(n);
    Ok(found)
}

/// `matchesRegex`: an empty pattern matches everything; a bad pattern is an error.
fn regex(pattern: &str) -> Result<Option<Regex>, String> {
    if pattern.is_empty() {
        return Ok(None);
    }
    Regex::new(pattern)
        .map(Some)
        .map_err(|err| format!("error parsing regexp: {err}"))
}

/// The pod name a container's labels carry, `unknown` when missing.
pub fn pod_name(c: &Container) -> &str {
    c.config
        .labels
        .get(LABEL_POD_NAME)
        .map_or("unknown", String::as_str)
}

/// The pod namespace a container's labels carry, `unknown` when missing.
pub fn pod_namespace(c: &Container) -> &str {
    c.config
        .labels
        .get(LABEL_POD_NAMESPACE)
        .map_or("unknown", String::as_str)
}

/// `convertContainerState`.
pub fn state_word(state: ContainerState) -> &'static str {
    match state {
        ContainerState::Created => "Created",
        ContainerState::Running => "Running",
        ContainerState::Exited => "Exited",
        ContainerState::Unknown => "Unknown",
    }
}

/// The CRI enum name of a state.
pub fn state_enum(state: ContainerState) -> &'static str {
    match state {
        ContainerState::Created => "CONTAINER_CREATED",
        ContainerState::Running => "CONTAINER_RUNNING",
        ContainerState::Exited => "CONTAINER_EXITED",
        ContainerState::Unknown => "CONTAINER_UNKNOWN",
    }
}

/// `crictl ps`.
pub fn ps(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    if !parsed.args.is_empty() {
        return show_help("ps");
    }
    let format = match super::output_format(&parsed.string("output")) {
        Ok(format) => format,
        Err(err) => return fatal(&format!("listing containers: {err}")),
    };
    let opts = match ListOptions::from_flags(parsed) {
        Ok(opts) => opts,
        Err(err) => return fatal(&err),
    };
    let found = match list(ctx, &opts) {
        Ok(found) => found,
        Err(err) => return fatal(&err),
    };
    let now = ctx.now();
    if format != OutputFormat::Table {
        let items = found.iter().map(|c| container_json(c)).collect();
        return Output::ok(print_proto(
            &obj([("containers", Json::Arr(items))]),
            format,
        ));
    }
    let quiet = parsed.bool("quiet");
    let verbose = parsed.bool("verbose");
    let no_trunc = parsed.bool("no-trunc");
    if quiet {
        return Output::ok(
            found
                .iter()
                .map(|c| format!("{}\n", c.id))
                .collect::<String>(),
        );
    }
    if verbose {
        let mut out = String::new();
        for c in &found {
            out.push_str(&format!(
                "ID: {}\nPodID: {}\nNamespace: {}\nName: {}\nAttempt: {}\nState: {}\nImage: {}\nCreated: {}\n",
                c.id,
                c.sandbox_id,
                pod_namespace(c),
                c.config.name,
                c.config.attempt,
                state_word(c.state),
                c.image_id,
                ago(now, c.created_at)
            ));
            push_map(&mut out, "Labels", &c.config.labels);
            push_map(&mut out, "Annotations", &c.config.annotations);
            out.push('\n');
        }
        return Output::ok(out);
    }
    let mut rows = vec![[
        "CONTAINER",
        "IMAGE",
        "CREATED",
        "STATE",
        "NAME",
        "ATTEMPT",
        "POD ID",
        "POD",
        "NAMESPACE",
    ]
    .map(String::from)
    .to_vec()];
    for c in &found {
        let (id, pod, image) = if no_trunc {
            (
                c.id.to_string(),
                c.sandbox_id.to_string(),
                c.image_id.to_string(),
            )
        } else {
            (
                truncated(&c.id, ""),
                truncated(&c.sandbox_id, ""),
                truncated(&c.image_id, "sha256:"),
            )
        };
        rows.push(vec![
            id,
            image,
            ago(now, c.created_at),
            state_word(c.state).into(),
            c.config.name.clone(),
            c.config.attempt.to_string(),
            pod,
            pod_name(c).to_string(),
            pod_namespace(c).to_string(),
        ]);
    }
    Output::ok(table(&rows))
}

/// `Labels:` / `Annotations:` blocks of verbose listings, keys sorted.
pub fn push_map(out: &mut String, title: &str, map: &std::collections::BTreeMap<String, String>) {
    out.push_str(&format!("{title}:\n"));
    for (k, v) in map {
        out.push_str(&format!("\t{k} -> {v}\n"));
    }
}

/// A container as `ListContainersResponse` carries it (protojson, proto field order).
fn container_json(c: &Container) -> Json {
    obj([
        ("id", s(&*c.id)),
        ("podSandboxId", s(&*c.sandbox_id)),
        (
            "metadata",
            obj([
                ("name", s(&c.config.name)),
                ("attempt", Json::Int(c.config.attempt.into())),
            ]),
        ),
        ("image", image_spec(c)),
        ("imageRef", s(&*c.image_ref)),
        ("state", s(state_enum(c.state))),
        ("createdAt", s(unix_nanos(c.created_at).to_string())),
        ("labels", string_map(&*c.config.labels)),
        ("annotations", string_map(&*c.config.annotations)),
        ("imageId", s(&*c.image_id)),
    ])
}

/// A container's `ImageSpec`: the kubelet asks for the image by id and records what the pod
/// spec said.
pub fn image_spec(c: &Container) -> Json {
    obj([
        ("image", s(&*c.image_id)),
        ("annotations", Json::Obj(Vec::new())),
        ("userSpecifiedImage", s(&c.config.image)),
        ("runtimeHandler", s("")),
    ])
}

/// `crictl stop`.
pub fn stop(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    let all = parsed.bool("all");
    if all && !parsed.args.is_empty() {
        return Output::err("cannot specify CONTAINER-ID(s) when using --all\n", 1);
    }
    let targets: Vec<String> = if all {
        let running = ListOptions {
            state: "running".into(),
            ..ListOptions::default()
        };
        match list(ctx, &running) {
            Ok(found) if found.is_empty() => return Output::ok("No running containers found.\n"),
            Ok(found) => found.iter().map(|c| c.id.to_string()).collect(),
            Err(err) => return fatal(&err),
        }
    } else {
        if parsed.args.is_empty() {
            return Output::err(
                "you must specify at least one CONTAINER-ID or use --all\n",
                1,
            );
        }
        parsed.args.clone()
    };
    let timeout = SimDuration::from_secs(parsed.int("timeout", 0).max(0) as u64);
    let mut out = String::new();
    for typed in targets {
        if typed.is_empty() {
            return with_stdout(
                out,
                fatal("stopping the container \"\": ID cannot be empty"),
            );
        }
        let now = ctx.now();
        let result = ctx
            .container_id(&typed)
            .and_then(|id| ctx.runtime_mut().stop_container(now, &id, timeout));
        if let Err(err) = result {
            let failure = ctx.rpc_failure(
                "StopContainer from runtime service failed",
                "containerID",
                &typed,
                &err,
                &format!("stopping the container {}: {err}", go_quote(&typed)),
            );
            return with_stdout(out, failure);
        }
        ctx.cluster().settle();
        out.push_str(&format!("{typed}\n"));
    }
    Output::ok(out)
}

/// `crictl rm`.
pub fn rm(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    let targets: Vec<String> = if parsed.bool("all") {
        ctx.runtime()
            .containers()
            .map(|c| c.id.to_string())
            .collect()
    } else {
        parsed.args.clone()
    };
    if targets.is_empty() {
        if parsed.bool("all") {
            return Output::err("INFO[0000] No containers to remove\n", 0);
        }
        return show_help("rm");
    }
    let mut out = String::new();
    let mut errors = Vec::new();
    let mut klog = String::new();
    for typed in targets {
        let id = match ctx.container_id(&typed) {
            Ok(id) => id,
            Err(err) => {
                let failure = ctx.rpc_failure(
                    "ContainerStatus from runtime service failed",
                    "containerID",
                    &typed,
                    &err,
                    "",
                );
                klog.push_str(failure.stderr.lines().next().unwrap_or_default());
                klog.push('\n');
                errors.push(format!(
                    "getting container status {}: {err}",
                    go_quote(&typed)
                ));
                continue;
            }
        };
        let running = ctx
            .runtime()
            .container(&id)
            .is_some_and(|c| c.state == ContainerState::Running);
        let now = ctx.now();
        if running {
            if !parsed.bool("force") {
                errors.push(format!(
                    "container {} is running, please stop it first",
                    go_quote(&typed)
                ));
                continue;
            }
            if let Err(err) = ctx
                .runtime_mut()
                .stop_container(now, &id, SimDuration::ZERO)
            {
                errors.push(format!(
                    "stopping the container {}: {err}",
                    go_quote(&typed)
                ));
                continue;
            }
            out.push_str(&format!("{typed}\n"));
        }
        let log_path = ctx.runtime().log_path(&id).map(str::to_string);
        if let Err(err) = ctx.runtime_mut().remove_container(&id) {
            errors.push(format!("removing container {}: {err}", go_quote(&typed)));
            continue;
        }
        if !parsed.bool("keep-logs") {
            if let Some(path) = log_path {
                let host = ctx.world.host;
                let now = ctx.now();
                let fs = &mut ctx.cluster().node_mut(host).fs;
                let _ = fs.remove_file(now, &path);
            }
        }
        out.push_str(&format!("{typed}\n"));
    }
    if errors.is_empty() {
        return Output::ok(out);
    }
    // `errorUtils.AggregateGoroutines`: one error alone, or `[a, b]`.
    let message = if errors.len() == 1 {
        errors.remove(0)
    } else {
        format!("[{}]", errors.join(", "))
    };
    Output {
        stdout: out,
        stderr: format!("{klog}{}", super::fatal_line(&message)),
        code: 1,
        stderr_after: Vec::new(),
    }
}

/// `failure` with what was printed before it on stdout.
fn with_stdout(stdout: String, failure: Output) -> Output {
    Output { stdout, ..failure }
}
