//! `scp` (OpenSSH 9.6, Ubuntu 24.04, which copies over the SFTP protocol by default): files
//! between this host and another, `[user@]host:path` naming a remote side. Remote relative
//! paths start in the login's home (`/root`), local ones in the working directory.
//!
//! Simplified: regular files only (`-r` is refused), options other than `-q` are ignored, and
//! the progress meter a terminal would show is not printed (as with `-q`, or when stdout is
//! not a terminal).

use crate::node::fs::WriteMode;
use crate::shell::commands::World;
use crate::shell::io::Output;

const USAGE: &str = "\
usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]
           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]
           [-P port] [-S program] [-X sftp_option] source ... target
";

/// One side of a copy: a host and an absolute path.
struct Side {
    host: usize,
    path: String,
    remote: bool,
}

/// Runs `scp`.
pub fn scp(world: &mut World<'_>, argv: &[String]) -> Output {
    let mut operands = Vec::new();
    for arg in &argv[1..] {
        if arg == "-r" || arg == "-R" {
            return Output::err(
                "scp: recursive copies are not available in this playground\n",
                1,
            );
        }
        if arg.starts_with('-') && arg.len() > 1 {
            continue;
        }
        operands.push(arg.clone());
    }
    if operands.len() < 2 {
        return Output::err(USAGE, 1);
    }
    let target = operands.pop().unwrap_or_default();
    let mut stderr = String::new();
    let target = match side(world, &target) {
        Ok(side) => side,
        Err(out) => return out,
    };
    let target_is_dir = world
        .cluster
        .host(target.host)
        .node
        .fs
        .stat(&target.path)
        .is_ok_and(|m| m.is_dir());
    if operands.len() > 1 && !target_is_dir {
        return Output::err(format!("scp: {}: Not a directory\n", target.path), 1);
    }
    let mut code = 0;
    for source in &operands {
        let source = match side(world, source) {
            Ok(side) => side,
            Err(out) => return out,
        };
        let fs = &world.cluster.host(source.host).node.fs;
        let shown = if source.remote {
            source.path.clone()
        } else {
            format!("stat local {:?}", source.path)
        };
        let text = match fs.stat(&source.path) {
            Err(_) => {
                stderr.push_str(&format!("scp: {shown}: No such file or directory\n"));
                code = 1;
                continue;
            }
            Ok(m) if !m.is_file() => {
                stderr.push_str(&format!("scp: {}: not a regular file\n", source.path));
                code = 1;
                continue;
            }
            Ok(_) => fs.read_to_string(&source.path).unwrap_or_default(),
        };
        let dest = if target_is_dir {
            let name = source.path.rsplit('/').next().unwrap_or_default();
            format!("{}/{name}", target.path.trim_end_matches('/'))
        } else {
            target.path.clone()
        };
        let now = world.cluster.now();
        let written = world.cluster.node_mut(target.host).fs.write(
            now,
            &dest,
            text.as_bytes(),
            WriteMode::Truncate,
        );
        if written.is_err() {
            let (verb, what) = if target.remote {
                ("upload", "dest open")
            } else {
                ("download", "open local")
            };
            stderr.push_str(&format!(
                "scp: {what} {dest:?}: No such file or directory\nscp: failed to {verb} file {} to {dest}\n",
                source.path
            ));
            code = 1;
        }
    }
    world.cluster.settle();
    Output {
        stdout: String::new(),
        stderr,
        code,
        stderr_after: Vec::new(),
    }
}

/// `host:path` (remote, relative to `/root`) or a local path (relative to the working dir).
fn side(world: &World<'_>, operand: &str) -> Result<Side, Output> {
    let remote = operand
        .split_once(':')
        .filter(|(host, _)| !host.is_empty() && !host.contains('/'));
    let Some((host, path)) = remote else {
        return Ok(Side {
            host: world.host,
            path: absolute(world.cwd, operand),
            remote: false,
        });
    };
    let name = host.rsplit('@').next().unwrap_or(host);
    let Some(idx) = world
        .cluster
        .host_index(name)
        .or_else(|| world.cluster.hosts().iter().position(|h| h.node.ip == name))
    else {
        return Err(Output::err(
            format!(
                "ssh: Could not resolve hostname {name}: Name or service not known\nscp: Connection closed\n"
            ),
            255,
        ));
    };
    let path = if path.is_empty() { "." } else { path };
    Ok(Side {
        host: idx,
        path: absolute("/root", path),
        remote: true,
    })
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved.
fn absolute(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => (),
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::absolute;

    #[test]
    fn paths_resolve_against_the_working_directory() {
        assert_eq!(absolute("/root", "."), "/root");
        assert_eq!(absolute("/root", "a/../b"), "/root/b");
        assert_eq!(absolute("/tmp", "/etc/hosts"), "/etc/hosts");
    }
}
