//! The EndpointSlice controller: every Service with a selector gets an EndpointSlice
//! (`<service>-<suffix>`, owned by the Service) listing each of its pods with its readiness.
//!
//! Mirrors (v1.34) `pkg/controller/endpointslice/endpointslice_controller.go` and
//! `staging/src/k8s.io/endpointslice/reconciler.go` + `utils.go` (`podToEndpoint`: conditions
//! ready / serving / terminating, nodeName, targetRef; `getEndpointPorts` in the Service's
//! port order; labels copied from the Service plus `kubernetes.io/service-name` and
//! `endpointslice.kubernetes.io/managed-by`; a controller owner reference to the Service, so
//! the garbage collector removes the slices of a deleted Service).
//!
//! Simplifications: one slice per Service (upstream splits at 100 endpoints and by port set);
//! no zone hints and no `last-change-trigger-time` annotation.

use k8s_openapi::api::core::v1 as corev1;
use serde_json::{json, Value};

use crate::apiserver::controllers::endpoints::{backends, Backend};
use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::registry::create_object;
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// The label naming a slice's Service.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// The label naming the controller that manages a slice.
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
/// This controller's value of [`MANAGED_BY_LABEL`].
pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";

/// One pass: the slice of every Service with a selector is created or brought up to date.
pub fn sync_all(now: SimTime, rng: &mut Rng, api: &mut ApiServer) -> Result<(), ApiError> {
    api.check()?;
    let services: Vec<corev1::Service> = api.list(Resource::Services, None)?;
    let slices = api.list_values(Resource::EndpointSlices, None)?;
    for service in &services {
        let Some(selector) = service.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
            continue;
        };
        let namespace = service.metadata.namespace.clone().unwrap_or_default();
        let name = service.metadata.name.clone().unwrap_or_default();
        let backends = backends(api, service, selector)?;
        let desired = slice_for(service, &backends);
        let current = slices.iter().find(|s| {
            s.at("/metadata/namespace").and_then(Value::as_str) == Some(namespace.as_str())
                && s.at("/metadata/labels")
                    .and_then(|l| l.get(SERVICE_NAME_LABEL))
                    .and_then(Value::as_str)
                    == Some(name.as_str())
                && s.at("/metadata/labels")
                    .and_then(|l| l.get(MANAGED_BY_LABEL))
                    .and_then(Value::as_str)
                    == Some(MANAGED_BY)
        });
        match current {
            None => {
                create_object(now, rng, api, Resource::EndpointSlices, &desired)?;
            }
            Some(current) => {
                let same = ["endpoints", "ports"]
                    .iter()
                    .all(|f| current.get(*f) == desired.get(*f))
                    && current.at("/metadata/labels") == desired.at("/metadata/labels")
                    && current.at("/metadata/ownerReferences")
                        == desired.at("/metadata/ownerReferences");
                if same {
                    continue;
                }
                let mut updated = current.clone();
                for field in ["endpoints", "ports"] {
                    updated[field] = desired[field].clone();
                }
                updated["metadata"]["labels"] = desired["metadata"]["labels"].clone();
                updated["metadata"]["ownerReferences"] =
                    desired["metadata"]["ownerReferences"].clone();
                api.update(Resource::EndpointSlices, &updated)?;
            }
        }
    }
    Ok(())
}

/// The slice the Service should have (named by the API server from `generateName`).
fn slice_for(service: &corev1::Service, backends: &[Backend]) -> Value {
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let name = service.metadata.name.clone().unwrap_or_default();
    let mut labels = service.metadata.labels.clone().unwrap_or_default();
    labels.insert(SERVICE_NAME_LABEL.to_string(), name.clone());
    labels.insert(MANAGED_BY_LABEL.to_string(), MANAGED_BY.to_string());
    let service_ports = service
        .spec
        .as_ref()
        .and_then(|s| s.ports.clone())
        .unwrap_or_default();
    let ports: Vec<Value> = service_ports
        .iter()
        .enumerate()
        .filter_map(|(idx, port)| {
            let number = backends
                .iter()
                .find_map(|b| b.ports.get(idx).copied().flatten())?;
            Some(json!({
                "name": port.name.clone().unwrap_or_default(),
                "port": number,
                "protocol": port.protocol.as_deref().unwrap_or("TCP"),
            }))
        })
        .collect();
    let endpoints: Vec<Value> = backends
        .iter()
        .map(|b| {
            let mut endpoint = json!({
                "addresses": [b.ip],
                "conditions": {
                    "ready": b.ready,
                    "serving": b.serving,
                    "terminating": b.terminating,
                },
                "targetRef": b.target_ref,
            });
            if let Some(node) = &b.node_name {
                endpoint["nodeName"] = json!(node);
            }
            endpoint
        })
        .collect();
    json!({
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": format!("{name}-"),
            "namespace": namespace,
            "labels": labels,
            "ownerReferences": [{
                "apiVersion": "v1",
                "kind": "Service",
                "name": name,
                "uid": service.metadata.uid,
                "controller": true,
                "blockOwnerDeletion": true,
            }],
        },
        "addressType": "IPv4",
        "endpoints": endpoints,
        "ports": ports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::testutil::two_node_cluster;

    #[test]
    fn a_service_gets_one_slice_with_every_pod_and_its_readiness() {
        let (mut api, mut rng) = two_node_cluster();
        let service = json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]},
        });
        create_object(
            SimTime::ZERO,
            &mut rng,
            &mut api,
            Resource::Services,
            &service,
        )
        .unwrap();
        let pod = json!({
            "metadata": {"name": "web-1", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"nodeName": "node01", "containers": [{"name": "web", "image": "nginx"}]},
            "status": {"phase": "Running", "podIP": "192.168.1.7",
                "conditions": [{"type": "Ready", "status": "False"}]},
        });
        api.create(SimTime::ZERO, &mut rng, Resource::Pods, &pod)
            .unwrap();
        sync_all(SimTime::ZERO, &mut rng, &mut api).unwrap();
        let slices = api
            .list_values(Resource::EndpointSlices, Some("default"))
            .unwrap();
        assert_eq!(slices.len(), 1);
        let slice = &slices[0];
        assert!(slice["metadata"]["name"]
            .as_str()
            .unwrap()
            .starts_with("web-"));
        assert_eq!(slice["metadata"]["labels"][SERVICE_NAME_LABEL], "web");
        assert_eq!(slice["metadata"]["ownerReferences"][0]["kind"], "Service");
        assert_eq!(slice["endpoints"][0]["addresses"][0], "192.168.1.7");
        assert_eq!(slice["endpoints"][0]["conditions"]["ready"], false);
        assert_eq!(slice["ports"][0]["port"], 8080);

        // A second pass with nothing changed writes nothing.
        let before = api.store().revision();
        sync_all(SimTime::ZERO, &mut rng, &mut api).unwrap();
        assert_eq!(api.store().revision(), before);
    }
}
