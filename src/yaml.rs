//! The one place the crate touches a YAML library.
//!
//! Backed by `serde_norway` (the maintained fork of serde_yaml). Swapping the YAML crate must
//! only change this module: this file and [`marked`], which reads the same parser's events to
//! keep where every node sits in the text.
//!
//! Kubernetes objects are not deserialized from YAML: callers read a document as a
//! `serde_json::Value` and decode that, as the kubelet's `yaml.ToJSON` then JSON decode does,
//! so each k8s type's deserializer is not compiled a further time for this crate.

pub mod marked;

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A YAML error with the 1-based position the parser reported, when it knows one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line of the problem, if known.
    pub line: Option<usize>,
    /// 1-based column of the problem, if known.
    pub column: Option<usize>,
    /// What is wrong, without the position.
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{} at line {line} column {column}", self.message)
            }
            (Some(line), None) => write!(f, "{} at line {line}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for YamlError {}

impl YamlError {
    /// The error as go-yaml words it: `line N: problem`.
    pub fn go_message(&self) -> String {
        let problem = self
            .message
            .split(", while ")
            .next()
            .unwrap_or(&self.message);
        match self.line {
            Some(line) => format!("line {line}: {problem}"),
            None => problem.to_string(),
        }
    }
}

impl From<serde_norway::Error> for YamlError {
    fn from(err: serde_norway::Error) -> YamlError {
        let location = err.location();
        let mut message = err.to_string();
        // serde_norway appends " at line L column C" to its message; keep it only in the
        // structured fields so callers can format positions their own way.
        if let Some(idx) = message.rfind(" at line ") {
            message.truncate(idx);
        }
        YamlError {
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message,
        }
    }
}

/// Parses one YAML document into a JSON value. Only JSON values come out of YAML here: a k8s
/// type is decoded from the value (see [`crate::apiserver::go_decode`]), so no type's
/// deserializer is compiled a second time for the YAML parser.
pub fn from_str(text: &str) -> Result<Value, YamlError> {
    Ok(serde_norway::from_str(text)?)
}

/// Parses every document of a multi-document stream (`---` separated) into JSON values.
///
/// Empty documents (a stray `---` at the end, say) are skipped, as kubectl skips them.
pub fn from_str_multi(text: &str) -> Result<Vec<Value>, YamlError> {
    let mut res = Vec::new();
    for document in serde_norway::Deserializer::from_str(text) {
        let value = serde_norway::Value::deserialize(document)?;
        if value.is_null() {
            continue;
        }
        res.push(serde_norway::from_value(value)?);
    }
    Ok(res)
}

/// Parses the first document of a stream into a JSON value, ignoring any later ones (as go-yaml's
/// `Unmarshal`, and so the kubelet's manifest decoding, does). An empty stream is `null`.
pub fn from_str_first(text: &str) -> Result<Value, YamlError> {
    match serde_norway::Deserializer::from_str(text).next() {
        Some(document) => Ok(Value::deserialize(document)?),
        None => Ok(serde_norway::from_str("null")?),
    }
}

/// `data` as text, or, for bytes that are not UTF-8, the problem go-yaml's reader names for the
/// first bad sequence (`invalid leading UTF-8 octet`, ...), which callers prefix with `yaml: `.
pub fn text(data: &[u8]) -> Result<&str, &'static str> {
    match std::str::from_utf8(data) {
        Ok(text) => Ok(text),
        Err(err) => Err(utf8_problem(&data[err.valid_up_to()..])),
    }
}

/// The reader's complaint about the sequence `bad` starts with (known not to be UTF-8). The
/// reader first takes the length from the leading octet, then wants that many octets, each
/// trailing one `10xxxxxx`, then checks the value is not over-long and is a Unicode scalar.
fn utf8_problem(bad: &[u8]) -> &'static str {
    let lead = bad[0];
    let width = match lead {
        0x00..=0x7f => 1,
        _ if lead & 0xe0 == 0xc0 => 2,
        _ if lead & 0xf0 == 0xe0 => 3,
        _ if lead & 0xf8 == 0xf0 => 4,
        _ => return "invalid leading UTF-8 octet",
    };
    if bad.len() < width {
        return "incomplete UTF-8 octet sequence";
    }
    let mut value = u32::from(lead) & [0x7f, 0x1f, 0x0f, 0x07][width - 1];
    for &octet in &bad[1..width] {
        if octet & 0xc0 != 0x80 {
            return "invalid trailing UTF-8 octet";
        }
        value = (value << 6) | u32::from(octet & 0x3f);
    }
    let shortest = match width {
        1 => true,
        2 => value >= 0x80,
        3 => value >= 0x800,
        _ => value >= 0x10000,
    };
    if !shortest {
        return "invalid length of a UTF-8 sequence";
    }
    "invalid Unicode character"
}

/// Serializes `value` as a YAML document, without the leading `---`.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    Ok(serde_norway::to_string(value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_get_go_yamls_reader_wording() {
        let problem = |data: &[u8]| text(data).unwrap_err();
        assert_eq!(text(b"a: caf\xc3\xa9\n"), Ok("a: café\n"));
        assert_eq!(problem(b"a: \xff"), "invalid leading UTF-8 octet");
        assert_eq!(problem(b"a: \x80"), "invalid leading UTF-8 octet");
        assert_eq!(problem(b"a: caf\xe9"), "incomplete UTF-8 octet sequence");
        assert_eq!(problem(b"a: caf\xe9\n..."), "invalid trailing UTF-8 octet");
        assert_eq!(problem(b"\xc0\x80"), "invalid length of a UTF-8 sequence");
        assert_eq!(problem(b"\xed\xa0\x80"), "invalid Unicode character");
        assert_eq!(problem(b"\xf4\x90\x80\x80"), "invalid Unicode character");
    }

    #[test]
    fn error_carries_position() {
        let err = from_str("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.to_string().contains("at line 2"), "{err}");
    }

    #[test]
    fn multi_document_skips_empty_documents() {
        let docs: Vec<serde_json::Value> = from_str_multi("a: 1\n---\nb: 2\n---\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1]["b"], 2);
    }

    #[test]
    fn first_document_only() {
        let first: serde_json::Value = from_str_first("a: 1\n---\nb: [\n").unwrap();
        assert_eq!(first["a"], 1);
        let empty: serde_json::Value = from_str_first("").unwrap();
        assert!(empty.is_null());
    }

    #[test]
    fn round_trip() {
        let value: serde_json::Value = from_str("name: web\nports: [80, 443]\n").unwrap();
        let text = to_string(&value).unwrap();
        assert_eq!(text, "name: web\nports:\n- 80\n- 443\n");
    }
}
