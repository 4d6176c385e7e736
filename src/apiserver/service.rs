//! Creating a Service: defaulting, ClusterIP and NodePort allocation, and the validation
//! learners meet most.
//!
//! Mirrors (v1.34): `pkg/apis/core/v1/defaults.go` (`SetDefaults_Service`: type ClusterIP,
//! sessionAffinity None, protocol TCP, targetPort = port, the traffic policies),
//! `pkg/registry/core/service/storage/alloc.go` (`allocateCreate`: the allocation happens
//! before validation, so an IP already taken is the error even when something else is wrong
//! too; single-stack IPv4 fields), `pkg/registry/core/service/ipallocator` (a dynamic IP
//! comes from the range above the static band of 256 addresses, picked at random; the error
//! texts) and `pkg/apis/core/validation/validation.go` (`ValidateService`).
//!
//! Simplifications: the service range is kube-apiserver's `--service-cluster-ip-range` as
//! kubeadm writes it (10.96.0.0/12), not read from the flag; IPv4 single-stack only; of
//! `ValidateService` only the checks on type, ports (required, names, numbers, protocols) and
//! the cluster IP are made; updates are not validated.

use serde_json::{json, Value};

use crate::apiserver::json_pointer::JsonPointer;
use crate::apiserver::store::Resource;
use crate::apiserver::validation::field::{invalid_error_message, BadValue, FieldError, Path};
use crate::apiserver::validation::names::name_is_dns_label;
use crate::apiserver::{ApiError, ApiServer};
use crate::sim::Rng;

/// kube-apiserver's `--service-cluster-ip-range` in a kubeadm cluster.
pub const SERVICE_CIDR: &str = "10.96.0.0/12";
/// The network address of [`SERVICE_CIDR`].
const SERVICE_NETWORK: u32 = 0x0a60_0000;
/// The prefix length of [`SERVICE_CIDR`].
const SERVICE_PREFIX: u32 = 12;
/// The addresses at the start of the range kept for static allocation
/// (`calculateRangeOffset`: a sixteenth of the range, between 16 and 256).
const STATIC_BAND: u32 = 256;
/// The NodePort range (`--service-node-port-range` default).
const NODE_PORTS: (u16, u16) = (30000, 32767);

/// The types a Service may have.
const SERVICE_TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

/// Defaults, allocates and validates a Service about to be created; the error is the API
/// server's 422.
pub fn prepare_create(api: &ApiServer, rng: &mut Rng, service: &mut Value) -> Result<(), ApiError> {
    let name = service
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let invalid = |errs: &[FieldError]| ApiError::Invalid {
        kind: "Service",
        name: name.clone(),
        message: invalid_error_message("Service", &name, errs),
    };
    set_defaults(service);
    allocate(api, rng, service).map_err(|err| invalid(&[err]))?;
    let errs = validate(service);
    if !errs.is_empty() {
        return Err(invalid(&errs));
    }
    if let Some(map) = service.as_object_mut() {
        map.insert("status".into(), json!({"loadBalancer": {}}));
    }
    Ok(())
}

/// `SetDefaults_Service` and the port defaults.
fn set_defaults(service: &mut Value) {
    let Some(spec) = service.get_mut("spec").and_then(Value::as_object_mut) else {
        if let Some(map) = service.as_object_mut() {
            map.insert("spec".into(), json!({}));
        }
        return set_defaults(service);
    };
    let kind = spec
        .entry("type")
        .or_insert_with(|| json!("ClusterIP"))
        .as_str()
        .unwrap_or_default()
        .to_string();
    spec.entry("sessionAffinity")
        .or_insert_with(|| json!("None"));
    if kind != "ExternalName" {
        spec.entry("internalTrafficPolicy")
            .or_insert_with(|| json!("Cluster"));
    }
    if kind == "NodePort" || kind == "LoadBalancer" {
        spec.entry("externalTrafficPolicy")
            .or_insert_with(|| json!("Cluster"));
    }
    if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
        for port in ports.iter_mut().filter_map(Value::as_object_mut) {
            port.entry("protocol").or_insert_with(|| json!("TCP"));
            if let Some(number) = port.get("port").cloned() {
                port.entry("targetPort").or_insert(number);
            }
        }
    }
}

/// The cluster IP (and node ports): a requested IP must be free and in range; otherwise one
/// is drawn. ExternalName services get none; headless ones (`None`) keep `None`.
fn allocate(api: &ApiServer, rng: &mut Rng, service: &mut Value) -> Result<(), FieldError> {
    let kind = service
        .at("/spec/type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if kind == "ExternalName" {
        return Ok(());
    }
    let requested = service
        .at("/spec/clusterIP")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let taken = taken_ips(api);
    let path = Path::new("spec").child("clusterIPs");
    let ip = match requested.as_str() {
        "None" => "None".to_string(),
        "" => {
            let size = 1u32 << (32 - SERVICE_PREFIX);
            // Network and broadcast addresses are never handed out.
            let dynamic = size - 2 - STATIC_BAND;
            loop {
                let offset = 1 + STATIC_BAND + rng.below(u64::from(dynamic)) as u32;
                let ip = format_ipv4(SERVICE_NETWORK + offset);
                if !taken.contains(&ip) {
                    break ip;
                }
            }
        }
        wanted => {
            let Some(address) = parse_ipv4(wanted) else {
                return Err(FieldError::invalid(
                    &Path::new("spec").child("clusterIPs").index(0),
                    BadValue::str(wanted),
                    "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                ));
            };
            let mask = u32::MAX << (32 - SERVICE_PREFIX);
            let broadcast = SERVICE_NETWORK | !mask;
            if address & mask != SERVICE_NETWORK
                || address == SERVICE_NETWORK
                || address == broadcast
            {
                return Err(FieldError::invalid(
                    &path,
                    BadValue::strings(&[wanted.to_string()]),
                    &format!(
                        "failed to allocate IP {wanted}: the provided IP ({wanted}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}"
                    ),
                ));
            }
            if taken.iter().any(|t| t == wanted) {
                return Err(FieldError::invalid(
                    &path,
                    BadValue::strings(&[wanted.to_string()]),
                    &format!("failed to allocate IP {wanted}: provided IP is already allocated"),
                ));
            }
            wanted.to_string()
        }
    };
    if let Some(spec) = service.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert("clusterIP".into(), json!(ip));
        spec.insert("clusterIPs".into(), json!([ip]));
        spec.insert("ipFamilies".into(), json!(["IPv4"]));
        spec.insert("ipFamilyPolicy".into(), json!("SingleStack"));
    }
    if kind == "NodePort" || kind == "LoadBalancer" {
        allocate_node_ports(api, rng, service);
    }
    Ok(())
}

/// Cluster IPs held by existing services.
fn taken_ips(api: &ApiServer) -> Vec<String> {
    api.store()
        .list_values(Resource::Services, None)
        .into_iter()
        .filter_map(|s| s.at("/spec/clusterIP").and_then(Value::as_str))
        .map(String::from)
        .collect()
}

/// Gives every port without a `nodePort` a free one from the range.
fn allocate_node_ports(api: &ApiServer, rng: &mut Rng, service: &mut Value) {
    let mut taken: Vec<i64> = api
        .store()
        .list_values(Resource::Services, None)
        .into_iter()
        .flat_map(|s| {
            s.at("/spec/ports")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
        .collect();
    let Some(ports) = service
        .pointer_mut("/spec/ports")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let span = u64::from(NODE_PORTS.1 - NODE_PORTS.0) + 1;
    for port in ports.iter_mut().filter_map(Value::as_object_mut) {
        if port.get("nodePort").and_then(Value::as_i64).is_some() {
            continue;
        }
        let node_port = loop {
            let candidate = i64::from(NODE_PORTS.0) + rng.below(span) as i64;
            if !taken.contains(&candidate) {
                break candidate;
            }
        };
        taken.push(node_port);
        port.insert("nodePort".into(), json!(node_port));
    }
}

/// The part of `ValidateService` learners meet: ports required (unless headless or
/// ExternalName), each port's name, number and protocol, and the type.
fn validate(service: &Value) -> Vec<FieldError> {
    let spec = Path::new("spec");
    let mut errs = Vec::new();
    let kind = service
        .at("/spec/type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let headless = service.at("/spec/clusterIP").and_then(Value::as_str) == Some("None");
    let ports = service
        .at("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if ports.is_empty() && !headless && kind != "ExternalName" {
        errs.push(FieldError::required(&spec.child("ports"), ""));
    }
    let mut names: Vec<String> = Vec::new();
    for (idx, port) in ports.iter().enumerate() {
        let path = spec.child("ports").index(idx);
        let port_name = port.get("name").and_then(Value::as_str).unwrap_or_default();
        if port_name.is_empty() {
            if ports.len() > 1 {
                errs.push(FieldError::required(&path.child("name"), ""));
            }
        } else {
            for problem in name_is_dns_label(port_name, false) {
                errs.push(FieldError::invalid(
                    &path.child("name"),
                    BadValue::str(port_name),
                    &problem,
                ));
            }
            if names.iter().any(|n| n == port_name) {
                errs.push(FieldError::duplicate(
                    &path.child("name"),
                    BadValue::str(port_name),
                ));
            }
            names.push(port_name.to_string());
        }
        let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
        if !(1..=65535).contains(&number) {
            errs.push(FieldError::invalid(
                &path.child("port"),
                BadValue::Int(number),
                "must be between 1 and 65535, inclusive",
            ));
        }
        let protocol = port
            .get("protocol")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !["SCTP", "TCP", "UDP"].contains(&protocol) {
            errs.push(FieldError::not_supported(
                &path.child("protocol"),
                BadValue::str(protocol),
                &["SCTP", "TCP", "UDP"],
            ));
        }
    }
    if !SERVICE_TYPES.contains(&kind) {
        errs.push(FieldError::not_supported(
            &spec.child("type"),
            BadValue::str(kind),
            &SERVICE_TYPES,
        ));
    }
    errs
}

fn parse_ipv4(text: &str) -> Option<u32> {
    let octets: Vec<&str> = text.split('.').collect();
    if octets.len() != 4 {
        return None;
    }
    let mut address = 0u32;
    for octet in octets {
        if octet.is_empty() || octet.len() > 3 || !octet.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: u32 = octet.parse().ok()?;
        if value > 255 {
            return None;
        }
        address = address << 8 | value;
    }
    Some(address)
}

fn format_ipv4(address: u32) -> String {
    let [a, b, c, d] = address.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::registry::create_object;
    use crate::apiserver::testutil::two_node_cluster;
    use crate::sim::SimTime;

    fn create(api: &mut ApiServer, rng: &mut Rng, service: Value) -> Result<Value, ApiError> {
        create_object(SimTime::ZERO, rng, api, Resource::Services, &service)
    }

    fn web(extra: Value) -> Value {
        let mut service = json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}
        });
        if let (Some(spec), Some(extra)) = (service["spec"].as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                spec.insert(k.clone(), v.clone());
            }
        }
        service
    }

    #[test]
    fn a_cluster_ip_is_drawn_from_the_dynamic_band_and_defaults_are_set() {
        let (mut api, _) = two_node_cluster();
        let mut rng = Rng::seeded(1);
        let stored = create(&mut api, &mut rng, web(json!({}))).unwrap();
        let ip = stored["spec"]["clusterIP"].as_str().unwrap();
        let address = parse_ipv4(ip).unwrap();
        assert!(address > SERVICE_NETWORK + STATIC_BAND, "{ip}");
        assert!(address < SERVICE_NETWORK + (1 << 20), "{ip}");
        assert_eq!(stored["spec"]["clusterIPs"], json!([ip]));
        assert_eq!(stored["spec"]["type"], "ClusterIP");
        assert_eq!(stored["spec"]["ports"][0]["protocol"], "TCP");
        assert_eq!(stored["spec"]["ports"][0]["targetPort"], 80);
        // The same seed draws the same address.
        let (mut again, _) = two_node_cluster();
        let other = create(&mut again, &mut Rng::seeded(1), web(json!({}))).unwrap();
        assert_eq!(other["spec"]["clusterIP"], stored["spec"]["clusterIP"]);
    }

    #[test]
    fn the_common_mistakes_get_the_api_servers_words() {
        let (mut api, _) = two_node_cluster();
        let mut rng = Rng::seeded(1);
        let message = |err: ApiError| match err {
            ApiError::Invalid { message, .. } => message,
            other => panic!("{other:?}"),
        };
        let mut no_ports = web(json!({}));
        no_ports["spec"].as_object_mut().unwrap().remove("ports");
        assert_eq!(
            message(create(&mut api, &mut rng, no_ports).unwrap_err()),
            "The Service \"web\" is invalid: spec.ports: Required value"
        );
        assert_eq!(
            message(create(&mut api, &mut rng, web(json!({"type": "Public"}))).unwrap_err()),
            "The Service \"web\" is invalid: spec.type: Unsupported value: \"Public\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""
        );
        create(&mut api, &mut rng, web(json!({"clusterIP": "10.96.0.20"}))).unwrap();
        let mut second = web(json!({"clusterIP": "10.96.0.20"}));
        second["metadata"]["name"] = json!("db");
        assert_eq!(
            message(create(&mut api, &mut rng, second).unwrap_err()),
            "The Service \"db\" is invalid: spec.clusterIPs: Invalid value: [\"10.96.0.20\"]: failed to allocate IP 10.96.0.20: provided IP is already allocated"
        );
        let mut outside = web(json!({"clusterIP": "10.0.0.5"}));
        outside["metadata"]["name"] = json!("api");
        assert_eq!(
            message(create(&mut api, &mut rng, outside).unwrap_err()),
            "The Service \"api\" is invalid: spec.clusterIPs: Invalid value: [\"10.0.0.5\"]: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12"
        );
    }

    #[test]
    fn node_ports_come_from_the_node_port_range() {
        let (mut api, _) = two_node_cluster();
        let mut rng = Rng::seeded(3);
        let stored = create(&mut api, &mut rng, web(json!({"type": "NodePort"}))).unwrap();
        let node_port = stored["spec"]["ports"][0]["nodePort"].as_i64().unwrap();
        assert!((30000..=32767).contains(&node_port), "{node_port}");
        assert_eq!(stored["spec"]["externalTrafficPolicy"], "Cluster");
    }
}
