//! The playground as its three faces use it: a booted cluster, a terminal session on the
//! control-plane node, a clock that reads zero when the learner arrives, and the log of every
//! input the learner gave. This is the one boundary the UI, the runner and the tests drive
//! the simulation through; what a pane shows comes from [`Playground::view`].

pub mod input;
pub mod kubelet;
pub mod lesson;
pub mod rewind;
pub mod share;

use crate::cluster::boot::CONTROL_PLANE;
use crate::cluster::Cluster;
use crate::node::fs::WriteMode;
use crate::shell::commands::editor::edit_target;
use crate::shell::complete::complete;
use crate::shell::follow::{Follow, FollowStep};
use crate::shell::session::Session;
use crate::shell::{execute, CommandResult};

use crate::view::terminal::{Origin, Scrollback};
use crate::view::View;

pub use crate::shell::parser::{completeness, Completeness, IncompleteReason};
pub use crate::sim::{SimDuration, SimTime};
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
    /// The command running in the terminal's foreground, if any.
    job: Option<Job>,
    /// The lesson being taken, if any; its open step is checked after every input.
    lesson: Option<crate::lessons::LessonRun>,
    /// A lesson step completed at the end of the last input: the next clock movement is
    /// logged apart from it (not folded in), so a replay completes the step at the same
    /// instant.
    sealed: bool,
    /// The "Inside the kubelet" timeline's bounded history, read from the trace on demand.
    history: crate::view::kubelet::History,
}

/// A command that goes on in the terminal (a watch, a follow, a `sleep`) and its block.
#[derive(Debug, Clone)]
struct Job {
    follow: Follow,
    block: u64,
}

/// How far a `sleep` typed at the terminal has got. While there is one, the page moves the
/// clock on whether or not it is playing, as fast as it can, with a progress note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastForward {
    /// Virtual milliseconds slept so far.
    pub done_ms: u64,
    /// Virtual milliseconds the `sleep` lasts.
    pub total_ms: u64,
}

/// What running a command line did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// The shell's result.
    pub result: CommandResult,
    /// Set when the line was `vi|vim|nano FILE`: the browser opens FILE on this host in its
    /// editor pane instead of running an editor.
    pub open_in_editor: Option<(String, String)>,
    /// A command was still running in the terminal, so the line was not run: nothing
    /// changed and nothing was recorded (`result` is empty).
    pub busy: bool,
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
            job: None,
            lesson: None,
            sealed: false,
            history: Default::default(),
        })
    }

    /// A learner's start: lesson `lesson` of the course, or the sandbox (the default cluster
    /// as booted) when `None`.
    pub fn start(lesson: Option<&str>, seed: u64) -> Result<Playground, String> {
        match lesson {
            Some(id) => Playground::interactive_lesson(id, seed),
            None => Playground::interactive(seed),
        }
    }

    /// Rebuilds a saved browser session by replaying its inputs from its seed (and from its
    /// lesson's start, when it took one).
    pub fn restore(saved: &SavedSession) -> Result<Playground, String> {
        let mut playground = Playground::start(saved.lesson.as_deref(), saved.seed)?;
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

    /// A copy of the session that leaves the event log and the timeline's history behind (see
    /// [`Cluster::fork`]): a snapshot for the replay scrubber.
    pub fn fork(&self) -> Playground {
        Playground {
            cluster: self.cluster.fork(),
            session: self.session.clone(),
            start: self.start,
            seed: self.seed,
            inputs: self.inputs.clone(),
            scrollback: self.scrollback.clone(),
            interactive: self.interactive,
            job: self.job.clone(),
            lesson: self.lesson.clone(),
            sealed: self.sealed,
            history: Default::default(),
        }
    }

    /// When the learner arrived (the boot's end): the clock readout counts from here.
    pub fn arrived(&self) -> SimTime {
        self.start
    }

    /// The session as data: its seed and inputs.
    pub fn saved(&self) -> SavedSession {
        SavedSession {
            format: input::FORMAT,
            seed: self.seed,
            inputs: self.inputs.clone(),
            lesson: self.lesson.as_ref().map(|run| run.lesson().id.clone()),
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

    /// Runs one complete command line in the learner's terminal.
    ///
    /// A line that follows (`kubectl get -w`, `kubectl logs -f`, `crictl logs -f`,
    /// `journalctl -f`, `watch`, `sleep N`; in an interactive playground, alone on the line)
    /// prints its first output and goes on as the terminal's foreground job: its block stays
    /// open (`exit_code: None`) and grows as the clock moves, until it ends by itself or
    /// [`Playground::interrupt`]. Meanwhile the terminal is busy: another line is refused
    /// without effect ([`Ran::busy`]) and not recorded, as the page does not send one.
    pub fn run(&mut self, command: &str) -> Ran {
        let ran = self.run_line(command);
        self.check_lesson();
        ran
    }

    fn run_line(&mut self, command: &str) -> Ran {
        let host = self.session.host_name().to_string();
        let empty = |host: String| CommandResult {
            host,
            command: command.to_string(),
            output: String::new(),
            exit_code: 0,
            clear: false,
            logout: false,
            follow: None,
        };
        if self.job.is_some() {
            return Ran {
                result: empty(host),
                open_in_editor: None,
                busy: true,
            };
        }
        self.record(Input::Command(command.to_string()));
        let target = if self.interactive {
            edit_target(command, &self.session.frame().cwd)
        } else {
            None
        };
        if let Some(path) = target {
            // The browser opens its editor pane; the shell only remembers the line.
            self.session.history.push(command.trim_end().to_string());
            self.scrollback.push(&host, command, Origin::Typed);
            self.scrollback.finish(0);
            return Ran {
                result: empty(host.clone()),
                open_in_editor: Some((host, path)),
                busy: false,
            };
        }
        let result = execute(&mut self.cluster, &mut self.session, command);
        if result.clear {
            self.scrollback.clear();
        } else {
            let block = self.scrollback.push(&host, command, Origin::Typed);
            self.scrollback.append(&result.output);
            match &result.follow {
                Some(follow) => {
                    self.job = Some(Job {
                        follow: follow.clone(),
                        block,
                    });
                    self.catch_up();
                }
                None => self.scrollback.finish(result.exit_code),
            }
        }
        Ran {
            result,
            open_in_editor: None,
            busy: false,
        }
    }

    /// Logs an input (a clock movement is folded into the one before, unless a lesson step
    /// completed in between).
    fn record(&mut self, input: Input) {
        if input == Input::Advance(0) {
            return;
        }
        if std::mem::take(&mut self.sealed) {
            self.inputs.push(input);
            return;
        }
        input::push_input(&mut self.inputs, input);
    }

    /// Whether a command is running in the terminal (its block is the open one).
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The command running in the terminal, if any.
    pub fn foreground(&self) -> Option<&Follow> {
        self.job.as_ref().map(|job| &job.follow)
    }

    /// While a `sleep` runs in the terminal: how far it got. The page then advances the clock
    /// (with [`Playground::advance_limited`], the remaining time each frame) even when paused,
    /// and shows the progress.
    pub fn fast_forward(&self) -> Option<FastForward> {
        let (start, until) = self.job.as_ref()?.follow.sleep_span()?;
        Some(FastForward {
            done_ms: self.cluster.now().since(start).as_millis(),
            total_ms: until.since(start).as_millis(),
        })
    }

    /// Polls the foreground job once, at its poll instant; whether it printed a line or
    /// ended (a redraw is not news).
    fn poll_job(&mut self) -> bool {
        let Some(job) = self.job.as_mut() else {
            return false;
        };
        let step = job.follow.poll(&mut self.cluster);
        self.show(step)
    }

    /// Puts what the foreground job printed in its block; ends the job when it is done.
    fn show(&mut self, step: FollowStep) -> bool {
        let Some(block) = self.job.as_ref().map(|job| job.block) else {
            return false;
        };
        if step.replace {
            self.scrollback.replace_in(block, &step.output);
        } else if !step.output.is_empty() {
            self.scrollback.append_to(block, &step.output);
        }
        if let Some(code) = step.done {
            self.scrollback.finish_block(block, code);
            self.session.frame_mut().last_exit = code;
            self.job = None;
        }
        (!step.replace && !step.output.is_empty()) || step.done.is_some()
    }

    /// Polls the foreground job for every poll instant the clock has reached; whether any
    /// poll printed a line or ended it.
    fn catch_up(&mut self) -> bool {
        let mut news = false;
        while self
            .job
            .as_ref()
            .is_some_and(|job| job.follow.next_poll() <= self.cluster.now())
        {
            news |= self.poll_job();
        }
        news
    }

    /// Where the clock may run to before the foreground job must be polled.
    fn stop_before(&self, limit: SimTime) -> SimTime {
        match &self.job {
            Some(job) => job.follow.next_poll().min(limit),
            None => limit,
        }
    }

    /// Runs the cluster to `target`, polling the foreground job at each of its instants.
    fn run_to(&mut self, target: SimTime) {
        loop {
            self.catch_up();
            let stop = self.stop_before(target);
            if stop > self.cluster.now() {
                self.cluster.run_until(stop);
            }
            if self.cluster.now() >= target {
                self.catch_up();
                return;
            }
        }
    }

    /// Ends the foreground job as Ctrl-C does.
    fn stop_job(&mut self) {
        if let Some(job) = &self.job {
            let step = job.follow.interrupt();
            self.show(step);
        }
    }

    /// Runs a pane's row action: the command a learner would type for it, on its node, shown
    /// in the scrollback as run from that pane. The learner's own shell is left as it is.
    pub fn row_action(&mut self, action: RowAction) -> CommandResult {
        let result = self.run_row_action(action);
        self.check_lesson();
        result
    }

    fn run_row_action(&mut self, action: RowAction) -> CommandResult {
        self.record(Input::Row(action.clone()));
        let host_name = action.host().unwrap_or(CONTROL_PLANE.0).to_string();
        let command = action.command();
        let origin = Origin::Pane(action.pane().into());
        let Some(host) = self.cluster.host_index(&host_name) else {
            let output = format!("no node called {host_name:?}\n");
            self.log_action(&host_name, &command, origin, &output, 1);
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
        // A pane's command runs in a session of its own, never as the terminal's job.
        let mut session = Session::new(host, &host_name, pid);
        let result = execute(&mut self.cluster, &mut session, &command);
        self.log_action(
            &host_name,
            &command,
            origin,
            &result.output,
            result.exit_code,
        );
        // Should the command have moved the clock, the terminal's job catches up.
        self.catch_up();
        result
    }

    /// Records a pane's command in the scrollback: as the newest block, or just above the
    /// block of a command still running in the terminal, which stays by the prompt.
    fn log_action(&mut self, host: &str, command: &str, origin: Origin, output: &str, code: i32) {
        let block = match &self.job {
            Some(job) => self.scrollback.push_above(job.block, host, command, origin),
            None => self.scrollback.push(host, command, origin),
        };
        self.scrollback.append_to(block, output);
        self.scrollback.finish_block(block, code);
    }

    /// Writes `text` to `path` on node `host`, as `cat > path` would (so the kubelet's watch
    /// sees it), and lets the cluster react.
    pub fn save_file(&mut self, host: &str, path: &str, text: &str) -> Result<(), String> {
        self.record(Input::SaveFile {
            host: host.to_string(),
            path: path.to_string(),
            text: text.to_string(),
        });
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
        self.check_lesson();
        written
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

    /// Advances virtual time by `d`, running everything that happens in between and polling
    /// the terminal's foreground job at each of its instants.
    pub fn advance(&mut self, d: SimDuration) {
        let before = self.cluster.now();
        self.run_to(before + d);
        // A `watch` whose command sleeps may carry the clock past the target: the log
        // records how far it really went, so a replay folding this with the next movement
        // ends in the same place.
        let moved = self.cluster.now().since(before);
        self.record(Input::Advance(moved.as_millis()));
        self.check_lesson();
    }

    /// Advances virtual time by up to `d`, dispatching at most `max_wakeups` wake-ups; returns
    /// how far the clock got. The browser calls this in slices so no frame does too much work;
    /// a slice also ends at the foreground job's next poll instant (the job is polled there),
    /// so call it again until the frame's time is used up. How the time is sliced never
    /// changes what happens: the log records only the total.
    pub fn advance_limited(&mut self, d: SimDuration, max_wakeups: u32) -> SimDuration {
        let before = self.cluster.now();
        self.catch_up();
        let stop = self.stop_before(before + d);
        if stop > self.cluster.now() && self.cluster.run_until_limited(stop, max_wakeups) {
            self.catch_up();
        }
        let moved = self.cluster.now().since(before);
        self.record(Input::Advance(moved.as_millis()));
        self.check_lesson();
        moved
    }

    /// Runs to the next thing that happens — a pod changes in the API server, a container
    /// starts or stops, a kubelet starts or stops, the terminal's command prints a line or
    /// ends — or [`STEP_LIMIT`]; returns how long that took.
    pub fn step(&mut self) -> SimDuration {
        let before = self.cluster.now();
        let seen = activity(&self.cluster);
        let limit = before + STEP_LIMIT;
        self.catch_up();
        loop {
            let stop = self.stop_before(limit);
            let changed = self
                .cluster
                .run_while(stop, |cluster| activity(cluster) != seen);
            // Finish the instant, so the world is as one `advance` to it would leave it and
            // the recorded clock movement replays exactly.
            self.cluster.settle();
            let news = self.catch_up();
            if changed || news || self.cluster.now() >= limit {
                break;
            }
        }
        let moved = self.cluster.now().since(before);
        self.record(Input::Advance(moved.as_millis()));
        self.check_lesson();
        moved
    }

    /// Ctrl-C while a command runs: it stops. The terminal shows `^C` (the tty's echo) and
    /// the prompt, and `$?` is the command's status after SIGINT: 130 for most, 1 for
    /// `kubectl get -w` (which catches it), 0 for `watch`. The clock stays where it got to.
    pub fn interrupt(&mut self) {
        self.record(Input::Interrupt);
        self.stop_job();
        self.check_lesson();
    }

    /// Ctrl-C at the prompt: bash abandons the typed line, prints `^C` and sets `$?` to 130.
    /// While a command runs there is no prompt: the Ctrl-C goes to the command (as
    /// [`Playground::interrupt`]) and the typed text is dropped.
    pub fn cancel_line(&mut self, line: &str) {
        self.record(Input::Cancel(line.to_string()));
        if self.job.is_some() {
            self.stop_job();
            self.check_lesson();
            return;
        }
        self.session.frame_mut().last_exit = 130;
        let host = self.session.host_name().to_string();
        self.scrollback.push_cancelled(&host, line);
    }

    /// Ctrl-L: an empty screen (the shell and the cluster are untouched). While a command
    /// runs, Ctrl-L goes to it rather than to bash, and the followers ignore it.
    pub fn clear_screen(&mut self) {
        self.record(Input::ClearScreen);
        if self.job.is_none() {
            self.scrollback.clear();
        }
    }

    /// Tab completion for `line` with the cursor at byte `cursor`.
    pub fn complete(&mut self, line: &str, cursor: usize) -> Vec<String> {
        let frame = self.session.frame().clone();
        let world = crate::shell::commands::World {
            cluster: &mut self.cluster,
            host: frame.host,
            cwd: &frame.cwd,
            vars: &frame.vars,
            background: None,
            shell_pid: frame.pid,
            peers: &[],
            foreground: None,
        };
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

    /// The Pods pane alone (the live refresh draws it and the node cards on alternate frames).
    pub fn pods_view(&self) -> crate::view::PodsView {
        crate::view::pods::pods_view(&self.cluster)
    }

    /// The Nodes pane alone.
    pub fn nodes_view(&self) -> Vec<crate::view::NodeView> {
        crate::view::nodes::nodes_view(&self.cluster)
    }

    /// The terminal's scrollback.
    pub fn scrollback(&self) -> &Scrollback {
        &self.scrollback
    }

    /// The prompt of the terminal's current shell: `controlplane $ `.
    pub fn prompt(&self) -> String {
        crate::view::terminal::prompt(self.session.host_name())
    }

    /// How many storms of same-instant wake-ups the event loop's guard has stopped (a bug the
    /// learner should hear about; the journal has the details).
    pub fn storms(&self) -> u32 {
        self.cluster.storms()
    }

    /// The clock readout alone (cheap enough for every frame).
    pub fn clock(&self) -> crate::view::ClockView {
        crate::view::clock::clock_view(self.cluster.now(), self.start)
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
