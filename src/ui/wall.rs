//! The wall clock and the one source of chance the app reads. Only `ui` may use them: they
//! measure how much work a frame did, time an exam-style challenge and pick a new challenge's
//! seed, never what the simulation does (its randomness comes from the session's seed).

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

/// Milliseconds since the Unix epoch: survives a reload, unlike [`now_ms`].
#[cfg(target_arch = "wasm32")]
pub fn epoch_ms() -> f64 {
    js_sys::Date::now()
}

/// Milliseconds since the Unix epoch: survives a reload, unlike [`now_ms`].
#[cfg(not(target_arch = "wasm32"))]
pub fn epoch_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// A seed for a new challenge (which variant a learner gets).
#[cfg(target_arch = "wasm32")]
pub fn random_seed() -> u64 {
    (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64
}

/// A seed for a new challenge (which variant a learner gets).
#[cfg(not(target_arch = "wasm32"))]
pub fn random_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos().into())
}
