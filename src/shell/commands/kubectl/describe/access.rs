//! `kubectl describe` for ServiceAccounts (`describeServiceAccount`) and RBAC objects
//! (`RoleDescriber`, `ClusterRoleDescriber`, `RoleBindingDescriber`,
//! `ClusterRoleBindingDescriber`), v1.34.
//!
//! A role's rules are shown as upstream shows them: broken down to one group and resource (or
//! one non-resource URL) per line (`rbac.BreakdownRule`), rules for the same plain resource
//! merged (`CompactRules`), and sorted by their `String()` form.

use serde_json::Value;

use super::{
    describe_events, object_events, print_metadata_maps, print_object_header, PrefixWriter,
};
use crate::shell::commands::kubectl::objutil::{array_at, name, str_at};
use crate::sim::SimTime;

/// `describeServiceAccount`: the account's secrets by use; tokens are not listed (the API
/// server no longer makes token Secrets).
pub fn describe_service_account(account: &Value, events: Option<&[Value]>, now: SimTime) -> String {
    let mut w = PrefixWriter::new();
    print_object_header(&mut w, account);
    let names = |field: &str| -> Vec<String> {
        array_at(account, &[field])
            .iter()
            .map(|s| str_at(s, &["name"]).to_string())
            .collect()
    };
    // The headers are padded to one width, and listed in sorted order.
    let sections = [
        ("Image pull secrets:", names("imagePullSecrets")),
        ("Mountable secrets: ", names("secrets")),
        ("Tokens:            ", Vec::new()),
    ];
    for (header, items) in sections {
        if items.is_empty() {
            w.write(0, &format!("{header}\t<none>\n"));
            continue;
        }
        for (i, item) in items.iter().enumerate() {
            let shown = if i == 0 {
                header
            } else {
                "                   "
            };
            w.write(0, &format!("{shown}\t{item}\n"));
        }
    }
    if let Some(events) = events {
        describe_events(
            &mut w,
            &object_events(account, "ServiceAccount", events),
            now,
        );
    }
    w.finish()
}

/// One broken-down rule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    groups: Vec<String>,
    resources: Vec<String>,
    resource_names: Vec<String>,
    urls: Vec<String>,
    verbs: Vec<String>,
}

impl Rule {
    /// `PolicyRule.String()`: `PolicyRule` and the compact form of the non-empty fields.
    fn sort_key(&self) -> String {
        let quoted = |items: &[String]| {
            items
                .iter()
                .map(|i| format!("{i:?}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut parts = Vec::new();
        for (label, items) in [
            ("APIGroups", &self.groups),
            ("Resources", &self.resources),
            ("ResourceNames", &self.resource_names),
            ("NonResourceURLs", &self.urls),
            ("Verbs", &self.verbs),
        ] {
            if !items.is_empty() {
                parts.push(format!("{label}:[{}]", quoted(items)));
            }
        }
        format!("PolicyRule{{{}}}", parts.join(", "))
    }
}

fn strings(value: &Value, field: &str) -> Vec<String> {
    array_at(value, &[field])
        .iter()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect()
}

/// `BreakdownRule` of every rule, then `CompactRules`, then the stable sort.
fn breakdown(role: &Value) -> Vec<Rule> {
    let mut rules: Vec<Rule> = Vec::new();
    for rule in array_at(role, &["rules"]) {
        let verbs = strings(rule, "verbs");
        let resource_names = strings(rule, "resourceNames");
        for group in strings(rule, "apiGroups") {
            for resource in strings(rule, "resources") {
                rules.push(Rule {
                    groups: vec![group.clone()],
                    resources: vec![resource],
                    resource_names: resource_names.clone(),
                    urls: Vec::new(),
                    verbs: verbs.clone(),
                });
            }
        }
        for url in strings(rule, "nonResourceURLs") {
            rules.push(Rule {
                groups: Vec::new(),
                resources: Vec::new(),
                resource_names: Vec::new(),
                urls: vec![url],
                verbs: verbs.clone(),
            });
        }
    }
    // CompactRules: rules for the same group and resource without names become one.
    let mut compact: Vec<Rule> = Vec::new();
    for rule in rules {
        let simple = rule.urls.is_empty() && rule.resource_names.is_empty();
        let existing = compact.iter_mut().find(|r| {
            simple
                && r.urls.is_empty()
                && r.resource_names.is_empty()
                && r.groups == rule.groups
                && r.resources == rule.resources
        });
        match existing {
            Some(existing) => existing.verbs.extend(rule.verbs),
            None => compact.push(rule),
        }
    }
    crate::sort::sort_by_key(&mut compact, Rule::sort_key);
    compact
}

/// `RoleDescriber` / `ClusterRoleDescriber`.
pub fn describe_role(role: &Value) -> String {
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", name(role)));
    print_metadata_maps(&mut w, role);
    w.write(0, "PolicyRule:\n");
    w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    w.write(1, "---------\t-----------------\t--------------\t-----\n");
    let list = |items: &[String]| format!("[{}]", items.join(" "));
    for rule in breakdown(role) {
        // CombineResourceGroup: `resource.group`, or the resource alone for the core group.
        let resource = match (rule.resources.first(), rule.groups.first()) {
            (Some(r), Some(g)) if !g.is_empty() => format!("{r}.{g}"),
            (Some(r), _) => r.clone(),
            (None, _) => String::new(),
        };
        w.write(
            1,
            &format!(
                "{resource}\t{}\t{}\t{}\n",
                list(&rule.urls),
                list(&rule.resource_names),
                list(&rule.verbs)
            ),
        );
    }
    w.finish()
}

/// `RoleBindingDescriber` / `ClusterRoleBindingDescriber`.
pub fn describe_role_binding(binding: &Value) -> String {
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", name(binding)));
    print_metadata_maps(&mut w, binding);
    w.write(0, "Role:\n");
    w.write(
        1,
        &format!("Kind:\t{}\n", str_at(binding, &["roleRef", "kind"])),
    );
    w.write(
        1,
        &format!("Name:\t{}\n", str_at(binding, &["roleRef", "name"])),
    );
    w.write(0, "Subjects:\n");
    w.write(1, "Kind\tName\tNamespace\n");
    w.write(1, "----\t----\t---------\n");
    for subject in array_at(binding, &["subjects"]) {
        w.write(
            1,
            &format!(
                "{}\t{}\t{}\n",
                str_at(subject, &["kind"]),
                str_at(subject, &["name"]),
                str_at(subject, &["namespace"])
            ),
        );
    }
    w.finish()
}
