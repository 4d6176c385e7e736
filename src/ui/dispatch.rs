//! The store's dispatcher as one callback for the page's whole life.
//!
//! Every pane takes the action callback as a prop, and Yew compares callbacks by identity: a
//! callback made anew on each render counts as a changed prop, so every pane, and every pod
//! row and node card inside them, would be drawn again on every animation frame while the
//! clock runs. One callback made on the first render keeps them still until what they show
//! changes.

use yew::prelude::*;

/// A callback that dispatches to `store`, the same one on every render.
#[hook]
pub fn use_dispatch<R: Reducible + 'static>(store: &UseReducerHandle<R>) -> Callback<R::Action> {
    let dispatcher = store.dispatcher();
    use_callback((), move |action, ()| dispatcher.dispatch(action))
}
