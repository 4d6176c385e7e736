//! The autosave: the session (seed and inputs) and the UI's own settings in the browser's
//! `localStorage`, and session files the learner exports and imports.
//!
//! Saving never throws: storage that is full or disabled (private mode) makes the app say
//! that work is not being saved, and the session goes on.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::playground::{LoadError, SavedSession};
use crate::ui::state::{ChallengeClock, Draft, FileKey, Store, Theme};

/// The key of the session.
pub const SESSION_KEY: &str = "kubelet-playground/session";

/// Where the autosave lives: [`SESSION_KEY`] for the full page; an embedded playground keeps
/// one per lesson (`?lesson=`), so two iframes of a course page never overwrite each other.
pub fn session_key(embed: bool, lesson: Option<&str>) -> String {
    if embed {
        format!("kubelet-playground/embed/{}", lesson.unwrap_or("sandbox"))
    } else {
        SESSION_KEY.to_string()
    }
}

/// Where the session of a lesson (or of the sandbox, `None`) waits while the learner takes
/// another one: switching lessons never throws work away.
pub fn stash_key(lesson: Option<&str>) -> String {
    format!("kubelet-playground/stash/{}", lesson.unwrap_or("sandbox"))
}

/// The session waiting in the stash of `lesson` (the sandbox: `None`), if any.
pub fn stashed(lesson: Option<&str>) -> Option<SavedSession> {
    match parse_found(read(&stash_key(lesson))) {
        Found::Session(saved) => Some(saved),
        _ => None,
    }
}

/// Puts `saved` in its lesson's stash; `false` when the browser refused.
pub fn stash(saved: &SavedSession) -> bool {
    write(&stash_key(saved.lesson.as_deref()), &saved.to_json())
}

/// The key of the UI settings and editor drafts.
pub const SETTINGS_KEY: &str = "kubelet-playground/settings";

thread_local! {
    /// The session as last saved, for the crash banner's "export session" link.
    static LAST_SAVED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Keeps `session` (JSON) where the crash banner can offer it for download.
pub fn remember_for_crash(session: &str) {
    LAST_SAVED.with(|last| {
        let mut last = last.borrow_mut();
        last.clear();
        last.push_str(session);
    });
}

/// The session as last saved.
pub fn last_saved() -> String {
    LAST_SAVED.with(|last| last.borrow().clone())
}

/// What the UI keeps besides the session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `dark`, `light`, or absent to follow the browser.
    #[serde(default)]
    pub theme: Option<String>,
    /// Whether the first-visit tour was seen.
    #[serde(default)]
    pub tour_seen: bool,
    /// The language chosen (`en`, `zh-CN`), if the learner chose one.
    #[serde(default)]
    pub lang: Option<String>,
    /// Unsaved editor buffers.
    #[serde(default)]
    pub drafts: Vec<SavedDraft>,
    /// The file the editor showed.
    #[serde(default)]
    pub open_file: Option<(String, String)>,
    /// Steps done per lesson ID (the most ever reached), for the lesson picker.
    #[serde(default)]
    pub progress: BTreeMap<String, usize>,
    /// When the challenge being taken started.
    #[serde(default)]
    pub challenge: Option<ChallengeClock>,
}

/// An editor buffer as saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedDraft {
    /// The node.
    pub host: String,
    /// The path.
    pub path: String,
    /// The buffer.
    pub text: String,
    /// The file's content when opened (absent for a new file).
    pub saved: Option<String>,
}

impl Settings {
    /// The settings of `store`.
    pub fn of(store: &Store) -> Settings {
        Settings {
            theme: store.theme.map(|t| match t {
                Theme::Dark => "dark".to_string(),
                Theme::Light => "light".to_string(),
            }),
            tour_seen: store.tour_seen,
            lang: store.lang_chosen.then(|| store.lang.to_string()),
            drafts: store
                .drafts
                .iter()
                .map(|(key, draft)| SavedDraft {
                    host: key.host.clone(),
                    path: key.path.clone(),
                    text: draft.text.clone(),
                    saved: draft.saved.clone(),
                })
                .collect(),
            open_file: store
                .open_file
                .as_ref()
                .map(|k| (k.host.clone(), k.path.clone())),
            progress: (*store.progress).clone(),
            challenge: store.challenge_clock.clone(),
        }
    }

    /// The theme chosen, if any.
    pub fn theme(&self) -> Option<Theme> {
        match self.theme.as_deref() {
            Some("dark") => Some(Theme::Dark),
            Some("light") => Some(Theme::Light),
            _ => None,
        }
    }

    /// The drafts as the store keeps them.
    pub fn drafts(&self) -> BTreeMap<FileKey, Draft> {
        self.drafts
            .iter()
            .map(|d| {
                (
                    FileKey {
                        host: d.host.clone(),
                        path: d.path.clone(),
                    },
                    Draft {
                        text: d.text.clone(),
                        saved: d.saved.clone(),
                    },
                )
            })
            .collect()
    }
}

/// What was found in storage at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Nothing: a first visit (or storage is unavailable).
    Nothing,
    /// A session to restore.
    Session(SavedSession),
    /// Saved data that cannot be restored: why, and the raw text.
    Unusable(LoadError, String),
}

/// Reads `text` as found under [`SESSION_KEY`].
pub fn parse_found(text: Option<String>) -> Found {
    let Some(text) = text else {
        return Found::Nothing;
    };
    match SavedSession::from_json(&text) {
        Ok(saved) => Found::Session(saved),
        Err(err) => Found::Unusable(err, text),
    }
}

/// Reads the settings JSON; anything unreadable gives the defaults.
pub fn parse_settings(text: Option<String>) -> Settings {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::JsCast;

    fn local_storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// The value under `key`, if storage works and holds one.
    pub fn read(key: &str) -> Option<String> {
        local_storage()?.get_item(key).ok()?
    }

    /// Stores `value` under `key`; `false` when the browser refused.
    pub fn write(key: &str, value: &str) -> bool {
        local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
    }

    /// Removes `key`.
    pub fn remove(key: &str) {
        if let Some(s) = local_storage() {
            let _ = s.remove_item(key);
        }
    }

    /// Offers `text` as a file download called `name`.
    pub fn download(name: &str, text: &str) {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        let document = gloo::utils::document();
        if let Some(link) = document
            .create_element("a")
            .ok()
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        {
            link.set_href(&url);
            link.set_download(name);
            link.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{download, read, remove, write};

/// Native builds (the server-rendered tests) have no browser storage.
#[cfg(not(target_arch = "wasm32"))]
pub fn read(_key: &str) -> Option<String> {
    None
}

/// Native builds have no browser storage.
#[cfg(not(target_arch = "wasm32"))]
pub fn write(_key: &str, _value: &str) -> bool {
    false
}

/// Native builds have no browser storage.
#[cfg(not(target_arch = "wasm32"))]
pub fn remove(_key: &str) {}

/// Native builds cannot download.
#[cfg(not(target_arch = "wasm32"))]
pub fn download(_name: &str, _text: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_data_is_told_apart() {
        assert_eq!(parse_found(None), Found::Nothing);
        let saved = SavedSession {
            format: crate::playground::input::FORMAT,
            seed: 1,
            inputs: Vec::new(),
            lesson: None,
        };
        assert_eq!(parse_found(Some(saved.to_json())), Found::Session(saved));
        assert!(matches!(
            parse_found(Some("{\"format\":1,".into())),
            Found::Unusable(LoadError::Corrupt(_), _)
        ));
    }

    #[test]
    fn settings_survive_a_round_trip_and_garbage_gives_defaults() {
        let settings = Settings {
            theme: Some("light".into()),
            tour_seen: true,
            lang: Some("zh-CN".into()),
            drafts: vec![SavedDraft {
                host: "node01".into(),
                path: "/etc/kubernetes/manifests/x.yaml".into(),
                text: "kind: Pod\n".into(),
                saved: None,
            }],
            open_file: Some(("node01".into(), "/etc/kubernetes/manifests/x.yaml".into())),
            progress: [("mirror-mirror".to_string(), 2)].into_iter().collect(),
            challenge: Some(ChallengeClock {
                lesson: "challenge-custom-path".into(),
                seed: 7,
                started_ms: 1_500_000_000_000,
            }),
        };
        let text = serde_json::to_string(&settings).unwrap();
        assert_eq!(parse_settings(Some(text)), settings);
        assert_eq!(parse_settings(Some("not json".into())), Settings::default());
        assert_eq!(settings.theme(), Some(Theme::Light));
        assert_eq!(settings.drafts().len(), 1);
    }

    #[test]
    fn each_lesson_has_its_own_stash() {
        assert_eq!(stash_key(None), "kubelet-playground/stash/sandbox");
        assert_eq!(
            stash_key(Some("mirror-mirror")),
            "kubelet-playground/stash/mirror-mirror"
        );
        assert_ne!(stash_key(None), SESSION_KEY);
        assert_eq!(session_key(false, Some("x")), SESSION_KEY);
        assert_ne!(session_key(true, Some("x")), session_key(true, Some("y")));
    }
}
