//! JSON Pointer lookups (RFC 6901) that borrow their tokens. `serde_json::Value::pointer`
//! allocates two strings per token (its `~1`/`~0` unescaping); the store's readers look up
//! `/metadata/...` on many wake-ups (every Lease renewal, every namespace pass), where those
//! allocations were a measurable share.

use std::borrow::Cow;

use serde_json::Value;

/// `Value::pointer` without the per-token allocations: the same answer for every pointer.
pub trait JsonPointer {
    /// The value `pointer` names, as `serde_json::Value::pointer` finds it.
    fn at(&self, pointer: &str) -> Option<&Value>;
}

impl JsonPointer for Value {
    fn at(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |target, token| {
            let token = unescape(token);
            match target {
                Value::Object(map) => map.get(token.as_ref()),
                Value::Array(list) => parse_index(&token).and_then(|i| list.get(i)),
                _ => None,
            }
        })
    }
}

/// A token with `~1` and `~0` unescaped, borrowed unless it has a `~`.
fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// An array index as serde_json accepts it: no sign, no leading zero.
fn parse_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_as_serde_json_does() {
        let value = json!({
            "metadata": {"name": "web", "labels": {"a/b": "1", "m~n": "2", "": "3"}},
            "spec": {"containers": [{"name": "c0"}, {"name": "c1"}]},
            "list": [1, 2, 3],
        });
        let pointers = [
            "",
            "/",
            "metadata",
            "/metadata",
            "/metadata/name",
            "/metadata/name/x",
            "/metadata/missing",
            "/metadata/labels/a~1b",
            "/metadata/labels/m~0n",
            "/metadata/labels/",
            "/metadata/labels/a/b",
            "/spec/containers/1/name",
            "/spec/containers/01/name",
            "/spec/containers/+1/name",
            "/spec/containers/2",
            "/spec/containers/-1",
            "/spec/containers/name",
            "/list/0",
            "/list/00",
            "//",
        ];
        for pointer in pointers {
            assert_eq!(value.at(pointer), value.pointer(pointer), "{pointer:?}");
        }
    }
}
