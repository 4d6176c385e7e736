//! The terminal: the shell language (pipes, heredocs, redirects) and the commands a learner
//! types (kubectl, crictl, coreutils, systemctl, journalctl, ssh, curl, ...).

pub mod arith;
pub mod ast;
pub mod commands;
pub mod complete;
pub mod eval;
pub mod follow;
pub mod getopt;
pub mod io;
pub mod lexer;
pub mod parser;
pub mod session;

use crate::cluster::Cluster;
use crate::shell::eval::Exec;
use crate::shell::follow::{foreground_line, Follow};
use crate::shell::parser::parse;
use crate::shell::session::Session;

/// What one command line did, as the terminal and the runner report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandResult {
    /// The host whose prompt the command was typed at.
    pub host: String,
    /// The command as typed.
    pub command: String,
    /// What the terminal shows (stdout and stderr, in order).
    pub output: String,
    /// The exit status (`$?`).
    pub exit_code: i32,
    /// The command cleared the screen.
    pub clear: bool,
    /// The outermost shell exited.
    pub logout: bool,
    /// The command goes on as the terminal's foreground job (only in an interactive
    /// session): `output` is what it printed first and `exit_code` is not final; poll the
    /// follow as the clock runs, or interrupt it.
    pub follow: Option<Follow>,
}

/// Runs one complete command line in `session`, then lets the cluster settle.
pub fn execute(cluster: &mut Cluster, session: &mut Session, command: &str) -> CommandResult {
    let host = session.host_name().to_string();
    // Bash keeps blank lines out of its history.
    if !command.trim().is_empty() {
        session.history.push(command.trim_end().to_string());
    }
    let (output, exit_code, clear, logout, follow) = match parse(command) {
        Ok(script) => {
            let foreground = session
                .interactive
                .then(|| foreground_line(&script))
                .flatten();
            let mut exec = Exec::new(cluster, session);
            exec.may_follow = foreground.is_some();
            let status = exec.run_script(&script);
            let follow = exec
                .follow
                .take()
                .map(|f| f.with_stderr_dropped(foreground == Some(true)));
            (exec.terminal, status, exec.clear, exec.logout, follow)
        }
        Err(err) => {
            session.frame_mut().last_exit = 2;
            (format!("{err}\n"), 2, false, false, None)
        }
    };
    cluster.settle();
    CommandResult {
        host,
        command: command.to_string(),
        output,
        exit_code,
        clear,
        logout,
        follow,
    }
}
