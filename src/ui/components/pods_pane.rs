//! The Pods pane: the API server's pods as `kubectl get pods -A -o wide` lists them, live,
//! with mirror pods badged and a Delete row action.
//!
//! The table is laid out as a grid of rows rather than by the browser's table algorithm: at 60x
//! the ages and restarts of a hundred pods change on every refresh, and a table lays out and
//! paints all its rows for any change in one. Each row is its own grid, skipped by layout and
//! paint while out of view (`content-visibility`), with the same column tracks, set from the
//! longest cell of each column (the font is monospaced, so a column is that many `ch`). The
//! elements keep their table roles explicitly, which a CSS `display` other than a table's would
//! otherwise drop in some browsers.

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
    let widths = column_widths(rows, text.static_pod_on);
    let columns = format!("--pod-columns: {}", column_tracks(&widths));
    html! {
        <div class={classes!("pods", stale.then_some("stale"))}>
            if stale {
                <p class="notice warn" role="status">{ text.api_down }</p>
            }
            if rows.is_empty() {
                <p class="empty">{ text.no_pods }</p>
            } else {
                <div class="table-scroll">
                    <table class="pod-table" role="table" style={columns}>
                        <thead role="rowgroup">
                            <tr role="row">
                                { for POD_COLUMNS.iter().map(|c| html! {
                                    <th scope="col" role="columnheader">{ *c }</th>
                                }) }
                                <th scope="col" role="columnheader">
                                    <span class="visually-hidden">{ text.actions }</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody role="rowgroup">
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

/// Each column's width in characters: its longest cell, or its heading when that is longer. A
/// mirror pod's NAME cell also holds its badge (`badge` with the node for `{}`).
fn column_widths(rows: &[PodRowView], badge: &str) -> [usize; POD_COLUMNS.len()] {
    let mut widths = POD_COLUMNS.map(|heading| heading.chars().count());
    for row in rows {
        if let Some(node) = &row.static_on {
            widths[1] = widths[1].max(badge_width(&badge.replace("{}", node)));
        }
        let cells = [
            &row.namespace,
            &row.name,
            &row.ready,
            &row.status,
            &row.restarts,
            &row.age,
            &row.ip,
            &row.node,
        ];
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    widths
}

/// A badge's width in the table's `ch`, erring wide: its proportional font is smaller than the
/// table's, about 0.8 `ch` a Latin letter and 1.5 a Chinese character, plus its padding.
fn badge_width(text: &str) -> usize {
    let tenths: usize = text
        .chars()
        .map(|c| if c.is_ascii() { 8 } else { 15 })
        .sum();
    tenths.div_ceil(10) + 1
}

/// The grid's column tracks: each data column as wide as its longest cell; the row action takes
/// what is left, so a wide pane keeps the columns together and the button at the row's end.
fn column_tracks(widths: &[usize]) -> String {
    let mut tracks: Vec<String> = widths.iter().map(|w| format!("{w}ch")).collect();
    tracks.push("minmax(max-content, 1fr)".to_owned());
    tracks.join(" ")
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
        <tr role="row" class={classes!(row.terminating.then_some("terminating"))}>
            <td role="cell">{ &row.namespace }</td>
            <td role="cell" class="pod-name">
                <span>{ &row.name }</span>
                if let Some(node) = &row.static_on {
                    <br />
                    <span class="badge mirror" title={format!("uid {}", row.uid)}>
                        { text.static_pod_on.replace("{}", node) }
                    </span>
                }
            </td>
            <td role="cell">{ &row.ready }</td>
            <td role="cell" class={classes!("status", status_class)}>{ &row.status }</td>
            <td role="cell">{ &row.restarts }</td>
            <td role="cell">{ &row.age }</td>
            <td role="cell">{ &row.ip }</td>
            <td role="cell">{ &row.node }</td>
            <td role="cell">
                <button type="button" class="btn btn-small" disabled={stale}
                    aria-label={format!("{} {}", text.delete, row.name)} onclick={delete}>
                    { text.delete }
                </button>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(namespace: &str, name: &str, status: &str) -> PodRowView {
        PodRowView {
            namespace: namespace.into(),
            name: name.into(),
            ready: "1/1".into(),
            status: status.into(),
            restarts: "0".into(),
            age: "5m".into(),
            ip: "10.244.0.7".into(),
            node: "controlplane".into(),
            nominated_node: "<none>".into(),
            readiness_gates: "<none>".into(),
            static_on: None,
            uid: "u".into(),
            terminating: false,
        }
    }

    #[test]
    fn a_column_is_as_wide_as_its_longest_cell_or_its_heading() {
        let rows = [
            row("default", "web", "Running"),
            row(
                "kube-system",
                "kube-apiserver-controlplane",
                "CrashLoopBackOff",
            ),
        ];
        assert_eq!(
            column_widths(&rows, "static pod on {}"),
            // NAMESPACE, NAME, READY, STATUS, RESTARTS, AGE, IP, NODE
            [11, 27, 5, 16, 8, 3, 10, 12]
        );
        assert_eq!(
            column_widths(&[], "static pod on {}"),
            POD_COLUMNS.map(|h| h.len()),
            "with no rows the headings set the widths"
        );
    }

    #[test]
    fn a_mirror_pods_name_column_fits_its_badge() {
        let mirror = PodRowView {
            static_on: Some("controlplane".into()),
            ..row("default", "a-controlplane", "Running")
        };
        // "static pod on controlplane": 26 Latin characters.
        let rows = [mirror];
        assert_eq!(column_widths(&rows, "static pod on {}")[1], 22);
        // "controlplane 上的静态 Pod": 17 Latin and 4 Chinese characters.
        assert_eq!(column_widths(&rows, "{} 上的静态 Pod")[1], 21);
    }

    #[test]
    fn the_row_action_takes_the_rest_of_the_row() {
        assert_eq!(column_tracks(&[3, 12]), "3ch 12ch minmax(max-content, 1fr)");
    }
}
