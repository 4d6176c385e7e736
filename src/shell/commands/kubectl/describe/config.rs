//! `kubectl describe` for ConfigMaps (`ConfigMapDescriber`) and Secrets (`describeSecret`),
//! v1.34: the header, then each key of the data. A ConfigMap's values are shown in full, a
//! Secret's only as sizes (a service-account token excepted, as upstream shows it).

use serde_json::Value;

use super::{describe_events, object_events, print_object_header, PrefixWriter};
use crate::shell::commands::coreutils::base64_decode;
use crate::shell::commands::kubectl::objutil::{get, str_at, string_map};
use crate::sim::SimTime;

/// The key of a service-account token Secret that upstream prints in clear.
const SERVICE_ACCOUNT_TOKEN_KEY: &str = "token";

/// The Secret type whose token upstream prints in clear.
const SERVICE_ACCOUNT_TOKEN_TYPE: &str = "kubernetes.io/service-account-token";

/// The bytes a `[]byte` field holds: its base64 text decoded (what was decoded when the text
/// is not valid base64, which the API server would have refused).
fn decoded(text: &str) -> Vec<u8> {
    base64_decode(text, false).unwrap_or_else(|partial| partial)
}

/// The entries of the `[]byte` map at `field`, decoded, keys sorted.
fn byte_map(obj: &Value, field: &str) -> Vec<(String, Vec<u8>)> {
    string_map(obj, &[field])
        .into_iter()
        .map(|(k, v)| (k, decoded(&v)))
        .collect()
}

/// What `kubectl describe configmap` prints: `Data` with each key, a `----` line and its
/// value, then `BinaryData` with each key's size, keys sorted; then the events when `events`
/// is given (the search failing fails the describe here, unlike most describers).
pub fn describe_config_map(config_map: &Value, events: Option<&[Value]>, now: SimTime) -> String {
    let mut w = PrefixWriter::new();
    print_object_header(&mut w, config_map);
    w.write(0, "\nData\n====\n");
    for (key, value) in string_map(config_map, &["data"]) {
        w.write(0, &format!("{key}:\n----\n"));
        w.write(0, &format!("{value}\n"));
        w.write(0, "\n");
    }
    w.write(0, "\nBinaryData\n====\n");
    for (key, bytes) in byte_map(config_map, "binaryData") {
        w.write(0, &format!("{key}: {} bytes\n", bytes.len()));
    }
    w.write(0, "\n");
    if let Some(events) = events {
        describe_events(&mut w, &object_events(config_map, "ConfigMap", events), now);
    }
    w.finish()
}

/// What `kubectl describe secret` prints: the header, `Type`, then `Data` with each key's
/// size in bytes, keys sorted. A Secret has no Events section.
pub fn describe_secret(secret: &Value) -> String {
    let mut w = PrefixWriter::new();
    print_object_header(&mut w, secret);
    let secret_type = str_at(secret, &["type"]);
    w.write(0, &format!("\nType:\t{secret_type}\n"));
    w.write(0, "\nData\n====\n");
    let mut data = byte_map(secret, "data");
    // The API server merges the write-only `stringData` into `data`; this one keeps it apart
    // (as `kubectl get secrets` counts it too), so its keys are shown here as their bytes.
    if get(secret, &["stringData"]).is_some() {
        for (key, value) in string_map(secret, &["stringData"]) {
            match data.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value.into_bytes(),
                None => data.push((key, value.into_bytes())),
            }
        }
        crate::sort::sort_by(&mut data, |a, b| a.0.cmp(&b.0));
    }
    for (key, bytes) in data {
        if key == SERVICE_ACCOUNT_TOKEN_KEY && secret_type == SERVICE_ACCOUNT_TOKEN_TYPE {
            w.write(0, &format!("{key}:\t{}\n", String::from_utf8_lossy(&bytes)));
        } else {
            w.write(0, &format!("{key}:\t{} bytes\n", bytes.len()));
        }
    }
    w.finish()
}
