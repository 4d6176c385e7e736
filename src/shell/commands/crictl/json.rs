//! The JSON crictl prints, in the two shapes it has: `protojson` with a two-space indent
//! (`ps -o json`, `pods -o json`, `images -o json`: fields in proto order, 64-bit integers as
//! strings, no HTML escaping) and `encoding/json` re-indented with `json.Indent(.., "", "  ")`
//! (`inspect`, `inspectp`, `info`: maps with sorted keys, `<`, `>` and `&` escaped).
//!
//! Values keep their fields in insertion order; a caller that mirrors a Go map sorts them
//! with [`Json::sorted`].

use serde_json::Value;

/// A JSON value with ordered object fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true`/`false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, fields in order.
    Obj(Vec<(String, Json)>),
}

/// A string value.
pub fn s(text: impl Into<String>) -> Json {
    Json::Str(text.into())
}

/// An object from `(key, value)` pairs.
pub fn obj<const N: usize>(fields: [(&str, Json); N]) -> Json {
    Json::Obj(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// An object of string values, keys sorted (a Go `map[string]string`).
pub fn string_map<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>) -> Json {
    let mut fields: Vec<(String, Json)> = pairs
        .into_iter()
        .map(|(k, v)| (k.clone(), s(v.clone())))
        .collect();
    crate::sort::sort_by(&mut fields, |a, b| a.0.cmp(&b.0));
    Json::Obj(fields)
}

impl Json {
    /// The same value with every object's keys sorted, as Go prints a decoded map.
    pub fn sorted(self) -> Json {
        match self {
            Json::Arr(items) => Json::Arr(items.into_iter().map(Json::sorted).collect()),
            Json::Obj(fields) => {
                let mut fields: Vec<(String, Json)> =
                    fields.into_iter().map(|(k, v)| (k, v.sorted())).collect();
                crate::sort::sort_by(&mut fields, |a, b| a.0.cmp(&b.0));
                Json::Obj(fields)
            }
            other => other,
        }
    }

    /// Pretty-printed with a two-space indent; `html` escapes `<`, `>` and `&` as Go's
    /// `encoding/json` does.
    pub fn pretty(&self, html: bool) -> String {
        let mut out = String::new();
        self.write(&mut out, 0, html);
        out
    }

    fn write(&self, out: &mut String, depth: usize, html: bool) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(n) => out.push_str(&n.to_string()),
            Json::Str(text) => write_string(out, text, html),
            Json::Arr(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push('[');
                for (idx, item) in items.iter().enumerate() {
                    if idx > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    item.write(out, depth + 1, html);
                }
                newline(out, depth);
                out.push(']');
            }
            Json::Obj(fields) => {
                if fields.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push('{');
                for (idx, (key, value)) in fields.iter().enumerate() {
                    if idx > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    write_string(out, key, html);
                    out.push_str(": ");
                    value.write(out, depth + 1, html);
                }
                newline(out, depth);
                out.push('}');
            }
        }
    }

    /// The value as `serde_json` holds it (for the YAML printer).
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Int(n) => Value::from(*n),
            Json::Str(text) => Value::String(text.clone()),
            Json::Arr(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Obj(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_string(out: &mut String, text: &str, html: bool) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if html => out.push_str(&format!("\\u{:04x}", ch as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_go() {
        let value = obj([
            ("b", Json::Int(1)),
            ("a", Json::Arr(vec![s("x<y"), Json::Obj(Vec::new())])),
            ("c", Json::Arr(Vec::new())),
        ]);
        assert_eq!(
            value.clone().sorted().pretty(true),
            "{\n  \"a\": [\n    \"x\\u003cy\",\n    {}\n  ],\n  \"b\": 1,\n  \"c\": []\n}"
        );
        assert!(value.pretty(false).starts_with("{\n  \"b\": 1,"));
    }
}
