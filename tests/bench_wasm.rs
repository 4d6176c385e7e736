//! The simulation benchmark inside headless Chromium, for `make bench` only (scripts/bench-wasm
//! runs it with `cargo test --release --target wasm32-unknown-unknown --test bench_wasm`).
//!
//! It runs the same scenario as `examples/sim_bench.rs hour` — one virtual hour of the default
//! cluster with 110 static pods on controlplane, 10 of them crash-looping — several times and
//! prints one `BENCH {...}` line per run with the wall milliseconds of the advance (from the
//! page's `performance.now()`) and the wake-ups it dispatched. It asserts nothing about time:
//! the figures are read and judged by the bench scripts.
#![cfg(target_arch = "wasm32")]

#[path = "../examples/common/scenario.rs"]
#[allow(dead_code)]
mod scenario;

use kubelet_playground::sim::SimDuration;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Runs per invocation; the scripts take the median.
const RUNS: usize = 5;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn sim_hour_with_110_pods() {
    for _ in 0..RUNS {
        let mut cluster = scenario::cluster_with_110_pods();
        let wakeups = cluster.wakeups();
        let started = now_ms();
        cluster.advance(SimDuration::from_mins(60));
        let ms = now_ms() - started;
        let wakeups = cluster.wakeups() - wakeups;
        // The world really ran: every one of the 110 pods was synced at least once.
        assert!(cluster.trace().len() > 110, "the hour left a trace");
        console_log!("BENCH {{\"ms\":{ms:.3},\"wakeups\":{wakeups}}}");
    }
}
