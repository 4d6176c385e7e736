//! Tests of the file commands: ls, cp, mv, rm, rmdir, mkdir, touch, ln, chmod, stat and the
//! path commands.

use crate::sim::{SimDuration, SimTime};

use super::{check, Node};

fn manifests() -> Node {
    let mut node = Node::new();
    node.put(
        "/etc/kubernetes/manifests/etcd.yaml",
        "apiVersion: v1\nkind: Pod\n",
    )
    .put(
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        &"x".repeat(5000),
    )
    .put("/etc/kubernetes/manifests/.hidden", "");
    node
}

#[test]
fn ls_prints_one_name_per_line_sorted_in_the_c_locale() {
    let mut node = manifests();
    node.put("/root/B", "")
        .put("/root/a", "")
        .put("/root/_c", "");
    check(&node.run("ls"), "B\n_c\na\n", "", 0);
    check(
        &node.run("ls /etc/kubernetes/manifests"),
        "etcd.yaml\nkube-apiserver.yaml\n",
        "",
        0,
    );
    check(
        &node.run("ls -a /etc/kubernetes/manifests"),
        ".\n..\n.hidden\netcd.yaml\nkube-apiserver.yaml\n",
        "",
        0,
    );
    check(
        &node.run("ls -A /etc/kubernetes/manifests"),
        ".hidden\netcd.yaml\nkube-apiserver.yaml\n",
        "",
        0,
    );
    check(&node.run("ls -r"), "a\n_c\nB\n", "", 0);
}

#[test]
fn ls_long_aligns_columns_like_gnu() {
    let mut node = manifests();
    node.dir("/etc/kubernetes/manifests/sub");
    node.fs
        .symlink(SimTime::ZERO, "etcd.yaml", "/etc/kubernetes/manifests/link")
        .unwrap();
    node.now = SimTime(60_000);
    check(
        &node.run("ls -l /etc/kubernetes/manifests"),
        "total 16\n\
         -rw-r--r-- 1 root root   25 Nov 22 08:00 etcd.yaml\n\
         -rw-r--r-- 1 root root 5000 Nov 22 08:00 kube-apiserver.yaml\n\
         lrwxrwxrwx 1 root root    9 Nov 22 08:00 link -> etcd.yaml\n\
         drwxr-xr-x 2 root root 4096 Nov 22 08:00 sub\n",
        "",
        0,
    );
    check(
        &node.run("ls -lh /etc/kubernetes/manifests"),
        "total 16K\n\
         -rw-r--r-- 1 root root   25 Nov 22 08:00 etcd.yaml\n\
         -rw-r--r-- 1 root root 4.9K Nov 22 08:00 kube-apiserver.yaml\n\
         lrwxrwxrwx 1 root root    9 Nov 22 08:00 link -> etcd.yaml\n\
         drwxr-xr-x 2 root root 4.0K Nov 22 08:00 sub\n",
        "",
        0,
    );
    check(
        &node.run("ls -ld /etc/kubernetes"),
        "drwxr-xr-x 3 root root 4096 Nov 22 08:00 /etc/kubernetes\n",
        "",
        0,
    );
}

#[test]
fn ls_long_switches_to_the_year_after_six_months() {
    let mut node = Node::new();
    node.put("/root/old", "");
    node.now = SimTime::ZERO + SimDuration::from_secs(200 * 24 * 3600);
    node.put("/root/new", "");
    check(
        &node.run("ls -l"),
        "total 0\n\
         -rw-r--r-- 1 root root 0 Jun 10 08:00 new\n\
         -rw-r--r-- 1 root root 0 Nov 22  2026 old\n",
        "",
        0,
    );
    check(&node.run("ls -t"), "new\nold\n", "", 0);
    check(&node.run("ls -tr"), "old\nnew\n", "", 0);
}

#[test]
fn ls_lists_operands_files_first_then_directories_with_headers() {
    let mut node = manifests();
    node.put("/root/f", "");
    check(
        &node.run("ls /etc/kubernetes/manifests f"),
        "f\n\n/etc/kubernetes/manifests:\netcd.yaml\nkube-apiserver.yaml\n",
        "",
        0,
    );
    check(
        &node.run("ls missing /etc/kubernetes"),
        "/etc/kubernetes:\nmanifests\n",
        "ls: cannot access 'missing': No such file or directory\n",
        2,
    );
    check(
        &node.run("ls -R /etc/kubernetes"),
        "/etc/kubernetes:\nmanifests\n\n/etc/kubernetes/manifests:\netcd.yaml\nkube-apiserver.yaml\n",
        "",
        0,
    );
}

#[test]
fn ls_sizes_inodes_and_errors() {
    let mut node = Node::new();
    node.put("/root/small", "1").put("/root/big", "123456");
    check(&node.run("ls -S"), "big\nsmall\n", "", 0);
    let out = node.run("ls -i");
    assert!(out.stdout.ends_with(" big\n3 small\n") || out.stdout.contains(" small\n"));
    check(
        &node.run("ls -z"),
        "",
        "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n",
        2,
    );
    check(
        &node.run("ls --bogus"),
        "",
        "ls: unrecognized option '--bogus'\nTry 'ls --help' for more information.\n",
        2,
    );
}

#[test]
fn cat_numbers_lines_and_reports_errors() {
    let mut node = Node::new();
    node.put("/root/a", "one\ntwo\n").dir("/root/d");
    check(&node.run("cat a"), "one\ntwo\n", "", 0);
    check(
        &node.run("cat -n a a"),
        "     1\tone\n     2\ttwo\n     3\tone\n     4\ttwo\n",
        "",
        0,
    );
    check(
        &node.run("cat nope d a"),
        "one\ntwo\n",
        "cat: nope: No such file or directory\ncat: d: Is a directory\n",
        1,
    );
    check(&node.run_with("cat - a", "in\n"), "in\none\ntwo\n", "", 0);
    check(&node.run_with("cat", "piped"), "piped", "", 0);
    check(&node.run_with("cat -A", "a\tb\n"), "a^Ib$\n", "", 0);
}

#[test]
fn cp_copies_files_into_directories_and_trees_with_r() {
    let mut node = Node::new();
    node.put("/root/a", "A")
        .put("/root/d/x", "X")
        .dir("/root/dst");
    check(&node.run("cp a b"), "", "", 0);
    assert_eq!(node.text("/root/b"), "A");
    check(&node.run("cp a b dst"), "", "", 0);
    assert_eq!(node.text("/root/dst/a"), "A");
    check(
        &node.run("cp d e"),
        "",
        "cp: -r not specified; omitting directory 'd'\n",
        1,
    );
    check(&node.run("cp -r d e"), "", "", 0);
    assert_eq!(node.text("/root/e/x"), "X");
    check(&node.run("cp -r d dst"), "", "", 0);
    assert_eq!(node.text("/root/dst/d/x"), "X");
    check(
        &node.run("cp nope x"),
        "",
        "cp: cannot stat 'nope': No such file or directory\n",
        1,
    );
    check(
        &node.run("cp a a"),
        "",
        "cp: 'a' and 'a' are the same file\n",
        1,
    );
    check(
        &node.run("cp a b c"),
        "",
        "cp: target 'c': No such file or directory\n",
        1,
    );
    check(
        &node.run("cp a"),
        "",
        "cp: missing destination file operand after 'a'\nTry 'cp --help' for more information.\n",
        1,
    );
    check(
        &node.run("cp a nodir/x"),
        "",
        "cp: cannot create regular file 'nodir/x': No such file or directory\n",
        1,
    );
    check(
        &node.run("cp -r d d/sub"),
        "",
        "cp: cannot copy a directory, 'd', into itself, 'd/sub'\n",
        1,
    );
    check(&node.run("cp -v a z"), "'a' -> 'z'\n", "", 0);
}

#[test]
fn mv_renames_and_moves_into_directories() {
    let mut node = Node::new();
    node.put("/root/a", "A").dir("/root/d").dir("/root/e/d/x");
    check(&node.run("mv a b"), "", "", 0);
    assert_eq!(node.text("/root/b"), "A");
    check(&node.run("mv b d"), "", "", 0);
    assert_eq!(node.text("/root/d/b"), "A");
    check(
        &node.run("mv nope d"),
        "",
        "mv: cannot stat 'nope': No such file or directory\n",
        1,
    );
    check(
        &node.run("mv d d/b2"),
        "",
        "mv: cannot move 'd' to a subdirectory of itself, 'd/b2'\n",
        1,
    );
    check(
        &node.run("mv d e"),
        "",
        "mv: cannot overwrite 'e/d': Directory not empty\n",
        1,
    );
    check(&node.run("mv -v d f"), "renamed 'd' -> 'f'\n", "", 0);
}

#[test]
fn rm_rmdir_and_their_errors() {
    let mut node = Node::new();
    node.put("/root/a", "")
        .put("/root/d/x", "")
        .dir("/root/empty");
    check(
        &node.run("rm nope"),
        "",
        "rm: cannot remove 'nope': No such file or directory\n",
        1,
    );
    check(&node.run("rm -f nope"), "", "", 0);
    check(
        &node.run("rm d"),
        "",
        "rm: cannot remove 'd': Is a directory\n",
        1,
    );
    check(&node.run("rm -v a"), "removed 'a'\n", "", 0);
    check(
        &node.run("rm -rv d"),
        "removed 'd/x'\nremoved directory 'd'\n",
        "",
        0,
    );
    check(
        &node.run("rm"),
        "",
        "rm: missing operand\nTry 'rm --help' for more information.\n",
        1,
    );
    check(
        &node.run("rm -rf /"),
        "",
        "rm: it is dangerous to operate recursively on '/'\n\
         rm: use --no-preserve-root to override this failsafe\n",
        1,
    );
    node.put("/root/full/f", "");
    check(
        &node.run("rmdir full"),
        "",
        "rmdir: failed to remove 'full': Directory not empty\n",
        1,
    );
    check(&node.run("rmdir empty"), "", "", 0);
    check(
        &node.run("rmdir empty"),
        "",
        "rmdir: failed to remove 'empty': No such file or directory\n",
        1,
    );
    node.put("/root/keep", "k").put("/root/go", "");
    check(
        &node.run_with("rm -i keep go", "n\ny\n"),
        "",
        "rm: remove regular file 'keep'? rm: remove regular empty file 'go'? ",
        0,
    );
    assert!(node.fs.exists("/root/keep") && !node.fs.exists("/root/go"));
    check(
        &node.run("rm -i keep"),
        "",
        "rm: remove regular file 'keep'? ",
        0,
    );
    check(&node.run("rm -I keep"), "", "", 0);
    node.dir("/root/p/q/r");
    check(&node.run("rmdir -p p/q/r"), "", "", 0);
    assert!(!node.fs.exists("/root/p"));
}

#[test]
fn mkdir_uses_curly_quotes_and_p_makes_parents() {
    let mut node = Node::new();
    node.put("/root/file", "");
    check(&node.run("mkdir a"), "", "", 0);
    check(
        &node.run("mkdir a"),
        "",
        "mkdir: cannot create directory \u{2018}a\u{2019}: File exists\n",
        1,
    );
    check(
        &node.run("mkdir x/y"),
        "",
        "mkdir: cannot create directory \u{2018}x/y\u{2019}: No such file or directory\n",
        1,
    );
    check(&node.run("mkdir -p a x/y/z"), "", "", 0);
    assert!(node.fs.stat("/root/x/y/z").unwrap().is_dir());
    check(
        &node.run("mkdir -p file/sub/deeper"),
        "",
        "mkdir: cannot create directory \u{2018}file\u{2019}: Not a directory\n",
        1,
    );
    check(
        &node.run("mkdir -pv n/m"),
        "mkdir: created directory 'n'\nmkdir: created directory 'n/m'\n",
        "",
        0,
    );
    check(&node.run("mkdir -m 700 priv"), "", "", 0);
    assert_eq!(node.fs.stat("/root/priv").unwrap().mode, 0o700);
    check(
        &node.run("mkdir"),
        "",
        "mkdir: missing operand\nTry 'mkdir --help' for more information.\n",
        1,
    );
}

#[test]
fn touch_ln_chmod() {
    let mut node = Node::new();
    check(&node.run("touch a"), "", "", 0);
    assert!(node.fs.exists("/root/a"));
    check(
        &node.run("touch no/a"),
        "",
        "touch: cannot touch 'no/a': No such file or directory\n",
        1,
    );
    check(&node.run("touch -c ghost"), "", "", 0);
    assert!(!node.fs.exists("/root/ghost"));
    check(&node.run("ln -s a l"), "", "", 0);
    assert_eq!(node.fs.read_link("/root/l").unwrap(), "a");
    check(
        &node.run("ln -s a l"),
        "",
        "ln: failed to create symbolic link 'l': File exists\n",
        1,
    );
    check(&node.run("ln -sfv b l"), "'l' -> 'b'\n", "", 0);
    check(&node.run("chmod +x a"), "", "", 0);
    assert_eq!(node.fs.stat("/root/a").unwrap().mode, 0o755);
    check(&node.run("chmod -x a"), "", "", 0);
    assert_eq!(node.fs.stat("/root/a").unwrap().mode, 0o644);
    check(
        &node.run("chmod -v 600 a"),
        "mode of 'a' changed from 0644 (rw-r--r--) to 0600 (rw-------)\n",
        "",
        0,
    );
    check(
        &node.run("chmod 600 nope"),
        "",
        "chmod: cannot access 'nope': No such file or directory\n",
        1,
    );
    check(
        &node.run("chmod xyz a"),
        "",
        "chmod: invalid mode: \u{2018}xyz\u{2019}\nTry 'chmod --help' for more information.\n",
        1,
    );
}

#[test]
fn stat_prints_the_default_format() {
    let mut node = Node::new();
    node.put("/root/a.yaml", "hello\n");
    let ino = node.fs.stat("/root/a.yaml").unwrap().ino;
    let expected = format!(
        "  File: a.yaml\n  Size: 6         \tBlocks: 8          IO Block: 4096   regular file\n\
         Device: 8,1\tInode: {ino:<10}  Links: 1\n\
         Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)\n\
         Access: 2026-11-22 08:00:00.000000000 +0000\n\
         Modify: 2026-11-22 08:00:00.000000000 +0000\n\
         Change: 2026-11-22 08:00:00.000000000 +0000\n \
         Birth: -\n"
    );
    check(&node.run("stat a.yaml"), &expected, "", 0);
    check(
        &node.run("stat -c '%a %U %s %n' a.yaml"),
        "644 root 6 a.yaml\n",
        "",
        0,
    );
    check(
        &node.run("stat nope"),
        "",
        "stat: cannot statx 'nope': No such file or directory\n",
        1,
    );
}

#[test]
fn path_commands() {
    let mut node = Node::new();
    node.put("/etc/k/a.yaml", "");
    node.fs
        .symlink(SimTime::ZERO, "/etc/k", "/root/link")
        .unwrap();
    check(&node.run("pwd"), "/root\n", "", 0);
    check(&node.run("basename /etc/k/a.yaml .yaml"), "a\n", "", 0);
    check(&node.run("basename -a a/b c/d/"), "b\nd\n", "", 0);
    check(
        &node.run("dirname /etc/k/a.yaml k /"),
        "/etc/k\n.\n/\n",
        "",
        0,
    );
    check(&node.run("realpath link/a.yaml"), "/etc/k/a.yaml\n", "", 0);
    check(&node.run("realpath link/new"), "/etc/k/new\n", "", 0);
    check(
        &node.run("realpath nope/x"),
        "",
        "realpath: nope/x: No such file or directory\n",
        1,
    );
    check(&node.run("readlink link"), "/etc/k\n", "", 0);
    check(&node.run("readlink -f link"), "/etc/k\n", "", 0);
    check(&node.run("readlink /etc"), "", "", 1);
}
