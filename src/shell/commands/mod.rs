//! The commands a learner can run in the terminal, one module per family, and the dispatcher.

pub mod coreutils;
pub mod crictl;
pub mod editor;
pub mod help;
pub mod jq;
pub mod kubectl;
pub mod node;
pub mod sleep;
pub mod systemd;
pub mod watch;

use std::collections::BTreeMap;

use crate::cluster::Cluster;
use crate::shell::follow::{Follow, FollowKind};
use crate::shell::io::{Invocation, Output};
use crate::sim::time::parse_go_duration;
use crate::sim::wallclock::date_string;
use crate::sim::{SimDuration, SimTime};

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
    /// Where a command that follows (`kubectl get -w`, `logs -f`, `journalctl -f`, `watch`,
    /// `sleep`) hands itself over to go on as the browser terminal's foreground job; `None`
    /// when it must finish by itself (a script, a pipeline, the runner).
    pub foreground: Option<&'a mut Option<Follow>>,
}

impl World<'_> {
    /// Hands `follow` over as the foreground job after its first output `initial`, or, with
    /// no terminal to hand it to, runs it for `bound` of virtual time (or until it ends by
    /// itself with `None`) and returns all its output.
    pub fn follow(
        &mut self,
        follow: impl Into<FollowKind>,
        initial: Output,
        bound: Option<SimDuration>,
    ) -> Output {
        let follow = Follow::new(follow);
        if let Some(slot) = self.foreground.take() {
            *slot = Some(follow);
            return initial;
        }
        let until = match bound {
            Some(bound) => self.cluster.now() + bound,
            None => SimTime(u64::MAX),
        };
        follow.run_bounded(self.cluster, until, initial)
    }
}

/// Every command name the shell knows besides its builtins and the coreutils (for `which`
/// and completion).
pub const COMMANDS: &[&str] = &[
    "crictl",
    "curl",
    "date",
    "etcdctl",
    "hostname",
    "ip",
    "jq",
    "journalctl",
    "kill",
    "kubeadm",
    "kubectl",
    "kubelet",
    "nano",
    "pgrep",
    "ps",
    "python3",
    "scp",
    "sleep",
    "ss",
    "su",
    "sudo",
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
    "alias", "bg", "cd", "clear", "echo", "exit", "export", "false", "fg", "help", "history",
    "jobs", "kill", "let", "local", "logout", "printf", "pwd", "return", "shift", "ssh", "true",
    "type", "unalias", "unset",
];

/// Runs `argv[0]` if the shell knows it; `None` for an unknown command.
pub fn run(world: &mut World<'_>, inv: Invocation<'_>) -> Option<Output> {
    let name = inv.argv[0].as_str();
    let out = match name {
        "sleep" => sleep::sleep(world, inv.argv),
        "watch" => watch::watch(world, inv.argv),
        "date" => Output::ok(format!("{}\n", date_string(world.cluster.now()))),
        "hostname" => node::hostname::hostname(world, inv.argv),
        "ip" => node::ip::ip(world, inv.argv),
        "ss" => node::ss::ss(world, inv.argv),
        "pgrep" => node::pgrep::pgrep(world, inv.argv),
        "kubeadm" => node::kubeadm::kubeadm(world, inv.argv),
        // etcdctl is installed on the control-plane node only.
        "etcdctl"
            if world.cluster.host(world.host).node.name == crate::apiserver::API_SERVER_HOST =>
        {
            node::etcdctl::etcdctl(world, inv.argv)
        }
        "kubelet" => node::kubeadm::kubelet(inv.argv),
        "vi" | "vim" | "nano" => editor::editor(inv.argv),
        "which" => which(world, inv.argv),
        "type" => type_of(world, inv.argv),
        "jq" => jq::jq(world, inv.argv, inv.stdin),
        "systemctl" => systemd::systemctl(world, inv.argv),
        "journalctl" => systemd::journalctl(world, inv.argv),
        "help" => help::help(inv.argv),
        "crictl" => crictl::crictl(world, inv.argv),
        "kubectl" => kubectl::kubectl(world, inv),
        "ps" => node::ps::ps(world, inv.argv),
        "kill" => node::kill::kill(world, inv.argv),
        "curl" => node::curl::curl(world, inv.argv),
        "scp" => node::scp::scp(world, inv.argv),
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

fn which(world: &World<'_>, argv: &[String]) -> Output {
    let mut out = String::new();
    let mut code = 0;
    for name in &argv[1..] {
        match binary_path(world, name) {
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

fn type_of(world: &World<'_>, argv: &[String]) -> Output {
    let mut out = String::new();
    let mut err = String::new();
    for name in &argv[1..] {
        if BUILTINS.contains(&name.as_str()) {
            out.push_str(&format!("{name} is a shell builtin\n"));
        } else if let Some(path) = binary_path(world, name) {
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

/// Where a command lives on an Ubuntu node with kubeadm's packages (etcdctl is installed on
/// the control-plane node only).
fn binary_path(world: &World<'_>, name: &str) -> Option<String> {
    let control_plane =
        world.cluster.host(world.host).node.name == crate::apiserver::API_SERVER_HOST;
    let dir = match name {
        "etcdctl" if !control_plane => return None,
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
