//! A stored object that does not decode (etcd's "corrupt object") is never skipped in
//! silence: every read of it fails as the real API server fails it (a 500 carrying the
//! decoder's message, `Error from server: ...` in kubectl), and the trace says which object.

use kubelet_playground::apiserver::store::{ObjectKey, Resource};
use kubelet_playground::playground::Playground;
use kubelet_playground::sim::trace::Event;
use kubelet_playground::sim::SimDuration;
use serde_json::json;

const DECODE_ERROR: &str = "invalid type: string \"oops\", expected a sequence";

fn corrupted() -> Playground {
    let mut pg = Playground::new(5).unwrap();
    pg.advance(SimDuration::from_secs(20));
    let key = ObjectKey::new(Resource::Pods, "default", "bad");
    pg.cluster_mut().api_mut().store_mut().put(
        key,
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "bad", "namespace": "default", "uid": "u-bad"},
               "spec": {"containers": "oops"}}),
    );
    pg
}

#[test]
fn kubectl_reads_of_a_corrupt_pod_fail_with_the_decoders_message() {
    let mut pg = corrupted();
    for command in [
        "kubectl get pods",
        "kubectl get pods -A",
        "kubectl get pod bad",
    ] {
        let ran = pg.run(command);
        assert_eq!(ran.result.exit_code, 1, "{command}");
        assert_eq!(
            ran.result.output,
            format!("Error from server: {DECODE_ERROR}\n"),
            "{command}"
        );
    }
    // Other kinds still list.
    let nodes = pg.run("kubectl get nodes --no-headers");
    assert_eq!(nodes.result.exit_code, 0);
    assert_eq!(nodes.result.output.lines().count(), 2);
}

#[test]
fn a_corrupt_object_is_recorded_in_the_trace_once() {
    let mut pg = corrupted();
    pg.run("kubectl get pods");
    pg.run("kubectl get pods");
    pg.advance(SimDuration::from_secs(60));
    let faults: Vec<(String, &str, String, String)> = pg
        .cluster()
        .trace()
        .records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::StoreFault {
                operation,
                key,
                error,
            } => Some((r.host.to_string(), *operation, key.clone(), error.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        faults,
        [(
            "controlplane".to_string(),
            "decode",
            "/pods/default/bad".to_string(),
            DECODE_ERROR.to_string()
        )]
    );
}

#[test]
fn the_cluster_runs_on_around_a_corrupt_object_and_recovers_once_it_is_gone() {
    let mut pg = corrupted();
    pg.advance(SimDuration::from_secs(300));
    let key = ObjectKey::new(Resource::Pods, "default", "bad");
    pg.cluster_mut().api_mut().store_mut().remove(&key);
    pg.advance(SimDuration::from_secs(5));
    let ran = pg.run("kubectl get pods -A --no-headers");
    assert_eq!(ran.result.exit_code, 0, "{}", ran.result.output);
    let running = ran
        .result
        .output
        .lines()
        .filter(|l| l.contains("Running"))
        .count();
    assert!(running >= 6, "{}", ran.result.output);
}
