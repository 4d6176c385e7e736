//! systemd's view of a service: a unit file plus drop-ins, parsed the way systemd reads them,
//! and the command line it runs (`ExecStart=` with `Environment=`/`EnvironmentFile=`
//! expansion).
//!
//! Simplified: only the `[Unit]` and `[Service]` keys a kubelet unit uses are interpreted
//! (`Description`, `ExecStart`, `Environment`, `EnvironmentFile`, `Restart`, `RestartSec`);
//! other keys are kept for `systemctl cat` but have no effect.

use std::collections::BTreeMap;

use crate::sim::time::{parse_go_duration, SimDuration};

/// The restart policy of a service (`Restart=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restart {
    /// `no`: never restart.
    No,
    /// `always`: restart whenever the process exits.
    Always,
    /// `on-failure`: restart after a non-zero exit or a signal.
    OnFailure,
}

/// One `EnvironmentFile=` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentFile {
    /// The file's path.
    pub path: String,
    /// A leading `-`: a missing file is not an error.
    pub optional: bool,
}

/// The merged service definition systemd loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// `Description=`.
    pub description: String,
    /// The effective `ExecStart=` command line (after drop-in resets), unexpanded.
    pub exec_start: Option<String>,
    /// `Environment=` assignments, in order.
    pub environment: Vec<(String, String)>,
    /// `EnvironmentFile=` entries, in order.
    pub environment_files: Vec<EnvironmentFile>,
    /// `Restart=`.
    pub restart: Restart,
    /// `RestartSec=` (systemd's default is 100ms).
    pub restart_sec: SimDuration,
    /// Problems systemd would log while loading (it still loads the unit).
    pub warnings: Vec<String>,
}

/// Parses a unit file and its drop-ins (already in the order systemd applies them: the main
/// file, then drop-ins sorted by file name) into the service definition.
pub fn load_service(files: &[(&str, &str)]) -> Service {
    let mut service = Service {
        description: String::new(),
        exec_start: None,
        environment: Vec::new(),
        environment_files: Vec::new(),
        restart: Restart::No,
        restart_sec: SimDuration::from_millis(100),
        warnings: Vec::new(),
    };
    let mut exec_starts: Vec<String> = Vec::new();
    for (path, text) in files {
        for (idx, section, key, value) in entries(text) {
            let line = idx + 1;
            match (section.as_str(), key.as_str()) {
                ("Unit", "Description") => service.description = value,
                ("Service", "ExecStart") if value.is_empty() => exec_starts.clear(),
                ("Service", "ExecStart") => exec_starts.push(value),
                ("Service", "Environment") => match split_quoted(&value) {
                    Ok(words) => {
                        for word in words {
                            match word.split_once('=') {
                                Some((k, v)) => service.environment.push((k.into(), v.into())),
                                None => service.warnings.push(format!(
                                    "{path}:{line}: Invalid environment assignment, ignoring: {word}"
                                )),
                            }
                        }
                    }
                    Err(err) => service.warnings.push(format!("{path}:{line}: {err}")),
                },
                ("Service", "EnvironmentFile") if value.is_empty() => {
                    service.environment_files.clear()
                }
                ("Service", "EnvironmentFile") => {
                    let (optional, path) = match value.strip_prefix('-') {
                        Some(rest) => (true, rest),
                        None => (false, value.as_str()),
                    };
                    service.environment_files.push(EnvironmentFile {
                        path: path.to_string(),
                        optional,
                    });
                }
                ("Service", "Restart") => {
                    service.restart = match value.as_str() {
                        "always" => Restart::Always,
                        "on-failure" => Restart::OnFailure,
                        "no" => Restart::No,
                        other => {
                            service.warnings.push(format!(
                                "{path}:{line}: Failed to parse service restart specifier, ignoring: {other}"
                            ));
                            service.restart
                        }
                    }
                }
                ("Service", "RestartSec") => match parse_timespan(&value) {
                    Some(d) => service.restart_sec = d,
                    None => service.warnings.push(format!(
                        "{path}:{line}: Failed to parse RestartSec= parameter, ignoring: {value}"
                    )),
                },
                _ => (),
            }
        }
    }
    if exec_starts.len() > 1 {
        service.warnings.push(
            "Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services. Refusing."
                .to_string(),
        );
        service.exec_start = None;
    } else {
        service.exec_start = exec_starts.pop();
    }
    service
}

/// `(line index, section, key, value)` for every assignment, with continuation lines joined.
fn entries(text: &str) -> Vec<(usize, String, String, String)> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut pending: Option<(usize, String)> = None;
    for (idx, raw) in text.lines().enumerate() {
        let (start, mut line) = match pending.take() {
            Some((start, mut acc)) => {
                acc.push(' ');
                acc.push_str(raw.trim());
                (start, acc)
            }
            None => (idx, raw.trim().to_string()),
        };
        if line.ends_with('\\') {
            line.pop();
            pending = Some((start, line.trim_end().to_string()));
            continue;
        }
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            out.push((
                start,
                section.clone(),
                key.trim().to_string(),
                value.trim().to_string(),
            ));
        }
    }
    out
}

/// systemd time spans: `10`, `10s`, `100ms`, `1min`, `2min 30s`.
fn parse_timespan(value: &str) -> Option<SimDuration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(SimDuration::from_secs(secs));
    }
    let mut total = SimDuration::ZERO;
    for part in value.split_whitespace() {
        let normalized = part
            .replace("min", "m")
            .replace("sec", "s")
            .replace("hour", "h");
        total = total + parse_go_duration(&normalized).ok()?;
    }
    Some(total)
}

/// Splits on whitespace, honouring double and single quotes (systemd's `extract_first_word`
/// with quote removal).
pub fn split_quoted(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => {
                            if let Some(escaped) = chars.next() {
                                current.push(escaped);
                            }
                        }
                        Some(other) => current.push(other),
                        None => return Err(format!("Unbalanced quoting, ignoring: {text}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(escaped) = chars.next() {
                    current.push(escaped);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

/// Parses an environment file: `KEY=value` lines, `#` comments, optional quotes.
pub fn parse_environment_file(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim();
        let value = split_quoted(value)
            .map(|words| words.join(" "))
            .unwrap_or_else(|_| value.to_string());
        out.push((key.trim().to_string(), value));
    }
    out
}

/// Expands an `ExecStart=` line: `$VAR` becomes as many words as its value has, `${VAR}`
/// exactly one word; unset variables expand to nothing.
pub fn expand_exec(exec: &str, env: &BTreeMap<String, String>) -> Vec<String> {
    let mut argv = Vec::new();
    for word in split_quoted(exec).unwrap_or_default() {
        if let Some(name) = word.strip_prefix("${").and_then(|w| w.strip_suffix('}')) {
            argv.push(env.get(name).cloned().unwrap_or_default());
            continue;
        }
        if let Some(name) = word.strip_prefix('$') {
            if let Some(value) = env.get(name) {
                argv.extend(value.split_whitespace().map(str::to_string));
            }
            continue;
        }
        argv.push(word);
    }
    argv
}

/// A unit's activity as `systemctl status` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveState {
    /// `active (running)`.
    Active,
    /// `inactive (dead)`.
    Inactive,
    /// `activating (auto-restart)`: waiting for `RestartSec` after a failure.
    AutoRestart,
    /// `failed`.
    Failed,
}

/// What systemd knows about one service unit at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitState {
    /// The unit name, e.g. `kubelet.service`.
    pub name: String,
    /// The definition loaded at the last `daemon-reload` (systemd keeps using it until then).
    pub loaded: Service,
    /// The files the definition came from, main file first (for `systemctl cat`).
    pub sources: Vec<String>,
    /// The unit files changed on disk since they were loaded.
    pub changed_on_disk: bool,
    /// Running, stopped, failed or about to restart.
    pub active: ActiveState,
    /// The main process, while running.
    pub main_pid: Option<u32>,
    /// When the current state began (virtual time).
    pub since: crate::sim::SimTime,
    /// Restarts systemd has scheduled since the unit was last started by hand.
    pub restart_count: u32,
    /// Whether the unit is enabled (starts at boot).
    pub enabled: bool,
    /// The last exit status of the main process, if it exited.
    pub last_exit: Option<i32>,
}

impl UnitState {
    /// A unit loaded from `files` (the main file, then drop-ins in order), not yet started.
    pub fn load(name: &str, files: &[(&str, &str)], now: crate::sim::SimTime) -> UnitState {
        UnitState {
            name: name.to_string(),
            loaded: load_service(files),
            sources: files.iter().map(|(p, _)| p.to_string()).collect(),
            changed_on_disk: false,
            active: ActiveState::Inactive,
            main_pid: None,
            since: now,
            restart_count: 0,
            enabled: true,
            last_exit: None,
        }
    }

    /// The `Active:` word systemctl prints, e.g. `active (running)`.
    pub fn active_text(&self) -> &'static str {
        match self.active {
            ActiveState::Active => "active (running)",
            ActiveState::Inactive => "inactive (dead)",
            ActiveState::AutoRestart => "activating (auto-restart)",
            ActiveState::Failed => "failed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: &str = "[Unit]\nDescription=kubelet: The Kubernetes Node Agent\n\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\nStartLimitInterval=0\nRestartSec=10\n";
    const DROPIN: &str = "[Service]\nEnvironment=\"KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf\"\nEnvironment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\nEnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\nEnvironmentFile=-/etc/default/kubelet\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS\n";

    #[test]
    fn kubeadm_unit_and_dropin() {
        let service = load_service(&[("kubelet.service", UNIT), ("10-kubeadm.conf", DROPIN)]);
        assert_eq!(service.description, "kubelet: The Kubernetes Node Agent");
        assert_eq!(service.restart, Restart::Always);
        assert_eq!(service.restart_sec, SimDuration::from_secs(10));
        assert_eq!(service.environment_files.len(), 2);
        assert!(service.environment_files[0].optional);
        let mut env: BTreeMap<String, String> = service.environment.into_iter().collect();
        env.extend(parse_environment_file(
            "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock\"\n",
        ));
        env.extend(parse_environment_file("KUBELET_EXTRA_ARGS=\n"));
        let argv = expand_exec(service.exec_start.as_deref().unwrap(), &env);
        assert_eq!(
            argv,
            [
                "/usr/bin/kubelet",
                "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
                "--kubeconfig=/etc/kubernetes/kubelet.conf",
                "--config=/var/lib/kubelet/config.yaml",
                "--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock",
            ]
        );
    }

    #[test]
    fn two_exec_starts_are_refused() {
        let dropin = "[Service]\nExecStart=/usr/bin/kubelet --v=2\n";
        let service = load_service(&[("kubelet.service", UNIT), ("20-extra.conf", dropin)]);
        assert_eq!(service.exec_start, None);
        assert!(service.warnings[0].contains("more than one ExecStart="));
    }

    #[test]
    fn braces_keep_one_word() {
        let env: BTreeMap<String, String> = [("A".to_string(), "x y".to_string())].into();
        assert_eq!(
            expand_exec("/bin/p $A ${A} $MISSING", &env),
            ["/bin/p", "x", "y", "x y"]
        );
    }
}
