//! The kubelet's systemd unit, its drop-ins and its environment files: what systemd would
//! complain about when it loads the unit with this text, and whether the kubelet could parse
//! the command line it would then be started with.

use std::collections::BTreeMap;

use crate::cluster::services::{unit_files, KUBELET_SERVICE};
use crate::cluster::Host;
use crate::kubelet::options::parse_flags;
use crate::node::fs::normalize;
use crate::node::systemd::{expand_exec, load_service, parse_environment_file, Service};
use crate::view::editor::locate::{Located, Range};
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
        if let Some(exec_line) = exec_line {
            if let Err(err) = kubelet_flags(exec, &environment(host, &service, None)) {
                let range =
                    flag_written(&located, text, &err).unwrap_or_else(|| located.at(exec_line, 1));
                diagnostics.push(Diagnostic::new(
                    range,
                    Severity::Error,
                    exits_at_start(&err),
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

/// The analysis of an `EnvironmentFile=` of the kubelet's unit: the command line the next
/// start would run, with this text as the file's content.
pub fn analyse_environment_file(host: &Host, target: &Target<'_>, text: &str) -> EditorAnalysis {
    let mut diagnostics = Vec::new();
    // A restart runs the unit as systemd last loaded it, reading the environment files anew.
    let loaded = host.units.get(KUBELET_SERVICE).map(|unit| &unit.loaded);
    if let Some(service) = loaded {
        if let Some(exec) = &service.exec_start {
            let env = environment(host, service, Some((&target.path, text)));
            if let Err(err) = kubelet_flags(exec, &env) {
                let located = Located::new(text);
                let range = flag_written(&located, text, &err).unwrap_or_else(|| located.at(1, 1));
                diagnostics.push(Diagnostic::new(
                    range,
                    Severity::Error,
                    exits_at_start(&err),
                ));
            }
        }
    }
    EditorAnalysis {
        diagnostics,
        preview: Preview::EnvironmentFile,
        kubelet_error: None,
    }
}

/// Parses the kubelet's flags from `exec` expanded with `env`, as the kubelet does at start.
fn kubelet_flags(exec: &str, env: &BTreeMap<String, String>) -> Result<(), String> {
    let argv = expand_exec(exec, env);
    parse_flags(argv.get(1..).unwrap_or_default())
        .map(|_| ())
        .map_err(|err| err.message)
}

fn exits_at_start(err: &str) -> String {
    format!("the kubelet exits at start: failed to parse kubelet flag: {err}")
}

/// Where `text` writes the flag the flag parser's error names: the whole argument, from its
/// dashes to the next space or quote.
fn flag_written(located: &Located<'_>, text: &str, err: &str) -> Option<Range> {
    let named: Vec<&str> = err
        .split_whitespace()
        .map(|word| word.trim_matches(|c: char| "\"'():,".contains(c)))
        .filter(|word| word.starts_with('-') && word.len() > 1)
        .collect();
    text.lines().enumerate().find_map(|(idx, line)| {
        let start = named.iter().filter_map(|word| line.find(word)).min()?;
        let len = line[start..]
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(line.len() - start);
        let column = line[..start].chars().count() + 1;
        let width = line[start..start + len].chars().count();
        Some(located.columns(idx + 1, column, column + width))
    })
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
/// they are on disk now (systemd reads them at every start), or as `edited` has one of them.
fn environment(
    host: &Host,
    service: &Service,
    edited: Option<(&str, &str)>,
) -> BTreeMap<String, String> {
    let mut env: BTreeMap<String, String> = service.environment.iter().cloned().collect();
    for file in &service.environment_files {
        let text = match edited {
            Some((path, text)) if normalize("/", &file.path) == path => Some(text.to_string()),
            _ => host.node.fs.read_to_string(&file.path).ok(),
        };
        if let Some(text) = text {
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
