//! `kubectl get -o jsonpath=...`: a port of `staging/src/k8s.io/client-go/util/jsonpath`
//! (`parser.go`, `jsonpath.go`, `node.go`, and the comparison helpers of
//! `third_party/forked/golang/template`) over the unstructured object kubectl queries, plus the
//! error wrapping of `staging/src/k8s.io/cli-runtime/pkg/printers/jsonpath.go` and
//! `genericclioptions/jsonpath_flags.go`.
//!
//! Supported, with upstream's exact semantics and error texts: fields (`.a.b`, escaped dots
//! `app\.kubernetes\.io/name`, `['key']`), `*`, `..` recursive descent, indexes and slices
//! (`[0]`, `[-1:]`, `[1:5:2]`), unions (`[0,2]`, `['a','b']`), filters
//! (`[?(@.status.phase=="Running")]`, `!=`, `<`, `>`, `<=`, `>=`, existence `[?(@.x)]`),
//! `{range ...}{end}`, quoted text (`{"\n"}`), numbers and booleans, literal text outside
//! braces, JSON printing of maps and lists, and `AllowMissingKeys`.
//!
//! Deliberate deviations: Go iterates maps in random order for `*` and `..`; this port visits
//! keys in sorted order, so the output is deterministic. Where the Go code would panic (a
//! `range` over `null` items followed by an index), this port reports an error instead.
//! Templates nested deeper than 64 filters/unions/ranges are rejected rather than risking the
//! stack.

use std::borrow::Cow;
use std::fmt;

use serde_json::{Number, Value};

use super::gofmt::{json_compact, json_indent, quote, sharp_v, sprint, type_name, GoNumber};

const MAX_NESTING: usize = 64;

/// One slice parameter (`ParamsEntry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

/// A parsed template node (`node.go`).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    Identifier(String),
    Array([Param; 3]),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
}

/// A parsed JSONPath template.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    template: String,
    root: Vec<Node>,
}

/// Why `kubectl get -o jsonpath=...` failed, worded as kubectl words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonPathError {
    /// The template does not parse (`error parsing jsonpath <template>, <reason>`).
    Parse {
        /// The template as given.
        template: String,
        /// The parser's reason, e.g. `unclosed action`.
        reason: String,
    },
    /// Evaluation failed (`error executing jsonpath "<template>": Error executing template:
    /// ...`), with kubectl's dump of the queried object.
    Execute {
        /// The template as given.
        template: String,
        /// The evaluator's reason, e.g. `array index out of bounds: index 0, length 0`.
        reason: String,
        /// `%#v` of the object the template ran on.
        object: String,
    },
}

impl JsonPathError {
    /// The bare reason, as custom-columns reports it.
    pub fn reason(&self) -> &str {
        match self {
            JsonPathError::Parse { reason, .. } | JsonPathError::Execute { reason, .. } => reason,
        }
    }
}

/// The message after kubectl's `error: ` prefix (kubectl prints `error: {self}` and a
/// newline if the message does not already end with one).
impl fmt::Display for JsonPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonPathError::Parse { template, reason } => {
                write!(f, "error parsing jsonpath {template}, {reason}")
            }
            JsonPathError::Execute {
                template,
                reason,
                object,
            } => write!(
                f,
                "error executing jsonpath {}: Error executing template: {reason}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{object}\n\n\n",
                quote(template)
            ),
        }
    }
}

impl std::error::Error for JsonPathError {}

impl JsonPath {
    /// `jsonpath.Parse`: the parser's error text on failure (`unclosed action`, ...).
    pub fn parse(template: &str) -> Result<JsonPath, String> {
        let root = Parser::new(template, 0).parse()?;
        Ok(JsonPath {
            template: template.to_string(),
            root,
        })
    }

    /// The template text.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// `JSONPath.FindResults`: the values of each top-level piece of the template.
    pub fn find_results(
        &self,
        data: &Value,
        allow_missing_keys: bool,
    ) -> Result<Vec<Vec<Value>>, String> {
        let mut exec = Exec {
            allow_missing_keys,
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            last_end_node: None,
            depth: 0,
        };
        let results = exec.find_results(Item::Json(Cow::Borrowed(data)), &self.root, 0)?;
        Ok(results
            .into_iter()
            .map(|group| group.into_iter().map(Item::into_value).collect())
            .collect())
    }

    /// `JSONPath.Execute`: the text the template prints for `data`. With `json_output`
    /// (`-o jsonpath-as-json`) each piece prints as an indented JSON array.
    pub fn execute(
        &self,
        data: &Value,
        allow_missing_keys: bool,
        json_output: bool,
    ) -> Result<String, String> {
        let mut exec = Exec {
            allow_missing_keys,
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            last_end_node: None,
            depth: 0,
        };
        let results = exec.find_results(Item::Json(Cow::Borrowed(data)), &self.root, 0)?;
        let mut out = String::new();
        for group in results {
            print_results(&mut out, group, json_output);
        }
        Ok(out)
    }
}

/// What `kubectl get -o jsonpath=TEMPLATE` prints for `data` (a single object, or the `List`
/// wrapper for several). `allow_missing_keys` is `--allow-missing-template-keys` (default
/// true); `json_output` selects `-o jsonpath-as-json`.
pub fn print_jsonpath(
    template: &str,
    data: &Value,
    allow_missing_keys: bool,
    json_output: bool,
) -> Result<String, JsonPathError> {
    let path = JsonPath::parse(template).map_err(|reason| JsonPathError::Parse {
        template: template.to_string(),
        reason,
    })?;
    path.execute(data, allow_missing_keys, json_output)
        .map_err(|reason| JsonPathError::Execute {
            template: template.to_string(),
            reason,
            object: sharp_v(data),
        })
}

// ---------------------------------------------------------------------------------------
// Parsing (parser.go)
// ---------------------------------------------------------------------------------------

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    width: usize,
    depth: usize,
    root: Vec<Node>,
}

enum Step {
    Text,
    Action,
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_end_of_line(c: char) -> bool {
    c == '\r' || c == '\n'
}

fn is_go_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

fn is_alpha_numeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || is_go_digit(c)
}

/// `isTerminator`; `None` is end of input.
fn is_terminator(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            is_space(c)
                || is_end_of_line(c)
                || matches!(c, '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
        }
    }
}

/// Go's `%#U`: `U+0023 '#'`.
fn format_rune(c: char) -> String {
    let code = format!("U+{:04X}", c as u32);
    if c.is_control() {
        code
    } else {
        format!("{code} '{c}'")
    }
}

impl<'a> Parser<'a> {
    fn new(input: &'a str, depth: usize) -> Parser<'a> {
        Parser {
            input,
            pos: 0,
            start: 0,
            width: 0,
            depth,
            root: Vec::new(),
        }
    }

    fn next(&mut self) -> Option<char> {
        match self.input[self.pos..].chars().next() {
            None => {
                self.width = 0;
                None
            }
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn backup(&mut self) {
        self.pos -= self.width;
        self.width = 0;
    }

    fn consume_text(&mut self) -> &'a str {
        let value = &self.input[self.start..self.pos];
        self.start = self.pos;
        value
    }

    /// Appends to the action being filled (the last node of the root, which `{` pushes).
    fn push(&mut self, node: Node) {
        if let Some(Node::List(nodes)) = self.root.last_mut() {
            nodes.push(node);
            return;
        }
        self.root.push(Node::List(vec![node]));
    }

    /// The last node of the action being filled.
    fn last_in_action(&self) -> Option<&Node> {
        match self.root.last() {
            Some(Node::List(nodes)) => nodes.last(),
            _ => None,
        }
    }

    fn parse(mut self) -> Result<Vec<Node>, String> {
        if self.depth > MAX_NESTING {
            return Err("template nesting too deep".to_string());
        }
        // parseText and parseInsideAction call each other in tail position; a loop keeps
        // long templates off the stack.
        let mut step = Step::Text;
        loop {
            step = match step {
                Step::Text => {
                    if !self.parse_text() {
                        return Ok(self.root);
                    }
                    Step::Action
                }
                Step::Action => match self.parse_inside_action()? {
                    Some(next) => next,
                    None => return Ok(self.root),
                },
            };
        }
    }

    /// Scans literal text; returns whether a `{` starts an action.
    fn parse_text(&mut self) -> bool {
        loop {
            if self.input[self.pos..].starts_with('{') {
                if self.pos > self.start {
                    let text = self.consume_text().to_string();
                    self.root.push(Node::Text(text));
                }
                // parseLeftDelim
                self.pos += 1;
                self.consume_text();
                self.root.push(Node::List(Vec::new()));
                return true;
            }
            if self.next().is_none() {
                break;
            }
        }
        if self.pos > self.start {
            let text = self.consume_text().to_string();
            self.root.push(Node::Text(text));
        }
        false
    }

    /// One step of `parseInsideAction`: the step to take next, or `None` at the end.
    fn parse_inside_action(&mut self) -> Result<Option<Step>, String> {
        let rest = &self.input[self.pos..];
        if rest.starts_with('}') {
            // parseRightDelim
            self.pos += 1;
            self.consume_text();
            return Ok(Some(Step::Text));
        }
        if rest.starts_with("[?(") {
            self.parse_filter()?;
            return Ok(Some(Step::Action));
        }
        if rest.starts_with("..") {
            self.parse_recursive()?;
            return Ok(Some(Step::Action));
        }
        match self.next() {
            None => return Err("unclosed action".to_string()),
            Some(r) if is_end_of_line(r) => return Err("unclosed action".to_string()),
            Some(' ') | Some('@') | Some('$') => {
                self.consume_text();
            }
            Some('[') => self.parse_array()?,
            Some(r @ ('"' | '\'')) => self.parse_quote(r)?,
            Some('.') => self.parse_field(),
            Some(r) if r == '+' || r == '-' || is_go_digit(r) => {
                self.backup();
                self.parse_number()?;
            }
            Some(r) if is_alpha_numeric(r) => {
                self.backup();
                self.parse_identifier();
            }
            Some(r) => {
                return Err(format!(
                    "unrecognized character in action: {}",
                    format_rune(r)
                ))
            }
        }
        Ok(Some(Step::Action))
    }

    fn parse_identifier(&mut self) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let value = self.consume_text().to_string();
        match value.as_str() {
            "true" => self.push(Node::Bool(true)),
            "false" => self.push(Node::Bool(false)),
            _ => self.push(Node::Identifier(value)),
        }
    }

    fn parse_recursive(&mut self) -> Result<(), String> {
        if matches!(self.last_in_action(), Some(Node::Recursive)) {
            return Err("invalid multiple recursive descent".to_string());
        }
        self.pos += 2;
        self.consume_text();
        self.push(Node::Recursive);
        if self.peek().is_some_and(is_alpha_numeric) {
            self.parse_field();
        }
        Ok(())
    }

    fn parse_number(&mut self) -> Result<(), String> {
        if matches!(self.peek(), Some('+') | Some('-')) {
            self.next();
        }
        loop {
            match self.next() {
                Some(r) if r == '.' || is_go_digit(r) => (),
                _ => {
                    self.backup();
                    break;
                }
            }
        }
        let value = self.consume_text();
        if let Ok(i) = value.parse::<i64>() {
            self.push(Node::Int(i));
            return Ok(());
        }
        match value.parse::<f64>() {
            Ok(f)
                if f.is_finite()
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b"+-.".contains(&b)) =>
            {
                self.push(Node::Float(f));
                Ok(())
            }
            _ => Err(format!("cannot parse number {value}")),
        }
    }

    fn parse_array(&mut self) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".to_string()),
                Some(']') => break,
                Some(_) => (),
            }
        }
        let text = self.consume_text();
        let mut text = &text[1..text.len() - 1];
        if text == "*" {
            text = ":";
        }

        // Union operator.
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for part in parts {
                let inner = format!("[{}]", part.trim_matches(' '));
                union.push(parse_action(&inner, self.depth + 1)?);
            }
            self.push(Node::Union(union));
            return Ok(());
        }

        // Dict key: '^'([^']*)'$'.
        if text.len() >= 2
            && text.starts_with('\'')
            && text.ends_with('\'')
            && !text[1..text.len() - 1].contains('\'')
        {
            let nodes = parse_action(&format!(".{}", &text[1..text.len() - 1]), self.depth + 1)?;
            for node in nodes {
                self.push(node);
            }
            return Ok(());
        }

        // Slice operator.
        let Some(groups) = slice_groups(text) else {
            return Err(format!("invalid array index {text}"));
        };
        let mut params = [Param::default(); 3];
        for i in 0..3 {
            let mut value = groups[i].unwrap_or("");
            if !value.is_empty() {
                if i > 0 {
                    value = &value[1..];
                }
                if i > 0 && value.is_empty() {
                    params[i].known = false;
                } else {
                    params[i].known = true;
                    params[i].value = value
                        .parse::<i64>()
                        .map_err(|_| format!("array index {value} is not a number"))?;
                }
            } else if i == 1 {
                params[i].known = true;
                params[i].value = params[0].value.saturating_add(1);
                params[i].derived = true;
            } else {
                params[i].known = false;
                params[i].value = 0;
            }
        }
        self.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self) -> Result<(), String> {
        self.pos += 3;
        self.consume_text();
        let mut begin = false;
        let mut end = false;
        let mut pair = '\0';
        loop {
            let r = self.next();
            match r {
                None | Some('\n') => return Err("unterminated filter".to_string()),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    let before = self.input.as_bytes().get(self.pos.wrapping_sub(2)).copied();
                    if before != Some(b'\\') && q == pair {
                        end = true;
                    }
                }
                Some(')') => {
                    if begin == end {
                        break;
                    }
                }
                Some(_) => (),
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".to_string());
        }
        let text = self.consume_text();
        let text = &text[..text.len() - 2];
        match split_filter(text) {
            None => {
                let left = parse_action(text, self.depth + 1)?;
                self.push(Node::Filter {
                    left,
                    right: Vec::new(),
                    op: "exists".to_string(),
                });
            }
            Some((left, op, right)) => {
                let left = parse_action(left, self.depth + 1)?;
                let right = parse_action(right, self.depth + 1)?;
                self.push(Node::Filter {
                    left,
                    right,
                    op: op.to_string(),
                });
            }
        }
        Ok(())
    }

    fn parse_quote(&mut self, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".to_string()),
                Some(c) if c == end => {
                    let before = self.input.as_bytes().get(self.pos.wrapping_sub(2)).copied();
                    if before != Some(b'\\') {
                        break;
                    }
                }
                Some(_) => (),
            }
        }
        let value = self.consume_text();
        let s =
            unquote_extend(value).map_err(|err| format!("unquote string {value} error {err}"))?;
        self.push(Node::Text(s));
        Ok(())
    }

    fn parse_field(&mut self) {
        self.consume_text();
        loop {
            let r = self.next();
            if r == Some('\\') {
                self.next();
            } else if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        if value == "*" {
            self.push(Node::Wildcard);
        } else {
            self.push(Node::Field(value.replace('\\', "")));
        }
    }
}

/// `parseAction`: parses `{text}` and returns the nodes of its first action.
fn parse_action(text: &str, depth: usize) -> Result<Vec<Node>, String> {
    let wrapped = format!("{{{text}}}");
    let nodes = Parser::new(&wrapped, depth).parse()?;
    match nodes.into_iter().next() {
        Some(Node::List(nodes)) => Ok(nodes),
        _ => Ok(Vec::new()),
    }
}

/// `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$`: the three groups, `None` when a group is absent.
fn slice_groups(text: &str) -> Option<[Option<&str>; 3]> {
    fn signed_digits(s: &str) -> usize {
        let b = s.as_bytes();
        let mut i = 0;
        if i < b.len() && b[i] == b'-' {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    }
    let first = signed_digits(text);
    let mut groups = [Some(&text[..first]), None, None];
    let mut rest = &text[first..];
    for group in groups.iter_mut().skip(1) {
        if let Some(after) = rest.strip_prefix(':') {
            let len = 1 + signed_digits(after);
            *group = Some(&rest[..len]);
            rest = &rest[len..];
        }
    }
    if rest.is_empty() {
        Some(groups)
    } else {
        None
    }
}

/// `^([^!<>=]+)([!<>=]+)(.+?)$`: left operand, operator and right operand of a filter.
fn split_filter(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    if text.contains('\n') {
        return None;
    }
    let op_start = text.find(is_op)?;
    if op_start == 0 {
        return None;
    }
    let after = &text[op_start..];
    let op_len = after.find(|c: char| !is_op(c)).unwrap_or(after.len());
    if op_len < after.len() {
        return Some((&text[..op_start], &after[..op_len], &after[op_len..]));
    }
    // The operator run reaches the end; the regex backtracks one operator character into
    // the right operand.
    if op_len >= 2 {
        return Some((
            &text[..op_start],
            &after[..op_len - 1],
            &after[op_len - 1..],
        ));
    }
    None
}

/// `UnquoteExtend`: Go string unquoting that also accepts single-quoted strings.
fn unquote_extend(s: &str) -> Result<String, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    let bytes = s.as_bytes();
    if bytes.len() < 2 {
        return Err(SYNTAX);
    }
    let quote = bytes[0];
    if quote != bytes[bytes.len() - 1] || (quote != b'"' && quote != b'\'') {
        return Err(SYNTAX);
    }
    let inner = &s[1..s.len() - 1];
    if !inner.contains('\\') && !inner.contains(quote as char) {
        return Ok(inner.to_string());
    }
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == quote as char {
            // strconv.UnquoteChar rejects an unescaped quote.
            return Err(SYNTAX);
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            return Err(SYNTAX);
        };
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '\'' | '"' => {
                if e as u32 != u32::from(quote) {
                    return Err(SYNTAX);
                }
                out.push(e);
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut v: u32 = 0;
                for _ in 0..n {
                    let d = chars.next().and_then(|c| c.to_digit(16)).ok_or(SYNTAX)?;
                    v = v * 16 + d;
                }
                if e == 'x' {
                    // A single byte; only ASCII forms a valid UTF-8 string on its own.
                    out.push(char::from_u32(v).filter(|_| v < 0x80).unwrap_or('\u{fffd}'));
                } else {
                    out.push(char::from_u32(v).ok_or(SYNTAX)?);
                }
            }
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    let d = chars.next().and_then(|c| c.to_digit(8)).ok_or(SYNTAX)?;
                    v = v * 8 + d;
                }
                if v > 255 {
                    return Err(SYNTAX);
                }
                out.push(char::from_u32(v).filter(|_| v < 0x80).unwrap_or('\u{fffd}'));
            }
            _ => return Err(SYNTAX),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Evaluation (jsonpath.go)
// ---------------------------------------------------------------------------------------

/// A value during evaluation: a JSON value, or a byte from indexing into a string (Go
/// yields `uint8` elements there).
#[derive(Debug, Clone)]
enum Item<'a> {
    Json(Cow<'a, Value>),
    Byte(u8),
}

impl Item<'_> {
    fn into_value(self) -> Value {
        match self {
            Item::Json(v) => v.into_owned(),
            Item::Byte(b) => Value::Number(Number::from(b)),
        }
    }

    fn into_owned(self) -> Item<'static> {
        match self {
            Item::Json(v) => Item::Json(Cow::Owned(v.into_owned())),
            Item::Byte(b) => Item::Byte(b),
        }
    }

    fn json(&self) -> Option<&Value> {
        match self {
            Item::Json(v) => Some(v),
            Item::Byte(_) => None,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Item::Json(v) => type_name(v),
            Item::Byte(_) => "uint8",
        }
    }

    fn sprint(&self) -> String {
        match self {
            Item::Json(v) => sprint(v),
            Item::Byte(b) => b.to_string(),
        }
    }
}

fn text_item(s: String) -> Item<'static> {
    Item::Json(Cow::Owned(Value::String(s)))
}

/// The children of a value, as `*` and `..` visit them.
fn children<'a>(item: &Item<'a>) -> Vec<Item<'a>> {
    match item {
        Item::Json(Cow::Borrowed(v)) => borrowed_children(v),
        Item::Json(Cow::Owned(v)) => borrowed_children(v)
            .into_iter()
            .map(Item::into_owned)
            .collect(),
        Item::Byte(_) => Vec::new(),
    }
}

fn borrowed_children(v: &Value) -> Vec<Item<'_>> {
    match v {
        Value::Object(map) => map.values().map(|c| Item::Json(Cow::Borrowed(c))).collect(),
        Value::Array(items) => items.iter().map(|c| Item::Json(Cow::Borrowed(c))).collect(),
        Value::String(s) => s.bytes().map(Item::Byte).collect(),
        _ => Vec::new(),
    }
}

struct Exec {
    allow_missing_keys: bool,
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    // Index (into the top-level node list) of the most recent `{end}`.
    last_end_node: Option<usize>,
    depth: usize,
}

/// A node's results with the error Go returns alongside them (Go's `(values, err)` pairs:
/// some callers look at the values even when there is an error).
type Walked<'a> = (Vec<Item<'a>>, Option<String>);

impl Exec {
    /// `FindResults` over the top-level nodes `nodes[offset..]` (ranges recurse on the rest).
    fn find_results<'a>(
        &mut self,
        data: Item<'a>,
        nodes: &[Node],
        offset: usize,
    ) -> Result<Vec<Vec<Item<'a>>>, String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err("template nesting too deep".to_string());
        }
        let result = self.find_results_inner(data, nodes, offset);
        self.depth -= 1;
        result
    }

    fn find_results_inner<'a>(
        &mut self,
        data: Item<'a>,
        nodes: &[Node],
        offset: usize,
    ) -> Result<Vec<Vec<Item<'a>>>, String> {
        let mut full = Vec::new();
        let mut i = offset;
        while i < nodes.len() {
            let cur = vec![data.clone()];
            let (results, err) = self.walk(cur, &nodes[i]);
            if let Some(err) = err {
                return Err(err);
            }
            // An end node closes the current block.
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end_node = Some(i);
                break;
            }
            // A range node starts a loop over the rest of the template.
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                if results.is_empty() {
                    // Walk the body anyway so the position advances to its end node.
                    self.find_results(Item::Json(Cow::Owned(Value::Null)), nodes, i + 1)?;
                } else {
                    for value in results {
                        let value = value.into_owned();
                        let nested = self.find_results(value, nodes, i + 1)?;
                        full.extend(
                            nested
                                .into_iter()
                                .map(|g| g.into_iter().map(Item::into_owned).collect()),
                        );
                    }
                }
                self.in_range -= 1;
                // Resume after the most recent end node.
                if let Some(end) = self.last_end_node {
                    if end > i && end < nodes.len() {
                        i = end;
                    }
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn walk<'a>(&mut self, input: Vec<Item<'a>>, node: &Node) -> Walked<'a> {
        match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(text) => (vec![text_item(text.clone())], None),
            Node::Field(name) => self.eval_field(input, name),
            Node::Array(params) => eval_array(input, *params),
            Node::Filter { left, right, op } => self.eval_filter(input, left, right, op),
            Node::Int(i) => {
                let n = input.len();
                (
                    (0..n)
                        .map(|_| Item::Json(Cow::Owned(Value::Number(Number::from(*i)))))
                        .collect(),
                    None,
                )
            }
            Node::Float(f) => {
                let n = input.len();
                let v = Number::from_f64(*f).map_or(Value::Null, Value::Number);
                (
                    (0..n).map(|_| Item::Json(Cow::Owned(v.clone()))).collect(),
                    None,
                )
            }
            Node::Bool(b) => {
                let n = input.len();
                (
                    (0..n)
                        .map(|_| Item::Json(Cow::Owned(Value::Bool(*b))))
                        .collect(),
                    None,
                )
            }
            Node::Wildcard => (input.iter().flat_map(children).collect(), None),
            Node::Recursive => (eval_recursive(input), None),
            Node::Union(lists) => {
                let mut result = Vec::new();
                for list in lists {
                    let (temp, err) = self.eval_list(input.clone(), list);
                    if err.is_some() {
                        return (input, err);
                    }
                    result.extend(temp);
                }
                (result, None)
            }
            Node::Identifier(name) => match name.as_str() {
                "range" => {
                    self.begin_range += 1;
                    (input, None)
                }
                "end" => {
                    if self.in_range > 0 {
                        self.end_range += 1;
                        (Vec::new(), None)
                    } else {
                        (Vec::new(), Some("not in range, nothing to end".to_string()))
                    }
                }
                _ => (input, Some(format!("unrecognized identifier {name}"))),
            },
        }
    }

    fn eval_list<'a>(&mut self, input: Vec<Item<'a>>, nodes: &[Node]) -> Walked<'a> {
        let mut cur = input;
        for node in nodes {
            let (next, err) = self.walk(cur, node);
            if err.is_some() {
                return (next, err);
            }
            cur = next;
        }
        (cur, None)
    }

    fn eval_field<'a>(&mut self, input: Vec<Item<'a>>, name: &str) -> Walked<'a> {
        if input.is_empty() {
            return (Vec::new(), None);
        }
        let mut results = Vec::new();
        for item in input {
            match item {
                Item::Json(Cow::Borrowed(Value::Object(map))) => {
                    if let Some(v) = map.get(name) {
                        results.push(Item::Json(Cow::Borrowed(v)));
                    }
                }
                Item::Json(Cow::Owned(Value::Object(mut map))) => {
                    if let Some(v) = map.remove(name) {
                        results.push(Item::Json(Cow::Owned(v)));
                    }
                }
                _ => (),
            }
        }
        if results.is_empty() && !self.allow_missing_keys {
            return (results, Some(format!("{name} is not found")));
        }
        (results, None)
    }

    fn eval_filter<'a>(
        &mut self,
        input: Vec<Item<'a>>,
        left: &[Node],
        right: &[Node],
        op: &str,
    ) -> Walked<'a> {
        let mut results = Vec::new();
        for value in &input {
            if !matches!(value.json(), Some(Value::Array(_))) {
                let err = format!(
                    "{} is not array or slice and cannot be filtered",
                    value.sprint()
                );
                return (input.clone(), Some(err));
            }
            for elem in children(value) {
                let (lefts, err) = self.eval_list(vec![elem.clone()], left);
                if op == "exists" {
                    if !lefts.is_empty() {
                        results.push(elem);
                    }
                    continue;
                }
                if err.is_some() {
                    return (input.clone(), err);
                }
                let left_value = match lefts.len() {
                    0 => continue,
                    1 => lefts.into_iter().next(),
                    _ => {
                        return (
                            input.clone(),
                            Some("can only compare one element at a time".to_string()),
                        )
                    }
                };
                let (rights, err) = self.eval_list(vec![elem.clone()], right);
                if err.is_some() {
                    return (input.clone(), err);
                }
                let right_value = match rights.len() {
                    0 => continue,
                    1 => rights.into_iter().next(),
                    _ => {
                        return (
                            input.clone(),
                            Some("can only compare one element at a time".to_string()),
                        )
                    }
                };
                let (Some(l), Some(r)) = (left_value, right_value) else {
                    continue;
                };
                let pass = match op {
                    "<" => less(&l, &r),
                    ">" => less_equal(&l, &r).map(|b| !b),
                    "==" => equal(&l, &r),
                    "!=" => equal(&l, &r).map(|b| !b),
                    "<=" => less_equal(&l, &r),
                    ">=" => less(&l, &r).map(|b| !b),
                    _ => {
                        return (results, Some(format!("unrecognized filter operator {op}")));
                    }
                };
                match pass {
                    Ok(true) => results.push(elem),
                    Ok(false) => (),
                    Err(err) => return (results, Some(err.to_string())),
                }
            }
        }
        (results, None)
    }
}

fn eval_array(input: Vec<Item<'_>>, node_params: [Param; 3]) -> Walked<'_> {
    let mut result = Vec::new();
    for value in &input {
        if matches!(value.json(), Some(Value::Null)) {
            continue;
        }
        let Some(Value::Array(items)) = value.json() else {
            let err = format!("{} is not array or slice", value.type_name());
            return (input.clone(), Some(err));
        };
        let len = items.len() as i64;
        let mut params = node_params;
        if !params[0].known {
            params[0].value = 0;
        }
        if params[0].value < 0 {
            params[0].value = params[0].value.saturating_add(len);
        }
        if !params[1].known {
            params[1].value = len;
        }
        if params[1].value < 0 || (params[1].value == 0 && params[1].derived) {
            params[1].value = params[1].value.saturating_add(len);
        }
        let (start, end) = (params[0].value, params[1].value);
        if end == start {
            // Requesting zero elements ends the whole evaluation here, as upstream does.
            return (result, None);
        }
        if start >= len || start < 0 {
            let err = format!("array index out of bounds: index {start}, length {len}");
            return (input.clone(), Some(err));
        }
        if end > len || end < 0 {
            let err = format!(
                "array index out of bounds: index {}, length {len}",
                end.saturating_sub(1)
            );
            return (input.clone(), Some(err));
        }
        if start > end {
            let err = format!("starting index {start} is greater than ending index {end}");
            return (input.clone(), Some(err));
        }
        let step = if params[2].known {
            if params[2].value <= 0 {
                return (input.clone(), Some("step must be > 0".to_string()));
            }
            usize::try_from(params[2].value).unwrap_or(usize::MAX)
        } else {
            1
        };
        let slice = children(value);
        result.extend(
            slice
                .into_iter()
                .skip(start as usize)
                .take((end - start) as usize)
                .step_by(step),
        );
    }
    (result, None)
}

/// `evalRecursive`: every value that has children, followed by its descendants, depth first.
fn eval_recursive(input: Vec<Item<'_>>) -> Vec<Item<'_>> {
    let mut result = Vec::new();
    // An explicit stack keeps deep documents off the call stack: each entry is a pending
    // list of siblings, visited in order.
    let mut stack: Vec<std::vec::IntoIter<Item<'_>>> = vec![input.into_iter()];
    while let Some(top) = stack.last_mut() {
        let Some(value) = top.next() else {
            stack.pop();
            continue;
        };
        let kids = children(&value);
        if !kids.is_empty() {
            result.push(value);
            stack.push(kids.into_iter());
        }
    }
    result
}

/// The `basicKind` of a value, for comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BasicKind {
    Bool,
    Int,
    Uint,
    Float,
    String,
}

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const BAD_COMPARISON: &str = "incompatible types for comparison";

fn basic_kind(item: &Item<'_>) -> Result<BasicKind, &'static str> {
    match item {
        Item::Byte(_) => Ok(BasicKind::Uint),
        Item::Json(v) => match &**v {
            Value::Bool(_) => Ok(BasicKind::Bool),
            Value::Number(n) => Ok(match GoNumber::of(n) {
                GoNumber::Int(_) => BasicKind::Int,
                GoNumber::Float(_) => BasicKind::Float,
            }),
            Value::String(_) => Ok(BasicKind::String),
            _ => Err(BAD_COMPARISON_TYPE),
        },
    }
}

fn as_int(item: &Item<'_>) -> i64 {
    item.json().and_then(Value::as_i64).unwrap_or(0)
}

fn as_uint(item: &Item<'_>) -> u64 {
    match item {
        Item::Byte(b) => u64::from(*b),
        Item::Json(v) => v.as_u64().unwrap_or(0),
    }
}

fn as_float(item: &Item<'_>) -> f64 {
    item.json().and_then(Value::as_f64).unwrap_or(0.0)
}

fn as_str<'b>(item: &'b Item<'_>) -> &'b str {
    item.json().and_then(Value::as_str).unwrap_or("")
}

fn as_bool(item: &Item<'_>) -> bool {
    item.json().and_then(Value::as_bool).unwrap_or(false)
}

/// `template.Equal`.
fn equal(a: &Item<'_>, b: &Item<'_>) -> Result<bool, &'static str> {
    let k1 = basic_kind(a)?;
    let k2 = basic_kind(b)?;
    if k1 != k2 {
        return match (k1, k2) {
            (BasicKind::Int, BasicKind::Uint) => {
                Ok(as_int(a) >= 0 && as_int(a) as u64 == as_uint(b))
            }
            (BasicKind::Uint, BasicKind::Int) => {
                Ok(as_int(b) >= 0 && as_uint(a) == as_int(b) as u64)
            }
            _ => Err(BAD_COMPARISON),
        };
    }
    Ok(match k1 {
        BasicKind::Bool => as_bool(a) == as_bool(b),
        BasicKind::Float => as_float(a) == as_float(b),
        BasicKind::Int => as_int(a) == as_int(b),
        BasicKind::String => as_str(a) == as_str(b),
        BasicKind::Uint => as_uint(a) == as_uint(b),
    })
}

/// `template.Less`.
fn less(a: &Item<'_>, b: &Item<'_>) -> Result<bool, &'static str> {
    let k1 = basic_kind(a)?;
    let k2 = basic_kind(b)?;
    if k1 != k2 {
        return match (k1, k2) {
            (BasicKind::Int, BasicKind::Uint) => {
                Ok(as_int(a) < 0 || (as_int(a) as u64) < as_uint(b))
            }
            (BasicKind::Uint, BasicKind::Int) => {
                Ok(as_int(b) >= 0 && as_uint(a) < as_int(b) as u64)
            }
            _ => Err(BAD_COMPARISON),
        };
    }
    match k1 {
        BasicKind::Bool => Err(BAD_COMPARISON_TYPE),
        BasicKind::Float => Ok(as_float(a) < as_float(b)),
        BasicKind::Int => Ok(as_int(a) < as_int(b)),
        BasicKind::String => Ok(as_str(a) < as_str(b)),
        BasicKind::Uint => Ok(as_uint(a) < as_uint(b)),
    }
}

/// `template.LessEqual`.
fn less_equal(a: &Item<'_>, b: &Item<'_>) -> Result<bool, &'static str> {
    if less(a, b)? {
        return Ok(true);
    }
    equal(a, b)
}

/// `PrintResults`: maps and lists as compact JSON, other values as `fmt.Print` shows them,
/// separated by spaces.
fn print_results(out: &mut String, results: Vec<Item<'_>>, json_output: bool) {
    if json_output {
        let array = Value::Array(results.into_iter().map(Item::into_value).collect());
        out.push_str(&json_indent(&array));
        out.push('\n');
        return;
    }
    let n = results.len();
    for (i, item) in results.iter().enumerate() {
        match item {
            Item::Json(v) if v.is_object() || v.is_array() => out.push_str(&json_compact(v)),
            Item::Json(v) if v.is_null() => out.push_str("null"),
            other => out.push_str(&other.sprint()),
        }
        if i + 1 != n {
            out.push(' ');
        }
    }
}

#[cfg(test)]
mod tests;
