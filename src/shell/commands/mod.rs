//! The commands a learner can run in the terminal, one module per family, and the dispatcher.

pub mod coreutils;
pub mod crictl;
pub mod editor;
pub mod help;
pub mod jq;
pub mod kubectl;
pub mod node;
pub mod systemd;
pub mod watch;

use std::collections::BTreeMap;

use crate::cluster::Cluster;
use crate::shell::follow::{Follow, FollowKind};
use crate::shell::io::{Invocation, Output};
use crate::shell::session::Frame;
use crate::sim::time::parse_go_duration;
use crate::sim::wallclock::date_string;
use crate::sim::SimDuration;

/// What a command runs against: the cluster, the host the shell is on, and the shell's state.
pub struct World<'a> {
    /// The whole cluster (time, hosts, API server).
    pub cluster: &'a mut Cluster,
    /// The host the shell runs on.
    pub host: usize,
    /// The shell's working directory.
    pub cwd: &'a str,
    /// The shell's variables.
    pub vars: &'a BTreeMap<String, String>,
    /// Set when the command was started in the background (`cmd &`): its pid.
    pub background: Option<u32>,
    /// The pid of the shell running the command (`$$`).
    pub shell_pid: u32,
    /// The other commands of the same pipeline as typed (`grep kubelet` beside `ps aux`).
    pub peers: &'a [String],
    /// The command is the whole line typed at an interactive terminal: a command that keeps
    /// running (`kubectl get -w`, `logs -f`, `watch`, `sleep`) may hand back a
    /// [`Follow`] in `follow` instead of running for a bounded stretch.
    pub streaming: bool,
    /// Where such a command leaves its follow.
    pub follow: Option<Follow>,
}

impl<'a> World<'a> {
    /// The world of a command run by `frame`'s shell, not streaming.
    pub fn for_frame(cluster: &'a mut Cluster, frame: &'a Frame) -> World<'a> {
        World {
            cluster,
            host: frame.host,
            cwd: &frame.cwd,
            vars: &frame.vars,
            background: None,
            shell_pid: frame.pid,
            peers: &[],
            streaming: false,
            follow: None,
        }
    }
}

/// Every command name the shell knows besides its builtins and the coreutils (for `which`
/// and completion).
pub const COMMANDS: &[&str] = &[
    "crictl",
    "curl",
    "date",
    "hostname",
    "jq",
    "journalctl",
    "kill",
    "kubectl",
    "nano",
    "ps",
    "python3",
    "sleep",
    "systemctl",
    "vi",
    "vim",
    "watch",
    "which",
];

/// Whether `name` is a command the shell can run (not counting builtins).
pub fn is_command(name: &str) -> bool {
    COMMANDS.contains(&name) || coreutils::COMMANDS.contains(&name)
}

/// The shell's builtins (for `type` and completion).
pub const BUILTINS: &[&str] = &[
    "cd", "clear", "echo", "exit", "export", "false", "help", "history", "kill", "logout",
    "printf", "pwd", "ssh", "true", "type", "unset",
];

/// Runs `argv[0]` if the shell knows it; `None` for an unknown command.
pub fn run(world: &mut World<'_>, inv: Invocation<'_>) -> Option<Output> {
    let name = inv.argv[0].as_str();
    let out = match name {
        "sleep" => sleep(world, inv.argv),
        "date" => Output::ok(format!("{}\n", date_string(world.cluster.now()))),
        "hostname" => Output::ok(format!("{}\n", world.cluster.host(world.host).node.name)),
        "vi" | "vim" | "nano" => editor::editor(inv.argv),
        "which" => which(inv.argv),
        "watch" => watch::watch(world, inv.argv),
        "type" => type_of(inv.argv),
        "jq" => jq::jq(world, inv.argv, inv.stdin),
        "systemctl" => systemd::systemctl(world, inv.argv),
        "journalctl" => systemd::journalctl(world, inv.argv),
        "help" => help::help(inv.argv),
        "crictl" => crictl::crictl(world, inv.argv),
        "kubectl" => kubectl::kubectl(world, inv),
        "ps" => node::ps::ps(world, inv.argv),
        "kill" => node::kill::kill(world, inv.argv),
        "curl" => node::curl::curl(world, inv.argv),
        "python3" | "python" => node::http_server::python(world, inv.argv),
        name if coreutils::COMMANDS.contains(&name) => {
            let (fs, rng, now, host) = world.cluster.fs_parts(world.host);
            let mut ctx = crate::shell::io::FsContext {
                fs,
                cwd: world.cwd,
                now,
                env: world.vars,
                rng,
                host,
            };
            return coreutils::run(&mut ctx, inv);
        }
        _ => return None,
    };
    Some(out)
}

/// `sleep N[smhd]...`: advances the virtual clock, running everything that happens meanwhile.
fn sleep(world: &mut World<'_>, argv: &[String]) -> Output {
    if argv.len() < 2 {
        return Output::err(
            "sleep: missing operand\nTry 'sleep --help' for more information.\n",
            1,
        );
    }
    let mut total = SimDuration::ZERO;
    for arg in &argv[1..] {
        let text = arg.as_str();
        let (number, unit) = match text.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
            Some((idx, _)) => text.split_at(idx),
            None => (text, "s"),
        };
        let multiplier = match unit {
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86400.0,
            _ => f64::NAN,
        };
        let Ok(value) = number.parse::<f64>() else {
            return Output::err(
                format!("sleep: invalid time interval '{text}'\nTry 'sleep --help' for more information.\n"),
                1,
            );
        };
        if multiplier.is_nan() || value < 0.0 {
            return Output::err(
                format!("sleep: invalid time interval '{text}'\nTry 'sleep --help' for more information.\n"),
                1,
            );
        }
        total = total + SimDuration::from_millis((value * multiplier * 1000.0) as u64);
    }
    // One virtual day at most per call, so a typo cannot stall the page.
    let total = total.min(SimDuration::from_secs(86_400));
    let from = world.cluster.now();
    if world.streaming && total > SimDuration::ZERO {
        // The browser fast-forwards to the end in slices, and Ctrl-C stops it there.
        let until = from + total;
        world.follow = Some(Follow::new(until, FollowKind::Sleep { from, until }));
        return Output::default();
    }
    world.cluster.advance(total);
    Output::default()
}

fn which(argv: &[String]) -> Output {
    let mut out = String::new();
    let mut code = 0;
    for name in &argv[1..] {
        match binary_path(name) {
            Some(path) => out.push_str(&format!("{path}\n")),
            None => code = 1,
        }
    }
    Output {
        stdout: out,
        stderr: String::new(),
        code,
        stderr_after: Vec::new(),
    }
}

fn type_of(argv: &[String]) -> Output {
    let mut out = String::new();
    let mut err = String::new();
    for name in &argv[1..] {
        if BUILTINS.contains(&name.as_str()) {
            out.push_str(&format!("{name} is a shell builtin\n"));
        } else if let Some(path) = binary_path(name) {
            out.push_str(&format!("{name} is {path}\n"));
        } else {
            err.push_str(&format!("bash: type: {name}: not found\n"));
        }
    }
    let code = i32::from(!err.is_empty());
    Output {
        stdout: out,
        stderr: err,
        code,
        stderr_after: Vec::new(),
    }
}

/// Where a command lives on an Ubuntu node with kubeadm's packages.
fn binary_path(name: &str) -> Option<String> {
    let dir = match name {
        "kubectl" | "kubelet" | "kubeadm" | "crictl" => "/usr/bin",
        n if is_command(n) => "/usr/bin",
        _ => return None,
    };
    Some(format!("{dir}/{name}"))
}

/// Parses a Go-style or plain-seconds duration argument (`--since 5m`, `-w 10s`).
pub fn parse_duration_arg(text: &str) -> Option<SimDuration> {
    if let Ok(secs) = text.parse::<u64>() {
        return Some(SimDuration::from_secs(secs));
    }
    parse_go_duration(text).ok()
}
