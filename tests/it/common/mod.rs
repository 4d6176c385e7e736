//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod work;

use k8s_openapi::api::core::v1 as corev1;
use kubelet_playground::cluster::Cluster;
use kubelet_playground::node::fs::WriteMode;
use kubelet_playground::node::Node;
use kubelet_playground::sim::trace::{Event, PodOp, PodRef, Record};
use kubelet_playground::sim::SimDuration;

/// Upstream's `SimplePod` manifest (file_test.go), as YAML.
pub const SIMPLE_POD: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: test
  uid: "12345"
  namespace: mynamespace
spec:
  containers:
  - name: image
    image: test/image
    securityContext:
      privileged: false
  securityContext: {}
  schedulerName: default-scheduler
status:
  phase: Pending
"#;

/// The node name upstream's file tests use.
pub const TEST_HOSTNAME: &str = "random-test-hostname";

/// A one-node world whose node is called `hostname`, with directories made.
pub fn one_node(hostname: &str, dirs: &[&str]) -> Cluster {
    let mut cluster = Cluster::new(1, "172.30.1.2:6443");
    let mut node = Node::new(hostname, "172.30.1.2");
    for dir in dirs {
        node.fs.mkdir_all(cluster.now(), dir).unwrap();
    }
    cluster.add_node(node);
    cluster
}

/// Writes a file on host 0 at the current time.
pub fn write(cluster: &mut Cluster, path: &str, text: &str) {
    let now = cluster.now();
    cluster
        .node_mut(0)
        .fs
        .write(now, path, text.as_bytes(), WriteMode::Truncate)
        .unwrap();
}

/// Starts a standalone kubelet on host 0 with the given flags.
pub fn start_kubelet(cluster: &mut Cluster, flags: &str) {
    let args: Vec<String> = flags.split_whitespace().map(str::to_string).collect();
    cluster.start_kubelet(0, &args).unwrap();
}

/// The pods of every SET `source` sent to the mux from trace index `from` on.
pub fn sets_from(cluster: &Cluster, source: &str, from: usize) -> Vec<Vec<PodRef>> {
    cluster
        .trace()
        .since(from)
        .iter()
        .filter_map(|r: &Record| match &r.event {
            Event::SourceSent {
                source: s,
                op: PodOp::Set,
                pods,
            } if s == source => Some(pods.clone()),
            _ => None,
        })
        .collect()
}

/// `namespace/name` of each pod, for compact assertions.
pub fn names(pods: &[PodRef]) -> Vec<String> {
    pods.iter().map(ToString::to_string).collect()
}

/// Advances `cluster` in small steps until `done` holds, for at most `limit`.
pub fn run_until(
    cluster: &mut Cluster,
    limit: SimDuration,
    mut done: impl FnMut(&Cluster) -> bool,
) -> bool {
    let deadline = cluster.now() + limit;
    while cluster.now() < deadline {
        cluster.advance(SimDuration::from_millis(50));
        if done(cluster) {
            return true;
        }
    }
    false
}

/// The pod as a sorted JSON value without the kubelet's local annotations.
pub fn without_local_annotations(pod: &corev1::Pod) -> serde_json::Value {
    let mut value = serde_json::to_value(pod).unwrap();
    if let Some(annotations) = value
        .pointer_mut("/metadata/annotations")
        .and_then(serde_json::Value::as_object_mut)
    {
        annotations.remove("kubernetes.io/config.source");
        annotations.remove("kubernetes.io/config.seen");
    }
    value
}
