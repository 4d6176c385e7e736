//! The control plane's own programs as their containers run them: etcd, kube-apiserver,
//! kube-controller-manager, kube-scheduler, plus kube-proxy and CoreDNS.
//!
//! What a learner can break, breaks here as it does on a kubeadm node: an unknown or malformed
//! flag stops the program before it logs anything; a certificate or kubeconfig path the
//! container cannot see (wrong path, wrong `hostPath`, missing mount) makes it exit with the
//! `open ...: no such file or directory` error; an API server that cannot reach etcd gives up
//! after a while; a scheduler or controller manager that loses the API server loses its
//! leader lease and exits.
//!
//! Simplified: each program writes a few representative start-up lines (upstream's callers
//! and messages) instead of its full log; the usage text printed before a flag error is
//! omitted; TLS material is checked for presence, not validity.

use std::collections::BTreeMap;

use crate::node::journal::klog_text;
use crate::node::runtime::apps::{App, Logs, Started, Tick};
use crate::node::runtime::flags;
use crate::node::runtime::process::{Listener, ProcEnv};
use crate::node::runtime::script::Stream;
use crate::sim::trace::LogLine;
use crate::sim::{wallclock, SimDuration, SimTime};

/// Which program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ComponentKind {
    /// etcd.
    Etcd,
    /// kube-apiserver.
    KubeApiserver,
    /// kube-controller-manager.
    KubeControllerManager,
    /// kube-scheduler.
    KubeScheduler,
    /// kube-proxy.
    KubeProxy,
    /// CoreDNS.
    CoreDns,
}

/// How long the API server waits for etcd before it gives up.
const ETCD_WAIT: SimDuration = SimDuration::from_secs(20);
/// How long after etcd answers the API server serves.
const APISERVER_WARMUP: SimDuration = SimDuration::from_secs(3);
/// Leader election: `renewDeadline` (the lease is lost when renewals fail this long).
const RENEW_DEADLINE: SimDuration = SimDuration::from_secs(10);
/// Leader election: `retryPeriod`.
const RETRY_PERIOD: SimDuration = SimDuration::from_secs(2);

/// A running component.
#[derive(Clone)]
pub struct Component {
    /// Which program.
    pub kind: ComponentKind,
    flags: BTreeMap<String, String>,
    started: SimTime,
    /// When its ports opened (`None` while starting).
    serving_since: Option<SimTime>,
    /// The API server: when it stops waiting for etcd.
    etcd_deadline: Option<SimTime>,
    /// Leader election: when the lease was last renewed, if it is held.
    lease_renewed: Option<SimTime>,
    /// Leader election: whether the failure to reach the API server was logged.
    lease_error_logged: bool,
    node_ip: String,
    /// What its flags say about the network, read once at start: the flags never change
    /// while it runs, and these are asked on every probe and every pass of the runtime.
    ports: Ports,
}

/// Every field but the ports read from its flags, which the flags already show.
impl std::fmt::Debug for Component {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Component")
            .field("kind", &self.kind)
            .field("flags", &self.flags)
            .field("started", &self.started)
            .field("serving_since", &self.serving_since)
            .field("etcd_deadline", &self.etcd_deadline)
            .field("lease_renewed", &self.lease_renewed)
            .field("lease_error_logged", &self.lease_error_logged)
            .field("node_ip", &self.node_ip)
            .finish()
    }
}

/// The addresses a component's flags name, parsed from them once.
#[derive(Debug, Clone, Default)]
struct Ports {
    /// The ports it listens on once it serves.
    listeners: Vec<Listener>,
    /// etcd: the ports of its `--listen-client-urls`.
    etcd_client: Vec<u16>,
    /// The API server: the hosts and ports of its `--etcd-servers`.
    etcd_servers: Vec<(String, u16)>,
}

fn klog(at: SimTime, l: LogLine) -> (SimTime, Stream, String) {
    (at, Stream::Stderr, format!("{}\n", klog_text(at, 1, &l)))
}

/// etcd's zap JSON line.
fn zap(
    at: SimTime,
    level: &str,
    caller: &str,
    msg: &str,
    extra: &str,
) -> (SimTime, Stream, String) {
    let ts = wallclock::rfc3339_nano(at);
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(",{extra}")
    };
    (
        at,
        Stream::Stderr,
        format!("{{\"level\":\"{level}\",\"ts\":\"{ts}\",\"caller\":\"{caller}\",\"msg\":\"{msg}\"{extra}}}\n"),
    )
}

fn json_list(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("[{}]", quoted.join(","))
}

/// A flag problem found while parsing, worded as pflag words it.
fn parse_flags(
    program: &str,
    args: &[String],
    known: &[&str],
) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        let Some(body) = arg.strip_prefix("--").or_else(|| {
            // etcd (Go's flag package) also takes a single dash.
            (program == "etcd" || program == "coredns")
                .then(|| arg.strip_prefix('-'))
                .flatten()
        }) else {
            if program == "etcd" {
                return Err(format!("'{arg}' is not a valid flag"));
            }
            // Positional arguments are ignored by the components.
            continue;
        };
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (body.to_string(), None),
        };
        // pflag in the Kubernetes binaries normalises `_` to `-`; Go's flag package does not.
        let name = if program == "etcd" || program == "coredns" {
            name
        } else {
            name.replace('_', "-")
        };
        if !known.contains(&name.as_str()) {
            return Err(match program {
                "etcd" => format!("flag provided but not defined: -{name}"),
                "coredns" => format!("flag provided but not defined: -{name}"),
                _ => format!("unknown flag: --{name}"),
            });
        }
        let value = match value {
            Some(v) => v,
            None if is_bool_flag(&name) => "true".into(),
            None => match args.get(i) {
                Some(v) => {
                    i += 1;
                    v.clone()
                }
                None => return Err(format!("flag needs an argument: --{name}")),
            },
        };
        check_value(&name, &value)?;
        out.insert(name, value);
    }
    Ok(out)
}

/// Flags that take no value.
fn is_bool_flag(name: &str) -> bool {
    matches!(
        name,
        "allow-privileged"
            | "enable-bootstrap-token-auth"
            | "leader-elect"
            | "use-service-account-credentials"
            | "allocate-node-cidrs"
            | "client-cert-auth"
            | "peer-client-cert-auth"
            | "help"
            | "profiling"
            | "enable-aggregator-routing"
            | "anonymous-auth"
    )
}

/// pflag's typed-value errors for the flags kubeadm sets.
fn check_value(name: &str, value: &str) -> Result<(), String> {
    let int_flags = [
        "secure-port",
        "snapshot-count",
        "v",
        "max-requests-inflight",
    ];
    if int_flags.contains(&name) && value.parse::<i64>().is_err() {
        return Err(format!(
            "invalid argument \"{value}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax"
        ));
    }
    if is_bool_flag(name)
        && !matches!(
            value,
            "true" | "false" | "1" | "0" | "t" | "f" | "TRUE" | "FALSE" | "True" | "False"
        )
    {
        return Err(format!(
            "invalid argument \"{value}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"
        ));
    }
    if name == "advertise-address" && !is_ip(value) {
        return Err(format!(
            "invalid argument \"{value}\" for \"--{name}\" flag: failed to parse IP: \"{value}\""
        ));
    }
    Ok(())
}

fn is_ip(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())
}

/// The file flags each program opens at start, with the error prefix it reports.
fn file_flags(kind: ComponentKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ComponentKind::KubeApiserver => &[
            ("client-ca-file", "unable to load client CA provider: "),
            (
                "requestheader-client-ca-file",
                "unable to load request header client CA provider: ",
            ),
            ("tls-cert-file", "unable to load server certificate: "),
            (
                "tls-private-key-file",
                "unable to load server certificate: ",
            ),
            (
                "service-account-key-file",
                "failed to parse service-account-issuer-key-file: ",
            ),
            (
                "service-account-signing-key-file",
                "failed to parse service-account-issuer-key-file: ",
            ),
            ("etcd-cafile", ""),
            ("etcd-certfile", ""),
            ("etcd-keyfile", ""),
            ("kubelet-client-certificate", ""),
            ("kubelet-client-key", ""),
            ("proxy-client-cert-file", ""),
            ("proxy-client-key-file", ""),
            (
                "audit-policy-file",
                "loading audit policy file: failed to read file path ",
            ),
            ("encryption-provider-config", "error while parsing file: "),
            (
                "admission-control-config-file",
                "failed to read plugin config: ",
            ),
        ],
        ComponentKind::KubeControllerManager => &[
            ("kubeconfig", "invalid configuration: "),
            ("authentication-kubeconfig", ""),
            ("authorization-kubeconfig", ""),
            ("client-ca-file", "unable to load client CA provider: "),
            ("requestheader-client-ca-file", ""),
            (
                "cluster-signing-cert-file",
                "failed to start certificate controller: ",
            ),
            (
                "cluster-signing-key-file",
                "failed to start certificate controller: ",
            ),
            ("root-ca-file", "error reading root-ca-file at "),
            (
                "service-account-private-key-file",
                "error reading key for service account token controller: ",
            ),
        ],
        ComponentKind::KubeScheduler => &[
            ("kubeconfig", "invalid configuration: "),
            ("authentication-kubeconfig", ""),
            ("authorization-kubeconfig", ""),
            ("config", ""),
        ],
        ComponentKind::KubeProxy => &[
            ("config", "failed to read config file: "),
            ("kubeconfig", ""),
        ],
        ComponentKind::Etcd => &[
            ("cert-file", ""),
            ("key-file", ""),
            ("trusted-ca-file", ""),
            ("peer-cert-file", ""),
            ("peer-key-file", ""),
            ("peer-trusted-ca-file", ""),
        ],
        ComponentKind::CoreDns => &[("conf", "")],
    }
}

/// Starts a component from its command line.
pub fn start(
    program: &str,
    args: &[String],
    _env: &[(String, String)],
    penv: &mut ProcEnv<'_>,
) -> Started {
    let now = penv.now;
    let (kind, known): (ComponentKind, &[&str]) = match program {
        "etcd" => (ComponentKind::Etcd, flags::ETCD_FLAGS),
        "kube-apiserver" => (ComponentKind::KubeApiserver, flags::KUBE_APISERVER_FLAGS),
        "kube-controller-manager" => (
            ComponentKind::KubeControllerManager,
            flags::KUBE_CONTROLLER_MANAGER_FLAGS,
        ),
        "kube-scheduler" => (ComponentKind::KubeScheduler, flags::KUBE_SCHEDULER_FLAGS),
        "kube-proxy" => (ComponentKind::KubeProxy, flags::KUBE_PROXY_FLAGS),
        _ => (ComponentKind::CoreDns, flags::COREDNS_FLAGS),
    };
    let fail = |logs: Logs, code| Started::Exits {
        logs,
        code,
        at: now,
    };
    let flags = match parse_flags(program, args, known) {
        Ok(f) => f,
        Err(err) => {
            // Go's flag package exits 2 on a bad flag; cobra-based binaries exit 1.
            return match kind {
                ComponentKind::Etcd | ComponentKind::CoreDns => {
                    fail(vec![(now, Stream::Stderr, format!("{err}\n"))], 2)
                }
                _ => fail(vec![(now, Stream::Stderr, format!("Error: {err}\n"))], 1),
            };
        }
    };
    if flags.contains_key("help") {
        return Started::Returns {
            logs: vec![(
                now,
                Stream::Stdout,
                format!("Usage:\n  {program} [flags]\n"),
            )],
            code: 0,
        };
    }
    if flags.contains_key("version") {
        let version = match kind {
            ComponentKind::Etcd => "etcd Version: 3.6.4\nGit SHA: 5400cdc\nGo Version: go1.23.11\nGo OS/Arch: linux/amd64".to_string(),
            ComponentKind::CoreDns => "CoreDNS-1.12.1\nlinux/amd64, go1.24.1, 707c7c1".to_string(),
            _ => "Kubernetes v1.34.1".to_string(),
        };
        return Started::Returns {
            logs: vec![(now, Stream::Stdout, format!("{version}\n"))],
            code: 0,
        };
    }
    for (flag, prefix) in file_flags(kind) {
        let Some(path) = flags.get(*flag) else {
            continue;
        };
        if path.is_empty() || penv.root.kind_of(penv.host, path).is_some() {
            continue;
        }
        let verb = if *flag == "kubeconfig" && kind != ComponentKind::KubeProxy {
            "stat"
        } else {
            "open"
        };
        let cause = format!("{prefix}{verb} {path}: no such file or directory");
        let logs = match kind {
            ComponentKind::Etcd => vec![zap(
                now,
                "fatal",
                "etcdmain/etcd.go:183",
                "discovery failed",
                &format!("\"error\":\"{cause}\""),
            )],
            ComponentKind::CoreDns => vec![(now, Stream::Stderr, format!("{cause}\n"))],
            _ => vec![klog(
                now,
                LogLine::error("run.go:72", "command failed").with("err", cause),
            )],
        };
        return fail(logs, 1);
    }
    let mut component = Component {
        kind,
        flags,
        started: now,
        serving_since: None,
        etcd_deadline: None,
        lease_renewed: None,
        lease_error_logged: false,
        node_ip: penv.around.node_ip.clone(),
        ports: Ports::default(),
    };
    component.ports = component.parse_ports();
    let logs = component.start_logs(program, args, penv);
    Started::Running {
        app: App::Component(Box::new(component)),
        logs,
    }
}

impl Component {
    fn flag(&self, name: &str) -> Option<&str> {
        self.flags.get(name).map(String::as_str)
    }

    fn port_flag(&self, name: &str, default: u16) -> u16 {
        self.flag(name)
            .and_then(|p| p.parse().ok())
            .unwrap_or(default)
    }

    /// Ports of URLs in a comma-separated flag.
    fn url_ports(&self, name: &str, default: &str) -> Vec<(String, u16, bool)> {
        self.flag(name)
            .unwrap_or(default)
            .split(',')
            .filter_map(|url| {
                let https = url.starts_with("https://");
                let rest = url.split_once("://").map_or(url, |(_, r)| r);
                let (host, port) = rest.trim_end_matches('/').rsplit_once(':')?;
                Some((host.to_string(), port.parse().ok()?, https))
            })
            .collect()
    }

    /// Reads the addresses its flags name (see [`Ports`]).
    fn parse_ports(&self) -> Ports {
        let https = |port| Listener { port, https: true };
        let http = |port| Listener { port, https: false };
        let listeners = match self.kind {
            ComponentKind::Etcd => {
                let mut out: Vec<Listener> = self
                    .url_ports("listen-client-urls", "http://localhost:2379")
                    .into_iter()
                    .chain(self.url_ports("listen-peer-urls", "http://localhost:2380"))
                    .chain(self.url_ports("listen-metrics-urls", ""))
                    .map(|(_, port, tls)| Listener { port, https: tls })
                    .collect();
                out.dedup_by_key(|l| l.port);
                out
            }
            ComponentKind::KubeApiserver => vec![https(self.port_flag("secure-port", 6443))],
            ComponentKind::KubeScheduler => vec![https(self.port_flag("secure-port", 10259))],
            ComponentKind::KubeControllerManager => {
                vec![https(self.port_flag("secure-port", 10257))]
            }
            ComponentKind::KubeProxy => vec![http(10249), http(10256)],
            ComponentKind::CoreDns => vec![http(53), http(8080), http(8181), http(9153)],
        };
        let etcd_client = match self.kind {
            ComponentKind::Etcd => self
                .url_ports("listen-client-urls", "http://localhost:2379")
                .into_iter()
                .map(|(_, port, _)| port)
                .collect(),
            _ => Vec::new(),
        };
        let etcd_servers = match self.kind {
            ComponentKind::KubeApiserver => self
                .url_ports("etcd-servers", "")
                .into_iter()
                .map(|(host, port, _)| (host, port))
                .collect(),
            _ => Vec::new(),
        };
        Ports {
            listeners,
            etcd_client,
            etcd_servers,
        }
    }

    fn start_logs(&mut self, program: &str, args: &[String], penv: &ProcEnv<'_>) -> Logs {
        let now = penv.now;
        match self.kind {
            ComponentKind::Etcd => {
                self.serving_since = Some(now + SimDuration::from_secs(1));
                let mut argv = vec![program.to_string()];
                argv.extend(args.iter().cloned());
                let ready = now + SimDuration::from_secs(1);
                let mut logs = vec![
                    zap(
                        now,
                        "info",
                        "etcdmain/etcd.go:64",
                        "Running: ",
                        &format!("\"args\":{}", json_list(&argv)),
                    ),
                    zap(
                        now,
                        "info",
                        "embed/etcd.go:138",
                        "configuring peer listeners",
                        &format!(
                            "\"listen-peer-urls\":{}",
                            json_list(&[self
                                .flag("listen-peer-urls")
                                .unwrap_or("http://localhost:2380")
                                .to_string()])
                        ),
                    ),
                    zap(
                        now,
                        "info",
                        "embed/etcd.go:146",
                        "configuring client listeners",
                        &format!(
                            "\"listen-client-urls\":{}",
                            json_list(
                                &self
                                    .flag("listen-client-urls")
                                    .unwrap_or("http://localhost:2379")
                                    .split(',')
                                    .map(String::from)
                                    .collect::<Vec<_>>()
                            )
                        ),
                    ),
                    zap(
                        ready,
                        "info",
                        "etcdserver/server.go:2123",
                        "published local member to cluster through raft",
                        &format!(
                            "\"local-member-attributes\":\"{{Name:{} ClientURLs:[{}]}}\"",
                            self.flag("name").unwrap_or("default"),
                            self.flag("advertise-client-urls").unwrap_or("")
                        ),
                    ),
                ];
                for (host, port, https) in
                    self.url_ports("listen-client-urls", "http://localhost:2379")
                {
                    let traffic = if https {
                        "serving client traffic securely"
                    } else {
                        "serving client traffic insecurely; this is strongly discouraged!"
                    };
                    logs.push(zap(
                        ready,
                        "info",
                        "embed/serve.go:275",
                        traffic,
                        &format!("\"traffic\":\"grpc+http\",\"address\":\"{host}:{port}\""),
                    ));
                }
                logs
            }
            ComponentKind::KubeApiserver => {
                self.etcd_deadline = Some(now + ETCD_WAIT);
                let ip = self
                    .flag("advertise-address")
                    .unwrap_or(&self.node_ip)
                    .to_string();
                vec![
                    klog(
                        now,
                        LogLine::printf(
                            crate::sim::trace::Severity::Info,
                            "options.go:263",
                            format!("external host was not specified, using {ip}"),
                        ),
                    ),
                    klog(
                        now,
                        LogLine::printf(
                            crate::sim::trace::Severity::Info,
                            "server.go:150",
                            "Version: v1.34.1",
                        ),
                    ),
                    klog(
                        now,
                        LogLine::info(0, "server.go:152", "Golang settings")
                            .with("GOGC", "")
                            .with("GOMAXPROCS", "")
                            .with("GOTRACEBACK", ""),
                    ),
                ]
            }
            ComponentKind::KubeScheduler | ComponentKind::KubeControllerManager => {
                let serving = now + SimDuration::from_millis(500);
                self.serving_since = Some(serving);
                let (port, starting) = if self.kind == ComponentKind::KubeScheduler {
                    (
                        self.port_flag("secure-port", 10259),
                        LogLine::info(0, "server.go:167", "Starting Kubernetes Scheduler")
                            .with("version", "v1.34.1"),
                    )
                } else {
                    (
                        self.port_flag("secure-port", 10257),
                        LogLine::info(0, "controllermanager.go:191", "Starting")
                            .with("version", "v1.34.1"),
                    )
                };
                let bind = self.flag("bind-address").unwrap_or("0.0.0.0").to_string();
                vec![
                    klog(
                        now,
                        LogLine::printf(
                            crate::sim::trace::Severity::Info,
                            "serving.go:386",
                            "Generated self-signed cert in-memory",
                        ),
                    ),
                    klog(now, starting),
                    klog(
                        serving,
                        LogLine::printf(
                            crate::sim::trace::Severity::Info,
                            "secure_serving.go:211",
                            format!("Serving securely on {bind}:{port}"),
                        ),
                    ),
                    klog(
                        serving,
                        LogLine::printf(
                            crate::sim::trace::Severity::Info,
                            "leaderelection.go:257",
                            format!(
                                "attempting to acquire leader lease kube-system/{}...",
                                self.lease_name()
                            ),
                        ),
                    ),
                ]
            }
            ComponentKind::KubeProxy => {
                self.serving_since = Some(now + SimDuration::from_millis(500));
                vec![
                    klog(
                        now,
                        LogLine::info(0, "server_linux.go:53", "Using iptables proxy"),
                    ),
                    klog(
                        now,
                        LogLine::info(0, "server.go:256", "Kube-proxy version")
                            .with("version", "v1.34.1"),
                    ),
                    klog(
                        now,
                        LogLine::info(0, "server.go:267", "Golang settings")
                            .with("GOGC", "")
                            .with("GOMAXPROCS", "")
                            .with("GOTRACEBACK", ""),
                    ),
                    klog(
                        now,
                        LogLine::info(0, "config.go:200", "Starting service config controller"),
                    ),
                    klog(
                        now,
                        LogLine::info(0, "config.go:309", "Starting node config controller"),
                    ),
                ]
            }
            ComponentKind::CoreDns => {
                self.serving_since = Some(now + SimDuration::from_millis(300));
                let version = penv.version;
                vec![
                    (now, Stream::Stdout, ".:53\n".into()),
                    (now, Stream::Stdout, "[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b\n".into()),
                    (now, Stream::Stdout, format!("CoreDNS-{version}\n")),
                    (now, Stream::Stdout, "linux/amd64, go1.24.1, 707c7c1\n".into()),
                ]
            }
        }
    }

    fn lease_name(&self) -> &'static str {
        match self.kind {
            ComponentKind::KubeScheduler => "kube-scheduler",
            _ => "kube-controller-manager",
        }
    }

    /// Whether the API server can reach etcd at its `--etcd-servers`.
    fn etcd_reachable(&self, penv: &ProcEnv<'_>) -> bool {
        self.ports.etcd_servers.iter().any(|(host, port)| {
            let local = host == "127.0.0.1" || host == "localhost" || *host == penv.around.node_ip;
            local && penv.around.etcd_ports.contains(port)
        })
    }

    /// Whether it does its job: etcd serves, the API server serves, the scheduler and the
    /// controller manager hold their leader lease.
    pub fn is_active(&self, now: SimTime) -> bool {
        match self.kind {
            ComponentKind::KubeScheduler | ComponentKind::KubeControllerManager => {
                self.lease_renewed.is_some()
            }
            _ => self.serving_since.is_some_and(|t| t <= now),
        }
    }

    /// The ports it listens on at `now` (none before it serves).
    pub fn listeners(&self, now: SimTime) -> &[Listener] {
        if self.serving_since.is_none_or(|t| t > now) {
            return &[];
        }
        &self.ports.listeners
    }

    /// The port the API server serves on, once it serves.
    pub fn api_port(&self, now: SimTime) -> Option<u16> {
        if self.kind != ComponentKind::KubeApiserver || !self.is_active(now) {
            return None;
        }
        // An API server listens on its `--secure-port` alone.
        self.ports.listeners.first().map(|l| l.port)
    }

    /// etcd: its client ports and the instant from which they serve (etcd is active from
    /// then on); `None` for other programs and an etcd that does not serve yet.
    pub fn etcd_client_ports(&self) -> Option<(SimTime, &[u16])> {
        if self.kind != ComponentKind::Etcd {
            return None;
        }
        Some((self.serving_since?, &self.ports.etcd_client))
    }

    /// A health endpoint's status code.
    pub fn respond(&self, _port: u16, path: &str, penv: &ProcEnv<'_>) -> u16 {
        let health = matches!(
            path,
            "/livez" | "/readyz" | "/healthz" | "/health" | "/ready"
        );
        match self.kind {
            ComponentKind::KubeApiserver if health => {
                if self.etcd_reachable(penv) {
                    200
                } else {
                    500
                }
            }
            ComponentKind::CoreDns if path == "/ready" => {
                if penv.around.api_reachable {
                    200
                } else {
                    503
                }
            }
            _ if health => 200,
            _ => 404,
        }
    }

    /// A periodic step: the API server waiting for etcd, leader election.
    pub fn tick(&mut self, penv: &mut ProcEnv<'_>) -> Tick {
        let now = penv.now;
        let mut tick = Tick::default();
        match self.kind {
            ComponentKind::KubeApiserver => {
                if self.serving_since.is_some() {
                    return tick;
                }
                if self.etcd_reachable(penv) {
                    let at = now + APISERVER_WARMUP;
                    self.serving_since = Some(at);
                    self.etcd_deadline = None;
                    let port = self.port_flag("secure-port", 6443);
                    tick.logs.push(klog(
                        at,
                        LogLine::printf(
                            crate::sim::trace::Severity::Info,
                            "secure_serving.go:211",
                            format!("Serving securely on [::]:{port}"),
                        ),
                    ));
                    return tick;
                }
                let etcd = self
                    .flag("etcd-servers")
                    .unwrap_or("")
                    .split(',')
                    .next()
                    .unwrap_or("")
                    .to_string();
                let addr = etcd
                    .split_once("://")
                    .map_or(etcd.as_str(), |(_, r)| r)
                    .to_string();
                if (now.since(self.started).as_millis() / 1000).is_multiple_of(5) {
                    tick.logs.push(klog(now, LogLine::printf(crate::sim::trace::Severity::Warning, "logging.go:55", format!("[core] [Channel #1 SubChannel #2]grpc: addrConn.createTransport failed to connect to {{Addr: \"{addr}\", ServerName: \"{}\", BalancerAttributes: {{\"<%!p(pickfirstleaf.managedByPickfirstKeyType={{}})>\": \"<%!p(bool=true)>\" }}}}. Err: connection error: desc = \"transport: Error while dialing: dial tcp {addr}: connect: connection refused\"", addr.split(':').next().unwrap_or("")))));
                }
                if self.etcd_deadline.is_some_and(|d| d <= now) {
                    tick.logs.push(klog(
                        now,
                        LogLine::error("run.go:72", "command failed")
                            .with("err", "context deadline exceeded"),
                    ));
                    tick.exit = Some((now, 1));
                    return tick;
                }
                tick.wake_at = Some(now + SimDuration::from_secs(1));
            }
            ComponentKind::KubeScheduler | ComponentKind::KubeControllerManager => {
                let lease = self.lease_name();
                let waits = match self.kind {
                    ComponentKind::KubeScheduler => penv.around.scheduler_waits_for_lease,
                    _ => penv.around.controller_manager_waits_for_lease,
                };
                if penv.around.api_reachable && waits {
                    // Another holder's Lease has not expired yet (as this process saw it): it
                    // keeps trying, silently, as upstream does below V(4).
                } else if penv.around.api_reachable {
                    if self.lease_renewed.is_none() {
                        tick.logs.push(klog(
                            now,
                            LogLine::printf(
                                crate::sim::trace::Severity::Info,
                                "leaderelection.go:271",
                                format!("successfully acquired lease kube-system/{lease}"),
                            ),
                        ));
                    }
                    self.lease_renewed = Some(now);
                    self.lease_error_logged = false;
                } else {
                    let url = format!(
                        "https://{}:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/{lease}?timeout=5s",
                        self.node_ip
                    );
                    if !self.lease_error_logged
                        || (now.since(self.started).as_millis() / 2000).is_multiple_of(5)
                    {
                        tick.logs.push(klog(now, LogLine::printf(crate::sim::trace::Severity::Error, "leaderelection.go:436", format!("error retrieving resource lock kube-system/{lease}: Get \"{url}\": dial tcp {}:6443: connect: connection refused", self.node_ip))));
                        self.lease_error_logged = true;
                    }
                    if let Some(renewed) = self.lease_renewed {
                        if now.since(renewed) >= RENEW_DEADLINE {
                            tick.logs.push(klog(now, LogLine::printf(crate::sim::trace::Severity::Info, "leaderelection.go:297", format!("failed to renew lease kube-system/{lease}: context deadline exceeded"))));
                            let (caller, message) = if self.kind == ComponentKind::KubeScheduler {
                                ("server.go:309", "Leaderelection lost")
                            } else {
                                ("controllermanager.go:332", "leaderelection lost")
                            };
                            tick.logs.push(klog(now, LogLine::error(caller, message)));
                            tick.exit = Some((now, 1));
                            return tick;
                        }
                    }
                }
                tick.wake_at = Some(now + RETRY_PERIOD);
            }
            _ => (),
        }
        tick
    }

    /// SIGTERM: components shut down gracefully and exit 0.
    pub fn on_sigterm(&mut self, now: SimTime) -> (SimDuration, Logs, i32) {
        let logs = match self.kind {
            ComponentKind::Etcd => vec![zap(
                now,
                "info",
                "osutil/interrupt_unix.go:65",
                "received signal; shutting down",
                "\"signal\":\"terminated\"",
            )],
            ComponentKind::CoreDns => vec![(
                now,
                Stream::Stdout,
                "[INFO] SIGTERM: Shutting down servers then terminating\n".into(),
            )],
            _ => Vec::new(),
        };
        (SimDuration::from_millis(300), logs, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn unknown_and_malformed_flags_are_refused_as_pflag_words_it() {
        let known = flags::KUBE_APISERVER_FLAGS;
        assert_eq!(
            parse_flags("kube-apiserver", &args(&["--secure-prot=6443"]), known).unwrap_err(),
            "unknown flag: --secure-prot"
        );
        assert_eq!(
            parse_flags("kube-apiserver", &args(&["--secure-port=64x"]), known).unwrap_err(),
            "invalid argument \"64x\" for \"--secure-port\" flag: strconv.ParseInt: parsing \"64x\": invalid syntax"
        );
        let ok = parse_flags(
            "kube-apiserver",
            &args(&["--secure-port", "6443", "--allow-privileged"]),
            known,
        )
        .unwrap();
        assert_eq!(ok.get("secure-port").map(String::as_str), Some("6443"));
        assert_eq!(ok.get("allow-privileged").map(String::as_str), Some("true"));
        assert_eq!(
            parse_flags("etcd", &args(&["--nmae=x"]), flags::ETCD_FLAGS).unwrap_err(),
            "flag provided but not defined: -nmae"
        );
    }
}
