//! The editor pane: one file of one node, its unsaved changes kept, saved through the
//! emulated filesystem (so the kubelet's watch sees it as it sees `cat >`).

use yew::prelude::*;

use crate::ui::i18n::use_text;
use crate::ui::state::{Action, Draft, FileKey};

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
    /// Sends an action.
    pub on_action: Callback<Action>,
}

/// The editor pane's body.
#[component]
pub fn EditorPane(props: &EditorPaneProps) -> Html {
    let text = use_text();
    let area = use_node_ref();
    {
        let area = area.clone();
        use_effect_with(props.focus, move |_| {
            if let Some(el) = area.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let (Some(file), Some(draft)) = (&props.file, &props.draft) else {
        return html! {
            <div class="editor empty-editor">
                if let Some(error) = &props.error {
                    <p class="notice bad" role="alert">{ error }</p>
                }
                <p class="empty">{ text.no_file }</p>
            </div>
        };
    };
    let act = |action: Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
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
    let rename = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                on_action.emit(Action::RenameNew(el.value()));
            }
        })
    };
    let dirty = draft.dirty();
    html! {
        <div class="editor">
            <div class="editor-head">
                <span class="editor-host">{ format!("{}:", file.host) }</span>
                if draft.saved.is_none() {
                    <label class="editor-path-field">
                        <span class="visually-hidden">{ text.file_path }</span>
                        <input type="text" class="editor-path" value={file.path.clone()}
                            spellcheck="false" autocapitalize="off" onchange={rename} />
                    </label>
                } else {
                    <code class="editor-path">{ &file.path }</code>
                }
                if dirty {
                    <span class="badge warn">{ text.unsaved }</span>
                }
                <span class="spacer" />
                <button type="button" class="btn btn-primary" onclick={act(Action::SaveFile)}
                    disabled={props.disabled} aria-keyshortcuts="Control+S">{ text.save }</button>
                <button type="button" class="btn" onclick={act(Action::CloseFile)}>{ text.close }</button>
            </div>
            if let Some(error) = &props.error {
                <p class="notice bad" role="alert">{ error }</p>
            }
            <textarea
                ref={area}
                class="editor-text"
                aria-label={text.manifest_editor}
                spellcheck="false"
                autocapitalize="off"
                autocorrect="off"
                disabled={props.disabled}
                value={draft.text.clone()}
                {oninput}
                {onkeydown}
            />
        </div>
    }
}
