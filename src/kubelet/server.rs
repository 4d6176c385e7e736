//! Mirrors `cmd/kubelet/app/server.go` (v1.34): what the kubelet binary does before its main
//! loop — parse flags, load `--config`, let flags override it, find the kubeconfig.
//!
//! Everything is read once, here; editing the files later changes nothing until the kubelet
//! restarts.

use crate::kubelet::context::Ctx;
use crate::kubelet::kubeletconfig::{self, ConfigError, KubeletConfiguration};
use crate::kubelet::options::{parse_flags, KubeletFlags};
use crate::node::fs::{Fs, FsError};
use crate::sim::trace::{Event, LogLine};

/// The kubelet version the playground mirrors.
pub const KUBELET_VERSION: &str = "v1.34.1";

/// Everything the kubelet decided at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeletSettings {
    /// The effective configuration (file, then flags).
    pub config: KubeletConfiguration,
    /// The parsed flags.
    pub flags: KubeletFlags,
    /// The node name (`--hostname-override` or the hostname, lower-cased).
    pub node_name: String,
    /// Whether the kubelet has an API client; `false` means standalone mode.
    pub has_api_client: bool,
    /// The API server URL of the kubeconfig's current context (`https://controlplane:6443`).
    pub api_server: String,
}

/// Why the kubelet process exited at start-up, with the line it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartError {
    /// The error text of `"command failed" err=...`.
    pub message: String,
}

/// Parses `args` (without `argv[0]`) and loads the files they name, logging as the kubelet
/// process `pid` does. Flag deprecations go to stderr (the journal) before anything else.
pub fn load_settings(
    ctx: &mut Ctx<'_>,
    fs: &Fs,
    hostname: &str,
    args: &[String],
    pid: u32,
) -> Result<KubeletSettings, StartError> {
    let fail = |message: String| StartError { message };
    let flags =
        parse_flags(args).map_err(|e| fail(format!("failed to parse kubelet flag: {e}")))?;
    for line in &flags.deprecations {
        ctx.record(Event::Journal {
            identifier: "kubelet".to_string(),
            pid,
            unit: "kubelet.service".to_string(),
            message: line.clone(),
        });
    }

    let mut config = KubeletConfiguration::default();
    if let Some(path) = &flags.config {
        let decoded = load_config_file(fs, path).map_err(|e| fail(e.message))?;
        if let Some(strict) = decoded.strict_error {
            ctx.log(
                LogLine::info(
                    0,
                    "codec.go:94",
                    "Using lenient decoding as strict decoding failed",
                )
                .with("err", strict),
            );
        }
        config = decoded.config;
    }
    flags.override_config(&mut config);

    ctx.log(
        LogLine::info(0, "server.go:525", "Kubelet version")
            .with("kubeletVersion", KUBELET_VERSION),
    );
    ctx.log(
        LogLine::info(0, "server.go:527", "Golang settings")
            .with("GOGC", "")
            .with("GOMAXPROCS", "")
            .with("GOTRACEBACK", ""),
    );

    let has_api_client = match &flags.kubeconfig {
        None => false,
        Some(kubeconfig) => {
            if !fs.exists(kubeconfig) {
                let bootstrap = flags.bootstrap_kubeconfig.clone().unwrap_or_default();
                if bootstrap.is_empty() || !fs.exists(&bootstrap) {
                    let shown = if bootstrap.is_empty() {
                        kubeconfig
                    } else {
                        &bootstrap
                    };
                    return Err(fail(format!(
                        "failed to run Kubelet: unable to load bootstrap kubeconfig: stat {shown}: no such file or directory"
                    )));
                }
            }
            ctx.log(LogLine::info(
                0,
                "server.go:956",
                "Client rotation is on, will bootstrap in background",
            ));
            true
        }
    };
    let api_server = match &flags.kubeconfig {
        Some(path) if has_api_client => fs
            .read_to_string(path)
            .ok()
            .and_then(|text| kubeconfig_server(&text))
            .unwrap_or_else(|| {
                format!(
                    "https://{}:{}",
                    crate::apiserver::API_SERVER_HOST,
                    crate::apiserver::API_SERVER_PORT
                )
            }),
        _ => String::new(),
    };
    if !config.client_ca_file.is_empty() {
        check_client_ca(fs, &config.client_ca_file)
            .map_err(|e| fail(format!("failed to run Kubelet: {e}")))?;
    }
    let node_name = flags
        .hostname_override
        .clone()
        .unwrap_or_else(|| hostname.to_string())
        .trim()
        .to_lowercase();
    Ok(KubeletSettings {
        config,
        flags,
        node_name,
        has_api_client,
        api_server,
    })
}

/// The `server:` of the kubeconfig's current context's cluster (the first cluster when the
/// context names none that exists).
///
/// Simplified: a kubeconfig that does not parse or names no server keeps the default
/// `https://controlplane:6443` instead of failing as upstream's client config would.
pub fn kubeconfig_server(text: &str) -> Option<String> {
    let value: serde_json::Value = crate::yaml::from_str(text).ok()?;
    let clusters = value.get("clusters")?.as_array()?;
    let wanted = value
        .get("current-context")
        .and_then(|c| c.as_str())
        .and_then(|current| {
            value.get("contexts")?.as_array()?.iter().find_map(|c| {
                (c.get("name")?.as_str()? == current)
                    .then(|| c.get("context")?.get("cluster")?.as_str())
                    .flatten()
            })
        });
    let cluster = clusters
        .iter()
        .find(|c| wanted.is_some() && c.get("name").and_then(|n| n.as_str()) == wanted)
        .or_else(|| clusters.first())?;
    Some(cluster.get("cluster")?.get("server")?.as_str()?.to_string())
}

/// `BuildAuthn` loading the client CA bundle (`NewDynamicCAContentFromFile`, then
/// `newCABundleAndVerifier`), in their words.
///
/// Simplified: a file counts as a CA bundle when it holds a PEM `CERTIFICATE` block; the
/// certificate inside is not parsed.
fn check_client_ca(fs: &Fs, path: &str) -> Result<(), String> {
    let name = format!("client-ca-bundle::{path}");
    let text = match fs.read_to_string(path) {
        Ok(text) => text,
        Err(FsError::IsADirectory) => return Err(format!("read {path}: is a directory")),
        Err(_) => return Err(format!("open {path}: no such file or directory")),
    };
    if text.is_empty() {
        return Err(format!("missing content for CA bundle {name:?}"));
    }
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        return Err(format!(
            "unable to load client CA file {name:?}: data does not contain any valid RSA or ECDSA certificates"
        ));
    }
    Ok(())
}

/// `loadConfigFile` with `fsLoader.Load`'s wording.
fn load_config_file(fs: &Fs, path: &str) -> Result<kubeletconfig::Decoded, ConfigError> {
    let data = fs.read(path).map_err(|err| {
        let reason = match err {
            FsError::IsADirectory => err.go_path_error("read", path),
            other => other.go_path_error("open", path),
        };
        ConfigError {
            message: config_load_failure(
                path,
                &format!("failed to read kubelet config file {path:?}, error: {reason}"),
            ),
            field: None,
            at: None,
        }
    })?;
    decode_config_file(path, &data)
}

/// The kubelet's start-up decoding of its `--config` file at `path` holding `data`: the
/// configuration, or the error it exits with (`command failed`), positioned where possible.
pub fn decode_config_file(path: &str, data: &[u8]) -> Result<kubeletconfig::Decoded, ConfigError> {
    if data.is_empty() {
        return Err(ConfigError {
            message: config_load_failure(path, &format!("kubelet config file {path:?} was empty")),
            field: None,
            at: None,
        });
    }
    let text = crate::yaml::text(data).map_err(|problem| ConfigError {
        message: config_load_failure(
            path,
            &format!("failed to decode: error converting YAML to JSON: yaml: {problem}"),
        ),
        field: None,
        at: None,
    })?;
    kubeletconfig::decode(text).map_err(|mut err| {
        err.message = config_load_failure(path, &err.message);
        err
    })
}

/// `run`'s and `fsLoader.Load`'s wrappers around a config file problem.
fn config_load_failure(path: &str, problem: &str) -> String {
    format!(
        "failed to load kubelet config file, path: {path}, error: failed to load Kubelet config file {path}, error {problem}"
    )
}
