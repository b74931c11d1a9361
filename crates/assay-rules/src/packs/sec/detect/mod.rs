//! Secret detectors shared by the `SEC` rules: hand-written matchers for
//! high-confidence token formats (after the gitleaks rule set), passwords in
//! connection URLs, secret-looking names, placeholders and Shannon entropy.
//!
//! Every matcher works on bytes and only ever slices at ASCII positions, so no
//! input can make it panic. A token's prefix is checked first (one byte, then a
//! `starts_with`), so ordinary text is skipped at the cost of a byte compare.

mod names;
mod sensitive;
mod tokens;
mod values;

pub(crate) use names::{names_a_digest, names_a_public_value, secret_assignment, secret_name};
pub(crate) use sensitive::sensitive_values;
pub(crate) use tokens::{TokenKind, base64_decode, find_tokens};
pub(crate) use values::{is_non_secret_value, is_placeholder, literal_secret};

#[cfg(test)]
mod tests;
