//! Mirrors `cmd/kubelet/app/server.go` (v1.34): what the kubelet binary does before its main
//! loop — parse flags, load `--config`, let flags override it, find the kubeconfig.
//!
//! Everything is read once, here; editing the files later changes nothing until the kubelet
//! restarts.

use crate::kubelet::context::Ctx;
use crate::kubelet::kubeletconfig::{self, validation, ConfigError, KubeletConfiguration};
use crate::kubelet::options::{parse_flags, KubeletFlags};
use crate::node::fs::{Fs, FsError};
use crate::node::kubeconfig;
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
    let parsed = parse_flags(args);
    let deprecations = match &parsed {
        Ok(flags) => &flags.deprecations,
        Err(err) => &err.deprecations,
    };
    for line in deprecations {
        ctx.record(Event::Journal {
            identifier: "kubelet".to_string(),
            pid,
            unit: "kubelet.service".to_string(),
            message: line.clone(),
        });
    }
    let flags = parsed.map_err(|e| fail(format!("failed to parse kubelet flag: {}", e.message)))?;
    if flags.pod_infra_container_image {
        ctx.log(LogLine::info(
            0,
            "server.go:215",
            "--pod-infra-container-image will not be pruned by the image garbage collector in kubelet and should also be set in the remote runtime",
        ));
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
    if let Some((message, _)) = validation::validate(&config.checked) {
        return Err(fail(message));
    }

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

    // `buildKubeletClientConfig`: with rotation on (kubeadm's `rotateCertificates: true`) the
    // kubelet says so, then loads its client configuration.
    let api_server = match &flags.kubeconfig {
        None => None,
        Some(kubeconfig) => {
            ctx.log(LogLine::info(
                0,
                "server.go:956",
                "Client rotation is on, will bootstrap in background",
            ));
            let server =
                load_client_config(ctx, fs, kubeconfig, flags.bootstrap_kubeconfig.as_deref())
                    .map_err(|e| fail(format!("failed to run Kubelet: {e}")))?;
            Some(server)
        }
    };
    if !config.client_ca_file.is_empty() {
        check_client_ca(fs, &config.client_ca_file)
            .map_err(|e| fail(format!("failed to run Kubelet: {e}")))?;
    }
    check_runtime_endpoint(fs, &config.container_runtime_endpoint)
        .map_err(|e| fail(format!("failed to run Kubelet: {e}")))?;
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
        has_api_client: api_server.is_some(),
        api_server: api_server.unwrap_or_default(),
    })
}

/// `bootstrap.LoadClientConfig`: the API server the kubelet will talk to. A `--kubeconfig`
/// that is still valid is used as it is; otherwise the bootstrap kubeconfig must load.
///
/// Simplified: when the bootstrap kubeconfig is used, no certificate is requested and no new
/// kubeconfig is written; the kubelet talks to the bootstrap kubeconfig's server at once.
fn load_client_config(
    ctx: &mut Ctx<'_>,
    fs: &Fs,
    kubeconfig: &str,
    bootstrap: Option<&str>,
) -> Result<String, String> {
    let Some(bootstrap) = bootstrap.filter(|b| !b.is_empty()) else {
        return load_rest_client_config(fs, kubeconfig)
            .map(|selection| server_of(&selection))
            .map_err(|e| format!("unable to load kubeconfig: {e}"));
    };
    if let Some(server) = client_config_still_valid(ctx, fs, kubeconfig)? {
        return Ok(server);
    }
    load_rest_client_config(fs, bootstrap)
        .map(|selection| server_of(&selection))
        .map_err(|e| format!("unable to load bootstrap kubeconfig: {e}"))
}

/// `loadRESTClientConfig`: the file's current context, confirmed usable.
fn load_rest_client_config(fs: &Fs, path: &str) -> Result<kubeconfig::Selection, String> {
    let config = kubeconfig::load_file(fs, path)?;
    let selection = kubeconfig::select(&config, None);
    match selection.confirm_usable(fs) {
        Some(err) => Err(err),
        None => Ok(selection),
    }
}

/// The server URL of a usable selection (`ConfirmUsable` has made sure there is one).
fn server_of(selection: &kubeconfig::Selection) -> String {
    selection.server().unwrap_or_default().to_string()
}

/// `isClientConfigStillValid`: the server of a kubeconfig that loads and whose client
/// certificate and key read as PEM, or `None` (the problem logged through `HandleError`, as
/// upstream does) so the bootstrap kubeconfig is tried. A missing file is simply not valid.
///
/// Simplified: a certificate counts when the file holds a PEM `CERTIFICATE` block and a key
/// when it holds a `PRIVATE KEY` block; neither is parsed, and expiry is not checked.
fn client_config_still_valid(
    ctx: &mut Ctx<'_>,
    fs: &Fs,
    path: &str,
) -> Result<Option<String>, String> {
    match fs.stat(path) {
        Ok(_) => (),
        Err(FsError::NotFound) => return Ok(None),
        Err(err) => {
            return Err(format!(
                "error reading existing bootstrap kubeconfig {path}: {}",
                err.go_path_error("stat", path)
            ))
        }
    }
    let mut unhandled = |caller: &'static str, err: String| {
        ctx.log(
            LogLine::error(caller, "Unhandled Error")
                .with("err", err)
                .with("logger", "UnhandledError"),
        );
    };
    let selection = match load_rest_client_config(fs, path) {
        Ok(selection) => selection,
        Err(err) => {
            unhandled(
                "bootstrap.go:241",
                format!("unable to read existing bootstrap client config from {path}: {err}"),
            );
            return Ok(None);
        }
    };
    let server = server_of(&selection);
    let user = selection.auth_info;
    let named = |key: &str| user.get(key).and_then(|v| v.as_str());
    if named("client-certificate-data").is_some() || named("client-key-data").is_some() {
        return Ok(Some(server));
    }
    let read = |key: &str| {
        named(key)
            .and_then(|file| fs.read_to_string(file).ok())
            .unwrap_or_default()
    };
    let (cert, key) = (read("client-certificate"), read("client-key"));
    let cert_is_pem = cert.contains("-----BEGIN CERTIFICATE-----");
    // `TLSConfigFor` pairs the two only when both hold data.
    let pairing = if cert.is_empty() || key.is_empty() {
        None
    } else if !cert_is_pem {
        Some("certificate")
    } else if !key.contains("PRIVATE KEY-----") {
        Some("key")
    } else {
        None
    };
    if let Some(input) = pairing {
        unhandled(
            "bootstrap.go:251",
            format!("unable to load TLS configuration from existing bootstrap client config read from {path}: tls: failed to find any PEM data in {input} input"),
        );
        return Ok(None);
    }
    if !cert_is_pem {
        unhandled(
            "bootstrap.go:256",
            format!("unable to load TLS certificates from existing bootstrap client config read from {path}: data does not contain any valid RSA or ECDSA certificates"),
        );
        return Ok(None);
    }
    Ok(Some(server))
}

/// `NewRemoteRuntimeService` for `--container-runtime-endpoint`: the endpoint must be a unix
/// socket containerd listens on, or the kubelet exits with gRPC's words for the failed dial.
///
/// Simplified: containerd always listens (the playground cannot stop it) on its socket, which
/// is not a file on the emulated disk; an endpoint without a scheme is taken as a socket path
/// without upstream's "Using this endpoint is deprecated" notice.
fn check_runtime_endpoint(fs: &Fs, endpoint: &str) -> Result<(), String> {
    let path = match endpoint.split_once("://") {
        Some(("unix", rest)) => rest,
        Some(("tcp", _)) => return Err("only support unix socket endpoint".to_string()),
        Some((scheme, _)) => return Err(format!("protocol {scheme:?} not supported")),
        None => endpoint,
    };
    if crate::node::runtime::listens_on(path) {
        return Ok(());
    }
    let reason = if fs.exists(path) {
        "connection refused"
    } else {
        "no such file or directory"
    };
    Err(format!(
        "validate service connection: validate CRI v1 runtime API for endpoint {endpoint:?}: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial unix {path}: connect: {reason}\""
    ))
}

/// `BuildAuthn` loading the client CA bundle (`NewDynamicCAContentFromFile`, then
/// `newCABundleAndVerifier`), in their words as of v1.34 (k8s.io/apiserver v0.34): a missing
/// file is `os.ReadFile`'s error, a bundle without a certificate `error loading CA bundle for`
/// (`unable to load client CA file` was the pre-1.17 kubelet's own wording).
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
            "error loading CA bundle for {name:?}: data does not contain any valid RSA or ECDSA certificates"
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
