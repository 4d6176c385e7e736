//! The kubelet's API client: the write paths whose server-side rules (admission, graceful
//! deletion, event deduplication) belong to the API server. The cluster wires in the API
//! server's implementation, so the kubelet does not depend on how the control plane does it.

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::{ApiError, ApiServer};
use crate::kubelet::context::Ctx;
use crate::kubelet::events::PendingEvent;

/// The API calls whose rules live in the API server.
pub trait ApiClient {
    /// POST a pod (admission applies: NodeRestriction for mirror pods, priority).
    fn create_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        api: &mut ApiServer,
        pod: corev1::Pod,
    ) -> Result<(), ApiError>;
    /// DELETE a pod with a grace period (`None`: the pod's own) and an optional UID
    /// precondition.
    fn delete_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        api: &mut ApiServer,
        namespace: &str,
        name: &str,
        grace: Option<i64>,
        uid: Option<&str>,
    ) -> Result<(), ApiError>;
    /// POST (or, for a repeat, PATCH) an event reported by the kubelet on `host`.
    fn record_event(
        &mut self,
        ctx: &mut Ctx<'_>,
        api: &mut ApiServer,
        event: &PendingEvent,
        host: &str,
    ) -> Result<(), ApiError>;
}
