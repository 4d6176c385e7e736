//! Tokens and words: the character-level half of the shell parser, plus the forgiving
//! tokenizer that tab completion uses.
//!
//! Bash's lexer depends on the parser (`$(...)` holds a whole command list, here-document
//! bodies start after the current line), so this is not a separate pass: these are more
//! methods on `parser::Parser`, producing one token at a time on demand.

use super::ast::{Warning, Word, WordPart};
use super::parser::{
    assignment_prefix, IncompleteReason, Mode, ParseError, ParseErrorKind, Parser,
};

/// The words before the cursor (at the end of `line`) and the partial word being typed,
/// quotes and escapes removed, for tab completion. Only the current simple command counts:
/// words before the last `|`, `;`, `&&`, `||`, `&` or an open `$(` are dropped. Redirect
/// operators (`>`, `2>`, `<`, ...) appear as words of their own so the completer can tell
/// that a file name comes next. Never fails; unbalanced quotes simply stay open.
pub fn tokenize_for_completion(line: &str) -> (Vec<String>, String) {
    let mut scanner = CompletionScanner::default();
    scanner.scan(line);
    scanner.finish()
}

/// A token and its byte span in the parser's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub(super) kind: TokenKind,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TokenKind {
    Word(Word),
    Op(Op),
    /// A newline; its span also covers the here-document bodies read after it.
    Newline,
    Eof,
}

/// Control and redirect operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Pipe,
    PipeAmp,
    AndIf,
    OrIf,
    Amp,
    Semi,
    /// `;;`, `;&` or `;;&`: only meaningful in `case`, which is not supported.
    CaseSep(&'static str),
    LParen,
    RParen,
    /// A redirect operator with the descriptor number written right before it.
    Redir(RedirOp, Option<u32>),
}

/// Redirect operators, named after POSIX's grammar tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RedirOp {
    Great,
    DGreat,
    Clobber,
    Less,
    LessGreat,
    AndGreat,
    AndDGreat,
    GreatAnd,
    LessAnd,
    DLess,
    DLessDash,
    TLess,
}

impl Op {
    /// The operator as bash prints it in `near unexpected token`.
    pub(super) fn text(self) -> &'static str {
        match self {
            Op::Pipe => "|",
            Op::PipeAmp => "|&",
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::Amp => "&",
            Op::Semi => ";",
            Op::CaseSep(text) => text,
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Redir(op, _) => match op {
                RedirOp::Great => ">",
                RedirOp::DGreat => ">>",
                RedirOp::Clobber => ">|",
                RedirOp::Less => "<",
                RedirOp::LessGreat => "<>",
                RedirOp::AndGreat => "&>",
                RedirOp::AndDGreat => "&>>",
                RedirOp::GreatAnd => ">&",
                RedirOp::LessAnd => "<&",
                RedirOp::DLess => "<<",
                RedirOp::DLessDash => "<<-",
                RedirOp::TLess => "<<<",
            },
        }
    }
}

/// Collects word parts, merging adjacent literals of the same quotedness.
#[derive(Debug, Default)]
pub(super) struct PartsBuilder {
    parts: Vec<WordPart>,
}

impl PartsBuilder {
    fn push_char(&mut self, c: char, quoted: bool) {
        if let Some(WordPart::Literal { text, quoted: q }) = self.parts.last_mut() {
            if *q == quoted {
                text.push(c);
                return;
            }
        }
        self.parts.push(WordPart::Literal {
            text: c.to_string(),
            quoted,
        });
    }

    /// Pushes literal text; an empty quoted string still leaves a part so `''` is a word.
    fn push_str(&mut self, s: &str, quoted: bool) {
        if let Some(WordPart::Literal { text, quoted: q }) = self.parts.last_mut() {
            if *q == quoted {
                text.push_str(s);
                return;
            }
        }
        if s.is_empty() && !quoted {
            return;
        }
        self.parts.push(WordPart::Literal {
            text: s.to_string(),
            quoted,
        });
    }

    fn push_part(&mut self, part: WordPart) {
        match part {
            WordPart::Literal { text, quoted } => self.push_str(&text, quoted),
            other => self.parts.push(other),
        }
    }

    fn finish(self) -> Vec<WordPart> {
        self.parts
    }
}

/// Splits unquoted `~` prefixes into `Tilde` parts: at the start, and with `assignment`
/// also after every unquoted `:` (bash does both in assignment values). A prefix runs to
/// the first `/` (or `:`); if it would take in quoted or expanded text, it stays literal.
pub(super) fn split_tildes(parts: Vec<WordPart>, assignment: bool) -> Vec<WordPart> {
    let count = parts.len();
    let mut out = PartsBuilder::default();
    for (idx, part) in parts.into_iter().enumerate() {
        let WordPart::Literal {
            text,
            quoted: false,
        } = part
        else {
            out.push_part(part);
            continue;
        };
        let more_parts_follow = idx + 1 < count;
        let segments: Vec<&str> = if assignment {
            text.split(':').collect()
        } else {
            vec![text.as_str()]
        };
        let last = segments.len().saturating_sub(1);
        for (seg_idx, segment) in segments.iter().enumerate() {
            if 0 < seg_idx {
                out.push_char(':', false);
            }
            let may_start = if seg_idx == 0 { idx == 0 } else { true };
            if may_start && segment.starts_with('~') {
                let end = segment.find('/').unwrap_or(segment.len());
                let closed = end < segment.len() || seg_idx < last || !more_parts_follow;
                if closed {
                    out.parts.push(WordPart::Tilde {
                        user: segment[1..end].to_string(),
                    });
                    out.push_str(&segment[end..], false);
                    continue;
                }
            }
            out.push_str(segment, false);
        }
    }
    out.finish()
}

/// Tilde handling for a whole word: at its start, and when it looks like `NAME=value`
/// (even as an argument, as bash does outside POSIX mode) also in the value.
fn word_tildes(parts: Vec<WordPart>) -> Vec<WordPart> {
    let prefix = match parts.first() {
        Some(WordPart::Literal {
            text,
            quoted: false,
        }) => assignment_prefix(text).map(|(len, _)| len),
        _ => None,
    };
    let Some(len) = prefix else {
        return split_tildes(parts, false);
    };
    let mut iter = parts.into_iter();
    let Some(WordPart::Literal { text, .. }) = iter.next() else {
        return Vec::new();
    };
    let mut value = Vec::new();
    if len < text.len() {
        value.push(WordPart::Literal {
            text: text[len..].to_string(),
            quoted: false,
        });
    }
    value.extend(iter);
    let mut out = PartsBuilder::default();
    out.push_str(&text[..len], false);
    for part in split_tildes(value, true) {
        out.push_part(part);
    }
    out.finish()
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '|' | '&' | ';' | '(' | ')' | '<' | '>'
    )
}

fn is_special_param(c: char) -> bool {
    matches!(c, '?' | '$' | '#' | '@' | '*' | '!' | '-')
}

fn ends_with_odd_backslashes(line: &str) -> bool {
    line.bytes().rev().take_while(|b| *b == b'\\').count() % 2 == 1
}

impl Parser<'_> {
    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    fn peek_char_at(&self, n: usize) -> Option<char> {
        self.src.get(self.pos..)?.chars().nth(n)
    }

    fn rest_starts_with(&self, s: &str) -> bool {
        self.src
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(s))
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn at_end(&self) -> bool {
        self.src.len() <= self.pos
    }

    /// Removes a backslash-newline (already known to be there). At the very end of input
    /// that may still grow, the continuation says more is coming.
    fn line_continuation(&mut self) -> Result<(), ParseError> {
        self.pos += 2;
        if self.mode == Mode::Partial && self.at_end() {
            return Err(self.eof_error(IncompleteReason::LineContinuation));
        }
        Ok(())
    }

    /// Produces the next token.
    pub(super) fn lex_token(&mut self) -> Result<Token, ParseError> {
        let dup_operand = std::mem::take(&mut self.dup_operand);
        self.skip_blanks()?;
        let start = self.pos;
        let kind = match self.peek_char() {
            None => {
                // Whatever here-documents are still pending end at the end of input.
                self.read_heredoc_bodies()?;
                TokenKind::Eof
            }
            Some('\n') => {
                self.bump();
                self.read_heredoc_bodies()?;
                TokenKind::Newline
            }
            Some(c) if c.is_ascii_digit() && !dup_operand => match self.io_number() {
                Some(fd) => TokenKind::Op(self.lex_op(Some(fd))?),
                None => TokenKind::Word(self.lex_word()?),
            },
            Some(c) if is_meta(c) => TokenKind::Op(self.lex_op(None)?),
            Some(_) => TokenKind::Word(self.lex_word()?),
        };
        Ok(Token {
            kind,
            start,
            end: self.pos,
        })
    }

    /// Skips blanks, line continuations and a comment (a `#` starting a word).
    fn skip_blanks(&mut self) -> Result<(), ParseError> {
        loop {
            match self.peek_char() {
                Some(' ' | '\t') => {
                    self.bump();
                }
                Some('\\') => match self.peek_char_at(1) {
                    Some('\n') => self.line_continuation()?,
                    None if self.mode == Mode::Partial => {
                        return Err(self.eof_error(IncompleteReason::LineContinuation))
                    }
                    _ => return Ok(()),
                },
                Some('#') => {
                    while let Some(c) = self.peek_char() {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// Digits directly followed by `<` or `>` name the descriptor of a redirect.
    fn io_number(&mut self) -> Option<u32> {
        let rest = self.src.get(self.pos..)?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[digits..].chars().next() {
            Some('<' | '>') => (),
            _ => return None,
        }
        let fd = rest[..digits].parse().ok()?;
        self.pos += digits;
        Some(fd)
    }

    fn lex_op(&mut self, fd: Option<u32>) -> Result<Op, ParseError> {
        const OPS: [(&str, Op); 23] = [
            ("<<<", Op::Redir(RedirOp::TLess, None)),
            ("<<-", Op::Redir(RedirOp::DLessDash, None)),
            ("&>>", Op::Redir(RedirOp::AndDGreat, None)),
            (";;&", Op::CaseSep(";;&")),
            ("<<", Op::Redir(RedirOp::DLess, None)),
            ("<>", Op::Redir(RedirOp::LessGreat, None)),
            ("<&", Op::Redir(RedirOp::LessAnd, None)),
            (">>", Op::Redir(RedirOp::DGreat, None)),
            (">|", Op::Redir(RedirOp::Clobber, None)),
            (">&", Op::Redir(RedirOp::GreatAnd, None)),
            ("&>", Op::Redir(RedirOp::AndGreat, None)),
            ("&&", Op::AndIf),
            ("||", Op::OrIf),
            ("|&", Op::PipeAmp),
            (";;", Op::CaseSep(";;")),
            (";&", Op::CaseSep(";&")),
            ("<", Op::Redir(RedirOp::Less, None)),
            (">", Op::Redir(RedirOp::Great, None)),
            ("|", Op::Pipe),
            ("&", Op::Amp),
            (";", Op::Semi),
            ("(", Op::LParen),
            (")", Op::RParen),
        ];
        if self.rest_starts_with("<(") || self.rest_starts_with(">(") {
            return Err(self.unsupported("process substitution `<(...)' / `>(...)'"));
        }
        for (text, op) in OPS {
            if !self.rest_starts_with(text) {
                continue;
            }
            match (op, fd) {
                (Op::Redir(redir, None), _) => {
                    self.pos += text.len();
                    return Ok(Op::Redir(redir, fd));
                }
                // A number is only a descriptor in front of a redirect operator.
                (_, Some(_)) => continue,
                (op, None) => {
                    self.pos += text.len();
                    return Ok(op);
                }
            }
        }
        // Unreachable for the characters `is_meta` accepts; fail softly all the same.
        let c = self.bump().unwrap_or(' ');
        Err(self.unexpected(&c.to_string()))
    }

    /// A word in ordinary (unquoted) context, up to a blank or metacharacter.
    fn lex_word(&mut self) -> Result<Word, ParseError> {
        let start = self.pos;
        let mut b = PartsBuilder::default();
        while let Some(c) = self.peek_char() {
            match c {
                c if is_meta(c) => break,
                '\\' => self.lex_backslash_unquoted(&mut b)?,
                '\'' => self.lex_single_quote(&mut b)?,
                '"' => self.lex_double_quote(&mut b)?,
                '$' => self.lex_dollar(&mut b, false)?,
                '`' => self.lex_backtick(&mut b, false)?,
                _ => {
                    self.bump();
                    b.push_char(c, false);
                }
            }
        }
        if self.pos == start {
            // Cannot happen for the characters that start a word; never loop forever.
            if let Some(c) = self.bump() {
                b.push_char(c, false);
            }
        }
        Ok(Word {
            parts: word_tildes(b.finish()),
        })
    }

    fn lex_backslash_unquoted(&mut self, b: &mut PartsBuilder) -> Result<(), ParseError> {
        match self.peek_char_at(1) {
            Some('\n') => self.line_continuation(),
            Some(c) => {
                self.pos += 1 + c.len_utf8();
                b.push_char(c, true);
                Ok(())
            }
            None => {
                if self.mode == Mode::Partial {
                    return Err(self.eof_error(IncompleteReason::LineContinuation));
                }
                // Bash keeps a backslash at the very end of the input as itself.
                self.pos += 1;
                b.push_char('\\', true);
                Ok(())
            }
        }
    }

    fn lex_single_quote(&mut self, b: &mut PartsBuilder) -> Result<(), ParseError> {
        self.bump();
        let rest = self.src.get(self.pos..).unwrap_or("");
        let Some(end) = rest.find('\'') else {
            self.pos = self.src.len();
            return Err(self.eof_error(IncompleteReason::Quote('\'')));
        };
        b.push_str(&rest[..end], true);
        self.pos += end + 1;
        Ok(())
    }

    fn lex_double_quote(&mut self, b: &mut PartsBuilder) -> Result<(), ParseError> {
        self.bump();
        let mut pushed = false;
        loop {
            let Some(c) = self.peek_char() else {
                return Err(self.eof_error(IncompleteReason::Quote('"')));
            };
            match c {
                '"' => {
                    self.bump();
                    break;
                }
                '\\' => match self.peek_char_at(1) {
                    Some(next @ ('$' | '`' | '"' | '\\')) => {
                        self.pos += 2;
                        b.push_char(next, true);
                        pushed = true;
                    }
                    Some('\n') => self.pos += 2,
                    _ => {
                        self.bump();
                        b.push_char('\\', true);
                        pushed = true;
                    }
                },
                '$' => {
                    self.lex_dollar(b, true)?;
                    pushed = true;
                }
                '`' => {
                    self.lex_backtick(b, true)?;
                    pushed = true;
                }
                _ => {
                    self.bump();
                    b.push_char(c, true);
                    pushed = true;
                }
            }
        }
        if !pushed {
            b.push_str("", true);
        }
        Ok(())
    }

    /// `$'...'`: ANSI-C quoting, after the `$`.
    fn lex_ansi_c_quote(&mut self, b: &mut PartsBuilder) -> Result<(), ParseError> {
        self.bump();
        let mut text = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(self.eof_error(IncompleteReason::Quote('\'')));
            };
            match c {
                '\'' => break,
                '\\' => self.ansi_c_escape(&mut text),
                _ => text.push(c),
            }
        }
        b.push_str(&text, true);
        Ok(())
    }

    fn ansi_c_escape(&mut self, text: &mut String) {
        let Some(c) = self.bump() else {
            text.push('\\');
            return;
        };
        let simple = match c {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'e' | 'E' => Some('\u{1b}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' | '\'' | '"' | '?' => Some(c),
            _ => None,
        };
        if let Some(simple) = simple {
            text.push(simple);
            return;
        }
        let (radix, max_digits) = match c {
            '0'..='7' => (8, 2),
            'x' => (16, 2),
            'u' => (16, 4),
            'U' => (16, 8),
            'c' => {
                // `\cX` is the control character X & 0x1f.
                if let Some(x) = self.bump() {
                    if let Some(ctl) = char::from_u32(u32::from(x) & 0x1f) {
                        text.push(ctl);
                    }
                }
                return;
            }
            _ => {
                text.push('\\');
                text.push(c);
                return;
            }
        };
        let mut value = if radix == 8 {
            c.to_digit(8).unwrap_or(0)
        } else {
            0
        };
        let mut digits = 0;
        while digits < max_digits {
            match self.peek_char().and_then(|d| d.to_digit(radix)) {
                Some(d) => {
                    value = value.saturating_mul(radix).saturating_add(d);
                    self.bump();
                    digits += 1;
                }
                None => break,
            }
        }
        if radix == 16 && digits == 0 {
            text.push('\\');
            text.push(c);
            return;
        }
        // Bash ends the string at a NUL; dropping the character is close enough here.
        match char::from_u32(value) {
            Some('\0') | None => (),
            Some(ch) => text.push(ch),
        }
    }

    /// Everything that starts with `$`.
    fn lex_dollar(&mut self, b: &mut PartsBuilder, quoted: bool) -> Result<(), ParseError> {
        self.bump();
        match self.peek_char() {
            Some('(') => {
                if self.peek_char_at(1) == Some('(') {
                    let start = self.pos + 2;
                    match super::parser::arith_end(self.src, start) {
                        Some(Ok(end)) => {
                            let line = self.line_at(start);
                            self.pos = end + 2;
                            let expr = self.heredoc_body(&self.src[start..end], line)?;
                            b.push_part(WordPart::Arith { expr, quoted });
                            return Ok(());
                        }
                        Some(Err(())) => {
                            self.pos = self.src.len();
                            return Err(self.eof_error(IncompleteReason::CommandSubst));
                        }
                        // `$( (cmd) ... )`: a command substitution after all.
                        None => (),
                    }
                }
                self.bump();
                let script = self.command_subst()?;
                b.push_part(WordPart::CommandSubst { script, quoted });
            }
            Some('[') => return Err(self.unsupported("arithmetic expansion `$[ ... ]'")),
            Some('{') => {
                self.bump();
                let part = self.lex_param_brace(quoted)?;
                b.push_part(part);
            }
            Some('\'') if !quoted => self.lex_ansi_c_quote(b)?,
            // `$"..."` is a translatable string; with no translations it is `"..."`.
            Some('"') if !quoted => self.lex_double_quote(b)?,
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.read_name();
                b.push_part(WordPart::Param {
                    name,
                    op: None,
                    quoted,
                });
            }
            Some(c) if c.is_ascii_digit() || is_special_param(c) => {
                self.bump();
                b.push_part(WordPart::Param {
                    name: c.to_string(),
                    op: None,
                    quoted,
                });
            }
            // A `$` that starts nothing is inert text, exactly like `\$`; marking it quoted
            // keeps the printed form from gluing it to what follows.
            _ => b.push_char('$', true),
        }
        Ok(())
    }

    fn read_name(&mut self) -> String {
        let rest = self.src.get(self.pos..).unwrap_or("");
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        self.pos += len;
        rest[..len].to_string()
    }

    /// A parameter name inside `${`: a variable name, a number, or one special character.
    fn read_param_name(&mut self) -> String {
        match self.peek_char() {
            Some(c) if c.is_ascii_alphabetic() || c == '_' => self.read_name(),
            Some(c) if c.is_ascii_digit() => {
                let rest = self.src.get(self.pos..).unwrap_or("");
                let len = rest.bytes().take_while(u8::is_ascii_digit).count();
                self.pos += len;
                rest[..len].to_string()
            }
            Some(c) if is_special_param(c) => {
                self.bump();
                c.to_string()
            }
            _ => String::new(),
        }
    }

    /// The text of a malformed `${...}` from its `$` at `start`, for the error message.
    fn bad_substitution(&self, start: usize) -> ParseError {
        let rest = self.src.get(start..).unwrap_or("");
        let end = rest
            .find('}')
            .map_or_else(|| rest.find('\n').unwrap_or(rest.len()), |i| i + 1);
        self.error(ParseErrorKind::BadSubstitution(rest[..end].to_string()))
    }

    /// `${...}` after its `${`.
    fn lex_param_brace(&mut self, quoted: bool) -> Result<WordPart, ParseError> {
        use super::ast::ParamOp;
        let start = self.pos.saturating_sub(2);
        self.enter()?;
        self.open.push(IncompleteReason::ParamBrace);
        let mut length = false;
        if self.peek_char() == Some('#') {
            match self.peek_char_at(1) {
                Some('}') => (),
                Some(c) if c.is_ascii_alphanumeric() || c == '_' || is_special_param(c) => {
                    self.bump();
                    length = true;
                }
                _ => (),
            }
        }
        if self.peek_char() == Some('!') && !matches!(self.peek_char_at(1), Some('}')) {
            return Err(self.unsupported("indirect expansion `${!name}'"));
        }
        let name = self.read_param_name();
        let Some(next) = self.peek_char() else {
            return Err(self.eof_error(IncompleteReason::ParamBrace));
        };
        if name.is_empty() {
            return Err(self.bad_substitution(start));
        }
        if length && next != '}' {
            return Err(self.bad_substitution(start));
        }
        let op = match next {
            '}' => {
                self.bump();
                if length {
                    Some(ParamOp::Length)
                } else {
                    None
                }
            }
            ':' | '-' | '=' | '+' | '?' => {
                let colon = next == ':';
                if colon {
                    self.bump();
                }
                let Some(sigil) = self.peek_char() else {
                    return Err(self.eof_error(IncompleteReason::ParamBrace));
                };
                if !matches!(sigil, '-' | '=' | '+' | '?') {
                    return Err(self.unsupported("substring expansion `${name:offset:length}'"));
                }
                self.bump();
                let word = self.lex_param_word(quoted)?;
                Some(match sigil {
                    '-' => ParamOp::Default { colon, word },
                    '=' => ParamOp::Assign { colon, word },
                    '+' => ParamOp::Alternative { colon, word },
                    _ => ParamOp::Error { colon, word },
                })
            }
            '#' | '%' => {
                self.bump();
                let longest = self.peek_char() == Some(next);
                if longest {
                    self.bump();
                }
                let pattern = self.lex_param_word(quoted)?;
                Some(if next == '#' {
                    ParamOp::RemovePrefix { longest, pattern }
                } else {
                    ParamOp::RemoveSuffix { longest, pattern }
                })
            }
            '/' => return Err(self.unsupported("pattern substitution `${name/pattern/string}'")),
            '^' | ',' => return Err(self.unsupported("case modification `${name^}' / `${name,}'")),
            '@' => return Err(self.unsupported("parameter transformation `${name@op}'")),
            '[' => return Err(self.unsupported("arrays (`${name[...]}')")),
            _ => return Err(self.bad_substitution(start)),
        };
        self.open.pop();
        self.leave();
        Ok(WordPart::Param { name, op, quoted })
    }

    /// The word after a `${name` operator, through the closing `}` (consumed). Inside
    /// double quotes it reads like double-quoted text; otherwise like a word whose blanks
    /// and operators are plain characters, with `{`/`}` pairs nesting as in bash.
    fn lex_param_word(&mut self, quoted: bool) -> Result<Word, ParseError> {
        let mut b = PartsBuilder::default();
        let mut braces = 0u32;
        loop {
            let Some(c) = self.peek_char() else {
                return Err(self.eof_error(IncompleteReason::ParamBrace));
            };
            match c {
                '}' if braces == 0 => {
                    self.bump();
                    break;
                }
                '$' => self.lex_dollar(&mut b, quoted)?,
                '`' => self.lex_backtick(&mut b, quoted)?,
                '"' => self.lex_double_quote(&mut b)?,
                '\\' if quoted => match self.peek_char_at(1) {
                    Some(next @ ('$' | '`' | '"' | '\\' | '}')) => {
                        self.pos += 2;
                        b.push_char(next, true);
                    }
                    Some('\n') => self.pos += 2,
                    _ => {
                        self.bump();
                        b.push_char('\\', true);
                    }
                },
                '\\' => self.lex_backslash_unquoted(&mut b)?,
                '\'' if !quoted => self.lex_single_quote(&mut b)?,
                _ => {
                    if !quoted && c == '{' {
                        braces += 1;
                    }
                    if !quoted && c == '}' {
                        braces = braces.saturating_sub(1);
                    }
                    self.bump();
                    b.push_char(c, quoted);
                }
            }
        }
        let parts = b.finish();
        let parts = if quoted {
            parts
        } else {
            split_tildes(parts, false)
        };
        Ok(Word { parts })
    }

    /// `` `...` ``: the text up to the closing backtick, unescaped and parsed on its own.
    fn lex_backtick(&mut self, b: &mut PartsBuilder, quoted: bool) -> Result<(), ParseError> {
        let line = self.line_at(self.pos);
        self.bump();
        let mut inner = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(self.eof_error(IncompleteReason::Quote('`')));
            };
            match c {
                '`' => break,
                '\\' => match self.peek_char() {
                    Some(next) if "$`\\".contains(next) || quoted && next == '"' => {
                        self.bump();
                        inner.push(next);
                    }
                    _ => inner.push('\\'),
                },
                _ => inner.push(c),
            }
        }
        let script = self.parse_inner(&inner, line)?;
        b.push_part(WordPart::CommandSubst { script, quoted });
        Ok(())
    }

    /// Parses a separate text (backtick contents) as a script of its own.
    fn parse_inner(&mut self, text: &str, line: u32) -> Result<super::ast::Script, ParseError> {
        self.enter()?;
        let mut inner = Parser::new(text, Mode::Final, line.saturating_sub(1), self.depth);
        let result = inner.script();
        let (mut script, _) = result.map_err(|mut err| {
            // The outer text is complete; more input cannot fix the inner one.
            err.needs_more = None;
            err
        })?;
        self.warnings.append(&mut script.warnings);
        self.leave();
        Ok(script)
    }

    /// Reads the bodies of the pending here-documents, which start at the current position
    /// (just after a newline, or at the end of input).
    pub(super) fn read_heredoc_bodies(&mut self) -> Result<(), ParseError> {
        let src = self.src;
        for doc in std::mem::take(&mut self.pending) {
            let body_line = self.line_at(self.pos);
            let mut text = String::new();
            let mut found = false;
            // After a backslash-newline in an expanding body the next line is joined to
            // it, so bash neither strips its tabs nor takes it as the delimiter.
            let mut continued = false;
            while self.pos < src.len() {
                let rest = &src[self.pos..];
                let (line, advance) = match rest.find('\n') {
                    Some(idx) => (&rest[..idx], idx + 1),
                    None => (rest, rest.len()),
                };
                let has_newline = line.len() < advance;
                self.pos += advance;
                let line = if doc.strip_tabs && !continued {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if !continued && line == doc.delimiter {
                    found = true;
                    break;
                }
                text.push_str(line);
                if has_newline {
                    text.push('\n');
                }
                continued = doc.expand && has_newline && ends_with_odd_backslashes(line);
            }
            if !found && self.mode == Mode::Partial {
                // More lines will follow; the body so far need not make sense yet (a `$(`
                // may continue on the next line), so it is not parsed.
                if self.unfinished_heredoc.is_none() {
                    self.unfinished_heredoc = Some(IncompleteReason::HereDoc {
                        delimiter: doc.delimiter,
                    });
                }
                self.bodies.push(Word::default());
                continue;
            }
            if !found {
                self.warnings.push(Warning::HereDocAtEof {
                    line: doc.line,
                    delimiter: doc.delimiter.clone(),
                });
            }
            let body = if text.is_empty() {
                Word::default()
            } else if doc.expand {
                self.heredoc_body(&text, body_line)?
            } else {
                Word {
                    parts: vec![WordPart::Literal { text, quoted: true }],
                }
            };
            self.bodies.push(body);
        }
        Ok(())
    }

    /// An unquoted-delimiter body: `$` expansions, backticks and `\$ \` \\ \newline`
    /// escapes, everything else literal; all parts count as quoted (no splitting, no globs).
    pub(super) fn heredoc_body(&mut self, text: &str, line: u32) -> Result<Word, ParseError> {
        self.enter()?;
        let mut inner = Parser::new(text, Mode::Final, line.saturating_sub(1), self.depth);
        let mut b = PartsBuilder::default();
        let result = inner.heredoc_parts(&mut b);
        self.warnings.append(&mut inner.warnings);
        result.map_err(|mut err| {
            err.needs_more = None;
            err
        })?;
        self.leave();
        Ok(Word { parts: b.finish() })
    }

    fn heredoc_parts(&mut self, b: &mut PartsBuilder) -> Result<(), ParseError> {
        while let Some(c) = self.peek_char() {
            match c {
                '\\' => match self.peek_char_at(1) {
                    Some(next @ ('$' | '`' | '\\')) => {
                        self.pos += 2;
                        b.push_char(next, true);
                    }
                    Some('\n') => self.pos += 2,
                    _ => {
                        self.bump();
                        b.push_char('\\', true);
                    }
                },
                '$' => self.lex_dollar(b, true)?,
                '`' => self.lex_backtick(b, true)?,
                _ => {
                    self.bump();
                    b.push_char(c, true);
                }
            }
        }
        Ok(())
    }
}

/// State of the completion tokenizer for one command level (a `$(` opens a new level).
#[derive(Debug, Default)]
struct CompletionLevel {
    words: Vec<String>,
    current: String,
    in_word: bool,
}

#[derive(Debug, Default)]
struct CompletionScanner {
    level: CompletionLevel,
    outer: Vec<CompletionLevel>,
}

impl CompletionScanner {
    fn end_word(&mut self) {
        if self.level.in_word {
            let word = std::mem::take(&mut self.level.current);
            self.level.words.push(word);
            self.level.in_word = false;
        }
    }

    fn push(&mut self, c: char) {
        self.level.current.push(c);
        self.level.in_word = true;
    }

    fn scan(&mut self, line: &str) {
        let mut chars = line.chars().peekable();
        let mut quote: Option<char> = None;
        while let Some(c) = chars.next() {
            match quote {
                Some('\'') => {
                    if c == '\'' {
                        quote = None;
                    } else {
                        self.push(c);
                    }
                    continue;
                }
                Some(_) => {
                    match c {
                        '"' => quote = None,
                        '\\' => match chars.peek() {
                            Some(&next) if "$`\"\\".contains(next) => {
                                chars.next();
                                self.push(next);
                            }
                            _ => self.push('\\'),
                        },
                        _ => self.push(c),
                    }
                    continue;
                }
                None => (),
            }
            match c {
                ' ' | '\t' | '\n' => self.end_word(),
                '\'' | '"' => {
                    quote = Some(c);
                    self.level.in_word = true;
                }
                '\\' => {
                    if let Some(next) = chars.next() {
                        if next != '\n' {
                            self.push(next);
                        }
                    }
                }
                '#' if !self.level.in_word => {
                    // The rest of the line is a comment: nothing to complete.
                    self.level = CompletionLevel::default();
                    return;
                }
                '$' if chars.peek() == Some(&'(') => {
                    chars.next();
                    let outer = std::mem::take(&mut self.level);
                    self.outer.push(outer);
                }
                ')' if !self.outer.is_empty() => {
                    if let Some(outer) = self.outer.pop() {
                        self.level = outer;
                        // The substitution's value is unknown; keep a marker in the word.
                        self.level.current.push_str("$(...)");
                        self.level.in_word = true;
                    }
                }
                '<' | '>' => {
                    let mut op = String::new();
                    if self.level.in_word
                        && !self.level.current.is_empty()
                        && self.level.current.bytes().all(|b| b.is_ascii_digit())
                    {
                        op = std::mem::take(&mut self.level.current);
                        self.level.in_word = false;
                    }
                    self.end_word();
                    op.push(c);
                    while let Some(&next) = chars.peek() {
                        if !matches!(next, '<' | '>' | '&' | '|' | '-') {
                            break;
                        }
                        op.push(next);
                        chars.next();
                    }
                    self.level.words.push(op);
                }
                '&' if chars.peek() == Some(&'>') => {
                    self.end_word();
                    let mut op = String::from("&");
                    while let Some(&next) = chars.peek() {
                        if next != '>' {
                            break;
                        }
                        op.push(next);
                        chars.next();
                    }
                    self.level.words.push(op);
                }
                '|' | '&' | ';' | '(' | ')' => {
                    // A new command starts after a control operator.
                    self.level = CompletionLevel::default();
                }
                _ => self.push(c),
            }
        }
    }

    fn finish(self) -> (Vec<String>, String) {
        (self.level.words, self.level.current)
    }
}
