//! `watch` (procps-ng 4.0.4, as on Ubuntu 24.04): runs a command every `-n` seconds and
//! shows its output full-screen under a title line.
//!
//! At the browser's terminal the command line `watch …` keeps its block and redraws it in
//! place at every interval until Ctrl-C (a [`Follow`]). Simplified: a script has no screen to
//! redraw, so there `watch` prints its first screen and returns; the title is laid out for an
//! 80-column terminal; `-d`, `-b`, `-c`, `-p`, `-q`, `-r` and `-w` are not implemented.

use crate::cluster::Cluster;
use crate::shell::commands::World;
use crate::shell::eval::Exec;
use crate::shell::follow::{Follow, FollowKind, FollowStep};
use crate::shell::getopt::{getopt_long, long, Config, HasArg, Long};
use crate::shell::io::Output;
use crate::shell::parser::parse;
use crate::shell::session::Session;
use crate::sim::wallclock::date_string;
use crate::sim::SimDuration;

const PROG: &str = "watch";

/// The terminal width the title is laid out for.
pub const COLUMNS: usize = 80;

/// procps' default interval.
const DEFAULT_INTERVAL_MS: u64 = 2000;

/// procps' smallest interval.
const MIN_INTERVAL_MS: u64 = 100;

const LONGS: &[Long] = &[
    long("beep", HasArg::No, 'b'),
    long("color", HasArg::No, 'c'),
    long("no-color", HasArg::No, 'C'),
    long("differences", HasArg::Optional, 'd'),
    long("errexit", HasArg::No, 'e'),
    long("chgexit", HasArg::No, 'g'),
    long("equexit", HasArg::Required, 'q'),
    long("interval", HasArg::Required, 'n'),
    long("precise", HasArg::No, 'p'),
    long("no-rerun", HasArg::No, 'r'),
    long("no-title", HasArg::No, 't'),
    long("no-wrap", HasArg::No, 'w'),
    long("exec", HasArg::No, 'x'),
    long("help", HasArg::No, 'h'),
    long("version", HasArg::No, 'v'),
];

const USAGE: &str = "
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
";

const SUPPORTED: &str = "Supported here: -n/--interval SECS, -t/--no-title, -g/--chgexit, -x/--exec, -C/--no-color, -h/--help, -v/--version.";

/// A running `watch`: what it reruns and how its screen looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// The command line it runs (operands joined by spaces, as procps does).
    command: String,
    interval: SimDuration,
    title: bool,
    /// `-g`: stop once the output differs from the first screen's.
    chgexit: bool,
    /// The last output, for `-g`.
    last: String,
}

impl Repeat {
    /// The time between runs.
    pub fn interval(&self) -> SimDuration {
        self.interval
    }

    /// Runs the command once in a copy of `session`'s shell (watch runs it in a child
    /// process, so `cd` or `$?` there changes nothing here) and draws the screen.
    fn screen(&mut self, cluster: &mut Cluster, session: &Session) -> (String, bool) {
        let mut child = session.clone();
        child.interactive = false;
        let output = match parse(&self.command) {
            Ok(script) => {
                let mut exec = Exec::new(cluster, &mut child);
                exec.run_script(&script);
                exec.terminal
            }
            Err(err) => format!("sh: 1: {err}\n"),
        };
        cluster.settle();
        let changed = output != self.last;
        self.last.clone_from(&output);
        let mut screen = String::new();
        if self.title {
            let host = cluster.host(session.frame().host).node.name.clone();
            screen.push_str(&title(self.interval, &self.command, &host, cluster.now()));
            screen.push_str("\n\n");
        }
        screen.push_str(&output);
        (screen, changed)
    }

    /// One poll of the follow: a fresh screen that replaces the last.
    pub fn poll(&mut self, cluster: &mut Cluster, session: &mut Session) -> FollowStep {
        let (output, changed) = self.screen(cluster, session);
        FollowStep {
            output,
            replace: true,
            done: (self.chgexit && changed).then_some(0),
        }
    }
}

/// The title line: `Every 2.0s: CMD` on the left, `HOST: DATE` on the right of an
/// [`COLUMNS`]-wide line, the command cut short when they would meet.
fn title(interval: SimDuration, command: &str, host: &str, now: crate::sim::SimTime) -> String {
    // ctime(3): `date` without the zone.
    let date = date_string(now).replacen(" UTC", "", 1);
    let right = format!("{host}: {date}");
    let mut left = format!("Every {:.1}s: {command}", interval.as_secs_f64());
    let room = COLUMNS.saturating_sub(right.chars().count() + 1);
    if left.chars().count() > room {
        left = left.chars().take(room).collect();
    }
    let pad = COLUMNS.saturating_sub(left.chars().count() + right.chars().count());
    format!("{left}{}{right}", " ".repeat(pad.max(1)))
}

/// Runs `watch ARGS...`.
pub fn watch(world: &mut World<'_>, argv: &[String]) -> Output {
    let never = |_: char, _: &str| false;
    let config = Config {
        short: "+bcCd::egq:n:prtwxhv",
        long: LONGS,
        stop_at: &['h', 'v'],
        peek: &never,
    };
    let args = match getopt_long(argv, &config) {
        Ok(args) => args,
        Err(err) => return Output::err(format!("{}{USAGE}", err.line(PROG)), 1),
    };
    if args.has('h') {
        return Output::ok(USAGE.trim_start_matches('\n').to_string());
    }
    if args.has('v') {
        return Output::ok("watch from procps-ng 4.0.4\n");
    }
    if let Some((id, _)) = args
        .opts
        .iter()
        .find(|(id, _)| matches!(id, 'b' | 'c' | 'd' | 'e' | 'p' | 'q' | 'r' | 'w'))
    {
        return Output::err(
            format!("{PROG}: -{id} is not supported in this playground.\n{SUPPORTED}\n"),
            1,
        );
    }
    let interval = match args.last('n') {
        None => DEFAULT_INTERVAL_MS,
        Some(text) => match parse_seconds(text) {
            Some(ms) => ms.max(MIN_INTERVAL_MS),
            None => return Output::err(format!("{PROG}: failed to parse argument: '{text}'\n"), 1),
        },
    };
    if args.operands.is_empty() {
        return Output::err(USAGE.to_string(), 1);
    }
    let mut repeat = Repeat {
        command: args.operands.join(" "),
        interval: SimDuration::from_millis(interval),
        title: !args.has('t'),
        chgexit: args.has('g'),
        last: String::new(),
    };
    let frame = world.vars.clone();
    let mut session = Session::new(
        world.host,
        &world.cluster.host(world.host).node.name,
        world.shell_pid,
    );
    session.frames[0].cwd = world.cwd.to_string();
    session.frames[0].vars = frame;
    let (screen, _) = repeat.screen(world.cluster, &session);
    if world.streaming {
        let next = world.cluster.now() + repeat.interval;
        world.follow = Some(Follow::new(next, FollowKind::Repeat(repeat)));
    }
    Output::ok(screen)
}

/// `-n`: seconds as procps reads them (a decimal point or comma; no sign, no unit).
fn parse_seconds(text: &str) -> Option<u64> {
    let text = text.replace(',', ".");
    if text.is_empty() || text.starts_with('-') || text.starts_with('+') {
        return None;
    }
    let seconds: f64 = text.parse().ok()?;
    (0.0..4_294_967.0)
        .contains(&seconds)
        .then(|| (seconds * 1000.0).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;

    #[test]
    fn the_title_fills_eighty_columns() {
        let line = title(
            SimDuration::from_millis(2000),
            "kubectl get pods",
            "controlplane",
            SimTime(0),
        );
        assert_eq!(line.chars().count(), COLUMNS);
        assert!(line.starts_with("Every 2.0s: kubectl get pods "));
        assert!(
            line.ends_with("controlplane: Sun Nov 22 08:00:00 2026"),
            "{line}"
        );
        let long = title(
            SimDuration::from_millis(500),
            &"x".repeat(100),
            "node01",
            SimTime(0),
        );
        assert_eq!(long.chars().count(), COLUMNS);
        assert!(long.starts_with("Every 0.5s: xxx"));
    }

    #[test]
    fn intervals_parse_as_procps_reads_them() {
        assert_eq!(parse_seconds("2"), Some(2000));
        assert_eq!(parse_seconds("0,5"), Some(500));
        assert_eq!(parse_seconds("0.01"), Some(10));
        assert_eq!(parse_seconds("abc"), None);
        assert_eq!(parse_seconds("-1"), None);
        assert_eq!(parse_seconds("1e300"), None);
    }
}
