//! kubectl's command line as cobra and pflag read it (v1.34): the subcommand is the first
//! word that is not a flag, flags may come before or after it and between the arguments,
//! `--` ends the flags (cobra remembers where, for `exec` and `run`), long flags take
//! `--name=value` or `--name value`, shorthands take `-n value`, `-nvalue` or `-n=value` and
//! combine (`-it`), and boolean flags accept `--watch=false`.
//!
//! Errors are pflag's messages (`unknown flag: --foo`, `unknown shorthand flag: 'z' in -z`,
//! `flag needs an argument: --namespace`, `invalid argument "x" for "--tail" flag: ...`),
//! which kubectl prints as `error: <message>` followed by `See 'kubectl get --help' for
//! usage.`. A real kubectl flag that this playground does not implement is refused with a
//! message that says so and lists the flags the command supports, never ignored.

/// What a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A boolean: `--watch`, `--watch=false`.
    Bool,
    /// A string; the last occurrence wins.
    Str,
    /// An integer (`strconv.ParseInt` rules); the last occurrence wins.
    Int,
    /// A repeatable string (`-f a -f b`, `--env A=1 --env B=2`); commas are not split.
    Strings,
}

/// One flag of a command.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// The long name, without dashes.
    pub long: &'static str,
    /// The one-letter shorthand.
    pub short: Option<char>,
    /// What it takes.
    pub kind: Kind,
    /// The one-line help text.
    pub help: &'static str,
}

/// Shorthand for building flag tables.
pub const fn flag(long: &'static str, short: Option<char>, kind: Kind, help: &'static str) -> Flag {
    Flag {
        long,
        short,
        kind,
        help,
    }
}

/// A subcommand's flags: the ones implemented here and the real kubectl flags that are not.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// The subcommand (`get`).
    pub name: &'static str,
    /// `kubectl get [(-o|--output=)...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | ...)`.
    pub usage: &'static str,
    /// The first line of the command's help.
    pub summary: &'static str,
    /// The flags this playground implements (besides the global ones).
    pub flags: &'static [Flag],
    /// Real kubectl flags of this command that this playground does not implement.
    pub unsupported: &'static [&'static str],
}

/// The flags every subcommand accepts (kubectl's persistent flags) that are implemented here.
pub const GLOBAL_FLAGS: &[Flag] = &[
    flag(
        "namespace",
        Some('n'),
        Kind::Str,
        "If present, the namespace scope for this CLI request",
    ),
    flag(
        "kubeconfig",
        None,
        Kind::Str,
        "Path to the kubeconfig file to use for CLI requests.",
    ),
    flag(
        "context",
        None,
        Kind::Str,
        "The name of the kubeconfig context to use",
    ),
    flag(
        "request-timeout",
        None,
        Kind::Str,
        "The length of time to wait before giving up on a single server request.",
    ),
    flag(
        "v",
        Some('v'),
        Kind::Str,
        "number for the log level verbosity (only levels 0 to 5 are accepted here)",
    ),
    flag("help", Some('h'), Kind::Bool, "help for the command"),
];

/// kubectl's persistent flags that are not implemented here.
pub const GLOBAL_UNSUPPORTED: &[&str] = &[
    "as",
    "as-group",
    "as-uid",
    "cache-dir",
    "certificate-authority",
    "client-certificate",
    "client-key",
    "cluster",
    "disable-compression",
    "insecure-skip-tls-verify",
    "kuberc",
    "log-flush-frequency",
    "match-server-version",
    "password",
    "profile",
    "profile-output",
    "server",
    "s",
    "tls-server-name",
    "token",
    "user",
    "username",
    "warnings-as-errors",
];

/// A parsed command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    values: Vec<(&'static str, String)>,
    /// The positional arguments, in order (those after `--` included).
    pub args: Vec<String>,
    /// cobra's `ArgsLenAtDash`: how many positional arguments came before `--`.
    pub dash: Option<usize>,
}

impl Parsed {
    /// The last value given for flag `long`.
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(name, _)| *name == long)
            .map(|(_, v)| v.as_str())
    }

    /// Every value given for flag `long`, in order.
    pub fn all(&self, long: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(name, _)| *name == long)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether flag `long` was given at all (`Changed` in pflag).
    pub fn has(&self, long: &str) -> bool {
        self.values.iter().any(|(name, _)| *name == long)
    }

    /// A boolean flag's value (false when not given).
    pub fn bool(&self, long: &str) -> bool {
        self.get(long) == Some("true")
    }

    /// An integer flag's value (already validated while parsing).
    pub fn int(&self, long: &str) -> Option<i64> {
        self.get(long).and_then(|v| parse_go_int(v).ok())
    }
}

/// Why a command line was refused: kubectl's message, without `error: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagError {
    /// pflag's own error, followed by the `See 'kubectl X --help'` line.
    Usage(String),
    /// A real kubectl flag this playground does not implement.
    Unsupported(String),
}

/// Finds the subcommand: the first word that is neither a flag nor the value of a global
/// flag. Returns its index in `argv` (which includes `argv[0]`).
pub fn find_subcommand(argv: &[String]) -> Option<usize> {
    let mut idx = 1;
    while idx < argv.len() {
        let arg = argv[idx].as_str();
        if arg == "--" {
            return None;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let takes_value = GLOBAL_FLAGS
                .iter()
                .any(|f| f.long == long && f.kind != Kind::Bool);
            idx += if takes_value { 2 } else { 1 };
            continue;
        }
        if let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            // `-n kube-system`: a value-taking shorthand at the end of the group eats the next word.
            let last = shorts.chars().last();
            let takes_value = shorts.chars().count() == 1
                && GLOBAL_FLAGS
                    .iter()
                    .any(|f| f.short == last && f.kind != Kind::Bool);
            idx += if takes_value { 2 } else { 1 };
            continue;
        }
        return Some(idx);
    }
    None
}

/// Parses `args` (the command line without `kubectl` and the subcommand) against `spec`
/// plus the global flags.
pub fn parse(args: &[String], spec: &CommandSpec) -> Result<Parsed, FlagError> {
    let mut parsed = Parsed::default();
    let lookup_long = |name: &str| -> Option<&'static Flag> {
        spec.flags
            .iter()
            .chain(GLOBAL_FLAGS)
            .find(|f| f.long == name)
    };
    let lookup_short = |c: char| -> Option<&'static Flag> {
        spec.flags
            .iter()
            .chain(GLOBAL_FLAGS)
            .find(|f| f.short == Some(c))
    };
    let mut idx = 0;
    while idx < args.len() {
        let arg = &args[idx];
        idx += 1;
        if arg == "--" {
            parsed.dash = Some(parsed.args.len());
            parsed.args.extend(args[idx..].iter().cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            // kubectl's WordSepNormalizeFunc: `--all_namespaces` is `--all-namespaces`.
            let normalized = name.replace('_', "-");
            let name = normalized.as_str();
            let Some(f) = lookup_long(name) else {
                if spec.unsupported.contains(&name) || GLOBAL_UNSUPPORTED.contains(&name) {
                    return Err(unsupported(spec, &format!("--{name}")));
                }
                return Err(FlagError::Usage(format!("unknown flag: --{name}")));
            };
            let value = match (f.kind, inline) {
                (Kind::Bool, None) => "true".to_string(),
                (_, Some(v)) => v,
                (_, None) => match args.get(idx) {
                    Some(next) => {
                        idx += 1;
                        next.clone()
                    }
                    None => {
                        return Err(FlagError::Usage(format!(
                            "flag needs an argument: --{name}"
                        )))
                    }
                },
            };
            parsed.values.push((f.long, check_value(f, &value)?));
            continue;
        }
        let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) else {
            parsed.args.push(arg.clone());
            continue;
        };
        let chars: Vec<char> = shorts.chars().collect();
        let mut pos = 0;
        while pos < chars.len() {
            let c = chars[pos];
            pos += 1;
            let Some(f) = lookup_short(c) else {
                let name = c.to_string();
                if spec.unsupported.contains(&name.as_str())
                    || GLOBAL_UNSUPPORTED.contains(&name.as_str())
                {
                    return Err(unsupported(spec, &format!("-{c}")));
                }
                return Err(FlagError::Usage(format!(
                    "unknown shorthand flag: '{c}' in -{shorts}"
                )));
            };
            let rest: String = chars[pos..].iter().collect();
            let value = if f.kind == Kind::Bool {
                match rest.strip_prefix('=') {
                    Some(v) => {
                        pos = chars.len();
                        v.to_string()
                    }
                    None => "true".to_string(),
                }
            } else if !rest.is_empty() {
                pos = chars.len();
                rest.strip_prefix('=').unwrap_or(&rest).to_string()
            } else {
                match args.get(idx) {
                    Some(next) => {
                        idx += 1;
                        next.clone()
                    }
                    None => {
                        return Err(FlagError::Usage(format!(
                            "flag needs an argument: '{c}' in -{shorts}"
                        )))
                    }
                }
            };
            parsed.values.push((f.long, check_value(f, &value)?));
        }
    }
    Ok(parsed)
}

/// The usage error line kubectl appends to flag errors.
pub fn see_help(command: &str) -> String {
    if command.is_empty() {
        "See 'kubectl --help' for usage.".to_string()
    } else {
        format!("See 'kubectl {command} --help' for usage.")
    }
}

/// What kubectl prints for a refused command line.
pub fn flag_error_text(spec: &CommandSpec, err: &FlagError) -> String {
    match err {
        FlagError::Usage(msg) => format!("error: {msg}\n{}\n", see_help(spec.name)),
        FlagError::Unsupported(msg) => format!("error: {msg}\n"),
    }
}

/// `--help` for a subcommand: the summary, the supported flags and the usage line.
pub fn help_text(spec: &CommandSpec) -> String {
    let mut out = format!("{}\n\nOptions:\n", spec.summary);
    for f in spec.flags {
        out.push_str(&format!("    {}:\n\t{}\n\n", flag_name(f), f.help));
    }
    out.push_str(&format!(
        "Usage:\n  {}\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n",
        spec.usage
    ));
    out
}

/// `-n, --namespace=''` style name of a flag, as kubectl's help lists it.
fn flag_name(f: &Flag) -> String {
    let value = match f.kind {
        Kind::Bool => "=false",
        Kind::Int => "=-1",
        Kind::Str => "=''",
        Kind::Strings => "=[]",
    };
    match f.short {
        Some(c) => format!("-{c}, --{}{value}", f.long),
        None => format!("--{}{value}", f.long),
    }
}

fn unsupported(spec: &CommandSpec, given: &str) -> FlagError {
    let mut names: Vec<String> = spec
        .flags
        .iter()
        .map(|f| match f.short {
            Some(c) => format!("-{c}/--{}", f.long),
            None => format!("--{}", f.long),
        })
        .collect();
    names.push("-n/--namespace".to_string());
    FlagError::Unsupported(format!(
        "flag {given} is not supported by this playground's kubectl {}; supported flags: {}",
        spec.name,
        names.join(", ")
    ))
}

/// Validates a value the way pflag's `Set` does for the flag's type.
fn check_value(f: &Flag, value: &str) -> Result<String, FlagError> {
    let name = match f.short {
        Some(c) => format!("-{c}, --{}", f.long),
        None => format!("--{}", f.long),
    };
    match f.kind {
        Kind::Bool => match parse_go_bool(value) {
            Some(b) => Ok(b.to_string()),
            None => Err(FlagError::Usage(format!(
                "invalid argument \"{value}\" for \"{name}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"
            ))),
        },
        Kind::Int => match parse_go_int(value) {
            Ok(_) => Ok(value.to_string()),
            Err(why) => Err(FlagError::Usage(format!(
                "invalid argument \"{value}\" for \"{name}\" flag: strconv.ParseInt: parsing \"{value}\": {why}"
            ))),
        },
        Kind::Str | Kind::Strings => Ok(value.to_string()),
    }
}

/// `strconv.ParseBool`.
pub fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// `strconv.ParseInt(text, 0, 64)` for decimal input; the error is Go's reason.
pub fn parse_go_int(text: &str) -> Result<i64, &'static str> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("invalid syntax");
    }
    text.parse::<i64>().map_err(|_| "value out of range")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: CommandSpec = CommandSpec {
        name: "get",
        usage: "kubectl get TYPE [NAME]",
        summary: "Display one or many resources.",
        flags: &[
            flag("output", Some('o'), Kind::Str, ""),
            flag("watch", Some('w'), Kind::Bool, ""),
            flag("all-namespaces", Some('A'), Kind::Bool, ""),
            flag("selector", Some('l'), Kind::Str, ""),
            flag("tail", None, Kind::Int, ""),
            flag("filename", Some('f'), Kind::Strings, ""),
        ],
        unsupported: &["sort-by"],
    };

    fn argv(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    fn parse_ok(text: &str) -> Parsed {
        parse(&argv(text), &GET).unwrap()
    }

    fn parse_err(text: &str) -> String {
        match parse(&argv(text), &GET).unwrap_err() {
            FlagError::Usage(m) | FlagError::Unsupported(m) => m,
        }
    }

    #[test]
    fn long_and_short_forms() {
        let p = parse_ok("pods -o wide --selector=app=web -n kube-system web");
        assert_eq!(p.get("output"), Some("wide"));
        assert_eq!(p.get("selector"), Some("app=web"));
        assert_eq!(p.get("namespace"), Some("kube-system"));
        assert_eq!(p.args, ["pods", "web"]);
        let p = parse_ok("-ojson -nkube-system -o=yaml pods");
        assert_eq!(p.get("output"), Some("yaml"));
        assert_eq!(p.get("namespace"), Some("kube-system"));
    }

    #[test]
    fn combined_booleans_and_explicit_values() {
        let p = parse_ok("pods -Aw");
        assert!(p.bool("all-namespaces") && p.bool("watch"));
        let p = parse_ok("pods --watch=false -A=false");
        assert!(p.has("watch") && !p.bool("watch"));
        assert!(!p.bool("all-namespaces"));
        // A bool flag never eats the next word.
        assert_eq!(parse_ok("-w pods").args, ["pods"]);
    }

    #[test]
    fn dash_dash_ends_flags() {
        let p = parse_ok("web -o yaml -- sh -c -o");
        assert_eq!(p.args, ["web", "sh", "-c", "-o"]);
        assert_eq!(p.dash, Some(1));
        assert_eq!(p.get("output"), Some("yaml"));
    }

    #[test]
    fn repeatable_flags_keep_every_value() {
        let p = parse_ok("-f a.yaml --filename b.yaml -f=c.yaml");
        assert_eq!(p.all("filename"), ["a.yaml", "b.yaml", "c.yaml"]);
    }

    #[test]
    fn pflag_error_messages() {
        assert_eq!(parse_err("pods --foo"), "unknown flag: --foo");
        assert_eq!(parse_err("pods -z"), "unknown shorthand flag: 'z' in -z");
        assert_eq!(parse_err("pods -Az"), "unknown shorthand flag: 'z' in -Az");
        assert_eq!(parse_err("pods -n"), "flag needs an argument: 'n' in -n");
        assert_eq!(
            parse_err("pods --namespace"),
            "flag needs an argument: --namespace"
        );
        assert_eq!(
            parse_err("pods --tail=ten"),
            "invalid argument \"ten\" for \"--tail\" flag: strconv.ParseInt: parsing \"ten\": invalid syntax"
        );
        assert_eq!(
            parse_err("pods --watch=maybe"),
            "invalid argument \"maybe\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
    }

    #[test]
    fn unsupported_real_flags_say_so() {
        let msg = parse_err("pods --sort-by=.metadata.name");
        assert!(
            msg.starts_with("flag --sort-by is not supported by this playground's kubectl get; supported flags: -o/--output, -w/--watch"),
            "{msg}"
        );
        assert!(parse_err("pods --server=x").contains("not supported"));
    }

    #[test]
    fn values_may_start_with_a_dash() {
        assert_eq!(parse_ok("--tail -1").int("tail"), Some(-1));
        assert_eq!(parse_ok("-l -x").get("selector"), Some("-x"));
    }

    #[test]
    fn subcommand_after_global_flags() {
        let v = argv("kubectl -n kube-system --kubeconfig /x get pods");
        assert_eq!(find_subcommand(&v), Some(5));
        assert_eq!(find_subcommand(&argv("kubectl -nkube-system get")), Some(2));
        assert_eq!(find_subcommand(&argv("kubectl --help")), None);
        assert_eq!(find_subcommand(&argv("kubectl")), None);
    }

    #[test]
    fn go_number_and_bool_parsing() {
        assert_eq!(parse_go_int("+5"), Ok(5));
        assert_eq!(parse_go_int("1e3"), Err("invalid syntax"));
        assert_eq!(
            parse_go_int("99999999999999999999"),
            Err("value out of range")
        );
        assert_eq!(parse_go_bool("T"), Some(true));
        assert_eq!(parse_go_bool("yes"), None);
    }
}
