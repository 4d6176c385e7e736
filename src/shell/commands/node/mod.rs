//! Node commands that look at or act on the host's processes and network: `ps`, `kill`,
//! `curl`, `python3 -m http.server` and `scp`.

pub mod curl;
pub mod http_server;
pub mod kill;
pub mod ps;
pub mod scp;

/// The command names this module answers.
pub const COMMANDS: &[&str] = &["curl", "kill", "ps", "python3", "scp"];
