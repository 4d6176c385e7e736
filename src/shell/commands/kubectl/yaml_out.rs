//! `kubectl get -o yaml`: `staging/src/k8s.io/cli-runtime/pkg/printers/yaml.go` calls
//! `sigs.k8s.io/yaml.Marshal`, which encodes JSON, decodes that JSON with go-yaml v2 into
//! `interface{}` and re-encodes it with go-yaml v2 (`gopkg.in/yaml.v2` / `go.yaml.in/yaml/v2`
//! v2.4: `encode.go`, `emitterc.go`, `resolve.go`, `sorter.go`).
//!
//! This is a port of the parts of that pipeline a JSON document can reach:
//! - mapping keys in go-yaml's "natural" order (`sorter.go`: digit runs compare as numbers,
//!   non-letters sort before letters), not plain byte order;
//! - `encoder.stringv`: a string that would resolve to another type when plain (`"123"`,
//!   `"true"`, `"null"`, `""`, `"2026-11-22T08:00:00Z"`, `"1:20"`) is double-quoted, one
//!   with a newline is a literal block, anything else is plain;
//! - the libyaml emitter's scalar analysis and style fallback (plain → single-quoted →
//!   double-quoted; literal → double-quoted), block scalar chomping/indent hints, and line
//!   folding at the default best width of 80 columns, all with the same emitter state
//!   (`column`, `indent`, `whitespace`, `indention`);
//! - block sequences inside mappings are not indented (`containers:\n- image: nginx`); empty
//!   maps and lists print as `{}` and `[]`.
//!
//! Deliberate simplifications: non-ASCII digits in keys are not compared as numbers (upstream
//! would subtract `'0'` from them), and base-60 / timestamp detection uses hand-written
//! matchers equivalent to upstream's regular expression and `time.Parse` layouts.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::gofmt::{format_float_g, GoNumber};

/// The YAML `kubectl get -o yaml` prints for `value` (ends with a newline).
pub fn to_yaml(value: &Value) -> String {
    let mut e = Emitter::new();
    e.emit_node(value, Context::ROOT);
    // Document end: terminate the last line.
    e.write_indent();
    e.out
}

const BEST_INDENT: i32 = 2;
const BEST_WIDTH: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

#[derive(Debug, Clone, Copy)]
struct Context {
    sequence: bool,
    mapping: bool,
    simple_key: bool,
}

impl Context {
    const ROOT: Context = Context {
        sequence: false,
        mapping: false,
        simple_key: false,
    };
}

struct Emitter {
    out: String,
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    whitespace: bool,
    indention: bool,
}

/// `yaml_emitter_analyze_scalar`'s verdict.
#[derive(Debug, Clone, Copy)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_blankz(c: char) -> bool {
    is_blank(c) || is_break(c) || c == '\0'
}

/// libyaml's `is_printable` on the UTF-8 encoding (four-byte characters are not printable).
fn is_printable(c: char) -> bool {
    let u = c as u32;
    c == '\n'
        || (0x20..=0x7e).contains(&u)
        || (0xa0..=0xd7ff).contains(&u)
        || ((0xe000..=0xfffd).contains(&u) && u != 0xfeff)
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let chars: Vec<char> = value.chars().collect();
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&n| is_blank(n));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => (),
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => (),
            }
        }
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i == last {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i == last {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(c);
    }

    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    let _ = flow_indicators;
    a
}

impl Emitter {
    fn new() -> Emitter {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_str(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    /// `write_break`: a line feed becomes the output line break, other breaks are copied.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.write_str(indicator);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn emit_node(&mut self, value: &Value, ctx: Context) {
        match value {
            Value::Null => self.emit_scalar("null", Style::Plain, ctx),
            Value::Bool(b) => {
                self.emit_scalar(if *b { "true" } else { "false" }, Style::Plain, ctx)
            }
            Value::Number(n) => {
                let text = match GoNumber::of(n) {
                    GoNumber::Int(i) => i.to_string(),
                    // A u64 beyond int64 decodes as uint64 in go-yaml and prints in full.
                    GoNumber::Float(_) if n.is_u64() => n.to_string(),
                    GoNumber::Float(f) => {
                        let s = format_float_g(f);
                        match s.as_str() {
                            "+Inf" => ".inf".to_string(),
                            "-Inf" => "-.inf".to_string(),
                            "NaN" => ".nan".to_string(),
                            _ => s,
                        }
                    }
                };
                self.emit_scalar(&text, Style::Plain, ctx);
            }
            Value::String(s) => self.emit_string(s, ctx),
            Value::Array(items) => self.emit_sequence(items, ctx),
            Value::Object(map) => self.emit_mapping(map, ctx),
        }
    }

    /// `encoder.stringv`.
    fn emit_string(&mut self, s: &str, ctx: Context) {
        let can_use_plain = resolves_to_str(s) && !is_base60_float(s);
        let style = if s.contains('\n') {
            Style::Literal
        } else if can_use_plain {
            Style::Plain
        } else {
            Style::DoubleQuoted
        };
        self.emit_scalar(s, style, ctx);
    }

    fn emit_scalar(&mut self, value: &str, requested: Style, ctx: Context) {
        let a = analyze(value);
        // yaml_emitter_select_scalar_style (no tags, no flow context).
        let mut style = requested;
        if ctx.simple_key && a.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (value.is_empty() && ctx.simple_key))
        {
            style = Style::SingleQuoted;
        }
        if style == Style::SingleQuoted && !a.single_quoted_allowed {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal && (!a.block_allowed || ctx.simple_key) {
            style = Style::DoubleQuoted;
        }
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(value, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn emit_sequence(&mut self, items: &[Value], ctx: Context) {
        if items.is_empty() {
            self.write_indicator("[", true, true, false);
            self.increase_indent(true, false);
            self.pop_indent();
            self.write_indicator("]", false, false, false);
            return;
        }
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(
                item,
                Context {
                    sequence: true,
                    mapping: false,
                    simple_key: false,
                },
            );
        }
        self.pop_indent();
    }

    fn emit_mapping(&mut self, map: &Map<String, Value>, ctx: Context) {
        let _ = ctx.sequence;
        if map.is_empty() {
            self.write_indicator("{", true, true, false);
            self.increase_indent(true, false);
            self.pop_indent();
            self.write_indicator("}", false, false, false);
            return;
        }
        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
        crate::sort::sort_by(&mut entries, |a, b| key_order(a.0, b.0));
        self.increase_indent(false, false);
        for (key, value) in entries {
            self.write_indent();
            let value_ctx = Context {
                sequence: false,
                mapping: true,
                simple_key: false,
            };
            if is_simple_key(key) {
                self.emit_string(
                    key,
                    Context {
                        sequence: false,
                        mapping: true,
                        simple_key: true,
                    },
                );
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.emit_string(key, value_ctx);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.emit_node(value, value_ctx);
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            if c == ' ' {
                let next_is_space = chars.peek() == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_is_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let len = value.len();
        let mut chars = value.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == ' ' {
                let next_is_space = chars.peek().map(|&(_, n)| n) == Some(' ');
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < len
                    && !next_is_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str, allow_breaks: bool) {
        let mut spaces = false;
        self.write_indicator("\"", true, false, false);
        // libyaml checks for a BOM at the start of the value at every position.
        let bom = value.starts_with('\u{feff}');
        let len = value.len();
        let mut chars = value.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !is_printable(c) || bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let u = c as u32;
                        let text = if u <= 0xff {
                            format!("x{u:02X}")
                        } else if u <= 0xffff {
                            format!("u{u:04X}")
                        } else {
                            format!("U{u:08X}")
                        };
                        self.write_str(&text);
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < len {
                    self.write_indent();
                    if chars.peek().map(|&(_, n)| n) == Some(' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        // yaml_emitter_write_block_scalar_hints.
        let first = value.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let mut rev = value.chars().rev();
        let chomp = match (rev.next(), rev.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(before)) if is_break(before) => Some("+"),
            _ => None,
        };
        if let Some(hint) = chomp {
            self.write_indicator(hint, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// `yaml_emitter_check_simple_key` for a string key.
fn is_simple_key(key: &str) -> bool {
    !analyze(key).multiline && key.len() <= 128
}

/// `keyList.Less` for string keys (`sorter.go`).
fn key_order(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    if key_less(a, b) {
        Ordering::Less
    } else if key_less(b, a) {
        Ordering::Greater
    } else {
        // Go's sort leaves such pairs in an unspecified order; fall back to bytes.
        a.cmp(b)
    }
}

fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                if ar[j - 1] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
                j -= 1;
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Whether `resolve("", s)` gives `!!str`, i.e. the string may be written plain.
fn resolves_to_str(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        // The empty string resolves to null.
        return false;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            !is_special_word(s)
        }
        b'.' => !is_special_word(s) && !go_parse_float(s),
        b'+' | b'-' | b'0'..=b'9' => {
            if is_special_word(s) || is_timestamp(s) {
                return false;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int(&plain) {
                return false;
            }
            if is_yaml_style_float(&plain) && go_parse_float(&plain) {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if !rest.is_empty() && rest.bytes().all(|b| b == b'0' || b == b'1') {
                    return false;
                }
            } else if let Some(rest) = plain.strip_prefix("-0b") {
                if !rest.is_empty() && rest.bytes().all(|b| b == b'0' || b == b'1') {
                    return false;
                }
            }
            true
        }
        _ => true,
    }
}

/// The words `resolve.go`'s table maps to booleans, null, special floats or the merge key.
fn is_special_word(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "true"
            | "True"
            | "TRUE"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "false"
            | "False"
            | "FALSE"
            | "off"
            | "Off"
            | "OFF"
            | "~"
            | "null"
            | "Null"
            | "NULL"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
            | "<<"
    )
}

fn digits_in_base(s: &str, base: u32) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_digit(base))
}

/// Whether `strconv.ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)` succeeds (underscores are
/// already removed by the caller).
fn go_parse_int(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (digits, base) = if let Some(r) = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
    {
        (r, 16)
    } else if let Some(r) = unsigned
        .strip_prefix("0b")
        .or_else(|| unsigned.strip_prefix("0B"))
    {
        (r, 2)
    } else if let Some(r) = unsigned
        .strip_prefix("0o")
        .or_else(|| unsigned.strip_prefix("0O"))
    {
        (r, 8)
    } else if unsigned.len() > 1 && unsigned.starts_with('0') {
        (&unsigned[1..], 8)
    } else {
        (unsigned, 10)
    };
    if !digits_in_base(digits, base) {
        return false;
    }
    let Ok(magnitude) = u128::from_str_radix(digits, base) else {
        return false;
    };
    if s.starts_with('-') {
        magnitude <= 1u128 << 63
    } else {
        // ParseUint covers values up to u64::MAX (it rejects a sign, ParseInt accepts "+").
        magnitude <= u128::from(u64::MAX)
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Whether `strconv.ParseFloat(s, 64)` succeeds without a range error, for the decimal forms
/// that reach it here.
fn go_parse_float(s: &str) -> bool {
    if !is_yaml_style_float(s) {
        return false;
    }
    match s.parse::<f64>() {
        Ok(f) => f.is_finite(),
        Err(_) => false,
    }
}

/// `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]: one digit, or a 0-5 digit followed by a digit.
        if i + 1 < b.len() && (b'0'..=b'5').contains(&b[i]) && b[i + 1].is_ascii_digit() {
            i += 2;
        } else if i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        } else {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// `parseTimestamp`: the YAML timestamp layouts go-yaml accepts when a scalar is plain.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    // Quick check: all date formats start with YYYY-.
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut p = Cursor { b, i: 5 };
    let Some(month) = p.number(1, 2) else {
        return false;
    };
    if !p.eat(b'-') {
        return false;
    }
    let Some(day) = p.number(1, 2) else {
        return false;
    };
    let year: u32 = s[..4].parse().unwrap_or(0);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return false;
    }
    if p.done() {
        // "2006-1-2"
        return true;
    }
    let with_zone = match p.peek() {
        Some(b'T') | Some(b't') => true,
        Some(b' ') => false,
        _ => return false,
    };
    p.i += 1;
    let (Some(hour), true, Some(minute), true, Some(second)) = (
        p.number(1, 2),
        p.eat(b':'),
        p.number(1, 2),
        p.eat(b':'),
        p.number(1, 2),
    ) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    if p.eat(b'.') {
        // Go accepts a fraction after the seconds even when the layout has none of 9s.
        let start = p.i;
        while p.peek().is_some_and(|c| c.is_ascii_digit()) {
            p.i += 1;
        }
        if p.i == start {
            return false;
        }
    }
    if !with_zone {
        return p.done();
    }
    if p.eat(b'Z') {
        return p.done();
    }
    // ±hh:mm
    let Some(sign) = p.peek() else {
        return false;
    };
    if sign != b'+' && sign != b'-' {
        return false;
    }
    p.i += 1;
    let hh = p.fixed(2);
    let colon = p.eat(b':');
    let mm = p.fixed(2);
    matches!((hh, colon, mm), (Some(h), true, Some(m)) if h < 24 && m < 60) && p.done()
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// `min..=max` digits (Go's `1`/`01` style fields take one or two).
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        while self.i - start < max && self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.i - start < min {
            return None;
        }
        std::str::from_utf8(&self.b[start..self.i])
            .ok()?
            .parse()
            .ok()
    }

    fn fixed(&mut self, n: usize) -> Option<u32> {
        self.number(n, n)
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scalar(s: &str) -> String {
        to_yaml(&json!({ "k": s }))
    }

    #[test]
    fn quoting_follows_go_yaml_v2() {
        let cases = [
            ("nginx", "k: nginx\n"),
            ("", "k: \"\"\n"),
            ("12345", "k: \"12345\"\n"),
            ("1.5", "k: \"1.5\"\n"),
            ("1e3", "k: \"1e3\"\n"),
            ("0x1F", "k: \"0x1F\"\n"),
            ("08", "k: \"08\"\n"),
            ("1_000", "k: \"1_000\"\n"),
            ("true", "k: \"true\"\n"),
            ("yes", "k: \"yes\"\n"),
            ("No", "k: \"No\"\n"),
            ("on", "k: \"on\"\n"),
            ("null", "k: \"null\"\n"),
            ("~", "k: \"~\"\n"),
            (".inf", "k: \".inf\"\n"),
            ("2026-11-22T08:00:00Z", "k: \"2026-11-22T08:00:00Z\"\n"),
            ("2026-11-22", "k: \"2026-11-22\"\n"),
            ("2026-11-22 08:00:01.5", "k: \"2026-11-22 08:00:01.5\"\n"),
            ("1:20", "k: \"1:20\"\n"),
            ("100m", "k: 100m\n"),
            ("1.2.3", "k: 1.2.3\n"),
            ("v1.34.1", "k: v1.34.1\n"),
            ("10.244.0.0/16", "k: 10.244.0.0/16\n"),
            ("https://172.30.1.2:2379", "k: https://172.30.1.2:2379\n"),
            ("*", "k: '*'\n"),
            ("a: b", "k: 'a: b'\n"),
            ("- x", "k: '- x'\n"),
            ("-x", "k: -x\n"),
            (":NoExecute", "k: :NoExecute\n"),
            ("it's", "k: it's\n"),
            ("'q'", "k: '''q'''\n"),
            ("# c", "k: '# c'\n"),
            ("a #b", "k: 'a #b'\n"),
            (" lead", "k: ' lead'\n"),
            ("trail ", "k: 'trail '\n"),
            ("tab\there", "k: \"tab\\there\"\n"),
            ("emoji 😀", "k: \"emoji \\U0001F600\"\n"),
            ("café", "k: café\n"),
            ("{\"a\":1}", "k: '{\"a\":1}'\n"),
        ];
        for (input, want) in cases {
            assert_eq!(scalar(input), want, "{input:?}");
        }
    }

    #[test]
    fn numbers_and_other_scalars() {
        // The key "n" would read back as a YAML 1.1 boolean, so it is quoted.
        let v = json!({"i": 2000001000, "f": 0.5, "big": 1e21, "t": true, "n": null, "neg": -3});
        assert_eq!(
            to_yaml(&v),
            "big: 1e+21\nf: 0.5\ni: 2000001000\n\"n\": null\nneg: -3\nt: true\n"
        );
    }

    #[test]
    fn literal_blocks_and_chomping() {
        assert_eq!(scalar("a\nb\n"), "k: |\n  a\n  b\n");
        assert_eq!(scalar("a\nb"), "k: |-\n  a\n  b\n");
        assert_eq!(scalar("a\n\n"), "k: |+\n  a\n\n");
        assert_eq!(scalar("\n"), "k: |2+\n\n");
        assert_eq!(scalar(" a\nb"), "k: |2-\n   a\n  b\n");
        assert_eq!(scalar("a\n\nb\n"), "k: |\n  a\n\n  b\n");
        // A space before a line break rules out the block style.
        assert_eq!(scalar("a \nb"), "k: \"a \\nb\"\n");
        // Literal blocks keep nesting.
        let nested = to_yaml(&json!({"data": {"Corefile": ".:53 {\n    errors\n}\n"}}));
        assert_eq!(
            nested,
            "data:\n  Corefile: |\n    .:53 {\n        errors\n    }\n"
        );
    }

    #[test]
    fn collections_layout() {
        let v = json!({
            "spec": {
                "containers": [
                    {"name": "etcd", "command": ["etcd", "--name=controlplane"], "ports": []},
                ],
                "empty": {},
                "nested": [[1, 2], {"a": {}}],
            },
            "apiVersion": "v1",
        });
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1\n\
             spec:\n\
             \x20 containers:\n\
             \x20 - command:\n\
             \x20   - etcd\n\
             \x20   - --name=controlplane\n\
             \x20   name: etcd\n\
             \x20   ports: []\n\
             \x20 empty: {}\n\
             \x20 nested:\n\
             \x20 - - 1\n\
             \x20   - 2\n\
             \x20 - a: {}\n"
        );
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(to_yaml(&json!([])), "[]\n");
        assert_eq!(to_yaml(&json!(["a"])), "- a\n");
    }

    #[test]
    fn keys_sort_naturally() {
        let v = json!({"a10": 1, "a9": 2, "B": 3, "a": 4, "_x": 5, "~y": 6, "1": 7});
        assert_eq!(
            to_yaml(&v),
            // Symbols sort before digit runs, which sort before letters.
            "_x: 5\n~y: 6\n\"1\": 7\nB: 3\na: 4\na9: 2\na10: 1\n"
        );
    }

    #[test]
    fn long_strings_fold_at_80_columns() {
        let message = "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
        let got = to_yaml(&json!({"status": {"conditions": [{"message": message}]}}));
        assert_eq!(
            got,
            "status:\n  conditions:\n  - message: '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:\n      }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'\n"
        );
        let plain = "word ".repeat(20);
        let plain = plain.trim_end();
        assert_eq!(
            to_yaml(&json!({ "k": plain })),
            "k: word word word word word word word word word word word word word word word word\n  word word word word\n"
        );
    }

    #[test]
    fn long_and_multiline_keys_are_complex() {
        let long = "k".repeat(129);
        assert_eq!(
            to_yaml(&json!({ long.clone(): 1 })),
            format!("? {long}\n: 1\n")
        );
        assert_eq!(to_yaml(&json!({"a\nb": "v"})), "? |-\n  a\n  b\n: v\n");
    }
}
