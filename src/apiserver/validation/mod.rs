//! Mirrors `pkg/apis/core/validation` and the `k8s.io/apimachinery` validation helpers it
//! builds on (v1.34): the Pod API validation the kubelet runs on static pod manifests and the
//! emulated API server runs on every created pod, with Kubernetes' exact error wording.
//!
//! Layout: `field` (paths, field errors and how they print, aggregates, kubectl's Invalid
//! message), `names` (DNS-1123, qualified names, label values, ports, env var names),
//! `quantity` (resource quantities) and `pod` (`ValidatePodCreate`). Each file's header lists
//! what it mirrors and what it deliberately leaves out.

pub mod field;
pub mod names;
pub mod pod;
pub mod pod_update;
pub mod quantity;

pub use field::{
    aggregate, format_error_list, invalid_error_message, parse_steps, render_steps,
    status_invalid_message, BadValue, ErrorType, FieldError, Path, Step,
};
pub use names::{is_dns1123_label, is_dns1123_subdomain, is_qualified_name, is_valid_label_value};
pub use pod::{validate_pod_create, validate_pod_create_with, PodValidationOptions};
