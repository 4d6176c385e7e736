//! The node's in-memory filesystem: a POSIX-like tree of directories, regular files and
//! symlinks, with inotify watches reported the way Go's fsnotify reports them on Linux.
//!
//! Mirrors the parts of the Linux VFS (path resolution, open(2) with `O_CREAT`, unlink(2),
//! rmdir(2), rename(2)) and of fsnotify's inotify backend (`backend_inotify.go`) that the
//! kubelet's file source (`pkg/kubelet/config/file_linux.go`, v1.34) can observe.
//!
//! Deliberate deviations:
//! - No hard links, users, groups, atime or open file descriptors; every entry is root's.
//! - Each `WatchId` stands for its own fsnotify `Watcher`, yet all of them share one ordered
//!   event queue, so a test sees one deterministic interleaving.
//!
//! As in fsnotify v1.9 (the kubelet's), a watch is dropped once it reports `IN_MOVE_SELF`
//! (its object was renamed), although raw inotify would keep following the inode.

mod resolve;
mod watch;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

use crate::sim::SimTime;

use resolve::{parse, Slot, ROOT};

/// Why a filesystem operation failed; one variant per errno.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    /// ENOENT: a path component does not exist.
    NotFound,
    /// EEXIST: something already exists at the path.
    AlreadyExists,
    /// ENOTDIR: a directory was needed but something else was found.
    NotADirectory,
    /// EISDIR: a directory was found where it is not allowed.
    IsADirectory,
    /// ENOTEMPTY: the directory still has entries.
    DirectoryNotEmpty,
    /// EINVAL: the request makes no sense for this path.
    InvalidArgument,
    /// ELOOP: more than 40 symlinks were followed.
    TooManyLinks,
    /// EFBIG: the file is larger than the reader's limit.
    TooLarge {
        /// The limit, in bytes, that the file exceeds.
        limit: u64,
    },
}

impl FsError {
    /// The errno's symbolic name, such as `ENOENT`.
    pub fn errno_name(self) -> &'static str {
        match self {
            FsError::NotFound => "ENOENT",
            FsError::AlreadyExists => "EEXIST",
            FsError::NotADirectory => "ENOTDIR",
            FsError::IsADirectory => "EISDIR",
            FsError::DirectoryNotEmpty => "ENOTEMPTY",
            FsError::InvalidArgument => "EINVAL",
            FsError::TooManyLinks => "ELOOP",
            FsError::TooLarge { .. } => "EFBIG",
        }
    }

    /// Go's `*PathError` text for this error: `stat /x: no such file or directory` (Go's
    /// errno strings are strerror with a lower-case first letter).
    pub fn go_path_error(self, op: &str, path: &str) -> String {
        let text = self.to_string();
        let mut chars = text.chars();
        let lowered: String = match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => text,
        };
        format!("{op} {path}: {lowered}")
    }
}

/// The strerror text that Linux and coreutils print.
impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FsError::NotFound => f.write_str("No such file or directory"),
            FsError::AlreadyExists => f.write_str("File exists"),
            FsError::NotADirectory => f.write_str("Not a directory"),
            FsError::IsADirectory => f.write_str("Is a directory"),
            FsError::DirectoryNotEmpty => f.write_str("Directory not empty"),
            FsError::InvalidArgument => f.write_str("Invalid argument"),
            FsError::TooManyLinks => f.write_str("Too many levels of symbolic links"),
            FsError::TooLarge { limit } => write!(f, "file too large (limit {limit} bytes)"),
        }
    }
}

impl std::error::Error for FsError {}

/// What kind of object an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
}

/// What `stat` and `lstat` report about an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    /// The kind of object.
    pub kind: FileKind,
    /// The inode number, unique for the filesystem's lifetime.
    pub ino: u64,
    /// Bytes of content: file length, 4096 for a directory, target length for a symlink.
    pub size: u64,
    /// Permission bits, such as `0o644`.
    pub mode: u32,
    /// Hard links: 1 for files and symlinks, 2 plus subdirectories for a directory.
    pub nlink: u64,
    /// When the content last changed.
    pub mtime: SimTime,
    /// When the content or the metadata last changed.
    pub ctime: SimTime,
}

impl Metadata {
    /// Whether the entry is a directory.
    pub fn is_dir(&self) -> bool {
        self.kind == FileKind::Dir
    }

    /// Whether the entry is a regular file.
    pub fn is_file(&self) -> bool {
        self.kind == FileKind::File
    }

    /// Whether the entry is a symlink.
    pub fn is_symlink(&self) -> bool {
        self.kind == FileKind::Symlink
    }
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name within its directory.
    pub name: String,
    /// The entry's kind, symlinks not followed.
    pub kind: FileKind,
}

/// One descendant found by [`Fs::walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkEntry {
    /// The descendant's path, built from the path given to `walk`.
    pub path: String,
    /// The descendant's kind, symlinks not followed.
    pub kind: FileKind,
}

/// How [`Fs::write`] treats existing content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Replace the content, like `>` or `O_TRUNC`.
    Truncate,
    /// Add to the end, like `>>` or `O_APPEND`.
    Append,
}

/// Names a watch made by [`Fs::add_watch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WatchId(pub u64);

/// An fsnotify operation, as Go's `fsnotify.Op` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FsOp {
    /// `IN_CREATE` or `IN_MOVED_TO`: a new entry appeared in a watched directory.
    Create,
    /// `IN_MODIFY`: file content changed.
    Write,
    /// `IN_DELETE` or `IN_DELETE_SELF`: an entry was unlinked.
    Remove,
    /// `IN_MOVED_FROM` or `IN_MOVE_SELF`: an entry was renamed away.
    Rename,
    /// `IN_ATTRIB`: mode, times or link count changed.
    Chmod,
}

/// Prints like fsnotify's `Op.String()`: `CREATE`, `WRITE`, `REMOVE`, `RENAME`, `CHMOD`.
impl fmt::Display for FsOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FsOp::Create => "CREATE",
            FsOp::Write => "WRITE",
            FsOp::Remove => "REMOVE",
            FsOp::Rename => "RENAME",
            FsOp::Chmod => "CHMOD",
        })
    }
}

/// One event delivered to one watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchEvent {
    /// The watch that observed it.
    pub watch: WatchId,
    /// The path as fsnotify reports it: the watched path, or the watched path plus `/child`.
    pub name: String,
    /// What happened.
    pub op: FsOp,
}

/// Prints like fsnotify's `Event.String()`: `CREATE        "/m/a.yaml"`.
impl fmt::Display for WatchEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<13} {:?}", self.op.to_string(), self.name)
    }
}

/// Resolves `path` against `cwd` and collapses `.`, `..`, repeated and trailing slashes
/// lexically, the way a shell's logical paths and Go's `filepath.Clean` do.
pub fn normalize(cwd: &str, path: &str) -> String {
    let base = if path.starts_with('/') { "" } else { cwd };
    let mut parts: Vec<&str> = Vec::new();
    for comp in base.split('/').chain(path.split('/')) {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The emulated node's filesystem: an inode table plus the inotify watches on it.
#[derive(Debug, Clone)]
pub struct Fs {
    inodes: BTreeMap<u64, Inode>,
    next_ino: u64,
    watches: BTreeMap<WatchId, watch::Watch>,
    next_watch: u64,
    events: Vec<WatchEvent>,
}

/// An empty tree: just `/`, mode 0755, at time zero.
impl Default for Fs {
    fn default() -> Self {
        let root = Inode {
            parent: ROOT,
            name: String::new(),
            mode: DIR_MODE,
            mtime: SimTime::ZERO,
            ctime: SimTime::ZERO,
            data: Data::Dir(BTreeMap::new()),
        };
        Fs {
            inodes: BTreeMap::from([(ROOT, root)]),
            next_ino: ROOT + 1,
            watches: BTreeMap::new(),
            next_watch: 1,
            events: Vec::new(),
        }
    }
}

const FILE_MODE: u32 = 0o644;
const DIR_MODE: u32 = 0o755;
const SYMLINK_MODE: u32 = 0o777;
const PERMISSION_BITS: u32 = 0o7777;
/// What ext4 reports as a directory's size, so `ls -l` looks familiar.
const DIR_SIZE: u64 = 4096;
/// Applied to a copy's source mode, as `cp` without `-p` does under the usual 022 umask.
const UMASK: u32 = 0o022;

/// One object. Without hard links every inode but the root has exactly one name, so the
/// inode remembers it: watches and `canonicalize` need to get from an object to its path.
#[derive(Debug, Clone)]
struct Inode {
    parent: u64,
    name: String,
    mode: u32,
    mtime: SimTime,
    ctime: SimTime,
    data: Data,
}

#[derive(Debug, Clone)]
enum Data {
    Dir(BTreeMap<String, u64>),
    File(Vec<u8>),
    Symlink(String),
}

impl Data {
    fn kind(&self) -> FileKind {
        match self {
            Data::Dir(_) => FileKind::Dir,
            Data::File(_) => FileKind::File,
            Data::Symlink(_) => FileKind::Symlink,
        }
    }
}

impl Fs {
    /// Metadata of the object at `path`, following symlinks.
    pub fn stat(&self, path: &str) -> Result<Metadata, FsError> {
        let ino = self.lookup(path, true)?;
        self.metadata(ino)
    }

    /// Metadata of the entry at `path` itself, even if it is a symlink.
    pub fn lstat(&self, path: &str) -> Result<Metadata, FsError> {
        let ino = self.lookup(path, false)?;
        self.metadata(ino)
    }

    /// Whether `path` leads to an object; a dangling symlink does not.
    pub fn exists(&self, path: &str) -> bool {
        self.lookup(path, true).is_ok()
    }

    /// The content of the file at `path`.
    pub fn read(&self, path: &str) -> Result<Vec<u8>, FsError> {
        self.file_data(path).map(<[u8]>::to_vec)
    }

    /// The content of the file at `path` as text, invalid UTF-8 replaced.
    pub fn read_to_string(&self, path: &str) -> Result<String, FsError> {
        self.file_data(path)
            .map(|data| String::from_utf8_lossy(data).into_owned())
    }

    /// The content of the file at `path`, refused if it is longer than `limit` bytes, as
    /// the kubelet's `ReadAtMost` does.
    pub fn read_at_most(&self, path: &str, limit: u64) -> Result<Vec<u8>, FsError> {
        self.peek_at_most(path, limit).map(<[u8]>::to_vec)
    }

    /// [`Fs::read_at_most`] without the copy: the content as the filesystem holds it, for a
    /// reader that only compares it with what it read before.
    pub fn peek_at_most(&self, path: &str, limit: u64) -> Result<&[u8], FsError> {
        let data = self.file_data(path)?;
        if data.len() as u64 > limit {
            return Err(FsError::TooLarge { limit });
        }
        Ok(data)
    }

    /// Writes `data` to the file at `path`, creating it (mode 0644) if missing; a symlink
    /// is followed, and a dangling one creates its target.
    pub fn write(
        &mut self,
        now: SimTime,
        path: &str,
        data: &[u8],
        mode: WriteMode,
    ) -> Result<(), FsError> {
        self.write_with_mode(now, path, data, mode, FILE_MODE)
    }

    /// Creates an empty file at `path`, or updates the mtime of what is there.
    pub fn touch(&mut self, now: SimTime, path: &str) -> Result<(), FsError> {
        let parsed = parse(path)?;
        if parsed.trailing_slash {
            let ino = self.lookup(path, true)?;
            return self.touch_existing(now, ino);
        }
        match self.open_slot(&parsed.comps)? {
            Slot::Whole(ino) => self.touch_existing(now, ino),
            Slot::Entry { dir, name } => match self.child(dir, &name)? {
                Some(ino) => self.touch_existing(now, ino),
                None => {
                    self.create(now, dir, &name, FILE_MODE, Data::File(Vec::new()))?;
                    self.notify_child(dir, &name, FsOp::Create);
                    // touch(1) sets the times even on the file it just created.
                    self.notify_child(dir, &name, FsOp::Chmod);
                    Ok(())
                }
            },
        }
    }

    /// Creates a directory (mode 0755) at `path`; its parent must exist.
    pub fn mkdir(&mut self, now: SimTime, path: &str) -> Result<(), FsError> {
        let parsed = parse(path)?;
        match self.slot(ROOT, &parsed.comps, &mut 0)? {
            Slot::Whole(_) => Err(FsError::AlreadyExists),
            Slot::Entry { dir, name } => {
                if self.child(dir, &name)?.is_some() {
                    return Err(FsError::AlreadyExists);
                }
                self.create(now, dir, &name, DIR_MODE, Data::Dir(BTreeMap::new()))?;
                self.notify_child(dir, &name, FsOp::Create);
                Ok(())
            }
        }
    }

    /// Creates `path` and any missing ancestors, like `mkdir -p`.
    pub fn mkdir_all(&mut self, now: SimTime, path: &str) -> Result<(), FsError> {
        let parsed = parse(path)?;
        let mut cur = ROOT;
        for (idx, comp) in parsed.comps.iter().enumerate() {
            let last = idx + 1 == parsed.comps.len();
            if *comp == "." || *comp == ".." {
                cur = self.resolve(cur, &[comp], true, &mut 0)?;
                continue;
            }
            let Some(child) = self.child(cur, comp)? else {
                let parent = cur;
                cur = self.create(now, parent, comp, DIR_MODE, Data::Dir(BTreeMap::new()))?;
                self.notify_child(parent, comp, FsOp::Create);
                continue;
            };
            // The usual case, an existing directory, needs no symlink resolution.
            if self.is_dir(child) {
                cur = child;
                continue;
            }
            // Something is there: mkdir(2) fails with EEXIST and `mkdir -p` carries on
            // only if it leads to a directory.
            cur = match self.resolve(cur, &[comp], true, &mut 0) {
                Ok(ino) if self.is_dir(ino) => ino,
                _ if last => return Err(FsError::AlreadyExists),
                Ok(_) => return Err(FsError::NotADirectory),
                Err(err) => return Err(err),
            };
        }
        Ok(())
    }

    /// Unlinks the file or symlink at `path`, like unlink(2).
    pub fn remove_file(&mut self, now: SimTime, path: &str) -> Result<(), FsError> {
        let parsed = parse(path)?;
        let Slot::Entry { dir, name } = self.slot(ROOT, &parsed.comps, &mut 0)? else {
            return Err(FsError::IsADirectory);
        };
        let ino = self.child(dir, &name)?.ok_or(FsError::NotFound)?;
        if parsed.trailing_slash {
            // "name/" asks for a directory, so the kernel resolves it as one first.
            let target = self.resolve(dir, &[&name], true, &mut 0)?;
            return Err(if self.is_dir(target) {
                FsError::IsADirectory
            } else {
                FsError::NotADirectory
            });
        }
        if self.is_dir(ino) {
            return Err(FsError::IsADirectory);
        }
        self.unlink(now, dir, &name)
    }

    /// Removes the empty directory at `path`, like rmdir(2).
    pub fn remove_dir(&mut self, now: SimTime, path: &str) -> Result<(), FsError> {
        let parsed = parse(path)?;
        let Slot::Entry { dir, name } = self.slot(ROOT, &parsed.comps, &mut 0)? else {
            return Err(FsError::InvalidArgument);
        };
        let ino = self.child(dir, &name)?.ok_or(FsError::NotFound)?;
        if !self.children(ino)?.is_empty() {
            return Err(FsError::DirectoryNotEmpty);
        }
        self.unlink(now, dir, &name)
    }

    /// Removes `path` and everything below it, children first, like `rm -r` without `-f`.
    pub fn remove_all(&mut self, now: SimTime, path: &str) -> Result<(), FsError> {
        let parsed = parse(path)?;
        let Slot::Entry { dir, name } = self.slot(ROOT, &parsed.comps, &mut 0)? else {
            return Err(FsError::InvalidArgument);
        };
        let ino = self.child(dir, &name)?.ok_or(FsError::NotFound)?;
        if parsed.trailing_slash && !self.is_dir(ino) {
            return Err(FsError::NotADirectory);
        }
        let mut doomed = Vec::new();
        self.collect_post_order(ino, &mut doomed)?;
        for (parent, child) in doomed {
            self.unlink(now, parent, &child)?;
        }
        self.unlink(now, dir, &name)
    }

    /// Moves `from` to `to` with rename(2)'s rules, replacing a compatible `to` atomically.
    pub fn rename(&mut self, now: SimTime, from: &str, to: &str) -> Result<(), FsError> {
        let from_parsed = parse(from)?;
        let to_parsed = parse(to)?;
        let Slot::Entry {
            dir: src_dir,
            name: src_name,
        } = self.slot(ROOT, &from_parsed.comps, &mut 0)?
        else {
            return Err(FsError::InvalidArgument);
        };
        let src = self.child(src_dir, &src_name)?.ok_or(FsError::NotFound)?;
        let src_is_dir = self.is_dir(src);
        let (dst_dir, dst_name) = match self.slot(ROOT, &to_parsed.comps, &mut 0)? {
            Slot::Entry { dir, name } => (dir, name),
            Slot::Whole(_) if src_is_dir => return Err(FsError::InvalidArgument),
            Slot::Whole(_) => return Err(FsError::IsADirectory),
        };
        if (from_parsed.trailing_slash || to_parsed.trailing_slash) && !src_is_dir {
            return Err(FsError::NotADirectory);
        }
        let dst = self.child(dst_dir, &dst_name)?;
        if dst == Some(src) {
            return Ok(());
        }
        if src_is_dir && self.is_ancestor_or_self(src, dst_dir)? {
            return Err(FsError::InvalidArgument);
        }
        if let Some(victim) = dst {
            match (src_is_dir, self.is_dir(victim)) {
                (true, false) => return Err(FsError::NotADirectory),
                (false, true) => return Err(FsError::IsADirectory),
                (true, true) if !self.children(victim)?.is_empty() => {
                    return Err(FsError::DirectoryNotEmpty)
                }
                _ => {}
            }
        }

        self.children_mut(src_dir)?.remove(&src_name);
        self.children_mut(dst_dir)?.insert(dst_name.clone(), src);
        if let Some(victim) = dst {
            self.inodes.remove(&victim);
        }
        let moved = self.inode_mut(src)?;
        moved.parent = dst_dir;
        moved.name.clone_from(&dst_name);
        moved.ctime = now;
        self.stamp(src_dir, now)?;
        self.stamp(dst_dir, now)?;

        // The order fsnotify_move() raises them in; the victim's IN_DELETE_SELF comes last,
        // when its dentry is finally dropped.
        self.notify_child(src_dir, &src_name, FsOp::Rename);
        self.notify_child(dst_dir, &dst_name, FsOp::Create);
        if let Some(victim) = dst {
            self.notify_self(victim, FsOp::Chmod);
        }
        self.notify_self(src, FsOp::Rename);
        // fsnotify v1.9 (the kubelet's) cannot follow a moved path, so it drops the watch
        // right after reporting the rename.
        self.drop_watches(src);
        if let Some(victim) = dst {
            self.notify_self(victim, FsOp::Remove);
            self.drop_watches(victim);
        }
        Ok(())
    }

    /// Copies the file at `from` (symlinks followed) to `to`, like `cp` of one file: a new
    /// `to` gets the source's mode less the umask, an existing one keeps its own.
    pub fn copy_file(&mut self, now: SimTime, from: &str, to: &str) -> Result<(), FsError> {
        let src = self.lookup(from, true)?;
        let (data, mode) = match &self.inode(src)?.data {
            Data::File(data) => (data.clone(), self.inode(src)?.mode & !UMASK),
            Data::Dir(_) => return Err(FsError::IsADirectory),
            Data::Symlink(_) => return Err(FsError::InvalidArgument),
        };
        // cp refuses to copy a file onto itself ("are the same file").
        if self.lookup(to, true) == Ok(src) {
            return Err(FsError::InvalidArgument);
        }
        self.write_with_mode(now, to, &data, WriteMode::Truncate, mode)
    }

    /// Creates a symlink at `link_path` pointing at `target`, which may be relative or
    /// dangling.
    pub fn symlink(&mut self, now: SimTime, target: &str, link_path: &str) -> Result<(), FsError> {
        let parsed = parse(link_path)?;
        let Slot::Entry { dir, name } = self.slot(ROOT, &parsed.comps, &mut 0)? else {
            return Err(FsError::AlreadyExists);
        };
        if self.child(dir, &name)?.is_some() {
            return Err(FsError::AlreadyExists);
        }
        if parsed.trailing_slash || target.is_empty() {
            return Err(FsError::NotFound);
        }
        let data = Data::Symlink(target.to_string());
        self.create(now, dir, &name, SYMLINK_MODE, data)?;
        self.notify_child(dir, &name, FsOp::Create);
        Ok(())
    }

    /// The target stored in the symlink at `path`.
    pub fn read_link(&self, path: &str) -> Result<String, FsError> {
        let ino = self.lookup(path, false)?;
        match &self.inode(ino)?.data {
            Data::Symlink(target) => Ok(target.clone()),
            _ => Err(FsError::InvalidArgument),
        }
    }

    /// Sets the permission bits of the object at `path` (symlinks followed).
    pub fn chmod(&mut self, now: SimTime, path: &str, mode: u32) -> Result<(), FsError> {
        let ino = self.lookup(path, true)?;
        let inode = self.inode_mut(ino)?;
        inode.mode = mode & PERMISSION_BITS;
        inode.ctime = now;
        self.notify(ino, FsOp::Chmod)
    }

    /// Sets the mtime of the object at `path` (symlinks followed) without any event, for
    /// building fixtures.
    pub fn set_mtime(&mut self, path: &str, mtime: SimTime) -> Result<(), FsError> {
        let ino = self.lookup(path, true)?;
        self.inode_mut(ino)?.mtime = mtime;
        Ok(())
    }

    /// The entries of the directory at `path` (symlinks followed), sorted by name.
    pub fn read_dir(&self, path: &str) -> Result<Vec<DirEntry>, FsError> {
        let ino = self.lookup(path, true)?;
        self.children(ino)?
            .iter()
            .map(|(name, &child)| {
                Ok(DirEntry {
                    name: name.clone(),
                    kind: self.inode(child)?.data.kind(),
                })
            })
            .collect()
    }

    /// Every descendant of `path`, depth-first with siblings sorted by name; `path` itself
    /// is followed if it is a symlink, symlinks below it are not, and a non-directory has
    /// no descendants.
    pub fn walk(&self, path: &str) -> Result<Vec<WalkEntry>, FsError> {
        let ino = self.lookup(path, true)?;
        let mut out = Vec::new();
        if self.is_dir(ino) {
            self.walk_into(ino, &normalize("/", path), &mut out)?;
        }
        Ok(out)
    }

    /// The absolute path of the object at `path` with every symlink resolved, like
    /// `realpath`.
    pub fn canonicalize(&self, path: &str) -> Result<String, FsError> {
        let mut ino = self.lookup(path, true)?;
        let mut names = Vec::new();
        while ino != ROOT {
            let inode = self.inode(ino)?;
            names.push(inode.name.as_str());
            ino = inode.parent;
        }
        names.reverse();
        Ok(format!("/{}", names.join("/")))
    }

    fn write_with_mode(
        &mut self,
        now: SimTime,
        path: &str,
        data: &[u8],
        mode: WriteMode,
        create_mode: u32,
    ) -> Result<(), FsError> {
        let parsed = parse(path)?;
        let slot = self.open_slot(&parsed.comps)?;
        // open(2) with O_CREAT refuses a trailing slash once the parent has resolved.
        if parsed.trailing_slash {
            return Err(FsError::IsADirectory);
        }
        let (dir, name) = match slot {
            Slot::Whole(_) => return Err(FsError::IsADirectory),
            Slot::Entry { dir, name } => (dir, name),
        };
        if let Some(ino) = self.child(dir, &name)? {
            return self.write_existing(now, ino, data, mode);
        }
        self.create(now, dir, &name, create_mode, Data::File(data.to_vec()))?;
        self.notify_child(dir, &name, FsOp::Create);
        // A zero-length write() raises no IN_MODIFY, and O_TRUNC is skipped on a new file.
        if !data.is_empty() {
            self.notify_child(dir, &name, FsOp::Write);
        }
        Ok(())
    }

    fn write_existing(
        &mut self,
        now: SimTime,
        ino: u64,
        data: &[u8],
        mode: WriteMode,
    ) -> Result<(), FsError> {
        let inode = self.inode_mut(ino)?;
        let Data::File(content) = &mut inode.data else {
            return Err(FsError::IsADirectory);
        };
        match mode {
            // O_TRUNC changes the file (and raises IN_MODIFY) even when nothing is written.
            WriteMode::Truncate => *content = data.to_vec(),
            WriteMode::Append if data.is_empty() => return Ok(()),
            WriteMode::Append => content.extend_from_slice(data),
        }
        inode.mtime = now;
        inode.ctime = now;
        self.notify(ino, FsOp::Write)
    }

    fn touch_existing(&mut self, now: SimTime, ino: u64) -> Result<(), FsError> {
        let inode = self.inode_mut(ino)?;
        inode.mtime = now;
        inode.ctime = now;
        self.notify(ino, FsOp::Chmod)
    }

    fn file_data(&self, path: &str) -> Result<&[u8], FsError> {
        let ino = self.lookup(path, true)?;
        match &self.inode(ino)?.data {
            Data::File(data) => Ok(data),
            Data::Dir(_) => Err(FsError::IsADirectory),
            Data::Symlink(_) => Err(FsError::InvalidArgument),
        }
    }

    fn metadata(&self, ino: u64) -> Result<Metadata, FsError> {
        let inode = self.inode(ino)?;
        let (size, nlink) = match &inode.data {
            Data::File(data) => (data.len() as u64, 1),
            Data::Symlink(target) => (target.len() as u64, 1),
            Data::Dir(entries) => {
                let subdirs = entries.values().filter(|&&c| self.is_dir(c)).count();
                (DIR_SIZE, 2 + subdirs as u64)
            }
        };
        Ok(Metadata {
            kind: inode.data.kind(),
            ino,
            size,
            mode: inode.mode,
            nlink,
            mtime: inode.mtime,
            ctime: inode.ctime,
        })
    }

    /// Adds a new inode named `name` to `dir` and returns its number.
    fn create(
        &mut self,
        now: SimTime,
        dir: u64,
        name: &str,
        mode: u32,
        data: Data,
    ) -> Result<u64, FsError> {
        let ino = self.next_ino;
        self.children_mut(dir)?.insert(name.to_string(), ino);
        self.next_ino += 1;
        let inode = Inode {
            parent: dir,
            name: name.to_string(),
            mode,
            mtime: now,
            ctime: now,
            data,
        };
        self.inodes.insert(ino, inode);
        self.stamp(dir, now)?;
        Ok(ino)
    }

    /// Removes one entry and its inode, with the events unlink(2) or rmdir(2) raise.
    fn unlink(&mut self, now: SimTime, dir: u64, name: &str) -> Result<(), FsError> {
        let ino = self
            .children_mut(dir)?
            .remove(name)
            .ok_or(FsError::NotFound)?;
        let inode = self.inodes.remove(&ino).ok_or(FsError::NotFound)?;
        self.stamp(dir, now)?;
        // Dropping a non-directory's link count raises IN_ATTRIB on it first.
        if !matches!(inode.data, Data::Dir(_)) {
            self.notify_self(ino, FsOp::Chmod);
        }
        self.notify_self(ino, FsOp::Remove);
        self.drop_watches(ino);
        self.notify_child(dir, name, FsOp::Remove);
        Ok(())
    }

    /// Lists `(parent, name)` of everything below `ino`, each directory after its content.
    fn collect_post_order(&self, ino: u64, out: &mut Vec<(u64, String)>) -> Result<(), FsError> {
        let Data::Dir(entries) = &self.inode(ino)?.data else {
            return Ok(());
        };
        for (name, &child) in entries {
            self.collect_post_order(child, out)?;
            out.push((ino, name.clone()));
        }
        Ok(())
    }

    fn walk_into(&self, ino: u64, base: &str, out: &mut Vec<WalkEntry>) -> Result<(), FsError> {
        for (name, &child) in self.children(ino)? {
            let path = join(base, name);
            let kind = self.inode(child)?.data.kind();
            out.push(WalkEntry {
                path: path.clone(),
                kind,
            });
            if kind == FileKind::Dir {
                self.walk_into(child, &path, out)?;
            }
        }
        Ok(())
    }

    fn is_ancestor_or_self(&self, ancestor: u64, mut ino: u64) -> Result<bool, FsError> {
        loop {
            if ino == ancestor {
                return Ok(true);
            }
            if ino == ROOT {
                return Ok(false);
            }
            ino = self.inode(ino)?.parent;
        }
    }

    fn stamp(&mut self, ino: u64, now: SimTime) -> Result<(), FsError> {
        let inode = self.inode_mut(ino)?;
        inode.mtime = now;
        inode.ctime = now;
        Ok(())
    }

    fn inode(&self, ino: u64) -> Result<&Inode, FsError> {
        self.inodes.get(&ino).ok_or(FsError::NotFound)
    }

    fn inode_mut(&mut self, ino: u64) -> Result<&mut Inode, FsError> {
        self.inodes.get_mut(&ino).ok_or(FsError::NotFound)
    }

    fn is_dir(&self, ino: u64) -> bool {
        matches!(
            self.inodes.get(&ino),
            Some(Inode {
                data: Data::Dir(_),
                ..
            })
        )
    }

    fn children(&self, ino: u64) -> Result<&BTreeMap<String, u64>, FsError> {
        match &self.inode(ino)?.data {
            Data::Dir(entries) => Ok(entries),
            _ => Err(FsError::NotADirectory),
        }
    }

    fn children_mut(&mut self, ino: u64) -> Result<&mut BTreeMap<String, u64>, FsError> {
        match &mut self.inode_mut(ino)?.data {
            Data::Dir(entries) => Ok(entries),
            _ => Err(FsError::NotADirectory),
        }
    }

    fn child(&self, dir: u64, name: &str) -> Result<Option<u64>, FsError> {
        Ok(self.children(dir)?.get(name).copied())
    }
}

/// Appends `name` to the directory path `base`, which may be `/`.
fn join(base: &str, name: &str) -> String {
    if base.ends_with('/') {
        format!("{base}{name}")
    } else {
        format!("{base}/{name}")
    }
}
