//! `kubectl describe replicaset` (`ReplicaSetDescriber`, `describeReplicaSet`,
//! `getPodStatusForController`, v1.34): the header, the controller, the replica counts, the
//! phases of the pods it controls, its pod template, conditions and events.

use serde_json::Value;

use super::{
    conditions_table, describe_events, describe_pod_template, object_events,
    pod_status_for_controller, print_metadata_maps, PrefixWriter,
};
use crate::shell::commands::kubectl::objutil::{
    controller_of, get, int_at, label_selector, name, namespace, str_at,
};
use crate::sim::SimTime;

/// `metav1.FormatLabelSelector`: the selector's text, `<none>` when it selects everything.
fn format_label_selector(selector: Option<&Value>) -> String {
    let text = label_selector(selector)
        .map(|s| s.to_text())
        .unwrap_or_default();
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text
    }
}

/// What `kubectl describe replicaset` prints. `pods` are the pods of the set's namespace
/// (those its selector matches and it controls are counted), or the message of the failed
/// pod list; `events` the namespace's events, `None` without an Events section.
pub fn describe_replica_set(
    set: &Value,
    pods: Result<&[Value], &str>,
    events: Option<&[Value]>,
    now: SimTime,
) -> String {
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", name(set)));
    w.write(0, &format!("Namespace:\t{}\n", namespace(set)));
    w.write(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(get(set, &["spec", "selector"]))
        ),
    );
    print_metadata_maps(&mut w, set);
    if let Some(owner) = controller_of(set) {
        w.write(
            0,
            &format!(
                "Controlled By:\t{}/{}\n",
                str_at(owner, &["kind"]),
                str_at(owner, &["name"])
            ),
        );
    }
    w.write(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            int_at(set, &["status", "replicas"]),
            get(set, &["spec", "replicas"])
                .and_then(Value::as_i64)
                .unwrap_or(1)
        ),
    );
    w.write(0, "Pods Status:\t");
    match pods {
        Ok(pods) => {
            let (running, waiting, succeeded, failed) = pod_status_for_controller(set, pods);
            w.write(
                0,
                &format!(
                    "{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
                ),
            );
        }
        Err(message) => w.write(0, &format!("error in fetching pods: {message}\n")),
    }
    describe_pod_template(&mut w, get(set, &["spec", "template"]));
    conditions_table(&mut w, set);
    if let Some(events) = events {
        describe_events(&mut w, &object_events(set, "ReplicaSet", events), now);
    }
    w.finish()
}
