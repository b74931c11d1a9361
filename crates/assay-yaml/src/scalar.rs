//! What a plain scalar means to each reader.
//!
//! Kubernetes reads YAML through `sigs.k8s.io/yaml`, which uses a fork of go-yaml
//! v2 (YAML 1.1 rules): `yes`/`no`/`on`/`off`/`y`/`n` in their case variants are
//! booleans and `0755` is an octal integer. Compose (compose-go on go-yaml v3)
//! and OpenAPI 3.1 follow YAML 1.2's core schema, where only `true`/`false` are
//! booleans. Quoted and block scalars are strings for both.
//! Sources: go-yaml v2 `resolve.go` (the resolve table), YAML 1.2.2 §10.3.2.

use crate::ScalarStyle;

/// The type a reader gives a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarType {
    Null,
    Bool(bool),
    Int,
    Float,
    Str,
}

/// Resolve like go-yaml v2 (what Kubernetes does).
#[must_use]
pub fn resolve_yaml11(text: &str, style: ScalarStyle) -> ScalarType {
    if !style.is_plain() {
        return ScalarType::Str;
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarType::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return ScalarType::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return ScalarType::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return ScalarType::Float,
        _ => {}
    }
    let Some(first) = text.chars().next() else {
        return ScalarType::Str;
    };
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return ScalarType::Str;
    }
    // go-yaml v2 removes underscores before trying integers and floats.
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    let unsigned = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
    if is_go_int(unsigned) {
        return ScalarType::Int;
    }
    if is_float(&plain) {
        return ScalarType::Float;
    }
    ScalarType::Str
}

/// Go's `strconv.ParseInt(s, 0, 64)` syntax (prefixes 0x, 0o, 0b, leading-0 octal).
fn is_go_int(s: &str) -> bool {
    let (digits, radix) = if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        (r, 2)
    } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        (r, 8)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix))
}

/// Decimal floats with optional exponent (what `strconv.ParseFloat` and the
/// YAML 1.2 core schema both accept, hex floats aside).
fn is_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |d: &str| d.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = digits(int_part)
        && frac_part.is_none_or(digits)
        && !(int_part.is_empty() && frac_part.is_none_or(str::is_empty));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Resolve like YAML 1.2's core schema (what Compose and OpenAPI 3.1 do).
#[must_use]
pub fn resolve_yaml12(text: &str, style: ScalarStyle) -> ScalarType {
    if !style.is_plain() {
        return ScalarType::Str;
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => ScalarType::Null,
        "true" | "True" | "TRUE" => ScalarType::Bool(true),
        "false" | "False" | "FALSE" => ScalarType::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => ScalarType::Float,
        _ => {
            let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
            let core_int = !unsigned.is_empty() && unsigned.chars().all(|c| c.is_ascii_digit())
                || text
                    .strip_prefix("0o")
                    .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_digit(8)))
                || text
                    .strip_prefix("0x")
                    .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_hexdigit()));
            if core_int {
                ScalarType::Int
            } else if is_float(text) {
                ScalarType::Float
            } else {
                ScalarType::Str
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ScalarStyle::{DoubleQuoted, Plain};

    #[test]
    fn yaml11_booleans_are_what_kubernetes_sees() {
        for t in ["yes", "No", "ON", "off", "y", "N", "True"] {
            assert!(
                matches!(resolve_yaml11(t, Plain), ScalarType::Bool(_)),
                "{t}"
            );
            assert_eq!(
                resolve_yaml12(t, Plain) == ScalarType::Str,
                !t.eq_ignore_ascii_case("true"),
                "{t}"
            );
        }
        assert_eq!(resolve_yaml11("yes", DoubleQuoted), ScalarType::Str);
        assert_eq!(resolve_yaml11("yEs", Plain), ScalarType::Str);
    }

    #[test]
    fn numbers() {
        assert_eq!(resolve_yaml11("0755", Plain), ScalarType::Int);
        assert_eq!(resolve_yaml11("0x1F", Plain), ScalarType::Int);
        assert_eq!(resolve_yaml11("1_000", Plain), ScalarType::Int);
        assert_eq!(resolve_yaml11("1.0", Plain), ScalarType::Float);
        assert_eq!(resolve_yaml11("1e3", Plain), ScalarType::Float);
        assert_eq!(resolve_yaml11(".5", Plain), ScalarType::Float);
        assert_eq!(resolve_yaml11("500m", Plain), ScalarType::Str);
        assert_eq!(resolve_yaml11("1.2.3", Plain), ScalarType::Str);
        assert_eq!(resolve_yaml11("-", Plain), ScalarType::Str);
        assert_eq!(resolve_yaml11(".", Plain), ScalarType::Str);
        assert_eq!(resolve_yaml12("0755", Plain), ScalarType::Int);
        assert_eq!(resolve_yaml12("1_000", Plain), ScalarType::Str);
        assert_eq!(resolve_yaml12("~", Plain), ScalarType::Null);
    }
}
