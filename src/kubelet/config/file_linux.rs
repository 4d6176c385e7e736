//! Mirrors `pkg/kubelet/config/file_linux.go` (v1.34): the inotify watch on the static pod
//! path. A watch attempt runs every second until one succeeds; a missing path sends an empty
//! SET and is retried every second; other errors back off from 1 s to 20 s.
//!
//! Upstream quirk kept: once established, the watch is never re-created. If the watched
//! directory is deleted and made again, the old watch is dead and only the periodic relist
//! notices new files.

use crate::kubelet::config::file::{store_key, SourceFile};
use crate::kubelet::config::PodConfig;
use crate::kubelet::context::Ctx;
use crate::node::fs::{Fs, FsError, FsOp, WatchEvent, WatchId};
use crate::sim::trace::{Event, LogLine, SkipReason};
use crate::sim::{SimDuration, SimTime};

/// How often a watch is attempted while none is established (`retryPeriod`).
pub const RETRY_PERIOD: SimDuration = SimDuration::from_secs(1);
/// The longest back-off after a failed attempt (`maxRetryPeriod`).
pub const MAX_RETRY_PERIOD: SimDuration = SimDuration::from_secs(20);

/// What the watch loop wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchNext {
    /// Try again at this time.
    RetryAt(SimTime),
    /// A watch is established; events arrive through `on_watch_event`.
    Watching(WatchId),
}

/// The watch loop's state: the established watch, if any, and the back-off entry.
#[derive(Debug, Clone, Default)]
pub struct WatchState {
    pub(super) watch: Option<WatchId>,
    /// `flowcontrol.Backoff` entry "watch": current duration and last update.
    backoff: Option<(SimDuration, SimTime)>,
}

/// The kinds of change the source derives from inotify events (`podEventType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PodEventType {
    Add,
    Modify,
    Delete,
}

impl PodEventType {
    fn as_str(self) -> &'static str {
        match self {
            PodEventType::Add => "add",
            PodEventType::Modify => "modify",
            PodEventType::Delete => "delete",
        }
    }
}

impl SourceFile {
    /// The established watch, if any.
    pub fn watch_id(&self) -> Option<WatchId> {
        self.watch.watch
    }

    /// One round of `startWatch`'s loop: skip while backing off, else `doWatch`.
    pub fn watch_attempt(
        &mut self,
        ctx: &mut Ctx<'_>,
        fs: &mut Fs,
        config: &mut PodConfig,
    ) -> WatchNext {
        if let Some(id) = self.watch.watch {
            return WatchNext::Watching(id);
        }
        if let Some((backoff, last)) = self.watch.backoff {
            if ctx.now.since(last) < backoff {
                return WatchNext::RetryAt(ctx.now + RETRY_PERIOD);
            }
        }
        match self.do_watch(ctx, fs, config) {
            Ok(id) => {
                self.watch.watch = Some(id);
                WatchNext::Watching(id)
            }
            Err((err, retryable)) => {
                ctx.log(
                    LogLine::error("file_linux.go:61", "Unable to read config path")
                        .with("err", err)
                        .with("path", &self.path),
                );
                if !retryable {
                    self.next_backoff(ctx.now);
                }
                WatchNext::RetryAt(ctx.now + RETRY_PERIOD)
            }
        }
    }

    /// `flowcontrol.Backoff.Next`: start at 1 s, double up to 20 s; an entry idle for twice the
    /// maximum starts over.
    fn next_backoff(&mut self, now: SimTime) {
        let next = match self.watch.backoff {
            Some((current, last)) if now.since(last) <= MAX_RETRY_PERIOD + MAX_RETRY_PERIOD => {
                (current + current).min(MAX_RETRY_PERIOD)
            }
            _ => RETRY_PERIOD,
        };
        self.watch.backoff = Some((next, now));
    }

    fn do_watch(
        &mut self,
        ctx: &mut Ctx<'_>,
        fs: &mut Fs,
        config: &mut PodConfig,
    ) -> Result<WatchId, (String, bool)> {
        match fs.stat(&self.path) {
            Ok(_) => (),
            Err(FsError::NotFound) => {
                ctx.record(Event::PathMissing {
                    path: self.path.clone(),
                });
                self.send_empty(ctx, config);
                return Err(("path does not exist, ignoring".to_string(), true));
            }
            Err(err) => return Err((err.go_path_error("stat", &self.path), false)),
        }
        fs.add_watch(&self.path).map_err(|err| {
            (
                format!(
                    "unable to create inotify for path {:?}: {}",
                    self.path,
                    err.go_path_error("inotify_add_watch", &self.path)
                ),
                false,
            )
        })
    }

    /// Stops watching (the kubelet is stopping).
    pub fn stop_watch(&mut self, fs: &mut Fs) {
        if let Some(id) = self.watch.watch.take() {
            // A watch that already died with its directory is gone either way.
            let _ = fs.remove_watch(id);
        }
    }

    /// Handles one inotify event for this source's watch (`produceWatchEvent` then
    /// `consumeWatchEvent`; upstream runs them on two goroutines joined by a channel, here
    /// at the same instant).
    pub fn on_watch_event(
        &mut self,
        ctx: &mut Ctx<'_>,
        fs: &Fs,
        config: &mut PodConfig,
        event: &WatchEvent,
    ) {
        let base = event.name.rsplit('/').next().unwrap_or_default();
        if base.starts_with('.') {
            ctx.record(Event::ManifestSkipped {
                path: event.name.clone(),
                reason: SkipReason::DotFile,
            });
            ctx.log(
                LogLine::info(
                    4,
                    "file_linux.go:118",
                    "Ignored pod manifest, because it starts with dots",
                )
                .with("eventName", &event.name),
            );
            return;
        }
        let event_type = match event.op {
            FsOp::Create => PodEventType::Add,
            FsOp::Write | FsOp::Chmod => PodEventType::Modify,
            FsOp::Remove | FsOp::Rename => PodEventType::Delete,
        };
        ctx.record(Event::FileWatchEvent {
            path: event.name.clone(),
            kind: event_type.as_str(),
        });
        if let Err(err) = self.consume_watch_event(ctx, fs, config, &event.name, event_type) {
            ctx.log(LogLine::error("file.go:97", "Unable to process watch event").with("err", err));
        }
    }

    fn consume_watch_event(
        &mut self,
        ctx: &mut Ctx<'_>,
        fs: &Fs,
        config: &mut PodConfig,
        file_name: &str,
        event_type: PodEventType,
    ) -> Result<(), String> {
        match event_type {
            PodEventType::Add | PodEventType::Modify => {
                let pod = self
                    .extract_from_file(ctx, fs, file_name)
                    .map_err(|err| format!("can't process config file {file_name:?}: {err}"))?;
                // `store.Add` replaces whatever had the same namespace/name.
                self.store.insert(store_key(&pod), pod);
                self.push(ctx, config);
                Ok(())
            }
            PodEventType::Delete => {
                let Some(key) = self.file_key_mapping.get(file_name).cloned() else {
                    return Ok(());
                };
                if self.store.remove(&key).is_none() {
                    return Err(format!("the pod with key {key} doesn't exist in cache"));
                }
                self.push(ctx, config);
                self.file_key_mapping.remove(file_name);
                Ok(())
            }
        }
    }
}
