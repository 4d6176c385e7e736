//! `cut` and `tr`, after coreutils 9.4 `src/cut.c`, `src/set-fields.c` and `src/tr.c`.
//!
//! `cut`: `-b -c -f LIST`, `-d DELIM`, `-s`, `--complement`, `--output-delimiter`; `-c`
//! counts bytes, as GNU cut does.
//! `tr`: `-d -s -c/-C`, ranges, `[:class:]`, `[c*n]`, backslash escapes; sets are taken
//! as bytes of ASCII text (non-ASCII characters pass through untouched).

use crate::shell::io::{FsContext, Output};

use super::common::{
    getopt, help, lines, long, quote, quotef, read_input, try_help, version, HasArg, Long, Spec,
    HELP, VERSION,
};

const COMPLEMENT: char = '\u{F000}';
const OUTPUT_DELIM: char = '\u{F001}';

const CUT_LONGS: &[Long] = &[
    long("bytes", HasArg::Required, 'b'),
    long("characters", HasArg::Required, 'c'),
    long("fields", HasArg::Required, 'f'),
    long("delimiter", HasArg::Required, 'd'),
    long("only-delimited", HasArg::No, 's'),
    long("complement", HasArg::No, COMPLEMENT),
    long("output-delimiter", HasArg::Required, OUTPUT_DELIM),
];

const CUT_USAGE: &str = "\
Usage: cut OPTION... [FILE]...
Print selected parts of lines from each FILE to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --bytes=LIST        select only these bytes
  -c, --characters=LIST   select only these characters
  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter
  -f, --fields=LIST       select only these fields;  also print any line
                            that contains no delimiter character, unless
                            the -s option is specified
      --complement        complement the set of selected bytes, characters
                            or fields
  -s, --only-delimited    do not print lines not containing delimiters
      --output-delimiter=STRING  use STRING as the output delimiter
                            the default is to use the input delimiter
      --help        display this help and exit
      --version     output version information and exit

Use one, and only one of -b, -c or -f.  Each LIST is made up of one
range, or many ranges separated by commas.  Selected input is written
in the same order that it is read, and is written exactly once.
Each range is one of:

  N     N'th byte, character or field, counted from 1
  N-    from N'th byte, character or field, to end of line
  N-M   from N'th to M'th (included) byte, character or field
  -M    from first to M'th (included) byte, character or field
";

fn cut_usage_error(msg: &str) -> Output {
    Output::err(format!("cut: {msg}\n{}", try_help("cut")), 1)
}

/// Parses a cut LIST into sorted, merged 1-based inclusive ranges.
fn parse_list(list: &str, fields: bool) -> Result<Vec<(u64, u64)>, Output> {
    let numbered = if fields {
        "fields are numbered from 1"
    } else {
        "byte/character positions are numbered from 1"
    };
    let mut ranges = Vec::new();
    for part in list.split([',', ' ']) {
        if part.is_empty() {
            continue;
        }
        let parse = |s: &str| -> Result<u64, Output> {
            if !s.bytes().all(|b| b.is_ascii_digit()) {
                let what = if fields {
                    "invalid field value"
                } else {
                    "invalid byte/character position"
                };
                return Err(cut_usage_error(&format!("{what} {}", quote(s))));
            }
            Ok(s.parse::<u64>().unwrap_or(u64::MAX))
        };
        let (lo, hi) = match part.split_once('-') {
            None => {
                let n = parse(part)?;
                (n, n)
            }
            Some(("", "")) => return Err(cut_usage_error("invalid range with no endpoint: -")),
            Some(("", hi)) => (1, parse(hi)?),
            Some((lo, "")) => (parse(lo)?, u64::MAX),
            Some((lo, hi)) => {
                let (lo, hi) = (parse(lo)?, parse(hi)?);
                if lo > hi {
                    return Err(cut_usage_error("invalid decreasing range"));
                }
                (lo, hi)
            }
        };
        if lo == 0 {
            return Err(cut_usage_error(numbered));
        }
        ranges.push((lo, hi));
    }
    if ranges.is_empty() {
        return Err(cut_usage_error(if fields {
            "missing list of fields"
        } else {
            "missing list of byte/character positions"
        }));
    }
    ranges.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::new();
    for (lo, hi) in ranges {
        match merged.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    Ok(merged)
}

fn selected(ranges: &[(u64, u64)], n: u64, complement: bool) -> bool {
    ranges.iter().any(|&(lo, hi)| lo <= n && n <= hi) != complement
}

/// Runs `cut`.
pub(super) fn cut(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let spec = Spec {
        short: "b:c:d:f:nsz",
        long: CUT_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("cut", 1),
    };
    if args.has(HELP) {
        return help("cut", CUT_USAGE);
    }
    if args.has(VERSION) {
        return version(
            "cut",
            &["David M. Ihnat", "David MacKenzie", "Jim Meyering"],
        );
    }
    let mut list: Option<(char, String)> = None;
    let mut delim: Option<String> = None;
    for (id, value) in &args.opts {
        let value = value.clone().unwrap_or_default();
        match id {
            'b' | 'c' | 'f' => {
                if list.is_some() {
                    return cut_usage_error("only one list may be specified");
                }
                list = Some((*id, value));
            }
            'd' => delim = Some(value),
            _ => {}
        }
    }
    let Some((mode, list)) = list else {
        return cut_usage_error("you must specify a list of bytes, characters, or fields");
    };
    let fields = mode == 'f';
    let delim_char = match &delim {
        None => '\t',
        Some(d) => {
            let mut chars = d.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                (None, _) => '\0',
                _ => return cut_usage_error("the delimiter must be a single character"),
            }
        }
    };
    if !fields && delim.is_some() {
        return cut_usage_error(
            "an input delimiter may be specified only when operating on fields",
        );
    }
    if !fields && args.has('s') {
        return cut_usage_error(
            "suppressing non-delimited lines makes sense\n\tonly when operating on fields",
        );
    }
    let ranges = match parse_list(&list, fields) {
        Ok(r) => r,
        Err(out) => return out,
    };
    let complement = args.has(COMPLEMENT);
    let only_delimited = args.has('s');
    let out_delim = args
        .last(OUTPUT_DELIM)
        .map(str::to_string)
        .unwrap_or_else(|| {
            if fields {
                delim_char.to_string()
            } else {
                String::new()
            }
        });
    let operands = if args.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        args.operands.clone()
    };
    let mut out = Output::default();
    for name in &operands {
        let text = match read_input(ctx, name, stdin) {
            Ok(t) => t,
            Err(err) => {
                out.stderr
                    .push_str(&format!("cut: {}: {err}\n", quotef(name)));
                out.code = 1;
                continue;
            }
        };
        for line in lines(&text) {
            if fields {
                if !line.contains(delim_char) {
                    if !only_delimited {
                        out.stdout.push_str(line);
                        out.stdout.push('\n');
                    }
                    continue;
                }
                let picked: Vec<&str> = line
                    .split(delim_char)
                    .enumerate()
                    .filter(|(i, _)| selected(&ranges, *i as u64 + 1, complement))
                    .map(|(_, f)| f)
                    .collect();
                out.stdout.push_str(&picked.join(&out_delim));
                out.stdout.push('\n');
            } else {
                let bytes = line.as_bytes();
                let mut picked: Vec<u8> = Vec::new();
                let mut prev_selected = false;
                for (i, &b) in bytes.iter().enumerate() {
                    let sel = selected(&ranges, i as u64 + 1, complement);
                    if sel {
                        // --output-delimiter separates non-adjacent byte ranges.
                        if !prev_selected && !picked.is_empty() {
                            picked.extend_from_slice(out_delim.as_bytes());
                        }
                        picked.push(b);
                    }
                    prev_selected = sel;
                }
                out.stdout.push_str(&String::from_utf8_lossy(&picked));
                out.stdout.push('\n');
            }
        }
    }
    out
}

const TR_LONGS: &[Long] = &[
    long("complement", HasArg::No, 'c'),
    long("delete", HasArg::No, 'd'),
    long("squeeze-repeats", HasArg::No, 's'),
    long("truncate-set1", HasArg::No, 't'),
];

const TR_USAGE: &str = "\
Usage: tr [OPTION]... STRING1 [STRING2]
Translate, squeeze, and/or delete characters from standard input,
writing to standard output.  STRING1 and STRING2 specify arrays of
characters ARRAY1 and ARRAY2 that control the action.

  -c, -C, --complement    use the complement of ARRAY1
  -d, --delete            delete characters in ARRAY1, do not translate
  -s, --squeeze-repeats   replace each sequence of a repeated character
                            that is listed in the last specified ARRAY,
                            with a single occurrence of that character
  -t, --truncate-set1     first truncate ARRAY1 to length of ARRAY2
      --help        display this help and exit
      --version     output version information and exit

ARRAYs are specified as strings of characters.  Most represent themselves.
Interpreted sequences are:

  \\NNN            character with octal value NNN (1 to 3 octal digits)
  \\\\              backslash
  \\n              new line
  \\t              horizontal tab
  CHAR1-CHAR2     all characters from CHAR1 to CHAR2 in ascending order
  [CHAR*]         in ARRAY2, copies of CHAR until length of ARRAY1
  [CHAR*REPEAT]   REPEAT copies of CHAR, REPEAT octal if starting with 0
  [:alnum:]       all letters and digits
  [:alpha:]       all letters
  [:blank:]       all horizontal whitespace
  [:digit:]       all digits
  [:lower:]       all lower case letters
  [:punct:]       all punctuation characters
  [:space:]       all horizontal or vertical whitespace
  [:upper:]       all upper case letters
";

/// One element of a parsed tr set.
enum Elem {
    Char(char),
    /// `[c*]` (fill) or `[c*n]`.
    Repeat(char, Option<usize>),
}

fn tr_error(msg: &str) -> Output {
    Output::err(format!("tr: {msg}\n"), 1)
}

fn unescape(chars: &[char], i: &mut usize) -> char {
    let c = chars[*i];
    *i += 1;
    if c != '\\' || *i >= chars.len() {
        return c;
    }
    let e = chars[*i];
    *i += 1;
    match e {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        '0'..='7' => {
            let mut v = e as u32 - '0' as u32;
            for _ in 0..2 {
                match chars.get(*i) {
                    Some(&d @ '0'..='7') if v * 8 + (d as u32 - '0' as u32) < 256 => {
                        v = v * 8 + (d as u32 - '0' as u32);
                        *i += 1;
                    }
                    _ => break,
                }
            }
            char::from_u32(v).unwrap_or('\0')
        }
        other => other,
    }
}

fn class_chars(name: &str) -> Option<Vec<char>> {
    let all = (0u8..=127).map(char::from);
    let chars: Vec<char> = match name {
        "alnum" => all.filter(char::is_ascii_alphanumeric).collect(),
        "alpha" => all.filter(char::is_ascii_alphabetic).collect(),
        "blank" => vec!['\t', ' '],
        "cntrl" => all.filter(char::is_ascii_control).collect(),
        "digit" => all.filter(char::is_ascii_digit).collect(),
        "graph" => all.filter(char::is_ascii_graphic).collect(),
        "lower" => all.filter(char::is_ascii_lowercase).collect(),
        "print" => all.filter(|c| c.is_ascii_graphic() || *c == ' ').collect(),
        "punct" => all.filter(char::is_ascii_punctuation).collect(),
        "space" => all
            .filter(|c| c.is_ascii_whitespace() || *c == '\u{b}')
            .collect(),
        "upper" => all.filter(char::is_ascii_uppercase).collect(),
        "xdigit" => all.filter(char::is_ascii_hexdigit).collect(),
        _ => return None,
    };
    Some(chars)
}

fn parse_set(text: &str) -> Result<Vec<Elem>, Output> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' && chars.get(i + 1) == Some(&':') {
            if let Some(end) = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == ':' && chars[j + 1] == ']')
            {
                let name: String = chars[i + 2..end].iter().collect();
                match class_chars(&name) {
                    Some(cs) => out.extend(cs.into_iter().map(Elem::Char)),
                    None if name.is_empty() => {
                        return Err(tr_error("missing character class name '[::]'"))
                    }
                    None => {
                        return Err(tr_error(&format!(
                            "invalid character class {}",
                            quote(&name)
                        )))
                    }
                }
                i = end + 2;
                continue;
            }
        }
        if chars[i] == '[' && i + 2 < chars.len() {
            let mut j = i + 1;
            let c = unescape(&chars, &mut j);
            if chars.get(j) == Some(&'*') {
                if let Some(close) = (j + 1..chars.len()).find(|&k| chars[k] == ']') {
                    let count: String = chars[j + 1..close].iter().collect();
                    let n = if count.is_empty() {
                        None
                    } else {
                        let parsed = if count.starts_with('0') {
                            usize::from_str_radix(&count, 8).ok()
                        } else {
                            count.parse::<usize>().ok()
                        };
                        match parsed {
                            Some(0) => None,
                            Some(n) => Some(n.min(1 << 20)),
                            None => {
                                return Err(tr_error(&format!(
                                    "invalid repeat count {} in [c*n] construct",
                                    quote(&count)
                                )))
                            }
                        }
                    };
                    out.push(Elem::Repeat(c, n));
                    i = close + 1;
                    continue;
                }
            }
        }
        let lo = unescape(&chars, &mut i);
        if chars.get(i) == Some(&'-') && i + 1 < chars.len() {
            let mut j = i + 1;
            let hi = unescape(&chars, &mut j);
            if hi < lo {
                return Err(tr_error(&format!(
                    "range-endpoints of '{}-{}' are in reverse collating sequence order",
                    lo, hi
                )));
            }
            let (lo_u, hi_u) = (lo as u32, (hi as u32).min(lo as u32 + 0x10000));
            out.extend((lo_u..=hi_u).filter_map(char::from_u32).map(Elem::Char));
            i = j;
            continue;
        }
        out.push(Elem::Char(lo));
    }
    Ok(out)
}

fn expand_set(elems: &[Elem], fill_to: usize) -> Vec<char> {
    let fixed: usize = elems
        .iter()
        .map(|e| match e {
            Elem::Char(_) => 1,
            Elem::Repeat(_, Some(n)) => *n,
            Elem::Repeat(_, None) => 0,
        })
        .sum();
    let mut out = Vec::new();
    for e in elems {
        match e {
            Elem::Char(c) => out.push(*c),
            Elem::Repeat(c, Some(n)) => out.extend(std::iter::repeat_n(*c, *n)),
            Elem::Repeat(c, None) => {
                out.extend(std::iter::repeat_n(*c, fill_to.saturating_sub(fixed)))
            }
        }
    }
    out
}

/// Runs `tr`.
pub(super) fn tr(_ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let spec = Spec {
        short: "cCdst",
        long: TR_LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("tr", 1),
    };
    if args.has(HELP) {
        return help("tr", TR_USAGE);
    }
    if args.has(VERSION) {
        return version("tr", &["Jim Meyering"]);
    }
    let complement = args.has('c') || args.has('C');
    let delete = args.has('d');
    let squeeze = args.has('s');
    let truncate = args.has('t');
    let ops = &args.operands;
    let translating = !delete && ops.len() > 1;
    let min = if !delete && !squeeze { 2 } else { 1 };
    let max = if delete && squeeze {
        2
    } else if delete {
        1
    } else {
        2
    };
    if ops.is_empty() {
        return Output::err(format!("tr: missing operand\n{}", try_help("tr")), 1);
    }
    if ops.len() < min {
        let extra = if squeeze {
            "Two strings must be given when both deleting and squeezing repeats.\n"
        } else {
            "Two strings must be given when translating.\n"
        };
        let extra = if delete && squeeze {
            extra
        } else {
            "Two strings must be given when translating.\n"
        };
        return Output::err(
            format!(
                "tr: missing operand after {}\n{extra}{}",
                quote(&ops[ops.len() - 1]),
                try_help("tr")
            ),
            1,
        );
    }
    if ops.len() > max {
        let extra = if delete && !squeeze {
            "Only one string may be given when deleting without squeezing repeated characters.\n"
        } else {
            ""
        };
        return Output::err(
            format!(
                "tr: extra operand {}\n{extra}{}",
                quote(&ops[max]),
                try_help("tr")
            ),
            1,
        );
    }
    let set1_elems = match parse_set(&ops[0]) {
        Ok(s) => s,
        Err(out) => return out,
    };
    if set1_elems.iter().any(|e| matches!(e, Elem::Repeat(_, _))) {
        return tr_error("the [c*] repeat construct may not appear in string1");
    }
    let mut set1 = expand_set(&set1_elems, 0);
    if complement {
        let mut comp: Vec<char> = (0u8..=255)
            .map(char::from)
            .filter(|c| !set1.contains(c))
            .collect();
        comp.sort_unstable();
        set1 = comp;
    }
    let set2_elems = match ops.get(1) {
        Some(s) => match parse_set(s) {
            Ok(e) => Some(e),
            Err(out) => return out,
        },
        None => None,
    };
    let mut set2 = set2_elems
        .as_ref()
        .map(|e| expand_set(e, set1.len()))
        .unwrap_or_default();
    let in_set = |set: &[char], c: char| {
        if complement && std::ptr::eq(set.as_ptr(), set1.as_ptr()) {
            // Characters beyond Latin-1 are in the complement of any ASCII set.
            return set.contains(&c) || (c as u32) > 255;
        }
        set.contains(&c)
    };
    let mut out = String::with_capacity(stdin.len());
    if translating {
        if set2.is_empty() && !set1.is_empty() {
            return tr_error("when not truncating set1, string2 must be non-empty");
        }
        if truncate {
            set1.truncate(set2.len());
        } else if set2.len() < set1.len() {
            let last = set2.last().copied().unwrap_or(' ');
            set2.resize(set1.len(), last);
        }
        let mut last_out: Option<char> = None;
        for c in stdin.chars() {
            let mapped = match set1.iter().rposition(|&x| x == c) {
                Some(pos) => set2.get(pos).copied().unwrap_or(c),
                None if complement && (c as u32) > 255 => set2.last().copied().unwrap_or(c),
                None => c,
            };
            if squeeze && last_out == Some(mapped) && set2.contains(&mapped) {
                continue;
            }
            out.push(mapped);
            last_out = Some(mapped);
        }
        return Output::ok(out);
    }
    let squeeze_set: &[char] = if delete { &set2 } else { &set1 };
    let mut last_out: Option<char> = None;
    for c in stdin.chars() {
        if delete && in_set(&set1, c) {
            continue;
        }
        if squeeze
            && last_out == Some(c)
            && (if delete {
                squeeze_set.contains(&c)
            } else {
                in_set(squeeze_set, c)
            })
        {
            continue;
        }
        out.push(c);
        last_out = Some(c);
    }
    Output::ok(out)
}
