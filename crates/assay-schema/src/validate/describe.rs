//! How a found value is named in a message.

use super::read::Found;
use assay_yaml::Value;

/// What was found, for a message; `hidden` (the value may be a secret)
/// describes a string without quoting it.
pub(super) fn describe(found: Found, v: Value<'_>, hidden: bool) -> String {
    let text = v.as_str().unwrap_or_default();
    let shown: String = if text.chars().count() > 40 {
        text.chars().take(40).chain("…".chars()).collect()
    } else {
        text.to_owned()
    };
    match found {
        Found::Null => "null".to_owned(),
        Found::Bool(b) if matches!(text, "true" | "false") => format!("the boolean {b}"),
        Found::Bool(b) => format!("`{shown}`, the boolean {b} in YAML 1.1"),
        Found::Int => format!("the integer {shown}"),
        Found::Float => format!("the number {shown}"),
        Found::Str if hidden => "a string (not shown: it may be a secret)".to_owned(),
        Found::Str => format!("the string \"{shown}\""),
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
