//! A playground that runs a lesson: the lesson's setup on the default cluster, its open step
//! checked after every input, and the proof `kubelet-playground lesson test` runs.

use super::{Input, Playground};
use crate::cluster::boot::CONTROL_PLANE;
use crate::lessons::goal::{holds, Baseline};
use crate::lessons::model::{Action, Block, Doc, Inline, Lesson, Locale, Localized, Step, LOCALES};
use crate::lessons::LessonRun;
use crate::lessons::{catalogue, challenge};
use crate::shell::session::Session;
use crate::sim::SimDuration;
use crate::view::terminal::Scrollback;

/// Where a lesson stands, for the lesson panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonStatus {
    /// The open step's index; `None` once the lesson is done.
    pub current: Option<usize>,
    /// How many steps are done (steps complete in order).
    pub completed: usize,
    /// The open step's hints that apply now, by index, in order.
    pub hints: Vec<usize>,
}

impl Playground {
    /// The start state of lesson `id` of the course, driven by a script (the runner).
    pub fn for_lesson(id: &str, seed: u64) -> Result<Playground, String> {
        Playground::with_lesson(find(id)?.clone(), seed, false)
    }

    /// The start state of lesson `id` of the course, for a learner at the browser's terminal.
    pub fn interactive_lesson(id: &str, seed: u64) -> Result<Playground, String> {
        Playground::with_lesson(find(id)?.clone(), seed, true)
    }

    /// The start state of `lesson` (from the course or an author's file): the default
    /// cluster, the setup's actions, then `settle_secs` of virtual time. The learner arrives
    /// after that: the clock reads zero, the terminal is fresh and the input log empty.
    pub fn with_lesson(
        lesson: Lesson<Doc>,
        seed: u64,
        interactive: bool,
    ) -> Result<Playground, String> {
        // A challenge's details come from the seed (a drawn variant is drawn again unchanged).
        let lesson = challenge::instantiate(&lesson, challenge::variant_for_seed(&lesson, seed))?;
        let mut playground = Playground::boot(seed, false)?;
        for (idx, action) in lesson.setup.actions.iter().enumerate() {
            playground.setup_action(action).map_err(|err| {
                format!("lesson {:?}: setup action {}: {err}", lesson.id, idx + 1)
            })?;
        }
        playground.advance(SimDuration::from_secs(u64::from(lesson.setup.settle_secs)));
        let host = playground
            .cluster
            .host_index(CONTROL_PLANE.0)
            .ok_or("the default cluster has no control-plane node")?;
        let pid = playground.cluster.node_mut(host).allocate_pid();
        let mut session = Session::new(host, CONTROL_PLANE.0, pid);
        session.interactive = interactive;
        playground.session = session;
        playground.interactive = interactive;
        playground.scrollback = Scrollback::default();
        playground.inputs = Vec::new();
        playground.sealed = false;
        playground.start = playground.cluster.now();
        playground.lesson = Some(LessonRun::start(lesson, &playground.cluster, 0));
        Ok(playground)
    }

    /// The lesson being taken, if any.
    pub fn lesson(&self) -> Option<&LessonRun> {
        self.lesson.as_ref()
    }

    /// The lesson panel in `locale`, if a lesson is being taken.
    pub fn lesson_view(&self, locale: Locale) -> Option<crate::view::lesson::LessonView> {
        let run = self.lesson.as_ref()?;
        Some(crate::view::lesson::lesson_view(run, &self.cluster, locale))
    }

    /// How many inputs the session had when the open step opened: replaying that many from
    /// the lesson's start rebuilds the step's start (`None` without a lesson or once done).
    pub fn step_opened_at(&self) -> Option<usize> {
        let run = self.lesson.as_ref()?;
        run.opened_at(run.current()?)
    }

    /// Where the lesson stands now, if one is being taken.
    pub fn lesson_status(&self) -> Option<LessonStatus> {
        let run = self.lesson.as_ref()?;
        Some(LessonStatus {
            current: run.current(),
            completed: run.completed(),
            hints: run.hints(&self.cluster),
        })
    }

    /// The playground as it was when the open step opened (its inputs replayed from the
    /// lesson's start); `None` without a lesson or once it is done.
    pub fn restart_step(&self) -> Option<Result<Playground, String>> {
        let opened = self.step_opened_at()?;
        Some(replay(
            self.lesson.as_ref()?.lesson().clone(),
            self.seed,
            self.interactive,
            &self.inputs[..opened.min(self.inputs.len())],
        ))
    }

    /// Completes the lesson's steps before `step` (1-based) with their reference solutions, as
    /// a course page's `?step=` asks; the inputs are recorded, so the session replays.
    pub fn skip_to_step(&mut self, step: usize) -> Result<(), String> {
        loop {
            let Some(run) = self.lesson.as_ref() else {
                return Err("no lesson is being taken".to_string());
            };
            let steps = run.lesson().steps.len();
            if step == 0 || step > steps {
                return Err(format!("the lesson has steps 1 to {steps}, not {step}"));
            }
            let Some(current) = run.current().filter(|c| c + 1 < step) else {
                return Ok(());
            };
            let solution = run.lesson().steps[current].solution.clone();
            for action in &solution {
                self.act(action)?;
            }
            if self.lesson.as_ref().and_then(LessonRun::current) == Some(current) {
                return Err(format!(
                    "step {}'s reference solution did not complete it",
                    current + 1
                ));
            }
        }
    }

    /// Carries out a solution's action as the learner would: a command typed at the
    /// terminal, a file saved from the editor, the clock running.
    pub fn act(&mut self, action: &Action) -> Result<(), String> {
        match action {
            Action::Run(command) => {
                self.run(command);
                Ok(())
            }
            Action::Write { host, path, text } => self.save_file(host, path, text),
            Action::Wait(secs) => {
                self.advance(SimDuration::from_secs(u64::from(*secs)));
                Ok(())
            }
        }
    }

    /// A setup action: like [`Playground::act`], but a command must succeed.
    fn setup_action(&mut self, action: &Action) -> Result<(), String> {
        if let Action::Run(command) = action {
            let result = self.run(command).result;
            if result.exit_code != 0 {
                return Err(format!(
                    "`{}` exited with {}: {}",
                    command.trim_end(),
                    result.exit_code,
                    result.output.trim_end()
                ));
            }
            return Ok(());
        }
        self.act(action)
    }

    /// Checks the open step's goal after an input.
    pub(super) fn check_lesson(&mut self) {
        let inputs = self.inputs.len();
        if let Some(run) = self.lesson.as_mut() {
            if run.check(&self.cluster, inputs).is_some() {
                self.sealed = true;
            }
        }
    }
}

fn find(id: &str) -> Result<&'static Lesson<Doc>, String> {
    catalogue::find(id).ok_or_else(|| {
        let ids: Vec<&str> = catalogue::lessons().iter().map(|l| l.id.as_str()).collect();
        format!(
            "no lesson with ID {id:?}; the course has: {}",
            ids.join(", ")
        )
    })
}

fn replay(
    lesson: Lesson<Doc>,
    seed: u64,
    interactive: bool,
    inputs: &[Input],
) -> Result<Playground, String> {
    let mut playground = Playground::with_lesson(lesson, seed, interactive)?;
    for input in inputs {
        playground.apply(input.clone());
    }
    Ok(playground)
}

/// The largest compiled lesson the browser loads from an author's URL (bytes).
pub const MAX_AUTHOR_LESSON: usize = 512 * 1024;

/// Reads an author's lesson as `kubelet-playground lesson build FILE` wrote it (JSON), with
/// the checks the compiler runs on the structure and the locales; an ID of the course is
/// refused, so a saved session always names the lesson it took.
pub fn load_compiled(json: &str) -> Result<Lesson<Doc>, String> {
    if json.len() > MAX_AUTHOR_LESSON {
        return Err(format!(
            "the lesson file is {} bytes; at most {MAX_AUTHOR_LESSON} are loaded",
            json.len()
        ));
    }
    let lesson: Lesson<Doc> = serde_json::from_str(json)
        .map_err(|e| format!("not a lesson compiled by `kubelet-playground lesson build` ({e})"))?;
    crate::lessons::model::check_metadata(&lesson)?;
    if let Some(failure) = check_locales(&lesson).into_iter().next() {
        return Err(failure);
    }
    if catalogue::find(&lesson.id).is_some() {
        return Err(format!(
            "the lesson's ID {:?} is one of the course's own; give it another",
            lesson.id
        ));
    }
    Ok(lesson)
}

/// The most variants of a challenge `prove` replays; past it, a spread of them.
const PROVED_VARIANTS: u64 = 48;

/// Proves a lesson: every locale has every string, the start state satisfies none of its
/// steps' goals, and each step's reference solution, replayed from where the step opens,
/// completes that step with its last action (not before). A challenge is proved in every
/// variant (a spread of [`PROVED_VARIANTS`] when it has more). Returns what failed, empty
/// when the lesson holds.
pub fn prove(lesson: &Lesson<Doc>, seed: u64) -> Vec<String> {
    if lesson.challenge.is_none() {
        return prove_one(lesson, seed);
    }
    let total = challenge::variants(lesson);
    let count = total.min(PROVED_VARIANTS);
    let mut failures = Vec::new();
    for k in 0..count {
        let variant = k * total / count;
        match challenge::instantiate(lesson, variant) {
            Ok(instance) => failures.extend(
                prove_one(&instance, seed)
                    .into_iter()
                    .map(|f| format!("variant {} of {total}: {f}", variant + 1)),
            ),
            Err(err) => failures.push(err),
        }
    }
    failures
}

fn prove_one(lesson: &Lesson<Doc>, seed: u64) -> Vec<String> {
    let mut failures = check_locales(lesson);
    let mut playground = match Playground::with_lesson(lesson.clone(), seed, false) {
        Ok(playground) => playground,
        Err(err) => {
            failures.push(err);
            return failures;
        }
    };
    let start = Baseline::take(&playground.cluster);
    for (idx, step) in lesson.steps.iter().enumerate() {
        if holds(&step.goal, &playground.cluster, &start) {
            failures.push(format!(
                "step {} ({}): its goal already holds at the lesson's start",
                idx + 1,
                step.id
            ));
        }
    }
    for (idx, step) in lesson.steps.iter().enumerate() {
        let name = format!("step {} ({})", idx + 1, step.id);
        let run = playground
            .lesson
            .as_ref()
            .map(|r| (r.current(), r.goal_holds(&playground.cluster)));
        if run != Some((Some(idx), false)) {
            failures.push(format!(
                "{name}: its goal already holds when it opens (nothing left for the learner to do)"
            ));
            return failures;
        }
        failures.extend(
            reach_hints(&playground, idx, step)
                .into_iter()
                .map(|f| format!("{name}: {f}")),
        );
        for (n, action) in step.solution.iter().enumerate() {
            if let Err(err) = playground.act(action) {
                failures.push(format!("{name}: solution action {}: {err}", n + 1));
                return failures;
            }
            let completed = playground.lesson.as_ref().map_or(0, LessonRun::completed);
            let last = n + 1 == step.solution.len();
            if completed > idx && !last {
                failures.push(format!(
                    "{name}: the goal holds after solution action {} of {}; the rest would count for the next step",
                    n + 1,
                    step.solution.len()
                ));
                return failures;
            }
            if last && completed <= idx {
                failures.push(format!(
                    "{name}: the goal does not hold after the reference solution\n{}",
                    tail(&playground)
                ));
                return failures;
            }
        }
    }
    failures
}

/// Each conditional hint of step `idx` (open in `playground`, at its start) applies after its
/// `reach` inputs, with the step still open. Returns what failed.
fn reach_hints(playground: &Playground, idx: usize, step: &Step<Doc>) -> Vec<String> {
    let mut failures = Vec::new();
    for (n, hint) in step.hints.iter().enumerate() {
        if hint.when.is_none() {
            continue;
        }
        let mut probe = playground.clone();
        if let Some(err) = hint.reach.iter().find_map(|a| probe.act(a).err()) {
            failures.push(format!("hint {}: a `reach` input failed: {err}", n + 1));
            continue;
        }
        let Some(run) = probe.lesson.as_ref() else {
            continue;
        };
        if run.current() != Some(idx) {
            failures.push(format!(
                "hint {}: its `reach` inputs complete the step, so the hint could never show",
                n + 1
            ));
        } else if !run.hints(&probe.cluster).contains(&n) {
            let how = if hint.reach.is_empty() {
                "as the step opens; give `reach:`, inputs from the step's start that make it hold"
            } else {
                "after its `reach` inputs (replayed from the step's start)"
            };
            failures.push(format!("hint {}: its condition does not hold {how}", n + 1));
        }
    }
    failures
}

/// The last lines of the terminal, to show what the solution saw.
fn tail(playground: &Playground) -> String {
    let blocks = playground.scrollback().blocks();
    let skip = blocks.len().saturating_sub(3);
    let text: Vec<String> = blocks
        .skip(skip)
        .map(|b| {
            format!(
                "  {} $ {}\n{}",
                b.host,
                b.command.trim_end(),
                indent(&b.output)
            )
        })
        .collect();
    text.concat()
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// Every Markdown field of `lesson` must be non-empty in every locale.
pub fn check_locales(lesson: &Lesson<Doc>) -> Vec<String> {
    let mut failures = Vec::new();
    let mut plain = |what: &str, text: &Localized<String>| {
        for locale in LOCALES {
            if text.get(locale).trim().is_empty() {
                failures.push(format!("{what}: no {} text", locale.tag()));
            }
        }
    };
    plain("title", &lesson.title);
    plain("summary", &lesson.summary);
    for (idx, step) in lesson.steps.iter().enumerate() {
        plain(&format!("step {} title", idx + 1), &step.title);
    }
    let checks = lesson.challenge.iter().flat_map(|c| c.checks.iter());
    for (idx, check) in checks.clone().enumerate() {
        plain(&format!("check {} title", idx + 1), &check.title);
    }
    let mut docs: Vec<(String, &Localized<Doc>)> = Vec::new();
    for (idx, step) in lesson.steps.iter().enumerate() {
        let name = format!("step {} ({})", idx + 1, step.id);
        docs.push((format!("{name} text"), &step.text));
        for (n, hint) in step.hints.iter().enumerate() {
            docs.push((format!("{name} hint {}", n + 1), &hint.text));
        }
        if let Some(q) = &step.question {
            docs.push((format!("{name} question"), &q.prompt));
            docs.push((format!("{name} explanation"), &q.explanation));
            for (n, choice) in q.choices.iter().enumerate() {
                docs.push((format!("{name} choice {}", n + 1), &choice.text));
            }
        }
    }
    for (idx, check) in checks.enumerate() {
        docs.push((format!("check {} miss", idx + 1), &check.miss));
    }
    for (what, doc) in docs {
        for locale in LOCALES {
            if !has_text(doc.get(locale)) {
                failures.push(format!("{what}: no {} text", locale.tag()));
            }
        }
    }
    failures
}

fn has_text(doc: &[Block]) -> bool {
    doc.iter().any(|block| match block {
        Block::Paragraph(inlines)
        | Block::Heading {
            content: inlines, ..
        } => inlines.iter().any(inline_has_text),
        Block::List { items, .. } => items.iter().any(|item| has_text(item)),
        Block::Quote(inner) => has_text(inner),
        Block::Command(text) | Block::Code { text, .. } => !text.trim().is_empty(),
        Block::Rule => false,
    })
}

fn inline_has_text(inline: &Inline) -> bool {
    match inline {
        Inline::Text(text) | Inline::Code(text) => !text.trim().is_empty(),
        Inline::Emphasis(inner) | Inline::Strong(inner) | Inline::Link { content: inner, .. } => {
            inner.iter().any(inline_has_text)
        }
        Inline::Break => false,
    }
}
