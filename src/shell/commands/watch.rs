//! `watch` (procps-ng 4.0.4, `src/watch.c`): runs a command every interval and shows its
//! output full-screen under a header line, until Ctrl-C.
//!
//! The command runs as `sh -c COMMAND` would: a fresh shell on the same host with the
//! caller's directory and environment, its stdout and stderr both on the screen. The header is
//! `Every 2.0s: COMMAND` on the left and `HOST: DATE` (ctime's format) on the right of an
//! 80-column line, then an empty line, then the output; `-t` leaves the header out.
//!
//! In the browser's terminal `watch` is a foreground job that redraws its block in place
//! ([`Watch`]); Ctrl-C ends it with status 0, as procps' signal handler does, and nothing is
//! echoed (watch turns echo off). A script has no screen to redraw: there each refresh is
//! printed after the previous one for [`WATCH_FOR`] of virtual time.
//!
//! Simplified: the screen is 80 columns wide for the header's layout, and as tall as the
//! output, whose lines are never wrapped or cut (the browser's terminal wraps them itself);
//! when watch ends its last screen stays in the scrollback (xterm's alternate screen would
//! take it away); `-e` exits with 8 at once instead of waiting for a key; `-b`, `-c`, `-C`,
//! `-d`, `-p`, `-q`, `-r` and `-w` are not supported.

use crate::cluster::Cluster;
use crate::shell::commands::World;
use crate::shell::eval::Exec;
use crate::shell::follow::Polled;
use crate::shell::getopt::{getopt_long, long, Config, HasArg, Long};
use crate::shell::io::Output;
use crate::shell::parser::parse;
use crate::shell::session::{Frame, Session};
use crate::sim::wallclock::date_string;
use crate::sim::{SimDuration, SimTime};

/// How long a script's `watch` goes on refreshing.
pub const WATCH_FOR: SimDuration = SimDuration::from_secs(10);

/// The screen width the header is laid out for.
pub const COLUMNS: usize = 80;

/// What `-e` shows when the command fails.
const ERREXIT_NOTE: &str = "command exit with a non-zero status, press a key to exit";

/// procps' short-option string (`+`: options end at the command).
const SHORT: &str = "+bCced::ghq:n:prtwvx";

const LONGS: &[Long] = &[
    long("color", HasArg::No, 'c'),
    long("no-color", HasArg::No, 'C'),
    long("differences", HasArg::Optional, 'd'),
    long("help", HasArg::No, 'h'),
    long("interval", HasArg::Required, 'n'),
    long("beep", HasArg::No, 'b'),
    long("errexit", HasArg::No, 'e'),
    long("chgexit", HasArg::No, 'g'),
    long("equexit", HasArg::Required, 'q'),
    long("exec", HasArg::No, 'x'),
    long("precise", HasArg::No, 'p'),
    long("no-rerun", HasArg::No, 'r'),
    long("no-title", HasArg::No, 't'),
    long("no-wrap", HasArg::No, 'w'),
    long("version", HasArg::No, 'v'),
];

/// What the playground's watch implements, for the "not supported" message.
const SUPPORTED: &str = "-n/--interval SECS, -t/--no-title, -e/--errexit, -g/--chgexit, -x/--exec, -h/--help, -v/--version";

/// A running `watch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    /// The shell each run starts from (host, directory, environment).
    frame: Frame,
    /// What runs: the words joined by spaces, or quoted one by one with `-x`.
    script: String,
    /// The command as the header shows it.
    title: String,
    /// Between the end of one run and the start of the next.
    interval: SimDuration,
    /// The clamped interval as the header prints it (`2.0` in `Every 2.0s`).
    every: String,
    /// `-t` not given.
    header: bool,
    /// `-e`.
    errexit: bool,
    /// `-g`.
    chgexit: bool,
    /// The previous run's output (for `-g`), `None` before the first run.
    last: Option<String>,
    /// When the next run is due.
    pub next: SimTime,
}

/// Runs `watch ARGS...`: the first screen now, then a refresh every interval.
pub fn watch(world: &mut World<'_>, argv: &[String]) -> Output {
    let mut watch = match parse_args(world, argv) {
        Ok(watch) => watch,
        Err(out) => return out,
    };
    let start = world.cluster.now();
    let first = watch.poll(world.cluster);
    world.cluster.settle();
    let mut out = first.out;
    if let Some(code) = first.done {
        out.code = code;
        return out;
    }
    // A script's watch stops WATCH_FOR after it started, however long the first run took.
    let spent = world.cluster.now().since(start).as_millis();
    let left = SimDuration::from_millis(WATCH_FOR.as_millis().saturating_sub(spent));
    world.follow(watch, out, Some(left))
}

impl Watch {
    /// One refresh: runs the command and draws the screen anew.
    pub fn poll(&mut self, cluster: &mut Cluster) -> Polled {
        let started = cluster.now();
        let (output, code) = self.run(cluster);
        let mut screen = String::new();
        if self.header {
            screen.push_str(&header(
                &self.every,
                &self.title,
                &self.frame.host_name,
                started,
            ));
            screen.push_str("\n\n");
        }
        screen.push_str(&output);
        let mut polled = Polled {
            replace: true,
            ..Polled::default()
        };
        let changed = self.last.as_ref().is_some_and(|last| *last != output);
        self.last = Some(output);
        if self.errexit && code != 0 {
            if !screen.is_empty() && !screen.ends_with('\n') {
                screen.push('\n');
            }
            screen.push_str(ERREXIT_NOTE);
            polled.done = Some(8);
        } else if self.chgexit && changed {
            polled.done = Some(0);
        }
        if !screen.is_empty() && !screen.ends_with('\n') {
            screen.push('\n');
        }
        polled.out.stdout = screen;
        self.next = cluster.now() + self.interval;
        polled
    }

    /// Runs the command once as `sh -c` would: stdout and stderr together, and the status.
    fn run(&self, cluster: &mut Cluster) -> (String, i32) {
        let mut session = Session {
            frames: vec![self.frame.clone()],
            history: Vec::new(),
            interactive: false,
        };
        let (text, code) = match parse(&self.script) {
            Ok(script) => {
                let mut exec = Exec::new(cluster, &mut session);
                let code = exec.run_script(&script);
                (std::mem::take(&mut exec.terminal), code)
            }
            Err(err) => (format!("sh: 1: {err}\n"), 2),
        };
        cluster.settle();
        (text, code)
    }
}

/// The header line: interval and command on the left, host and time on the right of
/// [`COLUMNS`], the command cut with `...` when they would meet (`output_header`).
pub fn header(every: &str, command: &str, host: &str, now: SimTime) -> String {
    let left = format!("Every {every}s: ");
    // ctime(3): `Sun Nov 22 08:00:01 2026` and a newline, which procps counts in the length.
    let right = format!("{host}: {}", date_string(now).replacen(" UTC", "", 1));
    let (hlen, rhlen) = (left.chars().count(), right.chars().count() + 1);
    let width = COLUMNS;
    let mut line: Vec<char> = vec![' '; width];
    let put = |line: &mut Vec<char>, at: usize, text: &str| {
        for (i, c) in text.chars().enumerate() {
            if let Some(slot) = line.get_mut(at + i) {
                *slot = c;
            }
        }
    };
    if width < rhlen {
        return String::new();
    }
    if rhlen + hlen < width {
        put(&mut line, 0, &left);
        if rhlen + hlen + 2 <= width {
            let command_len = command.chars().count();
            if width < rhlen + hlen + 4 {
                put(&mut line, width - rhlen - 4, "... ");
            } else if width < rhlen + hlen + command_len {
                let keep: String = command.chars().take(width - rhlen - hlen - 4).collect();
                put(&mut line, hlen, &keep);
                put(&mut line, width - rhlen - 4, "... ");
            } else {
                let keep: String = command.chars().take(width - rhlen - hlen).collect();
                put(&mut line, hlen, &keep);
            }
        }
    }
    put(&mut line, width + 1 - rhlen, &right);
    line.into_iter().collect::<String>().trim_end().to_string()
}

/// Parses the command line as procps' `main` does; the error is watch's whole output.
fn parse_args(world: &mut World<'_>, argv: &[String]) -> Result<Watch, Output> {
    let config = Config {
        short: SHORT,
        long: LONGS,
        stop_at: &['h', 'v'],
        peek: &|_, _| false,
    };
    let args =
        getopt_long(argv, &config).map_err(|e| Output::err(e.line("watch") + &usage(), 1))?;
    let mut interval = match world.vars.get("WATCH_INTERVAL") {
        Some(text) => seconds(text, "Could not parse interval from WATCH_INTERVAL")?,
        None => 2.0,
    };
    let (mut header, mut errexit, mut chgexit, mut exec) = (true, false, false, false);
    for (id, value) in &args.opts {
        match id {
            'h' => return Err(Output::ok(usage())),
            'v' => return Err(Output::ok("watch from procps-ng 4.0.4\n")),
            'n' => {
                interval = seconds(
                    value.as_deref().unwrap_or_default(),
                    "failed to parse argument",
                )?
            }
            't' => header = false,
            'e' => errexit = true,
            'g' => chgexit = true,
            'x' => exec = true,
            other => {
                let name = LONGS
                    .iter()
                    .find(|l| l.id == *other)
                    .map_or(String::new(), |l| format!("/--{}", l.name));
                return Err(Output::err(
                    format!("watch: option -{other}{name} is not supported in the playground; supported: {SUPPORTED}\n"),
                    1,
                ));
            }
        }
    }
    if args.operands.is_empty() {
        return Err(Output::err(usage(), 1));
    }
    let interval = interval.clamp(0.1, f64::from(u32::MAX));
    let title = args.operands.join(" ");
    let script = match exec {
        true => args
            .operands
            .iter()
            .map(|w| shell_quote(w))
            .collect::<Vec<_>>()
            .join(" "),
        false => title.clone(),
    };
    let host_name = world.cluster.host(world.host).node.name.clone();
    let mut frame = Frame::login(world.host, &host_name, world.shell_pid);
    frame.cwd = world.cwd.to_string();
    frame.vars = world.vars.clone();
    Ok(Watch {
        frame,
        script,
        title,
        interval: SimDuration::from_millis((interval * 1000.0).round() as u64),
        every: format!("{interval:.1}"),
        header,
        errexit,
        chgexit,
        last: None,
        next: world.cluster.now(),
    })
}

/// procps' `strtod_nol_or_err`: digits with `.` or `,` as the radix, an optional sign; any
/// other text is the error `watch: MESSAGE: 'TEXT'` (with `: Invalid argument` when a
/// stray character follows the integer part).
fn seconds(text: &str, message: &str) -> Result<f64, Output> {
    let fail = |suffix: &str| Output::err(format!("watch: {message}: '{text}'{suffix}\n"), 1);
    let body = text.trim_start();
    let (negative, body) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body.strip_prefix('+').unwrap_or(body)),
    };
    if text.is_empty() {
        return Err(fail(""));
    }
    let int_len = body.chars().take_while(char::is_ascii_digit).count();
    let (int, rest) = body.split_at(int_len);
    let mut value: f64 = if int.is_empty() {
        0.0
    } else {
        int.parse().map_err(|_| fail(""))?
    };
    if !rest.is_empty() {
        let Some(frac) = rest.strip_prefix(['.', ',']) else {
            return Err(fail(": Invalid argument"));
        };
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(fail(""));
        }
        let mut scale = 0.1;
        for digit in frac.chars().filter_map(|c| c.to_digit(10)) {
            value += f64::from(digit) * scale;
            scale /= 10.0;
        }
    }
    Ok(if negative { -value } else { value })
}

/// One word quoted for `sh` (for `-x`, which runs the words without re-splitting them).
fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
    {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// `watch --help`.
pub fn usage() -> String {
    "
Usage:
 watch [options] command

Options:
  -b, --beep             beep if command has a non-zero exit
  -c, --color            interpret ANSI color and style sequences
  -C, --no-color         do not interpret ANSI color and style sequences
  -d, --differences[=<permanent>]
                         highlight changes between updates
  -e, --errexit          exit if command has a non-zero exit
  -g, --chgexit          exit when output from command changes
  -q, --equexit <cycles>
                         exit when output from command does not change
  -n, --interval <secs>  seconds to wait between updates
  -p, --precise          attempt run command in precise intervals
  -r, --no-rerun         do not rerun program on window resize
  -t, --no-title         turn off header
  -w, --no-wrap          turn off line wrapping
  -x, --exec             pass command to exec instead of \"sh -c\"

 -h, --help     display this help and exit
 -v, --version  output version information and exit

For more details see watch(1).
"
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_right_aligns_host_and_date_in_80_columns() {
        let line = header("2.0", "kubectl get pods", "controlplane", SimTime(1500));
        assert_eq!(
            line,
            "Every 2.0s: kubectl get pods              controlplane: Sun Nov 22 08:00:01 2026"
        );
        assert_eq!(line.chars().count(), 80);
        let long = header(
            "0.5",
            "kubectl get pods -A -o wide --show-labels",
            "node01",
            SimTime(0),
        );
        assert_eq!(
            long,
            "Every 0.5s: kubectl get pods -A -o wide --s...  node01: Sun Nov 22 08:00:00 2026"
        );
        assert_eq!(long.chars().count(), 80);
    }

    #[test]
    fn intervals_parse_as_procps_parses_them() {
        assert_eq!(seconds("2", "m").unwrap(), 2.0);
        assert_eq!(seconds("0,5", "m").unwrap(), 0.5);
        assert_eq!(seconds("-1", "m").unwrap(), -1.0);
        assert_eq!(
            seconds("2s", "failed to parse argument")
                .unwrap_err()
                .stderr,
            "watch: failed to parse argument: '2s': Invalid argument\n"
        );
        assert_eq!(
            seconds("1.5x", "failed to parse argument")
                .unwrap_err()
                .stderr,
            "watch: failed to parse argument: '1.5x'\n"
        );
        assert_eq!(
            seconds("", "failed to parse argument").unwrap_err().stderr,
            "watch: failed to parse argument: ''\n"
        );
    }

    #[test]
    fn exec_words_keep_their_boundaries() {
        assert_eq!(shell_quote("get"), "get");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
