//! A container's main process: what it runs (a shell script or one of the image's servers),
//! what it writes, which ports it listens on, and how it reacts to signals.
//!
//! The runtime polls a process when its wake-up time comes; the process answers with output
//! and, eventually, an exit code.

use crate::node::cri::HttpProbeAnswer;
use crate::node::fs::Fs;
use crate::node::runtime::apps::{self, App, Client, Started};
use crate::node::runtime::images::{ImageKind, Shell};
use crate::node::runtime::rootfs::RootFs;
use crate::node::runtime::script::parse::compile;
use crate::node::runtime::script::{Interp, Stream, Sys, Yield};
use crate::sim::SimTime;

/// What a process can see of the node besides its own container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surroundings {
    /// Ports on which a ready etcd serves clients on this node.
    pub etcd_ports: Vec<u16>,
    /// Whether the cluster's API server answers.
    pub api_reachable: bool,
    /// Whether this node's kube-scheduler process must wait for another holder's leader Lease
    /// to expire.
    pub scheduler_waits_for_lease: bool,
    /// The same for kube-controller-manager.
    pub controller_manager_waits_for_lease: bool,
    /// The node's address.
    pub node_ip: String,
}

/// Everything a process touches while it runs.
pub struct ProcEnv<'a> {
    /// The current time.
    pub now: SimTime,
    /// The host's filesystem.
    pub host: &'a mut Fs,
    /// The container's filesystem.
    pub root: &'a mut RootFs,
    /// The image's software.
    pub kind: ImageKind,
    /// The image's version of that software.
    pub version: &'static str,
    /// The node around the container.
    pub around: &'a Surroundings,
    /// The pod's address.
    pub pod_ip: &'a str,
    /// The pod's hostname.
    pub hostname: &'a str,
}

/// One port a process listens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listener {
    /// The port.
    pub port: u16,
    /// Whether it speaks TLS.
    pub https: bool,
}

#[derive(Debug, Clone)]
enum Body {
    Script(Box<Interp>),
    App(Box<App>),
    Done,
}

/// A running process.
#[derive(Debug, Clone)]
pub struct Process {
    /// Its command line, as `ps` shows it.
    pub argv: Vec<String>,
    body: Body,
    /// When it needs to run next.
    wake_at: Option<SimTime>,
    /// Timed output not written yet.
    pending: Vec<(SimTime, Stream, String)>,
    /// When it exits on its own, and with which code (an app shutting down).
    exit_at: Option<(SimTime, i32)>,
    /// When SIGKILL follows an ignored SIGTERM.
    kill_at: Option<SimTime>,
}

/// What a poll produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Polled {
    /// Output, in order.
    pub output: Vec<(Stream, String)>,
    /// The exit code, if it exited.
    pub exit: Option<i32>,
}

/// How a container's command line resolves into what runs.
pub enum Launch {
    /// A process.
    Run(Box<Process>),
    /// The runtime could not start it (`StartError`); the message containerd gives.
    StartError(String),
}

impl Process {
    /// Starts `argv` in a container of `kind`.
    pub fn launch(argv: Vec<String>, env: &[(String, String)], penv: &mut ProcEnv<'_>) -> Launch {
        if argv.is_empty() {
            return Launch::StartError(oci_error("no command specified"));
        }
        let program = argv[0].rsplit('/').next().unwrap_or("").to_string();
        let shell = penv.kind.shell();
        let mut process = Process {
            argv: argv.clone(),
            body: Body::Done,
            wake_at: Some(penv.now),
            pending: Vec::new(),
            exit_at: None,
            kill_at: None,
        };
        if penv.kind.programs().contains(&program.as_str())
            || program == "pause" && penv.kind == ImageKind::Pause
        {
            process.become_app(&argv, env, penv);
            return Launch::Run(Box::new(process));
        }
        if shell == Shell::None {
            return Launch::StartError(oci_error(&format!(
                "exec: \"{}\": executable file not found in $PATH",
                argv[0]
            )));
        }
        // Anything else runs under the image's shell utilities: `sh -c`, `sleep 3600`, `echo`.
        let script = if matches!(program.as_str(), "sh" | "bash" | "ash" | "dash") {
            match argv.get(1).map(String::as_str) {
                Some("-c") => argv.get(2).cloned().unwrap_or_default(),
                Some(_) => shell_quote_all(&argv),
                None => String::new(),
            }
        } else {
            shell_quote_all(&argv)
        };
        let positional = if argv.get(1).map(String::as_str) == Some("-c") {
            argv.iter().skip(3).cloned().collect::<Vec<_>>()
        } else {
            Vec::new()
        };
        let mut args = vec![positional.first().cloned().unwrap_or_else(|| "sh".into())];
        args.extend(positional.into_iter().skip(1));
        match compile(&script) {
            Ok(program) => {
                process.body = Body::Script(Box::new(Interp::new(program, env, args)));
            }
            Err(err) => {
                let prefix = if shell == Shell::Dash {
                    "sh: 1: "
                } else {
                    "sh: "
                };
                process
                    .pending
                    .push((penv.now, Stream::Stderr, format!("{prefix}{err}\n")));
                process.exit_at = Some((penv.now, 2));
            }
        }
        Launch::Run(Box::new(process))
    }

    fn become_app(&mut self, argv: &[String], env: &[(String, String)], penv: &mut ProcEnv<'_>) {
        match apps::start(argv, env, penv) {
            Started::Running { app, logs } => {
                self.pending.extend(logs);
                self.body = Body::App(Box::new(app));
            }
            Started::Exits { logs, code, at } => {
                self.pending.extend(logs);
                self.exit_at = Some((at, code));
                self.body = Body::Done;
            }
            Started::Returns { logs, code } => {
                // A short-lived program: a script resumes after it.
                self.pending.extend(logs);
                self.exit_at = Some((penv.now, code));
                self.body = Body::Done;
            }
        }
        self.wake_at = Some(penv.now);
    }

    /// When the runtime should poll this process next.
    pub fn next_wake(&self) -> Option<SimTime> {
        [
            self.wake_at,
            self.pending.iter().map(|p| p.0).min(),
            self.exit_at.map(|e| e.0),
            self.kill_at,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Runs whatever is due at `penv.now`.
    pub fn poll(&mut self, env_vars: &[(String, String)], penv: &mut ProcEnv<'_>) -> Polled {
        let now = penv.now;
        let mut polled = Polled::default();
        if self.kill_at.is_some_and(|t| t <= now) {
            self.flush_due(now, &mut polled);
            polled.exit = Some(137);
            self.body = Body::Done;
            return polled;
        }
        if self.wake_at.is_some_and(|t| t <= now) {
            self.wake_at = None;
            self.step(env_vars, penv);
        }
        self.flush_due(now, &mut polled);
        if let Some((at, code)) = self.exit_at {
            if at <= now {
                // Everything scheduled up to the exit is written first.
                let rest: Vec<(SimTime, Stream, String)> = std::mem::take(&mut self.pending);
                polled
                    .output
                    .extend(rest.into_iter().map(|(_, s, t)| (s, t)));
                polled.exit = Some(code);
                self.body = Body::Done;
            }
        }
        polled
    }

    fn flush_due(&mut self, now: SimTime, polled: &mut Polled) {
        self.pending.sort_by_key(|p| p.0);
        let due = self.pending.iter().take_while(|p| p.0 <= now).count();
        polled
            .output
            .extend(self.pending.drain(..due).map(|(_, s, t)| (s, t)));
    }

    fn step(&mut self, env_vars: &[(String, String)], penv: &mut ProcEnv<'_>) {
        let now = penv.now;
        match &mut self.body {
            Body::Script(interp) => {
                let mut sys = Sys {
                    now,
                    host: penv.host,
                    root: penv.root,
                    shell: penv.kind.shell(),
                    programs: penv.kind.programs(),
                    output: Vec::new(),
                    exec_mode: false,
                };
                let outcome = interp.run(&mut sys);
                self.pending
                    .extend(sys.output.into_iter().map(|(s, t)| (now, s, t)));
                match outcome {
                    Yield::Sleep(at) => self.wake_at = Some(at),
                    Yield::Exit(code) => self.exit_at = Some((now, code)),
                    Yield::Forever => (),
                    Yield::Exec(argv) => {
                        let mut interp = match std::mem::replace(&mut self.body, Body::Done) {
                            Body::Script(i) => i,
                            _ => unreachable!("matched a script"),
                        };
                        match apps::start(&argv, env_vars, penv) {
                            Started::Returns { logs, code } => {
                                self.pending.extend(logs);
                                interp.resume_with(code);
                                self.body = Body::Script(interp);
                                self.wake_at = Some(now);
                            }
                            Started::Running { app, logs } => {
                                self.pending.extend(logs);
                                self.body = Body::App(Box::new(app));
                                self.wake_at = Some(now);
                            }
                            Started::Exits { logs, code, at } => {
                                self.pending.extend(logs);
                                self.exit_at = Some((at, code));
                            }
                        }
                    }
                }
            }
            Body::App(app) => {
                let step = app.tick(penv);
                self.pending.extend(step.logs);
                if let Some((at, code)) = step.exit {
                    self.exit_at = Some((at, code));
                }
                self.wake_at = step.wake_at;
            }
            Body::Done => (),
        }
    }

    /// SIGTERM (the image's stop signal): an app shuts down, a script with a trap runs it when
    /// its current command returns, anything else as PID 1 ignores it until SIGKILL at
    /// `kill_at`.
    pub fn terminate(&mut self, now: SimTime, kill_at: SimTime) {
        if self.exit_at.is_some_and(|(at, _)| at <= kill_at) {
            return;
        }
        match &mut self.body {
            Body::App(app) => {
                let (delay, logs, code) = app.on_sigterm(now);
                self.pending.extend(logs);
                self.exit_at = Some((now + delay, code));
                self.wake_at = None;
            }
            Body::Script(interp) => {
                // A trap runs when the current command returns: a script blocked in
                // `sleep infinity` never gets to run it.
                interp.sigterm();
            }
            Body::Done => (),
        }
        self.kill_at = Some(self.kill_at.map_or(kill_at, |k| k.min(kill_at)));
    }

    /// Whether it listens on `port` at `now`.
    pub fn listener(&self, port: u16, now: SimTime) -> Option<Listener> {
        match &self.body {
            Body::App(app) => app.listener(port, now),
            _ => None,
        }
    }

    /// Every port it listens on at `now`.
    pub fn listeners(&self, now: SimTime) -> Vec<Listener> {
        match &self.body {
            Body::App(app) => app.listeners(now),
            _ => Vec::new(),
        }
    }

    /// Output written before the process itself starts (an entrypoint script's lines).
    pub fn prepend_output(&mut self, logs: Vec<(SimTime, Stream, String)>) {
        let mut all = logs;
        all.append(&mut self.pending);
        self.pending = all;
    }

    /// If it exits at or before `now` without needing to run (a signal it does not survive),
    /// its remaining output and exit code.
    pub fn take_due_exit(&mut self, now: SimTime) -> Option<(Vec<(Stream, String)>, i32)> {
        let (at, code) = self.exit_at?;
        if at > now {
            return None;
        }
        let output = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(_, s, t)| (s, t))
            .collect();
        self.body = Body::Done;
        Some((output, code))
    }

    /// An HTTP GET against one of its ports from `client`: the status and body. An access-log
    /// line, if the app writes one, joins its output.
    pub fn http_get(
        &mut self,
        port: u16,
        path: &str,
        https: bool,
        client: &Client,
        penv: &mut ProcEnv<'_>,
    ) -> Result<(u16, String), HttpProbeAnswer> {
        let Some(listener) = self.listener(port, penv.now) else {
            return Err(HttpProbeAnswer::Refused);
        };
        if listener.https && !https {
            return Ok((
                400,
                "Client sent an HTTP request to an HTTPS server.\n".into(),
            ));
        }
        if !listener.https && https {
            return Err(HttpProbeAnswer::Error(
                "http: server gave HTTP response to HTTPS client".into(),
            ));
        }
        match &mut self.body {
            Body::App(app) => {
                let (status, body, access) = app.respond(port, path, client, penv);
                if let Some((stream, text)) = access {
                    self.pending.push((penv.now, stream, text));
                }
                Ok((status, body))
            }
            _ => Err(HttpProbeAnswer::Refused),
        }
    }

    /// The kind of app it runs, for the cluster's view of the control plane.
    pub fn app(&self) -> Option<&App> {
        match &self.body {
            Body::App(app) => Some(app),
            _ => None,
        }
    }
}

/// containerd's wording for a container that could not start.
fn oci_error(cause: &str) -> String {
    format!(
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {cause}: unknown"
    )
}

/// A command line as one shell command, quoting each word.
fn shell_quote_all(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
