//! Transcript tests: each `tests/transcripts/*.txt` is a terminal session — `host $ command`
//! lines, each followed by the output it must print and, when the command exits non-zero, an
//! `[exit N]` line — replayed against a fresh default cluster with seed 1. The comparison is
//! exact: columns, indentation, ids, ages and exit statuses (the world is deterministic under a
//! fixed seed, so nothing needs masking). The only liberty: a last output line printed without
//! a newline is compared as if it had one.
//!
//! `UPDATE_TRANSCRIPTS=1 cargo test --test it transcripts` rewrites the files from the actual
//! output; review the diff before committing it.

use std::fs;
use std::path::Path;

use kubelet_playground::playground::Playground;
use kubelet_playground::shell::parser::{completeness, Completeness};
use regex_lite::Regex;

/// One step: the command as typed, the output expected and the exit status expected.
struct Step {
    host: String,
    command: String,
    expected: String,
    exit_code: i32,
}

/// The line that ends a step's output when its command exits non-zero.
fn exit_line(code: i32) -> String {
    format!("[exit {code}]")
}

/// Splits a transcript into its leading `#` comment and its steps.
fn parse(text: &str) -> (String, Vec<Step>) {
    let prompt = Regex::new(r"^([a-z0-9][a-z0-9-]*) \$ (.*)$").unwrap();
    let mut header = String::new();
    let mut steps: Vec<Step> = Vec::new();
    // Split on newlines only: a carriage return (HTTP headers) is part of the output.
    let mut lines = text
        .split_inclusive('\n')
        .map(|l| l.strip_suffix('\n').unwrap_or(l))
        .peekable();
    while let Some(line) = lines.peek() {
        if steps.is_empty() && (line.starts_with('#') || line.trim().is_empty()) {
            header.push_str(line);
            header.push('\n');
            lines.next();
            continue;
        }
        let line = lines.next().unwrap_or_default();
        if let Some(caps) = prompt.captures(line) {
            let mut command = format!("{}\n", &caps[2]);
            while matches!(completeness(&command), Completeness::Incomplete(_)) {
                match lines.next() {
                    Some(more) => {
                        command.push_str(more);
                        command.push('\n');
                    }
                    None => break,
                }
            }
            steps.push(Step {
                host: caps[1].to_string(),
                command,
                expected: String::new(),
                exit_code: 0,
            });
        } else if let Some(step) = steps.last_mut() {
            step.expected.push_str(line);
            step.expected.push('\n');
        } else {
            panic!("output line before the first command: {line:?}");
        }
    }
    let exit = Regex::new(r"(?m)^\[exit (-?\d+)\]\n\z").unwrap();
    for step in &mut steps {
        if let Some(caps) = exit.captures(&step.expected) {
            step.exit_code = caps[1].parse().expect("an exit status");
            let at = caps.get(0).map_or(0, |m| m.start());
            step.expected.truncate(at);
        }
    }
    (header, steps)
}

/// A command's output as a transcript holds it: every line ends with a newline (a last line
/// printed without one gets one), then the exit line if the status is not 0.
fn as_transcript(output: &str, exit_code: i32) -> String {
    let mut text = output.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if exit_code != 0 {
        text.push_str(&exit_line(exit_code));
        text.push('\n');
    }
    text
}

fn render(header: &str, steps: &[Step], outputs: &[(String, i32)]) -> String {
    let mut text = header.to_string();
    for (step, (output, exit_code)) in steps.iter().zip(outputs) {
        text.push_str(&format!("{} $ {}", step.host, step.command));
        text.push_str(&as_transcript(output, *exit_code));
    }
    text
}

#[test]
fn transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("tests/transcripts exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no transcripts found");
    let mut failures = Vec::new();
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        let (header, steps) = parse(&text);
        let mut playground = Playground::new(1).expect("the default cluster boots");
        let mut outputs = Vec::new();
        for step in &steps {
            let result = playground.run(&step.command).result;
            if result.host != step.host {
                failures.push(format!(
                    "{}: `{}` ran on {} but the transcript says {}",
                    path.display(),
                    step.command.trim_end(),
                    result.host,
                    step.host
                ));
            }
            let actual = as_transcript(&result.output, result.exit_code);
            let expected = as_transcript(&step.expected, step.exit_code);
            if actual != expected && !update {
                failures.push(format!(
                    "{}: `{}`\n--- expected\n{expected}\n--- actual\n{actual}\n",
                    path.display(),
                    step.command.trim_end()
                ));
            }
            outputs.push((result.output, result.exit_code));
        }
        if update {
            fs::write(path, render(&header, &steps, &outputs)).unwrap();
        }
    }
    assert!(
        failures.is_empty(),
        "{} transcript mismatches:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_transcript_step_keeps_its_exit_status_and_exact_columns() {
    let text = "# header\ncontrolplane $ false\n[exit 1]\ncontrolplane $ printf 'a  b'\na  b\n";
    let (header, steps) = parse(text);
    assert_eq!(header, "# header\n");
    assert_eq!((steps[0].expected.as_str(), steps[0].exit_code), ("", 1));
    assert_eq!(
        (steps[1].expected.as_str(), steps[1].exit_code),
        ("a  b\n", 0)
    );
    let outputs = [(String::new(), 1), ("a  b".to_string(), 0)];
    assert_eq!(render(&header, &steps, &outputs), text);
    // Two spaces are not one: columns count.
    assert_ne!(as_transcript("a b", 0), as_transcript("a  b", 0));
}
