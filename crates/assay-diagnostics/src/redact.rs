use std::fmt;

/// A secret-looking value, shown only in redacted form.
///
/// There is deliberately no way to get the raw value back out: `Display` and
/// `Debug` print at most a public prefix (such as `AKIA`, which only names the
/// token's type), a mask, and the length.
#[derive(Clone, Copy)]
pub struct Redacted<'a> {
    value: &'a str,
    shown_prefix: usize,
}

impl<'a> Redacted<'a> {
    /// Redact all of `value`.
    #[must_use]
    pub fn new(value: &'a str) -> Self {
        Self {
            value,
            shown_prefix: 0,
        }
    }

    /// Redact `value` but show its first `prefix` characters, for token formats
    /// whose prefix is public and names the kind of credential (`AKIA`, `ghp_`).
    /// At most a quarter of the value is ever shown.
    #[must_use]
    pub fn with_prefix(value: &'a str, prefix: usize) -> Self {
        let len = value.chars().count();
        Self {
            value,
            shown_prefix: prefix.min(len / 4),
        }
    }

    #[must_use]
    pub fn char_len(&self) -> usize {
        self.value.chars().count()
    }
}

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix: String = self.value.chars().take(self.shown_prefix).collect();
        write!(f, "{prefix}****… ({} chars)", self.char_len())
    }
}

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redacted({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_more_than_the_public_prefix() {
        let value = ["AKIA", "ABCDEFGHIJKLMNOP"].concat();
        let shown = Redacted::with_prefix(&value, 4).to_string();
        assert_eq!(shown, "AKIA****… (20 chars)");
        assert!(!shown.contains("ABCD"));
        assert_eq!(Redacted::new("hunter2").to_string(), "****… (7 chars)");
        assert_eq!(
            format!("{:?}", Redacted::new("hunter2")),
            "Redacted(****… (7 chars))"
        );
        // A short value never gives away a large share of itself.
        assert_eq!(
            Redacted::with_prefix("abcdefgh", 4).to_string(),
            "ab****… (8 chars)"
        );
    }
}
