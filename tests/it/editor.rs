//! The manifest editor's analysis against the booted default cluster: each diagnostic kind at
//! its exact place, and each preview of what saving the file will make the kubelet do.

use std::sync::OnceLock;

use expect_test::{expect, Expect};
use kubelet_playground::cluster::Cluster;
use kubelet_playground::node::fs::WriteMode;
use kubelet_playground::view::editor::{analyse, Diagnostic, Preview};

const CP: usize = 0;
const WORKER: usize = 1;
const MANIFESTS: &str = "/etc/kubernetes/manifests";
const ETCD: &str = "/etc/kubernetes/manifests/etcd.yaml";
const CONFIG: &str = "/var/lib/kubelet/config.yaml";
const DROP_IN: &str = "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf";

const WEB: &str = "apiVersion: v1
kind: Pod
metadata:
  name: static-web
spec:
  containers:
  - name: web
    image: nginx:1.27
";

/// The default cluster, booted once and copied for each test.
fn booted() -> Cluster {
    static BOOTED: OnceLock<Cluster> = OnceLock::new();
    BOOTED
        .get_or_init(|| Cluster::boot_default(1).expect("the default cluster boots"))
        .clone()
}

fn read(cluster: &Cluster, host: usize, path: &str) -> String {
    cluster.hosts()[host].node.fs.read_to_string(path).unwrap()
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

/// The analysis as text: the preview, the kubelet's error, and each diagnostic with the text
/// it covers.
fn render(cluster: &Cluster, host: usize, path: &str, text: &str) -> String {
    let analysis = analyse(cluster, host, path, text);
    let mut out = format!("preview: {}\n", analysis.preview);
    if let Some(err) = &analysis.kubelet_error {
        out.push_str(&format!("kubelet error: {err}\n"));
    }
    for d in &analysis.diagnostics {
        out.push_str(&format!("{d}{}\n", covered(text, d)));
    }
    out
}

fn covered(text: &str, d: &Diagnostic) -> String {
    if d.from.line != d.to.line {
        return String::new();
    }
    let line = text
        .lines()
        .nth(d.from.line as usize - 1)
        .unwrap_or_default();
    let part: String = line
        .chars()
        .skip(d.from.column as usize - 1)
        .take((d.to.column - d.from.column) as usize)
        .collect();
    format!(" [{part}]")
}

fn check(cluster: &Cluster, host: usize, path: &str, text: &str, expect: Expect) {
    expect.assert_eq(&render(cluster, host, path, text));
}

fn preview(cluster: &Cluster, host: usize, path: &str, text: &str) -> Preview {
    analyse(cluster, host, path, text).preview
}

// ---- What saving does -------------------------------------------------------------------

#[test]
fn the_running_etcd_manifest_unchanged_is_no_change() {
    let cluster = booted();
    let text = read(&cluster, CP, ETCD);
    check(
        &cluster,
        CP,
        ETCD,
        &text,
        expect![[r#"
            preview: no change: the kubelet keeps `etcd-controlplane` running
        "#]],
    );
}

#[test]
fn a_changed_image_recreates_the_pod() {
    let cluster = booted();
    let text = read(&cluster, CP, ETCD);
    let image = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("image: "))
        .unwrap()
        .to_string();
    let changed = text.replace(&image, "registry.k8s.io/etcd:3.5.21-0");
    assert_ne!(changed, text);
    assert_eq!(
        preview(&cluster, CP, ETCD, &changed),
        Preview::Recreates {
            pod: "etcd-controlplane".into()
        }
    );
    // Comments and formatting are not content: the hash, and so the pod, stays.
    let reformatted = format!("# etcd, as kubeadm wrote it\n{text}\n\n");
    assert_eq!(
        preview(&cluster, CP, ETCD, &reformatted),
        Preview::NoChange {
            pod: "etcd-controlplane".into()
        }
    );
}

#[test]
fn a_new_manifest_creates_a_pod_named_after_the_node() {
    let cluster = booted();
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        WEB,
        expect![[r#"
            preview: creates static pod `static-web-controlplane`
        "#]],
    );
    assert_eq!(
        preview(&cluster, WORKER, &format!("{MANIFESTS}/web.yaml"), WEB),
        Preview::Creates {
            pod: "static-web-node01".into()
        }
    );
    // The same path spelt another way is the same file.
    assert_eq!(
        preview(
            &cluster,
            CP,
            "/etc/kubernetes//manifests/../manifests/web.yaml",
            WEB
        ),
        Preview::Creates {
            pod: "static-web-controlplane".into()
        }
    );
}

#[test]
fn files_the_kubelet_does_not_read() {
    let cluster = booted();
    check(
        &cluster,
        CP,
        "/tmp/web.yaml",
        WEB,
        expect![[r#"
            preview: not in staticPodPath (`/etc/kubernetes/manifests`) — the kubelet will not see it
        "#]],
    );
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/.web.yaml"),
        WEB,
        expect![[r#"
            preview: ignored: dot-file (the kubelet skips names starting with '.')
        "#]],
    );
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/old/web.yaml"),
        WEB,
        expect![[r#"
            preview: ignored: the kubelet does not look inside subfolders of `/etc/kubernetes/manifests`
        "#]],
    );
    // A file that is not a pod gets no pod diagnostics outside the manifest folder.
    check(
        &cluster,
        CP,
        "/etc/hosts",
        "127.0.0.1 localhost\n",
        expect![[r#"
            preview: not in staticPodPath (`/etc/kubernetes/manifests`) — the kubelet will not see it
        "#]],
    );
    // A pod drafted elsewhere is still checked, as the kubelet would check it once moved in.
    let draft = WEB.replace(
        "image: nginx:1.27",
        "image: nginx:1.27\n    imagePullPolcy: Always",
    );
    check(
        &cluster,
        CP,
        "/root/web.yaml",
        &draft,
        expect![[r#"
            preview: not in staticPodPath (`/etc/kubernetes/manifests`) — the kubelet will not see it
            9:5-9:19 warning: unknown field "spec.containers[0].imagePullPolcy": the kubelet ignores it (did you mean "imagePullPolicy"?) [imagePullPolcy]
        "#]],
    );
}

#[test]
fn an_invalid_manifest_is_skipped_and_an_old_pod_lingers_until_the_relist() {
    let cluster = booted();
    let broken = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  containers:\n  - name: web\n";
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        broken,
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: invalid pod: [spec.containers[0].image: Required value]
            7:5-7:14 error: spec.containers[0].image: Required value [name: web]
        "#]],
    );
    let etcd = read(&cluster, CP, ETCD).replace(
        "  name: etcd\n  namespace: kube-system",
        "  name: Etcd\n  namespace: kube-system",
    );
    let analysis = analyse(&cluster, CP, ETCD, &etcd);
    assert_eq!(
        analysis.preview.to_string(),
        "invalid: the kubelet will skip this file and log why; `etcd-controlplane` keeps running until the next relist (within 20s) removes it"
    );
    let line = etcd.lines().position(|l| l == "  name: Etcd").unwrap() + 1;
    assert_eq!(analysis.diagnostics.len(), 1, "{:?}", analysis.diagnostics);
    let d = &analysis.diagnostics[0];
    assert_eq!(
        (d.from.line as usize, d.from.column, d.to.column),
        (line, 3, 13)
    );
    assert!(
        d.message.starts_with(
            "metadata.name: Invalid value: \"Etcd-controlplane\": a lowercase RFC 1123 subdomain"
        ),
        "{}",
        d.message
    );
    assert_eq!(
        analysis.kubelet_error,
        Some(format!("invalid pod: [{}]", d.message))
    );
}

#[test]
fn editing_a_pod_name_adds_the_new_pod_before_the_old_one_goes() {
    let cluster = booted();
    let etcd = read(&cluster, CP, ETCD).replace(
        "  name: etcd\n  namespace: kube-system",
        "  name: etcd2\n  namespace: kube-system",
    );
    assert_eq!(
        preview(&cluster, CP, ETCD, &etcd).to_string(),
        "creates static pod `etcd2-controlplane`; `etcd-controlplane` keeps running until the next relist (within 20s) removes it"
    );
}

#[test]
fn a_second_file_with_the_same_pod_replaces_it_until_the_relist_decides() {
    let cluster = booted();
    let etcd = read(&cluster, CP, ETCD);
    // `etcd.yaml` sorts before `zz.yaml`, so the relists keep the new file's pod.
    let analysis = analyse(&cluster, CP, &format!("{MANIFESTS}/zz.yaml"), &etcd);
    assert_eq!(
        analysis.preview,
        Preview::Replaces {
            pod: "etcd-controlplane".into(),
            other_file: "etcd.yaml".into(),
            kept_at_relist: true,
        }
    );
    let clash: Vec<String> = analysis.diagnostics.iter().map(|d| d.to_string()).collect();
    let line = etcd.lines().position(|l| l == "  name: etcd").unwrap() + 1;
    assert_eq!(
        clash,
        [format!("{line}:3-{line}:13 warning: another manifest, \"etcd.yaml\", defines the same static pod: the kubelet runs only one of them (at each relist, the later file name's)")]
    );
    let Preview::Replaces { kept_at_relist, .. } =
        preview(&cluster, CP, &format!("{MANIFESTS}/a.yaml"), &etcd)
    else {
        panic!("a.yaml should replace etcd.yaml's pod");
    };
    assert!(!kept_at_relist);
}

#[test]
fn a_fixed_uid_updates_in_place() {
    let mut cluster = booted();
    let path = format!("{MANIFESTS}/web.yaml");
    let with_uid = WEB.replace("  name: static-web\n", "  name: static-web\n  uid: web-1\n");
    write(&mut cluster, CP, &path, &with_uid);
    assert_eq!(
        preview(&cluster, CP, &path, &with_uid),
        Preview::NoChange {
            pod: "static-web-controlplane".into()
        }
    );
    check(
        &cluster,
        CP,
        &path,
        &with_uid.replace("nginx:1.27", "nginx:1.28"),
        expect![[r#"
            preview: same metadata.uid: `static-web-controlplane` is updated in place (UPDATE); containers whose spec changed restart
            5:3-5:13 info: with metadata.uid set, the UID no longer follows the content: an edit is an UPDATE in place, not REMOVE + ADD [uid: web-1]
        "#]],
    );
}

#[test]
fn without_a_kubelet_nothing_reads_the_folder() {
    let mut cluster = booted();
    cluster.unit_stop(CP, "kubelet.service").unwrap();
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        WEB,
        expect![[r#"
            preview: no kubelet runs on controlplane — nothing reads static pod manifests until it starts
        "#]],
    );
    let config = read(&cluster, CP, CONFIG);
    check(
        &cluster,
        CP,
        CONFIG,
        &config,
        expect![[r#"
            preview: kubelet config: read when the kubelet starts (`systemctl start kubelet`)
        "#]],
    );
}

#[test]
fn a_kubelet_without_static_pod_path_or_api_server() {
    let mut cluster = booted();
    // Started by hand with no config file and no kubeconfig: no file source, no mirrors.
    cluster.start_kubelet(WORKER, &[]).unwrap();
    assert_eq!(
        preview(&cluster, WORKER, &format!("{MANIFESTS}/web.yaml"), WEB),
        Preview::NoStaticPodPath
    );
    cluster
        .start_kubelet(WORKER, &["--pod-manifest-path=/srv/pods".to_string()])
        .unwrap();
    check(
        &cluster,
        WORKER,
        "/srv/pods/web.yaml",
        WEB,
        expect![[r#"
            preview: creates static pod `static-web-node01`
            4:3-4:19 info: the kubelet runs without an API server (no --kubeconfig): it creates no mirror pod, so kubectl will not list this pod [name: static-web]
        "#]],
    );
}

#[test]
fn a_bad_host_index_is_an_answer_not_a_panic() {
    let cluster = booted();
    assert_eq!(
        preview(&cluster, 9, "/etc/hosts", ""),
        Preview::NoSuchNode { index: 9 }
    );
}

// ---- The kubelet's decoding ---------------------------------------------------------------

#[test]
fn yaml_syntax_errors_in_the_kubelets_words() {
    let cluster = booted();
    let path = format!("{MANIFESTS}/web.yaml");
    check(
        &cluster,
        CP,
        &path,
        &WEB.replace("  name: static-web", "  name: static: web"),
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: /etc/kubernetes/manifests/web.yaml: couldn't parse as pod(error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context), please check config file
            4:15-4:20 error: error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context [: web]
        "#]],
    );
    // An unclosed quote is found at the end of the text; the mark is on the quote.
    check(
        &cluster,
        CP,
        &path,
        &WEB.replace("image: nginx:1.27", "image: \"nginx:1.27"),
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: /etc/kubernetes/manifests/web.yaml: couldn't parse as pod(error converting YAML to JSON: yaml: line 9: found unexpected end of stream at line 9 column 1), please check config file
            8:12-8:23 error: error converting YAML to JSON: yaml: line 9: found unexpected end of stream at line 9 column 1 ["nginx:1.27]
        "#]],
    );
}

#[test]
fn decode_errors_point_at_the_field_they_name() {
    let cluster = booted();
    let path = format!("{MANIFESTS}/web.yaml");
    check(
        &cluster,
        CP,
        &path,
        &WEB.replace(
            "image: nginx:1.27",
            "image: nginx:1.27\n    ports:\n    - containerPort: eighty",
        ),
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: /etc/kubernetes/manifests/web.yaml: couldn't parse as pod(json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32), please check config file
            10:22-10:28 error: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32 [eighty]
        "#]],
    );
    check(
        &cluster,
        CP,
        &path,
        &WEB.replace("kind: Pod", "kind: PodList"),
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: /etc/kubernetes/manifests/web.yaml: couldn't parse as pod(invalid pod: &core.PodList{TypeMeta:v1.TypeMeta{Kind:"", APIVersion:""}, ObjectMeta:v1.ObjectMeta{Name:"static-web", Namespace:"", ...}, ...}), please check config file
            2:1-2:14 error: invalid pod: &core.PodList{TypeMeta:v1.TypeMeta{Kind:"", APIVersion:""}, ObjectMeta:v1.ObjectMeta{Name:"static-web", Namespace:"", ...}, ...} [kind: PodList]
        "#]],
    );
    check(
        &cluster,
        CP,
        &path,
        &WEB.replace("apiVersion: v1", "apiVersion: apps/v1"),
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: /etc/kubernetes/manifests/web.yaml: couldn't parse as pod(no kind "Pod" is registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"), please check config file
            1:1-1:20 error: no kind "Pod" is registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30" [apiVersion: apps/v1]
        "#]],
    );
    let no_kind = WEB.replace("kind: Pod\n", "");
    let analysis = analyse(&cluster, CP, &path, &no_kind);
    assert_eq!(analysis.diagnostics.len(), 1);
    assert_eq!(
        (
            analysis.diagnostics[0].from.line,
            analysis.diagnostics[0].to.line
        ),
        (1, 1)
    );
    assert!(analysis.diagnostics[0]
        .message
        .starts_with("Object 'Kind' is missing in '{"));
    check(
        &cluster,
        CP,
        &path,
        "",
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: /etc/kubernetes/manifests/web.yaml: couldn't parse as pod(Object 'Kind' is missing in 'null'), please check config file
            1:1-1:1 error: Object 'Kind' is missing in 'null' []
        "#]],
    );
}

#[test]
fn validation_errors_each_at_their_field() {
    let cluster = booted();
    let text = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  restartPolicy: Sometimes
  containers:
  - name: Web
    image: nginx
  - name: side
";
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        text,
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: invalid pod: [spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?') spec.containers[1].image: Required value spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]
            6:3-6:27 error: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never" [restartPolicy: Sometimes]
            8:5-8:14 error: spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?') [name: Web]
            10:5-10:15 error: spec.containers[1].image: Required value [name: side]
        "#]],
    );
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        &WEB.replace("  name: static-web\n", "  labels:\n    app: web\n"),
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: invalid pod: name is needed for the pod
            3:1-3:9 error: invalid pod: name is needed for the pod [metadata]
        "#]],
    );
}

#[test]
fn static_pods_may_not_reference_api_objects() {
    let cluster = booted();
    let path = format!("{MANIFESTS}/web.yaml");
    check(
        &cluster,
        CP,
        &path,
        &WEB.replace(
            "image: nginx:1.27",
            "image: nginx:1.27\n    env:\n    - name: PASSWORD\n      valueFrom:\n        secretKeyRef: {name: db, key: password}",
        ),
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: static pods may not reference secrets
            12:9-12:21 error: static pods may not reference secrets [secretKeyRef]
        "#]],
    );
    check(
        &cluster,
        CP,
        &path,
        &WEB.replace("spec:\n", "spec:\n  serviceAccountName: builder\n"),
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: static pods may not reference serviceaccounts
            6:3-6:21 error: static pods may not reference serviceaccounts [serviceAccountName]
        "#]],
    );
    check(
        &cluster,
        CP,
        &path,
        &format!("{WEB}  volumes:\n  - name: conf\n    configMap:\n      name: web-conf\n"),
        expect![[r#"
            preview: invalid: the kubelet will skip this file and log why
            kubelet error: static pods may not reference configmaps
            11:5-11:14 error: static pods may not reference configmaps [configMap]
        "#]],
    );
}

// ---- What the kubelet accepts but not as written --------------------------------------------

#[test]
fn unknown_fields_are_dropped_silently_and_named_with_a_suggestion() {
    let cluster = booted();
    let text = "apiVersion: v1
kind: Pod
metadata:
  name: static-web
  lables: {app: web}
spec:
  containers:
  - name: web
    image: nginx:1.27
    resources: {limits: {cpu: 100m}, requets: {cpu: 50m}}
  - name: side
    image: busybox
    imagePullPolcy: Always
  hostnetwork: true
";
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        text,
        expect![[r#"
            preview: creates static pod `static-web-controlplane`
            5:3-5:9 warning: unknown field "metadata.lables": the kubelet ignores it (did you mean "labels"?) [lables]
            10:38-10:45 warning: unknown field "spec.containers[0].resources.requets": the kubelet ignores it (did you mean "requests"?) [requets]
            13:5-13:19 warning: unknown field "spec.containers[1].imagePullPolcy": the kubelet ignores it (did you mean "imagePullPolicy"?) [imagePullPolcy]
            14:3-14:14 warning: unknown field "spec.hostnetwork": the kubelet ignores it (did you mean "hostNetwork"?) [hostnetwork]
        "#]],
    );
    // A name too far from any field gets no guess.
    let analysis = analyse(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        &WEB.replace("spec:\n", "spec:\n  colour: blue\n"),
    );
    assert_eq!(
        analysis.diagnostics[0].message,
        "unknown field \"spec.colour\": the kubelet ignores it"
    );
}

#[test]
fn only_the_first_document_counts() {
    let cluster = booted();
    let text = format!("{WEB}---\n{}", WEB.replace("static-web", "second"));
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        &text,
        expect![[r#"
            preview: creates static pod `static-web-controlplane`
            9:1-9:4 warning: the kubelet reads only the first YAML document of a manifest: this document and any after it are ignored [---]
        "#]],
    );
}

#[test]
fn the_mirror_needs_its_namespace() {
    let cluster = booted();
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        &WEB.replace(
            "  name: static-web\n",
            "  name: static-web\n  namespace: shop\n",
        ),
        expect![[r#"
            preview: creates static pod `static-web-controlplane`
            5:3-5:18 warning: the kubelet runs this pod but cannot create its mirror pod ("Failed creating a mirror pod" err="namespaces \"shop\" not found"), so kubectl will not list it [namespace: shop]
        "#]],
    );
}

#[test]
fn the_kubelet_sets_node_name_itself() {
    let cluster = booted();
    check(
        &cluster,
        CP,
        &format!("{MANIFESTS}/web.yaml"),
        &WEB.replace("spec:\n", "spec:\n  nodeName: node01\n"),
        expect![[r#"
            preview: creates static pod `static-web-controlplane`
            6:3-6:19 warning: the kubelet sets spec.nodeName to "controlplane": this value is ignored [nodeName: node01]
        "#]],
    );
}

// ---- The kubelet's configuration and unit -------------------------------------------------

#[test]
fn the_kubelet_config_file_takes_effect_on_restart() {
    let cluster = booted();
    let config = read(&cluster, CP, CONFIG);
    check(
        &cluster,
        CP,
        CONFIG,
        &config,
        expect![[r#"
            preview: kubelet config: takes effect on `systemctl restart kubelet`
        "#]],
    );
    let moved = config.replace(
        "staticPodPath: /etc/kubernetes/manifests",
        "staticPodPath: /srv/pods",
    );
    let line = moved
        .lines()
        .position(|l| l.starts_with("staticPodPath"))
        .unwrap()
        + 1;
    let analysis = analyse(&cluster, CP, CONFIG, &moved);
    assert_eq!(
        analysis.preview.to_string(),
        "kubelet config: takes effect on `systemctl restart kubelet` (staticPodPath `/etc/kubernetes/manifests` → `/srv/pods`)"
    );
    assert_eq!(
        analysis.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        [format!("{line}:1-{line}:25 info: \"/srv/pods\" does not exist on controlplane: the kubelet will log \"Unable to read config path\" err=\"path does not exist, ignoring\" every second")]
    );
}

#[test]
fn the_kubelet_config_file_in_the_kubelets_words() {
    let cluster = booted();
    let config = read(&cluster, CP, CONFIG);
    let misspelt = config.replace("staticPodPath:", "staticPodPat:");
    let line = misspelt
        .lines()
        .position(|l| l.starts_with("staticPodPat:"))
        .unwrap()
        + 1;
    let analysis = analyse(&cluster, CP, CONFIG, &misspelt);
    assert_eq!(
        analysis.preview.to_string(),
        "kubelet config: takes effect on `systemctl restart kubelet` (staticPodPath `/etc/kubernetes/manifests` → `\"\"`)"
    );
    assert_eq!(
        analysis.kubelet_error.as_deref(),
        Some("strict decoding error: unknown field \"staticPodPat\"")
    );
    assert_eq!(
        analysis.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        [format!("{line}:1-{line}:13 warning: unknown field \"staticPodPat\": the kubelet ignores it and logs \"Using lenient decoding as strict decoding failed\" (did you mean \"staticPodPath\"?)")]
    );

    let wrong_type = config.replace(
        "staticPodPath: /etc/kubernetes/manifests",
        "staticPodPath: [/etc/kubernetes/manifests]",
    );
    let line = wrong_type
        .lines()
        .position(|l| l.starts_with("staticPodPath"))
        .unwrap()
        + 1;
    let analysis = analyse(&cluster, CP, CONFIG, &wrong_type);
    let message = "failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load Kubelet config file /var/lib/kubelet/config.yaml, error failed to decode: json: cannot unmarshal array into Go struct field KubeletConfiguration.staticPodPath of type string";
    assert_eq!(analysis.preview, Preview::KubeletConfigInvalid);
    assert_eq!(analysis.kubelet_error.as_deref(), Some(message));
    assert_eq!(
        analysis
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>(),
        [format!("{line}:1-{line}:43 error: {message}")]
    );

    let analysis = analyse(
        &cluster,
        CP,
        CONFIG,
        "kind: KubeletConfiguration\nstaticPodPath: /x\n  bad: [\n",
    );
    assert_eq!(analysis.preview, Preview::KubeletConfigInvalid);
    assert_eq!(
        analysis.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        ["3:6-3:9 error: failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load Kubelet config file /var/lib/kubelet/config.yaml, error failed to decode: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context"]
    );
    check(
        &cluster,
        CP,
        CONFIG,
        "",
        expect![[r#"
            preview: kubelet config: invalid — the kubelet will exit at its next start
            kubelet error: failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load Kubelet config file /var/lib/kubelet/config.yaml, error kubelet config file "/var/lib/kubelet/config.yaml" was empty
            1:1-1:1 error: failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load Kubelet config file /var/lib/kubelet/config.yaml, error kubelet config file "/var/lib/kubelet/config.yaml" was empty []
        "#]],
    );
}

#[test]
fn flags_override_the_config_file() {
    let mut cluster = booted();
    cluster
        .start_kubelet(
            WORKER,
            &[
                "--config=/var/lib/kubelet/config.yaml".to_string(),
                "--pod-manifest-path=/srv/pods".to_string(),
            ],
        )
        .unwrap();
    let config = read(&cluster, WORKER, CONFIG);
    let line = config
        .lines()
        .position(|l| l.starts_with("staticPodPath"))
        .unwrap()
        + 1;
    let analysis = analyse(&cluster, WORKER, CONFIG, &config);
    let messages: Vec<String> = analysis.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        messages[0],
        format!("{line}:1-{line}:41 info: the kubelet's --pod-manifest-path flag overrides this setting (flags win over the config file)")
    );
    assert_eq!(
        analysis.preview,
        Preview::KubeletConfig {
            changes: Vec::new()
        }
    );
}

#[test]
fn the_unit_and_its_environment_files() {
    let cluster = booted();
    let drop_in = read(&cluster, CP, DROP_IN);
    check(
        &cluster,
        CP,
        DROP_IN,
        &drop_in,
        expect![[r#"
            preview: kubelet unit: takes effect on `systemctl daemon-reload` and a kubelet restart
        "#]],
    );
    let bad_flag = drop_in.replace(
        "$KUBELET_EXTRA_ARGS",
        "$KUBELET_EXTRA_ARGS --static-pod-path=/x",
    );
    let line = bad_flag
        .lines()
        .position(|l| l.starts_with("ExecStart=/"))
        .unwrap()
        + 1;
    let analysis = analyse(&cluster, CP, DROP_IN, &bad_flag);
    assert_eq!(
        analysis.diagnostics.iter().map(|d| (d.from.line as usize, d.message.clone())).collect::<Vec<_>>(),
        [(line, "the kubelet exits at start: failed to parse kubelet flag: unknown flag: --static-pod-path".to_string())]
    );
    let restart = format!("{drop_in}Restart=sometimes\n");
    let analysis = analyse(&cluster, CP, DROP_IN, &restart);
    let last = restart.lines().count();
    assert_eq!(
        analysis.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        [format!("{last}:1-{last}:18 warning: Failed to parse service restart specifier, ignoring: sometimes")]
    );
    let flags = read(&cluster, CP, "/var/lib/kubelet/kubeadm-flags.env");
    check(
        &cluster,
        CP,
        "/var/lib/kubelet/kubeadm-flags.env",
        &flags,
        expect![[r#"
            preview: kubelet environment file: takes effect on `systemctl restart kubelet`
        "#]],
    );
    check(
        &cluster,
        CP,
        "/etc/default/kubelet",
        "# extra flags\nKUBELET_EXTRA_ARGS=\"--v=2 --manifest-path=/srv/pods\"\n",
        expect![[r#"
            preview: kubelet environment file: takes effect on `systemctl restart kubelet`
            2:27-2:52 error: the kubelet exits at start: failed to parse kubelet flag: unknown flag: --manifest-path [--manifest-path=/srv/pods]
        "#]],
    );
    assert_eq!(
        preview(
            &cluster,
            CP,
            "/etc/systemd/system/kubelet.service.d/20-extra.conf",
            "[Service]\n"
        ),
        Preview::UnitFile
    );
}

#[test]
fn pathological_text_gets_an_answer() {
    let cluster = booted();
    let path = format!("{MANIFESTS}/web.yaml");
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let analysis = analyse(&cluster, CP, &path, &deep);
    assert!(matches!(analysis.preview, Preview::Invalid { .. }));
    assert_eq!(analysis.diagnostics.len(), 1, "{:?}", analysis.diagnostics);
    for text in [
        "\u{0}\u{1}\t: -",
        "- - - [",
        "{a: 1, a: 2}",
        "? x\n: y\n",
        "&a x: *a\n",
    ] {
        let analysis = analyse(&cluster, CP, &path, text);
        assert!(
            matches!(analysis.preview, Preview::Invalid { .. }),
            "{text:?}: {}",
            analysis.preview
        );
        assert!(!analysis.diagnostics.is_empty(), "{text:?}");
    }
}
