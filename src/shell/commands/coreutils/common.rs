//! What every command here shares: glibc `getopt_long` option parsing, gnulib's quoting
//! styles, path resolution against the shell's working directory, the GNU `--help` and
//! `--version` texts, and rendering of sizes and times.

use jiff::tz::TimeZone;

use crate::node::fs::{normalize, FsError};
use crate::shell::io::{FsContext, Output};
use crate::sim::{wallclock, SimTime};

/// Option id of the `--help` every command accepts.
pub(super) const HELP: char = '\u{F8FE}';
/// Option id of the `--version` every command accepts.
pub(super) const VERSION: char = '\u{F8FF}';

/// Whether a long option takes an argument, as `struct option`'s `has_arg` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HasArg {
    /// `no_argument`.
    No,
    /// `required_argument`: `--lines=5` or `--lines 5`.
    Required,
    /// `optional_argument`: only `--color=auto`, never a separate word.
    Optional,
}

/// A long option and the id (usually its short letter) it is reported under.
#[derive(Debug, Clone, Copy)]
pub(super) struct Long {
    pub(super) name: &'static str,
    pub(super) has_arg: HasArg,
    pub(super) id: char,
}

/// Shorthand for building [`Long`] tables.
pub(super) const fn long(name: &'static str, has_arg: HasArg, id: char) -> Long {
    Long { name, has_arg, id }
}

/// What `getopt_long` is told: the short-option string (`"ab:c::"`, a leading `+` stops
/// at the first operand as `POSIXLY_CORRECT` does) and the long options.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spec {
    pub(super) short: &'static str,
    pub(super) long: &'static [Long],
}

/// The parsed command line: options in order, then the operands.
#[derive(Debug, Clone, Default)]
pub(super) struct Args {
    pub(super) opts: Vec<(char, Option<String>)>,
    pub(super) operands: Vec<String>,
}

impl Args {
    /// Whether option `id` was given.
    pub(super) fn has(&self, id: char) -> bool {
        self.opts.iter().any(|(o, _)| *o == id)
    }

    /// The argument of the last occurrence of option `id`.
    pub(super) fn last(&self, id: char) -> Option<&str> {
        self.opts
            .iter()
            .rev()
            .find(|(o, _)| *o == id)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Why `getopt_long` refused the command line; `Display` is glibc's message without the
/// program name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum OptError {
    Invalid(char),
    Unrecognized(String),
    NeedsArg(char),
    LongNeedsArg(String),
    LongNoArg(String),
    Ambiguous(String, Vec<String>),
}

impl OptError {
    /// glibc's diagnostic line for this error, with the program name.
    pub(super) fn line(&self, prog: &str) -> String {
        match self {
            OptError::Invalid(c) => format!("{prog}: invalid option -- '{c}'\n"),
            OptError::Unrecognized(arg) => format!("{prog}: unrecognized option '{arg}'\n"),
            OptError::NeedsArg(c) => {
                format!("{prog}: option requires an argument -- '{c}'\n")
            }
            OptError::LongNeedsArg(name) => {
                format!("{prog}: option '--{name}' requires an argument\n")
            }
            OptError::LongNoArg(name) => {
                format!("{prog}: option '--{name}' doesn't allow an argument\n")
            }
            OptError::Ambiguous(arg, names) => {
                let mut line = format!("{prog}: option '{arg}' is ambiguous; possibilities:");
                for name in names {
                    line.push_str(&format!(" '--{name}'"));
                }
                line.push('\n');
                line
            }
        }
    }

    /// The diagnostic plus coreutils' `Try 'PROG --help'` hint, as `usage (EXIT_FAILURE)`
    /// prints them.
    pub(super) fn usage(&self, prog: &str, code: i32) -> Output {
        Output::err(format!("{}{}", self.line(prog), try_help(prog)), code)
    }
}

/// coreutils' `emit_try_help`.
pub(super) fn try_help(prog: &str) -> String {
    format!("Try '{prog} --help' for more information.\n")
}

/// Parses `argv[1..]` the way glibc's `getopt_long` does: clustered short options,
/// attached or separate arguments, unambiguous long-option prefixes, `--`, and operands
/// permuted to the end unless the short string starts with `+`. `--help` and `--version`
/// are always known; parsing stops at them, as coreutils exits there.
pub(super) fn getopt(argv: &[String], spec: &Spec) -> Result<Args, OptError> {
    let (permute, shorts) = match spec.short.strip_prefix('+') {
        Some(rest) => (false, rest),
        None => (true, spec.short),
    };
    let mut longs: Vec<Long> = spec.long.to_vec();
    longs.push(long("help", HasArg::No, HELP));
    longs.push(long("version", HasArg::No, VERSION));

    let mut args = Args::default();
    let mut idx = 1;
    while idx < argv.len() {
        let arg = &argv[idx];
        idx += 1;
        if arg == "--" {
            args.operands.extend(argv[idx..].iter().cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, value) = match body.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (body, None),
            };
            let opt = find_long(&longs, name, arg)?;
            let value = match (opt.has_arg, value) {
                (HasArg::No, Some(_)) => return Err(OptError::LongNoArg(opt.name.to_string())),
                (HasArg::No, None) | (HasArg::Optional, None) => None,
                (_, Some(value)) => Some(value),
                (HasArg::Required, None) => match argv.get(idx) {
                    Some(next) => {
                        idx += 1;
                        Some(next.clone())
                    }
                    None => return Err(OptError::LongNeedsArg(opt.name.to_string())),
                },
            };
            args.opts.push((opt.id, value));
            if opt.id == HELP || opt.id == VERSION {
                return Ok(args);
            }
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg.chars().skip(1).collect();
            let mut pos = 0;
            while pos < chars.len() {
                let c = chars[pos];
                pos += 1;
                let Some(kind) = short_kind(shorts, c) else {
                    return Err(OptError::Invalid(c));
                };
                match kind {
                    HasArg::No => args.opts.push((c, None)),
                    HasArg::Optional => {
                        let rest: String = chars[pos..].iter().collect();
                        args.opts.push((c, (!rest.is_empty()).then_some(rest)));
                        pos = chars.len();
                    }
                    HasArg::Required => {
                        let rest: String = chars[pos..].iter().collect();
                        pos = chars.len();
                        if !rest.is_empty() {
                            args.opts.push((c, Some(rest)));
                        } else if let Some(next) = argv.get(idx) {
                            idx += 1;
                            args.opts.push((c, Some(next.clone())));
                        } else {
                            return Err(OptError::NeedsArg(c));
                        }
                    }
                }
            }
            continue;
        }
        args.operands.push(arg.clone());
        if !permute {
            args.operands.extend(argv[idx..].iter().cloned());
            break;
        }
    }
    Ok(args)
}

fn short_kind(shorts: &str, c: char) -> Option<HasArg> {
    if c == ':' || c == '+' || c == '-' {
        return None;
    }
    let chars: Vec<char> = shorts.chars().collect();
    let pos = chars.iter().position(|&x| x == c)?;
    match (chars.get(pos + 1), chars.get(pos + 2)) {
        (Some(':'), Some(':')) => Some(HasArg::Optional),
        (Some(':'), _) => Some(HasArg::Required),
        _ => Some(HasArg::No),
    }
}

fn find_long(longs: &[Long], name: &str, arg: &str) -> Result<Long, OptError> {
    if let Some(exact) = longs.iter().find(|l| l.name == name) {
        return Ok(*exact);
    }
    let hits: Vec<&Long> = longs
        .iter()
        .filter(|l| !name.is_empty() && l.name.starts_with(name))
        .collect();
    match hits.as_slice() {
        [] => Err(OptError::Unrecognized(arg.to_string())),
        [one] => Ok(**one),
        many => {
            // Abbreviations of options that behave the same are not ambiguous.
            let first = many[0];
            if many
                .iter()
                .all(|l| l.id == first.id && l.has_arg == first.has_arg)
            {
                return Ok(*first);
            }
            let shown = arg.split('=').next().unwrap_or(arg).to_string();
            Err(OptError::Ambiguous(
                shown,
                many.iter().map(|l| l.name.to_string()).collect(),
            ))
        }
    }
}

/// The `--version` text of a GNU coreutils 9.4 program.
pub(super) fn version(prog: &str, authors: &[&str]) -> Output {
    version_of(prog, "GNU coreutils", "9.4", "2023", authors)
}

/// The `--version` text of any GNU package, in `version_etc`'s layout.
pub(super) fn version_of(
    prog: &str,
    package: &str,
    version: &str,
    year: &str,
    authors: &[&str],
) -> Output {
    let written = match authors {
        [] => String::new(),
        [a] => format!("\nWritten by {a}.\n"),
        [a, b] => format!("\nWritten by {a} and {b}.\n"),
        [a, b, c] => format!("\nWritten by {a}, {b}, and {c}.\n"),
        [a, b, c, d] => format!("\nWritten by {a}, {b}, {c},\nand {d}.\n"),
        [a, b, c, d, e, ..] => format!("\nWritten by {a}, {b}, {c},\n{d}, and {e}.\n"),
    };
    Output::ok(format!(
        "{prog} ({package}) {version}\n\
         Copyright (C) {year} Free Software Foundation, Inc.\n\
         License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
         This is free software: you are free to change and redistribute it.\n\
         There is NO WARRANTY, to the extent permitted by law.\n{written}"
    ))
}

/// A coreutils `--help` text: the usage lines and body as given, then the footer
/// `emit_ancillary_info` prints.
pub(super) fn help(prog: &str, body: &str) -> Output {
    let node = if prog == "[" { "test" } else { prog };
    Output::ok(format!(
        "{body}\nGNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n\
         Full documentation <https://www.gnu.org/software/coreutils/{node}>\n\
         or available locally via: info '(coreutils) {node} invocation'\n"
    ))
}

// ---------------------------------------------------------------------------------------
// Quoting, as gnulib's quotearg styles render file names in diagnostics.
// ---------------------------------------------------------------------------------------

/// Characters the shell treats specially anywhere in a word.
fn shell_special(c: char) -> bool {
    matches!(
        c,
        ' ' | '!'
            | '"'
            | '$'
            | '&'
            | '('
            | ')'
            | '*'
            | ';'
            | '<'
            | '='
            | '>'
            | '['
            | '\\'
            | '^'
            | '`'
            | '|'
            | '\''
            | '?'
    )
}

/// Characters that may appear unquoted inside C-style double quotes as well as in the shell.
fn c_compatible(c: char) -> bool {
    c.is_alphanumeric() || " '%+,-./:]_#~{}@".contains(c)
}

fn needs_shell_quoting(s: &str, colon: bool) -> bool {
    if s.is_empty() {
        return true;
    }
    if s == "{" || s == "}" || s.starts_with('#') || s.starts_with('~') {
        return true;
    }
    s.chars()
        .any(|c| shell_special(c) || c.is_control() || (colon && c == ':'))
}

fn control_escape(c: char) -> String {
    match c {
        '\u{7}' => "\\a".into(),
        '\u{8}' => "\\b".into(),
        '\u{c}' => "\\f".into(),
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        '\u{b}' => "\\v".into(),
        c => format!("\\{:03o}", c as u32 & 0o377),
    }
}

fn shell_quote_body(s: &str) -> String {
    if s.chars().any(char::is_control) {
        // shell-escape style: printable runs in '...', control characters as $'\n'.
        let mut out = String::new();
        let mut in_quotes = false;
        for c in s.chars() {
            if c.is_control() {
                if in_quotes {
                    out.push('\'');
                    in_quotes = false;
                }
                out.push_str(&format!("$'{}'", control_escape(c)));
            } else {
                if !in_quotes {
                    out.push('\'');
                    in_quotes = true;
                }
                if c == '\'' {
                    out.push_str("'\\''");
                } else {
                    out.push(c);
                }
            }
        }
        if in_quotes {
            out.push('\'');
        }
        return out;
    }
    if s.contains('\'') {
        if s.chars().all(c_compatible) {
            return format!("\"{s}\"");
        }
        return format!("'{}'", s.replace('\'', "'\\''"));
    }
    format!("'{s}'")
}

/// coreutils' `quoteaf`: always in shell quotes, `'x'` (`"it's"` for an apostrophe).
pub(super) fn quoteaf(s: &str) -> String {
    shell_quote_body(s)
}

/// coreutils' `quotef`: shell quotes only when the name needs them (or has a colon).
pub(super) fn quotef(s: &str) -> String {
    if needs_shell_quoting(s, true) {
        shell_quote_body(s)
    } else {
        s.to_string()
    }
}

/// gnulib's `quote` in a UTF-8 locale: curly quotes, C escapes for control characters.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::from("\u{2018}");
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&control_escape(c));
        } else {
            out.push(c);
        }
    }
    out.push('\u{2019}');
    out
}

// ---------------------------------------------------------------------------------------
// Paths and files.
// ---------------------------------------------------------------------------------------

/// Deepest directory nesting the recursive commands descend into; deeper trees report
/// ENAMETOOLONG, keeping recursion well inside the browser's stack.
pub(super) const MAX_TREE_DEPTH: usize = 256;

/// The absolute path of the operand `arg`, resolved against the working directory; a
/// trailing slash is kept because it changes what the kernel does with the last component.
pub(super) fn abs(ctx: &FsContext<'_>, arg: &str) -> String {
    let path = normalize(ctx.cwd, arg);
    let dot_tail = arg.ends_with("/.") || arg == ".";
    if (arg.ends_with('/') || dot_tail) && path != "/" && !arg.is_empty() {
        format!("{path}/")
    } else {
        path
    }
}

/// Reads the operand `arg` as text: `-` is standard input.
pub(super) fn read_input(ctx: &FsContext<'_>, arg: &str, stdin: &str) -> Result<String, FsError> {
    if arg == "-" {
        return Ok(stdin.to_string());
    }
    if arg.is_empty() {
        return Err(FsError::NotFound);
    }
    ctx.fs.read_to_string(&abs(ctx, arg))
}

/// The last path component of `path`, as `basename` without a suffix prints it.
pub(super) fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    match trimmed.rfind('/') {
        Some(pos) => &trimmed[pos + 1..],
        None => trimmed,
    }
}

/// `path` with `name` appended, with exactly one slash between.
pub(super) fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Splits text into lines the way line-oriented tools see them: each line without its
/// newline; a final unterminated line is still a line.
pub(super) fn lines(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') || text.is_empty() {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------------------
// Numbers, sizes and times.
// ---------------------------------------------------------------------------------------

/// gnulib `human_readable` with `human_autoscale | human_SI | human_base_1024` and the
/// default ceiling rounding, as `ls -h` and `df -h` print sizes: `512`, `4.0K`, `12K`.
pub(super) fn human_size(bytes: u64) -> String {
    const SUFFIXES: [&str; 8] = ["K", "M", "G", "T", "P", "E", "Z", "Y"];
    if bytes < 1024 {
        return bytes.to_string();
    }
    let mut exp = 0usize;
    let mut divisor: u128 = 1;
    while (bytes as u128) / divisor >= 1024 && exp < SUFFIXES.len() {
        divisor *= 1024;
        exp += 1;
    }
    let value = bytes as u128;
    // Tenths, rounded up: below 10 units one decimal is shown.
    let tenths = (value * 10).div_ceil(divisor);
    if tenths < 100 {
        return format!("{}.{}{}", tenths / 10, tenths % 10, SUFFIXES[exp - 1]);
    }
    let whole = value.div_ceil(divisor);
    if whole >= 1024 && exp < SUFFIXES.len() {
        return format!("1.0{}", SUFFIXES[exp]);
    }
    format!("{whole}{}", SUFFIXES[exp - 1])
}

/// The broken-down UTC wall-clock time of `t`.
pub(super) struct Civil {
    pub(super) year: i16,
    pub(super) month: i8,
    pub(super) day: i8,
    pub(super) hour: i8,
    pub(super) minute: i8,
    pub(super) second: i8,
    pub(super) millis: i64,
}

/// `t` as a UTC calendar date and time.
pub(super) fn civil(t: SimTime) -> Civil {
    let dt = TimeZone::UTC.to_datetime(wallclock::timestamp(t));
    Civil {
        year: dt.year(),
        month: dt.month(),
        day: dt.day(),
        hour: dt.hour(),
        minute: dt.minute(),
        second: dt.second(),
        millis: t.wall_millis().rem_euclid(1000),
    }
}

/// Month abbreviations of the C locale.
pub(super) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A month abbreviation, never panicking on a strange month number.
pub(super) fn month_name(month: i8) -> &'static str {
    MONTHS
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("???")
}

/// `stat`'s timestamp: `2026-11-22 08:00:00.000000000 +0000`.
pub(super) fn full_time(t: SimTime) -> String {
    let c = civil(t);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:09} +0000",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.millis * 1_000_000
    )
}

/// fnmatch(3) without flags (so `*` also matches `/`), or with `icase` for `-iname`: `*`,
/// `?`, bracket expressions with `!`/`^`, ranges and `[:class:]`, and backslash escapes.
pub(super) fn fnmatch(pattern: &str, name: &str, icase: bool) -> bool {
    let pat: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = name.chars().collect();
    // Iterative matching with one backtrack point for the last `*`, as glibc does.
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    let same = |a: char, b: char| {
        if icase {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    while t < text.len() {
        if p < pat.len() {
            match pat[p] {
                '*' => {
                    star = Some((p, t));
                    p += 1;
                    continue;
                }
                '?' => {
                    p += 1;
                    t += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = bracket_match(&pat, p, text[t], icase) {
                        if matched {
                            p = next;
                            t += 1;
                            continue;
                        }
                    } else if same('[', text[t]) {
                        p += 1;
                        t += 1;
                        continue;
                    }
                }
                '\\' if p + 1 < pat.len() => {
                    if same(pat[p + 1], text[t]) {
                        p += 2;
                        t += 1;
                        continue;
                    }
                }
                c => {
                    if same(c, text[t]) {
                        p += 1;
                        t += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while p < pat.len() && pat[p] == '*' {
        p += 1;
    }
    p == pat.len()
}

/// Matches `c` against the bracket expression starting at `pat[start]`; `None` if it is
/// not a complete bracket expression (then `[` is literal).
fn bracket_match(pat: &[char], start: usize, c: char, icase: bool) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(pat.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    let fold = |x: char| if icase { x.to_ascii_lowercase() } else { x };
    let c = fold(c);
    loop {
        let &ch = pat.get(i)?;
        if ch == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if ch == '[' && pat.get(i + 1) == Some(&':') {
            let rest: String = pat[i + 2..].iter().collect();
            let end = rest.find(":]")?;
            let class = &rest[..end];
            let hit = match class {
                "alpha" => c.is_ascii_alphabetic(),
                "digit" => c.is_ascii_digit(),
                "alnum" => c.is_ascii_alphanumeric(),
                "upper" => c.is_ascii_uppercase(),
                "lower" => c.is_ascii_lowercase(),
                "space" => c.is_ascii_whitespace(),
                "blank" => c == ' ' || c == '\t',
                "punct" => c.is_ascii_punctuation(),
                "xdigit" => c.is_ascii_hexdigit(),
                "print" => !c.is_control(),
                "graph" => !c.is_control() && c != ' ',
                "cntrl" => c.is_control(),
                _ => false,
            };
            matched |= hit;
            i += 2 + end + 2;
            continue;
        }
        let lo = if ch == '\\' {
            i += 1;
            *pat.get(i)?
        } else {
            ch
        };
        i += 1;
        if pat.get(i) == Some(&'-') && pat.get(i + 1).is_some_and(|&n| n != ']') {
            let hi = pat[i + 1];
            i += 2;
            if fold(lo) <= c && c <= fold(hi) {
                matched = true;
            }
        } else if fold(lo) == c {
            matched = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    const LONGS: &[Long] = &[
        long("all", HasArg::No, 'a'),
        long("almost-all", HasArg::No, 'A'),
        long("lines", HasArg::Required, 'n'),
    ];
    const SPEC: Spec = Spec {
        short: "aAln:",
        long: LONGS,
    };

    #[test]
    fn getopt_clusters_permutes_and_stops_at_double_dash() {
        let args = getopt(&argv(&["ls", "x", "-la", "-n5", "--", "-a"]), &SPEC).unwrap();
        assert_eq!(
            args.opts,
            vec![('l', None), ('a', None), ('n', Some("5".into()))]
        );
        assert_eq!(args.operands, vec!["x", "-a"]);
        let args = getopt(&argv(&["ls", "--lines", "3", "--alm", "-"]), &SPEC).unwrap();
        assert_eq!(args.opts, vec![('n', Some("3".into())), ('A', None)]);
        assert_eq!(args.operands, vec!["-"]);
    }

    #[test]
    fn getopt_errors_read_like_glibc() {
        let err = getopt(&argv(&["ls", "-z"]), &SPEC).unwrap_err();
        assert_eq!(err.line("ls"), "ls: invalid option -- 'z'\n");
        let err = getopt(&argv(&["ls", "--a"]), &SPEC).unwrap_err();
        assert_eq!(
            err.line("ls"),
            "ls: option '--a' is ambiguous; possibilities: '--all' '--almost-all'\n"
        );
        let err = getopt(&argv(&["ls", "-n"]), &SPEC).unwrap_err();
        assert_eq!(err.line("ls"), "ls: option requires an argument -- 'n'\n");
        let err = getopt(&argv(&["ls", "--all=1"]), &SPEC).unwrap_err();
        assert_eq!(
            err.line("ls"),
            "ls: option '--all' doesn't allow an argument\n"
        );
        let err = getopt(&argv(&["ls", "--bogus=1"]), &SPEC).unwrap_err();
        assert_eq!(err.line("ls"), "ls: unrecognized option '--bogus=1'\n");
    }

    #[test]
    fn fnmatch_globs() {
        assert!(fnmatch("*.yaml", "etcd.yaml", false));
        assert!(!fnmatch("*.yaml", "etcd.yml", false));
        assert!(fnmatch("kube-*", "kube-apiserver.yaml", false));
        assert!(fnmatch("?tcd*", "etcd.yaml", false));
        assert!(fnmatch("[a-e]*", "etcd", false));
        assert!(!fnmatch("[!a-e]*", "etcd", false));
        assert!(fnmatch("*.YAML", "x.yaml", true));
        assert!(fnmatch("a\\*", "a*", false));
        assert!(fnmatch("*/m/*", "/etc/m/x", false));
        assert!(fnmatch("[", "[", false));
    }

    #[test]
    fn quoting_styles() {
        assert_eq!(quoteaf("x"), "'x'");
        assert_eq!(quoteaf("it's"), "\"it's\"");
        assert_eq!(quoteaf("a\nb"), "'a'$'\\n''b'");
        assert_eq!(quotef("x"), "x");
        assert_eq!(quotef("a b"), "'a b'");
        assert_eq!(quote("x"), "\u{2018}x\u{2019}");
    }

    #[test]
    fn human_sizes_round_up_like_gnulib() {
        assert_eq!(human_size(0), "0");
        assert_eq!(human_size(1023), "1023");
        assert_eq!(human_size(1024), "1.0K");
        assert_eq!(human_size(4096), "4.0K");
        assert_eq!(human_size(4097), "4.1K");
        assert_eq!(human_size(10 * 1024 - 1), "10K");
        assert_eq!(human_size(12 * 1024), "12K");
        assert_eq!(human_size(1024 * 1024 - 1), "1.0M");
        assert_eq!(human_size(u64::MAX), "16E");
    }
}
