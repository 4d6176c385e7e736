//! The cluster network as an HTTP client sees it: name resolution, connection refusals,
//! black holes that time out, and the answers of the hosts' HTTP servers.

use crate::apiserver::API_SERVER_PORT;
use crate::kubelet::config::http::{HttpOutcome, HttpRequest, HttpResponse};
use crate::node::Node;
use crate::sim::SimDuration;

/// The subnet every host's address is in; any other address in it answers nothing.
pub const CLUSTER_SUBNET: &str = "172.30.";

/// The pieces of an `http://host:port/path` URL, borrowed from its text (every kubelet wake
/// splits its API server's URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'a> {
    /// `http` or `https`.
    pub scheme: &'a str,
    /// The host name or address.
    pub host: &'a str,
    /// The port (defaulted from the scheme).
    pub port: u16,
    /// The path with any query, starting with `/`.
    pub path: &'a str,
}

/// Splits a URL, with Go's `net/url` error wording for the cases learners hit.
pub fn parse_url(url: &str) -> Result<Url<'_>, String> {
    // The two schemes served are told by their prefix, without searching for the separator
    // (the kubelet's API server URL is parsed on every one of its wake-ups).
    let split = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(rest), _) => Some(("https", rest)),
        (None, Some(rest)) => Some(("http", rest)),
        (None, None) => url.split_once("://"),
    };
    let Some((scheme, rest)) = split else {
        return Err(format!("Get {url:?}: unsupported protocol scheme \"\""));
    };
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "Get {url:?}: unsupported protocol scheme {scheme:?}"
        ));
    }
    // Byte scans rather than `find` and `rsplit_once`: these URLs are a few dozen bytes, too
    // short for the searchers' set-up to pay, and '/' and ':' are ASCII, so the indices are
    // character boundaries.
    let (authority, path) = match rest.bytes().position(|b| b == b'/') {
        Some(idx) => (&rest[..idx], &rest[idx..]),
        None => (rest, "/"),
    };
    if authority.is_empty() {
        return Err(format!("Get {url:?}: http: no Host in request URL"));
    }
    let colon = authority.bytes().rposition(|b| b == b':');
    let (host, port) = match colon.map(|idx| (&authority[..idx], &authority[idx + 1..])) {
        Some((host, port)) => {
            let port = port.parse::<u16>().map_err(|_| {
                format!(
                    "parse {url:?}: invalid port {:?} after host",
                    format!(":{port}")
                )
            })?;
            (host, port)
        }
        None => (authority, if scheme == "https" { 443 } else { 80 }),
    };
    Ok(Url {
        scheme,
        host,
        port,
        path,
    })
}

/// Which host answers for `name` when asked from `from`.
pub fn resolve<'a>(nodes: &[&'a Node], from: &'a Node, name: &str) -> Option<&'a Node> {
    resolve_among(nodes.iter().copied(), from, name)
}

/// [`resolve`] over the nodes as they come, without collecting them first (every kubelet
/// wake-up resolves its API server).
fn resolve_among<'a>(
    nodes: impl IntoIterator<Item = &'a Node>,
    from: &'a Node,
    name: &str,
) -> Option<&'a Node> {
    if matches!(name, "localhost" | "127.0.0.1" | "::1") {
        return Some(from);
    }
    nodes.into_iter().find(|n| n.name == name || n.ip == name)
}

/// The address a client on `from` is refused at when it dials the API server at `server`
/// (`https://host:port`), or `None` when the dial reaches the API server (port 6443 on the
/// host named by `api_host`).
///
/// Simplified: a name that resolves to no host is refused like an address nobody listens on
/// (upstream: `dial tcp: lookup NAME ... no such host`).
pub fn refused_api_dial<'a>(
    nodes: impl IntoIterator<Item = &'a Node>,
    from: &'a Node,
    server: &str,
    api_host: &str,
) -> Option<String> {
    let Ok(url) = parse_url(server) else {
        return Some(server.to_string());
    };
    let Some(target) = resolve_among(nodes, from, url.host) else {
        return Some(format!("{}:{}", url.host, url.port));
    };
    let ip = if url.host == "localhost" || url.host.starts_with("127.") {
        "127.0.0.1"
    } else {
        target.ip.as_str()
    };
    let serves_api = target.name == api_host || target.ip == api_host;
    (!serves_api || url.port != API_SERVER_PORT).then(|| format!("{ip}:{}", url.port))
}

/// One GET from host `from` over the emulated network.
pub fn http_get(nodes: &[&Node], from: &Node, request: &HttpRequest) -> HttpOutcome {
    let instant = |result| HttpOutcome {
        result,
        latency: SimDuration::ZERO,
    };
    let url = match parse_url(&request.url) {
        Ok(url) => url,
        Err(err) => return instant(Err(err)),
    };
    let get = format!("Get {:?}", request.url);
    let Some(target) = resolve(nodes, from, url.host) else {
        if url.host.starts_with(CLUSTER_SUBNET) {
            // Nobody has that address: the connection never completes and the client's
            // deadline expires.
            return HttpOutcome {
                result: Err(format!(
                    "{get}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                )),
                latency: request.timeout,
            };
        }
        return instant(Err(format!(
            "{get}: dial tcp: lookup {} on 127.0.0.53:53: no such host",
            url.host
        )));
    };
    let address = if url.host == "localhost" {
        format!("127.0.0.1:{}", url.port)
    } else {
        format!("{}:{}", target.ip, url.port)
    };
    if url.port == API_SERVER_PORT && target.name == crate::apiserver::API_SERVER_HOST {
        return instant(Err(format!(
            "{get}: tls: failed to verify certificate: x509: certificate signed by unknown authority"
        )));
    }
    let Some(server) = target.http_servers.get(&url.port) else {
        return instant(Err(format!(
            "{get}: dial tcp {address}: connect: connection refused"
        )));
    };
    if url.scheme == "https" {
        return instant(Err(format!(
            "{get}: http: server gave HTTP response to HTTPS client"
        )));
    }
    let reply = server.get(&target.fs, url.path);
    instant(Ok(HttpResponse {
        status: reply.status,
        status_line: format!("{} {}", reply.status, reply.reason),
        body: reply.body,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::http::HttpServer;

    #[test]
    fn parses_urls() {
        let url = parse_url("http://node01:8000/pods/web.yaml").unwrap();
        assert_eq!(
            (url.host, url.port, url.path),
            ("node01", 8000, "/pods/web.yaml")
        );
        assert_eq!(parse_url("https://x").unwrap().port, 443);
        assert_eq!(
            parse_url("ftp://x/").unwrap_err(),
            "Get \"ftp://x/\": unsupported protocol scheme \"ftp\""
        );
    }

    fn request(url: &str) -> HttpRequest {
        HttpRequest {
            url: url.to_string(),
            headers: Vec::new(),
            timeout: SimDuration::from_secs(10),
        }
    }

    #[test]
    fn network_errors_read_like_go() {
        let mut a = Node::new("controlplane", "172.30.1.2");
        let b = Node::new("node01", "172.30.2.2");
        a.http_servers.insert(
            8000,
            HttpServer {
                port: 8000,
                root: "/".into(),
                pid: 1,
                started: crate::sim::SimTime::ZERO,
            },
        );
        let nodes = vec![&a, &b];
        let refused = http_get(&nodes, &a, &request("http://node01:8000/x"));
        assert_eq!(
            refused.result.unwrap_err(),
            "Get \"http://node01:8000/x\": dial tcp 172.30.2.2:8000: connect: connection refused"
        );
        let timeout = http_get(&nodes, &a, &request("http://172.30.9.9:8000/x"));
        assert_eq!(timeout.latency, SimDuration::from_secs(10));
        let unknown = http_get(&nodes, &a, &request("http://nowhere:8000/x"));
        assert!(unknown
            .result
            .unwrap_err()
            .ends_with("lookup nowhere on 127.0.0.53:53: no such host"));
        let local = http_get(&nodes, &a, &request("http://localhost:8000/missing"));
        assert_eq!(local.result.unwrap().status_line, "404 File not found");
    }
}
