//! The process table of a host as `ps` shows it, and `kill`: systemd, containerd and the
//! kubelet, each pod's shim and pause process, the containers' main processes and the
//! background HTTP servers.
//!
//! Simplified: a container's main process is its only process (no worker processes), and the
//! CPU and memory columns are fixed plausible figures.

use crate::cluster::services::{CONTAINERD_SERVICE, KUBELET_SERVICE};
use crate::cluster::Cluster;
use crate::node::cri::ContainerState;
use crate::node::runtime::Signal;
use crate::sim::trace::Event;
use crate::sim::SimTime;

/// What a process is, for `kill`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessKind {
    /// systemd.
    Init,
    /// A systemd unit's main process.
    Unit(String),
    /// A sandbox's `containerd-shim-runc-v2`.
    Shim(String),
    /// A sandbox's pause process.
    Pause(String),
    /// A container's main process.
    Container(String),
    /// A background `python3 -m http.server` on this port.
    HttpServer(u16),
}

/// One row of the process table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessRow {
    /// The pid.
    pub pid: u32,
    /// The user it runs as.
    pub user: &'static str,
    /// When it started.
    pub started: SimTime,
    /// Its command line.
    pub command: String,
    /// What it is.
    pub kind: ProcessKind,
}

impl Cluster {
    /// Every process on host `idx`, by pid.
    pub fn processes(&self, idx: usize) -> Vec<ProcessRow> {
        let host = &self.hosts[idx];
        let mut rows = vec![ProcessRow {
            pid: 1,
            user: "root",
            started: SimTime::ZERO,
            command: "/sbin/init".into(),
            kind: ProcessKind::Init,
        }];
        for (name, unit) in &host.units {
            let Some(pid) = unit.main_pid else {
                continue;
            };
            let command = host
                .unit_commands
                .get(name)
                .map(|argv| argv.join(" "))
                .unwrap_or_default();
            rows.push(ProcessRow {
                pid,
                user: "root",
                started: unit.since,
                command,
                kind: ProcessKind::Unit(name.clone()),
            });
        }
        let runtime = &host.node.runtime;
        for sandbox in runtime.sandboxes() {
            let shim_alive = sandbox.ready
                || runtime
                    .containers()
                    .any(|c| *c.sandbox_id == *sandbox.id && c.state == ContainerState::Running);
            if shim_alive {
                rows.push(ProcessRow {
                    pid: sandbox.shim_pid,
                    user: "root",
                    started: sandbox.created_at,
                    command: format!(
                        "/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id {} -address /run/containerd/containerd.sock",
                        sandbox.id
                    ),
                    kind: ProcessKind::Shim(sandbox.id.clone()),
                });
            }
            if sandbox.ready {
                rows.push(ProcessRow {
                    pid: sandbox.pid,
                    user: "65535",
                    started: sandbox.created_at,
                    command: "/pause".into(),
                    kind: ProcessKind::Pause(sandbox.id.clone()),
                });
            }
        }
        for c in runtime.containers() {
            let (Some(pid), Some(started)) = (c.pid, c.started_at) else {
                continue;
            };
            rows.push(ProcessRow {
                pid,
                user: "root",
                started,
                command: c.argv().join(" "),
                kind: ProcessKind::Container(c.id.to_string()),
            });
        }
        for (port, server) in &host.node.http_servers {
            rows.push(ProcessRow {
                pid: server.pid,
                user: "root",
                started: server.started,
                command: format!("python3 -m http.server {port}"),
                kind: ProcessKind::HttpServer(*port),
            });
        }
        rows.sort_by_key(|r| r.pid);
        rows
    }

    /// `kill -SIG PID` on host `idx`; the error is `kill`'s wording.
    pub fn kill_process(&mut self, idx: usize, pid: u32, signal: Signal) -> Result<(), String> {
        let Some(row) = self.processes(idx).into_iter().find(|r| r.pid == pid) else {
            return Err(format!("kill: ({pid}) - No such process"));
        };
        let now = self.now;
        match row.kind {
            // systemd ignores SIGTERM and cannot be sent SIGKILL from userspace.
            ProcessKind::Init => (),
            ProcessKind::Unit(unit) if unit == CONTAINERD_SERVICE => {
                return Err(format!(
                    "kill: ({pid}) - the playground keeps containerd running (stop the kubelet, or containers with crictl)"
                ));
            }
            ProcessKind::Unit(unit) => {
                if unit == KUBELET_SERVICE {
                    self.stop_kubelet(idx);
                }
                let (how, status, code) = match signal {
                    Signal::Kill => ("killed", "9/KILL", None),
                    Signal::Term => ("exited", "0/SUCCESS", Some(0)),
                };
                if signal == Signal::Kill {
                    self.journal_unit_line(
                        idx,
                        &unit,
                        format!("{unit}: Main process exited, code={how}, status={status}"),
                    );
                    self.journal_unit_line(
                        idx,
                        &unit,
                        format!("{unit}: Failed with result 'signal'."),
                    );
                } else {
                    self.journal_unit_line(
                        idx,
                        &unit,
                        format!("{unit}: Deactivated successfully."),
                    );
                }
                self.unit_process_exited(idx, &unit, code);
            }
            ProcessKind::Shim(_) => {
                return Err(format!(
                    "kill: ({pid}) - the playground keeps containerd's shims running"
                ));
            }
            ProcessKind::Pause(sandbox) => {
                self.hosts[idx].node.runtime.kill_sandbox(now, &sandbox);
            }
            ProcessKind::Container(id) => {
                self.hosts[idx]
                    .node
                    .runtime
                    .signal_container(now, &id, signal);
            }
            ProcessKind::HttpServer(port) => {
                self.hosts[idx].node.http_servers.remove(&port);
                let host = self.hosts[idx].node.name.clone();
                self.trace.record(
                    now,
                    &host,
                    Event::ProcessExited {
                        name: "python3".into(),
                        pid,
                        code: if signal == Signal::Kill { 137 } else { 143 },
                    },
                );
            }
        }
        self.settle();
        Ok(())
    }
}
