//! Consistency checks over the default cluster content: everything parses, and every path,
//! image and name that one file or object refers to exists where the reference points.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;
use crate::yaml;

/// The four static pod manifests with the image each must run.
const MANIFESTS: [(&str, &str); 4] = [
    ("/etc/kubernetes/manifests/etcd.yaml", ETCD_IMAGE),
    (
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        KUBE_APISERVER_IMAGE,
    ),
    (
        "/etc/kubernetes/manifests/kube-controller-manager.yaml",
        KUBE_CONTROLLER_MANAGER_IMAGE,
    ),
    (
        "/etc/kubernetes/manifests/kube-scheduler.yaml",
        KUBE_SCHEDULER_IMAGE,
    ),
];

/// Every kubeconfig on either node.
const KUBECONFIGS: [&str; 6] = [
    "/etc/kubernetes/admin.conf",
    "/etc/kubernetes/super-admin.conf",
    "/etc/kubernetes/controller-manager.conf",
    "/etc/kubernetes/scheduler.conf",
    "/etc/kubernetes/kubelet.conf",
    "/root/.kube/config",
];

/// One node's tables.
struct NodeTables {
    files: Vec<DefaultFile>,
    dirs: &'static [&'static str],
    symlinks: &'static [(&'static str, &'static str)],
}

impl NodeTables {
    fn control_plane() -> NodeTables {
        NodeTables {
            files: control_plane_files(),
            dirs: control_plane_dirs(),
            symlinks: control_plane_symlinks(),
        }
    }

    fn worker() -> NodeTables {
        NodeTables {
            files: worker_files(),
            dirs: worker_dirs(),
            symlinks: worker_symlinks(),
        }
    }

    fn file(&self, path: &str) -> Option<&DefaultFile> {
        self.files.iter().find(|f| f.path == path)
    }

    fn content(&self, path: &str) -> &'static str {
        match self.file(path) {
            Some(f) => f.content,
            None => panic!("no file {path}"),
        }
    }

    /// Whether `path` is a file, a symlink, a listed directory or the parent of one of them.
    fn exists(&self, path: &str) -> bool {
        let prefix = format!("{path}/");
        self.file(path).is_some()
            || self.dirs.contains(&path)
            || self.symlinks.iter().any(|(link, _)| *link == path)
            || self.files.iter().any(|f| f.path.starts_with(&prefix))
            || self.dirs.iter().any(|d| d.starts_with(&prefix))
    }

    /// Whether `path` names a regular file or a symlink to one.
    fn is_file(&self, path: &str) -> bool {
        let target = self
            .symlinks
            .iter()
            .find(|(link, _)| *link == path)
            .map_or(path, |(_, target)| *target);
        self.file(target).is_some()
    }
}

fn parse_one(what: &str, text: &str) -> Value {
    let docs = match yaml::from_str_multi(text) {
        Ok(docs) => docs,
        Err(err) => panic!("{what} does not parse: {err}"),
    };
    assert_eq!(docs.len(), 1, "{what} should be one YAML document");
    docs.into_iter().next().unwrap()
}

fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml")
        || path == "/root/.kube/config"
        || (path.starts_with("/etc/kubernetes/") && path.ends_with(".conf"))
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    match value.pointer(pointer).and_then(Value::as_str) {
        Some(s) => s,
        None => panic!("no string at {pointer} in {value}"),
    }
}

fn array_at<'a>(value: &'a Value, pointer: &str) -> &'a Vec<Value> {
    match value.pointer(pointer).and_then(Value::as_array) {
        Some(a) => a,
        None => panic!("no array at {pointer} in {value}"),
    }
}

fn manifest(path: &str) -> Value {
    parse_one(path, NodeTables::control_plane().content(path))
}

/// The container's command as `(flag, value)` pairs; bare words have an empty flag.
fn flags(pod: &Value) -> Vec<(String, String)> {
    array_at(pod, "/spec/containers/0/command")
        .iter()
        .map(|arg| {
            let arg = arg.as_str().expect("command items are strings");
            match arg.strip_prefix("--").and_then(|a| a.split_once('=')) {
                Some((flag, value)) => (flag.to_string(), value.to_string()),
                None => (String::new(), arg.to_string()),
            }
        })
        .collect()
}

fn flag(pod: &Value, name: &str) -> String {
    match flags(pod).into_iter().find(|(f, _)| f == name) {
        Some((_, value)) => value,
        None => panic!("no --{name} in {}", str_at(pod, "/metadata/name")),
    }
}

/// Standard base64 with padding, as kubeconfigs embed certificate data.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut res = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                res.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 0x3f) as usize]));
            } else {
                res.push('=');
            }
        }
    }
    res
}

fn objects() -> Vec<Value> {
    api_objects()
        .iter()
        .enumerate()
        .map(|(idx, text)| parse_one(&format!("api object #{idx}"), text))
        .collect()
}

fn object(kind: &str, namespace: &str, name: &str) -> Value {
    let found = objects().into_iter().find(|o| {
        o["kind"] == kind && o["metadata"]["name"] == name && {
            o["metadata"]["namespace"].as_str().unwrap_or("") == namespace
        }
    });
    match found {
        Some(o) => o,
        None => panic!("no {kind} {namespace}/{name}"),
    }
}

#[test]
fn base64_helper_matches_known_values() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"-----BEGIN"), "LS0tLS1CRUdJTg==");
}

#[test]
fn every_yaml_file_and_object_parses() {
    for node in [NodeTables::control_plane(), NodeTables::worker()] {
        let yaml_files: Vec<_> = node.files.iter().filter(|f| is_yaml(f.path)).collect();
        assert!(yaml_files.len() >= 4, "too few YAML files found");
        for f in yaml_files {
            let value = parse_one(f.path, f.content);
            assert!(value.is_object(), "{} is not a mapping", f.path);
        }
    }
    assert!(!objects().is_empty());
}

#[test]
fn paths_are_absolute_unique_and_typed_once() {
    for node in [NodeTables::control_plane(), NodeTables::worker()] {
        let mut seen = BTreeSet::new();
        let paths = node
            .files
            .iter()
            .map(|f| f.path)
            .chain(node.dirs.iter().copied())
            .chain(node.symlinks.iter().map(|(link, _)| *link));
        for path in paths {
            assert!(path.starts_with('/'), "{path} is not absolute");
            assert!(!path.ends_with('/'), "{path} has a trailing slash");
            assert!(!path.contains("//"), "{path} has an empty component");
            assert!(seen.insert(path), "{path} is listed twice");
        }
        for f in &node.files {
            assert!(!f.content.is_empty(), "{} is empty", f.path);
            assert!(
                f.content.ends_with('\n'),
                "{} lacks a final newline",
                f.path
            );
        }
    }
}

#[test]
fn modes_keep_secrets_private() {
    for node in [NodeTables::control_plane(), NodeTables::worker()] {
        for f in &node.files {
            let secret = f.path.ends_with(".key")
                || f.path.ends_with(".pem")
                || f.path.starts_with("/etc/kubernetes/manifests/")
                || KUBECONFIGS.contains(&f.path);
            let want = if secret { 0o600 } else { 0o644 };
            assert_eq!(f.mode, want, "mode of {}", f.path);
        }
    }
}

#[test]
fn static_pod_manifests_are_kubeadm_control_plane_pods() {
    for (path, image) in MANIFESTS {
        let pod = manifest(path);
        let component = path
            .trim_start_matches("/etc/kubernetes/manifests/")
            .trim_end_matches(".yaml");
        assert_eq!(pod["apiVersion"], "v1", "{path}");
        assert_eq!(pod["kind"], "Pod", "{path}");
        assert_eq!(pod["metadata"]["name"], component, "{path}");
        assert_eq!(pod["metadata"]["namespace"], "kube-system", "{path}");
        assert_eq!(pod["metadata"]["labels"]["component"], component, "{path}");
        assert_eq!(pod["metadata"]["labels"]["tier"], "control-plane", "{path}");
        assert!(
            pod["metadata"].get("creationTimestamp").is_none(),
            "{path}: kubeadm v1.34 omits the zero creationTimestamp"
        );
        assert_eq!(pod["spec"]["hostNetwork"], true, "{path}");
        assert_eq!(
            pod["spec"]["priorityClassName"], "system-node-critical",
            "{path}"
        );
        assert_eq!(pod["spec"]["priority"], 2000001000, "{path}");
        assert_eq!(
            pod["spec"]["securityContext"]["seccompProfile"]["type"], "RuntimeDefault",
            "{path}"
        );
        assert_eq!(pod["status"], serde_json::json!({}), "{path}");
        let containers = array_at(&pod, "/spec/containers");
        assert_eq!(containers.len(), 1, "{path}");
        let container = &containers[0];
        assert_eq!(container["name"], component, "{path}");
        assert_eq!(container["image"], image, "{path}");
        assert_eq!(container["imagePullPolicy"], "IfNotPresent", "{path}");
        assert_eq!(
            array_at(&pod, "/spec/containers/0/command")[0],
            component,
            "{path}"
        );
    }
}

#[test]
fn static_pod_probes_use_the_named_probe_port() {
    for (path, _) in MANIFESTS {
        let pod = manifest(path);
        let container = &pod["spec"]["containers"][0];
        let ports: Vec<&str> = array_at(container, "/ports")
            .iter()
            .map(|p| p["name"].as_str().expect("named port"))
            .collect();
        assert_eq!(ports, ["probe-port"], "{path}");
        for probe in ["livenessProbe", "startupProbe"] {
            let get = &container[probe]["httpGet"];
            assert_eq!(get["port"], "probe-port", "{path} {probe}");
            assert!(get["host"].is_string(), "{path} {probe} has a host");
            assert!(get["path"].is_string(), "{path} {probe} has a path");
        }
        assert_eq!(container["livenessProbe"]["failureThreshold"], 8, "{path}");
        assert_eq!(container["startupProbe"]["failureThreshold"], 24, "{path}");
        assert!(
            container["resources"]["requests"]["cpu"].is_string(),
            "{path} requests cpu"
        );
    }
}

#[test]
fn volume_mounts_match_volumes_and_host_paths_exist() {
    let node = NodeTables::control_plane();
    for (path, _) in MANIFESTS {
        let pod = manifest(path);
        let volumes = array_at(&pod, "/spec/volumes");
        for mount in array_at(&pod, "/spec/containers/0/volumeMounts") {
            let name = str_at(mount, "/name");
            let volume = volumes.iter().find(|v| v["name"] == name);
            let Some(volume) = volume else {
                panic!("{path}: mount {name} has no volume")
            };
            let host_path = str_at(volume, "/hostPath/path");
            assert_eq!(
                str_at(mount, "/mountPath"),
                host_path,
                "{path}: kubeadm mounts host paths at the same path"
            );
            match str_at(volume, "/hostPath/type") {
                "DirectoryOrCreate" => assert!(
                    node.dirs.contains(&host_path),
                    "{path}: directory {host_path} is not in the dirs table"
                ),
                "FileOrCreate" => assert!(
                    node.is_file(host_path),
                    "{path}: file {host_path} is not in the file table"
                ),
                other => panic!("{path}: unexpected hostPath type {other}"),
            }
        }
        assert_eq!(
            volumes.len(),
            array_at(&pod, "/spec/containers/0/volumeMounts").len(),
            "{path}: every volume is mounted"
        );
    }
}

#[test]
fn every_path_named_in_a_component_flag_exists_and_is_mounted() {
    let node = NodeTables::control_plane();
    for (path, _) in MANIFESTS {
        let pod = manifest(path);
        let mounts: Vec<&str> = array_at(&pod, "/spec/containers/0/volumeMounts")
            .iter()
            .map(|m| str_at(m, "/mountPath"))
            .collect();
        let mut checked = 0;
        for (name, value) in flags(&pod) {
            for item in value.split(',').filter(|v| v.starts_with('/')) {
                checked += 1;
                let is_credential = [".crt", ".key", ".pub", ".conf"]
                    .iter()
                    .any(|ext| item.ends_with(ext));
                if is_credential {
                    assert!(node.is_file(item), "{path}: --{name}={item} is missing");
                } else {
                    assert!(node.exists(item), "{path}: --{name}={item} is missing");
                }
                assert!(
                    mounts
                        .iter()
                        .any(|m| item == *m || item.starts_with(&format!("{m}/"))),
                    "{path}: --{name}={item} is not inside a mounted host path"
                );
            }
        }
        assert!(checked > 0, "{path} names no paths");
    }
}

#[test]
fn control_plane_flags_agree_with_the_cluster_configuration() {
    let apiserver = manifest("/etc/kubernetes/manifests/kube-apiserver.yaml");
    let kcm = manifest("/etc/kubernetes/manifests/kube-controller-manager.yaml");
    let etcd = manifest("/etc/kubernetes/manifests/etcd.yaml");
    let config = object("ConfigMap", "kube-system", "kubeadm-config");
    let cluster = parse_one(
        "ClusterConfiguration",
        str_at(&config, "/data/ClusterConfiguration"),
    );
    assert_eq!(cluster["kubernetesVersion"], KUBERNETES_VERSION);
    let service_subnet = str_at(&cluster, "/networking/serviceSubnet");
    let pod_subnet = str_at(&cluster, "/networking/podSubnet");
    assert_eq!(flag(&apiserver, "service-cluster-ip-range"), service_subnet);
    assert_eq!(flag(&kcm, "service-cluster-ip-range"), service_subnet);
    assert_eq!(flag(&kcm, "cluster-cidr"), pod_subnet);
    assert_eq!(flag(&apiserver, "advertise-address"), "172.30.1.2");
    assert_eq!(
        apiserver["metadata"]["annotations"]
            ["kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"],
        "172.30.1.2:6443"
    );
    assert_eq!(
        etcd["metadata"]["annotations"]["kubeadm.kubernetes.io/etcd.advertise-client-urls"],
        flag(&etcd, "advertise-client-urls")
    );
    assert!(flag(&apiserver, "etcd-servers").ends_with(":2379"));
    assert_eq!(flag(&etcd, "data-dir"), "/var/lib/etcd");
    assert!(control_plane_dirs().contains(&"/var/lib/etcd"));
    assert!(KUBERNETES_VERSION.starts_with('v'));
    for image in [
        KUBE_APISERVER_IMAGE,
        KUBE_CONTROLLER_MANAGER_IMAGE,
        KUBE_SCHEDULER_IMAGE,
        KUBE_PROXY_IMAGE,
    ] {
        assert!(
            image.ends_with(&format!(":{KUBERNETES_VERSION}")),
            "{image}"
        );
    }
}

#[test]
fn kubelet_config_is_kubeadms_with_the_instance_patch() {
    for node in [NodeTables::control_plane(), NodeTables::worker()] {
        let config = parse_one("config.yaml", node.content("/var/lib/kubelet/config.yaml"));
        assert_eq!(config["kind"], "KubeletConfiguration");
        assert_eq!(config["apiVersion"], "kubelet.config.k8s.io/v1beta1");
        assert_eq!(config["staticPodPath"], "/etc/kubernetes/manifests");
        assert_eq!(config["cgroupDriver"], "systemd");
        assert_eq!(config["clusterDNS"], serde_json::json!(["10.96.0.10"]));
        assert_eq!(config["clusterDomain"], "cluster.local");
        assert_eq!(config["rotateCertificates"], true);
        assert_eq!(config["fileCheckFrequency"], "0s");
        assert_eq!(config["authentication"]["anonymous"]["enabled"], false);
        assert_eq!(config["authorization"]["mode"], "Webhook");
        assert!(node.is_file(str_at(&config, "/authentication/x509/clientCAFile")));
        assert!(node.dirs.contains(&"/etc/kubernetes/manifests"));
        let instance = parse_one(
            "instance-config.yaml",
            node.content("/var/lib/kubelet/instance-config.yaml"),
        );
        assert_eq!(
            config["containerRuntimeEndpoint"], instance["containerRuntimeEndpoint"],
            "config.yaml carries the instance patch"
        );
        assert_eq!(
            config["containerRuntimeEndpoint"],
            "unix:///var/run/containerd/containerd.sock"
        );
    }

    // The ConfigMap holds the cluster-wide base: no CRI socket and no node-local resolv.conf.
    let cm = object("ConfigMap", "kube-system", "kubelet-config");
    let mut base = parse_one("kubelet-config", str_at(&cm, "/data/kubelet"));
    assert_eq!(base["containerRuntimeEndpoint"], "");
    assert!(base.get("resolvConf").is_none());
    let local = parse_one(
        "config.yaml",
        NodeTables::control_plane().content("/var/lib/kubelet/config.yaml"),
    );
    base["containerRuntimeEndpoint"] = local["containerRuntimeEndpoint"].clone();
    base["resolvConf"] = local["resolvConf"].clone();
    assert_eq!(base, local);
}

#[test]
fn kubelet_unit_drop_in_reads_the_provided_env_files() {
    for node in [NodeTables::control_plane(), NodeTables::worker()] {
        let unit = node.content("/usr/lib/systemd/system/kubelet.service");
        assert!(unit.contains("ExecStart=/usr/bin/kubelet\n"));
        let drop_in = node.content("/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf");
        let mut defined = BTreeSet::new();
        let mut env_files = Vec::new();
        for line in drop_in.lines() {
            if let Some(file) = line.strip_prefix("EnvironmentFile=-") {
                env_files.push(file);
            }
            if let Some(assignment) = line.strip_prefix("Environment=\"") {
                let (name, value) = assignment.split_once('=').expect("NAME=value");
                defined.insert(name.to_string());
                for arg in value.trim_end_matches('"').split(' ') {
                    let Some((flag, path)) = arg.split_once('=') else {
                        continue;
                    };
                    if flag == "--bootstrap-kubeconfig" {
                        // Used only before kubelet.conf exists; kubeadm deletes it after init.
                        assert!(!node.exists(path));
                    } else {
                        assert!(node.is_file(path), "{flag}={path} is missing");
                    }
                }
            }
        }
        assert_eq!(
            env_files,
            ["/var/lib/kubelet/kubeadm-flags.env", "/etc/default/kubelet"]
        );
        for file in env_files {
            let content = node.content(file);
            for line in content.lines() {
                let (name, _) = line.split_once('=').expect("NAME=value");
                defined.insert(name.to_string());
            }
        }
        let exec = drop_in
            .lines()
            .rfind(|l| l.starts_with("ExecStart="))
            .expect("an ExecStart line");
        let mut words = exec.trim_start_matches("ExecStart=").split(' ');
        assert_eq!(words.next(), Some("/usr/bin/kubelet"));
        let vars: Vec<&str> = words.collect();
        assert_eq!(
            vars,
            [
                "$KUBELET_KUBECONFIG_ARGS",
                "$KUBELET_CONFIG_ARGS",
                "$KUBELET_KUBEADM_ARGS",
                "$KUBELET_EXTRA_ARGS"
            ]
        );
        for var in vars {
            assert!(
                defined.contains(var.trim_start_matches('$')),
                "{var} is defined nowhere"
            );
        }
    }
}

#[test]
fn kubeadm_flags_pass_only_the_pause_image() {
    for node in [NodeTables::control_plane(), NodeTables::worker()] {
        let env = node.content("/var/lib/kubelet/kubeadm-flags.env");
        let args = env
            .trim_end()
            .strip_prefix("KUBELET_KUBEADM_ARGS=\"")
            .and_then(|a| a.strip_suffix('"'))
            .expect("KUBELET_KUBEADM_ARGS=\"...\"");
        assert_eq!(
            args,
            format!("--pod-infra-container-image={PAUSE_IMAGE}"),
            "NodeLocalCRISocket moves the CRI socket to instance-config.yaml"
        );
        let containerd = node.content("/etc/containerd/config.toml");
        assert!(containerd.contains(&format!("sandbox_image = \"{PAUSE_IMAGE}\"")));
        assert!(containerd.contains("SystemdCgroup = true"));
        let crictl = parse_one("crictl.yaml", node.content("/etc/crictl.yaml"));
        assert_eq!(
            crictl["runtime-endpoint"],
            "unix:///run/containerd/containerd.sock"
        );
        assert_eq!(
            node.content("/etc/default/kubelet"),
            "KUBELET_EXTRA_ARGS=\n"
        );
    }
}

#[test]
fn kubeconfigs_trust_the_cluster_ca_and_name_existing_credentials() {
    let checks = [
        (NodeTables::control_plane(), &KUBECONFIGS[..]),
        (NodeTables::worker(), &["/etc/kubernetes/kubelet.conf"][..]),
    ];
    for (node, paths) in checks {
        let ca = node.content("/etc/kubernetes/pki/ca.crt");
        for path in paths {
            let config = parse_one(path, node.content(path));
            assert_eq!(config["kind"], "Config", "{path}");
            assert_eq!(
                str_at(&config, "/clusters/0/cluster/certificate-authority-data"),
                base64(ca.as_bytes()),
                "{path}"
            );
            // Components on the node dial the local endpoint; everything else the
            // `--control-plane-endpoint`.
            let local =
                path.ends_with("scheduler.conf") || path.ends_with("controller-manager.conf");
            let server = if local {
                "https://172.30.1.2:6443"
            } else {
                "https://controlplane:6443"
            };
            assert_eq!(config["clusters"][0]["cluster"]["server"], server, "{path}");
            let current = str_at(&config, "/current-context");
            let context = array_at(&config, "/contexts")
                .iter()
                .find(|c| c["name"] == current)
                .unwrap_or_else(|| panic!("{path}: no context {current}"));
            let user_name = str_at(context, "/context/user");
            let user = array_at(&config, "/users")
                .iter()
                .find(|u| u["name"] == user_name)
                .unwrap_or_else(|| panic!("{path}: no user {user_name}"));
            match user["user"].get("client-certificate-data") {
                Some(data) => {
                    let data = data.as_str().expect("base64 string");
                    assert!(data.starts_with(&base64(b"-----BEGIN CERTIFICATE-----")));
                }
                None => {
                    for key in ["client-certificate", "client-key"] {
                        let file = str_at(&user["user"], &format!("/{key}"));
                        assert!(node.is_file(file), "{path}: {key} {file} is missing");
                    }
                }
            }
        }
    }
    let control_plane = NodeTables::control_plane();
    assert_eq!(
        control_plane.content("/root/.kube/config"),
        control_plane.content("/etc/kubernetes/admin.conf")
    );
}

#[test]
fn pki_files_have_pem_shape() {
    let node = NodeTables::control_plane();
    let mut crts = 0;
    for f in &node.files {
        let kind = if f.path.ends_with(".crt") {
            crts += 1;
            "CERTIFICATE"
        } else if f.path == "/etc/kubernetes/pki/sa.pub" {
            "PUBLIC KEY"
        } else if f.path.ends_with(".key") {
            "RSA PRIVATE KEY"
        } else {
            continue;
        };
        let begin = format!("-----BEGIN {kind}-----\n");
        let end = format!("-----END {kind}-----\n");
        assert!(f.content.starts_with(&begin), "{}", f.path);
        assert!(f.content.ends_with(&end), "{}", f.path);
        for line in f.content.lines().filter(|l| !l.starts_with("-----")) {
            assert!(line.len() <= 64, "{}: PEM lines are 64 wide", f.path);
            assert!(
                line.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
                "{}: not base64",
                f.path
            );
        }
    }
    assert_eq!(crts, 11, "ten certificates plus the kubelet serving one");
    for (link, target) in control_plane_symlinks() {
        let pem = node.content(target);
        assert!(link.ends_with("kubelet-client-current.pem"));
        assert!(pem.contains("-----BEGIN CERTIFICATE-----"));
        assert!(pem.contains("-----BEGIN EC PRIVATE KEY-----"));
    }
}

#[test]
fn symlinks_point_at_files_on_their_node() {
    for node in [NodeTables::control_plane(), NodeTables::worker()] {
        assert!(!node.symlinks.is_empty());
        for (link, target) in node.symlinks {
            assert!(node.file(link).is_none(), "{link} is also a file");
            assert!(node.file(target).is_some(), "{link} -> {target} dangles");
        }
    }
}

#[test]
fn worker_is_a_kubeadm_worker() {
    let worker = NodeTables::worker();
    let control_plane = NodeTables::control_plane();
    for path in [
        "/root/.kube/config",
        "/etc/kubernetes/admin.conf",
        "/etc/kubernetes/super-admin.conf",
        "/etc/kubernetes/pki/ca.key",
    ] {
        assert!(!worker.exists(path), "a worker has no {path}");
    }
    assert!(worker.dirs.contains(&"/etc/kubernetes/manifests"));
    assert!(!worker
        .files
        .iter()
        .any(|f| f.path.starts_with("/etc/kubernetes/manifests/")));
    assert_eq!(worker.content("/etc/hostname"), "node01\n");
    assert_eq!(control_plane.content("/etc/hostname"), "controlplane\n");
    for path in [
        "/etc/kubernetes/pki/ca.crt",
        "/etc/hosts",
        "/etc/os-release",
        "/etc/containerd/config.toml",
        "/etc/crictl.yaml",
        "/etc/default/kubelet",
        "/usr/lib/systemd/system/kubelet.service",
        "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
        "/var/lib/kubelet/config.yaml",
        "/var/lib/kubelet/instance-config.yaml",
        "/var/lib/kubelet/kubeadm-flags.env",
    ] {
        assert_eq!(
            worker.content(path),
            control_plane.content(path),
            "{path} is the same on both nodes"
        );
    }
    for node in [&worker, &control_plane] {
        let hosts = node.content("/etc/hosts");
        assert!(hosts.contains("172.30.1.2 controlplane\n"));
        assert!(hosts.contains("172.30.2.2 node01\n"));
    }
}

#[test]
fn api_objects_are_servable_and_ordered() {
    let mut seen = BTreeSet::new();
    let mut namespaces = BTreeSet::new();
    for o in objects() {
        let kind = str_at(&o, "/kind");
        let name = str_at(&o, "/metadata/name").to_string();
        let namespace = o["metadata"]["namespace"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(
            ["Namespace", "Node", "ConfigMap", "Deployment", "DaemonSet"].contains(&kind),
            "{kind} {name}: the simulation makes Pods, and serves no other kinds"
        );
        match kind {
            "Namespace" => {
                assert!(namespace.is_empty());
                assert_eq!(o["metadata"]["labels"]["kubernetes.io/metadata.name"], name);
                namespaces.insert(name.clone());
            }
            "Node" => assert!(namespace.is_empty(), "Node {name} is cluster-scoped"),
            _ => assert!(
                namespaces.contains(&namespace),
                "{kind} {name} comes before its namespace {namespace:?}"
            ),
        }
        assert!(
            seen.insert((kind.to_string(), namespace, name.clone())),
            "{kind} {name} twice"
        );
    }
    let want: BTreeSet<String> = ["default", "kube-node-lease", "kube-public", "kube-system"]
        .map(String::from)
        .into();
    assert_eq!(namespaces, want);
    for ns in &want {
        let cm = object("ConfigMap", ns, "kube-root-ca.crt");
        assert_eq!(
            str_at(&cm, "/data/ca.crt"),
            NodeTables::control_plane().content("/etc/kubernetes/pki/ca.crt")
        );
    }
    object("ConfigMap", "kube-public", "cluster-info");
}

#[test]
fn addons_are_apps_v1_and_use_preloaded_images() {
    let worker_images = preloaded_images(false);
    let control_plane_images = preloaded_images(true);
    for image in &worker_images {
        assert!(control_plane_images.contains(image), "{image}");
    }
    for (_, image) in MANIFESTS {
        assert!(control_plane_images.contains(&image), "{image}");
        assert!(!worker_images.contains(&image), "{image}");
    }
    for (kind, name, image) in [
        ("DaemonSet", "kube-proxy", KUBE_PROXY_IMAGE),
        ("Deployment", "coredns", COREDNS_IMAGE),
    ] {
        let o = object(kind, "kube-system", name);
        assert_eq!(o["apiVersion"], "apps/v1", "{name}");
        let template = &o["spec"]["template"];
        assert_eq!(
            o["spec"]["selector"]["matchLabels"], template["metadata"]["labels"],
            "{name}: the selector matches the template"
        );
        let containers = array_at(template, "/spec/containers");
        assert_eq!(containers.len(), 1, "{name}");
        assert_eq!(containers[0]["image"], image, "{name}");
        assert!(worker_images.contains(&image), "{name} runs on every node");
        for volume in array_at(template, "/spec/volumes") {
            if let Some(cm) = volume.pointer("/configMap/name").and_then(Value::as_str) {
                object("ConfigMap", "kube-system", cm);
            }
        }
    }
    let coredns = object("Deployment", "kube-system", "coredns");
    assert_eq!(coredns["spec"]["replicas"], 2);
    assert_eq!(
        coredns["spec"]["template"]["spec"]["priorityClassName"],
        "system-cluster-critical"
    );
    let corefile = str_at(
        &object("ConfigMap", "kube-system", "coredns"),
        "/data/Corefile",
    )
    .to_string();
    assert!(corefile.contains("kubernetes cluster.local in-addr.arpa ip6.arpa {"));
}

#[test]
fn kube_proxy_config_matches_the_cluster() {
    let cm = object("ConfigMap", "kube-system", "kube-proxy");
    let config = parse_one("config.conf", str_at(&cm, "/data/config.conf"));
    assert_eq!(config["kind"], "KubeProxyConfiguration");
    assert_eq!(config["clusterCIDR"], "192.168.0.0/16");
    assert_eq!(
        config["clientConnection"]["kubeconfig"],
        "/var/lib/kube-proxy/kubeconfig.conf"
    );
    let kubeconfig = parse_one("kubeconfig.conf", str_at(&cm, "/data/kubeconfig.conf"));
    assert_eq!(
        kubeconfig["clusters"][0]["cluster"]["server"],
        "https://controlplane:6443"
    );
    let hash = str_at(
        &cm,
        "/metadata/annotations/kubeadm.kubernetes.io~1component-config.hash",
    );
    assert!(
        hash.starts_with("sha256:") && hash.len() == 7 + 64,
        "{hash}"
    );
    let daemonset = object("DaemonSet", "kube-system", "kube-proxy");
    let command = array_at(&daemonset, "/spec/template/spec/containers/0/command");
    assert!(command.contains(&Value::from("--config=/var/lib/kube-proxy/config.conf")));
}
