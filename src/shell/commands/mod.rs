//! The commands a learner can run in the terminal, one module per family.

pub mod coreutils;
