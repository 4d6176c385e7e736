//! What a file is to its node: a manifest the running kubelet reads, a file it skips or never
//! sees, its configuration, or part of its systemd unit. The answer decides which analysis
//! the editor runs and what saving the file will do.

use crate::cluster::services::{is_unit_file, KUBELET_SERVICE};
use crate::cluster::Host;
use crate::kubelet::kubelet::Kubelet;
use crate::node::fs::{normalize, FileKind};
use crate::view::nodes::KUBEADM_KUBELET_CONFIG;

/// A file being edited, as its node sees it.
#[derive(Debug)]
pub struct Target<'c> {
    /// The path, normalised (`.`, `..` and repeated slashes resolved).
    pub path: String,
    /// What the file is to the node.
    pub role: Role,
    /// The node's running kubelet, if any.
    pub kubelet: Option<&'c Kubelet>,
    /// The node name the kubelet uses (the host's name when no kubelet runs).
    pub node_name: String,
}

/// What a file is to its node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The running kubelet's file source reads it. `file` is the path as the source names it
    /// (which the pod's UID hashes); `single_file` when `staticPodPath` is this file.
    Manifest {
        /// The path as the file source spells it.
        file: String,
        /// Whether `staticPodPath` names this file rather than its folder.
        single_file: bool,
    },
    /// In the static pod folder, but its name starts with a dot.
    DotFile,
    /// Below the static pod folder, in a subfolder the kubelet does not read.
    InSubfolder {
        /// The running kubelet's `staticPodPath`.
        static_pod_path: String,
    },
    /// Outside the running kubelet's `staticPodPath`.
    Elsewhere {
        /// The running kubelet's `staticPodPath`.
        static_pod_path: String,
    },
    /// The running kubelet has no `staticPodPath`.
    NoStaticPodPath,
    /// No kubelet runs on the node.
    NoKubelet,
    /// The kubelet's `--config` file (kubeadm's location while no kubelet runs).
    KubeletConfig,
    /// The kubelet's systemd unit file or one of its drop-ins.
    UnitFile,
    /// An `EnvironmentFile=` of the kubelet's unit.
    EnvironmentFile,
}

impl<'c> Target<'c> {
    /// What `path` is to `host`.
    pub fn of(host: &'c Host, path: &str) -> Target<'c> {
        let path = normalize("/", path);
        let kubelet = host.kubelet();
        let node_name = kubelet.map_or_else(
            || host.node.name.clone(),
            |k| k.settings().node_name.clone(),
        );
        let role = role(host, kubelet, &path);
        Target {
            path,
            role,
            kubelet,
            node_name,
        }
    }
}

fn role(host: &Host, kubelet: Option<&Kubelet>, path: &str) -> Role {
    let config = match kubelet {
        Some(kubelet) => kubelet.settings().flags.config.clone(),
        None => Some(KUBEADM_KUBELET_CONFIG.to_string()),
    };
    if config.is_some_and(|c| normalize("/", &c) == path) {
        return Role::KubeletConfig;
    }
    if is_unit_file(path, KUBELET_SERVICE) {
        return Role::UnitFile;
    }
    let environment_file = host.units.get(KUBELET_SERVICE).is_some_and(|unit| {
        unit.loaded
            .environment_files
            .iter()
            .any(|f| normalize("/", &f.path) == path)
    });
    if environment_file {
        return Role::EnvironmentFile;
    }
    let Some(kubelet) = kubelet else {
        return Role::NoKubelet;
    };
    let Some(source) = kubelet.file_source() else {
        return Role::NoStaticPodPath;
    };
    let static_pod_path = kubelet.settings().config.static_pod_path.clone();
    let watched = normalize("/", source.path());
    let watched_is_file =
        matches!(host.node.fs.stat(source.path()), Ok(m) if m.kind != FileKind::Dir);
    if watched_is_file {
        if path == watched {
            return Role::Manifest {
                file: source.path().to_string(),
                single_file: true,
            };
        }
        return Role::Elsewhere { static_pod_path };
    }
    // A folder (or a path that does not exist yet, which the source treats as one once made).
    let inside = match watched.as_str() {
        "/" => path.strip_prefix('/'),
        dir => path
            .strip_prefix(dir)
            .and_then(|rest| rest.strip_prefix('/')),
    };
    let Some(name) = inside.filter(|name| !name.is_empty()) else {
        return Role::Elsewhere { static_pod_path };
    };
    if name.contains('/') {
        return Role::InSubfolder { static_pod_path };
    }
    if name.starts_with('.') {
        return Role::DotFile;
    }
    Role::Manifest {
        file: format!("{}/{name}", source.path().trim_end_matches('/')),
        single_file: false,
    }
}
