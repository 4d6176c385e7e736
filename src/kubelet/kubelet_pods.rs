//! Mirrors the pod sync functions of `pkg/kubelet/kubelet.go` (`SyncPod`,
//! `SyncTerminatingPod`, `SyncTerminatedPod`) and `pkg/kubelet/kubelet_pods.go`
//! (`HandlePodCleanups`) (v1.34), plus the kubelet's periodic work around them: container
//! garbage collection, the status manager's writes, node status and probes.
//!
//! Faithful to v1.31–v1.34 (kubernetes/kubernetes#123602): a sync whose only failures are back-offs still
//! returns an error, so a crash-looping pod is retried every 10–15 s with "Error syncing pod,
//! skipping" in the log.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::store::Resource;
use crate::kubelet::container::{ContainerState, PodStatus};
use crate::kubelet::context::Ctx;
use crate::kubelet::kubelet::{Kubelet, KubeletEnv, KubeletTimer};
use crate::kubelet::kuberuntime::{
    containers_to_delete, get_pod_status, newest_container, newest_sandbox_ip, KillOutcome,
    SyncEnv, DEAD_CONTAINERS_TO_KEEP,
};
use crate::kubelet::mirror::{delete_mirror_pod, parse_pod_full_name, try_reconcile_mirror_pods};
use crate::kubelet::node_status::{register_node, update_node_status};
use crate::kubelet::pod_workers::{SyncOutcome, UpdatePodOptions, UpdateType, WorkType};
use crate::kubelet::prober::{ContainerView, WorkerKey};
use crate::kubelet::running_pods::RunningPod;
use crate::kubelet::status::{generate_api_pod_status, StatusInputs};
use crate::kubelet::types::{is_mirror_pod, is_static_pod, pod_ref, pod_uid};
use crate::node::cri::ContainerFilter;
use crate::sim::trace::{Event, LogLine};

impl Kubelet {
    fn sync_env<'a>(
        &'a mut self,
        env: &'a mut KubeletEnv<'_>,
    ) -> (
        SyncEnv<'a>,
        &'a mut crate::kubelet::kuberuntime::RuntimeManager,
    ) {
        let api = if self.settings.has_api_client {
            Some(&*env.api)
        } else {
            None
        };
        (
            SyncEnv {
                cri: env.cri,
                fs: env.fs,
                api,
                recorder: &mut self.recorder,
                reasons: &mut self.reasons,
                probes: &self.probes,
                node_ip: &self.machine.ip,
            },
            &mut self.runtime,
        )
    }

    /// The pod's API status right now.
    fn api_status(
        &self,
        pod: &corev1::Pod,
        status: &PodStatus,
        pod_is_terminal: bool,
    ) -> corev1::PodStatus {
        let uid = pod_uid(pod);
        let inputs = StatusInputs {
            old: self.status_manager.get(uid),
            reasons: &self.reasons,
            host_ip: &self.machine.ip,
            pod_is_terminal,
        };
        generate_api_pod_status(pod, status, &self.probes, &inputs)
    }

    /// One pod worker run: `startPodSync`, the sync function for the worker's state, then
    /// `completeWork`.
    pub(super) fn run_pod_worker(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut KubeletEnv<'_>,
        uid: &str,
    ) {
        let Some((work_type, options)) = self.pod_workers.start_pod_sync(ctx, uid) else {
            return;
        };
        let status = get_pod_status(env.cri, uid);
        let (function, outcome) = match work_type {
            WorkType::Sync => ("SyncPod", self.sync_pod(ctx, env, &options, &status)),
            WorkType::Terminating => {
                let grace = if options.runtime_only {
                    options.grace_override
                } else {
                    self.pod_workers.grace_period(uid)
                };
                (
                    "SyncTerminatingPod",
                    self.sync_terminating_pod(ctx, env, &options, &status, grace),
                )
            }
            WorkType::Terminated => (
                "SyncTerminatedPod",
                self.sync_terminated_pod(ctx, env, &options.pod, &status),
            ),
        };
        ctx.record(Event::PodSync {
            function,
            pod: Box::new(pod_ref(&options.pod)),
            outcome: match &outcome {
                SyncOutcome::Done { terminal: true } => "terminal".to_string(),
                SyncOutcome::Done { terminal: false } => "done".to_string(),
                SyncOutcome::Wait(_) => "waiting".to_string(),
                SyncOutcome::Failed(err) => err.clone(),
            },
        });
        self.pod_workers.complete(ctx, uid, work_type, outcome);
        self.sync_statuses(ctx, env, false);
    }

    /// `SyncPod`.
    fn sync_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut KubeletEnv<'_>,
        options: &UpdatePodOptions,
        status: &PodStatus,
    ) -> SyncOutcome {
        let pod = &options.pod;
        let uid = pod_uid(pod).to_string();
        ctx.log(
            LogLine::info(4, "kubelet.go:1779", "SyncPod enter")
                .with("pod", pod_ref(pod).to_string())
                .with("podUID", &uid),
        );
        let api_status = self.api_status(pod, status, false);
        let phase = api_status.phase.clone().unwrap_or_default();
        self.status_manager
            .set_pod_status(ctx.now, &uid, api_status);
        if phase == "Succeeded" || phase == "Failed" {
            return SyncOutcome::Done { terminal: true };
        }
        if self.settings.has_api_client && is_static_pod(pod) {
            let node_name = self.machine.name.clone();
            try_reconcile_mirror_pods(
                ctx,
                env.api,
                env.client,
                pod,
                options.mirror.as_deref(),
                &node_name,
            );
        }
        let _ = env
            .fs
            .mkdir_all(ctx.now, &crate::kubelet::volumes::pod_dir(&uid));
        let (mut sync_env, runtime) = self.sync_env(env);
        let result = runtime.sync_pod(ctx, &mut sync_env, pod, status);
        if let Some(until) = result.wait {
            let waiting_on: Vec<String> = status
                .containers
                .iter()
                .filter(|c| c.state == ContainerState::Running)
                .map(|c| c.id.clone())
                .collect();
            if self.runtime.is_stopping(&waiting_on) {
                self.kill_waits.insert(uid.clone(), waiting_on);
            }
            return SyncOutcome::Wait(until);
        }
        match result.error() {
            Some(err) => SyncOutcome::Failed(err),
            None => SyncOutcome::Done { terminal: false },
        }
    }

    /// `SyncTerminatingPod`: stop every container with the grace period, then record the
    /// stopped status.
    fn sync_terminating_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut KubeletEnv<'_>,
        options: &UpdatePodOptions,
        status: &PodStatus,
        grace: Option<i64>,
    ) -> SyncOutcome {
        let pod = &options.pod;
        let uid = pod_uid(pod).to_string();
        if !options.runtime_only {
            let api_status = self.api_status(pod, status, false);
            self.status_manager
                .set_pod_status(ctx.now, &uid, api_status);
        }
        ctx.log(
            LogLine::info(4, "kubelet.go:2063", "Pod terminating with grace period")
                .with("pod", pod_ref(pod).to_string())
                .with("podUID", &uid)
                .with_raw(
                    "gracePeriod",
                    grace.map(|g| g.to_string()).unwrap_or("<nil>".into()),
                ),
        );
        self.probes.stop_liveness_and_startup(&uid);
        let running: Vec<String> = status
            .containers
            .iter()
            .filter(|c| c.state == ContainerState::Running)
            .map(|c| c.id.clone())
            .collect();
        let (mut sync_env, runtime) = self.sync_env(env);
        if let KillOutcome::Wait(until) = runtime.kill_pod(ctx, &mut sync_env, pod, status, grace) {
            self.kill_waits.insert(uid, running);
            return SyncOutcome::Wait(until);
        }
        self.probes.remove_pod(&uid);
        let stopped = get_pod_status(env.cri, &uid);
        let still_running: Vec<&str> = stopped
            .containers
            .iter()
            .filter(|c| c.state == ContainerState::Running)
            .map(|c| c.id.as_str())
            .collect();
        if !still_running.is_empty() {
            return SyncOutcome::Failed(format!(
                "detected running containers after a successful KillPod, CRI violation: {still_running:?}"
            ));
        }
        if !options.runtime_only {
            let api_status = self.api_status(pod, &stopped, true);
            self.status_manager
                .set_pod_status(ctx.now, &uid, api_status);
        }
        ctx.log(
            LogLine::info(
                4,
                "kubelet.go:2140",
                "Pod termination stopped all running containers",
            )
            .with("pod", pod_ref(pod).to_string())
            .with("podUID", &uid),
        );
        SyncOutcome::Done { terminal: false }
    }

    /// `SyncTerminatedPod`: the final status; the pod needs nothing more.
    fn sync_terminated_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        _env: &mut KubeletEnv<'_>,
        pod: &corev1::Pod,
        status: &PodStatus,
    ) -> SyncOutcome {
        let uid = pod_uid(pod).to_string();
        let api_status = self.api_status(pod, status, true);
        self.status_manager
            .set_pod_status(ctx.now, &uid, api_status);
        self.reasons.forget_pod(&uid);
        ctx.log(
            LogLine::info(
                4,
                "kubelet.go:2226",
                "Pod is terminated and will need no more status updates",
            )
            .with("pod", pod_ref(pod).to_string())
            .with("podUID", &uid),
        );
        SyncOutcome::Done { terminal: false }
    }

    /// `HandlePodCleanups`.
    pub(super) fn handle_pod_cleanups(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        // Borrowed from the pod manager, which nothing below changes: housekeeping runs every
        // 2 s and copying every pod each time cost more than the rest of it.
        let desired: Vec<&corev1::Pod> = self.pod_manager.pods();
        let workers = self
            .pod_workers
            .sync_known_pods(ctx, &self.pod_manager.uids());

        // Known: desired (the pod manager's pods, by UID) or with a worker.
        let pod_manager = &self.pod_manager;
        self.status_manager
            .retain(|uid| pod_manager.pod_by_uid(uid).is_some() || workers.contains_key(uid));

        let orphans = self.pod_manager.orphaned_mirror_full_names();
        if !orphans.is_empty() && self.settings.has_api_client {
            ctx.log(LogLine::info(
                3,
                "kubelet_pods.go:1244",
                "Clean up orphaned mirror pods",
            ));
            for full_name in orphans {
                if self.pod_workers.is_static_pod_terminating(&full_name) {
                    continue;
                }
                match delete_mirror_pod(ctx, env.api, env.client, &full_name, None) {
                    Ok(true) => {
                        let (name, namespace) = parse_pod_full_name(&full_name).unwrap_or_default();
                        ctx.log(
                            LogLine::info(3, "kubelet_pods.go:1293", "Deleted mirror pod")
                                .with("pod", format!("{namespace}/{name}")),
                        );
                    }
                    Ok(false) => (),
                    Err(err) => ctx.log(
                        LogLine::error(
                            "kubelet_pods.go:1290",
                            "Encountered error when deleting mirror pod",
                        )
                        .with("err", err)
                        .with("podName", &full_name),
                    ),
                }
            }
        }

        for &pod in &desired {
            let uid = pod_uid(pod);
            let terminal = matches!(
                pod.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            );
            if workers.contains_key(uid) || terminal {
                continue;
            }
            ctx.log(
                LogLine::info(3, "kubelet_pods.go:1267", "Pod will be restarted because it is in the desired set and not known to the pod workers (likely due to UID reuse)")
                    .with("podUID", uid),
            );
            let (Some(pod), mirror, _) = self.pod_manager.pod_and_mirror_of_uid(uid) else {
                continue;
            };
            self.pod_workers
                .update_pod(ctx, UpdatePodOptions::new(UpdateType::Create, pod, mirror));
        }

        // Running pods nobody asked for (a manifest removed while the kubelet was down).
        let pod_workers = &self.pod_workers;
        let orphan_pods: Vec<RunningPod> = self
            .running_pods
            .list(env.cri)
            .iter()
            .filter(|(uid, _, _)| {
                !uid.is_empty() && !workers.contains_key(uid.as_str()) && !pod_workers.is_known(uid)
            })
            .cloned()
            .collect();
        for (uid, name, namespace) in orphan_pods {
            ctx.log(
                LogLine::info(
                    3,
                    "kubelet_pods.go:1320",
                    "Clean up containers for orphaned pod we had not seen before",
                )
                .with("podUID", &uid)
                .with(
                    "killPodOptions",
                    "{PodStatusFunc:<nil> PodTerminationGracePeriodSecondsOverride:1}",
                ),
            );
            let mut stub = corev1::Pod::default();
            stub.metadata.uid = Some(uid);
            stub.metadata.name = Some(name);
            stub.metadata.namespace = Some(namespace);
            let mut options = UpdatePodOptions::new(UpdateType::Kill, stub.into(), None);
            options.runtime_only = true;
            options.grace_override = Some(1);
            self.pod_workers.update_pod(ctx, options);
        }
        self.runtime.backoff.gc(ctx.now);
    }

    /// `cleanUpContainersInPod`: after a container died, its older dead instances go.
    pub(super) fn clean_up_containers_in_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut KubeletEnv<'_>,
        uid: &str,
        container_id: &str,
    ) {
        let status = get_pod_status(env.cri, uid);
        let remove_all = self.pod_workers.should_pod_content_be_removed(uid);
        for id in containers_to_delete(
            Some(container_id),
            &status,
            DEAD_CONTAINERS_TO_KEEP,
            remove_all,
        ) {
            if let Err(err) = remove_container(ctx, env, &id) {
                ctx.log(
                    LogLine::error(
                        "pod_container_deletor.go:53",
                        "DeleteContainer returned error",
                    )
                    .with("err", err)
                    .with("containerID", format!("containerd://{id}")),
                );
            }
        }
    }

    /// Container garbage collection (`GarbageCollect`): dead containers and stopped sandboxes
    /// of pods that are gone, and surplus dead containers of live pods.
    pub(super) fn garbage_collect(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        let sandboxes = env.cri.list_pod_sandboxes();
        let mut uids: BTreeSet<String> = sandboxes.iter().map(|s| s.uid.clone()).collect();
        for c in env.cri.list_containers() {
            if let Some(uid) = c.labels.get(crate::kubelet::container::LABEL_POD_UID) {
                uids.insert(uid.clone());
            }
        }
        for uid in uids {
            let status = get_pod_status(env.cri, &uid);
            let gone = self.pod_workers.should_pod_content_be_removed(&uid);
            for id in containers_to_delete(None, &status, DEAD_CONTAINERS_TO_KEEP, gone) {
                let _ = remove_container(ctx, env, &id);
            }
            // Keep the newest sandbox of a live pod; stopped ones of gone pods go.
            for (idx, sandbox) in status.sandboxes.iter().enumerate() {
                let has_containers = !env
                    .cri
                    .list_containers_filtered(&ContainerFilter {
                        pod_sandbox_id: Some(&sandbox.id),
                        ..ContainerFilter::default()
                    })
                    .is_empty();
                if !sandbox.ready && !has_containers && (gone || idx > 0) {
                    if let Err(err) = env.cri.remove_pod_sandbox(&sandbox.id) {
                        ctx.log(
                            LogLine::error("kuberuntime_gc.go:166", "Failed to remove sandbox")
                                .with("err", err)
                                .with("sandboxID", &sandbox.id),
                        );
                    }
                }
            }
        }
        let live: BTreeSet<std::sync::Arc<str>> = env
            .cri
            .list_containers()
            .into_iter()
            .filter(|c| c.state != crate::node::cri::ContainerState::Exited)
            .map(|c| c.id)
            .collect();
        crate::kubelet::logs::remove_dangling_symlinks(env.fs, ctx.now, &|id| live.contains(id));
    }

    /// The status manager's sync: every changed status to the API server — a static pod's
    /// onto its mirror — and deletion of finished API pods that are being deleted.
    /// `all` is the periodic pass, which also reconciles statuses with recreated mirrors.
    pub(super) fn sync_statuses(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>, all: bool) {
        if !self.settings.has_api_client {
            return;
        }
        let pod_manager = &self.pod_manager;
        let target_of = |uid: &str| {
            let pod = pod_manager.pod_by_uid(uid)?;
            let target = if is_static_pod(pod) {
                pod_manager.mirror_of(pod)?
            } else {
                pod
            };
            target.metadata.uid.as_deref()
        };
        for uid in self.status_manager.unsynced(target_of, all) {
            let Some(pod) = self.pod_manager.pod_by_uid(&uid).cloned() else {
                continue;
            };
            let target = if is_static_pod(&pod) {
                match self.pod_manager.mirror_of(&pod) {
                    Some(mirror) => mirror.clone(),
                    None => {
                        ctx.log(
                            LogLine::info(
                                5,
                                "status_manager.go:847",
                                "Static pod does not have a corresponding mirror pod; skipping",
                            )
                            .with("podUID", &uid)
                            .with("pod", pod_ref(&pod).to_string()),
                        );
                        continue;
                    }
                }
            } else {
                pod.clone()
            };
            let Some(status) = self.status_manager.get(&uid).cloned() else {
                continue;
            };
            let value = serde_json::to_value(&status).unwrap_or_default();
            let ns = target.metadata.namespace.clone().unwrap_or_default();
            let name = target.metadata.name.clone().unwrap_or_default();
            let target_uid = target.metadata.uid.clone();
            match env
                .api
                .update_status(Resource::Pods, &ns, &name, target_uid.as_deref(), value)
            {
                Ok(()) => self.status_manager.mark_synced(&uid, target_uid),
                Err(err) if err.is_unreachable() => return,
                Err(err) => ctx.log(
                    LogLine::info(
                        3,
                        "status_manager.go:879",
                        "Failed to update status for pod",
                    )
                    .with("pod", pod_ref(&pod).to_string())
                    .with("err", err.to_string()),
                ),
            }
        }
        // A deleted API pod whose containers have stopped is removed from the store.
        let finished: Vec<corev1::Pod> = self
            .pod_manager
            .pods()
            .into_iter()
            // The cheap test first: this runs on every status change, over every pod.
            .filter(|p| p.metadata.deletion_timestamp.is_some())
            .filter(|p| !is_static_pod(p) && !is_mirror_pod(p))
            .filter(|p| self.pod_workers.is_finished(pod_uid(p)))
            .cloned()
            .collect();
        for pod in finished {
            let ns = pod.metadata.namespace.clone().unwrap_or_default();
            let name = pod.metadata.name.clone().unwrap_or_default();
            let uid = pod_uid(&pod).to_string();
            if env
                .client
                .delete_pod(ctx, env.api, &ns, &name, Some(0), Some(&uid))
                .is_ok()
            {
                ctx.log(
                    LogLine::info(
                        3,
                        "status_manager.go:1045",
                        "Pod fully terminated and removed from etcd",
                    )
                    .with("pod", pod_ref(&pod).to_string()),
                );
            }
        }
    }

    /// Registers the node if needed and posts its status (`syncNodeStatus`: the status update
    /// follows the registration in the same call, which matters for a node that was
    /// registered before this kubelet started).
    pub(super) fn sync_node_status(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        if !self.node_registered {
            self.node_registered =
                register_node(ctx, env.api, &self.machine, &self.settings.api_server);
            if !self.node_registered {
                return;
            }
        }
        let images: Vec<crate::kubelet::cri::ImageInfo> = Vec::new();
        update_node_status(
            ctx,
            env.api,
            &self.machine,
            &images,
            &mut self.last_status_report,
        );
    }

    /// One probe worker tick; a result change goes to the sync loop.
    pub(super) fn run_probe(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut KubeletEnv<'_>,
        key: WorkerKey,
    ) {
        // The pod and its status are borrowed, not copied: a probe runs every few seconds for
        // every probed container, and copying a control-plane pod's spec costs more than the
        // probe itself.
        let Some(pod) = self.pod_manager.pod_by_uid(&key.0) else {
            return;
        };
        let Some(period) = self.probes.period(&key) else {
            return;
        };
        let latest = newest_container(env.cri, &key.0, &key.1);
        let latest = latest.as_ref();
        let api = self.status_manager.get(&key.0);
        let started = api
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|all| all.iter().find(|c| c.name == key.1))
            .and_then(|c| c.started)
            .unwrap_or(false);
        let pod_ip = if crate::kubelet::container::is_host_network(pod) {
            self.machine.ip.clone()
        } else {
            newest_sandbox_ip(env.cri, &key.0).unwrap_or_default()
        };
        let view = ContainerView {
            pod,
            container_id: latest.map(|c| &*c.id),
            running_since: latest
                .filter(|c| c.state == ContainerState::Running)
                .and_then(|c| c.started_at),
            terminated_for_good: latest.is_some_and(|c| c.state == ContainerState::Exited)
                && crate::kubelet::container::restart_policy(pod) == "Never",
            started,
            pod_ip: &pod_ip,
            pod_terminal: matches!(
                api.and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            ),
        };
        let keep = self
            .probes
            .do_probe(ctx, &key, &view, env.cri, env.fs, &mut self.recorder);
        self.probe_updates.extend(self.probes.take_updates());
        if keep {
            self.outbox
                .push((ctx.now + period, KubeletTimer::Probe(key)));
        }
    }

    /// Writes recorded events to the API server; kept for a while when it is down.
    pub(super) fn flush_events(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        if !self.settings.has_api_client || !self.recorder.has_pending() {
            return;
        }
        let events = self.recorder.take(ctx.now);
        if env.api.check().is_err() {
            self.recorder.requeue(events);
            return;
        }
        let host = self.machine.name.clone();
        for event in &events {
            let _ = env.client.record_event(ctx, env.api, event, &host);
        }
    }
}

/// `removeContainer`: the container's log and legacy symlink go first, then the container.
fn remove_container(ctx: &Ctx<'_>, env: &mut KubeletEnv<'_>, id: &str) -> Result<(), String> {
    let info = env
        .cri
        .list_containers_filtered(&ContainerFilter {
            id: Some(id),
            ..ContainerFilter::default()
        })
        .into_iter()
        .next();
    if let Some(info) = info {
        crate::kubelet::logs::remove_container_log(env.fs, ctx.now, &info);
    }
    env.cri.remove_container(id)
}
