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
