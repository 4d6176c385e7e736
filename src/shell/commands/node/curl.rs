//! curl 8.5.0 (Ubuntu 24.04) over the emulated network: GET requests to the hosts' background
//! `python3 -m http.server`s, to containers listening on pod or host ports, to the kubelet's
//! healthz port, and to the API server's health endpoints over TLS; with curl's error codes
//! and messages (`(6)` unknown host, `(7)` refused, `(28)` timeout, `(35)` TLS to a plain
//! server, `(60)` unverified certificate, `(22)` with `-f`).
//!
//! Simplified: only GET; `-v` shows the request and response headers but not the TLS
//! handshake; the progress meter is shown only with `-o` (the playground cannot tell a pipe
//! from the terminal); the API server answers anonymous requests for its health endpoints and
//! `403 Forbidden` for anything else.

use crate::node::cri::HttpProbeAnswer;
use crate::node::runtime::apps::Client;
use crate::shell::commands::World;
use crate::shell::io::Output;
use crate::sim::wallclock::date_string;
use crate::sim::SimDuration;

/// The CA that signs the API server's certificate on a kubeadm node.
const KUBE_CA: &str = "/etc/kubernetes/pki/ca.crt";
/// The CA that signs etcd's certificates.
const ETCD_CA: &str = "/etc/kubernetes/pki/etcd/ca.crt";

const SUPPORTED: &str = "-k/--insecure, -s/--silent, -S/--show-error, -v/--verbose, -i/--include, -I/--head, -o/--output FILE, -f/--fail, -L/--location, -m/--max-time SECS, --cacert FILE, -X GET";

/// The parsed command line.
#[derive(Debug, Default)]
struct Opts {
    url: Option<String>,
    insecure: bool,
    silent: bool,
    show_error: bool,
    verbose: bool,
    include: bool,
    head: bool,
    fail: bool,
    output: Option<String>,
    max_time: Option<f64>,
    cacert: Option<String>,
}

/// One HTTP response as curl receives it.
struct Response {
    proto: &'static str,
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// The server's access-log line, shown when the server runs on this terminal.
    access_log: Option<String>,
}

/// `curl [options] URL`.
pub fn curl(world: &mut World<'_>, argv: &[String]) -> Output {
    let opts = match parse(&argv[1..]) {
        Ok(opts) => opts,
        Err(out) => return out,
    };
    let Some(url) = opts.url.clone() else {
        return Output::err(
            "curl: try 'curl --help' or 'curl --manual' for more information\n",
            2,
        );
    };
    let fail = |code: i32, message: String| -> Output {
        let stderr = if opts.silent && !opts.show_error {
            String::new()
        } else {
            format!("curl: ({code}) {message}\n")
        };
        Output {
            stdout: String::new(),
            stderr,
            code,
            stderr_after: Vec::new(),
        }
    };
    let (scheme, host, port, path) = match split_url(&url) {
        Ok(parts) => parts,
        Err((code, message)) => return fail(code, message),
    };
    let https = scheme == "https";
    if let Some(ca) = &opts.cacert {
        let full = crate::node::fs::normalize(world.cwd, ca);
        if !world.cluster.host(world.host).node.fs.exists(&full) {
            return fail(77, format!("error setting certificate file: {ca}"));
        }
    }
    let Some((target, addr)) = resolve(world, &host) else {
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            // Nobody has that address: the SYNs go unanswered.
            return match opts.max_time {
                Some(secs) => {
                    let ms = (secs * 1000.0) as u64;
                    world.cluster.advance(SimDuration::from_millis(ms));
                    fail(
                        28,
                        format!("Connection timed out after {} milliseconds", ms + 1),
                    )
                }
                None => {
                    world.cluster.advance(SimDuration::from_secs(134));
                    fail(
                        28,
                        format!("Failed to connect to {host} port {port} after 134000 ms: Couldn't connect to server"),
                    )
                }
            };
        }
        return fail(6, format!("Could not resolve host: {host}"));
    };
    let mut verbose = String::new();
    if opts.verbose {
        verbose.push_str(&format!(
            "*   Trying {addr}:{port}...\n* Connected to {host} ({addr}) port {port}\n"
        ));
    }
    let response = match request(world, target, &addr, port, &path, https) {
        Ok(response) => response,
        Err(Failure::Refused) => {
            return fail(
                7,
                format!(
                "Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"
            ),
            )
        }
        Err(Failure::Tls) => {
            return fail(
                35,
                "OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number".into(),
            )
        }
        Err(Failure::Other(message)) => return fail(56, message),
    };
    // The certificate check happens before any request is sent.
    if https && !opts.insecure {
        let ca = if port == 2379 { ETCD_CA } else { KUBE_CA };
        let trusted = opts
            .cacert
            .as_deref()
            .is_some_and(|given| crate::node::fs::normalize(world.cwd, given) == ca);
        if !trusted {
            let mut out = fail(
                60,
                "SSL certificate problem: unable to get local issuer certificate".into(),
            );
            if !out.stderr.is_empty() {
                out.stderr.push_str("More details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.\n");
            }
            return Output {
                stderr: format!("{verbose}{}", out.stderr),
                ..out
            };
        }
        let node_name = world.cluster.host(target).node.name.clone();
        let node_ip = world.cluster.host(target).node.ip.clone();
        let names_ok = port == 2379
            || host == node_name
            || host == node_ip
            || host.starts_with("kubernetes")
            || host == "10.96.0.1";
        if !names_ok {
            return fail(
                60,
                format!("SSL: no alternative certificate subject name matches target host name '{host}'"),
            );
        }
    }
    let mut out = Output::default();
    // The status line and each header end in CRLF; an empty line ends the head.
    let mut head = format!("{} {}", response.proto, response.status);
    head.push_str(if response.proto == "HTTP/2" { " " } else { "" });
    if response.proto != "HTTP/2" {
        head.push_str(&format!(" {}", response.reason));
    }
    head.push_str("\r\n");
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    if opts.verbose {
        let host_header = if (https && port == 443) || (!https && port == 80) {
            host.clone()
        } else {
            format!("{host}:{port}")
        };
        let method = if opts.head { "HEAD" } else { "GET" };
        verbose.push_str(&format!(
            "> {method} {path} HTTP/{}\r\n> Host: {host_header}\r\n> User-Agent: curl/8.5.0\r\n> Accept: */*\r\n> \r\n",
            if response.proto == "HTTP/2" { "2" } else { "1.1" }
        ));
        if let Some(log) = &response.access_log {
            verbose.push_str(log);
        }
        for line in head.trim_end_matches("\r\n").split("\r\n") {
            verbose.push_str(&format!("< {line}\r\n"));
        }
        verbose.push_str("< \r\n");
    }
    if !opts.verbose {
        if let Some(log) = &response.access_log {
            out.stderr.push_str(log);
        }
    }
    if opts.fail && response.status >= 400 {
        let mut failed = fail(
            22,
            format!("The requested URL returned error: {}", response.status),
        );
        failed.stderr = format!("{}{verbose}{}", out.stderr, failed.stderr);
        return failed;
    }
    let mut shown = Vec::new();
    if opts.include || opts.head {
        shown.extend_from_slice(head.as_bytes());
    }
    if !opts.head {
        shown.extend_from_slice(&response.body);
    }
    if opts.verbose {
        verbose.push_str(if response.proto == "HTTP/1.0" {
            "* Closing connection\n"
        } else {
            "* Connection #0 to host "
        });
        if response.proto != "HTTP/1.0" {
            verbose.push_str(&format!("{host} left intact\n"));
        }
    }
    let text = String::from_utf8_lossy(&shown).into_owned();
    match &opts.output {
        Some(file) if file != "-" => {
            let full = crate::node::fs::normalize(world.cwd, file);
            let (fs, _, now, _) = world.cluster.fs_parts(world.host);
            if let Err(err) = fs.write(now, &full, &shown, crate::node::fs::WriteMode::Truncate) {
                let _ = err;
                return fail(
                    23,
                    format!(
                        "Failure writing output to destination, passed {} returned 0",
                        shown.len()
                    ),
                );
            }
            if !opts.silent {
                let n = shown.len();
                // The transfer takes about a millisecond on the emulated network.
                let speed = n * 1000;
                out.stderr.push_str(&format!(
                    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100 {n:>5}  100 {n:>5}    0     0  {speed:>5}      0 --:--:-- --:--:-- --:--:-- {speed:>5}\n"
                ));
            }
        }
        _ => out.stdout = text,
    }
    out.stderr = format!("{verbose}{}", out.stderr);
    out
}

fn parse(args: &[String]) -> Result<Opts, Output> {
    let mut opts = Opts::default();
    let mut idx = 0;
    let bad = |text: String| {
        Output::err(
            format!("{text}\ncurl: try 'curl --help' or 'curl --manual' for more information\n"),
            2,
        )
    };
    while idx < args.len() {
        let arg = args[idx].as_str();
        idx += 1;
        let mut value = |name: &str| -> Result<String, Output> {
            let v = args.get(idx).cloned();
            idx += 1;
            v.ok_or_else(|| bad(format!("curl: option {name}: requires parameter")))
        };
        match arg {
            "-k" | "--insecure" => opts.insecure = true,
            "-s" | "--silent" => opts.silent = true,
            "-S" | "--show-error" => opts.show_error = true,
            "-v" | "--verbose" => opts.verbose = true,
            "-i" | "--include" => opts.include = true,
            "-I" | "--head" => opts.head = true,
            "-f" | "--fail" => opts.fail = true,
            // No emulated server redirects, so following redirects changes nothing.
            "-L" | "--location" => (),
            "-o" | "--output" => opts.output = Some(value(arg)?),
            "--cacert" => opts.cacert = Some(value(arg)?),
            "-X" | "--request" => {
                let method = value(arg)?;
                if method != "GET" {
                    return Err(Output::err(
                        format!("curl: only GET requests are emulated in the playground (got -X {method})\n"),
                        2,
                    ));
                }
            }
            "-m" | "--max-time" => {
                let v = value(arg)?;
                match v.parse::<f64>() {
                    Ok(secs) if secs >= 0.0 => opts.max_time = Some(secs),
                    _ => {
                        return Err(bad(format!(
                            "curl: option {arg}: expected a proper numerical parameter"
                        )))
                    }
                }
            }
            a if a.starts_with("--") => {
                return Err(Output::err(
                    format!(
                    "curl: option {a} is not supported in the playground; supported: {SUPPORTED}\n"
                ),
                    2,
                ))
            }
            a if a.starts_with('-') && a.len() > 1 => {
                // Combined short options: `-sk`, `-sSL`, `-vk`.
                for ch in a[1..].chars() {
                    match ch {
                        'k' => opts.insecure = true,
                        's' => opts.silent = true,
                        'S' => opts.show_error = true,
                        'v' => opts.verbose = true,
                        'i' => opts.include = true,
                        'I' => opts.head = true,
                        'f' => opts.fail = true,
                        'L' => (),
                        other => {
                            return Err(Output::err(
                                format!("curl: option -{other} is not supported in the playground; supported: {SUPPORTED}\n"),
                                2,
                            ))
                        }
                    }
                }
            }
            url => {
                if opts.url.is_some() {
                    return Err(Output::err(
                        "curl: the playground fetches one URL per command\n",
                        2,
                    ));
                }
                opts.url = Some(url.to_string());
            }
        }
    }
    Ok(opts)
}

/// `(scheme, host, port, path)`; curl assumes `http://` when no scheme is given.
fn split_url(url: &str) -> Result<(String, String, u16, String), (i32, String)> {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("http".to_string(), url),
    };
    if scheme != "http" && scheme != "https" {
        return Err((1, format!("Protocol \"{scheme}\" not supported")));
    }
    let (authority, path) = match rest.find('/') {
        Some(idx) => (&rest[..idx], rest[idx..].to_string()),
        None => (rest, "/".to_string()),
    };
    if authority.is_empty() {
        return Err((3, "URL rejected: No host part in the URL".into()));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => match port.parse::<u16>() {
            Ok(port) => (host.to_string(), port),
            Err(_) => {
                return Err((
                    3,
                    "URL rejected: Port number was not a decimal number between 0 and 65535".into(),
                ))
            }
        },
        None => (
            authority.to_string(),
            if scheme == "https" { 443 } else { 80 },
        ),
    };
    Ok((scheme, host, port, path))
}

/// The host that answers for `name` and the address connected to.
fn resolve(world: &World<'_>, name: &str) -> Option<(usize, String)> {
    if matches!(name, "localhost" | "127.0.0.1") {
        return Some((world.host, "127.0.0.1".into()));
    }
    let hosts = world.cluster.hosts();
    if let Some(idx) = hosts
        .iter()
        .position(|h| h.node.name == name || h.node.ip == name)
    {
        return Some((idx, hosts[idx].node.ip.clone()));
    }
    hosts
        .iter()
        .position(|h| {
            h.node
                .runtime
                .sandboxes()
                .any(|s| s.ready && !s.config.host_network && s.config.ip == name)
        })
        .map(|idx| (idx, name.to_string()))
}

enum Failure {
    Refused,
    Tls,
    Other(String),
}

/// Connects to `addr:port` on host `target` and sends `GET path`.
fn request(
    world: &mut World<'_>,
    target: usize,
    addr: &str,
    port: u16,
    path: &str,
    https: bool,
) -> Result<Response, Failure> {
    let now = world.cluster.now();
    let date = http_date(now);
    let client_ip = if addr == "127.0.0.1" {
        "127.0.0.1".to_string()
    } else {
        world.cluster.host(world.host).node.ip.clone()
    };
    let host = world.cluster.host(target);
    let is_node_addr = addr == "127.0.0.1" || addr == host.node.ip;
    if is_node_addr {
        if let Some(server) = host.node.http_servers.get(&port) {
            if https {
                return Err(Failure::Tls);
            }
            let reply = server.get(&host.node.fs, path);
            let stamp = date_string(now);
            let parts: Vec<&str> = stamp.split_whitespace().collect();
            let log = format!(
                "{client_ip} - - [{:0>2}/{}/{} {}] \"GET {path} HTTP/1.1\" {} -\n",
                parts.get(2).unwrap_or(&""),
                parts.get(1).unwrap_or(&""),
                parts.get(5).unwrap_or(&""),
                parts.get(3).unwrap_or(&""),
                reply.status
            );
            let mut headers = vec![
                (
                    "Server".to_string(),
                    "SimpleHTTP/0.6 Python/3.12.3".to_string(),
                ),
                ("Date".to_string(), date),
            ];
            if reply.status >= 400 {
                headers.push(("Connection".into(), "close".into()));
                headers.push(("Content-Type".into(), reply.content_type.into()));
            } else {
                headers.push(("Content-type".into(), reply.content_type.into()));
            }
            headers.push(("Content-Length".into(), reply.body.len().to_string()));
            return Ok(Response {
                proto: "HTTP/1.0",
                status: reply.status,
                reason: reply.reason.into(),
                headers,
                body: reply.body,
                access_log: (target == world.host).then_some(log),
            });
        }
        if addr == "127.0.0.1" && port == 10248 && host.kubelet().is_some() && !https {
            return Ok(plain(200, "ok".into(), date));
        }
    }
    let Some(id) = host.node.runtime.listener_at(now, addr, port) else {
        return Err(Failure::Refused);
    };
    let container_name = host
        .node
        .runtime
        .container(&id)
        .map(|c| c.config.name.clone())
        .unwrap_or_default();
    let client = Client {
        ip: client_ip,
        user_agent: "curl/8.5.0".into(),
    };
    let node = world.cluster.node_mut(target);
    let answer = node
        .runtime
        .http_request(now, &id, port, path, https, &client, &mut node.fs);
    world.cluster.settle();
    let (status, body) = match answer {
        Ok(answer) => answer,
        Err(HttpProbeAnswer::Refused) => return Err(Failure::Refused),
        Err(HttpProbeAnswer::Error(message)) if message.contains("HTTP response to HTTPS") => {
            return Err(Failure::Tls)
        }
        Err(HttpProbeAnswer::Error(message)) => return Err(Failure::Other(message)),
        Err(HttpProbeAnswer::Status(status)) => (status, String::new()),
    };
    if status == 400 && body.starts_with("Client sent an HTTP request to an HTTPS server") {
        return Ok(Response {
            proto: "HTTP/1.0",
            status,
            reason: "Bad Request".into(),
            headers: Vec::new(),
            body: body.into_bytes(),
            access_log: None,
        });
    }
    if container_name == "kube-apiserver" {
        return Ok(api_server(status, path, date, world));
    }
    if container_name.starts_with("nginx")
        || body.contains("nginx")
        || body.contains("Welcome to nginx")
    {
        let mut response = plain(status, body, date);
        response
            .headers
            .insert(0, ("Server".into(), "nginx".into()));
        response.headers[2].1 = "text/html".into();
        response
            .headers
            .push(("Connection".into(), "keep-alive".into()));
        return Ok(response);
    }
    Ok(plain(status, body, date))
}

/// A Go `net/http` style plain-text answer.
fn plain(status: u16, body: String, date: String) -> Response {
    Response {
        proto: "HTTP/1.1",
        status,
        reason: reason(status).into(),
        headers: vec![
            ("Date".into(), date),
            ("Content-Length".into(), body.len().to_string()),
            ("Content-Type".into(), "text/plain; charset=utf-8".into()),
        ],
        body: body.into_bytes(),
        access_log: None,
    }
}

/// The API server's answer to an anonymous request (HTTP/2 over TLS).
fn api_server(status: u16, path: &str, date: String, world: &mut World<'_>) -> Response {
    let check = path.split('?').next().unwrap_or(path);
    let health = matches!(check, "/healthz" | "/livez" | "/readyz");
    let (status, body, content_type) = if health && status == 200 {
        (200, "ok".to_string(), "text/plain; charset=utf-8")
    } else if health {
        let name = check.trim_start_matches('/').trim_end_matches('z');
        let body = format!(
            "[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]poststarthook/start-apiserver-admission-initializer ok\n[+]poststarthook/generic-apiserver-start-informers ok\n[+]poststarthook/start-kube-apiserver-admission-initializer ok\n[+]poststarthook/bootstrap-controller ok\n[+]poststarthook/rbac/bootstrap-roles ok\n[+]poststarthook/scheduling/bootstrap-system-priority-classes ok\n{name}z check failed\n"
        );
        (500, body, "text/plain; charset=utf-8")
    } else {
        let body = format!(
            "{{\n  \"kind\": \"Status\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {{}},\n  \"status\": \"Failure\",\n  \"message\": \"forbidden: User \\\"system:anonymous\\\" cannot get path \\\"{check}\\\"\",\n  \"reason\": \"Forbidden\",\n  \"details\": {{}},\n  \"code\": 403\n}}"
        );
        (403, body, "application/json")
    };
    let rng = world.cluster.rng_mut();
    let audit = rng.uuid();
    let flow = rng.uuid();
    let level = rng.uuid();
    Response {
        proto: "HTTP/2",
        status,
        reason: String::new(),
        headers: vec![
            ("audit-id".into(), audit),
            ("cache-control".into(), "no-cache, private".into()),
            ("content-type".into(), content_type.into()),
            ("x-content-type-options".into(), "nosniff".into()),
            ("x-kubernetes-pf-flowschema-uid".into(), flow),
            ("x-kubernetes-pf-prioritylevel-uid".into(), level),
            ("content-length".into(), body.len().to_string()),
            ("date".into(), date),
        ],
        body: body.into_bytes(),
        access_log: None,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// `Sun, 22 Nov 2026 08:00:00 GMT`.
fn http_date(t: crate::sim::SimTime) -> String {
    let date = date_string(t);
    // date_string: "Sun Nov 22 08:00:00 UTC 2026"
    let p: Vec<&str> = date.split_whitespace().collect();
    if p.len() < 6 {
        return date;
    }
    format!("{}, {:0>2} {} {} {} GMT", p[0], p[2], p[1], p[5], p[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls_like_curl() {
        assert_eq!(
            split_url("localhost:8000/x").unwrap(),
            ("http".into(), "localhost".into(), 8000, "/x".into())
        );
        assert_eq!(split_url("https://controlplane:6443").unwrap().3, "/");
        assert_eq!(split_url("ftp://x").unwrap_err().0, 1);
    }
}
