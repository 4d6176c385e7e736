//! One emulated host: its filesystem, container runtime, processes, systemd units and tiny
//! HTTP servers.

pub mod cri;
pub mod fs;
pub mod http;
pub mod journal;
pub mod kernel;
pub mod kubeconfig;
pub mod runtime;
pub mod systemd;

use std::collections::BTreeMap;

use crate::node::fs::Fs;
use crate::node::http::HttpServer;
use crate::node::runtime::Runtime;

/// One host of the cluster.
#[derive(Debug, Clone)]
pub struct Node {
    /// The hostname (also the kubelet's node name).
    pub name: String,
    /// The host's address on the cluster network.
    pub ip: String,
    /// Its filesystem.
    pub fs: Fs,
    /// HTTP servers listening on its ports.
    pub http_servers: BTreeMap<u16, HttpServer>,
    /// Its container runtime (which also hands out the host's process ids).
    pub runtime: Runtime,
}

impl Node {
    /// A host with an empty filesystem.
    pub fn new(name: &str, ip: &str) -> Node {
        Node {
            name: name.to_string(),
            ip: ip.to_string(),
            fs: Fs::default(),
            http_servers: BTreeMap::new(),
            // Low pids belong to the boot; new processes count up from here.
            runtime: Runtime::new(ip, 1000),
        }
    }

    /// A fresh process id.
    pub fn allocate_pid(&mut self) -> u32 {
        self.runtime.allocate_pid()
    }
}
