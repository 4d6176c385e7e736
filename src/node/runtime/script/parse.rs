//! Parses the POSIX `sh` a container's command line carries (`sh -c '...'`) and compiles it to
//! a flat list of instructions, so a script can stop in the middle of a loop at a `sleep` and
//! resume there later.

/// One piece of a word, before expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// Literal text.
    Lit(String),
    /// `$NAME` / `${NAME}`, `$?`, `$$`, `$#`, `$0`...
    Var(String),
    /// `$(...)` or backquotes: the script inside.
    CmdSub(String),
    /// `$((...))`: the expression inside.
    Arith(String),
}

/// A word: segments, each marked as quoted or not (unquoted expansions are field-split).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// The segments with their quotedness.
    pub segs: Vec<(Seg, bool)>,
}

impl Word {
    /// The word's text when it has no expansions (keywords, assignment names).
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for (seg, _) in &self.segs {
            match seg {
                Seg::Lit(text) => out.push_str(text),
                _ => return None,
            }
        }
        Some(out)
    }

    /// Whether any part was quoted.
    fn any_quoted(&self) -> bool {
        self.segs.iter().any(|(_, q)| *q)
    }
}

/// What a redirection does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectOp {
    /// `>`.
    Write,
    /// `>>`.
    Append,
    /// `<`.
    Read,
    /// `>&N`.
    Dup(u8),
}

/// `N> word` and friends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The file descriptor redirected.
    pub fd: u8,
    /// What happens to it.
    pub op: RedirectOp,
    /// The target (unused for `Dup`).
    pub target: Word,
}

/// A simple command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Simple {
    /// `NAME=value` prefixes.
    pub assigns: Vec<(String, Word)>,
    /// The words.
    pub words: Vec<Word>,
    /// The redirections.
    pub redirects: Vec<Redirect>,
}

/// One compiled instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instr {
    /// Run a pipeline (one or more simple commands); `!` negates its status.
    Run {
        /// The commands, left to right.
        pipeline: Vec<Simple>,
        /// Whether `!` came first.
        negate: bool,
        /// Whether it ends with `&`.
        background: bool,
    },
    /// Jump when the last status is non-zero.
    JumpIfFalse(usize),
    /// Jump when the last status is zero.
    JumpIfTrue(usize),
    /// Jump.
    Jump(usize),
    /// Start a `for` loop: expand the words into loop slot `slot`.
    ForInit {
        /// The loop's slot.
        slot: usize,
        /// The words after `in`.
        words: Vec<Word>,
    },
    /// Next `for` iteration, or jump to `end`.
    ForNext {
        /// The loop's slot.
        slot: usize,
        /// The loop variable.
        var: String,
        /// Where the loop ends.
        end: usize,
    },
    /// Set the status (`while` loops end with 0).
    SetStatus(i32),
}

/// A compiled script.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Program {
    /// The instructions.
    pub code: Vec<Instr>,
    /// How many `for` loop slots it uses.
    pub slots: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(Word),
    /// A digit written right before `>` or `<` (`2>`).
    IoNumber(u8),
    Op(&'static str),
    Newline,
}

const OPS: &[&str] = &[
    "&&", "||", ";;", ">>", ">&", "<&", "&>", ";", "&", "|", "<", ">", "(", ")",
];

/// Splits a script into tokens.
fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut word = Word::default();
    let mut in_word = false;
    let flush = |word: &mut Word, in_word: &mut bool, toks: &mut Vec<Tok>| {
        if *in_word {
            toks.push(Tok::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    let push_lit = |word: &mut Word, c: char, quoted: bool| match word.segs.last_mut() {
        Some((Seg::Lit(text), q)) if *q == quoted => text.push(c),
        _ => word.segs.push((Seg::Lit(c.to_string()), quoted)),
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                flush(&mut word, &mut in_word, &mut toks);
                i += 1;
            }
            '\n' => {
                flush(&mut word, &mut in_word, &mut toks);
                toks.push(Tok::Newline);
                i += 1;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\\' => {
                in_word = true;
                if let Some(&next) = chars.get(i + 1) {
                    if next != '\n' {
                        push_lit(&mut word, next, true);
                    }
                }
                i += 2;
            }
            '\'' => {
                in_word = true;
                let end = chars[i + 1..]
                    .iter()
                    .position(|&ch| ch == '\'')
                    .ok_or("unterminated quoted string")?;
                let text: String = chars[i + 1..i + 1 + end].iter().collect();
                word.segs.push((Seg::Lit(text), true));
                i += end + 2;
            }
            '"' => {
                in_word = true;
                i += 1;
                // An empty "" still makes a (quoted, empty) word.
                word.segs.push((Seg::Lit(String::new()), true));
                loop {
                    let Some(&ch) = chars.get(i) else {
                        return Err("unterminated quoted string".into());
                    };
                    match ch {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            push_lit(&mut word, chars[i + 1], true);
                            i += 2;
                        }
                        '$' | '`' => {
                            let (seg, used) = dollar(&chars[i..])?;
                            word.segs.push((seg, true));
                            i += used;
                        }
                        _ => {
                            push_lit(&mut word, ch, true);
                            i += 1;
                        }
                    }
                }
            }
            '$' | '`' => {
                in_word = true;
                let (seg, used) = dollar(&chars[i..])?;
                word.segs.push((seg, false));
                i += used;
            }
            _ => {
                let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
                if let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) {
                    // `2>` / `2>>` / `2>&1`: a digit right before a redirection names the fd.
                    let io_number = (op.starts_with(['>', '<']) && in_word)
                        .then(|| single_digit(&word))
                        .flatten();
                    if let Some(fd) = io_number {
                        toks.push(Tok::IoNumber(fd));
                        word = Word::default();
                        in_word = false;
                    }
                    flush(&mut word, &mut in_word, &mut toks);
                    toks.push(Tok::Op(op));
                    i += op.len();
                } else {
                    in_word = true;
                    push_lit(&mut word, c, false);
                    i += 1;
                }
            }
        }
    }
    flush(&mut word, &mut in_word, &mut toks);
    Ok(toks)
}

/// Reads a `$...` or backquote expansion at the start of `chars`: the segment and how many
/// characters it used.
fn dollar(chars: &[char]) -> Result<(Seg, usize), String> {
    if chars[0] == '`' {
        let end = chars[1..]
            .iter()
            .position(|&c| c == '`')
            .ok_or("unterminated command substitution")?;
        return Ok((Seg::CmdSub(chars[1..1 + end].iter().collect()), end + 2));
    }
    match chars.get(1) {
        Some('(') if chars.get(2) == Some(&'(') => {
            let end = find_close(&chars[3..], '(', ')')?;
            if chars.get(3 + end + 1) != Some(&')') {
                return Err("missing `))'".into());
            }
            Ok((Seg::Arith(chars[3..3 + end].iter().collect()), end + 5))
        }
        Some('(') => {
            let end = find_close(&chars[2..], '(', ')')?;
            Ok((Seg::CmdSub(chars[2..2 + end].iter().collect()), end + 3))
        }
        Some('{') => {
            let end = chars[2..]
                .iter()
                .position(|&c| c == '}')
                .ok_or("missing '}'")?;
            let inner: String = chars[2..2 + end].iter().collect();
            let name: String = inner
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            Ok((Seg::Var(name), end + 3))
        }
        Some(c) if "?$#!0123456789".contains(*c) => Ok((Seg::Var(c.to_string()), 2)),
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let name: String = chars[1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            let used = name.len() + 1;
            Ok((Seg::Var(name), used))
        }
        _ => Ok((Seg::Lit("$".into()), 1)),
    }
}

/// The index of the `close` that balances an already-opened `open`.
fn find_close(chars: &[char], open: char, close: char) -> Result<usize, String> {
    let mut depth = 1;
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => (),
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == open => depth += 1,
            None if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            None => (),
        }
    }
    Err(format!("missing '{close}'"))
}

/// The compiler: a recursive-descent parser that emits instructions as it goes.
struct Compiler {
    toks: Vec<Tok>,
    pos: usize,
    code: Vec<Instr>,
    slots: usize,
    /// For each enclosing loop: (continue target, break jumps to patch).
    loops: Vec<(usize, Vec<usize>)>,
}

/// Compiles a script; the error is worded as `sh` reports a syntax error.
pub fn compile(text: &str) -> Result<Program, String> {
    let toks = lex(text)?;
    let mut c = Compiler {
        toks,
        pos: 0,
        code: Vec::new(),
        slots: 0,
        loops: Vec::new(),
    };
    c.list(&[])?;
    if let Some(tok) = c.toks.get(c.pos) {
        return Err(format!("syntax error: unexpected {}", describe(tok)));
    }
    Ok(Program {
        code: c.code,
        slots: c.slots,
    })
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word(w) => format!("\"{}\"", w.literal().unwrap_or_default()),
        Tok::Op(op) => format!("\"{op}\""),
        Tok::IoNumber(n) => format!("\"{n}\""),
        Tok::Newline => "newline".into(),
    }
}

impl Compiler {
    fn peek_keyword(&self) -> Option<String> {
        match self.toks.get(self.pos) {
            Some(Tok::Word(w)) if !w.any_quoted() => w.literal(),
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.toks.get(self.pos), Some(Tok::Newline | Tok::Op(";"))) {
            self.pos += 1;
        }
    }

    fn expect_keyword(&mut self, kw: &str) -> Result<(), String> {
        self.skip_newlines();
        if self.peek_keyword().as_deref() == Some(kw) {
            self.pos += 1;
            Ok(())
        } else {
            match self.toks.get(self.pos) {
                Some(tok) => Err(format!(
                    "syntax error: unexpected {} (expecting \"{kw}\")",
                    describe(tok)
                )),
                None => Err(format!(
                    "syntax error: end of file unexpected (expecting \"{kw}\")"
                )),
            }
        }
    }

    /// A list of and-or lists, up to one of `terminators` (keywords) or the end.
    fn list(&mut self, terminators: &[&str]) -> Result<(), String> {
        loop {
            self.skip_newlines();
            match self.toks.get(self.pos) {
                None => return Ok(()),
                Some(Tok::Op(")")) => return Ok(()),
                _ => (),
            }
            if let Some(kw) = self.peek_keyword() {
                if terminators.contains(&kw.as_str()) {
                    return Ok(());
                }
            }
            self.and_or()?;
            match self.toks.get(self.pos) {
                Some(Tok::Op(";" | "&") | Tok::Newline) => self.pos += 1,
                None | Some(Tok::Op(")")) => (),
                Some(Tok::Word(_))
                    if self
                        .peek_keyword()
                        .is_some_and(|k| terminators.contains(&k.as_str())) => {}
                Some(tok) => return Err(format!("syntax error: unexpected {}", describe(tok))),
            }
        }
    }

    fn and_or(&mut self) -> Result<(), String> {
        self.pipeline()?;
        loop {
            let op = match self.toks.get(self.pos) {
                Some(Tok::Op(op @ ("&&" | "||"))) => *op,
                _ => return Ok(()),
            };
            self.pos += 1;
            while matches!(self.toks.get(self.pos), Some(Tok::Newline)) {
                self.pos += 1;
            }
            let jump = self.code.len();
            self.code.push(if op == "&&" {
                Instr::JumpIfFalse(0)
            } else {
                Instr::JumpIfTrue(0)
            });
            self.pipeline()?;
            let end = self.code.len();
            match &mut self.code[jump] {
                Instr::JumpIfFalse(t) | Instr::JumpIfTrue(t) => *t = end,
                _ => unreachable!("patched a non-jump"),
            }
        }
    }

    fn pipeline(&mut self) -> Result<(), String> {
        let mut negate = false;
        if self.peek_keyword().as_deref() == Some("!") {
            negate = true;
            self.pos += 1;
        }
        if let Some(kw) = self.peek_keyword() {
            if matches!(
                kw.as_str(),
                "while" | "until" | "for" | "if" | "{" | "break" | "continue"
            ) {
                self.compound(&kw)?;
                if negate {
                    self.code.push(Instr::Run {
                        pipeline: vec![simple_of(&["false"])],
                        negate: false,
                        background: false,
                    });
                }
                return Ok(());
            }
        }
        if matches!(self.toks.get(self.pos), Some(Tok::Op("("))) {
            self.pos += 1;
            self.list(&[])?;
            if !matches!(self.toks.get(self.pos), Some(Tok::Op(")"))) {
                return Err("syntax error: end of file unexpected (expecting \")\")".into());
            }
            self.pos += 1;
            return Ok(());
        }
        let mut commands = vec![self.simple()?];
        while matches!(self.toks.get(self.pos), Some(Tok::Op("|"))) {
            self.pos += 1;
            while matches!(self.toks.get(self.pos), Some(Tok::Newline)) {
                self.pos += 1;
            }
            commands.push(self.simple()?);
        }
        let background = matches!(self.toks.get(self.pos), Some(Tok::Op("&")));
        self.code.push(Instr::Run {
            pipeline: commands,
            negate,
            background,
        });
        Ok(())
    }

    fn compound(&mut self, kw: &str) -> Result<(), String> {
        self.pos += 1;
        match kw {
            "while" | "until" => {
                let top = self.code.len();
                self.list(&["do"])?;
                self.expect_keyword("do")?;
                let jump = self.code.len();
                self.code.push(if kw == "while" {
                    Instr::JumpIfFalse(0)
                } else {
                    Instr::JumpIfTrue(0)
                });
                self.loops.push((top, Vec::new()));
                self.list(&["done"])?;
                self.expect_keyword("done")?;
                self.code.push(Instr::Jump(top));
                let end = self.code.len();
                self.code.push(Instr::SetStatus(0));
                self.patch(jump, end);
                let (_, breaks) = self.loops.pop().unwrap_or_default();
                for b in breaks {
                    self.patch(b, end + 1);
                }
            }
            "for" => {
                let var = match self.toks.get(self.pos) {
                    Some(Tok::Word(w)) => {
                        w.literal().ok_or("syntax error: bad for loop variable")?
                    }
                    _ => return Err("syntax error: bad for loop variable".into()),
                };
                self.pos += 1;
                let mut words = Vec::new();
                if self.peek_keyword().as_deref() == Some("in") {
                    self.pos += 1;
                    while let Some(Tok::Word(w)) = self.toks.get(self.pos) {
                        words.push(w.clone());
                        self.pos += 1;
                    }
                } else {
                    words.push(Word {
                        segs: vec![(Seg::Var("@".into()), false)],
                    });
                }
                let slot = self.slots;
                self.slots += 1;
                self.code.push(Instr::ForInit { slot, words });
                let top = self.code.len();
                self.code.push(Instr::ForNext {
                    slot,
                    var: var.clone(),
                    end: 0,
                });
                self.expect_keyword("do")?;
                self.loops.push((top, Vec::new()));
                self.list(&["done"])?;
                self.expect_keyword("done")?;
                self.code.push(Instr::Jump(top));
                let end = self.code.len();
                if let Instr::ForNext { end: e, .. } = &mut self.code[top] {
                    *e = end;
                }
                let (_, breaks) = self.loops.pop().unwrap_or_default();
                for b in breaks {
                    self.patch(b, end);
                }
            }
            "if" => {
                let mut ends = Vec::new();
                loop {
                    self.list(&["then"])?;
                    self.expect_keyword("then")?;
                    let jump = self.code.len();
                    self.code.push(Instr::JumpIfFalse(0));
                    self.list(&["elif", "else", "fi"])?;
                    ends.push(self.code.len());
                    self.code.push(Instr::Jump(0));
                    let next = self.code.len();
                    self.patch(jump, next);
                    self.skip_newlines();
                    match self.peek_keyword().as_deref() {
                        Some("elif") => {
                            self.pos += 1;
                            continue;
                        }
                        Some("else") => {
                            self.pos += 1;
                            self.list(&["fi"])?;
                            self.expect_keyword("fi")?;
                            break;
                        }
                        _ => {
                            // No branch ran: the status of `if` is 0.
                            self.code.push(Instr::SetStatus(0));
                            self.expect_keyword("fi")?;
                            break;
                        }
                    }
                }
                let end = self.code.len();
                for e in ends {
                    self.patch(e, end);
                }
            }
            "{" => {
                self.list(&["}"])?;
                self.expect_keyword("}")?;
            }
            "break" | "continue" => {
                let Some((top, breaks)) = self.loops.last_mut() else {
                    // Outside a loop both are no-ops.
                    return Ok(());
                };
                if kw == "break" {
                    breaks.push(self.code.len());
                    self.code.push(Instr::Jump(0));
                } else {
                    let top = *top;
                    self.code.push(Instr::Jump(top));
                }
            }
            _ => unreachable!("not a compound keyword"),
        }
        Ok(())
    }

    fn patch(&mut self, at: usize, target: usize) {
        match &mut self.code[at] {
            Instr::JumpIfFalse(t) | Instr::JumpIfTrue(t) | Instr::Jump(t) => *t = target,
            _ => unreachable!("patched a non-jump"),
        }
    }

    fn simple(&mut self) -> Result<Simple, String> {
        let mut cmd = Simple::default();
        loop {
            match self.toks.get(self.pos).cloned() {
                Some(Tok::IoNumber(fd)) => {
                    self.pos += 1;
                    if !matches!(
                        self.toks.get(self.pos),
                        Some(Tok::Op(">" | ">>" | "<" | ">&"))
                    ) {
                        return Err("syntax error: bad redirection".into());
                    }
                    self.redirect(&mut cmd, fd)?;
                }
                Some(Tok::Word(w)) => {
                    self.pos += 1;
                    if cmd.words.is_empty() {
                        if let Some((name, value)) = assignment(&w) {
                            cmd.assigns.push((name, value));
                            continue;
                        }
                    }
                    cmd.words.push(w);
                }
                Some(Tok::Op(">" | ">>" | "<" | ">&" | "&>")) => self.redirect(&mut cmd, 1)?,
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirects.is_empty() {
            return Err(match self.toks.get(self.pos) {
                Some(tok) => format!("syntax error: unexpected {}", describe(tok)),
                None => "syntax error: end of file unexpected".into(),
            });
        }
        Ok(cmd)
    }

    fn redirect(&mut self, cmd: &mut Simple, fd: u8) -> Result<(), String> {
        let Some(Tok::Op(op)) = self.toks.get(self.pos).cloned() else {
            unreachable!("redirect() called off an operator")
        };
        self.pos += 1;
        let target = match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => w.clone(),
            Some(tok) => return Err(format!("syntax error: unexpected {}", describe(tok))),
            None => return Err("syntax error: unexpected newline".into()),
        };
        self.pos += 1;
        let fd = if op == "<" && fd == 1 { 0 } else { fd };
        match op {
            ">&" => {
                let n = target
                    .literal()
                    .and_then(|t| t.parse::<u8>().ok())
                    .ok_or("syntax error: bad fd number")?;
                cmd.redirects.push(Redirect {
                    fd,
                    op: RedirectOp::Dup(n),
                    target,
                });
            }
            "&>" => {
                cmd.redirects.push(Redirect {
                    fd: 1,
                    op: RedirectOp::Write,
                    target,
                });
                cmd.redirects.push(Redirect {
                    fd: 2,
                    op: RedirectOp::Dup(1),
                    target: Word::default(),
                });
            }
            _ => cmd.redirects.push(Redirect {
                fd,
                op: match op {
                    ">" => RedirectOp::Write,
                    ">>" => RedirectOp::Append,
                    _ => RedirectOp::Read,
                },
                target,
            }),
        }
        Ok(())
    }
}

fn single_digit(w: &Word) -> Option<u8> {
    let text = w.literal()?;
    (text.len() == 1 && !w.any_quoted())
        .then(|| text.parse().ok())
        .flatten()
}

/// `NAME=value` as (name, value word).
fn assignment(w: &Word) -> Option<(String, Word)> {
    let (Seg::Lit(first), false) = w.segs.first()? else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    let mut value = Word::default();
    if !rest.is_empty() {
        value.segs.push((Seg::Lit(rest.to_string()), false));
    }
    value.segs.extend(w.segs[1..].iter().cloned());
    Some((name.to_string(), value))
}

/// A simple command of literal words.
pub fn simple_of(words: &[&str]) -> Simple {
    Simple {
        words: words
            .iter()
            .map(|w| Word {
                segs: vec![(Seg::Lit(w.to_string()), true)],
            })
            .collect(),
        ..Simple::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_compile_to_jumps() {
        let p = compile("while true; do echo hi; sleep 5; done").unwrap();
        assert!(matches!(p.code[1], Instr::JumpIfFalse(5)));
        assert!(matches!(p.code[4], Instr::Jump(0)));
        assert!(matches!(p.code[5], Instr::SetStatus(0)));
    }

    #[test]
    fn and_or_chains_short_circuit_targets() {
        let p = compile("a && b || c").unwrap();
        assert_eq!(p.code.len(), 5);
        assert!(matches!(p.code[1], Instr::JumpIfFalse(3)));
        assert!(matches!(p.code[3], Instr::JumpIfTrue(5)));
    }

    #[test]
    fn syntax_errors_say_what_was_expected() {
        assert_eq!(
            compile("while true; do echo").unwrap_err(),
            "syntax error: end of file unexpected (expecting \"done\")"
        );
        assert_eq!(
            compile("echo 'open").unwrap_err(),
            "unterminated quoted string"
        );
    }

    #[test]
    fn redirections_and_assignments_are_recognised() {
        let p = compile("X=1 echo hi >> /tmp/out 2>&1").unwrap();
        let Instr::Run { pipeline, .. } = &p.code[0] else {
            panic!("expected a run");
        };
        assert_eq!(pipeline[0].assigns[0].0, "X");
        assert_eq!(pipeline[0].redirects.len(), 2);
        assert_eq!(pipeline[0].redirects[1].op, RedirectOp::Dup(1));
        assert_eq!(pipeline[0].redirects[1].fd, 2);
    }
}
