//! Ports of upstream `pkg/kubelet/config/common_test.go` (v1.34) (`docs/upstream-cases.md`
//! F1–F5), plus the decode errors a learner sees in the journal.

use k8s_openapi::api::core::v1 as corev1;
use kubelet_playground::kubelet::config::common::{
    apply_defaults, decode_single_pod as decode_refusal, generate_pod_name, try_decode_pod_list,
    try_decode_single_pod, Decoded, PodRefusal, StaticSource,
};
use kubelet_playground::kubelet::context::Ctx;
use kubelet_playground::sim::trace::Trace;
use kubelet_playground::sim::{Rng, SimTime};

fn with_ctx<T>(f: impl FnOnce(&mut Ctx<'_>) -> T) -> T {
    let mut rng = Rng::seeded(1);
    let mut trace = Trace::default();
    let mut ctx = Ctx {
        now: SimTime::ZERO,
        host: "node1",
        rng: &mut rng,
        trace: &mut trace,
    };
    f(&mut ctx)
}

fn no_defaults(_: &mut Ctx<'_>, _: &mut corev1::Pod) {}

fn decode_single(data: &str) -> Decoded<corev1::Pod> {
    with_ctx(|ctx| try_decode_single_pod(ctx, data.as_bytes(), &mut no_defaults))
}

fn decode_list(data: &str) -> Decoded<Vec<corev1::Pod>> {
    with_ctx(|ctx| try_decode_pod_list(ctx, data.as_bytes(), &mut no_defaults))
}

/// Upstream's fully defaulted test pod (name test, uid 12345, status podIP 1.2.3.4).
fn defaulted_pod() -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "test", "uid": "12345", "namespace": "mynamespace"},
        "spec": {
            "restartPolicy": "Always",
            "dnsPolicy": "ClusterFirst",
            "terminationGracePeriodSeconds": 30,
            "containers": [{
                "name": "image",
                "image": "test/image",
                "imagePullPolicy": "IfNotPresent",
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "securityContext": {"privileged": false}
            }],
            "securityContext": {},
            "schedulerName": "default-scheduler",
            "enableServiceLinks": true
        },
        "status": {"podIP": "1.2.3.4", "podIPs": [{"ip": "1.2.3.4"}]}
    })
}

// F1: a fully defaulted pod round-trips unchanged, as JSON and as YAML.
#[test]
fn decode_single_pod() {
    let pod = defaulted_pod();
    let json = pod.to_string();
    let yaml = kubelet_playground::yaml::to_string(&pod).unwrap();
    for data in [json, yaml] {
        let decoded = decode_single(&data);
        assert!(decoded.parsed);
        let got = serde_json::to_value(decoded.result.unwrap()).unwrap();
        assert_eq!(got, pod);
    }
}

// F2: a ClusterTrustBundle projection is an API reference a static pod may not make.
#[test]
fn decode_single_pod_rejects_cluster_trust_bundle_volumes() {
    let mut pod = defaulted_pod();
    pod["spec"]["volumes"] = serde_json::json!([{
        "name": "ctb-volume",
        "projected": {"sources": [{"clusterTrustBundle": {"name": "my-ctb", "path": "ctb-file"}}]}
    }]);
    pod["spec"]["containers"][0]["volumeMounts"] =
        serde_json::json!([{"name": "ctb-volume", "mountPath": "/var/run/ctb-volume"}]);
    let decoded = decode_single(&pod.to_string());
    let err = decoded.result.unwrap_err();
    assert!(
        err.contains("may not reference clustertrustbundles"),
        "{err}"
    );
}

// F3: a resource claim is an API reference too.
#[test]
fn decode_single_pod_rejects_resource_claims() {
    let mut pod = defaulted_pod();
    pod["spec"]["resourceClaims"] =
        serde_json::json!([{"name": "my-claim", "resourceClaimName": "some-external-claim"}]);
    pod["spec"]["containers"][0]["resources"] =
        serde_json::json!({"claims": [{"name": "my-claim"}]});
    let err = decode_single(&pod.to_string()).result.unwrap_err();
    assert!(err.contains("may not reference resourceclaims"), "{err}");
}

// F4: a PodList decodes item by item, as JSON and as YAML.
#[test]
fn decode_pod_list() {
    let mut item = defaulted_pod();
    item.as_object_mut().unwrap().remove("apiVersion");
    item.as_object_mut().unwrap().remove("kind");
    let list = serde_json::json!({"apiVersion": "v1", "kind": "PodList", "items": [item.clone()]});
    for data in [
        list.to_string(),
        kubelet_playground::yaml::to_string(&list).unwrap(),
    ] {
        let decoded = decode_list(&data);
        assert!(decoded.parsed);
        let pods = decoded.result.unwrap();
        assert_eq!(pods.len(), 1);
        let mut got = serde_json::to_value(&pods[0]).unwrap();
        got.as_object_mut().unwrap().remove("apiVersion");
        got.as_object_mut().unwrap().remove("kind");
        assert_eq!(got, item);
    }
}

// F5: the node name is lower-cased because upper case fails DNS-1123 validation.
#[test]
fn static_pod_name_generate() {
    assert_eq!(
        generate_pod_name("static-pod1", "node1"),
        "static-pod1-node1"
    );
    assert_eq!(
        generate_pod_name("static-pod1", "Node1"),
        "static-pod1-node1"
    );
    assert_eq!(
        generate_pod_name("static-pod1", "NODE1"),
        "static-pod1-node1"
    );
    let manifest = |name: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: default\nspec:\n  containers:\n  - name: c\n    image: i\n")
    };
    assert!(decode_single(&manifest("static-pod1-node1")).result.is_ok());
    let err = decode_single(&manifest("static-pod1-NODE1"))
        .result
        .unwrap_err();
    assert!(
        err.starts_with("invalid pod: [metadata.name: Invalid value: \"static-pod1-NODE1\": a lowercase RFC 1123 subdomain"),
        "{err}"
    );
}

// Decoding with the real defaults: the UID is generated, the name suffixed, the toleration
// added for file pods only.
#[test]
fn apply_defaults_file_versus_url() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
    let decode = |source: StaticSource<'_>| {
        with_ctx(|ctx| {
            let mut default_fn = |ctx: &mut Ctx<'_>, pod: &mut corev1::Pod| {
                apply_defaults(ctx, pod, source, "nodea")
            };
            try_decode_single_pod(ctx, manifest.as_bytes(), &mut default_fn)
                .result
                .unwrap()
        })
    };
    let file = decode(StaticSource::File("/etc/kubernetes/manifests/web.yaml"));
    let url = decode(StaticSource::Url("http://x/web.yaml"));
    assert_eq!(file.metadata.name.as_deref(), Some("web-nodea"));
    assert_eq!(
        file.spec.as_ref().unwrap().node_name.as_deref(),
        Some("nodea")
    );
    assert_eq!(file.metadata.namespace.as_deref(), Some("default"));
    let uid = file.metadata.uid.clone().unwrap();
    assert_eq!(
        file.metadata.annotations.as_ref().unwrap()["kubernetes.io/config.hash"],
        uid
    );
    assert_ne!(Some(uid), url.metadata.uid, "file: and url: seeds differ");
    let tolerations = |p: &corev1::Pod| p.spec.as_ref().unwrap().tolerations.clone();
    assert_eq!(
        tolerations(&file),
        Some(vec![corev1::Toleration {
            operator: Some("Exists".into()),
            effect: Some("NoExecute".into()),
            ..Default::default()
        }])
    );
    assert_eq!(tolerations(&url), None);
    assert_eq!(file.status.unwrap().phase.as_deref(), Some("Pending"));
}

// The errors a learner meets, worded as the kubelet words them.
#[test]
fn decode_errors_read_like_upstream() {
    let err = |data: &str| decode_single(data).result.unwrap_err();
    assert_eq!(
        err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web: x\n"),
        "error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context"
    );
    assert_eq!(
        err("metadata:\n  name: web\n"),
        "Object 'Kind' is missing in '{\"metadata\":{\"name\":\"web\"}}'"
    );
    assert_eq!(
        err("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"),
        "no kind \"Deployment\" is registered for version \"apps/v1\" in scheme \"pkg/api/legacyscheme/scheme.go:30\""
    );
    assert!(
        err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n")
            .starts_with("invalid pod: &core.ConfigMap{")
    );
    assert_eq!(
        err("apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n"),
        "invalid pod: name is needed for the pod"
    );
    assert_eq!(
        err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: web\n"),
        "invalid pod: [spec.containers[0].image: Required value]"
    );
    let decoded = decode_single("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n");
    assert!(
        decoded.parsed,
        "a Pod without containers parsed, then failed validation"
    );
    assert!(!decode_single("{}").parsed);
}

// Type errors are Go's JSON decoder's (the manifest becomes JSON first, as `yaml.ToJSON` makes
// it), and the refusal keeps where the value at fault starts for the editor.
#[test]
fn type_errors_name_field_and_line() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: eighty\n";
    assert_eq!(
        decode_single(text).result.unwrap_err(),
        "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
    );
    let refusal = with_ctx(|ctx| decode_refusal(ctx, text, &mut no_defaults)).unwrap_err();
    match refusal {
        PodRefusal::Unparsed { at, .. } => assert_eq!(at, Some((10, 22))),
        other => panic!("not a decode error: {other:?}"),
    }
    assert!(!decode_single(text).parsed);
}

// A number where a string is expected: YAML's `3600` is a JSON number, which Go's decoder
// does not put into a string (a YAML decoder straight into the type would have).
#[test]
fn an_unquoted_number_in_args_is_refused_as_upstream_refuses_it() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: web\n    image: busybox\n    args: [sleep, 3600]\n";
    let decoded = decode_single(text);
    assert!(!decoded.parsed);
    assert_eq!(
        decoded.result.unwrap_err(),
        "json: cannot unmarshal number into Go struct field Container.spec.containers.args of type string"
    );
    let quoted = decode_single(&text.replace("3600", "\"3600\""));
    assert!(quoted.result.is_ok(), "{:?}", quoted.result);
    let list = "apiVersion: v1\nkind: PodList\nitems:\n- metadata:\n    name: web\n  spec:\n    containers:\n    - name: web\n      image: busybox\n      args: [sleep, 3600]\n";
    assert_eq!(
        decode_list(list).result.unwrap_err(),
        "json: cannot unmarshal number into Go struct field Container.items.spec.containers.args of type string"
    );
}
