//! The lesson panel beside the terminal: the checklist, the open step (its question first,
//! then its text with click-to-run commands), hints one at a time, the reference solution
//! offered onto the command line, restart step and restart lesson, and the lesson's end. A
//! challenge shows its own panel instead.

use std::rc::Rc;

use yew::prelude::*;

use super::emit;

use crate::ui::components::challenge_pane::ChallengePane;
use crate::ui::components::doc::DocView;
use crate::ui::i18n::use_text;
use crate::ui::state::{Action, ChallengeClock, FileKey, Guide};
use crate::ui::text::Text;
use crate::view::lesson::{
    Difficulty, LessonView, OpenStep, QuestionView, SolutionItem, StepState,
};

/// What the panel shows.
#[derive(Properties, PartialEq)]
pub struct LessonPaneProps {
    /// The lesson being taken.
    pub lesson: Rc<LessonView>,
    /// What the learner asked of the open step.
    pub guide: Guide,
    /// Commands cannot run now.
    pub busy: bool,
    /// Sends an action.
    pub on_action: Callback<Action>,
    /// Takes another lesson (`None`: the sandbox).
    pub on_pick: Callback<Option<String>>,
    /// When the challenge being taken started.
    pub clock: Option<ChallengeClock>,
    /// Draws another variant of the challenge being taken.
    pub on_new_challenge: Callback<()>,
    /// Where an author's lesson came from (shown so the learner knows whose it is).
    #[prop_or_default]
    pub origin: Option<String>,
}

/// The lesson panel.
#[component]
pub fn LessonPane(props: &LessonPaneProps) -> Html {
    let text = use_text();
    let lesson = &props.lesson;
    if lesson.challenge.is_some() {
        return html! {
            <ChallengePane lesson={lesson.clone()} results={props.guide.results}
                clock={props.clock.clone()} busy={props.busy}
                on_action={props.on_action.clone()} on_new={props.on_new_challenge.clone()} />
        };
    }
    let act = |action: Action| emit(&props.on_action, action);
    let announce = lesson
        .completed
        .checked_sub(1)
        .and_then(|last| lesson.steps.get(last))
        .map(|step| text.step_done.replace("{}", &step.title))
        .unwrap_or_default();
    let body = match &lesson.open {
        Some(open) => step_html(open, lesson.steps.len(), props, text),
        None => {
            let next = lesson.next.as_ref().map(|next| {
                let on_pick = props.on_pick.clone();
                let id = next.id.clone();
                html! {
                    <button type="button" class="btn btn-primary"
                        onclick={Callback::from(move |_: MouseEvent| on_pick.emit(Some(id.clone())))}>
                        { text.next_lesson.replace("{}", &next.title) }
                    </button>
                }
            });
            let on_pick = props.on_pick.clone();
            html! {
                <section class="lesson-done" aria-labelledby="lesson-done-title">
                    <h3 id="lesson-done-title">{ format!("✓ {}", text.lesson_done) }</h3>
                    <p>{ text.lesson_done_body }</p>
                    <div class="lesson-buttons">
                        { for next }
                        <button type="button" class="btn"
                            onclick={Callback::from(move |_: MouseEvent| on_pick.emit(None))}>{ text.to_sandbox }</button>
                        <button type="button" class="btn" onclick={act(Action::AskReset)}>{ text.restart_lesson }</button>
                    </div>
                </section>
            }
        }
    };
    html! {
        <div class="lesson">
            <div class="lesson-head">
                if let Some(origin) = &props.origin {
                    <p class="lesson-origin">{ text.from_origin.replace("{}", origin) }</p>
                }
                <h3 class="lesson-title">{ &lesson.entry.title }</h3>
                <p class="lesson-meta">
                    { format!("{} · {}", difficulty(lesson.entry.difficulty, text),
                        text.minutes.replace("{}", &lesson.entry.minutes.to_string())) }
                </p>
            </div>
            <ol class="checklist" aria-label={text.steps_label}>
                { for lesson.steps.iter().map(|step| {
                    let (mark, class) = match step.state {
                        StepState::Done => ("✓", "done"),
                        StepState::Open => ("▸", "open"),
                        StepState::Ahead => ("○", "ahead"),
                    };
                    html! {
                        <li class={classes!("check", class)}
                            aria-current={(step.state == StepState::Open).then_some("step")}>
                            <span class="check-mark" aria-hidden="true">{ mark }</span>
                            { &step.title }
                            if step.state == StepState::Done {
                                <span class="visually-hidden">{ format!(" ({})", text.done_mark) }</span>
                            }
                        </li>
                    }
                }) }
            </ol>
            <p class="visually-hidden" role="status">{ announce }</p>
            { body }
        </div>
    }
}

fn difficulty(d: Difficulty, text: &Text) -> &'static str {
    match d {
        Difficulty::Beginner => text.beginner,
        Difficulty::Intermediate => text.intermediate,
        Difficulty::Advanced => text.advanced,
    }
}

fn step_html(open: &OpenStep, steps: usize, props: &LessonPaneProps, text: &Text) -> Html {
    let act = |action: Action| emit(&props.on_action, action);
    let guide = &props.guide;
    let asking = open.question.is_some() && guide.answer.is_none();
    let count = text
        .step_of
        .replace("{n}", &(open.index + 1).to_string())
        .replace("{of}", &steps.to_string());
    html! {
        <section class="step" aria-labelledby="step-title">
            <p class="step-count">{ count }</p>
            <h3 id="step-title" class="step-title">{ &open.title }</h3>
            if let Some(question) = &open.question {
                { question_html(question, guide.answer, props, text) }
            }
            if !asking {
                <div class="step-text">
                    <DocView doc={open.text.clone()} busy={props.busy} on_action={props.on_action.clone()} />
                </div>
                { hints_html(open, guide, props, text) }
                { solution_html(open, guide, props, text) }
            }
            <div class="lesson-buttons">
                <button type="button" class="btn" onclick={act(Action::RestartStep)}>{ text.restart_step }</button>
                <button type="button" class="btn" onclick={act(Action::AskReset)}>{ text.restart_lesson }</button>
            </div>
        </section>
    }
}

fn question_html(
    question: &QuestionView,
    answer: Option<usize>,
    props: &LessonPaneProps,
    text: &Text,
) -> Html {
    let choices = question.choices.iter().enumerate().map(|(n, (doc, correct))| {
        let class = match answer {
            Some(_) if *correct => Some("right"),
            Some(picked) if picked == n => Some("wrong"),
            _ => None,
        };
        html! {
            <li>
                <button type="button" class={classes!("choice", class)} disabled={answer.is_some()}
                    aria-pressed={(answer == Some(n)).to_string()}
                    onclick={emit(&props.on_action, Action::Answer(n))}>
                    <DocView doc={doc.clone()} inline=true on_action={props.on_action.clone()} />
                </button>
            </li>
        }
    });
    let verdict = answer.map(|picked| {
        let right = question.choices.get(picked).is_some_and(|(_, c)| *c);
        html! {
            <div class="explanation" role="status">
                <p class={classes!("verdict", if right { "right" } else { "wrong" })}>
                    { if right { text.right } else { text.not_quite } }
                </p>
                <DocView doc={question.explanation.clone()} on_action={props.on_action.clone()} />
            </div>
        }
    });
    html! {
        <div class="question" role="group" aria-labelledby="question-title">
            <h4 id="question-title">{ text.predict }</h4>
            <DocView doc={question.prompt.clone()} on_action={props.on_action.clone()} />
            <ul class="choices">{ for choices }</ul>
            { for verdict }
        </div>
    }
}

fn hints_html(open: &OpenStep, guide: &Guide, props: &LessonPaneProps, text: &Text) -> Html {
    let shown = guide.hints_shown.min(open.hints.len());
    let more = emit(&props.on_action, Action::ShowHint);
    let note = if guide.hints_shown > 0 && open.hints.is_empty() {
        Some(text.no_hint)
    } else if guide.hints_shown > open.hints.len() {
        Some(text.no_more_hints)
    } else {
        None
    };
    html! {
        <div class="hints">
            { for open.hints[..shown].iter().map(|hint| html! {
                <aside class="hint"><DocView doc={hint.clone()} busy={props.busy} on_action={props.on_action.clone()} /></aside>
            }) }
            if let Some(note) = note {
                <p class="hint-note" role="status">{ note }</p>
            }
            if guide.hints_shown <= open.hints.len() {
                <button type="button" class="btn" onclick={more}>
                    { if shown == 0 { text.show_hint } else { text.another_hint } }
                </button>
            }
        </div>
    }
}

fn solution_html(open: &OpenStep, guide: &Guide, props: &LessonPaneProps, text: &Text) -> Html {
    let toggle = emit(&props.on_action, Action::ToggleSolution);
    let items = open.solution.iter().map(|item| match item {
        SolutionItem::Command(command) => {
            html! {
                <li class="solution-command">
                    <pre><code>{ command }</code></pre>
                    <button type="button" class="btn"
                        onclick={emit(&props.on_action, Action::FillLine(command.clone()))}>
                        { text.to_line }
                    </button>
                </li>
            }
        }
        SolutionItem::File {
            host,
            path,
            text: content,
        } => {
            let key = FileKey {
                host: host.clone(),
                path: path.clone(),
            };
            html! {
                <li class="solution-file">
                    <p>{ text.file_on.replace("{path}", path).replace("{host}", host) }</p>
                    <pre><code>{ content }</code></pre>
                    <button type="button" class="btn"
                        onclick={emit(&props.on_action, Action::OpenWithText(key, content.clone()))}>
                        { text.to_editor }
                    </button>
                </li>
            }
        }
    });
    html! {
        <div class="solution">
            <button type="button" class="btn" aria-expanded={guide.solution.to_string()} onclick={toggle}>
                { if guide.solution { text.hide_solution } else { text.show_solution } }
            </button>
            if guide.solution {
                <p class="solution-note">{ text.solution_note }</p>
                <ol class="solution-items">{ for items }</ol>
            }
        </div>
    }
}
