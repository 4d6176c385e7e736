//! systemd on each host: loading unit files from the host's disk, starting and stopping the
//! kubelet service with the command line its unit and drop-ins build, `Restart=always` with
//! `RestartSec=`, `daemon-reload`, and the lines systemd writes to the journal.
//!
//! Simplified: `kubelet.service` is the only unit whose process systemd really controls;
//! `containerd.service` is loaded and reported active but cannot be stopped.

use crate::cluster::{Cluster, Wake};
use crate::node::fs::Fs;
use crate::node::systemd::{
    expand_exec, load_service, parse_environment_file, ActiveState, Restart, UnitState,
};
use crate::sim::trace::Event;

/// The kubelet's unit.
pub const KUBELET_SERVICE: &str = "kubelet.service";
/// containerd's unit.
pub const CONTAINERD_SERVICE: &str = "containerd.service";

/// Where systemd looks for unit files, highest priority first.
const UNIT_DIRS: &[&str] = &[
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
];

/// The files defining `unit` on `fs`: the main file, then drop-ins in the order systemd
/// applies them (by file name; for one name the highest-priority directory wins).
pub fn unit_files(fs: &Fs, unit: &str) -> Vec<(String, String)> {
    let Some(main) = UNIT_DIRS
        .iter()
        .map(|dir| format!("{dir}/{unit}"))
        .find(|p| fs.stat(p).is_ok_and(|m| m.is_file()))
    else {
        return Vec::new();
    };
    let mut files = vec![(main.clone(), fs.read_to_string(&main).unwrap_or_default())];
    let mut dropins: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for dir in UNIT_DIRS.iter().rev() {
        let d = format!("{dir}/{unit}.d");
        let Ok(entries) = fs.read_dir(&d) else {
            continue;
        };
        for e in entries.into_iter().filter(|e| e.name.ends_with(".conf")) {
            dropins.insert(e.name.clone(), format!("{d}/{}", e.name));
        }
    }
    for path in dropins.into_values() {
        let text = fs.read_to_string(&path).unwrap_or_default();
        files.push((path, text));
    }
    files
}

/// Whether systemd reads `path` for `unit`: the unit file in one of its directories, or a
/// `.conf` drop-in in one of their `UNIT.d/` folders.
pub fn is_unit_file(path: &str, unit: &str) -> bool {
    UNIT_DIRS.iter().any(|dir| {
        let Some(rest) = path.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) else {
            return false;
        };
        if rest == unit {
            return true;
        }
        rest.strip_prefix(unit)
            .and_then(|r| r.strip_prefix(".d/"))
            .is_some_and(|name| name.ends_with(".conf") && !name.contains('/'))
    })
}

/// Where the kubelet binary is: the package installs `/usr/bin/kubelet`, and Ubuntu's merged
/// `/usr` makes `/bin/kubelet` the same file.
const KUBELET_BINARIES: &[&str] = &["/usr/bin/kubelet", "/bin/kubelet"];

/// The path systemd could not find for `ExecStart=`'s program, if it cannot: a bare name is
/// looked up in `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin` as systemd does.
///
/// Simplified: the node's disk holds no binaries, so only the kubelet's own paths run; any
/// other program (even a file the learner wrote there) fails as a missing one does.
fn missing_executable(program: &str) -> Option<String> {
    if program.contains('/') {
        return (!KUBELET_BINARIES.contains(&program)).then(|| program.to_string());
    }
    if program == "kubelet" {
        return None;
    }
    Some(program.to_string())
}

/// systemd's "Unit ... not found." error.
fn not_found(unit: &str) -> String {
    format!("Unit {unit} not found.")
}

/// A unit name with `.service` added when it has no suffix, as systemctl does.
pub fn unit_name(name: &str) -> String {
    if name.contains('.') {
        name.to_string()
    } else {
        format!("{name}.service")
    }
}

impl Cluster {
    /// Writes one of systemd's own lines about `unit` to host `idx`'s journal.
    pub(super) fn journal_unit_line(&mut self, idx: usize, unit: &str, message: String) {
        self.journal_systemd(idx, unit, message);
    }

    /// The unit's main process exited on its own (`code`, or `None` when a signal killed it):
    /// systemd restarts it after `RestartSec=` if `Restart=` says so.
    pub(super) fn unit_process_exited(&mut self, idx: usize, unit: &str, code: Option<i32>) {
        if !self.hosts[idx].units.contains_key(unit) {
            return;
        }
        self.unit_failed(idx, unit, code);
    }

    fn journal_systemd(&mut self, idx: usize, unit: &str, message: String) {
        let host = self.hosts[idx].node.name.clone();
        self.trace.record(
            self.now,
            &host,
            Event::Journal {
                identifier: "systemd".into(),
                pid: 1,
                unit: unit.to_string(),
                message,
            },
        );
    }

    /// (Re)loads every unit systemd knows on host `idx` from disk (`systemctl daemon-reload`).
    pub fn daemon_reload(&mut self, idx: usize) {
        let names: Vec<String> = self.hosts[idx].units.keys().cloned().collect();
        for name in names {
            self.load_unit(idx, &name);
        }
    }

    /// Loads (or reloads) one unit from disk; false if no unit file exists.
    pub fn load_unit(&mut self, idx: usize, unit: &str) -> bool {
        let files = unit_files(&self.hosts[idx].node.fs, unit);
        if files.is_empty() {
            return false;
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let now = self.now;
        let units = &mut self.hosts[idx].units;
        match units.get_mut(unit) {
            Some(state) => {
                state.loaded = load_service(&refs);
                state.sources = files.iter().map(|(p, _)| p.clone()).collect();
                state.changed_on_disk = false;
            }
            None => {
                units.insert(unit.to_string(), UnitState::load(unit, &refs, now));
            }
        }
        true
    }

    /// Whether `unit`'s files changed on disk since systemd loaded them.
    pub fn unit_changed_on_disk(&self, idx: usize, unit: &str) -> bool {
        let Some(state) = self.hosts[idx].units.get(unit) else {
            return false;
        };
        let files = unit_files(&self.hosts[idx].node.fs, unit);
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        load_service(&refs) != state.loaded
            || files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>() != state.sources
    }

    /// `systemctl start UNIT`.
    pub fn unit_start(&mut self, idx: usize, unit: &str) -> Result<(), String> {
        if !self.hosts[idx].units.contains_key(unit) && !self.load_unit(idx, unit) {
            return Err(format!("Failed to start {unit}: {}", not_found(unit)));
        }
        if self.hosts[idx].units[unit].active == ActiveState::Active {
            return Ok(());
        }
        self.bump_unit_generation(idx, unit);
        if let Some(state) = self.hosts[idx].units.get_mut(unit) {
            state.restart_count = 0;
        }
        self.exec_unit(idx, unit);
        Ok(())
    }

    /// `systemctl stop UNIT`.
    pub fn unit_stop(&mut self, idx: usize, unit: &str) -> Result<(), String> {
        if !self.hosts[idx].units.contains_key(unit) {
            return Err(format!("Failed to stop {unit}: {}", not_found(unit)));
        }
        if unit == CONTAINERD_SERVICE {
            return Err(format!(
                "Failed to stop {unit}: the playground keeps the container runtime running (stop the kubelet, or containers with crictl)"
            ));
        }
        self.bump_unit_generation(idx, unit);
        let state = &self.hosts[idx].units[unit];
        let description = state.loaded.description.clone();
        match state.active {
            ActiveState::Active => {
                self.journal_systemd(idx, unit, format!("Stopping {unit} - {description}..."));
                if unit == KUBELET_SERVICE {
                    self.stop_kubelet(idx);
                }
                self.journal_systemd(idx, unit, format!("{unit}: Deactivated successfully."));
                self.journal_systemd(idx, unit, format!("Stopped {unit} - {description}."));
            }
            ActiveState::AutoRestart => {
                self.journal_systemd(idx, unit, format!("Stopped {unit} - {description}."));
            }
            _ => (),
        }
        let now = self.now;
        if let Some(state) = self.hosts[idx].units.get_mut(unit) {
            if state.active != ActiveState::Failed || state.main_pid.is_some() {
                state.active = ActiveState::Inactive;
            }
            state.main_pid = None;
            state.since = now;
        }
        Ok(())
    }

    /// `systemctl restart UNIT`.
    pub fn unit_restart(&mut self, idx: usize, unit: &str) -> Result<(), String> {
        if !self.hosts[idx].units.contains_key(unit) && !self.load_unit(idx, unit) {
            return Err(format!("Failed to restart {unit}: {}", not_found(unit)));
        }
        if unit == CONTAINERD_SERVICE {
            return Err(format!(
                "Failed to restart {unit}: the playground keeps the container runtime running"
            ));
        }
        self.unit_stop(idx, unit)?;
        self.bump_unit_generation(idx, unit);
        if let Some(state) = self.hosts[idx].units.get_mut(unit) {
            state.restart_count = 0;
        }
        self.exec_unit(idx, unit);
        Ok(())
    }

    fn bump_unit_generation(&mut self, idx: usize, unit: &str) -> u64 {
        let generation = self.hosts[idx]
            .unit_generations
            .entry(unit.to_string())
            .or_insert(0);
        *generation += 1;
        *generation
    }

    /// Runs the unit's `ExecStart=` now.
    fn exec_unit(&mut self, idx: usize, unit: &str) {
        let now = self.now;
        let state = self.hosts[idx].units[unit].clone();
        let description = state.loaded.description.clone();
        let mut env: std::collections::BTreeMap<String, String> =
            state.loaded.environment.iter().cloned().collect();
        for file in &state.loaded.environment_files {
            match self.hosts[idx].node.fs.read_to_string(&file.path) {
                Ok(text) => env.extend(parse_environment_file(&text)),
                Err(_) if file.optional => (),
                Err(_) => {
                    self.journal_systemd(
                        idx,
                        unit,
                        format!(
                            "{unit}: Failed to load environment files: No such file or directory"
                        ),
                    );
                    self.journal_systemd(
                        idx,
                        unit,
                        format!("{unit}: Failed to run 'start' task: No such file or directory"),
                    );
                    self.journal_systemd(
                        idx,
                        unit,
                        format!("{unit}: Failed with result 'resources'."),
                    );
                    self.journal_systemd(
                        idx,
                        unit,
                        format!("Failed to start {unit} - {description}."),
                    );
                    self.unit_failed(idx, unit, None);
                    return;
                }
            }
        }
        let Some(exec) = state.loaded.exec_start.clone() else {
            self.journal_systemd(
                idx,
                unit,
                format!(
                    "{unit}: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing."
                ),
            );
            self.unit_failed(idx, unit, None);
            return;
        };
        let argv = expand_exec(&exec, &env);
        self.hosts[idx]
            .unit_commands
            .insert(unit.to_string(), argv.clone());
        self.journal_systemd(idx, unit, format!("Started {unit} - {description}."));
        if unit == KUBELET_SERVICE {
            let program = argv.first().cloned().unwrap_or_default();
            if let Some(missing) = missing_executable(&program) {
                self.exec_failed(idx, unit, &program, &missing);
                return;
            }
        }
        let pid = if unit == KUBELET_SERVICE {
            match self.start_kubelet(idx, &argv[1.min(argv.len())..]) {
                Ok(pid) => Some(pid),
                Err(_) => {
                    self.journal_systemd(
                        idx,
                        unit,
                        format!("{unit}: Main process exited, code=exited, status=1/FAILURE"),
                    );
                    self.journal_systemd(
                        idx,
                        unit,
                        format!("{unit}: Failed with result 'exit-code'."),
                    );
                    self.unit_failed(idx, unit, Some(1));
                    return;
                }
            }
        } else {
            Some(self.hosts[idx].node.allocate_pid())
        };
        if let Some(state) = self.hosts[idx].units.get_mut(unit) {
            state.active = ActiveState::Active;
            state.main_pid = pid;
            state.since = now;
            state.last_exit = None;
        }
    }

    /// The forked child could not exec `program` (systemd's `EXIT_EXEC`): the child logs
    /// under `(name)` before exec, systemd reports `status=203/EXEC`.
    fn exec_failed(&mut self, idx: usize, unit: &str, program: &str, path: &str) {
        let pid = self.hosts[idx].node.allocate_pid();
        let name = program.rsplit('/').next().unwrap_or(program);
        let host = self.hosts[idx].node.name.clone();
        // The fork happened: `systemctl status` shows the child's pid and how it ended.
        self.trace.record(
            self.now,
            &host,
            Event::ProcessStarted {
                name: name.to_string(),
                pid,
                verbosity: 0,
            },
        );
        for message in [
            format!("{unit}: Failed to locate executable {path}: No such file or directory"),
            format!("{unit}: Failed at step EXEC spawning {path}: No such file or directory"),
        ] {
            self.trace.record(
                self.now,
                &host,
                Event::Journal {
                    identifier: format!("({name})"),
                    pid,
                    unit: unit.to_string(),
                    message,
                },
            );
        }
        self.journal_systemd(
            idx,
            unit,
            format!("{unit}: Main process exited, code=exited, status=203/EXEC"),
        );
        self.journal_systemd(
            idx,
            unit,
            format!("{unit}: Failed with result 'exit-code'."),
        );
        self.unit_failed(idx, unit, Some(203));
    }

    /// The unit's process failed: `failed`, or `activating (auto-restart)` with a restart
    /// queued after `RestartSec=`.
    fn unit_failed(&mut self, idx: usize, unit: &str, code: Option<i32>) {
        let now = self.now;
        let state = &self.hosts[idx].units[unit];
        let restarts = matches!(state.loaded.restart, Restart::Always | Restart::OnFailure);
        let delay = state.loaded.restart_sec;
        let generation = self.hosts[idx]
            .unit_generations
            .get(unit)
            .copied()
            .unwrap_or(0);
        if let Some(state) = self.hosts[idx].units.get_mut(unit) {
            state.main_pid = None;
            state.since = now;
            state.last_exit = code;
            state.active = if restarts {
                ActiveState::AutoRestart
            } else {
                ActiveState::Failed
            };
        }
        if restarts {
            self.queue.push(
                now + delay,
                Wake::UnitRestart {
                    host: idx,
                    unit: unit.to_string(),
                    generation,
                },
            );
        }
    }

    /// `RestartSec=` passed: systemd starts the unit again.
    pub(super) fn unit_restart_due(&mut self, idx: usize, unit: &str, generation: u64) {
        if self.hosts[idx]
            .unit_generations
            .get(unit)
            .copied()
            .unwrap_or(0)
            != generation
        {
            return;
        }
        let Some(state) = self.hosts[idx].units.get_mut(unit) else {
            return;
        };
        if state.active != ActiveState::AutoRestart {
            return;
        }
        state.restart_count += 1;
        let count = state.restart_count;
        self.journal_systemd(
            idx,
            unit,
            format!("{unit}: Scheduled restart job, restart counter is at {count}."),
        );
        self.exec_unit(idx, unit);
    }
}

// `systemctl enable`/`disable`: added for the systemctl command. Only the unit's enablement
// state changes; the simulated machines never reboot, so it decides nothing else.
impl Cluster {
    /// Marks `unit` enabled on host `idx`; whether it was disabled before. The error is
    /// systemctl's wording for a unit without a unit file.
    pub fn unit_enable(&mut self, idx: usize, unit: &str) -> Result<bool, String> {
        self.set_unit_enabled(idx, unit, true)
            .ok_or_else(|| format!("Failed to enable unit: Unit file {unit} does not exist."))
    }

    /// Marks `unit` disabled on host `idx`; whether it was enabled before.
    pub fn unit_disable(&mut self, idx: usize, unit: &str) -> Result<bool, String> {
        self.set_unit_enabled(idx, unit, false)
            .ok_or_else(|| format!("Failed to disable unit: Unit file {unit} does not exist."))
    }

    fn set_unit_enabled(&mut self, idx: usize, unit: &str, enabled: bool) -> Option<bool> {
        if !self.hosts[idx].units.contains_key(unit) && !self.load_unit(idx, unit) {
            return None;
        }
        let state = self.hosts[idx].units.get_mut(unit)?;
        let changed = state.enabled != enabled;
        state.enabled = enabled;
        Some(changed)
    }
}
