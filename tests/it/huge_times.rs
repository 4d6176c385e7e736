//! Absurd spans of time typed or written by a learner: every path saturates (or is refused as
//! the real tool refuses it) instead of overflowing, and the cluster goes on.

use kubelet_playground::playground::Playground;
use kubelet_playground::sim::SimDuration;

const I64_MAX: &str = "9223372036854775807";
const MANIFESTS: &str = "/etc/kubernetes/manifests";

fn manifest(name: &str, extra_spec: &str, command: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{extra_spec}  containers:\n  - name: {name}\n    image: busybox\n    command: {command}\n"
    )
}

fn started(name: &str, extra_spec: &str, command: &str) -> Playground {
    let mut pg = Playground::new(7).unwrap();
    pg.save_file(
        "controlplane",
        &format!("{MANIFESTS}/{name}.yaml"),
        &manifest(name, extra_spec, command),
    )
    .unwrap();
    pg.advance(SimDuration::from_secs(30));
    let ps = pg.run(&format!("crictl ps --name {name} -q"));
    assert_eq!(ps.result.exit_code, 0);
    assert!(!ps.result.output.trim().is_empty(), "{name} is not running");
    pg
}

fn container_state(pg: &mut Playground, name: &str) -> String {
    let ran = pg.run(&format!("crictl ps -a --name {name} -o json"));
    assert_eq!(ran.result.exit_code, 0, "{}", ran.result.output);
    let v: serde_json::Value = serde_json::from_str(&ran.result.output).unwrap();
    v["containers"][0]["state"]
        .as_str()
        .unwrap_or("none")
        .to_string()
}

#[test]
fn a_container_sleeping_for_ages_keeps_running() {
    // Two operands of about 317,000 years each: their sum is past the end of virtual time.
    let mut pg = started(
        "dreamer",
        "",
        "[\"sleep\", \"9999999999999\", \"18446744073709551\"]",
    );
    pg.advance(SimDuration::from_secs(3600));
    assert_eq!(container_state(&mut pg, "dreamer"), "CONTAINER_RUNNING");
    let date = pg.run("date");
    assert_eq!(date.result.exit_code, 0);
}

#[test]
fn a_huge_termination_grace_period_waits_as_long_as_the_container_takes() {
    // The container ignores SIGTERM, so only the grace period could end it.
    let spec = format!("  terminationGracePeriodSeconds: {I64_MAX}\n");
    let mut pg = started(
        "stubborn",
        &spec,
        "[\"sh\", \"-c\", \"trap '' TERM; while true; do sleep 1; done\"]",
    );
    let rm = pg.run(&format!("rm {MANIFESTS}/stubborn.yaml"));
    assert_eq!(rm.result.exit_code, 0);
    pg.advance(SimDuration::from_secs(3600));
    assert_eq!(container_state(&mut pg, "stubborn"), "CONTAINER_RUNNING");
    assert_eq!(pg.run("kubectl get nodes").result.exit_code, 0);
}

#[test]
fn kubectl_delete_with_a_huge_grace_period_is_accepted() {
    let mut pg = started("web", "", "[\"sleep\", \"infinity\"]");
    let deleted = pg.run(&format!(
        "kubectl delete pod web-controlplane --grace-period={I64_MAX} --wait=false"
    ));
    assert_eq!(deleted.result.exit_code, 0, "{}", deleted.result.output);
    assert!(deleted
        .result
        .output
        .contains("pod \"web-controlplane\" deleted"));
    pg.advance(SimDuration::from_secs(60));
    // The kubelet recreates the mirror of a static pod whatever the grace period said.
    let get = pg.run("kubectl get pod web-controlplane -o name");
    assert_eq!(get.result.output.trim(), "pod/web-controlplane");
}

#[test]
fn crictl_stop_with_a_huge_timeout_leaves_a_container_that_ignores_sigterm_running() {
    let mut pg = started(
        "stubborn",
        "",
        "[\"sh\", \"-c\", \"trap '' TERM; while true; do sleep 1; done\"]",
    );
    let id = pg.run("crictl ps --name stubborn -q").result.output;
    let stop = pg.run(&format!("crictl stop --timeout {I64_MAX} {}", id.trim()));
    assert_eq!(stop.result.exit_code, 0, "{}", stop.result.output);
    // The runtime sent SIGTERM and waits out the timeout before SIGKILL: far beyond the hour.
    pg.advance(SimDuration::from_secs(3600));
    assert_eq!(container_state(&mut pg, "stubborn"), "CONTAINER_RUNNING");
}

#[test]
fn sleep_1e300_at_the_terminal_fast_forwards_at_most_a_day_and_stops_on_ctrl_c() {
    let mut pg = Playground::interactive(7).unwrap();
    let ran = pg.run("sleep 1e300");
    assert_eq!(ran.result.exit_code, 0);
    let ff = pg.fast_forward().expect("the sleep fast-forwards");
    assert_eq!(ff.total_ms, 86_400_000);
    pg.advance(SimDuration::from_secs(90));
    pg.interrupt();
    assert!(pg.fast_forward().is_none());
    assert_eq!(pg.run("echo $?").result.output, "130\n");
}
