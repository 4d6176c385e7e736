//! Where container logs live on the node (`pkg/kubelet/kuberuntime/helpers.go`,
//! `kuberuntime_container.go`): the CRI log file `/var/log/pods/<ns>_<pod>_<uid>/<container>/
//! <restartCount>.log`, the legacy symlink to it in `/var/log/containers`, the restart count a
//! new container takes from that directory when the runtime has forgotten the old one
//! (`calcRestartCountByLogDir`), and their removal with the container (`removeContainerLog`).

use crate::kubelet::container::{
    LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID,
};
use crate::node::cri::ContainerInfo;
use crate::node::fs::{FileKind, Fs};
use crate::sim::SimTime;

/// The legacy log directory (`legacyContainerLogsDir`).
pub const LEGACY_CONTAINER_LOGS_DIR: &str = "/var/log/containers";
/// ext4's longest file name (`ext4MaxFileNameLen`).
const EXT4_MAX_FILE_NAME_LEN: usize = 255;

/// `BuildContainerLogsDirectory`.
pub fn container_logs_directory(namespace: &str, pod: &str, uid: &str, container: &str) -> String {
    format!("/var/log/pods/{namespace}_{pod}_{uid}/{container}")
}

/// `legacyLogSymlink`: `<pod>_<namespace>_<container>-<id>.log`, cut to fit ext4.
pub fn legacy_log_symlink(
    container_id: &str,
    container: &str,
    pod: &str,
    namespace: &str,
) -> String {
    let suffix = ".log";
    let mut name = format!("{pod}_{namespace}_{container}-{container_id}");
    name.truncate(EXT4_MAX_FILE_NAME_LEN - suffix.len());
    format!("{LEGACY_CONTAINER_LOGS_DIR}/{name}{suffix}")
}

/// `calcRestartCountByLogDir`: one more than the highest `N.log` (or `N.log.*`) in `dir`; 0
/// when there is none or the directory does not exist.
pub fn restart_count_by_log_dir(fs: &Fs, dir: &str) -> i32 {
    let Ok(entries) = fs.read_dir(dir) else {
        return 0;
    };
    entries
        .iter()
        .filter(|e| e.kind != FileKind::Dir)
        .filter_map(|e| {
            let (digits, rest) = e.name.split_at(e.name.find(|c: char| !c.is_ascii_digit())?);
            let matches = !digits.is_empty() && (rest == ".log" || rest.starts_with(".log."));
            matches.then(|| digits.parse::<i32>().ok()).flatten()
        })
        .map(|n| n.saturating_add(1))
        .max()
        .unwrap_or(0)
}

/// The log file of a container the runtime lists (its labels and attempt).
pub fn log_path_of(info: &ContainerInfo) -> Option<String> {
    let label = |k: &str| info.labels.get(k).map(String::as_str);
    Some(format!(
        "{}/{}.log",
        container_logs_directory(
            label(LABEL_POD_NAMESPACE)?,
            label(LABEL_POD_NAME)?,
            label(LABEL_POD_UID)?,
            label(LABEL_CONTAINER_NAME)?
        ),
        info.attempt
    ))
}

/// `removeContainerLog`: the container's log file (rotated ones too) and its legacy symlink.
pub fn remove_container_log(fs: &mut Fs, now: SimTime, info: &ContainerInfo) {
    let label = |k: &str| info.labels.get(k).cloned().unwrap_or_default();
    if let Some(path) = log_path_of(info) {
        if let Some((dir, file)) = path.rsplit_once('/') {
            for entry in fs.read_dir(dir).unwrap_or_default() {
                if entry.name.starts_with(file) {
                    let _ = fs.remove_file(now, &format!("{dir}/{}", entry.name));
                }
            }
        }
    }
    let link = legacy_log_symlink(
        &info.id,
        &label(LABEL_CONTAINER_NAME),
        &label(LABEL_POD_NAME),
        &label(LABEL_POD_NAMESPACE),
    );
    let _ = fs.remove_file(now, &link);
}

/// `evictPodLogsDirectories`' last pass: legacy symlinks whose log file is gone are removed,
/// unless their container is still listed and has not exited (its log may be mid-rotation).
pub fn remove_dangling_symlinks(fs: &mut Fs, now: SimTime, live: &dyn Fn(&str) -> bool) {
    let Ok(entries) = fs.read_dir(LEGACY_CONTAINER_LOGS_DIR) else {
        return;
    };
    for entry in entries {
        let Some(stem) = entry.name.strip_suffix(".log") else {
            continue;
        };
        let path = format!("{LEGACY_CONTAINER_LOGS_DIR}/{}", entry.name);
        if fs.stat(&path).is_ok() {
            continue;
        }
        let id = stem.rsplit('-').next().unwrap_or_default();
        if live(id) {
            continue;
        }
        let _ = fs.remove_file(now, &path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_count_continues_from_the_highest_log() {
        let mut fs = Fs::default();
        let dir = "/var/log/pods/default_web_u/web";
        assert_eq!(restart_count_by_log_dir(&fs, dir), 0);
        fs.mkdir_all(SimTime::ZERO, dir).unwrap();
        assert_eq!(restart_count_by_log_dir(&fs, dir), 0);
        for name in ["0.log", "3.log", "2.log.20261122-080000", "x.log", "9.txt"] {
            fs.write(
                SimTime::ZERO,
                &format!("{dir}/{name}"),
                b"",
                crate::node::fs::WriteMode::Truncate,
            )
            .unwrap();
        }
        assert_eq!(restart_count_by_log_dir(&fs, dir), 4);
    }

    #[test]
    fn legacy_symlink_names_pod_namespace_container_and_id() {
        assert_eq!(
            legacy_log_symlink("abc", "web", "web-node01", "default"),
            "/var/log/containers/web-node01_default_web-abc.log"
        );
        let long = "p".repeat(300);
        let link = legacy_log_symlink("abc", "c", &long, "ns");
        assert_eq!(link.len(), "/var/log/containers/".len() + 255);
        assert!(link.ends_with("pp.log"));
    }
}
