//! `kubectl get` (`staging/src/k8s.io/kubectl/pkg/cmd/get/get.go` v1.34): resource arguments,
//! label selectors, namespaces, every `-o` printer, `-w`, and `--watch-only` (no list first; the
//! first change prints with the headers).
//!
//! Simplified: in a script a watch (`-w`) ends after [`WATCH_LIMIT`] of virtual time, or after
//! `--request-timeout` when that is given, so the script cannot hang on it (in the browser it
//! runs until Ctrl-C; see [`super::watch`]). The API server serves no Services, so `get all` lists
//! pods and the workload kinds only.

use serde_json::Value;

use super::cli::{flag, CommandSpec, Kind, Parsed};
use super::client::{label_query, plain_error, server_error, Client};
use super::objutil::{name, string_map};
use super::output::{
    custom_columns_from_template, parse_output_format, print_objects, OutputFormat, OutputOptions,
};
use super::printers::{tables, TableOptions};
use super::resources::{deprecation_warning, parse_args, resolve_type, Selection, ALL_CATEGORY};
use super::selector::LabelQuery;
use super::watch::{GetWatch, Target};
use crate::apiserver::store::Resource;
use crate::node::fs::normalize;
use crate::shell::commands::parse_duration_arg;
use crate::shell::io::Output;
use crate::sim::SimDuration;

/// How long a script's watch runs without `--request-timeout`.
pub const WATCH_LIMIT: SimDuration = SimDuration::from_secs(60);

/// `kubectl get`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "get",
    usage: "kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
    summary: "Display one or many resources.",
    flags: &[
        flag("all-namespaces", Some('A'), Kind::Bool, "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace."),
        flag("field-selector", None, Kind::Str, "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        flag("ignore-not-found", None, Kind::Bool, "If set to true, suppresses NotFound error for specific objects that do not exist."),
        flag("label-columns", Some('L'), Kind::Strings, "Accepts a comma separated list of labels that are going to be presented as columns."),
        flag("no-headers", None, Kind::Bool, "When using the default or custom-column output format, don't print headers (default print headers)."),
        flag("output", Some('o'), Kind::Str, "Output format. One of: (json, yaml, name, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide)."),
        flag("raw", None, Kind::Str, "Raw URI to request from the server.  Uses the transport specified by the kubeconfig file."),
        flag("selector", Some('l'), Kind::Str, "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2)."),
        flag("show-labels", None, Kind::Bool, "When printing, show all labels as the last column (default hide labels column)."),
        flag("show-managed-fields", None, Kind::Bool, "If true, keep the managedFields when printing objects in JSON or YAML format."),
        flag("sort-by", None, Kind::Str, "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string."),
        flag("watch", Some('w'), Kind::Bool, "After listing/getting the requested object, watch for changes."),
        flag("watch-only", None, Kind::Bool, "Watch for changes to the requested object(s), without listing/getting first."),
    ],
    unsupported: &[
        "chunk-size", "filename", "f", "kustomize", "k", "output-watch-events",
        "recursive", "R", "server-print", "show-kind", "subresource",
        "template", "allow-missing-template-keys",
    ],
};

/// One kind's share of the answer.
struct Group {
    resource: Resource,
    objects: Vec<Value>,
}

/// Runs `kubectl get`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    if let Some(path) = parsed.get("raw") {
        return super::raw::run(client, path, &parsed.args);
    }
    let selection = match parse_args(&parsed.args) {
        Ok(Some(selection)) => selection,
        Ok(None) => {
            return Output::err(
                "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n",
                1,
            )
        }
        Err(msg) => return plain_error(&msg),
    };
    let format = match output_format(client, parsed) {
        Ok(format) => format,
        Err(out) => return out,
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let first = match first_type(&selection) {
        Ok(resource) => resource,
        Err(msg) => return plain_error(&msg),
    };
    let query = match label_query(parsed, first) {
        Ok(query) => query,
        Err(out) => return out,
    };
    let all_namespaces = parsed.bool("all-namespaces");
    let mut out = Output::default();
    let (mut groups, single_item) =
        match collect(client, parsed, &selection, query.as_ref(), &mut out) {
            Ok(found) => found,
            Err(msg) => return plain_error(&msg),
        };
    if let Some(spec) = parsed.get("sort-by").filter(|s| !s.is_empty()) {
        for group in &mut groups {
            if let Err(msg) = super::sort_by::sort_objects(&mut group.objects, spec) {
                return plain_error(&msg);
            }
        }
    }
    // The watch builder asks for a single type before anything is printed.
    let watching = parsed.bool("watch") || parsed.bool("watch-only");
    if watching && groups.len() > 1 {
        return plain_error("you may only specify a single resource type");
    }
    let opts = OutputOptions {
        table: TableOptions {
            wide: false,
            show_labels: parsed.bool("show-labels"),
            with_namespace: all_namespaces,
            no_headers: parsed.bool("no-headers"),
            kind_prefix: groups.len() > 1 || is_all(&selection),
            label_columns: label_columns(parsed),
        },
        show_managed_fields: parsed.bool("show-managed-fields"),
        allow_missing_template_keys: true,
    };
    let now = client.now();
    let printed = match print(&groups, single_item, &format, &opts, now) {
        Ok(text) => text,
        Err(msg) => {
            out.stderr.push_str(&format!("error: {msg}\n"));
            out.code = 1;
            return out;
        }
    };
    // kubectl prints what it found, then the errors it collected on the way.
    let errors = std::mem::take(&mut out.stderr);
    // The server's deprecation warnings come with the responses, before anything is printed;
    // kubectl prints each distinct one once.
    for group in &groups {
        if let Some(warning) = deprecation_warning(group.resource) {
            if !out.stderr.contains(warning) {
                out.stderr.push_str(warning);
            }
        }
    }
    let nothing = groups.iter().all(|g| g.objects.is_empty());
    if parsed.bool("watch-only") {
        // Nothing is listed first: the watch prints the changes alone.
        out.stderr_after_stdout(&errors);
        return watch(client, parsed, &groups, query.as_ref(), &opts, &format, out);
    }
    if nothing
        && errors.is_empty()
        && !parsed.bool("ignore-not-found")
        && matches!(format, OutputFormat::Table { .. })
    {
        out.stderr
            .push_str(&no_resources(client, &groups, all_namespaces));
    }
    out.stdout.push_str(&printed);
    out.stderr_after_stdout(&errors);
    if watching {
        return watch(client, parsed, &groups, query.as_ref(), &opts, &format, out);
    }
    out
}

/// `-o`, with `-o custom-columns-file=` and `-o jsonpath-file=` read from the shell's host.
fn output_format(client: &mut Client<'_, '_>, parsed: &Parsed) -> Result<OutputFormat, Output> {
    let format =
        parse_output_format(parsed.get("output").unwrap_or("")).map_err(|msg| plain_error(&msg))?;
    let read = |client: &mut Client<'_, '_>, path: &str| -> Result<String, Output> {
        let abs = normalize(client.world.cwd, path);
        let host = client.world.host;
        client
            .cluster()
            .host(host)
            .node
            .fs
            .read_to_string(&abs)
            .map_err(|err| plain_error(&err.go_path_error("open", path)))
    };
    Ok(match format {
        OutputFormat::JsonPathFile { path } => OutputFormat::JsonPath {
            template: read(client, &path)?,
            as_json: false,
        },
        OutputFormat::CustomColumnsFile { path } => {
            let text = read(client, &path)?;
            let columns = custom_columns_from_template(&text).map_err(|m| plain_error(&m))?;
            OutputFormat::CustomColumns {
                spec: columns
                    .iter()
                    .map(|c| format!("{}:{}", c.header, c.field_spec))
                    .collect::<Vec<_>>()
                    .join(","),
            }
        }
        other => other,
    })
}

fn label_columns(parsed: &Parsed) -> Vec<String> {
    parsed
        .all("label-columns")
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect()
}

/// The first type asked for, whose list request goes out first (`all` starts with pods).
fn first_type(selection: &Selection) -> Result<Resource, String> {
    let typed = match selection {
        Selection::Types { types, .. } => types.first(),
        Selection::Pairs(pairs) => pairs.first().map(|(t, _)| t),
    };
    match typed {
        Some(t) if t.eq_ignore_ascii_case("all") => Ok(ALL_CATEGORY[0]),
        Some(t) => resolve_type(t),
        None => Ok(Resource::Pods),
    }
}

fn is_all(selection: &Selection) -> bool {
    matches!(selection, Selection::Types { types, .. } if types.iter().any(|t| t.eq_ignore_ascii_case("all")))
}

/// Resolves the types and fetches the objects; NotFound errors go to `out` (kubectl goes on
/// with the rest). Returns the groups in the order asked and whether one object was named.
fn collect(
    client: &Client<'_, '_>,
    parsed: &Parsed,
    selection: &Selection,
    query: Option<&LabelQuery>,
    out: &mut Output,
) -> Result<(Vec<Group>, bool), String> {
    let all_namespaces = parsed.bool("all-namespaces");
    let ignore_missing = parsed.bool("ignore-not-found");
    let scope = |client: &Client<'_, '_>| {
        if all_namespaces {
            None
        } else {
            Some(client.namespace.clone())
        }
    };
    let mut groups: Vec<Group> = Vec::new();
    let group_of = |groups: &mut Vec<Group>, resource: Resource| -> usize {
        match groups.iter().position(|g| g.resource == resource) {
            Some(idx) => idx,
            None => {
                groups.push(Group {
                    resource,
                    objects: Vec::new(),
                });
                groups.len() - 1
            }
        }
    };
    let fetch = |groups: &mut Vec<Group>, resource: Resource, wanted: &str, out: &mut Output| {
        let idx = group_of(groups, resource);
        match client.get(resource, wanted) {
            Ok(obj) => groups[idx].objects.push(obj),
            Err(err) if ignore_missing && err.reason() == "NotFound" => (),
            Err(err) => {
                out.stderr.push_str(&server_error(&client.conn, &err));
                out.code = 1;
            }
        }
    };
    match selection {
        Selection::Types { types, names } => {
            let mut resources = Vec::new();
            for typed in types {
                if typed.eq_ignore_ascii_case("all") {
                    resources.extend(ALL_CATEGORY);
                } else {
                    resources.push(resolve_type(typed)?);
                }
            }
            if names.is_empty() {
                for resource in resources {
                    let idx = group_of(&mut groups, resource);
                    let ns = scope(client);
                    let mut objects = match client.list(resource, ns.as_deref()) {
                        Ok(objects) => objects,
                        Err(err) => {
                            out.stderr.push_str(&server_error(&client.conn, &err));
                            out.code = 1;
                            continue;
                        }
                    };
                    if let Some(query) = query {
                        objects.retain(|o| query.matches(&string_map(o, &["metadata", "labels"])));
                    }
                    if let Some(text) = parsed.get("field-selector").filter(|t| !t.is_empty()) {
                        let labels = parsed.get("selector").unwrap_or("");
                        match super::field_selector::parse(resource, text, labels) {
                            Ok(fields) => objects.retain(|o| fields.matches(o)),
                            Err(why) => {
                                out.stderr
                                    .push_str(&format!("Error from server (BadRequest): {why}\n"));
                                out.code = 1;
                                continue;
                            }
                        }
                    }
                    groups[idx].objects.extend(objects);
                }
                return Ok((groups, false));
            }
            if query.is_some() || parsed.has("field-selector") {
                return Err(
                    "selectors and the all flag cannot be used when passing resource/name arguments"
                        .to_string(),
                );
            }
            for resource in &resources {
                for wanted in names {
                    fetch(&mut groups, *resource, wanted, out);
                }
            }
        }
        Selection::Pairs(pairs) => {
            if query.is_some() || parsed.has("field-selector") {
                return Err(
                    "selectors and the all flag cannot be used when passing resource/name arguments"
                        .to_string(),
                );
            }
            for (typed, wanted) in pairs {
                let resource = resolve_type(typed)?;
                fetch(&mut groups, resource, wanted, out);
            }
        }
    }
    Ok((groups, selection.single_item()))
}

/// Prints the groups with the chosen printer.
fn print(
    groups: &[Group],
    single_item: bool,
    format: &OutputFormat,
    opts: &OutputOptions,
    now: crate::sim::SimTime,
) -> Result<String, String> {
    match format {
        OutputFormat::Table { wide } => {
            let mut table_opts = opts.table.clone();
            table_opts.wide = *wide;
            let refs: Vec<(Resource, &[Value])> = groups
                .iter()
                .map(|g| (g.resource, g.objects.as_slice()))
                .collect();
            Ok(tables(&refs, &table_opts, now))
        }
        OutputFormat::Name | OutputFormat::CustomColumns { .. } => {
            let mut text = String::new();
            for g in groups.iter().filter(|g| !g.objects.is_empty()) {
                text.push_str(&print_objects(
                    g.resource,
                    &g.objects,
                    single_item,
                    format,
                    opts,
                    now,
                )?);
            }
            Ok(text)
        }
        _ => {
            let objects: Vec<Value> = groups.iter().flat_map(|g| g.objects.clone()).collect();
            let resource = groups.first().map_or(Resource::Pods, |g| g.resource);
            print_objects(resource, &objects, single_item, format, opts, now)
        }
    }
}

/// `No resources found in default namespace.` and its variants.
fn no_resources(client: &Client<'_, '_>, groups: &[Group], all_namespaces: bool) -> String {
    let namespaced = groups.iter().all(|g| g.resource.namespaced());
    if all_namespaces || !namespaced {
        "No resources found\n".to_string()
    } else {
        format!("No resources found in {} namespace.\n", client.namespace)
    }
}

/// `-w`: after the first answer, the watch of its one type goes on (see [`GetWatch`]).
fn watch(
    client: &mut Client<'_, '_>,
    parsed: &Parsed,
    groups: &[Group],
    query: Option<&LabelQuery>,
    opts: &OutputOptions,
    format: &OutputFormat,
    out: Output,
) -> Output {
    let [group] = groups else {
        return out;
    };
    let timeout = parsed
        .get("request-timeout")
        .and_then(parse_duration_arg)
        .filter(|d| *d > SimDuration::ZERO);
    let by_name = parsed.args.len() > 1 || parsed.args.iter().any(|a| a.contains('/'));
    let target = Target {
        conn: client.conn.clone(),
        resource: group.resource,
        namespace: (!parsed.bool("all-namespaces")).then(|| client.namespace.clone()),
        named: by_name.then(|| group.objects.iter().map(|o| name(o).to_string()).collect()),
        query: query.cloned(),
    };
    let end = timeout.map(|t| client.now() + t);
    let code = out.code;
    let watch = GetWatch::start(
        client.world.cluster,
        target,
        format.clone(),
        opts,
        end,
        code,
        parsed.bool("watch-only"),
    );
    // With --request-timeout the watch ends by itself; a script's watch stops at the limit.
    let bound = match timeout {
        Some(_) => None,
        None => Some(WATCH_LIMIT),
    };
    client.world.follow(watch, out, bound)
}
