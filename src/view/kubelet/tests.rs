//! Snapshots of the diagram and the timeline for the seed scenarios, driven through the
//! playground as the browser drives it.

use expect_test::{expect, Expect};

use crate::lessons::model::Locale;
use crate::playground::Playground;
use crate::sim::SimDuration;
use crate::view::kubelet::diagram::KubeletDiagram;
use crate::view::kubelet::kind::RecordKind;
use crate::view::kubelet::timeline::{TimelineEntry, TimelineFilter, TimelineView};

const MANIFEST: &str = "/etc/kubernetes/manifests/web.yaml";

fn web(image: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: {image}\n"
    )
}

fn rows(view: &TimelineView) -> String {
    let mut out = String::new();
    for entry in &view.entries {
        match entry {
            TimelineEntry::Row(r) => {
                let op = r.op.as_deref().unwrap_or("-");
                let nested = match r.iteration {
                    Some(it) if it != r.id => "  ",
                    _ => "",
                };
                out += &format!(
                    "{nested}{} {} {} {}/{} {op} [{}] {}\n",
                    r.time,
                    r.node,
                    r.kind.id(),
                    r.channel,
                    r.handler,
                    r.pods.join(" "),
                    r.text
                );
            }
            TimelineEntry::Summary(s) => {
                out += &format!("{}..{} {} {}\n", s.from, s.to, s.node, s.text)
            }
        }
    }
    out
}

fn diagram(d: &KubeletDiagram) -> String {
    let mut out = format!("node {} pid {:?}\n", d.node, d.pid);
    if let Some(file) = &d.file_source {
        out += &format!("file source {} {:?}\n", file.path, file.files);
    }
    if let Some(http) = &d.http_source {
        out += &format!("http source {} {:?}\n", http.url, http.last_fetch);
    }
    if let Some(api) = &d.api_source {
        out += &format!("api source {}\n", api.words(Locale::En));
    }
    for (source, pods) in &d.mux {
        out += &format!("mux {source}: {pods:?}\n");
    }
    for w in &d.workers {
        out += &format!("worker {} {}\n", w.pod, w.state.words(Locale::En));
    }
    for s in &d.sandboxes {
        out += &format!(
            "sandbox {} attempt {} ready {}\n",
            s.pod, s.attempt, s.ready
        );
    }
    for c in &d.containers {
        out += &format!(
            "container {} {} {} attempt {}\n",
            c.pod, c.name, c.state, c.attempt
        );
    }
    out += &format!(
        "api serving {} mirrors {:?}\n",
        d.api.serving, d.api.mirrors
    );
    out
}

/// A learner's playground with `web` running as a static pod on node01.
fn with_web() -> Playground {
    let mut pg = Playground::interactive(7).unwrap();
    pg.save_file("node01", MANIFEST, &web("nginx:1.27"))
        .unwrap();
    pg.advance(SimDuration::from_secs(30));
    pg
}

/// What node01's kubelet did from trace index `after` on, changes only.
fn changes(pg: &mut Playground, after: usize, expect: Expect) {
    let filter = TimelineFilter {
        node: Some("node01".into()),
        changed_only: true,
        after: Some(after),
        ..TimelineFilter::default()
    };
    expect.assert_eq(&rows(&pg.timeline(&filter, Locale::En)));
}

#[test]
fn first_static_pod() {
    let mut pg = Playground::interactive(7).unwrap();
    let after = pg.cluster().trace().len();
    pg.save_file("node01", MANIFEST, &web("nginx:1.27"))
        .unwrap();
    pg.advance(SimDuration::from_secs(30));
    changes(
        &mut pg,
        after,
        expect![[r#"
            0:00:00.000 node01 sources file/produceWatchEvent - [] the file source's watch saw /etc/kubernetes/manifests/web.yaml created, so it reads the folder now
            0:00:00.000 node01 sources file/Merge SET [default/web-node01] the file source sent SET with its 1 pod(s); the mux compares them with what it holds
            0:00:00.000 node01 mux file/merge ADD [default/web-node01] the mux found new pods from file (default/web-node01) and sent ADD
            0:00:00.000 node01 sources file/produceWatchEvent - [] the file source's watch saw /etc/kubernetes/manifests/web.yaml changed, so it reads the folder now
            0:00:00.000 node01 sync-loop config/HandlePodAdditions - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodAdditions for default/web-node01
            0:00:00.000 node01 api api/CreateMirrorPod - [default/web-node01] the kubelet created the mirror pod default/web-node01 in the API server, so kubectl can see the static pod
              0:00:00.000 node01 runtime event/Pulling - [web-node01] event Pulling: Pulling image "nginx:1.27"
              0:00:00.000 node01 workers worker/SyncPod - [default/web-node01] the pod worker of default/web-node01 ran SyncPod: it has to wait (an image pull, a grace period) and runs again then
            0:00:00.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:00.000 node01 mux api/merge ADD [default/web-node01] the mux found new pods from api (default/web-node01) and sent ADD
            0:00:00.000 node01 sync-loop config/HandlePodAdditions - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodAdditions for default/web-node01
            0:00:01.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerStarted for container ae382feb3564d of default/web-node01, and tells the sync loop
            0:00:01.000 node01 sync-loop pleg/HandlePodSyncs - [default/web-node01] PLEG reported a container change of default/web-node01, so the sync loop ran HandlePodSyncs
            0:00:02.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:02.000 node01 mux api/merge RECONCILE [default/web-node01] only the status of default/web-node01 changed, so the mux sent RECONCILE
            0:00:02.000 node01 sync-loop config/HandlePodReconcile - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodReconcile for default/web-node01
            0:00:03.483 node01 runtime event/Pulled - [web-node01] event Pulled: Successfully pulled image "nginx:1.27" in 3.483s (3.483s including waiting). Image size: 72099501 bytes.
            0:00:03.483 node01 runtime event/Created - [web-node01] event Created: Created container: web
            0:00:03.483 node01 runtime event/Started - [web-node01] event Started: Started container web
            0:00:03.483 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:03.483 node01 mux api/merge RECONCILE [default/web-node01] only the status of default/web-node01 changed, so the mux sent RECONCILE
            0:00:03.483 node01 sync-loop config/HandlePodReconcile - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodReconcile for default/web-node01
            0:00:04.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerStarted for container 1cc89da181b7a of default/web-node01, and tells the sync loop
            0:00:04.000 node01 sync-loop pleg/HandlePodSyncs - [default/web-node01] PLEG reported a container change of default/web-node01, so the sync loop ran HandlePodSyncs
            0:00:04.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:04.000 node01 mux api/merge RECONCILE [default/web-node01] only the status of default/web-node01 changed, so the mux sent RECONCILE
            0:00:04.000 node01 sync-loop config/HandlePodReconcile - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodReconcile for default/web-node01
        "#]],
    );
    expect![[r#"
        node node01 pid Some(1001)
        file source /etc/kubernetes/manifests ["web.yaml"]
        api source watching
        mux api: ["default/web-node01", "kube-system/coredns-5c74b4786d-vrzrc", "kube-system/kube-proxy-7mv85"]
        mux file: ["default/web-node01"]
        worker default/web-node01 idle
        worker kube-system/coredns-5c74b4786d-vrzrc idle
        worker kube-system/kube-proxy-7mv85 idle
        sandbox default/web-node01 attempt 0 ready true
        sandbox kube-system/coredns-5c74b4786d-vrzrc attempt 0 ready true
        sandbox kube-system/kube-proxy-7mv85 attempt 0 ready true
        container default/web-node01 web Running attempt 0
        container kube-system/coredns-5c74b4786d-vrzrc coredns Running attempt 0
        container kube-system/kube-proxy-7mv85 kube-proxy Running attempt 0
        api serving true mirrors ["default/web-node01"]
    "#]].assert_eq(&diagram(&pg.kubelet_view("node01").unwrap()));
}

#[test]
fn mirror_delete() {
    let mut pg = with_web();
    let after = pg.cluster().trace().len();
    pg.run("kubectl delete pod web-node01");
    pg.advance(SimDuration::from_secs(15));
    changes(
        &mut pg,
        after,
        expect![[r#"
            0:00:30.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:30.000 node01 mux api/merge DELETE [default/web-node01] default/web-node01 is being deleted gracefully, so the mux sent DELETE
            0:00:30.000 node01 sync-loop config/HandlePodUpdates - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodUpdates for default/web-node01
            0:00:30.000 node01 api api/DeleteMirrorPod - [default/web-node01] the kubelet deleted the mirror pod default/web-node01 from the API server
            0:00:30.000 node01 api api/CreateMirrorPod - [default/web-node01] the kubelet created the mirror pod default/web-node01 in the API server, so kubectl can see the static pod
            0:00:30.000 node01 sources api/Merge SET [kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 2 pod(s); the mux compares them with what it holds
            0:00:30.000 node01 mux api/merge REMOVE [default/web-node01] default/web-node01 no longer come(s) from api, so the mux sent REMOVE
            0:00:30.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:30.000 node01 mux api/merge ADD [default/web-node01] the mux found new pods from api (default/web-node01) and sent ADD
            0:00:30.000 node01 sync-loop config/HandlePodRemoves - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodRemoves for default/web-node01
            0:00:30.000 node01 sync-loop config/HandlePodAdditions - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodAdditions for default/web-node01
            0:00:32.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:32.000 node01 mux api/merge RECONCILE [default/web-node01] only the status of default/web-node01 changed, so the mux sent RECONCILE
            0:00:32.000 node01 sync-loop config/HandlePodReconcile - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodReconcile for default/web-node01
        "#]],
    );
    expect![[r#"
        node node01 pid Some(1001)
        file source /etc/kubernetes/manifests ["web.yaml"]
        api source watching
        mux api: ["default/web-node01", "kube-system/coredns-5c74b4786d-vrzrc", "kube-system/kube-proxy-7mv85"]
        mux file: ["default/web-node01"]
        worker default/web-node01 idle
        worker kube-system/coredns-5c74b4786d-vrzrc idle
        worker kube-system/kube-proxy-7mv85 idle
        sandbox default/web-node01 attempt 0 ready true
        sandbox kube-system/coredns-5c74b4786d-vrzrc attempt 0 ready true
        sandbox kube-system/kube-proxy-7mv85 attempt 0 ready true
        container default/web-node01 web Running attempt 0
        container kube-system/coredns-5c74b4786d-vrzrc coredns Running attempt 0
        container kube-system/kube-proxy-7mv85 kube-proxy Running attempt 0
        api serving true mirrors ["default/web-node01"]
    "#]].assert_eq(&diagram(&pg.kubelet_view("node01").unwrap()));
}

#[test]
fn crictl_stop() {
    let mut pg = with_web();
    pg.run("ssh node01");
    let id = pg
        .run("crictl ps --name web -q")
        .result
        .output
        .trim()
        .to_string();
    let after = pg.cluster().trace().len();
    pg.run(&format!("crictl stop {id}"));
    pg.advance(SimDuration::from_secs(15));
    changes(
        &mut pg,
        after,
        expect![[r#"
            0:00:31.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerDied for container 1cc89da181b7a of default/web-node01, and tells the sync loop
            0:00:31.000 node01 sync-loop pleg/HandlePodSyncs - [default/web-node01] PLEG reported a container change of default/web-node01, so the sync loop ran HandlePodSyncs
              0:00:31.000 node01 runtime event/Pulled - [web-node01] event Pulled: Container image "nginx:1.27" already present on machine and can be accessed by the pod
              0:00:31.000 node01 runtime event/Created - [web-node01] event Created: Created container: web
              0:00:31.000 node01 runtime event/Started - [web-node01] event Started: Started container web
            0:00:31.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:31.000 node01 mux api/merge RECONCILE [default/web-node01] only the status of default/web-node01 changed, so the mux sent RECONCILE
            0:00:31.000 node01 sync-loop config/HandlePodReconcile - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodReconcile for default/web-node01
            0:00:32.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerStarted for container 3f94b1233b9b3 of default/web-node01, and tells the sync loop
            0:00:32.000 node01 sync-loop pleg/HandlePodSyncs - [default/web-node01] PLEG reported a container change of default/web-node01, so the sync loop ran HandlePodSyncs
            0:00:32.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:32.000 node01 mux api/merge RECONCILE [default/web-node01] only the status of default/web-node01 changed, so the mux sent RECONCILE
            0:00:32.000 node01 sync-loop config/HandlePodReconcile - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodReconcile for default/web-node01
        "#]],
    );
    expect![[r#"
        node node01 pid Some(1001)
        file source /etc/kubernetes/manifests ["web.yaml"]
        api source watching
        mux api: ["default/web-node01", "kube-system/coredns-5c74b4786d-vrzrc", "kube-system/kube-proxy-7mv85"]
        mux file: ["default/web-node01"]
        worker default/web-node01 idle
        worker kube-system/coredns-5c74b4786d-vrzrc idle
        worker kube-system/kube-proxy-7mv85 idle
        sandbox default/web-node01 attempt 0 ready true
        sandbox kube-system/coredns-5c74b4786d-vrzrc attempt 0 ready true
        sandbox kube-system/kube-proxy-7mv85 attempt 0 ready true
        container default/web-node01 web Exited attempt 0
        container default/web-node01 web Running attempt 1
        container kube-system/coredns-5c74b4786d-vrzrc coredns Running attempt 0
        container kube-system/kube-proxy-7mv85 kube-proxy Running attempt 0
        api serving true mirrors ["default/web-node01"]
    "#]].assert_eq(&diagram(&pg.kubelet_view("node01").unwrap()));
}

#[test]
fn manifest_edit_is_remove_then_add() {
    let mut pg = with_web();
    let after = pg.cluster().trace().len();
    pg.save_file("node01", MANIFEST, &web("nginx:1.28"))
        .unwrap();
    pg.advance(SimDuration::from_secs(10));
    let filter = TimelineFilter {
        node: Some("node01".into()),
        kinds: vec![RecordKind::Mux],
        after: Some(after),
        ..TimelineFilter::default()
    };
    let view = pg.timeline(&filter, Locale::En);
    expect![[r#"
        0:00:30.000 node01 mux file/merge REMOVE [default/web-node01] default/web-node01 from file changed, and a static pod's UID is a hash of its manifest: the old UID is gone, so the mux sent REMOVE
        0:00:30.000 node01 mux file/merge ADD [default/web-node01] …and ADD for default/web-node01 with the new UID: a changed manifest is a new pod, never an UPDATE
    "#]].assert_eq(&rows(&view));
    let add = view
        .entries
        .iter()
        .find_map(|e| match e {
            TimelineEntry::Row(r) if r.op.as_deref() == Some("ADD") => Some(r.id),
            _ => None,
        })
        .expect("an ADD");
    let inspection = pg.inspect(add, Locale::En).unwrap();
    let mut text = format!(
        "{} | {} {}\n",
        inspection.title, inspection.upstream.file, inspection.upstream.function
    );
    for section in &inspection.sections {
        text += &format!("# {}\n", section.heading);
        for line in &section.lines {
            text += &format!("{line}\n");
        }
    }
    expect![[r#"
        mux ADD (file) | pkg/kubelet/config/config.go merge
        # Pods
        default/web-node01  uid=082de2da3d646beca2d4f250482f8c36  hash=082de2da3d646beca2d4f250482f8c36
        # What changed: the pod with UID 60fb772204530d134967f1ff46f878d9 was replaced by UID 082de2da3d646beca2d4f250482f8c36
        metadata.uid: "60fb772204530d134967f1ff46f878d9" → "082de2da3d646beca2d4f250482f8c36"
        metadata.annotations.kubernetes.io/config.hash: "60fb772204530d134967f1ff46f878d9" → "082de2da3d646beca2d4f250482f8c36"
        spec.containers[0].image: "nginx:1.27" → "nginx:1.28"
        # Why this operation
        A static pod's UID is computed from its manifest (a hash of the pod and the node name), so an edited manifest arrives as a pod with a new UID. The mux keys pods by UID: the old one is no longer in the SET (REMOVE) and the new one was never seen (ADD). It is never an UPDATE.
    "#]].assert_eq(&text);
}

#[test]
fn broken_yaml() {
    let mut pg = with_web();
    let after = pg.cluster().trace().len();
    pg.save_file(
        "node01",
        MANIFEST,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n spec: [\n",
    )
    .unwrap();
    pg.advance(SimDuration::from_secs(25));
    changes(
        &mut pg,
        after,
        expect![[r#"
            0:00:30.000 node01 sources file/produceWatchEvent - [] the file source's watch saw /etc/kubernetes/manifests/web.yaml changed, so it reads the folder now
            0:00:30.000 node01 sources file/extractFromFile - [] the kubelet could not use /etc/kubernetes/manifests/web.yaml (/etc/kubernetes/manifests/web.yaml: couldn't parse as pod(error converting YAML to JSON: yaml: line 5: did not find expected key), please check config file); a pod it defined before keeps running until the next relist drops it
            0:00:42.000 node01 sources file/extractFromFile - [] the kubelet could not use /etc/kubernetes/manifests/web.yaml (/etc/kubernetes/manifests/web.yaml: couldn't parse as pod(error converting YAML to JSON: yaml: line 5: did not find expected key), please check config file); a pod it defined before keeps running until the next relist drops it
            0:00:42.000 node01 sources file/listConfig - [] the file source relisted /etc/kubernetes/manifests and found 0 pod(s); something differs from what the mux holds
            0:00:42.000 node01 sources file/Merge SET [] the file source sent SET with its 0 pod(s); the mux compares them with what it holds
            0:00:42.000 node01 mux file/merge REMOVE [default/web-node01] default/web-node01 no longer come(s) from file, so the mux sent REMOVE
            0:00:42.000 node01 sync-loop config/HandlePodRemoves - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodRemoves for default/web-node01
              0:00:42.000 node01 runtime event/Killing - [web-node01] event Killing: Stopping container web
              0:00:42.000 node01 workers worker/SyncTerminatingPod - [default/web-node01] the pod worker of default/web-node01 ran SyncTerminatingPod: it has to wait (an image pull, a grace period) and runs again then
            0:00:43.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerDied for container 1cc89da181b7a of default/web-node01, and tells the sync loop
            0:00:43.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerDied for container ae382feb3564d of default/web-node01, and tells the sync loop
            0:00:44.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerRemoved for container 1cc89da181b7a of default/web-node01, and tells the sync loop
            0:00:44.000 node01 api api/DeleteMirrorPod - [default/web-node01] the kubelet deleted the mirror pod default/web-node01 from the API server
            0:00:44.000 node01 sources api/Merge SET [kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 2 pod(s); the mux compares them with what it holds
            0:00:44.000 node01 mux api/merge REMOVE [default/web-node01] default/web-node01 no longer come(s) from api, so the mux sent REMOVE
            0:00:44.000 node01 sync-loop config/HandlePodRemoves - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodRemoves for default/web-node01
        "#]],
    );
    expect![[r#"
        node node01 pid Some(1001)
        file source /etc/kubernetes/manifests ["web.yaml"]
        api source watching
        mux api: ["kube-system/coredns-5c74b4786d-vrzrc", "kube-system/kube-proxy-7mv85"]
        mux file: []
        worker kube-system/coredns-5c74b4786d-vrzrc idle
        worker kube-system/kube-proxy-7mv85 idle
        sandbox default/web-node01 attempt 0 ready false
        sandbox kube-system/coredns-5c74b4786d-vrzrc attempt 0 ready true
        sandbox kube-system/kube-proxy-7mv85 attempt 0 ready true
        container kube-system/coredns-5c74b4786d-vrzrc coredns Running attempt 0
        container kube-system/kube-proxy-7mv85 kube-proxy Running attempt 0
        api serving true mirrors []
    "#]]
    .assert_eq(&diagram(&pg.kubelet_view("node01").unwrap()));
}

#[test]
fn static_pod_path_change_with_restart() {
    let mut pg = with_web();
    pg.run("ssh node01");
    pg.run("mkdir -p /etc/kubernetes/other");
    pg.run("sed -i 's#staticPodPath: /etc/kubernetes/manifests#staticPodPath: /etc/kubernetes/other#' /var/lib/kubelet/config.yaml");
    let after = pg.cluster().trace().len();
    pg.run("systemctl restart kubelet");
    pg.advance(SimDuration::from_secs(20));
    changes(
        &mut pg,
        after,
        expect![[r#"
            0:00:30.000 node01 process process/exit - [] the kubelet (pid 1001) stopped with exit code 0
            0:00:30.000 node01 process process/Run - [] the kubelet started (pid 1012): it reads its configuration once and starts its sources
            0:00:30.000 node01 sources file/listConfig - [] the file source relisted /etc/kubernetes/other and found 0 pod(s); something differs from what the mux holds
            0:00:30.000 node01 sources file/Merge SET [] the file source sent SET with its 0 pod(s); the mux compares them with what it holds
            0:00:30.000 node01 mux file/merge ADD [] the file source sent its first SET, with no pods: an empty ADD tells the sync loop this source is ready
            0:00:30.000 node01 api event/Starting - [] event Starting: Starting kubelet.
            0:00:30.000 node01 api event/NodeAllocatableEnforced - [] event NodeAllocatableEnforced: Updated Node Allocatable limit across pods
            0:00:30.000 node01 api event/NodeHasSufficientMemory - [] event NodeHasSufficientMemory: Node node01 status is now: NodeHasSufficientMemory
            0:00:30.000 node01 api event/NodeHasNoDiskPressure - [] event NodeHasNoDiskPressure: Node node01 status is now: NodeHasNoDiskPressure
            0:00:30.000 node01 api event/NodeHasSufficientPID - [] event NodeHasSufficientPID: Node node01 status is now: NodeHasSufficientPID
              0:00:30.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerStarted for container 1cc89da181b7a of default/web-node01, and tells the sync loop
              0:00:30.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerStarted for container ae382feb3564d of default/web-node01, and tells the sync loop
              0:00:30.000 node01 runtime pleg/Relist - [kube-system/kube-proxy-7mv85] PLEG's relist (every 1 s) saw ContainerStarted for container 2defbbfb372f3 of kube-system/kube-proxy-7mv85, and tells the sync loop
              0:00:30.000 node01 runtime pleg/Relist - [kube-system/kube-proxy-7mv85] PLEG's relist (every 1 s) saw ContainerStarted for container d723533568bc3 of kube-system/kube-proxy-7mv85, and tells the sync loop
              0:00:30.000 node01 runtime pleg/Relist - [kube-system/coredns-5c74b4786d-vrzrc] PLEG's relist (every 1 s) saw ContainerStarted for container 5807391210247 of kube-system/coredns-5c74b4786d-vrzrc, and tells the sync loop
              0:00:30.000 node01 runtime pleg/Relist - [kube-system/coredns-5c74b4786d-vrzrc] PLEG's relist (every 1 s) saw ContainerStarted for container 8412fe0966885 of kube-system/coredns-5c74b4786d-vrzrc, and tells the sync loop
            0:00:30.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:30.000 node01 mux api/merge ADD [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the mux found new pods from api (default/web-node01, kube-system/coredns-5c74b4786d-vrzrc, kube-system/kube-proxy-7mv85) and sent ADD
            0:00:30.000 node01 sync-loop config/HandlePodAdditions - [] the sync loop took the mux's update from the config channel and ran HandlePodAdditions for no pods (a source is ready)
            0:00:30.000 node01 sync-loop config/HandlePodAdditions - [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the sync loop took the mux's update from the config channel and ran HandlePodAdditions for default/web-node01, kube-system/coredns-5c74b4786d-vrzrc, kube-system/kube-proxy-7mv85
            0:00:30.000 node01 sync-loop pleg/HandlePodSyncs - [kube-system/coredns-5c74b4786d-vrzrc] PLEG reported a container change of kube-system/coredns-5c74b4786d-vrzrc, so the sync loop ran HandlePodSyncs
            0:00:30.000 node01 sync-loop pleg/HandlePodSyncs - [kube-system/coredns-5c74b4786d-vrzrc] PLEG reported a container change of kube-system/coredns-5c74b4786d-vrzrc, so the sync loop ran HandlePodSyncs
            0:00:30.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:30.000 node01 mux api/merge RECONCILE [kube-system/coredns-5c74b4786d-vrzrc] only the status of kube-system/coredns-5c74b4786d-vrzrc changed, so the mux sent RECONCILE
            0:00:30.000 node01 sources api/Merge SET [default/web-node01 kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 3 pod(s); the mux compares them with what it holds
            0:00:30.000 node01 mux api/merge RECONCILE [kube-system/kube-proxy-7mv85] only the status of kube-system/kube-proxy-7mv85 changed, so the mux sent RECONCILE
            0:00:30.000 node01 sync-loop config/HandlePodReconcile - [kube-system/coredns-5c74b4786d-vrzrc] the sync loop took the mux's update from the config channel and ran HandlePodReconcile for kube-system/coredns-5c74b4786d-vrzrc
            0:00:30.000 node01 sync-loop config/HandlePodReconcile - [kube-system/kube-proxy-7mv85] the sync loop took the mux's update from the config channel and ran HandlePodReconcile for kube-system/kube-proxy-7mv85
            0:00:30.000 node01 sync-loop readiness/HandlePodSyncs - [kube-system/coredns-5c74b4786d-vrzrc] the readiness probe's result for kube-system/coredns-5c74b4786d-vrzrc changed, so the sync loop ran HandlePodSyncs
            0:00:32.000 node01 api api/DeleteMirrorPod - [default/web-node01] the kubelet deleted the mirror pod default/web-node01 from the API server
            0:00:32.000 node01 sources api/Merge SET [kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 2 pod(s); the mux compares them with what it holds
            0:00:32.000 node01 mux api/merge REMOVE [default/web-node01] default/web-node01 no longer come(s) from api, so the mux sent REMOVE
              0:00:32.000 node01 runtime event/Killing - [web-node01] event Killing: Stopping container web
              0:00:32.000 node01 workers worker/SyncTerminatingPod - [default/web-node01] the pod worker of default/web-node01 ran SyncTerminatingPod: it has to wait (an image pull, a grace period) and runs again then
            0:00:32.000 node01 sync-loop config/HandlePodRemoves - [default/web-node01] the sync loop took the mux's update from the config channel and ran HandlePodRemoves for default/web-node01
            0:00:33.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerDied for container 1cc89da181b7a of default/web-node01, and tells the sync loop
            0:00:33.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerDied for container ae382feb3564d of default/web-node01, and tells the sync loop
            0:00:34.000 node01 runtime pleg/Relist - [default/web-node01] PLEG's relist (every 1 s) saw ContainerRemoved for container 1cc89da181b7a of default/web-node01, and tells the sync loop
            0:00:40.000 node01 sync-loop readiness/HandlePodSyncs - [kube-system/coredns-5c74b4786d-vrzrc] the readiness probe's result for kube-system/coredns-5c74b4786d-vrzrc changed, so the sync loop ran HandlePodSyncs
            0:00:40.000 node01 sources api/Merge SET [kube-system/coredns-5c74b4786d-vrzrc kube-system/kube-proxy-7mv85] the api source sent SET with its 2 pod(s); the mux compares them with what it holds
            0:00:40.000 node01 mux api/merge RECONCILE [kube-system/coredns-5c74b4786d-vrzrc] only the status of kube-system/coredns-5c74b4786d-vrzrc changed, so the mux sent RECONCILE
            0:00:40.000 node01 sync-loop config/HandlePodReconcile - [kube-system/coredns-5c74b4786d-vrzrc] the sync loop took the mux's update from the config channel and ran HandlePodReconcile for kube-system/coredns-5c74b4786d-vrzrc
        "#]],
    );
    expect![[r#"
        node node01 pid Some(1012)
        file source /etc/kubernetes/other []
        api source watching
        mux api: ["kube-system/coredns-5c74b4786d-vrzrc", "kube-system/kube-proxy-7mv85"]
        mux file: []
        worker kube-system/coredns-5c74b4786d-vrzrc idle
        worker kube-system/kube-proxy-7mv85 idle
        sandbox default/web-node01 attempt 0 ready false
        sandbox kube-system/coredns-5c74b4786d-vrzrc attempt 0 ready true
        sandbox kube-system/kube-proxy-7mv85 attempt 0 ready true
        container kube-system/coredns-5c74b4786d-vrzrc coredns Running attempt 0
        container kube-system/kube-proxy-7mv85 kube-proxy Running attempt 0
        api serving true mirrors []
    "#]]
    .assert_eq(&diagram(&pg.kubelet_view("node01").unwrap()));
}

#[test]
fn chinese_explanations_name_the_same_operation() {
    let mut pg = with_web();
    let after = pg.cluster().trace().len();
    pg.save_file("node01", MANIFEST, &web("nginx:1.28"))
        .unwrap();
    pg.advance(SimDuration::from_secs(5));
    let filter = TimelineFilter {
        kinds: vec![RecordKind::Mux],
        after: Some(after),
        ..TimelineFilter::default()
    };
    let view = pg.timeline(&filter, Locale::ZhCn);
    expect![[r#"
        0:00:30.000 node01 mux file/merge REMOVE [default/web-node01] 来自 file 的 default/web-node01 已改变，而静态 Pod 的 UID 是其清单的哈希：旧 UID 不存在了，所以 mux 发送 REMOVE
        0:00:30.000 node01 mux file/merge ADD [default/web-node01] ……并以新 UID 为 default/web-node01 发送 ADD：修改过的清单就是一个新 Pod，绝不是 UPDATE
    "#]].assert_eq(&rows(&view));
}

#[test]
fn an_hour_keeps_fifteen_minutes_in_full_and_counts_the_rest() {
    let mut pg = with_web();
    pg.advance(SimDuration::from_mins(60));
    let filter = TimelineFilter {
        node: Some("node01".into()),
        ..TimelineFilter::default()
    };
    let view = pg.timeline(&filter, Locale::En);
    let summaries: Vec<&str> = view
        .entries
        .iter()
        .filter_map(|e| match e {
            TimelineEntry::Summary(s) => Some(s.text.as_str()),
            TimelineEntry::Row(_) => None,
        })
        .collect();
    expect!["137 quiet relists, 138 SETs with nothing new, 1,371 housekeeping passes, 106 resyncs, 115 worker syncs that changed nothing, 77 changes (their detail is no longer kept)"].assert_eq(&summaries.join("\n"));
    let first_row = view.entries.iter().find_map(|e| match e {
        TimelineEntry::Row(r) => Some(r.time.clone()),
        TimelineEntry::Summary(_) => None,
    });
    // The window is 15 minutes of virtual time before the newest record.
    assert!(
        first_row.is_some_and(|t| t.as_str() >= "0:15:30.000"),
        "{view:?}"
    );
    let bytes = pg.timeline_memory();
    assert!(bytes < 4 * 1024 * 1024, "{bytes}");
}

#[test]
fn search_and_pod_filters_narrow_the_rows() {
    let mut pg = with_web();
    let search = TimelineFilter {
        search: "mirror pod".into(),
        ..TimelineFilter::default()
    };
    let found = pg.timeline(&search, Locale::En);
    assert!(!found.entries.is_empty());
    assert!(found.entries.iter().all(|e| match e {
        TimelineEntry::Row(r) => r.text.contains("mirror pod"),
        TimelineEntry::Summary(_) => false,
    }));
    let by_pod = TimelineFilter {
        pod: Some("coredns".into()),
        kinds: vec![RecordKind::Mux],
        ..TimelineFilter::default()
    };
    let rows = pg.timeline(&by_pod, Locale::En);
    assert!(!rows.entries.is_empty());
    assert!(rows.entries.iter().all(|e| match e {
        TimelineEntry::Row(r) =>
            r.kind == RecordKind::Mux && r.pods.iter().any(|p| p.contains("coredns")),
        TimelineEntry::Summary(_) => false,
    }));
}
