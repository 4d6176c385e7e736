//! The shell grammar: turns command-line text into `ast::Script`, decides whether typed
//! input is complete, and splits a script file into its commands.
//!
//! A practical subset of bash's grammar (bash 5.x `parse.y`), recursive descent over the
//! tokens that `lexer` produces on demand. Deliberate deviations:
//! - Not supported, each an error rather than a silent mis-parse: `case`, `select`,
//!   `coproc`, arrays, `[[ ]]`, `$[ ]`, process substitution and the rarer `${...}`
//!   operators (substring, replacement, case, indirection).
//! - Inside `$(( ))` and `(( ))` quotes are not removed (bash removes them), and a `)` in a
//!   quoted string there counts as a parenthesis.
//! - Stricter than bash: a malformed `${...}`, backtick text or here-document body is a
//!   parse error here; bash only reports it when that command runs. Bash's scan for a
//!   matching `]` after `name[` at the start of a command is not imitated.
//! - An unexpected end of input prints bash 5.1's two lines (`unexpected EOF while looking
//!   for matching ...` and `syntax error: unexpected end of file`); bash 5.2 drops the
//!   second.

use std::fmt;

use super::ast::{
    AndOr, AndOrOp, Assignment, Command, CompoundCommand, CompoundKind, IfBranch, ListItem,
    Pipeline, Redirect, RedirectKind, Script, SimpleCommand, Warning, Word, WordPart,
};
use super::lexer::{Op, RedirOp, Token, TokenKind};

/// Parses complete input (a command line or a whole script file).
///
/// At the end of input an open quote, `$(`, compound command or trailing operator is an
/// error, as in `bash -c`; a here-document without its delimiter line becomes a warning on
/// the script, and a lone trailing backslash is a literal `\`.
pub fn parse(input: &str) -> Result<Script, ParseError> {
    let mut parser = Parser::new(input, Mode::Final, 0, 0);
    let (script, _) = parser.script()?;
    Ok(script)
}

/// Whether `input` is a complete command or needs more lines (unclosed quote, pending
/// here-document body, trailing `|`/`&&`/`||`/backslash, open `$(`, unfinished `for`/`if`),
/// so the terminal and the command-line runner know when to keep reading lines. Bash shows
/// `> ` as the continuation prompt. Lines are joined with `\n`; no trailing newline needed.
pub fn completeness(input: &str) -> Completeness {
    let mut parser = Parser::new(input, Mode::Partial, 0, 0);
    match parser.script() {
        Ok(_) => Completeness::Complete,
        Err(err) => match err.needs_more {
            Some(reason) => Completeness::Incomplete(reason),
            None => Completeness::Error(err),
        },
    }
}

/// Splits a script file into its top-level commands, each one the exact source text of a
/// complete command (a heredoc command includes its body lines; comment-only and blank lines
/// are dropped), so a runner can print `host $ <command>` before each one's output.
///
/// A command is everything up to the newline that completes it: `a; b` on one line is one
/// entry, a `for` loop or a `\`-continued command spanning lines is one entry, and a
/// trailing `# comment` stays with its command.
pub fn split_commands(script: &str) -> Result<Vec<String>, ParseError> {
    let mut parser = Parser::new(script, Mode::Final, 0, 0);
    let (_, spans) = parser.script()?;
    Ok(spans
        .into_iter()
        .map(|(start, end)| script.get(start..end).unwrap_or("").trim_end().to_string())
        .collect())
}

/// The answer of `completeness`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    /// The input parses as it is; run it.
    Complete,
    /// More lines are needed; show `> ` and keep reading.
    Incomplete(IncompleteReason),
    /// The input is wrong whatever follows; print the error.
    Error(ParseError),
}

/// What an incomplete input is waiting for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncompleteReason {
    /// An open `'`, `"`, `$'` or `` ` `` (the opening character).
    Quote(char),
    /// An open `$(`.
    CommandSubst,
    /// An open `${`.
    ParamBrace,
    /// A here-document whose delimiter line has not come yet.
    HereDoc {
        /// The delimiter being waited for.
        delimiter: String,
    },
    /// A backslash at the very end of the input.
    LineContinuation,
    /// A trailing `|`, `|&`, `&&` or `||`.
    Operator(String),
    /// An open `if`, `for`, `while`, `until`, `{` or `(` (the opening keyword).
    Compound(String),
}

impl IncompleteReason {
    /// Whether adding `line` (without its newline) could change the answer. A here-document
    /// body line that is not its delimiter cannot, so a reader feeding lines one at a time
    /// skips re-parsing for it: re-parsing every line made a long heredoc quadratic.
    pub fn may_end_with(&self, line: &str) -> bool {
        match self {
            IncompleteReason::HereDoc { delimiter } => {
                line.trim_start_matches('\t') == delimiter.as_str()
            }
            _ => true,
        }
    }
}

/// A syntax error, rendered like interactive bash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What went wrong.
    pub kind: ParseErrorKind,
    /// The 1-based line where it was found.
    pub line: u32,
    /// Set when the error is only that the input ended early, so more lines could fix it.
    pub needs_more: Option<IncompleteReason>,
}

/// The kinds of syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// `syntax error near unexpected token `X'` (`newline` for an unexpected line end).
    UnexpectedToken(String),
    /// The input ended inside a construct; `matching` is the character bash names in
    /// `unexpected EOF while looking for matching `X'`, when it names one.
    UnexpectedEof {
        /// The closing character bash was looking for, if any.
        matching: Option<char>,
    },
    /// `for 1 in ...`: `` `1': not a valid identifier ``.
    InvalidIdentifier(String),
    /// `${}` and other malformed `${...}`: `${}: bad substitution`.
    BadSubstitution(String),
    /// Valid bash that this shell does not implement (the construct, described).
    Unsupported(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ParseErrorKind::UnexpectedToken(token) => {
                write!(f, "bash: syntax error near unexpected token `{token}'")
            }
            ParseErrorKind::UnexpectedEof { matching: Some(c) } => write!(
                f,
                "bash: unexpected EOF while looking for matching `{c}'\nbash: syntax error: unexpected end of file"
            ),
            ParseErrorKind::UnexpectedEof { matching: None } => {
                f.write_str("bash: syntax error: unexpected end of file")
            }
            ParseErrorKind::InvalidIdentifier(name) => {
                write!(f, "bash: `{name}': not a valid identifier")
            }
            ParseErrorKind::BadSubstitution(text) => write!(f, "bash: {text}: bad substitution"),
            ParseErrorKind::Unsupported(what) => {
                write!(f, "bash: not supported in this playground: {what}")
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Whether the input is final (`parse`) or may still grow (`completeness`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Final,
    Partial,
}

/// How deep `$(`, `${`, backticks and compound commands may nest. Recursion uses the
/// stack, and the browser's wasm stack is small, so absurd input gets an error instead.
const MAX_DEPTH: u32 = 32;

/// A here-document whose body starts after the current line.
#[derive(Debug, Clone)]
pub(super) struct PendingHereDoc {
    pub(super) delimiter: String,
    pub(super) strip_tabs: bool,
    pub(super) expand: bool,
    pub(super) line: u32,
}

/// Lexer and parser state over one input text. The lexer half lives in `lexer.rs`.
pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) pos: usize,
    pub(super) mode: Mode,
    /// Added to line numbers, for inner texts (backticks, here-document bodies).
    pub(super) line_base: u32,
    pub(super) lookahead: Option<Token>,
    /// Here-documents of the current nesting level waiting for the next newline.
    pub(super) pending: Vec<PendingHereDoc>,
    /// Bodies read at the current nesting level, in the order their `<<` appeared.
    pub(super) bodies: Vec<Word>,
    pub(super) warnings: Vec<Warning>,
    /// The constructs open around the current position, innermost last.
    pub(super) open: Vec<IncompleteReason>,
    pub(super) depth: u32,
    /// Set while lexing the operand of `>&` or `<&`, where `1>` is the number 1 followed
    /// by another operator rather than a descriptor prefix (`2>&1>out`).
    pub(super) dup_operand: bool,
    /// In `Mode::Partial`, the first here-document the input ended inside. It is reported
    /// only once the rest has parsed: bash reports a syntax error on the line first.
    pub(super) unfinished_heredoc: Option<IncompleteReason>,
}

/// Peeked token summary, so callers can decide without holding a borrow of the token.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Peek {
    /// A word; `Some(text)` when it is one unquoted literal (a possible keyword).
    Word(Option<String>),
    Op(Op),
    Newline,
    Eof,
}

impl<'a> Parser<'a> {
    pub(super) fn new(src: &'a str, mode: Mode, line_base: u32, depth: u32) -> Self {
        Parser {
            src,
            pos: 0,
            mode,
            line_base,
            lookahead: None,
            pending: Vec::new(),
            bodies: Vec::new(),
            warnings: Vec::new(),
            open: Vec::new(),
            depth,
            dup_operand: false,
            unfinished_heredoc: None,
        }
    }

    /// The 1-based line of byte offset `pos`.
    pub(super) fn line_at(&self, pos: usize) -> u32 {
        let before = self.src.get(..pos).unwrap_or(self.src);
        let newlines = before.bytes().filter(|b| *b == b'\n').count();
        let newlines = u32::try_from(newlines).unwrap_or(u32::MAX);
        self.line_base.saturating_add(1).saturating_add(newlines)
    }

    pub(super) fn error(&self, kind: ParseErrorKind) -> ParseError {
        ParseError {
            kind,
            line: self.line_at(self.pos),
            needs_more: None,
        }
    }

    pub(super) fn unexpected(&self, token: &str) -> ParseError {
        self.error(ParseErrorKind::UnexpectedToken(token.to_string()))
    }

    pub(super) fn unsupported(&self, what: &str) -> ParseError {
        self.error(ParseErrorKind::Unsupported(what.to_string()))
    }

    /// The input ended while `reason` was open.
    pub(super) fn eof_error(&self, reason: IncompleteReason) -> ParseError {
        // Bash names the innermost open quote, else the innermost open `$(` or `${`.
        let matching = match &reason {
            IncompleteReason::Quote(c) => Some(*c),
            _ => std::iter::once(&reason)
                .chain(self.open.iter().rev())
                .find_map(|open| match open {
                    IncompleteReason::CommandSubst => Some(')'),
                    IncompleteReason::ParamBrace => Some('}'),
                    _ => None,
                }),
        };
        ParseError {
            kind: ParseErrorKind::UnexpectedEof { matching },
            line: self.line_at(self.pos),
            needs_more: Some(reason),
        }
    }

    /// The input ended inside whatever construct is innermost.
    fn eof_in_open(&self) -> ParseError {
        let reason = self
            .open
            .last()
            .cloned()
            .unwrap_or(IncompleteReason::Compound(String::new()));
        self.eof_error(reason)
    }

    pub(super) fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if MAX_DEPTH < self.depth {
            return Err(self.unsupported("nesting deeper than 32 levels"));
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn peek(&mut self) -> Result<Peek, ParseError> {
        let token = match &self.lookahead {
            Some(token) => token,
            None => {
                let token = self.lex_token()?;
                self.lookahead.insert(token)
            }
        };
        Ok(match &token.kind {
            TokenKind::Word(word) => Peek::Word(word.as_plain().map(str::to_string)),
            TokenKind::Op(op) => Peek::Op(*op),
            TokenKind::Newline => Peek::Newline,
            TokenKind::Eof => Peek::Eof,
        })
    }

    fn next(&mut self) -> Result<Token, ParseError> {
        match self.lookahead.take() {
            Some(token) => Ok(token),
            None => self.lex_token(),
        }
    }

    /// The error for the token just peeked, on the line where that token starts.
    fn unexpected_peeked(&mut self) -> ParseError {
        let Some(token) = self.lookahead.as_ref() else {
            return self.unexpected("newline");
        };
        let mut err = match &token.kind {
            TokenKind::Eof => return self.eof_in_open(),
            TokenKind::Newline => self.unexpected("newline"),
            // Bash names the descriptor number of `>1>b`, which it read as its own token.
            TokenKind::Op(Op::Redir(_, Some(fd))) => self.unexpected(&fd.to_string()),
            TokenKind::Op(op) => self.unexpected(op.text()),
            TokenKind::Word(_) => {
                let text = self.src.get(token.start..token.end).unwrap_or("");
                self.unexpected(&text.replace("\\\n", ""))
            }
        };
        err.line = self.line_at(token.start);
        err
    }

    fn skip_newlines(&mut self) -> Result<(), ParseError> {
        while self.peek()? == Peek::Newline {
            self.next()?;
        }
        Ok(())
    }

    /// The whole input: the script and, per top-level command line, its source span.
    pub(super) fn script(&mut self) -> Result<(Script, Vec<(usize, usize)>), ParseError> {
        let mut items = Vec::new();
        let mut spans = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek()? == Peek::Eof {
                break;
            }
            let start = self.lookahead.as_ref().map_or(self.pos, |t| t.start);
            let end = self.line(&mut items)?;
            spans.push((start, end));
        }
        if let Some(reason) = self.unfinished_heredoc.take() {
            return Err(self.eof_error(reason));
        }
        // Reaching EOF has read every pending body (or recorded why not).
        fill_heredocs(
            &mut items,
            &mut std::mem::take(&mut self.bodies).into_iter(),
        );
        let script = Script {
            items,
            warnings: std::mem::take(&mut self.warnings),
        };
        Ok((script, spans))
    }

    /// One top-level command line: and-or lists separated by `;` or `&`, up to the newline
    /// (whose token also covers the here-document bodies read after it). Returns its end.
    fn line(&mut self, items: &mut Vec<ListItem>) -> Result<usize, ParseError> {
        loop {
            let and_or = self.and_or()?;
            match self.peek()? {
                Peek::Op(Op::Semi) | Peek::Op(Op::Amp) => {
                    let background = self.peek()? == Peek::Op(Op::Amp);
                    self.next()?;
                    items.push(ListItem { and_or, background });
                    match self.peek()? {
                        Peek::Newline => return Ok(self.next()?.end),
                        Peek::Eof => return Ok(self.pos),
                        _ => (),
                    }
                }
                Peek::Newline => {
                    items.push(ListItem {
                        and_or,
                        background: false,
                    });
                    return Ok(self.next()?.end);
                }
                Peek::Eof => {
                    items.push(ListItem {
                        and_or,
                        background: false,
                    });
                    return Ok(self.pos);
                }
                _ => return Err(self.unexpected_peeked()),
            }
        }
    }

    /// A list inside a compound command or `$(...)`, ending before one of the `closers`
    /// keywords (or before `)` with `close_paren`). Newlines separate like `;`.
    fn compound_list(
        &mut self,
        closers: &[&str],
        close_paren: bool,
        allow_empty: bool,
    ) -> Result<Vec<ListItem>, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            match self.peek()? {
                Peek::Word(Some(text)) if closers.contains(&text.as_str()) => break,
                Peek::Op(Op::RParen) if close_paren => break,
                Peek::Eof => return Err(self.eof_in_open()),
                _ => (),
            }
            let and_or = self.and_or()?;
            let background = match self.peek()? {
                Peek::Op(Op::Semi) => {
                    self.next()?;
                    false
                }
                Peek::Op(Op::Amp) => {
                    self.next()?;
                    true
                }
                Peek::Newline => {
                    self.next()?;
                    false
                }
                Peek::Op(Op::RParen) if close_paren => false,
                // After a compound command a closing keyword needs no separator: `{ (a) }`.
                Peek::Word(Some(text)) if closers.contains(&text.as_str()) => false,
                Peek::Eof => false,
                _ => return Err(self.unexpected_peeked()),
            };
            items.push(ListItem { and_or, background });
        }
        if items.is_empty() && !allow_empty {
            return Err(self.unexpected_peeked());
        }
        Ok(items)
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek()? {
                Peek::Op(Op::AndIf) => AndOrOp::And,
                Peek::Op(Op::OrIf) => AndOrOp::Or,
                _ => break,
            };
            let token = self.next()?;
            self.after_operator(&token)?;
            rest.push((op, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    /// After `|`, `&&` or `||`, newlines are allowed and the input must go on.
    fn after_operator(&mut self, token: &Token) -> Result<(), ParseError> {
        self.skip_newlines()?;
        if self.peek()? == Peek::Eof {
            let text = match token.kind {
                TokenKind::Op(op) => op.text(),
                _ => "",
            };
            return Err(self.eof_error(IncompleteReason::Operator(text.to_string())));
        }
        Ok(())
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut negated = false;
        while self.peek()? == Peek::Word(Some("!".to_string())) {
            self.next()?;
            negated = !negated;
        }
        if negated && matches!(self.peek()?, Peek::Op(Op::Semi) | Peek::Newline | Peek::Eof) {
            // Bash accepts a bare `!` (status 1): the negation of an empty command.
            return Ok(Pipeline {
                negated,
                commands: vec![Command::Simple(SimpleCommand::default())],
            });
        }
        let mut commands = vec![self.command()?];
        loop {
            let pipe_stderr = match self.peek()? {
                Peek::Op(Op::Pipe) => false,
                Peek::Op(Op::PipeAmp) => true,
                _ => break,
            };
            let token = self.next()?;
            if pipe_stderr {
                // `a |& b` is bash's shorthand for `a 2>&1 | b`.
                let dup = Redirect {
                    fd: Some(2),
                    kind: RedirectKind::DupOut,
                    target: literal_word("1"),
                };
                match commands.last_mut() {
                    Some(Command::Simple(simple)) => simple.redirects.push(dup),
                    Some(Command::Compound(compound)) => compound.redirects.push(dup),
                    None => (),
                }
            }
            self.after_operator(&token)?;
            commands.push(self.command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        match self.peek()? {
            Peek::Word(Some(text)) => match text.as_str() {
                "{" | "if" | "for" | "while" | "until" => self.compound(&text),
                "then" | "else" | "elif" | "fi" | "do" | "done" | "}" | "esac" | "in" | "!"
                | "]]" => Err(self.unexpected_peeked()),
                "function" => self.function_keyword(),
                "case" | "select" | "coproc" => Err(self.unsupported(&format!(
                    "`{text}' (use if/for/while, or separate commands)"
                ))),
                "[[" => Err(self.unsupported("`[[ ... ]]' (use `[ ... ]' or `test')")),
                _ => self.simple(),
            },
            Peek::Op(Op::LParen) => {
                if self
                    .src
                    .get(self.pos..)
                    .is_some_and(|rest| rest.starts_with('('))
                {
                    if let Some(command) = self.arith_command()? {
                        return Ok(command);
                    }
                }
                self.compound("(")
            }
            Peek::Word(None) | Peek::Op(Op::Redir(..)) => self.simple(),
            Peek::Eof => Err(self.eof_in_open()),
            Peek::Op(_) | Peek::Newline => Err(self.unexpected_peeked()),
        }
    }

    fn simple(&mut self) -> Result<Command, ParseError> {
        let mut command = SimpleCommand::default();
        loop {
            match self.peek()? {
                Peek::Op(Op::Redir(op, fd)) => {
                    self.next()?;
                    let redirect = self.redirect(op, fd)?;
                    command.redirects.push(redirect);
                }
                Peek::Word(_) => {
                    let token = self.next()?;
                    let TokenKind::Word(word) = token.kind else {
                        continue;
                    };
                    if command.words.is_empty() {
                        if let Some(assignment) = split_assignment(&word) {
                            if self.src.get(self.pos..).is_some_and(|r| r.starts_with('(')) {
                                return Err(self.unsupported("arrays (`NAME=(...)')"));
                            }
                            command.assignments.push(assignment);
                            continue;
                        }
                        if looks_like_array_assignment(&word) {
                            return Err(self.unsupported("arrays (`NAME[...]=...')"));
                        }
                    }
                    command.words.push(word);
                }
                // `name ()` starts a function definition; any other `(` is an error below.
                Peek::Op(Op::LParen)
                    if command.words.len() == 1
                        && command.assignments.is_empty()
                        && command.redirects.is_empty()
                        && self.src.get(self.pos..).is_some_and(|rest| {
                            rest.trim_start_matches([' ', '\t']).starts_with(')')
                        }) =>
                {
                    let name = match command.words[0].as_plain() {
                        Some(name) if !name.contains(['$', '`', '=']) => name.to_string(),
                        _ => return Err(self.unexpected_peeked()),
                    };
                    self.next()?;
                    self.next()?;
                    return self.function_body(name);
                }
                _ => break,
            }
        }
        Ok(Command::Simple(command))
    }

    /// `function NAME [()] COMPOUND`, at the keyword.
    fn function_keyword(&mut self) -> Result<Command, ParseError> {
        self.next()?;
        let name = match self.peek()? {
            Peek::Word(Some(name)) if !name.contains(['$', '`', '=']) => name,
            _ => return Err(self.unexpected_peeked()),
        };
        self.next()?;
        if self.peek()? == Peek::Op(Op::LParen) {
            self.next()?;
            if self.peek()? != Peek::Op(Op::RParen) {
                return Err(self.unexpected_peeked());
            }
            self.next()?;
        }
        self.function_body(name)
    }

    /// A function's body after `NAME ()`: newlines, then one compound command.
    fn function_body(&mut self, name: String) -> Result<Command, ParseError> {
        self.skip_newlines()?;
        let compound = match self.peek()? {
            Peek::Word(Some(text))
                if matches!(text.as_str(), "{" | "if" | "for" | "while" | "until") =>
            {
                true
            }
            Peek::Op(Op::LParen) => true,
            Peek::Eof => return Err(self.eof_in_open()),
            _ => false,
        };
        if !compound {
            return Err(self.unexpected_peeked());
        }
        match self.command()? {
            Command::Compound(body) => Ok(Command::Compound(CompoundCommand {
                kind: CompoundKind::FunctionDef {
                    name,
                    body: Box::new(body),
                },
                redirects: Vec::new(),
            })),
            Command::Simple(_) => Err(self.unexpected("newline")),
        }
    }

    /// `(( EXPRESSION ))` with its `(` peeked; `None` when the parentheses close apart, so it
    /// is a subshell after all.
    fn arith_command(&mut self) -> Result<Option<Command>, ParseError> {
        let start = self.pos + 1;
        let end = match arith_end(self.src, start) {
            None => return Ok(None),
            Some(Err(())) => {
                self.pos = self.src.len();
                return Err(self.eof_error(IncompleteReason::Compound("((".to_string())));
            }
            Some(Ok(end)) => end,
        };
        let line = self.line_at(start);
        self.next()?;
        self.pos = end + 2;
        let text = &self.src[start..end];
        let expr = self.heredoc_body(text, line)?;
        let mut redirects = Vec::new();
        while let Peek::Op(Op::Redir(op, fd)) = self.peek()? {
            self.next()?;
            redirects.push(self.redirect(op, fd)?);
        }
        Ok(Some(Command::Compound(CompoundCommand {
            kind: CompoundKind::Arith(expr),
            redirects,
        })))
    }

    /// The operand of a redirect operator (already consumed).
    fn redirect(&mut self, op: RedirOp, fd: Option<u32>) -> Result<Redirect, ParseError> {
        self.dup_operand = matches!(op, RedirOp::GreatAnd | RedirOp::LessAnd);
        let (target, span) = match self.peek()? {
            Peek::Word(_) => {
                let token = self.next()?;
                let span = (token.start, token.end);
                match token.kind {
                    TokenKind::Word(word) => (word, span),
                    _ => (Word::default(), span),
                }
            }
            // Bash reads the end of a `-c` string as a newline, so it names `newline' here.
            Peek::Eof => return Err(self.unexpected("newline")),
            _ => return Err(self.unexpected_peeked()),
        };
        let kind = match op {
            RedirOp::Great => RedirectKind::Out {
                append: false,
                clobber: false,
            },
            RedirOp::DGreat => RedirectKind::Out {
                append: true,
                clobber: false,
            },
            RedirOp::Clobber => RedirectKind::Out {
                append: false,
                clobber: true,
            },
            RedirOp::Less => RedirectKind::In,
            RedirOp::LessGreat => RedirectKind::ReadWrite,
            RedirOp::AndGreat => RedirectKind::Both { append: false },
            RedirOp::AndDGreat => RedirectKind::Both { append: true },
            RedirOp::GreatAnd => {
                // `>&word` with no fd and a word that is not a number or `-` means `&>word`.
                let names_fd = target
                    .as_plain()
                    .is_some_and(|t| t == "-" || t.bytes().all(|b| b.is_ascii_digit()));
                let expands = target
                    .parts
                    .iter()
                    .any(|p| !matches!(p, WordPart::Literal { .. }));
                if fd.is_none() && !names_fd && !expands {
                    RedirectKind::Both { append: false }
                } else {
                    RedirectKind::DupOut
                }
            }
            RedirOp::LessAnd => RedirectKind::DupIn,
            RedirOp::TLess => RedirectKind::HereString,
            RedirOp::DLess | RedirOp::DLessDash => {
                let (delimiter, quoted) = match target.literal_text() {
                    Some(text) => {
                        let quoted = target
                            .parts
                            .iter()
                            .any(|p| matches!(p, WordPart::Literal { quoted: true, .. }));
                        (text, quoted)
                    }
                    // Bash does not expand a delimiter: `<<$X` waits for a line `$X`.
                    None => heredoc_delimiter(self.src.get(span.0..span.1).unwrap_or("")),
                };
                self.pending.push(PendingHereDoc {
                    delimiter: delimiter.clone(),
                    strip_tabs: op == RedirOp::DLessDash,
                    expand: !quoted,
                    line: self.line_at(self.pos),
                });
                // The body arrives after the next newline; `fill_heredocs` puts it here.
                RedirectKind::HereDoc(super::ast::HereDoc {
                    delimiter,
                    body: Word::default(),
                    strip_tabs: op == RedirOp::DLessDash,
                    expand: !quoted,
                })
            }
        };
        Ok(Redirect { fd, kind, target })
    }

    fn compound(&mut self, keyword: &str) -> Result<Command, ParseError> {
        self.enter()?;
        self.next()?;
        self.open
            .push(IncompleteReason::Compound(keyword.to_string()));
        let kind = match keyword {
            "{" => {
                let body = self.compound_list(&["}"], false, false)?;
                self.expect_keyword("}")?;
                CompoundKind::BraceGroup(body)
            }
            "(" => {
                let body = self.compound_list(&[], true, false)?;
                match self.peek()? {
                    Peek::Op(Op::RParen) => {
                        self.next()?;
                    }
                    _ => return Err(self.unexpected_peeked()),
                }
                CompoundKind::Subshell(body)
            }
            "for" => self.for_loop()?,
            "if" => self.if_command()?,
            _ => {
                let condition = self.compound_list(&["do"], false, false)?;
                self.expect_keyword("do")?;
                let body = self.compound_list(&["done"], false, false)?;
                self.expect_keyword("done")?;
                CompoundKind::While {
                    until: keyword == "until",
                    condition,
                    body,
                }
            }
        };
        self.open.pop();
        let mut redirects = Vec::new();
        while let Peek::Op(Op::Redir(op, fd)) = self.peek()? {
            self.next()?;
            redirects.push(self.redirect(op, fd)?);
        }
        self.leave();
        Ok(Command::Compound(CompoundCommand { kind, redirects }))
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), ParseError> {
        match self.peek()? {
            Peek::Word(Some(text)) if text == keyword => {
                self.next()?;
                Ok(())
            }
            _ => Err(self.unexpected_peeked()),
        }
    }

    fn for_loop(&mut self) -> Result<CompoundKind, ParseError> {
        let name = match self.peek()? {
            Peek::Word(_) => {
                let token = self.next()?;
                let text = self.src.get(token.start..token.end).unwrap_or("");
                match token.kind {
                    TokenKind::Word(word) => match word.as_plain() {
                        Some(name) if is_name(name) => name.to_string(),
                        _ => {
                            return Err(
                                self.error(ParseErrorKind::InvalidIdentifier(text.to_string()))
                            )
                        }
                    },
                    _ => String::new(),
                }
            }
            _ => return Err(self.unexpected_peeked()),
        };
        self.skip_newlines()?;
        let words = match self.peek()? {
            Peek::Word(Some(text)) if text == "in" => {
                self.next()?;
                let mut words = Vec::new();
                loop {
                    match self.peek()? {
                        Peek::Word(_) => {
                            if let TokenKind::Word(word) = self.next()?.kind {
                                words.push(word);
                            }
                        }
                        Peek::Op(Op::Semi) | Peek::Newline => {
                            self.next()?;
                            break;
                        }
                        _ => return Err(self.unexpected_peeked()),
                    }
                }
                Some(words)
            }
            Peek::Op(Op::Semi) => {
                self.next()?;
                None
            }
            _ => None,
        };
        self.skip_newlines()?;
        self.expect_keyword("do")?;
        let body = self.compound_list(&["done"], false, false)?;
        self.expect_keyword("done")?;
        Ok(CompoundKind::For { name, words, body })
    }

    fn if_command(&mut self) -> Result<CompoundKind, ParseError> {
        let mut branches = Vec::new();
        let mut else_body = None;
        loop {
            let condition = self.compound_list(&["then"], false, false)?;
            self.expect_keyword("then")?;
            let body = self.compound_list(&["elif", "else", "fi"], false, false)?;
            branches.push(IfBranch { condition, body });
            match self.peek()? {
                Peek::Word(Some(text)) if text == "elif" => {
                    self.next()?;
                }
                Peek::Word(Some(text)) if text == "else" => {
                    self.next()?;
                    else_body = Some(self.compound_list(&["fi"], false, false)?);
                    self.expect_keyword("fi")?;
                    break;
                }
                _ => {
                    self.expect_keyword("fi")?;
                    break;
                }
            }
        }
        Ok(CompoundKind::If {
            branches,
            else_body,
        })
    }

    /// `$(...)` after its `$(`: the inner list up to the matching `)`. Here-documents
    /// inside belong to the inner level and must end before the `)`.
    pub(super) fn command_subst(&mut self) -> Result<Script, ParseError> {
        self.enter()?;
        self.open.push(IncompleteReason::CommandSubst);
        let outer_pending = std::mem::take(&mut self.pending);
        let outer_bodies = std::mem::take(&mut self.bodies);
        let mut items = self.compound_list(&[], true, true)?;
        match self.peek()? {
            Peek::Op(Op::RParen) => {
                self.next()?;
            }
            _ => return Err(self.unexpected_peeked()),
        }
        if !self.pending.is_empty() {
            return Err(
                self.unsupported("a here-document inside `$(...)' whose body comes after the `)'")
            );
        }
        let inner_bodies = std::mem::replace(&mut self.bodies, outer_bodies);
        self.pending = outer_pending;
        fill_heredocs(&mut items, &mut inner_bodies.into_iter());
        self.open.pop();
        self.leave();
        Ok(Script {
            items,
            warnings: Vec::new(),
        })
    }
}

/// Gives each here-document in `items` its body, in the order the `<<` operators appeared.
/// Bodies of nested `$(...)` were filled at their own level, so words are not visited.
fn fill_heredocs(items: &mut [ListItem], bodies: &mut impl Iterator<Item = Word>) {
    for item in items {
        let pipelines = std::iter::once(&mut item.and_or.first)
            .chain(item.and_or.rest.iter_mut().map(|(_, p)| p));
        for pipeline in pipelines {
            for command in &mut pipeline.commands {
                match command {
                    Command::Simple(simple) => fill_redirects(&mut simple.redirects, bodies),
                    Command::Compound(compound) => fill_compound(compound, bodies),
                }
            }
        }
    }
}

/// [`fill_heredocs`] for one compound command: its lists, then its own redirects.
fn fill_compound(compound: &mut CompoundCommand, bodies: &mut impl Iterator<Item = Word>) {
    match &mut compound.kind {
        CompoundKind::BraceGroup(body) | CompoundKind::Subshell(body) => {
            fill_heredocs(body, bodies)
        }
        CompoundKind::For { body, .. } => fill_heredocs(body, bodies),
        CompoundKind::While {
            condition, body, ..
        } => {
            fill_heredocs(condition, bodies);
            fill_heredocs(body, bodies);
        }
        CompoundKind::If {
            branches,
            else_body,
        } => {
            for branch in branches {
                fill_heredocs(&mut branch.condition, bodies);
                fill_heredocs(&mut branch.body, bodies);
            }
            if let Some(else_body) = else_body {
                fill_heredocs(else_body, bodies);
            }
        }
        CompoundKind::Arith(_) => (),
        CompoundKind::FunctionDef { body, .. } => fill_compound(body, bodies),
    }
    fill_redirects(&mut compound.redirects, bodies);
}

fn fill_redirects(redirects: &mut [Redirect], bodies: &mut impl Iterator<Item = Word>) {
    for redirect in redirects {
        if let RedirectKind::HereDoc(doc) = &mut redirect.kind {
            doc.body = bodies.next().unwrap_or_default();
        }
    }
}

/// Where the `))` closing an arithmetic expression that starts at `start` is: `Some(Ok(at))`
/// for its first `)`, `Some(Err(()))` when the input ends first, `None` when a `)` closes the
/// outer parenthesis alone (then bash reads a subshell or command substitution instead).
pub(super) fn arith_end(src: &str, start: usize) -> Option<Result<usize, ()>> {
    let rest = src.get(start..)?;
    let mut depth = 0usize;
    let mut chars = rest.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            ')' => {
                return match chars.peek() {
                    Some((_, ')')) => Some(Ok(start + at)),
                    _ => None,
                }
            }
            _ => (),
        }
    }
    Some(Err(()))
}

/// Quote removal on the source text of a here-document delimiter that contains `$` or
/// backticks; also says whether any part was quoted (which turns off body expansion).
fn heredoc_delimiter(raw: &str) -> (String, bool) {
    let mut text = String::new();
    let mut quoted = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                // A line continuation is removed, not quoting.
                Some('\n') | None => (),
                Some(next) => {
                    quoted = true;
                    text.push(next);
                }
            },
            '\'' => {
                quoted = true;
                for inner in chars.by_ref() {
                    if inner == '\'' {
                        break;
                    }
                    text.push(inner);
                }
            }
            '"' => {
                quoted = true;
                while let Some(inner) = chars.next() {
                    match inner {
                        '"' => break,
                        '\\' if chars.peek().is_some_and(|n| "$`\"\\".contains(*n)) => {
                            if let Some(next) = chars.next() {
                                text.push(next);
                            }
                        }
                        _ => text.push(inner),
                    }
                }
            }
            _ => text.push(c),
        }
    }
    (text, quoted)
}

/// A variable name: a letter or `_`, then letters, digits and `_`.
pub(super) fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {
            chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        _ => false,
    }
}

/// The length of `NAME=` or `NAME+=` at the start of `text`, if it starts with one.
pub(super) fn assignment_prefix(text: &str) -> Option<(usize, bool)> {
    let eq = text.find('=')?;
    let (name, append) = match text[..eq].strip_suffix('+') {
        Some(name) => (name, true),
        None => (&text[..eq], false),
    };
    if !is_name(name) {
        return None;
    }
    Some((eq + 1, append))
}

/// Splits `NAME=value` into an assignment when the name part is unquoted literal text.
fn split_assignment(word: &Word) -> Option<Assignment> {
    let Some(WordPart::Literal {
        text,
        quoted: false,
    }) = word.parts.first()
    else {
        return None;
    };
    let (len, append) = assignment_prefix(text)?;
    let name_end = if append { len - 2 } else { len - 1 };
    let name = text[..name_end].to_string();
    let mut parts = Vec::with_capacity(word.parts.len());
    if len < text.len() {
        parts.push(WordPart::Literal {
            text: text[len..].to_string(),
            quoted: false,
        });
    }
    parts.extend(word.parts.iter().skip(1).cloned());
    // The lexer split tildes for the whole word; redo it now that the value stands alone.
    let value = super::lexer::split_tildes(parts, true);
    Some(Assignment {
        name,
        value: Word { parts: value },
        append,
    })
}

fn looks_like_array_assignment(word: &Word) -> bool {
    let Some(WordPart::Literal {
        text,
        quoted: false,
    }) = word.parts.first()
    else {
        return false;
    };
    let Some(bracket) = text.find('[') else {
        return false;
    };
    is_name(&text[..bracket]) && text[bracket..].contains("]=")
}

fn literal_word(text: &str) -> Word {
    Word {
        parts: vec![WordPart::Literal {
            text: text.to_string(),
            quoted: false,
        }],
    }
}

#[cfg(test)]
mod tests;
