//! Commands that keep running after their first output — `kubectl get -w`, `kubectl logs -f`,
//! `crictl logs -f`, `journalctl -f`, `watch` and, in the browser, `sleep` — as resumable
//! foreground jobs.
//!
//! A command that follows prints its first output at once and builds a [`Follow`]: the state
//! it needs to go on. The follow is polled at fixed virtual instants ([`Follow::next_poll`]:
//! every second for the watches and log follows, every interval for `watch`, the end for
//! `sleep`), after everything due up to that instant has run, so what it prints depends on the
//! simulation only, never on how the caller slices time. Two drivers use the same follow:
//!
//! - the browser's terminal ([`crate::playground::Playground`]) keeps it as the foreground job
//!   and polls it while the learner's clock runs, until it ends by itself or Ctrl-C
//!   ([`Follow::interrupt`]);
//! - a script (the runner, a pipeline, `$(...)`, a compound command, a pane's row action) has
//!   no Ctrl-C, so [`Follow::run_bounded`] runs the cluster to each poll instant for a bounded
//!   stretch of virtual time and returns everything at once. The runner therefore prints the
//!   browser's lines up to the bound.
//!
//! Simplified: only a command line that is one simple command — stdin redirections and
//! `2>&1` or `2>/dev/null` allowed — streams in the browser; a follow in a pipeline, a list
//! or a compound command keeps the bounded behaviour there too.

use crate::cluster::Cluster;
use crate::shell::ast::{Command, RedirectKind, Script};
use crate::shell::commands::crictl::logs::LogFollow;
use crate::shell::commands::kubectl::delete::DeleteWait;
use crate::shell::commands::kubectl::drain::DrainWait;
use crate::shell::commands::kubectl::rollout::RolloutStatus;
use crate::shell::commands::kubectl::wait::WaitFor;
use crate::shell::commands::kubectl::watch::GetWatch;
use crate::shell::commands::sleep::Sleep;
use crate::shell::commands::systemd::JournalFollow;
use crate::shell::commands::watch::Watch;
use crate::shell::io::Output;
use crate::sim::{SimDuration, SimTime};

/// How often the watches and log follows look for news: kubectl's watch events, the kubelet's
/// log stream and journald's notifications all arrive promptly, and one virtual second is the
/// finest step a learner notices.
pub const POLL_EVERY: SimDuration = SimDuration::from_secs(1);

/// A command still running in the terminal's foreground.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    /// What kind of command it is, with its state.
    pub kind: FollowKind,
    /// `2>/dev/null` on the command line: what the command writes to stderr is dropped.
    drop_stderr: bool,
}

/// The commands that follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowKind {
    /// `sleep N` typed at the browser's terminal.
    Sleep(Sleep),
    /// `kubectl get -w`.
    GetWatch(GetWatch),
    /// `kubectl logs -f` and `crictl logs -f`.
    Logs(LogFollow),
    /// `journalctl -f`.
    Journal(JournalFollow),
    /// `watch COMMAND`.
    Watch(Watch),
    /// `kubectl delete` waiting for its objects to go.
    DeleteWait(DeleteWait),
    /// `kubectl drain` waiting for its evicted pods to go.
    DrainWait(DrainWait),
    /// `kubectl wait` waiting for a condition or a deletion.
    Wait(WaitFor),
    /// `kubectl rollout status` following a rollout.
    Rollout(RolloutStatus),
}

/// What one poll of a follow produced, as the terminal shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowStep {
    /// Terminal text (stdout and stderr as the command line routes them).
    pub output: String,
    /// The text replaces everything the command has shown so far (a `watch` redraw) instead
    /// of following it.
    pub replace: bool,
    /// The command ended with this exit status.
    pub done: Option<i32>,
}

/// One poll's result before routing: both streams apart, so a script can pipe them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Polled {
    /// What the command wrote (`code` is unused).
    pub out: Output,
    /// See [`FollowStep::replace`].
    pub replace: bool,
    /// See [`FollowStep::done`].
    pub done: Option<i32>,
}

impl Polled {
    /// Nothing new.
    pub fn quiet() -> Polled {
        Polled::default()
    }
}

impl Follow {
    /// A follow of `kind` that shows what the command writes to stderr.
    pub fn new(kind: impl Into<FollowKind>) -> Follow {
        Follow {
            kind: kind.into(),
            drop_stderr: false,
        }
    }

    /// The virtual instant of the next poll; the caller runs the cluster exactly to it (all
    /// wake-ups due then included) and then calls [`Follow::poll`].
    pub fn next_poll(&self) -> SimTime {
        match &self.kind {
            FollowKind::Sleep(s) => s.until,
            FollowKind::GetWatch(w) => w.next,
            FollowKind::Logs(l) => l.next,
            FollowKind::Journal(j) => j.next,
            FollowKind::Watch(w) => w.next,
            FollowKind::DeleteWait(d) => d.next,
            FollowKind::DrainWait(d) => d.next,
            FollowKind::Wait(w) => w.next,
            FollowKind::Rollout(r) => r.next,
        }
    }

    /// Looks for news at [`Follow::next_poll`] and moves the next poll on. A `watch` reruns
    /// its command, which may itself move the clock.
    pub fn poll(&mut self, cluster: &mut Cluster) -> FollowStep {
        let polled = self.poll_streams(cluster);
        FollowStep {
            output: terminal_text(&polled.out, self.drop_stderr),
            replace: polled.replace,
            done: polled.done,
        }
    }

    fn poll_streams(&mut self, cluster: &mut Cluster) -> Polled {
        let polled = match &mut self.kind {
            FollowKind::Sleep(s) => s.poll(),
            FollowKind::GetWatch(w) => w.poll(cluster),
            FollowKind::Logs(l) => l.poll(cluster),
            FollowKind::Journal(j) => j.poll(cluster),
            FollowKind::Watch(w) => w.poll(cluster),
            FollowKind::DeleteWait(d) => d.poll(cluster),
            FollowKind::DrainWait(d) => d.poll(cluster),
            FollowKind::Wait(w) => w.poll(cluster),
            FollowKind::Rollout(r) => r.poll(cluster),
        };
        cluster.settle();
        polled
    }

    /// Ctrl-C: what the terminal shows and the exit status (`$?`). The terminal echoes `^C`;
    /// bash starts a new line after a command killed by SIGINT (status 130). `kubectl get -w`
    /// catches the signal and exits 1 on its own, so the prompt follows the `^C`; `watch`
    /// catches it too, turns echo off, and exits 0.
    pub fn interrupt(&self) -> FollowStep {
        let (output, code) = match &self.kind {
            FollowKind::GetWatch(_) => ("^C", 1),
            FollowKind::Watch(_) => ("", 0),
            FollowKind::Sleep(_)
            | FollowKind::Logs(_)
            | FollowKind::Journal(_)
            | FollowKind::DeleteWait(_)
            | FollowKind::DrainWait(_)
            | FollowKind::Wait(_)
            | FollowKind::Rollout(_) => ("^C\n", 130),
        };
        FollowStep {
            output: output.to_string(),
            replace: false,
            done: Some(code),
        }
    }

    /// A `sleep`'s start and end, for the fast-forward note; `None` for the other commands.
    pub fn sleep_span(&self) -> Option<(SimTime, SimTime)> {
        match &self.kind {
            FollowKind::Sleep(s) => Some((s.start, s.until)),
            _ => None,
        }
    }

    /// Runs the follow the way a script sees it: the cluster runs to each poll instant until
    /// the follow ends or the next poll would come after `until` (then the clock is left at
    /// `until`, as if the command was interrupted there). Everything goes after `out`, the
    /// command's first output; the status is the follow's, or `out`'s when the bound ended it.
    pub fn run_bounded(mut self, cluster: &mut Cluster, until: SimTime, mut out: Output) -> Output {
        loop {
            let at = self.next_poll();
            if at > until {
                if until > cluster.now() {
                    cluster.run_until(until);
                }
                return out;
            }
            if at > cluster.now() {
                cluster.run_until(at);
            }
            let polled = self.poll_streams(cluster);
            append(&mut out, polled.out);
            if let Some(code) = polled.done {
                out.code = code;
                return out;
            }
        }
    }
}

/// What the terminal shows of `out`, in the evaluator's order: stderr, then stdout with the
/// stderr written after parts of it.
fn terminal_text(out: &Output, drop_stderr: bool) -> String {
    let mut text = String::new();
    if !drop_stderr {
        text.push_str(&out.stderr);
    }
    let mut from = 0;
    for (at, err) in &out.stderr_after {
        let at = if out.stdout.is_char_boundary(*at) {
            (*at).max(from)
        } else {
            out.stdout.len()
        };
        text.push_str(out.stdout.get(from..at).unwrap_or_default());
        if !drop_stderr {
            text.push_str(err);
        }
        from = at;
    }
    text.push_str(out.stdout.get(from..).unwrap_or_default());
    text
}

/// Appends `more` to `out`, keeping the order in which the two streams were written.
fn append(out: &mut Output, more: Output) {
    out.stderr_after_stdout(&more.stderr);
    let base = out.stdout.len();
    out.stdout.push_str(&more.stdout);
    for (at, text) in more.stderr_after {
        out.stderr_after.push((base + at, text));
    }
}

impl From<Sleep> for FollowKind {
    fn from(s: Sleep) -> FollowKind {
        FollowKind::Sleep(s)
    }
}

impl From<GetWatch> for FollowKind {
    fn from(w: GetWatch) -> FollowKind {
        FollowKind::GetWatch(w)
    }
}

impl From<LogFollow> for FollowKind {
    fn from(l: LogFollow) -> FollowKind {
        FollowKind::Logs(l)
    }
}

impl From<JournalFollow> for FollowKind {
    fn from(j: JournalFollow) -> FollowKind {
        FollowKind::Journal(j)
    }
}

impl From<DeleteWait> for FollowKind {
    fn from(d: DeleteWait) -> FollowKind {
        FollowKind::DeleteWait(d)
    }
}

impl From<DrainWait> for FollowKind {
    fn from(d: DrainWait) -> FollowKind {
        FollowKind::DrainWait(d)
    }
}

impl From<WaitFor> for FollowKind {
    fn from(w: WaitFor) -> FollowKind {
        FollowKind::Wait(w)
    }
}

impl From<RolloutStatus> for FollowKind {
    fn from(r: RolloutStatus) -> FollowKind {
        FollowKind::Rollout(r)
    }
}

impl From<Watch> for FollowKind {
    fn from(w: Watch) -> FollowKind {
        FollowKind::Watch(w)
    }
}

/// Whether `script` may stream in the browser: one simple command, in the foreground, whose
/// stdout is the terminal. `Some(true)` when its stderr is thrown away (`2>/dev/null`).
pub fn foreground_line(script: &Script) -> Option<bool> {
    let [item] = script.items.as_slice() else {
        return None;
    };
    let pipeline = &item.and_or.first;
    if item.background || !item.and_or.rest.is_empty() || pipeline.negated {
        return None;
    }
    let [Command::Simple(simple)] = pipeline.commands.as_slice() else {
        return None;
    };
    let mut drop_stderr = false;
    for redirect in &simple.redirects {
        let target = redirect.target.literal_text();
        match (&redirect.kind, redirect.fd) {
            (
                RedirectKind::In | RedirectKind::HereDoc(_) | RedirectKind::HereString,
                None | Some(0),
            ) => {}
            (RedirectKind::DupOut, Some(2)) if target.as_deref() == Some("1") => {
                drop_stderr = false
            }
            (RedirectKind::Out { .. }, Some(2)) if target.as_deref() == Some("/dev/null") => {
                drop_stderr = true
            }
            _ => return None,
        }
    }
    Some(drop_stderr)
}

impl Follow {
    /// The same follow with its stderr thrown away (`2>/dev/null`) or shown.
    pub fn with_stderr_dropped(mut self, drop: bool) -> Follow {
        self.drop_stderr = drop;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::parser::parse;

    fn line(text: &str) -> Option<bool> {
        foreground_line(&parse(text).unwrap())
    }

    #[test]
    fn only_a_lone_simple_command_streams() {
        assert_eq!(line("kubectl get pods -w"), Some(false));
        assert_eq!(line("kubectl logs -f web 2>&1"), Some(false));
        assert_eq!(line("journalctl -f 2>/dev/null"), Some(true));
        assert_eq!(line("crictl logs -f abc 2>/dev/null 2>&1"), Some(false));
        assert_eq!(line("watch -n 1 date < /dev/null"), Some(false));
        assert_eq!(line("kubectl get pods -w | grep web"), None);
        assert_eq!(line("kubectl get pods -w > /tmp/out"), None);
        assert_eq!(line("kubectl get pods -w 2>/tmp/err"), None);
        assert_eq!(line("sleep 5; date"), None);
        assert_eq!(line("sleep 5 && date"), None);
        assert_eq!(line("sleep 5 &"), None);
        assert_eq!(line("! sleep 5"), None);
        assert_eq!(line("{ sleep 5; }"), None);
    }

    #[test]
    fn bounded_output_keeps_the_order_of_both_streams() {
        let mut out = Output::ok("first\n");
        append(
            &mut out,
            Output {
                stdout: "b\n".into(),
                stderr: "a\n".into(),
                code: 0,
                stderr_after: vec![(2, "c\n".into())],
            },
        );
        assert_eq!(out.stdout, "first\nb\n");
        assert_eq!(
            out.stderr_after,
            vec![(6, "a\n".to_string()), (8, "c\n".to_string())]
        );
    }
}
