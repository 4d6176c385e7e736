//! Tests of the text commands: grep, sed, head, tail, wc, tee and friends.

use crate::node::fs::{FsOp, WatchEvent};

use super::{check, Node};

const PODS: &str = "\
NAME                READY   STATUS    RESTARTS   AGE
etcd-controlplane   1/1     Running   0          5m
kube-proxy-abcde    1/1     Running   2          5m
coredns-1234        0/1     Pending   0          1m
";

#[test]
fn grep_prints_matches_and_uses_exit_codes() {
    let mut node = Node::new();
    check(
        &node.run_with("grep Running", PODS),
        "etcd-controlplane   1/1     Running   0          5m\n\
         kube-proxy-abcde    1/1     Running   2          5m\n",
        "",
        0,
    );
    check(&node.run_with("grep -c Running", PODS), "2\n", "", 0);
    check(&node.run_with("grep nothing", PODS), "", "", 1);
    check(&node.run_with("grep -q etcd", PODS), "", "", 0);
    check(
        &node.run_with("grep -vi running", PODS),
        "NAME                READY   STATUS    RESTARTS   AGE\n\
         coredns-1234        0/1     Pending   0          1m\n",
        "",
        0,
    );
    check(
        &node.run_with("grep -n Pending", PODS),
        "4:coredns-1234        0/1     Pending   0          1m\n",
        "",
        0,
    );
    check(
        &node.run_with("grep -o '[0-9]/[0-9]'", PODS),
        "1/1\n1/1\n0/1\n",
        "",
        0,
    );
    check(
        &node.run_with("grep -E 'etcd|coredns' -o", PODS),
        "etcd\ncoredns\n",
        "",
        0,
    );
    check(
        &node.run_with("grep 'etcd\\|coredns' -o", PODS),
        "etcd\ncoredns\n",
        "",
        0,
    );
    check(&node.run_with("grep -w -o 'kube'", PODS), "kube\n", "", 0);
    check(&node.run_with("grep -w 'proxy-abc'", PODS), "", "", 1);
    check(
        &node.run_with("grep -x 'NAME.*AGE'", PODS),
        "NAME                READY   STATUS    RESTARTS   AGE\n",
        "",
        0,
    );
    check(
        &node.run_with("grep -F '1/1'", "a1/1\nb\n"),
        "a1/1\n",
        "",
        0,
    );
}

#[test]
fn grep_files_prefixes_and_errors() {
    let mut node = Node::new();
    node.put("/etc/k/a.yaml", "image: nginx\nname: web\n")
        .put("/etc/k/b.yaml", "image: redis\n")
        .put("/etc/k/sub/c.yaml", "image: nginx:1.25\n");
    check(
        &node.run("grep nginx /etc/k/a.yaml"),
        "image: nginx\n",
        "",
        0,
    );
    check(
        &node.run("grep image /etc/k/a.yaml /etc/k/b.yaml"),
        "/etc/k/a.yaml:image: nginx\n/etc/k/b.yaml:image: redis\n",
        "",
        0,
    );
    check(
        &node.run("grep -r nginx /etc/k"),
        "/etc/k/a.yaml:image: nginx\n/etc/k/sub/c.yaml:image: nginx:1.25\n",
        "",
        0,
    );
    node.cwd = "/etc/k".into();
    check(&node.run("grep -rl nginx"), "a.yaml\nsub/c.yaml\n", "", 0);
    check(&node.run("grep -rL nginx ."), "./b.yaml\n", "", 0);
    check(&node.run("grep -L zzz a.yaml"), "a.yaml\n", "", 1);
    check(
        &node.run("grep -h image a.yaml b.yaml"),
        "image: nginx\nimage: redis\n",
        "",
        0,
    );
    check(
        &node.run("grep -c image a.yaml b.yaml"),
        "a.yaml:1\nb.yaml:1\n",
        "",
        0,
    );
    check(
        &node.run("grep image nope a.yaml"),
        "a.yaml:image: nginx\n",
        "grep: nope: No such file or directory\n",
        2,
    );
    check(&node.run("grep -s image nope"), "", "", 2);
    check(
        &node.run("grep image sub"),
        "",
        "grep: sub: Is a directory\n",
        2,
    );
    check(
        &node.run("grep '\\(' a.yaml"),
        "",
        "grep: Unmatched ( or \\(\n",
        2,
    );
    check(
        &node.run("grep"),
        "",
        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
        2,
    );
    check(
        &node.run("grep -k x"),
        "",
        "grep: invalid option -- 'k'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
        2,
    );
    check(
        &node.run("grep -r --include='*.yaml' -l redis"),
        "b.yaml\n",
        "",
        0,
    );
}

#[test]
fn grep_context_lines_and_separators() {
    let mut node = Node::new();
    let input = "a\nb\nmatch1\nc\nd\ne\nf\nmatch2\ng\n";
    check(
        &node.run_with("grep -n -C1 match", input),
        "2-b\n3:match1\n4-c\n--\n7-f\n8:match2\n9-g\n",
        "",
        0,
    );
    check(
        &node.run_with("grep -A1 match1", input),
        "match1\nc\n",
        "",
        0,
    );
    check(
        &node.run_with("grep -B2 match2", input),
        "e\nf\nmatch2\n",
        "",
        0,
    );
    check(&node.run_with("grep -m1 match", input), "match1\n", "", 0);
}

#[test]
fn sed_substitutes_and_addresses() {
    let mut node = Node::new();
    check(&node.run_with("sed s/a/b/", "aaa\n"), "baa\n", "", 0);
    check(&node.run_with("sed s/a/b/g", "aaa\n"), "bbb\n", "", 0);
    check(&node.run_with("sed s/a/b/2", "aaa\n"), "aba\n", "", 0);
    check(
        &node.run_with("sed 's/a*/x/g'", "baaac\n"),
        "xbxcx\n",
        "",
        0,
    );
    check(
        &node.run_with(
            "sed 's|image: .*|image: nginx:1.26|'",
            "  image: nginx:1.25\n",
        ),
        "  image: nginx:1.26\n",
        "",
        0,
    );
    check(
        &node.run_with("sed 's/\\(a\\)\\(b\\)/\\2\\1&/'", "ab\n"),
        "baab\n",
        "",
        0,
    );
    check(
        &node.run_with("sed -E 's/(a)(b)/\\2\\1/'", "ab\n"),
        "ba\n",
        "",
        0,
    );
    check(&node.run_with("sed 's/x/Y/I'", "aXb\n"), "aYb\n", "", 0);
    check(&node.run_with("sed -n '2p'", "1\n2\n3\n"), "2\n", "", 0);
    check(&node.run_with("sed -n '$p'", "1\n2\n3\n"), "3\n", "", 0);
    check(&node.run_with("sed '2d'", "1\n2\n3\n"), "1\n3\n", "", 0);
    check(&node.run_with("sed '/2/,$d'", "1\n2\n3\n"), "1\n", "", 0);
    check(
        &node.run_with("sed -n '/b/,/d/p'", "a\nb\nc\nd\ne\n"),
        "b\nc\nd\n",
        "",
        0,
    );
    check(&node.run_with("sed '2q'", "1\n2\n3\n"), "1\n2\n", "", 0);
    check(
        &node.run_with("sed -n '1~2p'", "1\n2\n3\n4\n5\n"),
        "1\n3\n5\n",
        "",
        0,
    );
    check(&node.run_with("sed '1!d'", "1\n2\n"), "1\n", "", 0);
    check(
        &node.run_with("sed -n '/a/{s/a/b/;p}'", "a\nc\n"),
        "b\n",
        "",
        0,
    );
    check(
        &node.run_with("sed '0,/x/s/x/y/'", "x\nx\n"),
        "y\nx\n",
        "",
        0,
    );
    check(
        &node.run_with("sed '1a\\\nadded'", "1\n2\n"),
        "1\nadded\n2\n",
        "",
        0,
    );
    check(
        &node.run_with("sed '/2/i before'", "1\n2\n"),
        "1\nbefore\n2\n",
        "",
        0,
    );
    check(&node.run_with("sed '$a end'", "1\n2"), "1\n2\nend\n", "", 0);
    check(
        &node.run_with("sed 'c\\gone'", "1\n2\n"),
        "gone\ngone\n",
        "",
        0,
    );
    check(&node.run_with("sed -n '$='", "a\nb\nc\n"), "3\n", "", 0);
    check(
        &node.run_with("sed 'y/abc/xyz/'", "aabbcc\n"),
        "xxyyzz\n",
        "",
        0,
    );
    check(
        &node.run_with("sed 'N;s/\\n/,/'", "1\n2\n3\n"),
        "1,2\n3\n",
        "",
        0,
    );
    check(
        &node.run_with("sed -e 's/1/one/' -e 's/2/two/'", "1 2\n"),
        "one two\n",
        "",
        0,
    );
    check(&node.run_with("sed 's/.*/\\U&/'", "abc\n"), "ABC\n", "", 0);
    check(&node.run_with("sed p", "x"), "x\nx", "", 0);
    check(
        &node.run_with("sed ':a;N;$!ba;s/\\n/ /g'", "a\nb\nc\n"),
        "a b c\n",
        "",
        0,
    );
}

#[test]
fn sed_reports_script_errors_like_gnu() {
    let mut node = Node::new();
    check(
        &node.run_with("sed s/a/b", "a\n"),
        "",
        "sed: -e expression #1, char 5: unterminated `s' command\n",
        1,
    );
    check(
        &node.run_with("sed s/a/b/x", "a\n"),
        "",
        "sed: -e expression #1, char 7: unknown option to `s'\n",
        1,
    );
    check(
        &node.run_with("sed k", "a\n"),
        "",
        "sed: -e expression #1, char 1: unknown command: `k'\n",
        1,
    );
    check(
        &node.run_with("sed -e p -e '/x/{p'", "a\n"),
        "",
        "sed: -e expression #2, char 0: unmatched `{'\n",
        1,
    );
    check(
        &node.run_with("sed 's/\\(a/b/'", "a\n"),
        "",
        "sed: -e expression #1, char 8: Unmatched ( or \\(\n",
        1,
    );
    check(
        &node.run_with("sed 's/a/\\1/'", "a\n"),
        "",
        "sed: -e expression #1, char 7: invalid reference \\1 on `s' command's RHS\n",
        1,
    );
    check(
        &node.run("sed p nope"),
        "",
        "sed: can't read nope: No such file or directory\n",
        2,
    );
    check(&node.run("sed -i s/a/b/"), "", "sed: no input files\n", 4);
    let out = node.run("sed");
    assert!(out.stderr.starts_with("Usage: sed [OPTION]..."));
    assert_eq!(out.code, 1);
}

#[test]
fn sed_in_place_writes_a_temporary_file_and_renames_it() {
    let mut node = Node::new();
    node.put(
        "/etc/kubernetes/manifests/etcd.yaml",
        "image: registry.k8s.io/etcd:3.5.15-0\n",
    );
    node.fs
        .chmod(node.now, "/etc/kubernetes/manifests/etcd.yaml", 0o600)
        .unwrap();
    let watch = node.fs.add_watch("/etc/kubernetes/manifests").unwrap();
    node.fs.take_events();
    check(
        &node.run("sed -i s/3.5.15-0/3.5.16-0/ /etc/kubernetes/manifests/etcd.yaml"),
        "",
        "",
        0,
    );
    assert_eq!(
        node.text("/etc/kubernetes/manifests/etcd.yaml"),
        "image: registry.k8s.io/etcd:3.5.16-0\n"
    );
    let meta = node.fs.stat("/etc/kubernetes/manifests/etcd.yaml").unwrap();
    assert_eq!(meta.mode, 0o600);
    let events = node.fs.take_events();
    let tmp = match &events[0] {
        WatchEvent {
            name,
            op: FsOp::Create,
            ..
        } => name.clone(),
        other => panic!("unexpected first event {other:?}"),
    };
    let base = tmp.rsplit('/').next().unwrap().to_string();
    assert!(base.starts_with("sed") && base.len() == 9, "{base}");
    assert!(base[3..].chars().all(|c| c.is_ascii_alphanumeric()));
    let ev = |name: &str, op| WatchEvent {
        watch,
        name: name.to_string(),
        op,
    };
    let target = "/etc/kubernetes/manifests/etcd.yaml";
    assert_eq!(
        events,
        vec![
            ev(&tmp, FsOp::Create),
            ev(&tmp, FsOp::Chmod),
            ev(&tmp, FsOp::Write),
            ev(&tmp, FsOp::Rename),
            ev(target, FsOp::Create),
        ]
    );
    // No temporary file is left behind, and a backup suffix keeps the original.
    check(
        &node.run("ls -A /etc/kubernetes/manifests"),
        "etcd.yaml\n",
        "",
        0,
    );
    check(
        &node.run("sed -i.bak s/etcd/ETCD/ /etc/kubernetes/manifests/etcd.yaml"),
        "",
        "",
        0,
    );
    check(
        &node.run("ls /etc/kubernetes/manifests"),
        "etcd.yaml\netcd.yaml.bak\n",
        "",
        0,
    );
    check(
        &node.run("sed -i p /etc/kubernetes/manifests"),
        "",
        "sed: couldn't edit /etc/kubernetes/manifests: not a regular file\n",
        4,
    );
}

#[test]
fn head_tail_and_wc() {
    let mut node = Node::new();
    let ten: String = (1..=12).map(|n| format!("{n}\n")).collect();
    node.put("/root/n", &ten).put("/root/m", "x y\nz\n");
    check(&node.run("head -n 3 n"), "1\n2\n3\n", "", 0);
    check(&node.run("head -3 n"), "1\n2\n3\n", "", 0);
    check(&node.run("head -n -10 n"), "1\n2\n", "", 0);
    check(&node.run("head -c 4 n"), "1\n2\n", "", 0);
    check(&node.run("tail -n 2 n"), "11\n12\n", "", 0);
    check(&node.run("tail -n +11 n"), "11\n12\n", "", 0);
    check(&node.run("tail -2 n"), "11\n12\n", "", 0);
    check(
        &node.run("head -n 1 n m"),
        "==> n <==\n1\n\n==> m <==\nx y\n",
        "",
        0,
    );
    check(
        &node.run("head nope"),
        "",
        "head: cannot open 'nope' for reading: No such file or directory\n",
        1,
    );
    check(
        &node.run("head -n x n"),
        "",
        "head: invalid number of lines: \u{2018}x\u{2019}\n",
        1,
    );
    check(&node.run("wc -l n"), "12 n\n", "", 0);
    check(&node.run("wc n"), "12 12 27 n\n", "", 0);
    check(
        &node.run("wc n m"),
        "12 12 27 n\n 2  3  6 m\n14 15 33 total\n",
        "",
        0,
    );
    check(
        &node.run_with("wc", "a b\n"),
        "      1       2       4\n",
        "",
        0,
    );
    check(&node.run_with("wc -l", "a b\n"), "1\n", "", 0);
    check(
        &node.run("wc -c m nope"),
        "6 m\nwc: nope: No such file or directory\n6 total\n"
            .split_once("wc:")
            .map(|_| "6 m\n6 total\n")
            .unwrap(),
        "wc: nope: No such file or directory\n",
        1,
    );
    check(&node.run_with("tee out", "hi\n"), "hi\n", "", 0);
    assert_eq!(node.text("/root/out"), "hi\n");
    check(&node.run_with("tee -a out", "again\n"), "again\n", "", 0);
    assert_eq!(node.text("/root/out"), "hi\nagain\n");
}
