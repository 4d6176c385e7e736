//! Shell functions: `name() { ...; }` and `function name { ...; }` definitions, calls with
//! their positional parameters (`$1`..., `$#`, `$@`, `$*`), and the builtins that only make
//! sense inside them: `local`, `return`, and `shift`.
//!
//! Simplified: a function's standard error is captured with its standard output, as for every
//! compound command here, and a function does not read the standard input it is given.

use crate::shell::ast::{Command, CompoundCommand};
use crate::shell::io::Output;
use crate::shell::parser::is_name;

use super::Exec;

/// How deeply functions may call each other. Bash has no limit unless `FUNCNEST` is set; the
/// playground sets one so runaway recursion ends with bash's message instead of exhausting
/// the browser's stack.
pub const FUNCNEST: usize = 100;

/// One function call: the variables `local` shadowed, with the values to put back.
#[derive(Debug, Default)]
pub(super) struct Call {
    locals: Vec<(String, Option<String>)>,
}

impl Exec<'_> {
    /// Runs the function `body` as `argv`; its output comes back as the call's stdout.
    pub(super) fn call_function(
        &mut self,
        body: CompoundCommand,
        argv: &[String],
        stdin: &str,
    ) -> Output {
        if self.calls.len() >= FUNCNEST {
            // Bash abandons the whole command line.
            self.abandon = true;
            return Output::err(
                format!(
                    "bash: {}: maximum function nesting level exceeded ({FUNCNEST})\n",
                    argv[0]
                ),
                1,
            );
        }
        let saved_args = std::mem::replace(&mut self.positional, argv[1..].to_vec());
        self.calls.push(Call::default());
        let (status, stdout) = self.run_command(&Command::Compound(body), stdin.to_string(), true);
        self.returning = false;
        if let Some(call) = self.calls.pop() {
            let vars = &mut self.frame_mut().vars;
            for (name, old) in call.locals.into_iter().rev() {
                match old {
                    Some(value) => vars.insert(name, value),
                    None => vars.remove(&name),
                };
            }
        }
        self.positional = saved_args;
        Output {
            stdout,
            code: status,
            ..Output::default()
        }
    }

    /// `local NAME[=VALUE]...`: variables that the function's return puts back.
    pub(super) fn builtin_local(&mut self, argv: &[String]) -> Output {
        if self.calls.is_empty() {
            return Output::err("bash: local: can only be used in a function\n", 1);
        }
        let mut out = Output::default();
        for arg in argv.iter().skip(1).filter(|a| !a.starts_with('-')) {
            let (name, value) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (arg.as_str(), None),
            };
            if !is_name(name) {
                out.stderr
                    .push_str(&format!("bash: local: `{arg}': not a valid identifier\n"));
                out.code = 1;
                continue;
            }
            let old = self.frame().vars.get(name).cloned();
            if let Some(call) = self.calls.last_mut() {
                if !call.locals.iter().any(|(n, _)| n == name) {
                    call.locals.push((name.to_string(), old));
                }
            }
            let vars = &mut self.frame_mut().vars;
            match value {
                Some(value) => vars.insert(name.to_string(), value.to_string()),
                None => vars.remove(name),
            };
        }
        out
    }

    /// `return [N]`: leaves the function with status N (else the last command's).
    pub(super) fn builtin_return(&mut self, argv: &[String]) -> Output {
        if self.calls.is_empty() {
            return Output::err(
                "bash: return: can only `return' from a function or sourced script\n",
                1,
            );
        }
        let code = match argv.get(1) {
            None => self.frame().last_exit,
            Some(arg) => match arg.parse::<i64>() {
                Ok(n) => (n & 0xff) as i32,
                Err(_) => {
                    self.returning = true;
                    return Output::err(
                        format!("bash: return: {arg}: numeric argument required\n"),
                        2,
                    );
                }
            },
        };
        self.returning = true;
        Output {
            code,
            ..Output::default()
        }
    }

    /// `shift [N]`: drops the first N positional parameters.
    pub(super) fn builtin_shift(&mut self, argv: &[String]) -> Output {
        let n = match argv.get(1).map(|a| a.parse::<usize>()) {
            None => 1,
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                return Output::err(
                    format!("bash: shift: {}: numeric argument required\n", argv[1]),
                    1,
                )
            }
        };
        if n > self.positional.len() {
            return Output::err("", 1);
        }
        self.positional.drain(..n);
        Output::default()
    }
}
