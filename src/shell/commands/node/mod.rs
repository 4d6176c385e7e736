//! Node commands that look at or act on the host's processes and network: `ps`, `kill`,
//! `curl` and `python3 -m http.server`.

pub mod curl;
pub mod http_server;
pub mod kill;
pub mod ps;

/// The command names this module answers.
pub const COMMANDS: &[&str] = &["curl", "kill", "ps", "python3"];
