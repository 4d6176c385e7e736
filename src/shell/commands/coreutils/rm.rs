//! `rm` and `rmdir`, after coreutils 9.4 `src/rm.c`, `src/remove.c` and `src/rmdir.c`.
//!
//! `rm`: `-r -R -f -d -v -i -I`, `--preserve-root` (the default) and `--no-preserve-root`.
//! `rmdir`: `-p -v --ignore-fail-on-non-empty`.
//!
//! `-i` and `-I` print rm's questions on standard error and read the answers, a line each,
//! from standard input; with nothing to read the answer is no, as with `rm -i < /dev/null`.

use crate::node::fs::{FileKind, FsError};
use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, base_name, getopt, help, join, long, quoteaf, try_help, version, HasArg, Long, Spec, HELP,
    VERSION,
};

const NO_PRESERVE_ROOT: char = '\u{F000}';
const PRESERVE_ROOT: char = '\u{F001}';
const IGNORE_NON_EMPTY: char = '\u{F002}';

const RM_LONGS: &[Long] = &[
    long("force", HasArg::No, 'f'),
    long("recursive", HasArg::No, 'r'),
    long("dir", HasArg::No, 'd'),
    long("verbose", HasArg::No, 'v'),
    long("no-preserve-root", HasArg::No, NO_PRESERVE_ROOT),
    long("preserve-root", HasArg::Optional, PRESERVE_ROOT),
];

const RMDIR_LONGS: &[Long] = &[
    long("parents", HasArg::No, 'p'),
    long("verbose", HasArg::No, 'v'),
    long("ignore-fail-on-non-empty", HasArg::No, IGNORE_NON_EMPTY),
];

const RM_USAGE: &str = "\
Usage: rm [OPTION]... [FILE]...
Remove (unlink) the FILE(s).

  -f, --force           ignore nonexistent files and arguments, never prompt
      --no-preserve-root  do not treat '/' specially
      --preserve-root[=all]  do not remove '/' (default);
                              with 'all', reject any command line argument
                              on a separate device from its parent
  -r, -R, --recursive   remove directories and their contents recursively
  -d, --dir             remove empty directories
  -v, --verbose         explain what is being done
      --help        display this help and exit
      --version     output version information and exit

By default, rm does not remove directories.  Use the --recursive (-r or -R)
option to remove each listed directory, too, along with all of its contents.

To remove a file whose name starts with a '-', for example '-foo',
use one of these commands:
  rm -- -foo

  rm ./-foo
";

const RMDIR_USAGE: &str = "\
Usage: rmdir [OPTION]... DIRECTORY...
Remove the DIRECTORY(ies), if they are empty.

      --ignore-fail-on-non-empty
                    ignore each failure to remove a non-empty directory
  -p, --parents     remove DIRECTORY and its ancestors;
                    e.g., 'rmdir -p a/b' is similar to 'rmdir a/b a'

  -v, --verbose     output a diagnostic for every directory processed
      --help        display this help and exit
      --version     output version information and exit
";

/// Answers to rm's questions, one line of standard input each.
struct Answers<'a> {
    lines: std::str::Lines<'a>,
    /// `-i`: ask before every removal.
    always: bool,
}

impl Answers<'_> {
    /// Prints `question` and reads a yes (`y`/`Y` first) or no.
    fn ask(&mut self, out: &mut Output, question: &str) -> bool {
        out.stderr.push_str(question);
        match self.lines.next() {
            Some(line) => line.starts_with(['y', 'Y']),
            // gnulib's yesno: no answer at all is a no.
            None => false,
        }
    }
}

/// gnulib's `file_type` wording for rm's questions.
fn kind_name(meta: &crate::node::fs::Metadata) -> &'static str {
    match meta.kind {
        FileKind::Dir => "directory",
        FileKind::Symlink => "symbolic link",
        FileKind::File if meta.size == 0 => "regular empty file",
        FileKind::File => "regular file",
    }
}

/// Runs `rm`.
pub(super) fn rm(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let spec = Spec {
        short: "dfirvIR",
        long: RM_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => {
            let mut out = err.usage("rm", 1);
            // rm.c's diagnose_leading_hyphen: an operand that names a file like an option.
            for arg in argv.iter().skip(1) {
                if arg.len() > 1 && arg.starts_with('-') && ctx.fs.lstat(&abs(ctx, arg)).is_ok() {
                    out.stderr.push_str(&format!(
                        "Try 'rm ./{arg}' to remove the file {}.\n",
                        quoteaf(arg)
                    ));
                    break;
                }
            }
            return out;
        }
    };
    let mut force = false;
    let mut recursive = false;
    let mut dirs = false;
    let mut verbose = false;
    let mut preserve_root = true;
    let mut interactive = false;
    let mut prompt_once = false;
    for (id, _) in &args.opts {
        match id {
            'f' => {
                force = true;
                interactive = false;
                prompt_once = false;
            }
            'i' => {
                force = false;
                interactive = true;
                prompt_once = false;
            }
            'I' => {
                force = false;
                interactive = false;
                prompt_once = true;
            }
            'r' | 'R' => recursive = true,
            'd' => dirs = true,
            'v' => verbose = true,
            &NO_PRESERVE_ROOT => preserve_root = false,
            &PRESERVE_ROOT => preserve_root = true,
            &HELP => return help("rm", RM_USAGE),
            &VERSION => {
                return version(
                    "rm",
                    &[
                        "Paul Rubin",
                        "David MacKenzie",
                        "Richard M. Stallman",
                        "Jim Meyering",
                    ],
                )
            }
            _ => {}
        }
    }
    if args.operands.is_empty() {
        if force {
            return Output::default();
        }
        return Output::err(format!("rm: missing operand\n{}", try_help("rm")), 1);
    }
    let mut out = Output::default();
    let mut answers = Answers {
        lines: stdin.lines(),
        always: interactive,
    };
    let n = args.operands.len();
    if prompt_once && (recursive || n > 3) {
        let plural = if n == 1 { "argument" } else { "arguments" };
        let how = if recursive { " recursively" } else { "" };
        if !answers.ask(&mut out, &format!("rm: remove {n} {plural}{how}? ")) {
            return out;
        }
    }
    let opts = RmOpts {
        force,
        recursive,
        dirs,
        verbose,
        preserve_root,
    };
    for arg in &args.operands {
        if !remove_operand(ctx, arg, &opts, &mut answers, &mut out) {
            out.code = 1;
        }
    }
    out
}

/// rm's settings for one run.
#[derive(Clone, Copy)]
struct RmOpts {
    force: bool,
    recursive: bool,
    dirs: bool,
    verbose: bool,
    preserve_root: bool,
}

fn remove_operand(
    ctx: &mut FsContext<'_>,
    arg: &str,
    opts: &RmOpts,
    answers: &mut Answers<'_>,
    out: &mut Output,
) -> bool {
    let RmOpts {
        force,
        recursive,
        dirs,
        verbose,
        preserve_root,
    } = *opts;
    let path = abs(ctx, arg);
    let meta = match if arg.is_empty() {
        Err(FsError::NotFound)
    } else {
        ctx.fs.lstat(&path)
    } {
        Ok(meta) => meta,
        Err(FsError::NotFound) if force => return true,
        Err(err) => {
            out.stderr
                .push_str(&format!("rm: cannot remove {}: {err}\n", quoteaf(arg)));
            return false;
        }
    };
    if meta.is_dir() || (arg.ends_with('/') && ctx.fs.stat(&path).is_ok_and(|m| m.is_dir())) {
        if recursive && preserve_root && path == "/" {
            out.stderr.push_str(&format!(
                "rm: it is dangerous to operate recursively on {}\n\
                 rm: use --no-preserve-root to override this failsafe\n",
                quoteaf("/")
            ));
            return false;
        }
        let last = base_name(arg.trim_end_matches('/'));
        let last = if arg.trim_end_matches('/').is_empty() {
            "/"
        } else {
            last
        };
        if recursive && (last == "." || last == "..") {
            out.stderr.push_str(&format!(
                "rm: refusing to remove '.' or '..' directory: skipping {}\n",
                quoteaf(arg)
            ));
            return false;
        }
        if !recursive {
            let empty = ctx.fs.read_dir(&path).is_ok_and(|e| e.is_empty());
            if !dirs {
                out.stderr.push_str(&format!(
                    "rm: cannot remove {}: Is a directory\n",
                    quoteaf(arg)
                ));
                return false;
            }
            if !empty {
                out.stderr.push_str(&format!(
                    "rm: cannot remove {}: Directory not empty\n",
                    quoteaf(arg)
                ));
                return false;
            }
        }
        return remove_tree(ctx, arg, &path, verbose, answers, out);
    }
    if answers.always
        && !answers.ask(
            out,
            &format!("rm: remove {} {}? ", kind_name(&meta), quoteaf(arg)),
        )
    {
        return true;
    }
    match ctx.fs.remove_file(ctx.now, &path) {
        Ok(()) => {
            if verbose {
                out.stdout.push_str(&format!("removed {}\n", quoteaf(arg)));
            }
            true
        }
        Err(err) => {
            out.stderr
                .push_str(&format!("rm: cannot remove {}: {err}\n", quoteaf(arg)));
            false
        }
    }
}

/// Removes a directory and its contents, children first, naming each one under `-v`.
fn remove_tree(
    ctx: &mut FsContext<'_>,
    shown: &str,
    path: &str,
    verbose: bool,
    answers: &mut Answers<'_>,
    out: &mut Output,
) -> bool {
    if path.matches('/').count() > super::common::MAX_TREE_DEPTH {
        out.stderr.push_str(&format!(
            "rm: cannot remove {}: File name too long\n",
            quoteaf(shown)
        ));
        return false;
    }
    let entries = ctx.fs.read_dir(path).unwrap_or_default();
    if answers.always
        && !entries.is_empty()
        && !answers.ask(
            out,
            &format!("rm: descend into directory {}? ", quoteaf(shown)),
        )
    {
        return true;
    }
    let mut ok = true;
    for entry in entries {
        let child_shown = join(shown, &entry.name);
        let child = join(path, &entry.name);
        if entry.kind == FileKind::Dir {
            ok &= remove_tree(ctx, &child_shown, &child, verbose, answers, out);
            continue;
        }
        if answers.always {
            let question = match ctx.fs.lstat(&child) {
                Ok(meta) => format!(
                    "rm: remove {} {}? ",
                    kind_name(&meta),
                    quoteaf(&child_shown)
                ),
                Err(_) => format!("rm: remove {}? ", quoteaf(&child_shown)),
            };
            if !answers.ask(out, &question) {
                ok = false;
                continue;
            }
        }
        match ctx.fs.remove_file(ctx.now, &child) {
            Ok(()) if verbose => {
                out.stdout
                    .push_str(&format!("removed {}\n", quoteaf(&child_shown)));
            }
            Ok(()) => {}
            Err(err) => {
                out.stderr.push_str(&format!(
                    "rm: cannot remove {}: {err}\n",
                    quoteaf(&child_shown)
                ));
                ok = false;
            }
        }
    }
    if !ok {
        // A declined child keeps its directory; that is not an error of its own.
        return answers.always;
    }
    if answers.always && !answers.ask(out, &format!("rm: remove directory {}? ", quoteaf(shown))) {
        return true;
    }
    match ctx.fs.remove_dir(ctx.now, path.trim_end_matches('/')) {
        Ok(()) => {
            if verbose {
                out.stdout
                    .push_str(&format!("removed directory {}\n", quoteaf(shown)));
            }
            true
        }
        Err(err) => {
            out.stderr
                .push_str(&format!("rm: cannot remove {}: {err}\n", quoteaf(shown)));
            false
        }
    }
}

/// Runs `rmdir`.
pub(super) fn rmdir(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "pv",
        long: RMDIR_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("rmdir", 1),
    };
    if args.has(HELP) {
        return help("rmdir", RMDIR_USAGE);
    }
    if args.has(VERSION) {
        return version("rmdir", &["David MacKenzie"]);
    }
    let parents = args.has('p');
    let verbose = args.has('v');
    let ignore_non_empty = args.has(IGNORE_NON_EMPTY);
    if args.operands.is_empty() {
        return Output::err(format!("rmdir: missing operand\n{}", try_help("rmdir")), 1);
    }
    let mut out = Output::default();
    for arg in &args.operands {
        let mut dir = arg.clone();
        loop {
            if verbose {
                out.stdout
                    .push_str(&format!("rmdir: removing directory, {}\n", quoteaf(&dir)));
            }
            let path = abs(ctx, &dir);
            let result = if dir.is_empty() {
                Err(FsError::NotFound)
            } else {
                ctx.fs.remove_dir(ctx.now, &path)
            };
            match result {
                Ok(()) => {}
                Err(FsError::DirectoryNotEmpty) if ignore_non_empty => break,
                Err(err) => {
                    let msg = if parents && dir != *arg && err != FsError::NotADirectory {
                        format!(
                            "rmdir: failed to remove directory {}: {err}\n",
                            quoteaf(&dir)
                        )
                    } else {
                        format!("rmdir: failed to remove {}: {err}\n", quoteaf(&dir))
                    };
                    out.stderr.push_str(&msg);
                    out.code = 1;
                    break;
                }
            }
            if !parents {
                break;
            }
            // rmdir -p a/b/c goes on with a/b, then a.
            let trimmed = dir.trim_end_matches('/');
            match trimmed.rfind('/') {
                Some(0) | None => break,
                Some(pos) => dir = trimmed[..pos].trim_end_matches('/').to_string(),
            }
            if dir.is_empty() {
                break;
            }
        }
    }
    out
}
