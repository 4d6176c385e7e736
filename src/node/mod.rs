//! One emulated host: its filesystem, container runtime, processes, systemd units and tiny
//! HTTP servers.

pub mod fs;
pub mod http;
pub mod journal;
pub mod systemd;

use std::collections::BTreeMap;

use crate::node::fs::Fs;
use crate::node::http::HttpServer;

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
    next_pid: u32,
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
            next_pid: 1000,
        }
    }

    /// A fresh process id.
    pub fn allocate_pid(&mut self) -> u32 {
        let pid = self.next_pid;
        self.next_pid += 1;
        pid
    }
}
