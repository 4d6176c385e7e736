//! Path commands: `basename`, `dirname`, `realpath`, `readlink` (coreutils 9.4) and `pwd`.
//!
//! `pwd` behaves as bash's builtin, which is what a learner's `pwd` runs: the logical path
//! by default, `-P` for the physical one, bash's wording for a bad option.

use crate::node::fs::{normalize, FsError};
use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, base_name, getopt, help, long, quote, quotef, try_help, version, HasArg, Long, Spec, HELP,
    VERSION,
};

/// Runs `pwd` (bash's builtin).
pub(super) fn pwd(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let mut physical = false;
    if argv.get(1).is_some_and(|a| a == "--help") {
        return Output::ok(
            "pwd: pwd [-LP]\n    Print the name of the current working directory.\n    \n    \
             Options:\n      -L\tprint the value of $PWD if it names the current working\n    \t\tdirectory\n      \
             -P\tprint the physical directory, without any symbolic links\n    \n    \
             By default, `pwd' behaves as if `-L' were specified.\n    \n    Exit Status:\n    \
             Returns 0 unless an invalid option is given or the current directory\n    cannot be read.\n",
        );
    }
    for arg in argv.iter().skip(1) {
        if arg == "--" {
            break;
        }
        if arg.len() > 1 && arg.starts_with('-') {
            for c in arg.chars().skip(1) {
                match c {
                    'L' => physical = false,
                    'P' => physical = true,
                    _ => {
                        return Output::err(
                            format!("bash: pwd: -{c}: invalid option\npwd: usage: pwd [-LP]\n"),
                            2,
                        )
                    }
                }
            }
            continue;
        }
        // bash's pwd ignores operands.
        break;
    }
    let path = if physical {
        ctx.fs
            .canonicalize(ctx.cwd)
            .unwrap_or_else(|_| ctx.cwd.to_string())
    } else {
        ctx.cwd.to_string()
    };
    Output::ok(format!("{path}\n"))
}

const BASENAME_LONGS: &[Long] = &[
    long("multiple", HasArg::No, 'a'),
    long("suffix", HasArg::Required, 's'),
    long("zero", HasArg::No, 'z'),
];

const BASENAME_USAGE: &str = "\
Usage: basename NAME [SUFFIX]
  or:  basename OPTION... NAME...
Print NAME with any leading directory components removed.
If specified, also remove a trailing SUFFIX.

Mandatory arguments to long options are mandatory for short options too.
  -a, --multiple       support multiple arguments and treat each as a NAME
  -s, --suffix=SUFFIX  remove a trailing SUFFIX; implies -a
  -z, --zero           end each output line with NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

Examples:
  basename /usr/bin/sort          -> \"sort\"
  basename include/stdio.h .h     -> \"stdio\"
  basename -s .h include/stdio.h  -> \"stdio\"
  basename -a any/str1 any/str2   -> \"str1\" followed by \"str2\"
";

/// Runs `basename`.
pub(super) fn basename(_ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "+as:z",
        long: BASENAME_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("basename", 1),
    };
    if args.has(HELP) {
        return help("basename", BASENAME_USAGE);
    }
    if args.has(VERSION) {
        return version("basename", &["David MacKenzie"]);
    }
    let suffix = args.last('s').map(str::to_string);
    let multiple = args.has('a') || suffix.is_some();
    let end = if args.has('z') { '\0' } else { '\n' };
    let names = &args.operands;
    if names.is_empty() {
        return Output::err(
            format!("basename: missing operand\n{}", try_help("basename")),
            1,
        );
    }
    let mut out = String::new();
    if multiple {
        for name in names {
            out.push_str(&strip_suffix(base_name(name), suffix.as_deref()));
            out.push(end);
        }
    } else {
        if names.len() > 2 {
            return Output::err(
                format!(
                    "basename: extra operand {}\n{}",
                    quote(&names[2]),
                    try_help("basename")
                ),
                1,
            );
        }
        let suffix = names.get(1).map(String::as_str);
        out.push_str(&strip_suffix(base_name(&names[0]), suffix));
        out.push(end);
    }
    Output::ok(out)
}

/// basename.c's `remove_suffix`: only when something is left.
fn strip_suffix(name: &str, suffix: Option<&str>) -> String {
    match suffix {
        Some(s) if !s.is_empty() && name != s && name.ends_with(s) && name != "/" => {
            name[..name.len() - s.len()].to_string()
        }
        _ => name.to_string(),
    }
}

const DIRNAME_USAGE: &str = "\
Usage: dirname [OPTION] NAME...
Output each NAME with its last non-slash component and trailing slashes
removed; if NAME contains no /'s, output '.' (meaning the current directory).

  -z, --zero     end each output line with NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

Examples:
  dirname /usr/bin/          -> \"/usr\"
  dirname dir1/str dir2/str  -> \"dir1\" followed by \"dir2\"
  dirname stdio.h            -> \".\"
";

/// Runs `dirname`.
pub(super) fn dirname(_ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    const LONGS: &[Long] = &[long("zero", HasArg::No, 'z')];
    let spec = Spec {
        short: "z",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("dirname", 1),
    };
    if args.has(HELP) {
        return help("dirname", DIRNAME_USAGE);
    }
    if args.has(VERSION) {
        return version("dirname", &["David MacKenzie", "Jim Meyering"]);
    }
    if args.operands.is_empty() {
        return Output::err(
            format!("dirname: missing operand\n{}", try_help("dirname")),
            1,
        );
    }
    let end = if args.has('z') { '\0' } else { '\n' };
    let mut out = String::new();
    for name in &args.operands {
        out.push_str(&dir_name(name));
        out.push(end);
    }
    Output::ok(out)
}

/// gnulib `dir_name`: everything before the last component, trailing slashes removed.
pub(super) fn dir_name(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.starts_with('/') { "/" } else { "." }.to_string();
    }
    match trimmed.rfind('/') {
        None => ".".to_string(),
        Some(pos) => {
            let dir = trimmed[..pos].trim_end_matches('/');
            if dir.is_empty() {
                "/".to_string()
            } else {
                dir.to_string()
            }
        }
    }
}

/// How much of a path must exist for canonicalization.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Every component (`-e`).
    All,
    /// All but the last (realpath's default, `readlink -f`).
    AllButLast,
    /// None (`-m`).
    Nothing,
}

/// gnulib `canonicalize_filename_mode` over the node's filesystem.
fn canonical(ctx: &FsContext<'_>, arg: &str, need: Need) -> Result<String, FsError> {
    if arg.is_empty() {
        return Err(FsError::NotFound);
    }
    let path = abs(ctx, arg);
    match ctx.fs.canonicalize(&path) {
        Ok(real) => return Ok(real),
        Err(err) if need == Need::All => return Err(err),
        Err(FsError::NotFound) => {}
        Err(err) if need == Need::AllButLast => return Err(err),
        Err(_) => {}
    }
    let clean = normalize("/", &path);
    if need == Need::AllButLast {
        let parent = normalize(&clean, "..");
        let parent_real = ctx.fs.canonicalize(&parent)?;
        if !ctx.fs.stat(&parent_real).is_ok_and(|m| m.is_dir()) {
            return Err(FsError::NotADirectory);
        }
        let last = base_name(&clean);
        if arg.ends_with('/') {
            return Err(FsError::NotFound);
        }
        return Ok(normalize(&parent_real, last));
    }
    // -m: resolve the longest existing prefix, then append the rest lexically.
    let mut real = String::from("/");
    let mut comps = clean.split('/').filter(|c| !c.is_empty()).peekable();
    while let Some(comp) = comps.next() {
        let candidate = normalize(&real, comp);
        match ctx.fs.canonicalize(&candidate) {
            Ok(resolved) => real = resolved,
            Err(_) => {
                let rest: Vec<&str> = std::iter::once(comp).chain(comps).collect();
                return Ok(normalize(&real, &rest.join("/")));
            }
        }
    }
    Ok(real)
}

const REALPATH_LONGS: &[Long] = &[
    long("canonicalize-existing", HasArg::No, 'e'),
    long("canonicalize-missing", HasArg::No, 'm'),
    long("no-symlinks", HasArg::No, 's'),
    long("strip", HasArg::No, 's'),
    long("quiet", HasArg::No, 'q'),
    long("zero", HasArg::No, 'z'),
];

const REALPATH_USAGE: &str = "\
Usage: realpath [OPTION]... FILE...
Print the resolved absolute file name;
all but the last component must exist

  -e, --canonicalize-existing  all components of the path must exist
  -m, --canonicalize-missing   no path components need exist or be a directory
  -q, --quiet                  suppress most error messages
  -s, --strip, --no-symlinks   don't expand symlinks
  -z, --zero                   end each output line with NUL, not newline
      --help        display this help and exit
      --version     output version information and exit
";

/// Runs `realpath`.
pub(super) fn realpath(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "emsqz",
        long: REALPATH_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("realpath", 1),
    };
    if args.has(HELP) {
        return help("realpath", REALPATH_USAGE);
    }
    if args.has(VERSION) {
        return version("realpath", &["Padraig Brady"]);
    }
    if args.operands.is_empty() {
        return Output::err(
            format!("realpath: missing operand\n{}", try_help("realpath")),
            1,
        );
    }
    let need = if args.has('e') {
        Need::All
    } else if args.has('m') {
        Need::Nothing
    } else {
        Need::AllButLast
    };
    let end = if args.has('z') { '\0' } else { '\n' };
    let mut out = Output::default();
    for arg in &args.operands {
        let result = if args.has('s') {
            if arg.is_empty() {
                Err(FsError::NotFound)
            } else {
                Ok(normalize(ctx.cwd, arg))
            }
        } else {
            canonical(ctx, arg, need)
        };
        match result {
            Ok(path) => {
                out.stdout.push_str(&path);
                out.stdout.push(end);
            }
            Err(err) => {
                if !args.has('q') {
                    out.stderr
                        .push_str(&format!("realpath: {}: {err}\n", quotef(arg)));
                }
                out.code = 1;
            }
        }
    }
    out
}

const READLINK_LONGS: &[Long] = &[
    long("canonicalize", HasArg::No, 'f'),
    long("canonicalize-existing", HasArg::No, 'e'),
    long("canonicalize-missing", HasArg::No, 'm'),
    long("no-newline", HasArg::No, 'n'),
    long("quiet", HasArg::No, 'q'),
    long("silent", HasArg::No, 's'),
    long("verbose", HasArg::No, 'v'),
    long("zero", HasArg::No, 'z'),
];

const READLINK_USAGE: &str = "\
Usage: readlink [OPTION]... FILE...
Print value of a symbolic link or canonical file name

  -f, --canonicalize            canonicalize by following every symlink in
                                every component of the given name recursively;
                                all but the last component must exist
  -e, --canonicalize-existing   canonicalize by following every symlink in
                                every component of the given name recursively,
                                all components must exist
  -m, --canonicalize-missing    canonicalize by following every symlink in
                                every component of the given name recursively,
                                without requirements on components existence
  -n, --no-newline              do not output the trailing delimiter
  -q, --quiet
  -s, --silent                  suppress most error messages (on by default)
  -v, --verbose                 report error messages
  -z, --zero                    end each output line with NUL, not newline
      --help        display this help and exit
      --version     output version information and exit
";

/// Runs `readlink`.
pub(super) fn readlink(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "efmnqsvz",
        long: READLINK_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("readlink", 1),
    };
    if args.has(HELP) {
        return help("readlink", READLINK_USAGE);
    }
    if args.has(VERSION) {
        return version("readlink", &["Dmitry V. Levin"]);
    }
    if args.operands.is_empty() {
        return Output::err(
            format!("readlink: missing operand\n{}", try_help("readlink")),
            1,
        );
    }
    let mut need = None;
    let mut verbose = false;
    for (id, _) in &args.opts {
        match id {
            'f' => need = Some(Need::AllButLast),
            'e' => need = Some(Need::All),
            'm' => need = Some(Need::Nothing),
            'v' => verbose = true,
            'q' | 's' => verbose = false,
            _ => {}
        }
    }
    let mut out = Output::default();
    let mut no_newline = args.has('n');
    if no_newline && args.operands.len() > 1 {
        out.stderr
            .push_str("readlink: ignoring --no-newline with multiple arguments\n");
        no_newline = false;
    }
    let end = if args.has('z') { "\0" } else { "\n" };
    for arg in &args.operands {
        let result = match need {
            Some(need) => canonical(ctx, arg, need),
            None if arg.is_empty() => Err(FsError::NotFound),
            None => ctx.fs.read_link(&abs(ctx, arg)),
        };
        match result {
            Ok(value) => {
                out.stdout.push_str(&value);
                if !no_newline {
                    out.stdout.push_str(end);
                }
            }
            Err(err) => {
                if verbose {
                    out.stderr
                        .push_str(&format!("readlink: {}: {err}\n", quotef(arg)));
                }
                out.code = 1;
            }
        }
    }
    out
}
