//! `kubectl auth can-i` (`staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go` v1.34) for the
//! kubeconfig kubeadm writes: `kubernetes-admin` is in `kubeadm:cluster-admins`, bound to
//! `cluster-admin`, so every question is answered `yes`, and `--list` prints the rules of
//! `cluster-admin` with those every authenticated user gets (`system:basic-user`,
//! `system:discovery`, `system:public-info-viewer`).
//!
//! Simplified: the answer does not depend on the kubeconfig's user (the playground has no
//! authorizer), so a node's `kubelet.conf` is answered as the admin is; `--as`,
//! `--subresource` and `auth whoami`/`reconcile` are not offered.

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{usage_error, Client};
use super::resources::resolve_type;
use super::tabwriter::{align, TabConfig};

use crate::shell::io::Output;

/// `kubectl auth`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "auth",
    usage: "kubectl auth [flags] [options]",
    summary: "Inspect authorization",
    flags: &[
        flag(
            "all-namespaces",
            Some('A'),
            Kind::Bool,
            "If true, check the specified action in all namespaces.",
        ),
        flag(
            "list",
            None,
            Kind::Bool,
            "If true, prints all allowed actions.",
        ),
        flag(
            "no-headers",
            None,
            Kind::Bool,
            "If true, prints allowed actions without headers",
        ),
        flag(
            "quiet",
            Some('q'),
            Kind::Bool,
            "If true, suppress output and just return the exit code.",
        ),
    ],
    unsupported: &["as", "as-group", "as-uid", "subresource"],
};

/// `kubectl auth` alone: cobra prints the group's help.
const HELP: &str = "Inspect authorization.

Available Commands:
  can-i         Check whether an action is allowed
  reconcile     Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects
  whoami        Experimental: Check self subject attributes

Usage:
  kubectl auth [flags] [options]

Use \"kubectl auth <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// The verbs `can-i` knows without a warning.
const KNOWN_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];

/// The rules `--list` prints for the cluster admin: (resources, non-resource URLs, verbs).
const ADMIN_RULES: &[(&str, &str, &str)] = &[
    ("*.*", "[]", "[*]"),
    ("", "[*]", "[*]"),
    ("selfsubjectreviews.authentication.k8s.io", "[]", "[create]"),
    (
        "selfsubjectaccessreviews.authorization.k8s.io",
        "[]",
        "[create]",
    ),
    (
        "selfsubjectrulesreviews.authorization.k8s.io",
        "[]",
        "[create]",
    ),
    ("", "[/api/*]", "[get]"),
    ("", "[/api]", "[get]"),
    ("", "[/apis/*]", "[get]"),
    ("", "[/apis]", "[get]"),
    ("", "[/healthz]", "[get]"),
    ("", "[/healthz]", "[get]"),
    ("", "[/livez]", "[get]"),
    ("", "[/livez]", "[get]"),
    ("", "[/openapi/*]", "[get]"),
    ("", "[/openapi]", "[get]"),
    ("", "[/readyz]", "[get]"),
    ("", "[/readyz]", "[get]"),
    ("", "[/version/]", "[get]"),
    ("", "[/version/]", "[get]"),
    ("", "[/version]", "[get]"),
    ("", "[/version]", "[get]"),
];

/// Runs `kubectl auth`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    match parsed.args.first().map(String::as_str) {
        Some("can-i") => can_i(client, parsed, &parsed.args[1..]),
        _ => Output::ok(HELP),
    }
}

fn can_i(client: &mut Client<'_, '_>, parsed: &Parsed, args: &[String]) -> Output {
    if parsed.bool("list") {
        if !args.is_empty() {
            return usage_error(
                "auth can-i",
                "list option must be specified with no arguments",
            );
        }
        if let Err(out) = client.discover() {
            return out;
        }
        let mut text = String::new();
        if !parsed.bool("no-headers") {
            text.push_str("Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
        }
        for (resources, urls, verbs) in ADMIN_RULES {
            text.push_str(&format!("{resources}\t{urls}\t[]\t{verbs}\n"));
        }
        return Output::ok(align(TabConfig::KUBECTL_TABLE, &text));
    }
    let (verb, target) = match args {
        // A resource, `resource/name` or a non-resource URL (`/logs`).
        [verb, target] => (verb.as_str(), target.as_str()),
        _ => {
            return usage_error(
                "auth can-i",
                "you must specify two arguments: verb resource or verb resource/resourceName.",
            )
        }
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let mut out = Output::default();
    if !KNOWN_VERBS.contains(&verb) {
        out.stderr
            .push_str(&format!("Warning: verb '{verb}' is not a known verb\n"));
    }
    if !target.starts_with('/') {
        let typed = target.split_once('/').map_or(target, |(t, _)| t);
        if typed != "*" && resolve_type(typed).is_err() {
            out.stderr.push_str(&format!(
                "Warning: the server doesn't have a resource type '{typed}'\n"
            ));
        }
    }
    if !parsed.bool("quiet") {
        out.stdout.push_str("yes\n");
    }
    out
}
