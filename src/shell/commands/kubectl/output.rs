//! `kubectl get -o ...`: choosing a printer from the `-o` flag
//! (`staging/src/k8s.io/kubectl/pkg/cmd/get/get_flags.go` `PrintFlags.ToPrinter`, with the
//! `genericclioptions` JSON/YAML, name and template flags and
//! `pkg/cmd/get/customcolumn_flags.go`), wrapping several objects in a `List`
//! (`GetOptions.printGeneric` in `pkg/cmd/get/get.go`), and the printers that are not tables:
//! `printers.JSONPrinter` (`json.go`), `printers.YAMLPrinter` (`yaml.go`),
//! `printers.NamePrinter` (`name.go`), `printers.OmitManagedFieldsPrinter`
//! (`managedfields.go`), `printers.JSONPathPrinter` (`jsonpath.go`) and
//! `get.CustomColumnsPrinter` (`customcolumn.go`).
//!
//! Key order: `kubectl get` decodes objects as unstructured maps, so `-o json` prints keys in
//! alphabetical (byte) order at every level, exactly what `serde_json::Value` holds; `-o yaml`
//! uses go-yaml's own key order (see `yaml_out`).
//!
//! Go templates (`-o go-template=...`) are recognised but not implemented; printing with one
//! reports an error.

use serde_json::{json, Value};

use super::gofmt::{json_indent, sprint};
use super::jsonpath::{print_jsonpath, JsonPath};
use super::objutil::str_at;
use super::printers::{table, TableOptions};
use super::tabwriter::{TabConfig, TabWriter};
use super::yaml_out::to_yaml;
use crate::apiserver::store::Resource;
use crate::sim::SimTime;

/// The printer `-o` selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFormat {
    /// No `-o` (or `-o wide`): the human-readable table.
    Table {
        /// `-o wide`.
        wide: bool,
    },
    /// `-o json`.
    Json,
    /// `-o yaml`.
    Yaml,
    /// `-o name`.
    Name,
    /// `-o jsonpath=TEMPLATE` or `-o jsonpath-as-json=TEMPLATE`.
    JsonPath {
        /// The template.
        template: String,
        /// `jsonpath-as-json`: print each piece as an indented JSON array.
        as_json: bool,
    },
    /// `-o jsonpath-file=PATH`: the caller reads the file and uses [`OutputFormat::JsonPath`].
    JsonPathFile {
        /// The file to read the template from.
        path: String,
    },
    /// `-o custom-columns=SPEC`.
    CustomColumns {
        /// `HEADER:path,HEADER2:path2`.
        spec: String,
    },
    /// `-o custom-columns-file=PATH`: the caller reads the file and calls
    /// [`custom_columns_from_template`].
    CustomColumnsFile {
        /// The file to read the two-line template from.
        path: String,
    },
    /// `-o go-template=...` and friends (not supported by this playground).
    GoTemplate {
        /// The template or file name.
        template: String,
    },
}

/// Everything besides `-o` that changes what `kubectl get` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputOptions {
    /// Table layout (`-A`, `--show-labels`, `-L`, `--no-headers`, kind prefixes); `wide` is
    /// taken from the format.
    pub table: TableOptions,
    /// `--show-managed-fields`.
    pub show_managed_fields: bool,
    /// `--allow-missing-template-keys` (kubectl's default is true).
    pub allow_missing_template_keys: bool,
}

impl Default for OutputOptions {
    /// kubectl's defaults: plain table layout, managed fields hidden, missing keys allowed.
    fn default() -> OutputOptions {
        OutputOptions {
            table: TableOptions::default(),
            show_managed_fields: false,
            allow_missing_template_keys: true,
        }
    }
}

/// `PrintFlags.AllowedFormats` for `kubectl get`, sorted as kubectl lists them.
const ALLOWED_FORMATS: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

/// The printer for `-o FLAG` (empty for no flag). The error is kubectl's message without the
/// `error: ` prefix.
pub fn parse_output_format(flag: &str) -> Result<OutputFormat, String> {
    // Template printers come first, as in PrintFlags.ToPrinter.
    for (name, file) in [
        ("jsonpath", false),
        ("jsonpath-as-json", false),
        ("jsonpath-file", true),
    ] {
        let value = match flag.strip_prefix(name) {
            Some("") => "",
            Some(rest) if rest.starts_with('=') => &rest[1..],
            _ => continue,
        };
        if value.is_empty() {
            return Err("template format specified but no template given".to_string());
        }
        return Ok(if file {
            OutputFormat::JsonPathFile {
                path: value.to_string(),
            }
        } else {
            OutputFormat::JsonPath {
                template: value.to_string(),
                as_json: name == "jsonpath-as-json",
            }
        });
    }
    for name in [
        "go-template",
        "go-template-file",
        "template",
        "templatefile",
    ] {
        let value = match flag.strip_prefix(name) {
            Some("") => "",
            Some(rest) if rest.starts_with('=') => &rest[1..],
            _ => continue,
        };
        if value.is_empty() {
            return Err("template format specified but no template given".to_string());
        }
        return Ok(OutputFormat::GoTemplate {
            template: value.to_string(),
        });
    }
    match flag.to_lowercase().as_str() {
        "json" => return Ok(OutputFormat::Json),
        "yaml" => return Ok(OutputFormat::Yaml),
        _ => (),
    }
    match flag {
        "" => return Ok(OutputFormat::Table { wide: false }),
        "wide" => return Ok(OutputFormat::Table { wide: true }),
        _ => (),
    }
    for (name, file) in [("custom-columns", false), ("custom-columns-file", true)] {
        let value = match flag.strip_prefix(name) {
            Some("") => "",
            Some(rest) if rest.starts_with('=') => &rest[1..],
            _ => continue,
        };
        if value.is_empty() {
            return Err("custom-columns format specified but no custom columns given".to_string());
        }
        return Ok(if file {
            OutputFormat::CustomColumnsFile {
                path: value.to_string(),
            }
        } else {
            OutputFormat::CustomColumns {
                spec: value.to_string(),
            }
        });
    }
    if flag == "name" {
        return Ok(OutputFormat::Name);
    }
    Err(format!(
        "unable to match a printer suitable for the output format {}, allowed formats are: {ALLOWED_FORMATS}",
        super::gofmt::quote(flag)
    ))
}

/// The `List` kubectl wraps several objects in (`printGeneric`).
pub fn list_wrapper(objects: &[Value]) -> Value {
    json!({
        "apiVersion": "v1",
        "items": objects,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// What `-o json`, `-o yaml` and `-o jsonpath` are applied to: the object itself when the
/// command named exactly one object (`get pod web`), otherwise the `List` wrapper.
pub fn printed_object(objects: &[Value], single_item: bool) -> Value {
    match objects {
        [one] if single_item => one.clone(),
        _ => list_wrapper(objects),
    }
}

/// `OmitManagedFieldsPrinter`: drops `metadata.managedFields` from an object or list items.
pub fn omit_managed_fields(value: &mut Value) {
    if let Some(items) = value.get_mut("items").and_then(Value::as_array_mut) {
        for item in items {
            omit_managed_fields(item);
        }
    }
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
}

/// `kubectl get -o json` for an object or list (with the trailing newline).
pub fn to_json(value: &Value) -> String {
    let mut out = json_indent(value);
    out.push('\n');
    out
}

/// The `-o name` line of one object: `pod/web`, `deployment.apps/coredns`; the kind and
/// group come from the object's `kind`/`apiVersion`, else from `fallback`.
pub fn object_name(obj: &Value, fallback: Resource) -> String {
    let kind = match str_at(obj, &["kind"]) {
        "" => fallback.kind(),
        k => k,
    };
    let group = match str_at(obj, &["apiVersion"]) {
        "" => fallback.group(),
        api => api.rsplit_once('/').map_or("", |(g, _)| g),
    };
    let name = match str_at(obj, &["metadata", "name"]) {
        "" => "<unknown>",
        n => n,
    };
    if group.is_empty() {
        format!("{}/{name}", kind.to_lowercase())
    } else {
        format!("{}.{group}/{name}", kind.to_lowercase())
    }
}

/// Everything `kubectl get` writes to stdout for `objects` of `resource` with printer
/// `format`. `single_item` is true when the command named exactly one object. The error is
/// kubectl's message without the `error: ` prefix; an empty table is `""` (the caller prints
/// `No resources found ...` to stderr).
pub fn print_objects(
    resource: Resource,
    objects: &[Value],
    single_item: bool,
    format: &OutputFormat,
    opts: &OutputOptions,
    now: SimTime,
) -> Result<String, String> {
    match format {
        OutputFormat::Table { wide } => {
            let mut table_opts = opts.table.clone();
            table_opts.wide = *wide;
            Ok(table(resource, objects, &table_opts, now))
        }
        OutputFormat::Json | OutputFormat::Yaml => {
            let mut value = printed_object(objects, single_item);
            if !opts.show_managed_fields {
                omit_managed_fields(&mut value);
            }
            Ok(if *format == OutputFormat::Json {
                to_json(&value)
            } else {
                to_yaml(&value)
            })
        }
        OutputFormat::Name => Ok(objects
            .iter()
            .map(|o| format!("{}\n", object_name(o, resource)))
            .collect()),
        OutputFormat::JsonPath { template, as_json } => {
            let value = printed_object(objects, single_item);
            print_jsonpath(template, &value, opts.allow_missing_template_keys, *as_json)
                .map_err(|e| e.to_string())
        }
        OutputFormat::CustomColumns { spec } => {
            let columns = custom_columns_from_spec(spec)?;
            print_custom_columns(&columns, objects, opts.table.no_headers)
        }
        OutputFormat::JsonPathFile { path } | OutputFormat::CustomColumnsFile { path } => {
            Err(format!("reading template file {path} is the caller's job"))
        }
        OutputFormat::GoTemplate { .. } => {
            Err("go-template output is not supported in this playground".to_string())
        }
    }
}

/// One custom column: its header and its JSONPath template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomColumn {
    /// The header printed above the column.
    pub header: String,
    /// The JSONPath template, e.g. `{.metadata.name}`.
    pub field_spec: String,
}

/// `RelaxedJSONPathExpression`: accepts `a.b`, `.a.b`, `{a.b}` and `{.a.b}`.
pub fn relaxed_jsonpath(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let no_braces = |s: &str| !s.is_empty() && !s.contains(['{', '}']);
    // ^\{\.?([^{}]+)\}$
    if let Some(inner) = path.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        let inner = inner
            .strip_prefix('.')
            .filter(|s| no_braces(s))
            .unwrap_or(inner);
        if no_braces(inner) {
            return Ok(format!("{{.{inner}}}"));
        }
    }
    // ^\.?([^{}]+)$
    let body = path
        .strip_prefix('.')
        .filter(|s| no_braces(s))
        .unwrap_or(path);
    if no_braces(body) {
        return Ok(format!("{{.{body}}}"));
    }
    Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_string())
}

/// `NewCustomColumnsPrinterFromSpec`: `NAME:.metadata.name,NODE:.spec.nodeName`.
pub fn custom_columns_from_spec(spec: &str) -> Result<Vec<CustomColumn>, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".to_string());
    }
    spec.split(',')
        .map(|part| {
            let Some((header, path)) = part.split_once(':') else {
                return Err(format!(
                    "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
                ));
            };
            Ok(CustomColumn {
                header: header.to_string(),
                field_spec: relaxed_jsonpath(path)?,
            })
        })
        .collect()
}

/// `NewCustomColumnsPrinterFromTemplate`: a header line and a spec line, both
/// whitespace-separated (`-o custom-columns-file`).
pub fn custom_columns_from_template(template: &str) -> Result<Vec<CustomColumn>, String> {
    let mut lines = template.lines();
    let headers: Vec<&str> = lines
        .next()
        .ok_or("invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.")?
        .split_whitespace()
        .collect();
    let specs: Vec<&str> = lines
        .next()
        .ok_or("invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.")?
        .split_whitespace()
        .collect();
    if headers.len() != specs.len() {
        return Err(format!(
            "number of headers ({}) and field specifications ({}) don't match",
            headers.len(),
            specs.len()
        ));
    }
    headers
        .iter()
        .zip(specs)
        .map(|(header, spec)| {
            Ok(CustomColumn {
                header: header.to_string(),
                field_spec: relaxed_jsonpath(spec)?,
            })
        })
        .collect()
}

/// `CustomColumnsPrinter.PrintObj` for the objects of one `kubectl get`: a header (unless
/// `no_headers`), then one row per object with `<none>` for empty results and several values
/// joined by commas.
pub fn print_custom_columns(
    columns: &[CustomColumn],
    objects: &[Value],
    no_headers: bool,
) -> Result<String, String> {
    let mut text = String::new();
    if !no_headers {
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        text.push_str(&headers.join("\t"));
        text.push('\n');
    }
    let parsers = columns
        .iter()
        .map(|c| JsonPath::parse(&c.field_spec))
        .collect::<Result<Vec<_>, String>>()?;
    for obj in objects {
        let mut cells = Vec::with_capacity(parsers.len());
        for parser in &parsers {
            let values = parser.find_results(obj, true)?;
            let mut strings = Vec::new();
            if values.first().is_none_or(Vec::is_empty) {
                strings.push("<none>".to_string());
            }
            for group in &values {
                for value in group {
                    strings.push(sprint(value).replace('\u{1b}', "^[").replace('\r', "\\r"));
                }
            }
            cells.push(strings.join(","));
        }
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    let mut writer = TabWriter::new(TabConfig::KUBECTL_TABLE);
    writer.write(&text);
    Ok(writer.finish())
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::shell::commands::kubectl::fixtures as fx;
    use crate::shell::commands::kubectl::fixtures::NOW;

    fn options() -> OutputOptions {
        OutputOptions::default()
    }

    fn print(objects: &[Value], single: bool, flag: &str) -> Result<String, String> {
        let format = parse_output_format(flag)?;
        print_objects(Resource::Pods, objects, single, &format, &options(), NOW)
    }

    #[test]
    fn yaml_of_a_mirror_pod() {
        let mut pod = fx::etcd_mirror_pod();
        pod["metadata"]["managedFields"] = json!([{"manager": "kubelet"}]);
        expect![[r#"
            apiVersion: v1
            kind: Pod
            metadata:
              annotations:
                kubeadm.kubernetes.io/etcd.advertise-client-urls: https://172.30.1.2:2379
                kubernetes.io/config.hash: 6f2c9ab2d3c94d1c0a7f8e5b4c3d2e1f
                kubernetes.io/config.mirror: 6f2c9ab2d3c94d1c0a7f8e5b4c3d2e1f
                kubernetes.io/config.seen: "2026-11-22T08:00:01.5Z"
                kubernetes.io/config.source: file
              creationTimestamp: "2026-11-22T08:00:20Z"
              labels:
                component: etcd
                tier: control-plane
              name: etcd-controlplane
              namespace: kube-system
              ownerReferences:
              - apiVersion: v1
                controller: true
                kind: Node
                name: controlplane
                uid: 0b6a3c3e-7c5e-4f0e-9d51-3c1f2a9e8d10
              resourceVersion: "312"
              uid: d7e0f1a2-3b4c-4d5e-8f90-a1b2c3d4e5f6
            spec:
              containers:
              - command:
                - etcd
                - --advertise-client-urls=https://172.30.1.2:2379
                - --cert-file=/etc/kubernetes/pki/etcd/server.crt
                - --data-dir=/var/lib/etcd
                - --listen-metrics-urls=http://127.0.0.1:2381
                - --name=controlplane
                image: registry.k8s.io/etcd:3.6.4-0
                imagePullPolicy: IfNotPresent
                livenessProbe:
                  failureThreshold: 8
                  httpGet:
                    host: 127.0.0.1
                    path: /livez
                    port: probe-port
                    scheme: HTTP
                  initialDelaySeconds: 10
                  periodSeconds: 10
                  successThreshold: 1
                  timeoutSeconds: 15
                name: etcd
                ports:
                - containerPort: 2381
                  hostPort: 2381
                  name: probe-port
                  protocol: TCP
                readinessProbe:
                  failureThreshold: 3
                  httpGet:
                    host: 127.0.0.1
                    path: /readyz
                    port: probe-port
                    scheme: HTTP
                  periodSeconds: 1
                  successThreshold: 1
                  timeoutSeconds: 15
                resources:
                  requests:
                    cpu: 100m
                    memory: 100Mi
                startupProbe:
                  failureThreshold: 24
                  httpGet:
                    host: 127.0.0.1
                    path: /readyz
                    port: probe-port
                    scheme: HTTP
                  initialDelaySeconds: 10
                  periodSeconds: 10
                  successThreshold: 1
                  timeoutSeconds: 15
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                volumeMounts:
                - mountPath: /var/lib/etcd
                  name: etcd-data
                - mountPath: /etc/kubernetes/pki/etcd
                  name: etcd-certs
              dnsPolicy: ClusterFirst
              enableServiceLinks: true
              hostNetwork: true
              nodeName: controlplane
              preemptionPolicy: PreemptLowerPriority
              priority: 2000001000
              priorityClassName: system-node-critical
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext:
                seccompProfile:
                  type: RuntimeDefault
              terminationGracePeriodSeconds: 30
              tolerations:
              - effect: NoExecute
                operator: Exists
              volumes:
              - hostPath:
                  path: /etc/kubernetes/pki/etcd
                  type: DirectoryOrCreate
                name: etcd-certs
              - hostPath:
                  path: /var/lib/etcd
                  type: DirectoryOrCreate
                name: etcd-data
            status:
              conditions:
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T08:00:03Z"
                status: "True"
                type: PodReadyToStartContainers
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T08:00:01Z"
                status: "True"
                type: Initialized
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T08:00:25Z"
                status: "True"
                type: Ready
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T08:00:25Z"
                status: "True"
                type: ContainersReady
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T08:00:01Z"
                status: "True"
                type: PodScheduled
              containerStatuses:
              - containerID: containerd://4d1f0c8e2b7a9d3e5f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6
                image: registry.k8s.io/etcd:3.6.4-0
                imageID: registry.k8s.io/etcd@sha256:e36c081683425b5b3bc1425bc508b37e7107bb65dfa9367bf5a80125d431fa19
                lastState: {}
                name: etcd
                ready: true
                restartCount: 0
                started: true
                state:
                  running:
                    startedAt: "2026-11-22T08:00:02Z"
              hostIP: 172.30.1.2
              hostIPs:
              - ip: 172.30.1.2
              phase: Running
              podIP: 172.30.1.2
              podIPs:
              - ip: 172.30.1.2
              qosClass: Burstable
              startTime: "2026-11-22T08:00:01Z"
        "#]].assert_eq(&print(&[pod], true, "yaml").unwrap_or_default());
    }

    #[test]
    fn lists_names_and_json() {
        let pods = [fx::crasher_pod(), fx::etcd_mirror_pod()];
        let yaml = print(&pods, false, "yaml").unwrap_or_default();
        assert!(yaml.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n"));
        assert!(yaml.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"));
        assert_eq!(
            print(&pods, false, "name").as_deref(),
            Ok("pod/crasher\npod/etcd-controlplane\n")
        );
        assert_eq!(
            object_name(&fx::coredns_deployment(), Resource::Pods),
            "deployment.apps/coredns"
        );
        assert_eq!(
            object_name(&json!({"metadata": {"name": "x"}}), Resource::DaemonSets),
            "daemonset.apps/x"
        );
        let minimal = [
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a&b<c>"},
            "spec": {"containers": []}}),
        ];
        expect![[r#"
            {
                "apiVersion": "v1",
                "items": [
                    {
                        "apiVersion": "v1",
                        "kind": "Pod",
                        "metadata": {
                            "name": "a\u0026b\u003cc\u003e"
                        },
                        "spec": {
                            "containers": []
                        }
                    }
                ],
                "kind": "List",
                "metadata": {
                    "resourceVersion": ""
                }
            }
        "#]]
        .assert_eq(&print(&minimal, false, "json").unwrap_or_default());
        expect![[r#"
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": "a\u0026b\u003cc\u003e"
                },
                "spec": {
                    "containers": []
                }
            }
        "#]]
        .assert_eq(&print(&minimal, true, "json").unwrap_or_default());
        assert_eq!(print(&[], false, "name").as_deref(), Ok(""));
    }

    #[test]
    fn jsonpath_and_custom_columns() {
        let pods = [fx::crasher_pod(), fx::etcd_mirror_pod()];
        assert_eq!(
            print(&pods, false, "jsonpath={.items[*].metadata.name}").as_deref(),
            Ok("crasher etcd-controlplane")
        );
        assert_eq!(
            print(&pods[..1], true, "jsonpath={.metadata.name}").as_deref(),
            Ok("crasher")
        );
        expect![[r#"
            NAME                NODE           IMAGES                         GATES    LABELS
            crasher             node01         busybox:1.36                   <none>   map[run:crasher]
            etcd-controlplane   controlplane   registry.k8s.io/etcd:3.6.4-0   <none>   map[component:etcd tier:control-plane]
        "#]].assert_eq(
            &print(
                &pods,
                false,
                "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image,GATES:.spec.readinessGates,LABELS:metadata.labels",
            )
            .unwrap_or_default(),
        );
        assert_eq!(
            print(&pods, false, "custom-columns=NAME"),
            Err("unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>".into())
        );
        assert_eq!(
            print(&pods, false, "custom-columns=A:.spec.containers[5].name"),
            Err("array index out of bounds: index 5, length 1".into())
        );
        assert_eq!(
            print(&[], false, "custom-columns=NAME:.metadata.name").as_deref(),
            Ok("NAME\n")
        );
        let columns =
            custom_columns_from_template("NAME   NODE\n{.metadata.name} .spec.nodeName\n");
        assert_eq!(
            columns.and_then(|c| print_custom_columns(&c, &pods, false)).as_deref(),
            Ok("NAME                NODE\ncrasher             node01\netcd-controlplane   controlplane\n")
        );
        assert_eq!(
            custom_columns_from_template("A B\n.x\n"),
            Err("number of headers (2) and field specifications (1) don't match".into())
        );
    }

    #[test]
    fn output_flags() {
        assert_eq!(
            parse_output_format(""),
            Ok(OutputFormat::Table { wide: false })
        );
        assert_eq!(
            parse_output_format("wide"),
            Ok(OutputFormat::Table { wide: true })
        );
        assert_eq!(parse_output_format("YAML"), Ok(OutputFormat::Yaml));
        assert_eq!(parse_output_format("json"), Ok(OutputFormat::Json));
        assert_eq!(parse_output_format("name"), Ok(OutputFormat::Name));
        assert_eq!(
            parse_output_format("jsonpath={.metadata.name}"),
            Ok(OutputFormat::JsonPath {
                template: "{.metadata.name}".into(),
                as_json: false
            })
        );
        assert_eq!(
            parse_output_format("jsonpath-as-json={.a}"),
            Ok(OutputFormat::JsonPath {
                template: "{.a}".into(),
                as_json: true
            })
        );
        assert_eq!(
            parse_output_format("jsonpath"),
            Err("template format specified but no template given".into())
        );
        assert_eq!(
            parse_output_format("custom-columns=NAME:.metadata.name"),
            Ok(OutputFormat::CustomColumns {
                spec: "NAME:.metadata.name".into()
            })
        );
        assert_eq!(
            parse_output_format("custom-columns="),
            Err("custom-columns format specified but no custom columns given".into())
        );
        assert_eq!(
            parse_output_format("xml"),
            Err("unable to match a printer suitable for the output format \"xml\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml".into())
        );
    }

    #[test]
    fn relaxed_paths() {
        for input in [
            "metadata.name",
            ".metadata.name",
            "{metadata.name}",
            "{.metadata.name}",
        ] {
            assert_eq!(
                relaxed_jsonpath(input).as_deref(),
                Ok("{.metadata.name}"),
                "{input}"
            );
        }
        assert_eq!(relaxed_jsonpath("").as_deref(), Ok(""));
        assert!(relaxed_jsonpath("{.a}{.b}").is_err());
        assert!(relaxed_jsonpath("{.metadata.name").is_err());
        assert_eq!(relaxed_jsonpath("{.}").as_deref(), Ok("{..}"));
    }
}
