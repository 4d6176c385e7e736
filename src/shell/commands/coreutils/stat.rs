//! `stat`, after coreutils 9.4 `src/stat.c`: the default multi-line format, `-L`, and
//! `-c FORMAT` with the common directives (`%n %N %s %b %B %o %a %A %f %F %h %i %u %U %g
//! %G %x %X %y %Y %z %Z %w %W %d %D %%`).
//!
//! The filesystem keeps one time per file for content and one for metadata, so the access
//! time shows the modification time, and the birth time is unknown (`-`). The device is
//! `8,1`, as for a first SCSI disk's first partition.

use crate::node::fs::{FileKind, Metadata};
use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, full_time, getopt, help, long, quoteaf, quotef, try_help, version, HasArg, Long, Spec,
    HELP, VERSION,
};
use super::ls::mode_string;

const LONGS: &[Long] = &[
    long("dereference", HasArg::No, 'L'),
    long("format", HasArg::Required, 'c'),
    long("terse", HasArg::No, 't'),
];

const USAGE: &str = "\
Usage: stat [OPTION]... FILE...
Display file or file system status.

Mandatory arguments to long options are mandatory for short options too.
  -L, --dereference     follow links
  -c  --format=FORMAT   use the specified FORMAT instead of the default;
                          output a newline after each use of FORMAT
  -t, --terse           print the information in terse form
      --help        display this help and exit
      --version     output version information and exit
";

/// Runs `stat`.
pub(super) fn stat(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let spec = Spec {
        short: "Lc:t",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("stat", 1),
    };
    if args.has(HELP) {
        return help("stat", USAGE);
    }
    if args.has(VERSION) {
        return version("stat", &["Michael Meskes"]);
    }
    if args.operands.is_empty() {
        return Output::err(format!("stat: missing operand\n{}", try_help("stat")), 1);
    }
    let deref = args.has('L');
    let mut out = Output::default();
    for arg in &args.operands {
        let path = abs(ctx, arg);
        let meta = if arg.is_empty() {
            Err(crate::node::fs::FsError::NotFound)
        } else if deref {
            ctx.fs.stat(&path)
        } else {
            ctx.fs.lstat(&path)
        };
        let meta = match meta {
            Ok(meta) => meta,
            Err(err) => {
                out.stderr
                    .push_str(&format!("stat: cannot statx {}: {err}\n", quoteaf(arg)));
                out.code = 1;
                continue;
            }
        };
        let link = if meta.is_symlink() {
            ctx.fs.read_link(&path).ok()
        } else {
            None
        };
        let info = Info {
            name: arg,
            meta: &meta,
            link: link.as_deref(),
        };
        if let Some(format) = args.last('c') {
            out.stdout.push_str(&render(format, &info));
            out.stdout.push('\n');
        } else if args.has('t') {
            out.stdout.push_str(&render(
                "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o",
                &info,
            ));
            out.stdout.push('\n');
        } else {
            out.stdout.push_str(&render(
                "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
                 Device: %Hd,%Ld\tInode: %-10i  Links: %h\n\
                 Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
                 Access: %x\nModify: %y\nChange: %z\n Birth: %w",
                &info,
            ));
            out.stdout.push('\n');
        }
    }
    out
}

struct Info<'a> {
    name: &'a str,
    meta: &'a Metadata,
    link: Option<&'a str>,
}

fn file_type(meta: &Metadata) -> &'static str {
    match meta.kind {
        FileKind::Dir => "directory",
        FileKind::Symlink => "symbolic link",
        FileKind::File if meta.size == 0 => "regular empty file",
        FileKind::File => "regular file",
    }
}

fn blocks(meta: &Metadata) -> u64 {
    match meta.kind {
        FileKind::Symlink if meta.size < 60 => 0,
        _ => meta.size.div_ceil(4096) * 8,
    }
}

/// Expands stat's `%` directives, each with an optional printf-style flag, width and
/// precision (`%-10s`, `%04a`, `%10.10A`), and the `%H`/`%L` device prefixes.
fn render(format: &str, info: &Info<'_>) -> String {
    let meta = info.meta;
    let raw_mode = meta.mode
        | match meta.kind {
            FileKind::Dir => 0o040000,
            FileKind::Symlink => 0o120000,
            FileKind::File => 0o100000,
        };
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while i < chars.len() && "-+ #0123456789.".contains(chars[i]) {
            spec.push(chars[i]);
            i += 1;
        }
        let mut prefix = None;
        if i < chars.len() && (chars[i] == 'H' || chars[i] == 'L') {
            prefix = Some(chars[i]);
            i += 1;
        }
        let Some(&directive) = chars.get(i) else {
            out.push('%');
            out.push_str(&spec);
            break;
        };
        i += 1;
        let (text, numeric) = match (prefix, directive) {
            (Some('H'), 'd' | 'r') => ("8".to_string(), true),
            (Some('L'), 'd' | 'r') => ("1".to_string(), true),
            (Some(_), other) => (format!("?{other}"), false),
            (None, '%') => ("%".to_string(), false),
            (None, 'n') => (info.name.to_string(), false),
            (None, 'N') => {
                let mut s = quotef(info.name);
                if let Some(target) = info.link {
                    s.push_str(" -> ");
                    s.push_str(&quotef(target));
                }
                (s, false)
            }
            (None, 's') => (meta.size.to_string(), true),
            (None, 'b') => (blocks(meta).to_string(), true),
            (None, 'B') => ("512".to_string(), true),
            (None, 'o') => ("4096".to_string(), true),
            (None, 'a') => (format!("{:o}", meta.mode & 0o7777), true),
            (None, 'A') => (mode_string(meta), false),
            (None, 'f') => (format!("{raw_mode:x}"), false),
            (None, 'F') => (file_type(meta).to_string(), false),
            (None, 'h') => (meta.nlink.to_string(), true),
            (None, 'i') => (meta.ino.to_string(), true),
            (None, 'u' | 'g') => ("0".to_string(), true),
            (None, 'U' | 'G') => ("root".to_string(), false),
            (None, 'd') => ("2049".to_string(), true),
            (None, 'D') => ("801".to_string(), false),
            (None, 't' | 'T') => ("0".to_string(), false),
            (None, 'x' | 'y') => (full_time(meta.mtime), false),
            (None, 'z') => (full_time(meta.ctime), false),
            (None, 'w') => ("-".to_string(), false),
            (None, 'X' | 'Y') => ((meta.mtime.wall_millis() / 1000).to_string(), true),
            (None, 'Z') => ((meta.ctime.wall_millis() / 1000).to_string(), true),
            (None, 'W') => ("0".to_string(), true),
            (None, other) => (format!("?{other}"), false),
        };
        out.push_str(&pad(&text, &spec, numeric));
    }
    out
}

/// Applies a printf-style `[-][0]WIDTH[.PRECISION]` spec to a rendered field.
fn pad(text: &str, spec: &str, numeric: bool) -> String {
    let left = spec.contains('-');
    let body = spec.trim_start_matches(['-', '+', ' ', '#']);
    let zero = body.starts_with('0') && numeric && !left;
    let (width, precision) = match body.split_once('.') {
        Some((w, p)) => (w, Some(p)),
        None => (body, None),
    };
    let width: usize = width.parse().unwrap_or(0).min(4096);
    let mut text = text.to_string();
    if let Some(p) = precision {
        let p: usize = p.parse().unwrap_or(0);
        if !numeric {
            text = text.chars().take(p).collect();
        }
    }
    let len = text.chars().count();
    if len >= width {
        return text;
    }
    let fill = width - len;
    if left {
        format!("{text}{}", " ".repeat(fill))
    } else if zero {
        format!("{}{text}", "0".repeat(fill))
    } else {
        format!("{}{text}", " ".repeat(fill))
    }
}
