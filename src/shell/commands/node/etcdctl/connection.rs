//! How etcdctl reaches an endpoint: its TLS set-up from `--cacert`/`--cert`/`--key` (files
//! read before dialing; a missing one is `Error: open ...` with status 128), the dial to the
//! etcd container listening there, the TLS handshake both ways (kubeadm's etcd has
//! `--client-cert-auth=true`), and, when the request cannot complete, the client library's
//! retry warning (a zap JSON line on stderr) and `context deadline exceeded` once
//! `--command-timeout` has passed on the node's clock.
//!
//! Simplified: certificates are matched by their issuer's common name (no signature or
//! host-name check, no key-pair check); the failure wordings follow etcd 3.5/3.6 captures
//! and grpc's error shapes.

use super::Globals;
use crate::cluster::network::resolve;
use crate::node::fs::normalize;
use crate::node::runtime::components::ComponentKind;
use crate::node::Node;
use crate::shell::commands::node::x509::parse_pem;
use crate::shell::commands::World;
use crate::shell::io::Output;
use crate::sim::wallclock::timestamp;

/// The etcd member behind an endpoint that answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// `--name`.
    pub name: String,
    /// `--initial-advertise-peer-urls`.
    pub peer_urls: Vec<String>,
    /// `--advertise-client-urls`.
    pub client_urls: Vec<String>,
    /// `--initial-cluster-token`.
    pub cluster_token: String,
}

/// Why a request did not complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// etcdctl stopped before dialing: its whole output.
    Setup(Output),
    /// The request ran into the deadline; the connection error grpc last saw.
    Deadline(String),
}

/// Dials `endpoint` and completes the TLS handshake: the member answering there.
pub fn dial(world: &World<'_>, globals: &Globals, endpoint: &str) -> Result<Member, Failure> {
    let fs = &world.cluster.host(world.host).node.fs;
    let read = |path: &str| {
        fs.read_to_string(&normalize(world.cwd, path)).map_err(|_| {
            Failure::Setup(Output::err(
                format!("Error: open {path}: no such file or directory\n"),
                128,
            ))
        })
    };
    let (scheme, address) = match endpoint.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, endpoint),
    };
    let client_tls = match scheme {
        Some("https") => true,
        Some(_) => false,
        None => globals.cacert.is_some() || globals.cert.is_some() || globals.key.is_some(),
    };
    let mut client_cert = None;
    let mut ca = None;
    if client_tls {
        match (&globals.cert, &globals.key) {
            (Some(cert), Some(key)) => {
                client_cert = Some(read(cert)?);
                read(key)?;
            }
            (None, None) => (),
            (cert, key) => {
                return Err(Failure::Setup(Output::err(
                    format!(
                        "Error: KeyFile and CertFile must both be present[key: {}, cert: {}]\n",
                        key.as_deref().unwrap_or(""),
                        cert.as_deref().unwrap_or("")
                    ),
                    128,
                )))
            }
        }
        if let Some(cacert) = &globals.cacert {
            ca = Some(read(cacert)?);
        }
    }
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().unwrap_or(0)),
        None => (address, 2379),
    };
    let nodes: Vec<&Node> = world.cluster.hosts().iter().map(|h| &h.node).collect();
    let from = &world.cluster.host(world.host).node;
    let refused = |ip: &str| {
        Failure::Deadline(format!(
            "connection error: desc = \\\"transport: Error while dialing: dial tcp {ip}:{port}: connect: connection refused\\\""
        ))
    };
    let Some(target) = resolve(&nodes, from, host) else {
        return Err(refused(host));
    };
    let ip = if host == "localhost" || host.starts_with("127.") {
        "127.0.0.1"
    } else {
        target.ip.as_str()
    };
    let now = world.cluster.now();
    let runtime = &target.runtime;
    let Some(container) = runtime
        .listener_at(now, ip, port)
        .and_then(|id| runtime.container(&id))
        .filter(|c| c.component() == Some(ComponentKind::Etcd))
    else {
        return Err(refused(ip));
    };
    let server_tls = container
        .listeners(now)
        .iter()
        .any(|l| l.port == port && l.https);
    let argv = container.argv();
    let flag = |name: &str| {
        argv.iter()
            .find_map(|a| a.strip_prefix(&format!("--{name}=")))
            .map(str::to_string)
    };
    let handshake =
        |desc: &str| Failure::Deadline(format!("connection error: desc = \\\"{desc}\\\""));
    match (client_tls, server_tls) {
        // The server reads a plaintext HTTP/2 preface as a bad TLS record and hangs up.
        (false, true) => return Err(Failure::Deadline("connection closed".to_string())),
        (true, false) => {
            return Err(handshake(
                "transport: authentication handshake failed: tls: first record does not look like a TLS handshake",
            ))
        }
        (true, true) => {
            let target_fs = &target.fs;
            let issuer_of_server = flag("cert-file")
                .and_then(|path| target_fs.read_to_string(&path).ok())
                .and_then(|pem| parse_pem(&pem))
                .map(|c| c.issuer_common_name)
                .unwrap_or_default();
            let trusted = ca.as_deref().and_then(parse_pem).map(|c| c.common_name);
            if trusted.as_deref() != Some(issuer_of_server.as_str()) {
                return Err(handshake(
                    "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority",
                ));
            }
            if flag("client-cert-auth").as_deref() == Some("true") {
                let client_ca = flag("trusted-ca-file")
                    .and_then(|path| target_fs.read_to_string(&path).ok())
                    .and_then(|pem| parse_pem(&pem))
                    .map(|c| c.common_name)
                    .unwrap_or_default();
                match client_cert.as_deref().map(parse_pem) {
                    None => {
                        return Err(handshake(
                            "error reading server preface: remote error: tls: certificate required",
                        ))
                    }
                    Some(cert) if cert.as_ref().map(|c| c.issuer_common_name.as_str()) != Some(client_ca.as_str()) => {
                        return Err(handshake(
                            "error reading server preface: remote error: tls: bad certificate",
                        ))
                    }
                    Some(_) => (),
                }
            }
        }
        (false, false) => (),
    }
    let list = |name: &str| -> Vec<String> {
        flag(name)
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default()
    };
    Ok(Member {
        name: flag("name").unwrap_or_else(|| "default".to_string()),
        peer_urls: list("initial-advertise-peer-urls"),
        client_urls: list("advertise-client-urls"),
        cluster_token: flag("initial-cluster-token").unwrap_or_else(|| "etcd-cluster".to_string()),
    })
}

/// Lets `--command-timeout` pass and returns the client library's warning for a unary call
/// `method` that could not complete against `endpoint`, last failing with `desc`.
pub fn deadline(
    world: &mut World<'_>,
    globals: &Globals,
    logger: &str,
    method: &str,
    endpoint: &str,
    desc: &str,
) -> String {
    let until = world.cluster.now() + globals.command_timeout;
    world.cluster.run_until(until);
    let ts = timestamp(world.cluster.now());
    let civil = jiff::tz::TimeZone::UTC.to_datetime(ts);
    let stamp = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        civil.year(),
        civil.month(),
        civil.day(),
        civil.hour(),
        civil.minute(),
        civil.second(),
        civil.subsec_nanosecond() / 1000
    );
    let target = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    let error = format!(
        "rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: {desc}"
    );
    format!(
        "{{\"level\":\"warn\",\"ts\":\"{stamp}\",\"logger\":\"{logger}\",\"caller\":\"v3@v3.6.4/retry_interceptor.go:65\",\"msg\":\"retrying of unary invoker failed\",\"target\":\"etcd-endpoints://0xc0003c2000/{target}\",\"method\":\"{method}\",\"attempt\":0,\"error\":\"{error}\"}}\n"
    )
}
