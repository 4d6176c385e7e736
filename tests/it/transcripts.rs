//! Transcript tests: each `tests/transcripts/*.txt` is a terminal session — `host $ command`
//! lines, each followed by the output it must print — replayed against a fresh default
//! cluster. Ids, generated name suffixes, timestamps and ages are normalised on both sides,
//! so a transcript checks behaviour and wording, not incidental numbers.
//!
//! `UPDATE_TRANSCRIPTS=1 cargo test --test it transcripts` rewrites the files from the actual
//! output; review the diff before committing it.

use std::fs;
use std::path::Path;

use kubelet_playground::playground::Playground;
use kubelet_playground::shell::parser::{completeness, Completeness};
use regex_lite::Regex;

/// One step: the command as typed and the output expected.
struct Step {
    host: String,
    command: String,
    expected: String,
}

/// Splits a transcript into its leading `#` comment and its steps.
fn parse(text: &str) -> (String, Vec<Step>) {
    let prompt = Regex::new(r"^([a-z0-9][a-z0-9-]*) \$ (.*)$").unwrap();
    let mut header = String::new();
    let mut steps: Vec<Step> = Vec::new();
    let mut lines = text.lines().peekable();
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
            });
        } else if let Some(step) = steps.last_mut() {
            step.expected.push_str(line);
            step.expected.push('\n');
        } else {
            panic!("output line before the first command: {line:?}");
        }
    }
    (header, steps)
}

/// Replaces what varies between runs of the same behaviour.
fn normalise(text: &str) -> String {
    let rules: &[(&str, &str)] = &[
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "<uid>",
        ),
        (r"\b[0-9a-f]{64}\b", "<id>"),
        (r"\b[0-9a-f]{13}\b", "<id>"),
        (r"-[bcdfghjklmnpqrstvwxz2456789]{5}\b", "-<rand>"),
        (r"\b[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d{6}", "<klog-time>"),
        (r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", "<time>"),
        (
            r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}( UTC)? \d{4}",
            "<date>",
        ),
        (r"\b[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}\b", "<time>"),
        (
            r"\b(\d+|About an?|Less than a) (second|minute|hour|day)s? ago\b",
            "<ago>",
        ),
        (r"(^|\s)\d+(\.\d+)?[smhd](\d+[smh])?(\s|$)", "$1<age>$4"),
    ];
    let mut out = text.to_string();
    for (pattern, replacement) in rules {
        let re = Regex::new(pattern).unwrap();
        // Twice, so adjacent matches that share a separator are all replaced.
        out = re.replace_all(&out, *replacement).into_owned();
        out = re.replace_all(&out, *replacement).into_owned();
    }
    let spaces = Regex::new(r" {2,}").unwrap();
    out.lines()
        .map(|l| spaces.replace_all(l.trim_end(), "  ").into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn render(header: &str, steps: &[Step], outputs: &[String]) -> String {
    let mut text = header.to_string();
    for (step, output) in steps.iter().zip(outputs) {
        text.push_str(&format!("{} $ {}", step.host, step.command));
        let output = normalise(output);
        if !output.is_empty() {
            text.push_str(&output);
            text.push('\n');
        }
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
            let actual = normalise(&result.output);
            let expected = normalise(&step.expected);
            if actual != expected && !update {
                failures.push(format!(
                    "{}: `{}`\n--- expected\n{expected}\n--- actual\n{actual}\n",
                    path.display(),
                    step.command.trim_end()
                ));
            }
            outputs.push(result.output);
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
fn normalisation_keeps_words_and_hides_incidentals() {
    assert_eq!(
        normalise("kube-proxy-x7k2p   1/1     Running   0          42s"),
        "kube-proxy-<rand>  1/1  Running  0  <age>"
    );
    assert_eq!(
        normalise("Back-off 10s restarting"),
        "Back-off <age> restarting"
    );
    assert_eq!(normalise("Created 2 minutes ago"), "Created <ago>");
    assert_eq!(normalise("pod/web created"), "pod/web created");
}
