//! How containerd finds a container or sandbox from what the user typed: the full id or any
//! unique prefix of it (`github.com/containerd/containerd/pkg/truncindex`, used by the CRI
//! plugin's stores), with the errors its `ContainerStatus`/`PodSandboxStatus` return.

/// What kind of object is looked up, for the error wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A container.
    Container,
    /// A pod sandbox.
    Sandbox,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Container => "container",
            Kind::Sandbox => "sandbox",
        }
    }
}

/// The full id `typed` names among `ids`, or the runtime's error (gRPC status text).
pub fn resolve<'a>(
    ids: impl IntoIterator<Item = &'a str>,
    typed: &str,
    kind: Kind,
) -> Result<String, String> {
    let find = |reason: &str, code: &str| {
        format!(
            "rpc error: code = {code} desc = an error occurred when try to find {} {}: {reason}",
            kind.word(),
            super::go_quote(typed)
        )
    };
    if typed.is_empty() {
        return Err(find("prefix can't be empty", "Unknown"));
    }
    let mut found: Option<&str> = None;
    for id in ids {
        if id == typed {
            return Ok(id.to_string());
        }
        if id.starts_with(typed) {
            if found.is_some() {
                return Err(find(
                    &format!("multiple IDs found with provided prefix: {typed}"),
                    "Unknown",
                ));
            }
            found = Some(id);
        }
    }
    found
        .map(str::to_string)
        .ok_or_else(|| find("not found", "NotFound"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_unique_prefixes() {
        let ids = ["abc123", "abd456", "ff00"];
        assert_eq!(resolve(ids, "abc", Kind::Container).unwrap(), "abc123");
        assert_eq!(resolve(ids, "ff00", Kind::Container).unwrap(), "ff00");
        assert_eq!(
            resolve(ids, "ab", Kind::Container).unwrap_err(),
            "rpc error: code = Unknown desc = an error occurred when try to find container \"ab\": multiple IDs found with provided prefix: ab"
        );
        assert_eq!(
            resolve(ids, "zz", Kind::Sandbox).unwrap_err(),
            "rpc error: code = NotFound desc = an error occurred when try to find sandbox \"zz\": not found"
        );
    }
}
