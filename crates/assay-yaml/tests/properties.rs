//! Property tests: no input panics, and every span lies inside the text and
//! inside its parent, after its predecessor (ruff's parser span validator).

use assay_span::Pos;
use assay_yaml::{Limits, NodeKind, Tree, Value, load, parse};
use proptest::prelude::*;

/// A YAML value rendered in block style.
#[derive(Clone, Debug)]
enum Doc {
    Scalar(String),
    Map(Vec<(String, Doc)>),
    Seq(Vec<Doc>),
}

fn doc_strategy() -> impl Strategy<Value = Doc> {
    let scalar = "[a-z][a-z0-9é]{0,8}".prop_map(Doc::Scalar);
    scalar.prop_recursive(6, 64, 5, |inner| {
        prop_oneof![
            prop::collection::vec(("[a-z][a-z0-9]{0,6}", inner.clone()), 1..5).prop_map(
                |entries| {
                    // Unique keys: duplicates are reported, not part of this property.
                    let mut seen = std::collections::BTreeSet::new();
                    Doc::Map(
                        entries
                            .into_iter()
                            .filter(|(k, _)| seen.insert(k.clone()))
                            .collect(),
                    )
                }
            ),
            prop::collection::vec(inner, 1..5).prop_map(Doc::Seq),
        ]
    })
}

fn render(doc: &Doc, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match doc {
        Doc::Scalar(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Doc::Map(entries) => {
            for (k, v) in entries {
                out.push_str(&pad);
                out.push_str(k);
                out.push(':');
                match v {
                    Doc::Scalar(s) => {
                        out.push(' ');
                        out.push_str(s);
                        out.push('\n');
                    }
                    _ => {
                        out.push('\n');
                        render(v, indent + 2, out);
                    }
                }
            }
        }
        Doc::Seq(items) => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                match item {
                    Doc::Scalar(s) => {
                        out.push(' ');
                        out.push_str(s);
                        out.push('\n');
                    }
                    _ => {
                        out.push('\n');
                        render(item, indent + 2, out);
                    }
                }
            }
        }
    }
}

fn check_spans(tree: &Tree, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let within_text = |p: Pos| {
        let line = p.line as usize;
        line >= 1 && line <= lines.len() + 1 && {
            let len = lines.get(line - 1).map_or(0, |l| l.chars().count());
            p.col as usize <= len + 1
        }
    };
    let mut stack: Vec<Value<'_>> = tree
        .documents()
        .iter()
        .map(|d| tree.value(d.root))
        .collect();
    while let Some(v) = stack.pop() {
        let span = v.span();
        assert!(
            within_text(span.start) && within_text(span.end),
            "{span:?} outside the text"
        );
        assert!(span.start <= span.end, "{span:?} ends before it starts");
        let children: Vec<Value<'_>> = match tree.node(v.id()).map(|n| n.kind) {
            Some(NodeKind::Mapping { .. }) => v.entries().flat_map(|(k, val)| [k, val]).collect(),
            Some(NodeKind::Sequence { .. }) => v.items().collect(),
            _ => Vec::new(),
        };
        let mut previous_end = span.start;
        for child in &children {
            let c = child.span();
            assert!(span.contains(&c), "child {c:?} not inside parent {span:?}");
            assert!(
                c.start >= previous_end,
                "child {c:?} starts before its predecessor ends at {previous_end:?}"
            );
            previous_end = c.end;
        }
        stack.extend(children);
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = load(&bytes, &Limits::default());
    }

    #[test]
    fn yamlish_text_never_panics(text in "[-:{}\\[\\],&*!|>'\" a-z0-9\n#?]{0,200}") {
        let (tree, _) = parse(&text, &Limits::default());
        check_spans(&tree, &text);
    }

    #[test]
    fn block_documents_parse_with_nested_spans(doc in doc_strategy()) {
        let mut text = String::new();
        render(&doc, 0, &mut text);
        let (tree, errors) = parse(&text, &Limits::default());
        prop_assert!(errors.is_empty(), "{errors:?} in\n{text}");
        prop_assert_eq!(tree.documents().len(), 1);
        check_spans(&tree, &text);
    }
}
