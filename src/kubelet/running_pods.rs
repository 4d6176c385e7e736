//! The pods the runtime runs, as housekeeping looks for orphans among them (upstream's
//! `runtimeCache.GetPods(false)`): a pod runs while any of its containers runs or its sandbox
//! is ready, so a pod whose image never pulled has only its sandbox.
//!
//! Housekeeping asks every 2 s and the answer changes only when the runtime's listing does, so
//! the answer is kept until the runtime's list revision moves (as the PLEG skips an unchanged
//! relist) instead of copying every container and sandbox each time.

use std::collections::BTreeSet;

use crate::kubelet::container::ContainerState;
use crate::kubelet::cri::{Cri, ListedRef};

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
        // Borrowed from the runtime and compared first: crash-looping pods move the revision
        // all the time while the set of running pods stays the same.
        let mut running: Vec<(&str, &str, &str)> = Vec::new();
        cri.visit_listing(&mut |listed| {
            let runs = match listed {
                ListedRef::Sandbox { ready, .. } => ready,
                ListedRef::Container { state, .. } => state == ContainerState::Running,
            };
            if runs {
                running.push((listed.pod_uid(), listed.pod_name(), listed.pod_namespace()));
            }
        });
        running.sort_unstable();
        running.dedup();
        let unchanged = running.len() == self.pods.len()
            && running
                .iter()
                .zip(&self.pods)
                .all(|(&(uid, name, ns), (u, n, s))| uid == u && name == n && ns == s);
        if !unchanged {
            self.pods = running
                .into_iter()
                .map(|(uid, name, ns)| (uid.to_string(), name.to_string(), ns.to_string()))
                .collect();
        }
        &self.pods
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubelet::container::{LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID};
    use crate::kubelet::cri::{ContainerConfig, SandboxConfig};
    use crate::node::fs::Fs;
    use crate::node::runtime::fixtures;
    use crate::sim::{Rng, SimDuration, SimTime};

    fn sandbox(name: &str, uid: &str) -> SandboxConfig {
        fixtures::sandbox(name, "kube-system", uid)
    }

    fn uids(pods: &BTreeSet<RunningPod>) -> Vec<&str> {
        pods.iter().map(|(uid, _, _)| uid.as_str()).collect()
    }

    #[test]
    fn a_listing_is_kept_until_the_runtime_changes() {
        let mut runtime = fixtures::runtime();
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

    #[test]
    fn a_running_container_names_its_pod_by_its_labels() {
        let mut runtime = fixtures::runtime();
        let mut rng = Rng::seeded(1);
        let mut fs = Fs::default();
        let now = SimTime::ZERO;
        let mut running = RunningPods::default();
        let sb = runtime
            .run_pod_sandbox(now, &mut rng, &sandbox("web", "u1"))
            .unwrap();
        let labelled = |uid: &str, name: Option<&str>| -> ContainerConfig {
            let mut labels = vec![(LABEL_POD_UID, uid)];
            if let Some(name) = name {
                labels.extend([(LABEL_POD_NAME, name), (LABEL_POD_NAMESPACE, "team")]);
            }
            fixtures::container(&format!("c-{uid}"), &labels)
        };
        let named = runtime
            .create_container(now, &mut rng, &sb, &labelled("u0", Some("api")))
            .unwrap();
        let unnamed = runtime
            .create_container(now, &mut rng, &sb, &labelled("u2", None))
            .unwrap();
        // Created containers do not run yet.
        assert_eq!(uids(running.list(&runtime)), ["u1"]);
        runtime.start_container(now, &named, &mut fs).unwrap();
        runtime.start_container(now, &unnamed, &mut fs).unwrap();
        let all: Vec<(&str, &str, &str)> = running
            .list(&runtime)
            .iter()
            .map(|(u, n, ns)| (u.as_str(), n.as_str(), ns.as_str()))
            .collect();
        assert_eq!(
            all,
            [
                ("u0", "api", "team"),
                ("u1", "web", "kube-system"),
                ("u2", "", "")
            ]
        );
        // An exited container's pod no longer runs.
        runtime
            .stop_container(now, &named, SimDuration::ZERO)
            .unwrap();
        assert_eq!(uids(running.list(&runtime)), ["u1", "u2"]);
    }
}
