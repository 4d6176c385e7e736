//! Guided lessons: the lesson model, its compiler, the embedded course, goal predicates and
//! the engine that tracks a learner's progress.
//!
//! A lesson is data (`lessons/*.yaml`, documented in `docs/authoring-lessons.md`). `build.rs`
//! compiles the course with [`compile`] (included there by path) and the crate embeds the
//! result ([`catalogue`]); the playground runs a lesson's setup and checks the open step's
//! goal after every input ([`engine`]).

pub mod catalogue;
pub mod challenge;
// Native only: the browser embeds compiled lessons and needs no Markdown parser.
#[cfg(not(target_arch = "wasm32"))]
pub mod compile;
pub mod engine;
pub mod goal;
pub mod model;

pub use engine::LessonRun;
pub use model::{Doc, Lesson, Locale};
