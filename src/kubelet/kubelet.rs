//! Mirrors `pkg/kubelet/kubelet.go` (v1.34): the running kubelet — its pod sources
//! (`makePodSourceConfig`), the pod-config mux, and the timers that drive them.
//!
//! The kubelet never schedules anything itself: it leaves `(time, timer)` pairs in an outbox
//! that the cluster drains into the event queue, and the cluster calls back `on_timer`.

use std::collections::BTreeSet;

use crate::apiserver::ApiServer;
use crate::kubelet::config::apiserver::{Next, SourceApiserver};
use crate::kubelet::config::file::{SourceFile, WatchNext};
use crate::kubelet::config::http::{HttpOutcome, HttpRequest, SourceUrl};
use crate::kubelet::config::{NotificationMode, PodConfig, SourcesReady};
use crate::kubelet::context::Ctx;
use crate::kubelet::server::{load_settings, KubeletSettings, StartError};
use crate::kubelet::types::{API_SOURCE, FILE_SOURCE, HTTP_SOURCE};
use crate::node::fs::{Fs, WatchEvent};
use crate::sim::trace::LogLine;
use crate::sim::SimTime;

/// Something the kubelet asked to be woken for.
#[derive(Debug, Clone, PartialEq)]
pub enum KubeletTimer {
    /// The file source's periodic relist.
    FileRelist,
    /// The file source's next watch attempt.
    FileWatch,
    /// The URL source's next fetch.
    UrlFetch,
    /// A URL fetch's outcome is known.
    UrlDone(HttpOutcome),
    /// The API source's poll (node sync, relist back-off).
    ApiSource,
}

/// What a kubelet call may touch besides the kubelet itself.
#[derive(Debug)]
pub struct KubeletEnv<'a> {
    /// The node's filesystem.
    pub fs: &'a mut Fs,
    /// The API server (every call checks whether it is serving).
    pub api: &'a mut ApiServer,
}

/// One running kubelet process.
#[derive(Debug, Clone)]
pub struct Kubelet {
    settings: KubeletSettings,
    pid: u32,
    pod_config: PodConfig,
    sources_ready: SourcesReady,
    file_source: Option<SourceFile>,
    url_source: Option<SourceUrl>,
    api_source: Option<SourceApiserver>,
    /// Whether the API source waits for the next change in the API server.
    api_source_waits_for_change: bool,
    outbox: Vec<(SimTime, KubeletTimer)>,
}

impl Kubelet {
    /// Starts kubelet process `pid` with `args` (without `argv[0]`): loads its settings and
    /// registers its sources, then lets each source run once as upstream does at start.
    pub fn start(
        ctx: &mut Ctx<'_>,
        env: &mut KubeletEnv<'_>,
        hostname: &str,
        args: &[String],
        pid: u32,
    ) -> Result<Kubelet, StartError> {
        let settings = load_settings(ctx, env.fs, hostname, args, pid).inspect_err(|error| {
            ctx.log(LogLine::error("run.go:72", "command failed").with("err", &error.message));
        })?;
        let mut kubelet = Kubelet {
            settings,
            pid,
            pod_config: PodConfig::new(NotificationMode::Incremental),
            sources_ready: SourcesReady::default(),
            file_source: None,
            url_source: None,
            api_source: None,
            api_source_waits_for_change: false,
            outbox: Vec::new(),
        };
        kubelet.make_pod_source_config(ctx, env);
        Ok(kubelet)
    }

    /// `makePodSourceConfig`: file, then http, then api, each only when configured.
    fn make_pod_source_config(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        let config = self.settings.config.clone();
        let node_name = self.settings.node_name.clone();
        if self.settings.has_api_client {
            ctx.log(LogLine::info(
                0,
                "kubelet.go:401",
                "Attempting to sync node with API server",
            ));
        } else {
            ctx.log(LogLine::info(
                0,
                "kubelet.go:412",
                "Kubelet is running in standalone mode, will skip API server sync",
            ));
        }
        if !config.static_pod_path.is_empty() {
            ctx.log(
                LogLine::info(0, "kubelet.go:310", "Adding static pod path")
                    .with("path", &config.static_pod_path),
            );
            self.pod_config.channel(FILE_SOURCE);
            let mut source = SourceFile::new(
                ctx,
                &config.static_pod_path,
                &node_name,
                config.file_check_frequency,
            );
            // The run loop reads the path at once, then every period; the watch loop starts
            // alongside it.
            source.relist(ctx, env.fs, &mut self.pod_config);
            self.outbox
                .push((ctx.now + source.period(), KubeletTimer::FileRelist));
            self.file_source = Some(source);
            self.watch_attempt(ctx, env);
        }
        if !config.static_pod_url.is_empty() {
            let header: Vec<(String, String)> = config
                .static_pod_url_header
                .iter()
                .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
                .collect();
            ctx.log(
                LogLine::info(0, "kubelet.go:316", "Adding pod URL with HTTP header")
                    .with("URL", &config.static_pod_url)
                    .with("header", format!("{:?}", config.static_pod_url_header)),
            );
            self.pod_config.channel(HTTP_SOURCE);
            self.url_source = Some(SourceUrl::new(
                ctx,
                &config.static_pod_url,
                header,
                &node_name,
                config.http_check_frequency,
            ));
            self.outbox.push((ctx.now, KubeletTimer::UrlFetch));
        }
        if self.settings.has_api_client {
            ctx.log(LogLine::info(
                0,
                "kubelet.go:322",
                "Adding apiserver pod source",
            ));
            self.pod_config.channel(API_SOURCE);
            self.api_source = Some(SourceApiserver::new(ctx, &node_name));
            self.outbox.push((ctx.now, KubeletTimer::ApiSource));
        } else {
            ctx.log(LogLine::info(
                0,
                "kubelet.go:1665",
                "No API server defined - no node status update will be sent",
            ));
        }
    }

    /// The process id, as the journal shows it.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// What the kubelet decided at start-up.
    pub fn settings(&self) -> &KubeletSettings {
        &self.settings
    }

    /// The pod-config mux.
    pub fn pod_config(&self) -> &PodConfig {
        &self.pod_config
    }

    /// The pod-config mux, for the sync loop's consumer.
    pub fn pod_config_mut(&mut self) -> &mut PodConfig {
        &mut self.pod_config
    }

    /// The sources the sync loop has heard from.
    pub fn sources_ready(&mut self) -> &mut SourcesReady {
        &mut self.sources_ready
    }

    /// The file source, if `staticPodPath` is set.
    pub fn file_source(&self) -> Option<&SourceFile> {
        self.file_source.as_ref()
    }

    /// Takes the wake-ups requested since the last call.
    pub fn take_timers(&mut self) -> Vec<(SimTime, KubeletTimer)> {
        std::mem::take(&mut self.outbox)
    }

    /// The request the URL source is about to send, if it has one.
    pub fn url_request(&self) -> Option<HttpRequest> {
        self.url_source.as_ref().map(SourceUrl::request)
    }

    /// Whether the API source is waiting for the API server to change.
    pub fn wants_api_changes(&self) -> bool {
        self.api_source_waits_for_change
    }

    /// The registered source names.
    pub fn sources(&self) -> &BTreeSet<String> {
        self.pod_config.sources()
    }

    /// Runs a timer the kubelet asked for.
    pub fn on_timer(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>, timer: KubeletTimer) {
        match timer {
            KubeletTimer::FileRelist => {
                if let Some(source) = &mut self.file_source {
                    source.relist(ctx, env.fs, &mut self.pod_config);
                    self.outbox
                        .push((ctx.now + source.period(), KubeletTimer::FileRelist));
                }
            }
            KubeletTimer::FileWatch => self.watch_attempt(ctx, env),
            KubeletTimer::UrlFetch => {
                // The cluster performs the request (it knows every host) and answers with
                // `UrlDone`; see `Cluster::run_kubelet_timer`.
            }
            KubeletTimer::UrlDone(outcome) => {
                if let Some(source) = &mut self.url_source {
                    source.complete(ctx, &mut self.pod_config, outcome);
                    self.outbox
                        .push((ctx.now + source.period(), KubeletTimer::UrlFetch));
                }
            }
            KubeletTimer::ApiSource => self.poll_api_source(ctx, env),
        }
    }

    /// The API server changed or started/stopped serving.
    pub fn on_api_change(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        if self.api_source_waits_for_change {
            self.poll_api_source(ctx, env);
        }
    }

    fn poll_api_source(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        let Some(source) = &mut self.api_source else {
            return;
        };
        match source.poll(ctx, env.api, &mut self.pod_config) {
            Next::WakeAt(at) => {
                self.api_source_waits_for_change = false;
                self.outbox.push((at, KubeletTimer::ApiSource));
            }
            Next::OnChange => self.api_source_waits_for_change = true,
        }
    }

    fn watch_attempt(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        let Some(source) = &mut self.file_source else {
            return;
        };
        match source.watch_attempt(ctx, env.fs, &mut self.pod_config) {
            WatchNext::RetryAt(at) => self.outbox.push((at, KubeletTimer::FileWatch)),
            WatchNext::Watching(_) => (),
        }
    }

    /// Handles an inotify event if it belongs to this kubelet's watch.
    pub fn on_fs_event(&mut self, ctx: &mut Ctx<'_>, fs: &Fs, event: &WatchEvent) {
        let Some(source) = &mut self.file_source else {
            return;
        };
        if source.watch_id() != Some(event.watch) {
            return;
        }
        source.on_watch_event(ctx, fs, &mut self.pod_config, event);
    }

    /// The process is exiting: release what the kernel would release.
    pub fn stop(&mut self, fs: &mut Fs) {
        if let Some(source) = &mut self.file_source {
            source.stop_watch(fs);
        }
    }
}
