//! A YAML node read the way Kubernetes reads it (`sigs.k8s.io/yaml`): YAML
//! 1.1 scalars, numbers as Go decodes them, the last of duplicate keys wins,
//! and the canonical value used to compare list items.

use assay_diagnostics::{plain, quote};
use assay_yaml::{ScalarStyle, ScalarType, Value, resolve_yaml11};
use std::collections::HashMap;

/// What a YAML node is, read as Kubernetes reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Found {
    Null,
    Bool(bool),
    Int,
    Float,
    Str,
    Object,
    Array,
}

pub(super) fn classify(v: Value<'_>) -> Found {
    if v.is_mapping() {
        return Found::Object;
    }
    if v.is_sequence() {
        return Found::Array;
    }
    let Some((text, style)) = v.as_scalar() else {
        return Found::Null;
    };
    let style = match v.tag() {
        Some("!!str" | "tag:yaml.org,2002:str") => return Found::Str,
        Some("!!int" | "tag:yaml.org,2002:int") => return Found::Int,
        Some("!!float" | "tag:yaml.org,2002:float") => return Found::Float,
        Some("!!null" | "tag:yaml.org,2002:null") => return Found::Null,
        _ => style,
    };
    match resolve_yaml11(text, style) {
        ScalarType::Null => Found::Null,
        ScalarType::Bool(b) => Found::Bool(b),
        ScalarType::Int => Found::Int,
        ScalarType::Float => Found::Float,
        ScalarType::Str => Found::Str,
    }
}

pub(super) fn is_integral_float(text: &str) -> bool {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    clean
        .parse::<f64>()
        .is_ok_and(|f| f.is_finite() && f.fract() == 0.0)
}

/// The entries of a mapping as Kubernetes sees them: the last of duplicate
/// keys wins, `<<` merges add the keys not written directly.
pub(super) fn effective_entries<'t>(map: Value<'t>) -> Vec<(&'t str, Value<'t>, Value<'t>)> {
    let mut out: Vec<(&'t str, Value<'t>, Value<'t>)> = Vec::with_capacity(map.len());
    // Small mappings (nearly all) are scanned; large ones get an index.
    let mut index: Option<HashMap<&'t str, usize>> = (map.len() > 16).then(HashMap::new);
    let mut merges = false;
    for (k, v) in map.entries() {
        let Some((text, style)) = k.as_scalar() else {
            continue;
        };
        if text == "<<" && style == ScalarStyle::Plain {
            merges = true;
            continue;
        }
        let seen = match &index {
            Some(index) => index.get(text).copied(),
            None => out.iter().position(|(t, _, _)| *t == text),
        };
        match seen.and_then(|i| out.get_mut(i)) {
            Some(slot) => *slot = (text, k, v),
            None => {
                if let Some(index) = &mut index {
                    index.insert(text, out.len());
                }
                out.push((text, k, v));
            }
        }
    }
    if merges {
        for (k, v) in map.merged_entries() {
            let Some(text) = k.as_str() else {
                continue;
            };
            if !out.iter().any(|(t, _, _)| *t == text) {
                out.push((text, k, v));
            }
        }
    }
    out
}

/// A YAML 1.1 number as Go's YAML decoder reads it (`_` ignored, `0x`, `0o`,
/// `0b` and leading-zero octal integers).
pub(super) fn yaml_number(text: &str) -> Option<f64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, digits) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let radix = |prefix: &str, radix: u32| {
        digits
            .strip_prefix(prefix)
            .and_then(|d| u64::from_str_radix(d, radix).ok())
    };
    let int = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
        .or_else(|| {
            (digits.len() > 1
                && digits.starts_with('0')
                && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| u64::from_str_radix(digits, 8).ok())
            .flatten()
        });
    #[allow(clippy::cast_precision_loss)]
    let value = match int {
        Some(n) => n as f64,
        None => digits.parse::<f64>().ok()?,
    };
    value
        .is_finite()
        .then_some(if negative { -value } else { value })
}

/// A node's value as Kubernetes compares items (`x-kubernetes-list-type:
/// set`, `uniqueItems`): scalars by their YAML 1.1 value, mappings by their
/// effective entries in key order. Very deep nodes never compare equal.
pub(super) fn canonical(v: Value<'_>, depth: usize) -> String {
    if depth > 32 {
        let start = v.span().start;
        return format!("\u{0}{}:{}", start.line, start.col);
    }
    let found = classify(v);
    let text = v.as_str().unwrap_or_default();
    match found {
        Found::Null => "null".to_owned(),
        Found::Bool(b) => b.to_string(),
        Found::Int | Found::Float => {
            yaml_number(text).map_or_else(|| format!("n{text}"), |n| format!("{n:?}"))
        }
        Found::Str => serde_json::Value::String(text.to_owned()).to_string(),
        Found::Array => {
            let items: Vec<String> = v.items().map(|i| canonical(i, depth + 1)).collect();
            format!("[{}]", items.join(","))
        }
        Found::Object => {
            let mut entries: Vec<String> = effective_entries(v)
                .into_iter()
                .filter(|(_, _, val)| classify(*val) != Found::Null)
                .map(|(k, _, val)| {
                    format!(
                        "{}:{}",
                        serde_json::Value::String(k.to_owned()),
                        canonical(val, depth + 1)
                    )
                })
                .collect();
            entries.sort();
            format!("{{{}}}", entries.join(","))
        }
    }
}

/// A list-map key's value as written (`80`, `"TCP"`), quoted for a message.
pub(super) fn shown_key(v: Value<'_>) -> String {
    match classify(v) {
        Found::Str => quote(v.as_str().unwrap_or_default()).to_string(),
        Found::Object | Found::Array => plain(&canonical(v, 0)).to_string(),
        _ => plain(v.as_str().unwrap_or("null")).to_string(),
    }
}
