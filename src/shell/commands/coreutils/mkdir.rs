//! `mkdir`, after coreutils 9.4 `src/mkdir.c` and gnulib `mkdir-p.c`/`mkancesdirs.c`:
//! `-p -v -m MODE`. Its diagnostics use gnulib's `quote`, so names appear in curly quotes:
//! `mkdir: cannot create directory ‘x’: File exists`.

use crate::node::fs::FsError;
use crate::shell::io::{FsContext, Output};

use super::chmod::Mode;
use super::common::{
    abs, getopt, help, long, quote, quoteaf, try_help, version, HasArg, Long, Spec, HELP, VERSION,
};

const LONGS: &[Long] = &[
    long("mode", HasArg::Required, 'm'),
    long("parents", HasArg::No, 'p'),
    long("verbose", HasArg::No, 'v'),
];

const USAGE: &str = "\
Usage: mkdir [OPTION]... DIRECTORY...
Create the DIRECTORY(ies), if they do not already exist.

Mandatory arguments to long options are mandatory for short options too.
  -m, --mode=MODE   set file mode (as in chmod), not a=rwx - umask
  -p, --parents     no error if existing, make parent directories as needed,
                    with their file modes unaffected by any -m option.
  -v, --verbose     print a message for each created directory
      --help        display this help and exit
      --version     output version information and exit
";

/// Runs `mkdir`.
pub(super) fn mkdir(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "pm:vZ",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("mkdir", 1),
    };
    if args.has(HELP) {
        return help("mkdir", USAGE);
    }
    if args.has(VERSION) {
        return version("mkdir", &["David MacKenzie"]);
    }
    let parents = args.has('p');
    let verbose = args.has('v');
    let mode = match args.last('m') {
        None => None,
        Some(text) => match Mode::parse(text) {
            // Applied to a=rwx, as mkdir.c does with mode_adjust (0777, ...).
            Some(mode) => Some(mode.apply(0o777, true)),
            None => {
                return Output::err(format!("mkdir: invalid mode {}\n", quote(text)), 1);
            }
        },
    };
    if args.operands.is_empty() {
        return Output::err(format!("mkdir: missing operand\n{}", try_help("mkdir")), 1);
    }
    let mut out = Output::default();
    for arg in &args.operands {
        let ok = if parents {
            make_parents(ctx, arg, verbose, &mut out)
        } else {
            make_one(ctx, arg, arg, verbose, &mut out, false)
        };
        if !ok {
            out.code = 1;
            continue;
        }
        if let Some(bits) = mode {
            let _ = ctx.fs.chmod(ctx.now, &abs(ctx, arg), bits);
        }
    }
    out
}

/// mkdir(2) on `prefix`; reports the error naming `shown` unless `quiet_exists`.
fn make_one(
    ctx: &mut FsContext<'_>,
    prefix: &str,
    shown: &str,
    verbose: bool,
    out: &mut Output,
    quiet_exists: bool,
) -> bool {
    let result = if prefix.is_empty() {
        Err(FsError::NotFound)
    } else {
        ctx.fs.mkdir(ctx.now, &abs(ctx, prefix))
    };
    match result {
        Ok(()) => {
            if verbose {
                out.stdout
                    .push_str(&format!("mkdir: created directory {}\n", quoteaf(prefix)));
            }
            true
        }
        Err(FsError::AlreadyExists) if quiet_exists => true,
        Err(err) => {
            out.stderr.push_str(&format!(
                "mkdir: cannot create directory {}: {err}\n",
                quote(shown)
            ));
            false
        }
    }
}

/// `mkdir -p`: each ancestor is made (or found) in turn; when one cannot be entered the
/// message names the path up to it, as mkancesdirs leaves the string cut there.
fn make_parents(ctx: &mut FsContext<'_>, arg: &str, verbose: bool, out: &mut Output) -> bool {
    let trimmed = arg.trim_end_matches('/');
    let trimmed = if trimmed.is_empty() { arg } else { trimmed };
    let mut ends: Vec<usize> = Vec::new();
    let bytes = trimmed.as_bytes();
    for idx in 1..bytes.len() {
        if bytes[idx] == b'/' && bytes[idx - 1] != b'/' {
            ends.push(idx);
        }
    }
    for end in ends {
        let prefix = &trimmed[..end];
        let component = prefix.rsplit('/').next().unwrap_or("");
        if component == "." || component == ".." {
            continue;
        }
        let path = abs(ctx, prefix);
        let made = ctx.fs.mkdir(ctx.now, &path);
        if made.is_ok() && verbose {
            out.stdout
                .push_str(&format!("mkdir: created directory {}\n", quoteaf(prefix)));
        }
        match ctx.fs.stat(&path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                out.stderr.push_str(&format!(
                    "mkdir: cannot create directory {}: Not a directory\n",
                    quote(prefix)
                ));
                return false;
            }
            Err(err) => {
                let err = match made {
                    Err(e) if err == FsError::NotFound => e,
                    _ => err,
                };
                out.stderr.push_str(&format!(
                    "mkdir: cannot create directory {}: {err}\n",
                    quote(prefix)
                ));
                return false;
            }
        }
    }
    let path = abs(ctx, trimmed);
    match ctx.fs.mkdir(ctx.now, &path) {
        Ok(()) => {
            if verbose {
                out.stdout
                    .push_str(&format!("mkdir: created directory {}\n", quoteaf(arg)));
            }
            true
        }
        Err(_) if ctx.fs.stat(&path).is_ok_and(|m| m.is_dir()) => true,
        Err(err) => {
            out.stderr.push_str(&format!(
                "mkdir: cannot create directory {}: {err}\n",
                quote(arg)
            ));
            false
        }
    }
}
