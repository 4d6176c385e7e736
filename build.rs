//! Compiles the lessons in `lessons/` (YAML with Markdown fields) into `OUT_DIR/lessons.json`,
//! which `src/lessons/catalogue.rs` embeds, so the browser bundle carries no Markdown parser.
//! A lesson that does not compile stops the build with the compiler's error (file and line).

#[allow(dead_code)]
#[path = "src/lessons/model.rs"]
mod model;

#[allow(dead_code)]
#[path = "src/lessons/compile.rs"]
mod compile;

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=lessons");
    println!("cargo:rerun-if-changed=src/lessons/model.rs");
    println!("cargo:rerun-if-changed=src/lessons/compile.rs");
    let mut names: Vec<String> = match std::fs::read_dir("lessons") {
        Ok(entries) => entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| name.ends_with(".yaml"))
            .collect(),
        Err(err) => fail(&format!("lessons/: {err}")),
    };
    // File names start with the lesson's place in the course (`01-…`).
    names.sort();
    let mut files = Vec::new();
    for name in names {
        let path = format!("lessons/{name}");
        println!("cargo:rerun-if-changed={path}");
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push((path, text)),
            Err(err) => fail(&format!("{path}: {err}")),
        }
    }
    let lessons = match compile::compile_all(&files) {
        Ok(lessons) => lessons,
        Err(err) => fail(&err),
    };
    let json = serde_json::to_string(&lessons).unwrap_or_else(|err| fail(&err.to_string()));
    let out = std::env::var("OUT_DIR").unwrap_or_else(|err| fail(&format!("OUT_DIR: {err}")));
    if let Err(err) = std::fs::write(Path::new(&out).join("lessons.json"), json) {
        fail(&format!("writing lessons.json: {err}"));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: a lesson does not compile: {message}");
    std::process::exit(1);
}
