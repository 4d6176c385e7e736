//! `kubectl describe` (`staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go` v1.34): the
//! objects named, or by name prefix when no object has the exact name
//! (`DescribeMatchingResources`), or every object of the type; each through its describer in
//! `describe`, separated by an empty line.
//!
//! Kinds upstream has no describer for (Leases, ComponentStatuses, Events) go through the
//! generic describer; every other kind served here has a describer of its own.
//!
//! With `--show-events=false` no describer prints an Events section. Most describers leave
//! the section out when the event search fails, as upstream ignores that error; the
//! ConfigMap describer fails instead, as upstream's does.

use serde_json::Value;

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{label_query, plain_error, server_error, Client};
use super::describe::access::{describe_role, describe_role_binding, describe_service_account};
use super::describe::config::{describe_config_map, describe_secret};
use super::describe::generic::describe_generic;
use super::describe::namespace::describe_namespace;
use super::describe::network::{describe_endpoint_slice, describe_endpoints, describe_service};
use super::describe::replica_set::describe_replica_set;
use super::describe::storage::{describe_persistent_volume, describe_persistent_volume_claim};
use super::describe::{
    describe_daemonset, describe_deployment, describe_node_with_lease, describe_pod,
};
use super::objutil::{name, str_at, string_map};
use super::resources::{deprecation_warning, parse_args, resolve_type, Selection};

use crate::apiserver::leases::NODE_LEASE_NAMESPACE;
use crate::apiserver::store::Resource;
use crate::apiserver::ApiError;
use crate::shell::io::Output;

/// `kubectl describe`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "describe",
    usage: "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
    summary: "Show details of a specific resource or group of resources.",
    flags: &[
        flag(
            "all-namespaces",
            Some('A'),
            Kind::Bool,
            "If present, list the requested object(s) across all namespaces.",
        ),
        flag(
            "selector",
            Some('l'),
            Kind::Str,
            "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.",
        ),
        flag(
            "show-events",
            None,
            Kind::Bool,
            "If true, display events related to the described object.",
        ),
    ],
    unsupported: &[
        "chunk-size",
        "filename",
        "f",
        "kustomize",
        "k",
        "recursive",
        "R",
    ],
};

/// Runs `kubectl describe`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let selection = match parse_args(&parsed.args) {
        Ok(Some(selection)) => selection,
        Ok(None) => {
            return Output::err(
                "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples\n",
                1,
            )
        }
        Err(msg) => return plain_error(&msg),
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let show_events = !parsed.has("show-events") || parsed.bool("show-events");
    let all_namespaces = parsed.bool("all-namespaces");
    let mut wanted: Vec<(Resource, Option<String>)> = Vec::new();
    let resolved = match &selection {
        Selection::Types { types, names } => types.iter().try_for_each(|t| {
            let resource = resolve_type(t)?;
            if names.is_empty() {
                wanted.push((resource, None));
            }
            for n in names {
                wanted.push((resource, Some(n.clone())));
            }
            Ok::<(), String>(())
        }),
        Selection::Pairs(pairs) => pairs.iter().try_for_each(|(t, n)| {
            wanted.push((resolve_type(t)?, Some(n.clone())));
            Ok(())
        }),
    };
    if let Err(msg) = resolved {
        return plain_error(&msg);
    }
    let query = match label_query(parsed, wanted.first().map_or(Resource::Pods, |w| w.0)) {
        Ok(query) => query,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let mut texts: Vec<String> = Vec::new();
    let resources_asked: Vec<Resource> = wanted.iter().map(|w| w.0).collect();
    for (resource, wanted_name) in wanted {
        let scope = (!all_namespaces).then(|| client.namespace.clone());
        let mut objects = match client.list(resource, scope.as_deref()) {
            Ok(objects) => objects,
            Err(err) => {
                out.stderr.push_str(&server_error(&client.conn, &err));
                out.code = 1;
                continue;
            }
        };
        if let Some(q) = &query {
            objects.retain(|o| q.matches(&string_map(o, &["metadata", "labels"])));
        }
        if let Some(wanted_name) = &wanted_name {
            let exact: Vec<Value> = objects
                .iter()
                .filter(|o| name(o) == wanted_name)
                .cloned()
                .collect();
            objects = if exact.is_empty() {
                objects
                    .into_iter()
                    .filter(|o| name(o).starts_with(wanted_name.as_str()))
                    .collect()
            } else {
                exact
            };
            if objects.is_empty() {
                let err = ApiError::NotFound {
                    resource,
                    name: wanted_name.clone(),
                };
                out.stderr.push_str(&server_error(&client.conn, &err));
                out.code = 1;
                continue;
            }
        }
        for obj in &objects {
            match describe_one(client, resource, obj, show_events) {
                Ok(text) => texts.push(text),
                Err(msg) => {
                    out.stderr.push_str(&format!("error: {msg}\n"));
                    out.code = 1;
                }
            }
        }
    }
    // The describers' output comes first, then the errors collected on the way.
    let errors = std::mem::take(&mut out.stderr);
    for resource in &resources_asked {
        if let Some(warning) = deprecation_warning(*resource) {
            if !out.stderr.contains(warning) {
                out.stderr.push_str(warning);
            }
        }
    }
    if texts.is_empty() && errors.is_empty() {
        out.stderr.push_str(&if all_namespaces {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {} namespace.\n", client.namespace)
        });
    }
    out.stdout = texts.join("\n\n");
    out.stderr_after_stdout(&errors);
    out
}

/// One object through its describer.
fn describe_one(
    client: &Client<'_, '_>,
    resource: Resource,
    obj: &Value,
    show_events: bool,
) -> Result<String, String> {
    let now = client.now();
    let ns = str_at(obj, &["metadata", "namespace"]).to_string();
    // A namespaced object's events live in its namespace; a node's in any namespace.
    // A list that fails here fails the describe with the server's message.
    let list = |resource: Resource, namespace: Option<&str>| {
        client
            .list(resource, namespace)
            .map_err(|err| server_error(&client.conn, &err).trim_end().to_string())
    };
    let events_scope = resource.namespaced().then_some(ns.as_str());
    // Upstream's describers ignore a failed event search (`events, _ = searchEvents(...)`)
    // and leave the section out, as they do with `--show-events=false`.
    let searched = show_events.then(|| list(Resource::Events, events_scope));
    let events = searched
        .as_ref()
        .and_then(|r| r.as_ref().ok())
        .map(Vec::as_slice);
    Ok(match resource {
        Resource::Pods => describe_pod(obj, events, now),
        Resource::Nodes => {
            let pods: Vec<Value> = list(Resource::Pods, None)?
                .into_iter()
                .filter(|p| str_at(p, &["spec", "nodeName"]) == name(obj))
                .filter(|p| !matches!(str_at(p, &["status", "phase"]), "Succeeded" | "Failed"))
                .collect();
            // describeNodeLease: the node's Lease from kube-node-lease, if it can be read.
            let lease = client
                .get_in(Resource::Leases, NODE_LEASE_NAMESPACE, name(obj))
                .ok();
            describe_node_with_lease(obj, lease.as_ref(), &pods, events, now)
        }
        Resource::Services => {
            let slices = list(Resource::EndpointSlices, Some(&ns))?;
            let owned: Vec<&Value> = slices
                .iter()
                .filter(|s| {
                    str_at(s, &["metadata", "labels", "kubernetes.io/service-name"]) == name(obj)
                })
                .collect();
            describe_service(obj, &owned, events, now)
        }
        Resource::Endpoints => describe_endpoints(obj, events, now),
        Resource::EndpointSlices => describe_endpoint_slice(obj, events, now),
        Resource::ServiceAccounts => describe_service_account(obj, events, now),
        Resource::PersistentVolumes => describe_persistent_volume(obj, events, now),
        Resource::PersistentVolumeClaims => {
            let pods = list(Resource::Pods, Some(&ns))?;
            describe_persistent_volume_claim(obj, &pods, events, now)
        }
        Resource::Roles | Resource::ClusterRoles => describe_role(obj),
        Resource::RoleBindings | Resource::ClusterRoleBindings => describe_role_binding(obj),
        Resource::Deployments => {
            let sets = list(Resource::ReplicaSets, Some(&ns))?;
            describe_deployment(obj, &sets, events, now)
        }
        Resource::DaemonSets => {
            let pods = list(Resource::Pods, Some(&ns))?;
            describe_daemonset(obj, &pods, events, now)
        }
        Resource::ReplicaSets => {
            // A failed pod list shows in the Pods Status line instead of failing.
            let pods = client
                .list(Resource::Pods, Some(&ns))
                .map_err(|err| err.to_string());
            describe_replica_set(obj, pods.as_deref().map_err(String::as_str), events, now)
        }
        Resource::Namespaces => describe_namespace(obj),
        Resource::Secrets => describe_secret(obj),
        Resource::ConfigMaps => {
            // The ConfigMap describer alone fails when the event search fails.
            if let Some(Err(msg)) = &searched {
                return Err(msg.clone());
            }
            describe_config_map(obj, events, now)
        }
        // Upstream has no describer of its own for these (`DescriberFor` finds none), so
        // `GenericDescriberFor` describes them.
        Resource::Leases | Resource::ComponentStatuses | Resource::Events => {
            describe_generic(obj, events, now)
        }
    })
}
