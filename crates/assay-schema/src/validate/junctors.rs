//! `allOf`, `anyOf`, `oneOf` and `not`.

use super::describe::describe;
use super::paths::join_path;
use super::read::Found;
use super::walker::Walker;
use super::{SchemaError, Validation, validate_as};
use crate::schema::{Constraints, Schema};
use assay_yaml::Value;

/// `allOf`, `anyOf`, `oneOf`, `not` (value validations; bounded by the
/// schema's nesting depth).
pub(super) fn check_junctors(
    w: &mut Walker<'_, '_>,
    value: Value<'_>,
    found: Found,
    c: &Constraints,
    path: u32,
    undecided: bool,
) {
    if c.all_of.is_empty() && c.any_of.is_empty() && c.one_of.is_empty() && c.not.is_none() {
        return;
    }
    let defs = w.defs;
    let hidden = w.is_sensitive(path);
    let sub = |s: &Schema| validate_as(value, s, defs, value.span(), hidden);
    let base = w.paths.render(path);
    for s in &c.all_of {
        for e in sub(s).errors {
            w.push_error(SchemaError {
                path: join_path(&base, &e.path),
                ..e
            });
        }
    }
    let first_error = |v: &Validation| {
        v.errors
            .first()
            .map(|e| format!("{}: {}", join_path(&base, &e.path), e.message))
            .unwrap_or_default()
    };
    if undecided {
        return;
    }
    if !c.any_of.is_empty() {
        let results: Vec<Validation> = c.any_of.iter().map(sub).collect();
        if results.iter().all(|r| !r.errors.is_empty()) {
            let why = results.first().map(&first_error).unwrap_or_default();
            w.error(
                value.span(),
                path,
                format!("expected a value matching at least one `anyOf` schema, found {} (the first fails with {why})", describe(found, value, w.is_sensitive(path))),
                None,
            );
        }
    }
    if !c.one_of.is_empty() {
        let results: Vec<Validation> = c.one_of.iter().map(sub).collect();
        let matching: Vec<String> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| r.errors.is_empty())
            .map(|(i, _)| format!("#{}", i + 1))
            .collect();
        if matching.len() != 1 {
            let detail = if matching.is_empty() {
                let why = results.first().map(&first_error).unwrap_or_default();
                format!("one matching none (the first fails with {why})")
            } else {
                format!("one matching {}", matching.join(" and "))
            };
            w.error(
                value.span(),
                path,
                format!("expected a value matching exactly one `oneOf` schema, found {detail}"),
                None,
            );
        }
    }
    if c.not
        .as_deref()
        .is_some_and(|not| sub(not).errors.is_empty())
    {
        w.error(
            value.span(),
            path,
            format!(
                "expected a value not matching the `not` schema, found {}",
                describe(found, value, w.is_sensitive(path))
            ),
            None,
        );
    }
}
