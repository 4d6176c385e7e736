//! The message catalog `journalctl -x` adds under systemd's unit messages (the entries of
//! `catalog/systemd.catalog.in` for jobs and unit results), with Ubuntu's support URL.
//!
//! Simplified: job identifiers are not tracked by the simulated systemd; they are numbered
//! in journal order from a plausible post-boot value, a stop job and the start that follows
//! it in one `restart` sharing nothing.

use super::lines::Line;

/// The first job number handed out after boot.
const FIRST_JOB: u32 = 151;

/// `SUPPORT_URL` of Ubuntu's systemd build.
const SUPPORT: &str = "http://www.ubuntu.com/support";

/// The explanation lines (`░░ ...`) to print under each line of `lines`, by index.
pub(super) fn explanations(lines: &[Line]) -> Vec<Option<String>> {
    let mut next_job = FIRST_JOB;
    let mut job = || {
        let id = next_job;
        next_job += 1;
        id
    };
    // The job a unit's pending stop runs as, between "Stopping" and "Stopped".
    let mut stopping: Vec<(String, u32)> = Vec::new();
    lines
        .iter()
        .map(|line| {
            if line.ident != "systemd" {
                return None;
            }
            let unit = line.unit.as_str();
            let msg = line.message.as_str();
            let body = msg
                .strip_prefix(unit)
                .and_then(|b| b.strip_prefix(": "))
                .unwrap_or("");
            let (subject, text) = if msg.starts_with(&format!("Started {unit}")) {
                let id = job();
                (
                    format!("A start job for unit {unit} has finished successfully"),
                    format!(
                        "A start job for unit {unit} has finished successfully.\n\nThe job identifier is {id}."
                    ),
                )
            } else if msg.starts_with(&format!("Failed to start {unit}")) {
                let id = job();
                (
                    format!("A start job for unit {unit} has failed"),
                    format!(
                        "A start job for unit {unit} has finished with a failure.\n\nThe job identifier is {id} and the job result is failed."
                    ),
                )
            } else if msg.starts_with(&format!("Stopping {unit}")) {
                let id = job();
                stopping.push((unit.to_string(), id));
                (
                    format!("A stop job for unit {unit} has begun execution"),
                    format!(
                        "A stop job for unit {unit} has begun execution.\n\nThe job identifier is {id}."
                    ),
                )
            } else if msg.starts_with(&format!("Stopped {unit}")) {
                let id = match stopping.iter().position(|(u, _)| u == unit) {
                    Some(pos) => stopping.remove(pos).1,
                    None => job(),
                };
                (
                    format!("A stop job for unit {unit} has finished"),
                    format!(
                        "A stop job for unit {unit} has finished.\n\nThe job identifier is {id} and the job result is done."
                    ),
                )
            } else if body == "Deactivated successfully." {
                (
                    "Unit succeeded".to_string(),
                    format!("The unit {unit} has successfully entered the 'dead' state."),
                )
            } else if let Some(result) = body
                .strip_prefix("Failed with result '")
                .and_then(|r| r.strip_suffix("'."))
            {
                (
                    "Unit failed".to_string(),
                    format!("The unit {unit} has entered the 'failed' state with result '{result}'."),
                )
            } else if let Some(rest) = body.strip_prefix("Main process exited, code=") {
                let (code, status) = rest.split_once(", status=").unwrap_or((rest, ""));
                let status = status.split('/').next().unwrap_or(status);
                (
                    "Unit process exited".to_string(),
                    format!(
                        "An ExecStart= process belonging to unit {unit} has exited.\n\nThe process' exit code is '{code}' and its exit status is {status}."
                    ),
                )
            } else if body.starts_with("Scheduled restart job") {
                (
                    "Automatic restarting of a unit has been scheduled".to_string(),
                    format!(
                        "Automatic restarting of the unit {unit} has been scheduled, as the result for\nthe configured Restart= setting for the unit."
                    ),
                )
            } else {
                return None;
            };
            let entry = format!(
                "Subject: {subject}\nDefined-By: systemd\nSupport: {SUPPORT}\n\n{text}"
            );
            Some(shade(&entry))
        })
        .collect()
}

/// Prefixes every line with `░░ `, as journalctl prints catalog text.
fn shade(text: &str) -> String {
    text.lines()
        .map(|l| format!("░░ {l}\n"))
        .collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;

    fn systemd(message: &str) -> Line {
        Line {
            at: SimTime(0),
            unit: "kubelet.service".into(),
            host: "cp".into(),
            ident: "systemd".into(),
            pid: 1,
            message: message.into(),
            priority: 6,
        }
    }

    #[test]
    fn explains_job_and_result_messages() {
        let lines = [
            systemd("Stopping kubelet.service - kubelet: The Kubernetes Node Agent..."),
            systemd("kubelet.service: Deactivated successfully."),
            systemd("Stopped kubelet.service - kubelet: The Kubernetes Node Agent."),
            systemd("kubelet.service: Main process exited, code=exited, status=1/FAILURE"),
            systemd("Reloading."),
        ];
        let texts = explanations(&lines);
        let stop = texts[0].as_deref().unwrap();
        assert!(stop.starts_with(
            "░░ Subject: A stop job for unit kubelet.service has begun execution\n░░ Defined-By: systemd\n"
        ));
        assert!(stop.contains("░░ \n░░ The job identifier is 151.\n"));
        assert!(texts[2]
            .as_deref()
            .unwrap()
            .contains("The job identifier is 151 and the job result is done."));
        assert!(texts[1]
            .as_deref()
            .unwrap()
            .contains("successfully entered the 'dead' state"));
        assert!(texts[3]
            .as_deref()
            .unwrap()
            .contains("exit code is 'exited' and its exit status is 1."));
        assert_eq!(texts[4], None);
    }
}
