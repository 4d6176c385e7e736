//! `crictl stopp` and `crictl rmp` (`cmd/crictl/sandbox.go`): stop and remove pod sandboxes.
//! A stopped sandbox kills its containers; the kubelet then sees the pod's sandbox gone and
//! starts a new one, as it does on a real node.

use super::cli::{flag, Kind, Parsed};
use super::{fatal_line, go_quote, show_help, Ctx, Subcommand};
use crate::node::cri::Cri;
use crate::shell::io::Output;

/// `crictl stopp`.
pub const STOPP: Subcommand = Subcommand {
    name: "stopp",
    aliases: &[],
    usage: "Stop one or more running pods",
    args_usage: "POD-ID [POD-ID...]",
    flags: &[],
};

/// `crictl rmp`.
pub const RMP: Subcommand = Subcommand {
    name: "rmp",
    aliases: &[],
    usage: "Remove one or more pods",
    args_usage: "POD-ID [POD-ID...]",
    flags: &[
        flag(
            "force",
            &["f"],
            Kind::Bool,
            "Force removal of the pod sandbox, disregarding if running (default: false)",
        ),
        flag(
            "all",
            &["a"],
            Kind::Bool,
            "Remove all pods (default: false)",
        ),
    ],
};

/// `crictl stopp POD-ID...`: stops each in turn; the first failure ends the command.
pub fn stopp(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    if parsed.args.is_empty() {
        return show_help("stopp");
    }
    let mut out = String::new();
    for typed in &parsed.args {
        match stop_one(ctx, typed) {
            Ok(line) => out.push_str(&line),
            Err(failure) => {
                return Output {
                    stdout: out,
                    ..failure
                }
            }
        }
    }
    Output::ok(out)
}

/// `StopPodSandbox`: the line it prints, or the failure as crictl reports it.
fn stop_one(ctx: &mut Ctx<'_, '_>, typed: &str) -> Result<String, Output> {
    if typed.is_empty() {
        return Err(Output::err(
            fatal_line("stopping the pod sandbox \"\": ID cannot be empty"),
            1,
        ));
    }
    let now = ctx.now();
    let result = ctx
        .sandbox_id(typed)
        .and_then(|id| ctx.runtime_mut().stop_pod_sandbox(now, &id));
    if let Err(err) = result {
        return Err(ctx.rpc_failure(
            "StopPodSandbox from runtime service failed",
            "podSandboxID",
            typed,
            &err,
            &format!("stopping the pod sandbox {}: {err}", go_quote(typed)),
        ));
    }
    ctx.cluster().settle();
    Ok(format!("Stopped sandbox {typed}\n"))
}

/// `crictl rmp [-f] [-a] POD-ID...`: every pod is tried; the errors are reported together.
pub fn rmp(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    let all = parsed.bool("all");
    let targets: Vec<String> = if all {
        ctx.runtime().sandboxes().map(|s| s.id.clone()).collect()
    } else {
        parsed.args.clone()
    };
    if targets.is_empty() {
        if all {
            return Output::err("INFO[0000] No pods to remove\n", 0);
        }
        return show_help("rmp");
    }
    let mut out = String::new();
    let mut klog = String::new();
    let mut errors = Vec::new();
    for typed in targets {
        let id = match ctx.sandbox_id(&typed) {
            Ok(id) => id,
            Err(err) => {
                let failure = ctx.rpc_failure(
                    "PodSandboxStatus from runtime service failed",
                    "podSandboxID",
                    &typed,
                    &err,
                    "",
                );
                klog.push_str(failure.stderr.lines().next().unwrap_or_default());
                klog.push('\n');
                errors.push(format!(
                    "getting sandbox status of pod {}: {err}",
                    go_quote(&typed)
                ));
                continue;
            }
        };
        let ready = ctx.runtime().sandbox(&id).is_some_and(|s| s.ready);
        if ready {
            if !parsed.bool("force") {
                errors.push(format!(
                    "pod sandbox {} is running, please stop it first",
                    go_quote(&typed)
                ));
                continue;
            }
            match stop_one(ctx, &typed) {
                Ok(line) => out.push_str(&line),
                Err(failure) => {
                    errors.push(format!(
                        "stopping the pod sandbox {} failed: {}",
                        go_quote(&typed),
                        failure.stderr.trim_end()
                    ));
                    continue;
                }
            }
        }
        if let Err(err) = ctx.runtime_mut().remove_pod_sandbox(&id) {
            errors.push(format!(
                "removing the pod sandbox {}: {err}",
                go_quote(&typed)
            ));
            continue;
        }
        ctx.cluster().settle();
        out.push_str(&format!("Removed sandbox {typed}\n"));
    }
    if errors.is_empty() {
        return Output::ok(out);
    }
    let message = if errors.len() == 1 {
        errors.remove(0)
    } else {
        format!("[{}]", errors.join(", "))
    };
    Output {
        stdout: out,
        stderr: format!("{klog}{}", fatal_line(&message)),
        code: 1,
        stderr_after: Vec::new(),
    }
}
