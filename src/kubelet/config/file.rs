//! Mirrors `pkg/kubelet/config/file.go` (v1.34): `sourceFile`, which reads static pod
//! manifests from `staticPodPath` (a directory or a single file) at start, every
//! `fileCheckFrequency`, and on watch events (`file_linux.rs`).
//!
//! Upstream quirks kept on purpose:
//! - A relist that finds no usable pod sends `SET []` straight to the mux without clearing the
//!   store, so a later watch event re-sends whatever the store still held.
//! - In directory mode a manifest that stops parsing drops out of the next relist (its pod is
//!   killed); in single-file mode a broken file leaves the old pod running.
//! - Two files defining the same namespace/name share one store entry; on a relist the
//!   lexicographically later file wins.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1 as corev1;

use crate::kubelet::config::common::{
    apply_defaults, try_decode_single_pod, StaticSource, MAX_CONFIG_LENGTH,
};
use crate::kubelet::config::file_linux;
use crate::kubelet::config::PodConfig;
use crate::kubelet::context::Ctx;
use crate::kubelet::types::{pod_name, pod_namespace, PodUpdate, SharedPod, FILE_SOURCE};
use crate::node::fs::{FileKind, Fs, FsError};
use crate::sim::text::Text;
use crate::sim::trace::{Event, LogLine, SkipReason};
use crate::sim::SimDuration;

pub use crate::kubelet::config::file_linux::WatchNext;

/// The file source's state.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub(super) path: String,
    node_name: String,
    period: SimDuration,
    /// The undelta store: namespace/name → pod.
    pub(super) store: BTreeMap<String, SharedPod>,
    /// Manifest file → the store key its pod was filed under, to delete on file removal.
    pub(super) file_key_mapping: BTreeMap<String, String>,
    pub(super) watch: file_linux::WatchState,
    /// Per manifest file, the error of its last read if that read failed. Upstream only logs
    /// it; the playground keeps it so a learner can see why a file is not running.
    read_errors: BTreeMap<String, String>,
    /// The last decode of each file, by path.
    decoded: BTreeMap<String, DecodedFile>,
}

/// A file's bytes and what decoding them gave, with the events the decode recorded.
#[derive(Debug, Clone)]
struct DecodedFile {
    data: Vec<u8>,
    result: Result<SharedPod, String>,
    /// The decode's records, their text shared so that recording them again copies counts.
    events: Vec<Event>,
    /// The file's name, shared by each relist's "Reading config file" line.
    path: Arc<str>,
}

impl SourceFile {
    /// A source for `path` (`NewSourceFile`): a trailing slash is dropped.
    pub fn new(ctx: &mut Ctx<'_>, path: &str, node_name: &str, period: SimDuration) -> SourceFile {
        let path = match path.trim_end_matches('/') {
            "" => "/".to_string(),
            trimmed => trimmed.to_string(),
        };
        ctx.log(LogLine::info(1, "file.go:71", "Watching path").with("path", &path));
        SourceFile {
            path,
            node_name: node_name.to_string(),
            period,
            store: BTreeMap::new(),
            file_key_mapping: BTreeMap::new(),
            watch: file_linux::WatchState::default(),
            decoded: BTreeMap::new(),
            read_errors: BTreeMap::new(),
        }
    }

    /// The watched path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The pod the source holds for manifest `file` (a full path), if it read one from it.
    ///
    /// Upstream keeps a file's entry after the file stops parsing, so this can still name the
    /// pod of an older, valid version of the file until the next relist.
    pub fn pod_for_file(&self, file: &str) -> Option<&corev1::Pod> {
        self.store
            .get(self.file_key_mapping.get(file)?)
            .map(|p| &**p)
    }

    /// Why the last read of manifest `file` failed, if it did.
    pub fn read_error(&self, file: &str) -> Option<&str> {
        self.read_errors.get(file).map(String::as_str)
    }

    /// The pod the store holds under `key` (`namespace/name`, see [`store_key`]).
    pub fn pod_by_key(&self, key: &str) -> Option<&corev1::Pod> {
        self.store.get(key).map(|p| &**p)
    }

    /// Every manifest file the source has read a pod from, with the store key it filed the
    /// pod under (the mapping upstream uses to delete a removed file's pod).
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.file_key_mapping
            .iter()
            .map(|(file, key)| (file.as_str(), key.as_str()))
    }

    /// The relist period (`fileCheckFrequency`).
    pub fn period(&self) -> SimDuration {
        self.period
    }

    /// A full relist (`listConfig`), logging a failure as upstream's run loop does.
    pub fn relist(&mut self, ctx: &mut Ctx<'_>, fs: &Fs, config: &mut PodConfig) {
        if let Err(err) = self.list_config(ctx, fs, config) {
            ctx.log(
                LogLine::error("file.go:89", "Unable to read config path")
                    .with("err", err)
                    .with("path", &self.path),
            );
        }
    }

    fn list_config(
        &mut self,
        ctx: &mut Ctx<'_>,
        fs: &Fs,
        config: &mut PodConfig,
    ) -> Result<(), String> {
        let meta = match fs.stat(&self.path) {
            Ok(meta) => meta,
            Err(FsError::NotFound) => {
                ctx.record(Event::PathMissing {
                    path: self.path.clone(),
                });
                self.send_empty(ctx, config);
                return Err("path does not exist, ignoring".to_string());
            }
            Err(err) => return Err(err.go_path_error("stat", &self.path)),
        };
        match meta.kind {
            FileKind::Dir => {
                let pods = self.extract_from_dir(ctx, fs);
                ctx.record(Event::FileListed {
                    path: self.path.clone(),
                    pods: config.pod_refs(&pods),
                });
                if pods.is_empty() {
                    self.send_empty(ctx, config);
                    return Ok(());
                }
                self.replace_store(ctx, config, pods);
                Ok(())
            }
            FileKind::File => {
                let path = self.path.clone();
                let pod = self.extract_from_file(ctx, fs, &path)?;
                ctx.record(Event::FileListed {
                    path: path.clone(),
                    pods: config.pod_refs(std::slice::from_ref(&pod)),
                });
                self.replace_store(ctx, config, vec![pod]);
                Ok(())
            }
            FileKind::Symlink => Err("path is not a directory or file".to_string()),
        }
    }

    /// An empty SET sent straight to the mux (the store is left as it is).
    pub(super) fn send_empty(&self, ctx: &mut Ctx<'_>, config: &mut PodConfig) {
        config.send(ctx, FILE_SOURCE, PodUpdate::set(FILE_SOURCE, Vec::new()));
    }

    /// Reads every non-dot entry of the directory, in name order; a bad file is logged and
    /// skipped, never fatal (`extractFromDir`).
    fn extract_from_dir(&mut self, ctx: &mut Ctx<'_>, fs: &Fs) -> Vec<SharedPod> {
        let Ok(entries) = fs.read_dir(&self.path) else {
            return Vec::new();
        };
        let mut pods = Vec::new();
        // Remembered decodes of files no longer listed are dropped (entries are sorted by name).
        let dir = self.path.trim_end_matches('/');
        self.decoded.retain(|path, _| {
            path.strip_prefix(dir)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|name| {
                    entries
                        .binary_search_by(|e| e.name.as_str().cmp(name))
                        .is_ok()
                })
        });
        for entry in entries {
            if entry.name.starts_with('.') {
                continue;
            }
            let path = format!("{}/{}", self.path.trim_end_matches('/'), entry.name);
            // `os.Stat` follows a symlink; any other entry is what the listing says it is,
            // so only a symlink costs a second lookup.
            let kind = match entry.kind {
                FileKind::Symlink => fs.stat(&path).map(|meta| meta.kind),
                kind => Ok(kind),
            };
            let kind = match kind {
                Ok(kind) => kind,
                Err(err) => {
                    ctx.log(
                        LogLine::error("file.go:159", "Could not get metadata")
                            .with("err", err.go_path_error("stat", &path))
                            .with("path", &path),
                    );
                    continue;
                }
            };
            match kind {
                FileKind::Dir => {
                    ctx.record(Event::ManifestSkipped {
                        path: path.clone(),
                        reason: SkipReason::Directory,
                    });
                    ctx.log(
                        LogLine::error(
                            "file.go:165",
                            "Provided manifest path is a directory, not recursing into manifest path",
                        )
                        .with("path", &path),
                    );
                }
                FileKind::File => match self.extract_from_file(ctx, fs, &path) {
                    Ok(pod) => pods.push(pod),
                    Err(err) => {
                        ctx.log(
                            LogLine::error("file.go:170", "Could not process manifest file")
                                .with("err", err)
                                .with("path", &path),
                        );
                    }
                },
                FileKind::Symlink => {
                    ctx.record(Event::ManifestSkipped {
                        path: path.clone(),
                        reason: SkipReason::NotFileOrDir,
                    });
                    ctx.log(
                        LogLine::error("file.go:176", "Manifest path is not a directory or file")
                            .with("path", &path),
                    );
                }
            }
        }
        pods
    }

    /// Reads, decodes, defaults and validates one manifest (`extractFromFile`) and remembers
    /// which store key it defines.
    pub(super) fn extract_from_file(
        &mut self,
        ctx: &mut Ctx<'_>,
        fs: &Fs,
        filename: &str,
    ) -> Result<SharedPod, String> {
        let path: Text = match self.decoded.get(filename) {
            Some(done) => Text::Shared(Arc::clone(&done.path)),
            None => filename.into(),
        };
        ctx.log(LogLine::info(3, "file.go:187", "Reading config file").with("path", path));
        let res = self.decode_file(ctx, fs, filename);
        match &res {
            Err(err) => {
                ctx.record(Event::ManifestRejected {
                    source: FILE_SOURCE.to_string(),
                    location: filename.to_string(),
                    error: err.clone(),
                });
                self.read_errors.insert(filename.to_string(), err.clone());
            }
            Ok(_) => {
                self.read_errors.remove(filename);
            }
        }
        let pod = res?;
        // Usually the file still defines the pod it did: the mapping is left as it is.
        match self.file_key_mapping.get_mut(filename) {
            Some(key) if is_store_key(key, &pod) => (),
            Some(key) => *key = store_key(&pod),
            None => {
                self.file_key_mapping
                    .insert(filename.to_string(), store_key(&pod));
            }
        }
        Ok(pod)
    }

    /// Reads and decodes one manifest. A file whose bytes are those of its last decode is not
    /// parsed again: the decode is a pure function of the bytes, the file name and the node
    /// name, so the remembered outcome is replayed, log lines included.
    fn decode_file(
        &mut self,
        ctx: &mut Ctx<'_>,
        fs: &Fs,
        filename: &str,
    ) -> Result<SharedPod, String> {
        let data = match fs.peek_at_most(filename, MAX_CONFIG_LENGTH) {
            Ok(data) => data,
            Err(FsError::TooLarge { .. }) => return Err("the read limit is reached".to_string()),
            Err(FsError::IsADirectory) => {
                return Err(FsError::IsADirectory.go_path_error("read", filename))
            }
            Err(err) => return Err(err.go_path_error("open", filename)),
        };
        if let Some(done) = self.decoded.get(filename).filter(|d| d.data == data) {
            for event in &done.events {
                ctx.record(event.clone());
            }
            return done.result.clone();
        }
        let logged_from = ctx.trace.len();
        let node_name = self.node_name.clone();
        let mut default_fn = |ctx: &mut Ctx<'_>, pod: &mut corev1::Pod| {
            apply_defaults(ctx, pod, StaticSource::File(filename), &node_name)
        };
        let decoded = try_decode_single_pod(ctx, data, &mut default_fn);
        // Shared: while the bytes stay the same, every SET carries this very pod, which the
        // mux recognises as unchanged.
        let result = decoded
            .result
            .map(SharedPod::new)
            .map_err(|err| extract_error(filename, decoded.parsed, err));
        let events = ctx
            .trace
            .since(logged_from)
            .iter()
            .map(|r| {
                let mut event = r.event.clone();
                if let Event::Log(line) = &mut event {
                    line.share_text();
                }
                event
            })
            .collect();
        self.decoded.insert(
            filename.to_string(),
            DecodedFile {
                data: data.to_vec(),
                result: result.clone(),
                events,
                path: Arc::from(filename),
            },
        );
        result
    }

    /// `store.Replace`: the store becomes exactly `pods` and is pushed as one SET.
    fn replace_store(&mut self, ctx: &mut Ctx<'_>, config: &mut PodConfig, pods: Vec<SharedPod>) {
        self.store = pods.into_iter().map(|p| (store_key(&p), p)).collect();
        self.push(ctx, config);
    }

    /// The undelta store's push: a SET of everything it holds.
    pub(super) fn push(&self, ctx: &mut Ctx<'_>, config: &mut PodConfig) {
        let pods = self.store.values().cloned().collect();
        config.send(ctx, FILE_SOURCE, PodUpdate::set(FILE_SOURCE, pods));
    }
}

/// The error `extractFromFile` reports for `filename` when the decoder refused it with `err`:
/// data that was not a Pod at all gets the "couldn't parse as pod" wrapper.
pub fn extract_error(filename: &str, parsed: bool, err: String) -> String {
    if parsed {
        return err;
    }
    format!("{filename}: couldn't parse as pod({err}), please check config file")
}

/// `cache.MetaNamespaceKeyFunc`: `namespace/name`.
pub fn store_key(pod: &corev1::Pod) -> String {
    format!("{}/{}", pod_namespace(pod), pod_name(pod))
}

/// Whether `key` is `pod`'s [`store_key`], checked without building the key.
fn is_store_key(key: &str, pod: &corev1::Pod) -> bool {
    key.strip_prefix(pod_namespace(pod))
        .and_then(|rest| rest.strip_prefix('/'))
        == Some(pod_name(pod))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(namespace: &str, name: &str) -> corev1::Pod {
        let mut pod = corev1::Pod::default();
        pod.metadata.namespace = Some(namespace.to_string());
        pod.metadata.name = Some(name.to_string());
        pod
    }

    #[test]
    fn a_store_key_is_recognised_without_building_it() {
        let etcd = pod("kube-system", "etcd");
        assert_eq!(store_key(&etcd), "kube-system/etcd");
        assert!(is_store_key("kube-system/etcd", &etcd));
        for other in [
            "kube-system/etcd-x",
            "kube-system/etc",
            "kube-systemx/etcd",
            "kube-system-etcd",
            "default/etcd",
            "kube-system/",
            "",
        ] {
            assert!(!is_store_key(other, &etcd), "{other}");
        }
        // A name with a slash in it is still the whole rest of the key.
        assert!(is_store_key("a/b/c", &pod("a", "b/c")));
        assert!(!is_store_key("a/b/c", &pod("a/b", "b/c")));
    }
}
