//! `wc`, after coreutils 9.4 `src/wc.c`: `-l -w -c -m -L`, a `total` line for several
//! files, and wc's column width rule (`compute_number_width`): wide enough for the summed
//! size of the regular files, at least 7 when any input is not a regular file (standard
//! input is taken to be a pipe), and 1 when only one number of one input is printed.

use crate::shell::io::{FsContext, Output};

use super::common::{abs, getopt, help, long, quotef, version, HasArg, Long, Spec, HELP, VERSION};

const LONGS: &[Long] = &[
    long("bytes", HasArg::No, 'c'),
    long("chars", HasArg::No, 'm'),
    long("lines", HasArg::No, 'l'),
    long("words", HasArg::No, 'w'),
    long("max-line-length", HasArg::No, 'L'),
];

const SPEC: Spec = Spec {
    short: "clLmw",
    long: LONGS,
};

const USAGE: &str = "\
Usage: wc [OPTION]... [FILE]...
  or:  wc [OPTION]... --files0-from=F
Print newline, word, and byte counts for each FILE, and a total line if
more than one FILE is specified.  A word is a nonempty sequence of non white
space delimited by white space characters or by start or end of input.

With no FILE, or when FILE is -, read standard input.

The options below may be used to select which counts are printed, always in
the following order: newline, word, character, byte, maximum line length.
  -c, --bytes            print the byte counts
  -m, --chars            print the character counts
  -l, --lines            print the newline counts
  -L, --max-line-length  print the maximum display width
  -w, --words            print the word counts
      --help        display this help and exit
      --version     output version information and exit
";

#[derive(Default, Clone, Copy)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
    max_len: u64,
}

struct Show {
    lines: bool,
    words: bool,
    chars: bool,
    bytes: bool,
    max_len: bool,
}

/// What `stat` said about an input before counting, for the width rule.
enum Status {
    Regular(u64),
    Other,
    Failed,
}

/// Runs `wc`.
pub(super) fn wc(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let args = match getopt(argv, &SPEC) {
        Ok(args) => args,
        Err(err) => return err.usage("wc", 1),
    };
    if args.has(HELP) {
        return help("wc", USAGE);
    }
    if args.has(VERSION) {
        return version("wc", &["Paul Rubin", "David MacKenzie"]);
    }
    let mut show = Show {
        lines: args.has('l'),
        words: args.has('w'),
        chars: args.has('m'),
        bytes: args.has('c'),
        max_len: args.has('L'),
    };
    if !(show.lines || show.words || show.chars || show.bytes || show.max_len) {
        show.lines = true;
        show.words = true;
        show.bytes = true;
    }
    let n_shown = [show.lines, show.words, show.chars, show.bytes, show.max_len]
        .iter()
        .filter(|&&b| b)
        .count();
    let named = !args.operands.is_empty();
    let operands = if named {
        args.operands.clone()
    } else {
        vec!["-".to_string()]
    };

    let statuses: Vec<Status> = operands
        .iter()
        .map(|arg| {
            if arg == "-" {
                return Status::Other;
            }
            match ctx.fs.stat(&abs(ctx, arg)) {
                Ok(meta) if meta.is_file() => Status::Regular(meta.size),
                Ok(_) => Status::Other,
                Err(_) => Status::Failed,
            }
        })
        .collect();
    let width = if operands.len() == 1 && n_shown == 1 {
        1
    } else {
        number_width(&statuses)
    };

    let mut out = Output::default();
    let mut total = Counts::default();
    for arg in &operands {
        let text = if arg == "-" {
            Ok(stdin.as_bytes().to_vec())
        } else if arg.is_empty() {
            out.stderr.push_str("wc: invalid zero-length file name\n");
            out.code = 1;
            continue;
        } else {
            let path = abs(ctx, arg);
            match ctx.fs.stat(&path) {
                Ok(meta) if meta.is_dir() => Err(crate::node::fs::FsError::IsADirectory),
                Ok(_) => ctx.fs.read(&path),
                Err(err) => {
                    out.stderr
                        .push_str(&format!("wc: {}: {err}\n", quotef(arg)));
                    out.code = 1;
                    continue;
                }
            }
        };
        let counts = match text {
            Ok(data) => count(&data),
            Err(err) => {
                // A read error still prints the (zero) counts, as wc.c does.
                out.stderr
                    .push_str(&format!("wc: {}: {err}\n", quotef(arg)));
                out.code = 1;
                Counts::default()
            }
        };
        total.lines += counts.lines;
        total.words += counts.words;
        total.chars += counts.chars;
        total.bytes += counts.bytes;
        total.max_len = total.max_len.max(counts.max_len);
        let name = named.then_some(arg.as_str());
        write_counts(&mut out.stdout, &counts, &show, width, name);
    }
    if operands.len() > 1 {
        write_counts(&mut out.stdout, &total, &show, width, Some("total"));
    }
    out
}

fn number_width(statuses: &[Status]) -> usize {
    if matches!(statuses.first(), None | Some(Status::Failed)) {
        return 1;
    }
    let mut minimum = 1;
    let mut regular_total: u64 = 0;
    for status in statuses {
        match status {
            Status::Regular(size) => regular_total = regular_total.saturating_add(*size),
            Status::Other => minimum = 7,
            Status::Failed => {}
        }
    }
    regular_total.to_string().len().max(minimum)
}

fn write_counts(out: &mut String, c: &Counts, show: &Show, width: usize, name: Option<&str>) {
    let mut fields = Vec::new();
    if show.lines {
        fields.push(c.lines);
    }
    if show.words {
        fields.push(c.words);
    }
    if show.chars {
        fields.push(c.chars);
    }
    if show.bytes {
        fields.push(c.bytes);
    }
    if show.max_len {
        fields.push(c.max_len);
    }
    let cols: Vec<String> = fields.iter().map(|n| format!("{n:>width$}")).collect();
    out.push_str(&cols.join(" "));
    if let Some(name) = name {
        out.push(' ');
        if name.contains('\n') {
            out.push_str(&quotef(name));
        } else {
            out.push_str(name);
        }
    }
    out.push('\n');
}

fn count(data: &[u8]) -> Counts {
    let text = String::from_utf8_lossy(data);
    let mut counts = Counts {
        bytes: data.len() as u64,
        ..Counts::default()
    };
    let mut in_word = false;
    let mut line_len: u64 = 0;
    for c in text.chars() {
        counts.chars += 1;
        match c {
            '\n' => {
                counts.lines += 1;
                counts.max_len = counts.max_len.max(line_len);
                line_len = 0;
            }
            // A tab advances to the next multiple of 8, as -L measures display width.
            '\t' => line_len = (line_len / 8 + 1) * 8,
            c if c.is_control() => {}
            _ => line_len += 1,
        }
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            counts.words += 1;
        }
    }
    counts.max_len = counts.max_len.max(line_len);
    counts
}
