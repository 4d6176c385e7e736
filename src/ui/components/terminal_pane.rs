//! The terminal pane: where the learner's shell will run.

use yew::prelude::*;

/// The (still empty) terminal pane.
#[component]
pub fn TerminalPane() -> Html {
    html! {
        <section class="pane terminal-pane" aria-labelledby="terminal-heading">
            <h2 id="terminal-heading" class="pane-title">{ "Terminal" }</h2>
            <div class="terminal-screen" role="log" aria-live="polite" aria-label="Terminal output"></div>
        </section>
    }
}
