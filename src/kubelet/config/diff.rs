//! What differs between two versions of a pod, field by field, for the event log: the mux's
//! records carry it so the UI can show why a message was an UPDATE, a RECONCILE, or a REMOVE
//! followed by an ADD. Upstream keeps no such record; it only compares (`checkAndUpdatePod`).

use k8s_openapi::api::core::v1 as corev1;
use serde_json::Value;

use crate::kubelet::config::config::LOCAL_ANNOTATIONS;
use crate::kubelet::types::pod_uid;
use crate::sim::trace::{FieldChange, PodChanges, MAX_CHANGES};

/// The longest value text a change keeps; longer ones are cut with `…`.
const MAX_VALUE_CHARS: usize = 80;

/// What differs from `before` to `after` in the parts the mux compares: the UID, labels,
/// annotations, deletion fields, spec and status. `paired` marks a REMOVE + ADD pair.
pub fn pod_changes(before: &corev1::Pod, after: &corev1::Pod, paired: bool) -> PodChanges {
    let old = comparable(before);
    let new = comparable(after);
    let mut fields = Vec::new();
    let mut total = 0;
    for path in [
        "metadata.uid",
        "metadata.labels",
        "metadata.annotations",
        "metadata.deletionTimestamp",
        "metadata.deletionGracePeriodSeconds",
        "spec",
        "status",
    ] {
        let pick = |v: &Value| path.split('.').try_fold(v, |v, key| v.get(key)).cloned();
        walk(
            path,
            pick(&old).as_ref(),
            pick(&new).as_ref(),
            &mut fields,
            &mut total,
        );
    }
    PodChanges {
        uid: pod_uid(after).to_string(),
        paired_uid: match paired {
            true => Some(pod_uid(before).to_string()),
            false => None,
        },
        more: total - fields.len(),
        fields,
    }
}

/// The pod as JSON without the annotations the kubelet sets on its own (the mux ignores them).
fn comparable(pod: &corev1::Pod) -> Value {
    let mut value = serde_json::to_value(pod).unwrap_or(Value::Null);
    if let Some(Value::Object(annotations)) = value.pointer_mut("/metadata/annotations") {
        for key in LOCAL_ANNOTATIONS {
            annotations.remove(key);
        }
    }
    value
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
                walk(&format!("{path}.{key}"), a.get(key), b.get(key), out, total);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for idx in 0..a.len().max(b.len()) {
                walk(
                    &format!("{path}[{idx}]"),
                    a.get(idx),
                    b.get(idx),
                    out,
                    total,
                );
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
