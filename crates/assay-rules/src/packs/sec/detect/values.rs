//! What a value looks like: a placeholder or reference, a flag, number or
//! path, or a generated string (Shannon entropy).

use super::names::NameClass;

/// Shannon entropy in bits per character.
pub(crate) fn entropy(text: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut total = 0u32;
    for &c in text.as_bytes() {
        if let Some(slot) = counts.get_mut(usize::from(c)) {
            *slot += 1;
        }
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| {
            let p = f64::from(n) / total;
            -p * p.log2()
        })
        .sum()
}

/// A template marker or reference, not a value: `${DB_PASSWORD}`, `$(VAR)`,
/// `{{ .Values.x }}`, `<your-token>`, `REPLACE_ME`, `xxxx`, `****`. A value
/// that only contains a reference (`prefix-${SUFFIX}`) counts as one too.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    if v.starts_with('$')
        || v.contains("${")
        || v.contains("$(")
        || v.contains("{{")
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('%') && (v.ends_with('s') || v.ends_with(')')) && v.len() <= 16)
        || v.starts_with("ENC[")
    {
        return true;
    }
    let mut chars = v.chars();
    if let Some(first) = chars.next()
        && matches!(first, 'x' | 'X' | '*' | '.' | '#' | '-' | '_')
        && chars.all(|c| c == first)
    {
        return true;
    }
    matches!(
        v.to_ascii_lowercase().as_str(),
        "replace_me"
            | "replaceme"
            | "replace-me"
            | "change_me_in_production"
            | "todo"
            | "tbd"
            | "fixme"
            | "redacted"
            | "placeholder"
            | "none"
            | "null"
            | "nil"
            | "undefined"
            | "n/a"
    )
}

/// A value that is a flag, a number, a duration, a path or a reference,
/// rather than a secret: `true`, `3600`, `30s`, `/run/secrets/db`, `$(X)`.
pub(crate) fn is_non_secret_value(value: &str) -> bool {
    let v = value.trim();
    if is_placeholder(v) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return true;
    }
    let digits = v.trim_end_matches(['s', 'm', 'h', 'd']);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return true;
    }
    if v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
        || lower.starts_with("file:")
        || v.get(1..3) == Some(":\\")
    {
        return true;
    }
    false
}

/// A value that looks generated rather than a word, a name or a path:
/// at least 10 characters, Shannon entropy of at least 3 bits per character,
/// not a lowercase resource name (`basic-auth`, `db-credentials`), not a
/// lowercase path (`database/creds/app`).
pub(crate) fn looks_random(value: &str) -> bool {
    let v = value.trim();
    if v.len() < 10 || v.chars().any(char::is_whitespace) || entropy(v) < 3.0 {
        return false;
    }
    let lower_name = v.chars().all(|c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_' | '/' | ':')
    }) && v.contains(['-', '.', '_', '/', ':']);
    !lower_name
}

/// Whether a literal `value` under a name of `class` counts as a secret.
pub(crate) fn literal_secret(class: NameClass, value: &str) -> bool {
    if is_non_secret_value(value) {
        return false;
    }
    match class {
        NameClass::Password => true,
        NameClass::Token => looks_random(value),
    }
}
