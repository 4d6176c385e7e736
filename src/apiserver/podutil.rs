//! Mirrors `pkg/api/pod/util.go` (v1.34): `HasAPIObjectReference` and the secret/configmap
//! visitors it uses (`VisitPodSecretNames`, `VisitPodConfigmapNames`), and the check
//! `pkg/kubelet/config/common.go` builds from it while the PreventStaticPodAPIReferences gate
//! (beta, on by default in v1.34) is enabled: `static pods may not reference <resource>`.
//!
//! Deliberate simplifications:
//! - Works on the v1 types: the deprecated `spec.serviceAccount` is read as the alias of
//!   `serviceAccountName`, as the v1→internal conversion does before upstream looks at it.
//! - The visitors only answer "is there any reference", which is all the check needs.

use k8s_openapi::api::core::v1 as corev1;

/// The first API object kind a pod references (HasAPIObjectReference), e.g. "secrets (via secret volumes)".
///
/// A volume with no known source (impossible after defaulting, which turns it into an
/// emptyDir) is reported the way the kubelet reports the upstream error: as `None` here, and as
/// an error by [`has_api_object_reference`].
pub fn api_object_reference(pod: &corev1::Pod) -> Option<String> {
    has_api_object_reference(pod).ok().flatten()
}

/// `HasAPIObjectReference`: `Ok(Some(resource))` for the first reference found (in upstream's
/// order), `Ok(None)` for none, `Err` for a volume or projection source it does not know.
pub fn has_api_object_reference(pod: &corev1::Pod) -> Result<Option<String>, String> {
    let Some(spec) = pod.spec.as_ref() else {
        return Ok(None);
    };
    if !service_account_name(spec).is_empty() {
        return Ok(Some("serviceaccounts".to_string()));
    }
    if references_secrets(spec) {
        return Ok(Some("secrets".to_string()));
    }
    if references_config_maps(spec) {
        return Ok(Some("configmaps".to_string()));
    }
    if spec.resource_claims.as_ref().is_some_and(|c| !c.is_empty()) {
        return Ok(Some("resourceclaims".to_string()));
    }
    for v in spec.volumes.iter().flatten() {
        if let Some(resource) = volume_reference(v)? {
            return Ok(Some(resource.to_string()));
        }
    }
    Ok(None)
}

/// The kubelet's refusal of a static pod that references API objects
/// (`static pods may not reference secrets`), or the lookup's own error; `None` when the pod
/// references nothing.
pub fn static_pod_reference_error(pod: &corev1::Pod) -> Option<String> {
    match has_api_object_reference(pod) {
        Ok(Some(resource)) => Some(format!("static pods may not reference {resource}")),
        Ok(None) => None,
        Err(err) => Some(err),
    }
}

/// `spec.serviceAccountName`, falling back to the deprecated `spec.serviceAccount`.
pub fn service_account_name(spec: &corev1::PodSpec) -> &str {
    match spec.service_account_name.as_deref() {
        Some(name) if !name.is_empty() => name,
        _ => spec.service_account.as_deref().unwrap_or(""),
    }
}

fn volume_reference(v: &corev1::Volume) -> Result<Option<&'static str>, String> {
    // Sources that never reach the API (host paths, emptyDirs, cloud disks...) are fine.
    let local = v.aws_elastic_block_store.is_some()
        || v.azure_disk.is_some()
        || v.cephfs.is_some()
        || v.cinder.is_some()
        || v.downward_api.is_some()
        || v.empty_dir.is_some()
        || v.fc.is_some()
        || v.flex_volume.is_some()
        || v.flocker.is_some()
        || v.gce_persistent_disk.is_some()
        || v.git_repo.is_some()
        || v.host_path.is_some()
        || v.image.is_some()
        || v.iscsi.is_some()
        || v.nfs.is_some()
        || v.photon_persistent_disk.is_some()
        || v.portworx_volume.is_some()
        || v.quobyte.is_some()
        || v.rbd.is_some()
        || v.scale_io.is_some()
        || v.storageos.is_some()
        || v.vsphere_volume.is_some();
    if local {
        return Ok(None);
    }
    if v.config_map.is_some() {
        return Ok(Some("configmaps (via configmap volumes)"));
    }
    if v.secret.is_some() {
        return Ok(Some("secrets (via secret volumes)"));
    }
    if v.csi.is_some() {
        return Ok(Some("csidrivers (via CSI volumes)"));
    }
    if v.glusterfs.is_some() {
        return Ok(Some("endpoints (via glusterFS volumes)"));
    }
    if v.persistent_volume_claim.is_some() {
        return Ok(Some("persistentvolumeclaims"));
    }
    if v.ephemeral.is_some() {
        return Ok(Some("persistentvolumeclaims (via ephemeral volumes)"));
    }
    if v.azure_file.is_some() {
        return Ok(Some("secrets (via azureFile volumes)"));
    }
    if let Some(projected) = v.projected.as_ref() {
        for s in projected.sources.iter().flatten() {
            if s.config_map.is_some() {
                return Ok(Some("configmaps (via projected volumes)"));
            }
            if s.secret.is_some() {
                return Ok(Some("secrets (via projected volumes)"));
            }
            if s.service_account_token.is_some() {
                return Ok(Some("serviceaccounts (via projected volumes)"));
            }
            if s.cluster_trust_bundle.is_some() {
                return Ok(Some("clustertrustbundles"));
            }
            if s.pod_certificate.is_some() {
                return Ok(Some("podcertificates"));
            }
            if s.downward_api.is_none() {
                return Err(format!(
                    "unknown source for projected volume \"{}\"",
                    v.name
                ));
            }
        }
        return Ok(None);
    }
    // Upstream's message has two spaces before the name.
    Err(format!("unknown volume type for volume  \"{}\"", v.name))
}

/// A container's `envFrom` and `env`, the two places it can name a secret or configmap.
type ContainerEnv<'a> = (&'a [corev1::EnvFromSource], &'a [corev1::EnvVar]);

/// Containers in the order `VisitContainers` uses: init, regular, ephemeral.
fn container_envs(spec: &corev1::PodSpec) -> Vec<ContainerEnv<'_>> {
    let mut out = Vec::new();
    for c in spec.init_containers.iter().flatten() {
        out.push((
            c.env_from.as_deref().unwrap_or(&[]),
            c.env.as_deref().unwrap_or(&[]),
        ));
    }
    for c in &spec.containers {
        out.push((
            c.env_from.as_deref().unwrap_or(&[]),
            c.env.as_deref().unwrap_or(&[]),
        ));
    }
    for c in spec.ephemeral_containers.iter().flatten() {
        out.push((
            c.env_from.as_deref().unwrap_or(&[]),
            c.env.as_deref().unwrap_or(&[]),
        ));
    }
    out
}

/// `VisitPodSecretNames` finds any non-empty secret name.
fn references_secrets(spec: &corev1::PodSpec) -> bool {
    let named = |name: &str| !name.is_empty();
    if spec
        .image_pull_secrets
        .iter()
        .flatten()
        .any(|r| named(&r.name))
    {
        return true;
    }
    for (env_from, env) in container_envs(spec) {
        let from = env_from
            .iter()
            .filter_map(|e| e.secret_ref.as_ref())
            .any(|r| named(&r.name));
        let vars = env
            .iter()
            .filter_map(|e| e.value_from.as_ref()?.secret_key_ref.as_ref())
            .any(|r| named(&r.name));
        if from || vars {
            return true;
        }
    }
    let local_ref =
        |r: &Option<corev1::LocalObjectReference>| r.as_ref().is_some_and(|r| named(&r.name));
    spec.volumes.iter().flatten().any(|v| {
        // Upstream looks at the first matching source only (a switch), in this order.
        if let Some(s) = &v.azure_file {
            return named(&s.secret_name);
        }
        if let Some(s) = &v.cephfs {
            return local_ref(&s.secret_ref);
        }
        if let Some(s) = &v.cinder {
            return local_ref(&s.secret_ref);
        }
        if let Some(s) = &v.flex_volume {
            return local_ref(&s.secret_ref);
        }
        if let Some(s) = &v.projected {
            return s
                .sources
                .iter()
                .flatten()
                .filter_map(|p| p.secret.as_ref())
                .any(|p| named(&p.name));
        }
        if let Some(s) = &v.rbd {
            return local_ref(&s.secret_ref);
        }
        if let Some(s) = &v.secret {
            return named(s.secret_name.as_deref().unwrap_or(""));
        }
        if let Some(s) = &v.scale_io {
            return named(&s.secret_ref.name);
        }
        if let Some(s) = &v.iscsi {
            return local_ref(&s.secret_ref);
        }
        if let Some(s) = &v.storageos {
            return local_ref(&s.secret_ref);
        }
        if let Some(s) = &v.csi {
            return local_ref(&s.node_publish_secret_ref);
        }
        false
    })
}

/// `VisitPodConfigmapNames` finds any non-empty configmap name.
fn references_config_maps(spec: &corev1::PodSpec) -> bool {
    for (env_from, env) in container_envs(spec) {
        let from = env_from
            .iter()
            .filter_map(|e| e.config_map_ref.as_ref())
            .any(|r| !r.name.is_empty());
        let vars = env
            .iter()
            .filter_map(|e| e.value_from.as_ref()?.config_map_key_ref.as_ref())
            .any(|r| !r.name.is_empty());
        if from || vars {
            return true;
        }
    }
    spec.volumes.iter().flatten().any(|v| {
        if let Some(s) = &v.projected {
            return s
                .sources
                .iter()
                .flatten()
                .filter_map(|p| p.config_map.as_ref())
                .any(|p| !p.name.is_empty());
        }
        v.config_map.as_ref().is_some_and(|c| !c.name.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(spec: corev1::PodSpec) -> corev1::Pod {
        corev1::Pod {
            spec: Some(spec),
            ..Default::default()
        }
    }

    fn with_volume(volume: corev1::Volume) -> corev1::Pod {
        pod(corev1::PodSpec {
            volumes: Some(vec![volume]),
            ..Default::default()
        })
    }

    fn volume(name: &str) -> corev1::Volume {
        corev1::Volume {
            name: name.to_string(),
            ..Default::default()
        }
    }

    fn projected(source: corev1::VolumeProjection) -> corev1::Pod {
        with_volume(corev1::Volume {
            projected: Some(corev1::ProjectedVolumeSource {
                sources: Some(vec![source]),
                ..Default::default()
            }),
            ..volume("p")
        })
    }

    fn reference(pod: &corev1::Pod) -> Option<String> {
        api_object_reference(pod)
    }

    #[test]
    fn host_only_pods_reference_nothing() {
        let p = with_volume(corev1::Volume {
            host_path: Some(corev1::HostPathVolumeSource {
                path: "/etc/kubernetes".to_string(),
                type_: None,
            }),
            ..volume("k8s")
        });
        assert_eq!(reference(&p), None);
        let p = with_volume(corev1::Volume {
            empty_dir: Some(Default::default()),
            ..volume("scratch")
        });
        assert_eq!(reference(&p), None);
        let p = projected(corev1::VolumeProjection {
            downward_api: Some(Default::default()),
            ..Default::default()
        });
        assert_eq!(reference(&p), None);
        assert_eq!(reference(&corev1::Pod::default()), None);
    }

    #[test]
    fn service_accounts() {
        let p = pod(corev1::PodSpec {
            service_account_name: Some("builder".to_string()),
            ..Default::default()
        });
        assert_eq!(reference(&p).as_deref(), Some("serviceaccounts"));
        let p = pod(corev1::PodSpec {
            service_account: Some("builder".to_string()),
            ..Default::default()
        });
        assert_eq!(
            static_pod_reference_error(&p).as_deref(),
            Some("static pods may not reference serviceaccounts")
        );
    }

    #[test]
    fn secrets_and_config_maps_from_env_and_pull_secrets() {
        let c = corev1::Container {
            name: "c".to_string(),
            env: Some(vec![corev1::EnvVar {
                name: "PASSWORD".to_string(),
                value_from: Some(corev1::EnvVarSource {
                    secret_key_ref: Some(corev1::SecretKeySelector {
                        name: "db".to_string(),
                        key: "password".to_string(),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let p = pod(corev1::PodSpec {
            containers: vec![c],
            ..Default::default()
        });
        assert_eq!(reference(&p).as_deref(), Some("secrets"));
        let p = pod(corev1::PodSpec {
            image_pull_secrets: Some(vec![corev1::LocalObjectReference {
                name: "regcred".to_string(),
            }]),
            ..Default::default()
        });
        assert_eq!(reference(&p).as_deref(), Some("secrets"));
        let c = corev1::Container {
            name: "c".to_string(),
            env_from: Some(vec![corev1::EnvFromSource {
                config_map_ref: Some(corev1::ConfigMapEnvSource {
                    name: "settings".to_string(),
                    ..Default::default()
                }),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let p = pod(corev1::PodSpec {
            init_containers: Some(vec![c]),
            ..Default::default()
        });
        assert_eq!(reference(&p).as_deref(), Some("configmaps"));
    }

    #[test]
    fn named_secret_and_config_map_volumes_count_as_plain_references() {
        // A named secret volume is found by VisitPodSecretNames first.
        let p = with_volume(corev1::Volume {
            secret: Some(corev1::SecretVolumeSource {
                secret_name: Some("tls".to_string()),
                ..Default::default()
            }),
            ..volume("tls")
        });
        assert_eq!(reference(&p).as_deref(), Some("secrets"));
        let p = with_volume(corev1::Volume {
            config_map: Some(corev1::ConfigMapVolumeSource {
                name: "conf".to_string(),
                ..Default::default()
            }),
            ..volume("conf")
        });
        assert_eq!(reference(&p).as_deref(), Some("configmaps"));
    }

    #[test]
    fn volume_kinds() {
        let cases: Vec<(corev1::Volume, &str)> = vec![
            (
                corev1::Volume {
                    config_map: Some(Default::default()),
                    ..volume("v")
                },
                "configmaps (via configmap volumes)",
            ),
            (
                corev1::Volume {
                    secret: Some(Default::default()),
                    ..volume("v")
                },
                "secrets (via secret volumes)",
            ),
            (
                corev1::Volume {
                    csi: Some(corev1::CSIVolumeSource {
                        driver: "csi.example.com".to_string(),
                        ..Default::default()
                    }),
                    ..volume("v")
                },
                "csidrivers (via CSI volumes)",
            ),
            (
                corev1::Volume {
                    glusterfs: Some(Default::default()),
                    ..volume("v")
                },
                "endpoints (via glusterFS volumes)",
            ),
            (
                corev1::Volume {
                    persistent_volume_claim: Some(corev1::PersistentVolumeClaimVolumeSource {
                        claim_name: "data".to_string(),
                        read_only: None,
                    }),
                    ..volume("v")
                },
                "persistentvolumeclaims",
            ),
            (
                corev1::Volume {
                    ephemeral: Some(Default::default()),
                    ..volume("v")
                },
                "persistentvolumeclaims (via ephemeral volumes)",
            ),
            (
                corev1::Volume {
                    azure_file: Some(Default::default()),
                    ..volume("v")
                },
                "secrets (via azureFile volumes)",
            ),
        ];
        for (v, want) in cases {
            assert_eq!(reference(&with_volume(v)).as_deref(), Some(want));
        }
    }

    #[test]
    fn projected_sources() {
        let cases: Vec<(corev1::VolumeProjection, &str)> = vec![
            (
                corev1::VolumeProjection {
                    config_map: Some(Default::default()),
                    ..Default::default()
                },
                "configmaps (via projected volumes)",
            ),
            (
                corev1::VolumeProjection {
                    secret: Some(Default::default()),
                    ..Default::default()
                },
                "secrets (via projected volumes)",
            ),
            (
                corev1::VolumeProjection {
                    service_account_token: Some(Default::default()),
                    ..Default::default()
                },
                "serviceaccounts (via projected volumes)",
            ),
            (
                corev1::VolumeProjection {
                    cluster_trust_bundle: Some(Default::default()),
                    ..Default::default()
                },
                "clustertrustbundles",
            ),
            (
                corev1::VolumeProjection {
                    pod_certificate: Some(Default::default()),
                    ..Default::default()
                },
                "podcertificates",
            ),
        ];
        for (source, want) in cases {
            assert_eq!(reference(&projected(source)).as_deref(), Some(want));
        }
        let p = projected(corev1::VolumeProjection {
            cluster_trust_bundle: Some(Default::default()),
            ..Default::default()
        });
        assert_eq!(
            static_pod_reference_error(&p).as_deref(),
            Some("static pods may not reference clustertrustbundles")
        );
    }

    #[test]
    fn resource_claims() {
        let p = pod(corev1::PodSpec {
            resource_claims: Some(vec![corev1::PodResourceClaim {
                name: "my-claim".to_string(),
                resource_claim_name: Some("some-external-claim".to_string()),
                ..Default::default()
            }]),
            ..Default::default()
        });
        assert_eq!(
            static_pod_reference_error(&p).as_deref(),
            Some("static pods may not reference resourceclaims")
        );
    }

    #[test]
    fn unknown_sources_are_errors() {
        let p = with_volume(volume("bare"));
        assert_eq!(
            has_api_object_reference(&p),
            Err("unknown volume type for volume  \"bare\"".to_string())
        );
        assert_eq!(api_object_reference(&p), None);
        let p = projected(corev1::VolumeProjection::default());
        assert_eq!(
            static_pod_reference_error(&p).as_deref(),
            Some("unknown source for projected volume \"p\"")
        );
    }
}
