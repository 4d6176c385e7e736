//! Job control, as far as the playground has it: `jobs` lists the background jobs (`CMD &`)
//! as bash does, and `kill %N` (`%%`, `%+`, `%-`) signals a job's process.
//!
//! Simplified: a background job is one process started by `CMD &` (e.g. `python3 -m
//! http.server 8000 &`); a command that starts no lasting process is `Done` at once. There is
//! no terminal to hand over, so `fg` and `bg` explain that instead, and bash's notice of a
//! finished job at the next prompt is left to `jobs`.

use crate::shell::io::Output;

use super::Exec;

impl Exec<'_> {
    /// `jobs [-l|-p]`.
    pub(super) fn builtin_jobs(&mut self, argv: &[String]) -> Output {
        let (mut long, mut pids_only) = (false, false);
        for arg in &argv[1..] {
            match arg.as_str() {
                "-l" => long = true,
                "-p" => pids_only = true,
                other if other.starts_with('-') => {
                    return Output::err(
                        format!(
                            "bash: jobs: {other}: invalid option\njobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n"
                        ),
                        2,
                    )
                }
                _ => (),
            }
        }
        let host = self.frame().host;
        let running: Vec<u32> = self.cluster.processes(host).iter().map(|p| p.pid).collect();
        let table = std::mem::take(&mut self.frame_mut().job_table);
        let count = table.len();
        let mut out = String::new();
        let mut kept = Vec::new();
        for (idx, job) in table.into_iter().enumerate() {
            let alive = running.contains(&job.pid);
            let mark = match count - idx {
                1 => '+',
                2 => '-',
                _ => ' ',
            };
            if pids_only {
                out.push_str(&format!("{}\n", job.pid));
            } else {
                let state = match (alive, job.killed) {
                    (true, _) => "Running",
                    (false, true) => "Terminated",
                    (false, false) => "Done",
                };
                let amp = if alive { " &" } else { "" };
                let pid = if long {
                    format!(" {}", job.pid)
                } else {
                    " ".to_string()
                };
                out.push_str(&format!(
                    "[{}]{mark}{pid} {state:<24}{}{amp}\n",
                    job.number, job.command
                ));
            }
            if alive {
                kept.push(job);
            }
        }
        self.frame_mut().job_table = kept;
        Output::ok(out)
    }

    /// `kill`'s arguments with each job spec (`%N`, `%%`, `%+`, `%-`) replaced by its
    /// job's process id, or bash's error for a job that does not exist.
    pub(super) fn job_pids(&mut self, argv: &[String]) -> Result<Vec<String>, Output> {
        let mut out = Vec::with_capacity(argv.len());
        for arg in argv {
            let Some(spec) = arg.strip_prefix('%') else {
                out.push(arg.clone());
                continue;
            };
            let table = &self.frame().job_table;
            let idx = match spec {
                "" | "%" | "+" => table.len().checked_sub(1),
                "-" => table.len().checked_sub(2),
                number => number
                    .parse::<u32>()
                    .ok()
                    .and_then(|n| table.iter().position(|j| j.number == n)),
            };
            let Some(idx) = idx else {
                let named = match spec {
                    "" | "%" | "+" => "current",
                    "-" => "previous",
                    _ => arg.as_str(),
                };
                return Err(Output::err(
                    format!("bash: kill: {named}: no such job\n"),
                    1,
                ));
            };
            let job = &mut self.frame_mut().job_table[idx];
            job.killed = true;
            out.push(job.pid.to_string());
        }
        Ok(out)
    }
}
