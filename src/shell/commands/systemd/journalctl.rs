//! `journalctl` (systemd 255, `src/journal/journalctl.c`): the journal of the host the shell
//! is on, filtered by unit, identifier, priority, time and pattern, in the short formats or
//! as bare messages, optionally with catalog explanations, optionally followed.
//!
//! `-f` prints the last lines, then each new line as it is written, until Ctrl-C
//! ([`JournalFollow`]).
//!
//! Simplified: there is one boot and no pager; in a script, with no Ctrl-C to end it, `-f`
//! follows for [`FOLLOW_FOR`] of virtual time (advancing the clock) and stops; new lines are
//! looked for once per virtual second. Lines are never ellipsized.

use regex_lite::RegexBuilder;

use super::lines::{self, Format, Line};
use super::options::{unsupported_id, unsupported_name};
use super::{catalog, time};
use crate::cluster::services::unit_name;
use crate::cluster::Cluster;
use crate::shell::commands::World;
use crate::shell::follow::{Polled, POLL_EVERY};
use crate::shell::getopt::{getopt_long, long, Config, HasArg, Long, Spec};
use crate::shell::io::Output;
use crate::sim::{SimDuration, SimTime};

/// How long a script's `-f` follows the journal before it stops on its own.
pub const FOLLOW_FOR: SimDuration = SimDuration::from_secs(30);

const PROG: &str = "journalctl";

const NO_PAGER: char = '\u{E100}';
const NO_HOSTNAME: char = '\u{E101}';
const CASE_SENSITIVE: char = '\u{E102}';
const UTC: char = '\u{E103}';
const SYSTEM: char = '\u{E104}';
const NO_TAIL: char = '\u{E105}';
const THIS_BOOT: char = '\u{E106}';
const VERSION: char = '\u{E107}';
const NO_FULL: char = '\u{E108}';

/// journalctl's options, as its `parse_argv` hands them to `getopt_long`.
const SPEC: Spec = Spec {
    short: "hefo:aln::qb::t:p:g:S:U:u:xrmkD:c:F:NM:",
    long: LONGS,
};

const LONGS: &[Long] = &[
    long("help", HasArg::No, 'h'),
    long("version", HasArg::No, VERSION),
    long("no-pager", HasArg::No, NO_PAGER),
    long("pager-end", HasArg::No, 'e'),
    long("follow", HasArg::No, 'f'),
    long("output", HasArg::Required, 'o'),
    long("all", HasArg::No, 'a'),
    long("full", HasArg::No, 'l'),
    long("no-full", HasArg::No, NO_FULL),
    long("lines", HasArg::Optional, 'n'),
    long("no-tail", HasArg::No, NO_TAIL),
    long("quiet", HasArg::No, 'q'),
    long("this-boot", HasArg::No, THIS_BOOT),
    long("boot", HasArg::Optional, 'b'),
    long("system", HasArg::No, SYSTEM),
    long("identifier", HasArg::Required, 't'),
    long("priority", HasArg::Required, 'p'),
    long("grep", HasArg::Required, 'g'),
    long("case-sensitive", HasArg::Optional, CASE_SENSITIVE),
    long("since", HasArg::Required, 'S'),
    long("until", HasArg::Required, 'U'),
    long("unit", HasArg::Required, 'u'),
    long("catalog", HasArg::No, 'x'),
    long("reverse", HasArg::No, 'r'),
    long("utc", HasArg::No, UTC),
    long("no-hostname", HasArg::No, NO_HOSTNAME),
    // Known to journalctl, not implemented here.
    long("force", HasArg::No, unsupported_id(0)),
    long("merge", HasArg::No, 'm'),
    long("new-id128", HasArg::No, unsupported_id(1)),
    long("list-boots", HasArg::No, unsupported_id(2)),
    long("dmesg", HasArg::No, 'k'),
    long("user", HasArg::No, unsupported_id(3)),
    long("directory", HasArg::Required, 'D'),
    long("file", HasArg::Required, unsupported_id(4)),
    long("root", HasArg::Required, unsupported_id(5)),
    long("image", HasArg::Required, unsupported_id(6)),
    long("image-policy", HasArg::Required, unsupported_id(7)),
    long("header", HasArg::No, unsupported_id(8)),
    long("facility", HasArg::Required, unsupported_id(9)),
    long("setup-keys", HasArg::No, unsupported_id(10)),
    long("interval", HasArg::Required, unsupported_id(11)),
    long("verify", HasArg::No, unsupported_id(12)),
    long("verify-key", HasArg::Required, unsupported_id(13)),
    long("disk-usage", HasArg::No, unsupported_id(14)),
    long("cursor", HasArg::Required, 'c'),
    long("cursor-file", HasArg::Required, unsupported_id(15)),
    long("after-cursor", HasArg::Required, unsupported_id(16)),
    long("show-cursor", HasArg::No, unsupported_id(17)),
    long("user-unit", HasArg::Required, unsupported_id(18)),
    long("field", HasArg::Required, 'F'),
    long("fields", HasArg::No, 'N'),
    long("list-catalog", HasArg::No, unsupported_id(19)),
    long("dump-catalog", HasArg::No, unsupported_id(20)),
    long("update-catalog", HasArg::No, unsupported_id(21)),
    long("machine", HasArg::Required, 'M'),
    long("flush", HasArg::No, unsupported_id(22)),
    long("relinquish-var", HasArg::No, unsupported_id(23)),
    long("smart-relinquish-var", HasArg::No, unsupported_id(24)),
    long("sync", HasArg::No, unsupported_id(25)),
    long("rotate", HasArg::No, unsupported_id(26)),
    long("vacuum-size", HasArg::Required, unsupported_id(27)),
    long("vacuum-files", HasArg::Required, unsupported_id(28)),
    long("vacuum-time", HasArg::Required, unsupported_id(29)),
    long("output-fields", HasArg::Required, unsupported_id(30)),
    long("namespace", HasArg::Required, unsupported_id(31)),
];

/// The short letters of known-but-unimplemented options.
const UNSUPPORTED_SHORT: &[char] = &['m', 'k', 'D', 'c', 'F', 'N', 'M'];

/// What the playground's journalctl implements, for error messages.
const SUPPORTED: &str = "Supported here: -u/--unit UNIT, -t/--identifier ID, -n/--lines N, -e, -f/--follow, -S/--since, -U/--until, -p/--priority, -g/--grep, --case-sensitive, -o/--output short|short-iso|short-precise|cat, -x/--catalog, -r/--reverse, -b/--boot, --no-hostname, --no-pager, --no-tail, --utc, --system, -l/--full, -a/--all, -q/--quiet, -h/--help, --version.";

/// How many lines to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    /// Not given: everything, or 10 with `-f`.
    Default,
    /// `-n all` / `--no-tail`.
    All,
    /// `-n N`.
    Last(usize),
}

/// The parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Query {
    units: Vec<String>,
    identifiers: Vec<String>,
    lines: Lines,
    follow: bool,
    format: Format,
    hostname: bool,
    catalog: bool,
    reverse: bool,
    quiet: bool,
    priorities: (u8, u8),
    since: Option<i64>,
    until: Option<i64>,
    pattern: Option<Pattern>,
}

/// `-g`: the pattern as typed and compiled (compared by what was typed).
#[derive(Debug, Clone)]
struct Pattern {
    source: String,
    insensitive: bool,
    regex: regex_lite::Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        (&self.source, self.insensitive) == (&other.source, other.insensitive)
    }
}

impl Eq for Pattern {}

/// Runs `journalctl ARGS...` on the shell's host.
pub fn journalctl(world: &mut World<'_>, argv: &[String]) -> Output {
    let query = match parse(world, argv) {
        Ok(query) => query,
        Err(out) => return out,
    };
    let all = lines::host_lines(world.cluster, world.host);
    let seen = all.len();
    let mut shown: Vec<&Line> = all.iter().filter(|l| query.matches(l)).collect();
    let keep = match (query.lines, query.follow) {
        (Lines::Last(n), _) => Some(n),
        (Lines::Default, true) if query.since.is_none() => Some(10),
        _ => None,
    };
    if let Some(n) = keep {
        let skip = shown.len().saturating_sub(n);
        shown.drain(..skip);
    }
    if query.reverse {
        shown.reverse();
    }
    let mut out = render(&query, &all, &shown);
    if shown.is_empty() && !query.quiet && !query.follow {
        out.push_str("-- No entries --\n");
    }
    if query.follow {
        let follow = JournalFollow {
            host: world.host,
            query,
            seen,
            trace_seen: world.cluster.trace().len(),
            next: world.cluster.now() + POLL_EVERY,
        };
        return world.follow(follow, Output::ok(out), Some(FOLLOW_FOR));
    }
    Output::ok(out)
}

/// A running `journalctl -f`: the host's new journal lines that match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalFollow {
    /// The host whose journal it reads.
    host: usize,
    /// The filters and the format.
    query: Query,
    /// Journal lines of the host already looked at.
    seen: usize,
    /// Trace records already looked at: no new record, no new line.
    trace_seen: usize,
    /// When the next poll is due.
    pub next: SimTime,
}

impl JournalFollow {
    /// One poll: the matching lines written since the last.
    pub fn poll(&mut self, cluster: &mut Cluster) -> Polled {
        self.next += POLL_EVERY;
        // The journal is read from the trace: no new record of this host, no new line.
        let name = cluster.host(self.host).node.name.as_str();
        let news = cluster
            .trace()
            .since(self.trace_seen)
            .iter()
            .any(|r| *r.host == *name);
        self.trace_seen = cluster.trace().len();
        if !news {
            return Polled::quiet();
        }
        let all = lines::host_lines(cluster, self.host);
        let fresh: Vec<&Line> = all[self.seen.min(all.len())..]
            .iter()
            .filter(|l| self.query.matches(l))
            .collect();
        let mut polled = Polled::quiet();
        polled.out.stdout = render(&self.query, &all, &fresh);
        self.seen = all.len();
        polled
    }
}

/// The shown lines in the chosen format, with catalog text under them for `-x`.
fn render(query: &Query, all: &[Line], shown: &[&Line]) -> String {
    let explanations = match query.catalog {
        true => catalog::explanations(all),
        false => Vec::new(),
    };
    let mut out = String::new();
    for line in shown {
        out.push_str(&lines::render(line, query.format, query.hostname));
        out.push('\n');
        if !query.catalog {
            continue;
        }
        let idx = all.iter().position(|l| std::ptr::eq(l, *line));
        if let Some(Some(text)) = idx.and_then(|i| explanations.get(i)) {
            out.push_str(text);
        }
    }
    out
}

impl Query {
    fn matches(&self, line: &Line) -> bool {
        if !self.units.is_empty() && !self.units.iter().any(|u| glob(u, &line.unit)) {
            return false;
        }
        if !self.identifiers.is_empty() && !self.identifiers.contains(&line.ident) {
            return false;
        }
        if line.priority < self.priorities.0 || line.priority > self.priorities.1 {
            return false;
        }
        let at = line.at.wall_millis();
        if self.since.is_some_and(|s| at < s) || self.until.is_some_and(|u| at > u) {
            return false;
        }
        if let Some(pattern) = &self.pattern {
            if !pattern.regex.is_match(&line.message) {
                return false;
            }
        }
        true
    }
}

fn fail(message: impl Into<String>) -> Output {
    let mut text = message.into();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Output::err(text, 1)
}

/// Parses the command line the way journalctl's `parse_argv` does.
fn parse(world: &World<'_>, argv: &[String]) -> Result<Query, Output> {
    let peek = |id: char, word: &str| match id {
        'n' => word == "all" || word.parse::<u32>().is_ok(),
        'b' => boot_offset(word).is_some(),
        _ => false,
    };
    let config = Config {
        short: SPEC.short,
        long: SPEC.long,
        stop_at: &[],
        peek: &peek,
    };
    let args =
        getopt_long(argv, &config).map_err(|e| fail(format!("{}{SUPPORTED}", e.line(PROG))))?;
    let now = world.cluster.now();
    let mut query = Query {
        units: Vec::new(),
        identifiers: Vec::new(),
        lines: Lines::Default,
        follow: false,
        format: Format::Short,
        hostname: true,
        catalog: false,
        reverse: false,
        quiet: false,
        priorities: (0, 7),
        since: None,
        until: None,
        pattern: None,
    };
    let mut pattern: Option<String> = None;
    let mut case_sensitive: Option<bool> = None;
    let mut no_tail = false;
    let mut pager_end = false;
    for (id, value) in &args.opts {
        let value = value.clone().unwrap_or_default();
        match *id {
            'h' => return Err(Output::ok(usage())),
            VERSION => {
                return Err(Output::ok(
                    "systemd 255 (255.4-1ubuntu8.6)\n+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified\n",
                ))
            }
            NO_PAGER | 'a' | 'l' | UTC | SYSTEM => (),
            'e' => pager_end = true,
            'f' => query.follow = true,
            'o' => {
                query.format = match Format::from_name(&value) {
                    Some(format) => format,
                    None if KNOWN_FORMATS.contains(&value.as_str()) => {
                        return Err(fail(format!(
                            "{PROG}: output format '{value}' is not supported in this playground. Supported: short, short-iso, short-precise, cat."
                        )))
                    }
                    None => return Err(fail(format!("Unknown output format '{value}'."))),
                };
                if query.format == Format::Cat {
                    query.quiet = true;
                }
            }
            'n' => {
                query.lines = match value.as_str() {
                    "" => Lines::Last(10),
                    "all" => Lines::All,
                    n => match n.parse::<usize>() {
                        Ok(n) => Lines::Last(n),
                        Err(_) => return Err(fail(format!("Failed to parse lines '{n}'"))),
                    },
                }
            }
            NO_TAIL => no_tail = true,
            'q' => query.quiet = true,
            THIS_BOOT => (),
            'b' => {
                if !value.is_empty() {
                    match boot_offset(&value) {
                        Some(0) | Some(1) => (),
                        Some(off) => {
                            return Err(fail(format!(
                                "Data from the specified boot ({off:+}) is not available: No such boot ID in journal"
                            )))
                        }
                        None => {
                            return Err(fail(format!(
                                "Failed to parse boot descriptor '{value}'"
                            )))
                        }
                    }
                }
            }
            't' => query.identifiers.push(value),
            'p' => query.priorities = parse_priority(&value)?,
            'g' => pattern = Some(value),
            CASE_SENSITIVE => {
                case_sensitive = Some(match value.as_str() {
                    "" | "1" | "yes" | "y" | "true" | "t" | "on" => true,
                    "0" | "no" | "n" | "false" | "f" | "off" => false,
                    other => {
                        return Err(fail(format!(
                            "Bad --case-sensitive= argument \"{other}\": Invalid argument"
                        )))
                    }
                })
            }
            'S' => match time::parse_timestamp(&value, now) {
                Some(t) => query.since = Some(t),
                None => return Err(fail(format!("Failed to parse timestamp: {value}"))),
            },
            'U' => match time::parse_timestamp(&value, now) {
                Some(t) => query.until = Some(t),
                None => return Err(fail(format!("Failed to parse timestamp: {value}"))),
            },
            'u' => query.units.push(unit_name(&value)),
            'x' => query.catalog = true,
            'r' => query.reverse = true,
            NO_HOSTNAME => query.hostname = false,
            NO_FULL => return Err(unsupported("--no-full")),
            c if UNSUPPORTED_SHORT.contains(&c) => return Err(unsupported(&format!("-{c}"))),
            _ => return Err(unsupported(&unsupported_name(argv, LONGS))),
        }
    }
    if pager_end && query.lines == Lines::Default {
        query.lines = Lines::Last(1000);
    }
    if no_tail {
        query.lines = Lines::All;
    }
    if let (Some(since), Some(until)) = (query.since, query.until) {
        if since > until {
            return Err(fail("--since= must be before --until=."));
        }
    }
    if query.follow && query.reverse {
        return Err(fail(
            "Please specify either --reverse or --follow, not both.",
        ));
    }
    for operand in &args.operands {
        add_match(&mut query, operand)?;
    }
    if let Some(pattern) = pattern {
        // PCRE2 in journalctl; "smart case" unless told: case-insensitive when the pattern
        // has no upper-case letter.
        let insensitive = match case_sensitive {
            Some(sensitive) => !sensitive,
            None => !pattern.chars().any(char::is_uppercase),
        };
        match RegexBuilder::new(&pattern)
            .case_insensitive(insensitive)
            .build()
        {
            Ok(regex) => {
                query.pattern = Some(Pattern {
                    source: pattern,
                    insensitive,
                    regex,
                })
            }
            Err(e) => {
                let reason = pcre2_reason(&pattern, &e.to_string());
                return Err(fail(format!("Bad pattern \"{pattern}\": {reason}")));
            }
        }
    }
    Ok(query)
}

/// PCRE2's wording for the common pattern mistakes; regex-lite's own text otherwise.
// Simplified: PCRE2 syntax is approximated by regex-lite, so rarer errors are worded by it.
fn pcre2_reason(pattern: &str, regex_error: &str) -> String {
    let (mut depth, mut escaped, mut in_class) = (0i32, false, false);
    for c in pattern.chars() {
        match (escaped, in_class, c) {
            (true, _, _) => escaped = false,
            (false, _, '\\') => escaped = true,
            (false, true, ']') => in_class = false,
            (false, true, _) => (),
            (false, false, '[') => in_class = true,
            (false, false, '(') => depth += 1,
            (false, false, ')') if depth == 0 => return "unmatched closing parenthesis".into(),
            (false, false, ')') => depth -= 1,
            _ => (),
        }
    }
    if in_class {
        return "missing terminating ] for character class".into();
    }
    if depth > 0 {
        return "missing closing parenthesis".into();
    }
    let last = regex_error.lines().last().unwrap_or("invalid pattern");
    last.trim().trim_start_matches("error: ").to_string()
}

/// The output formats journalctl 255 knows (`-o help`).
const KNOWN_FORMATS: &[&str] = &[
    "short-full",
    "short-monotonic",
    "short-unix",
    "short-iso-precise",
    "short-delta",
    "verbose",
    "export",
    "json",
    "json-pretty",
    "json-sse",
    "json-seq",
    "with-unit",
];

/// A positional `FIELD=VALUE` match or executable path.
fn add_match(query: &mut Query, operand: &str) -> Result<(), Output> {
    match operand.split_once('=') {
        Some(("_SYSTEMD_UNIT", unit)) | Some(("UNIT", unit)) => {
            query.units.push(unit.to_string());
        }
        Some(("SYSLOG_IDENTIFIER", ident)) => query.identifiers.push(ident.to_string()),
        Some((field, _))
            if !field.is_empty()
                && field
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') =>
        {
            return Err(fail(format!(
                "{PROG}: matching on the field {field} is not supported in this playground; use _SYSTEMD_UNIT=, SYSLOG_IDENTIFIER=, -u UNIT or -t IDENTIFIER."
            )));
        }
        _ if operand.starts_with('/') => {
            // `journalctl /usr/bin/kubelet` matches the executable's lines.
            let name = operand.rsplit('/').next().unwrap_or(operand);
            query.identifiers.push(name.to_string());
        }
        _ => {
            return Err(fail(format!(
                "Failed to add match '{operand}': Invalid argument"
            )))
        }
    }
    Ok(())
}

/// A `-b` descriptor: `0`, `-1`, `+2`, `all` (as 0).
fn boot_offset(word: &str) -> Option<i32> {
    if word == "all" {
        return Some(0);
    }
    word.parse::<i32>().ok()
}

/// `-p err`, `-p 3`, `-p warning..err`: the range of priorities shown.
fn parse_priority(value: &str) -> Result<(u8, u8), Output> {
    const LEVELS: [&str; 8] = [
        "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
    ];
    let level = |s: &str| -> Option<u8> {
        if let Ok(n) = s.parse::<u8>() {
            return (n < 8).then_some(n);
        }
        LEVELS.iter().position(|l| *l == s).map(|p| p as u8)
    };
    if let Some((from, to)) = value.split_once("..") {
        return match (level(from), level(to)) {
            (Some(a), Some(b)) => Ok((a.min(b), a.max(b))),
            _ => Err(fail(format!("Failed to parse log level range {value}"))),
        };
    }
    match level(value) {
        Some(p) => Ok((0, p)),
        None => Err(fail(format!("Unknown log level {value}"))),
    }
}

/// `fnmatch` with `*` and `?`, as journalctl matches `-u` patterns against unit names.
fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn unsupported(option: &str) -> Output {
    fail(format!(
        "{PROG}: {option} is not supported in this playground.\n{SUPPORTED}"
    ))
}

/// The `--help` text (also what `help journalctl` shows).
pub fn usage() -> String {
    format!(
        "{PROG} [OPTIONS...] [MATCHES...]\n\n\
         Query the journal.\n\n\
         Options supported in this playground:\n  \
         -u --unit=UNIT             Show logs from the specified unit\n  \
         -t --identifier=STRING     Show entries with the specified syslog identifier\n  \
         -n --lines[=INTEGER]       Number of journal entries to show\n  \
         -e --pager-end             Jump to the end (the last 1000 entries)\n  \
         -f --follow                Follow the journal (in a script: for {} s of virtual time)\n  \
         -S --since=DATE            Show entries not older than the specified date\n  \
         -U --until=DATE            Show entries not newer than the specified date\n  \
         -p --priority=RANGE        Show entries with the specified priority\n  \
         -g --grep=PATTERN          Show entries with MESSAGE matching PATTERN\n     \
         --case-sensitive[=BOOL] Force case sensitive or insensitive matching\n  \
         -o --output=STRING         short, short-iso, short-precise or cat\n  \
         -x --catalog               Add message explanations where available\n  \
         -r --reverse               Show the newest entries first\n  \
         -b --boot                  Show the current boot (the only one)\n     \
         --no-hostname           Suppress output of hostname field\n     \
         --no-pager              Do not pipe output into a pager\n     \
         --no-tail               Show all lines, even in follow mode\n  \
         -q --quiet                 Do not show info messages\n\n\
         DATE: \"2026-11-22 08:10:00\", \"5 min ago\", -5m, today, yesterday.\n",
        FOLLOW_FOR.as_millis() / 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_errors_use_pcre2_wording() {
        assert_eq!(pcre2_reason("(", ""), "missing closing parenthesis");
        assert_eq!(pcre2_reason("a)", ""), "unmatched closing parenthesis");
        assert_eq!(
            pcre2_reason("[a", ""),
            "missing terminating ] for character class"
        );
        assert_eq!(pcre2_reason("[(]", "x"), "x");
    }

    #[test]
    fn globs_match_unit_names() {
        assert!(glob("kube*", "kubelet.service"));
        assert!(glob("*.service", "containerd.service"));
        assert!(glob("kubelet.servic?", "kubelet.service"));
        assert!(!glob("kube*.socket", "kubelet.service"));
    }

    #[test]
    fn priorities_parse_names_numbers_and_ranges() {
        assert_eq!(parse_priority("err").ok(), Some((0, 3)));
        assert_eq!(parse_priority("4").ok(), Some((0, 4)));
        assert_eq!(parse_priority("warning..err").ok(), Some((3, 4)));
        assert!(parse_priority("error").is_err());
        assert!(parse_priority("9").is_err());
    }
}
