//! inotify watches, reported as fsnotify's inotify backend turns them into `fsnotify.Event`s.
//!
//! A watch holds an inode, not a path, so a watch
//! added through a symlink observes the target. An event about an object goes first to
//! watches on its directory (named `D/child`) and then to watches on the object itself
//! (named as given to `add_watch`), the order in which the kernel's `fsnotify()` visits the
//! parent's and the inode's marks.

use super::{join, normalize, Fs, FsError, FsOp, WatchEvent, WatchId};

/// One live watch: the inode it observes and the path events are named after.
#[derive(Debug, Clone)]
pub(super) struct Watch {
    ino: u64,
    path: String,
}

impl Fs {
    /// Watches the object at `path` (symlinks followed), as fsnotify's `Watcher.Add` does.
    pub fn add_watch(&mut self, path: &str) -> Result<WatchId, FsError> {
        let ino = self.lookup(path, true)?;
        let id = WatchId(self.next_watch);
        self.next_watch += 1;
        // fsnotify stores filepath.Clean(name) and names every event after it.
        let path = normalize("/", path);
        self.watches.insert(id, Watch { ino, path });
        Ok(id)
    }

    /// Stops a watch; EINVAL if it was never made, already removed, or died with its object.
    pub fn remove_watch(&mut self, id: WatchId) -> Result<(), FsError> {
        self.watches
            .remove(&id)
            .map(|_| ())
            .ok_or(FsError::InvalidArgument)
    }

    /// Whether `id` still delivers events: it was neither removed nor outlived its object.
    pub fn is_watching(&self, id: WatchId) -> bool {
        self.watches.contains_key(&id)
    }

    /// Drains the events raised since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<WatchEvent> {
        std::mem::take(&mut self.events)
    }

    /// Reports `op` on the object `ino` to watches on its directory and on itself.
    pub(super) fn notify(&mut self, ino: u64, op: FsOp) -> Result<(), FsError> {
        let inode = self.inode(ino)?;
        if ino != super::ROOT {
            let (parent, name) = (inode.parent, inode.name.clone());
            self.notify_child(parent, &name, op);
        }
        self.notify_self(ino, op);
        Ok(())
    }

    /// Reports `op` on the entry `name` to every watch on the directory `dir`.
    pub(super) fn notify_child(&mut self, dir: u64, name: &str, op: FsOp) {
        let hits: Vec<(WatchId, String)> = self
            .watches
            .iter()
            .filter(|(_, w)| w.ino == dir)
            .map(|(&id, w)| (id, join(&w.path, name)))
            .collect();
        for (watch, name) in hits {
            self.push(WatchEvent { watch, name, op });
        }
    }

    /// Reports `op` to every watch on the object `ino` itself.
    pub(super) fn notify_self(&mut self, ino: u64, op: FsOp) {
        let hits: Vec<(WatchId, String)> = self
            .watches
            .iter()
            .filter(|(_, w)| w.ino == ino)
            .map(|(&id, w)| (id, w.path.clone()))
            .collect();
        for (watch, name) in hits {
            self.push(WatchEvent { watch, name, op });
        }
    }

    /// Forgets the watches on an object that is gone, as inotify does after `IN_IGNORED`;
    /// a new object at the same path gets a new inode, so they stay dead.
    pub(super) fn drop_watches(&mut self, ino: u64) {
        self.watches.retain(|_, w| w.ino != ino);
    }

    /// Queues an event unless it repeats the watch's previous unread event: the kernel
    /// coalesces identical consecutive events in one inotify queue.
    fn push(&mut self, event: WatchEvent) {
        let previous = self.events.iter().rev().find(|e| e.watch == event.watch);
        if previous != Some(&event) {
            self.events.push(event);
        }
    }
}
