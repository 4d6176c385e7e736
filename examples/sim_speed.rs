//! Simulation speed for `make bench`: how long the default cluster takes to boot, and to run
//! an hour of virtual time with a healthy and a crash-looping static pod on each node.

use std::time::Instant;

use kubelet_playground::cluster::Cluster;
use kubelet_playground::node::fs::WriteMode;
use kubelet_playground::sim::SimDuration;

const WEB: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n";
const CRASHER: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crasher\nspec:\n  containers:\n  - name: crasher\n    image: busybox\n    command: [\"sh\", \"-c\", \"sleep 3; exit 1\"]\n";

fn main() -> Result<(), String> {
    let started = Instant::now();
    let mut cluster = Cluster::boot_default(1)?;
    let boot = started.elapsed();
    for host in 0..cluster.hosts().len() {
        let now = cluster.now();
        let fs = &mut cluster.node_mut(host).fs;
        for (name, text) in [("web", WEB), ("crasher", CRASHER)] {
            let path = format!("/etc/kubernetes/manifests/{name}.yaml");
            fs.write(now, &path, text.as_bytes(), WriteMode::Truncate)
                .map_err(|e| e.to_string())?;
        }
    }
    cluster.settle();
    let started = Instant::now();
    cluster.advance(SimDuration::from_mins(60));
    let hour = started.elapsed();
    println!(
        "sim    boot of the default cluster (20 s virtual)        {:>9.1} ms",
        boot.as_secs_f64() * 1000.0
    );
    println!(
        "sim    1 h virtual, 2 nodes, 4 static pods, crash loops  {:>9.1} ms  ({} trace records)",
        hour.as_secs_f64() * 1000.0,
        cluster.trace().len()
    );
    Ok(())
}
