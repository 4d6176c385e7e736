//! The node's emulated containerd: pod sandboxes, containers and their processes, the image
//! store, and the container log files, served through the CRI (`crate::node::cri`).
//!
//! Time passes for processes only when the world calls [`Runtime::advance`]; the runtime says
//! when it next needs that with [`Runtime::next_wake`]. Output is buffered and written to each
//! container's log file (CRI format, under `/var/log/pods`) on the next `advance`.
//!
//! Simplified: there is one network namespace per node for host-network pods and one per
//! sandbox otherwise, but traffic only reaches a container from the node (probes, `curl` on
//! the node) or from inside its own pod.
//!
//! Simplified: CRI calls (RunPodSandbox, CreateContainer, StartContainer, and the pull of an
//! image already in the store) complete at the virtual instant they are made. A real
//! containerd takes some hundreds of milliseconds, so a real static pod whose image is present
//! runs about a second after its manifest appears; here it runs at the same instant.

pub mod apps;
pub mod by_pod;
pub mod components;
pub mod containers;
pub mod etcd_ports;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod flags;
pub mod images;
pub mod process;
pub mod rootfs;
pub mod script;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::node::cri::{
    ContainerConfig, ContainerFilter, ContainerInfo, ContainerState, Cri, ExecResult,
    HttpProbeAnswer, ImageInfo, ListedRef, PullState, SandboxConfig, SandboxInfo, POD_UID_LABEL,
};
use crate::node::fs::{Fs, WriteMode};
use crate::node::runtime::apps::Client;
use crate::node::runtime::by_pod::ByPod;
use crate::node::runtime::components::ComponentKind;
use crate::node::runtime::containers::Containers;
use crate::node::runtime::etcd_ports::EtcdPorts;
use crate::node::runtime::images::{CatalogueImage, ImageStore};
use crate::node::runtime::process::{Launch, ProcEnv, Process, Surroundings};
use crate::node::runtime::rootfs::RootFs;
use crate::node::runtime::script::{Interp, Stream, Sys, Yield};
use crate::sim::inline_id::InlineId;
use crate::sim::{wallclock, Rng, SimDuration, SimTime};

/// A pod sandbox.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// Its id (64 hex digits).
    pub id: String,
    /// What the kubelet asked for.
    pub config: SandboxConfig,
    /// When it was created.
    pub created_at: SimTime,
    /// Whether its pause process runs.
    pub ready: bool,
    /// The pause process's pid.
    pub pid: u32,
    /// The `containerd-shim-runc-v2` pid.
    pub shim_pid: u32,
}

/// A container.
///
/// Its text fields are `Arc<str>` so that the CRI's listings share them (see
/// `cri::ContainerInfo`).
#[derive(Clone)]
pub struct Container {
    /// Its id (64 hex digits).
    pub id: Arc<str>,
    /// Its sandbox.
    pub sandbox_id: Arc<str>,
    /// What the kubelet asked for.
    pub config: ContainerConfig,
    /// Its state.
    pub state: ContainerState,
    /// When it was created.
    pub created_at: SimTime,
    /// When it started.
    pub started_at: Option<SimTime>,
    /// When it finished.
    pub finished_at: Option<SimTime>,
    /// Its exit code.
    pub exit_code: i32,
    /// `Completed`, `Error`, `StartError`.
    pub reason: Arc<str>,
    /// The runtime's message (a start error).
    pub message: Arc<str>,
    /// Its image.
    pub image: &'static CatalogueImage,
    /// The image's id (`sha256:...`), computed once.
    pub image_id: Arc<str>,
    /// The image's digest reference, computed once.
    pub image_ref: Arc<str>,
    /// Its main process's pid while it runs.
    pub pid: Option<u32>,
    process: Option<Process>,
    root: RootFs,
    env: Vec<(String, String)>,
    /// Output not yet terminated by a newline, per stream.
    partial: BTreeMap<Stream, String>,
    /// The config's name and the image's reference, as listings give them, made once.
    listed_name: Arc<str>,
    listed_image: Arc<str>,
}

/// Every field but the copies made for listings, which say nothing new about the container.
impl std::fmt::Debug for Container {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Container")
            .field("id", &self.id)
            .field("sandbox_id", &self.sandbox_id)
            .field("config", &self.config)
            .field("state", &self.state)
            .field("created_at", &self.created_at)
            .field("started_at", &self.started_at)
            .field("finished_at", &self.finished_at)
            .field("exit_code", &self.exit_code)
            .field("reason", &self.reason)
            .field("message", &self.message)
            .field("image", &self.image)
            .field("image_id", &self.image_id)
            .field("image_ref", &self.image_ref)
            .field("pid", &self.pid)
            .field("process", &self.process)
            .field("root", &self.root)
            .field("env", &self.env)
            .field("partial", &self.partial)
            .finish()
    }
}

impl Container {
    /// When its process next needs polling (`None` without a process or with nothing due).
    pub fn process_wake(&self) -> Option<SimTime> {
        self.process.as_ref().and_then(Process::next_wake)
    }

    /// The command line its process runs (or ran).
    pub fn argv(&self) -> Vec<String> {
        match &self.process {
            Some(p) => p.argv.clone(),
            None => resolve_argv(&self.config, self.image),
        }
    }

    /// The ports its process listens on at `now` (none once it has stopped).
    pub fn listeners(&self, now: SimTime) -> Vec<process::Listener> {
        if self.state != ContainerState::Running {
            return Vec::new();
        }
        self.process
            .as_ref()
            .map_or_else(Vec::new, |p| p.listeners(now))
    }

    /// The component its process is, when it runs one.
    pub fn component(&self) -> Option<ComponentKind> {
        self.process.as_ref()?.app()?.component().map(|c| c.kind)
    }
}

/// The node's container runtime.
#[derive(Debug, Clone)]
pub struct Runtime {
    node_ip: String,
    /// Sandboxes by id, kept inline as the containers' ids are (`Containers`).
    sandboxes: BTreeMap<InlineId, Sandbox>,
    containers: Containers,
    /// Sandbox ids by pod UID.
    sandboxes_by_pod: ByPod,
    /// Container ids by the pod UID of their label.
    containers_by_pod: ByPod,
    /// Container ids by the sandbox they run in: stopping a sandbox, creating a container in
    /// it and garbage collection ask for one sandbox's containers, and walking every container
    /// of the node for each made a node of many pods quadratic.
    containers_by_sandbox: ByPod,
    images: ImageStore,
    next_pid: u32,
    around: Surroundings,
    /// What `around.etcd_ports` was worked out from, kept until a process changes.
    etcd_ports: EtcdPorts,
    /// Log text waiting to be written: (path, text).
    unflushed: Vec<(String, String)>,
    /// Bumped whenever a container or sandbox changes state.
    revision: u64,
    /// Bumped by every call that may change what the CRI lists (sandboxes, containers, their
    /// states), whoever made it: the PLEG skips a relist when it has not moved.
    listing: u64,
}

/// The command line a container runs: `command` replaces the image's entrypoint and drops its
/// cmd; `args` replaces the cmd.
fn resolve_argv(config: &ContainerConfig, image: &CatalogueImage) -> Vec<String> {
    let (entrypoint, cmd) = image.kind.entrypoint_and_cmd();
    let owned = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    match (config.command.is_empty(), config.args.is_empty()) {
        (false, false) => config.command.iter().chain(&config.args).cloned().collect(),
        (false, true) => config.command.clone(),
        (true, false) => owned(entrypoint)
            .into_iter()
            .chain(config.args.clone())
            .collect(),
        (true, true) => owned(entrypoint).into_iter().chain(owned(cmd)).collect(),
    }
}

/// containerd's error for an id it does not know.
fn not_found(kind: &str, id: &str) -> String {
    format!("rpc error: code = NotFound desc = an error occurred when try to find {kind} \"{id}\": not found")
}

impl Runtime {
    /// An empty runtime on a node with address `node_ip`; pids count up from `first_pid`.
    pub fn new(node_ip: &str, first_pid: u32) -> Runtime {
        Runtime {
            node_ip: node_ip.to_string(),
            sandboxes: BTreeMap::new(),
            containers: Containers::default(),
            sandboxes_by_pod: ByPod::default(),
            containers_by_pod: ByPod::default(),
            containers_by_sandbox: ByPod::default(),
            images: ImageStore::default(),
            next_pid: first_pid,
            around: Surroundings {
                node_ip: node_ip.to_string(),
                ..Surroundings::default()
            },
            etcd_ports: EtcdPorts::default(),
            unflushed: Vec::new(),
            revision: 0,
            listing: 0,
        }
    }

    /// A fresh pid on this host (the runtime starts most processes, so it keeps the counter).
    pub fn allocate_pid(&mut self) -> u32 {
        let pid = self.next_pid;
        self.next_pid += 1;
        pid
    }

    /// Makes an image present without pulling it (images baked into the machine image).
    pub fn preload_image(&mut self, reference: &str) -> Result<(), String> {
        self.images.preload(reference)
    }

    /// The image store.
    pub fn images(&self) -> &ImageStore {
        &self.images
    }

    /// The containers of sandbox `sandbox_id`, in id order (the order a walk over every
    /// container gives).
    fn containers_in<'a>(&'a self, sandbox_id: &str) -> impl Iterator<Item = &'a Container> {
        self.containers_by_sandbox
            .of(sandbox_id)
            .filter_map(|id| self.containers.get(id))
    }

    /// Every sandbox, by id.
    pub fn sandboxes(&self) -> impl Iterator<Item = &Sandbox> {
        self.sandboxes.values()
    }

    /// Every container, by id.
    pub fn containers(&self) -> impl Iterator<Item = &Container> {
        self.containers.values()
    }

    /// The container with id `id`.
    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.get(id)
    }

    /// The sandbox with id `id`.
    pub fn sandbox(&self, id: &str) -> Option<&Sandbox> {
        self.sandboxes.get(id)
    }

    /// A counter that changes whenever a container or sandbox changes state.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Tells the runtime whether the cluster's API server answers (components react).
    pub fn set_api_reachable(&mut self, reachable: bool) {
        self.around.api_reachable = reachable;
    }

    /// Tells the runtime which control-plane processes the cluster's leader election keeps
    /// waiting (the scheduler, the controller manager): another holder's Lease has not expired.
    pub fn set_waiting_for_lease(&mut self, scheduler: bool, controller_manager: bool) {
        self.around.scheduler_waits_for_lease = scheduler;
        self.around.controller_manager_waits_for_lease = controller_manager;
    }

    /// The running component processes with whether each does its job (etcd serves, the API
    /// server serves, the scheduler and controller manager lead).
    pub fn components(&self, now: SimTime) -> Vec<(ComponentKind, bool)> {
        self.containers
            .values()
            .filter(|c| c.state == ContainerState::Running)
            .filter_map(|c| {
                let comp = c.process.as_ref()?.app()?.component()?;
                Some((comp.kind, comp.is_active(now)))
            })
            .collect()
    }

    /// Whether a running process of component `kind` listens on its ports now (answers its
    /// health checks), leading or not.
    pub fn component_serves(&self, kind: ComponentKind, now: SimTime) -> bool {
        self.containers
            .values()
            .filter(|c| c.state == ContainerState::Running)
            .filter_map(|c| c.process.as_ref()?.app()?.component())
            .any(|comp| comp.kind == kind && !comp.listeners(now).is_empty())
    }

    /// The port a serving API server listens on, if one serves on this node.
    pub fn api_port(&self, now: SimTime) -> Option<u16> {
        self.containers
            .values()
            .filter(|c| c.state == ContainerState::Running)
            .find_map(|c| c.process.as_ref()?.app()?.component()?.api_port(now))
    }

    fn bump(&mut self) {
        self.revision += 1;
        self.listing += 1;
        self.etcd_ports.forget();
    }

    /// When a process or a pull next needs time to pass.
    pub fn next_wake(&mut self) -> Option<SimTime> {
        self.containers
            .next_wake()
            .into_iter()
            .chain(self.images.next_pull_done())
            .min()
    }

    /// Brings what processes see of the node up to `now`: the etcds that serve.
    fn refresh_surroundings(&mut self, now: SimTime) {
        let running = self
            .containers
            .values()
            .filter(|c| c.state == ContainerState::Running)
            .filter_map(|c| c.process.as_ref()?.app()?.component()?.etcd_client_ports());
        self.etcd_ports
            .refresh(now, running, &mut self.around.etcd_ports);
    }

    /// Runs every process that is due at `now` and writes buffered logs. Returns whether any
    /// container changed state.
    pub fn advance(&mut self, now: SimTime, fs: &mut Fs) -> bool {
        let before = self.revision;
        // A process's step can make another due at the same instant; a few passes settle it.
        for _ in 0..16 {
            self.refresh_surroundings(now);
            // Nothing is due before the earliest wake-up (kept between changes): skip the walk.
            if self.containers.next_wake().is_none_or(|t| now < t) {
                break;
            }
            let due: Vec<Arc<str>> = self
                .containers
                .values()
                .filter(|c| {
                    c.process
                        .as_ref()
                        .and_then(Process::next_wake)
                        .is_some_and(|t| t <= now)
                })
                .map(|c| c.id.clone())
                .collect();
            if due.is_empty() {
                break;
            }
            for id in due {
                self.poll_container(&id, now, fs);
            }
        }
        if self.images.finish_due(now) {
            self.bump();
        }
        self.flush_logs(fs, now);
        self.revision != before
    }

    fn poll_container(&mut self, id: &str, now: SimTime, fs: &mut Fs) {
        let Some(c) = self.containers.get_mut(id) else {
            return;
        };
        let Some(process) = c.process.as_mut() else {
            return;
        };
        // A step can turn a script into a component (`exec etcd`) or change how one serves.
        self.etcd_ports.forget();
        let (hostname, pod_ip) = address(&self.sandboxes, &self.node_ip, &c.sandbox_id);
        let mut penv = ProcEnv {
            now,
            host: fs,
            root: &mut c.root,
            kind: c.image.kind,
            version: c.image.kind.version(c.image.tag),
            around: &self.around,
            pod_ip,
            hostname,
        };
        let polled = process.poll(&c.env, &mut penv);
        Self::buffer_output(&mut self.unflushed, c, now, polled.output);
        if let Some(code) = polled.exit {
            Self::finish(c, now, code);
            self.revision += 1;
            self.listing += 1;
        }
    }

    fn buffer_output(
        unflushed: &mut Vec<(String, String)>,
        c: &mut Container,
        now: SimTime,
        output: Vec<(Stream, String)>,
    ) {
        let stamp = wallclock::rfc3339_nano(now);
        for (stream, chunk) in output {
            let partial = c.partial.entry(stream).or_default();
            partial.push_str(&chunk);
            while let Some(pos) = partial.find('\n') {
                let line: String = partial.drain(..=pos).collect();
                let text = format!(
                    "{stamp} {} F {}\n",
                    stream.as_str(),
                    line.trim_end_matches('\n')
                );
                unflushed.push((c.config.log_path.clone(), text));
            }
        }
    }

    fn finish(c: &mut Container, now: SimTime, code: i32) {
        c.state = ContainerState::Exited;
        c.finished_at = Some(now);
        c.exit_code = code;
        c.reason = Arc::from(if code == 0 { "Completed" } else { "Error" });
        c.pid = None;
        c.process = None;
        // Whatever was left without a newline goes out as a partial line.
        c.partial.clear();
    }

    fn flush_logs(&mut self, fs: &mut Fs, now: SimTime) {
        for (path, text) in std::mem::take(&mut self.unflushed) {
            if let Some(dir) = path.rsplit_once('/').map(|(d, _)| d) {
                if !fs.exists(dir) {
                    let _ = fs.mkdir_all(now, dir);
                }
            }
            let _ = fs.write(now, &path, text.as_bytes(), WriteMode::Append);
        }
    }

    /// `ExecSync` with stdin: runs `cmd` inside a running container to completion.
    pub fn exec(
        &mut self,
        now: SimTime,
        id: &str,
        cmd: &[String],
        fs: &mut Fs,
    ) -> Result<ExecResult, String> {
        let c = self
            .containers
            .get_mut(id)
            .ok_or_else(|| not_found("container", id))?;
        if c.state != ContainerState::Running {
            return Err(format!(
                "rpc error: code = Unknown desc = failed to exec in container: container is in {} state",
                match c.state {
                    ContainerState::Created => "CONTAINER_CREATED",
                    _ => "CONTAINER_EXITED",
                }
            ));
        }
        let program = cmd
            .first()
            .map(|p| p.rsplit('/').next().unwrap_or(""))
            .unwrap_or("");
        let kind = c.image.kind;
        let known = kind.programs().contains(&program) || kind.shell() != images::Shell::None;
        if cmd.is_empty() || !known {
            return Err(format!(
                "rpc error: code = Unknown desc = failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
                cmd.first().cloned().unwrap_or_default()
            ));
        }
        let quoted: Vec<String> = cmd
            .iter()
            .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
            .collect();
        let mut interp = Interp::from_text(&quoted.join(" "), &c.env, vec!["sh".into()])?;
        let mut sys = Sys {
            now,
            host: fs,
            root: &mut c.root,
            shell: kind.shell(),
            programs: kind.programs(),
            output: Vec::new(),
            exec_mode: true,
        };
        let outcome = interp.run(&mut sys);
        let mut output = sys.output;
        let code = match outcome {
            Yield::Exit(code) => code,
            Yield::Exec(argv) => {
                // One of the image's programs, run as a second instance.
                let (hostname, pod_ip) = address(&self.sandboxes, &self.node_ip, &c.sandbox_id);
                let mut penv = ProcEnv {
                    now,
                    host: fs,
                    root: &mut c.root,
                    kind,
                    version: kind.version(c.image.tag),
                    around: &self.around,
                    pod_ip,
                    hostname,
                };
                match apps::start(&argv, &c.env, &mut penv) {
                    apps::Started::Returns { logs, code }
                    | apps::Started::Exits { logs, code, .. } => {
                        output.extend(logs.into_iter().map(|(_, s, t)| (s, t)));
                        code
                    }
                    apps::Started::Running { .. } => {
                        output.push((
                            Stream::Stderr,
                            format!(
                                "{}: already running in this container (address already in use)\n",
                                argv[0]
                            ),
                        ));
                        1
                    }
                }
            }
            Yield::Forever | Yield::Sleep(_) => 124,
        };
        let mut stdout = String::new();
        let mut stderr = String::new();
        for (stream, text) in output {
            match stream {
                Stream::Stdout => stdout.push_str(&text),
                Stream::Stderr => stderr.push_str(&text),
            }
        }
        Ok(ExecResult {
            exit_code: code,
            stdout,
            stderr,
        })
    }

    /// An HTTP GET to a container's port from `client`: the status and body, or why the
    /// connection failed.
    #[allow(clippy::too_many_arguments)]
    pub fn http_request(
        &mut self,
        now: SimTime,
        id: &str,
        port: u16,
        path: &str,
        https: bool,
        client: &Client,
        fs: &mut Fs,
    ) -> Result<(u16, String), HttpProbeAnswer> {
        self.refresh_surroundings(now);
        let Some(c) = self.containers.get_mut(id) else {
            return Err(HttpProbeAnswer::Refused);
        };
        let (hostname, pod_ip) = address(&self.sandboxes, &self.node_ip, &c.sandbox_id);
        let kind = c.image.kind;
        let Some(process) = c.process.as_mut() else {
            return Err(HttpProbeAnswer::Refused);
        };
        let mut penv = ProcEnv {
            now,
            host: fs,
            root: &mut c.root,
            kind,
            version: kind.version(c.image.tag),
            around: &self.around,
            pod_ip,
            hostname,
        };
        process.http_get(port, path, https, client, &mut penv)
    }

    /// The container listening on `port` at address `ip` (a pod IP, or the node's for
    /// host-network pods), if any.
    pub fn listener_at(&self, now: SimTime, ip: &str, port: u16) -> Option<String> {
        self.containers
            .values()
            .filter(|c| c.state == ContainerState::Running)
            .find(|c| {
                let Some(sandbox) = self.sandboxes.get(&*c.sandbox_id) else {
                    return false;
                };
                let addr = pod_ip(sandbox, &self.node_ip);
                let addressed = addr == ip
                    || (sandbox.config.host_network && (ip == "127.0.0.1" || ip == "localhost"));
                addressed
                    && c.process
                        .as_ref()
                        .is_some_and(|p| p.listener(port, now).is_some())
            })
            .map(|c| c.id.to_string())
    }

    /// The log file of a container.
    pub fn log_path(&self, id: &str) -> Option<&str> {
        self.containers.get(id).map(|c| c.config.log_path.as_str())
    }

    /// Removes a present image; the removed image, or an error if a container uses it.
    pub fn remove_image(&mut self, image: &str) -> Result<&'static CatalogueImage, String> {
        let found = self
            .images
            .find(image)
            .ok_or_else(|| format!("no such image {image}"))?;
        if self.containers.values().any(|c| *c.image_id == found.id()) {
            return Err(format!(
                "rpc error: code = Unknown desc = failed to remove image \"{}\": image is in use by a container",
                found.id()
            ));
        }
        self.images.remove(image);
        Ok(found)
    }
}

/// A sandbox's address: its own IP, or the node's for host-network pods.
fn pod_ip<'a>(sandbox: &'a Sandbox, node_ip: &'a str) -> &'a str {
    if sandbox.config.host_network {
        node_ip
    } else {
        &sandbox.config.ip
    }
}

/// The hostname and address a process in sandbox `sandbox_id` has (empty when the sandbox is
/// gone).
fn address<'a>(
    sandboxes: &'a BTreeMap<InlineId, Sandbox>,
    node_ip: &'a str,
    sandbox_id: &str,
) -> (&'a str, &'a str) {
    sandboxes.get(sandbox_id).map_or(("", ""), |s| {
        (s.config.hostname.as_str(), pod_ip(s, node_ip))
    })
}

impl Cri for Runtime {
    fn run_pod_sandbox(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        config: &SandboxConfig,
    ) -> Result<String, String> {
        self.listing += 1;
        let pause =
            crate::node::runtime::images::parse_reference(crate::node::runtime::PAUSE_IMAGE)
                .ok()
                .and_then(|r| self.images.find(&r.normalized()));
        if pause.is_none() {
            return Err(format!(
                "rpc error: code = Unknown desc = failed to get sandbox image \"{PAUSE_IMAGE}\": failed to pull image \"{PAUSE_IMAGE}\": image not present"
            ));
        }
        let id = rng.hex(64);
        let shim_pid = self.allocate_pid();
        let pid = self.allocate_pid();
        self.sandboxes_by_pod.insert(&config.uid, &id);
        self.sandboxes.insert(
            InlineId::new(&id),
            Sandbox {
                id: id.clone(),
                config: config.clone(),
                created_at: now,
                ready: true,
                pid,
                shim_pid,
            },
        );
        self.bump();
        Ok(id)
    }

    fn stop_pod_sandbox(&mut self, now: SimTime, id: &str) -> Result<(), String> {
        self.listing += 1;
        if !self.sandboxes.contains_key(id) {
            return Err(not_found("sandbox", id));
        }
        let members: Vec<Arc<str>> = self
            .containers_in(id)
            .filter(|c| c.state == ContainerState::Running)
            .map(|c| c.id.clone())
            .collect();
        for cid in members {
            self.kill(now, &cid);
        }
        if let Some(s) = self.sandboxes.get_mut(id) {
            if s.ready {
                s.ready = false;
                self.bump();
            }
        }
        Ok(())
    }

    fn remove_pod_sandbox(&mut self, id: &str) -> Result<(), String> {
        self.listing += 1;
        let Some(sandbox) = self.sandboxes.get(id) else {
            // Removing what is gone already succeeds, as in containerd.
            return Ok(());
        };
        if sandbox.ready {
            return Err(format!(
                "rpc error: code = Unknown desc = failed to remove sandbox \"{id}\": sandbox container \"{id}\" is not fully stopped"
            ));
        }
        let members: Vec<String> = self
            .containers_by_sandbox
            .of(id)
            .map(str::to_string)
            .collect();
        for cid in members {
            if let Some(removed) = self.containers.remove(&cid) {
                self.containers_by_pod.remove(pod_uid_of(&removed), &cid);
                self.containers_by_sandbox.remove(id, &cid);
            }
        }
        if let Some(sandbox) = self.sandboxes.remove(id) {
            self.sandboxes_by_pod.remove(&sandbox.config.uid, id);
        }
        self.bump();
        Ok(())
    }

    fn list_pod_sandboxes(&self) -> Vec<SandboxInfo> {
        self.sandboxes.values().map(sandbox_info).collect()
    }

    fn list_pod_sandboxes_of(&self, uid: &str) -> Vec<SandboxInfo> {
        self.sandboxes_by_pod
            .of(uid)
            .filter_map(|id| self.sandboxes.get(id))
            .map(sandbox_info)
            .collect()
    }

    fn create_container(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        sandbox_id: &str,
        config: &ContainerConfig,
    ) -> Result<String, String> {
        self.listing += 1;
        let sandbox = self
            .sandboxes
            .get(sandbox_id)
            .ok_or_else(|| not_found("sandbox", sandbox_id))?;
        let image = self.images.find(&config.image).ok_or_else(|| {
            format!(
                "rpc error: code = NotFound desc = failed to create containerd container: error unpacking image: image \"{}\": not found",
                config.image
            )
        })?;
        // A walk over every container, not the sandbox's index: a pod of a thousand
        // containers would look each of its containers up for every container it creates.
        let clash = self.containers.values().find(|c| {
            &*c.sandbox_id == sandbox_id
                && c.config.name == config.name
                && c.config.attempt == config.attempt
        });
        if let Some(existing) = clash {
            return Err(format!(
                "rpc error: code = Unknown desc = failed to reserve container name \"{}_{}_{}_{}_{}\": name \"{}_{}_{}_{}_{}\" is reserved for \"{}\"",
                config.name, sandbox.config.name, sandbox.config.namespace, sandbox.config.uid, config.attempt,
                config.name, sandbox.config.name, sandbox.config.namespace, sandbox.config.uid, config.attempt,
                existing.id
            ));
        }
        let mut env: Vec<(String, String)> = vec![
            (
                "PATH".into(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
            ),
            ("HOSTNAME".into(), sandbox.config.hostname.clone()),
        ];
        env.extend(config.env.iter().cloned());
        let root = RootFs::new(
            image.kind,
            image.kind.version(image.tag),
            &sandbox.config.hostname,
            &config.mounts,
        );
        let id = rng.hex(64);
        if let Some(uid) = config.labels.get(POD_UID_LABEL) {
            self.containers_by_pod.insert(uid, &id);
        }
        self.containers_by_sandbox.insert(sandbox_id, &id);
        let empty: Arc<str> = Arc::from("");
        self.containers.insert(
            id.clone(),
            Container {
                id: Arc::from(id.as_str()),
                sandbox_id: Arc::from(sandbox_id),
                config: config.clone(),
                state: ContainerState::Created,
                created_at: now,
                started_at: None,
                finished_at: None,
                exit_code: 0,
                reason: empty.clone(),
                message: empty,
                image,
                image_id: Arc::from(image.id()),
                image_ref: Arc::from(image.digest_reference()),
                pid: None,
                process: None,
                root,
                env,
                partial: BTreeMap::new(),
                listed_name: Arc::from(config.name.as_str()),
                listed_image: Arc::from(image.reference()),
            },
        );
        self.bump();
        Ok(id)
    }

    fn start_container(&mut self, now: SimTime, id: &str, fs: &mut Fs) -> Result<(), String> {
        self.listing += 1;
        self.refresh_surroundings(now);
        let pid = self.next_pid;
        let Some(c) = self.containers.get_mut(id) else {
            return Err(not_found("container", id));
        };
        if c.state != ContainerState::Created {
            return Err(format!(
                "rpc error: code = Unknown desc = failed to start container \"{id}\": container is in {} state",
                if c.state == ContainerState::Running { "CONTAINER_RUNNING" } else { "CONTAINER_EXITED" }
            ));
        }
        // containerd opens (creates) the log file when it starts the container's I/O, so
        // the file exists even before the container writes anything.
        let log_path = c.config.log_path.clone();
        if !log_path.is_empty() {
            if let Some((dir, _)) = log_path.rsplit_once('/') {
                if !fs.exists(dir) {
                    let _ = fs.mkdir_all(now, dir);
                }
            }
            let _ = fs.write(now, &log_path, b"", WriteMode::Append);
        }
        let (hostname, pod_ip) = address(&self.sandboxes, &self.node_ip, &c.sandbox_id);
        let mut argv = resolve_argv(&c.config, c.image);
        let mut early = Vec::new();
        if let Some((logs, rest)) = apps::entrypoint(&argv, c.image.kind, now) {
            early = logs;
            argv = rest;
        }
        let mut penv = ProcEnv {
            now,
            host: fs,
            root: &mut c.root,
            kind: c.image.kind,
            version: c.image.kind.version(c.image.tag),
            around: &self.around,
            pod_ip,
            hostname,
        };
        match Process::launch(argv, &c.env, &mut penv) {
            Launch::Run(mut process) => {
                process.prepend_output(early);
                c.state = ContainerState::Running;
                c.started_at = Some(now);
                c.pid = Some(pid);
                c.process = Some(*process);
                self.next_pid += 1;
                self.bump();
                Ok(())
            }
            Launch::StartError(message) => {
                c.state = ContainerState::Exited;
                c.started_at = None;
                c.finished_at = Some(now);
                c.exit_code = 128;
                c.reason = Arc::from("StartError");
                c.message = Arc::from(message.as_str());
                self.bump();
                Err(format!("rpc error: code = Unknown desc = {message}"))
            }
        }
    }

    fn stop_container(
        &mut self,
        now: SimTime,
        id: &str,
        timeout: SimDuration,
    ) -> Result<(), String> {
        self.listing += 1;
        let Some(c) = self.containers.get_mut(id) else {
            return Err(not_found("container", id));
        };
        if c.state != ContainerState::Running {
            return Ok(());
        }
        if timeout == SimDuration::ZERO {
            self.kill(now, id);
            return Ok(());
        }
        if let Some(p) = c.process.as_mut() {
            p.terminate(now, now + timeout);
            if let Some((output, code)) = p.take_due_exit(now) {
                Self::buffer_output(&mut self.unflushed, c, now, output);
                Self::finish(c, now, code);
                self.bump();
            }
        }
        Ok(())
    }

    fn remove_container(&mut self, id: &str) -> Result<(), String> {
        self.listing += 1;
        let Some(c) = self.containers.get(id) else {
            return Ok(());
        };
        if c.state == ContainerState::Running {
            return Err(format!(
                "rpc error: code = Unknown desc = failed to remove container \"{id}\": container is running"
            ));
        }
        if let Some(removed) = self.containers.remove(id) {
            self.containers_by_pod.remove(pod_uid_of(&removed), id);
            self.containers_by_sandbox.remove(&removed.sandbox_id, id);
        }
        self.bump();
        Ok(())
    }

    fn list_revision(&self) -> Option<u64> {
        Some(self.listing)
    }

    fn list_containers(&self) -> Vec<ContainerInfo> {
        self.containers.values().map(container_info).collect()
    }

    fn visit_listing<'a>(&'a self, visit: &mut dyn FnMut(ListedRef<'a>)) {
        for s in self.sandboxes.values() {
            visit(ListedRef::Sandbox {
                id: &s.id,
                uid: &s.config.uid,
                name: &s.config.name,
                namespace: &s.config.namespace,
                ready: s.ready,
            });
        }
        for c in self.containers.values() {
            visit(ListedRef::Container {
                id: &c.id,
                state: c.state,
                labels: &c.config.labels,
            });
        }
    }

    fn list_containers_filtered(&self, filter: &ContainerFilter<'_>) -> Vec<ContainerInfo> {
        // Filtered before copying: the kubelet asks this for every pod on every status.
        if let Some(id) = filter.id {
            return self
                .containers
                .get(id)
                .filter(|c| filter.matches(&c.id, &c.sandbox_id, c.state, &c.config.labels))
                .map(container_info)
                .into_iter()
                .collect();
        }
        if let Some(sandbox_id) = filter.pod_sandbox_id {
            return self
                .containers_in(sandbox_id)
                .filter(|c| filter.matches(&c.id, &c.sandbox_id, c.state, &c.config.labels))
                .map(container_info)
                .collect();
        }
        if let Some(uid) = filter.pod_uid {
            return self
                .containers_by_pod
                .of(uid)
                .filter_map(|id| self.containers.get(id))
                .filter(|c| filter.matches(&c.id, &c.sandbox_id, c.state, &c.config.labels))
                .map(container_info)
                .collect();
        }
        self.containers
            .values()
            .filter(|c| filter.matches(&c.id, &c.sandbox_id, c.state, &c.config.labels))
            .map(container_info)
            .collect()
    }

    fn image_status(&self, image: &str) -> Option<ImageInfo> {
        self.images.status(image)
    }

    fn pull_image(&mut self, now: SimTime, image: &str) -> PullState {
        self.images.pull(now, image)
    }

    fn list_images(&self) -> Vec<ImageInfo> {
        self.images.list().into_iter().map(|i| i.info()).collect()
    }

    fn exec_sync(&mut self, now: SimTime, id: &str, cmd: &[String], fs: &mut Fs) -> ExecResult {
        self.exec(now, id, cmd, fs)
            .unwrap_or_else(|err| ExecResult {
                exit_code: 126,
                stdout: String::new(),
                stderr: err,
            })
    }

    fn http_get(
        &mut self,
        now: SimTime,
        id: &str,
        port: u16,
        path: &str,
        https: bool,
        fs: &mut Fs,
    ) -> HttpProbeAnswer {
        let client = Client {
            ip: self.probe_source(id),
            user_agent: "kube-probe/1.34".into(),
        };
        match self.http_request(now, id, port, path, https, &client, fs) {
            Ok((status, _)) => HttpProbeAnswer::Status(status),
            Err(answer) => answer,
        }
    }

    fn tcp_connect(&self, now: SimTime, id: &str, port: u16) -> bool {
        self.containers
            .get(id)
            .and_then(|c| c.process.as_ref())
            .is_some_and(|p| p.listener(port, now).is_some())
    }
}

/// A signal `kill` can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGTERM (15): the polite request.
    Term,
    /// SIGKILL (9): cannot be caught.
    Kill,
}

impl Runtime {
    /// Sends `signal` to a running container's main process: SIGKILL ends it now (137);
    /// SIGTERM is handled as the program handles it, with no SIGKILL to follow.
    pub fn signal_container(&mut self, now: SimTime, id: &str, signal: Signal) -> bool {
        self.listing += 1;
        let Some(c) = self.containers.get_mut(id) else {
            return false;
        };
        if c.state != ContainerState::Running {
            return false;
        }
        match signal {
            Signal::Kill => self.kill(now, id),
            Signal::Term => {
                if let Some(p) = c.process.as_mut() {
                    p.terminate(now, SimTime(u64::MAX));
                    if let Some((output, code)) = p.take_due_exit(now) {
                        Self::buffer_output(&mut self.unflushed, c, now, output);
                        Self::finish(c, now, code);
                        self.bump();
                    }
                }
            }
        }
        true
    }

    /// The pause process of a sandbox died: the sandbox is no longer ready, and with its
    /// network namespace gone its containers die too.
    pub fn kill_sandbox(&mut self, now: SimTime, id: &str) -> bool {
        self.listing += 1;
        let Some(sandbox) = self.sandboxes.get_mut(id) else {
            return false;
        };
        if !sandbox.ready {
            return false;
        }
        sandbox.ready = false;
        let members: Vec<Arc<str>> = self
            .containers_in(id)
            .filter(|c| c.state == ContainerState::Running)
            .map(|c| c.id.clone())
            .collect();
        for cid in members {
            self.kill(now, &cid);
        }
        self.bump();
        true
    }

    /// SIGKILL: the container exits 137 now.
    fn kill(&mut self, now: SimTime, id: &str) {
        if let Some(c) = self.containers.get_mut(id) {
            if c.state == ContainerState::Running {
                Self::finish(c, now, 137);
                self.bump();
            }
        }
    }

    /// Where the kubelet's probes come from, as the container sees it: the node's address on
    /// the pod's network (its bridge, `.1` of the pod's subnet) or the node itself.
    fn probe_source(&self, id: &str) -> String {
        let sandbox = self
            .containers
            .get(id)
            .and_then(|c| self.sandboxes.get(&*c.sandbox_id));
        match sandbox {
            Some(s) if !s.config.host_network && !s.config.ip.is_empty() => {
                // The address with its last part replaced by 1 (no dot: just ".1").
                let network = s
                    .config
                    .ip
                    .rsplit_once('.')
                    .map_or("", |(network, _)| network);
                format!("{network}.1")
            }
            _ => self.node_ip.clone(),
        }
    }
}

/// Where containerd serves the CRI (`[grpc] address` in its config).
pub const CONTAINERD_SOCKET: &str = "/run/containerd/containerd.sock";

/// Whether containerd's CRI socket is at `path`: its address, or the same through Ubuntu's
/// `/var/run` → `/run` link.
///
/// Simplified: the socket is not a file on the emulated disk (and `/var/run` is not a link
/// there), so the path is compared rather than looked up.
pub fn listens_on(path: &str) -> bool {
    let path = crate::node::fs::normalize("/", path);
    let path = match path.strip_prefix("/var/run/") {
        Some(rest) => format!("/run/{rest}"),
        None => path,
    };
    path == CONTAINERD_SOCKET
}

/// The pause image every sandbox needs.
pub const PAUSE_IMAGE: &str = "registry.k8s.io/pause:3.10.1";

/// The CRI's view of a sandbox.
fn sandbox_info(s: &Sandbox) -> SandboxInfo {
    SandboxInfo {
        id: s.id.clone(),
        name: s.config.name.clone(),
        namespace: s.config.namespace.clone(),
        uid: s.config.uid.clone(),
        attempt: s.config.attempt,
        ready: s.ready,
        created_at: s.created_at,
        ip: s.config.ip.clone(),
        labels: s.config.labels.clone(),
    }
}

/// The CRI's view of a container.
/// The pod UID a container's label names (empty without one).
fn pod_uid_of(c: &Container) -> &str {
    c.config
        .labels
        .get(POD_UID_LABEL)
        .map(String::as_str)
        .unwrap_or_default()
}

fn container_info(c: &Container) -> ContainerInfo {
    ContainerInfo {
        id: c.id.clone(),
        sandbox_id: c.sandbox_id.clone(),
        name: c.listed_name.clone(),
        attempt: c.config.attempt,
        state: c.state,
        created_at: c.created_at,
        started_at: c.started_at,
        finished_at: c.finished_at,
        exit_code: c.exit_code,
        reason: c.reason.clone(),
        message: c.message.clone(),
        image: c.listed_image.clone(),
        image_id: c.image_id.clone(),
        image_ref: c.image_ref.clone(),
        labels: c.config.labels.clone(),
        annotations: c.config.annotations.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{container, runtime, sandbox};
    use super::*;
    use crate::node::cri::{POD_NAMESPACE_LABEL, POD_NAME_LABEL};

    /// A listing entry as owned text: kind, id, pod UID, name, namespace, state.
    type Entry = (&'static str, String, String, String, String, String);

    #[test]
    fn the_lending_listing_shows_what_the_copying_listings_show() {
        let mut runtime = runtime();
        let mut rng = Rng::seeded(3);
        let mut fs = Fs::default();
        let now = SimTime::ZERO;
        let first = runtime
            .run_pod_sandbox(now, &mut rng, &sandbox("pod-u1", "default", "u1"))
            .unwrap();
        let second = runtime
            .run_pod_sandbox(now, &mut rng, &sandbox("pod-u2", "default", "u2"))
            .unwrap();
        runtime.stop_pod_sandbox(now, &second).unwrap();
        let labelled = [
            (POD_UID_LABEL, "u1"),
            (POD_NAME_LABEL, "pod-u1"),
            (POD_NAMESPACE_LABEL, "default"),
        ];
        let running = runtime
            .create_container(now, &mut rng, &first, &container("app", &labelled))
            .unwrap();
        runtime.start_container(now, &running, &mut fs).unwrap();
        // A container without the kubelet's labels names no pod.
        runtime
            .create_container(now, &mut rng, &first, &container("bare", &[]))
            .unwrap();

        let mut lent: Vec<Entry> = Vec::new();
        runtime.visit_listing(&mut |listed| {
            let (kind, state) = match listed {
                ListedRef::Sandbox { ready, .. } => ("sandbox", ready.to_string()),
                ListedRef::Container { state, .. } => ("container", state.as_str().to_string()),
            };
            lent.push((
                kind,
                listed.id().to_string(),
                listed.pod_uid().to_string(),
                listed.pod_name().to_string(),
                listed.pod_namespace().to_string(),
                state,
            ));
        });

        let label = |labels: &std::collections::BTreeMap<String, String>, key: &str| {
            labels.get(key).cloned().unwrap_or_default()
        };
        let mut copied: Vec<Entry> = runtime
            .list_pod_sandboxes()
            .into_iter()
            .map(|s| {
                (
                    "sandbox",
                    s.id,
                    s.uid,
                    s.name,
                    s.namespace,
                    s.ready.to_string(),
                )
            })
            .collect();
        copied.extend(runtime.list_containers().into_iter().map(|c| {
            (
                "container",
                c.id.to_string(),
                label(&c.labels, POD_UID_LABEL),
                label(&c.labels, POD_NAME_LABEL),
                label(&c.labels, POD_NAMESPACE_LABEL),
                c.state.as_str().to_string(),
            )
        }));
        assert_eq!(lent, copied);
        assert_eq!(lent.len(), 4);
        assert!(lent.contains(&(
            "container",
            running.clone(),
            "u1".to_string(),
            "pod-u1".to_string(),
            "default".to_string(),
            "running".to_string()
        )));
        assert!(lent
            .iter()
            .any(|e| e.0 == "container" && e.2.is_empty() && e.3.is_empty() && e.5 == "created"));
    }
}
