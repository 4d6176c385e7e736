//! Lessons: the compiler's errors, the engine's goals and hints against a real cluster, lesson
//! progress surviving a replay, and the course as embedded.

use kubelet_playground::lessons::catalogue;
use kubelet_playground::lessons::compile::{commands, compile};
use kubelet_playground::lessons::goal::{holds, Baseline};
use kubelet_playground::lessons::model::{Block, Goal, Inline};
use kubelet_playground::playground::lesson::prove;
use kubelet_playground::playground::Playground;
use kubelet_playground::sim::SimDuration;

/// A small lesson; `{GOAL}` and `{ZH}` are replaced by the tests.
const LESSON: &str = r#"id: probe
title: {en: Probe, zh-CN: 探针}
summary: {en: A test lesson., zh-CN: 测试用的课程。}
difficulty: beginner
minutes: 1
steps:
  - id: write
    title: {en: Write, zh-CN: 写文件}
    text:
      en: |
        Write *the* file:

        ```sh
        echo hi > /root/hi.txt
        ```
      zh-CN: |
        {ZH}

        ```sh
        echo hi > /root/hi.txt
        ```
    goal: {GOAL}
    hints:
      - when: !file {path: /root/hi.txt, contains: bye}
        reach:
          - !run echo bye > /root/hi.txt
        text: {en: "Say hi, not bye.", zh-CN: "要写 hi，不是 bye。"}
      - text: {en: Use echo., zh-CN: 用 echo。}
    solution:
      - !run echo hi > /root/hi.txt
"#;

fn lesson(goal: &str, zh: &str) -> String {
    LESSON.replace("{GOAL}", goal).replace("{ZH}", zh)
}

fn good() -> String {
    lesson("!file {path: /root/hi.txt, contains: hi}", "写这个文件：")
}

#[test]
fn a_lesson_compiles_to_blocks_with_its_command_blocks() {
    let compiled = compile("probe.yaml", &good()).expect("compiles");
    let text = &compiled.steps[0].text.en;
    assert_eq!(
        text[0],
        Block::Paragraph(vec![
            Inline::Text("Write ".into()),
            Inline::Emphasis(vec![Inline::Text("the".into())]),
            Inline::Text(" file:".into()),
        ])
    );
    assert_eq!(commands(text), vec!["echo hi > /root/hi.txt".to_string()]);
}

#[test]
fn a_missing_locale_string_is_refused_with_its_place() {
    let source = good().replace(", zh-CN: 写文件", "");
    let err = compile("lessons/probe.yaml", &source).unwrap_err();
    assert!(
        err.starts_with("lessons/probe.yaml: steps[0].title"),
        "{err}"
    );
    assert!(err.contains("missing field `zh-CN`"), "{err}");
}

#[test]
fn an_empty_locale_string_is_refused() {
    let source = good().replace("zh-CN: 探针", "zh-CN: \"\"");
    let err = compile("lessons/probe.yaml", &source).unwrap_err();
    assert_eq!(err, "lessons/probe.yaml: title: the zh-CN text is empty");
}

#[test]
fn raw_html_is_refused_naming_file_and_line() {
    let source = lesson("!file {path: /root/hi.txt}", "写 <b>这个</b> 文件：");
    let err = compile("lessons/probe.yaml", &source).unwrap_err();
    let line = source
        .lines()
        .position(|l| l.contains("<b>"))
        .expect("the line")
        + 1;
    assert!(
        err.starts_with(&format!(
            "lessons/probe.yaml:{line}: step 1 (\"write\") text (zh-CN): raw HTML"
        )),
        "{err}"
    );
}

#[test]
fn an_unknown_goal_kind_is_refused() {
    let source = lesson("!podd {name: web}", "写这个文件：");
    let err = compile("lessons/probe.yaml", &source).unwrap_err();
    assert!(
        err.starts_with("lessons/probe.yaml: steps[0]: unknown variant `podd`, expected one of `all`, `any`, `none_of`, `file`"),
        "{err}"
    );
}

#[test]
fn a_step_can_point_inside_the_kubelet_and_an_unknown_kind_is_refused() {
    use kubelet_playground::lessons::model::{InsideFocus, InsideKind};
    let with = |kinds: &str| {
        good().replace(
            "    solution:\n      - !run echo hi",
            &format!("    inside: {{node: node01, kinds: [{kinds}]}}\n    solution:\n      - !run echo hi"),
        )
    };
    let compiled = compile("probe.yaml", &with("mux, sync-loop")).expect("compiles");
    assert_eq!(
        compiled.steps[0].inside,
        Some(InsideFocus {
            node: Some("node01".into()),
            kinds: vec![InsideKind::Mux, InsideKind::SyncLoop],
        })
    );
    assert_eq!(
        compile("probe.yaml", &good()).unwrap().steps[0].inside,
        None
    );
    let err = compile("probe.yaml", &with("muxx")).unwrap_err();
    assert!(
        err.contains("unknown variant `muxx`, expected one of `sources`, `mux`"),
        "{err}"
    );
}

#[test]
fn command_blocks_must_match_across_locales() {
    let source = good().replacen(
        "echo hi > /root/hi.txt\n        ```\n      zh-CN",
        "echo ho > /root/hi.txt\n        ```\n      zh-CN",
        1,
    );
    let err = compile("lessons/probe.yaml", &source).unwrap_err();
    assert!(
        err.contains("the command blocks differ between locales"),
        "{err}"
    );
}

#[test]
fn a_goal_flips_when_the_solution_runs_and_the_next_step_opens() {
    let compiled = compile("probe.yaml", &good()).expect("compiles");
    let mut playground = Playground::with_lesson(compiled, 1, false).expect("setup");
    let status = playground.lesson_status().expect("a lesson");
    assert_eq!((status.current, status.completed), (Some(0), 0));
    playground.run("echo nothing > /root/other.txt");
    assert_eq!(playground.lesson_status().unwrap().completed, 0);
    playground.run("echo hi > /root/hi.txt");
    let status = playground.lesson_status().unwrap();
    assert_eq!((status.current, status.completed), (None, 1));
    assert!(playground.lesson().unwrap().finished());
}

#[test]
fn a_hint_applies_while_its_condition_holds() {
    let compiled = compile("probe.yaml", &good()).expect("compiles");
    let mut playground = Playground::with_lesson(compiled, 1, false).expect("setup");
    assert_eq!(playground.lesson_status().unwrap().hints, vec![1]);
    playground.run("echo bye > /root/hi.txt");
    assert_eq!(playground.lesson_status().unwrap().hints, vec![0, 1]);
}

#[test]
fn prove_reports_a_solution_that_misses_its_goal() {
    let source = lesson(
        "!file {path: /root/hi.txt, contains: hello}",
        "写这个文件：",
    );
    let compiled = compile("probe.yaml", &source).expect("compiles");
    let failures = prove(&compiled, 1);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0]
            .starts_with("step 1 (write): the goal does not hold after the reference solution"),
        "{failures:?}"
    );
    assert!(prove(&compile("probe.yaml", &good()).unwrap(), 1).is_empty());
}

#[test]
fn prove_reports_a_goal_that_already_holds_at_the_start() {
    let source = lesson(
        "!file {path: /etc/kubernetes/manifests/etcd.yaml}",
        "写这个文件：",
    );
    let failures = prove(&compile("probe.yaml", &source).unwrap(), 1);
    assert!(
        failures[0].contains("its goal already holds at the lesson's start"),
        "{failures:?}"
    );
}

#[test]
fn lesson_progress_survives_a_replay_of_the_session() {
    let mut playground = Playground::interactive_lesson("kill-the-container", 3).expect("lesson");
    playground.run("crictl stop $(crictl ps -q --name web)");
    // The clock moves in slices, as the page moves it; the step completes in one of them.
    for _ in 0..8 {
        playground.advance(SimDuration::from_millis(700));
    }
    let status = playground.lesson_status().unwrap();
    assert_eq!((status.current, status.completed), (Some(1), 1));
    let saved = playground.saved();
    assert_eq!(saved.lesson.as_deref(), Some("kill-the-container"));
    let restored = Playground::restore(&saved).expect("restore");
    assert_eq!(restored.lesson_status(), playground.lesson_status());
    assert_eq!(restored.lesson(), playground.lesson());
}

#[test]
fn restarting_a_step_goes_back_to_where_it_opened() {
    let mut playground = Playground::for_lesson("mirror-mirror", 1).expect("lesson");
    playground.run("kubectl delete pod web-controlplane");
    assert_eq!(playground.lesson_status().unwrap().current, Some(1));
    playground.run("rm /etc/kubernetes/manifests/web.yaml");
    let back = playground
        .restart_step()
        .expect("open step")
        .expect("replay");
    assert_eq!(back.lesson_status().unwrap().current, Some(1));
    assert!(back.file_exists("controlplane", "/etc/kubernetes/manifests/web.yaml"));
}

#[test]
fn the_runner_lesson_flag_starts_from_the_setup() {
    let playground = Playground::for_lesson("where-does-the-kubelet-look", 1).expect("lesson");
    let text = playground
        .read_file("node01", "/var/lib/kubelet/config.yaml")
        .expect("config");
    assert!(text.contains("staticPodPath: /etc/kubelet.d"), "{text}");
    assert_eq!(playground.clock_secs(), 0.0);
    assert!(playground.inputs().is_empty());
    let err = Playground::for_lesson("no-such-lesson", 1).unwrap_err();
    assert!(err.contains("meet-your-node"), "{err}");
}

#[test]
fn the_course_embeds_every_lesson_file_in_order() {
    let mut files: Vec<String> = std::fs::read_dir("lessons")
        .expect("lessons/")
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    files.sort();
    let ids: Vec<String> = files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(format!("lessons/{f}")).unwrap();
            compile(f, &text).expect("compiles").id
        })
        .collect();
    let embedded: Vec<String> = catalogue::lessons().iter().map(|l| l.id.clone()).collect();
    assert_eq!(embedded, ids);
    assert_eq!(embedded[0], "meet-your-node");
}

/// Goals read only the simulation's state: the goal evaluator never sees the learner's
/// input, and the browser build carries no Markdown parser (only the native compiler and
/// `build.rs` name it).
#[test]
fn goals_never_read_what_was_typed_and_only_the_compiler_parses_markdown() {
    let goal = std::fs::read_to_string("src/lessons/goal.rs").unwrap();
    for word in ["Input", "scrollback", "history", "Session", "Playground"] {
        assert!(!goal.contains(word), "src/lessons/goal.rs names {word}");
    }
    let module = std::fs::read_to_string("src/lessons/mod.rs").unwrap();
    assert!(module.contains("#[cfg(not(target_arch = \"wasm32\"))]\npub mod compile;"));
    let mut users = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && std::fs::read_to_string(&path)
                    .unwrap()
                    .contains("pulldown_cmark")
            {
                users.push(path.display().to_string());
            }
        }
    }
    assert_eq!(users, vec!["src/lessons/compile.rs".to_string()]);
}

#[test]
fn the_authoring_guide_example_compiles_and_holds() {
    let guide = std::fs::read_to_string("docs/authoring-lessons.md").unwrap();
    let start = guide
        .find("## A complete example")
        .expect("the example section");
    let body = &guide[start..];
    let from = body.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let to = from + body[from..].find("\n```\n").expect("its end") + 1;
    let lesson = compile("docs/authoring-lessons.md", &body[from..to]).expect("compiles");
    assert_eq!(prove(&lesson, 1), Vec::<String>::new());
}

#[test]
fn lesson_test_proves_every_conditional_hint_can_show() {
    let lesson = compile("probe.yaml", &good()).unwrap();
    assert_eq!(prove(&lesson, 1), Vec::<String>::new());

    let unreachable = good().replace("          - !run echo bye > /root/hi.txt\n", "");
    let unreachable = unreachable.replace("        reach:\n", "");
    let failures = prove(&compile("probe.yaml", &unreachable).unwrap(), 1);
    assert_eq!(
        failures,
        ["step 1 (write): hint 1: its condition does not hold as the step opens; give `reach:`, \
          inputs from the step's start that make it hold"]
    );

    let completes = good().replace(
        "!run echo bye > /root/hi.txt",
        "!run echo hi bye > /root/hi.txt",
    );
    let failures = prove(&compile("probe.yaml", &completes).unwrap(), 1);
    assert_eq!(
        failures,
        ["step 1 (write): hint 1: its `reach` inputs complete the step, so the hint could never show"]
    );

    let stray = good().replace(
        "      - text: {en: Use echo., zh-CN: 用 echo。}",
        "      - text: {en: Use echo., zh-CN: 用 echo。}\n        reach: [!wait 1]",
    );
    let err = compile("probe.yaml", &stray).unwrap_err();
    assert!(
        err.contains("hint 2: `reach` shows how a hint's condition comes to hold"),
        "{err}"
    );
}

#[test]
fn the_authoring_guide_challenge_example_compiles_and_holds() {
    let guide = std::fs::read_to_string("docs/authoring-lessons.md").unwrap();
    let start = guide.find("## Challenges").expect("the challenges section");
    let body = &guide[start..];
    let from = body.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let to = from + body[from..].find("\n```\n").expect("its end") + 1;
    let lesson = compile("docs/authoring-lessons.md", &body[from..to]).expect("compiles");
    assert!(lesson.challenge.is_some());
    assert_eq!(prove(&lesson, 1), Vec::<String>::new());
}

/// A small challenge; `{CHECK}` is replaced by the tests.
const CHALLENGE: &str = r#"id: probe-challenge
title: {en: Probe challenge, zh-CN: 测试挑战}
summary: {en: A test challenge., zh-CN: 测试用的挑战。}
difficulty: advanced
minutes: 3
challenge:
  params:
    name: [alpha, beta, gamma]
    file:
      - {path: /root/one.txt}
      - {path: /root/two.txt}
  task:
    en: Write `{{name}}` to `{{file.path}}`.
    zh-CN: 把 `{{name}}` 写进 `{{file.path}}`。
  checks:
    - title: {en: "{{file.path}} says {{name}}", zh-CN: "{{file.path}} 里写着 {{name}}"}
      goal: {CHECK}
      miss: {en: "Write it with `echo {{name}} > {{file.path}}`.", zh-CN: "用 `echo {{name}} > {{file.path}}` 写入。"}
    - title: {en: Nothing else was written, zh-CN: 没有写别的文件}
      goal: !file {path: /root/other.txt, exists: false}
      miss: {en: Only one file was asked for., zh-CN: 题目只要求一个文件。}
  solution:
    - !run echo {{name}} > {{file.path}}
"#;

fn challenge(check: &str) -> String {
    CHALLENGE.replace("{CHECK}", check)
}

#[test]
fn a_challenge_draws_its_details_from_the_seed_and_scores_each_check() {
    use kubelet_playground::lessons::challenge::{instantiate, variant_for_seed, variants};
    use kubelet_playground::view::lesson::Locale;
    let compiled = compile(
        "probe.yaml",
        &challenge("!file {path: \"{{file.path}}\", contains: \"{{name}}\"}"),
    )
    .expect("compiles");
    assert_eq!(compiled.steps.len(), 1, "the task is the one step");
    assert_eq!(variants(&compiled), 6);
    assert!(prove(&compiled, 1).is_empty(), "{:?}", prove(&compiled, 1));

    // The same seed gives the same challenge; the task names what it drew.
    let seed = 11;
    let variant = variant_for_seed(&compiled, seed);
    let instance = instantiate(&compiled, variant).unwrap();
    let mut playground = Playground::with_lesson(compiled.clone(), seed, true).unwrap();
    assert_eq!(playground.lesson().unwrap().lesson(), &instance);
    let view = playground.lesson_view(Locale::En).unwrap();
    let result = view.challenge.expect("a challenge");
    assert_eq!(
        result.checks.iter().map(|c| c.passed).collect::<Vec<_>>(),
        [false, true],
        "the start passes only the check that nothing else was written"
    );
    let task = format!("{:?}", result.task);
    let (name, path) = ["alpha", "beta", "gamma"]
        .iter()
        .flat_map(|n| ["/root/one.txt", "/root/two.txt"].map(|p| (*n, p)))
        .find(|(n, p)| task.contains(n) && task.contains(p))
        .expect("the task names a drawn name and path");
    assert!(!task.contains("{{"), "{task}");

    playground.run("echo wrong > /root/other.txt");
    playground.run(&format!("echo {name} > {path}"));
    let checks = playground
        .lesson_view(Locale::ZhCn)
        .unwrap()
        .challenge
        .unwrap()
        .checks;
    assert_eq!(
        checks.iter().map(|c| c.passed).collect::<Vec<_>>(),
        [true, false]
    );
    assert_eq!(checks[1].title, "没有写别的文件");

    // A saved session replays into the same variant.
    let saved = playground.saved();
    let restored = Playground::with_lesson(compiled, saved.seed, true).unwrap();
    assert_eq!(restored.lesson().unwrap().lesson(), &instance);
}

#[test]
fn challenge_placeholders_must_name_a_parameter_and_fit_it() {
    let err = compile("probe.yaml", &challenge("!file {path: \"{{nme}}\"}")).unwrap_err();
    assert!(
        err.contains("placeholder {{nme}} names no challenge parameter"),
        "{err}"
    );
    let err = compile("probe.yaml", &challenge("!file {path: \"{{file}}\"}")).unwrap_err();
    assert!(
        err.contains("does not fit every value of parameter \"file\""),
        "{err}"
    );
    let with_steps = challenge("!file {path: /root/x}").replace(
        "challenge:\n",
        "steps:\n  - {id: a, title: {en: A, zh-CN: A}, text: {en: a, zh-CN: a}, goal: !file {path: /x}, solution: [!wait 1]}\nchallenge:\n",
    );
    let err = compile("probe.yaml", &with_steps).unwrap_err();
    assert!(err.contains("a challenge has no steps"), "{err}");
}

#[test]
fn the_course_has_at_least_three_challenges_after_its_lessons() {
    let course = catalogue::lessons();
    let first = course
        .iter()
        .position(|l| l.challenge.is_some())
        .expect("the course has challenges");
    assert!(course[first..].iter().all(|l| l.challenge.is_some()));
    assert!(course.len() - first >= 3);
    for challenge in &course[first..] {
        assert!(
            kubelet_playground::lessons::challenge::variants(challenge) >= 6,
            "{} draws too little",
            challenge.id
        );
        assert!(
            challenge.steps[0].hints.is_empty(),
            "no help beyond the task"
        );
    }
}

/// A crash-looping static pod: `sh` exits 1 two seconds after each start.
const CRASHER: &str = "apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: crasher
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 2; exit 1\"]
";

fn goal(yaml: &str) -> Goal {
    serde_norway::from_str(yaml).expect("a goal")
}

#[test]
fn waiting_reason_and_back_off_follow_a_crash_loop() {
    let mut playground = Playground::new(1).expect("boot");
    let baseline = Baseline::take(playground.cluster());
    let crash_loop = goal("!pod {name: crasher-controlplane, waiting_reason: CrashLoopBackOff}");
    let back_off = |secs: u32| {
        goal(&format!(
            "!back_off {{pod: crasher-controlplane, container: crasher, min_secs: {secs}}}"
        ))
    };
    let holds_now = |p: &Playground, g: &Goal| holds(g, p.cluster(), &baseline);
    assert!(!holds_now(&playground, &back_off(10)), "no pod yet");
    playground
        .save_file(
            "controlplane",
            "/etc/kubernetes/manifests/crasher.yaml",
            CRASHER,
        )
        .expect("save");
    // The first exit restarts at once and starts a 10 s back-off.
    playground.advance(SimDuration::from_secs(8));
    assert!(holds_now(&playground, &back_off(10)));
    assert!(!holds_now(&playground, &back_off(20)));
    // Within the 20 s window after the third exit the status says CrashLoopBackOff.
    assert!(!holds_now(&playground, &crash_loop));
    playground.advance(SimDuration::from_secs(32));
    assert!(holds_now(&playground, &crash_loop));
    assert!(!holds_now(
        &playground,
        &goal("!pod {name: crasher-controlplane, waiting_reason: ImagePullBackOff}")
    ));
    // 20 + 40 s later the kubelet waits 80 s; the goal is a minimum.
    playground.advance(SimDuration::from_secs(64));
    assert!(holds_now(&playground, &back_off(40)));
    assert!(!holds_now(&playground, &back_off(300)));
    // Another container name, or a pod on another node, has no back-off to read.
    assert!(!holds_now(
        &playground,
        &goal("!back_off {pod: crasher-controlplane, container: web, min_secs: 0}")
    ));
    assert!(!holds_now(
        &playground,
        &goal(
            "!back_off {host: node01, pod: crasher-controlplane, container: crasher, min_secs: 0}"
        )
    ));
}

#[test]
fn standalone_follows_the_kubelets_kubeconfig() {
    let mut playground = Playground::new(1).expect("boot");
    let baseline = Baseline::take(playground.cluster());
    let standalone = goal("!kubelet {host: node01, standalone: true}");
    let connected = goal("!kubelet {host: node01, standalone: false}");
    let holds_now = |p: &Playground, g: &Goal| holds(g, p.cluster(), &baseline);
    assert!(holds_now(&playground, &connected));
    assert!(!holds_now(&playground, &standalone));
    playground.run("ssh node01 mkdir -p /etc/systemd/system/kubelet.service.d");
    playground
        .save_file(
            "node01",
            "/etc/systemd/system/kubelet.service.d/20-standalone.conf",
            "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS\n",
        )
        .expect("save");
    playground.run("ssh node01");
    playground.run("systemctl daemon-reload && systemctl restart kubelet");
    assert!(holds_now(&playground, &standalone));
    assert!(!holds_now(&playground, &connected));
    // A stopped kubelet is neither.
    playground.run("systemctl stop kubelet");
    assert!(!holds_now(&playground, &standalone));
    assert!(!holds_now(&playground, &connected));
}

#[test]
fn an_authors_compiled_lesson_loads_with_the_same_checks_and_a_course_id_is_refused() {
    use kubelet_playground::playground::lesson::{load_compiled, MAX_AUTHOR_LESSON};
    let source = std::fs::read_to_string("examples/author-lesson.yaml").unwrap();
    let compiled = compile("examples/author-lesson.yaml", &source).expect("compiles");
    assert!(prove(&compiled, 1).is_empty());
    let json = serde_json::to_string(&compiled).unwrap();
    assert_eq!(load_compiled(&json), Ok(compiled.clone()));

    let mut course_id = compiled.clone();
    course_id.id = "mirror-mirror".into();
    let err = load_compiled(&serde_json::to_string(&course_id).unwrap()).unwrap_err();
    assert!(err.contains("one of the course's own"), "{err}");

    let mut untranslated = compiled.clone();
    untranslated.title.zh_cn = String::new();
    let err = load_compiled(&serde_json::to_string(&untranslated).unwrap()).unwrap_err();
    assert!(err.contains("zh-CN"), "{err}");

    let mut no_steps = compiled;
    no_steps.steps.clear();
    let err = load_compiled(&serde_json::to_string(&no_steps).unwrap()).unwrap_err();
    assert!(err.contains("at least one step"), "{err}");

    assert!(load_compiled("<html>")
        .unwrap_err()
        .contains("lesson build"));
    let huge = " ".repeat(MAX_AUTHOR_LESSON + 1);
    assert!(load_compiled(&huge).unwrap_err().contains("at most"));
}

#[test]
fn trace_goals_name_a_replaced_pod_a_mirror_write_and_a_pleg_event() {
    let mut pg = Playground::new(3).unwrap();
    let manifest = |image: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: {image}\n")
    };
    let path = "/etc/kubernetes/manifests/web.yaml";
    let goal = |text: &str| -> Goal { serde_norway::from_str(text).unwrap() };
    let replaced = goal("!trace {event: !replaced {source: file, pod: web-controlplane}}");
    let mirror = goal("!trace {event: !mirror_written {action: create, pod: web-controlplane}}");
    let died = goal("!trace {event: !pleg {event_type: ContainerDied}}");
    let start = Baseline::take(pg.cluster());
    pg.save_file("controlplane", path, &manifest("nginx:1.27"))
        .unwrap();
    pg.advance(SimDuration::from_secs(10));
    assert!(holds(&mirror, pg.cluster(), &start));
    assert!(
        !holds(&replaced, pg.cluster(), &start),
        "a first ADD replaces nothing"
    );
    assert!(!holds(&died, pg.cluster(), &start));
    let edit = Baseline::take(pg.cluster());
    pg.save_file("controlplane", path, &manifest("nginx:1.28"))
        .unwrap();
    pg.advance(SimDuration::from_secs(10));
    assert!(holds(&replaced, pg.cluster(), &edit));
    assert!(holds(&died, pg.cluster(), &edit));
}
