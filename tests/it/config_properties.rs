//! Property tests of the pod-config layer: random sequences of manifest creates, edits,
//! renames and deletes, URL content changes and API server changes, with virtual time passing
//! in between. After every step:
//!
//! 1. the mux's stored pods for each source are exactly what that source last sent (after
//!    upstream's duplicate-name filter), and
//! 2. replaying every update the mux emitted onto an empty map gives the same state.
//!
//! Plus the determinism check: the same scenario twice gives identical event logs.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1 as corev1;
use kubelet_playground::apiserver::store::{ObjectKey, Resource};
use kubelet_playground::cluster::Cluster;
use kubelet_playground::node::fs::WriteMode;
use kubelet_playground::node::http::HttpServer;
use kubelet_playground::node::Node;
use kubelet_playground::sim::trace::{Event, PodOp};
use kubelet_playground::sim::SimDuration;
use proptest::prelude::*;

const NODE: &str = "node01";
const MANIFESTS: &str = "/etc/kubernetes/manifests";
const FILES: [&str; 4] = ["a.yaml", "b.yaml", "c.yaml", ".hidden.yaml"];

#[derive(Debug, Clone)]
enum Step {
    WriteManifest {
        file: usize,
        pod: u8,
        image: u8,
        explicit_uid: bool,
    },
    WriteGarbage {
        file: usize,
    },
    Rename {
        from: usize,
        to: usize,
    },
    Delete {
        file: usize,
    },
    ServeList {
        pods: Vec<(u8, u8)>,
    },
    ServeMissing,
    ServeEmpty,
    ApiPut {
        pod: u8,
        image: u8,
        here: bool,
    },
    ApiDelete {
        pod: u8,
    },
    Advance {
        ms: u64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..4usize, 0..3u8, 0..3u8, any::<bool>()).prop_map(|(file, pod, image, explicit_uid)| {
            Step::WriteManifest {
                file,
                pod,
                image,
                explicit_uid,
            }
        }),
        (0..4usize).prop_map(|file| Step::WriteGarbage { file }),
        (0..4usize, 0..4usize).prop_map(|(from, to)| Step::Rename { from, to }),
        (0..4usize).prop_map(|file| Step::Delete { file }),
        prop::collection::vec((0..3u8, 0..3u8), 0..4).prop_map(|pods| Step::ServeList { pods }),
        Just(Step::ServeMissing),
        Just(Step::ServeEmpty),
        (0..3u8, 0..3u8, any::<bool>()).prop_map(|(pod, image, here)| Step::ApiPut {
            pod,
            image,
            here
        }),
        (0..3u8).prop_map(|pod| Step::ApiDelete { pod }),
        (0..25_000u64).prop_map(|ms| Step::Advance { ms }),
    ]
}

fn manifest(pod: u8, image: u8, explicit_uid: bool) -> String {
    let uid = if explicit_uid {
        format!("  uid: uid-{pod}\n")
    } else {
        String::new()
    };
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{pod}\n{uid}spec:\n  containers:\n  - name: c\n    image: img{image}\n"
    )
}

fn pod_list(pods: &[(u8, u8)]) -> String {
    let items: Vec<serde_json::Value> = pods
        .iter()
        .map(|(pod, image)| {
            serde_json::json!({
                "metadata": {"name": format!("u{pod}")},
                "spec": {"containers": [{"name": "c", "image": format!("img{image}")}]}
            })
        })
        .collect();
    serde_json::json!({"apiVersion": "v1", "kind": "PodList", "items": items}).to_string()
}

/// A node with a manifests directory, an HTTP server for the URL source, a kubeconfig (so
/// the API source runs) and a kubelet with all three sources.
fn world() -> Cluster {
    let mut cluster = Cluster::new(7, "172.30.1.2:6443");
    let mut node = Node::new(NODE, "172.30.2.2");
    let t0 = cluster.now();
    node.fs.mkdir_all(t0, MANIFESTS).unwrap();
    node.fs.mkdir_all(t0, "/srv").unwrap();
    node.fs
        .write(
            t0,
            "/etc/kubernetes/kubelet.conf",
            b"apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://controlplane:6443\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\ncurrent-context: ctx\nusers:\n- name: u\n  user: {}\n",
            WriteMode::Truncate,
        )
        .unwrap();
    node.http_servers.insert(
        8000,
        HttpServer {
            port: 8000,
            root: "/srv".into(),
            pid: 900,
            started: kubelet_playground::sim::SimTime::ZERO,
        },
    );
    cluster.add_node(node);
    let args: Vec<String> = [
        "--kubeconfig=/etc/kubernetes/kubelet.conf",
        "--pod-manifest-path=/etc/kubernetes/manifests",
        "--manifest-url=http://localhost:8000/pods.json",
        "--file-check-frequency=20s",
        "--http-check-frequency=20s",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    cluster.start_kubelet(0, &args).unwrap();
    cluster.settle();
    cluster
}

fn apply(cluster: &mut Cluster, step: &Step) {
    let now = cluster.now();
    let path = |file: usize| format!("{MANIFESTS}/{}", FILES[file]);
    match step {
        Step::WriteManifest {
            file,
            pod,
            image,
            explicit_uid,
        } => {
            let text = manifest(*pod, *image, *explicit_uid);
            let fs = &mut cluster.node_mut(0).fs;
            fs.write(now, &path(*file), text.as_bytes(), WriteMode::Truncate)
                .unwrap();
        }
        Step::WriteGarbage { file } => {
            let fs = &mut cluster.node_mut(0).fs;
            fs.write(
                now,
                &path(*file),
                b"kind: Pod\nmetadata: [",
                WriteMode::Truncate,
            )
            .unwrap();
        }
        Step::Rename { from, to } => {
            let _ = cluster.node_mut(0).fs.rename(now, &path(*from), &path(*to));
        }
        Step::Delete { file } => {
            let _ = cluster.node_mut(0).fs.remove_file(now, &path(*file));
        }
        Step::ServeList { pods } => {
            let fs = &mut cluster.node_mut(0).fs;
            fs.write(
                now,
                "/srv/pods.json",
                pod_list(pods).as_bytes(),
                WriteMode::Truncate,
            )
            .unwrap();
        }
        Step::ServeMissing => {
            let _ = cluster.node_mut(0).fs.remove_file(now, "/srv/pods.json");
        }
        Step::ServeEmpty => {
            let fs = &mut cluster.node_mut(0).fs;
            fs.write(now, "/srv/pods.json", b"", WriteMode::Truncate)
                .unwrap();
        }
        Step::ApiPut { pod, image, here } => {
            let mut p = corev1::Pod::default();
            p.metadata.name = Some(format!("a{pod}"));
            p.metadata.namespace = Some("default".into());
            p.metadata.uid = Some(format!("api-uid-{pod}"));
            p.spec = Some(corev1::PodSpec {
                node_name: Some(if *here { NODE } else { "other" }.into()),
                containers: vec![corev1::Container {
                    name: "c".into(),
                    image: Some(format!("img{image}")),
                    ..Default::default()
                }],
                ..Default::default()
            });
            let key = ObjectKey::new(Resource::Pods, "default", &format!("a{pod}"));
            cluster
                .api_mut()
                .store_mut()
                .put_typed(key, &p)
                .expect("a pod encodes");
        }
        Step::ApiDelete { pod } => {
            let key = ObjectKey::new(Resource::Pods, "default", &format!("a{pod}"));
            cluster.api_mut().store_mut().remove(&key);
        }
        Step::Advance { ms } => cluster.advance(SimDuration::from_millis(*ms)),
    }
    cluster.settle();
}

type State = BTreeMap<String, BTreeSet<String>>;

/// Both invariants, on the event log and the kubelet's mux.
fn check(cluster: &Cluster) -> Result<(), TestCaseError> {
    let kubelet = cluster.host(0).kubelet().unwrap();
    let config = kubelet.pod_config();
    let actual: State = kubelet
        .sources()
        .iter()
        .map(|s| {
            let uids = config
                .source_pods(s)
                .iter()
                .map(|p| p.metadata.uid.clone().unwrap_or_default())
                .collect();
            (s.clone(), uids)
        })
        .collect();

    let mut last_said: State = kubelet
        .sources()
        .iter()
        .map(|s| (s.clone(), BTreeSet::new()))
        .collect();
    let mut replayed: State = last_said.clone();
    for record in cluster.trace().records() {
        match &record.event {
            Event::SourceSent {
                source,
                op: PodOp::Set,
                pods,
            } => {
                // Upstream's filter: the first pod with a full name wins within a message.
                let mut names = BTreeSet::new();
                let uids = pods
                    .iter()
                    .filter(|p| names.insert((p.namespace.clone(), p.name.clone())))
                    .map(|p| p.uid.clone())
                    .collect();
                last_said.insert(source.clone(), uids);
            }
            Event::MuxEmitted {
                source, op, pods, ..
            } => {
                let state = replayed.entry(source.to_string()).or_default();
                for pod in pods {
                    match op {
                        PodOp::Add => {
                            state.insert(pod.uid.clone());
                        }
                        PodOp::Remove => {
                            prop_assert!(state.remove(&pod.uid), "REMOVE of unknown {pod:?}");
                        }
                        PodOp::Update | PodOp::Delete | PodOp::Reconcile => {
                            prop_assert!(state.contains(&pod.uid), "{op} of unknown {pod:?}");
                        }
                        PodOp::Set => prop_assert!(false, "Incremental mode never emits SET"),
                    }
                }
            }
            _ => (),
        }
    }
    prop_assert_eq!(
        &actual,
        &last_said,
        "mux state vs what the sources last said"
    );
    prop_assert_eq!(&actual, &replayed, "mux state vs replayed updates");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn mux_state_follows_the_sources(steps in prop::collection::vec(step(), 1..40)) {
        let mut cluster = world();
        check(&cluster)?;
        for step in &steps {
            apply(&mut cluster, step);
            check(&cluster)?;
        }
        cluster.advance(SimDuration::from_secs(21));
        check(&cluster)?;
    }
}

#[test]
fn same_scenario_twice_gives_identical_event_logs() {
    let steps = [
        Step::WriteManifest {
            file: 0,
            pod: 0,
            image: 0,
            explicit_uid: false,
        },
        Step::ServeList {
            pods: vec![(0, 1), (1, 1), (0, 2)],
        },
        Step::Advance { ms: 20_500 },
        Step::ApiPut {
            pod: 1,
            image: 0,
            here: true,
        },
        Step::Rename { from: 0, to: 1 },
        Step::WriteGarbage { file: 2 },
        Step::Advance { ms: 45_000 },
        Step::ApiDelete { pod: 1 },
        Step::ServeEmpty,
        Step::Advance { ms: 20_000 },
    ];
    let run = || {
        let mut cluster = world();
        for step in &steps {
            apply(&mut cluster, step);
        }
        cluster.trace().clone()
    };
    let first = run();
    let second = run();
    assert!(
        first.len() > 50,
        "the scenario does something ({} records)",
        first.len()
    );
    assert_eq!(first, second);
}
