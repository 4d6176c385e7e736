//! Static pod manifests: the kubelet's own decoding, defaults and validation run on the text,
//! each problem placed where it is written; the fields the kubelet silently drops; the rules
//! only a static pod has (its mirror needs its namespace, one document per file); and what
//! the file source will do with the file when it is saved.
//!
//! Simplified (also in the README's fidelity notes):
//! - The kubelet logs a manifest's validation errors as one `invalid pod: [...]`; here each
//!   field's error is its own diagnostic, and the whole message is `kubelet_error`.
//! - "Did you mean" is the editor's own help; the kubelet drops unknown fields silently.
//! - Another manifest defining the same pod is found in the file source's memory of which
//!   file gave which pod (what the kubelet knows), not by reading every other file again.
//! - A file outside `staticPodPath` is checked as a pod only when its first document says
//!   `kind: Pod`, or when it is a `.yaml`, `.yml` or `.json` file that does not parse.

use k8s_openapi::api::core::v1 as corev1;
use serde_json::Value;

use crate::apiserver::admission::check_namespace_for_create;
use crate::apiserver::store::Resource;
use crate::apiserver::validation::{parse_steps, render_steps, Step};
use crate::cluster::{Cluster, Host};
use crate::kubelet::config::common::{apply_defaults, decode_single_pod, PodRefusal, StaticSource};
use crate::kubelet::config::config::pods_differ_semantically;
use crate::kubelet::config::file::{extract_error, store_key, SourceFile};
use crate::kubelet::context::Ctx;
use crate::shell::commands::kubectl::manifest::decode_with_unknown_fields;
use crate::sim::trace::Trace;
use crate::sim::Rng;
use crate::view::editor::fields::{did_you_mean, struct_fields};
use crate::view::editor::locate::{Located, Range};
use crate::view::editor::target::{Role, Target};
use crate::view::editor::{Diagnostic, EditorAnalysis, Preview, Severity};
use crate::yaml;

/// The analysis of a file that is, or may become, a static pod manifest.
pub fn analyse(cluster: &Cluster, host: &Host, target: &Target<'_>, text: &str) -> EditorAnalysis {
    let manifest = match &target.role {
        Role::Manifest { file, single_file } => Some((file.as_str(), *single_file)),
        _ => None,
    };
    let preview_elsewhere = |role: &Role| match role {
        Role::DotFile => Preview::DotFile,
        Role::InSubfolder { static_pod_path } => Preview::InSubfolder {
            static_pod_path: static_pod_path.clone(),
        },
        Role::Elsewhere { static_pod_path } => Preview::NotInStaticPodPath {
            static_pod_path: static_pod_path.clone(),
        },
        Role::NoStaticPodPath => Preview::NoStaticPodPath,
        _ => Preview::KubeletNotRunning {
            node: host.node.name.clone(),
        },
    };
    if manifest.is_none() && !looks_like_pod(&target.path, text) {
        return EditorAnalysis {
            diagnostics: Vec::new(),
            preview: preview_elsewhere(&target.role),
            kubelet_error: None,
        };
    }
    let file = manifest.map_or(target.path.as_str(), |(file, _)| file);
    let located = Located::new(text);
    let mut checker = Checker {
        cluster,
        host,
        target,
        located: &located,
        out: Vec::new(),
    };
    let result = checker.check(file, text);
    let mut diagnostics = checker.out;
    let (preview, kubelet_error) = match manifest {
        None => (preview_elsewhere(&target.role), None),
        Some((file, single_file)) => {
            let source = target.kubelet.and_then(|k| k.file_source());
            match source {
                None => (preview_elsewhere(&target.role), None),
                Some(source) => {
                    let preview = save_preview(host, source, file, single_file, &result);
                    if let Preview::Replaces { other_file, .. } = &preview {
                        diagnostics.push(Diagnostic::new(
                            located.field_or_parent(&path(&["metadata", "name"])),
                            Severity::Warning,
                            format!(
                                "another manifest, {other_file:?}, defines the same static pod: the kubelet runs only one of them (at each relist, the later file name's)"
                            ),
                        ));
                    }
                    let error = result
                        .as_ref()
                        .err()
                        .map(|refusal| extract_error(file, refusal.parsed(), refusal.to_string()));
                    (preview, error)
                }
            }
        }
    };
    EditorAnalysis {
        diagnostics,
        preview,
        kubelet_error,
    }
}

/// Whether a file the kubelet does not read is worth checking as a pod: its first document
/// says `kind: Pod`, or it is a YAML or JSON file that does not parse.
fn looks_like_pod(path: &str, text: &str) -> bool {
    match yaml::from_str_first(text) {
        Ok(value) => value.get("kind").and_then(Value::as_str) == Some("Pod"),
        Err(_) => [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| path.ends_with(ext)),
    }
}

struct Checker<'a, 'c> {
    cluster: &'a Cluster,
    host: &'a Host,
    target: &'a Target<'c>,
    located: &'a Located<'a>,
    out: Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    /// Runs the kubelet's decoding of `text` as the manifest `file` and records every problem.
    fn check(&mut self, file: &str, text: &str) -> Result<corev1::Pod, PodRefusal> {
        // The decoder logs as it goes; the editor's scratch log and generator are thrown away,
        // and neither the UID nor any check depends on them.
        let mut rng = Rng::seeded(0);
        let mut trace = Trace::default();
        let mut ctx = Ctx {
            now: self.cluster.now(),
            host: &self.host.node.name,
            rng: &mut rng,
            trace: &mut trace,
        };
        let node_name = self.target.node_name.clone();
        let mut default_fn = |ctx: &mut Ctx<'_>, pod: &mut corev1::Pod| {
            apply_defaults(ctx, pod, StaticSource::File(file), &node_name)
        };
        let result = decode_single_pod(&mut ctx, text, &mut default_fn);
        if let Some(range) = self.located.next_document() {
            self.push(
                range,
                Severity::Warning,
                "the kubelet reads only the first YAML document of a manifest: this document and any after it are ignored".to_string(),
            );
        }
        let decoded_as_pod = match &result {
            Ok(_) => true,
            Err(refusal) => {
                self.refusal(refusal);
                refusal.parsed()
            }
        };
        if decoded_as_pod {
            self.unknown_fields(text);
        }
        if let Ok(pod) = &result {
            self.mirror_rules(pod);
            self.overridden_fields();
        }
        result
    }

    fn push(&mut self, range: Range, severity: Severity, message: String) {
        self.out.push(Diagnostic::new(range, severity, message));
    }

    /// Places the kubelet's refusal: one diagnostic per validation error, each at its field.
    fn refusal(&mut self, refusal: &PodRefusal) {
        let located = self.located;
        match refusal {
            PodRefusal::Unparsed {
                message,
                at: Some((line, column)),
                ..
            } => {
                let range = match message.starts_with("error converting YAML to JSON") {
                    true => located.syntax_error(*line, *column),
                    false => located.at(*line, *column),
                };
                self.push(range, Severity::Error, message.clone());
            }
            PodRefusal::Unparsed {
                message,
                field: Some(field),
                ..
            } => {
                let range = located.field_or_parent(&path(&[field]));
                self.push(range, Severity::Error, message.clone());
            }
            PodRefusal::Unparsed { message, .. } => {
                self.push(located.start(), Severity::Error, message.clone());
            }
            PodRefusal::NoName => {
                let range = located.field_or_parent(&path(&["metadata", "name"]));
                self.push(range, Severity::Error, refusal.to_string());
            }
            PodRefusal::Invalid(errs) => {
                for err in errs {
                    let range = located.field_or_parent(&parse_steps(&err.field));
                    self.push(range, Severity::Error, err.to_string());
                }
            }
            PodRefusal::ApiReference(message) => {
                let resource = message
                    .strip_prefix("static pods may not reference ")
                    .unwrap_or_default();
                let range = located
                    .first_key_named(&path(&["spec"]), reference_keys(resource))
                    .unwrap_or_else(|| located.field_or_parent(&path(&["spec"])));
                self.push(range, Severity::Error, message.clone());
            }
        }
    }

    /// Fields the kubelet's lenient decoding drops without a word: found as the API server's
    /// strict decoding finds them, and named with the closest field the type has.
    fn unknown_fields(&mut self, text: &str) {
        let Ok(object) = yaml::from_str_first(text) else {
            return;
        };
        let Ok((_, unknown)) = decode_with_unknown_fields::<corev1::Pod>(&object) else {
            return;
        };
        if unknown.is_empty() {
            return;
        }
        let known = struct_fields::<corev1::Pod>(&object);
        for field in unknown {
            let Some((Step::Key(name), parent)) = field.split_last() else {
                continue;
            };
            let suggestion = known
                .get(parent)
                .and_then(|candidates| did_you_mean(name, candidates));
            let mut message = format!(
                "unknown field \"{}\": the kubelet ignores it",
                render_steps(&field)
            );
            if let Some(suggestion) = suggestion {
                message.push_str(&format!(" (did you mean \"{suggestion}\"?)"));
            }
            let range = self
                .located
                .key(&field)
                .unwrap_or_else(|| self.located.field_or_parent(&field));
            self.push(range, Severity::Warning, message);
        }
    }

    /// What the pod's mirror needs: an API client, and its namespace in the API server.
    fn mirror_rules(&mut self, pod: &corev1::Pod) {
        let Some(kubelet) = self.target.kubelet else {
            return;
        };
        let located = self.located;
        if !kubelet.settings().has_api_client {
            self.push(
                located.field_or_parent(&path(&["metadata", "name"])),
                Severity::Info,
                "the kubelet runs without an API server (no --kubeconfig): it creates no mirror pod, so kubectl will not list this pod".to_string(),
            );
            return;
        }
        let name = pod.metadata.name.as_deref().unwrap_or_default();
        let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
        if let Err(err) =
            check_namespace_for_create(self.cluster.api(), Resource::Pods, name, namespace)
        {
            let range = located.field_or_parent(&path(&["metadata", "namespace"]));
            self.push(
                range,
                Severity::Warning,
                format!(
                    "the kubelet runs this pod but cannot create its mirror pod (\"Failed creating a mirror pod\" err={:?}), so kubectl will not list it",
                    err.to_string()
                ),
            );
        }
    }

    /// Fields the kubelet sets itself, whatever the manifest says.
    fn overridden_fields(&mut self) {
        let located = self.located;
        let node_path = path(&["spec", "nodeName"]);
        if let Some(given) = located.scalar(&node_path) {
            if given != self.target.node_name {
                self.push(
                    located.field_or_parent(&node_path),
                    Severity::Warning,
                    format!(
                        "the kubelet sets spec.nodeName to {:?}: this value is ignored",
                        self.target.node_name
                    ),
                );
            }
        }
        let uid_path = path(&["metadata", "uid"]);
        if located.scalar(&uid_path).is_some_and(|uid| !uid.is_empty()) {
            self.push(
                located.field_or_parent(&uid_path),
                Severity::Info,
                "with metadata.uid set, the UID no longer follows the content: an edit is an UPDATE in place, not REMOVE + ADD".to_string(),
            );
        }
    }
}

/// What the file source will do when `file` is saved with content that decodes to `result`.
fn save_preview(
    host: &Host,
    source: &SourceFile,
    file: &str,
    single_file: bool,
    result: &Result<corev1::Pod, PodRefusal>,
) -> Preview {
    let held = source.pod_for_file(file);
    let pod = match result {
        Ok(pod) => pod,
        Err(_) => {
            return Preview::Invalid {
                still_running: held.map(pod_name),
                removed_at_relist: (!single_file).then(|| source.period()),
            }
        }
    };
    let key = store_key(pod);
    match held {
        Some(held) if store_key(held) == key => {
            if held.metadata.uid != pod.metadata.uid {
                return Preview::Recreates { pod: pod_name(pod) };
            }
            if pods_differ_semantically(held, pod) {
                return Preview::UpdatesInPlace { pod: pod_name(pod) };
            }
            Preview::NoChange { pod: pod_name(pod) }
        }
        Some(held) => Preview::Renames {
            pod: pod_name(pod),
            old: pod_name(held),
            relist: source.period(),
        },
        None => {
            let other = source.files().find(|(other, other_key)| {
                *other != file
                    && *other_key == key
                    && host.node.fs.exists(other)
                    && source.pod_by_key(other_key).is_some()
            });
            match other {
                Some((other, _)) => Preview::Replaces {
                    pod: pod_name(pod),
                    other_file: other.rsplit('/').next().unwrap_or(other).to_string(),
                    kept_at_relist: !single_file && file > other,
                },
                None => Preview::Creates { pod: pod_name(pod) },
            }
        }
    }
}

fn pod_name(pod: &corev1::Pod) -> String {
    pod.metadata.name.clone().unwrap_or_default()
}

/// The keys that make the reference a `static pods may not reference <resource>` error
/// names, to point at the first of them.
fn reference_keys(resource: &str) -> &'static [&'static str] {
    match resource {
        "serviceaccounts" => &["serviceAccountName", "serviceAccount"],
        "secrets" => &[
            "imagePullSecrets",
            "secretKeyRef",
            "secretRef",
            "secret",
            "azureFile",
            "nodePublishSecretRef",
        ],
        "configmaps" => &["configMapKeyRef", "configMapRef", "configMap"],
        "resourceclaims" => &["resourceClaims"],
        "configmaps (via configmap volumes)" | "configmaps (via projected volumes)" => {
            &["configMap"]
        }
        "secrets (via secret volumes)" | "secrets (via projected volumes)" => &["secret"],
        "csidrivers (via CSI volumes)" => &["csi"],
        "endpoints (via glusterFS volumes)" => &["glusterfs"],
        "persistentvolumeclaims" => &["persistentVolumeClaim"],
        "persistentvolumeclaims (via ephemeral volumes)" => &["ephemeral"],
        "secrets (via azureFile volumes)" => &["azureFile"],
        "serviceaccounts (via projected volumes)" => &["serviceAccountToken"],
        "clustertrustbundles" => &["clusterTrustBundle"],
        "podcertificates" => &["podCertificate"],
        // The check's own errors (an unknown volume source) name a volume.
        _ => &["volumes"],
    }
}

fn path(keys: &[&str]) -> Vec<Step> {
    keys.iter().map(|k| Step::Key((*k).to_string())).collect()
}
