//! The manifest editor's analysis: as-you-type diagnostics at line and column, and one line
//! saying what the kubelet will do when the file is saved.
//!
//! Everything here reads the cluster and never changes it, and reuses the code the kubelet
//! itself runs: its decoder and validation (`kubelet::config::common`), the API server's
//! strict decoding for unknown fields, the kubelet's config-file loader and systemd's unit
//! loader. What is added is only where each problem sits in the text (`locate`) and what the
//! outcome means for the running kubelet (`preview`).
//!
//! Which analysis a file gets depends on what it is to the node (`target`): a manifest the
//! kubelet's file source reads, a pod manifest anywhere else, the kubelet's `--config` file,
//! a file of its systemd unit, or an environment file that unit loads.

mod fields;
mod kubelet_config;
mod locate;
mod manifest;
mod preview;
mod systemd;
mod target;

use std::fmt;

use crate::cluster::Cluster;

pub use preview::{Preview, Tone};

/// What the editor shows for one file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorAnalysis {
    /// Problems in the text, in the order they appear.
    pub diagnostics: Vec<Diagnostic>,
    /// What the kubelet will do when the file is saved.
    pub preview: Preview,
    /// The error the kubelet logs for this file (its `err=` value), verbatim, when it will
    /// refuse it: the whole message the diagnostics point into.
    pub kubelet_error: Option<String>,
}

/// One problem, at a range of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the range starts.
    pub from: Position,
    /// Just past where the range ends (`from == to` marks a point).
    pub to: Position,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, in the kubelet's words where it has words.
    pub message: String,
}

/// A place in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters (Unicode scalar values).
    pub column: u32,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The kubelet will refuse the file, or fail to start.
    Error,
    /// The kubelet accepts the file but not as written (a field it drops, a mirror it
    /// cannot create).
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

impl Diagnostic {
    /// A diagnostic over `range`.
    pub(crate) fn new(range: locate::Range, severity: Severity, message: String) -> Diagnostic {
        Diagnostic {
            from: range.from,
            to: range.to,
            severity,
            message,
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `3:5-3:19 warning: message`, the form tests and logs use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}-{}:{} {}: {}",
            self.from.line,
            self.from.column,
            self.to.line,
            self.to.column,
            self.severity,
            self.message
        )
    }
}

/// Analyses `text` as the content of `path` on host `host` (an index into
/// [`Cluster::hosts`]): the diagnostics and the preview of saving it.
pub fn analyse(cluster: &Cluster, host: usize, path: &str, text: &str) -> EditorAnalysis {
    let Some(host_ref) = cluster.hosts().get(host) else {
        return EditorAnalysis {
            diagnostics: Vec::new(),
            preview: Preview::NoSuchNode { index: host },
            kubelet_error: None,
        };
    };
    let target = target::Target::of(host_ref, path);
    let mut analysis = match &target.role {
        target::Role::KubeletConfig => kubelet_config::analyse(host_ref, &target, text),
        target::Role::UnitFile => systemd::analyse_unit_file(host_ref, &target, text),
        target::Role::EnvironmentFile => systemd::analyse_environment_file(host_ref, &target, text),
        _ => manifest::analyse(cluster, host_ref, &target, text),
    };
    analysis
        .diagnostics
        .sort_by_key(|d| (d.from, d.to, d.severity));
    analysis
}

#[cfg(test)]
mod tests;
