//! The Yew user interface: the only module that knows about the DOM. It renders the view
//! models the playground computes and turns the learner's gestures into actions.

mod app;
pub mod components;
mod editor_bridge;
pub mod i18n;
pub mod line_edit;
pub mod panic_banner;
pub mod state;
pub mod storage;
pub mod text;
pub mod wall;

pub use app::App;
