//! `touch`, after coreutils 9.4 `src/touch.c`: creates missing files and sets the times of
//! existing ones to now. `-c` (no create), `-a`/`-m` (the filesystem keeps one time, so both
//! set it). Dates (`-d`, `-t`, `-r`) are not offered: virtual time cannot go before the
//! simulation's start.

use crate::node::fs::FsError;
use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, getopt, help, long, quoteaf, try_help, version, HasArg, Long, Spec, HELP, VERSION,
};

const LONGS: &[Long] = &[long("no-create", HasArg::No, 'c')];

const USAGE: &str = "\
Usage: touch [OPTION]... FILE...
Update the access and modification times of each FILE to the current time.

A FILE argument that does not exist is created empty, unless -c or -h
is supplied.

A FILE argument string of - is handled specially and causes touch to
change the times of the file associated with standard output.

Mandatory arguments to long options are mandatory for short options too.
  -a                     change only the access time
  -c, --no-create        do not create any files
  -m                     change only the modification time
      --help        display this help and exit
      --version     output version information and exit
";

/// Runs `touch`.
pub(super) fn touch(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "acm",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("touch", 1),
    };
    if args.has(HELP) {
        return help("touch", USAGE);
    }
    if args.has(VERSION) {
        return version(
            "touch",
            &[
                "Paul Rubin",
                "Arnold Robbins",
                "Jim Kingdon",
                "David MacKenzie",
                "Randy Smith",
            ],
        );
    }
    if args.operands.is_empty() {
        return Output::err(
            format!("touch: missing file operand\n{}", try_help("touch")),
            1,
        );
    }
    let no_create = args.has('c');
    let mut out = Output::default();
    for arg in &args.operands {
        // "-" means standard output, which is a pipe here: nothing to touch.
        if arg == "-" {
            continue;
        }
        let path = abs(ctx, arg);
        if no_create && ctx.fs.stat(&path).is_err() {
            continue;
        }
        let result = if arg.is_empty() {
            Err(FsError::NotFound)
        } else {
            ctx.fs.touch(ctx.now, &path)
        };
        if let Err(err) = result {
            out.stderr
                .push_str(&format!("touch: cannot touch {}: {err}\n", quoteaf(arg)));
            out.code = 1;
        }
    }
    out
}
