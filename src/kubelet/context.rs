//! What every kubelet component needs from the world at a given instant: the virtual time, the
//! host it runs on, the seeded random generator and the event log.

use crate::sim::trace::{Event, LogLine, Trace};
use crate::sim::{Rng, SimTime};

/// The world as one kubelet call sees it.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The current virtual time.
    pub now: SimTime,
    /// The node the kubelet runs on (its hostname, as it appears in the log).
    pub host: &'a str,
    /// The simulation's random generator.
    pub rng: &'a mut Rng,
    /// The simulation's event log.
    pub trace: &'a mut Trace,
}

impl Ctx<'_> {
    /// Records `event` at the current time on this host.
    pub fn record(&mut self, event: Event) {
        self.trace.record(self.now, self.host, event);
    }

    /// Records a plain log line.
    pub fn log(&mut self, line: LogLine) {
        self.record(Event::Log(line));
    }
}
