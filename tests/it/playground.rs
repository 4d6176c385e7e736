//! The playground boundary as the browser drives it: commands, file saves, row actions and
//! clock movements, the view models they produce, and sessions saved and replayed.

use kubelet_playground::playground::{Input, Playground, RowAction, SavedSession};
use kubelet_playground::sim::SimDuration;
use kubelet_playground::view::nodes::{FileOutcome, NodeView};
use kubelet_playground::view::terminal::Origin;
use kubelet_playground::view::View;

const WEB: &str = "apiVersion: v1
kind: Pod
metadata:
  name: static-web
spec:
  containers:
  - name: web
    image: nginx:1.27
";

const MANIFESTS: &str = "/etc/kubernetes/manifests";

fn node<'v>(view: &'v View, name: &str) -> &'v NodeView {
    view.nodes.iter().find(|n| n.name == name).expect("node")
}

fn outcome(view: &View, host: &str, file: &str) -> FileOutcome {
    node(view, host)
        .manifests
        .files
        .iter()
        .find(|f| f.name == file)
        .unwrap_or_else(|| panic!("{file} not listed on {host}"))
        .outcome
        .clone()
}

fn with_web() -> Playground {
    let mut pg = Playground::interactive(1).unwrap();
    pg.save_file("controlplane", &format!("{MANIFESTS}/web.yaml"), WEB)
        .unwrap();
    pg.advance(SimDuration::from_secs(20));
    pg
}

#[test]
fn a_command_becomes_a_block_in_the_scrollback() {
    let mut pg = Playground::interactive(1).unwrap();
    let ran = pg.run("kubectl get pods -n kube-system");
    assert_eq!(ran.result.exit_code, 0);
    assert!(ran.result.output.contains("etcd-controlplane"));
    let block = pg.scrollback().last().unwrap();
    assert_eq!(block.prompt(), "controlplane $ ");
    assert_eq!(block.command, "kubectl get pods -n kube-system");
    assert_eq!(block.output, ran.result.output);
    assert_eq!(block.exit_code, Some(0));
    assert_eq!(block.origin, Origin::Typed);

    pg.run("ssh node01");
    assert_eq!(pg.prompt(), "node01 $ ");
    pg.run("clear");
    assert_eq!(pg.scrollback().blocks().len(), 0);
}

#[test]
fn vi_opens_the_editor_in_the_browser_and_explains_heredocs_in_the_runner() {
    let mut browser = Playground::interactive(1).unwrap();
    browser.run("cd /etc/kubernetes/manifests");
    let ran = browser.run("vi etcd.yaml");
    assert_eq!(
        ran.open_in_editor,
        Some((
            "controlplane".to_string(),
            "/etc/kubernetes/manifests/etcd.yaml".to_string()
        ))
    );
    assert_eq!(browser.session().history.last().unwrap(), "vi etcd.yaml");

    let mut runner = Playground::new(1).unwrap();
    let ran = runner.run("vi /etc/kubernetes/manifests/etcd.yaml");
    assert_eq!(ran.open_in_editor, None);
    assert_eq!(ran.result.exit_code, 1);
    assert!(ran.result.output.contains("heredoc"));
}

#[test]
fn a_saved_manifest_becomes_a_static_pod_and_its_mirror() {
    let pg = with_web();
    let view = pg.view();
    assert_eq!(
        outcome(&view, "controlplane", "web.yaml"),
        FileOutcome::Pod {
            pod: "default/static-web-controlplane".into(),
            state: "Running".into()
        }
    );
    let mirror = view
        .pods
        .rows
        .iter()
        .find(|r| r.name == "static-web-controlplane")
        .expect("mirror pod");
    assert_eq!(mirror.status, "Running");
    assert_eq!(mirror.static_on.as_deref(), Some("controlplane"));
    let container = node(&view, "controlplane")
        .containers
        .iter()
        .find(|c| c.pod == "static-web-controlplane")
        .expect("container");
    assert_eq!(
        (container.state.as_str(), container.attempt),
        ("Running", 0)
    );
    assert_eq!(container.id.len(), 13);
}

#[test]
fn deleting_the_mirror_from_its_row_brings_it_back_with_the_same_container() {
    let mut pg = with_web();
    let before = pg.view();
    let uid = |view: &View| {
        view.pods
            .rows
            .iter()
            .find(|r| r.name == "static-web-controlplane")
            .map(|r| (r.uid.clone(), r.restarts.clone()))
    };
    let container = |view: &View| {
        node(view, "controlplane")
            .containers
            .iter()
            .find(|c| c.pod == "static-web-controlplane")
            .map(|c| c.full_id.clone())
    };
    let result = pg.row_action(RowAction::DeletePod {
        namespace: "default".into(),
        name: "static-web-controlplane".into(),
    });
    assert_eq!(result.exit_code, 0, "{}", result.output);
    let block = pg.scrollback().last().unwrap();
    assert_eq!(
        block.command,
        "kubectl delete pod static-web-controlplane -n default --wait=false"
    );
    assert_eq!(block.origin, Origin::Pane("Pods".into()));
    pg.advance(SimDuration::from_secs(5));
    let after = pg.view();
    let (old_uid, old_restarts) = uid(&before).unwrap();
    let (new_uid, new_restarts) = uid(&after).expect("the mirror came back");
    assert_ne!(old_uid, new_uid, "a new mirror pod");
    assert_eq!(old_restarts, new_restarts);
    assert_eq!(
        container(&before),
        container(&after),
        "the container never stopped"
    );
}

#[test]
fn stopping_a_container_from_its_row_raises_its_attempt() {
    let mut pg = with_web();
    let id = node(&pg.view(), "controlplane")
        .containers
        .iter()
        .find(|c| c.pod == "static-web-controlplane")
        .unwrap()
        .id
        .clone();
    let result = pg.row_action(RowAction::StopContainer {
        host: "controlplane".into(),
        id: id.clone(),
    });
    assert_eq!(result.output, format!("{id}\n"));
    pg.advance(SimDuration::from_secs(5));
    let attempts: Vec<u32> = node(&pg.view(), "controlplane")
        .containers
        .iter()
        .filter(|c| c.pod == "static-web-controlplane")
        .map(|c| c.attempt)
        .collect();
    assert_eq!(
        attempts,
        [1, 0],
        "newest first: the restarted attempt, then the stopped one"
    );
}

#[test]
fn broken_yaml_and_dot_files_are_badged_with_the_kubelets_reason() {
    let mut pg = with_web();
    pg.save_file(
        "controlplane",
        &format!("{MANIFESTS}/web.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  containers:\n  - name: web\n    image: [nginx\n",
    )
    .unwrap();
    pg.save_file("controlplane", &format!("{MANIFESTS}/.hidden.yaml"), WEB)
        .unwrap();
    let view = pg.view();
    match outcome(&view, "controlplane", "web.yaml") {
        FileOutcome::Invalid { error, .. } => assert!(error.contains("yaml"), "{error}"),
        other => panic!("web.yaml is {other:?}"),
    }
    assert!(matches!(
        outcome(&view, "controlplane", ".hidden.yaml"),
        FileOutcome::Ignored { .. }
    ));
    // Fixed again, it is a pod again.
    pg.save_file("controlplane", &format!("{MANIFESTS}/web.yaml"), WEB)
        .unwrap();
    pg.advance(SimDuration::from_secs(20));
    assert!(matches!(
        outcome(&pg.view(), "controlplane", "web.yaml"),
        FileOutcome::Pod { .. }
    ));
}

#[test]
fn a_new_static_pod_path_waits_for_the_kubelet_restart() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("sed -i 's#staticPodPath: /etc/kubernetes/manifests#staticPodPath: /srv/pods#' /var/lib/kubelet/config.yaml");
    let kubelet = node(&pg.view(), "controlplane").kubelet.clone();
    assert_eq!(kubelet.static_pod_path.as_deref(), Some(MANIFESTS));
    assert_eq!(
        kubelet.pending_static_pod_path.as_deref(),
        Some("/srv/pods")
    );
    assert_eq!(kubelet.unit_state, "active (running)");
    pg.row_action(RowAction::RestartKubelet {
        host: "controlplane".into(),
    });
    pg.advance(SimDuration::from_secs(1));
    let view = pg.view();
    let kubelet = &node(&view, "controlplane").kubelet;
    assert_eq!(kubelet.static_pod_path.as_deref(), Some("/srv/pods"));
    assert_eq!(kubelet.pending_static_pod_path, None);
    assert!(!node(&view, "controlplane").manifests.exists);
}

#[test]
fn a_saved_session_replays_to_the_same_state() {
    let mut pg = with_web();
    pg.run("crictl ps | grep web");
    pg.row_action(RowAction::DeletePod {
        namespace: "default".into(),
        name: "static-web-controlplane".into(),
    });
    for _ in 0..50 {
        pg.advance_limited(SimDuration::from_millis(700), 40);
    }
    pg.step();
    pg.run("kubectl get pods");
    let json = pg.saved().to_json();
    let restored = Playground::restore(&SavedSession::from_json(&json).unwrap()).unwrap();
    assert_eq!(restored.view(), pg.view());
    assert_eq!(restored.scrollback(), pg.scrollback());
    assert_same_trace(&restored, &pg);
    assert_eq!(restored.inputs(), pg.inputs());
}

#[test]
fn slicing_the_clock_gives_the_same_run_as_one_advance() {
    let mut sliced = with_web();
    let mut whole = sliced.clone();
    let mut moved = SimDuration::ZERO;
    let mut calls = 0;
    while moved < SimDuration::from_mins(5) {
        let left = SimDuration::from_mins(5).as_millis() - moved.as_millis();
        moved = SimDuration::from_millis(
            moved.as_millis()
                + sliced
                    .advance_limited(SimDuration::from_millis(left.min(3000)), 7)
                    .as_millis(),
        );
        calls += 1;
    }
    assert!(
        calls > 100,
        "the budget really sliced the run ({calls} calls)"
    );
    whole.advance(SimDuration::from_mins(5));
    assert_same_trace(&sliced, &whole);
    assert_eq!(sliced.view(), whole.view());
    assert_eq!(
        sliced.inputs().last(),
        Some(&Input::Advance(
            SimDuration::from_secs(20).as_millis() + SimDuration::from_mins(5).as_millis()
        )),
        "clock movements fold into one input"
    );
}

#[test]
fn step_runs_to_the_next_change() {
    let mut pg = Playground::interactive(1).unwrap();
    let quiet = pg.step();
    assert!(quiet > SimDuration::ZERO);
    pg.run(&format!("cat > {MANIFESTS}/web.yaml <<'EOF'\n{WEB}EOF\n"));
    let before = pg.view();
    let moved = pg.step();
    assert!(moved < SimDuration::from_secs(5), "{moved:?}");
    assert_ne!(pg.view().pods, before.pods);
}

/// Fails with the first record where the two traces part, not with both traces.
fn assert_same_trace(a: &Playground, b: &Playground) {
    let (a, b) = (a.cluster().trace().records(), b.cluster().trace().records());
    if let Some(idx) = (0..a.len().min(b.len())).find(|&i| a[i] != b[i]) {
        panic!("traces part at record {idx}:\n{:?}\n{:?}", a[idx], b[idx]);
    }
    if a.len() != b.len() {
        let n = a.len().min(b.len());
        panic!(
            "one trace is longer: {} vs {}; first extra: {:?}",
            a.len(),
            b.len(),
            a.get(n).or(b.get(n))
        );
    }
}

/// What the newest block printed so far.
fn last_output(pg: &Playground) -> String {
    pg.scrollback().last().unwrap().output.clone()
}

#[test]
fn kubectl_get_w_streams_until_ctrl_c() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("kubectl get pods -A -w");
    assert!(pg.busy());
    assert_eq!(pg.scrollback().last().unwrap().exit_code, None);
    assert!(last_output(&pg).starts_with("NAMESPACE "));
    // The terminal takes no new line meanwhile, and records none.
    let inputs = pg.inputs().len();
    pg.run("hostname");
    assert_eq!(pg.inputs().len(), inputs);
    pg.save_file("controlplane", &format!("{MANIFESTS}/web.yaml"), WEB)
        .unwrap();
    pg.advance(SimDuration::from_secs(20));
    let streamed = last_output(&pg);
    assert!(
        streamed.contains("static-web-controlplane"),
        "the new pod's rows stream in: {streamed}"
    );
    pg.interrupt();
    assert!(!pg.busy());
    let block = pg.scrollback().last().unwrap();
    assert!(block.output.ends_with("^C\n"), "{}", block.output);
    assert_eq!(block.exit_code, Some(130));
    assert_eq!(pg.run("echo $?").result.output, "130\n");
}

#[test]
fn a_follow_prints_the_same_however_the_clock_is_sliced() {
    let mut sliced = Playground::interactive(1).unwrap();
    sliced.run("kubectl get pods -A -w");
    sliced
        .save_file("controlplane", &format!("{MANIFESTS}/web.yaml"), WEB)
        .unwrap();
    let mut whole = sliced.clone();
    let mut moved = 0;
    while moved < 90_000 {
        moved += sliced
            .advance_limited(SimDuration::from_millis(700), 5)
            .as_millis();
    }
    whole.advance(SimDuration::from_secs(90));
    assert_eq!(sliced.scrollback(), whole.scrollback());
    sliced.interrupt();
    whole.interrupt();
    let replayed = Playground::restore(&sliced.saved()).unwrap();
    assert_eq!(replayed.scrollback(), sliced.scrollback());
    assert_same_trace(&replayed, &sliced);
}

#[test]
fn watch_redraws_its_screen_and_sleep_fast_forwards() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("watch -n 5 date");
    let first = last_output(&pg);
    assert!(first.starts_with("Every 5.0s: date"), "{first}");
    pg.advance(SimDuration::from_secs(12));
    let later = last_output(&pg);
    assert_eq!(
        later.matches("Every 5.0s").count(),
        1,
        "redrawn, not appended"
    );
    assert_ne!(later, first);
    pg.interrupt();

    pg.run("sleep 90");
    assert_eq!(pg.fast_forward(), Some((0, 90_000)));
    pg.advance_limited(SimDuration::from_secs(30), u32::MAX);
    assert_eq!(pg.fast_forward(), Some((30_000, 90_000)));
    pg.advance(SimDuration::from_secs(60));
    assert!(!pg.busy());
    assert_eq!(pg.scrollback().last().unwrap().exit_code, Some(0));
    // Ctrl-C stops a sleep where the clock got to.
    pg.run("sleep 3600");
    pg.advance(SimDuration::from_secs(10));
    pg.interrupt();
    assert_eq!(pg.run("echo $?").result.output, "130\n");
}

#[test]
fn journalctl_and_logs_follow_and_end() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("journalctl -u kubelet -f");
    pg.row_action(RowAction::RestartKubelet {
        host: "controlplane".into(),
    });
    pg.advance(SimDuration::from_secs(2));
    // The row action's block goes above the running follow, which stays at the bottom.
    let blocks: Vec<_> = pg.scrollback().blocks().collect();
    assert_eq!(
        blocks[blocks.len() - 2].command,
        "systemctl restart kubelet"
    );
    let follow = blocks[blocks.len() - 1];
    assert_eq!(follow.command, "journalctl -u kubelet -f");
    let tail: Vec<&str> = follow.output.lines().rev().take(30).collect();
    assert!(
        follow.output.contains("Stopped kubelet.service"),
        "{tail:#?}"
    );
    pg.interrupt();

    // A crash-looping container: logs -f ends when the container exits.
    pg.save_file(
        "controlplane",
        &format!("{MANIFESTS}/crash.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  containers:\n  - name: crash\n    image: busybox\n    command: [\"sh\", \"-c\", \"echo starting; sleep 5; echo bye; exit 1\"]\n",
    )
    .unwrap();
    pg.advance(SimDuration::from_secs(2));
    // A substitution in the arguments runs first, bounded; the command itself streams.
    pg.run("crictl logs -f $(crictl ps -q --name crash)");
    assert!(pg.busy());
    pg.advance(SimDuration::from_secs(10));
    assert!(!pg.busy(), "the follow ended with its container");
    let block = pg.scrollback().last().unwrap();
    assert!(block.output.contains("bye"), "{}", block.output);
    assert_eq!(block.exit_code, Some(0));
}

#[test]
fn pipelines_keep_the_bounded_behaviour() {
    let mut pg = Playground::interactive(1).unwrap();
    let ran = pg.run("kubectl get pods -w | grep nothing-matches");
    assert!(!pg.busy());
    assert_eq!(ran.result.exit_code, 1);
    let mut runner = Playground::new(1).unwrap();
    runner.run("kubectl get pods -w");
    assert!(!runner.busy(), "the runner has no Ctrl-C: bounded");
}
