//! `crictl logs` (`cmd/crictl/logs.go` with `k8s.io/cri-client/pkg/logs`): reads the
//! container's CRI log file (`<RFC3339Nano> <stream> <P|F> <text>` lines), joins partial
//! lines, and writes stdout lines to stdout and stderr lines to stderr; and `crictl exec`
//! (`cmd/crictl/exec.go`), which runs a command in a running container.
//!
//! `logs -f` prints the log so far, then every new line until the container stops running
//! (then crictl exits 0) or Ctrl-C ([`LogFollow`], shared with `kubectl logs -f`).
//!
//! Simplified: in a script `logs -f` follows for at most [`FOLLOW_LIMIT`] of virtual time, as
//! if interrupted then; new lines are looked for once per virtual second; `exec -it` runs the command without a terminal
//! (the playground's terminal is not interactive).

use super::cli::{flag, Kind, Parsed};
use super::{fatal, go_quote, show_help, Ctx, Subcommand};
use crate::cluster::Cluster;
use crate::node::cri::ContainerState;
use crate::shell::follow::{Polled, POLL_EVERY};
use crate::shell::io::Output;
use crate::sim::{SimDuration, SimTime};

/// How long a script's `crictl logs -f` follows in virtual time.
pub const FOLLOW_LIMIT: SimDuration = SimDuration::from_secs(10);

/// `crictl logs`.
pub const LOGS: Subcommand = Subcommand {
    name: "logs",
    aliases: &[],
    usage: "Fetch the logs of a container",
    args_usage: "CONTAINER-ID",
    flags: &[
        flag("follow", &["f"], Kind::Bool, "Follow log output (default: false)"),
        flag("previous", &["p"], Kind::Bool, "Print the logs for the previous instance of the container in a pod if it exists (default: false)"),
        flag("stream", &["s"], Kind::Str, "Show specified stream (stdout or stderr). Defaults to both."),
        flag("tail", &[], Kind::Int, "Number of lines to show from the end of the logs. Defaults to all (default: -1)"),
        flag("timestamps", &["t"], Kind::Bool, "Show timestamps (default: false)"),
    ],
};

/// `crictl exec`.
pub const EXEC: Subcommand = Subcommand {
    name: "exec",
    aliases: &[],
    usage: "Run a command in a running container",
    args_usage: "CONTAINER-ID COMMAND [ARG...]",
    flags: &[
        flag(
            "interactive",
            &["i"],
            Kind::Bool,
            "Keep STDIN open (default: false)",
        ),
        flag(
            "sync",
            &["s"],
            Kind::Bool,
            "Run the command synchronously (default: false)",
        ),
        flag(
            "tty",
            &["t"],
            Kind::Bool,
            "Allocate a pseudo-TTY (default: false)",
        ),
    ],
};

/// `crictl logs`.
pub fn logs(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    let Some(typed) = parsed.args.first() else {
        return fatal("ID cannot be empty");
    };
    if typed.is_empty() {
        return fatal("ID cannot be empty");
    }
    if parsed.args.len() > 1 {
        return show_help("logs");
    }
    let stream = parsed.string("stream");
    if !matches!(stream.as_str(), "" | "stdout" | "stderr") {
        return fatal(&format!(
            "invalid stream {}, must be \"stdout\" or \"stderr\"",
            go_quote(&stream)
        ));
    }
    if parsed.is_set("tail") && parsed.is_set("stream") {
        return fatal("--tail and --stream are mutually exclusive");
    }
    let found = ctx.container_id(typed);
    let id = match found {
        Ok(id) => id,
        Err(err) => {
            return ctx.rpc_failure(
                "ContainerStatus from runtime service failed",
                "containerID",
                typed,
                &err,
                &err,
            )
        }
    };
    let Some(c) = ctx.runtime().container(&id) else {
        return fatal("the container has not set log path");
    };
    let mut path = c.config.log_path.clone();
    if path.is_empty() {
        return fatal("the container has not set log path");
    }
    if parsed.bool("previous") {
        if c.config.attempt == 0 {
            return fatal(&format!(
                "previous terminated container {} not found",
                c.config.name
            ));
        }
        let dir_end = path.rfind('/').map_or(0, |i| i + 1);
        let ext = path
            .rfind('.')
            .map_or(String::new(), |i| path[i..].to_string());
        path = format!("{}{}{ext}", &path[..dir_end], c.config.attempt - 1);
    }
    let following = parsed.bool("follow") && c.state == ContainerState::Running;
    let host = ctx.world.host;
    let text = match ctx.cluster().host(host).node.fs.read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            return fatal(&format!(
                "failed to open log file {}: {}",
                go_quote(&path),
                err.go_path_error("open", &path)
            ))
        }
    };
    let tail = parsed.int("tail", -1);
    let timestamps = parsed.bool("timestamps");
    let show = Show {
        timestamps,
        stream: (!stream.is_empty()).then_some(stream),
        split_stderr: true,
    };
    // A follow goes on from the last whole line; the runtime writes whole lines.
    let read = match following {
        true => whole_lines(&text),
        false => text.len(),
    };
    let mut lines = parse_cri_log(&text[..read]);
    if let Ok(keep) = usize::try_from(tail) {
        let skip = lines.len().saturating_sub(keep);
        lines.drain(..skip);
    }
    let out = show.render(&lines);
    if !following {
        return out;
    }
    let follow = LogFollow::start(ctx.world.cluster, host, &id, &path, read, show);
    ctx.world.follow(follow, out, Some(FOLLOW_LIMIT))
}

/// How a log follow prints entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Show {
    /// Each line starts with its timestamp (`--timestamps`).
    pub timestamps: bool,
    /// Only `stdout` or `stderr` entries (crictl's `--stream`).
    pub stream: Option<String>,
    /// stderr entries go to stderr (crictl); kubectl writes the stream it got to stdout.
    pub split_stderr: bool,
}

impl Show {
    /// The entries as the command writes them.
    // Simplified: stderr entries reach the terminal before the stdout ones of the same read.
    pub fn render(&self, lines: &[LogLine]) -> Output {
        let mut out = Output::default();
        for line in lines {
            if self.stream.as_ref().is_some_and(|s| *s != line.stream) {
                continue;
            }
            let mut text = String::new();
            if self.timestamps {
                text.push_str(&line.time);
                text.push(' ');
            }
            text.push_str(&line.text);
            if self.split_stderr && line.stream == "stderr" {
                out.stderr.push_str(&text);
            } else {
                out.stdout.push_str(&text);
            }
        }
        out
    }
}

/// The length of `text` up to and including its last newline.
pub fn whole_lines(text: &str) -> usize {
    text.rfind('\n').map_or(0, |i| i + 1)
}

/// A running `crictl logs -f` or `kubectl logs -f`: the new lines of a running container's
/// log file, until the container stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFollow {
    /// The container's host.
    host: usize,
    /// The container.
    id: String,
    /// The log file read.
    path: String,
    /// Bytes of the file already shown.
    read: usize,
    /// How entries print.
    show: Show,
    /// When the next poll is due.
    pub next: SimTime,
}

impl LogFollow {
    /// Follows container `id` on `host` from byte `read` of its log `path`.
    pub fn start(
        cluster: &Cluster,
        host: usize,
        id: &str,
        path: &str,
        read: usize,
        show: Show,
    ) -> LogFollow {
        LogFollow {
            host,
            id: id.to_string(),
            path: path.to_string(),
            read,
            show,
            next: cluster.now() + POLL_EVERY,
        }
    }

    /// One poll: the lines written since the last, and the end once the container stopped.
    pub fn poll(&mut self, cluster: &mut Cluster) -> Polled {
        self.next += POLL_EVERY;
        let node = &cluster.host(self.host).node;
        let stopped = node
            .runtime
            .container(&self.id)
            .is_none_or(|c| c.state != ContainerState::Running);
        let mut polled = Polled::quiet();
        let size = node.fs.stat(&self.path).map_or(0, |m| m.size as usize);
        if size > self.read {
            let text = node.fs.read_to_string(&self.path).unwrap_or_default();
            let fresh = text.get(self.read..).unwrap_or_default();
            let upto = match stopped {
                true => fresh.len(),
                false => whole_lines(fresh),
            };
            polled.out = self.show.render(&parse_cri_log(&fresh[..upto]));
            self.read += upto;
        }
        if stopped {
            polled.done = Some(0);
        }
        polled
    }
}

/// One log entry after partial lines are joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// The timestamp as written.
    pub time: String,
    /// `stdout` or `stderr`.
    pub stream: String,
    /// The text with its newline (none for a last partial line).
    pub text: String,
}

/// Parses a CRI log file; a `P` (partial) entry is joined with the entries after it.
pub fn parse_cri_log(text: &str) -> Vec<LogLine> {
    let mut lines: Vec<LogLine> = Vec::new();
    let mut pending: Option<LogLine> = None;
    for raw in text.lines() {
        let mut parts = raw.splitn(4, ' ');
        let (Some(time), Some(stream), Some(tag)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let content = parts.next().unwrap_or("");
        let entry = pending.get_or_insert_with(|| LogLine {
            time: time.to_string(),
            stream: stream.to_string(),
            text: String::new(),
        });
        entry.text.push_str(content);
        if tag != "P" {
            entry.text.push('\n');
            lines.extend(pending.take());
        }
    }
    lines.extend(pending);
    lines
}

/// `crictl exec`.
pub fn exec(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    if parsed.args.len() < 2 {
        return show_help("exec");
    }
    let typed = &parsed.args[0];
    let cmd = &parsed.args[1..];
    let found = ctx.container_id(typed);
    let id = match found {
        Ok(id) => id,
        Err(err) => {
            let call = if parsed.bool("sync") {
                "ExecSync cmd from runtime service failed"
            } else {
                "Exec cmd from runtime service failed"
            };
            let mut out = ctx.rpc_failure(
                call,
                "containerID",
                typed,
                &err,
                &format!("execing command in container {typed}: {err}"),
            );
            if let Some(first) = out.stderr.lines().next().map(str::to_string) {
                out.stderr =
                    out.stderr
                        .replacen(&first, &format!("{first} cmd={}", go_list(cmd)), 1);
            }
            return out;
        }
    };
    let now = ctx.now();
    let host = ctx.world.host;
    let node = ctx.cluster().node_mut(host);
    let result = node.runtime.exec(now, &id, cmd, &mut node.fs);
    ctx.cluster().settle();
    match result {
        Err(err) => fatal(&format!("execing command in container {typed}: {err}")),
        Ok(result) => {
            if parsed.bool("sync") {
                let out = Output {
                    stdout: format!("{}\n{}\n", result.stdout, result.stderr),
                    stderr: String::new(),
                    code: result.exit_code,
                    stderr_after: Vec::new(),
                };
                return if result.exit_code == 0 {
                    out
                } else {
                    Output {
                        stderr: "non-zero exit code\n".into(),
                        ..out
                    }
                };
            }
            let mut out = Output {
                stdout: result.stdout,
                stderr: result.stderr,
                code: 0,
                stderr_after: Vec::new(),
            };
            if result.exit_code != 0 {
                out.stderr.push_str(&super::fatal_line(&format!(
                    "execing command in container {typed}: command terminated with exit code {}",
                    result.exit_code
                )));
                out.code = 1;
            }
            out
        }
    }
}

/// Go's `%v` of a string slice, as klog renders `cmd=[...]`.
fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_partial_lines() {
        let text = "2026-11-22T08:00:00Z stdout P hello \n2026-11-22T08:00:00Z stdout F world\n2026-11-22T08:00:01Z stderr F oops\n";
        let lines = parse_cri_log(text);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "hello world\n");
        assert_eq!(lines[1].stream, "stderr");
    }
}
