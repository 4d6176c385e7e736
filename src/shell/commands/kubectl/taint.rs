//! `kubectl taint` (`staging/src/k8s.io/kubectl/pkg/cmd/taint/{taint,utils}.go` v1.34):
//! `KEY[=VALUE]:EFFECT` adds a taint, `KEY[:EFFECT]-` removes taints, on nodes by name, `-l`
//! or `--all`; each node is reported `tainted`, `untainted` or `modified`.
//!
//! Simplified: the new taint list is written with an update instead of a strategic merge
//! patch; the stored node is the same.

use serde_json::Value;

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{label_query, plain_error, server_error, usage_error, Client};
use super::objutil::{array_at, name, str_at, string_map};
use super::resources::resolve_type;

use crate::apiserver::store::Resource;
use crate::apiserver::validation::names::{is_qualified_name, is_valid_label_value};
use crate::shell::io::Output;

/// `kubectl taint`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "taint",
    usage: "kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N",
    summary: "Update the taints on one or more nodes",
    flags: &[
        flag("all", None, Kind::Bool, "Select all nodes in the cluster"),
        flag("overwrite", None, Kind::Bool, "If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints."),
        flag("selector", Some('l'), Kind::Str, "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)"),
    ],
    unsupported: &[
        "allow-missing-template-keys", "dry-run", "field-manager", "output", "o",
        "show-managed-fields", "template", "validate",
    ],
};

/// One taint as kubectl parses it: key, value and effect (empty when not given).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Taint {
    key: String,
    value: String,
    effect: String,
}

impl Taint {
    /// `Taint.ToString`: `key=value:effect`, parts left out when empty.
    fn to_text(&self) -> String {
        let mut text = self.key.clone();
        if !self.value.is_empty() {
            text.push('=');
            text.push_str(&self.value);
        }
        if !self.effect.is_empty() {
            text.push(':');
            text.push_str(&self.effect);
        }
        text
    }

    fn from_value(v: &Value) -> Taint {
        Taint {
            key: str_at(v, &["key"]).to_string(),
            value: str_at(v, &["value"]).to_string(),
            effect: str_at(v, &["effect"]).to_string(),
        }
    }

    /// `MatchTaint`: same key and effect.
    fn matches(&self, other: &Taint) -> bool {
        self.key == other.key && self.effect == other.effect
    }
}

/// Runs `kubectl taint`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    // Resources first, then taint changes (a word with `=`, `:` or a trailing `-`).
    let mut resources: Vec<&str> = Vec::new();
    let mut taint_args: Vec<&str> = Vec::new();
    for arg in &parsed.args {
        let is_taint = arg.contains('=') || arg.contains(':') || arg.ends_with('-');
        match (taint_args.is_empty(), is_taint) {
            (_, true) => taint_args.push(arg),
            (true, false) => resources.push(arg),
            (false, false) => {
                return plain_error(&format!(
                    "all resources must be specified before taint changes: {arg}"
                ))
            }
        }
    }
    if resources.is_empty() {
        return plain_error("one or more resources must be specified as <resource> <name>");
    }
    if taint_args.is_empty() {
        return plain_error("at least one taint update is required");
    }
    let (to_add, to_remove) = match parse_taints(&taint_args) {
        Ok(t) => t,
        Err(msg) => return usage_error("taint", &msg),
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let typed = resources[0].to_lowercase();
    match resolve_type(&typed) {
        Ok(Resource::Nodes) => (),
        Ok(_) => {
            return plain_error(&format!(
                "invalid resource type {typed}, only node types are supported"
            ))
        }
        Err(msg) => return plain_error(&msg),
    }
    let mut conflicts = Vec::new();
    for add in &to_add {
        for remove in &to_remove {
            if add.key == remove.key && (remove.effect.is_empty() || add.effect == remove.effect) {
                conflicts.push(format!("{{\"{}\":\"{}\"}}", remove.key, remove.effect));
            }
        }
    }
    if !conflicts.is_empty() {
        return plain_error(&format!(
            "can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        ));
    }
    let all = parsed.bool("all");
    let selector = parsed.get("selector").unwrap_or("");
    if all && !selector.is_empty() {
        return plain_error("setting 'all' parameter with a non empty selector is prohibited");
    }
    if !all && selector.is_empty() && resources.len() < 2 {
        return plain_error(
            "at least one resource name must be specified since 'all' parameter is not set",
        );
    }
    let mut out = Output::default();
    let mut errors: Vec<String> = Vec::new();
    let mut nodes: Vec<Value> = Vec::new();
    if all || !selector.is_empty() {
        let query = match label_query(parsed, Resource::Nodes) {
            Ok(q) => q,
            Err(out) => return out,
        };
        match client.list(Resource::Nodes, None) {
            Ok(listed) => nodes.extend(listed.into_iter().filter(|n| {
                query
                    .as_ref()
                    .is_none_or(|q| q.matches(&string_map(n, &["metadata", "labels"])))
            })),
            Err(err) => return Output::err(server_error(&client.conn, &err), 1),
        }
    } else {
        for wanted in &resources[1..] {
            match client.get(Resource::Nodes, wanted) {
                Ok(node) => nodes.push(node),
                Err(err) => errors.push(server_error(&client.conn, &err)),
            }
        }
    }
    let overwrite = parsed.bool("overwrite");
    for node in nodes {
        match retaint(client, node, &to_add, &to_remove, overwrite) {
            Ok(line) => out.stdout.push_str(&line),
            Err(errs) => errors.extend(errs),
        }
    }
    if !errors.is_empty() {
        out.code = 1;
        // The visitor's errors are flattened: one alone is printed as kubectl prints an
        // error, several one per line.
        let text = if errors.len() == 1 && !errors[0].starts_with("Error from server") {
            format!("error: {}", errors[0])
        } else {
            errors.concat()
        };
        out.stderr_after_stdout(&text);
    }
    out
}

/// `parseTaints`: the taints to add and to remove, or the usage error's message.
fn parse_taints(specs: &[&str]) -> Result<(Vec<Taint>, Vec<Taint>), String> {
    let mut to_add: Vec<Taint> = Vec::new();
    let mut to_remove = Vec::new();
    for spec in specs {
        if let Some(body) = spec.strip_suffix('-') {
            let mut taint = parse_taint(body)?;
            taint.value.clear();
            to_remove.push(taint);
            continue;
        }
        let taint = parse_taint(spec)?;
        if taint.effect.is_empty() {
            return Err(format!("invalid taint spec: {spec}"));
        }
        if to_add.iter().any(|t| t.matches(&taint)) {
            // Go's `%v` of a Taint struct: `{key value effect <nil>}`.
            return Err(format!(
                "duplicated taints with the same key and effect: {{{} {} {} <nil>}}",
                taint.key, taint.value, taint.effect
            ));
        }
        to_add.push(taint);
    }
    Ok((to_add, to_remove))
}

/// `parseTaint`: `KEY=VALUE:EFFECT`, `KEY:EFFECT` or `KEY`.
fn parse_taint(spec: &str) -> Result<Taint, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [key] => (*key, "", ""),
        [kv, effect] => {
            if !matches!(*effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!(
                    "invalid taint effect: {effect}, unsupported taint effect"
                ));
            }
            let kv: Vec<&str> = kv.split('=').collect();
            match kv.as_slice() {
                [key] => (*key, "", *effect),
                [key, value] => {
                    let errs = is_valid_label_value(value);
                    if !errs.is_empty() {
                        return Err(format!("invalid taint spec: {spec}, {}", errs.join("; ")));
                    }
                    (*key, *value, *effect)
                }
                _ => return Err(format!("invalid taint spec: {spec}")),
            }
        }
        _ => return Err(format!("invalid taint spec: {spec}")),
    };
    let errs = is_qualified_name(key);
    if !errs.is_empty() {
        return Err(format!("invalid taint spec: {spec}, {}", errs.join("; ")));
    }
    Ok(Taint {
        key: key.to_string(),
        value: value.to_string(),
        effect: effect.to_string(),
    })
}

/// `updateTaints` and the write for one node: the line kubectl prints, or its errors.
fn retaint(
    client: &mut Client<'_, '_>,
    mut node: Value,
    to_add: &[Taint],
    to_remove: &[Taint],
    overwrite: bool,
) -> Result<String, Vec<String>> {
    let node_name = name(&node).to_string();
    let old: Vec<Value> = array_at(&node, &["spec", "taints"]).to_vec();
    let old_taints: Vec<Taint> = old.iter().map(Taint::from_value).collect();
    if !overwrite {
        let exists: Vec<&str> = to_add
            .iter()
            .flat_map(|t| {
                old_taints
                    .iter()
                    .filter(|o| o.matches(t))
                    .map(|_| t.key.as_str())
            })
            .collect();
        if !exists.is_empty() {
            return Err(vec![format!(
                "node {node_name} already has {} taint(s) with same effect(s) and --overwrite is false\n",
                exists.join(",")
            )]);
        }
    }
    // `reorganizeTaints`: the new taints first, then the old ones they do not replace (as
    // stored, `timeAdded` included), then the removals.
    let mut new: Vec<Value> = to_add.iter().map(taint_value).collect();
    let mut new_taints: Vec<Taint> = to_add.to_vec();
    for (value, taint) in old.iter().zip(&old_taints) {
        if !new_taints.iter().any(|t| t.matches(taint)) {
            new.push(value.clone());
            new_taints.push(taint.clone());
        }
    }
    let added = old.len() != new.len();
    let mut errors = Vec::new();
    let mut deleted = false;
    for remove in to_remove {
        let before = new.len();
        let keep: Vec<bool> = new_taints
            .iter()
            .map(|t| {
                if remove.effect.is_empty() {
                    t.key != remove.key
                } else {
                    !remove.matches(t)
                }
            })
            .collect();
        let mut flags = keep.iter();
        new.retain(|_| *flags.next().unwrap_or(&true));
        let mut flags = keep.iter();
        new_taints.retain(|_| *flags.next().unwrap_or(&true));
        deleted = new.len() != before;
        if !deleted {
            errors.push(format!("taint \"{}\" not found\n", remove.to_text()));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let operation = if (added && deleted) || overwrite {
        "modified"
    } else if added {
        "tainted"
    } else {
        "untainted"
    };
    if let Some(spec) = node.get_mut("spec").and_then(Value::as_object_mut) {
        if new.is_empty() {
            spec.remove("taints");
        } else {
            spec.insert("taints".into(), Value::Array(new));
        }
    }
    let result = client
        .world
        .cluster
        .requests()
        .update(Resource::Nodes, &node);
    client.world.cluster.settle();
    match result {
        Ok(_) => Ok(format!("node/{node_name} {operation}\n")),
        Err(err) => Err(vec![server_error(&client.conn, &err)]),
    }
}

fn taint_value(t: &Taint) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("key".into(), Value::from(t.key.clone()));
    if !t.value.is_empty() {
        map.insert("value".into(), Value::from(t.value.clone()));
    }
    map.insert("effect".into(), Value::from(t.effect.clone()));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taint_specs_parse_as_upstream() {
        assert_eq!(
            parse_taint("dedicated=gpu:NoSchedule").unwrap().to_text(),
            "dedicated=gpu:NoSchedule"
        );
        assert_eq!(
            parse_taint("bar:NoExecute").unwrap().to_text(),
            "bar:NoExecute"
        );
        assert_eq!(parse_taint("bar").unwrap().to_text(), "bar");
        assert_eq!(
            parse_taint("a=b:Never"),
            Err("invalid taint effect: Never, unsupported taint effect".to_string())
        );
        assert_eq!(
            parse_taint("a=b=c:NoSchedule"),
            Err("invalid taint spec: a=b=c:NoSchedule".to_string())
        );
        assert_eq!(
            parse_taint("a:b:c"),
            Err("invalid taint spec: a:b:c".to_string())
        );
        // A spec without an effect is read as a key, which `=` makes invalid.
        assert!(parse_taints(&["a=b"])
            .unwrap_err()
            .starts_with("invalid taint spec: a=b, name part must consist of"));
        assert_eq!(
            parse_taints(&["a"]),
            Err("invalid taint spec: a".to_string())
        );
        assert_eq!(
            parse_taints(&["a=1:NoSchedule", "a=2:NoSchedule"]),
            Err(
                "duplicated taints with the same key and effect: {a 2 NoSchedule <nil>}"
                    .to_string()
            )
        );
    }
}
