//! `cat`, after coreutils 9.4 `src/cat.c`: `-n -b -s -E -T -v -A -e -t`, `-` for standard
//! input, standard input when there are no operands.

use crate::shell::io::{FsContext, Output};

use super::common::{
    getopt, help, long, quotef, read_input, version, HasArg, Long, Spec, HELP, VERSION,
};

const LONGS: &[Long] = &[
    long("number-nonblank", HasArg::No, 'b'),
    long("number", HasArg::No, 'n'),
    long("squeeze-blank", HasArg::No, 's'),
    long("show-nonprinting", HasArg::No, 'v'),
    long("show-ends", HasArg::No, 'E'),
    long("show-tabs", HasArg::No, 'T'),
    long("show-all", HasArg::No, 'A'),
];

const SPEC: Spec = Spec {
    short: "benstuvAET",
    long: LONGS,
};

const USAGE: &str = "\
Usage: cat [OPTION]... [FILE]...
Concatenate FILE(s) to standard output.

With no FILE, or when FILE is -, read standard input.

  -A, --show-all           equivalent to -vET
  -b, --number-nonblank    number nonempty output lines, overrides -n
  -e                       equivalent to -vE
  -E, --show-ends          display $ at end of each line
  -n, --number             number all output lines
  -s, --squeeze-blank      suppress repeated empty output lines
  -t                       equivalent to -vT
  -T, --show-tabs          display TAB characters as ^I
  -u                       (ignored)
  -v, --show-nonprinting   use ^ and M- notation, except for LFD and TAB
      --help        display this help and exit
      --version     output version information and exit

Examples:
  cat f - g  Output f's contents, then standard input, then g's contents.
  cat        Copy standard input to standard output.
";

#[derive(Default)]
struct Opts {
    number: bool,
    nonblank: bool,
    squeeze: bool,
    ends: bool,
    tabs: bool,
    nonprinting: bool,
}

/// Runs `cat`.
pub(super) fn cat(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let args = match getopt(argv, &SPEC) {
        Ok(args) => args,
        Err(err) => return err.usage("cat", 1),
    };
    let mut opts = Opts::default();
    for (id, _) in &args.opts {
        match id {
            'b' => opts.nonblank = true,
            'n' => opts.number = true,
            's' => opts.squeeze = true,
            'v' => opts.nonprinting = true,
            'E' => opts.ends = true,
            'T' => opts.tabs = true,
            'A' => {
                opts.nonprinting = true;
                opts.ends = true;
                opts.tabs = true;
            }
            'e' => {
                opts.nonprinting = true;
                opts.ends = true;
            }
            't' => {
                opts.nonprinting = true;
                opts.tabs = true;
            }
            &HELP => return help("cat", USAGE),
            &VERSION => {
                return version("cat", &["Torbjorn Granlund", "Richard M. Stallman"]);
            }
            _ => {}
        }
    }
    let operands = if args.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        args.operands
    };
    let plain = !(opts.number
        || opts.nonblank
        || opts.squeeze
        || opts.ends
        || opts.tabs
        || opts.nonprinting);
    let mut out = Output::default();
    let mut state = State::default();
    for arg in &operands {
        match read_input(ctx, arg, stdin) {
            Ok(text) if plain => out.stdout.push_str(&text),
            Ok(text) => render(&mut out.stdout, &text, &opts, &mut state),
            Err(err) => {
                out.stderr
                    .push_str(&format!("cat: {}: {err}\n", quotef(arg)));
                out.code = 1;
            }
        }
    }
    out
}

/// What carries over from one file to the next: cat numbers and squeezes across files.
#[derive(Default)]
struct State {
    line_no: u64,
    blank_run: u32,
    /// Whether the previous file ended in the middle of a line.
    mid_line: bool,
}

fn render(out: &mut String, text: &str, opts: &Opts, state: &mut State) {
    let mut rest = text;
    while !rest.is_empty() {
        let (line, newline) = match rest.find('\n') {
            Some(pos) => (&rest[..pos], true),
            None => (rest, false),
        };
        rest = if newline { &rest[line.len() + 1..] } else { "" };
        let starts_line = !state.mid_line;
        if starts_line && line.is_empty() && newline {
            state.blank_run += 1;
            if opts.squeeze && state.blank_run > 1 {
                continue;
            }
        } else if starts_line {
            state.blank_run = 0;
        }
        if starts_line {
            let blank = line.is_empty() && newline;
            if (opts.nonblank && !blank) || (opts.number && !opts.nonblank) {
                state.line_no += 1;
                out.push_str(&format!("{:>6}\t", state.line_no));
            }
        }
        for c in line.chars() {
            push_visible(out, c, opts);
        }
        if newline {
            if opts.ends {
                out.push('$');
            }
            out.push('\n');
        }
        state.mid_line = !newline;
    }
}

/// `-v` and `-T` notation: `^I`, `^[`, `^?`, `M-` for the high half.
fn push_visible(out: &mut String, c: char, opts: &Opts) {
    if c == '\t' {
        if opts.tabs {
            out.push_str("^I");
        } else {
            out.push('\t');
        }
        return;
    }
    if !opts.nonprinting {
        out.push(c);
        return;
    }
    let code = c as u32;
    match code {
        0..=31 => {
            out.push('^');
            out.push(char::from_u32(code + 64).unwrap_or('?'));
        }
        127 => out.push_str("^?"),
        // Text here is Unicode; cat -v would show each UTF-8 byte in M- notation.
        128.. if !c.is_ascii() => {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                out.push_str("M-");
                let low = b & 0x7f;
                match low {
                    0..=31 => {
                        out.push('^');
                        out.push((low + 64) as char);
                    }
                    127 => out.push_str("^?"),
                    _ => out.push(low as char),
                }
            }
        }
        _ => out.push(c),
    }
}
