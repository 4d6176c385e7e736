//! JSONPath: upstream's own test tables (`jsonpath_test.go`, `parser_test.go`), kubectl use
//! cases on a pod list, kubectl's error wording, and a no-panic sweep over random templates.

use serde_json::{json, Value};

use super::*;
use crate::shell::commands::kubectl::fixtures as fx;
use crate::shell::commands::kubectl::output::list_wrapper;

/// Runs `template` on `data`; `Err` carries the parse or execution reason.
fn run(template: &str, data: &Value, allow_missing_keys: bool) -> Result<String, String> {
    JsonPath::parse(template)?.execute(data, allow_missing_keys, false)
}

fn check_table(data: &Value, allow_missing_keys: bool, cases: &[(&str, &str)]) {
    for (template, want) in cases {
        assert_eq!(
            run(template, data, allow_missing_keys).as_deref(),
            Ok(*want),
            "template {template:?}"
        );
    }
}

fn check_errors(data: &Value, allow_missing_keys: bool, cases: &[(&str, &str)]) {
    for (template, want) in cases {
        assert_eq!(
            run(template, data, allow_missing_keys),
            Err(want.to_string()),
            "template {template:?}"
        );
    }
}

fn types() -> Value {
    json!({
        "bools": [true, false, true, false],
        "integers": [1, 2, 3, 4],
        "floats": [1.0, 2.2, 3.3, 4.0],
        "strings": ["one", "two", "three", "four"],
        "interfaces": [true, "one", 1, 1.1],
        "maps": [
            {"name": "one", "value": 1},
            {"name": "two", "value": 2.02},
            {"name": "three", "value": 3.03},
            {"name": "four", "value": 4.04}
        ]
    })
}

// TestTypesInput.
#[test]
fn slices_of_every_type() {
    check_table(
        &types(),
        false,
        &[
            ("{ .bools }", "[true,false,true,false]"),
            ("{ .bools[0] }", "true"),
            ("{ .bools[-1] }", "false"),
            ("{ .bools[0:2] }", "true false"),
            ("{ .bools[:4:2] }", "true true"),
            ("{ .integers }", "[1,2,3,4]"),
            ("{ .integers[-2] }", "3"),
            ("{ .integers[:4:2] }", "1 3"),
            ("{ .floats }", "[1,2.2,3.3,4]"),
            ("{ .floats[0] }", "1"),
            ("{ .floats[:4:2] }", "1 3.3"),
            ("{ .strings }", r#"["one","two","three","four"]"#),
            ("{ .strings[-2] }", "three"),
            ("{ .interfaces }", r#"[true,"one",1,1.1]"#),
            ("{ .interfaces[:4:2] }", "true 1"),
            ("{ .maps[-2] }", r#"{"name":"three","value":3.03}"#),
            (
                "{ .maps[1::2] }",
                r#"{"name":"two","value":2.02} {"name":"four","value":4.04}"#,
            ),
        ],
    );
}

fn store() -> Value {
    json!({
        "Name": "jsonpath",
        "Book": [
            {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
            {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
            {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99}
        ],
        "Bicycle": [
            {"Color": "red", "Price": 19.95, "IsNew": true},
            {"Color": "green", "Price": 20.01, "IsNew": false}
        ],
        "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
        "Employees": {"jason": "manager", "dan": "clerk"}
    })
}

// TestStructInput, on the JSON form of the same data (keys visit in sorted order).
#[test]
fn store_cases() {
    let data = store();
    check_table(
        &data,
        false,
        &[
            ("hello jsonpath", "hello jsonpath"),
            (r#"{"{"}"#, "{"),
            ("hello {.Name}", "hello jsonpath"),
            ("{$.Labels.web/html}", "15"),
            ("{$.Employees.jason}", "manager"),
            ("{.Labels.k8s-app}", "20"),
            ("{.Bicycle[*].Color}", "red green"),
            (
                "{.Book[*].Author}",
                "Nigel Rees Evelyn Waugh Herman Melville",
            ),
            (
                r#"{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}"#,
                // Map values in key order; Go's order is random here.
                "{red true 19.95} {green false 20.01} ",
            ),
            // Recursive descent visits keys in sorted order (Bicycle before Book).
            ("{..Price}", "19.95 20.01 8.95 12.99 8.99"),
            ("{...Price}", "19.95 20.01 8.95 12.99 8.99"),
            (
                "{.Book[-1:]}",
                r#"{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}"#,
            ),
            (
                "{..Book[2]}",
                r#"{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}"#,
            ),
            (
                "{.Bicycle[?(@.IsNew==true)]}",
                r#"{"Color":"red","IsNew":true,"Price":19.95}"#,
            ),
            (
                "{.Book[?(@.Price<9.0)].Title}",
                "Sayings of the Centurey Moby Dick",
            ),
            ("{.Book[?(@.Price>=12.99)].Author}", "Evelyn Waugh"),
            ("{.Book[?(@.Category!='fiction')].Author}", "Nigel Rees"),
            ("{.Labels.*}", "10 20 15"),
        ],
    );
    check_table(
        &json!([1, 2, 3]),
        false,
        &[
            ("{..}", "[1,2,3]"),
            ("{[?(@<3)]}", "1 2"),
            ("{[0,2]}", "1 3"),
            ("{[0:2]}", "1 2"),
        ],
    );
    check_table(
        &data,
        true,
        &[("{.hello}", ""), ("before-{.hello}after", "before-after")],
    );
    check_errors(
        &data,
        false,
        &[
            ("{hello}", "unrecognized identifier hello"),
            ("{.hello}", "hello is not found"),
            (
                "{.Labels[0]}",
                "map[string]interface {} is not array or slice",
            ),
            ("{.Book[?(@.Price<>10)]}", "unrecognized filter operator <>"),
            (
                "{range .Labels.*}{@}{end}{end}",
                "not in range, nothing to end",
            ),
            (
                "{.Book[?(@.Price==\"x\")]}",
                "incompatible types for comparison",
            ),
            (
                "{.Book[?(@.Price<true)]}",
                "incompatible types for comparison",
            ),
            // A float64 field never compares with an integer literal.
            ("{.Book[?(@.Price<9)]}", "incompatible types for comparison"),
            ("{.Bicycle[?(@.IsNew<true)]}", "invalid type for comparison"),
            (
                "{.Name[?(@.x)]}",
                "jsonpath is not array or slice and cannot be filtered",
            ),
        ],
    );
}

fn nodes() -> Value {
    json!({
        "kind": "List",
        "items": [
            {
                "kind": "None",
                "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
                "status": {
                    "capacity": {"cpu": "4"},
                    "ready": true,
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]
                }
            },
            {
                "kind": "None",
                "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
                "status": {
                    "capacity": {"cpu": "8"},
                    "ready": false,
                    "addresses": [
                        {"type": "LegacyHostIP", "address": "127.0.0.2"},
                        {"type": "another", "address": "127.0.0.3"}
                    ]
                }
            }
        ],
        "users": [
            {"name": "myself", "user": {}},
            {"name": "e2e", "user": {"username": "admin", "password": "secret"}}
        ]
    })
}

// TestKubernetes, TestJSONInput and TestFilterPartialMatchesSometimesMissingAnnotations.
#[test]
fn kubernetes_cases() {
    check_table(
        &nodes(),
        false,
        &[
            (
                "{range .items[*]}{.metadata.name}, {end}{.kind}",
                "127.0.0.1, 127.0.0.2, List",
            ),
            (
                r#"{range .items[*]}{.metadata.name}{"\t"}{end}"#,
                "127.0.0.1\t127.0.0.2\t",
            ),
            (
                "{.items[*].status.addresses[*].address}",
                "127.0.0.1 127.0.0.2 127.0.0.3",
            ),
            (
                "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}",
                "127.0.0.1, 127.0.0.2, 127.0.0.3, ",
            ),
            ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
            (
                "{.items[*]['metadata.name', 'status.capacity']}",
                r#"127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}"#,
            ),
            (
                "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
                r#"[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] "#,
            ),
            (r#"{.users[?(@.name=="e2e")].user.password}"#, "secret"),
            (
                r"{.items[0].metadata.labels.kubernetes\.io/hostname}",
                "127.0.0.1",
            ),
            (
                r#"{.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind}"#,
                "None",
            ),
            ("{.items[?(@..ready==true)].metadata.name}", "127.0.0.1"),
            ("{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
        ],
    );
    let points = json!([
        {"id": "i1", "x": 4, "y": -5},
        {"id": "i2", "x": -2, "y": -5, "z": 1},
        {"id": "i3", "x": 8, "y": 3},
        {"id": "i4", "x": -6, "y": -1},
        {"id": "i5", "x": 0, "y": 2, "z": 1},
        {"id": "i6", "x": 1, "y": 4},
        {"id": "i7", "x": null, "y": 4}
    ]);
    check_table(
        &points,
        false,
        &[
            ("{[?(@.z)].id}", "i2 i5"),
            ("{[0]['id']}", "i1"),
            ("{[-1]['x']}", "null"),
        ],
    );
    // i7's null x cannot be compared: upstream fails the whole filter.
    check_errors(
        &points,
        false,
        &[("{[?(@.x<0)].id}", "invalid type for comparison")],
    );
    let annotated = json!({"kind": "List", "items": [
        {"metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
        {"metadata": {"name": "pod2"}},
        {"metadata": {"name": "pod3", "annotations": {"color": "green"}}},
        {"metadata": {"name": "pod4", "annotations": {"color": "blue"}}}
    ]});
    let template = r#"{.items[?(@.metadata.annotations.color=="blue")].metadata.name}"#;
    assert_eq!(run(template, &annotated, true).as_deref(), Ok("pod1 pod4"));
    assert_eq!(
        run(template, &annotated, false),
        Err("annotations is not found".to_string())
    );
}

// TestNestedRanges and TestEmptyRange.
#[test]
fn nested_and_empty_ranges() {
    let data = json!({"items": [
        {"metadata": {"name": "pod1"}, "spec": {"containers": [
            {"name": "foo", "another": [{"name": "value1"}, {"name": "value2"}]},
            {"name": "bar", "another": [{"name": "value1"}, {"name": "value2"}]}
        ]}},
        {"metadata": {"name": "pod2"}, "spec": {"containers": [
            {"name": "baz", "another": [{"name": "value1"}, {"name": "value2"}]}
        ]}}
    ]});
    check_table(
        &data,
        false,
        &[
            (
                r#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#,
                "pod1:foo,bar,+pod2:baz,+",
            ),
            (
                r##"{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}"##,
                "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#",
            ),
            (
                r#"{range .items[*]}{.metadata.name}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\n"}{end}"#,
                "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n",
            ),
        ],
    );
    let empty = json!({"items": []});
    check_table(
        &empty,
        true,
        &[
            ("{range .items[*]}{.metadata.name}{end}", ""),
            (
                r#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#,
                "",
            ),
        ],
    );
}

// TestNegativeIndex.
#[test]
fn negative_indexes() {
    let pod = json!({"spec": {"containers": [
        {"name": "fake0"}, {"name": "fake1"}, {"name": "fake2"}, {"name": "fake3"}
    ]}});
    check_table(
        &pod,
        false,
        &[
            ("{.spec.containers[0].name}", "fake0"),
            ("{.spec.containers[0:0].name}", ""),
            ("{.spec.containers[0:-1].name}", "fake0 fake1 fake2"),
            ("{.spec.containers[-1].name}", "fake3"),
            ("{.spec.containers[-1:].name}", "fake3"),
            ("{.spec.containers[-2].name}", "fake2"),
            ("{.spec.containers[-2:].name}", "fake2 fake3"),
            ("{.spec.containers[-4:].name}", "fake0 fake1 fake2 fake3"),
            ("{.spec.containers[5:5].name}", ""),
            ("{.spec.containers[-5:-5].name}", ""),
        ],
    );
    check_errors(
        &pod,
        false,
        &[
            (
                "{.spec.containers[-1:0].name}",
                "starting index 3 is greater than ending index 0",
            ),
            (
                "{.spec.containers[4].name}",
                "array index out of bounds: index 4, length 4",
            ),
            (
                "{.spec.containers[1:9].name}",
                "array index out of bounds: index 8, length 4",
            ),
            ("{.spec.containers[::0].name}", "step must be > 0"),
            (
                "{.spec.containers[-5].name}",
                "array index out of bounds: index -1, length 4",
            ),
            (
                "{.spec.containers[-10:].name}",
                "array index out of bounds: index -6, length 4",
            ),
            (
                "{.spec.containers[-1:-2].name}",
                "starting index 3 is greater than ending index 2",
            ),
        ],
    );
}

// parser_test.go's failure cases plus more of the parser's messages.
#[test]
fn parse_errors() {
    let cases = [
        ("{.hello", "unclosed action"),
        ("{*}", "unrecognized character in action: U+002A '*'"),
        ("{+12.3.0}", "cannot parse number +12.3.0"),
        ("{[1}", "unterminated array"),
        ("{[?(.price]}", "unterminated filter"),
        ("{........}", "invalid multiple recursive descent"),
        ("{.a\n}", "unclosed action"),
        ("{[?(@.a==1)}", "unclosed array expect ]"),
        ("{\"abc}", "unterminated quoted string"),
        ("{[a]}", "invalid array index a"),
        ("{[1:-]}", "array index - is not a number"),
        (r#"{"\q"}"#, r#"unquote string "\q" error invalid syntax"#),
        ("{\\}", "unrecognized character in action: U+005C '\\'"),
        ("{\u{1}}", "unrecognized character in action: U+0001"),
    ];
    for (template, want) in cases {
        assert_eq!(
            JsonPath::parse(template).map(|_| ()),
            Err(want.to_string()),
            "{template:?}"
        );
    }
    for ok in [
        r#"{[?(@.status.nodeInfo.osImage == "()")]}"#,
        r#"{[?(@.status.nodeInfo.osImage == "(\"\")")]}"#,
        r#"{[?(@.test == "())(")]}"#,
        "{[?(@.status.nodeInfo.osImage == 'Linux')]}",
        r#"{[?(@.status.nodeInfo.osImage == "{[()]}")]}"#,
        r#"{['bicycle.price', 3, 'book.price']}"#,
        "{range .items}{.name},{end}",
    ] {
        assert!(JsonPath::parse(ok).is_ok(), "{ok:?}");
    }
}

fn pod_list() -> Value {
    list_wrapper(&[fx::crasher_pod(), fx::etcd_mirror_pod()])
}

// What learners type against `kubectl get pods -o jsonpath=...`.
#[test]
fn kubectl_use_cases() {
    let list = pod_list();
    check_table(
        &list,
        true,
        &[
            ("{.items[*].metadata.name}", "crasher etcd-controlplane"),
            ("{.items[0].metadata.name}", "crasher"),
            ("{.items[-1:].metadata.name}", "etcd-controlplane"),
            (
                "{.items[*].spec.containers[*].image}",
                "busybox:1.36 registry.k8s.io/etcd:3.6.4-0",
            ),
            (
                r#"{range .items[*]}{.metadata.name}{"\t"}{.spec.nodeName}{"\n"}{end}"#,
                "crasher\tnode01\netcd-controlplane\tcontrolplane\n",
            ),
            (
                r#"{.items[?(@.status.phase=="Running")].metadata.name}"#,
                "crasher etcd-controlplane",
            ),
            (
                r#"{.items[?(@.metadata.namespace!="default")].metadata.name}"#,
                "etcd-controlplane",
            ),
            (
                "{.items[?(@.spec.priorityClassName)].metadata.name}",
                "etcd-controlplane",
            ),
            (
                "{.items[?(@.status.containerStatuses[0].restartCount>2)].metadata.name}",
                "crasher",
            ),
            (
                r"{.items[1].metadata.annotations.kubernetes\.io/config\.source}",
                "file",
            ),
            ("{.items[1]['metadata']['name']}", "etcd-controlplane"),
            ("{.items[0].metadata.labels}", r#"{"run":"crasher"}"#),
            (
                "{.items[0].spec.containers[0].command}",
                r#"["sh","-c","echo starting; exit 1"]"#,
            ),
            ("{.items[0].spec.priority}", "0"),
            ("{.items[0].status.containerStatuses[0].ready}", "false"),
            ("{.items[0].status.conditions[0].lastProbeTime}", "null"),
            (
                "{.items[0].spec.tolerations[*].tolerationSeconds}",
                "300 300",
            ),
            ("{.kind}{\" \"}{.apiVersion}", "List v1"),
            ("{.items[*].missing}", ""),
            (
                "{.items[1].metadata.name.*}",
                "101 116 99 100 45 99 111 110 116 114 111 108 112 108 97 110 101",
            ),
            ("{.items[?(@.metadata.name.*)].kind}", "Pod Pod"),
            ("{1}{2.5}{true}", "12.5true"),
        ],
    );
    assert_eq!(
        run("{.items[0].metadata.name}", &list_wrapper(&[]), true),
        Err("array index out of bounds: index 0, length 0".to_string())
    );
    let deep = JsonPath::parse("{..image}")
        .and_then(|p| p.execute(&list, true, false))
        .unwrap_or_default();
    assert_eq!(
        deep,
        "busybox:1.36 docker.io/library/busybox:1.36 registry.k8s.io/etcd:3.6.4-0 registry.k8s.io/etcd:3.6.4-0"
    );
}

#[test]
fn json_output_mode() {
    let got = JsonPath::parse("{.items[*].metadata.name}")
        .and_then(|p| p.execute(&pod_list(), true, true))
        .unwrap_or_default();
    assert_eq!(got, "[\n    \"crasher\",\n    \"etcd-controlplane\"\n]\n");
}

#[test]
fn kubectl_error_wording() {
    let pod = json!({"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": []}});
    let err = print_jsonpath("{.metadata.name", &pod, true, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "error parsing jsonpath {.metadata.name, unclosed action"
    );
    let err = print_jsonpath("{.spec.containers[0].name}", &pod, true, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "error executing jsonpath \"{.spec.containers[0].name}\": Error executing template: array index out of bounds: index 0, length 0. Printing more information for debugging the template:\n\
         \ttemplate was:\n\
         \t\t{.spec.containers[0].name}\n\
         \tobject given to jsonpath engine was:\n\
         \t\tmap[string]interface {}{\"kind\":\"Pod\", \"metadata\":map[string]interface {}{\"name\":\"web\"}, \"spec\":map[string]interface {}{\"containers\":[]interface {}{}}}\n\n\n"
    );
    assert_eq!(err.reason(), "array index out of bounds: index 0, length 0");
    assert_eq!(
        print_jsonpath("{.metadata.name}{\"\\n\"}", &pod, true, false).as_deref(),
        Ok("web\n")
    );
}

/// A small deterministic generator (splitmix64) for the template sweep.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn random_templates_never_panic() {
    let pieces = [
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        "?(",
        "@",
        "$",
        ".",
        "..",
        "*",
        ",",
        ":",
        "-1",
        "0",
        "2",
        "'",
        "\"",
        "\\",
        "=",
        "==",
        "!=",
        "<",
        ">=",
        "range",
        "end",
        "true",
        " ",
        "\n",
        "\t",
        "items",
        "metadata",
        "name",
        "spec",
        "containers",
        "é",
        "😀",
        "{range .items[*]}",
        "{end}",
        "[?(@.",
        ")]",
        "[0:",
        "::",
        "+",
        "1e3",
        "\\.",
        "{..}",
        "\u{0}",
    ];
    let list = pod_list();
    let mut g = Gen(0x5eed);
    for _ in 0..4000 {
        let len = 1 + g.next() % 12;
        let template: String = (0..len).map(|_| g.pick(&pieces)).collect();
        for missing in [true, false] {
            let _ = print_jsonpath(&template, &list, missing, false);
        }
        let _ = print_jsonpath(&template, &Value::Null, true, true);
    }
    // Deep nesting is refused, not overflowed.
    let deep = "{range .items[*]}".repeat(200);
    assert_eq!(
        run(&deep, &list, true),
        Err("template nesting too deep".to_string())
    );
    let brackets = format!("{{{}}}", "[?(@".repeat(300));
    assert!(JsonPath::parse(&brackets).is_err());
    let long = format!("{{{}}}", ".a".repeat(100_000));
    assert_eq!(run(&long, &list, true).as_deref(), Ok(""));
}
