//! `systemctl status` (systemd 255, `print_status_info` in `src/systemctl/systemctl-show.c`):
//! the unit's load state and drop-ins, its activity with timestamps, the main process and
//! its exit, resource figures, the control group's processes and the unit's last journal
//! lines; without units, the host's overview.
//!
//! Simplified: lines are never ellipsized to the terminal width (as when piped); Tasks,
//! Memory and CPU are plausible figures derived from the unit's uptime, not measured; the
//! start of the journal window is found from systemd's own lines; the overview's
//! control-group tree shows init and the services, not the pods' slices.

use super::lines::{self, Format, Line};
use super::time::{format_relative, format_timespan, format_timestamp};
use crate::cluster::processes::{ProcessKind, ProcessRow};
use crate::cluster::services::{unit_files, CONTAINERD_SERVICE};
use crate::cluster::Cluster;
use crate::node::systemd::{ActiveState, UnitState};
use crate::sim::trace::Event;
use crate::sim::SimTime;

/// `EXIT_PROGRAM_NOT_RUNNING`: a unit is not active.
pub(super) const NOT_RUNNING: i32 = 3;
/// `EXIT_PROGRAM_OR_SERVICES_STATUS_UNKNOWN`: a unit could not be found.
pub(super) const STATUS_UNKNOWN: i32 = 4;

/// The blank column systemctl indents continuation lines with.
const INDENT: &str = "             ";

/// What one unit's status printed, and the exit status it implies.
pub(super) struct UnitStatus {
    /// The status block (stdout).
    pub(super) text: String,
    /// 0 when active, 3 otherwise.
    pub(super) code: i32,
}

/// The status block of `unit` on host `idx`, showing `lines` journal lines; `None` if
/// systemd has no such unit.
pub(super) fn unit_status(
    cluster: &Cluster,
    idx: usize,
    unit: &str,
    lines: usize,
) -> Option<UnitStatus> {
    let state = cluster.host(idx).units.get(unit)?;
    let now = cluster.now();
    let journal = lines::unit_lines(cluster, idx, unit);
    let run = last_run(cluster, idx, state, &journal);
    let mut out = String::new();

    let glyph = match state.active {
        ActiveState::Active | ActiveState::AutoRestart => "●",
        ActiveState::Inactive => "○",
        ActiveState::Failed => "×",
    };
    out.push_str(&format!("{glyph} {unit}"));
    if !state.loaded.description.is_empty() && state.loaded.description != unit {
        out.push_str(&format!(" - {}", state.loaded.description));
    }
    out.push('\n');

    let (main, dropins) = state
        .sources
        .split_first()
        .map_or(("", &[][..]), |(m, d)| (m.as_str(), d));
    let enablement = if state.enabled { "enabled" } else { "disabled" };
    out.push_str(&format!(
        "     Loaded: loaded ({main}; {enablement}; preset: enabled)\n"
    ));
    out.push_str(&dropin_lines(dropins));

    let result = match state.active {
        ActiveState::AutoRestart | ActiveState::Failed => run.result.clone(),
        _ => None,
    };
    let mut active = format!("     Active: {}", state.active_text());
    if let Some(result) = &result {
        active.push_str(&format!(" (Result: {result})"));
    }
    if run.started.is_some() || state.active != ActiveState::Inactive {
        active.push_str(&format!(
            " since {}; {}",
            format_timestamp(state.since),
            format_relative(now, state.since)
        ));
    }
    out.push_str(&active);
    out.push('\n');
    if matches!(state.active, ActiveState::Inactive | ActiveState::Failed) {
        if let Some(started) = run.started.filter(|s| *s <= state.since) {
            let ms = state.since.since(started).as_millis();
            out.push_str(&format!("   Duration: {}\n", format_timespan(ms, 1)));
        }
    }

    let docs = documentation(cluster, idx, main);
    for (i, doc) in docs.iter().enumerate() {
        let label = if i == 0 { "Docs:" } else { "" };
        out.push_str(&format!("   {label:>9} {doc}\n"));
    }

    let running = state.active == ActiveState::Active && state.main_pid.is_some();
    if let (false, Some(pid), Some(exit)) = (running, run.pid, &run.exit) {
        if let Some(exec) = &state.loaded.exec_start {
            out.push_str(&format!("    Process: {pid} ExecStart={exec} ({exit})\n"));
        }
        out.push_str(&format!("   Main PID: {pid} ({exit})\n"));
    }
    let processes = unit_processes(cluster, idx, unit);
    if running {
        if let Some(pid) = state.main_pid {
            let comm = processes
                .iter()
                .find(|p| p.pid == pid)
                .map(|p| comm(&p.command))
                .unwrap_or_default();
            out.push_str(&format!("   Main PID: {pid} ({comm})\n"));
        }
        let shims = processes.len().saturating_sub(1) as u64;
        let (tasks, memory_kib, peak_kib) = match unit == CONTAINERD_SERVICE {
            true => (
                9 + 11 * shims,
                41_062 + 6_348 * shims,
                47_514 + 6_348 * shims,
            ),
            false => (12, 39_117, 42_598),
        };
        out.push_str(&format!("      Tasks: {tasks}"));
        if unit != CONTAINERD_SERVICE {
            // containerd's unit sets TasksMax=infinity, so only the kubelet shows the limit.
            out.push_str(" (limit: 4613)");
        }
        out.push('\n');
        out.push_str(&format!(
            "     Memory: {} (peak: {})\n",
            format_kib(memory_kib),
            format_kib(peak_kib)
        ));
    }
    if let Some(started) = run.started {
        let end = if running { now } else { state.since };
        let uptime = end.since(started).as_millis();
        let cpu = match unit == CONTAINERD_SERVICE {
            true => 180 + uptime / 40,
            false => 38 + uptime / 50,
        };
        out.push_str(&format!("        CPU: {}\n", format_timespan(cpu, 1)));
    }
    if !processes.is_empty() {
        out.push_str(&format!("     CGroup: /system.slice/{unit}\n"));
        out.push_str(&process_tree(INDENT, &processes));
    }

    let window = &journal[since_activation(unit, &journal)..];
    let skip = window.len().saturating_sub(lines);
    let tail = &window[skip..];
    if !tail.is_empty() {
        out.push('\n');
        for line in tail {
            out.push_str(&lines::render(line, Format::Short, true));
            out.push('\n');
        }
    }
    let code = match state.active {
        ActiveState::Active => 0,
        _ => NOT_RUNNING,
    };
    Some(UnitStatus { text: out, code })
}

/// Where the lines `status` shows begin: systemctl asks the journal for lines newer than the
/// unit's last exit from the inactive state, which is after the last `Stopped` that precedes
/// the last `Started` (automatic restarts never pass through inactive).
fn since_activation(unit: &str, journal: &[Line]) -> usize {
    let is = |line: &Line, verb: &str| {
        line.ident == "systemd" && line.message.starts_with(&format!("{verb} {unit}"))
    };
    let Some(started) = journal.iter().rposition(|l| is(l, "Started")) else {
        return 0;
    };
    journal[..started]
        .iter()
        .rposition(|l| is(l, "Stopped"))
        .map_or(0, |stopped| stopped + 1)
}

/// `    Drop-In: DIR` then `└─a.conf, b.conf`, one group per directory.
fn dropin_lines(dropins: &[String]) -> String {
    let mut out = String::new();
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for path in dropins {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        match groups.last_mut() {
            Some((d, names)) if *d == dir => names.push(name),
            _ => groups.push((dir, vec![name])),
        }
    }
    for (i, (dir, names)) in groups.iter().enumerate() {
        let label = if i == 0 { "    Drop-In: " } else { INDENT };
        out.push_str(&format!("{label}{dir}\n{INDENT}└─{}\n", names.join(", ")));
    }
    out
}

/// `Documentation=` of the unit's main file, as on disk.
fn documentation(cluster: &Cluster, idx: usize, main: &str) -> Vec<String> {
    let text = cluster
        .host(idx)
        .node
        .fs
        .read_to_string(main)
        .unwrap_or_default();
    let mut docs = Vec::new();
    let mut section = "";
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if section != "[Unit]" {
            continue;
        }
        if let Some(value) = line.strip_prefix("Documentation=") {
            if value.trim().is_empty() {
                docs.clear();
            }
            docs.extend(value.split_whitespace().map(str::to_string));
        }
    }
    docs
}

/// What is known about the unit's current or last main process.
#[derive(Debug, Default)]
struct Run {
    /// When the unit last became active (`Started ...`).
    started: Option<SimTime>,
    /// The main process's pid.
    pid: Option<u32>,
    /// How it exited, as systemd words it: `code=exited, status=1/FAILURE`.
    exit: Option<String>,
    /// The unit's result after a failure: `exit-code`, `signal`, `resources`.
    result: Option<String>,
}

/// Reads the unit's last run from its journal lines and the process events.
fn last_run(cluster: &Cluster, idx: usize, state: &UnitState, journal: &[Line]) -> Run {
    let unit = state.name.as_str();
    let mut run = Run::default();
    let started_prefix = format!("Started {unit}");
    let start_idx = journal
        .iter()
        .rposition(|l| l.ident == "systemd" && l.message.starts_with(&started_prefix));
    if let Some(i) = start_idx {
        run.started = Some(journal[i].at);
    }
    let after = &journal[start_idx.map_or(0, |i| i + 1)..];
    for line in after.iter().filter(|l| l.ident == "systemd") {
        let body = line
            .message
            .strip_prefix(unit)
            .and_then(|b| b.strip_prefix(": "))
            .unwrap_or("");
        if let Some(exit) = body.strip_prefix("Main process exited, ") {
            run.exit = Some(exit.to_string());
        } else if body == "Deactivated successfully." && run.exit.is_none() {
            run.exit = Some("code=exited, status=0/SUCCESS".to_string());
        } else if let Some(result) = body
            .strip_prefix("Failed with result '")
            .and_then(|r| r.strip_suffix("'."))
        {
            run.result = Some(result.to_string());
        }
    }
    run.pid = state.main_pid.or_else(|| last_pid(cluster, idx, state));
    run
}

/// The pid of the last process the unit's `ExecStart=` program ran as.
fn last_pid(cluster: &Cluster, idx: usize, state: &UnitState) -> Option<u32> {
    let exec = state.loaded.exec_start.as_deref()?;
    let program = exec.split_whitespace().next()?;
    let name = program.rsplit('/').next()?;
    let host = &cluster.host(idx).node.name;
    cluster
        .trace()
        .records()
        .iter()
        .rev()
        .filter(|r| *r.host == **host)
        .find_map(|r| match &r.event {
            Event::ProcessStarted { name: n, pid, .. } if n == name => Some(*pid),
            _ => None,
        })
}

/// The processes in the unit's control group, main process first.
fn unit_processes(cluster: &Cluster, idx: usize, unit: &str) -> Vec<ProcessRow> {
    cluster
        .processes(idx)
        .into_iter()
        .filter(|p| match &p.kind {
            ProcessKind::Unit(u) => u == unit,
            // containerd's shims stay in its control group (KillMode=process).
            ProcessKind::Shim(_) => unit == CONTAINERD_SERVICE,
            _ => false,
        })
        .collect()
}

/// The process list under a control group: `├─ 812 /usr/bin/containerd`, pids right-aligned.
fn process_tree(prefix: &str, processes: &[ProcessRow]) -> String {
    let width = processes
        .iter()
        .map(|p| p.pid.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for (i, p) in processes.iter().enumerate() {
        let glyph = if i + 1 < processes.len() {
            "├─"
        } else {
            "└─"
        };
        out.push_str(&format!("{prefix}{glyph}{:>width$} {}\n", p.pid, p.command));
    }
    out
}

/// The process name the kernel reports (`comm`): the program's base name, 15 bytes at most.
fn comm(command: &str) -> String {
    let program = command.split_whitespace().next().unwrap_or("");
    program
        .rsplit('/')
        .next()
        .unwrap_or(program)
        .chars()
        .take(15)
        .collect()
}

/// systemd's `FORMAT_BYTES` of a size in KiB: `38.2M`, `1.1G`, `512K` (no `.0`).
fn format_kib(kib: u64) -> String {
    let units = [("K", 1u64), ("M", 1 << 10), ("G", 1 << 20)];
    let (suffix, div) = units
        .iter()
        .rev()
        .find(|(_, d)| kib >= *d)
        .copied()
        .unwrap_or(("K", 1));
    let tenths = kib * 10 / div;
    match tenths % 10 {
        0 => format!("{}{suffix}", tenths / 10),
        rest => format!("{}.{rest}{suffix}", tenths / 10),
    }
}

/// `systemctl status` without units: the host's overview.
pub(super) fn system_status(cluster: &Cluster, idx: usize) -> String {
    let host = cluster.host(idx);
    let now = cluster.now();
    let failed = host
        .units
        .values()
        .filter(|u| u.active == ActiveState::Failed)
        .count();
    let state = if failed > 0 { "degraded" } else { "running" };
    let mut out = format!("● {}\n", host.node.name);
    out.push_str(&format!("    State: {state}\n"));
    out.push_str("    Units: 268 loaded (incl. loaded aliases)\n");
    out.push_str("     Jobs: 0 queued\n");
    out.push_str(&format!(
        "   Failed: {failed} {}\n",
        if failed == 1 { "unit" } else { "units" }
    ));
    out.push_str(&format!(
        "    Since: {}; {}\n",
        format_timestamp(SimTime::ZERO),
        format_relative(now, SimTime::ZERO)
    ));
    out.push_str("  systemd: 255.4-1ubuntu8.6\n");
    out.push_str("   CGroup: /\n");
    let pad = "           ";
    out.push_str(&format!("{pad}├─init.scope\n{pad}│ └─1 /sbin/init\n"));
    out.push_str(&format!("{pad}└─system.slice\n"));
    let services: Vec<(&String, Vec<ProcessRow>)> = host
        .units
        .keys()
        .map(|name| (name, unit_processes(cluster, idx, name)))
        .filter(|(_, procs)| !procs.is_empty())
        .collect();
    for (i, (name, procs)) in services.iter().enumerate() {
        let last = i + 1 == services.len();
        let (glyph, cont) = if last {
            ("└─", "  ")
        } else {
            ("├─", "│ ")
        };
        out.push_str(&format!("{pad}  {glyph}{name}\n"));
        out.push_str(&process_tree(&format!("{pad}  {cont}"), procs));
    }
    out
}

/// Every unit file of `unit` on disk, for `systemctl cat`: `(path, text)`.
pub(super) fn files_on_disk(cluster: &Cluster, idx: usize, unit: &str) -> Vec<(String, String)> {
    unit_files(&cluster.host(idx).node.fs, unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropins_group_by_directory() {
        let text = dropin_lines(&[
            "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf".to_string(),
            "/etc/systemd/system/kubelet.service.d/20-extra.conf".to_string(),
        ]);
        assert_eq!(
            text,
            "    Drop-In: /etc/systemd/system/kubelet.service.d\n             └─10-kubeadm.conf, 20-extra.conf\n"
        );
    }

    #[test]
    fn journal_window_starts_at_the_last_activation() {
        let line = |ident: &str, message: &str| Line {
            at: SimTime::ZERO,
            unit: "kubelet.service".into(),
            host: "cp".into(),
            ident: ident.into(),
            pid: 1,
            message: message.into(),
            priority: 6,
        };
        let started = line("systemd", "Started kubelet.service - kubelet.");
        let stopped = line("systemd", "Stopped kubelet.service - kubelet.");
        let log = line("kubelet", "I1122 x");
        let unit = "kubelet.service";
        let journal = [
            started.clone(),
            log.clone(),
            stopped.clone(),
            started.clone(),
            log.clone(),
        ];
        assert_eq!(since_activation(unit, &journal), 3);
        // Stopped now: the window is the run that just ended.
        let journal = [
            started.clone(),
            log.clone(),
            stopped.clone(),
            started.clone(),
            stopped.clone(),
        ];
        assert_eq!(since_activation(unit, &journal), 3);
        // Crash loops restart without passing through inactive.
        let journal = [started.clone(), log.clone(), started.clone(), log];
        assert_eq!(since_activation(unit, &journal), 0);
    }

    #[test]
    fn sizes_render_like_format_bytes() {
        assert_eq!(format_kib(39_117), "38.2M");
        assert_eq!(format_kib(1_153_434), "1.1G");
        assert_eq!(format_kib(512), "512K");
    }

    #[test]
    fn pids_align_in_the_tree() {
        let row = |pid, command: &str| ProcessRow {
            pid,
            user: "root",
            started: SimTime::ZERO,
            command: command.to_string(),
            kind: ProcessKind::Init,
        };
        let tree = process_tree("  ", &[row(812, "/usr/bin/containerd"), row(1501, "shim")]);
        assert_eq!(tree, "  ├─ 812 /usr/bin/containerd\n  └─1501 shim\n");
        assert_eq!(comm("/usr/bin/kubelet --v=2"), "kubelet");
    }
}
