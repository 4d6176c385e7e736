//! The Nodes pane: per node, the kubelet as systemd and its running configuration have it, the
//! static pod folder with what the kubelet made of each file, and the runtime's containers as
//! `crictl ps -a` lists them.

use std::collections::BTreeMap;

use crate::cluster::{Cluster, Host};
use crate::kubelet::kubeletconfig;
use crate::kubelet::options::KubeletFlags;
use crate::node::cri::ContainerState;
use crate::node::fs::{FileKind, Fs};
use crate::node::runtime::Container;
use crate::shell::commands::crictl::containers::{pod_name, pod_namespace, state_word};
use crate::shell::commands::crictl::{ago, truncated};

/// The kubeadm location of the kubelet's config file, read when no kubelet runs.
pub const KUBEADM_KUBELET_CONFIG: &str = "/var/lib/kubelet/config.yaml";

/// One node's card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeView {
    /// The node's name.
    pub name: String,
    /// The kubelet.
    pub kubelet: KubeletView,
    /// The static pod folder (or file) and its entries.
    pub manifests: ManifestsView,
    /// Every container the runtime has, newest first.
    pub containers: Vec<ContainerView>,
}

/// The kubelet on one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeletView {
    /// `systemctl is-active`'s word plus detail: `active (running)`, `inactive (dead)`, ...
    pub unit_state: String,
    /// Whether a kubelet process runs.
    pub running: bool,
    /// The config file the kubelet was (or would be) started with.
    pub config_path: Option<String>,
    /// The running kubelet's `staticPodPath` (empty: the file source is off); `None` while no
    /// kubelet runs.
    pub static_pod_path: Option<String>,
    /// The running kubelet's `staticPodURL`, when set.
    pub static_pod_url: Option<String>,
    /// Set when the config on disk names another `staticPodPath` than the running kubelet
    /// loaded: the change waits for a kubelet restart.
    pub pending_static_pod_path: Option<String>,
}

/// The static pod path and what is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestsView {
    /// The path shown: the running kubelet's, else the one its config file names.
    pub path: String,
    /// Whether the path exists.
    pub exists: bool,
    /// The entries, sorted by name.
    pub files: Vec<ManifestFileView>,
}

/// One entry of the static pod folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestFileView {
    /// The entry's name.
    pub name: String,
    /// Its full path.
    pub path: String,
    /// What the kubelet made of it.
    pub outcome: FileOutcome,
}

/// What the kubelet made of one entry of its static pod folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// It holds the static pod `pod` (namespace/name), whose containers are in `state`.
    Pod {
        /// `namespace/name` of the static pod.
        pod: String,
        /// `Running`, `Exited`, `Created` or `No containers` as the runtime has them.
        state: String,
    },
    /// The kubelet could not use it; `error` is its words. `still_running` names the pod an
    /// older version of the file defined, which keeps running until the next relist.
    Invalid {
        /// The kubelet's error.
        error: String,
        /// The pod still running from the file's previous content.
        still_running: Option<String>,
    },
    /// The kubelet skips it by design.
    Ignored {
        /// Why, in plain words.
        reason: String,
    },
    /// The kubelet has not read it yet (its watch missed it; the next relist will read it).
    NotRead,
    /// No kubelet runs, so nobody reads the folder.
    Unwatched,
}

/// One container, as a `crictl ps -a` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerView {
    /// CONTAINER (13 characters).
    pub id: String,
    /// The full id, for actions.
    pub full_id: String,
    /// NAME
    pub name: String,
    /// POD
    pub pod: String,
    /// NAMESPACE
    pub namespace: String,
    /// STATE: `Running`, `Exited`, ...
    pub state: String,
    /// ATTEMPT
    pub attempt: u32,
    /// The image as the pod spec names it.
    pub image: String,
    /// CREATED, e.g. `2 minutes ago`.
    pub created: String,
}

/// Every node's card, in the cluster's order.
pub fn nodes_view(cluster: &Cluster) -> Vec<NodeView> {
    cluster
        .hosts()
        .iter()
        .map(|host| node_view(cluster, host))
        .collect()
}

fn node_view(cluster: &Cluster, host: &Host) -> NodeView {
    let kubelet = kubelet_view(host);
    let manifests = manifests_view(host, &kubelet);
    let now = cluster.now();
    let mut containers: Vec<&Container> = host.node.runtime.containers().collect();
    containers.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    let containers = containers
        .into_iter()
        .map(|c| ContainerView {
            id: truncated(&c.id, ""),
            full_id: c.id.to_string(),
            name: c.config.name.clone(),
            pod: pod_name(c).to_string(),
            namespace: pod_namespace(c).to_string(),
            state: state_word(c.state).to_string(),
            attempt: c.config.attempt,
            image: c.config.image.clone(),
            created: ago(now, c.created_at),
        })
        .collect();
    NodeView {
        name: host.node.name.clone(),
        kubelet,
        manifests,
        containers,
    }
}

fn kubelet_view(host: &Host) -> KubeletView {
    let unit_state = host
        .units
        .get("kubelet.service")
        .map_or("not-found (no unit file)", |u| u.active_text())
        .to_string();
    let fs = &host.node.fs;
    match host.kubelet() {
        Some(kubelet) => {
            let settings = kubelet.settings();
            let running = settings.config.static_pod_path.clone();
            let on_disk = settings
                .flags
                .config
                .as_deref()
                .and_then(|path| config_on_disk(fs, path, &settings.flags))
                .map(|c| c.static_pod_path);
            KubeletView {
                unit_state,
                running: true,
                config_path: settings.flags.config.clone(),
                pending_static_pod_path: on_disk.filter(|p| *p != running),
                static_pod_path: Some(running),
                static_pod_url: Some(settings.config.static_pod_url.clone())
                    .filter(|u| !u.is_empty()),
            }
        }
        None => KubeletView {
            unit_state,
            running: false,
            config_path: Some(KUBEADM_KUBELET_CONFIG.to_string()),
            static_pod_path: None,
            static_pod_url: None,
            pending_static_pod_path: None,
        },
    }
}

/// The configuration a kubelet started now would load from `path` with `flags`.
fn config_on_disk(
    fs: &Fs,
    path: &str,
    flags: &KubeletFlags,
) -> Option<kubeletconfig::KubeletConfiguration> {
    let data = fs.read(path).ok()?;
    let text = String::from_utf8(data).ok()?;
    let mut config = kubeletconfig::decode(&text).ok()?.config;
    flags.override_config(&mut config);
    Some(config)
}

fn manifests_view(host: &Host, kubelet: &KubeletView) -> ManifestsView {
    let fs = &host.node.fs;
    let path = match &kubelet.static_pod_path {
        Some(path) => path.clone(),
        None => kubelet
            .config_path
            .as_deref()
            .and_then(|p| config_on_disk(fs, p, &KubeletFlags::default()))
            .map(|c| c.static_pod_path)
            .unwrap_or_default(),
    };
    if path.is_empty() {
        return ManifestsView {
            path,
            exists: false,
            files: Vec::new(),
        };
    }
    let entries: Vec<(String, String)> = match fs.stat(&path).map(|m| m.kind) {
        Ok(FileKind::Dir) => fs
            .read_dir(&path)
            .unwrap_or_default()
            .into_iter()
            .map(|e| {
                let full = format!("{}/{}", path.trim_end_matches('/'), e.name);
                (e.name, full)
            })
            .collect(),
        Ok(_) => {
            let name = path.rsplit('/').next().unwrap_or(&path).to_string();
            vec![(name, path.clone())]
        }
        Err(_) => {
            return ManifestsView {
                path,
                exists: false,
                files: Vec::new(),
            }
        }
    };
    let latest = LatestContainers::of(host);
    let files = entries
        .into_iter()
        .map(|(name, full)| {
            let outcome = file_outcome(host, &latest, &name, &full);
            ManifestFileView {
                name,
                path: full,
                outcome,
            }
        })
        .collect();
    ManifestsView {
        path,
        exists: true,
        files,
    }
}

fn file_outcome(host: &Host, latest: &LatestContainers, name: &str, path: &str) -> FileOutcome {
    let fs = &host.node.fs;
    let Some(source) = host.kubelet().and_then(|k| k.file_source()) else {
        return FileOutcome::Unwatched;
    };
    let Ok(meta) = fs.stat(path) else {
        return FileOutcome::NotRead;
    };
    // A single-file static pod path is read whatever its name.
    let single_file = source.path() == path;
    if name.starts_with('.') && !single_file {
        return FileOutcome::Ignored {
            reason: "dot-file: the kubelet skips names starting with a dot".into(),
        };
    }
    match meta.kind {
        FileKind::Dir if !single_file => {
            return FileOutcome::Ignored {
                reason: "directory: the kubelet does not look inside subfolders".into(),
            }
        }
        FileKind::Symlink => {
            return FileOutcome::Ignored {
                reason: "not a regular file".into(),
            }
        }
        _ => (),
    }
    let held = source.pod_for_file(path).map(|pod| {
        let meta = &pod.metadata;
        (
            meta.namespace.clone().unwrap_or_default(),
            meta.name.clone().unwrap_or_default(),
        )
    });
    let key = |(ns, name): &(String, String)| format!("{ns}/{name}");
    if let Some(error) = source.read_error(path) {
        return FileOutcome::Invalid {
            error: error.to_string(),
            still_running: held.as_ref().map(key),
        };
    }
    match held {
        Some(pod) => FileOutcome::Pod {
            state: latest.state(&pod.0, &pod.1),
            pod: key(&pod),
        },
        None => FileOutcome::NotRead,
    }
}

/// The runtime's latest attempt of each container, by pod (namespace, name): built once per
/// card, since a folder of a hundred static pods would otherwise walk every container for
/// every file.
struct LatestContainers<'a> {
    by_pod: BTreeMap<(&'a str, &'a str), BTreeMap<&'a str, &'a Container>>,
}

impl<'a> LatestContainers<'a> {
    /// Groups the node's containers; among equal attempts the first listed stays.
    fn of(host: &'a Host) -> Self {
        let mut by_pod: BTreeMap<_, BTreeMap<&str, &Container>> = BTreeMap::new();
        for c in host.node.runtime.containers() {
            let key = (pod_namespace(c), pod_name(c));
            let slot = by_pod
                .entry(key)
                .or_default()
                .entry(c.config.name.as_str())
                .or_insert(c);
            if c.config.attempt > slot.config.attempt {
                *slot = c;
            }
        }
        Self { by_pod }
    }

    /// How the runtime has the pod's containers: `Running` when every latest attempt runs.
    fn state(&self, namespace: &str, name: &str) -> String {
        let Some(latest) = self.by_pod.get(&(namespace, name)) else {
            return "No containers".into();
        };
        if latest.values().all(|c| c.state == ContainerState::Running) {
            return "Running".into();
        }
        latest
            .values()
            .find(|c| c.state != ContainerState::Running)
            .map_or_else(String::new, |c| state_word(c.state).to_string())
    }
}
