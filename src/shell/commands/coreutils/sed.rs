//! `sed`, after GNU sed 4.9 (`sed/compile.c`, `sed/execute.c`): `-n -e -f -E/-r -s
//! -i[SUFFIX] -z`, addresses (`N`, `$`, `/re/I`, `\cREc`, `first~step`, `addr,+N`,
//! `addr,~N`, `0,/re/`, `!`), and the commands `s y d D p P q Q a i c = n N h H g G x b t T
//! : { } l z F r w #`.
//!
//! `sed -i` writes the new content to a temporary file `sedXXXXXX` (six characters from
//! `[A-Za-z0-9]`, drawn from the simulation's generator) in the file's directory, gives it
//! the file's mode and renames it over the file, as GNU sed does, so an inotify watch on
//! the directory sees CREATE, CHMOD, WRITE, RENAME and CREATE.
//!
//! Deviations: `e` and `R`/`W` are not offered (no processes, no extra descriptors); regular
//! expressions have the limits described in `regex.rs`.

use regex_lite::{Captures, Regex};

use crate::node::fs::{FsError, WriteMode};
use crate::shell::io::{FsContext, Output};

use super::common::{abs, getopt, long, version_of, HasArg, Long, Spec, HELP, VERSION};
use super::regex::{self, Flavor, Options, RegexError};

const DEBUG: char = '\u{F000}';
const POSIX: char = '\u{F001}';
const SANDBOX: char = '\u{F002}';
const FOLLOW: char = '\u{F003}';

const LONGS: &[Long] = &[
    long("binary", HasArg::No, 'b'),
    long("regexp-extended", HasArg::No, 'r'),
    long("debug", HasArg::No, DEBUG),
    long("expression", HasArg::Required, 'e'),
    long("file", HasArg::Required, 'f'),
    long("in-place", HasArg::Optional, 'i'),
    long("line-length", HasArg::Required, 'l'),
    long("null-data", HasArg::No, 'z'),
    long("zero-terminated", HasArg::No, 'z'),
    long("quiet", HasArg::No, 'n'),
    long("posix", HasArg::No, POSIX),
    long("silent", HasArg::No, 'n'),
    long("sandbox", HasArg::No, SANDBOX),
    long("separate", HasArg::No, 's'),
    long("unbuffered", HasArg::No, 'u'),
    long("follow-symlinks", HasArg::No, FOLLOW),
];

const SPEC: Spec = Spec {
    short: "bsnrzuEe:f:l:i::",
    long: LONGS,
};

const USAGE: &str = "\
Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
";

const EXIT_BAD_USAGE: i32 = 1;
const EXIT_BAD_INPUT: i32 = 2;
const EXIT_PANIC: i32 = 4;

/// Runs `sed`.
pub(super) fn sed(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    let args = match getopt(argv, &SPEC) {
        Ok(args) => args,
        Err(err) => return Output::err(format!("{}{}", err.line("sed"), usage_tail()), 1),
    };
    let mut quiet = false;
    let mut extended = false;
    let mut separate = false;
    let mut in_place: Option<String> = None;
    let mut null_data = false;
    let mut line_len: usize = 70;
    let mut scripts: Vec<Source> = Vec::new();
    for (id, value) in &args.opts {
        let value = value.clone().unwrap_or_default();
        match id {
            'n' => quiet = true,
            'E' | 'r' => extended = true,
            's' => separate = true,
            'z' => null_data = true,
            'i' => {
                separate = true;
                in_place = Some(value);
            }
            'l' => line_len = value.trim().parse().unwrap_or(70),
            'e' => scripts.push(Source::Expr(value)),
            'f' => {
                let text = if value == "-" {
                    Ok(stdin.to_string())
                } else {
                    ctx.fs.read_to_string(&abs(ctx, &value))
                };
                match text {
                    Ok(mut text) => {
                        if text.ends_with('\n') {
                            text.pop();
                        }
                        scripts.push(Source::File(value, text));
                    }
                    Err(err) => {
                        return Output::err(
                            format!("sed: couldn't open file {value}: {err}\n"),
                            EXIT_PANIC,
                        )
                    }
                }
            }
            &HELP => {
                return Output::ok(format!(
                    "{USAGE}E-mail bug reports to: <bug-sed@gnu.org>.\n"
                ))
            }
            &VERSION => return sed_version(),
            _ => {}
        }
    }
    let mut operands = args.operands.clone();
    if scripts.is_empty() {
        if operands.is_empty() {
            return Output::err(usage_tail(), EXIT_BAD_USAGE);
        }
        scripts.push(Source::Expr(operands.remove(0)));
    }
    let flavor = if extended {
        Flavor::Extended
    } else {
        Flavor::Basic
    };
    let program = match compile(&scripts, flavor) {
        Ok(program) => program,
        Err(err) => return Output::err(format!("sed: {err}\n"), err_code(&err)),
    };
    let mut exec = Exec {
        program,
        quiet,
        line_len,
        delimiter: if null_data { '\0' } else { '\n' },
        out: Output::default(),
        hold: String::new(),
        last_regex: None,
        w_files: Vec::new(),
        quit: None,
        bad_input: false,
        panic: None,
        work: 0,
    };
    exec.run(ctx, &operands, stdin, separate, in_place.as_deref());
    // Files named by `w` are written once, at the end, in the order first named.
    let w_files = std::mem::take(&mut exec.w_files);
    for (name, content) in w_files {
        match name.as_str() {
            "/dev/stdout" => exec.out.stdout.push_str(&content),
            "/dev/stderr" => exec.out.stderr.push_str(&content),
            _ => {
                let path = abs(ctx, &name);
                if let Err(err) =
                    ctx.fs
                        .write(ctx.now, &path, content.as_bytes(), WriteMode::Truncate)
                {
                    exec.out
                        .stderr
                        .push_str(&format!("sed: couldn't open file {name}: {err}\n"));
                    exec.out.code = EXIT_PANIC;
                    return exec.out;
                }
            }
        }
    }
    let mut out = exec.out;
    if let Some(msg) = exec.panic {
        out.stderr.push_str(&format!("sed: {msg}\n"));
        out.code = EXIT_PANIC;
        return out;
    }
    out.code = if exec.bad_input {
        EXIT_BAD_INPUT
    } else {
        exec.quit.unwrap_or(0)
    };
    out
}

fn usage_tail() -> String {
    USAGE.to_string()
}

fn sed_version() -> Output {
    let mut out = version_of(
        "sed",
        "GNU sed",
        "4.9",
        "2022",
        &[
            "Jay Fenlason",
            "Tom Lord",
            "Ken Pizzini",
            "Paolo Bonzini",
            "Jim Meyering",
            "Assaf Gordon",
        ],
    );
    out.stdout = out.stdout.replacen(
        "sed (GNU sed) 4.9\n",
        "sed (GNU sed) 4.9\nPackaged by Debian\n",
        1,
    );
    out.stdout.push_str(
        "\nThis sed program was built with SELinux support.\n\
         SELinux is disabled on this system.\n\n\
         GNU sed home page: <https://www.gnu.org/software/sed/>.\n\
         General help using GNU software: <https://www.gnu.org/gethelp/>.\n\
         E-mail bug reports to: <bug-sed@gnu.org>.\n",
    );
    out
}

/// Where a piece of script came from, for error messages.
enum Source {
    Expr(String),
    File(String, String),
}

/// A compile error: GNU's `bad_prog` text (position included) or a `panic`.
#[derive(Debug)]
enum CompileError {
    Prog(String),
    Panic(String),
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompileError::Prog(s) | CompileError::Panic(s) => f.write_str(s),
        }
    }
}

fn err_code(err: &CompileError) -> i32 {
    match err {
        CompileError::Prog(_) => EXIT_BAD_USAGE,
        CompileError::Panic(_) => EXIT_PANIC,
    }
}

// ---------------------------------------------------------------------------------------
// The compiled program.
// ---------------------------------------------------------------------------------------

/// A regular expression as written: `None` is the empty one, meaning "the last one used".
#[derive(Debug, Clone)]
struct Re {
    regex: Option<Regex>,
}

#[derive(Debug, Clone)]
enum Addr {
    Line(u64),
    Last,
    Regex(Re),
    /// `first~step`.
    Mod(u64, u64),
    /// `addr1,+N` (second address only); `end` is set when the range starts.
    Plus(u64),
    /// `addr1,~N` (second address only).
    Tilde(u64),
    /// `+0` / `~0`: ends the range on the next line.
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Range {
    Inactive,
    Active,
    Closed,
}

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Group(usize),
    /// `\U`, `\L`, `\E`, `\u`, `\l`.
    Case(char),
}

#[derive(Debug, Clone)]
struct Subst {
    re: Re,
    replacement: Vec<Piece>,
    global: bool,
    print: bool,
    nth: u64,
    write: Option<String>,
}

#[derive(Debug, Clone)]
enum Kind {
    Block(usize),
    EndBlock,
    Subst(Box<Subst>),
    Translit(Vec<(char, char)>),
    Delete,
    DeleteFirst,
    Print,
    PrintFirst,
    Quit(i32),
    QuitSilent(i32),
    Append(String),
    Insert(String),
    Change(String),
    LineNumber,
    FileName,
    List(Option<usize>),
    Next,
    NextAppend,
    Hold,
    HoldAppend,
    Get,
    GetAppend,
    Exchange,
    Zap,
    Label,
    Branch(Option<usize>),
    BranchIfSub(Option<usize>),
    BranchUnlessSub(Option<usize>),
    ReadFile(String),
    WriteFile(String),
}

#[derive(Debug, Clone)]
struct Cmd {
    a1: Option<Addr>,
    a2: Option<Addr>,
    bang: bool,
    kind: Kind,
    /// Set for `0,/re/`, whose range is active before the first line.
    zero_start: bool,
}

/// The compiler's cursor over one script, counting characters as sed's `prog.cur` does.
struct Cursor {
    chars: Vec<char>,
    pos: usize,
    /// Set when the last `next` found no character left (sed's EOF).
    past_end: bool,
    expr_no: usize,
    file: Option<String>,
}

const EOF: char = '\u{0}';

impl Cursor {
    fn next(&mut self) -> char {
        match self.chars.get(self.pos) {
            Some(&c) => {
                self.pos += 1;
                self.past_end = false;
                c
            }
            None => {
                self.past_end = true;
                EOF
            }
        }
    }

    /// sed's `savchar`: puts back what `next` returned (nothing at the end).
    fn back(&mut self, _c: char) {
        if !self.past_end && self.pos > 0 {
            self.pos -= 1;
        }
    }

    fn nonblank(&mut self) -> char {
        loop {
            let c = self.next();
            if c != ' ' && c != '\t' {
                return c;
            }
        }
    }

    fn bad(&self, why: &str) -> CompileError {
        match &self.file {
            Some(name) => {
                let line = self.chars[..self.pos.min(self.chars.len())]
                    .iter()
                    .filter(|&&c| c == '\n')
                    .count()
                    + 1;
                CompileError::Prog(format!("file {name} line {line}: {why}"))
            }
            None => CompileError::Prog(format!(
                "-e expression #{}, char {}: {why}",
                self.expr_no, self.pos
            )),
        }
    }

    fn number(&mut self, first: char) -> u64 {
        let mut n: u64 = first.to_digit(10).unwrap_or(0) as u64;
        loop {
            let c = self.next();
            match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => n = n.saturating_mul(10).saturating_add(d as u64),
                _ => {
                    self.back(c);
                    return n;
                }
            }
        }
    }

    /// sed's `read_end_of_cmd`.
    fn end_of_cmd(&mut self) -> Result<(), CompileError> {
        let c = self.nonblank();
        match c {
            '}' | '#' => {
                self.back(c);
                Ok(())
            }
            _ if self.past_end => Ok(()),
            '\n' | ';' => Ok(()),
            _ => Err(self.bad("extra characters after command")),
        }
    }

    /// sed's `match_slash`: the text up to an unescaped `delim`, or `None` if unterminated.
    fn slash(&mut self, delim: char, is_regex: bool) -> Option<String> {
        let mut buf = String::new();
        loop {
            let mut c = self.next();
            if self.past_end {
                return None;
            }
            if c == '\n' {
                self.back(c);
                return None;
            }
            if c == delim {
                return Some(buf);
            }
            if c == '\\' {
                c = self.next();
                if self.past_end {
                    return None;
                }
                if c != '\n' && (c != delim || (!is_regex && c == '&')) {
                    buf.push('\\');
                }
            } else if c == '[' && is_regex {
                // A bracket expression may hold the delimiter unescaped.
                buf.push(c);
                let mut first = true;
                loop {
                    let d = self.next();
                    if self.past_end {
                        return None;
                    }
                    if d == '\n' {
                        self.back(d);
                        return None;
                    }
                    buf.push(d);
                    if d == '^' && first {
                        continue;
                    }
                    if d == ']' && !first {
                        break;
                    }
                    if d == '[' && matches!(self.chars.get(self.pos), Some(':' | '.' | '=')) {
                        let kind = self.next();
                        buf.push(kind);
                        loop {
                            let e = self.next();
                            if self.past_end {
                                return None;
                            }
                            buf.push(e);
                            if e == kind && self.chars.get(self.pos) == Some(&']') {
                                buf.push(self.next());
                                break;
                            }
                        }
                    }
                    first = false;
                }
                continue;
            }
            buf.push(c);
        }
    }
}

/// Compiles every script piece into one program; blocks may span `-e` pieces.
fn compile(sources: &[Source], flavor: Flavor) -> Result<Vec<Cmd>, CompileError> {
    let mut cmds: Vec<Cmd> = Vec::new();
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut labels: Vec<(String, usize)> = Vec::new();
    let mut jumps: Vec<(usize, String)> = Vec::new();
    let mut expr_no = 0;
    for source in sources {
        let (text, file) = match source {
            Source::Expr(text) => {
                expr_no += 1;
                (text.clone(), None)
            }
            Source::File(name, text) => (text.clone(), Some(name.clone())),
        };
        let mut cur = Cursor {
            chars: text.chars().collect(),
            pos: 0,
            past_end: false,
            expr_no,
            file,
        };
        compile_piece(
            &mut cur,
            flavor,
            &mut cmds,
            &mut blocks,
            &mut labels,
            &mut jumps,
        )?;
    }
    if let Some(&(_, expr)) = blocks.last() {
        return Err(CompileError::Prog(format!(
            "-e expression #{expr}, char 0: unmatched `{{'"
        )));
    }
    for (idx, name) in jumps {
        let target = if name.is_empty() {
            None
        } else {
            match labels.iter().find(|(l, _)| *l == name) {
                Some(&(_, at)) => Some(at),
                None => {
                    return Err(CompileError::Panic(format!(
                        "can't find label for jump to `{name}'"
                    )))
                }
            }
        };
        if let Some(cmd) = cmds.get_mut(idx) {
            cmd.kind = match cmd.kind {
                Kind::Branch(_) => Kind::Branch(target),
                Kind::BranchIfSub(_) => Kind::BranchIfSub(target),
                Kind::BranchUnlessSub(_) => Kind::BranchUnlessSub(target),
                ref other => other.clone(),
            };
        }
    }
    Ok(cmds)
}

fn compile_piece(
    cur: &mut Cursor,
    flavor: Flavor,
    cmds: &mut Vec<Cmd>,
    blocks: &mut Vec<(usize, usize)>,
    labels: &mut Vec<(String, usize)>,
    jumps: &mut Vec<(usize, String)>,
) -> Result<(), CompileError> {
    loop {
        let mut c = cur.next();
        while !cur.past_end && (c == ';' || c.is_whitespace()) {
            c = cur.next();
        }
        if cur.past_end {
            return Ok(());
        }
        let mut a1 = None;
        let mut a2 = None;
        if let Some(addr) = address(cur, c, flavor)? {
            if matches!(addr, Addr::Plus(_) | Addr::Tilde(_)) {
                return Err(cur.bad("invalid usage of +N or ~N as first address"));
            }
            a1 = Some(addr);
            c = cur.nonblank();
            if c == ',' {
                let next = cur.nonblank();
                match address(cur, next, flavor)? {
                    Some(addr) => a2 = Some(addr),
                    None => return Err(cur.bad("unexpected `,'")),
                }
                c = cur.nonblank();
            }
            if matches!(a1, Some(Addr::Line(0)))
                && (a2.is_none() || !matches!(a2, Some(Addr::Regex(_))))
            {
                return Err(cur.bad("invalid usage of line address 0"));
            }
        }
        let mut bang = false;
        if c == '!' {
            bang = true;
            c = cur.nonblank();
            if c == '!' {
                return Err(cur.bad("multiple `!'s"));
            }
        }
        let zero_start = matches!(a1, Some(Addr::Line(0)));
        let has_addr = a1.is_some();
        let kind = match c {
            '#' => {
                if has_addr {
                    return Err(cur.bad("comments don't accept any addresses"));
                }
                while cur.next() != '\n' && !cur.past_end {}
                continue;
            }
            '{' => {
                blocks.push((cmds.len(), cur.expr_no));
                Kind::Block(0)
            }
            '}' => {
                let Some((open, _)) = blocks.pop() else {
                    return Err(cur.bad("unexpected `}'"));
                };
                if has_addr {
                    return Err(cur.bad("`}' doesn't want any addresses"));
                }
                cur.end_of_cmd()?;
                let here = cmds.len();
                if let Some(cmd) = cmds.get_mut(open) {
                    cmd.kind = Kind::Block(here);
                }
                Kind::EndBlock
            }
            'a' | 'i' | 'c' => {
                let mut d = cur.nonblank();
                if cur.past_end {
                    return Err(cur.bad("expected \\ after `a', `c' or `i'"));
                }
                let lead = if d == '\\' {
                    d = cur.next();
                    if cur.past_end {
                        None
                    } else {
                        Some(d)
                    }
                } else {
                    cur.back(d);
                    Some('\n')
                };
                let text = read_text(cur, lead);
                match c {
                    'a' => Kind::Append(text),
                    'i' => Kind::Insert(text),
                    _ => Kind::Change(text),
                }
            }
            ':' => {
                if has_addr {
                    return Err(cur.bad(": doesn't want any addresses"));
                }
                let label = read_label(cur);
                if label.is_empty() {
                    return Err(cur.bad("\":\" lacks a label"));
                }
                labels.push((label, cmds.len()));
                Kind::Label
            }
            'b' | 't' | 'T' => {
                let label = read_label(cur);
                jumps.push((cmds.len(), label));
                match c {
                    'b' => Kind::Branch(None),
                    't' => Kind::BranchIfSub(None),
                    _ => Kind::BranchUnlessSub(None),
                }
            }
            'q' | 'Q' | 'l' | 'L' => {
                if a2.is_some() && matches!(c, 'q' | 'Q') {
                    return Err(cur.bad("command only uses one address"));
                }
                let d = cur.nonblank();
                let arg = if d.is_ascii_digit() {
                    Some(cur.number(d))
                } else {
                    cur.back(d);
                    None
                };
                cur.end_of_cmd()?;
                let code = arg.map_or(0, |n| n.min(i32::MAX as u64) as i32);
                match c {
                    'q' => Kind::Quit(code),
                    'Q' => Kind::QuitSilent(code),
                    'l' => Kind::List(arg.map(|n| n as usize)),
                    _ => return Err(cur.bad("unknown command: `L'")),
                }
            }
            '=' | 'd' | 'D' | 'F' | 'g' | 'G' | 'h' | 'H' | 'n' | 'N' | 'p' | 'P' | 'z' | 'x' => {
                cur.end_of_cmd()?;
                match c {
                    '=' => Kind::LineNumber,
                    'd' => Kind::Delete,
                    'D' => Kind::DeleteFirst,
                    'F' => Kind::FileName,
                    'g' => Kind::Get,
                    'G' => Kind::GetAppend,
                    'h' => Kind::Hold,
                    'H' => Kind::HoldAppend,
                    'n' => Kind::Next,
                    'N' => Kind::NextAppend,
                    'p' => Kind::Print,
                    'P' => Kind::PrintFirst,
                    'z' => Kind::Zap,
                    _ => Kind::Exchange,
                }
            }
            'r' | 'w' => {
                let name = read_filename(cur);
                if name.is_empty() {
                    return Err(cur.bad("missing filename in r/R/w/W commands"));
                }
                if c == 'r' {
                    Kind::ReadFile(name)
                } else {
                    Kind::WriteFile(name)
                }
            }
            's' => {
                let delim = cur.next();
                if delim == '\n' || delim == '\\' || (cur.past_end) {
                    return Err(cur.bad("unterminated `s' command"));
                }
                let Some(pattern) = cur.slash(delim, true) else {
                    return Err(cur.bad("unterminated `s' command"));
                };
                let Some(rhs) = cur.slash(delim, false) else {
                    return Err(cur.bad("unterminated `s' command"));
                };
                let replacement = parse_replacement(&rhs);
                let mut sub = Subst {
                    re: Re { regex: None },
                    replacement,
                    global: false,
                    print: false,
                    nth: 0,
                    write: None,
                };
                let mut icase = false;
                let mut multiline = false;
                loop {
                    let d = cur.nonblank();
                    match d {
                        'i' | 'I' => icase = true,
                        'm' | 'M' => multiline = true,
                        'e' => return Err(cur.bad("unknown option to `s'")),
                        'p' => {
                            if sub.print {
                                return Err(cur.bad("multiple `p' options to `s' command"));
                            }
                            sub.print = true;
                        }
                        'g' => {
                            if sub.global {
                                return Err(cur.bad("multiple `g' options to `s' command"));
                            }
                            sub.global = true;
                        }
                        'w' => {
                            let name = read_filename(cur);
                            if name.is_empty() {
                                return Err(cur.bad("missing filename in r/R/w/W commands"));
                            }
                            sub.write = Some(name);
                            break;
                        }
                        '0'..='9' => {
                            if sub.nth != 0 {
                                return Err(cur.bad("multiple number options to `s' command"));
                            }
                            sub.nth = cur.number(d);
                            if sub.nth == 0 {
                                return Err(cur.bad("number option to `s' command may not be zero"));
                            }
                        }
                        '}' | '#' => {
                            cur.back(d);
                            break;
                        }
                        '\n' | ';' => break,
                        _ if cur.past_end => break,
                        _ => return Err(cur.bad("unknown option to `s'")),
                    }
                }
                let max_ref = sub
                    .replacement
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Group(n) => Some(*n),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0);
                sub.re = compile_re(cur, &pattern, flavor, icase, multiline)?;
                if let Some(re) = &sub.re.regex {
                    let groups = re.captures_len().saturating_sub(1);
                    if max_ref > groups {
                        return Err(cur.bad(&format!(
                            "invalid reference \\{max_ref} on `s' command's RHS"
                        )));
                    }
                }
                Kind::Subst(Box::new(sub))
            }
            'y' => {
                let delim = cur.next();
                let Some(src) = cur.slash(delim, false) else {
                    return Err(cur.bad("unterminated `y' command"));
                };
                let Some(dst) = cur.slash(delim, false) else {
                    return Err(cur.bad("unterminated `y' command"));
                };
                let src: Vec<char> = unescape_y(&src);
                let dst: Vec<char> = unescape_y(&dst);
                if src.len() != dst.len() {
                    return Err(cur.bad("strings for `y' command are different lengths"));
                }
                cur.end_of_cmd()?;
                Kind::Translit(src.into_iter().zip(dst).collect())
            }
            'v' => {
                let _ = read_label(cur);
                continue;
            }
            'e' | 'R' | 'W' => {
                return Err(cur.bad(&format!("unknown command: `{c}'")));
            }
            _ if cur.past_end => return Err(cur.bad("missing command")),
            other => return Err(cur.bad(&format!("unknown command: `{other}'"))),
        };
        cmds.push(Cmd {
            a1,
            a2,
            bang,
            kind,
            zero_start,
        });
    }
}

/// Parses an address starting with `c`, or returns `None` (nothing consumed but `c`).
fn address(cur: &mut Cursor, c: char, flavor: Flavor) -> Result<Option<Addr>, CompileError> {
    if c == '/' || c == '\\' {
        let delim = if c == '\\' { cur.next() } else { c };
        let Some(pattern) = cur.slash(delim, true) else {
            return Err(cur.bad("unterminated address regex"));
        };
        let mut icase = false;
        let mut multiline = false;
        loop {
            let d = cur.nonblank();
            match d {
                'I' => icase = true,
                'M' => multiline = true,
                _ => {
                    cur.back(d);
                    break;
                }
            }
        }
        return Ok(Some(Addr::Regex(compile_re(
            cur, &pattern, flavor, icase, multiline,
        )?)));
    }
    if c.is_ascii_digit() {
        let n = cur.number(c);
        let d = cur.nonblank();
        if d != '~' {
            cur.back(d);
            return Ok(Some(Addr::Line(n)));
        }
        let e = cur.nonblank();
        let step = if e.is_ascii_digit() {
            cur.number(e)
        } else {
            cur.back(e);
            0
        };
        return Ok(Some(if step > 0 {
            Addr::Mod(n, step)
        } else {
            Addr::Line(n)
        }));
    }
    if c == '+' || c == '~' {
        let e = cur.nonblank();
        let step = if e.is_ascii_digit() {
            cur.number(e)
        } else {
            cur.back(e);
            0
        };
        return Ok(Some(match (c, step) {
            (_, 0) => Addr::Null,
            ('+', n) => Addr::Plus(n),
            (_, n) => Addr::Tilde(n),
        }));
    }
    if c == '$' {
        return Ok(Some(Addr::Last));
    }
    Ok(None)
}

/// Compiles a sed regex; the empty one means "the last regex used" at run time.
fn compile_re(
    cur: &Cursor,
    pattern: &str,
    flavor: Flavor,
    icase: bool,
    multiline: bool,
) -> Result<Re, CompileError> {
    if pattern.is_empty() {
        if icase || multiline {
            return Err(cur.bad("cannot specify modifiers on empty regexp"));
        }
        return Ok(Re { regex: None });
    }
    let opts = Options {
        flavor,
        icase,
        c_escapes: true,
        multiline,
    };
    let normalized = normalize_escapes(pattern, true);
    match regex::compile(&normalized, opts) {
        Ok(re) => Ok(Re { regex: Some(re) }),
        Err(err @ RegexError::Posix(_)) => Err(cur.bad(&err.message())),
        Err(err) => Err(cur.bad(&err.message())),
    }
}

/// GNU sed's `normalize_text`: `\n \t \a \f \v \r \dNNN \oNNN \xHH \cX` become the
/// characters they name; other escapes are kept for the regex (or dropped in text).
fn normalize_escapes(text: &str, keep_other: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '\\' || i + 1 >= chars.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = chars[i + 1];
        i += 2;
        let numeric = |radix: u32, max: usize, i: &mut usize| -> Option<char> {
            let mut digits = String::new();
            while digits.len() < max && *i < chars.len() && chars[*i].is_digit(radix) {
                digits.push(chars[*i]);
                *i += 1;
            }
            u32::from_str_radix(&digits, radix)
                .ok()
                .and_then(char::from_u32)
        };
        let produced = match e {
            'a' => Some('\u{7}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            'd' => numeric(10, 3, &mut i),
            'o' => numeric(8, 3, &mut i),
            'x' => numeric(16, 2, &mut i),
            'c' if i < chars.len() => {
                let x = chars[i].to_ascii_uppercase();
                i += 1;
                char::from_u32((x as u32) ^ 0x40)
            }
            _ => None,
        };
        match produced {
            // A produced character that is special to the regex stays literal.
            Some(ch) if keep_other && "^$.*[]\\+?(){}|/".contains(ch) => {
                out.push('\\');
                out.push(ch);
            }
            Some(ch) => out.push(ch),
            None if keep_other => {
                out.push('\\');
                out.push(e);
            }
            None => out.push(e),
        }
    }
    out
}

fn unescape_y(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            out.push(match chars[i + 1] {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                other => other,
            });
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// sed's `read_text` for `a`, `i` and `c`: the rest of the line (backslash-newline
/// continues it), with escapes processed and a final newline.
fn read_text(cur: &mut Cursor, lead: Option<char>) -> String {
    let mut raw = String::new();
    let Some(lead) = lead else {
        return String::new();
    };
    if lead != '\n' {
        raw.push(lead);
    }
    loop {
        let c = cur.next();
        if (cur.past_end) || c == '\n' {
            break;
        }
        if c == '\\' {
            let d = cur.next();
            if cur.past_end {
                break;
            }
            raw.push('\\');
            raw.push(d);
            continue;
        }
        raw.push(c);
    }
    // One-liner `a text`: leading whitespace was skipped; `a\` + newline keeps it.
    let mut text = normalize_escapes(&raw, false);
    text.push('\n');
    text
}

fn read_label(cur: &mut Cursor) -> String {
    let mut label = String::new();
    let mut c = cur.nonblank();
    while !(cur.past_end) && c != '\n' && c != ' ' && c != '\t' && c != ';' && c != '}' && c != '#'
    {
        label.push(c);
        c = cur.next();
    }
    cur.back(c);
    label
}

fn read_filename(cur: &mut Cursor) -> String {
    let mut name = String::new();
    let mut c = cur.nonblank();
    while !(cur.past_end) && c != '\n' {
        name.push(c);
        c = cur.next();
    }
    name
}

/// sed's `setup_replacement`: `&`, `\0`-`\9`, `\n`, case conversions, other `\X` as X.
fn parse_replacement(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    let flush = |lit: &mut String, pieces: &mut Vec<Piece>| {
        if !lit.is_empty() {
            pieces.push(Piece::Text(std::mem::take(lit)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '&' => {
                flush(&mut lit, &mut pieces);
                pieces.push(Piece::Group(0));
            }
            '\\' if i < chars.len() => {
                let e = chars[i];
                i += 1;
                match e {
                    '0'..='9' => {
                        flush(&mut lit, &mut pieces);
                        pieces.push(Piece::Group(e as usize - '0' as usize));
                    }
                    'L' | 'U' | 'E' | 'l' | 'u' => {
                        flush(&mut lit, &mut pieces);
                        pieces.push(Piece::Case(e));
                    }
                    'n' => lit.push('\n'),
                    't' => lit.push('\t'),
                    'r' => lit.push('\r'),
                    'a' => lit.push('\u{7}'),
                    'f' => lit.push('\u{c}'),
                    'v' => lit.push('\u{b}'),
                    other => lit.push(other),
                }
            }
            other => lit.push(other),
        }
    }
    flush(&mut lit, &mut pieces);
    pieces
}

// ---------------------------------------------------------------------------------------
// Execution.
// ---------------------------------------------------------------------------------------

/// One input line and whether it ended with the delimiter.
struct Line {
    text: String,
    chomped: bool,
}

/// An input stream: the lines of one or more files, read in order.
struct Stream {
    lines: Vec<Line>,
    /// For each line, the name of the file it came from (for `F`).
    names: Vec<String>,
    next: usize,
}

/// Where output goes, remembering a missing final newline as sed's `struct output` does.
#[derive(Default)]
struct Sink {
    text: String,
    missing_newline: bool,
}

impl Sink {
    fn line(&mut self, text: &str, newline: bool, delim: char) {
        if self.missing_newline {
            self.text.push(delim);
            self.missing_newline = false;
        }
        self.text.push_str(text);
        if newline {
            self.text.push(delim);
        } else {
            self.missing_newline = true;
        }
    }

    fn raw(&mut self, text: &str, delim: char) {
        if self.missing_newline {
            self.text.push(delim);
            self.missing_newline = false;
        }
        self.text.push_str(text);
    }
}

struct Exec {
    program: Vec<Cmd>,
    quiet: bool,
    line_len: usize,
    delimiter: char,
    out: Output,
    hold: String,
    last_regex: Option<Regex>,
    w_files: Vec<(String, String)>,
    quit: Option<i32>,
    bad_input: bool,
    panic: Option<String>,
    /// Bytes copied or scanned so far, against [`WORK_LIMIT`].
    work: u64,
}

/// How much copying and scanning one `sed` run may do before the playground stops it, so
/// a script like `:a;s/x/xx/;ta` cannot freeze the page.
const WORK_LIMIT: u64 = 64 << 20;

/// The per-stream execution state.
struct State {
    ranges: Vec<Range>,
    range_end: Vec<u64>,
    line_no: u64,
    pattern: String,
    chomped: bool,
    replaced: bool,
    append: Vec<Appended>,
}

enum Appended {
    Text(String),
    File(String),
}

impl Exec {
    fn run(
        &mut self,
        ctx: &mut FsContext<'_>,
        operands: &[String],
        stdin: &str,
        separate: bool,
        in_place: Option<&str>,
    ) {
        let files: Vec<String> = if operands.is_empty() {
            if in_place.is_some() {
                self.panic = Some("no input files".to_string());
                return;
            }
            vec!["-".to_string()]
        } else {
            operands.to_vec()
        };
        let mut stdout = Sink::default();
        if !separate {
            let mut stream = Stream {
                lines: Vec::new(),
                names: Vec::new(),
                next: 0,
            };
            for name in &files {
                match self.load(ctx, name, stdin, false) {
                    Ok(text) => self.push_lines(&mut stream, name, &text),
                    Err(Some(msg)) => {
                        // A read error stops sed where it happens.
                        self.process(ctx, &mut stream, &mut stdout);
                        self.out.stdout.push_str(&stdout.text);
                        self.panic = Some(msg);
                        return;
                    }
                    Err(None) => {}
                }
            }
            self.process(ctx, &mut stream, &mut stdout);
            self.out.stdout.push_str(&stdout.text);
            return;
        }
        for name in &files {
            if self.quit.is_some() {
                break;
            }
            let text = match self.load(ctx, name, stdin, in_place.is_some()) {
                Ok(text) => text,
                Err(Some(msg)) => {
                    self.out.stdout.push_str(&stdout.text);
                    self.panic = Some(msg);
                    return;
                }
                Err(None) => continue,
            };
            let mut stream = Stream {
                lines: Vec::new(),
                names: Vec::new(),
                next: 0,
            };
            self.push_lines(&mut stream, name, &text);
            self.hold.clear();
            match in_place {
                Some(suffix) if name != "-" => {
                    let mut sink = Sink::default();
                    self.process(ctx, &mut stream, &mut sink);
                    if let Err(msg) = self.replace_file(ctx, name, &sink.text, suffix) {
                        self.out.stdout.push_str(&stdout.text);
                        self.panic = Some(msg);
                        return;
                    }
                }
                _ => {
                    self.process(ctx, &mut stream, &mut stdout);
                }
            }
        }
        self.out.stdout.push_str(&stdout.text);
    }

    /// Reads one input; `Err(None)` is "can't read" (reported, sed goes on), `Err(Some)`
    /// a panic that stops sed.
    fn load(
        &mut self,
        ctx: &FsContext<'_>,
        name: &str,
        stdin: &str,
        in_place: bool,
    ) -> Result<String, Option<String>> {
        if name == "-" && !in_place {
            return Ok(stdin.to_string());
        }
        let path = abs(ctx, name);
        let meta = if name.is_empty() {
            Err(FsError::NotFound)
        } else {
            ctx.fs.stat(&path)
        };
        match meta {
            Err(err) => {
                self.out
                    .stderr
                    .push_str(&format!("sed: can't read {name}: {err}\n"));
                self.bad_input = true;
                Err(None)
            }
            Ok(meta) if in_place && !meta.is_file() => {
                Err(Some(format!("couldn't edit {name}: not a regular file")))
            }
            Ok(meta) if meta.is_dir() => Err(Some(format!("read error on {name}: Is a directory"))),
            Ok(_) => Ok(ctx.fs.read_to_string(&path).unwrap_or_default()),
        }
    }

    fn push_lines(&self, stream: &mut Stream, name: &str, text: &str) {
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find(self.delimiter) {
                Some(pos) => {
                    stream.lines.push(Line {
                        text: rest[..pos].to_string(),
                        chomped: true,
                    });
                    rest = &rest[pos + self.delimiter.len_utf8()..];
                }
                None => {
                    stream.lines.push(Line {
                        text: rest.to_string(),
                        chomped: false,
                    });
                    rest = "";
                }
            }
            stream.names.push(name.to_string());
        }
    }

    /// GNU sed's in-place dance: a temporary `sedXXXXXX` beside the file, given the
    /// file's mode, filled, then renamed over the original (after an optional backup).
    fn replace_file(
        &mut self,
        ctx: &mut FsContext<'_>,
        name: &str,
        content: &str,
        suffix: &str,
    ) -> Result<(), String> {
        let target = abs(ctx, name);
        let dir = crate::node::fs::normalize(&target, "..");
        let dir_shown = match name.rfind('/') {
            Some(pos) => name[..pos].to_string(),
            None => ".".to_string(),
        };
        let mode = ctx.fs.stat(&target).map(|m| m.mode).unwrap_or(0o644);
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut tmp_name = String::new();
        let mut tmp = String::new();
        for _ in 0..100 {
            tmp_name = (0..6)
                .map(|_| ALPHABET[ctx.rng.below(ALPHABET.len() as u64) as usize] as char)
                .collect();
            tmp = super::common::join(&dir, &format!("sed{tmp_name}"));
            if ctx.fs.lstat(&tmp).is_err() {
                break;
            }
        }
        // mkstemp: O_CREAT|O_EXCL, nothing written yet.
        if let Err(err) = ctx.fs.write(ctx.now, &tmp, b"", WriteMode::Truncate) {
            return Err(format!(
                "couldn't open temporary file {dir_shown}/sed{tmp_name}: {err}"
            ));
        }
        // fchown and copy_acl (fchmod) to the original's owner and mode.
        let _ = ctx.fs.chmod(ctx.now, &tmp, mode);
        let _ = ctx
            .fs
            .write(ctx.now, &tmp, content.as_bytes(), WriteMode::Append);
        if !suffix.is_empty() {
            let base = super::common::base_name(name);
            let backup_name = if suffix.contains('*') {
                suffix.replace('*', base)
            } else {
                format!("{base}{suffix}")
            };
            let backup = if backup_name.contains('/') {
                abs(ctx, &backup_name)
            } else {
                super::common::join(&dir, &backup_name)
            };
            if let Err(err) = ctx.fs.rename(ctx.now, &target, &backup) {
                return Err(format!("cannot rename {name}: {err}"));
            }
        }
        if let Err(err) = ctx.fs.rename(ctx.now, &tmp, &target) {
            return Err(format!("cannot rename {dir_shown}/sed{tmp_name}: {err}"));
        }
        Ok(())
    }

    fn process(&mut self, ctx: &mut FsContext<'_>, stream: &mut Stream, sink: &mut Sink) {
        let n = self.program.len();
        let mut st = State {
            ranges: self
                .program
                .iter()
                .map(|c| {
                    if c.zero_start {
                        Range::Active
                    } else {
                        Range::Inactive
                    }
                })
                .collect(),
            range_end: vec![0; n],
            line_no: 0,
            pattern: String::new(),
            chomped: true,
            replaced: false,
            append: Vec::new(),
        };
        while self.quit.is_none() && self.panic.is_none() {
            if !self.read_line(ctx, stream, &mut st, sink, false) {
                break;
            }
            self.cycle(ctx, stream, &mut st, sink);
        }
        self.dump_append(ctx, &mut st, sink);
    }

    /// Reads the next line into the pattern space (appending with `N`); false at the end.
    fn read_line(
        &mut self,
        ctx: &mut FsContext<'_>,
        stream: &mut Stream,
        st: &mut State,
        sink: &mut Sink,
        append: bool,
    ) -> bool {
        self.dump_append(ctx, st, sink);
        st.replaced = false;
        let Some(line) = stream.lines.get(stream.next) else {
            return false;
        };
        if append {
            st.pattern.push_str(&line.text);
        } else {
            st.pattern = line.text.clone();
        }
        st.chomped = line.chomped;
        stream.next += 1;
        st.line_no += 1;
        true
    }

    fn dump_append(&mut self, ctx: &FsContext<'_>, st: &mut State, sink: &mut Sink) {
        for item in std::mem::take(&mut st.append) {
            match item {
                Appended::Text(text) => sink.raw(&text, self.delimiter),
                Appended::File(name) => {
                    let data = if name == "/dev/stdin" {
                        Ok(String::new())
                    } else {
                        ctx.fs.read_to_string(&abs(ctx, &name))
                    };
                    if let Ok(data) = data {
                        sink.raw(&data, self.delimiter);
                    }
                }
            }
        }
    }

    fn is_last(stream: &Stream) -> bool {
        stream.next >= stream.lines.len()
    }

    fn match_one(&mut self, addr: &Addr, st: &State, stream: &Stream) -> bool {
        match addr {
            Addr::Line(n) => *n == st.line_no,
            Addr::Last => Self::is_last(stream),
            Addr::Mod(first, step) => {
                st.line_no >= *first && (st.line_no - first).is_multiple_of((*step).max(1))
            }
            Addr::Regex(re) => self.regex_match(re, &st.pattern),
            Addr::Plus(_) | Addr::Tilde(_) | Addr::Null => true,
        }
    }

    fn regex_match(&mut self, re: &Re, text: &str) -> bool {
        match self.regex_for(re) {
            Some(regex) => regex.is_match(text),
            None => false,
        }
    }

    /// The regex to use: the given one (remembered as the last used) or the last one.
    fn regex_for(&mut self, re: &Re) -> Option<Regex> {
        match &re.regex {
            Some(regex) => {
                self.last_regex = Some(regex.clone());
                Some(regex.clone())
            }
            None => {
                if self.last_regex.is_none() && self.panic.is_none() {
                    self.panic = Some("no previous regular expression".to_string());
                }
                self.last_regex.clone()
            }
        }
    }

    /// sed's `match_address_p`, with the range bookkeeping.
    fn selected(&mut self, idx: usize, st: &mut State, stream: &Stream) -> bool {
        let cmd = self.program[idx].clone();
        let Some(a1) = &cmd.a1 else {
            return true;
        };
        let Some(a2) = &cmd.a2 else {
            return self.match_one(a1, st, stream);
        };
        if st.ranges[idx] != Range::Active {
            if let Addr::Line(n) = a1 {
                if st.ranges[idx] == Range::Closed || st.line_no < *n {
                    return false;
                }
            } else if !self.match_one(a1, st, stream) {
                return false;
            }
            st.ranges[idx] = Range::Active;
            return match a2 {
                Addr::Regex(_) => true,
                Addr::Line(end) => {
                    if st.line_no >= *end {
                        st.ranges[idx] = Range::Closed;
                    }
                    st.line_no <= *end || self.match_one(a1, st, stream)
                }
                Addr::Plus(step) => {
                    st.range_end[idx] = st.line_no + step;
                    true
                }
                Addr::Tilde(step) => {
                    // The next multiple of N after this line ends the range.
                    let step = (*step).max(1);
                    st.range_end[idx] = st.line_no + step - (st.line_no % step);
                    true
                }
                Addr::Null => {
                    st.ranges[idx] = Range::Inactive;
                    true
                }
                _ => true,
            };
        }
        match a2 {
            Addr::Line(end) => {
                if st.line_no >= *end {
                    st.ranges[idx] = Range::Closed;
                }
                st.line_no <= *end
            }
            Addr::Plus(_) | Addr::Tilde(_) => {
                if st.range_end[idx] <= st.line_no {
                    st.ranges[idx] = Range::Closed;
                }
                true
            }
            other => {
                if self.match_one(other, st, stream) {
                    st.ranges[idx] = Range::Closed;
                }
                true
            }
        }
    }

    fn cycle(
        &mut self,
        ctx: &mut FsContext<'_>,
        stream: &mut Stream,
        st: &mut State,
        sink: &mut Sink,
    ) {
        let delim = self.delimiter;
        let mut pc = 0;
        // A generous bound on commands per cycle keeps `:a;ba` from hanging the node.
        let mut budget: u64 = 1_000_000;
        while pc < self.program.len() {
            if self.panic.is_some() {
                return;
            }
            budget -= 1;
            if budget == 0 {
                self.panic =
                    Some("too many commands executed in one cycle (infinite loop?)".to_string());
                return;
            }
            let selected = self.selected(pc, st, stream) != self.program[pc].bang;
            let kind = self.program[pc].kind.clone();
            if selected {
                let cost = match kind {
                    Kind::Subst(_) | Kind::Translit(_) | Kind::Print | Kind::Insert(_) => {
                        st.pattern.len()
                    }
                    Kind::Hold | Kind::HoldAppend | Kind::Get | Kind::GetAppend => {
                        st.pattern.len() + self.hold.len()
                    }
                    _ => 0,
                };
                self.work += 1 + cost as u64;
                if self.work > WORK_LIMIT {
                    self.panic = Some(
                        "stopped: the script did too much work (playground limit; endless loop?)"
                            .to_string(),
                    );
                    return;
                }
            }
            if !selected {
                if let Kind::Block(end) = kind {
                    pc = end + 1;
                } else {
                    pc += 1;
                }
                continue;
            }
            match kind {
                Kind::Block(_) | Kind::EndBlock | Kind::Label => {}
                Kind::Append(text) => st.append.push(Appended::Text(text)),
                Kind::Insert(text) => sink.raw(&text, delim),
                Kind::Change(text) => {
                    if st.ranges[pc] != Range::Active {
                        sink.raw(&text, delim);
                    }
                    return;
                }
                Kind::Delete => return,
                Kind::DeleteFirst => match st.pattern.find(delim) {
                    None => return,
                    Some(pos) => {
                        st.pattern = st.pattern[pos + delim.len_utf8()..].to_string();
                        pc = 0;
                        continue;
                    }
                },
                Kind::Print => sink.line(&st.pattern, st.chomped, delim),
                Kind::PrintFirst => match st.pattern.find(delim) {
                    Some(pos) => sink.line(&st.pattern[..pos], true, delim),
                    None => sink.line(&st.pattern, st.chomped, delim),
                },
                Kind::Quit(code) => {
                    if !self.quiet {
                        sink.line(&st.pattern, st.chomped, delim);
                    }
                    self.dump_append(ctx, st, sink);
                    self.quit = Some(code);
                    return;
                }
                Kind::QuitSilent(code) => {
                    self.quit = Some(code);
                    return;
                }
                Kind::LineNumber => sink.raw(&format!("{}{delim}", st.line_no), delim),
                Kind::FileName => {
                    let name = stream
                        .names
                        .get(stream.next.saturating_sub(1))
                        .cloned()
                        .unwrap_or_else(|| "-".to_string());
                    sink.raw(&format!("{name}{delim}"), delim);
                }
                Kind::List(width) => {
                    let width = width.unwrap_or(self.line_len);
                    sink.raw(&list_line(&st.pattern, width), delim);
                }
                Kind::Next => {
                    if !self.quiet {
                        sink.line(&st.pattern, st.chomped, delim);
                    }
                    if Self::is_last(stream) || !self.read_line(ctx, stream, st, sink, false) {
                        // GNU: no next line, so sed exits without another autoprint.
                        stream.next = stream.lines.len();
                        return;
                    }
                }
                Kind::NextAppend => {
                    if Self::is_last(stream) {
                        if !self.quiet {
                            sink.line(&st.pattern, st.chomped, delim);
                        }
                        return;
                    }
                    st.pattern.push(delim);
                    self.read_line(ctx, stream, st, sink, true);
                }
                Kind::Hold => self.hold = st.pattern.clone(),
                Kind::HoldAppend => {
                    self.hold.push(delim);
                    self.hold.push_str(&st.pattern);
                }
                Kind::Get => st.pattern = self.hold.clone(),
                Kind::GetAppend => {
                    st.pattern.push(delim);
                    st.pattern.push_str(&self.hold);
                }
                Kind::Exchange => std::mem::swap(&mut st.pattern, &mut self.hold),
                Kind::Zap => st.pattern.clear(),
                Kind::Translit(map) => {
                    st.pattern = st
                        .pattern
                        .chars()
                        .map(|c| {
                            map.iter()
                                .find(|(from, _)| *from == c)
                                .map_or(c, |(_, to)| *to)
                        })
                        .collect();
                }
                Kind::Branch(target) => {
                    pc = target.unwrap_or(self.program.len());
                    continue;
                }
                Kind::BranchIfSub(target) => {
                    if st.replaced {
                        st.replaced = false;
                        pc = target.unwrap_or(self.program.len());
                        continue;
                    }
                }
                Kind::BranchUnlessSub(target) => {
                    if !st.replaced {
                        pc = target.unwrap_or(self.program.len());
                        continue;
                    }
                    st.replaced = false;
                }
                Kind::ReadFile(name) => st.append.push(Appended::File(name)),
                Kind::WriteFile(name) => {
                    let line = format!("{}\n", st.pattern);
                    self.write_to(&name, &line);
                }
                Kind::Subst(sub) => {
                    if self.substitute(&sub, st) {
                        if sub.print {
                            sink.line(&st.pattern, st.chomped, delim);
                        }
                        if let Some(name) = &sub.write {
                            let line = format!("{}\n", st.pattern);
                            self.write_to(name, &line);
                        }
                    }
                }
            }
            pc += 1;
        }
        if !self.quiet {
            sink.line(&st.pattern, st.chomped, delim);
        }
    }

    fn write_to(&mut self, name: &str, text: &str) {
        match self.w_files.iter_mut().find(|(n, _)| n == name) {
            Some((_, content)) => content.push_str(text),
            None => self.w_files.push((name.to_string(), text.to_string())),
        }
    }

    /// sed's `do_subst`: returns whether a replacement was made.
    fn substitute(&mut self, sub: &Subst, st: &mut State) -> bool {
        let Some(re) = self.regex_for(&sub.re) else {
            return false;
        };
        let line = st.pattern.clone();
        let nth = sub.nth.max(1);
        let mut out = String::new();
        let mut start = 0usize;
        let mut last_end = 0usize;
        let mut count: u64 = 0;
        let mut replaced = false;
        let mut caps_opt = re.captures_at(&line, 0);
        while let Some(caps) = caps_opt {
            let Some(m) = caps.get(0) else { break };
            let (offset, end) = (m.start(), m.end());
            let mut matched = end - offset;
            if start < offset {
                out.push_str(&line[start..offset]);
                start = offset;
            }
            let mut again = true;
            // An empty match right after the previous match is not a match (s/a*/x/g on
            // "baaac" gives "xbxcx").
            let eligible = matched > 0 || count == 0 || offset > last_end;
            if eligible {
                count += 1;
            }
            if eligible && count >= nth {
                replaced = true;
                expand(&mut out, &sub.replacement, &caps);
                again = sub.global;
            } else {
                if matched == 0 {
                    if start < line.len() {
                        matched = line[start..].chars().next().map_or(1, char::len_utf8);
                    } else {
                        break;
                    }
                }
                out.push_str(&line[offset..offset + matched]);
            }
            start = offset + matched;
            last_end = end;
            if !again || start > line.len() {
                break;
            }
            caps_opt = re.captures_at(&line, start);
        }
        if !replaced {
            return false;
        }
        if start < line.len() {
            out.push_str(&line[start..]);
        }
        st.pattern = out;
        st.replaced = true;
        true
    }
}

/// Appends the replacement for one match, with `\U \L \u \l \E` case conversion.
fn expand(out: &mut String, pieces: &[Piece], caps: &Captures<'_>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Conv {
        None,
        Upper,
        Lower,
    }
    let mut conv = Conv::None;
    let mut one: Option<char> = None;
    let push = |out: &mut String, text: &str, conv: Conv, one: &mut Option<char>| {
        for c in text.chars() {
            let c: String = match (one.take(), conv) {
                (Some('u'), _) => c.to_uppercase().collect(),
                (Some(_), _) => c.to_lowercase().collect(),
                (None, Conv::Upper) => c.to_uppercase().collect(),
                (None, Conv::Lower) => c.to_lowercase().collect(),
                (None, Conv::None) => c.to_string(),
            };
            out.push_str(&c);
        }
    };
    for piece in pieces {
        match piece {
            Piece::Text(t) => push(out, t, conv, &mut one),
            Piece::Group(n) => {
                let text = caps.get(*n).map_or("", |m| m.as_str());
                push(out, text, conv, &mut one);
            }
            Piece::Case('U') => conv = Conv::Upper,
            Piece::Case('L') => conv = Conv::Lower,
            Piece::Case('E') => {
                conv = Conv::None;
                one = None;
            }
            Piece::Case(c) => one = Some(*c),
        }
    }
}

/// The `l` command: C escapes, octal for the rest, lines folded at `width - 1` with `\`.
fn list_line(text: &str, width: usize) -> String {
    let mut pieces: Vec<String> = Vec::new();
    for c in text.chars() {
        let piece = match c {
            '\\' => "\\\\".to_string(),
            '\u{7}' => "\\a".to_string(),
            '\u{8}' => "\\b".to_string(),
            '\u{c}' => "\\f".to_string(),
            '\n' => "\\n".to_string(),
            '\r' => "\\r".to_string(),
            '\t' => "\\t".to_string(),
            '\u{b}' => "\\v".to_string(),
            c if c.is_control() || !c.is_ascii() => {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("\\{b:03o}"))
                    .collect()
            }
            c => c.to_string(),
        };
        pieces.push(piece);
    }
    let mut out = String::new();
    let mut col = 0;
    for piece in pieces {
        if width > 1 && col + piece.len() > width - 1 {
            out.push_str("\\\n");
            col = 0;
        }
        col += piece.len();
        out.push_str(&piece);
    }
    out.push_str("$\n");
    out
}
