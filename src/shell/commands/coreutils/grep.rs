//! `grep`, after GNU grep 3.11 `src/grep.c`: basic (default), extended (`-E`), fixed
//! (`-F`) and Perl-ish (`-P`, handed to `regex_lite` as is) patterns; `-i -v -w -x -o -c
//! -l -L -q -s -n -h -H -m N -A/-B/-C N -NUM -e -f -r -R -a`, `--include`, `--exclude`,
//! `--exclude-dir`, `--color` (ignored: output is not a terminal).
//!
//! Exit status 0 when a line was selected, 1 when none, 2 on any error (unless `-q` found
//! a match). Recursive walks visit entries sorted by name, where grep's fts would use
//! readdir order.

use regex_lite::Regex;

use crate::node::fs::FileKind;
use crate::shell::io::{FsContext, Output};

use super::common::{abs, fnmatch, getopt, join, long, HasArg, Long, Spec, HELP, VERSION};
use super::regex::{self, Flavor, Options};

const COLOR: char = '\u{F000}';
const INCLUDE: char = '\u{F001}';
const EXCLUDE: char = '\u{F002}';
const EXCLUDE_DIR: char = '\u{F003}';
const NO_ICASE: char = '\u{F004}';

const LONGS: &[Long] = &[
    long("extended-regexp", HasArg::No, 'E'),
    long("fixed-strings", HasArg::No, 'F'),
    long("basic-regexp", HasArg::No, 'G'),
    long("perl-regexp", HasArg::No, 'P'),
    long("regexp", HasArg::Required, 'e'),
    long("file", HasArg::Required, 'f'),
    long("ignore-case", HasArg::No, 'i'),
    long("no-ignore-case", HasArg::No, NO_ICASE),
    long("word-regexp", HasArg::No, 'w'),
    long("line-regexp", HasArg::No, 'x'),
    long("invert-match", HasArg::No, 'v'),
    long("count", HasArg::No, 'c'),
    long("color", HasArg::Optional, COLOR),
    long("colour", HasArg::Optional, COLOR),
    long("files-with-matches", HasArg::No, 'l'),
    long("files-without-match", HasArg::No, 'L'),
    long("max-count", HasArg::Required, 'm'),
    long("only-matching", HasArg::No, 'o'),
    long("quiet", HasArg::No, 'q'),
    long("silent", HasArg::No, 'q'),
    long("no-messages", HasArg::No, 's'),
    long("line-number", HasArg::No, 'n'),
    long("with-filename", HasArg::No, 'H'),
    long("no-filename", HasArg::No, 'h'),
    long("after-context", HasArg::Required, 'A'),
    long("before-context", HasArg::Required, 'B'),
    long("context", HasArg::Required, 'C'),
    long("recursive", HasArg::No, 'r'),
    long("dereference-recursive", HasArg::No, 'R'),
    long("include", HasArg::Required, INCLUDE),
    long("exclude", HasArg::Required, EXCLUDE),
    long("exclude-dir", HasArg::Required, EXCLUDE_DIR),
    long("text", HasArg::No, 'a'),
];

const SPEC: Spec = Spec {
    short: "0123456789A:B:C:EFGHLPRVace:f:hilm:noqrsvwxy",
    long: LONGS,
};

const SHORT_USAGE: &str = "Usage: grep [OPTION]... PATTERNS [FILE]...\n\
                           Try 'grep --help' for more information.\n";

const USAGE: &str = "\
Usage: grep [OPTION]... PATTERNS [FILE]...
Search for PATTERNS in each FILE.
Example: grep -i 'hello world' menu.h main.c
PATTERNS can contain multiple patterns separated by newlines.

Pattern selection and interpretation:
  -E, --extended-regexp     PATTERNS are extended regular expressions
  -F, --fixed-strings       PATTERNS are strings
  -G, --basic-regexp        PATTERNS are basic regular expressions
  -P, --perl-regexp         PATTERNS are Perl regular expressions
  -e, --regexp=PATTERNS     use PATTERNS for matching
  -f, --file=FILE           take PATTERNS from FILE
  -i, --ignore-case         ignore case distinctions in patterns and data
      --no-ignore-case      do not ignore case distinctions (default)
  -w, --word-regexp         match only whole words
  -x, --line-regexp         match only whole lines

Miscellaneous:
  -s, --no-messages         suppress error messages
  -v, --invert-match        select non-matching lines
  -V, --version             display version information and exit
      --help                display this help text and exit

Output control:
  -m, --max-count=NUM       stop after NUM selected lines
  -n, --line-number         print line number with output lines
  -H, --with-filename       print file name with output lines
  -h, --no-filename         suppress the file name prefix on output
  -o, --only-matching       show only nonempty parts of lines that match
  -q, --quiet, --silent     suppress all normal output
  -a, --text                equivalent to --binary-files=text
  -r, --recursive           like --directories=recurse
  -R, --dereference-recursive  likewise, but follow all symlinks
      --include=GLOB        search only files that match GLOB (a file pattern)
      --exclude=GLOB        skip files that match GLOB
      --exclude-dir=GLOB    skip directories that match GLOB
  -L, --files-without-match  print only names of FILEs with no selected lines
  -l, --files-with-matches  print only names of FILEs with selected lines
  -c, --count               print only a count of selected lines per FILE

Context control:
  -B, --before-context=NUM  print NUM lines of leading context
  -A, --after-context=NUM   print NUM lines of trailing context
  -C, --context=NUM         print NUM lines of output context
  -NUM                      same as --context=NUM
      --color[=WHEN],
      --colour[=WHEN]       use markers to highlight the matching strings;
                            WHEN is 'always', 'never', or 'auto'

When FILE is '-', read standard input.  With no FILE, read '.' if
recursive, '-' otherwise.  With fewer than two FILEs, assume -h.
Exit status is 0 if any line is selected, 1 otherwise;
if any error occurs and -q is not given, the exit status is 2.

Report bugs to: bug-grep@gnu.org
GNU grep home page: <https://www.gnu.org/software/grep/>
General help using GNU software: <https://www.gnu.org/gethelp/>
";

const VERSION_TEXT: &str = "\
grep (GNU grep) 3.11
Copyright (C) 2023 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Mike Haertel and others; see
<https://git.savannah.gnu.org/cgit/grep.git/tree/AUTHORS>.

grep -P uses PCRE2 10.42 2022-12-11
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Basic,
    Extended,
    Fixed,
    Perl,
}

/// What to print for each input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Lines,
    Count,
    FilesWith,
    FilesWithout,
    Quiet,
}

struct Opts {
    invert: bool,
    only: bool,
    line_numbers: bool,
    with_filename: Option<bool>,
    no_messages: bool,
    mode: Mode,
    before: usize,
    after: usize,
    max_count: Option<u64>,
    text: bool,
    recursive: bool,
    deref: bool,
    include: Vec<String>,
    exclude: Vec<String>,
    exclude_dir: Vec<String>,
}

/// The compiled patterns; `word` means the match proper is capture group 1.
struct Matcher {
    re: Regex,
    word: bool,
}

impl Matcher {
    /// The first match at or after `start`, as a byte span.
    fn find(&self, line: &str, start: usize) -> Option<(usize, usize)> {
        if start > line.len() {
            return None;
        }
        if self.word {
            let caps = self.re.captures_at(line, start)?;
            let m = caps.get(1)?;
            return Some((m.start(), m.end()));
        }
        let m = self.re.find_at(line, start)?;
        Some((m.start(), m.end()))
    }

    fn is_match(&self, line: &str) -> bool {
        self.re.is_match(line)
    }
}

/// The run's state shared by all inputs.
struct Run {
    out: Output,
    matched_any: bool,
    error: bool,
    /// Whether anything was printed yet, for the `--` group separator.
    printed_group: bool,
    stop: bool,
}

/// Runs `grep`.
pub(super) fn grep(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let args = match getopt(argv, &SPEC) {
        Ok(args) => args,
        Err(err) => return Output::err(format!("{}{SHORT_USAGE}", err.line("grep")), 2),
    };
    let mut opts = Opts {
        invert: false,
        only: false,
        line_numbers: false,
        with_filename: None,
        no_messages: false,
        mode: Mode::Lines,
        before: 0,
        after: 0,
        max_count: None,
        text: false,
        recursive: false,
        deref: false,
        include: Vec::new(),
        exclude: Vec::new(),
        exclude_dir: Vec::new(),
    };
    let mut syntax = Syntax::Basic;
    let mut icase = false;
    let mut word = false;
    let mut whole_line = false;
    let mut patterns: Option<Vec<String>> = None;
    let mut digits = String::new();
    let mut context: Option<usize> = None;
    let mut after: Option<usize> = None;
    let mut before: Option<usize> = None;
    let mut count = false;
    let mut files_with = false;
    let mut files_without = false;
    let mut quiet = false;
    for (id, value) in &args.opts {
        let value = value.as_deref().unwrap_or("");
        if id.is_ascii_digit() {
            digits.push(*id);
            match digits.parse::<usize>() {
                Ok(n) => context = Some(n),
                Err(_) => return context_error(&digits),
            }
            continue;
        }
        digits.clear();
        match id {
            'E' => syntax = Syntax::Extended,
            'F' => syntax = Syntax::Fixed,
            'G' => syntax = Syntax::Basic,
            'P' => syntax = Syntax::Perl,
            'e' => patterns
                .get_or_insert_with(Vec::new)
                .extend(value.split('\n').map(String::from)),
            'f' => {
                let text = if value == "-" {
                    Ok(stdin.to_string())
                } else {
                    ctx.fs.read_to_string(&abs(ctx, value))
                };
                match text {
                    Ok(text) => patterns
                        .get_or_insert_with(Vec::new)
                        .extend(super::common::lines(&text).into_iter().map(String::from)),
                    Err(err) => {
                        return Output::err(format!("grep: {value}: {err}\n"), 2);
                    }
                }
            }
            'i' | 'y' => icase = true,
            &NO_ICASE => icase = false,
            'w' => word = true,
            'x' => whole_line = true,
            'v' => opts.invert = true,
            'c' => count = true,
            'l' => files_with = true,
            'L' => files_without = true,
            'o' => opts.only = true,
            'q' => quiet = true,
            's' => opts.no_messages = true,
            'n' => opts.line_numbers = true,
            'H' => opts.with_filename = Some(true),
            'h' => opts.with_filename = Some(false),
            'a' => opts.text = true,
            'r' => opts.recursive = true,
            'R' => {
                opts.recursive = true;
                opts.deref = true;
            }
            'm' => match value.parse::<u64>() {
                Ok(n) => opts.max_count = Some(n),
                Err(_) if value.starts_with('-') && value[1..].parse::<u64>().is_ok() => {
                    opts.max_count = None;
                }
                Err(_) => return Output::err("grep: invalid max count\n", 2),
            },
            'A' | 'B' | 'C' => {
                let Ok(n) = value.parse::<usize>() else {
                    return context_error(value);
                };
                match id {
                    'A' => after = Some(n),
                    'B' => before = Some(n),
                    _ => context = Some(n),
                }
            }
            &INCLUDE => opts.include.push(value.to_string()),
            &EXCLUDE => opts.exclude.push(value.to_string()),
            &EXCLUDE_DIR => opts.exclude_dir.push(value.to_string()),
            &COLOR => match value {
                "" | "always" | "yes" | "force" | "never" | "no" | "none" | "auto" | "tty"
                | "if-tty" => {}
                _ => {
                    return Output::err(
                        format!("grep: invalid argument \u{2018}{value}\u{2019} for \u{2018}--color\u{2019}\nValid arguments are:\n  - \u{2018}always\u{2019}, \u{2018}yes\u{2019}, \u{2018}force\u{2019}\n  - \u{2018}never\u{2019}, \u{2018}no\u{2019}, \u{2018}none\u{2019}\n  - \u{2018}auto\u{2019}, \u{2018}tty\u{2019}, \u{2018}if-tty\u{2019}\n{SHORT_USAGE}"),
                        2,
                    )
                }
            },
            &HELP => return Output::ok(USAGE),
            'V' | &VERSION => return Output::ok(VERSION_TEXT),
            _ => {}
        }
    }
    opts.after = after.or(context).unwrap_or(0);
    opts.before = before.or(context).unwrap_or(0);
    opts.mode = if quiet {
        Mode::Quiet
    } else if files_with {
        Mode::FilesWith
    } else if files_without {
        Mode::FilesWithout
    } else if count {
        Mode::Count
    } else {
        Mode::Lines
    };
    let mut operands = args.operands.clone();
    let patterns = match patterns {
        Some(p) => p,
        None if operands.is_empty() => return Output::err(SHORT_USAGE, 2),
        None => operands.remove(0).split('\n').map(String::from).collect(),
    };
    let matcher = match build_matcher(&patterns, syntax, icase, word, whole_line) {
        Ok(m) => m,
        Err(msg) => return Output::err(format!("grep: {msg}\n"), 2),
    };

    let mut run = Run {
        out: Output::default(),
        matched_any: false,
        error: false,
        printed_group: false,
        stop: false,
    };
    let implicit_dot = operands.is_empty() && opts.recursive;
    if operands.is_empty() {
        operands.push(if opts.recursive { "." } else { "-" }.to_string());
    }
    let descends = opts.recursive
        && operands
            .iter()
            .any(|op| op != "-" && ctx.fs.stat(&abs(ctx, op)).is_ok_and(|m| m.is_dir()));
    let show_names = opts.with_filename.unwrap_or(operands.len() > 1 || descends);
    for op in &operands {
        if run.stop {
            break;
        }
        if op == "-" {
            search(
                &mut run,
                &opts,
                &matcher,
                "(standard input)",
                stdin.as_bytes(),
                show_names,
            );
            continue;
        }
        let path = abs(ctx, op);
        let meta = if op.is_empty() {
            Err(crate::node::fs::FsError::NotFound)
        } else {
            ctx.fs.stat(&path)
        };
        match meta {
            Err(err) => {
                file_error(&mut run, &opts, op, &err.to_string());
            }
            Ok(meta) if meta.is_dir() => {
                if opts.recursive {
                    let shown = if implicit_dot { "" } else { op.as_str() };
                    walk(ctx, &mut run, &opts, &matcher, &path, shown, show_names, 0);
                } else {
                    file_error(&mut run, &opts, op, "Is a directory");
                }
            }
            Ok(_) => {
                if excluded(&opts, op) {
                    continue;
                }
                let data = ctx.fs.read(&path).unwrap_or_default();
                search(&mut run, &opts, &matcher, op, &data, show_names);
            }
        }
    }
    let mut out = run.out;
    out.code = if run.error && !(opts.mode == Mode::Quiet && run.matched_any) {
        2
    } else if run.matched_any {
        0
    } else {
        1
    };
    out
}

fn context_error(value: &str) -> Output {
    Output::err(
        format!("grep: {value}: invalid context length argument\n"),
        2,
    )
}

fn file_error(run: &mut Run, opts: &Opts, name: &str, err: &str) {
    run.error = true;
    if !opts.no_messages {
        run.out.stderr.push_str(&format!("grep: {name}: {err}\n"));
    }
}

/// Whether `--include`/`--exclude` rule out a file, judged on its last component.
fn excluded(opts: &Opts, name: &str) -> bool {
    let base = super::common::base_name(name);
    if opts.exclude.iter().any(|g| fnmatch(g, base, false)) {
        return true;
    }
    !opts.include.is_empty() && !opts.include.iter().any(|g| fnmatch(g, base, false))
}

#[allow(clippy::too_many_arguments)]
fn walk(
    ctx: &FsContext<'_>,
    run: &mut Run,
    opts: &Opts,
    matcher: &Matcher,
    path: &str,
    shown: &str,
    show_names: bool,
    depth: u32,
) {
    // -R can loop through symlinks; fts reports such cycles, here they just end.
    if depth as usize > super::common::MAX_TREE_DEPTH {
        return;
    }
    let Ok(entries) = ctx.fs.read_dir(path) else {
        return;
    };
    for entry in entries {
        if run.stop {
            return;
        }
        let child = join(path, &entry.name);
        let child_shown = if shown.is_empty() {
            entry.name.clone()
        } else {
            join(shown, &entry.name)
        };
        let kind = match entry.kind {
            FileKind::Symlink if opts.deref => match ctx.fs.stat(&child) {
                Ok(meta) => meta.kind,
                Err(_) => continue,
            },
            FileKind::Symlink => continue,
            kind => kind,
        };
        match kind {
            FileKind::Dir => {
                if opts
                    .exclude_dir
                    .iter()
                    .any(|g| fnmatch(g, &entry.name, false))
                {
                    continue;
                }
                walk(
                    ctx,
                    run,
                    opts,
                    matcher,
                    &child,
                    &child_shown,
                    show_names,
                    depth + 1,
                );
            }
            _ => {
                if excluded(opts, &entry.name) {
                    continue;
                }
                let data = ctx.fs.read(&child).unwrap_or_default();
                search(run, opts, matcher, &child_shown, &data, show_names);
            }
        }
    }
}

/// Searches one input and prints what the mode asks for.
fn search(
    run: &mut Run,
    opts: &Opts,
    matcher: &Matcher,
    name: &str,
    data: &[u8],
    show_names: bool,
) {
    let text = String::from_utf8_lossy(data);
    let binary = !opts.text && data.contains(&0);
    let lines = super::common::lines(&text);
    let selected: Vec<bool> = lines
        .iter()
        .map(|line| matcher.is_match(line) != opts.invert)
        .collect();
    let limit = opts.max_count.unwrap_or(u64::MAX);
    let mut count: u64 = 0;
    // Lines up to (excluding) `end` are considered: -m stops after the NUMth selection.
    let mut end = lines.len();
    for (idx, &sel) in selected.iter().enumerate() {
        if sel {
            if count >= limit {
                end = idx;
                break;
            }
            count += 1;
        }
    }
    if limit == 0 {
        end = 0;
    }
    // Even with -L, success means a line was selected somewhere (grep 3.5 and later).
    if count > 0 {
        run.matched_any = true;
    }
    match opts.mode {
        Mode::Quiet => {
            if count > 0 {
                run.stop = true;
            }
        }
        Mode::Count => {
            if show_names {
                run.out.stdout.push_str(&format!("{name}:{count}\n"));
            } else {
                run.out.stdout.push_str(&format!("{count}\n"));
            }
        }
        Mode::FilesWith => {
            if count > 0 {
                run.out.stdout.push_str(&format!("{name}\n"));
            }
        }
        Mode::FilesWithout => {
            if count == 0 {
                run.out.stdout.push_str(&format!("{name}\n"));
            }
        }
        Mode::Lines if binary => {
            if count > 0 {
                run.out
                    .stderr
                    .push_str(&format!("grep: {name}: binary file matches\n"));
            }
        }
        Mode::Lines => print_lines(run, opts, matcher, name, &lines, &selected, end, show_names),
    }
}

#[allow(clippy::too_many_arguments)]
fn print_lines(
    run: &mut Run,
    opts: &Opts,
    matcher: &Matcher,
    name: &str,
    lines: &[&str],
    selected: &[bool],
    end: usize,
    show_names: bool,
) {
    let context = opts.before > 0 || opts.after > 0;
    let prefix = |idx: usize, sep: char| {
        let mut p = String::new();
        if show_names {
            p.push_str(name);
            p.push(sep);
        }
        if opts.line_numbers {
            p.push_str(&(idx + 1).to_string());
            p.push(sep);
        }
        p
    };
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0usize;
    let emit = |run: &mut Run, idx: usize, text: &str, sep: char, last: &mut Option<usize>| {
        if context {
            let gap = match *last {
                Some(prev) => idx > prev + 1,
                None => true,
            };
            if gap && run.printed_group {
                run.out.stdout.push_str("--\n");
            }
            run.printed_group = true;
        }
        run.out.stdout.push_str(&prefix(idx, sep));
        run.out.stdout.push_str(text);
        run.out.stdout.push('\n');
        *last = Some(idx);
    };
    let limit_end = end;
    for idx in 0..lines.len() {
        let in_range = idx < limit_end;
        if in_range && selected[idx] {
            // Leading context not yet printed.
            let from = idx.saturating_sub(opts.before);
            let start = match last_printed {
                Some(prev) => from.max(prev + 1),
                None => from,
            };
            if !opts.only {
                for (ctx_idx, line) in lines.iter().enumerate().take(idx).skip(start) {
                    emit(run, ctx_idx, line, '-', &mut last_printed);
                }
            }
            if opts.only {
                if opts.invert {
                    continue;
                }
                let line = lines[idx];
                let mut pos = 0;
                while let Some((s, e)) = matcher.find(line, pos) {
                    if e > s {
                        emit(run, idx, &line[s..e], ':', &mut last_printed);
                        pos = e;
                    } else {
                        pos = s + line[s..].chars().next().map_or(1, char::len_utf8);
                    }
                }
            } else {
                emit(run, idx, lines[idx], ':', &mut last_printed);
            }
            after_left = opts.after;
        } else if after_left > 0 && !opts.only {
            emit(run, idx, lines[idx], '-', &mut last_printed);
            after_left -= 1;
        } else if !in_range {
            break;
        }
    }
}

/// Compiles the pattern list into one regex, as grep combines its patterns.
fn build_matcher(
    patterns: &[String],
    syntax: Syntax,
    icase: bool,
    word: bool,
    whole_line: bool,
) -> Result<Matcher, String> {
    let flavor = match syntax {
        Syntax::Extended => Flavor::Extended,
        _ => Flavor::Basic,
    };
    let opts = Options {
        flavor,
        icase,
        c_escapes: false,
        multiline: false,
    };
    let mut parts = Vec::new();
    for pattern in patterns {
        let part = match syntax {
            Syntax::Fixed => regex_lite::escape(pattern),
            Syntax::Perl => pattern.clone(),
            _ => regex::translate(pattern, opts).map_err(|e| e.message())?,
        };
        parts.push(format!("(?:{part})"));
    }
    let combined = if parts.is_empty() {
        // No pattern at all (an empty -f file) matches nothing.
        "[^\\s\\S]".to_string()
    } else {
        parts.join("|")
    };
    let (full, word_group) = if whole_line {
        (format!("^(?:{combined})$"), false)
    } else if word {
        (
            format!("(?:^|[^0-9A-Za-z_])({combined})(?:[^0-9A-Za-z_]|$)"),
            true,
        )
    } else {
        (combined, false)
    };
    let re = regex::build(&full, opts).map_err(|e| match syntax {
        Syntax::Perl => "invalid Perl regular expression".to_string(),
        _ => e.message(),
    })?;
    Ok(Matcher {
        re,
        word: word_group,
    })
}
