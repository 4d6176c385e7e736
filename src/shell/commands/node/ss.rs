//! `ss` (iproute2 6.1, Ubuntu 24.04) for listening TCP sockets: `ss -tlnp` and its
//! spellings. The sockets are those of the host's network namespace: the kubelet's (10248
//! on the loopback, 10250), the host-network static pods' ports as their flags say, and the
//! background `python3 -m http.server`s.
//!
//! Simplified: columns are padded to their widest entry (ss sizes them to the terminal);
//! system daemons the playground does not run (sshd, systemd-resolved, containerd's stream
//! server) have no sockets; without `-n` ports still print as numbers; UDP (`-u`) and
//! established connections are empty; the file descriptor numbers are plausible constants.

use crate::cluster::processes::ProcessKind;
use crate::shell::commands::World;
use crate::shell::io::Output;

/// One listening socket.
struct Socket {
    addr: String,
    port: u16,
    program: String,
    pid: u32,
    fd: u32,
}

/// `ss [-t] [-l] [-n] [-p] [-u] [-a]`.
pub fn ss(world: &mut World<'_>, argv: &[String]) -> Output {
    let mut listening = false;
    let mut processes = false;
    let mut tcp = false;
    let mut udp = false;
    let mut all = false;
    for arg in &argv[1..] {
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.starts_with('-')) else {
            return Output::err(
                format!("ss: {arg} is not supported in the playground; supported: ss -tlnp (and -a, -u)\n"),
                1,
            );
        };
        for c in flags.chars() {
            match c {
                'l' => listening = true,
                'p' => processes = true,
                't' => tcp = true,
                'u' => udp = true,
                'a' => all = true,
                'n' | '4' => (),
                _ => {
                    return Output::err(
                        format!("ss: invalid option -- '{c}'\nUsage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n"),
                        1,
                    )
                }
            }
        }
    }
    let show_tcp = tcp || !udp;
    let sockets = if show_tcp && (listening || all) {
        sockets(world)
    } else {
        Vec::new()
    };
    let netid = !(tcp ^ udp) || (tcp && udp);
    let mut rows: Vec<[String; 6]> = vec![[
        "State".into(),
        "Recv-Q".into(),
        "Send-Q".into(),
        "Local Address:Port".into(),
        "Peer Address:Port".into(),
        if processes {
            "Process".into()
        } else {
            String::new()
        },
    ]];
    for s in &sockets {
        let peer = if s.addr.contains(':') || s.addr == "*" {
            "*:*".to_string()
        } else {
            "0.0.0.0:*".to_string()
        };
        rows.push([
            "LISTEN".into(),
            "0".into(),
            "4096".into(),
            format!("{}:{}", s.addr, s.port),
            peer,
            if processes {
                format!("users:((\"{}\",pid={},fd={}))", s.program, s.pid, s.fd)
            } else {
                String::new()
            },
        ]);
    }
    let width = |col: usize| rows.iter().map(|r| r[col].len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..5).map(width).collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        if netid {
            line.push_str(if row[0] == "State" {
                "Netid "
            } else {
                "tcp   "
            });
        }
        line.push_str(&format!(
            "{:<w0$} {:<w1$} {:<w2$} {:>w3$} {:>w4$} {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
        ));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Output::ok(out)
}

/// The address a control-plane component binds `port` to on a kubeadm node.
fn bind_addresses(program: &str, port: u16, node_ip: &str) -> Vec<String> {
    match (program, port) {
        ("etcd", 2379) => vec!["127.0.0.1".into(), node_ip.to_string()],
        ("etcd", 2380) => vec![node_ip.to_string()],
        ("etcd", _) | ("kube-scheduler", _) | ("kube-controller", _) => vec!["127.0.0.1".into()],
        ("kube-proxy", 10249) => vec!["127.0.0.1".into()],
        _ => vec!["*".into()],
    }
}

/// Every listening TCP socket in the host's network namespace, by address then port.
fn sockets(world: &World<'_>) -> Vec<Socket> {
    let now = world.cluster.now();
    let host = world.cluster.host(world.host);
    let node_ip = host.node.ip.clone();
    let runtime = &host.node.runtime;
    let mut out = Vec::new();
    for row in world.cluster.processes(world.host) {
        match &row.kind {
            ProcessKind::Unit(unit) if unit == "kubelet.service" => {
                for (addr, port, fd) in [("127.0.0.1", 10248, 23), ("*", 10250, 24)] {
                    out.push(Socket {
                        addr: addr.into(),
                        port,
                        program: "kubelet".into(),
                        pid: row.pid,
                        fd,
                    });
                }
            }
            ProcessKind::Container(id) => {
                let Some(c) = runtime.container(id) else {
                    continue;
                };
                let host_network = runtime
                    .sandbox(&c.sandbox_id)
                    .is_some_and(|s| s.config.host_network);
                if !host_network {
                    continue;
                }
                let program: String = c
                    .argv()
                    .first()
                    .map(|a| a.rsplit('/').next().unwrap_or(a).chars().take(15).collect())
                    .unwrap_or_default();
                for (idx, listener) in c.listeners(now).iter().enumerate() {
                    for addr in bind_addresses(&program, listener.port, &node_ip) {
                        out.push(Socket {
                            addr,
                            port: listener.port,
                            program: program.clone(),
                            pid: row.pid,
                            fd: 3 + idx as u32 * 2,
                        });
                    }
                }
            }
            ProcessKind::HttpServer(port) => out.push(Socket {
                addr: "0.0.0.0".into(),
                port: *port,
                program: "python3".into(),
                pid: row.pid,
                fd: 3,
            }),
            _ => (),
        }
    }
    out.sort_by(|a, b| (a.addr == "*", &a.addr, a.port).cmp(&(b.addr == "*", &b.addr, b.port)));
    out
}
