//! The pods the runtime runs, as housekeeping looks for orphans among them (upstream's
//! `runtimeCache.GetPods(false)`): a pod runs while any of its containers runs or its sandbox
//! is ready, so a pod whose image never pulled has only its sandbox.
//!
//! Housekeeping asks every 2 s and the answer changes only when the runtime's listing does, so
//! the answer is kept until the runtime's list revision moves (as the PLEG skips an unchanged
//! relist) instead of copying every container and sandbox each time.

use std::collections::BTreeSet;

use crate::kubelet::container::{
    ContainerState, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID,
};
use crate::kubelet::cri::{ContainerFilter, Cri};

/// A running pod as the runtime names it: UID, name, namespace.
pub type RunningPod = (String, String, String);

/// The last listing of running pods and the runtime revision it was made at.
#[derive(Debug, Clone, Default)]
pub struct RunningPods {
    listed: Option<u64>,
    pods: BTreeSet<RunningPod>,
}

impl RunningPods {
    /// Every running pod, ordered by UID, then name, then namespace. A container names its pod
    /// by its labels (empty when a label is missing), a sandbox by its config.
    pub fn list(&mut self, cri: &dyn Cri) -> &BTreeSet<RunningPod> {
        let revision = cri.list_revision();
        if revision.is_some() && revision == self.listed {
            return &self.pods;
        }
        self.listed = revision;
        self.pods.clear();
        let running = cri.list_containers_filtered(&ContainerFilter {
            state: Some(ContainerState::Running),
            ..ContainerFilter::default()
        });
        for container in running {
            let label = |k: &str| container.labels.get(k).cloned().unwrap_or_default();
            self.pods.insert((
                label(LABEL_POD_UID),
                label(LABEL_POD_NAME),
                label(LABEL_POD_NAMESPACE),
            ));
        }
        for sandbox in cri.list_pod_sandboxes() {
            if sandbox.ready {
                self.pods
                    .insert((sandbox.uid, sandbox.name, sandbox.namespace));
            }
        }
        &self.pods
    }
}
