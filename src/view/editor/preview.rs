//! The one line under the editor that says what the kubelet will do when the file is saved.

use std::fmt;

use crate::sim::SimDuration;

/// What saving the file will make the node do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    /// A new static pod: the kubelet ADDs it (and creates its mirror).
    Creates {
        /// The pod's name as the kubelet generates it (`name-node`).
        pod: String,
    },
    /// The content hash (the UID) is unchanged: nothing happens.
    NoChange {
        /// The pod's name.
        pod: String,
    },
    /// The content hash changes: the old UID is REMOVEd and the new one ADDed, so the pod's
    /// containers are stopped and started again.
    Recreates {
        /// The pod's name.
        pod: String,
    },
    /// The manifest sets `metadata.uid`, so the UID stays and the kubelet UPDATEs the pod in
    /// place: containers whose spec changed are restarted.
    UpdatesInPlace {
        /// The pod's name.
        pod: String,
    },
    /// The file now defines a pod of another name: the new one is ADDed at once, the old one
    /// stays until the next relist drops it.
    Renames {
        /// The new pod's name.
        pod: String,
        /// The pod the file defined before.
        old: String,
        /// The relist period (`fileCheckFrequency`).
        relist: SimDuration,
    },
    /// Another manifest already defines a pod of this name and namespace: saving replaces
    /// that pod (REMOVE + ADD); the relists then keep the later file name's.
    Replaces {
        /// The pod's name.
        pod: String,
        /// The other manifest.
        other_file: String,
        /// Whether this file is the later name, so the relists keep its pod.
        kept_at_relist: bool,
    },
    /// The kubelet refuses the file and logs why.
    Invalid {
        /// The pod an earlier version of the file defined, still running.
        still_running: Option<String>,
        /// Until when: the next relist (folder mode) removes it; `None` in single-file mode,
        /// where the last good pod stays.
        removed_at_relist: Option<SimDuration>,
    },
    /// The file source skips names starting with a dot.
    DotFile,
    /// Below `staticPodPath`, in a subfolder the kubelet does not read.
    InSubfolder {
        /// The running kubelet's `staticPodPath`.
        static_pod_path: String,
    },
    /// Outside the running kubelet's `staticPodPath`.
    NotInStaticPodPath {
        /// The running kubelet's `staticPodPath`.
        static_pod_path: String,
    },
    /// The running kubelet has no `staticPodPath`.
    NoStaticPodPath,
    /// No kubelet runs on the node.
    KubeletNotRunning {
        /// The node.
        node: String,
    },
    /// The running kubelet's config file: read again only at a restart.
    KubeletConfig {
        /// The settings that will change, e.g. ``staticPodPath `/a` → `/b` ``.
        changes: Vec<String>,
    },
    /// The config file as written would stop the kubelet at its next start (a restart, or
    /// systemd's next attempt).
    KubeletConfigInvalid,
    /// The config file while no kubelet runs: read when one starts.
    KubeletConfigAtStart,
    /// The kubelet's systemd unit or a drop-in.
    UnitFile,
    /// An `EnvironmentFile=` of the kubelet's unit: read at every start.
    EnvironmentFile,
    /// The host index names no node.
    NoSuchNode {
        /// The index asked for.
        index: usize,
    },
}

/// How the preview line should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Nothing happens.
    Quiet,
    /// The kubelet will act on the file.
    Change,
    /// Probably not what the learner wants.
    Warning,
    /// The kubelet will refuse it.
    Error,
}

impl Preview {
    /// How the line should look.
    pub fn tone(&self) -> Tone {
        match self {
            Preview::NoChange { .. }
            | Preview::DotFile
            | Preview::KubeletConfigAtStart
            | Preview::EnvironmentFile
            | Preview::UnitFile => Tone::Quiet,
            Preview::Creates { .. }
            | Preview::Recreates { .. }
            | Preview::UpdatesInPlace { .. }
            | Preview::KubeletConfig { .. } => Tone::Change,
            Preview::Renames { .. }
            | Preview::Replaces { .. }
            | Preview::InSubfolder { .. }
            | Preview::NotInStaticPodPath { .. }
            | Preview::NoStaticPodPath
            | Preview::KubeletNotRunning { .. } => Tone::Warning,
            Preview::Invalid { .. }
            | Preview::KubeletConfigInvalid
            | Preview::NoSuchNode { .. } => Tone::Error,
        }
    }
}

impl fmt::Display for Preview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Preview::Creates { pod } => write!(f, "creates static pod `{pod}`"),
            Preview::NoChange { pod } => {
                write!(f, "no change: the kubelet keeps `{pod}` running")
            }
            Preview::Recreates { pod } => {
                write!(f, "hash changes: `{pod}` will be recreated (REMOVE + ADD)")
            }
            Preview::UpdatesInPlace { pod } => write!(
                f,
                "same metadata.uid: `{pod}` is updated in place (UPDATE); containers whose spec changed restart"
            ),
            Preview::Renames { pod, old, relist } => write!(
                f,
                "creates static pod `{pod}`; `{old}` keeps running until the next relist (within {relist}) removes it"
            ),
            Preview::Replaces {
                pod,
                other_file,
                kept_at_relist,
            } => {
                write!(
                    f,
                    "replaces `{pod}` from `{other_file}` (same name: REMOVE + ADD); "
                )?;
                match kept_at_relist {
                    true => f.write_str("relists keep this file's (the later file name wins)"),
                    false => write!(
                        f,
                        "the next relist brings back `{other_file}`'s (the later file name wins)"
                    ),
                }
            }
            Preview::Invalid {
                still_running,
                removed_at_relist,
            } => {
                f.write_str("invalid: the kubelet will skip this file and log why")?;
                match (still_running, removed_at_relist) {
                    (None, _) => Ok(()),
                    (Some(pod), Some(relist)) => write!(
                        f,
                        "; `{pod}` keeps running until the next relist (within {relist}) removes it"
                    ),
                    (Some(pod), None) => write!(
                        f,
                        "; `{pod}` keeps running (with a single-file staticPodPath the last good pod stays)"
                    ),
                }
            }
            Preview::DotFile => {
                f.write_str("ignored: dot-file (the kubelet skips names starting with '.')")
            }
            Preview::InSubfolder { static_pod_path } => write!(
                f,
                "ignored: the kubelet does not look inside subfolders of `{static_pod_path}`"
            ),
            Preview::NotInStaticPodPath { static_pod_path } => write!(
                f,
                "not in staticPodPath (`{static_pod_path}`) — the kubelet will not see it"
            ),
            Preview::NoStaticPodPath => {
                f.write_str("the running kubelet has no staticPodPath — it reads no manifest files")
            }
            Preview::KubeletNotRunning { node } => write!(
                f,
                "no kubelet runs on {node} — nothing reads static pod manifests until it starts"
            ),
            Preview::KubeletConfig { changes } => {
                f.write_str("kubelet config: takes effect on `systemctl restart kubelet`")?;
                if !changes.is_empty() {
                    write!(f, " ({})", changes.join(", "))?;
                }
                Ok(())
            }
            Preview::KubeletConfigInvalid => f.write_str(
                "kubelet config: invalid — the kubelet will exit at its next start",
            ),
            Preview::KubeletConfigAtStart => f.write_str(
                "kubelet config: read when the kubelet starts (`systemctl start kubelet`)",
            ),
            Preview::UnitFile => f.write_str(
                "kubelet unit: takes effect on `systemctl daemon-reload` and a kubelet restart",
            ),
            Preview::EnvironmentFile => f.write_str(
                "kubelet environment file: takes effect on `systemctl restart kubelet`",
            ),
            Preview::NoSuchNode { index } => write!(f, "no node #{index} in this cluster"),
        }
    }
}
