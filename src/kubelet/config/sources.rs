//! Mirrors `pkg/kubelet/config/sources.go` (v1.34): which sources the sync loop has heard
//! from, and whether that makes every source ready.

use std::collections::BTreeSet;

use crate::kubelet::config::PodConfig;
use crate::kubelet::context::Ctx;

/// The sources the sync loop has received at least one update from (`sourcesImpl`).
#[derive(Debug, Clone, Default)]
pub struct SourcesReady {
    seen: BTreeSet<String>,
}

impl SourcesReady {
    /// Notes that an update from `source` arrived (`AddSource`).
    pub fn add_source(&mut self, source: &str) {
        self.seen.insert(source.to_string());
    }

    /// Whether every configured source has been seen and has sent a SET (`AllReady`).
    pub fn all_ready(&self, ctx: &mut Ctx<'_>, config: &PodConfig) -> bool {
        config.seen_all_sources(ctx, &self.seen)
    }
}
