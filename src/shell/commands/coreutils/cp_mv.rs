//! `cp` and `mv`, after coreutils 9.4 `src/cp.c`, `src/mv.c` and `src/copy.c`.
//!
//! `cp`: `-r -R -a -p -f -v -P -L -T -t DIR`; with `-r` symlinks are copied as symlinks.
//! `mv`: `-f -n -v -T -t DIR`, one rename(2) per operand (one filesystem, so no copying).
//! `-i` is absent: nothing here can ask the learner a question.

use crate::node::fs::{FileKind, FsError};
use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, base_name, getopt, help, join, long, quoteaf, try_help, version, HasArg, Long, Spec, HELP,
    VERSION,
};

const CP_LONGS: &[Long] = &[
    long("archive", HasArg::No, 'a'),
    long("force", HasArg::No, 'f'),
    long("recursive", HasArg::No, 'R'),
    long("dereference", HasArg::No, 'L'),
    long("no-dereference", HasArg::No, 'P'),
    long("preserve", HasArg::Optional, 'p'),
    long("verbose", HasArg::No, 'v'),
    long("target-directory", HasArg::Required, 't'),
    long("no-target-directory", HasArg::No, 'T'),
];

const MV_LONGS: &[Long] = &[
    long("force", HasArg::No, 'f'),
    long("no-clobber", HasArg::No, 'n'),
    long("verbose", HasArg::No, 'v'),
    long("target-directory", HasArg::Required, 't'),
    long("no-target-directory", HasArg::No, 'T'),
];

const CP_USAGE: &str = "\
Usage: cp [OPTION]... [-T] SOURCE DEST
  or:  cp [OPTION]... SOURCE... DIRECTORY
  or:  cp [OPTION]... -t DIRECTORY SOURCE...
Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.

Mandatory arguments to long options are mandatory for short options too.
  -a, --archive                same as -dR --preserve=all
  -f, --force                  if an existing destination file cannot be
                                 opened, remove it and try again
  -L, --dereference            always follow symbolic links in SOURCE
  -P, --no-dereference         never follow symbolic links in SOURCE
  -p                           same as --preserve=mode,ownership,timestamps
  -R, -r, --recursive          copy directories recursively
  -t, --target-directory=DIRECTORY  copy all SOURCE arguments into DIRECTORY
  -T, --no-target-directory    treat DEST as a normal file
  -v, --verbose                explain what is being done
      --help        display this help and exit
      --version     output version information and exit
";

const MV_USAGE: &str = "\
Usage: mv [OPTION]... [-T] SOURCE DEST
  or:  mv [OPTION]... SOURCE... DIRECTORY
  or:  mv [OPTION]... -t DIRECTORY SOURCE...
Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.

Mandatory arguments to long options are mandatory for short options too.
  -f, --force                  do not prompt before overwriting
  -n, --no-clobber             do not overwrite an existing file
  -t, --target-directory=DIRECTORY  move all SOURCE arguments into DIRECTORY
  -T, --no-target-directory    treat DEST as a normal file
  -v, --verbose                explain what is being done
      --help        display this help and exit
      --version     output version information and exit
";

/// Where the operands go: into a directory, or one source onto one destination.
enum Plan {
    IntoDir { dir: String, sources: Vec<String> },
    Onto { source: String, dest: String },
}

/// Splits operands as cp.c's `do_copy` and mv.c do, or returns the usage error.
fn plan(
    ctx: &FsContext<'_>,
    prog: &str,
    operands: &[String],
    target: Option<&str>,
    no_target: bool,
) -> Result<Plan, Output> {
    let min = if target.is_some() { 1 } else { 2 };
    if operands.len() < min {
        let msg = match operands.first() {
            None => format!("{prog}: missing file operand\n"),
            Some(first) => format!(
                "{prog}: missing destination file operand after {}\n",
                quoteaf(first)
            ),
        };
        return Err(Output::err(format!("{msg}{}", try_help(prog)), 1));
    }
    if let Some(dir) = target {
        if no_target {
            return Err(Output::err(
                format!(
                    "{prog}: cannot combine --target-directory (-t) and --no-target-directory (-T)\n"
                ),
                1,
            ));
        }
        return match ctx.fs.stat(&abs(ctx, dir)) {
            Ok(meta) if meta.is_dir() => Ok(Plan::IntoDir {
                dir: dir.to_string(),
                sources: operands.to_vec(),
            }),
            Ok(_) => Err(Output::err(
                format!(
                    "{prog}: target directory {}: Not a directory\n",
                    quoteaf(dir)
                ),
                1,
            )),
            Err(err) => Err(Output::err(
                format!("{prog}: target directory {}: {err}\n", quoteaf(dir)),
                1,
            )),
        };
    }
    let last = &operands[operands.len() - 1];
    if no_target {
        if operands.len() > 2 {
            return Err(Output::err(
                format!(
                    "{prog}: extra operand {}\n{}",
                    quoteaf(&operands[2]),
                    try_help(prog)
                ),
                1,
            ));
        }
        return Ok(Plan::Onto {
            source: operands[0].clone(),
            dest: last.clone(),
        });
    }
    let last_meta = if last.is_empty() {
        Err(FsError::NotFound)
    } else {
        ctx.fs.stat(&abs(ctx, last))
    };
    match last_meta {
        Ok(meta) if meta.is_dir() => Ok(Plan::IntoDir {
            dir: last.clone(),
            sources: operands[..operands.len() - 1].to_vec(),
        }),
        _ if operands.len() > 2 => {
            let err = match last_meta {
                Ok(_) => FsError::NotADirectory,
                Err(err) => err,
            };
            Err(Output::err(
                format!("{prog}: target {}: {err}\n", quoteaf(last)),
                1,
            ))
        }
        _ => Ok(Plan::Onto {
            source: operands[0].clone(),
            dest: last.clone(),
        }),
    }
}

fn pairs(plan: Plan) -> Vec<(String, String)> {
    match plan {
        Plan::IntoDir { dir, sources } => sources
            .into_iter()
            .map(|s| {
                let dest = join(&dir, base_name(&s));
                (s, dest)
            })
            .collect(),
        Plan::Onto { source, dest } => vec![(source, dest)],
    }
}

struct CpOpts {
    recursive: bool,
    preserve: bool,
    verbose: bool,
    /// Follow symlinks in the source (`-L`, or the default without `-r`).
    deref: bool,
}

/// Runs `cp`.
pub(super) fn cp(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "adfLPpRrvt:T",
        long: CP_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("cp", 1),
    };
    let mut opts = CpOpts {
        recursive: false,
        preserve: false,
        verbose: false,
        deref: true,
    };
    let mut deref_set = None;
    for (id, _) in &args.opts {
        match id {
            'a' => {
                opts.recursive = true;
                opts.preserve = true;
                deref_set = Some(false);
            }
            'd' | 'P' => deref_set = Some(false),
            'L' => deref_set = Some(true),
            'p' => opts.preserve = true,
            'R' | 'r' => opts.recursive = true,
            'v' => opts.verbose = true,
            &HELP => return help("cp", CP_USAGE),
            &VERSION => {
                return version(
                    "cp",
                    &["Torbjorn Granlund", "David MacKenzie", "Jim Meyering"],
                )
            }
            _ => {}
        }
    }
    opts.deref = deref_set.unwrap_or(!opts.recursive);
    let plan = match plan(ctx, "cp", &args.operands, args.last('t'), args.has('T')) {
        Ok(plan) => plan,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for (src, dst) in pairs(plan) {
        if !copy_top(ctx, &opts, &src, &dst, &mut out) {
            out.code = 1;
        }
    }
    out
}

fn copy_top(
    ctx: &mut FsContext<'_>,
    opts: &CpOpts,
    src: &str,
    dst: &str,
    out: &mut Output,
) -> bool {
    let src_path = abs(ctx, src);
    let dst_path = abs(ctx, dst);
    let meta = if src.is_empty() {
        Err(FsError::NotFound)
    } else if opts.deref {
        ctx.fs.stat(&src_path)
    } else {
        ctx.fs.lstat(&src_path)
    };
    let meta = match meta {
        Ok(meta) => meta,
        Err(err) => {
            out.stderr
                .push_str(&format!("cp: cannot stat {}: {err}\n", quoteaf(src)));
            return false;
        }
    };
    if meta.is_dir() && !opts.recursive {
        out.stderr.push_str(&format!(
            "cp: -r not specified; omitting directory {}\n",
            quoteaf(src)
        ));
        return false;
    }
    if let (Ok(a), Ok(b)) = (
        ctx.fs.canonicalize(&src_path),
        ctx.fs.canonicalize(&dst_path),
    ) {
        if a == b && (opts.deref || !meta.is_symlink()) {
            out.stderr.push_str(&format!(
                "cp: {} and {} are the same file\n",
                quoteaf(src),
                quoteaf(dst)
            ));
            return false;
        }
    }
    if meta.is_dir() {
        // Refuse to copy a directory into itself (copy.c finds out mid-copy; here the check
        // comes first, so nothing is half-copied).
        let parent = crate::node::fs::normalize(&dst_path, "..");
        if let (Ok(src_real), Ok(parent_real)) =
            (ctx.fs.canonicalize(&src_path), ctx.fs.canonicalize(&parent))
        {
            if parent_real == src_real || parent_real.starts_with(&format!("{src_real}/")) {
                out.stderr.push_str(&format!(
                    "cp: cannot copy a directory, {}, into itself, {}\n",
                    quoteaf(src),
                    quoteaf(dst)
                ));
                return false;
            }
        }
    }
    copy_entry(ctx, opts, src, &src_path, dst, &dst_path, meta.kind, out)
}

#[allow(clippy::too_many_arguments)]
fn copy_entry(
    ctx: &mut FsContext<'_>,
    opts: &CpOpts,
    src: &str,
    src_path: &str,
    dst: &str,
    dst_path: &str,
    kind: FileKind,
    out: &mut Output,
) -> bool {
    if src_path.matches('/').count() > super::common::MAX_TREE_DEPTH {
        out.stderr.push_str(&format!(
            "cp: cannot access {}: File name too long\n",
            quoteaf(src)
        ));
        return false;
    }
    let dst_meta = ctx.fs.stat(dst_path).ok();
    let src_meta = ctx.fs.stat(src_path).ok();
    match kind {
        FileKind::Dir => {
            match dst_meta {
                Some(m) if !m.is_dir() => {
                    out.stderr.push_str(&format!(
                        "cp: cannot overwrite non-directory {} with directory {}\n",
                        quoteaf(dst),
                        quoteaf(src)
                    ));
                    return false;
                }
                Some(_) => {}
                None => {
                    if let Err(err) = ctx.fs.mkdir(ctx.now, dst_path) {
                        out.stderr.push_str(&format!(
                            "cp: cannot create directory {}: {err}\n",
                            quoteaf(dst)
                        ));
                        return false;
                    }
                    if opts.verbose {
                        out.stdout
                            .push_str(&format!("{} -> {}\n", quoteaf(src), quoteaf(dst)));
                    }
                    if let Some(m) = src_meta {
                        let mode = if opts.preserve {
                            m.mode
                        } else {
                            m.mode & !0o022
                        };
                        if mode != 0o755 {
                            let _ = ctx.fs.chmod(ctx.now, dst_path, mode);
                        }
                    }
                }
            }
            let entries = match ctx.fs.read_dir(src_path) {
                Ok(entries) => entries,
                Err(err) => {
                    out.stderr
                        .push_str(&format!("cp: cannot access {}: {err}\n", quoteaf(src)));
                    return false;
                }
            };
            let mut ok = true;
            for entry in entries {
                let child_src = join(src_path, &entry.name);
                let kind = if opts.deref {
                    ctx.fs
                        .stat(&child_src)
                        .map(|m| m.kind)
                        .unwrap_or(entry.kind)
                } else {
                    entry.kind
                };
                ok &= copy_entry(
                    ctx,
                    opts,
                    &join(src, &entry.name),
                    &child_src,
                    &join(dst, &entry.name),
                    &join(dst_path, &entry.name),
                    kind,
                    out,
                );
            }
            if opts.preserve {
                if let Some(m) = src_meta {
                    let _ = ctx.fs.set_mtime(dst_path, m.mtime);
                }
            }
            ok
        }
        FileKind::Symlink => {
            if dst_meta.is_some_and(|m| m.is_dir()) {
                out.stderr.push_str(&format!(
                    "cp: cannot overwrite directory {} with non-directory\n",
                    quoteaf(dst)
                ));
                return false;
            }
            let target = ctx.fs.read_link(src_path).unwrap_or_default();
            if ctx.fs.lstat(dst_path).is_ok() {
                let _ = ctx.fs.remove_file(ctx.now, dst_path);
            }
            if let Err(err) = ctx.fs.symlink(ctx.now, &target, dst_path) {
                out.stderr.push_str(&format!(
                    "cp: cannot create symbolic link {}: {err}\n",
                    quoteaf(dst)
                ));
                return false;
            }
            if opts.verbose {
                out.stdout
                    .push_str(&format!("{} -> {}\n", quoteaf(src), quoteaf(dst)));
            }
            true
        }
        FileKind::File => {
            if dst_meta.is_some_and(|m| m.is_dir()) {
                out.stderr.push_str(&format!(
                    "cp: cannot overwrite directory {} with non-directory\n",
                    quoteaf(dst)
                ));
                return false;
            }
            if let Err(err) = ctx.fs.copy_file(ctx.now, src_path, dst_path) {
                let err = match err {
                    FsError::IsADirectory if dst_path.ends_with('/') => FsError::NotADirectory,
                    err => err,
                };
                out.stderr.push_str(&format!(
                    "cp: cannot create regular file {}: {err}\n",
                    quoteaf(dst)
                ));
                return false;
            }
            if opts.verbose {
                out.stdout
                    .push_str(&format!("{} -> {}\n", quoteaf(src), quoteaf(dst)));
            }
            if opts.preserve {
                if let Some(m) = src_meta {
                    let _ = ctx.fs.chmod(ctx.now, dst_path, m.mode);
                    let _ = ctx.fs.set_mtime(dst_path, m.mtime);
                }
            }
            true
        }
    }
}

/// Runs `mv`.
pub(super) fn mv(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "fnvt:T",
        long: MV_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("mv", 1),
    };
    if args.has(HELP) {
        return help("mv", MV_USAGE);
    }
    if args.has(VERSION) {
        return version("mv", &["Mike Parker", "David MacKenzie", "Jim Meyering"]);
    }
    let no_clobber = args.has('n');
    let verbose = args.has('v');
    let plan = match plan(ctx, "mv", &args.operands, args.last('t'), args.has('T')) {
        Ok(plan) => plan,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for (src, dst) in pairs(plan) {
        if !move_one(ctx, &src, &dst, no_clobber, verbose, &mut out) {
            out.code = 1;
        }
    }
    out
}

fn move_one(
    ctx: &mut FsContext<'_>,
    src: &str,
    dst: &str,
    no_clobber: bool,
    verbose: bool,
    out: &mut Output,
) -> bool {
    let src_path = abs(ctx, src);
    let dst_path = abs(ctx, dst);
    let src_meta = match if src.is_empty() {
        Err(FsError::NotFound)
    } else {
        ctx.fs.lstat(&src_path)
    } {
        Ok(meta) => meta,
        Err(err) => {
            out.stderr
                .push_str(&format!("mv: cannot stat {}: {err}\n", quoteaf(src)));
            return false;
        }
    };
    if let Ok(dst_meta) = ctx.fs.lstat(&dst_path) {
        if dst_meta.ino == src_meta.ino {
            out.stderr.push_str(&format!(
                "mv: {} and {} are the same file\n",
                quoteaf(src),
                quoteaf(dst)
            ));
            return false;
        }
        if no_clobber {
            return true;
        }
        let dst_is_dir = ctx.fs.stat(&dst_path).is_ok_and(|m| m.is_dir()) && !dst_meta.is_symlink();
        if src_meta.is_dir() && !dst_is_dir {
            out.stderr.push_str(&format!(
                "mv: cannot overwrite non-directory {} with directory {}\n",
                quoteaf(dst),
                quoteaf(src)
            ));
            return false;
        }
        if !src_meta.is_dir() && dst_is_dir {
            out.stderr.push_str(&format!(
                "mv: cannot overwrite directory {} with non-directory\n",
                quoteaf(dst)
            ));
            return false;
        }
    }
    match ctx.fs.rename(ctx.now, &src_path, &dst_path) {
        Ok(()) => {
            if verbose {
                out.stdout
                    .push_str(&format!("renamed {} -> {}\n", quoteaf(src), quoteaf(dst)));
            }
            true
        }
        Err(FsError::InvalidArgument) if src_meta.is_dir() => {
            out.stderr.push_str(&format!(
                "mv: cannot move {} to a subdirectory of itself, {}\n",
                quoteaf(src),
                quoteaf(dst)
            ));
            false
        }
        Err(
            err @ (FsError::AlreadyExists | FsError::IsADirectory | FsError::DirectoryNotEmpty),
        ) => {
            out.stderr
                .push_str(&format!("mv: cannot overwrite {}: {err}\n", quoteaf(dst)));
            false
        }
        Err(err) => {
            out.stderr.push_str(&format!(
                "mv: cannot move {} to {}: {err}\n",
                quoteaf(src),
                quoteaf(dst)
            ));
            false
        }
    }
}
