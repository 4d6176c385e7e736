//! The evaluator: runs a parsed script the way bash would — expansions in bash's order
//! (tilde, parameters, command substitution, field splitting, pathname expansion), redirections
//! applied left to right, pipelines, `&&`/`||`, compound commands and the builtins that need
//! the shell's own state.
//!
//! Simplified: commands in a pipeline run one after another, each reading the whole output of
//! the previous one; a background job (`cmd &`) runs to completion at once, except servers such
//! as `python3 -m http.server`, which keep listening.

use std::collections::BTreeMap;

use crate::cluster::Cluster;
use crate::node::fs::{normalize, FileKind, WriteMode};
use crate::shell::ast::*;
use crate::shell::commands;
use crate::shell::follow::Follow;
use crate::shell::io::{Invocation, Output};
use crate::shell::parser::parse;
use crate::shell::session::{Entry, Frame, Session};

mod alias;
mod arithmetic;
mod functions;
mod jobs;
mod sudo;

/// How deep command substitutions may nest before the evaluator refuses.
const MAX_DEPTH: u32 = 32;
/// Most iterations one `for`, `while` or `until` loop runs. A real terminal runs a loop such
/// as `while true; do sleep 1; done` until Ctrl-C; here it is stopped at this bound as if
/// interrupted (status 130), and says so.
pub const LOOP_LIMIT: usize = 10_000;
/// The largest value a shell variable may hold (16 MiB). Doubling a variable in a loop would
/// otherwise reach gigabytes; a real bash fails with this allocation error when memory runs
/// out.
///
/// Simplified: bash's error is fatal (the shell exits) and names its source file and line;
/// here the command line stops with status 2 and the session goes on.
pub const MAX_VARIABLE_BYTES: usize = 16 << 20;

/// Where a file descriptor's output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sink {
    Terminal,
    /// The standard output of the compound command being run, collected for its redirects.
    Capture,
    Pipe,
    File(String),
    Null,
}

/// Runs scripts against the cluster for one terminal session.
pub struct Exec<'a> {
    /// The world commands act on.
    pub cluster: &'a mut Cluster,
    /// The terminal session.
    pub session: &'a mut Session,
    /// Everything the terminal shows, in order.
    pub terminal: String,
    /// A command asked to clear the screen.
    pub clear: bool,
    depth: u32,
    /// Set by `exit` in the outermost shell: the session is over.
    pub logout: bool,
    /// Set by `exit` (any shell): stop running the rest of the script.
    exiting: bool,
    /// The pid of the background job being started (`cmd &`), if any.
    background: Option<u32>,
    /// The other commands of the pipeline being run, as `ps` would show them.
    peers: Vec<String>,
    /// The line is one simple command typed at the browser's terminal: a command that
    /// follows may hand itself over as the foreground job (see [`crate::shell::follow`]).
    pub may_follow: bool,
    /// The foreground job the command handed over.
    pub follow: Option<Follow>,
    /// What `ssh HOST CMD` read on its stdin, for the remote command line to read.
    remote_stdin: Option<String>,
    /// While `ssh HOST CMD` runs: how many shell frames deep its remote shell is.
    remote_frames: Option<usize>,
    /// The positional parameters (`$1`...) of the function running, empty outside one.
    positional: Vec<String>,
    /// The function calls in progress, innermost last.
    calls: Vec<functions::Call>,
    /// Set by `return`: stop running the function's body.
    returning: bool,
    /// The aliases being replaced right now (an alias is not replaced inside itself).
    aliasing: Vec<String>,
    /// The whole command line is abandoned, `$(...)` and functions included, as bash's
    /// `jump_to_top_level` abandons it (an arithmetic error, the nesting limits, a runaway
    /// loop).
    abandon: bool,
    /// While a compound command runs: its standard output so far.
    stdout_capture: Option<String>,
}

impl<'a> Exec<'a> {
    /// An evaluator for `session` over `cluster`.
    pub fn new(cluster: &'a mut Cluster, session: &'a mut Session) -> Exec<'a> {
        Exec {
            cluster,
            session,
            terminal: String::new(),
            clear: false,
            depth: 0,
            logout: false,
            exiting: false,
            background: None,
            peers: Vec::new(),
            may_follow: false,
            follow: None,
            remote_stdin: None,
            remote_frames: None,
            positional: Vec::new(),
            calls: Vec::new(),
            returning: false,
            aliasing: Vec::new(),
            abandon: false,
            stdout_capture: None,
        }
    }

    /// Whether the rest of a list must be skipped (`exit`, `return`, an abandoned line).
    fn unwinding(&self) -> bool {
        self.exiting || self.returning || self.abandon
    }

    fn frame(&self) -> &Frame {
        self.session.frame()
    }

    fn frame_mut(&mut self) -> &mut Frame {
        self.session.frame_mut()
    }

    /// Runs a whole script; returns the last exit status.
    pub fn run_script(&mut self, script: &Script) -> i32 {
        for warning in &script.warnings {
            self.terminal.push_str(&format!("{warning}\n"));
        }
        self.run_list(&script.items)
    }

    fn run_list(&mut self, items: &[ListItem]) -> i32 {
        let mut status = self.frame().last_exit;
        for item in items {
            if self.unwinding() {
                break;
            }
            if item.background {
                status = self.run_background(&item.and_or);
            } else {
                status = self.run_and_or(&item.and_or);
            }
            self.frame_mut().last_exit = status;
            self.cluster.settle();
        }
        status
    }

    fn run_background(&mut self, and_or: &AndOr) -> i32 {
        let pid = self.cluster.node_mut(self.frame().host).allocate_pid();
        let frame = self.frame_mut();
        frame.jobs += 1;
        let job = frame.jobs;
        frame.job_table.push(crate::shell::session::Job {
            number: job,
            pid,
            command: and_or.to_string(),
            killed: false,
        });
        self.terminal.push_str(&format!("[{job}] {pid}\n"));
        self.background = Some(pid);
        self.run_and_or(and_or);
        self.background = None;
        0
    }

    fn run_and_or(&mut self, and_or: &AndOr) -> i32 {
        let mut status = self.run_pipeline(&and_or.first);
        for (op, pipeline) in &and_or.rest {
            if self.unwinding() {
                break;
            }
            let run = match op {
                AndOrOp::And => status == 0,
                AndOrOp::Or => status != 0,
            };
            if run {
                self.frame_mut().last_exit = status;
                status = self.run_pipeline(pipeline);
            }
        }
        status
    }

    fn run_pipeline(&mut self, pipeline: &Pipeline) -> i32 {
        let mut stdin = String::new();
        let mut status = 0;
        let last = pipeline.commands.len().saturating_sub(1);
        for (idx, command) in pipeline.commands.iter().enumerate() {
            let to_pipe = idx < last;
            let outer = std::mem::replace(&mut self.peers, pipeline_peers(pipeline, idx));
            let (code, piped) = self.run_command(command, std::mem::take(&mut stdin), to_pipe);
            self.peers = outer;
            status = code;
            stdin = piped;
            if self.unwinding() {
                break;
            }
        }
        if pipeline.negated {
            status = i32::from(status == 0);
        }
        status
    }

    /// Runs one command with `stdin`; returns its status and what it wrote to a pipe.
    fn run_command(&mut self, command: &Command, stdin: String, to_pipe: bool) -> (i32, String) {
        match command {
            Command::Simple(simple) => self.run_simple(simple, stdin, to_pipe),
            Command::Compound(compound) => {
                // Compound commands run with their standard output captured, then routed
                // like a simple command's; what they write to standard error goes on to the
                // terminal as it is written.
                //
                // Simplified: the compound command's own redirects of fd 2 (`{ ...; } 2>&1`)
                // do not reach the standard error of the commands inside it.
                let saved = self.stdout_capture.replace(String::new());
                let status = self.run_compound(&compound.kind);
                let produced =
                    std::mem::replace(&mut self.stdout_capture, saved).unwrap_or_default();
                let output = Output {
                    stdout: produced,
                    stderr: String::new(),
                    code: status,
                    stderr_after: Vec::new(),
                };
                match self.route(&compound.redirects, output, to_pipe, stdin) {
                    Ok(piped) => (status, piped),
                    Err(code) => (code, String::new()),
                }
            }
        }
    }

    fn run_compound(&mut self, kind: &CompoundKind) -> i32 {
        match kind {
            CompoundKind::BraceGroup(items) => self.run_list(items),
            CompoundKind::Subshell(items) => {
                let saved = self.session.frame().clone();
                let status = self.run_list(items);
                let exiting = self.exiting;
                *self.frame_mut() = Frame {
                    last_exit: status,
                    ..saved
                };
                // `exit` inside ( ) leaves only the subshell.
                if exiting {
                    self.exiting = false;
                }
                status
            }
            CompoundKind::For { name, words, body } => {
                let values = match words {
                    Some(words) => {
                        let mut values = Vec::new();
                        for word in words {
                            match self.expand_fields(word) {
                                Ok(fields) => values.extend(fields),
                                Err(err) => return self.fail(&err, 1),
                            }
                        }
                        values
                    }
                    None => Vec::new(),
                };
                let mut status = 0;
                for (iteration, value) in values.into_iter().enumerate() {
                    if self.unwinding() {
                        break;
                    }
                    if iteration >= LOOP_LIMIT {
                        return self.loop_stopped();
                    }
                    self.frame_mut().vars.insert(name.clone(), value);
                    status = self.run_list(body);
                }
                status
            }
            CompoundKind::While {
                until,
                condition,
                body,
            } => {
                let mut status = 0;
                let mut iterations = 0;
                loop {
                    if self.unwinding() {
                        break;
                    }
                    let ok = self.run_list(condition) == 0;
                    if ok == *until {
                        break;
                    }
                    if iterations >= LOOP_LIMIT {
                        return self.loop_stopped();
                    }
                    iterations += 1;
                    status = self.run_list(body);
                }
                status
            }
            CompoundKind::If {
                branches,
                else_body,
            } => {
                for branch in branches {
                    if self.run_list(&branch.condition) == 0 {
                        return self.run_list(&branch.body);
                    }
                }
                match else_body {
                    Some(body) => self.run_list(body),
                    None => 0,
                }
            }
            CompoundKind::Arith(expr) => self.arith_command(expr),
            CompoundKind::FunctionDef { name, body } => {
                self.frame_mut()
                    .functions
                    .insert(name.clone(), (**body).clone());
                0
            }
        }
    }

    /// A loop reached [`LOOP_LIMIT`]: stopped as Ctrl-C would stop it, with a note why.
    fn loop_stopped(&mut self) -> i32 {
        // Ctrl-C ends the whole command line, not just the loop.
        self.exiting = true;
        self.abandon = true;
        self.fail(
            &format!(
                "^C\nkubelet-playground: loop stopped after {LOOP_LIMIT} iterations (a real terminal runs it until Ctrl-C)"
            ),
            130,
        )
    }

    fn fail(&mut self, message: &str, code: i32) -> i32 {
        if message.is_empty() {
            return code;
        }
        self.terminal.push_str(message);
        if !message.ends_with('\n') {
            self.terminal.push('\n');
        }
        code
    }

    fn run_simple(
        &mut self,
        simple: &SimpleCommand,
        stdin: String,
        to_pipe: bool,
    ) -> (i32, String) {
        if let Some((name, value)) = self.alias_of(simple) {
            return self.run_alias(simple, name, &value, stdin, to_pipe);
        }
        let mut argv = Vec::new();
        for word in &simple.words {
            match self.expand_fields(word) {
                Ok(fields) => argv.extend(fields),
                Err(err) => return (self.fail(&err, 1), String::new()),
            }
        }
        let mut assignments = Vec::new();
        for assignment in &simple.assignments {
            let value = match self.expand_string(&assignment.value) {
                Ok(value) => value,
                Err(err) => return (self.fail(&err, 1), String::new()),
            };
            assignments.push((assignment.name.clone(), value, assignment.append));
        }
        if argv.is_empty() {
            // Bare assignments set shell variables; redirects still open their files.
            for (name, value, append) in assignments {
                let vars = &mut self.frame_mut().vars;
                let old_len = if append {
                    vars.get(&name).map_or(0, String::len)
                } else {
                    0
                };
                if old_len + value.len() > MAX_VARIABLE_BYTES {
                    self.exiting = true;
                    let wanted = old_len + value.len() + 1;
                    return (
                        self.fail(&format!("bash: xmalloc: cannot allocate {wanted} bytes"), 2),
                        String::new(),
                    );
                }
                let value = if append {
                    format!("{}{value}", vars.get(&name).cloned().unwrap_or_default())
                } else {
                    value
                };
                vars.insert(name, value);
            }
            let output = Output::default();
            return match self.route(&simple.redirects, output, to_pipe, stdin) {
                Ok(piped) => (0, piped),
                Err(code) => (code, String::new()),
            };
        }
        // Prefix assignments apply to this command only.
        let saved_vars = if assignments.is_empty() {
            None
        } else {
            let saved = self.frame().vars.clone();
            for (name, value, _) in assignments {
                self.frame_mut().vars.insert(name, value);
            }
            Some(saved)
        };
        let input = match self.read_input(&simple.redirects, stdin) {
            Ok(input) => input,
            Err(code) => return (code, String::new()),
        };
        // Bash looks for a function before a builtin or a program.
        let output = match self.frame().functions.get(&argv[0]).cloned() {
            Some(body) => self.call_function(body, &argv, &input),
            None => self.dispatch(&argv, &input),
        };
        if let Some(saved) = saved_vars {
            self.frame_mut().vars = saved;
        }
        let code = output.code;
        match self.route(&simple.redirects, output, to_pipe, String::new()) {
            Ok(piped) => (code, piped),
            Err(err_code) => (err_code, String::new()),
        }
    }

    /// The command's standard input after `<`, here-documents and here-strings.
    fn read_input(&mut self, redirects: &[Redirect], stdin: String) -> Result<String, i32> {
        let mut input = stdin;
        for redirect in redirects {
            if redirect.fd.is_some_and(|fd| fd != 0) {
                continue;
            }
            match &redirect.kind {
                RedirectKind::In | RedirectKind::ReadWrite => {
                    let target = self
                        .expand_string(&redirect.target)
                        .map_err(|e| self.fail(&e, 1))?;
                    let path = normalize(&self.frame().cwd, &target);
                    let fs = &self.cluster.host(self.frame().host).node.fs;
                    match fs.read_to_string(&path) {
                        Ok(text) => input = text,
                        Err(err) => {
                            return Err(self.fail(&format!("bash: {target}: {err}"), 1));
                        }
                    }
                }
                RedirectKind::HereDoc(doc) => {
                    input = if doc.expand {
                        self.expand_string(&doc.body)
                            .map_err(|e| self.fail(&e, 1))?
                    } else {
                        doc.body.literal_text().unwrap_or_default()
                    };
                }
                RedirectKind::HereString => {
                    let text = self
                        .expand_string(&redirect.target)
                        .map_err(|e| self.fail(&e, 1))?;
                    input = format!("{text}\n");
                }
                _ => (),
            }
        }
        Ok(input)
    }

    /// Sends a command's stdout and stderr where its redirects say; returns what went to the
    /// pipe. An unopenable file fails the command with bash's message.
    fn route(
        &mut self,
        redirects: &[Redirect],
        output: Output,
        to_pipe: bool,
        _stdin: String,
    ) -> Result<String, i32> {
        let mut fds: BTreeMap<u32, Sink> = BTreeMap::new();
        let stdout = if to_pipe {
            Sink::Pipe
        } else if self.stdout_capture.is_some() {
            Sink::Capture
        } else {
            Sink::Terminal
        };
        fds.insert(1, stdout);
        fds.insert(2, Sink::Terminal);
        for redirect in redirects {
            match &redirect.kind {
                RedirectKind::Out { append, .. } => {
                    let fd = redirect.fd.unwrap_or(1);
                    let path = self.open_output(&redirect.target, *append)?;
                    fds.insert(fd, Sink::File(path));
                }
                RedirectKind::Both { append } => {
                    let path = self.open_output(&redirect.target, *append)?;
                    fds.insert(1, Sink::File(path.clone()));
                    fds.insert(2, Sink::File(path));
                }
                RedirectKind::DupOut => {
                    let fd = redirect.fd.unwrap_or(1);
                    let target = redirect.target.literal_text().unwrap_or_default();
                    let sink = if target == "-" {
                        Sink::Null
                    } else {
                        match target
                            .parse::<u32>()
                            .ok()
                            .and_then(|t| fds.get(&t).cloned())
                        {
                            Some(sink) => sink,
                            None => {
                                return Err(
                                    self.fail(&format!("bash: {target}: Bad file descriptor"), 1)
                                )
                            }
                        }
                    };
                    fds.insert(fd, sink);
                }
                _ => (),
            }
        }
        // Stderr first, then stdout interleaved with the stderr a command wrote after parts of it.
        // Simplified: a pipe or file both streams share gets that order too (no stdio buffering).
        let mut chunks = vec![(2u32, output.stderr)];
        let mut from = 0;
        for (at, text) in output.stderr_after {
            let at = if output.stdout.is_char_boundary(at) {
                at.max(from)
            } else {
                output.stdout.len()
            };
            let part = output.stdout.get(from..at).unwrap_or_default();
            chunks.push((1, part.to_string()));
            chunks.push((2, text));
            from = at;
        }
        let rest = output.stdout.get(from..).unwrap_or_default();
        chunks.push((1, rest.to_string()));
        let mut piped = String::new();
        for (fd, text) in chunks {
            if text.is_empty() {
                continue;
            }
            match fds.get(&fd).cloned().unwrap_or(Sink::Terminal) {
                Sink::Terminal => self.terminal.push_str(&text),
                Sink::Capture => match self.stdout_capture.as_mut() {
                    Some(capture) => capture.push_str(&text),
                    None => self.terminal.push_str(&text),
                },
                Sink::Pipe => piped.push_str(&text),
                Sink::Null => (),
                Sink::File(path) => {
                    let host = self.frame().host;
                    let now = self.cluster.now();
                    let _ = self.cluster.node_mut(host).fs.write(
                        now,
                        &path,
                        text.as_bytes(),
                        WriteMode::Append,
                    );
                }
            }
        }
        Ok(piped)
    }

    /// Opens (creates or truncates) a redirect's output file, as bash does before running the
    /// command.
    fn open_output(&mut self, target: &Word, append: bool) -> Result<String, i32> {
        let name = self.expand_string(target).map_err(|e| self.fail(&e, 1))?;
        let path = normalize(&self.frame().cwd, &name);
        let host = self.frame().host;
        let now = self.cluster.now();
        let fs = &mut self.cluster.node_mut(host).fs;
        let mode = if append {
            WriteMode::Append
        } else {
            WriteMode::Truncate
        };
        match fs.write(now, &path, b"", mode) {
            Ok(()) => Ok(path),
            Err(err) => Err(self.fail(&format!("bash: {name}: {err}"), 1)),
        }
    }

    /// Runs a builtin or a command.
    fn dispatch(&mut self, argv: &[String], stdin: &str) -> Output {
        let name = argv[0].as_str();
        match name {
            "cd" => self.builtin_cd(argv),
            "pwd" => Output::ok(format!("{}\n", self.frame().cwd)),
            "export" => self.builtin_export(argv),
            "unset" => {
                let functions = argv.iter().any(|a| a == "-f");
                for n in argv[1..].iter().filter(|a| !a.starts_with('-')) {
                    if functions {
                        self.frame_mut().functions.remove(n);
                    } else if self.frame_mut().vars.remove(n).is_none() {
                        // Without -v, a name that is no variable may be a function.
                        self.frame_mut().functions.remove(n);
                    }
                }
                Output::default()
            }
            "alias" => self.builtin_alias(argv),
            "jobs" => self.builtin_jobs(argv),
            "fg" | "bg" => Output::err(
                format!(
                    "bash: {name}: a background job in the playground cannot be brought to the foreground; stop it with kill %N\n"
                ),
                1,
            ),
            "kill" if argv.iter().any(|a| a.starts_with('%')) => match self.job_pids(argv) {
                Ok(argv) => self.dispatch(&argv, stdin),
                Err(out) => out,
            },
            "unalias" => self.builtin_unalias(argv),
            "type" => self.builtin_type(argv),
            "local" => self.builtin_local(argv),
            "return" => self.builtin_return(argv),
            "shift" => self.builtin_shift(argv),
            "let" => self.builtin_let(argv),
            "echo" => builtin_echo(argv),
            "printf" => builtin_printf(argv),
            "exit" | "logout" => self.builtin_exit(argv),
            ":" | "true" => Output::default(),
            "false" => Output::err("", 1),
            "history" => {
                let lines: String = self
                    .session
                    .history
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!("{:>5}  {l}\n", i + 1))
                    .collect();
                Output::ok(lines)
            }
            "clear" => {
                self.clear = true;
                Output::default()
            }
            "ssh" => self.builtin_ssh(argv, stdin),
            "sudo" => self.builtin_sudo(argv, stdin),
            "su" => self.builtin_su(argv),
            _ => {
                let host = self.frame().host;
                let cwd = self.frame().cwd.clone();
                let vars = self.frame().vars.clone();
                let shell_pid = self.frame().pid;
                let peers = self.peers.clone();
                let mut world = commands::World {
                    cluster: self.cluster,
                    host,
                    cwd: &cwd,
                    vars: &vars,
                    background: self.background,
                    shell_pid,
                    peers: &peers,
                    // Not inside `$(...)`: only the line's own command owns the terminal.
                    foreground: (self.may_follow && self.depth == 0).then_some(&mut self.follow),
                };
                match commands::run(&mut world, Invocation { argv, stdin }) {
                    Some(output) => output,
                    None if name.contains('/') => {
                        Output::err(format!("bash: {name}: No such file or directory\n"), 127)
                    }
                    None => Output::err(format!("bash: {name}: command not found\n"), 127),
                }
            }
        }
    }

    fn builtin_cd(&mut self, argv: &[String]) -> Output {
        let target = match argv.get(1).map(String::as_str) {
            None | Some("~") => "/root".to_string(),
            Some("-") => self
                .frame()
                .vars
                .get("OLDPWD")
                .cloned()
                .unwrap_or_else(|| self.frame().cwd.clone()),
            Some(dir) => dir.to_string(),
        };
        let path = normalize(&self.frame().cwd, &target);
        let fs = &self.cluster.host(self.frame().host).node.fs;
        match fs.stat(&path) {
            Ok(meta) if meta.kind == FileKind::Dir => {
                let old = self.frame().cwd.clone();
                let frame = self.frame_mut();
                frame.vars.insert("OLDPWD".into(), old);
                frame.vars.insert("PWD".into(), path.clone());
                frame.cwd = path;
                Output::default()
            }
            Ok(_) => Output::err(format!("bash: cd: {target}: Not a directory\n"), 1),
            Err(err) => Output::err(format!("bash: cd: {target}: {err}\n"), 1),
        }
    }

    fn builtin_export(&mut self, argv: &[String]) -> Output {
        if argv.len() == 1 {
            let text: String = self
                .frame()
                .vars
                .iter()
                .map(|(k, v)| format!("declare -x {k}={v:?}\n"))
                .collect();
            return Output::ok(text);
        }
        for arg in &argv[1..] {
            if let Some((name, value)) = arg.split_once('=') {
                self.frame_mut().vars.insert(name.into(), value.into());
            }
        }
        Output::default()
    }

    fn builtin_exit(&mut self, argv: &[String]) -> Output {
        let code = argv
            .get(1)
            .and_then(|c| c.parse::<i32>().ok())
            .unwrap_or(self.frame().last_exit);
        self.exiting = true;
        // `exit` ending an `ssh HOST CMD` command line: ssh just returns its status.
        if self.remote_frames == Some(self.session.frames.len()) {
            return Output {
                code,
                ..Output::default()
            };
        }
        if self.session.frames.len() > 1 {
            let left = self.session.frames.pop().expect("more than one shell");
            let text = match left.entry {
                Entry::Nested { login: true } => "logout\n".to_string(),
                Entry::Nested { login: false } => "exit\n".to_string(),
                Entry::Connection => format!("logout\nConnection to {} closed.\n", left.host_name),
            };
            return Output {
                stdout: text,
                stderr: String::new(),
                code,
                stderr_after: Vec::new(),
            };
        }
        self.logout = true;
        Output {
            stdout: "logout\n".to_string(),
            stderr: String::new(),
            code,
            stderr_after: Vec::new(),
        }
    }

    fn builtin_ssh(&mut self, argv: &[String], stdin: &str) -> Output {
        let Some(target) = argv.iter().skip(1).find(|a| !a.starts_with('-')) else {
            return Output::err(
                "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\n           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n           destination [command [argument ...]]\n",
                255,
            );
        };
        let host_name = target.rsplit('@').next().unwrap_or(target).to_string();
        let Some(host) = self.cluster.host_index(&host_name).or_else(|| {
            self.cluster
                .hosts()
                .iter()
                .position(|h| h.node.ip == host_name)
        }) else {
            return Output::err(
                format!("ssh: Could not resolve hostname {host_name}: Name or service not known\n"),
                255,
            );
        };
        let name = self.cluster.host(host).node.name.clone();
        let pid = self.cluster.node_mut(host).allocate_pid();
        let extra: Vec<&String> = argv
            .iter()
            .skip(1)
            .skip_while(|a| a.starts_with('-') || a.rsplit('@').next() != Some(host_name.as_str()))
            .skip(1)
            .collect();
        self.session.frames.push(Frame::login(host, &name, pid));
        if extra.is_empty() {
            return Output::default();
        }
        // `ssh node01 cmd`: run it there and come back; it finishes before ssh returns.
        self.may_follow = false;
        let line: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let script = match parse(&line.join(" ")) {
            Ok(script) => script,
            Err(err) => {
                self.session.frames.pop();
                return Output::err(format!("{err}\n"), 2);
            }
        };
        // As OpenSSH does: ssh's stdin feeds the remote command line, the remote stdout and
        // stderr come back apart, and ssh exits with the remote status.
        let saved = std::mem::take(&mut self.terminal);
        for warning in &script.warnings {
            self.terminal.push_str(&format!("{warning}\n"));
        }
        self.remote_stdin = Some(stdin.to_string());
        let frames = self.session.frames.len();
        let outer_remote = self.remote_frames.replace(frames);
        let mut sub = SubCapture::default();
        let mut status = 0;
        for item in &script.items {
            if self.exiting {
                break;
            }
            status = self.run_and_or_capture(&item.and_or, &mut sub);
            self.frame_mut().last_exit = status;
        }
        self.remote_stdin = None;
        self.remote_frames = outer_remote;
        let stderr = std::mem::replace(&mut self.terminal, saved);
        self.exiting = false;
        // Back to the shell ssh was typed in, whatever the remote line did (`ssh` in it too).
        self.session.frames.truncate(frames - 1);
        Output {
            stdout: sub.stdout,
            stderr,
            code: status,
            stderr_after: Vec::new(),
        }
    }

    /// A word expanded to one string: no field splitting, no globbing (assignments, redirect
    /// targets, here-documents, `[[`-free contexts).
    fn expand_string(&mut self, word: &Word) -> Result<String, String> {
        let mut out = String::new();
        for part in &word.parts {
            match part {
                WordPart::Literal { text, .. } => out.push_str(text),
                WordPart::Tilde { user } => out.push_str(&self.tilde(user)),
                WordPart::Param { name, op, .. } => out.push_str(&self.param(name, op.as_ref())?),
                WordPart::CommandSubst { script, .. } => out.push_str(&self.substitute(script)?),
                WordPart::Arith { expr, .. } => out.push_str(&self.arith_expansion(expr)?),
            }
        }
        Ok(out)
    }

    /// A word expanded to fields: unquoted expansions are split on whitespace and unquoted
    /// glob characters match files.
    fn expand_fields(&mut self, word: &Word) -> Result<Vec<String>, String> {
        // Each field is a list of (text, quoted) pieces so globbing knows what was quoted.
        let mut fields: Vec<Vec<(String, bool)>> = vec![Vec::new()];
        let mut had_quoted = false;
        for part in &word.parts {
            // "$@": each positional parameter is a field of its own, none when there are none.
            if let WordPart::Param {
                name,
                op: None,
                quoted: true,
            } = part
            {
                if name == "@" {
                    for (idx, arg) in self.positional.iter().enumerate() {
                        if idx > 0 {
                            fields.push(Vec::new());
                        }
                        fields
                            .last_mut()
                            .expect("never empty")
                            .push((arg.clone(), true));
                    }
                    continue;
                }
            }
            let (value, quoted, splittable) = match part {
                WordPart::Literal { text, quoted } => (text.clone(), *quoted, false),
                WordPart::Tilde { user } => (self.tilde(user), true, false),
                WordPart::Param { name, op, quoted } => {
                    (self.param(name, op.as_ref())?, *quoted, !*quoted)
                }
                WordPart::CommandSubst { script, quoted } => {
                    (self.substitute(script)?, *quoted, !*quoted)
                }
                WordPart::Arith { expr, quoted } => (self.arith_expansion(expr)?, *quoted, false),
            };
            if quoted {
                had_quoted = true;
            }
            if !splittable {
                fields
                    .last_mut()
                    .expect("never empty")
                    .push((value, quoted));
                continue;
            }
            let starts_blank = value.starts_with(char::is_whitespace);
            let ends_blank = value.ends_with(char::is_whitespace);
            let pieces: Vec<&str> = value.split_whitespace().collect();
            if pieces.is_empty() {
                if starts_blank && !fields.last().expect("never empty").is_empty() {
                    fields.push(Vec::new());
                }
                continue;
            }
            if starts_blank && !fields.last().expect("never empty").is_empty() {
                fields.push(Vec::new());
            }
            for (idx, piece) in pieces.iter().enumerate() {
                if idx > 0 {
                    fields.push(Vec::new());
                }
                fields
                    .last_mut()
                    .expect("never empty")
                    .push((piece.to_string(), true));
            }
            if ends_blank {
                fields.push(Vec::new());
            }
        }
        let mut out = Vec::new();
        for field in fields {
            if field.is_empty() {
                continue;
            }
            let has_glob = field
                .iter()
                .any(|(text, quoted)| !quoted && text.contains(['*', '?', '[']));
            let text: String = field.iter().map(|(t, _)| t.as_str()).collect();
            if has_glob {
                let matches = self.glob(&field);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(text);
        }
        if out.is_empty()
            && had_quoted
            && word.parts.iter().all(|p| {
                !matches!(
                    p,
                    WordPart::Param { quoted: false, .. }
                        | WordPart::CommandSubst { quoted: false, .. }
                )
            })
        {
            out.push(String::new());
        }
        Ok(out)
    }

    fn tilde(&self, user: &str) -> String {
        match user {
            "" | "root" => "/root".to_string(),
            other => format!("~{other}"),
        }
    }

    /// A parameter's value, with the `${...}` operators.
    fn param(&mut self, name: &str, op: Option<&ParamOp>) -> Result<String, String> {
        let value: Option<String> = match name {
            "?" => Some(self.frame().last_exit.to_string()),
            "$" => Some(self.frame().pid.to_string()),
            "#" => Some(self.positional.len().to_string()),
            "0" => Some("bash".to_string()),
            "@" | "*" => Some(self.positional.join(" ")),
            "-" | "!" => Some(String::new()),
            _ if name.chars().all(|c| c.is_ascii_digit()) => name
                .parse::<usize>()
                .ok()
                .and_then(|n| self.positional.get(n.checked_sub(1)?).cloned()),
            _ => self.frame().vars.get(name).cloned(),
        };
        let Some(op) = op else {
            return Ok(value.unwrap_or_default());
        };
        let set = |colon: bool| match &value {
            Some(v) => !(colon && v.is_empty()),
            None => false,
        };
        match op {
            ParamOp::Length => Ok(value.unwrap_or_default().chars().count().to_string()),
            ParamOp::Default { colon, word } => {
                if set(*colon) {
                    Ok(value.unwrap_or_default())
                } else {
                    self.expand_string(word)
                }
            }
            ParamOp::Assign { colon, word } => {
                if set(*colon) {
                    Ok(value.unwrap_or_default())
                } else {
                    let v = self.expand_string(word)?;
                    self.frame_mut().vars.insert(name.to_string(), v.clone());
                    Ok(v)
                }
            }
            ParamOp::Alternative { colon, word } => {
                if set(*colon) {
                    self.expand_string(word)
                } else {
                    Ok(String::new())
                }
            }
            ParamOp::Error { colon, word } => {
                if set(*colon) {
                    Ok(value.unwrap_or_default())
                } else {
                    let message = self.expand_string(word)?;
                    let message = if message.is_empty() {
                        "parameter null or not set".to_string()
                    } else {
                        message
                    };
                    Err(format!("bash: {name}: {message}"))
                }
            }
            ParamOp::RemovePrefix { longest, pattern } => {
                let v = value.unwrap_or_default();
                let pattern = self.expand_string(pattern)?;
                let cuts: Vec<usize> = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect();
                let candidates: Box<dyn Iterator<Item = &usize>> = if *longest {
                    Box::new(cuts.iter().rev())
                } else {
                    Box::new(cuts.iter())
                };
                for &cut in candidates {
                    if glob_match(&pattern, &v[..cut]) {
                        return Ok(v[cut..].to_string());
                    }
                }
                Ok(v)
            }
            ParamOp::RemoveSuffix { longest, pattern } => {
                let v = value.unwrap_or_default();
                let pattern = self.expand_string(pattern)?;
                let cuts: Vec<usize> = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect();
                let candidates: Box<dyn Iterator<Item = &usize>> = if *longest {
                    Box::new(cuts.iter())
                } else {
                    Box::new(cuts.iter().rev())
                };
                for &cut in candidates {
                    if glob_match(&pattern, &v[cut..]) {
                        return Ok(v[..cut].to_string());
                    }
                }
                Ok(v)
            }
        }
    }

    /// `$(...)`: runs the script, captures its stdout, drops trailing newlines.
    fn substitute(&mut self, script: &Script) -> Result<String, String> {
        if self.depth >= MAX_DEPTH {
            self.abandon = true;
            return Err("bash: maximum command substitution depth exceeded".to_string());
        }
        self.depth += 1;
        let saved_capture = self.stdout_capture.take();
        let saved_terminal = std::mem::take(&mut self.terminal);
        let saved_frame = self.session.frame().clone();
        let frames = self.session.frames.len();
        // Stderr inside $( ) still reaches the terminal; only stdout is captured.
        let mut sub = SubCapture::default();
        for item in &script.items {
            if self.abandon {
                break;
            }
            let status = self.run_and_or_capture(&item.and_or, &mut sub);
            self.frame_mut().last_exit = status;
        }
        let status = self.frame().last_exit;
        self.session.frames.truncate(frames);
        *self.frame_mut() = Frame {
            last_exit: status,
            ..saved_frame
        };
        self.exiting = false;
        let stderr = std::mem::replace(&mut self.terminal, saved_terminal);
        self.terminal.push_str(&stderr);
        self.stdout_capture = saved_capture;
        self.depth -= 1;
        if self.abandon {
            // The line is abandoned: nothing after this substitution runs.
            return Err(String::new());
        }
        Ok(sub.stdout.trim_end_matches('\n').to_string())
    }

    fn run_and_or_capture(&mut self, and_or: &AndOr, sub: &mut SubCapture) -> i32 {
        // The last pipeline's final command writes to a pipe we keep.
        let mut status = self.run_pipeline_capture(&and_or.first, sub);
        for (op, pipeline) in &and_or.rest {
            if self.unwinding() {
                break;
            }
            let run = match op {
                AndOrOp::And => status == 0,
                AndOrOp::Or => status != 0,
            };
            if run {
                status = self.run_pipeline_capture(pipeline, sub);
            }
        }
        status
    }

    fn run_pipeline_capture(&mut self, pipeline: &Pipeline, sub: &mut SubCapture) -> i32 {
        // A remote command line reads ssh's stdin; its first command takes it.
        let mut stdin = self.remote_stdin.take().unwrap_or_default();
        let mut status = 0;
        for (idx, command) in pipeline.commands.iter().enumerate() {
            let outer = std::mem::replace(&mut self.peers, pipeline_peers(pipeline, idx));
            let (code, piped) = self.run_command(command, std::mem::take(&mut stdin), true);
            self.peers = outer;
            status = code;
            stdin = piped;
            if self.abandon {
                break;
            }
        }
        sub.stdout.push_str(&stdin);
        if pipeline.negated {
            status = i32::from(status == 0);
        }
        status
    }

    /// Pathname expansion of one field; sorted matches, or nothing.
    fn glob(&self, field: &[(String, bool)]) -> Vec<String> {
        // Build a pattern where quoted glob characters are escaped.
        let mut pattern = String::new();
        for (text, quoted) in field {
            for c in text.chars() {
                if *quoted && matches!(c, '*' | '?' | '[' | ']' | '\\') {
                    pattern.push('\\');
                }
                pattern.push(c);
            }
        }
        let absolute = pattern.starts_with('/');
        let base = if absolute {
            "/".to_string()
        } else {
            self.frame().cwd.clone()
        };
        let fs = &self.cluster.host(self.frame().host).node.fs;
        let mut candidates: Vec<(String, String)> = vec![(base.clone(), String::new())];
        for component in pattern.split('/').filter(|c| !c.is_empty()) {
            let mut next = Vec::new();
            let is_glob = component.contains(['*', '?', '[']);
            for (dir, shown) in &candidates {
                let join = |name: &str| {
                    let full = if dir.ends_with('/') {
                        format!("{dir}{name}")
                    } else {
                        format!("{dir}/{name}")
                    };
                    let shown = if shown.is_empty() {
                        if absolute {
                            format!("/{name}")
                        } else {
                            name.to_string()
                        }
                    } else {
                        format!("{shown}/{name}")
                    };
                    (full, shown)
                };
                if !is_glob {
                    let literal = unescape(component);
                    let (full, shown) = join(&literal);
                    if fs.lstat(&full).is_ok() {
                        next.push((full, shown));
                    }
                    continue;
                }
                let Ok(entries) = fs.read_dir(dir) else {
                    continue;
                };
                for entry in entries {
                    if entry.name.starts_with('.') && !component.starts_with('.') {
                        continue;
                    }
                    if glob_match(component, &entry.name) {
                        next.push(join(&entry.name));
                    }
                }
            }
            candidates = next;
        }
        let mut out: Vec<String> = candidates.into_iter().map(|(_, shown)| shown).collect();
        crate::sort::sort(&mut out);
        out
    }
}

/// The simple commands of `pipeline` other than the one at `current`, each as its words
/// (unexpanded, quotes removed): what `ps` shows for the processes running beside it.
fn pipeline_peers(pipeline: &Pipeline, current: usize) -> Vec<String> {
    if pipeline.commands.len() < 2 {
        return Vec::new();
    }
    pipeline
        .commands
        .iter()
        .enumerate()
        .filter(|(idx, _)| *idx != current)
        .filter_map(|(_, command)| match command {
            Command::Simple(simple) if !simple.words.is_empty() => Some(
                simple
                    .words
                    .iter()
                    .map(|w| w.literal_text().unwrap_or_else(|| w.to_string()))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        })
        .collect()
}

#[derive(Debug, Default)]
struct SubCapture {
    stdout: String,
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Shell pattern matching (`fnmatch`): `*`, `?`, `[...]` with ranges and `!`/`^`, `\` escapes.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    match_from(&p, &t)
}

fn match_from(p: &[char], t: &[char]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, len)) = class_match(&p[pi..], t[ti]) {
                        if matched {
                            pi += len;
                            ti += 1;
                            continue;
                        }
                    } else if t[ti] == '[' {
                        pi += 1;
                        ti += 1;
                        continue;
                    }
                }
                '\\' if pi + 1 < p.len() && p[pi + 1] == t[ti] => {
                    pi += 2;
                    ti += 1;
                    continue;
                }
                c if c == t[ti] => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => (),
            }
        }
        match star {
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Matches `c` against the class at the start of `p`; `None` if `p` is not a class.
fn class_match(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

/// bash's builtin `echo`: `-n`, `-e`, `-E`.
fn builtin_echo(argv: &[String]) -> Output {
    let mut newline = true;
    let mut escapes = false;
    let mut idx = 1;
    while idx < argv.len() {
        let arg = &argv[idx];
        if arg.len() > 1 && arg.starts_with('-') && arg[1..].chars().all(|c| "neE".contains(c)) {
            for c in arg[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            idx += 1;
        } else {
            break;
        }
    }
    let mut text = argv[idx..].join(" ");
    if escapes {
        text = interpret_escapes(&text);
    }
    if newline {
        text.push('\n');
    }
    Output::ok(text)
}

fn interpret_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('e') => out.push('\x1b'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// bash's builtin `printf` for `%s`, `%d`, `%%` and escapes; the format is reused while
/// arguments remain.
fn builtin_printf(argv: &[String]) -> Output {
    let Some(format) = argv.get(1) else {
        return Output::err("printf: usage: printf [-v var] format [arguments]\n", 2);
    };
    let format = interpret_escapes(format);
    let mut args = argv[2..].iter();
    let mut out = String::new();
    loop {
        let mut used = false;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => out.push('%'),
                Some('s') => {
                    used = true;
                    out.push_str(args.next().map(String::as_str).unwrap_or(""));
                }
                Some('d') | Some('i') => {
                    used = true;
                    let arg = args.next().map(String::as_str).unwrap_or("0");
                    out.push_str(&arg.parse::<i64>().unwrap_or(0).to_string());
                }
                Some(other) => {
                    out.push('%');
                    out.push(other);
                }
                None => out.push('%'),
            }
        }
        if !used || args.len() == 0 {
            break;
        }
    }
    Output::ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.yaml", "etcd.yaml"));
        assert!(!glob_match("*.yaml", "etcd.yml"));
        assert!(glob_match("kube-*", "kube-apiserver.yaml"));
        assert!(glob_match("?tcd*", "etcd.yaml"));
        assert!(glob_match("[a-f]*", "etcd"));
        assert!(!glob_match("[!a-f]*", "etcd"));
        assert!(glob_match("a\\*", "a*"));
        assert!(!glob_match("a\\*", "ab"));
    }

    #[test]
    fn echo_and_printf() {
        let argv = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(builtin_echo(&argv("echo -n hi there")).stdout, "hi there");
        assert_eq!(builtin_echo(&argv("echo -e a\\tb")).stdout, "a\tb\n");
        assert_eq!(
            builtin_printf(&argv("printf %s-%d\\n x 3 y 4")).stdout,
            "x-3\ny-4\n"
        );
    }
}
