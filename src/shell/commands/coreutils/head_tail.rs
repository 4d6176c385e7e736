//! `head` and `tail`, after coreutils 9.4 `src/head.c` and `src/tail.c`: `-n N`, `-c N`,
//! `head -n -N` (all but the last N), `tail -n +N` (from line N), the obsolete `-N` / `+N`
//! forms, `-q`, `-v`, and `==> NAME <==` headers for several files.
//!
//! `tail -f`/`-F` are accepted but do not follow: a command here runs to completion, so
//! they print what plain `tail` prints.

use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, getopt, help, long, quote, quoteaf, version, HasArg, Long, Spec, HELP, VERSION,
};

const HEAD_LONGS: &[Long] = &[
    long("bytes", HasArg::Required, 'c'),
    long("lines", HasArg::Required, 'n'),
    long("quiet", HasArg::No, 'q'),
    long("silent", HasArg::No, 'q'),
    long("verbose", HasArg::No, 'v'),
];

const TAIL_LONGS: &[Long] = &[
    long("bytes", HasArg::Required, 'c'),
    long("lines", HasArg::Required, 'n'),
    long("quiet", HasArg::No, 'q'),
    long("silent", HasArg::No, 'q'),
    long("verbose", HasArg::No, 'v'),
    long("follow", HasArg::Optional, 'f'),
    long("retry", HasArg::No, 'R'),
];

const HEAD_USAGE: &str = "\
Usage: head [OPTION]... [FILE]...
Print the first 10 lines of each FILE to standard output.
With more than one FILE, precede each with a header giving the file name.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -c, --bytes=[-]NUM       print the first NUM bytes of each file;
                             with the leading '-', print all but the last
                             NUM bytes of each file
  -n, --lines=[-]NUM       print the first NUM lines instead of the first 10;
                             with the leading '-', print all but the last
                             NUM lines of each file
  -q, --quiet, --silent    never print headers giving file names
  -v, --verbose            always print headers giving file names
      --help        display this help and exit
      --version     output version information and exit

NUM may have a multiplier suffix:
b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,
GB 1000*1000*1000, G 1024*1024*1024, and so on for T, P, E, Z, Y, R, Q.
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.
";

const TAIL_USAGE: &str = "\
Usage: tail [OPTION]... [FILE]...
Print the last 10 lines of each FILE to standard output.
With more than one FILE, precede each with a header giving the file name.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -c, --bytes=[+]NUM       output the last NUM bytes; or use -c +NUM to
                             output starting with byte NUM of each file
  -f, --follow[={name|descriptor}]
                           output appended data as the file grows;
                             an absent option argument means 'descriptor'
  -F                       same as --follow=name --retry
  -n, --lines=[+]NUM       output the last NUM lines, instead of the last 10;
                             or use -n +NUM to skip NUM-1 lines at the start
  -q, --quiet, --silent    never output headers giving file names
  -v, --verbose            always output headers giving file names
      --help        display this help and exit
      --version     output version information and exit

NUM may have a multiplier suffix:
b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,
GB 1000*1000*1000, G 1024*1024*1024, and so on for T, P, E, Z, Y, R, Q.
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.
";

/// How many units to take and from where.
#[derive(Debug, Clone, Copy)]
struct Count {
    lines: bool,
    n: u64,
    /// `head -n -N` elides the end; `tail -n +N` starts from the front.
    signed: bool,
}

/// Runs `head`.
pub(super) fn head(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    run(ctx, argv, stdin, true)
}

/// Runs `tail`.
pub(super) fn tail(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    run(ctx, argv, stdin, false)
}

fn run(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str, is_head: bool) -> Output {
    let prog = if is_head { "head" } else { "tail" };
    let mut count = Count {
        lines: true,
        n: 10,
        signed: false,
    };
    let mut argv: Vec<String> = argv.to_vec();
    if let Some(result) = obsolete(&argv, is_head) {
        match result {
            Ok(c) => count = c,
            Err(out) => return out,
        }
        argv.remove(1);
    }
    let spec = if is_head {
        Spec {
            short: "c:n:qvz",
            long: HEAD_LONGS,
        }
    } else {
        Spec {
            short: "c:n:qvzfFs:",
            long: TAIL_LONGS,
        }
    };
    let args = match getopt(&argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage(prog, 1),
    };
    let mut headers: Option<bool> = None;
    for (id, value) in &args.opts {
        match id {
            'c' | 'n' => {
                let raw = value.as_deref().unwrap_or("");
                let lines = *id == 'n';
                let (signed, digits) = match raw.strip_prefix(if is_head { '-' } else { '+' }) {
                    Some(rest) => (true, rest),
                    None if !is_head => (false, raw.strip_prefix('-').unwrap_or(raw)),
                    None => (false, raw),
                };
                let Some(n) = parse_size(digits) else {
                    let what = if lines { "lines" } else { "bytes" };
                    return Output::err(
                        format!("{prog}: invalid number of {what}: {}\n", quote(raw)),
                        1,
                    );
                };
                count = Count { lines, n, signed };
            }
            'q' => headers = Some(false),
            'v' => headers = Some(true),
            &HELP => return help(prog, if is_head { HEAD_USAGE } else { TAIL_USAGE }),
            &VERSION if is_head => {
                return version("head", &["David MacKenzie", "Jim Meyering"]);
            }
            &VERSION => {
                return version(
                    "tail",
                    &[
                        "Paul Rubin",
                        "David MacKenzie",
                        "Ian Lance Taylor",
                        "Jim Meyering",
                    ],
                );
            }
            _ => {}
        }
    }
    let operands = if args.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        args.operands
    };
    let show_headers = headers.unwrap_or(operands.len() > 1);
    let mut out = Output::default();
    let mut first = true;
    for arg in &operands {
        let data: Vec<u8> = if arg == "-" {
            stdin.as_bytes().to_vec()
        } else {
            let path = abs(ctx, arg);
            match ctx.fs.stat(&path) {
                Ok(meta) if meta.is_dir() => {
                    // open(2) succeeds on a directory; the first read(2) fails.
                    print_header(&mut out.stdout, arg, show_headers, &mut first);
                    out.stderr.push_str(&format!(
                        "{prog}: error reading {}: Is a directory\n",
                        quoteaf(arg)
                    ));
                    out.code = 1;
                    continue;
                }
                Ok(_) => ctx.fs.read(&path).unwrap_or_default(),
                Err(err) => {
                    out.stderr.push_str(&format!(
                        "{prog}: cannot open {} for reading: {err}\n",
                        quoteaf(arg)
                    ));
                    out.code = 1;
                    continue;
                }
            }
        };
        print_header(&mut out.stdout, arg, show_headers, &mut first);
        let slice = if is_head {
            head_slice(&data, count)
        } else {
            tail_slice(&data, count)
        };
        out.stdout.push_str(&String::from_utf8_lossy(slice));
    }
    out
}

fn print_header(out: &mut String, arg: &str, show: bool, first: &mut bool) {
    if !show {
        return;
    }
    let name = if arg == "-" { "standard input" } else { arg };
    if !*first {
        out.push('\n');
    }
    *first = false;
    out.push_str(&format!("==> {name} <==\n"));
}

/// The obsolete `head -5`, `head -5c`, `tail -5`, `tail +5`, `tail -5c` forms, only as the
/// first argument.
fn obsolete(argv: &[String], is_head: bool) -> Option<Result<Count, Output>> {
    let first = argv.get(1)?;
    let (sign, rest) = first.split_at_checked(1)?;
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    match (sign, is_head) {
        ("-", _) => {}
        ("+", false) => {}
        _ => return None,
    }
    if !is_head {
        // tail.c takes the obsolete form only with at most one file operand.
        let ok = argv.len() == 2
            || (argv.len() == 3 && !(argv[2].starts_with('-') && argv[2].len() > 1));
        if !ok {
            return None;
        }
    }
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let suffix = &rest[digits.len()..];
    let mut lines = true;
    let mut n: u64 = digits.parse().unwrap_or(u64::MAX);
    for c in suffix.chars() {
        match c {
            'c' => lines = false,
            'b' => {
                lines = false;
                n = n.saturating_mul(512);
            }
            'k' => {
                lines = false;
                n = n.saturating_mul(1024);
            }
            'm' => {
                lines = false;
                n = n.saturating_mul(1024 * 1024);
            }
            'l' => lines = true,
            'q' | 'v' | 'z' if is_head => {}
            'f' if !is_head => {}
            _ => {
                let prog = if is_head { "head" } else { "tail" };
                return Some(Err(Output::err(
                    format!(
                        "{prog}: invalid trailing option -- {c}\n{}",
                        super::common::try_help(prog)
                    ),
                    1,
                )));
            }
        }
    }
    Some(Ok(Count {
        lines,
        n,
        signed: sign == "+",
    }))
}

/// A count with gnulib `xstrtoumax`'s multiplier suffixes (`b`, `K`, `KB`, `KiB`, ...).
fn parse_size(s: &str) -> Option<u64> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let n: u64 = digits.parse().unwrap_or(u64::MAX);
    let suffix = &s[digits.len()..];
    if suffix.is_empty() {
        return Some(n);
    }
    let (unit, rest) = suffix.split_at(1);
    let power = match unit {
        "b" if rest.is_empty() => return Some(n.saturating_mul(512)),
        "k" | "K" => 1,
        "m" | "M" => 2,
        "G" => 3,
        "T" => 4,
        "P" => 5,
        "E" => 6,
        _ => return None,
    };
    let base: u64 = match rest {
        "" | "iB" => 1024,
        "B" => 1000,
        _ => return None,
    };
    Some(n.saturating_mul(base.saturating_pow(power)))
}

fn head_slice(data: &[u8], count: Count) -> &[u8] {
    let n = usize::try_from(count.n).unwrap_or(usize::MAX);
    if !count.lines {
        return if count.signed {
            &data[..data.len().saturating_sub(n)]
        } else {
            &data[..n.min(data.len())]
        };
    }
    let ends: Vec<usize> = line_ends(data);
    if count.signed {
        let keep = ends.len().saturating_sub(n);
        return match keep {
            0 => &data[..0],
            k => &data[..ends[k - 1]],
        };
    }
    match ends.get(n.wrapping_sub(1)) {
        Some(&end) if n > 0 => &data[..end],
        _ if n == 0 => &data[..0],
        _ => data,
    }
}

fn tail_slice(data: &[u8], count: Count) -> &[u8] {
    let n = usize::try_from(count.n).unwrap_or(usize::MAX);
    if !count.lines {
        return if count.signed {
            &data[n.saturating_sub(1).min(data.len())..]
        } else {
            &data[data.len().saturating_sub(n)..]
        };
    }
    let ends = line_ends(data);
    if count.signed {
        // `+N` starts at line N; `+0` and `+1` both mean everything.
        let skip = n.saturating_sub(1);
        return match skip {
            0 => data,
            s if s >= ends.len() => &data[data.len()..],
            s => &data[ends[s - 1]..],
        };
    }
    if n == 0 {
        return &data[data.len()..];
    }
    if n >= ends.len() {
        return data;
    }
    &data[ends[ends.len() - n - 1]..]
}

/// The byte offset just past each line, the last line counted even without a newline.
fn line_ends(data: &[u8]) -> Vec<usize> {
    let mut ends: Vec<usize> = data
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    if !data.is_empty() && !data.ends_with(b"\n") {
        ends.push(data.len());
    }
    ends
}
