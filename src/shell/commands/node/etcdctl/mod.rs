//! `etcdctl` (etcd v3.6.4, the v3 API; `etcdctl/ctlv3/` upstream) on the control-plane node,
//! talking to the etcd of the `etcd` static pod: `member list`, `endpoint health|status`,
//! `get KEY [RANGE_END] [--prefix] [--keys-only] [--limit N]` and `version`, with the global
//! `--endpoints`, `--cacert`, `--cert`, `--key`, `-w/--write-out`, `--dial-timeout` and
//! `--command-timeout` flags and their `ETCDCTL_*` environment variables.
//!
//! The keyspace is the API server's store as kube-apiserver keeps it in etcd
//! (`/registry/<resource>/<namespace>/<name>`, nodes under `/registry/minions`); it is read
//! through the cluster the shell already sees, never written.
//!
//! Simplified: only the commands above (and `--help`) are offered; `-w json|protobuf|fields`
//! is refused as not available; the keyspace holds the kinds the playground stores (no
//! leases, RBAC objects, service accounts, ...); values are shown as text (see `get.rs`).

mod connection;
mod endpoint;
mod get;
mod member;
mod table;

use std::collections::BTreeMap;

use crate::shell::commands::World;
use crate::shell::io::Output;
use crate::sim::SimDuration;

/// The etcdctl release.
pub const VERSION: &str = "3.6.4";

/// How a command prints its result (`-w`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOut {
    /// `simple` (the default).
    Simple,
    /// `table`.
    Table,
}

/// The global flags, after the environment's defaults.
#[derive(Debug, Clone)]
pub struct Globals {
    /// `--endpoints`.
    pub endpoints: Vec<String>,
    /// `--cacert`.
    pub cacert: Option<String>,
    /// `--cert`.
    pub cert: Option<String>,
    /// `--key`.
    pub key: Option<String>,
    /// `-w`.
    pub write_out: WriteOut,
    /// `--command-timeout`.
    pub command_timeout: SimDuration,
}

/// `etcdctl ARGS...`.
pub fn etcdctl(world: &mut World<'_>, argv: &[String]) -> Output {
    let env = |name: &str| world.vars.get(name).cloned();
    let mut flags: BTreeMap<&'static str, String> = BTreeMap::new();
    for (flag, var) in [
        ("endpoints", "ETCDCTL_ENDPOINTS"),
        ("cacert", "ETCDCTL_CACERT"),
        ("cert", "ETCDCTL_CERT"),
        ("key", "ETCDCTL_KEY"),
        ("write-out", "ETCDCTL_WRITE_OUT"),
        ("dial-timeout", "ETCDCTL_DIAL_TIMEOUT"),
        ("command-timeout", "ETCDCTL_COMMAND_TIMEOUT"),
    ] {
        if let Some(value) = env(var) {
            flags.insert(flag, value);
        }
    }
    let mut words: Vec<String> = Vec::new();
    let mut switches: Vec<String> = Vec::new();
    let mut limit: Option<String> = None;
    let mut idx = 1;
    while idx < argv.len() {
        let arg = argv[idx].as_str();
        idx += 1;
        if arg == "--" {
            words.extend(argv[idx..].iter().cloned());
            break;
        }
        let Some(body) = arg.strip_prefix("--").or_else(|| {
            arg.strip_prefix('-')
                .filter(|s| !s.is_empty() && !s.starts_with('-'))
        }) else {
            words.push(arg.to_string());
            continue;
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let valued = match name {
            "endpoints" => Some("endpoints"),
            "cacert" => Some("cacert"),
            "cert" => Some("cert"),
            "key" => Some("key"),
            "w" | "write-out" => Some("write-out"),
            "dial-timeout" => Some("dial-timeout"),
            "command-timeout" => Some("command-timeout"),
            "limit" => Some("limit"),
            _ => None,
        };
        if let Some(flag) = valued {
            let value = match inline {
                Some(v) => v,
                None => match argv.get(idx) {
                    Some(v) => {
                        idx += 1;
                        v.clone()
                    }
                    None => return flag_error(&format!("flag needs an argument: --{name}")),
                },
            };
            if flag == "limit" {
                limit = Some(value);
            } else {
                flags.insert(flag, value);
            }
            continue;
        }
        match name {
            "prefix"
            | "keys-only"
            | "cluster"
            | "help"
            | "h"
            | "insecure-transport"
            | "insecure-skip-tls-verify" => switches.push(name.to_string()),
            _ if arg.starts_with("--") => return flag_error(&format!("unknown flag: --{name}")),
            _ => {
                return flag_error(&format!(
                    "unknown shorthand flag: '{}' in {arg}",
                    name.chars().next().unwrap_or('?')
                ))
            }
        }
    }
    let help = switches.iter().any(|s| s == "help" || s == "h");
    let write_out = match flags.get("write-out").map(String::as_str).unwrap_or("simple") {
        "simple" => WriteOut::Simple,
        "table" => WriteOut::Table,
        "json" | "protobuf" | "fields" => {
            return Output::err(
                "etcdctl: -w json, protobuf and fields are not available in this playground; use simple or table\n",
                1,
            )
        }
        _ => return Output::err("Error: unsupported output format\n", 4),
    };
    let command_timeout = match flags.get("command-timeout") {
        None => SimDuration::from_secs(5),
        Some(text) => match crate::sim::time::parse_go_duration(text) {
            Ok(d) => d,
            Err(_) => {
                return flag_error(&format!(
                    "invalid argument \"{text}\" for \"--command-timeout\" flag: time: invalid duration \"{text}\""
                ))
            }
        },
    };
    let globals = Globals {
        endpoints: flags
            .get("endpoints")
            .map(String::as_str)
            .unwrap_or("127.0.0.1:2379")
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect(),
        cacert: flags.get("cacert").cloned(),
        cert: flags.get("cert").cloned(),
        key: flags.get("key").cloned(),
        write_out,
        command_timeout,
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let has = |name: &str| switches.iter().any(|s| s == name);
    match words.as_slice() {
        [] => Output::ok(HELP),
        _ if help => Output::ok(HELP),
        ["version"] => Output::ok(format!("etcdctl version: {VERSION}\nAPI version: 3.6\n")),
        ["member", "list"] => member::list(world, &globals),
        ["member"] | ["member", ..] => unsupported("member", "member list"),
        ["endpoint", "health"] => endpoint::health(world, &globals),
        ["endpoint", "status"] => endpoint::status(world, &globals),
        ["endpoint", ..] => unsupported("endpoint", "endpoint health, endpoint status"),
        ["get"] => Output::err(
            "Error: get command needs one argument as key and an optional argument as range_end\n",
            128,
        ),
        ["get", key, rest @ ..] if rest.len() <= 1 => {
            let options = get::GetOptions {
                key,
                range_end: rest.first().copied(),
                prefix: has("prefix"),
                keys_only: has("keys-only"),
                limit: limit.as_deref(),
            };
            get::get(world, &globals, &options)
        }
        ["get", ..] => Output::err(
            "Error: get command needs one argument as key and an optional argument as range_end\n",
            128,
        ),
        [sub @ ("put" | "del" | "txn" | "compaction" | "watch" | "lease" | "alarm" | "defrag"
        | "snapshot" | "move-leader" | "downgrade" | "check" | "role" | "user" | "auth"
        | "elect" | "lock" | "make-mirror"), ..] => unsupported(
            sub,
            "get, member list, endpoint health, endpoint status, version",
        ),
        [other, ..] => {
            let message = format!("unknown command \"{other}\" for \"etcdctl\"");
            Output::err(
                format!("Error: {message}\nRun 'etcdctl --help' for usage.\nError: {message}\n"),
                1,
            )
        }
    }
}

/// A flag error as cobra reports it and etcdctl repeats it.
fn flag_error(message: &str) -> Output {
    Output::err(format!("Error: {message}\n"), 1)
}

/// A real etcdctl command the playground does not offer.
fn unsupported(command: &str, offered: &str) -> Output {
    Output::err(
        format!(
            "etcdctl: \"{command}\" is not available in this playground; supported: {offered}\n"
        ),
        1,
    )
}

/// `etcdctl --help`, limited to what the playground offers.
const HELP: &str = "NAME:
\tetcdctl - A simple command line client for etcd3.

USAGE:
\tetcdctl [flags]

VERSION:
\t3.6.4

API VERSION:
\t3.6


COMMANDS EMULATED IN THIS PLAYGROUND:
\tendpoint health\tChecks the healthiness of endpoints specified in `--endpoints` flag
\tendpoint status\tPrints out the status of endpoints specified in `--endpoints` flag
\tget\t\t\tGets the key or a range of keys
\tmember list\t\tLists all members in the cluster
\tversion\t\t\tPrints the version of etcdctl

OPTIONS:
      --cacert=\"\"\t\t\t\tverify certificates of TLS-enabled secure servers using this CA bundle
      --cert=\"\"\t\t\t\t\tidentify secure client using this TLS certificate file
      --command-timeout=5s\t\t\ttimeout for short running command (excluding dial timeout)
      --dial-timeout=2s\t\t\t\tdial timeout for client connections
      --endpoints=[127.0.0.1:2379]\t\tgRPC endpoints
  -h, --help[=false]\t\t\t\thelp for etcdctl
      --key=\"\"\t\t\t\t\tidentify secure client using this TLS key file
  -w, --write-out=\"simple\"\t\t\tset the output format (fields, json, protobuf, simple, table)
";
