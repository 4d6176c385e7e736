//! Path resolution, as the kernel's `namei` does it: component by component, `..` going to
//! the physical parent, symlinks spliced in, at most 40 of them per lookup.

use super::{Data, Fs, FsError};

/// The root directory's inode number, as on ext4, so `ls -id /` looks familiar.
pub(super) const ROOT: u64 = 2;

/// How many symlinks one lookup may follow before ELOOP, as on Linux.
const MAX_SYMLINKS: u32 = 40;

/// An absolute path split into its components.
pub(super) struct Parsed<'a> {
    pub(super) comps: Vec<&'a str>,
    /// A trailing slash demands that the last component be (or lead to) a directory.
    pub(super) trailing_slash: bool,
}

/// Where a path puts its last component.
pub(super) enum Slot {
    /// The entry `name` in directory `dir`, which may or may not exist yet.
    Entry { dir: u64, name: String },
    /// The path is `/` or ends in `.` or `..`, so it names this directory with no slot of
    /// its own to create, remove or rename.
    Whole(u64),
}

/// Splits `path`; an empty one is ENOENT like in the kernel. A relative path is taken from
/// `/`, the working directory of the daemons that use the filesystem directly (the shell
/// resolves its own working directory first).
pub(super) fn parse(path: &str) -> Result<Parsed<'_>, FsError> {
    if path.is_empty() {
        return Err(FsError::NotFound);
    }
    Ok(Parsed {
        comps: path.split('/').filter(|c| !c.is_empty()).collect(),
        trailing_slash: path.len() > 1 && path.ends_with('/'),
    })
}

fn split_target(target: &str) -> Vec<&str> {
    target.split('/').filter(|c| !c.is_empty()).collect()
}

impl Fs {
    /// The inode `path` names; the last component is followed if it is a symlink and
    /// `follow` is set or the path ends in a slash.
    pub(super) fn lookup(&self, path: &str, follow: bool) -> Result<u64, FsError> {
        let parsed = parse(path)?;
        let follow = follow || parsed.trailing_slash;
        let ino = self.resolve(ROOT, &parsed.comps, follow, &mut 0)?;
        if parsed.trailing_slash && !self.is_dir(ino) {
            return Err(FsError::NotADirectory);
        }
        Ok(ino)
    }

    /// Walks `comps` from the directory `start`, following every symlink met on the way
    /// and the last one only if `follow_last`; `links` counts symlinks across nested calls.
    pub(super) fn resolve<'a>(
        &'a self,
        start: u64,
        comps: &[&'a str],
        follow_last: bool,
        links: &mut u32,
    ) -> Result<u64, FsError> {
        // A stack, last component at the bottom, so a symlink's target can be pushed on top.
        // Components are borrowed from the path and from symlink targets, which live as long
        // as the filesystem: a lookup copies no text (daemons look paths up all the time).
        let mut pending: Vec<&'a str> = comps.iter().rev().copied().collect();
        let mut cur = start;
        while let Some(comp) = pending.pop() {
            let entries = self.children(cur)?;
            match comp {
                "." => continue,
                ".." => {
                    cur = self.inode(cur)?.parent;
                    continue;
                }
                _ => {}
            }
            let child = *entries.get(comp).ok_or(FsError::NotFound)?;
            let follow = !pending.is_empty() || follow_last;
            match &self.inode(child)?.data {
                Data::Symlink(target) if follow => {
                    *links += 1;
                    if *links > MAX_SYMLINKS {
                        return Err(FsError::TooManyLinks);
                    }
                    if target.is_empty() {
                        return Err(FsError::NotFound);
                    }
                    if target.starts_with('/') {
                        cur = ROOT;
                    }
                    pending.extend(split_target(target).into_iter().rev());
                }
                _ => cur = child,
            }
        }
        Ok(cur)
    }

    /// The slot `comps` names from `start`: every component but the last is resolved and
    /// must be a directory.
    pub(super) fn slot(
        &self,
        start: u64,
        comps: &[&str],
        links: &mut u32,
    ) -> Result<Slot, FsError> {
        match comps.split_last() {
            None => Ok(Slot::Whole(start)),
            Some((&".", _) | (&"..", _)) => {
                Ok(Slot::Whole(self.resolve(start, comps, true, links)?))
            }
            Some((last, init)) => {
                let dir = self.resolve(start, init, true, links)?;
                if !self.is_dir(dir) {
                    return Err(FsError::NotADirectory);
                }
                Ok(Slot::Entry {
                    dir,
                    name: last.to_string(),
                })
            }
        }
    }

    /// The slot that data written to `comps` lands in: like [`Fs::slot`], but symlinks at
    /// the end are followed, so a dangling one yields its target's slot, as open(2) with
    /// `O_CREAT` does.
    pub(super) fn open_slot(&self, comps: &[&str]) -> Result<Slot, FsError> {
        let mut links = 0;
        let mut slot = self.slot(ROOT, comps, &mut links)?;
        loop {
            let Slot::Entry { dir, name } = &slot else {
                return Ok(slot);
            };
            let Some(child) = self.child(*dir, name)? else {
                return Ok(slot);
            };
            let Data::Symlink(target) = &self.inode(child)?.data else {
                return Ok(slot);
            };
            links += 1;
            if links > MAX_SYMLINKS {
                return Err(FsError::TooManyLinks);
            }
            if target.is_empty() {
                return Err(FsError::NotFound);
            }
            let start = if target.starts_with('/') { ROOT } else { *dir };
            slot = self.slot(start, &split_target(target), &mut links)?;
        }
    }
}
