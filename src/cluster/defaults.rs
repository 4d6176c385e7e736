//! The cluster's initial content: the files on each node's disk and the API objects that exist
//! when the playground starts, as a kubeadm v1.34.1 cluster (`controlplane` + `node01`) has them
//! right after `kubeadm init --apiserver-advertise-address=172.30.1.2
//! --control-plane-endpoint=controlplane:6443 --pod-network-cidr=192.168.0.0/16` and
//! `kubeadm join`.
//!
//! Pure data: every file lives under `src/cluster/defaults/<node>/<absolute path>` so a reader can
//! browse it, and `objects/` holds the API objects in creation order. Nothing here simulates.
//!
//! Mirrors what these kubeadm v1.34 sources write:
//! - `cmd/kubeadm/app/phases/controlplane/manifests.go`, `phases/etcd/local.go` and
//!   `util/staticpod/utils.go`: the four static pod manifests (named `probe-port` probes,
//!   etcd's `--feature-gates=InitialCorruptCheck=true`, no `creationTimestamp: null`).
//! - `phases/kubelet/{flags,config}.go`: `kubeadm-flags.env` (only the pause image; the CRI
//!   socket moved to `instance-config.yaml` with the `NodeLocalCRISocket` gate, beta and on in
//!   1.34) and `config.yaml` (the component config with that instance file patched in).
//! - `phases/kubeconfig/kubeconfig.go`, `phases/certs/`: kubeconfigs and the PKI tree.
//! - `phases/addons/{dns,proxy}/manifests.go`: CoreDNS and kube-proxy, rendered for this cluster.
//!
//! Deliberate deviations:
//! - Certificates and keys are well-formed DER (`openssl x509 -text` reads them) but fake: the
//!   signatures are noise and the RSA numbers are not primes. `tools/gen_fake_pki.py` produced
//!   them, the kubeconfigs and the CA-bearing objects deterministically.
//! - No Secrets (kubeadm's bootstrap token has expired, see below); Pods are made by the
//!   kubelets and controllers, Leases at power-on (`cluster/boot.rs`).
//! - RBAC is a representative subset of the bootstrap policy (README, Fidelity notes).
//! - The bootstrap token has expired (the cluster is older than a day), so `cluster-info` has
//!   no `jws-kubeconfig-*` key and there is no `bootstrap-kubelet.conf`.

/// One file on a node: absolute path, content, and mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultFile {
    /// Absolute path on the node.
    pub path: &'static str,
    /// The whole file.
    pub content: &'static str,
    /// Permission bits, such as `0o644`.
    pub mode: u32,
}

/// The Kubernetes version of kubeadm, the kubelets and the control plane.
pub const KUBERNETES_VERSION: &str = "v1.34.1";
/// kube-apiserver image (kubeadm: `registry.k8s.io/kube-apiserver:<version>`).
pub const KUBE_APISERVER_IMAGE: &str = "registry.k8s.io/kube-apiserver:v1.34.1";
/// kube-controller-manager image.
pub const KUBE_CONTROLLER_MANAGER_IMAGE: &str = "registry.k8s.io/kube-controller-manager:v1.34.1";
/// kube-scheduler image.
pub const KUBE_SCHEDULER_IMAGE: &str = "registry.k8s.io/kube-scheduler:v1.34.1";
/// kube-proxy image (the DaemonSet's).
pub const KUBE_PROXY_IMAGE: &str = "registry.k8s.io/kube-proxy:v1.34.1";
/// etcd image: kubeadm v1.34's `SupportedEtcdVersion[34]` is `3.6.4-0`.
pub const ETCD_IMAGE: &str = "registry.k8s.io/etcd:3.6.4-0";
/// CoreDNS image: kubeadm v1.34's `CoreDNSVersion` is `v1.12.1`.
pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.12.1";
/// Pause (sandbox) image: kubeadm v1.34's `PauseVersion` is `3.10.1`.
pub const PAUSE_IMAGE: &str = "registry.k8s.io/pause:3.10.1";

/// Mode of ordinary files.
const PUBLIC: u32 = 0o644;
/// Mode of files holding secrets: private keys, kubeconfigs with credentials, and static pod
/// manifests (kubeadm writes those 0600 too).
const SECRET: u32 = 0o600;

/// A file of `node`'s tree under `src/cluster/defaults/`.
macro_rules! file {
    ($node:literal, $path:literal, $mode:expr) => {
        DefaultFile {
            path: $path,
            content: include_str!(concat!("defaults/", $node, $path)),
            mode: $mode,
        }
    };
}

/// The files on `controlplane` at start.
pub fn control_plane_files() -> Vec<DefaultFile> {
    let admin_conf = file!("controlplane", "/etc/kubernetes/admin.conf", SECRET);
    vec![
        file!("controlplane", "/etc/hostname", PUBLIC),
        file!("controlplane", "/etc/hosts", PUBLIC),
        file!("controlplane", "/etc/os-release", PUBLIC),
        file!("controlplane", "/etc/containerd/config.toml", PUBLIC),
        file!("controlplane", "/etc/crictl.yaml", PUBLIC),
        file!("controlplane", "/etc/default/kubelet", PUBLIC),
        file!(
            "controlplane",
            "/usr/lib/systemd/system/kubelet.service",
            PUBLIC
        ),
        file!(
            "controlplane",
            "/usr/lib/systemd/system/containerd.service",
            PUBLIC
        ),
        file!(
            "controlplane",
            "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
            PUBLIC
        ),
        file!("controlplane", "/var/lib/kubelet/config.yaml", PUBLIC),
        file!(
            "controlplane",
            "/var/lib/kubelet/instance-config.yaml",
            PUBLIC
        ),
        file!("controlplane", "/var/lib/kubelet/kubeadm-flags.env", PUBLIC),
        file!(
            "controlplane",
            "/var/lib/kubelet/pki/kubelet-client-2026-11-15-09-07-21.pem",
            SECRET
        ),
        file!("controlplane", "/var/lib/kubelet/pki/kubelet.crt", PUBLIC),
        file!("controlplane", "/var/lib/kubelet/pki/kubelet.key", SECRET),
        file!(
            "controlplane",
            "/etc/kubernetes/manifests/etcd.yaml",
            SECRET
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/manifests/kube-apiserver.yaml",
            SECRET
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/manifests/kube-controller-manager.yaml",
            SECRET
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/manifests/kube-scheduler.yaml",
            SECRET
        ),
        admin_conf,
        file!("controlplane", "/etc/kubernetes/super-admin.conf", SECRET),
        file!(
            "controlplane",
            "/etc/kubernetes/controller-manager.conf",
            SECRET
        ),
        file!("controlplane", "/etc/kubernetes/scheduler.conf", SECRET),
        file!("controlplane", "/etc/kubernetes/kubelet.conf", SECRET),
        // `sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config`, as kubeadm init suggests.
        DefaultFile {
            path: "/root/.kube/config",
            ..admin_conf
        },
        file!("controlplane", "/etc/kubernetes/pki/ca.crt", PUBLIC),
        file!("controlplane", "/etc/kubernetes/pki/ca.key", SECRET),
        file!("controlplane", "/etc/kubernetes/pki/apiserver.crt", PUBLIC),
        file!("controlplane", "/etc/kubernetes/pki/apiserver.key", SECRET),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/apiserver-kubelet-client.crt",
            PUBLIC
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/apiserver-kubelet-client.key",
            SECRET
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/apiserver-etcd-client.crt",
            PUBLIC
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/apiserver-etcd-client.key",
            SECRET
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/front-proxy-ca.crt",
            PUBLIC
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/front-proxy-ca.key",
            SECRET
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/front-proxy-client.crt",
            PUBLIC
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/front-proxy-client.key",
            SECRET
        ),
        file!("controlplane", "/etc/kubernetes/pki/sa.key", SECRET),
        file!("controlplane", "/etc/kubernetes/pki/sa.pub", PUBLIC),
        file!("controlplane", "/etc/kubernetes/pki/etcd/ca.crt", PUBLIC),
        file!("controlplane", "/etc/kubernetes/pki/etcd/ca.key", SECRET),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/etcd/server.crt",
            PUBLIC
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/etcd/server.key",
            SECRET
        ),
        file!("controlplane", "/etc/kubernetes/pki/etcd/peer.crt", PUBLIC),
        file!("controlplane", "/etc/kubernetes/pki/etcd/peer.key", SECRET),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
            PUBLIC
        ),
        file!(
            "controlplane",
            "/etc/kubernetes/pki/etcd/healthcheck-client.key",
            SECRET
        ),
    ]
}

/// The files on `node01` at start; a kubeadm worker has no admin.conf, so `kubectl` fails there.
pub fn worker_files() -> Vec<DefaultFile> {
    vec![
        file!("node01", "/etc/hostname", PUBLIC),
        file!("node01", "/etc/hosts", PUBLIC),
        file!("node01", "/etc/os-release", PUBLIC),
        file!("node01", "/etc/containerd/config.toml", PUBLIC),
        file!("node01", "/etc/crictl.yaml", PUBLIC),
        file!("node01", "/etc/default/kubelet", PUBLIC),
        file!("node01", "/usr/lib/systemd/system/kubelet.service", PUBLIC),
        file!(
            "node01",
            "/usr/lib/systemd/system/containerd.service",
            PUBLIC
        ),
        file!(
            "node01",
            "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
            PUBLIC
        ),
        file!("node01", "/var/lib/kubelet/config.yaml", PUBLIC),
        file!("node01", "/var/lib/kubelet/instance-config.yaml", PUBLIC),
        file!("node01", "/var/lib/kubelet/kubeadm-flags.env", PUBLIC),
        file!(
            "node01",
            "/var/lib/kubelet/pki/kubelet-client-2026-11-15-09-10-53.pem",
            SECRET
        ),
        file!("node01", "/var/lib/kubelet/pki/kubelet.crt", PUBLIC),
        file!("node01", "/var/lib/kubelet/pki/kubelet.key", SECRET),
        file!("node01", "/etc/kubernetes/kubelet.conf", SECRET),
        file!("node01", "/etc/kubernetes/pki/ca.crt", PUBLIC),
    ]
}

/// Directories on `controlplane` that exist at start, empty ones included (parents of the
/// files are implied but listed where a manifest mounts them).
pub fn control_plane_dirs() -> &'static [&'static str] {
    &[
        "/etc/kubernetes",
        "/etc/kubernetes/manifests",
        "/etc/kubernetes/pki",
        "/etc/kubernetes/pki/etcd",
        "/var/lib/etcd",
        "/var/lib/kubelet",
        "/var/lib/kubelet/checkpoints",
        "/var/lib/kubelet/device-plugins",
        "/var/lib/kubelet/pki",
        "/var/lib/kubelet/plugins",
        "/var/lib/kubelet/plugins_registry",
        "/var/lib/kubelet/pod-resources",
        "/var/lib/kubelet/pods",
        "/etc/cni/net.d",
        "/opt/cni/bin",
        "/etc/ssl/certs",
        "/etc/ca-certificates",
        "/usr/local/share/ca-certificates",
        "/usr/share/ca-certificates",
        "/usr/libexec/kubernetes/kubelet-plugins/volume/exec",
        "/lib/modules",
        "/root/.kube",
    ]
}

/// Directories on `node01` that exist at start; its static pod directory is empty.
pub fn worker_dirs() -> &'static [&'static str] {
    &[
        "/etc/kubernetes",
        "/etc/kubernetes/manifests",
        "/etc/kubernetes/pki",
        "/var/lib/kubelet",
        "/var/lib/kubelet/checkpoints",
        "/var/lib/kubelet/device-plugins",
        "/var/lib/kubelet/pki",
        "/var/lib/kubelet/plugins",
        "/var/lib/kubelet/plugins_registry",
        "/var/lib/kubelet/pod-resources",
        "/var/lib/kubelet/pods",
        "/etc/cni/net.d",
        "/opt/cni/bin",
        "/lib/modules",
    ]
}

/// Symlinks on `controlplane` as `(link, target)`: the kubelet's rotating client certificate.
pub fn control_plane_symlinks() -> &'static [(&'static str, &'static str)] {
    &[(
        "/var/lib/kubelet/pki/kubelet-client-current.pem",
        "/var/lib/kubelet/pki/kubelet-client-2026-11-15-09-07-21.pem",
    )]
}

/// Symlinks on `node01` as `(link, target)`: the client certificate from its TLS bootstrap.
pub fn worker_symlinks() -> &'static [(&'static str, &'static str)] {
    &[(
        "/var/lib/kubelet/pki/kubelet-client-current.pem",
        "/var/lib/kubelet/pki/kubelet-client-2026-11-15-09-10-53.pem",
    )]
}

/// The API objects present at start, one YAML document each, in creation order.
pub fn api_objects() -> Vec<&'static str> {
    vec![
        include_str!("defaults/objects/00-namespace-default.yaml"),
        include_str!("defaults/objects/01-namespace-kube-node-lease.yaml"),
        include_str!("defaults/objects/02-namespace-kube-public.yaml"),
        include_str!("defaults/objects/03-namespace-kube-system.yaml"),
        // kubeadm registered both nodes before this boot and labelled and tainted the
        // control plane (`mark-control-plane`); the kubelets find them already registered.
        include_str!("defaults/objects/04-node-controlplane.yaml"),
        include_str!("defaults/objects/05-node-node01.yaml"),
        include_str!("defaults/objects/10-extension-apiserver-authentication.yaml"),
        include_str!(
            "defaults/objects/11-kube-apiserver-legacy-service-account-token-tracking.yaml"
        ),
        include_str!("defaults/objects/12-kubeadm-config.yaml"),
        include_str!("defaults/objects/13-kubelet-config.yaml"),
        include_str!("defaults/objects/14-cluster-info.yaml"),
        include_str!("defaults/objects/15-coredns-configmap.yaml"),
        include_str!("defaults/objects/16-coredns-deployment.yaml"),
        include_str!("defaults/objects/17-kube-proxy-configmap.yaml"),
        include_str!("defaults/objects/18-kube-proxy-daemonset.yaml"),
        include_str!("defaults/objects/20-kube-root-ca-default.yaml"),
        include_str!("defaults/objects/21-kube-root-ca-kube-node-lease.yaml"),
        include_str!("defaults/objects/22-kube-root-ca-kube-public.yaml"),
        include_str!("defaults/objects/23-kube-root-ca-kube-system.yaml"),
    ]
}

/// More API objects from before this boot, created after [`api_objects`] with uids from a
/// generator of their own (see `Cluster::power_on_default`): the two Services kubeadm's
/// cluster has, their Endpoints and EndpointSlices as the controllers left them (kube-dns's
/// empty until its pods are Ready again), the ServiceAccounts and the RBAC objects. A file may
/// hold several documents.
pub fn more_api_objects() -> Vec<&'static str> {
    vec![
        include_str!("defaults/objects/30-service-kubernetes.yaml"),
        include_str!("defaults/objects/31-service-kube-dns.yaml"),
        include_str!("defaults/objects/32-endpoints-kubernetes.yaml"),
        include_str!("defaults/objects/33-endpointslice-kubernetes.yaml"),
        include_str!("defaults/objects/34-endpoints-kube-dns.yaml"),
        include_str!("defaults/objects/35-endpointslice-kube-dns.yaml"),
        include_str!("defaults/objects/36-serviceaccounts.yaml"),
        include_str!("defaults/objects/37-rbac.yaml"),
    ]
}

/// Images present on each node at start (control plane images on controlplane; pause, kube-proxy, coredns on both).
pub fn preloaded_images(control_plane: bool) -> Vec<&'static str> {
    let mut res = Vec::new();
    if control_plane {
        res.extend([
            KUBE_APISERVER_IMAGE,
            KUBE_CONTROLLER_MANAGER_IMAGE,
            KUBE_SCHEDULER_IMAGE,
            ETCD_IMAGE,
        ]);
    }
    res.extend([KUBE_PROXY_IMAGE, COREDNS_IMAGE, PAUSE_IMAGE]);
    res
}

#[cfg(test)]
mod tests;
