//! `--field-selector` as the API server applies it (`staging/src/k8s.io/apimachinery/pkg/fields`
//! and each kind's `GetAttrs`/field label conversion): `key=value`, `key==value` and
//! `key!=value` terms joined by commas, on the fields each kind supports; any other field is
//! refused with the server's `field label not supported` BadRequest.

use serde_json::Value;

use super::objutil::{get, str_at};
use crate::apiserver::store::Resource;

/// One term.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    field: String,
    value: String,
    equal: bool,
}

/// A parsed field selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldQuery {
    terms: Vec<Term>,
}

/// The fields `resource` can be selected on, besides `metadata.name` and `metadata.namespace`.
fn supported(resource: Resource) -> &'static [&'static str] {
    match resource {
        Resource::Pods => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Resource::Nodes => &["spec.unschedulable"],
        Resource::Events => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        Resource::Namespaces => &["status.phase"],
        Resource::Secrets => &["type"],
        Resource::ReplicaSets => &["status.replicas"],
        _ => &[],
    }
}

/// Parses `text` for `resource`; the error is the server's BadRequest message (without the
/// `Error from server (BadRequest): ` prefix).
pub fn parse(resource: Resource, text: &str, label_selector: &str) -> Result<FieldQuery, String> {
    let wrap = |why: String| {
        format!(
            "Unable to find \"{}/v1, Resource={}\" that match label selector \"{label_selector}\", field selector \"{text}\": {why}",
            resource.group(),
            resource.plural()
        )
    };
    let mut terms = Vec::new();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let (field, value, equal) = if let Some((f, v)) = part.split_once("!=") {
            (f, v, false)
        } else if let Some((f, v)) = part.split_once("==") {
            (f, v, true)
        } else if let Some((f, v)) = part.split_once('=') {
            (f, v, true)
        } else {
            return Err(wrap(format!(
                "invalid selector: '{text}'; can't understand '{part}'"
            )));
        };
        let field = field.trim();
        if !matches!(field, "metadata.name" | "metadata.namespace")
            && !supported(resource).contains(&field)
        {
            return Err(wrap(format!("field label not supported: {field}")));
        }
        terms.push(Term {
            field: field.to_string(),
            value: value.trim().to_string(),
            equal,
        });
    }
    Ok(FieldQuery { terms })
}

impl FieldQuery {
    /// Whether `obj` satisfies every term.
    pub fn matches(&self, obj: &Value) -> bool {
        self.terms
            .iter()
            .all(|t| (field_value(obj, &t.field) == t.value) == t.equal)
    }
}

/// The field's value as the server's field set holds it (booleans and numbers as text).
fn field_value(obj: &Value, field: &str) -> String {
    let path: Vec<&str> = field.split('.').collect();
    if field == "source" {
        return str_at(obj, &["source", "component"]).to_string();
    }
    match get(obj, &path) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        // An unset boolean reads as false, as the typed object's zero value does.
        None if field == "spec.unschedulable" || field == "spec.hostNetwork" => "false".to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn terms_match_and_unsupported_fields_are_refused() {
        let pod = json!({"metadata": {"name": "web", "namespace": "default"},
                         "spec": {"nodeName": "node01"}, "status": {"phase": "Running"}});
        let q = parse(
            Resource::Pods,
            "spec.nodeName=node01,status.phase!=Pending",
            "",
        )
        .unwrap();
        assert!(q.matches(&pod));
        let q = parse(Resource::Pods, "metadata.name==db", "").unwrap();
        assert!(!q.matches(&pod));
        assert_eq!(
            parse(Resource::Pods, "foo=bar", "app=web"),
            Err("Unable to find \"/v1, Resource=pods\" that match label selector \"app=web\", field selector \"foo=bar\": field label not supported: foo".to_string())
        );
        assert!(parse(Resource::Deployments, "spec.replicas=1", "")
            .unwrap_err()
            .starts_with("Unable to find \"apps/v1, Resource=deployments\""));
    }
}
