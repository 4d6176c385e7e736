//! Mirrors the parts of `pkg/kubelet/volumemanager` and the in-tree volume plugins
//! (`pkg/volume/hostpath`, `emptydir`, `configmap`, `secret`, `projected`) a pod on this node
//! can use: where each volume lives on the host, and the checks that make a mount fail.
//!
//! Simplified: mounts happen synchronously inside `SyncPod`. Upstream's volume manager retries
//! failed mounts in the background and `SyncPod` gives up after about two minutes with
//! `unmounted volumes=[...]`; here the failure is reported at once and the pod worker retries
//! after its usual 10–15 s back-off. Secret and ConfigMap contents are written once.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::store::Resource;
use crate::apiserver::ApiServer;
use crate::node::fs::{FileKind, Fs, WriteMode};
use crate::sim::SimTime;

/// The kubelet's root directory.
pub const ROOT_DIR: &str = "/var/lib/kubelet";

/// A volume that is ready to be bind-mounted: its host path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountedVolume {
    /// The volume's name in the pod spec.
    pub name: String,
    /// Where it lives on the host.
    pub host_path: String,
}

/// A volume that could not be set up, with `MountVolume.SetUp`'s error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountFailure {
    /// The volume's name.
    pub name: String,
    /// Why, as upstream words it.
    pub error: String,
}

/// The directory holding a pod's volumes and data.
pub fn pod_dir(uid: &str) -> String {
    format!("{ROOT_DIR}/pods/{uid}")
}

/// Sets up every volume of `pod`. Returns the mounted volumes, or every failure.
pub fn setup_volumes(
    now: SimTime,
    fs: &mut Fs,
    api: Option<&ApiServer>,
    pod: &corev1::Pod,
) -> Result<Vec<MountedVolume>, Vec<MountFailure>> {
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let namespace = pod.metadata.namespace.clone().unwrap_or_default();
    let volumes = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.clone())
        .unwrap_or_default();
    let mut mounted = Vec::new();
    let mut failed = Vec::new();
    for volume in &volumes {
        match setup_volume(now, fs, api, &uid, &namespace, volume) {
            Ok(host_path) => mounted.push(MountedVolume {
                name: volume.name.clone(),
                host_path,
            }),
            Err(error) => failed.push(MountFailure {
                name: volume.name.clone(),
                error: format!(
                    "MountVolume.SetUp failed for volume {:?} : {error}",
                    volume.name
                ),
            }),
        }
    }
    if failed.is_empty() {
        Ok(mounted)
    } else {
        Err(failed)
    }
}

fn plugin_dir(uid: &str, plugin: &str, name: &str) -> String {
    format!("{}/volumes/kubernetes.io~{plugin}/{name}", pod_dir(uid))
}

fn setup_volume(
    now: SimTime,
    fs: &mut Fs,
    api: Option<&ApiServer>,
    uid: &str,
    namespace: &str,
    volume: &corev1::Volume,
) -> Result<String, String> {
    if let Some(host) = &volume.host_path {
        check_host_path(now, fs, &host.path, host.type_.as_deref().unwrap_or(""))?;
        return Ok(host.path.clone());
    }
    if volume.config_map.is_some() || volume.secret.is_some() {
        let (plugin, data) = if let Some(cm) = &volume.config_map {
            (
                "configmap",
                fetch_data(api, Resource::ConfigMaps, namespace, &cm.name, cm.optional)?,
            )
        } else {
            let secret = volume.secret.as_ref().expect("checked above");
            let name = secret.secret_name.clone().unwrap_or_default();
            (
                "secret",
                fetch_data(api, Resource::Secrets, namespace, &name, secret.optional)?,
            )
        };
        let dir = plugin_dir(uid, plugin, &volume.name);
        let _ = fs.mkdir_all(now, &dir);
        for (key, value) in data {
            let _ = fs.write(
                now,
                &format!("{dir}/{key}"),
                value.as_bytes(),
                WriteMode::Truncate,
            );
        }
        return Ok(dir);
    }
    let plugin = if volume.projected.is_some() {
        "projected"
    } else if volume.downward_api.is_some() {
        "downward-api"
    } else {
        "empty-dir"
    };
    let dir = plugin_dir(uid, plugin, &volume.name);
    let _ = fs.mkdir_all(now, &dir);
    if plugin == "projected" {
        // The service account token volume every API pod gets.
        let _ = fs.write(
            now,
            &format!("{dir}/namespace"),
            namespace.as_bytes(),
            WriteMode::Truncate,
        );
        let _ = fs.write(
            now,
            &format!("{dir}/token"),
            b"eyJhbGciOiJSUzI1NiIsImtpZCI6InBsYXlncm91bmQifQ",
            WriteMode::Truncate,
        );
        if let Ok(ca) = fs.read("/etc/kubernetes/pki/ca.crt") {
            let _ = fs.write(now, &format!("{dir}/ca.crt"), &ca, WriteMode::Truncate);
        }
    }
    Ok(dir)
}

/// The `data` of a ConfigMap or Secret (Secret values are base64 in the API; they are
/// written decoded only if they decode, else as stored).
fn fetch_data(
    api: Option<&ApiServer>,
    resource: Resource,
    namespace: &str,
    name: &str,
    optional: Option<bool>,
) -> Result<BTreeMap<String, String>, String> {
    let missing = || {
        let kind = match resource {
            Resource::ConfigMaps => "configmap",
            _ => "secret",
        };
        format!("{kind} {name:?} not found")
    };
    let Some(api) = api else {
        return Err(missing());
    };
    match api.get::<serde_json::Value>(resource, namespace, name) {
        Ok(object) => Ok(object
            .get("data")
            .and_then(|d| d.as_object())
            .map(|d| {
                d.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default()),
        Err(_) if optional == Some(true) => Ok(BTreeMap::new()),
        Err(err) if err.is_unreachable() => Err(format!(
            "failed to sync {} cache: timed out waiting for the condition",
            resource.kind().to_lowercase()
        )),
        Err(_) => Err(missing()),
    }
}

/// `hostPath` type checks (`checkTypeInternal`), creating what the `...OrCreate` types ask for.
fn check_host_path(now: SimTime, fs: &mut Fs, path: &str, kind: &str) -> Result<(), String> {
    let meta = fs.stat(path).ok();
    let fail = |what: &str| {
        Err(format!(
            "hostPath type check failed: {path} is not a {what}"
        ))
    };
    match kind {
        "" => Ok(()),
        "DirectoryOrCreate" => match meta {
            None => fs
                .mkdir_all(now, path)
                .map_err(|e| e.go_path_error("mkdir", path)),
            Some(m) if m.kind == FileKind::Dir => Ok(()),
            Some(_) => fail("directory"),
        },
        "Directory" => match meta {
            Some(m) if m.kind == FileKind::Dir => Ok(()),
            _ => fail("directory"),
        },
        "FileOrCreate" => match meta {
            None => fs
                .write(now, path, b"", WriteMode::Append)
                .map_err(|e| e.go_path_error("open", path)),
            Some(m) if m.kind == FileKind::File => Ok(()),
            Some(_) => fail("file"),
        },
        "File" => match meta {
            Some(m) if m.kind == FileKind::File => Ok(()),
            _ => fail("file"),
        },
        "Socket" => fail("socket file"),
        "CharDevice" => fail("character device"),
        "BlockDevice" => fail("block device"),
        other => Err(format!("hostPath type check failed: unknown type {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod_with(volume: corev1::Volume) -> corev1::Pod {
        corev1::Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                uid: Some("u1".into()),
                namespace: Some("kube-system".into()),
                ..Default::default()
            },
            spec: Some(corev1::PodSpec {
                volumes: Some(vec![volume]),
                ..Default::default()
            }),
            status: None,
        }
    }

    fn host_path(path: &str, kind: &str) -> corev1::Volume {
        corev1::Volume {
            name: "data".into(),
            host_path: Some(corev1::HostPathVolumeSource {
                path: path.into(),
                type_: Some(kind.into()),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn directory_or_create_makes_the_directory() {
        let mut fs = Fs::default();
        let pod = pod_with(host_path("/var/lib/etcd", "DirectoryOrCreate"));
        let mounted = setup_volumes(SimTime::ZERO, &mut fs, None, &pod).unwrap();
        assert_eq!(mounted[0].host_path, "/var/lib/etcd");
        assert_eq!(fs.stat("/var/lib/etcd").unwrap().kind, FileKind::Dir);
    }

    #[test]
    fn a_missing_directory_fails_the_mount() {
        let mut fs = Fs::default();
        let pod = pod_with(host_path("/data", "Directory"));
        let failures = setup_volumes(SimTime::ZERO, &mut fs, None, &pod).unwrap_err();
        assert_eq!(
            failures[0].error,
            "MountVolume.SetUp failed for volume \"data\" : hostPath type check failed: /data is not a directory"
        );
    }

    #[test]
    fn empty_dirs_live_under_the_pod_directory() {
        let mut fs = Fs::default();
        let pod = pod_with(corev1::Volume {
            name: "scratch".into(),
            empty_dir: Some(Default::default()),
            ..Default::default()
        });
        let mounted = setup_volumes(SimTime::ZERO, &mut fs, None, &pod).unwrap();
        assert_eq!(
            mounted[0].host_path,
            "/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/scratch"
        );
        assert!(fs.exists(&mounted[0].host_path));
    }
}
