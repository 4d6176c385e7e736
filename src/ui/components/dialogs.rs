//! The modal dialogs: help, "start over?", the first-visit tour and a restore that failed.
//! Each is a native `<dialog>` opened with `showModal()`, so the page behind is inert, focus
//! moves into it and Escape closes it.

use std::rc::Rc;

use yew::prelude::*;

use super::emit;

use crate::playground::Playground;
use crate::ui::i18n::use_text;
use crate::ui::state::{Action, Dialog};

/// What the dialog layer shows.
#[derive(Properties, PartialEq)]
pub struct DialogsProps {
    /// The open dialog.
    pub dialog: Option<Dialog>,
    /// Whether a lesson is being taken (a reset restarts it).
    pub in_lesson: bool,
    /// Sends an action.
    pub on_action: Callback<Action>,
    /// Offers a text as a download.
    pub on_download: Callback<(String, Rc<String>)>,
}

/// The open dialog, if any.
#[component]
pub fn Dialogs(props: &DialogsProps) -> Html {
    let text = use_text();
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.dialog.clone(), move |dialog| {
            #[cfg(target_arch = "wasm32")]
            if let Some(el) = node.cast::<web_sys::HtmlDialogElement>() {
                if dialog.is_some() && !el.open() {
                    let _ = el.show_modal();
                }
            }
            let _ = (&node, dialog);
        });
    }
    let Some(dialog) = &props.dialog else {
        return html! {};
    };
    let act = |action: Action| emit(&props.on_action, action);
    let oncancel = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            e.prevent_default();
            on_action.emit(Action::CloseDialog);
        })
    };
    let (title, body, buttons): (String, Html, Html) = match dialog {
        Dialog::Help => (
            text.help_title.to_string(),
            html! {
                <>
                    <p>{ text.help_keys }</p>
                    <pre class="help-text">{ Playground::help_text() }</pre>
                </>
            },
            html! { <button type="button" class="btn btn-primary" onclick={act(Action::CloseDialog)}>{ text.close }</button> },
        ),
        Dialog::ConfirmReset => (
            text.reset_title.to_string(),
            html! { <p>{ if props.in_lesson { text.restart_lesson_body } else { text.reset_body } }</p> },
            html! {
                <>
                    <button type="button" class="btn" onclick={act(Action::CloseDialog)}>{ text.cancel }</button>
                    <button type="button" class="btn btn-danger" onclick={act(Action::Reset)}>{ text.reset }</button>
                </>
            },
        ),
        Dialog::Tour(step) => {
            let (name, body) = text.tour[(*step).min(text.tour.len() - 1)];
            let last = *step + 1 >= text.tour.len();
            (
                format!("{name} ({}/{})", step + 1, text.tour.len()),
                html! { <p>{ body }</p> },
                html! {
                    <>
                        if !last {
                            <button type="button" class="btn" onclick={act(Action::CloseDialog)}>{ text.done }</button>
                        }
                        <button type="button" class="btn btn-primary" onclick={act(Action::TourNext)}>
                            { if last { text.done } else { text.next } }
                        </button>
                    </>
                },
            )
        }
        Dialog::Share { url, transcript } => {
            let copy = |text: Rc<String>| {
                Callback::from(move |_: MouseEvent| {
                    crate::ui::clipboard::write(&text);
                })
            };
            let download = {
                let on_download = props.on_download.clone();
                let transcript = transcript.clone();
                Callback::from(move |_: MouseEvent| {
                    on_download.emit((
                        "kubelet-playground-transcript.txt".into(),
                        transcript.clone(),
                    ))
                })
            };
            (
                text.share_title.to_string(),
                html! {
                    <>
                        <p>{ text.share_body }</p>
                        <label class="share-link">
                            <span>{ text.link_label.replace("{}", &url.chars().count().to_string()) }</span>
                            <input type="text" readonly=true value={url.clone()} />
                        </label>
                    </>
                },
                html! {
                    <>
                        <button type="button" class="btn" onclick={copy(Rc::new(url.clone()))}>{ text.copy_link }</button>
                        <button type="button" class="btn" onclick={copy(transcript.clone())}>{ text.copy_transcript }</button>
                        <button type="button" class="btn" onclick={download}>{ text.download_transcript }</button>
                        <button type="button" class="btn btn-primary" onclick={act(Action::CloseDialog)}>{ text.close }</button>
                    </>
                },
            )
        }
        Dialog::StartFailed(reason) => (
            text.start_failed.to_string(),
            html! { <p>{ reason }</p> },
            html! { <button type="button" class="btn btn-primary" onclick={act(Action::CloseDialog)}>{ text.close }</button> },
        ),
        Dialog::RestoreFailed { reason, raw } => {
            let download = {
                let on_download = props.on_download.clone();
                let raw = raw.clone();
                Callback::from(move |_: MouseEvent| {
                    on_download.emit((
                        "kubelet-playground-damaged-session.json".into(),
                        raw.clone(),
                    ))
                })
            };
            (
                text.restore_failed.to_string(),
                html! { <p>{ reason }</p> },
                html! {
                    <>
                        <button type="button" class="btn" onclick={download}>{ text.download_damaged }</button>
                        <button type="button" class="btn btn-primary" onclick={act(Action::CloseDialog)}>{ text.start_fresh }</button>
                    </>
                },
            )
        }
    };
    html! {
        <dialog ref={node} class="dialog" aria-labelledby="dialog-title" {oncancel}>
            <h2 id="dialog-title">{ title }</h2>
            <div class="dialog-body">{ body }</div>
            <div class="dialog-buttons">{ buttons }</div>
        </dialog>
    }
}
