//! Browser tests: run with `cargo test --target wasm32-unknown-unknown --test web` and
//! wasm-bindgen-test-runner driving headless Chromium (the Makefile sets it up).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_root() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

#[wasm_bindgen_test]
async fn app_mounts_with_its_panes() {
    let root = mount_root();
    yew::Renderer::<kubelet_playground::ui::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let title = root
        .query_selector(".app-title")
        .unwrap()
        .expect("title rendered");
    assert_eq!(title.text_content().unwrap(), "kubelet-playground");
    for pane in [".terminal-pane", ".manifests-pane", ".pods-pane"] {
        assert!(
            root.query_selector(pane).unwrap().is_some(),
            "{pane} missing"
        );
    }
}
