//! `tee`, after coreutils 9.4 `src/tee.c`: copies standard input to standard output and to
//! each FILE (`-a` appends; `-i` and `-p` are accepted and change nothing here).

use crate::node::fs::WriteMode;
use crate::shell::io::{FsContext, Output};

use super::common::{abs, getopt, help, long, quotef, version, HasArg, Long, Spec, HELP, VERSION};

const LONGS: &[Long] = &[
    long("append", HasArg::No, 'a'),
    long("ignore-interrupts", HasArg::No, 'i'),
    long("output-error", HasArg::Optional, 'p'),
];

const SPEC: Spec = Spec {
    short: "aip",
    long: LONGS,
};

const USAGE: &str = "\
Usage: tee [OPTION]... [FILE]...
Copy standard input to each FILE, and also to standard output.

  -a, --append              append to the given FILEs, do not overwrite
  -i, --ignore-interrupts   ignore interrupt signals
  -p                        operate in a more appropriate MODE with pipes.
      --output-error[=MODE]   set behavior on write error.  See MODE below
      --help        display this help and exit
      --version     output version information and exit
";

/// Runs `tee`.
pub(super) fn tee(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let args = match getopt(argv, &SPEC) {
        Ok(args) => args,
        Err(err) => return err.usage("tee", 1),
    };
    if args.has(HELP) {
        return help("tee", USAGE);
    }
    if args.has(VERSION) {
        return version(
            "tee",
            &["Mike Parker", "Richard M. Stallman", "David MacKenzie"],
        );
    }
    let mode = if args.has('a') {
        WriteMode::Append
    } else {
        WriteMode::Truncate
    };
    let mut out = Output::ok(stdin);
    for arg in &args.operands {
        // tee treats "-" as a file name, not as standard output.
        let result = if arg.is_empty() {
            Err(crate::node::fs::FsError::NotFound)
        } else {
            let path = abs(ctx, arg);
            ctx.fs.write(ctx.now, &path, stdin.as_bytes(), mode)
        };
        if let Err(err) = result {
            out.stderr
                .push_str(&format!("tee: {}: {err}\n", quotef(arg)));
            out.code = 1;
        }
    }
    out
}
