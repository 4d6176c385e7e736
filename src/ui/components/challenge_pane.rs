//! An exam-style challenge in the lesson panel: the task and nothing more, a countdown from
//! the challenge's time limit, and a result that scores each check and explains each miss
//! (shown when the learner asks, and by itself when the time is up).

use std::rc::Rc;

use yew::prelude::*;

use super::emit;

use crate::ui::components::doc::DocView;
use crate::ui::i18n::use_text;
use crate::ui::state::{Action, ChallengeClock};
use crate::view::lesson::{ChallengeView, LessonView};

/// What the challenge panel shows.
#[derive(Properties, PartialEq)]
pub struct ChallengePaneProps {
    /// The challenge being taken.
    pub lesson: Rc<LessonView>,
    /// Whether the learner asked for the result.
    pub results: bool,
    /// When this attempt started.
    pub clock: Option<ChallengeClock>,
    /// Commands cannot run now.
    pub busy: bool,
    /// Sends an action.
    pub on_action: Callback<Action>,
    /// Draws another variant of the challenge.
    pub on_new: Callback<()>,
}

/// The challenge panel.
#[component]
pub fn ChallengePane(props: &ChallengePaneProps) -> Html {
    let text = use_text();
    let limit_ms = u64::from(props.lesson.entry.minutes) * 60_000;
    let deadline = props.clock.as_ref().map(|c| c.started_ms + limit_ms);
    let left = use_countdown(deadline);
    let Some(challenge) = &props.lesson.challenge else {
        return html! {};
    };
    let expired = left == Some(0);
    let act = |action: Action| emit(&props.on_action, action);
    let on_new = {
        let on_new = props.on_new.clone();
        Callback::from(move |_: MouseEvent| on_new.emit(()))
    };
    let timer = match left {
        Some(0) => text.time_up.to_string(),
        Some(ms) => text.time_left.replace("{}", &clock_text(ms)),
        None => text
            .time_limit
            .replace("{}", &props.lesson.entry.minutes.to_string()),
    };
    let show_results = props.results || expired;
    html! {
        <div class="lesson challenge">
            <div class="lesson-head">
                <p class="challenge-badge">{ text.challenge_badge }</p>
                <h3 class="lesson-title">{ &props.lesson.entry.title }</h3>
                <p class={classes!("challenge-timer", expired.then_some("expired"))} role="timer">{ timer }</p>
            </div>
            <section class="step" aria-label={text.challenge_badge}>
                <div class="step-text">
                    <DocView doc={challenge.task.clone()} busy={props.busy} on_action={props.on_action.clone()} />
                </div>
            </section>
            if show_results {
                { results(challenge, text) }
            }
            <div class="lesson-buttons">
                if show_results && !expired {
                    <button type="button" class="btn" onclick={act(Action::ShowResults(false))}>{ text.keep_working }</button>
                } else if !show_results {
                    <button type="button" class="btn btn-primary" onclick={act(Action::ShowResults(true))}>{ text.check_work }</button>
                }
                <button type="button" class="btn" onclick={act(Action::AskReset)}>{ text.retry }</button>
                <button type="button" class="btn" onclick={on_new}>{ text.new_challenge }</button>
            </div>
        </div>
    }
}

fn results(challenge: &ChallengeView, text: &'static crate::ui::text::Text) -> Html {
    let passed = challenge.checks.iter().filter(|c| c.passed).count();
    let score = text
        .score
        .replace("{n}", &passed.to_string())
        .replace("{of}", &challenge.checks.len().to_string());
    html! {
        <section class="results" aria-labelledby="results-title">
            <h4 id="results-title">{ text.results_title }</h4>
            <p class="score" role="status">{ score }</p>
            <ul class="result-checks">
                { for challenge.checks.iter().map(|check| html! {
                    <li class={classes!("result-check", if check.passed { "passed" } else { "missed" })}>
                        <span class="check-mark" aria-hidden="true">{ if check.passed { "✓" } else { "✗" } }</span>
                        <div>
                            <p class="check-title">
                                { &check.title }
                                <span class="visually-hidden">{ format!(" ({})", if check.passed { text.passed } else { text.missed }) }</span>
                            </p>
                            if !check.passed {
                                <div class="miss">
                                    <DocView doc={check.miss.clone()} on_action={Callback::noop()} />
                                </div>
                            }
                        </div>
                    </li>
                }) }
            </ul>
        </section>
    }
}

/// `m:ss` for a number of milliseconds, rounded up to the second.
fn clock_text(ms: u64) -> String {
    let secs = ms.div_ceil(1000);
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// Milliseconds until `deadline` (Unix epoch ms), refreshed every second; `Some(0)` once it
/// passed, `None` without a deadline.
#[hook]
fn use_countdown(deadline: Option<u64>) -> Option<u64> {
    let left = move || deadline.map(|d| d.saturating_sub(crate::ui::wall::epoch_ms() as u64));
    let state = use_state(left);
    {
        let state = state.clone();
        use_effect_with(deadline, move |_| {
            state.set(left());
            #[cfg(target_arch = "wasm32")]
            let interval = gloo::timers::callback::Interval::new(1000, move || state.set(left()));
            #[cfg(not(target_arch = "wasm32"))]
            let _ = state;
            move || {
                #[cfg(target_arch = "wasm32")]
                drop(interval);
            }
        });
    }
    *state
}

#[cfg(test)]
mod tests {
    use super::clock_text;

    #[test]
    fn the_timer_reads_minutes_and_seconds_rounded_up() {
        assert_eq!(clock_text(480_000), "8:00");
        assert_eq!(clock_text(61_001), "1:02");
        assert_eq!(clock_text(999), "0:01");
        assert_eq!(clock_text(0), "0:00");
    }
}
