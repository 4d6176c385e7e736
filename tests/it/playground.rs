//! The playground boundary as the browser drives it: commands, file saves, row actions and
//! clock movements, the view models they produce, and sessions saved and replayed.

use kubelet_playground::playground::{FastForward, Input, Playground, RowAction, SavedSession};
use kubelet_playground::sim::SimDuration;
use kubelet_playground::view::nodes::{FileOutcome, NodeView};
use kubelet_playground::view::terminal::Origin;
use kubelet_playground::view::View;
use regex_lite::Regex;

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
fn each_file_shows_the_state_of_its_own_pods_latest_containers() {
    let mut pg = with_web();
    let crash = "apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
  - name: ok
    image: busybox
    command: [sleep, \"3600\"]
  - name: fails
    image: busybox
    command: [sh, -c, exit 1]
";
    pg.save_file("controlplane", &format!("{MANIFESTS}/crash.yaml"), crash)
        .unwrap();
    pg.advance(SimDuration::from_secs(60));
    let view = pg.view();
    // The failing container's latest attempt has exited; its sibling runs on.
    assert_eq!(
        outcome(&view, "controlplane", "crash.yaml"),
        FileOutcome::Pod {
            pod: "default/crash-controlplane".into(),
            state: "Exited".into()
        }
    );
    assert_eq!(
        outcome(&view, "controlplane", "web.yaml"),
        FileOutcome::Pod {
            pod: "default/static-web-controlplane".into(),
            state: "Running".into()
        },
        "another pod's exited container does not count"
    );
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

/// A pod that logs a line, waits, logs another and exits.
const TICKER: &str = "apiVersion: v1
kind: Pod
metadata:
  name: ticker
spec:
  restartPolicy: Never
  containers:
  - name: ticker
    image: busybox
    command: [\"sh\", \"-c\", \"echo one; sleep 30; echo two; sleep 20; exit 3\"]
";

/// The newest block's output and status.
fn last_block(pg: &Playground) -> (String, Option<i32>) {
    let block = pg.scrollback().last().expect("a block");
    (block.output.clone(), block.exit_code)
}

/// `$?` as the terminal's shell has it now.
fn status(pg: &mut Playground) -> String {
    pg.run("echo $?").result.output
}

#[test]
fn a_watch_streams_rows_while_the_clock_runs_until_ctrl_c() {
    let mut pg = Playground::interactive(1).unwrap();
    let ran = pg.run("kubectl get pods -w");
    assert!(ran.result.follow.is_some());
    assert!(pg.busy());
    let (first, code) = last_block(&pg);
    assert_eq!(code, None, "the block stays open");
    assert!(
        first.starts_with("No resources found in default namespace.\n"),
        "{first}"
    );
    pg.save_file("controlplane", &format!("{MANIFESTS}/web.yaml"), WEB)
        .unwrap();
    pg.advance(SimDuration::from_secs(30));
    let (streamed, code) = last_block(&pg);
    assert_eq!(code, None);
    let rows: Vec<&str> = streamed.lines().skip(1).collect();
    assert!(
        rows.iter()
            .all(|r| r.starts_with("static-web-controlplane ")),
        "{streamed}"
    );
    assert!(rows.last().unwrap().contains("Running"), "{streamed}");
    assert!(rows.len() >= 2, "one row per change: {streamed}");

    // The terminal is busy: a typed line is refused and not recorded.
    let inputs = pg.inputs().len();
    let refused = pg.run("date");
    assert!(refused.busy);
    assert_eq!(pg.inputs().len(), inputs);
    assert_eq!(last_block(&pg).0, streamed);

    pg.interrupt();
    let (ended, code) = last_block(&pg);
    // kubectl's own SIGINT handler exits 1, so no newline before the prompt.
    assert_eq!(ended, format!("{streamed}^C"));
    assert_eq!(code, Some(1));
    assert!(!pg.busy());
    assert_eq!(status(&mut pg), "1\n");
}

#[test]
fn a_log_follow_ends_when_its_container_exits() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.save_file("controlplane", &format!("{MANIFESTS}/ticker.yaml"), TICKER)
        .unwrap();
    pg.advance(SimDuration::from_secs(10));
    pg.run("kubectl logs -f ticker-controlplane");
    assert_eq!(last_block(&pg), ("one\n".to_string(), None));
    pg.advance(SimDuration::from_secs(30));
    assert_eq!(last_block(&pg), ("one\ntwo\n".to_string(), None));
    pg.advance(SimDuration::from_secs(30));
    assert_eq!(
        last_block(&pg),
        ("one\ntwo\n".to_string(), Some(0)),
        "the stream closes with the container"
    );
    assert!(!pg.busy());

    // crictl follows the same file; Ctrl-C kills it (130).
    let mut pg = Playground::interactive(1).unwrap();
    pg.save_file("controlplane", &format!("{MANIFESTS}/ticker.yaml"), TICKER)
        .unwrap();
    pg.advance(SimDuration::from_secs(10));
    pg.run("crictl logs -f $(crictl ps -q --name ticker)");
    pg.advance(SimDuration::from_secs(5));
    pg.interrupt();
    assert_eq!(last_block(&pg), ("one\n^C\n".to_string(), Some(130)));
    assert_eq!(status(&mut pg), "130\n");
}

#[test]
fn stderr_redirections_apply_to_the_stream() {
    let mut pg = Playground::interactive(1).unwrap();
    let id = pg
        .run("crictl ps -q --name kube-apiserver")
        .result
        .output
        .trim()
        .to_string();
    pg.run(&format!("crictl logs -f --tail 1 {id} 2>/dev/null"));
    assert!(pg.busy(), "a lone command with 2>/dev/null still streams");
    assert_eq!(last_block(&pg).0, "", "the API server logs to stderr");
    pg.interrupt();
    pg.run(&format!("crictl logs -f --tail 1 {id} 2>&1"));
    assert!(pg.busy());
    assert_eq!(last_block(&pg).0.lines().count(), 1);
    pg.interrupt();
    // In a pipeline the follow is bounded, as in a script.
    pg.run(&format!("crictl logs -f --tail 1 {id} 2>&1 | wc -l"));
    assert!(!pg.busy());
    assert_eq!(last_block(&pg), ("1\n".to_string(), Some(0)));
}

#[test]
fn watch_redraws_its_block_in_place() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("watch -n 5 date");
    let (first, _) = last_block(&pg);
    let header = Regex::new(
        r"^Every 5\.0s: date {20,}controlplane: Sun Nov 22 08:00:(\d\d) 2026\n\nSun Nov 22 08:00:(\d\d) UTC 2026\n$",
    )
    .unwrap();
    let seconds = |screen: &str| -> (u32, u32) {
        let caps = header
            .captures(screen)
            .unwrap_or_else(|| panic!("{screen:?}"));
        (caps[1].parse().unwrap(), caps[2].parse().unwrap())
    };
    let (shown, ran) = seconds(&first);
    assert_eq!(shown, ran);
    assert_eq!(first.lines().next().unwrap().chars().count(), 80);
    pg.advance(SimDuration::from_secs(12));
    let (redrawn, code) = last_block(&pg);
    assert_eq!(code, None);
    assert_eq!(
        seconds(&redrawn),
        (shown + 10, ran + 10),
        "two redraws, in place"
    );
    pg.interrupt();
    // watch catches SIGINT and exits 0 with echo off; its last screen stays.
    assert_eq!(last_block(&pg), (redrawn, Some(0)));
    assert_eq!(status(&mut pg), "0\n");

    pg.run("watch -g -n 1 date");
    pg.advance(SimDuration::from_secs(3));
    assert_eq!(
        last_block(&pg).1,
        Some(0),
        "-g ends when the output changes"
    );
}

#[test]
fn sleep_fast_forwards_and_ctrl_c_leaves_the_clock_where_it_got() {
    let mut pg = Playground::interactive(1).unwrap();
    let start = pg.clock_secs();
    pg.run("sleep 1m");
    assert!(pg.busy());
    assert_eq!(
        pg.fast_forward(),
        Some(FastForward {
            done_ms: 0,
            total_ms: 60_000
        })
    );
    while pg.clock_secs() - start < 10.0 {
        pg.advance_limited(SimDuration::from_millis(700), 5);
    }
    assert_eq!(pg.fast_forward().unwrap().done_ms, 10_100);
    pg.interrupt();
    assert_eq!(last_block(&pg), ("^C\n".to_string(), Some(130)));
    assert_eq!(pg.fast_forward(), None);
    assert_eq!(pg.clock_secs() - start, 10.1);
    assert_eq!(status(&mut pg), "130\n");

    pg.run("sleep 2");
    pg.advance(SimDuration::from_secs(5));
    assert_eq!(last_block(&pg), (String::new(), Some(0)));
    assert_eq!(pg.clock_secs() - start, 15.1);

    // In a list, or in the runner, sleep still advances the clock before the next command.
    pg.run("sleep 3; date");
    assert!(!pg.busy());
    assert_eq!(pg.clock_secs() - start, 18.1);
    let mut runner = Playground::new(1).unwrap();
    runner.run("sleep 3");
    assert!(!runner.busy());
    assert_eq!(runner.clock_secs(), 3.0);
}

#[test]
fn the_runner_prints_the_browsers_lines_up_to_its_bound() {
    for (command, bound) in [
        ("kubectl get pods -A -w", 60),
        ("journalctl -u kubelet -f", 30),
        ("watch -n 3 crictl ps --name web", 10),
    ] {
        let mut runner = Playground::new(1).unwrap();
        let mut browser = Playground::interactive(1).unwrap();
        for pg in [&mut runner, &mut browser] {
            pg.save_file("controlplane", &format!("{MANIFESTS}/web.yaml"), WEB)
                .unwrap();
        }
        let printed = runner.run(command).result.output;
        browser.run(command);
        let mut moved = SimDuration::ZERO;
        while moved < SimDuration::from_secs(bound) {
            let left = SimDuration::from_secs(bound).as_millis() - moved.as_millis();
            let step = browser.advance_limited(SimDuration::from_millis(left.min(1700)), 9);
            moved = SimDuration::from_millis(moved.as_millis() + step.as_millis());
        }
        assert_eq!(runner.clock_secs(), browser.clock_secs(), "{command}");
        assert_same_trace(&runner, &browser);
        let shown = &browser.scrollback().last().unwrap().output;
        if command.starts_with("watch") {
            // The runner prints every screen; the browser shows the last.
            let last = printed.rfind("Every 3.0s").unwrap();
            assert_eq!(shown, &printed[last..], "{command}");
            assert_eq!(printed.matches("Every 3.0s").count(), 4, "{printed}");
        } else {
            assert_eq!(shown, &printed, "{command}");
        }
    }
}

#[test]
fn step_stops_at_a_streamed_line() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("kubectl get pods -w");
    pg.save_file("controlplane", &format!("{MANIFESTS}/web.yaml"), WEB)
        .unwrap();
    let before = last_block(&pg).0;
    let moved = pg.step();
    assert!(moved <= SimDuration::from_secs(2), "{moved:?}");
    let after = last_block(&pg).0;
    assert!(after.len() > before.len(), "{after}");
}

#[test]
fn slicing_the_clock_gives_the_same_stream() {
    let mut sliced = Playground::interactive(1).unwrap();
    // A kubelet that cannot start: systemd restarts it every 10 s, and the journal says so.
    sliced.run("echo 'bogus: [' > /var/lib/kubelet/config.yaml; systemctl restart kubelet");
    sliced.run("journalctl -f -n 1");
    let mut whole = sliced.clone();
    let mut stepped = sliced.clone();
    let total = SimDuration::from_secs(90);
    let mut moved = SimDuration::ZERO;
    while moved < total {
        let left = total.as_millis() - moved.as_millis();
        let step = sliced.advance_limited(SimDuration::from_millis(left.min(333)), 3);
        moved = SimDuration::from_millis(moved.as_millis() + step.as_millis());
    }
    whole.advance(total);
    assert_eq!(sliced.scrollback(), whole.scrollback());
    assert_same_trace(&sliced, &whole);
    let streamed = &whole.scrollback().last().unwrap().output;
    assert!(streamed.lines().count() > 5, "{streamed}");
    // Steps stop at lines and pods; they end up in the same place.
    let mut stepped_by = SimDuration::ZERO;
    while stepped_by < total {
        stepped_by = SimDuration::from_millis(stepped_by.as_millis() + stepped.step().as_millis());
    }
    let rest = stepped_by.as_millis() - total.as_millis();
    whole.advance(SimDuration::from_millis(rest));
    assert_eq!(stepped.scrollback(), whole.scrollback());
    assert_same_trace(&stepped, &whole);
}

#[test]
fn a_saved_session_with_streams_and_interrupts_replays_to_the_same_screen() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("kubectl get pods -A -w");
    for _ in 0..40 {
        pg.advance_limited(SimDuration::from_millis(450), 6);
    }
    pg.save_file("controlplane", &format!("{MANIFESTS}/web.yaml"), WEB)
        .unwrap();
    pg.row_action(RowAction::RestartKubelet {
        host: "node01".into(),
    });
    pg.step();
    pg.interrupt();
    pg.run("watch -n 2 kubectl get pods");
    pg.advance(SimDuration::from_secs(7));
    pg.cancel_line("half-typed");
    pg.run("sleep 30");
    pg.advance_limited(SimDuration::from_secs(4), 50);
    pg.interrupt();
    // A refresh whose command sleeps carries the clock past what was asked.
    pg.run("watch -n 1 'sleep 2; date'");
    pg.advance(SimDuration::from_millis(1500));
    pg.advance(SimDuration::from_millis(1500));
    pg.interrupt();
    pg.run("journalctl -u kubelet -f");
    pg.advance(SimDuration::from_secs(3));
    assert!(pg.busy());
    let json = pg.saved().to_json();
    let restored = Playground::restore(&SavedSession::from_json(&json).unwrap()).unwrap();
    assert_eq!(restored.scrollback(), pg.scrollback());
    assert_eq!(restored.view(), pg.view());
    assert_same_trace(&restored, &pg);
    assert_eq!(restored.inputs(), pg.inputs());
    assert_eq!(restored.foreground(), pg.foreground());
    let commands: Vec<(&str, Option<i32>)> = pg
        .scrollback()
        .blocks()
        .map(|b| (b.command.as_str(), b.exit_code))
        .collect();
    assert_eq!(
        commands,
        [
            ("systemctl restart kubelet", Some(0)),
            ("kubectl get pods -A -w", Some(1)),
            ("watch -n 2 kubectl get pods", Some(0)),
            ("sleep 30", Some(130)),
            ("watch -n 1 'sleep 2; date'", Some(0)),
            ("journalctl -u kubelet -f", None),
        ],
        "the pane's action sits above the watch that was running"
    );
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

#[test]
fn kubectl_delete_waits_in_the_foreground_until_the_pod_is_gone_or_ctrl_c() {
    // The kubelet is up: the wait ends when the pod is gone, with status 0 and no error.
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("kubectl run web --image=nginx");
    pg.advance(SimDuration::from_secs(10));
    pg.run("kubectl delete pod web");
    assert!(pg.busy(), "kubectl waits for the pod to go");
    pg.advance(SimDuration::from_secs(40));
    assert!(!pg.busy());
    assert_eq!(
        last_block(&pg),
        (
            "pod \"web\" deleted from default namespace\n".to_string(),
            Some(0)
        )
    );

    // Its kubelet is down: the pod stays Terminating and kubectl keeps waiting (a week,
    // upstream) with no error of its own, until Ctrl-C.
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("kubectl run web --image=nginx");
    pg.advance(SimDuration::from_secs(10));
    pg.run("ssh node01 systemctl stop kubelet");
    pg.run("kubectl delete pod web");
    pg.advance(SimDuration::from_secs(600));
    assert!(pg.busy(), "still waiting after ten minutes");
    assert_eq!(last_block(&pg).1, None);
    pg.interrupt();
    assert_eq!(
        last_block(&pg),
        (
            "pod \"web\" deleted from default namespace\n^C\n".to_string(),
            Some(130)
        )
    );
    let pods = pg.run("kubectl get pods --no-headers").result.output;
    assert!(pods.contains("Terminating"), "{pods}");
}

#[test]
fn kubectl_rollout_status_follows_in_the_foreground_until_rolled_out_or_ctrl_c() {
    // It prints each new state while the clock runs and ends with status 0 when done.
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("kubectl create deployment web --image=nginx:1.27 --replicas=2");
    pg.run("kubectl rollout status deploy/web");
    assert!(pg.busy(), "rollout status waits for the rollout");
    pg.advance(SimDuration::from_secs(120));
    assert!(!pg.busy());
    let (output, code) = last_block(&pg);
    assert_eq!(code, Some(0));
    assert!(
        output.ends_with("deployment \"web\" successfully rolled out\n"),
        "{output}"
    );
    assert!(output.starts_with("Waiting for deployment"), "{output}");

    // An image that never pulls: still waiting until Ctrl-C, which ends it with 130.
    pg.run("kubectl set image deploy/web nginx=nginx:no-such-tag");
    pg.run("kubectl rollout status deploy/web");
    pg.advance(SimDuration::from_secs(60));
    assert!(pg.busy());
    pg.interrupt();
    let (output, code) = last_block(&pg);
    assert_eq!(code, Some(130));
    assert!(output.ends_with("^C\n"), "{output}");
}

#[test]
fn kubectl_exec_status_is_the_commands_and_runs_at_once_in_the_browser() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("kubectl run web --image=nginx:1.27");
    pg.advance(SimDuration::from_secs(20));
    pg.run("kubectl exec web -- sh -c 'echo out; exit 42'");
    assert!(!pg.busy());
    assert_eq!(
        last_block(&pg),
        (
            "out\ncommand terminated with exit code 42\n".to_string(),
            Some(42)
        )
    );
    assert_eq!(status(&mut pg), "42\n");
}
