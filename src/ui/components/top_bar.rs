//! The top bar: name, lesson picker, time controls and clock readout, and the session's
//! buttons (reset, export, import, theme, help).

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use super::emit;

use crate::ui::i18n::use_text;
use crate::ui::state::{Action, Theme, SPEEDS};
use crate::ui::text::LANGUAGES;
use crate::view::lesson::LessonEntry;
use crate::view::ClockView;

/// What the bar shows.
#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    /// Whether the clock runs.
    pub playing: bool,
    /// The chosen speed.
    pub speed: u32,
    /// The speed reached when the simulation falls behind.
    pub effective_speed: Option<u32>,
    /// The clock readout.
    pub clock: ClockView,
    /// The theme now shown.
    pub theme: Theme,
    /// The language tag the chrome speaks.
    pub lang: &'static str,
    /// A long command is fast-forwarding the clock: its progress in percent.
    pub fast_forward: Option<u32>,
    /// The course, for the lesson picker.
    pub course: Rc<Vec<LessonEntry>>,
    /// Steps done per lesson ID.
    pub progress: Rc<BTreeMap<String, usize>>,
    /// The lesson being taken (`None`: the sandbox).
    pub lesson: Option<String>,
    /// Takes another lesson.
    pub on_pick: Callback<Option<String>>,
    /// Sends an action.
    pub on_action: Callback<Action>,
    /// Exports the session as a file.
    pub on_export: Callback<()>,
    /// Opens the share dialog.
    pub on_share: Callback<()>,
    /// The compact layout of an embedded playground.
    pub embed: bool,
    /// Opens this session in the full playground (embedded only).
    pub on_open_full: Callback<()>,
    /// Imports a session file.
    pub on_import: Callback<web_sys::Event>,
}

/// The top bar.
#[component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let text = use_text();
    let act = |action: Action| emit(&props.on_action, action);
    let play = if props.playing {
        html! { <button type="button" class="btn btn-primary" onclick={act(Action::Pause)}>{ text.pause }</button> }
    } else {
        html! { <button type="button" class="btn btn-primary" onclick={act(Action::Play)}>{ text.play }</button> }
    };
    let on_speed = {
        let on_action = props.on_action.clone();
        move |speed: u32| {
            let on_action = on_action.clone();
            Callback::from(move |_: Event| on_action.emit(Action::SetSpeed(speed)))
        }
    };
    let (theme_label, theme_next) = match props.theme {
        Theme::Dark => (text.light_theme, Theme::Light),
        Theme::Light => (text.dark_theme, Theme::Dark),
    };
    let behind = props
        .effective_speed
        .filter(|_| props.playing)
        .map(|s| text.running_at.replace("{}", &format!("{s}×")));
    let on_language = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                on_action.emit(Action::SetLanguage(select.value()));
            }
        })
    };
    let on_lesson = {
        let on_pick = props.on_pick.clone();
        let current = props.lesson.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let value = select.value();
                let picked = (!value.is_empty()).then_some(value);
                if picked != current {
                    on_pick.emit(picked);
                }
            }
        })
    };
    let import = {
        let on_import = props.on_import.clone();
        Callback::from(move |e: Event| on_import.emit(e))
    };
    let share = {
        let on_share = props.on_share.clone();
        Callback::from(move |_: MouseEvent| on_share.emit(()))
    };
    let open_full = {
        let on_open_full = props.on_open_full.clone();
        Callback::from(move |_: MouseEvent| on_open_full.emit(()))
    };
    let export = {
        let on_export = props.on_export.clone();
        Callback::from(move |_: MouseEvent| on_export.emit(()))
    };
    html! {
        <header class="top-bar">
            <div class="brand">
                <h1 class="app-title">{ "kubelet-playground" }</h1>
                <p class="app-tagline">{ text.tagline }</p>
            </div>
            <label class="picker">
                <span class="label">{ text.language }</span>
                <select onchange={on_language}>
                    { for LANGUAGES.iter().map(|(tag, name, _)| html! {
                        <option value={*tag} selected={*tag == props.lang} lang={*tag}>{ *name }</option>
                    }) }
                </select>
            </label>
            <label class="picker lesson-choice">
                <span class="label">{ text.lesson }</span>
                <select class="lesson-picker" onchange={on_lesson} title={text.choose_lesson}>
                    <option value="" selected={props.lesson.is_none()}>{ text.sandbox }</option>
                    { for props.course.iter().enumerate().map(|(n, entry)| {
                        let done = props.progress.get(&entry.id).copied().unwrap_or(0);
                        let mark = if done >= entry.steps {
                            format!(" ✓ {}", text.done_mark)
                        } else if done > 0 {
                            format!(" ({done}/{})", entry.steps)
                        } else {
                            String::new()
                        };
                        let selected = props.lesson.as_deref() == Some(entry.id.as_str());
                        html! {
                            <option value={entry.id.clone()} {selected}>
                                { format!("{}. {}{mark}", n + 1, entry.title) }
                            </option>
                        }
                    }) }
                </select>
            </label>
            <div class="time-controls" role="group" aria-label={text.time}>
                { play }
                <button type="button" class="btn" onclick={act(Action::Step)} title={text.step_hint}>{ text.step }</button>
                <fieldset class="speeds">
                    <legend class="visually-hidden">{ text.speed }</legend>
                    { for SPEEDS.iter().map(|&speed| html! {
                        <label class={classes!("speed", (speed == props.speed).then_some("chosen"))}>
                            <input type="radio" name="speed" value={speed.to_string()}
                                checked={speed == props.speed} onchange={on_speed(speed)} />
                            { format!("{speed}×") }
                        </label>
                    }) }
                </fieldset>
                <div class="clock" role="status" aria-label={text.clock}>
                    <span class="clock-date">{ &props.clock.date }</span>
                    <span class="clock-elapsed">{ format!("{} {}", props.clock.elapsed, text.since_arrival) }</span>
                    if let Some(pct) = props.fast_forward {
                        <span class="clock-note">{ text.fast_forward.replace("{}", &pct.to_string()) }</span>
                    } else if let Some(note) = behind {
                        <span class="clock-note">{ note }</span>
                    }
                </div>
            </div>
            <div class="session-controls">
                if props.embed {
                    <button type="button" class="btn btn-primary open-full" onclick={open_full}>{ text.open_full }</button>
                }
                <button type="button" class="btn" onclick={act(Action::AskReset)}>{ text.reset }</button>
                <button type="button" class="btn" onclick={share}>{ text.share }</button>
                <button type="button" class="btn export-btn" onclick={export}>{ text.export }</button>
                <label class="btn file-btn">
                    { text.import }
                    <input type="file" accept=".json,application/json" class="visually-hidden" onchange={import} />
                </label>
                <button type="button" class="btn" onclick={act(Action::SetTheme(theme_next))}>{ theme_label }</button>
                <button type="button" class="btn" onclick={act(Action::Show(crate::ui::state::Dialog::Help))}>{ text.help }</button>
            </div>
        </header>
    }
}
