//! Parser behaviour: spans, aliases, merges, duplicates, limits, hostile input.

use assay_span::{Pos, Span};
use assay_yaml::{Limits, LoadErrorKind, ScalarStyle, Tree, Value, load, parse};

fn tree(text: &str) -> Tree {
    let (tree, errors) = parse(text, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    tree
}

fn root(tree: &Tree, doc: usize) -> Value<'_> {
    tree.value(tree.documents()[doc].root)
}

#[test]
fn keys_and_values_keep_exact_positions() {
    let t = tree(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: web\n      image: \"nginx:1.27\"\n",
    );
    let r = root(&t, 0);
    let (key, value) = r
        .path(&["spec", "containers"])
        .unwrap()
        .items()
        .next()
        .unwrap()
        .entry("image")
        .unwrap();
    assert_eq!(key.span().start, Pos::new(6, 7));
    assert_eq!(value.span().start, Pos::new(6, 14));
    assert_eq!(
        value.as_scalar(),
        Some(("nginx:1.27", ScalarStyle::DoubleQuoted))
    );
    let spec = r.get("spec").unwrap();
    assert_eq!(spec.span().start, Pos::new(4, 3));
    assert_eq!(spec.span().end, Pos::new(6, 26));
}

#[test]
fn columns_count_characters_not_bytes() {
    let t = tree("é: ü\nb: x\n");
    let (_, v) = root(&t, 0).entry("é").unwrap();
    assert_eq!(v.span().start, Pos::new(1, 4));
}

#[test]
fn flow_collections_end_at_their_bracket() {
    let t = tree("{ apiVersion: \"v1\", kind: Pod, spec: {a: [1, 2],}, }\n");
    let r = root(&t, 0);
    assert_eq!(r.span(), Span::new(Pos::new(1, 1), Pos::new(1, 53)));
    assert_eq!(r.get_str("kind"), Some("Pod"));
    assert_eq!(r.path(&["spec", "a"]).unwrap().len(), 2);
}

#[test]
fn multi_document_streams_and_empty_documents() {
    let t = tree("# only a comment\n---\na: 1\n---\n---\nb: 2\n...\n");
    let docs = t.documents();
    assert!(docs.len() >= 2);
    let keys: Vec<_> = docs
        .iter()
        .filter_map(|d| {
            t.value(d.root)
                .entries()
                .next()
                .and_then(|(k, _)| k.as_str())
        })
        .collect();
    assert_eq!(keys, ["a", "b"]);
}

#[test]
fn aliases_are_references_and_merge_keys_resolve() {
    let t = tree(
        "base: &b {cpu: 100m, memory: 1Gi}\nother: &o {cpu: 1}\nres:\n  <<: [*b, *o]\n  memory: 2Gi\nlist: *b\n",
    );
    let r = root(&t, 0);
    let res = r.get("res").unwrap();
    // Written entry wins over merged; first merged source wins over the second.
    assert_eq!(res.get_str("memory"), Some("2Gi"));
    assert_eq!(res.get_str("cpu"), Some("100m"));
    let merged: Vec<_> = res
        .merged_entries()
        .iter()
        .filter_map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(merged, ["memory", "cpu"]);
    let list = r.get("list").unwrap();
    assert!(list.is_alias());
    assert_eq!(list.get_str("memory"), Some("1Gi"));
    // The alias node is one node, not a copy of the anchored mapping.
    assert_eq!(t.node_count(), 21);
}

#[test]
fn duplicate_keys_are_kept_and_listed() {
    let t = tree("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n");
    let dups = t.duplicate_keys();
    assert_eq!(dups.len(), 2);
    let c = dups.iter().find(|d| d.key == "c").unwrap();
    assert_eq!(c.first.start, Pos::new(3, 3));
    assert_eq!(c.duplicate.start, Pos::new(4, 3));
}

#[test]
fn syntax_error_keeps_earlier_documents() {
    let (t, errors) = parse("a: 1\n---\nb: [1, 2\n", &Limits::default());
    assert_eq!(t.documents().len(), 1);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, LoadErrorKind::Syntax);
    assert!(errors[0].span.start.line >= 3, "{:?}", errors[0]);
}

#[test]
fn tabs_are_a_located_syntax_error() {
    let (_, errors) = parse("a:\n\tb: 1\n", &Limits::default());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span.start.line, 2);
}

#[test]
fn depth_limit_block_and_flow() {
    let limits = Limits {
        max_depth: 50,
        ..Limits::default()
    };
    let flow = "[".repeat(10_000);
    let (_, errors) = parse(&flow, &limits);
    assert!(
        matches!(
            errors[0].kind,
            LoadErrorKind::Limit {
                limit: "max-depth",
                ..
            }
        ),
        "{errors:?}"
    );
    let mut block = String::new();
    for depth in 0..3000 {
        block.push_str(&" ".repeat(depth));
        block.push_str("k:\n");
    }
    let (_, errors) = parse(&block, &Limits::default());
    assert!(
        matches!(
            errors[0].kind,
            LoadErrorKind::Limit {
                limit: "max-depth",
                ..
            }
        ),
        "{errors:?}"
    );
    assert!(errors[0].message.contains("max-depth = 256"));
}

#[test]
fn node_document_and_scalar_limits() {
    let limits = Limits {
        max_nodes: 10,
        ..Limits::default()
    };
    let (_, e) = parse("[1,2,3,4,5,6,7,8,9,10,11]", &limits);
    assert!(matches!(
        e[0].kind,
        LoadErrorKind::Limit {
            limit: "max-nodes",
            ..
        }
    ));
    let limits = Limits {
        max_documents: 2,
        ..Limits::default()
    };
    let (t, e) = parse("a: 1\n---\nb: 1\n---\nc: 1\n", &limits);
    assert_eq!(t.documents().len(), 2);
    assert!(matches!(
        e[0].kind,
        LoadErrorKind::Limit {
            limit: "max-documents",
            ..
        }
    ));
    let limits = Limits {
        max_scalar_bytes: 4,
        ..Limits::default()
    };
    let (_, e) = parse("a: 12345\n", &limits);
    assert!(matches!(
        e[0].kind,
        LoadErrorKind::Limit {
            limit: "max-scalar-size",
            ..
        }
    ));
}

#[test]
fn alias_bomb_stays_small_and_lookups_are_bounded() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let t = tree(&text);
    assert!(t.node_count() < 200);
    // Lookups through merges stop at the alias-expansion budget.
    let limits = Limits {
        max_alias_expansion: 5,
        ..Limits::default()
    };
    let (t, _) = parse(
        "b: &b {x: 1, y: 2, z: 3}\nc: {<<: *b, p: 1, q: 2, r: 3}\n",
        &limits,
    );
    assert_eq!(root(&t, 0).get("c").unwrap().get_str("z"), None);
}

#[test]
fn hostile_bytes_never_panic() {
    for bytes in [
        &b""[..],
        b"\xFF\xFE",
        b"\xFE\xFF\x00",
        b"\x00\x01",
        b"---\n---\n",
        b"&a [*a]",
        b"*x",
        b"!!binary |\n  AAAA",
        b"? [a]\n: b\n",
    ] {
        let _ = load(bytes, &Limits::default());
    }
}

#[test]
fn complex_keys_are_not_strings() {
    let t = tree("? [a, b]\n: c\nd: e\n");
    let r = root(&t, 0);
    assert_eq!(r.get_str("d"), Some("e"));
    assert!(r.entries().next().unwrap().0.is_sequence());
}

#[test]
fn under_indented_closing_bracket_is_accepted_like_libyaml() {
    // docker compose (go-yaml) and kubectl accept this; the YAML 1.2 spec does not.
    let text = "services:\n  app:\n    command: [\n      \"start\",\n      \"--uri\"\n    ]\n    ports: [\n      \"80\"\n  ]\n";
    let t = tree(text);
    let app = root(&t, 0).path(&["services", "app"]).unwrap();
    assert_eq!(app.get("command").unwrap().len(), 2);
    assert_eq!(app.get("ports").unwrap().span().start, Pos::new(7, 12));
    // A real indentation error is still reported.
    let (_, errors) = parse("a:\n  b: 1\n c: 2\n", &Limits::default());
    assert_eq!(errors.len(), 1);
}

/// A flow collection ends just past its closing bracket, also when the
/// bracket is the last character of the input (found by the property test).
#[test]
fn flow_collections_end_after_their_bracket_at_end_of_input() {
    for (text, end) in [
        ("[]", Pos::new(1, 3)),
        ("{}", Pos::new(1, 3)),
        ("[a, b]", Pos::new(1, 7)),
        ("[a, b]\n", Pos::new(1, 7)),
        ("{a: [1]}", Pos::new(1, 9)),
    ] {
        let t = tree(text);
        assert_eq!(
            root(&t, 0).span(),
            Span::new(Pos::new(1, 1), end),
            "{text:?}"
        );
    }
}
