//! A log field's text: owned when a line is written, shared when a line is kept to be
//! recorded again.
//!
//! The file source remembers the log lines of each manifest's last decode and records them
//! again on every relist while the file is unchanged: at 1,100 manifests those copies were
//! the largest share of the trace's records, and allocating and later freeing their strings
//! sent the trace's memory traffic past the cache. A shared text is copied by a count.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Text owned by one line, or shared by the lines recorded from one remembered line.
#[derive(Clone)]
pub enum Text {
    /// Written for this line.
    Owned(String),
    /// Shared with a remembered line.
    Shared(Arc<str>),
}

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            Text::Shared(s) => s,
        }
    }

    /// Makes the text shared, so that copies of it are counts.
    pub fn share(&mut self) {
        if let Text::Owned(s) = self {
            *self = Text::Shared(Arc::from(std::mem::take(s)));
        }
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

/// Written as the text itself, whether owned or shared, so that a shared line reads as the
/// line it copies.
impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Owned(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Owned(s.to_string())
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text::Owned(s.clone())
    }
}

impl From<Cow<'_, str>> for Text {
    fn from(s: Cow<'_, str>) -> Text {
        Text::Owned(s.into_owned())
    }
}

impl From<Arc<str>> for Text {
    fn from(s: Arc<str>) -> Text {
        Text::Shared(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_text_reads_compares_and_prints_as_owned_text() {
        let owned = Text::from("pod \"web\"");
        let mut shared = owned.clone();
        shared.share();
        assert!(matches!(shared, Text::Shared(_)));
        assert_eq!(shared, owned);
        assert_eq!(shared.as_str(), "pod \"web\"");
        assert_eq!(format!("{shared:?}"), format!("{owned:?}"));
        let copy = shared.clone();
        let (Text::Shared(a), Text::Shared(b)) = (&shared, &copy) else {
            panic!("a shared text's copy is shared");
        };
        assert!(Arc::ptr_eq(a, b));
    }
}
