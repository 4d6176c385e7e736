//! A lesson in progress: which step is open, what the world was like when it opened, and
//! which steps are done. The playground calls [`LessonRun::check`] after every input; a step
//! whose goal holds completes by itself and the next one opens.

use super::goal::{holds, Baseline};
use super::model::{Doc, Lesson};
use crate::cluster::Cluster;

/// A lesson being taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonRun {
    lesson: Lesson<Doc>,
    /// The open step; `lesson.steps.len()` once every step is done.
    step: usize,
    /// The world when the open step opened.
    baseline: Baseline,
    /// For each step opened so far, how many inputs the session had when it opened.
    opened_at: Vec<usize>,
}

impl LessonRun {
    /// Opens the lesson's first step on `cluster`, whose session has had `inputs` inputs.
    pub fn start(lesson: Lesson<Doc>, cluster: &Cluster, inputs: usize) -> LessonRun {
        LessonRun {
            lesson,
            step: 0,
            baseline: Baseline::take(cluster),
            opened_at: vec![inputs],
        }
    }

    /// The lesson.
    pub fn lesson(&self) -> &Lesson<Doc> {
        &self.lesson
    }

    /// The open step's index, `None` once the lesson is done.
    pub fn current(&self) -> Option<usize> {
        (self.step < self.lesson.steps.len()).then_some(self.step)
    }

    /// Whether every step is done.
    pub fn finished(&self) -> bool {
        self.current().is_none()
    }

    /// How many steps are done (they complete in order).
    pub fn completed(&self) -> usize {
        self.step
    }

    /// How many inputs the session had when step `idx` opened (`None`: not opened yet).
    /// Replaying that many inputs from the lesson's start rebuilds the step's start.
    pub fn opened_at(&self, idx: usize) -> Option<usize> {
        self.opened_at.get(idx).copied()
    }

    /// The world when the open step opened.
    pub fn baseline(&self) -> &Baseline {
        &self.baseline
    }

    /// Whether the open step's goal holds now.
    pub fn goal_holds(&self, cluster: &Cluster) -> bool {
        match self.current() {
            Some(idx) => holds(&self.lesson.steps[idx].goal, cluster, &self.baseline),
            None => false,
        }
    }

    /// Checks the open step's goal after an input (the session now has `inputs` inputs);
    /// when it holds, the step is done and the next one opens. Returns the step completed.
    pub fn check(&mut self, cluster: &Cluster, inputs: usize) -> Option<usize> {
        if !self.goal_holds(cluster) {
            return None;
        }
        let done = self.step;
        self.step += 1;
        if self.step < self.lesson.steps.len() {
            self.baseline = Baseline::take(cluster);
            self.opened_at.push(inputs);
        }
        Some(done)
    }

    /// The open step's hints whose condition holds now, by index, in order.
    pub fn hints(&self, cluster: &Cluster) -> Vec<usize> {
        let Some(idx) = self.current() else {
            return Vec::new();
        };
        self.lesson.steps[idx]
            .hints
            .iter()
            .enumerate()
            .filter(|(_, hint)| {
                hint.when
                    .as_ref()
                    .is_none_or(|when| holds(when, cluster, &self.baseline))
            })
            .map(|(n, _)| n)
            .collect()
    }
}
