//! The embedding protocol, version 1: `postMessage` between the playground in an iframe and the
//! course page around it (documented in `docs/embedding.md`). Messages are plain objects; the
//! parsing and building are pure functions, tested natively.

use serde_json::{json, Value};

/// The protocol version this build speaks.
pub const VERSION: u64 = 1;

/// What the course page may ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// Open a lesson (at a 1-based step).
    LoadLesson {
        /// The lesson's ID.
        lesson: String,
        /// The step to open at.
        step: Option<usize>,
    },
    /// Run a command line at the terminal, as if typed.
    RunCommand(String),
    /// Start over.
    Reset,
    /// Set the clock's speed (one of 1, 10, 60, 600).
    SetSpeed(u32),
}

/// Reads a message from the course page; `Err` says why it is ignored (logged as a warning).
pub fn parse_incoming(data: &Value) -> Result<Incoming, String> {
    let object = data.as_object().ok_or("not an object")?;
    if object.get("target").and_then(Value::as_str) != Some("kubelet-playground") {
        return Err("not addressed to kubelet-playground (`target`)".into());
    }
    match object.get("version").and_then(Value::as_u64) {
        Some(VERSION) => (),
        Some(other) => {
            return Err(format!(
                "protocol version {other}; this playground speaks {VERSION}"
            ))
        }
        None => return Err("no protocol `version`".into()),
    }
    let text = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match object.get("type").and_then(Value::as_str) {
        Some("load-lesson") => Ok(Incoming::LoadLesson {
            lesson: text("lesson").ok_or("load-lesson needs a `lesson` ID")?,
            step: match object.get("step") {
                None | Some(Value::Null) => None,
                Some(step) => Some(
                    step.as_u64()
                        .filter(|n| *n >= 1)
                        .ok_or("`step` must be a number from 1")? as usize,
                ),
            },
        }),
        Some("run-command") => Ok(Incoming::RunCommand(
            text("command").ok_or("run-command needs a `command`")?,
        )),
        Some("reset") => Ok(Incoming::Reset),
        Some("set-speed") => {
            let speed = object
                .get("speed")
                .and_then(Value::as_u64)
                .and_then(|s| u32::try_from(s).ok())
                .filter(|s| crate::ui::state::SPEEDS.contains(s))
                .ok_or("set-speed needs `speed`: 1, 10, 60 or 600")?;
            Ok(Incoming::SetSpeed(speed))
        }
        Some(other) => Err(format!("unknown message type {other:?}")),
        None => Err("no message `type`".into()),
    }
}

/// What the playground tells the course page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// The playground is up and listening.
    Ready,
    /// A lesson step's goal held (1-based step).
    StepCompleted {
        /// The lesson's ID.
        lesson: String,
        /// The step.
        step: usize,
    },
    /// A lesson's every step is done.
    LessonCompleted {
        /// The lesson's ID.
        lesson: String,
    },
    /// A command finished.
    Command {
        /// Where it ran.
        host: String,
        /// The command line.
        command: String,
        /// `$?`.
        exit_code: i32,
    },
}

/// The message object for `outgoing`.
pub fn message(outgoing: &Outgoing) -> Value {
    let mut value = json!({ "source": "kubelet-playground", "version": VERSION });
    let fields = match outgoing {
        Outgoing::Ready => json!({ "type": "ready" }),
        Outgoing::StepCompleted { lesson, step } => {
            json!({ "type": "step-completed", "lesson": lesson, "step": step })
        }
        Outgoing::LessonCompleted { lesson } => {
            json!({ "type": "lesson-completed", "lesson": lesson })
        }
        Outgoing::Command {
            host,
            command,
            exit_code,
        } => json!({
            "type": "command",
            "host": host,
            "command": command.trim_end(),
            "exit_code": exit_code,
        }),
    };
    if let (Some(map), Some(extra)) = (value.as_object_mut(), fields.as_object()) {
        map.extend(extra.clone());
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(body: Value) -> Result<Incoming, String> {
        parse_incoming(&body)
    }

    #[test]
    fn the_four_requests_are_read() {
        let base = |extra: Value| {
            let mut v = json!({"target": "kubelet-playground", "version": 1});
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            v
        };
        assert_eq!(
            msg(base(
                json!({"type": "load-lesson", "lesson": "mirror-mirror", "step": 2})
            )),
            Ok(Incoming::LoadLesson {
                lesson: "mirror-mirror".into(),
                step: Some(2)
            })
        );
        assert_eq!(
            msg(base(json!({"type": "run-command", "command": "crictl ps"}))),
            Ok(Incoming::RunCommand("crictl ps".into()))
        );
        assert_eq!(msg(base(json!({"type": "reset"}))), Ok(Incoming::Reset));
        assert_eq!(
            msg(base(json!({"type": "set-speed", "speed": 60}))),
            Ok(Incoming::SetSpeed(60))
        );
        assert!(msg(base(json!({"type": "set-speed", "speed": 7}))).is_err());
        assert!(msg(base(
            json!({"type": "load-lesson", "step": 0, "lesson": "x"})
        ))
        .is_err());
        assert!(msg(base(json!({"type": "run-command"}))).is_err());
    }

    #[test]
    fn foreign_malformed_and_other_versions_are_refused() {
        assert!(msg(json!("hello")).unwrap_err().contains("not an object"));
        assert!(msg(json!({"type": "reset", "version": 1}))
            .unwrap_err()
            .contains("target"));
        assert!(
            msg(json!({"target": "kubelet-playground", "version": 2, "type": "reset"}))
                .unwrap_err()
                .contains("protocol version 2")
        );
        assert!(
            msg(json!({"target": "kubelet-playground", "version": 1, "type": "explode"}))
                .unwrap_err()
                .contains("unknown message type")
        );
    }

    #[test]
    fn outgoing_messages_carry_source_and_version() {
        assert_eq!(
            message(&Outgoing::Command {
                host: "controlplane".into(),
                command: "crictl ps\n".into(),
                exit_code: 0
            }),
            json!({"source": "kubelet-playground", "version": 1, "type": "command",
                   "host": "controlplane", "command": "crictl ps", "exit_code": 0})
        );
        assert_eq!(
            message(&Outgoing::StepCompleted {
                lesson: "mirror-mirror".into(),
                step: 1
            })["type"],
            "step-completed"
        );
    }
}
