//! Soak: virtual hours of random learner actions on the default cluster, with invariants
//! checked after every step. `cargo test` runs a short soak; `SOAK_HOURS=24 cargo test --test
//! it soak` runs a day. A failure prints the seed and the shortest action list that still
//! fails (found by dropping actions one at a time).

use std::collections::BTreeMap;

use kubelet_playground::apiserver::store::Resource;
use kubelet_playground::node::cri::Cri;
use kubelet_playground::playground::Playground;
use kubelet_playground::sim::trace::KEEP;
use kubelet_playground::sim::{Rng, SimDuration};

const MANIFESTS: &str = "/etc/kubernetes/manifests";
const HOSTS: [&str; 2] = ["controlplane", "node01"];
/// The kubelet's resync bound: `syncFrequency` (1 min) plus its jitter, and housekeeping.
const RESYNC_BOUND: SimDuration = SimDuration::from_secs(100);
/// At most this many Events may be stored (they expire after an hour).
const MAX_EVENTS: usize = 5_000;
/// At most this many containers, live or dead, per node: the kubelet's garbage collection
/// keeps one dead instance per container of a live pod and removes those of gone pods.
const MAX_CONTAINERS: usize = 60;

/// One learner action.
#[derive(Debug, Clone)]
enum Action {
    /// Writes static pod `name` (image `tag`) on a host.
    Write {
        host: usize,
        name: u8,
        tag: u8,
    },
    /// Moves a manifest out to /tmp and back later (a separate action).
    MoveOut {
        host: usize,
        name: u8,
    },
    MoveBack {
        host: usize,
        name: u8,
    },
    /// Deletes a manifest.
    Remove {
        host: usize,
        name: u8,
    },
    /// `kubectl delete pod` of a mirror.
    DeleteMirror {
        host: usize,
        name: u8,
        force: bool,
    },
    /// `crictl stop` of a pod's container.
    CrictlStop {
        host: usize,
        name: u8,
    },
    /// `systemctl restart kubelet`.
    RestartKubelet {
        host: usize,
    },
    /// An API server outage: its manifest out, then back.
    ApiServerOut,
    ApiServerBack,
    /// node01's kubelet stopped for ten minutes.
    Node01Down,
    /// Lets time pass.
    Wait {
        secs: u16,
    },
}

fn pod_name(name: u8) -> String {
    format!("soak{name}")
}

fn manifest(name: u8, tag: u8) -> String {
    let image = ["nginx:1.27", "nginx:1.26", "busybox:1.36"][tag as usize % 3];
    let command = if image.starts_with("busybox") {
        "\n    command: [\"sh\", \"-c\", \"sleep 3600\"]"
    } else {
        ""
    };
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {}\nspec:\n  containers:\n  - name: c\n    image: {image}{command}\n",
        pod_name(name)
    )
}

fn random_action(rng: &mut Rng) -> Action {
    let host = rng.below(2) as usize;
    let name = rng.below(3) as u8;
    match rng.below(20) {
        0..=3 => Action::Write {
            host,
            name,
            tag: rng.below(3) as u8,
        },
        4 => Action::MoveOut { host, name },
        5 => Action::MoveBack { host, name },
        6 => Action::Remove { host, name },
        7 => Action::DeleteMirror {
            host,
            name,
            force: rng.below(2) == 0,
        },
        8 => Action::CrictlStop { host, name },
        9 => Action::RestartKubelet { host },
        10 => Action::ApiServerOut,
        11 => Action::ApiServerBack,
        12 => Action::Node01Down,
        _ => Action::Wait {
            secs: 1 + rng.below(180) as u16,
        },
    }
}

/// The world under test and what the checks need to know of its history.
struct Soak {
    pg: Playground,
    /// Virtual seconds since each host's static pods or its kubelet last changed, or since the
    /// API server came back; the mirror check waits for the resync bound after any of them.
    quiet_since: [SimDuration; 2],
    /// How many times a manifest's mirror was checked (a soak that never checks proves nothing).
    mirror_checks: usize,
    /// How many times a manifest was checked against the kubelet's pod manager.
    source_checks: usize,
}

impl Soak {
    fn new(seed: u64) -> Soak {
        let mut pg = Playground::new(seed).unwrap();
        pg.advance(SimDuration::from_secs(30));
        Soak {
            pg,
            quiet_since: [SimDuration::ZERO; 2],
            mirror_checks: 0,
            source_checks: 0,
        }
    }

    fn on(&mut self, host: usize, command: &str) {
        let line = match host {
            0 => command.to_string(),
            _ => format!("ssh node01 '{command}'"),
        };
        self.pg.run(&line);
        if self.pg.busy() {
            self.pg.interrupt();
        }
    }

    fn disturb(&mut self, host: usize) {
        self.quiet_since[host] = SimDuration::ZERO;
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::Write { host, name, tag } => {
                self.pg
                    .save_file(
                        HOSTS[host],
                        &format!("{MANIFESTS}/{name}.yaml"),
                        &manifest(name, tag),
                    )
                    .unwrap();
                self.disturb(host);
            }
            Action::MoveOut { host, name } => {
                self.on(
                    host,
                    &format!("mv {MANIFESTS}/{name}.yaml /tmp/ 2>/dev/null"),
                );
                self.disturb(host);
            }
            Action::MoveBack { host, name } => {
                self.on(
                    host,
                    &format!("mv /tmp/{name}.yaml {MANIFESTS}/ 2>/dev/null"),
                );
                self.disturb(host);
            }
            Action::Remove { host, name } => {
                self.on(host, &format!("rm -f {MANIFESTS}/{name}.yaml"));
                self.disturb(host);
            }
            Action::DeleteMirror { host, name, force } => {
                let force = if force {
                    " --force --grace-period=0"
                } else {
                    ""
                };
                self.pg.run(&format!(
                    "kubectl delete pod {}-{}{force} --wait=false",
                    pod_name(name),
                    HOSTS[host]
                ));
                self.disturb(host);
            }
            Action::CrictlStop { host, name } => {
                self.on(
                    host,
                    &format!(
                        "crictl stop $(crictl ps -q --name c --pod $(crictl pods -q --name {}))",
                        pod_name(name)
                    ),
                );
                self.disturb(host);
            }
            Action::RestartKubelet { host } => {
                self.on(host, "systemctl restart kubelet");
                self.disturb(host);
            }
            Action::ApiServerOut => {
                self.on(
                    0,
                    &format!("mv {MANIFESTS}/kube-apiserver.yaml /tmp/ 2>/dev/null"),
                );
                self.disturb(0);
                self.disturb(1);
            }
            Action::ApiServerBack => {
                self.on(
                    0,
                    &format!("mv /tmp/kube-apiserver.yaml {MANIFESTS}/ 2>/dev/null"),
                );
                self.disturb(0);
                self.disturb(1);
            }
            Action::Node01Down => {
                self.on(1, "systemctl stop kubelet");
                self.advance(SimDuration::from_secs(600));
                self.on(1, "systemctl start kubelet");
                self.disturb(1);
            }
            Action::Wait { secs } => self.advance(SimDuration::from_secs(u64::from(secs))),
        }
        self.pg.advance(SimDuration::from_secs(1));
        for q in &mut self.quiet_since {
            *q = *q + SimDuration::from_secs(1);
        }
    }

    fn advance(&mut self, d: SimDuration) {
        self.pg.advance(d);
        for q in &mut self.quiet_since {
            *q = *q + d;
        }
    }

    /// The invariants; the error says which failed.
    fn check(&mut self) -> Result<(), String> {
        let cluster = self.pg.cluster();
        let api = cluster.api();
        let events = api.store().list_values(Resource::Events, None).len();
        if events > MAX_EVENTS {
            return Err(format!("{events} Events stored (bound {MAX_EVENTS})"));
        }
        let kept = cluster.trace().records().len();
        if kept > 2 * KEEP {
            return Err(format!(
                "the trace keeps {kept} records (bound {})",
                2 * KEEP
            ));
        }
        for (idx, host) in HOSTS.iter().enumerate() {
            let containers = cluster.host(idx).node.runtime.list_containers().len();
            if containers > MAX_CONTAINERS {
                return Err(format!(
                    "{host} keeps {containers} containers (bound {MAX_CONTAINERS})"
                ));
            }
            // No SET from the file source is lost on its way to the sync loop: once quiet, the
            // kubelet's pod manager holds a static pod exactly for each manifest on disk,
            // whether or not the API server is up.
            let Some(kubelet) = cluster.host(idx).kubelet() else {
                continue;
            };
            if self.quiet_since[idx] < RESYNC_BOUND {
                continue;
            }
            for name in 0..3u8 {
                let file = format!("{MANIFESTS}/{name}.yaml");
                let on_disk = self.pg.file_exists(host, &file);
                let full_name = format!("{}-{host}_default", pod_name(name));
                let known = kubelet.pod_manager().pod_by_full_name(&full_name).is_some();
                self.source_checks += 1;
                if on_disk != known {
                    return Err(format!(
                        "{file} on {host} exists: {on_disk}, but the kubelet's pod manager has \
                         {full_name}: {known}, after {:?} of quiet",
                        self.quiet_since[idx]
                    ));
                }
            }
        }
        if !api.serving() {
            return Ok(());
        }
        let pods = api.store().list_values(Resource::Pods, None);
        // Mirrors by pod name: (count, each mirror's annotations agree).
        let mut mirrors: BTreeMap<String, (usize, bool)> = BTreeMap::new();
        for pod in &pods {
            let annotations = &pod["metadata"]["annotations"];
            let Some(mirror) = annotations["kubernetes.io/config.mirror"].as_str() else {
                continue;
            };
            let hash = annotations["kubernetes.io/config.hash"]
                .as_str()
                .unwrap_or_default();
            let name = pod["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let entry = mirrors.entry(name).or_insert((0, true));
            entry.0 += 1;
            entry.1 &= mirror == hash;
        }
        for (name, (count, agree)) in &mirrors {
            if *count != 1 || !agree {
                return Err(format!(
                    "mirror {name}: {count} copies, hashes agree: {agree}"
                ));
            }
        }
        for (idx, host) in HOSTS.iter().enumerate() {
            let kubelet_up = cluster.host(idx).kubelet().is_some();
            if !kubelet_up || self.quiet_since[idx] < RESYNC_BOUND {
                continue;
            }
            // Every ready sandbox belongs to a pod the node should run: one in the API server
            // bound to it (mirrors included) once its kubelet had time to catch up.
            let runtime = &self.pg.cluster().host(idx).node.runtime;
            let sandboxes: Vec<String> = runtime
                .list_pod_sandboxes()
                .into_iter()
                .filter(|s| s.ready)
                .map(|s| s.name)
                .collect();
            for sandbox in sandboxes {
                let wanted = pods.iter().any(|p| {
                    p["metadata"]["name"].as_str() == Some(sandbox.as_str())
                        && p["spec"]["nodeName"].as_str() == Some(host)
                });
                if !wanted {
                    return Err(format!("{host} runs pod {sandbox}, which nobody wants"));
                }
            }
            for name in 0..3u8 {
                let file = format!("{MANIFESTS}/{name}.yaml");
                if !self.pg.file_exists(host, &file) {
                    continue;
                }
                let mirror = format!("{}-{host}", pod_name(name));
                self.mirror_checks += 1;
                if !mirrors.contains_key(&mirror) {
                    return Err(format!(
                        "{file} on {host} has no mirror {mirror} after {:?} of quiet",
                        self.quiet_since[idx]
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Runs `actions` from `seed`; the index of the action after which a check failed, and why.
fn run(seed: u64, actions: &[Action]) -> Result<(), (usize, String)> {
    let mut soak = Soak::new(seed);
    for (idx, action) in actions.iter().enumerate() {
        soak.apply(action);
        soak.check().map_err(|why| (idx, why))?;
    }
    Ok(())
}

/// The shortest prefix that fails, then actions dropped one at a time while it still fails.
fn shrink(seed: u64, actions: &[Action], failed_at: usize) -> Vec<Action> {
    let mut kept = actions[..=failed_at].to_vec();
    let mut idx = 0;
    while idx < kept.len() {
        let mut fewer = kept.clone();
        fewer.remove(idx);
        if run(seed, &fewer).is_err() {
            kept = fewer;
        } else {
            idx += 1;
        }
    }
    kept
}

#[test]
fn soak_random_learner_actions_keep_the_invariants() {
    let hours: u64 = std::env::var("SOAK_HOURS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let seed = 11;
    let mut rng = Rng::seeded(seed);
    let mut soak = Soak::new(seed);
    let mut actions = Vec::new();
    let end = SimDuration::from_secs(hours * 3600);
    let started = soak.pg.cluster().now();
    while soak.pg.cluster().now().since(started) < end {
        let action = random_action(&mut rng);
        soak.apply(&action);
        actions.push(action);
        if let Err(why) = soak.check() {
            let failed_at = actions.len() - 1;
            let shortest = shrink(seed, &actions, failed_at);
            panic!(
                "soak seed {seed}: {why} after action {failed_at}; shortest reproduction ({} actions): {shortest:#?}",
                shortest.len()
            );
        }
    }
    assert!(
        soak.mirror_checks as u64 >= hours * 10 && soak.source_checks as u64 >= hours * 10,
        "only {} mirror checks and {} source checks in {} actions",
        soak.mirror_checks,
        soak.source_checks,
        actions.len()
    );
    eprintln!(
        "soak: {hours} virtual hours, {} actions, {} mirror checks, {} source checks",
        actions.len(),
        soak.mirror_checks,
        soak.source_checks
    );
}

/// Found by the soak with the orphan check on (seed 11, four virtual hours), shrunk to these
/// actions: a static pod whose manifest is removed while its kubelet restarts during an API
/// server outage. The removal cannot be acted on then (the API source is not ready), so the
/// worker outlives its pod; once the sources are ready, housekeeping's `SyncKnownPods` must
/// drive the orphaned worker to termination, whether the pod runs a container (tags 0 and 2)
/// or only a sandbox because its image never pulled (tag 1).
#[test]
fn an_orphan_from_a_restart_during_an_outage_is_cleaned_up() {
    for tag in 0..3 {
        let actions = [
            Action::Write {
                host: 0,
                name: 2,
                tag,
            },
            Action::ApiServerOut,
            Action::RestartKubelet { host: 0 },
            Action::Remove { host: 0, name: 2 },
            Action::ApiServerBack,
            Action::Wait { secs: 142 },
        ];
        if let Err((at, why)) = run(11, &actions) {
            panic!("image tag {tag}: after action {at}: {why}");
        }
    }
}
