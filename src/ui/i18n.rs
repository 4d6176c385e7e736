//! The language the chrome speaks, shared through a Yew context.

use yew::prelude::*;

use crate::ui::text::{Text, EN};

/// The strings of the learner's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale(pub &'static Text);

impl Default for Locale {
    fn default() -> Self {
        Locale(&EN)
    }
}

/// The strings to show, from the nearest [`Locale`] provider (English without one).
#[hook]
pub fn use_text() -> &'static Text {
    use_context::<Locale>().unwrap_or_default().0
}
