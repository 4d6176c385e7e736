//! Tests for the coreutils commands: a small harness that runs a command line against a
//! fresh filesystem, and one test module per command family with exact expected output.

mod files;
mod fuzz;
mod more;
mod text;

use std::collections::BTreeMap;

use crate::node::fs::{Fs, WriteMode};
use crate::shell::io::{FsContext, Invocation, Output};
use crate::sim::{Rng, SimTime};

/// A node for tests: a filesystem, a working directory, a clock and an environment.
pub(super) struct Node {
    pub(super) fs: Fs,
    pub(super) cwd: String,
    pub(super) now: SimTime,
    pub(super) env: BTreeMap<String, String>,
    pub(super) rng: Rng,
}

impl Node {
    /// An empty tree with `/root` as the working directory, at time zero.
    pub(super) fn new() -> Node {
        let mut fs = Fs::default();
        fs.mkdir_all(SimTime::ZERO, "/root").unwrap();
        let env = BTreeMap::from([
            ("HOME".to_string(), "/root".to_string()),
            ("PATH".to_string(), "/usr/bin:/bin".to_string()),
        ]);
        Node {
            fs,
            cwd: "/root".to_string(),
            now: SimTime::ZERO,
            env,
            rng: Rng::seeded(7),
        }
    }

    /// Writes `data` to `path`, creating parent directories.
    pub(super) fn put(&mut self, path: &str, data: &str) -> &mut Node {
        let parent = crate::node::fs::normalize(path, "..");
        self.fs.mkdir_all(self.now, &parent).unwrap();
        self.fs
            .write(self.now, path, data.as_bytes(), WriteMode::Truncate)
            .unwrap();
        self
    }

    /// Creates the directory `path` and its parents.
    pub(super) fn dir(&mut self, path: &str) -> &mut Node {
        self.fs.mkdir_all(self.now, path).unwrap();
        self
    }

    /// Runs a command line (split like the shell would, with quotes but no expansion).
    pub(super) fn run(&mut self, line: &str) -> Output {
        self.run_with(line, "")
    }

    /// Runs a command line with `stdin` as standard input.
    pub(super) fn run_with(&mut self, line: &str, stdin: &str) -> Output {
        let argv = split(line);
        self.run_argv(&argv, stdin)
    }

    /// Runs an already split command line; `None` becomes an "unknown command" output.
    pub(super) fn run_argv(&mut self, argv: &[String], stdin: &str) -> Output {
        let mut ctx = FsContext {
            fs: &mut self.fs,
            cwd: &self.cwd,
            now: self.now,
            env: &self.env,
            rng: &mut self.rng,
            host: "controlplane",
        };
        super::run(&mut ctx, Invocation { argv, stdin })
            .unwrap_or_else(|| Output::err("unknown\n", 127))
    }

    /// The content of `path`.
    pub(super) fn text(&self, path: &str) -> String {
        self.fs.read_to_string(path).unwrap()
    }
}

/// Splits a command line into words: whitespace separates, '...' and "..." quote (with
/// `\"` and `\\` inside double quotes), a backslash outside quotes escapes one character.
pub(super) fn split(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$')) => {
                            cur.push(chars.next().unwrap_or('\\'));
                        }
                        d => cur.push(d),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(d) = chars.next() {
                    cur.push(d);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Asserts stdout, stderr and the exit code at once, so a failure shows all three.
#[track_caller]
pub(super) fn check(out: &Output, stdout: &str, stderr: &str, code: i32) {
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.code),
        (stdout, stderr, code)
    );
}
