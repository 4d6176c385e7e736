//! ComponentStatus: computed by the API server on every read by probing the scheduler, the
//! controller manager and etcd; never stored.
//!
//! Mirrors (v1.34) `pkg/registry/core/componentstatus/{rest,validator}.go`: each component's
//! `/healthz` is fetched and the answer becomes one `Healthy` condition: status `True` with
//! message `ok`, or `False` with the request's error.
//!
//! Simplifications: upstream probes in parallel and lists the answers in the order they
//! arrive; here the order is fixed (scheduler, controller-manager, etcd-0), the one most often
//! seen. A component is healthy exactly when its static pod's process runs.

use serde_json::{json, Value};

use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::Resource;
use crate::apiserver::ApiError;

/// Whether each probed component answers its health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Health {
    /// kube-scheduler (`https://127.0.0.1:10259/healthz`).
    pub scheduler: bool,
    /// kube-controller-manager (`https://127.0.0.1:10257/healthz`).
    pub controller_manager: bool,
    /// etcd.
    pub etcd: bool,
}

/// The ComponentStatus objects a LIST returns, in the order listed.
pub fn list(health: Health) -> Vec<Value> {
    vec![
        status("scheduler", health.scheduler, Some(10259)),
        status("controller-manager", health.controller_manager, Some(10257)),
        status("etcd-0", health.etcd, None),
    ]
}

/// GET of one: the same probe, or NotFound for a name that is not probed.
pub fn get(health: Health, name: &str) -> Result<Value, ApiError> {
    list(health)
        .into_iter()
        .find(|s| s.at("/metadata/name").and_then(Value::as_str) == Some(name))
        .ok_or_else(|| ApiError::NotFound {
            resource: Resource::ComponentStatuses,
            name: name.to_string(),
        })
}

fn status(name: &str, healthy: bool, port: Option<u16>) -> Value {
    let condition = match (healthy, port) {
        (true, _) => json!({"type": "Healthy", "status": "True", "message": "ok"}),
        (false, Some(port)) => json!({
            "type": "Healthy",
            "status": "False",
            "error": format!(
                "Get \"https://127.0.0.1:{port}/healthz\": dial tcp 127.0.0.1:{port}: connect: connection refused"
            ),
        }),
        (false, None) => json!({
            "type": "Healthy",
            "status": "False",
            "error": "etcd cluster is unavailable or misconfigured",
        }),
    };
    json!({
        "apiVersion": "v1",
        "kind": "ComponentStatus",
        "metadata": {"name": name},
        "conditions": [condition],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_component_is_unhealthy_with_the_probes_error() {
        let health = Health {
            scheduler: false,
            controller_manager: true,
            etcd: true,
        };
        let listed = list(health);
        let names: Vec<&str> = listed
            .iter()
            .map(|s| s["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["scheduler", "controller-manager", "etcd-0"]);
        assert_eq!(listed[0]["conditions"][0]["status"], "False");
        assert_eq!(
            listed[0]["conditions"][0]["error"],
            "Get \"https://127.0.0.1:10259/healthz\": dial tcp 127.0.0.1:10259: connect: connection refused"
        );
        assert_eq!(listed[1]["conditions"][0]["message"], "ok");
        assert!(get(health, "etcd-1").is_err());
        assert_eq!(get(health, "etcd-0").unwrap()["metadata"]["name"], "etcd-0");
    }
}
