//! The persistent volume binder, simply: a Pending claim binds to the smallest Available
//! volume that satisfies it; volumes are Available while unclaimed and Released once their
//! claim is gone.
//!
//! Mirrors (v1.34) `pkg/controller/volume/persistentvolume/pv_controller.go` (`syncUnboundClaim`,
//! `bind`: the volume's `claimRef` and the claim's `volumeName`, phases Bound, the
//! `pv.kubernetes.io/bind-completed` and `bound-by-controller` annotations; `syncVolume`:
//! Available, Released) and `index.go` (`findBestMatchForClaim`: same storage class, every
//! requested access mode offered, capacity at least the request, the smallest such volume;
//! a claim that names a volume binds only to it).
//!
//! Simplifications: no dynamic provisioning (the cluster has no StorageClass), no label
//! selectors on claims, no volume modes or node affinity in the match, no reclaim (a Delete
//! policy leaves the volume Released too), and no `FailedBinding` events.

use std::cmp::Ordering;

use serde_json::{json, Value};

use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::Resource;
use crate::apiserver::validation::quantity::Quantity;
use crate::apiserver::{ApiError, ApiServer};

/// The annotation on a bound claim.
const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
/// The annotation on objects the controller bound.
const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";

/// One pass over volumes and claims; returns how many claims it bound.
pub fn sync_all(api: &mut ApiServer) -> Result<usize, ApiError> {
    api.check()?;
    let mut volumes = api.list_values(Resource::PersistentVolumes, None)?;
    let claims = api.list_values(Resource::PersistentVolumeClaims, None)?;
    let mut bound = 0;
    for claim in &claims {
        if claim.at("/metadata/deletionTimestamp").is_some()
            || str_at(claim, "/status/phase") == "Bound"
        {
            continue;
        }
        let Some(idx) = best_match(claim, &volumes) else {
            continue;
        };
        volumes[idx] = bind(api, claim, &volumes[idx])?;
        bound += 1;
    }
    for volume in &volumes {
        sync_volume_phase(api, volume, &claims)?;
    }
    Ok(bound)
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .at(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn storage(value: &Value, pointer: &str) -> Option<Quantity> {
    Quantity::parse(value.at(pointer)?.as_str()?).ok()
}

/// `findBestMatchForClaim`: the index of the volume the claim should bind to.
fn best_match(claim: &Value, volumes: &[Value]) -> Option<usize> {
    let namespace = str_at(claim, "/metadata/namespace");
    let name = str_at(claim, "/metadata/name");
    let wanted_volume = str_at(claim, "/spec/volumeName");
    let class = str_at(claim, "/spec/storageClassName");
    let request = storage(claim, "/spec/resources/requests/storage")?;
    let modes: Vec<&str> = claim
        .at("/spec/accessModes")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut best: Option<(usize, Quantity)> = None;
    for (idx, volume) in volumes.iter().enumerate() {
        if volume.at("/metadata/deletionTimestamp").is_some() {
            continue;
        }
        if !wanted_volume.is_empty() && str_at(volume, "/metadata/name") != wanted_volume {
            continue;
        }
        // A volume pre-bound to another claim, or already bound, is not available.
        if let Some(claim_ref) = volume.at("/spec/claimRef") {
            if str_at(claim_ref, "/namespace") != namespace || str_at(claim_ref, "/name") != name {
                continue;
            }
        }
        if str_at(volume, "/spec/storageClassName") != class {
            continue;
        }
        let offered: Vec<&str> = volume
            .at("/spec/accessModes")
            .and_then(Value::as_array)
            .map(|m| m.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if !modes.iter().all(|m| offered.contains(m)) {
            continue;
        }
        let Some(capacity) = storage(volume, "/spec/capacity/storage") else {
            continue;
        };
        if capacity.cmp_value(&request) == Ordering::Less {
            continue;
        }
        let smaller = match &best {
            None => true,
            Some((_, size)) => capacity.cmp_value(size) == Ordering::Less,
        };
        if smaller {
            best = Some((idx, capacity));
        }
    }
    best.map(|(idx, _)| idx)
}

/// Binds `claim` to `volume` (volume first, as upstream does); returns the updated volume.
fn bind(api: &mut ApiServer, claim: &Value, volume: &Value) -> Result<Value, ApiError> {
    let mut volume = volume.clone();
    volume["spec"]["claimRef"] = json!({
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "name": str_at(claim, "/metadata/name"),
        "namespace": str_at(claim, "/metadata/namespace"),
        "resourceVersion": str_at(claim, "/metadata/resourceVersion"),
        "uid": str_at(claim, "/metadata/uid"),
    });
    annotate(&mut volume, BOUND_BY_CONTROLLER, "yes");
    volume["status"] = json!({"phase": "Bound"});
    let volume = api.update(Resource::PersistentVolumes, &volume)?;

    let mut claim = claim.clone();
    claim["spec"]["volumeName"] = json!(str_at(&volume, "/metadata/name"));
    annotate(&mut claim, BIND_COMPLETED, "yes");
    annotate(&mut claim, BOUND_BY_CONTROLLER, "yes");
    claim["status"] = json!({
        "phase": "Bound",
        "accessModes": volume.at("/spec/accessModes").cloned().unwrap_or(json!([])),
        "capacity": volume.at("/spec/capacity").cloned().unwrap_or(json!({})),
    });
    api.update(Resource::PersistentVolumeClaims, &claim)?;
    Ok(volume)
}

fn annotate(object: &mut Value, key: &str, value: &str) {
    let meta = &mut object["metadata"];
    if !meta["annotations"].is_object() {
        meta["annotations"] = json!({});
    }
    meta["annotations"][key] = json!(value);
}

/// `syncVolume`'s phases: Available without a claim, Released once the claim it was bound
/// to is gone (or replaced by another of the same name).
fn sync_volume_phase(
    api: &mut ApiServer,
    volume: &Value,
    claims: &[Value],
) -> Result<(), ApiError> {
    let phase = str_at(volume, "/status/phase");
    let wanted = match volume.at("/spec/claimRef") {
        None => "Available",
        Some(claim_ref) => {
            let present = claims.iter().any(|c| {
                str_at(c, "/metadata/namespace") == str_at(claim_ref, "/namespace")
                    && str_at(c, "/metadata/name") == str_at(claim_ref, "/name")
                    && (str_at(claim_ref, "/uid").is_empty()
                        || str_at(c, "/metadata/uid") == str_at(claim_ref, "/uid"))
            });
            match (present, phase) {
                (true, _) => return Ok(()),
                // A pre-bound volume waits for its claim.
                (false, _) if str_at(claim_ref, "/uid").is_empty() => "Available",
                (false, _) => "Released",
            }
        }
    };
    if phase == wanted {
        return Ok(());
    }
    let mut volume = volume.clone();
    volume["status"] = json!({"phase": wanted});
    api.update(Resource::PersistentVolumes, &volume)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::deletion::{delete_object, DeleteOptions};
    use crate::apiserver::registry::create_object;
    use crate::apiserver::testutil::two_node_cluster;
    use crate::sim::SimTime;

    fn volume(name: &str, size: &str, modes: &[&str]) -> Value {
        json!({
            "metadata": {"name": name},
            "spec": {"capacity": {"storage": size}, "accessModes": modes,
                "hostPath": {"path": format!("/data/{name}")}},
        })
    }

    fn claim(name: &str, size: &str, modes: &[&str]) -> Value {
        json!({
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"accessModes": modes, "resources": {"requests": {"storage": size}}},
        })
    }

    #[test]
    fn a_claim_binds_to_the_smallest_matching_volume_or_stays_pending() {
        let (mut api, mut rng) = two_node_cluster();
        let mut create = |api: &mut ApiServer, resource, object: Value| {
            create_object(SimTime::ZERO, &mut rng, api, resource, &object).unwrap();
        };
        create(
            &mut api,
            Resource::PersistentVolumes,
            volume("big", "10Gi", &["ReadWriteOnce"]),
        );
        create(
            &mut api,
            Resource::PersistentVolumes,
            volume("small", "1Gi", &["ReadWriteOnce"]),
        );
        create(
            &mut api,
            Resource::PersistentVolumes,
            volume("shared", "5Gi", &["ReadWriteMany"]),
        );
        create(
            &mut api,
            Resource::PersistentVolumeClaims,
            claim("data", "500Mi", &["ReadWriteOnce"]),
        );
        create(
            &mut api,
            Resource::PersistentVolumeClaims,
            claim("huge", "100Gi", &["ReadWriteOnce"]),
        );
        assert_eq!(sync_all(&mut api).unwrap(), 1);

        let data: Value = api
            .get(Resource::PersistentVolumeClaims, "default", "data")
            .unwrap();
        assert_eq!(data["spec"]["volumeName"], "small");
        assert_eq!(data["status"]["phase"], "Bound");
        assert_eq!(data["status"]["capacity"]["storage"], "1Gi");
        let small: Value = api.get(Resource::PersistentVolumes, "", "small").unwrap();
        assert_eq!(small["status"]["phase"], "Bound");
        assert_eq!(small["spec"]["claimRef"]["name"], "data");
        let big: Value = api.get(Resource::PersistentVolumes, "", "big").unwrap();
        assert_eq!(big["status"]["phase"], "Available");
        let huge: Value = api
            .get(Resource::PersistentVolumeClaims, "default", "huge")
            .unwrap();
        assert_eq!(huge["status"]["phase"], "Pending");

        delete_object(
            SimTime::ZERO,
            &mut api,
            Resource::PersistentVolumeClaims,
            "default",
            "data",
            &DeleteOptions::default(),
        )
        .unwrap();
        sync_all(&mut api).unwrap();
        let small: Value = api.get(Resource::PersistentVolumes, "", "small").unwrap();
        assert_eq!(small["status"]["phase"], "Released");
        // Nothing left to do: a further pass writes nothing.
        let before = api.store().revision();
        sync_all(&mut api).unwrap();
        assert_eq!(api.store().revision(), before);
    }
}
