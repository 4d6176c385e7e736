//! The Yew user interface: the only module that knows about the DOM.

mod app;
pub mod components;
pub mod panic_banner;

pub use app::App;
