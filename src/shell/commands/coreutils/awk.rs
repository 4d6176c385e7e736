//! `awk`: Ubuntu 24.04's awk is mawk 1.3.4, so its options, output formats and messages
//! are mawk's (`awk: line 1: syntax error at or near }`, `awk: run time error: ...`).
//!
//! The language is POSIX awk: `BEGIN`/`END`, patterns (expressions, `/re/`, ranges),
//! `print`/`printf` (with `>`/`>>` to files), `if`/`while`/`do`/`for`/`for (k in a)`,
//! `next`, `exit`, `delete`, arrays, user functions, `getline [var] [< file]`, fields and
//! the special variables (`NR NF FNR FS OFS ORS RS FILENAME SUBSEP RSTART RLENGTH CONVFMT
//! OFMT ENVIRON`), and the built-in functions `length substr index split sub gsub match
//! sprintf tolower toupper int sqrt exp log sin cos atan2 rand srand close fflush`.
//!
//! Deviations: `system()`, `cmd | getline` and `print | cmd` are refused with a message
//! (commands here cannot start other commands); `for (k in a)` visits keys in sorted
//! order; regular expressions have the limits described in `regex.rs`; a program that runs
//! more than 5 million steps, or builds a string over 16 MiB, is stopped.

use std::collections::BTreeMap;

use regex_lite::Regex;

use crate::node::fs::WriteMode;
use crate::shell::io::{FsContext, Output};

use super::common::abs;
use super::regex::{self as posix, Flavor, Options};

const USAGE: &str = "\
Usage: mawk [Options] [Program] [file ...]

Program:
    The -f option value is the name of a file containing program text.
    If no -f option is given, a \"--\" ends option processing; the following
    parameters are the program text.

Options:
    -f program-file  Program  text is read from file instead of from the
                     command-line.  Multiple -f options are accepted.
    -F value         sets the field separator, FS, to value.
    -v var=value     assigns value to program variable var.
    --               unambiguous end of options.

    Implementation-specific options are prefixed with \"-W\".  They can be
    abbreviated:

    -W version       show version information and exit.
    -W compat        pre-POSIX 2001.
    -W dump          show assembler-like listing of program and exit.
    -W help          show this message and exit.
    -W interactive   set unbuffered output, line-buffered input.
    -W exec file     use file as program as well as last option.
    -W posix         stricter POSIX checking.
    -W random=number set initial random seed.
    -W sprintf=number adjust size of sprintf buffer.
    -W usage         show this message and exit.
";

const VERSION: &str = "\
mawk 1.3.4 20240123
Copyright 2008-2023,2024, Thomas E. Dickey
Copyright 1991-1996,2014, Michael D. Brennan

random-funcs:       srandom/random
regex-funcs:        internal

compiled limits:
sprintf buffer      8192
maximum-integer     2147483647
";

/// Steps (statements and expressions) one run may take.
const STEP_LIMIT: u64 = 5_000_000;

/// Longest string (and output) one run may build, so `s = s s` cannot exhaust memory.
const MAX_STRING: usize = 16 << 20;

/// Deepest nesting the parser accepts; evaluation recursion follows the tree's depth.
const MAX_DEPTH: usize = 200;

/// Runs `awk`.
pub(super) fn awk(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let mut fs: Option<String> = None;
    let mut assigns: Vec<String> = Vec::new();
    let mut program_files: Vec<String> = Vec::new();
    let mut idx = 1;
    if argv.len() <= 1 {
        return Output::err(USAGE, 0);
    }
    while idx < argv.len() {
        let arg = &argv[idx];
        if !arg.starts_with('-') || arg == "-" {
            break;
        }
        if arg == "--" {
            idx += 1;
            break;
        }
        if arg == "--version" || arg == "-Wversion" || arg == "-Wv" {
            return Output::ok(VERSION);
        }
        if arg == "--help" || arg == "-Whelp" || arg == "-Wusage" {
            return Output::ok(USAGE);
        }
        let flag = arg.chars().nth(1).unwrap_or('-');
        if !"Ffvw W".contains(flag) || flag == ' ' || arg.starts_with("--") {
            return Output::err(format!("awk: not an option: {arg}\n"), 2);
        }
        let value = if arg.len() > 2 {
            idx += 1;
            arg[2..].to_string()
        } else {
            if idx + 1 >= argv.len() {
                return Output::err(format!("awk: option {arg} lacks argument\n"), 2);
            }
            idx += 2;
            argv[idx - 1].clone()
        };
        match flag {
            'F' => fs = Some(value),
            'v' => {
                if !value.contains('=') {
                    return Output::err(format!("awk: improper assignment: -v {value}\n"), 2);
                }
                assigns.push(value);
            }
            'f' => program_files.push(value),
            _ => {}
        }
    }
    let source = if program_files.is_empty() {
        let Some(text) = argv.get(idx) else {
            return Output::err(USAGE, 0);
        };
        idx += 1;
        text.clone()
    } else {
        let mut text = String::new();
        for name in &program_files {
            let read = if name == "-" || name == "/dev/stdin" {
                Ok(stdin.to_string())
            } else {
                ctx.fs.read_to_string(&abs(ctx, name))
            };
            match read {
                Ok(t) => {
                    text.push_str(&t);
                    text.push('\n');
                }
                Err(err) => {
                    return Output::err(format!("awk: cannot open \"{name}\" ({err})\n"), 2)
                }
            }
        }
        text
    };
    let program = match Parser::parse(&source) {
        Ok(p) => p,
        Err(msg) => return Output::err(format!("awk: {msg}\n"), 2),
    };
    let mut interp = Interp::new(ctx, program, stdin);
    if let Some(fs) = fs {
        let fs = if fs == "t" {
            "\t".to_string()
        } else {
            unescape_string(&fs)
        };
        interp.set_var("FS", Value::Str(fs));
    }
    for a in &assigns {
        interp.command_assign(a);
    }
    interp.operands = argv[idx..].to_vec();
    let mut out = interp.run();
    // Files written with `print > file`, in the order they were opened.
    let files = std::mem::take(&mut interp.files);
    for (name, (content, append)) in files {
        let path = abs(interp.ctx, &name);
        let mode = if append {
            WriteMode::Append
        } else {
            WriteMode::Truncate
        };
        if let Err(err) = interp
            .ctx
            .fs
            .write(interp.ctx.now, &path, content.as_bytes(), mode)
        {
            out.stderr
                .push_str(&format!("awk: cannot open \"{name}\" for output ({err})\n"));
            out.code = 2;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    Name(String),
    /// A user function name directly followed by `(`.
    FuncName(String),
    Builtin(String),
    Kw(&'static str),
    Op(&'static str),
    Newline,
    Eof,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue",
    "next", "nextfile", "exit", "return", "delete", "in", "getline", "print", "printf",
];

const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper",
    "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system", "close",
    "fflush",
];

const OPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~",
    "**", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|",
    "?", ":", "~", "$", "=",
];

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    /// Whether a `/` now would be division (the previous token was an operand).
    operand_before: bool,
}

impl Lexer {
    fn next_tok(&mut self) -> Result<(Tok, u32), String> {
        loop {
            let Some(&c) = self.chars.get(self.pos) else {
                return Ok((Tok::Eof, self.line));
            };
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if self.chars.get(self.pos + 1) == Some(&'\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                '#' => {
                    while self.chars.get(self.pos).is_some_and(|&c| c != '\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let line = self.line;
        let c = self.chars[self.pos];
        let tok = if c == '\n' {
            self.pos += 1;
            self.line += 1;
            Tok::Newline
        } else if c.is_ascii_digit()
            || (c == '.'
                && self
                    .chars
                    .get(self.pos + 1)
                    .is_some_and(char::is_ascii_digit))
        {
            let start = self.pos;
            while self
                .chars
                .get(self.pos)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.')
            {
                self.pos += 1;
            }
            if matches!(self.chars.get(self.pos), Some('e' | 'E')) {
                let save = self.pos;
                self.pos += 1;
                if matches!(self.chars.get(self.pos), Some('+' | '-')) {
                    self.pos += 1;
                }
                if self.chars.get(self.pos).is_some_and(char::is_ascii_digit) {
                    while self.chars.get(self.pos).is_some_and(char::is_ascii_digit) {
                        self.pos += 1;
                    }
                } else {
                    self.pos = save;
                }
            }
            let text: String = self.chars[start..self.pos].iter().collect();
            Tok::Num(text.parse().unwrap_or_else(|_| str_to_num(&text)))
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = self.pos;
            while self
                .chars
                .get(self.pos)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                self.pos += 1;
            }
            let word: String = self.chars[start..self.pos].iter().collect();
            if let Some(kw) = KEYWORDS.iter().find(|k| **k == word) {
                Tok::Kw(kw)
            } else if BUILTINS.contains(&word.as_str()) {
                Tok::Builtin(word)
            } else if self.chars.get(self.pos) == Some(&'(') {
                Tok::FuncName(word)
            } else {
                Tok::Name(word)
            }
        } else if c == '"' {
            self.pos += 1;
            let mut s = String::new();
            loop {
                let Some(&d) = self.chars.get(self.pos) else {
                    return Err(format!("line {line}: runaway string constant \"{s} ..."));
                };
                self.pos += 1;
                match d {
                    '"' => break,
                    '\n' => return Err(format!("line {line}: runaway string constant \"{s} ...")),
                    '\\' => {
                        let Some(&e) = self.chars.get(self.pos) else {
                            s.push('\\');
                            continue;
                        };
                        self.pos += 1;
                        match e {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            'r' => s.push('\r'),
                            '\\' => s.push('\\'),
                            '"' => s.push('"'),
                            '/' => s.push('/'),
                            'a' => s.push('\u{7}'),
                            'b' => s.push('\u{8}'),
                            'f' => s.push('\u{c}'),
                            'v' => s.push('\u{b}'),
                            '\n' => self.line += 1,
                            '0'..='7' => {
                                let mut v = e as u32 - '0' as u32;
                                for _ in 0..2 {
                                    match self.chars.get(self.pos) {
                                        Some(&d @ '0'..='7') => {
                                            v = v * 8 + (d as u32 - '0' as u32);
                                            self.pos += 1;
                                        }
                                        _ => break,
                                    }
                                }
                                s.push(char::from_u32(v).unwrap_or('?'));
                            }
                            other => {
                                s.push('\\');
                                s.push(other);
                            }
                        }
                    }
                    d => s.push(d),
                }
            }
            Tok::Str(s)
        } else if c == '/' && !self.operand_before {
            self.pos += 1;
            let mut s = String::new();
            let mut in_bracket = false;
            loop {
                let Some(&d) = self.chars.get(self.pos) else {
                    return Err(format!("line {line}: runaway regular expression /{s} ..."));
                };
                self.pos += 1;
                match d {
                    '\n' => {
                        return Err(format!("line {line}: runaway regular expression /{s} ..."))
                    }
                    '/' if !in_bracket => break,
                    '[' => {
                        in_bracket = true;
                        s.push(d);
                        if self.chars.get(self.pos) == Some(&'^') {
                            s.push('^');
                            self.pos += 1;
                        }
                        if self.chars.get(self.pos) == Some(&']') {
                            s.push(']');
                            self.pos += 1;
                        }
                    }
                    ']' => {
                        in_bracket = false;
                        s.push(d);
                    }
                    '\\' => {
                        if let Some(&e) = self.chars.get(self.pos) {
                            self.pos += 1;
                            if e == '/' {
                                s.push('/');
                            } else {
                                s.push('\\');
                                s.push(e);
                            }
                        }
                    }
                    d => s.push(d),
                }
            }
            Tok::Regex(s)
        } else {
            let rest: String = self.chars[self.pos..self.chars.len().min(self.pos + 2)]
                .iter()
                .collect();
            let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) else {
                self.pos += 1;
                return Err(format!("{line}: unexpected character '{c}'"));
            };
            self.pos += op.chars().count();
            Tok::Op(if *op == "**" { "^" } else { op })
        };
        self.operand_before = matches!(
            tok,
            Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Regex(_) | Tok::Builtin(_)
        ) || matches!(tok, Tok::Op(")" | "]" | "$" | "++" | "--"));
        // `$` is followed by an operand, so a `/` right after it starts a regex.
        if tok == Tok::Op("$") {
            self.operand_before = false;
        }
        Ok((tok, line))
    }
}

// ---------------------------------------------------------------------------------------
// Syntax tree
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Str(String),
    /// A regex literal; as a value it means `$0 ~ /re/`.
    Regex(String),
    Var(String),
    Field(Box<Expr>),
    Index(String, Vec<Expr>),
    Assign(&'static str, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    In(Vec<Expr>, String),
    IncDec(bool, bool, Box<Expr>),
    Call(String, Vec<Expr>),
    UserCall(String, Vec<Expr>),
    Getline(Option<Box<Expr>>, Option<Box<Expr>>),
    Group(Box<Expr>),
}

#[derive(Debug, Clone)]
enum Redirect {
    File(Expr),
    Append(Expr),
}

#[derive(Debug, Clone)]
enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<Redirect>),
    Printf(Vec<Expr>, Option<Redirect>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Vec<Expr>>),
}

#[derive(Debug, Clone)]
enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug, Clone)]
struct Item {
    pattern: Pattern,
    /// `None`: print the record.
    action: Option<Vec<Stmt>>,
}

#[derive(Debug, Clone)]
struct Function {
    params: Vec<String>,
    body: Vec<Stmt>,
}

#[derive(Debug, Clone, Default)]
struct Program {
    items: Vec<Item>,
    functions: BTreeMap<String, Function>,
}

// ---------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------

struct Parser {
    toks: Vec<(Tok, u32)>,
    pos: usize,
    /// Inside `print` arguments, `>` is redirection, not comparison.
    print_depth: bool,
    /// Inside `for (` header, `in` is handled specially.
    no_in: bool,
    /// Current recursion depth of the parser.
    depth: usize,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Eof => "end of file".to_string(),
        Tok::Newline => "end of line".to_string(),
        Tok::Num(n) => format_num(*n, "%.6g"),
        Tok::Str(s) | Tok::Name(s) | Tok::FuncName(s) | Tok::Builtin(s) => s.clone(),
        Tok::Regex(r) => format!("/{r}/"),
        Tok::Kw(k) => (*k).to_string(),
        Tok::Op(o) => (*o).to_string(),
    }
}

impl Parser {
    fn parse(source: &str) -> Result<Program, String> {
        let mut lexer = Lexer {
            chars: source.chars().collect(),
            pos: 0,
            line: 1,
            operand_before: false,
        };
        let mut toks = Vec::new();
        loop {
            let (tok, line) = lexer.next_tok()?;
            let end = tok == Tok::Eof;
            toks.push((tok, line));
            if end {
                break;
            }
        }
        let mut p = Parser {
            toks,
            pos: 0,
            print_depth: false,
            no_in: false,
            depth: 0,
        };
        let prog = p.program()?;
        let deepest = prog
            .items
            .iter()
            .map(|item| {
                let pat = match &item.pattern {
                    Pattern::Expr(e) => expr_depth(e),
                    Pattern::Range(a, b) => expr_depth(a).max(expr_depth(b)),
                    _ => 0,
                };
                pat.max(item.action.as_deref().map_or(0, stmts_depth))
            })
            .chain(prog.functions.values().map(|f| stmts_depth(&f.body)))
            .max()
            .unwrap_or(0);
        if deepest > 2 * MAX_DEPTH {
            return Err("line 1: program too complex (playground limit)".to_string());
        }
        Ok(prog)
    }

    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)].0
    }

    fn advance(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn error(&self) -> String {
        let (tok, line) = &self.toks[self.pos.min(self.toks.len() - 1)];
        format!("line {line}: syntax error at or near {}", describe(tok))
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), String> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn newlines(&mut self) {
        while *self.peek() == Tok::Newline {
            self.advance();
        }
    }

    fn terminators(&mut self) {
        while *self.peek() == Tok::Newline || self.is_op(";") {
            self.advance();
        }
    }

    fn program(&mut self) -> Result<Program, String> {
        let mut prog = Program::default();
        self.terminators();
        while *self.peek() != Tok::Eof {
            match self.peek().clone() {
                Tok::Kw("function" | "func") => {
                    self.advance();
                    let name = match self.advance() {
                        Tok::Name(n) | Tok::FuncName(n) => n,
                        _ => return Err(self.error()),
                    };
                    self.expect_op("(")?;
                    let mut params = Vec::new();
                    while !self.is_op(")") {
                        match self.advance() {
                            Tok::Name(n) => params.push(n),
                            _ => return Err(self.error()),
                        }
                        self.newlines();
                        if !self.eat_op(",") {
                            break;
                        }
                        self.newlines();
                    }
                    self.expect_op(")")?;
                    self.newlines();
                    let body = self.block()?;
                    prog.functions.insert(name, Function { params, body });
                }
                Tok::Kw("BEGIN") => {
                    self.advance();
                    self.newlines();
                    let action = self.block()?;
                    prog.items.push(Item {
                        pattern: Pattern::Begin,
                        action: Some(action),
                    });
                }
                Tok::Kw("END") => {
                    self.advance();
                    self.newlines();
                    let action = self.block()?;
                    prog.items.push(Item {
                        pattern: Pattern::End,
                        action: Some(action),
                    });
                }
                Tok::Op("{") => {
                    let action = self.block()?;
                    prog.items.push(Item {
                        pattern: Pattern::All,
                        action: Some(action),
                    });
                }
                _ => {
                    let first = self.expr()?;
                    let pattern = if self.eat_op(",") {
                        self.newlines();
                        Pattern::Range(first, self.expr()?)
                    } else {
                        Pattern::Expr(first)
                    };
                    let action = if self.is_op("{") {
                        Some(self.block()?)
                    } else {
                        None
                    };
                    prog.items.push(Item { pattern, action });
                }
            }
            self.terminators();
        }
        Ok(prog)
    }

    fn block(&mut self) -> Result<Vec<Stmt>, String> {
        self.expect_op("{")?;
        let mut stmts = Vec::new();
        loop {
            self.terminators();
            if self.eat_op("}") {
                return Ok(stmts);
            }
            if *self.peek() == Tok::Eof {
                return Err(self.error());
            }
            stmts.push(self.statement()?);
        }
    }

    /// A simple statement's end: `;`, newline, or just before `}`.
    fn end_simple(&mut self) -> Result<(), String> {
        if self.is_op(";") || *self.peek() == Tok::Newline {
            self.advance();
            return Ok(());
        }
        if self.is_op("}") || *self.peek() == Tok::Eof {
            return Ok(());
        }
        Err(self.error())
    }

    fn body(&mut self) -> Result<Stmt, String> {
        self.newlines();
        if self.is_op(";") {
            self.advance();
            return Ok(Stmt::Block(Vec::new()));
        }
        self.statement()
    }

    fn statement(&mut self) -> Result<Stmt, String> {
        self.enter()?;
        let r = self.statement_inner();
        self.depth -= 1;
        r
    }

    fn statement_inner(&mut self) -> Result<Stmt, String> {
        let stmt = match self.peek().clone() {
            Tok::Op("{") => Stmt::Block(self.block()?),
            Tok::Kw("if") => {
                self.advance();
                self.expect_op("(")?;
                let cond = self.expr()?;
                self.expect_op(")")?;
                let then = self.body()?;
                // `else` may follow after newlines or a `;`.
                let save = self.pos;
                self.terminators();
                if *self.peek() == Tok::Kw("else") {
                    self.advance();
                    let other = self.body()?;
                    Stmt::If(cond, Box::new(then), Some(Box::new(other)))
                } else {
                    self.pos = save;
                    Stmt::If(cond, Box::new(then), None)
                }
            }
            Tok::Kw("while") => {
                self.advance();
                self.expect_op("(")?;
                let cond = self.expr()?;
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.advance();
                    return Ok(Stmt::While(cond, Box::new(Stmt::Block(Vec::new()))));
                }
                Stmt::While(cond, Box::new(self.body()?))
            }
            Tok::Kw("do") => {
                self.advance();
                let body = self.body()?;
                self.terminators();
                if *self.peek() != Tok::Kw("while") {
                    return Err(self.error());
                }
                self.advance();
                self.expect_op("(")?;
                let cond = self.expr()?;
                self.expect_op(")")?;
                self.end_simple()?;
                Stmt::Do(Box::new(body), cond)
            }
            Tok::Kw("for") => {
                self.advance();
                self.expect_op("(")?;
                if let (Tok::Name(var), Tok::Kw("in"), Tok::Name(arr), Tok::Op(")")) = (
                    self.peek().clone(),
                    self.peek_at(1).clone(),
                    self.peek_at(2).clone(),
                    self.peek_at(3).clone(),
                ) {
                    self.pos += 4;
                    let body = self.body()?;
                    return Ok(Stmt::ForIn(var, arr, Box::new(body)));
                }
                let init = if self.is_op(";") {
                    None
                } else {
                    Some(Box::new(self.simple_statement()?))
                };
                self.expect_op(";")?;
                self.newlines();
                let cond = if self.is_op(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect_op(";")?;
                self.newlines();
                let incr = if self.is_op(")") {
                    None
                } else {
                    Some(Box::new(self.simple_statement()?))
                };
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.advance();
                    return Ok(Stmt::For(
                        init,
                        cond,
                        incr,
                        Box::new(Stmt::Block(Vec::new())),
                    ));
                }
                let body = self.body()?;
                return Ok(Stmt::For(init, cond, incr, Box::new(body)));
            }
            Tok::Op(";") => {
                self.advance();
                return Ok(Stmt::Block(Vec::new()));
            }
            _ => {
                let s = self.simple_statement()?;
                self.end_simple()?;
                return Ok(s);
            }
        };
        Ok(stmt)
    }

    fn simple_statement(&mut self) -> Result<Stmt, String> {
        match self.peek().clone() {
            Tok::Kw("print") | Tok::Kw("printf") => {
                let is_printf = *self.peek() == Tok::Kw("printf");
                self.advance();
                let mut args = Vec::new();
                let save = self.print_depth;
                self.print_depth = true;
                let ends = |p: &Parser| {
                    matches!(p.peek(), Tok::Newline | Tok::Eof)
                        || p.is_op(";")
                        || p.is_op("}")
                        || p.is_op(">")
                        || p.is_op(">>")
                        || p.is_op("|")
                };
                if !ends(self) {
                    // `print (a, b)` groups the list.
                    if self.is_op("(") {
                        let start = self.pos;
                        self.advance();
                        let mut list = vec![self.expr_in_parens()?];
                        while self.eat_op(",") {
                            self.newlines();
                            list.push(self.expr_in_parens()?);
                        }
                        if self.eat_op(")") && ends(self) {
                            args = list;
                        } else {
                            self.pos = start;
                            args = self.expr_list()?;
                        }
                    } else {
                        args = self.expr_list()?;
                    }
                }
                self.print_depth = save;
                let redirect = if self.eat_op(">") {
                    Some(Redirect::File(self.concat_level()?))
                } else if self.eat_op(">>") {
                    Some(Redirect::Append(self.concat_level()?))
                } else if self.is_op("|") {
                    return Err(
                        "line 1: print | command is not supported in this playground".to_string(),
                    );
                } else {
                    None
                };
                if is_printf {
                    if args.is_empty() {
                        return Err(self.error());
                    }
                    Ok(Stmt::Printf(args, redirect))
                } else {
                    Ok(Stmt::Print(args, redirect))
                }
            }
            Tok::Kw("next") => {
                self.advance();
                Ok(Stmt::Next)
            }
            Tok::Kw("nextfile") => {
                self.advance();
                Ok(Stmt::NextFile)
            }
            Tok::Kw("break") => {
                self.advance();
                Ok(Stmt::Break)
            }
            Tok::Kw("continue") => {
                self.advance();
                Ok(Stmt::Continue)
            }
            Tok::Kw("exit") | Tok::Kw("return") => {
                let is_exit = *self.peek() == Tok::Kw("exit");
                self.advance();
                let value = if matches!(self.peek(), Tok::Newline | Tok::Eof)
                    || self.is_op(";")
                    || self.is_op("}")
                {
                    None
                } else {
                    Some(self.expr()?)
                };
                Ok(if is_exit {
                    Stmt::Exit(value)
                } else {
                    Stmt::Return(value)
                })
            }
            Tok::Kw("delete") => {
                self.advance();
                let Tok::Name(name) = self.advance() else {
                    return Err(self.error());
                };
                if self.eat_op("[") {
                    let subs = self.expr_list()?;
                    self.expect_op("]")?;
                    Ok(Stmt::Delete(name, Some(subs)))
                } else {
                    Ok(Stmt::Delete(name, None))
                }
            }
            _ => Ok(Stmt::Expr(self.expr()?)),
        }
    }

    fn expr_in_parens(&mut self) -> Result<Expr, String> {
        let save = (self.print_depth, self.no_in);
        self.print_depth = false;
        self.no_in = false;
        let e = self.expr();
        (self.print_depth, self.no_in) = save;
        e
    }

    fn expr_list(&mut self) -> Result<Vec<Expr>, String> {
        let mut list = vec![self.expr()?];
        while self.eat_op(",") {
            self.newlines();
            list.push(self.expr()?);
        }
        Ok(list)
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.enter()?;
        let r = self.ternary();
        self.depth -= 1;
        r
    }

    fn is_lvalue(e: &Expr) -> bool {
        matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(_, _))
    }

    fn ternary(&mut self) -> Result<Expr, String> {
        let cond = self.or()?;
        if self.is_op("?") {
            self.advance();
            self.newlines();
            let a = self.ternary()?;
            self.newlines();
            self.expect_op(":")?;
            self.newlines();
            let b = self.ternary()?;
            return Ok(Expr::Cond(Box::new(cond), Box::new(a), Box::new(b)));
        }
        if let Tok::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=")) = self.peek().clone() {
            if Self::is_lvalue(&cond) {
                self.advance();
                self.newlines();
                let value = self.ternary()?;
                return Ok(Expr::Assign(op, Box::new(cond), Box::new(value)));
            }
        }
        Ok(cond)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.eat_op("||") {
            self.newlines();
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.in_expr()?;
        while self.eat_op("&&") {
            self.newlines();
            let right = self.in_expr()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn in_expr(&mut self) -> Result<Expr, String> {
        let mut left = self.matching()?;
        while !self.no_in && *self.peek() == Tok::Kw("in") {
            self.advance();
            let Tok::Name(arr) = self.advance() else {
                return Err(self.error());
            };
            let subs = match left {
                Expr::Group(inner) => vec![*inner],
                other => vec![other],
            };
            left = Expr::In(subs, arr);
        }
        Ok(left)
    }

    fn matching(&mut self) -> Result<Expr, String> {
        let mut left = self.comparison()?;
        loop {
            let negate = if self.is_op("~") {
                false
            } else if self.is_op("!~") {
                true
            } else {
                return Ok(left);
            };
            self.advance();
            let right = self.comparison()?;
            left = Expr::Match(negate, Box::new(left), Box::new(right));
        }
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let left = self.concat_level()?;
        let op = match self.peek() {
            Tok::Op(o @ ("<" | "<=" | "==" | "!=" | ">=")) => *o,
            Tok::Op(">") if !self.print_depth => ">",
            _ => return Ok(left),
        };
        self.advance();
        let right = self.concat_level()?;
        Ok(Expr::Binary(op, Box::new(left), Box::new(right)))
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Tok::Num(_)
            | Tok::Str(_)
            | Tok::Regex(_)
            | Tok::Name(_)
            | Tok::FuncName(_)
            | Tok::Builtin(_) => true,
            Tok::Op("$" | "(" | "!" | "-" | "+" | "++" | "--") => true,
            Tok::Kw("getline") => false,
            _ => false,
        }
    }

    fn concat_level(&mut self) -> Result<Expr, String> {
        let mut left = self.additive()?;
        loop {
            // `-` and `+` continue the additive expression, so they never start a
            // concatenated operand here.
            if !self.starts_operand() || self.is_op("-") || self.is_op("+") || self.is_op("!") {
                return Ok(left);
            }
            if self.no_in && *self.peek() == Tok::Kw("in") {
                return Ok(left);
            }
            let right = self.additive()?;
            left = Expr::Concat(Box::new(left), Box::new(right));
        }
    }

    fn additive(&mut self) -> Result<Expr, String> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Tok::Op(o @ ("+" | "-")) => *o,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.multiplicative()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op(o @ ("*" | "/" | "%")) => *o,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.unary()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("{} (nested too deeply)", self.error()));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, String> {
        self.enter()?;
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<Expr, String> {
        if self.eat_op("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat_op("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat_op("+") {
            return Ok(Expr::Plus(Box::new(self.unary()?)));
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, String> {
        let base = self.postfix()?;
        if self.eat_op("^") {
            // Right-associative, and binds tighter than unary minus on its left only.
            let exp = if self.eat_op("-") {
                Expr::Neg(Box::new(self.power()?))
            } else {
                self.power()?
            };
            return Ok(Expr::Binary("^", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Result<Expr, String> {
        if self.is_op("++") || self.is_op("--") {
            let inc = self.is_op("++");
            self.advance();
            let target = self.postfix()?;
            if !Self::is_lvalue(&target) {
                return Err(self.error());
            }
            return Ok(Expr::IncDec(true, inc, Box::new(target)));
        }
        let e = self.primary()?;
        if Self::is_lvalue(&e) && (self.is_op("++") || self.is_op("--")) {
            let inc = self.is_op("++");
            self.advance();
            return Ok(Expr::IncDec(false, inc, Box::new(e)));
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let tok = self.advance();
        let e = match tok {
            Tok::Num(n) => Expr::Num(n),
            Tok::Str(s) => Expr::Str(s),
            Tok::Regex(r) => Expr::Regex(r),
            Tok::Op("$") => {
                let inner = if self.is_op("++") || self.is_op("--") || self.is_op("-") {
                    self.unary()?
                } else {
                    self.primary()?
                };
                Expr::Field(Box::new(inner))
            }
            Tok::Op("(") => {
                let first = self.expr_in_parens()?;
                if self.is_op(",") {
                    // `(i, j) in arr`
                    let mut list = vec![first];
                    while self.eat_op(",") {
                        self.newlines();
                        list.push(self.expr_in_parens()?);
                    }
                    self.expect_op(")")?;
                    if *self.peek() != Tok::Kw("in") {
                        return Err(self.error());
                    }
                    self.advance();
                    let Tok::Name(arr) = self.advance() else {
                        return Err(self.error());
                    };
                    return Ok(Expr::In(list, arr));
                }
                self.expect_op(")")?;
                Expr::Group(Box::new(first))
            }
            Tok::Name(name) => {
                if self.eat_op("[") {
                    let subs = self.expr_list_in_parens()?;
                    self.expect_op("]")?;
                    Expr::Index(name, subs)
                } else {
                    Expr::Var(name)
                }
            }
            Tok::FuncName(name) => {
                self.expect_op("(")?;
                let args = if self.is_op(")") {
                    Vec::new()
                } else {
                    self.expr_list_in_parens()?
                };
                self.expect_op(")")?;
                Expr::UserCall(name, args)
            }
            Tok::Builtin(name) => {
                let args = if self.eat_op("(") {
                    let args = if self.is_op(")") {
                        Vec::new()
                    } else {
                        self.expr_list_in_parens()?
                    };
                    self.expect_op(")")?;
                    args
                } else if name == "length" {
                    Vec::new()
                } else {
                    return Err(self.error());
                };
                Expr::Call(name, args)
            }
            Tok::Kw("getline") => {
                let var = match self.peek() {
                    Tok::Name(_) | Tok::Op("$") => Some(Box::new(self.primary()?)),
                    _ => None,
                };
                let file = if self.eat_op("<") {
                    Some(Box::new(self.primary()?))
                } else {
                    None
                };
                Expr::Getline(var, file)
            }
            _ => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.error());
            }
        };
        // `cmd | getline` is parsed so it can be refused clearly.
        if self.is_op("|") && *self.peek_at(1) == Tok::Kw("getline") {
            return Err("line 1: cmd | getline is not supported in this playground".to_string());
        }
        Ok(e)
    }

    fn expr_list_in_parens(&mut self) -> Result<Vec<Expr>, String> {
        let save = (self.print_depth, self.no_in);
        self.print_depth = false;
        self.no_in = false;
        let r = self.expr_list();
        (self.print_depth, self.no_in) = save;
        r
    }
}

/// How deep an expression tree is (evaluation recurses that deep).
fn expr_depth(e: &Expr) -> usize {
    let kids: Vec<&Expr> = match e {
        Expr::Num(_) | Expr::Str(_) | Expr::Regex(_) | Expr::Var(_) => Vec::new(),
        Expr::Field(a) | Expr::Not(a) | Expr::Neg(a) | Expr::Plus(a) | Expr::Group(a) => vec![a],
        Expr::IncDec(_, _, a) => vec![a],
        Expr::Index(_, subs)
        | Expr::In(subs, _)
        | Expr::Call(_, subs)
        | Expr::UserCall(_, subs) => subs.iter().collect(),
        Expr::Assign(_, a, b)
        | Expr::And(a, b)
        | Expr::Or(a, b)
        | Expr::Binary(_, a, b)
        | Expr::Match(_, a, b)
        | Expr::Concat(a, b) => vec![a, b],
        Expr::Cond(a, b, c) => vec![a, b, c],
        Expr::Getline(a, b) => a.iter().chain(b.iter()).map(|x| &**x).collect(),
    };
    1 + kids.into_iter().map(expr_depth).max().unwrap_or(0)
}

fn stmts_depth(stmts: &[Stmt]) -> usize {
    stmts.iter().map(stmt_depth).max().unwrap_or(0)
}

fn stmt_depth(s: &Stmt) -> usize {
    let exprs = |v: &[Expr]| v.iter().map(expr_depth).max().unwrap_or(0);
    1 + match s {
        Stmt::Expr(e) => expr_depth(e),
        Stmt::Print(args, _) | Stmt::Printf(args, _) => exprs(args),
        Stmt::If(c, a, b) => expr_depth(c)
            .max(stmt_depth(a))
            .max(b.as_deref().map_or(0, stmt_depth)),
        Stmt::While(c, b) | Stmt::Do(b, c) => expr_depth(c).max(stmt_depth(b)),
        Stmt::For(i, c, n, b) => i
            .as_deref()
            .map_or(0, stmt_depth)
            .max(c.as_ref().map_or(0, expr_depth))
            .max(n.as_deref().map_or(0, stmt_depth))
            .max(stmt_depth(b)),
        Stmt::ForIn(_, _, b) => stmt_depth(b),
        Stmt::Block(v) => stmts_depth(v),
        Stmt::Exit(e) | Stmt::Return(e) => e.as_ref().map_or(0, expr_depth),
        Stmt::Delete(_, subs) => subs.as_deref().map_or(0, exprs),
        Stmt::Next | Stmt::NextFile | Stmt::Break | Stmt::Continue => 0,
    }
}

// ---------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Uninit,
    Num(f64),
    Str(String),
    /// Input that looks numeric: compared as a number.
    StrNum(String),
}

/// strtod-like: the longest numeric prefix after leading blanks, 0 if none.
fn str_to_num(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t', '\n']);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == digits_start || (i == digits_start + 1 && b[digits_start] == b'.') {
        return 0.0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    t[..i].parse().unwrap_or(0.0)
}

/// Whether the whole string (blanks aside) is a number, making input a "strnum".
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n']);
    if t.is_empty() {
        return false;
    }
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(p) => (&body[..p], Some(&body[p + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mant.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mant, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return false;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// A number as awk prints it: integers plainly, others with `fmt` (`%.6g`).
fn format_num(n: f64, fmt: &str) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if n == n.trunc() && n.abs() < 1e16 {
        return format!("{}", n as i64);
    }
    sprintf(fmt, &[Value::Num(n)], "%.6g")
}

fn unescape_string(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('"') => out.push('"'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// printf
// ---------------------------------------------------------------------------------------

fn to_num(v: &Value) -> f64 {
    match v {
        Value::Uninit => 0.0,
        Value::Num(n) => *n,
        Value::Str(s) | Value::StrNum(s) => str_to_num(s),
    }
}

fn to_str_fmt(v: &Value, convfmt: &str) -> String {
    match v {
        Value::Uninit => String::new(),
        Value::Num(n) => format_num(*n, convfmt),
        Value::Str(s) | Value::StrNum(s) => s.clone(),
    }
}

/// C's `%e` rendering: `1.500000e+02`.
fn fmt_exp(v: f64, prec: usize, upper: bool) -> String {
    let s = format!("{:.*e}", prec, v);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    let e = if upper { 'E' } else { 'e' };
    format!("{mant}{e}{sign}{:02}", exp.abs())
}

/// C's `%g`.
fn fmt_general(v: f64, prec: usize, alt: bool, upper: bool) -> String {
    let p = if prec == 0 { 1 } else { prec };
    if v == 0.0 {
        return if alt {
            format!("{:.*}", p - 1, 0.0)
        } else {
            "0".to_string()
        };
    }
    let exp_form = fmt_exp(v, p - 1, upper);
    let x: i32 = exp_form
        .rsplit(['e', 'E'])
        .next()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    let mut s = if x < -4 || x >= p as i32 {
        exp_form
    } else {
        format!("{:.*}", (p as i32 - 1 - x).max(0) as usize, v)
    };
    if !alt {
        // Strip trailing zeros of the fraction (and a bare point).
        let (body, exp) = match s.find(['e', 'E']) {
            Some(pos) => (s[..pos].to_string(), s[pos..].to_string()),
            None => (s.clone(), String::new()),
        };
        let body = if body.contains('.') {
            body.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            body
        };
        s = format!("{body}{exp}");
    }
    s
}

/// awk's `sprintf`: `%c %d %i %o %x %X %u %e %E %f %F %g %G %s %%` with flags, width,
/// precision and `*`.
fn sprintf(fmt: &str, args: &[Value], convfmt: &str) -> String {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut argi = 0;
    let next_arg = |argi: &mut usize| -> Value {
        let v = args.get(*argi).cloned().unwrap_or(Value::Uninit);
        *argi += 1;
        v
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.get(i) {
            if "-+ #0".contains(f) {
                flags.push(f);
                i += 1;
            } else {
                break;
            }
        }
        let mut width: Option<usize> = None;
        if chars.get(i) == Some(&'*') {
            i += 1;
            let w = to_num(&next_arg(&mut argi));
            if w < 0.0 {
                flags.push('-');
            }
            width = Some((w.abs() as usize).min(4096));
        } else {
            let mut w = String::new();
            while let Some(&d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                w.push(d);
                i += 1;
            }
            if !w.is_empty() {
                width = Some(w.parse::<usize>().unwrap_or(0).min(4096));
            }
        }
        let mut prec: Option<usize> = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                i += 1;
                prec = Some((to_num(&next_arg(&mut argi)).max(0.0) as usize).min(4096));
            } else {
                let mut p = String::new();
                while let Some(&d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                    p.push(d);
                    i += 1;
                }
                prec = Some(p.parse::<usize>().unwrap_or(0).min(4096));
            }
        }
        // Length modifiers are accepted and ignored.
        while matches!(chars.get(i), Some('h' | 'l' | 'L' | 'q' | 'j' | 'z' | 't')) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.push('%');
            out.push_str(&flags);
            break;
        };
        i += 1;
        let left = flags.contains('-');
        let zero = flags.contains('0') && !left;
        let plus = flags.contains('+');
        let space = flags.contains(' ');
        let alt = flags.contains('#');
        let sign_of = |neg: bool| {
            if neg {
                "-"
            } else if plus {
                "+"
            } else if space {
                " "
            } else {
                ""
            }
        };
        let (body, sign, numeric): (String, &str, bool) = match conv {
            'd' | 'i' => {
                let n = to_num(&next_arg(&mut argi));
                let n = if n.is_finite() { n.trunc() } else { 0.0 };
                let mut digits = format!("{}", n.abs() as u128);
                if let Some(p) = prec {
                    if digits.len() < p {
                        digits = format!("{}{digits}", "0".repeat(p - digits.len()));
                    }
                    if p == 0 && n == 0.0 {
                        digits.clear();
                    }
                }
                (digits, sign_of(n < 0.0), prec.is_none())
            }
            'o' | 'x' | 'X' | 'u' => {
                let n = to_num(&next_arg(&mut argi));
                let v = if n < 0.0 { (n as i64) as u64 } else { n as u64 };
                let mut digits = match conv {
                    'o' => format!("{v:o}"),
                    'x' => format!("{v:x}"),
                    'X' => format!("{v:X}"),
                    _ => v.to_string(),
                };
                if let Some(p) = prec {
                    if digits.len() < p {
                        digits = format!("{}{digits}", "0".repeat(p - digits.len()));
                    }
                }
                if alt && v != 0 {
                    match conv {
                        'o' => digits = format!("0{digits}"),
                        'x' => digits = format!("0x{digits}"),
                        'X' => digits = format!("0X{digits}"),
                        _ => {}
                    }
                }
                (digits, "", prec.is_none())
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let n = to_num(&next_arg(&mut argi));
                let p = prec.unwrap_or(6);
                let body = if n.is_nan() {
                    "nan".to_string()
                } else if n.is_infinite() {
                    "inf".to_string()
                } else {
                    match conv {
                        'e' | 'E' => fmt_exp(n.abs(), p, conv == 'E'),
                        'f' | 'F' => format!("{:.*}", p, n.abs()),
                        _ => fmt_general(n.abs(), p, alt, conv == 'G'),
                    }
                };
                (
                    body,
                    sign_of(n.is_sign_negative() && n != 0.0),
                    n.is_finite(),
                )
            }
            'c' => {
                let v = next_arg(&mut argi);
                let s = match v {
                    Value::Num(n) => char::from_u32(n as u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    other => to_str_fmt(&other, convfmt)
                        .chars()
                        .next()
                        .map(String::from)
                        .unwrap_or_default(),
                };
                (s, "", false)
            }
            's' => {
                let s = to_str_fmt(&next_arg(&mut argi), convfmt);
                let s = match prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                };
                (s, "", false)
            }
            other => {
                // mawk prints unknown conversions literally.
                (format!("%{flags}{other}"), "", false)
            }
        };
        let len = sign.chars().count() + body.chars().count();
        let pad = width.unwrap_or(0).saturating_sub(len);
        if left {
            out.push_str(sign);
            out.push_str(&body);
            out.push_str(&" ".repeat(pad));
        } else if zero && numeric {
            out.push_str(sign);
            out.push_str(&"0".repeat(pad));
            out.push_str(&body);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(sign);
            out.push_str(&body);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Interpreter
// ---------------------------------------------------------------------------------------

/// How a statement finished.
enum Flow {
    Normal,
    Next,
    NextFile,
    Exit,
    Return(Value),
    Break,
    Continue,
}

/// A variable: scalar or array (arrays live in an arena so functions can share them).
#[derive(Debug, Clone)]
enum Cell {
    Scalar(Value),
    Array(usize),
}

struct Interp<'a, 'b> {
    ctx: &'a mut FsContext<'b>,
    program: Program,
    stdin: &'a str,
    operands: Vec<String>,
    globals: BTreeMap<String, Cell>,
    arrays: Vec<BTreeMap<String, Value>>,
    frames: Vec<BTreeMap<String, Cell>>,
    record: String,
    fields: Vec<String>,
    nf: usize,
    out: String,
    err: String,
    files: Vec<(String, (String, bool))>,
    regex_cache: BTreeMap<String, Regex>,
    range_active: Vec<bool>,
    exit_code: i32,
    steps: u64,
    /// The current main input: its records and the next one to read.
    input: Vec<String>,
    input_pos: usize,
    operand_pos: usize,
    getline_files: BTreeMap<String, (Vec<String>, usize)>,
    rand_state: u64,
    prev_seed: f64,
    /// Bytes of strings built so far, against [`WORK_LIMIT`].
    work: u64,
}

/// Total bytes of strings one run may build (concatenation, `sub`, `sprintf`), so a loop
/// like `while (1) s = s "x"` stops quickly instead of copying terabytes.
const WORK_LIMIT: u64 = 64 << 20;

type RunResult<T> = Result<T, String>;

impl<'a, 'b> Interp<'a, 'b> {
    fn new(ctx: &'a mut FsContext<'b>, program: Program, stdin: &'a str) -> Interp<'a, 'b> {
        let n_items = program.items.len();
        let mut interp = Interp {
            ctx,
            program,
            stdin,
            operands: Vec::new(),
            globals: BTreeMap::new(),
            arrays: Vec::new(),
            frames: Vec::new(),
            record: String::new(),
            fields: Vec::new(),
            nf: 0,
            out: String::new(),
            err: String::new(),
            files: Vec::new(),
            regex_cache: BTreeMap::new(),
            range_active: vec![false; n_items],
            exit_code: 0,
            steps: 0,
            input: Vec::new(),
            input_pos: 0,
            operand_pos: 0,
            getline_files: BTreeMap::new(),
            rand_state: 0,
            prev_seed: 0.0,
            work: 0,
        };
        for (name, value) in [
            ("FS", " "),
            ("OFS", " "),
            ("ORS", "\n"),
            ("RS", "\n"),
            ("SUBSEP", "\u{1c}"),
            ("CONVFMT", "%.6g"),
            ("OFMT", "%.6g"),
            ("FILENAME", ""),
        ] {
            interp.set_var(name, Value::Str(value.to_string()));
        }
        for name in ["NR", "FNR", "RSTART", "RLENGTH"] {
            interp.set_var(name, Value::Num(0.0));
        }
        let env: BTreeMap<String, Value> = interp
            .ctx
            .env
            .iter()
            .map(|(k, v)| (k.clone(), Value::Str(v.clone())))
            .collect();
        interp.arrays.push(env);
        interp.globals.insert("ENVIRON".to_string(), Cell::Array(0));
        interp
    }

    fn set_var(&mut self, name: &str, v: Value) {
        if name == "NF" {
            let n = to_num(&v).max(0.0) as usize;
            self.set_nf(n);
            return;
        }
        self.globals.insert(name.to_string(), Cell::Scalar(v));
    }

    fn var_str(&self, name: &str) -> String {
        match self.globals.get(name) {
            Some(Cell::Scalar(v)) => to_str_fmt(v, "%.6g"),
            _ => String::new(),
        }
    }

    fn var_num(&self, name: &str) -> f64 {
        match self.globals.get(name) {
            Some(Cell::Scalar(v)) => to_num(v),
            _ => 0.0,
        }
    }

    fn to_str(&self, v: &Value) -> String {
        to_str_fmt(v, &self.var_str("CONVFMT"))
    }

    fn command_assign(&mut self, text: &str) -> bool {
        let Some((name, value)) = text.split_once('=') else {
            return false;
        };
        if name.is_empty()
            || !name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return false;
        }
        let value = unescape_string(value);
        let v = if looks_numeric(&value) {
            Value::StrNum(value)
        } else {
            Value::Str(value)
        };
        self.set_var(name, v);
        true
    }

    fn runtime_error(&self, msg: &str) -> Output {
        let filename = self.var_str("FILENAME");
        let filename = if filename.is_empty() {
            "-".to_string()
        } else {
            filename
        };
        Output {
            stdout: self.out.clone(),
            stderr: format!(
                "{}awk: run time error: {msg}\n\tFILENAME=\"{filename}\" FNR={} NR={}\n",
                self.err,
                self.var_num("FNR"),
                self.var_num("NR")
            ),
            code: 2,
            stderr_after: Vec::new(),
        }
    }

    fn run(&mut self) -> Output {
        let items = self.program.items.clone();
        let mut exited = false;
        for item in items.iter().filter(|i| matches!(i.pattern, Pattern::Begin)) {
            match self.exec_block(item.action.as_deref().unwrap_or(&[])) {
                Ok(Flow::Exit) => {
                    exited = true;
                    break;
                }
                Ok(_) => {}
                Err(msg) => return self.finish_error(&msg),
            }
        }
        let has_main = items.iter().any(|i| !matches!(i.pattern, Pattern::Begin));
        if !exited && has_main {
            'records: loop {
                match self.next_record() {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(msg) => return self.finish_error(&msg),
                }
                for (idx, item) in items.iter().enumerate() {
                    let selected = match &item.pattern {
                        Pattern::Begin | Pattern::End => continue,
                        Pattern::All => true,
                        Pattern::Expr(e) => match self.eval(e) {
                            Ok(v) => self.truthy(&v),
                            Err(msg) => return self.finish_error(&msg),
                        },
                        Pattern::Range(start, end) => {
                            let mut sel = false;
                            if !self.range_active[idx] {
                                match self.eval(start) {
                                    Ok(v) if self.truthy(&v) => {
                                        self.range_active[idx] = true;
                                    }
                                    Ok(_) => {}
                                    Err(msg) => return self.finish_error(&msg),
                                }
                            }
                            if self.range_active[idx] {
                                sel = true;
                                match self.eval(end) {
                                    Ok(v) if self.truthy(&v) => self.range_active[idx] = false,
                                    Ok(_) => {}
                                    Err(msg) => return self.finish_error(&msg),
                                }
                            }
                            sel
                        }
                    };
                    if !selected {
                        continue;
                    }
                    let flow = match &item.action {
                        None => {
                            let rec = self.record.clone();
                            let ors = self.var_str("ORS");
                            self.out.push_str(&rec);
                            self.out.push_str(&ors);
                            Ok(Flow::Normal)
                        }
                        Some(action) => self.exec_block(action),
                    };
                    match flow {
                        Ok(Flow::Next) => continue 'records,
                        Ok(Flow::NextFile) => {
                            self.input_pos = self.input.len();
                            continue 'records;
                        }
                        Ok(Flow::Exit) => {
                            exited = true;
                            break 'records;
                        }
                        Ok(_) => {}
                        Err(msg) => return self.finish_error(&msg),
                    }
                }
            }
        }
        let _ = exited;
        for item in items.iter().filter(|i| matches!(i.pattern, Pattern::End)) {
            match self.exec_block(item.action.as_deref().unwrap_or(&[])) {
                Ok(Flow::Exit) => break,
                Ok(_) => {}
                Err(msg) => return self.finish_error(&msg),
            }
        }
        Output {
            stdout: std::mem::take(&mut self.out),
            stderr: std::mem::take(&mut self.err),
            code: self.exit_code,
            stderr_after: Vec::new(),
        }
    }

    fn finish_error(&mut self, msg: &str) -> Output {
        if let Some(plain) = msg.strip_prefix("\u{0}") {
            return Output {
                stdout: std::mem::take(&mut self.out),
                stderr: format!("{}awk: {plain}\n", self.err),
                code: 2,
                stderr_after: Vec::new(),
            };
        }
        self.runtime_error(msg)
    }

    /// Splits text into records by RS.
    fn split_records(&mut self, text: &str) -> RunResult<Vec<String>> {
        let rs = self.var_str("RS");
        let mut records: Vec<String> = if rs == "\n" {
            super::common::lines(text)
                .into_iter()
                .map(String::from)
                .collect()
        } else if rs.is_empty() {
            // Paragraph mode: blank lines separate records.
            text.split("\n\n")
                .map(|r| r.trim_matches('\n').to_string())
                .filter(|r| !r.is_empty())
                .collect()
        } else if rs.chars().count() == 1 {
            let mut v: Vec<String> = text.split(rs.as_str()).map(String::from).collect();
            if v.last().is_some_and(String::is_empty) {
                v.pop();
            }
            v
        } else {
            let re = self.regex(&rs)?;
            let mut v: Vec<String> = re.split(text).map(String::from).collect();
            if v.last().is_some_and(String::is_empty) {
                v.pop();
            }
            v
        };
        if text.is_empty() {
            records.clear();
        }
        Ok(records)
    }

    /// Loads the next main-input record; false at the end of all input.
    fn next_record(&mut self) -> RunResult<bool> {
        loop {
            if self.input_pos < self.input.len() {
                let rec = self.input[self.input_pos].clone();
                self.input_pos += 1;
                self.set_record(rec);
                let nr = self.var_num("NR") + 1.0;
                let fnr = self.var_num("FNR") + 1.0;
                self.set_var("NR", Value::Num(nr));
                self.set_var("FNR", Value::Num(fnr));
                return Ok(true);
            }
            // Open the next operand (assignments run when reached).
            let mut opened = false;
            while self.operand_pos < self.operands.len() {
                let op = self.operands[self.operand_pos].clone();
                self.operand_pos += 1;
                if op.is_empty() || self.command_assign(&op) {
                    continue;
                }
                let text = if op == "-" || op == "/dev/stdin" {
                    self.stdin.to_string()
                } else {
                    let path = abs(self.ctx, &op);
                    match self.ctx.fs.read_to_string(&path) {
                        Ok(t) => t,
                        Err(err) => {
                            return Err(format!("\u{0}cannot open \"{op}\" ({err})"));
                        }
                    }
                };
                self.input = self.split_records(&text)?;
                self.input_pos = 0;
                self.set_var("FILENAME", Value::Str(op));
                self.set_var("FNR", Value::Num(0.0));
                opened = true;
                break;
            }
            if !opened {
                let any_file = self
                    .operands
                    .iter()
                    .any(|o| !o.is_empty() && !is_assignment(o));
                if any_file || self.operand_pos > self.operands.len() {
                    return Ok(false);
                }
                // No file operands: standard input, once.
                self.operand_pos = self.operands.len() + 1;
                let text = self.stdin.to_string();
                self.input = self.split_records(&text)?;
                self.input_pos = 0;
            }
        }
    }

    fn set_record(&mut self, rec: String) {
        self.record = rec;
        self.split_fields();
    }

    fn split_fields(&mut self) {
        let fs = self.var_str("FS");
        let rec = self.record.clone();
        self.fields = self.split_with(&rec, &fs);
        self.nf = self.fields.len();
    }

    fn split_with(&mut self, text: &str, fs: &str) -> Vec<String> {
        if text.is_empty() {
            return Vec::new();
        }
        if fs == " " {
            return text
                .split([' ', '\t', '\n'])
                .filter(|f| !f.is_empty())
                .map(String::from)
                .collect();
        }
        if fs.chars().count() == 1 && fs != "\\" {
            return text.split(fs).map(String::from).collect();
        }
        match self.regex(fs) {
            Ok(re) => re.split(text).map(String::from).collect(),
            Err(_) => vec![text.to_string()],
        }
    }

    fn rebuild_record(&mut self) {
        let ofs = self.var_str("OFS");
        self.record = self.fields[..self.nf.min(self.fields.len())].join(&ofs);
    }

    fn set_nf(&mut self, n: usize) {
        let n = n.min(100_000);
        self.fields.resize(n, String::new());
        self.nf = n;
        self.rebuild_record();
    }

    fn get_field(&self, i: usize) -> Value {
        if i == 0 {
            return strnum(&self.record);
        }
        match self.fields.get(i - 1) {
            Some(f) if i <= self.nf => strnum(f),
            _ => Value::Uninit,
        }
    }

    fn set_field(&mut self, i: usize, v: String) {
        if i == 0 {
            self.set_record(v);
            return;
        }
        let i = i.min(100_000);
        if i > self.fields.len() {
            self.fields.resize(i, String::new());
        }
        self.fields[i - 1] = v;
        self.nf = self.nf.max(i);
        self.rebuild_record();
    }

    fn regex(&mut self, pattern: &str) -> RunResult<Regex> {
        if let Some(re) = self.regex_cache.get(pattern) {
            return Ok(re.clone());
        }
        let opts = Options {
            flavor: Flavor::Extended,
            icase: false,
            c_escapes: true,
            multiline: false,
        };
        let re = posix::compile(pattern, opts).map_err(|e| {
            format!(
                "regular expression compile failed ({})\n{pattern}",
                e.message()
            )
        })?;
        self.regex_cache.insert(pattern.to_string(), re.clone());
        Ok(re)
    }

    /// The regex an expression stands for: a literal, or a dynamic string.
    fn regex_of(&mut self, e: &Expr) -> RunResult<Regex> {
        match e {
            Expr::Regex(r) => self.regex(r),
            other => {
                let v = self.eval(other)?;
                let s = self.to_str(&v);
                self.regex(&s)
            }
        }
    }

    fn truthy(&self, v: &Value) -> bool {
        match v {
            Value::Uninit => false,
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::StrNum(s) => str_to_num(s) != 0.0,
        }
    }

    /// Charges `bytes` of string building against the work limit.
    fn charge(&mut self, bytes: usize) -> RunResult<()> {
        self.work += bytes as u64;
        if self.work > WORK_LIMIT || bytes > MAX_STRING {
            return Err("string work limit exceeded (playground limit; endless loop?)".to_string());
        }
        Ok(())
    }

    fn step(&mut self) -> RunResult<()> {
        self.steps += 1;
        if self.steps > STEP_LIMIT {
            return Err(
                "program stopped after 5000000 steps (playground limit; infinite loop?)"
                    .to_string(),
            );
        }
        Ok(())
    }

    fn exec_block(&mut self, stmts: &[Stmt]) -> RunResult<Flow> {
        for s in stmts {
            match self.exec(s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, stmt: &Stmt) -> RunResult<Flow> {
        self.step()?;
        match stmt {
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::Print(args, redirect) => {
                let ofs = self.var_str("OFS");
                let ors = self.var_str("ORS");
                let ofmt = self.var_str("OFMT");
                let text = if args.is_empty() {
                    self.record.clone()
                } else {
                    let mut parts = Vec::new();
                    for a in args {
                        let v = self.eval(a)?;
                        parts.push(match v {
                            Value::Num(n) => format_num(n, &ofmt),
                            other => self.to_str(&other),
                        });
                    }
                    parts.join(&ofs)
                };
                self.emit(format!("{text}{ors}"), redirect)?;
            }
            Stmt::Printf(args, redirect) => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let fmt = self.to_str(&vals[0]);
                let convfmt = self.var_str("CONVFMT");
                let text = sprintf(&fmt, &vals[1..], &convfmt);
                self.emit(text, redirect)?;
            }
            Stmt::If(cond, then, other) => {
                let v = self.eval(cond)?;
                if self.truthy(&v) {
                    return self.exec(then);
                } else if let Some(o) = other {
                    return self.exec(o);
                }
            }
            Stmt::While(cond, body) => loop {
                let v = self.eval(cond)?;
                if !self.truthy(&v) {
                    break;
                }
                match self.exec(body)? {
                    Flow::Break => break,
                    Flow::Normal | Flow::Continue => {}
                    other => return Ok(other),
                }
                self.step()?;
            },
            Stmt::Do(body, cond) => loop {
                match self.exec(body)? {
                    Flow::Break => break,
                    Flow::Normal | Flow::Continue => {}
                    other => return Ok(other),
                }
                let v = self.eval(cond)?;
                if !self.truthy(&v) {
                    break;
                }
                self.step()?;
            },
            Stmt::For(init, cond, incr, body) => {
                if let Some(i) = init {
                    self.exec(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        let v = self.eval(c)?;
                        if !self.truthy(&v) {
                            break;
                        }
                    }
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                    if let Some(i) = incr {
                        self.exec(i)?;
                    }
                    self.step()?;
                }
            }
            Stmt::ForIn(var, arr, body) => {
                let id = self.array_id(arr)?;
                let keys: Vec<String> = self.arrays[id].keys().cloned().collect();
                for k in keys {
                    self.assign_var(var, strnum(&k))?;
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                }
            }
            Stmt::Block(stmts) => return self.exec_block(stmts),
            Stmt::Next => return Ok(Flow::Next),
            Stmt::NextFile => return Ok(Flow::NextFile),
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Exit(code) => {
                if let Some(c) = code {
                    let v = self.eval(c)?;
                    self.exit_code = to_num(&v) as i32;
                }
                return Ok(Flow::Exit);
            }
            Stmt::Return(v) => {
                let value = match v {
                    Some(e) => self.eval(e)?,
                    None => Value::Uninit,
                };
                return Ok(Flow::Return(value));
            }
            Stmt::Delete(name, subs) => {
                let id = self.array_id(name)?;
                match subs {
                    None => self.arrays[id].clear(),
                    Some(subs) => {
                        let key = self.subscript(subs)?;
                        self.arrays[id].remove(&key);
                    }
                }
            }
        }
        Ok(Flow::Normal)
    }

    fn emit(&mut self, text: String, redirect: &Option<Redirect>) -> RunResult<()> {
        if self.out.len() + text.len() > 2 * MAX_STRING {
            return Err("output too large (playground limit)".to_string());
        }
        let (target, append) = match redirect {
            None => {
                self.out.push_str(&text);
                return Ok(());
            }
            Some(Redirect::File(e)) => (e, false),
            Some(Redirect::Append(e)) => (e, true),
        };
        let v = self.eval(target)?;
        let name = self.to_str(&v);
        match name.as_str() {
            "/dev/stdout" | "-" => self.out.push_str(&text),
            "/dev/stderr" => self.err.push_str(&text),
            _ => match self.files.iter_mut().find(|(n, _)| *n == name) {
                Some((_, (content, _))) => content.push_str(&text),
                None => self.files.push((name, (text, append))),
            },
        }
        Ok(())
    }

    fn subscript(&mut self, subs: &[Expr]) -> RunResult<String> {
        let subsep = self.var_str("SUBSEP");
        let mut parts = Vec::new();
        for s in subs {
            let v = self.eval(s)?;
            parts.push(self.to_str(&v));
        }
        Ok(parts.join(&subsep))
    }

    /// The arena id of array `name`, creating it if the name is unused.
    fn array_id(&mut self, name: &str) -> RunResult<usize> {
        if let Some(frame) = self.frames.last_mut() {
            if let Some(cell) = frame.get(name) {
                return match cell {
                    Cell::Array(id) => Ok(*id),
                    Cell::Scalar(Value::Uninit) => {
                        let id = self.arrays.len();
                        self.arrays.push(BTreeMap::new());
                        if let Some(frame) = self.frames.last_mut() {
                            frame.insert(name.to_string(), Cell::Array(id));
                        }
                        Ok(id)
                    }
                    Cell::Scalar(_) => Err(format!("can't use scalar {name} as array")),
                };
            }
        }
        match self.globals.get(name) {
            Some(Cell::Array(id)) => Ok(*id),
            Some(Cell::Scalar(Value::Uninit)) | None => {
                let id = self.arrays.len();
                self.arrays.push(BTreeMap::new());
                self.globals.insert(name.to_string(), Cell::Array(id));
                Ok(id)
            }
            Some(Cell::Scalar(_)) => Err(format!("can't use scalar {name} as array")),
        }
    }

    fn get_var(&self, name: &str) -> RunResult<Value> {
        if name == "NF" {
            return Ok(Value::Num(self.nf as f64));
        }
        if let Some(frame) = self.frames.last() {
            if let Some(cell) = frame.get(name) {
                return match cell {
                    Cell::Scalar(v) => Ok(v.clone()),
                    Cell::Array(_) => Err(format!("can't use array {name} in scalar context")),
                };
            }
        }
        match self.globals.get(name) {
            Some(Cell::Scalar(v)) => Ok(v.clone()),
            Some(Cell::Array(_)) => Err(format!("can't use array {name} in scalar context")),
            None => Ok(Value::Uninit),
        }
    }

    fn assign_var(&mut self, name: &str, v: Value) -> RunResult<()> {
        if let Some(frame) = self.frames.last_mut() {
            if let Some(cell) = frame.get_mut(name) {
                if matches!(cell, Cell::Array(_)) {
                    return Err(format!("can't assign to {name}; it's an array name."));
                }
                *cell = Cell::Scalar(v);
                return Ok(());
            }
        }
        if matches!(self.globals.get(name), Some(Cell::Array(_))) {
            return Err(format!("can't assign to {name}; it's an array name."));
        }
        let resplit = name == "FS";
        self.set_var(name, v);
        let _ = resplit;
        Ok(())
    }

    fn assign(&mut self, target: &Expr, v: Value) -> RunResult<Value> {
        match target {
            Expr::Var(name) => self.assign_var(name, v.clone())?,
            Expr::Field(idx) => {
                let i = to_num(&self.eval(idx)?);
                if i < 0.0 {
                    return Err(format!("negative field index ${}", format_num(i, "%.6g")));
                }
                let s = self.to_str(&v);
                self.set_field(i as usize, s);
            }
            Expr::Index(name, subs) => {
                let key = self.subscript(subs)?;
                let id = self.array_id(name)?;
                self.arrays[id].insert(key, v.clone());
            }
            Expr::Group(inner) => return self.assign(inner, v),
            _ => return Err("assignment to a non-variable".to_string()),
        }
        Ok(v)
    }

    fn compare(&self, a: &Value, b: &Value) -> std::cmp::Ordering {
        let numeric = |v: &Value| {
            matches!(v, Value::Num(_) | Value::Uninit)
                || matches!(v, Value::StrNum(s) if looks_numeric(s))
        };
        if numeric(a) && numeric(b) {
            to_num(a)
                .partial_cmp(&to_num(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            self.to_str(a).cmp(&self.to_str(b))
        }
    }

    fn eval(&mut self, e: &Expr) -> RunResult<Value> {
        self.step()?;
        Ok(match e {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Regex(r) => {
                let re = self.regex(r)?;
                Value::Num(if re.is_match(&self.record) { 1.0 } else { 0.0 })
            }
            Expr::Group(inner) => self.eval(inner)?,
            Expr::Var(name) => self.get_var(name)?,
            Expr::Field(idx) => {
                let i = to_num(&self.eval(idx)?);
                if i < 0.0 {
                    return Err(format!("negative field index ${}", format_num(i, "%.6g")));
                }
                self.get_field(i as usize)
            }
            Expr::Index(name, subs) => {
                let key = self.subscript(subs)?;
                let id = self.array_id(name)?;
                // Referencing an element creates it, as in every awk.
                self.arrays[id].entry(key).or_insert(Value::Uninit).clone()
            }
            Expr::Assign(op, target, value) => {
                let v = self.eval(value)?;
                let new = if *op == "=" {
                    v
                } else {
                    let cur = to_num(&self.eval(target)?);
                    let rhs = to_num(&v);
                    Value::Num(self.arith(&op[..1], cur, rhs)?)
                };
                self.assign(target, new)?
            }
            Expr::Cond(c, a, b) => {
                let v = self.eval(c)?;
                if self.truthy(&v) {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => {
                let va = self.eval(a)?;
                let r = self.truthy(&va) && {
                    let vb = self.eval(b)?;
                    self.truthy(&vb)
                };
                Value::Num(r as i32 as f64)
            }
            Expr::Or(a, b) => {
                let va = self.eval(a)?;
                let r = self.truthy(&va) || {
                    let vb = self.eval(b)?;
                    self.truthy(&vb)
                };
                Value::Num(r as i32 as f64)
            }
            Expr::Not(a) => {
                let v = self.eval(a)?;
                Value::Num(if self.truthy(&v) { 0.0 } else { 1.0 })
            }
            Expr::Neg(a) => Value::Num(-to_num(&self.eval(a)?)),
            Expr::Plus(a) => Value::Num(to_num(&self.eval(a)?)),
            Expr::Binary(op, a, b) => {
                let va = self.eval(a)?;
                let vb = self.eval(b)?;
                match *op {
                    "<" | "<=" | "==" | "!=" | ">" | ">=" => {
                        let ord = self.compare(&va, &vb);
                        let r = match *op {
                            "<" => ord.is_lt(),
                            "<=" => ord.is_le(),
                            "==" => ord.is_eq(),
                            "!=" => ord.is_ne(),
                            ">" => ord.is_gt(),
                            _ => ord.is_ge(),
                        };
                        Value::Num(r as i32 as f64)
                    }
                    _ => Value::Num(self.arith(op, to_num(&va), to_num(&vb))?),
                }
            }
            Expr::Match(negate, a, re) => {
                let v = self.eval(a)?;
                let s = self.to_str(&v);
                let regex = self.regex_of(re)?;
                Value::Num((regex.is_match(&s) != *negate) as i32 as f64)
            }
            Expr::Concat(a, b) => {
                let va = self.eval(a)?;
                let vb = self.eval(b)?;
                let joined = format!("{}{}", self.to_str(&va), self.to_str(&vb));
                self.charge(joined.len())?;
                Value::Str(joined)
            }
            Expr::In(subs, arr) => {
                let key = self.subscript(subs)?;
                let id = self.array_id(arr)?;
                Value::Num(self.arrays[id].contains_key(&key) as i32 as f64)
            }
            Expr::IncDec(pre, inc, target) => {
                let cur = to_num(&self.eval(target)?);
                let new = if *inc { cur + 1.0 } else { cur - 1.0 };
                self.assign(target, Value::Num(new))?;
                Value::Num(if *pre { new } else { cur })
            }
            Expr::Call(name, args) => self.builtin(name, args)?,
            Expr::UserCall(name, args) => self.call(name, args)?,
            Expr::Getline(var, file) => self.getline(var.as_deref(), file.as_deref())?,
        })
    }

    fn arith(&self, op: &str, a: f64, b: f64) -> RunResult<f64> {
        Ok(match op {
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" => {
                if b == 0.0 {
                    return Err("division by zero".to_string());
                }
                a / b
            }
            "%" => {
                if b == 0.0 {
                    return Err("division by zero in %".to_string());
                }
                a % b
            }
            _ => a.powf(b),
        })
    }

    fn getline(&mut self, var: Option<&Expr>, file: Option<&Expr>) -> RunResult<Value> {
        let line = match file {
            None => {
                if self.input_pos >= self.input.len() {
                    // Only the current input is read ahead; the next file is not opened.
                    return Ok(Value::Num(0.0));
                }
                let rec = self.input[self.input_pos].clone();
                self.input_pos += 1;
                let nr = self.var_num("NR") + 1.0;
                let fnr = self.var_num("FNR") + 1.0;
                self.set_var("NR", Value::Num(nr));
                self.set_var("FNR", Value::Num(fnr));
                rec
            }
            Some(f) => {
                let v = self.eval(f)?;
                let name = self.to_str(&v);
                if !self.getline_files.contains_key(&name) {
                    let text = if name == "-" || name == "/dev/stdin" {
                        Ok(self.stdin.to_string())
                    } else {
                        self.ctx.fs.read_to_string(&abs(self.ctx, &name))
                    };
                    match text {
                        Ok(t) => {
                            let recs = self.split_records(&t)?;
                            self.getline_files.insert(name.clone(), (recs, 0));
                        }
                        Err(_) => return Ok(Value::Num(-1.0)),
                    }
                }
                let Some((recs, pos)) = self.getline_files.get_mut(&name) else {
                    return Ok(Value::Num(-1.0));
                };
                if *pos >= recs.len() {
                    return Ok(Value::Num(0.0));
                }
                *pos += 1;
                recs[*pos - 1].clone()
            }
        };
        match var {
            Some(target) => {
                self.assign(target, strnum(&line))?;
            }
            None => self.set_record(line),
        }
        Ok(Value::Num(1.0))
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> RunResult<Value> {
        let Some(func) = self.program.functions.get(name).cloned() else {
            return Err(format!("function {name} never defined"));
        };
        if self.frames.len() > 200 {
            return Err("function call nesting too deep".to_string());
        }
        let mut frame = BTreeMap::new();
        for (i, param) in func.params.iter().enumerate() {
            let cell = match args.get(i) {
                // A bare name may be an array: pass it by reference.
                Some(Expr::Var(v)) if self.is_array(v) => Cell::Array(self.array_id(v)?),
                Some(e) => Cell::Scalar(self.eval(e)?),
                None => Cell::Scalar(Value::Uninit),
            };
            frame.insert(param.clone(), cell);
        }
        self.frames.push(frame);
        let flow = self.exec_block(&func.body);
        self.frames.pop();
        match flow? {
            Flow::Return(v) => Ok(v),
            Flow::Exit => {
                Err("\u{0}exit inside a function is not supported in this playground".to_string())
            }
            _ => Ok(Value::Uninit),
        }
    }

    fn is_array(&self, name: &str) -> bool {
        if let Some(frame) = self.frames.last() {
            if let Some(cell) = frame.get(name) {
                return matches!(cell, Cell::Array(_));
            }
        }
        matches!(self.globals.get(name), Some(Cell::Array(_)))
    }

    fn arg_str(&mut self, args: &[Expr], i: usize) -> RunResult<String> {
        match args.get(i) {
            Some(e) => {
                let v = self.eval(e)?;
                Ok(self.to_str(&v))
            }
            None => Ok(String::new()),
        }
    }

    fn arg_num(&mut self, args: &[Expr], i: usize) -> RunResult<f64> {
        match args.get(i) {
            Some(e) => Ok(to_num(&self.eval(e)?)),
            None => Ok(0.0),
        }
    }

    fn builtin(&mut self, name: &str, args: &[Expr]) -> RunResult<Value> {
        Ok(match name {
            "length" => match args.first() {
                None => Value::Num(self.record.chars().count() as f64),
                Some(Expr::Var(v)) if self.is_array(v) => {
                    let id = self.array_id(v)?;
                    Value::Num(self.arrays[id].len() as f64)
                }
                Some(_) => Value::Num(self.arg_str(args, 0)?.chars().count() as f64),
            },
            "substr" => {
                let s: Vec<char> = self.arg_str(args, 0)?.chars().collect();
                let m = self.arg_num(args, 1)?;
                let len = s.len() as f64;
                // POSIX: characters from round(m) to round(m + n) - 1, clipped to 1..=len.
                let start = m.round();
                let end = if args.len() > 2 {
                    let n = self.arg_num(args, 2)?;
                    if n.is_nan() { start } else { start + n.round() }
                } else {
                    len + 1.0
                };
                let from = start.max(1.0);
                let to = end.min(len + 1.0);
                if to <= from {
                    Value::Str(String::new())
                } else {
                    Value::Str(s[(from as usize - 1)..(to as usize - 1)].iter().collect())
                }
            }
            "index" => {
                let s = self.arg_str(args, 0)?;
                let t = self.arg_str(args, 1)?;
                Value::Num(match s.find(&t) {
                    Some(pos) => (s[..pos].chars().count() + 1) as f64,
                    None => 0.0,
                })
            }
            "split" => {
                let s = self.arg_str(args, 0)?;
                let Some(Expr::Var(arr)) = args.get(1) else {
                    return Err("split: second argument must be an array".to_string());
                };
                let fs = match args.get(2) {
                    Some(Expr::Regex(r)) => r.clone(),
                    Some(_) => self.arg_str(args, 2)?,
                    None => self.var_str("FS"),
                };
                let parts = self.split_with(&s, &fs);
                let id = self.array_id(arr)?;
                self.arrays[id].clear();
                for (i, p) in parts.iter().enumerate() {
                    self.arrays[id].insert((i + 1).to_string(), strnum(p));
                }
                Value::Num(parts.len() as f64)
            }
            "sub" | "gsub" => {
                let Some(re_expr) = args.first() else {
                    return Err(format!("{name}: not enough arguments"));
                };
                let re = self.regex_of(re_expr)?;
                let repl = self.arg_str(args, 1)?;
                let target = args.get(2).cloned().unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let v = self.eval(&target)?;
                let text = self.to_str(&v);
                let (new, count) = substitute(&re, &text, &repl, name == "gsub");
                self.charge(new.len())?;
                if count > 0 {
                    self.assign(&target, Value::Str(new))?;
                }
                Value::Num(count as f64)
            }
            "match" => {
                let s = self.arg_str(args, 0)?;
                let Some(re_expr) = args.get(1) else {
                    return Err("match: not enough arguments".to_string());
                };
                let re = self.regex_of(re_expr)?;
                let (start, len) = match re.find(&s) {
                    Some(m) => (
                        (s[..m.start()].chars().count() + 1) as f64,
                        m.as_str().chars().count() as f64,
                    ),
                    None => (0.0, -1.0),
                };
                self.set_var("RSTART", Value::Num(start));
                self.set_var("RLENGTH", Value::Num(len));
                Value::Num(start)
            }
            "sprintf" => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let fmt = vals.first().map(|v| self.to_str(v)).unwrap_or_default();
                let convfmt = self.var_str("CONVFMT");
                let text = sprintf(&fmt, vals.get(1..).unwrap_or(&[]), &convfmt);
                self.charge(text.len())?;
                Value::Str(text)
            }
            "tolower" => Value::Str(self.arg_str(args, 0)?.to_lowercase()),
            "toupper" => Value::Str(self.arg_str(args, 0)?.to_uppercase()),
            "int" => Value::Num(self.arg_num(args, 0)?.trunc()),
            "sqrt" => Value::Num(self.arg_num(args, 0)?.sqrt()),
            "exp" => Value::Num(self.arg_num(args, 0)?.exp()),
            "log" => Value::Num(self.arg_num(args, 0)?.ln()),
            "sin" => Value::Num(self.arg_num(args, 0)?.sin()),
            "cos" => Value::Num(self.arg_num(args, 0)?.cos()),
            "atan2" => {
                let y = self.arg_num(args, 0)?;
                let x = self.arg_num(args, 1)?;
                Value::Num(y.atan2(x))
            }
            "rand" => {
                // A deterministic generator seeded by srand (or the simulation's rng once).
                if self.rand_state == 0 {
                    self.rand_state = self.ctx.rng.next_u64() | 1;
                }
                self.rand_state ^= self.rand_state << 13;
                self.rand_state ^= self.rand_state >> 7;
                self.rand_state ^= self.rand_state << 17;
                Value::Num((self.rand_state >> 11) as f64 / (1u64 << 53) as f64)
            }
            "srand" => {
                let prev = self.prev_seed;
                let seed = if args.is_empty() {
                    (self.ctx.now.wall_millis() / 1000) as f64
                } else {
                    self.arg_num(args, 0)?
                };
                self.prev_seed = seed;
                self.rand_state = (seed.to_bits() ^ 0x9E37_79B9_7F4A_7C15) | 1;
                Value::Num(prev)
            }
            "close" | "fflush" => Value::Num(0.0),
            "system" => {
                return Err("\u{0}system() is not supported in this playground: commands cannot start other commands".to_string())
            }
            other => return Err(format!("function {other} never defined")),
        })
    }
}

fn is_assignment(op: &str) -> bool {
    match op.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

fn strnum(s: &str) -> Value {
    if looks_numeric(s) {
        Value::StrNum(s.to_string())
    } else {
        Value::Str(s.to_string())
    }
}

/// `sub`/`gsub`: `&` is the match, `\&` a literal ampersand, `\\` a backslash.
fn substitute(re: &Regex, text: &str, repl: &str, global: bool) -> (String, usize) {
    let mut out = String::new();
    let mut count = 0;
    let mut pos = 0;
    let mut last_match_end: Option<usize> = None;
    while pos <= text.len() {
        let Some(m) = re.find_at(text, pos) else {
            break;
        };
        if m.start() == m.end() && last_match_end == Some(m.start()) {
            // An empty match right after a match is skipped.
            match text[pos..].chars().next() {
                Some(c) => {
                    out.push(c);
                    pos += c.len_utf8();
                    continue;
                }
                None => break,
            }
        }
        out.push_str(&text[pos..m.start()]);
        let mut chars = repl.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if matches!(chars.peek(), Some('&')) => {
                    chars.next();
                    out.push('&');
                }
                '\\' if matches!(chars.peek(), Some('\\')) => {
                    chars.next();
                    out.push('\\');
                }
                '&' => out.push_str(m.as_str()),
                c => out.push(c),
            }
        }
        count += 1;
        last_match_end = Some(m.end());
        if m.start() == m.end() {
            match text[m.end()..].chars().next() {
                Some(c) => {
                    out.push(c);
                    pos = m.end() + c.len_utf8();
                }
                None => {
                    pos = text.len() + 1;
                }
            }
        } else {
            pos = m.end();
        }
        if !global {
            break;
        }
    }
    if pos <= text.len() {
        out.push_str(&text[pos..]);
    }
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_formats_like_c() {
        let v = |n: f64| Value::Num(n);
        assert_eq!(
            sprintf(
                "%d|%5d|%-5d|%05d",
                &[v(42.9), v(7.0), v(7.0), v(-7.0)],
                "%.6g"
            ),
            "42|    7|7    |-0007"
        );
        assert_eq!(
            sprintf("%.2f %e %g", &[v(2.5), v(12345.678), v(0.0001234)], "%.6g"),
            "2.50 1.234568e+04 0.0001234"
        );
        assert_eq!(
            sprintf("%g %g %g", &[v(100000.0), v(1000000.0), v(1.5)], "%.6g"),
            "100000 1e+06 1.5"
        );
        assert_eq!(
            sprintf(
                "%s|%10s|%-4s|%.2s",
                &[
                    Value::Str("a".into()),
                    Value::Str("b".into()),
                    Value::Str("c".into()),
                    Value::Str("xyz".into())
                ],
                "%.6g"
            ),
            "a|         b|c   |xy"
        );
        assert_eq!(
            sprintf("%x %o %c %%", &[v(255.0), v(8.0), v(65.0)], "%.6g"),
            "ff 10 A %"
        );
        assert_eq!(format_num(0.1 + 0.2, "%.6g"), "0.3");
        assert_eq!(format_num(1e20, "%.6g"), "1e+20");
        assert_eq!(format_num(-3.0, "%.6g"), "-3");
    }

    #[test]
    fn numeric_strings() {
        assert!(looks_numeric(" 12 "));
        assert!(looks_numeric("1e5"));
        assert!(looks_numeric("-.5"));
        assert!(!looks_numeric("1/1"));
        assert!(!looks_numeric(""));
        assert_eq!(str_to_num("12abc"), 12.0);
        assert_eq!(str_to_num("abc"), 0.0);
    }
}
