//! `kubectl config view|get-contexts|current-context|use-context`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/config/{view,get_contexts,current_context,use_context}.go`
//! v1.34) over the kubeconfig kubectl reads: `view` prints it as a `Config` with certificate
//! and key data shown as `DATA+OMITTED` and tokens and passwords as `REDACTED` unless `--raw`;
//! `use-context` rewrites the file's `current-context`.
//!
//! Simplified: with several files in `$KUBECONFIG` only the first one that exists is read
//! and written; `view` offers `--raw` and `--minify` and no `-o`; the other `config`
//! subcommands (`set-context`, `set-cluster`, ...) say they are not available.

use serde_json::{Map, Value};

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, Client};
use super::connection::DEFAULT_KUBECONFIG;
use super::tabwriter::{align, TabConfig};
use super::yaml_out::to_yaml;

use crate::node::fs::{normalize, WriteMode};
use crate::shell::io::Output;

/// `kubectl config`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "config",
    usage: "kubectl config SUBCOMMAND",
    summary: "Modify kubeconfig files",
    flags: &[
        flag("minify", None, Kind::Bool, "Remove all information not used by current-context from the output"),
        flag("no-headers", None, Kind::Bool, "When using the default or custom-column output format, don't print headers (default print headers)."),
        flag("output", Some('o'), Kind::Str, "Output format. One of: (name)."),
        flag("raw", None, Kind::Bool, "Display raw byte data and sensitive data"),
    ],
    unsupported: &["flatten", "merge", "template", "allow-missing-template-keys", "show-managed-fields"],
};

/// `kubectl config` alone: the group's help.
const HELP: &str = "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.
  3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place.

Available Commands (emulated in this playground):
  current-context   Display the current-context
  get-contexts      Describe one or many contexts
  use-context       Set the current-context in a kubeconfig file
  view              Display merged kubeconfig settings or a specified kubeconfig file

Usage:
  kubectl config SUBCOMMAND [options]

Use \"kubectl config <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// The `config` subcommands kubectl has and the playground does not.
const NOT_EMULATED: &[&str] = &[
    "delete-cluster",
    "delete-context",
    "delete-user",
    "get-clusters",
    "get-users",
    "rename-context",
    "set",
    "set-cluster",
    "set-context",
    "set-credentials",
    "unset",
];

/// Runs `kubectl config`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let Some(sub) = parsed.args.first().map(String::as_str) else {
        return Output::ok(HELP);
    };
    let (path, config) = match load(client, parsed) {
        Ok(loaded) => loaded,
        Err(out) => return out,
    };
    let current = config
        .get("current-context")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match sub {
        "view" => view(&config, &current, parsed),
        "current-context" if current.is_empty() => plain_error("current-context is not set"),
        "current-context" => Output::ok(format!("{current}\n")),
        "get-contexts" => get_contexts(&config, &current, &parsed.args[1..], parsed),
        "use-context" => use_context(client, &path, config, &parsed.args[1..]),
        other if NOT_EMULATED.contains(&other) => plain_error(&format!(
            "\"kubectl config {other}\" is not available in this playground; the emulated config subcommands are: current-context, get-contexts, use-context, view"
        )),
        other => Output::err(
            format!("error: unknown command \"{other}\" for \"kubectl config\"\nRun 'kubectl config --help' for usage.\n"),
            1,
        ),
    }
}

/// The kubeconfig's path (absolute) and content (`{}` when the file does not exist).
fn load(client: &Client<'_, '_>, parsed: &Parsed) -> Result<(String, Value), Output> {
    let world = &client.world;
    let home = world.vars.get("HOME").map_or("/root", String::as_str);
    let fs = &world.cluster.host(world.host).node.fs;
    let candidates: Vec<String> = match (parsed.get("kubeconfig"), world.vars.get("KUBECONFIG")) {
        (Some(path), _) => vec![path.to_string()],
        (None, Some(list)) if !list.is_empty() => list
            .split(':')
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect(),
        _ => vec![format!(
            "{}/{DEFAULT_KUBECONFIG}",
            home.trim_end_matches('/')
        )],
    };
    let abs: Vec<String> = candidates.iter().map(|p| normalize(world.cwd, p)).collect();
    let found = abs
        .iter()
        .zip(&candidates)
        .find(|(a, _)| fs.read_to_string(a).is_ok());
    let Some((path, shown)) = found else {
        return Ok((
            abs.first().cloned().unwrap_or_default(),
            Value::Object(Map::new()),
        ));
    };
    let text = fs.read_to_string(path).unwrap_or_default();
    let value: Value = crate::yaml::from_str(&text).map_err(|e| {
        Output::err(
            format!("error: error loading config file \"{shown}\": yaml: {e}\n"),
            1,
        )
    })?;
    Ok((path.clone(), value))
}

fn list<'a>(config: &'a Value, field: &str) -> &'a [Value] {
    config
        .get(field)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn str_of<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(next) => cur = next,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

/// `config view`: the `Config` object, sensitive data shortened unless `--raw`.
fn view(config: &Value, current: &str, parsed: &Parsed) -> Output {
    if let Some(o) = parsed.get("output").filter(|o| *o != "yaml") {
        return plain_error(&format!(
            "output format \"{o}\" is not available for kubectl config view in this playground"
        ));
    }
    let minify = parsed.bool("minify");
    let context = list(config, "contexts")
        .iter()
        .find(|c| str_of(c, &["name"]) == current);
    if minify && context.is_none() {
        if current.is_empty() {
            return plain_error("current-context must exist in order to minify");
        }
        return plain_error(&format!("cannot locate context {current}"));
    }
    let keep = |field: &str, name: &str| -> bool {
        if !minify {
            return true;
        }
        let wanted = match field {
            "contexts" => current,
            "clusters" => context.map_or("", |c| str_of(c, &["context", "cluster"])),
            _ => context.map_or("", |c| str_of(c, &["context", "user"])),
        };
        name == wanted
    };
    let mut out = Map::new();
    out.insert("apiVersion".into(), Value::from("v1"));
    for field in ["clusters", "contexts", "users"] {
        let items: Vec<Value> = list(config, field)
            .iter()
            .filter(|item| keep(field, str_of(item, &["name"])))
            .map(|item| {
                let mut item = item.clone();
                if !parsed.bool("raw") {
                    shorten(&mut item);
                }
                item
            })
            .collect();
        out.insert(field.into(), Value::Array(items));
    }
    out.insert("current-context".into(), Value::from(current));
    out.insert("kind".into(), Value::from("Config"));
    out.insert("preferences".into(), Value::Object(Map::new()));
    // Empty lists print as `null`, as client-go's serialisation of nil slices does.
    for field in ["clusters", "contexts", "users"] {
        if out[field].as_array().is_some_and(Vec::is_empty) {
            out.insert(field.into(), Value::Null);
        }
    }
    Output::ok(to_yaml(&Value::Object(out)))
}

/// `ShortenConfig`: byte data becomes `DATA+OMITTED`, secrets `REDACTED`.
fn shorten(item: &mut Value) {
    for section in ["cluster", "user"] {
        let Some(map) = item.get_mut(section).and_then(Value::as_object_mut) else {
            continue;
        };
        for (key, value) in map.iter_mut() {
            let replacement = match key.as_str() {
                "certificate-authority-data" | "client-certificate-data" | "client-key-data" => {
                    "DATA+OMITTED"
                }
                "token" | "password" => "REDACTED",
                _ => continue,
            };
            if value.as_str().is_some_and(|s| !s.is_empty()) {
                *value = Value::from(replacement);
            }
        }
    }
}

/// `config get-contexts [NAME...]`.
fn get_contexts(config: &Value, current: &str, names: &[String], parsed: &Parsed) -> Output {
    let contexts = list(config, "contexts");
    let name_only = match parsed.get("output") {
        None => false,
        Some("name") => true,
        Some(o) => return plain_error(&format!("output must be one of '' or 'name': {o}")),
    };
    let mut text = String::new();
    if !name_only && !parsed.bool("no-headers") {
        text.push_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
    }
    let mut errors = String::new();
    let mut selected: Vec<&Value> = Vec::new();
    if names.is_empty() {
        selected.extend(contexts.iter());
        crate::sort::sort_by_key(&mut selected, |c| str_of(c, &["name"]).to_string());
    } else {
        for wanted in names {
            match contexts.iter().find(|c| str_of(c, &["name"]) == wanted) {
                Some(c) => selected.push(c),
                None => errors.push_str(&format!("error: context {wanted} not found\n")),
            }
        }
    }
    for c in selected {
        let name = str_of(c, &["name"]);
        if name_only {
            text.push_str(&format!("{name}\n"));
            continue;
        }
        let mark = if name == current { "*" } else { "" };
        text.push_str(&format!(
            "{mark}\t{name}\t{}\t{}\t{}\n",
            str_of(c, &["context", "cluster"]),
            str_of(c, &["context", "user"]),
            str_of(c, &["context", "namespace"]),
        ));
    }
    let mut out = Output::ok(if name_only {
        text
    } else {
        align(TabConfig::KUBECTL_TABLE, &text)
    });
    if !errors.is_empty() {
        out.stderr_after_stdout(&errors);
        out.code = 1;
    }
    out
}

/// `config use-context NAME`: writes `current-context` into the file.
fn use_context(
    client: &mut Client<'_, '_>,
    path: &str,
    mut config: Value,
    args: &[String],
) -> Output {
    let [wanted] = args else {
        return Output::err(
            "error: Unexpected args: []\nSee 'kubectl config use-context -h' for help and examples\n",
            1,
        );
    };
    if !list(&config, "contexts")
        .iter()
        .any(|c| str_of(c, &["name"]) == wanted)
    {
        return plain_error(&format!("no context exists with the name: \"{wanted}\""));
    }
    if let Some(map) = config.as_object_mut() {
        map.insert("current-context".into(), Value::from(wanted.as_str()));
    }
    let text = match crate::yaml::to_string(&config) {
        Ok(t) => t,
        Err(e) => return plain_error(&e.to_string()),
    };
    let now = client.now();
    let host = client.world.host;
    let fs = &mut client.world.cluster.node_mut(host).fs;
    if let Err(err) = fs.write(now, path, text.as_bytes(), WriteMode::Truncate) {
        return plain_error(&format!("open {path}: {err}"));
    }
    Output::ok(format!("Switched to context \"{wanted}\".\n"))
}
