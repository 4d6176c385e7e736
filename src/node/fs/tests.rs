//! Unit tests for the in-memory filesystem and its watches.

use super::*;
use FsError::{
    AlreadyExists, DirectoryNotEmpty, InvalidArgument, IsADirectory, NotADirectory, NotFound,
    TooManyLinks,
};
use FsOp::{Chmod, Create, Remove, Rename, Write};

const T0: SimTime = SimTime::ZERO;

fn t(ms: u64) -> SimTime {
    SimTime(ms)
}

fn ev(watch: WatchId, name: &str, op: FsOp) -> WatchEvent {
    WatchEvent {
        watch,
        name: name.to_string(),
        op,
    }
}

/// Builds a tree at time zero: entries ending in `/` are directories, others are files
/// whose content is their own path; missing parents are created.
fn tree(paths: &[&str]) -> Fs {
    let mut fs = Fs::default();
    for path in paths {
        if let Some(dir) = path.strip_suffix('/') {
            fs.mkdir_all(T0, dir).unwrap();
        } else {
            fs.mkdir_all(T0, &normalize(path, "..")).unwrap();
            fs.write(T0, path, path.as_bytes(), WriteMode::Truncate)
                .unwrap();
        }
    }
    fs
}

fn put(fs: &mut Fs, path: &str, data: &str) {
    fs.write(T0, path, data.as_bytes(), WriteMode::Truncate)
        .unwrap();
}

fn append(fs: &mut Fs, path: &str, data: &str) {
    fs.write(T0, path, data.as_bytes(), WriteMode::Append)
        .unwrap();
}

fn text(fs: &Fs, path: &str) -> String {
    fs.read_to_string(path).unwrap()
}

fn names(fs: &Fs, path: &str) -> Vec<String> {
    fs.read_dir(path)
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect()
}

// Paths.

#[test]
fn normalize_is_lexical() {
    assert_eq!(normalize("/home", "a/b"), "/home/a/b");
    assert_eq!(normalize("/a/b", "../c/./d/"), "/a/c/d");
    assert_eq!(normalize("/x", "/abs//p/"), "/abs/p");
    assert_eq!(normalize("/", "../../.."), "/");
    assert_eq!(normalize("/a", "."), "/a");
    assert_eq!(normalize("/a", ""), "/a");
    assert_eq!(normalize("/", "/"), "/");
    assert_eq!(normalize("/a/", "b//"), "/a/b");
}

#[test]
fn empty_paths_are_errors_and_relative_ones_start_at_root() {
    let fs = tree(&["/etc/x"]);
    assert_eq!(fs.stat(""), Err(NotFound));
    assert_eq!(fs.stat("etc").unwrap().kind, FileKind::Dir);
    assert_eq!(fs.read("etc/x").unwrap(), fs.read("/etc/x").unwrap());
}

#[test]
fn default_is_an_empty_root() {
    let fs = Fs::default();
    let root = fs.stat("/").unwrap();
    assert_eq!(root.kind, FileKind::Dir);
    assert_eq!(root.mode, 0o755);
    assert_eq!(root.mtime, T0);
    assert_eq!(root.nlink, 2);
    assert!(fs.read_dir("/").unwrap().is_empty());
    assert_eq!(fs.canonicalize("/").unwrap(), "/");
}

#[test]
fn errors_print_strerror_text_and_errno_names() {
    let cases = [
        (NotFound, "ENOENT", "No such file or directory"),
        (AlreadyExists, "EEXIST", "File exists"),
        (NotADirectory, "ENOTDIR", "Not a directory"),
        (IsADirectory, "EISDIR", "Is a directory"),
        (DirectoryNotEmpty, "ENOTEMPTY", "Directory not empty"),
        (InvalidArgument, "EINVAL", "Invalid argument"),
        (TooManyLinks, "ELOOP", "Too many levels of symbolic links"),
        (
            FsError::TooLarge { limit: 10_485_760 },
            "EFBIG",
            "file too large (limit 10485760 bytes)",
        ),
    ];
    for (err, errno, text) in cases {
        assert_eq!(err.errno_name(), errno);
        assert_eq!(err.to_string(), text);
    }
    let boxed: Box<dyn std::error::Error> = Box::new(NotFound);
    assert_eq!(boxed.to_string(), "No such file or directory");
}

// Files and metadata.

#[test]
fn write_and_read_binary_data() {
    let mut fs = tree(&["/bin/"]);
    let data = [0u8, 0xff, 0xfe, b'h', b'\n'];
    fs.write(T0, "/bin/blob", &data, WriteMode::Truncate)
        .unwrap();
    assert_eq!(fs.read("/bin/blob").unwrap(), data);
    assert_eq!(fs.stat("/bin/blob").unwrap().size, 5);
    assert_eq!(
        fs.read_to_string("/bin/blob").unwrap(),
        "\0\u{fffd}\u{fffd}h\n"
    );
}

#[test]
fn truncate_replaces_and_append_extends() {
    let mut fs = tree(&["/m/"]);
    put(&mut fs, "/m/a", "first");
    put(&mut fs, "/m/a", "second");
    assert_eq!(text(&fs, "/m/a"), "second");
    append(&mut fs, "/m/a", "+more");
    assert_eq!(text(&fs, "/m/a"), "second+more");
    append(&mut fs, "/m/new", "created");
    assert_eq!(text(&fs, "/m/new"), "created");
    put(&mut fs, "/m/a", "");
    assert_eq!(fs.read("/m/a").unwrap(), b"");
}

#[test]
fn write_errors() {
    let mut fs = tree(&["/m/", "/f"]);
    let mut w = |path: &str| fs.write(T0, path, b"x", WriteMode::Truncate);
    assert_eq!(w("/missing/a"), Err(NotFound));
    assert_eq!(w("/f/a"), Err(NotADirectory));
    assert_eq!(w("/m"), Err(IsADirectory));
    assert_eq!(w("/"), Err(IsADirectory));
    assert_eq!(w("/m/.."), Err(IsADirectory));
    assert_eq!(w("/m/new/"), Err(IsADirectory));
    assert_eq!(w("/missing/new/"), Err(NotFound));
}

#[test]
fn read_errors() {
    let fs = tree(&["/m/", "/f"]);
    assert_eq!(fs.read("/m"), Err(IsADirectory));
    assert_eq!(fs.read_to_string("/"), Err(IsADirectory));
    assert_eq!(fs.read("/nope"), Err(NotFound));
    assert_eq!(fs.read("/f/x"), Err(NotADirectory));
    assert_eq!(fs.read("/f/"), Err(NotADirectory));
    assert_eq!(fs.stat("/f/."), Err(NotADirectory));
}

#[test]
fn read_at_most_refuses_bigger_files() {
    let mut fs = tree(&["/m/"]);
    put(&mut fs, "/m/a", "0123456789");
    assert_eq!(fs.read_at_most("/m/a", 10).unwrap(), b"0123456789");
    assert_eq!(
        fs.read_at_most("/m/a", 9),
        Err(FsError::TooLarge { limit: 9 })
    );
    assert_eq!(fs.read_at_most("/m", 100), Err(IsADirectory));
    assert_eq!(fs.read_at_most("/m/b", 100), Err(NotFound));
}

#[test]
fn peek_at_most_lends_what_read_at_most_copies() {
    let mut fs = tree(&["/m/"]);
    put(&mut fs, "/m/a", "0123456789");
    fs.symlink(T0, "a", "/m/link").unwrap();
    assert_eq!(fs.peek_at_most("/m/a", 10), Ok(&b"0123456789"[..]));
    // A symlink is followed, through `..` too.
    assert_eq!(fs.peek_at_most("/m/../m/link", 10), Ok(&b"0123456789"[..]));
    assert_eq!(
        fs.peek_at_most("/m/a", 9),
        Err(FsError::TooLarge { limit: 9 })
    );
    assert_eq!(fs.peek_at_most("/m", 100), Err(IsADirectory));
    assert_eq!(fs.peek_at_most("/m/b", 100), Err(NotFound));
}

#[test]
fn metadata_defaults() {
    let mut fs = tree(&["/d/sub1/", "/d/sub2/", "/d/file"]);
    fs.symlink(T0, "../d/file", "/d/link").unwrap();
    let file = fs.stat("/d/file").unwrap();
    assert!(file.is_file());
    assert_eq!((file.mode, file.size, file.nlink), (0o644, 7, 1));
    let dir = fs.stat("/d").unwrap();
    assert!(dir.is_dir());
    assert_eq!((dir.mode, dir.size, dir.nlink), (0o755, 4096, 4));
    let link = fs.lstat("/d/link").unwrap();
    assert!(link.is_symlink());
    assert_eq!((link.mode, link.size, link.nlink), (0o777, 9, 1));
    assert_eq!(fs.stat("/d/link").unwrap(), file);
    assert_ne!(file.ino, dir.ino);
    assert_ne!(file.ino, link.ino);
}

#[test]
fn mutations_stamp_mtime_like_posix() {
    let mut fs = tree(&["/n/"]);
    let mtime = |fs: &Fs, path: &str| fs.stat(path).unwrap().mtime;

    fs.mkdir(t(10), "/m").unwrap();
    assert_eq!((mtime(&fs, "/"), mtime(&fs, "/m")), (t(10), t(10)));

    fs.write(t(20), "/m/a", b"x", WriteMode::Truncate).unwrap();
    assert_eq!((mtime(&fs, "/m"), mtime(&fs, "/m/a")), (t(20), t(20)));

    // Changing content is not a change to the directory.
    fs.write(t(30), "/m/a", b"y", WriteMode::Truncate).unwrap();
    assert_eq!((mtime(&fs, "/m"), mtime(&fs, "/m/a")), (t(20), t(30)));

    // chmod changes ctime only.
    fs.chmod(t(40), "/m/a", 0o600).unwrap();
    let meta = fs.stat("/m/a").unwrap();
    assert_eq!((meta.mtime, meta.ctime, meta.mode), (t(30), t(40), 0o600));

    fs.touch(t(50), "/m/a").unwrap();
    assert_eq!(mtime(&fs, "/m/a"), t(50));

    // An empty append writes nothing.
    fs.write(t(55), "/m/a", b"", WriteMode::Append).unwrap();
    assert_eq!(mtime(&fs, "/m/a"), t(50));

    fs.rename(t(60), "/m/a", "/n/a").unwrap();
    assert_eq!((mtime(&fs, "/m"), mtime(&fs, "/n")), (t(60), t(60)));
    let moved = fs.stat("/n/a").unwrap();
    assert_eq!((moved.mtime, moved.ctime), (t(50), t(60)));

    fs.remove_file(t(70), "/n/a").unwrap();
    assert_eq!(mtime(&fs, "/n"), t(70));

    fs.touch(t(80), "/m").unwrap();
    assert_eq!(mtime(&fs, "/m"), t(80));
}

#[test]
fn set_mtime_raises_no_event() {
    let mut fs = tree(&["/m/a"]);
    let w = fs.add_watch("/m").unwrap();
    fs.set_mtime("/m/a", t(5)).unwrap();
    assert_eq!(fs.stat("/m/a").unwrap().mtime, t(5));
    assert_eq!(fs.set_mtime("/m/zz", t(5)), Err(NotFound));
    assert_eq!(fs.take_events(), vec![]);
    assert!(fs.is_watching(w));
}

// Directories.

#[test]
fn mkdir_errors() {
    let mut fs = tree(&["/m/", "/f"]);
    fs.symlink(T0, "/nowhere", "/dangling").unwrap();
    assert_eq!(fs.mkdir(T0, "/m"), Err(AlreadyExists));
    assert_eq!(fs.mkdir(T0, "/f"), Err(AlreadyExists));
    assert_eq!(fs.mkdir(T0, "/dangling"), Err(AlreadyExists));
    assert_eq!(fs.mkdir(T0, "/"), Err(AlreadyExists));
    assert_eq!(fs.mkdir(T0, "/m/."), Err(AlreadyExists));
    assert_eq!(fs.mkdir(T0, "/x/y"), Err(NotFound));
    assert_eq!(fs.mkdir(T0, "/f/y"), Err(NotADirectory));
    fs.mkdir(T0, "/m/sub/").unwrap();
    assert!(fs.stat("/m/sub").unwrap().is_dir());
}

#[test]
fn mkdir_all_is_mkdir_p() {
    let mut fs = tree(&["/f", "/real/"]);
    fs.symlink(T0, "/real", "/alias").unwrap();
    fs.symlink(T0, "/nowhere", "/dangling").unwrap();
    fs.mkdir_all(T0, "/a/b/c").unwrap();
    assert!(fs.stat("/a/b/c").unwrap().is_dir());
    fs.mkdir_all(T0, "/a/b/c").unwrap();
    fs.mkdir_all(T0, "/").unwrap();
    fs.mkdir_all(T0, "/a/./b/../b2").unwrap();
    assert_eq!(names(&fs, "/a"), ["b", "b2"]);
    fs.mkdir_all(T0, "/alias/x/y").unwrap();
    assert!(fs.stat("/real/x/y").unwrap().is_dir());
    assert_eq!(fs.mkdir_all(T0, "/f"), Err(AlreadyExists));
    assert_eq!(fs.mkdir_all(T0, "/f/g"), Err(NotADirectory));
    assert_eq!(fs.mkdir_all(T0, "/dangling"), Err(AlreadyExists));
    assert_eq!(fs.mkdir_all(T0, "/dangling/x"), Err(NotFound));
}

#[test]
fn remove_file_cases() {
    let mut fs = tree(&["/m/", "/m/a", "/data/real"]);
    fs.symlink(T0, "/data/real", "/m/link").unwrap();
    fs.symlink(T0, "/m", "/dirlink").unwrap();
    assert_eq!(fs.remove_file(T0, "/m"), Err(IsADirectory));
    assert_eq!(fs.remove_file(T0, "/"), Err(IsADirectory));
    assert_eq!(fs.remove_file(T0, "/m/zz"), Err(NotFound));
    assert_eq!(fs.remove_file(T0, "/zz/a"), Err(NotFound));
    assert_eq!(fs.remove_file(T0, "/m/a/"), Err(NotADirectory));
    assert_eq!(fs.remove_file(T0, "/dirlink/"), Err(IsADirectory));
    fs.remove_file(T0, "/m/link").unwrap();
    assert_eq!(text(&fs, "/data/real"), "/data/real");
    fs.remove_file(T0, "/dirlink").unwrap();
    assert!(fs.stat("/m").unwrap().is_dir());
    fs.remove_file(T0, "/m/a").unwrap();
    assert!(!fs.exists("/m/a"));
    assert!(names(&fs, "/m").is_empty());
}

#[test]
fn remove_dir_cases() {
    let mut fs = tree(&["/m/a", "/e/", "/f"]);
    fs.symlink(T0, "/e", "/elink").unwrap();
    assert_eq!(fs.remove_dir(T0, "/m"), Err(DirectoryNotEmpty));
    assert_eq!(fs.remove_dir(T0, "/f"), Err(NotADirectory));
    assert_eq!(fs.remove_dir(T0, "/elink"), Err(NotADirectory));
    assert_eq!(fs.remove_dir(T0, "/nope"), Err(NotFound));
    assert_eq!(fs.remove_dir(T0, "/"), Err(InvalidArgument));
    assert_eq!(fs.remove_dir(T0, "/e/."), Err(InvalidArgument));
    fs.remove_dir(T0, "/e").unwrap();
    assert!(!fs.exists("/e"));
    assert!(fs.lstat("/elink").is_ok());
}

#[test]
fn remove_all_is_rm_r() {
    let mut fs = tree(&["/m/a", "/m/sub/x", "/m/sub/deeper/y", "/keep/k"]);
    fs.symlink(T0, "/keep", "/m/sub/keeplink").unwrap();
    fs.symlink(T0, "/keep", "/klink").unwrap();
    assert_eq!(fs.remove_all(T0, "/nope"), Err(NotFound));
    assert_eq!(fs.remove_all(T0, "/"), Err(InvalidArgument));
    assert_eq!(fs.remove_all(T0, "/keep/k/"), Err(NotADirectory));
    fs.remove_all(T0, "/m").unwrap();
    assert!(!fs.exists("/m"));
    assert_eq!(text(&fs, "/keep/k"), "/keep/k");
    // A symlink is removed itself; rm -r never descends through it.
    fs.remove_all(T0, "/klink").unwrap();
    assert_eq!(names(&fs, "/"), ["keep"]);
    assert_eq!(names(&fs, "/keep"), ["k"]);
    fs.remove_all(T0, "/keep/k").unwrap();
    assert!(names(&fs, "/keep").is_empty());
}

// Rename.

#[test]
fn rename_file_over_file_replaces_it() {
    let mut fs = tree(&["/m/a", "/m/b"]);
    let ino = fs.stat("/m/a").unwrap().ino;
    fs.rename(T0, "/m/a", "/m/b").unwrap();
    assert_eq!(text(&fs, "/m/b"), "/m/a");
    assert_eq!(fs.stat("/m/b").unwrap().ino, ino);
    assert_eq!(names(&fs, "/m"), ["b"]);
}

#[test]
fn rename_dir_onto_dirs_and_files() {
    let mut fs = tree(&["/src/inner", "/empty/", "/full/x", "/f", "/other/"]);
    assert_eq!(fs.rename(T0, "/src", "/full"), Err(DirectoryNotEmpty));
    assert_eq!(fs.rename(T0, "/src", "/f"), Err(NotADirectory));
    assert_eq!(fs.rename(T0, "/f", "/empty"), Err(IsADirectory));
    assert_eq!(fs.rename(T0, "/f", "/"), Err(IsADirectory));
    assert_eq!(fs.rename(T0, "/f", "/g/"), Err(NotADirectory));
    fs.rename(T0, "/src", "/empty").unwrap();
    assert_eq!(text(&fs, "/empty/inner"), "/src/inner");
    assert!(!fs.exists("/src"));
    // Across directories, with the whole subtree.
    fs.rename(T0, "/empty", "/other/moved").unwrap();
    assert_eq!(text(&fs, "/other/moved/inner"), "/src/inner");
    assert_eq!(
        fs.canonicalize("/other/moved/inner").unwrap(),
        "/other/moved/inner"
    );
}

#[test]
fn rename_errors_and_no_ops() {
    let mut fs = tree(&["/a/b/c/", "/f"]);
    assert_eq!(fs.rename(T0, "/a", "/a/b/c/a"), Err(InvalidArgument));
    assert_eq!(fs.rename(T0, "/a", "/a/x"), Err(InvalidArgument));
    assert_eq!(fs.rename(T0, "/a/b", "/a/b/x"), Err(InvalidArgument));
    assert_eq!(fs.rename(T0, "/a", "/"), Err(InvalidArgument));
    assert_eq!(fs.rename(T0, "/", "/x"), Err(InvalidArgument));
    assert_eq!(fs.rename(T0, "/nope", "/x"), Err(NotFound));
    assert_eq!(fs.rename(T0, "/f", "/nope/x"), Err(NotFound));
    assert_eq!(fs.rename(T0, "/f", "/f/x"), Err(NotADirectory));
    let w = fs.add_watch("/").unwrap();
    fs.rename(t(9), "/f", "/f").unwrap();
    fs.rename(t(9), "/a", "/a/b/..").unwrap_err();
    fs.rename(t(9), "/a/b", "/a/./b").unwrap();
    assert_eq!(fs.take_events(), vec![]);
    assert_eq!(fs.stat("/").unwrap().mtime, T0);
    assert!(fs.is_watching(w));
}

#[test]
fn rename_moves_a_symlink_not_its_target() {
    let mut fs = tree(&["/data/real", "/m/"]);
    fs.symlink(T0, "../data/real", "/m/link").unwrap();
    fs.rename(T0, "/m/link", "/m/renamed").unwrap();
    assert_eq!(fs.read_link("/m/renamed").unwrap(), "../data/real");
    assert_eq!(text(&fs, "/m/renamed"), "/data/real");
    assert!(fs.exists("/data/real"));
}

// Copy.

#[test]
fn copy_file_cases() {
    let mut fs = tree(&["/src/a", "/dst/", "/src/sub/"]);
    fs.symlink(T0, "a", "/src/link").unwrap();
    fs.copy_file(T0, "/src/link", "/dst/a").unwrap();
    assert_eq!(text(&fs, "/dst/a"), "/src/a");
    assert!(fs.lstat("/dst/a").unwrap().is_file());
    assert_eq!(fs.copy_file(T0, "/src/sub", "/dst/x"), Err(IsADirectory));
    assert_eq!(fs.copy_file(T0, "/src/nope", "/dst/x"), Err(NotFound));
    assert_eq!(fs.copy_file(T0, "/src/a", "/dst"), Err(IsADirectory));
    assert_eq!(
        fs.copy_file(T0, "/src/a", "/src/link"),
        Err(InvalidArgument)
    );
    assert_eq!(fs.copy_file(T0, "/src/a", "/nope/x"), Err(NotFound));
}

#[test]
fn copy_file_modes() {
    let mut fs = tree(&["/a", "/b", "/keep"]);
    fs.chmod(T0, "/a", 0o600).unwrap();
    fs.chmod(T0, "/b", 0o777).unwrap();
    fs.chmod(T0, "/keep", 0o640).unwrap();
    fs.copy_file(T0, "/a", "/a2").unwrap();
    fs.copy_file(T0, "/b", "/b2").unwrap();
    fs.copy_file(T0, "/b", "/keep").unwrap();
    assert_eq!(fs.stat("/a2").unwrap().mode, 0o600);
    assert_eq!(fs.stat("/b2").unwrap().mode, 0o755);
    assert_eq!(fs.stat("/keep").unwrap().mode, 0o640);
    assert_eq!(text(&fs, "/keep"), "/b");
}

// Symlinks.

#[test]
fn symlinks_resolve_relative_targets_and_may_dangle() {
    let mut fs = tree(&["/etc/kubernetes/", "/srv/manifests/etcd.yaml"]);
    fs.symlink(T0, "../../srv/manifests", "/etc/kubernetes/manifests")
        .unwrap();
    assert_eq!(
        text(&fs, "/etc/kubernetes/manifests/etcd.yaml"),
        "/srv/manifests/etcd.yaml"
    );
    assert_eq!(
        fs.read_link("/etc/kubernetes/manifests").unwrap(),
        "../../srv/manifests"
    );
    fs.symlink(T0, "gone.yaml", "/srv/dangling").unwrap();
    assert_eq!(fs.stat("/srv/dangling"), Err(NotFound));
    assert!(fs.lstat("/srv/dangling").unwrap().is_symlink());
    assert!(!fs.exists("/srv/dangling"));
    assert_eq!(
        fs.read_link("/srv/manifests/etcd.yaml"),
        Err(InvalidArgument)
    );
    assert_eq!(fs.read_link("/srv/nope"), Err(NotFound));
}

#[test]
fn symlink_errors() {
    let mut fs = tree(&["/m/a"]);
    fs.symlink(T0, "/nowhere", "/m/dangling").unwrap();
    assert_eq!(fs.symlink(T0, "/x", "/m/a"), Err(AlreadyExists));
    assert_eq!(fs.symlink(T0, "/x", "/m"), Err(AlreadyExists));
    assert_eq!(fs.symlink(T0, "/x", "/m/dangling"), Err(AlreadyExists));
    assert_eq!(fs.symlink(T0, "/x", "/"), Err(AlreadyExists));
    assert_eq!(fs.symlink(T0, "/x", "/nope/l"), Err(NotFound));
    assert_eq!(fs.symlink(T0, "/x", "/m/a/l"), Err(NotADirectory));
    assert_eq!(fs.symlink(T0, "", "/m/empty"), Err(NotFound));
    assert_eq!(fs.symlink(T0, "/x", "/m/slash/"), Err(NotFound));
}

#[test]
fn symlink_loops_are_eloop() {
    let mut fs = tree(&["/f"]);
    fs.symlink(T0, "/b", "/a").unwrap();
    fs.symlink(T0, "a", "/b").unwrap();
    fs.symlink(T0, "self", "/self").unwrap();
    assert_eq!(fs.stat("/a"), Err(TooManyLinks));
    assert_eq!(fs.stat("/self"), Err(TooManyLinks));
    assert_eq!(fs.read("/a/x"), Err(TooManyLinks));
    assert_eq!(fs.canonicalize("/a"), Err(TooManyLinks));
    assert_eq!(
        fs.write(T0, "/a", b"x", WriteMode::Truncate),
        Err(TooManyLinks)
    );
    assert_eq!(fs.add_watch("/self"), Err(TooManyLinks));
    assert!(fs.lstat("/a").unwrap().is_symlink());
    assert!(!fs.exists("/a"));
    fs.remove_file(T0, "/a").unwrap();
}

#[test]
fn at_most_forty_symlinks_are_followed() {
    let chain = |count: usize| {
        let mut fs = tree(&["/f"]);
        for i in 0..count {
            let target = if i + 1 == count {
                "/f".to_string()
            } else {
                format!("/l{}", i + 1)
            };
            fs.symlink(T0, &target, &format!("/l{i}")).unwrap();
        }
        fs
    };
    assert_eq!(text(&chain(40), "/l0"), "/f");
    assert_eq!(chain(41).stat("/l0"), Err(TooManyLinks));
    assert!(chain(41).stat("/l1").is_ok());
}

#[test]
fn writing_through_a_symlink_writes_its_target() {
    let mut fs = tree(&["/data/", "/m/"]);
    fs.symlink(T0, "../data/new.yaml", "/m/link").unwrap();
    put(&mut fs, "/m/link", "v1");
    assert_eq!(text(&fs, "/data/new.yaml"), "v1");
    assert!(fs.lstat("/m/link").unwrap().is_symlink());
    append(&mut fs, "/m/link", "+v2");
    assert_eq!(text(&fs, "/data/new.yaml"), "v1+v2");
    fs.symlink(T0, "/gone/x", "/m/nowhere").unwrap();
    assert_eq!(
        fs.write(T0, "/m/nowhere", b"x", WriteMode::Truncate),
        Err(NotFound)
    );
    fs.symlink(T0, "/data", "/m/dirlink").unwrap();
    assert_eq!(
        fs.write(T0, "/m/dirlink", b"x", WriteMode::Truncate),
        Err(IsADirectory)
    );
    fs.symlink(T0, "/data/touched", "/m/tlink").unwrap();
    fs.touch(T0, "/m/tlink").unwrap();
    assert!(fs.stat("/data/touched").unwrap().is_file());
}

#[test]
fn dot_dot_after_a_symlink_is_physical() {
    let mut fs = tree(&["/a/b/", "/a/sibling"]);
    fs.symlink(T0, "/a/b", "/l").unwrap();
    assert_eq!(text(&fs, "/l/../sibling"), "/a/sibling");
    assert_eq!(fs.canonicalize("/l/..").unwrap(), "/a");
    assert_eq!(fs.canonicalize("/..").unwrap(), "/");
}

#[test]
fn canonicalize_resolves_every_symlink() {
    let mut fs = tree(&["/srv/manifests/etcd.yaml", "/etc/kubernetes/"]);
    fs.symlink(T0, "/srv", "/s").unwrap();
    fs.symlink(T0, "../../s/manifests", "/etc/kubernetes/manifests")
        .unwrap();
    assert_eq!(
        fs.canonicalize("/etc/kubernetes/manifests/etcd.yaml")
            .unwrap(),
        "/srv/manifests/etcd.yaml"
    );
    assert_eq!(
        fs.canonicalize("/etc//kubernetes/./manifests/").unwrap(),
        "/srv/manifests"
    );
    assert_eq!(fs.canonicalize("/etc/nope"), Err(NotFound));
}

#[test]
fn read_dir_sorts_by_bytes_and_follows_symlinks() {
    let mut fs = tree(&["/d/b", "/d/B", "/d/a", "/d/sub/", "/f"]);
    fs.symlink(T0, "/f", "/d/link").unwrap();
    fs.symlink(T0, "/d", "/dlink").unwrap();
    let want = vec![
        DirEntry {
            name: "B".into(),
            kind: FileKind::File,
        },
        DirEntry {
            name: "a".into(),
            kind: FileKind::File,
        },
        DirEntry {
            name: "b".into(),
            kind: FileKind::File,
        },
        DirEntry {
            name: "link".into(),
            kind: FileKind::Symlink,
        },
        DirEntry {
            name: "sub".into(),
            kind: FileKind::Dir,
        },
    ];
    assert_eq!(fs.read_dir("/d").unwrap(), want);
    assert_eq!(fs.read_dir("/dlink").unwrap(), want);
    assert_eq!(fs.read_dir("/f"), Err(NotADirectory));
    assert_eq!(fs.read_dir("/nope"), Err(NotFound));
}

#[test]
fn walk_is_sorted_depth_first() {
    let mut fs = tree(&["/r/b/y", "/r/b/x/", "/r/a", "/r/c", "/other/z"]);
    fs.symlink(T0, "/other", "/r/b/link").unwrap();
    fs.symlink(T0, "/r", "/rl").unwrap();
    let got: Vec<(String, FileKind)> = fs
        .walk("/rl/")
        .unwrap()
        .into_iter()
        .map(|e| (e.path, e.kind))
        .collect();
    let want = [
        ("/rl/a", FileKind::File),
        ("/rl/b", FileKind::Dir),
        ("/rl/b/link", FileKind::Symlink),
        ("/rl/b/x", FileKind::Dir),
        ("/rl/b/y", FileKind::File),
        ("/rl/c", FileKind::File),
    ];
    let want: Vec<(String, FileKind)> = want.iter().map(|(p, k)| (p.to_string(), *k)).collect();
    assert_eq!(got, want);
    assert_eq!(fs.walk("/r/a").unwrap(), vec![]);
    assert_eq!(fs.walk("/nope"), Err(NotFound));
    assert_eq!(fs.walk("/").unwrap().len(), 10);
    assert_eq!(fs.walk("/").unwrap()[0].path, "/other");
}

#[test]
fn chmod_follows_symlinks_and_masks_bits() {
    let mut fs = tree(&["/f"]);
    fs.symlink(T0, "/f", "/l").unwrap();
    fs.chmod(T0, "/l", 0o100_600).unwrap();
    assert_eq!(fs.stat("/f").unwrap().mode, 0o600);
    assert_eq!(fs.lstat("/l").unwrap().mode, 0o777);
    fs.chmod(T0, "/", 0o1777).unwrap();
    assert_eq!(fs.stat("/").unwrap().mode, 0o1777);
    assert_eq!(fs.chmod(T0, "/nope", 0o644), Err(NotFound));
}

// Watches on a directory.

#[test]
fn watch_setup_errors() {
    let mut fs = tree(&["/m/"]);
    fs.symlink(T0, "/nowhere", "/dangling").unwrap();
    assert_eq!(fs.add_watch("/nope"), Err(NotFound));
    assert_eq!(fs.add_watch("/dangling"), Err(NotFound));
    let relative = fs.add_watch("m").expect("relative paths start at /");
    fs.remove_watch(relative).unwrap();
    let w = fs.add_watch("/m").unwrap();
    let w2 = fs.add_watch("/m").unwrap();
    assert_ne!(w, w2);
    assert_eq!(fs.remove_watch(w), Ok(()));
    assert_eq!(fs.remove_watch(w), Err(InvalidArgument));
    assert_eq!(fs.remove_watch(WatchId(99)), Err(InvalidArgument));
    put(&mut fs, "/m/a", "x");
    assert_eq!(
        fs.take_events(),
        vec![ev(w2, "/m/a", Create), ev(w2, "/m/a", Write)]
    );
}

#[test]
fn no_watch_no_events() {
    let mut fs = tree(&["/m/"]);
    put(&mut fs, "/m/a", "x");
    fs.rename(T0, "/m/a", "/m/b").unwrap();
    fs.remove_all(T0, "/m").unwrap();
    assert_eq!(fs.take_events(), vec![]);
}

#[test]
fn dir_watch_sees_create_write_append_touch_chmod_rm() {
    let mut fs = tree(&["/m/"]);
    let w = fs.add_watch("/m").unwrap();

    put(&mut fs, "/m/a.yaml", "v1");
    assert_eq!(
        fs.take_events(),
        vec![ev(w, "/m/a.yaml", Create), ev(w, "/m/a.yaml", Write)]
    );
    put(&mut fs, "/m/a.yaml", "v2");
    assert_eq!(fs.take_events(), vec![ev(w, "/m/a.yaml", Write)]);
    append(&mut fs, "/m/a.yaml", "+");
    assert_eq!(fs.take_events(), vec![ev(w, "/m/a.yaml", Write)]);
    fs.touch(t(1), "/m/a.yaml").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/a.yaml", Chmod)]);
    fs.touch(t(1), "/m/b.yaml").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![ev(w, "/m/b.yaml", Create), ev(w, "/m/b.yaml", Chmod)]
    );
    fs.chmod(t(2), "/m/a.yaml", 0o600).unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/a.yaml", Chmod)]);
    fs.remove_file(t(3), "/m/a.yaml").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/a.yaml", Remove)]);
    fs.mkdir(t(4), "/m/sub").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/sub", Create)]);
    fs.symlink(t(5), "/elsewhere", "/m/link").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/link", Create)]);
    fs.remove_dir(t(6), "/m/sub").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/sub", Remove)]);
    fs.remove_file(t(7), "/m/link").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/link", Remove)]);
    assert_eq!(fs.take_events(), vec![]);
}

#[test]
fn empty_writes_follow_the_kernel() {
    let mut fs = tree(&["/m/"]);
    let w = fs.add_watch("/m").unwrap();
    // A new empty file: IN_CREATE only; no bytes, no IN_MODIFY.
    put(&mut fs, "/m/a", "");
    assert_eq!(fs.take_events(), vec![ev(w, "/m/a", Create)]);
    // O_TRUNC on an existing file is a modification even with nothing written.
    put(&mut fs, "/m/a", "");
    assert_eq!(fs.take_events(), vec![ev(w, "/m/a", Write)]);
    append(&mut fs, "/m/a", "");
    assert_eq!(fs.take_events(), vec![]);
}

#[test]
fn dir_watch_sees_moves_within_into_and_out() {
    let mut fs = tree(&["/m/a.yaml", "/m/b.yaml", "/tmp/new.yaml", "/tmp/d/"]);
    let w = fs.add_watch("/m").unwrap();

    fs.rename(T0, "/m/a.yaml", "/m/c.yaml").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![ev(w, "/m/a.yaml", Rename), ev(w, "/m/c.yaml", Create)]
    );
    fs.rename(T0, "/tmp/new.yaml", "/m/new.yaml").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/new.yaml", Create)]);
    fs.rename(T0, "/tmp/d", "/m/d").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/d", Create)]);
    fs.rename(T0, "/m/b.yaml", "/tmp/b.yaml").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/b.yaml", Rename)]);
    // Replacing an existing entry is still just a move for the directory.
    fs.rename(T0, "/m/new.yaml", "/m/c.yaml").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![ev(w, "/m/new.yaml", Rename), ev(w, "/m/c.yaml", Create)]
    );
    assert_eq!(names(&fs, "/m"), ["c.yaml", "d"]);
}

#[test]
fn dir_watch_sees_copies() {
    let mut fs = tree(&["/m/", "/src/a"]);
    let w = fs.add_watch("/m").unwrap();
    fs.copy_file(T0, "/src/a", "/m/a").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![ev(w, "/m/a", Create), ev(w, "/m/a", Write)]
    );
    fs.copy_file(T0, "/src/a", "/m/a").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/a", Write)]);
}

#[test]
fn dir_watch_sees_only_direct_children() {
    let mut fs = tree(&["/m/sub/"]);
    let w = fs.add_watch("/m").unwrap();
    put(&mut fs, "/m/sub/deep", "x");
    fs.mkdir_all(T0, "/m/sub/x/y").unwrap();
    assert_eq!(fs.take_events(), vec![]);
    fs.mkdir_all(T0, "/m/p/q").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/p", Create)]);
}

#[test]
fn dir_watch_sees_its_own_chmod_and_rename_then_dies() {
    let mut fs = tree(&["/m/", "/n/"]);
    let w = fs.add_watch("/m").unwrap();
    fs.touch(t(1), "/m").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m", Chmod)]);
    fs.rename(t(2), "/m", "/n/m2").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m", Rename)]);
    assert!(!fs.is_watching(w));
    put(&mut fs, "/n/m2/a", "x");
    assert_eq!(fs.take_events(), vec![]);
}

#[test]
fn dir_watch_sees_its_own_removal() {
    let mut fs = tree(&["/m/a"]);
    let w = fs.add_watch("/m").unwrap();
    fs.remove_file(t(3), "/m/a").unwrap();
    fs.remove_dir(t(4), "/m").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![ev(w, "/m/a", Remove), ev(w, "/m", Remove)]
    );
    assert!(!fs.is_watching(w));
}

#[test]
fn watch_on_root_and_cleaned_paths() {
    let mut fs = tree(&["/m/sub/"]);
    let root = fs.add_watch("/").unwrap();
    let m = fs.add_watch("/m/./sub/..//").unwrap();
    put(&mut fs, "/m/a", "x");
    put(&mut fs, "/top", "x");
    assert_eq!(
        fs.take_events(),
        vec![
            ev(m, "/m/a", Create),
            ev(m, "/m/a", Write),
            ev(root, "/top", Create),
            ev(root, "/top", Write),
        ]
    );
}

#[test]
fn watch_dies_with_its_dir_and_stays_dead() {
    let mut fs = tree(&["/etc/kubernetes/manifests/etcd.yaml"]);
    fs.mkdir(T0, "/etc/kubernetes/manifests/sub").unwrap();
    put(&mut fs, "/etc/kubernetes/manifests/sub/x", "x");
    let w = fs.add_watch("/etc/kubernetes/manifests").unwrap();

    fs.remove_all(t(1), "/etc/kubernetes/manifests").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![
            ev(w, "/etc/kubernetes/manifests/etcd.yaml", Remove),
            ev(w, "/etc/kubernetes/manifests/sub", Remove),
            ev(w, "/etc/kubernetes/manifests", Remove),
        ]
    );
    assert!(!fs.is_watching(w));

    fs.mkdir(t(2), "/etc/kubernetes/manifests").unwrap();
    put(&mut fs, "/etc/kubernetes/manifests/etcd.yaml", "again");
    assert_eq!(fs.take_events(), vec![]);
    assert_eq!(fs.remove_watch(w), Err(InvalidArgument));
}

#[test]
fn remove_all_reports_children_first_to_every_watch() {
    let mut fs = tree(&["/m/a", "/m/sub/x"]);
    let wm = fs.add_watch("/m").unwrap();
    let wsub = fs.add_watch("/m/sub").unwrap();
    let wa = fs.add_watch("/m/a").unwrap();
    let wroot = fs.add_watch("/").unwrap();
    fs.remove_all(t(1), "/m").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![
            ev(wa, "/m/a", Chmod),
            ev(wa, "/m/a", Remove),
            ev(wm, "/m/a", Remove),
            ev(wsub, "/m/sub/x", Remove),
            ev(wsub, "/m/sub", Remove),
            ev(wm, "/m/sub", Remove),
            ev(wm, "/m", Remove),
            ev(wroot, "/m", Remove),
        ]
    );
    assert!(fs.is_watching(wroot));
    assert!(!fs.is_watching(wm) && !fs.is_watching(wsub) && !fs.is_watching(wa));
}

// Watches on a file.

#[test]
fn file_watch_sees_write_chmod_and_unlink() {
    let mut fs = tree(&["/m/pod.yaml"]);
    let w = fs.add_watch("/m/pod.yaml").unwrap();
    append(&mut fs, "/m/pod.yaml", "x");
    assert_eq!(fs.take_events(), vec![ev(w, "/m/pod.yaml", Write)]);
    fs.chmod(T0, "/m/pod.yaml", 0o600).unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/pod.yaml", Chmod)]);
    // Unlinking drops the link count (IN_ATTRIB) before the inode goes (IN_DELETE_SELF).
    fs.remove_file(T0, "/m/pod.yaml").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![ev(w, "/m/pod.yaml", Chmod), ev(w, "/m/pod.yaml", Remove)]
    );
    assert!(!fs.is_watching(w));
    put(&mut fs, "/m/pod.yaml", "new");
    assert_eq!(fs.take_events(), vec![]);
}

#[test]
fn file_watch_dies_after_its_object_is_renamed() {
    let mut fs = tree(&["/m/pod.yaml", "/other/"]);
    let w = fs.add_watch("/m/pod.yaml").unwrap();
    fs.rename(T0, "/m/pod.yaml", "/other/pod.yaml").unwrap();
    assert_eq!(fs.take_events(), vec![ev(w, "/m/pod.yaml", Rename)]);
    assert!(!fs.is_watching(w));
    append(&mut fs, "/other/pod.yaml", "x");
    assert_eq!(fs.take_events(), vec![]);
    // A new file at the old path is a different inode.
    put(&mut fs, "/m/pod.yaml", "new");
    assert_eq!(fs.take_events(), vec![]);
}

#[test]
fn file_watch_on_a_replaced_destination_sees_it_unlinked() {
    let mut fs = tree(&["/m/a.yaml", "/m/b.yaml"]);
    let wdir = fs.add_watch("/m").unwrap();
    let wb = fs.add_watch("/m/b.yaml").unwrap();
    let wa = fs.add_watch("/m/a.yaml").unwrap();
    fs.rename(T0, "/m/a.yaml", "/m/b.yaml").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![
            ev(wdir, "/m/a.yaml", Rename),
            ev(wdir, "/m/b.yaml", Create),
            ev(wb, "/m/b.yaml", Chmod),
            ev(wa, "/m/a.yaml", Rename),
            ev(wb, "/m/b.yaml", Remove),
        ]
    );
    assert!(!fs.is_watching(wb));
    assert!(!fs.is_watching(wa));
}

#[test]
fn dir_watch_on_a_replaced_empty_dir_dies() {
    let mut fs = tree(&["/src/f", "/dst/"]);
    let w = fs.add_watch("/dst").unwrap();
    fs.rename(T0, "/src", "/dst").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![ev(w, "/dst", Chmod), ev(w, "/dst", Remove)]
    );
    assert!(!fs.is_watching(w));
}

#[test]
fn watch_on_a_symlink_to_a_file_watches_the_target() {
    let mut fs = tree(&["/data/real.yaml", "/m/"]);
    fs.symlink(T0, "/data/real.yaml", "/m/link.yaml").unwrap();
    let w = fs.add_watch("/m/link.yaml").unwrap();
    let wm = fs.add_watch("/m").unwrap();
    put(&mut fs, "/data/real.yaml", "v2");
    assert_eq!(fs.take_events(), vec![ev(w, "/m/link.yaml", Write)]);
    // Writing through the link changes the target, which lives outside the watched dir.
    append(&mut fs, "/m/link.yaml", "+");
    assert_eq!(fs.take_events(), vec![ev(w, "/m/link.yaml", Write)]);
    // Removing the link itself is a change to /m, not to the watched target.
    fs.remove_file(T0, "/m/link.yaml").unwrap();
    assert_eq!(fs.take_events(), vec![ev(wm, "/m/link.yaml", Remove)]);
    assert!(fs.is_watching(w));
}

#[test]
fn watch_on_a_dir_through_a_symlink_uses_the_given_name() {
    let mut fs = tree(&["/etc/kubernetes/", "/srv/manifests/"]);
    fs.symlink(T0, "/srv/manifests", "/etc/kubernetes/manifests")
        .unwrap();
    let w = fs.add_watch("/etc/kubernetes/manifests").unwrap();
    put(&mut fs, "/srv/manifests/a.yaml", "x");
    put(&mut fs, "/etc/kubernetes/manifests/b.yaml", "x");
    assert_eq!(
        fs.take_events(),
        vec![
            ev(w, "/etc/kubernetes/manifests/a.yaml", Create),
            ev(w, "/etc/kubernetes/manifests/a.yaml", Write),
            ev(w, "/etc/kubernetes/manifests/b.yaml", Create),
            ev(w, "/etc/kubernetes/manifests/b.yaml", Write),
        ]
    );
    // Repointing the link changes nothing for the watch: it holds the old directory.
    fs.mkdir(T0, "/srv/other").unwrap();
    fs.remove_file(T0, "/etc/kubernetes/manifests").unwrap();
    fs.symlink(T0, "/srv/other", "/etc/kubernetes/manifests")
        .unwrap();
    put(&mut fs, "/etc/kubernetes/manifests/c.yaml", "x");
    assert_eq!(fs.take_events(), vec![]);
}

#[test]
fn dir_events_come_before_file_events() {
    let mut fs = tree(&["/m/a"]);
    let wf = fs.add_watch("/m/a").unwrap();
    let wd = fs.add_watch("/m").unwrap();
    append(&mut fs, "/m/a", "x");
    fs.touch(T0, "/m/a").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![
            ev(wd, "/m/a", Write),
            ev(wf, "/m/a", Write),
            ev(wd, "/m/a", Chmod),
            ev(wf, "/m/a", Chmod),
        ]
    );
    fs.remove_file(T0, "/m/a").unwrap();
    assert_eq!(
        fs.take_events(),
        vec![
            ev(wf, "/m/a", Chmod),
            ev(wf, "/m/a", Remove),
            ev(wd, "/m/a", Remove),
        ]
    );
}

#[test]
fn identical_unread_events_coalesce_per_watch() {
    let mut fs = tree(&["/m/a", "/m/b"]);
    let w1 = fs.add_watch("/m").unwrap();
    let w2 = fs.add_watch("/m/a").unwrap();
    append(&mut fs, "/m/a", "1");
    append(&mut fs, "/m/a", "2");
    append(&mut fs, "/m/b", "3");
    append(&mut fs, "/m/a", "4");
    assert_eq!(
        fs.take_events(),
        vec![
            ev(w1, "/m/a", Write),
            ev(w2, "/m/a", Write),
            ev(w1, "/m/b", Write),
            ev(w1, "/m/a", Write),
        ]
    );
    append(&mut fs, "/m/a", "5");
    assert_eq!(
        fs.take_events(),
        vec![ev(w1, "/m/a", Write), ev(w2, "/m/a", Write)]
    );
}

#[test]
fn events_print_like_fsnotify() {
    let event = ev(WatchId(1), "/m/a.yaml", Create);
    assert_eq!(event.to_string(), "CREATE        \"/m/a.yaml\"");
    let ops: Vec<String> = [Create, Write, Remove, Rename, Chmod]
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(ops, ["CREATE", "WRITE", "REMOVE", "RENAME", "CHMOD"]);
}

#[test]
fn clones_are_independent() {
    let mut fs = tree(&["/m/"]);
    let w = fs.add_watch("/m").unwrap();
    let snapshot = fs.clone();
    put(&mut fs, "/m/a", "x");
    assert!(!snapshot.exists("/m/a"));
    assert_eq!(fs.take_events().len(), 2);
    assert!(snapshot.is_watching(w));
}
