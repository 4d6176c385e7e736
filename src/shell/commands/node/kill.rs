//! bash's `kill` builtin: `kill [-s SIGSPEC | -n SIGNUM | -SIGSPEC] PID...` and `kill -l`,
//! sending SIGTERM or SIGKILL through the cluster's process table.
//!
//! Simplified: only SIGTERM and SIGKILL reach processes; signal 0 checks that a process
//! exists; other valid signals are refused with a message saying so.

use crate::node::runtime::Signal;
use crate::shell::commands::World;
use crate::shell::io::Output;

const USAGE: &str = "bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n";

/// Signal names by number, as `kill -l` lists them (1 to 31).
const NAMES: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

/// The signal number `spec` names (`9`, `KILL`, `SIGKILL`, `kill`).
fn signal_number(spec: &str) -> Option<u32> {
    if let Ok(n) = spec.parse::<u32>() {
        return (n <= 64).then_some(n);
    }
    let upper = spec.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    NAMES
        .iter()
        .position(|n| *n == name)
        .map(|idx| idx as u32 + 1)
}

/// `kill`.
pub fn kill(world: &mut World<'_>, argv: &[String]) -> Output {
    let mut args = argv[1..].iter().peekable();
    let mut signal = 15;
    match args.peek().map(|a| a.as_str()) {
        None => return Output::err(USAGE, 2),
        Some("-l") | Some("-L") => return list(argv.get(2).map(String::as_str)),
        Some("-s") | Some("-n") => {
            args.next();
            let Some(spec) = args.next() else {
                return Output::err(
                    format!(
                        "bash: kill: {}: option requires an argument\n{USAGE}",
                        argv[1]
                    ),
                    2,
                );
            };
            match signal_number(spec) {
                Some(n) => signal = n,
                None => {
                    return Output::err(
                        format!("bash: kill: {spec}: invalid signal specification\n"),
                        1,
                    )
                }
            }
        }
        Some("--") => {
            args.next();
        }
        Some(flag) if flag.starts_with('-') && flag.len() > 1 => {
            args.next();
            match signal_number(&flag[1..]) {
                Some(n) => signal = n,
                None => {
                    return Output::err(
                        format!("bash: kill: {}: invalid signal specification\n", &flag[1..]),
                        1,
                    )
                }
            }
        }
        Some(_) => (),
    }
    let pids: Vec<&String> = args.collect();
    if pids.is_empty() {
        return Output::err(USAGE, 2);
    }
    let mut err = String::new();
    for typed in pids {
        let Ok(pid) = typed.parse::<u32>() else {
            if typed.starts_with('%') {
                // Simplified: the shell keeps no job table for kill to look up.
                err.push_str(&format!(
                    "bash: kill: {typed}: job specs are not supported in the playground; use the PID `[1] PID` printed\n"
                ));
            } else {
                err.push_str(&format!(
                    "bash: kill: {typed}: arguments must be process or job IDs\n"
                ));
            }
            continue;
        };
        let exists = pid == world.shell_pid
            || world
                .cluster
                .processes(world.host)
                .iter()
                .any(|r| r.pid == pid);
        if !exists {
            err.push_str(&format!("bash: kill: ({pid}) - No such process\n"));
            continue;
        }
        let sig = match signal {
            0 => continue,
            9 => Signal::Kill,
            15 => Signal::Term,
            n => {
                err.push_str(&format!(
                    "bash: kill: SIG{} is not emulated in the playground; use -TERM (15) or -KILL (9)\n",
                    NAMES.get(n as usize - 1).unwrap_or(&"RT")
                ));
                continue;
            }
        };
        if pid == world.shell_pid {
            err.push_str(&format!(
                "bash: kill: ({pid}) - the playground keeps your shell running (use exit)\n"
            ));
            continue;
        }
        if let Err(message) = world.cluster.kill_process(world.host, pid, sig) {
            err.push_str(&format!("bash: {message}\n"));
        }
    }
    let code = i32::from(!err.is_empty());
    Output {
        stdout: String::new(),
        stderr: err,
        code,
        stderr_after: Vec::new(),
    }
}

/// `kill -l [SIGSPEC]`.
fn list(spec: Option<&str>) -> Output {
    if let Some(spec) = spec {
        return match spec.parse::<u32>() {
            Ok(n) if (1..=31).contains(&n) => Output::ok(format!("{}\n", NAMES[n as usize - 1])),
            _ => match signal_number(spec) {
                Some(n) => Output::ok(format!("{n}\n")),
                None => Output::err(
                    format!("bash: kill: {spec}: invalid signal specification\n"),
                    1,
                ),
            },
        };
    }
    // Simplified: the real-time signals (34 to 64) are not listed.
    let mut out = String::new();
    for (idx, name) in NAMES.iter().enumerate() {
        out.push_str(&format!("{:>2}) SIG{name}", idx + 1));
        out.push(if (idx + 1) % 5 == 0 { '\n' } else { '\t' });
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Output::ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_signal_specs() {
        assert_eq!(signal_number("9"), Some(9));
        assert_eq!(signal_number("KILL"), Some(9));
        assert_eq!(signal_number("sigterm"), Some(15));
        assert_eq!(signal_number("BOGUS"), None);
    }
}
