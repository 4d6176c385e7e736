//! The editor pane: one file of one node in CodeMirror (loaded lazily; a plain text box when it
//! cannot load), its unsaved changes kept, saved through the emulated filesystem so the
//! kubelet's watch sees it as it sees `cat >`.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::emit;

use crate::ui::i18n::use_text;
use crate::ui::state::{Action, Draft, FileKey};
use crate::view::editor::{EditorAnalysis, Severity, Tone};

/// What the pane shows.
#[derive(Properties, PartialEq)]
pub struct EditorPaneProps {
    /// The open file.
    pub file: Option<FileKey>,
    /// Its buffer.
    pub draft: Option<Draft>,
    /// Why the last open or save failed.
    pub error: Option<String>,
    /// Counts requests to move focus into the editor (`vi FILE`, Open).
    pub focus: u64,
    /// Whether the dark theme shows.
    pub dark: bool,
    /// Input is not accepted.
    pub disabled: bool,
    /// The buffer's diagnostics and save preview.
    pub analysis: Option<Rc<EditorAnalysis>>,
    /// Sends an action.
    pub on_action: Callback<Action>,
}

/// Where CodeMirror stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Surface {
    /// Not asked for yet (no file opened so far).
    Idle,
    /// The bundle is loading.
    Loading,
    /// CodeMirror runs in the host element.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    Ready,
    /// It could not load: the plain text box is used.
    Fallback,
}

/// The editor pane's body.
#[component]
pub fn EditorPane(props: &EditorPaneProps) -> Html {
    let text = use_text();
    let host = use_node_ref();
    let fallback = use_node_ref();
    let surface = use_state(|| Surface::Idle);
    let code = use_code_editor(props, &host, &surface);

    // Focus requests (vi FILE, Open) go to whichever surface shows.
    {
        let code = code.clone();
        let fallback = fallback.clone();
        use_effect_with(props.focus, move |focus| {
            if *focus == 0 {
                return;
            }
            if let Some(area) = fallback.cast::<web_sys::HtmlElement>() {
                let _ = area.focus();
            }
            code.focus();
        });
    }

    // Diagnostics go into CodeMirror's lint layer whenever the analysis changes.
    {
        let code = code.clone();
        use_effect_with(
            (props.analysis.clone(), (*surface).clone()),
            move |(analysis, _)| {
                code.set_diagnostics(analysis.as_deref());
            },
        );
    }
    let act = |action: Action| emit(&props.on_action, action);
    let rename = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                on_action.emit(Action::RenameNew(el.value()));
            }
        })
    };
    let head = match (&props.file, &props.draft) {
        (Some(file), Some(draft)) => html! {
            <div class="editor-head">
                <span class="editor-node">{ format!("{}:", file.host) }</span>
                if draft.saved.is_none() {
                    <label class="editor-path-field">
                        <span class="visually-hidden">{ text.file_path }</span>
                        <input type="text" class="editor-path" value={file.path.clone()}
                            spellcheck="false" autocapitalize="off" onchange={rename} />
                    </label>
                } else {
                    <code class="editor-path">{ &file.path }</code>
                }
                if draft.dirty() {
                    <span class="badge warn">{ text.unsaved }</span>
                }
                <span class="spacer" />
                <button type="button" class="btn btn-primary" onclick={act(Action::SaveFile)}
                    disabled={props.disabled} aria-keyshortcuts="Control+S">{ text.save }</button>
                <button type="button" class="btn" onclick={act(Action::CloseFile)}>{ text.close }</button>
            </div>
        },
        _ => html! {},
    };
    let open = props.file.is_some() && props.draft.is_some();
    // The native build (server-side rendering) has no CodeMirror at all.
    let use_fallback = open && (*surface == Surface::Fallback || !cfg!(target_arch = "wasm32"));
    html! {
        <div class="editor">
            { head }
            if let Some(error) = &props.error {
                <p class="notice bad" role="alert">{ error }</p>
            }
            if !open {
                <p class="empty">{ text.no_file }</p>
            } else if *surface == Surface::Loading {
                <p class="empty" role="status">{ text.editor_loading }</p>
            } else if *surface == Surface::Fallback {
                <p class="notice warn" role="status">{ text.editor_fallback }</p>
            }
            // CodeMirror keeps its host element for the page's life, so switching files
            // only swaps the document.
            <div ref={host} class={classes!("code-host", (!open || use_fallback).then_some("hidden"))} />
            if use_fallback {
                <FallbackText area={fallback} draft={props.draft.clone().unwrap_or(Draft { text: String::new(), saved: None })}
                    disabled={props.disabled} on_action={props.on_action.clone()} />
            }
            if open {
                if let Some(analysis) = &props.analysis {
                    { analysis_html(analysis, text, &code) }
                }
            }
        </div>
    }
}

/// The save preview and the list of problems, each a button that moves the cursor there.
fn analysis_html(
    analysis: &EditorAnalysis,
    text: &'static crate::ui::text::Text,
    code: &CodeEditor,
) -> Html {
    let tone = match analysis.preview.tone() {
        Tone::Quiet => "muted",
        Tone::Change => "ok",
        Tone::Warning => "warn",
        Tone::Error => "bad",
    };
    let preview = analysis.preview.to_string();
    html! {
        <div class="analysis">
            if !preview.is_empty() {
                <p class={classes!("preview", tone)} role="status">
                    <span class="label">{ text.on_save }</span>{ " " }{ preview }
                </p>
            }
            if !analysis.diagnostics.is_empty() {
                <ul class="problems" aria-label={text.problems}>
                    { for analysis.diagnostics.iter().map(|d| {
                        let (line, column) = (d.from.line, d.from.column);
                        let code = code.clone();
                        let go = Callback::from(move |_: MouseEvent| code.go_to(line, column));
                        let (class, word) = match d.severity {
                            Severity::Error => ("bad", text.error),
                            Severity::Warning => ("warn", text.warning),
                            Severity::Info => ("muted", text.info),
                        };
                        html! {
                            <li>
                                <button type="button" class="link-btn problem" onclick={go}>
                                    <span class="where">{ format!("{line}:{column}") }</span>
                                    <span class={classes!("severity", class)}>{ word }</span>
                                    <span class="message">{ &d.message }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FallbackTextProps {
    area: NodeRef,
    draft: Draft,
    disabled: bool,
    on_action: Callback<Action>,
}

/// The plain text box used when CodeMirror cannot load (and in the server-rendered tests).
#[component]
fn FallbackText(props: &FallbackTextProps) -> Html {
    let text = use_text();
    let oninput = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                on_action.emit(Action::EditDraft(el.value()));
            }
        })
    };
    let onkeydown = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: KeyboardEvent| {
            if (e.ctrl_key() || e.meta_key()) && e.key() == "s" {
                e.prevent_default();
                on_action.emit(Action::SaveFile);
            }
        })
    };
    html! {
        <textarea
            ref={props.area.clone()}
            class="editor-text"
            aria-label={text.manifest_editor}
            spellcheck="false"
            autocapitalize="off"
            autocorrect="off"
            disabled={props.disabled}
            value={props.draft.text.clone()}
            {oninput}
            {onkeydown}
        />
    }
}

/// A handle on the CodeMirror editor, whichever build this is.
#[derive(Clone, Default)]
struct CodeEditor {
    #[cfg(target_arch = "wasm32")]
    inner: Rc<RefCell<Option<crate::ui::editor_bridge::EditorHandle>>>,
    #[cfg(not(target_arch = "wasm32"))]
    #[allow(dead_code)]
    inner: Rc<RefCell<Option<()>>>,
}

impl CodeEditor {
    fn focus(&self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(handle) = &*self.inner.borrow() {
            handle.focus();
        }
    }

    fn go_to(&self, line: u32, column: u32) {
        #[cfg(target_arch = "wasm32")]
        if let Some(handle) = &*self.inner.borrow() {
            handle.go_to(line, column);
        }
        let _ = (line, column);
    }

    fn set_diagnostics(&self, analysis: Option<&EditorAnalysis>) {
        #[cfg(target_arch = "wasm32")]
        if let Some(handle) = &*self.inner.borrow() {
            let list: Vec<serde_json::Value> = analysis
                .map(|a| a.diagnostics.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "fromLine": d.from.line,
                        "fromCol": d.from.column,
                        "toLine": d.to.line,
                        "toCol": d.to.column,
                        "severity": match d.severity {
                            Severity::Error => "error",
                            Severity::Warning => "warning",
                            Severity::Info => "info",
                        },
                        "message": d.message,
                    })
                })
                .collect();
            handle.set_diagnostics(&serde_json::Value::Array(list).to_string());
        }
        let _ = analysis;
    }
}

/// Mounts CodeMirror once a file is first opened and keeps it in step with the props:
/// the document when another file opens or the buffer changes from outside, the theme, and
/// read-only while a session replays.
#[hook]
fn use_code_editor(
    props: &EditorPaneProps,
    host: &NodeRef,
    surface: &UseStateHandle<Surface>,
) -> CodeEditor {
    let editor = use_mut_ref(CodeEditor::default).borrow().clone();
    let latest_text = use_mut_ref(String::new);
    *latest_text.borrow_mut() = props
        .draft
        .as_ref()
        .map(|d| d.text.clone())
        .unwrap_or_default();
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;

        use crate::ui::editor_bridge::{create_editor, EditorHandle};

        let closures = use_mut_ref(|| None::<(Closure<dyn FnMut(String)>, Closure<dyn FnMut()>)>);
        let text = use_text();
        let open = props.file.is_some() && props.draft.is_some();
        // Mount on the first open file.
        {
            let editor = editor.clone();
            let host = host.clone();
            let surface = surface.clone();
            let on_action = props.on_action.clone();
            let latest_text = latest_text.clone();
            let dark = props.dark;
            let closures = closures.clone();
            use_effect_with(open, move |open| {
                if !*open || *surface != Surface::Idle {
                    return;
                }
                let Some(parent) = host.cast::<web_sys::Element>() else {
                    return;
                };
                surface.set(Surface::Loading);
                let change = {
                    let on_action = on_action.clone();
                    Closure::<dyn FnMut(String)>::new(move |doc: String| {
                        on_action.emit(Action::EditDraft(doc))
                    })
                };
                let save = Closure::<dyn FnMut()>::new(move || on_action.emit(Action::SaveFile));
                let options = serde_json::json!({
                    "dark": dark,
                    "readOnly": false,
                    "label": text.manifest_editor,
                    "hint": text.editor_hint,
                })
                .to_string();
                let promise =
                    create_editor(&parent, &latest_text.borrow(), &options, &change, &save);
                *closures.borrow_mut() = Some((change, save));
                wasm_bindgen_futures::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(promise).await {
                        Ok(value) => {
                            let handle: EditorHandle = value.unchecked_into();
                            let wanted = latest_text.borrow().clone();
                            if handle.get_doc() != wanted {
                                handle.set_doc(&wanted);
                            }
                            handle.focus();
                            *editor.inner.borrow_mut() = Some(handle);
                            surface.set(Surface::Ready);
                        }
                        Err(err) => {
                            gloo::console::warn!("the code editor could not load:", err);
                            surface.set(Surface::Fallback);
                        }
                    }
                });
            });
        }
        // Another file, or the buffer changed from outside the editor: swap the document.
        {
            let editor = editor.clone();
            let key = (
                props.file.clone(),
                props.draft.as_ref().map(|d| d.text.clone()),
            );
            use_effect_with(key, move |(_, text)| {
                if let (Some(handle), Some(text)) = (&*editor.inner.borrow(), text) {
                    if handle.get_doc() != *text {
                        handle.set_doc(text);
                    }
                }
            });
        }
        {
            let editor = editor.clone();
            use_effect_with(
                (props.dark, props.disabled, (**surface).clone()),
                move |(dark, disabled, _)| {
                    if let Some(handle) = &*editor.inner.borrow() {
                        handle.set_theme(*dark);
                        handle.set_read_only(*disabled);
                    }
                },
            );
        }
        // The page never unmounts the pane, but a test harness may.
        {
            let editor = editor.clone();
            use_effect_with((), move |()| {
                move || {
                    if let Some(handle) = editor.inner.borrow_mut().take() {
                        handle.destroy();
                    }
                    closures.borrow_mut().take();
                }
            });
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (host, surface, &latest_text);
    editor
}
