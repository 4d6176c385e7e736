//! `jq`, backed by the jaq interpreter (jq's language with its standard library), with jq 1.7's
//! options and output style: two-space indentation, `-r` raw strings, `-c` compact output.
//!
//! Simplified: jaq's error texts are shown in jq's frame (`jq: error (at <stdin>:0): ...`),
//! so some messages are worded as jaq words them.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, unwrap_valr, Compiler, Ctx, Vars};
use jaq_json::write::{write, Pp};
use jaq_json::Val;

use crate::node::fs::normalize;
use crate::shell::commands::World;
use crate::shell::io::Output;

const USAGE: &str = "Usage:\tjq [OPTIONS] FILTER [FILES...]\n\tjq [OPTIONS] --args FILTER [ARGUMENTS...]\n\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]\n\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n";

/// Runs `jq`.
pub fn jq(world: &mut World<'_>, argv: &[String], stdin: &str) -> Output {
    let mut raw = false;
    let mut compact = false;
    let mut null_input = false;
    let mut exit_status = false;
    let mut slurp = false;
    let mut args: Vec<(String, Val)> = Vec::new();
    let mut positional = Vec::new();
    let mut idx = 1;
    while idx < argv.len() {
        let arg = &argv[idx];
        match arg.as_str() {
            "-r" | "--raw-output" => raw = true,
            "-c" | "--compact-output" => compact = true,
            "-n" | "--null-input" => null_input = true,
            "-e" | "--exit-status" => exit_status = true,
            "-s" | "--slurp" => slurp = true,
            "-M" | "--monochrome-output" | "-C" | "--color-output" => (),
            "--arg" => {
                let (Some(name), Some(value)) = (argv.get(idx + 1), argv.get(idx + 2)) else {
                    return Output::err(
                        format!("jq: error: --arg takes two parameters (e.g. --arg varname value)\n{USAGE}"),
                        2,
                    );
                };
                args.push((name.clone(), Val::from(value.clone())));
                idx += 2;
            }
            "-h" | "--help" => return Output::ok(USAGE),
            flag if flag.starts_with('-') && flag.len() > 1 && positional.is_empty() => {
                // Combined short flags such as -rc.
                let letters = &flag[1..];
                if letters.chars().all(|c| "rcnesMC".contains(c)) && !flag.starts_with("--") {
                    for c in letters.chars() {
                        match c {
                            'r' => raw = true,
                            'c' => compact = true,
                            'n' => null_input = true,
                            'e' => exit_status = true,
                            's' => slurp = true,
                            _ => (),
                        }
                    }
                } else {
                    return Output::err(format!("jq: Unknown option: {flag}\n{USAGE}"), 2);
                }
            }
            _ => positional.push(arg.clone()),
        }
        idx += 1;
    }
    let Some(filter) = positional.first().cloned() else {
        return Output::err(USAGE, 2);
    };
    let input_text = match positional.get(1) {
        Some(file) => {
            let path = normalize(world.cwd, file);
            match world.cluster.host(world.host).node.fs.read_to_string(&path) {
                Ok(text) => text,
                Err(err) => {
                    return Output::err(format!("jq: error: Could not open {file}: {err}\n"), 2)
                }
            }
        }
        None => stdin.to_string(),
    };
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let program = File {
        code: filter.as_str(),
        path: (),
    };
    let modules = match loader.load(&arena, program) {
        Ok(modules) => modules,
        Err(errs) => {
            return Output::err(
                format!(
                    "jq: error: syntax error in filter {filter:?}: {}\njq: 1 compile error\n",
                    errs.len()
                ),
                3,
            )
        }
    };
    let names: Vec<String> = args.iter().map(|(n, _)| format!("${n}")).collect();
    let compiled = Compiler::default()
        .with_funs(funs)
        .with_global_vars(names.iter().map(String::as_str))
        .compile(modules);
    let filter_compiled = match compiled {
        Ok(f) => f,
        Err(errs) => {
            return Output::err(
                format!(
                    "jq: error: {} compile error(s) in {filter:?}\njq: 1 compile error\n",
                    errs.len()
                ),
                3,
            )
        }
    };

    let inputs: Vec<Val> = if null_input {
        vec![Val::Null]
    } else {
        let mut values = Vec::new();
        for parsed in jaq_json::read::parse_many(input_text.as_bytes()) {
            match parsed {
                Ok(v) => values.push(v),
                Err(err) => {
                    return Output::err(
                        format!("jq: error (at <stdin>:0): Cannot parse input: {err}\n"),
                        2,
                    )
                }
            }
        }
        if slurp {
            vec![values.into_iter().collect()]
        } else {
            values
        }
    };
    let pp = Pp {
        indent: if compact {
            None
        } else {
            Some("  ".to_string())
        },
        sep_space: !compact,
        ..Pp::default()
    };
    let mut out: Vec<u8> = Vec::new();
    let mut last: Option<Val> = None;
    let mut stderr = String::new();
    let mut code = 0;
    'inputs: for input in inputs {
        let vars = Vars::new(args.iter().map(|(_, v)| v.clone()));
        let ctx = Ctx::<data::JustLut<Val>>::new(&filter_compiled.lut, vars);
        for result in filter_compiled.id.run((ctx, input)).map(unwrap_valr) {
            match result {
                Ok(value) => {
                    match &value {
                        Val::TStr(s) | Val::BStr(s) if raw => {
                            out.extend_from_slice(s);
                        }
                        _ => {
                            let _ = write(&mut out, &pp, 0, &value);
                        }
                    }
                    out.push(b'\n');
                    last = Some(value);
                }
                Err(err) => {
                    stderr.push_str(&format!("jq: error (at <stdin>:0): {err}\n"));
                    code = 5;
                    break 'inputs;
                }
            }
        }
    }
    if exit_status && code == 0 {
        code = match last {
            None => 4,
            Some(Val::Null) | Some(Val::Bool(false)) => 1,
            Some(_) => 0,
        };
    }
    Output {
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr,
        code,
        stderr_after: Vec::new(),
    }
}
