//! Mirrors `pkg/kubelet/config` (v1.34): the file, URL and API-server pod sources and the mux
//! that merges them (`PodConfig`).

pub mod apiserver;
pub mod common;
#[allow(clippy::module_inception)]
pub mod config;
pub mod diff;
pub mod file;
pub mod file_linux;
pub mod http;
pub mod mux;
pub mod pod_refs;
pub mod sources;

pub use config::{NotificationMode, PodConfig, RecordedEvent};
pub use sources::SourcesReady;
