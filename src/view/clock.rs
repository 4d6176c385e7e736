//! The clock readout: virtual time as the nodes' `date` prints it, and how long the learner
//! has been here in virtual time.

use crate::sim::wallclock::date_string;
use crate::sim::SimTime;

/// What the top bar's clock shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockView {
    /// The nodes' wall clock, as `date` prints it: `Sun Nov 22 08:00:21 UTC 2026`.
    pub date: String,
    /// Virtual time since the learner arrived: `0:00:00`, `1:02:05`, `26:00:00`.
    pub elapsed: String,
    /// The same in milliseconds.
    pub elapsed_ms: u64,
}

/// The readout at `now` for a learner who arrived at `start`.
pub fn clock_view(now: SimTime, start: SimTime) -> ClockView {
    let elapsed_ms = now.since(start).as_millis();
    let secs = elapsed_ms / 1000;
    ClockView {
        date: date_string(now),
        elapsed: format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
        elapsed_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimDuration;

    #[test]
    fn elapsed_counts_hours_past_a_day() {
        let start = SimTime(20_000);
        let view = clock_view(start + SimDuration::from_secs(26 * 3600 + 65), start);
        assert_eq!(view.elapsed, "26:01:05");
        assert_eq!(view.elapsed_ms, (26 * 3600 + 65) * 1000);
        assert_eq!(clock_view(start, start).elapsed, "0:00:00");
    }
}
