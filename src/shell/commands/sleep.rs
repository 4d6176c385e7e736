//! `sleep N[smhd]...` (GNU coreutils): waits, which here means the virtual clock moves on with
//! everything that happens meanwhile.
//!
//! A script's `sleep` (the runner, a pipeline, a list) advances the clock before the next
//! command runs. Typed alone at the browser's terminal it is a foreground job instead
//! ([`Sleep`]): the page fast-forwards the clock to its end in slices, showing progress, and
//! Ctrl-C stops it where the clock got to.
//!
//! Simplified: one call waits one virtual day at most, so a typo cannot stall the page.

use crate::shell::commands::World;
use crate::shell::follow::{Follow, Polled};
use crate::shell::io::Output;
use crate::sim::{SimDuration, SimTime};

/// The longest one `sleep` waits.
pub const MAX_SLEEP: SimDuration = SimDuration::from_secs(86_400);

/// A `sleep` running in the browser's terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sleep {
    /// When it started.
    pub start: SimTime,
    /// When it ends.
    pub until: SimTime,
}

impl Sleep {
    /// The only poll comes at the end: the sleep is over.
    pub fn poll(&mut self) -> Polled {
        Polled {
            done: Some(0),
            ..Polled::default()
        }
    }
}

/// Runs `sleep ARGS...`.
pub fn sleep(world: &mut World<'_>, argv: &[String]) -> Output {
    if argv.len() < 2 {
        return Output::err(
            "sleep: missing operand\nTry 'sleep --help' for more information.\n",
            1,
        );
    }
    let mut total = SimDuration::ZERO;
    for arg in &argv[1..] {
        match interval(arg) {
            Some(d) => total = total + d,
            None => {
                return Output::err(
                    format!("sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information.\n"),
                    1,
                )
            }
        }
    }
    let total = total.min(MAX_SLEEP);
    let start = world.cluster.now();
    if let Some(slot) = world.foreground.take() {
        if total > SimDuration::ZERO {
            *slot = Some(Follow::new(Sleep {
                start,
                until: start + total,
            }));
            return Output::default();
        }
    }
    world.cluster.advance(total);
    Output::default()
}

/// One operand as GNU sleep reads it: a floating-point number as `strtod` takes it (`1.5`,
/// `1e3`, `inf`), then at most one suffix, `s`, `m`, `h` or `d`.
fn interval(text: &str) -> Option<SimDuration> {
    let (number, unit) = if text.parse::<f64>().is_ok() {
        (text, "s")
    } else {
        let last = text.char_indices().last()?.0;
        text.split_at(last)
    };
    let multiplier = match unit {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return None,
    };
    let value = number.parse::<f64>().ok()?;
    if value.is_nan() || value < 0.0 {
        return None;
    }
    let millis = (value * multiplier * 1000.0).min(MAX_SLEEP.as_millis() as f64);
    Some(SimDuration::from_millis(millis as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operands_take_gnu_suffixes() {
        assert_eq!(interval("1.5"), Some(SimDuration::from_millis(1500)));
        assert_eq!(interval("2m"), Some(SimDuration::from_secs(120)));
        assert_eq!(interval("1d"), Some(MAX_SLEEP));
        assert_eq!(interval("5x"), None);
        assert_eq!(interval("1e3"), Some(SimDuration::from_secs(1000)));
        assert_eq!(interval("1e300"), Some(MAX_SLEEP));
        assert_eq!(interval("2.5e1m"), Some(SimDuration::from_secs(1500)));
        assert_eq!(interval("inf"), Some(MAX_SLEEP));
        assert_eq!(interval("nan"), None);
        assert_eq!(interval("1ss"), None);
        assert_eq!(interval(""), None);
        assert_eq!(interval("-1"), None);
        assert_eq!(interval("nan"), None);
    }
}
