//! Node commands that look at or act on the host's processes and network: `ps`, `pgrep`,
//! `kill`, `curl`, `python3 -m http.server`, `scp`, `hostname`, `ip`, `ss`, and the
//! Kubernetes binaries' own `kubeadm version` and `kubelet --version`.

pub mod curl;
pub mod hostname;
pub mod http_server;
pub mod ip;
pub mod kill;
pub mod kubeadm;
pub mod pgrep;
pub mod ps;
pub mod scp;
pub mod ss;
pub mod x509;

/// The command names this module answers.
pub const COMMANDS: &[&str] = &[
    "curl", "hostname", "ip", "kill", "kubeadm", "kubelet", "pgrep", "ps", "python3", "scp", "ss",
];
