//! The terminal: the shell language (pipes, heredocs, redirects) and the commands a learner
//! types (kubectl, crictl, coreutils, systemctl, journalctl, ssh, curl, ...).

pub mod ast;
pub mod commands;
pub mod io;
pub mod lexer;
pub mod parser;
