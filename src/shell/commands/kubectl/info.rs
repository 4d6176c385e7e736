//! `kubectl version`, `kubectl cluster-info` and `kubectl api-resources` (v1.34.1).
//!
//! Simplified: the API server serves no Services, so `cluster-info` names CoreDNS at the
//! kube-dns proxy URL when the CoreDNS deployment exists, as the kube-dns Service would.

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, usage_error, Client};
use super::resources::{short_names, ALL_CATEGORY};
use super::tabwriter::{align, TabConfig};
use crate::apiserver::store::{ObjectKey, Resource};
use crate::shell::io::Output;

/// The kubectl and cluster version.
pub const KUBERNETES_VERSION: &str = "v1.34.1";
/// The kustomize kubectl embeds.
pub const KUSTOMIZE_VERSION: &str = "v5.7.1";

/// `kubectl version`.
pub const VERSION: CommandSpec = CommandSpec {
    name: "version",
    usage: "kubectl version [flags] [options]",
    summary: "Print the client and server version information.",
    flags: &[
        flag(
            "client",
            None,
            Kind::Bool,
            "If true, shows client version only (no server required).",
        ),
        flag("output", Some('o'), Kind::Str, "One of 'yaml' or 'json'."),
    ],
    unsupported: &[],
};

/// `kubectl cluster-info`.
pub const CLUSTER_INFO: CommandSpec = CommandSpec {
    name: "cluster-info",
    usage: "kubectl cluster-info [flags] [options]",
    summary: "Display cluster information.",
    flags: &[],
    unsupported: &[],
};

/// `kubectl api-resources`.
pub const API_RESOURCES: CommandSpec = CommandSpec {
    name: "api-resources",
    usage: "kubectl api-resources [flags] [options]",
    summary: "Print the supported API resources on the server.",
    flags: &[
        flag("namespaced", None, Kind::Bool, "If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default."),
        flag("no-headers", None, Kind::Bool, "When using the default or custom-column output format, don't print headers (default print headers)."),
        flag("output", Some('o'), Kind::Str, "Output format. One of: (wide, name)."),
    ],
    unsupported: &["api-group", "cached", "categories", "sort-by", "verbs"],
};

/// Runs `kubectl version`.
pub fn version(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    if let Some(o) = parsed.get("output") {
        if o != "yaml" && o != "json" {
            return plain_error("--output must be 'yaml' or 'json'");
        }
        return plain_error("version -o yaml|json is not available in this playground");
    }
    let mut out = Output::ok(format!(
        "Client Version: {KUBERNETES_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
    ));
    if parsed.bool("client") {
        return out;
    }
    if !client.conn.reachable(client.world.cluster) {
        out.stderr = format!("{}\n", client.conn.failure_message());
        out.code = 1;
        return out;
    }
    out.stdout
        .push_str(&format!("Server Version: {KUBERNETES_VERSION}\n"));
    out
}

/// Runs `kubectl cluster-info`.
pub fn cluster_info(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    if !parsed.args.is_empty() {
        return plain_error(&format!(
            "\"kubectl cluster-info {}\" is not available in this playground",
            parsed.args.join(" ")
        ));
    }
    if !client.conn.reachable(client.world.cluster) {
        return Output::err(
            format!(
                "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n{}\n",
                client.conn.failure_message()
            ),
            1,
        );
    }
    let server = client.conn.server.clone();
    let mut text = format!("Kubernetes control plane is running at {server}\n");
    let coredns = ObjectKey::new(Resource::Deployments, "kube-system", "coredns");
    if client.api().store().get_value(&coredns).is_some() {
        text.push_str(&format!(
            "CoreDNS is running at {server}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n"
        ));
    }
    text.push_str(
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
    Output::ok(text)
}

/// Runs `kubectl api-resources`.
pub fn api_resources(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    if !parsed.args.is_empty() {
        return usage_error(
            "api-resources",
            &format!("unexpected arguments: [{}]", parsed.args.join(" ")),
        );
    }
    if let Err(out) = client.discover() {
        return out;
    }
    let mut resources: Vec<Resource> = Resource::ALL.to_vec();
    if parsed.has("namespaced") {
        let wanted = parsed.bool("namespaced");
        resources.retain(|r| r.namespaced() == wanted);
    }
    // `Resource::ALL` is in discovery's order: core first, then the groups by priority.
    let output = parsed.get("output").unwrap_or("");
    if output == "name" {
        let names: String = resources
            .iter()
            .map(|r| {
                if r.group().is_empty() {
                    format!("{}\n", r.plural())
                } else {
                    format!("{}.{}\n", r.plural(), r.group())
                }
            })
            .collect();
        return Output::ok(names);
    }
    if !output.is_empty() && output != "wide" {
        return plain_error(&format!(
            "--output {output} is not available, must be one of: wide|name"
        ));
    }
    let wide = output == "wide";
    let mut text = String::new();
    if !parsed.bool("no-headers") {
        text.push_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND");
        text.push_str(if wide { "\tVERBS\tCATEGORIES\n" } else { "\n" });
    }
    for r in resources {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}",
            r.plural(),
            short_names(r).join(","),
            r.api_version(),
            r.namespaced(),
            r.kind()
        ));
        if wide {
            let categories = if ALL_CATEGORY.contains(&r) { "all" } else { "" };
            // ComponentStatus is computed on read: it can only be read.
            let verbs = if r == Resource::ComponentStatuses {
                "[get list]"
            } else {
                "[create delete deletecollection get list patch update watch]"
            };
            text.push_str(&format!("\t{verbs}\t{categories}"));
        }
        text.push('\n');
    }
    Output::ok(align(TabConfig::KUBECTL_TABLE, &text))
}
