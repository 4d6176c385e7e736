//! The benchmark scenarios, shared by `examples/sim_bench.rs` (native) and `tests/bench_wasm.rs`
//! (the same runs inside headless Chromium), so both time exactly the same work.
//!
//! Every scenario starts from the booted default cluster with seed 1, writes static pod
//! manifests, lets the world react (`settle`), and is then advanced by virtual time.

use kubelet_playground::cluster::Cluster;
use kubelet_playground::node::fs::WriteMode;

/// The kubelet's default `maxPods`: the most static pods one node runs.
pub const PODS_PER_NODE: usize = 110;
/// Of every 110 pods, how many crash-loop (the rest serve nginx).
pub const CRASHERS_PER_NODE: usize = 10;

/// A healthy static pod.
fn web(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n"
    )
}

/// A static pod whose container exits with an error after three seconds, forever.
fn crasher(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: crasher\n    image: busybox\n    command: [\"sh\", \"-c\", \"echo starting; sleep 3; exit 1\"]\n"
    )
}

/// Writes `pods` static pod manifests on host `host` (every eleventh crash-loops), named
/// `<prefix>-NNN`.
pub fn add_static_pods(cluster: &mut Cluster, host: usize, prefix: &str, pods: usize) {
    let now = cluster.now();
    let fs = &mut cluster.node_mut(host).fs;
    for i in 0..pods {
        let crashes =
            i % (PODS_PER_NODE / CRASHERS_PER_NODE) == PODS_PER_NODE / CRASHERS_PER_NODE - 1;
        let name = format!("{prefix}-{i:03}");
        let text = if crashes { crasher(&name) } else { web(&name) };
        let path = format!("/etc/kubernetes/manifests/{name}.yaml");
        fs.write(now, &path, text.as_bytes(), WriteMode::Truncate)
            .expect("the manifest directory exists on every node");
    }
}

/// One static pod of `containers` sleeping busybox containers (the hostile-input case of a
/// pod that a learner pastes with a thousand containers).
pub fn wide_pod(containers: usize) -> String {
    let mut text =
        String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: wide\nspec:\n  containers:\n");
    for i in 0..containers {
        text.push_str(&format!(
            "  - name: c{i}\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n"
        ));
    }
    text
}

/// The booted default cluster.
pub fn default_cluster() -> Cluster {
    Cluster::boot_default(1).expect("the default cluster boots")
}

/// The default cluster with 110 static pods on controlplane, 10 of them crash-looping.
pub fn cluster_with_110_pods() -> Cluster {
    let mut cluster = default_cluster();
    add_static_pods(&mut cluster, 0, "load", PODS_PER_NODE);
    cluster.settle();
    cluster
}

/// The default cluster grown to `nodes` nodes (workers `node02`... joined as kubeadm would),
/// run until the new kubelets have registered, with 110 static pods on every node (a tenth of
/// them crash-looping): the scaling scenario. Ten nodes hold 1,100 pods within the kubelet's
/// default `maxPods` and each node's /24 of pod addresses.
pub fn cluster_with_pods_per_node(nodes: usize) -> Cluster {
    let mut cluster = default_cluster();
    for n in 2..nodes {
        cluster
            .join_worker(&format!("node{n:02}"), &format!("172.30.{}.2", n + 1))
            .expect("the worker joins");
    }
    cluster.advance(kubelet_playground::sim::SimDuration::from_secs(60));
    for host in 0..cluster.hosts().len() {
        add_static_pods(&mut cluster, host, "load", PODS_PER_NODE);
    }
    cluster.settle();
    cluster
}

/// The default cluster with one crash-looping static pod on controlplane: the day scenario.
pub fn cluster_with_one_crasher() -> Cluster {
    let mut cluster = default_cluster();
    let now = cluster.now();
    cluster
        .node_mut(0)
        .fs
        .write(
            now,
            "/etc/kubernetes/manifests/crasher.yaml",
            crasher("crasher").as_bytes(),
            WriteMode::Truncate,
        )
        .expect("the manifest directory exists");
    cluster.settle();
    cluster
}
