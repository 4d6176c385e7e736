//! Where the editor places things in the text, and how the preview line reads. The analyses
//! against a booted cluster are in the integration tests (`tests/it/editor.rs`).

use expect_test::{expect, Expect};

use crate::apiserver::validation::{parse_steps, Step};
use crate::sim::SimDuration;
use crate::view::editor::locate::{Located, Range};
use crate::view::editor::Preview;

/// `line:col-line:col [covered text]`, the covered text only for one-line ranges.
fn show(text: &str, range: Range) -> String {
    let mut out = format!(
        "{}:{}-{}:{}",
        range.from.line, range.from.column, range.to.line, range.to.column
    );
    if range.from.line == range.to.line {
        let line = text
            .lines()
            .nth(range.from.line as usize - 1)
            .unwrap_or_default();
        let covered: String = line
            .chars()
            .skip(range.from.column as usize - 1)
            .take((range.to.column - range.from.column) as usize)
            .collect();
        out.push_str(&format!(" [{covered}]"));
    }
    out
}

fn check_field(text: &str, path: &str, expect: Expect) {
    let located = Located::new(text);
    let steps = parse_steps(path);
    let key = located.key(&steps).map(|r| show(text, r));
    let field = show(text, located.field_or_parent(&steps));
    expect.assert_eq(&format!("key: {key:?}\nfield: {field}"));
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web   # the pod
  labels: {app: web, \"tier\": front}
spec:
  containers:
  - name: web
    image: \"nginx:1.27\"
    command: [sh, -c,
      'echo hi']
    ports:
    -   containerPort: 80
  -
    name: side
    image: busybox
";

#[test]
fn block_keys_and_values() {
    check_field(
        POD,
        "metadata.name",
        expect![[r#"
            key: Some("4:3-4:7 [name]")
            field: 4:3-4:12 [name: web]"#]],
    );
    check_field(
        POD,
        "spec.containers[0].image",
        expect![[r#"
            key: Some("9:5-9:10 [image]")
            field: 9:5-9:24 [image: "nginx:1.27"]"#]],
    );
}

#[test]
fn list_items_in_every_layout() {
    check_field(
        POD,
        "spec.containers[0]",
        expect![[r#"
            key: Some("8:5-8:14 [name: web]")
            field: 8:5-8:14 [name: web]"#]],
    );
    check_field(
        POD,
        "spec.containers[0].ports[0].containerPort",
        expect![[r#"
            key: Some("13:9-13:22 [containerPort]")
            field: 13:9-13:26 [containerPort: 80]"#]],
    );
    check_field(
        POD,
        "spec.containers[1].image",
        expect![[r#"
            key: Some("16:5-16:10 [image]")
            field: 16:5-16:19 [image: busybox]"#]],
    );
}

#[test]
fn flow_collections_across_lines() {
    check_field(
        POD,
        "metadata.labels.tier",
        expect![[r#"
            key: Some("5:22-5:28 [\"tier\"]")
            field: 5:22-5:35 ["tier": front]"#]],
    );
    check_field(
        POD,
        "spec.containers[0].command[2]",
        expect![[r#"
            key: Some("11:7-11:16 ['echo hi']")
            field: 11:7-11:16 ['echo hi']"#]],
    );
    // A flow list spanning lines is marked on its key's line only.
    check_field(
        POD,
        "spec.containers[0].command",
        expect![[r#"
            key: Some("10:5-10:12 [command]")
            field: 10:5-10:12 [command]"#]],
    );
}

#[test]
fn a_missing_field_points_at_its_nearest_parent() {
    check_field(
        POD,
        "spec.containers[1].resources.limits",
        expect![[r#"
            key: None
            field: 15:5-15:15 [name: side]"#]],
    );
    check_field(
        POD,
        "spec.volumes[0]",
        expect![[r#"
            key: None
            field: 6:1-6:5 [spec]"#]],
    );
    check_field(
        "",
        "metadata.name",
        expect![[r#"
            key: None
            field: 1:1-1:1 []"#]],
    );
}

#[test]
fn columns_count_characters() {
    let text = "metadata:\n  labels: {\u{e9}t\u{e9}: oui, b\u{fc}ro: ja}\n";
    check_field(
        text,
        "metadata.labels[b\u{fc}ro]",
        expect![[r#"
            key: Some("2:22-2:26 [büro]")
            field: 2:22-2:30 [büro: ja]"#]],
    );
}

#[test]
fn json_manifests_are_flow_yaml() {
    let text = "{\n  \"kind\": \"Pod\",\n  \"spec\": {\"containers\": [{\"name\": \"a\", \"imag\": \"x\"}]}\n}\n";
    let steps = vec![
        Step::Key("spec".into()),
        Step::Key("containers".into()),
        Step::Index(0),
        Step::Key("imag".into()),
    ];
    let located = Located::new(text);
    assert_eq!(
        show(text, located.key(&steps).unwrap()),
        "3:41-3:47 [\"imag\"]"
    );
}

#[test]
fn the_second_document_is_found_at_its_separator() {
    let located = Located::new("a: 1\n---\nb: 2\n");
    assert_eq!(
        located
            .next_document()
            .map(|r| show("a: 1\n---\nb: 2\n", r)),
        Some("2:1-2:4 [---]".to_string())
    );
    // A trailing separator, an explicit first `---` and comments start nothing.
    for text in [
        "a: 1\n---\n",
        "---\na: 1\n",
        "a: 1\n---\n# later\n",
        "a: 1\n...\n",
    ] {
        assert_eq!(Located::new(text).next_document(), None, "{text:?}");
    }
    // Content after the separator on its own line counts, and so does a broken document.
    assert!(Located::new("a: 1\n--- b\n").next_document().is_some());
    assert!(Located::new("a: 1\n---\nb: [\n").next_document().is_some());
}

#[test]
fn syntax_errors_mark_the_rest_of_the_line_or_what_was_left_open() {
    let text = "a: 1\nb: c: d\n";
    let located = Located::new(text);
    assert_eq!(show(text, located.syntax_error(2, 5)), "2:5-2:8 [: d]");
    // An unclosed quote is noticed at the end of the text; the quote is what to fix.
    let text = "a: 1\nb: \"x\n";
    let located = Located::new(text);
    assert_eq!(show(text, located.syntax_error(3, 1)), "2:4-2:6 [\"x]");
    // Positions past the text are clamped into it.
    assert_eq!(show(text, located.at(9, 9)), "3:1-3:1 []");
}

#[test]
fn preview_lines() {
    let relist = SimDuration::from_secs(20);
    let lines: Vec<String> = [
        Preview::Creates {
            pod: "static-web-controlplane".into(),
        },
        Preview::NoChange {
            pod: "etcd-controlplane".into(),
        },
        Preview::Recreates {
            pod: "etcd-controlplane".into(),
        },
        Preview::UpdatesInPlace {
            pod: "web-node01".into(),
        },
        Preview::Renames {
            pod: "new-controlplane".into(),
            old: "web-controlplane".into(),
            relist,
        },
        Preview::Replaces {
            pod: "etcd-controlplane".into(),
            other_file: "etcd.yaml".into(),
            kept_at_relist: true,
        },
        Preview::Replaces {
            pod: "web-controlplane".into(),
            other_file: "web.yaml".into(),
            kept_at_relist: false,
        },
        Preview::Invalid {
            still_running: None,
            removed_at_relist: Some(relist),
        },
        Preview::Invalid {
            still_running: Some("etcd-controlplane".into()),
            removed_at_relist: Some(relist),
        },
        Preview::Invalid {
            still_running: Some("web-controlplane".into()),
            removed_at_relist: None,
        },
        Preview::DotFile,
        Preview::InSubfolder {
            static_pod_path: "/etc/kubernetes/manifests".into(),
        },
        Preview::NotInStaticPodPath {
            static_pod_path: "/etc/kubernetes/manifests".into(),
        },
        Preview::NoStaticPodPath,
        Preview::KubeletNotRunning {
            node: "node01".into(),
        },
        Preview::KubeletConfig {
            changes: Vec::new(),
        },
        Preview::KubeletConfig {
            changes: vec!["staticPodPath `/etc/kubernetes/manifests` → `/srv/pods`".into()],
        },
        Preview::KubeletConfigInvalid,
        Preview::KubeletConfigAtStart,
        Preview::UnitFile,
        Preview::EnvironmentFile,
        Preview::NoSuchNode { index: 7 },
    ]
    .iter()
    .map(|p| format!("{:?}: {p}", p.tone()))
    .collect();
    expect![[r#"
        Change: creates static pod `static-web-controlplane`
        Quiet: no change: the kubelet keeps `etcd-controlplane` running
        Change: hash changes: `etcd-controlplane` will be recreated (REMOVE + ADD)
        Change: same metadata.uid: `web-node01` is updated in place (UPDATE); containers whose spec changed restart
        Warning: creates static pod `new-controlplane`; `web-controlplane` keeps running until the next relist (within 20s) removes it
        Warning: replaces `etcd-controlplane` from `etcd.yaml` (same name: REMOVE + ADD); relists keep this file's (the later file name wins)
        Warning: replaces `web-controlplane` from `web.yaml` (same name: REMOVE + ADD); the next relist brings back `web.yaml`'s (the later file name wins)
        Error: invalid: the kubelet will skip this file and log why
        Error: invalid: the kubelet will skip this file and log why; `etcd-controlplane` keeps running until the next relist (within 20s) removes it
        Error: invalid: the kubelet will skip this file and log why; `web-controlplane` keeps running (with a single-file staticPodPath the last good pod stays)
        Quiet: ignored: dot-file (the kubelet skips names starting with '.')
        Warning: ignored: the kubelet does not look inside subfolders of `/etc/kubernetes/manifests`
        Warning: not in staticPodPath (`/etc/kubernetes/manifests`) — the kubelet will not see it
        Warning: the running kubelet has no staticPodPath — it reads no manifest files
        Warning: no kubelet runs on node01 — nothing reads static pod manifests until it starts
        Change: kubelet config: takes effect on `systemctl restart kubelet`
        Change: kubelet config: takes effect on `systemctl restart kubelet` (staticPodPath `/etc/kubernetes/manifests` → `/srv/pods`)
        Error: kubelet config: invalid — the kubelet will exit at its next start
        Quiet: kubelet config: read when the kubelet starts (`systemctl start kubelet`)
        Quiet: kubelet unit: takes effect on `systemctl daemon-reload` and a kubelet restart
        Quiet: kubelet environment file: takes effect on `systemctl restart kubelet`
        Error: no node #7 in this cluster
    "#]]
    .assert_eq(&(lines.join("\n") + "\n"));
}
