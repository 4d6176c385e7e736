//! `kubectl cordon`, `drain` and `wait` driven as the browser drives them: they wait in the
//! terminal's foreground while virtual time runs, and a drain leaves static pods running.

use kubelet_playground::playground::Playground;
use kubelet_playground::sim::SimDuration;

/// A Deployment whose container ignores SIGTERM, so its pod takes the whole grace period.
const SLOW: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: slow
spec:
  replicas: 1
  selector:
    matchLabels:
      app: slow
  template:
    metadata:
      labels:
        app: slow
    spec:
      terminationGracePeriodSeconds: 20
      nodeSelector:
        kubernetes.io/hostname: node01
      containers:
      - name: slow
        image: busybox:1.36
        command: [\"sh\", \"-c\", \"trap '' TERM; while true; do sleep 1; done\"]
";

const STATIC: &str = "apiVersion: v1
kind: Pod
metadata:
  name: static-web
spec:
  containers:
  - name: web
    image: nginx:1.27
";

#[test]
fn a_drain_waits_in_the_foreground_and_leaves_static_pods_running() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.save_file("controlplane", "/root/slow.yaml", SLOW)
        .unwrap();
    pg.save_file(
        "node01",
        "/etc/kubernetes/manifests/static-web.yaml",
        STATIC,
    )
    .unwrap();
    assert_eq!(pg.run("kubectl apply -f slow.yaml").result.exit_code, 0);
    pg.advance(SimDuration::from_secs(20));

    let ran = pg.run("kubectl drain node01 --ignore-daemonsets");
    assert!(pg.busy(), "the drain waits for the slow pod");
    let first = ran.result.output;
    assert!(first.starts_with("node/node01 cordoned\nWarning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-"), "{first}");
    assert!(first.contains("evicting pod default/slow-"), "{first}");
    assert!(
        !first.contains("static-web"),
        "mirror pods are skipped: {first}"
    );
    assert!(!first.contains("drained"), "{first}");

    pg.advance(SimDuration::from_secs(10));
    assert!(pg.busy(), "still inside the grace period");
    pg.advance(SimDuration::from_secs(15));
    assert!(!pg.busy(), "the pod is gone after its grace period");
    let block = pg.scrollback().last().unwrap();
    assert_eq!(block.exit_code, Some(0));
    assert!(
        block.output.contains(" evicted\nnode/node01 drained\n"),
        "{}",
        block.output
    );

    let pods = pg.run("kubectl get pods -A -o wide").result.output;
    let mirror = pods
        .lines()
        .find(|l| l.contains("static-web-node01"))
        .expect("the mirror pod is still there");
    assert!(mirror.contains("Running"), "{mirror}");
    let nodes = pg.run("kubectl get nodes").result.output;
    assert!(nodes.contains("Ready,SchedulingDisabled"), "{nodes}");
}

#[test]
fn ctrl_c_stops_a_waiting_drain() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.save_file("controlplane", "/root/slow.yaml", SLOW)
        .unwrap();
    pg.run("kubectl apply -f slow.yaml");
    pg.advance(SimDuration::from_secs(20));
    pg.run("kubectl drain node01 --ignore-daemonsets");
    assert!(pg.busy());
    pg.interrupt();
    assert!(!pg.busy());
    let block = pg.scrollback().last().unwrap();
    assert_eq!(block.exit_code, Some(130));
    assert!(block.output.ends_with("^C\n"), "{}", block.output);
}

#[test]
fn kubectl_wait_runs_the_clock_in_the_foreground_until_the_condition_holds() {
    let mut pg = Playground::interactive(1).unwrap();
    pg.run("kubectl run web --image=nginx");
    let ran = pg.run("kubectl wait --for=condition=Ready pod/web --timeout=30s");
    assert_eq!(ran.result.output, "");
    assert!(pg.busy(), "the image is still being pulled");
    pg.advance(SimDuration::from_secs(10));
    assert!(!pg.busy());
    let block = pg.scrollback().last().unwrap();
    assert_eq!(block.output, "pod/web condition met\n");
    assert_eq!(block.exit_code, Some(0));

    pg.run("kubectl run bad --image=nginx:nope");
    pg.run("kubectl wait --for=condition=Ready pod/bad --timeout=5s");
    pg.advance(SimDuration::from_secs(4));
    assert!(pg.busy(), "the timeout has not passed yet");
    pg.advance(SimDuration::from_secs(2));
    assert!(!pg.busy());
    let block = pg.scrollback().last().unwrap();
    assert_eq!(
        block.output,
        "error: timed out waiting for the condition on pods/bad\n"
    );
    assert_eq!(block.exit_code, Some(1));
}

#[test]
fn malformed_invocations_of_the_new_subcommands_fail_with_a_message() {
    let mut pg = Playground::new(1).unwrap();
    for line in [
        "kubectl drain",
        "kubectl drain nope",
        "kubectl drain pod/web",
        "kubectl uncordon ''",
        "kubectl taint",
        "kubectl taint nodes node01 =:NoSchedule",
        "kubectl taint nodes node01 a=b:NoSchedule:x",
        "kubectl taint nodes node01 -",
        "kubectl annotate",
        "kubectl patch pod",
        "kubectl patch pod x y z -p '{}'",
        "kubectl patch node node01 --type json -p '[{\"op\":\"move\",\"from\":\"/nope\",\"path\":\"/x\"}]'",
        "kubectl patch node node01 --type json -p '[{\"op\":\"add\",\"path\":\"/spec/taints/99\",\"value\":1}]'",
        "kubectl patch node node01 --type merge -p '[1]'",
        "kubectl wait pod/x",
        "kubectl wait --for=condition= pod/nope --timeout=-1s",
        "kubectl events --for /",
        "kubectl auth can-i",
        "kubectl config use-context",
        "kubectl config frob",
        "kubectl get pods --field-selector ==,",
        "kubectl get pods --sort-by '{'",
        "kubectl get --raw ''",
    ] {
        let ran = pg.run(line).result;
        assert_ne!(ran.exit_code, 0, "{line}: {}", ran.output);
        assert!(
            ran.output.contains("error") || ran.output.contains("Error"),
            "{line}: {}",
            ran.output
        );
    }
}
