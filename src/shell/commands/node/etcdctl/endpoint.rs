//! `etcdctl endpoint health|status` (`etcdctl/ctlv3/command/ep_command.go`): every endpoint of
//! `--endpoints` is asked on its own. Health reads a key (`took` is how long that took);
//! status reports the member's ID, versions, database size and raft position.
//!
//! Simplified: `took` is a stand-in derived from the clock; the database size grows with
//! the API server's writes (a base plus a share per revision) and the raft index is the
//! store's revision plus a fixed count for the writes the playground does not model
//! (leases, events it does not keep); the raft term is 2, a single member's first term as
//! leader, whatever restarts happened; `--cluster` is not offered.

use super::connection::{deadline, dial, Failure, Member};
use super::member::member_id;
use super::table::render;
use super::{Globals, WriteOut, VERSION};
use crate::shell::commands::World;
use crate::shell::io::Output;

/// etcd's default backend quota (2 GiB).
const QUOTA: u64 = 2 * 1024 * 1024 * 1024;
/// The raft entries written for what the playground does not store.
const UNMODELLED_WRITES: u64 = 1200;

/// `etcdctl endpoint health`.
pub fn health(world: &mut World<'_>, globals: &Globals) -> Output {
    let mut rows: Vec<(String, Result<String, String>)> = Vec::new();
    let mut warnings = String::new();
    for endpoint in &globals.endpoints {
        match dial(world, globals, endpoint) {
            Ok(_) => rows.push((endpoint.clone(), Ok(took(world)))),
            Err(Failure::Setup(out)) => rows.push((
                endpoint.clone(),
                Err(out
                    .stderr
                    .trim_end()
                    .trim_start_matches("Error: ")
                    .to_string()),
            )),
            Err(Failure::Deadline(desc)) => {
                warnings.push_str(&deadline(
                    world,
                    globals,
                    "client",
                    "/etcdserverpb.KV/Range",
                    endpoint,
                    &desc,
                ));
                rows.push((
                    endpoint.clone(),
                    Err("context deadline exceeded".to_string()),
                ));
            }
        }
    }
    let mut out = Output::default();
    out.stderr.push_str(&warnings);
    match globals.write_out {
        WriteOut::Simple => {
            for (endpoint, result) in &rows {
                match result {
                    Ok(took) => out.stdout.push_str(&format!(
                        "{endpoint} is healthy: successfully committed proposal: took = {took}\n"
                    )),
                    Err(error) => out.stderr_after_stdout(&format!(
                        "{endpoint} is unhealthy: failed to commit proposal: {error}\n"
                    )),
                }
            }
        }
        WriteOut::Table => {
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|(endpoint, result)| match result {
                    Ok(took) => vec![endpoint.clone(), "true".into(), took.clone(), String::new()],
                    Err(error) => vec![
                        endpoint.clone(),
                        "false".into(),
                        String::new(),
                        error.clone(),
                    ],
                })
                .collect();
            out.stdout
                .push_str(&render(&["endpoint", "health", "took", "error"], &table));
        }
    }
    if rows.iter().any(|(_, r)| r.is_err()) {
        out.stderr_after_stdout("Error: unhealthy cluster\n");
        out.code = 1;
    }
    out
}

/// `etcdctl endpoint status`.
pub fn status(world: &mut World<'_>, globals: &Globals) -> Output {
    let mut out = Output::default();
    let mut rows = Vec::new();
    for endpoint in &globals.endpoints {
        match dial(world, globals, endpoint) {
            Ok(member) => rows.push(status_row(world, endpoint, &member)),
            Err(Failure::Setup(setup)) => return setup,
            Err(Failure::Deadline(desc)) => {
                let warning = deadline(
                    world,
                    globals,
                    "etcd-client",
                    "/etcdserverpb.Maintenance/Status",
                    endpoint,
                    &desc,
                );
                out.stderr.push_str(&warning);
                out.stderr.push_str(&format!(
                    "Failed to get the status of endpoint {endpoint} (context deadline exceeded)\n"
                ));
                out.code = 1;
            }
        }
    }
    match globals.write_out {
        WriteOut::Simple => {
            for row in &rows {
                out.stdout.push_str(&format!("{}\n", row.join(", ")));
            }
        }
        WriteOut::Table => out.stdout.push_str(&render(
            &[
                "endpoint",
                "ID",
                "version",
                "storage version",
                "db size",
                "in use",
                "percentage not in use",
                "quota",
                "is leader",
                "is learner",
                "raft term",
                "raft index",
                "raft applied index",
                "errors",
                "downgrade target version",
                "downgrade enabled",
            ],
            &rows,
        )),
    }
    out
}

fn status_row(world: &World<'_>, endpoint: &str, member: &Member) -> Vec<String> {
    let revision = world.cluster.api().store().revision();
    let db_size = 1_880_064 + 4_096 * revision;
    let in_use = db_size / 2 + 2_048 * (revision % 97);
    let index = revision + UNMODELLED_WRITES;
    vec![
        endpoint.to_string(),
        format!("{:x}", member_id(member)),
        VERSION.to_string(),
        "3.6.0".to_string(),
        humanize_bytes(db_size),
        humanize_bytes(in_use),
        format!("{}%", 100 - in_use * 100 / db_size),
        humanize_bytes(QUOTA),
        "true".to_string(),
        "false".to_string(),
        "2".to_string(),
        index.to_string(),
        index.to_string(),
        String::new(),
        String::new(),
        "false".to_string(),
    ]
}

/// How long the health read took, as Go prints a `time.Duration` of a few milliseconds.
fn took(world: &World<'_>) -> String {
    let nanos = 4_000_000 + (world.cluster.now().0 * 7_919) % 6_000_000;
    let text = format!("{}.{:06}", nanos / 1_000_000, nanos % 1_000_000);
    format!("{}ms", text.trim_end_matches('0').trim_end_matches('.'))
}

/// `humanize.Bytes`: SI units, one decimal under ten.
pub fn humanize_bytes(bytes: u64) -> String {
    if bytes < 10 {
        return format!("{bytes} B");
    }
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut exp = 0;
    let mut scaled = bytes as f64;
    while scaled >= 1000.0 && exp < units.len() - 1 {
        scaled /= 1000.0;
        exp += 1;
    }
    let rounded = (scaled * 10.0 + 0.5).floor() / 10.0;
    if rounded < 10.0 {
        format!("{rounded:.1} {}", units[exp])
    } else {
        format!("{rounded:.0} {}", units[exp])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_go_humanize_prints_them() {
        assert_eq!(humanize_bytes(5), "5 B");
        assert_eq!(humanize_bytes(2_147_483_648), "2.1 GB");
        assert_eq!(humanize_bytes(5_120_000), "5.1 MB");
        assert_eq!(humanize_bytes(20_480_000), "20 MB");
    }
}
