//! The course: the lessons `build.rs` compiled from `lessons/`, embedded as JSON and decoded
//! once. The lesson picker needs only each lesson's head, which is read without decoding the
//! lessons' steps: a page that no lesson is taken in never decodes them (that decode was the
//! largest part of the first render after the boot).

use std::sync::OnceLock;

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

use super::model::{Catalogue, Difficulty, Doc, Lesson, Localized};

const JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/lessons.json"));

/// Every lesson of the course, in order.
pub fn lessons() -> &'static [Lesson<Doc>] {
    static LESSONS: OnceLock<Catalogue> = OnceLock::new();
    // build.rs wrote this JSON from the same types, so it always decodes; an empty course
    // would still leave the sandbox usable.
    LESSONS.get_or_init(|| serde_json::from_str(JSON).unwrap_or_default())
}

/// What the lesson picker shows of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LessonHead {
    /// Its ID.
    pub id: String,
    /// Its title.
    pub title: Localized<String>,
    /// One or two sentences about it.
    pub summary: Localized<String>,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// About how long it takes, in minutes.
    pub minutes: u32,
    /// How many steps it has.
    #[serde(default, deserialize_with = "count")]
    pub steps: usize,
    /// Whether it is an exam-style challenge.
    #[serde(default, deserialize_with = "present")]
    pub challenge: bool,
}

impl LessonHead {
    /// The head of a decoded lesson.
    pub fn of(lesson: &Lesson<Doc>) -> LessonHead {
        LessonHead {
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            summary: lesson.summary.clone(),
            difficulty: lesson.difficulty,
            minutes: lesson.minutes,
            steps: lesson.steps.len(),
            challenge: lesson.challenge.is_some(),
        }
    }
}

/// Every lesson's head, in course order.
pub fn heads() -> &'static [LessonHead] {
    static HEADS: OnceLock<Vec<LessonHead>> = OnceLock::new();
    HEADS.get_or_init(|| serde_json::from_str(JSON).unwrap_or_default())
}

fn count<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    Vec::<IgnoredAny>::deserialize(d).map(|items| items.len())
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(d).map(|_| true)
}

/// The lesson with ID `id`.
pub fn find(id: &str) -> Option<&'static Lesson<Doc>> {
    lessons().iter().find(|lesson| lesson.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heads_are_the_decoded_lessons_heads() {
        let decoded: Vec<LessonHead> = lessons().iter().map(LessonHead::of).collect();
        assert!(decoded.iter().any(|h| h.challenge) && decoded.iter().any(|h| !h.challenge));
        assert_eq!(heads(), decoded.as_slice());
    }
}
