//! kubectl's pod updates go through the API server's `ValidatePodUpdate`: the fields upstream
//! lets change (images, `activeDeadlineSeconds` set or lowered, added tolerations) change, the
//! rest is refused in upstream's words, and the stored status survives an apply.

use kubelet_playground::playground::{Playground, SimDuration};

const POD: &str = "cat <<'EOF' > api.yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
  - name: api
    image: nginx:1.27
EOF
";

fn output(playground: &mut Playground, command: &str) -> (String, i32) {
    let result = playground.run(command).result;
    (result.output, result.exit_code)
}

#[test]
fn apply_may_add_tolerations_and_a_deadline_but_not_change_the_command() {
    let mut playground = Playground::new(1).unwrap();
    playground.run(POD);
    assert_eq!(
        output(&mut playground, "kubectl apply -f api.yaml\n").0,
        "pod/api created\n"
    );
    playground.advance(SimDuration::from_secs(20));

    playground.run(
        "printf '  tolerations:\\n  - {key: spot, operator: Exists}\\n  activeDeadlineSeconds: 3600\\n' >> api.yaml\n",
    );
    assert_eq!(
        output(&mut playground, "kubectl apply -f api.yaml\n"),
        ("pod/api configured\n".to_string(), 0)
    );
    let (fields, _) = output(
        &mut playground,
        "kubectl get pod api -o jsonpath='{.spec.tolerations[*].key} {.spec.activeDeadlineSeconds} {.status.phase}'\n",
    );
    assert!(fields.starts_with("spot"), "{fields}");
    assert!(
        fields.ends_with(" 3600 Running"),
        "the status survives: {fields}"
    );

    // Raising the deadline is refused, with upstream's message.
    playground
        .run("sed -i 's/activeDeadlineSeconds: 3600/activeDeadlineSeconds: 7200/' api.yaml\n");
    let (out, code) = output(&mut playground, "kubectl apply -f api.yaml\n");
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "The Pod \"api\" is invalid: spec.activeDeadlineSeconds: Invalid value: 7200: must be less than or equal to previous value\n"
    );

    playground
        .run("sed -i 's/activeDeadlineSeconds: 7200/activeDeadlineSeconds: 3600/' api.yaml\n");
    playground.run("sed -i 's/    image: nginx:1.27/    image: nginx:1.27\\n    command: [sleep, \"60\"]/' api.yaml\n");
    let (out, code) = output(&mut playground, "kubectl apply -f api.yaml\n");
    assert_eq!(code, 1);
    assert!(
        out.starts_with("The Pod \"api\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"),
        "{out}"
    );
}

#[test]
fn labels_on_a_pod_go_through_the_same_update() {
    let mut playground = Playground::new(1).unwrap();
    playground.run(POD);
    playground.run("kubectl apply -f api.yaml\n");
    assert_eq!(
        output(&mut playground, "kubectl label pod api tier=web\n"),
        ("pod/api labeled\n".to_string(), 0)
    );
    let (labels, _) = output(
        &mut playground,
        "kubectl get pod api --show-labels --no-headers\n",
    );
    assert!(labels.contains("tier=web"), "{labels}");
}
