//! `etcdctl get KEY [RANGE_END] [--prefix] [--keys-only] [--limit N]`
//! (`etcdctl/ctlv3/command/get_command.go`): the keys kube-apiserver keeps in etcd, in byte
//! order, each printed as its key and then its value on the next line (`--keys-only`: the
//! key and an empty line, as the simple printer prints the empty value).
//!
//! Keys are `/registry/<resource>/<namespace>/<name>` for namespaced kinds and
//! `/registry/<resource>/<name>` for the others; nodes live under `/registry/minions`.
//!
//! Simplified: kube-apiserver stores objects as protobuf behind a `k8s\0` magic prefix, which
//! a terminal shows as `k8s` and binary noise; here the value is `k8s` followed by the
//! object's JSON (without `resourceVersion`, which etcd keeps as the key's revision).

use serde_json::Value;

use super::connection::{deadline, dial, Failure};
use super::{Globals, WriteOut};
use crate::apiserver::store::Resource;
use crate::shell::commands::World;
use crate::shell::io::Output;

/// What `get` was asked for.
pub struct GetOptions<'a> {
    /// The key (or the start of the range).
    pub key: &'a str,
    /// The end of the range, exclusive.
    pub range_end: Option<&'a str>,
    /// `--prefix`.
    pub prefix: bool,
    /// `--keys-only`.
    pub keys_only: bool,
    /// `--limit`.
    pub limit: Option<&'a str>,
}

/// `etcdctl get`.
pub fn get(world: &mut World<'_>, globals: &Globals, options: &GetOptions<'_>) -> Output {
    if globals.write_out == WriteOut::Table {
        return Output::err("Error: table is not supported as output format\n", 4);
    }
    if options.prefix && options.range_end.is_some() {
        return Output::err("Error: too many arguments, only accept one argument when `--prefix` or `--from-key` is set\n", 128);
    }
    let limit = match options.limit.map(str::parse::<u64>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            return Output::err(
                format!(
                    "Error: invalid argument \"{}\" for \"--limit\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax\n",
                    options.limit.unwrap_or_default(),
                    options.limit.unwrap_or_default()
                ),
                1,
            )
        }
    };
    let mut last = String::new();
    let mut answered = false;
    for endpoint in &globals.endpoints {
        match dial(world, globals, endpoint) {
            Ok(_) => {
                answered = true;
                break;
            }
            Err(Failure::Setup(out)) => return out,
            Err(Failure::Deadline(desc)) => last = desc,
        }
    }
    if !answered {
        let endpoints = globals.endpoints.join(",");
        let warning = deadline(
            world,
            globals,
            "etcd-client",
            "/etcdserverpb.KV/Range",
            &endpoints,
            &last,
        );
        return Output::err(format!("{warning}Error: context deadline exceeded\n"), 1);
    }
    let mut out = String::new();
    let mut count = 0;
    for (key, value) in keyspace(world) {
        let wanted = match (options.prefix, options.range_end) {
            (true, _) => key.starts_with(options.key),
            (false, Some(end)) => key.as_str() >= options.key && key.as_str() < end,
            (false, None) => key == options.key,
        };
        if !wanted {
            continue;
        }
        if limit.is_some_and(|n| n > 0 && count >= n) {
            break;
        }
        count += 1;
        out.push_str(&key);
        out.push('\n');
        if !options.keys_only {
            out.push_str(&value);
        }
        out.push('\n');
    }
    Output::ok(out)
}

/// Every key kube-apiserver holds, with its value as shown, in byte order.
fn keyspace(world: &World<'_>) -> Vec<(String, String)> {
    let store = world.cluster.api().store();
    let mut out = Vec::new();
    for resource in Resource::ALL {
        let dir = match resource {
            Resource::Nodes => "minions",
            other => other.plural(),
        };
        for object in store.list_values(resource, None) {
            let meta = |field: &str| {
                object
                    .pointer(&format!("/metadata/{field}"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let key = if resource.namespaced() {
                format!("/registry/{dir}/{}/{}", meta("namespace"), meta("name"))
            } else {
                format!("/registry/{dir}/{}", meta("name"))
            };
            let mut stored = object.clone();
            if let Some(map) = stored.get_mut("metadata").and_then(Value::as_object_mut) {
                map.remove("resourceVersion");
            }
            let json = serde_json::to_string(&stored).unwrap_or_default();
            out.push((key, format!("k8s{json}")));
        }
    }
    crate::sort::sort_by(&mut out, |a, b| a.0.cmp(&b.0));
    out
}
