//! `.env` files as Docker Compose reads them (compose-go `dotenv`): `KEY=VALUE`
//! lines, optional `export`, `#` comments, single quotes (literal), double
//! quotes (escapes), and `${VAR}` in unquoted and double-quoted values
//! expanded from the lines above.

use crate::interpolate::{Environment, interpolate};

/// One line that could not be read: its 1-based number (never its text, which
/// may hold a secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotenvError {
    pub line: u32,
    pub message: String,
}

/// Parse a `.env` file into `env` (later lines win), returning the bad lines.
pub fn parse_into(text: &str, env: &mut Environment) -> Vec<DotenvError> {
    let mut errors = Vec::new();
    for (number, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(number + 1).unwrap_or(u32::MAX);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map_or(line, str::trim_start);
        let Some((key, value)) = line.split_once('=').or_else(|| line.split_once(':')) else {
            // A bare name takes no value (compose-go: it is ignored unless looked up).
            if line
                .chars()
                .all(|c| c == '_' || c == '.' || c == '-' || c.is_ascii_alphanumeric())
            {
                continue;
            }
            errors.push(DotenvError {
                line: line_no,
                message: "expected KEY=VALUE".to_owned(),
            });
            continue;
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            errors.push(DotenvError {
                line: line_no,
                message: "invalid variable name".to_owned(),
            });
            continue;
        }
        let value = value.trim_start();
        let parsed = if let Some(inner) = value.strip_prefix('\'') {
            match inner.find('\'') {
                Some(end) => inner.get(..end).unwrap_or_default().to_owned(),
                None => {
                    errors.push(DotenvError {
                        line: line_no,
                        message: "unterminated single quote".to_owned(),
                    });
                    continue;
                }
            }
        } else if let Some(inner) = value.strip_prefix('"') {
            match closing_double_quote(inner) {
                Some(end) => expand(&unescape(inner.get(..end).unwrap_or_default()), env),
                None => {
                    errors.push(DotenvError {
                        line: line_no,
                        message: "unterminated double quote".to_owned(),
                    });
                    continue;
                }
            }
        } else {
            let without_comment = value
                .find(" #")
                .map_or(value, |i| value.get(..i).unwrap_or(value));
            expand(without_comment.trim_end(), env)
        };
        env.insert(key.to_owned(), parsed);
    }
    errors
}

fn closing_double_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn expand(text: &str, env: &Environment) -> String {
    interpolate(text, env).map_or_else(|_| text.to_owned(), |i| i.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let mut env = Environment::new();
        let errors = parse_into(
            "# comment\nA=1\nexport B = two words # note\nC='lit $A'\nD=\"esc\\n$A\"\nE=${A}x\nbad line here\nF='open\n",
            &mut env,
        );
        assert_eq!(env.get("A").map(String::as_str), Some("1"));
        assert_eq!(env.get("B").map(String::as_str), Some("two words"));
        assert_eq!(env.get("C").map(String::as_str), Some("lit $A"));
        assert_eq!(env.get("D").map(String::as_str), Some("esc\n1"));
        assert_eq!(env.get("E").map(String::as_str), Some("1x"));
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [7, 8]);
    }
}
