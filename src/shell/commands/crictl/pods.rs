//! `crictl pods` (`cmd/crictl/sandbox.go`): the pod sandboxes on the node, newest first.

use regex_lite::Regex;

use super::cli::{flag, Kind, Parsed};
use super::containers::{parse_labels, push_map};
use super::json::{obj, s, string_map, Json};
use super::{ago, fatal, print_proto, table, truncated, unix_nanos};
use super::{Ctx, OutputFormat, Subcommand};
use crate::node::runtime::Sandbox;
use crate::shell::io::Output;

/// `crictl pods`.
pub const PODS: Subcommand = Subcommand {
    name: "pods",
    aliases: &[],
    usage: "List pods",
    args_usage: "",
    flags: &[
        flag("id", &[], Kind::Str, "filter by pod id"),
        flag("label", &[], Kind::List, "Filter by key=value label"),
        flag(
            "last",
            &["n"],
            Kind::Int,
            "Show last n recently created pods. Set 0 for unlimited (default: 0)",
        ),
        flag(
            "latest",
            &["l"],
            Kind::Bool,
            "Show the most recently created pod (default: false)",
        ),
        flag(
            "name",
            &[],
            Kind::Str,
            "Filter by pod name regular expression pattern",
        ),
        flag(
            "namespace",
            &[],
            Kind::Str,
            "Filter by pod namespace regular expression pattern",
        ),
        flag(
            "no-trunc",
            &[],
            Kind::Bool,
            "Show output without truncating the ID (default: false)",
        ),
        flag(
            "output",
            &["o"],
            Kind::Str,
            "Output format, One of: json|yaml|table (default: \"table\")",
        ),
        flag(
            "quiet",
            &["q"],
            Kind::Bool,
            "List only pod IDs (default: false)",
        ),
        flag("state", &["s"], Kind::Str, "Filter by pod state"),
        flag(
            "verbose",
            &["v"],
            Kind::Bool,
            "Show verbose info for pods (default: false)",
        ),
    ],
};

/// `convertPodState`.
pub fn state_word(ready: bool) -> &'static str {
    if ready {
        "Ready"
    } else {
        "NotReady"
    }
}

/// The CRI enum name of a sandbox state.
pub fn state_enum(ready: bool) -> &'static str {
    if ready {
        "SANDBOX_READY"
    } else {
        "SANDBOX_NOTREADY"
    }
}

/// `crictl pods`.
pub fn pods(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    let format = match super::output_format(&parsed.string("output")) {
        Ok(format) => format,
        Err(err) => return fatal(&format!("listing pod sandboxes: {err}")),
    };
    let labels = match parse_labels(&parsed.list("label")) {
        Ok(labels) => labels,
        Err(err) => return fatal(&err),
    };
    let state = parsed.string("state");
    let wanted = match state.to_lowercase().as_str() {
        "" => None,
        "ready" => Some(true),
        "notready" => Some(false),
        _ => return fatal("--state should be ready or notready"),
    };
    let regex = |flag: &str| -> Result<Option<Regex>, Output> {
        let pattern = parsed.string(flag);
        if pattern.is_empty() {
            return Ok(None);
        }
        Regex::new(&pattern)
            .map(Some)
            .map_err(|err| fatal(&format!("error parsing regexp: {err}")))
    };
    let name = match regex("name") {
        Ok(re) => re,
        Err(out) => return out,
    };
    let namespace = match regex("namespace") {
        Ok(re) => re,
        Err(out) => return out,
    };
    let runtime = ctx.runtime();
    let id_filter = parsed.string("id");
    let id = (!id_filter.is_empty()).then(|| ctx.sandbox_id(&id_filter).ok());
    let mut found: Vec<&Sandbox> = runtime
        .sandboxes()
        .filter(|s| wanted.is_none_or(|ready| s.ready == ready))
        .filter(|s| {
            id.as_ref()
                .is_none_or(|id| id.as_deref() == Some(s.id.as_str()))
        })
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.config.labels.get(k) == Some(v))
        })
        .filter(|s| name.as_ref().is_none_or(|re| re.is_match(&s.config.name)))
        .filter(|s| {
            namespace
                .as_ref()
                .is_none_or(|re| re.is_match(&s.config.namespace))
        })
        .collect();
    crate::sort::sort_by(&mut found, |a, b| {
        b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id))
    });
    let mut n = found.len();
    if parsed.bool("latest") {
        n = 1;
    }
    let last = parsed.int("last", 0);
    if last > 0 {
        n = last as usize;
    }
    found.truncate(n);
    let now = ctx.now();
    if format != OutputFormat::Table {
        let items = found.iter().map(|s| sandbox_json(s)).collect();
        return Output::ok(print_proto(&obj([("items", Json::Arr(items))]), format));
    }
    if parsed.bool("quiet") {
        return Output::ok(
            found
                .iter()
                .map(|s| format!("{}\n", s.id))
                .collect::<String>(),
        );
    }
    if parsed.bool("verbose") {
        let mut out = String::new();
        for s in &found {
            out.push_str(&format!(
                "ID: {}\nName: {}\nUID: {}\nNamespace: {}\n",
                s.id, s.config.name, s.config.uid, s.config.namespace
            ));
            if s.config.attempt != 0 {
                out.push_str(&format!("Attempt: {}\n", s.config.attempt));
            }
            out.push_str(&format!(
                "Status: {}\nCreated: {}\n",
                state_word(s.ready),
                go_time_string(s.created_at)
            ));
            push_map(&mut out, "Labels", &s.config.labels);
            push_map(&mut out, "Annotations", &s.config.annotations);
            out.push_str("Runtime: (default)\n\n");
        }
        return Output::ok(out);
    }
    let no_trunc = parsed.bool("no-trunc");
    let mut rows = vec![[
        "POD ID",
        "CREATED",
        "STATE",
        "NAME",
        "NAMESPACE",
        "ATTEMPT",
        "RUNTIME",
    ]
    .map(String::from)
    .to_vec()];
    for s in &found {
        rows.push(vec![
            if no_trunc {
                s.id.clone()
            } else {
                truncated(&s.id, "")
            },
            ago(now, s.created_at),
            state_word(s.ready).into(),
            s.config.name.clone(),
            s.config.namespace.clone(),
            s.config.attempt.to_string(),
            "(default)".into(),
        ]);
    }
    Output::ok(table(&rows))
}

/// A sandbox as `ListPodSandboxResponse` carries it (protojson, proto field order).
fn sandbox_json(sb: &Sandbox) -> Json {
    obj([
        ("id", s(&sb.id)),
        ("metadata", metadata_json(sb)),
        ("state", s(state_enum(sb.ready))),
        ("createdAt", s(unix_nanos(sb.created_at).to_string())),
        ("labels", string_map(&*sb.config.labels)),
        ("annotations", string_map(&*sb.config.annotations)),
        ("runtimeHandler", s("")),
    ])
}

/// `PodSandboxMetadata`.
pub fn metadata_json(sb: &Sandbox) -> Json {
    obj([
        ("name", s(&sb.config.name)),
        ("uid", s(&sb.config.uid)),
        ("namespace", s(&sb.config.namespace)),
        ("attempt", Json::Int(sb.config.attempt.into())),
    ])
}

/// Go's `time.Time.String()` in UTC: `2026-11-22 08:00:00.123 +0000 UTC`.
fn go_time_string(t: crate::sim::SimTime) -> String {
    let rfc = crate::sim::wallclock::rfc3339_nano(t);
    format!(
        "{} +0000 UTC",
        rfc.trim_end_matches('Z').replacen('T', " ", 1)
    )
}
