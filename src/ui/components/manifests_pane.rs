//! The manifests pane: the static pod path the kubelet watches.

use yew::prelude::*;

/// The (still empty) listing of `/etc/kubernetes/manifests`.
#[component]
pub fn ManifestsPane() -> Html {
    html! {
        <section class="pane manifests-pane" aria-labelledby="manifests-heading">
            <h2 id="manifests-heading" class="pane-title">{ "Manifests" }</h2>
            <p class="pane-path"><code>{ "/etc/kubernetes/manifests" }</code></p>
            <ul class="file-list" aria-label="Manifest files"></ul>
        </section>
    }
}
