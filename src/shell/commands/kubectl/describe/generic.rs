//! `kubectl describe` for kinds without a describer of their own (`GenericDescriberFor`,
//! `genericDescriber.Describe`, `printUnstructuredContent` and `smartLabelFor` in
//! `staging/src/k8s.io/kubectl/pkg/describe/describe.go`, v1.34): the usual header, then every
//! other field of the object as decoded JSON, keys sorted, nested objects indented one level,
//! each key turned into a label (`leaseDurationSeconds` becomes `Lease Duration Seconds`),
//! then the object's events.
//!
//! Upstream ignores a failed event search here (the Events section is then left out); the
//! caller passes `None` for that and for `--show-events=false`.

use serde_json::{Map, Value};

use super::{describe_events, object_events, print_object_header, PrefixWriter};
use crate::shell::commands::kubectl::gofmt::sprint;
use crate::shell::commands::kubectl::objutil::str_at;
use crate::sim::SimTime;

/// The fields the header already shows, or that describe never shows, as
/// `printUnstructuredContent` paths.
const SKIPPED: [&str; 5] = [
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

/// The generic describer's text for `obj`; `events` are the events of its namespace (all of
/// them for a cluster-scoped object), `None` when no Events section is shown.
pub fn describe_generic(obj: &Value, events: Option<&[Value]>, now: SimTime) -> String {
    let mut w = PrefixWriter::new();
    print_object_header(&mut w, obj);
    if let Value::Object(content) = obj {
        print_unstructured_content(&mut w, 0, content, "");
    }
    if let Some(events) = events {
        let kind = str_at(obj, &["kind"]);
        describe_events(&mut w, &object_events(obj, kind, events), now);
    }
    w.finish()
}

/// `printUnstructuredContent`: each field in key order; an object opens a section one level
/// deeper, a list's objects are printed one after another one level deeper (with nothing
/// between them) and its other items as `%v`; anything else is a `Label:\tvalue` line.
fn print_unstructured_content(
    w: &mut PrefixWriter,
    level: usize,
    content: &Map<String, Value>,
    skip_prefix: &str,
) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort();
    for field in fields {
        let path = format!("{skip_prefix}.{field}");
        if SKIPPED.contains(&path.as_str()) {
            continue;
        }
        match &content[field.as_str()] {
            Value::Object(child) => {
                w.write(level, &format!("{}:\n", smart_label_for(field)));
                print_unstructured_content(w, level + 1, child, &path);
            }
            Value::Array(items) => {
                w.write(level, &format!("{}:\n", smart_label_for(field)));
                for item in items {
                    match item {
                        Value::Object(child) => {
                            print_unstructured_content(w, level + 1, child, &path)
                        }
                        other => w.write(level + 1, &format!("{}\n", sprint(other))),
                    }
                }
            }
            other => w.write(
                level,
                &format!("{}:\t{}\n", smart_label_for(field), sprint(other)),
            ),
        }
    }
}

/// `smartLabelFor`: a key of letters and dashes split into its camel-case words, each
/// capitalised (a few acronyms upper-cased) and joined by spaces; any other key as it is.
fn smart_label_for(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    let words: Vec<String> = camelcase_split(field)
        .into_iter()
        .filter(|part| part != "_")
        .map(|part| {
            let upper = part.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                title(&part)
            }
        })
        .collect();
    words.join(" ")
}

/// `camelcase.Split` (`github.com/fatih/camelcase`): runs of lower-case letters, upper-case
/// letters, digits and anything else; an upper-case run followed by a lower-case one gives its
/// last letter to the latter (`HTTPServer` is `HTTP`, `Server`).
fn camelcase_split(src: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_ascii_digit() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last_class = 0;
    for c in src.chars() {
        let this = class(c);
        match runs.last_mut() {
            Some(run) if this == last_class => run.push(c),
            _ => runs.push(vec![c]),
        }
        last_class = this;
    }
    for idx in 0..runs.len().saturating_sub(1) {
        let upper_then_lower = runs[idx].first().is_some_and(|c| c.is_uppercase())
            && runs[idx + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower {
            if let Some(moved) = runs[idx].pop() {
                runs[idx + 1].insert(0, moved);
            }
        }
    }
    runs.into_iter()
        .filter(|run| !run.is_empty())
        .map(|run| run.into_iter().collect())
        .collect()
}

/// `strings.Title` of one camel-case word: its first letter in upper case.
fn title(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_labels_split_camel_case_and_keep_other_keys() {
        assert_eq!(smart_label_for("apiVersion"), "API Version");
        assert_eq!(smart_label_for("uid"), "UID");
        assert_eq!(
            smart_label_for("leaseDurationSeconds"),
            "Lease Duration Seconds"
        );
        assert_eq!(smart_label_for("podCIDR"), "Pod CIDR");
        assert_eq!(smart_label_for("HTTPServer"), "HTTP Server");
        assert_eq!(smart_label_for("kube-apiserver"), "Kube - Apiserver");
        assert_eq!(
            smart_label_for("app.kubernetes.io/name"),
            "app.kubernetes.io/name"
        );
        assert_eq!(smart_label_for("x509"), "x509");
    }
}
