//! Small commands: `seq`, `base64`, `env`, `printenv`, `uname`, `whoami`, `id` (coreutils
//! 9.4), `df`, procps `free`, and bash's `true`/`false` builtins.
//!
//! `df` and `free` print fixed, plausible numbers for a 2-vCPU, 4 GiB, 30 GB-disk cloud VM:
//! the node has no real block devices or memory accounting to report.

use crate::node::kernel::{KERNEL_RELEASE, KERNEL_VERSION};
use crate::shell::io::{FsContext, Output};

use super::common::{
    abs, getopt, help, long, quote, quotef, try_help, version, HasArg, Long, Spec, HELP, VERSION,
};

/// Runs `true` (bash's builtin: arguments are ignored).
pub(super) fn true_cmd(_ctx: &mut FsContext<'_>, _argv: &[String]) -> Output {
    Output::default()
}

/// Runs `false` (bash's builtin).
pub(super) fn false_cmd(_ctx: &mut FsContext<'_>, _argv: &[String]) -> Output {
    Output::err("", 1)
}

// ---------------------------------------------------------------------------------------
// seq
// ---------------------------------------------------------------------------------------

/// Most numbers `seq` prints before the playground stops it, to keep the node responsive.
const SEQ_LIMIT: usize = 1_000_000;

const SEQ_USAGE: &str = "\
Usage: seq [OPTION]... LAST
  or:  seq [OPTION]... FIRST LAST
  or:  seq [OPTION]... FIRST INCREMENT LAST
Print numbers from FIRST to LAST, in steps of INCREMENT.

Mandatory arguments to long options are mandatory for short options too.
  -f, --format=FORMAT      use printf style floating-point FORMAT
  -s, --separator=STRING   use STRING to separate numbers (default: \\n)
  -w, --equal-width        equalize width by padding with leading zeroes
      --help        display this help and exit
      --version     output version information and exit
";

/// A decimal number as seq reads it: value scaled by 10^decimals.
#[derive(Debug, Clone, Copy)]
struct Decimal {
    scaled: i128,
    decimals: u32,
}

fn parse_decimal(s: &str) -> Option<Decimal> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() + frac.len() > 30
    {
        return None;
    }
    let digits = format!("{int}{frac}");
    let value: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    Some(Decimal {
        scaled: if neg { -value } else { value },
        decimals: frac.len() as u32,
    })
}

fn rescale(d: Decimal, decimals: u32) -> i128 {
    d.scaled
        .saturating_mul(10i128.saturating_pow(decimals.saturating_sub(d.decimals)))
}

fn render_decimal(v: i128, decimals: u32) -> String {
    if decimals == 0 {
        return v.to_string();
    }
    let scale = 10i128.pow(decimals);
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let scale = scale as u128;
    format!(
        "{sign}{}.{:0width$}",
        a / scale,
        a % scale,
        width = decimals as usize
    )
}

/// Runs `seq`.
pub(super) fn seq(_ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    const LONGS: &[Long] = &[
        long("format", HasArg::Required, 'f'),
        long("separator", HasArg::Required, 's'),
        long("equal-width", HasArg::No, 'w'),
    ];
    // seq.c stops option parsing at an argument that looks like a negative number.
    let mut cut = argv.len();
    for (i, a) in argv.iter().enumerate().skip(1) {
        let b = a.as_bytes();
        if b.len() > 1 && b[0] == b'-' && (b[1] == b'.' || b[1].is_ascii_digit()) {
            cut = i;
            break;
        }
    }
    let spec = Spec {
        short: "+f:s:w",
        long: LONGS,
    };
    let mut args = match getopt(&argv[..cut], &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("seq", 1),
    };
    args.operands.extend(argv[cut..].iter().cloned());
    if args.has(HELP) {
        return help("seq", SEQ_USAGE);
    }
    if args.has(VERSION) {
        return version("seq", &["Ulrich Drepper"]);
    }
    let ops = &args.operands;
    if ops.is_empty() {
        return Output::err(format!("seq: missing operand\n{}", try_help("seq")), 1);
    }
    if ops.len() > 3 {
        return Output::err(
            format!("seq: extra operand {}\n{}", quote(&ops[3]), try_help("seq")),
            1,
        );
    }
    let mut nums = Vec::new();
    for op in ops {
        match parse_decimal(op) {
            Some(d) => nums.push(d),
            None => {
                return Output::err(
                    format!(
                        "seq: invalid floating point argument: {}\n{}",
                        quote(op),
                        try_help("seq")
                    ),
                    1,
                )
            }
        }
    }
    let one = Decimal {
        scaled: 1,
        decimals: 0,
    };
    let (first, step, last) = match nums.as_slice() {
        [last] => (one, one, *last),
        [first, last] => (*first, one, *last),
        [first, step, last] => (*first, *step, *last),
        _ => return Output::default(),
    };
    let decimals = first.decimals.max(step.decimals);
    let (f, s, l) = (
        rescale(first, decimals),
        rescale(step, decimals),
        rescale(last, decimals.max(last.decimals)),
    );
    // The last value is compared at its own precision.
    let l_cmp = if last.decimals > decimals {
        l / 10i128.pow(last.decimals - decimals)
    } else {
        l
    };
    if s == 0 {
        return Output::err(
            format!(
                "seq: invalid Zero increment value: {}\n{}",
                quote(&ops[1]),
                try_help("seq")
            ),
            1,
        );
    }
    let sep = args.last('s').unwrap_or("\n").to_string();
    let mut values = Vec::new();
    let mut v = f;
    while (s > 0 && v <= l_cmp) || (s < 0 && v >= l_cmp) {
        values.push(v);
        if values.len() >= SEQ_LIMIT {
            break;
        }
        v = v.saturating_add(s);
    }
    let mut rendered: Vec<String> = values
        .iter()
        .map(|&v| render_decimal(v, decimals))
        .collect();
    if let Some(fmt) = args.last('f') {
        rendered = values
            .iter()
            .map(|&v| format_float(fmt, v as f64 / 10f64.powi(decimals as i32)))
            .collect();
    } else if args.has('w') {
        let width = rendered.iter().map(String::len).max().unwrap_or(0);
        rendered = rendered
            .into_iter()
            .map(|r| match r.strip_prefix('-') {
                Some(abs) => format!("-{abs:0>w$}", w = width - 1),
                None => format!("{r:0>width$}"),
            })
            .collect();
    }
    let mut out = Output::default();
    if !rendered.is_empty() {
        out.stdout = rendered.join(&sep);
        out.stdout.push('\n');
    }
    if values.len() >= SEQ_LIMIT {
        out.stderr = format!("seq: stopped after {SEQ_LIMIT} numbers (playground limit)\n");
    }
    out
}

/// A small printf for seq's `-f`: `%g`, `%f`, `%e` with flags, width and precision.
fn format_float(fmt: &str, v: f64) -> String {
    let Some(start) = fmt.find('%') else {
        return fmt.to_string();
    };
    let rest = &fmt[start + 1..];
    let spec_len = rest
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let (spec, conv_and_tail) = rest.split_at(spec_len);
    let mut chars = conv_and_tail.chars();
    let conv = chars.next().unwrap_or('g');
    let tail: String = chars.collect();
    let zero = spec.starts_with('0');
    let (width, precision) = match spec
        .trim_start_matches(['-', '0', '+', ' '])
        .split_once('.')
    {
        Some((w, p)) => (w.parse().unwrap_or(0), p.parse::<usize>().ok()),
        None => (
            spec.trim_start_matches(['-', '0', '+', ' '])
                .parse()
                .unwrap_or(0),
            None,
        ),
    };
    let body = match conv {
        'f' | 'F' => format!("{:.*}", precision.unwrap_or(6), v),
        'e' | 'E' => format!("{:.*e}", precision.unwrap_or(6), v),
        _ => {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", v as i64)
            } else {
                format!("{v}")
            }
        }
    };
    let width: usize = width;
    let padded = if zero {
        format!("{body:0>width$}")
    } else if spec.starts_with('-') {
        format!("{body:<width$}")
    } else {
        format!("{body:>width$}")
    };
    format!("{}{padded}{tail}", &fmt[..start])
}

// ---------------------------------------------------------------------------------------
// base64
// ---------------------------------------------------------------------------------------

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Decodes, skipping newlines (and with `ignore_garbage` anything outside the alphabet);
/// `Err` carries what was decoded before the invalid input.
pub(crate) fn decode(text: &str, ignore_garbage: bool) -> Result<Vec<u8>, Vec<u8>> {
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut padding = 0;
    for c in text.bytes() {
        if c == b'\n' {
            continue;
        }
        if c == b'=' {
            padding += 1;
            continue;
        }
        let Some(v) = B64.iter().position(|&b| b == c) else {
            if ignore_garbage {
                continue;
            }
            return Err(out);
        };
        if padding > 0 {
            return Err(out);
        }
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    let total = text.bytes().filter(|&c| c != b'\n').count();
    if !ignore_garbage && total % 4 != 0 {
        return Err(out);
    }
    Ok(out)
}

/// Runs `base64`.
pub(super) fn base64(ctx: &mut FsContext<'_>, argv: &[String], stdin: &str) -> Output {
    const LONGS: &[Long] = &[
        long("decode", HasArg::No, 'd'),
        long("ignore-garbage", HasArg::No, 'i'),
        long("wrap", HasArg::Required, 'w'),
    ];
    let spec = Spec {
        short: "diw:",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("base64", 1),
    };
    if args.has(HELP) {
        return help(
            "base64",
            "Usage: base64 [OPTION]... [FILE]\n\
             Base64 encode or decode FILE, or standard input, to standard output.\n\n\
             With no FILE, or when FILE is -, read standard input.\n\n\
             Mandatory arguments to long options are mandatory for short options too.\n  \
             -d, --decode          decode data\n  \
             -i, --ignore-garbage  when decoding, ignore non-alphabet characters\n  \
             -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).\n                          \
             Use 0 to disable line wrapping\n      \
             --help        display this help and exit\n      \
             --version     output version information and exit\n",
        );
    }
    if args.has(VERSION) {
        return version("base64", &["Simon Josefsson"]);
    }
    let wrap = match args.last('w') {
        None => 76,
        Some(w) => match w.parse::<usize>() {
            Ok(n) => n,
            Err(_) => return Output::err(format!("base64: invalid wrap size: {}\n", quote(w)), 1),
        },
    };
    if args.operands.len() > 1 {
        return Output::err(
            format!(
                "base64: extra operand {}\n{}",
                quote(&args.operands[1]),
                try_help("base64")
            ),
            1,
        );
    }
    let name = args.operands.first().map_or("-", String::as_str);
    let data: Vec<u8> = if name == "-" {
        stdin.as_bytes().to_vec()
    } else {
        match ctx.fs.read(&abs(ctx, name)) {
            Ok(d) => d,
            Err(err) => return Output::err(format!("base64: {}: {err}\n", quotef(name)), 1),
        }
    };
    if args.has('d') {
        let text = String::from_utf8_lossy(&data);
        return match decode(&text, args.has('i')) {
            Ok(bytes) => Output::ok(String::from_utf8_lossy(&bytes).into_owned()),
            Err(partial) => Output {
                stdout: String::from_utf8_lossy(&partial).into_owned(),
                stderr: "base64: invalid input\n".to_string(),
                code: 1,
                stderr_after: Vec::new(),
            },
        };
    }
    let encoded = encode(&data);
    let mut out = String::new();
    if wrap == 0 {
        out.push_str(&encoded);
        if !encoded.is_empty() {
            // base64 -w 0 ends without a newline.
        }
    } else {
        let bytes = encoded.as_bytes();
        for chunk in bytes.chunks(wrap) {
            out.push_str(&String::from_utf8_lossy(chunk));
            out.push('\n');
        }
    }
    Output::ok(out)
}

// ---------------------------------------------------------------------------------------
// env, printenv, uname, whoami, id
// ---------------------------------------------------------------------------------------

/// Runs `env`: prints the environment, changed by `-i`, `-u NAME` and `NAME=VALUE`.
pub(super) fn env(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    const LONGS: &[Long] = &[
        long("ignore-environment", HasArg::No, 'i'),
        long("unset", HasArg::Required, 'u'),
        long("null", HasArg::No, '0'),
    ];
    let spec = Spec {
        short: "+iu:0",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("env", 125),
    };
    if args.has(HELP) {
        return help(
            "env",
            "Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]\n\
             Set each NAME to VALUE in the environment and run COMMAND.\n\n\
             Mandatory arguments to long options are mandatory for short options too.\n  \
             -i, --ignore-environment  start with an empty environment\n  \
             -0, --null           end each output line with NUL, not newline\n  \
             -u, --unset=NAME     remove variable from the environment\n      \
             --help        display this help and exit\n      \
             --version     output version information and exit\n\n\
             A mere - implies -i.  If no COMMAND, print the resulting environment.\n",
        );
    }
    if args.has(VERSION) {
        return version(
            "env",
            &["Richard Mlynarik", "David MacKenzie", "Assaf Gordon"],
        );
    }
    let mut vars = ctx.env.clone();
    if args.has('i') {
        vars.clear();
    }
    for (id, value) in &args.opts {
        if *id == 'u' {
            if let Some(name) = value {
                vars.remove(name);
            }
        }
    }
    let mut operands = args.operands.iter().peekable();
    if operands.peek().is_some_and(|o| *o == "-") {
        vars.clear();
        operands.next();
    }
    for op in operands {
        match op.split_once('=') {
            Some((name, value)) if !name.is_empty() => {
                vars.insert(name.to_string(), value.to_string());
            }
            _ => {
                return Output::err(
                    format!(
                    "env: {}: cannot run commands from env in this playground; run it directly\n",
                    quote(op)
                ),
                    126,
                )
            }
        }
    }
    let end = if args.has('0') { '\0' } else { '\n' };
    let mut out = String::new();
    for (k, v) in &vars {
        out.push_str(&format!("{k}={v}{end}"));
    }
    Output::ok(out)
}

/// Runs `printenv`.
pub(super) fn printenv(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    const LONGS: &[Long] = &[long("null", HasArg::No, '0')];
    let spec = Spec {
        short: "0",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("printenv", 2),
    };
    if args.has(HELP) {
        return help(
            "printenv",
            "Usage: printenv [OPTION]... [VARIABLE]...\n\
             Print the values of the specified environment VARIABLE(s).\n\
             If no VARIABLE is specified, print name and value pairs for them all.\n\n  \
             -0, --null     end each output line with NUL, not newline\n      \
             --help        display this help and exit\n      \
             --version     output version information and exit\n",
        );
    }
    if args.has(VERSION) {
        return version("printenv", &["David MacKenzie", "Richard Mlynarik"]);
    }
    let end = if args.has('0') { '\0' } else { '\n' };
    let mut out = Output::default();
    if args.operands.is_empty() {
        for (k, v) in ctx.env {
            out.stdout.push_str(&format!("{k}={v}{end}"));
        }
        return out;
    }
    let mut missing = false;
    for name in &args.operands {
        match ctx.env.get(name) {
            Some(v) if !name.contains('=') => out.stdout.push_str(&format!("{v}{end}")),
            _ => missing = true,
        }
    }
    if missing {
        out.code = 1;
    }
    out
}

/// Runs `uname`.
pub(super) fn uname(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    const LONGS: &[Long] = &[
        long("all", HasArg::No, 'a'),
        long("kernel-name", HasArg::No, 's'),
        long("nodename", HasArg::No, 'n'),
        long("kernel-release", HasArg::No, 'r'),
        long("kernel-version", HasArg::No, 'v'),
        long("machine", HasArg::No, 'm'),
        long("processor", HasArg::No, 'p'),
        long("hardware-platform", HasArg::No, 'i'),
        long("operating-system", HasArg::No, 'o'),
    ];
    let spec = Spec {
        short: "asnrvmpio",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("uname", 1),
    };
    if args.has(HELP) {
        return help(
            "uname",
            "Usage: uname [OPTION]...\n\
             Print certain system information.  With no OPTION, same as -s.\n\n  \
             -a, --all                print all information, in the following order,\n                             \
             except omit -p and -i if unknown:\n  \
             -s, --kernel-name        print the kernel name\n  \
             -n, --nodename           print the network node hostname\n  \
             -r, --kernel-release     print the kernel release\n  \
             -v, --kernel-version     print the kernel version\n  \
             -m, --machine            print the machine hardware name\n  \
             -p, --processor          print the processor type (non-portable)\n  \
             -i, --hardware-platform  print the hardware platform (non-portable)\n  \
             -o, --operating-system   print the operating system\n      \
             --help        display this help and exit\n      \
             --version     output version information and exit\n",
        );
    }
    if args.has(VERSION) {
        return version("uname", &["David MacKenzie"]);
    }
    if let Some(extra) = args.operands.first() {
        return Output::err(
            format!(
                "uname: extra operand {}\n{}",
                quote(extra),
                try_help("uname")
            ),
            1,
        );
    }
    let all = args.has('a');
    let fields: [(char, &str); 8] = [
        ('s', "Linux"),
        ('n', ctx.host),
        ('r', KERNEL_RELEASE),
        ('v', KERNEL_VERSION),
        ('m', "x86_64"),
        ('p', "x86_64"),
        ('i', "x86_64"),
        ('o', "GNU/Linux"),
    ];
    let any = fields.iter().any(|(c, _)| args.has(*c));
    let picked: Vec<&str> = fields
        .iter()
        .filter(|(c, _)| all || args.has(*c) || (!any && *c == 's'))
        .map(|(_, v)| *v)
        .collect();
    Output::ok(format!("{}\n", picked.join(" ")))
}

/// Runs `whoami`.
pub(super) fn whoami(_ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    let args = match getopt(
        argv,
        &Spec {
            short: "",
            long: &[],
        },
    ) {
        Ok(args) => args,
        Err(err) => return err.usage("whoami", 1),
    };
    if args.has(HELP) {
        return help(
            "whoami",
            "Usage: whoami [OPTION]...\n\
             Print the user name associated with the current effective user ID.\n\
             Same as id -un.\n\n      \
             --help        display this help and exit\n      \
             --version     output version information and exit\n",
        );
    }
    if args.has(VERSION) {
        return version("whoami", &["Richard Mlynarik"]);
    }
    if let Some(extra) = args.operands.first() {
        return Output::err(
            format!(
                "whoami: extra operand {}\n{}",
                quote(extra),
                try_help("whoami")
            ),
            1,
        );
    }
    Output::ok("root\n")
}

/// Runs `id` (everyone here is root).
pub(super) fn id(_ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    const LONGS: &[Long] = &[
        long("user", HasArg::No, 'u'),
        long("group", HasArg::No, 'g'),
        long("groups", HasArg::No, 'G'),
        long("name", HasArg::No, 'n'),
        long("real", HasArg::No, 'r'),
        long("zero", HasArg::No, 'z'),
    ];
    let spec = Spec {
        short: "aGgnruzZ",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("id", 1),
    };
    if args.has(HELP) {
        return help(
            "id",
            "Usage: id [OPTION]... [USER]...\n\
             Print user and group information for each specified USER,\n\
             or (when USER omitted) for the current process.\n\n  \
             -g, --group    print only the effective group ID\n  \
             -G, --groups   print all group IDs\n  \
             -n, --name     print a name instead of a number, for -u,-g,-G\n  \
             -r, --real     print the real ID instead of the effective ID, with -u,-g,-G\n  \
             -u, --user     print only the effective user ID\n      \
             --help        display this help and exit\n      \
             --version     output version information and exit\n",
        );
    }
    if args.has(VERSION) {
        return version("id", &["Arnold Robbins", "David MacKenzie"]);
    }
    for user in &args.operands {
        if user != "root" && user != "0" {
            return Output::err(format!("id: {}: no such user\n", quote(user)), 1);
        }
    }
    let only = ['u', 'g', 'G'].iter().filter(|c| args.has(**c)).count();
    if only > 1 {
        return Output::err("id: cannot print \"only\" of more than one choice\n", 1);
    }
    if only == 0 {
        if args.has('n') || args.has('r') {
            return Output::err(
                "id: cannot print only names or real IDs in default format\n",
                1,
            );
        }
        return Output::ok("uid=0(root) gid=0(root) groups=0(root)\n");
    }
    if args.has('n') {
        Output::ok("root\n")
    } else {
        Output::ok("0\n")
    }
}

// ---------------------------------------------------------------------------------------
// df and free: fixed numbers.
// ---------------------------------------------------------------------------------------

/// `(filesystem, 1K-blocks, used, available, mounted on)` of the emulated VM.
const MOUNTS: [(&str, u64, u64, u64, &str); 6] = [
    ("tmpfs", 400_884, 1_620, 399_264, "/run"),
    ("/dev/sda1", 30_297_152, 8_426_500, 21_854_268, "/"),
    ("tmpfs", 2_004_412, 0, 2_004_412, "/dev/shm"),
    ("tmpfs", 5_120, 0, 5_120, "/run/lock"),
    ("/dev/sda15", 106_832, 6_246, 100_586, "/boot/efi"),
    ("tmpfs", 400_880, 12, 400_868, "/run/user/0"),
];

/// Runs `df` (`-h`, `-k`; operands pick the mount holding them).
pub(super) fn df(ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    const LONGS: &[Long] = &[
        long("human-readable", HasArg::No, 'h'),
        long("all", HasArg::No, 'a'),
        long("local", HasArg::No, 'l'),
    ];
    let spec = Spec {
        short: "ahklT",
        long: LONGS,
    };
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return err.usage("df", 1),
    };
    if args.has(HELP) {
        return help(
            "df",
            "Usage: df [OPTION]... [FILE]...\n\
             Show information about the file system on which each FILE resides,\n\
             or all file systems by default.\n\n  \
             -a, --all             include pseudo, duplicate, inaccessible file systems\n  \
             -h, --human-readable  print sizes in powers of 1024 (e.g., 1023M)\n  \
             -k                    like --block-size=1K\n  \
             -l, --local           limit listing to local file systems\n      \
             --help        display this help and exit\n      \
             --version     output version information and exit\n",
        );
    }
    if args.has(VERSION) {
        return version(
            "df",
            &["Torbjorn Granlund", "David MacKenzie", "Paul Eggert"],
        );
    }
    let mut out = Output::default();
    let mut rows: Vec<&(&str, u64, u64, u64, &str)> = Vec::new();
    if args.operands.is_empty() {
        rows.extend(MOUNTS.iter());
    } else {
        for op in &args.operands {
            if ctx.fs.stat(&abs(ctx, op)).is_err() {
                out.stderr
                    .push_str(&format!("df: {}: No such file or directory\n", quotef(op)));
                out.code = 1;
                continue;
            }
            let full = abs(ctx, op);
            let mount = MOUNTS
                .iter()
                .filter(|m| m.4 == "/" || full == m.4 || full.starts_with(&format!("{}/", m.4)))
                .max_by_key(|m| m.4.len());
            if let Some(m) = mount {
                rows.push(m);
            }
        }
        if rows.is_empty() {
            return out;
        }
    }
    let human = args.has('h');
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|(fs, size, used, avail, mount)| {
            let pct = if size == &0 {
                "-".to_string()
            } else {
                format!(
                    "{}%",
                    (used * 100)
                        .div_ceil(used + avail)
                        .max(if *used > 0 { 1 } else { 0 })
                )
            };
            let n = |k: u64| {
                if human {
                    if k == 0 {
                        "0".to_string()
                    } else {
                        super::common::human_size(k * 1024)
                    }
                } else {
                    k.to_string()
                }
            };
            [
                fs.to_string(),
                n(*size),
                n(*used),
                n(*avail),
                pct,
                mount.to_string(),
            ]
        })
        .collect();
    let header = if human {
        ["Filesystem", "Size", "Used", "Avail", "Use%", "Mounted on"]
    } else {
        [
            "Filesystem",
            "1K-blocks",
            "Used",
            "Available",
            "Use%",
            "Mounted on",
        ]
    };
    let mut widths = [0usize; 6];
    for (i, h) in header.iter().enumerate() {
        widths[i] = h.len();
    }
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.len());
        }
    }
    // df pads the first column to at least 14 and each size column to its minimum width.
    widths[0] = widths[0].max(14);
    if human {
        widths[1] = widths[1].max(5);
        widths[2] = widths[2].max(5);
        widths[3] = widths[3].max(5);
    }
    let line = |r: [&str; 6]| {
        format!(
            "{:<w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {}\n",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4]
        )
    };
    out.stdout.push_str(&line(header));
    for row in &cells {
        out.stdout.push_str(&line([
            &row[0], &row[1], &row[2], &row[3], &row[4], &row[5],
        ]));
    }
    out
}

/// Memory of the emulated VM in KiB: total, used, free, shared, buff/cache, available.
const MEM_KIB: [u64; 6] = [4_008_812, 1_258_736, 1_152_108, 3_072, 1_867_148, 2_750_076];

/// procps `free`'s human format: `3.8Gi`, `3.0Mi`, `0B`.
fn free_human(kib: u64) -> String {
    let bytes = kib * 1024;
    if bytes == 0 {
        return "0B".to_string();
    }
    const UNITS: [&str; 6] = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1}{}", UNITS[unit])
    } else {
        format!("{:.0}{}", value.round(), UNITS[unit])
    }
}

/// Runs procps `free` (`-h -k -m -g -b`).
pub(super) fn free(_ctx: &mut FsContext<'_>, argv: &[String]) -> Output {
    const LONGS: &[Long] = &[
        long("human", HasArg::No, 'h'),
        long("kibi", HasArg::No, 'k'),
        long("mebi", HasArg::No, 'm'),
        long("gibi", HasArg::No, 'g'),
        long("bytes", HasArg::No, 'b'),
    ];
    let spec = Spec {
        short: "hkmgbwt",
        long: LONGS,
    };
    const USAGE: &str = "\nUsage:\n free [options]\n\nOptions:\n \
        -b, --bytes         show output in bytes\n     \
        --kilo          show output in kilobytes\n     \
        --mega          show output in megabytes\n     \
        --giga          show output in gigabytes\n     \
        --tera          show output in terabytes\n     \
        --peta          show output in petabytes\n \
        -k, --kibi          show output in kibibytes\n \
        -m, --mebi          show output in mebibytes\n \
        -g, --gibi          show output in gibibytes\n     \
        --tebi          show output in tebibytes\n     \
        --pebi          show output in pebibytes\n \
        -h, --human         show human-readable output\n     \
        --si            use powers of 1000 not 1024\n \
        -l, --lohi          show detailed low and high memory statistics\n \
        -L, --line          show output on a single line\n \
        -t, --total         show total for RAM + swap\n \
        -v, --committed     show committed memory and commit limit\n \
        -s N, --seconds N   repeat printing every N seconds\n \
        -c N, --count N     repeat printing N times, then exit\n \
        -w, --wide          wide output\n\n     \
        --help     display this help and exit\n \
        -V, --version  output version information and exit\n\n\
        For more details see free(1).\n";
    let args = match getopt(argv, &spec) {
        Ok(args) => args,
        Err(err) => return Output::err(format!("{}{USAGE}", err.line("free")), 1),
    };
    if args.has(HELP) {
        return Output::ok(USAGE);
    }
    if args.has(VERSION) {
        return Output::ok("free from procps-ng 4.0.4\n");
    }
    let render = |kib: u64| -> String {
        if args.has('h') {
            free_human(kib)
        } else if args.has('m') {
            (kib / 1024).to_string()
        } else if args.has('g') {
            (kib / 1024 / 1024).to_string()
        } else if args.has('b') {
            (kib * 1024).to_string()
        } else {
            kib.to_string()
        }
    };
    // procps prints the label in 9 columns and each number in 11, one space apart.
    let mut out = format!(
        "{:>20}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        "total", "used", "free", "shared", "buff/cache", "available"
    );
    out.push_str(&format!(
        "{:<9}{:>11} {:>11} {:>11} {:>11} {:>11} {:>11}\n",
        "Mem:",
        render(MEM_KIB[0]),
        render(MEM_KIB[1]),
        render(MEM_KIB[2]),
        render(MEM_KIB[3]),
        render(MEM_KIB[4]),
        render(MEM_KIB[5])
    ));
    out.push_str(&format!(
        "{:<9}{:>11} {:>11} {:>11}\n",
        "Swap:",
        render(0),
        render(0),
        render(0)
    ));
    if args.has('t') {
        out.push_str(&format!(
            "{:<9}{:>11} {:>11} {:>11}\n",
            "Total:",
            render(MEM_KIB[0]),
            render(MEM_KIB[1]),
            render(MEM_KIB[2])
        ));
    }
    Output::ok(out)
}
