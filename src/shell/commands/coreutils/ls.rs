//! `ls`, after coreutils 9.4 `src/ls.c`, with standard output taken to be a pipe: one name
//! per line and names unquoted, as `ls | cat` prints them.
//!
//! Supported: `-a -A -d -h -i -l -n -r -R -S -t -1`, `--color[=WHEN]` (accepted and ignored,
//! since output is not a terminal). Block counts assume ext4: 4 KiB blocks, and symlinks
//! short enough to live in the inode use none.

use crate::node::fs::{FileKind, Metadata};
use crate::shell::io::{FsContext, Output};
use crate::sim::SimTime;

use super::common::{
    abs, civil, getopt, help, human_size, join, long, month_name, quoteaf, version, HasArg, Long,
    Spec, HELP, VERSION,
};

const LONGS: &[Long] = &[
    long("all", HasArg::No, 'a'),
    long("almost-all", HasArg::No, 'A'),
    long("directory", HasArg::No, 'd'),
    long("human-readable", HasArg::No, 'h'),
    long("inode", HasArg::No, 'i'),
    long("numeric-uid-gid", HasArg::No, 'n'),
    long("reverse", HasArg::No, 'r'),
    long("recursive", HasArg::No, 'R'),
    long("color", HasArg::Optional, 'C'),
    long("colour", HasArg::Optional, 'C'),
];

const SPEC: Spec = Spec {
    short: "aAdhilnrRSt1",
    long: LONGS,
};

const USAGE: &str = "\
Usage: ls [OPTION]... [FILE]...
List information about the FILEs (the current directory by default).
Sort entries alphabetically if none of -cftuvSUX nor --sort is specified.

Mandatory arguments to long options are mandatory for short options too.
  -a, --all                  do not ignore entries starting with .
  -A, --almost-all           do not list implied . and ..
  -d, --directory            list directories themselves, not their contents
  -h, --human-readable       with -l and -s, print sizes like 1K 234M 2G etc.
  -i, --inode                print the index number of each file
  -l                         use a long listing format
  -n, --numeric-uid-gid      like -l, but list numeric user and group IDs
  -r, --reverse              reverse order while sorting
  -R, --recursive            list subdirectories recursively
  -S                         sort by file size, largest first
  -t                         sort by time, newest first; see --time
  -1                         list one file per line
      --help        display this help and exit
      --version     output version information and exit

Exit status:
 0  if OK,
 1  if minor problems (e.g., cannot access subdirectory),
 2  if serious trouble (e.g., cannot access command-line argument).
";

/// Half a Gregorian year in seconds, ls's threshold between the two time formats.
const SIX_MONTHS_MS: i64 = 31_556_952 / 2 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Name,
    Time,
    Size,
}

struct Opts {
    all: bool,
    almost_all: bool,
    directory: bool,
    human: bool,
    inode: bool,
    long: bool,
    numeric: bool,
    reverse: bool,
    recursive: bool,
    sort: SortBy,
}

/// One entry to print: its displayed name, metadata and symlink target.
struct Entry {
    name: String,
    path: String,
    meta: Metadata,
    link: Option<String>,
    /// Whether a command-line operand should be listed as a directory.
    is_dir: bool,
}

/// Runs `ls`.
pub(super) fn ls(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let args = match getopt(argv, &SPEC) {
        Ok(args) => args,
        Err(err) => return err.usage("ls", 2),
    };
    let mut opts = Opts {
        all: false,
        almost_all: false,
        directory: false,
        human: false,
        inode: false,
        long: false,
        numeric: false,
        reverse: false,
        recursive: false,
        sort: SortBy::Name,
    };
    for (id, value) in &args.opts {
        match id {
            'a' => opts.all = true,
            'A' => opts.almost_all = true,
            'd' => opts.directory = true,
            'h' => opts.human = true,
            'i' => opts.inode = true,
            'l' => opts.long = true,
            'n' => {
                opts.long = true;
                opts.numeric = true;
            }
            'r' => opts.reverse = true,
            'R' => opts.recursive = true,
            'S' => opts.sort = SortBy::Size,
            't' => opts.sort = SortBy::Time,
            '1' => {}
            'C' => match value.as_deref() {
                None
                | Some("always" | "yes" | "force" | "never" | "no" | "none")
                | Some("auto" | "tty" | "if-tty") => {}
                Some(other) => {
                    return Output::err(
                        format!(
                            "ls: invalid argument {} for \u{2018}--color\u{2019}\n\
                             Valid arguments are:\n  \
                             - \u{2018}always\u{2019}, \u{2018}yes\u{2019}, \u{2018}force\u{2019}\n  \
                             - \u{2018}never\u{2019}, \u{2018}no\u{2019}, \u{2018}none\u{2019}\n  \
                             - \u{2018}auto\u{2019}, \u{2018}tty\u{2019}, \u{2018}if-tty\u{2019}\n{}",
                            super::common::quote(other),
                            super::common::try_help("ls")
                        ),
                        2,
                    )
                }
            },
            &HELP => return help("ls", USAGE),
            &VERSION => return version("ls", &["Richard M. Stallman", "David MacKenzie"]),
            _ => {}
        }
    }

    let mut out = Output::default();
    let operands = if args.operands.is_empty() {
        vec![".".to_string()]
    } else {
        args.operands.clone()
    };
    let n_operands = args.operands.len();

    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for arg in &operands {
        match operand_entry(ctx, &opts, arg) {
            Ok(entry) if entry.is_dir && !opts.directory => dirs.push(entry),
            Ok(entry) => files.push(entry),
            Err(err) => {
                out.stderr
                    .push_str(&format!("ls: cannot access {}: {err}\n", quoteaf(arg)));
                out.code = 2;
            }
        }
    }
    sort_entries(&mut files, &opts);
    sort_entries(&mut dirs, &opts);

    let print_files = !files.is_empty();
    if print_files {
        print_listing(&mut out.stdout, &files, &opts, ctx.now);
    }
    let show_names = opts.recursive || !(n_operands <= 1 && !print_files && dirs.len() == 1);
    let mut first = !print_files;
    // A stack, as ls.c's pending_dirs: a directory's subdirectories are listed before its
    // later siblings.
    let mut pending: Vec<(String, String)> =
        dirs.into_iter().rev().map(|e| (e.name, e.path)).collect();
    while let Some((name, path)) = pending.pop() {
        if show_names {
            if !first {
                out.stdout.push('\n');
            }
            out.stdout.push_str(&format!("{name}:\n"));
        }
        first = false;
        let entries = match dir_entries(ctx, &opts, &path) {
            Ok(entries) => entries,
            Err(err) => {
                out.stderr.push_str(&format!(
                    "ls: cannot open directory {}: {err}\n",
                    quoteaf(&name)
                ));
                out.code = out.code.max(2);
                continue;
            }
        };
        let mut entries = entries;
        sort_entries(&mut entries, &opts);
        if opts.long {
            let blocks: u64 = entries.iter().map(|e| blocks_512(&e.meta)).sum();
            let total = if opts.human {
                human_size(blocks * 512)
            } else {
                blocks.div_ceil(2).to_string()
            };
            out.stdout.push_str(&format!("total {total}\n"));
        }
        print_listing(&mut out.stdout, &entries, &opts, ctx.now);
        if opts.recursive {
            for entry in entries.iter().rev() {
                if entry.meta.kind == FileKind::Dir && entry.name != "." && entry.name != ".." {
                    pending.push((join(&name, &entry.name), entry.path.clone()));
                }
            }
        }
    }
    out
}

/// Stats a command-line operand: symlinks to directories are followed unless `-l` or `-d`
/// asks about the link itself (ls.c's `DEREF_COMMAND_LINE_SYMLINK_TO_DIR`).
fn operand_entry(
    ctx: &FsContext<'_>,
    opts: &Opts,
    arg: &str,
) -> Result<Entry, crate::node::fs::FsError> {
    if arg.is_empty() {
        return Err(crate::node::fs::FsError::NotFound);
    }
    let path = abs(ctx, arg);
    let lmeta = ctx.fs.lstat(&path)?;
    let mut meta = lmeta;
    if lmeta.is_symlink() && !opts.long && !opts.directory {
        if let Ok(target) = ctx.fs.stat(&path) {
            if target.is_dir() {
                meta = target;
            }
        }
    }
    let link = if meta.is_symlink() {
        ctx.fs.read_link(&path).ok()
    } else {
        None
    };
    Ok(Entry {
        name: arg.to_string(),
        path,
        meta,
        link,
        is_dir: meta.is_dir(),
    })
}

fn dir_entries(
    ctx: &FsContext<'_>,
    opts: &Opts,
    path: &str,
) -> Result<Vec<Entry>, crate::node::fs::FsError> {
    let mut out = Vec::new();
    if opts.all {
        for (name, target) in [(".", path.to_string()), ("..", join(path, ".."))] {
            let target = crate::node::fs::normalize("/", &target);
            if let Ok(meta) = ctx.fs.stat(&target) {
                out.push(Entry {
                    name: name.to_string(),
                    path: target,
                    meta,
                    link: None,
                    is_dir: true,
                });
            }
        }
    }
    for entry in ctx.fs.read_dir(path)? {
        if entry.name.starts_with('.') && !opts.all && !opts.almost_all {
            continue;
        }
        let child = join(path, &entry.name);
        let Ok(meta) = ctx.fs.lstat(&child) else {
            continue;
        };
        let link = if meta.is_symlink() {
            ctx.fs.read_link(&child).ok()
        } else {
            None
        };
        out.push(Entry {
            name: entry.name,
            path: child,
            meta,
            link,
            is_dir: meta.is_dir(),
        });
    }
    Ok(out)
}

/// Orders entries as ls.c's comparators do: the key, then the name in the C locale, the
/// whole comparison reversed by `-r`.
fn sort_entries(entries: &mut [Entry], opts: &Opts) {
    crate::sort::sort_by(entries, |a, b| {
        let key = match opts.sort {
            SortBy::Name => std::cmp::Ordering::Equal,
            SortBy::Time => b.meta.mtime.cmp(&a.meta.mtime),
            SortBy::Size => b.meta.size.cmp(&a.meta.size),
        };
        let ord = key.then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()));
        if opts.reverse {
            ord.reverse()
        } else {
            ord
        }
    });
}

/// 512-byte blocks an ext4 file of this kind and size occupies.
fn blocks_512(meta: &Metadata) -> u64 {
    match meta.kind {
        FileKind::Symlink if meta.size < 60 => 0,
        _ => meta.size.div_ceil(4096) * 8,
    }
}

fn print_listing(out: &mut String, entries: &[Entry], opts: &Opts, now: SimTime) {
    let inode_width = entries
        .iter()
        .map(|e| e.meta.ino.to_string().len())
        .max()
        .unwrap_or(0);
    if !opts.long {
        for entry in entries {
            if opts.inode {
                out.push_str(&format!("{:>inode_width$} ", entry.meta.ino));
            }
            out.push_str(&entry.name);
            out.push('\n');
        }
        return;
    }
    let size_text = |e: &Entry| {
        if opts.human {
            human_size(e.meta.size)
        } else {
            e.meta.size.to_string()
        }
    };
    let owner = if opts.numeric { "0" } else { "root" };
    let nlink_width = entries
        .iter()
        .map(|e| e.meta.nlink.to_string().len())
        .max()
        .unwrap_or(0);
    let size_width = entries
        .iter()
        .map(|e| size_text(e).len())
        .max()
        .unwrap_or(0);
    for entry in entries {
        if opts.inode {
            out.push_str(&format!("{:>inode_width$} ", entry.meta.ino));
        }
        out.push_str(&format!(
            "{} {:>nlink_width$} {owner} {owner} {:>size_width$} {} {}",
            mode_string(&entry.meta),
            entry.meta.nlink,
            size_text(entry),
            long_time(entry.meta.mtime, now),
            entry.name
        ));
        if let Some(target) = &entry.link {
            out.push_str(" -> ");
            out.push_str(target);
        }
        out.push('\n');
    }
}

/// gnulib `filemodestring` without the ACL column: `drwxr-xr-x`, with `s`/`S`/`t`/`T`.
pub(super) fn mode_string(meta: &Metadata) -> String {
    let mut s = String::with_capacity(10);
    s.push(match meta.kind {
        FileKind::Dir => 'd',
        FileKind::Symlink => 'l',
        FileKind::File => '-',
    });
    let mode = meta.mode;
    let triad = |r: u32, w: u32, x: u32, special: u32, lower: char, upper: char| {
        let mut t = String::new();
        t.push(if mode & r != 0 { 'r' } else { '-' });
        t.push(if mode & w != 0 { 'w' } else { '-' });
        t.push(match (mode & x != 0, mode & special != 0) {
            (true, true) => lower,
            (false, true) => upper,
            (true, false) => 'x',
            (false, false) => '-',
        });
        t
    };
    s.push_str(&triad(0o400, 0o200, 0o100, 0o4000, 's', 'S'));
    s.push_str(&triad(0o040, 0o020, 0o010, 0o2000, 's', 'S'));
    s.push_str(&triad(0o004, 0o002, 0o001, 0o1000, 't', 'T'));
    s
}

/// `%b %e %H:%M` for times in the last six months, `%b %e  %Y` otherwise. ls.c calls a
/// time equal to "now" future (its clock has moved on by then); here the virtual clock
/// stands still during a command, so "now" itself counts as recent.
fn long_time(t: SimTime, now: SimTime) -> String {
    let c = civil(t);
    let when = t.wall_millis();
    let current = now.wall_millis();
    let recent = current - SIX_MONTHS_MS < when && when <= current;
    if recent {
        format!(
            "{} {:>2} {:02}:{:02}",
            month_name(c.month),
            c.day,
            c.hour,
            c.minute
        )
    } else {
        format!("{} {:>2}  {}", month_name(c.month), c.day, c.year)
    }
}
