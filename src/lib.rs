//! kubelet-playground: a teaching playground for Kubernetes static pods.
//!
//! The crate is one simulation with three faces (the browser UI, the command-line runner and
//! the tests). Modules are listed in dependency order, lowest first; see `ARCHITECTURE.md`.

pub mod apiserver;
pub mod cluster;
pub mod kubelet;
pub mod lessons;
pub mod node;
pub mod playground;
pub mod shell;
pub mod sim;
pub mod sort;
pub mod ui;
pub mod view;
pub mod yaml;
