//! Tab completion: the candidates for the word under the cursor, as bash with the
//! bash-completion package offers them on a kubeadm node — command names, file paths on the
//! shell's host, kubectl's subcommands, resource types, namespaces and pod names, systemctl's
//! verbs and unit names, journalctl's units, ssh's hosts.
//!
//! Each candidate is the whole word that replaces the partial one (`/etc/kube` →
//! `/etc/kubernetes/`); directories end in `/`. The UI inserts a single candidate, or the
//! candidates' common prefix and shows the list.
//!
//! Simplified: candidates are not quoted (no file in the simulated hosts needs it); kubectl's
//! pod names come from the API server's store only while it is serving, as the real
//! completion (which runs `kubectl get`) gets nothing from an API server that is down.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Namespace, Pod};

use crate::apiserver::store::Resource;
use crate::node::fs::{normalize, FileKind};
use crate::shell::commands::{coreutils, World, BUILTINS, COMMANDS};
use crate::shell::lexer::tokenize_for_completion;

/// The commands whose handling lives outside the dispatcher's `COMMANDS` list.
const EXTERNAL_COMMANDS: &[&str] = &["crictl"];

/// Resource types kubectl's `get`, `describe`, `delete`, `label` and `edit` take.
const KUBECTL_RESOURCES: &[&str] = &[
    "all",
    "configmaps",
    "daemonsets",
    "deployments",
    "events",
    "namespaces",
    "nodes",
    "pods",
    "replicasets",
    "secrets",
];

/// crictl subcommands the playground runs.
const CRICTL_VERBS: &[&str] = &[
    "images", "inspect", "inspectp", "logs", "pods", "ps", "rm", "rmp", "stats", "statsp", "stop",
    "stopp",
];

/// systemctl verbs the playground runs.
const SYSTEMCTL_VERBS: &[&str] = &[
    "cat",
    "daemon-reload",
    "disable",
    "enable",
    "is-active",
    "is-enabled",
    "list-units",
    "restart",
    "start",
    "status",
    "stop",
];

/// The candidates for the word at byte `cursor` of `line` (the part after the cursor is
/// ignored), sorted and without duplicates.
pub fn complete(line: &str, cursor: usize, world: &World<'_>) -> Vec<String> {
    let mut end = cursor.min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let (words, partial) = tokenize_for_completion(&line[..end]);
    // After `sudo` (and its flags) comes a command completed as if typed alone.
    let words = crate::shell::commands::editor::without_sudo(&words);
    // Leading `NAME=value` assignments are not the command.
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .skip_while(|w| is_assignment(w))
        .collect();
    let mut found = BTreeSet::new();
    let previous = words.last().copied().unwrap_or("");
    if is_redirect(previous) {
        paths(world, &partial, false, &mut found);
    } else if words.is_empty() {
        if partial.contains('/') {
            paths(world, &partial, false, &mut found);
        } else if !is_assignment(&partial) {
            commands(&partial, &mut found);
        }
    } else {
        // Words after a redirect's target still belong to the command; drop redirects.
        let args = without_redirects(&words);
        match args[0] {
            "kubectl" => kubectl(world, &args, &partial, &mut found),
            "systemctl" => systemctl(world, &args, &partial, &mut found),
            "journalctl" => journalctl(world, previous, &partial, &mut found),
            "ssh" => hosts(world, &partial, &mut found),
            "crictl" if args.len() == 1 => from_list(CRICTL_VERBS, &partial, &mut found),
            "cd" | "mkdir" | "rmdir" => paths(world, &partial, true, &mut found),
            "type" | "which" | "help" => commands(&partial, &mut found),
            _ => paths(world, &partial, false, &mut found),
        }
    }
    found.into_iter().collect()
}

/// Whether `word` is a `NAME=value` assignment.
fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// Whether `word` is a redirect operator the tokenizer kept as a word.
fn is_redirect(word: &str) -> bool {
    let op = word.trim_start_matches(|c: char| c.is_ascii_digit());
    matches!(op, ">" | ">>" | "<" | ">|" | "&>" | "&>>" | "<>")
}

/// The command's words with redirect operators and their targets removed.
fn without_redirects<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip = false;
    for word in words {
        if skip {
            skip = false;
        } else if is_redirect(word) {
            skip = true;
        } else {
            out.push(*word);
        }
    }
    out
}

fn from_list(list: &[&str], partial: &str, found: &mut BTreeSet<String>) {
    for item in list {
        if item.starts_with(partial) {
            found.insert((*item).to_string());
        }
    }
}

/// Every command name: builtins, the playground's commands, the coreutils.
fn commands(partial: &str, found: &mut BTreeSet<String>) {
    for list in [BUILTINS, COMMANDS, coreutils::COMMANDS, EXTERNAL_COMMANDS] {
        from_list(list, partial, found);
    }
    // `[` is a command but nobody completes to it.
    found.remove("[");
}

/// Paths on the shell's host that start with `partial` (as typed, relative to the working
/// directory); `dirs_only` for `cd`.
fn paths(world: &World<'_>, partial: &str, dirs_only: bool, found: &mut BTreeSet<String>) {
    let (typed_dir, prefix) = match partial.rfind('/') {
        Some(idx) => (&partial[..=idx], &partial[idx + 1..]),
        None => ("", partial),
    };
    let dir = match typed_dir.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("/root{rest}"),
        _ if typed_dir.is_empty() => world.cwd.to_string(),
        _ => typed_dir.to_string(),
    };
    let dir = normalize(world.cwd, &dir);
    let fs = &world.cluster.host(world.host).node.fs;
    let Ok(entries) = fs.read_dir(&dir) else {
        return;
    };
    for entry in entries {
        if !entry.name.starts_with(prefix) {
            continue;
        }
        // Hidden files only when the partial name asks for them, as bash does.
        if entry.name.starts_with('.') && !prefix.starts_with('.') {
            continue;
        }
        let full = normalize(&dir, &entry.name);
        let is_dir = match entry.kind {
            FileKind::Dir => true,
            FileKind::Symlink => fs.stat(&full).is_ok_and(|m| m.kind == FileKind::Dir),
            _ => false,
        };
        if dirs_only && !is_dir {
            continue;
        }
        let slash = if is_dir { "/" } else { "" };
        found.insert(format!("{typed_dir}{}{slash}", entry.name));
    }
}

/// The cluster's host names, for `ssh`.
fn hosts(world: &World<'_>, partial: &str, found: &mut BTreeSet<String>) {
    for host in world.cluster.hosts() {
        if host.node.name.starts_with(partial) {
            found.insert(host.node.name.clone());
        }
    }
}

/// kubectl: the subcommand, then resource types, pod names, namespaces or files.
fn kubectl(world: &World<'_>, args: &[&str], partial: &str, found: &mut BTreeSet<String>) {
    let previous = args.last().copied().unwrap_or("");
    match previous {
        "-n" | "--namespace" => return namespaces(world, partial, found),
        "-f" | "--filename" => return paths(world, partial, false, found),
        _ => (),
    }
    if partial.starts_with('-') {
        return;
    }
    // The positional words after `kubectl`, flags and their values skipped.
    let mut positional: Vec<&str> = Vec::new();
    let mut namespace = "default";
    let mut idx = 1;
    while idx < args.len() {
        let word = args[idx];
        idx += 1;
        match word {
            "-n" | "--namespace" => {
                if let Some(ns) = args.get(idx) {
                    namespace = ns;
                }
                idx += 1;
            }
            "-f" | "--filename" | "-o" | "--output" | "-l" | "--selector" | "-c"
            | "--container" => idx += 1,
            w if w.starts_with("--namespace=") => namespace = &w["--namespace=".len()..],
            w if w.starts_with('-') => (),
            w => positional.push(w),
        }
    }
    match positional.as_slice() {
        [] => {
            let verbs: Vec<&str> = crate::shell::commands::kubectl::COMMANDS
                .iter()
                .map(|(spec, _)| spec.name)
                .collect();
            from_list(&verbs, partial, found)
        }
        ["get" | "describe" | "delete" | "label" | "annotate" | "patch" | "edit"] => {
            from_list(KUBECTL_RESOURCES, partial, found)
        }
        ["cordon" | "uncordon" | "drain", ..] => nodes(world, partial, found),
        ["taint"] => from_list(&["nodes"], partial, found),
        ["taint", "node" | "nodes" | "no"] => nodes(world, partial, found),
        ["top"] => from_list(&["node", "pod"], partial, found),
        ["scale"] => from_list(&["deployment", "replicaset"], partial, found),
        ["set"] => from_list(&["image"], partial, found),
        ["rollout"] => from_list(&["history", "restart", "status", "undo"], partial, found),
        ["auth"] => from_list(&["can-i"], partial, found),
        ["config"] => from_list(
            &["current-context", "get-contexts", "use-context", "view"],
            partial,
            found,
        ),
        ["explain"] => from_list(&["pod", "pod.spec", "pod.spec.containers"], partial, found),
        ["logs" | "exec"] => pods(world, namespace, partial, found),
        [_, "pod" | "pods" | "po"] => pods(world, namespace, partial, found),
        [_, "namespace" | "namespaces" | "ns"] => namespaces(world, partial, found),
        _ => (),
    }
}

/// Pod names in `namespace`, while the API server answers.
fn pods(world: &World<'_>, namespace: &str, partial: &str, found: &mut BTreeSet<String>) {
    let Ok(pods) = world
        .cluster
        .api()
        .list::<Pod>(Resource::Pods, Some(namespace))
    else {
        return;
    };
    for pod in pods {
        if let Some(name) = pod.metadata.name {
            if name.starts_with(partial) {
                found.insert(name);
            }
        }
    }
}

/// Node names, while the API server answers.
fn nodes(world: &World<'_>, partial: &str, found: &mut BTreeSet<String>) {
    let Ok(list) = world.cluster.api().list_values(Resource::Nodes, None) else {
        return;
    };
    for node in list {
        if let Some(name) = node.pointer("/metadata/name").and_then(|n| n.as_str()) {
            if name.starts_with(partial) {
                found.insert(name.to_string());
            }
        }
    }
}

/// Namespace names, while the API server answers.
fn namespaces(world: &World<'_>, partial: &str, found: &mut BTreeSet<String>) {
    let Ok(list) = world
        .cluster
        .api()
        .list::<Namespace>(Resource::Namespaces, None)
    else {
        return;
    };
    for ns in list {
        if let Some(name) = ns.metadata.name {
            if name.starts_with(partial) {
                found.insert(name);
            }
        }
    }
}

/// systemctl: the verb, then the host's units.
fn systemctl(world: &World<'_>, args: &[&str], partial: &str, found: &mut BTreeSet<String>) {
    if partial.starts_with('-') {
        return;
    }
    let verb = args.iter().skip(1).find(|w| !w.starts_with('-'));
    match verb {
        None => from_list(SYSTEMCTL_VERBS, partial, found),
        Some(&"daemon-reload") => (),
        Some(_) => units(world, partial, found),
    }
}

/// journalctl: unit names after `-u`/`--unit`.
fn journalctl(world: &World<'_>, previous: &str, partial: &str, found: &mut BTreeSet<String>) {
    if matches!(previous, "-u" | "--unit") {
        return units(world, partial, found);
    }
    if let Some(rest) = partial.strip_prefix("--unit=") {
        let mut names = BTreeSet::new();
        units(world, rest, &mut names);
        found.extend(names.into_iter().map(|n| format!("--unit={n}")));
    }
}

/// The units systemd knows on the shell's host.
fn units(world: &World<'_>, partial: &str, found: &mut BTreeSet<String>) {
    for name in world.cluster.host(world.host).units.keys() {
        if name.starts_with(partial) {
            found.insert(name.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::playground::Playground;

    fn candidates(line: &str) -> Vec<String> {
        let mut playground = Playground::new(1).expect("boot");
        let host = playground.session().frame().host;
        let vars = BTreeMap::new();
        let world = World {
            cluster: playground.cluster_mut(),
            host,
            cwd: "/root",
            vars: &vars,
            background: None,
            shell_pid: 1,
            peers: &[],
            foreground: None,
        };
        complete(line, line.len(), &world)
    }

    #[test]
    fn command_names() {
        assert_eq!(candidates("journ"), ["journalctl"]);
        assert_eq!(candidates("sys"), ["systemctl"]);
        let kube = candidates("ku");
        assert_eq!(kube, ["kubeadm", "kubectl", "kubelet"]);
        // After sudo (and its flags) comes a command, completed as if typed alone.
        assert_eq!(candidates("sudo -E journ"), ["journalctl"]);
        assert_eq!(candidates("sudo systemctl sta"), ["start", "status"]);
        assert_eq!(candidates("X=1 hostn"), ["hostname"]);
        assert!(candidates("ls | gr").contains(&"grep".to_string()));
    }

    #[test]
    fn file_paths_on_the_host() {
        assert_eq!(
            candidates("cat /etc/kubernetes/mani"),
            ["/etc/kubernetes/manifests/"]
        );
        let manifests = candidates("ls /etc/kubernetes/manifests/");
        assert!(manifests.contains(&"/etc/kubernetes/manifests/etcd.yaml".to_string()));
        assert!(manifests.contains(&"/etc/kubernetes/manifests/kube-apiserver.yaml".to_string()));
        assert_eq!(
            candidates("cd /etc/kubernetes/pk"),
            ["/etc/kubernetes/pki/"]
        );
        assert_eq!(
            candidates("echo x > /etc/kubernetes/mani"),
            ["/etc/kubernetes/manifests/"]
        );
        assert!(candidates("cat /nonexistent/x").is_empty());
    }

    #[test]
    fn kubectl_words() {
        assert_eq!(candidates("kubectl desc"), ["describe"]);
        assert_eq!(candidates("kubectl get po"), ["pods"]);
        let pods = candidates("kubectl -n kube-system get pods etcd");
        assert_eq!(pods, ["etcd-controlplane"]);
        assert_eq!(
            candidates("kubectl logs -n kube-system kube-sch"),
            ["kube-scheduler-controlplane"]
        );
        assert_eq!(
            candidates("kubectl exec -it -n kube-system kube-api"),
            ["kube-apiserver-controlplane"]
        );
        assert_eq!(candidates("kubectl ex"), ["exec", "explain"]);
        assert_eq!(candidates("kubectl scale dep"), ["deployment"]);
        assert_eq!(candidates("kubectl set im"), ["image"]);
        assert_eq!(candidates("kubectl rollout st"), ["status"]);
        assert_eq!(candidates("kubectl get pods -n kube-s"), ["kube-system"]);
        assert!(candidates("kubectl get pods etcd").is_empty());
        assert_eq!(candidates("kubectl cord"), ["cordon"]);
        assert_eq!(candidates("kubectl config cu"), ["current-context"]);
        assert_eq!(candidates("kubectl taint nodes n"), ["node01"]);
        assert_eq!(candidates("kubectl drain no"), ["node01"]);
        assert_eq!(candidates("kubectl uncordon "), ["controlplane", "node01"]);
    }

    #[test]
    fn systemd_words() {
        assert_eq!(candidates("systemctl res"), ["restart"]);
        assert_eq!(candidates("systemctl status kub"), ["kubelet.service"]);
        assert_eq!(
            candidates("systemctl --no-pager restart c"),
            ["containerd.service"]
        );
        assert_eq!(candidates("journalctl -u k"), ["kubelet.service"]);
        assert_eq!(
            candidates("journalctl --unit=k"),
            ["--unit=kubelet.service"]
        );
        assert_eq!(candidates("ssh no"), ["node01"]);
    }
}
