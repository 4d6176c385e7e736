//! The root CA certificate publisher: every active namespace gets the `kube-root-ca.crt`
//! ConfigMap that the service-account token volume projects.
//!
//! Mirrors (v1.34) `pkg/controller/certificates/rootcacertpublisher/publisher.go` (`syncNamespace`:
//! create the ConfigMap, or restore its `ca.crt` if it was changed).
//!
//! Simplifications: the certificate is a fixed stand-in PEM (there is no real cluster CA), and
//! the ConfigMap's description annotation is omitted.

use serde_json::{json, Value};

use crate::apiserver::helpers::active_namespaces;
use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::registry::create_object;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::{Rng, SimTime};

/// The ConfigMap's name.
pub const ROOT_CA_CONFIG_MAP: &str = "kube-root-ca.crt";
/// The stand-in cluster CA certificate.
pub const ROOT_CA_PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIplaygroundCAwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\nAxMKa3ViZXJuZXRlczAeFw0yNjExMjIwODAwMDBaFw0zNjExMjAwODAwMDBaMBUx\nEzARBgNVBAMTCmt1YmVybmV0ZXM=\n-----END CERTIFICATE-----\n";

/// Creates or repairs `kube-root-ca.crt` in every namespace that is not terminating.
pub fn sync_all(now: SimTime, rng: &mut Rng, api: &mut ApiServer) -> Result<(), ApiError> {
    api.check()?;
    let namespaces = active_namespaces(api);
    for namespace in namespaces {
        let key = ObjectKey::new(Resource::ConfigMaps, &namespace, ROOT_CA_CONFIG_MAP);
        match api.store().get_value(&key).cloned() {
            None => {
                let cm = json!({
                    "metadata": {"name": ROOT_CA_CONFIG_MAP, "namespace": namespace},
                    "data": {"ca.crt": ROOT_CA_PEM},
                });
                create_object(now, rng, api, Resource::ConfigMaps, &cm)?;
            }
            Some(mut cm) => {
                if cm.at("/data/ca.crt").and_then(Value::as_str) == Some(ROOT_CA_PEM) {
                    continue;
                }
                if let Some(map) = cm.as_object_mut() {
                    map.insert("data".into(), json!({"ca.crt": ROOT_CA_PEM}));
                }
                api.update(Resource::ConfigMaps, &cm)?;
            }
        }
    }
    Ok(())
}
