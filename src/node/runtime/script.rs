//! The `sh` a container runs: parse and compile (`parse.rs`), run with suspension (`run.rs`).

pub mod parse;
pub mod run;

pub use run::{Interp, Stream, Sys, Yield};
