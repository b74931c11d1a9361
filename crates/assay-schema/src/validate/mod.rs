//! Validate a spanned YAML value against a [`Schema`], the way the API server
//! reads it: YAML 1.1 scalars (`sigs.k8s.io/yaml`), the last of duplicate
//! keys wins, `null` means "not set", and unknown fields are errors (field
//! validation `Strict`). Iterative: an explicit stack, never recursion.

use crate::bundle::VersionSchemas;
use crate::schema::{Additional, Format, Null, Schema, ty};
use assay_diagnostics::{closest, code};
use assay_span::Span;
use assay_yaml::Value;
use constraints::check_constraints;
use paths::{Paths, Seg};
use read::{Found, classify, effective_entries};
use scalar::check_scalar;
use walker::{ANY, Walker};

mod constraints;
mod describe;
mod junctors;
mod lists;
mod paths;
mod read;
mod scalar;
mod walker;

/// At most this many errors are reported per object.
pub const MAX_ERRORS: usize = 20;

/// One place where a value does not match its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// The node at fault: the value, the key of an unknown field, or the key
    /// of the mapping that misses a required field.
    pub span: Span,
    /// JSON path of the value (`spec.template.spec.containers[0].image`); its
    /// keys, like the values in `message`, are quoted with `assay_diagnostics`'
    /// helpers, so show it through `Secrets::render` (the engine does).
    pub path: String,
    /// `expected integer, found the string "three"`.
    pub message: String,
    pub fix: Option<String>,
    /// The last key of the path (empty for an array item).
    pub field: String,
    /// The key above `field`, array indices skipped (`env` for `env[0].value`).
    pub parent: String,
    /// A plain scalar that YAML 1.1 reads as a boolean or number, where the
    /// schema wants a string (`enabled: yes`).
    pub yaml11_non_string: bool,
    /// A quoted string of digits where the schema wants an integer (`replicas: "3"`).
    pub quoted_number: bool,
    /// The value may be a secret (a Secret's data, a field named like a
    /// password or token): the message does not quote it, and reporters
    /// should mask its span.
    pub sensitive: bool,
}

/// The errors of one validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validation {
    pub errors: Vec<SchemaError>,
    /// More errors were found than [`MAX_ERRORS`].
    pub truncated: bool,
}

/// Validate `root` against `schema`. `$ref`s resolve in `defs`; `anchor` is
/// where a required field missing at the root is reported.
#[must_use]
pub fn validate(
    root: Value<'_>,
    schema: &Schema,
    defs: Option<&'static VersionSchemas>,
    anchor: Span,
) -> Validation {
    validate_as(root, schema, defs, anchor, false)
}

/// [`validate`], with every value treated as a possible secret when
/// `all_sensitive`.
fn validate_as<'s>(
    root: Value<'_>,
    schema: &'s Schema,
    defs: Option<&'static VersionSchemas>,
    anchor: Span,
    all_sensitive: bool,
) -> Validation {
    let mut w: Walker<'_, 's> = Walker {
        defs,
        secret_object: root.get_str("kind") == Some("Secret"),
        all_sensitive,
        paths: Paths { nodes: Vec::new() },
        out: Validation::default(),
        _schemas: std::marker::PhantomData,
    };
    let root_path = w.paths.push(0, Seg::Root);
    let tree = root.tree();
    let mut budget = tree.node_count().saturating_add(tree.max_alias_expansion());
    // (value, schema, path, where to report a missing required field,
    // whether `null` here is a value rather than "not set")
    let mut stack = vec![(root, schema, root_path, anchor, false)];
    while let Some((value, schema, path, key_span, null_is_value)) = stack.pop() {
        if w.full() || budget == 0 {
            break;
        }
        budget -= 1;
        let schema = w.resolve(schema);
        let found = classify(value);
        if found == Found::Null {
            // A custom resource's array item or map value that is `null`
            // is not pruned: it fails the type check unless nullable.
            if null_is_value
                && schema.null == Null::Pruned
                && schema.types != 0
                && schema.format != Format::IntOrString
            {
                w.error(
                    value.span(),
                    path,
                    format!("expected {}, found null", ty::describe(schema.types)),
                    Some("remove it, or mark the schema `nullable: true`".to_owned()),
                );
            }
            continue;
        }
        if !check_scalar(&mut w, value, found, schema, path) {
            continue;
        }
        if let Some(c) = &schema.constraints {
            check_constraints(&mut w, value, found, schema, c, path);
        }
        match found {
            Found::Object => {
                let entries = effective_entries(value);
                for req in &schema.required {
                    let defaulted = schema.property(req).is_some_and(|p| p.has_default);
                    match entries.iter().find(|(k, _, _)| *k == req.as_ref()) {
                        None if defaulted => {}
                        None => w.error(
                            key_span,
                            path,
                            format!("missing required field `{req}`"),
                            Some(format!("add `{req}`")),
                        ),
                        Some((_, _, v))
                            if classify(*v) == Found::Null
                                && w.property(schema, req)
                                    .is_none_or(|p| w.resolve(p).null != Null::Allowed) =>
                        {
                            w.error(
                                v.span(),
                                path,
                                format!("required field `{req}` is null"),
                                Some(format!("give `{req}` a value")),
                            );
                        }
                        Some(_) => {}
                    }
                }
                // Push in reverse so errors come out in document order.
                for (name, k, v) in entries.into_iter().rev() {
                    let mut map_value = false;
                    let child = if let Some(p) = w.property(schema, name) {
                        p
                    } else {
                        match &schema.additional {
                            Additional::Schema(s) => {
                                map_value = true;
                                s.as_ref()
                            }
                            Additional::Any => &ANY,
                            Additional::Forbidden if schema.preserve_unknown => &ANY,
                            Additional::Forbidden => {
                                let at = w.paths.push(path, Seg::Key(name));
                                let fix = closest(
                                    name,
                                    schema.properties.iter().map(|(n, _)| n.as_ref()),
                                )
                                .map_or_else(
                                    || "remove it".to_owned(),
                                    |c| format!("did you mean `{c}`?"),
                                );
                                w.error(
                                    k.span(),
                                    at,
                                    format!("unknown field {}", code(name)),
                                    Some(fix),
                                );
                                continue;
                            }
                        }
                    };
                    let at = w.paths.push(path, Seg::Key(name));
                    stack.push((v, child, at, k.span(), map_value));
                }
            }
            Found::Array => {
                let items = schema.items.as_deref().unwrap_or(&ANY);
                let children: Vec<_> = value.items().enumerate().collect();
                for (i, item) in children.into_iter().rev() {
                    let at = w.paths.push(path, Seg::Index(i));
                    stack.push((item, items, at, item.span(), true));
                }
            }
            _ => {}
        }
    }
    // Errors were found depth-first; report them in document order.
    w.out
        .errors
        .sort_by_key(|e| (e.span.start.line, e.span.start.col));
    w.out
}
