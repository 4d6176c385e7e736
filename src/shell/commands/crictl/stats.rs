//! `crictl stats` and `crictl statsp` (`cmd/crictl/stats.go`, `pod_stats.go`): resource usage
//! of the running containers and pods.
//!
//! Simplified: the emulated runtime keeps no cgroup counters, so usage comes from a fixed
//! model: each well-known component has a typical working set and CPU share (the API server
//! the most, pause the least), varied per container by its id and per second by the clock,
//! so the figures are deterministic and move a little between runs. crictl samples for
//! `--seconds` and clears the screen first; here no time passes and nothing is cleared.
//! `-o json|yaml` and `--watch` say they are not supported.

use super::cli::{flag, Kind, Parsed};
use super::containers::parse_labels;
use super::human::human_size;
use super::{fatal, show_help, table, truncated, Ctx, Subcommand};
use crate::node::cri::ContainerState;
use crate::node::runtime::Container;
use crate::shell::io::Output;
use crate::sim::SimTime;

/// `crictl stats`.
pub const STATS: Subcommand = Subcommand {
    name: "stats",
    aliases: &[],
    usage: "List container(s) resource usage statistics",
    args_usage: "[ID]",
    flags: &[
        flag(
            "all",
            &["a"],
            Kind::Bool,
            "Show all containers (default shows just running) (default: false)",
        ),
        flag("id", &[], Kind::Str, "Filter by container id"),
        flag("label", &[], Kind::List, "Filter by key=value label"),
        flag(
            "output",
            &["o"],
            Kind::Str,
            "Output format, One of: json|yaml|table",
        ),
        flag("pod", &["p"], Kind::Str, "Filter by pod id"),
        flag(
            "seconds",
            &["s"],
            Kind::Int,
            "Sample duration for CPU usage in seconds (default: 1)",
        ),
        flag(
            "watch",
            &["w"],
            Kind::Bool,
            "Watch pod resources (default: false)",
        ),
    ],
};

/// `crictl statsp`.
pub const STATSP: Subcommand = Subcommand {
    name: "statsp",
    aliases: &[],
    usage: "List pod statistics. Stats represent a structured API that will fulfill the Kubelet's /stats/summary endpoint.",
    args_usage: "[ID]",
    flags: &[
        flag("id", &[], Kind::Str, "Filter by pod id"),
        flag("label", &[], Kind::List, "Filter by key=value label"),
        flag(
            "output",
            &["o"],
            Kind::Str,
            "Output format, One of: json|yaml|table",
        ),
        flag(
            "seconds",
            &["s"],
            Kind::Int,
            "Sample duration for CPU usage in seconds (default: 1)",
        ),
        flag(
            "watch",
            &["w"],
            Kind::Bool,
            "Watch pod resources (default: false)",
        ),
    ],
};

/// What one running container uses right now.
#[derive(Debug, Clone, Copy, Default)]
struct Usage {
    /// CPU, in percent of one core.
    cpu: f64,
    /// Working set, in bytes.
    mem: u64,
}

/// FNV-1a of `text`: a stable per-container variation.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The typical CPU share (percent) and working set (MB) of a container by its name.
fn profile(name: &str) -> (f64, f64) {
    match name {
        "kube-apiserver" => (3.2, 245.0),
        "etcd" => (1.6, 46.0),
        "kube-controller-manager" => (1.1, 52.0),
        "kube-scheduler" => (0.35, 23.0),
        "kube-proxy" => (0.08, 17.5),
        "coredns" => (0.2, 14.2),
        _ => (0.03, 4.1),
    }
}

/// The model's usage of a running container at `now`.
fn usage(c: &Container, now: SimTime) -> Usage {
    if c.state != ContainerState::Running {
        return Usage::default();
    }
    let (cpu, mem) = profile(&c.config.name);
    let seed = fnv(&c.id);
    let second = now.wall_millis() / 1000;
    let jitter = (fnv(&format!("{}{second}", c.id)) % 41) as f64 / 100.0 - 0.2;
    let mem_factor = 0.9 + (seed % 21) as f64 / 100.0;
    Usage {
        cpu: cpu * (1.0 + jitter),
        mem: (mem * mem_factor * 1_000_000.0) as u64,
    }
}

/// The writable layer's bytes and inodes, fixed per container.
fn writable_layer(c: &Container) -> (u64, u64) {
    let seed = fnv(&c.id);
    (12_288 + (seed % 6) * 4096, 6 + seed % 9)
}

/// Refuses the flags the playground does not emulate.
fn unsupported(name: &str, parsed: &Parsed) -> Option<Output> {
    let output = parsed.string("output");
    if !output.is_empty() && output != "table" {
        return Some(Output::err(
            format!(
                "crictl: {name} -o {output} is not supported in the playground (only the table)\n"
            ),
            1,
        ));
    }
    if parsed.bool("watch") {
        return Some(Output::err(
            format!("crictl: {name} --watch is not supported in the playground; use watch crictl {name}\n"),
            1,
        ));
    }
    None
}

/// `crictl stats [ID]`.
pub fn stats(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    if parsed.args.len() > 1 {
        return show_help("stats");
    }
    if let Some(out) = unsupported("stats", parsed) {
        return out;
    }
    let labels = match parse_labels(&parsed.list("label")) {
        Ok(labels) => labels,
        Err(err) => return fatal(&err),
    };
    let mut id = parsed.string("id");
    if id.is_empty() {
        id = parsed.args.first().cloned().unwrap_or_default();
    }
    let pod = parsed.string("pod");
    let now = ctx.now();
    let runtime = ctx.runtime();
    let mut containers: Vec<&Container> = runtime
        .containers()
        .filter(|c| id.is_empty() || c.id.starts_with(&id))
        .filter(|c| pod.is_empty() || c.sandbox_id.starts_with(&pod))
        .filter(|c| {
            labels
                .iter()
                .all(|(k, v)| c.config.labels.get(k) == Some(v))
        })
        .collect();
    containers.sort_by(|a, b| a.id.cmp(&b.id));
    let mut rows = vec![[
        "CONTAINER",
        "NAME",
        "CPU %",
        "MEM",
        "DISK",
        "INODES",
        "SWAP",
    ]
    .map(String::from)
    .to_vec()];
    for c in containers {
        let use_now = usage(c, now);
        if !parsed.bool("all") && use_now.mem == 0 {
            continue;
        }
        let (disk, inodes) = writable_layer(c);
        rows.push(vec![
            truncated(&c.id, ""),
            c.config.name.clone(),
            format!("{:.2}", use_now.cpu),
            human_size(use_now.mem as f64, 4),
            human_size(disk as f64, 4),
            inodes.to_string(),
            human_size(0.0, 4),
        ]);
    }
    Output::ok(table(&rows))
}

/// `crictl statsp [ID]`.
pub fn statsp(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    if parsed.args.len() > 1 {
        return show_help("statsp");
    }
    if let Some(out) = unsupported("statsp", parsed) {
        return out;
    }
    let labels = match parse_labels(&parsed.list("label")) {
        Ok(labels) => labels,
        Err(err) => return fatal(&format!("parse pod labels: {err}")),
    };
    let mut id = parsed.string("id");
    if id.is_empty() {
        id = parsed.args.first().cloned().unwrap_or_default();
    }
    let now = ctx.now();
    let runtime = ctx.runtime();
    let mut sandboxes: Vec<_> = runtime
        .sandboxes()
        .filter(|s| s.ready)
        .filter(|s| id.is_empty() || s.id.starts_with(&id))
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.config.labels.get(k) == Some(v))
        })
        .collect();
    sandboxes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut rows = vec![["POD", "POD ID", "CPU %", "MEM"].map(String::from).to_vec()];
    for sandbox in sandboxes {
        // The pause container holds a few hundred kilobytes and no CPU to speak of.
        let mut total = Usage {
            cpu: 0.0,
            mem: 290_000 + fnv(&sandbox.id) % 60_000,
        };
        for c in runtime
            .containers()
            .filter(|c| *c.sandbox_id == *sandbox.id)
        {
            let u = usage(c, now);
            total.cpu += u.cpu;
            total.mem += u.mem;
        }
        rows.push(vec![
            sandbox.config.name.clone(),
            truncated(&sandbox.id, ""),
            format!("{:.2}", total.cpu),
            human_size(total.mem as f64, 4),
        ]);
    }
    Output::ok(table(&rows))
}
