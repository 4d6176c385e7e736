//! The Nodes pane: a card per node with its kubelet, its static pod folder (each file badged
//! with what the kubelet made of it) and its containers as `crictl ps -a` lists them.

use std::rc::Rc;

use yew::prelude::*;

use super::emit;

use crate::playground::RowAction;
use crate::ui::i18n::use_text;
use crate::ui::state::{Action, FileKey};
use crate::ui::text::Text;
use crate::view::nodes::{ContainerView, FileOutcome, ManifestFileView};
use crate::view::NodeView;

/// What the pane shows.
#[derive(Properties, PartialEq)]
pub struct NodesPaneProps {
    /// One card per node.
    pub nodes: Rc<Vec<NodeView>>,
    /// Sends an action.
    pub on_action: Callback<Action>,
}

/// The node cards.
#[component]
pub fn NodesPane(props: &NodesPaneProps) -> Html {
    let text = use_text();
    html! {
        <div class="nodes">
            { for props.nodes.iter().map(|node| node_card(node, text, &props.on_action)) }
        </div>
    }
}

fn node_card(node: &NodeView, text: &'static Text, on_action: &Callback<Action>) -> Html {
    let kubelet = &node.kubelet;
    let state_class = if kubelet.running { "ok" } else { "bad" };
    let restart = emit(
        on_action,
        Action::Row(RowAction::RestartKubelet {
            host: node.name.clone(),
        }),
    );
    let new_file = emit(on_action, Action::NewFile(node.name.clone()));
    let heading = format!("node-{}", node.name);
    html! {
        <article key={node.name.clone()} class="node-card" aria-labelledby={heading.clone()}>
            <header class="node-head">
                <h3 id={heading}>{ &node.name }</h3>
                <span class="kubelet-state">
                    { format!("{} ", text.kubelet) }
                    <span class={classes!("status", state_class)}>{ &kubelet.unit_state }</span>
                </span>
                <button type="button" class="btn btn-small" onclick={restart}
                    aria-label={format!("{} {}", text.restart_kubelet, node.name)}>
                    { text.restart_kubelet }
                </button>
            </header>
            <dl class="kubelet-config">
                <dt>{ text.static_pod_path }</dt>
                <dd>
                    <code>{ kubelet.static_pod_path.clone().unwrap_or_else(|| node.manifests.path.clone()) }</code>
                    if kubelet.static_pod_path.as_deref() == Some("") {
                        { format!(" {}", text.static_pod_path_off) }
                    }
                    if let Some(pending) = &kubelet.pending_static_pod_path {
                        <p class="notice warn">{ text.pending_path.replace("{}", pending) }</p>
                    }
                </dd>
                if let Some(url) = &kubelet.static_pod_url {
                    <dt>{ "staticPodURL" }</dt>
                    <dd><code>{ url }</code></dd>
                }
            </dl>
            <section class="manifest-files" aria-label={format!("{} {}", node.manifests.path, node.name)}>
                if !node.manifests.path.is_empty() && !node.manifests.exists {
                    <p class="empty">{ format!("{} {}", node.manifests.path, text.path_missing) }</p>
                } else if node.manifests.files.is_empty() && !node.manifests.path.is_empty() {
                    <p class="empty">{ text.folder_empty }</p>
                }
                <ul class="file-list">
                    { for node.manifests.files.iter().map(|f| html! {
                        <FileItem key={f.path.clone()} host={node.name.clone()} file={f.clone()} on_action={on_action.clone()} />
                    }) }
                </ul>
                <button type="button" class="btn btn-small" onclick={new_file}>{ text.new_static_pod }</button>
            </section>
            <div class="table-scroll">
            <table class="container-table">
                <caption>{ text.containers }</caption>
                <thead>
                    <tr>
                        { for ["CONTAINER", "NAME", "STATE", "ATTEMPT", "POD", "CREATED"].iter().map(|c| html! { <th scope="col">{ *c }</th> }) }
                        <th scope="col"><span class="visually-hidden">{ text.actions }</span></th>
                    </tr>
                </thead>
                <tbody>
                    { for node.containers.iter().map(|c| html! {
                        <ContainerRow key={c.full_id.clone()} host={node.name.clone()} container={c.clone()} on_action={on_action.clone()} />
                    }) }
                </tbody>
            </table>
            </div>
            if node.containers.is_empty() {
                <p class="empty">{ text.no_containers }</p>
            }
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct FileItemProps {
    host: String,
    file: ManifestFileView,
    on_action: Callback<Action>,
}

/// One file of the static pod folder, badged.
#[component]
fn FileItem(props: &FileItemProps) -> Html {
    let text = use_text();
    let (host, file, on_action) = (&props.host, &props.file, &props.on_action);
    let open = emit(
        on_action,
        Action::OpenFile(FileKey {
            host: host.to_string(),
            path: file.path.clone(),
        }),
    );
    let (badge, class, detail) = match &file.outcome {
        FileOutcome::Pod { pod, state } => (text.badge_pod, "ok", format!("{pod} · {state}")),
        FileOutcome::Invalid {
            error,
            still_running,
        } => {
            let mut detail = error.clone();
            if let Some(pod) = still_running {
                detail.push_str(" — ");
                detail.push_str(&text.still_running.replace("{}", pod));
            }
            (text.badge_invalid, "bad", detail)
        }
        FileOutcome::Ignored { reason } => (text.badge_ignored, "muted", reason.clone()),
        FileOutcome::NotRead => (text.badge_not_read, "warn", text.not_read_hint.to_string()),
        FileOutcome::Unwatched => (text.badge_unwatched, "muted", String::new()),
    };
    html! {
        <li class="file-item">
            <button type="button" class="link-btn file-name" onclick={open}
                aria-label={format!("{} {}", text.open, file.path)}>{ &file.name }</button>
            <span class={classes!("badge", class)}>{ badge }</span>
            if !detail.is_empty() {
                <span class="file-detail">{ detail }</span>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct ContainerRowProps {
    host: String,
    container: ContainerView,
    on_action: Callback<Action>,
}

/// One container, as a `crictl ps -a` row.
#[component]
fn ContainerRow(props: &ContainerRowProps) -> Html {
    let text = use_text();
    let (host, c, on_action) = (&props.host, &props.container, &props.on_action);
    let stop = emit(
        on_action,
        Action::Row(RowAction::StopContainer {
            host: host.to_string(),
            id: c.id.clone(),
        }),
    );
    let running = c.state == "Running";
    html! {
        <tr>
            <td><code>{ &c.id }</code></td>
            <td>{ &c.name }</td>
            <td class={classes!("status", if running { "ok" } else { "muted" })}>{ &c.state }</td>
            <td class="num">{ c.attempt }</td>
            <td>{ &c.pod }</td>
            <td>{ &c.created }</td>
            <td>
                if running {
                    <button type="button" class="btn btn-small" onclick={stop}
                        aria-label={format!("{} {} ({})", text.stop, c.name, c.pod)}>{ text.stop }</button>
                }
            </td>
        </tr>
    }
}
