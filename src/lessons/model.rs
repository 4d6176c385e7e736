//! The lesson data model: what a lesson file says (`Lesson<String>`, Markdown as written) and
//! what the app embeds (`Lesson<Doc>`, Markdown compiled to blocks).
//!
//! This file depends on nothing but `serde` and `std`, because `build.rs` includes it by path
//! to compile `lessons/` before the crate itself is built.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The locales every lesson string must exist in.
pub const LOCALES: [Locale; 2] = [Locale::En, Locale::ZhCn];

/// A language lessons are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Locale {
    /// English.
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Locale {
    /// The BCP 47 tag: `en`, `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// The locale a BCP 47 tag names (`zh`, `zh-Hans`, `zh-CN` are Chinese; else `None`).
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let lower = tag.to_ascii_lowercase();
        if lower == "en" || lower.starts_with("en-") {
            return Some(Locale::En);
        }
        if lower == "zh" || lower == "zh-cn" || lower == "zh-hans" || lower.starts_with("zh-hans-")
        {
            return Some(Locale::ZhCn);
        }
        None
    }
}

/// One string in every locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized<T> {
    /// English.
    pub en: T,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: T,
}

impl<T> Localized<T> {
    /// The text in `locale`.
    pub fn get(&self, locale: Locale) -> &T {
        match locale {
            Locale::En => &self.en,
            Locale::ZhCn => &self.zh_cn,
        }
    }
}

/// A lesson. `M` is the type of its Markdown fields: `String` as written, [`Doc`] compiled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson<M> {
    /// A stable identifier in kebab case (`meet-your-node`); `--lesson ID` names it.
    pub id: String,
    /// The title.
    pub title: Localized<String>,
    /// One or two sentences for the lesson picker.
    pub summary: Localized<String>,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// About how long it takes, in minutes.
    pub minutes: u32,
    /// The kubelet behaviours it teaches (`file-source`, `mirror-pod`, `restart-backoff`, ...).
    #[serde(default)]
    pub tags: Vec<String>,
    /// How the start state is reached (the default cluster as booted, when absent).
    #[serde(default)]
    pub setup: Setup,
    /// The steps, in order. A challenge's file has none: its one step, the task, is made
    /// from the challenge.
    #[serde(default)]
    pub steps: Vec<Step<M>>,
    /// An exam-style challenge instead of guided steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<Challenge<M>>,
}

/// An exam-style challenge: one task, its details drawn from the session's seed, no help
/// beyond the task, a time limit (the lesson's `minutes`) and a result that scores each check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge<M> {
    /// Placeholders and the values each is drawn from: `{{name}}` anywhere in the lesson
    /// becomes the value drawn for `name` (`{{name.field}}` for a value with fields).
    #[serde(default)]
    pub params: BTreeMap<String, Vec<ParamValue>>,
    /// The task: all the text the learner gets.
    pub task: Localized<M>,
    /// What the result scores, in order.
    pub checks: Vec<Check<M>>,
    /// Inputs that pass every check from the start.
    pub solution: Vec<Action>,
}

/// One value a placeholder can take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// Text for `{{name}}`.
    Text(String),
    /// Related texts for `{{name.field}}` (a broken field and its fix drawn together).
    Fields(BTreeMap<String, String>),
}

/// One scored check of a challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check<M> {
    /// What it checks, as the result lists it.
    pub title: Localized<String>,
    /// The state that passes it.
    pub goal: Goal,
    /// Why it was missed and how to find the way, shown when it fails.
    pub miss: Localized<M>,
}

/// How hard a lesson is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Difficulty {
    /// No Kubernetes needed beyond `kubectl get`.
    Beginner,
    /// Expects the earlier lessons.
    Intermediate,
    /// Exam level.
    Advanced,
}

/// The start state: actions against the default cluster, then the clock runs on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// What to do to the default cluster, in order (nothing: the default cluster as booted).
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Virtual seconds the clock runs after the actions, so the cluster has reacted.
    #[serde(default)]
    pub settle_secs: u32,
    /// The panes the lesson shows.
    #[serde(default = "all_panes")]
    pub panes: Vec<Pane>,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            actions: Vec::new(),
            settle_secs: 0,
            panes: all_panes(),
        }
    }
}

fn all_panes() -> Vec<Pane> {
    vec![Pane::Terminal, Pane::Editor, Pane::Nodes, Pane::Pods]
}

/// A pane of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pane {
    /// The terminal.
    Terminal,
    /// The manifest editor.
    Editor,
    /// The node cards.
    Nodes,
    /// The API server's pods.
    Pods,
}

/// One thing done to the playground, by a setup or a reference solution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// A command line typed at the terminal (`ssh node01` moves the terminal to node01).
    Run(String),
    /// A file saved from the editor.
    Write {
        /// The node.
        #[serde(default = "control_plane")]
        host: String,
        /// The absolute path.
        path: String,
        /// The content.
        text: String,
    },
    /// The clock runs this many virtual seconds.
    Wait(u32),
}

fn control_plane() -> String {
    "controlplane".to_string()
}

fn default_namespace() -> String {
    "default".to_string()
}

fn yes() -> bool {
    true
}

/// One step: text, a goal that completes it, hints and a reference solution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step<M> {
    /// Unique within the lesson, in kebab case.
    pub id: String,
    /// A short title for the checklist.
    pub title: Localized<String>,
    /// What to read and do. `sh` code blocks are commands the learner can click to run.
    pub text: Localized<M>,
    /// A question asked before the learner acts.
    pub question: Option<Question<M>>,
    /// The state that completes the step.
    pub goal: Goal,
    /// Hints, shown one at a time among those whose condition holds.
    #[serde(default = "Vec::new")]
    pub hints: Vec<Hint<M>>,
    /// Inputs that reach the goal from the step's start (what "show solution" offers).
    pub solution: Vec<Action>,
    /// Opens "Inside the kubelet" as the step opens, on a node and the record kinds the step
    /// is about (the pane stays as the learner left it, when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inside: Option<InsideFocus>,
}

/// Where a step points "Inside the kubelet": a node's diagram and the timeline's kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsideFocus {
    /// The node whose diagram shows (the one the pane shows, when absent).
    #[serde(default)]
    pub node: Option<String>,
    /// The record kinds the timeline shows (every kind, when empty).
    #[serde(default)]
    pub kinds: Vec<InsideKind>,
}

/// A kind of record the timeline can be narrowed to, as a lesson names it. It mirrors the
/// view's `RecordKind` rather than naming it because the build script compiles this file on
/// its own, without the view (`RecordKind::from_lesson` maps it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InsideKind {
    /// The file, http and API sources.
    Sources,
    /// The pod-config mux.
    Mux,
    /// The sync loop's iterations.
    SyncLoop,
    /// Pod workers and back-off.
    Workers,
    /// The container runtime and PLEG.
    Runtime,
    /// Writes to the API server.
    Api,
    /// The kubelet process starting and stopping.
    Process,
}

/// A hint and when it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hint<M> {
    /// The hint applies while this holds (always, when absent).
    #[serde(default)]
    pub when: Option<Goal>,
    /// The hint.
    pub text: Localized<M>,
    /// For a hint with a condition: inputs from the step's start that make it apply (a
    /// plausible wrong turn), which `lesson test` replays to prove the hint can show.
    /// Nothing, when the condition already holds as the step opens.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reach: Vec<Action>,
}

/// A "predict first" multiple-choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question<M> {
    /// The question.
    pub prompt: Localized<M>,
    /// The choices; exactly one is correct.
    pub choices: Vec<Choice<M>>,
    /// Shown once the learner has answered.
    pub explanation: Localized<M>,
}

/// One answer to a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice<M> {
    /// The answer.
    pub text: Localized<M>,
    /// Whether it is the right one.
    #[serde(default)]
    pub correct: bool,
}

/// A predicate over the simulation's state. Never a match on what the learner typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Goal {
    /// Every goal holds.
    All(Vec<Goal>),
    /// At least one goal holds.
    Any(Vec<Goal>),
    /// None of the goals holds.
    NoneOf(Vec<Goal>),
    /// A file on a node.
    File(FileGoal),
    /// A node's kubelet as it runs (not as its config file on disk says).
    Kubelet(KubeletGoal),
    /// A pod in the API server's store.
    Pod(PodGoal),
    /// The newest container of a pod in a node's runtime.
    Container(ContainerGoal),
    /// A kubelet trace record written since the step began.
    Trace(TraceGoal),
    /// The running kubelet's restart back-off for a container of a pod.
    BackOff(BackOffGoal),
}

/// A file on a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileGoal {
    /// The node.
    #[serde(default = "control_plane")]
    pub host: String,
    /// The absolute path.
    pub path: String,
    /// Whether it exists (default: yes).
    #[serde(default = "yes")]
    pub exists: bool,
    /// Text the file contains.
    #[serde(default)]
    pub contains: Option<String>,
}

/// A node's running kubelet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubeletGoal {
    /// The node.
    #[serde(default = "control_plane")]
    pub host: String,
    /// Whether a kubelet process runs.
    #[serde(default)]
    pub running: Option<bool>,
    /// The `staticPodPath` the running kubelet loaded.
    #[serde(default)]
    pub static_pod_path: Option<String>,
    /// The `staticPodURL` the running kubelet loaded.
    #[serde(default)]
    pub static_pod_url: Option<String>,
    /// The kubelet process started since the step began.
    #[serde(default)]
    pub restarted: Option<bool>,
    /// Whether the running kubelet is in standalone mode (started without a kubeconfig, so
    /// it has no API source and creates no mirror pods).
    #[serde(default)]
    pub standalone: Option<bool>,
}

/// A pod in the API server's store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodGoal {
    /// The namespace.
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// The name.
    pub name: String,
    /// Whether it exists (default: yes; `false` ignores the other fields).
    #[serde(default = "yes")]
    pub exists: bool,
    /// Whether it is a mirror pod (the kubelet's copy of a static pod).
    #[serde(default)]
    pub mirror: Option<bool>,
    /// `status.phase`.
    #[serde(default)]
    pub phase: Option<String>,
    /// `spec.nodeName`.
    #[serde(default)]
    pub node: Option<String>,
    /// The kind of its first owner reference (`Node`, `DaemonSet`, `ReplicaSet`).
    #[serde(default)]
    pub owner_kind: Option<String>,
    /// The sum of its containers' `restartCount` is at least this.
    #[serde(default)]
    pub min_restarts: Option<u32>,
    /// One of its containers is waiting with this reason (`CrashLoopBackOff`,
    /// `ImagePullBackOff`, `ContainerCreating`).
    #[serde(default)]
    pub waiting_reason: Option<String>,
    /// Whether its UID differs from the one it had when the step began (a pod that did not
    /// exist then has a changed UID).
    #[serde(default)]
    pub uid_changed: Option<bool>,
}

/// The newest container (highest ATTEMPT) of a pod in a node's runtime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerGoal {
    /// The node.
    #[serde(default = "control_plane")]
    pub host: String,
    /// The pod's namespace.
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// The pod's name.
    pub pod: String,
    /// The container's name (any of the pod's containers, when absent).
    #[serde(default)]
    pub name: Option<String>,
    /// Its state.
    #[serde(default)]
    pub state: Option<ContainerStateGoal>,
    /// Its ATTEMPT (CRI `metadata.attempt`) is at least this.
    #[serde(default)]
    pub min_attempt: Option<u32>,
    /// Whether it is the very container that was newest when the step began.
    #[serde(default)]
    pub same_as_step_start: Option<bool>,
    /// The image it runs, as the pod spec names it (`nginx:1.27`).
    #[serde(default)]
    pub image: Option<String>,
}

/// The restart back-off the running kubelet holds for a container of one of its pods: the
/// wait that `back-off 40s restarting failed container=...` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackOffGoal {
    /// The node whose kubelet runs the pod.
    #[serde(default = "control_plane")]
    pub host: String,
    /// The pod's namespace.
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// The pod's name as the kubelet knows it (a static pod's name ends with the node's).
    pub pod: String,
    /// The container's name (required).
    pub container: String,
    /// The back-off is at least this many seconds (10, 20, 40, ... up to 300).
    pub min_secs: u32,
}

/// A container's state, as `crictl ps -a` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainerStateGoal {
    /// Created, not started.
    Created,
    /// Running.
    Running,
    /// Exited.
    Exited,
}

/// A trace record written since the step began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceGoal {
    /// The node that wrote it (any, when absent).
    #[serde(default)]
    pub host: Option<String>,
    /// The record.
    pub event: TraceEvent,
}

/// The trace records a goal can wait for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum TraceEvent {
    /// The pod-config mux emitted an operation to the sync loop.
    Mux {
        /// `ADD`, `UPDATE`, `DELETE`, `REMOVE`, `RECONCILE`.
        op: String,
        /// `file`, `http` or `api` (any, when absent).
        #[serde(default)]
        source: Option<String>,
        /// A pod it carried, by name (any, when absent).
        #[serde(default)]
        pod: Option<String>,
    },
    /// A manifest was rejected.
    ManifestRejected {
        /// The file or URL (any, when absent).
        #[serde(default)]
        location: Option<String>,
    },
    /// A directory entry under the static pod path was skipped (a dot-file, a folder).
    ManifestSkipped {
        /// The entry's path (any, when absent).
        #[serde(default)]
        path: Option<String>,
    },
    /// A Kubernetes event was recorded.
    KubeEvent {
        /// Its reason (`BackOff`, `Killing`, `Started`).
        reason: String,
        /// The object, e.g. `pod/web-controlplane` (any, when absent).
        #[serde(default)]
        object: Option<String>,
    },
    /// A process started.
    ProcessStarted {
        /// The program, e.g. `kubelet`.
        name: String,
    },
    /// The mux replaced a pod: REMOVE of the old UID then ADD of a pod with the same name and a
    /// new UID, in one message (an edited static pod manifest).
    Replaced {
        /// `file`, `http` or `api` (any, when absent).
        #[serde(default)]
        source: Option<String>,
        /// The pod, by name (any, when absent).
        #[serde(default)]
        pod: Option<String>,
    },
    /// The kubelet wrote a mirror pod to the API server.
    MirrorWritten {
        /// `create` or `delete`.
        action: String,
        /// The mirror pod, by name (any, when absent).
        #[serde(default)]
        pod: Option<String>,
    },
    /// PLEG reported a container state change.
    Pleg {
        /// `ContainerStarted`, `ContainerDied`, `ContainerRemoved`, ...
        event_type: String,
    },
}

/// Compiled Markdown: a sequence of blocks, rendered by the UI as plain elements and text nodes.
pub type Doc = Vec<Block>;

/// A block of compiled Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A heading (level 1 to 6).
    Heading {
        /// The level.
        level: u8,
        /// The heading's text.
        content: Vec<Inline>,
    },
    /// A list; each item is a sequence of blocks.
    List {
        /// The first number of an ordered list; `None` for bullets.
        start: Option<u64>,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// A quotation.
    Quote(Vec<Block>),
    /// A command the learner can click to run (a fenced `sh` block), without its final newline.
    Command(String),
    /// Code or output shown as is (any other fenced or indented block).
    Code {
        /// The fence's language (empty when none).
        lang: String,
        /// The text.
        text: String,
    },
    /// A thematic break.
    Rule,
}

/// Inline content of compiled Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Inline code.
    Code(String),
    /// Emphasis.
    Emphasis(Vec<Inline>),
    /// Strong emphasis.
    Strong(Vec<Inline>),
    /// A link.
    Link {
        /// The target URL.
        href: String,
        /// The link's text.
        content: Vec<Inline>,
    },
    /// A hard line break.
    Break,
}

/// The lessons a build embeds, by file order; what `build.rs` writes as JSON.
pub type Catalogue = Vec<Lesson<Doc>>;

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn check_text(what: &str, text: &Localized<String>) -> Result<(), String> {
    for locale in LOCALES {
        if text.get(locale).trim().is_empty() {
            return Err(format!("{what}: the {} text is empty", locale.tag()));
        }
    }
    Ok(())
}

/// The structure every lesson must have, whatever its Markdown fields hold: IDs, titles,
/// steps (or a challenge), solutions, questions with one right answer. The compiler and the
/// browser's loader of an author's compiled lesson (`?lesson-url=`) both run it.
pub fn check_metadata<M>(lesson: &Lesson<M>) -> Result<(), String> {
    if !is_kebab(&lesson.id) {
        return Err(format!(
            "lesson ID {:?} must be lower-case letters, digits and dashes",
            lesson.id
        ));
    }
    check_text("title", &lesson.title)?;
    check_text("summary", &lesson.summary)?;
    if lesson.minutes == 0 {
        return Err("minutes must be at least 1".to_string());
    }
    match &lesson.challenge {
        None if lesson.steps.is_empty() => {
            return Err("a lesson needs at least one step".to_string());
        }
        Some(_) if !lesson.steps.is_empty() => {
            return Err(
                "a challenge has no steps: its task is its one step, scored by its checks"
                    .to_string(),
            );
        }
        Some(challenge) => {
            if challenge.checks.is_empty() {
                return Err("a challenge needs at least one check".to_string());
            }
            if challenge.solution.is_empty() {
                return Err("the challenge's solution is empty".to_string());
            }
            for (n, check) in challenge.checks.iter().enumerate() {
                check_text(&format!("check {}", n + 1), &check.title)?;
            }
        }
        None => (),
    }
    let mut ids = BTreeSet::new();
    for (idx, step) in lesson.steps.iter().enumerate() {
        let name = format!("step {} ({:?})", idx + 1, step.id);
        if !is_kebab(&step.id) {
            return Err(format!(
                "{name}: the step ID must be lower-case letters, digits and dashes"
            ));
        }
        if !ids.insert(step.id.as_str()) {
            return Err(format!("{name}: another step has the same ID"));
        }
        check_text(&format!("{name} title"), &step.title)?;
        if step.solution.is_empty() {
            return Err(format!(
                "{name}: the solution is empty (every step needs inputs that reach its goal)"
            ));
        }
        if let Some(question) = &step.question {
            if question.choices.len() < 2 {
                return Err(format!("{name} question: it needs at least two choices"));
            }
            let correct = question.choices.iter().filter(|c| c.correct).count();
            if correct != 1 {
                return Err(format!(
                    "{name} question: exactly one choice must be `correct: true` ({correct} are)"
                ));
            }
        }
    }
    Ok(())
}
