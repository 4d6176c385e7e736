//! TEMPORARY STUB (not committed): replaced by branch apivalidation.
use k8s_openapi::api::core::v1 as corev1;
/// stub
pub fn api_object_reference(_pod: &corev1::Pod) -> Option<String> {
    None
}
