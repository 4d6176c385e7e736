//! `$(( ))`, `(( ))` and `let`: the evaluator's side of bash's arithmetic (the evaluation
//! itself is `shell::arith`). An arithmetic error abandons the rest of the command line, as
//! bash does in an interactive shell, with status 1.

use std::collections::BTreeMap;

use crate::shell::arith::{evaluate, Vars};
use crate::shell::ast::Word;
use crate::shell::io::Output;

use super::Exec;

/// The shell's variables as arithmetic reads and writes them.
struct FrameVars<'a>(&'a mut BTreeMap<String, String>);

impl Vars for FrameVars<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    fn set(&mut self, name: &str, value: String) {
        self.0.insert(name.to_string(), value);
    }
}

impl Exec<'_> {
    /// Evaluates `text`; an error's message is bash's, and the line is abandoned.
    fn arith_value(&mut self, text: &str) -> Result<i64, String> {
        let vars = &mut self.frame_mut().vars;
        evaluate(text, &mut FrameVars(vars)).map_err(|err| {
            self.abandon = true;
            err.to_string()
        })
    }

    /// `$(( EXPR ))`: the value as text.
    pub(super) fn arith_expansion(&mut self, expr: &Word) -> Result<String, String> {
        let text = self.expand_string(expr)?;
        Ok(self.arith_value(&text)?.to_string())
    }

    /// `(( EXPR ))`: 0 when the value is not zero, 1 when it is or on an error.
    pub(super) fn arith_command(&mut self, expr: &Word) -> i32 {
        let text = match self.expand_string(expr) {
            Ok(text) => text,
            Err(err) => return self.fail(&err, 1),
        };
        match self.arith_value(&text) {
            Ok(value) => i32::from(value == 0),
            Err(err) => self.fail(&err, 1),
        }
    }

    /// `let EXPR...`: like `(( ))` on each argument; the last decides the status.
    pub(super) fn builtin_let(&mut self, argv: &[String]) -> Output {
        if argv.len() < 2 {
            return Output::err("bash: let: expression expected\n", 1);
        }
        let mut value = 0;
        for arg in &argv[1..] {
            match self.arith_value(arg) {
                Ok(v) => value = v,
                Err(err) => {
                    return Output::err(
                        format!("{}\n", err.replacen("bash: ", "bash: let: ", 1)),
                        1,
                    )
                }
            }
        }
        Output {
            code: i32::from(value == 0),
            ..Output::default()
        }
    }
}
