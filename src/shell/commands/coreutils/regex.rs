//! POSIX regular expressions for grep, sed and awk: basic (BRE, with the GNU `\+ \? \|`
//! extensions) and extended (ERE) syntax, translated to `regex_lite` syntax, with glibc's
//! `regerror` messages for malformed patterns.
//!
//! Deviations from glibc: matching is leftmost-first (Perl) rather than POSIX
//! leftmost-longest, which only shows with alternatives that are prefixes of each other;
//! back-references (`\1` in a pattern) are refused, since `regex_lite` has none;
//! character classes are ASCII.

use regex_lite::{Regex, RegexBuilder};

/// Which POSIX syntax a pattern is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    /// Basic: `\( \) \{ \} \| \+ \?` are operators, `( ) { } | + ?` are literal.
    Basic,
    /// Extended: `( ) { } | + ?` are operators.
    Extended,
}

/// How a pattern is compiled.
#[derive(Debug, Clone, Copy)]
pub(super) struct Options {
    pub(super) flavor: Flavor,
    pub(super) icase: bool,
    /// sed (and awk) read `\n` and `\t` as newline and tab before the regex sees them.
    pub(super) c_escapes: bool,
    /// `^` and `$` also match around embedded newlines (sed's `M` flag).
    pub(super) multiline: bool,
}

impl Options {
    /// Plain options for `flavor`.
    #[cfg(test)]
    pub(super) fn new(flavor: Flavor) -> Options {
        Options {
            flavor,
            icase: false,
            c_escapes: false,
            multiline: false,
        }
    }
}

/// Why a pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RegexError {
    /// glibc's `regerror` text, such as `Unmatched ( or \(`.
    Posix(&'static str),
    /// A valid back-reference, which this engine cannot match.
    BackReference,
}

impl RegexError {
    /// The message a GNU tool prints after its name.
    pub(super) fn message(&self) -> String {
        match self {
            RegexError::Posix(text) => (*text).to_string(),
            RegexError::BackReference => {
                "back-references (\\1 to \\9) are not supported in this playground".to_string()
            }
        }
    }
}

const UNMATCHED_BRACKET: RegexError = RegexError::Posix("Unmatched [, [^, [:, [., or [=");
const UNMATCHED_PAREN: RegexError = RegexError::Posix("Unmatched ( or \\(");
const UNMATCHED_RPAREN: RegexError = RegexError::Posix("Unmatched ) or \\)");
const UNMATCHED_BRACE: RegexError = RegexError::Posix("Unmatched \\{");
const BAD_BRACE: RegexError = RegexError::Posix("Invalid content of \\{\\}");
const BAD_REPEAT: RegexError = RegexError::Posix("Invalid preceding regular expression");
const TRAILING_BACKSLASH: RegexError = RegexError::Posix("Trailing backslash");
const BAD_BACKREF: RegexError = RegexError::Posix("Invalid back reference");
const BAD_RANGE: RegexError = RegexError::Posix("Invalid range end");
const BAD_CLASS: RegexError = RegexError::Posix("Invalid character class name");
const BAD_COLLATE: RegexError = RegexError::Posix("Invalid collation character");
const TOO_BIG: RegexError = RegexError::Posix("Regular expression too big");

/// glibc's RE_DUP_MAX.
const DUP_MAX: u32 = 32767;

/// Compiles a POSIX pattern.
pub(super) fn compile(pattern: &str, opts: Options) -> Result<Regex, RegexError> {
    let translated = translate(pattern, opts)?;
    build(&translated, opts)
}

/// Compiles an already translated pattern with the options' flags.
pub(super) fn build(translated: &str, opts: Options) -> Result<Regex, RegexError> {
    RegexBuilder::new(translated)
        .case_insensitive(opts.icase)
        .multi_line(opts.multiline)
        .dot_matches_new_line(!opts.multiline)
        .build()
        .map_err(|_| TOO_BIG)
}

/// One level of grouping while translating.
struct Frame {
    /// Where in the output this group's `(` is.
    open_at: usize,
    /// The capture number this group will have.
    number: usize,
}

/// The translation state: the output so far and where the last repeatable atom starts.
struct Out {
    text: String,
    /// Start of the last atom a quantifier may apply to; `None` at the start of an
    /// expression, after `(`, `|` or an anchor.
    atom: Option<usize>,
    /// Whether the last thing emitted was a quantifier (a second one needs a group).
    quantified: bool,
    /// At the start of an expression: nothing yet, or just after `(` or `|` (where a BRE
    /// `^` is an anchor).
    expr_start: bool,
}

impl Out {
    fn atom(&mut self, piece: &str) {
        self.atom = Some(self.text.len());
        self.quantified = false;
        self.expr_start = false;
        self.text.push_str(piece);
    }

    fn assertion(&mut self, piece: &str) {
        self.text.push_str(piece);
        self.atom = None;
        self.quantified = false;
        self.expr_start = false;
    }

    fn open(&mut self, piece: char) {
        self.text.push(piece);
        self.atom = None;
        self.quantified = false;
        self.expr_start = true;
    }

    fn quantify(&mut self, q: &str) -> bool {
        let Some(start) = self.atom else {
            return false;
        };
        if self.quantified {
            // `a**` is fine in POSIX; regex_lite wants the repeated part grouped.
            self.text.insert_str(start, "(?:");
            self.text.push(')');
        }
        self.text.push_str(q);
        self.quantified = true;
        true
    }
}

/// Translates a POSIX pattern into `regex_lite` syntax.
pub(super) fn translate(pattern: &str, opts: Options) -> Result<String, RegexError> {
    let ere = opts.flavor == Flavor::Extended;
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Out {
        text: String::new(),
        atom: None,
        quantified: false,
        expr_start: true,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut groups_opened = 0usize;
    let mut closed: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        // What the character means, after BRE/ERE escaping rules.
        let (tok, escaped) = if c == '\\' {
            let Some(&next) = chars.get(i) else {
                return Err(TRAILING_BACKSLASH);
            };
            i += 1;
            (next, true)
        } else {
            (c, false)
        };
        let op = |name: char| -> bool {
            // Whether `tok` is the operator `name` in this flavor.
            tok == name && (escaped != ere)
        };
        if op('(') {
            groups_opened += 1;
            stack.push(Frame {
                open_at: out.text.len(),
                number: groups_opened,
            });
            out.open('(');
            continue;
        }
        if op(')') {
            match stack.pop() {
                Some(frame) => {
                    out.text.push(')');
                    closed.push(frame.number);
                    out.atom = Some(frame.open_at);
                    out.quantified = false;
                    out.expr_start = false;
                }
                // An unmatched `)` is an ordinary character in an ERE.
                None if ere => out.atom("\\)"),
                None => return Err(UNMATCHED_RPAREN),
            }
            continue;
        }
        if op('|') {
            out.open('|');
            continue;
        }
        if op('{') {
            let save = i;
            match parse_interval(&chars, &mut i, ere) {
                Ok(Some(q)) => {
                    if out.atom.is_none() {
                        if ere {
                            continue;
                        }
                        return Err(BAD_REPEAT);
                    }
                    out.quantify(&q);
                }
                Ok(None) => {
                    // RE_INVALID_INTERVAL_ORD: a malformed ERE interval is literal text.
                    i = save;
                    out.atom("\\{");
                }
                Err(err) => return Err(err),
            }
            continue;
        }
        if !escaped && tok == '*' || op('+') || op('?') {
            if out.quantify(&tok.to_string()) {
                continue;
            }
            // Nothing to repeat: literal in a BRE, skipped in an ERE (glibc).
            if ere {
                continue;
            }
            out.atom(&regex_lite::escape(&tok.to_string()));
            continue;
        }
        if escaped {
            match tok {
                '1'..='9' => {
                    let n = tok as usize - '0' as usize;
                    if closed.contains(&n) {
                        return Err(RegexError::BackReference);
                    }
                    return Err(BAD_BACKREF);
                }
                'w' | 'W' | 's' | 'S' => out.atom(&format!("\\{tok}")),
                'b' | 'B' => out.assertion(&format!("\\{tok}")),
                '<' => out.assertion("\\b{start}"),
                '>' => out.assertion("\\b{end}"),
                '`' => out.assertion("\\A"),
                '\'' => out.assertion("\\z"),
                'n' if opts.c_escapes => out.atom("\\n"),
                't' if opts.c_escapes => out.atom("\\t"),
                other => out.atom(&regex_lite::escape(&other.to_string())),
            }
            continue;
        }
        match tok {
            '.' => out.atom("."),
            '[' => {
                let class = parse_bracket(&chars, &mut i)?;
                out.atom(&class);
            }
            '^' => {
                if ere || out.expr_start {
                    out.assertion("^");
                } else {
                    out.atom("\\^");
                }
            }
            '$' => {
                let at_end = i == chars.len()
                    || (!ere
                        && chars.get(i) == Some(&'\\')
                        && matches!(chars.get(i + 1), Some(')' | '|')));
                if ere || at_end {
                    out.assertion("$");
                } else {
                    out.atom("\\$");
                }
            }
            other => out.atom(&regex_lite::escape(&other.to_string())),
        }
    }
    if !stack.is_empty() {
        return Err(UNMATCHED_PAREN);
    }
    Ok(out.text)
}

/// Parses the inside of an interval after its `{` (or `\{`), leaving `i` after the close;
/// `Ok(None)` when an ERE interval is malformed and should be taken literally.
fn parse_interval(chars: &[char], i: &mut usize, ere: bool) -> Result<Option<String>, RegexError> {
    let mut min = String::new();
    let mut max = String::new();
    let mut comma = false;
    loop {
        let Some(&c) = chars.get(*i) else {
            return if ere { Ok(None) } else { Err(UNMATCHED_BRACE) };
        };
        *i += 1;
        match c {
            '0'..='9' if comma => max.push(c),
            '0'..='9' => min.push(c),
            ',' if !comma => comma = true,
            '}' if ere => break,
            '\\' if !ere && chars.get(*i) == Some(&'}') => {
                *i += 1;
                break;
            }
            _ => return if ere { Ok(None) } else { Err(BAD_BRACE) },
        }
    }
    let parse = |s: &str| -> Option<u32> { s.parse::<u32>().ok() };
    let lo = if min.is_empty() {
        0
    } else {
        parse(&min).unwrap_or(u32::MAX)
    };
    if min.is_empty() && !comma {
        return if ere { Ok(None) } else { Err(BAD_BRACE) };
    }
    let hi = if comma {
        if max.is_empty() {
            None
        } else {
            Some(parse(&max).unwrap_or(u32::MAX))
        }
    } else {
        Some(lo)
    };
    if lo > DUP_MAX || hi.is_some_and(|h| h > DUP_MAX) {
        return Err(TOO_BIG);
    }
    if hi.is_some_and(|h| h < lo) {
        return Err(BAD_BRACE);
    }
    Ok(Some(match hi {
        None => format!("{{{lo},}}"),
        Some(h) if h == lo => format!("{{{lo}}}"),
        Some(h) => format!("{{{lo},{h}}}"),
    }))
}

const CLASSES: [&str; 12] = [
    "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "print", "graph",
    "cntrl", "xdigit",
];

/// Escapes one character for use inside a `regex_lite` class.
fn class_char(c: char) -> String {
    if c.is_ascii_punctuation() {
        format!("\\{c}")
    } else if c == '\n' {
        "\\n".to_string()
    } else {
        c.to_string()
    }
}

/// Parses a bracket expression after its `[`, leaving `i` after the closing `]`.
fn parse_bracket(chars: &[char], i: &mut usize) -> Result<String, RegexError> {
    let mut out = String::from("[");
    if chars.get(*i) == Some(&'^') {
        out.push('^');
        *i += 1;
    }
    let mut first = true;
    let mut items = 0;
    loop {
        let Some(&c) = chars.get(*i) else {
            return Err(UNMATCHED_BRACKET);
        };
        *i += 1;
        if c == ']' && !first {
            break;
        }
        first = false;
        // A single element: a character, or `[:class:]`, `[=c=]`, `[.c.]`.
        let start: Option<char> = if c == '[' && matches!(chars.get(*i), Some(':' | '=' | '.')) {
            let kind = chars[*i];
            *i += 1;
            let mut name = String::new();
            loop {
                match (chars.get(*i), chars.get(*i + 1)) {
                    (Some(&a), Some(']')) if a == kind => {
                        *i += 2;
                        break;
                    }
                    (Some(&a), _) => {
                        name.push(a);
                        *i += 1;
                    }
                    (None, _) => return Err(UNMATCHED_BRACKET),
                }
            }
            if kind == ':' {
                if !CLASSES.contains(&name.as_str()) {
                    return Err(BAD_CLASS);
                }
                out.push_str(&format!("[:{name}:]"));
                items += 1;
                continue;
            }
            let mut it = name.chars();
            match (it.next(), it.next()) {
                (Some(ch), None) => Some(ch),
                _ => return Err(BAD_COLLATE),
            }
        } else {
            Some(c)
        };
        let Some(lo) = start else { continue };
        // A range `lo-hi`, unless the `-` is last before `]`.
        if chars.get(*i) == Some(&'-') && chars.get(*i + 1).is_some_and(|&n| n != ']') {
            *i += 1;
            let hi_raw = chars[*i];
            *i += 1;
            let hi = if hi_raw == '[' && chars.get(*i) == Some(&'.') {
                *i += 1;
                let ch = chars.get(*i).copied().ok_or(UNMATCHED_BRACKET)?;
                if chars.get(*i + 1) != Some(&'.') || chars.get(*i + 2) != Some(&']') {
                    return Err(BAD_COLLATE);
                }
                *i += 3;
                ch
            } else {
                hi_raw
            };
            if hi < lo {
                return Err(BAD_RANGE);
            }
            out.push_str(&format!("{}-{}", class_char(lo), class_char(hi)));
        } else {
            out.push_str(&class_char(lo));
        }
        items += 1;
    }
    if items == 0 {
        return Err(UNMATCHED_BRACKET);
    }
    out.push(']');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bre(p: &str) -> Result<String, RegexError> {
        translate(p, Options::new(Flavor::Basic))
    }

    fn ere(p: &str) -> Result<String, RegexError> {
        translate(p, Options::new(Flavor::Extended))
    }

    #[test]
    fn basic_syntax_translates() {
        assert_eq!(bre("a\\(b\\)*c").unwrap(), "a(b)*c");
        assert_eq!(bre("a+b?").unwrap(), "a\\+b\\?");
        assert_eq!(bre("a\\+\\|b\\?").unwrap(), "a+|b?");
        assert_eq!(bre("*a").unwrap(), "\\*a");
        assert_eq!(bre("a^b$c$").unwrap(), "a\\^b\\$c$");
        assert_eq!(bre("^a\\{2,3\\}").unwrap(), "^a{2,3}");
        assert_eq!(bre("a**").unwrap(), "(?:a*)*");
        assert_eq!(bre("[]a-z[:digit:]\\]").unwrap(), "[\\]a-z[:digit:]\\\\]");
        assert_eq!(bre("\\<x\\>").unwrap(), "\\b{start}x\\b{end}");
    }

    #[test]
    fn extended_syntax_translates() {
        assert_eq!(ere("(a|b)+c{2}").unwrap(), "(a|b)+c{2}");
        assert_eq!(ere("a\\(").unwrap(), "a\\(");
        assert_eq!(ere("a)").unwrap(), "a\\)");
        assert_eq!(ere("*a").unwrap(), "a");
        assert_eq!(ere("a{x").unwrap(), "a\\{x");
    }

    #[test]
    fn malformed_patterns_get_glibc_messages() {
        assert_eq!(bre("[a").unwrap_err(), UNMATCHED_BRACKET);
        assert_eq!(bre("\\(a").unwrap_err(), UNMATCHED_PAREN);
        assert_eq!(bre("a\\)").unwrap_err(), UNMATCHED_RPAREN);
        assert_eq!(ere("(a").unwrap_err(), UNMATCHED_PAREN);
        assert_eq!(bre("a\\{1").unwrap_err(), UNMATCHED_BRACE);
        assert_eq!(bre("a\\{2,1\\}").unwrap_err(), BAD_BRACE);
        assert_eq!(bre("a\\").unwrap_err(), TRAILING_BACKSLASH);
        assert_eq!(bre("[z-a]").unwrap_err(), BAD_RANGE);
        assert_eq!(bre("[[:nope:]]").unwrap_err(), BAD_CLASS);
        assert_eq!(bre("\\1").unwrap_err(), BAD_BACKREF);
        assert_eq!(bre("\\(a\\)\\1").unwrap_err(), RegexError::BackReference);
    }

    #[test]
    fn compiled_patterns_match_like_posix() {
        let re = compile("^a.c$", Options::new(Flavor::Basic)).unwrap();
        assert!(re.is_match("abc"));
        assert!(!re.is_match("abcd"));
        let re = compile("[[:space:]]+x", Options::new(Flavor::Extended)).unwrap();
        assert!(re.is_match("a \tx"));
    }
}
