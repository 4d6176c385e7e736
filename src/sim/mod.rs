//! The deterministic kernel: virtual clock, event queue, seeded randomness and the event log.
//!
//! Nothing in the simulation reads the wall clock or OS randomness; everything that happens
//! is scheduled here at a virtual time.

pub mod inline_id;
pub mod queue;
pub mod rng;
pub mod text;
pub mod time;
pub mod trace;
pub mod wallclock;

pub use queue::EventQueue;
pub use rng::Rng;
pub use time::{SimDuration, SimTime};
