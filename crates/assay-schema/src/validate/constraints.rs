//! The value validations of custom resource schemas: lengths, patterns,
//! bounds, `multipleOf`, item and property counts.

use super::describe::{describe, plural};
use super::junctors::check_junctors;
use super::lists::check_list;
use super::read::{Found, classify, effective_entries, yaml_number};
use super::walker::Walker;
use crate::schema::{Constraints, Schema};
use assay_yaml::Value;

/// The value validations of a custom resource schema node.
pub(super) fn check_constraints(
    w: &mut Walker<'_, '_>,
    value: Value<'_>,
    found: Found,
    schema: &Schema,
    c: &Constraints,
    path: u32,
) {
    let text = value.as_str().unwrap_or_default();
    let hidden = w.is_sensitive(path);
    let shown = || describe(found, value, hidden);
    let fail = |w: &mut Walker<'_, '_>, message: String| {
        w.error(value.span(), path, message, None);
    };
    match found {
        Found::Str => {
            let chars = text.chars().count() as u64;
            if let Some(min) = c.min_length.filter(|&m| chars < m) {
                fail(
                    w,
                    format!(
                        "expected a string of at least {}, found {} ({chars})",
                        plural(min, "character"),
                        shown()
                    ),
                );
            }
            if let Some(max) = c.max_length.filter(|&m| chars > m) {
                fail(
                    w,
                    format!(
                        "expected a string of at most {}, found {} ({chars})",
                        plural(max, "character"),
                        shown()
                    ),
                );
            }
            let mismatch = c.pattern.as_ref().filter(|p| p.rejects(text));
            if let Some(p) = mismatch {
                fail(
                    w,
                    format!(
                        "expected a string matching the pattern `{}`, found {}",
                        p.source,
                        shown()
                    ),
                );
            }
        }
        Found::Int | Found::Float => {
            if let Some(n) = yaml_number(text) {
                let below = c
                    .minimum
                    .filter(|b| n < b.value || (b.exclusive && n == b.value));
                if let Some(b) = below {
                    let op = if b.exclusive { ">" } else { ">=" };
                    fail(
                        w,
                        format!("expected a number {op} {}, found {}", b.value, shown()),
                    );
                }
                let above = c
                    .maximum
                    .filter(|b| n > b.value || (b.exclusive && n == b.value));
                if let Some(b) = above {
                    let op = if b.exclusive { "<" } else { "<=" };
                    fail(
                        w,
                        format!("expected a number {op} {}, found {}", b.value, shown()),
                    );
                }
                if let Some(f) = c.multiple_of.filter(|&f| !is_multiple_of(n, f)) {
                    fail(w, format!("expected a multiple of {f}, found {}", shown()));
                }
            }
        }
        Found::Array => {
            let len = value.len() as u64;
            if let Some(min) = c.min_items.filter(|&m| len < m) {
                fail(
                    w,
                    format!("expected at least {}, found {len}", plural(min, "item")),
                );
            }
            if let Some(max) = c.max_items.filter(|&m| len > m) {
                fail(
                    w,
                    format!("expected at most {}, found {len}", plural(max, "item")),
                );
            }
            check_list(w, value, c, path);
        }
        Found::Object => {
            let len = effective_entries(value)
                .iter()
                .filter(|(_, _, v)| classify(*v) != Found::Null)
                .count() as u64;
            if let Some(min) = c.min_properties.filter(|&m| len < m) {
                fail(
                    w,
                    format!("expected at least {}, found {len}", plural(min, "property")),
                );
            }
            if let Some(max) = c.max_properties.filter(|&m| len > m) {
                fail(
                    w,
                    format!("expected at most {}, found {len}", plural(max, "property")),
                );
            }
        }
        Found::Bool(_) | Found::Null => {}
    }
    // The API server applies defaults first; with a defaulted field absent,
    // `anyOf`, `oneOf` and `not` cannot be decided here.
    let undecided = found == Found::Object && {
        let entries = effective_entries(value);
        schema.properties.iter().any(|(name, p)| {
            p.has_default
                && !entries
                    .iter()
                    .any(|(k, _, v)| *k == name.as_ref() && classify(*v) != Found::Null)
        })
    };
    check_junctors(w, value, found, c, path, undecided);
}

/// Whether `value` is a multiple of `factor` (go-openapi `MultipleOf`:
/// exact for integers, within a relative 1e-9 otherwise).
pub(super) fn is_multiple_of(value: f64, factor: f64) -> bool {
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let exact = |f: f64| f.fract() == 0.0 && f.abs() < 9.0e15;
    if exact(value) && exact(factor) {
        #[allow(clippy::cast_possible_truncation)]
        return (value as i64) % (factor as i64) == 0;
    }
    let mult = if factor < 1.0 {
        1.0 / factor * value
    } else {
        value / factor
    };
    let nearest = mult.round();
    nearest == mult || ((mult - nearest).abs() / (mult.abs() + nearest.abs())) < 1e-9
}
