//! Flag parsing as crictl gets it from `github.com/urfave/cli/v2` on top of Go's `flag`
//! package: `-name`, `--name`, `-name=value`, `--name value`, bool flags that take no value,
//! combined short flags (`-aq`, the `UseShortOptionHandling` setting), and parsing that stops
//! at the first positional argument or at `--`, so `crictl logs ID --tail 5` leaves `--tail`
//! as an argument, as upstream does.
//!
//! Errors read as Go's `flag` package words them (`flag provided but not defined: -x`,
//! `flag needs an argument: -name`, `invalid value "x" for flag -tail: parse error`).

use std::collections::{BTreeMap, VecDeque};

/// What a flag holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A switch (`-a`).
    Bool,
    /// A string (`--name web`).
    Str,
    /// A whole number (`--tail 5`).
    Int,
    /// A string that may be given several times (`--label a=b --label c=d`).
    List,
}

/// One flag a command accepts: its long name, its aliases, and its kind.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// The canonical name (`all`).
    pub name: &'static str,
    /// Other names (`a`).
    pub aliases: &'static [&'static str],
    /// What it holds.
    pub kind: Kind,
    /// The usage line `--help` shows.
    pub usage: &'static str,
}

/// A shorthand for declaring a [`Flag`].
pub const fn flag(
    name: &'static str,
    aliases: &'static [&'static str],
    kind: Kind,
    usage: &'static str,
) -> Flag {
    Flag {
        name,
        aliases,
        kind,
        usage,
    }
}

/// The parsed command line of one subcommand.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    values: BTreeMap<&'static str, Vec<String>>,
    /// The positional arguments, in order.
    pub args: Vec<String>,
    /// `-h`/`--help` was given.
    pub help: bool,
}

impl Parsed {
    /// Whether the flag was given at all (`c.IsSet`).
    pub fn is_set(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// A bool flag's value.
    pub fn bool(&self, name: &str) -> bool {
        self.values
            .get(name)
            .and_then(|v| v.last())
            .is_some_and(|v| v == "true")
    }

    /// A string flag's value, empty when unset.
    pub fn string(&self, name: &str) -> String {
        self.values
            .get(name)
            .and_then(|v| v.last())
            .cloned()
            .unwrap_or_default()
    }

    /// An int flag's value, or `default` when unset (values were checked while parsing).
    pub fn int(&self, name: &str, default: i64) -> i64 {
        self.values
            .get(name)
            .and_then(|v| v.last())
            .and_then(|v| parse_go_int(v))
            .unwrap_or(default)
    }

    /// Every value a list flag was given.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

/// Parses `args` (after the subcommand name) against `flags`; the error is the `flag`
/// package's message.
pub fn parse(flags: &[Flag], args: &[String]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let mut queue: VecDeque<String> = args.iter().cloned().collect();
    while let Some(arg) = queue.pop_front() {
        if arg == "--" {
            parsed.args.extend(queue);
            return Ok(parsed);
        }
        if !arg.starts_with('-') || arg == "-" {
            parsed.args.push(arg);
            parsed.args.extend(queue);
            return Ok(parsed);
        }
        let body = arg.trim_start_matches('-');
        let dashes = arg.len() - body.len();
        if dashes > 2 || body.is_empty() || body.starts_with('=') {
            return Err(format!("bad flag syntax: {arg}"));
        }
        let (name, inline) = match body.split_once('=') {
            Some((name, value)) => (name.to_string(), Some(value.to_string())),
            None => (body.to_string(), None),
        };
        if matches!(name.as_str(), "h" | "help") {
            parsed.help = true;
            continue;
        }
        let Some(spec) = find(flags, &name) else {
            // Short option handling: `-aq` is read again as `-a -q`.
            if dashes == 1 && inline.is_none() && name.chars().count() > 1 {
                for ch in name.chars().rev() {
                    queue.push_front(format!("-{ch}"));
                }
                continue;
            }
            return Err(format!("flag provided but not defined: -{name}"));
        };
        let value = match (spec.kind, inline) {
            (Kind::Bool, None) => "true".to_string(),
            (Kind::Bool, Some(v)) => match v.as_str() {
                "1" | "t" | "T" | "true" | "TRUE" | "True" => "true".into(),
                "0" | "f" | "F" | "false" | "FALSE" | "False" => "false".into(),
                _ => {
                    return Err(format!(
                        "invalid boolean value {v:?} for -{name}: parse error"
                    ))
                }
            },
            (_, Some(v)) => v,
            (_, None) => match queue.pop_front() {
                Some(v) => v,
                None => return Err(format!("flag needs an argument: -{name}")),
            },
        };
        if spec.kind == Kind::Int && parse_go_int(&value).is_none() {
            return Err(format!(
                "invalid value {value:?} for flag -{name}: parse error"
            ));
        }
        let slot = parsed.values.entry(spec.name).or_default();
        if spec.kind == Kind::List {
            slot.push(value);
        } else {
            *slot = vec![value];
        }
    }
    Ok(parsed)
}

fn find<'f>(flags: &'f [Flag], name: &str) -> Option<&'f Flag> {
    flags
        .iter()
        .find(|f| f.name == name || f.aliases.contains(&name))
}

/// `strconv.ParseInt(s, 0, 64)`, as Go's int flags read values: decimal, `0x`, `0o`, `0b`.
fn parse_go_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let digits = digits.replace('_', "");
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(bin) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        i64::from_str_radix(bin, 2).ok()?
    } else if let Some(oct) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        i64::from_str_radix(oct, 8).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse::<i64>().ok()?
    };
    Some(if negative { -value } else { value })
}

/// The `OPTIONS:` block of a command's help, as urfave/cli lays it out.
pub fn options_help(flags: &[Flag]) -> String {
    let rendered: Vec<(String, &str)> = flags
        .iter()
        .map(|f| {
            let mut names = vec![dashed(f.name)];
            names.extend(f.aliases.iter().map(|a| dashed(a)));
            let value = match f.kind {
                Kind::Bool => String::new(),
                Kind::Str | Kind::List => " value".to_string(),
                Kind::Int => " value".to_string(),
            };
            (format!("{}{value}", names.join(", ")), f.usage)
        })
        .chain(std::iter::once((
            "--help, -h".to_string(),
            "show help (default: false)",
        )))
        .collect();
    let width = rendered.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    rendered
        .iter()
        .map(|(names, usage)| format!("   {names:<width$}  {usage}\n"))
        .collect()
}

fn dashed(name: &str) -> String {
    if name.chars().count() == 1 {
        format!("-{name}")
    } else {
        format!("--{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        flag("all", &["a"], Kind::Bool, ""),
        flag("quiet", &["q"], Kind::Bool, ""),
        flag("name", &[], Kind::Str, ""),
        flag("tail", &[], Kind::Int, ""),
        flag("label", &[], Kind::List, ""),
    ];

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_go_style_flags() {
        let p = parse(
            FLAGS,
            &args("-aq --name=web --tail 5 --label a=b --label c=d id"),
        )
        .unwrap();
        assert!(p.bool("all") && p.bool("quiet"));
        assert_eq!(p.string("name"), "web");
        assert_eq!(p.int("tail", -1), 5);
        assert_eq!(p.list("label"), vec!["a=b", "c=d"]);
        assert_eq!(p.args, vec!["id"]);
    }

    #[test]
    fn stops_at_the_first_argument() {
        let p = parse(FLAGS, &args("id --tail 5")).unwrap();
        assert_eq!(p.args, vec!["id", "--tail", "5"]);
        assert!(!p.is_set("tail"));
    }

    #[test]
    fn errors_read_like_go() {
        assert_eq!(
            parse(FLAGS, &args("-x")).unwrap_err(),
            "flag provided but not defined: -x"
        );
        assert_eq!(
            parse(FLAGS, &args("-ax")).unwrap_err(),
            "flag provided but not defined: -x"
        );
        assert_eq!(
            parse(FLAGS, &args("--name")).unwrap_err(),
            "flag needs an argument: -name"
        );
        assert_eq!(
            parse(FLAGS, &args("--tail x")).unwrap_err(),
            "invalid value \"x\" for flag -tail: parse error"
        );
    }
}
