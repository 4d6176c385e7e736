//! Share links: a saved session in a URL fragment, `#s=1.` + base64url(raw DEFLATE(JSON)).
//!
//! The `1.` is the link encoding's version; the JSON inside carries the session's own format,
//! so a link made today opens in every later release (replayed with its format's behaviour, or
//! refused with a plain message when that format is no longer read).

use super::input::{LoadError, SavedSession};

/// The link encoding this build writes.
const VERSION: &str = "1";

/// The longest fragment payload accepted (characters); longer ones are refused unread.
pub const MAX_LINK: usize = 200_000;

/// The largest session a link may inflate to (bytes), so a crafted link cannot exhaust memory.
const MAX_JSON: usize = 4 << 20;

/// Why a share link could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Longer than [`MAX_LINK`].
    TooLong(usize),
    /// Made by a release with a link encoding this one does not know.
    UnknownVersion(String),
    /// Cut short or altered.
    Corrupt(String),
    /// The session inside cannot be read (its format).
    Session(LoadError),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::TooLong(n) => write!(
                f,
                "the shared link is too long to open ({n} characters; at most {MAX_LINK})"
            ),
            LinkError::UnknownVersion(v) => write!(
                f,
                "the shared link comes from a newer version of the playground (link version {v}; this version reads {VERSION})"
            ),
            LinkError::Corrupt(why) => write!(
                f,
                "the shared link is damaged ({why}); it may have been cut short when it was copied"
            ),
            LinkError::Session(err) => write!(f, "{err}"),
        }
    }
}

impl SavedSession {
    /// The session as a share link's fragment payload (what follows `#s=`).
    pub fn to_link(&self) -> String {
        let json = self.to_json();
        let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
        format!("{VERSION}.{}", base64url(&packed))
    }

    /// Reads a share link's fragment payload.
    pub fn from_link(payload: &str) -> Result<SavedSession, LinkError> {
        if payload.len() > MAX_LINK {
            return Err(LinkError::TooLong(payload.len()));
        }
        let (version, data) = payload
            .split_once('.')
            .ok_or_else(|| LinkError::Corrupt("no version".into()))?;
        if version != VERSION {
            if version.chars().all(|c| c.is_ascii_digit()) && !version.is_empty() {
                return Err(LinkError::UnknownVersion(version.to_string()));
            }
            return Err(LinkError::Corrupt("no version".into()));
        }
        let packed = unbase64url(data).ok_or_else(|| LinkError::Corrupt("not base64url".into()))?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON)
            .map_err(|_| LinkError::Corrupt("it does not inflate".into()))?;
        let text =
            String::from_utf8(json).map_err(|_| LinkError::Corrupt("not UTF-8 inside".into()))?;
        SavedSession::from_json(&text).map_err(LinkError::Session)
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5), safe in a URL fragment.
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let digits: Vec<u32> = text
        .bytes()
        .map(|c| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32))
        .collect::<Option<_>>()?;
    for chunk in digits.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | d << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::input::{Input, FORMAT};

    fn session() -> SavedSession {
        SavedSession {
            format: FORMAT,
            seed: 1,
            inputs: vec![
                Input::Command("kubectl delete pod web-controlplane\n".into()),
                Input::Advance(12_000),
                Input::Command("crictl ps --name web\n".into()),
            ],
            lesson: Some("mirror-mirror".into()),
        }
    }

    #[test]
    fn a_session_round_trips_through_a_short_link() {
        let link = session().to_link();
        assert!(link.starts_with("1."));
        assert!(link.len() < 200, "{} characters: {link}", link.len());
        assert!(link[2..].bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(SavedSession::from_link(&link), Ok(session()));
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(unbase64url(&base64url(&bytes)), Some(bytes));
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn bad_links_say_what_is_wrong() {
        let link = session().to_link();
        let cut = &link[..link.len() - 6];
        assert!(matches!(
            SavedSession::from_link(cut),
            Err(LinkError::Corrupt(_))
        ));
        assert_eq!(
            SavedSession::from_link("7.AAAA"),
            Err(LinkError::UnknownVersion("7".into()))
        );
        assert!(SavedSession::from_link("7.AAAA")
            .unwrap_err()
            .to_string()
            .contains("newer version"));
        assert!(matches!(
            SavedSession::from_link("garbage"),
            Err(LinkError::Corrupt(_))
        ));
        assert!(matches!(
            SavedSession::from_link("1.@@@"),
            Err(LinkError::Corrupt(_))
        ));
        let long = "1.".to_string() + &"A".repeat(MAX_LINK);
        assert!(matches!(
            SavedSession::from_link(&long),
            Err(LinkError::TooLong(_))
        ));
        // A bomb: a small link that would inflate past the limit.
        let zeros = vec![b' '; MAX_JSON + 10];
        let bomb = format!(
            "1.{}",
            base64url(&miniz_oxide::deflate::compress_to_vec(&zeros, 9))
        );
        assert!(bomb.len() < 20_000);
        assert!(matches!(
            SavedSession::from_link(&bomb),
            Err(LinkError::Corrupt(_))
        ));
        let old = SavedSession {
            format: 1,
            ..session()
        };
        assert!(matches!(
            SavedSession::from_link(&old.to_link()),
            Err(LinkError::Session(LoadError::Format(1)))
        ));
    }

    #[test]
    fn a_whole_lesson_taken_with_the_clock_running_fits_in_2000_characters() {
        use crate::playground::Playground;
        use crate::sim::SimDuration;
        let mut playground = Playground::interactive_lesson("your-first-static-pod", 1).unwrap();
        let steps = playground.lesson().unwrap().lesson().steps.clone();
        for step in &steps {
            // A learner looks around between actions while the clock plays in frames.
            for command in [
                "ls /etc/kubernetes/manifests\n",
                "kubectl get pods -A\n",
                "crictl ps\n",
            ] {
                playground.run(command);
                for _ in 0..20 {
                    playground.advance(SimDuration::from_millis(16));
                }
            }
            for action in &step.solution {
                playground.act(action).unwrap();
            }
        }
        assert!(playground.lesson().unwrap().finished());
        let link = playground.saved().to_link();
        assert!(link.len() < 2000, "{} characters", link.len());
        let back = SavedSession::from_link(&link).unwrap();
        assert_eq!(back, playground.saved());
    }
}
