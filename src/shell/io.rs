//! What a command is given and what it gives back: the shell evaluator handles pipes and
//! redirections, so a command only reads `stdin` and writes `stdout`/`stderr`.

use std::collections::BTreeMap;

use crate::node::fs::Fs;
use crate::sim::{Rng, SimTime};

/// One command invocation: `argv[0]` is the command name as typed.
#[derive(Debug, Clone, Copy)]
pub struct Invocation<'a> {
    /// The words after expansion, `argv[0]` included.
    pub argv: &'a [String],
    /// Everything on standard input (a pipe, a redirect or a here-document; empty otherwise).
    pub stdin: &'a str,
}

/// What a command produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The exit status.
    pub code: i32,
    /// Standard error that comes after part of stdout: each text once the first `usize`
    /// bytes of stdout are written (a tool that reports per item as it goes).
    pub stderr_after: Vec<(usize, String)>,
}

impl Output {
    /// Success with this stdout.
    pub fn ok(stdout: impl Into<String>) -> Output {
        Output {
            stdout: stdout.into(),
            stderr: String::new(),
            code: 0,
            stderr_after: Vec::new(),
        }
    }

    /// Failure with this stderr and exit code.
    pub fn err(stderr: impl Into<String>, code: i32) -> Output {
        Output {
            stdout: String::new(),
            stderr: stderr.into(),
            code,
            stderr_after: Vec::new(),
        }
    }

    /// Writes `text` to stderr after everything written to stdout so far.
    pub fn stderr_after_stdout(&mut self, text: &str) {
        if !text.is_empty() {
            self.stderr_after
                .push((self.stdout.len(), text.to_string()));
        }
    }
}

/// The parts of the shell and host a filesystem command may use.
pub struct FsContext<'a> {
    /// The host's filesystem.
    pub fs: &'a mut Fs,
    /// The shell's working directory (absolute).
    pub cwd: &'a str,
    /// The virtual time (file mtimes, `date`).
    pub now: SimTime,
    /// The shell's environment variables.
    pub env: &'a BTreeMap<String, String>,
    /// The simulation's random generator (temporary file names).
    pub rng: &'a mut Rng,
    /// The hostname.
    pub host: &'a str,
}
