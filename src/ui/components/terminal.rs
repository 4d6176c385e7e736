//! The terminal: the scrollback as one block per command in a `role="log"` region, and a
//! native `<textarea>` as the line editor (so a phone's soft keyboard, paste and IME all
//! work), with bash's keys: Enter, ↑/↓ history, Tab completion, Ctrl-R, Ctrl-C, Ctrl-L.

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::ui::i18n::use_text;
use crate::ui::line_edit::{
    apply_completion, columns, runs_on_enter, search_back, take_complete, Completed,
};
use crate::ui::state::{Action, Completion, TerminalSnapshot};
use crate::view::terminal::{Block, Origin};

/// Characters per line assumed for completion listings.
const LISTING_WIDTH: usize = 80;

/// What the terminal shows.
#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// The scrollback, prompt and history.
    pub terminal: Rc<TerminalSnapshot>,
    /// Tab completion's last answer.
    pub completion: Option<Rc<Completion>>,
    /// A command is running (the prompt is not shown; Ctrl-C stops it).
    pub busy: bool,
    /// Input is not accepted (a session is being restored).
    pub disabled: bool,
    /// A line to put on the command line (a lesson's solution), with its serial.
    #[prop_or_default]
    pub fill: Option<Rc<(u64, String)>>,
    /// Sends an action.
    pub on_action: Callback<Action>,
}

/// Ctrl-R's state: the query and the history index of the match shown.
#[derive(Debug, Clone, PartialEq)]
struct Search {
    query: String,
    found: Option<usize>,
    /// The line as it was before the search, restored on Ctrl-G.
    original: String,
}

/// The terminal pane's body.
#[component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let text = use_text();
    let input = use_node_ref();
    let log = use_node_ref();
    let line = use_state(String::new);
    // ↑/↓: the history index shown, and the line typed before browsing.
    let browsing = use_mut_ref(|| None::<(usize, String)>);
    let search = use_state(|| None::<Search>);
    let listing = use_state(|| None::<String>);
    let escaped = use_mut_ref(|| false);

    // Keep the newest output in view.
    {
        let log = log.clone();
        use_effect_with(props.terminal.clone(), move |_| {
            if let Some(el) = log.cast::<HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    // Apply Tab completion's answer to the line it was asked for.
    {
        let line = line.clone();
        let listing = listing.clone();
        let input = input.clone();
        use_effect_with(props.completion.clone(), move |completion| {
            let Some(completion) = completion else {
                return;
            };
            if completion.line != *line {
                return;
            }
            match apply_completion(&completion.line, completion.cursor, &completion.candidates) {
                Completed::Inserted(text, cursor) => {
                    line.set(text.clone());
                    listing.set(None);
                    if let Some(area) = input.cast::<HtmlTextAreaElement>() {
                        area.set_value(&text);
                        let at = text[..cursor].encode_utf16().count() as u32;
                        let _ = area.set_selection_range(at, at);
                    }
                }
                Completed::List(words) => listing.set(Some(columns(&words, LISTING_WIDTH))),
                Completed::Nothing => listing.set(None),
            }
        });
    }

    // A lesson's "show solution" puts a line on the command line; the learner runs it.
    {
        let line = line.clone();
        let input = input.clone();
        let listing = listing.clone();
        use_effect_with(props.fill.clone(), move |fill| {
            let Some(fill) = fill else {
                return;
            };
            let text = fill.1.clone();
            line.set(text.clone());
            listing.set(None);
            if let Some(area) = input.cast::<HtmlTextAreaElement>() {
                area.set_value(&text);
                let end = text.encode_utf16().count() as u32;
                let _ = area.focus();
                let _ = area.set_selection_range(end, end);
            }
        });
    }

    let submit = {
        let on_action = props.on_action.clone();
        let line = line.clone();
        let browsing = browsing.clone();
        let listing = listing.clone();
        move |buffer: String| {
            let (commands, rest) = take_complete(&buffer);
            for command in commands {
                on_action.emit(Action::RunCommand(command));
            }
            line.set(rest);
            *browsing.borrow_mut() = None;
            listing.set(None);
        }
    };

    let oninput = {
        let line = line.clone();
        let submit = submit.clone();
        let busy = props.busy;
        Callback::from(move |e: InputEvent| {
            let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let value = area.value();
            // A pasted block, or Enter on a soft keyboard that sent no key event.
            if value.ends_with('\n') && !busy && !take_complete(&value).0.is_empty() {
                submit(value);
            } else {
                line.set(value);
            }
        })
    };

    let onkeydown = {
        let on_action = props.on_action.clone();
        let line = line.clone();
        let browsing = browsing.clone();
        let search = search.clone();
        let listing = listing.clone();
        let escaped = escaped.clone();
        let history = props.terminal.history.clone();
        let busy = props.busy;
        let submit = submit.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let value = area.value();
            let cursor = utf16_to_byte(&value, area.selection_start().ok().flatten().unwrap_or(0));
            let selection_empty = area.selection_start().ok() == area.selection_end().ok();
            let ctrl = e.ctrl_key() || e.meta_key();
            let key = e.key();
            let was_escaped = std::mem::replace(&mut *escaped.borrow_mut(), key == "Escape");

            if let Some(current) = (*search).clone() {
                handle_search_key(
                    &e, &key, ctrl, current, &search, &line, &area, &history, &submit,
                );
                return;
            }
            match (ctrl, key.as_str()) {
                (true, "c") if selection_empty => {
                    e.prevent_default();
                    if busy {
                        on_action.emit(Action::Interrupt);
                    } else {
                        on_action.emit(Action::CancelLine(value));
                        area.set_value("");
                        line.set(String::new());
                    }
                    listing.set(None);
                }
                (true, "l") => {
                    e.prevent_default();
                    on_action.emit(Action::ClearScreen);
                }
                (true, "r") => {
                    e.prevent_default();
                    search.set(Some(Search {
                        query: String::new(),
                        found: None,
                        original: value,
                    }));
                }
                (false, "Enter") if !e.shift_key() => {
                    e.prevent_default();
                    if busy {
                        return;
                    }
                    if runs_on_enter(&value) {
                        area.set_value("");
                        submit(format!("{value}\n"));
                    } else {
                        let continued = format!("{value}\n");
                        area.set_value(&continued);
                        line.set(continued);
                    }
                }
                (false, "Tab") if !e.shift_key() && !was_escaped && !value.is_empty() => {
                    e.prevent_default();
                    on_action.emit(Action::Complete(value, cursor));
                }
                (false, "ArrowUp") if !value[..cursor].contains('\n') => {
                    let mut state = browsing.borrow_mut();
                    let next = match &*state {
                        None if history.is_empty() => return,
                        None => history.len() - 1,
                        Some((0, _)) => return,
                        Some((idx, _)) => idx - 1,
                    };
                    e.prevent_default();
                    let typed = state.take().map_or(value, |(_, typed)| typed);
                    *state = Some((next, typed));
                    set_line(&area, &line, &history[next]);
                }
                (false, "ArrowDown") if !value[cursor..].contains('\n') => {
                    let mut state = browsing.borrow_mut();
                    let Some((idx, typed)) = state.take() else {
                        return;
                    };
                    e.prevent_default();
                    if idx + 1 < history.len() {
                        set_line(&area, &line, &history[idx + 1]);
                        *state = Some((idx + 1, typed));
                    } else {
                        set_line(&area, &line, &typed);
                    }
                }
                (false, "Escape") => listing.set(None),
                _ => (),
            }
        })
    };

    let focus_input = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if !selecting {
                if let Some(area) = input.cast::<HtmlElement>() {
                    let _ = area.focus();
                }
            }
        })
    };

    let lines: Vec<&str> = line.split('\n').collect();
    let prompt = &props.terminal.prompt;
    let gutter: String = lines
        .iter()
        .enumerate()
        .map(|(idx, _)| {
            if idx == 0 {
                prompt.clone()
            } else {
                "> ".to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let search_line = (*search).as_ref().map(|s| {
        let found = s
            .found
            .and_then(|idx| props.terminal.history.get(idx))
            .map_or("", String::as_str);
        format!("(reverse-i-search)`{}': {found}", s.query)
    });

    html! {
        <div class="terminal" onclick={focus_input}>
            <div class="scrollback" role="log" aria-label={text.terminal_output} ref={log} tabindex="-1">
                { for props.terminal.blocks.iter().map(|b| block_html(b, text)) }
                if let Some(listing) = &*listing {
                    <pre class="listing">{ listing }</pre>
                }
            </div>
            <div class={classes!("line-editor", props.busy.then_some("busy"))}>
                if props.busy {
                    <span class="busy-hint">{ text.running_hint }</span>
                } else if let Some(search_line) = search_line {
                    <pre class="prompt-gutter search-line" aria-live="polite">{ search_line }</pre>
                } else {
                    <pre class="prompt-gutter" aria-hidden="true">{ gutter }</pre>
                }
                <textarea
                    ref={input}
                    class="line-input"
                    aria-label={text.terminal}
                    autocomplete="off"
                    autocorrect="off"
                    autocapitalize="off"
                    spellcheck="false"
                    enterkeyhint="send"
                    rows={lines.len().to_string()}
                    disabled={props.disabled}
                    value={(*line).clone()}
                    {oninput}
                    {onkeydown}
                />
            </div>
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn handle_search_key(
    e: &KeyboardEvent,
    key: &str,
    ctrl: bool,
    mut current: Search,
    search: &UseStateHandle<Option<Search>>,
    line: &UseStateHandle<String>,
    area: &HtmlTextAreaElement,
    history: &[String],
    submit: &impl Fn(String),
) {
    let found_text = |s: &Search| {
        s.found
            .and_then(|idx| history.get(idx))
            .cloned()
            .unwrap_or_else(|| s.original.clone())
    };
    match (ctrl, key) {
        (true, "r") => {
            e.prevent_default();
            let before = current.found.unwrap_or(history.len());
            if let Some((idx, _)) = search_back(history, &current.query, before) {
                current.found = Some(idx);
            }
            search.set(Some(current));
        }
        (true, "g") | (true, "c") => {
            e.prevent_default();
            set_line(area, line, &current.original);
            search.set(None);
        }
        (false, "Enter") => {
            e.prevent_default();
            let chosen = found_text(&current);
            search.set(None);
            area.set_value("");
            submit(format!("{chosen}\n"));
        }
        (false, "Backspace") => {
            e.prevent_default();
            current.query.pop();
            current.found = search_back(history, &current.query, history.len()).map(|(i, _)| i);
            search.set(Some(current));
        }
        (false, k) if k.chars().count() == 1 => {
            e.prevent_default();
            current.query.push_str(k);
            current.found = search_back(history, &current.query, history.len()).map(|(i, _)| i);
            search.set(Some(current));
        }
        (false, "Escape" | "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Tab") => {
            e.prevent_default();
            set_line(area, line, &found_text(&current));
            search.set(None);
        }
        _ => (),
    }
}

fn set_line(area: &HtmlTextAreaElement, line: &UseStateHandle<String>, text: &str) {
    area.set_value(text);
    let end = text.encode_utf16().count() as u32;
    let _ = area.set_selection_range(end, end);
    line.set(text.to_string());
}

/// The byte offset of UTF-16 position `pos` in `text` (the DOM counts UTF-16 units).
fn utf16_to_byte(text: &str, pos: u32) -> usize {
    let mut units = 0u32;
    for (idx, ch) in text.char_indices() {
        if units >= pos {
            return idx;
        }
        units += ch.len_utf16() as u32;
    }
    text.len()
}

/// One block: the prompt line and the output, as text (never as HTML).
fn block_html(block: &Block, text: &'static crate::ui::text::Text) -> Html {
    let pane = match &block.origin {
        Origin::Typed => None,
        Origin::Pane(name) if name == "Pods" => Some(text.pods),
        Origin::Pane(name) if name == "Nodes" => Some(text.nodes),
        Origin::Pane(_) => Some(text.panes),
    };
    let running = block.exit_code.is_none();
    html! {
        <div key={block.id} class={classes!("block", running.then_some("running"), pane.as_ref().map(|_| "from-pane"))}>
            <div class="block-command">
                <span class="prompt">{ block.prompt() }</span>
                <span class="command">{ &block.command }</span>
                if block.cancelled {
                    <span class="ctrl-c">{ "^C" }</span>
                }
                if let Some(pane) = pane {
                    <span class="block-origin">{ text.from_pane.replace("{}", pane) }</span>
                }
            </div>
            if block.dropped > 0 {
                <div class="block-dropped">{ text.dropped.replace("{}", &block.dropped.to_string()) }</div>
            }
            if !block.output.is_empty() {
                <pre class="block-output">{ &block.output }</pre>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_map_to_bytes() {
        assert_eq!(utf16_to_byte("abc", 2), 2);
        assert_eq!(utf16_to_byte("é1", 1), 2);
        assert_eq!(utf16_to_byte("🙂x", 2), 4);
        assert_eq!(utf16_to_byte("ab", 9), 2);
    }
}
