//! How Go prints the values kubectl holds after decoding an object into
//! `map[string]interface{}` (`k8s.io/apimachinery/pkg/apis/meta/v1/unstructured`):
//! `encoding/json` (`Marshal`, `MarshalIndent`), `fmt`'s `%v` and `%#v`, `strconv.Quote` and
//! `strconv.FormatFloat(f, 'g', -1, 64)`.
//!
//! Unstructured decoding turns JSON numbers into `int64` when they are integers that fit and
//! `float64` otherwise; [`GoNumber`] mirrors that split. Maps print with their keys sorted,
//! which is what both `encoding/json` and `fmt` do for Go maps.

use serde_json::{Map, Number, Value};

/// A JSON number as unstructured decoding holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GoNumber {
    /// An integer that fits `int64`.
    Int(i64),
    /// Anything else.
    Float(f64),
}

impl GoNumber {
    /// The Go value a decoded JSON number becomes.
    pub fn of(n: &Number) -> GoNumber {
        match n.as_i64() {
            Some(i) => GoNumber::Int(i),
            None => GoNumber::Float(n.as_f64().unwrap_or(0.0)),
        }
    }

    /// `fmt.Sprint`: decimal integers, `%g` floats.
    pub fn sprint(self) -> String {
        match self {
            GoNumber::Int(i) => i.to_string(),
            GoNumber::Float(f) => format_float_g(f),
        }
    }
}

/// The shortest decimal digits of `f` (no sign) and the decimal point position: the value is
/// `0.DIGITS × 10^point`.
fn shortest_digits(f: f64) -> (String, i32) {
    // Rust's `{:e}` prints the shortest representation that round-trips, like Go's.
    let text = format!("{:e}", f.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits = digits.trim_end_matches('0').to_string();
    if digits.is_empty() {
        return (String::new(), 0);
    }
    (digits, exponent + 1)
}

fn fmt_e(neg: bool, digits: &str, point: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let first = digits.chars().next().unwrap_or('0');
    out.push(first);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = if digits.is_empty() { 0 } else { point - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let abs = exp.unsigned_abs();
    if abs < 10 {
        out.push('0');
    }
    out.push_str(&abs.to_string());
    out
}

fn fmt_f(neg: bool, digits: &str, point: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let digit_at = |i: i32| -> char {
        if i >= 0 && (i as usize) < digits.len() {
            digits.as_bytes()[i as usize] as char
        } else {
            '0'
        }
    };
    if point > 0 {
        for i in 0..point {
            out.push(digit_at(i));
        }
    } else {
        out.push('0');
    }
    let frac = (digits.len() as i32 - point).max(0);
    if frac > 0 {
        out.push('.');
        for i in 0..frac {
            out.push(digit_at(point + i));
        }
    }
    out
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, which is also `fmt`'s `%v` for a float64.
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let neg = f.is_sign_negative();
    let (digits, point) = shortest_digits(f);
    if digits.is_empty() {
        return if neg { "-0" } else { "0" }.to_string();
    }
    let exp = point - 1;
    // With the shortest precision Go decides on %e with a precision of 6.
    if !(-4..6).contains(&exp) {
        return fmt_e(neg, &digits, point);
    }
    fmt_f(neg, &digits, point)
}

/// How `encoding/json` writes a float64: `%f` unless tiny or huge, then `%e` with a short
/// exponent (`1e-7`, `1e+21`).
pub fn json_float(f: f64) -> String {
    if !f.is_finite() {
        // encoding/json refuses these; serde_json cannot hold them either.
        return "null".to_string();
    }
    let neg = f.is_sign_negative();
    let (digits, point) = shortest_digits(f);
    if digits.is_empty() {
        return if neg { "-0" } else { "0" }.to_string();
    }
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let mut text = fmt_e(neg, &digits, point);
        // Clean up e-09 to e-9.
        let n = text.len();
        if n >= 4 && text.as_bytes()[n - 4] == b'e' && &text[n - 3..n - 1] == "-0" {
            text.remove(n - 2);
        }
        return text;
    }
    fmt_f(neg, &digits, point)
}

fn json_number(n: &Number) -> String {
    match GoNumber::of(n) {
        GoNumber::Int(i) => i.to_string(),
        GoNumber::Float(f) => json_float(f),
    }
}

/// A JSON string literal as `encoding/json` writes it with HTML escaping on (its default):
/// `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", ch as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `json.Marshal`: compact JSON with sorted keys.
pub fn json_compact(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, None, 0);
    out
}

/// `json.MarshalIndent(v, "", "    ")`: what `kubectl get -o json` prints (without the final
/// newline kubectl adds).
pub fn json_indent(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, Some("    "), 0);
    out
}

fn newline_indent(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(unit) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(unit);
        }
    }
}

fn write_json(out: &mut String, value: &Value, indent: Option<&str>, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&json_number(n)),
        Value::String(s) => out.push_str(&json_string(s)),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (idx, item) in items.iter().enumerate() {
                if idx > 0 {
                    out.push(',');
                }
                newline_indent(out, indent, depth + 1);
                write_json(out, item, indent, depth + 1);
            }
            newline_indent(out, indent, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (idx, (key, item)) in map.iter().enumerate() {
                if idx > 0 {
                    out.push(',');
                }
                newline_indent(out, indent, depth + 1);
                out.push_str(&json_string(key));
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(out, item, indent, depth + 1);
            }
            newline_indent(out, indent, depth);
            out.push('}');
        }
    }
}

/// `fmt.Sprint` of a decoded value (`%v`): `map[a:1 b:x]`, `[a b]`, `<nil>`.
pub fn sprint(value: &Value) -> String {
    let mut out = String::new();
    write_sprint(&mut out, value);
    out
}

fn write_sprint(out: &mut String, value: &Value) {
    match value {
        // A nil interface prints as `<nil>` at any depth.
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&GoNumber::of(n).sprint()),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (idx, item) in items.iter().enumerate() {
                if idx > 0 {
                    out.push(' ');
                }
                write_sprint(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => write_sprint_map(out, map),
    }
}

fn write_sprint_map(out: &mut String, map: &Map<String, Value>) {
    out.push_str("map[");
    for (idx, (key, item)) in map.iter().enumerate() {
        if idx > 0 {
            out.push(' ');
        }
        out.push_str(key);
        out.push(':');
        write_sprint(out, item);
    }
    out.push(']');
}

/// `strconv.Quote`: a double-quoted Go string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() || c == '\u{feff}' => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `fmt.Sprintf("%#v", v)` of a decoded value, as kubectl's JSONPath error message shows the
/// object: `map[string]interface {}{"kind":"Pod", "spec":map[string]interface {}{...}}`.
pub fn sharp_v(value: &Value) -> String {
    let mut out = String::new();
    write_sharp_v(&mut out, value);
    out
}

fn write_sharp_v(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("interface {}(nil)"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&GoNumber::of(n).sprint()),
        Value::String(s) => out.push_str(&quote(s)),
        Value::Array(items) => {
            out.push_str("[]interface {}{");
            for (idx, item) in items.iter().enumerate() {
                if idx > 0 {
                    out.push_str(", ");
                }
                write_sharp_v(out, item);
            }
            out.push('}');
        }
        Value::Object(map) => {
            out.push_str("map[string]interface {}{");
            for (idx, (key, item)) in map.iter().enumerate() {
                if idx > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(key));
                out.push(':');
                write_sharp_v(out, item);
            }
            out.push('}');
        }
    }
}

/// The Go type name `%T`/`reflect.Type.String()` gives a decoded value.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "interface {}",
        Value::Bool(_) => "bool",
        Value::Number(n) => match GoNumber::of(n) {
            GoNumber::Int(_) => "int64",
            GoNumber::Float(_) => "float64",
        },
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_like_strconv_g() {
        let cases = [
            (0.0, "0"),
            (1.0, "1"),
            (0.5, "0.5"),
            (123456.0, "123456"),
            (1_000_000.0, "1e+06"),
            (1_234_567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (1e100, "1e+100"),
        ];
        for (f, want) in cases {
            assert_eq!(format_float_g(f), want, "{f}");
        }
    }

    #[test]
    fn floats_like_encoding_json() {
        let cases = [
            (0.5, "0.5"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (-1.5e-10, "-1.5e-10"),
        ];
        for (f, want) in cases {
            assert_eq!(json_float(f), want, "{f}");
        }
    }

    #[test]
    fn json_escapes_html_like_go() {
        assert_eq!(
            json_string("a<b>&\"c\"\n\u{1b}\u{8}"),
            r#""a\u003cb\u003e\u0026\"c\"\n\u001b\b""#
        );
    }

    #[test]
    fn json_indent_matches_marshal_indent() {
        let v = json!({"b": [1, {"c": "x"}], "a": {}, "e": [], "d": null});
        assert_eq!(
            json_indent(&v),
            "{\n    \"a\": {},\n    \"b\": [\n        1,\n        {\n            \"c\": \"x\"\n        }\n    ],\n    \"d\": null,\n    \"e\": []\n}"
        );
        assert_eq!(
            json_compact(&v),
            r#"{"a":{},"b":[1,{"c":"x"}],"d":null,"e":[]}"#
        );
    }

    #[test]
    fn sprint_and_sharp_v() {
        let v = json!({"b": [1, "x", null], "a": {"k": true}, "f": 1.5});
        assert_eq!(sprint(&v), "map[a:map[k:true] b:[1 x <nil>] f:1.5]");
        assert_eq!(
            sharp_v(&v),
            "map[string]interface {}{\"a\":map[string]interface {}{\"k\":true}, \"b\":[]interface {}{1, \"x\", interface {}(nil)}, \"f\":1.5}"
        );
        assert_eq!(quote("a\"b\\\t\u{1b}é"), "\"a\\\"b\\\\\\t\\x1bé\"");
    }
}
