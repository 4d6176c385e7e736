//! Fuzzing as ordinary tests: seeded generators mutate known-good inputs (a manifest in YAML and
//! JSON, a kubelet config, shell lines, a share link, a lesson, an embed message) and feed them
//! to the decoders, the shell and the loaders. A target may refuse an input, never panic or
//! hang. `cargo test` runs a short budget; `FUZZ_CASES=100000 cargo test --test it fuzz` runs
//! that many cases per target. A failure prints the target, the case's seed and the input; keep
//! such an input in `REGRESSIONS` once it is fixed.

use std::panic::{catch_unwind, AssertUnwindSafe};

use k8s_openapi::api::core::v1 as corev1;
use kubelet_playground::kubelet::config::common::{try_decode_pod_list, try_decode_single_pod};
use kubelet_playground::kubelet::context::Ctx;
use kubelet_playground::kubelet::server::decode_config_file;
use kubelet_playground::lessons::compile::compile;
use kubelet_playground::playground::input::SavedSession;
use kubelet_playground::playground::Playground;
use kubelet_playground::shell::parser;
use kubelet_playground::sim::trace::Trace;
use kubelet_playground::sim::{Rng, SimTime};
use kubelet_playground::ui::embed::parse_incoming;

/// Cases per target under plain `cargo test` (the evaluator, which runs commands, takes fewer).
const SHORT_BUDGET: u64 = 3000;

/// Inputs that once broke a target, kept so they keep passing: `(target, input)`.
const REGRESSIONS: &[(&str, &[u8])] = &[];

fn budget(short: u64) -> u64 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(short)
}

const POD_YAML: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\n  labels:\n    app: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n    command: [\"sh\", \"-c\", \"sleep 3600\"]\n    resources:\n      limits: {cpu: 500m, memory: 128Mi}\n  terminationGracePeriodSeconds: 30\n";

const POD_JSON: &str = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]}],"restartPolicy":"Always"}}"#;

const POD_LIST_JSON: &str = r#"{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"a"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}]}"#;

const KUBELET_CONFIG: &str = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodPath: /etc/kubernetes/manifests\nfileCheckFrequency: 20s\nsyncFrequency: 1m\nauthentication:\n  anonymous:\n    enabled: false\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nevictionHard:\n  memory.available: 100Mi\n";

const SHELL_LINES: &[&str] = &[
    "echo \"$HOME\" 'a b' $((1 + 2 * 3)) | tr a-z A-Z > /tmp/x && cat /tmp/x",
    "for f in /etc/kubernetes/manifests/*; do echo ${f##*/}; done; ls -la /tmp 2>&1 | head -3",
    "x=$(echo hi); if [ \"$x\" = hi ]; then echo yes; else echo no; fi",
    "cat <<EOF | grep -c a\naa\nbb\nEOF\n",
    "kubectl get pods -A -o jsonpath='{.items[*].metadata.name}'",
    "f() { local n=$1; (( n <= 1 )) && { echo 1; return; }; echo $(( n * $(f $((n - 1))) )); }; f 5",
    "alias k='kubectl get' g=grep; k pods -A | g -c Running; unalias k; let x=2**8 y=x%7",
    "sudo -i; su -c 'echo $((0x1f << 2 ? 1 : 2))'; exit",
    "while false; do :; done; case $x in a*) echo a;; *) echo b;; esac",
    "awk -F: '{print $1}' /etc/passwd | sort | uniq -c | sort -rn | head -2",
];

/// Tokens a mutation may splice in: the syntax each target cares about.
const TOKENS: &[&str] = &[
    ":",
    "- ",
    "\n",
    "  ",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    ",",
    "&a",
    "*a",
    "!!binary",
    "---",
    "#",
    "null",
    "-1",
    "1e999",
    "9223372036854775808",
    "$(",
    ")",
    "`",
    "|",
    "&&",
    ";",
    "<<",
    ">",
    "${",
    "$((",
    "\\",
    "\0",
    "\u{fffd}",
    "é",
    "kind: Pod",
    "apiVersion: v1",
    "\t",
];

/// One mutation of `seed` driven by `rng`: byte flips, deletions, duplications and spliced
/// tokens, a few at a time.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = data.len() as u64;
        let at = if len == 0 { 0 } else { rng.below(len) as usize };
        match rng.below(6) {
            0 if !data.is_empty() => data[at] ^= 1 << rng.below(8),
            1 if !data.is_empty() => {
                let end = (at + 1 + rng.below(16) as usize).min(data.len());
                data.drain(at..end);
            }
            2 if !data.is_empty() => {
                let end = (at + 1 + rng.below(32) as usize).min(data.len());
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
            3 => data.insert(at, rng.below(256) as u8),
            _ => {
                let token = TOKENS[rng.below(TOKENS.len() as u64) as usize];
                data.splice(at..at, token.bytes());
            }
        }
    }
    data
}

/// Runs `cases` mutations of `seeds` (and the regressions kept for `target`) through `check`;
/// a panic fails the test naming the case.
fn fuzz(target: &str, seeds: &[&[u8]], cases: u64, mut check: impl FnMut(&[u8])) {
    for (kept_target, input) in REGRESSIONS {
        if *kept_target == target {
            check(input);
        }
    }
    for case in 0..cases {
        let mut rng = Rng::seeded(case.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ target.len() as u64);
        let seed = seeds[rng.below(seeds.len() as u64) as usize];
        let input = mutate(&mut rng, seed);
        if std::env::var_os("FUZZ_TRACE").is_some() {
            eprintln!("case {case}: {:?}", String::from_utf8_lossy(&input));
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&input)));
        if outcome.is_err() {
            panic!(
                "fuzz target {target} panicked on case {case}; input: {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}

fn with_ctx<T>(f: impl FnOnce(&mut Ctx<'_>) -> T) -> T {
    let mut rng = Rng::seeded(1);
    let mut trace = Trace::default();
    let mut ctx = Ctx {
        now: SimTime::ZERO,
        host: "node01",
        rng: &mut rng,
        trace: &mut trace,
    };
    f(&mut ctx)
}

fn set_node_name(_: &mut Ctx<'_>, pod: &mut corev1::Pod) {
    pod.spec.get_or_insert_with(Default::default).node_name = Some("node01".into());
}

#[test]
fn fuzz_manifest_decoding_yaml_and_json() {
    let seeds: &[&[u8]] = &[
        POD_YAML.as_bytes(),
        POD_JSON.as_bytes(),
        POD_LIST_JSON.as_bytes(),
    ];
    fuzz("manifest", seeds, budget(SHORT_BUDGET), |data| {
        with_ctx(|ctx| {
            let _ = try_decode_single_pod(ctx, data, &mut set_node_name);
            let _ = try_decode_pod_list(ctx, data, &mut set_node_name);
        });
    });
}

#[test]
fn fuzz_kubelet_config_decoding() {
    fuzz(
        "kubelet-config",
        &[KUBELET_CONFIG.as_bytes()],
        budget(SHORT_BUDGET),
        |data| {
            let _ = decode_config_file("/var/lib/kubelet/config.yaml", data);
        },
    );
}

#[test]
fn fuzz_shell_lexer_and_parser() {
    let seeds: Vec<&[u8]> = SHELL_LINES.iter().map(|s| s.as_bytes()).collect();
    fuzz("shell-parser", &seeds, budget(SHORT_BUDGET), |data| {
        let text = String::from_utf8_lossy(data);
        let _ = parser::parse(&text);
        let _ = parser::completeness(&text);
        let _ = parser::split_commands(&text);
        let _ = kubelet_playground::shell::lexer::tokenize_for_completion(&text);
    });
}

#[test]
fn fuzz_shell_evaluator() {
    let mut pg = Playground::new(7).unwrap();
    let seeds: Vec<&[u8]> = SHELL_LINES.iter().map(|s| s.as_bytes()).collect();
    fuzz(
        "shell-evaluator",
        &seeds,
        budget(SHORT_BUDGET / 5),
        |data| {
            let text = String::from_utf8_lossy(data);
            // Only one line at a time, as the terminal hands them over; a line that waits (a
            // follow, a sleep) is interrupted as Ctrl-C would.
            let _ = pg.run(&text);
            if pg.busy() {
                pg.interrupt();
            }
        },
    );
    assert_eq!(pg.run("echo still here").result.output, "still here\n");
}

#[test]
fn fuzz_share_link_decoding() {
    let mut pg = Playground::new(3).unwrap();
    pg.run("echo hello > /tmp/x");
    let link = pg.saved().to_link();
    fuzz(
        "share-link",
        &[link.as_bytes()],
        budget(SHORT_BUDGET),
        |data| {
            if let Ok(session) = SavedSession::from_link(&String::from_utf8_lossy(data)) {
                // What decodes must also restore or be refused, not panic.
                let _ = session.inputs.len();
            }
        },
    );
}

#[test]
fn fuzz_lesson_loader() {
    let lesson = include_str!("../../lessons/04-your-first-static-pod.yaml");
    fuzz(
        "lesson",
        &[lesson.as_bytes()],
        budget(SHORT_BUDGET / 3),
        |data| {
            let _ = compile("fuzzed.yaml", &String::from_utf8_lossy(data));
        },
    );
}

#[test]
fn fuzz_embed_message_parsing() {
    let seeds: &[&[u8]] = &[
        br#"{"target":"kubelet-playground","version":1,"type":"load-lesson","lesson":"04-your-first-static-pod","step":2}"#,
        br#"{"target":"kubelet-playground","version":1,"type":"run-command","command":"kubectl get pods"}"#,
        br#"{"target":"kubelet-playground","version":1,"type":"set-speed","speed":60}"#,
    ];
    fuzz("embed", seeds, budget(SHORT_BUDGET), |data| {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
            let _ = parse_incoming(&value);
        }
    });
}
