//! Commands that keep running at a learner's terminal: `kubectl get -w`, `kubectl logs -f`,
//! `crictl logs -f`, `journalctl -f`, `watch` and a long `sleep`.
//!
//! In the browser (an interactive session) such a command, typed as the whole command line,
//! prints what it has at once and hands back a [`Follow`]: the terminal stays busy while the
//! clock runs, the driver polls the follow at the virtual instants it names
//! ([`Follow::next_poll`]) and shows what each poll prints, until the follow ends by itself or
//! the learner presses Ctrl-C. Polls happen at fixed virtual instants, so what a follow
//! prints does not depend on how the browser slices time, and replaying a session gives the
//! same screen.
//!
//! Simplified: a follow inside a pipeline, a list or a command substitution keeps the
//! runner's bounded behaviour (each command module says how long it follows), as does every
//! follow in the command-line runner, which has no Ctrl-C.

use crate::cluster::Cluster;
use crate::shell::commands::crictl::logs::parse_cri_log;
use crate::shell::commands::kubectl::get::WatchState;
use crate::shell::commands::systemd::journalctl::JournalTail;
use crate::shell::commands::watch::Repeat;
use crate::shell::session::Session;
use crate::sim::{SimDuration, SimTime};

/// A running command the terminal waits on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    /// When it next wants to look at the world.
    next: SimTime,
    /// What it follows.
    kind: FollowKind,
}

/// The followed things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowKind {
    /// `kubectl get -w`.
    Watch(WatchState),
    /// `kubectl logs -f` and `crictl logs -f`.
    Log(LogTail),
    /// `journalctl -f`.
    Journal(JournalTail),
    /// `watch COMMAND`.
    Repeat(Repeat),
    /// `sleep N`.
    Sleep {
        /// When it started.
        from: SimTime,
        /// When it ends.
        until: SimTime,
    },
}

/// What one poll printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowStep {
    /// Text for the terminal (stdout and stderr in order).
    pub output: String,
    /// The text replaces what the command printed so far (`watch` redraws its screen).
    pub replace: bool,
    /// The command ended by itself with this status.
    pub done: Option<i32>,
}

/// How often a follow looks at the world, as the bounded loops do.
pub const POLL: SimDuration = SimDuration::from_secs(1);

impl Follow {
    /// A follow of `kind` that first polls at `next`.
    pub fn new(next: SimTime, kind: FollowKind) -> Follow {
        Follow { next, kind }
    }

    /// When the driver must poll next: it never runs the clock past this without polling.
    pub fn next_poll(&self) -> SimTime {
        self.next
    }

    /// `(from, until)` for a `sleep`, which the browser fast-forwards instead of playing.
    pub fn fast_forward(&self) -> Option<(SimTime, SimTime)> {
        match &self.kind {
            FollowKind::Sleep { from, until } => Some((*from, *until)),
            _ => None,
        }
    }

    /// Looks at the world at [`Follow::next_poll`] (the clock must be there).
    pub fn poll(&mut self, cluster: &mut Cluster, session: &mut Session) -> FollowStep {
        let now = cluster.now();
        let step = match &mut self.kind {
            FollowKind::Watch(state) => state.poll(cluster, session),
            FollowKind::Log(tail) => tail.poll(cluster),
            FollowKind::Journal(tail) => tail.poll(cluster),
            FollowKind::Repeat(repeat) => repeat.poll(cluster, session),
            FollowKind::Sleep { until, .. } => FollowStep {
                done: (*until <= now).then_some(0),
                ..FollowStep::default()
            },
        };
        self.next = match &self.kind {
            FollowKind::Repeat(repeat) => now + repeat.interval(),
            FollowKind::Sleep { until, .. } => (*until).max(now),
            _ => now + POLL,
        };
        step
    }
}

/// A container log file followed from where the command started reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogTail {
    /// The node.
    pub host: usize,
    /// The container whose end ends the follow.
    pub container: String,
    /// The CRI log file.
    pub path: String,
    /// Bytes of the file already shown.
    pub offset: usize,
    /// Prefix each line with its timestamp.
    pub timestamps: bool,
    /// Only this stream (`stdout` or `stderr`), if set.
    pub stream: Option<String>,
}

impl LogTail {
    fn poll(&mut self, cluster: &Cluster) -> FollowStep {
        let node = &cluster.host(self.host).node;
        let text = node.fs.read_to_string(&self.path).unwrap_or_default();
        // Only whole lines; a line still being written waits for the next poll.
        let fresh = text.get(self.offset..).unwrap_or("");
        let complete = fresh.rfind('\n').map_or(0, |idx| idx + 1);
        let mut output = String::new();
        for line in parse_cri_log(&fresh[..complete]) {
            if self.stream.as_deref().is_some_and(|s| s != line.stream) {
                continue;
            }
            if self.timestamps {
                output.push_str(&line.time);
                output.push(' ');
            }
            output.push_str(&line.text);
        }
        self.offset += complete;
        let running = node
            .runtime
            .container(&self.container)
            .is_some_and(|c| c.state == crate::node::cri::ContainerState::Running);
        FollowStep {
            output,
            replace: false,
            done: (!running).then_some(0),
        }
    }
}
