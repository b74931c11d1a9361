//! The one redaction function every finding passes through.

use crate::Redacted;
use crate::quote::{CLOSE, Delimiter, MAX_QUOTED_CHARS, is_marker};

/// Shortest value treated as a secret: shorter ones (`on`, `80`, `web`) are
/// ordinary words that would mask half a message.
pub const MIN_SECRET_CHARS: usize = 6;

/// The secret values of one run: what the secret detectors found anywhere in
/// the input and the values of sensitive fields (a Secret's `data`, keys
/// named like a password or token).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Secrets {
    /// Longest first, so a secret that contains another is masked whole.
    values: Vec<String>,
}

impl Secrets {
    #[must_use]
    pub fn new(values: impl IntoIterator<Item = String>) -> Self {
        let mut values: Vec<String> = values
            .into_iter()
            .map(|v| v.trim().to_owned())
            .filter(|v| v.chars().count() >= MIN_SECRET_CHARS)
            .collect();
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        Self { values }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whether a quoted value holds a secret, or is a piece of one.
    fn holds_secret(&self, value: &str) -> bool {
        let long_enough = value.chars().count() >= MIN_SECRET_CHARS;
        self.values
            .iter()
            .any(|s| value.contains(s.as_str()) || (long_enough && s.contains(value)))
    }

    /// `text` as it may be shown: each value quoted with [`crate::quote`],
    /// [`crate::code`] or [`crate::plain`] is masked if it holds a secret and
    /// cut to [`MAX_QUOTED_CHARS`] otherwise; then every secret still written
    /// in the text (formatted by hand) is masked too.
    #[must_use]
    pub fn render(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            let Some(delimiter) = Delimiter::of(c) else {
                if !is_marker(c) {
                    out.push(c);
                }
                continue;
            };
            let value: String = chars.by_ref().take_while(|&c| c != CLOSE).collect();
            let value: String = value.chars().filter(|&c| !is_marker(c)).collect();
            out.push_str(delimiter.as_str());
            if self.holds_secret(&value) {
                out.push_str(&Redacted::new(&value).to_string());
            } else if value.chars().count() > MAX_QUOTED_CHARS {
                out.extend(value.chars().take(MAX_QUOTED_CHARS));
                out.push('…');
            } else {
                out.push_str(&value);
            }
            out.push_str(delimiter.as_str());
        }
        for secret in &self.values {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), &Redacted::new(secret).to_string());
            }
        }
        out
    }
}

/// A key that names a secret value (`password`, `apiToken`, `client_secret`,
/// `DB_PASSWORD`): its value is masked wherever it is quoted.
#[must_use]
pub fn names_a_secret(key: &str) -> bool {
    const WORDS: [&str; 10] = [
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "credential",
        "apikey",
        "api_key",
        "privatekey",
        "private_key",
    ];
    let key = key.as_bytes();
    WORDS.iter().any(|word| {
        key.windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for key in [
            "password",
            "DB_PASSWORD",
            "apiToken",
            "client_secret",
            "x-api_key",
        ] {
            assert!(names_a_secret(key), "{key}");
        }
        for key in ["name", "image", "pass", "tokn", ""] {
            assert!(!names_a_secret(key), "{key}");
        }
    }
    use crate::{code, plain, quote};

    fn secret() -> String {
        ["gh", "p_", "Zq8mK2vN4xR7tY1wB6cJ9dF3hL5pS0aE8gU2"].concat()
    }

    #[test]
    fn quoted_values_are_shown_cut_or_masked() {
        let secrets = Secrets::new([secret(), "on".to_owned()]);
        assert_eq!(secrets.len(), 1, "short values are not secrets");
        let message = format!("found {} and {}", quote("abc"), code("x"));
        assert_eq!(secrets.render(&message), "found \"abc\" and `x`");
        let long = "a".repeat(50);
        assert_eq!(
            secrets.render(&format!("found {}", plain(&long))),
            format!("found {}…", "a".repeat(40))
        );
        // The whole secret, a value holding it, or a long piece of it: masked.
        for value in [
            secret(),
            format!("{}:1.0", secret()),
            secret()[4..30].to_owned(),
        ] {
            let shown = secrets.render(&format!("image {}", code(&value)));
            assert!(shown.starts_with("image `****… ("), "{shown}");
            assert!(!shown.contains("Zq8mK2"), "{shown}");
        }
        // A secret longer than the cut is masked, not cut.
        let shown = secrets.render(&quote(&format!("{}{}", secret(), "b".repeat(40))).to_string());
        assert!(!shown.contains("Zq8mK2"), "{shown}");
    }

    #[test]
    fn secrets_formatted_by_hand_are_masked_too() {
        let secrets = Secrets::new([secret()]);
        let shown = secrets.render(&format!("kind {} is unknown", secret()));
        assert_eq!(shown, "kind ****… (40 chars) is unknown");
    }

    #[test]
    fn markers_in_the_input_cannot_escape_a_value() {
        let secrets = Secrets::new([secret()]);
        let forged = format!("a\u{E003}{}\u{E000}", secret());
        let shown = secrets.render(&format!("found {}", quote(&forged)));
        assert!(!shown.contains("Zq8mK2"), "{shown}");
        assert!(!shown.chars().any(is_marker), "{shown:?}");
        // A value left open at the end of the text is still rendered.
        assert_eq!(Secrets::default().render("x \u{E000}abc"), "x \"abc\"");
    }
}
