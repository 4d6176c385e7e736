//! Every native integration test in one binary: one link instead of one per file keeps
//! `cargo test` fast on a cold machine. The browser tests (`tests/web.rs`) stay separate.
#![cfg(not(target_arch = "wasm32"))]

mod common;

// Counts each thread's allocations, so a test can bound the work a path does (common::work).
#[global_allocator]
static ALLOCATOR: common::work::Counting = common::work::Counting;

mod config_mux;
mod config_properties;
mod corrupt_store;
mod decode;
mod determinism;
mod editor;
mod fuzz;
mod hostile;
mod huge_times;
mod journal;
mod kubectl_nodes;
mod lessons;
mod playground;
mod pod_update;
mod soak;
mod source_apiserver;
mod source_file;
mod source_http;
mod static_pods;
mod tidy;
mod transcripts;
mod ui_ssr;
