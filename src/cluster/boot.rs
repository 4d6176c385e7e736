//! Builds the default cluster from `cluster::defaults` and boots it the way the machines would:
//! systemd starts containerd and the kubelets, the control-plane kubelet starts etcd and the API
//! server from their manifests, the controllers create kube-proxy and CoreDNS, and the world
//! runs until every pod is Running and Ready.

use serde_json::Value;

use crate::apiserver::leases;
use crate::apiserver::requests::Requests;
use crate::apiserver::store::Resource;
use crate::apiserver::API_SERVER_HOST;
use crate::cluster::defaults::{self, DefaultFile};
use crate::cluster::services::{CONTAINERD_SERVICE, KUBELET_SERVICE};
use crate::cluster::Cluster;
use crate::node::fs::WriteMode;
use crate::node::Node;
use crate::sim::{Rng, SimDuration, SimTime};

/// The control-plane node's name and address.
pub const CONTROL_PLANE: (&str, &str) = ("controlplane", "172.30.1.2");
/// The worker's name and address.
pub const WORKER: (&str, &str) = ("node01", "172.30.2.2");

/// Mixed into the seed for the generator the later default objects draw their uids from.
const HISTORY_STREAM: u64 = 0x6b75_6265_6164_6d00;

/// How long the boot may take before it is reported as stuck.
const BOOT_LIMIT: SimDuration = SimDuration::from_mins(10);

/// The default cluster's pods, as `namespace/name-prefix` (Deployment and DaemonSet pods get
/// generated suffixes).
const EXPECTED_PODS: &[(&str, &str, usize)] = &[
    ("kube-system", "etcd-controlplane", 1),
    ("kube-system", "kube-apiserver-controlplane", 1),
    ("kube-system", "kube-controller-manager-controlplane", 1),
    ("kube-system", "kube-scheduler-controlplane", 1),
    ("kube-system", "kube-proxy-", 2),
    ("kube-system", "coredns-", 2),
];

/// Directories every Ubuntu host has, before kubeadm adds its own.
const OS_DIRS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/etc/systemd/system",
    "/home",
    "/lib",
    "/media",
    "/mnt",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/run/containerd",
    "/sbin",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/share",
    "/var",
    "/var/lib",
    "/var/lib/containerd",
    "/var/log",
    "/var/log/containers",
    "/var/log/pods",
    "/var/tmp",
];

fn write_files(node: &mut Node, dirs: &[&str], files: &[DefaultFile], links: &[(&str, &str)]) {
    let now = SimTime::ZERO;
    for dir in OS_DIRS.iter().chain(dirs) {
        node.fs.mkdir_all(now, dir).expect("default directory");
    }
    for file in files {
        if let Some((parent, _)) = file.path.rsplit_once('/') {
            if !parent.is_empty() {
                node.fs.mkdir_all(now, parent).expect("default parent");
            }
        }
        node.fs
            .write(now, file.path, file.content.as_bytes(), WriteMode::Truncate)
            .expect("default file");
        node.fs
            .chmod(now, file.path, file.mode)
            .expect("default mode");
    }
    for (link, target) in links {
        node.fs.symlink(now, target, link).expect("default symlink");
    }
    // procfs' banner, read-only as the kernel makes it.
    let banner = crate::node::kernel::proc_version();
    node.fs
        .write(now, "/proc/version", banner.as_bytes(), WriteMode::Truncate)
        .expect("/proc/version");
    node.fs
        .chmod(now, "/proc/version", 0o444)
        .expect("/proc/version mode");
    // The boot's own writes are not news to anyone watching later.
    let _ = node.fs.take_events();
}

/// A node with its default files and preloaded images.
fn default_node(control_plane: bool) -> Node {
    let (name, ip) = if control_plane { CONTROL_PLANE } else { WORKER };
    let mut node = Node::new(name, ip);
    if control_plane {
        write_files(
            &mut node,
            defaults::control_plane_dirs(),
            &defaults::control_plane_files(),
            defaults::control_plane_symlinks(),
        );
    } else {
        write_files(
            &mut node,
            defaults::worker_dirs(),
            &defaults::worker_files(),
            defaults::worker_symlinks(),
        );
    }
    preload_images(&mut node, control_plane);
    node
}

fn preload_images(node: &mut Node, control_plane: bool) {
    for image in defaults::preloaded_images(control_plane) {
        node.runtime
            .preload_image(image)
            .expect("default images are in the catalogue");
    }
}

/// Whether every pod of the default cluster runs with all containers ready.
pub fn cluster_is_up(cluster: &Cluster) -> bool {
    let Ok(pods) = cluster
        .api()
        .list_shared::<k8s_openapi::api::core::v1::Pod>(Resource::Pods, Some("kube-system"))
    else {
        return false;
    };
    EXPECTED_PODS.iter().all(|(ns, prefix, count)| {
        let ready = pods
            .iter()
            .filter(|p| {
                p.metadata.namespace.as_deref() == Some(*ns)
                    && p.metadata
                        .name
                        .as_deref()
                        .is_some_and(|n| n.starts_with(prefix))
                    && p.metadata.deletion_timestamp.is_none()
                    && p.status.as_ref().is_some_and(|s| {
                        s.phase.as_deref() == Some("Running")
                            && s.container_statuses
                                .as_ref()
                                .is_some_and(|cs| !cs.is_empty() && cs.iter().all(|c| c.ready))
                    })
            })
            .count();
        ready == *count
    }) && workloads_available(cluster)
}

/// Whether every deployment in kube-system reports all its replicas available, so the first
/// `kubectl get deploy` after boot shows what a settled cluster shows.
fn workloads_available(cluster: &Cluster) -> bool {
    let Ok(deployments) = cluster
        .api()
        .list_shared::<k8s_openapi::api::apps::v1::Deployment>(
            Resource::Deployments,
            Some("kube-system"),
        )
    else {
        return false;
    };
    deployments.iter().all(|d| {
        let wanted = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let available = d
            .status
            .as_ref()
            .and_then(|s| s.available_replicas)
            .unwrap_or(0);
        available == wanted
    })
}

impl Cluster {
    /// Adds a worker set up as `kubeadm join` leaves one — `node01`'s files with its name and
    /// address replaced by `name` and `ip` (`172.30.<n>.2`, whose third octet also picks its pod
    /// subnet) — and starts its containerd and kubelet. Returns the host's index.
    pub fn join_worker(&mut self, name: &str, ip: &str) -> Result<usize, String> {
        if self.host_index(name).is_some() {
            return Err(format!("a node called {name} exists already"));
        }
        if self.hosts().iter().any(|h| h.node.ip == ip) {
            return Err(format!("the address {ip} is taken"));
        }
        let mut node = Node::new(name, ip);
        let now = SimTime::ZERO;
        for dir in OS_DIRS.iter().chain(defaults::worker_dirs()) {
            node.fs.mkdir_all(now, dir).map_err(|e| e.to_string())?;
        }
        for file in defaults::worker_files() {
            let content = file.content.replace(WORKER.0, name).replace(WORKER.1, ip);
            if let Some((parent, _)) = file.path.rsplit_once('/') {
                if !parent.is_empty() {
                    node.fs.mkdir_all(now, parent).map_err(|e| e.to_string())?;
                }
            }
            node.fs
                .write(now, file.path, content.as_bytes(), WriteMode::Truncate)
                .map_err(|e| e.to_string())?;
            node.fs
                .chmod(now, file.path, file.mode)
                .map_err(|e| e.to_string())?;
        }
        for (link, target) in defaults::worker_symlinks() {
            node.fs
                .symlink(now, target, link)
                .map_err(|e| e.to_string())?;
        }
        let _ = node.fs.take_events();
        preload_images(&mut node, false);
        let idx = self.add_node(node);
        for unit in [CONTAINERD_SERVICE, KUBELET_SERVICE] {
            self.load_unit(idx, unit);
        }
        self.unit_start(idx, CONTAINERD_SERVICE)?;
        self.unit_start(idx, KUBELET_SERVICE)?;
        Ok(idx)
    }

    /// The default cluster, booted: `controlplane` and `node01` with everything Running.
    pub fn boot_default(seed: u64) -> Result<Cluster, String> {
        let mut cluster = Cluster::power_on_default(seed)?;
        let limit = cluster.now() + BOOT_LIMIT;
        if !cluster.run_while(limit, cluster_is_up) {
            return Err(
                "the default cluster did not come up within 10 minutes of virtual time".into(),
            );
        }
        Ok(cluster)
    }

    /// The default cluster at the instant its machines power on: files written, units
    /// started, nothing run yet.
    pub fn power_on_default(seed: u64) -> Result<Cluster, String> {
        let mut cluster = Cluster::new(
            seed,
            &format!("{API_SERVER_HOST}:{}", crate::apiserver::API_SERVER_PORT),
        );
        let cp = cluster.add_node(default_node(true));
        let worker = cluster.add_node(default_node(false));
        // The objects kubeadm created exist in etcd's data from before this boot.
        cluster.api_mut().set_serving(true);
        for text in defaults::api_objects() {
            let object: Value = crate::yaml::from_str(text).map_err(|e| e.to_string())?;
            let kind = object
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let resource = Resource::from_kind(kind)
                .ok_or_else(|| format!("default object of unknown kind {kind}"))?;
            cluster
                .requests()
                .create(resource, &object)
                .map_err(|e| e.to_string())?;
        }
        // Objects added to the defaults later draw their uids from a generator of their own,
        // so that the names and uids the simulation draws afterwards do not depend on how
        // many default objects there are.
        let mut history = Rng::seeded(seed ^ HISTORY_STREAM);
        let now = cluster.now();
        for text in defaults::more_api_objects() {
            let objects: Vec<Value> =
                crate::yaml::from_str_multi(text).map_err(|e| e.to_string())?;
            for object in objects {
                let kind = object
                    .get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let resource = Resource::from_kind(kind)
                    .ok_or_else(|| format!("default object of unknown kind {kind}"))?;
                Requests::new(&mut cluster.api, &cluster.control, &mut history, now)
                    .create(resource, &object)
                    .map_err(|e| e.to_string())?;
            }
        }
        // The leader-election Leases the controller manager and the scheduler took when they
        // last started. (The node Leases are the kubelets' own, created when they start.)
        // The processes about to start are the ones these Leases were written for.
        for component in ["kube-controller-manager", "kube-scheduler"] {
            let lease = leases::acquire_leader_lease(
                now,
                &mut history,
                &mut cluster.api,
                component,
                CONTROL_PLANE.0,
            )
            .map_err(|e| e.to_string())?;
            let holder = lease
                .pointer("/spec/holderIdentity")
                .and_then(Value::as_str)
                .unwrap_or_default();
            cluster.control.adopt_leader(component, holder);
        }
        cluster.api_mut().set_serving(false);
        cluster.set_control_plane_host(cp);
        for idx in [cp, worker] {
            for unit in [CONTAINERD_SERVICE, KUBELET_SERVICE] {
                cluster.load_unit(idx, unit);
            }
            cluster.unit_start(idx, CONTAINERD_SERVICE)?;
            cluster.unit_start(idx, KUBELET_SERVICE)?;
        }
        Ok(cluster)
    }
}
