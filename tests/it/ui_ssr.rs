//! Renders the UI natively (Yew SSR) and checks the frame a learner sees first.

use kubelet_playground::ui::App;

async fn render_app() -> String {
    yew::LocalServerRenderer::<App>::new()
        .hydratable(false)
        .render()
        .await
}

#[tokio::test]
async fn frame_has_title_and_three_panes() {
    let html = render_app().await;
    assert!(
        html.contains("<h1 class=\"app-title\">kubelet-playground</h1>"),
        "{html}"
    );
    for heading in ["Terminal", "Manifests", "Pods"] {
        assert!(
            html.contains(&format!(">{heading}</h2>")),
            "missing pane {heading}: {html}"
        );
    }
}

#[tokio::test]
async fn pods_pane_uses_kubectl_columns() {
    let html = render_app().await;
    let columns: Vec<&str> = html
        .split("<th scope=\"col\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap_or_default())
        .collect();
    assert_eq!(columns, ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
}
