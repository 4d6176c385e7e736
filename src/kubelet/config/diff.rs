//! What differs between two versions of a pod, field by field, for the event log: the mux's
//! records carry it so the UI can show why a message was an UPDATE, a RECONCILE, or a REMOVE
//! followed by an ADD. Upstream keeps no such record; it only compares (`checkAndUpdatePod`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use serde::Serialize;
use serde_json::Value;

use crate::kubelet::config::config::LOCAL_ANNOTATIONS;
use crate::kubelet::types::pod_uid;
use crate::sim::trace::{FieldChange, PodChanges, MAX_CHANGES};

/// The longest value text a change keeps; longer ones are cut with `…`.
const MAX_VALUE_CHARS: usize = 80;

/// What differs from `before` to `after` in the parts the mux compares: the UID, labels,
/// annotations, deletion fields, spec and status. `paired` marks a REMOVE + ADD pair.
///
/// Each part becomes JSON only when its typed values differ: equal values serialize to equal
/// JSON, in which the walk finds nothing, so the unchanged parts (most often the spec) are
/// never serialized.
pub fn pod_changes(before: &corev1::Pod, after: &corev1::Pod, paired: bool) -> PodChanges {
    let mut diff = Diff::default();
    let (old, new) = (&before.metadata, &after.metadata);
    diff.part("metadata.uid", old.uid.as_ref(), new.uid.as_ref());
    diff.part("metadata.labels", old.labels.as_ref(), new.labels.as_ref());
    diff.part(
        "metadata.annotations",
        comparable_annotations(old.annotations.as_ref()).as_ref(),
        comparable_annotations(new.annotations.as_ref()).as_ref(),
    );
    diff.part(
        "metadata.deletionTimestamp",
        old.deletion_timestamp.as_ref(),
        new.deletion_timestamp.as_ref(),
    );
    diff.part(
        "metadata.deletionGracePeriodSeconds",
        old.deletion_grace_period_seconds.as_ref(),
        new.deletion_grace_period_seconds.as_ref(),
    );
    diff.part("spec", before.spec.as_ref(), after.spec.as_ref());
    diff.status(before.status.as_ref(), after.status.as_ref());
    PodChanges {
        uid: pod_uid(after).to_string(),
        paired_uid: match paired {
            true => Some(pod_uid(before).to_string()),
            false => None,
        },
        more: diff.total - diff.fields.len(),
        fields: diff.fields,
    }
}

/// The changes found so far, and how many there were in all.
#[derive(Default)]
struct Diff {
    fields: Vec<FieldChange>,
    total: usize,
}

impl Diff {
    /// Walks one part of the pod (absent when the object has no such field).
    fn part<T: Serialize + PartialEq>(&mut self, path: &str, old: Option<&T>, new: Option<&T>) {
        if old == new {
            return;
        }
        let json = |v: &T| serde_json::to_value(v).ok();
        walk(
            path,
            old.and_then(json).as_ref(),
            new.and_then(json).as_ref(),
            &mut self.fields,
            &mut self.total,
        );
    }
}

impl Diff {
    /// Walks the status. Two statuses are walked field by field, each field becoming JSON only
    /// when its typed values differ: a status change is usually one or two fields (a container's
    /// state, a condition), and turning both whole statuses into JSON for every change was most
    /// of the diff's cost. The fields go in the JSON's key order, the order the walk of the whole
    /// objects visits them in, so the changes found and their order are the same.
    fn status(&mut self, old: Option<&corev1::PodStatus>, new: Option<&corev1::PodStatus>) {
        let (Some(old), Some(new)) = (old, new) else {
            self.part("status", old, new);
            return;
        };
        // Every field is named (no `..`): a field the type gains fails to compile here until it
        // is walked too.
        let corev1::PodStatus {
            conditions,
            container_statuses,
            ephemeral_container_statuses,
            extended_resource_claim_status,
            host_ip,
            host_ips,
            init_container_statuses,
            message,
            nominated_node_name,
            observed_generation,
            phase,
            pod_ip,
            pod_ips,
            qos_class,
            reason,
            resize,
            resource_claim_statuses,
            start_time,
        } = old;
        let n = new;
        self.part(
            "status.conditions",
            conditions.as_ref(),
            n.conditions.as_ref(),
        );
        self.part(
            "status.containerStatuses",
            container_statuses.as_ref(),
            n.container_statuses.as_ref(),
        );
        self.part(
            "status.ephemeralContainerStatuses",
            ephemeral_container_statuses.as_ref(),
            n.ephemeral_container_statuses.as_ref(),
        );
        self.part(
            "status.extendedResourceClaimStatus",
            extended_resource_claim_status.as_ref(),
            n.extended_resource_claim_status.as_ref(),
        );
        self.part("status.hostIP", host_ip.as_ref(), n.host_ip.as_ref());
        self.part("status.hostIPs", host_ips.as_ref(), n.host_ips.as_ref());
        self.part(
            "status.initContainerStatuses",
            init_container_statuses.as_ref(),
            n.init_container_statuses.as_ref(),
        );
        self.part("status.message", message.as_ref(), n.message.as_ref());
        self.part(
            "status.nominatedNodeName",
            nominated_node_name.as_ref(),
            n.nominated_node_name.as_ref(),
        );
        self.part(
            "status.observedGeneration",
            observed_generation.as_ref(),
            n.observed_generation.as_ref(),
        );
        self.part("status.phase", phase.as_ref(), n.phase.as_ref());
        self.part("status.podIP", pod_ip.as_ref(), n.pod_ip.as_ref());
        self.part("status.podIPs", pod_ips.as_ref(), n.pod_ips.as_ref());
        self.part("status.qosClass", qos_class.as_ref(), n.qos_class.as_ref());
        self.part("status.reason", reason.as_ref(), n.reason.as_ref());
        self.part("status.resize", resize.as_ref(), n.resize.as_ref());
        self.part(
            "status.resourceClaimStatuses",
            resource_claim_statuses.as_ref(),
            n.resource_claim_statuses.as_ref(),
        );
        self.part(
            "status.startTime",
            start_time.as_ref(),
            n.start_time.as_ref(),
        );
    }
}

/// The annotations without the ones the kubelet sets on its own (the mux ignores them); an
/// absent map stays absent and a map of only local keys becomes empty.
fn comparable_annotations(
    annotations: Option<&BTreeMap<String, String>>,
) -> Option<BTreeMap<&str, &str>> {
    annotations.map(|m| {
        m.iter()
            .filter(|(k, _)| !LOCAL_ANNOTATIONS.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    })
}

fn walk(
    path: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<FieldChange>,
    total: &mut usize,
) {
    if old == new {
        return;
    }
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let (old, new) = (a.get(key), b.get(key));
                // Equal entries add nothing; only a differing one needs its path.
                if old != new {
                    walk(&format!("{path}.{key}"), old, new, out, total);
                }
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for idx in 0..a.len().max(b.len()) {
                let (old, new) = (a.get(idx), b.get(idx));
                if old != new {
                    walk(&format!("{path}[{idx}]"), old, new, out, total);
                }
            }
        }
        _ => {
            *total += 1;
            if out.len() < MAX_CHANGES {
                out.push(FieldChange {
                    path: path.to_string(),
                    before: old.map(short),
                    after: new.map(short),
                });
            }
        }
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= MAX_VALUE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_VALUE_CHARS - 1).collect();
    cut + "…"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(uid: &str, image: &str) -> corev1::Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web", "namespace": "default", "uid": uid},
            "spec": {"containers": [{"name": "web", "image": image}]}
        }))
        .unwrap()
    }

    #[test]
    fn a_changed_image_and_uid_are_listed_by_path() {
        let changes = pod_changes(&pod("a", "nginx:1.27"), &pod("b", "nginx:1.28"), true);
        let text: Vec<String> = changes
            .fields
            .iter()
            .map(|f| format!("{} {:?} -> {:?}", f.path, f.before, f.after))
            .collect();
        assert_eq!(
            text,
            [
                r#"metadata.uid Some("\"a\"") -> Some("\"b\"")"#,
                r#"spec.containers[0].image Some("\"nginx:1.27\"") -> Some("\"nginx:1.28\"")"#,
            ]
        );
        assert_eq!(changes.uid, "b");
        assert_eq!(changes.paired_uid.as_deref(), Some("a"));
        assert_eq!(changes.more, 0);
    }

    #[test]
    fn a_status_walked_field_by_field_finds_what_walking_it_whole_finds() {
        let status = |value: serde_json::Value| -> corev1::PodStatus {
            serde_json::from_value(value).unwrap()
        };
        let before = status(serde_json::json!({
            "phase": "Running",
            "podIP": "10.0.0.5",
            "conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [{"name": "web", "image": "nginx", "imageID": "", "ready": true,
                "restartCount": 3, "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}}]
        }));
        let after = status(serde_json::json!({
            "phase": "Running",
            "hostIP": "10.0.0.1",
            "conditions": [{"type": "Ready", "status": "False"}],
            "containerStatuses": [{"name": "web", "image": "nginx", "imageID": "", "ready": false,
                "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]
        }));
        for (old, new) in [
            (Some(&before), Some(&after)),
            (Some(&after), Some(&before)),
            (None, Some(&after)),
            (Some(&before), None),
            (Some(&before), Some(&before)),
        ] {
            let mut by_field = Diff::default();
            by_field.status(old, new);
            let mut whole = Diff::default();
            whole.part("status", old, new);
            assert_eq!(by_field.fields, whole.fields);
            assert_eq!(by_field.total, whole.total);
        }
        let mut by_field = Diff::default();
        by_field.status(Some(&before), Some(&after));
        let paths: Vec<&str> = by_field.fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "status.conditions[0].status",
                "status.containerStatuses[0].ready",
                "status.containerStatuses[0].restartCount",
                "status.containerStatuses[0].state.running",
                "status.containerStatuses[0].state.waiting",
                "status.hostIP",
                "status.podIP",
            ]
        );
    }

    #[test]
    fn only_the_first_changes_are_kept_and_the_rest_counted() {
        let mut a = pod("a", "x");
        let mut b = pod("a", "x");
        let labels = |prefix: &str| {
            (0..20)
                .map(|i| (format!("k{i:02}"), format!("{prefix}{i}")))
                .collect()
        };
        a.metadata.labels = Some(labels("old"));
        b.metadata.labels = Some(labels("new"));
        let changes = pod_changes(&a, &b, false);
        assert_eq!(changes.fields.len(), MAX_CHANGES);
        assert_eq!(changes.more, 20 - MAX_CHANGES);
        assert_eq!(changes.fields[0].path, "metadata.labels.k00");
        assert_eq!(changes.paired_uid, None);
    }
}
