//! Mirrors `syncLoopIteration` and the pod handlers of `pkg/kubelet/kubelet.go` (v1.34): one
//! `select` over the config, PLEG, sync, housekeeping and probe channels, and
//! HandlePodAdditions/Updates/Removes/Reconcile/Syncs.
//!
//! Go's `select` picks a random ready case; here the pick is drawn from the simulation's seeded
//! random generator, so runs stay reproducible. Every iteration is recorded in the event log.

use k8s_openapi::api::core::v1 as corev1;

use crate::kubelet::context::Ctx;
use crate::kubelet::kubelet::{Kubelet, KubeletEnv};
use crate::kubelet::pleg::PlegEventType;
use crate::kubelet::pod_workers::{UpdatePodOptions, UpdateType};
use crate::kubelet::prober::{ProbeResult, ProbeType};
use std::borrow::Borrow;

use crate::kubelet::types::{is_mirror_pod, pod_ref, pod_refs, pod_uid, PodOp, SharedPod};
use crate::sim::trace::{Event, LogLine};

/// The channels of the sync loop's `select`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Config,
    Pleg,
    Sync,
    Probe,
    Housekeeping,
}

/// `format.Pods`-style list for klog: `["ns/name" "ns/name"]`.
fn klog_pods<P: Borrow<corev1::Pod>>(pods: &[P]) -> String {
    let items: Vec<String> = pods
        .iter()
        .map(|p| format!("{:?}", pod_ref(p.borrow()).to_string()))
        .collect();
    format!("[{}]", items.join(" "))
}

impl Kubelet {
    /// Runs iterations until no channel is ready (`syncLoop` minus the sleeping).
    pub(super) fn run_sync_loop(&mut self, ctx: &mut Ctx<'_>, env: &mut KubeletEnv<'_>) {
        loop {
            let mut ready = Vec::new();
            if self.pod_config.has_updates() {
                ready.push(Channel::Config);
            }
            if !self.pleg_events.is_empty() {
                ready.push(Channel::Pleg);
            }
            if self.sync_tick_ready {
                ready.push(Channel::Sync);
            }
            if !self.probe_updates.is_empty() {
                ready.push(Channel::Probe);
            }
            if self.housekeeping_ready {
                ready.push(Channel::Housekeeping);
            }
            if ready.is_empty() {
                return;
            }
            let pick = ready[ctx.rng.below(ready.len() as u64) as usize];
            self.sync_loop_iteration(ctx, env, pick);
        }
    }

    fn record_iteration<P: Borrow<corev1::Pod>>(
        ctx: &mut Ctx<'_>,
        channel: &'static str,
        handler: &'static str,
        pods: &[P],
    ) {
        ctx.record(Event::SyncLoopIteration {
            channel,
            handler,
            pods: pod_refs(pods),
        });
    }

    fn sync_loop_iteration(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut KubeletEnv<'_>,
        channel: Channel,
    ) {
        match channel {
            Channel::Config => {
                let Some(update) = self.pod_config.next_update() else {
                    return;
                };
                let (handler, verbosity, caller) = match update.op {
                    PodOp::Add => ("HandlePodAdditions", 2, "kubelet.go:2424"),
                    PodOp::Update => ("HandlePodUpdates", 2, "kubelet.go:2430"),
                    PodOp::Remove => ("HandlePodRemoves", 2, "kubelet.go:2433"),
                    PodOp::Reconcile => ("HandlePodReconcile", 4, "kubelet.go:2436"),
                    PodOp::Delete => ("HandlePodUpdates", 2, "kubelet.go:2439"),
                    PodOp::Set => ("", 0, "kubelet.go:2443"),
                };
                if update.op == PodOp::Set {
                    ctx.log(LogLine::error(
                        caller,
                        "Kubelet does not support snapshot update",
                    ));
                } else {
                    ctx.log(
                        LogLine::info(verbosity, caller, format!("SyncLoop {}", update.op))
                            .with("source", &update.source)
                            .with_raw("pods", klog_pods(&update.pods)),
                    );
                    Self::record_iteration(ctx, "config", handler, &update.pods);
                }
                match update.op {
                    PodOp::Add => self.handle_pod_additions(ctx, update.pods),
                    PodOp::Update | PodOp::Delete => self.handle_pod_updates(ctx, update.pods),
                    PodOp::Remove => self.handle_pod_removes(ctx, env, update.pods),
                    PodOp::Reconcile => self.handle_pod_reconcile(update.pods),
                    PodOp::Set => (),
                }
                self.sources_ready.add_source(&update.source);
            }
            Channel::Pleg => {
                let Some(event) = self.pleg_events.pop_front() else {
                    return;
                };
                let pod = self.pod_manager.pod_by_uid(&event.pod_uid).cloned();
                if event.event_type != PlegEventType::ContainerRemoved {
                    match pod {
                        Some(pod) => {
                            ctx.log(
                                LogLine::info(
                                    2,
                                    "kubelet.go:2474",
                                    "SyncLoop (PLEG): event for pod",
                                )
                                .with("pod", pod_ref(&pod).to_string())
                                .with_raw(
                                    "event",
                                    format!(
                                        "{{\"ID\":\"{}\",\"Type\":\"{}\",\"Data\":\"{}\"}}",
                                        event.pod_uid,
                                        event.event_type.as_str(),
                                        event.container_id
                                    ),
                                ),
                            );
                            Self::record_iteration(
                                ctx,
                                "pleg",
                                "HandlePodSyncs",
                                std::slice::from_ref(&pod),
                            );
                            self.handle_pod_syncs(ctx, vec![pod]);
                        }
                        None => ctx.log(
                            LogLine::info(
                                4,
                                "kubelet.go:2479",
                                "SyncLoop (PLEG): pod does not exist, ignore irrelevant event",
                            )
                            .with_raw(
                                "event",
                                format!(
                                    "{{\"ID\":\"{}\",\"Type\":\"{}\",\"Data\":\"{}\"}}",
                                    event.pod_uid,
                                    event.event_type.as_str(),
                                    event.container_id
                                ),
                            ),
                        ),
                    }
                }
                if event.event_type == PlegEventType::ContainerDied {
                    self.clean_up_containers_in_pod(ctx, env, &event.pod_uid, &event.container_id);
                }
            }
            Channel::Sync => {
                self.sync_tick_ready = false;
                let due = self.pod_workers.take_due(ctx.now);
                let pods: Vec<SharedPod> = due
                    .iter()
                    .filter_map(|uid| self.pod_manager.pod_by_uid(uid).cloned())
                    .collect();
                if pods.is_empty() {
                    return;
                }
                ctx.log(
                    LogLine::info(4, "kubelet.go:2496", "SyncLoop (SYNC) pods")
                        .with_raw("total", pods.len().to_string())
                        .with_raw("pods", klog_pods(&pods)),
                );
                Self::record_iteration(ctx, "sync", "HandlePodSyncs", &pods);
                self.handle_pod_syncs(ctx, pods);
            }
            Channel::Probe => {
                let Some(update) = self.probe_updates.pop_front() else {
                    return;
                };
                let Some(pod) = self.pod_manager.pod_by_uid(&update.pod_uid).cloned() else {
                    return;
                };
                let (channel, status) = match (update.probe_type, update.result) {
                    (ProbeType::Liveness, ProbeResult::Failure) => ("liveness", "unhealthy"),
                    (ProbeType::Liveness, ProbeResult::Success) => return,
                    (ProbeType::Readiness, ProbeResult::Success) => ("readiness", "ready"),
                    (ProbeType::Readiness, ProbeResult::Failure) => ("readiness", "not ready"),
                    (ProbeType::Startup, ProbeResult::Success) => ("startup", "started"),
                    (ProbeType::Startup, ProbeResult::Failure) => ("startup", "unhealthy"),
                };
                ctx.log(
                    LogLine::info(1, "kubelet.go:2581", "SyncLoop (probe)")
                        .with("probe", channel)
                        .with("status", status)
                        .with("pod", pod_ref(&pod).to_string()),
                );
                Self::record_iteration(ctx, channel, "HandlePodSyncs", std::slice::from_ref(&pod));
                self.handle_pod_syncs(ctx, vec![pod]);
            }
            Channel::Housekeeping => {
                self.housekeeping_ready = false;
                if !self.sources_ready.all_ready(ctx, &self.pod_config) {
                    ctx.log(LogLine::info(
                        4,
                        "kubelet.go:2540",
                        "SyncLoop (housekeeping, skipped): sources aren't ready yet",
                    ));
                    return;
                }
                ctx.log(LogLine::info(
                    4,
                    "kubelet.go:2545",
                    "SyncLoop (housekeeping)",
                ));
                Self::record_iteration::<corev1::Pod>(
                    ctx,
                    "housekeeping",
                    "HandlePodCleanups",
                    &[],
                );
                self.handle_pod_cleanups(ctx, env);
                ctx.log(LogLine::info(
                    4,
                    "kubelet.go:2555",
                    "SyncLoop (housekeeping) end",
                ));
            }
        }
    }

    /// `HandlePodAdditions`: oldest first; a mirror pod syncs its static pod, anything else
    /// is admitted and handed to a worker.
    fn handle_pod_additions(&mut self, ctx: &mut Ctx<'_>, mut pods: Vec<SharedPod>) {
        pods.sort_by(|a, b| {
            let created = |p: &corev1::Pod| {
                p.metadata
                    .creation_timestamp
                    .as_ref()
                    .map(|t| t.0.as_millisecond())
                    .unwrap_or(i64::MIN)
            };
            created(a).cmp(&created(b))
        });
        for pod in pods {
            self.pod_manager.update_pod(pod.clone());
            let (pod, mirror, was_mirror) = self.pod_manager.pod_and_mirror(&pod);
            if was_mirror {
                match pod {
                    Some(pod) => self
                        .pod_workers
                        .update_pod(ctx, UpdatePodOptions::new(UpdateType::Update, pod, mirror)),
                    None => ctx.log(
                        LogLine::info(
                            2,
                            "kubelet.go:2640",
                            "Unable to find pod for mirror pod, skipping",
                        )
                        .with(
                            "mirrorPod",
                            mirror
                                .as_ref()
                                .map(|m| pod_ref(m).to_string())
                                .unwrap_or_default(),
                        ),
                    ),
                }
                continue;
            }
            let Some(pod) = pod else {
                continue;
            };
            let uid = pod_uid(&pod).to_string();
            let terminal = matches!(
                pod.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            );
            if !self.pod_workers.is_termination_requested(&uid) && !terminal {
                let started = self.probes.add_pod(&pod);
                for key in started {
                    self.outbox
                        .push((ctx.now, crate::kubelet::kubelet::KubeletTimer::Probe(key)));
                }
            }
            self.pod_workers
                .update_pod(ctx, UpdatePodOptions::new(UpdateType::Create, pod, mirror));
        }
    }

    /// `HandlePodUpdates` (also DELETE, "treated as a UPDATE because of graceful deletion").
    fn handle_pod_updates(&mut self, ctx: &mut Ctx<'_>, pods: Vec<SharedPod>) {
        for pod in pods {
            self.pod_manager.update_pod(pod.clone());
            let (pod, mirror, _) = self.pod_manager.pod_and_mirror(&pod);
            match pod {
                Some(pod) => self
                    .pod_workers
                    .update_pod(ctx, UpdatePodOptions::new(UpdateType::Update, pod, mirror)),
                None => ctx.log(
                    LogLine::info(
                        2,
                        "kubelet.go:2677",
                        "Unable to find pod for mirror pod, skipping",
                    )
                    .with(
                        "mirrorPod",
                        mirror
                            .as_ref()
                            .map(|m| pod_ref(m).to_string())
                            .unwrap_or_default(),
                    ),
                ),
            }
        }
    }

    /// `HandlePodRemoves`: a removed mirror resyncs its static pod (with the stale mirror, so a
    /// force-deleted mirror comes back only at the next sync); anything else is killed.
    fn handle_pod_removes(
        &mut self,
        ctx: &mut Ctx<'_>,
        env: &mut KubeletEnv<'_>,
        pods: Vec<SharedPod>,
    ) {
        for pod in pods {
            self.pod_manager.remove_pod(&pod);
            if is_mirror_pod(&pod) {
                match self.pod_manager.pod_of_mirror(&pod).cloned() {
                    Some(static_pod) => self.pod_workers.update_pod(
                        ctx,
                        UpdatePodOptions::new(UpdateType::Update, static_pod, Some(pod)),
                    ),
                    None => ctx.log(
                        LogLine::info(
                            2,
                            "kubelet.go:2701",
                            "Unable to find pod for mirror pod, skipping",
                        )
                        .with("mirrorPod", pod_ref(&pod).to_string()),
                    ),
                }
                continue;
            }
            self.delete_pod(ctx, env, pod);
        }
    }

    /// `deletePod`: hands the pod to its worker to be killed, once every source is ready.
    pub(super) fn delete_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        _env: &mut KubeletEnv<'_>,
        pod: SharedPod,
    ) {
        if !self.sources_ready.all_ready(ctx, &self.pod_config) {
            ctx.log(
                LogLine::info(2, "kubelet.go:2712", "Failed to delete pod")
                    .with("pod", pod_ref(&pod).to_string())
                    .with("err", "skipping delete because sources aren't ready yet"),
            );
            return;
        }
        ctx.log(
            LogLine::info(
                3,
                "kubelet.go:2187",
                "Pod has been deleted and must be killed",
            )
            .with("pod", pod_ref(&pod).to_string())
            .with("podUID", pod_uid(&pod)),
        );
        self.probes.remove_pod(pod_uid(&pod));
        self.pod_workers
            .update_pod(ctx, UpdatePodOptions::new(UpdateType::Kill, pod, None));
    }

    /// `HandlePodReconcile`: the pod manager takes the new status; nothing else to do for the
    /// pods this kubelet runs.
    fn handle_pod_reconcile(&mut self, pods: Vec<SharedPod>) {
        for pod in pods {
            self.pod_manager.update_pod(pod);
        }
    }

    /// `HandlePodSyncs`.
    pub(super) fn handle_pod_syncs(&mut self, ctx: &mut Ctx<'_>, pods: Vec<SharedPod>) {
        for pod in pods {
            let (pod, mirror, was_mirror) = self.pod_manager.pod_and_mirror(&pod);
            if was_mirror {
                continue;
            }
            let Some(pod) = pod else {
                continue;
            };
            self.pod_workers
                .update_pod(ctx, UpdatePodOptions::new(UpdateType::Sync, pod, mirror));
        }
    }
}
