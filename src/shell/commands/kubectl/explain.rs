//! `kubectl explain` in the layout of kubectl v1.34's OpenAPI v3 template
//! (`staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl`): KIND, VERSION,
//! FIELD, DESCRIPTION and the FIELDS list with types and `-required-` markers.
//!
//! Simplified: the schemas cover Pods (the fields the lessons use: metadata, the spec fields of
//! static pods, containers, ports, probes, resources and status), Deployments, Services and
//! Nodes (the fields a CKA candidate looks up), with descriptions written for the playground
//! rather than the API reference's text; other kinds say so; `--recursive` is not available.

use super::cli::{CommandSpec, Parsed};
use super::client::{plain_error, usage_error, Client};
use super::resources::resolve_type;
use crate::apiserver::store::Resource;
use crate::shell::io::Output;

/// `kubectl explain`.
pub const SPEC: CommandSpec = CommandSpec {
    name: "explain",
    usage: "kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]",
    summary: "Get documentation for a resource.",
    flags: &[],
    unsupported: &["api-version", "output", "o", "recursive"],
};

/// One schema field: its path below `pod`, type, whether required, and description.
struct Field {
    path: &'static str,
    kind: &'static str,
    required: bool,
    about: &'static str,
}

const fn f(path: &'static str, kind: &'static str, about: &'static str) -> Field {
    Field {
        path,
        kind,
        required: false,
        about,
    }
}

const fn req(path: &'static str, kind: &'static str, about: &'static str) -> Field {
    Field {
        path,
        kind,
        required: true,
        about,
    }
}

/// One kind's schema: its group (empty for core), kind, version, description and fields; a
/// mount lends another schema's fields below a path (a Deployment's `spec.template.spec` is a
/// PodSpec).
struct Schema {
    group: &'static str,
    kind: &'static str,
    version: &'static str,
    about: &'static str,
    fields: &'static [Field],
    mounts: &'static [(&'static str, &'static [Field], &'static str)],
}

const POD: Schema = Schema {
    group: "",
    kind: "Pod",
    version: "v1",
    about: POD_ABOUT,
    fields: FIELDS,
    mounts: &[],
};

const DEPLOYMENT: Schema = Schema {
    group: "apps",
    kind: "Deployment",
    version: "v1",
    about: "Deployment keeps a number of identical pods running from one pod template, through ReplicaSets it creates and scales, and rolls out a changed template gradually.",
    fields: DEPLOYMENT_FIELDS,
    mounts: &[
        ("metadata", FIELDS, "metadata"),
        ("spec.template.metadata", FIELDS, "metadata"),
        ("spec.template.spec", FIELDS, "spec"),
    ],
};

const SERVICE: Schema = Schema {
    group: "",
    kind: "Service",
    version: "v1",
    about: "Service gives a set of pods, chosen by a label selector, one stable virtual IP address and DNS name, and spreads connections to its ports across the pods that are ready.",
    fields: SERVICE_FIELDS,
    mounts: &[("metadata", FIELDS, "metadata")],
};

const NODE: Schema = Schema {
    group: "",
    kind: "Node",
    version: "v1",
    about: "Node is a machine that runs pods. Its kubelet registers it, keeps its status current and renews its Lease in kube-node-lease as a heartbeat.",
    fields: NODE_FIELDS,
    mounts: &[("metadata", FIELDS, "metadata")],
};

const OBJECT_FIELDS_NOTE: &str = "Standard object metadata: name, namespace, labels, annotations and the fields the server sets.";

/// The Deployment schema, parents before children.
const DEPLOYMENT_FIELDS: &[Field] = &[
    f("apiVersion", "string", "The versioned schema of this object: \"apps/v1\" for a Deployment."),
    f("kind", "string", "The REST resource this object represents, in CamelCase: \"Deployment\"."),
    f("metadata", "ObjectMeta", OBJECT_FIELDS_NOTE),
    f("spec", "DeploymentSpec", "The desired state of the Deployment."),
    f("spec.minReadySeconds", "integer", "Seconds a new pod must be ready, without a container crashing, before it counts as available. Defaults to 0."),
    f("spec.paused", "boolean", "Whether the Deployment is paused: template changes are not rolled out until it is resumed."),
    f("spec.progressDeadlineSeconds", "integer", "Seconds a rollout may go without progress before the Deployment reports ProgressDeadlineExceeded in its Progressing condition. Defaults to 600."),
    f("spec.replicas", "integer", "How many pods the Deployment keeps running. Defaults to 1; kubectl scale changes it."),
    f("spec.revisionHistoryLimit", "integer", "How many old ReplicaSets are kept for kubectl rollout undo. Defaults to 10."),
    req("spec.selector", "LabelSelector", "The label query over pods that the Deployment manages. It must match the template's labels and cannot change after creation."),
    f("spec.selector.matchExpressions", "[]LabelSelectorRequirement", "Requirements (key, operator In, NotIn, Exists or DoesNotExist, values) that are ANDed together."),
    f("spec.selector.matchLabels", "map[string]string", "Exact key=value pairs a pod's labels must contain."),
    f("spec.strategy", "DeploymentStrategy", "How a new template replaces the old pods."),
    f("spec.strategy.rollingUpdate", "RollingUpdateDeployment", "Bounds on a rolling update; only with type RollingUpdate."),
    f("spec.strategy.rollingUpdate.maxSurge", "IntOrString", "How many pods (a number or a percentage of replicas, rounded up) may exist above the desired count during a rollout. Defaults to 25%."),
    f("spec.strategy.rollingUpdate.maxUnavailable", "IntOrString", "How many pods (a number or a percentage of replicas, rounded down) may be unavailable during a rollout. Defaults to 25%."),
    f("spec.strategy.type", "string", "The kind of rollout: RollingUpdate (the default) replaces pods gradually; Recreate removes all old pods before creating new ones.\n\nPossible enum values:\n - `\"Recreate\"` stops every old pod first, then starts the new ones.\n - `\"RollingUpdate\"` scales the new ReplicaSet up while the old ones scale down, within maxSurge and maxUnavailable."),
    req("spec.template", "PodTemplateSpec", "The pods to create: their metadata (the labels must match the selector) and spec. Changing it starts a rollout."),
    f("spec.template.metadata", "ObjectMeta", "Metadata given to each pod: labels and annotations."),
    f("spec.template.spec", "PodSpec", "The spec of each pod, as in a Pod's spec."),
    f("status", "DeploymentStatus", "The most recently observed status of the Deployment, written by its controller. Read-only."),
    f("status.availableReplicas", "integer", "Pods that have been ready for at least minReadySeconds."),
    f("status.conditions", "[]DeploymentCondition", "The Deployment's conditions: Available and Progressing (with ReplicaFailure when pods cannot be created)."),
    f("status.observedGeneration", "integer", "The generation of the spec the controller last acted on."),
    f("status.readyReplicas", "integer", "Pods whose Ready condition is true."),
    f("status.replicas", "integer", "Pods of all the Deployment's ReplicaSets."),
    f("status.unavailableReplicas", "integer", "Pods still needed for the Deployment to be fully available."),
    f("status.updatedReplicas", "integer", "Pods made from the current template."),
];

/// The Service schema, parents before children.
const SERVICE_FIELDS: &[Field] = &[
    f("apiVersion", "string", "The versioned schema of this object: \"v1\" for a Service."),
    f("kind", "string", "The REST resource this object represents, in CamelCase: \"Service\"."),
    f("metadata", "ObjectMeta", OBJECT_FIELDS_NOTE),
    f("spec", "ServiceSpec", "The desired behaviour of the Service."),
    f("spec.clusterIP", "string", "The virtual IP address of the Service, assigned from the service range (10.96.0.0/12 on kubeadm) unless given; \"None\" makes a headless Service. Cannot be changed."),
    f("spec.clusterIPs", "[]string", "The Service's virtual IP addresses, one per IP family; the first equals clusterIP."),
    f("spec.externalIPs", "[]string", "Addresses outside the cluster at which the nodes also accept traffic for the Service."),
    f("spec.externalName", "string", "The DNS name an ExternalName Service is an alias for."),
    f("spec.externalTrafficPolicy", "string", "Whether traffic arriving at a node port or load balancer may go to pods on other nodes (Cluster, the default) or only to pods on the receiving node (Local).\n\nPossible enum values:\n - `\"Cluster\"` any ready pod of the Service may receive the traffic.\n - `\"Local\"` only pods on the receiving node do, which keeps the client's source address; without one there the traffic is dropped."),
    f("spec.internalTrafficPolicy", "string", "Whether traffic from inside the cluster may go to pods on any node (Cluster, the default) or only on the sending node (Local)."),
    f("spec.ipFamilies", "[]string", "The IP families (IPv4, IPv6) of the Service's addresses."),
    f("spec.ipFamilyPolicy", "string", "SingleStack, PreferDualStack or RequireDualStack. Defaults to SingleStack."),
    f("spec.ports", "[]ServicePort", "The ports the Service exposes."),
    f("spec.ports.appProtocol", "string", "The application protocol of the port, as a hint to implementations."),
    f("spec.ports.name", "string", "The port's name, required when there is more than one port; EndpointSlices refer to it."),
    f("spec.ports.nodePort", "integer", "The port on every node (30000-32767 by default) that forwards to this port, for NodePort and LoadBalancer Services. Allocated when not given."),
    req("spec.ports.port", "integer", "The port the Service listens on at its cluster IP."),
    f("spec.ports.protocol", "string", "TCP, UDP or SCTP. Defaults to TCP.\n\nPossible enum values:\n - `\"SCTP\"`\n - `\"TCP\"`\n - `\"UDP\"`"),
    f("spec.ports.targetPort", "IntOrString", "The port (a number, or the name of a container port) on the pods that traffic goes to. Defaults to the value of port."),
    f("spec.selector", "map[string]string", "The labels of the pods traffic goes to. Without a selector the Service gets no EndpointSlices of its own (they are managed by hand)."),
    f("spec.sessionAffinity", "string", "ClientIP sends a client's connections to the same pod; None (the default) does not."),
    f("spec.type", "string", "How the Service is exposed: ClusterIP (the default, inside the cluster only), NodePort (also on a port of every node), LoadBalancer (also through a cloud load balancer) or ExternalName (a DNS alias).\n\nPossible enum values:\n - `\"ClusterIP\"` reachable at its cluster IP from inside the cluster.\n - `\"ExternalName\"` a DNS CNAME to externalName; no cluster IP and no proxying.\n - `\"LoadBalancer\"` a NodePort Service that a cloud load balancer also fronts.\n - `\"NodePort\"` a ClusterIP Service that every node also serves on its node port."),
    f("status", "ServiceStatus", "The most recently observed status of the Service: its load balancer, if any. Read-only."),
    f("status.conditions", "[]Condition", "The Service's current conditions."),
    f("status.loadBalancer", "LoadBalancerStatus", "The addresses of the Service's load balancer, if it has one."),
];

/// The Node schema, parents before children.
const NODE_FIELDS: &[Field] = &[
    f("apiVersion", "string", "The versioned schema of this object: \"v1\" for a Node."),
    f("kind", "string", "The REST resource this object represents, in CamelCase: \"Node\"."),
    f("metadata", "ObjectMeta", OBJECT_FIELDS_NOTE),
    f("spec", "NodeSpec", "How the node is to be used: its pod address range, taints and whether it takes new pods."),
    f("spec.podCIDR", "string", "The pod IP range assigned to the node (by the controller manager's node IPAM with --allocate-node-cidrs); pods on the node get addresses from it."),
    f("spec.podCIDRs", "[]string", "The pod IP ranges assigned to the node, at most one per IP family; the first equals podCIDR."),
    f("spec.providerID", "string", "The node's ID in its cloud provider's terms: <ProviderName>://<ProviderSpecificNodeID>."),
    f("spec.taints", "[]Taint", "Taints that repel pods which do not tolerate them. kubeadm taints the control-plane node with node-role.kubernetes.io/control-plane:NoSchedule."),
    req("spec.taints.effect", "string", "What the taint does to pods that do not tolerate it: NoSchedule (not scheduled here), PreferNoSchedule (avoided) or NoExecute (also evicted).\n\nPossible enum values:\n - `\"NoExecute\"` pods that do not tolerate it are not scheduled and running ones are evicted.\n - `\"NoSchedule\"` the scheduler places no new intolerant pod here; running pods and static pods are not affected.\n - `\"PreferNoSchedule\"` the scheduler avoids the node for intolerant pods when it can."),
    req("spec.taints.key", "string", "The taint's key."),
    f("spec.taints.timeAdded", "string", "When a NoExecute taint was added."),
    f("spec.taints.value", "string", "The taint's value."),
    f("spec.unschedulable", "boolean", "Whether new pods are kept off the node; kubectl cordon sets it and kubectl uncordon clears it. Pods already there keep running."),
    f("status", "NodeStatus", "The most recently observed status of the node, written by its kubelet. Read-only."),
    f("status.addresses", "[]NodeAddress", "The node's addresses: InternalIP, ExternalIP, Hostname."),
    f("status.allocatable", "map[string]Quantity", "The resources available to pods: capacity less what is reserved for the system."),
    f("status.capacity", "map[string]Quantity", "The node's total resources: cpu, memory, ephemeral-storage, pods."),
    f("status.conditions", "[]NodeCondition", "The node's conditions: Ready, MemoryPressure, DiskPressure, PIDPressure. Ready is Unknown when the kubelet stops posting status."),
    f("status.daemonEndpoints", "NodeDaemonEndpoints", "The ports the node's daemons listen on: the kubelet's (10250)."),
    f("status.images", "[]ContainerImage", "Images present on the node."),
    f("status.nodeInfo", "NodeSystemInfo", "Facts about the node: kernel, OS image, container runtime and kubelet versions."),
];

const POD_ABOUT: &str = "Pod is a group of one or more containers that share a network namespace and volumes and are scheduled together onto one node. A static pod is read by the kubelet from a manifest file instead of the API server; the kubelet then publishes a read-only mirror pod for it.";

/// The Pod schema, parents before children.
const FIELDS: &[Field] = &[
    f("apiVersion", "string", "The versioned schema of this object. Servers convert recognised schemas to their latest internal value; for a Pod it is \"v1\"."),
    f("kind", "string", "The REST resource this object represents, in CamelCase: \"Pod\"."),
    f("metadata", "ObjectMeta", "Standard object metadata: name, namespace, labels, annotations and the fields the server sets."),
    f("metadata.annotations", "map[string]string", "Unstructured key-value data kept with the object. The kubelet records a static pod's source and hash here (kubernetes.io/config.*)."),
    f("metadata.labels", "map[string]string", "Key-value pairs used to organise and select objects (kubectl get -l, selectors of controllers)."),
    f("metadata.name", "string", "The object's name, unique within its namespace. A static pod's mirror is named after the manifest's pod name plus \"-\" and the node name."),
    f("metadata.namespace", "string", "The namespace the object lives in. Empty means \"default\"."),
    f("metadata.ownerReferences", "[]OwnerReference", "Objects this one depends on. A mirror pod is owned by its Node."),
    f("metadata.uid", "string", "A unique value the server assigns when the object is created. Read-only."),
    f("spec", "PodSpec", "The desired behaviour of the pod."),
    f("spec.activeDeadlineSeconds", "integer", "How long, in seconds, the pod may be active on its node before the kubelet fails it."),
    req("spec.containers", "[]Container", "The containers of the pod. There must be at least one; containers cannot be added or removed after the pod is created."),
    f("spec.containers.args", "[]string", "Arguments to the entrypoint. The image's CMD is used when this is not given."),
    f("spec.containers.command", "[]string", "The entrypoint array, run without a shell. The image's ENTRYPOINT is used when this is not given."),
    f("spec.containers.env", "[]EnvVar", "Environment variables to set in the container."),
    f("spec.containers.image", "string", "The container image name, e.g. nginx:1.27 or registry.k8s.io/etcd:3.6.4-0."),
    f("spec.containers.imagePullPolicy", "string", "When to pull the image: Always, Never or IfNotPresent. Defaults to Always for :latest (or no tag), IfNotPresent otherwise.\n\nPossible enum values:\n - `\"Always\"` means that the kubelet always attempts to pull the latest image.\n - `\"IfNotPresent\"` means that the kubelet pulls if the image isn't present on disk.\n - `\"Never\"` means that the kubelet never pulls an image, but only uses a local image."),
    f("spec.containers.livenessProbe", "Probe", "Periodic probe of container liveness. The kubelet restarts the container when the probe fails failureThreshold times in a row."),
    f("spec.containers.livenessProbe.exec", "ExecAction", "Runs a command in the container; exit status 0 is success."),
    f("spec.containers.livenessProbe.failureThreshold", "integer", "Consecutive failures after which the probe counts as failed. Defaults to 3."),
    f("spec.containers.livenessProbe.httpGet", "HTTPGetAction", "An HTTP GET; a status from 200 to 399 is success."),
    f("spec.containers.livenessProbe.initialDelaySeconds", "integer", "Seconds after the container starts before the first probe."),
    f("spec.containers.livenessProbe.periodSeconds", "integer", "How often, in seconds, to probe. Defaults to 10."),
    f("spec.containers.livenessProbe.tcpSocket", "TCPSocketAction", "Opens a TCP connection; success when it connects."),
    f("spec.containers.livenessProbe.timeoutSeconds", "integer", "Seconds after which the probe times out. Defaults to 1."),
    req("spec.containers.name", "string", "The container's name, a DNS label unique within the pod."),
    f("spec.containers.ports", "[]ContainerPort", "Ports the container exposes. Informational: a port the process listens on is reachable whether or not it is listed."),
    req("spec.containers.ports.containerPort", "integer", "The port number on the pod's IP address, 0 < x < 65536."),
    f("spec.containers.ports.hostPort", "integer", "A port to expose on the node. Most containers do not need this."),
    f("spec.containers.ports.name", "string", "A name for the port, unique in the pod, that probes can refer to."),
    f("spec.containers.ports.protocol", "string", "TCP, UDP or SCTP. Defaults to TCP."),
    f("spec.containers.readinessProbe", "Probe", "Periodic probe of container readiness. A container that fails it is not Ready."),
    f("spec.containers.resources", "ResourceRequirements", "Compute resources the container requests and is limited to."),
    f("spec.containers.resources.limits", "map[string]Quantity", "The most compute resources the container may use."),
    f("spec.containers.resources.requests", "map[string]Quantity", "The compute resources the scheduler reserves for the container."),
    f("spec.containers.startupProbe", "Probe", "A probe that must succeed before the liveness and readiness probes start."),
    f("spec.containers.volumeMounts", "[]VolumeMount", "Volumes to mount into the container's filesystem."),
    f("spec.dnsPolicy", "string", "How the pod resolves names: ClusterFirst (default), ClusterFirstWithHostNet, Default or None."),
    f("spec.hostNetwork", "boolean", "Use the node's network namespace. Control-plane static pods set this so they work before the pod network exists."),
    f("spec.initContainers", "[]Container", "Containers that run to completion, in order, before the app containers start."),
    f("spec.nodeName", "string", "The node the pod runs on. The scheduler sets it; a static pod's mirror carries the kubelet's node."),
    f("spec.nodeSelector", "map[string]string", "Labels a node must have for the pod to be scheduled onto it."),
    f("spec.priority", "integer", "The pod's priority, resolved from priorityClassName by the admission controller."),
    f("spec.priorityClassName", "string", "The pod's priority class. Control-plane static pods use system-node-critical."),
    f("spec.restartPolicy", "string", "Restart policy for the containers: Always (default), OnFailure or Never.\n\nPossible enum values:\n - `\"Always\"`\n - `\"Never\"`\n - `\"OnFailure\"`"),
    f("spec.serviceAccountName", "string", "The service account the pod runs as. Static pods cannot use one."),
    f("spec.terminationGracePeriodSeconds", "integer", "Seconds between SIGTERM and SIGKILL when the pod is deleted. Defaults to 30."),
    f("spec.tolerations", "[]Toleration", "Taints the pod tolerates."),
    f("spec.volumes", "[]Volume", "Volumes the containers can mount. Control-plane static pods use hostPath volumes."),
    f("status", "PodStatus", "The most recently observed status of the pod, written by the kubelet. Read-only."),
    f("status.conditions", "[]PodCondition", "The pod's conditions: PodScheduled, Initialized, ContainersReady, Ready."),
    f("status.containerStatuses", "[]ContainerStatus", "One entry per container: state, last state, ready, restart count, image."),
    f("status.hostIP", "string", "The IP address of the node the pod runs on."),
    f("status.phase", "string", "A summary of where the pod is in its lifecycle: Pending, Running, Succeeded, Failed or Unknown."),
    f("status.podIP", "string", "The pod's IP address. Equal to hostIP for host-network pods."),
    f("status.qosClass", "string", "The Quality of Service class: Guaranteed, Burstable or BestEffort."),
];

/// Runs `kubectl explain`.
pub fn run(client: &mut Client<'_, '_>, parsed: &Parsed) -> Output {
    let [target] = parsed.args.as_slice() else {
        return usage_error(
            "explain",
            "You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.",
        );
    };
    if let Err(out) = client.discover() {
        return out;
    }
    let (typed, path) = target.split_once('.').unwrap_or((target.as_str(), ""));
    let resource = match resolve_type(typed) {
        Ok(r) => r,
        Err(msg) => return plain_error(&msg),
    };
    let schema = match resource {
        Resource::Pods => &POD,
        Resource::Deployments => &DEPLOYMENT,
        Resource::Services => &SERVICE,
        Resource::Nodes => &NODE,
        other => {
            return plain_error(&format!(
                "kubectl explain covers pods, deployments, services and nodes in this playground; try kubectl explain pod.spec (or kubectl get {} -o yaml)",
                other.plural()
            ))
        }
    };
    match explain(schema, path) {
        Ok(text) => Output::ok(text),
        Err(msg) => plain_error(&msg),
    }
}

/// Where the fields below `path` are described: the schema's own list, or the list a mount
/// lends, with the path inside that list (`path` equal to a mount lists the lent fields).
fn locate(schema: &Schema, path: &str) -> (&'static [Field], String) {
    for (mount, fields, base) in schema.mounts {
        if path == *mount {
            return (fields, (*base).to_string());
        }
        if let Some(rest) = path.strip_prefix(mount).and_then(|r| r.strip_prefix('.')) {
            return (fields, format!("{base}.{rest}"));
        }
    }
    (schema.fields, path.to_string())
}

/// The explanation of `path` below the kind (empty for the kind itself).
fn explain(schema: &Schema, path: &str) -> Result<String, String> {
    let mut out = String::new();
    if !schema.group.is_empty() {
        out.push_str(&format!("GROUP:      {}\n", schema.group));
    }
    out.push_str(&format!(
        "KIND:       {}\nVERSION:    {}\n\n",
        schema.kind, schema.version
    ));
    let about = if path.is_empty() {
        schema.about
    } else {
        // A mount point is described by the schema that mounts it.
        let own = schema.fields.iter().find(|f| f.path == path);
        let field = match own {
            Some(field) => Some(field),
            None => {
                let (fields, inner) = locate(schema, path);
                fields.iter().find(|f| f.path == inner)
            }
        };
        let Some(field) = field else {
            let last = path.rsplit('.').next().unwrap_or(path);
            return Err(format!("field \"{last}\" does not exist"));
        };
        let name = path.rsplit('.').next().unwrap_or(path);
        // The template leaves two empty lines after a FIELD line, one after VERSION.
        out.push_str(&format!("FIELD: {name} <{}>\n\n\n", field.kind));
        field.about
    };
    out.push_str("DESCRIPTION:\n");
    for line in wrap(about, 76) {
        out.push_str(&format!("    {line}\n"));
    }
    out.push_str("    \n");
    let (fields, inner) = locate(schema, path);
    let prefix = if inner.is_empty() {
        String::new()
    } else {
        format!("{inner}.")
    };
    let children: Vec<&Field> = fields
        .iter()
        .filter(|f| {
            f.path
                .strip_prefix(prefix.as_str())
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('.'))
        })
        .collect();
    if !children.is_empty() {
        out.push_str("FIELDS:\n");
        for child in children {
            let name = &child.path[prefix.len()..];
            let required = if child.required { " -required-" } else { "" };
            out.push_str(&format!("  {name}\t<{}>{required}\n", child.kind));
            for line in wrap(child.about, 72) {
                out.push_str(&format!("    {line}\n"));
            }
            out.push('\n');
        }
    }
    Ok(out)
}

/// Word-wraps each paragraph of `text` at `width` columns.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        if paragraph.starts_with(" - ") || paragraph.is_empty() {
            lines.push(paragraph.to_string());
            continue;
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_listed_under_their_parent() {
        let text = explain(&POD, "spec.containers").unwrap();
        assert!(
            text.starts_with(
                "KIND:       Pod\nVERSION:    v1\n\nFIELD: containers <[]Container>\n"
            ),
            "{text}"
        );
        assert!(text.contains("  name\t<string> -required-\n"), "{text}");
        assert!(text.contains("  image\t<string>\n"), "{text}");
        assert!(
            !text.contains("containerPort"),
            "grandchildren are not listed"
        );
        assert_eq!(
            explain(&POD, "spec.bogus").unwrap_err(),
            "field \"bogus\" does not exist"
        );
    }

    #[test]
    fn every_field_has_its_parent() {
        for fields in [FIELDS, DEPLOYMENT_FIELDS, SERVICE_FIELDS, NODE_FIELDS] {
            for field in fields {
                if let Some((parent, _)) = field.path.rsplit_once('.') {
                    assert!(fields.iter().any(|f| f.path == parent), "{}", field.path);
                }
            }
        }
    }

    #[test]
    fn a_deployment_lends_the_pod_spec_below_its_template() {
        let text = explain(&DEPLOYMENT, "spec.template.spec.containers").unwrap();
        assert!(
            text.starts_with("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: containers <[]Container>\n"),
            "{text}"
        );
        assert!(text.contains("  image\t<string>\n"), "{text}");
        let text = explain(&DEPLOYMENT, "spec.template.spec").unwrap();
        assert!(text.contains("FIELD: spec <PodSpec>"), "{text}");
        assert!(text.contains("  nodeName\t<string>\n"), "{text}");
        let text = explain(&NODE, "metadata").unwrap();
        assert!(text.contains("  labels\t<map[string]string>\n"), "{text}");
    }
}
