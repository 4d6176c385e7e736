//! Mirrors `staging/src/k8s.io/apimachinery/pkg/util/validation/field/{errors.go,path.go}`
//! (v1.34), `pkg/util/errors/errors.go` (the aggregate), `pkg/api/errors/errors.go`
//! (`NewInvalid`'s status message) and `kubectl/pkg/cmd/util/helpers.go` (`checkErr`, the text
//! kubectl prints for an Invalid error): field paths, field errors and how they print.
//!
//! Deliberate simplifications:
//! - Go prints a bad value by its dynamic type (`%q` for a `string`, `%v` for numbers and bools,
//!   `encoding/json` for everything else, including named string types such as
//!   `RestartPolicy`). Rust has no dynamic types, so each call site says which rendering
//!   upstream uses through [`BadValue`]; struct values are pre-rendered JSON strings.
//! - `Origin`, `CoveredByDeclarative` and the other declarative-validation bookkeeping fields
//!   are left out: they never reach the printed message.
//! - Go's `unicode.IsPrint` is approximated (control, separator and common format characters
//!   are treated as non-printable) when `%q` decides what to escape.

use std::collections::BTreeSet;
use std::fmt;

/// A field path such as `spec.containers[0].name` (Go's `field.Path`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Path(String);

impl Path {
    /// A root path, e.g. `metadata` (`field.NewPath`).
    pub fn new(name: &str) -> Path {
        Path(name.to_string())
    }

    /// A child field, e.g. `spec` → `spec.containers` (`Path.Child`).
    pub fn child(&self, name: &str) -> Path {
        // Go writes the dot only when there is a parent; an empty name becomes an empty
        // subscript, which no caller here produces but which keeps the rendering total.
        if name.is_empty() {
            return Path(format!("{}[]", self.0));
        }
        Path(format!("{}.{}", self.0, name))
    }

    /// A list element, e.g. `spec.containers` → `spec.containers[0]` (`Path.Index`).
    pub fn index(&self, idx: usize) -> Path {
        Path(format!("{}[{}]", self.0, idx))
    }

    /// A map entry, e.g. `metadata.annotations[a/b]` (`Path.Key`); keys are not quoted.
    pub fn key(&self, key: &str) -> Path {
        Path(format!("{}[{}]", self.0, key))
    }

    /// The rendered path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One element of a field path: a field name or map key, or a list index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// A field of an object, or a key of a map.
    Key(String),
    /// An element of a list.
    Index(usize),
}

/// Splits a rendered path (`spec.containers[0].name`, `metadata.labels[a.b/c]`) into its
/// elements. A bracketed subscript is an index when it is a number, else a map key (whose
/// dots are part of the key).
pub fn parse_steps(rendered: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut rest = rendered;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']').unwrap_or(inner.len());
            let subscript = &inner[..end];
            steps.push(match subscript.parse::<usize>() {
                Ok(idx) => Step::Index(idx),
                Err(_) => Step::Key(subscript.to_string()),
            });
            rest = inner.get(end + 1..).unwrap_or_default();
            continue;
        }
        let name = rest.strip_prefix('.').unwrap_or(rest);
        let end = name.find(['.', '[']).unwrap_or(name.len());
        if end > 0 {
            steps.push(Step::Key(name[..end].to_string()));
        }
        rest = &name[end..];
    }
    steps
}

/// Renders steps as Go's `field.Path` prints them: `spec.containers[0].name`.
pub fn render_steps(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(idx) => {
                out.push('[');
                out.push_str(&idx.to_string());
                out.push(']');
            }
        }
    }
    out
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kind of a field error (Go's `field.ErrorType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorType {
    /// `FieldValueNotFound`: "Not found".
    NotFound,
    /// `FieldValueRequired`: "Required value".
    Required,
    /// `FieldValueDuplicate`: "Duplicate value".
    Duplicate,
    /// `FieldValueInvalid`: "Invalid value".
    Invalid,
    /// `FieldValueNotSupported`: "Unsupported value".
    NotSupported,
    /// `FieldValueForbidden`: "Forbidden".
    Forbidden,
    /// `FieldValueTooLong`: "Too long".
    TooLong,
    /// `FieldValueTooMany`: "Too many".
    TooMany,
    /// `InternalError`: "Internal error".
    Internal,
    /// `FieldValueTypeInvalid`: "Invalid value".
    TypeInvalid,
}

impl ErrorType {
    /// The machine-readable reason (`metav1.CauseType`), e.g. `FieldValueRequired`.
    pub fn reason(self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::Internal => "InternalError",
            ErrorType::TypeInvalid => "FieldValueTypeInvalid",
        }
    }

    /// The human text (`ErrorType.String()`), e.g. `Required value`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
            ErrorType::TypeInvalid => "Invalid value",
        }
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The offending value of a field error, tagged with how upstream prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadValue {
    /// A Go `string`, printed with `%q`.
    Str(String),
    /// A Go integer, printed in decimal.
    Int(i64),
    /// A Go bool, printed as `true`/`false`.
    Bool(bool),
    /// Any other Go value, printed as its `encoding/json` form (given here pre-rendered).
    Json(String),
    /// No value is printed (Go's `omitValue`).
    Omitted,
}

impl BadValue {
    /// A plain Go `string` value.
    pub fn str(value: &str) -> BadValue {
        BadValue::Str(value.to_string())
    }

    /// A named Go string type (`RestartPolicy`, `*HostPathType`, ...), printed as JSON.
    pub fn typed(value: &str) -> BadValue {
        BadValue::Json(json_quote(value))
    }

    /// A Go `[]string`, printed as a JSON array.
    pub fn strings(values: &[String]) -> BadValue {
        let items: Vec<String> = values.iter().map(|v| json_quote(v)).collect();
        BadValue::Json(format!("[{}]", items.join(",")))
    }

    /// A nil Go pointer, printed as `null`.
    pub fn null() -> BadValue {
        BadValue::Json("null".to_string())
    }
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::Str(s) => f.write_str(&go_quote(s)),
            BadValue::Int(i) => write!(f, "{i}"),
            BadValue::Bool(b) => write!(f, "{b}"),
            BadValue::Json(s) => f.write_str(s),
            BadValue::Omitted => Ok(()),
        }
    }
}

/// One field-level validation error (Go's `field.Error`); `Display` is Go's `Error()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// What kind of problem this is.
    pub error_type: ErrorType,
    /// The rendered field path, e.g. `spec.containers[0].name`.
    pub field: String,
    /// The offending value (not printed for Required, Forbidden, TooLong and Internal).
    pub bad_value: BadValue,
    /// Extra explanation appended after the value.
    pub detail: String,
}

impl FieldError {
    /// `field.Required`: the value is missing.
    pub fn required(path: &Path, detail: &str) -> FieldError {
        FieldError::new(ErrorType::Required, path, BadValue::str(""), detail)
    }

    /// `field.Invalid`: the value is malformed.
    pub fn invalid(path: &Path, value: BadValue, detail: &str) -> FieldError {
        FieldError::new(ErrorType::Invalid, path, value, detail)
    }

    /// `field.NotSupported`: the value is not one of `valid` (quoted in the given order).
    pub fn not_supported(path: &Path, value: BadValue, valid: &[&str]) -> FieldError {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        FieldError::new(ErrorType::NotSupported, path, value, &detail)
    }

    /// `field.Duplicate`: the value must be unique.
    pub fn duplicate(path: &Path, value: BadValue) -> FieldError {
        FieldError::new(ErrorType::Duplicate, path, value, "")
    }

    /// `field.NotFound`: the value refers to something that does not exist.
    pub fn not_found(path: &Path, value: BadValue) -> FieldError {
        FieldError::new(ErrorType::NotFound, path, value, "")
    }

    /// `field.Forbidden`: the value is not allowed here.
    pub fn forbidden(path: &Path, detail: &str) -> FieldError {
        FieldError::new(ErrorType::Forbidden, path, BadValue::str(""), detail)
    }

    /// `field.TooLong`: the value exceeds `max_bytes` (the value itself is never shown).
    pub fn too_long(path: &Path, max_bytes: i64) -> FieldError {
        let detail = if max_bytes < 0 {
            "value is too long".to_string()
        } else if max_bytes == 1 {
            "may not be more than 1 byte".to_string()
        } else {
            format!("may not be more than {max_bytes} bytes")
        };
        FieldError::new(
            ErrorType::TooLong,
            path,
            BadValue::str("<value omitted>"),
            &detail,
        )
    }

    /// `field.TooMany`: a list has `actual` items where at most `max` are allowed.
    pub fn too_many(path: &Path, actual: i64, max: i64) -> FieldError {
        let detail = if max < 0 {
            "has too many items".to_string()
        } else if max == 1 {
            "must have at most 1 item".to_string()
        } else {
            format!("must have at most {max} items")
        };
        let value = if actual >= 0 {
            BadValue::Int(actual)
        } else {
            BadValue::Omitted
        };
        FieldError::new(ErrorType::TooMany, path, value, &detail)
    }

    /// `field.InternalError`: something went wrong that is not the user's fault.
    pub fn internal(path: &Path, detail: &str) -> FieldError {
        FieldError::new(ErrorType::Internal, path, BadValue::Omitted, detail)
    }

    /// `field.TypeInvalid`: the value has the wrong type for the schema.
    pub fn type_invalid(path: &Path, value: BadValue, detail: &str) -> FieldError {
        FieldError::new(ErrorType::TypeInvalid, path, value, detail)
    }

    fn new(error_type: ErrorType, path: &Path, bad_value: BadValue, detail: &str) -> FieldError {
        FieldError {
            error_type,
            field: path.as_str().to_string(),
            bad_value,
            detail: detail.to_string(),
        }
    }

    /// The message without the field path (Go's `ErrorBody()`), as kubectl shows per cause.
    pub fn body(&self) -> String {
        let mut s = match self.error_type {
            ErrorType::Required
            | ErrorType::Forbidden
            | ErrorType::TooLong
            | ErrorType::Internal => self.error_type.as_str().to_string(),
            _ => match &self.bad_value {
                BadValue::Omitted => self.error_type.as_str().to_string(),
                value => format!("{}: {}", self.error_type, value),
            },
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

impl std::error::Error for FieldError {}

/// `ErrorList.ToAggregate().Error()`: duplicates dropped; one error prints alone, several as
/// `[a, b]`; no errors print as the empty string.
pub fn aggregate(errs: &[FieldError]) -> String {
    let msgs = unique_messages(errs);
    match msgs.len() {
        0 => String::new(),
        1 => msgs[0].clone(),
        _ => format!("[{}]", msgs.join(", ")),
    }
}

/// What kubectl prints for an Invalid API error, e.g.
/// `The Pod "web" is invalid: spec.containers[0].image: Required value`, without the final
/// newline kubectl adds.
///
/// With several distinct errors kubectl puts each on its own `* ` line after the prefix:
/// `The Pod "web" is invalid: \n* a\n* b`.
pub fn invalid_error_message(kind: &str, name: &str, errs: &[FieldError]) -> String {
    // kubectl (checkErr) rebuilds the messages from the status causes, dropping duplicates,
    // and formats them with MultilineError; the trailing newline is fatal()'s, not ours.
    let prefix = if kind.is_empty() && name.is_empty() {
        "The request is invalid".to_string()
    } else {
        format!("The {} {} is invalid", kind, go_quote(name))
    };
    let msgs = unique_messages(errs);
    match msgs.len() {
        0 => prefix,
        1 => format!("{prefix}: {}", msgs[0]),
        _ => {
            let mut out = format!("{prefix}: ");
            for msg in &msgs {
                out.push_str("\n* ");
                out.push_str(msg);
            }
            out
        }
    }
}

/// The message of the API status `NewInvalid` builds, e.g.
/// `Pod "web" is invalid: [a, b]` (what the API server returns in `Status.message`).
pub fn status_invalid_message(kind: &str, name: &str, errs: &[FieldError]) -> String {
    let agg = aggregate(errs);
    if agg.is_empty() {
        format!("{} {} is invalid", kind, go_quote(name))
    } else {
        format!("{} {} is invalid: {}", kind, go_quote(name), agg)
    }
}

/// Go's `fmt.Sprintf("%v", errs)` for an `ErrorList`: `[a b]`, duplicates kept.
///
/// The kubelet reports a static pod that fails validation as `invalid pod: ` followed by this.
pub fn format_error_list(errs: &[FieldError]) -> String {
    let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    format!("[{}]", msgs.join(" "))
}

fn unique_messages(errs: &[FieldError]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for err in errs {
        let msg = err.to_string();
        if seen.insert(msg.clone()) {
            out.push(msg);
        }
    }
    out
}

/// Go's `strconv.Quote` (what `%q` prints for a string).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `encoding/json` encoding of a string (HTML-safe, as `json.Marshal` does).
pub fn json_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space are printable; other spaces, controls and format characters are not.
fn go_is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(
        c as u32,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0xD800..=0xDFFF
            | 0xE000..=0xF8FF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Path {
        Path::new(s)
    }

    #[test]
    fn paths_render_like_go() {
        let path = p("spec").child("containers").index(0).child("name");
        assert_eq!(path.as_str(), "spec.containers[0].name");
        let key = p("metadata")
            .child("annotations")
            .key("kubernetes.io/config.mirror");
        assert_eq!(
            key.to_string(),
            "metadata.annotations[kubernetes.io/config.mirror]"
        );
    }

    #[test]
    fn required_prints_no_value() {
        let err = FieldError::required(&p("spec").child("containers"), "");
        assert_eq!(err.to_string(), "spec.containers: Required value");
        let err = FieldError::required(
            &p("metadata").child("name"),
            "name or generateName is required",
        );
        assert_eq!(
            err.to_string(),
            "metadata.name: Required value: name or generateName is required"
        );
    }

    #[test]
    fn bodies_match_upstream_error_body_tests() {
        // Upstream errors_test.go: TestNotSupported and TestErrorBody ("int", "intPtr").
        let err = FieldError::not_supported(&p("f"), BadValue::str("v"), &["a", "b", "c"]);
        assert_eq!(
            err.body(),
            r#"Unsupported value: "v": supported values: "a", "b", "c""#
        );
        let err = FieldError::invalid(&p("bla"), BadValue::Int(2), "details");
        assert_eq!(err.body(), "Invalid value: 2: details");
        let err = FieldError::invalid(&p("bla"), BadValue::null(), "details");
        assert_eq!(err.body(), "Invalid value: null: details");
    }

    #[test]
    fn values_are_quoted_like_go() {
        let err = FieldError::duplicate(
            &p("spec").child("volumes").index(1).child("name"),
            BadValue::str("web"),
        );
        assert_eq!(
            err.to_string(),
            r#"spec.volumes[1].name: Duplicate value: "web""#
        );
        let err = FieldError::not_found(&p("x"), BadValue::str("data"));
        assert_eq!(err.to_string(), r#"x: Not found: "data""#);
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), r#""a\"b\\c\n\x01é""#);
        assert_eq!(json_quote("<a&b>"), r#""\u003ca\u0026b\u003e""#);
        let err = FieldError::invalid(&p("x"), BadValue::typed("Sometimes"), "d");
        assert_eq!(err.to_string(), r#"x: Invalid value: "Sometimes": d"#);
        let err = FieldError::invalid(&p("x"), BadValue::Bool(true), "d");
        assert_eq!(err.to_string(), "x: Invalid value: true: d");
        let list = BadValue::strings(&["a".to_string(), "b".to_string()]);
        assert_eq!(list.to_string(), r#"["a","b"]"#);
    }

    #[test]
    fn too_long_and_too_many() {
        let err = FieldError::too_long(&p("metadata").child("annotations"), 262144);
        assert_eq!(
            err.to_string(),
            "metadata.annotations: Too long: may not be more than 262144 bytes"
        );
        let err = FieldError::too_many(&p("x"), 5, 3);
        assert_eq!(err.to_string(), "x: Too many: 5: must have at most 3 items");
        let err = FieldError::too_many(&p("x"), -1, 1);
        assert_eq!(err.to_string(), "x: Too many: must have at most 1 item");
        let err = FieldError::forbidden(&p("x"), "cannot be set on create");
        assert_eq!(err.to_string(), "x: Forbidden: cannot be set on create");
        let err = FieldError::internal(&p("x"), "boom");
        assert_eq!(err.to_string(), "x: Internal error: boom");
    }

    fn two_errors() -> Vec<FieldError> {
        vec![
            FieldError::required(&p("spec").child("containers").index(0).child("image"), ""),
            FieldError::required(&p("spec").child("containers").index(0).child("name"), ""),
        ]
    }

    #[test]
    fn aggregate_formats_one_or_many_and_drops_duplicates() {
        let errs = two_errors();
        assert_eq!(
            aggregate(&errs[..1]),
            "spec.containers[0].image: Required value"
        );
        assert_eq!(
            aggregate(&errs),
            "[spec.containers[0].image: Required value, spec.containers[0].name: Required value]"
        );
        let dup = vec![errs[0].clone(), errs[0].clone()];
        assert_eq!(aggregate(&dup), "spec.containers[0].image: Required value");
        assert_eq!(aggregate(&[]), "");
    }

    #[test]
    fn kubectl_invalid_messages() {
        let errs = two_errors();
        assert_eq!(
            invalid_error_message("Pod", "web", &errs[..1]),
            r#"The Pod "web" is invalid: spec.containers[0].image: Required value"#
        );
        assert_eq!(
            invalid_error_message("Pod", "web", &errs),
            "The Pod \"web\" is invalid: \n* spec.containers[0].image: Required value\n* spec.containers[0].name: Required value"
        );
        assert_eq!(
            invalid_error_message("Pod", "web", &[]),
            r#"The Pod "web" is invalid"#
        );
        assert_eq!(
            status_invalid_message("Pod", "web", &errs),
            "Pod \"web\" is invalid: [spec.containers[0].image: Required value, spec.containers[0].name: Required value]"
        );
        assert_eq!(
            format_error_list(&errs[..1]),
            "[spec.containers[0].image: Required value]"
        );
    }
}
