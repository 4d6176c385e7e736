//! One component per file; each pane of the frame lives here.

mod manifests_pane;
mod pods_pane;
mod terminal_pane;

pub use manifests_pane::ManifestsPane;
pub use pods_pane::PodsPane;
pub use terminal_pane::TerminalPane;
