//! The kubelet's systemd unit and drop-ins: what systemd would complain about when it loads
//! the unit with this text, and whether the kubelet could parse the command line it would
//! be started with.

use std::collections::BTreeMap;

use crate::cluster::services::{unit_files, KUBELET_SERVICE};
use crate::cluster::Host;
use crate::kubelet::options::parse_flags;
use crate::node::systemd::{expand_exec, load_service, parse_environment_file};
use crate::view::editor::locate::Located;
use crate::view::editor::target::Target;
use crate::view::editor::{Diagnostic, EditorAnalysis, Preview, Severity};

/// systemd's refusal of a unit with several `ExecStart=` lines.
const MANY_EXEC_STARTS: &str = "Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.";

/// The analysis of a file of the kubelet's unit.
pub fn analyse_unit_file(host: &Host, target: &Target<'_>, text: &str) -> EditorAnalysis {
    let located = Located::new(text);
    let files = files_with(host, &target.path, text);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let service = load_service(&refs);
    let mut diagnostics = Vec::new();
    let exec_line = last_line_with(text, "ExecStart=");
    let at_exec = || match exec_line {
        Some(line) => located.at(line, 1),
        None => located.at(1, 1),
    };
    let prefix = format!("{}:", target.path);
    for warning in &service.warnings {
        if warning == MANY_EXEC_STARTS {
            if exec_line.is_some() {
                diagnostics.push(Diagnostic::new(
                    at_exec(),
                    Severity::Error,
                    format!("{KUBELET_SERVICE}: {warning}"),
                ));
            }
            continue;
        }
        let Some((line, message)) = warning
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split_once(": "))
        else {
            continue;
        };
        if let Ok(line) = line.parse::<usize>() {
            diagnostics.push(Diagnostic::new(
                located.at(line, 1),
                Severity::Warning,
                message.to_string(),
            ));
        }
    }
    if let Some(exec) = &service.exec_start {
        if let Some(line) = exec_line {
            let argv = expand_exec(exec, &environment(host, &service));
            if let Err(err) = parse_flags(argv.get(1..).unwrap_or_default()) {
                diagnostics.push(Diagnostic::new(
                    located.at(line, 1),
                    Severity::Error,
                    format!("the kubelet exits at start: failed to parse kubelet flag: {err}"),
                ));
            }
        }
    } else if !service.warnings.iter().any(|w| w == MANY_EXEC_STARTS) {
        diagnostics.push(Diagnostic::new(
            at_exec(),
            Severity::Error,
            format!(
                "{KUBELET_SERVICE}: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing."
            ),
        ));
    }
    EditorAnalysis {
        diagnostics,
        preview: Preview::UnitFile,
        kubelet_error: None,
    }
}

/// The unit's files as systemd would read them, with `text` as the content of `path`.
fn files_with(host: &Host, path: &str, text: &str) -> Vec<(String, String)> {
    let mut files = unit_files(&host.node.fs, KUBELET_SERVICE);
    if let Some(file) = files.iter_mut().find(|(p, _)| p == path) {
        file.1 = text.to_string();
        return files;
    }
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    if path.ends_with(".conf") && !files.is_empty() {
        // A new drop-in: systemd applies drop-ins in file-name order after the main file.
        files.push((path.to_string(), text.to_string()));
        files[1..].sort_by_key(|(p, _)| name(p));
    } else if files.is_empty() {
        files.push((path.to_string(), text.to_string()));
    }
    files
}

/// The environment `ExecStart=` expands with: `Environment=`, then the environment files as
/// they are on disk now (systemd reads them at every start).
fn environment(host: &Host, service: &crate::node::systemd::Service) -> BTreeMap<String, String> {
    let mut env: BTreeMap<String, String> = service.environment.iter().cloned().collect();
    for file in &service.environment_files {
        if let Ok(text) = host.node.fs.read_to_string(&file.path) {
            env.extend(parse_environment_file(&text));
        }
    }
    env
}

/// The 1-based number of the last line that starts (after spaces) with `key`.
fn last_line_with(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with(key))
        .map(|(idx, _)| idx + 1)
        .last()
}
