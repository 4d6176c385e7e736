//! `sudo` (sudo 1.9.15p5, as Ubuntu 24.04 ships it) and `su` (util-linux 2.39).
//!
//! The learner is root already, so `sudo CMD` runs CMD exactly as typed without it (same
//! output, same follow, same editor), and `sudo -i`, `sudo -s`, `sudo su`, `su` and `su -`
//! open a nested root shell on the same host that `exit` leaves again.
//!
//! Simplified: there are no other users (`-u root` and `-u '#0'` only; anyone else is
//! unknown); no password is ever asked; `-i` runs its command in `/root` but does not read
//! root's profile; the environment of a nested shell is the outer shell's (a login shell's
//! is reset to a fresh login's).

use crate::shell::io::Output;
use crate::shell::session::{Entry, Frame};

use super::Exec;

/// sudo's usage, printed for `-h` (stdout) and after an option error (stderr).
const USAGE: &str = "usage: sudo -h | -K | -k | -V
usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]
usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user]
            [-u user] [command [arg ...]]
usage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory]
            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]
            [-u user] [VAR=value] [-i | -s] [command [arg ...]]
usage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory]
            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]
            [-u user] file ...
";

/// Shell builtins that have no program on disk: sudo cannot find them on its `PATH`.
const SHELL_ONLY: &[&str] = &[
    "cd", "export", "unset", "exit", "logout", "history", "alias", "unalias", "type", "local",
    "return", "source", ".", "set", "shopt", "declare", "help", "function",
];

/// Programs that exist on disk besides the shell's builtins of the same name.
const ALSO_PROGRAMS: &[&str] = &[
    "echo", "printf", "true", "false", "pwd", "ssh", "clear", "kill", "test", "[", "su", "sudo",
];

/// What sudo was asked to do, from its options.
#[derive(Debug, Default)]
struct Request {
    login: bool,
    shell: bool,
    list: bool,
    validate: bool,
    version: bool,
    help: bool,
    edit: bool,
    user: Option<String>,
    env: Vec<(String, String)>,
    command: Vec<String>,
}

impl Exec<'_> {
    /// `sudo [OPTIONS] [VAR=value] [COMMAND [ARG...]]`.
    pub(super) fn builtin_sudo(&mut self, argv: &[String], stdin: &str) -> Output {
        let request = match parse_sudo(&argv[1..]) {
            Ok(request) => request,
            Err(message) => return Output::err(format!("{message}{USAGE}"), 1),
        };
        if request.help {
            return Output::ok(format!(
                "sudo - execute a command as another user\n\n{USAGE}\n{OPTIONS}"
            ));
        }
        if request.version {
            return Output::ok(VERSION);
        }
        if let Some(user) = &request.user {
            if user != "root" && user != "#0" {
                return Output::err(format!("sudo: unknown user {user}\n"), 1);
            }
        }
        if request.list {
            let host = self.frame().host_name.clone();
            if let Some(name) = request.command.first() {
                return match program_path(name) {
                    Some(path) => {
                        let args = request.command[1..].join(" ");
                        let line = if args.is_empty() {
                            path
                        } else {
                            format!("{path} {args}")
                        };
                        Output::ok(format!("{line}\n"))
                    }
                    None => Output::err(format!("sudo: {name}: command not found\n"), 1),
                };
            }
            return Output::ok(format!(
                "Matching Defaults entries for root on {host}:\n    env_reset, mail_badpass,\n    secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin\\:/snap/bin,\n    use_pty\n\nUser root may run the following commands on {host}:\n    (ALL : ALL) ALL\n"
            ));
        }
        if request.validate {
            return Output::default();
        }
        if request.edit {
            // `sudo -e FILE` is sudoedit: the same editor a learner gets with `vi FILE`.
            let mut edit = vec!["vi".to_string()];
            edit.extend(request.command.iter().cloned());
            return self.dispatch(&edit, stdin);
        }
        if request.command.is_empty() {
            if request.login || request.shell {
                return self.nested_shell(request.login);
            }
            return Output::err(USAGE, 1);
        }
        let name = request.command[0].clone();
        if request.login || request.shell {
            // With -i or -s sudo hands the command to a shell, where builtins work too.
            let saved_cwd = request.login.then(|| self.frame().cwd.clone());
            if request.login {
                self.frame_mut().cwd = "/root".to_string();
            }
            let out = self.dispatch_with_env(&request.command, stdin, &request.env);
            if let Some(cwd) = saved_cwd {
                self.frame_mut().cwd = cwd;
            }
            return match out.code {
                127 if out.stderr.ends_with(": command not found\n") => {
                    Output::err(format!("-bash: line 1: {name}: command not found\n"), 127)
                }
                _ => out,
            };
        }
        if program_path(&name).is_none() {
            return Output::err(format!("sudo: {name}: command not found\n"), 1);
        }
        self.dispatch_with_env(&request.command, stdin, &request.env)
    }

    /// `su [-] [-l] [-c COMMAND] [root]`.
    pub(super) fn builtin_su(&mut self, argv: &[String]) -> Output {
        let mut login = false;
        let mut command = None;
        let mut user = None;
        let mut args = argv[1..].iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "-" | "-l" | "--login" => login = true,
                "-c" | "--command" => match args.next() {
                    Some(cmd) => command = Some(cmd.clone()),
                    None => {
                        return Output::err(
                            "su: option requires an argument -- 'c'\nTry 'su --help' for more information.\n",
                            1,
                        )
                    }
                },
                "-m" | "-p" | "--preserve-environment" => (),
                a if a.starts_with("--command=") => command = Some(a[10..].to_string()),
                a if a.starts_with('-') && a.len() > 1 => {
                    let shown = a.trim_start_matches('-');
                    let message = if a.starts_with("--") {
                        format!("su: unrecognized option '{a}'\n")
                    } else {
                        format!("su: invalid option -- '{}'\n", shown.chars().next().unwrap_or('-'))
                    };
                    return Output::err(format!("{message}Try 'su --help' for more information.\n"), 1);
                }
                a if user.is_none() => user = Some(a.to_string()),
                _ => (),
            }
        }
        if let Some(user) = user.filter(|u| u != "root") {
            return Output::err(
                format!("su: user {user} does not exist or the user entry does not contain all the required fields\n"),
                1,
            );
        }
        if let Some(command) = command {
            let script = match crate::shell::parser::parse(&command) {
                Ok(script) => script,
                Err(err) => return Output::err(format!("bash: -c: {err}\n"), 2),
            };
            let saved = self.stdout_capture.replace(String::new());
            let status = self.run_list(&script.items);
            self.exiting = false;
            let produced = std::mem::replace(&mut self.stdout_capture, saved).unwrap_or_default();
            return Output {
                stdout: produced,
                code: status,
                ..Output::default()
            };
        }
        self.nested_shell(login)
    }

    /// Starts a root shell on the same host, which `exit` leaves again.
    fn nested_shell(&mut self, login: bool) -> Output {
        let host = self.frame().host;
        let name = self.frame().host_name.clone();
        let pid = self.cluster.node_mut(host).allocate_pid();
        let mut frame = if login {
            Frame::login(host, &name, pid)
        } else {
            let mut frame = self.frame().clone();
            frame.pid = pid;
            frame.jobs = 0;
            frame.job_table.clear();
            frame.aliases.clear();
            frame.functions.clear();
            frame
        };
        frame.entry = Entry::Nested { login };
        frame.last_exit = 0;
        self.session.frames.push(frame);
        Output::default()
    }

    /// Runs `argv` with `env` set for it alone.
    fn dispatch_with_env(
        &mut self,
        argv: &[String],
        stdin: &str,
        env: &[(String, String)],
    ) -> Output {
        if env.is_empty() {
            return self.dispatch(argv, stdin);
        }
        let saved = self.frame().vars.clone();
        for (name, value) in env {
            self.frame_mut().vars.insert(name.clone(), value.clone());
        }
        let out = self.dispatch(argv, stdin);
        self.frame_mut().vars = saved;
        out
    }
}

/// Where sudo finds `name` on its secure path; `None` when it has no program there.
fn program_path(name: &str) -> Option<String> {
    if SHELL_ONLY.contains(&name) {
        return None;
    }
    if ALSO_PROGRAMS.contains(&name) || crate::shell::commands::is_command(name) {
        return Some(format!("/usr/bin/{name}"));
    }
    None
}

/// Parses sudo's options up to the command; an error is sudo's message before its usage.
fn parse_sudo(args: &[String]) -> Result<Request, String> {
    let mut request = Request::default();
    if let [only] = args {
        match only.as_str() {
            "-h" | "--help" => request.help = true,
            // Alone, -k and -K only forget cached credentials, which root never has.
            "-k" | "-K" => request.validate = true,
            _ => (),
        }
        if request.help || request.validate {
            return Ok(request);
        }
    }
    let mut idx = 0;
    // Options that take a value, short and long.
    let takes_value = |c: char| {
        matches!(
            c,
            'u' | 'g' | 'h' | 'p' | 'C' | 'D' | 'R' | 'T' | 'U' | 'r' | 't'
        )
    };
    while idx < args.len() {
        let arg = &args[idx];
        if arg == "--" {
            idx += 1;
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "login" => request.login = true,
                "shell" => request.shell = true,
                "list" => request.list = true,
                "validate" => request.validate = true,
                "version" => request.version = true,
                "help" => request.help = true,
                "edit" => request.edit = true,
                "preserve-env" | "non-interactive" | "reset-timestamp" | "remove-timestamp"
                | "set-home" | "background" | "stdin" | "preserve-groups" | "askpass" | "bell"
                | "no-update" => (),
                "user" | "group" | "host" | "prompt" | "close-from" | "chdir" | "chroot"
                | "command-timeout" | "other-user" | "role" | "type" => {
                    let value = match value {
                        Some(v) => v,
                        None => {
                            idx += 1;
                            match args.get(idx) {
                                Some(v) => v.clone(),
                                None => {
                                    return Err(format!(
                                        "sudo: option '--{name}' requires an argument\n"
                                    ))
                                }
                            }
                        }
                    };
                    if name == "user" {
                        request.user = Some(value);
                    }
                }
                _ => return Err(format!("sudo: unrecognized option '--{name}'\n")),
            }
            idx += 1;
            continue;
        }
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            break;
        };
        for (at, c) in flags.char_indices() {
            if takes_value(c) {
                let rest = &flags[at + c.len_utf8()..];
                let value = if rest.is_empty() {
                    idx += 1;
                    match args.get(idx) {
                        Some(v) => v.clone(),
                        None => {
                            return Err(format!("sudo: option requires an argument -- '{c}'\n"))
                        }
                    }
                } else {
                    rest.to_string()
                };
                if c == 'u' {
                    request.user = Some(value);
                }
                break;
            }
            match c {
                'i' => request.login = true,
                's' => request.shell = true,
                'l' => request.list = true,
                'v' => request.validate = true,
                'V' => request.version = true,
                'e' => request.edit = true,
                'A' | 'B' | 'b' | 'E' | 'H' | 'N' | 'n' | 'P' | 'S' | 'k' | 'K' => (),
                _ => return Err(format!("sudo: invalid option -- '{c}'\n")),
            }
        }
        idx += 1;
    }
    if request.login && request.shell {
        return Err("sudo: you may not specify both the -i and -s options\n".to_string());
    }
    while let Some((name, value)) = args
        .get(idx)
        .and_then(|a| a.split_once('='))
        .filter(|(n, _)| crate::shell::parser::is_name(n))
    {
        request.env.push((name.to_string(), value.to_string()));
        idx += 1;
    }
    request.command = args[idx..].to_vec();
    Ok(request)
}

/// `sudo -V` as root prints the front end's and the plugins' versions.
const VERSION: &str = "Sudo version 1.9.15p5
Sudoers policy plugin version 1.9.15p5
Sudoers file grammar version 50
Sudoers I/O plugin version 1.9.15p5
Sudoers audit plugin version 1.9.15p5
";

/// The option list `sudo -h` prints after its usage.
const OPTIONS: &str = "Options:
  -A, --askpass                 use a helper program for password prompting
  -b, --background              run command in the background
  -B, --bell                    ring bell when prompting
  -C, --close-from=num          close all file descriptors >= num
  -D, --chdir=directory         change the working directory before running
                                command
  -E, --preserve-env            preserve user environment when running command
      --preserve-env=list       preserve specific environment variables
  -e, --edit                    edit files instead of running a command
  -g, --group=group             run command as the specified group name or ID
  -H, --set-home                set HOME variable to target user's home dir
  -h, --help                    display help message and exit
  -h, --host=host               run command on host (if supported by plugin)
  -i, --login                   run login shell as the target user; a command
                                may also be specified
  -K, --remove-timestamp        remove timestamp file completely
  -k, --reset-timestamp         invalidate timestamp file
  -l, --list                    list user's privileges or check a specific
                                command; use twice for longer format
  -n, --non-interactive         non-interactive mode, no prompts are used
  -P, --preserve-groups         preserve group vector instead of setting to
                                target's
  -p, --prompt=prompt           use the specified password prompt
  -R, --chroot=directory        change the root directory before running command
  -r, --role=role               create SELinux security context with specified
                                role
  -S, --stdin                   read password from standard input
  -s, --shell                   run shell as the target user; a command may
                                also be specified
  -t, --type=type               create SELinux security context with specified
                                type
  -T, --command-timeout=timeout terminate command after the specified time limit
  -U, --other-user=user         in list mode, display privileges for user
  -u, --user=user               run command (or edit file) as specified user
                                name or ID
  -V, --version                 display version information and exit
  -v, --validate                update user's timestamp without running a
                                command
  --                            stop processing command line arguments
";
