//! `test` and `[`, as bash's builtins evaluate them (what a learner's `[ -f x ]` runs):
//! POSIX's argument-count rules for up to four arguments, a recursive-descent parser with
//! `!`, `-a`, `-o` and parentheses beyond that, and bash's diagnostics (exit status 2).
//!
//! File tests: `-e -f -d -s -L -h -r -w -x -b -c -p -S -g -u -k -O -G -N -t`; strings:
//! `-z -n = == != < >`; integers: `-eq -ne -lt -le -gt -ge`; files: `-nt -ot -ef`;
//! `-v NAME` (variable is set).

use crate::node::fs::{FileKind, Metadata};
use crate::shell::io::{FsContext, Output};

use super::common::abs;

/// Why evaluation stopped: bash's message after `bash: test: `.
struct TestError(String);

/// Runs `test` (`bracket` is false) or `[` (`bracket` is true).
pub(super) fn test(ctx: &mut FsContext<'_>, argv: &[String], bracket: bool) -> Output {
    let name = if bracket { "[" } else { "test" };
    let mut args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    if bracket {
        if args.last() != Some(&"]") {
            return Output::err("bash: [: missing `]'\n", 2);
        }
        args.pop();
    }
    // The grammar recurses on `!` and `(`; bound it so the stack stays small.
    if args.iter().filter(|a| **a == "!" || **a == "(").count() > 200 {
        return Output::err(format!("bash: {name}: expression too complex\n"), 2);
    }
    let eval = Eval { ctx, args: &args };
    match eval.posix() {
        Ok(true) => Output::default(),
        Ok(false) => Output::err("", 1),
        Err(TestError(msg)) => Output::err(format!("bash: {name}: {msg}\n"), 2),
    }
}

struct Eval<'a, 'b> {
    ctx: &'a FsContext<'b>,
    args: &'a [&'a str],
}

const UNARY: &[&str] = &[
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-n", "-p", "-r", "-s", "-t", "-u", "-v",
    "-w", "-x", "-z", "-G", "-L", "-N", "-O", "-S",
];

const BINARY: &[&str] = &[
    "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
];

impl Eval<'_, '_> {
    /// POSIX's rules by argument count, falling back to the full grammar.
    fn posix(&self) -> Result<bool, TestError> {
        let a = self.args;
        match a.len() {
            0 => Ok(false),
            1 => Ok(!a[0].is_empty()),
            2 => {
                if a[0] == "!" {
                    return Ok(a[1].is_empty());
                }
                if UNARY.contains(&a[0]) {
                    return self.unary(a[0], a[1]);
                }
                Err(TestError(format!("{}: unary operator expected", a[0])))
            }
            3 => {
                if BINARY.contains(&a[1]) {
                    return self.binary(a[0], a[1], a[2]);
                }
                if a[1] == "-a" {
                    return Ok(!a[0].is_empty() && !a[2].is_empty());
                }
                if a[1] == "-o" {
                    return Ok(!a[0].is_empty() || !a[2].is_empty());
                }
                if a[0] == "!" {
                    let sub = Eval {
                        ctx: self.ctx,
                        args: &a[1..],
                    };
                    return sub.posix().map(|v| !v);
                }
                if a[0] == "(" && a[2] == ")" {
                    return Ok(!a[1].is_empty());
                }
                Err(TestError(format!("{}: binary operator expected", a[1])))
            }
            4 => {
                if a[0] == "!" {
                    let sub = Eval {
                        ctx: self.ctx,
                        args: &a[1..],
                    };
                    return sub.posix().map(|v| !v);
                }
                if a[0] == "(" && a[3] == ")" {
                    let sub = Eval {
                        ctx: self.ctx,
                        args: &a[1..3],
                    };
                    return sub.posix();
                }
                self.full()
            }
            _ => self.full(),
        }
    }

    fn full(&self) -> Result<bool, TestError> {
        let mut pos = 0;
        let v = self.or(&mut pos)?;
        if pos < self.args.len() {
            return Err(TestError("too many arguments".to_string()));
        }
        Ok(v)
    }

    fn or(&self, pos: &mut usize) -> Result<bool, TestError> {
        let mut v = self.and(pos)?;
        while self.args.get(*pos) == Some(&"-o") {
            *pos += 1;
            let r = self.and(pos)?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&self, pos: &mut usize) -> Result<bool, TestError> {
        let mut v = self.not(pos)?;
        while self.args.get(*pos) == Some(&"-a") {
            *pos += 1;
            let r = self.not(pos)?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&self, pos: &mut usize) -> Result<bool, TestError> {
        if self.args.get(*pos) == Some(&"!") {
            *pos += 1;
            return self.not(pos).map(|v| !v);
        }
        self.primary(pos)
    }

    fn primary(&self, pos: &mut usize) -> Result<bool, TestError> {
        let a = self.args;
        let Some(&tok) = a.get(*pos) else {
            return Err(TestError("argument expected".to_string()));
        };
        if tok == "(" {
            *pos += 1;
            let v = self.or(pos)?;
            if a.get(*pos) != Some(&")") {
                return Err(TestError("`)' expected".to_string()));
            }
            *pos += 1;
            return Ok(v);
        }
        if let Some(&op) = a.get(*pos + 1) {
            if BINARY.contains(&op) && *pos + 2 < a.len() {
                let v = self.binary(tok, op, a[*pos + 2])?;
                *pos += 3;
                return Ok(v);
            }
        }
        if UNARY.contains(&tok) {
            let Some(&operand) = a.get(*pos + 1) else {
                return Err(TestError(format!("{tok}: unary operator expected")));
            };
            *pos += 2;
            return self.unary(tok, operand);
        }
        *pos += 1;
        Ok(!tok.is_empty())
    }

    fn meta(&self, path: &str, follow: bool) -> Option<Metadata> {
        if path.is_empty() {
            return None;
        }
        let full = abs(self.ctx, path);
        if follow {
            self.ctx.fs.stat(&full).ok()
        } else {
            self.ctx.fs.lstat(&full).ok()
        }
    }

    fn unary(&self, op: &str, arg: &str) -> Result<bool, TestError> {
        let m = || self.meta(arg, true);
        Ok(match op {
            "-z" => arg.is_empty(),
            "-n" => !arg.is_empty(),
            "-e" | "-a" => m().is_some(),
            "-f" => m().is_some_and(|m| m.kind == FileKind::File),
            "-d" => m().is_some_and(|m| m.kind == FileKind::Dir),
            "-s" => m().is_some_and(|m| m.size > 0),
            "-L" | "-h" => self.meta(arg, false).is_some_and(|m| m.is_symlink()),
            // Everyone is root: readable and writable if it exists; executable with any x bit
            // (or a directory).
            "-r" | "-w" | "-O" | "-G" => m().is_some(),
            "-x" => m().is_some_and(|m| m.is_dir() || m.mode & 0o111 != 0),
            "-g" => m().is_some_and(|m| m.mode & 0o2000 != 0),
            "-u" => m().is_some_and(|m| m.mode & 0o4000 != 0),
            "-k" => m().is_some_and(|m| m.mode & 0o1000 != 0),
            "-b" | "-c" | "-p" | "-S" | "-t" => false,
            "-N" => m().is_some(),
            "-v" => self.ctx.env.contains_key(arg),
            _ => return Err(TestError(format!("{op}: unary operator expected"))),
        })
    }

    fn int(&self, s: &str) -> Result<i64, TestError> {
        let t = s.trim();
        let parsed = t.parse::<i64>().ok().or_else(|| {
            // bash accepts a leading '+'.
            t.strip_prefix('+').and_then(|r| r.parse::<i64>().ok())
        });
        parsed.ok_or_else(|| TestError(format!("{s}: integer expression expected")))
    }

    fn binary(&self, a: &str, op: &str, b: &str) -> Result<bool, TestError> {
        Ok(match op {
            "=" | "==" => a == b,
            "!=" => a != b,
            "<" => a.as_bytes() < b.as_bytes(),
            ">" => a.as_bytes() > b.as_bytes(),
            "-eq" => self.int(a)? == self.int(b)?,
            "-ne" => self.int(a)? != self.int(b)?,
            "-lt" => self.int(a)? < self.int(b)?,
            "-le" => self.int(a)? <= self.int(b)?,
            "-gt" => self.int(a)? > self.int(b)?,
            "-ge" => self.int(a)? >= self.int(b)?,
            "-nt" => match (self.meta(a, true), self.meta(b, true)) {
                (Some(x), Some(y)) => x.mtime > y.mtime,
                (Some(_), None) => true,
                _ => false,
            },
            "-ot" => match (self.meta(a, true), self.meta(b, true)) {
                (Some(x), Some(y)) => x.mtime < y.mtime,
                (None, Some(_)) => true,
                _ => false,
            },
            "-ef" => match (self.meta(a, true), self.meta(b, true)) {
                (Some(x), Some(y)) => x.ino == y.ino,
                _ => false,
            },
            _ => return Err(TestError(format!("{op}: binary operator expected"))),
        })
    }
}
