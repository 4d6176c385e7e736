//! Wake-ups counted by who asked for them. Every dispatch counts one, so the count is found
//! by the source's address first (each source is a literal, the same at every call) instead
//! of a map keyed by text, whose lookups compared strings on every wake-up.

use std::collections::BTreeMap;

/// Counts by source; a source's text is its identity, its address only a shortcut.
#[derive(Debug, Clone, Default)]
pub struct WakeupCounts {
    counts: Vec<(&'static str, u64)>,
}

impl WakeupCounts {
    /// Counts one wake-up from `source`.
    pub fn count(&mut self, source: &'static str) {
        let same_literal = |known: &&'static str| std::ptr::eq(*known, source);
        let slot = match self.counts.iter().position(|(k, _)| same_literal(k)) {
            Some(i) => i,
            None => match self.counts.iter().position(|(k, _)| *k == source) {
                Some(i) => i,
                None => {
                    self.counts.push((source, 0));
                    self.counts.len() - 1
                }
            },
        };
        self.counts[slot].1 += 1;
    }

    /// The counts by source text.
    pub fn by_source(&self) -> BTreeMap<&'static str, u64> {
        self.counts.iter().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_text_whatever_the_address() {
        let mut counts = WakeupCounts::default();
        let owned = String::from("probe");
        let leaked: &'static str = Box::leak(owned.into_boxed_str());
        counts.count("probe");
        counts.count("runtime");
        counts.count(leaked);
        counts.count("probe");
        let map = counts.by_source();
        assert_eq!(map.get("probe"), Some(&3));
        assert_eq!(map.get("runtime"), Some(&1));
        assert_eq!(map.len(), 2);
    }
}
