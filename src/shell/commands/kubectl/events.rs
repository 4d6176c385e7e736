//! `kubectl events` (`staging/src/k8s.io/kubectl/pkg/cmd/events/{events,event_printer}.go`
//! v1.34): the namespace's events sorted by when they were last seen, as `LAST SEEN TYPE
//! REASON OBJECT MESSAGE` (`NAMESPACE` first with `-A`), `--for TYPE/NAME` and `--types`.
//!
//! Simplified: `--watch` and `-o` are not offered.

use serde_json::Value;

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, server_error, Client};
use super::objutil::{age, get, int_at, str_at, time_at};
use super::resources::resolve_type;
use super::tabwriter::{align, TabConfig};

use crate::apiserver::store::Resource;
use crate::shell::io::Output;
use crate::sim::SimTime;

/// `kubectl events`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "events",
    usage: "kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning]",
    summary: "List events",
    flags: &[
        flag("all-namespaces", Some('A'), Kind::Bool, "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace."),
        flag("for", None, Kind::Str, "Filter events to only those pertaining to the specified resource."),
        flag("no-headers", None, Kind::Bool, "When using the default output format, don't print headers."),
        flag("types", None, Kind::Strings, "Output only events of given types."),
    ],
    unsupported: &[
        "allow-missing-template-keys", "chunk-size", "output", "o", "show-managed-fields",
        "template", "watch", "w",
    ],
};

/// Runs `kubectl events`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let types: Vec<String> = parsed
        .all("types")
        .iter()
        .flat_map(|t| t.split(','))
        .map(String::from)
        .collect();
    if types
        .iter()
        .any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning"))
    {
        return plain_error("valid --types are Normal or Warning");
    }
    if let Err(out) = client.discover() {
        return out;
    }
    let target = match parsed.get("for") {
        None => None,
        Some(text) => match text.split('/').collect::<Vec<_>>().as_slice() {
            [typed, wanted] => match resolve_type(&typed.to_lowercase()) {
                Ok(resource) => Some((resource, wanted.to_string())),
                Err(msg) => return plain_error(&msg),
            },
            _ => return plain_error("--for must be in resource/name form"),
        },
    };
    let all = parsed.bool("all-namespaces");
    let ns = (!all).then(|| client.namespace.clone());
    let mut events = match client.list(Resource::Events, ns.as_deref()) {
        Ok(e) => e,
        Err(err) => return Output::err(server_error(&client.conn, &err), 1),
    };
    events.retain(|e| {
        let wanted_type = types.is_empty()
            || types
                .iter()
                .any(|t| t.eq_ignore_ascii_case(str_at(e, &["type"])));
        let wanted_object = target.as_ref().is_none_or(|(resource, wanted)| {
            str_at(e, &["involvedObject", "kind"]) == resource.kind()
                && str_at(e, &["involvedObject", "name"]) == wanted
        });
        wanted_type && wanted_object
    });
    if events.is_empty() {
        let text = if all {
            "No events found.\n".to_string()
        } else {
            format!("No events found in {} namespace.\n", client.namespace)
        };
        return Output::err(text, 0);
    }
    // `SortableEvents`: by the time last seen, the server's order kept for ties.
    crate::sort::sort_by_key(&mut events, |e| {
        last_seen(e).map(|t| t.as_millisecond()).unwrap_or(i64::MIN)
    });
    let now = client.now();
    let mut text = String::new();
    if !parsed.bool("no-headers") {
        if all {
            text.push_str("NAMESPACE\t");
        }
        text.push_str("LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
    }
    for e in &events {
        if all {
            text.push_str(&format!("{}\t", str_at(e, &["metadata", "namespace"])));
        }
        text.push_str(&format!(
            "{}\t{}\t{}\t{}/{}\t{}\n",
            interval(e, now),
            str_at(e, &["type"]),
            str_at(e, &["reason"]),
            str_at(e, &["involvedObject", "kind"]),
            str_at(e, &["involvedObject", "name"]),
            str_at(e, &["message"]).trim(),
        ));
    }
    Output::ok(align(TabConfig::KUBECTL_TABLE, &text))
}

/// `eventTime` in the sort: the series' last observation, else `lastTimestamp`, else
/// `eventTime`.
fn last_seen(e: &Value) -> Option<jiff::Timestamp> {
    if let Some(series) = get(e, &["series"]).filter(|s| s.is_object()) {
        return time_at(series, &["lastObservedTime"]);
    }
    time_at(e, &["lastTimestamp"]).or_else(|| time_at(e, &["eventTime"]))
}

/// `getInterval`: `AGE`, or `AGE (xN over FIRST)` for a repeated event.
fn interval(e: &Value, now: SimTime) -> String {
    let first = match time_at(e, &["eventTime"]) {
        Some(t) => age(Some(t), now),
        None => age(time_at(e, &["firstTimestamp"]), now),
    };
    if let Some(series) = get(e, &["series"]).filter(|s| s.is_object()) {
        return format!(
            "{} (x{} over {first})",
            age(time_at(series, &["lastObservedTime"]), now),
            int_at(series, &["count"])
        );
    }
    let count = int_at(e, &["count"]);
    if count > 1 {
        return format!(
            "{} (x{count} over {first})",
            age(time_at(e, &["lastTimestamp"]), now)
        );
    }
    first
}
