//! `kubectl describe` against realistic objects, with the exact text kubectl v1.34 prints.

use expect_test::expect;
use serde_json::json;

use super::*;
use crate::shell::commands::kubectl::fixtures as fx;
use crate::shell::commands::kubectl::fixtures::NOW;

#[test]
fn etcd_mirror_pod() {
    let mut events = fx::etcd_events();
    events.extend(fx::crasher_events());
    let got = describe_pod(&fx::etcd_mirror_pod(), Some(&events), NOW);
    expect![[r#"
        Name:                 etcd-controlplane
        Namespace:            kube-system
        Priority:             2000001000
        Priority Class Name:  system-node-critical
        Node:                 controlplane/172.30.1.2
        Start Time:           Sun, 22 Nov 2026 08:00:01 +0000
        Labels:               component=etcd
                              tier=control-plane
        Annotations:          kubeadm.kubernetes.io/etcd.advertise-client-urls: https://172.30.1.2:2379
                              kubernetes.io/config.hash: 6f2c9ab2d3c94d1c0a7f8e5b4c3d2e1f
                              kubernetes.io/config.mirror: 6f2c9ab2d3c94d1c0a7f8e5b4c3d2e1f
                              kubernetes.io/config.seen: 2026-11-22T08:00:01.5Z
                              kubernetes.io/config.source: file
        Status:               Running
        SeccompProfile:       RuntimeDefault
        IP:                   172.30.1.2
        IPs:
          IP:           172.30.1.2
        Controlled By:  Node/controlplane
        Containers:
          etcd:
            Container ID:  containerd://4d1f0c8e2b7a9d3e5f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6
            Image:         registry.k8s.io/etcd:3.6.4-0
            Image ID:      registry.k8s.io/etcd@sha256:e36c081683425b5b3bc1425bc508b37e7107bb65dfa9367bf5a80125d431fa19
            Port:          2381/TCP (probe-port)
            Host Port:     2381/TCP (probe-port)
            Command:
              etcd
              --advertise-client-urls=https://172.30.1.2:2379
              --cert-file=/etc/kubernetes/pki/etcd/server.crt
              --data-dir=/var/lib/etcd
              --listen-metrics-urls=http://127.0.0.1:2381
              --name=controlplane
            State:          Running
              Started:      Sun, 22 Nov 2026 08:00:02 +0000
            Ready:          True
            Restart Count:  0
            Requests:
              cpu:        100m
              memory:     100Mi
            Liveness:     http-get http://127.0.0.1:probe-port/livez delay=10s timeout=15s period=10s #success=1 #failure=8
            Readiness:    http-get http://127.0.0.1:probe-port/readyz delay=0s timeout=15s period=1s #success=1 #failure=3
            Startup:      http-get http://127.0.0.1:probe-port/readyz delay=10s timeout=15s period=10s #success=1 #failure=24
            Environment:  <none>
            Mounts:
              /etc/kubernetes/pki/etcd from etcd-certs (rw)
              /var/lib/etcd from etcd-data (rw)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       True 
          ContainersReady             True 
          PodScheduled                True 
        Volumes:
          etcd-certs:
            Type:          HostPath (bare host directory volume)
            Path:          /etc/kubernetes/pki/etcd
            HostPathType:  DirectoryOrCreate
          etcd-data:
            Type:          HostPath (bare host directory volume)
            Path:          /var/lib/etcd
            HostPathType:  DirectoryOrCreate
        QoS Class:         Burstable
        Node-Selectors:    <none>
        Tolerations:       :NoExecute op=Exists
        Events:
          Type    Reason   Age    From     Message
          ----    ------   ----   ----     -------
          Normal  Pulled   9m59s  kubelet  Container image "registry.k8s.io/etcd:3.6.4-0" already present on machine
          Normal  Created  9m59s  kubelet  Created container: etcd
          Normal  Started  9m58s  kubelet  Started container etcd
    "#]].assert_eq(&got);
}

#[test]
fn crash_looping_pod() {
    let got = describe_pod(&fx::crasher_pod(), Some(&fx::crasher_events()), NOW);
    expect![[r#"
        Name:             crasher
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node01/172.30.2.2
        Start Time:       Sun, 22 Nov 2026 08:02:00 +0000
        Labels:           run=crasher
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.5
        IPs:
          IP:  10.244.1.5
        Containers:
          crasher:
            Container ID:  containerd://9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d
            Image:         busybox:1.36
            Image ID:      docker.io/library/busybox@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7
            Port:          <none>
            Host Port:     <none>
            Command:
              sh
              -c
              echo starting; exit 1
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       Error
              Exit Code:    1
              Started:      Sun, 22 Nov 2026 08:04:10 +0000
              Finished:     Sun, 22 Nov 2026 08:04:10 +0000
            Ready:          False
            Restart Count:  3
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       False 
          ContainersReady             False 
          PodScheduled                True 
        Volumes:
          kube-api-access-x7k2p:
            Type:                    Projected (a volume that contains injected data from multiple sources)
            TokenExpirationSeconds:  3607
            ConfigMapName:           kube-root-ca.crt
            Optional:                false
            DownwardAPI:             true
        QoS Class:                   BestEffort
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason     Age                    From               Message
          ----     ------     ----                   ----               -------
          Normal   Scheduled  7m59s                  default-scheduler  Successfully assigned default/crasher to node01
          Normal   Pulled     5m50s (x4 over 7m59s)  kubelet            Container image "busybox:1.36" already present on machine
          Normal   Created    5m50s (x4 over 7m59s)  kubelet            Created container: crasher
          Normal   Started    5m50s (x4 over 7m58s)  kubelet            Started container crasher
          Warning  BackOff    10s (x31 over 7m55s)   kubelet            Back-off restarting failed container crasher in pod crasher_default(5f1c2b3a-9d8e-4c7b-a6f5-e4d3c2b1a098)
    "#]].assert_eq(&got);
}

#[test]
fn control_plane_node() {
    let pods = vec![fx::etcd_mirror_pod(), fx::crasher_pod()];
    let got = describe_node_with_lease(
        &fx::controlplane_node(),
        Some(&fx::controlplane_lease()),
        &pods,
        Some(&fx::node_events()),
        NOW,
    );
    expect![[r#"
        Name:               controlplane
        Roles:              control-plane
        Labels:             beta.kubernetes.io/arch=amd64
                            beta.kubernetes.io/os=linux
                            kubernetes.io/arch=amd64
                            kubernetes.io/hostname=controlplane
                            kubernetes.io/os=linux
                            node-role.kubernetes.io/control-plane=
                            node.kubernetes.io/exclude-from-external-load-balancers=
        Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///var/run/containerd/containerd.sock
                            node.alpha.kubernetes.io/ttl: 0
                            volumes.kubernetes.io/controller-managed-attach-detach: true
        CreationTimestamp:  Sun, 22 Nov 2026 08:00:10 +0000
        Taints:             node-role.kubernetes.io/control-plane:NoSchedule
        Unschedulable:      false
        Lease:
          HolderIdentity:  controlplane
          AcquireTime:     <unset>
          RenewTime:       Sun, 22 Nov 2026 08:09:58 +0000
        Conditions:
          Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
          ----             ------  -----------------                 ------------------                ------                       -------
          MemoryPressure   False   Sun, 22 Nov 2026 08:09:30 +0000   Sun, 22 Nov 2026 08:00:10 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
          DiskPressure     False   Sun, 22 Nov 2026 08:09:30 +0000   Sun, 22 Nov 2026 08:00:10 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
          PIDPressure      False   Sun, 22 Nov 2026 08:09:30 +0000   Sun, 22 Nov 2026 08:00:10 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
          Ready            True    Sun, 22 Nov 2026 08:09:30 +0000   Sun, 22 Nov 2026 08:00:40 +0000   KubeletReady                 kubelet is posting ready status
        Addresses:
          InternalIP:  172.30.1.2
          Hostname:    controlplane
        Capacity:
          cpu:                2
          ephemeral-storage:  20134592Ki
          hugepages-1Gi:      0
          hugepages-2Mi:      0
          memory:             4022700Ki
          pods:               110
        Allocatable:
          cpu:                2
          ephemeral-storage:  18698362005
          hugepages-1Gi:      0
          hugepages-2Mi:      0
          memory:             3920300Ki
          pods:               110
        System Info:
          Machine ID:                 2b7f3c1d9e8a4b6c8d0e1f2a3b4c5d6e
          System UUID:                ec2b7f3c-1d9e-8a4b-6c8d-0e1f2a3b4c5d
          Boot ID:                    8d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f
          Kernel Version:             5.15.0-143-generic
          OS Image:                   Ubuntu 22.04.5 LTS
          Operating System:           linux
          Architecture:               amd64
          Container Runtime Version:  containerd://1.7.27
          Kubelet Version:            v1.34.1
          Kube-Proxy Version:         
        PodCIDR:                      10.244.0.0/24
        PodCIDRs:                     10.244.0.0/24
        Non-terminated Pods:          (2 in total)
          Namespace                   Name                 CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
          ---------                   ----                 ------------  ----------  ---------------  -------------  ---
          kube-system                 etcd-controlplane    100m (5%)     0 (0%)      100Mi (2%)       0 (0%)         9m40s
          default                     crasher              0 (0%)        0 (0%)      0 (0%)           0 (0%)         8m
        Allocated resources:
          (Total limits may be over 100 percent, i.e., overcommitted.)
          Resource           Requests    Limits
          --------           --------    ------
          cpu                100m (5%)   0 (0%)
          memory             100Mi (2%)  0 (0%)
          ephemeral-storage  0 (0%)      0 (0%)
          hugepages-1Gi      0 (0%)      0 (0%)
          hugepages-2Mi      0 (0%)      0 (0%)
        Events:
          Type    Reason          Age    From             Message
          ----    ------          ----   ----             -------
          Normal  RegisteredNode  9m50s  node-controller  Node controlplane event: Registered Node controlplane in Controller
          Normal  Starting        9m50s  kubelet          Starting kubelet.
    "#]].assert_eq(&got);
}

#[test]
fn deployment() {
    let got = describe_deployment(
        &fx::coredns_deployment(),
        &[fx::coredns_replicaset()],
        Some(&[]),
        NOW,
    );
    expect![[r#"
        Name:                   coredns
        Namespace:              kube-system
        CreationTimestamp:      Sun, 22 Nov 2026 08:00:30 +0000
        Labels:                 k8s-app=kube-dns
        Annotations:            deployment.kubernetes.io/revision: 1
        Selector:               k8s-app=kube-dns
        Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable
        StrategyType:           RollingUpdate
        MinReadySeconds:        0
        RollingUpdateStrategy:  1 max unavailable, 25% max surge
        Pod Template:
          Labels:           k8s-app=kube-dns
          Service Account:  coredns
          Containers:
           coredns:
            Image:       registry.k8s.io/coredns/coredns:v1.12.1
            Ports:       53/UDP (dns), 53/TCP (dns-tcp), 9153/TCP (metrics)
            Host Ports:  0/UDP (dns), 0/TCP (dns-tcp), 0/TCP (metrics)
            Args:
              -conf
              /etc/coredns/Corefile
            Limits:
              memory:  170Mi
            Requests:
              cpu:        100m
              memory:     70Mi
            Environment:  <none>
            Mounts:
              /etc/coredns from config-volume (ro)
          Volumes:
           config-volume:
            Type:               ConfigMap (a volume populated by a ConfigMap)
            Name:               coredns
            Optional:           false
          Priority Class Name:  system-cluster-critical
          Node-Selectors:       kubernetes.io/os=linux
          Tolerations:          CriticalAddonsOnly op=Exists
                                node-role.kubernetes.io/control-plane:NoSchedule
        Conditions:
          Type           Status  Reason
          ----           ------  ------
          Available      True    MinimumReplicasAvailable
          Progressing    True    NewReplicaSetAvailable
        OldReplicaSets:  <none>
        NewReplicaSet:   coredns-66bc5c9577 (2/2 replicas created)
        Events:          <none>
    "#]]
    .assert_eq(&got);
}

#[test]
fn daemonset() {
    let got = describe_daemonset(
        &fx::kube_proxy_daemonset(),
        &fx::kube_proxy_pods(),
        Some(&[]),
        NOW,
    );
    expect![[r#"
        Name:           kube-proxy
        Namespace:      kube-system
        Selector:       k8s-app=kube-proxy
        Node-Selector:  kubernetes.io/os=linux
        Labels:         k8s-app=kube-proxy
        Annotations:    deprecated.daemonset.template.generation: 1
        Desired Number of Nodes Scheduled: 2
        Current Number of Nodes Scheduled: 2
        Number of Nodes Scheduled with Up-to-date Pods: 2
        Number of Nodes Scheduled with Available Pods: 2
        Number of Nodes Misscheduled: 0
        Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed
        Pod Template:
          Labels:           k8s-app=kube-proxy
          Service Account:  kube-proxy
          Containers:
           kube-proxy:
            Image:      registry.k8s.io/kube-proxy:v1.34.1
            Port:       <none>
            Host Port:  <none>
            Command:
              /usr/local/bin/kube-proxy
              --config=/var/lib/kube-proxy/config.conf
              --hostname-override=$(NODE_NAME)
            Environment:
              NODE_NAME:   (v1:spec.nodeName)
            Mounts:
              /lib/modules from lib-modules (ro)
              /run/xtables.lock from xtables-lock (rw)
              /var/lib/kube-proxy from kube-proxy (rw)
          Volumes:
           kube-proxy:
            Type:      ConfigMap (a volume populated by a ConfigMap)
            Name:      kube-proxy
            Optional:  false
           xtables-lock:
            Type:          HostPath (bare host directory volume)
            Path:          /run/xtables.lock
            HostPathType:  FileOrCreate
           lib-modules:
            Type:               HostPath (bare host directory volume)
            Path:               /lib/modules
            HostPathType:       
          Priority Class Name:  system-node-critical
          Node-Selectors:       kubernetes.io/os=linux
          Tolerations:          op=Exists
        Events:                 <none>
    "#]]
    .assert_eq(&got);
}

#[test]
fn event_ages() {
    let single = json!({"firstTimestamp": "2026-11-22T08:09:48Z", "lastTimestamp": "2026-11-22T08:09:48Z", "count": 1});
    assert_eq!(event_age_text(&single, NOW), "12s");
    let repeated = json!({"firstTimestamp": "2026-11-22T08:09:20Z", "lastTimestamp": "2026-11-22T08:09:48Z", "count": 3});
    assert_eq!(event_age_text(&repeated, NOW), "12s (x3 over 40s)");
    let series = json!({"eventTime": "2026-11-22T08:00:00.000000Z",
        "series": {"count": 7, "lastObservedTime": "2026-11-22T08:09:00.500000Z"}});
    assert_eq!(event_age_text(&series, NOW), "59s (x7 over 10m)");
    assert_eq!(event_age_text(&json!({}), NOW), "<unknown>");
}

#[test]
fn terminating_pending_pod_with_everything() {
    let pod = json!({
        "metadata": {
            "name": "web",
            "namespace": "default",
            "uid": "u1",
            "deletionTimestamp": "2026-11-22T08:09:48Z",
            "deletionGracePeriodSeconds": 30,
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": "{\"hidden\":true}\n",
                "note": "line one\nline two\n",
                "long": "x".repeat(150)
            },
            "ownerReferences": [{"kind": "ReplicaSet", "name": "web-5d4f", "controller": true}]
        },
        "spec": {
            "initContainers": [{"name": "init", "image": "busybox", "args": ["a\nb"]}],
            "containers": [{
                "name": "app",
                "image": "nginx:1.27",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "env": [
                    {"name": "PLAIN", "value": "v1\nv2"},
                    {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                    {"name": "IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}},
                    {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                    {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "requests.memory", "divisor": "1Mi"}}},
                    {"name": "PASS", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                    {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "mode", "optional": true}}}
                ],
                "envFrom": [{"configMapRef": {"name": "cfg"}}, {"secretRef": {"name": "db"}, "prefix": "DB_"}],
                "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"cpu": "250m", "memory": "64Mi"}},
                "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "periodSeconds": 5, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                "readinessProbe": {"tcpSocket": {"port": 80}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                "startupProbe": {"httpGet": {"path": "healthz", "port": 8080, "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                "volumeMounts": [{"name": "data", "mountPath": "/data", "subPath": "app"}]
            }],
            "nodeSelector": {"disktype": "ssd"},
            "volumes": [
                {"name": "data", "emptyDir": {"sizeLimit": "1Gi"}},
                {"name": "cfg", "configMap": {"name": "cfg", "optional": true}},
                {"name": "odd", "flocker": {"datasetName": "x"}}
            ]
        },
        "status": {"phase": "Pending"}
    });
    let events = vec![json!({
        "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default", "uid": "u1"},
        "reason": "FailedScheduling", "type": "Warning",
        "message": "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.\n",
        "eventTime": "2026-11-22T08:05:00.000000Z",
        "series": {"count": 5, "lastObservedTime": "2026-11-22T08:09:00.000000Z"},
        "reportingComponent": "default-scheduler"
    })];
    expect![[r#"
        Name:                      web
        Namespace:                 default
        Node:                      <none>
        Labels:                    <none>
        Annotations:               long:
                                     xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...
                                   note:
                                     line one
                                     line two
        Status:                    Terminating (lasts 12s)
        Termination Grace Period:  30s
        IP:                        
        IPs:                       <none>
        Controlled By:             ReplicaSet/web-5d4f
        Init Containers:
          init:
            Image:      busybox
            Port:       <none>
            Host Port:  <none>
            Args:
              a
              b
            Environment:  <none>
            Mounts:       <none>
        Containers:
          app:
            Image:      nginx:1.27
            Port:       80/TCP
            Host Port:  0/TCP
            Limits:
              cpu:     250m
              memory:  64Mi
            Requests:
              cpu:      250m
              memory:   64Mi
            Liveness:   exec [cat /tmp/healthy] delay=0s timeout=1s period=5s #success=1 #failure=3
            Readiness:  tcp-socket :80 delay=0s timeout=1s period=10s #success=1 #failure=3
            Startup:    http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
            Environment Variables from:
              cfg  ConfigMap                 Optional: false
              db   Secret with prefix 'DB_'  Optional: false
            Environment:
              PLAIN:  v1
                      v2
              POD:    web (v1:metadata.name)
              IP:      (v1:status.podIP)
              CPU:    1 (limits.cpu)
              MEM:    64 (requests.memory)
              PASS:   <set to the key 'password' in secret 'db'>   Optional: false
              MODE:   <set to the key 'mode' of config map 'cfg'>  Optional: true
            Mounts:
              /data from data (rw,path="app")
        Volumes:
          data:
            Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
            Medium:     
            SizeLimit:  1Gi
          cfg:
            Type:      ConfigMap (a volume populated by a ConfigMap)
            Name:      cfg
            Optional:  true
          odd:
          <unknown>
        QoS Class:       Burstable
        Node-Selectors:  disktype=ssd
        Tolerations:     <none>
        Events:
          Type     Reason            Age               From               Message
          ----     ------            ----              ----               -------
          Warning  FailedScheduling  60s (x5 over 5m)  default-scheduler  0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.
    "#]].assert_eq(&describe_pod(&pod, Some(&events), NOW));
}

#[test]
fn garbage_never_panics() {
    for junk in [
        json!(null),
        json!(7),
        json!({"spec": [], "status": "x", "metadata": 3}),
    ] {
        let _ = describe_pod(&junk, Some(std::slice::from_ref(&junk)), NOW);
        let _ = describe_node(
            &junk,
            std::slice::from_ref(&junk),
            Some(std::slice::from_ref(&junk)),
            NOW,
        );
        let _ = describe_deployment(&junk, std::slice::from_ref(&junk), Some(&[]), NOW);
        let _ = describe_daemonset(&junk, std::slice::from_ref(&junk), Some(&[]), NOW);
        let _ = replica_set::describe_replica_set(
            &junk,
            Ok(std::slice::from_ref(&junk)),
            Some(std::slice::from_ref(&junk)),
            NOW,
        );
        let _ = config::describe_config_map(&junk, Some(std::slice::from_ref(&junk)), NOW);
        let _ = config::describe_secret(&junk);
        let _ = namespace::describe_namespace(&junk);
    }
}

#[test]
fn secret_shows_sizes_a_token_in_clear_and_string_data() {
    let secret = json!({
        "metadata": {"name": "sa-token", "namespace": "default"},
        "type": "kubernetes.io/service-account-token",
        "data": {"token": "YWJjLmRlZg==", "ca.crt": "AAEC"},
        "stringData": {"extra": "héllo"},
    });
    expect![[r#"
        Name:         sa-token
        Namespace:    default
        Labels:       <none>
        Annotations:  <none>

        Type:  kubernetes.io/service-account-token

        Data
        ====
        ca.crt:  3 bytes
        extra:   6 bytes
        token:   abc.def
    "#]]
    .assert_eq(&config::describe_secret(&secret));
}

#[test]
fn replica_set_with_a_failed_pod_list_and_without_events() {
    let got = replica_set::describe_replica_set(
        &fx::coredns_replicaset(),
        Err("pods is forbidden"),
        None,
        NOW,
    );
    let status = got
        .lines()
        .find(|l| l.starts_with("Pods Status:"))
        .unwrap_or_default();
    assert_eq!(
        status,
        "Pods Status:    error in fetching pods: pods is forbidden"
    );
    assert!(!got.contains("Events:"), "{got}");
}

#[test]
fn namespace_conditions_table() {
    let ns = json!({
        "metadata": {"name": "doomed"},
        "status": {"phase": "Terminating", "conditions": [{
            "type": "NamespaceContentRemaining", "status": "False",
            "lastTransitionTime": "2026-11-22T08:00:00Z",
            "reason": "ContentRemoved", "message": "All content successfully removed",
        }]},
    });
    expect![[r#"
        Name:         doomed
        Labels:       <none>
        Annotations:  <none>
        Status:       Terminating
        Conditions:
          Type                       Status  LastTransitionTime               Reason          Message
          ----                       ------  ------------------               ------          -------
          NamespaceContentRemaining  False   Sun, 22 Nov 2026 08:00:00 +0000  ContentRemoved  All content successfully removed

        No resource quota.

        No LimitRange resource.
    "#]]
    .assert_eq(&namespace::describe_namespace(&ns));
}
