//! `ln`, after coreutils 9.4 `src/ln.c`: symbolic links (`-s`) with `-f -n -v -T -t DIR`.
//! The node's filesystem has no hard links, so `ln` without `-s` fails the way link(2)
//! does on a filesystem without them (EPERM).

use crate::node::fs::FsError;
use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, base_name, getopt, help, join, long, quoteaf, try_help, version, HasArg, Long, Spec, HELP,
    VERSION,
};

const LONGS: &[Long] = &[
    long("symbolic", HasArg::No, 's'),
    long("force", HasArg::No, 'f'),
    long("no-dereference", HasArg::No, 'n'),
    long("verbose", HasArg::No, 'v'),
    long("target-directory", HasArg::Required, 't'),
    long("no-target-directory", HasArg::No, 'T'),
];

const USAGE: &str = "\
Usage: ln [OPTION]... [-T] TARGET LINK_NAME
  or:  ln [OPTION]... TARGET
  or:  ln [OPTION]... TARGET... DIRECTORY
  or:  ln [OPTION]... -t DIRECTORY TARGET...
In the 1st form, create a link to TARGET with the name LINK_NAME.
In the 2nd form, create a link to TARGET in the current directory.
In the 3rd and 4th forms, create links to each TARGET in DIRECTORY.
Create hard links by default, symbolic links with --symbolic.
By default, each destination (name of new link) should not already exist.
When creating hard links, each TARGET must exist.  Symbolic links
can hold arbitrary text; if later resolved, a relative link is
interpreted in relation to its parent directory.

Mandatory arguments to long options are mandatory for short options too.
  -f, --force                 remove existing destination files
  -n, --no-dereference        treat LINK_NAME as a normal file if
                                it is a symbolic link to a directory
  -s, --symbolic              make symbolic links instead of hard links
  -t, --target-directory=DIRECTORY  specify the DIRECTORY in which to create
                                the links
  -T, --no-target-directory   treat LINK_NAME as a normal file always
  -v, --verbose               print name of each linked file
      --help        display this help and exit
      --version     output version information and exit
";

/// Runs `ln`.
pub(super) fn ln(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "sfnvt:T",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("ln", 1),
    };
    if args.has(HELP) {
        return help("ln", USAGE);
    }
    if args.has(VERSION) {
        return version("ln", &["Mike Parker", "David MacKenzie"]);
    }
    let symbolic = args.has('s');
    let force = args.has('f');
    let no_deref = args.has('n');
    let verbose = args.has('v');
    let files = &args.operands;
    if files.is_empty() {
        return Output::err(format!("ln: missing file operand\n{}", try_help("ln")), 1);
    }
    let dir_of = |ctx: &FsContext<'_>, d: &str| -> Result<(), FsError> {
        let path = abs(ctx, d);
        let meta = if no_deref {
            ctx.fs.lstat(&path)?
        } else {
            ctx.fs.stat(&path)?
        };
        if meta.is_dir() {
            Ok(())
        } else {
            Err(FsError::NotADirectory)
        }
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(dir) = args.last('t') {
        if let Err(err) = dir_of(ctx, dir) {
            return Output::err(format!("ln: target {}: {err}\n", quoteaf(dir)), 1);
        }
        for f in files {
            pairs.push((f.clone(), join(dir, base_name(f))));
        }
    } else if args.has('T') {
        if files.len() < 2 {
            return Output::err(
                format!(
                    "ln: missing destination file operand after {}\n{}",
                    quoteaf(&files[0]),
                    try_help("ln")
                ),
                1,
            );
        }
        if files.len() > 2 {
            return Output::err(
                format!(
                    "ln: extra operand {}\n{}",
                    quoteaf(&files[2]),
                    try_help("ln")
                ),
                1,
            );
        }
        pairs.push((files[0].clone(), files[1].clone()));
    } else if files.len() == 1 {
        pairs.push((files[0].clone(), base_name(&files[0]).to_string()));
    } else {
        let last = &files[files.len() - 1];
        match dir_of(ctx, last) {
            Ok(()) => {
                for f in &files[..files.len() - 1] {
                    pairs.push((f.clone(), join(last, base_name(f))));
                }
            }
            Err(_) if files.len() == 2 => pairs.push((files[0].clone(), last.clone())),
            Err(err) => {
                return Output::err(format!("ln: target {}: {err}\n", quoteaf(last)), 1);
            }
        }
    }
    let mut out = Output::default();
    for (target, link) in pairs {
        let link_path = abs(ctx, &link);
        if !symbolic {
            let err = match ctx.fs.stat(&abs(ctx, &target)) {
                Err(err) => {
                    out.stderr.push_str(&format!(
                        "ln: failed to access {}: {err}\n",
                        quoteaf(&target)
                    ));
                    out.code = 1;
                    continue;
                }
                Ok(meta) if meta.is_dir() => {
                    out.stderr.push_str(&format!(
                        "ln: {}: hard link not allowed for directory\n",
                        super::common::quotef(&target)
                    ));
                    out.code = 1;
                    continue;
                }
                Ok(_) => "Operation not permitted",
            };
            out.stderr.push_str(&format!(
                "ln: failed to create hard link {} => {}: {err}\n",
                quoteaf(&link),
                quoteaf(&target)
            ));
            out.code = 1;
            continue;
        }
        if force {
            if let Ok(meta) = ctx.fs.lstat(&link_path) {
                if meta.is_dir() {
                    out.stderr.push_str(&format!(
                        "ln: {}: cannot overwrite directory\n",
                        super::common::quotef(&link)
                    ));
                    out.code = 1;
                    continue;
                }
                let _ = ctx.fs.remove_file(ctx.now, &link_path);
            }
        }
        let result = if target.is_empty() || link.is_empty() {
            Err(FsError::NotFound)
        } else {
            ctx.fs.symlink(ctx.now, &target, &link_path)
        };
        match result {
            Ok(()) => {
                if verbose {
                    out.stdout
                        .push_str(&format!("{} -> {}\n", quoteaf(&link), quoteaf(&target)));
                }
            }
            Err(err) => {
                out.stderr.push_str(&format!(
                    "ln: failed to create symbolic link {}: {err}\n",
                    quoteaf(&link)
                ));
                out.code = 1;
            }
        }
    }
    out
}
