//! Ports of upstream `pkg/kubelet/config/apiserver_test.go` (v1.34) (`docs/upstream-cases.md`
//! C1–C3): every change to this node's pods is a full SET.

use k8s_openapi::api::core::v1 as corev1;
use kubelet_playground::apiserver::store::{ObjectKey, Resource};
use kubelet_playground::apiserver::ApiServer;
use kubelet_playground::kubelet::config::apiserver::{Next, SourceApiserver};
use kubelet_playground::kubelet::config::{NotificationMode, PodConfig};
use kubelet_playground::kubelet::context::Ctx;
use kubelet_playground::kubelet::types::API_SOURCE;
use kubelet_playground::sim::trace::Trace;
use kubelet_playground::sim::{Rng, SimTime};

const NODE: &str = "node01";

struct Harness {
    api: ApiServer,
    source: SourceApiserver,
    config: PodConfig,
    rng: Rng,
    trace: Trace,
}

impl Harness {
    fn new() -> Harness {
        let mut rng = Rng::seeded(1);
        let mut trace = Trace::default();
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            host: NODE,
            rng: &mut rng,
            trace: &mut trace,
        };
        let source = SourceApiserver::new(&mut ctx, NODE, "https://controlplane:6443");
        let mut config = PodConfig::new(NotificationMode::Snapshot);
        config.channel(API_SOURCE);
        Harness {
            api: ApiServer::new("172.30.1.2:6443"),
            source,
            config,
            rng,
            trace,
        }
    }

    fn poll(&mut self) -> Next {
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            host: NODE,
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        self.source.poll(&mut ctx, &self.api, &mut self.config)
    }

    fn put(&mut self, namespace: &str, name: &str, image: &str, node: &str) {
        let mut pod = corev1::Pod::default();
        pod.metadata.name = Some(name.into());
        pod.metadata.namespace = Some(namespace.into());
        pod.metadata.uid = Some(format!("{namespace}-{name}"));
        pod.spec = Some(corev1::PodSpec {
            node_name: Some(node.into()),
            containers: vec![corev1::Container {
                name: "c".into(),
                image: Some(image.into()),
                ..Default::default()
            }],
            ..Default::default()
        });
        let key = ObjectKey::new(Resource::Pods, namespace, name);
        self.api
            .store_mut()
            .put_typed(key, &pod)
            .expect("a pod encodes");
    }

    fn delete(&mut self, namespace: &str, name: &str) {
        self.api
            .store_mut()
            .remove(&ObjectKey::new(Resource::Pods, namespace, name));
    }

    /// Each pending SET as sorted `namespace/name=image` strings.
    fn sets(&mut self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        while let Some(update) = self.config.next_update() {
            let mut pods: Vec<String> = update
                .pods
                .iter()
                .map(|p| {
                    format!(
                        "{}/{}={}",
                        p.metadata.namespace.as_deref().unwrap_or_default(),
                        p.metadata.name.as_deref().unwrap_or_default(),
                        p.spec.as_ref().unwrap().containers[0]
                            .image
                            .as_deref()
                            .unwrap_or_default()
                    )
                })
                .collect();
            pods.sort();
            out.push(pods);
        }
        out
    }
}

// C1: list, then each watch event (add, modify, delete) is a full SET.
#[test]
fn updates_and_multiple_pods() {
    let mut h = Harness::new();
    h.put("default", "p", "image/one", NODE);
    assert_eq!(h.poll(), Next::OnChange);
    assert_eq!(h.sets(), vec![vec!["default/p=image/one"]]);

    h.put("default", "q", "image/blah", NODE);
    h.poll();
    assert_eq!(
        h.sets(),
        vec![vec!["default/p=image/one", "default/q=image/blah"]]
    );

    h.put("default", "p", "image/two", NODE);
    h.poll();
    assert_eq!(
        h.sets(),
        vec![vec!["default/p=image/two", "default/q=image/blah"]]
    );

    h.delete("default", "p");
    h.poll();
    assert_eq!(h.sets(), vec![vec!["default/q=image/blah"]]);

    h.delete("default", "q");
    h.poll();
    assert_eq!(h.sets(), vec![Vec::<String>::new()]);
}

// C2: the store key includes the namespace.
#[test]
fn two_namespaces_same_name() {
    let mut h = Harness::new();
    h.put("one", "p", "i", NODE);
    h.put("two", "p", "i", NODE);
    h.poll();
    assert_eq!(h.sets(), vec![vec!["one/p=i", "two/p=i"]]);
    h.delete("one", "p");
    h.poll();
    assert_eq!(h.sets(), vec![vec!["two/p=i"]]);
}

// C3: an empty initial list still sends an empty SET, so the source becomes seen.
#[test]
fn initial_empty_sends_empty_pod_update() {
    let mut h = Harness::new();
    h.poll();
    assert_eq!(h.sets(), vec![Vec::<String>::new()]);
}

// Pods bound to other nodes are not this source's; one moving away is a deletion.
#[test]
fn only_pods_bound_to_this_node() {
    let mut h = Harness::new();
    h.put("default", "mine", "i", NODE);
    h.put("default", "theirs", "i", "controlplane");
    h.poll();
    assert_eq!(h.sets(), vec![vec!["default/mine=i"]]);
    h.put("default", "theirs", "j", "controlplane");
    h.poll();
    assert!(
        h.sets().is_empty(),
        "a change to another node's pod sends nothing"
    );
    h.put("default", "mine", "i", "controlplane");
    h.poll();
    assert_eq!(h.sets(), vec![Vec::<String>::new()]);
}

// While the API server is down the source waits for node sync, then relists with back-off
// when the watch breaks.
#[test]
fn waits_for_the_api_server_and_relists_after_an_outage() {
    let mut h = Harness::new();
    h.api.set_serving(false);
    assert_eq!(
        h.poll(),
        Next::WakeAt(SimTime(1000)),
        "node sync is polled every second"
    );
    assert!(h.sets().is_empty());
    h.api.set_serving(true);
    h.put("default", "p", "i", NODE);
    assert_eq!(h.poll(), Next::OnChange);
    assert_eq!(h.sets().len(), 1);

    h.api.set_serving(false);
    let Next::WakeAt(at) = h.poll() else {
        panic!("a broken watch backs off");
    };
    assert!(at >= SimTime(800) && at <= SimTime(1600), "{at:?}");
    h.api.set_serving(true);
    h.put("default", "q", "i", NODE);
    assert_eq!(h.poll(), Next::OnChange);
    assert_eq!(h.sets(), vec![vec!["default/p=i", "default/q=i"]]);
}
