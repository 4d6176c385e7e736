//! `kubectl top node|pod` (`staging/src/k8s.io/kubectl/pkg/cmd/top/{top,top_node,top_pod}.go`
//! v1.34). A kubeadm cluster has no metrics-server, so the `metrics.k8s.io` API is missing
//! from discovery and both subcommands fail with `error: Metrics API not available`, as they
//! do on a fresh kubeadm cluster.

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{plain_error, Client};

use crate::shell::io::Output;

/// `kubectl top`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "top",
    usage: "kubectl top [flags] [options]",
    summary: "Display resource (CPU/memory) usage",
    flags: &[
        flag("all-namespaces", Some('A'), Kind::Bool, "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace."),
        flag("containers", None, Kind::Bool, "If present, print usage of containers within a pod."),
        flag("no-headers", None, Kind::Bool, "If present, print output without headers"),
        flag("selector", Some('l'), Kind::Str, "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints."),
        flag("show-capacity", None, Kind::Bool, "Print node resources based on Capacity instead of Allocatable(default) of the nodes."),
        flag("sort-by", None, Kind::Str, "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'."),
        flag("sum", None, Kind::Bool, "Print the sum of the resource usage"),
        flag("use-protocol-buffers", None, Kind::Bool, "Enables using protocol-buffers to access Metrics API."),
    ],
    unsupported: &[],
};

/// `kubectl top` without a known resource: cobra prints the command's help.
const HELP: &str = "Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods

Usage:
  kubectl top [flags] [options]

Use \"kubectl top <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// Runs `kubectl top`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let Some(what) = parsed.args.first() else {
        return Output::ok(HELP);
    };
    if !matches!(
        what.as_str(),
        "node" | "nodes" | "no" | "pod" | "pods" | "po"
    ) {
        return Output::ok(HELP);
    }
    if let Err(out) = client.discover() {
        return out;
    }
    plain_error("Metrics API not available")
}
