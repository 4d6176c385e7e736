//! `pgrep` (procps-ng 4.0.4): the pids of the host's processes whose name (the first 15
//! characters of the program's file name, as the kernel keeps it) or, with `-f`, whole
//! command line matches an extended regular expression; `-l` adds the name, `-a` the command
//! line, `-c` counts, `-x` matches exactly, `-i` ignores case, `-n`/`-o` keep the newest or
//! oldest. pgrep never lists itself.

use regex_lite::RegexBuilder;

use crate::shell::commands::World;
use crate::shell::io::Output;
use crate::sim::SimTime;

/// The kernel keeps this many characters of a process name.
const COMM_LEN: usize = 15;

/// `pgrep [-lafcxino] PATTERN`.
pub fn pgrep(world: &mut World<'_>, argv: &[String]) -> Output {
    let mut opts = Opts::default();
    let mut pattern: Option<&str> = None;
    for arg in &argv[1..] {
        match arg.as_str() {
            "--list-name" => opts.list_name = true,
            "--list-full" => opts.list_full = true,
            "--full" => opts.full = true,
            "--count" => opts.count = true,
            "--exact" => opts.exact = true,
            "--ignore-case" => opts.ignore_case = true,
            "--newest" => opts.newest = true,
            "--oldest" => opts.oldest = true,
            flags if flags.starts_with('-') && flags.len() > 1 && !flags.starts_with("--") => {
                for c in flags[1..].chars() {
                    match c {
                        'l' => opts.list_name = true,
                        'a' => opts.list_full = true,
                        'f' => opts.full = true,
                        'c' => opts.count = true,
                        'x' => opts.exact = true,
                        'i' => opts.ignore_case = true,
                        'n' => opts.newest = true,
                        'o' => opts.oldest = true,
                        _ => {
                            return Output::err(
                                format!("pgrep: invalid option -- '{c}'\n{USAGE}"),
                                2,
                            )
                        }
                    }
                }
            }
            long if long.starts_with("--") => {
                return Output::err(
                    format!("pgrep: unrecognized option '{long}'\n{USAGE}"),
                    2,
                )
            }
            text if pattern.is_none() => pattern = Some(text),
            _ => {
                return Output::err(
                    "pgrep: only one pattern can be provided\nTry `pgrep --help' for more information.\n",
                    2,
                )
            }
        }
    }
    let Some(pattern) = pattern else {
        return Output::err(
            "pgrep: no matching criteria specified\nTry `pgrep --help' for more information.\n",
            2,
        );
    };
    if opts.newest && opts.oldest {
        return Output::err(
            "pgrep: -n and -o are mutually exclusive\nTry `pgrep --help' for more information.\n",
            2,
        );
    }
    let mut warning = String::new();
    if !opts.full
        && pattern.len() > COMM_LEN
        && !pattern.contains(['|', '.', '*', '[', '(', '^', '$'])
    {
        warning = "pgrep: pattern that searches for process name longer than 15 characters will result in zero matches\nTry `pgrep -f' option to match against the complete command line.\n".to_string();
    }
    let anchored = if opts.exact {
        format!("^(?:{pattern})$")
    } else {
        pattern.to_string()
    };
    let regex = match RegexBuilder::new(&anchored)
        .case_insensitive(opts.ignore_case)
        .build()
    {
        Ok(regex) => regex,
        Err(_) => {
            return Output::err(
                format!("pgrep: cannot compile regular expression '{pattern}'\n"),
                2,
            )
        }
    };
    let mut found: Vec<(u32, String, String, SimTime)> = processes(world)
        .into_iter()
        .filter(|(_, comm, command, _)| {
            let subject = if opts.full { command } else { comm };
            regex.is_match(subject)
        })
        .collect();
    if opts.newest {
        found.sort_by_key(|(pid, _, _, started)| (*started, *pid));
        found = found.pop().into_iter().collect();
    } else if opts.oldest {
        found.sort_by_key(|(pid, _, _, started)| (*started, *pid));
        found.truncate(1);
    }
    found.sort_by_key(|(pid, ..)| *pid);
    let code = i32::from(found.is_empty());
    let stdout = if opts.count {
        format!("{}\n", found.len())
    } else {
        found
            .iter()
            .map(|(pid, comm, command, _)| {
                if opts.list_full {
                    format!("{pid} {command}\n")
                } else if opts.list_name {
                    format!("{pid} {comm}\n")
                } else {
                    format!("{pid}\n")
                }
            })
            .collect()
    };
    Output {
        stdout,
        stderr: warning,
        code,
        stderr_after: Vec::new(),
    }
}

#[derive(Debug, Default)]
struct Opts {
    list_name: bool,
    list_full: bool,
    full: bool,
    count: bool,
    exact: bool,
    ignore_case: bool,
    newest: bool,
    oldest: bool,
}

/// The host's processes and the login shell: pid, name, command line, start.
fn processes(world: &World<'_>) -> Vec<(u32, String, String, SimTime)> {
    let mut out: Vec<(u32, String, String, SimTime)> = world
        .cluster
        .processes(world.host)
        .into_iter()
        .map(|row| (row.pid, comm(&row.command), row.command, row.started))
        .collect();
    out.push((
        world.shell_pid,
        "bash".into(),
        "-bash".into(),
        SimTime::ZERO,
    ));
    out
}

/// The kernel's name of a process: its program's file name, cut to 15 characters.
fn comm(command: &str) -> String {
    let program = command.split_whitespace().next().unwrap_or_default();
    let base = program
        .trim_start_matches('-')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let base = if base == "init" { "systemd" } else { base };
    base.chars().take(COMM_LEN).collect()
}

/// What pgrep prints after an option error.
const USAGE: &str = "
Usage:
 pgrep [options] <pattern>

Options:
 -d, --delimiter <string>  specify output delimiter
 -l, --list-name           list PID and process name
 -a, --list-full           list PID and full command line
 -v, --inverse             negates the matching
 -w, --lightweight         list all TID
 -c, --count               count of matching processes
 -f, --full                use full process name to match
 -g, --pgroup <PGID,...>   match listed process group IDs
 -G, --group <GID,...>     match real group IDs
 -i, --ignore-case         match case insensitively
 -n, --newest              select most recently started
 -o, --oldest              select least recently started
 -O, --older <seconds>     select where older than seconds
 -P, --parent <PPID,...>   match only child processes of the given parent
 -s, --session <SID,...>   match session IDs
     --signal <sig>        signal to send (either number or name)
 -t, --terminal <tty,...>  match by controlling terminal
 -u, --euid <ID,...>       match by effective IDs
 -U, --uid <ID,...>        match by real IDs
 -x, --exact               match exactly with the command name
 -F, --pidfile <file>      read PIDs from file
 -L, --logpidfile          fail if PID file is not locked
 -r, --runstates <state>   match runstates [D,S,Z,...]
 -A, --ignore-ancestors    exclude our ancestors from results
 --cgroup <grp,...>        match by cgroup v2 names
 --ns <PID>                match the processes that belong to the same
                           namespace as <pid>
 --nslist <ns,...>         list which namespaces will be considered for
                           the --ns option.
                           Available namespaces: ipc, mnt, net, pid, user, uts

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see pgrep(1).
";
