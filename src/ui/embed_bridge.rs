//! The embedding protocol in the page: when the playground runs in an iframe it says `ready`,
//! reports completed steps, lessons and commands to its parent, and carries out the parent's
//! requests. With `?parentOrigin=` it talks to that origin only; anything malformed, unknown or
//! from another version is ignored with a console warning.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::embed::{message, Incoming, Outgoing};
use crate::ui::state::{Action, Store};

/// What was already reported to the parent.
#[derive(Debug, Default)]
struct Reported {
    /// The newest finished block reported.
    block: Option<u64>,
    /// The lesson and how many of its steps were reported done.
    lesson: Option<(String, usize)>,
}

/// The messages `store` gives rise to since `reported`, which it then remembers.
fn news(store: &Store, reported: &mut Reported) -> Vec<Outgoing> {
    let mut out = Vec::new();
    let last = reported.block;
    let finished = store
        .terminal
        .blocks
        .iter()
        .filter(|b| b.exit_code.is_some())
        .filter(|b| last.is_none_or(|last| b.id > last));
    for block in finished {
        out.push(Outgoing::Command {
            host: block.host.clone(),
            command: block.command.clone(),
            exit_code: block.exit_code.unwrap_or_default(),
        });
        reported.block = Some(block.id);
    }
    if let Some(lesson) = &store.lesson {
        let id = lesson.entry.id.clone();
        let before = match &reported.lesson {
            Some((seen, done)) if *seen == id => *done,
            // A lesson (re)opened: what its replay already completed is not news.
            _ => lesson.completed,
        };
        for step in before..lesson.completed {
            out.push(Outgoing::StepCompleted {
                lesson: id.clone(),
                step: step + 1,
            });
        }
        if lesson.completed > before && lesson.open.is_none() {
            out.push(Outgoing::LessonCompleted { lesson: id.clone() });
        }
        reported.lesson = Some((id, lesson.completed));
    }
    out
}

/// The actions a parent's request becomes.
fn actions(request: Incoming) -> Vec<Action> {
    match request {
        Incoming::LoadLesson { lesson, step } => {
            let mut actions = vec![Action::SwitchLesson(Some(lesson), None)];
            actions.extend(step.map(Action::SkipToStep));
            actions
        }
        Incoming::RunCommand(command) => Action::typed(&command),
        Incoming::Reset => vec![Action::Reset],
        Incoming::SetSpeed(speed) => vec![Action::SetSpeed(speed)],
    }
}

/// Talks to the parent page when there is one.
#[hook]
pub fn use_embed_bridge(store: Rc<Store>, dispatch: Callback<Action>, origin: Option<String>) {
    let reported = use_mut_ref(|| Reported {
        // Whatever the page shows when it opens was done before the parent listened.
        block: store.terminal.blocks.last().map(|b| b.id),
        lesson: store
            .lesson
            .as_ref()
            .map(|l| (l.entry.id.clone(), l.completed)),
    });
    {
        let origin = origin.clone();
        use_effect_with((), move |()| {
            let listener = glue::listen(origin, move |request| {
                for action in actions(request) {
                    dispatch.emit(action);
                }
            });
            move || {
                let _stop = listener;
            }
        });
    }
    let terminal = store.terminal.clone();
    let lesson = store.lesson.clone();
    use_effect_with((terminal, lesson), move |_| {
        let news = news(&store, &mut reported.borrow_mut());
        for outgoing in news {
            glue::post(&message(&outgoing), origin.as_deref());
        }
    });
}

#[cfg(target_arch = "wasm32")]
mod glue {
    use wasm_bindgen::{JsCast, JsValue};

    use super::Incoming;
    use crate::ui::embed::parse_incoming;

    fn parent() -> Option<web_sys::Window> {
        let window = web_sys::window()?;
        let parent = window.parent().ok()??;
        // A top-level page is its own parent: there is nobody to talk to.
        (!js_sys::Object::is(&parent, &window)).then_some(parent)
    }

    /// Posts `value` to the parent page, if any.
    pub fn post(value: &serde_json::Value, origin: Option<&str>) {
        let Some(parent) = parent() else {
            return;
        };
        let Ok(object) = js_sys::JSON::parse(&value.to_string()) else {
            return;
        };
        let _ = parent.post_message(&object, origin.unwrap_or("*"));
    }

    /// Listens for the parent's requests; dropping the result stops.
    pub fn listen(
        origin: Option<String>,
        on_request: impl Fn(Incoming) + 'static,
    ) -> Option<gloo::events::EventListener> {
        let parent = parent()?;
        post(
            &crate::ui::embed::message(&crate::ui::embed::Outgoing::Ready),
            origin.as_deref(),
        );
        Some(gloo::events::EventListener::new(
            &gloo::utils::window(),
            "message",
            move |event| {
                let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                    return;
                };
                let from_parent = event
                    .source()
                    .is_some_and(|s| js_sys::Object::is(&s, &parent));
                if !from_parent {
                    return;
                }
                if origin.as_deref().is_some_and(|o| o != event.origin()) {
                    warn(&format!(
                        "kubelet-playground: ignored a message from {} (parentOrigin is {})",
                        event.origin(),
                        origin.as_deref().unwrap_or_default()
                    ));
                    return;
                }
                let data = event.data();
                let text = js_sys::JSON::stringify(&data)
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_default();
                let parsed = serde_json::from_str(&text)
                    .map_err(|e| e.to_string())
                    .and_then(|value| parse_incoming(&value));
                match parsed {
                    Ok(request) => on_request(request),
                    Err(why) => warn(&format!("kubelet-playground: ignored a message: {why}")),
                }
            },
        ))
    }

    fn warn(text: &str) {
        web_sys::console::warn_1(&JsValue::from_str(text));
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod glue {
    use super::Incoming;

    /// Native builds have no parent page.
    pub fn post(_value: &serde_json::Value, _origin: Option<&str>) {}

    /// Native builds have no parent page.
    pub fn listen(_origin: Option<String>, _on_request: impl Fn(Incoming) + 'static) -> Option<()> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_done_and_a_command_finished_are_news_once() {
        let store = Rc::new(Store::fresh(true, None));
        let mut reported = Reported::default();
        let store = store.reduce(Action::SwitchLesson(Some("mirror-mirror".into()), None));
        assert_eq!(news(&store, &mut reported), []);
        let store = store.reduce(Action::RunCommand(
            "kubectl delete pod web-controlplane\n".into(),
        ));
        let news_now = news(&store, &mut reported);
        assert!(
            matches!(&news_now[0], Outgoing::Command { exit_code: 0, host, .. } if host == "controlplane")
        );
        assert_eq!(
            news_now[1],
            Outgoing::StepCompleted {
                lesson: "mirror-mirror".into(),
                step: 1
            }
        );
        assert_eq!(news(&store, &mut reported), [], "reported once");
    }

    #[test]
    fn requests_become_actions() {
        assert_eq!(
            actions(Incoming::LoadLesson {
                lesson: "x".into(),
                step: Some(2)
            }),
            [
                Action::SwitchLesson(Some("x".into()), None),
                Action::SkipToStep(2)
            ]
        );
        assert_eq!(
            actions(Incoming::RunCommand("crictl ps".into())),
            [Action::RunCommand("crictl ps\n".into())]
        );
    }
}
