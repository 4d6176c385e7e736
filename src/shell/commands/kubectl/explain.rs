//! `kubectl explain` in the layout of kubectl v1.34's OpenAPI v3 template
//! (`staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl`): KIND, VERSION,
//! FIELD, DESCRIPTION and the FIELDS list with types and `-required-` markers.
//!
//! Simplified: the schema covers the Pod fields the lessons use (metadata, the spec fields of
//! static pods, containers, ports, probes, resources and status), with descriptions written
//! for the playground rather than the API reference's full text; `--recursive` is not
//! available.

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
    if resource != Resource::Pods {
        return plain_error(&format!(
            "kubectl explain covers pods in this playground; try kubectl explain pod.spec (or kubectl get {} -o yaml)",
            resource.plural()
        ));
    }
    match explain(path) {
        Ok(text) => Output::ok(text),
        Err(msg) => plain_error(&msg),
    }
}

/// The explanation of `path` below `pod` (empty for the kind itself).
fn explain(path: &str) -> Result<String, String> {
    let mut out = String::from("KIND:       Pod\nVERSION:    v1\n\n");
    let about = if path.is_empty() {
        POD_ABOUT
    } else {
        let Some(field) = FIELDS.iter().find(|f| f.path == path) else {
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
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    };
    let children: Vec<&Field> = FIELDS
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
        let text = explain("spec.containers").unwrap();
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
            explain("spec.bogus").unwrap_err(),
            "field \"bogus\" does not exist"
        );
    }

    #[test]
    fn every_field_has_its_parent() {
        for field in FIELDS {
            if let Some((parent, _)) = field.path.rsplit_once('.') {
                assert!(FIELDS.iter().any(|f| f.path == parent), "{}", field.path);
            }
        }
    }
}
