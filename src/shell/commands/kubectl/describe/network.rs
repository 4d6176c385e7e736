//! `kubectl describe` for Services (`describeService`, whose per-port `Endpoints` line reads
//! the Service's EndpointSlices through `formatEndpointSlices`), Endpoints
//! (`describeEndpoints`) and EndpointSlices (`describeEndpointSliceV1`), v1.34.

use serde_json::Value;

use super::{describe_events, object_events, print_object_header, PrefixWriter};
use crate::shell::commands::kubectl::objutil::format_labels;
use crate::shell::commands::kubectl::objutil::{array_at, get, int_at, str_at, string_map};
use crate::sim::SimTime;

/// `describeService`; `slices` are the Service's EndpointSlices (label
/// `kubernetes.io/service-name`), `events` those of its namespace.
pub fn describe_service(
    service: &Value,
    slices: &[&Value],
    events: Option<&[Value]>,
    now: SimTime,
) -> String {
    let mut w = PrefixWriter::new();
    print_object_header(&mut w, service);
    w.write(
        0,
        &format!(
            "Selector:\t{}\n",
            format_labels(&string_map(service, &["spec", "selector"]))
        ),
    );
    w.write(
        0,
        &format!("Type:\t{}\n", str_at(service, &["spec", "type"])),
    );
    if let Some(policy) = get(service, &["spec", "ipFamilyPolicy"]).and_then(Value::as_str) {
        w.write(0, &format!("IP Family Policy:\t{policy}\n"));
    }
    let joined = |field: &str| {
        let items: Vec<&str> = array_at(service, &["spec", field])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if items.is_empty() {
            "<none>".to_string()
        } else {
            items.join(",")
        }
    };
    w.write(0, &format!("IP Families:\t{}\n", joined("ipFamilies")));
    w.write(
        0,
        &format!("IP:\t{}\n", str_at(service, &["spec", "clusterIP"])),
    );
    w.write(0, &format!("IPs:\t{}\n", joined("clusterIPs")));
    if !array_at(service, &["spec", "externalIPs"]).is_empty() {
        w.write(0, &format!("External IPs:\t{}\n", joined("externalIPs")));
    }
    let external_name = str_at(service, &["spec", "externalName"]);
    if !external_name.is_empty() {
        w.write(0, &format!("External Name:\t{external_name}\n"));
    }
    for port in array_at(service, &["spec", "ports"]) {
        let port_name = match str_at(port, &["name"]) {
            "" => "<unset>",
            n => n,
        };
        let protocol = str_at(port, &["protocol"]);
        w.write(
            0,
            &format!(
                "Port:\t{port_name}\t{}/{protocol}\n",
                int_at(port, &["port"])
            ),
        );
        let target = match get(port, &["targetPort"]) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.as_i64().unwrap_or(0).to_string(),
            None => "0".to_string(),
        };
        w.write(0, &format!("TargetPort:\t{target}/{protocol}\n"));
        let node_port = int_at(port, &["nodePort"]);
        if node_port != 0 {
            w.write(
                0,
                &format!("NodePort:\t{port_name}\t{node_port}/{protocol}\n"),
            );
        }
        w.write(
            0,
            &format!(
                "Endpoints:\t{}\n",
                format_endpoint_slices(slices, str_at(port, &["name"]))
            ),
        );
    }
    w.write(
        0,
        &format!(
            "Session Affinity:\t{}\n",
            str_at(service, &["spec", "sessionAffinity"])
        ),
    );
    let external_policy = str_at(service, &["spec", "externalTrafficPolicy"]);
    if !external_policy.is_empty() {
        w.write(0, &format!("External Traffic Policy:\t{external_policy}\n"));
    }
    if let Some(policy) = get(service, &["spec", "internalTrafficPolicy"]).and_then(Value::as_str) {
        w.write(0, &format!("Internal Traffic Policy:\t{policy}\n"));
    }
    if let Some(events) = events {
        describe_events(&mut w, &object_events(service, "Service", events), now);
    }
    w.finish()
}

/// `formatEndpointSlices` for one port name: up to three ready `address:port` pairs. Like
/// upstream, `<none>` only when there are no slices at all; slices without a ready endpoint
/// give an empty line.
fn format_endpoint_slices(slices: &[&Value], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for slice in slices {
        let endpoints = array_at(slice, &["endpoints"]);
        let ready =
            |e: &Value| get(e, &["conditions", "ready"]).and_then(Value::as_bool) != Some(false);
        let first_address = |e: &Value| {
            array_at(e, &["addresses"])
                .first()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let ports = array_at(slice, &["ports"]);
        if ports.is_empty() {
            for endpoint in endpoints {
                if list.len() == MAX {
                    more = true;
                }
                if !ready(endpoint) {
                    continue;
                }
                if !more {
                    list.push(first_address(endpoint));
                }
                count += 1;
            }
            continue;
        }
        for port in ports.iter().filter(|p| str_at(p, &["name"]) == port_name) {
            for endpoint in endpoints {
                if list.len() == MAX {
                    more = true;
                }
                if !ready(endpoint) {
                    continue;
                }
                if !more {
                    let address = first_address(endpoint);
                    let number = int_at(port, &["port"]);
                    list.push(if address.contains(':') {
                        format!("[{address}]:{number}")
                    } else {
                        format!("{address}:{number}")
                    });
                }
                count += 1;
            }
        }
    }
    let text = list.join(",");
    if more {
        return format!("{text} + {} more...", count - MAX);
    }
    text
}

/// `describeEndpoints`.
pub fn describe_endpoints(endpoints: &Value, events: Option<&[Value]>, now: SimTime) -> String {
    let mut w = PrefixWriter::new();
    print_object_header(&mut w, endpoints);
    w.write(0, "Subsets:\n");
    for subset in array_at(endpoints, &["subsets"]) {
        let ips = |field: &str| {
            let ips: Vec<&str> = array_at(subset, &[field])
                .iter()
                .map(|a| str_at(a, &["ip"]))
                .collect();
            if ips.is_empty() {
                "<none>".to_string()
            } else {
                ips.join(",")
            }
        };
        w.write(1, &format!("Addresses:\t{}\n", ips("addresses")));
        w.write(
            1,
            &format!("NotReadyAddresses:\t{}\n", ips("notReadyAddresses")),
        );
        let ports = array_at(subset, &["ports"]);
        if !ports.is_empty() {
            w.write(1, "Ports:\n");
            w.write(2, "Name\tPort\tProtocol\n");
            w.write(2, "----\t----\t--------\n");
            for port in ports {
                let port_name = match str_at(port, &["name"]) {
                    "" => "<unset>",
                    n => n,
                };
                w.write(
                    2,
                    &format!(
                        "{port_name}\t{}\t{}\n",
                        int_at(port, &["port"]),
                        str_at(port, &["protocol"])
                    ),
                );
            }
        }
        w.write(0, "\n");
    }
    if let Some(events) = events {
        describe_events(&mut w, &object_events(endpoints, "Endpoints", events), now);
    }
    w.finish()
}

/// `describeEndpointSliceV1`: the address type, the ports table (or `Ports: <unset>`) and
/// each endpoint's addresses, readiness, hostname, target, node and zone.
pub fn describe_endpoint_slice(slice: &Value, events: Option<&[Value]>, now: SimTime) -> String {
    let mut w = PrefixWriter::new();
    print_object_header(&mut w, slice);
    w.write(
        0,
        &format!("AddressType:\t{}\n", str_at(slice, &["addressType"])),
    );
    let ports = array_at(slice, &["ports"]);
    if ports.is_empty() {
        w.write(0, "Ports: <unset>\n");
    } else {
        w.write(0, "Ports:\n");
        w.write(1, "Name\tPort\tProtocol\n");
        w.write(1, "----\t----\t--------\n");
        for port in ports {
            let port_name = match str_at(port, &["name"]) {
                "" => "<unset>",
                n => n,
            };
            let number = get(port, &["port"])
                .and_then(Value::as_i64)
                .map_or_else(|| "<unset>".to_string(), |n| n.to_string());
            w.write(
                1,
                &format!("{port_name}\t{number}\t{}\n", str_at(port, &["protocol"])),
            );
        }
    }
    let endpoints = array_at(slice, &["endpoints"]);
    if endpoints.is_empty() {
        w.write(0, "Endpoints: <none>\n");
    } else {
        w.write(0, "Endpoints:\n");
        // An optional field prints `<unset>` when absent, as the pointer it is upstream.
        let optional = |endpoint: &Value, path: &[&str]| match get(endpoint, path) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => "<unset>".to_string(),
        };
        for endpoint in endpoints {
            let addresses: Vec<&str> = array_at(endpoint, &["addresses"])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let addresses = if addresses.is_empty() {
                "<none>".to_string()
            } else {
                addresses.join(", ")
            };
            w.write(1, &format!("- Addresses:\t{addresses}\n"));
            w.write(2, "Conditions:\n");
            w.write(
                3,
                &format!("Ready:\t{}\n", optional(endpoint, &["conditions", "ready"])),
            );
            w.write(
                2,
                &format!("Hostname:\t{}\n", optional(endpoint, &["hostname"])),
            );
            if let Some(target) = get(endpoint, &["targetRef"]).filter(|t| t.is_object()) {
                w.write(
                    2,
                    &format!(
                        "TargetRef:\t{}/{}\n",
                        str_at(target, &["kind"]),
                        str_at(target, &["name"])
                    ),
                );
            }
            w.write(
                2,
                &format!("NodeName:\t{}\n", optional(endpoint, &["nodeName"])),
            );
            w.write(2, &format!("Zone:\t{}\n", optional(endpoint, &["zone"])));
        }
    }
    if let Some(events) = events {
        describe_events(&mut w, &object_events(slice, "EndpointSlice", events), now);
    }
    w.finish()
}
