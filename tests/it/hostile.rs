//! Hostile input: each answers with a clear error naming what is wrong (in the real tool's
//! words where it has them) and leaves the rest of the cluster alone. None of these may take
//! long; a quadratic path shows up as a test that never finishes.

use kubelet_playground::playground::Playground;
use kubelet_playground::sim::SimDuration;
use kubelet_playground::ui::line_edit::take_complete;

const MANIFESTS: &str = "/etc/kubernetes/manifests";

fn kubelet_journal(pg: &mut Playground) -> String {
    let ran = pg.run("journalctl -u kubelet --no-pager");
    assert_eq!(ran.result.exit_code, 0);
    ran.result.output
}

fn running_pods(pg: &mut Playground) -> usize {
    let ran = pg.run("kubectl get pods -A --no-headers");
    ran.result
        .output
        .lines()
        .filter(|l| l.contains("Running"))
        .count()
}

fn saved_then_settled(text: &str, file: &str) -> Playground {
    let mut pg = Playground::new(5).unwrap();
    pg.advance(SimDuration::from_secs(20));
    let before = running_pods(&mut pg);
    pg.save_file("controlplane", &format!("{MANIFESTS}/{file}"), text)
        .unwrap();
    pg.advance(SimDuration::from_secs(25));
    assert_eq!(
        running_pods(&mut pg),
        before,
        "the other pods are untouched"
    );
    pg
}

#[test]
fn a_yaml_alias_bomb_is_refused_with_libyamls_limit() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("apiVersion: v1\nkind: Pod\n");
    let mut pg = saved_then_settled(&text, "bomb.yaml");
    let journal = kubelet_journal(&mut pg);
    assert!(
        journal.contains("bomb.yaml: couldn't parse as pod(error converting YAML to JSON: yaml: repetition limit exceeded)"),
        "{journal}"
    );
}

#[test]
fn a_thousand_levels_of_nesting_are_refused_at_their_line() {
    let text = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\n  labels:\n    x: {}{}\n",
        "[".repeat(1000),
        "]".repeat(1000)
    );
    let mut pg = saved_then_settled(&text, "deep.yaml");
    let journal = kubelet_journal(&mut pg);
    assert!(
        journal.contains("deep.yaml: couldn't parse as pod(error converting YAML to JSON: yaml: line 6: recursion limit exceeded)"),
        "{journal}"
    );
}

#[test]
fn a_hundred_thousand_line_heredoc_is_read_in_one_pass() {
    let mut pasted = String::from("cat > /tmp/big <<'EOF'\n");
    for i in 0..100_000 {
        pasted.push_str(&format!("line {i}\n"));
    }
    pasted.push_str("EOF\nwc -l /tmp/big\n");
    let (commands, rest) = take_complete(&pasted);
    assert_eq!(commands.len(), 2);
    assert_eq!(rest, "");
    let mut pg = Playground::new(5).unwrap();
    assert_eq!(pg.run(&commands[0]).result.exit_code, 0);
    assert_eq!(pg.run("wc -l /tmp/big").result.output, "100000 /tmp/big\n");
}

#[test]
fn a_heredoc_still_ends_at_its_delimiter_when_lines_skip_the_parser() {
    // `<<-` strips leading tabs from the delimiter line; a body line that merely contains
    // the delimiter does not end it.
    let pasted = "cat <<-END\n\tEND is near\n\tEND\necho after\n";
    let (commands, rest) = take_complete(pasted);
    assert_eq!(
        commands,
        ["cat <<-END\n\tEND is near\n\tEND\n", "echo after\n"]
    );
    assert_eq!(rest, "");
}

#[test]
fn a_thousand_nested_command_substitutions_are_refused() {
    let line = format!("echo {}hi{}", "$(echo ".repeat(1000), ")".repeat(1000));
    let mut pg = Playground::new(5).unwrap();
    let ran = pg.run(&line);
    assert_eq!(ran.result.exit_code, 2);
    assert_eq!(
        ran.result.output,
        "bash: not supported in this playground: nesting deeper than 32 levels\n"
    );
    assert_eq!(pg.run("echo ok").result.output, "ok\n");
}

#[test]
fn a_fork_bomb_is_refused_and_the_shell_goes_on() {
    let mut pg = Playground::new(5).unwrap();
    let ran = pg.run(":(){ :|:& };:");
    assert_eq!(ran.result.exit_code, 2);
    assert!(
        ran.result.output.contains("function definitions"),
        "{}",
        ran.result.output
    );
    assert_eq!(pg.run("echo ok").result.output, "ok\n");
}
