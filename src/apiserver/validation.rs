//! TEMPORARY STUB (not committed): replaced by branch apivalidation.
use k8s_openapi::api::core::v1 as corev1;
/// stub
#[derive(Debug)]
pub struct FieldError(pub String);
impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
/// stub
pub fn validate_pod_create(pod: &corev1::Pod) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if pod.spec.as_ref().is_none_or(|s| s.containers.is_empty()) {
        errs.push(FieldError("spec.containers: Required value".into()));
    }
    errs
}
