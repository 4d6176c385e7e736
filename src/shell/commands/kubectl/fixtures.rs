//! Realistic API objects shared by the kubectl output tests: a kubeadm control plane's etcd
//! mirror pod, a crash-looping busybox pod, the control-plane node, the CoreDNS deployment
//! with its ReplicaSet, the kube-proxy daemon set, and their events. Time zero is
//! 2026-11-22T08:00:00Z; the tests look at them at [`NOW`] (08:10:00).

use serde_json::{json, Value};

use crate::sim::SimTime;

/// 2026-11-22T08:10:00Z.
pub const NOW: SimTime = SimTime(600_000);

/// The static pod UID (config hash) the kubelet records events against.
pub const ETCD_HASH: &str = "6f2c9ab2d3c94d1c0a7f8e5b4c3d2e1f";

/// The etcd mirror pod of a kubeadm control plane, as the API server stores it.
pub fn etcd_mirror_pod() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "annotations": {
                "kubeadm.kubernetes.io/etcd.advertise-client-urls": "https://172.30.1.2:2379",
                "kubernetes.io/config.hash": ETCD_HASH,
                "kubernetes.io/config.mirror": ETCD_HASH,
                "kubernetes.io/config.seen": "2026-11-22T08:00:01.5Z",
                "kubernetes.io/config.source": "file"
            },
            "creationTimestamp": "2026-11-22T08:00:20Z",
            "labels": {"component": "etcd", "tier": "control-plane"},
            "name": "etcd-controlplane",
            "namespace": "kube-system",
            "ownerReferences": [{
                "apiVersion": "v1",
                "controller": true,
                "kind": "Node",
                "name": "controlplane",
                "uid": "0b6a3c3e-7c5e-4f0e-9d51-3c1f2a9e8d10"
            }],
            "resourceVersion": "312",
            "uid": "d7e0f1a2-3b4c-4d5e-8f90-a1b2c3d4e5f6"
        },
        "spec": {
            "containers": [{
                "command": [
                    "etcd",
                    "--advertise-client-urls=https://172.30.1.2:2379",
                    "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
                    "--data-dir=/var/lib/etcd",
                    "--listen-metrics-urls=http://127.0.0.1:2381",
                    "--name=controlplane"
                ],
                "image": "registry.k8s.io/etcd:3.6.4-0",
                "imagePullPolicy": "IfNotPresent",
                "livenessProbe": {
                    "failureThreshold": 8,
                    "httpGet": {"host": "127.0.0.1", "path": "/livez", "port": "probe-port", "scheme": "HTTP"},
                    "initialDelaySeconds": 10,
                    "periodSeconds": 10,
                    "successThreshold": 1,
                    "timeoutSeconds": 15
                },
                "name": "etcd",
                "ports": [{"containerPort": 2381, "hostPort": 2381, "name": "probe-port", "protocol": "TCP"}],
                "readinessProbe": {
                    "failureThreshold": 3,
                    "httpGet": {"host": "127.0.0.1", "path": "/readyz", "port": "probe-port", "scheme": "HTTP"},
                    "periodSeconds": 1,
                    "successThreshold": 1,
                    "timeoutSeconds": 15
                },
                "resources": {"requests": {"cpu": "100m", "memory": "100Mi"}},
                "startupProbe": {
                    "failureThreshold": 24,
                    "httpGet": {"host": "127.0.0.1", "path": "/readyz", "port": "probe-port", "scheme": "HTTP"},
                    "initialDelaySeconds": 10,
                    "periodSeconds": 10,
                    "successThreshold": 1,
                    "timeoutSeconds": 15
                },
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "volumeMounts": [
                    {"mountPath": "/var/lib/etcd", "name": "etcd-data"},
                    {"mountPath": "/etc/kubernetes/pki/etcd", "name": "etcd-certs"}
                ]
            }],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": true,
            "hostNetwork": true,
            "nodeName": "controlplane",
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 2000001000,
            "priorityClassName": "system-node-critical",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "terminationGracePeriodSeconds": 30,
            "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
            "volumes": [
                {"hostPath": {"path": "/etc/kubernetes/pki/etcd", "type": "DirectoryOrCreate"}, "name": "etcd-certs"},
                {"hostPath": {"path": "/var/lib/etcd", "type": "DirectoryOrCreate"}, "name": "etcd-data"}
            ]
        },
        "status": {
            "conditions": [
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:00:03Z", "status": "True", "type": "PodReadyToStartContainers"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:00:01Z", "status": "True", "type": "Initialized"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:00:25Z", "status": "True", "type": "Ready"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:00:25Z", "status": "True", "type": "ContainersReady"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:00:01Z", "status": "True", "type": "PodScheduled"}
            ],
            "containerStatuses": [{
                "containerID": "containerd://4d1f0c8e2b7a9d3e5f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6",
                "image": "registry.k8s.io/etcd:3.6.4-0",
                "imageID": "registry.k8s.io/etcd@sha256:e36c081683425b5b3bc1425bc508b37e7107bb65dfa9367bf5a80125d431fa19",
                "lastState": {},
                "name": "etcd",
                "ready": true,
                "restartCount": 0,
                "started": true,
                "state": {"running": {"startedAt": "2026-11-22T08:00:02Z"}}
            }],
            "hostIP": "172.30.1.2",
            "hostIPs": [{"ip": "172.30.1.2"}],
            "phase": "Running",
            "podIP": "172.30.1.2",
            "podIPs": [{"ip": "172.30.1.2"}],
            "qosClass": "Burstable",
            "startTime": "2026-11-22T08:00:01Z"
        }
    })
}

/// A busybox pod in CrashLoopBackOff after three restarts.
pub fn crasher_pod() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "creationTimestamp": "2026-11-22T08:02:00Z",
            "labels": {"run": "crasher"},
            "name": "crasher",
            "namespace": "default",
            "resourceVersion": "1044",
            "uid": "5f1c2b3a-9d8e-4c7b-a6f5-e4d3c2b1a098"
        },
        "spec": {
            "containers": [{
                "command": ["sh", "-c", "echo starting; exit 1"],
                "image": "busybox:1.36",
                "imagePullPolicy": "IfNotPresent",
                "name": "crasher",
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "volumeMounts": [{
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                    "name": "kube-api-access-x7k2p",
                    "readOnly": true
                }]
            }],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": true,
            "nodeName": "node01",
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": "default",
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
            ],
            "volumes": [{
                "name": "kube-api-access-x7k2p",
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                    ]
                }
            }]
        },
        "status": {
            "conditions": [
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:02:03Z", "status": "True", "type": "PodReadyToStartContainers"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:02:00Z", "status": "True", "type": "Initialized"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:02:05Z", "message": "containers with unready status: [crasher]", "reason": "ContainersNotReady", "status": "False", "type": "Ready"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:02:05Z", "message": "containers with unready status: [crasher]", "reason": "ContainersNotReady", "status": "False", "type": "ContainersReady"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-11-22T08:02:00Z", "status": "True", "type": "PodScheduled"}
            ],
            "containerStatuses": [{
                "containerID": "containerd://9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d",
                "image": "docker.io/library/busybox:1.36",
                "imageID": "docker.io/library/busybox@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7",
                "lastState": {"terminated": {
                    "containerID": "containerd://9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d",
                    "exitCode": 1,
                    "finishedAt": "2026-11-22T08:04:10Z",
                    "reason": "Error",
                    "startedAt": "2026-11-22T08:04:10Z"
                }},
                "name": "crasher",
                "ready": false,
                "restartCount": 3,
                "started": false,
                "state": {"waiting": {
                    "message": "back-off 40s restarting failed container=crasher pod=crasher_default(5f1c2b3a-9d8e-4c7b-a6f5-e4d3c2b1a098)",
                    "reason": "CrashLoopBackOff"
                }}
            }],
            "hostIP": "172.30.2.2",
            "hostIPs": [{"ip": "172.30.2.2"}],
            "phase": "Running",
            "podIP": "10.244.1.5",
            "podIPs": [{"ip": "10.244.1.5"}],
            "qosClass": "BestEffort",
            "startTime": "2026-11-22T08:02:00Z"
        }
    })
}

fn pod_event(
    name: &str,
    pod: (&str, &str, &str),
    reason: &str,
    kind: &str,
    message: &str,
    times: (&str, &str, u32),
) -> Value {
    let (pod_name, namespace, uid) = pod;
    let (first, last, count) = times;
    json!({
        "apiVersion": "v1",
        "count": count,
        "firstTimestamp": first,
        "involvedObject": {
            "apiVersion": "v1",
            "fieldPath": format!("spec.containers{{{}}}", pod_name.split('-').next().unwrap_or(pod_name)),
            "kind": "Pod",
            "name": pod_name,
            "namespace": namespace,
            "uid": uid
        },
        "kind": "Event",
        "lastTimestamp": last,
        "message": message,
        "metadata": {"name": name, "namespace": namespace},
        "reason": reason,
        "reportingComponent": "kubelet",
        "reportingInstance": "node01",
        "source": {"component": "kubelet", "host": "node01"},
        "type": kind
    })
}

/// Events of the default namespace, for the crasher pod.
pub fn crasher_events() -> Vec<Value> {
    let pod = ("crasher", "default", "5f1c2b3a-9d8e-4c7b-a6f5-e4d3c2b1a098");
    vec![
        json!({
            "action": "Binding",
            "apiVersion": "v1",
            "eventTime": "2026-11-22T08:02:00.123456Z",
            "firstTimestamp": null,
            "involvedObject": {
                "apiVersion": "v1",
                "kind": "Pod",
                "name": "crasher",
                "namespace": "default",
                "resourceVersion": "1001",
                "uid": "5f1c2b3a-9d8e-4c7b-a6f5-e4d3c2b1a098"
            },
            "kind": "Event",
            "lastTimestamp": null,
            "message": "Successfully assigned default/crasher to node01",
            "metadata": {"name": "crasher.187a3b0c1d2e3f40", "namespace": "default"},
            "reason": "Scheduled",
            "reportingComponent": "default-scheduler",
            "reportingInstance": "default-scheduler-controlplane",
            "source": {},
            "type": "Normal"
        }),
        pod_event(
            "crasher.187a3b0c5e6f7a81",
            pod,
            "Pulled",
            "Normal",
            "Container image \"busybox:1.36\" already present on machine",
            ("2026-11-22T08:02:01Z", "2026-11-22T08:04:10Z", 4),
        ),
        pod_event(
            "crasher.187a3b0c6a7b8c92",
            pod,
            "Created",
            "Normal",
            "Created container: crasher",
            ("2026-11-22T08:02:01Z", "2026-11-22T08:04:10Z", 4),
        ),
        pod_event(
            "crasher.187a3b0c7b8c9da3",
            pod,
            "Started",
            "Normal",
            "Started container crasher",
            ("2026-11-22T08:02:02Z", "2026-11-22T08:04:10Z", 4),
        ),
        pod_event(
            "crasher.187a3b0d8c9daeb4",
            pod,
            "BackOff",
            "Warning",
            "Back-off restarting failed container crasher in pod crasher_default(5f1c2b3a-9d8e-4c7b-a6f5-e4d3c2b1a098)",
            ("2026-11-22T08:02:05Z", "2026-11-22T08:09:50Z", 31),
        ),
        // Another pod's event in the same namespace.
        pod_event(
            "web.187a3b0d00000001",
            ("web", "default", "11111111-2222-3333-4444-555555555555"),
            "Started",
            "Normal",
            "Started container web",
            ("2026-11-22T08:03:00Z", "2026-11-22T08:03:00Z", 1),
        ),
    ]
}

/// Events of kube-system: the kubelet's, recorded against the static pod's UID, and one
/// recorded against the mirror pod's own UID that `describe` must not show.
pub fn etcd_events() -> Vec<Value> {
    let static_pod = ("etcd-controlplane", "kube-system", ETCD_HASH);
    vec![
        pod_event(
            "etcd-controlplane.187a3a0000000001",
            static_pod,
            "Pulled",
            "Normal",
            "Container image \"registry.k8s.io/etcd:3.6.4-0\" already present on machine",
            ("2026-11-22T08:00:01Z", "2026-11-22T08:00:01Z", 1),
        ),
        pod_event(
            "etcd-controlplane.187a3a0000000002",
            static_pod,
            "Created",
            "Normal",
            "Created container: etcd",
            ("2026-11-22T08:00:01Z", "2026-11-22T08:00:01Z", 1),
        ),
        pod_event(
            "etcd-controlplane.187a3a0000000003",
            static_pod,
            "Started",
            "Normal",
            "Started container etcd",
            ("2026-11-22T08:00:02Z", "2026-11-22T08:00:02Z", 1),
        ),
        pod_event(
            "etcd-controlplane.187a3a0000000004",
            (
                "etcd-controlplane",
                "kube-system",
                "d7e0f1a2-3b4c-4d5e-8f90-a1b2c3d4e5f6",
            ),
            "Killing",
            "Normal",
            "Stopping container etcd",
            ("2026-11-22T08:05:00Z", "2026-11-22T08:05:00Z", 1),
        ),
    ]
}

/// The kubeadm control-plane node, ready and tainted.
pub fn controlplane_node() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true"
            },
            "creationTimestamp": "2026-11-22T08:00:10Z",
            "labels": {
                "beta.kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": "controlplane",
                "kubernetes.io/os": "linux",
                "node-role.kubernetes.io/control-plane": "",
                "node.kubernetes.io/exclude-from-external-load-balancers": ""
            },
            "name": "controlplane",
            "resourceVersion": "980",
            "uid": "0b6a3c3e-7c5e-4f0e-9d51-3c1f2a9e8d10"
        },
        "spec": {
            "podCIDR": "10.244.0.0/24",
            "podCIDRs": ["10.244.0.0/24"],
            "taints": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
        },
        "status": {
            "addresses": [
                {"address": "172.30.1.2", "type": "InternalIP"},
                {"address": "controlplane", "type": "Hostname"}
            ],
            "allocatable": {
                "cpu": "2",
                "ephemeral-storage": "18698362005",
                "hugepages-1Gi": "0",
                "hugepages-2Mi": "0",
                "memory": "3920300Ki",
                "pods": "110"
            },
            "capacity": {
                "cpu": "2",
                "ephemeral-storage": "20134592Ki",
                "hugepages-1Gi": "0",
                "hugepages-2Mi": "0",
                "memory": "4022700Ki",
                "pods": "110"
            },
            "conditions": [
                {"lastHeartbeatTime": "2026-11-22T08:09:30Z", "lastTransitionTime": "2026-11-22T08:00:10Z", "message": "kubelet has sufficient memory available", "reason": "KubeletHasSufficientMemory", "status": "False", "type": "MemoryPressure"},
                {"lastHeartbeatTime": "2026-11-22T08:09:30Z", "lastTransitionTime": "2026-11-22T08:00:10Z", "message": "kubelet has no disk pressure", "reason": "KubeletHasNoDiskPressure", "status": "False", "type": "DiskPressure"},
                {"lastHeartbeatTime": "2026-11-22T08:09:30Z", "lastTransitionTime": "2026-11-22T08:00:10Z", "message": "kubelet has sufficient PID available", "reason": "KubeletHasSufficientPID", "status": "False", "type": "PIDPressure"},
                {"lastHeartbeatTime": "2026-11-22T08:09:30Z", "lastTransitionTime": "2026-11-22T08:00:40Z", "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"}
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": "8d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f",
                "containerRuntimeVersion": "containerd://1.7.27",
                "kernelVersion": "5.15.0-143-generic",
                "kubeProxyVersion": "",
                "kubeletVersion": "v1.34.1",
                "machineID": "2b7f3c1d9e8a4b6c8d0e1f2a3b4c5d6e",
                "operatingSystem": "linux",
                "osImage": "Ubuntu 22.04.5 LTS",
                "systemUUID": "ec2b7f3c-1d9e-8a4b-6c8d-0e1f2a3b4c5d"
            }
        }
    })
}

/// The node's Lease in kube-node-lease.
pub fn controlplane_lease() -> Value {
    json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": "controlplane", "namespace": "kube-node-lease"},
        "spec": {
            "holderIdentity": "controlplane",
            "leaseDurationSeconds": 40,
            "renewTime": "2026-11-22T08:09:58.512345Z"
        }
    })
}

/// Node events: the kubelet uses the node name as UID.
pub fn node_events() -> Vec<Value> {
    let event = |name: &str, reason: &str, message: &str, uid: &str, component: &str| {
        json!({
            "apiVersion": "v1",
            "count": 1,
            "firstTimestamp": "2026-11-22T08:00:10Z",
            "involvedObject": {"kind": "Node", "name": "controlplane", "uid": uid},
            "kind": "Event",
            "lastTimestamp": "2026-11-22T08:00:10Z",
            "message": message,
            "metadata": {"name": name, "namespace": "default"},
            "reason": reason,
            "source": {"component": component},
            "type": "Normal"
        })
    };
    vec![
        event(
            "controlplane.1",
            "RegisteredNode",
            "Node controlplane event: Registered Node controlplane in Controller",
            "0b6a3c3e-7c5e-4f0e-9d51-3c1f2a9e8d10",
            "node-controller",
        ),
        event(
            "controlplane.2",
            "Starting",
            "Starting kubelet.",
            "controlplane",
            "kubelet",
        ),
    ]
}

/// kubeadm's CoreDNS deployment.
pub fn coredns_deployment() -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "annotations": {"deployment.kubernetes.io/revision": "1"},
            "creationTimestamp": "2026-11-22T08:00:30Z",
            "generation": 1,
            "labels": {"k8s-app": "kube-dns"},
            "name": "coredns",
            "namespace": "kube-system",
            "uid": "aa11bb22-cc33-4d44-8e55-ff6677889900"
        },
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": 2,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}, "type": "RollingUpdate"},
            "template": coredns_template(None)
        },
        "status": {
            "availableReplicas": 2,
            "conditions": [
                {"lastTransitionTime": "2026-11-22T08:01:10Z", "lastUpdateTime": "2026-11-22T08:01:10Z", "message": "Deployment has minimum availability.", "reason": "MinimumReplicasAvailable", "status": "True", "type": "Available"},
                {"lastTransitionTime": "2026-11-22T08:00:30Z", "lastUpdateTime": "2026-11-22T08:01:10Z", "message": "ReplicaSet \"coredns-66bc5c9577\" has successfully progressed.", "reason": "NewReplicaSetAvailable", "status": "True", "type": "Progressing"}
            ],
            "observedGeneration": 1,
            "readyReplicas": 2,
            "replicas": 2,
            "updatedReplicas": 2
        }
    })
}

fn coredns_template(hash: Option<&str>) -> Value {
    let mut labels = json!({"k8s-app": "kube-dns"});
    if let Some(hash) = hash {
        labels["pod-template-hash"] = json!(hash);
    }
    json!({
        "metadata": {"labels": labels},
        "spec": {
            "containers": [{
                "args": ["-conf", "/etc/coredns/Corefile"],
                "image": "registry.k8s.io/coredns/coredns:v1.12.1",
                "imagePullPolicy": "IfNotPresent",
                "name": "coredns",
                "ports": [
                    {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                    {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                    {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}
                ],
                "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": true}]
            }],
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "priorityClassName": "system-cluster-critical",
            "serviceAccountName": "coredns",
            "tolerations": [
                {"key": "CriticalAddonsOnly", "operator": "Exists"},
                {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}
            ],
            "volumes": [{"configMap": {"defaultMode": 420, "items": [{"key": "Corefile", "path": "Corefile"}], "name": "coredns"}, "name": "config-volume"}]
        }
    })
}

/// The CoreDNS deployment's current ReplicaSet.
pub fn coredns_replicaset() -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "creationTimestamp": "2026-11-22T08:00:40Z",
            "labels": {"k8s-app": "kube-dns", "pod-template-hash": "66bc5c9577"},
            "name": "coredns-66bc5c9577",
            "namespace": "kube-system",
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true, "kind": "Deployment", "name": "coredns", "uid": "aa11bb22-cc33-4d44-8e55-ff6677889900"}],
            "uid": "bb22cc33-dd44-4e55-9f66-007788990011"
        },
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"k8s-app": "kube-dns", "pod-template-hash": "66bc5c9577"}},
            "template": coredns_template(Some("66bc5c9577"))
        },
        "status": {"availableReplicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1, "readyReplicas": 2, "replicas": 2}
    })
}

/// kubeadm's kube-proxy daemon set on a two-node cluster.
pub fn kube_proxy_daemonset() -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {
            "annotations": {"deprecated.daemonset.template.generation": "1"},
            "creationTimestamp": "2026-11-22T08:00:30Z",
            "labels": {"k8s-app": "kube-proxy"},
            "name": "kube-proxy",
            "namespace": "kube-system",
            "uid": "cc33dd44-ee55-4f66-a077-118899001122"
        },
        "spec": {
            "selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-proxy"}},
                "spec": {
                    "containers": [{
                        "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"],
                        "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                        "image": "registry.k8s.io/kube-proxy:v1.34.1",
                        "name": "kube-proxy",
                        "securityContext": {"privileged": true},
                        "volumeMounts": [
                            {"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                            {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                            {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": true}
                        ]
                    }],
                    "hostNetwork": true,
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "kube-proxy",
                    "tolerations": [{"operator": "Exists"}],
                    "volumes": [
                        {"configMap": {"defaultMode": 420, "name": "kube-proxy"}, "name": "kube-proxy"},
                        {"hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"}, "name": "xtables-lock"},
                        {"hostPath": {"path": "/lib/modules", "type": ""}, "name": "lib-modules"}
                    ]
                }
            },
            "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"}
        },
        "status": {
            "currentNumberScheduled": 2,
            "desiredNumberScheduled": 2,
            "numberAvailable": 2,
            "numberMisscheduled": 0,
            "numberReady": 2,
            "observedGeneration": 1,
            "updatedNumberScheduled": 2
        }
    })
}

/// kube-proxy's pods: one running, one pending, and an unrelated pod with the same label.
pub fn kube_proxy_pods() -> Vec<Value> {
    let pod = |name: &str, phase: &str, owner_uid: &str| {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "labels": {"k8s-app": "kube-proxy"},
                "name": name,
                "namespace": "kube-system",
                "ownerReferences": [{"apiVersion": "apps/v1", "controller": true, "kind": "DaemonSet", "name": "kube-proxy", "uid": owner_uid}]
            },
            "status": {"phase": phase}
        })
    };
    vec![
        pod(
            "kube-proxy-7xk2p",
            "Running",
            "cc33dd44-ee55-4f66-a077-118899001122",
        ),
        pod(
            "kube-proxy-q9m4z",
            "Pending",
            "cc33dd44-ee55-4f66-a077-118899001122",
        ),
        pod(
            "impostor",
            "Running",
            "00000000-0000-0000-0000-000000000000",
        ),
    ]
}
