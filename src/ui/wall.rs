//! The one wall clock the app reads: milliseconds from the browser's `performance.now()`
//! (natively, for the server-rendered tests, a monotonic clock). Only `ui` may read it; it
//! measures how much work a frame did, never what the simulation does.

/// Milliseconds on a monotonic clock.
#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Milliseconds on a monotonic clock.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}
