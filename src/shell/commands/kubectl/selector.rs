//! Label selectors as text (`-l app=web,tier in (a,b),!legacy`): a port of the lexer and
//! recursive-descent parser of `staging/src/k8s.io/apimachinery/pkg/labels/selector.go`
//! (`Parse`, `Lexer`, `Parser`, `NewRequirement`, `Requirement.Matches`), with its error texts.
//!
//! kubectl passes `-l` to the API server untouched and the server parses it, so a bad
//! selector comes back as a BadRequest; [`bad_request`] words it as the API server does.

use std::collections::BTreeMap;

use crate::apiserver::store::Resource;
use crate::apiserver::validation::names::{is_qualified_name, is_valid_label_value};

/// A selector operator (`selection.Operator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`.
    Equals,
    /// `==`.
    DoubleEquals,
    /// `!=`.
    NotEquals,
    /// `in (...)`.
    In,
    /// `notin (...)`.
    NotIn,
    /// A bare key.
    Exists,
    /// `!key`.
    DoesNotExist,
    /// `>` (`gt`).
    GreaterThan,
    /// `<` (`lt`).
    LessThan,
}

/// One requirement: a key, an operator and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// The operator.
    pub op: Op,
    /// The values (a set, sorted).
    pub values: Vec<String>,
}

/// A parsed selector: every requirement must hold. Empty matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelQuery {
    /// The requirements, sorted by key.
    pub requirements: Vec<Requirement>,
}

impl LabelQuery {
    /// `labels.Selector.Matches`.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }
}

impl Requirement {
    /// `Requirement.Matches`.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        match self.op {
            Op::Equals | Op::DoubleEquals | Op::In => {
                value.is_some_and(|v| self.values.contains(v))
            }
            Op::NotEquals | Op::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            Op::Exists => value.is_some(),
            Op::DoesNotExist => value.is_none(),
            Op::GreaterThan | Op::LessThan => {
                let (Some(have), Some(want)) = (
                    value.and_then(|v| v.parse::<i64>().ok()),
                    self.values.first().and_then(|v| v.parse::<i64>().ok()),
                ) else {
                    return false;
                };
                if self.op == Op::GreaterThan {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

/// The BadRequest the API server answers a list with an unparsable selector with.
pub fn bad_request(resource: Resource, selector: &str, why: &str) -> String {
    let group = resource.group();
    format!(
        "Unable to find \"{group}/v1, Resource={}\" that match label selector \"{selector}\", field selector \"\": {why}",
        resource.plural()
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Error,
    End,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn keyword(text: &str) -> Option<Token> {
    Some(match text {
        ")" => Token::ClosedPar,
        "," => Token::Comma,
        "!" => Token::DoesNotExist,
        "==" => Token::DoubleEquals,
        "=" => Token::Equals,
        ">" => Token::GreaterThan,
        "in" => Token::In,
        "<" => Token::LessThan,
        "!=" => Token::NotEquals,
        "notin" => Token::NotIn,
        "(" => Token::OpenPar,
        _ => return None,
    })
}

fn is_special(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The lexer: whitespace-separated identifiers and keywords, and runs of operator symbols
/// matched greedily against the known operators.
fn lex(input: &str) -> Vec<(Token, String)> {
    let bytes = input.as_bytes();
    let mut pos = 0;
    let mut items = Vec::new();
    loop {
        while pos < bytes.len() && is_space(bytes[pos]) {
            pos += 1;
        }
        if pos >= bytes.len() {
            items.push((Token::End, String::new()));
            return items;
        }
        if is_special(bytes[pos]) {
            let mut buffer = String::new();
            let mut last: Option<(Token, String)> = None;
            while pos < bytes.len() && is_special(bytes[pos]) {
                buffer.push(bytes[pos] as char);
                if let Some(tok) = keyword(&buffer) {
                    last = Some((tok, buffer.clone()));
                    pos += 1;
                } else if last.is_some() {
                    break;
                } else {
                    pos += 1;
                }
            }
            match last {
                Some(item) => items.push(item),
                None => items.push((
                    Token::Error,
                    format!("error expected: keyword found '{buffer}'"),
                )),
            }
            continue;
        }
        let start = pos;
        while pos < bytes.len() && !is_special(bytes[pos]) && !is_space(bytes[pos]) {
            pos += 1;
        }
        let text = String::from_utf8_lossy(&bytes[start..pos]).into_owned();
        match keyword(&text) {
            Some(tok) => items.push((tok, text)),
            None => items.push((Token::Identifier, text)),
        }
    }
}

struct Parser {
    items: Vec<(Token, String)>,
    position: usize,
}

/// In the values context `in` and `notin` are plain identifiers (`x in (in)`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

impl Parser {
    fn lookahead(&self, context: Context) -> (Token, String) {
        let (mut tok, lit) = self
            .items
            .get(self.position)
            .cloned()
            .unwrap_or((Token::End, String::new()));
        if context == Context::Values && matches!(tok, Token::In | Token::NotIn) {
            tok = Token::Identifier;
        }
        (tok, lit)
    }

    fn consume(&mut self, context: Context) -> (Token, String) {
        let item = self.lookahead(context);
        self.position += 1;
        item
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            let (tok, lit) = self.lookahead(Context::Values);
            match tok {
                Token::Identifier | Token::DoesNotExist => {
                    let r = self
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    let (t, l) = self.consume(Context::Values);
                    match t {
                        Token::End => return Ok(reqs),
                        Token::Comma => {
                            let (t2, l2) = self.lookahead(Context::Values);
                            if t2 != Token::Identifier && t2 != Token::DoesNotExist {
                                return Err(format!(
                                    "found '{l2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => return Err(format!("found '{l}', expected: ',' or 'end of string'")),
                    }
                }
                Token::End => return Ok(reqs),
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ))
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let (key, inferred) = self.key_and_inferred_operator()?;
        if let Some(op) = inferred {
            return new_requirement(key, op, Vec::new());
        }
        let op = self.operator()?;
        let values = match op {
            Op::In | Op::NotIn => self.values()?,
            _ => self.exact_value()?,
        };
        new_requirement(key, op, values)
    }

    fn key_and_inferred_operator(&mut self) -> Result<(String, Option<Op>), String> {
        let mut op = None;
        let (mut tok, mut lit) = self.consume(Context::Values);
        if tok == Token::DoesNotExist {
            op = Some(Op::DoesNotExist);
            (tok, lit) = self.consume(Context::Values);
        }
        if tok != Token::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        check_key(&lit, "")?;
        let (next, _) = self.lookahead(Context::Values);
        if matches!(next, Token::End | Token::Comma) && op.is_none() {
            op = Some(Op::Exists);
        }
        Ok((lit, op))
    }

    fn operator(&mut self) -> Result<Op, String> {
        let (tok, lit) = self.consume(Context::KeyAndOperator);
        Ok(match tok {
            Token::In => Op::In,
            Token::Equals => Op::Equals,
            Token::DoubleEquals => Op::DoubleEquals,
            Token::GreaterThan => Op::GreaterThan,
            Token::LessThan => Op::LessThan,
            Token::NotIn => Op::NotIn,
            Token::NotEquals => Op::NotEquals,
            _ => {
                return Err(format!(
                    "found '{lit}', expected: in, notin, =, ==, !=, gt, lt"
                ))
            }
        })
    }

    fn values(&mut self) -> Result<Vec<String>, String> {
        let (tok, lit) = self.consume(Context::Values);
        if tok != Token::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (tok, lit) = self.lookahead(Context::Values);
        match tok {
            Token::Identifier | Token::Comma => {
                let set = self.identifier_list()?;
                let (closing, _) = self.consume(Context::Values);
                if closing != Token::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(set)
            }
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn identifier_list(&mut self) -> Result<Vec<String>, String> {
        let mut set: Vec<String> = Vec::new();
        let insert = |set: &mut Vec<String>, v: String| {
            if !set.contains(&v) {
                set.push(v);
            }
        };
        loop {
            let (tok, lit) = self.consume(Context::Values);
            match tok {
                Token::Identifier => {
                    insert(&mut set, lit);
                    let (t2, l2) = self.lookahead(Context::Values);
                    match t2 {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(set),
                        _ => return Err(format!("found '{l2}', expected: ',' or ')'")),
                    }
                }
                Token::Comma => {
                    if set.is_empty() {
                        insert(&mut set, String::new());
                    }
                    let (t2, _) = self.lookahead(Context::Values);
                    if t2 == Token::ClosedPar {
                        insert(&mut set, String::new());
                        return Ok(set);
                    }
                    if t2 == Token::Comma {
                        insert(&mut set, String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        let (tok, _) = self.lookahead(Context::Values);
        if matches!(tok, Token::End | Token::Comma) {
            return Ok(vec![String::new()]);
        }
        let (tok, lit) = self.consume(Context::Values);
        if tok == Token::Identifier {
            return Ok(vec![lit]);
        }
        Err(format!("found '{lit}', expected: identifier"))
    }
}

/// `validateLabelKey`: the field error for a bad key, `<path>: Invalid value: "k": ...`.
fn check_key(key: &str, path: &str) -> Result<(), String> {
    let errs = is_qualified_name(key);
    if errs.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{path}: Invalid value: {}: {}",
        go_quote(key),
        errs.join("; ")
    ))
}

/// `NewRequirement`: validates the key and values for the operator.
fn new_requirement(key: String, op: Op, mut values: Vec<String>) -> Result<Requirement, String> {
    let mut errs: Vec<String> = Vec::new();
    if let Err(e) = check_key(&key, "key") {
        errs.push(e);
    }
    if matches!(op, Op::GreaterThan | Op::LessThan) {
        for (idx, v) in values.iter().enumerate() {
            if v.parse::<i64>().is_err() {
                errs.push(format!(
                    "values[{idx}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                    go_quote(v)
                ));
            }
        }
    }
    for (idx, v) in values.iter().enumerate() {
        let msgs = is_valid_label_value(v);
        if !msgs.is_empty() {
            errs.push(format!(
                "values[{idx}][{key}]: Invalid value: {}: {}",
                go_quote(v),
                msgs.join("; ")
            ));
        }
    }
    match errs.len() {
        0 => {
            crate::sort::sort(&mut values);
            Ok(Requirement { key, op, values })
        }
        1 => Err(errs.remove(0)),
        _ => Err(format!("[{}]", errs.join(", "))),
    }
}

fn go_quote(text: &str) -> String {
    super::gofmt::quote(text)
}

/// `labels.Parse`: the selector, or the parser's error message.
pub fn parse(text: &str) -> Result<LabelQuery, String> {
    let mut parser = Parser {
        items: lex(text),
        position: 0,
    };
    let mut requirements = parser.parse()?;
    crate::sort::sort_by(&mut requirements, |a, b| a.key.cmp(&b.key));
    Ok(LabelQuery { requirements })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn matches(selector: &str, pairs: &[(&str, &str)]) -> bool {
        parse(selector).unwrap().matches(&labels(pairs))
    }

    #[test]
    fn equality_operators() {
        assert!(matches("app=web", &[("app", "web")]));
        assert!(matches("app==web", &[("app", "web")]));
        assert!(!matches("app=web", &[("app", "db")]));
        assert!(matches("app!=web", &[("app", "db")]));
        assert!(matches("app!=web", &[]));
        assert!(matches("app=", &[("app", "")]));
    }

    #[test]
    fn set_operators() {
        assert!(matches("tier in (front, back)", &[("tier", "back")]));
        assert!(!matches("tier in (front,back)", &[]));
        assert!(matches("tier notin (front)", &[]));
        assert!(!matches("tier notin (front)", &[("tier", "front")]));
        // `in` is a value inside the parentheses.
        assert!(matches("x in (in,notin)", &[("x", "notin")]));
    }

    #[test]
    fn existence_and_combinations() {
        assert!(matches("app", &[("app", "x")]));
        assert!(!matches("app", &[]));
        assert!(matches("!legacy", &[("app", "x")]));
        assert!(!matches("!legacy", &[("legacy", "")]));
        assert!(matches(
            "app=web, tier in (a,b), !legacy",
            &[("app", "web"), ("tier", "a")]
        ));
        assert!(matches("", &[]));
        assert!(matches("k8s-app=kube-dns", &[("k8s-app", "kube-dns")]));
    }

    #[test]
    fn numeric_comparisons() {
        assert!(matches("gen>2", &[("gen", "3")]));
        assert!(!matches("gen<2", &[("gen", "3")]));
        assert!(!matches("gen>2", &[("gen", "x")]));
    }

    #[test]
    fn parser_errors() {
        assert_eq!(
            parse("app=web,").unwrap_err(),
            "found '', expected: identifier after ','"
        );
        assert_eq!(
            parse("app web").unwrap_err(),
            "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"
        );
        assert_eq!(
            parse("tier in a").unwrap_err(),
            "unable to parse requirement: found 'a' expected: '('"
        );
        assert_eq!(
            parse("tier in (a b)").unwrap_err(),
            "unable to parse requirement: found 'b', expected: ',' or ')'"
        );
        assert_eq!(
            parse("=x").unwrap_err(),
            "found '=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            parse("a=b c").unwrap_err(),
            "found 'c', expected: ',' or 'end of string'"
        );
        assert!(parse("gen>x")
            .unwrap_err()
            .contains("for 'Gt', 'Lt' operators, the value must be an integer"));
        assert!(parse("-bad=x").unwrap_err().starts_with(
            "unable to parse requirement: : Invalid value: \"-bad\": name part must consist of"
        ));
    }

    #[test]
    fn bad_request_wording() {
        assert_eq!(
            bad_request(Resource::Pods, "a b", "x"),
            "Unable to find \"/v1, Resource=pods\" that match label selector \"a b\", field selector \"\": x"
        );
    }
}
