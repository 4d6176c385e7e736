//! Work measured in allocations, not wall time: a test that guards against a slow path (a
//! quadratic scan, a file read whole) asserts how much this thread allocated while the path
//! ran. The count is the same on every run and every machine, where a timed assertion fails on
//! a busy one and passes a regression on a fast one. (Speed itself is `make bench`'s.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting each thread's allocations and their bytes.
pub struct Counting;

thread_local! {
    // Const-initialised and without a destructor, so reading them never allocates.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn count(bytes: usize) {
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    let _ = BYTES.try_with(|n| n.set(n.get() + bytes as u64));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size.saturating_sub(layout.size()));
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// What this thread has allocated since [`Work::start`].
#[derive(Clone, Copy, Debug)]
pub struct Work {
    allocations: u64,
    bytes: u64,
}

impl Work {
    /// Starts counting from this thread's totals now.
    pub fn start() -> Work {
        Work {
            allocations: ALLOCATIONS.with(Cell::get),
            bytes: BYTES.with(Cell::get),
        }
    }

    /// Allocations and bytes since the start.
    pub fn so_far(&self) -> (u64, u64) {
        (
            ALLOCATIONS.with(Cell::get) - self.allocations,
            BYTES.with(Cell::get) - self.bytes,
        )
    }

    /// Asserts `what` took at most `allocations` allocations and `bytes` bytes since the start.
    pub fn at_most(&self, what: &str, allocations: u64, bytes: u64) {
        let (did_allocations, did_bytes) = self.so_far();
        assert!(
            did_allocations <= allocations && did_bytes <= bytes,
            "{what}: {did_allocations} allocations and {did_bytes} bytes, over the {allocations} and {bytes} allowed"
        );
    }
}
