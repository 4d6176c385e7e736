//! Ports of upstream `pkg/kubelet/config/file_test.go` and `file_linux_test.go` (v1.34)
//! (`docs/upstream-cases.md` D1–D13), plus the file source's documented quirks.

use crate::common::*;
use k8s_openapi::api::core::v1 as corev1;
use kubelet_playground::kubelet::config::file::SourceFile;
use kubelet_playground::kubelet::config::{NotificationMode, PodConfig};
use kubelet_playground::kubelet::context::Ctx;
use kubelet_playground::kubelet::types::{PodOp, FILE_SOURCE};
use kubelet_playground::node::fs::{Fs, WriteMode};
use kubelet_playground::sim::trace::{Event, LogLine, Trace};
use kubelet_playground::sim::{Rng, SimDuration, SimTime};

/// A file source driven by hand, as upstream's unit tests drive `sourceFile` directly. The
/// mux runs in Snapshot mode so every SET the source sends is visible as one message.
struct Direct {
    fs: Fs,
    config: PodConfig,
    rng: Rng,
    trace: Trace,
    source: Option<SourceFile>,
}

impl Direct {
    fn new() -> Direct {
        let mut config = PodConfig::new(NotificationMode::Snapshot);
        config.channel(FILE_SOURCE);
        Direct {
            fs: Fs::default(),
            config,
            rng: Rng::seeded(1),
            trace: Trace::default(),
            source: None,
        }
    }

    fn open(&mut self, path: &str) {
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            host: TEST_HOSTNAME,
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        self.source = Some(SourceFile::new(
            &mut ctx,
            path,
            TEST_HOSTNAME,
            SimDuration::from_millis(100),
        ));
    }

    /// Runs `f` on the source with the world it needs.
    fn run(&mut self, f: impl FnOnce(&mut SourceFile, &mut Ctx<'_>, &mut Fs, &mut PodConfig)) {
        let mut source = self.source.take().expect("open() first");
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            host: TEST_HOSTNAME,
            rng: &mut self.rng,
            trace: &mut self.trace,
        };
        f(&mut source, &mut ctx, &mut self.fs, &mut self.config);
        self.source = Some(source);
    }

    fn relist(&mut self) {
        self.run(|source, ctx, fs, config| source.relist(ctx, fs, config));
    }

    fn put(&mut self, path: &str, data: &[u8]) {
        self.fs
            .write(SimTime::ZERO, path, data, WriteMode::Truncate)
            .unwrap();
    }

    /// The pods of each pending SET.
    fn sets(&mut self) -> Vec<Vec<corev1::Pod>> {
        let mut out = Vec::new();
        while let Some(update) = self.config.next_update() {
            assert_eq!(update.op, PodOp::Set);
            out.push(update.pods.iter().map(|p| corev1::Pod::clone(p)).collect());
        }
        out
    }

    fn errors(&self) -> Vec<LogLine> {
        self.trace
            .records()
            .iter()
            .filter_map(|r| match &r.event {
                Event::Log(line)
                    if line.severity == kubelet_playground::sim::trace::Severity::Error =>
                {
                    Some(line.clone())
                }
                _ => None,
            })
            .collect()
    }
}

fn field<'a>(line: &'a LogLine, key: &str) -> &'a str {
    line.field(key).unwrap_or_default()
}

// D1: in single-file mode a file that is not a pod is an error and sends nothing.
#[test]
fn extract_from_bad_data_file() {
    let mut d = Direct::new();
    d.fs.mkdir_all(SimTime::ZERO, "/tmp/d").unwrap();
    d.put("/tmp/d/test_pod_config", &[1, 2, 3]);
    d.open("/tmp/d/test_pod_config");
    d.relist();
    assert!(d.sets().is_empty(), "no message in single-file mode");
    let errors = d.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "Unable to read config path");
    assert!(
        field(&errors[0], "err").starts_with("/tmp/d/test_pod_config: couldn't parse as pod("),
        "{:?}",
        errors[0]
    );
}

// D2: an empty directory sends one empty SET and no error.
#[test]
fn extract_from_empty_dir() {
    let mut d = Direct::new();
    d.fs.mkdir_all(SimTime::ZERO, "/tmp/empty").unwrap();
    d.open("/tmp/empty");
    d.relist();
    assert_eq!(d.sets(), vec![Vec::<corev1::Pod>::new()]);
    assert!(d.errors().is_empty());
}

// D3: a missing path is the retryable "path does not exist, ignoring", with an empty SET.
#[test]
fn extract_from_non_existent_file() {
    let mut d = Direct::new();
    d.open("/some/fake/file");
    d.run(|source, ctx, fs, config| {
        source.watch_attempt(ctx, fs, config);
    });
    assert_eq!(d.sets(), vec![Vec::<corev1::Pod>::new()]);
    let errors = d.errors();
    assert_eq!(field(&errors[0], "err"), "path does not exist, ignoring");
    assert_eq!(field(&errors[0], "path"), "/some/fake/file");
}

// D4: a full source on a missing path sends an empty SET first.
#[test]
fn update_on_non_existent_file() {
    let mut cluster = one_node(TEST_HOSTNAME, &[]);
    start_kubelet(
        &mut cluster,
        "--pod-manifest-path=random_non_existent_path --file-check-frequency=1ms",
    );
    cluster.settle();
    let sets = sets_from(&cluster, FILE_SOURCE, 0);
    assert_eq!(sets.first().map(Vec::len), Some(0));
}

/// SimplePod after the kubelet's defaults, as upstream's test expects it (file source).
fn simple_pod_expected(container_name: &str) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "test-random-test-hostname",
            "namespace": "mynamespace",
            "uid": "12345",
            "annotations": {"kubernetes.io/config.hash": "12345"}
        },
        "spec": {
            "containers": [{
                "name": container_name,
                "image": "test/image",
                "imagePullPolicy": "Always",
                "securityContext": {"privileged": false},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File"
            }],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": true,
            "nodeName": "random-test-hostname",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "terminationGracePeriodSeconds": 30,
            "tolerations": [{"effect": "NoExecute", "operator": "Exists"}]
        },
        "status": {"phase": "Pending"}
    })
}

// D5: the first SET carries SimplePod with every default applied.
#[test]
fn read_pods_from_file_exist_already() {
    let mut d = Direct::new();
    d.fs.mkdir_all(SimTime::ZERO, "/tmp/d").unwrap();
    d.put("/tmp/d/test_pod_manifest", SIMPLE_POD.as_bytes());
    d.open("/tmp/d/test_pod_manifest");
    d.relist();
    let sets = d.sets();
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].len(), 1);
    assert_eq!(
        without_local_annotations(&sets[0][0]),
        simple_pod_expected("image")
    );
}

/// The four variants of upstream's watch tests: watch a directory or a file, and reach the
/// manifest directly or through a symlink into another directory.
#[derive(Clone, Copy, Debug)]
struct Variant {
    watch_dir: bool,
    symlink: bool,
}

const MANIFEST: &str = "test_pod_manifest_0";

/// Sets up the variant: returns (the cluster, the path the source watches, the path to write
/// the manifest's content to).
fn watch_setup(
    v: Variant,
    write_first: bool,
) -> (kubelet_playground::cluster::Cluster, String, String) {
    let mut cluster = one_node(TEST_HOSTNAME, &["/tmp/d", "/tmp/l"]);
    let link = format!("/tmp/d/{MANIFEST}");
    let target = if v.symlink {
        format!("/tmp/l/{MANIFEST}")
    } else {
        link.clone()
    };
    if v.symlink {
        let now = cluster.now();
        cluster.node_mut(0).fs.symlink(now, &target, &link).unwrap();
    }
    if write_first {
        write(&mut cluster, &target, SIMPLE_POD);
    }
    let watched = if v.watch_dir {
        "/tmp/d".to_string()
    } else {
        link
    };
    (cluster, watched, target)
}

const SIMPLE_POD_REF: &str = "mynamespace/test-random-test-hostname";

fn last_file_set(cluster: &kubelet_playground::cluster::Cluster) -> Option<Vec<String>> {
    sets_from(cluster, FILE_SOURCE, 0)
        .last()
        .map(|pods| names(pods))
}

/// D6–D9: the first message is an empty SET; after the manifest is written, a SET with the
/// pod follows within 5 s.
fn watch_file_added(v: Variant) {
    let (mut cluster, watched, target) = watch_setup(v, false);
    start_kubelet(
        &mut cluster,
        &format!("--pod-manifest-path={watched} --file-check-frequency=100ms"),
    );
    cluster.settle();
    let first = sets_from(&cluster, FILE_SOURCE, 0);
    assert_eq!(
        first.first().map(Vec::len),
        Some(0),
        "{v:?}: first SET is empty"
    );
    write(&mut cluster, &target, SIMPLE_POD);
    let found = run_until(&mut cluster, SimDuration::from_secs(5), |c| {
        last_file_set(c) == Some(vec![SIMPLE_POD_REF.to_string()])
    });
    assert!(found, "{v:?}: no SET with the pod within 5s");
}

#[test]
fn watch_file_added_dir_symlink() {
    watch_file_added(Variant {
        watch_dir: true,
        symlink: true,
    });
}

#[test]
fn watch_file_added_dir() {
    watch_file_added(Variant {
        watch_dir: true,
        symlink: false,
    });
}

#[test]
fn watch_file_added_file_symlink() {
    watch_file_added(Variant {
        watch_dir: false,
        symlink: true,
    });
}

#[test]
fn watch_file_added_file() {
    watch_file_added(Variant {
        watch_dir: false,
        symlink: false,
    });
}

/// D10–D13: the pod is seen; an in-place edit (container renamed) is seen; in directory mode
/// a rename away and back is first an empty SET, then the pod again.
fn watch_file_changed(v: Variant) {
    let (mut cluster, watched, target) = watch_setup(v, true);
    start_kubelet(
        &mut cluster,
        &format!("--pod-manifest-path={watched} --file-check-frequency=100ms"),
    );
    cluster.settle();
    assert_eq!(
        last_file_set(&cluster),
        Some(vec![SIMPLE_POD_REF.to_string()])
    );

    let mark = cluster.trace().len();
    write(
        &mut cluster,
        &target,
        &SIMPLE_POD.replace("name: image", "name: image2"),
    );
    let changed = run_until(&mut cluster, SimDuration::from_secs(5), |c| {
        c.trace().since(mark).iter().any(|r| {
            matches!(&r.event, Event::MuxEmitted { op: PodOp::Update, pods, .. }
                if pods.iter().any(|p| p.uid == "12345"))
        })
    });
    assert!(
        changed,
        "{v:?}: the edit did not reach the mux as an UPDATE"
    );

    if v.watch_dir {
        let mark = cluster.trace().len();
        let now = cluster.now();
        let from = format!("/tmp/d/{MANIFEST}");
        let to = format!("/tmp/d/{MANIFEST}_ch");
        cluster.node_mut(0).fs.rename(now, &from, &to).unwrap();
        cluster.settle();
        let sets = sets_from(&cluster, FILE_SOURCE, mark);
        assert_eq!(
            sets.iter().map(|p| names(p)).collect::<Vec<_>>()[..2],
            [vec![], vec![SIMPLE_POD_REF.to_string()]],
            "{v:?}: rename = delete then add"
        );
    }
}

#[test]
fn watch_file_changed_dir_symlink() {
    watch_file_changed(Variant {
        watch_dir: true,
        symlink: true,
    });
}

#[test]
fn watch_file_changed_dir() {
    watch_file_changed(Variant {
        watch_dir: true,
        symlink: false,
    });
}

#[test]
fn watch_file_changed_file_symlink() {
    watch_file_changed(Variant {
        watch_dir: false,
        symlink: true,
    });
}

#[test]
fn watch_file_changed_file() {
    watch_file_changed(Variant {
        watch_dir: false,
        symlink: false,
    });
}

// Dot-files are never read; sub-directories are not recursed into.
#[test]
fn dot_files_and_subdirectories_are_skipped() {
    let mut d = Direct::new();
    d.fs.mkdir_all(SimTime::ZERO, "/m/sub").unwrap();
    d.put("/m/.web.yaml.swp", SIMPLE_POD.as_bytes());
    d.put("/m/sub/web.yaml", SIMPLE_POD.as_bytes());
    d.open("/m");
    d.relist();
    assert_eq!(d.sets(), vec![Vec::<corev1::Pod>::new()]);
    let errors = d.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        "Provided manifest path is a directory, not recursing into manifest path"
    );
}

/// A source open on `/m`, which holds a manifest that does not parse and a good one.
fn broken_beside_good() -> Direct {
    let mut d = Direct::new();
    d.fs.mkdir_all(SimTime::ZERO, "/m").unwrap();
    d.put(
        "/m/a-broken.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata: [\n",
    );
    d.put("/m/b.yaml", SIMPLE_POD.as_bytes());
    d.open("/m");
    d
}

// One bad file never stops the others.
#[test]
fn one_bad_file_is_skipped() {
    let mut d = broken_beside_good();
    d.relist();
    let sets = d.sets();
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].len(), 1);
    let errors = d.errors();
    assert_eq!(errors[0].message, "Could not process manifest file");
    assert_eq!(field(&errors[0], "path"), "/m/a-broken.yaml");
    assert!(
        field(&errors[0], "err").starts_with(
            "/m/a-broken.yaml: couldn't parse as pod(error converting YAML to JSON: yaml: line"
        ),
        "{:?}",
        errors[0]
    );
}

// Two files defining the same pod: the later file name wins (a `.bak` copy beats the
// original).
#[test]
fn later_file_wins_for_the_same_pod_name() {
    let mut d = Direct::new();
    d.fs.mkdir_all(SimTime::ZERO, "/m").unwrap();
    d.put("/m/test.yaml", SIMPLE_POD.as_bytes());
    d.put(
        "/m/test.yaml.bak",
        SIMPLE_POD
            .replace("image: test/image", "image: test/old")
            .as_bytes(),
    );
    d.open("/m");
    d.relist();
    let sets = d.sets();
    assert_eq!(sets[0].len(), 1);
    let image = sets[0][0].spec.as_ref().unwrap().containers[0]
        .image
        .clone();
    assert_eq!(image.as_deref(), Some("test/old"));
}

// The UID is a content hash of the manifest, its path and the node: the same content at
// another path is another pod; an explicit uid is kept.
#[test]
fn uid_depends_on_content_path_and_node() {
    let without_uid = SIMPLE_POD.replace("  uid: \"12345\"\n", "");
    let uid_at = |path: &str, node: &str, text: &str| {
        let mut d = Direct::new();
        d.fs.mkdir_all(SimTime::ZERO, "/m").unwrap();
        d.put(path, text.as_bytes());
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            host: node,
            rng: &mut d.rng,
            trace: &mut d.trace,
        };
        d.source = Some(SourceFile::new(
            &mut ctx,
            path,
            node,
            SimDuration::from_secs(20),
        ));
        d.relist();
        let sets = d.sets();
        sets[0][0].metadata.uid.clone().unwrap()
    };
    let a = uid_at("/m/a.yaml", "node1", &without_uid);
    assert_eq!(a.len(), 32);
    assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(a, uid_at("/m/a.yaml", "node1", &without_uid), "stable");
    assert_ne!(a, uid_at("/m/b.yaml", "node1", &without_uid), "path");
    assert_ne!(a, uid_at("/m/a.yaml", "node2", &without_uid), "node");
    assert_ne!(
        a,
        uid_at(
            "/m/a.yaml",
            "node1",
            &without_uid.replace("test/image", "test/other")
        ),
        "content"
    );
    assert_eq!(uid_at("/m/a.yaml", "node1", SIMPLE_POD), "12345");
}

// In directory mode a manifest that stops parsing drops out at the next relist; in
// single-file mode the old pod stays.
#[test]
fn broken_manifest_dir_mode_versus_file_mode() {
    for (watched, keeps) in [("/m", false), ("/m/test.yaml", true)] {
        let mut d = Direct::new();
        d.fs.mkdir_all(SimTime::ZERO, "/m").unwrap();
        d.put("/m/test.yaml", SIMPLE_POD.as_bytes());
        d.open(watched);
        d.relist();
        assert_eq!(d.sets()[0].len(), 1);
        d.put(
            "/m/test.yaml",
            b"kind: Pod\napiVersion: v1\nmetadata: {name: [\n",
        );
        d.relist();
        let sets = d.sets();
        if keeps {
            assert!(sets.is_empty(), "single-file mode keeps the old pod");
        } else {
            assert_eq!(
                sets,
                vec![Vec::<corev1::Pod>::new()],
                "directory mode drops it"
            );
        }
    }
}

// A missing static pod path is retried every second, with the familiar log line.
#[test]
fn missing_path_is_retried_every_second() {
    let mut cluster = one_node(TEST_HOSTNAME, &[]);
    start_kubelet(
        &mut cluster,
        "--pod-manifest-path=/etc/kubernetes/manifests",
    );
    cluster.advance(SimDuration::from_millis(5500));
    let missing = cluster
        .trace()
        .records()
        .iter()
        .filter(|r| {
            matches!(&r.event, Event::Log(l)
            if l.message == "Unable to read config path"
                && l.caller.starts_with("file_linux.go"))
        })
        .count();
    // t = 0 (start), 1, 2, 3, 4, 5.
    assert_eq!(missing, 6);
    // Creating the directory lets the watch start and stops the errors.
    let now = cluster.now();
    cluster
        .node_mut(0)
        .fs
        .mkdir_all(now, "/etc/kubernetes/manifests")
        .unwrap();
    cluster.advance(SimDuration::from_secs(5));
    let after = cluster
        .trace()
        .records()
        .iter()
        .filter(|r| r.at > now + SimDuration::from_secs(1))
        .filter(|r| matches!(&r.event, Event::Log(l) if l.message == "Unable to read config path"))
        .count();
    assert_eq!(after, 0);
}

// Deleting and re-creating the watched directory leaves a dead watch: a new manifest is only
// noticed by the periodic relist.
#[test]
fn recreated_directory_is_only_seen_by_the_relist() {
    let mut cluster = one_node(TEST_HOSTNAME, &["/m"]);
    start_kubelet(
        &mut cluster,
        "--pod-manifest-path=/m --file-check-frequency=20s",
    );
    cluster.advance(SimDuration::from_secs(1));
    let now = cluster.now();
    cluster.node_mut(0).fs.remove_all(now, "/m").unwrap();
    cluster.node_mut(0).fs.mkdir(now, "/m").unwrap();
    write(&mut cluster, "/m/test.yaml", SIMPLE_POD);
    cluster.settle();
    assert_ne!(
        last_file_set(&cluster),
        Some(vec![SIMPLE_POD_REF.to_string()])
    );
    // The relist at t = 20 s picks it up.
    cluster.advance(SimDuration::from_secs(19));
    assert_eq!(
        last_file_set(&cluster),
        Some(vec![SIMPLE_POD_REF.to_string()])
    );
}

// Relisting files whose bytes did not change gives what decoding them afresh gives: the same
// pods and the same log lines (the source replays its last decode of each file); a file whose
// bytes changed is decoded again.
#[test]
fn unchanged_files_relist_as_a_fresh_decode_would() {
    let mut d = broken_beside_good();
    // What the source itself records, up to its listing (the mux then tells ADD from
    // nothing new, which differs between the first relist and the second).
    let events = |d: &Direct, from: usize| -> Vec<Event> {
        let all: Vec<Event> = d
            .trace
            .since(from)
            .iter()
            .map(|r| r.event.clone())
            .collect();
        let end = all
            .iter()
            .position(|e| matches!(e, Event::FileListed { .. }))
            .expect("the relist lists the directory");
        all[..=end].to_vec()
    };

    let first_from = d.trace.len();
    d.relist();
    let first = events(&d, first_from);
    assert_eq!(d.sets().len(), 1);
    let second_from = d.trace.len();
    d.relist();
    assert_eq!(
        events(&d, second_from),
        first,
        "the replay logs the same lines"
    );
    assert!(
        d.sets().is_empty(),
        "nothing changed, so the mux passes nothing on"
    );
    assert!(
        first
            .iter()
            .any(|e| matches!(e, Event::Log(l) if l.message == "Generated pod name")),
        "the decode's own lines are among them: {first:?}"
    );

    // New bytes: decoded again, so the pod follows the file.
    d.put(
        "/m/b.yaml",
        SIMPLE_POD
            .replace("image: test/image", "image: test/other")
            .as_bytes(),
    );
    d.relist();
    let sets = d.sets();
    let image = sets[0][0].spec.as_ref().unwrap().containers[0]
        .image
        .clone();
    assert_eq!(image.as_deref(), Some("test/other"));
}
