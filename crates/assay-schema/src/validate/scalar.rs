//! Type, format, range and enum of one node.

use super::describe::describe;
use super::read::{Found, is_integral_float};
use super::walker::Walker;
use crate::quantity::is_quantity;
use crate::schema::{Format, Schema, ty};
use assay_diagnostics::{closest, plain, quote};
use assay_yaml::{ScalarStyle, Value};

/// Type, format and enum of one node; `false` when its children must not be checked.
pub(super) fn check_scalar(
    w: &mut Walker<'_, '_>,
    value: Value<'_>,
    found: Found,
    schema: &Schema,
    path: u32,
) -> bool {
    let text = value.as_str().unwrap_or_default();
    let type_ok = match schema.format {
        Format::IntOrString => match found {
            Found::Int | Found::Str => true,
            Found::Float => is_integral_float(text),
            _ => false,
        },
        Format::Quantity => matches!(found, Found::Int | Found::Float | Found::Str),
        _ => {
            let t = schema.types;
            t == 0
                || match found {
                    Found::Object => t & ty::OBJECT != 0,
                    Found::Array => t & ty::ARRAY != 0,
                    Found::Str => t & ty::STRING != 0,
                    Found::Bool(_) => t & ty::BOOLEAN != 0,
                    Found::Int => t & (ty::INTEGER | ty::NUMBER) != 0,
                    Found::Float => {
                        t & ty::NUMBER != 0 || (t & ty::INTEGER != 0 && is_integral_float(text))
                    }
                    Found::Null => true,
                }
        }
    };
    if !type_ok {
        let expected = match schema.format {
            Format::IntOrString => "an integer or a string".to_owned(),
            Format::Quantity => "a quantity (`500m`, `1Gi`, `1e3` or a number)".to_owned(),
            _ => ty::describe(schema.types),
        };
        let fix = match found {
            Found::Bool(_) | Found::Int | Found::Float if schema.types & ty::STRING != 0 => {
                Some(format!("quote it: {}", quote(text)))
            }
            Found::Str
                if schema.types & (ty::INTEGER | ty::NUMBER) != 0
                    && !value.as_scalar().is_some_and(|(_, s)| s.is_plain())
                    && text.parse::<f64>().is_ok() =>
            {
                Some(format!("remove the quotes: {}", plain(text)))
            }
            _ => None,
        };
        let message = format!(
            "expected {expected}, found {}",
            describe(found, value, w.is_sensitive(path))
        );
        let style = value.as_scalar().map(|(_, s)| s);
        let yaml11_non_string = style == Some(ScalarStyle::Plain)
            && matches!(found, Found::Bool(_) | Found::Int | Found::Float)
            && schema.types & ty::STRING != 0;
        let quoted_number = matches!(
            style,
            Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
        ) && !text.is_empty()
            && text.chars().all(|c| c.is_ascii_digit());
        w.error_with(
            value.span(),
            path,
            message,
            fix,
            (yaml11_non_string, quoted_number),
        );
        return false;
    }
    if schema.format == Format::Quantity && found == Found::Str && !is_quantity(text) {
        w.error(
            value.span(),
            path,
            format!(
                "expected a quantity (`500m`, `1Gi`, `1e3` or a number), found {}",
                describe(found, value, w.is_sensitive(path))
            ),
            Some("write a number with an optional suffix: m, k, M, G, Ki, Mi, Gi, …".to_owned()),
        );
        return false;
    }
    let out_of_range = schema.format == Format::Int32
        && found == Found::Int
        && text
            .replace('_', "")
            .parse::<i64>()
            .is_ok_and(|n| i32::try_from(n).is_err());
    if out_of_range {
        w.error(
            value.span(),
            path,
            format!(
                "expected a 32-bit integer, found {}, out of range",
                plain(text)
            ),
            None,
        );
        return false;
    }
    if found == Found::Str && !schema.format.accepts(text) {
        w.error(
            value.span(),
            path,
            format!(
                "expected a string in format {}, found {}",
                schema.format.name(),
                describe(found, value, w.is_sensitive(path))
            ),
            None,
        );
        return false;
    }
    if !schema.enumeration.is_empty() && !matches!(found, Found::Object | Found::Array) {
        let ok = schema.enumeration.iter().any(|e| match e {
            serde_json::Value::String(s) => found == Found::Str && s == text,
            serde_json::Value::Bool(b) => found == Found::Bool(*b),
            serde_json::Value::Number(n) => {
                matches!(found, Found::Int | Found::Float)
                    && n.as_f64() == text.replace('_', "").parse::<f64>().ok()
            }
            _ => false,
        });
        if !ok {
            let allowed: Vec<String> = schema
                .enumeration
                .iter()
                .map(|e| match e {
                    serde_json::Value::String(s) => format!("\"{s}\""),
                    other => other.to_string(),
                })
                .collect();
            let fix = closest(
                text,
                schema
                    .enumeration
                    .iter()
                    .filter_map(serde_json::Value::as_str),
            )
            .map(|c| format!("did you mean \"{c}\"?"));
            w.error(
                value.span(),
                path,
                format!(
                    "expected one of {}, found {}",
                    allowed.join(", "),
                    describe(found, value, w.is_sensitive(path))
                ),
                fix,
            );
            return false;
        }
    }
    true
}
