//! The course: the lessons `build.rs` compiled from `lessons/`, embedded as JSON and decoded
//! once.

use std::sync::OnceLock;

use super::model::{Catalogue, Doc, Lesson};

const JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/lessons.json"));

/// Every lesson of the course, in order.
pub fn lessons() -> &'static [Lesson<Doc>] {
    static LESSONS: OnceLock<Catalogue> = OnceLock::new();
    // build.rs wrote this JSON from the same types, so it always decodes; an empty course
    // would still leave the sandbox usable.
    LESSONS.get_or_init(|| serde_json::from_str(JSON).unwrap_or_default())
}

/// The lesson with ID `id`.
pub fn find(id: &str) -> Option<&'static Lesson<Doc>> {
    lessons().iter().find(|lesson| lesson.id == id)
}
