//! The endpoints controller: every Service with a selector gets an Endpoints object of its
//! name listing the addresses of its pods, Ready ones under `addresses`, the others under
//! `notReadyAddresses`; a deleted Service's Endpoints go with it.
//!
//! Mirrors (v1.34) `pkg/controller/endpoint/endpoints_controller.go` (`syncService`: pods
//! matching the selector that have an IP and are not terminal; a target port by number or by
//! the container port's name; the Service's labels copied; an update only when something
//! changed) and `pkg/api/v1/endpoints` (`RepackSubsets`: addresses sorted by IP).
//!
//! Simplifications: one subset for all pods (a pod that lacks a named target port simply has
//! no address for that port, instead of a subset of its own); the ports keep the Service's
//! order (upstream sorts them by a hash); no `last-change-trigger-time` annotation.

use std::collections::BTreeSet;
use std::sync::Arc;

use k8s_openapi::api::core::v1 as corev1;
use serde_json::{json, Value};

use crate::apiserver::deletion::{delete_object, DeleteOptions};
use crate::apiserver::helpers::{pod_is_ready, pod_is_terminal};
use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::registry::create_object;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// One pod behind a Service: its address, readiness and the Service's ports it serves.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Backend {
    /// The pod's IP.
    pub ip: String,
    /// Ready and not terminating (and so in `addresses`).
    pub ready: bool,
    /// Ready, terminating or not (a slice's `serving` condition).
    pub serving: bool,
    /// Being deleted.
    pub terminating: bool,
    /// The pod's node.
    pub node_name: Option<String>,
    /// The pod's reference (`targetRef`).
    pub target_ref: Value,
    /// For each Service port (by index), the pod's port number, if it has one.
    pub ports: Vec<Option<i32>>,
}

/// The controller's memory: the Services it saw on its last run, so that it can remove the
/// Endpoints of the ones deleted since (the Endpoints have no owner reference).
#[derive(Debug, Clone, Default)]
pub struct EndpointsController {
    services: BTreeSet<(String, String)>,
}

impl EndpointsController {
    /// One pass: every Service with a selector gets its Endpoints; Endpoints of Services gone
    /// since the last pass are deleted.
    pub fn sync(
        &mut self,
        now: SimTime,
        rng: &mut Rng,
        api: &mut ApiServer,
    ) -> Result<(), ApiError> {
        api.check()?;
        let services: Vec<corev1::Service> = api.list(Resource::Services, None)?;
        let mut seen = BTreeSet::new();
        for service in &services {
            let namespace = service.metadata.namespace.clone().unwrap_or_default();
            let name = service.metadata.name.clone().unwrap_or_default();
            seen.insert((namespace.clone(), name.clone()));
            let Some(selector) = service.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
                continue;
            };
            let backends = backends(api, service, selector)?;
            let desired = endpoints_for(service, &backends);
            let key = ObjectKey::new(Resource::Endpoints, &namespace, &name);
            match api.store().get_value(&key).cloned() {
                None => {
                    create_object(now, rng, api, Resource::Endpoints, &desired)?;
                }
                Some(mut current) => {
                    if current.get("subsets") == desired.get("subsets")
                        && current.at("/metadata/labels") == desired.at("/metadata/labels")
                    {
                        continue;
                    }
                    current["metadata"]["labels"] = desired["metadata"]["labels"].clone();
                    match desired.get("subsets") {
                        Some(subsets) => current["subsets"] = subsets.clone(),
                        None => {
                            if let Some(map) = current.as_object_mut() {
                                map.remove("subsets");
                            }
                        }
                    }
                    api.update(Resource::Endpoints, &current)?;
                }
            }
        }
        let gone: Vec<(String, String)> = self.services.difference(&seen).cloned().collect();
        for (namespace, name) in gone {
            match delete_object(
                now,
                api,
                Resource::Endpoints,
                &namespace,
                &name,
                &DeleteOptions::default(),
            ) {
                Ok(_) | Err(ApiError::NotFound { .. }) => (),
                Err(err) => return Err(err),
            }
        }
        self.services = seen;
        Ok(())
    }
}

/// The pods a Service selects that can receive traffic (an IP, not terminal), in name order,
/// with the port each serves for every Service port. Reads the Service's namespace only, and
/// shares the stored pods instead of copying them: both endpoint controllers run on every pod
/// change.
pub(crate) fn backends(
    api: &ApiServer,
    service: &corev1::Service,
    selector: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<Backend>, ApiError> {
    let namespace = service.metadata.namespace.as_deref().unwrap_or_default();
    let pods: Vec<Arc<corev1::Pod>> = api.list_shared(Resource::Pods, Some(namespace))?;
    let service_ports = service
        .spec
        .as_ref()
        .and_then(|s| s.ports.clone())
        .unwrap_or_default();
    Ok(pods
        .iter()
        .filter(|p| {
            // A Service selector is a plain label set: every pair must be on the pod.
            let labels = p.metadata.labels.as_ref();
            selector
                .iter()
                .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
        })
        .filter(|p| !pod_is_terminal(p))
        .filter_map(|pod| {
            let ip = pod
                .status
                .as_ref()?
                .pod_ip
                .clone()
                .filter(|ip| !ip.is_empty())?;
            let ports = service_ports
                .iter()
                .map(|port| target_port(pod, port))
                .collect();
            Some(Backend {
                ip,
                ready: pod_is_ready(pod) && pod.metadata.deletion_timestamp.is_none(),
                serving: pod_is_ready(pod),
                terminating: pod.metadata.deletion_timestamp.is_some(),
                node_name: pod.spec.as_ref().and_then(|s| s.node_name.clone()),
                target_ref: json!({
                    "kind": "Pod",
                    "name": pod.metadata.name,
                    "namespace": namespace,
                    "uid": pod.metadata.uid,
                }),
                ports,
            })
        })
        .collect())
}

/// `podutil.FindPort`: a numeric target port as is (the port itself when unset); a named one
/// by the container port of that name and protocol.
fn target_port(pod: &corev1::Pod, port: &corev1::ServicePort) -> Option<i32> {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match &port.target_port {
        None => Some(port.port),
        Some(IntOrString::Int(number)) => Some(*number),
        Some(IntOrString::String(name)) => {
            let protocol = port.protocol.as_deref().unwrap_or("TCP");
            pod.spec
                .as_ref()?
                .containers
                .iter()
                .flat_map(|c| c.ports.iter().flatten())
                .find(|p| {
                    p.name.as_deref() == Some(name.as_str())
                        && p.protocol.as_deref().unwrap_or("TCP") == protocol
                })
                .map(|p| p.container_port)
        }
    }
}

/// The Endpoints object the Service should have.
fn endpoints_for(service: &corev1::Service, backends: &[Backend]) -> Value {
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let name = service.metadata.name.clone().unwrap_or_default();
    let labels = service.metadata.labels.clone().unwrap_or_default();
    let service_ports = service
        .spec
        .as_ref()
        .and_then(|s| s.ports.clone())
        .unwrap_or_default();
    let address = |b: &Backend| {
        let mut a = json!({"ip": b.ip, "targetRef": b.target_ref});
        if let Some(node) = &b.node_name {
            a["nodeName"] = json!(node);
        }
        a
    };
    // Terminating pods have no place in Endpoints (`ShouldPodBeInEndpoints`).
    let backends: Vec<&Backend> = backends.iter().filter(|b| !b.terminating).collect();
    let mut ready: Vec<&Backend> = backends.iter().copied().filter(|b| b.ready).collect();
    let mut not_ready: Vec<&Backend> = backends.iter().copied().filter(|b| !b.ready).collect();
    crate::sort::sort_by(&mut ready, |a, b| a.ip.cmp(&b.ip));
    crate::sort::sort_by(&mut not_ready, |a, b| a.ip.cmp(&b.ip));
    let ports: Vec<Value> = service_ports
        .iter()
        .enumerate()
        .filter_map(|(idx, port)| {
            // The port's number as the first backend that serves it has it.
            let number = backends
                .iter()
                .find_map(|b| b.ports.get(idx).copied().flatten())?;
            let mut p =
                json!({"port": number, "protocol": port.protocol.as_deref().unwrap_or("TCP")});
            if let Some(port_name) = port.name.as_deref().filter(|n| !n.is_empty()) {
                p["name"] = json!(port_name);
            }
            Some(p)
        })
        .collect();
    let mut endpoints = json!({
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
    });
    if !backends.is_empty() && !ports.is_empty() {
        let mut subset = json!({"ports": ports});
        if !ready.is_empty() {
            subset["addresses"] = ready.iter().map(|b| address(b)).collect();
        }
        if !not_ready.is_empty() {
            subset["notReadyAddresses"] = not_ready.iter().map(|b| address(b)).collect();
        }
        endpoints["subsets"] = json!([subset]);
    }
    endpoints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::helpers::set_pod_condition;
    use crate::apiserver::testutil::two_node_cluster;

    fn pod(api: &mut ApiServer, rng: &mut Rng, name: &str, ip: &str, ready: bool) {
        let pod = json!({
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
            "spec": {"nodeName": "node01", "containers": [{"name": "web", "image": "nginx",
                "ports": [{"name": "http", "containerPort": 8080}]}]},
        });
        create_object(SimTime::ZERO, rng, api, Resource::Pods, &pod).unwrap();
        set_ready(api, name, ip, ready);
    }

    fn set_ready(api: &mut ApiServer, name: &str, ip: &str, ready: bool) {
        let mut pod: corev1::Pod = api.get(Resource::Pods, "default", name).unwrap();
        let status = pod.status.get_or_insert_with(Default::default);
        status.phase = Some("Running".into());
        status.pod_ip = Some(ip.into());
        set_pod_condition(
            status,
            corev1::PodCondition {
                type_: "Ready".into(),
                status: if ready { "True" } else { "False" }.into(),
                ..Default::default()
            },
            SimTime::ZERO,
        );
        api.update(Resource::Pods, &pod).unwrap();
    }

    fn service(api: &mut ApiServer, rng: &mut Rng) {
        let service = json!({
            "metadata": {"name": "web", "namespace": "default", "labels": {"tier": "front"}},
            "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
        });
        create_object(SimTime::ZERO, rng, api, Resource::Services, &service).unwrap();
    }

    #[test]
    fn endpoints_follow_pod_readiness() {
        let (mut api, mut rng) = two_node_cluster();
        service(&mut api, &mut rng);
        pod(&mut api, &mut rng, "web-b", "192.168.1.5", true);
        pod(&mut api, &mut rng, "web-a", "192.168.1.9", false);
        let mut controller = EndpointsController::default();
        controller.sync(SimTime::ZERO, &mut rng, &mut api).unwrap();
        let ep: Value = api.get(Resource::Endpoints, "default", "web").unwrap();
        assert_eq!(ep["metadata"]["labels"]["tier"], "front");
        let subset = &ep["subsets"][0];
        assert_eq!(subset["addresses"][0]["ip"], "192.168.1.5");
        assert_eq!(subset["addresses"][0]["targetRef"]["name"], "web-b");
        assert_eq!(subset["notReadyAddresses"][0]["ip"], "192.168.1.9");
        assert_eq!(
            subset["ports"],
            json!([{"name": "http", "port": 8080, "protocol": "TCP"}])
        );

        set_ready(&mut api, "web-a", "192.168.1.9", true);
        let before = api.store().revision();
        controller.sync(SimTime::ZERO, &mut rng, &mut api).unwrap();
        let ep: Value = api.get(Resource::Endpoints, "default", "web").unwrap();
        let ips: Vec<&str> = ep["subsets"][0]["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["ip"].as_str().unwrap())
            .collect();
        assert_eq!(ips, ["192.168.1.5", "192.168.1.9"]);
        assert!(ep["subsets"][0].get("notReadyAddresses").is_none());
        assert!(api.store().revision() > before);

        // Nothing changed: no write.
        let before = api.store().revision();
        controller.sync(SimTime::ZERO, &mut rng, &mut api).unwrap();
        assert_eq!(api.store().revision(), before);

        delete_object(
            SimTime::ZERO,
            &mut api,
            Resource::Services,
            "default",
            "web",
            &DeleteOptions::default(),
        )
        .unwrap();
        controller.sync(SimTime::ZERO, &mut rng, &mut api).unwrap();
        assert!(api
            .get_value(Resource::Endpoints, "default", "web")
            .is_err());
    }
}
