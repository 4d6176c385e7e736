//! `diff`, after GNU diffutils 3.10: line-based comparison of two files in the normal
//! format or unified (`-u`, `-U N`), `-q`, `-s`, `-i`, `-w`, `-b`; a directory operand
//! stands for the file of the same name inside it. Exit 0 if the same, 1 if different,
//! 2 on trouble.
//!
//! The edit script is a longest common subsequence, so when several alignments are
//! equally short the hunks can sit a line away from GNU's; comparing whole directories
//! is not offered.

use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, base_name, full_time, getopt, join, lines, long, HasArg, Long, Spec, HELP, VERSION,
};

const LONGS: &[Long] = &[
    long("unified", HasArg::Optional, 'u'),
    long("brief", HasArg::No, 'q'),
    long("report-identical-files", HasArg::No, 's'),
    long("ignore-case", HasArg::No, 'i'),
    long("ignore-all-space", HasArg::No, 'w'),
    long("ignore-space-change", HasArg::No, 'b'),
    long("normal", HasArg::No, 'N'),
];

const USAGE: &str = "\
Usage: diff [OPTION]... FILES
Compare FILES line by line.

Mandatory arguments to long options are mandatory for short options too.
      --normal                  output a normal diff (the default)
  -q, --brief                   report only when files differ
  -s, --report-identical-files  report when two files are the same
  -u, -U NUM, --unified[=NUM]   output NUM (default 3) lines of unified context
  -i, --ignore-case               ignore case differences in file contents
  -b, --ignore-space-change       ignore changes in the amount of white space
  -w, --ignore-all-space          ignore all white space
      --help               display this help and exit
  -v, --version            output version information and exit

FILES are 'FILE1 FILE2' or 'DIR1 FILE2' or 'FILE1 DIR2'.
If a FILE is '-', read standard input.
Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.

Report bugs to: bug-diffutils@gnu.org
GNU diffutils home page: <https://www.gnu.org/software/diffutils/>
General help using GNU software: <https://www.gnu.org/gethelp/>
";

fn trouble(msg: &str) -> Output {
    Output::err(format!("diff: {msg}\n"), 2)
}

/// One input: its display name, its lines, whether it ends in a newline, its time.
struct Input {
    name: String,
    lines: Vec<String>,
    final_newline: bool,
    stamp: String,
}

/// Runs `diff`.
pub(super) fn diff(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let spec = Spec {
        short: "U:uqsiwbv",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => {
            return Output::err(
                format!(
                    "{}diff: Try 'diff --help' for more information.\n",
                    err.line("diff")
                ),
                2,
            )
        }
    };
    if args.has(HELP) {
        return Output::ok(USAGE);
    }
    if args.has(VERSION) || args.has('v') {
        return super::common::version_of(
            "diff",
            "GNU diffutils",
            "3.10",
            "2023",
            &[
                "Paul Eggert",
                "Mike Haertel",
                "David Hayes",
                "Richard Stallman",
                "Len Tower",
            ],
        );
    }
    let mut context: Option<usize> = None;
    for (id, value) in &args.opts {
        match id {
            'u' => {
                context = Some(match value {
                    Some(v) => match v.parse() {
                        Ok(n) => n,
                        Err(_) => return trouble(&format!("invalid context length '{v}'")),
                    },
                    None => context.unwrap_or(3),
                })
            }
            'U' => {
                let v = value.as_deref().unwrap_or("");
                match v.parse() {
                    Ok(n) => context = Some(n),
                    Err(_) => return trouble(&format!("invalid context length '{v}'")),
                }
            }
            _ => {}
        }
    }
    if args.operands.len() < 2 {
        let msg = match args.operands.first() {
            None => "missing operand after 'diff'".to_string(),
            Some(op) => format!("missing operand after '{op}'"),
        };
        return Output::err(
            format!("diff: {msg}\ndiff: Try 'diff --help' for more information.\n"),
            2,
        );
    }
    if args.operands.len() > 2 {
        return Output::err(
            format!(
                "diff: extra operand '{}'\ndiff: Try 'diff --help' for more information.\n",
                args.operands[2]
            ),
            2,
        );
    }
    let (a_name, b_name) = (&args.operands[0], &args.operands[1]);
    let is_dir = |n: &str| n != "-" && ctx.fs.stat(&abs(ctx, n)).is_ok_and(|m| m.is_dir());
    let (a_name, b_name) = match (is_dir(a_name), is_dir(b_name)) {
        (true, true) => {
            return trouble("comparing directories is not supported in this playground")
        }
        (true, false) => (join(a_name, base_name(b_name)), b_name.clone()),
        (false, true) => (a_name.clone(), join(b_name, base_name(a_name))),
        (false, false) => (a_name.clone(), b_name.clone()),
    };
    let load = |name: &str| -> Result<Input, Output> {
        let (text, stamp) = if name == "-" {
            (stdin.to_string(), full_time(ctx.now))
        } else {
            let path = abs(ctx, name);
            let text = ctx
                .fs
                .read_to_string(&path)
                .map_err(|err| trouble(&format!("{name}: {err}")))?;
            let mtime = ctx.fs.stat(&path).map(|m| m.mtime).unwrap_or(ctx.now);
            (text, full_time(mtime))
        };
        Ok(Input {
            name: name.to_string(),
            lines: lines(&text).into_iter().map(String::from).collect(),
            final_newline: text.is_empty() || text.ends_with('\n'),
            stamp,
        })
    };
    let a = match load(&a_name) {
        Ok(i) => i,
        Err(out) => return out,
    };
    let b = match load(&b_name) {
        Ok(i) => i,
        Err(out) => return out,
    };
    let norm = |s: &str| -> String {
        let mut t = if args.has('i') {
            s.to_lowercase()
        } else {
            s.to_string()
        };
        if args.has('w') {
            t.retain(|c| !c.is_whitespace());
        } else if args.has('b') {
            t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        t
    };
    let ka: Vec<String> = a.lines.iter().map(|l| norm(l)).collect();
    let kb: Vec<String> = b.lines.iter().map(|l| norm(l)).collect();
    let ops = edit_script(&ka, &kb);
    // A missing final newline is a difference of the last line.
    let newline_differs = a.final_newline != b.final_newline;
    let differs = ops.iter().any(|op| !matches!(op, Op::Same(_, _))) || newline_differs;
    if !differs {
        if args.has('s') {
            return Output::ok(format!("Files {} and {} are identical\n", a.name, b.name));
        }
        return Output::default();
    }
    if args.has('q') {
        return Output {
            stdout: format!("Files {} and {} differ\n", a.name, b.name),
            stderr: String::new(),
            code: 1,
            stderr_after: Vec::new(),
        };
    }
    let mut ops = ops;
    if newline_differs {
        mark_last_changed(&mut ops, a.lines.len(), b.lines.len());
    }
    let text = match context {
        Some(n) => unified(&a, &b, &ops, n),
        None => normal(&a, &b, &ops),
    };
    Output {
        stdout: text,
        stderr: String::new(),
        code: 1,
        stderr_after: Vec::new(),
    }
}

/// One step of the edit script, with 0-based line indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same(usize, usize),
    Del(usize),
    Ins(usize),
}

/// An LCS edit script (deletions before insertions within a change).
fn edit_script(a: &[String], b: &[String]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let am = &a[prefix..a.len() - suffix];
    let bm = &b[prefix..b.len() - suffix];
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Same(i, i)).collect();
    let (n, m) = (am.len(), bm.len());
    if n.saturating_mul(m) <= 4_000_000 {
        // table[i][j] = LCS length of am[i..] and bm[j..].
        let width = m + 1;
        let mut table = vec![0u32; (n + 1) * width];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                table[i * width + j] = if am[i] == bm[j] {
                    table[(i + 1) * width + j + 1] + 1
                } else {
                    table[(i + 1) * width + j].max(table[i * width + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Same(prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if j >= m || (i < n && table[(i + 1) * width + j] >= table[i * width + j + 1]) {
                ops.push(Op::Del(prefix + i));
                i += 1;
            } else {
                ops.push(Op::Ins(prefix + j));
                j += 1;
            }
        }
    } else {
        // Too large to align here: report the middle as replaced wholesale.
        ops.extend((0..n).map(|i| Op::Del(prefix + i)));
        ops.extend((0..m).map(|j| Op::Ins(prefix + j)));
    }
    ops.extend((0..suffix).map(|k| Op::Same(a.len() - suffix + k, b.len() - suffix + k)));
    ops
}

/// When only the final newline differs, the last lines count as changed.
fn mark_last_changed(ops: &mut Vec<Op>, a_len: usize, b_len: usize) {
    if let Some(pos) = ops
        .iter()
        .rposition(|op| matches!(op, Op::Same(i, j) if *i + 1 == a_len && *j + 1 == b_len))
    {
        if let Op::Same(i, j) = ops[pos] {
            ops.splice(pos..=pos, [Op::Del(i), Op::Ins(j)]);
        }
    }
}

/// Groups the script into changes: runs of Del/Ins between Sames.
fn changes(ops: &[Op]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        if matches!(ops[i], Op::Same(_, _)) {
            i += 1;
            continue;
        }
        let start = i;
        while i < ops.len() && !matches!(ops[i], Op::Same(_, _)) {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

fn line_out(out: &mut String, prefix: &str, input: &Input, idx: usize) {
    out.push_str(prefix);
    out.push_str(&input.lines[idx]);
    out.push('\n');
    if idx + 1 == input.lines.len() && !input.final_newline {
        out.push_str("\\ No newline at end of file\n");
    }
}

/// The position (0-based) in each file where op `k` sits.
fn positions(ops: &[Op], k: usize) -> (usize, usize) {
    let mut a = 0;
    let mut b = 0;
    for op in &ops[..k] {
        match op {
            Op::Same(_, _) => {
                a += 1;
                b += 1;
            }
            Op::Del(_) => a += 1,
            Op::Ins(_) => b += 1,
        }
    }
    (a, b)
}

fn range(start: usize, count: usize) -> String {
    // Normal format: "3" or "3,5"; an empty range names the line before.
    match count {
        0 => start.to_string(),
        1 => (start + 1).to_string(),
        n => format!("{},{}", start + 1, start + n),
    }
}

fn normal(a: &Input, b: &Input, ops: &[Op]) -> String {
    let mut out = String::new();
    for (s, e) in changes(ops) {
        let dels: Vec<usize> = ops[s..e]
            .iter()
            .filter_map(|op| match op {
                Op::Del(i) => Some(*i),
                _ => None,
            })
            .collect();
        let ins: Vec<usize> = ops[s..e]
            .iter()
            .filter_map(|op| match op {
                Op::Ins(j) => Some(*j),
                _ => None,
            })
            .collect();
        let (pa, pb) = positions(ops, s);
        let letter = match (dels.is_empty(), ins.is_empty()) {
            (false, false) => 'c',
            (false, true) => 'd',
            _ => 'a',
        };
        out.push_str(&format!(
            "{}{letter}{}\n",
            range(pa, dels.len()),
            range(pb, ins.len())
        ));
        for &i in &dels {
            line_out(&mut out, "< ", a, i);
        }
        if letter == 'c' {
            out.push_str("---\n");
        }
        for &j in &ins {
            line_out(&mut out, "> ", b, j);
        }
    }
    out
}

fn unified_range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => (start + 1).to_string(),
        n => format!("{},{n}", start + 1),
    }
}

fn unified(a: &Input, b: &Input, ops: &[Op], context: usize) -> String {
    let mut out = format!("--- {}\t{}\n+++ {}\t{}\n", a.name, a.stamp, b.name, b.stamp);
    let groups = changes(ops);
    let mut g = 0;
    while g < groups.len() {
        // Merge changes whose gap is at most twice the context.
        let first = groups[g];
        let mut last = first;
        while g + 1 < groups.len() && groups[g + 1].0 - last.1 <= 2 * context {
            g += 1;
            last = groups[g];
        }
        g += 1;
        let start = first.0.saturating_sub(context);
        let end = (last.1 + context).min(ops.len());
        // Don't let leading context reach into non-Same ops (it cannot, by construction).
        let (pa, pb) = positions(ops, start);
        let mut a_count = 0;
        let mut b_count = 0;
        for op in &ops[start..end] {
            match op {
                Op::Same(_, _) => {
                    a_count += 1;
                    b_count += 1;
                }
                Op::Del(_) => a_count += 1,
                Op::Ins(_) => b_count += 1,
            }
        }
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            unified_range(pa, a_count),
            unified_range(pb, b_count)
        ));
        for op in &ops[start..end] {
            match *op {
                Op::Same(i, _) => line_out(&mut out, " ", a, i),
                Op::Del(i) => line_out(&mut out, "-", a, i),
                Op::Ins(j) => line_out(&mut out, "+", b, j),
            }
        }
    }
    out
}
