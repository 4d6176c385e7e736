//! Node commands that look at or act on the host's processes and network: `ps`, `pgrep`,
//! `kill`, `curl`, `python3 -m http.server`, `scp`, `hostname`, `ip`, `ss`, and the
//! Kubernetes binaries: `kubeadm version|certs|config`, `kubelet --version` and, on the
//! control-plane node, `etcdctl`.

pub mod curl;
pub mod etcdctl;
pub mod hostname;
pub mod http_server;
pub mod ip;
pub mod kill;
pub mod kubeadm;
pub mod kubeadm_certs;
pub mod kubeadm_config;
pub mod pgrep;
pub mod ps;
pub mod scp;
pub mod ss;
pub mod x509;

/// The command names this module answers.
pub const COMMANDS: &[&str] = &[
    "curl", "etcdctl", "hostname", "ip", "kill", "kubeadm", "kubelet", "pgrep", "ps", "python3",
    "scp", "ss",
];
