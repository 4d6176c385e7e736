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
    })
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
