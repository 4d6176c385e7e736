//! Architecture invariants checked as tests (ARCHITECTURE.md).
//!
//! Below `ui`, no module may use a web crate, the wall clock, OS randomness or an unordered
//! map, so that the simulation is the same natively and in the browser.

use std::fs;
use std::path::{Path, PathBuf};

const CORE_DIRS: [&str; 11] = [
    "src/sim",
    "src/node",
    "src/apiserver",
    "src/kubelet",
    "src/shell",
    "src/lessons",
    "src/cluster.rs",
    "src/cluster",
    "src/view",
    "src/playground.rs",
    "src/playground",
];

const FORBIDDEN: [&str; 11] = [
    "yew::",
    "web_sys::",
    "gloo::",
    "js_sys::",
    "wasm_bindgen::",
    "Instant::now",
    "SystemTime::now",
    "Timestamp::now",
    "thread_rng",
    "HashMap",
    "HashSet",
];

/// Every file below `path` (or `path` itself) that `keep` accepts, not entering folders named in
/// `skip`.
fn walk(path: &Path, skip: &[&str], keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if skip.contains(&name) {
        return;
    }
    if path.is_file() {
        if keep(path) {
            out.push(path.to_path_buf());
        }
        return;
    }
    let Ok(entries) = fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        walk(&entry.path(), skip, keep, out);
    }
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    walk(
        path,
        &[],
        &|p| p.extension().is_some_and(|e| e == "rs"),
        out,
    );
}

/// Every Rust file below `src`, with its path from the repository's root written with `/`.
fn source_files() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, file)
        })
        .collect()
}

#[test]
fn core_is_deterministic_and_free_of_web_crates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in CORE_DIRS {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(!files.is_empty(), "no core sources found");
    let mut hits = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for (idx, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for pattern in FORBIDDEN {
                if code.contains(pattern) {
                    hits.push(format!("{}:{}: {pattern}", file.display(), idx + 1));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "forbidden in the core:\n{}",
        hits.join("\n")
    );
}

#[test]
fn every_module_file_opens_with_a_doc_comment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = fs::read_to_string(f).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! header: {missing:?}"
    );
}

/// The UI sees the simulation only through the playground boundary and its view models.
#[test]
fn the_ui_reaches_the_simulation_only_through_the_playground() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/ui"), &mut files);
    assert!(!files.is_empty(), "no UI sources found");
    let mut hits = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for (idx, line) in text.lines().enumerate() {
            for (at, _) in line.match_indices("crate::") {
                let path = &line[at + "crate::".len()..];
                let allowed = ["ui", "playground", "view"].iter().any(|m| {
                    path.starts_with(&format!("{m}::")) || path.starts_with(&format!("{m};"))
                });
                if !allowed {
                    hits.push(format!("{}:{}: {}", file.display(), idx + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "the UI must go through crate::playground or crate::view:\n{}",
        hits.join("\n")
    );
}

/// The shell writes to the API server only through its entry points (`Cluster::requests`):
/// never the raw server or its store, so kubectl's writes get admission and validation.
#[test]
fn the_shell_never_reaches_the_raw_api_server_or_its_store() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/shell"), &mut files);
    assert!(!files.is_empty(), "no shell sources found");
    let forbidden = ["api_mut", "store_mut"];
    let mut hits = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for (idx, line) in text.lines().enumerate() {
            if forbidden.iter().any(|f| line.contains(f)) {
                hits.push(format!("{}:{}: {}", file.display(), idx + 1, line.trim()));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "the shell must write through Cluster::requests():\n{}",
        hits.join("\n")
    );
}

/// k8s types are decoded from JSON values only: `crate::yaml` hands out JSON values and nothing
/// else (its functions are not generic), and no other module reaches the YAML library, except
/// the lesson compiler for the course's own types.
#[test]
fn only_the_yaml_module_reaches_the_yaml_library() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let allowed = [
        "src/yaml.rs",
        "src/yaml/marked.rs",
        "src/lessons/compile.rs",
    ];
    let mut hits = Vec::new();
    for (relative, file) in source_files() {
        if allowed.contains(&relative.as_str()) {
            continue;
        }
        let text = fs::read_to_string(file).unwrap();
        for (idx, line) in text.lines().enumerate() {
            if line.contains("serde_norway") || line.contains("unsafe_libyaml") {
                hits.push(format!("{relative}:{}: {}", idx + 1, line.trim()));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "read YAML through crate::yaml (JSON values only):\n{}",
        hits.join("\n")
    );
    let yaml = fs::read_to_string(root.join("src/yaml.rs")).unwrap();
    for function in ["from_str", "from_str_first", "from_str_multi"] {
        assert!(
            yaml.contains(&format!("pub fn {function}(text: &str)")),
            "crate::yaml::{function} must take text and give JSON values, not be generic"
        );
    }
}

/// `unsafe` is confined to the two files ARCHITECTURE.md names, each use with its reason.
#[test]
fn unsafe_code_lives_only_where_architecture_says() {
    let allowed = ["src/yaml/marked.rs", "src/sim/inline_id.rs"];
    let mut hits = Vec::new();
    for (relative, file) in source_files() {
        let text = fs::read_to_string(file).unwrap();
        let code = || {
            text.lines()
                .filter(|line| !line.trim_start().starts_with("//"))
        };
        let blocks = code().filter(|line| line.contains("unsafe {")).count();
        let unsafe_items = code().filter(|line| line.contains("unsafe fn")).count();
        let reasons = text.matches("// SAFETY:").count();
        if allowed.contains(&relative.as_str()) {
            assert!(
                reasons >= blocks,
                "{relative}: {blocks} unsafe blocks but {reasons} `// SAFETY:` comments"
            );
        } else if blocks + unsafe_items > 0 {
            hits.push(relative);
        }
    }
    assert!(
        hits.is_empty(),
        "unsafe code outside ARCHITECTURE.md's list: {hits:?}"
    );
}

/// Text files of the repository a reader opens (generated bundles, lock files and build output
/// excluded).
fn repo_text_files(path: &Path, out: &mut Vec<PathBuf>) {
    const SKIP: [&str; 6] = [
        "target",
        "dist",
        "node_modules",
        "vendor",
        ".git",
        "package-lock.json",
    ];
    const TEXT: [&str; 12] = [
        "rs", "md", "toml", "mjs", "js", "json", "html", "css", "txt", "yaml", "sh", "",
    ];
    let text = |p: &Path| TEXT.contains(&p.extension().and_then(|e| e.to_str()).unwrap_or(""));
    walk(path, &SKIP, &text, out);
}

#[test]
fn the_repository_cites_only_what_it_contains() {
    // Documents the project was planned in are not part of the repository, nor is its issue
    // tracker: a reader must find everything a comment or a doc cites inside the repo.
    // The names are assembled from two pieces each so that this file does not cite them.
    let planning = [
        ("DES", r"IGN\.md"),
        ("shared", "/reference"),
        ("kubelet-", r"semantics\.md"),
        ("house", "-style"),
    ]
    .map(|(head, tail)| format!(r"\b{head}{tail}"))
    .join("|");
    let tracker = r"(^|[^/\w])issues? #?[0-9]+\b";
    let outside = regex_lite::Regex::new(&format!("(?i){planning}|{tracker}")).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    repo_text_files(root, &mut files);
    assert!(files.len() > 100, "the walk found the repository");
    let mut offenders = Vec::new();
    for file in files {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if outside.is_match(line) {
                offenders.push(format!("{}:{}: {line}", file.display(), n + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "cites outside the repository:\n{}",
        offenders.join("\n")
    );
}
