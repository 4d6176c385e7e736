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
    for line in reader.lines() {
        let line = line.map_err(|e| format!("run: reading input: {e}"))?;
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
        Some(other) => {
            eprintln!("kubelet-playground: unknown command {other:?}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}
