//! The programs images ship, as much of each as a lesson can observe: start-up log lines,
//! the ports they serve, what they answer, how they fail on bad configuration, and how they
//! shut down on their image's stop signal.
//!
//! Simplified: an app's log is a few representative lines, not everything the real program
//! writes; request handling covers `GET` only.

use crate::node::runtime::components::{self, Component};
use crate::node::runtime::images::ImageKind;
use crate::node::runtime::process::{Listener, ProcEnv};
use crate::node::runtime::script::Stream;
use crate::sim::{wallclock, SimDuration, SimTime};

/// Timed output.
pub type Logs = Vec<(SimTime, Stream, String)>;

/// A running app.
#[derive(Debug, Clone)]
pub enum App {
    /// The sandbox's pause process.
    Pause,
    /// nginx.
    Nginx {
        /// Its version, for banners and error pages.
        version: &'static str,
        /// When it opened its port.
        since: SimTime,
    },
    /// Apache httpd.
    Httpd {
        /// When it opened its port.
        since: SimTime,
    },
    /// Redis.
    Redis {
        /// When it opened its port.
        since: SimTime,
    },
    /// memcached.
    Memcached,
    /// PostgreSQL.
    Postgres {
        /// When it accepts connections.
        since: SimTime,
    },
    /// MySQL.
    Mysql {
        /// When it accepts connections.
        since: SimTime,
    },
    /// `agnhost liveness`: `/healthz` is healthy for ten seconds, then fails.
    AgnhostLiveness {
        /// When it started.
        started: SimTime,
    },
    /// `agnhost netexec`: answers on its HTTP port.
    AgnhostNetexec {
        /// The port.
        port: u16,
    },
    /// `agnhost pause` and other programs that just wait.
    Idle {
        /// Whether it exits 0 on SIGTERM (it handles the signal) or dies of it.
        handles_term: bool,
    },
    /// `python3 -m http.server`.
    PythonHttp {
        /// The port.
        port: u16,
    },
    /// A Kubernetes component, etcd or CoreDNS.
    Component(Box<Component>),
}

/// How a program started.
pub enum Started {
    /// It runs.
    Running {
        /// The app.
        app: App,
        /// Its start-up output.
        logs: Logs,
    },
    /// It fails at `at` with `code` after writing `logs`.
    Exits {
        /// What it wrote.
        logs: Logs,
        /// Its exit code.
        code: i32,
        /// When it exits.
        at: SimTime,
    },
    /// A short command: it wrote `logs` and returned `code` at once.
    Returns {
        /// What it wrote.
        logs: Logs,
        /// Its exit status.
        code: i32,
    },
}

/// What a periodic step of an app produced.
#[derive(Debug, Clone, Default)]
pub struct Tick {
    /// Output.
    pub logs: Logs,
    /// It exits at this time with this code.
    pub exit: Option<(SimTime, i32)>,
    /// When it wants its next step.
    pub wake_at: Option<SimTime>,
}

fn line(at: SimTime, stream: Stream, text: impl Into<String>) -> (SimTime, Stream, String) {
    let mut text = text.into();
    text.push('\n');
    (at, stream, text)
}

/// nginx's error-log timestamp: `2026/11/22 08:00:00`.
fn nginx_stamp(t: SimTime) -> String {
    let s = wallclock::rfc3339(t);
    format!("{} {}", s[..10].replace('-', "/"), &s[11..19])
}

/// The CLF timestamp access logs use: `22/Nov/2026:08:00:00 +0000`.
fn clf_stamp(t: SimTime) -> String {
    let date = wallclock::date_string(t);
    // date_string: "Sun Nov 22 08:00:00 UTC 2026"
    let parts: Vec<&str> = date.split_whitespace().collect();
    format!(
        "{:0>2}/{}/{}:{} +0000",
        parts[2], parts[1], parts[5], parts[3]
    )
}

fn env_get<'a>(env: &'a [(String, String)], name: &str) -> Option<&'a str> {
    env.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The docker-entrypoint scripts: the lines they print and the command they hand over to.
pub fn entrypoint(argv: &[String], kind: ImageKind, now: SimTime) -> Option<(Logs, Vec<String>)> {
    let program = argv.first()?.rsplit('/').next()?;
    if program != "docker-entrypoint.sh" {
        return None;
    }
    let mut rest: Vec<String> = argv[1..].to_vec();
    let mut logs = Logs::new();
    match kind {
        ImageKind::Nginx if rest.first().is_some_and(|a| a.starts_with("nginx")) => {
            for text in [
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
                "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
            ] {
                logs.push(line(now, Stream::Stdout, text));
            }
        }
        ImageKind::Redis if rest.first().is_none_or(|a| a.starts_with('-') || a.ends_with(".conf")) => {
            rest.insert(0, "redis-server".into());
        }
        ImageKind::Memcached if rest.first().is_none_or(|a| a.starts_with('-')) => {
            rest.insert(0, "memcached".into());
        }
        ImageKind::Postgres if rest.first().is_none_or(|a| a.starts_with('-')) => {
            rest.insert(0, "postgres".into());
        }
        ImageKind::Mysql if rest.first().is_none_or(|a| a.starts_with('-')) => {
            rest.insert(0, "mysqld".into());
        }
        _ => (),
    }
    if rest.is_empty() {
        return Some((logs, vec!["true".into()]));
    }
    Some((logs, rest))
}

/// Starts one of the image's programs.
pub fn start(argv: &[String], env: &[(String, String)], penv: &mut ProcEnv<'_>) -> Started {
    let now = penv.now;
    let program = argv[0].rsplit('/').next().unwrap_or("").to_string();
    let args = &argv[1..];
    let has = |flag: &str| args.iter().any(|a| a == flag);
    match program.as_str() {
        "pause" => Started::Running {
            app: App::Pause,
            logs: Logs::new(),
        },
        "nginx" => {
            let version = penv.version;
            if has("-v") || has("-V") {
                return Started::Returns {
                    logs: vec![line(
                        now,
                        Stream::Stderr,
                        format!("nginx version: nginx/{version}"),
                    )],
                    code: 0,
                };
            }
            if has("-t") {
                return Started::Returns {
                    logs: vec![
                        line(
                            now,
                            Stream::Stderr,
                            "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok",
                        ),
                        line(
                            now,
                            Stream::Stderr,
                            "nginx: configuration file /etc/nginx/nginx.conf test is successful",
                        ),
                    ],
                    code: 0,
                };
            }
            if has("-s") {
                return Started::Returns {
                    logs: vec![line(
                        now,
                        Stream::Stderr,
                        format!(
                            "{} [notice] 40#40: signal process started",
                            nginx_stamp(now)
                        ),
                    )],
                    code: 0,
                };
            }
            let stamp = nginx_stamp(now);
            let logs = [
                "using the \"epoll\" event method".to_string(),
                format!("nginx/{version}"),
                "built by gcc 14.2.0 (Debian 14.2.0-19) ".to_string(),
                "OS: Linux 6.1.0-40-cloud-amd64".to_string(),
                "getrlimit(RLIMIT_NOFILE): 1048576:1048576".to_string(),
                "start worker processes".to_string(),
                "start worker process 29".to_string(),
                "start worker process 30".to_string(),
            ]
            .into_iter()
            .map(|t| line(now, Stream::Stderr, format!("{stamp} [notice] 1#1: {t}")))
            .collect();
            Started::Running {
                app: App::Nginx {
                    version,
                    since: now,
                },
                logs,
            }
        }
        "httpd-foreground" | "httpd" => {
            let ip = penv.pod_ip;
            let stamp = apache_stamp(now);
            let notice = format!(
                "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. Set the 'ServerName' directive globally to suppress this message"
            );
            Started::Running {
                app: App::Httpd { since: now },
                logs: vec![
                    line(now, Stream::Stderr, notice.clone()),
                    line(now, Stream::Stderr, notice),
                    line(now, Stream::Stderr, format!("[{stamp}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations")),
                    line(now, Stream::Stderr, format!("[{stamp}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'")),
                ],
            }
        }
        "redis-server" => {
            if has("--version") || has("-v") {
                return Started::Returns {
                    logs: vec![line(now, Stream::Stdout, format!("Redis server v={} sha=00000000:1 malloc=jemalloc-5.3.0 bits=64 build=6b5b4f4b3b3c1f2d", penv.version))],
                    code: 0,
                };
            }
            let stamp = redis_stamp(now);
            let version = penv.version;
            let logs = vec![
                line(now, Stream::Stdout, format!("1:C {stamp} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")),
                line(now, Stream::Stdout, format!("1:C {stamp} * Redis version={version}, bits=64, commit=00000000, modified=1, pid=1, just started")),
                line(now, Stream::Stdout, format!("1:C {stamp} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf")),
                line(now, Stream::Stdout, format!("1:M {stamp} * monotonic clock: POSIX clock_gettime")),
                line(now, Stream::Stdout, format!("1:M {stamp} * Running mode=standalone, port=6379.")),
                line(now, Stream::Stdout, format!("1:M {stamp} * Server initialized")),
                line(now, Stream::Stdout, format!("1:M {stamp} * Ready to accept connections tcp")),
            ];
            Started::Running {
                app: App::Redis { since: now },
                logs,
            }
        }
        "memcached" => Started::Running {
            app: App::Memcached,
            logs: Logs::new(),
        },
        "postgres" => {
            let trust = env_get(env, "POSTGRES_HOST_AUTH_METHOD") == Some("trust");
            if env_get(env, "POSTGRES_PASSWORD").is_none_or(str::is_empty) && !trust {
                let text =
                    "Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".

       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about \"trust\":
       https://www.postgresql.org/docs/current/auth-trust.html";
                return Started::Exits {
                    logs: text.lines().map(|l| line(now, Stream::Stderr, l)).collect(),
                    code: 1,
                    at: now,
                };
            }
            let ready = now + SimDuration::from_secs(3);
            let stamp = format!("{} UTC", &wallclock::rfc3339(ready).replace('T', " ")[..19]);
            Started::Running {
                app: App::Postgres { since: ready },
                logs: vec![
                    line(ready, Stream::Stderr, format!("{stamp} [1] LOG:  starting PostgreSQL 17.6 (Debian 17.6-2.pgdg13+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 14.2.0-19) 14.2.0, 64-bit")),
                    line(ready, Stream::Stderr, format!("{stamp} [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432")),
                    line(ready, Stream::Stderr, format!("{stamp} [1] LOG:  database system is ready to accept connections")),
                ],
            }
        }
        "mysqld" => {
            let has_env = |n: &str| env_get(env, n).is_some_and(|v| !v.is_empty());
            if !has_env("MYSQL_ROOT_PASSWORD")
                && !has_env("MYSQL_ALLOW_EMPTY_PASSWORD")
                && !has_env("MYSQL_RANDOM_ROOT_PASSWORD")
            {
                let stamp = format!("{}+00:00", &wallclock::rfc3339(now).replace('T', " ")[..19]);
                let text = format!("{stamp} [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.7-1.el9 started.
{stamp} [Note] [Entrypoint]: Switching to dedicated user 'mysql'
{stamp} [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.7-1.el9 started.
{stamp} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD");
                return Started::Exits {
                    logs: text.lines().map(|l| line(now, Stream::Stderr, l)).collect(),
                    code: 1,
                    at: now,
                };
            }
            let ready = now + SimDuration::from_secs(12);
            Started::Running {
                app: App::Mysql { since: ready },
                logs: vec![line(
                    ready,
                    Stream::Stderr,
                    format!("{} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.7'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.", wallclock::rfc3339_nano(ready)),
                )],
            }
        }
        "agnhost" => agnhost(args, now),
        "python" | "python3" => python(args, now),
        "etcd"
        | "kube-apiserver"
        | "kube-controller-manager"
        | "kube-scheduler"
        | "kube-proxy"
        | "coredns" => components::start(&program, args, env, penv),
        other => Started::Returns {
            logs: vec![line(
                now,
                Stream::Stderr,
                format!("{other}: this program is not emulated by the playground's image"),
            )],
            code: 126,
        },
    }
}

fn agnhost(args: &[String], now: SimTime) -> Started {
    match args.first().map(String::as_str) {
        Some("liveness") => Started::Running {
            app: App::AgnhostLiveness { started: now },
            logs: Logs::new(),
        },
        Some("netexec") => {
            let port = args
                .iter()
                .find_map(|a| a.strip_prefix("--http-port="))
                .and_then(|p| p.parse().ok())
                .unwrap_or(8080);
            Started::Running {
                app: App::AgnhostNetexec { port },
                logs: vec![line(
                    now,
                    Stream::Stderr,
                    format!(
                        "I{} 1 log.go:245] Started HTTP server on port {port}",
                        &wallclock::klog_stamp(now)
                    ),
                )],
            }
        }
        Some("pause") => Started::Running {
            app: App::Idle { handles_term: true },
            logs: vec![line(now, Stream::Stdout, "Paused")],
        },
        Some(cmd) => Started::Exits {
            logs: vec![
                line(
                    now,
                    Stream::Stderr,
                    format!("Error: unknown command \"{cmd}\" for \"agnhost\""),
                ),
                line(now, Stream::Stderr, "Run 'agnhost --help' for usage."),
            ],
            code: 1,
            at: now,
        },
        None => Started::Returns {
            logs: vec![line(now, Stream::Stdout, "Usage:\n  agnhost [command]")],
            code: 0,
        },
    }
}

fn python(args: &[String], now: SimTime) -> Started {
    match args {
        [] => Started::Returns {
            logs: Logs::new(),
            code: 0,
        },
        [flag] if flag == "--version" || flag == "-V" => Started::Returns {
            logs: vec![line(now, Stream::Stdout, "Python 3.13.9")],
            code: 0,
        },
        [m, module, rest @ ..] if m == "-m" && module == "http.server" => {
            let port = rest.first().and_then(|p| p.parse().ok()).unwrap_or(8000);
            Started::Running {
                app: App::PythonHttp { port },
                logs: vec![line(
                    now,
                    Stream::Stdout,
                    format!("Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ..."),
                )],
            }
        }
        _ => Started::Returns {
            logs: vec![line(
                now,
                Stream::Stderr,
                "python3: the playground's image runs only `python3 -m http.server [PORT]`",
            )],
            code: 2,
        },
    }
}

/// Apache's error-log timestamp: `Sun Nov 22 08:00:00.000000 2026`.
fn apache_stamp(t: SimTime) -> String {
    let date = wallclock::date_string(t);
    let parts: Vec<&str> = date.split_whitespace().collect();
    let micros = t.wall_millis().rem_euclid(1000) * 1000;
    format!(
        "{} {} {} {}.{micros:06} {}",
        parts[0], parts[1], parts[2], parts[3], parts[5]
    )
}

/// Redis's log timestamp: `22 Nov 2026 08:00:00.000`.
fn redis_stamp(t: SimTime) -> String {
    let date = wallclock::date_string(t);
    let parts: Vec<&str> = date.split_whitespace().collect();
    let millis = t.wall_millis().rem_euclid(1000);
    format!(
        "{} {} {} {}.{millis:03}",
        parts[2], parts[1], parts[5], parts[3]
    )
}

impl App {
    /// The ports it listens on at `now`.
    pub fn listeners(&self, now: SimTime) -> Vec<Listener> {
        let http = |port| Listener { port, https: false };
        match self {
            App::Nginx { since, .. } | App::Httpd { since } if now >= *since => vec![http(80)],
            App::Redis { since } if now >= *since => vec![http(6379)],
            App::Memcached => vec![http(11211)],
            App::Postgres { since } if now >= *since => vec![http(5432)],
            App::Mysql { since } if now >= *since => vec![http(3306), http(33060)],
            App::AgnhostLiveness { .. } => vec![http(8080)],
            App::AgnhostNetexec { port } | App::PythonHttp { port } => vec![http(*port)],
            App::Component(c) => c.listeners(now).to_vec(),
            _ => Vec::new(),
        }
    }

    /// Its listener on `port` at `now`, if any (a component's without building a list: every
    /// probe of a control-plane pod asks).
    pub fn listener(&self, port: u16, now: SimTime) -> Option<Listener> {
        match self {
            App::Component(c) => c.listeners(now).iter().find(|l| l.port == port).copied(),
            _ => self.listeners(now).into_iter().find(|l| l.port == port),
        }
    }

    /// A periodic step (only components have any).
    pub fn tick(&mut self, penv: &mut ProcEnv<'_>) -> Tick {
        match self {
            App::Component(c) => c.tick(penv),
            _ => Tick::default(),
        }
    }

    /// What it answers to `GET path` on `port`: status, body, and the access-log line it
    /// writes, if any.
    pub fn respond(
        &mut self,
        port: u16,
        path: &str,
        client: &Client,
        penv: &ProcEnv<'_>,
    ) -> (u16, String, Option<(Stream, String)>) {
        let now = penv.now;
        let (status, body) = match self {
            App::Nginx { version, .. } => {
                let file = if path.ends_with('/') {
                    format!("/usr/share/nginx/html{path}index.html")
                } else {
                    format!("/usr/share/nginx/html{path}")
                };
                match penv.root.read(penv.host, &file) {
                    Ok(body) => (200, body),
                    Err(_) => (404, format!("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n")),
                }
            }
            App::Httpd { .. } => {
                let file = if path.ends_with('/') {
                    format!("/usr/local/apache2/htdocs{path}index.html")
                } else {
                    format!("/usr/local/apache2/htdocs{path}")
                };
                match penv.root.read(penv.host, &file) {
                    Ok(body) => (200, body),
                    Err(_) => (404, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".into()),
                }
            }
            App::AgnhostLiveness { started } => {
                let up = now.since(*started);
                if path == "/healthz" && up > SimDuration::from_secs(10) {
                    (500, format!("error: {up}"))
                } else {
                    (200, "ok".into())
                }
            }
            App::AgnhostNetexec { .. } => match path {
                "/hostname" => (200, penv.hostname.to_string()),
                "/healthz" | "/" => (200, format!("NOW: {}", wallclock::rfc3339_nano(now))),
                _ => (404, "404 page not found\n".into()),
            },
            App::PythonHttp { .. } => (200, "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for /</title>\n</head>\n<body>\n<h1>Directory listing for /</h1>\n<hr>\n<ul>\n</ul>\n<hr>\n</body>\n</html>\n".into()),
            App::Component(c) => (c.respond(port, path, penv), String::new()),
            _ => (200, String::new()),
        };
        let access = match self {
            App::Nginx { .. } => Some((
                Stream::Stdout,
                format!(
                    "{} - - [{}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"{}\" \"-\"\n",
                    client.ip,
                    clf_stamp(now),
                    body.len(),
                    client.user_agent
                ),
            )),
            App::Httpd { .. } => Some((
                Stream::Stdout,
                format!(
                    "{} - - [{}] \"GET {path} HTTP/1.1\" {status} {}\n",
                    client.ip,
                    clf_stamp(now),
                    body.len()
                ),
            )),
            App::PythonHttp { .. } => {
                let stamp = clf_stamp(now);
                Some((
                    Stream::Stderr,
                    format!(
                        "{} - - [{} {}] \"GET {path} HTTP/1.1\" {status} -\n",
                        client.ip,
                        &stamp[..11],
                        &stamp[12..20]
                    ),
                ))
            }
            _ => None,
        };
        (status, body, access)
    }

    /// SIGTERM (or the image's stop signal): how long until it exits, what it writes, and its
    /// exit code.
    pub fn on_sigterm(&mut self, now: SimTime) -> (SimDuration, Logs, i32) {
        let ms = SimDuration::from_millis;
        match self {
            App::Pause => (SimDuration::ZERO, Logs::new(), 0),
            App::Nginx { .. } => {
                let stamp = nginx_stamp(now);
                let logs = [
                    "1#1: signal 3 (SIGQUIT) received, shutting down",
                    "29#29: gracefully shutting down",
                    "29#29: exiting",
                    "29#29: exit",
                    "1#1: signal 17 (SIGCHLD) received from 29",
                    "1#1: worker process 29 exited with code 0",
                    "1#1: exit",
                ]
                .into_iter()
                .map(|t| line(now, Stream::Stderr, format!("{stamp} [notice] {t}")))
                .collect();
                (ms(100), logs, 0)
            }
            App::Httpd { .. } => (
                ms(100),
                vec![line(now, Stream::Stderr, format!("[{}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully", apache_stamp(now)))],
                0,
            ),
            App::Redis { .. } => {
                let stamp = redis_stamp(now);
                let logs = vec![
                    line(now, Stream::Stdout, format!("1:signal-handler ({}) Received SIGTERM scheduling shutdown...", now.wall_millis() / 1000)),
                    line(now, Stream::Stdout, format!("1:M {stamp} * User requested shutdown...")),
                    line(now, Stream::Stdout, format!("1:M {stamp} * Saving the final RDB snapshot before exiting.")),
                    line(now, Stream::Stdout, format!("1:M {stamp} * DB saved on disk")),
                    line(now, Stream::Stdout, format!("1:M {stamp} # Redis is now ready to exit, bye bye...")),
                ];
                (ms(200), logs, 0)
            }
            App::Memcached => (ms(50), vec![line(now, Stream::Stderr, "Signal handled: Terminated.")], 0),
            App::Postgres { .. } | App::Mysql { .. } => (ms(500), Logs::new(), 0),
            App::Idle { handles_term: true } => (
                SimDuration::ZERO,
                vec![line(now, Stream::Stdout, "Shutting down after receiving signal: terminated.")],
                0,
            ),
            // Go and Python programs without a handler die of the signal: 128 + 15.
            App::AgnhostLiveness { .. }
            | App::AgnhostNetexec { .. }
            | App::PythonHttp { .. }
            | App::Idle { handles_term: false } => (SimDuration::ZERO, Logs::new(), 143),
            App::Component(c) => c.on_sigterm(now),
        }
    }

    /// The component it is, if it is one.
    pub fn component(&self) -> Option<&Component> {
        match self {
            App::Component(c) => Some(c),
            _ => None,
        }
    }
}

/// Who sends a request, for access logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The source address.
    pub ip: String,
    /// The `User-Agent` (a literal for the kubelet's probes, which send one every few
    /// seconds).
    pub user_agent: std::borrow::Cow<'static, str>,
}
