//! The top-level component: the product's frame of title bar and panes.

use yew::prelude::*;

use crate::ui::components::{ManifestsPane, PodsPane, TerminalPane};

/// The whole playground page.
#[component]
pub fn App() -> Html {
    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="app-title">{ "kubelet-playground" }</h1>
                <p class="app-tagline">{ "Static pods, the kubelet and its sync loop — in your browser." }</p>
            </header>
            <main class="app-main">
                <TerminalPane />
                <div class="side-panes">
                    <ManifestsPane />
                    <PodsPane />
                </div>
            </main>
        </div>
    }
}
