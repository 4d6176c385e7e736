//! Mirrors `pkg/kubelet/config/apiserver.go` (v1.34): the `api` source, a reflector over the
//! pods bound to this node (`spec.nodeName=<node>`) feeding an undelta store, so every watch
//! event becomes a full SET.
//!
//! Simplified: client-go's reflector (list, watch, re-list on error with exponential back-off
//! 800 ms → 30 s) is modelled directly: the source reads the store's change history on every
//! wake-up (the changes the store indexes under its node, as the field selector would pass
//! them), and a stopped API server breaks the watch.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1 as corev1;
use serde_json::Value;

use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::{ObjectKey, Resource, WatchEventType};
use crate::apiserver::ApiServer;
use crate::kubelet::config::PodConfig;
use crate::kubelet::context::Ctx;
use crate::kubelet::types::{PodUpdate, SharedPod, API_SOURCE};
use crate::sim::trace::{LogLine, Severity};
use crate::sim::{SimDuration, SimTime};

/// How often the source checks whether the node informer has synced
/// (`WaitForAPIServerSyncPeriod`).
pub const WAIT_FOR_API_SERVER_SYNC_PERIOD: SimDuration = SimDuration::from_secs(1);
const BACKOFF_INITIAL: SimDuration = SimDuration::from_millis(800);
const BACKOFF_MAX: SimDuration = SimDuration::from_secs(30);
/// The reflector's name in its log lines: the file and line that created it.
const REFLECTOR: &str = "pkg/kubelet/config/apiserver.go:66";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Polling until the API server has answered once (the node informer synced).
    WaitingForNodeSync,
    /// Needs a full list (first time, after a broken watch or a too-old revision).
    Relist,
    /// Following the change history from `revision`.
    Watching,
}

/// What the source wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Wake it at this time.
    WakeAt(SimTime),
    /// Wake it when the API server's pods change or it stops or starts serving.
    OnChange,
}

/// The `api` source's state.
#[derive(Debug, Clone)]
pub struct SourceApiserver {
    node_name: String,
    /// The kubeconfig's API server URL.
    server: String,
    state: State,
    /// namespace/name → pod, as the undelta store keeps them (shared with the mux, which
    /// knows a pod it was sent before is unchanged).
    store: BTreeMap<String, SharedPod>,
    revision: u64,
    backoff: SimDuration,
}

impl SourceApiserver {
    /// A source for the pods bound to `node_name` (`NewSourceApiserver`).
    /// `server` is the kubeconfig's API server URL, which the reflector's errors quote.
    pub fn new(ctx: &mut Ctx<'_>, node_name: &str, server: &str) -> SourceApiserver {
        ctx.log(LogLine::info(
            0,
            "apiserver.go:46",
            "Waiting for node sync before watching apiserver pods",
        ));
        SourceApiserver {
            node_name: node_name.to_string(),
            server: server.to_string(),
            state: State::WaitingForNodeSync,
            store: BTreeMap::new(),
            revision: 0,
            backoff: SimDuration::ZERO,
        }
    }

    /// Runs whatever is due: the node-sync poll, a (re)list, or following the watch.
    pub fn poll(&mut self, ctx: &mut Ctx<'_>, api: &ApiServer, config: &mut PodConfig) -> Next {
        if self.state == State::WaitingForNodeSync {
            if api.check().is_err() {
                ctx.log(LogLine::info(
                    4,
                    "apiserver.go:54",
                    "node sync has not completed yet",
                ));
                return Next::WakeAt(ctx.now + WAIT_FOR_API_SERVER_SYNC_PERIOD);
            }
            ctx.log(LogLine::info(4, "apiserver.go:50", "node sync completed"));
            ctx.log(LogLine::info(0, "apiserver.go:56", "Watching apiserver"));
            self.state = State::Relist;
        }
        if self.state == State::Watching {
            if let Err(err) = api.check() {
                ctx.log(LogLine::printf(
                    Severity::Warning,
                    "reflector.go:484",
                    format!("{REFLECTOR}: watch of *v1.Pod ended with: an error on the server (\"unable to decode an event from the watch stream: {err}\") has prevented the request from succeeding"),
                ));
                self.state = State::Relist;
                return self.back_off(ctx);
            }
            // The field selector: only the changes that concern this node, which are the only
            // ones `apply_change` can act on (the store indexes them by node).
            let store = api.store();
            match store.pod_changes_on_node(&self.node_name, self.revision) {
                Ok(changes) => {
                    for change in changes {
                        self.apply_change(
                            ctx,
                            api,
                            config,
                            change.event_type,
                            &change.key,
                            &change.object,
                        );
                    }
                    // The watch has seen every pod change up to the newest.
                    self.revision = self.revision.max(store.resource_revision(Resource::Pods));
                    return Next::OnChange;
                }
                Err(_) => self.state = State::Relist,
            }
        }
        self.relist(ctx, api, config)
    }

    fn relist(&mut self, ctx: &mut Ctx<'_>, api: &ApiServer, config: &mut PodConfig) -> Next {
        // Shared with the store: the pods are only filtered and handed on unchanged.
        let pods = match api.list_shared::<corev1::Pod>(Resource::Pods, None) {
            Ok(pods) => pods,
            Err(err) => {
                let url = format!(
                    "{}/api/v1/pods?fieldSelector=spec.nodeName%3D{}&limit=500&resourceVersion=0",
                    self.server, self.node_name
                );
                let failure = format!("failed to list *v1.Pod: Get \"{url}\": {err}");
                ctx.log(LogLine::printf(
                    Severity::Warning,
                    "reflector.go:569",
                    format!("{REFLECTOR}: {failure}"),
                ));
                ctx.log(
                    LogLine::error("reflector.go:166", "Unhandled Error")
                        .with(
                            "err",
                            format!("{REFLECTOR}: Failed to watch *v1.Pod: {failure}"),
                        )
                        .with("logger", "UnhandledError"),
                );
                return self.back_off(ctx);
            }
        };
        self.store = pods
            .into_iter()
            .filter(|p| self.bound_here(p))
            .map(|p| (key_of(&p), p))
            .collect();
        self.revision = api.store().revision();
        self.state = State::Watching;
        self.backoff = SimDuration::ZERO;
        self.push(ctx, config);
        Next::OnChange
    }

    fn back_off(&mut self, ctx: &mut Ctx<'_>) -> Next {
        self.backoff = if self.backoff == SimDuration::ZERO {
            BACKOFF_INITIAL
        } else {
            (self.backoff + self.backoff).min(BACKOFF_MAX)
        };
        // client-go jitters the back-off by up to 100%.
        let wait = ctx.rng.jitter(self.backoff, 1.0);
        Next::WakeAt(ctx.now + wait)
    }

    /// A field-selected watch: an object that stops matching is reported as deleted.
    ///
    /// A change that cannot alter the store (a pod neither bound here nor held) is skipped
    /// from its JSON before decoding: decoded, it would not be bound here and removing it
    /// would find nothing, and undecoded it would be skipped too. The rest is decoded through
    /// the API server's store, which shares the pod when the change is still the stored version.
    fn apply_change(
        &mut self,
        ctx: &mut Ctx<'_>,
        api: &ApiServer,
        config: &mut PodConfig,
        event_type: WatchEventType,
        stored_at: &ObjectKey,
        object: &Arc<Value>,
    ) {
        let text = |pointer: &str| object.at(pointer).and_then(Value::as_str);
        let held = self.store.contains_key(&format!(
            "{}/{}",
            text("/metadata/namespace").unwrap_or_default(),
            text("/metadata/name").unwrap_or_default()
        ));
        let bound = text("/spec/nodeName") == Some(self.node_name.as_str());
        let may_change = match event_type {
            WatchEventType::Deleted => held,
            WatchEventType::Added | WatchEventType::Modified => held || bound,
        };
        if !may_change {
            return;
        }
        let Some(pod) = api.store().decode_version::<corev1::Pod>(stored_at, object) else {
            return;
        };
        let key = key_of(&pod);
        let changed = match event_type {
            WatchEventType::Deleted => self.store.remove(&key).is_some(),
            WatchEventType::Added | WatchEventType::Modified => {
                if self.bound_here(&pod) {
                    self.store.insert(key, pod);
                    true
                } else {
                    self.store.remove(&key).is_some()
                }
            }
        };
        if changed {
            self.push(ctx, config);
        }
    }

    fn bound_here(&self, pod: &corev1::Pod) -> bool {
        pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(self.node_name.as_str())
    }

    /// The undelta store's push: a SET of everything it holds.
    fn push(&self, ctx: &mut Ctx<'_>, config: &mut PodConfig) {
        let pods = self.store.values().cloned().collect();
        config.send(ctx, API_SOURCE, PodUpdate::set(API_SOURCE, pods));
    }
}

fn key_of(pod: &corev1::Pod) -> String {
    format!(
        "{}/{}",
        pod.metadata.namespace.as_deref().unwrap_or_default(),
        pod.metadata.name.as_deref().unwrap_or_default()
    )
}
