//! The top-level component: the store, the one frame loop that drives the clock, the
//! autosave, and the page's layout (four panes side by side, or tabs below 900 px).

use std::rc::Rc;

use yew::prelude::*;

use crate::playground::SavedSession;
use crate::ui::components::{
    Dialogs, EditorPane, InsidePane, LessonPane, NodesPane, PodsPane, Terminal, TopBar,
};
use crate::ui::i18n::{use_text, Locale};
use crate::ui::params::PageParams;
use crate::ui::state::{Action, Dialog, Pane, Past, Store, Theme};
use crate::ui::storage;
use crate::ui::text::inside::{inside_text, InsideText};
use crate::view::lesson::Pane as LessonPaneKind;

/// The whole playground page.
#[component]
pub fn App() -> Html {
    let params = use_memo((), |()| page_params());
    let store = {
        let params = params.clone();
        use_reducer(move || initial_store(&params))
    };
    let dispatch: Callback<Action> = crate::ui::dispatch::use_dispatch(&store);

    crate::ui::embed_bridge::use_embed_bridge(
        Rc::new((*store).clone()),
        dispatch.clone(),
        params.parent_origin.clone(),
    );
    use_frame_loop(dispatch.clone());
    use_update_notice(dispatch.clone());
    use_author_lesson(params.lesson_url.clone(), dispatch.clone());
    use_autosave(&store, dispatch.clone());
    let browser = use_browser_theme();
    let theme = store.theme.unwrap_or(browser);
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
    let disabled = store.replaying() || store.readonly;
    let on_export = {
        let store = store.clone();
        Callback::from(move |()| {
            storage::download("kubelet-playground-session.json", &store.saved().to_json())
        })
    };
    let on_download = use_callback((), |(name, text): (String, Rc<String>), ()| {
        storage::download(&name, &text)
    });
    let on_import = import_callback(on_action.clone());
    let on_share = {
        let store = store.clone();
        let on_action = on_action.clone();
        Callback::from(move |()| {
            let playground = store.playground.borrow();
            let url = share_url(&playground.saved().to_link());
            let transcript = crate::view::terminal::transcript(playground.scrollback().blocks());
            on_action.emit(Action::Show(Dialog::Share {
                url,
                transcript: Rc::new(transcript),
            }));
        })
    };
    let on_open_full = {
        let store = store.clone();
        Callback::from(move |()| {
            let url = share_url(&store.saved().to_link());
            open_in_new_tab(&url);
        })
    };
    let on_pick = pick_callback(store.clone(), on_action.clone());
    let shown = shown_panes(store);
    let in_lesson = store.lesson.is_some()
        && store
            .panes
            .as_ref()
            .is_none_or(|panes| panes.contains(&Pane::Lesson));
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
    // A lesson step that points "Inside the kubelet" opens it (once per step).
    {
        let inside = inside.clone();
        let serial = store.inside_focus.as_ref().map(|f| f.0);
        use_effect_with(serial, move |serial| {
            if serial.is_some() {
                inside.set(true);
            }
        });
    }
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
        <div class={classes!("app", store.embed.then_some("embed"))}>
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
                {on_share}
                embed={store.embed}
                {on_open_full}
                {on_export}
                {on_import}
            />
            if !store.storage_ok {
                <p class="notice warn storage-notice" role="status">{ text.not_saved }</p>
            }
            if store.update_ready {
                <p class="notice update-notice" role="status">
                    { text.update_ready }
                    <button type="button" class="btn" onclick={Callback::from(|_: MouseEvent| reload_into_update())}>{ text.reload }</button>
                </p>
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
                            origin={store.author_lesson.as_ref().filter(|a| Some(a.lesson.id.as_str()) == store.lesson_id()).map(|a| a.origin.clone())}
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
                        { past_note(store, inside_text) }
                        <NodesPane nodes={past_or(store, |p| p.nodes.clone(), store.nodes.clone())} on_action={on_action.clone()} />
                    </section>
                }
                if has(Pane::Pods) {
                    <section id={pane_id(Pane::Pods)} class={classes!(pane_class(Pane::Pods), inside.then_some("hidden-wide"))} aria-labelledby="pods-heading">
                        <h2 id="pods-heading" class="pane-title">{ text.pods }</h2>
                        { past_note(store, inside_text) }
                        <PodsPane pods={past_or(store, |p| p.pods.clone(), store.pods.clone())} last={store.last_pods.clone()} on_action={on_action.clone()} />
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
                            lang={store.lang} nodes={store.nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>()}
                            past={store.past.clone()} range={store.scrub_range()} focus={store.inside_focus.clone()}
                            on_action={on_action.clone()} />
                    </section>
                }
            </main>
            <Dialogs dialog={store.dialog.clone()} {in_lesson} on_action={on_action.clone()} {on_download} />
        </div>
    }
}

/// What a pane shows: the past's while the learner scrubs back, else now's.
fn past_or<T>(store: &Store, then: impl Fn(&Past) -> T, now: T) -> T {
    store.past.as_deref().map_or(now, then)
}

/// The note over a pane that shows the past, with the way back to now.
fn past_note(store: &Store, text: &'static InsideText) -> Html {
    let Some(past) = store.past.as_deref() else {
        return html! {};
    };
    html! {
        <p class="notice past-note" role="status">
            { text.viewing_past.replace("{}", &past.clock.elapsed) }
        </p>
    }
}

/// The page's URL parameters and fragment.
fn page_params() -> PageParams {
    #[cfg(target_arch = "wasm32")]
    {
        let location = gloo::utils::window().location();
        crate::ui::params::parse(
            &location.search().unwrap_or_default(),
            &location.hash().unwrap_or_default(),
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    PageParams::default()
}

/// The browser's language.
fn browser_language() -> String {
    #[cfg(target_arch = "wasm32")]
    return gloo::utils::window()
        .navigator()
        .language()
        .unwrap_or_default();
    #[cfg(not(target_arch = "wasm32"))]
    "en".to_string()
}

/// Drops a share link's fragment from the address bar once it is read, so a reload resumes
/// the autosave (what was done since) instead of the link's start.
fn forget_fragment() {
    #[cfg(target_arch = "wasm32")]
    {
        let window = gloo::utils::window();
        let location = window.location();
        let url = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// This page's address with `#s=PAYLOAD`, without the embedding parameters: the full playground
/// opening a session.
pub fn share_url(payload: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let location = gloo::utils::window().location();
        format!(
            "{}{}#s={payload}",
            location.origin().unwrap_or_default(),
            location.pathname().unwrap_or_default()
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    format!("#s={payload}")
}

/// Fetches an author's lesson (`?lesson-url=`), checks it as the course's lessons are checked,
/// and takes it, resuming the session it left in storage.
#[hook]
fn use_author_lesson(url: Option<String>, dispatch: Callback<Action>) {
    use_effect_with(url, move |url| {
        #[cfg(target_arch = "wasm32")]
        if let Some(url) = url.clone() {
            wasm_bindgen_futures::spawn_local(async move {
                let result = fetch_author_lesson(&url).await;
                let stashed = result
                    .as_ref()
                    .ok()
                    .and_then(|author| storage::stashed(Some(&author.lesson.id)));
                dispatch.emit(Action::AuthorLesson(result.map(Rc::new), stashed));
            });
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (url, &dispatch);
    });
}

#[cfg(target_arch = "wasm32")]
async fn fetch_author_lesson(url: &str) -> Result<crate::ui::state::AuthorLesson, String> {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let window = gloo::utils::window();
    let absolute = web_sys::Url::new_with_base(url, &window.location().href().unwrap_or_default())
        .map_err(|_| format!("the lesson URL {url:?} is not a URL"))?;
    if !matches!(absolute.protocol().as_str(), "https:" | "http:") {
        return Err(format!("the lesson URL {url:?} is not http(s)"));
    }
    let failed = |what: &str| format!("the lesson at {url} could not be fetched ({what})");
    let call = |target: &JsValue, name: &str| -> Result<JsValue, String> {
        let f = js_sys::Reflect::get(target, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| failed(name))?;
        f.call0(target).map_err(|_| failed(name))
    };
    let fetch = js_sys::Reflect::get(&window, &JsValue::from_str("fetch"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| failed("no fetch"))?;
    let promise = fetch
        .call1(&window, &JsValue::from_str(&absolute.href()))
        .map_err(|_| failed("refused"))?;
    let response = JsFuture::from(js_sys::Promise::from(promise))
        .await
        .map_err(|_| failed("network error or refused by its site's CORS headers"))?;
    let status = js_sys::Reflect::get(&response, &JsValue::from_str("status"))
        .ok()
        .and_then(|s| s.as_f64())
        .unwrap_or(0.0);
    if !(200.0..300.0).contains(&status) {
        return Err(failed(&format!("HTTP {status}")));
    }
    let text = JsFuture::from(js_sys::Promise::from(call(&response, "text")?))
        .await
        .map_err(|_| failed("reading the body"))?
        .as_string()
        .unwrap_or_default();
    let lesson = crate::playground::lesson::load_compiled(&text)
        .map_err(|err| format!("the lesson at {url} cannot be used: {err}"))?;
    Ok(crate::ui::state::AuthorLesson {
        lesson,
        origin: absolute.origin(),
    })
}

/// Opens `url` in a new tab (the embedded playground's "open in the full playground").
fn open_in_new_tab(url: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = gloo::utils::window().open_with_url_and_target(url, "_blank");
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = url;
}

/// The store a page load starts with: a share link, else what storage held; then what the
/// URL asks for (a lesson, a step, the embedded layout).
fn initial_store(params: &PageParams) -> Store {
    let settings = storage::parse_settings(storage::read(storage::SETTINGS_KEY));
    let key = storage::session_key(params.embed, params.lesson.as_deref());
    let mut found = storage::parse_found(storage::read(&key));
    let mut link_error = None;
    if let Some(link) = &params.share {
        forget_fragment();
        match SavedSession::from_link(link) {
            Ok(saved) => {
                keep_for_later(&found);
                found = storage::Found::Session(saved);
            }
            Err(err) => link_error = Some((err.to_string(), link.clone())),
        }
    }
    if params.lesson_url.is_some() {
        // The author's lesson arrives later (fetched); its session waits in its stash.
        keep_for_later(&found);
        found = storage::Found::Nothing;
    }
    let wanted = params
        .lesson
        .clone()
        .filter(|_| params.lesson_url.is_none());
    let mismatch = match (&found, &wanted) {
        (storage::Found::Session(saved), Some(id)) => saved.lesson.as_ref() != Some(id),
        (_, Some(_)) => true,
        _ => false,
    };
    if mismatch {
        keep_for_later(&found);
        found = storage::Found::Nothing;
    }
    let mut store = Store::load(
        found,
        &settings,
        params.lang.as_deref(),
        &browser_language(),
    );
    store.session_key = key;
    store.embed = params.embed;
    store.readonly = params.readonly;
    store.panes = params.panes.clone();
    if params.theme.is_some() {
        store.theme = params.theme;
    }
    if params.embed {
        store.tour_seen = true;
        if matches!(store.dialog, Some(Dialog::Tour(_))) {
            store.dialog = None;
        }
    }
    if let Some((reason, raw)) = link_error {
        store.dialog = Some(Dialog::RestoreFailed {
            reason,
            raw: Rc::new(raw),
        });
    }
    if mismatch {
        let stashed = storage::stashed(wanted.as_deref()).filter(|_| !params.embed);
        let mut next = Rc::new(store).reduce(Action::SwitchLesson(wanted, stashed));
        if let Some(step) = params.step {
            next = next.reduce(Action::SkipToStep(step));
        }
        store = Rc::unwrap_or_clone(next);
    }
    store
}

/// Puts a session that is about to be replaced where switching lessons finds it again.
fn keep_for_later(found: &storage::Found) {
    if let storage::Found::Session(saved) = found {
        if !saved.inputs.is_empty() {
            storage::stash(saved);
        }
    }
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

/// The panes besides the lesson panel: the page's `?panes=`, else the lesson's choice (the
/// terminal always), else all.
fn shown_panes(store: &Store) -> Vec<Pane> {
    if let Some(panes) = &store.panes {
        return panes
            .iter()
            .copied()
            .filter(|p| *p != Pane::Lesson)
            .collect();
    }
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
        storage::stash(&store.saved());
        let stashed = storage::stashed(id.as_deref());
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

/// The browser's colour preference, followed as it changes. The query is made once, not on
/// each render: the page renders every frame while the clock runs.
#[hook]
fn use_browser_theme() -> Theme {
    let theme = use_state(browser_theme);
    {
        let theme = theme.clone();
        use_effect_with((), move |()| {
            #[cfg(target_arch = "wasm32")]
            let listener = light_query().map(|query| {
                let watched = query.clone();
                gloo::events::EventListener::new(&query, "change", move |_| {
                    theme.set(theme_of(watched.matches()));
                })
            });
            #[cfg(not(target_arch = "wasm32"))]
            let _ = theme;
            move || {
                #[cfg(target_arch = "wasm32")]
                drop(listener);
            }
        });
    }
    *theme
}

/// The browser's preference now: light when it asks for light, dark otherwise.
fn browser_theme() -> Theme {
    #[cfg(target_arch = "wasm32")]
    {
        theme_of(light_query().is_some_and(|query| query.matches()))
    }
    #[cfg(not(target_arch = "wasm32"))]
    Theme::Dark
}

#[cfg(target_arch = "wasm32")]
fn light_query() -> Option<web_sys::MediaQueryList> {
    web_sys::window()?
        .match_media("(prefers-color-scheme: light)")
        .ok()
        .flatten()
}

#[cfg(target_arch = "wasm32")]
fn theme_of(light: bool) -> Theme {
    if light {
        Theme::Light
    } else {
        Theme::Dark
    }
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

/// Listens for the page's note that a new release is installed (index.html's service worker
/// registration).
#[hook]
fn use_update_notice(dispatch: Callback<Action>) {
    use_effect_with((), move |()| {
        #[cfg(target_arch = "wasm32")]
        let listener = gloo::events::EventListener::new(
            &gloo::utils::window(),
            "kubelet-playground-update",
            move |_| dispatch.emit(Action::UpdateReady),
        );
        #[cfg(not(target_arch = "wasm32"))]
        let _ = dispatch;
        move || {
            #[cfg(target_arch = "wasm32")]
            drop(listener);
        }
    });
}

/// Lets the waiting service worker take over, then reloads (the session is autosaved).
fn reload_into_update() {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        let window = gloo::utils::window();
        let worker = js_sys::Reflect::get(&window, &JsValue::from_str("kubeletPlaygroundUpdate"))
            .unwrap_or(JsValue::UNDEFINED);
        let post = js_sys::Reflect::get(&worker, &JsValue::from_str("postMessage"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let Some(post) = post else {
            let _ = window.location().reload();
            return;
        };
        // Reload once the new worker controls the page, so the reload is served by it.
        let container =
            js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("serviceWorker"))
                .unwrap_or(JsValue::UNDEFINED);
        let listen = js_sys::Reflect::get(&container, &JsValue::from_str("addEventListener"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(listen) = listen {
            let reload = js_sys::Function::new_no_args("location.reload()");
            let _ = listen.call2(&container, &JsValue::from_str("controllerchange"), &reload);
        }
        let _ = post.call1(&worker, &JsValue::from_str("skip-waiting"));
    }
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
        let ok = storage::write(&store.session_key, &session)
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
