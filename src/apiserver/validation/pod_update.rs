//! `ValidatePodUpdate`'s spec rule: a pod's spec is immutable except for the containers' and
//! init containers' images, `activeDeadlineSeconds` (set, or lowered), tolerations (added
//! only) and `terminationGracePeriodSeconds` (to 1 when it was negative).
//!
//! Mirrors (v1.34): `pkg/apis/core/validation/validation.go` `ValidatePodUpdate` (the
//! "munged" spec compared with the old one), `validateOnlyAddedTolerations` and the mirror
//! pod part of `ValidatePodSpecificAnnotationUpdates` (the annotation may not be added,
//! changed or removed).
//!
//! Simplified: the feature-gated in-place changes (resources with `InPlacePodVertical
//! Scaling`, scheduling gates, ephemeral containers through their subresource) are not
//! modelled; they count as forbidden changes here.

use k8s_openapi::api::core::v1 as corev1;

use super::field::{BadValue, FieldError, Path};

/// The message upstream prints when anything else changed.
const FORBIDDEN: &str = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// The annotation that makes a pod a mirror pod.
const MIRROR_POD_ANNOTATION_KEY: &str = "kubernetes.io/config.mirror";

/// `ValidatePodSpecificAnnotationUpdates`, for the mirror pod annotation.
fn mirror_annotation_update(new: &corev1::Pod, old: &corev1::Pod) -> Vec<FieldError> {
    let get = |pod: &corev1::Pod| {
        pod.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(MIRROR_POD_ANNOTATION_KEY))
            .cloned()
    };
    let path = Path::new("metadata")
        .child("annotations")
        .key(MIRROR_POD_ANNOTATION_KEY);
    match (get(old), get(new)) {
        (Some(o), n) if n.as_ref() != Some(&o) => vec![FieldError::forbidden(
            &path,
            "may not remove or update mirror pod annotation",
        )],
        (None, Some(_)) => vec![FieldError::forbidden(
            &path,
            "may not add mirror pod annotation",
        )],
        _ => Vec::new(),
    }
}

/// The field errors of updating `old` to `new` (both defaulted); empty when allowed.
pub fn validate_pod_update(new: &corev1::Pod, old: &corev1::Pod) -> Vec<FieldError> {
    let mut errs = mirror_annotation_update(new, old);
    let spec = Path::new("spec");
    let (Some(new_spec), Some(old_spec)) = (&new.spec, &old.spec) else {
        return errs;
    };
    let deadline = spec.child("activeDeadlineSeconds");
    match (
        new_spec.active_deadline_seconds,
        old_spec.active_deadline_seconds,
    ) {
        (Some(n), _) if !(0..=i64::from(i32::MAX)).contains(&n) => errs.push(FieldError::invalid(
            &deadline,
            BadValue::Int(n),
            "must be between 0 and 2147483647, inclusive",
        )),
        (Some(n), Some(o)) if n > o => errs.push(FieldError::invalid(
            &deadline,
            BadValue::Int(n),
            "must be less than or equal to previous value",
        )),
        (None, Some(_)) => errs.push(FieldError::invalid(
            &deadline,
            BadValue::null(),
            "must not update from a positive integer to nil value",
        )),
        _ => (),
    }
    let tolerations = spec.child("tolerations");
    let old_tolerations = old_spec.tolerations.clone().unwrap_or_default();
    let new_tolerations = new_spec.tolerations.clone().unwrap_or_default();
    for (idx, kept) in old_tolerations.iter().enumerate() {
        if !new_tolerations.contains(kept) {
            errs.push(FieldError::forbidden(
                &tolerations.index(idx),
                "existing toleration can not be modified except its tolerationSeconds",
            ));
        }
    }
    // The munged spec: the old one with every allowed change of the new one applied.
    let mut munged = old_spec.clone();
    for (old_c, new_c) in munged.containers.iter_mut().zip(&new_spec.containers) {
        old_c.image = new_c.image.clone();
    }
    if let (Some(old_init), Some(new_init)) =
        (&mut munged.init_containers, &new_spec.init_containers)
    {
        for (old_c, new_c) in old_init.iter_mut().zip(new_init) {
            old_c.image = new_c.image.clone();
        }
    }
    munged.active_deadline_seconds = new_spec.active_deadline_seconds;
    munged.tolerations = new_spec.tolerations.clone();
    if old_spec
        .termination_grace_period_seconds
        .is_some_and(|g| g < 0)
        && new_spec.termination_grace_period_seconds == Some(1)
    {
        munged.termination_grace_period_seconds = Some(1);
    }
    if munged != *new_spec {
        errs.push(FieldError::forbidden(&spec, FORBIDDEN));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(image: &str) -> corev1::Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "web", "image": image}],
                     "tolerations": [{"key": "a", "operator": "Exists"}]}
        }))
        .unwrap()
    }

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn images_deadlines_and_added_tolerations_may_change() {
        let old = pod("nginx:1.26");
        let mut new = pod("nginx:1.27");
        assert!(validate_pod_update(&new, &old).is_empty(), "an image");
        let spec = new.spec.as_mut().unwrap();
        spec.active_deadline_seconds = Some(60);
        spec.tolerations.as_mut().unwrap().push(
            serde_json::from_value(serde_json::json!({"key": "b", "operator": "Exists"})).unwrap(),
        );
        assert!(
            validate_pod_update(&new, &old).is_empty(),
            "{:?}",
            messages(&validate_pod_update(&new, &old))
        );
    }

    #[test]
    fn anything_else_is_forbidden_in_upstreams_words() {
        let old = pod("nginx:1.27");
        let mut new = pod("nginx:1.27");
        new.spec.as_mut().unwrap().containers[0].command = Some(vec!["sleep".into()]);
        let errs = messages(&validate_pod_update(&new, &old));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"), "{errs:?}");

        let mut fewer = pod("nginx:1.27");
        fewer.spec.as_mut().unwrap().tolerations = None;
        let errs = messages(&validate_pod_update(&fewer, &old));
        assert!(
            errs[0].contains(
                "spec.tolerations[0]: Forbidden: existing toleration can not be modified"
            ),
            "{errs:?}"
        );

        let mut deadline = old.clone();
        deadline.spec.as_mut().unwrap().active_deadline_seconds = Some(30);
        let mut longer = deadline.clone();
        longer.spec.as_mut().unwrap().active_deadline_seconds = Some(60);
        let errs = messages(&validate_pod_update(&longer, &deadline));
        assert_eq!(errs, ["spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value"]);
    }

    #[test]
    fn the_mirror_pod_annotation_may_not_be_added_changed_or_removed() {
        let plain = pod("nginx:1.27");
        let mut mirror = plain.clone();
        mirror.metadata.annotations =
            Some([(MIRROR_POD_ANNOTATION_KEY.to_string(), "abc".to_string())].into());
        let mut changed = mirror.clone();
        changed.metadata.annotations =
            Some([(MIRROR_POD_ANNOTATION_KEY.to_string(), "x".to_string())].into());
        let path = "metadata.annotations[kubernetes.io/config.mirror]: Forbidden: ";
        assert_eq!(
            messages(&validate_pod_update(&changed, &mirror)),
            [format!(
                "{path}may not remove or update mirror pod annotation"
            )]
        );
        assert_eq!(
            messages(&validate_pod_update(&plain, &mirror)),
            [format!(
                "{path}may not remove or update mirror pod annotation"
            )]
        );
        assert_eq!(
            messages(&validate_pod_update(&mirror, &plain)),
            [format!("{path}may not add mirror pod annotation")]
        );
        assert!(validate_pod_update(&mirror, &mirror).is_empty());
    }
}
