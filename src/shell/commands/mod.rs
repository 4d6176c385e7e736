//! The commands a learner types in the terminal.

pub mod kubectl;
