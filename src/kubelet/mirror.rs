//! Mirrors `pkg/kubelet/pod/mirror_client.go` and `tryReconcileMirrorPods` in
//! `pkg/kubelet/kubelet.go` (v1.34): a static pod's mirror in the API server — created with
//! the `kubernetes.io/config.mirror` annotation and an ownerReference to the Node, deleted (grace
//! 0) and recreated when it no longer matches or a user deleted it.

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::kubelet::client::ApiClient;
use crate::kubelet::context::Ctx;
use crate::kubelet::pod_manager::is_mirror_pod_of;
use crate::kubelet::types::{
    annotation, is_static_pod, pod_full_name, pod_name, pod_namespace, pod_ref, pod_uid,
    set_annotation, CONFIG_HASH_ANNOTATION_KEY, CONFIG_MIRROR_ANNOTATION_KEY,
};
use crate::sim::trace::{Event, LogLine, PodRef};

/// `CreateMirrorPod`: the static pod's copy, owned by the node.
pub fn create_mirror_pod(
    ctx: &mut Ctx<'_>,
    api: &mut ApiServer,
    pods: &mut dyn ApiClient,
    pod: &corev1::Pod,
    node_name: &str,
) -> Result<(), String> {
    let node: corev1::Node = api
        .get(Resource::Nodes, "", node_name)
        .map_err(|err| format!("failed to get node UID: {err}"))?;
    let node_uid = node.metadata.uid.clone().unwrap_or_default();
    if node_uid.is_empty() {
        return Err(format!("UID unset for node {node_name}"));
    }
    let hash = annotation(pod, CONFIG_HASH_ANNOTATION_KEY)
        .unwrap_or_default()
        .to_string();
    let mut mirror = pod.clone();
    set_annotation(&mut mirror, CONFIG_MIRROR_ANNOTATION_KEY, &hash);
    mirror.metadata.owner_references = Some(vec![OwnerReference {
        api_version: "v1".into(),
        kind: "Node".into(),
        name: node_name.to_string(),
        uid: node_uid,
        controller: Some(true),
        block_owner_deletion: None,
    }]);
    mirror.metadata.uid = None;
    mirror.metadata.resource_version = None;
    mirror.metadata.creation_timestamp = None;
    mirror.status = None;
    let written = PodRef::new(pod_namespace(&mirror), pod_name(&mirror), pod_uid(pod));
    let outcome = match pods.create_pod(ctx, api, mirror) {
        Ok(()) => Ok(()),
        Err(ApiError::AlreadyExists { .. }) => {
            // An existing mirror with the same hash is what we wanted anyway.
            let existing: Option<corev1::Pod> = api
                .get(
                    Resource::Pods,
                    pod.metadata.namespace.as_deref().unwrap_or_default(),
                    pod.metadata.name.as_deref().unwrap_or_default(),
                )
                .ok();
            match existing {
                Some(e) if annotation(&e, CONFIG_MIRROR_ANNOTATION_KEY) == Some(hash.as_str()) => {
                    Ok(())
                }
                _ => Err(format!(
                    "pods {:?} already exists",
                    pod.metadata.name.as_deref().unwrap_or_default()
                )),
            }
        }
        Err(err) => Err(err.to_string()),
    };
    ctx.record(Event::MirrorWritten {
        action: "create",
        pod: Box::new(written),
        hash,
        node: node_name.to_string(),
        error: outcome.clone().err(),
    });
    outcome
}

/// `DeleteMirrorPod`: deletes by full name with grace 0; `Ok(true)` if something was deleted.
/// Missing objects and UID mismatches are not errors.
pub fn delete_mirror_pod(
    ctx: &mut Ctx<'_>,
    api: &mut ApiServer,
    pods: &mut dyn ApiClient,
    full_name: &str,
    uid: Option<&str>,
) -> Result<bool, String> {
    let Some((name, namespace)) = parse_pod_full_name(full_name) else {
        ctx.log(
            LogLine::error("mirror_client.go:104", "Failed to parse a pod full name")
                .with(
                    "err",
                    format!("failed to parse the pod full name {full_name:?}"),
                )
                .with("podFullName", full_name),
        );
        return Ok(false);
    };
    ctx.log(
        LogLine::info(2, "mirror_client.go:108", "Deleting a mirror pod")
            .with("pod", format!("{namespace}/{name}"))
            .with("podUID", uid.unwrap_or_default()),
    );
    let result = pods.delete_pod(ctx, api, &namespace, &name, Some(0), uid);
    ctx.record(Event::MirrorWritten {
        action: "delete",
        pod: Box::new(PodRef::new(
            namespace.as_str(),
            name.as_str(),
            uid.unwrap_or_default(),
        )),
        hash: String::new(),
        node: String::new(),
        error: result.as_ref().err().map(ToString::to_string),
    });
    match result {
        Ok(()) => Ok(true),
        Err(ApiError::NotFound { .. } | ApiError::Conflict { .. }) => Ok(false),
        Err(err) => {
            ctx.log(
                LogLine::error("mirror_client.go:121", "Failed deleting a mirror pod")
                    .with("err", err.to_string())
                    .with("pod", format!("{namespace}/{name}")),
            );
            Err(err.to_string())
        }
    }
}

/// `ParsePodFullName`: `name_namespace` → (name, namespace).
pub fn parse_pod_full_name(full_name: &str) -> Option<(String, String)> {
    let mut parts = full_name.split('_');
    let name = parts.next()?;
    let namespace = parts.next()?;
    if parts.next().is_some() || name.is_empty() || namespace.is_empty() {
        return None;
    }
    Some((name.to_string(), namespace.to_string()))
}

/// `tryReconcileMirrorPods`: replaces a mirror that is being deleted or no longer matches,
/// and creates a missing one once the node is registered.
pub fn try_reconcile_mirror_pods(
    ctx: &mut Ctx<'_>,
    api: &mut ApiServer,
    pods: &mut dyn ApiClient,
    pod: &corev1::Pod,
    mirror: Option<&corev1::Pod>,
    node_name: &str,
) {
    if !is_static_pod(pod) {
        return;
    }
    let full_name = pod_full_name(pod);
    let mut have_mirror = mirror.is_some();
    if let Some(mirror) = mirror {
        if mirror.metadata.deletion_timestamp.is_some() || !is_mirror_pod_of(mirror, pod) {
            let mirror_uid = mirror.metadata.uid.clone().unwrap_or_default();
            ctx.log(
                LogLine::info(0, "kubelet.go:1954", "Trying to delete pod")
                    .with("pod", pod_ref(pod).to_string())
                    .with("podUID", &mirror_uid),
            );
            match delete_mirror_pod(ctx, api, pods, &full_name, Some(&mirror_uid)) {
                Err(err) => ctx.log(
                    LogLine::error("kubelet.go:1957", "Failed deleting mirror pod")
                        .with("err", err)
                        .with("pod", pod_ref(mirror).to_string()),
                ),
                Ok(true) => {
                    ctx.log(
                        LogLine::info(
                            0,
                            "kubelet.go:1959",
                            "Deleted mirror pod as it didn't match the static Pod",
                        )
                        .with("pod", pod_ref(mirror).to_string()),
                    );
                    have_mirror = false;
                }
                Ok(false) => have_mirror = false,
            }
        }
    }
    if have_mirror {
        return;
    }
    match api.get::<corev1::Node>(Resource::Nodes, "", node_name) {
        Err(err) => ctx.log(
            LogLine::info(
                4,
                "kubelet.go:1968",
                "No need to create a mirror pod, since failed to get node info from the cluster",
            )
            .with("node", node_name)
            .with("err", err.to_string()),
        ),
        Ok(node) if node.metadata.deletion_timestamp.is_some() => ctx.log(
            LogLine::info(
                4,
                "kubelet.go:1970",
                "No need to create a mirror pod, since node has been removed from the cluster",
            )
            .with("node", node_name),
        ),
        Ok(_) => {
            ctx.log(
                LogLine::info(4, "kubelet.go:1972", "Creating a mirror pod for static pod")
                    .with("pod", pod_ref(pod).to_string()),
            );
            if let Err(err) = create_mirror_pod(ctx, api, pods, pod, node_name) {
                ctx.log(
                    LogLine::error("kubelet.go:1974", "Failed creating a mirror pod")
                        .with("err", err)
                        .with("pod", pod_ref(pod).to_string()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use serde_json::json;

    use super::*;
    use crate::kubelet::events::PendingEvent;
    use crate::sim::trace::Trace;
    use crate::sim::{Rng, SimTime};

    /// A mirror client that records calls (upstream's fake mirror client) and stores pods.
    #[derive(Default)]
    struct FakeClient {
        creates: BTreeMap<String, u32>,
        deletes: BTreeMap<String, u32>,
        created: Vec<corev1::Pod>,
    }

    impl ApiClient for FakeClient {
        fn create_pod(
            &mut self,
            ctx: &mut Ctx<'_>,
            api: &mut ApiServer,
            pod: corev1::Pod,
        ) -> Result<(), ApiError> {
            *self.creates.entry(pod_full_name(&pod)).or_default() += 1;
            self.created.push(pod.clone());
            api.create(ctx.now, ctx.rng, Resource::Pods, &pod)
                .map(|_: corev1::Pod| ())
        }

        fn delete_pod(
            &mut self,
            _ctx: &mut Ctx<'_>,
            api: &mut ApiServer,
            namespace: &str,
            name: &str,
            _grace: Option<i64>,
            _uid: Option<&str>,
        ) -> Result<(), ApiError> {
            *self
                .deletes
                .entry(format!("{name}_{namespace}"))
                .or_default() += 1;
            api.remove(Resource::Pods, namespace, name).map(|_| ())
        }

        fn record_event(
            &mut self,
            _ctx: &mut Ctx<'_>,
            _api: &mut ApiServer,
            _event: &PendingEvent,
            _host: &str,
        ) -> Result<(), ApiError> {
            Ok(())
        }
    }

    fn static_pod(name: &str, ns: &str, hash: &str, image: &str) -> corev1::Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": ns, "uid": "12345678",
                "annotations": {"kubernetes.io/config.source": "file", "kubernetes.io/config.hash": hash}},
            "spec": {"containers": [{"name": "1234", "image": image}]}
        }))
        .unwrap()
    }

    fn api_with_node(uid: Option<&str>) -> ApiServer {
        let mut api = ApiServer::new("controlplane:6443");
        let node = corev1::Node {
            metadata: ObjectMeta {
                name: Some("test-node-name".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut rng = Rng::seeded(1);
        let _: corev1::Node = api
            .create(SimTime::ZERO, &mut rng, Resource::Nodes, &node)
            .unwrap();
        // The API server always assigns a UID; G9 needs a node without one.
        if uid.is_none() {
            let key =
                crate::apiserver::store::ObjectKey::new(Resource::Nodes, "", "test-node-name");
            let mut value = api.store().get_value(&key).unwrap().clone();
            value["metadata"].as_object_mut().unwrap().remove("uid");
            api.store_mut().put(key, value);
        }
        api
    }

    fn ctx<'a>(rng: &'a mut Rng, trace: &'a mut Trace) -> Ctx<'a> {
        Ctx {
            now: SimTime::ZERO,
            host: "test-node-name",
            rng,
            trace,
        }
    }

    /// `CreateMirrorPod` of the G8–G10 static pod on node `test-node-name` against `api`.
    fn create_test_mirror(mut api: ApiServer) -> (Result<(), String>, FakeClient) {
        let (mut rng, mut trace) = (Rng::seeded(1), Trace::default());
        let mut client = FakeClient::default();
        let pod = static_pod("test-pod-name", "test-pod-ns", "123456789", "foo");
        let res = create_mirror_pod(
            &mut ctx(&mut rng, &mut trace),
            &mut api,
            &mut client,
            &pod,
            "test-node-name",
        );
        (res, client)
    }

    // G8: the node cannot be read, so nothing is created.
    #[test]
    fn g8_create_fails_without_the_node() {
        let (res, client) = create_test_mirror(ApiServer::new("controlplane:6443"));
        assert!(res.is_err());
        assert!(client.created.is_empty());
    }

    // G9: a node without a UID cannot own the mirror.
    #[test]
    fn g9_create_fails_when_the_node_has_no_uid() {
        let (res, client) = create_test_mirror(api_with_node(None));
        assert_eq!(res, Err("UID unset for node test-node-name".to_string()));
        assert!(client.created.is_empty());
    }

    // G10: the mirror carries the hash and exactly one controller reference to the node.
    #[test]
    fn g10_mirror_has_the_hash_and_a_node_owner() {
        let (mut rng, mut trace) = (Rng::seeded(1), Trace::default());
        let mut api = api_with_node(Some("assigned"));
        let node: corev1::Node = api.get(Resource::Nodes, "", "test-node-name").unwrap();
        let mut client = FakeClient::default();
        let pod = static_pod("test-pod-name", "test-pod-ns", "123456789", "foo");
        create_mirror_pod(
            &mut ctx(&mut rng, &mut trace),
            &mut api,
            &mut client,
            &pod,
            "test-node-name",
        )
        .unwrap();
        let mirror = &client.created[0];
        assert_eq!(
            annotation(mirror, CONFIG_MIRROR_ANNOTATION_KEY),
            Some("123456789")
        );
        let owners = mirror.metadata.owner_references.clone().unwrap();
        assert_eq!(owners.len(), 1);
        assert_eq!(owners[0].api_version, "v1");
        assert_eq!(owners[0].kind, "Node");
        assert_eq!(owners[0].name, "test-node-name");
        assert_eq!(Some(owners[0].uid.clone()), node.metadata.uid);
        assert_eq!(owners[0].controller, Some(true));
        assert_eq!(owners[0].block_owner_deletion, None);
    }

    // G3: a mirror whose hash no longer matches is deleted once and recreated once.
    #[test]
    fn g3_outdated_mirror_is_replaced() {
        let (mut rng, mut trace) = (Rng::seeded(1), Trace::default());
        let mut api = api_with_node(Some("assigned"));
        let mut client = FakeClient::default();
        let pod = static_pod("foo", "ns", "12345678", "foo");
        let mut mirror = static_pod("foo", "ns", "11111111", "bar");
        mirror.metadata.uid = Some("11111111".into());
        set_annotation(&mut mirror, "kubernetes.io/config.source", "api");
        set_annotation(&mut mirror, CONFIG_MIRROR_ANNOTATION_KEY, "mirror");
        let _: corev1::Pod = api
            .create(SimTime::ZERO, &mut rng, Resource::Pods, &mirror)
            .unwrap();
        try_reconcile_mirror_pods(
            &mut ctx(&mut rng, &mut trace),
            &mut api,
            &mut client,
            &pod,
            Some(&mirror),
            "test-node-name",
        );
        assert_eq!(client.deletes.get("foo_ns"), Some(&1));
        assert_eq!(client.creates.get("foo_ns"), Some(&1));
    }

    // Port of TestParsePodFullName (G7).
    #[test]
    fn parse_pod_full_name_cases() {
        let ok = [
            ("bar_foo", ("bar", "foo")),
            ("bar.org_foo.com", ("bar.org", "foo.com")),
            ("bar-bar_foo", ("bar-bar", "foo")),
        ];
        for (full, (name, ns)) in ok {
            assert_eq!(
                parse_pod_full_name(full),
                Some((name.to_string(), ns.to_string())),
                "{full}"
            );
        }
        for bad in ["barfoo", "bar_foo_foo", "", "bar_", "_foo"] {
            assert_eq!(parse_pod_full_name(bad), None, "{bad:?}");
        }
    }
}
