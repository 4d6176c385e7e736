//! Compiled lesson Markdown as plain elements and text nodes (never HTML strings): headings,
//! paragraphs, lists, quotes, code, and command blocks with Run and Copy buttons.

use yew::prelude::*;

use crate::ui::i18n::use_text;
use crate::ui::state::Action;
use crate::view::lesson::{Block, Inline};

/// What a document is drawn with.
#[derive(Properties, PartialEq)]
pub struct DocProps {
    /// The blocks.
    pub doc: Vec<Block>,
    /// Command blocks cannot run now (a command is running, or a session is being restored).
    #[prop_or_default]
    pub busy: bool,
    /// Paragraphs become spans, for a document inside a button (a question's answer).
    #[prop_or_default]
    pub inline: bool,
    /// Sends an action (a command block's Run).
    pub on_action: Callback<Action>,
}

/// A compiled Markdown document.
#[component]
pub fn DocView(props: &DocProps) -> Html {
    html! { <>{ for props.doc.iter().map(|b| block(b, props)) }</> }
}

fn block(node: &Block, props: &DocProps) -> Html {
    match node {
        Block::Paragraph(inlines) if props.inline => {
            html! { <span class="doc-para">{ inline_all(inlines) }</span> }
        }
        Block::Paragraph(inlines) => html! { <p>{ inline_all(inlines) }</p> },
        Block::Heading { level, content } => {
            // A lesson's headings sit under the step's own heading.
            let tag = format!("h{}", (level + 3).min(6));
            html! { <@{tag} class="doc-heading">{ inline_all(content) }</@> }
        }
        Block::List { start, items } => {
            let items = items.iter().map(|item| {
                html! { <li>{ for item.iter().map(|b| block(b, props)) }</li> }
            });
            match start {
                Some(n) => html! { <ol start={n.to_string()}>{ for items }</ol> },
                None => html! { <ul>{ for items }</ul> },
            }
        }
        Block::Quote(inner) => {
            html! { <blockquote>{ for inner.iter().map(|b| block(b, props)) }</blockquote> }
        }
        Block::Command(text) => html! {
            <CommandBlock text={text.clone()} busy={props.busy} on_action={props.on_action.clone()} />
        },
        Block::Code { text, .. } => html! { <pre class="doc-code"><code>{ text }</code></pre> },
        Block::Rule => html! { <hr /> },
    }
}

fn inline_all(inlines: &[Inline]) -> Html {
    html! { <>{ for inlines.iter().map(inline) }</> }
}

fn inline(inline: &Inline) -> Html {
    match inline {
        Inline::Text(text) => html! { { text } },
        Inline::Code(text) => html! { <code>{ text }</code> },
        Inline::Emphasis(inner) => html! { <em>{ inline_all(inner) }</em> },
        Inline::Strong(inner) => html! { <strong>{ inline_all(inner) }</strong> },
        // The compiler refuses anything but http(s) links; checked again here because an
        // author's lesson file may come from anywhere.
        Inline::Link { href, content }
            if href.starts_with("https://") || href.starts_with("http://") =>
        {
            html! { <a href={href.clone()} target="_blank" rel="noopener noreferrer">{ inline_all(content) }</a> }
        }
        Inline::Link { content, .. } => inline_all(content),
        Inline::Break => html! { <br /> },
    }
}

#[derive(Properties, PartialEq)]
struct CommandProps {
    text: String,
    busy: bool,
    on_action: Callback<Action>,
}

/// A command the learner can run (echoed into the terminal as if typed) or copy.
#[component]
fn CommandBlock(props: &CommandProps) -> Html {
    let text = use_text();
    let copied = use_state(|| false);
    let run = {
        let on_action = props.on_action.clone();
        let command = props.text.clone();
        Callback::from(move |_: MouseEvent| {
            for action in Action::typed(&command) {
                on_action.emit(action);
            }
        })
    };
    let copy = {
        let command = props.text.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            if crate::ui::clipboard::write(&command) {
                copied.set(true);
            }
        })
    };
    html! {
        <div class="command-block">
            <pre><code>{ &props.text }</code></pre>
            <div class="command-buttons">
                <button type="button" class="btn btn-primary run-block" disabled={props.busy}
                    aria-label={text.run_label.replace("{}", &props.text)} onclick={run}>{ text.run }</button>
                <button type="button" class="btn" onclick={copy}>
                    { if *copied { text.copied } else { text.copy } }
                </button>
            </div>
        </div>
    }
}
