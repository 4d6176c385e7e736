//! Runs a compiled script: the shell's expansions, the common utilities a container script
//! calls (`echo`, `sleep`, `date`, `touch`, `cat`, ...), and suspension at `sleep`.
//!
//! Simplified: pipelines pass text from one command to the next after it finishes; a command
//! started with `&` runs in the foreground; a loop that never sleeps is parked for one virtual
//! second every 1,000 steps, so a busy loop cannot stall the simulation; `kubectl exec` and exec
//! probes cannot wait, so `sleep` returns at once there.

use std::collections::BTreeMap;

use crate::node::fs::Fs;
use crate::node::runtime::images::Shell;
use crate::node::runtime::rootfs::{normalize, FileError, RootFs};
use crate::node::runtime::script::parse::{compile, Instr, Program, RedirectOp, Seg, Simple, Word};
use crate::sim::{wallclock, SimDuration, SimTime};

/// Which stream a piece of output went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl Stream {
    /// The name in CRI log lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// What a script needs from the container it runs in.
pub struct Sys<'a> {
    /// The current time.
    pub now: SimTime,
    /// The host's filesystem (mounted volumes reach it).
    pub host: &'a mut Fs,
    /// The container's filesystem.
    pub root: &'a mut RootFs,
    /// The image's `/bin/sh` (for error wording).
    pub shell: Shell,
    /// The image's own programs (`nginx`, `redis-server`...).
    pub programs: &'static [&'static str],
    /// Output written so far, in order.
    pub output: Vec<(Stream, String)>,
    /// `kubectl exec`/probe mode: nothing may wait, so `sleep` returns at once.
    pub exec_mode: bool,
}

/// Why a script stopped running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Yield {
    /// It sleeps until this time.
    Sleep(SimTime),
    /// It exited with this code.
    Exit(i32),
    /// It runs one of the image's programs in the foreground; resume with its status.
    Exec(Vec<String>),
    /// It waits for something that never comes (`sleep infinity`, `tail -f`).
    Forever,
}

/// Steps a script may take before it is parked for a second.
const STEP_BUDGET: u32 = 1000;

/// A running script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interp {
    program: Program,
    pc: usize,
    status: i32,
    vars: BTreeMap<String, String>,
    args: Vec<String>,
    slots: Vec<(Vec<String>, usize)>,
    trap_term: Option<String>,
    term_pending: bool,
    /// Whether `exit` ended it (rather than running out of commands).
    exited: bool,
}

/// The outcome of one command.
enum Flow {
    Status(i32),
    Sleep(SimDuration),
    Exit(i32),
    Exec(Vec<String>),
    Forever,
}

impl Interp {
    /// A script with the container's environment; `args[0]` is `$0`.
    pub fn new(program: Program, env: &[(String, String)], args: Vec<String>) -> Interp {
        let mut vars: BTreeMap<String, String> = env.iter().cloned().collect();
        vars.entry("PWD".into()).or_insert_with(|| "/".into());
        vars.entry("HOME".into()).or_insert_with(|| "/root".into());
        let slots = vec![(Vec::new(), 0); program.slots];
        Interp {
            program,
            pc: 0,
            status: 0,
            vars,
            args,
            slots,
            trap_term: None,
            term_pending: false,
            exited: false,
        }
    }

    /// Compiles and prepares `sh -c TEXT`.
    pub fn from_text(
        text: &str,
        env: &[(String, String)],
        args: Vec<String>,
    ) -> Result<Interp, String> {
        Ok(Interp::new(compile(text)?, env, args))
    }

    /// Delivers SIGTERM: true if a trap will handle it (when the current command returns).
    pub fn sigterm(&mut self) -> bool {
        if self.trap_term.is_some() {
            self.term_pending = true;
            true
        } else {
            false
        }
    }

    /// Resumes after a foreground program exited with `status`.
    pub fn resume_with(&mut self, status: i32) {
        self.status = status;
    }

    /// Runs until the script sleeps, exits or blocks.
    pub fn run(&mut self, sys: &mut Sys<'_>) -> Yield {
        if self.term_pending {
            self.term_pending = false;
            if let Some(handler) = self.trap_term.clone() {
                if let Some(code) = self.run_nested(&handler, sys) {
                    return Yield::Exit(code);
                }
            }
        }
        let mut steps = 0;
        while self.pc < self.program.code.len() {
            steps += 1;
            if steps > STEP_BUDGET && !sys.exec_mode {
                return Yield::Sleep(sys.now + SimDuration::from_secs(1));
            }
            if sys.exec_mode && steps > STEP_BUDGET * 10 {
                return Yield::Exit(124);
            }
            let instr = self.program.code[self.pc].clone();
            self.pc += 1;
            match instr {
                Instr::Jump(t) => self.pc = t,
                Instr::JumpIfFalse(t) => {
                    if self.status != 0 {
                        self.pc = t;
                    }
                }
                Instr::JumpIfTrue(t) => {
                    if self.status == 0 {
                        self.pc = t;
                    }
                }
                Instr::SetStatus(s) => self.status = s,
                Instr::ForInit { slot, words } => {
                    let mut items = Vec::new();
                    for w in &words {
                        items.extend(self.expand(w, sys));
                    }
                    self.slots[slot] = (items, 0);
                }
                Instr::ForNext { slot, var, end } => {
                    let (items, idx) = &mut self.slots[slot];
                    if let Some(item) = items.get(*idx).cloned() {
                        *idx += 1;
                        self.vars.insert(var, item);
                    } else {
                        self.pc = end;
                    }
                }
                Instr::Run {
                    pipeline,
                    negate,
                    background: _,
                } => match self.run_pipeline(&pipeline, sys) {
                    Flow::Status(s) => {
                        self.status = if negate { i32::from(s == 0) } else { s };
                    }
                    Flow::Sleep(d) => {
                        self.status = 0;
                        if sys.exec_mode {
                            continue;
                        }
                        return Yield::Sleep(sys.now + d);
                    }
                    Flow::Exit(code) => {
                        self.pc = self.program.code.len();
                        self.exited = true;
                        return Yield::Exit(code);
                    }
                    Flow::Exec(argv) => return Yield::Exec(argv),
                    Flow::Forever => {
                        if sys.exec_mode {
                            return Yield::Exit(124);
                        }
                        return Yield::Forever;
                    }
                },
            }
        }
        Yield::Exit(self.status)
    }

    /// Runs a trap handler or command substitution to completion; `Some(code)` if it exited.
    fn run_nested(&mut self, text: &str, sys: &mut Sys<'_>) -> Option<i32> {
        let Ok(program) = compile(text) else {
            return None;
        };
        let mut nested = Interp::new(program, &[], self.args.clone());
        nested.vars = self.vars.clone();
        let was = sys.exec_mode;
        sys.exec_mode = true;
        let outcome = nested.run(sys);
        sys.exec_mode = was;
        self.vars = nested.vars;
        match outcome {
            Yield::Exit(code) if nested.exited => Some(code),
            _ => None,
        }
    }

    fn run_pipeline(&mut self, pipeline: &[Simple], sys: &mut Sys<'_>) -> Flow {
        let mut stdin: Option<String> = None;
        let last = pipeline.len() - 1;
        let mut flow = Flow::Status(0);
        for (i, cmd) in pipeline.iter().enumerate() {
            let capture = i < last;
            let start = sys.output.len();
            flow = self.run_simple(cmd, stdin.take(), sys);
            if capture {
                let mut text = String::new();
                let mut kept = Vec::new();
                for (stream, chunk) in sys.output.drain(start..) {
                    if stream == Stream::Stdout {
                        text.push_str(&chunk);
                    } else {
                        kept.push((stream, chunk));
                    }
                }
                sys.output.extend(kept);
                stdin = Some(text);
                if let Flow::Exit(_) | Flow::Exec(_) | Flow::Forever | Flow::Sleep(_) = flow {
                    flow = Flow::Status(0);
                }
            }
        }
        flow
    }

    /// Expands a word into fields.
    fn expand(&mut self, word: &Word, sys: &mut Sys<'_>) -> Vec<String> {
        let mut fields: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut have = false;
        for (seg, quoted) in &word.segs {
            let text = match seg {
                Seg::Lit(t) => t.clone(),
                Seg::Var(name) => self.var(name),
                Seg::CmdSub(script) => self.command_substitution(script, sys),
                Seg::Arith(expr) => arith(expr, &self.vars).to_string(),
            };
            if *quoted || matches!(seg, Seg::Lit(_)) {
                current.push_str(&text);
                have = true;
                continue;
            }
            let mut parts = text.split(|c: char| c.is_ascii_whitespace()).peekable();
            let starts_with_space = text.starts_with(|c: char| c.is_ascii_whitespace());
            if starts_with_space && have {
                fields.push(std::mem::take(&mut current));
                have = false;
            }
            while let Some(part) = parts.next() {
                if !part.is_empty() {
                    current.push_str(part);
                    have = true;
                }
                if parts.peek().is_some() && have {
                    fields.push(std::mem::take(&mut current));
                    have = false;
                }
            }
        }
        if have {
            fields.push(current);
        }
        fields
    }

    fn expand_one(&mut self, word: &Word, sys: &mut Sys<'_>) -> String {
        self.expand(word, sys).join(" ")
    }

    fn var(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "$" | "!" => "1".into(),
            "#" => self.args.len().saturating_sub(1).to_string(),
            "@" | "*" => self
                .args
                .iter()
                .skip(1)
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().unwrap_or(usize::MAX);
                self.args.get(i).cloned().unwrap_or_default()
            }
            n => self.vars.get(n).cloned().unwrap_or_default(),
        }
    }

    fn command_substitution(&mut self, script: &str, sys: &mut Sys<'_>) -> String {
        let start = sys.output.len();
        let Ok(program) = compile(script) else {
            return String::new();
        };
        let mut nested = Interp::new(program, &[], self.args.clone());
        nested.vars = self.vars.clone();
        let was = sys.exec_mode;
        sys.exec_mode = true;
        let _ = nested.run(sys);
        sys.exec_mode = was;
        let mut out = String::new();
        let mut kept = Vec::new();
        for (stream, chunk) in sys.output.drain(start..) {
            if stream == Stream::Stdout {
                out.push_str(&chunk);
            } else {
                kept.push((stream, chunk));
            }
        }
        sys.output.extend(kept);
        self.status = nested.status;
        out.trim_end_matches('\n').to_string()
    }

    fn resolve(&self, path: &str) -> String {
        if path.starts_with('/') {
            normalize(path)
        } else {
            normalize(&format!("{}/{path}", self.var("PWD")))
        }
    }

    fn run_simple(&mut self, cmd: &Simple, stdin: Option<String>, sys: &mut Sys<'_>) -> Flow {
        let mut argv: Vec<String> = Vec::new();
        for w in &cmd.words {
            argv.extend(self.expand(w, sys));
        }
        let assigns: Vec<(String, String)> = cmd
            .assigns
            .iter()
            .map(|(n, w)| (n.clone(), self.expand_one(w, sys)))
            .collect();
        if argv.is_empty() {
            for (n, v) in assigns {
                self.vars.insert(n, v);
            }
            return Flow::Status(0);
        }
        // Redirections: where stdout and stderr go.
        let mut stdout_file: Option<(String, bool)> = None;
        let mut stderr_file: Option<(String, bool)> = None;
        let mut stderr_to_stdout = false;
        let mut stdout_to_stderr = false;
        let mut stdin = stdin;
        for r in &cmd.redirects {
            let target = self.expand_one(&r.target, sys);
            match (&r.op, r.fd) {
                (RedirectOp::Write | RedirectOp::Append, fd) => {
                    let append = r.op == RedirectOp::Append;
                    let path = self.resolve(&target);
                    if path != "/dev/null" && path != "/dev/stdout" && path != "/dev/stderr" {
                        if let Err(err) = sys.root.write(sys.host, sys.now, &path, "", true) {
                            self.error(sys, &format!("can't create {target}: {}", err.text()));
                            return Flow::Status(2);
                        }
                        if !append {
                            let _ = sys.root.write(sys.host, sys.now, &path, "", false);
                        }
                    }
                    let slot = Some((path, true));
                    if fd == 2 {
                        stderr_file = slot;
                    } else {
                        stdout_file = slot;
                    }
                }
                (RedirectOp::Read, _) => match sys.root.read(sys.host, &self.resolve(&target)) {
                    Ok(text) => stdin = Some(text),
                    Err(err) => {
                        self.error(sys, &format!("can't open {target}: {}", err.text()));
                        return Flow::Status(2);
                    }
                },
                (RedirectOp::Dup(1), 2) => stderr_to_stdout = true,
                (RedirectOp::Dup(2), 1) => stdout_to_stderr = true,
                (RedirectOp::Dup(_), _) => (),
            }
        }
        if stderr_to_stdout && stderr_file.is_none() {
            stderr_file = stdout_file.clone();
        }
        let start = sys.output.len();
        let saved: Vec<(String, Option<String>)> = assigns
            .iter()
            .map(|(n, _)| (n.clone(), self.vars.get(n).cloned()))
            .collect();
        for (n, v) in &assigns {
            self.vars.insert(n.clone(), v.clone());
        }
        let flow = self.command(&argv, stdin.unwrap_or_default(), sys);
        for (n, old) in saved {
            match old {
                Some(v) => self.vars.insert(n, v),
                None => self.vars.remove(&n),
            };
        }
        // Route what the command wrote.
        let written: Vec<(Stream, String)> = sys.output.drain(start..).collect();
        for (stream, chunk) in written {
            let stream = match stream {
                Stream::Stdout if stdout_to_stderr => Stream::Stderr,
                s => s,
            };
            let file = match stream {
                Stream::Stdout => &stdout_file,
                Stream::Stderr => &stderr_file,
            };
            match file {
                Some((path, _)) if path == "/dev/null" => (),
                Some((path, _)) if path == "/dev/stdout" => {
                    sys.output.push((Stream::Stdout, chunk))
                }
                Some((path, _)) if path == "/dev/stderr" => {
                    sys.output.push((Stream::Stderr, chunk))
                }
                Some((path, _)) => {
                    let _ = sys.root.write(sys.host, sys.now, path, &chunk, true);
                }
                None => sys.output.push((stream, chunk)),
            }
        }
        flow
    }

    fn out(&self, sys: &mut Sys<'_>, text: impl Into<String>) {
        sys.output.push((Stream::Stdout, text.into()));
    }

    fn error(&self, sys: &mut Sys<'_>, text: &str) {
        let prefix = match sys.shell {
            Shell::Dash => "sh: 1: ",
            _ => "sh: ",
        };
        sys.output
            .push((Stream::Stderr, format!("{prefix}{text}\n")));
    }

    fn tool_error(&self, sys: &mut Sys<'_>, tool: &str, text: &str) {
        sys.output
            .push((Stream::Stderr, format!("{tool}: {text}\n")));
    }

    /// Runs one command: a builtin, a utility, or one of the image's programs.
    fn command(&mut self, argv: &[String], stdin: String, sys: &mut Sys<'_>) -> Flow {
        let name = argv[0].rsplit('/').next().unwrap_or("").to_string();
        let args = &argv[1..];
        match name.as_str() {
            ":" | "true" => Flow::Status(0),
            "false" => Flow::Status(1),
            "exit" => Flow::Exit(
                args.first()
                    .and_then(|a| a.parse::<i32>().ok())
                    .map_or(self.status, |c| c & 0xff),
            ),
            "echo" => {
                let mut newline = true;
                let mut escapes = sys.shell == Shell::Dash;
                let mut rest = args;
                while let Some(flag) = rest.first() {
                    match flag.as_str() {
                        "-n" => newline = false,
                        "-e" => escapes = true,
                        "-E" => escapes = false,
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                let mut text = rest.join(" ");
                if escapes {
                    text = unescape(&text);
                }
                if newline {
                    text.push('\n');
                }
                self.out(sys, text);
                Flow::Status(0)
            }
            "printf" => {
                let Some(format) = args.first() else {
                    self.tool_error(sys, "printf", "usage: printf FORMAT [ARGUMENT...]");
                    return Flow::Status(1);
                };
                let text = printf(format, &args[1..]);
                self.out(sys, text);
                Flow::Status(0)
            }
            "sleep" => match parse_sleep(args) {
                Ok(None) => Flow::Forever,
                Ok(Some(d)) => Flow::Sleep(d),
                Err(arg) => {
                    self.tool_error(sys, "sleep", &format!("invalid number '{arg}'"));
                    Flow::Status(1)
                }
            },
            "export" => {
                for a in args {
                    if let Some((n, v)) = a.split_once('=') {
                        self.vars.insert(n.into(), v.into());
                    }
                }
                Flow::Status(0)
            }
            "unset" => {
                for a in args {
                    self.vars.remove(a);
                }
                Flow::Status(0)
            }
            "cd" => {
                let target = self.resolve(args.first().map_or("/root", String::as_str));
                if sys.root.kind_of(sys.host, &target) == Some(true) {
                    self.vars.insert("PWD".into(), target);
                    Flow::Status(0)
                } else {
                    self.error(
                        sys,
                        &format!(
                            "cd: can't cd to {}",
                            args.first().cloned().unwrap_or_default()
                        ),
                    );
                    Flow::Status(2)
                }
            }
            "pwd" => {
                let pwd = self.var("PWD");
                self.out(sys, format!("{pwd}\n"));
                Flow::Status(0)
            }
            "trap" => {
                if args.len() >= 2 {
                    let handler = args[0].clone();
                    for sig in &args[1..] {
                        if matches!(sig.as_str(), "TERM" | "SIGTERM" | "15") {
                            self.trap_term = (handler != "-").then(|| handler.clone());
                        }
                    }
                }
                Flow::Status(0)
            }
            "wait" => Flow::Status(0),
            "kill" => Flow::Status(0),
            "read" => {
                let line = stdin.lines().next();
                if let (Some(line), Some(var)) = (line, args.iter().find(|a| !a.starts_with('-'))) {
                    self.vars.insert(var.clone(), line.to_string());
                    Flow::Status(0)
                } else {
                    Flow::Status(1)
                }
            }
            "test" | "[" => {
                let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
                if name == "[" {
                    if args.last() != Some(&"]") {
                        self.error(sys, "[: missing ]");
                        return Flow::Status(2);
                    }
                    args.pop();
                }
                Flow::Status(i32::from(!self.test(&args, sys)))
            }
            _ => self.utility(&name, argv, stdin, sys),
        }
    }

    /// `test`'s expression.
    fn test(&self, args: &[&str], sys: &mut Sys<'_>) -> bool {
        match args {
            [] => false,
            ["!", rest @ ..] => !self.test(rest, sys),
            [s] => !s.is_empty(),
            ["-n", s] => !s.is_empty(),
            ["-z", s] => s.is_empty(),
            ["-e", p] => sys.root.kind_of(sys.host, &self.resolve(p)).is_some(),
            ["-f", p] => sys.root.kind_of(sys.host, &self.resolve(p)) == Some(false),
            ["-d", p] => sys.root.kind_of(sys.host, &self.resolve(p)) == Some(true),
            ["-s", p] => sys
                .root
                .read(sys.host, &self.resolve(p))
                .is_ok_and(|t| !t.is_empty()),
            [a, "=" | "==", b] => a == b,
            [a, "!=", b] => a != b,
            [a, op, b] => {
                let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) else {
                    return false;
                };
                match *op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    "-ge" => x >= y,
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// The programs under `/bin` and the image's own.
    fn utility(&mut self, name: &str, argv: &[String], stdin: String, sys: &mut Sys<'_>) -> Flow {
        let args = &argv[1..];
        let has_shell = sys.shell != Shell::None;
        if sys.programs.contains(&name) {
            return Flow::Exec(argv.to_vec());
        }
        if !has_shell {
            self.error(sys, &format!("{name}: not found"));
            return Flow::Status(127);
        }
        let files: Vec<&String> = args
            .iter()
            .filter(|a| !a.starts_with('-') || a.len() == 1)
            .collect();
        match name {
            "sh" | "bash" | "ash" | "dash" => {
                let script = match args {
                    [flag, text, rest @ ..] if flag == "-c" => {
                        let mut positional =
                            vec![rest.first().cloned().unwrap_or_else(|| "sh".into())];
                        positional.extend(rest.iter().skip(1).cloned());
                        Some((text.clone(), positional))
                    }
                    [] => None,
                    [file, ..] => match sys.root.read(sys.host, &self.resolve(file)) {
                        Ok(text) => Some((text, args.to_vec())),
                        Err(err) => {
                            self.tool_error(
                                sys,
                                name,
                                &format!("can't open '{file}': {}", err.text()),
                            );
                            return Flow::Status(2);
                        }
                    },
                };
                let Some((text, positional)) = script else {
                    // No script and no terminal: the shell reads an empty stdin and exits.
                    return Flow::Status(0);
                };
                let env: Vec<(String, String)> = self.vars.clone().into_iter().collect();
                match Interp::from_text(&text, &env, positional) {
                    Ok(mut nested) => {
                        let was = sys.exec_mode;
                        sys.exec_mode = true;
                        let y = nested.run(sys);
                        sys.exec_mode = was;
                        match y {
                            Yield::Exit(c) => Flow::Status(c),
                            Yield::Exec(argv) => Flow::Exec(argv),
                            Yield::Forever => Flow::Forever,
                            Yield::Sleep(_) => Flow::Status(0),
                        }
                    }
                    Err(err) => {
                        self.error(sys, &err);
                        Flow::Status(2)
                    }
                }
            }
            "touch" => {
                for f in files {
                    let path = self.resolve(f);
                    if let Err(err) = sys.root.write(sys.host, sys.now, &path, "", true) {
                        self.tool_error(sys, "touch", &format!("{f}: {}", err.text()));
                        return Flow::Status(1);
                    }
                }
                Flow::Status(0)
            }
            "rm" => {
                let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
                let recursive = args
                    .iter()
                    .any(|a| a.starts_with('-') && (a.contains('r') || a.contains('R')));
                let mut status = 0;
                for f in files {
                    match sys
                        .root
                        .remove(sys.host, sys.now, &self.resolve(f), recursive)
                    {
                        Ok(()) => (),
                        Err(FileError::NotFound) if force => (),
                        Err(err) => {
                            self.tool_error(
                                sys,
                                "rm",
                                &format!("can't remove '{f}': {}", err.text()),
                            );
                            status = 1;
                        }
                    }
                }
                Flow::Status(status)
            }
            "mkdir" => {
                let parents = args.iter().any(|a| a == "-p");
                for f in files {
                    if let Err(err) = sys.root.mkdir(sys.host, sys.now, &self.resolve(f), parents) {
                        self.tool_error(
                            sys,
                            "mkdir",
                            &format!("can't create directory '{f}': {}", err.text()),
                        );
                        return Flow::Status(1);
                    }
                }
                Flow::Status(0)
            }
            "cat" => {
                if files.is_empty() || files.iter().all(|f| *f == "-") {
                    self.out(sys, stdin);
                    return Flow::Status(0);
                }
                let mut status = 0;
                for f in files {
                    match sys.root.read(sys.host, &self.resolve(f)) {
                        Ok(text) => self.out(sys, text),
                        Err(err) => {
                            self.tool_error(
                                sys,
                                "cat",
                                &format!("can't open '{f}': {}", err.text()),
                            );
                            status = 1;
                        }
                    }
                }
                Flow::Status(status)
            }
            "ls" => {
                let targets: Vec<String> = if files.is_empty() {
                    vec![self.var("PWD")]
                } else {
                    files.iter().map(|f| f.to_string()).collect()
                };
                let mut status = 0;
                for t in targets {
                    match sys.root.list(sys.host, &self.resolve(&t)) {
                        Ok(names) => {
                            let text: String = names.iter().map(|n| format!("{n}\n")).collect();
                            self.out(sys, text);
                        }
                        Err(err) => {
                            self.tool_error(sys, "ls", &format!("{t}: {}", err.text()));
                            status = 1;
                        }
                    }
                }
                Flow::Status(status)
            }
            "date" => {
                let text = match args.iter().find(|a| a.starts_with('+')) {
                    Some(format) => strftime(sys.now, &format[1..]),
                    None => wallclock::date_string(sys.now),
                };
                self.out(sys, format!("{text}\n"));
                Flow::Status(0)
            }
            "hostname" => {
                let host = self.vars.get("HOSTNAME").cloned().unwrap_or_default();
                self.out(sys, format!("{host}\n"));
                Flow::Status(0)
            }
            "env" | "printenv" => {
                if let Some(var) = files.first() {
                    return match self.vars.get(var.as_str()).cloned() {
                        Some(v) => {
                            self.out(sys, format!("{v}\n"));
                            Flow::Status(0)
                        }
                        None => Flow::Status(1),
                    };
                }
                let text: String = self
                    .vars
                    .iter()
                    .map(|(k, v)| format!("{k}={v}\n"))
                    .collect();
                self.out(sys, text);
                Flow::Status(0)
            }
            "id" => {
                self.out(sys, "uid=0(root) gid=0(root) groups=0(root)\n");
                Flow::Status(0)
            }
            "whoami" => {
                self.out(sys, "root\n");
                Flow::Status(0)
            }
            "uname" => {
                let host = self.vars.get("HOSTNAME").cloned().unwrap_or_default();
                let text = if args.iter().any(|a| a == "-a") {
                    format!(
                        "Linux {host} {} {} x86_64 GNU/Linux\n",
                        crate::node::kernel::KERNEL_RELEASE,
                        crate::node::kernel::KERNEL_VERSION
                    )
                } else {
                    "Linux\n".into()
                };
                self.out(sys, text);
                Flow::Status(0)
            }
            "seq" => {
                let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
                let (from, to) = match nums.as_slice() {
                    [to] => (1, *to),
                    [from, to, ..] => (*from, *to),
                    _ => (1, 0),
                };
                let text: String = (from..=to.min(from + 100_000))
                    .map(|n| format!("{n}\n"))
                    .collect();
                self.out(sys, text);
                Flow::Status(0)
            }
            "head" | "tail" => {
                if name == "tail" && args.iter().any(|a| a == "-f" || a == "-F") {
                    return Flow::Forever;
                }
                let n: usize = args
                    .windows(2)
                    .find(|w| w[0] == "-n")
                    .and_then(|w| w[1].parse().ok())
                    .unwrap_or(10);
                let input = match files
                    .iter()
                    .find(|f| !f.starts_with('-') && f.parse::<usize>().is_err())
                {
                    Some(f) => match sys.root.read(sys.host, &self.resolve(f)) {
                        Ok(t) => t,
                        Err(err) => {
                            self.tool_error(
                                sys,
                                name,
                                &format!("can't open '{f}': {}", err.text()),
                            );
                            return Flow::Status(1);
                        }
                    },
                    None => stdin,
                };
                let lines: Vec<&str> = input.lines().collect();
                let chosen = if name == "head" {
                    &lines[..n.min(lines.len())]
                } else {
                    &lines[lines.len().saturating_sub(n)..]
                };
                let text: String = chosen.iter().map(|l| format!("{l}\n")).collect();
                self.out(sys, text);
                Flow::Status(0)
            }
            "wc" => {
                let lines = stdin.lines().count();
                self.out(sys, format!("{lines}\n"));
                Flow::Status(0)
            }
            "grep" => {
                let pattern = files.first().map(|s| s.to_string()).unwrap_or_default();
                let matched: String = stdin
                    .lines()
                    .filter(|l| l.contains(&pattern))
                    .map(|l| format!("{l}\n"))
                    .collect();
                let found = !matched.is_empty();
                if !args.iter().any(|a| a == "-q") {
                    self.out(sys, matched);
                }
                Flow::Status(i32::from(!found))
            }
            "tee" => {
                let append = args.iter().any(|a| a == "-a");
                for f in &files {
                    let _ = sys
                        .root
                        .write(sys.host, sys.now, &self.resolve(f), &stdin, append);
                }
                self.out(sys, stdin);
                Flow::Status(0)
            }
            "wget" | "curl" | "nc" | "nslookup" | "ping" => {
                let host = args
                    .iter()
                    .rev()
                    .find(|a| !a.starts_with('-'))
                    .map(|a| {
                        a.trim_start_matches("http://")
                            .trim_start_matches("https://")
                            .split(['/', ':'])
                            .next()
                            .unwrap_or_default()
                            .to_string()
                    })
                    .unwrap_or_default();
                // Simplified: the pod network carries no traffic between containers.
                self.tool_error(sys, name, &format!("bad address '{host}'"));
                Flow::Status(1)
            }
            _ => {
                self.error(sys, &format!("{name}: not found"));
                Flow::Status(127)
            }
        }
    }
}

/// `sleep`'s arguments as a total (`None`: `infinity`); the bad argument on error.
pub fn parse_sleep(args: &[String]) -> Result<Option<SimDuration>, String> {
    if args.is_empty() {
        return Err(String::new());
    }
    let mut total_ms: u64 = 0;
    for arg in args {
        if arg == "infinity" || arg == "inf" {
            return Ok(None);
        }
        let (num, unit) = match arg.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
            Some((i, _)) => (&arg[..i], &arg[i..]),
            None => (arg.as_str(), "s"),
        };
        let value: f64 = num.parse().map_err(|_| arg.clone())?;
        let factor = match unit {
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86400.0,
            _ => return Err(arg.clone()),
        };
        if value.is_nan() || value < 0.0 {
            return Err(arg.clone());
        }
        // Saturates: several huge operands mean "longer than the session", never a wrap.
        total_ms = total_ms.saturating_add((value * factor * 1000.0).round() as u64);
    }
    Ok(Some(SimDuration::from_millis(total_ms)))
}

/// `echo -e` / `printf` escapes.
fn unescape(text: &str) -> String {
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
            Some('c') => break,
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `printf FORMAT ARGS...` with `%s`, `%d`, `%%` and escapes; the format repeats while
/// arguments remain.
fn printf(format: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut next = 0;
    loop {
        let mut chars = unescape(format)
            .chars()
            .collect::<Vec<_>>()
            .into_iter()
            .peekable();
        let mut used = false;
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => out.push('%'),
                Some('s' | 'd' | 'i' | 'u') => {
                    out.push_str(args.get(next).map_or("", String::as_str));
                    next += 1;
                    used = true;
                }
                Some(other) => {
                    out.push('%');
                    out.push(other);
                }
                None => out.push('%'),
            }
        }
        if !used || next >= args.len() {
            break;
        }
    }
    out
}

/// `date +FORMAT` for the specifiers scripts use.
fn strftime(now: SimTime, format: &str) -> String {
    let ts = wallclock::timestamp(now);
    let zoned = ts.to_zoned(jiff::tz::TimeZone::UTC);
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('s') => out.push_str(&ts.as_second().to_string()),
            Some('N') => out.push_str(&format!("{:09}", ts.subsec_nanosecond())),
            Some(spec) => {
                let piece = jiff::fmt::strtime::format(format!("%{spec}"), &zoned)
                    .unwrap_or_else(|_| format!("%{spec}"));
                out.push_str(&piece);
            }
            None => out.push('%'),
        }
    }
    out
}

/// `$((...))`: integer arithmetic with variables; 0 on a malformed expression.
fn arith(expr: &str, vars: &BTreeMap<String, String>) -> i64 {
    let tokens: Vec<String> = {
        let mut toks = Vec::new();
        let chars: Vec<char> = expr.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_whitespace() {
                i += 1;
            } else if c.is_ascii_alphanumeric() || c == '_' || c == '$' {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '$')
                {
                    i += 1;
                }
                toks.push(chars[start..i].iter().collect());
            } else {
                let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
                if ["==", "!=", "<=", ">="].contains(&two.as_str()) {
                    toks.push(two);
                    i += 2;
                } else {
                    toks.push(c.to_string());
                    i += 1;
                }
            }
        }
        toks
    };
    let mut pos = 0;
    arith_cmp(&tokens, &mut pos, vars)
}

fn arith_cmp(t: &[String], pos: &mut usize, vars: &BTreeMap<String, String>) -> i64 {
    let left = arith_sum(t, pos, vars);
    if let Some(op) = t.get(*pos).map(String::as_str) {
        if ["==", "!=", "<", ">", "<=", ">="].contains(&op) {
            *pos += 1;
            let right = arith_sum(t, pos, vars);
            return i64::from(match op {
                "==" => left == right,
                "!=" => left != right,
                "<" => left < right,
                ">" => left > right,
                "<=" => left <= right,
                _ => left >= right,
            });
        }
    }
    left
}

fn arith_sum(t: &[String], pos: &mut usize, vars: &BTreeMap<String, String>) -> i64 {
    let mut value = arith_product(t, pos, vars);
    while let Some(op) = t.get(*pos).map(String::as_str) {
        match op {
            "+" => {
                *pos += 1;
                value = value.wrapping_add(arith_product(t, pos, vars));
            }
            "-" => {
                *pos += 1;
                value = value.wrapping_sub(arith_product(t, pos, vars));
            }
            _ => break,
        }
    }
    value
}

fn arith_product(t: &[String], pos: &mut usize, vars: &BTreeMap<String, String>) -> i64 {
    let mut value = arith_atom(t, pos, vars);
    while let Some(op) = t.get(*pos).map(String::as_str) {
        let rhs = match op {
            "*" | "/" | "%" => {
                *pos += 1;
                arith_atom(t, pos, vars)
            }
            _ => break,
        };
        value = match op {
            "*" => value.wrapping_mul(rhs),
            "/" if rhs != 0 => value / rhs,
            "%" if rhs != 0 => value % rhs,
            _ => 0,
        };
    }
    value
}

fn arith_atom(t: &[String], pos: &mut usize, vars: &BTreeMap<String, String>) -> i64 {
    let Some(tok) = t.get(*pos) else {
        return 0;
    };
    *pos += 1;
    match tok.as_str() {
        "(" => {
            let v = arith_cmp(t, pos, vars);
            if t.get(*pos).map(String::as_str) == Some(")") {
                *pos += 1;
            }
            v
        }
        "-" => -arith_atom(t, pos, vars),
        name => name.parse().unwrap_or_else(|_| {
            vars.get(name.trim_start_matches('$'))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::runtime::images::ImageKind;

    fn run_to_yield(
        script: &str,
        root: &mut RootFs,
        host: &mut Fs,
        now: SimTime,
    ) -> (Yield, String, Interp) {
        let mut interp = Interp::from_text(
            script,
            &[("HOSTNAME".into(), "web".into())],
            vec!["sh".into()],
        )
        .unwrap();
        let mut sys = Sys {
            now,
            host,
            root,
            shell: Shell::Ash,
            programs: &[],
            output: Vec::new(),
            exec_mode: false,
        };
        let y = interp.run(&mut sys);
        let text: String = sys.output.iter().map(|(_, t)| t.as_str()).collect();
        (y, text, interp)
    }

    #[test]
    fn a_loop_suspends_at_sleep_and_resumes_there() {
        let mut host = Fs::default();
        let mut root = RootFs::new(ImageKind::Busybox, "", "web", &[]);
        let (y, out, mut interp) = run_to_yield(
            "i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo tick $i; sleep 5; done; echo done; exit 3",
            &mut root,
            &mut host,
            SimTime::ZERO,
        );
        assert_eq!(y, Yield::Sleep(SimTime(5000)));
        assert_eq!(out, "tick 1\n");
        let mut outputs = Vec::new();
        let mut now = SimTime(5000);
        loop {
            let mut sys = Sys {
                now,
                host: &mut host,
                root: &mut root,
                shell: Shell::Ash,
                programs: &[],
                output: Vec::new(),
                exec_mode: false,
            };
            let y = interp.run(&mut sys);
            outputs.extend(sys.output.into_iter().map(|(_, t)| t));
            match y {
                Yield::Sleep(at) => now = at,
                other => {
                    assert_eq!(other, Yield::Exit(3));
                    break;
                }
            }
        }
        assert_eq!(outputs.concat(), "tick 2\ntick 3\ndone\n");
    }

    #[test]
    fn the_liveness_exec_example_creates_and_removes_its_file() {
        let mut host = Fs::default();
        let mut root = RootFs::new(ImageKind::Busybox, "", "web", &[]);
        let (y, _, _) = run_to_yield(
            "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
            &mut root,
            &mut host,
            SimTime::ZERO,
        );
        assert_eq!(y, Yield::Sleep(SimTime(30_000)));
        assert_eq!(root.kind_of(&host, "/tmp/healthy"), Some(false));
    }

    #[test]
    fn unknown_commands_and_redirections() {
        let mut host = Fs::default();
        let mut root = RootFs::new(ImageKind::Busybox, "", "web", &[]);
        let (y, out, _) = run_to_yield(
            "date > /tmp/d; nosuch 2>&1; cat /tmp/d; cat /missing",
            &mut root,
            &mut host,
            SimTime::ZERO,
        );
        assert_eq!(y, Yield::Exit(1));
        assert_eq!(
            out,
            "sh: nosuch: not found\nSun Nov 22 08:00:00 UTC 2026\ncat: can't open '/missing': No such file or directory\n"
        );
    }

    #[test]
    fn sleep_arguments() {
        let s = |a: &[&str]| parse_sleep(&a.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["3600"]), Ok(Some(SimDuration::from_secs(3600))));
        assert_eq!(s(&["1m", "30"]), Ok(Some(SimDuration::from_secs(90))));
        assert_eq!(s(&["0.5"]), Ok(Some(SimDuration::from_millis(500))));
        assert_eq!(s(&["infinity"]), Ok(None));
        assert_eq!(s(&["x"]), Err("x".into()));
    }

    #[test]
    fn arithmetic() {
        let mut vars = BTreeMap::new();
        vars.insert("i".to_string(), "4".to_string());
        assert_eq!(arith("i + 2 * 3", &vars), 10);
        assert_eq!(arith("(i + 2) % 4", &vars), 2);
        assert_eq!(arith("$i - 5", &vars), -1);
    }
}
