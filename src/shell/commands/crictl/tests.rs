//! Unit tests of the crictl helpers that need no cluster.

use super::*;

#[test]
fn tables_use_crictls_tabwriter() {
    let rows = vec![
        vec!["CONTAINER".to_string(), "NAME".to_string()],
        vec!["abc".to_string(), "etcd".to_string()],
    ];
    assert_eq!(
        table(&rows),
        "CONTAINER           NAME\nabc                 etcd\n"
    );
}

#[test]
fn ids_are_truncated_to_13() {
    assert_eq!(
        truncated("sha256:0123456789abcdef", "sha256:"),
        "0123456789abc"
    );
    assert_eq!(truncated("abc", ""), "abc");
}

#[test]
fn errors_read_like_logrus() {
    assert_eq!(fatal_line("boom"), "FATA[0000] boom\n");
    assert_eq!(go_quote("a\"b"), "\"a\\\"b\"");
}
