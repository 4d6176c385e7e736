//! The playground as its three faces use it: a booted cluster, a terminal session on the
//! control-plane node, a clock that reads zero when the learner arrives, and the log of every
//! input the learner gave. This is the one boundary the UI, the runner and the tests drive
//! the simulation through; what a pane shows comes from [`Playground::view`].

pub mod input;

use crate::cluster::boot::CONTROL_PLANE;
use crate::cluster::Cluster;
use crate::node::fs::WriteMode;
use crate::shell::commands::editor::edit_target;
use crate::shell::complete::complete;
use crate::shell::follow::Follow;
use crate::shell::session::Session;
use crate::shell::{execute, CommandResult};
use crate::sim::SimTime;
use crate::view::terminal::{Origin, Scrollback};
use crate::view::View;

pub use crate::shell::parser::{completeness, Completeness};
pub use crate::sim::SimDuration;
pub use input::{Input, LoadError, RowAction, SavedSession};

/// How far [`Playground::step`] looks for something to happen.
pub const STEP_LIMIT: SimDuration = SimDuration::from_mins(10);

/// A cluster, a terminal logged in to it, and the inputs that brought it here.
#[derive(Debug, Clone)]
pub struct Playground {
    cluster: Cluster,
    session: Session,
    /// When the learner arrived (the boot's end).
    start: SimTime,
    seed: u64,
    inputs: Vec<Input>,
    scrollback: Scrollback,
    /// A learner at a browser terminal (editor pane, streaming commands) rather than a script.
    interactive: bool,
    /// The command the terminal is busy with (`kubectl get -w`, `watch`, a long `sleep`)
    /// and the id of its scrollback block.
    foreground: Option<(Follow, u64)>,
}

/// What running a command line did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// The shell's result.
    pub result: CommandResult,
    /// Set when the line was `vi|vim|nano FILE`: the browser opens FILE on this host in its
    /// editor pane instead of running an editor.
    pub open_in_editor: Option<(String, String)>,
}

impl Playground {
    /// The default cluster, already up, with a shell on `controlplane`, driven by a script
    /// (the runner, the tests): `vi` explains heredocs and following commands stop by
    /// themselves.
    pub fn new(seed: u64) -> Result<Playground, String> {
        Playground::boot(seed, false)
    }

    /// The default cluster for a learner at the browser's terminal.
    pub fn interactive(seed: u64) -> Result<Playground, String> {
        Playground::boot(seed, true)
    }

    fn boot(seed: u64, interactive: bool) -> Result<Playground, String> {
        let mut cluster = Cluster::boot_default(seed)?;
        let host = cluster
            .host_index(CONTROL_PLANE.0)
            .ok_or("the default cluster has no control-plane node")?;
        let pid = cluster.node_mut(host).allocate_pid();
        let mut session = Session::new(host, CONTROL_PLANE.0, pid);
        session.interactive = interactive;
        let start = cluster.now();
        Ok(Playground {
            cluster,
            session,
            start,
            seed,
            inputs: Vec::new(),
            scrollback: Scrollback::default(),
            interactive,
            foreground: None,
        })
    }

    /// The start state of lesson `id`.
    pub fn for_lesson(id: &str, seed: u64) -> Result<Playground, String> {
        let _ = seed;
        Err(format!(
            "no lesson with ID {id:?}: this build has no lessons yet (run without --lesson for the default cluster)"
        ))
    }

    /// Rebuilds a saved browser session by replaying its inputs from its seed.
    pub fn restore(saved: &SavedSession) -> Result<Playground, String> {
        let mut playground = Playground::interactive(saved.seed)?;
        for input in &saved.inputs {
            playground.apply(input.clone());
        }
        Ok(playground)
    }

    /// Carries out one input (and records it), as the learner gave it.
    pub fn apply(&mut self, input: Input) {
        match input {
            Input::Command(line) => {
                self.run(&line);
            }
            Input::SaveFile { host, path, text } => {
                // A failed save is recorded too: it changed nothing, so replaying it is harmless.
                let _ = self.save_file(&host, &path, &text);
            }
            Input::Row(action) => {
                self.row_action(action);
            }
            Input::Advance(ms) => self.advance(SimDuration::from_millis(ms)),
            Input::Interrupt => self.interrupt(),
            Input::Cancel(line) => self.cancel_line(&line),
            Input::ClearScreen => self.clear_screen(),
        }
    }

    /// The session as data: its seed and inputs.
    pub fn saved(&self) -> SavedSession {
        SavedSession {
            format: input::FORMAT,
            seed: self.seed,
            inputs: self.inputs.clone(),
        }
    }

    /// The inputs so far, oldest first.
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }

    /// The simulation's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Runs one complete command line in the learner's terminal. While a command still runs
    /// (see [`Playground::busy`]) the terminal takes no new line: nothing happens and nothing
    /// is recorded.
    pub fn run(&mut self, command: &str) -> Ran {
        if self.foreground.is_some() {
            return Ran {
                result: CommandResult {
                    host: self.session.host_name().to_string(),
                    command: command.to_string(),
                    output: String::new(),
                    exit_code: self.session.frame().last_exit,
                    clear: false,
                    logout: false,
                    follow: None,
                },
                open_in_editor: None,
            };
        }
        input::push_input(&mut self.inputs, Input::Command(command.to_string()));
        let host = self.session.host_name().to_string();
        let target = if self.interactive {
            edit_target(command, &self.session.frame().cwd)
        } else {
            None
        };
        if let Some(path) = target {
            // The browser opens its editor pane; the shell only remembers the line.
            self.session.history.push(command.trim_end().to_string());
            let block = self.scrollback.push(&host, command, Origin::Typed);
            self.scrollback.finish(block, 0);
            return Ran {
                result: CommandResult {
                    host: host.clone(),
                    command: command.to_string(),
                    output: String::new(),
                    exit_code: 0,
                    clear: false,
                    logout: false,
                    follow: None,
                },
                open_in_editor: Some((host, path)),
            };
        }
        let mut result = execute(&mut self.cluster, &mut self.session, command);
        if result.clear {
            self.scrollback.clear();
        } else {
            let block = self.scrollback.push(&host, command, Origin::Typed);
            self.scrollback.append(block, &result.output);
            match result.follow.take() {
                // The block stays open while the command runs.
                Some(follow) => self.foreground = Some((follow, block)),
                None => self.scrollback.finish(block, result.exit_code),
            }
        }
        Ran {
            result,
            open_in_editor: None,
        }
    }

    /// Runs a pane's row action: the command a learner would type for it, on its node, shown
    /// in the scrollback as run from that pane. The learner's own shell is left as it is.
    pub fn row_action(&mut self, action: RowAction) -> CommandResult {
        input::push_input(&mut self.inputs, Input::Row(action.clone()));
        let host_name = action.host().unwrap_or(CONTROL_PLANE.0).to_string();
        let command = action.command();
        let Some(host) = self.cluster.host_index(&host_name) else {
            let output = format!("no node called {host_name:?}\n");
            let block =
                self.scrollback
                    .push(&host_name, &command, Origin::Pane(action.pane().into()));
            self.scrollback.append(block, &output);
            self.scrollback.finish(block, 1);
            return CommandResult {
                host: host_name,
                command,
                output,
                exit_code: 1,
                clear: false,
                logout: false,
                follow: None,
            };
        };
        let pid = self.cluster.node_mut(host).allocate_pid();
        let mut session = Session::new(host, &host_name, pid);
        let result = execute(&mut self.cluster, &mut session, &command);
        let block = self
            .scrollback
            .push(&host_name, &command, Origin::Pane(action.pane().into()));
        self.scrollback.append(block, &result.output);
        self.scrollback.finish(block, result.exit_code);
        result
    }

    /// Writes `text` to `path` on node `host`, as `cat > path` would (so the kubelet's watch
    /// sees it), and lets the cluster react.
    pub fn save_file(&mut self, host: &str, path: &str, text: &str) -> Result<(), String> {
        input::push_input(
            &mut self.inputs,
            Input::SaveFile {
                host: host.to_string(),
                path: path.to_string(),
                text: text.to_string(),
            },
        );
        let idx = self
            .cluster
            .host_index(host)
            .ok_or_else(|| format!("no node called {host:?}"))?;
        let now = self.cluster.now();
        let written = self
            .cluster
            .node_mut(idx)
            .fs
            .write(now, path, text.as_bytes(), WriteMode::Truncate)
            .map_err(|err| format!("cannot save {path} on {host}: {err}"));
        self.cluster.settle();
        written
    }

    /// The text of `path` on node `host`, for the editor pane.
    pub fn read_file(&self, host: &str, path: &str) -> Result<String, String> {
        let idx = self
            .cluster
            .host_index(host)
            .ok_or_else(|| format!("no node called {host:?}"))?;
        let data = self
            .cluster
            .host(idx)
            .node
            .fs
            .read(path)
            .map_err(|err| format!("cannot open {path} on {host}: {err}"))?;
        String::from_utf8(data).map_err(|_| {
            format!(
                "cannot open {path} on {host}: it is not UTF-8 text, so the editor cannot show it"
            )
        })
    }

    /// What the editor shows for `text` as the content of `path` on node `host`: diagnostics
    /// in the kubelet's words and what saving it would make the kubelet do.
    pub fn analyse(
        &self,
        host: &str,
        path: &str,
        text: &str,
    ) -> crate::view::editor::EditorAnalysis {
        let idx = self.cluster.host_index(host).unwrap_or(usize::MAX);
        crate::view::editor::analyse(&self.cluster, idx, path, text)
    }

    /// Whether `path` exists on node `host` (an editor buffer for a missing file is new).
    pub fn file_exists(&self, host: &str, path: &str) -> bool {
        self.cluster
            .host_index(host)
            .is_some_and(|idx| self.cluster.host(idx).node.fs.stat(path).is_ok())
    }

    /// Advances virtual time by `d`, running everything that happens in between.
    pub fn advance(&mut self, d: SimDuration) {
        input::push_input(&mut self.inputs, Input::Advance(d.as_millis()));
        let until = self.cluster.now() + d;
        self.drive(until, None);
    }

    /// Advances virtual time by up to `d`, dispatching at most `max_wakeups` wake-ups between
    /// polls of a running command; returns how far the clock got. The browser calls this in
    /// slices so no frame does too much work.
    pub fn advance_limited(&mut self, d: SimDuration, max_wakeups: u32) -> SimDuration {
        let before = self.cluster.now();
        self.drive(before + d, Some(max_wakeups));
        let moved = self.cluster.now().since(before);
        input::push_input(&mut self.inputs, Input::Advance(moved.as_millis()));
        moved
    }

    /// Runs the cluster toward `until`, stopping at each instant the running command wants to
    /// look at the world and showing what it prints; with a budget, gives up early (the
    /// world as `run_until` leaves it at the instant reached). Whether it got to `until`.
    fn drive(&mut self, until: SimTime, budget: Option<u32>) -> bool {
        loop {
            let stop = match &self.foreground {
                Some((follow, _)) => follow.next_poll().min(until),
                None => until,
            };
            let reached = match budget {
                Some(max) => self.cluster.run_until_limited(stop, max),
                None => {
                    self.cluster.run_until(stop);
                    true
                }
            };
            if !reached {
                return false;
            }
            self.poll_foreground();
            if self.cluster.now() >= until {
                return true;
            }
        }
    }

    /// Polls the running command if it is due, and closes its block when it ends.
    fn poll_foreground(&mut self) {
        let Some((follow, block)) = self.foreground.as_mut() else {
            return;
        };
        if self.cluster.now() < follow.next_poll() {
            return;
        }
        let block = *block;
        let step = follow.poll(&mut self.cluster, &mut self.session);
        if step.replace {
            self.scrollback.replace(block, &step.output);
        } else if !step.output.is_empty() {
            self.scrollback.append(block, &step.output);
        }
        if let Some(code) = step.done {
            self.foreground = None;
            self.session.frame_mut().last_exit = code;
            self.scrollback.finish(block, code);
        }
    }

    /// Whether a command is running in the terminal (it takes no new line until it ends or
    /// Ctrl-C stops it).
    pub fn busy(&self) -> bool {
        self.foreground.is_some()
    }

    /// For a running `sleep`, how far it got and how long it is, in virtual milliseconds:
    /// the browser fast-forwards it instead of playing it at the chosen speed.
    pub fn fast_forward(&self) -> Option<(u64, u64)> {
        let (from, until) = self.foreground.as_ref()?.0.fast_forward()?;
        let done = self.cluster.now().since(from).as_millis();
        Some((done, until.since(from).as_millis()))
    }

    /// Runs to the next thing that happens — a pod changes in the API server, a container
    /// starts or stops, a kubelet starts or stops — or [`STEP_LIMIT`]; returns how long that
    /// took. While a command runs, it also stops when that command prints something.
    pub fn step(&mut self) -> SimDuration {
        let before = self.cluster.now();
        let limit = before + STEP_LIMIT;
        let seen = activity(&self.cluster);
        match &self.foreground {
            None => {
                self.cluster
                    .run_while(limit, |cluster| activity(cluster) != seen);
                // Finish the instant, so the world is as one `advance` to it would leave it
                // and the recorded clock movement replays exactly.
                self.cluster.settle();
            }
            Some(_) => {
                // Poll by poll, so the running command sees every instant it asked for.
                let printed = self.scrollback.revision();
                while self.cluster.now() < limit
                    && self.foreground.is_some()
                    && activity(&self.cluster) == seen
                    && self.scrollback.revision() == printed
                {
                    let next = self
                        .foreground
                        .as_ref()
                        .map_or(limit, |(f, _)| f.next_poll().min(limit));
                    self.drive(next, None);
                }
            }
        }
        let moved = self.cluster.now().since(before);
        input::push_input(&mut self.inputs, Input::Advance(moved.as_millis()));
        moved
    }

    /// Ctrl-C: stops what the terminal is running; bash shows `^C` and `$?` becomes 130.
    pub fn interrupt(&mut self) {
        input::push_input(&mut self.inputs, Input::Interrupt);
        if let Some((_, block)) = self.foreground.take() {
            self.session.frame_mut().last_exit = 130;
            let ends_line = self
                .scrollback
                .blocks()
                .find(|b| b.id == block)
                .is_none_or(|b| b.output.is_empty() || b.output.ends_with('\n'));
            self.scrollback
                .append(block, if ends_line { "^C\n" } else { "\n^C\n" });
            self.scrollback.finish(block, 130);
        }
    }

    /// Ctrl-C at the prompt: bash abandons the typed line, prints `^C` and sets `$?` to 130.
    pub fn cancel_line(&mut self, line: &str) {
        input::push_input(&mut self.inputs, Input::Cancel(line.to_string()));
        self.session.frame_mut().last_exit = 130;
        let host = self.session.host_name().to_string();
        self.scrollback.push_cancelled(&host, line);
    }

    /// Ctrl-L: an empty screen (the shell and the cluster are untouched).
    pub fn clear_screen(&mut self) {
        input::push_input(&mut self.inputs, Input::ClearScreen);
        self.scrollback.clear();
    }

    /// Tab completion for `line` with the cursor at byte `cursor`.
    pub fn complete(&mut self, line: &str, cursor: usize) -> Vec<String> {
        let frame = self.session.frame().clone();
        let world = crate::shell::commands::World::for_frame(&mut self.cluster, &frame);
        complete(line, cursor, &world)
    }

    /// What `help` prints: every command the terminal supports.
    pub fn help_text() -> String {
        crate::shell::commands::help::help(&["help".to_string()]).stdout
    }

    /// What every live pane shows now.
    pub fn view(&self) -> View {
        crate::view::view(&self.cluster, self.start)
    }

    /// The clock readout alone (cheap enough for every frame).
    pub fn clock(&self) -> crate::view::ClockView {
        crate::view::clock::clock_view(self.cluster.now(), self.start)
    }

    /// The terminal's scrollback.
    pub fn scrollback(&self) -> &Scrollback {
        &self.scrollback
    }

    /// The prompt of the terminal's current shell: `controlplane $ `.
    pub fn prompt(&self) -> String {
        crate::view::terminal::prompt(self.session.host_name())
    }

    /// Virtual seconds since the learner arrived.
    pub fn clock_secs(&self) -> f64 {
        self.cluster.now().since(self.start).as_secs_f64()
    }

    /// The cluster.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The cluster, for tests that change the world from outside the terminal.
    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// The terminal session.
    pub fn session(&self) -> &Session {
        &self.session
    }
}

/// What [`Playground::step`] watches: pods' resource versions, each runtime's revision and
/// which kubelets run. Node heartbeats and events change none of these.
fn activity(cluster: &Cluster) -> (Vec<String>, Vec<u64>, Vec<bool>) {
    use crate::apiserver::store::Resource;
    let pods = cluster
        .api()
        .store()
        .list_values(Resource::Pods, None)
        .iter()
        .map(|pod| {
            pod.pointer("/metadata/resourceVersion")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let hosts = cluster.hosts();
    (
        pods,
        hosts.iter().map(|h| h.node.runtime.revision()).collect(),
        hosts.iter().map(|h| h.kubelet().is_some()).collect(),
    )
}
