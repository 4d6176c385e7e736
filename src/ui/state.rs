//! The app's one store: the playground, the view models derived from it, and the UI's own
//! state, changed only by the closed [`Action`] enum (Yew's `use_reducer`, todomvc-shaped).
//!
//! The playground sits behind `Rc<RefCell<_>>` because cloning a cluster per action would be
//! wasteful; the reducer mutates it and returns a new `Rc<Store>` whenever anything a
//! component shows changed (Yew 0.23 skips a render when the same `Rc` comes back).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use yew::prelude::*;

use crate::playground::rewind::Rewind;
use crate::playground::{Input, Playground, RowAction, SavedSession, SimDuration};
use crate::ui::storage::{Found, Settings};
use crate::ui::wall::now_ms;
use crate::view::editor::EditorAnalysis;
use crate::view::lesson::{course, Doc, InsideFocus, Lesson, LessonEntry, LessonView, Locale};
use crate::view::terminal::Block;
use crate::view::{ClockView, NodeView, PodsView};

/// The seed every fresh session starts from.
pub const SEED: u64 = 1;

/// The speeds the top bar offers.
pub const SPEEDS: [u32; 4] = [1, 10, 60, 600];

/// Most wall-clock milliseconds of simulation work per animation frame.
pub const FRAME_BUDGET_MS: f64 = 8.0;

/// Most wall-clock milliseconds of replay work per animation frame while a saved session is
/// restored: the learner cannot act until it is whole, so the replay takes whole frames (the
/// page still paints its progress about ten times a second, and answers within the 100 ms a
/// click may wait). Each frame costs a few milliseconds of its own (the wait for the next
/// vsync, the render), so fewer, longer frames restore sooner.
pub const REPLAY_FRAME_BUDGET_MS: f64 = 90.0;

/// Wake-ups per slice between wall-clock checks, at first; the frame loop then adapts it so a
/// slice takes about [`SLICE_TARGET_MS`], whatever one wake-up costs with the pods running.
const SLICE_WAKEUPS: u32 = 8;

/// The wall-clock length a slice aims at.
const SLICE_TARGET_MS: f64 = 1.0;

/// How often the live panes are recomputed while the clock runs. The pod table and the node
/// cards take turns (see [`ViewHalf`]), each every `VIEW_REFRESH_MS`.
const VIEW_REFRESH_MS: f64 = 250.0;

/// How long typing must pause before the editor's buffer is analysed again.
const ANALYSIS_DELAY_MS: f64 = 150.0;

/// How often the session is saved while only the clock moves.
const CLOCK_SAVE_MS: f64 = 1000.0;

/// A frame longer than this (a tab in the background, a debugger) counts as this long.
const MAX_FRAME_MS: f64 = 100.0;

/// The panes; below 900 px they become tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The lesson panel (only while a lesson is taken).
    Lesson,
    /// The terminal.
    Terminal,
    /// The manifest editor.
    Editor,
    /// The node cards.
    Nodes,
    /// The pod table.
    Pods,
    /// Inside the kubelet: the pipeline diagram, the timeline and the inspector.
    Kubelet,
}

/// Light or dark; `None` follows the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Dark backgrounds.
    Dark,
    /// Light backgrounds.
    Light,
}

/// A modal dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// What the terminal supports.
    Help,
    /// "Start over?"
    ConfirmReset,
    /// The first-visit tour, at step n.
    Tour(usize),
    /// A lesson could not start (a lesson whose setup fails is a bug): why.
    StartFailed(String),
    /// The session as a link, and the terminal as text.
    Share {
        /// The full URL.
        url: String,
        /// The transcript.
        transcript: Rc<String>,
    },
    /// Saved data could not be restored: why, and the raw data to offer for download.
    RestoreFailed {
        /// What went wrong, for the learner.
        reason: String,
        /// The saved text as found.
        raw: Rc<String>,
    },
}

/// A file open in the editor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileKey {
    /// The node.
    pub host: String,
    /// The absolute path.
    pub path: String,
}

/// An editor buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// What the editor holds.
    pub text: String,
    /// What the file held when opened or last saved (`None`: a new file).
    pub saved: Option<String>,
}

impl Draft {
    /// Whether the buffer differs from the file.
    pub fn dirty(&self) -> bool {
        self.saved.as_deref() != Some(self.text.as_str())
    }
}

/// Tab completion's answer for the line it was asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The line as it was when Tab was pressed.
    pub line: String,
    /// The cursor (bytes).
    pub cursor: usize,
    /// The candidates, sorted.
    pub candidates: Vec<String>,
    /// Counts requests, so the same answer twice still reaches the terminal.
    pub serial: u64,
}

/// The terminal as the component draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalSnapshot {
    /// The scrollback's blocks.
    pub blocks: Vec<Block>,
    /// The current prompt.
    pub prompt: String,
    /// The session's history, oldest first.
    pub history: Vec<String>,
    /// A command is running: the terminal shows no prompt and Ctrl-C stops it.
    pub busy: bool,
    /// A running `sleep`'s progress in percent (the clock fast-forwards meanwhile).
    pub fast_forward: Option<u32>,
    /// The scrollback revision this was taken at.
    revision: u64,
}

/// Inputs being replayed (a restored session), a few per frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    /// What is left, in order.
    pub queue: VecDeque<Input>,
    /// How many inputs there were.
    pub total: usize,
}

/// The session as it was at an earlier instant, shown read-only while the learner scrubs
/// back through its history.
#[derive(Debug)]
pub struct Past {
    /// The instant shown, as virtual milliseconds since the learner arrived.
    pub elapsed_ms: u64,
    /// The world then (a copy replayed from the nearest snapshot).
    pub world: Rc<RefCell<Playground>>,
    /// Its clock readout.
    pub clock: ClockView,
    /// Its Pods pane.
    pub pods: Rc<PodsView>,
    /// Its Nodes pane.
    pub nodes: Rc<Vec<NodeView>>,
    /// How many trace records there were then (the timeline shows those before it).
    pub trace_len: usize,
    /// Whether the clock ran before the learner scrubbed back ("Return to now" resumes it).
    pub resume: bool,
}

impl PartialEq for Past {
    fn eq(&self, other: &Past) -> bool {
        self.elapsed_ms == other.elapsed_ms && Rc::ptr_eq(&self.world, &other.world)
    }
}

/// The whole app state.
#[derive(Clone)]
pub struct Store {
    /// The simulation.
    pub playground: Rc<RefCell<Playground>>,
    /// The clock readout (every frame).
    pub clock: ClockView,
    /// The Pods pane.
    pub pods: Rc<PodsView>,
    /// The Nodes pane.
    pub nodes: Rc<Vec<NodeView>>,
    /// The last Pods view the API server answered (shown greyed while it is down).
    pub last_pods: Rc<PodsView>,
    /// The terminal.
    pub terminal: Rc<TerminalSnapshot>,
    /// Whether the clock runs.
    pub playing: bool,
    /// The chosen speed (× real time).
    pub speed: u32,
    /// The speed the simulation really reached (rounded), when it fell short of `speed`.
    pub effective_speed: Option<u32>,
    /// The theme chosen by the learner; `None` follows the browser.
    pub theme: Option<Theme>,
    /// The language tag the chrome speaks (`en`, `zh-CN`).
    pub lang: &'static str,
    /// Whether the learner chose the language (then it is saved).
    pub lang_chosen: bool,
    /// The pane shown in the narrow layout.
    pub tab: Pane,
    /// The file the editor shows.
    pub open_file: Option<FileKey>,
    /// Editor buffers by file.
    pub drafts: Rc<BTreeMap<FileKey, Draft>>,
    /// Why the last save or open failed.
    pub editor_error: Option<String>,
    /// The open buffer's diagnostics and save preview.
    pub analysis: Option<Rc<EditorAnalysis>>,
    /// When (wall clock) the buffer changed and the analysis waits for typing to pause.
    analysis_due: Option<f64>,
    /// The open dialog.
    pub dialog: Option<Dialog>,
    /// Tab completion's last answer.
    pub completion: Option<Rc<Completion>>,
    /// A session being replayed.
    pub replay: Option<Rc<Replay>>,
    /// Whether the browser lets us save.
    pub storage_ok: bool,
    /// Storms the simulation's guard stopped (a bug, shown to the learner).
    pub storms: u32,
    /// Whether the first-visit tour was seen.
    pub tour_seen: bool,
    /// Counts changes worth saving; the app saves when it moves.
    pub save_revision: u64,
    /// Set when a change worth saving happened and only the clock has moved since.
    save_due: bool,
    /// Wall-clock bookkeeping of the frame loop, shared by every store value so that a frame
    /// that changes nothing visible can keep it without a new store (and a render).
    frame: Rc<Cell<FrameClock>>,
    /// Counts requests to move focus into the editor (`vi FILE`, an Open button).
    pub focus_editor: u64,
    /// The lesson panel, while a lesson is taken.
    pub lesson: Option<Rc<LessonView>>,
    /// The course, for the lesson picker, in the chrome's language.
    pub course: Rc<Vec<LessonEntry>>,
    /// Steps done per lesson ID, the most ever reached (saved with the settings).
    pub progress: Rc<BTreeMap<String, usize>>,
    /// The open step's guidance as the learner asked for it.
    pub guide: Guide,
    /// A line for the terminal's command line ("show solution"), with a serial so the same
    /// line twice still arrives.
    pub fill: Option<Rc<(u64, String)>>,
    /// When the challenge being taken started (saved, so a reload keeps the time running).
    pub challenge_clock: Option<ChallengeClock>,
    /// The compact layout for an iframe (`?embed=1`).
    pub embed: bool,
    /// A demo (`?readonly=1`): the terminal, the editor and row actions take no input.
    pub readonly: bool,
    /// The panes a course page asked for (`?panes=`), over the lesson's.
    pub panes: Option<Vec<Pane>>,
    /// The storage key the session autosaves to.
    pub session_key: String,
    /// A new release is installed and waits for a reload.
    pub update_ready: bool,
    /// An author's lesson loaded from `?lesson-url=`, and where it came from.
    pub author_lesson: Option<Rc<AuthorLesson>>,
    /// Snapshots of this session for the replay scrubber.
    pub rewind: Rc<RefCell<Rewind>>,
    /// The earlier instant the panes show while the learner scrubs back; `None`: now.
    pub past: Option<Rc<Past>>,
    /// Where the open lesson step pointed "Inside the kubelet", with a serial that moves each
    /// time a step points it (the pane opens there once, then is the learner's).
    pub inside_focus: Option<Rc<(u64, InsideFocus)>>,
}

/// An author's lesson from another site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorLesson {
    /// The lesson, checked.
    pub lesson: Lesson<Doc>,
    /// The origin it was fetched from, shown to the learner.
    pub origin: String,
}

/// When an attempt at a challenge started: one challenge, one seed (its variant).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChallengeClock {
    /// The challenge's ID.
    pub lesson: String,
    /// The session's seed.
    pub seed: u64,
    /// Milliseconds since the Unix epoch.
    pub started_ms: u64,
}

/// What the learner asked of the open step: it starts over when another step opens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guide {
    /// The lesson and step this is about.
    pub step: Option<(String, usize)>,
    /// How many of the hints that apply are shown.
    pub hints_shown: usize,
    /// The choice picked in the step's question.
    pub answer: Option<usize>,
    /// Whether the reference solution is shown.
    pub solution: bool,
    /// Whether a challenge's result is shown.
    pub results: bool,
}

impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        Rc::ptr_eq(&self.playground, &other.playground)
            && self.clock == other.clock
            && Rc::ptr_eq(&self.pods, &other.pods)
            && Rc::ptr_eq(&self.nodes, &other.nodes)
            && Rc::ptr_eq(&self.terminal, &other.terminal)
            && self.playing == other.playing
            && self.speed == other.speed
            && self.effective_speed == other.effective_speed
            && self.theme == other.theme
            && self.lang == other.lang
            && self.tab == other.tab
            && self.open_file == other.open_file
            && Rc::ptr_eq(&self.drafts, &other.drafts)
            && self.editor_error == other.editor_error
            && self.analysis == other.analysis
            && self.dialog == other.dialog
            && self.completion == other.completion
            && self.replay == other.replay
            && self.storage_ok == other.storage_ok
            && self.storms == other.storms
            && self.save_revision == other.save_revision
            && self.lesson == other.lesson
            && Rc::ptr_eq(&self.course, &other.course)
            && self.progress == other.progress
            && self.guide == other.guide
            && self.fill == other.fill
            && self.challenge_clock == other.challenge_clock
            && self.embed == other.embed
            && self.readonly == other.readonly
            && self.panes == other.panes
            && self.update_ready == other.update_ready
            && self.author_lesson == other.author_lesson
            && Rc::ptr_eq(&self.rewind, &other.rewind)
            && self.past == other.past
            && self.inside_focus == other.inside_focus
    }
}

/// The two halves of the live panes, recomputed on alternate refresh frames while the clock
/// runs: rebuilding the pod table and the node cards in one frame (their view models, Yew's
/// diff and the browser's layout and paint of a few hundred changed rows) made that frame
/// the longest by far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum ViewHalf {
    /// The pod table, with the terminal, the storm notice and the lesson.
    #[default]
    Pods,
    /// The node cards.
    Nodes,
}

impl ViewHalf {
    /// The half after this one.
    fn other(self) -> ViewHalf {
        match self {
            ViewHalf::Pods => ViewHalf::Nodes,
            ViewHalf::Nodes => ViewHalf::Pods,
        }
    }
}

/// The half of the live panes a frame at `now` should recompute, if any: one half every half
/// refresh period, so each half every [`VIEW_REFRESH_MS`].
fn due_half(clock: &FrameClock, now: f64) -> Option<ViewHalf> {
    (now - clock.view_at >= VIEW_REFRESH_MS / 2.0).then_some(clock.next_half)
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct FrameClock {
    /// The effective speed before rounding, smoothed over frames.
    reached: Option<f64>,
    /// The previous frame's timestamp.
    last: Option<f64>,
    /// Wake-ups per slice (0: not yet adapted).
    slice: u32,
    /// When the live panes (or one half of them) were last recomputed.
    view_at: f64,
    /// Which half of the live panes the next live refresh recomputes.
    next_half: ViewHalf,
    /// When the session was last marked for saving because the clock moved.
    saved_at: f64,
}

/// Everything that can change the store.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// An animation frame at this `performance.now()`.
    Frame(f64),
    /// Start the clock.
    Play,
    /// Stop the clock.
    Pause,
    /// Choose a speed.
    SetSpeed(u32),
    /// Run to the next thing that happens.
    Step,
    /// Run a complete command line.
    RunCommand(String),
    /// Ctrl-C at the prompt with this line typed.
    CancelLine(String),
    /// Ctrl-C while a command runs.
    Interrupt,
    /// Ctrl-L.
    ClearScreen,
    /// Tab at this line and cursor.
    Complete(String, usize),
    /// Open a file in the editor.
    OpenFile(FileKey),
    /// Start a new static pod manifest on this node.
    NewFile(String),
    /// The new file's path was edited.
    RenameNew(String),
    /// The editor's text changed.
    EditDraft(String),
    /// Save the open file.
    SaveFile,
    /// Close the open file (its draft is kept).
    CloseFile,
    /// A pane's row action.
    Row(RowAction),
    /// Ask before resetting.
    AskReset,
    /// Boot a fresh session.
    Reset,
    /// Show a dialog.
    Show(Dialog),
    /// Close the dialog.
    CloseDialog,
    /// The tour moves on (or ends).
    TourNext,
    /// Choose the theme.
    SetTheme(Theme),
    /// Choose the language (a tag from `text::LANGUAGES`).
    SetLanguage(String),
    /// Show a pane in the narrow layout.
    SelectTab(Pane),
    /// Replay a saved session (an import, or the autosave at start).
    Restore(SavedSession),
    /// Browser storage turned out to be unavailable.
    StorageFailed,
    /// The tab was hidden.
    Hidden,
    /// Take lesson ID (`None`: the sandbox), resuming the session stashed for it if any.
    SwitchLesson(Option<String>, Option<SavedSession>),
    /// Put a line on the terminal's command line without running it.
    FillLine(String),
    /// Open a file in the editor with this text, unsaved (a solution's file).
    OpenWithText(FileKey, String),
    /// Show one more of the open step's hints.
    ShowHint,
    /// Answer the open step's question with this choice.
    Answer(usize),
    /// Show or hide the open step's reference solution.
    ToggleSolution,
    /// Go back to where the open step began.
    RestartStep,
    /// Show (or hide) a challenge's result.
    ShowResults(bool),
    /// Complete the lesson's steps before this one (1-based) with their solutions.
    SkipToStep(usize),
    /// A new release is installed.
    UpdateReady,
    /// An author's lesson arrived from `?lesson-url=` (or why it could not be used), with the
    /// session it left in storage, if any.
    AuthorLesson(Result<Rc<AuthorLesson>, String>, Option<SavedSession>),
    /// Show the panes as they were this many virtual milliseconds after the learner arrived
    /// (the replay scrubber); the clock pauses meanwhile.
    Scrub(u64),
    /// Leave the past: the panes show now again, and the clock resumes if it ran.
    ReturnToNow,
}

impl Action {
    /// What typing `text` at the terminal and pressing Enter does (a lesson's command block,
    /// a course page's `run-command`): each complete command runs, as a paste runs them; an
    /// unfinished rest (an open heredoc) waits on the command line.
    pub fn typed(text: &str) -> Vec<Action> {
        let (commands, rest) = crate::ui::line_edit::take_complete(&format!("{text}\n"));
        let mut actions: Vec<Action> = commands.into_iter().map(Action::RunCommand).collect();
        if !rest.trim().is_empty() {
            actions.push(Action::FillLine(rest));
        }
        actions
    }
}

impl Store {
    /// A fresh session with a booted cluster.
    pub fn fresh(tour_seen: bool, theme: Option<Theme>) -> Store {
        let playground = match Playground::interactive(SEED) {
            Ok(playground) => playground,
            // The default cluster always boots; a failure is a bug the panic banner reports.
            Err(err) => panic!("the default cluster did not boot: {err}"),
        };
        Store::around(playground, tour_seen, theme)
    }

    /// A fresh store around `playground` that keeps what the learner set for the page (theme,
    /// language, progress, drafts, storage state).
    fn succeed(&self, playground: Playground) -> Store {
        let mut fresh = Store::around(playground, true, self.theme);
        fresh.tour_seen = self.tour_seen;
        fresh.storage_ok = self.storage_ok;
        fresh.lang_chosen = self.lang_chosen;
        fresh.progress = self.progress.clone();
        fresh.challenge_clock = self.challenge_clock.clone();
        fresh.embed = self.embed;
        fresh.readonly = self.readonly;
        fresh.panes = self.panes.clone();
        fresh.session_key = self.session_key.clone();
        fresh.author_lesson = self.author_lesson.clone();
        // The serial goes on, so a step of the next session that points the pane still does.
        fresh.inside_focus = self.inside_focus.clone();
        fresh.drafts = self.drafts.clone();
        fresh.open_file = self.open_file.clone();
        fresh.analysis_due = fresh.open_file.is_some().then_some(0.0);
        fresh.save_revision = self.save_revision + 1;
        fresh.set_lang(self.lang);
        fresh
    }

    /// Speaks `lang` (a tag from `text::LANGUAGES`): the chrome, the course and the panel.
    fn set_lang(&mut self, lang: &'static str) {
        self.lang = lang;
        self.course = Rc::new(course(self.locale()));
        self.lesson = None;
        self.refresh_lesson();
    }

    /// The locale lessons are shown in.
    pub fn locale(&self) -> Locale {
        Locale::from_tag(self.lang).unwrap_or(Locale::En)
    }

    /// The lesson being taken, by ID.
    pub fn lesson_id(&self) -> Option<&str> {
        self.lesson.as_ref().map(|l| l.entry.id.as_str())
    }

    /// Recomputes the lesson panel; records progress and starts the guide over when the open
    /// step changed.
    fn refresh_lesson(&mut self) {
        let view = self.playground.borrow().lesson_view(self.locale());
        if let Some(view) = view.as_ref().filter(|v| v.challenge.is_some()) {
            self.start_challenge_clock(&view.entry.id);
        }
        if view.as_ref() == self.lesson.as_deref() {
            return;
        }
        let Some(view) = view else {
            self.lesson = None;
            self.guide = Guide::default();
            return;
        };
        let step = Some((view.entry.id.clone(), view.completed));
        if self.guide.step != step {
            self.guide = Guide {
                step,
                ..Guide::default()
            };
            if let Some(focus) = view.open.as_ref().and_then(|o| o.inside.clone()) {
                let serial = self.inside_focus.as_ref().map_or(1, |f| f.0 + 1);
                self.inside_focus = Some(Rc::new((serial, focus)));
            }
        }
        let best = self.progress.get(&view.entry.id).copied().unwrap_or(0);
        if view.completed > best {
            Rc::make_mut(&mut self.progress).insert(view.entry.id.clone(), view.completed);
            self.save_revision += 1;
        }
        self.lesson = Some(Rc::new(view));
    }

    /// A learner's start: lesson `id` (the author's lesson when it is that one), or the sandbox.
    fn start(&self, id: Option<&str>, seed: u64) -> Result<Playground, String> {
        match &self.author_lesson {
            Some(author) if id == Some(author.lesson.id.as_str()) => {
                Playground::with_lesson(author.lesson.clone(), seed, true)
            }
            _ => Playground::start(id, seed),
        }
    }

    /// Takes lesson `id` (or the sandbox), resuming `stashed` when it is that lesson's.
    fn reduce_switch(mut self, id: Option<String>, stashed: Option<SavedSession>) -> Rc<Store> {
        let (seed, inputs) = match stashed {
            Some(saved) if saved.lesson == id => (saved.seed, saved.inputs),
            _ => (SEED, Vec::new()),
        };
        match self.start(id.as_deref(), seed) {
            Ok(playground) => {
                let mut fresh = self.replay_onto(playground, inputs);
                fresh.tab = if id.is_some() {
                    Pane::Lesson
                } else {
                    Pane::Terminal
                };
                Rc::new(fresh)
            }
            Err(err) => {
                self.dialog = Some(Dialog::StartFailed(err));
                Rc::new(self)
            }
        }
    }

    /// Starts the time of challenge `id` unless this attempt (its seed) already has it.
    fn start_challenge_clock(&mut self, id: &str) {
        let seed = self.playground.borrow().seed();
        let same = self
            .challenge_clock
            .as_ref()
            .is_some_and(|c| c.lesson == id && c.seed == seed);
        if !same {
            self.challenge_clock = Some(ChallengeClock {
                lesson: id.to_string(),
                seed,
                started_ms: crate::ui::wall::epoch_ms() as u64,
            });
            self.save_revision += 1;
        }
    }

    /// Replays `inputs` onto `playground` a few per frame, from a store that keeps the page's
    /// settings.
    fn replay_onto(&self, playground: Playground, inputs: Vec<Input>) -> Store {
        let mut fresh = self.succeed(playground);
        if !inputs.is_empty() {
            let total = inputs.len();
            fresh.replay = Some(Rc::new(Replay {
                queue: inputs.into(),
                total,
            }));
        }
        fresh
    }

    /// A store around `playground` with the page's defaults. Its lesson panel and course come
    /// from [`Store::set_lang`], which `load` and `succeed` run on every store they make.
    fn around(playground: Playground, tour_seen: bool, theme: Option<Theme>) -> Store {
        let view = playground.view();
        let pods = Rc::new(view.pods);
        let terminal = Rc::new(snapshot(&playground));
        let mut rewind = Rewind::default();
        rewind.observe(&playground);
        Store {
            playground: Rc::new(RefCell::new(playground)),
            clock: view.clock,
            last_pods: pods.clone(),
            pods,
            nodes: Rc::new(view.nodes),
            terminal,
            playing: false,
            speed: 1,
            effective_speed: None,
            theme,
            lang: "en",
            lang_chosen: false,
            tab: Pane::Terminal,
            open_file: None,
            drafts: Rc::default(),
            editor_error: None,
            analysis: None,
            analysis_due: None,
            dialog: (!tour_seen).then_some(Dialog::Tour(0)),
            completion: None,
            replay: None,
            storage_ok: true,
            storms: 0,
            tour_seen,
            save_revision: 0,
            save_due: false,
            frame: Rc::default(),
            focus_editor: 0,
            lesson: None,
            course: Rc::new(course(Locale::En)),
            progress: Rc::default(),
            guide: Guide::default(),
            fill: None,
            challenge_clock: None,
            embed: false,
            readonly: false,
            panes: None,
            session_key: crate::ui::storage::SESSION_KEY.to_string(),
            update_ready: false,
            author_lesson: None,
            rewind: Rc::new(RefCell::new(rewind)),
            past: None,
            inside_focus: None,
        }
    }

    /// The session to save.
    pub fn saved(&self) -> SavedSession {
        self.playground.borrow().saved()
    }

    /// The open file's draft.
    pub fn open_draft(&self) -> Option<&Draft> {
        self.open_file.as_ref().and_then(|k| self.drafts.get(k))
    }

    /// Whether a replay is running (the UI takes no input meanwhile).
    pub fn replaying(&self) -> bool {
        self.replay.is_some()
    }

    /// Recomputes the live panes and the terminal after the playground changed.
    fn refresh(&mut self) {
        self.refresh_pods();
        self.refresh_nodes();
    }

    /// Recomputes one half of the live panes, and schedules the other for the next refresh.
    fn refresh_half(&mut self, half: ViewHalf) {
        match half {
            ViewHalf::Pods => self.refresh_pods(),
            ViewHalf::Nodes => self.refresh_nodes(),
        }
        let mut clock = self.frame.get();
        clock.next_half = half.other();
        self.frame.set(clock);
    }

    /// Recomputes the clock, the pod table, the terminal, the storm notice and the lesson.
    fn refresh_pods(&mut self) {
        let playground = self.playground.borrow();
        self.clock = playground.clock();
        self.storms = playground.storms();
        let pods = playground.pods_view();
        if pods != *self.pods {
            self.pods = Rc::new(pods);
            if self.pods.serving {
                self.last_pods = self.pods.clone();
            }
        }
        if playground.scrollback().revision() != self.terminal.revision
            || playground.prompt() != self.terminal.prompt
            || playground.busy() != self.terminal.busy
            || playground.fast_forward().is_some()
        {
            self.terminal = Rc::new(snapshot(&playground));
        }
        drop(playground);
        self.mark_refreshed();
        self.refresh_lesson();
    }

    /// Recomputes the clock and the node cards.
    fn refresh_nodes(&mut self) {
        let playground = self.playground.borrow();
        self.clock = playground.clock();
        let nodes = playground.nodes_view();
        if nodes != *self.nodes {
            self.nodes = Rc::new(nodes);
        }
        drop(playground);
        self.mark_refreshed();
    }

    /// Notes that the live panes were just recomputed.
    fn mark_refreshed(&mut self) {
        let mut clock = self.frame.get();
        clock.view_at = now_ms();
        self.frame.set(clock);
    }

    /// Analyses the open buffer now.
    fn analyse(&mut self) {
        self.analysis_due = None;
        let analysis = match (&self.open_file, self.open_draft()) {
            (Some(key), Some(draft)) => Some(self.playground.borrow().analyse(
                &key.host,
                &key.path,
                &draft.text,
            )),
            _ => None,
        };
        if analysis.as_ref() != self.analysis.as_deref() {
            self.analysis = analysis.map(Rc::new);
        }
    }

    /// Marks a change worth saving now.
    fn changed(&mut self) {
        self.save_revision += 1;
        self.save_due = false;
    }

    /// Runs one frame: replays, the clock, the pane refresh, the throttled autosave.
    fn frame(&mut self, timestamp: f64) -> bool {
        let mut clock = self.frame.get();
        let elapsed = clock
            .last
            .map_or(0.0, |last| (timestamp - last).clamp(0.0, MAX_FRAME_MS));
        clock.last = Some(timestamp);
        self.frame.set(clock);
        let deadline = now_ms() + FRAME_BUDGET_MS;
        if self.analysis_due.is_some_and(|due| due <= now_ms()) {
            self.analyse();
            return true;
        }
        if let Some(replay) = self.replay.take() {
            let mut replay = Rc::unwrap_or_clone(replay);
            let deadline = deadline - FRAME_BUDGET_MS + REPLAY_FRAME_BUDGET_MS;
            self.replay_some(&mut replay, deadline);
            if replay.queue.is_empty() {
                self.refresh();
                self.analyse();
                self.changed();
            } else {
                // The panes catch up a few times a second: recomputing them every frame would
                // take time from the replay itself.
                if now_ms() - self.frame.get().view_at >= VIEW_REFRESH_MS {
                    self.refresh();
                }
                self.replay = Some(Rc::new(replay));
            }
            return true;
        }
        let fast_forward = self.playground.borrow().fast_forward();
        if let Some(ff) = fast_forward {
            return self.fast_forward_frame(ff.total_ms.saturating_sub(ff.done_ms), deadline);
        }
        if !self.playing || elapsed == 0.0 {
            return false;
        }
        let now = now_ms();
        if let Some(half) = due_half(&self.frame.get(), now) {
            // A refresh frame recomputes half of the panes and leaves the clock alone, so no
            // frame does both (the clock catches up on the next one).
            let before = (self.pods.clone(), self.nodes.clone(), self.terminal.clone());
            let lesson = self.lesson.clone();
            self.refresh_half(half);
            return !Rc::ptr_eq(&before.0, &self.pods)
                || !Rc::ptr_eq(&before.1, &self.nodes)
                || !Rc::ptr_eq(&before.2, &self.terminal)
                || lesson != self.lesson;
        }
        let want = (elapsed * f64::from(self.speed)) as u64;
        let mut left = want;
        {
            let mut playground = self.playground.borrow_mut();
            let mut clock = self.frame.get();
            while left > 0 && now_ms() < deadline {
                let (moved, slice) = timed_slice(&mut playground, left, clock.slice);
                clock.slice = slice;
                left -= moved.min(left);
                self.rewind.borrow_mut().observe(&playground);
            }
            clock.reached = smooth_speed(clock.reached, (want - left) as f64 / elapsed);
            self.frame.set(clock);
        }
        let behind = self
            .frame
            .get()
            .reached
            .filter(|r| *r < f64::from(self.speed) * 0.9)
            .map(|r| r.round() as u32);
        let mut changed = behind != self.effective_speed;
        self.effective_speed = behind;
        let clock = self.playground.borrow().clock();
        if clock != self.clock {
            self.clock = clock;
            changed = true;
        }
        if now - self.frame.get().saved_at >= CLOCK_SAVE_MS {
            let mut frame = self.frame.get();
            frame.saved_at = now;
            self.frame.set(frame);
            self.save_revision += 1;
            changed = true;
        }
        changed
    }

    /// A frame of a running `sleep`: as much of it as the frame's budget allows, whatever the
    /// play state, with the panes refreshed as it goes.
    fn fast_forward_frame(&mut self, left: u64, deadline: f64) -> bool {
        {
            let mut playground = self.playground.borrow_mut();
            let mut clock = self.frame.get();
            let mut left = left;
            while left > 0 && now_ms() < deadline {
                let (moved, slice) = timed_slice(&mut playground, left, clock.slice);
                clock.slice = slice;
                left -= moved.min(left);
                self.rewind.borrow_mut().observe(&playground);
            }
            self.frame.set(clock);
        }
        self.refresh();
        self.save_revision += 1;
        true
    }

    /// Applies queued inputs until `deadline`, slicing long clock movements.
    fn replay_some(&mut self, replay: &mut Replay, deadline: f64) {
        let mut playground = self.playground.borrow_mut();
        let mut clock = self.frame.get();
        while now_ms() < deadline {
            let Some(input) = replay.queue.pop_front() else {
                break;
            };
            match input {
                Input::Advance(ms) => {
                    let (moved, slice) = timed_slice(&mut playground, ms, clock.slice);
                    clock.slice = slice;
                    if moved < ms {
                        replay.queue.push_front(Input::Advance(ms - moved));
                    }
                }
                other => playground.apply(other),
            }
            self.rewind.borrow_mut().observe(&playground);
        }
        self.frame.set(clock);
    }
}

impl Store {
    /// Shows the panes as they were `elapsed_ms` after the learner arrived (clamped to what
    /// the snapshots reach); scrubbing to now or later leaves the past.
    fn scrub(&mut self, elapsed_ms: u64) {
        let live = self.playground.borrow();
        let arrived = live.arrived();
        let now = live.cluster().now();
        let at = arrived + SimDuration::from_millis(elapsed_ms);
        let resume = self.past.as_ref().map_or(self.playing, |p| p.resume);
        if at >= now {
            drop(live);
            self.past = None;
            self.playing = resume;
            self.frame.set(FrameClock::default());
            return;
        }
        let Some(world) = self.rewind.borrow().at(&live, at) else {
            return;
        };
        let view = world.view();
        let past = Past {
            elapsed_ms: world.cluster().now().since(arrived).as_millis(),
            trace_len: world.cluster().trace().len(),
            clock: view.clock,
            pods: Rc::new(view.pods),
            nodes: Rc::new(view.nodes),
            world: Rc::new(RefCell::new(world)),
            resume,
        };
        drop(live);
        self.past = Some(Rc::new(past));
        self.playing = false;
        self.effective_speed = None;
    }

    /// The earliest and the latest instant the scrubber reaches, as virtual milliseconds since
    /// the learner arrived.
    pub fn scrub_range(&self) -> (u64, u64) {
        let live = self.playground.borrow();
        let arrived = live.arrived();
        let earliest = self.rewind.borrow().earliest().unwrap_or(arrived);
        (
            earliest.since(arrived).as_millis(),
            live.cluster().now().since(arrived).as_millis(),
        )
    }
}

/// Advances up to `ms` virtual milliseconds with a budget of `slice` wake-ups; returns how far
/// the clock got and the budget for the next slice, halved or doubled toward
/// [`SLICE_TARGET_MS`] of wall-clock time.
fn timed_slice(playground: &mut Playground, ms: u64, slice: u32) -> (u64, u32) {
    let slice = if slice == 0 { SLICE_WAKEUPS } else { slice };
    let started = now_ms();
    let moved = playground
        .advance_limited(SimDuration::from_millis(ms), slice)
        .as_millis();
    let took = now_ms() - started;
    let next = if took > SLICE_TARGET_MS * 2.0 {
        (slice / 2).max(1)
    } else if took < SLICE_TARGET_MS / 2.0 {
        slice.saturating_mul(2).min(4096)
    } else {
        slice
    };
    (moved, next)
}

/// The speed the clock reached, smoothed over frames.
fn smooth_speed(before: Option<f64>, reached: f64) -> Option<f64> {
    Some(match before {
        Some(previous) => previous * 0.9 + reached * 0.1,
        None => reached,
    })
}

fn snapshot(playground: &Playground) -> TerminalSnapshot {
    TerminalSnapshot {
        blocks: playground.scrollback().blocks().cloned().collect(),
        prompt: playground.prompt(),
        history: playground.session().history.clone(),
        busy: playground.busy(),
        fast_forward: playground
            .fast_forward()
            .map(|ff| (ff.done_ms * 100 / ff.total_ms.max(1)) as u32),
        revision: playground.scrollback().revision(),
    }
}

/// A new static pod manifest: a working nginx pod to start from.
pub const NEW_POD_TEMPLATE: &str = "apiVersion: v1
kind: Pod
metadata:
  name: static-web
  labels:
    role: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
";

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if self.replaying()
            && !matches!(
                action,
                Action::Frame(_) | Action::Hidden | Action::UpdateReady | Action::AuthorLesson(..)
            )
        {
            // Nothing else may touch the session until it is whole again.
            return self;
        }
        if self.past.is_some() && matches!(action, Action::Row(_)) {
            // A row of the past names what may be gone now: the panes are read-only then.
            return self;
        }
        let mut next = (*self).clone();
        if action.changes_world() {
            // Anything that changes the session happens now, so the panes show now again.
            next.past = None;
        }
        match action {
            Action::Frame(timestamp) => {
                if !next.frame(timestamp) {
                    return self;
                }
            }
            Action::Play => {
                next.playing = true;
                next.frame.set(FrameClock::default());
            }
            Action::Pause | Action::Hidden => {
                next.playing = false;
                next.effective_speed = None;
                next.changed();
            }
            Action::SetSpeed(speed) => {
                next.speed = speed;
                next.effective_speed = None;
            }
            Action::Step => {
                next.playground.borrow_mut().step();
                next.refresh();
                next.changed();
            }
            Action::RunCommand(line) => {
                let ran = next.playground.borrow_mut().run(&line);
                if let Some((host, path)) = ran.open_in_editor {
                    next.open(FileKey { host, path });
                    next.focus_editor += 1;
                }
                // A command that keeps running needs time to pass: a paused clock starts.
                let playground = next.playground.borrow();
                if playground.busy() && playground.fast_forward().is_none() && !next.playing {
                    next.playing = true;
                    next.frame.set(FrameClock::default());
                }
                drop(playground);
                next.completion = None;
                next.refresh();
                next.changed();
            }
            Action::CancelLine(line) => {
                next.playground.borrow_mut().cancel_line(&line);
                next.refresh();
                next.changed();
            }
            Action::Interrupt => {
                next.playground.borrow_mut().interrupt();
                next.refresh();
                next.changed();
            }
            Action::ClearScreen => {
                next.playground.borrow_mut().clear_screen();
                next.refresh();
                next.changed();
            }
            Action::Complete(line, cursor) => {
                let candidates = next.playground.borrow_mut().complete(&line, cursor);
                let serial = next.completion.as_ref().map_or(0, |c| c.serial + 1);
                next.completion = Some(Rc::new(Completion {
                    line,
                    cursor,
                    candidates,
                    serial,
                }));
            }
            Action::OpenFile(key) => {
                next.open(key);
                next.tab = Pane::Editor;
                next.focus_editor += 1;
            }
            Action::NewFile(host) => {
                let folder = next
                    .nodes
                    .iter()
                    .find(|n| n.name == host)
                    .map(|n| n.manifests.path.clone())
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| "/etc/kubernetes/manifests".into());
                let path = unused_name(&next, &host, &folder);
                let key = FileKey { host, path };
                Rc::make_mut(&mut next.drafts).insert(
                    key.clone(),
                    Draft {
                        text: NEW_POD_TEMPLATE.to_string(),
                        saved: None,
                    },
                );
                next.open_file = Some(key);
                next.editor_error = None;
                next.analyse();
                next.tab = Pane::Editor;
                next.focus_editor += 1;
                next.changed();
            }
            Action::RenameNew(path) => {
                let Some(key) = next.open_file.clone() else {
                    return self;
                };
                let drafts = Rc::make_mut(&mut next.drafts);
                if let Some(draft) = drafts.remove(&key) {
                    let renamed = FileKey {
                        host: key.host,
                        path,
                    };
                    drafts.insert(renamed.clone(), draft);
                    next.open_file = Some(renamed);
                }
                next.analysis_due = Some(now_ms());
                next.changed();
            }
            Action::EditDraft(text) => {
                let Some(key) = next.open_file.clone() else {
                    return self;
                };
                let drafts = Rc::make_mut(&mut next.drafts);
                match drafts.get_mut(&key) {
                    Some(draft) if draft.text == text => return self,
                    Some(draft) => draft.text = text,
                    None => {
                        drafts.insert(key, Draft { text, saved: None });
                    }
                }
                next.analysis_due = Some(now_ms() + ANALYSIS_DELAY_MS);
                next.changed();
            }
            Action::SaveFile => {
                let Some(key) = next.open_file.clone() else {
                    return self;
                };
                let Some(text) = next.drafts.get(&key).map(|d| d.text.clone()) else {
                    return self;
                };
                let saved = next
                    .playground
                    .borrow_mut()
                    .save_file(&key.host, &key.path, &text);
                match saved {
                    Ok(()) => {
                        if let Some(draft) = Rc::make_mut(&mut next.drafts).get_mut(&key) {
                            draft.saved = Some(text);
                        }
                        next.editor_error = None;
                    }
                    Err(err) => next.editor_error = Some(err),
                }
                next.refresh();
                next.analyse();
                next.changed();
            }
            Action::CloseFile => {
                next.analysis = None;
                next.analysis_due = None;
                if let Some(key) = next.open_file.take() {
                    // A clean buffer is forgotten; an unsaved one is kept for later.
                    if next.drafts.get(&key).is_some_and(|d| !d.dirty()) {
                        Rc::make_mut(&mut next.drafts).remove(&key);
                    }
                }
                next.editor_error = None;
                next.changed();
            }
            Action::Row(_) if next.readonly => return self,
            Action::Row(row) => {
                next.playground.borrow_mut().row_action(row);
                next.refresh();
                next.changed();
            }
            Action::AskReset => next.dialog = Some(Dialog::ConfirmReset),
            Action::Reset => {
                // Start over where the learner is: the lesson's start (a challenge's same
                // variant), or the sandbox.
                let lesson = next.lesson_id().map(str::to_string);
                let seed = next.playground.borrow().seed();
                match next.start(lesson.as_deref(), seed) {
                    Ok(playground) => {
                        // A challenge starts over with its time.
                        next.challenge_clock = None;
                        let mut fresh = next.succeed(playground);
                        fresh.drafts = Rc::default();
                        fresh.open_file = None;
                        return Rc::new(fresh);
                    }
                    Err(err) => next.dialog = Some(Dialog::StartFailed(err)),
                }
            }
            Action::Show(dialog) => next.dialog = Some(dialog),
            Action::CloseDialog => {
                if matches!(next.dialog, Some(Dialog::Tour(_))) {
                    next.tour_seen = true;
                    next.changed();
                }
                next.dialog = None;
            }
            Action::TourNext => {
                next.dialog = match next.dialog {
                    Some(Dialog::Tour(n)) if n + 1 < super::text::EN.tour.len() => {
                        Some(Dialog::Tour(n + 1))
                    }
                    _ => {
                        next.tour_seen = true;
                        next.changed();
                        None
                    }
                };
            }
            Action::SetTheme(theme) => {
                next.theme = Some(theme);
                next.changed();
            }
            Action::SetLanguage(tag) => {
                next.set_lang(crate::ui::text::for_tag(&tag).0);
                next.lang_chosen = true;
                next.changed();
            }
            Action::SelectTab(tab) => next.tab = tab,
            Action::Restore(saved) => match next.start(saved.lesson.as_deref(), saved.seed) {
                Ok(playground) => {
                    let mut fresh = next.replay_onto(playground, saved.inputs);
                    fresh.dialog = next
                        .dialog
                        .clone()
                        .filter(|d| !matches!(d, Dialog::Tour(_)));
                    return Rc::new(fresh);
                }
                Err(err) => {
                    next.dialog = Some(Dialog::RestoreFailed {
                        reason: err,
                        raw: Rc::new(saved.to_json()),
                    });
                }
            },
            Action::StorageFailed => next.storage_ok = false,
            Action::SwitchLesson(id, stashed) => return next.reduce_switch(id, stashed),
            Action::FillLine(line) => {
                let serial = next.fill.as_ref().map_or(0, |f| f.0 + 1);
                next.fill = Some(Rc::new((serial, line)));
                next.tab = Pane::Terminal;
            }
            Action::OpenWithText(key, text) => {
                // The learner's unsaved buffer of that file is never overwritten.
                let dirty = next.drafts.get(&key).is_some_and(Draft::dirty);
                if !dirty {
                    let saved = next
                        .file_exists(&key)
                        .then(|| {
                            next.playground
                                .borrow()
                                .read_file(&key.host, &key.path)
                                .ok()
                        })
                        .flatten();
                    Rc::make_mut(&mut next.drafts).insert(key.clone(), Draft { text, saved });
                }
                next.open_file = Some(key);
                next.editor_error = None;
                next.analyse();
                next.tab = Pane::Editor;
                next.focus_editor += 1;
                next.changed();
            }
            Action::ShowHint => next.guide.hints_shown += 1,
            Action::Answer(choice) => {
                if next.guide.answer.is_some() {
                    return self;
                }
                next.guide.answer = Some(choice);
            }
            Action::ToggleSolution => next.guide.solution = !next.guide.solution,
            Action::ShowResults(show) => next.guide.results = show,
            Action::UpdateReady => next.update_ready = true,
            Action::AuthorLesson(Err(err), _) => next.dialog = Some(Dialog::StartFailed(err)),
            Action::AuthorLesson(Ok(author), stashed) => {
                next.author_lesson = Some(author.clone());
                let id = Some(author.lesson.id.clone());
                return next.reduce_switch(id, stashed);
            }
            Action::SkipToStep(step) => {
                let skipped = next.playground.borrow_mut().skip_to_step(step);
                if let Err(err) = skipped {
                    next.dialog = Some(Dialog::StartFailed(err));
                }
                next.refresh();
                next.changed();
            }
            Action::RestartStep => {
                let playground = next.playground.borrow();
                let (Some(opened), Some(id)) = (playground.step_opened_at(), next.lesson_id())
                else {
                    return self;
                };
                // The step's start: the session's inputs up to it, replayed from the lesson's.
                let mut start = playground.saved();
                start.inputs.truncate(opened);
                start.lesson = Some(id.to_string());
                drop(playground);
                return next.reduce_switch(start.lesson.clone(), Some(start));
            }
            Action::Scrub(elapsed_ms) => next.scrub(elapsed_ms),
            Action::ReturnToNow => {
                if let Some(past) = next.past.take() {
                    next.playing = past.resume;
                    next.frame.set(FrameClock::default());
                }
            }
        }
        next.rewind.borrow_mut().observe(&next.playground.borrow());
        Rc::new(next)
    }
}

impl Action {
    /// Whether the action changes the session (then the panes leave the past for now).
    fn changes_world(&self) -> bool {
        matches!(
            self,
            Action::Play
                | Action::Step
                | Action::RunCommand(_)
                | Action::CancelLine(_)
                | Action::Interrupt
                | Action::ClearScreen
                | Action::SaveFile
                | Action::Reset
                | Action::Restore(_)
                | Action::SwitchLesson(..)
                | Action::SkipToStep(_)
                | Action::RestartStep
                | Action::AuthorLesson(Ok(_), _)
        )
    }
}

impl Store {
    /// Opens `key` in the editor, reading it from its node unless a draft is kept.
    fn open(&mut self, key: FileKey) {
        self.editor_error = None;
        if !self.drafts.contains_key(&key) {
            let read = self.playground.borrow().read_file(&key.host, &key.path);
            match read {
                Ok(text) => {
                    Rc::make_mut(&mut self.drafts).insert(
                        key.clone(),
                        Draft {
                            text: text.clone(),
                            saved: Some(text),
                        },
                    );
                }
                // A file that does not exist yet opens empty, as vi does.
                Err(_) if !self.file_exists(&key) => {
                    Rc::make_mut(&mut self.drafts).insert(
                        key.clone(),
                        Draft {
                            text: String::new(),
                            saved: None,
                        },
                    );
                }
                Err(err) => {
                    self.editor_error = Some(err);
                    return;
                }
            }
        }
        self.open_file = Some(key);
        self.analyse();
        self.changed();
    }

    fn file_exists(&self, key: &FileKey) -> bool {
        self.playground.borrow().file_exists(&key.host, &key.path)
    }
}

/// `static-web.yaml`, or `static-web-2.yaml` and so on when taken, in `folder` on `host`.
fn unused_name(store: &Store, host: &str, folder: &str) -> String {
    let folder = folder.trim_end_matches('/');
    (1..)
        .map(|n| match n {
            1 => format!("{folder}/static-web.yaml"),
            n => format!("{folder}/static-web-{n}.yaml"),
        })
        .find(|path| {
            let key = FileKey {
                host: host.to_string(),
                path: path.clone(),
            };
            !store.drafts.contains_key(&key) && !store.file_exists(&key)
        })
        .unwrap_or_default()
}

impl Store {
    /// The store a page load starts with: what storage held, replayed if it is a session.
    /// The language is the page's `?lang=`, else the one the learner chose, else the
    /// browser's.
    pub fn load(
        found: Found,
        settings: &Settings,
        url_lang: Option<&str>,
        browser_lang: &str,
    ) -> Store {
        let mut store = Store::fresh(settings.tour_seen, settings.theme());
        store.lang_chosen = settings.lang.is_some();
        let tag = url_lang
            .or(settings.lang.as_deref())
            .unwrap_or(browser_lang);
        store.set_lang(crate::ui::text::for_tag(tag).0);
        store.progress = Rc::new(settings.progress.clone());
        store.challenge_clock = settings.challenge.clone();
        store.drafts = Rc::new(settings.drafts());
        store.open_file = settings
            .open_file
            .clone()
            .map(|(host, path)| FileKey { host, path });
        store.analysis_due = store.open_file.is_some().then_some(0.0);
        match found {
            Found::Nothing => store,
            Found::Session(saved) if saved.inputs.is_empty() && saved.lesson.is_none() => store,
            Found::Session(saved) => {
                let tab = if saved.lesson.is_some() {
                    Pane::Lesson
                } else {
                    Pane::Terminal
                };
                let mut store = Rc::unwrap_or_clone(Rc::new(store).reduce(Action::Restore(saved)));
                store.tab = tab;
                store
            }
            Found::Unusable(err, raw) => {
                store.dialog = Some(Dialog::RestoreFailed {
                    reason: err.to_string(),
                    raw: Rc::new(raw),
                });
                store
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(store: Rc<Store>, action: Action) -> Rc<Store> {
        store.reduce(action)
    }

    #[test]
    fn a_frame_that_changes_nothing_does_not_render() {
        let store = Rc::new(Store::fresh(true, None));
        let after = reduce(store.clone(), Action::Frame(16.0));
        assert!(
            Rc::ptr_eq(&after, &store),
            "a paused frame changes nothing visible"
        );
    }

    #[test]
    fn a_live_refresh_is_due_every_half_period_and_alternates_halves() {
        let mut clock = FrameClock {
            view_at: 1000.0,
            ..FrameClock::default()
        };
        assert_eq!(due_half(&clock, 1000.0 + VIEW_REFRESH_MS / 2.0 - 1.0), None);
        assert_eq!(
            due_half(&clock, 1000.0 + VIEW_REFRESH_MS / 2.0),
            Some(ViewHalf::Pods)
        );
        clock.next_half = ViewHalf::Pods.other();
        assert_eq!(due_half(&clock, 5000.0), Some(ViewHalf::Nodes));
        assert_eq!(ViewHalf::Nodes.other(), ViewHalf::Pods);
    }

    #[test]
    fn a_half_refresh_redraws_its_own_panes_only() {
        let mut store = Store::fresh(true, None);
        let (pods, nodes) = (store.pods.clone(), store.nodes.clone());
        // Thirty seconds change every pod's age and every container's creation time.
        store
            .playground
            .borrow_mut()
            .advance(SimDuration::from_secs(30));

        store.refresh_half(ViewHalf::Pods);
        assert!(!Rc::ptr_eq(&store.pods, &pods), "the pod table moved on");
        assert!(Rc::ptr_eq(&store.nodes, &nodes), "the node cards wait");
        assert_eq!(store.frame.get().next_half, ViewHalf::Nodes);
        assert_eq!(store.clock, store.playground.borrow().clock());

        let pods = store.pods.clone();
        store.refresh_half(ViewHalf::Nodes);
        assert!(!Rc::ptr_eq(&store.nodes, &nodes), "the node cards moved on");
        assert!(
            Rc::ptr_eq(&store.pods, &pods),
            "the pod table is left alone"
        );
        assert_eq!(store.frame.get().next_half, ViewHalf::Pods);
        assert_eq!(*store.nodes, store.playground.borrow().view().nodes);
        assert_eq!(*store.pods, store.playground.borrow().view().pods);
    }

    #[test]
    fn commands_saves_and_rows_reach_the_playground() {
        let mut store = Rc::new(Store::fresh(true, None));
        store = reduce(store, Action::RunCommand("hostname".into()));
        assert_eq!(
            store.terminal.blocks.last().unwrap().output,
            "controlplane\n"
        );
        store = reduce(store, Action::NewFile("controlplane".into()));
        let key = store.open_file.clone().unwrap();
        assert_eq!(key.path, "/etc/kubernetes/manifests/static-web.yaml");
        assert!(store.open_draft().unwrap().dirty());
        store = reduce(store, Action::SaveFile);
        assert_eq!(store.editor_error, None);
        assert!(!store.open_draft().unwrap().dirty());
        store = reduce(store, Action::Step);
        assert!(store
            .pods
            .rows
            .iter()
            .any(|r| r.name == "static-web-controlplane"));
        let saved = store.saved();
        assert!(matches!(saved.inputs[0], Input::Command(_)));
        assert!(matches!(saved.inputs[1], Input::SaveFile { .. }));
    }

    #[test]
    fn vi_opens_the_file_in_the_editor() {
        let store = Rc::new(Store::fresh(true, None));
        let store = reduce(
            store,
            Action::RunCommand("vi /etc/kubernetes/manifests/etcd.yaml".into()),
        );
        let draft = store.open_draft().expect("etcd.yaml open");
        assert!(draft.text.contains("kind: Pod"));
        assert!(!draft.dirty());
    }

    #[test]
    fn a_restore_replays_then_accepts_input() {
        let mut store = Rc::new(Store::fresh(true, None));
        store = reduce(store, Action::RunCommand("touch /root/a".into()));
        let saved = store.saved();
        let mut restored = reduce(Rc::new(Store::fresh(true, None)), Action::Restore(saved));
        assert!(restored.replaying());
        let ignored = reduce(restored.clone(), Action::RunCommand("ls".into()));
        assert!(Rc::ptr_eq(&ignored, &restored), "no input while replaying");
        let mut t = 0.0;
        while restored.replaying() {
            t += 16.0;
            restored = reduce(restored, Action::Frame(t));
        }
        assert_eq!(restored.terminal.blocks, store.terminal.blocks);
    }
    fn lesson_store(id: &str) -> Rc<Store> {
        let store = Rc::new(Store::fresh(true, None));
        let store = reduce(store, Action::SwitchLesson(Some(id.into()), None));
        assert!(!store.replaying(), "a fresh lesson has nothing to replay");
        store
    }

    fn finish_replay(mut store: Rc<Store>) -> Rc<Store> {
        let mut t = 0.0;
        while store.replaying() {
            t += 16.0;
            store = reduce(store, Action::Frame(t));
        }
        store
    }

    #[test]
    fn a_lesson_shows_its_panel_and_records_progress() {
        let store = lesson_store("mirror-mirror");
        assert_eq!(store.tab, Pane::Lesson);
        let lesson = store.lesson.clone().expect("the panel shows");
        assert_eq!(lesson.entry.id, "mirror-mirror");
        assert_eq!(lesson.completed, 0);
        assert!(store.course.iter().any(|e| e.id == "mirror-mirror"));

        let store = reduce(store, Action::ShowHint);
        let store = reduce(store, Action::ToggleSolution);
        assert_eq!(store.guide.hints_shown, 1);
        assert!(store.guide.solution);
        let store = reduce(
            store,
            Action::RunCommand("kubectl delete pod web-controlplane\n".into()),
        );
        let lesson = store.lesson.clone().unwrap();
        assert_eq!(lesson.completed, 1, "the step's goal held");
        assert_eq!(store.progress.get("mirror-mirror"), Some(&1));
        assert_eq!(
            store.guide,
            Guide {
                step: Some(("mirror-mirror".into(), 1)),
                ..Guide::default()
            },
            "the next step starts without hints or the solution"
        );
        let saved = store.saved();
        assert_eq!(saved.lesson.as_deref(), Some("mirror-mirror"));

        // A reload replays the session from the lesson's start, progress included.
        let reloaded = finish_replay(Rc::new(Store::load(
            Found::Session(saved),
            &Settings::default(),
            None,
            "en",
        )));
        assert_eq!(reloaded.lesson, store.lesson);
        assert_eq!(reloaded.tab, Pane::Lesson);
    }

    #[test]
    fn the_panel_speaks_the_chosen_language() {
        let store = lesson_store("meet-your-node");
        let store = reduce(store, Action::SetLanguage("zh-CN".into()));
        assert_eq!(store.lesson.as_ref().unwrap().entry.title, "认识你的节点");
        assert_eq!(store.course[0].title, "认识你的节点");
    }

    #[test]
    fn restart_step_goes_back_to_where_the_step_began() {
        let store = lesson_store("mirror-mirror");
        let store = reduce(
            store,
            Action::RunCommand("kubectl delete pod web-controlplane\n".into()),
        );
        let inputs_at_step = store.saved().inputs.len();
        let store = reduce(store, Action::RunCommand("touch /root/x\n".into()));
        let store = finish_replay(reduce(store, Action::RestartStep));
        assert_eq!(store.saved().inputs.len(), inputs_at_step);
        assert_eq!(store.lesson.as_ref().unwrap().completed, 1);
        assert!(!store
            .playground
            .borrow()
            .file_exists("controlplane", "/root/x"));
    }

    #[test]
    fn reset_restarts_the_lesson_and_switching_resumes_a_stash() {
        let store = lesson_store("mirror-mirror");
        let store = reduce(
            store,
            Action::RunCommand("kubectl delete pod web-controlplane\n".into()),
        );
        let stashed = store.saved();
        let reset = reduce(store.clone(), Action::Reset);
        assert_eq!(reset.lesson_id(), Some("mirror-mirror"));
        assert_eq!(reset.lesson.as_ref().unwrap().completed, 0);
        assert_eq!(
            reset.progress.get("mirror-mirror"),
            Some(&1),
            "progress stays"
        );

        let sandbox = reduce(reset, Action::SwitchLesson(None, None));
        assert_eq!(sandbox.lesson, None);
        assert_eq!(sandbox.tab, Pane::Terminal);
        let back = finish_replay(reduce(
            sandbox,
            Action::SwitchLesson(Some("mirror-mirror".into()), Some(stashed)),
        ));
        assert_eq!(
            back.lesson.as_ref().unwrap().completed,
            1,
            "the stash resumed"
        );
        let other = reduce(
            back.clone(),
            Action::SwitchLesson(Some("meet-your-node".into()), Some(back.saved())),
        );
        assert_eq!(
            other.lesson.as_ref().unwrap().completed,
            0,
            "another lesson's stash is not replayed into this one"
        );
    }

    #[test]
    fn a_solution_fills_the_line_and_opens_files_without_saving() {
        let store = lesson_store("mirror-mirror");
        let store = reduce(store, Action::FillLine("crictl ps".into()));
        let store = reduce(store, Action::FillLine("crictl ps".into()));
        assert_eq!(store.fill.as_deref(), Some(&(1, "crictl ps".to_string())));
        assert_eq!(store.tab, Pane::Terminal);
        let key = FileKey {
            host: "controlplane".into(),
            path: "/etc/kubernetes/manifests/web.yaml".into(),
        };
        let store = reduce(
            store,
            Action::OpenWithText(key.clone(), "kind: Pod\n".into()),
        );
        let draft = store.open_draft().unwrap();
        assert_eq!(draft.text, "kind: Pod\n");
        assert!(draft.dirty(), "the learner saves it");
        let store = reduce(store, Action::OpenWithText(key, "other\n".into()));
        assert_eq!(
            store.open_draft().unwrap().text,
            "kind: Pod\n",
            "an unsaved buffer is never overwritten"
        );
    }

    #[test]
    fn a_question_takes_one_answer() {
        let store = lesson_store("meet-your-node");
        let store = reduce(store, Action::Answer(1));
        let after = reduce(store.clone(), Action::Answer(0));
        assert!(Rc::ptr_eq(&after, &store));
        assert_eq!(store.guide.answer, Some(1));
    }
    #[test]
    fn a_challenge_times_its_attempt_and_shows_its_result_on_request() {
        let attempt = SavedSession {
            format: crate::playground::input::FORMAT,
            seed: 42,
            inputs: Vec::new(),
            lesson: Some("challenge-scheduler-down".into()),
        };
        let store = Rc::new(Store::fresh(true, None));
        let store = reduce(
            store,
            Action::SwitchLesson(attempt.lesson.clone(), Some(attempt)),
        );
        let lesson = store.lesson.clone().expect("the challenge runs");
        let challenge = lesson.challenge.as_ref().expect("a challenge view");
        assert!(challenge.checks.iter().any(|c| !c.passed));
        let clock = store.challenge_clock.clone().expect("the time runs");
        assert_eq!(
            (clock.lesson.as_str(), clock.seed),
            ("challenge-scheduler-down", 42)
        );
        assert_eq!(store.saved().seed, 42, "the seed is the attempt's");

        let store = reduce(store, Action::ShowResults(true));
        assert!(store.guide.results);
        let store = reduce(store, Action::RunCommand("hostname\n".into()));
        assert_eq!(
            store.challenge_clock,
            Some(clock.clone()),
            "input keeps the same attempt's time"
        );
        let store = reduce(store, Action::Reset);
        assert_eq!(
            store.saved().seed,
            42,
            "a reset starts the same variant over"
        );
        assert!(store.saved().inputs.is_empty());
        assert!(
            store
                .challenge_clock
                .as_ref()
                .is_some_and(|c| c.seed == 42 && c.started_ms >= clock.started_ms),
            "with its time started again"
        );
    }

    #[test]
    fn scrubbing_back_shows_the_past_read_only_until_the_session_changes() {
        let mut store = Rc::new(Store::fresh(true, None));
        // Time passes first, so the manifest comes after the instant scrubbed back to.
        store = reduce(store, Action::Step);
        store = reduce(
            store,
            Action::RunCommand(
                "kubectl run web --image=nginx:1.27 --dry-run=client -o yaml > /etc/kubernetes/manifests/web.yaml".into(),
            ),
        );
        let has_web = |pods: &PodsView| pods.rows.iter().any(|r| r.name == "web-controlplane");
        for _ in 0..20 {
            if has_web(&store.pods) {
                break;
            }
            store = reduce(store, Action::Step);
        }
        assert!(has_web(&store.pods), "the mirror pod appears");
        let (earliest, now) = store.scrub_range();
        assert_eq!(earliest, 0);
        assert!(now > 0);

        store = reduce(store, Action::Scrub(0));
        let past = store.past.clone().expect("in the past");
        assert_eq!(past.elapsed_ms, 0);
        assert_eq!(past.clock.elapsed, "0:00:00");
        assert!(!has_web(&past.pods), "before the manifest, no mirror");
        assert!(has_web(&store.pods), "now is kept");
        assert!(!store.playing);

        // A row of the past is refused; nothing is logged.
        let inputs = store.playground.borrow().inputs().len();
        store = reduce(
            store,
            Action::Row(RowAction::RestartKubelet {
                host: "node01".into(),
            }),
        );
        assert_eq!(store.playground.borrow().inputs().len(), inputs);
        assert!(store.past.is_some());

        // Scrubbing to now (or past it) leaves the past; so does any change to the session.
        store = reduce(store, Action::Scrub(now + 5_000));
        assert!(store.past.is_none());
        store = reduce(store, Action::Scrub(1_000));
        assert_eq!(store.past.as_ref().map(|p| p.elapsed_ms), Some(1_000));
        store = reduce(store, Action::RunCommand("hostname".into()));
        assert!(store.past.is_none());
        store = reduce(store, Action::Scrub(0));
        store = reduce(store, Action::ReturnToNow);
        assert!(store.past.is_none());
    }

    #[test]
    fn a_step_that_points_inside_the_kubelet_focuses_it_once_per_step() {
        use crate::view::lesson::InsideKind;
        let store = lesson_store("change-the-manifest");
        let focus = store
            .inside_focus
            .clone()
            .expect("the first step points the pane");
        assert_eq!(focus.1.node.as_deref(), Some("controlplane"));
        assert_eq!(focus.1.kinds, [InsideKind::Mux]);
        // Another action on the same step leaves the focus (and the learner's pane) alone.
        let store = reduce(store, Action::RunCommand("hostname".into()));
        assert!(Rc::ptr_eq(store.inside_focus.as_ref().unwrap(), &focus));
        // The next lesson's first step points nowhere: the serial carries over, so a later
        // step that points the pane gets a new one.
        let store = reduce(
            store,
            Action::SwitchLesson(Some("inside-the-source-mux".into()), None),
        );
        assert_eq!(store.inside_focus.as_ref().map(|f| f.0), Some(focus.0));
        assert!(store.lesson.as_ref().unwrap().completed == 0);
    }
}
