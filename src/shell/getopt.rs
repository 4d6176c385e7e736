//! glibc's `getopt_long`, shared by the GNU tools and systemd's tools: clustered short
//! options, attached or separate arguments, unambiguous long-option prefixes, `--`, and
//! operands permuted to the end unless the short-option string starts with `+`. Two things
//! callers add on top are options here: stopping at an option the tool exits on
//! (coreutils' `--help`), and systemd's habit of taking the next word as an optional
//! argument when it parses as one (`journalctl -n 5`).

/// Whether an option takes an argument, as `struct option`'s `has_arg` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HasArg {
    /// `no_argument`.
    No,
    /// `required_argument`: `--lines=5`, `--lines 5`, `-n5` or `-n 5`.
    Required,
    /// `optional_argument`: `--color=auto` or `-n5`; a separate word only when `peek` takes it.
    Optional,
}

/// A long option and the id (usually its short letter) it is reported under.
#[derive(Debug, Clone, Copy)]
pub struct Long {
    /// The name without `--`.
    pub name: &'static str,
    /// What argument it takes.
    pub has_arg: HasArg,
    /// The id it is reported under: its short letter or a private-use character.
    pub id: char,
}

/// Shorthand for building [`Long`] tables.
pub const fn long(name: &'static str, has_arg: HasArg, id: char) -> Long {
    Long { name, has_arg, id }
}

/// A tool's option tables: the short-option string (`"ab:c::"`, a leading `+` stops at the
/// first operand as `POSIXLY_CORRECT` does) and the long options.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The short-option string.
    pub short: &'static str,
    /// The long options.
    pub long: &'static [Long],
}

/// Everything one `getopt_long` run is told.
pub struct Config<'a> {
    /// The short-option string, as in [`Spec`].
    pub short: &'a str,
    /// The long options.
    pub long: &'a [Long],
    /// Ids at which parsing stops, because the tool exits there.
    pub stop_at: &'a [char],
    /// Whether the word after an option with an optional argument is that argument (given
    /// the option's id); glibc alone never takes it, systemd's tools do.
    pub peek: &'a dyn Fn(char, &str) -> bool,
}

/// The parsed command line: options in order, then the operands.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// `(id, argument)` in the order given.
    pub opts: Vec<(char, Option<String>)>,
    /// Everything that is not an option, in order.
    pub operands: Vec<String>,
}

impl Args {
    /// Whether option `id` was given.
    pub fn has(&self, id: char) -> bool {
        self.opts.iter().any(|(o, _)| *o == id)
    }

    /// The argument of the last occurrence of option `id`.
    pub fn last(&self, id: char) -> Option<&str> {
        self.opts
            .iter()
            .rev()
            .find(|(o, _)| *o == id)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Why `getopt_long` refused the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptError {
    /// `-z` is no option.
    Invalid(char),
    /// `--bogus` is no option.
    Unrecognized(String),
    /// `-n` at the end of the line.
    NeedsArg(char),
    /// `--lines` at the end of the line.
    LongNeedsArg(String),
    /// `--all=1`.
    LongNoArg(String),
    /// `--no` matches several options that differ.
    Ambiguous(String, Vec<String>),
}

impl OptError {
    /// glibc's diagnostic line for this error, with the program name.
    pub fn line(&self, prog: &str) -> String {
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
}

/// Parses `argv[1..]` as `getopt_long` does, with `config`'s additions.
pub fn getopt_long(argv: &[String], config: &Config<'_>) -> Result<Args, OptError> {
    let (permute, shorts) = match config.short.strip_prefix('+') {
        Some(rest) => (false, rest),
        None => (true, config.short),
    };
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
            let opt = find_long(config.long, name, arg)?;
            let value = match (opt.has_arg, value) {
                (HasArg::No, Some(_)) => return Err(OptError::LongNoArg(opt.name.to_string())),
                (HasArg::No, None) => None,
                (_, Some(value)) => Some(value),
                (HasArg::Optional, None) => take_peeked(argv, &mut idx, opt.id, config.peek),
                (HasArg::Required, None) => match argv.get(idx) {
                    Some(next) => {
                        idx += 1;
                        Some(next.clone())
                    }
                    None => return Err(OptError::LongNeedsArg(opt.name.to_string())),
                },
            };
            args.opts.push((opt.id, value));
            if config.stop_at.contains(&opt.id) {
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
                let rest: String = chars[pos..].iter().collect();
                match kind {
                    HasArg::No => args.opts.push((c, None)),
                    HasArg::Optional => {
                        pos = chars.len();
                        let value = match rest.is_empty() {
                            true => take_peeked(argv, &mut idx, c, config.peek),
                            false => Some(rest),
                        };
                        args.opts.push((c, value));
                    }
                    HasArg::Required => {
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

/// The next word, if `peek` accepts it as the optional argument of `id`.
fn take_peeked(
    argv: &[String],
    idx: &mut usize,
    id: char,
    peek: &dyn Fn(char, &str) -> bool,
) -> Option<String> {
    let next = argv.get(*idx)?;
    if !peek(id, next) {
        return None;
    }
    *idx += 1;
    Some(next.clone())
}

/// What argument the short option `c` takes, if the short-option string has it.
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

/// The long option `name` (as typed in `arg`) names: an exact match or an unambiguous prefix.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    const LS_LONGS: &[Long] = &[
        long("all", HasArg::No, 'a'),
        long("almost-all", HasArg::No, 'A'),
        long("lines", HasArg::Required, 'n'),
    ];

    /// `ls`-like options, parsed as glibc alone does.
    fn ls(words: &[&str]) -> Result<Args, OptError> {
        let config = Config {
            short: "aAln:",
            long: LS_LONGS,
            stop_at: &[],
            peek: &|_, _| false,
        };
        getopt_long(&argv(words), &config)
    }

    const JOURNAL_LONGS: &[Long] = &[
        long("lines", HasArg::Optional, 'n'),
        long("unit", HasArg::Required, 'u'),
        long("follow", HasArg::No, 'f'),
        long("no-pager", HasArg::No, '\u{E000}'),
        long("no-hostname", HasArg::No, '\u{E001}'),
    ];

    /// `journalctl`-like options, with systemd's peeking at a number after `-n`.
    fn journal(line: &str) -> Result<Args, OptError> {
        let config = Config {
            short: "n::u:f",
            long: JOURNAL_LONGS,
            stop_at: &[],
            peek: &|_, word| word.parse::<u32>().is_ok(),
        };
        getopt_long(&words(line), &config)
    }

    #[test]
    fn getopt_clusters_permutes_and_stops_at_double_dash() {
        let args = ls(&["ls", "x", "-la", "-n5", "--", "-a"]).unwrap();
        assert_eq!(
            args.opts,
            vec![('l', None), ('a', None), ('n', Some("5".into()))]
        );
        assert_eq!(args.operands, vec!["x", "-a"]);
        let args = ls(&["ls", "--lines", "3", "--alm", "-"]).unwrap();
        assert_eq!(args.opts, vec![('n', Some("3".into())), ('A', None)]);
        assert_eq!(args.operands, vec!["-"]);
    }

    #[test]
    fn getopt_errors_read_like_glibc() {
        let err = ls(&["ls", "-z"]).unwrap_err();
        assert_eq!(err.line("ls"), "ls: invalid option -- 'z'\n");
        let err = ls(&["ls", "--a"]).unwrap_err();
        assert_eq!(
            err.line("ls"),
            "ls: option '--a' is ambiguous; possibilities: '--all' '--almost-all'\n"
        );
        let err = ls(&["ls", "-n"]).unwrap_err();
        assert_eq!(err.line("ls"), "ls: option requires an argument -- 'n'\n");
        let err = ls(&["ls", "--all=1"]).unwrap_err();
        assert_eq!(
            err.line("ls"),
            "ls: option '--all' doesn't allow an argument\n"
        );
        let err = ls(&["ls", "--bogus=1"]).unwrap_err();
        assert_eq!(err.line("ls"), "ls: unrecognized option '--bogus=1'\n");
    }

    #[test]
    fn permutes_and_peeks() {
        let args = journal("journalctl -u kubelet -n 5 -f extra").unwrap();
        assert_eq!(
            args.opts,
            [
                ('u', Some("kubelet".into())),
                ('n', Some("5".into())),
                ('f', None)
            ]
        );
        assert_eq!(args.operands, ["extra"]);
        let args = journal("journalctl -n -f").unwrap();
        assert_eq!(args.opts, [('n', None), ('f', None)]);
        let args = journal("journalctl -fn3 --unit=x").unwrap();
        assert_eq!(
            args.opts,
            [
                ('f', None),
                ('n', Some("3".into())),
                ('u', Some("x".into()))
            ]
        );
    }

    #[test]
    fn errors_are_worded_like_glibc() {
        let err = journal("j -z").unwrap_err();
        assert_eq!(err.line("j"), "j: invalid option -- 'z'\n");
        let err = journal("j --bogus").unwrap_err();
        assert_eq!(err.line("j"), "j: unrecognized option '--bogus'\n");
        let err = journal("j -u").unwrap_err();
        assert_eq!(err.line("j"), "j: option requires an argument -- 'u'\n");
        let err = journal("j --no").unwrap_err();
        assert_eq!(
            err.line("j"),
            "j: option '--no' is ambiguous; possibilities: '--no-pager' '--no-hostname'\n"
        );
        let args = journal("j --no-p").unwrap();
        assert_eq!(args.opts, [('\u{E000}', None)]);
    }

    #[test]
    fn stops_at_an_exiting_option() {
        let config = Config {
            short: "a",
            long: &[long("help", HasArg::No, 'h')],
            stop_at: &['h'],
            peek: &|_, _| false,
        };
        let args = getopt_long(&argv(&["x", "--help", "--bogus"]), &config).unwrap();
        assert_eq!(args.opts, [('h', None)]);
    }
}
