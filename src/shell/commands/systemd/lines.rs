//! The journal of one host as journalctl reads it: each line split into its fields
//! (identifier, pid, message), with the syslog priority journald stored for it, and the
//! output formats (`short`, `short-iso`, `short-precise`, `cat`).
//!
//! Priorities: a klog line's severity letter sets it (`E` err, `W` warning, `I` info, `F`
//! crit), other output of a service is info (journald's default for stdout/stderr), and
//! systemd's own lines carry the level systemd logs them at (`Failed to start` err,
//! `Failed with result` warning, `Main process exited` notice, the rest info).

use crate::cluster::Cluster;
use crate::node::journal;
use crate::sim::wallclock::journal_stamp;
use crate::sim::SimTime;

/// syslog's `err`.
pub(super) const LOG_ERR: u8 = 3;

/// One journal entry with its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// When it was written.
    pub(super) at: SimTime,
    /// The unit it belongs to (`_SYSTEMD_UNIT`, or `UNIT` for systemd's lines about one).
    pub(super) unit: String,
    /// The host name.
    pub(super) host: String,
    /// `SYSLOG_IDENTIFIER`: `kubelet`, `systemd`.
    pub(super) ident: String,
    /// `_PID`.
    pub(super) pid: u32,
    /// `MESSAGE`.
    pub(super) message: String,
    /// `PRIORITY`, 0 (emerg) to 7 (debug).
    pub(super) priority: u8,
}

/// An output format of journalctl's `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// `short`: `Nov 22 08:00:01 controlplane kubelet[1234]: ...`.
    Short,
    /// `short-iso`: `2026-11-22T08:00:01+00:00 controlplane kubelet[1234]: ...`.
    ShortIso,
    /// `short-precise`: `Nov 22 08:00:01.500000 controlplane kubelet[1234]: ...`.
    ShortPrecise,
    /// `cat`: the message only.
    Cat,
}

impl Format {
    /// The format `-o NAME` selects.
    pub(super) fn from_name(name: &str) -> Option<Format> {
        match name {
            "short" => Some(Format::Short),
            "short-iso" => Some(Format::ShortIso),
            "short-precise" => Some(Format::ShortPrecise),
            "cat" => Some(Format::Cat),
            _ => None,
        }
    }
}

/// Every journal line of host `idx`, oldest first.
pub(super) fn host_lines(cluster: &Cluster, idx: usize) -> Vec<Line> {
    let host = cluster.host(idx).node.name.clone();
    journal::entries(cluster.trace(), &host)
        .into_iter()
        .map(|entry| split(&host, entry))
        .collect()
}

/// The lines of `unit` only (`journalctl -u`).
pub(super) fn unit_lines(cluster: &Cluster, idx: usize, unit: &str) -> Vec<Line> {
    let mut lines = host_lines(cluster, idx);
    lines.retain(|l| l.unit == unit);
    lines
}

/// Splits a rendered entry back into its fields.
fn split(host: &str, entry: journal::JournalEntry) -> Line {
    let prefix = format!("{} {host} ", journal_stamp(entry.at));
    let rest = entry.text.strip_prefix(&prefix).unwrap_or(&entry.text);
    let (ident, pid, message) = match rest.split_once("]: ") {
        Some((head, message)) => match head.split_once('[') {
            Some((ident, pid)) => (ident, pid.parse().unwrap_or(0), message),
            None => ("", 0, rest),
        },
        None => ("", 0, rest),
    };
    let priority = priority(ident, message);
    Line {
        at: entry.at,
        unit: entry.unit,
        host: host.to_string(),
        ident: ident.to_string(),
        pid,
        message: message.to_string(),
        priority,
    }
}

/// The priority journald stored for a line (see the module docs).
fn priority(ident: &str, message: &str) -> u8 {
    if ident == "systemd" {
        return systemd_priority(message);
    }
    let mut chars = message.chars();
    let is_klog = match (chars.next(), chars.next()) {
        (Some(_), Some(d)) => d.is_ascii_digit() && message.as_bytes().get(5) == Some(&b' '),
        _ => false,
    };
    match message.chars().next() {
        Some('E') if is_klog => LOG_ERR,
        Some('W') if is_klog => 4,
        Some('F') if is_klog => 2,
        _ => 6,
    }
}

/// The level systemd logs each of its unit messages at.
fn systemd_priority(message: &str) -> u8 {
    let body = message.split_once(": ").map_or(message, |(_, b)| b);
    if message.starts_with("Failed to start ")
        || body.starts_with("Failed to load environment files")
        || body.starts_with("Failed to run 'start' task")
        || body.starts_with("Service has no ExecStart=")
    {
        LOG_ERR
    } else if body.starts_with("Failed with result") {
        4
    } else if body.starts_with("Main process exited") {
        5
    } else {
        6
    }
}

/// One line in `format`; `hostname` false drops the host field (`--no-hostname`).
pub(super) fn render(line: &Line, format: Format, hostname: bool) -> String {
    let stamp = match format {
        Format::Cat => return line.message.clone(),
        Format::Short => journal_stamp(line.at),
        Format::ShortIso => super::time::format_iso(line.at),
        Format::ShortPrecise => super::time::format_precise(line.at),
    };
    let host = if hostname {
        format!(" {}", line.host)
    } else {
        String::new()
    };
    format!(
        "{stamp}{host} {}[{}]: {}",
        line.ident, line.pid, line.message
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_follow_klog_and_systemd() {
        assert_eq!(
            priority(
                "kubelet",
                "E1122 08:00:01.000000    1234 run.go:72] \"command failed\""
            ),
            LOG_ERR
        );
        assert_eq!(
            priority("kubelet", "W1122 08:00:01.000000    1234 a.go:1] x"),
            4
        );
        assert_eq!(
            priority("kubelet", "I1122 08:00:01.000000    1234 a.go:1] x"),
            6
        );
        assert_eq!(priority("kubelet", "Error-looking text"), 6);
        assert_eq!(
            priority("kubelet", "Flag --pod-manifest-path has been deprecated"),
            6
        );
        assert_eq!(
            priority(
                "systemd",
                "kubelet.service: Failed with result 'exit-code'."
            ),
            4
        );
        assert_eq!(
            priority(
                "systemd",
                "kubelet.service: Main process exited, code=exited, status=1/FAILURE"
            ),
            5
        );
        assert_eq!(
            priority("systemd", "Failed to start kubelet.service - kubelet."),
            LOG_ERR
        );
        assert_eq!(priority("systemd", "Started kubelet.service - kubelet."), 6);
    }

    #[test]
    fn splits_and_renders() {
        let entry = journal::JournalEntry {
            at: SimTime(1_500),
            unit: "kubelet.service".into(),
            text: "Nov 22 08:00:01 cp kubelet[42]: I1122 08:00:01.500000      42 a.go:1] \"x\""
                .into(),
        };
        let line = split("cp", entry.clone());
        assert_eq!((line.ident.as_str(), line.pid), ("kubelet", 42));
        assert_eq!(render(&line, Format::Short, true), entry.text);
        assert_eq!(
            render(&line, Format::Short, false),
            "Nov 22 08:00:01 kubelet[42]: I1122 08:00:01.500000      42 a.go:1] \"x\""
        );
        assert_eq!(render(&line, Format::Cat, true), line.message);
        assert!(render(&line, Format::ShortIso, true).starts_with("2026-11-22T08:00:01+00:00 cp "));
    }
}
