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
    /// A bit per hash of each secret's first four bytes: a text none of whose
    /// 4-byte windows is set holds no secret, so most texts are passed over
    /// without a search per secret.
    starts: Vec<u64>,
}

/// Bits of the `starts` hash (a 128 KiB bitmap per run).
const START_BITS: u32 = 20;

fn start_index(gram: &[u8]) -> Option<usize> {
    let gram: [u8; 4] = gram.try_into().ok()?;
    let hash = u32::from_le_bytes(gram).wrapping_mul(0x9E37_79B1) >> (32 - START_BITS);
    usize::try_from(hash).ok()
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
        let mut starts = Vec::new();
        if !values.is_empty() {
            starts = vec![0u64; (1 << START_BITS) / 64];
            for index in values
                .iter()
                .filter_map(|v| start_index(v.as_bytes().get(..4)?))
            {
                if let Some(word) = starts.get_mut(index / 64) {
                    *word |= 1 << (index % 64);
                }
            }
        }
        Self { values, starts }
    }

    /// `false` when `text` certainly holds none of the secrets.
    fn may_hold_secret(&self, text: &str) -> bool {
        !self.values.is_empty()
            && text.as_bytes().windows(4).any(|gram| {
                start_index(gram).is_some_and(|index| {
                    self.starts
                        .get(index / 64)
                        .is_some_and(|word| word >> (index % 64) & 1 == 1)
                })
            })
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
        let contains_one =
            self.may_hold_secret(value) && self.values.iter().any(|s| value.contains(s.as_str()));
        let piece_of_one = value.chars().count() >= MIN_SECRET_CHARS
            && self.values.iter().any(|s| s.contains(value));
        contains_one || piece_of_one
    }

    /// `text` as it may be shown: each value quoted with [`crate::quote`],
    /// [`crate::quote_brief`], [`crate::code`] or [`crate::plain`] is masked
    /// if it holds a secret (a [`crate::quote_brief`] string is also cut to
    /// [`MAX_QUOTED_CHARS`]); then every secret still written in the text
    /// (formatted by hand) is masked.
    #[must_use]
    pub fn render(&self, text: &str) -> String {
        if !text.contains(is_marker) && !self.may_hold_secret(text) {
            return text.to_owned();
        }
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
            } else if delimiter == Delimiter::BriefQuotes
                && value.chars().count() > MAX_QUOTED_CHARS
            {
                out.extend(value.chars().take(MAX_QUOTED_CHARS));
                out.push('…');
            } else {
                out.push_str(&value);
            }
            out.push_str(delimiter.as_str());
        }
        if !self.may_hold_secret(&out) {
            return out;
        }
        for secret in &self.values {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), &Redacted::new(secret).to_string());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{code, plain, quote, quote_brief};

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
            secrets.render(&format!("found {}", quote_brief(&long))),
            format!("found \"{}…\"", "a".repeat(40))
        );
        // Other values (image references, fixes) are never cut.
        assert_eq!(
            secrets.render(&format!("use {} {}", plain(&long), quote(&long))),
            format!("use {long} \"{long}\"")
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
        let shown =
            secrets.render(&quote_brief(&format!("{}{}", secret(), "b".repeat(40))).to_string());
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
