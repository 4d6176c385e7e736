//! One terminal session: the stack of shells (`ssh node01` pushes one, `exit` pops it), each
//! with its host, working directory, variables and last exit status, plus the history.

use std::collections::BTreeMap;

/// One shell on one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The host's index in the cluster.
    pub host: usize,
    /// The host's name (for the prompt).
    pub host_name: String,
    /// The working directory.
    pub cwd: String,
    /// Shell variables (all exported, for simplicity).
    pub vars: BTreeMap<String, String>,
    /// `$?`.
    pub last_exit: i32,
    /// `$$`.
    pub pid: u32,
    /// Background jobs started so far (`[1] 2345`).
    pub jobs: u32,
    /// The background jobs `jobs` has not yet reported finished, oldest first.
    pub job_table: Vec<Job>,
    /// How this shell was started, which decides what `exit` says when it ends.
    pub entry: Entry,
    /// The shell's aliases (`alias k=kubectl`), by name.
    pub aliases: BTreeMap<String, String>,
    /// The shell's functions (`name() { ...; }`), by name.
    pub functions: BTreeMap<String, crate::shell::ast::CompoundCommand>,
}

/// A background job (`CMD &`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Its job number (`%1`).
    pub number: u32,
    /// The process id printed when it started.
    pub pid: u32,
    /// The command as the shell prints it.
    pub command: String,
    /// Killed through `kill %N` (shown as `Terminated` rather than `Done`).
    pub killed: bool,
}

/// How a shell was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The session's own shell, or one `ssh HOST` opened: `exit` closes the connection.
    Connection,
    /// A shell run on the same host by `sudo -i`, `sudo -s`, `su` or `su -`; `exit` returns
    /// to the shell that started it, saying `logout` for a login shell and `exit` otherwise.
    Nested {
        /// Whether it is a login shell (`sudo -i`, `su -`).
        login: bool,
    },
}

impl Frame {
    /// A login shell of root on `host_name`.
    pub fn login(host: usize, host_name: &str, pid: u32) -> Frame {
        let mut vars = BTreeMap::new();
        for (k, v) in [
            ("HOME", "/root"),
            ("USER", "root"),
            ("LOGNAME", "root"),
            ("SHELL", "/bin/bash"),
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("TERM", "xterm-256color"),
            ("LANG", "C.UTF-8"),
            ("PWD", "/root"),
            ("HOSTNAME", host_name),
        ] {
            vars.insert(k.to_string(), v.to_string());
        }
        Frame {
            host,
            host_name: host_name.to_string(),
            cwd: "/root".to_string(),
            vars,
            last_exit: 0,
            pid,
            jobs: 0,
            job_table: Vec::new(),
            entry: Entry::Connection,
            aliases: BTreeMap::new(),
            functions: BTreeMap::new(),
        }
    }
}

/// A terminal: the shells opened in it and what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Shells, innermost last; never empty.
    pub frames: Vec<Frame>,
    /// Every command line run, oldest first.
    pub history: Vec<String>,
    /// A learner at the browser's terminal, who can stop a command with Ctrl-C: a command
    /// line that follows (`kubectl get -w`, `logs -f`, `watch`, `sleep`) runs on as a
    /// foreground job instead of for a bounded stretch.
    pub interactive: bool,
}

impl Session {
    /// A session logged in to `host_name` (host index `host`).
    pub fn new(host: usize, host_name: &str, pid: u32) -> Session {
        Session {
            frames: vec![Frame::login(host, host_name, pid)],
            history: Vec::new(),
            interactive: false,
        }
    }

    /// The shell the next command runs in.
    pub fn frame(&self) -> &Frame {
        self.frames.last().expect("a session always has a shell")
    }

    /// The shell the next command runs in, mutably.
    pub fn frame_mut(&mut self) -> &mut Frame {
        self.frames
            .last_mut()
            .expect("a session always has a shell")
    }

    /// The prompt, `controlplane $ ` style.
    pub fn prompt(&self) -> String {
        format!("{} $ ", self.frame().host_name)
    }

    /// The host name of the current shell.
    pub fn host_name(&self) -> &str {
        &self.frame().host_name
    }
}
