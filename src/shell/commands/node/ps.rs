//! procps-ng `ps` (4.0.4, Ubuntu 24.04): `ps aux` (BSD user format) and `ps -ef` (UNIX full
//! format) over the host's process table, plus the shell and the pipeline the command runs
//! in, as a real `ps aux | grep kubelet` also lists the `grep`.
//!
//! Simplified: %CPU, %MEM, VSZ and RSS are fixed plausible figures per program (the
//! emulation does not account for memory), and TIME is derived from %CPU and the age.

use crate::cluster::processes::{ProcessKind, ProcessRow};
use crate::shell::commands::World;
use crate::shell::io::Output;
use crate::sim::wallclock::timestamp;
use crate::sim::SimTime;

/// The memory of a node in KiB, for %MEM.
const MEMORY_KIB: f64 = 4_013_124.0;

/// One process as `ps` prints it.
struct Proc {
    user: String,
    pid: u32,
    ppid: u32,
    started: SimTime,
    tty: &'static str,
    stat: &'static str,
    command: String,
}

/// `ps [aux | -ef | -e]`.
pub fn ps(world: &mut World<'_>, argv: &[String]) -> Output {
    let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    let format = match args.as_slice() {
        [] => Format::Default,
        ["aux"] | ["-aux"] | ["axu"] | ["uax"] => Format::Aux,
        ["-ef"] | ["-e", "-f"] | ["-fe"] => Format::Full,
        ["-e"] | ["-A"] | ["ax"] => Format::Short,
        _ => {
            return Output::err(
                format!(
                "ps: {} is not supported in the playground; supported: ps, ps aux, ps -ef, ps -e\n",
                args.join(" ")
            ),
                1,
            )
        }
    };
    let procs = collect(world, argv.join(" "));
    let now = world.cluster.now();
    let mut out = String::new();
    match format {
        Format::Aux => {
            out.push_str(
                "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n",
            );
            for p in &procs {
                let (cpu, vsz, rss) = figures(&p.command);
                let mem = rss as f64 * 100.0 / MEMORY_KIB;
                out.push_str(&format!(
                    "{:<8} {:>7} {:>4.1} {:>4.1} {:>6} {:>5} {:<8} {:<4} {:>5} {:>6} {}\n",
                    p.user,
                    p.pid,
                    cpu,
                    mem,
                    vsz,
                    rss,
                    p.tty,
                    p.stat,
                    hhmm(p.started),
                    cpu_time(cpu, now, p.started, false),
                    p.command
                ));
            }
        }
        Format::Full => {
            out.push_str("UID          PID    PPID  C STIME TTY          TIME CMD\n");
            for p in &procs {
                let (cpu, _, _) = figures(&p.command);
                out.push_str(&format!(
                    "{:<8} {:>7} {:>7} {:>2} {:>5} {:<8} {:>8} {}\n",
                    p.user,
                    p.pid,
                    p.ppid,
                    cpu.round() as u32,
                    hhmm(p.started),
                    p.tty,
                    cpu_time(cpu, now, p.started, true),
                    p.command
                ));
            }
        }
        Format::Short | Format::Default => {
            out.push_str("    PID TTY          TIME CMD\n");
            for p in &procs {
                if format == Format::Default && p.tty == "?" {
                    continue;
                }
                let (cpu, _, _) = figures(&p.command);
                let name = p
                    .command
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches('-')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(15)
                    .collect::<String>();
                out.push_str(&format!(
                    "{:>7} {:<8} {:>8} {}\n",
                    p.pid,
                    p.tty,
                    cpu_time(cpu, now, p.started, true),
                    name
                ));
            }
        }
    }
    Output::ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Default,
    Short,
    Aux,
    Full,
}

/// The host's processes, the login shell and the commands of this pipeline.
fn collect(world: &mut World<'_>, typed: String) -> Vec<Proc> {
    let rows: Vec<ProcessRow> = world.cluster.processes(world.host);
    let shims: Vec<(String, u32)> = rows
        .iter()
        .filter_map(|r| match &r.kind {
            ProcessKind::Shim(id) => Some((id.clone(), r.pid)),
            _ => None,
        })
        .collect();
    let runtime = &world.cluster.host(world.host).node.runtime;
    let shim_of_sandbox = |sandbox: &str| {
        shims
            .iter()
            .find(|(id, _)| id == sandbox)
            .map_or(1, |(_, pid)| *pid)
    };
    let mut procs: Vec<Proc> = rows
        .iter()
        .map(|r| {
            let (ppid, stat) = match &r.kind {
                ProcessKind::Init => (0, "Ss"),
                ProcessKind::Unit(_) => (1, "Ssl"),
                ProcessKind::Shim(_) => (1, "Sl"),
                ProcessKind::Pause(sandbox) => (shim_of_sandbox(sandbox), "Ss"),
                ProcessKind::Container(id) => {
                    let sandbox = runtime
                        .container(id)
                        .map(|c| c.sandbox_id.clone())
                        .unwrap_or_default();
                    (shim_of_sandbox(&sandbox), "Ssl")
                }
                ProcessKind::HttpServer(_) => (world.shell_pid, "S"),
            };
            Proc {
                user: r.user.to_string(),
                pid: r.pid,
                ppid,
                started: r.started,
                tty: if matches!(r.kind, ProcessKind::HttpServer(_)) {
                    "pts/0"
                } else {
                    "?"
                },
                stat,
                command: r.command.clone(),
            }
        })
        .collect();
    let now = world.cluster.now();
    procs.push(Proc {
        user: "root".into(),
        pid: world.shell_pid,
        ppid: 1,
        started: SimTime::ZERO,
        tty: "pts/0",
        stat: "Ss",
        command: "-bash".into(),
    });
    let node = world.cluster.node_mut(world.host);
    let own = node.allocate_pid();
    let mut pipeline: Vec<(u32, String)> = Vec::new();
    for peer in world.peers {
        pipeline.push((node.allocate_pid(), peer.clone()));
    }
    procs.push(Proc {
        user: "root".into(),
        pid: own,
        ppid: world.shell_pid,
        started: now,
        tty: "pts/0",
        stat: "R+",
        command: typed,
    });
    for (pid, command) in pipeline {
        procs.push(Proc {
            user: "root".into(),
            pid,
            ppid: world.shell_pid,
            started: now,
            tty: "pts/0",
            stat: "S+",
            command,
        });
    }
    crate::sort::sort_by_key(&mut procs, |p| p.pid);
    procs
}

/// `(%CPU, VSZ KiB, RSS KiB)` for a command line.
fn figures(command: &str) -> (f64, u64, u64) {
    let program = command
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or_default();
    match program {
        "init" | "systemd" => (0.0, 22_328, 13_184),
        "kube-apiserver" => (4.6, 1_552_212, 318_724),
        "etcd" => (1.9, 11_740_104, 62_480),
        "kube-controller-manager" => (1.1, 1_306_432, 122_544),
        "kube-scheduler" => (0.5, 1_289_848, 64_852),
        "kubelet" => (1.7, 2_398_176, 98_364),
        "containerd" => (0.6, 2_469_820, 52_140),
        "containerd-shim-runc-v2" => (0.0, 1_238_396, 12_808),
        "pause" => (0.0, 1_020, 512),
        "kube-proxy" => (0.1, 1_288_104, 56_360),
        "coredns" => (0.2, 1_281_840, 53_532),
        "-bash" | "bash" => (0.0, 8_740, 5_504),
        "python3" | "python" => (0.0, 31_720, 22_284),
        "ps" => (0.0, 11_320, 4_480),
        "nginx:" | "nginx" => (0.0, 11_404, 7_480),
        _ => (0.0, 7_364, 3_612),
    }
}

/// `08:00`: when a process started (all processes started today).
fn hhmm(t: SimTime) -> String {
    let ts = timestamp(t).to_string();
    // `2026-11-22T08:00:00Z`: the hours and minutes.
    ts.get(11..16).unwrap_or("00:00").to_string()
}

/// Cumulative CPU time: `M:SS` for `aux`, `HH:MM:SS` for `-ef`.
fn cpu_time(cpu: f64, now: SimTime, started: SimTime, long: bool) -> String {
    let secs = (now.since(started).as_secs_f64() * cpu / 100.0) as u64;
    if long {
        format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}
