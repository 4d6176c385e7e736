//! The lesson panel and the lesson picker: the course and the lesson being taken, in the
//! learner's language, as plain data.

use crate::cluster::Cluster;
use crate::lessons::catalogue::{self, LessonHead};
use crate::lessons::goal::holds;
use crate::lessons::model::{Action, Question, Step};
use crate::lessons::LessonRun;

pub use crate::lessons::model::{
    Block, Difficulty, Doc, Inline, InsideFocus, InsideKind, Lesson, Locale, Pane,
};

/// A lesson as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonEntry {
    /// The lesson's ID.
    pub id: String,
    /// Its title.
    pub title: String,
    /// One or two sentences about it.
    pub summary: String,
    /// How many steps it has.
    pub steps: usize,
    /// About how long it takes.
    pub minutes: u32,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Whether it is an exam-style challenge (its `minutes` are a time limit).
    pub challenge: bool,
}

/// One check of a challenge, scored now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckView {
    /// What it checks.
    pub title: String,
    /// Whether the cluster passes it now.
    pub passed: bool,
    /// Why it was missed, shown when it fails.
    pub miss: Doc,
}

/// A challenge's task and its checks as the cluster stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeView {
    /// The task.
    pub task: Doc,
    /// The checks, in order.
    pub checks: Vec<CheckView>,
}

/// Where a step of the open lesson stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    /// Its goal held; it is done.
    Done,
    /// The step the learner is on.
    Open,
    /// Not reached yet.
    Ahead,
}

/// One line of the lesson's checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepItem {
    /// The step's title.
    pub title: String,
    /// Where it stands.
    pub state: StepState,
}

/// A "predict first" question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionView {
    /// The question.
    pub prompt: Doc,
    /// The answers, with whether each is the right one.
    pub choices: Vec<(Doc, bool)>,
    /// Shown once the learner has answered.
    pub explanation: Doc,
}

/// One action of a step's reference solution, as the panel offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SolutionItem {
    /// A command line to put on the terminal's line (the learner runs it).
    Command(String),
    /// A file to open in the editor with this text (the learner saves it).
    File {
        /// The node.
        host: String,
        /// The absolute path.
        path: String,
        /// The content.
        text: String,
    },
}

/// The step the learner is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenStep {
    /// Its index in the lesson.
    pub index: usize,
    /// Its title.
    pub title: String,
    /// What to read and do.
    pub text: Doc,
    /// A question to answer before acting.
    pub question: Option<QuestionView>,
    /// The hints whose condition holds now, in order.
    pub hints: Vec<Doc>,
    /// The reference solution.
    pub solution: Vec<SolutionItem>,
    /// Where the step points "Inside the kubelet", if anywhere.
    pub inside: Option<crate::lessons::model::InsideFocus>,
}

/// The lesson being taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonView {
    /// The lesson as the picker lists it.
    pub entry: LessonEntry,
    /// The checklist, one item per step.
    pub steps: Vec<StepItem>,
    /// How many steps are done.
    pub completed: usize,
    /// The open step; `None` once the lesson is done.
    pub open: Option<OpenStep>,
    /// The course's next lesson, offered once this one is done.
    pub next: Option<LessonEntry>,
    /// The panes the lesson shows.
    pub panes: Vec<Pane>,
    /// The challenge, when the lesson is one.
    pub challenge: Option<ChallengeView>,
}

/// The course as the picker lists it.
pub fn course(locale: Locale) -> Vec<LessonEntry> {
    catalogue::heads()
        .iter()
        .map(|head| entry(head, locale))
        .collect()
}

fn entry(head: &LessonHead, locale: Locale) -> LessonEntry {
    LessonEntry {
        id: head.id.clone(),
        title: head.title.get(locale).clone(),
        summary: head.summary.get(locale).clone(),
        steps: head.steps,
        minutes: head.minutes,
        difficulty: head.difficulty,
        challenge: head.challenge,
    }
}

/// The panel for `run` on `cluster`, in `locale`.
pub fn lesson_view(run: &LessonRun, cluster: &Cluster, locale: Locale) -> LessonView {
    let lesson = run.lesson();
    let completed = run.completed();
    let steps = lesson
        .steps
        .iter()
        .enumerate()
        .map(|(idx, step)| StepItem {
            title: step.title.get(locale).clone(),
            state: match idx.cmp(&completed) {
                std::cmp::Ordering::Less => StepState::Done,
                std::cmp::Ordering::Equal => StepState::Open,
                std::cmp::Ordering::Greater => StepState::Ahead,
            },
        })
        .collect();
    let open = run.current().map(|index| {
        let step = &lesson.steps[index];
        let hints = run
            .hints(cluster)
            .into_iter()
            .map(|n| step.hints[n].text.get(locale).clone())
            .collect();
        open_step(index, step, hints, locale)
    });
    let course = catalogue::heads();
    let next = course
        .iter()
        .position(|head| head.id == lesson.id)
        .and_then(|at| course.get(at + 1))
        .map(|head| entry(head, locale));
    LessonView {
        entry: entry(&LessonHead::of(lesson), locale),
        steps,
        completed,
        open,
        next,
        panes: lesson.setup.panes.clone(),
        challenge: lesson.challenge.as_ref().map(|c| ChallengeView {
            task: c.task.get(locale).clone(),
            checks: c
                .checks
                .iter()
                .map(|check| CheckView {
                    title: check.title.get(locale).clone(),
                    passed: holds(&check.goal, cluster, run.baseline()),
                    miss: check.miss.get(locale).clone(),
                })
                .collect(),
        }),
    }
}

fn open_step(index: usize, step: &Step<Doc>, hints: Vec<Doc>, locale: Locale) -> OpenStep {
    OpenStep {
        index,
        title: step.title.get(locale).clone(),
        text: step.text.get(locale).clone(),
        question: step.question.as_ref().map(|q| question(q, locale)),
        hints,
        solution: step.solution.iter().map(solution_item).collect(),
        inside: step.inside.clone(),
    }
}

fn question(q: &Question<Doc>, locale: Locale) -> QuestionView {
    QuestionView {
        prompt: q.prompt.get(locale).clone(),
        choices: q
            .choices
            .iter()
            .map(|c| (c.text.get(locale).clone(), c.correct))
            .collect(),
        explanation: q.explanation.get(locale).clone(),
    }
}

/// How the panel offers a solution's action: a clock wait becomes `sleep N`, which the
/// browser's terminal runs as a fast-forward of the clock.
fn solution_item(action: &Action) -> SolutionItem {
    match action {
        Action::Run(command) => SolutionItem::Command(command.trim_end().to_string()),
        Action::Write { host, path, text } => SolutionItem::File {
            host: host.clone(),
            path: path.clone(),
            text: text.clone(),
        },
        Action::Wait(secs) => SolutionItem::Command(format!("sleep {secs}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::Playground;

    #[test]
    fn the_course_lists_every_lesson_in_both_languages() {
        let en = course(Locale::En);
        let zh = course(Locale::ZhCn);
        assert_eq!(en.len(), catalogue::lessons().len());
        assert!(en.len() >= 6, "the course has its first six lessons");
        assert_eq!(en[0].id, "meet-your-node");
        assert_eq!(en[0].title, "Meet your node");
        assert_eq!(zh[0].title, "认识你的节点");
        assert!(en.iter().all(|e| e.steps > 0 && !e.summary.is_empty()));
    }

    #[test]
    fn the_panel_follows_the_lesson_step_by_step() {
        let mut playground = Playground::for_lesson("mirror-mirror", 1).expect("lesson");
        let view = playground.lesson_view(Locale::En).expect("a lesson runs");
        assert_eq!(view.entry.id, "mirror-mirror");
        assert_eq!(view.completed, 0);
        assert_eq!(view.steps[0].state, StepState::Open);
        assert!(view.steps[1..].iter().all(|s| s.state == StepState::Ahead));
        let open = view.open.expect("the first step is open");
        assert_eq!(open.index, 0);
        assert!(!open.text.is_empty());
        let lesson = catalogue::find("mirror-mirror").unwrap();
        let unconditional = lesson.steps[0].hints.iter().filter(|h| h.when.is_none());
        assert!(open.hints.len() >= unconditional.count());
        assert_eq!(
            open.solution.len(),
            lesson.steps[0].solution.len(),
            "one item per solution action"
        );
        assert_eq!(
            view.next.map(|n| n.id).as_deref(),
            Some("kill-the-container")
        );

        playground.run("kubectl delete pod web-controlplane");
        let view = playground.lesson_view(Locale::ZhCn).unwrap();
        assert_eq!(view.completed, 1);
        assert_eq!(view.steps[0].state, StepState::Done);
        assert_eq!(view.steps[1].state, StepState::Open);
        assert_eq!(view.open.unwrap().index, 1);
        assert_eq!(view.entry.title, lesson.title.zh_cn);
    }

    #[test]
    fn a_clock_wait_is_offered_as_sleep() {
        assert_eq!(
            solution_item(&Action::Wait(40)),
            SolutionItem::Command("sleep 40".into())
        );
        assert_eq!(
            solution_item(&Action::Run("crictl ps\n".into())),
            SolutionItem::Command("crictl ps".into())
        );
    }

    #[test]
    fn the_sandbox_has_no_lesson_panel() {
        let playground = Playground::interactive(1).unwrap();
        assert_eq!(playground.lesson_view(Locale::En), None);
    }
}
