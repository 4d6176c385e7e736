//! TEMPORARY STUB (not committed): replaced by branch apivalidation.
use k8s_openapi::api::core::v1 as corev1;
/// stub
pub fn set_defaults_pod(_pod: &mut corev1::Pod) {}
