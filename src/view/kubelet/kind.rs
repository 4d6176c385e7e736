//! What part of the kubelet a record belongs to: the timeline's kind filter and the diagram's
//! boxes and edges.

/// The kinds of record a learner can filter the timeline by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RecordKind {
    /// The file, http and API sources.
    Sources,
    /// The pod-config mux.
    Mux,
    /// The sync loop's iterations.
    SyncLoop,
    /// Pod workers and back-off.
    Workers,
    /// The container runtime and PLEG.
    Runtime,
    /// Writes to the API server: mirror pods and events.
    Api,
    /// The kubelet process starting and stopping.
    Process,
}

impl RecordKind {
    /// Every kind, in the pipeline's order.
    pub const ALL: [RecordKind; 7] = [
        RecordKind::Sources,
        RecordKind::Mux,
        RecordKind::SyncLoop,
        RecordKind::Workers,
        RecordKind::Runtime,
        RecordKind::Api,
        RecordKind::Process,
    ];

    /// The kind a lesson names.
    pub fn from_lesson(kind: crate::lessons::model::InsideKind) -> RecordKind {
        use crate::lessons::model::InsideKind;
        match kind {
            InsideKind::Sources => RecordKind::Sources,
            InsideKind::Mux => RecordKind::Mux,
            InsideKind::SyncLoop => RecordKind::SyncLoop,
            InsideKind::Workers => RecordKind::Workers,
            InsideKind::Runtime => RecordKind::Runtime,
            InsideKind::Api => RecordKind::Api,
            InsideKind::Process => RecordKind::Process,
        }
    }

    /// A stable name (for CSS classes and test ids): `sources`, `mux`, ...
    pub fn id(self) -> &'static str {
        match self {
            RecordKind::Sources => "sources",
            RecordKind::Mux => "mux",
            RecordKind::SyncLoop => "sync-loop",
            RecordKind::Workers => "workers",
            RecordKind::Runtime => "runtime",
            RecordKind::Api => "api",
            RecordKind::Process => "process",
        }
    }
}

/// A box of the pipeline diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The file source (`staticPodPath`).
    FileSource,
    /// The http source (`staticPodURL`).
    HttpSource,
    /// The API-server source.
    ApiSource,
    /// The config mux (`PodConfig`).
    Mux,
    /// The sync loop.
    SyncLoop,
    /// The pod workers.
    PodWorkers,
    /// The container runtime (PLEG reads it).
    Runtime,
    /// The status manager and mirror client writing to the API server.
    Api,
    /// The kubelet process itself.
    Kubelet,
}

impl Stage {
    /// Every box, in the pipeline's order.
    pub const ALL: [Stage; 9] = [
        Stage::FileSource,
        Stage::HttpSource,
        Stage::ApiSource,
        Stage::Mux,
        Stage::SyncLoop,
        Stage::PodWorkers,
        Stage::Runtime,
        Stage::Api,
        Stage::Kubelet,
    ];

    /// A stable name (for CSS classes and test ids): `file-source`, `mux`, ...
    pub fn id(self) -> &'static str {
        match self {
            Stage::FileSource => "file-source",
            Stage::HttpSource => "http-source",
            Stage::ApiSource => "api-source",
            Stage::Mux => "mux",
            Stage::SyncLoop => "sync-loop",
            Stage::PodWorkers => "pod-workers",
            Stage::Runtime => "runtime",
            Stage::Api => "api",
            Stage::Kubelet => "kubelet",
        }
    }

    /// The source box a source name (`file`, `http`, `api`) belongs to.
    pub fn of_source(source: &str) -> Stage {
        match source {
            "file" => Stage::FileSource,
            "http" => Stage::HttpSource,
            _ => Stage::ApiSource,
        }
    }
}

/// An edge of the diagram a record travels along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// Where it leaves.
    pub from: Stage,
    /// Where it arrives.
    pub to: Stage,
}
