//! Mirrors `pkg/kubelet/kubelet_node_status.go` and `nodestatus/setters.go` (v1.34): the
//! kubelet registers its Node and computes its status (conditions, addresses, capacity, node
//! info, images) every `nodeStatusUpdateFrequency` (10 s), but posts it only when it changed
//! (heartbeat times aside: `nodeStatusHasChanged`) or `nodeStatusReportFrequency` (5 min) has
//! passed since the last post (`tryUpdateNodeStatus`). The 10 s heartbeat is the node Lease
//! (`node_lease`), so `kubectl describe node` shows heartbeat times up to 5 min old.
//!
//! Simplified: no random delay after a status change (upstream spreads the next periodic
//! report of a fleet of nodes); `nodeStatusUpdateFrequency` and `nodeStatusReportFrequency`
//! are the defaults (the config fields are accepted but not read).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::apiserver::store::Resource;
use crate::apiserver::ApiServer;
use crate::kubelet::context::Ctx;
use crate::kubelet::cri::ImageInfo;
use crate::kubelet::server::KUBELET_VERSION;
use crate::sim::trace::LogLine;
use crate::sim::wallclock::k8s_time;
use crate::sim::{SimDuration, SimTime};

/// How often the node status is computed (`nodeStatusUpdateFrequency`).
pub const NODE_STATUS_UPDATE_FREQUENCY: SimDuration = SimDuration::from_secs(10);
/// How often an unchanged node status is posted anyway (`nodeStatusReportFrequency`).
pub const NODE_STATUS_REPORT_FREQUENCY: SimDuration = SimDuration::from_mins(5);

/// What the kubelet knows about its machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineInfo {
    /// The node name.
    pub name: String,
    /// The node's IP.
    pub ip: String,
    /// CPUs.
    pub cpus: u32,
    /// Memory, in KiB.
    pub memory_kib: u64,
    /// `maxPods`.
    pub max_pods: i64,
    /// The OS image, e.g. `Ubuntu 24.04.3 LTS`.
    pub os_image: String,
}

/// Registers the node (`registerWithAPIServer`). Returns whether the Node now exists.
/// `server` is the kubeconfig's API server URL, which the error messages quote.
pub fn register_node(
    ctx: &mut Ctx<'_>,
    api: &mut ApiServer,
    machine: &MachineInfo,
    server: &str,
) -> bool {
    ctx.log(
        LogLine::info(
            0,
            "kubelet_node_status.go:75",
            "Attempting to register node",
        )
        .with("node", &machine.name),
    );
    if api.check().is_err() {
        let err = api.check().unwrap_err();
        ctx.log(
            LogLine::error(
                "kubelet_node_status.go:107",
                "Unable to register node with API server",
            )
            .with("err", format!("Post \"{server}/api/v1/nodes\": {err}"))
            .with("node", &machine.name),
        );
        return false;
    }
    if api
        .get_shared::<corev1::Node>(Resource::Nodes, "", &machine.name)
        .is_ok()
    {
        ctx.log(
            LogLine::info(
                0,
                "kubelet_node_status.go:127",
                "Node was previously registered",
            )
            .with("node", &machine.name),
        );
        return true;
    }
    let mut node = corev1::Node::default();
    node.metadata.name = Some(machine.name.clone());
    node.metadata.labels = Some(
        [
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/hostname", machine.name.as_str()),
            ("kubernetes.io/os", "linux"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
    );
    node.metadata.annotations = Some(
        [(
            "volumes.kubernetes.io/controller-managed-attach-detach".to_string(),
            "true".to_string(),
        )]
        .into(),
    );
    node.status = Some(status(ctx, machine, &[], None));
    match api.create(ctx.now, ctx.rng, Resource::Nodes, &node) {
        Ok(_) => {
            ctx.log(
                LogLine::info(
                    0,
                    "kubelet_node_status.go:78",
                    "Successfully registered node",
                )
                .with("node", &machine.name),
            );
            true
        }
        Err(err) => {
            ctx.log(
                LogLine::error(
                    "kubelet_node_status.go:107",
                    "Unable to register node with API server",
                )
                .with("err", err.to_string())
                .with("node", &machine.name),
            );
            false
        }
    }
}

/// Posts the node's status (`updateNodeStatus`) if it changed or the last post (`last_report`,
/// updated here) is `nodeStatusReportFrequency` old; errors are logged, not fatal.
pub fn update_node_status(
    ctx: &mut Ctx<'_>,
    api: &mut ApiServer,
    machine: &MachineInfo,
    images: &[ImageInfo],
    last_report: &mut Option<SimTime>,
) {
    // Shared with the store: the status is only read here, and posted as a new value.
    let node = match api.get_shared::<corev1::Node>(Resource::Nodes, "", &machine.name) {
        Ok(node) => node,
        Err(err) => {
            ctx.log(
                LogLine::error(
                    "kubelet_node_status.go:581",
                    "Error updating node status, will retry",
                )
                .with(
                    "err",
                    format!("error getting node {:?}: {err}", machine.name),
                ),
            );
            return;
        }
    };
    let new_status = status(ctx, machine, images, node.status.as_ref());
    let changed = node
        .status
        .as_ref()
        .is_none_or(|old| status_has_changed(old, &new_status));
    let report_due = last_report.is_none_or(|at| ctx.now >= at + NODE_STATUS_REPORT_FREQUENCY);
    if !changed && !report_due {
        return;
    }
    let value = serde_json::to_value(&new_status).unwrap_or_default();
    match api.update_status(Resource::Nodes, "", &machine.name, None, value) {
        Ok(()) => *last_report = Some(ctx.now),
        Err(err) => ctx.log(
            LogLine::error(
                "kubelet_node_status.go:581",
                "Error updating node status, will retry",
            )
            .with("err", err.to_string()),
        ),
    }
}

/// `nodeStatusHasChanged`: whether `new` differs from `old` other than in the conditions'
/// heartbeat times (conditions compared by type, whatever their order). Compares in place:
/// it runs on every status computation, and nothing is copied to ignore the heartbeats.
pub fn status_has_changed(old: &corev1::NodeStatus, new: &corev1::NodeStatus) -> bool {
    conditions_have_changed(old.conditions.as_deref(), new.conditions.as_deref())
        || !same_but_conditions(old, new)
}

/// Whether two condition lists differ once sorted by type (stably, as upstream sorts copies)
/// with their heartbeat times ignored.
fn conditions_have_changed(
    old: Option<&[corev1::NodeCondition]>,
    new: Option<&[corev1::NodeCondition]>,
) -> bool {
    let (old, new) = (sorted_by_type(old), sorted_by_type(new));
    old.len() != new.len()
        || old
            .iter()
            .zip(&new)
            .any(|(old, new)| !same_but_heartbeat(old, new))
}

fn sorted_by_type(conditions: Option<&[corev1::NodeCondition]>) -> Vec<&corev1::NodeCondition> {
    let mut sorted: Vec<&corev1::NodeCondition> = conditions.unwrap_or_default().iter().collect();
    sorted.sort_by(|a, b| a.type_.cmp(&b.type_));
    sorted
}

/// Whether two conditions are equal apart from `lastHeartbeatTime`. Every field is named, so a
/// field added to the type is not silently left out of the comparison.
fn same_but_heartbeat(old: &corev1::NodeCondition, new: &corev1::NodeCondition) -> bool {
    let corev1::NodeCondition {
        last_heartbeat_time: _,
        last_transition_time,
        message,
        reason,
        status,
        type_,
    } = old;
    *last_transition_time == new.last_transition_time
        && *message == new.message
        && *reason == new.reason
        && *status == new.status
        && *type_ == new.type_
}

/// Whether two statuses are equal apart from their conditions; every field is named, as in
/// [`same_but_heartbeat`].
fn same_but_conditions(old: &corev1::NodeStatus, new: &corev1::NodeStatus) -> bool {
    let corev1::NodeStatus {
        addresses,
        allocatable,
        capacity,
        conditions: _,
        config,
        daemon_endpoints,
        features,
        images,
        node_info,
        phase,
        runtime_handlers,
        volumes_attached,
        volumes_in_use,
    } = old;
    *addresses == new.addresses
        && *allocatable == new.allocatable
        && *capacity == new.capacity
        && *config == new.config
        && *daemon_endpoints == new.daemon_endpoints
        && *features == new.features
        && *images == new.images
        && *node_info == new.node_info
        && *phase == new.phase
        && *runtime_handlers == new.runtime_handlers
        && *volumes_attached == new.volumes_attached
        && *volumes_in_use == new.volumes_in_use
}

fn status(
    ctx: &Ctx<'_>,
    machine: &MachineInfo,
    images: &[ImageInfo],
    old: Option<&corev1::NodeStatus>,
) -> corev1::NodeStatus {
    let now = k8s_time(ctx.now);
    let condition = |kind: &str, ok_status: &str, reason: &str, message: &str| {
        let previous = old
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == kind));
        let transition = match previous {
            Some(p) if p.status == ok_status => p.last_transition_time.clone(),
            _ => Some(now.clone()),
        };
        corev1::NodeCondition {
            type_: kind.to_string(),
            status: ok_status.to_string(),
            reason: Some(reason.to_string()),
            message: Some(message.to_string()),
            last_heartbeat_time: Some(now.clone()),
            last_transition_time: transition,
        }
    };
    let quantity = |s: String| Quantity(s);
    let mut capacity = BTreeMap::new();
    capacity.insert("cpu".to_string(), quantity(machine.cpus.to_string()));
    capacity.insert(
        "ephemeral-storage".to_string(),
        quantity("19221248Ki".into()),
    );
    capacity.insert("hugepages-1Gi".to_string(), quantity("0".into()));
    capacity.insert("hugepages-2Mi".to_string(), quantity("0".into()));
    capacity.insert(
        "memory".to_string(),
        quantity(format!("{}Ki", machine.memory_kib)),
    );
    capacity.insert("pods".to_string(), quantity(machine.max_pods.to_string()));
    let mut allocatable = capacity.clone();
    allocatable.insert(
        "ephemeral-storage".to_string(),
        quantity("17714280525".into()),
    );
    // The default hard eviction threshold (memory.available<100Mi) is held back.
    allocatable.insert(
        "memory".to_string(),
        quantity(format!("{}Ki", machine.memory_kib.saturating_sub(102_400))),
    );
    corev1::NodeStatus {
        addresses: Some(vec![
            corev1::NodeAddress {
                type_: "InternalIP".into(),
                address: machine.ip.clone(),
            },
            corev1::NodeAddress {
                type_: "Hostname".into(),
                address: machine.name.clone(),
            },
        ]),
        allocatable: Some(allocatable),
        capacity: Some(capacity),
        conditions: Some(vec![
            condition(
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            condition(
                "DiskPressure",
                "False",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
            ),
            condition(
                "PIDPressure",
                "False",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
            condition(
                "Ready",
                "True",
                "KubeletReady",
                "kubelet is posting ready status",
            ),
        ]),
        daemon_endpoints: Some(corev1::NodeDaemonEndpoints {
            kubelet_endpoint: Some(corev1::DaemonEndpoint { port: 10250 }),
        }),
        images: Some(
            images
                .iter()
                .map(|i| corev1::ContainerImage {
                    names: Some(
                        i.repo_digests
                            .iter()
                            .chain(i.repo_tags.iter())
                            .cloned()
                            .collect(),
                    ),
                    size_bytes: Some(i.size as i64),
                })
                .collect(),
        ),
        node_info: Some(corev1::NodeSystemInfo {
            architecture: "amd64".into(),
            boot_id: format!("{:08x}-8f2e-4c1d-9b7a-3e5f6a7b8c9d", fnv(&machine.name)),
            container_runtime_version: "containerd://1.7.27".into(),
            kernel_version: crate::node::kernel::KERNEL_RELEASE.into(),
            kube_proxy_version: String::new(),
            kubelet_version: KUBELET_VERSION.into(),
            machine_id: format!("{:032x}", u128::from(fnv(&machine.name)) * 0x9e37_79b9),
            operating_system: "linux".into(),
            os_image: machine.os_image.clone(),
            system_uuid: format!(
                "{:08x}-0000-4000-8000-{:012x}",
                fnv(&machine.ip),
                fnv(&machine.name)
            ),
            swap: None,
        }),
        // What the kubelet does not set is kept as posted (copied field by field: the rest of
        // the old status, images included, would be copied only to be dropped).
        config: old.and_then(|s| s.config.clone()),
        features: old.and_then(|s| s.features.clone()),
        phase: old.and_then(|s| s.phase.clone()),
        runtime_handlers: old.and_then(|s| s.runtime_handlers.clone()),
        volumes_attached: old.and_then(|s| s.volumes_attached.clone()),
        volumes_in_use: old.and_then(|s| s.volumes_in_use.clone()),
    }
}

fn fnv(text: &str) -> u32 {
    let mut hash: u32 = 0x811c9dc5;
    for b in text.as_bytes() {
        hash ^= u32::from(*b);
        hash = hash.wrapping_mul(0x01000193);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::trace::Trace;
    use crate::sim::Rng;

    fn machine() -> MachineInfo {
        MachineInfo {
            name: "node01".to_string(),
            ip: "172.30.2.2".to_string(),
            cpus: 1,
            memory_kib: 2_000_000,
            max_pods: 110,
            os_image: "Ubuntu 24.04.3 LTS".to_string(),
        }
    }

    /// The status the kubelet computes at `secs`, over `old`.
    fn status_at(secs: u64, old: Option<&corev1::NodeStatus>) -> corev1::NodeStatus {
        let mut rng = Rng::seeded(1);
        let mut trace = Trace::default();
        let ctx = Ctx {
            now: SimTime::ZERO + SimDuration::from_secs(secs),
            host: "node01",
            rng: &mut rng,
            trace: &mut trace,
        };
        status(&ctx, &machine(), &[], old)
    }

    #[test]
    fn a_new_heartbeat_alone_is_no_change_whatever_the_conditions_order() {
        let first = status_at(0, None);
        let later = status_at(10, Some(&first));
        assert_ne!(first, later, "the heartbeat times moved");
        assert!(!status_has_changed(&first, &later));
        let mut reordered = later.clone();
        reordered.conditions.as_mut().unwrap().reverse();
        assert!(!status_has_changed(&first, &reordered));
        assert!(!status_has_changed(&reordered, &first));
    }

    #[test]
    fn any_other_difference_is_a_change() {
        let first = status_at(0, None);
        let mut transition = first.clone();
        transition.conditions.as_mut().unwrap()[3].last_transition_time =
            Some(k8s_time(SimTime::ZERO + SimDuration::from_secs(5)));
        assert!(status_has_changed(&first, &transition));
        let mut fewer = first.clone();
        fewer.conditions.as_mut().unwrap().pop();
        assert!(status_has_changed(&first, &fewer));
        let mut none = first.clone();
        none.conditions = None;
        assert!(status_has_changed(&first, &none));
        let mut images = first.clone();
        images.images = None;
        assert!(status_has_changed(&first, &images));
        let mut phase = first.clone();
        phase.phase = Some("Running".to_string());
        assert!(status_has_changed(&first, &phase));
    }

    #[test]
    fn what_the_kubelet_does_not_set_is_kept_as_posted() {
        let mut posted = status_at(0, None);
        posted.phase = Some("Running".to_string());
        posted.volumes_in_use = Some(vec!["kubernetes.io/csi/pv".to_string()]);
        posted.capacity = None;
        let next = status_at(10, Some(&posted));
        assert_eq!(next.phase, posted.phase);
        assert_eq!(next.volumes_in_use, posted.volumes_in_use);
        assert_eq!(next.capacity, status_at(0, None).capacity, "recomputed");
    }
}
