//! The systemd journal of one host, rendered from the event log the way
//! `journalctl -u <unit>` prints it, with kubelet lines in klog's format.
//!
//! A klog line is `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`, where klog writes the
//! process id as the thread id, right-aligned in 7 columns. Structured messages are quoted and
//! followed by `key="value"` pairs; printf-style ones are written as is. Lines above the
//! process's `--v` verbosity are not written, as klog would not write them.

use std::collections::BTreeMap;

use crate::sim::time::SimTime;
use crate::sim::trace::{Event, FieldValue, LogLine, Severity, Trace};
use crate::sim::wallclock::{journal_stamp, klog_stamp};

/// One journal line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    /// When it was written.
    pub at: SimTime,
    /// The unit it belongs to, e.g. `kubelet.service`.
    pub unit: String,
    /// The line as journalctl prints it: `Nov 22 08:00:01 controlplane kubelet[1000]: ...`.
    pub text: String,
}

/// The unit the storm guard's lines are filed under (`journalctl -u kubelet-playground`).
pub const STORM_UNIT: &str = "kubelet-playground.service";

/// The unit whose process writes klog lines into the event log.
const KUBELET_UNIT: &str = "kubelet.service";

/// Every journal line of `host`, oldest first.
pub fn entries(trace: &Trace, host: &str) -> Vec<JournalEntry> {
    let mut out = Vec::new();
    // Process name → (pid, verbosity) of the instance running at this point of the log.
    let mut running: BTreeMap<&str, (u32, u8)> = BTreeMap::new();
    for record in trace.records().iter().filter(|r| *r.host == *host) {
        let prefix =
            |ident: &str, pid: u32| format!("{} {host} {ident}[{pid}]: ", journal_stamp(record.at));
        match &record.event {
            Event::ProcessStarted {
                name,
                pid,
                verbosity,
            } => {
                running.insert(name.as_str(), (*pid, *verbosity));
            }
            Event::Log(line) => {
                let Some(&(pid, verbosity)) = running.get("kubelet") else {
                    continue;
                };
                if line.verbosity > verbosity {
                    continue;
                }
                out.push(JournalEntry {
                    at: record.at,
                    unit: KUBELET_UNIT.to_string(),
                    text: prefix("kubelet", pid) + &klog_text(record.at, pid, line),
                });
            }
            Event::Journal {
                identifier,
                pid,
                unit,
                message,
            } => out.push(JournalEntry {
                at: record.at,
                unit: unit.clone(),
                text: prefix(identifier, *pid) + message,
            }),
            Event::StormStopped { wakeups, wake } => out.push(JournalEntry {
                at: record.at,
                unit: STORM_UNIT.to_string(),
                text: prefix("kubelet-playground", 1)
                    + &format!(
                        "the simulation stopped a storm of {wakeups} wake-ups at one instant \
                         (last: {wake}); the rest of them run 1 s later. This is a bug in \
                         kubelet-playground: please export your session and report it."
                    ),
            }),
            _ => (),
        }
    }
    out
}

/// The lines of `unit` only (`journalctl -u`).
pub fn unit_entries(trace: &Trace, host: &str, unit: &str) -> Vec<JournalEntry> {
    entries(trace, host)
        .into_iter()
        .filter(|e| e.unit == unit)
        .collect()
}

/// One klog line, without the journal prefix.
pub fn klog_text(at: SimTime, pid: u32, line: &LogLine) -> String {
    let level = match line.severity {
        Severity::Info => 'I',
        Severity::Warning => 'W',
        Severity::Error => 'E',
    };
    let mut text = format!("{level}{} {pid:>7} {}] ", klog_stamp(at), line.caller);
    if !line.structured {
        text.push_str(&line.message);
        return text;
    }
    text.push_str(&go_quote(&line.message));
    for (key, value) in &line.fields {
        text.push(' ');
        text.push_str(key);
        text.push('=');
        match value {
            FieldValue::Str(s) => text.push_str(&go_quote(s)),
            FieldValue::Raw(s) => text.push_str(s),
        }
    }
    text
}

/// Go's `strconv.Quote`: double quotes, with `"`, `\` and control characters escaped.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn klog_layout() {
        let line = LogLine::error("file_linux.go:61", "Unable to read config path")
            .with("err", "path does not exist, ignoring")
            .with("path", "/etc/kubernetes/manifests");
        assert_eq!(
            klog_text(SimTime(1500), 1234, &line),
            "E1122 08:00:01.500000    1234 file_linux.go:61] \"Unable to read config path\" err=\"path does not exist, ignoring\" path=\"/etc/kubernetes/manifests\""
        );
        let raw = LogLine::info(0, "config.go:1", "x").with_raw("index", "1");
        assert!(klog_text(SimTime(0), 1, &raw).ends_with("\"x\" index=1"));
        let printf = LogLine::printf(Severity::Warning, "reflector.go:569", "a: b \"c\"");
        assert!(klog_text(SimTime(0), 1, &printf).ends_with("reflector.go:569] a: b \"c\""));
    }

    #[test]
    fn quoting_escapes_like_go() {
        assert_eq!(go_quote("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
    }

    #[test]
    fn verbosity_filters_and_pids_follow_restarts() {
        let mut trace = Trace::default();
        let start = |trace: &mut Trace, at, pid, verbosity| {
            trace.record(
                SimTime(at),
                "n",
                Event::ProcessStarted {
                    name: "kubelet".into(),
                    pid,
                    verbosity,
                },
            )
        };
        start(&mut trace, 0, 100, 0);
        trace.record(
            SimTime(1),
            "n",
            Event::Log(LogLine::info(0, "a.go:1", "shown")),
        );
        trace.record(
            SimTime(2),
            "n",
            Event::Log(LogLine::info(2, "a.go:1", "hidden")),
        );
        start(&mut trace, 3, 200, 2);
        trace.record(
            SimTime(4),
            "n",
            Event::Log(LogLine::info(2, "a.go:1", "now shown")),
        );
        trace.record(
            SimTime(5),
            "other",
            Event::Log(LogLine::info(0, "a.go:1", "elsewhere")),
        );
        let lines: Vec<String> = unit_entries(&trace, "n", "kubelet.service")
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with(
            "Nov 22 08:00:00 n kubelet[100]: I1122 08:00:00.001000     100 a.go:1] \"shown\""
        ));
        assert!(lines[1].contains("kubelet[200]") && lines[1].ends_with("\"now shown\""));
    }
}
