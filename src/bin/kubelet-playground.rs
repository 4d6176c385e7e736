//! The native command-line runner: the simulation's black-box interface (README, "The
//! command-line runner").

use std::io::{BufRead, Write};
use std::process::ExitCode;

use kubelet_playground::playground::Playground;
use kubelet_playground::shell::parser::{completeness, Completeness, IncompleteReason};
use kubelet_playground::shell::CommandResult;

const HELP: &str = "\
kubelet-playground: a teaching playground for Kubernetes static pods

Usage:
  kubelet-playground run [--json] [--lesson ID] [--seed N] [SCRIPT]
  kubelet-playground lesson build FILE
  kubelet-playground lesson test [--seed N] [ID|FILE]
  kubelet-playground --help | --version

run:
  Reads commands from SCRIPT, or from standard input until EOF, and runs each one in the
  same shell the browser terminal uses, starting from the default cluster (or the lesson's
  start state). A command may span lines (heredoc). Each result is written and flushed as
  soon as the command completes.

  --json       One JSON object per command on its own line:
               {\"host\": \"controlplane\", \"command\": \"...\", \"output\": \"...\",
                \"exit_code\": 0, \"clock\": 12.5}
               (clock = virtual seconds since start)
  --lesson ID  Start from the lesson's start state instead of the default cluster.
  --seed N     Seed of the simulation's random generator (default 1).

  `sleep N` (also `Ns`, `Nm`) advances the virtual clock by N seconds.

lesson build FILE:
  Compiles a lesson file (docs/authoring-lessons.md) and prints it as the JSON the app loads.

lesson test [ID|FILE]:
  Proves the course's lessons (or one, by ID, or an author's FILE): every locale has every
  string, the start state satisfies no step's goal, and each step's reference solution
  completes the step. Exits 1 and says what failed when a lesson does not hold.
";

struct Options {
    json: bool,
    lesson: Option<String>,
    seed: u64,
    script: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        json: false,
        lesson: None,
        seed: 1,
        script: None,
    };
    let mut idx = 0;
    while idx < args.len() {
        match args[idx].as_str() {
            "--json" => opts.json = true,
            "--lesson" => {
                idx += 1;
                opts.lesson = Some(
                    args.get(idx)
                        .cloned()
                        .ok_or("run: --lesson needs a lesson ID")?,
                );
            }
            "--seed" => {
                idx += 1;
                opts.seed = args
                    .get(idx)
                    .and_then(|s| s.parse().ok())
                    .ok_or("run: --seed needs a number")?;
            }
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(format!("run: unknown flag {flag}"));
            }
            path => {
                if opts.script.is_some() {
                    return Err(format!("run: more than one SCRIPT given ({path})"));
                }
                opts.script = Some(path.to_string());
            }
        }
        idx += 1;
    }
    Ok(opts)
}

fn print_result(out: &mut impl Write, json: bool, result: &CommandResult, clock: f64) {
    let written = if json {
        let line = serde_json::json!({
            "host": result.host,
            "command": result.command.trim_end_matches('\n'),
            "output": result.output,
            "exit_code": result.exit_code,
            "clock": clock,
        });
        writeln!(out, "{line}")
    } else {
        write!(
            out,
            "{} $ {}\n{}",
            result.host,
            result.command.trim_end_matches('\n'),
            result.output
        )
    };
    // A closed pipe (`| head`) ends the run quietly.
    if written.is_err() || out.flush().is_err() {
        std::process::exit(0);
    }
}

/// The script's lines without their `\n` (or `\r\n`). Bytes that are not UTF-8 become
/// U+FFFD, so one such line does not end the script.
///
/// Simplified: bash would pass the raw bytes on to the command; the shell here works on text.
fn script_lines(mut reader: impl BufRead) -> impl Iterator<Item = Result<String, String>> {
    std::iter::from_fn(move || {
        let mut bytes = Vec::new();
        match reader.read_until(b'\n', &mut bytes) {
            Ok(0) => None,
            Ok(_) => {
                if bytes.last() == Some(&b'\n') {
                    bytes.pop();
                    if bytes.last() == Some(&b'\r') {
                        bytes.pop();
                    }
                }
                Some(Ok(String::from_utf8_lossy(&bytes).into_owned()))
            }
            Err(e) => Some(Err(format!("run: reading input: {e}"))),
        }
    })
}

fn run(opts: Options) -> Result<(), String> {
    let mut playground = match &opts.lesson {
        Some(id) => Playground::for_lesson(id, opts.seed)?,
        None => Playground::new(opts.seed)?,
    };
    let reader: Box<dyn BufRead> = match &opts.script {
        Some(path) if path != "-" => Box::new(std::io::BufReader::new(
            std::fs::File::open(path).map_err(|e| format!("run: {path}: {e}"))?,
        )),
        _ => Box::new(std::io::BufReader::new(std::io::stdin())),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut pending = String::new();
    // Why `pending` is not complete yet, so lines that cannot complete it skip the parser.
    let mut waiting: Option<IncompleteReason> = None;
    for line in script_lines(reader) {
        let line = line?;
        if pending.is_empty() && line.trim().is_empty() {
            continue;
        }
        if pending.is_empty() && line.trim_start().starts_with('#') {
            continue;
        }
        pending.push_str(&line);
        pending.push('\n');
        if waiting.as_ref().is_some_and(|w| !w.may_end_with(&line)) {
            continue;
        }
        if let Completeness::Incomplete(reason) = completeness(&pending) {
            waiting = Some(reason);
            continue;
        }
        waiting = None;
        let command = std::mem::take(&mut pending);
        let result = playground.run(&command).result;
        print_result(&mut out, opts.json, &result, playground.clock_secs());
        if result.logout {
            return Ok(());
        }
    }
    if !pending.trim().is_empty() {
        // Input ended inside a quote or heredoc: run it so the shell reports it as bash would.
        let result = playground.run(&pending).result;
        print_result(&mut out, opts.json, &result, playground.clock_secs());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("kubelet-playground {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("run") => match parse_args(&args[1..]).and_then(run) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("kubelet-playground: {err}");
                ExitCode::from(2)
            }
        },
        Some("lesson") => lesson::main(&args[1..]),
        Some(other) => {
            eprintln!("kubelet-playground: unknown command {other:?}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}

/// `lesson build` and `lesson test`: native only, as the lesson compiler is.
#[cfg(not(target_arch = "wasm32"))]
mod lesson {
    use std::process::ExitCode;

    use kubelet_playground::lessons::catalogue;
    use kubelet_playground::lessons::compile::compile;
    use kubelet_playground::lessons::{Doc, Lesson};
    use kubelet_playground::playground::lesson::prove;

    pub fn main(args: &[String]) -> ExitCode {
        let result = match args.first().map(String::as_str) {
            Some("build") => build(&args[1..]),
            Some("test") => test(&args[1..]),
            _ => Err("lesson: say `lesson build FILE` or `lesson test [ID|FILE]`".to_string()),
        };
        match result {
            Ok(code) => code,
            Err(err) => {
                eprintln!("kubelet-playground: {err}");
                ExitCode::from(2)
            }
        }
    }

    fn load(path: &str) -> Result<Lesson<Doc>, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        compile(path, &text)
    }

    fn build(args: &[String]) -> Result<ExitCode, String> {
        let [path] = args else {
            return Err("lesson build: give exactly one lesson FILE".to_string());
        };
        let lesson = load(path)?;
        let json = serde_json::to_string_pretty(&lesson).map_err(|e| e.to_string())?;
        println!("{json}");
        Ok(ExitCode::SUCCESS)
    }

    fn test(args: &[String]) -> Result<ExitCode, String> {
        let mut seed = 1;
        let mut target = None;
        let mut idx = 0;
        while idx < args.len() {
            match args[idx].as_str() {
                "--seed" => {
                    idx += 1;
                    seed = args
                        .get(idx)
                        .and_then(|s| s.parse().ok())
                        .ok_or("lesson test: --seed needs a number")?;
                }
                other if target.is_none() => target = Some(other.to_string()),
                other => return Err(format!("lesson test: unexpected argument {other:?}")),
            }
            idx += 1;
        }
        let lessons: Vec<Lesson<Doc>> = match &target {
            None => catalogue::lessons().to_vec(),
            Some(t) if t.ends_with(".yaml") || std::path::Path::new(t).is_file() => vec![load(t)?],
            Some(id) => vec![catalogue::find(id)
                .ok_or_else(|| format!("lesson test: no lesson with ID {id:?}"))?
                .clone()],
        };
        if lessons.is_empty() {
            return Err("lesson test: the course has no lessons".to_string());
        }
        let mut failed = 0;
        for lesson in &lessons {
            let failures = prove(lesson, seed);
            if failures.is_empty() {
                println!("ok    {} ({} steps)", lesson.id, lesson.steps.len());
            } else {
                failed += 1;
                println!("FAIL  {}", lesson.id);
                for failure in failures {
                    println!("      {}", failure.replace('\n', "\n      "));
                }
            }
        }
        println!(
            "lesson test: {} of {} lessons hold",
            lessons.len() - failed,
            lessons.len()
        );
        Ok(if failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    }
}

/// The browser build has no lesson compiler; the runner is native.
#[cfg(target_arch = "wasm32")]
mod lesson {
    pub fn main(_args: &[String]) -> std::process::ExitCode {
        eprintln!("kubelet-playground: `lesson` needs the native runner");
        std::process::ExitCode::from(2)
    }
}

#[cfg(test)]
mod tests {
    use super::script_lines;

    #[test]
    fn a_line_that_is_not_utf8_does_not_end_the_script() {
        let input: &[u8] = b"echo one\necho \xff\xfe two\r\necho three";
        let lines: Vec<String> = script_lines(input).map(Result::unwrap).collect();
        assert_eq!(
            lines,
            ["echo one", "echo \u{fffd}\u{fffd} two", "echo three"]
        );
    }
}
