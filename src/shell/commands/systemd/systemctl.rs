//! `systemctl` (systemd 255, `src/systemctl/`): the verbs a kubelet lesson needs — status,
//! start, stop, restart, daemon-reload, cat, is-active, is-enabled, enable, disable,
//! list-units — against the simulated systemd of the shell's host, with systemctl's
//! wording, exit codes and the "changed on disk" warning.
//!
//! Simplified: only the units the simulation runs exist (kubelet.service,
//! containerd.service); `list-units` lists just those; `enable`/`disable` change the unit's
//! enablement state without writing the `.wants/` symlinks.

use super::options::{unsupported_id, unsupported_name};
use super::status::{self, STATUS_UNKNOWN};
use crate::cluster::services::unit_name;
use crate::node::systemd::ActiveState;
use crate::shell::commands::World;
use crate::shell::getopt::{getopt_long, long, Config, HasArg, Long, Spec};
use crate::shell::io::Output;

const PROG: &str = "systemctl";

/// `EXIT_NOTINSTALLED`: the unit does not exist.
const NOT_INSTALLED: i32 = 5;

const NO_PAGER: char = '\u{E200}';
const NOW: char = '\u{E201}';
const NO_LEGEND: char = '\u{E202}';
const PLAIN: char = '\u{E203}';
const NO_BLOCK: char = '\u{E204}';
const SYSTEM: char = '\u{E205}';
const VERSION: char = '\u{E206}';
const NO_ASK_PASSWORD: char = '\u{E207}';
const NO_WARN: char = '\u{E208}';

/// systemctl's options, as its `parse_argv` hands them to `getopt_long`.
const SPEC: Spec = Spec {
    short: "hln:qt:aH:M:p:P:o:s:ifrT",
    long: LONGS,
};

const LONGS: &[Long] = &[
    long("help", HasArg::No, 'h'),
    long("version", HasArg::No, VERSION),
    long("no-pager", HasArg::No, NO_PAGER),
    long("full", HasArg::No, 'l'),
    long("lines", HasArg::Required, 'n'),
    long("quiet", HasArg::No, 'q'),
    long("type", HasArg::Required, 't'),
    long("all", HasArg::No, 'a'),
    long("now", HasArg::No, NOW),
    long("no-legend", HasArg::No, NO_LEGEND),
    long("plain", HasArg::No, PLAIN),
    long("no-block", HasArg::No, NO_BLOCK),
    long("system", HasArg::No, SYSTEM),
    long("no-ask-password", HasArg::No, NO_ASK_PASSWORD),
    long("no-warn", HasArg::No, NO_WARN),
    // Known to systemctl, not implemented here.
    long("user", HasArg::No, unsupported_id(0)),
    long("global", HasArg::No, unsupported_id(1)),
    long("host", HasArg::Required, 'H'),
    long("machine", HasArg::Required, 'M'),
    long("property", HasArg::Required, 'p'),
    long("value", HasArg::No, unsupported_id(2)),
    long("state", HasArg::Required, unsupported_id(3)),
    long("failed", HasArg::No, unsupported_id(4)),
    long("output", HasArg::Required, 'o'),
    long("signal", HasArg::Required, 's'),
    long("kill-whom", HasArg::Required, unsupported_id(5)),
    long("kill-value", HasArg::Required, unsupported_id(6)),
    long("job-mode", HasArg::Required, unsupported_id(7)),
    long("ignore-inhibitors", HasArg::No, 'i'),
    long("runtime", HasArg::No, unsupported_id(8)),
    long("force", HasArg::No, 'f'),
    long("root", HasArg::Required, unsupported_id(9)),
    long("image", HasArg::Required, unsupported_id(10)),
    long("recursive", HasArg::No, unsupported_id(11)),
    long("reverse", HasArg::No, 'r'),
    long("after", HasArg::No, unsupported_id(12)),
    long("before", HasArg::No, unsupported_id(13)),
    long("with-dependencies", HasArg::No, unsupported_id(14)),
    long("show-types", HasArg::No, unsupported_id(15)),
    long("wait", HasArg::No, unsupported_id(16)),
    long("dry-run", HasArg::No, unsupported_id(17)),
    long("preset-mode", HasArg::Required, unsupported_id(18)),
    long("timestamp", HasArg::Required, unsupported_id(19)),
    long("no-reload", HasArg::No, unsupported_id(20)),
    long("marked", HasArg::No, unsupported_id(21)),
    long("drop-in", HasArg::Required, unsupported_id(22)),
    long("when", HasArg::Required, unsupported_id(23)),
    long("what", HasArg::Required, unsupported_id(24)),
    long("show-transaction", HasArg::No, 'T'),
];

/// Short letters of known-but-unimplemented options.
const UNSUPPORTED_SHORT: &[char] = &['H', 'M', 'p', 'P', 'o', 's', 'i', 'f', 'r', 'T'];

/// The verbs implemented here.
const VERBS: &[&str] = &[
    "status",
    "start",
    "stop",
    "restart",
    "daemon-reload",
    "cat",
    "is-active",
    "is-enabled",
    "enable",
    "disable",
    "list-units",
];

/// Verbs systemctl 255 knows that the playground does not implement.
const OTHER_VERBS: &[&str] = &[
    "add-requires",
    "add-wants",
    "bind",
    "cancel",
    "clean",
    "daemon-reexec",
    "default",
    "emergency",
    "exit",
    "force-reload",
    "freeze",
    "get-default",
    "halt",
    "help",
    "hibernate",
    "hybrid-sleep",
    "import-environment",
    "is-failed",
    "is-system-running",
    "isolate",
    "kexec",
    "kill",
    "link",
    "list-automounts",
    "list-dependencies",
    "list-jobs",
    "list-machines",
    "list-paths",
    "list-sockets",
    "list-timers",
    "list-unit-files",
    "log-level",
    "log-target",
    "mask",
    "mount-image",
    "poweroff",
    "preset",
    "preset-all",
    "reboot",
    "reenable",
    "reload",
    "reload-or-restart",
    "rescue",
    "reset-failed",
    "revert",
    "service-log-level",
    "service-log-target",
    "service-watchdogs",
    "set-default",
    "set-environment",
    "set-property",
    "show",
    "show-environment",
    "soft-reboot",
    "suspend",
    "suspend-then-hibernate",
    "switch-root",
    "thaw",
    "try-reload-or-restart",
    "try-restart",
    "unmask",
    "unset-environment",
    "whoami",
];

/// The supported verbs and options, for error messages.
fn supported() -> String {
    format!(
        "Supported here: systemctl {{{}}} [UNIT...]; options --no-pager, -l/--full, -n/--lines=N, -q/--quiet, -t/--type=TYPE, -a/--all, --now, --no-legend, --plain, --no-block, --no-warn, -h/--help, --version.\n",
        VERBS.join("|")
    )
}

/// The parsed options.
#[derive(Debug, Default)]
struct Flags {
    lines: Option<usize>,
    quiet: bool,
    types: Vec<String>,
    all: bool,
    now: bool,
    legend: bool,
    plain: bool,
    warn: bool,
}

/// Runs `systemctl ARGS...` on the shell's host.
pub fn systemctl(world: &mut World<'_>, argv: &[String]) -> Output {
    let config = Config {
        short: SPEC.short,
        long: SPEC.long,
        stop_at: &[],
        peek: &|_, _| false,
    };
    let args = match getopt_long(argv, &config) {
        Ok(args) => args,
        Err(e) => return Output::err(format!("{}{}", e.line(PROG), supported()), 1),
    };
    let mut flags = Flags {
        legend: true,
        warn: true,
        ..Flags::default()
    };
    for (id, value) in &args.opts {
        let value = value.clone().unwrap_or_default();
        match *id {
            'h' => return Output::ok(usage()),
            VERSION => {
                return Output::ok(
                    "systemd 255 (255.4-1ubuntu8.6)\n+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified\n",
                )
            }
            NO_PAGER | 'l' | NO_BLOCK | SYSTEM | NO_ASK_PASSWORD => (),
            'n' => match value.parse::<usize>() {
                Ok(n) => flags.lines = Some(n),
                Err(_) => {
                    return Output::err(format!("Failed to parse lines '{value}'\n"), 1)
                }
            },
            'q' => flags.quiet = true,
            't' => {
                for t in value.split(',') {
                    if !UNIT_TYPES.contains(&t) {
                        return Output::err(
                            format!("Unknown unit type or load state '{t}'.\nUse -t help to see a list of allowed values.\n"),
                            1,
                        );
                    }
                    flags.types.push(t.to_string());
                }
            }
            'a' => flags.all = true,
            NOW => flags.now = true,
            NO_LEGEND => flags.legend = false,
            PLAIN => flags.plain = true,
            NO_WARN => flags.warn = false,
            c if UNSUPPORTED_SHORT.contains(&c) => return unsupported_option(&format!("-{c}")),
            _ => return unsupported_option(&unsupported_name(argv, LONGS)),
        }
    }
    let (verb, units) = match args.operands.split_first() {
        Some((verb, rest)) => (verb.as_str(), rest),
        None => ("list-units", &[][..]),
    };
    let units: Vec<String> = units.iter().map(|u| unit_name(u)).collect();
    let needs_units = matches!(
        verb,
        "start" | "stop" | "restart" | "cat" | "is-active" | "is-enabled" | "enable" | "disable"
    );
    if needs_units && units.is_empty() {
        return Output::err("Too few arguments.\n", 1);
    }
    match verb {
        "status" => status_verb(world, &units, &flags),
        "start" | "stop" | "restart" => job(world, verb, &units, &flags),
        "daemon-reload" if !units.is_empty() => Output::err("Too many arguments.\n", 1),
        "daemon-reload" => {
            world.cluster.daemon_reload(world.host);
            Output::default()
        }
        "cat" => cat(world, &units),
        "is-active" => is_active(world, &units, &flags),
        "is-enabled" => is_enabled(world, &units, &flags),
        "enable" | "disable" => enable(world, verb, &units, &flags),
        "list-units" => list_units(world, &units, &flags),
        "edit" => Output::err(
            "systemctl edit: no interactive editor in this terminal. Write a drop-in with a heredoc instead:\n  mkdir -p /etc/systemd/system/kubelet.service.d\n  cat <<'EOF' > /etc/systemd/system/kubelet.service.d/20-override.conf\n  [Service]\n  ...\n  EOF\n  systemctl daemon-reload\n",
            1,
        ),
        v if OTHER_VERBS.contains(&v) => Output::err(
            format!("{PROG}: the verb '{v}' is not supported in this playground.\n{}", supported()),
            1,
        ),
        v => Output::err(
            format!("Unknown command verb '{v}'.\n{}", supported()),
            1,
        ),
    }
}

/// The unit types `-t` accepts.
const UNIT_TYPES: &[&str] = &[
    "service",
    "mount",
    "swap",
    "socket",
    "target",
    "device",
    "automount",
    "timer",
    "path",
    "slice",
    "scope",
];

/// The warning systemctl prints before acting on (or after showing) a unit whose files
/// changed since systemd loaded them.
fn changed_warning(world: &World<'_>, unit: &str, flags: &Flags) -> String {
    if !flags.warn || !world.cluster.unit_changed_on_disk(world.host, unit) {
        return String::new();
    }
    format!(
        "Warning: The unit file, source configuration file or drop-ins of {unit} changed on disk. Run 'systemctl daemon-reload' to reload units.\n"
    )
}

fn status_verb(world: &mut World<'_>, units: &[String], flags: &Flags) -> Output {
    if units.is_empty() {
        return Output::ok(status::system_status(world.cluster, world.host));
    }
    let mut out = Output::default();
    let mut first = true;
    for unit in units {
        match status::unit_status(world.cluster, world.host, unit, flags.lines.unwrap_or(10)) {
            Some(status) => {
                if !first {
                    out.stdout.push('\n');
                }
                first = false;
                out.stdout.push_str(&status.text);
                // systemctl warns after the unit's status block; keep that order on the terminal.
                out.stderr_after_stdout(&changed_warning(world, unit, flags));
                if out.code == 0 {
                    out.code = status.code;
                }
            }
            None => {
                out.stderr_after_stdout(&format!("Unit {unit} could not be found.\n"));
                if out.code == 0 {
                    out.code = STATUS_UNKNOWN;
                }
            }
        }
    }
    out
}

/// `start`, `stop`, `restart`: one job per unit, through the cluster's systemd.
fn job(world: &mut World<'_>, verb: &str, units: &[String], flags: &Flags) -> Output {
    let mut out = Output::default();
    for unit in units {
        let known = world.cluster.host(world.host).units.contains_key(unit);
        out.stderr.push_str(&changed_warning(world, unit, flags));
        let result = match verb {
            // systemd answers a stop of a unit it never loaded with "not loaded".
            "stop" if !known => Err(format!("Failed to stop {unit}: Unit {unit} not loaded.")),
            "stop" => world.cluster.unit_stop(world.host, unit),
            "start" => world.cluster.unit_start(world.host, unit),
            _ => world.cluster.unit_restart(world.host, unit),
        };
        world.cluster.settle();
        match result {
            Ok(()) => {
                let failure = match verb {
                    "stop" => String::new(),
                    _ => job_failure(world, unit),
                };
                if !failure.is_empty() {
                    out.stderr.push_str(&failure);
                    out.code = 1;
                }
            }
            Err(message) => {
                out.stderr.push_str(&message);
                out.stderr.push('\n');
                let not_found = message.ends_with("not found.") || message.ends_with("not loaded.");
                out.code = if not_found { NOT_INSTALLED } else { 1 };
            }
        }
    }
    out
}

/// systemctl's report when a start job failed (the unit never got its process running).
fn job_failure(world: &World<'_>, unit: &str) -> String {
    let lines = super::lines::unit_lines(world.cluster, world.host, unit);
    let failed_to_start = lines.last().is_some_and(|l| {
        l.ident == "systemd" && l.message.starts_with(&format!("Failed to start {unit}"))
    });
    if !failed_to_start {
        return String::new();
    }
    format!(
        "Job for {unit} failed because of unavailable resources or another system error.\nSee \"systemctl status {unit}\" and \"journalctl -xeu {unit}\" for details.\n"
    )
}

/// `systemctl cat`: each unit's main file and drop-ins as loaded, read from disk.
fn cat(world: &World<'_>, units: &[String]) -> Output {
    let mut out = Output::default();
    let mut first = true;
    for unit in units {
        let Some(state) = world.cluster.host(world.host).units.get(unit) else {
            out.stderr
                .push_str(&format!("No files found for {unit}.\n"));
            out.code = 1;
            continue;
        };
        if !first {
            out.stdout.push('\n');
        }
        first = false;
        if world.cluster.unit_changed_on_disk(world.host, unit) {
            out.stderr.push_str(&format!(
                "# Warning: {unit} changed on disk, the version systemd has loaded is outdated.\n\
                 # This output shows the current version of the unit's original fragment and drop-in files.\n\
                 # If fragments or drop-ins were added or removed, they are not properly reflected in this output.\n\
                 # Run 'systemctl daemon-reload' to reload units.\n"
            ));
        }
        let fs = &world.cluster.host(world.host).node.fs;
        for (i, path) in state.sources.iter().enumerate() {
            match fs.read_to_string(path) {
                Ok(text) => {
                    let sep = if i == 0 { "" } else { "\n" };
                    out.stdout.push_str(&format!("{sep}# {path}\n{text}"));
                    if !text.is_empty() && !text.ends_with('\n') {
                        out.stdout.push('\n');
                    }
                }
                Err(_) => {
                    out.stderr.push_str(&format!(
                        "Failed to open \"{path}\": No such file or directory\n"
                    ));
                    out.code = 1;
                }
            }
        }
    }
    out
}

fn is_active(world: &World<'_>, units: &[String], flags: &Flags) -> Output {
    let mut out = Output::default();
    let mut code = status::NOT_RUNNING;
    for unit in units {
        let state = world.cluster.host(world.host).units.get(unit);
        let word = match state.map(|s| s.active) {
            Some(ActiveState::Active) => {
                code = 0;
                "active"
            }
            Some(ActiveState::AutoRestart) => "activating",
            Some(ActiveState::Failed) => "failed",
            Some(ActiveState::Inactive) | None => "inactive",
        };
        if !flags.quiet {
            out.stdout.push_str(word);
            out.stdout.push('\n');
        }
    }
    out.code = code;
    out
}

fn is_enabled(world: &World<'_>, units: &[String], flags: &Flags) -> Output {
    let mut out = Output::default();
    let mut code = 1;
    for unit in units {
        match world.cluster.host(world.host).units.get(unit) {
            Some(state) => {
                let word = if state.enabled {
                    code = 0;
                    "enabled"
                } else {
                    "disabled"
                };
                if !flags.quiet {
                    out.stdout.push_str(word);
                    out.stdout.push('\n');
                }
            }
            None => {
                out.stderr.push_str(&format!(
                    "Failed to get unit file state for {unit}: No such file or directory\n"
                ));
            }
        }
    }
    out.code = code;
    out
}

/// `enable`/`disable` (with `--now`, also start/stop).
fn enable(world: &mut World<'_>, verb: &str, units: &[String], flags: &Flags) -> Output {
    let mut out = Output::default();
    for unit in units {
        let result = match verb {
            "enable" => world.cluster.unit_enable(world.host, unit),
            _ => world.cluster.unit_disable(world.host, unit),
        };
        let changed = match result {
            Ok(changed) => changed,
            Err(message) => {
                out.stderr.push_str(&message);
                out.stderr.push('\n');
                out.code = 1;
                return out;
            }
        };
        let host = world.cluster.host(world.host);
        let target = wanted_by(world, unit);
        let link = format!("/etc/systemd/system/{target}.wants/{unit}");
        if changed && !flags.quiet {
            let source = host
                .units
                .get(unit)
                .and_then(|s| s.sources.first().cloned())
                .unwrap_or_default();
            let line = match verb {
                "enable" => format!("Created symlink {link} → {source}.\n"),
                _ => format!("Removed \"{link}\".\n"),
            };
            out.stderr.push_str(&line);
        }
        if flags.now {
            let job_verb = if verb == "enable" { "start" } else { "stop" };
            let more = job(world, job_verb, std::slice::from_ref(unit), flags);
            out.stderr.push_str(&more.stderr);
            if more.code != 0 {
                out.code = more.code;
            }
        }
    }
    out
}

/// The target the unit's `[Install] WantedBy=` names (`multi-user.target`).
fn wanted_by(world: &World<'_>, unit: &str) -> String {
    let files = status::files_on_disk(world.cluster, world.host, unit);
    let mut section = "";
    for (_, text) in files.iter().take(1) {
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                section = line;
            } else if section == "[Install]" {
                if let Some(value) = line.strip_prefix("WantedBy=") {
                    if let Some(first) = value.split_whitespace().next() {
                        return first.to_string();
                    }
                }
            }
        }
    }
    "multi-user.target".to_string()
}

/// `list-units`: the loaded units as systemctl's table, with the legend.
fn list_units(world: &World<'_>, patterns: &[String], flags: &Flags) -> Output {
    let host = world.cluster.host(world.host);
    let mut rows: Vec<[String; 6]> = Vec::new();
    for (name, state) in &host.units {
        let suffix = name.rsplit('.').next().unwrap_or("");
        if !flags.types.is_empty() && !flags.types.iter().any(|t| t == suffix) {
            continue;
        }
        if !patterns.is_empty() && !patterns.iter().any(|p| p == name) {
            continue;
        }
        if !flags.all && state.active == ActiveState::Inactive {
            continue;
        }
        let (active, sub) = match state.active {
            ActiveState::Active => ("active", "running"),
            ActiveState::Inactive => ("inactive", "dead"),
            ActiveState::AutoRestart => ("activating", "auto-restart"),
            ActiveState::Failed => ("failed", "failed"),
        };
        let circle = if state.active == ActiveState::Failed {
            "●"
        } else {
            " "
        };
        rows.push([
            circle.to_string(),
            name.clone(),
            "loaded".to_string(),
            active.to_string(),
            sub.to_string(),
            state.loaded.description.clone(),
        ]);
    }
    let header = [
        String::new(),
        "UNIT".to_string(),
        "LOAD".to_string(),
        "ACTIVE".to_string(),
        "SUB".to_string(),
        "DESCRIPTION".to_string(),
    ];
    let first_col = usize::from(flags.plain);
    let mut table: Vec<&[String; 6]> = Vec::new();
    if flags.legend {
        table.push(&header);
    }
    table.extend(rows.iter());
    let widths: Vec<usize> = (0..6)
        .map(|c| {
            table
                .iter()
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
                .max(usize::from(c == 0))
        })
        .collect();
    let mut out = String::new();
    for row in &table {
        let cells: Vec<String> = (first_col..6)
            .map(|c| match c {
                5 => row[c].clone(),
                _ => format!("{:<w$}", row[c], w = widths[c]),
            })
            .collect();
        out.push_str(cells.join(" ").trim_end());
        out.push('\n');
    }
    if flags.legend {
        if !rows.is_empty() {
            out.push_str(
                "\nLegend: LOAD   → Reflects whether the unit definition was properly loaded.\n",
            );
            out.push_str("        ACTIVE → The high-level unit activation state, i.e. generalization of SUB.\n");
            out.push_str("        SUB    → The low-level unit activation state, values depend on unit type.\n");
        }
        out.push('\n');
        if flags.all {
            out.push_str(&format!(
                "{} loaded units listed.\nTo show all installed unit files use 'systemctl list-unit-files'.\n",
                rows.len()
            ));
        } else {
            out.push_str(&format!(
                "{} loaded units listed. Pass --all to see loaded but inactive units, too.\nTo show all installed unit files use 'systemctl list-unit-files'.\n",
                rows.len()
            ));
        }
    }
    Output::ok(out)
}

fn unsupported_option(option: &str) -> Output {
    Output::err(
        format!(
            "{PROG}: {option} is not supported in this playground.\n{}",
            supported()
        ),
        1,
    )
}

/// The `--help` text (also what `help systemctl` shows).
pub fn usage() -> String {
    format!(
        "{PROG} [OPTIONS...] COMMAND ...\n\n\
         Query or send control commands to the system manager.\n\n\
         Commands supported in this playground:\n  \
         list-units [PATTERN...]             List units currently in memory\n  \
         status [UNIT...]                    Show runtime status of one or more units\n  \
         cat UNIT...                         Show files and drop-ins of specified units\n  \
         is-active UNIT...                   Check whether units are active\n  \
         is-enabled UNIT...                  Check whether unit files are enabled\n  \
         start UNIT...                       Start (activate) one or more units\n  \
         stop UNIT...                        Stop (deactivate) one or more units\n  \
         restart UNIT...                     Start or restart one or more units\n  \
         enable [--now] UNIT...              Enable one or more unit files\n  \
         disable [--now] UNIT...             Disable one or more unit files\n  \
         daemon-reload                       Reload systemd manager configuration\n\n\
         Options:\n  \
         -t --type=TYPE      List units of a particular type\n  \
         -a --all            Show all loaded units, including inactive ones\n  \
         -n --lines=INTEGER  Number of journal entries to show (status)\n  \
         -q --quiet          Suppress output\n  \
         -l --full           Don't ellipsize unit names on output\n     \
         --now            Start or stop unit after enabling or disabling it\n     \
         --no-legend      Do not print a legend (column headers and hints)\n     \
         --plain          Print unit list without the status column\n     \
         --no-pager       Do not pipe output into a pager\n     \
         --no-warn        Suppress several warnings shown by default\n\n\
         Units here: kubelet.service, containerd.service (the .service suffix may be omitted).\n"
    )
}
