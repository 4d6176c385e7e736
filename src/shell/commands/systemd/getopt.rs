//! glibc `getopt_long` as systemctl and journalctl call it: clustered short options, attached
//! or separate arguments, unambiguous long-option prefixes, `--`, and operands permuted to
//! the end. systemd's tools add one twist, kept here: an option with an optional argument
//! (`-n`, `-b`) also takes the next word when that word parses as its argument.

/// Whether an option takes an argument, as `struct option`'s `has_arg` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HasArg {
    /// `no_argument`.
    No,
    /// `required_argument`: `--lines=5`, `--lines 5`, `-n5` or `-n 5`.
    Required,
    /// `optional_argument`: `--lines=5` or `-n5`; a separate word only when `peek` accepts it.
    Optional,
}

/// One option: its long name (if any), its short letter or private id, and its argument.
#[derive(Debug, Clone, Copy)]
pub(super) struct Opt {
    /// The long name without `--`, or `""` for a short-only option.
    pub(super) long: &'static str,
    /// The short letter, or a private-use character for long-only options.
    pub(super) id: char,
    /// Whether it is a short option as well (`id` is its letter).
    pub(super) short: bool,
    /// What argument it takes.
    pub(super) has_arg: HasArg,
}

/// The long option as typed (`--name`, without `=value`) that matched an entry of `opts`
/// whose id is `unsupported`: what the "not supported" message names.
pub(super) fn unsupported_name(argv: &[String], opts: &[Opt], unsupported: char) -> String {
    argv.iter()
        .skip(1)
        .find(|a| {
            a.starts_with("--")
                && opts.iter().any(|o| {
                    o.id == unsupported
                        && a[2..]
                            .split('=')
                            .next()
                            .is_some_and(|n| !n.is_empty() && o.long.starts_with(n))
                })
        })
        .map(|a| a.split('=').next().unwrap_or(a).to_string())
        .unwrap_or_else(|| "this option".to_string())
}

/// Shorthand for an option with both a short and a long form.
pub(super) const fn both(id: char, long: &'static str, has_arg: HasArg) -> Opt {
    Opt {
        long,
        id,
        short: true,
        has_arg,
    }
}

/// Shorthand for a long-only option.
pub(super) const fn long(id: char, long: &'static str, has_arg: HasArg) -> Opt {
    Opt {
        long,
        id,
        short: false,
        has_arg,
    }
}

/// Shorthand for a short-only option.
pub(super) const fn short(id: char, has_arg: HasArg) -> Opt {
    Opt {
        long: "",
        id,
        short: true,
        has_arg,
    }
}

/// The parsed command line: options in order, then the operands.
#[derive(Debug, Clone, Default)]
pub(super) struct Args {
    /// `(id, argument)` in the order given.
    pub(super) opts: Vec<(char, Option<String>)>,
    /// Everything that is not an option, in order.
    pub(super) operands: Vec<String>,
}

/// Why `getopt_long` refused the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum OptError {
    /// `-z` is no option.
    Invalid(char),
    /// `--bogus` is no option.
    Unrecognized(String),
    /// `-n` at the end of the line.
    NeedsArg(char),
    /// `--lines` at the end of the line.
    LongNeedsArg(String),
    /// `--no-pager=1`.
    LongNoArg(String),
    /// `--no` matches several options.
    Ambiguous(String, Vec<String>),
}

impl OptError {
    /// glibc's diagnostic line, with the program name.
    pub(super) fn line(&self, prog: &str) -> String {
        match self {
            OptError::Invalid(c) => format!("{prog}: invalid option -- '{c}'\n"),
            OptError::Unrecognized(arg) => format!("{prog}: unrecognized option '{arg}'\n"),
            OptError::NeedsArg(c) => format!("{prog}: option requires an argument -- '{c}'\n"),
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

/// Parses `argv[1..]` against `opts`. `peek(id, word)` says whether the word after an option
/// with an optional argument is that argument (journalctl's `-n 5`, `-b -1`).
pub(super) fn getopt(
    argv: &[String],
    opts: &[Opt],
    peek: &dyn Fn(char, &str) -> bool,
) -> Result<Args, OptError> {
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
            let opt = find_long(opts, name, arg)?;
            let value = match (opt.has_arg, value) {
                (HasArg::No, Some(_)) => return Err(OptError::LongNoArg(opt.long.to_string())),
                (HasArg::No, None) => None,
                (_, Some(value)) => Some(value),
                (HasArg::Optional, None) => take_peeked(argv, &mut idx, opt.id, peek),
                (HasArg::Required, None) => match argv.get(idx) {
                    Some(next) => {
                        idx += 1;
                        Some(next.clone())
                    }
                    None => return Err(OptError::LongNeedsArg(opt.long.to_string())),
                },
            };
            args.opts.push((opt.id, value));
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg.chars().skip(1).collect();
            let mut pos = 0;
            while pos < chars.len() {
                let c = chars[pos];
                pos += 1;
                let Some(opt) = opts.iter().find(|o| o.short && o.id == c) else {
                    return Err(OptError::Invalid(c));
                };
                let rest: String = chars[pos..].iter().collect();
                match opt.has_arg {
                    HasArg::No => args.opts.push((c, None)),
                    HasArg::Optional => {
                        pos = chars.len();
                        let value = match rest.is_empty() {
                            true => take_peeked(argv, &mut idx, c, peek),
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

fn find_long(opts: &[Opt], name: &str, arg: &str) -> Result<Opt, OptError> {
    let longs = opts.iter().filter(|o| !o.long.is_empty());
    if let Some(exact) = longs.clone().find(|o| o.long == name) {
        return Ok(*exact);
    }
    let hits: Vec<&Opt> = longs
        .filter(|o| !name.is_empty() && o.long.starts_with(name))
        .collect();
    match hits.as_slice() {
        [] => Err(OptError::Unrecognized(arg.to_string())),
        [one] => Ok(**one),
        many => {
            let shown = arg.split('=').next().unwrap_or(arg).to_string();
            Err(OptError::Ambiguous(
                shown,
                many.iter().map(|o| o.long.to_string()).collect(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: &[Opt] = &[
        both('n', "lines", HasArg::Optional),
        both('u', "unit", HasArg::Required),
        both('f', "follow", HasArg::No),
        long('\u{E000}', "no-pager", HasArg::No),
        long('\u{E001}', "no-hostname", HasArg::No),
    ];

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    fn number(_: char, word: &str) -> bool {
        word.parse::<u32>().is_ok()
    }

    #[test]
    fn permutes_and_peeks() {
        let args = getopt(&words("journalctl -u kubelet -n 5 -f extra"), OPTS, &number).unwrap();
        assert_eq!(
            args.opts,
            [
                ('u', Some("kubelet".into())),
                ('n', Some("5".into())),
                ('f', None)
            ]
        );
        assert_eq!(args.operands, ["extra"]);
        let args = getopt(&words("journalctl -n -f"), OPTS, &number).unwrap();
        assert_eq!(args.opts, [('n', None), ('f', None)]);
        let args = getopt(&words("journalctl -fn3 --unit=x"), OPTS, &number).unwrap();
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
        let err = getopt(&words("j -z"), OPTS, &number).unwrap_err();
        assert_eq!(err.line("j"), "j: invalid option -- 'z'\n");
        let err = getopt(&words("j --bogus"), OPTS, &number).unwrap_err();
        assert_eq!(err.line("j"), "j: unrecognized option '--bogus'\n");
        let err = getopt(&words("j -u"), OPTS, &number).unwrap_err();
        assert_eq!(err.line("j"), "j: option requires an argument -- 'u'\n");
        let err = getopt(&words("j --no"), OPTS, &number).unwrap_err();
        assert_eq!(
            err.line("j"),
            "j: option '--no' is ambiguous; possibilities: '--no-pager' '--no-hostname'\n"
        );
        let args = getopt(&words("j --no-p"), OPTS, &number).unwrap();
        assert_eq!(args.opts, [('\u{E000}', None)]);
    }
}
