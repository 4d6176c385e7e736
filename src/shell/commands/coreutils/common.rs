//! What every command here shares: coreutils' use of `getopt_long`, gnulib's quoting
//! styles, path resolution against the shell's working directory, the GNU `--help` and
//! `--version` texts, and rendering of sizes and times.

use jiff::tz::TimeZone;

use crate::node::fs::{normalize, FsError};
use crate::shell::getopt::{getopt_long, Config};
pub(super) use crate::shell::getopt::{long, Args, HasArg, Long, OptError, Spec};
use crate::shell::io::{FsContext, Output};
use crate::sim::{wallclock, SimTime};

/// Option id of the `--help` every command accepts.
pub(super) const HELP: char = '\u{F8FE}';
/// Option id of the `--version` every command accepts.
pub(super) const VERSION: char = '\u{F8FF}';

// The coreutils-only rendering of the shared error type lives with coreutils.
impl OptError {
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

/// Parses `argv[1..]` the way glibc's `getopt_long` does (see [`crate::shell::getopt`]).
/// `--help` and `--version` are always known; parsing stops at them, as coreutils exits there.
pub(super) fn getopt(argv: &[String], spec: &Spec) -> Result<Args, OptError> {
    let mut longs: Vec<Long> = spec.long.to_vec();
    longs.push(long("help", HasArg::No, HELP));
    longs.push(long("version", HasArg::No, VERSION));
    let config = Config {
        short: spec.short,
        long: &longs,
        stop_at: &[HELP, VERSION],
        peek: &|_, _| false,
    };
    getopt_long(argv, &config)
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
