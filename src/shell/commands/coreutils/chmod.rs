//! `chmod`, after coreutils 9.4 `src/chmod.c` and gnulib `modechange.c`: octal modes and
//! symbolic ones (`u+x`, `go-w`, `a=r`, `+X`, `u=g`, comma lists), `-R -v -c -f`. The
//! umask is the usual 022, which matters for `chmod +w` without a `who`.

use crate::node::fs::FileKind;
use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, getopt, help, join, long, quote, quoteaf, try_help, version, HasArg, Long, Spec, HELP,
    VERSION,
};
use super::ls::mode_string;

const UMASK: u32 = 0o022;
const ALL_BITS: u32 = 0o7777;

const LONGS: &[Long] = &[
    long("changes", HasArg::No, 'c'),
    long("silent", HasArg::No, 'f'),
    long("quiet", HasArg::No, 'f'),
    long("verbose", HasArg::No, 'v'),
    long("recursive", HasArg::No, 'R'),
];

const USAGE: &str = "\
Usage: chmod [OPTION]... MODE[,MODE]... FILE...
  or:  chmod [OPTION]... OCTAL-MODE FILE...
Change the mode of each FILE to MODE.

  -c, --changes          like verbose but report only when a change is made
  -f, --silent, --quiet  suppress most error messages
  -v, --verbose          output a diagnostic for every file processed
  -R, --recursive        change files and directories recursively
      --help        display this help and exit
      --version     output version information and exit

Each MODE is of the form '[ugoa]*([-+=]([rwxXst]*|[ugo]))+|[-+=][0-7]+'.
";

/// One parsed clause of a symbolic mode: `who`, operator and what to apply.
#[derive(Debug, Clone)]
pub(super) struct Clause {
    /// The bits named by `ugoa` (0 when none was given: then the umask applies).
    affected: u32,
    op: char,
    perms: Perms,
}

#[derive(Debug, Clone)]
pub(super) enum Perms {
    /// Fixed bits, plus whether `X` was given.
    Bits { value: u32, x_if_any: bool },
    /// `u`, `g` or `o`: copy that class's current bits.
    Copy(u32),
}

/// A parsed mode argument.
#[derive(Debug, Clone)]
pub(super) enum Mode {
    Octal(u32),
    Symbolic(Vec<Clause>),
}

impl Mode {
    /// Parses `755` or `u+x,go-w`; `None` is chmod's "invalid mode".
    pub(super) fn parse(text: &str) -> Option<Mode> {
        if !text.is_empty() && text.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            if text.len() > 4 && text.trim_start_matches('0').len() > 4 {
                return None;
            }
            return u32::from_str_radix(text, 8).ok().map(Mode::Octal);
        }
        let mut clauses = Vec::new();
        for part in text.split(',') {
            let mut chars = part.chars().peekable();
            let mut affected = 0;
            while let Some(&c) = chars.peek() {
                let bits = match c {
                    'u' => 0o4700,
                    'g' => 0o2070,
                    'o' => 0o1007,
                    'a' => ALL_BITS,
                    _ => break,
                };
                affected |= bits;
                chars.next();
            }
            let mut any_op = false;
            while let Some(op) = chars.next() {
                if !matches!(op, '+' | '-' | '=') {
                    return None;
                }
                any_op = true;
                let mut value = 0;
                let mut x_if_any = false;
                let mut copy = None;
                let mut octal = String::new();
                while let Some(&c) = chars.peek() {
                    match c {
                        'r' => value |= 0o444,
                        'w' => value |= 0o222,
                        'x' => value |= 0o111,
                        'X' => x_if_any = true,
                        's' => value |= 0o6000,
                        't' => value |= 0o1000,
                        'u' if value == 0 && copy.is_none() => copy = Some(0o700),
                        'g' if value == 0 && copy.is_none() => copy = Some(0o070),
                        'o' if value == 0 && copy.is_none() => copy = Some(0o007),
                        '0'..='7' if affected == 0 && value == 0 => octal.push(c),
                        _ => break,
                    }
                    chars.next();
                }
                let perms = if !octal.is_empty() {
                    Perms::Bits {
                        value: u32::from_str_radix(&octal, 8).ok()? & ALL_BITS,
                        x_if_any: false,
                    }
                } else {
                    match copy {
                        Some(class) => Perms::Copy(class),
                        None => Perms::Bits { value, x_if_any },
                    }
                };
                clauses.push(Clause {
                    affected,
                    op,
                    perms,
                });
                if chars.peek().is_some_and(|c| !matches!(c, '+' | '-' | '=')) {
                    return None;
                }
            }
            if !any_op {
                return None;
            }
        }
        Some(Mode::Symbolic(clauses))
    }

    /// The new permission bits for a file with `old` bits, as gnulib `mode_adjust` does.
    pub(super) fn apply(&self, old: u32, is_dir: bool) -> u32 {
        let clauses = match self {
            Mode::Octal(bits) => {
                // chmod keeps a directory's set-id bits unless given five digits.
                let keep = if is_dir { old & 0o6000 } else { 0 };
                return (bits & ALL_BITS) | keep;
            }
            Mode::Symbolic(clauses) => clauses,
        };
        let mut mode = old & ALL_BITS;
        for clause in clauses {
            let omit = if is_dir { 0o6000 & !clause.affected } else { 0 };
            let mut value = match &clause.perms {
                Perms::Bits { value, x_if_any } => {
                    let mut v = *value;
                    if *x_if_any && (mode & 0o111 != 0 || is_dir) {
                        v |= 0o111;
                    }
                    v
                }
                Perms::Copy(class) => {
                    let bits = mode & class;
                    let mut v = 0;
                    if bits & 0o444 != 0 {
                        v |= 0o444;
                    }
                    if bits & 0o222 != 0 {
                        v |= 0o222;
                    }
                    if bits & 0o111 != 0 {
                        v |= 0o111;
                    }
                    v
                }
            };
            let mask = if clause.affected != 0 {
                clause.affected
            } else {
                ALL_BITS & !UMASK
            };
            value &= mask & !omit;
            match clause.op {
                '=' => {
                    let preserved = if clause.affected != 0 {
                        !clause.affected
                    } else {
                        0
                    } | omit;
                    mode = (mode & preserved) | value;
                }
                '+' => mode |= value,
                _ => mode &= !value,
            }
        }
        mode & ALL_BITS
    }
}

/// Runs `chmod`.
pub(super) fn chmod(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    // `chmod -x f` is a mode, not an option: chmod.c lists the mode letters as options and
    // takes them back as the mode text.
    let mut mode_arg: Option<String> = None;
    let mut rest: Vec<String> = vec![argv.first().cloned().unwrap_or_default()];
    let mut after_dashdash = false;
    for arg in argv.iter().skip(1) {
        if !after_dashdash
            && mode_arg.is_none()
            && arg.len() > 1
            && arg.starts_with('-')
            && arg[1..]
                .chars()
                .all(|c| "rwxXstugoa,+-=01234567".contains(c))
        {
            mode_arg = Some(arg.clone());
            continue;
        }
        if arg == "--" {
            after_dashdash = true;
        }
        rest.push(arg.clone());
    }
    let spec = Spec {
        short: "cfvR",
        long: LONGS,
    };
    let args = match getopt(&rest, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("chmod", 1),
    };
    if args.has(HELP) {
        return help("chmod", USAGE);
    }
    if args.has(VERSION) {
        return version("chmod", &["David MacKenzie", "Jim Meyering"]);
    }
    let mut operands = args.operands.clone();
    let mode_text = match mode_arg {
        Some(m) => m,
        None if operands.is_empty() => {
            return Output::err(format!("chmod: missing operand\n{}", try_help("chmod")), 1)
        }
        None => operands.remove(0),
    };
    if operands.is_empty() {
        return Output::err(
            format!(
                "chmod: missing operand after {}\n{}",
                quote(&mode_text),
                try_help("chmod")
            ),
            1,
        );
    }
    let Some(mode) = Mode::parse(&mode_text) else {
        return Output::err(
            format!(
                "chmod: invalid mode: {}\n{}",
                quote(&mode_text),
                try_help("chmod")
            ),
            1,
        );
    };
    let report = if args.has('v') {
        Report::All
    } else if args.has('c') {
        Report::Changes
    } else {
        Report::None
    };
    let quiet = args.has('f');
    let recursive = args.has('R');
    let mut out = Output::default();
    for arg in &operands {
        let path = abs(ctx, arg);
        let ok = change(ctx, &mode, arg, &path, report, quiet, &mut out);
        if !ok {
            out.code = 1;
            continue;
        }
        if recursive && ctx.fs.stat(&path).is_ok_and(|m| m.is_dir()) {
            let walk = ctx.fs.walk(&path).unwrap_or_default();
            for entry in walk {
                if entry.kind == FileKind::Symlink {
                    continue;
                }
                let rel = entry
                    .path
                    .strip_prefix(path.trim_end_matches('/'))
                    .unwrap_or("");
                let shown = join(arg, rel.trim_start_matches('/'));
                if !change(ctx, &mode, &shown, &entry.path, report, quiet, &mut out) {
                    out.code = 1;
                }
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Report {
    None,
    Changes,
    All,
}

fn change(
    ctx: &mut FsContext<'_>,
    mode: &Mode,
    shown: &str,
    path: &str,
    report: Report,
    quiet: bool,
    out: &mut Output,
) -> bool {
    let meta = match if shown.is_empty() {
        Err(crate::node::fs::FsError::NotFound)
    } else {
        ctx.fs.stat(path)
    } {
        Ok(meta) => meta,
        Err(err) => {
            if !quiet {
                out.stderr
                    .push_str(&format!("chmod: cannot access {}: {err}\n", quoteaf(shown)));
            }
            return false;
        }
    };
    let old = meta.mode & ALL_BITS;
    let new = mode.apply(old, meta.is_dir());
    if let Err(err) = ctx.fs.chmod(ctx.now, path, new) {
        if !quiet {
            out.stderr.push_str(&format!(
                "chmod: changing permissions of {}: {err}\n",
                quoteaf(shown)
            ));
        }
        return false;
    }
    let perms = |bits: u32| {
        let mut m = meta;
        m.mode = bits;
        mode_string(&m)[1..].to_string()
    };
    match report {
        Report::All if old == new => out.stdout.push_str(&format!(
            "mode of {} retained as {:04o} ({})\n",
            quoteaf(shown),
            new,
            perms(new)
        )),
        Report::All | Report::Changes if old != new => out.stdout.push_str(&format!(
            "mode of {} changed from {:04o} ({}) to {:04o} ({})\n",
            quoteaf(shown),
            old,
            perms(old),
            new,
            perms(new)
        )),
        _ => {}
    }
    true
}

#[cfg(test)]
mod tests {
    use super::Mode;

    fn apply(text: &str, old: u32, dir: bool) -> u32 {
        Mode::parse(text).unwrap().apply(old, dir)
    }

    #[test]
    fn symbolic_modes_follow_gnulib() {
        assert_eq!(apply("+x", 0o644, false), 0o755);
        assert_eq!(apply("u+x", 0o644, false), 0o744);
        assert_eq!(apply("+w", 0o444, false), 0o644);
        assert_eq!(apply("go-rwx", 0o755, false), 0o700);
        assert_eq!(apply("a=r", 0o755, false), 0o444);
        assert_eq!(apply("u=rw,go=r", 0o777, false), 0o644);
        assert_eq!(apply("+X", 0o644, true), 0o755);
        assert_eq!(apply("+X", 0o644, false), 0o644);
        assert_eq!(apply("g=u", 0o740, false), 0o770);
        assert_eq!(apply("u+s", 0o755, false), 0o4755);
        assert_eq!(apply("600", 0o755, false), 0o600);
        assert!(Mode::parse("abc").is_none());
        assert!(Mode::parse("u+").is_some());
        assert!(Mode::parse("u").is_none());
        assert!(Mode::parse("99").is_none());
    }
}
