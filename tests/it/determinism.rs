//! The core is deterministic (ARCHITECTURE.md, "Cross-cutting concerns"): the same seed and
//! the same inputs give the same run, down to every trace record, API object and container id. A learner's replay and a
//! course author's golden transcript both rest on this.

use kubelet_playground::apiserver::deletion::{delete_pod, DeleteOptions};
use kubelet_playground::apiserver::store::Resource;
use kubelet_playground::cluster::Cluster;
use kubelet_playground::node::fs::WriteMode;
use kubelet_playground::sim::SimDuration;

const CRASHER: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crasher\nspec:\n  containers:\n  - name: crasher\n    image: busybox\n    command: [\"sh\", \"-c\", \"echo starting; sleep 3; exit 1\"]\n";

const WEB: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n";

/// Everything observable about a run: the trace, every stored object and the runtimes.
fn fingerprint(cluster: &Cluster) -> String {
    let mut out = format!("now={:?}\n", cluster.now());
    for record in cluster.trace().records() {
        out.push_str(&format!("{record:?}\n"));
    }
    for resource in [Resource::Pods, Resource::Nodes, Resource::Events] {
        for value in cluster.api().store().list_values(resource, None) {
            out.push_str(&format!("{value}\n"));
        }
    }
    for host in cluster.hosts() {
        for container in host.node.runtime.containers() {
            out.push_str(&format!("{container:?}\n"));
        }
    }
    out
}

/// Boots the default cluster, drops a crash-looping and a healthy static pod on both nodes,
/// deletes a mirror pod half-way, and runs `minutes` of virtual time in all.
fn run(seed: u64, minutes: u64) -> String {
    let mut cluster = Cluster::boot_default(seed).expect("the default cluster boots");
    for host in 0..cluster.hosts().len() {
        let now = cluster.now();
        let fs = &mut cluster.node_mut(host).fs;
        fs.write(
            now,
            "/etc/kubernetes/manifests/crasher.yaml",
            CRASHER.as_bytes(),
            WriteMode::Truncate,
        )
        .expect("manifest written");
        fs.write(
            now,
            "/etc/kubernetes/manifests/web.yaml",
            WEB.as_bytes(),
            WriteMode::Truncate,
        )
        .expect("manifest written");
    }
    cluster.settle();
    cluster.advance(SimDuration::from_mins(minutes / 2));
    let now = cluster.now();
    delete_pod(
        now,
        cluster.api_mut(),
        "default",
        "web-controlplane",
        &DeleteOptions::default(),
    )
    .expect("the mirror pod exists and is deleted");
    cluster.settle();
    cluster.advance(SimDuration::from_mins(minutes - minutes / 2));
    fingerprint(&cluster)
}

#[test]
fn the_same_seed_replays_the_same_hour() {
    let first = run(7, 60);
    let second = run(7, 60);
    assert!(
        first.lines().count() > 1000,
        "an hour of a crash loop leaves a long trace"
    );
    if first != second {
        let at = first
            .lines()
            .zip(second.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "runs diverge at line {at}:\n  first:  {:?}\n  second: {:?}",
            first.lines().nth(at),
            second.lines().nth(at)
        );
    }
}

#[test]
fn a_different_seed_gives_different_ids() {
    assert_ne!(run(7, 4), run(8, 4));
}
