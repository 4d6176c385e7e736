//! `find`, after GNU findutils 4.9.0 (`find/parser.c`, `find/tree.c`, `find/ftsfind.c`):
//! `-H -L -P`; global options `-maxdepth -mindepth -depth`; tests `-name -iname -path
//! -ipath -wholename -type -empty -newer -size -mtime -mmin -user -group -true -false`;
//! actions `-print -print0 -delete -prune -quit`; operators `! -not -a -and -o -or ,` and
//! parentheses.
//!
//! Each directory is listed before its contents (after them with `-depth`/`-delete`), and
//! entries come in name order where the kernel would give readdir order. `-exec`, `-ok`
//! and `-execdir` are refused: commands here cannot start other commands.

use crate::node::fs::{FileKind, Metadata};
use crate::shell::io::{FsContext, Output};
use crate::sim::SimTime;

use super::common::{abs, fnmatch, quote};

const USAGE: &str = "\
Usage: find [-H] [-L] [-P] [-Olevel] [-D debugopts] [path...] [expression]

default path is the current directory; default expression is -print
expression may consist of: operators, options, tests, and actions:
operators (decreasing precedence; -and is implicit where no others are given):
      ( EXPR )   ! EXPR   -not EXPR   EXPR1 -a EXPR2   EXPR1 -and EXPR2
      EXPR1 -o EXPR2   EXPR1 -or EXPR2   EXPR1 , EXPR2
positional options (always true):
      -daystart -follow -nowarn -regextype -warn
normal options (always true, specified before other expressions):
      -depth -files0-from FILE -maxdepth LEVELS -mindepth LEVELS
      -mount -noleaf -xdev -ignore_readdir_race -noignore_readdir_race
tests (N can be +N or -N or N):
      -amin N -anewer FILE -atime N -cmin N -cnewer FILE -context CONTEXT
      -ctime N -empty -false -fstype TYPE -gid N -group NAME -ilname PATTERN
      -iname PATTERN -inum N -iwholename PATTERN -iregex PATTERN
      -links N -lname PATTERN -mmin N -mtime N -name PATTERN -newer FILE
      -nouser -nogroup -path PATTERN -perm [-/]MODE -regex PATTERN
      -readable -writable -executable
      -wholename PATTERN -size N[bcwkMG] -true -type [bcdpflsD] -uid N
      -used N -user NAME -xtype [bcdpfls]
actions:
      -delete -print0 -printf FORMAT -fprintf FILE FORMAT -print
      -fprint0 FILE -fprint FILE -ls -fls FILE -prune -quit
      -exec COMMAND ; -exec COMMAND {} + -ok COMMAND ;
      -execdir COMMAND ; -execdir COMMAND {} + -okdir COMMAND ;

Other common options:
      --help                   display this help and exit
      --version                output version information and exit

Valid arguments for -D:
exec, opt, rates, search, stat, time, tree, all, help
Use '-D help' for a description of the options, or see find(1)

Please see also the documentation at https://www.gnu.org/software/findutils/.
You can report (and track progress on fixing) bugs in the \"find\"
utility via the GNU findutils bug-reporting page at
https://savannah.gnu.org/bugs/?group=findutils or, if
you have no web access, by sending email to <bug-findutils@gnu.org>.
";

/// A parsed expression.
#[derive(Debug, Clone)]
enum Expr {
    Name(String, bool),
    Path(String, bool),
    Type(Vec<FileKind>),
    Empty,
    Newer(SimTime),
    Size(Cmp, u64, u64),
    Age(Cmp, u64, u64),
    Const(bool),
    Print(char),
    Delete,
    Prune,
    Quit,
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Comma(Box<Expr>, Box<Expr>),
}

/// `+N`, `-N` or `N` in a numeric test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    More,
    Less,
    Exactly,
}

impl Cmp {
    fn test(self, value: u64, n: u64) -> bool {
        match self {
            Cmp::More => value > n,
            Cmp::Less => value < n,
            Cmp::Exactly => value == n,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Follow {
    Never,
    CommandLine,
    Always,
}

struct Globals {
    maxdepth: Option<u64>,
    mindepth: u64,
    depth_first: bool,
    follow: Follow,
}

fn fail(msg: &str) -> Output {
    Output::err(format!("find: {msg}\n"), 1)
}

/// Runs `find`.
pub(super) fn find(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let mut idx = 1;
    let mut follow = Follow::Never;
    while let Some(arg) = argv.get(idx) {
        match arg.as_str() {
            "-H" => follow = Follow::CommandLine,
            "-L" => follow = Follow::Always,
            "-P" => follow = Follow::Never,
            "--help" => return Output::ok(USAGE),
            "--version" => {
                return Output::ok(
                    "find (GNU findutils) 4.9.0\n\
                     Copyright (C) 2022 Free Software Foundation, Inc.\n\
                     License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
                     This is free software: you are free to change and redistribute it.\n\
                     There is NO WARRANTY, to the extent permitted by law.\n\n\
                     Written by Eric B. Decker, James Youngman, and Kevin Dalley.\n\
                     Features enabled: D_TYPE O_NOFOLLOW(enabled) LEAF_OPTIMISATION FTS(FTS_CWDFD) CBO(level=2) \n",
                )
            }
            "--" => {
                idx += 1;
                break;
            }
            _ => break,
        }
        idx += 1;
    }
    let mut paths = Vec::new();
    while let Some(arg) = argv.get(idx) {
        if looks_like_expression(arg) {
            break;
        }
        paths.push(arg.clone());
        idx += 1;
    }
    if paths.is_empty() {
        paths.push(".".to_string());
    }
    let mut globals = Globals {
        maxdepth: None,
        mindepth: 0,
        depth_first: false,
        follow,
    };
    let mut parser = Parser {
        args: &argv[idx..],
        pos: 0,
        ctx,
        globals: &mut globals,
        has_action: false,
        warnings: String::new(),
        first_test: None,
        nesting: 0,
    };
    let expr = if parser.args.is_empty() {
        None
    } else {
        match parser.parse_comma() {
            Ok(expr) => {
                if parser.pos < parser.args.len() {
                    let extra = &parser.args[parser.pos];
                    if extra == ")" {
                        return fail("invalid expression; you have too many ')'");
                    }
                    return fail(&format!("paths must precede expression: `{extra}'"));
                }
                Some(expr)
            }
            Err(out) => return out,
        }
    };
    let has_action = parser.has_action;
    let warnings = std::mem::take(&mut parser.warnings);
    let expr = match (expr, has_action) {
        (None, _) => Expr::Print('\n'),
        (Some(e), true) => e,
        (Some(e), false) => Expr::And(Box::new(e), Box::new(Expr::Print('\n'))),
    };
    let mut out = Output {
        stderr: warnings,
        ..Output::default()
    };
    let mut walker = Walker {
        globals: &globals,
        expr: &expr,
        out: &mut out,
        quit: false,
    };
    for start in &paths {
        if walker.quit {
            break;
        }
        walker.start(ctx, start);
    }
    out
}

/// Whether an argument starts the expression (findutils' `looks_like_expression`).
fn looks_like_expression(arg: &str) -> bool {
    (arg.starts_with('-') && arg.len() > 1) || arg == "!" || arg == "(" || arg == ")" || arg == ","
}

struct Parser<'a, 'b, 'c> {
    args: &'a [String],
    pos: usize,
    ctx: &'a FsContext<'b>,
    globals: &'c mut Globals,
    has_action: bool,
    warnings: String,
    first_test: Option<String>,
    /// How deep `!` and `(` nest; bounded so the parser's recursion stays shallow.
    nesting: usize,
}

/// Deepest nesting of `!` and `(` the expression parser accepts.
const MAX_NESTING: usize = 200;

impl Parser<'_, '_, '_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn parse_comma(&mut self) -> Result<Expr, Output> {
        let mut left = self.parse_or()?;
        while self.peek() == Some(",") {
            self.pos += 1;
            if self.peek().is_none() {
                return Err(fail("expected an expression after ','"));
            }
            let right = self.parse_or()?;
            left = Expr::Comma(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn parse_or(&mut self) -> Result<Expr, Output> {
        let mut left = self.parse_and()?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            let op = self.args[self.pos].clone();
            self.pos += 1;
            if self.peek().is_none() || self.peek() == Some(")") {
                return Err(fail(&format!("expected an expression after '{op}'")));
            }
            let right = self.parse_and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn parse_and(&mut self) -> Result<Expr, Output> {
        let mut left = self.parse_not()?;
        loop {
            match self.peek() {
                Some("-a" | "-and") => {
                    let op = self.args[self.pos].clone();
                    self.pos += 1;
                    if self.peek().is_none() || self.peek() == Some(")") {
                        return Err(fail(&format!("expected an expression after '{op}'")));
                    }
                }
                Some("-o" | "-or" | "," | ")") | None => return Ok(left),
                Some(_) => {}
            }
            let right = self.parse_not()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
    }

    fn parse_not(&mut self) -> Result<Expr, Output> {
        if self.nesting > MAX_NESTING {
            return Err(fail("invalid expression; nested too deeply"));
        }
        match self.peek() {
            Some("!" | "-not") => {
                let op = self.args[self.pos].clone();
                self.pos += 1;
                if self.peek().is_none() {
                    return Err(fail(&format!("expected an expression after '{op}'")));
                }
                self.nesting += 1;
                let inner = self.parse_not();
                self.nesting -= 1;
                Ok(Expr::Not(Box::new(inner?)))
            }
            _ => self.parse_primary(),
        }
    }

    fn arg(&mut self, name: &str) -> Result<String, Output> {
        match self.args.get(self.pos) {
            Some(value) => {
                self.pos += 1;
                Ok(value.clone())
            }
            None => Err(fail(&format!("missing argument to `{name}'"))),
        }
    }

    fn global(&mut self, name: &str) {
        if let Some(first) = &self.first_test {
            self.warnings.push_str(&format!(
                "find: warning: you have specified the global option {name} after the argument {first}, \
                 but global options are not positional, i.e., {name} affects tests specified before it \
                 as well as those specified after it.  Please specify global options before other arguments.\n"
            ));
        }
    }

    fn parse_primary(&mut self) -> Result<Expr, Output> {
        let Some(token) = self.peek().map(str::to_string) else {
            return Err(fail("invalid expression"));
        };
        self.pos += 1;
        if token == "(" {
            if self.peek() == Some(")") {
                return Err(fail(
                    "invalid expression; empty parentheses are not allowed.",
                ));
            }
            self.nesting += 1;
            let inner = self.parse_comma();
            self.nesting -= 1;
            let inner = inner?;
            if self.peek() != Some(")") {
                return Err(fail(
                    "invalid expression; I was expecting to find a ')' somewhere but did not see one.",
                ));
            }
            self.pos += 1;
            return Ok(inner);
        }
        if token == ")" {
            return Err(fail("invalid expression; you have too many ')'"));
        }
        if !looks_like_expression(&token) {
            return Err(fail(&format!("paths must precede expression: `{token}'")));
        }
        let is_option = matches!(
            token.as_str(),
            "-maxdepth"
                | "-mindepth"
                | "-depth"
                | "-d"
                | "-xdev"
                | "-mount"
                | "-noleaf"
                | "-follow"
                | "-nowarn"
                | "-warn"
                | "-daystart"
        );
        if !is_option && self.first_test.is_none() {
            self.first_test = Some(token.clone());
        }
        let expr = match token.as_str() {
            "-name" | "-iname" => {
                let pat = self.arg(&token)?;
                Expr::Name(pat, token == "-iname")
            }
            "-path" | "-ipath" | "-wholename" | "-iwholename" => {
                let pat = self.arg(&token)?;
                Expr::Path(pat, token.starts_with("-i"))
            }
            "-type" => {
                let spec = self.arg(&token)?;
                let mut kinds = Vec::new();
                for (i, part) in spec.split(',').enumerate() {
                    let mut chars = part.chars();
                    let (Some(c), None) = (chars.next(), chars.next()) else {
                        if part.is_empty() && i > 0 {
                            return Err(fail("Last file type in list argument to -type is missing, i.e., list is ending on: ','"));
                        }
                        return Err(fail("Must separate multiple arguments to -type using: ','"));
                    };
                    match c {
                        'f' => kinds.push(FileKind::File),
                        'd' => kinds.push(FileKind::Dir),
                        'l' => kinds.push(FileKind::Symlink),
                        'b' | 'c' | 'p' | 's' => {}
                        other => return Err(fail(&format!("Unknown argument to -type: {other}"))),
                    }
                }
                Expr::Type(kinds)
            }
            "-empty" => Expr::Empty,
            "-true" => Expr::Const(true),
            "-false" => Expr::Const(false),
            "-user" | "-group" => {
                let who = self.arg(&token)?;
                Expr::Const(who == "root" || who == "0")
            }
            "-readable" | "-writable" | "-executable" => Expr::Const(true),
            "-newer" => {
                let file = self.arg(&token)?;
                match self.ctx.fs.stat(&abs(self.ctx, &file)) {
                    Ok(meta) => Expr::Newer(meta.mtime),
                    Err(err) => return Err(fail(&format!("{}: {err}", quote(&file)))),
                }
            }
            "-size" => {
                let spec = self.arg(&token)?;
                let (cmp, rest) = split_cmp(&spec);
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let unit = match &rest[digits.len()..] {
                    "" | "b" => 512,
                    "c" => 1,
                    "w" => 2,
                    "k" => 1024,
                    "M" => 1024 * 1024,
                    "G" => 1024 * 1024 * 1024,
                    _ => return Err(fail(&format!("Invalid argument `{spec}' to -size"))),
                };
                let Ok(n) = digits.parse::<u64>() else {
                    return Err(fail(&format!("Invalid argument `{spec}' to -size")));
                };
                Expr::Size(cmp, n, unit)
            }
            "-mtime" | "-mmin" => {
                let spec = self.arg(&token)?;
                let (cmp, rest) = split_cmp(&spec);
                let Ok(n) = rest.parse::<u64>() else {
                    return Err(fail(&format!("invalid argument `{spec}' to `{token}'")));
                };
                let unit = if token == "-mtime" {
                    86_400_000
                } else {
                    60_000
                };
                Expr::Age(cmp, n, unit)
            }
            "-maxdepth" | "-mindepth" => {
                let value = self.arg(&token)?;
                let Ok(n) = value.parse::<u64>() else {
                    return Err(fail(&format!(
                        "Expected a positive decimal integer argument to {token}, but got {}",
                        quote(&value)
                    )));
                };
                self.global(&token);
                if token == "-maxdepth" {
                    self.globals.maxdepth = Some(n);
                } else {
                    self.globals.mindepth = n;
                }
                Expr::Const(true)
            }
            "-depth" | "-d" => {
                self.global(&token);
                self.globals.depth_first = true;
                Expr::Const(true)
            }
            "-xdev" | "-mount" | "-noleaf" | "-nowarn" | "-warn" | "-daystart" => Expr::Const(true),
            "-follow" => {
                self.globals.follow = Follow::Always;
                Expr::Const(true)
            }
            "-print" => {
                self.has_action = true;
                Expr::Print('\n')
            }
            "-print0" => {
                self.has_action = true;
                Expr::Print('\0')
            }
            "-delete" => {
                self.has_action = true;
                self.globals.depth_first = true;
                Expr::Delete
            }
            "-prune" => Expr::Prune,
            "-quit" => Expr::Quit,
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                return Err(fail(&format!(
                    "{token} is not available in this playground: commands cannot start other commands; try piping to a loop instead"
                )));
            }
            _ => return Err(fail(&format!("unknown predicate `{token}'"))),
        };
        Ok(expr)
    }
}

fn split_cmp(spec: &str) -> (Cmp, &str) {
    if let Some(rest) = spec.strip_prefix('+') {
        (Cmp::More, rest)
    } else if let Some(rest) = spec.strip_prefix('-') {
        (Cmp::Less, rest)
    } else {
        (Cmp::Exactly, spec)
    }
}

struct Walker<'a> {
    globals: &'a Globals,
    expr: &'a Expr,
    out: &'a mut Output,
    quit: bool,
}

/// What an evaluation needs to know about one file.
struct Visit<'a> {
    shown: &'a str,
    path: &'a str,
    meta: Metadata,
    depth: u64,
}

impl Walker<'_> {
    fn start(&mut self, ctx: &mut FsContext<'_>, start: &str) {
        let path = abs(ctx, start);
        let follow = self.globals.follow != Follow::Never;
        let meta = if start.is_empty() {
            Err(crate::node::fs::FsError::NotFound)
        } else if follow {
            ctx.fs.stat(&path).or_else(|_| ctx.fs.lstat(&path))
        } else {
            ctx.fs.lstat(&path)
        };
        match meta {
            Ok(meta) => self.visit(ctx, start, &path, meta, 0),
            Err(err) => {
                self.out
                    .stderr
                    .push_str(&format!("find: {}: {err}\n", quote(start)));
                self.out.code = 1;
            }
        }
    }

    fn visit(
        &mut self,
        ctx: &mut FsContext<'_>,
        shown: &str,
        path: &str,
        meta: Metadata,
        depth: u64,
    ) {
        if self.quit || depth as usize > super::common::MAX_TREE_DEPTH {
            return;
        }
        let within_max = self.globals.maxdepth.is_none_or(|max| depth <= max);
        if !within_max {
            return;
        }
        let applies = depth >= self.globals.mindepth;
        let mut prune = false;
        if applies && !self.globals.depth_first {
            let visit = Visit {
                shown,
                path,
                meta,
                depth,
            };
            let mut state = EvalState::default();
            let expr = self.expr;
            self.eval(ctx, expr, &visit, &mut state);
            prune = state.prune;
        }
        let descend = meta.is_dir()
            && !prune
            && self.globals.maxdepth.is_none_or(|max| depth < max)
            && !self.quit;
        if descend {
            let entries = ctx.fs.read_dir(path).unwrap_or_default();
            for entry in entries {
                if self.quit {
                    return;
                }
                let child = super::common::join(path, &entry.name);
                let child_shown = super::common::join(shown, &entry.name);
                let child_meta = if self.globals.follow == Follow::Always {
                    ctx.fs.stat(&child).or_else(|_| ctx.fs.lstat(&child))
                } else {
                    ctx.fs.lstat(&child)
                };
                if let Ok(child_meta) = child_meta {
                    self.visit(ctx, &child_shown, &child, child_meta, depth + 1);
                }
            }
        }
        if applies && self.globals.depth_first && !self.quit {
            let visit = Visit {
                shown,
                path,
                meta,
                depth,
            };
            let mut state = EvalState::default();
            let expr = self.expr;
            self.eval(ctx, expr, &visit, &mut state);
        }
    }

    fn eval(
        &mut self,
        ctx: &mut FsContext<'_>,
        expr: &Expr,
        v: &Visit<'_>,
        state: &mut EvalState,
    ) -> bool {
        if self.quit {
            return false;
        }
        match expr {
            Expr::Name(pat, icase) => {
                let trimmed = v.shown.trim_end_matches('/');
                let base = if trimmed.is_empty() {
                    "/"
                } else {
                    super::common::base_name(trimmed)
                };
                fnmatch(pat, base, *icase)
            }
            Expr::Path(pat, icase) => fnmatch(pat, v.shown, *icase),
            Expr::Type(kinds) => kinds.contains(&v.meta.kind),
            Expr::Empty => match v.meta.kind {
                FileKind::Dir => ctx.fs.read_dir(v.path).is_ok_and(|e| e.is_empty()),
                FileKind::File => v.meta.size == 0,
                FileKind::Symlink => false,
            },
            Expr::Newer(t) => v.meta.mtime > *t,
            Expr::Size(cmp, n, unit) => cmp.test(v.meta.size.div_ceil(*unit), *n),
            Expr::Age(cmp, n, unit) => {
                let age = ctx.now.as_millis().saturating_sub(v.meta.mtime.as_millis());
                cmp.test(age / unit, *n)
            }
            Expr::Const(b) => *b,
            Expr::Print(end) => {
                self.out.stdout.push_str(v.shown);
                self.out.stdout.push(*end);
                true
            }
            Expr::Delete => {
                if v.depth == 0 && (v.shown == "." || v.shown == "./") {
                    return true;
                }
                let result = if v.meta.is_dir() {
                    ctx.fs.remove_dir(ctx.now, v.path)
                } else {
                    ctx.fs.remove_file(ctx.now, v.path)
                };
                match result {
                    Ok(()) => true,
                    Err(err) => {
                        self.out
                            .stderr
                            .push_str(&format!("find: cannot delete {}: {err}\n", quote(v.shown)));
                        self.out.code = 1;
                        false
                    }
                }
            }
            Expr::Prune => {
                state.prune = true;
                true
            }
            Expr::Quit => {
                self.quit = true;
                true
            }
            Expr::Not(inner) => !self.eval(ctx, inner, v, state),
            Expr::And(a, b) => self.eval(ctx, a, v, state) && self.eval(ctx, b, v, state),
            Expr::Or(a, b) => self.eval(ctx, a, v, state) || self.eval(ctx, b, v, state),
            Expr::Comma(a, b) => {
                self.eval(ctx, a, v, state);
                self.eval(ctx, b, v, state)
            }
        }
    }
}

#[derive(Default)]
struct EvalState {
    prune: bool,
}
