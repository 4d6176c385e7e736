//! `kubectl describe` for PersistentVolumes (`describePersistentVolume`) and
//! PersistentVolumeClaims (`describePersistentVolumeClaim`), v1.34.
//!
//! Simplifications: of the volume sources, HostPath, Local and NFS are described; others print
//! only the `Source:` heading.

use serde_json::Value;

use super::{describe_events, object_events, print_metadata_maps, PrefixWriter};
use crate::shell::commands::kubectl::objutil::{age_at, array_at, get, name, namespace, str_at};
use crate::shell::commands::kubectl::printers::access_modes;
use crate::sim::SimTime;

/// `Finalizers:` as Go prints a string slice (`[a b]`).
fn finalizers(obj: &Value) -> String {
    let items: Vec<&str> = array_at(obj, &["metadata", "finalizers"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    format!("[{}]", items.join(" "))
}

/// `Status:`, or `Terminating (lasts <age>)` once deletion started.
fn status(obj: &Value, now: SimTime) -> String {
    if get(obj, &["metadata", "deletionTimestamp"]).is_some() {
        return format!(
            "Terminating (lasts {})",
            age_at(obj, &["metadata", "deletionTimestamp"], now)
        );
    }
    str_at(obj, &["status", "phase"]).to_string()
}

/// `describePersistentVolume`; `events` are all events (a volume has no namespace).
pub fn describe_persistent_volume(
    volume: &Value,
    events: Option<&[Value]>,
    now: SimTime,
) -> String {
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", name(volume)));
    print_metadata_maps(&mut w, volume);
    w.write(0, &format!("Finalizers:\t{}\n", finalizers(volume)));
    w.write(
        0,
        &format!(
            "StorageClass:\t{}\n",
            str_at(volume, &["spec", "storageClassName"])
        ),
    );
    w.write(0, &format!("Status:\t{}\n", status(volume, now)));
    let claim = match get(volume, &["spec", "claimRef"]) {
        Some(c) => format!("{}/{}", str_at(c, &["namespace"]), str_at(c, &["name"])),
        None => String::new(),
    };
    w.write(0, &format!("Claim:\t{claim}\n"));
    w.write(
        0,
        &format!(
            "Reclaim Policy:\t{}\n",
            str_at(volume, &["spec", "persistentVolumeReclaimPolicy"])
        ),
    );
    w.write(
        0,
        &format!(
            "Access Modes:\t{}\n",
            access_modes(array_at(volume, &["spec", "accessModes"]))
        ),
    );
    if let Some(mode) = get(volume, &["spec", "volumeMode"]).and_then(Value::as_str) {
        w.write(0, &format!("VolumeMode:\t{mode}\n"));
    }
    w.write(
        0,
        &format!(
            "Capacity:\t{}\n",
            str_at(volume, &["spec", "capacity", "storage"])
        ),
    );
    print_volume_node_affinity(&mut w, get(volume, &["spec", "nodeAffinity", "required"]));
    w.write(
        0,
        &format!("Message:\t{}\n", str_at(volume, &["status", "message"])),
    );
    w.write(0, "Source:\n");
    if let Some(host_path) = get(volume, &["spec", "hostPath"]) {
        let kind = get(host_path, &["type"])
            .and_then(Value::as_str)
            .unwrap_or("<none>");
        w.write(
            2,
            &format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{kind}\n",
                str_at(host_path, &["path"])
            ),
        );
    } else if let Some(local) = get(volume, &["spec", "local"]) {
        w.write(
            2,
            &format!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                str_at(local, &["path"])
            ),
        );
    } else if let Some(nfs) = get(volume, &["spec", "nfs"]) {
        let read_only = get(nfs, &["readOnly"]).and_then(Value::as_bool) == Some(true);
        w.write(
            2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{read_only}\n",
                str_at(nfs, &["server"]),
                str_at(nfs, &["path"])
            ),
        );
    }
    if let Some(events) = events {
        let about: Vec<&Value> = events
            .iter()
            .filter(|e| {
                str_at(e, &["involvedObject", "kind"]) == "PersistentVolume"
                    && str_at(e, &["involvedObject", "name"]) == name(volume)
            })
            .collect();
        describe_events(&mut w, &about, now);
    }
    w.finish()
}

/// `printVolumeNodeAffinity` with `printNodeSelectorTermsMultilineWithIndent`.
fn print_volume_node_affinity(w: &mut PrefixWriter, required: Option<&Value>) {
    w.write(0, "Node Affinity:\t");
    let Some(required) = required else {
        w.write_line("<none>");
        return;
    };
    w.write_line("");
    w.write(1, "Required Terms:\t");
    let terms = array_at(required, &["nodeSelectorTerms"]);
    if terms.is_empty() {
        w.write_line("<none>");
        return;
    }
    w.write_line("");
    for (i, term) in terms.iter().enumerate() {
        w.write(2, &format!("Term {i}:\t"));
        let expressions = array_at(term, &["matchExpressions"]);
        if expressions.is_empty() {
            w.write_line("<none>");
            continue;
        }
        for (j, expression) in expressions.iter().enumerate() {
            if j != 0 {
                w.write(2, "\t");
            }
            let mut text = format!(
                "{} {}",
                str_at(expression, &["key"]),
                str_at(expression, &["operator"]).to_lowercase()
            );
            let values: Vec<&str> = array_at(expression, &["values"])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            if !values.is_empty() {
                text.push_str(&format!(" [{}]", values.join(", ")));
            }
            w.write(0, &format!("{text}\n"));
        }
    }
}

/// `describePersistentVolumeClaim`; `pods` are the pods of its namespace (those that mount it
/// are listed under `Used By`).
pub fn describe_persistent_volume_claim(
    claim: &Value,
    pods: &[Value],
    events: Option<&[Value]>,
    now: SimTime,
) -> String {
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", name(claim)));
    w.write(0, &format!("Namespace:\t{}\n", namespace(claim)));
    w.write(
        0,
        &format!(
            "StorageClass:\t{}\n",
            str_at(claim, &["spec", "storageClassName"])
        ),
    );
    w.write(0, &format!("Status:\t{}\n", status(claim, now)));
    let volume = str_at(claim, &["spec", "volumeName"]);
    w.write(0, &format!("Volume:\t{volume}\n"));
    print_metadata_maps(&mut w, claim);
    w.write(0, &format!("Finalizers:\t{}\n", finalizers(claim)));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            str_at(claim, &["status", "capacity", "storage"]).to_string(),
            access_modes(array_at(claim, &["status", "accessModes"])),
        )
    };
    w.write(0, &format!("Capacity:\t{capacity}\n"));
    w.write(0, &format!("Access Modes:\t{modes}\n"));
    if let Some(mode) = get(claim, &["spec", "volumeMode"]).and_then(Value::as_str) {
        w.write(0, &format!("VolumeMode:\t{mode}\n"));
    }
    // printPodsMultiline: the pods whose volumes name this claim.
    let users: Vec<&str> = pods
        .iter()
        .filter(|p| {
            array_at(p, &["spec", "volumes"])
                .iter()
                .any(|v| str_at(v, &["persistentVolumeClaim", "claimName"]) == name(claim))
        })
        .map(name)
        .collect();
    w.write(0, "Used By:\t");
    if users.is_empty() {
        w.write_line("<none>");
    } else {
        for (i, user) in users.iter().enumerate() {
            if i != 0 {
                w.write(0, "\t");
            }
            w.write(0, &format!("{user}\n"));
        }
    }
    if let Some(events) = events {
        describe_events(
            &mut w,
            &object_events(claim, "PersistentVolumeClaim", events),
            now,
        );
    }
    w.finish()
}
