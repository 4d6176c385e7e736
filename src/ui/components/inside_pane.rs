//! The "Inside the kubelet" pane: a node tab, the pipeline diagram, the timeline of every
//! recorded decision with its filters and search, and the inspector on one record. Its
//! filters, node and selection are the pane's own state; the models come from the playground.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::playground::Playground;
use crate::ui::components::pipeline::Pipeline;
use crate::ui::components::scrubber::Scrubber;
use crate::ui::state::{Action, Past};
use crate::ui::text::inside::{inside_text, InsideText};
use crate::view::kubelet::{Inspection, RecordKind, TimelineEntry, TimelineFilter, TimelineView};
use crate::view::lesson::{InsideFocus, Locale};

/// What the pane needs.
#[derive(Properties)]
pub struct InsidePaneProps {
    /// The simulation.
    pub playground: Rc<RefCell<Playground>>,
    /// The chrome's language tag.
    pub lang: &'static str,
    /// The nodes, for the tabs.
    pub nodes: Vec<String>,
    /// The earlier instant shown while the learner scrubs back.
    pub past: Option<Rc<Past>>,
    /// The scrubber's range: earliest and now, virtual ms since arrival.
    pub range: (u64, u64),
    /// Where the open lesson step points the pane, with its serial.
    pub focus: Option<Rc<(u64, InsideFocus)>>,
    /// Where the scrubber's actions go.
    pub on_action: Callback<Action>,
}

impl PartialEq for InsidePaneProps {
    /// Never equal: a command run while the clock stands still changes the world without
    /// moving the clock, so the pane redraws whenever the page does (after every action).
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

/// The pane.
#[component]
pub fn InsidePane(props: &InsidePaneProps) -> Html {
    let locale = Locale::from_tag(props.lang).unwrap_or(Locale::En);
    let text = inside_text(locale);
    let node = use_state(|| props.nodes.first().cloned().unwrap_or_default());
    let filter = use_state(TimelineFilter::default);
    let selected = use_state(|| None::<usize>);
    let follow = use_state(|| true);
    let list_ref = use_node_ref();
    // A lesson step points the pane at a node and record kinds, once per step.
    {
        let (node, filter) = (node.clone(), filter.clone());
        use_effect_with(props.focus.clone(), move |focus| {
            if let Some(focus) = focus.as_deref().map(|f| &f.1) {
                if let Some(name) = &focus.node {
                    node.set(name.clone());
                }
                filter.set(TimelineFilter {
                    kinds: focus
                        .kinds
                        .iter()
                        .map(|k| RecordKind::from_lesson(*k))
                        .collect(),
                    ..TimelineFilter::default()
                });
            }
        });
    }

    // Scrubbed back: the diagram of the world then, the timeline up to then.
    let diagram = match &props.past {
        Some(past) => past.world.borrow().kubelet_view(&node),
        None => props.playground.borrow().kubelet_view(&node),
    }
    .map(Rc::new);
    let trace_len = props.playground.borrow().cluster().trace().len();
    let shown_filter = TimelineFilter {
        before: props.past.as_ref().map(|p| p.trace_len),
        ..(*filter).clone()
    };
    let timeline = {
        let playground = props.playground.clone();
        use_memo(
            (shown_filter, trace_len, locale),
            move |(filter, _, locale)| playground.borrow_mut().timeline(filter, *locale),
        )
    };
    let scrubber_past = props
        .past
        .as_ref()
        .map(|p| (p.elapsed_ms, p.clock.elapsed.clone()));
    let inspection: Option<Inspection> =
        (*selected).and_then(|id| props.playground.borrow().inspect(id, locale));

    // Following the clock keeps the newest row in view.
    {
        let list_ref = list_ref.clone();
        let following = *follow;
        use_effect_with((trace_len, following, (*filter).clone()), move |_| {
            if following {
                if let Some(el) = list_ref.cast::<HtmlElement>() {
                    el.set_scroll_top(el.scroll_height());
                }
            }
        });
    }
    let on_scroll = {
        let follow = follow.clone();
        let list_ref = list_ref.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = list_ref.cast::<HtmlElement>() {
                let at_bottom = el.scroll_top() + el.client_height() + 24 >= el.scroll_height();
                if at_bottom != *follow {
                    follow.set(at_bottom);
                }
            }
        })
    };
    let on_inspect = {
        let selected = selected.clone();
        Callback::from(move |id: usize| selected.set(Some(id)))
    };
    let tabs = props.nodes.iter().map(|name| {
        let node = node.clone();
        let chosen = *node == *name;
        let target = name.clone();
        html! {
            <button type="button" role="tab" aria-selected={chosen.to_string()}
                class={classes!("node-tab", chosen.then_some("selected"))}
                onclick={Callback::from(move |_: MouseEvent| node.set(target.clone()))}>
                { name.clone() }
            </button>
        }
    });
    html! {
        <div class="inside">
            <div class="node-tabs" role="tablist" aria-label={text.node_tabs}>{ for tabs }</div>
            <p class="inside-hint">{ text.hint }</p>
            <Scrubber earliest_ms={props.range.0} now_ms={props.range.1} past={scrubber_past}
                {text} on_action={props.on_action.clone()} />
            if let Some(diagram) = diagram {
                <Pipeline {diagram} {locale} {text} on_inspect={on_inspect.clone()} />
            }
            if let Some(inspection) = inspection {
                <Inspector {inspection} {text} on_close={
                    let selected = selected.clone();
                    Callback::from(move |()| selected.set(None))
                } />
            }
            <Filters filter={(*filter).clone()} nodes={props.nodes.clone()} {text} on_change={
                let filter = filter.clone();
                Callback::from(move |f: TimelineFilter| filter.set(f))
            } />
            if !*follow {
                <button type="button" class="btn follow" onclick={
                    let follow = follow.clone();
                    Callback::from(move |_: MouseEvent| follow.set(true))
                }>{ text.follow }</button>
            }
            <TimelineList timeline={timeline} {text} {on_inspect} {list_ref} on_scroll={on_scroll}
                selected={*selected} />
        </div>
    }
}

/// A change a filter control makes to the filter.
type FilterEdit = dyn Fn(&mut TimelineFilter, &Event);

#[derive(Properties, PartialEq)]
struct FiltersProps {
    filter: TimelineFilter,
    nodes: Vec<String>,
    text: &'static InsideText,
    on_change: Callback<TimelineFilter>,
}

#[component]
fn Filters(props: &FiltersProps) -> Html {
    let text = props.text;
    let f = &props.filter;
    let update = |change: Rc<FilterEdit>| {
        let f = f.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let mut next = f.clone();
            change(&mut next, &e);
            on_change.emit(next);
        })
    };
    let input_value = |e: &Event| {
        e.target_dyn_into::<HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default()
    };
    let on_node = update(Rc::new(|f, e| {
        let value = e
            .target_dyn_into::<HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        f.node = match value.is_empty() {
            true => None,
            false => Some(value),
        };
    }));
    let on_pod = update(Rc::new(move |f, e| {
        let value = input_value(e);
        f.pod = match value.trim().is_empty() {
            true => None,
            false => Some(value.trim().to_string()),
        };
    }));
    let on_search = update(Rc::new(move |f, e| f.search = input_value(e)));
    let on_changed = update(Rc::new(|f, e| {
        f.changed_only = e
            .target_dyn_into::<HtmlInputElement>()
            .is_some_and(|i| i.checked());
    }));
    let kinds = RecordKind::ALL.iter().enumerate().map(|(idx, kind)| {
        let kind = *kind;
        let on = update(Rc::new(move |f, e| {
            let checked = e
                .target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked());
            f.kinds.retain(|k| *k != kind);
            if checked {
                f.kinds.push(kind);
            }
        }));
        html! {
            <label class="kind">
                <input type="checkbox" checked={f.kinds.contains(&kind)} onchange={on} />
                { text.kind_names[idx] }
            </label>
        }
    });
    html! {
        <div class="timeline-filters">
            <label>{ text.node }{ " " }
                <select onchange={on_node}>
                    <option value="" selected={f.node.is_none()}>{ text.all_nodes }</option>
                    { for props.nodes.iter().map(|n| html! {
                        <option value={n.clone()} selected={f.node.as_deref() == Some(n.as_str())}>{ n.clone() }</option>
                    }) }
                </select>
            </label>
            <label>{ text.pod }{ " " }
                <input type="text" value={f.pod.clone().unwrap_or_default()} onchange={on_pod} size="12" />
            </label>
            <label>{ text.search }{ " " }
                <input type="search" value={f.search.clone()} onchange={on_search} size="14" />
            </label>
            <label class="kind">
                <input type="checkbox" checked={f.changed_only} onchange={on_changed} />
                { text.changed_only }
            </label>
            <fieldset class="kinds">
                <legend>{ text.kinds }</legend>
                { for kinds }
            </fieldset>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TimelineListProps {
    timeline: Rc<TimelineView>,
    text: &'static InsideText,
    on_inspect: Callback<usize>,
    list_ref: NodeRef,
    on_scroll: Callback<Event>,
    selected: Option<usize>,
}

#[component]
fn TimelineList(props: &TimelineListProps) -> Html {
    let text = props.text;
    let rows = props.timeline.entries.iter().map(|entry| match entry {
        TimelineEntry::Row(r) => {
            let id = r.id;
            let on_inspect = props.on_inspect.clone();
            let nested = r.iteration.is_some_and(|it| it != r.id);
            html! {
                <li key={format!("r{id}")} class={classes!(
                    "trow", r.kind.id(), nested.then_some("nested"), r.changed.then_some("changed"),
                    (props.selected == Some(id)).then_some("selected"))}>
                    <button type="button" class="trow-button" onclick={Callback::from(move |_: MouseEvent| on_inspect.emit(id))}>
                        <span class="t-time">{ r.time.clone() }</span>
                        <span class="t-node">{ r.node.clone() }</span>
                        <span class="t-channel">{ format!("{}/{}", r.channel, r.handler) }</span>
                        if let Some(op) = &r.op {
                            <span class="t-op">{ op.clone() }</span>
                        }
                        if !r.pods.is_empty() {
                            <span class="t-pods">{ r.pods.join(" ") }</span>
                        }
                        <span class="t-text">{ r.text.clone() }</span>
                    </button>
                </li>
            }
        }
        TimelineEntry::Summary(s) => html! {
            <li key={format!("s{}{}", s.node, s.to)} class="trow summary">
                <span class="t-time">{ format!("{} – {}", s.from, s.to) }</span>
                <span class="t-node">{ s.node.clone() }</span>
                <span class="t-text">{ s.text.clone() }</span>
            </li>
        },
    });
    html! {
        <div class="timeline-scroll" ref={props.list_ref.clone()} onscroll={props.on_scroll.clone()}>
            if props.timeline.older > 0 {
                <p class="empty">{ text.older.replace("{}", &props.timeline.older.to_string()) }</p>
            }
            if props.timeline.entries.is_empty() {
                <p class="empty">{ text.empty }</p>
            }
            <ol class="timeline" aria-label={text.timeline}>{ for rows }</ol>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct InspectorProps {
    inspection: Inspection,
    text: &'static InsideText,
    on_close: Callback<()>,
}

#[component]
fn Inspector(props: &InspectorProps) -> Html {
    let i = &props.inspection;
    let text = props.text;
    let on_close = props.on_close.clone();
    html! {
        <aside class="inspector" aria-label={text.inspector}>
            <div class="inspector-head">
                <h3>{ i.title.clone() }</h3>
                <button type="button" class="btn" onclick={Callback::from(move |_: MouseEvent| on_close.emit(()))}>
                    { text.close_inspector }
                </button>
            </div>
            <p class="inspector-when">{ i.when.clone() }</p>
            <p>{ i.summary.clone() }</p>
            <p class="inspector-upstream">{ text.mirrors }{ ": " }
                <code>{ i.upstream.file }</code>{ " " }<code>{ i.upstream.function }</code>
            </p>
            { for i.sections.iter().map(|s| html! {
                <section class="inspector-section">
                    <h4>{ s.heading.clone() }</h4>
                    <pre>{ s.lines.join("\n") }</pre>
                </section>
            }) }
        </aside>
    }
}
