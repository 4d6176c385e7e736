//! `kubectl get -w` after the first answer: one more row for every change of a watched object
//! (`watchtools.UntilWithoutRetry` over the list's watch in `get.go`), printed without
//! headers, a deleted object once more as its DELETED event carries it.
//!
//! Simplified: watched changes are sampled once per virtual second (two changes of one object
//! within a second print once, as the newer version); in a script the watch ends after
//! [`super::get::WATCH_LIMIT`] of virtual time, or after `--request-timeout` when that is given.

use std::collections::BTreeMap;

use serde_json::Value;

use super::connection::Connection;
use super::objutil::{name, namespace, string_map};
use super::output::{print_objects, OutputFormat, OutputOptions};
use super::selector::LabelQuery;
use crate::apiserver::store::Resource;
use crate::cluster::Cluster;
use crate::shell::follow::{Polled, POLL_EVERY};
use crate::sim::SimTime;

/// Objects by (namespace, name).
type Snapshot = BTreeMap<(String, String), Value>;

/// A running `kubectl get -w`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetWatch {
    /// Where the watch's requests go.
    conn: Connection,
    /// The one type watched.
    resource: Resource,
    /// The namespace (`None` with `-A`).
    namespace: Option<String>,
    /// With NAME arguments, only these objects.
    named: Option<Vec<String>>,
    /// `-l`.
    query: Option<LabelQuery>,
    /// How rows print.
    format: OutputFormat,
    /// The table options, headers off.
    row_opts: OutputOptions,
    /// `--watch-only`: the options of the first row printed, headers on (nothing was listed
    /// before it); `None` once it is printed or when the list came first.
    first_opts: Option<OutputOptions>,
    /// What the last poll saw.
    seen: Snapshot,
    /// When the next poll is due.
    pub next: SimTime,
    /// `--request-timeout`: when the watch ends by itself.
    end: Option<SimTime>,
    /// The status kubectl exits with when the timeout ends it (errors of the first answer).
    code: i32,
}

/// What a watch is of, as `get` resolved it.
pub struct Target {
    /// Where the requests go.
    pub conn: Connection,
    /// The one type watched.
    pub resource: Resource,
    /// The namespace (`None` with `-A`).
    pub namespace: Option<String>,
    /// With NAME arguments, only these objects.
    pub named: Option<Vec<String>>,
    /// `-l`.
    pub query: Option<LabelQuery>,
}

impl GetWatch {
    /// Starts watching `target` at `now`, printing rows as `format` and `opts` say; `end` is
    /// `--request-timeout`, `code` the status of the first answer.
    pub fn start(
        cluster: &Cluster,
        target: Target,
        format: OutputFormat,
        opts: &OutputOptions,
        end: Option<SimTime>,
        code: i32,
        watch_only: bool,
    ) -> GetWatch {
        let first_opts = watch_only.then(|| opts.clone());
        let mut row_opts = opts.clone();
        row_opts.table.no_headers = true;
        let mut watch = GetWatch {
            conn: target.conn,
            resource: target.resource,
            namespace: target.namespace,
            named: target.named,
            query: target.query,
            format,
            row_opts,
            first_opts,
            seen: Snapshot::new(),
            next: cluster.now() + POLL_EVERY,
            end,
            code,
        };
        watch.seen = watch.snapshot(cluster);
        watch
    }

    /// The watched objects now.
    fn snapshot(&self, cluster: &Cluster) -> Snapshot {
        let scope = match self.resource.namespaced() {
            true => self.namespace.as_deref(),
            false => None,
        };
        cluster
            .api()
            .store()
            .list_values(self.resource, scope)
            .into_iter()
            .filter(|o| {
                self.named
                    .as_ref()
                    .is_none_or(|named| named.iter().any(|n| n == name(o)))
            })
            .filter(|o| {
                self.query
                    .as_ref()
                    .is_none_or(|q| q.matches(&string_map(o, &["metadata", "labels"])))
            })
            .map(|o| ((namespace(o).to_string(), name(o).to_string()), o.clone()))
            .collect()
    }

    /// One poll: a row per object whose resource version changed or that went away.
    pub fn poll(&mut self, cluster: &mut Cluster) -> Polled {
        let at = self.next;
        self.next = at + POLL_EVERY;
        let mut polled = Polled::quiet();
        if !cluster.api().serving() {
            polled.out.stderr = format!("{}\n", self.conn.failure_message());
            polled.done = Some(1);
            return polled;
        }
        let current = self.snapshot(cluster);
        let now = cluster.now();
        let version = |o: &Value| o.pointer("/metadata/resourceVersion").cloned();
        let mut changed: Vec<&Value> = current
            .iter()
            .filter(|(key, obj)| self.seen.get(*key).map(version) != Some(version(obj)))
            .map(|(_, obj)| obj)
            .collect();
        changed.extend(
            self.seen
                .iter()
                .filter(|(key, _)| !current.contains_key(*key))
                .map(|(_, obj)| obj),
        );
        for obj in changed {
            let first = self.first_opts.take();
            let printed = print_objects(
                self.resource,
                std::slice::from_ref(obj),
                false,
                &self.format,
                first.as_ref().unwrap_or(&self.row_opts),
                now,
            );
            match printed {
                Ok(text) => polled.out.stdout.push_str(&text),
                Err(msg) => {
                    polled.out.stderr_after_stdout(&format!("error: {msg}\n"));
                    polled.done = Some(1);
                    return polled;
                }
            }
        }
        self.seen = current;
        if self.end.is_some_and(|end| at >= end) {
            polled.done = Some(self.code);
        }
        polled
    }
}
