//! The replay scrubber: a slider over the session's recorded history. Dragging it (or its
//! arrow keys, Page Up/Down, Home and End) shows the panes as they were then, read-only;
//! "Return to now" (or End) shows now again and resumes the clock if it ran.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ui::state::Action;
use crate::ui::text::inside::InsideText;

/// One second of virtual time per arrow key.
const STEP_MS: u64 = 1000;

/// What the scrubber needs.
#[derive(Properties, PartialEq)]
pub struct ScrubberProps {
    /// The earliest instant it reaches (virtual ms since arrival).
    pub earliest_ms: u64,
    /// Now (virtual ms since arrival).
    pub now_ms: u64,
    /// The instant shown when it is in the past, with its readout.
    pub past: Option<(u64, String)>,
    /// The pane's strings.
    pub text: &'static InsideText,
    /// Where scrubbing goes.
    pub on_action: Callback<Action>,
}

/// The scrubber.
#[component]
pub fn Scrubber(props: &ScrubberProps) -> Html {
    let text = props.text;
    // The slider's range ends at the next whole step past now, so now is always reachable;
    // at now the thumb sits at the end.
    let max = props.now_ms.div_ceil(STEP_MS) * STEP_MS;
    let value = props.past.as_ref().map_or(max, |(ms, _)| *ms);
    let on_input = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            if let Ok(ms) = input.value().parse::<f64>() {
                on_action.emit(Action::Scrub(ms.max(0.0) as u64));
            }
        })
    };
    let on_return = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(Action::ReturnToNow))
    };
    let readout = match &props.past {
        Some((_, stamp)) => text.viewing_past.replace("{}", stamp),
        None => text.live.to_string(),
    };
    html! {
        <div class={classes!("scrubber", props.past.is_some().then_some("in-past"))}>
            <label class="scrub-label">
                <span>{ text.scrubber }</span>
                <input type="range" min={props.earliest_ms.to_string()} max={max.to_string()}
                    step={STEP_MS.to_string()} value={value.to_string()}
                    aria-valuetext={readout.clone()} oninput={on_input} />
            </label>
            <span class="scrub-readout" role="status">{ readout }</span>
            if props.past.is_some() {
                <button type="button" class="btn return-now" onclick={on_return}>{ text.return_to_now }</button>
            }
        </div>
    }
}
