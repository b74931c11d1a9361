//! Credential-shaped test values, built at run time from pieces so that no
//! such literal is ever committed. Fixtures and doc examples write
//! `{{fake:KIND}}`; the harness substitutes the value built here.

/// The value for one placeholder kind, or `None` for an unknown kind.
pub fn fake(kind: &str) -> Option<String> {
    let value = match kind {
        "password" => ["correct", "-horse-", "battery"].concat(),
        _ => return None,
    };
    Some(value)
}

/// Substitute every `{{fake:KIND}}` in `text`; returns the text and the values used.
pub fn substitute(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut used = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{fake:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 7..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let kind = &after[..end];
        let value = fake(kind).unwrap_or_else(|| panic!("unknown fake secret kind `{kind}`"));
        out.push_str(&value);
        used.push(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    (out, used)
}
