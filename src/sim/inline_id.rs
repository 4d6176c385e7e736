//! An id (a pod UID, a container id) kept inside the map node that holds it.
//!
//! A map keyed by `String` sends every comparison of a lookup to wherever the heap put that
//! key's bytes. With ten nodes of 110 pods the kubelets' maps no longer fit the processor's
//! cache, and those reads, not the comparisons themselves, become the cost of a lookup. An
//! [`InlineId`] holds up to [`INLINE`] bytes in the key itself (a UID is 36, a container id
//! 64), so searching a B-tree reads only its nodes. It borrows as `str` and orders as `str`
//! does, so a map keyed by it is searched with a plain `&str` and iterates in the same order
//! a `String` key would. A longer id is kept on the heap, as a `String` key would be.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// The longest id kept inline: a container id (64 hex digits).
pub const INLINE: usize = 64;

/// An id kept inline when it is at most [`INLINE`] bytes long.
#[derive(Clone)]
pub struct InlineId(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl InlineId {
    /// The id `s`, copied.
    pub fn new(s: &str) -> InlineId {
        match u8::try_from(s.len()) {
            Ok(len) if s.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..s.len()].copy_from_slice(s.as_bytes());
                InlineId(Repr::Inline { len, bytes })
            }
            _ => InlineId(Repr::Heap(s.into())),
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                let bytes = &bytes[..usize::from(*len)];
                // SAFETY: `new` is the only writer of `bytes`: it copied a whole `&str` (so a
                // valid UTF-8 sequence, cut at no character boundary) into them, and `len` is
                // that string's length. Nothing changes them afterwards. The checked
                // conversion validated the bytes at every comparison of every lookup and
                // cost more than the inline key saved.
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            Repr::Heap(s) => s,
        }
    }
}

impl Deref for InlineId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for InlineId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for InlineId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for InlineId {
    fn from(s: &str) -> InlineId {
        InlineId::new(s)
    }
}

impl From<&String> for InlineId {
    fn from(s: &String) -> InlineId {
        InlineId::new(s)
    }
}

impl PartialEq for InlineId {
    fn eq(&self, other: &InlineId) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for InlineId {}

impl PartialEq<str> for InlineId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for InlineId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for InlineId {
    fn partial_cmp(&self, other: &InlineId) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for InlineId {
    fn cmp(&self, other: &InlineId) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for InlineId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for InlineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for InlineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn keeps_ids_of_any_length_and_character() {
        let long = "x".repeat(INLINE + 1);
        let exact = "a".repeat(INLINE);
        for s in [
            "",
            "4d5e-uid",
            "héllo-ünïcode-✓",
            exact.as_str(),
            long.as_str(),
        ] {
            let id = InlineId::new(s);
            assert_eq!(id.as_str(), s);
            assert_eq!(id.to_string(), s);
            assert_eq!(format!("{id:?}"), format!("{s:?}"));
        }
        assert!(matches!(InlineId::new(&exact).0, Repr::Inline { .. }));
        assert!(matches!(InlineId::new(&long).0, Repr::Heap(_)));
    }

    #[test]
    fn a_map_keyed_by_ids_orders_and_finds_as_a_map_keyed_by_strings() {
        let long = format!("b{}", "z".repeat(100));
        let keys = [
            "b",
            "a",
            "",
            "ab",
            "b\u{0}",
            "é",
            "a\u{7f}",
            long.as_str(),
            "ba",
        ];
        let by_id: BTreeMap<InlineId, usize> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (InlineId::new(k), i))
            .collect();
        let by_string: BTreeMap<String, usize> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), i))
            .collect();
        let order: Vec<&str> = by_id.keys().map(InlineId::as_str).collect();
        let expected: Vec<&str> = by_string.keys().map(String::as_str).collect();
        assert_eq!(order, expected);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(by_id.get(*k), Some(&i), "{k:?}");
        }
        assert_eq!(by_id.get("c"), None);
        assert_eq!(by_id.get("b\u{0}\u{0}"), None);
    }
}
