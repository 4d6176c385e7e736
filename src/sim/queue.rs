//! The event queue: wake-ups ordered by virtual time, ties broken by scheduling order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::sim::time::SimTime;

/// A min-heap of `(at, seq)` → payload. Entries scheduled for the same instant run in the
/// order they were scheduled, which keeps runs reproducible.
///
/// A caller that keeps a wake-up of its own outside the queue (the control plane's instants,
/// decided only when they come) takes a [`QueueMark`] where it would have scheduled it, and
/// compares it with [`EventQueue::peek_key`]: the mark sorts after every entry scheduled before
/// it and before every entry scheduled after it, exactly where the entry would have been.
#[derive(Debug, Clone)]
pub struct EventQueue<T> {
    heap: BinaryHeap<Reverse<Entry<T>>>,
    next_seq: u64,
}

#[derive(Debug, Clone)]
struct Entry<T> {
    at: SimTime,
    seq: u64,
    payload: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl<T> Eq for Entry<T> {}

impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

/// A place in the scheduling order (see [`EventQueue::mark`]), with the instant it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueMark {
    /// The instant.
    pub at: SimTime,
    /// The position among entries for the same instant.
    seq: u64,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_seq: 0,
        }
    }
}

impl<T> EventQueue<T> {
    /// Schedules `payload` to run at `at`.
    pub fn push(&mut self, at: SimTime, payload: T) {
        // Entries take odd numbers; marks take the even number just below the next entry's.
        let seq = 2 * self.next_seq + 1;
        self.next_seq += 1;
        self.heap.push(Reverse(Entry { at, seq, payload }));
    }

    /// The place an entry for `at` scheduled now would take, without scheduling anything.
    pub fn mark(&self, at: SimTime) -> QueueMark {
        QueueMark {
            at,
            seq: 2 * self.next_seq,
        }
    }

    /// The place of the earliest entry, if any (compare with a [`QueueMark`]).
    pub fn peek_key(&self) -> Option<QueueMark> {
        self.heap.peek().map(|Reverse(e)| QueueMark {
            at: e.at,
            seq: e.seq,
        })
    }

    /// When the earliest entry is due, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(e)| e.at)
    }

    /// Removes and returns the earliest entry if it is due at or before `until`.
    pub fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, T)> {
        if self.peek_time()? > until {
            return None;
        }
        self.heap.pop().map(|Reverse(e)| (e.at, e.payload))
    }

    /// How many entries are waiting.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut q = EventQueue::default();
        q.push(SimTime(20), "c");
        q.push(SimTime(10), "a");
        q.push(SimTime(10), "b");
        q.push(SimTime(30), "d");
        let mut got = Vec::new();
        while let Some((_, p)) = q.pop_due(SimTime(25)) {
            got.push(p);
        }
        assert_eq!(got, ["a", "b", "c"]);
        assert_eq!(q.peek_time(), Some(SimTime(30)));
    }

    #[test]
    fn a_mark_sorts_between_the_entries_scheduled_before_and_after_it() {
        let mut q = EventQueue::default();
        q.push(SimTime(10), "before");
        let mark = q.mark(SimTime(10));
        q.push(SimTime(10), "after");
        q.push(SimTime(5), "earlier");
        assert!(
            q.peek_key().unwrap() < mark,
            "the earlier instant comes first"
        );
        q.pop_due(SimTime(10));
        assert!(q.peek_key().unwrap() < mark, "scheduled before the mark");
        q.pop_due(SimTime(10));
        assert!(mark < q.peek_key().unwrap(), "scheduled after the mark");
        assert!(q.mark(SimTime(9)) < q.peek_key().unwrap());
    }
}
