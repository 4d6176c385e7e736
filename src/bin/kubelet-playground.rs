//! The native command-line runner: the simulation's black-box interface (DESIGN.md).

use std::process::ExitCode;

const HELP: &str = "\
kubelet-playground: a teaching playground for Kubernetes static pods

Usage:
  kubelet-playground run [--json] [--lesson ID] [SCRIPT]
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

  `sleep N` (also `Ns`, `Nm`) advances the virtual clock by N seconds.
";

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
        Some("run") => {
            eprintln!("kubelet-playground: `run` is not available yet in this build; see --help");
            ExitCode::from(2)
        }
        Some(other) => {
            eprintln!("kubelet-playground: unknown command {other:?}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}
