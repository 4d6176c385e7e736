//! The shell language's syntax tree: what `parser::parse` produces and the evaluator walks.
//!
//! The tree is plain data. Every word part records whether it was quoted, because quoting
//! decides what the evaluator may do with it: only unquoted literal text holds glob
//! characters, only a leading unquoted `~` expands, and only unquoted expansions are split
//! into fields. `Display` prints any node back as shell text that parses to the same tree
//! (quoting style and redirect positions may differ from what the learner typed).

use std::fmt::{self, Write as _};

/// A parsed script or command line: the top level of the input, or the inside of `$(...)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    /// The commands in order, each with its `&` flag.
    pub items: Vec<ListItem>,
    /// Findings bash reports as warnings while still running the script (top level only).
    pub warnings: Vec<Warning>,
}

/// One entry of a command list: an and-or list, run in the background when it ended in `&`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The pipelines joined by `&&` and `||`.
    pub and_or: AndOr,
    /// Whether the item was terminated by `&`.
    pub background: bool,
}

/// Pipelines joined by `&&` and `||`, evaluated left to right with equal precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    /// The pipeline that always runs.
    pub first: Pipeline,
    /// The following pipelines, each with the operator in front of it.
    pub rest: Vec<(AndOrOp, Pipeline)>,
}

/// The operator between two pipelines of an and-or list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AndOrOp {
    /// `&&`: run the next pipeline when the previous one succeeded.
    And,
    /// `||`: run the next pipeline when the previous one failed.
    Or,
}

/// Commands joined by `|`, optionally negated with a leading `!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// Whether the pipeline started with `!` (its status is inverted).
    pub negated: bool,
    /// The commands, left to right; never empty.
    pub commands: Vec<Command>,
}

/// One command of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Assignments, words and redirects.
    Simple(SimpleCommand),
    /// A group, subshell, loop or conditional, with its trailing redirects.
    Compound(CompoundCommand),
}

/// A simple command. Redirects are kept in source order; their position among the words
/// does not matter to bash, so the tree does not record it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// `NAME=value` words before the command name.
    pub assignments: Vec<Assignment>,
    /// The command name and its arguments; empty for a bare assignment or redirect.
    pub words: Vec<Word>,
    /// The redirects, in the order they appeared.
    pub redirects: Vec<Redirect>,
}

/// `NAME=value` (or `NAME+=value`) in front of a command or on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The variable name.
    pub name: String,
    /// The value; no parts for `NAME=`.
    pub value: Word,
    /// Whether it was written `NAME+=value`.
    pub append: bool,
}

/// A compound command and the redirects written after its closing keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompoundCommand {
    /// Which construct it is.
    pub kind: CompoundKind,
    /// Redirects applying to the whole construct, in source order.
    pub redirects: Vec<Redirect>,
}

/// The supported compound commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompoundKind {
    /// `{ LIST; }`: runs in the current shell.
    BraceGroup(Vec<ListItem>),
    /// `( LIST )`: runs in a subshell.
    Subshell(Vec<ListItem>),
    /// `for NAME [in WORDS]; do LIST; done`; `words` is `None` when `in` was omitted (`"$@"`).
    For {
        /// The loop variable.
        name: String,
        /// The words after `in`, or `None` without `in`.
        words: Option<Vec<Word>>,
        /// The loop body.
        body: Vec<ListItem>,
    },
    /// `while LIST; do LIST; done`, or `until` when `until` is set.
    While {
        /// Whether it is an `until` loop (runs while the condition fails).
        until: bool,
        /// The condition list.
        condition: Vec<ListItem>,
        /// The loop body.
        body: Vec<ListItem>,
    },
    /// `(( EXPRESSION ))`: bash's arithmetic command; succeeds when the value is not 0.
    Arith(Word),
    /// `NAME() COMPOUND` or `function NAME [()] COMPOUND`: defines a function.
    FunctionDef {
        /// The function's name.
        name: String,
        /// The body, run when the function is called.
        body: Box<CompoundCommand>,
    },
    /// `if LIST; then LIST; [elif LIST; then LIST;]... [else LIST;] fi`.
    If {
        /// The `if` branch followed by each `elif` branch; never empty.
        branches: Vec<IfBranch>,
        /// The `else` list.
        else_body: Option<Vec<ListItem>>,
    },
}

/// A condition and the list run when it succeeds (`if`/`elif ... then ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfBranch {
    /// The condition list.
    pub condition: Vec<ListItem>,
    /// The list after `then`.
    pub body: Vec<ListItem>,
}

/// A shell word: parts that concatenate, such as `--name=`, `$NAME` and `"-x"`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// The parts in order; `""` is one empty quoted literal, and only `NAME=` has no parts.
    pub parts: Vec<WordPart>,
}

/// One piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordPart {
    /// Literal text. Unquoted text may hold glob characters; quoted text (inside quotes or
    /// escaped with a backslash) never globs. A `$` that starts no expansion counts as quoted.
    Literal {
        /// The text, with quotes and escaping backslashes removed.
        text: String,
        /// Whether it came from quotes or a backslash escape.
        quoted: bool,
    },
    /// A parameter expansion: `$NAME`, `${NAME}`, `$?`, `$1`, `${NAME:-default}`...
    /// Unquoted, its value is split into fields and globbed; quoted, it is one string.
    Param {
        /// The parameter: a variable name, a digit string, or one of `? $ # @ * ! -`.
        name: String,
        /// The operator inside `${...}`, if any.
        op: Option<ParamOp>,
        /// Whether it appeared inside double quotes (or a here-document body).
        quoted: bool,
    },
    /// `$(...)` or `` `...` ``, parsed; unquoted, its output is split into fields.
    CommandSubst {
        /// The parsed inner commands.
        script: Script,
        /// Whether it appeared inside double quotes (or a here-document body).
        quoted: bool,
    },
    /// `$(( EXPRESSION ))`: the expression's text after parameter expansion and command
    /// substitution is evaluated as bash's integer arithmetic.
    Arith {
        /// The expression, expanded like a here-document body.
        expr: Word,
        /// Whether it appeared inside double quotes (or a here-document body).
        quoted: bool,
    },
    /// An unquoted `~` or `~user` tilde prefix (at the start of a word, or after `=` or `:`
    /// in an assignment); the evaluator replaces it with the home directory.
    Tilde {
        /// The user name after `~`; empty for the current user.
        user: String,
    },
}

/// The operator of a `${NAME<op>word}` expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamOp {
    /// `${#NAME}`: the length of the value.
    Length,
    /// `${NAME:-word}` (or `-` without `colon`): `word` when unset (or empty with `colon`).
    Default {
        /// Whether the colon form was used (empty counts as unset).
        colon: bool,
        /// The replacement.
        word: Word,
    },
    /// `${NAME:=word}`: like `Default`, and also assigns `word` to `NAME`.
    Assign {
        /// Whether the colon form was used.
        colon: bool,
        /// The value to assign.
        word: Word,
    },
    /// `${NAME:+word}`: `word` when set (and non-empty with `colon`), else nothing.
    Alternative {
        /// Whether the colon form was used.
        colon: bool,
        /// The alternative.
        word: Word,
    },
    /// `${NAME:?word}`: an error with message `word` when unset (or empty with `colon`).
    Error {
        /// Whether the colon form was used.
        colon: bool,
        /// The error message; empty parts mean bash's default message.
        word: Word,
    },
    /// `${NAME#pattern}` / `${NAME##pattern}`: remove the shortest/longest matching prefix.
    RemovePrefix {
        /// Whether it was `##` (longest match).
        longest: bool,
        /// The glob pattern.
        pattern: Word,
    },
    /// `${NAME%pattern}` / `${NAME%%pattern}`: remove the shortest/longest matching suffix.
    RemoveSuffix {
        /// Whether it was `%%` (longest match).
        longest: bool,
        /// The glob pattern.
        pattern: Word,
    },
}

/// A redirect: `[fd]<op><target>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The file descriptor written before the operator (`2>`); `None` means the default.
    pub fd: Option<u32>,
    /// The operator.
    pub kind: RedirectKind,
    /// The file, descriptor or here-string word; for a here-document, the delimiter word
    /// as written (quotes included).
    pub target: Word,
}

/// The redirect operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectKind {
    /// `>` (truncate), `>>` (`append`) or `>|` (`clobber`: ignore `noclobber`).
    Out {
        /// Whether it was `>>`.
        append: bool,
        /// Whether it was `>|`.
        clobber: bool,
    },
    /// `<`: read from the file.
    In,
    /// `<>`: open the file for reading and writing.
    ReadWrite,
    /// `&>file` or `&>>file` (also `>&file` with a non-numeric target): stdout and stderr.
    Both {
        /// Whether it was `&>>`.
        append: bool,
    },
    /// `>&N` / `>&-`: duplicate (or close) an output descriptor; `target` names the fd.
    DupOut,
    /// `<&N` / `<&-`: duplicate (or close) an input descriptor; `target` names the fd.
    DupIn,
    /// `<<DELIM` / `<<-DELIM`: a here-document.
    HereDoc(HereDoc),
    /// `<<< word`: the expanded word plus a newline on stdin.
    HereString,
}

/// A here-document's body and how to treat it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HereDoc {
    /// The delimiter with quotes removed (`EOF` for `<<'EOF'`).
    pub delimiter: String,
    /// The body, tabs already stripped for `<<-`. With `expand`, its parts are quoted
    /// literals, parameters and command substitutions to expand without field splitting
    /// or globbing; otherwise it is one literal. An empty body has no parts.
    pub body: Word,
    /// Whether it was `<<-` (leading tabs were removed from each line).
    pub strip_tabs: bool,
    /// Whether the delimiter was unquoted, so the body undergoes expansion.
    pub expand: bool,
}

/// A non-fatal finding; bash prints it and runs the script anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The input ended before a here-document's delimiter line.
    HereDocAtEof {
        /// The line of the `<<` operator.
        line: u32,
        /// The delimiter bash was waiting for.
        delimiter: String,
    },
}

impl Word {
    /// The text of a word made of one unquoted literal (a possible keyword or name).
    pub fn as_plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Literal {
                text,
                quoted: false,
            }] => Some(text),
            _ => None,
        }
    }

    /// The word's text when it contains no expansions (quotes removed), as bash would use it
    /// for a here-document delimiter or a literal argument.
    pub fn literal_text(&self) -> Option<String> {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                WordPart::Literal { text: t, .. } => text.push_str(t),
                _ => return None,
            }
        }
        Some(text)
    }
}

impl Redirect {
    /// The descriptor this redirect applies to: the written one, or 0 for input and 1 for
    /// output operators.
    pub fn effective_fd(&self) -> u32 {
        if let Some(fd) = self.fd {
            return fd;
        }
        match self.kind {
            RedirectKind::Out { .. } | RedirectKind::Both { .. } | RedirectKind::DupOut => 1,
            RedirectKind::In
            | RedirectKind::ReadWrite
            | RedirectKind::DupIn
            | RedirectKind::HereDoc(_)
            | RedirectKind::HereString => 0,
        }
    }

    /// For `>&N` and `<&N` with a literal number, that number (`None` for `-` or expansions).
    pub fn dup_source_fd(&self) -> Option<u32> {
        match self.kind {
            RedirectKind::DupOut | RedirectKind::DupIn => (),
            _ => return None,
        }
        let text = self.target.literal_text()?;
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::HereDocAtEof { line, delimiter } => write!(
                f,
                "bash: warning: here-document at line {line} delimited by end-of-file (wanted `{delimiter}')"
            ),
        }
    }
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut printer = Printer::default();
        printer.items(&self.items);
        printer.finish_top(f)
    }
}

impl fmt::Display for ListItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut printer = Printer::default();
        printer.items(std::slice::from_ref(self));
        printer.finish_top(f)
    }
}

impl fmt::Display for AndOr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut printer = Printer::default();
        printer.and_or(self);
        printer.finish_top(f)
    }
}

impl fmt::Display for Pipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut printer = Printer::default();
        printer.pipeline(self);
        printer.finish_top(f)
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut printer = Printer::default();
        printer.command(self);
        printer.finish_top(f)
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_word(&mut out, &self.parts);
        f.write_str(&out)
    }
}

impl fmt::Display for Redirect {
    /// A here-document prints as its operator and delimiter only; `Script` prints bodies.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut printer = Printer::default();
        printer.redirect(self);
        f.write_str(&printer.out)
    }
}

/// Words that bash reads as keywords when they start a command.
const RESERVED: [&str; 20] = [
    "!", "{", "}", "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done",
    "case", "esac", "select", "function", "[[", "]]", "in",
];

/// Prints nodes as shell text. Here-document bodies must follow the line that introduced
/// them, so they wait in `pending` until the next separator turns into a newline.
#[derive(Default)]
struct Printer {
    out: String,
    pending: Vec<HereDoc>,
}

impl Printer {
    fn finish_top(mut self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.flush_heredocs();
        // The last delimiter line needs no newline of its own; a reader accepts it at EOF.
        f.write_str(self.out.strip_suffix('\n').unwrap_or(&self.out))
    }

    /// Writes what must stand between a list item and the next item or closing keyword.
    fn separator(&mut self, after_background: bool) {
        if !self.pending.is_empty() {
            self.flush_heredocs();
            return;
        }
        if after_background {
            self.out.push(' ');
        } else {
            self.out.push_str("; ");
        }
    }

    /// Bash rejects a bare `!` right before `)` (`(!)`, `$(!)`), so end it with `;`.
    fn close_bare_negation(&mut self) {
        if self.out.ends_with('!') {
            self.out.push(';');
        }
    }

    fn flush_heredocs(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.out.push('\n');
        for doc in std::mem::take(&mut self.pending) {
            write_heredoc_body(&mut self.out, &doc);
        }
    }

    fn items(&mut self, items: &[ListItem]) {
        for (idx, item) in items.iter().enumerate() {
            if 0 < idx {
                self.separator(items[idx - 1].background);
            }
            self.and_or(&item.and_or);
            if item.background {
                self.out.push_str(" &");
            }
        }
    }

    /// A list followed by a closing keyword such as `done`, `fi` or `}`.
    fn body_then(&mut self, items: &[ListItem], keyword: &str) {
        self.items(items);
        let background = items.last().is_some_and(|item| item.background);
        self.separator(background);
        self.out.push_str(keyword);
    }

    fn and_or(&mut self, and_or: &AndOr) {
        self.pipeline(&and_or.first);
        for (op, pipeline) in &and_or.rest {
            self.out.push_str(match op {
                AndOrOp::And => " && ",
                AndOrOp::Or => " || ",
            });
            self.pipeline(pipeline);
        }
    }

    fn pipeline(&mut self, pipeline: &Pipeline) {
        if pipeline.negated {
            let bare = matches!(pipeline.commands.as_slice(), [Command::Simple(simple)] if *simple == SimpleCommand::default());
            self.out.push_str(if bare { "!" } else { "! " });
        }
        for (idx, command) in pipeline.commands.iter().enumerate() {
            if 0 < idx {
                self.out.push_str(" | ");
            }
            self.command(command);
        }
    }

    fn command(&mut self, command: &Command) {
        match command {
            Command::Simple(simple) => self.simple(simple),
            Command::Compound(compound) => self.compound(compound),
        }
    }

    fn simple(&mut self, simple: &SimpleCommand) {
        let mut first = true;
        // `>out done` runs a command named `done`; printed first, it would be a keyword.
        let keyword_first = simple.assignments.is_empty()
            && simple
                .words
                .first()
                .and_then(Word::as_plain)
                .is_some_and(|text| RESERVED.contains(&text));
        if keyword_first {
            for redirect in &simple.redirects {
                self.space(&mut first);
                self.redirect(redirect);
            }
        }
        for assignment in &simple.assignments {
            self.space(&mut first);
            self.out.push_str(&assignment.name);
            self.out
                .push_str(if assignment.append { "+=" } else { "=" });
            write_word(&mut self.out, &assignment.value.parts);
        }
        for word in &simple.words {
            self.space(&mut first);
            write_word(&mut self.out, &word.parts);
        }
        if !keyword_first {
            for redirect in &simple.redirects {
                self.space(&mut first);
                self.redirect(redirect);
            }
        }
    }

    fn space(&mut self, first: &mut bool) {
        if !*first {
            self.out.push(' ');
        }
        *first = false;
    }

    fn compound(&mut self, compound: &CompoundCommand) {
        match &compound.kind {
            CompoundKind::BraceGroup(body) => {
                self.out.push_str("{ ");
                self.body_then(body, "}");
            }
            CompoundKind::Subshell(body) => {
                // The spaces keep `( (a) )` from reading as the arithmetic command `((`.
                self.out.push_str("( ");
                self.items(body);
                self.close_bare_negation();
                if self.pending.is_empty() {
                    self.out.push(' ');
                }
                self.flush_heredocs();
                self.out.push(')');
            }
            CompoundKind::For { name, words, body } => {
                self.out.push_str("for ");
                self.out.push_str(name);
                if let Some(words) = words {
                    self.out.push_str(" in");
                    for word in words {
                        self.out.push(' ');
                        write_word(&mut self.out, &word.parts);
                    }
                }
                self.out.push_str("; do ");
                self.body_then(body, "done");
            }
            CompoundKind::While {
                until,
                condition,
                body,
            } => {
                self.out.push_str(if *until { "until " } else { "while " });
                self.body_then(condition, "do ");
                self.body_then(body, "done");
            }
            CompoundKind::If {
                branches,
                else_body,
            } => {
                for (idx, branch) in branches.iter().enumerate() {
                    self.out.push_str(if idx == 0 { "if " } else { "elif " });
                    self.body_then(&branch.condition, "then ");
                    self.items(&branch.body);
                    let background = branch.body.last().is_some_and(|item| item.background);
                    self.separator(background);
                }
                if let Some(else_body) = else_body {
                    self.out.push_str("else ");
                    self.items(else_body);
                    let background = else_body.last().is_some_and(|item| item.background);
                    self.separator(background);
                }
                self.out.push_str("fi");
            }
            CompoundKind::Arith(expr) => {
                self.out.push_str("((");
                write_quoted_parts(&mut self.out, &expr.parts, "\\$`");
                self.out.push_str("))");
            }
            CompoundKind::FunctionDef { name, body } => {
                self.out.push_str(name);
                self.out.push_str(" () ");
                self.compound(body);
            }
        }
        for redirect in &compound.redirects {
            self.out.push(' ');
            self.redirect(redirect);
        }
    }

    fn redirect(&mut self, redirect: &Redirect) {
        if let Some(fd) = redirect.fd {
            let _ = write!(self.out, "{fd}");
        }
        let (op, spaced) = match &redirect.kind {
            RedirectKind::Out {
                append: false,
                clobber: false,
            } => (">", true),
            RedirectKind::Out { append: true, .. } => (">>", true),
            RedirectKind::Out { clobber: true, .. } => (">|", true),
            RedirectKind::In => ("<", true),
            RedirectKind::ReadWrite => ("<>", true),
            RedirectKind::Both { append: false } => ("&>", true),
            RedirectKind::Both { append: true } => ("&>>", true),
            RedirectKind::DupOut => (">&", false),
            RedirectKind::DupIn => ("<&", false),
            RedirectKind::HereDoc(doc) => {
                self.pending.push(doc.clone());
                (if doc.strip_tabs { "<<-" } else { "<<" }, false)
            }
            RedirectKind::HereString => ("<<<", true),
        };
        self.out.push_str(op);
        let start = self.out.len();
        write_word(&mut self.out, &redirect.target.parts);
        // `<< -x` must not print as `<<-x`, which is the tab-stripping operator.
        if spaced || self.out[start..].starts_with('-') && op == "<<" {
            self.out.insert(start, ' ');
        }
    }
}

/// Prints a command substitution's inner script, ending in a newline when a here-document
/// body was the last thing printed (the closing `)` must not sit on the delimiter line).
fn write_subst(out: &mut String, script: &Script) {
    let mut printer = Printer::default();
    printer.items(&script.items);
    printer.close_bare_negation();
    printer.flush_heredocs();
    // Spaces keep `$( (a) )` from reading as arithmetic expansion `$((`.
    let spaced = printer.out.starts_with('(');
    out.push_str(if spaced { "$( " } else { "$(" });
    out.push_str(&printer.out);
    out.push_str(if spaced && !printer.out.ends_with('\n') {
        " )"
    } else {
        ")"
    });
}

fn write_heredoc_body(out: &mut String, doc: &HereDoc) {
    let start = out.len();
    if doc.expand {
        write_quoted_parts(out, &doc.body.parts, "\\$`");
    } else {
        for part in &doc.body.parts {
            match part {
                WordPart::Literal { text, .. } => out.push_str(text),
                // A literal body never holds expansions; print any that a caller built.
                other => write_quoted_parts(out, std::slice::from_ref(other), ""),
            }
        }
    }
    if start < out.len() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&doc.delimiter);
    out.push('\n');
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => chars.all(is_name_char),
        _ => false,
    }
}

/// Whether `$name` would absorb the text that follows it, so braces are needed.
fn needs_braces(name: &str, op: Option<&ParamOp>, next: Option<&WordPart>) -> bool {
    if op.is_some() || name.chars().nth(1).is_some() && !is_identifier(name) {
        return true;
    }
    if !is_identifier(name) {
        return false;
    }
    match next {
        Some(WordPart::Literal { text, .. }) => text.starts_with(is_name_char),
        _ => false,
    }
}

fn write_param(
    out: &mut String,
    name: &str,
    op: Option<&ParamOp>,
    next: Option<&WordPart>,
    quoted: bool,
) {
    if !needs_braces(name, op, next) {
        out.push('$');
        out.push_str(name);
        return;
    }
    out.push_str("${");
    let (sigil, word) = match op {
        None => ("", None),
        Some(ParamOp::Length) => {
            out.push('#');
            ("", None)
        }
        Some(ParamOp::Default { colon, word }) => (if *colon { ":-" } else { "-" }, Some(word)),
        Some(ParamOp::Assign { colon, word }) => (if *colon { ":=" } else { "=" }, Some(word)),
        Some(ParamOp::Alternative { colon, word }) => (if *colon { ":+" } else { "+" }, Some(word)),
        Some(ParamOp::Error { colon, word }) => (if *colon { ":?" } else { "?" }, Some(word)),
        Some(ParamOp::RemovePrefix { longest, pattern }) => {
            (if *longest { "##" } else { "#" }, Some(pattern))
        }
        Some(ParamOp::RemoveSuffix { longest, pattern }) => {
            (if *longest { "%%" } else { "%" }, Some(pattern))
        }
    };
    out.push_str(name);
    out.push_str(sigil);
    if let Some(word) = word {
        if quoted {
            write_quoted_parts(out, &word.parts, "\\$`\"}");
        } else {
            write_word(out, &word.parts);
        }
    }
    out.push('}');
}

/// Writes parts in a double-quote-like context (inside `"${x:-...}"` or a here-document),
/// backslash-escaping the characters in `escape`.
fn write_quoted_parts(out: &mut String, parts: &[WordPart], escape: &str) {
    for (idx, part) in parts.iter().enumerate() {
        match part {
            WordPart::Literal { text, .. } => {
                for c in text.chars() {
                    if escape.contains(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            WordPart::Param { name, op, .. } => {
                write_param(out, name, op.as_ref(), parts.get(idx + 1), true)
            }
            WordPart::CommandSubst { script, .. } => write_subst(out, script),
            WordPart::Arith { expr, .. } => write_arith(out, expr),
            WordPart::Tilde { user } => {
                out.push('~');
                out.push_str(user);
            }
        }
    }
}

/// Prints `$(( EXPRESSION ))`.
fn write_arith(out: &mut String, expr: &Word) {
    out.push_str("$((");
    write_quoted_parts(out, &expr.parts, "\\$`");
    out.push_str("))");
}

/// Writes a word's parts in ordinary (unquoted) context, re-quoting quoted parts.
fn write_word(out: &mut String, parts: &[WordPart]) {
    for (idx, part) in parts.iter().enumerate() {
        let next = parts.get(idx + 1);
        match part {
            WordPart::Literal {
                text,
                quoted: false,
            } => {
                // Unquoted literal text came from unquoted source, so it is safe as is,
                // except a `$` that the next part could turn into an expansion.
                match text.strip_suffix('$') {
                    Some(head) if next.is_some() => {
                        out.push_str(head);
                        out.push_str("\\$");
                    }
                    _ => out.push_str(text),
                }
            }
            WordPart::Literal { text, quoted: true } => write_quoted_literal(out, text),
            WordPart::Param { name, op, quoted } => {
                if *quoted {
                    out.push('"');
                    write_param(out, name, op.as_ref(), None, true);
                    out.push('"');
                } else {
                    write_param(out, name, op.as_ref(), next, false);
                }
            }
            WordPart::CommandSubst { script, quoted } => {
                if *quoted {
                    out.push('"');
                }
                write_subst(out, script);
                if *quoted {
                    out.push('"');
                }
            }
            WordPart::Arith { expr, quoted } => {
                if *quoted {
                    out.push('"');
                }
                write_arith(out, expr);
                if *quoted {
                    out.push('"');
                }
            }
            WordPart::Tilde { user } => {
                out.push('~');
                out.push_str(user);
            }
        }
    }
}

fn write_quoted_literal(out: &mut String, text: &str) {
    if !text.contains('\'') {
        out.push('\'');
        out.push_str(text);
        out.push('\'');
        return;
    }
    out.push('"');
    for c in text.chars() {
        if "\\$`\"".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}
