//! Tiny HTTP servers on a host's ports: `python3 -m http.server` serving a directory of the
//! node's filesystem, answering as Python's `SimpleHTTPRequestHandler` does.

use crate::node::fs::{FileKind, Fs};

/// A server listening on one port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpServer {
    /// The port.
    pub port: u16,
    /// The directory served (`--directory`, or the working directory it was started in).
    pub root: String,
    /// The process serving it (for `ps` and `kill`).
    pub pid: u32,
    /// When it started.
    pub started: crate::sim::SimTime,
}

/// What a server answered: status code, reason phrase and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// e.g. 200.
    pub status: u16,
    /// The reason phrase Python sends, e.g. `File not found`.
    pub reason: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// The `Content-type` header.
    pub content_type: &'static str,
}

impl HttpServer {
    /// Answers `GET path` (the request path, possibly with a query) from `fs`.
    pub fn get(&self, fs: &Fs, request_path: &str) -> Reply {
        let path = request_path.split(['?', '#']).next().unwrap_or("/");
        let decoded = percent_decode(path);
        let full = crate::node::fs::normalize(&self.root, &format!(".{decoded}"));
        if !full.starts_with(self.root.trim_end_matches('/')) {
            return not_found();
        }
        match fs.stat(&full) {
            Ok(meta) if meta.kind == FileKind::Dir => {
                let index = format!("{}/index.html", full.trim_end_matches('/'));
                if let Ok(body) = fs.read(&index) {
                    return ok(body, "text/html");
                }
                ok(
                    listing(fs, &full, &decoded).into_bytes(),
                    "text/html; charset=utf-8",
                )
            }
            Ok(_) => match fs.read(&full) {
                Ok(body) => ok(body, content_type(&full)),
                Err(_) => not_found(),
            },
            Err(_) => not_found(),
        }
    }
}

fn ok(body: Vec<u8>, content_type: &'static str) -> Reply {
    Reply {
        status: 200,
        reason: "OK",
        body,
        content_type,
    }
}

fn not_found() -> Reply {
    let body = "<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n";
    Reply {
        status: 404,
        reason: "File not found",
        body: body.as_bytes().to_vec(),
        content_type: "text/html;charset=utf-8",
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "yaml" | "yml" => "application/yaml",
        "json" => "application/json",
        "html" | "htm" => "text/html",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

fn listing(fs: &Fs, dir: &str, shown: &str) -> String {
    let mut html = format!(
        "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for {shown}</title>\n</head>\n<body>\n<h1>Directory listing for {shown}</h1>\n<hr>\n<ul>\n"
    );
    for entry in fs.read_dir(dir).unwrap_or_default() {
        let suffix = if entry.kind == FileKind::Dir { "/" } else { "" };
        html.push_str(&format!(
            "<li><a href=\"{0}{1}\">{0}{1}</a></li>\n",
            entry.name, suffix
        ));
    }
    html.push_str("</ul>\n<hr>\n</body>\n</html>\n");
    html
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        if bytes[idx] == b'%' && idx + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[idx + 1..idx + 3], 16) {
                out.push(byte);
                idx += 3;
                continue;
            }
        }
        out.push(bytes[idx]);
        idx += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fs::WriteMode;
    use crate::sim::SimTime;

    fn server() -> (HttpServer, Fs) {
        let mut fs = Fs::default();
        fs.mkdir_all(SimTime::ZERO, "/srv/pods").unwrap();
        fs.write(
            SimTime::ZERO,
            "/srv/pods/web.yaml",
            b"kind: Pod\n",
            WriteMode::Truncate,
        )
        .unwrap();
        let server = HttpServer {
            port: 8000,
            root: "/srv".into(),
            pid: 4242,
            started: crate::sim::SimTime::ZERO,
        };
        (server, fs)
    }

    #[test]
    fn serves_files_and_404s() {
        let (server, fs) = server();
        let reply = server.get(&fs, "/pods/web.yaml");
        assert_eq!(
            (reply.status, reply.body.as_slice()),
            (200, &b"kind: Pod\n"[..])
        );
        let reply = server.get(&fs, "/pods/missing.yaml");
        assert_eq!((reply.status, reply.reason), (404, "File not found"));
        let reply = server.get(&fs, "/../etc/passwd");
        assert_eq!(reply.status, 404);
    }

    #[test]
    fn lists_directories() {
        let (server, fs) = server();
        let reply = server.get(&fs, "/pods/");
        let body = String::from_utf8(reply.body).unwrap();
        assert!(body.contains("<a href=\"web.yaml\">web.yaml</a>"), "{body}");
        assert_eq!(server.get(&fs, "/pods%2Fweb.yaml").status, 200);
    }
}
