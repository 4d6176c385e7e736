//! The Pods pane: the API server's pods as `kubectl get pods -A -o wide` lists them, live,
//! with mirror pods badged and a Delete row action.

use std::rc::Rc;

use yew::prelude::*;

use super::emit;

use crate::playground::RowAction;
use crate::ui::i18n::use_text;
use crate::ui::state::Action;
use crate::view::pods::PodRowView;
use crate::view::PodsView;

/// The column headings, as `kubectl get pods -A -o wide` prints them (without the last two).
pub const POD_COLUMNS: [&str; 8] = [
    "NAMESPACE",
    "NAME",
    "READY",
    "STATUS",
    "RESTARTS",
    "AGE",
    "IP",
    "NODE",
];

/// What the pane shows.
#[derive(Properties, PartialEq)]
pub struct PodsPaneProps {
    /// The API server's answer now.
    pub pods: Rc<PodsView>,
    /// Its last answer while it served (shown greyed when it is down).
    pub last: Rc<PodsView>,
    /// Sends an action.
    pub on_action: Callback<Action>,
}

/// The pod table.
#[component]
pub fn PodsPane(props: &PodsPaneProps) -> Html {
    let text = use_text();
    let (rows, stale) = if props.pods.serving {
        (&props.pods.rows, false)
    } else {
        (&props.last.rows, true)
    };
    html! {
        <div class={classes!("pods", stale.then_some("stale"))}>
            if stale {
                <p class="notice warn" role="status">{ text.api_down }</p>
            }
            if rows.is_empty() {
                <p class="empty">{ text.no_pods }</p>
            } else {
                <div class="table-scroll">
                    <table class="pod-table">
                        <thead>
                            <tr>
                                { for POD_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }
                                <th scope="col"><span class="visually-hidden">{ text.actions }</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            { for rows.iter().map(|row| html! {
                                <PodRow key={format!("{}/{}", row.namespace, row.name)} row={row.clone()}
                                    {stale} on_action={props.on_action.clone()} />
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PodRowProps {
    row: PodRowView,
    stale: bool,
    on_action: Callback<Action>,
}

/// One pod; a component of its own so that rows that did not change are not redrawn.
#[component]
fn PodRow(props: &PodRowProps) -> Html {
    let text = use_text();
    let (row, stale, on_action) = (&props.row, props.stale, &props.on_action);
    let delete = emit(
        on_action,
        Action::Row(RowAction::DeletePod {
            namespace: row.namespace.clone(),
            name: row.name.clone(),
        }),
    );
    let status_class = match row.status.as_str() {
        "Running" | "Completed" | "Succeeded" => "ok",
        "Pending" | "ContainerCreating" | "Terminating" | "PodInitializing" => "warn",
        _ => "bad",
    };
    html! {
        <tr class={classes!(row.terminating.then_some("terminating"))}>
            <td>{ &row.namespace }</td>
            <td class="pod-name">
                <span>{ &row.name }</span>
                if let Some(node) = &row.static_on {
                    <br />
                    <span class="badge mirror" title={format!("uid {}", row.uid)}>
                        { text.static_pod_on.replace("{}", node) }
                    </span>
                }
            </td>
            <td>{ &row.ready }</td>
            <td class={classes!("status", status_class)}>{ &row.status }</td>
            <td>{ &row.restarts }</td>
            <td>{ &row.age }</td>
            <td>{ &row.ip }</td>
            <td>{ &row.node }</td>
            <td>
                <button type="button" class="btn btn-small" disabled={stale}
                    aria-label={format!("{} {}", text.delete, row.name)} onclick={delete}>
                    { text.delete }
                </button>
            </td>
        </tr>
    }
}
