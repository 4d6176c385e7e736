//! The kubelet's `--config` file: the errors that would stop the kubelet at its next start,
//! the unknown fields its lenient decoding drops (logging "Using lenient decoding as strict
//! decoding failed"), settings its command-line flags override, and which of the settings
//! the kubelet uses a restart would change.

use serde_json::Value;

use crate::apiserver::validation::Step;
use crate::cluster::Host;
use crate::kubelet::kubeletconfig::{unknown_fields, KubeletConfiguration, KNOWN_FIELDS};
use crate::kubelet::options::KubeletFlags;
use crate::kubelet::server::decode_config_file;
use crate::view::editor::fields::did_you_mean;
use crate::view::editor::locate::Located;
use crate::view::editor::target::Target;
use crate::view::editor::{Diagnostic, EditorAnalysis, Preview, Severity};
use crate::yaml;

/// The analysis of the kubelet's config file.
pub fn analyse(host: &Host, target: &Target<'_>, text: &str) -> EditorAnalysis {
    let located = Located::new(text);
    let mut diagnostics = Vec::new();
    if let Some(range) = located.next_document() {
        diagnostics.push(Diagnostic::new(
            range,
            Severity::Warning,
            "the kubelet reads only the first YAML document of its config file: this document and any after it are ignored".to_string(),
        ));
    }
    let decoded = match decode_config_file(&target.path, text.as_bytes()) {
        Ok(decoded) => decoded,
        Err(err) => {
            let range = match (err.at, &err.field) {
                (Some((line, column)), _) => located.syntax_error(line, column),
                (None, Some(field)) => located.field_or_parent(&[Step::Key(field.clone())]),
                (None, None) => located.start(),
            };
            diagnostics.push(Diagnostic::new(range, Severity::Error, err.message.clone()));
            return EditorAnalysis {
                diagnostics,
                preview: Preview::KubeletConfigInvalid,
                kubelet_error: Some(err.message),
            };
        }
    };
    if let Ok(Value::Object(object)) = yaml::from_str_first(text) {
        for name in unknown_fields(&object) {
            let mut message = format!(
                "unknown field \"{name}\": the kubelet ignores it and logs \"Using lenient decoding as strict decoding failed\""
            );
            if let Some(suggestion) = did_you_mean(name, KNOWN_FIELDS) {
                message.push_str(&format!(" (did you mean \"{suggestion}\"?)"));
            }
            let path = [Step::Key(name.to_string())];
            let range = located
                .key(&path)
                .unwrap_or_else(|| located.field_or_parent(&path));
            diagnostics.push(Diagnostic::new(range, Severity::Warning, message));
        }
    }
    let flags = target
        .kubelet
        .map(|k| k.settings().flags.clone())
        .unwrap_or_default();
    for (field, flag, set) in overriding_flags(&flags) {
        let path = [Step::Key(field.to_string())];
        if set && located.key(&path).is_some() {
            diagnostics.push(Diagnostic::new(
                located.field_or_parent(&path),
                Severity::Info,
                format!("the kubelet's {flag} flag overrides this setting (flags win over the config file)"),
            ));
        }
    }
    let mut config = decoded.config;
    flags.override_config(&mut config);
    if !config.static_pod_path.is_empty() && !host.node.fs.exists(&config.static_pod_path) {
        let path = [Step::Key("staticPodPath".to_string())];
        diagnostics.push(Diagnostic::new(
            located.field_or_parent(&path),
            Severity::Info,
            format!(
                "{:?} does not exist on {}: the kubelet will log \"Unable to read config path\" err=\"path does not exist, ignoring\" every second",
                config.static_pod_path, host.node.name
            ),
        ));
    }
    let preview = match target.kubelet {
        Some(kubelet) => Preview::KubeletConfig {
            changes: changes(&kubelet.settings().config, &config),
        },
        None => Preview::KubeletConfigAtStart,
    };
    EditorAnalysis {
        diagnostics,
        preview,
        kubelet_error: decoded.strict_error,
    }
}

/// (config field, flag, whether the flag is given) for every flag that overrides a field.
fn overriding_flags(flags: &KubeletFlags) -> [(&'static str, &'static str, bool); 6] {
    [
        (
            "staticPodPath",
            "--pod-manifest-path",
            flags.pod_manifest_path.is_some(),
        ),
        (
            "staticPodURL",
            "--manifest-url",
            flags.manifest_url.is_some(),
        ),
        (
            "staticPodURLHeader",
            "--manifest-url-header",
            flags.manifest_url_header.is_some(),
        ),
        (
            "fileCheckFrequency",
            "--file-check-frequency",
            flags.file_check_frequency.is_some(),
        ),
        (
            "httpCheckFrequency",
            "--http-check-frequency",
            flags.http_check_frequency.is_some(),
        ),
        (
            "syncFrequency",
            "--sync-frequency",
            flags.sync_frequency.is_some(),
        ),
    ]
}

/// The settings the playground's kubelet acts on that differ, as ``name `old` → `new` ``.
fn changes(running: &KubeletConfiguration, next: &KubeletConfiguration) -> Vec<String> {
    let mut out = Vec::new();
    let mut compare = |name: &str, old: String, new: String| {
        if old != new {
            let shown = |v: String| if v.is_empty() { "\"\"".to_string() } else { v };
            out.push(format!("{name} `{}` → `{}`", shown(old), shown(new)));
        }
    };
    compare(
        "staticPodPath",
        running.static_pod_path.clone(),
        next.static_pod_path.clone(),
    );
    compare(
        "staticPodURL",
        running.static_pod_url.clone(),
        next.static_pod_url.clone(),
    );
    compare(
        "staticPodURLHeader",
        format!("{:?}", running.static_pod_url_header),
        format!("{:?}", next.static_pod_url_header),
    );
    compare(
        "fileCheckFrequency",
        running.file_check_frequency.to_string(),
        next.file_check_frequency.to_string(),
    );
    compare(
        "httpCheckFrequency",
        running.http_check_frequency.to_string(),
        next.http_check_frequency.to_string(),
    );
    compare(
        "syncFrequency",
        running.sync_frequency.to_string(),
        next.sync_frequency.to_string(),
    );
    compare(
        "clusterDNS",
        running.cluster_dns.join(","),
        next.cluster_dns.join(","),
    );
    compare(
        "clusterDomain",
        running.cluster_domain.clone(),
        next.cluster_domain.clone(),
    );
    compare(
        "maxPods",
        running.max_pods.to_string(),
        next.max_pods.to_string(),
    );
    out
}
