//! Ports of upstream `pkg/kubelet/config/http_test.go` (v1.34) (`docs/upstream-cases.md`
//! E1–E11), plus the URL source's documented behaviours.

use crate::common::*;
use k8s_openapi::api::core::v1 as corev1;
use kubelet_playground::kubelet::config::http::{HttpOutcome, HttpResponse, SourceUrl};
use kubelet_playground::kubelet::config::{NotificationMode, PodConfig};
use kubelet_playground::kubelet::context::Ctx;
use kubelet_playground::kubelet::types::HTTP_SOURCE;
use kubelet_playground::node::http::HttpServer;
use kubelet_playground::sim::trace::{Event, Trace};
use kubelet_playground::sim::{Rng, SimDuration, SimTime};

const NODE: &str = "different-value";
const URL: &str = "http://localhost:8080/pods";

/// A URL source fed canned responses, the mux in Snapshot mode so each SET shows.
struct Direct {
    source: SourceUrl,
    config: PodConfig,
    rng: Rng,
    trace: Trace,
}

impl Direct {
    fn new(header: Vec<(String, String)>) -> Direct {
        let mut rng = Rng::seeded(1);
        let mut trace = Trace::default();
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            host: NODE,
            rng: &mut rng,
            trace: &mut trace,
        };
        let source = SourceUrl::new(&mut ctx, URL, header, NODE, SimDuration::from_secs(20));
        let mut config = PodConfig::new(NotificationMode::Snapshot);
        config.channel(HTTP_SOURCE);
        Direct {
            source,
            config,
            rng,
            trace,
        }
    }

    fn answer(&mut self, status: u16, body: &str) {
        let outcome = HttpOutcome {
            result: Ok(HttpResponse {
                status,
                status_line: format!(
                    "{status} {}",
                    if status == 200 { "OK" } else { "Not Found" }
                ),
                body: body.as_bytes().to_vec(),
            }),
            latency: SimDuration::ZERO,
        };
        self.complete(outcome);
    }

    fn complete(&mut self, outcome: HttpOutcome) {
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            host: NODE,
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        self.source.complete(&mut ctx, &mut self.config, outcome);
    }

    fn sets(&mut self) -> Vec<Vec<corev1::Pod>> {
        let mut out = Vec::new();
        while let Some(update) = self.config.next_update() {
            out.push(update.pods.iter().map(|p| corev1::Pod::clone(p)).collect());
        }
        out
    }

    /// The error of the last fetch, if it failed.
    fn last_error(&self) -> Option<String> {
        self.trace
            .records()
            .iter()
            .rev()
            .find_map(|r| match &r.event {
                Event::UrlFetched { error, .. } => Some(error.clone()),
                _ => None,
            })?
    }
}

// E1 and E2: an unreachable URL sends nothing, ever.
#[test]
fn url_error_not_exist_no_update() {
    let mut cluster = one_node(NODE, &[]);
    start_kubelet(
        &mut cluster,
        "--manifest-url=http://localhost:49575/_not_found_ --http-check-frequency=1ms",
    );
    cluster.advance(SimDuration::from_millis(2));
    assert!(sets_from(&cluster, HTTP_SOURCE, 0).is_empty());
    let error = cluster
        .trace()
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::UrlFetched { error: Some(e), .. } => Some(e.clone()),
            _ => None,
        });
    assert_eq!(
        error.as_deref(),
        Some("Get \"http://localhost:49575/_not_found_\": dial tcp 127.0.0.1:49575: connect: connection refused")
    );
}

fn json_pod(body: serde_json::Value) -> String {
    body.to_string()
}

/// E3–E8: a 200 answer whose pod cannot be used is an error and sends nothing.
fn expect_invalid(body: serde_json::Value, error_contains: &str) {
    let mut d = Direct::new(Vec::new());
    d.answer(200, &json_pod(body));
    assert!(d.sets().is_empty(), "no SET for an invalid pod");
    let error = d.last_error().expect("an error");
    assert!(error.contains(error_contains), "{error}");
}

fn pod_with(spec: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "foo", "uid": "111", "namespace": "mynamespace"},
        "spec": spec
    })
}

// E3
#[test]
fn extract_invalid_pods_no_version() {
    expect_invalid(
        serde_json::json!({"metadata": {"name": "foo"}, "spec": {"containers": [{"name": "a", "image": "b"}]}}),
        "Object 'Kind' is missing in '{",
    );
}

// E4
#[test]
fn extract_invalid_pods_invalid_version() {
    expect_invalid(
        serde_json::json!({"apiVersion": "v1betta2", "kind": "Pod", "metadata": {"name": "foo"}}),
        "no kind \"Pod\" is registered for version \"v1betta2\"",
    );
}

// E5
#[test]
fn extract_invalid_pods_invalid_volume_name() {
    expect_invalid(
        pod_with(serde_json::json!({
            "containers": [{"name": "a", "image": "b"}],
            "volumes": [{"name": "_INVALID_", "emptyDir": {}}]
        })),
        "invalid pod: [spec.volumes[0].name: Invalid value: \"_INVALID_\"",
    );
}

// E6
#[test]
fn extract_invalid_pods_duplicate_volume_names() {
    expect_invalid(
        pod_with(serde_json::json!({
            "containers": [{"name": "a", "image": "b"}],
            "volumes": [{"name": "repeated", "emptyDir": {}}, {"name": "repeated", "emptyDir": {}}]
        })),
        "spec.volumes[1].name: Duplicate value: \"repeated\"",
    );
}

// E7
#[test]
fn extract_invalid_pods_unspecified_container_name() {
    expect_invalid(
        pod_with(serde_json::json!({"containers": [{"name": "", "image": "b"}]})),
        "spec.containers[0].name: Required value",
    );
}

// E8
#[test]
fn extract_invalid_pods_invalid_container_name() {
    expect_invalid(
        pod_with(serde_json::json!({"containers": [{"name": "_INVALID_", "image": "b"}]})),
        "spec.containers[0].name: Invalid value: \"_INVALID_\"",
    );
}

fn http_pod_expected(
    name: &str,
    uid: &str,
    namespace: &str,
    container: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": uid,
            "annotations": {"kubernetes.io/config.hash": uid}
        },
        "spec": {
            "containers": [container],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": true,
            "nodeName": NODE,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "terminationGracePeriodSeconds": 30
        },
        "status": {"phase": "Pending"}
    })
}

// E9: a single pod, defaulted; http pods get no NoExecute toleration.
#[test]
fn extract_pods_from_http_single_pod() {
    let mut d = Direct::new(Vec::new());
    d.answer(
        200,
        &serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "foo", "uid": "111", "namespace": "mynamespace"},
            "spec": {
                "nodeName": NODE,
                "containers": [{"name": "1", "image": "foo", "imagePullPolicy": "Always", "terminationMessagePolicy": "File"}],
                "securityContext": {},
                "schedulerName": "default-scheduler"
            },
            "status": {"phase": "Pending"}
        })
        .to_string(),
    );
    let sets = d.sets();
    assert_eq!(sets.len(), 1);
    assert_eq!(
        without_local_annotations(&sets[0][0]),
        http_pod_expected(
            "foo-different-value",
            "111",
            "mynamespace",
            serde_json::json!({
                "name": "1", "image": "foo", "imagePullPolicy": "Always",
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"
            })
        )
    );
    assert_eq!(d.last_error(), None);
}

// E10: a PodList, in list order; a tagged image defaults to IfNotPresent.
#[test]
fn extract_pods_from_http_multiple_pods() {
    let mut d = Direct::new(Vec::new());
    d.answer(
        200,
        &serde_json::json!({
            "apiVersion": "v1",
            "kind": "PodList",
            "items": [
                {"metadata": {"name": "foo", "uid": "111"},
                 "spec": {"containers": [{"name": "1", "image": "foo", "imagePullPolicy": "Always"}]}},
                {"metadata": {"name": "bar", "uid": "222"},
                 "spec": {"containers": [{"name": "2", "image": "bar:bartag", "imagePullPolicy": ""}]}}
            ]
        })
        .to_string(),
    );
    let sets = d.sets();
    assert_eq!(sets.len(), 1);
    let pods: Vec<serde_json::Value> = sets[0].iter().map(without_local_annotations).collect();
    let container = |name: &str, image: &str, pull: &str| {
        serde_json::json!({
            "name": name, "image": image, "imagePullPolicy": pull,
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"
        })
    };
    let mut foo = http_pod_expected(
        "foo-different-value",
        "111",
        "default",
        container("1", "foo", "Always"),
    );
    let mut bar = http_pod_expected(
        "bar-different-value",
        "222",
        "default",
        container("2", "bar:bartag", "IfNotPresent"),
    );
    // List items carry no apiVersion/kind of their own.
    for p in [&mut foo, &mut bar] {
        p.as_object_mut().unwrap().remove("apiVersion");
        p.as_object_mut().unwrap().remove("kind");
    }
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("apiVersion");
        v.as_object_mut().unwrap().remove("kind");
        v
    };
    assert_eq!(
        pods.into_iter().map(strip).collect::<Vec<_>>(),
        vec![foo, bar]
    );
}

// E11: the configured header is sent with every request.
#[test]
fn url_with_header() {
    let d = Direct::new(vec![("Metadata-Flavor".into(), "Google".into())]);
    let request = d.source.request();
    assert_eq!(
        request.headers,
        vec![("Metadata-Flavor".to_string(), "Google".to_string())]
    );
    assert_eq!(request.url, URL);
}

// An empty body sends an empty SET (the source is then seen) and is an error.
#[test]
fn empty_body_sets_nothing_but_marks_seen() {
    let mut d = Direct::new(Vec::new());
    d.answer(200, "");
    assert_eq!(d.sets(), vec![Vec::<corev1::Pod>::new()]);
    assert_eq!(
        d.last_error().as_deref(),
        Some("zero-length data received from http://localhost:8080/pods")
    );
}

// A non-200 answer is an error and keeps the previous state.
#[test]
fn not_ok_status_keeps_state() {
    let mut d = Direct::new(Vec::new());
    d.answer(404, "nope");
    assert!(d.sets().is_empty());
    assert_eq!(
        d.last_error().as_deref(),
        Some("http://localhost:8080/pods: 404 Not Found")
    );
}

// A byte-identical body short-circuits: nothing is sent, not even for a bad body the second
// time (upstream stores the body before parsing it).
#[test]
fn identical_body_is_skipped() {
    let mut d = Direct::new(Vec::new());
    let body =
        pod_with(serde_json::json!({"containers": [{"name": "a", "image": "b"}]})).to_string();
    d.answer(200, &body);
    assert_eq!(d.sets().len(), 1);
    d.answer(200, &body);
    assert!(d.sets().is_empty());
    d.answer(200, "not a pod");
    assert!(d.last_error().is_some());
    d.answer(200, "not a pod");
    assert_eq!(
        d.last_error(),
        None,
        "the repeated bad body counts as success"
    );
}

// After three failures the log line drops to V(4); the first success says so.
#[test]
fn failure_logs_are_throttled() {
    let mut d = Direct::new(Vec::new());
    for _ in 0..5 {
        d.complete(HttpOutcome {
            result: Err("Get \"x\": refused".into()),
            latency: SimDuration::ZERO,
        });
    }
    d.answer(
        200,
        &pod_with(serde_json::json!({"containers": [{"name": "a", "image": "b"}]})).to_string(),
    );
    let lines: Vec<(u8, String)> = d
        .trace
        .records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::Log(l) if l.message.contains("pods from URL") => {
                Some((l.verbosity, l.message.to_string()))
            }
            _ => None,
        })
        .collect();
    let failed = "Failed to read pods from URL".to_string();
    assert_eq!(
        lines,
        vec![
            (0, failed.clone()),
            (0, failed.clone()),
            (0, failed.clone()),
            (
                0,
                format!("{failed}. Dropping verbosity of this message to V(4)")
            ),
            (4, failed),
            (0, "Successfully read pods from URL".to_string()),
        ]
    );
}

// End to end: a manifest served by `python3 -m http.server` on another node is fetched every
// httpCheckFrequency; a black-holed address times out after the 10 s client timeout.
#[test]
fn url_source_over_the_cluster_network() {
    let mut cluster = one_node(NODE, &["/srv"]);
    write(
        &mut cluster,
        "/srv/pod.json",
        &pod_with(serde_json::json!({"containers": [{"name": "a", "image": "b"}]})).to_string(),
    );
    cluster.node_mut(0).http_servers.insert(
        8000,
        HttpServer {
            port: 8000,
            root: "/srv".into(),
            pid: 4000,
            started: kubelet_playground::sim::SimTime::ZERO,
        },
    );
    start_kubelet(
        &mut cluster,
        "--manifest-url=http://localhost:8000/pod.json --http-check-frequency=20s",
    );
    cluster.settle();
    let sets = sets_from(&cluster, HTTP_SOURCE, 0);
    assert_eq!(names(&sets[0]), ["mynamespace/foo-different-value"]);
    cluster.advance(SimDuration::from_secs(61));
    let fetches = cluster
        .trace()
        .records()
        .iter()
        .filter(|r| matches!(r.event, Event::UrlFetched { .. }))
        .count();
    assert_eq!(fetches, 4, "t = 0, 20, 40, 60");

    let mut cluster = one_node(NODE, &[]);
    start_kubelet(
        &mut cluster,
        "--manifest-url=http://172.30.9.9:8000/pod.json",
    );
    cluster.advance(SimDuration::from_millis(9999));
    assert!(!cluster
        .trace()
        .records()
        .iter()
        .any(|r| matches!(r.event, Event::UrlFetched { .. })));
    cluster.advance(SimDuration::from_millis(1));
    let error = cluster
        .trace()
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::UrlFetched { error, .. } => error.clone(),
            _ => None,
        });
    assert_eq!(
        error.as_deref(),
        Some("Get \"http://172.30.9.9:8000/pod.json\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
    );
}
