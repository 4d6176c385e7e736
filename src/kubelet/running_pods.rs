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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubelet::cri::SandboxConfig;
    use crate::node::runtime::{Runtime, PAUSE_IMAGE};
    use crate::sim::{Rng, SimTime};

    fn sandbox(name: &str, uid: &str) -> SandboxConfig {
        SandboxConfig {
            name: name.to_string(),
            namespace: "kube-system".to_string(),
            uid: uid.to_string(),
            attempt: 0,
            hostname: name.to_string(),
            host_network: true,
            ip: String::new(),
            labels: Default::default(),
            annotations: Default::default(),
        }
    }

    fn uids(pods: &BTreeSet<RunningPod>) -> Vec<&str> {
        pods.iter().map(|(uid, _, _)| uid.as_str()).collect()
    }

    #[test]
    fn a_listing_is_kept_until_the_runtime_changes() {
        let mut runtime = Runtime::new("10.0.0.10", 1000);
        runtime.preload_image(PAUSE_IMAGE).unwrap();
        let mut rng = Rng::seeded(1);
        let now = SimTime::ZERO;
        let mut running = RunningPods::default();
        let first = runtime
            .run_pod_sandbox(now, &mut rng, &sandbox("etcd", "u1"))
            .unwrap();
        assert_eq!(uids(running.list(&runtime)), ["u1"]);
        runtime
            .run_pod_sandbox(now, &mut rng, &sandbox("kube-apiserver", "u2"))
            .unwrap();
        assert_eq!(uids(running.list(&runtime)), ["u1", "u2"]);
        // A stopped sandbox is no longer ready, so its pod no longer runs.
        runtime.stop_pod_sandbox(now, &first).unwrap();
        assert_eq!(uids(running.list(&runtime)), ["u2"]);
        assert_eq!(
            running
                .list(&runtime)
                .first()
                .map(|(_, name, ns)| (name.as_str(), ns.as_str())),
            Some(("kube-apiserver", "kube-system"))
        );
    }
}
