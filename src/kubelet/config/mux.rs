//! Mirrors `pkg/kubelet/config/mux.go` (v1.34): the registry of source channels.
//!
//! Upstream gives every source its own channel and goroutine that calls `Merge` for each
//! message. Here a source's "channel" is its registered name and sending merges at once
//! (`PodConfig::send`), so only the registry remains.

use std::collections::BTreeSet;

/// The set of sources that asked for a channel.
#[derive(Debug, Clone, Default)]
pub struct Mux {
    sources: BTreeSet<String>,
}

impl Mux {
    /// Registers `source`; registering the same name again returns the same channel, i.e. is
    /// a no-op (`ChannelWithContext`).
    pub fn channel(&mut self, source: &str) {
        assert!(!source.is_empty(), "Channel given an empty name");
        self.sources.insert(source.to_string());
    }

    /// The registered sources.
    pub fn sources(&self) -> &BTreeSet<String> {
        &self.sources
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Port of TestConfigurationChannels (B1): the same name gives the same channel.
    #[test]
    fn configuration_channels() {
        let mut mux = Mux::default();
        mux.channel("one");
        mux.channel("one");
        mux.channel("two");
        let names: Vec<&str> = mux.sources().iter().map(String::as_str).collect();
        assert_eq!(names, ["one", "two"]);
    }
}
