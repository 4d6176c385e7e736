//! "Inside the kubelet": the per-node pipeline diagram, the timeline of every decision the
//! kubelet records and the inspector on one record, as plain data computed from the cluster
//! and its trace.

pub mod diagram;
pub mod explain;
pub mod history;
pub mod inspector;
pub mod kind;
pub mod row;
pub mod timeline;

#[cfg(test)]
mod tests;

pub use diagram::{kubelet_diagram, KubeletDiagram, WorkerState};
pub use history::History;
pub use inspector::{inspect, Inspection};
pub use kind::{RecordKind, Stage};
pub use timeline::{timeline, TimelineEntry, TimelineFilter, TimelineRow, TimelineView};
