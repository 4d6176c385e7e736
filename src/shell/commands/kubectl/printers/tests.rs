//! `kubectl get` tables against realistic objects, with the exact text kubectl v1.34 prints.

use expect_test::{expect, Expect};
use serde_json::{json, Value};

use super::*;
use crate::shell::commands::kubectl::fixtures as fx;
use crate::shell::commands::kubectl::fixtures::NOW;

fn opts() -> TableOptions {
    TableOptions::default()
}

fn check(resource: Resource, objects: &[Value], opts: &TableOptions, want: Expect) {
    want.assert_eq(&table(resource, objects, opts, NOW));
}

#[test]
fn pods() {
    let pods = [fx::crasher_pod(), fx::etcd_mirror_pod()];
    check(
        Resource::Pods,
        &pods,
        &opts(),
        expect![[r#"
            NAME                READY   STATUS             RESTARTS        AGE
            crasher             0/1     CrashLoopBackOff   3 (5m50s ago)   8m
            etcd-controlplane   1/1     Running            0               9m40s
        "#]],
    );
    let all = TableOptions {
        with_namespace: true,
        ..opts()
    };
    check(
        Resource::Pods,
        &pods,
        &all,
        expect![[r#"
        NAMESPACE     NAME                READY   STATUS             RESTARTS        AGE
        default       crasher             0/1     CrashLoopBackOff   3 (5m50s ago)   8m
        kube-system   etcd-controlplane   1/1     Running            0               9m40s
    "#]],
    );
    let wide = TableOptions {
        wide: true,
        ..all.clone()
    };
    check(
        Resource::Pods,
        &pods,
        &wide,
        expect![[r#"
        NAMESPACE     NAME                READY   STATUS             RESTARTS        AGE     IP           NODE           NOMINATED NODE   READINESS GATES
        default       crasher             0/1     CrashLoopBackOff   3 (5m50s ago)   8m      10.244.1.5   node01         <none>           <none>
        kube-system   etcd-controlplane   1/1     Running            0               9m40s   172.30.1.2   controlplane   <none>           <none>
    "#]],
    );
}

#[test]
fn nodes() {
    let mut worker = fx::controlplane_node();
    worker["metadata"]["name"] = json!("node01");
    worker["metadata"]["labels"] = json!({"kubernetes.io/hostname": "node01"});
    worker["spec"]["unschedulable"] = json!(true);
    worker["status"]["conditions"][3]["status"] = json!("Unknown");
    worker["status"]["addresses"] = json!([{"address": "172.30.2.2", "type": "InternalIP"}]);
    let nodes = [fx::controlplane_node(), worker];
    check(
        Resource::Nodes,
        &nodes,
        &opts(),
        expect![[r#"
        NAME           STATUS                        ROLES           AGE     VERSION
        controlplane   Ready                         control-plane   9m50s   v1.34.1
        node01         NotReady,SchedulingDisabled   <none>          9m50s   v1.34.1
    "#]],
    );
    let wide = TableOptions {
        wide: true,
        ..opts()
    };
    check(
        Resource::Nodes,
        &nodes,
        &wide,
        expect![[r#"
        NAME           STATUS                        ROLES           AGE     VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION       CONTAINER-RUNTIME
        controlplane   Ready                         control-plane   9m50s   v1.34.1   172.30.1.2    <none>        Ubuntu 22.04.5 LTS   5.15.0-143-generic   containerd://1.7.27
        node01         NotReady,SchedulingDisabled   <none>          9m50s   v1.34.1   172.30.2.2    <none>        Ubuntu 22.04.5 LTS   5.15.0-143-generic   containerd://1.7.27
    "#]],
    );
}

#[test]
fn workloads() {
    check(
        Resource::Deployments,
        &[fx::coredns_deployment()],
        &opts(),
        expect![[r#"
            NAME      READY   UP-TO-DATE   AVAILABLE   AGE
            coredns   2/2     2            2           9m30s
        "#]],
    );
    let wide = TableOptions {
        wide: true,
        ..opts()
    };
    check(
        Resource::Deployments,
        &[fx::coredns_deployment()],
        &wide,
        expect![[r#"
            NAME      READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS   IMAGES                                    SELECTOR
            coredns   2/2     2            2           9m30s   coredns      registry.k8s.io/coredns/coredns:v1.12.1   k8s-app=kube-dns
        "#]],
    );
    check(
        Resource::ReplicaSets,
        &[fx::coredns_replicaset()],
        &wide,
        expect![[r#"
            NAME                 DESIRED   CURRENT   READY   AGE     CONTAINERS   IMAGES                                    SELECTOR
            coredns-66bc5c9577   2         2         2       9m20s   coredns      registry.k8s.io/coredns/coredns:v1.12.1   k8s-app=kube-dns,pod-template-hash=66bc5c9577
        "#]],
    );
    check(
        Resource::DaemonSets,
        &[fx::kube_proxy_daemonset()],
        &opts(),
        expect![[r#"
            NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE
            kube-proxy   2         2         2       2            2           kubernetes.io/os=linux   9m30s
        "#]],
    );
    check(
        Resource::DaemonSets,
        &[fx::kube_proxy_daemonset()],
        &wide,
        expect![[r#"
            NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE     CONTAINERS   IMAGES                               SELECTOR
            kube-proxy   2         2         2       2            2           kubernetes.io/os=linux   9m30s   kube-proxy   registry.k8s.io/kube-proxy:v1.34.1   k8s-app=kube-proxy
        "#]],
    );
}

#[test]
fn events() {
    check(
        Resource::Events,
        &fx::crasher_events(),
        &opts(),
        expect![[r#"
        LAST SEEN   TYPE      REASON      OBJECT        MESSAGE
        7m59s       Normal    Scheduled   pod/crasher   Successfully assigned default/crasher to node01
        5m50s       Normal    Pulled      pod/crasher   Container image "busybox:1.36" already present on machine
        5m50s       Normal    Created     pod/crasher   Created container: crasher
        5m50s       Normal    Started     pod/crasher   Started container crasher
        10s         Warning   BackOff     pod/crasher   Back-off restarting failed container crasher in pod crasher_default(5f1c2b3a-9d8e-4c7b-a6f5-e4d3c2b1a098)
        7m          Normal    Started     pod/web       Started container web
    "#]],
    );
    let wide = TableOptions {
        wide: true,
        ..opts()
    };
    check(
        Resource::Events,
        &fx::crasher_events()[..2],
        &wide,
        expect![[r#"
            LAST SEEN   TYPE     REASON      OBJECT        SUBOBJECT                  SOURCE                                              MESSAGE                                                     FIRST SEEN   COUNT   NAME
            7m59s       Normal   Scheduled   pod/crasher                              default-scheduler, default-scheduler-controlplane   Successfully assigned default/crasher to node01             7m59s        1       crasher.187a3b0c1d2e3f40
            5m50s       Normal   Pulled      pod/crasher   spec.containers{crasher}   kubelet, node01                                     Container image "busybox:1.36" already present on machine   7m59s        4       crasher.187a3b0c5e6f7a81
        "#]],
    );
}

#[test]
fn config_maps_secrets_namespaces() {
    let cm = json!({"metadata": {"name": "coredns", "namespace": "kube-system",
        "creationTimestamp": "2026-11-22T08:00:30Z"},
        "data": {"Corefile": ".:53 {}"}, "binaryData": {"x": "AA=="}});
    check(
        Resource::ConfigMaps,
        &[cm],
        &opts(),
        expect![[r#"
        NAME      DATA   AGE
        coredns   2      9m30s
    "#]],
    );
    let secret = json!({"metadata": {"name": "bootstrap-token-abcdef", "namespace": "kube-system",
        "creationTimestamp": "2026-11-22T08:00:30Z"},
        "type": "bootstrap.kubernetes.io/token",
        "data": {"token-id": "YWJjZGVm", "token-secret": "MDEyMzQ1Njc4OWFiY2RlZg=="}});
    let got = table_for_kind("Secret", &[secret], &opts(), NOW).unwrap_or_default();
    expect![[r#"
        NAME                     TYPE                            DATA   AGE
        bootstrap-token-abcdef   bootstrap.kubernetes.io/token   2      9m30s
    "#]]
    .assert_eq(&got);
    let namespaces: Vec<Value> = ["default", "kube-node-lease", "kube-public", "kube-system"]
        .iter()
        .map(|n| {
            json!({"metadata": {"name": n, "creationTimestamp": "2026-11-22T08:00:05Z"},
            "status": {"phase": "Active"}})
        })
        .collect();
    // -A is ignored for cluster-scoped kinds.
    let all = TableOptions {
        with_namespace: true,
        ..opts()
    };
    check(
        Resource::Namespaces,
        &namespaces,
        &all,
        expect![[r#"
        NAME              STATUS   AGE
        default           Active   9m55s
        kube-node-lease   Active   9m55s
        kube-public       Active   9m55s
        kube-system       Active   9m55s
    "#]],
    );
}

#[test]
fn labels_prefixes_and_headers() {
    let pods = [fx::etcd_mirror_pod()];
    let labels = TableOptions {
        show_labels: true,
        label_columns: vec!["tier".into(), "app.kubernetes.io/name".into()],
        ..opts()
    };
    check(
        Resource::Pods,
        &pods,
        &labels,
        expect![[r#"
        NAME                READY   STATUS    RESTARTS   AGE     TIER            NAME   LABELS
        etcd-controlplane   1/1     Running   0          9m40s   control-plane          component=etcd,tier=control-plane
    "#]],
    );
    let prefixed = TableOptions {
        kind_prefix: true,
        no_headers: true,
        ..opts()
    };
    check(
        Resource::Pods,
        &pods,
        &prefixed,
        expect![[r#"
        pod/etcd-controlplane   1/1   Running   0     9m40s
    "#]],
    );
    check(Resource::Pods, &[], &opts(), expect![[r#""#]]);
    let pods = [fx::etcd_mirror_pod()];
    let deployments = [fx::coredns_deployment()];
    let daemonsets = [fx::kube_proxy_daemonset()];
    let all = TableOptions {
        kind_prefix: true,
        ..opts()
    };
    let groups: [(Resource, &[Value]); 4] = [
        (Resource::Pods, &pods),
        (Resource::ReplicaSets, &[]),
        (Resource::DaemonSets, &daemonsets),
        (Resource::Deployments, &deployments),
    ];
    expect![[r#"
        NAME                    READY   STATUS    RESTARTS   AGE
        pod/etcd-controlplane   1/1     Running   0          9m40s

        NAME                        DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE
        daemonset.apps/kube-proxy   2         2         2       2            2           kubernetes.io/os=linux   9m30s

        NAME                      READY   UP-TO-DATE   AVAILABLE   AGE
        deployment.apps/coredns   2/2     2            2           9m30s
    "#]].assert_eq(&tables(&groups, &all, NOW));
}

#[test]
fn cells_are_cut_at_line_breaks() {
    let mut event = fx::crasher_events()[1].clone();
    event["message"] = json!("first line\nsecond line\u{1b}[31m");
    check(
        Resource::Events,
        &[event],
        &opts(),
        expect![[r#"
        LAST SEEN   TYPE     REASON   OBJECT        MESSAGE
        5m50s       Normal   Pulled   pod/crasher   first line...
    "#]],
    );
}

#[test]
fn malformed_objects_still_print() {
    let junk = [
        json!({"metadata": {"name": "odd"}, "spec": "not-a-map", "status": 7}),
        json!(null),
    ];
    for resource in Resource::ALL {
        // Every printer tolerates garbage; the exact text does not matter here.
        let _ = table(resource, &junk, &opts(), NOW);
    }
    check(
        Resource::Pods,
        &junk[..1],
        &opts(),
        expect![[r#"
        NAME   READY   STATUS   RESTARTS   AGE
        odd    0/0              0          <unknown>
    "#]],
    );
}
