//! `sort` and `uniq`, after coreutils 9.4 `src/sort.c` and `src/uniq.c`, in the C locale
//! (byte order).
//!
//! `sort`: `-r -n -h -f -b -u -s -k POS1[,POS2] -t SEP -o FILE`, with sort's last-resort
//! whole-line comparison for ties (skipped by `-s` and `-u`).
//! `uniq`: `-c -d -u -i -f N -s N -w N`, `[INPUT [OUTPUT]]`.

use std::cmp::Ordering;

use crate::node::fs::WriteMode;
use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, getopt, help, lines, long, quote, quotef, read_input, try_help, version, HasArg, Long,
    Spec, HELP, VERSION,
};

const SORT_LONGS: &[Long] = &[
    long("reverse", HasArg::No, 'r'),
    long("numeric-sort", HasArg::No, 'n'),
    long("human-numeric-sort", HasArg::No, 'h'),
    long("ignore-case", HasArg::No, 'f'),
    long("ignore-leading-blanks", HasArg::No, 'b'),
    long("unique", HasArg::No, 'u'),
    long("stable", HasArg::No, 's'),
    long("key", HasArg::Required, 'k'),
    long("field-separator", HasArg::Required, 't'),
    long("output", HasArg::Required, 'o'),
];

const SORT_USAGE: &str = "\
Usage: sort [OPTION]... [FILE]...
  or:  sort [OPTION]... --files0-from=F
Write sorted concatenation of all FILE(s) to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
Ordering options:

  -b, --ignore-leading-blanks  ignore leading blanks
  -f, --ignore-case           fold lower case to upper case characters
  -h, --human-numeric-sort    compare human readable numbers (e.g., 2K 1G)
  -n, --numeric-sort          compare according to string numerical value
  -r, --reverse               reverse the result of comparisons

Other options:

  -k, --key=KEYDEF          sort via a key; KEYDEF gives location and type
  -o, --output=FILE         write result to FILE instead of standard output
  -s, --stable              stabilize sort by disabling last-resort comparison
  -t, --field-separator=SEP  use SEP instead of non-blank to blank transition
  -u, --unique              output only the first of an equal run
      --help        display this help and exit
      --version     output version information and exit

KEYDEF is F[.C][OPTS][,F[.C][OPTS]] for start and stop position, where F is a
field number and C a character position in the field; both are origin 1, and
the stop position defaults to the line's end.  If neither -t nor -b is in
effect, characters in a field are counted from the beginning of the preceding
whitespace.  OPTS is one or more single-letter ordering options [bdfgiMhnRrV],
which override global ordering options for that key.  If no key is given, use
the entire line as the key.
";

/// Ordering options, global or per key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Order {
    numeric: bool,
    human: bool,
    fold: bool,
    reverse: bool,
    blanks_start: bool,
    blanks_end: bool,
}

impl Order {
    fn any(&self) -> bool {
        self.numeric
            || self.human
            || self.fold
            || self.reverse
            || self.blanks_start
            || self.blanks_end
    }
}

#[derive(Debug, Clone, Copy)]
struct Key {
    /// Zero-based start field and character offset.
    sword: usize,
    schar: usize,
    /// Zero-based end field (`None`: end of line) and end character (0: end of field).
    eword: Option<usize>,
    echar: usize,
    order: Order,
}

/// Runs `sort`.
pub(super) fn sort(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let spec = Spec {
        short: "bfhnrsuk:t:o:",
        long: SORT_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("sort", 2),
    };
    let mut global = Order::default();
    let mut unique = false;
    let mut stable = false;
    let mut keys: Vec<Key> = Vec::new();
    let mut tab: Option<char> = None;
    let mut output: Option<String> = None;
    for (id, value) in &args.opts {
        let value = value.as_deref().unwrap_or("");
        match id {
            'b' => {
                global.blanks_start = true;
                global.blanks_end = true;
            }
            'f' => global.fold = true,
            'h' => global.human = true,
            'n' => global.numeric = true,
            'r' => global.reverse = true,
            's' => stable = true,
            'u' => unique = true,
            'k' => match parse_key(value) {
                Ok(key) => keys.push(key),
                Err(msg) => return Output::err(format!("sort: {msg}\n"), 2),
            },
            't' => {
                let mut chars = value.chars();
                let c = match (chars.next(), chars.next()) {
                    (None, _) => return Output::err("sort: empty tab\n", 2),
                    (Some(c), None) => c,
                    _ if value == "\\0" => '\0',
                    _ => {
                        return Output::err(
                            format!("sort: multi-character tab {}\n", quote(value)),
                            2,
                        )
                    }
                };
                if tab.is_some_and(|t| t != c) {
                    return Output::err("sort: incompatible tabs\n", 2);
                }
                tab = Some(c);
            }
            'o' => output = Some(value.to_string()),
            &HELP => return help("sort", SORT_USAGE),
            &VERSION => return version("sort", &["Mike Haertel", "Paul Eggert"]),
            _ => {}
        }
    }
    // Keys without ordering options inherit the global ones.
    for key in &mut keys {
        if !key.order.any() {
            key.order = global;
        }
    }
    let operands = if args.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        args.operands.clone()
    };
    for name in &operands {
        if name != "-" && ctx.fs.stat(&abs(ctx, name)).is_err() {
            let err = ctx
                .fs
                .stat(&abs(ctx, name))
                .err()
                .map_or("No such file or directory".to_string(), |e| e.to_string());
            return Output::err(format!("sort: cannot read: {}: {err}\n", quotef(name)), 2);
        }
    }
    let mut all: Vec<String> = Vec::new();
    for name in &operands {
        match read_input(ctx, name, stdin) {
            Ok(text) => all.extend(lines(&text).into_iter().map(String::from)),
            Err(err) => {
                return Output::err(format!("sort: read failed: {}: {err}\n", quotef(name)), 2)
            }
        }
    }
    let settings = Settings {
        keys,
        global,
        tab,
        last_resort: !stable && !unique,
    };
    crate::sort::sort_by(&mut all, |a, b| compare(a, b, &settings));
    if unique {
        let uniq_settings = Settings {
            last_resort: false,
            ..settings
        };
        all.dedup_by(|b, a| compare(a, b, &uniq_settings) == Ordering::Equal);
    }
    let mut text = String::new();
    for line in &all {
        text.push_str(line);
        text.push('\n');
    }
    match output {
        Some(name) => {
            let path = abs(ctx, &name);
            match ctx
                .fs
                .write(ctx.now, &path, text.as_bytes(), WriteMode::Truncate)
            {
                Ok(()) => Output::default(),
                Err(err) => {
                    Output::err(format!("sort: open failed: {}: {err}\n", quotef(&name)), 2)
                }
            }
        }
        None => Output::ok(text),
    }
}

struct Settings {
    keys: Vec<Key>,
    global: Order,
    tab: Option<char>,
    last_resort: bool,
}

fn parse_key(spec: &str) -> Result<Key, String> {
    let bad = |msg: &str| format!("{msg}: invalid field specification {}", quote(spec));
    let mut chars = spec.chars().peekable();
    let number = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, what: &str| {
        let mut digits = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() {
                digits.push(c);
                chars.next();
            } else {
                break;
            }
        }
        if digits.is_empty() {
            return Err(format!(
                "{what}: invalid count at start of {}",
                quote(&chars.clone().collect::<String>())
            ));
        }
        Ok(digits.parse::<usize>().unwrap_or(usize::MAX))
    };
    let sword = number(&mut chars, "invalid number at field start")?;
    if sword == 0 {
        return Err(bad("field number is zero"));
    }
    let mut schar = 0;
    if chars.peek() == Some(&'.') {
        chars.next();
        schar = number(&mut chars, "invalid number after '.'")?;
        if schar == 0 {
            return Err(bad("character offset is zero"));
        }
        schar -= 1;
    }
    let mut order = Order::default();
    let apply = |c: char, order: &mut Order, start: bool| -> bool {
        match c {
            'n' => order.numeric = true,
            'h' => order.human = true,
            'f' => order.fold = true,
            'r' => order.reverse = true,
            'b' if start => order.blanks_start = true,
            'b' => order.blanks_end = true,
            _ => return false,
        }
        true
    };
    while let Some(&c) = chars.peek() {
        if !apply(c, &mut order, true) {
            break;
        }
        chars.next();
    }
    let mut eword = None;
    let mut echar = 0;
    if chars.peek() == Some(&',') {
        chars.next();
        let e = number(&mut chars, "invalid number after ','")?;
        if e == 0 {
            return Err(bad("field number is zero"));
        }
        eword = Some(e - 1);
        if chars.peek() == Some(&'.') {
            chars.next();
            echar = number(&mut chars, "invalid number after '.'")?;
        }
        while let Some(&c) = chars.peek() {
            if !apply(c, &mut order, false) {
                break;
            }
            chars.next();
        }
    }
    if chars.next().is_some() {
        return Err(bad("stray character in field spec"));
    }
    Ok(Key {
        sword: sword - 1,
        schar,
        eword,
        echar,
        order,
    })
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Byte offsets where each field starts, sort.c's `begfield` rules: with a tab, fields
/// are split at it; without, a field begins at the blanks before its text.
fn field_start(line: &str, field: usize, tab: Option<char>) -> usize {
    let bytes: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    let mut remaining = field;
    match tab {
        Some(t) => {
            while remaining > 0 && i < bytes.len() {
                while i < bytes.len() && bytes[i].1 != t {
                    i += 1;
                }
                if i < bytes.len() {
                    i += 1;
                }
                remaining -= 1;
            }
        }
        None => {
            while remaining > 0 && i < bytes.len() {
                while i < bytes.len() && is_blank(bytes[i].1) {
                    i += 1;
                }
                while i < bytes.len() && !is_blank(bytes[i].1) {
                    i += 1;
                }
                remaining -= 1;
            }
        }
    }
    bytes.get(i).map_or(line.len(), |&(pos, _)| pos)
}

fn field_end(line: &str, start: usize, tab: Option<char>) -> usize {
    let rest = &line[start..];
    match tab {
        Some(t) => rest.find(t).map_or(line.len(), |p| start + p),
        None => {
            let trimmed = rest.len() - rest.trim_start_matches(is_blank).len();
            let after = &rest[trimmed..];
            start + trimmed + after.find(is_blank).unwrap_or(after.len())
        }
    }
}

/// The part of `line` a key looks at.
fn key_text<'a>(line: &'a str, key: &Key, tab: Option<char>) -> &'a str {
    let mut begin = field_start(line, key.sword, tab);
    if key.order.blanks_start {
        begin += line[begin..].len() - line[begin..].trim_start_matches(is_blank).len();
    }
    begin = advance_chars(line, begin, key.schar);
    let end = match key.eword {
        None => line.len(),
        Some(eword) => {
            let estart = field_start(line, eword, tab);
            if key.echar == 0 {
                field_end(line, estart, tab)
            } else {
                let mut s = estart;
                if key.order.blanks_end {
                    s += line[s..].len() - line[s..].trim_start_matches(is_blank).len();
                }
                advance_chars(line, s, key.echar).min(field_end(line, estart, tab).max(s))
            }
        }
    };
    if end <= begin {
        return "";
    }
    &line[begin..end]
}

fn advance_chars(line: &str, from: usize, n: usize) -> usize {
    line[from..]
        .char_indices()
        .nth(n)
        .map_or(line.len(), |(off, _)| from + off)
}

fn compare(a: &str, b: &str, s: &Settings) -> Ordering {
    if s.keys.is_empty() {
        let ord = compare_with(a, b, &s.global);
        if ord != Ordering::Equal || !s.last_resort {
            return ord;
        }
    } else {
        for key in &s.keys {
            let ka = key_text(a, key, s.tab);
            let kb = key_text(b, key, s.tab);
            let ord = compare_with(ka, kb, &key.order);
            if ord != Ordering::Equal {
                return ord;
            }
        }
        if !s.last_resort {
            return Ordering::Equal;
        }
    }
    let ord = a.as_bytes().cmp(b.as_bytes());
    if s.global.reverse {
        ord.reverse()
    } else {
        ord
    }
}

fn compare_with(a: &str, b: &str, order: &Order) -> Ordering {
    let ord = if order.numeric {
        numeric_cmp(a, b)
    } else if order.human {
        human_cmp(a, b)
    } else if order.fold {
        let fa = a.bytes().map(|c| c.to_ascii_uppercase());
        let fb = b.bytes().map(|c| c.to_ascii_uppercase());
        fa.cmp(fb)
    } else {
        let (a, b) = if order.blanks_start {
            (
                a.trim_start_matches(is_blank),
                b.trim_start_matches(is_blank),
            )
        } else {
            (a, b)
        };
        a.as_bytes().cmp(b.as_bytes())
    };
    if order.reverse {
        ord.reverse()
    } else {
        ord
    }
}

/// The leading number of `s` as sort -n reads it: blanks, an optional `-`, digits with an
/// optional fraction. Returned as (negative, integer digits, fraction digits).
fn leading_number(s: &str) -> (bool, String, String) {
    let s = s.trim_start_matches(is_blank);
    let (neg, rest) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let int: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[int.len()..];
    let frac: String = match after.strip_prefix('.') {
        Some(f) => f.chars().take_while(char::is_ascii_digit).collect(),
        None => String::new(),
    };
    let int = int.trim_start_matches('0').to_string();
    let frac = frac.trim_end_matches('0').to_string();
    let zero = int.is_empty() && frac.is_empty();
    (neg && !zero, int, frac)
}

fn numeric_cmp(a: &str, b: &str) -> Ordering {
    let (na, ia, fa) = leading_number(a);
    let (nb, ib, fb) = leading_number(b);
    let magnitude = ia
        .len()
        .cmp(&ib.len())
        .then_with(|| ia.cmp(&ib))
        .then_with(|| fa.cmp(&fb));
    match (na, nb) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

fn human_cmp(a: &str, b: &str) -> Ordering {
    let suffix = |s: &str| {
        let s = s.trim_start_matches(is_blank);
        let s = s.strip_prefix('-').unwrap_or(s);
        let num_len = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .count();
        match s[num_len..].chars().next() {
            Some('K' | 'k') => 1,
            Some('M') => 2,
            Some('G') => 3,
            Some('T') => 4,
            Some('P') => 5,
            Some('E') => 6,
            _ => 0,
        }
    };
    let (na, _, _) = leading_number(a);
    let (nb, _, _) = leading_number(b);
    let by_suffix = suffix(a).cmp(&suffix(b));
    let by_suffix = if na && nb {
        by_suffix.reverse()
    } else {
        by_suffix
    };
    match (na, nb) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => by_suffix.then_with(|| numeric_cmp(a, b)),
    }
}

const UNIQ_LONGS: &[Long] = &[
    long("count", HasArg::No, 'c'),
    long("repeated", HasArg::No, 'd'),
    long("unique", HasArg::No, 'u'),
    long("ignore-case", HasArg::No, 'i'),
    long("skip-fields", HasArg::Required, 'f'),
    long("skip-chars", HasArg::Required, 's'),
    long("check-chars", HasArg::Required, 'w'),
];

const UNIQ_USAGE: &str = "\
Usage: uniq [OPTION]... [INPUT [OUTPUT]]
Filter adjacent matching lines from INPUT (or standard input),
writing to OUTPUT (or standard output).

With no options, matching lines are merged to the first occurrence.

Mandatory arguments to long options are mandatory for short options too.
  -c, --count           prefix lines by the number of occurrences
  -d, --repeated        only print duplicate lines, one for each group
  -f, --skip-fields=N   avoid comparing the first N fields
  -i, --ignore-case     ignore differences in case when comparing
  -s, --skip-chars=N    avoid comparing the first N characters
  -u, --unique          only print unique lines
  -w, --check-chars=N   compare no more than N characters in lines
      --help        display this help and exit
      --version     output version information and exit

A field is a run of blanks (usually spaces and/or TABs), then non-blank
characters.  Fields are skipped before chars.

Note: 'uniq' does not detect repeated lines unless they are adjacent.
You may want to sort the input first, or use 'sort -u' without 'uniq'.
";

/// Runs `uniq`.
pub(super) fn uniq(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let spec = Spec {
        short: "cdiuf:s:w:",
        long: UNIQ_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("uniq", 1),
    };
    if args.has(HELP) {
        return help("uniq", UNIQ_USAGE);
    }
    if args.has(VERSION) {
        return version("uniq", &["Richard M. Stallman", "David MacKenzie"]);
    }
    let count = args.has('c');
    let repeated = args.has('d');
    let unique = args.has('u');
    let icase = args.has('i');
    let number = |id: char, what: &str| -> Result<usize, Output> {
        match args.last(id) {
            None => Ok(0),
            Some(v) => v
                .parse::<usize>()
                .map_err(|_| Output::err(format!("uniq: {v}: {what}\n"), 1)),
        }
    };
    let skip_fields = match number('f', "invalid number of fields to skip") {
        Ok(n) => n,
        Err(out) => return out,
    };
    let skip_chars = match number('s', "invalid number of bytes to skip") {
        Ok(n) => n,
        Err(out) => return out,
    };
    let check_chars = match args.last('w') {
        None => None,
        Some(v) => match v.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                return Output::err(
                    format!("uniq: {v}: invalid number of bytes to compare\n"),
                    1,
                )
            }
        },
    };
    if args.operands.len() > 2 {
        return Output::err(
            format!(
                "uniq: extra operand {}\n{}",
                quote(&args.operands[2]),
                try_help("uniq")
            ),
            1,
        );
    }
    let input = args.operands.first().map_or("-", String::as_str);
    let text = match read_input(ctx, input, stdin) {
        Ok(text) => text,
        Err(err) => return Output::err(format!("uniq: {}: {err}\n", quotef(input)), 1),
    };
    let key = |line: &str| -> String {
        let mut rest = line;
        for _ in 0..skip_fields {
            rest = rest.trim_start_matches(is_blank);
            let end = rest.find(is_blank).unwrap_or(rest.len());
            rest = &rest[end..];
        }
        let rest: String = rest.chars().skip(skip_chars).collect();
        let rest: String = match check_chars {
            Some(n) => rest.chars().take(n).collect(),
            None => rest,
        };
        if icase {
            rest.to_lowercase()
        } else {
            rest
        }
    };
    let mut out = String::new();
    let all = lines(&text);
    let mut idx = 0;
    while idx < all.len() {
        let first = all[idx];
        let k = key(first);
        let mut n = 1;
        while idx + n < all.len() && key(all[idx + n]) == k {
            n += 1;
        }
        let show = (!repeated || n > 1) && (!unique || n == 1);
        if show {
            if count {
                out.push_str(&format!("{n:>7} "));
            }
            out.push_str(first);
            out.push('\n');
        }
        idx += n;
    }
    match args.operands.get(1) {
        Some(name) if name != "-" => {
            let path = abs(ctx, name);
            match ctx
                .fs
                .write(ctx.now, &path, out.as_bytes(), WriteMode::Truncate)
            {
                Ok(()) => Output::default(),
                Err(err) => Output::err(format!("uniq: {}: {err}\n", quotef(name)), 1),
            }
        }
        _ => Output::ok(out),
    }
}
