//! The filesystem and text commands of an Ubuntu 24.04 node: GNU coreutils 9.4 plus grep
//! 3.11, sed 4.9, findutils 4.9, diffutils 3.10, mawk 1.3.4 (Ubuntu's `awk`) and procps
//! `free`, with their wording, quoting, column layout and exit codes. `test`/`[`, `true`,
//! `false` and `pwd` behave as bash's builtins, since that is what a learner's shell runs.
//!
//! Each command reads the operands in `argv`, standard input from the invocation and the
//! node's [`Fs`](crate::node::fs::Fs) through [`FsContext`]; the shell has already done
//! pipes, redirections and globbing. Deliberate deviations, common to all:
//! - Standard output is never a terminal: `ls` prints one name per line, nothing is
//!   coloured, and names are not quoted on output.
//! - The locale is C.UTF-8: byte order for sorting, curly quotes where gnulib's `quote`
//!   uses them.
//! - Directory listings come back sorted by name, so `find` and `grep -r` visit entries in
//!   name order where the kernel would give readdir order.
//! - Nothing here starts another command: `xargs`, `find -exec`, awk's `system()` and
//!   `env COMMAND` are the shell's business (the last three say so when tried).
//! - Runaway programs (`sed ':a;ba'`, `awk 'BEGIN{while(1)n++}'`) are stopped with a
//!   message instead of freezing the page; recursive walks stop 256 levels down.

mod awk;
mod cat;
mod chmod;
mod common;
mod cp_mv;
mod cut_tr;
mod diff;
mod find;
mod grep;
mod head_tail;
mod ln;
mod ls;
mod misc;
mod mkdir;
mod paths;
mod regex;
mod rm;
mod sed;
mod sort_uniq;
mod stat;
mod tee;
mod test;
mod touch;
mod wc;

#[cfg(test)]
mod tests;

use crate::shell::io::{FsContext, Invocation, Output};
/// Base64 decoding as `base64 -d` does it (newlines skipped), for PEM readers.
pub(crate) use misc::decode as base64_decode;

/// The command names this module provides (for tab completion and `help`).
pub const COMMANDS: &[&str] = &[
    "[", "awk", "base64", "basename", "cat", "chmod", "cp", "cut", "df", "diff", "dirname", "env",
    "false", "find", "free", "grep", "head", "id", "ln", "ls", "mkdir", "mv", "printenv", "pwd",
    "readlink", "realpath", "rm", "rmdir", "sed", "seq", "sort", "stat", "tail", "tee", "test",
    "touch", "tr", "true", "uname", "uniq", "wc", "whoami",
];

/// Runs `argv[0]` if it is one of these commands; `None` if it is not a coreutils command.
pub fn run(ctx: &mut FsContext<'_>, inv: Invocation<'_>) -> Option<Output> {
    let name = inv.argv.first()?;
    let argv = inv.argv;
    let stdin = inv.stdin;
    let out = match name.as_str() {
        "[" => test::test(ctx, argv, true),
        "awk" => awk::awk(ctx, argv, stdin),
        "base64" => misc::base64(ctx, argv, stdin),
        "basename" => paths::basename(ctx, argv),
        "cat" => cat::cat(ctx, argv, stdin),
        "chmod" => chmod::chmod(ctx, argv),
        "cp" => cp_mv::cp(ctx, argv),
        "cut" => cut_tr::cut(ctx, argv, stdin),
        "df" => misc::df(ctx, argv),
        "diff" => diff::diff(ctx, argv, stdin),
        "dirname" => paths::dirname(ctx, argv),
        "env" => misc::env(ctx, argv),
        "false" => misc::false_cmd(ctx, argv),
        "find" => find::find(ctx, argv),
        "free" => misc::free(ctx, argv),
        "grep" => grep::grep(ctx, argv, stdin),
        "head" => head_tail::head(ctx, argv, stdin),
        "id" => misc::id(ctx, argv),
        "ln" => ln::ln(ctx, argv),
        "ls" => ls::ls(ctx, argv),
        "mkdir" => mkdir::mkdir(ctx, argv),
        "mv" => cp_mv::mv(ctx, argv),
        "printenv" => misc::printenv(ctx, argv),
        "pwd" => paths::pwd(ctx, argv),
        "readlink" => paths::readlink(ctx, argv),
        "realpath" => paths::realpath(ctx, argv),
        "rm" => rm::rm(ctx, argv, stdin),
        "rmdir" => rm::rmdir(ctx, argv),
        "sed" => sed::sed(ctx, argv, stdin),
        "seq" => misc::seq(ctx, argv),
        "sort" => sort_uniq::sort(ctx, argv, stdin),
        "stat" => stat::stat(ctx, argv),
        "tail" => head_tail::tail(ctx, argv, stdin),
        "tee" => tee::tee(ctx, argv, stdin),
        "test" => test::test(ctx, argv, false),
        "touch" => touch::touch(ctx, argv),
        "tr" => cut_tr::tr(ctx, argv, stdin),
        "true" => misc::true_cmd(ctx, argv),
        "uname" => misc::uname(ctx, argv),
        "uniq" => sort_uniq::uniq(ctx, argv, stdin),
        "wc" => wc::wc(ctx, argv, stdin),
        "whoami" => misc::whoami(ctx, argv),
        _ => return None,
    };
    Some(out)
}
