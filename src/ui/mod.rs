//! The Yew user interface: the only module that knows about the DOM. It renders the view
//! models the playground computes and turns the learner's gestures into actions.

mod app;
pub mod clipboard;
pub mod components;
pub mod dispatch;
mod editor_bridge;
pub mod embed;
mod embed_bridge;
pub mod i18n;
pub mod line_edit;
pub mod panic_banner;
pub mod params;
pub mod state;
pub mod storage;
pub mod text;
pub mod wall;

pub use app::App;
