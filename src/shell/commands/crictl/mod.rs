//! `crictl` (cri-tools v1.34) against the host's emulated containerd: the subcommands a
//! learner uses to look at and poke static pods on a node (`ps`, `pods`, `stop`, `rm`,
//! `stopp`, `rmp`, `stats`, `statsp`, `logs`, `inspect`, `inspectp`, `images`, `rmi`,
//! `pull`, `exec`, `version`, `info`).
//!
//! Mirrors `cmd/crictl/{main,container,sandbox,image,logs,exec,info,version}.go`. Errors are
//! what `logrus.Fatal(err)` prints on a terminal (`FATA[0000] ...`, exit 1), preceded, for
//! a failed runtime call, by the error line the CRI client logs through klog (`E1122 ...
//! log.go:32] "StopContainer from runtime service failed" err=... containerID=...`).
//!
//! Simplified: only the subcommands and flags listed in [`SUBCOMMANDS`] are emulated; any
//! other upstream subcommand says it is not supported here, and an unknown flag is reported
//! as urfave/cli reports it, followed by the subcommand's help listing the supported flags.

mod cli;
pub(crate) mod containers;
mod human;
mod ids;
mod images;
mod info;
mod inspect;
mod json;
pub(crate) mod logs;
mod pods;
mod sandbox_ops;
mod stats;

use crate::cluster::Cluster;
use crate::node::runtime::Runtime;
use crate::shell::commands::kubectl::tabwriter::{align, TabConfig};
use crate::shell::commands::World;
use crate::shell::io::Output;
use crate::sim::wallclock::klog_stamp;
use crate::sim::SimTime;

use cli::Flag;

/// One emulated subcommand: its name, aliases, usage line, arguments and flags.
pub struct Subcommand {
    /// The name (`ps`).
    pub name: &'static str,
    /// Other names (`images` also answers to `image` and `img`).
    pub aliases: &'static [&'static str],
    /// The one-line description.
    pub usage: &'static str,
    /// The arguments in the usage line (`CONTAINER-ID [CONTAINER-ID...]`).
    pub args_usage: &'static str,
    /// The flags it accepts.
    pub flags: &'static [Flag],
}

/// Every emulated subcommand, in the order `crictl --help` lists them.
pub const SUBCOMMANDS: &[&Subcommand] = &[
    &logs::EXEC,
    &images::IMAGES,
    &info::INFO,
    &inspect::INSPECT,
    &inspect::INSPECTP,
    &logs::LOGS,
    &pods::PODS,
    &containers::PS,
    &images::PULL,
    &containers::RM,
    &images::RMI,
    &sandbox_ops::RMP,
    &stats::STATS,
    &stats::STATSP,
    &containers::STOP,
    &sandbox_ops::STOPP,
    &info::VERSION,
];

/// Upstream subcommands the playground does not emulate.
const NOT_EMULATED: &[&str] = &[
    "attach",
    "checkpoint",
    "completion",
    "config",
    "create",
    "events",
    "imagefsinfo",
    "inspecti",
    "metricdescs",
    "metricsp",
    "port-forward",
    "run",
    "runp",
    "runtime-config",
    "start",
    "update",
    "update-runtime-config",
];

/// What a subcommand works with: the cluster and the host the shell is on.
pub struct Ctx<'w, 'a> {
    /// The shell's world.
    pub world: &'w mut World<'a>,
}

impl Ctx<'_, '_> {
    /// The virtual time now.
    pub fn now(&self) -> SimTime {
        self.world.cluster.now()
    }

    /// The host's container runtime.
    pub fn runtime(&self) -> &Runtime {
        &self.world.cluster.host(self.world.host).node.runtime
    }

    /// The full id of the container `typed` names (an id or a unique prefix), or the CRI error.
    pub fn container_id(&self, typed: &str) -> Result<String, String> {
        ids::resolve(
            self.runtime().containers().map(|c| &*c.id),
            typed,
            ids::Kind::Container,
        )
    }

    /// The full id of the pod sandbox `typed` names (an id or a unique prefix), or the CRI error.
    pub fn sandbox_id(&self, typed: &str) -> Result<String, String> {
        ids::resolve(
            self.runtime().sandboxes().map(|s| s.id.as_str()),
            typed,
            ids::Kind::Sandbox,
        )
    }

    /// The host's container runtime, for changes.
    pub fn runtime_mut(&mut self) -> &mut Runtime {
        &mut self.world.cluster.node_mut(self.world.host).runtime
    }

    /// The cluster.
    pub fn cluster(&mut self) -> &mut Cluster {
        self.world.cluster
    }

    /// The error lines of a failed runtime call: klog's line from the CRI client, then
    /// logrus' fatal line with `fatal` (the error as crictl wraps it).
    pub fn rpc_failure(
        &mut self,
        call: &str,
        key: &str,
        id: &str,
        err: &str,
        fatal: &str,
    ) -> Output {
        let pid = self.world.cluster.node_mut(self.world.host).allocate_pid();
        let mut line = format!(
            "E{} {pid:>7} log.go:32] \"{call}\" err={}",
            klog_stamp(self.now()),
            go_quote(err)
        );
        if !key.is_empty() {
            line.push_str(&format!(" {key}={}", go_quote(id)));
        }
        Output::err(format!("{line}\n{}", fatal_line(fatal)), 1)
    }
}

/// Runs `crictl ARGS...`.
pub fn crictl(world: &mut World<'_>, argv: &[String]) -> Output {
    let args = &argv[1..];
    let Some(first) = args.first() else {
        return Output::ok(app_help());
    };
    match first.as_str() {
        "-h" | "--help" | "help" => {
            return match args.get(1) {
                Some(name) if first == "help" => match find(name) {
                    Some(sub) => Output::ok(subcommand_help(sub)),
                    None => Output::err(format!("No help topic for '{name}'\n"), 3),
                },
                _ => Output::ok(app_help()),
            };
        }
        "-v" | "--version" => {
            return Output::ok(format!("crictl version {}\n", info::CRICTL_VERSION))
        }
        flag if flag.starts_with('-') => {
            return Output::err(
                format!(
                    "crictl: global option {flag} is not supported in the playground (the runtime endpoint is unix:///run/containerd/containerd.sock)\n"
                ),
                1,
            );
        }
        _ => (),
    }
    let name = first.as_str();
    let Some(sub) = find(name) else {
        if NOT_EMULATED.contains(&name) {
            return Output::err(
                format!(
                    "crictl: \"{name}\" is not supported in the playground; supported: {}\n",
                    SUBCOMMANDS
                        .iter()
                        .map(|s| s.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                1,
            );
        }
        return Output::err(format!("No help topic for '{name}'\n"), 3);
    };
    let parsed = match cli::parse(sub.flags, &args[1..]) {
        Ok(parsed) => parsed,
        Err(err) => {
            // urfave/cli prints the usage on stdout before logrus' fatal line; the shell
            // shows stderr first, so both go to stderr to keep the order on the terminal.
            return Output::err(
                format!(
                    "Incorrect Usage: {err}\n\n{}{}",
                    subcommand_help(sub),
                    fatal_line(&err)
                ),
                1,
            );
        }
    };
    if parsed.help {
        return Output::ok(subcommand_help(sub));
    }
    let mut ctx = Ctx { world };
    let out = match sub.name {
        "ps" => containers::ps(&mut ctx, &parsed),
        "stop" => containers::stop(&mut ctx, &parsed),
        "rm" => containers::rm(&mut ctx, &parsed),
        "pods" => pods::pods(&mut ctx, &parsed),
        "stopp" => sandbox_ops::stopp(&mut ctx, &parsed),
        "rmp" => sandbox_ops::rmp(&mut ctx, &parsed),
        "stats" => stats::stats(&mut ctx, &parsed),
        "statsp" => stats::statsp(&mut ctx, &parsed),
        "inspect" => inspect::inspect(&mut ctx, &parsed),
        "inspectp" => inspect::inspectp(&mut ctx, &parsed),
        "logs" => logs::logs(&mut ctx, &parsed),
        "exec" => logs::exec(&mut ctx, &parsed),
        "images" => images::images(&mut ctx, &parsed),
        "rmi" => images::rmi(&mut ctx, &parsed),
        "pull" => images::pull(&mut ctx, &parsed),
        "version" => info::version(&mut ctx),
        _ => info::info(&mut ctx, &parsed),
    };
    ctx.world.cluster.settle();
    out
}

fn find(name: &str) -> Option<&'static Subcommand> {
    SUBCOMMANDS
        .iter()
        .copied()
        .find(|s| s.name == name || s.aliases.contains(&name))
}

/// What `logrus.Fatal(err)` prints on a terminal.
pub fn fatal_line(message: &str) -> String {
    format!("FATA[0000] {message}\n")
}

/// A failure crictl itself reports, before or without a runtime call.
pub fn fatal(message: &str) -> Output {
    Output::err(fatal_line(message), 1)
}

/// `cli.ShowSubcommandHelp`: the subcommand's help on stdout, success.
pub fn show_help(name: &str) -> Output {
    match find(name) {
        Some(sub) => Output::ok(subcommand_help(sub)),
        None => Output::default(),
    }
}

/// Go's `%q` for the strings crictl logs.
pub fn go_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The rows of a crictl table (`newDefaultTableDisplay`: minwidth 20, tabwidth 1, padding 3).
pub fn table(rows: &[Vec<String>]) -> String {
    let text: String = rows.iter().map(|r| format!("{}\n", r.join("\t"))).collect();
    align(
        TabConfig {
            min_width: 20,
            tab_width: 1,
            padding: 3,
            pad_char: ' ',
            remember_widths: false,
        },
        &text,
    )
}

/// `getTruncatedID`: the id without `prefix`, cut to 13 characters.
pub fn truncated(id: &str, prefix: &str) -> String {
    let id = id.strip_prefix(prefix).unwrap_or(id);
    id.chars().take(13).collect()
}

/// `units.HumanDuration(now - t) + " ago"`, the CREATED column.
pub fn ago(now: SimTime, t: SimTime) -> String {
    format!("{} ago", human::human_duration(now.since(t)))
}

/// Nanoseconds since the Unix epoch, as the CRI carries timestamps.
pub fn unix_nanos(t: SimTime) -> i64 {
    t.wall_millis() * 1_000_000
}

fn app_help() -> String {
    let mut out = String::from(
        "NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n\nVERSION:\n   ",
    );
    out.push_str(info::CRICTL_VERSION);
    out.push_str("\n\nCOMMANDS:\n");
    let width = SUBCOMMANDS
        .iter()
        .map(|s| names(s).len())
        .max()
        .unwrap_or(0);
    for sub in SUBCOMMANDS {
        out.push_str(&format!("   {:<width$}  {}\n", names(sub), sub.usage));
    }
    out.push_str(&format!(
        "   {:<width$}  Shows a list of commands or help for one command\n",
        "help, h"
    ));
    out.push_str(
        "\nGLOBAL OPTIONS:\n   --help, -h     show help\n   --version, -v  print the version\n",
    );
    out
}

fn names(sub: &Subcommand) -> String {
    std::iter::once(sub.name)
        .chain(sub.aliases.iter().copied())
        .collect::<Vec<_>>()
        .join(", ")
}

fn subcommand_help(sub: &Subcommand) -> String {
    let args = if sub.args_usage.is_empty() {
        String::new()
    } else {
        format!(" {}", sub.args_usage)
    };
    format!(
        "NAME:\n   crictl {} - {}\n\nUSAGE:\n   crictl {} [command options]{args}\n\nOPTIONS:\n{}",
        sub.name,
        sub.usage,
        sub.name,
        cli::options_help(sub.flags)
    )
}

/// The `-o` value of a list, or the `unsupported output format` error text.
pub fn output_format(format: &str) -> Result<OutputFormat, String> {
    match format {
        "" | "table" => Ok(OutputFormat::Table),
        "json" => Ok(OutputFormat::Json),
        "yaml" => Ok(OutputFormat::Yaml),
        other => Err(format!("unsupported output format {}", go_quote(other))),
    }
}

/// How a list is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// The aligned table.
    Table,
    /// protojson.
    Json,
    /// protojson turned into YAML.
    Yaml,
}

/// Prints a protojson value as `-o json` or `-o yaml` do.
pub fn print_proto(value: &json::Json, format: OutputFormat) -> String {
    match format {
        OutputFormat::Yaml => format!(
            "{}\n",
            crate::shell::commands::kubectl::yaml_out::to_yaml(&value.to_value())
        ),
        _ => format!("{}\n", value.pretty(false)),
    }
}

#[cfg(test)]
mod tests;
