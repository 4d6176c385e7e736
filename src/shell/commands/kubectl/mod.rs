//! kubectl v1.34.1 against the emulated API server: the command layer (one module per
//! subcommand, the flag parser, the kubeconfig and the request wording) and the output layer
//! (tables, describe, `-o yaml|json|name|jsonpath|custom-columns`) as pure functions over API
//! objects, mirroring `staging/src/k8s.io/kubectl` and `staging/src/k8s.io/cli-runtime`.
//!
//! Simplified: only the subcommands in [`COMMANDS`] are emulated; kubectl's other
//! subcommands say they are not available in the playground.

pub mod attachable;
pub mod auth;
pub mod cli;
pub mod client;
pub mod config;
pub mod connection;
pub mod delete;
pub mod describe;
pub mod describe_cmd;
pub mod drain;
pub mod edit;
pub mod events;
pub mod exec;
pub mod explain;
pub mod field_selector;
pub mod generate;
pub mod get;
pub mod gofmt;
pub mod info;
pub mod jsonpath;
pub mod label;
pub mod logs;
pub mod manifest;
pub mod objutil;
pub mod output;
pub mod patch;
pub mod printers;
pub mod raw;
pub mod replace;
pub mod resources;
pub mod rollout;
pub mod scale;
pub mod selector;
pub mod set;
pub mod sort_by;
pub mod tabwriter;
pub mod taint;
pub mod top;
pub mod wait;
pub mod watch;
pub mod write;
pub mod yaml_out;

#[cfg(test)]
mod fixtures;

use cli::{find_subcommand, flag_error_text, help_text, parse, CommandSpec};
use client::Client;

use crate::shell::commands::World;
use crate::shell::io::{Invocation, Output};

/// A subcommand's handler: the connected client, the parsed command line and stdin.
type Handler = fn(&mut Client<'_, '_>, &cli::Parsed, &str) -> Output;

/// Every emulated subcommand with its flags and handler, in `kubectl --help` order.
pub const COMMANDS: &[(&CommandSpec, Handler)] = &[
    (&generate::RUN, |c, p, _| generate::run(c, p)),
    (&set::SPEC, |c, p, _| set::run(c, p)),
    (&get::SPEC, |c, p, _| get::run(c, p)),
    (&edit::SPEC, |c, p, _| edit::run(c, p)),
    (&delete::SPEC, delete::run),
    (&explain::SPEC, |c, p, _| explain::run(c, p)),
    (&rollout::SPEC, |c, p, _| rollout::run(c, p)),
    (&scale::SPEC, |c, p, _| scale::run(c, p)),
    (&info::CLUSTER_INFO, |c, p, _| info::cluster_info(c, p)),
    (&top::SPEC, |c, p, _| top::run(c, p)),
    (&drain::CORDON, |c, p, _| drain::cordon(c, p)),
    (&drain::UNCORDON, |c, p, _| drain::uncordon(c, p)),
    (&drain::DRAIN, |c, p, _| drain::drain(c, p)),
    (&taint::SPEC, |c, p, _| taint::run(c, p)),
    (&describe_cmd::SPEC, |c, p, _| describe_cmd::run(c, p)),
    (&logs::SPEC, |c, p, _| logs::run(c, p)),
    (&exec::SPEC, |c, p, _| exec::run(c, p)),
    (&events::SPEC, |c, p, _| events::run(c, p)),
    (&write::APPLY, write::apply),
    (&write::CREATE, write::create),
    (&patch::SPEC, |c, p, _| patch::run(c, p)),
    (&replace::SPEC, replace::run),
    (&wait::SPEC, |c, p, _| wait::run(c, p)),
    (&label::SPEC, |c, p, _| label::run(c, p)),
    (&label::ANNOTATE, |c, p, _| label::annotate(c, p)),
    (&auth::SPEC, |c, p, _| auth::run(c, p)),
    (&info::API_RESOURCES, |c, p, _| info::api_resources(c, p)),
    (&config::SPEC, |c, p, _| config::run(c, p)),
    (&info::VERSION, |c, p, _| info::version(c, p)),
];

/// `kubectl` itself, for its global flags.
const TOP: CommandSpec = CommandSpec {
    name: "",
    usage: "kubectl [flags] [options]",
    summary: "kubectl controls the Kubernetes cluster manager.",
    flags: &[],
    unsupported: &[],
};

/// kubectl's other subcommands, answered with "not available in this playground".
const NOT_EMULATED: &[&str] = &[
    "api-versions",
    "attach",
    "autoscale",
    "certificate",
    "completion",
    "cp",
    "debug",
    "diff",
    "expose",
    "kustomize",
    "options",
    "plugin",
    "port-forward",
    "proxy",
];

/// `kubectl ...`.
pub fn kubectl(world: &mut World<'_>, inv: Invocation<'_>) -> Output {
    let argv = inv.argv;
    let Some(idx) = find_subcommand(argv) else {
        // Global flags alone still go through the parser, so `kubectl -n` says what is wrong.
        return match parse(&argv[1..], &TOP) {
            Err(err) => Output::err(flag_error_text(&TOP, &err), 1),
            Ok(_) => Output::ok(top_help()),
        };
    };
    let name = argv[idx].as_str();
    let Some((spec, handler)) = COMMANDS.iter().find(|(spec, _)| spec.name == name) else {
        if NOT_EMULATED.contains(&name) {
            return Output::err(
                format!(
                    "error: \"kubectl {name}\" is not available in this playground; the emulated subcommands are: {}\n",
                    names().join(", ")
                ),
                1,
            );
        }
        return Output::err(
            format!(
                "error: unknown command \"{name}\" for \"kubectl\"\n{}Run 'kubectl --help' for usage.\n",
                suggestion(name)
            ),
            1,
        );
    };
    // Global flags may come before the subcommand: parse them with the rest.
    let mut args: Vec<String> = argv[1..idx].to_vec();
    args.extend(argv[idx + 1..].iter().cloned());
    let parsed = match parse(&args, spec) {
        Ok(parsed) => parsed,
        Err(err) => return Output::err(flag_error_text(spec, &err), 1),
    };
    if parsed.bool("help") {
        return Output::ok(help_text(spec));
    }
    let mut client = match Client::new(world, &parsed) {
        Ok(client) => client,
        Err(out) => return out,
    };
    handler(&mut client, &parsed, inv.stdin)
}

fn names() -> Vec<&'static str> {
    COMMANDS.iter().map(|(spec, _)| spec.name).collect()
}

/// cobra's "Did you mean this?" lines: subcommands within two edits of what was typed.
fn suggestion(typed: &str) -> String {
    let mut out = String::new();
    for name in names() {
        if levenshtein(typed, name) <= 2 || name.starts_with(typed) {
            out.push_str(&format!("\t{name}\n"));
        }
    }
    if out.is_empty() {
        return String::new();
    }
    format!("\nDid you mean this?\n{out}\n")
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// `kubectl` with no subcommand: the command list, limited to what the playground emulates.
fn top_help() -> String {
    let mut out = String::from(
        "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nCommands emulated in this playground:\n",
    );
    let width = names().iter().map(|n| n.len()).max().unwrap_or(0);
    for (spec, _) in COMMANDS {
        out.push_str(&format!(
            "  {:width$}   {}\n",
            spec.name,
            spec.summary.lines().next().unwrap_or(""),
        ));
    }
    out.push_str("\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_misspellings_are_suggested() {
        assert_eq!(suggestion("gte"), "\nDid you mean this?\n\tget\n\n");
        assert_eq!(suggestion("zzzzzzzz"), "");
        assert_eq!(levenshtein("describe", "descirbe"), 2);
    }
}
