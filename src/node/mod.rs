//! One emulated host: its filesystem, container runtime, processes, systemd units and tiny
//! HTTP servers.

pub mod fs;
