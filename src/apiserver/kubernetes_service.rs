//! kube-apiserver's own `default/kubernetes` Service: the API server keeps the Service, its
//! Endpoints and its EndpointSlice pointing at itself (`<advertise address>:6443`), recreating
//! them when deleted and repairing them when changed.
//!
//! Mirrors (v1.34) `pkg/controlplane/controller/kubernetesservice/controller.go`
//! (`CreateOrUpdateMasterServiceIfNeeded`: ClusterIP 10.96.0.1, port `https` 443 → 6443,
//! labels `component: apiserver`, `provider: kubernetes`) and
//! `pkg/controlplane/reconcilers/lease.go` + `endpointsadapter.go` (the Endpoints with the
//! `skip-mirror` label, the EndpointSlice named `kubernetes`).
//!
//! Simplifications: one API server, so the endpoint list is always just this one address.

use serde_json::{json, Value};

use crate::apiserver::registry::create_object;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer, API_SERVER_PORT};
use crate::sim::{Rng, SimTime};

/// kube-apiserver's `--advertise-address` in the default cluster.
pub const ADVERTISE_ADDRESS: &str = "172.30.1.2";
/// The Service's cluster IP: the first address of the service range.
pub const KUBERNETES_SERVICE_IP: &str = "10.96.0.1";

/// Creates or repairs the Service, Endpoints and EndpointSlice; returns whether it wrote.
pub fn reconcile(now: SimTime, rng: &mut Rng, api: &mut ApiServer) -> Result<bool, ApiError> {
    api.check()?;
    let mut wrote = false;
    let service_key = ObjectKey::new(Resource::Services, "default", "kubernetes");
    if api.store().get_value(&service_key).is_none() {
        let service = json!({
            "metadata": {
                "name": "kubernetes",
                "namespace": "default",
                "labels": {"component": "apiserver", "provider": "kubernetes"},
            },
            "spec": {
                "clusterIP": KUBERNETES_SERVICE_IP,
                "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": API_SERVER_PORT}],
                "sessionAffinity": "None",
                "type": "ClusterIP",
            },
        });
        create_object(now, rng, api, Resource::Services, &service)?;
        wrote = true;
    }
    let endpoints = json!({
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
        },
        "subsets": [{
            "addresses": [{"ip": ADVERTISE_ADDRESS}],
            "ports": [{"name": "https", "port": API_SERVER_PORT, "protocol": "TCP"}],
        }],
    });
    wrote |= ensure(now, rng, api, Resource::Endpoints, endpoints, &["subsets"])?;
    let slice = json!({
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": "kubernetes"},
        },
        "addressType": "IPv4",
        "endpoints": [{"addresses": [ADVERTISE_ADDRESS], "conditions": {"ready": true}}],
        "ports": [{"name": "https", "port": API_SERVER_PORT, "protocol": "TCP"}],
    });
    wrote |= ensure(
        now,
        rng,
        api,
        Resource::EndpointSlices,
        slice,
        &["addressType", "endpoints", "ports"],
    )?;
    Ok(wrote)
}

/// Creates `desired`, or puts back its `fields` on the stored object if they differ.
fn ensure(
    now: SimTime,
    rng: &mut Rng,
    api: &mut ApiServer,
    resource: Resource,
    desired: Value,
    fields: &[&str],
) -> Result<bool, ApiError> {
    let key = ObjectKey::new(resource, "default", "kubernetes");
    let Some(current) = api.store().get_value(&key).cloned() else {
        create_object(now, rng, api, resource, &desired)?;
        return Ok(true);
    };
    if fields.iter().all(|f| current.get(*f) == desired.get(*f)) {
        return Ok(false);
    }
    let mut repaired = current;
    for field in fields {
        repaired[*field] = desired[*field].clone();
    }
    api.update(resource, &repaired)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::deletion::{delete_object, DeleteOptions};
    use crate::apiserver::testutil::two_node_cluster;

    #[test]
    fn the_kubernetes_service_comes_back_and_points_at_the_api_server() {
        let (mut api, mut rng) = two_node_cluster();
        assert!(reconcile(SimTime::ZERO, &mut rng, &mut api).unwrap());
        assert!(!reconcile(SimTime::ZERO, &mut rng, &mut api).unwrap());
        let service: Value = api
            .get(Resource::Services, "default", "kubernetes")
            .unwrap();
        assert_eq!(service["spec"]["clusterIP"], "10.96.0.1");
        assert_eq!(service["spec"]["ports"][0]["targetPort"], 6443);
        delete_object(
            SimTime::ZERO,
            &mut api,
            Resource::Services,
            "default",
            "kubernetes",
            &DeleteOptions::default(),
        )
        .unwrap();
        assert!(reconcile(SimTime::ZERO, &mut rng, &mut api).unwrap());
        let ep: Value = api
            .get(Resource::Endpoints, "default", "kubernetes")
            .unwrap();
        assert_eq!(ep["subsets"][0]["addresses"][0]["ip"], "172.30.1.2");
    }
}
