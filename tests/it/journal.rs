//! Golden journals: what `journalctl -u kubelet` shows for config-layer scenarios.
//! Refresh with `UPDATE_EXPECT=1 cargo test --test journal` only when the new text is right.

use crate::common::*;
use expect_test::expect;
use kubelet_playground::node::journal::unit_entries;
use kubelet_playground::sim::SimDuration;

fn journal(cluster: &kubelet_playground::cluster::Cluster) -> String {
    let host = &cluster.host(0).node.name;
    unit_entries(cluster.trace(), host, "kubelet.service")
        .into_iter()
        .map(|e| e.text + "\n")
        .collect()
}

#[test]
fn missing_static_pod_path_at_default_verbosity() {
    let mut cluster = one_node("node01", &[]);
    start_kubelet(
        &mut cluster,
        "--pod-manifest-path=/etc/kubernetes/manifests",
    );
    cluster.advance(SimDuration::from_millis(2500));
    expect![[r#"
        Nov 22 08:00:00 node01 kubelet[1000]: Flag --pod-manifest-path has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 server.go:525] "Kubelet version" kubeletVersion="v1.34.1"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 server.go:527] "Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 kubelet.go:412] "Kubelet is running in standalone mode, will skip API server sync"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 kubelet.go:310] "Adding static pod path" path="/etc/kubernetes/manifests"
        Nov 22 08:00:00 node01 kubelet[1000]: E1122 08:00:00.000000    1000 file.go:89] "Unable to read config path" err="path does not exist, ignoring" path="/etc/kubernetes/manifests"
        Nov 22 08:00:00 node01 kubelet[1000]: E1122 08:00:00.000000    1000 file_linux.go:61] "Unable to read config path" err="path does not exist, ignoring" path="/etc/kubernetes/manifests"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 kubelet.go:1665] "No API server defined - no node status update will be sent"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 kubelet.go:2391] "Starting kubelet main sync loop"
        Nov 22 08:00:01 node01 kubelet[1000]: E1122 08:00:01.000000    1000 file_linux.go:61] "Unable to read config path" err="path does not exist, ignoring" path="/etc/kubernetes/manifests"
        Nov 22 08:00:02 node01 kubelet[1000]: E1122 08:00:02.000000    1000 file_linux.go:61] "Unable to read config path" err="path does not exist, ignoring" path="/etc/kubernetes/manifests"
    "#]]
    .assert_eq(&journal(&cluster));
}

#[test]
fn bad_manifest_and_lenient_config_at_v4() {
    let mut cluster = one_node("node01", &["/etc/kubernetes/manifests", "/var/lib/kubelet"]);
    write(
        &mut cluster,
        "/var/lib/kubelet/config.yaml",
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodPath: /etc/kubernetes/manifests\nfileCheckFrequncy: 5s\n",
    );
    write(
        &mut cluster,
        "/etc/kubernetes/manifests/web.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n",
    );
    write(
        &mut cluster,
        "/etc/kubernetes/manifests/.web.yaml.swp",
        "junk",
    );
    start_kubelet(&mut cluster, "--config=/var/lib/kubelet/config.yaml --v=4");
    cluster.settle();
    expect![[r#"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 codec.go:94] "Using lenient decoding as strict decoding failed" err="strict decoding error: unknown field \"fileCheckFrequncy\""
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 server.go:525] "Kubelet version" kubeletVersion="v1.34.1"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 server.go:527] "Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 kubelet.go:412] "Kubelet is running in standalone mode, will skip API server sync"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 kubelet.go:310] "Adding static pod path" path="/etc/kubernetes/manifests"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 file.go:71] "Watching path" path="/etc/kubernetes/manifests"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 file.go:187] "Reading config file" path="/etc/kubernetes/manifests/web.yaml"
        Nov 22 08:00:00 node01 kubelet[1000]: E1122 08:00:00.000000    1000 file.go:170] "Could not process manifest file" err="invalid pod: [spec.containers[0].image: Required value]" path="/etc/kubernetes/manifests/web.yaml"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 config.go:262] "Setting pods for source" source="file"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 kubelet.go:1665] "No API server defined - no node status update will be sent"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 kubelet.go:2391] "Starting kubelet main sync loop"
        Nov 22 08:00:00 node01 kubelet[1000]: I1122 08:00:00.000000    1000 kubelet.go:2424] "SyncLoop ADD" source="file" pods=[]
    "#]]
    .assert_eq(&journal(&cluster));
}
