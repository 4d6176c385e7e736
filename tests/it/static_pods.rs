//! Scenario tests of the node coming alive, on the booted default cluster: static
//! pods and their mirrors, restarts, back-off, the control plane as static pods, and kubelet
//! restarts. Upstream `kubelet_test.go` cases G1, G2, G4 and G6 are covered here end to end.

use k8s_openapi::api::core::v1 as corev1;
use kubelet_playground::apiserver::deletion::{delete_pod, DeleteOptions};
use kubelet_playground::apiserver::store::Resource;
use kubelet_playground::cluster::Cluster;
use kubelet_playground::node::cri::{ContainerState, Cri};
use kubelet_playground::node::fs::WriteMode;
use kubelet_playground::sim::{SimDuration, SimTime};

const CP: usize = 0;
const WORKER: usize = 1;
const MANIFESTS: &str = "/etc/kubernetes/manifests";

fn booted() -> Cluster {
    Cluster::boot_default(1).expect("the default cluster boots")
}

/// The booted cluster with `web` (nginx) running as a static pod on the control plane and its
/// mirror Running.
fn booted_with_web() -> Cluster {
    let mut c = booted();
    write(
        &mut c,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        &web_manifest("nginx"),
    );
    wait(&mut c, 60, "the mirror", |c| {
        mirror_running(c, "web-controlplane")
    });
    c
}

fn write(cluster: &mut Cluster, host: usize, path: &str, text: &str) {
    let now = cluster.now();
    cluster
        .node_mut(host)
        .fs
        .write(now, path, text.as_bytes(), WriteMode::Truncate)
        .unwrap();
    cluster.settle();
}

fn mv(cluster: &mut Cluster, host: usize, from: &str, to: &str) {
    let now = cluster.now();
    cluster.node_mut(host).fs.rename(now, from, to).unwrap();
    cluster.settle();
}

fn web_manifest(image: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: web\n    image: {image}\n"
    )
}

fn crasher_manifest() -> &'static str {
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crasher\nspec:\n  containers:\n  - name: crasher\n    image: busybox\n    command: [\"sh\", \"-c\", \"echo starting; sleep 1; exit 1\"]\n"
}

fn pod(cluster: &Cluster, namespace: &str, name: &str) -> Option<corev1::Pod> {
    cluster
        .api()
        .store()
        .get(&kubelet_playground::apiserver::store::ObjectKey::new(
            Resource::Pods,
            namespace,
            name,
        ))
        .expect("stored pods decode")
}

fn phase(pod: &corev1::Pod) -> String {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default()
}

fn restart_count(pod: &corev1::Pod) -> i32 {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|cs| cs.first())
        .map_or(-1, |c| c.restart_count)
}

fn uid(pod: &corev1::Pod) -> String {
    pod.metadata.uid.clone().unwrap_or_default()
}

/// The runtime's containers named `name` on `host`, oldest first.
fn containers(
    cluster: &Cluster,
    host: usize,
    name: &str,
) -> Vec<(String, ContainerState, u32, SimTime, Option<SimTime>)> {
    let mut out: Vec<_> = cluster
        .host(host)
        .node
        .runtime
        .containers()
        .filter(|c| c.config.name == name)
        .map(|c| {
            (
                c.id.to_string(),
                c.state,
                c.config.attempt,
                c.created_at,
                c.started_at,
            )
        })
        .collect();
    out.sort_by_key(|c| (c.3, c.2));
    out
}

fn running(cluster: &Cluster, host: usize, name: &str) -> Option<String> {
    containers(cluster, host, name)
        .into_iter()
        .find(|c| c.1 == ContainerState::Running)
        .map(|c| c.0)
}

fn wait(cluster: &mut Cluster, secs: u64, what: &str, mut done: impl FnMut(&Cluster) -> bool) {
    let limit = cluster.now() + SimDuration::from_secs(secs);
    assert!(
        cluster.run_while(limit, &mut done),
        "timed out after {secs} s waiting for {what}"
    );
}

/// Runs up to `secs` until the `crasher` container on the control plane has started `count`
/// attempts; each attempt's (start, finish), noted while it is still there since container GC
/// keeps only the newest dead container.
fn attempts_over(c: &mut Cluster, secs: u64, count: usize) -> Vec<(SimTime, Option<SimTime>)> {
    let mut seen = std::collections::BTreeMap::new();
    wait(c, secs, &format!("{count} attempts"), |c| {
        for run in c.host(CP).node.runtime.containers() {
            if run.config.name == "crasher" {
                if let Some(started) = run.started_at {
                    seen.insert(run.config.attempt, (started, run.finished_at));
                }
            }
        }
        seen.len() >= count
    });
    seen.into_values().collect()
}

fn mirror_running(cluster: &Cluster, name: &str) -> bool {
    pod(cluster, "default", name).is_some_and(|p| phase(&p) == "Running")
}

#[test]
fn a_dropped_manifest_starts_a_pod_and_its_mirror_on_each_node() {
    let mut c = booted();
    write(
        &mut c,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        &web_manifest("nginx"),
    );
    write(
        &mut c,
        WORKER,
        &format!("{MANIFESTS}/web.yaml"),
        &web_manifest("nginx"),
    );
    wait(&mut c, 60, "both mirrors Running", |c| {
        mirror_running(c, "web-controlplane") && mirror_running(c, "web-node01")
    });
    let mirror = pod(&c, "default", "web-node01").unwrap();
    let annotations = mirror.metadata.annotations.clone().unwrap_or_default();
    assert!(annotations.contains_key("kubernetes.io/config.mirror"));
    assert_eq!(
        annotations
            .get("kubernetes.io/config.source")
            .map(String::as_str),
        Some("file")
    );
    let owner = &mirror.metadata.owner_references.clone().unwrap()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str()),
        ("Node", "node01")
    );
    assert_eq!(mirror.spec.unwrap().node_name.as_deref(), Some("node01"));
    assert!(running(&c, WORKER, "web").is_some());
}

#[test]
fn deleting_the_mirror_recreates_it_and_leaves_the_container_alone() {
    let mut c = booted_with_web();
    let before = pod(&c, "default", "web-controlplane").unwrap();
    let container = running(&c, CP, "web").unwrap();
    let now = c.now();
    delete_pod(
        now,
        c.api_mut(),
        "default",
        "web-controlplane",
        &DeleteOptions::default(),
    )
    .unwrap();
    c.settle();
    wait(&mut c, 30, "a new mirror", |c| {
        pod(c, "default", "web-controlplane")
            .is_some_and(|p| uid(&p) != uid(&before) && phase(&p) == "Running")
    });
    let after = pod(&c, "default", "web-controlplane").unwrap();
    assert_eq!(restart_count(&after), restart_count(&before));
    assert_eq!(
        running(&c, CP, "web").as_deref(),
        Some(container.as_str()),
        "the container kept running"
    );
    assert!(after.metadata.creation_timestamp > before.metadata.creation_timestamp);
}

#[test]
fn a_force_deleted_mirror_is_recreated_at_the_next_sync() {
    let mut c = booted_with_web();
    let old = uid(&pod(&c, "default", "web-controlplane").unwrap());
    let now = c.now();
    let force = DeleteOptions {
        grace_period_seconds: Some(0),
        precondition_uid: None,
    };
    delete_pod(now, c.api_mut(), "default", "web-controlplane", &force).unwrap();
    assert!(pod(&c, "default", "web-controlplane").is_none());
    // HandlePodRemoves hands the static pod's worker the removed mirror, which still matches,
    // so nothing happens until the worker's next resync (60–90 s): unlike a graceful delete,
    // whose deletionTimestamp makes the very next sync replace it.
    c.advance(SimDuration::from_secs(5));
    assert!(pod(&c, "default", "web-controlplane").is_none());
    wait(&mut c, 90, "the mirror back", |c| {
        pod(c, "default", "web-controlplane").is_some_and(|p| uid(&p) != old)
    });
}

#[test]
fn a_stopped_container_is_restarted_with_the_next_attempt() {
    let mut c = booted_with_web();
    let first = running(&c, CP, "web").unwrap();
    let now = c.now();
    // `crictl stop` asks for a zero timeout: SIGKILL.
    c.node_mut(CP)
        .runtime
        .stop_container(now, &first, SimDuration::ZERO)
        .unwrap();
    c.settle();
    wait(&mut c, 10, "a new container", |c| {
        running(c, CP, "web").is_some_and(|id| id != first)
    });
    let attempts: Vec<u32> = containers(&c, CP, "web").iter().map(|c| c.2).collect();
    assert_eq!(attempts, vec![0, 1]);
    let stopped = c.host(CP).node.runtime.container(&first).unwrap();
    assert_eq!(stopped.exit_code, 137);
    wait(&mut c, 15, "RESTARTS 1 in the mirror", |c| {
        pod(c, "default", "web-controlplane").is_some_and(|p| restart_count(&p) == 1)
    });
}

#[test]
fn moving_the_manifest_out_kills_the_pod_and_moving_it_back_starts_it() {
    let mut c = booted_with_web();
    let first = running(&c, CP, "web").unwrap();
    mv(
        &mut c,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        "/root/web.yaml",
    );
    wait(&mut c, 60, "the pod gone", |c| {
        running(c, CP, "web").is_none() && pod(c, "default", "web-controlplane").is_none()
    });
    mv(
        &mut c,
        CP,
        "/root/web.yaml",
        &format!("{MANIFESTS}/web.yaml"),
    );
    wait(&mut c, 60, "the pod back", |c| {
        mirror_running(c, "web-controlplane") && running(c, CP, "web").is_some_and(|id| id != first)
    });
}

#[test]
fn an_edited_manifest_replaces_the_pod() {
    let mut c = booted_with_web();
    let old_uid = uid(&pod(&c, "default", "web-controlplane").unwrap());
    write(
        &mut c,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        &web_manifest("httpd"),
    );
    wait(&mut c, 90, "the new pod", |c| {
        pod(c, "default", "web-controlplane").is_some_and(|p| {
            uid(&p) != old_uid
                && phase(&p) == "Running"
                && p.spec.as_ref().unwrap().containers[0].image.as_deref() == Some("httpd")
        })
    });
    let states: Vec<ContainerState> = containers(&c, CP, "web").iter().map(|c| c.1).collect();
    assert_eq!(
        states
            .iter()
            .filter(|s| **s == ContainerState::Running)
            .count(),
        1
    );
}

#[test]
fn a_crash_looping_container_backs_off_ten_seconds_doubling() {
    let mut c = booted();
    write(
        &mut c,
        CP,
        &format!("{MANIFESTS}/crasher.yaml"),
        crasher_manifest(),
    );
    let runs = attempts_over(&mut c, 900, 8);
    let delays: Vec<u64> = runs
        .windows(2)
        .map(|w| {
            let done = w[0].1.expect("earlier attempts finished");
            w[1].0.since(done).as_millis() / 1000
        })
        .collect();
    // First restart at once, then 10 s doubling to 300 s. A sync refused for back-off is
    // retried by the pod worker after 10 s plus up to 50 % jitter (`backOffPeriod`), so a
    // restart lands up to ~16 s after its window opens, as on a real node.
    let expected = [0, 10, 20, 40, 80, 160, 300];
    assert_eq!(delays.len(), expected.len());
    for (got, want) in delays.iter().zip(expected) {
        assert!(
            *got >= want && *got <= want + 16,
            "restart delays {delays:?} should follow {expected:?}"
        );
    }
    let mirror = pod(&c, "default", "crasher-controlplane").unwrap();
    let waiting = mirror.status.unwrap().container_statuses.unwrap()[0]
        .state
        .clone()
        .unwrap()
        .waiting;
    if let Some(w) = waiting {
        assert_eq!(w.reason.as_deref(), Some("CrashLoopBackOff"));
    }
}

#[test]
fn the_api_server_is_its_static_pod() {
    let mut c = booted();
    assert!(c.api().serving());
    let etcd = running(&c, CP, "etcd").unwrap();
    let apiserver = "kube-apiserver.yaml";
    mv(
        &mut c,
        CP,
        &format!("{MANIFESTS}/{apiserver}"),
        &format!("/root/{apiserver}"),
    );
    wait(&mut c, 60, "the API server down", |c| !c.api().serving());
    // Static pods keep running without the API server.
    c.advance(SimDuration::from_secs(30));
    assert_eq!(running(&c, CP, "etcd").as_deref(), Some(etcd.as_str()));
    assert!(running(&c, CP, "kube-apiserver").is_none());
    mv(
        &mut c,
        CP,
        &format!("/root/{apiserver}"),
        &format!("{MANIFESTS}/{apiserver}"),
    );
    wait(&mut c, 60, "the API server back", |c| c.api().serving());
    wait(&mut c, 60, "its mirror Running", |c| {
        pod(c, "kube-system", "kube-apiserver-controlplane").is_some_and(|p| phase(&p) == "Running")
    });
}

#[test]
fn a_broken_apiserver_flag_makes_it_crash_loop() {
    let mut c = booted();
    let path = format!("{MANIFESTS}/kube-apiserver.yaml");
    let text = c.host(CP).node.fs.read_to_string(&path).unwrap();
    let broken = text.replace("--secure-port=6443", "--secure-prot=6443");
    write(&mut c, CP, &path, &broken);
    // Container GC keeps only the newest dead container, so the attempt number tells.
    wait(&mut c, 120, "three failed attempts", |c| {
        containers(c, CP, "kube-apiserver")
            .iter()
            .any(|x| x.1 == ContainerState::Exited && x.2 >= 2)
    });
    assert!(!c.api().serving());
    let failed = containers(&c, CP, "kube-apiserver")
        .into_iter()
        .rfind(|x| x.1 == ContainerState::Exited)
        .unwrap()
        .0;
    let log_path = c
        .host(CP)
        .node
        .runtime
        .log_path(&failed)
        .unwrap()
        .to_string();
    wait(&mut c, 10, "the log written", |c| {
        c.host(CP).node.fs.exists(&log_path)
    });
    let log = c.host(CP).node.fs.read_to_string(&log_path).unwrap();
    assert!(
        log.contains("stderr F Error: unknown flag: --secure-prot"),
        "{log}"
    );
    write(&mut c, CP, &path, &text);
    wait(&mut c, 400, "the API server back", |c| c.api().serving());
}

#[test]
fn static_pod_path_changes_take_effect_only_after_a_kubelet_restart() {
    let mut c = booted();
    let config = "/var/lib/kubelet/config.yaml";
    let text = c.host(WORKER).node.fs.read_to_string(config).unwrap();
    let now = c.now();
    c.node_mut(WORKER)
        .fs
        .mkdir_all(now, "/opt/manifests")
        .unwrap();
    write(
        &mut c,
        WORKER,
        "/opt/manifests/web.yaml",
        &web_manifest("nginx"),
    );
    write(
        &mut c,
        WORKER,
        config,
        &text.replace(
            "staticPodPath: /etc/kubernetes/manifests",
            "staticPodPath: /opt/manifests",
        ),
    );
    c.advance(SimDuration::from_secs(60));
    assert!(
        pod(&c, "default", "web-node01").is_none(),
        "no effect before a restart"
    );
    c.unit_restart(WORKER, "kubelet.service").unwrap();
    wait(&mut c, 60, "the pod from the new path", |c| {
        mirror_running(c, "web-node01")
    });
}

#[test]
fn a_restarted_kubelet_adopts_running_containers_and_cleans_up_removed_pods() {
    let mut c = booted();
    write(
        &mut c,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        &web_manifest("nginx"),
    );
    write(
        &mut c,
        CP,
        &format!("{MANIFESTS}/old.yaml"),
        &web_manifest("nginx").replace("name: web\n  namespace", "name: old\n  namespace"),
    );
    wait(&mut c, 60, "both mirrors", |c| {
        mirror_running(c, "web-controlplane") && mirror_running(c, "old-controlplane")
    });
    let web = running(&c, CP, "web").unwrap();
    let scheduler = running(&c, CP, "kube-scheduler").unwrap();
    c.unit_stop(CP, "kubelet.service").unwrap();
    let now = c.now();
    c.node_mut(CP)
        .fs
        .remove_file(now, &format!("{MANIFESTS}/old.yaml"))
        .unwrap();
    c.advance(SimDuration::from_secs(20));
    // Containers run on without a kubelet.
    assert_eq!(running(&c, CP, "web").as_deref(), Some(web.as_str()));
    c.unit_start(CP, "kubelet.service").unwrap();
    wait(&mut c, 90, "the removed pod cleaned up", |c| {
        containers(c, CP, "web")
            .iter()
            .filter(|x| x.1 == ContainerState::Running)
            .count()
            == 1
            && !containers(c, CP, "web")
                .iter()
                .any(|x| x.1 == ContainerState::Running && x.0 != web)
            && pod(c, "default", "old-controlplane").is_none()
    });
    assert_eq!(
        running(&c, CP, "web").as_deref(),
        Some(web.as_str()),
        "adopted, not restarted"
    );
    assert_eq!(
        running(&c, CP, "kube-scheduler").as_deref(),
        Some(scheduler.as_str())
    );
}

#[test]
fn an_orphaned_mirror_pod_is_deleted_by_housekeeping() {
    let mut c = booted();
    // A mirror pod whose static pod does not exist on the node (G4).
    let mirror: corev1::Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "ghost-node01", "namespace": "default",
            "annotations": {"kubernetes.io/config.mirror": "abc", "kubernetes.io/config.source": "file",
                "kubernetes.io/config.hash": "abc"}},
        "spec": {"nodeName": "node01", "containers": [{"name": "ghost", "image": "nginx"}]}
    }))
    .unwrap();
    c.requests()
        .create(Resource::Pods, &serde_json::to_value(&mirror).unwrap())
        .unwrap();
    c.settle();
    wait(&mut c, 30, "the orphan deleted", |c| {
        pod(c, "default", "ghost-node01").is_none()
    });
}

#[test]
fn restart_policies_decide_whether_an_exit_restarts() {
    let mut c = booted();
    let manifest = |name: &str, policy: &str, code: i32| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  restartPolicy: {policy}\n  containers:\n  - name: {name}\n    image: busybox\n    command: [\"sh\", \"-c\", \"exit {code}\"]\n"
        )
    };
    write(
        &mut c,
        WORKER,
        &format!("{MANIFESTS}/never.yaml"),
        &manifest("never", "Never", 1),
    );
    write(
        &mut c,
        WORKER,
        &format!("{MANIFESTS}/onfail.yaml"),
        &manifest("onfail", "OnFailure", 0),
    );
    write(
        &mut c,
        WORKER,
        &format!("{MANIFESTS}/always.yaml"),
        &manifest("always", "Always", 0),
    );
    c.advance(SimDuration::from_secs(60));
    let phase_of =
        |c: &Cluster, n: &str| pod(c, "default", &format!("{n}-node01")).map(|p| phase(&p));
    assert_eq!(phase_of(&c, "never").as_deref(), Some("Failed"));
    assert_eq!(phase_of(&c, "onfail").as_deref(), Some("Succeeded"));
    let attempts = |c: &Cluster, n: &str| -> Vec<u32> {
        containers(c, WORKER, n).iter().map(|x| x.2).collect()
    };
    assert_eq!(attempts(&c, "never"), vec![0]);
    assert_eq!(attempts(&c, "onfail"), vec![0]);
    assert!(
        attempts(&c, "always").iter().any(|a| *a >= 2),
        "a clean exit under Always restarts: {:?}",
        attempts(&c, "always")
    );
}

fn waiting_reason(pod: &corev1::Pod) -> Option<String> {
    pod.status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .first()?
        .state
        .as_ref()?
        .waiting
        .as_ref()?
        .reason
        .clone()
}

#[test]
fn an_unknown_image_fails_to_pull_then_backs_off() {
    let mut c = booted();
    write(
        &mut c,
        WORKER,
        &format!("{MANIFESTS}/typo.yaml"),
        &web_manifest("ngnix").replace("name: web\n  namespace", "name: typo\n  namespace"),
    );
    wait(&mut c, 30, "ErrImagePull", |c| {
        pod(c, "default", "typo-node01")
            .is_some_and(|p| waiting_reason(&p).as_deref() == Some("ErrImagePull"))
    });
    wait(&mut c, 30, "ImagePullBackOff", |c| {
        pod(c, "default", "typo-node01")
            .is_some_and(|p| waiting_reason(&p).as_deref() == Some("ImagePullBackOff"))
    });
    let mirror = pod(&c, "default", "typo-node01").unwrap();
    assert_eq!(phase(&mirror), "Pending");
    assert!(containers(&c, WORKER, "web").is_empty());
}

#[test]
fn ten_minutes_of_running_resets_the_back_off() {
    let mut c = booted();
    let manifest = crasher_manifest().replace("sleep 1", "sleep 700");
    write(&mut c, CP, &format!("{MANIFESTS}/crasher.yaml"), &manifest);
    let runs = attempts_over(&mut c, 1600, 3);
    // Each exit comes more than 600 s after the last back-off update, so the entry has
    // expired and the restart is immediate every time.
    for pair in runs.windows(2) {
        let delay = pair[1].0.since(pair[0].1.unwrap()).as_millis();
        assert!(delay <= 2_000, "restart after {delay} ms, runs {runs:?}");
    }
}

// A worker joined after boot (the scaling benchmark's way to grow the cluster) registers, runs
// its static pods with addresses from its own subnet, and names and addresses stay unique.
#[test]
fn a_joined_worker_registers_and_runs_static_pods() {
    let mut c = booted();
    let host = c.join_worker("node02", "172.30.3.2").expect("node02 joins");
    assert_eq!(c.host_index("node02"), Some(host));
    assert_eq!(
        c.join_worker("node02", "172.30.9.2").unwrap_err(),
        "a node called node02 exists already"
    );
    assert_eq!(
        c.join_worker("node09", "172.30.3.2").unwrap_err(),
        "the address 172.30.3.2 is taken"
    );
    write(
        &mut c,
        host,
        &format!("{MANIFESTS}/web.yaml"),
        &web_manifest("nginx"),
    );
    wait(&mut c, 120, "the mirror on node02", |c| {
        mirror_running(c, "web-node02")
    });
    let node = c
        .api()
        .store()
        .get::<corev1::Node>(&kubelet_playground::apiserver::store::ObjectKey::new(
            Resource::Nodes,
            "",
            "node02",
        ))
        .expect("stored nodes decode")
        .expect("node02 registered");
    assert_eq!(node.metadata.name.as_deref(), Some("node02"));
    let web = pod(&c, "default", "web-node02").unwrap();
    let ip = web.status.and_then(|s| s.pod_ip).unwrap_or_default();
    // node02's subnet follows its address (node01, 172.30.2.2, has 192.168.1.0/24).
    assert!(ip.starts_with("192.168.2."), "{ip}");
    assert!(pod(&c, "default", "web-node01").is_none());
}
