//! The kubelets' API client: their writes go through the control plane's admission, graceful
//! deletion and event recording, as a real kubelet's go through the API server.

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::admission::{PodStrategy, Requester};
use crate::apiserver::deletion::{delete_pod, DeleteOptions};
use crate::apiserver::events::{record_event, EventSource, EventType, NewEvent};
use crate::apiserver::validation::{invalid_error_message, validate_pod_create};
use crate::apiserver::{defaults, ApiError, ApiServer, ControlPlane};
use crate::kubelet::client::ApiClient;
use crate::kubelet::context::Ctx;
use crate::kubelet::events::PendingEvent;

/// The pod strategy every pod create uses: upstream's defaulting and validation.
pub const POD_STRATEGY: PodStrategy = PodStrategy {
    default: defaults::set_defaults_pod,
    validate: |pod| {
        let errors = validate_pod_create(pod);
        if errors.is_empty() {
            Ok(())
        } else {
            let name = pod.metadata.name.clone().unwrap_or_default();
            Err(invalid_error_message("Pod", &name, &errors))
        }
    },
};

/// A kubelet's client, authenticated as `system:node:<node>`.
pub struct NodeClient<'a> {
    /// The control plane whose rules apply.
    pub control: &'a ControlPlane,
    /// The node the kubelet runs on.
    pub node: &'a str,
}

impl ApiClient for NodeClient<'_> {
    fn create_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        api: &mut ApiServer,
        pod: corev1::Pod,
    ) -> Result<(), ApiError> {
        self.control
            .create_pod(ctx.now, ctx.rng, api, Requester::Node(self.node), &pod)
            .map(|_| ())
    }

    fn delete_pod(
        &mut self,
        ctx: &mut Ctx<'_>,
        api: &mut ApiServer,
        namespace: &str,
        name: &str,
        grace: Option<i64>,
        uid: Option<&str>,
    ) -> Result<(), ApiError> {
        let options = DeleteOptions {
            grace_period_seconds: grace,
            precondition_uid: uid.map(String::from),
        };
        delete_pod(ctx.now, api, namespace, name, &options).map(|_| ())
    }

    fn record_event(
        &mut self,
        ctx: &mut Ctx<'_>,
        api: &mut ApiServer,
        event: &PendingEvent,
        host: &str,
    ) -> Result<(), ApiError> {
        let object = &event.object;
        let involved = corev1::ObjectReference {
            kind: Some(object.kind.clone()),
            api_version: Some("v1".into()),
            namespace: (!object.namespace.is_empty()).then(|| object.namespace.clone()),
            name: Some(object.name.clone()),
            uid: (!object.uid.is_empty()).then(|| object.uid.clone()),
            field_path: (!object.field_path.is_empty()).then(|| object.field_path.clone()),
            resource_version: None,
        };
        let event_type = if event.event_type == "Warning" {
            EventType::Warning
        } else {
            EventType::Normal
        };
        record_event(
            event.at.max(ctx.now),
            ctx.rng,
            api,
            &EventSource {
                component: "kubelet",
                host,
            },
            &NewEvent {
                involved: &involved,
                event_type,
                reason: &event.reason,
                message: &event.message,
            },
        )
        .map(|_| ())
    }
}
