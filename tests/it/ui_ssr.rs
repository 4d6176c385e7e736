//! Renders the UI natively (Yew SSR) and checks what a learner sees first, and that nothing a
//! learner types or a pod prints reaches the page as HTML.

use std::rc::Rc;

use kubelet_playground::ui::components::{PodsPane, Terminal, POD_COLUMNS};
use kubelet_playground::ui::state::{Action, Store};
use kubelet_playground::ui::App;
use yew::prelude::*;
use yew::Reducible;

async fn render_app() -> String {
    yew::LocalServerRenderer::<App>::new()
        .hydratable(false)
        .render()
        .await
}

#[tokio::test]
async fn the_page_has_its_panes_and_controls() {
    let html = render_app().await;
    assert!(html.contains("kubelet-playground</h1>"), "{html}");
    for heading in ["Terminal", "Editor", "Nodes", "Pods"] {
        assert!(
            html.contains(&format!(">{heading}</h2>")),
            "missing pane {heading}"
        );
    }
    assert!(
        html.contains(r#"aria-label="Terminal""#),
        "the line editor's name"
    );
    assert!(html.contains(r#"role="log""#));
    for button in [">Play<", ">Step<", ">Reset<", ">Help<"] {
        assert!(html.contains(button), "missing {button}");
    }
    // The default cluster is already up: its pods and nodes are listed.
    assert!(html.contains("etcd-controlplane"));
    assert!(html.contains("static pod on controlplane"));
    assert!(html.contains(">node01</h3>"));
    assert!(html.contains("kube-apiserver.yaml"));
    // First visit: the tour opens.
    assert!(html.contains("(1/4)"));
}

#[derive(Properties, PartialEq)]
struct TerminalHost {
    store: Rc<Store>,
}

#[component]
fn TerminalOf(props: &TerminalHost) -> Html {
    html! {
        <Terminal terminal={props.store.terminal.clone()} completion={None::<Rc<kubelet_playground::ui::state::Completion>>}
            busy=false disabled=false on_action={Callback::noop()} />
    }
}

#[tokio::test]
async fn output_and_commands_render_as_text() {
    let store = Rc::new(Store::fresh(true, None));
    let store = store.reduce(Action::RunCommand(
        "echo '<img src=x onerror=alert(1)></script>'\n".into(),
    ));
    let html = yew::LocalServerRenderer::<TerminalOf>::with_props(TerminalHost { store })
        .hydratable(false)
        .render()
        .await;
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("controlplane $ "));
}

#[derive(Properties, PartialEq)]
struct PodsHost {
    store: Rc<Store>,
}

#[component]
fn PodsOf(props: &PodsHost) -> Html {
    html! {
        <PodsPane pods={props.store.pods.clone()} last={props.store.last_pods.clone()} on_action={Callback::noop()} />
    }
}

#[tokio::test]
async fn pods_pane_uses_kubectl_columns() {
    let store = Rc::new(Store::fresh(true, None));
    let html = yew::LocalServerRenderer::<PodsOf>::with_props(PodsHost { store })
        .hydratable(false)
        .render()
        .await;
    let columns: Vec<&str> = html
        .split("<th scope=\"col\" role=\"columnheader\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap_or_default())
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(columns, POD_COLUMNS);
    // Each row is laid out as a grid, so the table keeps its roles explicitly; every row carries
    // the columns the table sets.
    assert!(html.contains("<table role=\"table\""), "{html}");
    let tracks = html
        .split("--pod-columns: ")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the table sets its columns");
    assert_eq!(
        tracks.split(' ').filter(|t| t.ends_with("ch")).count(),
        POD_COLUMNS.len(),
        "one width per column: {tracks}"
    );
    let rows = html.matches("<tr role=\"row\"").count();
    assert_eq!(
        rows,
        1 + store_pods(&html),
        "a heading row and one row per pod"
    );
}

/// The pods the rendered table lists (each has its Delete button).
fn store_pods(html: &str) -> usize {
    html.matches("role=\"cell\"><button").count()
}

#[derive(Properties, PartialEq)]
struct LessonHost {
    lesson: Rc<kubelet_playground::view::lesson::LessonView>,
}

#[component]
fn LessonOf(props: &LessonHost) -> Html {
    html! {
        <kubelet_playground::ui::components::LessonPane lesson={props.lesson.clone()}
            guide={kubelet_playground::ui::state::Guide::default()} busy=false clock={None}
            on_new_challenge={Callback::noop()} on_action={Callback::noop()} on_pick={Callback::noop()} />
    }
}

#[tokio::test]
async fn lesson_text_renders_as_elements_and_text_never_as_html() {
    use kubelet_playground::view::lesson::{Block, Inline, Locale};
    let playground =
        kubelet_playground::playground::Playground::for_lesson("mirror-mirror", 1).expect("lesson");
    let mut view = playground.lesson_view(Locale::En).expect("a lesson");
    let open = view.open.as_mut().expect("an open step");
    open.question = None;
    open.text = vec![
        Block::Paragraph(vec![
            Inline::Text("<img src=x onerror=alert(1)>".into()),
            Inline::Link {
                href: "javascript:alert(2)".into(),
                content: vec![Inline::Text("bad link".into())],
            },
            Inline::Link {
                href: "https://kubernetes.io/docs/".into(),
                content: vec![Inline::Text("good link".into())],
            },
        ]),
        Block::Command("echo '<b>bold</b>'".into()),
    ];
    let html = yew::LocalServerRenderer::<LessonOf>::with_props(LessonHost {
        lesson: Rc::new(view),
    })
    .hydratable(false)
    .render()
    .await;
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(!html.contains("<img"), "{html}");
    assert!(
        !html.contains("javascript:"),
        "a non-http link renders as its text: {html}"
    );
    assert!(html.contains("&gt;bad link<a "), "{html}");
    assert!(
        html.contains(r#"href="https://kubernetes.io/docs/""#),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{html}");
    assert!(
        html.contains(r#"aria-label="Run: echo '&lt;b&gt;bold&lt;/b&gt;'""#),
        "{html}"
    );
    assert!(html.contains("Step 1 of 2"), "{html}");
}
