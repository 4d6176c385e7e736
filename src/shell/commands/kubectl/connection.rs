//! Where kubectl sends its requests and what it prints when nobody answers.
//!
//! kubectl reads the kubeconfig from `--kubeconfig`, else from every file named in
//! `$KUBECONFIG` (missing ones are skipped, the first file to set a value wins), else from
//! `~/.kube/config` on the host the shell is on (client-go's `ClientConfigLoadingRules`). The
//! current context's cluster gives the server URL; with no configuration at all kubectl falls
//! back to `http://localhost:8080`. So on `controlplane` kubectl reaches the API server at
//! `https://controlplane:6443`, and on `node01`, which has no kubeconfig, every request is
//! refused on `localhost:8080`.
//!
//! When the server does not answer, kubectl's cached discovery client logs the failed API
//! group list once per attempt (client-go v0.34.1 `discovery/cached/memory/memcache.go`
//! line 265, through `utilruntime.HandleError`, hence the `"Unhandled Error"` wording) and
//! `cmdutil.CheckErr` ends with `The connection to the server <host:port> was refused - did
//! you specify the right host or port?`. A `kubectl get` makes five discovery attempts before
//! giving up, so five klog lines come first.
//!
//! Simplified: an address that no host owns is refused at once instead of timing out, and
//! TLS and credentials are not checked (any server URL that reaches port 6443 of the
//! control-plane node is served).

use serde_json::Value;

use crate::apiserver::API_SERVER_PORT;
use crate::cluster::Cluster;
use crate::node::fs::normalize;
use crate::node::kubeconfig;
use crate::sim::wallclock::klog_stamp;
use crate::sim::SimTime;

/// How many discovery attempts kubectl logs before it reports the refused connection.
pub const DISCOVERY_ATTEMPTS: usize = 5;

/// The kubeconfig kubectl reads when neither `--kubeconfig` nor `$KUBECONFIG` names one.
pub const DEFAULT_KUBECONFIG: &str = ".kube/config";

/// What a request to the configured server reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The control-plane node's API server port (answers while it serves).
    ApiServer {
        /// The address dialled, `172.30.1.2:6443` (or `127.0.0.1:6443` from the node itself).
        address: String,
    },
    /// An address where nothing listens.
    Refused {
        /// The address dialled.
        address: String,
    },
    /// A host name that does not resolve.
    NoSuchHost {
        /// The name.
        host: String,
    },
}

/// The server kubectl talks to, from the kubeconfig.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The server URL (`https://controlplane:6443`).
    pub server: String,
    /// The URL's host and port as written (`controlplane:6443`).
    pub host_port: String,
    /// What the server address reaches.
    pub target: Target,
    /// The namespace the context names, if any.
    pub namespace: Option<String>,
}

/// Where kubectl looks for its configuration.
#[derive(Debug, Clone, Copy)]
pub struct ConfigSource<'a> {
    /// `--kubeconfig`.
    pub explicit: Option<&'a str>,
    /// `--context`.
    pub context: Option<&'a str>,
    /// `$KUBECONFIG`.
    pub env: Option<&'a str>,
    /// `$HOME`.
    pub home: &'a str,
    /// The shell's working directory (relative paths).
    pub cwd: &'a str,
}

impl Connection {
    /// Reads the kubeconfig on host `host` and works out where requests go. The error is
    /// kubectl's whole message (`error: ...`).
    pub fn resolve(
        cluster: &Cluster,
        host: usize,
        source: &ConfigSource<'_>,
    ) -> Result<Connection, String> {
        let fs = &cluster.host(host).node.fs;
        let mut docs: Vec<Value> = Vec::new();
        let mut load = |path: &str, must_exist: bool| -> Result<(), String> {
            let abs = normalize(source.cwd, path);
            match fs.read_to_string(&abs) {
                Ok(text) => {
                    let value = kubeconfig::decode(&text)
                        .map_err(|e| format!("error: error loading config file \"{path}\": {e}"))?;
                    docs.push(value);
                    Ok(())
                }
                Err(_) if must_exist => {
                    Err(format!("error: stat {path}: no such file or directory"))
                }
                Err(_) => Ok(()),
            }
        };
        match (source.explicit, source.env) {
            (Some(path), _) => load(path, true)?,
            (None, Some(list)) if !list.is_empty() => {
                for path in list.split(':').filter(|p| !p.is_empty()) {
                    load(path, false)?;
                }
            }
            _ => load(
                &format!("{}/{DEFAULT_KUBECONFIG}", source.home.trim_end_matches('/')),
                false,
            )?,
        }
        let config = kubeconfig::merge(&docs);
        let (server, namespace) = server_of(&config, source.context)?;
        let (scheme, host_port) = match server.split_once("://") {
            Some((scheme, rest)) => (scheme.to_string(), rest.split('/').next().unwrap_or("")),
            None => ("https".to_string(), server.split('/').next().unwrap_or("")),
        };
        let (name, port) = split_host_port(host_port, &scheme);
        let target = target_of(cluster, host, &name, port);
        Ok(Connection {
            server: server.trim_end_matches('/').to_string(),
            host_port: host_port.to_string(),
            target,
            namespace,
        })
    }

    /// Whether requests are answered right now.
    pub fn reachable(&self, cluster: &Cluster) -> bool {
        matches!(self.target, Target::ApiServer { .. }) && cluster.api().serving()
    }

    /// The transport error of a failed request (`dial tcp ...`).
    pub fn dial_error(&self) -> String {
        match &self.target {
            Target::ApiServer { address } | Target::Refused { address } => {
                format!("dial tcp {address}: connect: connection refused")
            }
            Target::NoSuchHost { host } => {
                format!("dial tcp: lookup {host} on 127.0.0.53:53: no such host")
            }
        }
    }

    /// `cmdutil.CheckErr`'s message for a failed request (without the newline).
    pub fn failure_message(&self) -> String {
        match &self.target {
            Target::NoSuchHost { .. } => {
                format!("Unable to connect to the server: {}", self.dial_error())
            }
            _ => format!(
                "The connection to the server {} was refused - did you specify the right host or port?",
                self.host_port
            ),
        }
    }

    /// The klog lines the discovery client writes, then the final message: everything
    /// kubectl prints on stderr when it cannot reach the server for discovery.
    pub fn discovery_failure(&self, now: SimTime, pid: u32, timeout: &str) -> String {
        let mut out = String::new();
        for attempt in 0..DISCOVERY_ATTEMPTS {
            out.push_str(&format!(
                "E{} {pid:>7} memcache.go:265] \"Unhandled Error\" err=\"couldn't get current server API group list: Get \\\"{}/api?timeout={timeout}\\\": {}\"\n",
                klog_time(now, attempt),
                self.server,
                self.dial_error(),
            ));
        }
        out.push_str(&self.failure_message());
        out.push('\n');
        out
    }
}

/// A klog header time for the `attempt`-th line of one burst: the virtual time with a few
/// hundred microseconds between lines, as the retries take.
pub fn klog_time(now: SimTime, attempt: usize) -> String {
    let stamp = klog_stamp(now);
    let base_micros = now.wall_millis().rem_euclid(1000) * 1000;
    let step = 1_000 + (attempt as i64 * 337) % 500;
    let micros = (base_micros + 137 + attempt as i64 * step).min(999_999);
    // klog_stamp ends with the six-digit fraction; replace it with ours.
    match stamp.rsplit_once('.') {
        Some((head, _)) => format!("{head}.{micros:06}"),
        None => stamp,
    }
}

/// The server URL and namespace of the context in use; `http://localhost:8080` with none.
fn server_of(
    config: &Value,
    context_flag: Option<&str>,
) -> Result<(String, Option<String>), String> {
    let selection = kubeconfig::select(config, context_flag);
    if selection.context_name.is_empty() {
        return Ok(("http://localhost:8080".to_string(), None));
    }
    if !selection.context_found {
        return Err(format!(
            "error: context was not found for specified context: {}",
            selection.context_name
        ));
    }
    match selection.server() {
        Some(server) => Ok((server.to_string(), selection.namespace.clone())),
        None => Err(format!(
            "Error in configuration: no server found for cluster \"{}\"",
            selection.cluster_name
        )),
    }
}

/// `host:port` into its parts, with the scheme's default port.
fn split_host_port(host_port: &str, scheme: &str) -> (String, u16) {
    let default = if scheme == "http" { 80 } else { 443 };
    match host_port.rsplit_once(':') {
        Some((host, port)) => (
            host.trim_matches(['[', ']']).to_string(),
            port.parse().unwrap_or(default),
        ),
        None => (host_port.to_string(), default),
    }
}

/// What dialling `name:port` from host `from` reaches.
fn target_of(cluster: &Cluster, from: usize, name: &str, port: u16) -> Target {
    let lowered = name.to_ascii_lowercase();
    let (ip, host_idx) =
        if lowered == "localhost" || lowered.starts_with("127.") || lowered == "::1" {
            ("127.0.0.1".to_string(), Some(from))
        } else if let Some(idx) = cluster.host_index(&lowered) {
            (cluster.host(idx).node.ip.clone(), Some(idx))
        } else if lowered.chars().all(|c| c.is_ascii_digit() || c == '.') {
            let idx = cluster.hosts().iter().position(|h| h.node.ip == lowered);
            (lowered.clone(), idx)
        } else {
            return Target::NoSuchHost {
                host: name.to_string(),
            };
        };
    let address = format!("{ip}:{port}");
    // The API server's address may name the host or give its IP.
    let api_host = cluster
        .api()
        .address()
        .rsplit_once(':')
        .map(|(host, _)| host.to_string())
        .unwrap_or_default();
    let serves_api = host_idx.is_some_and(|idx| {
        let node = &cluster.host(idx).node;
        node.ip == api_host || node.name == api_host
    });
    if serves_api && port == API_SERVER_PORT {
        Target::ApiServer { address }
    } else {
        Target::Refused { address }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn klog_times_step_through_the_second() {
        let t = SimTime(61_000);
        assert_eq!(klog_time(t, 0), "1122 08:01:01.000137");
        assert_eq!(klog_time(t, 1), "1122 08:01:01.001474");
        assert!(klog_time(SimTime(61_999), 4).ends_with(".999999"));
    }

    #[test]
    fn host_ports_default_by_scheme() {
        assert_eq!(
            split_host_port("controlplane:6443", "https"),
            ("controlplane".into(), 6443)
        );
        assert_eq!(
            split_host_port("localhost", "http"),
            ("localhost".into(), 80)
        );
        assert_eq!(split_host_port("[::1]:8080", "http"), ("::1".into(), 8080));
    }

    #[test]
    fn no_context_means_localhost_8080() {
        let config = kubeconfig::merge(&[]);
        assert_eq!(
            server_of(&config, None).unwrap(),
            ("http://localhost:8080".to_string(), None)
        );
        assert_eq!(
            server_of(&config, Some("dev")).unwrap_err(),
            "error: context was not found for specified context: dev"
        );
    }
}
