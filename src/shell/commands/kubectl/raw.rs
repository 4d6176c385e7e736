//! `kubectl get --raw PATH` (`staging/src/k8s.io/kubectl/pkg/cmd/get/get.go` `raw`): a GET of
//! an API server path as the admin, its body printed as the server sent it (compact JSON, no
//! newline added). The server's health checks answer `ok`; resource paths
//! (`/api/v1/namespaces/NS/pods/NAME`, `/apis/apps/v1/deployments`, ...) answer the object or
//! its list.
//!
//! Simplified: only health checks and the resource paths of the playground's kinds are
//! served (no discovery documents, `/version`, `/metrics` or query parameters other than
//! `?verbose` on a health check, which answers `ok` too).

use serde_json::json;

use super::client::{plain_error, server_error, Client};

use crate::apiserver::store::Resource;
use crate::shell::io::Output;

/// Runs `kubectl get --raw PATH`.
pub fn run(client: &mut Client<'_, '_>, path: &str, args: &[String]) -> Output {
    if !args.is_empty() {
        return plain_error("arguments may not be passed when --raw is specified");
    }
    if let Err(out) = client.discover() {
        return out;
    }
    let bare = path.split('?').next().unwrap_or(path);
    if matches!(bare, "/livez" | "/readyz" | "/healthz") {
        return Output::ok("ok");
    }
    let parts: Vec<&str> = bare.trim_matches('/').split('/').collect();
    let rest: &[&str] = match parts.as_slice() {
        ["api", "v1", rest @ ..] => rest,
        ["apis", "apps", "v1", rest @ ..] => rest,
        _ => return not_found(),
    };
    let group = if parts[0] == "api" { "" } else { "apps" };
    let (namespace, plural, name) = match rest {
        ["namespaces", ns, plural] => (Some(*ns), *plural, None),
        ["namespaces", ns, plural, name] => (Some(*ns), *plural, Some(*name)),
        // `/api/v1/namespaces/NAME` is the namespace itself.
        ["namespaces", name] if group.is_empty() => (None, "namespaces", Some(*name)),
        [plural] => (None, *plural, None),
        [plural, name] => (None, *plural, Some(*name)),
        _ => return not_found(),
    };
    let Some(resource) = Resource::ALL
        .into_iter()
        .find(|r| r.plural() == plural && r.group() == group)
    else {
        return not_found();
    };
    if namespace.is_some() && !resource.namespaced() {
        return not_found();
    }
    let api = client.api();
    let result = match name {
        Some(name) => api
            .get_value(resource, namespace.unwrap_or(""), name)
            .map(|obj| obj.to_string()),
        None => api.list_values(resource, namespace).map(|items| {
            json!({
                "kind": format!("{}List", resource.kind()),
                "apiVersion": resource.api_version(),
                "metadata": {"resourceVersion": api.store().revision().to_string()},
                "items": items,
            })
            .to_string()
        }),
    };
    match result {
        Ok(body) => Output::ok(body),
        Err(err) => Output::err(server_error(&client.conn, &err), 1),
    }
}

fn not_found() -> Output {
    Output::err(
        "Error from server (NotFound): the server could not find the requested resource\n",
        1,
    )
}
