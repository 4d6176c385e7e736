//! `crictl version` and `crictl info` (`cmd/crictl/version.go`, `info.go`): what the runtime
//! says about itself.
//!
//! Simplified: `info` shows the runtime's conditions, handlers, features and the CNI status,
//! not containerd's whole CRI plugin configuration.

use super::cli::{flag, Kind, Parsed};
use super::json::{obj, s, Json};
use super::{fatal, go_quote, show_help, Ctx, Subcommand};
use crate::shell::io::Output;

/// The crictl release installed with kubeadm's packages.
pub const CRICTL_VERSION: &str = "v1.34.0";

/// The containerd release on the nodes (matches the node status' `containerRuntimeVersion`).
pub const CONTAINERD_VERSION: &str = "1.7.27";

/// `crictl version`.
pub const VERSION: Subcommand = Subcommand {
    name: "version",
    aliases: &[],
    usage: "Display runtime version information",
    args_usage: "",
    flags: &[],
};

/// `crictl info`.
pub const INFO: Subcommand = Subcommand {
    name: "info",
    aliases: &[],
    usage: "Display information of the container runtime",
    args_usage: "",
    flags: &[
        flag(
            "output",
            &["o"],
            Kind::Str,
            "Output format, One of: json|yaml|go-template (default: \"json\")",
        ),
        flag(
            "quiet",
            &["q"],
            Kind::Bool,
            "Do not show verbose information (default: false)",
        ),
    ],
};

/// `crictl version`.
pub fn version(_ctx: &mut Ctx<'_, '_>) -> Output {
    Output::ok(format!(
        "Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  {CONTAINERD_VERSION}\nRuntimeApiVersion:  v1\n"
    ))
}

/// `crictl info`.
pub fn info(_ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    if !parsed.args.is_empty() {
        return show_help("info");
    }
    let format = parsed.string("output");
    let format = if format.is_empty() {
        "json".to_string()
    } else {
        format
    };
    if !matches!(format.as_str(), "json" | "yaml") {
        return fatal(&format!(
            "getting status of runtime: unsupported format: {}",
            go_quote(&format)
        ));
    }
    let condition = |kind: &str| {
        obj([
            ("type", s(kind)),
            ("status", Json::Bool(true)),
            ("reason", s("")),
            ("message", s("")),
        ])
    };
    let handler = |name: &str| {
        obj([
            (
                "features",
                obj([
                    ("recursive_read_only_mounts", Json::Bool(true)),
                    ("user_namespaces", Json::Bool(true)),
                ]),
            ),
            ("name", s(name)),
        ])
    };
    let mut fields = vec![
        (
            "status".to_string(),
            obj([(
                "conditions",
                Json::Arr(vec![
                    condition("RuntimeReady"),
                    condition("NetworkReady"),
                    condition("ContainerdHasNoDeprecationWarnings"),
                ]),
            )]),
        ),
        (
            "runtimeHandlers".to_string(),
            Json::Arr(vec![handler(""), handler("runc")]),
        ),
        (
            "features".to_string(),
            obj([("supplemental_groups_policy", Json::Bool(true))]),
        ),
    ];
    if !parsed.bool("quiet") {
        fields.push(("golang".into(), s("go1.23.8")));
        fields.push(("lastCNILoadStatus".into(), s("OK")));
        fields.push(("lastCNILoadStatus.default".into(), s("OK")));
    }
    let value = Json::Obj(fields).sorted();
    if format == "yaml" {
        return Output::ok(format!(
            "{}\n",
            crate::shell::commands::kubectl::yaml_out::to_yaml(&value.to_value())
        ));
    }
    Output::ok(format!("{}\n", value.pretty(true)))
}
