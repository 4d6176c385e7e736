//! The pipeline diagram: one node's kubelet as an SVG drawn from `KubeletDiagram`, each box a
//! button that opens the inspector on the record that last lit it, records travelling along
//! the edges, and the same information as a list for screen readers and small screens.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::text::inside::InsideText;
use crate::view::kubelet::diagram::{Fetch, KubeletDiagram};
use crate::view::kubelet::Stage;
use crate::view::lesson::Locale;

/// What the diagram shows.
#[derive(Properties, PartialEq)]
pub struct PipelineProps {
    /// The model.
    pub diagram: Rc<KubeletDiagram>,
    /// The learner's language.
    pub locale: Locale,
    /// The pane's strings.
    pub text: &'static InsideText,
    /// Opens the inspector on a record.
    pub on_inspect: Callback<usize>,
}

/// A box's place: x, y, width, height.
fn frame(stage: Stage) -> (i32, i32, i32, i32) {
    match stage {
        Stage::FileSource => (8, 8, 170, 76),
        Stage::HttpSource => (8, 96, 170, 60),
        Stage::ApiSource => (8, 168, 170, 60),
        Stage::Mux => (212, 60, 150, 120),
        Stage::SyncLoop => (396, 60, 150, 120),
        Stage::PodWorkers => (580, 8, 200, 150),
        Stage::Runtime => (580, 172, 200, 150),
        Stage::Api => (396, 228, 150, 94),
        Stage::Kubelet => (212, 228, 150, 94),
    }
}

/// The point where an edge leaves or enters a box: the middle of the facing side.
fn anchor(stage: Stage, toward: Stage) -> (i32, i32) {
    let (x, y, w, h) = frame(stage);
    let (tx, ty, tw, th) = frame(toward);
    let (cx, cy, tcx, tcy) = (x + w / 2, y + h / 2, tx + tw / 2, ty + th / 2);
    if (tcy - cy).abs() < (tcx - cx).abs() {
        match tcx > cx {
            true => (x + w, cy),
            false => (x, cy),
        }
    } else {
        match tcy > cy {
            true => (cx, y + h),
            false => (cx, y),
        }
    }
}

const EDGES: [(Stage, Stage); 8] = [
    (Stage::FileSource, Stage::Mux),
    (Stage::HttpSource, Stage::Mux),
    (Stage::ApiSource, Stage::Mux),
    (Stage::Mux, Stage::SyncLoop),
    (Stage::SyncLoop, Stage::PodWorkers),
    (Stage::PodWorkers, Stage::Runtime),
    (Stage::Runtime, Stage::SyncLoop),
    (Stage::PodWorkers, Stage::Api),
];

/// The lines a box shows under its title.
fn box_lines(
    d: &KubeletDiagram,
    stage: Stage,
    text: &InsideText,
    locale: Locale,
) -> (String, Vec<String>) {
    let short = |items: &[String], n: usize| -> Vec<String> {
        let mut out: Vec<String> = items.iter().take(n).cloned().collect();
        if n < items.len() {
            out.push(format!("+{}", items.len() - n));
        }
        out
    };
    match stage {
        Stage::FileSource => (
            text.file_source.into(),
            match &d.file_source {
                Some(f) => {
                    let mut lines = vec![f.path.clone()];
                    lines.extend(short(&f.files, 3));
                    lines
                }
                None => vec![text.off.into()],
            },
        ),
        Stage::HttpSource => (
            text.http_source.into(),
            match &d.http_source {
                Some(h) => vec![
                    h.url.clone(),
                    match &h.last_fetch {
                        Some(Fetch { at, error: None }) => text.fetched_ok.replace("{}", at),
                        Some(Fetch {
                            error: Some(err), ..
                        }) => err.clone(),
                        None => String::new(),
                    },
                ],
                None => vec![text.off.into()],
            },
        ),
        Stage::ApiSource => (
            text.api_source.into(),
            vec![d
                .api_source
                .map_or(text.off, |state| state.words(locale))
                .to_string()],
        ),
        Stage::Mux => (
            text.mux.into(),
            d.mux
                .iter()
                .map(|(source, pods)| format!("{source}: {}", pods.len()))
                .collect(),
        ),
        Stage::SyncLoop => (
            text.sync_loop.into(),
            d.channels
                .iter()
                .map(|c| format!("{} {}", c.name, c.last.as_deref().unwrap_or("–")))
                .collect(),
        ),
        Stage::PodWorkers => {
            let rows: Vec<String> = d
                .workers
                .iter()
                .map(|w| {
                    format!(
                        "{} {}",
                        w.pod.rsplit('/').next().unwrap_or(&w.pod),
                        w.state.words(locale)
                    )
                })
                .collect();
            (text.workers.into(), short(&rows, 6))
        }
        Stage::Runtime => {
            let rows: Vec<String> = d
                .containers
                .iter()
                .map(|c| format!("{} {} #{}", c.name, c.state, c.attempt))
                .collect();
            (text.runtime.into(), short(&rows, 6))
        }
        Stage::Api => (
            text.api.into(),
            match d.api.serving {
                true => short(&d.api.mirrors, 4),
                false => vec![text.api_down.into()],
            },
        ),
        Stage::Kubelet => (
            "kubelet".into(),
            match d.pid {
                Some(pid) => vec![format!("pid {pid}")],
                None => vec![text.stopped.into()],
            },
        ),
    }
}

/// The diagram and its text alternative.
#[component]
pub fn Pipeline(props: &PipelineProps) -> Html {
    let d = &props.diagram;
    let text = props.text;
    let edges = EDGES.iter().map(|(from, to)| {
        let (x1, y1) = anchor(*from, *to);
        let (x2, y2) = anchor(*to, *from);
        html! {
            <line class="edge" x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()}
                marker-end="url(#arrow)" />
        }
    });
    let boxes = Stage::ALL.iter().map(|stage| {
        let (x, y, w, h) = frame(*stage);
        let (title, lines) = box_lines(d, *stage, text, props.locale);
        let lit = d.lit.iter().find(|l| l.stage == *stage).copied();
        let record = lit.map(|l| l.record);
        let onclick = {
            let on_inspect = props.on_inspect.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(id) = record {
                    on_inspect.emit(id)
                }
            })
        };
        let onkeydown = {
            let on_inspect = props.on_inspect.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    if let Some(id) = record {
                        on_inspect.emit(id)
                    }
                }
            })
        };
        html! {
            <g class={classes!("box", stage.id(), lit.is_some_and(|l| l.recent).then_some("lit"))}
                data-stage={stage.id()} data-last-record={record.map(|r| r.to_string()).unwrap_or_default()}
                role="button" tabindex="0" {onclick} {onkeydown}>
                <rect x={x.to_string()} y={y.to_string()} width={w.to_string()} height={h.to_string()} rx="6" />
                <text x={(x + 8).to_string()} y={(y + 17).to_string()} class="box-title">{ title }</text>
                { for lines.iter().take(((h - 26) / 14) as usize).enumerate().map(|(i, line)| html! {
                    <text x={(x + 8).to_string()} y={(y + 34 + 14 * i as i32).to_string()} class="box-line">
                        { clip(line, (w / 7) as usize) }
                    </text>
                }) }
            </g>
        }
    });
    // Only the newest record on each edge is labelled (the older ones on it are dots: their
    // labels would run into each other as they travel); labels on different edges that leave
    // the same box stack instead of overlapping.
    let mut labelled = 0;
    let pulses = d.pulses.iter().enumerate().map(|(idx, p)| {
        let (x1, y1) = anchor(p.edge.from, p.edge.to);
        let (x2, y2) = anchor(p.edge.to, p.edge.from);
        let style = format!("offset-path: path('M {x1} {y1} L {x2} {y2}');");
        let newest_on_edge = !d.pulses[idx + 1..].iter().any(|q| q.edge == p.edge);
        let label = newest_on_edge.then(|| {
            labelled += 1;
            let y = -8 - 11 * ((labelled - 1) % 4);
            html! { <text y={y.to_string()} class="pulse-label">{ p.label.clone() }</text> }
        });
        html! {
            <g key={p.record.to_string()} class="pulse" {style} aria-hidden="true">
                <circle r="5" />
                { for label }
            </g>
        }
    });
    let list = Stage::ALL.iter().map(|stage| {
        let (title, lines) = box_lines(d, *stage, text, props.locale);
        html! { <li><strong>{ title }</strong>{ ": " }{ lines.join("; ") }</li> }
    });
    html! {
        <div class="pipeline">
            <svg viewBox="0 0 790 330" role="group" aria-label={text.diagram} class="pipeline-svg">
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                </defs>
                { for edges }
                { for boxes }
                { for pulses }
            </svg>
            <details class="pipeline-list">
                <summary>{ text.as_list }</summary>
                <ul aria-label={text.as_list}>{ for list }</ul>
            </details>
        </div>
    }
}

fn clip(line: &str, max: usize) -> String {
    if line.chars().count() <= max {
        return line.to_string();
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut + "…"
}
