//! The top-level component: the store, the one frame loop that drives the clock, the
//! autosave, and the page's layout (four panes side by side, or tabs below 900 px).

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::components::{
    Dialogs, EditorPane, InsidePane, LessonPane, NodesPane, PodsPane, Terminal, TopBar,
};
use crate::ui::i18n::{use_text, Locale};
use crate::ui::state::{Action, Pane, Store, Theme};
use crate::ui::storage;
use crate::ui::text::inside::inside_text;
use crate::view::lesson::Pane as LessonPaneKind;

/// The whole playground page.
#[component]
pub fn App() -> Html {
    let store = use_reducer(|| {
        let settings = storage::parse_settings(storage::read(storage::SETTINGS_KEY));
        let found = storage::parse_found(storage::read(storage::SESSION_KEY));
        let (url_lang, browser_lang) = page_languages();
        Store::load(found, &settings, url_lang.as_deref(), &browser_lang)
    });
    let dispatch: Callback<Action> = {
        let dispatcher = store.dispatcher();
        Callback::from(move |action| dispatcher.dispatch(action))
    };

    use_frame_loop(dispatch.clone());
    use_autosave(&store, dispatch.clone());
    let theme = store.theme.unwrap_or_else(browser_theme);
    use_theme(theme);
    let (lang, text) = crate::ui::text::for_tag(store.lang);
    use_effect_with(lang, |lang| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", lang);
        }
    });

    html! {
        <ContextProvider<Locale> context={Locale(text)}>
            <Page store={Rc::new((*store).clone())} {theme} on_action={dispatch} />
        </ContextProvider<Locale>>
    }
}

#[derive(Properties, PartialEq)]
struct PageProps {
    store: Rc<Store>,
    theme: Theme,
    on_action: Callback<Action>,
}

#[component]
fn Page(props: &PageProps) -> Html {
    let text = use_text();
    let store = &props.store;
    let on_action = &props.on_action;
    let busy = store.terminal.busy;
    let disabled = store.replaying();
    let on_export = {
        let store = store.clone();
        Callback::from(move |()| {
            storage::download("kubelet-playground-session.json", &store.saved().to_json())
        })
    };
    let on_download =
        Callback::from(|(name, text): (String, Rc<String>)| storage::download(&name, &text));
    let on_import = import_callback(on_action.clone());
    let on_pick = pick_callback(store.clone(), on_action.clone());
    let shown = shown_panes(store);
    let in_lesson = store.lesson.is_some();
    let tab = |pane: Pane, label: &'static str| {
        let on_action = on_action.clone();
        let selected = store.tab == pane;
        html! {
            <button type="button" role="tab" aria-selected={selected.to_string()}
                aria-controls={pane_id(pane)} class={classes!("tab", selected.then_some("selected"))}
                onclick={Callback::from(move |_: MouseEvent| on_action.emit(Action::SelectTab(pane)))}>
                { label }
            </button>
        }
    };
    let pane_class = |pane: Pane| {
        classes!(
            "pane",
            pane_id(pane),
            (store.tab == pane).then_some("active")
        )
    };
    let has = |pane: Pane| shown.contains(&pane);
    // Wide layout: the Inside the kubelet pane takes the Nodes and Pods row while open.
    let inside = use_state(|| false);
    let toggle_inside = {
        let inside = inside.clone();
        Callback::from(move |_: MouseEvent| inside.set(!*inside))
    };
    let inside_text = inside_text(
        crate::view::lesson::Locale::from_tag(store.lang)
            .unwrap_or(crate::view::lesson::Locale::En),
    );
    let draft = store.open_draft().cloned();
    let replay = store.replay.as_ref().map(|r| {
        let done = r.total - r.queue.len();
        (done * 100 / r.total.max(1)) as u32
    });
    html! {
        <div class="app">
            <TopBar
                playing={store.playing}
                speed={store.speed}
                effective_speed={store.effective_speed}
                clock={store.clock.clone()}
                theme={props.theme}
                lang={store.lang}
                fast_forward={store.terminal.fast_forward}
                course={store.course.clone()}
                progress={store.progress.clone()}
                lesson={store.lesson_id().map(str::to_string)}
                on_pick={on_pick.clone()}
                on_action={on_action.clone()}
                {on_export}
                {on_import}
            />
            if !store.storage_ok {
                <p class="notice warn storage-notice" role="status">{ text.not_saved }</p>
            }
            if store.storms > 0 {
                <p class="notice warn storm-notice" role="status">{ text.storm }</p>
            }
            if let Some(pct) = replay {
                <div class="replay" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow={pct.to_string()} aria-label={text.restoring.replace("{}", &pct.to_string())}>
                    { text.restoring.replace("{}", &pct.to_string()) }
                </div>
            }
            <nav class="tabs" role="tablist" aria-label={text.panes}>
                if in_lesson {
                    { tab(Pane::Lesson, text.lesson_pane) }
                }
                { tab(Pane::Terminal, text.terminal) }
                if has(Pane::Editor) {
                    { tab(Pane::Editor, text.editor) }
                }
                if has(Pane::Nodes) {
                    { tab(Pane::Nodes, text.nodes) }
                }
                if has(Pane::Pods) {
                    { tab(Pane::Pods, text.pods) }
                }
                { tab(Pane::Kubelet, inside_text.open) }
            </nav>
            <main class="panes" style={grid_style(in_lesson, &shown, *inside)}>
                if let Some(lesson) = store.lesson.clone() {
                    <section id={pane_id(Pane::Lesson)} class={pane_class(Pane::Lesson)} aria-labelledby="lesson-heading">
                        <h2 id="lesson-heading" class="pane-title">{ text.lesson_pane }</h2>
                        <LessonPane {lesson} guide={store.guide.clone()} busy={busy || disabled}
                            clock={store.challenge_clock.clone()}
                            on_new_challenge={new_challenge_callback(store.clone(), on_action.clone())}
                            on_action={on_action.clone()} on_pick={on_pick.clone()} />
                    </section>
                }
                <section id={pane_id(Pane::Terminal)} class={pane_class(Pane::Terminal)} aria-labelledby="terminal-heading">
                    <h2 id="terminal-heading" class="pane-title">{ text.terminal }</h2>
                    <Terminal terminal={store.terminal.clone()} completion={store.completion.clone()}
                        {busy} {disabled} fill={store.fill.clone()} on_action={on_action.clone()} />
                </section>
                if has(Pane::Editor) {
                    <section id={pane_id(Pane::Editor)} class={pane_class(Pane::Editor)} aria-labelledby="editor-heading">
                        <h2 id="editor-heading" class="pane-title">{ text.editor }</h2>
                        <EditorPane file={store.open_file.clone()} {draft} error={store.editor_error.clone()}
                            focus={store.focus_editor} dark={props.theme == Theme::Dark} {disabled}
                            analysis={store.analysis.clone()}
                            on_action={on_action.clone()} />
                    </section>
                }
                if has(Pane::Nodes) {
                    <section id={pane_id(Pane::Nodes)} class={classes!(pane_class(Pane::Nodes), inside.then_some("hidden-wide"))} aria-labelledby="nodes-heading">
                        <div class="pane-head">
                            <h2 id="nodes-heading" class="pane-title">{ text.nodes }</h2>
                            <button type="button" class="btn wide-only inside-toggle" aria-pressed="false"
                                onclick={toggle_inside.clone()}>{ inside_text.open }</button>
                        </div>
                        <NodesPane nodes={store.nodes.clone()} on_action={on_action.clone()} />
                    </section>
                }
                if has(Pane::Pods) {
                    <section id={pane_id(Pane::Pods)} class={classes!(pane_class(Pane::Pods), inside.then_some("hidden-wide"))} aria-labelledby="pods-heading">
                        <h2 id="pods-heading" class="pane-title">{ text.pods }</h2>
                        <PodsPane pods={store.pods.clone()} last={store.last_pods.clone()} on_action={on_action.clone()} />
                    </section>
                }
                if *inside || store.tab == Pane::Kubelet {
                    <section id={pane_id(Pane::Kubelet)} class={classes!(pane_class(Pane::Kubelet), (!*inside).then_some("hidden-wide"))} aria-labelledby="kubelet-heading">
                        <div class="pane-head">
                            <h2 id="kubelet-heading" class="pane-title">{ inside_text.title }</h2>
                            <button type="button" class="btn wide-only inside-toggle" aria-pressed="true"
                                onclick={toggle_inside.clone()}>{ inside_text.close }</button>
                        </div>
                        <InsidePane playground={store.playground.clone()}
                            lang={store.lang} nodes={store.nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>()} />
                    </section>
                }
            </main>
            <Dialogs dialog={store.dialog.clone()} {in_lesson} on_action={on_action.clone()} {on_download} />
        </div>
    }
}

/// The page's `?lang=` and the browser's language.
fn page_languages() -> (Option<String>, String) {
    #[cfg(target_arch = "wasm32")]
    {
        let window = gloo::utils::window();
        let url_lang = window
            .location()
            .search()
            .ok()
            .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
            .and_then(|params| params.get("lang"));
        let browser = window.navigator().language().unwrap_or_default();
        (url_lang, browser)
    }
    #[cfg(not(target_arch = "wasm32"))]
    (None, "en".to_string())
}

fn pane_id(pane: Pane) -> &'static str {
    match pane {
        Pane::Lesson => "lesson-pane",
        Pane::Terminal => "terminal-pane",
        Pane::Editor => "editor-pane",
        Pane::Nodes => "nodes-pane",
        Pane::Pods => "pods-pane",
        Pane::Kubelet => "kubelet-pane",
    }
}

/// The panes besides the lesson panel: the lesson's choice (the terminal always), or all.
fn shown_panes(store: &Store) -> Vec<Pane> {
    let Some(lesson) = &store.lesson else {
        return vec![Pane::Terminal, Pane::Editor, Pane::Nodes, Pane::Pods];
    };
    let mut shown = vec![Pane::Terminal];
    for pane in &lesson.panes {
        let pane = match pane {
            LessonPaneKind::Terminal => continue,
            LessonPaneKind::Editor => Pane::Editor,
            LessonPaneKind::Nodes => Pane::Nodes,
            LessonPaneKind::Pods => Pane::Pods,
        };
        if !shown.contains(&pane) {
            shown.push(pane);
        }
    }
    shown
}

/// The wide layout's grid: the lesson panel down the left, then the terminal and editor over
/// the nodes and pods; a row with one pane gives it the row, an empty row is dropped. (Below
/// 900 px the stylesheet shows one pane at a time and ignores this.)
fn grid_style(lesson: bool, shown: &[Pane], inside: bool) -> String {
    let row = |a: (Pane, &str), b: (Pane, &str)| -> Option<String> {
        let cells: Vec<&str> = [a, b]
            .iter()
            .filter(|(p, _)| shown.contains(p) || *p == Pane::Kubelet)
            .map(|(_, name)| *name)
            .collect();
        let (first, second) = match cells.as_slice() {
            [] => return None,
            [one] => (*one, *one),
            [x, y, ..] => (*x, *y),
        };
        Some(if lesson {
            format!("\"lesson {first} {second}\"")
        } else {
            format!("\"{first} {second}\"")
        })
    };
    let rows: Vec<String> = [
        row((Pane::Terminal, "terminal"), (Pane::Editor, "editor")),
        match inside {
            true => row((Pane::Kubelet, "kubelet"), (Pane::Kubelet, "kubelet")),
            false => row((Pane::Nodes, "nodes"), (Pane::Pods, "pods")),
        },
    ]
    .into_iter()
    .flatten()
    .collect();
    let columns = if lesson {
        "minmax(19rem, 0.8fr) minmax(0, 1.15fr) minmax(0, 1fr)"
    } else {
        "minmax(0, 1.15fr) minmax(0, 1fr)"
    };
    let heights = if rows.len() == 2 {
        "minmax(0, 1.25fr) minmax(0, 1fr)"
    } else {
        "minmax(0, 1fr)"
    };
    format!(
        "grid-template-areas: {}; grid-template-columns: {columns}; grid-template-rows: {heights};",
        rows.join(" ")
    )
}

/// Takes another lesson: the session being left waits in its stash, and the chosen lesson's
/// stashed session (if any) resumes.
fn pick_callback(store: Rc<Store>, on_action: Callback<Action>) -> Callback<Option<String>> {
    Callback::from(move |id: Option<String>| {
        let current = store.saved();
        storage::write(
            &storage::stash_key(current.lesson.as_deref()),
            &current.to_json(),
        );
        let stashed = match storage::parse_found(storage::read(&storage::stash_key(id.as_deref())))
        {
            storage::Found::Session(saved) => Some(saved),
            _ => None,
        };
        // A challenge taken for the first time gets a variant of its own.
        let is_challenge = id
            .as_deref()
            .is_some_and(|id| store.course.iter().any(|e| e.id == id && e.challenge));
        let stashed = stashed.or_else(|| is_challenge.then(|| fresh_attempt(id.clone())));
        on_action.emit(Action::SwitchLesson(id, stashed));
    })
}

/// Another variant of the challenge being taken: a new seed, nothing done yet.
fn new_challenge_callback(store: Rc<Store>, on_action: Callback<Action>) -> Callback<()> {
    Callback::from(move |()| {
        let id = store.lesson_id().map(str::to_string);
        on_action.emit(Action::SwitchLesson(id.clone(), Some(fresh_attempt(id))));
    })
}

/// A session that has done nothing yet, with a new seed.
fn fresh_attempt(lesson: Option<String>) -> crate::playground::SavedSession {
    crate::playground::SavedSession {
        format: crate::playground::input::FORMAT,
        seed: crate::ui::wall::random_seed(),
        inputs: Vec::new(),
        lesson,
    }
}

/// The browser's preference when the learner has not chosen.
fn browser_theme() -> Theme {
    #[cfg(target_arch = "wasm32")]
    {
        let light = web_sys::window()
            .and_then(|w| {
                w.match_media("(prefers-color-scheme: light)")
                    .ok()
                    .flatten()
            })
            .is_some_and(|m| m.matches());
        if light {
            return Theme::Light;
        }
    }
    Theme::Dark
}

/// Puts the theme on `<html data-theme>`, where the stylesheet reads it.
#[hook]
fn use_theme(theme: Theme) {
    use_effect_with(theme, |theme| {
        let name = match theme {
            Theme::Dark => "dark",
            Theme::Light => "light",
        };
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("data-theme", name);
        }
    });
}

/// The one frame loop: every animation frame becomes an [`Action::Frame`]; a hidden tab
/// pauses the clock.
#[hook]
fn use_frame_loop(dispatch: Callback<Action>) {
    use_effect_with((), move |()| {
        let running = Rc::new(std::cell::Cell::new(true));
        #[cfg(target_arch = "wasm32")]
        let listener = {
            frame_loop::start(dispatch.clone(), running.clone());
            let dispatch = dispatch.clone();
            gloo::events::EventListener::new(
                &gloo::utils::document(),
                "visibilitychange",
                move |_| {
                    if gloo::utils::document().visibility_state()
                        == web_sys::VisibilityState::Hidden
                    {
                        dispatch.emit(Action::Hidden);
                    }
                },
            )
        };
        #[cfg(not(target_arch = "wasm32"))]
        let _ = dispatch;
        move || {
            running.set(false);
            #[cfg(target_arch = "wasm32")]
            drop(listener);
        }
    });
}

#[cfg(target_arch = "wasm32")]
mod frame_loop {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use gloo::render::{request_animation_frame, AnimationFrame};
    use yew::Callback;

    use crate::ui::state::Action;

    /// Requests frames until `running` turns false.
    pub fn start(dispatch: Callback<Action>, running: Rc<Cell<bool>>) {
        let slot: Rc<RefCell<Option<AnimationFrame>>> = Rc::default();
        schedule(dispatch, running, slot);
    }

    fn schedule(
        dispatch: Callback<Action>,
        running: Rc<Cell<bool>>,
        slot: Rc<RefCell<Option<AnimationFrame>>>,
    ) {
        let next = slot.clone();
        let handle = request_animation_frame(move |timestamp| {
            if !running.get() {
                return;
            }
            dispatch.emit(Action::Frame(timestamp));
            schedule(dispatch, running, next);
        });
        *slot.borrow_mut() = Some(handle);
    }
}

/// Saves the session and the settings whenever the store says something worth saving
/// changed; says so once when the browser refuses.
#[hook]
fn use_autosave(store: &UseReducerHandle<Store>, dispatch: Callback<Action>) {
    let store = store.clone();
    use_effect_with(store.save_revision, move |_| {
        if store.replaying() {
            return;
        }
        let session = store.saved().to_json();
        let settings = serde_json::to_string(&storage::Settings::of(&store)).unwrap_or_default();
        storage::remember_for_crash(&session);
        let ok = storage::write(storage::SESSION_KEY, &session)
            && storage::write(storage::SETTINGS_KEY, &settings);
        if !ok && store.storage_ok && cfg!(target_arch = "wasm32") {
            dispatch.emit(Action::StorageFailed);
        }
    });
}

/// Reads a chosen session file and restores it (or says why it cannot).
fn import_callback(on_action: Callback<Action>) -> Callback<web_sys::Event> {
    Callback::from(move |e: web_sys::Event| {
        #[cfg(target_arch = "wasm32")]
        {
            use std::cell::RefCell;
            use wasm_bindgen::JsCast;
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let on_action = on_action.clone();
            let reader: Rc<RefCell<Option<gloo::file::callbacks::FileReader>>> = Rc::default();
            let keep = reader.clone();
            let task = gloo::file::callbacks::read_as_text(&file.into(), move |result| {
                let action = match result {
                    Ok(text) => match crate::playground::SavedSession::from_json(&text) {
                        Ok(saved) => Action::Restore(saved),
                        Err(err) => Action::Show(crate::ui::state::Dialog::RestoreFailed {
                            reason: err.to_string(),
                            raw: Rc::new(text),
                        }),
                    },
                    Err(err) => Action::Show(crate::ui::state::Dialog::RestoreFailed {
                        reason: format!("the file could not be read: {err}"),
                        raw: Rc::new(String::new()),
                    }),
                };
                on_action.emit(action);
                keep.borrow_mut().take();
            });
            *reader.borrow_mut() = Some(task);
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (e, &on_action);
    })
}
