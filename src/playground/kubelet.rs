//! "Inside the kubelet" through the playground: a node's pipeline diagram, the timeline with
//! the learner's filters, and the inspector on one record.

use crate::lessons::model::Locale;
use crate::playground::Playground;
use crate::view::kubelet::{
    inspect, kubelet_diagram, timeline, Inspection, KubeletDiagram, TimelineFilter, TimelineView,
};

impl Playground {
    /// The pipeline diagram of `node`'s kubelet now; `None` for an unknown node.
    pub fn kubelet_view(&self, node: &str) -> Option<KubeletDiagram> {
        kubelet_diagram(&self.cluster, node, self.start)
    }

    /// The timeline as `filter` selects it, explained in `locale`. Reads the trace records
    /// added since the last call into the bounded history first.
    pub fn timeline(&mut self, filter: &TimelineFilter, locale: Locale) -> TimelineView {
        self.history.update(self.cluster.trace());
        timeline(&self.history, filter, locale, self.start)
    }

    /// The inspector on trace record `id`, in `locale`.
    pub fn inspect(&self, id: usize, locale: Locale) -> Option<Inspection> {
        inspect(&self.cluster, id, locale, self.start)
    }

    /// The timeline history's memory, in bytes (estimated; see `History::memory_bytes`).
    pub fn timeline_memory(&mut self) -> usize {
        self.history.update(self.cluster.trace());
        self.history.memory_bytes()
    }
}
