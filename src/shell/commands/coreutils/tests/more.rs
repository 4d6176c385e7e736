//! Tests of find, sort, uniq, cut, tr, awk, diff, test and the small commands.

use crate::sim::SimTime;

use super::{check, Node};

fn tree() -> Node {
    let mut node = Node::new();
    node.put("/etc/kubernetes/manifests/etcd.yaml", "a\n")
        .put("/etc/kubernetes/manifests/kube-apiserver.yaml", "b\n")
        .put("/etc/kubernetes/admin.conf", "c\n")
        .dir("/etc/kubernetes/pki/etcd");
    node.fs
        .symlink(SimTime::ZERO, "manifests", "/etc/kubernetes/link")
        .unwrap();
    node
}

#[test]
fn find_walks_preorder_in_name_order() {
    let mut node = tree();
    check(
        &node.run("find /etc/kubernetes"),
        "/etc/kubernetes\n/etc/kubernetes/admin.conf\n/etc/kubernetes/link\n\
         /etc/kubernetes/manifests\n/etc/kubernetes/manifests/etcd.yaml\n\
         /etc/kubernetes/manifests/kube-apiserver.yaml\n/etc/kubernetes/pki\n\
         /etc/kubernetes/pki/etcd\n",
        "",
        0,
    );
    check(
        &node.run("find /etc/kubernetes -name '*.yaml'"),
        "/etc/kubernetes/manifests/etcd.yaml\n/etc/kubernetes/manifests/kube-apiserver.yaml\n",
        "",
        0,
    );
    check(
        &node.run("find /etc/kubernetes -maxdepth 1 -type d"),
        "/etc/kubernetes\n/etc/kubernetes/manifests\n/etc/kubernetes/pki\n",
        "",
        0,
    );
    check(
        &node.run("find /etc/kubernetes -type l"),
        "/etc/kubernetes/link\n",
        "",
        0,
    );
    check(
        &node.run("find /etc/kubernetes -mindepth 2 -type f -iname 'ETCD*'"),
        "/etc/kubernetes/manifests/etcd.yaml\n",
        "",
        0,
    );
    check(
        &node.run("find /etc/kubernetes -path '*pki*' -o -name admin.conf"),
        "/etc/kubernetes/admin.conf\n/etc/kubernetes/pki\n/etc/kubernetes/pki/etcd\n",
        "",
        0,
    );
    check(
        &node.run("find /etc/kubernetes -type d -empty"),
        "/etc/kubernetes/pki/etcd\n",
        "",
        0,
    );
    node.cwd = "/etc/kubernetes".into();
    check(&node.run("find . -name '*.conf'"), "./admin.conf\n", "", 0);
    check(
        &node.run("find . ! -type d -name 'k*'"),
        "./manifests/kube-apiserver.yaml\n",
        "",
        0,
    );
}

#[test]
fn find_reports_errors_like_findutils() {
    let mut node = tree();
    check(
        &node.run("find /nope"),
        "",
        "find: \u{2018}/nope\u{2019}: No such file or directory\n",
        1,
    );
    check(
        &node.run("find / -bogus"),
        "",
        "find: unknown predicate `-bogus'\n",
        1,
    );
    check(
        &node.run("find / -name"),
        "",
        "find: missing argument to `-name'\n",
        1,
    );
    check(
        &node.run("find / -type q"),
        "",
        "find: Unknown argument to -type: q\n",
        1,
    );
    check(
        &node.run("find / -name x y"),
        "",
        "find: paths must precede expression: `y'\n",
        1,
    );
    let out = node.run("find /etc/kubernetes -name x -maxdepth 1");
    assert!(out.stderr.starts_with(
        "find: warning: you have specified the global option -maxdepth after the argument -name"
    ));
}

#[test]
fn sort_and_uniq() {
    let mut node = Node::new();
    check(&node.run_with("sort", "b\na\nC\n"), "C\na\nb\n", "", 0);
    check(&node.run_with("sort -r", "b\na\nC\n"), "b\na\nC\n", "", 0);
    check(
        &node.run_with("sort -n", "10\n9\n-1\nx\n"),
        "-1\nx\n9\n10\n",
        "",
        0,
    );
    check(&node.run_with("sort -u", "b\na\nb\n"), "a\nb\n", "", 0);
    check(
        &node.run_with("sort -k2 -n", "x 3\ny 1\nz 2\n"),
        "y 1\nz 2\nx 3\n",
        "",
        0,
    );
    check(
        &node.run_with("sort -t: -k3,3n", "a:x:30\nb:x:4\nc:x:100\n"),
        "b:x:4\na:x:30\nc:x:100\n",
        "",
        0,
    );
    check(
        &node.run_with("sort -h", "1G\n10K\n2M\n"),
        "10K\n2M\n1G\n",
        "",
        0,
    );
    check(
        &node.run("sort nope"),
        "",
        "sort: cannot read: nope: No such file or directory\n",
        2,
    );
    check(&node.run_with("uniq", "a\na\nb\na\n"), "a\nb\na\n", "", 0);
    check(
        &node.run_with("uniq -c", "a\na\nb\n"),
        "      2 a\n      1 b\n",
        "",
        0,
    );
    check(&node.run_with("uniq -d", "a\na\nb\n"), "a\n", "", 0);
    check(&node.run_with("uniq -u", "a\na\nb\n"), "b\n", "", 0);
}

#[test]
fn cut_and_tr() {
    let mut node = Node::new();
    check(
        &node.run_with("cut -d: -f1,3", "root:x:0:0\n"),
        "root:0\n",
        "",
        0,
    );
    check(&node.run_with("cut -d: -f2-", "a:b:c\n"), "b:c\n", "", 0);
    check(&node.run_with("cut -c1-3", "abcdef\n"), "abc\n", "", 0);
    check(
        &node.run_with("cut -f2", "a\tb\nnodelim\n"),
        "b\nnodelim\n",
        "",
        0,
    );
    check(
        &node.run_with("cut -s -f2", "a\tb\nnodelim\n"),
        "b\n",
        "",
        0,
    );
    check(
        &node.run_with("cut -x", ""),
        "",
        "cut: invalid option -- 'x'\nTry 'cut --help' for more information.\n",
        1,
    );
    check(
        &node.run_with("cut", ""),
        "",
        "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n",
        1,
    );
    check(
        &node.run_with("cut -f0", ""),
        "",
        "cut: fields are numbered from 1\nTry 'cut --help' for more information.\n",
        1,
    );
    check(&node.run_with("tr a-z A-Z", "hello\n"), "HELLO\n", "", 0);
    check(
        &node.run_with("tr '[:lower:]' '[:upper:]'", "abc\n"),
        "ABC\n",
        "",
        0,
    );
    check(&node.run_with("tr -d '\\n'", "a\nb\n"), "ab", "", 0);
    check(&node.run_with("tr -s ' '", "a   b\n"), "a b\n", "", 0);
    check(&node.run_with("tr -d -c '0-9\\n'", "a1b2\n"), "12\n", "", 0);
    check(
        &node.run_with("tr a", ""),
        "",
        "tr: missing operand after \u{2018}a\u{2019}\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n",
        1,
    );
}

#[test]
fn awk_prints_fields_and_runs_programs() {
    let mut node = Node::new();
    let pods = "NAME READY STATUS\netcd 1/1 Running\ncoredns 0/1 Pending\n";
    check(
        &node.run_with("awk '{print $1}'", pods),
        "NAME\netcd\ncoredns\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '{print $1, $3}'", pods),
        "NAME STATUS\netcd Running\ncoredns Pending\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '{print $NF}'", pods),
        "STATUS\nRunning\nPending\n",
        "",
        0,
    );
    check(
        &node.run_with("awk 'NR==2'", pods),
        "etcd 1/1 Running\n",
        "",
        0,
    );
    check(
        &node.run_with("awk 'NR>1 {print $1}'", pods),
        "etcd\ncoredns\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '/Pending/ {print $1}'", pods),
        "coredns\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '$3 ~ /Run/ {print $1 \": \" $2}'", pods),
        "etcd: 1/1\n",
        "",
        0,
    );
    check(
        &node.run_with("awk -F: '{print $1}'", "root:x:0\n"),
        "root\n",
        "",
        0,
    );
    check(
        &node.run_with("awk -F, -v OFS=- '{$1=$1; print}'", "a,b,c\n"),
        "a-b-c\n",
        "",
        0,
    );
    check(
        &node.run_with(
            "awk 'BEGIN {n=0} {n += $2} END {print \"total\", n, NR}'",
            "x 1\ny 2\nz 3.5\n",
        ),
        "total 6.5 3\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '{print length($1)}'", "abc\n"),
        "3\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '{print NF}'", "a b  c\n\n"),
        "3\n0\n",
        "",
        0,
    );
    check(
        &node.run_with(
            "awk '{c[$1]++} END {for (k in c) print k, c[k]}'",
            "a\nb\na\n",
        ),
        "a 2\nb 1\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '{printf \"%-5s|%3d\\n\", $1, $2}'", "ab 7\n"),
        "ab   |  7\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '{gsub(/o/, \"0\"); print}'", "foo boo\n"),
        "f00 b00\n",
        "",
        0,
    );
    check(
        &node.run_with(
            "awk '{print substr($0, 2, 3), toupper($1), index($0, \"c\")}'",
            "abcdef\n",
        ),
        "bcd ABCDEF 3\n",
        "",
        0,
    );
    check(
        &node.run_with(
            "awk 'BEGIN { x = split(\"a:b:c\", p, \":\"); print x, p[3] }'",
            "",
        ),
        "3 c\n",
        "",
        0,
    );
    check(
        &node.run_with(
            "awk 'function sq(x) { return x * x } BEGIN { print sq(4) }'",
            "",
        ),
        "16\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '/b/,/d/'", "a\nb\nc\nd\ne\n"),
        "b\nc\nd\n",
        "",
        0,
    );
    check(
        &node.run_with("awk 'BEGIN { print 1/3 }'", ""),
        "0.333333\n",
        "",
        0,
    );
    check(
        &node.run_with("awk '$2 > 5'", "a 10\nb 3\nc 7\n"),
        "a 10\nc 7\n",
        "",
        0,
    );
    check(
        &node.run_with("awk 'BEGIN { exit 3 } END { print \"end\" }'", ""),
        "end\n",
        "",
        3,
    );
}

#[test]
fn awk_errors_are_mawks() {
    let mut node = Node::new();
    check(
        &node.run_with("awk '{print $1'", "x\n"),
        "",
        "awk: line 1: syntax error at or near end of file\n",
        2,
    );
    check(
        &node.run_with("awk '{print 1/0}'", "x\n"),
        "",
        "awk: run time error: division by zero\n\tFILENAME=\"-\" FNR=1 NR=1\n",
        2,
    );
    check(
        &node.run("awk '{print}' nope"),
        "",
        "awk: cannot open \"nope\" (No such file or directory)\n",
        2,
    );
    let out = node.run_with("awk 'BEGIN { system(\"ls\") }'", "");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not supported"), "{}", out.stderr);
}

#[test]
fn diff_normal_and_unified() {
    let mut node = Node::new();
    node.put("/root/a", "one\ntwo\nthree\n")
        .put("/root/b", "one\n2\nthree\nfour\n");
    check(
        &node.run("diff a b"),
        "2c2\n< two\n---\n> 2\n3a4\n> four\n",
        "",
        1,
    );
    check(
        &node.run("diff -u a b"),
        "--- a\t2026-11-22 08:00:00.000000000 +0000\n\
         +++ b\t2026-11-22 08:00:00.000000000 +0000\n\
         @@ -1,3 +1,4 @@\n one\n-two\n+2\n three\n+four\n",
        "",
        1,
    );
    check(&node.run("diff a a"), "", "", 0);
    check(&node.run("diff -q a b"), "Files a and b differ\n", "", 1);
    check(
        &node.run("diff a nope"),
        "",
        "diff: nope: No such file or directory\n",
        2,
    );
}

#[test]
fn test_and_bracket_follow_bash() {
    let mut node = Node::new();
    node.put("/root/f", "x")
        .dir("/root/d")
        .put("/root/empty", "");
    check(&node.run("test -f f"), "", "", 0);
    check(&node.run("[ -d d ]"), "", "", 0);
    check(&node.run("[ -f d ]"), "", "", 1);
    check(&node.run("[ -s empty ]"), "", "", 1);
    check(&node.run("[ -e nope ]"), "", "", 1);
    check(&node.run("[ a = a ]"), "", "", 0);
    check(&node.run("[ a != a ]"), "", "", 1);
    check(&node.run("[ -z '' ]"), "", "", 0);
    check(&node.run("[ 3 -gt 2 ]"), "", "", 0);
    check(&node.run("[ ! 3 -gt 2 ]"), "", "", 1);
    check(&node.run("[ -f f -a -d d ]"), "", "", 0);
    check(&node.run("[ a = a"), "", "bash: [: missing `]'\n", 2);
    check(
        &node.run("[ x -eq 1 ]"),
        "",
        "bash: [: x: integer expression expected\n",
        2,
    );
    check(&node.run("test"), "", "", 1);
}

#[test]
fn small_commands() {
    let mut node = Node::new();
    check(&node.run("seq 3"), "1\n2\n3\n", "", 0);
    check(&node.run("seq 2 2 6"), "2\n4\n6\n", "", 0);
    check(&node.run("seq -s, 3"), "1,2,3\n", "", 0);
    check(&node.run("seq -w 8 10"), "08\n09\n10\n", "", 0);
    check(&node.run("seq 1 0.5 2"), "1.0\n1.5\n2.0\n", "", 0);
    check(&node.run("seq -2 -1"), "-2\n-1\n", "", 0);
    check(
        &node.run("seq x"),
        "",
        "seq: invalid floating point argument: \u{2018}x\u{2019}\nTry 'seq --help' for more information.\n",
        1,
    );
    check(&node.run_with("base64", "hello\n"), "aGVsbG8K\n", "", 0);
    check(&node.run_with("base64 -d", "aGVsbG8K\n"), "hello\n", "", 0);
    check(&node.run_with("base64 -w 0", "hello\n"), "aGVsbG8K", "", 0);
    check(
        &node.run_with("base64 -d", "!!\n"),
        "",
        "base64: invalid input\n",
        1,
    );
    check(&node.run("printenv HOME"), "/root\n", "", 0);
    check(&node.run("printenv NOPE"), "", "", 1);
    check(&node.run("env"), "HOME=/root\nPATH=/usr/bin:/bin\n", "", 0);
    check(&node.run("uname"), "Linux\n", "", 0);
    check(&node.run("uname -r"), "6.8.0-87-generic\n", "", 0);
    check(&node.run("uname -n"), "controlplane\n", "", 0);
    check(
        &node.run("uname -a"),
        "Linux controlplane 6.8.0-87-generic #88-Ubuntu SMP PREEMPT_DYNAMIC Sat Oct 11 09:28:41 UTC 2025 x86_64 x86_64 x86_64 GNU/Linux\n",
        "",
        0,
    );
    check(&node.run("whoami"), "root\n", "", 0);
    check(
        &node.run("id"),
        "uid=0(root) gid=0(root) groups=0(root)\n",
        "",
        0,
    );
    check(&node.run("id -u"), "0\n", "", 0);
    check(&node.run("true --help"), "", "", 0);
    check(&node.run("false"), "", "", 1);
    let df = node.run("df -h");
    assert!(
        df.stdout
            .starts_with("Filesystem      Size  Used Avail Use% Mounted on\n"),
        "{}",
        df.stdout
    );
    assert!(
        df.stdout
            .contains("/dev/sda1        29G  8.1G   21G  28% /\n"),
        "{}",
        df.stdout
    );
    let free = node.run("free -h");
    assert_eq!(
        free.stdout,
        "               total        used        free      shared  buff/cache   available\n\
         Mem:           3.8Gi       1.2Gi       1.1Gi       3.0Mi       1.8Gi       2.6Gi\n\
         Swap:             0B          0B          0B\n"
    );
}

#[test]
fn every_command_has_help_and_unknown_names_are_not_ours() {
    let mut node = Node::new();
    for name in super::super::COMMANDS {
        let out = node.run_argv(&[name.to_string(), "--help".to_string()], "");
        assert!(
            out.code == 0 || matches!(*name, "false" | "["),
            "{name} --help: {out:?}"
        );
    }
    let mut ctx_node = Node::new();
    let argv = vec!["kubectl".to_string()];
    let out = ctx_node.run_argv(&argv, "");
    assert_eq!(out.code, 127);
}

#[test]
fn awk_parses_common_one_liners() {
    let mut node = Node::new();
    let cases: &[(&str, &str, &str)] = &[
        (
            "awk '{ if ($2 > 50) print $1; else print \"low\" }'",
            "a 60\nb 10\n",
            "a\nlow\n",
        ),
        ("awk '!seen[$0]++'", "x\ny\nx\n", "x\ny\n"),
        ("awk 'length > 3'", "ab\nabcd\n", "abcd\n"),
        (
            "awk 'BEGIN { a[\"x\"] = 1; if (\"x\" in a) print \"yes\" }'",
            "",
            "yes\n",
        ),
        (
            "awk '{ n = split($0, p, \",\"); for (i = 1; i <= n; i++) print i, p[i] }'",
            "a,b\n",
            "1 a\n2 b\n",
        ),
        (
            "awk 'BEGIN { x = \"3\" + 4; print x, x \"\" }'",
            "",
            "7 7\n",
        ),
        ("awk '{ $2 = \"\"; print }'", "a b c\n", "a  c\n"),
        (
            "awk '{ $5 = \"e\"; print; print NF }'",
            "a b\n",
            "a b   e\n5\n",
        ),
        ("awk '{ print NR \": \" $0 }'", "x\ny\n", "1: x\n2: y\n"),
        ("awk 'END { print NR, $0 }'", "x\ny\n", "2 y\n"),
        (
            "awk '{ print toupper(substr($1, 1, 1)) substr($1, 2) }'",
            "nginx\n",
            "Nginx\n",
        ),
        ("awk -F'\\t' '{ print $2 }'", "a\tb c\n", "b c\n"),
        (
            "awk '$1 == \"10\" { print \"str\" } $1 == 10 { print \"num\" }'",
            "10.0\n",
            "num\n",
        ),
        (
            "awk 'BEGIN { while ((getline line < \"/root/f\") > 0) n++; print n }'",
            "",
            "2\n",
        ),
        (
            "awk '{ sub(/a+/, \"[&]\"); print }'",
            "baaac\n",
            "b[aaa]c\n",
        ),
        (
            "awk 'BEGIN { printf \"%5.1f|%-3s|%03d\\n\", 3.14159, \"x\", 7 }'",
            "",
            "  3.1|x  |007\n",
        ),
        ("awk 'NR % 2 == 0'", "1\n2\n3\n4\n", "2\n4\n"),
        ("awk '{ print $1 }' OFS=,", "a b\n", "a\n"),
        ("awk '{ $1 = $1; print }' OFS=,", "a b\n", "a,b\n"),
        ("awk 'BEGIN { print length(\"héllo\") }'", "", "5\n"),
        ("awk '/^#/ { next } { print }'", "#c\nx\n", "x\n"),
        (
            "awk 'BEGIN { print index(\"abc\", \"c\"), 2^10, 7 % 3, -3 }'",
            "",
            "3 1024 1 -3\n",
        ),
        ("awk '{ printf(\"%s-%s\\n\", $2, $1) }'", "a b\n", "b-a\n"),
        (
            "awk 'BEGIN { s = sprintf(\"%d%%\", 50); print s }'",
            "",
            "50%\n",
        ),
        ("awk '{ print > \"/root/out\" }'", "q\n", ""),
        ("awk 'BEGIN { if (!(3 in a)) print \"no\" }'", "", "no\n"),
        (
            "awk 'BEGIN { x[1,2] = 3; for (k in x) { split(k, p, SUBSEP); print p[1], p[2] } }'",
            "",
            "1 2\n",
        ),
    ];
    node.put("/root/f", "one\ntwo\n");
    for (line, stdin, want) in cases {
        let out = node.run_with(line, stdin);
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str(), out.code),
            (*want, "", 0),
            "{line}"
        );
    }
    assert_eq!(node.text("/root/out"), "q\n");
}
