//! `help`: what the playground's terminal supports — the command families with a line each
//! and a few examples — and, like bash's builtin, `help NAME` for the shell's builtins.
//!
//! Simplified: bare `help` is the playground's overview rather than bash's list of every
//! builtin, and `help NAME` also answers for the playground's commands with their line
//! from the overview.

use crate::shell::commands::systemd::{journalctl_usage, systemctl_usage, FOLLOW_FOR};
use crate::shell::io::Output;

/// Runs `help [NAME...]`.
pub fn help(argv: &[String]) -> Output {
    let names: Vec<&String> = argv
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if let Some(flag) = argv
        .iter()
        .skip(1)
        .find(|a| a.starts_with('-') && !matches!(a.as_str(), "-s" | "-d" | "-m"))
    {
        return Output::err(
            format!("bash: help: {flag}: invalid option\nhelp: usage: help [-dms] [pattern ...]\n"),
            2,
        );
    }
    if names.is_empty() {
        return Output::ok(overview());
    }
    let short = argv.iter().any(|a| a == "-s");
    let mut out = Output::default();
    for name in names {
        if let Some((synopsis, body)) = builtin_help(name) {
            out.stdout.push_str(&format!("{name}: {synopsis}\n"));
            if !short {
                for line in body.lines() {
                    out.stdout.push_str(format!("    {line}").trim_end());
                    out.stdout.push('\n');
                }
            }
        } else if let Some(usage) = command_usage(name) {
            out.stdout.push_str(&usage);
        } else if let Some(line) = family_line(name) {
            out.stdout.push_str(&format!(
                "{name}: not a shell builtin; in this playground:\n{line}\nTry '{name} --help' for its options.\n"
            ));
        } else {
            out.stderr.push_str(&format!(
                "bash: help: no help topics match `{name}'.  Try `help help' or `man -k {name}' or `info {name}'.\n"
            ));
            out.code = 1;
        }
    }
    out
}

/// The overview bare `help` prints.
fn overview() -> String {
    format!(
        "\
This terminal drives a simulated kubeadm v1.34.1 cluster: controlplane (where you start)
and node01 (ssh node01, exit to come back). Commands print what the real tools print; an
option the playground does not implement says so. Time is virtual: it moves when you run
sleep, follow logs or watch. In the browser the clock runs on its own too, and following
commands stream until Ctrl-C; a script's follow stops after a bounded stretch.

Kubernetes
  kubectl       the API server: get, describe, delete, apply -f, create -f, replace -f,
                run, logs, exec, scale, rollout, label, explain, edit
                                            e.g. kubectl get pods -A -o wide
  crictl        containerd on this node: ps, pods, stop, rm, stopp, rmp, stats, statsp,
                logs, inspect, inspectp, images   e.g. crictl ps --name kube-apiserver

Node services and processes
  systemctl     status, start, stop, restart, cat, enable, disable, is-active,
                is-enabled, daemon-reload, list-units   e.g. systemctl status kubelet
  journalctl    -u UNIT, -n N, -f (a script's follows {follow} s of virtual time), --since,
                -p err, -g PATTERN, -o cat, -x   e.g. journalctl -u kubelet -n 20
  ps, kill      processes: ps aux, kill [-9] PID|%JOB
  jobs fg bg    background jobs (CMD &): jobs lists them, kill %1 stops one
  pgrep         pgrep [-l|-a|-f|-c|-x] PATTERN   e.g. pgrep -a kubelet
  kubeadm       version, certs check-expiration, config print init-defaults|join-defaults,
                config images list; kubelet --version
  etcdctl       on controlplane: member list, endpoint health|status, get KEY --prefix,
                version (needs --cacert, --cert, --key from /etc/kubernetes/pki/etcd)

Files and text
  ls cat cp mv rm rmdir mkdir touch ln chmod stat find readlink realpath basename dirname
  head tail tee wc grep sed awk cut tr sort uniq diff base64 seq test/[
  jq            JSON filters                e.g. kubectl get pod -n kube-system -o json | jq '.items[].metadata.name'
  vi vim nano   open the editor pane (in the browser); in the runner, use a heredoc:
                cat <<'EOF' > /etc/kubernetes/manifests/web.yaml

Network
  curl          HTTP to node servers and the API server   e.g. curl -k https://localhost:6443/livez
  python3       python3 -m http.server PORT [--directory DIR] &   (serves files over HTTP)
  scp           copy files between hosts   e.g. scp /etc/kubernetes/pki/ca.crt node01:/tmp/
  ip            ip addr, ip route, ip link   hostname -I   ss -tlnp (listening ports)

Shell and system
  cd pwd echo printf export unset type which history clear help true false
  alias unalias   alias k=kubectl, then k get pods
  NAME() {{ ...; }}, local, return, shift   functions;  $(( 1 + 2 )), (( i++ )), let
  ssh node01, exit, logout    hostname   date   sleep N (advances virtual time)
  sudo su       sudo CMD runs CMD (you are root already); sudo -i, sudo -s, su, su -
                open a nested root shell that exit leaves
  watch         [-n SECS] [-t] COMMAND: reruns it every 2 s  e.g. watch -n 5 crictl ps
  uname whoami id env printenv df free
  Syntax: | ; && || > >> 2>&1 < <<EOF $VAR $(cmd) cmd & # comments

Examples
  systemctl status kubelet
  journalctl -u kubelet --since \"5 min ago\"
  ls /etc/kubernetes/manifests
  sed -i 's/--v=2/--v=4/' /var/lib/kubelet/kubeadm-flags.env && systemctl restart kubelet
  crictl ps | grep etcd

Type 'help NAME' for more about a builtin, 'NAME --help' for a command's options.
",
        follow = FOLLOW_FOR.as_millis() / 1000
    )
}

/// The full option list of a playground command that has one here.
fn command_usage(name: &str) -> Option<String> {
    match name {
        "systemctl" => Some(systemctl_usage()),
        "journalctl" => Some(journalctl_usage()),
        _ => None,
    }
}

/// The overview's line for a playground command, for `help NAME`.
fn family_line(name: &str) -> Option<String> {
    let text = overview();
    let lines: Vec<&str> = text.lines().collect();
    let idx = lines.iter().position(|l| {
        let trimmed = l.trim_start();
        l.starts_with("  ")
            && trimmed
                .split(|c: char| c.is_whitespace() || c == ',')
                .take_while(|w| !w.is_empty())
                .any(|w| w == name)
    })?;
    let mut out = lines[idx].to_string();
    // Continuation lines are indented further.
    for next in &lines[idx + 1..] {
        if next.starts_with("                ") {
            out.push('\n');
            out.push_str(next);
        } else {
            break;
        }
    }
    Some(out)
}

/// `(synopsis, description)` of a builtin, in bash's `help` layout.
fn builtin_help(name: &str) -> Option<(&'static str, &'static str)> {
    let entry = match name {
        "cd" => (
            "cd [dir]",
            "Change the shell working directory.\n\n\
             Without DIR, go to the home directory (/root); `cd -' returns to the\n\
             previous directory (OLDPWD).\n\n\
             Exit Status:\n\
             Returns 0 if the directory is changed, non-zero otherwise.",
        ),
        "clear" => (
            "clear",
            "Clear the terminal screen.\n\n\
             Not a bash builtin on a real node (it is /usr/bin/clear); here the\n\
             terminal itself clears.",
        ),
        "echo" => (
            "echo [-neE] [arg ...]",
            "Write arguments to the standard output.\n\n\
             Options:\n  \
             -n\tdo not append a newline\n  \
             -e\tinterpret backslash escapes (\\n, \\t, \\\\, ...)\n  \
             -E\tdo not interpret backslash escapes (the default)\n\n\
             Exit Status:\n\
             Returns success.",
        ),
        "fg" => (
            "fg [job_spec]",
            "Move job to the foreground.\n\n\
             The playground's terminal has no job control to hand over: a background\n\
             job keeps running until it ends or `kill %N' stops it.",
        ),
        "bg" => (
            "bg [job_spec ...]",
            "Move jobs to the background.\n\n\
             The playground's terminal has no job control: a background job already\n\
             runs until it ends or `kill %N' stops it.",
        ),
        "jobs" => (
            "jobs [-lp]",
            "Display status of jobs.\n\n\
             Lists the background jobs (`COMMAND &') with their state: Running,\n\
             Done, or Terminated (by `kill %N'). A finished job is listed once.\n\n\
             Options:\n  \
             -l\tlists process IDs in addition to the normal information\n  \
             -p\tlists process IDs only",
        ),
        "kill" => (
            "kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]",
            "Send a signal to a job.\n\n\
             Send the processes identified by PID or JOBSPEC (%N, %%, %+, %-) the\n\
             signal named by SIGSPEC or SIGNUM. If neither is present, then SIGTERM\n\
             is assumed.\n\n\
             Options:\n  \
             -s sig\tSIG is a signal name\n  \
             -n sig\tSIG is a signal number\n  \
             -l\tlist the signal names\n\n\
             Exit Status:\n\
             Returns success unless an invalid option is given or an error occurs.",
        ),
        "exit" => (
            "exit [n]",
            "Exit the shell.\n\n\
             After `ssh node01', returns to the previous host. N is the exit status;\n\
             without it, the status of the last command.",
        ),
        "logout" => (
            "logout [n]",
            "Exit a login shell.\n\n\
             The same as `exit' here.",
        ),
        "export" => (
            "export [name[=value] ...]",
            "Set export attribute for shell variables.\n\n\
             NAME=VALUE sets the variable; without arguments, lists the variables\n\
             as `declare -x NAME=\"VALUE\"'.",
        ),
        "unset" => (
            "unset [name ...]",
            "Unset values and attributes of shell variables.",
        ),
        "false" => (
            "false",
            "Return an unsuccessful result.\n\n\
             Exit Status:\n\
             Always fails.",
        ),
        "true" => (
            "true",
            "Return a successful result.\n\n\
             Exit Status:\n\
             Always succeeds.",
        ),
        "help" => (
            "help [-s] [pattern ...]",
            "Display information about builtin commands.\n\n\
             Without PATTERN, an overview of what this terminal supports.\n\n\
             Options:\n  \
             -s\toutput only a short usage synopsis for each topic",
        ),
        "history" => (
            "history",
            "Display the history list: every command line typed in this terminal,\n\
             numbered.",
        ),
        "printf" => (
            "printf format [arguments]",
            "Formats and prints ARGUMENTS under control of the FORMAT.\n\n\
             Supports %s, %d, %% and backslash escapes; the format is reused while\n\
             arguments remain.",
        ),
        "pwd" => ("pwd", "Print the name of the current working directory."),
        "alias" => (
            "alias [-p] [name[=value] ... ]",
            "Define or display aliases.\n\n\
             Without arguments, `alias' prints the list of aliases in the reusable\n\
             form `alias NAME=VALUE' on standard output.\n\n\
             Otherwise, an alias is defined for each NAME whose VALUE is given.\n\
             A trailing space in VALUE causes the next word to be checked for\n\
             alias substitution when the alias is expanded.\n\n\
             Exit Status:\n\
             alias returns true unless a NAME is supplied for which no alias has been\n\
             defined.",
        ),
        "unalias" => (
            "unalias [-a] name [name ...]",
            "Remove each NAME from the list of defined aliases.\n\n\
             Options:\n  \
             -a\tremove all alias definitions\n\n\
             Return success unless a NAME is not an existing alias.",
        ),
        "local" => (
            "local [option] name[=value] ...",
            "Define local variables.\n\n\
             Create a local variable called NAME, and give it VALUE. Local variables\n\
             can only be used within a function; they are visible only to the\n\
             function where they are defined and its children.",
        ),
        "return" => (
            "return [n]",
            "Return from a shell function.\n\n\
             Causes a function or sourced script to exit with the return value\n\
             specified by N. If N is omitted, the return status is that of the\n\
             last command executed within the function or script.",
        ),
        "shift" => (
            "shift [n]",
            "Shift positional parameters.\n\n\
             Rename the positional parameters $N+1,$N+2 ... to $1,$2 ...  If N is\n\
             not given, it is assumed to be 1.",
        ),
        "let" => (
            "let arg [arg ...]",
            "Evaluate arithmetic expressions.\n\n\
             Evaluate each ARG as an arithmetic expression: integers, variables,\n\
             + - * / % **, comparisons, && || !, bitwise operators, ?: and\n\
             assignments (= += -= ...).\n\n\
             Exit Status:\n\
             If the last ARG evaluates to 0, let returns 1; let returns 0 otherwise.",
        ),
        "ssh" => (
            "ssh [user@]host [command ...]",
            "Log in to another node of the cluster (node01, controlplane, or its IP).\n\n\
             Not a bash builtin on a real node; here it opens a shell on that host.\n\
             With COMMAND, runs it there and comes back. `exit' returns.",
        ),
        "type" => (
            "type name [name ...]",
            "Display information about command type: a shell builtin, or the path\n\
             of the program that would run.",
        ),
        _ => return None,
    };
    Some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::commands::{coreutils, BUILTINS, COMMANDS};

    /// Whether `name` appears in `text` as a word of its own.
    fn mentions(text: &str, name: &str) -> bool {
        text.split(|c: char| c.is_whitespace() || ",/()|".contains(c))
            .any(|w| w == name)
    }

    #[test]
    fn overview_mentions_every_command_and_builtin() {
        let text = overview();
        let missing: Vec<&&str> = COMMANDS
            .iter()
            .chain(BUILTINS)
            .chain(coreutils::COMMANDS)
            .filter(|name| !mentions(&text, name))
            .collect();
        assert!(missing.is_empty(), "help does not mention {missing:?}");
    }

    #[test]
    fn every_builtin_has_help() {
        for name in BUILTINS {
            let out = help(&["help".to_string(), name.to_string()]);
            assert_eq!(out.code, 0, "{name}");
            assert!(out.stdout.starts_with(&format!("{name}: ")), "{name}");
        }
    }

    #[test]
    fn commands_and_unknown_topics() {
        let out = help(&["help".into(), "journalctl".into()]);
        assert!(out.stdout.contains("--unit=UNIT"), "{}", out.stdout);
        let out = help(&["help".into(), "jq".into()]);
        assert!(out.stdout.contains("JSON filters"), "{}", out.stdout);
        let out = help(&["help".into(), "frobnicate".into()]);
        assert_eq!(out.code, 1);
        assert!(out.stderr.contains("no help topics match `frobnicate'"));
        let out = help(&["help".into(), "-s".into(), "cd".into()]);
        assert_eq!(out.stdout, "cd: cd [dir]\n");
    }
}
