//! A session as data: the seed and every input the learner gave, in order. Replaying the
//! inputs from the seed rebuilds the session exactly (the simulation is deterministic), so this
//! is the autosave, the export file and the bug report.

use serde::{Deserialize, Serialize};

/// The version of the saved-session format this build writes. Format 2: following commands
/// and `sleep` typed at the terminal run as foreground jobs (format 1 ran them to a bound
/// inside the command, so its logs replay differently).
pub const FORMAT: u32 = 2;

/// One thing the learner did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Input {
    /// A command line typed at the terminal (a heredoc's lines included).
    #[serde(rename = "cmd")]
    Command(String),
    /// A file saved from the editor pane.
    #[serde(rename = "save")]
    SaveFile {
        /// The node.
        host: String,
        /// The absolute path.
        path: String,
        /// The new content.
        text: String,
    },
    /// A row action in one of the panes.
    #[serde(rename = "row")]
    Row(RowAction),
    /// Virtual time passed (the clock played, stepped or fast-forwarded), in milliseconds.
    #[serde(rename = "adv")]
    Advance(u64),
    /// Ctrl-C while a command was running.
    #[serde(rename = "int")]
    Interrupt,
    /// Ctrl-C at the prompt: the typed line is abandoned and `$?` becomes 130.
    #[serde(rename = "cancel")]
    Cancel(String),
    /// Ctrl-L: the screen is cleared.
    #[serde(rename = "cls")]
    ClearScreen,
}

/// A pane's row action: each runs the command a learner would type for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowAction {
    /// `kubectl delete pod NAME -n NAMESPACE --wait=false`, from the control-plane node.
    DeletePod {
        /// The pod's namespace.
        namespace: String,
        /// The pod's name.
        name: String,
    },
    /// `crictl stop ID` on the container's node.
    StopContainer {
        /// The node.
        host: String,
        /// The container id (a unique prefix is enough).
        id: String,
    },
    /// `systemctl restart kubelet` on the node.
    RestartKubelet {
        /// The node.
        host: String,
    },
}

impl RowAction {
    /// The node the command runs on (`None`: the control-plane node).
    pub fn host(&self) -> Option<&str> {
        match self {
            RowAction::DeletePod { .. } => None,
            RowAction::StopContainer { host, .. } | RowAction::RestartKubelet { host } => {
                Some(host)
            }
        }
    }

    /// The command line it runs.
    pub fn command(&self) -> String {
        match self {
            RowAction::DeletePod { namespace, name } => {
                format!("kubectl delete pod {name} -n {namespace} --wait=false")
            }
            RowAction::StopContainer { id, .. } => format!("crictl stop {id}"),
            RowAction::RestartKubelet { .. } => "systemctl restart kubelet".to_string(),
        }
    }

    /// The pane the action belongs to, as the scrollback names it.
    pub fn pane(&self) -> &'static str {
        match self {
            RowAction::DeletePod { .. } => "Pods",
            RowAction::StopContainer { .. } | RowAction::RestartKubelet { .. } => "Nodes",
        }
    }
}

/// A saved session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSession {
    /// The format version ([`FORMAT`]).
    pub format: u32,
    /// The simulation's seed.
    pub seed: u64,
    /// Every input, oldest first.
    pub inputs: Vec<Input>,
    /// The course lesson the session takes, by ID (`None`: the sandbox). Replaying starts
    /// from that lesson's start state instead of the default cluster as booted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
}

/// Why saved data could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// Not a saved session at all (truncated, edited by hand, another program's data).
    Corrupt(String),
    /// Written by a build with another format version.
    Format(u32),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Corrupt(why) => write!(f, "the saved session is damaged ({why})"),
            LoadError::Format(n) if *n < FORMAT => write!(
                f,
                "the saved session comes from an older version of the playground (format {n}; this version reads format {FORMAT})"
            ),
            LoadError::Format(n) => write!(
                f,
                "the saved session comes from a newer version of the playground (format {n}; this version reads format {FORMAT})"
            ),
        }
    }
}

impl SavedSession {
    /// The session as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a session written by [`SavedSession::to_json`], checking its format first.
    pub fn from_json(text: &str) -> Result<SavedSession, LoadError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| LoadError::Corrupt(e.to_string()))?;
        let format = value
            .get("format")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| LoadError::Corrupt("no format version".into()))?;
        if format != u64::from(FORMAT) {
            return Err(LoadError::Format(u32::try_from(format).unwrap_or(u32::MAX)));
        }
        serde_json::from_value(value).map_err(|e| LoadError::Corrupt(e.to_string()))
    }
}

/// Appends `input` to `log`, folding consecutive clock movements into one.
pub fn push_input(log: &mut Vec<Input>, input: Input) {
    if let (Input::Advance(more), Some(Input::Advance(ms))) = (&input, log.last_mut()) {
        *ms += more;
        return;
    }
    if input == Input::Advance(0) {
        return;
    }
    log.push(input);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let saved = SavedSession {
            format: FORMAT,
            seed: 7,
            inputs: vec![
                Input::Command("kubectl get pods\n".into()),
                Input::Advance(1500),
                Input::SaveFile {
                    host: "node01".into(),
                    path: "/etc/kubernetes/manifests/web.yaml".into(),
                    text: "apiVersion: v1\n".into(),
                },
                Input::Row(RowAction::DeletePod {
                    namespace: "kube-system".into(),
                    name: "etcd-controlplane".into(),
                }),
                Input::Interrupt,
            ],
            lesson: None,
        };
        let json = saved.to_json();
        assert!(json.contains(r#"{"cmd":"kubectl get pods\n"}"#), "{json}");
        assert!(json.contains(r#"{"adv":1500}"#), "{json}");
        assert_eq!(SavedSession::from_json(&json), Ok(saved));
    }

    #[test]
    fn damaged_and_foreign_data_is_named() {
        assert!(matches!(
            SavedSession::from_json("{\"format\":2,\"seed\":1,\"inputs\":[{\"cmd\":"),
            Err(LoadError::Corrupt(_))
        ));
        assert!(matches!(
            SavedSession::from_json("[1,2,3]"),
            Err(LoadError::Corrupt(_))
        ));
        let newer = SavedSession::from_json("{\"format\":9,\"seed\":1,\"inputs\":[]}");
        assert_eq!(newer, Err(LoadError::Format(9)));
        assert!(newer
            .unwrap_err()
            .to_string()
            .contains("newer version of the playground (format 9"));
        assert!(LoadError::Format(0).to_string().contains("older version"));
        assert!(matches!(
            SavedSession::from_json("{\"format\":2,\"seed\":1,\"inputs\":[{\"jump\":3}]}"),
            Err(LoadError::Corrupt(_))
        ));
    }

    #[test]
    fn clock_movements_fold_together() {
        let mut log = Vec::new();
        push_input(&mut log, Input::Advance(0));
        push_input(&mut log, Input::Advance(16));
        push_input(&mut log, Input::Advance(17));
        push_input(&mut log, Input::Command("date".into()));
        push_input(&mut log, Input::Advance(5));
        assert_eq!(
            log,
            [
                Input::Advance(33),
                Input::Command("date".into()),
                Input::Advance(5)
            ]
        );
    }
}
