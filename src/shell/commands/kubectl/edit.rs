//! `kubectl edit`: kubectl would open `$EDITOR` on the object's YAML and apply what is saved.
//! The playground's terminal has no full-screen editor, so the command explains the same
//! round trip through the editor pane: save the YAML to a file, edit it, apply it.

use super::cli::{CommandSpec, Parsed};
use super::client::{plain_error, server_error, Client};
use super::resources::{parse_args, resolve_type, Selection};
use crate::shell::io::Output;

/// `kubectl edit`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "edit",
    usage: "kubectl edit (RESOURCE/NAME | -f FILENAME) [options]",
    summary: "Edit a resource on the server.",
    flags: &[],
    unsupported: &[
        "allow-missing-template-keys",
        "field-manager",
        "filename",
        "f",
        "kustomize",
        "k",
        "output",
        "o",
        "output-patch",
        "record",
        "recursive",
        "R",
        "save-config",
        "show-managed-fields",
        "subresource",
        "template",
        "validate",
        "windows-line-endings",
    ],
};

/// Runs `kubectl edit`: checks the object exists, then says how to edit it here.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let (typed, name) = match parse_args(&parsed.args) {
        Ok(Some(Selection::Types { types, names })) if types.len() == 1 && names.len() == 1 => {
            (types[0].clone(), names[0].clone())
        }
        Ok(Some(Selection::Pairs(pairs))) if pairs.len() == 1 => pairs[0].clone(),
        Ok(_) => {
            return plain_error(
                "this playground's kubectl edit takes one object: kubectl edit TYPE NAME",
            )
        }
        Err(msg) => return plain_error(&msg),
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let resource = match resolve_type(&typed) {
        Ok(r) => r,
        Err(msg) => return plain_error(&msg),
    };
    if let Err(err) = client.get(resource, &name) {
        return Output::err(server_error(&client.conn, &err), 1);
    }
    let ns = if resource.namespaced() && client.namespace != "default" {
        format!(" -n {}", client.namespace)
    } else {
        String::new()
    };
    let file = format!("{name}.yaml");
    Output::err(
        format!(
            "error: kubectl edit needs a terminal editor, which this playground does not have. Edit {kind} \"{name}\" in the editor pane instead:\n  kubectl get {plural} {name}{ns} -o yaml > {file}\n  vi {file}          # in the browser, opens {file} in the editor pane\n  kubectl apply -f {file}\n",
            kind = resource.kind().to_lowercase(),
            plural = resource.plural(),
        ),
        1,
    )
}
