//! `python3 -m http.server [PORT] [--directory DIR] [--bind ADDR]` (Python 3.12 on Ubuntu
//! 24.04): a background HTTP server serving a directory of the node, which the kubelet's
//! `--manifest-url` source and `curl` can reach. Its banner goes to stdout when it starts;
//! each request's access-log line is printed by the `curl` that made it.
//!
//! Simplified: a server started in the foreground would block the terminal forever, so it is
//! refused with a hint to add `&`; `--bind` only changes the banner (the server answers on
//! every address of the host); `python3` runs nothing but this module.

use crate::node::http::HttpServer;
use crate::shell::commands::World;
use crate::shell::io::Output;

const USAGE: &str =
    "usage: server.py [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\n";

/// `python3 ...`.
pub fn python(world: &mut World<'_>, argv: &[String]) -> Output {
    let args = &argv[1..];
    match args.first().map(String::as_str) {
        Some("--version") | Some("-V") => return Output::ok("Python 3.12.3\n"),
        Some("-m") if args.get(1).map(String::as_str) == Some("http.server") => (),
        _ => {
            return Output::err(
                format!(
                    "{}: the playground runs only `python3 -m http.server [PORT] [--directory DIR] [--bind ADDR] &`\n",
                    argv[0]
                ),
                1,
            )
        }
    }
    let mut port: Option<u16> = None;
    let mut directory: Option<String> = None;
    let mut bind: Option<String> = None;
    let mut rest = args[2..].iter();
    while let Some(arg) = rest.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        match name {
            "-h" | "--help" => return Output::ok(help()),
            "-d" | "--directory" | "-b" | "--bind" => {
                let Some(value) = inline.or_else(|| rest.next().cloned()) else {
                    let long = if name.contains('d') { "-d/--directory DIRECTORY" } else { "-b/--bind ADDRESS" };
                    return Output::err(
                        format!("{USAGE}server.py: error: argument {long}: expected one argument\n"),
                        2,
                    );
                };
                if name.contains('d') {
                    directory = Some(value);
                } else {
                    bind = Some(value);
                }
            }
            "--cgi" | "-p" | "--protocol" => {
                return Output::err(
                    format!("python3 -m http.server: {name} is not supported in the playground; supported: PORT, --directory DIR, --bind ADDR\n"),
                    2,
                )
            }
            other if other.starts_with('-') => {
                return Output::err(
                    format!("{USAGE}server.py: error: unrecognized arguments: {other}\n"),
                    2,
                )
            }
            other => {
                if port.is_some() {
                    return Output::err(
                        format!("{USAGE}server.py: error: unrecognized arguments: {other}\n"),
                        2,
                    );
                }
                match other.parse::<u16>() {
                    Ok(p) => port = Some(p),
                    Err(_) => {
                        return Output::err(
                            format!("{USAGE}server.py: error: argument port: invalid int value: '{other}'\n"),
                            2,
                        )
                    }
                }
            }
        }
    }
    let port = port.unwrap_or(8000);
    let Some(pid) = world.background else {
        return Output::err(
            format!(
                "python3 -m http.server would keep the terminal busy until Ctrl-C; start it in the background instead:\n  python3 -m http.server {port} &\n"
            ),
            1,
        );
    };
    let node = &world.cluster.host(world.host).node;
    let address = bind.clone().unwrap_or_else(|| "0.0.0.0".into());
    let own = [
        "0.0.0.0",
        "127.0.0.1",
        "localhost",
        "::",
        node.ip.as_str(),
        node.name.as_str(),
    ];
    if !own.contains(&address.as_str()) {
        return Output::err(
            traceback("OSError: [Errno 99] Cannot assign requested address"),
            1,
        );
    }
    let now = world.cluster.now();
    let taken = node.http_servers.contains_key(&port)
        || node.runtime.listener_at(now, &node.ip, port).is_some()
        || node.runtime.listener_at(now, "127.0.0.1", port).is_some();
    if taken {
        return Output::err(traceback("OSError: [Errno 98] Address already in use"), 1);
    }
    let root = crate::node::fs::normalize(world.cwd, directory.as_deref().unwrap_or("."));
    world.cluster.node_mut(world.host).http_servers.insert(
        port,
        HttpServer {
            port,
            root,
            pid,
            started: now,
        },
    );
    let shown = if address == "localhost" {
        "127.0.0.1".to_string()
    } else {
        address
    };
    Output::ok(format!(
        "Serving HTTP on {shown} port {port} (http://{shown}:{port}/) ...\n"
    ))
}

fn help() -> String {
    format!(
        "{USAGE}\npositional arguments:\n  port                  bind to this port (default: 8000)\n\noptions:\n  -h, --help            show this help message and exit\n  --cgi                 run as CGI server\n  -b ADDRESS, --bind ADDRESS\n                        bind to this address (default: all interfaces)\n  -d DIRECTORY, --directory DIRECTORY\n                        serve this directory (default: current directory)\n  -p VERSION, --protocol VERSION\n                        conform to this HTTP version when generating\n                        the response (default: HTTP/1.0)\n"
    )
}

/// What Python prints when binding the socket fails.
fn traceback(error: &str) -> String {
    format!(
        "Traceback (most recent call last):\n  File \"<frozen runpy>\", line 198, in _run_module_as_main\n  File \"<frozen runpy>\", line 88, in _run_code\n  File \"/usr/lib/python3.12/http/server.py\", line 1314, in <module>\n    test(\n  File \"/usr/lib/python3.12/http/server.py\", line 1261, in test\n    with ServerClass(addr, HandlerClass) as httpd:\n         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  File \"/usr/lib/python3.12/socketserver.py\", line 457, in __init__\n    self.server_bind()\n  File \"/usr/lib/python3.12/http/server.py\", line 1308, in server_bind\n    return super().server_bind()\n           ^^^^^^^^^^^^^^^^^^^^^\n  File \"/usr/lib/python3.12/http/server.py\", line 136, in server_bind\n    socketserver.TCPServer.server_bind(self)\n  File \"/usr/lib/python3.12/socketserver.py\", line 473, in server_bind\n    self.socket.bind(self.server_address)\n{error}\n"
    )
}
