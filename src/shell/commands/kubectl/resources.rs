//! Resource arguments as kubectl's resource builder reads them
//! (`staging/src/k8s.io/cli-runtime/pkg/resource/builder.go` v0.34.1,
//! `ResourceTypeOrNameArgs`): `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2 NAME...` and
//! `TYPE/NAME...`, with types named by plural, singular, kind or short name, optionally
//! followed by `.VERSION`, `.GROUP` or `.VERSION.GROUP`, case-insensitively, and the `all`
//! category for `get`.
//!
//! The names are those the emulated API server's discovery would list; anything else is
//! `the server doesn't have a resource type "x"`.

use crate::apiserver::store::Resource;

/// The resources of kubectl's `all` category that this API server serves, in category order.
pub const ALL_CATEGORY: [Resource; 5] = [
    Resource::Pods,
    Resource::Services,
    Resource::DaemonSets,
    Resource::Deployments,
    Resource::ReplicaSets,
];

/// The short names discovery advertises for `resource`.
pub fn short_names(resource: Resource) -> &'static [&'static str] {
    match resource {
        Resource::Pods => &["po"],
        Resource::Nodes => &["no"],
        Resource::Namespaces => &["ns"],
        Resource::Events => &["ev"],
        Resource::ConfigMaps => &["cm"],
        Resource::Secrets => &[],
        Resource::Deployments => &["deploy"],
        Resource::DaemonSets => &["ds"],
        Resource::ReplicaSets => &["rs"],
        Resource::Services => &["svc"],
        Resource::Endpoints => &["ep"],
        Resource::ServiceAccounts => &["sa"],
        Resource::PersistentVolumes => &["pv"],
        Resource::PersistentVolumeClaims => &["pvc"],
        Resource::ComponentStatuses => &["cs"],
        Resource::EndpointSlices
        | Resource::Leases
        | Resource::Roles
        | Resource::RoleBindings
        | Resource::ClusterRoles
        | Resource::ClusterRoleBindings => &[],
    }
}

/// The warning the API server sends with every response about `resource`, if it is
/// deprecated, as kubectl prints it on stderr.
pub fn deprecation_warning(resource: Resource) -> Option<&'static str> {
    match resource {
        Resource::Endpoints => Some(
            "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n",
        ),
        Resource::ComponentStatuses => Some("Warning: v1 ComponentStatus is deprecated in v1.19+\n"),
        _ => None,
    }
}

/// The singular name (`pod`).
pub fn singular(resource: Resource) -> String {
    resource.kind().to_lowercase()
}

/// The resource a type argument names, or kubectl's error for an unknown one.
pub fn resolve_type(arg: &str) -> Result<Resource, String> {
    let lowered = arg.to_lowercase();
    let (name, qualifier) = match lowered.split_once('.') {
        Some((name, rest)) => (name.to_string(), Some(rest.to_string())),
        None => (lowered.clone(), None),
    };
    let found = Resource::ALL.into_iter().find(|r| {
        r.plural() == name || singular(*r) == name || short_names(*r).contains(&name.as_str())
    });
    let Some(resource) = found else {
        return Err(format!(
            "the server doesn't have a resource type \"{name}\""
        ));
    };
    let Some(qualifier) = qualifier else {
        return Ok(resource);
    };
    // `.v1`, `.apps`, `.v1.apps`: the version, then the group.
    // A group has dots of its own (`discovery.k8s.io`): only a leading `v<digit>` segment is
    // a version.
    let is_version =
        |s: &str| s.starts_with('v') && s[1..].starts_with(|c: char| c.is_ascii_digit());
    let (version, group) = match qualifier.split_once('.') {
        Some((v, g)) if is_version(v) => (Some(v.to_string()), g.to_string()),
        None if is_version(&qualifier) => (Some(qualifier.clone()), resource.group().to_string()),
        _ => (None, qualifier.clone()),
    };
    let version_ok = version.as_deref().is_none_or(|v| v == "v1");
    if group != resource.group() || !version_ok {
        return Err(match version {
            Some(v) if !group.is_empty() => format!(
                "the server doesn't have a resource type \"{name}\" in group \"{group}\" and version \"{v}\""
            ),
            Some(v) => format!(
                "the server doesn't have a resource type \"{name}\" in version \"{v}\""
            ),
            None => format!("the server doesn't have a resource type \"{name}\" in group \"{group}\""),
        });
    }
    Ok(resource)
}

/// What the resource arguments ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// `TYPE[,TYPE...] [NAME...]`: with no names, every object of the types.
    Types {
        /// The types, as typed (resolved later, after discovery).
        types: Vec<String>,
        /// The names.
        names: Vec<String>,
    },
    /// `TYPE/NAME...` (or several types with names, which the builder turns into pairs).
    Pairs(Vec<(String, String)>),
}

impl Selection {
    /// Whether the command named exactly one object (the builder's `singleItemImplied`).
    pub fn single_item(&self) -> bool {
        match self {
            Selection::Types { types, names } => types.len() == 1 && names.len() == 1,
            Selection::Pairs(pairs) => pairs.len() == 1,
        }
    }
}

/// Splits resource arguments the way the builder does. Returns `None` when there are none.
pub fn parse_args(args: &[String]) -> Result<Option<Selection>, String> {
    if args.is_empty() {
        return Ok(None);
    }
    let slashes = args.iter().filter(|a| a.contains('/')).count();
    if slashes > 0 {
        if slashes != args.len() {
            return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string());
        }
        let mut pairs = Vec::new();
        for arg in args {
            let parts: Vec<&str> = arg.split('/').collect();
            if parts.len() != 2 {
                return Err(
                    "arguments in resource/name form may not have more than one slash".to_string(),
                );
            }
            let (kind, name) = (parts[0], parts[1]);
            if kind.is_empty() || name.is_empty() || kind.contains(',') {
                return Err(
                    "arguments in resource/name form must have a single resource and name"
                        .to_string(),
                );
            }
            pairs.push((kind.to_string(), name.to_string()));
        }
        return Ok(Some(Selection::Pairs(pairs)));
    }
    let types: Vec<String> = args[0]
        .split(',')
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();
    let names: Vec<String> = args[1..].to_vec();
    if types.len() > 1 && !names.is_empty() {
        let mut pairs = Vec::new();
        for kind in &types {
            for name in &names {
                pairs.push((kind.clone(), name.clone()));
            }
        }
        return Ok(Some(Selection::Pairs(pairs)));
    }
    Ok(Some(Selection::Types { types, names }))
}

/// The `kind/name` kubectl prints for an object of `resource` (`pod/web`,
/// `deployment.apps/coredns`).
pub fn kind_name(resource: Resource, name: &str) -> String {
    if resource.group().is_empty() {
        format!("{}/{name}", singular(resource))
    } else {
        format!("{}.{}/{name}", singular(resource), resource.group())
    }
}

/// The `kind` or `kind.group` kubectl prints in messages (`pod`, `deployment.apps`).
pub fn kind_string(resource: Resource) -> String {
    if resource.group().is_empty() {
        singular(resource)
    } else {
        format!("{}.{}", singular(resource), resource.group())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_spelling_of_a_type() {
        for name in ["pods", "pod", "po", "Pod", "PODS", "pods.v1"] {
            assert_eq!(resolve_type(name), Ok(Resource::Pods), "{name}");
        }
        for name in [
            "deploy",
            "deployments.apps",
            "deployment.v1.apps",
            "Deployment",
        ] {
            assert_eq!(resolve_type(name), Ok(Resource::Deployments), "{name}");
        }
        assert_eq!(resolve_type("ds"), Ok(Resource::DaemonSets));
        assert_eq!(resolve_type("cm"), Ok(Resource::ConfigMaps));
        assert_eq!(resolve_type("ev"), Ok(Resource::Events));
        assert_eq!(resolve_type("no"), Ok(Resource::Nodes));
        assert_eq!(resolve_type("svc"), Ok(Resource::Services));
        assert_eq!(resolve_type("ep"), Ok(Resource::Endpoints));
        assert_eq!(resolve_type("endpoints"), Ok(Resource::Endpoints));
        assert_eq!(resolve_type("cs"), Ok(Resource::ComponentStatuses));
        assert_eq!(
            resolve_type("componentstatus"),
            Ok(Resource::ComponentStatuses)
        );
        assert_eq!(resolve_type("pvc"), Ok(Resource::PersistentVolumeClaims));
        assert_eq!(
            resolve_type("endpointslices.discovery.k8s.io"),
            Ok(Resource::EndpointSlices)
        );
        assert_eq!(
            resolve_type("lease.v1.coordination.k8s.io"),
            Ok(Resource::Leases)
        );
        assert_eq!(
            resolve_type("clusterrolebinding"),
            Ok(Resource::ClusterRoleBindings)
        );
        assert_eq!(
            resolve_type("roles.rbac.authorization.k8s.io"),
            Ok(Resource::Roles)
        );
    }

    #[test]
    fn unknown_types_are_the_servers_error() {
        assert_eq!(
            resolve_type("foo").unwrap_err(),
            "the server doesn't have a resource type \"foo\""
        );
        assert_eq!(
            resolve_type("deployments.extensions").unwrap_err(),
            "the server doesn't have a resource type \"deployments\" in group \"extensions\""
        );
    }

    #[test]
    fn builder_argument_forms() {
        assert_eq!(parse_args(&[]), Ok(None));
        assert_eq!(
            parse_args(&strings(&["pods", "web", "db"])),
            Ok(Some(Selection::Types {
                types: strings(&["pods"]),
                names: strings(&["web", "db"])
            }))
        );
        assert_eq!(
            parse_args(&strings(&["pod/web", "deploy/coredns"])),
            Ok(Some(Selection::Pairs(vec![
                ("pod".into(), "web".into()),
                ("deploy".into(), "coredns".into())
            ])))
        );
        assert_eq!(
            parse_args(&strings(&["pods,nodes", "x"])),
            Ok(Some(Selection::Pairs(vec![
                ("pods".into(), "x".into()),
                ("nodes".into(), "x".into())
            ])))
        );
        assert!(parse_args(&strings(&["pods", "pod/web"]))
            .unwrap_err()
            .starts_with("there is no need to specify a resource type"));
        assert_eq!(
            parse_args(&strings(&["pod/web/x"])).unwrap_err(),
            "arguments in resource/name form may not have more than one slash"
        );
    }

    #[test]
    fn single_item_implied() {
        let one = parse_args(&strings(&["pod", "web"])).unwrap().unwrap();
        assert!(one.single_item());
        let list = parse_args(&strings(&["pods"])).unwrap().unwrap();
        assert!(!list.single_item());
    }

    #[test]
    fn printed_kind_names() {
        assert_eq!(kind_name(Resource::Pods, "web"), "pod/web");
        assert_eq!(
            kind_name(Resource::Deployments, "coredns"),
            "deployment.apps/coredns"
        );
    }
}
