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
    for pane in [
        "#terminal-pane",
        "#editor-pane",
        "#nodes-pane",
        "#pods-pane",
    ] {
        assert!(
            root.query_selector(pane).unwrap().is_some(),
            "{pane} missing"
        );
    }
}

/// The simulation itself runs in the browser: the default cluster boots, a static pod dropped
/// on the worker gets its mirror, and a crash-looping one on the control plane restarts.
#[wasm_bindgen_test]
fn the_cluster_runs_static_pods_in_wasm() {
    use k8s_openapi::api::core::v1::Pod;
    use kubelet_playground::apiserver::store::{ObjectKey, Resource};
    use kubelet_playground::cluster::Cluster;
    use kubelet_playground::node::fs::WriteMode;
    use kubelet_playground::sim::SimDuration;

    let mut cluster = Cluster::boot_default(3).expect("the default cluster boots");
    let web = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n";
    let crasher = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: crasher\nspec:\n  containers:\n  - name: crasher\n    image: busybox\n    command: [\"sh\", \"-c\", \"sleep 1; exit 1\"]\n";
    let now = cluster.now();
    cluster
        .node_mut(1)
        .fs
        .write(
            now,
            "/etc/kubernetes/manifests/web.yaml",
            web,
            WriteMode::Truncate,
        )
        .unwrap();
    cluster
        .node_mut(0)
        .fs
        .write(
            now,
            "/etc/kubernetes/manifests/crasher.yaml",
            crasher,
            WriteMode::Truncate,
        )
        .unwrap();
    cluster.settle();
    cluster.advance(SimDuration::from_secs(120));

    let pod = |name: &str| -> Pod {
        cluster
            .api()
            .store()
            .get(&ObjectKey::new(Resource::Pods, "default", name))
            .expect("stored pods decode")
            .unwrap_or_else(|| panic!("mirror pod {name} exists"))
    };
    let web = pod("web-node01").status.unwrap();
    assert_eq!(web.phase.as_deref(), Some("Running"));
    let crasher = pod("crasher-controlplane").status.unwrap();
    let restarts = crasher.container_statuses.unwrap()[0].restart_count;
    assert!(restarts >= 3, "crash loop restarts: {restarts}");
}

#[wasm_bindgen_test]
fn the_terminal_runs_kubectl_in_wasm() {
    use kubelet_playground::playground::Playground;

    let mut playground = Playground::new(5).expect("the default cluster boots");
    let created = playground.run("kubectl run web --image=nginx:1.27").result;
    assert_eq!(created.output, "pod/web created\n");
    playground.run("sleep 10");
    let pods = playground
        .run("kubectl get pods --no-headers -o custom-columns=NAME:.metadata.name,PHASE:.status.phase")
        .result;
    assert_eq!(
        pods.output.split_whitespace().collect::<Vec<_>>(),
        ["web", "Running"]
    );
    let missing = playground.run("kubectl get pod nope").result;
    assert_eq!(missing.exit_code, 1);
    assert_eq!(
        missing.output,
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
}

/// The action callback the panes take stays the same callback across renders, so a pane whose
/// view model did not change is not drawn again on every frame while the clock runs.
#[wasm_bindgen_test]
async fn the_dispatch_callback_is_the_same_on_every_render() {
    use std::cell::RefCell;
    use std::rc::Rc;
    use yew::prelude::*;

    #[derive(Default, PartialEq)]
    struct Count(u32);
    impl Reducible for Count {
        type Action = u32;
        fn reduce(self: Rc<Self>, by: u32) -> Rc<Self> {
            Rc::new(Count(self.0 + by))
        }
    }
    thread_local! {
        static SEEN: RefCell<Vec<(u32, Callback<u32>)>> = const { RefCell::new(Vec::new()) };
    }
    #[component]
    fn Counter() -> Html {
        let store = use_reducer(Count::default);
        let dispatch = kubelet_playground::ui::dispatch::use_dispatch(&store);
        SEEN.with(|seen| seen.borrow_mut().push((store.0, dispatch.clone())));
        html! { <span class="count">{ store.0 }</span> }
    }

    let root = mount_root();
    yew::Renderer::<Counter>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let first = SEEN.with(|seen| seen.borrow()[0].1.clone());
    first.emit(2);
    yew::scheduler::flush().await;
    first.emit(3);
    yew::scheduler::flush().await;

    let count = root.query_selector(".count").unwrap().unwrap();
    assert_eq!(count.text_content().unwrap(), "5");
    SEEN.with(|seen| {
        let seen = seen.borrow();
        assert_eq!(
            seen.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            [0, 2, 5],
            "one render per dispatch"
        );
        assert!(
            seen.iter().all(|(_, callback)| *callback == first),
            "every render hands out the first render's callback"
        );
    });
}
