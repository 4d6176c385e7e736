//! `kubectl describe namespace` (`describeNamespace`, `DescribeResourceQuotas`,
//! `DescribeLimitRanges`, v1.34): name, labels, annotations, phase, conditions, then the
//! namespace's resource quotas and limit ranges.
//!
//! Simplified: the playground serves neither ResourceQuotas nor LimitRanges, so no
//! namespace has any and both sections always print upstream's "none" lines (what kubectl
//! prints on a kubeadm cluster, which serves both kinds, for a namespace without them).

use serde_json::Value;

use super::{print_metadata_maps, PrefixWriter};
use crate::shell::commands::kubectl::objutil::{array_at, name, rfc1123z, str_at, time_at};

/// What `kubectl describe namespace` prints.
pub fn describe_namespace(namespace: &Value) -> String {
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", name(namespace)));
    print_metadata_maps(&mut w, namespace);
    w.write(
        0,
        &format!("Status:\t{}\n", str_at(namespace, &["status", "phase"])),
    );
    let conditions = array_at(namespace, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n");
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.write(1, "----\t------\t------------------\t------\t-------\n");
        for c in conditions {
            w.write(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    str_at(c, &["type"]),
                    str_at(c, &["status"]),
                    rfc1123z(time_at(c, &["lastTransitionTime"])),
                    str_at(c, &["reason"]),
                    str_at(c, &["message"])
                ),
            );
        }
    }
    w.write(0, "\n");
    w.write(0, "No resource quota.\n");
    w.write(0, "\n");
    w.write(0, "No LimitRange resource.\n");
    w.finish()
}
