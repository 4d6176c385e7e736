//! Robustness: random command lines for every command must never panic.

use crate::sim::Rng;

use super::Node;

/// Words that exercise options, paths, patterns and scripts.
const WORDS: &[&str] = &[
    "-",
    "--",
    "-a",
    "-l",
    "-r",
    "-R",
    "-f",
    "-n",
    "-i",
    "-e",
    "-E",
    "-F",
    "-k",
    "-t",
    "-d",
    "-s",
    "-c",
    "-u",
    "-w",
    "-x",
    "-o",
    "-q",
    "-v",
    "-h",
    "-p",
    "-m",
    "-A",
    "-B",
    "-C",
    "-1",
    "-5",
    "+2",
    "-n1",
    "-k2,2n",
    "-t:",
    "--help",
    "--version",
    "--bogus",
    "--all",
    "--lines=3",
    "-la",
    "-rf",
    "0",
    "1",
    "3",
    "-3",
    "9999999999999999999999",
    "x",
    "a",
    "/",
    ".",
    "..",
    "/etc",
    "/etc/kubernetes",
    "/etc/kubernetes/manifests/etcd.yaml",
    "file",
    "dir",
    "dir/",
    "link",
    "nope",
    "",
    " ",
    "*",
    "?",
    "[",
    "]",
    "(",
    ")",
    "!",
    "-o",
    "-name",
    "-type",
    "f",
    "d",
    "-maxdepth",
    "s/a/b/g",
    "s/\\(x/y/",
    "1d",
    "$p",
    "/re/,/x/p",
    "y/ab/cd/",
    "a\\",
    "{p",
    "}",
    "1~2p",
    ":a;N;ba",
    "'{print $1}'",
    "{print $NF}",
    "BEGIN{x=1/0}",
    "{print",
    "NR==1",
    "$1~/a/",
    "{a[$1]++}END{for(k in a)print k}",
    "\\(",
    "\\{1",
    "a**",
    "[[:alpha:]]",
    "\\",
    "%d %s %",
    "755",
    "u+x",
    "go-w",
    "=",
    "!=",
    "-eq",
    "-lt",
    "-z",
    "-nt",
    "=x",
    "a=b",
    "1,2",
    "2-",
    "-5-",
    "[:upper:]",
    "a-z",
    "\\n",
    "\t",
    "\n",
    "é",
    "💡",
    "-Wversion",
    "function f(",
    "getline",
    "-print",
    "-delete",
    "-exec",
    "-U",
    "-u5",
    "-i.bak",
    "-w0",
];

const STDINS: &[&str] = &[
    "",
    "a\nb\nc\n",
    "x y z\n1 2 3\n",
    "no newline",
    "root:x:0:0:root:/root:/bin/bash\n",
    "\0binary\0\n",
    "aGVsbG8K\n",
    "é 💡\n\n\n",
];

#[test]
fn random_command_lines_never_panic() {
    let mut rng = Rng::seeded(20261122);
    let commands = super::super::COMMANDS;
    for round in 0..6000u32 {
        let mut node = Node::new();
        node.put("/root/file", "one\ntwo\nthree\n")
            .put("/root/dir/inner", "x\n")
            .put("/etc/kubernetes/manifests/etcd.yaml", "image: etcd\n");
        let _ = node.fs.symlink(node.now, "file", "/root/link");
        let name = commands[(round as usize) % commands.len()];
        let mut argv = vec![name.to_string()];
        let n = rng.below(6);
        for _ in 0..n {
            argv.push(WORDS[rng.below(WORDS.len() as u64) as usize].to_string());
        }
        let stdin = STDINS[rng.below(STDINS.len() as u64) as usize];
        let out = node.run_argv(&argv, stdin);
        assert!((0..=255).contains(&out.code), "{argv:?} gave {}", out.code);
    }
}

/// Characters random scripts and patterns are built from.
const SCRIPT_CHARS: &[char] = &[
    'a', 'b', 'x', '1', '0', ' ', '/', '\\', '(', ')', '[', ']', '{', '}', '*', '+', '?', '.', '^',
    '$', '|', ';', ':', '!', ',', '&', '"', '\'', '=', '<', '>', '~', '%', '-', 'p', 'd', 's', 'g',
    'n', 'N', 'q', 'y', 'i', 'c', 'l', 'b', 't', '\n', '#', '@', 'e', 'w', 'r',
];

#[test]
fn random_scripts_and_patterns_never_panic() {
    let mut rng = Rng::seeded(99);
    let mut node = Node::new();
    node.put("/root/file", "one two\nthree\n");
    for round in 0..4000u32 {
        let len = rng.below(14) as usize;
        let script: String = (0..len)
            .map(|_| SCRIPT_CHARS[rng.below(SCRIPT_CHARS.len() as u64) as usize])
            .collect();
        let argv: Vec<String> = match round % 6 {
            0 => vec!["sed".into(), script],
            1 => vec!["sed".into(), "-E".into(), script],
            2 => vec!["grep".into(), script],
            3 => vec!["grep".into(), "-E".into(), "-o".into(), script],
            4 => vec!["awk".into(), script],
            _ => vec!["find".into(), "/root".into(), "-name".into(), script],
        };
        let out = node.run_argv(&argv, "abc x1\n(a)[b]{c}\n\n");
        assert!((0..=255).contains(&out.code), "{argv:?}");
    }
}

#[test]
fn runaway_programs_are_stopped() {
    let mut node = Node::new();
    let out = node.run_with("sed ':a;s/x/xx/;ta'", "x\n");
    assert_eq!(out.code, 4);
    assert!(out.stderr.contains("playground limit"), "{}", out.stderr);
    let out = node.run_with("sed ':a;ba'", "x\n");
    assert_eq!(out.code, 4);
    let out = node.run_with("awk 'BEGIN { while (1) s = s \"x\" }'", "");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("playground limit"), "{}", out.stderr);
    let out = node.run_with("awk 'BEGIN { while (1) n++ }'", "");
    assert_eq!(out.code, 2);
    let deep = format!(
        "BEGIN {{ print {}1{} }}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let out = node.run_argv(&["awk".to_string(), deep], "");
    assert_eq!(out.code, 2);
    let mut argv = vec!["[".to_string()];
    argv.extend(std::iter::repeat_n("!".to_string(), 10_000));
    argv.push("]".to_string());
    assert_eq!(node.run_argv(&argv, "").code, 2);
    let mut argv = vec!["find".to_string(), "/".to_string()];
    argv.extend(std::iter::repeat_n("!".to_string(), 10_000));
    argv.push("-true".to_string());
    assert_eq!(node.run_argv(&argv, "").code, 1);
    let out = node.run("seq 5000000");
    assert_eq!(out.stdout.lines().count(), 1_000_000);
}
