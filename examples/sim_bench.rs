//! The simulation benchmarks behind `make bench`, and the trace-identity dump that guards every
//! speed change.
//!
//! `cargo run --release --example sim_bench -- SCENARIO [--dump FILE]`, where SCENARIO is
//! `hour` (110 static pods on controlplane), `hour-default`, `hour-1100` (110 static pods on
//! each of 10 nodes), or `day` (24 hours with a crash-looping pod). It prints one JSON object: the wall time of the timed advance in
//! milliseconds, the wake-ups dispatched (in all and by source: a kubelet timer's kind, `runtime`,
//! `unit-restart`, `control-plane`), the bytes live on the heap after it, and the bytes the
//! "Inside the kubelet" timeline's bounded history holds for the whole run.
//! `--minutes N` advances N virtual minutes instead (for profiling a shorter run).
//! `scrub` and `scrub-default` time the replay scrubber instead: a browser session (the 110-pod
//! cluster, or the default one) played for an hour in one-second frames with snapshots taken
//! as the page takes them, then shown at 60 instants spread over that hour; they print the
//! fastest, the slowest and the median answer, the snapshots kept and the bytes they hold.
//! `wide` writes one static pod of 1,000 containers and prints the wall time until they run
//! and of the virtual minute after.
//! `boot` times the default cluster's boot alone (what a first visit waits for before the
//! prompt, besides loading the module), over 5 boots: fastest and median.
//! `--dump FILE` writes everything observable about the run's end (trace, API objects,
//! containers, journals) as text, so two builds can be compared byte for byte.

#[path = "common/scenario.rs"]
mod scenario;

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use kubelet_playground::apiserver::store::Resource;
use kubelet_playground::cluster::Cluster;
use kubelet_playground::node::cri::ContainerState;
use kubelet_playground::node::fs::WriteMode;
use kubelet_playground::node::journal;
use kubelet_playground::playground::rewind::Rewind;
use kubelet_playground::playground::{Input, Playground};
use kubelet_playground::sim::SimDuration;
use kubelet_playground::view::kubelet::History;

/// The system allocator, counting the bytes live at any moment.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counter only observes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Everything observable about the world at its current instant, as text.
fn dump(cluster: &Cluster) -> String {
    let mut out = format!("now={:?}\n", cluster.now());
    for record in cluster.trace().records() {
        let _ = writeln!(out, "{record:?}");
    }
    for resource in Resource::ALL {
        for value in cluster.api().store().list_values(resource, None) {
            let _ = writeln!(out, "{value}");
        }
    }
    for host in cluster.hosts() {
        let _ = writeln!(out, "== host {}", host.node.name);
        for sandbox in host.node.runtime.sandboxes() {
            let _ = writeln!(out, "{sandbox:?}");
        }
        for container in host.node.runtime.containers() {
            let _ = writeln!(out, "{container:?}");
        }
        for entry in journal::entries(cluster.trace(), &host.node.name) {
            let _ = writeln!(out, "{}", entry.text);
        }
    }
    out
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("hour");
    let mut dump_to = None;
    let mut minutes = None;
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--dump" => dump_to = Some(rest.next().ok_or("--dump needs a file")?.clone()),
            "--minutes" => {
                let text = rest.next().ok_or("--minutes needs a number")?;
                minutes = Some(
                    text.parse::<u64>()
                        .map_err(|e| format!("--minutes {text}: {e}"))?,
                );
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if scenario == "wide" {
        return wide();
    }
    if scenario == "boot" {
        return boot();
    }
    if let Some(pods) = match scenario {
        "scrub" => Some(scenario::PODS_PER_NODE),
        "scrub-default" => Some(0),
        _ => None,
    } {
        return scrub(scenario, pods);
    }
    let (mut cluster, hours) = match scenario {
        "hour" => (scenario::cluster_with_110_pods(), 1),
        "hour-default" => (scenario::default_cluster(), 1),
        "hour-1100" => (scenario::cluster_with_pods_per_node(10), 1),
        "day" => (scenario::cluster_with_one_crasher(), 24),
        other => return Err(format!("unknown scenario {other}")),
    };
    let wakeups_before = cluster.wakeups();
    let sources_before = cluster.wakeups_by_source().clone();
    let started = Instant::now();
    cluster.advance(SimDuration::from_mins(minutes.unwrap_or(60 * hours)));
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    let wakeups = cluster.wakeups() - wakeups_before;
    let heap = LIVE.load(Ordering::Relaxed);
    let mut by_source = String::new();
    for (source, count) in cluster.wakeups_by_source() {
        let count = count - sources_before.get(source).copied().unwrap_or(0);
        if count > 0 {
            let comma = if by_source.is_empty() { "" } else { "," };
            let _ = write!(by_source, "{comma}\"{source}\":{count}");
        }
    }
    // The "Inside the kubelet" timeline's bounded history over the whole run.
    let mut history = History::default();
    history.update(cluster.trace());
    println!(
        "{{\"scenario\":\"{scenario}\",\"ms\":{elapsed:.3},\"wakeups\":{wakeups},\"heap_bytes\":{heap},\"trace_records\":{},\"timeline_bytes\":{},\"wakeups_by_source\":{{{by_source}}}}}",
        cluster.trace().len(),
        history.memory_bytes()
    );
    if let Some(path) = dump_to {
        std::fs::write(&path, dump(&cluster)).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

/// A static pod of 1,000 containers written to controlplane: the wall time until all of
/// them run (at most 3 virtual seconds), then the wall time of the next virtual minute.
fn wide() -> Result<(), String> {
    let mut cluster = scenario::default_cluster();
    let now = cluster.now();
    cluster
        .node_mut(0)
        .fs
        .write(
            now,
            "/etc/kubernetes/manifests/wide.yaml",
            scenario::wide_pod(1000).as_bytes(),
            WriteMode::Truncate,
        )
        .map_err(|e| format!("{e:?}"))?;
    let began = Instant::now();
    cluster.advance(SimDuration::from_secs(3));
    let start_ms = began.elapsed().as_secs_f64() * 1000.0;
    let wide_sandbox = cluster
        .host(0)
        .node
        .runtime
        .sandboxes()
        .find(|s| s.config.name == "wide-controlplane")
        .map(|s| s.id.clone())
        .unwrap_or_default();
    let running = cluster
        .host(0)
        .node
        .runtime
        .containers()
        .filter(|c| *c.sandbox_id == *wide_sandbox && c.state == ContainerState::Running)
        .count();
    let began = Instant::now();
    cluster.advance(SimDuration::from_mins(1));
    let minute_ms = began.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{{\"scenario\":\"wide\",\"start_ms\":{start_ms:.3},\"running\":{running},\"minute_ms\":{minute_ms:.3},\"heap_bytes\":{}}}",
        LIVE.load(Ordering::Relaxed)
    );
    Ok(())
}

/// The replay scrubber over a one-hour browser session with `pods` static pods on controlplane.
fn scrub(scenario: &str, pods: usize) -> Result<(), String> {
    let mut live = Playground::interactive(1)?;
    // The pods are there before the first snapshot, so no replay needs to write them.
    scenario::add_static_pods(live.cluster_mut(), 0, "load", pods);
    let heap_before = LIVE.load(Ordering::Relaxed);
    let mut rewind = Rewind::default();
    rewind.observe(&live);
    let snapshots_heap = |rewind: &Rewind| (rewind.len(), LIVE.load(Ordering::Relaxed));
    let start = live.cluster().now();
    for _ in 0..3600 {
        live.apply(Input::Advance(1000));
        rewind.observe(&live);
    }
    let (snapshots, heap_with) = snapshots_heap(&rewind);
    let mut times = Vec::new();
    for i in 0..60u64 {
        // Instants spread over the hour, never on a snapshot's own instant.
        let at = start + SimDuration::from_millis(i * 60_000 + 37_123);
        let began = Instant::now();
        let past = rewind.at(&live, at).ok_or("no snapshot")?;
        std::hint::black_box(past.view());
        times.push(began.elapsed().as_secs_f64() * 1000.0);
        if std::env::var_os("SCRUB_TRACE").is_some() {
            eprintln!("{i} {:.1}", times[times.len() - 1]);
        }
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    drop(rewind);
    let heap_without = LIVE.load(Ordering::Relaxed);
    println!(
        "{{\"scenario\":\"{scenario}\",\"min_ms\":{:.3},\"max_ms\":{:.3},\"median_ms\":{:.3},\"snapshots\":{snapshots},\"rewind_bytes\":{},\"session_bytes\":{}}}",
        sorted[0],
        sorted[sorted.len() - 1],
        sorted[sorted.len() / 2],
        heap_with.saturating_sub(heap_without),
        heap_without.saturating_sub(heap_before),
    );
    Ok(())
}

/// Boots the default cluster 5 times and prints the fastest and the median wall time.
fn boot() -> Result<(), String> {
    let mut times = Vec::new();
    let mut wakeups = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let cluster = Cluster::boot_default(1)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        wakeups = cluster.wakeups();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"scenario\":\"boot\",\"min_ms\":{:.3},\"median_ms\":{:.3},\"wakeups\":{wakeups}}}",
        times[0], times[2]
    );
    Ok(())
}
