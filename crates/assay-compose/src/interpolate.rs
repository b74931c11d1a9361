//! Variable interpolation as the Compose Specification defines it
//! (`compose-spec` "Interpolation"; compose-go `template/template.go`):
//! `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`,
//! `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, nested expressions in the
//! default, and `$$` for a literal `$`.

use std::collections::BTreeMap;

/// Nested `${…}` expressions deeper than this are an error, not a deep recursion.
pub const MAX_NESTING: usize = 16;

/// Variables visible to interpolation, by name.
pub type Environment = BTreeMap<String, String>;

/// Why a string could not be interpolated. Never contains a variable's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InterpolationError {
    /// `${VAR:?message}` or `${VAR?message}` with the variable missing.
    Required { name: String, message: String },
    /// An unterminated `${` or an invalid name in braces.
    Invalid(String),
}

impl std::fmt::Display for InterpolationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InterpolationError::Required { name, message } if message.is_empty() => {
                write!(f, "required variable {name} is missing a value")
            }
            InterpolationError::Required { name, message } => {
                write!(f, "required variable {name} is missing a value: {message}")
            }
            InterpolationError::Invalid(text) => write!(f, "invalid interpolation format: {text}"),
        }
    }
}

/// The result of interpolating one string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Interpolated {
    pub text: String,
    /// Variables used without a value and without a default (they read as empty;
    /// Docker Compose warns about each).
    pub unset: Vec<String>,
}

/// Interpolate `input` against `env`.
pub fn interpolate(input: &str, env: &Environment) -> Result<Interpolated, InterpolationError> {
    let mut out = Interpolated::default();
    expand(input, env, 0, &mut out)?;
    Ok(out)
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

fn expand(
    input: &str,
    env: &Environment,
    depth: usize,
    out: &mut Interpolated,
) -> Result<(), InterpolationError> {
    if depth > MAX_NESTING {
        return Err(InterpolationError::Invalid(format!(
            "more than {MAX_NESTING} nested expressions"
        )));
    }
    let mut rest = input;
    while let Some(dollar) = rest.find('$') {
        out.text.push_str(rest.get(..dollar).unwrap_or_default());
        let after = rest.get(dollar + 1..).unwrap_or_default();
        let mut chars = after.chars();
        match chars.next() {
            Some('$') => {
                out.text.push('$');
                rest = after.get(1..).unwrap_or_default();
            }
            Some('{') => {
                let body_and_rest = after.get(1..).unwrap_or_default();
                let close = matching_brace(body_and_rest).ok_or_else(|| {
                    InterpolationError::Invalid(format!("unterminated \"${{\" in {input:?}"))
                })?;
                let body = body_and_rest.get(..close).unwrap_or_default();
                braced(body, env, depth, out)?;
                rest = body_and_rest.get(close + 1..).unwrap_or_default();
            }
            Some(c) if is_name_start(c) => {
                let len = after
                    .char_indices()
                    .find(|(_, c)| !is_name_char(*c))
                    .map_or(after.len(), |(i, _)| i);
                let name = after.get(..len).unwrap_or_default();
                lookup(name, env, out);
                rest = after.get(len..).unwrap_or_default();
            }
            // A lone `$` (end of string, `$1`, `$ `) stays as written.
            _ => {
                out.text.push('$');
                rest = after;
            }
        }
    }
    out.text.push_str(rest);
    Ok(())
}

/// The byte index of the `}` closing an expression whose body starts `text`,
/// skipping nested `${…}`.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut prev_dollar = false;
    for (i, c) in text.char_indices() {
        match c {
            '{' if prev_dollar => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
        prev_dollar = c == '$' && !prev_dollar;
    }
    None
}

fn lookup(name: &str, env: &Environment, out: &mut Interpolated) {
    match env.get(name) {
        Some(value) => out.text.push_str(value),
        None => {
            if !out.unset.iter().any(|n| n == name) {
                out.unset.push(name.to_owned());
            }
        }
    }
}

fn braced(
    body: &str,
    env: &Environment,
    depth: usize,
    out: &mut Interpolated,
) -> Result<(), InterpolationError> {
    let name_len = body
        .char_indices()
        .find(|(_, c)| !is_name_char(*c))
        .map_or(body.len(), |(i, _)| i);
    let name = body.get(..name_len).unwrap_or_default();
    let op = body.get(name_len..).unwrap_or_default();
    if name.is_empty() || !name.starts_with(is_name_start) {
        return Err(InterpolationError::Invalid(format!("${{{body}}}")));
    }
    let value = env.get(name).map(String::as_str);
    let set_non_empty = value.is_some_and(|v| !v.is_empty());
    let (operator, argument) = if op.is_empty() {
        ("", "")
    } else {
        let two = op.get(..2).filter(|o| matches!(*o, ":-" | ":?" | ":+"));
        match two {
            Some(o) => (o, op.get(2..).unwrap_or_default()),
            None => match op.get(..1) {
                Some(o @ ("-" | "?" | "+")) => (o, op.get(1..).unwrap_or_default()),
                _ => return Err(InterpolationError::Invalid(format!("${{{body}}}"))),
            },
        }
    };
    match operator {
        "" => lookup(name, env, out),
        ":-" if set_non_empty => out.text.push_str(value.unwrap_or_default()),
        "-" if value.is_some() => out.text.push_str(value.unwrap_or_default()),
        ":-" | "-" => expand(argument, env, depth + 1, out)?,
        ":?" if !set_non_empty => return Err(required(name, argument, env, depth)),
        "?" if value.is_none() => return Err(required(name, argument, env, depth)),
        ":?" | "?" => out.text.push_str(value.unwrap_or_default()),
        ":+" if set_non_empty => expand(argument, env, depth + 1, out)?,
        "+" if value.is_some() => expand(argument, env, depth + 1, out)?,
        _ => {}
    }
    Ok(())
}

fn required(name: &str, message: &str, env: &Environment, depth: usize) -> InterpolationError {
    let mut text = Interpolated::default();
    let message = match expand(message, env, depth + 1, &mut text) {
        Ok(()) => text.text,
        Err(_) => message.to_owned(),
    };
    InterpolationError::Required {
        name: name.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        [("TAG", "1.2"), ("EMPTY", ""), ("HOST", "db")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn run(text: &str) -> String {
        interpolate(text, &env()).unwrap().text
    }

    #[test]
    fn every_form() {
        assert_eq!(run("app:$TAG"), "app:1.2");
        assert_eq!(run("app:${TAG}"), "app:1.2");
        assert_eq!(run("${MISSING:-x}|${EMPTY:-x}|${TAG:-x}"), "x|x|1.2");
        assert_eq!(run("${MISSING-x}|${EMPTY-x}|${TAG-x}"), "x||1.2");
        assert_eq!(run("${MISSING:+y}|${EMPTY:+y}|${TAG:+y}"), "||y");
        assert_eq!(run("${MISSING+y}|${EMPTY+y}|${TAG+y}"), "|y|y");
        assert_eq!(run("${TAG:?need}|${EMPTY?need}"), "1.2|");
        assert_eq!(run("$$TAG and $${TAG} cost $$5"), "$TAG and ${TAG} cost $5");
        assert_eq!(run("${MISSING:-${HOST:-none}:5432}"), "db:5432");
        assert_eq!(run("${MISSING:-${ALSO_MISSING:-deep}}"), "deep");
        assert_eq!(run("price $1 and $"), "price $1 and $");
    }

    #[test]
    fn required_and_unset() {
        let err = interpolate("${DB_PASSWORD:?set it in .env}", &env()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "required variable DB_PASSWORD is missing a value: set it in .env"
        );
        assert!(matches!(
            interpolate("${EMPTY:?}", &env()),
            Err(InterpolationError::Required { .. })
        ));
        let out = interpolate("$NOPE-${NOPE}", &env()).unwrap();
        assert_eq!(out.text, "-");
        assert_eq!(out.unset, ["NOPE"]);
    }

    #[test]
    fn invalid_forms() {
        assert!(matches!(
            interpolate("${TAG", &env()),
            Err(InterpolationError::Invalid(_))
        ));
        assert!(matches!(
            interpolate("${}", &env()),
            Err(InterpolationError::Invalid(_))
        ));
        assert!(matches!(
            interpolate("${TAG!x}", &env()),
            Err(InterpolationError::Invalid(_))
        ));
        let deep = format!("{}x{}", "${A:-".repeat(40), "}".repeat(40));
        assert!(matches!(
            interpolate(&deep, &env()),
            Err(InterpolationError::Invalid(_))
        ));
    }
}
