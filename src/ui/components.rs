//! The app's components, one per file.

mod challenge_pane;
mod dialogs;
mod doc;
mod editor_pane;
mod inside_pane;
mod lesson_pane;
mod nodes_pane;
mod pipeline;
mod pods_pane;
mod scrubber;
mod terminal;
mod top_bar;

pub use dialogs::Dialogs;
pub use editor_pane::EditorPane;
pub use inside_pane::InsidePane;
pub use lesson_pane::LessonPane;
pub use nodes_pane::NodesPane;
pub use pods_pane::{PodsPane, POD_COLUMNS};
pub use terminal::Terminal;
pub use top_bar::TopBar;

use yew::{Callback, MouseEvent};

use crate::ui::state::Action;

/// A click handler that sends `action`.
fn emit(on_action: &Callback<Action>, action: Action) -> Callback<MouseEvent> {
    let on_action = on_action.clone();
    Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
}
