//! An iterative walk over a schema and the schemas it reaches through
//! properties, items, compositions and `$ref`s.

use crate::refs::{Located, RefError, RefStep, Resolver};
use assay_span::{FileId, FileSpan};
use std::collections::HashSet;

/// Most schemas one walk visits (`max-schema-visits`); a walk that reaches
/// it stops there. Each schema is visited once per walk, so recursive
/// schemas end without it; it bounds pathological fan-out.
pub const MAX_SCHEMA_VISITS: usize = 100_000;

/// Most steps [`Trail::describe`] spells out (the last ones); keeps a
/// message short and its cost bounded however deep the schema is.
const MAX_DESCRIBED_STEPS: usize = 16;

/// One step from a schema to a schema it reaches.
#[derive(Clone, Debug)]
enum Step<'m> {
    Ref(String),
    Property(&'m str),
    Items,
    AdditionalProperties,
    Composition(&'static str, usize),
}

/// How each visited schema was reached, shared by the whole walk: each entry
/// is a step and the index of the entry before it.
#[derive(Debug, Default)]
pub struct Trail<'m> {
    steps: Vec<(Option<usize>, Step<'m>)>,
}

impl<'m> Trail<'m> {
    fn push(&mut self, parent: Option<usize>, step: Step<'m>) -> Option<usize> {
        self.steps.push((parent, step));
        Some(self.steps.len() - 1)
    }

    /// `` `#/components/schemas/NewPet`.tags[] → `#/components/schemas/Tag`.name ``
    /// for the schema reached at `at`; empty for the walk's root.
    #[must_use]
    pub fn describe(&self, at: Option<usize>) -> String {
        let mut steps = Vec::new();
        let mut cursor = at;
        while let Some((parent, step)) = cursor.and_then(|i| self.steps.get(i)) {
            if steps.len() == MAX_DESCRIBED_STEPS {
                break;
            }
            steps.push(step);
            cursor = *parent;
        }
        // Deep chains are cut at the front: the steps nearest the schema say most.
        let mut out = String::from(if cursor.is_some() { "…" } else { "" });
        for step in steps.into_iter().rev() {
            match step {
                Step::Ref(r) => {
                    if !out.is_empty() {
                        out.push_str(" → ");
                    }
                    out.push('`');
                    out.push_str(r);
                    out.push('`');
                }
                Step::Property(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Step::Items => out.push_str("[]"),
                Step::AdditionalProperties => out.push_str(".additionalProperties"),
                Step::Composition(kind, i) => out.push_str(&format!(".{kind}[{i}]")),
            }
        }
        out
    }
}

/// A schema still to visit.
#[derive(Clone, Copy)]
struct Pending<'m> {
    node: Located<'m>,
    /// The property key it is written under.
    key: Option<Located<'m>>,
    property: Option<&'m str>,
    trail: Option<usize>,
    read_only: bool,
    composed: bool,
    parent: Option<(Located<'m>, Option<usize>)>,
}

/// A schema met by [`walk_schema`].
#[derive(Clone, Copy, Debug)]
pub struct SchemaVisit<'m> {
    /// The schema, `$ref`s followed.
    pub schema: Located<'m>,
    /// Where a finding about it points: the property key when the schema is
    /// written inline under it, else the schema where it is written.
    pub anchor: FileSpan,
    /// The property name, when the schema is a property's.
    pub property: Option<&'m str>,
    /// Index into the walk's [`Trail`] (see [`Trail::describe`]).
    pub trail: Option<usize>,
    /// Reached only through `items`/`properties` of a read-only context
    /// (`readOnly: true` on the schema or one of its parents).
    pub read_only: bool,
    /// Reached as a part of `allOf`, `anyOf` or `oneOf`.
    pub composed: bool,
    /// For a property: the object schema that declares it, and its trail entry.
    pub parent: Option<(Located<'m>, Option<usize>)>,
}

impl<'m> SchemaVisit<'m> {
    /// The `type`s the schema declares (`type: x` or, in 3.1, `type: [x, null]`).
    #[must_use]
    pub fn types(&self) -> Vec<&'m str> {
        schema_types(self.schema)
    }

    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.schema.value.get(key).is_some()
    }
}

/// The `type`s a schema declares.
#[must_use]
pub fn schema_types(schema: Located<'_>) -> Vec<&str> {
    match schema.get("type") {
        Some(t) if t.value.is_sequence() => t.items().filter_map(|i| i.value.as_str()).collect(),
        Some(t) => t.value.as_str().into_iter().collect(),
        None => Vec::new(),
    }
}

/// Visit `root` (reached through `via`) and every schema it reaches, each once.
/// `visit` returns whether to walk into the schema's children. References
/// that cannot be followed are returned (and their subtrees skipped).
pub fn walk_schema<'m>(
    resolver: &Resolver<'m>,
    root: Located<'m>,
    via: &[RefStep],
    mut visit: impl FnMut(&SchemaVisit<'m>, &Trail<'m>) -> bool,
) -> Vec<RefError> {
    let mut errors = Vec::new();
    let mut trail = Trail::default();
    let mut at = None;
    for step in via {
        at = trail.push(at, Step::Ref(step.reference.clone()));
    }
    let mut seen: HashSet<(FileId, u32)> = HashSet::new();
    let mut stack: Vec<Pending<'m>> = vec![Pending {
        node: root,
        key: None,
        property: None,
        trail: at,
        read_only: false,
        composed: false,
        parent: None,
    }];
    let mut visits = 0usize;
    while let Some(pending) = stack.pop() {
        let Pending {
            node,
            key,
            property,
            trail: at,
            read_only,
            composed,
            parent,
        } = pending;
        let resolved = match resolver.resolve(node) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let schema = resolved.target;
        if !schema.value.is_mapping() || seen.contains(&schema.key()) {
            continue;
        }
        visits += 1;
        if visits > MAX_SCHEMA_VISITS {
            break;
        }
        seen.insert(schema.key());
        let mut at = at;
        for step in resolved.via {
            at = trail.push(at, Step::Ref(step.reference));
        }
        let anchor = match key {
            Some(key) if node.reference().is_none() => key.span(),
            _ => schema.span(),
        };
        let read_only = read_only || schema.get_str("readOnly") == Some("true");
        let visited = SchemaVisit {
            schema,
            anchor,
            property,
            trail: at,
            read_only,
            composed,
            parent,
        };
        if !visit(&visited, &trail) {
            continue;
        }
        let child = |node, trail| Pending {
            node,
            key: None,
            property: None,
            trail,
            read_only,
            composed: false,
            parent: None,
        };
        let mut children = Vec::new();
        for (name, key, value) in schema
            .get("properties")
            .into_iter()
            .flat_map(Located::entries)
        {
            let step_at = trail.push(at, Step::Property(name));
            children.push(Pending {
                key: Some(key),
                property: Some(name),
                parent: Some((schema, at)),
                ..child(value, step_at)
            });
        }
        if let Some(items) = schema.get("items") {
            let step_at = trail.push(at, Step::Items);
            if items.value.is_sequence() {
                children.extend(items.items().map(|i| child(i, step_at)));
            } else {
                children.push(child(items, step_at));
            }
        }
        if let Some(extra) = schema
            .get("additionalProperties")
            .filter(|a| a.value.is_mapping())
        {
            let step_at = trail.push(at, Step::AdditionalProperties);
            children.push(child(extra, step_at));
        }
        for kind in ["allOf", "anyOf", "oneOf"] {
            for (i, part) in schema
                .get(kind)
                .into_iter()
                .flat_map(Located::items)
                .enumerate()
            {
                let step_at = trail.push(at, Step::Composition(kind, i));
                children.push(Pending {
                    property,
                    composed: true,
                    parent,
                    ..child(part, step_at)
                });
            }
        }
        // Reversed so children are visited in the order written.
        stack.extend(children.into_iter().rev());
    }
    errors
}
