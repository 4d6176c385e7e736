//! Parser tests: exact trees for the constructs learners type, error wordings checked
//! against bash 5, completeness, script splitting, and no-panic fuzzing.

use super::*;
use crate::shell::ast::{HereDoc, ParamOp};
use crate::shell::lexer::tokenize_for_completion;

// Builders, so expected trees stay readable.

fn lit(text: &str) -> WordPart {
    WordPart::Literal {
        text: text.to_string(),
        quoted: false,
    }
}

fn q(text: &str) -> WordPart {
    WordPart::Literal {
        text: text.to_string(),
        quoted: true,
    }
}

fn var(name: &str) -> WordPart {
    WordPart::Param {
        name: name.to_string(),
        op: None,
        quoted: false,
    }
}

fn qvar(name: &str) -> WordPart {
    WordPart::Param {
        name: name.to_string(),
        op: None,
        quoted: true,
    }
}

fn param(name: &str, op: ParamOp, quoted: bool) -> WordPart {
    WordPart::Param {
        name: name.to_string(),
        op: Some(op),
        quoted,
    }
}

fn tilde(user: &str) -> WordPart {
    WordPart::Tilde {
        user: user.to_string(),
    }
}

fn subst(items: Vec<ListItem>, quoted: bool) -> WordPart {
    WordPart::CommandSubst {
        script: Script {
            items,
            warnings: Vec::new(),
        },
        quoted,
    }
}

fn w(parts: Vec<WordPart>) -> Word {
    Word { parts }
}

/// A word of one unquoted literal.
fn p(text: &str) -> Word {
    w(vec![lit(text)])
}

fn sc(words: &[&str]) -> SimpleCommand {
    SimpleCommand {
        words: words.iter().map(|t| p(t)).collect(),
        ..SimpleCommand::default()
    }
}

fn sc_words(words: Vec<Word>) -> SimpleCommand {
    SimpleCommand {
        words,
        ..SimpleCommand::default()
    }
}

fn with_redirects(mut command: SimpleCommand, redirects: Vec<Redirect>) -> SimpleCommand {
    command.redirects = redirects;
    command
}

fn pl(commands: Vec<SimpleCommand>) -> Pipeline {
    Pipeline {
        negated: false,
        commands: commands.into_iter().map(Command::Simple).collect(),
    }
}

fn ao(first: Pipeline) -> AndOr {
    AndOr {
        first,
        rest: Vec::new(),
    }
}

fn fg(and_or: AndOr) -> ListItem {
    ListItem {
        and_or,
        background: false,
    }
}

/// A foreground list item holding one simple command.
fn item(command: SimpleCommand) -> ListItem {
    fg(ao(pl(vec![command])))
}

fn redir(fd: Option<u32>, kind: RedirectKind, target: Word) -> Redirect {
    Redirect { fd, kind, target }
}

fn out_to(path: &str) -> Redirect {
    redir(
        None,
        RedirectKind::Out {
            append: false,
            clobber: false,
        },
        p(path),
    )
}

fn heredoc(
    target: Word,
    delimiter: &str,
    body: Vec<WordPart>,
    strip_tabs: bool,
    expand: bool,
) -> Redirect {
    redir(
        None,
        RedirectKind::HereDoc(HereDoc {
            delimiter: delimiter.to_string(),
            body: w(body),
            strip_tabs,
            expand,
        }),
        target,
    )
}

fn compound(kind: CompoundKind) -> Command {
    Command::Compound(CompoundCommand {
        kind,
        redirects: Vec::new(),
    })
}

fn parsed(input: &str) -> Script {
    match parse(input) {
        Ok(script) => script,
        Err(err) => panic!("{input:?} failed: {err}"),
    }
}

fn items(input: &str) -> Vec<ListItem> {
    parsed(input).items
}

/// The only simple command of `input`.
fn simple(input: &str) -> SimpleCommand {
    let items = items(input);
    assert_eq!(items.len(), 1, "{input:?}");
    let ListItem { and_or, .. } = items.into_iter().next().unwrap_or_else(|| unreachable!());
    assert!(and_or.rest.is_empty(), "{input:?}");
    let mut commands = and_or.first.commands;
    assert_eq!(commands.len(), 1, "{input:?}");
    match commands.pop() {
        Some(Command::Simple(command)) => command,
        other => panic!("{input:?}: not a simple command: {other:?}"),
    }
}

/// The words of the only simple command of `input`.
fn words(input: &str) -> Vec<Word> {
    simple(input).words
}

fn error(input: &str) -> String {
    match parse(input) {
        Ok(script) => panic!("{input:?} parsed: {script:?}"),
        Err(err) => err.to_string(),
    }
}

// Words and quoting.

#[test]
fn plain_words() {
    assert_eq!(
        items("kubectl get pods"),
        vec![item(sc(&["kubectl", "get", "pods"]))]
    );
    assert_eq!(
        items("  kubectl\tget   pods  "),
        vec![item(sc(&["kubectl", "get", "pods"]))]
    );
    assert_eq!(items(""), vec![]);
    assert_eq!(items("   \n\n  "), vec![]);
}

#[test]
fn quoting_combinations() {
    assert_eq!(
        words(r#"echo 'a b' "c $d" e\ f "" '' a"b"'c' 'x'"y"z"#),
        vec![
            p("echo"),
            w(vec![q("a b")]),
            w(vec![q("c "), qvar("d")]),
            w(vec![lit("e"), q(" "), lit("f")]),
            w(vec![q("")]),
            w(vec![q("")]),
            w(vec![lit("a"), q("bc")]),
            w(vec![q("xy"), lit("z")]),
        ]
    );
}

#[test]
fn adjacent_parts_form_one_word() {
    assert_eq!(
        words(r#"kubectl run --name=$NAME"-x" --image=${IMG}:latest"#),
        vec![
            p("kubectl"),
            p("run"),
            w(vec![lit("--name="), var("NAME"), q("-x")]),
            w(vec![lit("--image="), var("IMG"), lit(":latest")]),
        ]
    );
}

#[test]
fn double_quote_escapes() {
    // Inside "...", a backslash escapes only $ ` " \ and newline.
    assert_eq!(
        words(
            r#"echo "a\$b \"c\" \\ \x \` d\
e""#
        ),
        vec![p("echo"), w(vec![q("a$b \"c\" \\ \\x ` de")])]
    );
    assert_eq!(
        words(r"echo 'a\nb\'"),
        vec![p("echo"), w(vec![q("a\\nb\\")])]
    );
    assert_eq!(words("echo 'a\nb'"), vec![p("echo"), w(vec![q("a\nb")])]);
}

#[test]
fn globs_are_marked_by_quoting() {
    assert_eq!(words("ls *.yaml"), vec![p("ls"), p("*.yaml")]);
    assert_eq!(words(r#"echo "*""#), vec![p("echo"), w(vec![q("*")])]);
    assert_eq!(words(r"echo \*"), vec![p("echo"), w(vec![q("*")])]);
    assert_eq!(
        words(r#"ls /etc/kubernetes/manifests/"$P"*.y?ml [ab]"#),
        vec![
            p("ls"),
            w(vec![
                lit("/etc/kubernetes/manifests/"),
                qvar("P"),
                lit("*.y?ml")
            ]),
            p("[ab]"),
        ]
    );
}

#[test]
fn ansi_c_and_locale_quotes() {
    assert_eq!(
        words(r#"echo $'a\tb\n\'c\x41\101\u00e9\q' $"x y""#),
        vec![p("echo"), w(vec![q("a\tb\n'cAAé\\q")]), w(vec![q("x y")])]
    );
}

#[test]
fn non_ascii_and_carriage_return_are_plain_text() {
    assert_eq!(
        words("echo héllo \"wörld\" a\r"),
        vec![p("echo"), p("héllo"), w(vec![q("wörld")]), p("a\r")]
    );
}

#[test]
fn reserved_words_are_arguments_after_the_command_name() {
    assert_eq!(
        items("echo if then fi done { } ! in"),
        vec![item(sc(&[
            "echo", "if", "then", "fi", "done", "{", "}", "!", "in"
        ]))]
    );
}

// Parameters.

#[test]
fn special_and_positional_parameters() {
    assert_eq!(words("echo $?"), vec![p("echo"), w(vec![var("?")])]);
    assert_eq!(
        words("echo $$ $# $0 $9 $@ $* $! $- $10 ${10} $NAME_x ${NAME}x"),
        vec![
            p("echo"),
            w(vec![var("$")]),
            w(vec![var("#")]),
            w(vec![var("0")]),
            w(vec![var("9")]),
            w(vec![var("@")]),
            w(vec![var("*")]),
            w(vec![var("!")]),
            w(vec![var("-")]),
            w(vec![var("1"), lit("0")]),
            w(vec![var("10")]),
            w(vec![var("NAME_x")]),
            w(vec![var("NAME"), lit("x")]),
        ]
    );
    assert_eq!(
        words(r#"echo "$?" "${#}" "${!}""#),
        vec![
            p("echo"),
            w(vec![qvar("?")]),
            w(vec![qvar("#")]),
            w(vec![qvar("!")])
        ]
    );
}

#[test]
fn lone_dollar_is_literal() {
    assert_eq!(
        words(r#"echo $ a$ "$" $/ "a$""#),
        vec![
            p("echo"),
            w(vec![q("$")]),
            w(vec![lit("a"), q("$")]),
            w(vec![q("$")]),
            w(vec![q("$"), lit("/")]),
            w(vec![q("a$")]),
        ]
    );
}

#[test]
fn parameter_operators() {
    let default = |colon, word| ParamOp::Default { colon, word };
    assert_eq!(
        words("echo ${NS:-default} ${NS-x} ${A:=v} ${B:+alt} ${C:?unset!} ${C?} ${#NAME}"),
        vec![
            p("echo"),
            w(vec![param("NS", default(true, p("default")), false)]),
            w(vec![param("NS", default(false, p("x")), false)]),
            w(vec![param(
                "A",
                ParamOp::Assign {
                    colon: true,
                    word: p("v")
                },
                false
            )]),
            w(vec![param(
                "B",
                ParamOp::Alternative {
                    colon: true,
                    word: p("alt")
                },
                false
            )]),
            w(vec![param(
                "C",
                ParamOp::Error {
                    colon: true,
                    word: p("unset!")
                },
                false
            )]),
            w(vec![param(
                "C",
                ParamOp::Error {
                    colon: false,
                    word: w(vec![])
                },
                false
            )]),
            w(vec![param("NAME", ParamOp::Length, false)]),
        ]
    );
    assert_eq!(
        words("echo ${f%.yaml} ${f%%.*} ${p#*/} ${p##*/}"),
        vec![
            p("echo"),
            w(vec![param(
                "f",
                ParamOp::RemoveSuffix {
                    longest: false,
                    pattern: p(".yaml")
                },
                false
            )]),
            w(vec![param(
                "f",
                ParamOp::RemoveSuffix {
                    longest: true,
                    pattern: p(".*")
                },
                false
            )]),
            w(vec![param(
                "p",
                ParamOp::RemovePrefix {
                    longest: false,
                    pattern: p("*/")
                },
                false
            )]),
            w(vec![param(
                "p",
                ParamOp::RemovePrefix {
                    longest: true,
                    pattern: p("*/")
                },
                false
            )]),
        ]
    );
}

#[test]
fn parameter_default_words_keep_their_quoting() {
    let default = |word| ParamOp::Default { colon: true, word };
    // Unquoted: blanks are plain text (split later), quotes work, braces nest.
    // Quoted: the word reads like double-quoted text, so single quotes are literal.
    assert_eq!(
        words(
            r#"echo ${x:-a b} ${x:-'a b'} "${x:-a 'b'}" ${x:-$HOME/.kube} ${x:-{a}} ${x:-~/x} "${x:-\}}""#
        ),
        vec![
            p("echo"),
            w(vec![param("x", default(p("a b")), false)]),
            w(vec![param("x", default(w(vec![q("a b")])), false)]),
            w(vec![param("x", default(w(vec![q("a 'b'")])), true)]),
            w(vec![param(
                "x",
                default(w(vec![var("HOME"), lit("/.kube")])),
                false
            )]),
            w(vec![param("x", default(p("{a}")), false)]),
            w(vec![param(
                "x",
                default(w(vec![tilde(""), lit("/x")])),
                false
            )]),
            w(vec![param("x", default(w(vec![q("}")])), true)]),
        ]
    );
}

#[test]
fn bad_and_unsupported_parameter_expansions() {
    assert_eq!(error("echo ${}"), "bash: ${}: bad substitution");
    assert_eq!(error("echo ${a b}"), "bash: ${a b}: bad substitution");
    assert_eq!(error("echo ${1x}"), "bash: ${1x}: bad substitution");
    for (input, what) in [
        ("echo ${x/a/b}", "pattern substitution"),
        ("echo ${x:1:2}", "substring expansion"),
        ("echo ${!x}", "indirect expansion"),
        ("echo ${x^^}", "case modification"),
        ("echo ${x[0]}", "arrays"),
        ("echo ${x@Q}", "parameter transformation"),
    ] {
        let message = error(input);
        assert!(
            message.starts_with("bash: not supported in this playground: ")
                && message.contains(what),
            "{input}: {message}"
        );
    }
}

// Command substitution.

#[test]
fn command_substitution() {
    assert_eq!(
        items("crictl stop $(crictl ps -q --name web)"),
        vec![item(sc_words(vec![
            p("crictl"),
            p("stop"),
            w(vec![subst(
                vec![item(sc(&["crictl", "ps", "-q", "--name", "web"]))],
                false
            )]),
        ]))]
    );
}

#[test]
fn nested_command_substitution_with_quotes_and_pipes() {
    let inner_most = vec![item(sc(&["hostname"]))];
    let grep = sc_words(vec![p("grep"), w(vec![q("web-"), subst(inner_most, true)])]);
    let inner = vec![fg(ao(pl(vec![sc(&["kubectl", "get", "pods"]), grep])))];
    assert_eq!(
        words(r#"echo "pods: $(kubectl get pods | grep "web-$(hostname)")""#),
        vec![p("echo"), w(vec![q("pods: "), subst(inner, true)])]
    );
    // A `)` inside quotes does not close the substitution.
    assert_eq!(
        words(r#"echo $(echo ")") x"#),
        vec![
            p("echo"),
            w(vec![subst(
                vec![item(sc_words(vec![p("echo"), w(vec![q(")")])]))],
                false
            )]),
            p("x"),
        ]
    );
    assert_eq!(
        words("echo $() $( )"),
        vec![
            p("echo"),
            w(vec![subst(vec![], false)]),
            w(vec![subst(vec![], false)])
        ]
    );
    assert_eq!(
        words("echo $(a; b\nc # comment )\n)"),
        vec![
            p("echo"),
            w(vec![subst(
                vec![item(sc(&["a"])), item(sc(&["b"])), item(sc(&["c"]))],
                false
            )]),
        ]
    );
}

#[test]
fn backticks() {
    assert_eq!(
        words("echo `date` \"`hostname`\""),
        vec![
            p("echo"),
            w(vec![subst(vec![item(sc(&["date"]))], false)]),
            w(vec![subst(vec![item(sc(&["hostname"]))], true)]),
        ]
    );
    let inner = vec![item(sc_words(vec![
        p("echo"),
        w(vec![subst(vec![item(sc(&["date"]))], false)]),
    ]))];
    assert_eq!(
        words(r"echo `echo \`date\``"),
        vec![p("echo"), w(vec![subst(inner, false)])]
    );
    assert_eq!(
        words(r"echo `echo \$HOME`"),
        vec![
            p("echo"),
            w(vec![subst(
                vec![item(sc_words(vec![p("echo"), w(vec![var("HOME")])]))],
                false
            )])
        ]
    );
}

#[test]
fn jsonpath_argument_is_one_quoted_part() {
    assert_eq!(
        words("kubectl get pods -o jsonpath='{.items[*].metadata.name}'"),
        vec![
            p("kubectl"),
            p("get"),
            p("pods"),
            p("-o"),
            w(vec![lit("jsonpath="), q("{.items[*].metadata.name}")]),
        ]
    );
}

// Lists and pipelines.

#[test]
fn and_or_lists_and_background() {
    let expected = vec![
        fg(AndOr {
            first: pl(vec![sc(&["a"])]),
            rest: vec![
                (AndOrOp::And, pl(vec![sc(&["b"])])),
                (AndOrOp::Or, pl(vec![sc(&["c"])])),
            ],
        }),
        ListItem {
            and_or: ao(pl(vec![sc(&["d"])])),
            background: true,
        },
    ];
    assert_eq!(items("a && b || c; d &"), expected);
    assert_eq!(items("a &&\n\n b ||\n c\nd &"), expected);
    assert_eq!(
        items("a & b"),
        vec![
            ListItem {
                and_or: ao(pl(vec![sc(&["a"])])),
                background: true
            },
            item(sc(&["b"])),
        ]
    );
}

#[test]
fn pipelines_and_negation() {
    assert_eq!(
        items("kubectl get pods | grep web |\n wc -l"),
        vec![fg(ao(pl(vec![
            sc(&["kubectl", "get", "pods"]),
            sc(&["grep", "web"]),
            sc(&["wc", "-l"])
        ])))]
    );
    let mut negated = pl(vec![sc(&["grep", "-q", "x", "f"]), sc(&["cat"])]);
    negated.negated = true;
    assert_eq!(items("! grep -q x f | cat"), vec![fg(ao(negated))]);
    assert_eq!(items("! ! true"), vec![item(sc(&["true"]))]);
    assert_eq!(
        error("true | ! false"),
        "bash: syntax error near unexpected token `!'"
    );
    // A bare `!` negates an empty command (bash: status 1); it still needs a separator.
    let mut bare = pl(vec![sc(&[])]);
    bare.negated = true;
    assert_eq!(items("!"), vec![fg(ao(bare.clone()))]);
    assert_eq!(items("! ; a"), vec![fg(ao(bare)), item(sc(&["a"]))]);
    assert_eq!(
        error("! | a"),
        "bash: syntax error near unexpected token `|'"
    );
    assert_eq!(
        error("! && a"),
        "bash: syntax error near unexpected token `&&'"
    );
    assert_eq!(error("(!)"), "bash: syntax error near unexpected token `)'");
}

#[test]
fn pipe_ampersand_is_a_stderr_dup() {
    let dup = redir(Some(2), RedirectKind::DupOut, p("1"));
    assert_eq!(
        items("make |& grep err"),
        vec![fg(ao(pl(vec![
            with_redirects(sc(&["make"]), vec![dup]),
            sc(&["grep", "err"])
        ])))]
    );
}

// Redirects.

#[test]
fn redirect_kinds() {
    let out = |append, clobber| RedirectKind::Out { append, clobber };
    let cases: Vec<(&str, Redirect)> = vec![
        ("> f", redir(None, out(false, false), p("f"))),
        (">> f", redir(None, out(true, false), p("f"))),
        (">| f", redir(None, out(false, true), p("f"))),
        ("< f", redir(None, RedirectKind::In, p("f"))),
        ("<> f", redir(None, RedirectKind::ReadWrite, p("f"))),
        ("2> f", redir(Some(2), out(false, false), p("f"))),
        ("2>> f", redir(Some(2), out(true, false), p("f"))),
        ("12>f", redir(Some(12), out(false, false), p("f"))),
        (
            "&> f",
            redir(None, RedirectKind::Both { append: false }, p("f")),
        ),
        (
            "&>> f",
            redir(None, RedirectKind::Both { append: true }, p("f")),
        ),
        (
            ">&f",
            redir(None, RedirectKind::Both { append: false }, p("f")),
        ),
        ("2>&1", redir(Some(2), RedirectKind::DupOut, p("1"))),
        (">&2", redir(None, RedirectKind::DupOut, p("2"))),
        ("1>&2", redir(Some(1), RedirectKind::DupOut, p("2"))),
        (">&-", redir(None, RedirectKind::DupOut, p("-"))),
        (
            ">&$FD",
            redir(None, RedirectKind::DupOut, w(vec![var("FD")])),
        ),
        ("<&0", redir(None, RedirectKind::DupIn, p("0"))),
        (
            "<<< \"$x\"",
            redir(None, RedirectKind::HereString, w(vec![qvar("x")])),
        ),
    ];
    for (text, expected) in cases {
        let command = simple(&format!("cmd {text}"));
        assert_eq!(command.words, vec![p("cmd")], "{text}");
        assert_eq!(command.redirects, vec![expected], "{text}");
    }
    // After `>&` and `<&` the number is the operand even when an operator follows.
    assert_eq!(
        simple("cmd 2>&1>out").redirects,
        vec![redir(Some(2), RedirectKind::DupOut, p("1")), out_to("out")]
    );
    assert_eq!(
        simple("cmd <&0<in").redirects,
        vec![
            redir(None, RedirectKind::DupIn, p("0")),
            redir(None, RedirectKind::In, p("in"))
        ]
    );
    // A number not directly before the operator is an ordinary word.
    assert_eq!(simple("echo 2 > f").words, vec![p("echo"), p("2")]);
    assert_eq!(simple("echo a2> f").words, vec![p("echo"), p("a2")]);
}

#[test]
fn redirect_helpers() {
    let dup = redir(Some(2), RedirectKind::DupOut, p("1"));
    assert_eq!((dup.effective_fd(), dup.dup_source_fd()), (2, Some(1)));
    let close = redir(None, RedirectKind::DupOut, p("-"));
    assert_eq!((close.effective_fd(), close.dup_source_fd()), (1, None));
    let input = redir(None, RedirectKind::In, p("f"));
    assert_eq!((input.effective_fd(), input.dup_source_fd()), (0, None));
}

#[test]
fn redirects_in_any_position() {
    let expected = with_redirects(sc(&["echo", "hi", "there"]), vec![out_to("out")]);
    assert_eq!(simple(">out echo hi there"), expected);
    assert_eq!(simple("echo >out hi there"), expected);
    assert_eq!(simple("echo hi there>out"), expected);
    assert_eq!(
        simple("2>/dev/null <in A=1 cmd"),
        SimpleCommand {
            assignments: vec![Assignment {
                name: "A".to_string(),
                value: p("1"),
                append: false
            }],
            words: vec![p("cmd")],
            redirects: vec![
                redir(
                    Some(2),
                    RedirectKind::Out {
                        append: false,
                        clobber: false
                    },
                    p("/dev/null")
                ),
                redir(None, RedirectKind::In, p("in")),
            ],
        }
    );
    // Only redirects: still a command (bash creates or truncates the file).
    assert_eq!(
        simple("> /tmp/empty"),
        with_redirects(sc(&[]), vec![out_to("/tmp/empty")])
    );
}

#[test]
fn stderr_redirect_into_pipe() {
    let dup = redir(Some(2), RedirectKind::DupOut, p("1"));
    assert_eq!(
        items("kubectl logs web 2>&1 | grep x"),
        vec![fg(ao(pl(vec![
            with_redirects(sc(&["kubectl", "logs", "web"]), vec![dup.clone()]),
            sc(&["grep", "x"])
        ])))]
    );
    assert_eq!(
        items("2>&1 | grep x"),
        vec![fg(ao(pl(vec![
            with_redirects(sc(&[]), vec![dup]),
            sc(&["grep", "x"])
        ])))]
    );
}

#[test]
fn redirect_errors() {
    assert_eq!(
        error("echo >"),
        "bash: syntax error near unexpected token `newline'"
    );
    assert_eq!(
        error("echo >\necho"),
        "bash: syntax error near unexpected token `newline'"
    );
    assert_eq!(
        error("echo > | x"),
        "bash: syntax error near unexpected token `|'"
    );
    assert_eq!(
        error("echo 2>"),
        "bash: syntax error near unexpected token `newline'"
    );
}

// Here-documents.

#[test]
fn heredoc_into_manifest_file() {
    let input = "cat <<EOF > /etc/kubernetes/manifests/web.yaml
apiVersion: v1
kind: Pod
metadata:
  name: web-$NODE
EOF
ls /etc/kubernetes/manifests";
    let body = vec![
        q("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-"),
        qvar("NODE"),
        q("\n"),
    ];
    assert_eq!(
        parsed(input),
        Script {
            items: vec![
                item(with_redirects(
                    sc(&["cat"]),
                    vec![
                        heredoc(p("EOF"), "EOF", body, false, true),
                        out_to("/etc/kubernetes/manifests/web.yaml")
                    ]
                )),
                item(sc(&["ls", "/etc/kubernetes/manifests"])),
            ],
            warnings: vec![],
        }
    );
}

#[test]
fn quoted_delimiter_keeps_body_literal() {
    let body = || vec![q("home is $HOME and $(date) \\$x\n")];
    for (input, target) in [
        (
            "cat <<'EOF'\nhome is $HOME and $(date) \\$x\nEOF",
            w(vec![q("EOF")]),
        ),
        (
            "cat <<\"EOF\"\nhome is $HOME and $(date) \\$x\nEOF",
            w(vec![q("EOF")]),
        ),
        (
            "cat <<\\EOF\nhome is $HOME and $(date) \\$x\nEOF",
            w(vec![q("E"), lit("OF")]),
        ),
        (
            "cat <<E\"O\"F\nhome is $HOME and $(date) \\$x\nEOF",
            w(vec![lit("E"), q("O"), lit("F")]),
        ),
    ] {
        assert_eq!(
            items(input),
            vec![item(with_redirects(
                sc(&["cat"]),
                vec![heredoc(target, "EOF", body(), false, false)]
            ))],
            "{input:?}"
        );
    }
}

#[test]
fn heredoc_body_expansions_and_escapes() {
    let input = "cat <<EOF\n$HOME ${X:-d} $(date) `id` \\$lit \\\\ \\` \\\" joined\\\nline\nEOF";
    let body = vec![
        qvar("HOME"),
        q(" "),
        param(
            "X",
            ParamOp::Default {
                colon: true,
                word: w(vec![q("d")]),
            },
            true,
        ),
        q(" "),
        subst(vec![item(sc(&["date"]))], true),
        q(" "),
        subst(vec![item(sc(&["id"]))], true),
        q(" $lit \\ ` \\\" joinedline\n"),
    ];
    assert_eq!(
        items(input),
        vec![item(with_redirects(
            sc(&["cat"]),
            vec![heredoc(p("EOF"), "EOF", body, false, true)]
        ))]
    );
}

#[test]
fn heredoc_strip_tabs() {
    let input = "kubectl apply -f - <<-EOF\n\tapiVersion: v1\n\t\tkind: Pod\n  spaces stay\n\tEOF";
    assert_eq!(
        items(input),
        vec![item(with_redirects(
            sc(&["kubectl", "apply", "-f", "-"]),
            vec![heredoc(
                p("EOF"),
                "EOF",
                vec![q("apiVersion: v1\nkind: Pod\n  spaces stay\n")],
                true,
                true
            )]
        ))]
    );
}

#[test]
fn heredoc_line_after_continuation_is_not_the_delimiter() {
    // Bash joins `a \` with the next line, so that `EOF` is body text.
    let input = "cat <<-EOF\na \\\n\tEOF\n\tb\nEOF\necho next";
    let items = items(input);
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0],
        item(with_redirects(
            sc(&["cat"]),
            vec![heredoc(
                p("EOF"),
                "EOF",
                vec![q("a \tEOF\nb\n")],
                true,
                true
            )]
        ))
    );
    // With a quoted delimiter there is no joining.
    let literal = parsed("cat <<'EOF'\na \\\nEOF\necho next");
    assert_eq!(literal.items.len(), 2);
}

#[test]
fn two_heredocs_on_one_line() {
    let expected = vec![
        item(with_redirects(
            sc(&["cat"]),
            vec![heredoc(p("A"), "A", vec![q("one\n")], false, true)],
        )),
        item(with_redirects(
            sc(&["cat"]),
            vec![heredoc(
                w(vec![q("B")]),
                "B",
                vec![q("two $x\n")],
                true,
                false,
            )],
        )),
    ];
    assert_eq!(
        items("cat <<A; cat <<-'B'\none\nA\n\ttwo $x\n\tB"),
        expected
    );
    assert_eq!(
        items("paste <<A <<B\n1\nA\n2\nB\n"),
        vec![item(with_redirects(
            sc(&["paste"]),
            vec![
                heredoc(p("A"), "A", vec![q("1\n")], false, true),
                heredoc(p("B"), "B", vec![q("2\n")], false, true),
            ]
        ))]
    );
}

#[test]
fn heredoc_with_pipe_and_following_commands() {
    let input = "cat <<EOF | kubectl apply -f -\nkind: Pod\nEOF\nkubectl get pods";
    assert_eq!(
        items(input),
        vec![
            fg(ao(pl(vec![
                with_redirects(
                    sc(&["cat"]),
                    vec![heredoc(
                        p("EOF"),
                        "EOF",
                        vec![q("kind: Pod\n")],
                        false,
                        true
                    )]
                ),
                sc(&["kubectl", "apply", "-f", "-"]),
            ]))),
            item(sc(&["kubectl", "get", "pods"])),
        ]
    );
    // The body can follow a line that goes on after the here-document operator.
    let chained = items("cat <<EOF && echo ok\nbody\nEOF");
    assert_eq!(chained.len(), 1);
    assert_eq!(chained[0].and_or.rest.len(), 1);
}

#[test]
fn heredoc_empty_body_and_odd_delimiters() {
    assert_eq!(
        items("cat <<EOF\nEOF"),
        vec![item(with_redirects(
            sc(&["cat"]),
            vec![heredoc(p("EOF"), "EOF", vec![], false, true)]
        ))]
    );
    // Bash does not expand a delimiter: `<<$X` waits for a line `$X`.
    let script = parsed("cat <<$X\nbody\n$X\necho after");
    assert_eq!(script.items.len(), 2);
    assert!(script.warnings.is_empty());
}

#[test]
fn heredoc_inside_loops_and_substitutions() {
    let script = parsed("for n in a b; do\n  cat <<EOF\nname: $n\nEOF\ndone\necho end");
    assert_eq!(script.items.len(), 2);
    let Command::Compound(CompoundCommand {
        kind: CompoundKind::For { body, .. },
        ..
    }) = &script.items[0].and_or.first.commands[0]
    else {
        panic!("not a for loop: {script:?}");
    };
    assert_eq!(
        body,
        &vec![item(with_redirects(
            sc(&["cat"]),
            vec![heredoc(
                p("EOF"),
                "EOF",
                vec![q("name: "), qvar("n"), q("\n")],
                false,
                true
            )]
        ))]
    );
    let inner = vec![item(with_redirects(
        sc(&["cat"]),
        vec![heredoc(p("EOF"), "EOF", vec![q("hi )\n")], false, true)],
    ))];
    assert_eq!(
        simple("x=$(cat <<EOF\nhi )\nEOF\n)").assignments,
        vec![Assignment {
            name: "x".to_string(),
            value: w(vec![subst(inner, false)]),
            append: false
        }]
    );
    assert!(error("echo $(cat <<B)\nb\nB")
        .starts_with("bash: not supported in this playground: a here-document inside"));
}

#[test]
fn heredoc_at_end_of_input_is_a_warning() {
    let script = parsed("echo a\ncat <<EOF\nline one\nline two");
    assert_eq!(
        script.warnings,
        vec![Warning::HereDocAtEof {
            line: 2,
            delimiter: "EOF".to_string()
        }]
    );
    assert_eq!(
        script.warnings[0].to_string(),
        "bash: warning: here-document at line 2 delimited by end-of-file (wanted `EOF')"
    );
    assert_eq!(
        script.items[1],
        item(with_redirects(
            sc(&["cat"]),
            vec![heredoc(
                p("EOF"),
                "EOF",
                vec![q("line one\nline two")],
                false,
                true
            )]
        ))
    );
    let bare = parsed("cat <<'END'");
    assert_eq!(bare.warnings.len(), 1);
    assert_eq!(
        bare.items,
        vec![item(with_redirects(
            sc(&["cat"]),
            vec![heredoc(w(vec![q("END")]), "END", vec![], false, false)]
        ))]
    );
}

// Assignments.

#[test]
fn assignments() {
    let assign = |name: &str, value: Word| Assignment {
        name: name.to_string(),
        value,
        append: false,
    };
    assert_eq!(
        simple("NAME=web KUBECONFIG=/etc/kubernetes/admin.conf kubectl get pods"),
        SimpleCommand {
            assignments: vec![
                assign("NAME", p("web")),
                assign("KUBECONFIG", p("/etc/kubernetes/admin.conf"))
            ],
            words: vec![p("kubectl"), p("get"), p("pods")],
            redirects: vec![],
        }
    );
    assert_eq!(
        simple("A=1 B=\"$x y\" C= D+=more"),
        SimpleCommand {
            assignments: vec![
                assign("A", p("1")),
                assign("B", w(vec![qvar("x"), q(" y")])),
                assign("C", w(vec![])),
                Assignment {
                    name: "D".to_string(),
                    value: p("more"),
                    append: true
                },
            ],
            ..SimpleCommand::default()
        }
    );
    // After the command name, and with a quoted name, `=` words are arguments.
    assert_eq!(
        simple("export NAME=value").words,
        vec![p("export"), p("NAME=value")]
    );
    assert_eq!(simple("\"A\"=1").words, vec![w(vec![q("A"), lit("=1")])]);
    assert_eq!(simple("1A=x").words, vec![p("1A=x")]);
    assert!(error("a=(1 2)").contains("arrays"));
    assert!(error("a[0]=x").contains("arrays"));
}

#[test]
fn tilde_prefixes() {
    assert_eq!(
        words("cd ~ ~/x ~root/y ~+ x~ \"~\" ~\"x\" \\~ --f=~"),
        vec![
            p("cd"),
            w(vec![tilde("")]),
            w(vec![tilde(""), lit("/x")]),
            w(vec![tilde("root"), lit("/y")]),
            w(vec![tilde("+")]),
            p("x~"),
            w(vec![q("~")]),
            w(vec![lit("~"), q("x")]),
            w(vec![q("~")]),
            p("--f=~"),
        ]
    );
    // In assignments, and in words that look like one, after `=` and every `:`.
    assert_eq!(
        simple("PATH=~/bin:~/sbin:$PATH").assignments[0].value,
        w(vec![
            tilde(""),
            lit("/bin:"),
            tilde(""),
            lit("/sbin:"),
            var("PATH")
        ])
    );
    assert_eq!(
        words("echo a=~:~x"),
        vec![
            p("echo"),
            w(vec![lit("a="), tilde(""), lit(":"), tilde("x")])
        ]
    );
}

// Comments and continuations.

#[test]
fn comments() {
    assert_eq!(items("# just a comment"), vec![]);
    assert_eq!(
        items("echo a # the rest ; is ignored"),
        vec![item(sc(&["echo", "a"]))]
    );
    assert_eq!(
        items("echo a#b '#' \"#\" \\#"),
        vec![item(sc_words(vec![
            p("echo"),
            p("a#b"),
            w(vec![q("#")]),
            w(vec![q("#")]),
            w(vec![q("#")]),
        ]))]
    );
    assert_eq!(
        items("echo a;#x\necho b"),
        vec![item(sc(&["echo", "a"])), item(sc(&["echo", "b"]))]
    );
    assert_eq!(words("echo $#"), vec![p("echo"), w(vec![var("#")])]);
}

#[test]
fn line_continuations() {
    assert_eq!(
        items("kubectl get \\\n  pods \\\n  -A"),
        vec![item(sc(&["kubectl", "get", "pods", "-A"]))]
    );
    assert_eq!(items("ku\\\nbectl"), vec![item(sc(&["kubectl"]))]);
    assert_eq!(
        words("echo 'a\\\nb'"),
        vec![p("echo"), w(vec![q("a\\\nb")])]
    );
    assert_eq!(words("echo \"a\\\nb\""), vec![p("echo"), w(vec![q("ab")])]);
    // At the very end of complete input a backslash is kept, as `bash -c 'echo a \'` does.
    assert_eq!(
        words("echo a \\"),
        vec![p("echo"), p("a"), w(vec![q("\\")])]
    );
}

// Compound commands.

#[test]
fn for_loops() {
    let body = vec![item(sc_words(vec![p("echo"), w(vec![var("x")])]))];
    let expected = compound(CompoundKind::For {
        name: "x".to_string(),
        words: Some(vec![p("a"), p("b")]),
        body: body.clone(),
    });
    for input in [
        "for x in a b; do echo $x; done",
        "for x in a b\ndo\n  echo $x\ndone",
        "for x\nin a b\ndo echo $x; done",
    ] {
        assert_eq!(
            items(input),
            vec![fg(ao(Pipeline {
                negated: false,
                commands: vec![expected.clone()]
            }))],
            "{input:?}"
        );
    }
    let no_in = compound(CompoundKind::For {
        name: "x".to_string(),
        words: None,
        body,
    });
    for input in ["for x; do echo $x; done", "for x do echo $x; done"] {
        assert_eq!(
            items(input),
            vec![fg(ao(Pipeline {
                negated: false,
                commands: vec![no_in.clone()]
            }))],
            "{input:?}"
        );
    }
    assert_eq!(
        error("for 1 in a; do :; done"),
        "bash: `1': not a valid identifier"
    );
}

#[test]
fn while_until_and_redirected_loops() {
    let script = items("while read line; do echo \"$line\"; done < pods.txt");
    let expected = Command::Compound(CompoundCommand {
        kind: CompoundKind::While {
            until: false,
            condition: vec![item(sc(&["read", "line"]))],
            body: vec![item(sc_words(vec![p("echo"), w(vec![qvar("line")])]))],
        },
        redirects: vec![redir(None, RedirectKind::In, p("pods.txt"))],
    });
    assert_eq!(
        script,
        vec![fg(ao(Pipeline {
            negated: false,
            commands: vec![expected]
        }))]
    );
    let until = items("until curl -s localhost:8080; do sleep 1; done");
    assert!(matches!(
        &until[0].and_or.first.commands[0],
        Command::Compound(CompoundCommand {
            kind: CompoundKind::While { until: true, .. },
            ..
        })
    ));
}

#[test]
fn if_elif_else() {
    let expected = compound(CompoundKind::If {
        branches: vec![
            IfBranch {
                condition: vec![item(sc(&["a"]))],
                body: vec![item(sc(&["b"]))],
            },
            IfBranch {
                condition: vec![item(sc(&["c"]))],
                body: vec![item(sc(&["d"])), item(sc(&["e"]))],
            },
        ],
        else_body: Some(vec![item(sc(&["f"]))]),
    });
    for input in [
        "if a; then b; elif c; then d; e; else f; fi",
        "if a\nthen\n b\nelif c\nthen d\n e\nelse\n f\nfi",
    ] {
        assert_eq!(
            items(input),
            vec![fg(ao(Pipeline {
                negated: false,
                commands: vec![expected.clone()]
            }))],
            "{input:?}"
        );
    }
    let simple_if = items("if [ -f /etc/kubernetes/manifests/web.yaml ]; then echo yes; fi");
    assert!(matches!(
        &simple_if[0].and_or.first.commands[0],
        Command::Compound(CompoundCommand {
            kind: CompoundKind::If {
                else_body: None,
                ..
            },
            ..
        })
    ));
}

#[test]
fn groups_and_subshells() {
    let group = |body| compound(CompoundKind::BraceGroup(body));
    let sub = |body| compound(CompoundKind::Subshell(body));
    let one = |command| Pipeline {
        negated: false,
        commands: vec![command],
    };
    assert_eq!(
        items("{ a; b; }"),
        vec![fg(ao(one(group(vec![item(sc(&["a"])), item(sc(&["b"]))]))))]
    );
    assert_eq!(
        items("(cd /tmp && ls)"),
        vec![fg(ao(one(sub(vec![fg(AndOr {
            first: pl(vec![sc(&["cd", "/tmp"])]),
            rest: vec![(AndOrOp::And, pl(vec![sc(&["ls"])]))],
        })]))))]
    );
    // After a compound command the closing keyword needs no separator.
    assert_eq!(
        items("{ (a) }"),
        vec![fg(ao(one(group(vec![fg(ao(one(sub(vec![item(sc(
            &["a"]
        ))]))))]))))]
    );
    assert_eq!(items("if (true) then echo b; fi").len(), 1);
    let redirected = items("{ echo a; echo b; } 2>&1 > out | cat");
    let Command::Compound(CompoundCommand { redirects, .. }) =
        &redirected[0].and_or.first.commands[0]
    else {
        panic!("{redirected:?}");
    };
    assert_eq!(
        redirects,
        &vec![redir(Some(2), RedirectKind::DupOut, p("1")), out_to("out")]
    );
}

#[test]
fn keyword_errors_match_bash() {
    for (input, token) in [
        ("do", "do"),
        ("done", "done"),
        ("then", "then"),
        ("fi", "fi"),
        ("if then", "then"),
        ("{ }", "}"),
        ("()", ")"),
        ("echo a; }", "}"),
        ("while false; do :; done done", "done"),
        ("{ a; } b", "b"),
        ("echo (", "("),
        ("for x in a > b; do :; done", ">"),
        ("in", "in"),
        ("]]", "]]"),
        ("a; in b", "in"),
        ("echo >1>b", "1"),
        ("cat <<1>b", "1"),
    ] {
        assert_eq!(
            error(input),
            format!("bash: syntax error near unexpected token `{token}'"),
            "{input:?}"
        );
    }
}

#[test]
fn unsupported_constructs_are_errors() {
    for (input, what) in [
        ("case x in a) ;; esac", "`case'"),
        ("select x in a; do :; done", "`select'"),
        ("[[ -f x ]]", "`[[ ... ]]'"),
        ("echo $[1 + 2]", "arithmetic expansion"),
        ("diff <(ls a) <(ls b)", "process substitution"),
        ("a=(1 2)", "arrays"),
    ] {
        let message = error(input);
        assert!(
            message.starts_with("bash: not supported in this playground: "),
            "{input:?}: {message}"
        );
        assert!(message.contains(what), "{input:?}: {message}");
    }
}

// Syntax errors, in bash's words.

#[test]
fn syntax_errors_match_bash() {
    for (input, token) in [
        ("echo )", ")"),
        ("| grep x", "|"),
        ("echo a | | b", "|"),
        ("&& b", "&&"),
        ("a ;;", ";;"),
        ("echo a & ; echo b", ";"),
        ("echo a & & echo b", "&"),
        ("; a", ";"),
        ("echo a;;b", ";;"),
    ] {
        assert_eq!(
            error(input),
            format!("bash: syntax error near unexpected token `{token}'"),
            "{input:?}"
        );
    }
    let eof = "bash: syntax error: unexpected end of file";
    for input in [
        "echo |",
        "a &&",
        "a ||\n",
        "if true; then",
        "for x in a b",
        "( a",
        "{ a",
        "while a; do b",
    ] {
        assert_eq!(error(input), eof, "{input:?}");
    }
    for (input, c) in [
        ("echo \"abc", '"'),
        ("echo 'abc", '\''),
        ("echo `abc", '`'),
        ("echo $'abc", '\''),
        ("echo $(abc", ')'),
        ("echo $(a |", ')'),
        ("echo \"$(a", ')'),
        ("echo $(echo \"abc", '"'),
        ("echo ${abc", '}'),
        ("echo ${a:-\"b", '"'),
    ] {
        assert_eq!(
            error(input),
            format!("bash: unexpected EOF while looking for matching `{c}'\n{eof}"),
            "{input:?}"
        );
    }
}

#[test]
fn error_lines() {
    let line = |input: &str| parse(input).err().map(|err| err.line);
    assert_eq!(line("echo a\necho b\necho )"), Some(3));
    assert_eq!(line("echo a\n\n{ a; } b"), Some(3));
    assert_eq!(line("echo \"a\nb\nc"), Some(3));
    assert_eq!(line("echo >\necho"), Some(1));
    assert_eq!(line("a\n\nfor 1 in x; do :; done"), Some(3));
}

// Completeness.

#[test]
fn completeness_of_complete_input() {
    for input in [
        "",
        "kubectl get pods",
        "echo a\\\\",
        "cat <<EOF\napiVersion: v1\nEOF",
        "cat <<EOF\napiVersion: v1\nEOF\n",
        "for x in a b\ndo\n echo $x\ndone",
        "echo \"multi\nline\"",
        "echo a # comment with ' quote",
        "echo a # a comment ends in \\",
        "echo $(ls\n)",
        "cat <<EOF\nname: $(hostname\n)\nEOF",
        "!",
    ] {
        assert_eq!(completeness(input), Completeness::Complete, "{input:?}");
    }
}

#[test]
fn completeness_of_incomplete_input() {
    use IncompleteReason::*;
    let cases: Vec<(&str, IncompleteReason)> = vec![
        ("echo \"abc", Quote('"')),
        ("echo 'abc\ndef", Quote('\'')),
        ("echo `date", Quote('`')),
        ("echo $'a", Quote('\'')),
        ("echo $(crictl ps", CommandSubst),
        ("echo \"$(crictl ps -q\n", CommandSubst),
        ("echo ${NAME", ParamBrace),
        (
            "cat <<EOF",
            HereDoc {
                delimiter: "EOF".to_string(),
            },
        ),
        (
            "cat <<'EOF' > /tmp/x.yaml\napiVersion: v1",
            HereDoc {
                delimiter: "EOF".to_string(),
            },
        ),
        (
            "cat <<-EOF\n\tEOF2",
            HereDoc {
                delimiter: "EOF".to_string(),
            },
        ),
        // An unfinished body is not judged yet: its `$(` may close on a later line.
        (
            "cat <<EOF\nname: $(hostname",
            HereDoc {
                delimiter: "EOF".to_string(),
            },
        ),
        (
            "cat <<EOF | kubectl apply -f -\nkind: Pod",
            HereDoc {
                delimiter: "EOF".to_string(),
            },
        ),
        ("kubectl get pods \\", LineContinuation),
        ("kubectl get pods \\\n", LineContinuation),
        ("kubectl get\\", LineContinuation),
        ("kubectl get pods |", Operator("|".to_string())),
        ("kubectl get pods |\n", Operator("|".to_string())),
        ("make |&", Operator("|&".to_string())),
        ("a &&", Operator("&&".to_string())),
        ("a ||", Operator("||".to_string())),
        ("if true; then", Compound("if".to_string())),
        ("if true; then a; else", Compound("if".to_string())),
        ("for x in a b", Compound("for".to_string())),
        ("for x in a b; do\necho $x", Compound("for".to_string())),
        ("while true", Compound("while".to_string())),
        ("until false; do", Compound("until".to_string())),
        ("{ echo a", Compound("{".to_string())),
        ("( echo a", Compound("(".to_string())),
    ];
    for (input, reason) in cases {
        assert_eq!(
            completeness(input),
            Completeness::Incomplete(reason),
            "{input:?}"
        );
    }
}

#[test]
fn completeness_of_wrong_input() {
    for input in [
        "echo )",
        "echo >",
        "do",
        "a ;; b",
        "echo ${}",
        "case x in esac",
        "echo \"$(cat <<B)\"\nb\nB",
    ] {
        assert!(
            matches!(completeness(input), Completeness::Error(_)),
            "{input:?}"
        );
    }
    // Bash reports the line's own syntax error before it would read a body.
    assert_eq!(
        completeness("cat <<EOF <<-"),
        Completeness::Error(ParseError {
            kind: ParseErrorKind::UnexpectedToken("newline".to_string()),
            line: 1,
            needs_more: None,
        })
    );
    // A broken inner text is wrong for good, even when its own end looks unfinished.
    assert!(matches!(
        completeness("echo `echo $(a`"),
        Completeness::Error(_)
    ));
    assert!(matches!(
        completeness("cat <<EOF\n$(a\nEOF"),
        Completeness::Error(_)
    ));
}

// Splitting scripts.

#[test]
fn split_commands_of_a_lesson_script() {
    let script = "\
#!/bin/bash
# Create a static pod and watch it.

cat <<EOF > /etc/kubernetes/manifests/web.yaml
apiVersion: v1
kind: Pod
EOF
kubectl get pods   # list them
crictl stop $(crictl ps -q --name web); sleep 2

for i in 1 2 3; do
  # poll
  kubectl get pods
done
kubectl describe pod web \\
  --namespace default
cat <<'A' | grep x; cat <<B
x $HOME
A
y
B
echo \"multi
line\"
";
    assert_eq!(
        split_commands(script),
        Ok(vec![
            "cat <<EOF > /etc/kubernetes/manifests/web.yaml\napiVersion: v1\nkind: Pod\nEOF"
                .to_string(),
            "kubectl get pods   # list them".to_string(),
            "crictl stop $(crictl ps -q --name web); sleep 2".to_string(),
            "for i in 1 2 3; do\n  # poll\n  kubectl get pods\ndone".to_string(),
            "kubectl describe pod web \\\n  --namespace default".to_string(),
            "cat <<'A' | grep x; cat <<B\nx $HOME\nA\ny\nB".to_string(),
            "echo \"multi\nline\"".to_string(),
        ])
    );
}

#[test]
fn split_commands_edge_cases() {
    assert_eq!(split_commands(""), Ok(vec![]));
    assert_eq!(split_commands("# only\n\n   # comments\n"), Ok(vec![]));
    assert_eq!(
        split_commands("a &\nb"),
        Ok(vec!["a &".to_string(), "b".to_string()])
    );
    assert_eq!(
        split_commands("  indented  \n"),
        Ok(vec!["indented".to_string()])
    );
    assert_eq!(
        split_commands("cat <<EOF\nunterminated"),
        Ok(vec!["cat <<EOF\nunterminated".to_string()])
    );
    assert_eq!(
        split_commands("echo ok\necho )").map_err(|err| (err.to_string(), err.line)),
        Err((
            "bash: syntax error near unexpected token `)'".to_string(),
            2
        ))
    );
}

// Printing.

#[test]
fn arithmetic_and_functions_parse() {
    let script = parsed("echo $((x+1))");
    let Command::Simple(simple) = &script.items[0].and_or.first.commands[0] else {
        panic!("not simple");
    };
    assert!(matches!(
        &simple.words[1].parts[..],
        [WordPart::Arith { quoted: false, .. }]
    ));
    // `$((` that closes as `)` then something else is a command substitution after all.
    let script = parsed("echo $((echo a) | cat)");
    let Command::Simple(simple) = &script.items[0].and_or.first.commands[0] else {
        panic!("not simple");
    };
    assert!(matches!(
        &simple.words[1].parts[..],
        [WordPart::CommandSubst { .. }]
    ));
    assert!(matches!(
        completeness("echo $((1 +"),
        Completeness::Incomplete(_)
    ));
    assert!(matches!(
        completeness("f() {\necho"),
        Completeness::Incomplete(_)
    ));
    assert!(matches!(completeness("f()"), Completeness::Incomplete(_)));
    assert_eq!(
        error("f() echo hi"),
        "bash: syntax error near unexpected token `echo'"
    );
}

#[test]
fn display_prints_faithful_shell_text() {
    for (input, printed) in [
        ("kubectl get pods", "kubectl get pods"),
        ("a&&b||c;d&", "a && b || c; d &"),
        ("a & b", "a & b"),
        (
            "echo 'a b' \"c $d\" e\\ f '' x'y'",
            "echo 'a b' 'c '\"$d\" e' 'f '' x'y'",
        ),
        ("echo \"it's\" 'a\"b' \\$x", "echo \"it's\" 'a\"b' '$'x"),
        (
            "echo ${x}y $x-y ${10} \"${x:-a b}\" ${y:-'c'} ${#z} ${f%%.*}",
            "echo ${x}y $x-y ${10} \"${x:-a b}\" ${y:-'c'} ${#z} ${f%%.*}",
        ),
        (">out echo hi 2>&1", "echo hi > out 2>&1"),
        ("A=1 B= cmd <in", "A=1 B= cmd < in"),
        ("echo `date` $( (a) )", "echo $(date) $( ( a ) )"),
        ("cd ~/x; X=~:~/y", "cd ~/x; X=~:~/y"),
        ("! a | b", "! a | b"),
        ("!;!", "!; !"),
        ("(!;)", "( !; )"),
        ("echo `!`", "echo $(!;)"),
        ("a |& b", "a 2>&1 | b"),
        (
            "for x in a b; do echo $x; done > o",
            "for x in a b; do echo $x; done > o",
        ),
        ("for x\ndo a & done", "for x; do a & done"),
        ("while a; do b; done", "while a; do b; done"),
        (
            "if a; then b; elif c; then d; else e; fi",
            "if a; then b; elif c; then d; else e; fi",
        ),
        ("{ a; }", "{ a; }"),
        ("(a;b)", "( a; b )"),
        (
            "cat <<EOF | kubectl apply -f -\nkind: $K \\$x\nEOF\necho done",
            "cat <<EOF | kubectl apply -f -\nkind: $K \\$x\nEOF\necho done",
        ),
        (
            "cat <<'E' >f; cat <<-X\n$lit\nE\n\tx\n\tX",
            "cat <<'E' > f\n$lit\nE\ncat <<-X\nx\nX",
        ),
        (
            "for i in 1; do cat <<E\n$i\nE\ndone",
            "for i in 1; do cat <<E\n$i\nE\ndone",
        ),
        ("x=$(cat <<E\nhi\nE\n)", "x=$(cat <<E\nhi\nE\n)"),
        ("cat << -x\nb\n-x", "cat << -x\nb\n-x"),
        (">f done", "> f done"),
        ("echo $'a\\tb'", "echo 'a\tb'"),
        ("echo $((1 + $x * (2)))", "echo $((1 + $x * (2)))"),
        ("echo \"$(( y ))\"", "echo \"$(( y ))\""),
        ("(( i++ )) > o", "(( i++ )) > o"),
        ("f() { echo $1; }", "f () { echo $1; }"),
        ("function g\n{ a; } ; g", "g () { a; }; g"),
        ("function h () ( a )", "h () ( a )"),
        ("echo $( (a) )", "echo $( ( a ) )"),
    ] {
        let script = parsed(input);
        assert_eq!(script.to_string(), printed, "{input:?}");
        assert_eq!(
            parsed(printed).items,
            script.items,
            "{input:?} printed as {printed:?}"
        );
    }
}

#[test]
fn display_of_single_nodes() {
    let command = simple("cat <<EOF >out\nbody\nEOF");
    assert_eq!(command.redirects[0].to_string(), "<<EOF");
    assert_eq!(command.redirects[1].to_string(), "> out");
    assert_eq!(p("x").to_string(), "x");
    assert_eq!(
        w(vec![lit("--name="), var("NAME"), q("-x")]).to_string(),
        "--name=$NAME'-x'"
    );
    let script = parsed("a && b | c");
    assert_eq!(script.items[0].and_or.to_string(), "a && b | c");
    assert_eq!(script.items[0].and_or.rest[0].1.to_string(), "b | c");
    assert_eq!(script.items[0].and_or.first.commands[0].to_string(), "a");
}

// Tab completion.

#[test]
fn tokenize_for_completion_cases() {
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for (line, before, partial) in [
        ("", vec![], ""),
        ("kub", vec![], "kub"),
        ("kubectl get po", vec!["kubectl", "get"], "po"),
        ("kubectl get ", vec!["kubectl", "get"], ""),
        ("cat /etc/kub", vec!["cat"], "/etc/kub"),
        ("cat \"/etc/my dir/ku", vec!["cat"], "/etc/my dir/ku"),
        ("cat '/a b'/c", vec!["cat"], "/a b/c"),
        ("cat a\\ b", vec!["cat"], "a b"),
        ("kubectl get pods | grep w", vec!["grep"], "w"),
        ("a && b; kubectl de", vec!["kubectl"], "de"),
        ("echo hi > /tmp/o", vec!["echo", "hi", ">"], "/tmp/o"),
        ("cmd 2>/dev/nu", vec!["cmd", "2>"], "/dev/nu"),
        ("cmd 2>&1 | x", vec![], "x"),
        ("crictl stop $(crictl ps --na", vec!["crictl", "ps"], "--na"),
        ("echo $(date) x", vec!["echo", "$(...)"], "x"),
        ("echo a # comm", vec![], ""),
        (
            "NS=x kubectl -n $NS get p",
            vec!["NS=x", "kubectl", "-n", "$NS", "get"],
            "p",
        ),
    ] {
        assert_eq!(
            tokenize_for_completion(line),
            (strings(&before), partial.to_string()),
            "{line:?}"
        );
    }
}

// Robustness.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64: deterministic, so a failure reproduces.
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: [&str; 60] = [
    " ", " ", "\n", "\t", "a", "b", "echo", "cat", "x=", "'", "\"", "`", "\\", "$", "$(", "${",
    "}", "{", "(", ")", "|", "||", "&", "&&", ";", ";;", "<", ">", ">>", "2>&1", "<<", "<<-",
    "<<'E'", "<<E", "\nE\n", "E", "#", "~", "*", "?", "[", "]", "=", ":", "-", "if", "then", "fi",
    "for", "in", "do", "done", "while", "!", "é", "\r", "\0", "$?", "$'", "0",
];

fn random_input(rng: &mut Rng) -> String {
    let mut input = String::new();
    for _ in 0..rng.below(40) {
        if rng.below(10) == 0 {
            input.push(char::from_u32(rng.below(0x3000) as u32).unwrap_or('x'));
        } else {
            input.push_str(PIECES[rng.below(PIECES.len())]);
        }
    }
    input
}

/// Checks one input: nothing panics, `completeness` agrees with `parse`, and whatever parses
/// prints as text that parses back to the same tree. Returns whether it parsed.
fn check_input(input: &str) -> bool {
    let complete = completeness(input);
    let _ = split_commands(input);
    let _ = tokenize_for_completion(input);
    let parsed = parse(input);
    // Here-document bodies are only parsed once complete, and a trailing backslash waits
    // for the next line, so with those the two may fail differently.
    let lenient = input.contains("<<") || input.trim_end_matches('\n').ends_with('\\');
    match (&complete, &parsed) {
        (Completeness::Complete, Err(err)) => panic!("complete, yet {err}: {input:?}"),
        (Completeness::Error(err), Ok(_)) => panic!("{err}, yet it parses: {input:?}"),
        (Completeness::Error(err), Err(_)) if err.needs_more.is_some() => {
            panic!("{err} needs more input, yet is an error: {input:?}")
        }
        (Completeness::Error(partial), Err(full)) if partial != full && !lenient => {
            panic!("{partial} versus {full}: {input:?}")
        }
        (Completeness::Incomplete(_), Err(err)) if err.needs_more.is_none() && !lenient => {
            panic!("incomplete, yet {err}: {input:?}")
        }
        _ => (),
    }
    let Ok(script) = parsed else {
        return false;
    };
    // A body cut off by the end of input (or of a backtick text) has no faithful printed
    // form: printing adds the delimiter line it never had.
    if !script.warnings.is_empty() {
        return true;
    }
    let printed = script.to_string();
    match parse(&printed) {
        Ok(again) => assert_eq!(
            again.items, script.items,
            "round trip changed the tree\ninput: {input:?}\nprinted: {printed:?}"
        ),
        Err(err) => {
            panic!("printed form does not parse: {err}\ninput: {input:?}\nprinted: {printed:?}")
        }
    }
    true
}

/// Random shell-ish inputs; run with more iterations and other seeds when changing the
/// parser (millions passed while it was written).
#[test]
fn fuzz_never_panics_and_round_trips() {
    let mut rng = Rng(7);
    let mut ok = 0;
    for _ in 0..30_000 {
        let input = random_input(&mut rng);
        if check_input(&input) {
            ok += 1;
        }
    }
    assert!(3000 < ok, "too few inputs parsed: {ok}");
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(99);
    for _ in 0..5_000 {
        let bytes: Vec<u8> = (0..rng.below(64)).map(|_| rng.below(256) as u8).collect();
        check_input(&String::from_utf8_lossy(&bytes));
    }
}

/// Deep nesting is refused with an error before it can exhaust the stack: even a debug
/// build stays inside 1 MiB (the wasm default), and release builds need far less.
#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let shapes = [
        ("$(", ")"),
        ("\"$(", ")\""),
        ("${x:-", "}"),
        ("{ ", "; }"),
        ("( ", " )"),
        ("if ", "; then a; fi"),
        ("for x in $(", "); do a; done"),
        ("\"${x:-$(", ")}\""),
        ("while ", "; do a; done"),
    ];
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let mut results = Vec::new();
            for (open, close) in shapes {
                for depth in [10, 100, 10_000] {
                    let input = format!("{}a{}", open.repeat(depth), close.repeat(depth));
                    results.push((
                        open,
                        depth,
                        parse(&input).map(|_| ()).map_err(|e| e.to_string()),
                    ));
                }
            }
            results
        });
    let results = match handle.map(|h| h.join()) {
        Ok(Ok(results)) => results,
        _ => panic!("parser thread failed"),
    };
    for (open, depth, result) in results {
        match depth {
            10 => assert_eq!(result, Ok(()), "{open:?} x {depth}"),
            _ => assert_eq!(
                result,
                Err(
                    "bash: not supported in this playground: nesting deeper than 32 levels"
                        .to_string()
                ),
                "{open:?} x {depth}"
            ),
        }
    }
}
