//! How a found value is named in a message.

use super::read::Found;
use assay_diagnostics::{code, plain, quote_brief};
use assay_yaml::Value;

/// What was found, for a message; `hidden` (the value may be a secret)
/// describes a string without quoting it. Values are quoted with
/// [`assay_diagnostics`]'s helpers, so the engine cuts long strings and masks
/// secrets found anywhere in the input.
pub(super) fn describe(found: Found, v: Value<'_>, hidden: bool) -> String {
    let text = v.as_str().unwrap_or_default();
    match found {
        Found::Null => "null".to_owned(),
        Found::Bool(b) if matches!(text, "true" | "false") => format!("the boolean {b}"),
        Found::Bool(b) => format!("{}, the boolean {b} in YAML 1.1", code(text)),
        Found::Int => format!("the integer {}", plain(text)),
        Found::Float => format!("the number {}", plain(text)),
        Found::Str if hidden => "a string (not shown: it may be a secret)".to_owned(),
        Found::Str => format!("the string {}", quote_brief(text)),
        Found::Object => "a mapping".to_owned(),
        Found::Array => "a sequence".to_owned(),
    }
}

/// `1 item`, `2 items`, `2 properties`.
pub(super) fn plural(n: u64, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}
