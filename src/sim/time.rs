//! Virtual time: instants and durations in milliseconds, plus the wall-clock epoch they map to.
//!
//! Kubernetes prints wall-clock timestamps (creationTimestamp, klog prefixes, `date`), so the
//! virtual clock starts at a fixed wall-clock instant, `WALL_EPOCH_MS`, never at "now".
//!
//! Arithmetic saturates: a learner can ask for absurd spans (`sleep 1e300`, a grace period of
//! `9223372036854775807` seconds), and "later than anything the session will reach" is the
//! right answer for all of them, where wrapping would move time backwards.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// The wall-clock instant (Unix milliseconds) that virtual time zero corresponds to:
/// 2026-11-22T08:00:00Z.
pub const WALL_EPOCH_MS: i64 = 1_795_334_400_000;

/// An instant of virtual time, in milliseconds since the simulation began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

/// A span of virtual time, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimDuration(pub u64);

impl SimTime {
    /// Time zero.
    pub const ZERO: SimTime = SimTime(0);

    /// Milliseconds since time zero.
    pub fn as_millis(self) -> u64 {
        self.0
    }

    /// The wall-clock instant, in Unix milliseconds (the latest representable one for instants
    /// beyond it).
    pub fn wall_millis(self) -> i64 {
        WALL_EPOCH_MS.saturating_add(i64::try_from(self.0).unwrap_or(i64::MAX))
    }

    /// The span from `earlier` to `self`, zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// `n` milliseconds.
    pub const fn from_millis(n: u64) -> SimDuration {
        SimDuration(n)
    }

    /// `n` seconds (the longest representable span for more).
    pub const fn from_secs(n: u64) -> SimDuration {
        SimDuration(n.saturating_mul(1000))
    }

    /// `n` minutes (the longest representable span for more).
    pub const fn from_mins(n: u64) -> SimDuration {
        SimDuration(n.saturating_mul(60_000))
    }

    /// Whole milliseconds.
    pub fn as_millis(self) -> u64 {
        self.0
    }

    /// Seconds, with the fraction.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// The span multiplied by `factor`, rounded down to a millisecond.
    pub fn mul_f64(self, factor: f64) -> SimDuration {
        SimDuration((self.0 as f64 * factor) as u64)
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    fn sub(self, rhs: SimTime) -> SimDuration {
        self.since(rhs)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(rhs.0))
    }
}

/// Formats like Go's `time.Duration.String()`: `20s`, `1m0s`, `1.5s`, `300ms`, `5m0s`.
impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        if ms == 0 {
            return f.write_str("0s");
        }
        if ms < 1000 {
            return write!(f, "{ms}ms");
        }
        let hours = ms / 3_600_000;
        let mins = (ms / 60_000) % 60;
        let secs = (ms / 1000) % 60;
        let frac = ms % 1000;
        if hours > 0 {
            write!(f, "{hours}h")?;
        }
        if hours > 0 || mins > 0 {
            write!(f, "{mins}m")?;
        }
        if frac == 0 {
            write!(f, "{secs}s")
        } else {
            let frac = format!("{frac:03}");
            write!(f, "{secs}.{}s", frac.trim_end_matches('0'))
        }
    }
}

/// Parses a Go duration string (`20s`, `1m`, `1m30s`, `500ms`, `1h`, `0`), as KubeletConfiguration
/// fields and kubelet flags take them. Fractions of a millisecond are dropped.
pub fn parse_go_duration(text: &str) -> Result<SimDuration, String> {
    let invalid = || format!("time: invalid duration \"{text}\"");
    let mut rest = text.trim();
    if rest == "0" {
        return Ok(SimDuration::ZERO);
    }
    if rest.is_empty() || rest.starts_with('-') {
        return Err(invalid());
    }
    rest = rest.strip_prefix('+').unwrap_or(rest);
    let mut total_ms = 0.0_f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("time: missing unit in duration \"{text}\""))?;
        if num_len == 0 {
            return Err(invalid());
        }
        let number: f64 = rest[..num_len].parse().map_err(|_| invalid())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit_ms = match &rest[..unit_len] {
            "ns" => 1e-6,
            "us" | "µs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            unit => {
                return Err(format!(
                    "time: unknown unit \"{unit}\" in duration \"{text}\""
                ))
            }
        };
        total_ms += number * unit_ms;
        rest = &rest[unit_len..];
    }
    Ok(SimDuration(total_ms as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        let huge = SimDuration::from_secs(u64::MAX / 10);
        assert_eq!(huge, SimDuration(u64::MAX));
        assert_eq!(SimDuration::from_mins(u64::MAX), SimDuration(u64::MAX));
        assert_eq!(SimTime(5) + huge, SimTime(u64::MAX));
        let mut t = SimTime(u64::MAX - 1);
        t += SimDuration(10);
        assert_eq!(t, SimTime(u64::MAX));
        assert_eq!(huge + huge, SimDuration(u64::MAX));
        assert_eq!(SimTime(u64::MAX).wall_millis(), i64::MAX);
        assert_eq!(SimTime(0).wall_millis(), WALL_EPOCH_MS);
    }

    #[test]
    fn displays_like_go() {
        let cases = [
            (0, "0s"),
            (300, "300ms"),
            (1500, "1.5s"),
            (20_000, "20s"),
            (60_000, "1m0s"),
            (300_000, "5m0s"),
            (90_500, "1m30.5s"),
            (3_600_000, "1h0m0s"),
        ];
        for (ms, want) in cases {
            assert_eq!(SimDuration(ms).to_string(), want);
        }
    }

    #[test]
    fn parses_go_durations() {
        assert_eq!(parse_go_duration("20s"), Ok(SimDuration::from_secs(20)));
        assert_eq!(parse_go_duration("1m30s"), Ok(SimDuration::from_secs(90)));
        assert_eq!(parse_go_duration("0"), Ok(SimDuration::ZERO));
        assert_eq!(
            parse_go_duration("1.5s"),
            Ok(SimDuration::from_millis(1500))
        );
        assert_eq!(
            parse_go_duration("500ms"),
            Ok(SimDuration::from_millis(500))
        );
        assert_eq!(
            parse_go_duration("20"),
            Err("time: missing unit in duration \"20\"".into())
        );
        assert_eq!(
            parse_go_duration("5d"),
            Err("time: unknown unit \"d\" in duration \"5d\"".into())
        );
    }
}
