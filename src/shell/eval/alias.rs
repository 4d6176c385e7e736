//! Aliases: `alias`, `unalias`, and their expansion at the start of a simple command
//! (`alias k=kubectl`, then `k get pods`), plus `type`, which knows aliases and functions.
//!
//! Simplified: bash replaces an alias while reading the line, so an alias defined on a line
//! takes effect from the next line; here it is replaced when the command runs, so it also
//! works later on the same line. A value ending in a blank does not make the next word an
//! alias candidate too.

use crate::shell::ast::{Command, CompoundCommand, CompoundKind, SimpleCommand, Word};
use crate::shell::commands;
use crate::shell::io::{Invocation, Output};
use crate::shell::parser::parse;

use super::Exec;

impl Exec<'_> {
    /// The alias `simple` starts with, if it starts with one not already being replaced.
    pub(super) fn alias_of(&self, simple: &SimpleCommand) -> Option<(String, String)> {
        let name = simple.words.first().and_then(Word::as_plain)?;
        if self.aliasing.iter().any(|a| a == name) {
            return None;
        }
        let value = self.frame().aliases.get(name)?;
        Some((name.to_string(), value.clone()))
    }

    /// Runs `simple` with its first word replaced by the alias `value`.
    pub(super) fn run_alias(
        &mut self,
        simple: &SimpleCommand,
        name: String,
        value: &str,
        stdin: String,
        to_pipe: bool,
    ) -> (i32, String) {
        let rest = SimpleCommand {
            assignments: Vec::new(),
            words: simple.words[1..].to_vec(),
            redirects: simple.redirects.clone(),
        };
        let mut text = String::new();
        for assignment in &simple.assignments {
            let prefix = SimpleCommand {
                assignments: vec![assignment.clone()],
                ..SimpleCommand::default()
            };
            text.push_str(&Command::Simple(prefix).to_string());
            text.push(' ');
        }
        text.push_str(value);
        let rest = Command::Simple(rest).to_string();
        if !rest.is_empty() {
            text.push(' ');
            text.push_str(&rest);
        }
        let script = match parse(&text) {
            Ok(script) => script,
            Err(err) => return (self.fail(&err.to_string(), 2), String::new()),
        };
        self.aliasing.push(name);
        let result = match script.items.as_slice() {
            [item] if !item.background && item.and_or.rest.is_empty() => {
                match item.and_or.first.commands.as_slice() {
                    [Command::Simple(simple)] if !item.and_or.first.negated => {
                        self.run_simple(simple, stdin, to_pipe)
                    }
                    _ => self.run_group(script.items, stdin, to_pipe),
                }
            }
            _ => self.run_group(script.items, stdin, to_pipe),
        };
        self.aliasing.pop();
        result
    }

    fn run_group(
        &mut self,
        items: Vec<crate::shell::ast::ListItem>,
        stdin: String,
        to_pipe: bool,
    ) -> (i32, String) {
        let group = Command::Compound(CompoundCommand {
            kind: CompoundKind::BraceGroup(items),
            redirects: Vec::new(),
        });
        self.run_command(&group, stdin, to_pipe)
    }

    /// `alias [-p] [NAME[=VALUE]...]`.
    pub(super) fn builtin_alias(&mut self, argv: &[String]) -> Output {
        let mut out = Output::default();
        let args: Vec<&String> = argv.iter().skip(1).filter(|a| *a != "-p").collect();
        if let Some(bad) = args.iter().find(|a| a.starts_with('-') && a.len() > 1) {
            return Output::err(
                format!(
                    "bash: alias: {}: invalid option\nalias: usage: alias [-p] [name[=value] ... ]\n",
                    &bad[..2]
                ),
                2,
            );
        }
        if args.is_empty() {
            for (name, value) in &self.frame().aliases {
                out.stdout
                    .push_str(&format!("alias {name}={}\n", quote(value)));
            }
            return out;
        }
        for arg in args {
            match arg.split_once('=') {
                Some((name, value)) => {
                    if name.is_empty()
                        || name.contains([
                            '/', '$', '`', '\'', '"', '\\', ' ', '\t', '|', '&', ';', '(', ')',
                            '<', '>',
                        ])
                    {
                        out.stderr
                            .push_str(&format!("bash: alias: `{name}': invalid alias name\n"));
                        out.code = 1;
                        continue;
                    }
                    self.frame_mut()
                        .aliases
                        .insert(name.to_string(), value.to_string());
                }
                None => match self.frame().aliases.get(arg.as_str()) {
                    Some(value) => out
                        .stdout
                        .push_str(&format!("alias {arg}={}\n", quote(value))),
                    None => {
                        out.stderr
                            .push_str(&format!("bash: alias: {arg}: not found\n"));
                        out.code = 1;
                    }
                },
            }
        }
        out
    }

    /// `unalias [-a] NAME...`.
    pub(super) fn builtin_unalias(&mut self, argv: &[String]) -> Output {
        if argv.len() < 2 {
            return Output::err("unalias: usage: unalias [-a] name [name ...]\n", 2);
        }
        if argv.iter().skip(1).any(|a| a == "-a") {
            self.frame_mut().aliases.clear();
            return Output::default();
        }
        let mut out = Output::default();
        for name in &argv[1..] {
            if self.frame_mut().aliases.remove(name).is_none() {
                out.stderr
                    .push_str(&format!("bash: unalias: {name}: not found\n"));
                out.code = 1;
            }
        }
        out
    }

    /// `type NAME...`: aliases, keywords and functions first, then builtins and programs.
    pub(super) fn builtin_type(&mut self, argv: &[String]) -> Output {
        let mut out = Output::default();
        for name in &argv[1..] {
            if let Some(value) = self.frame().aliases.get(name) {
                out.stdout
                    .push_str(&format!("{name} is aliased to `{value}'\n"));
            } else if KEYWORDS.contains(&name.as_str()) {
                out.stdout.push_str(&format!("{name} is a shell keyword\n"));
            } else if let Some(body) = self.frame().functions.get(name) {
                out.stdout.push_str(&format!(
                    "{name} is a function\n{name} () \n{}",
                    function_text(body)
                ));
            } else {
                let sub = ["type".to_string(), name.clone()];
                let host = self.frame().host;
                let cwd = self.frame().cwd.clone();
                let vars = self.frame().vars.clone();
                let mut world = commands::World {
                    cluster: self.cluster,
                    host,
                    cwd: &cwd,
                    vars: &vars,
                    background: None,
                    shell_pid: 0,
                    peers: &[],
                    foreground: None,
                };
                if let Some(found) = commands::run(
                    &mut world,
                    Invocation {
                        argv: &sub,
                        stdin: "",
                    },
                ) {
                    out.stdout.push_str(&found.stdout);
                    out.stderr.push_str(&found.stderr);
                    out.code = out.code.max(found.code);
                }
            }
        }
        out
    }
}

/// Bash's reserved words, which `type` names as keywords.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc",
];

/// A function's body in bash's layout: a brace group's commands one per line, indented.
///
/// Simplified: each command is printed back from the parsed tree, so its quoting may differ
/// from what was typed (bash keeps the words' own quotes).
fn function_text(body: &CompoundCommand) -> String {
    match &body.kind {
        CompoundKind::BraceGroup(items) if body.redirects.is_empty() => {
            let mut text = "{ \n".to_string();
            for item in items {
                text.push_str(&format!("    {item}\n"));
            }
            text.push_str("}\n");
            text
        }
        _ => format!("{}\n", Command::Compound(body.clone())),
    }
}

/// A value in single quotes as `alias` prints it (`'` becomes `'\''`).
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}
