//! The pods pane: what `kubectl get pods -A` would show.

use yew::prelude::*;

/// The column headings `kubectl get pods` prints.
pub const POD_COLUMNS: [&str; 5] = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"];

/// The (still empty) pod table.
#[component]
pub fn PodsPane() -> Html {
    html! {
        <section class="pane pods-pane" aria-labelledby="pods-heading">
            <h2 id="pods-heading" class="pane-title">{ "Pods" }</h2>
            <table class="pod-table">
                <thead>
                    <tr>
                        { for POD_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }
                    </tr>
                </thead>
                <tbody></tbody>
            </table>
        </section>
    }
}
