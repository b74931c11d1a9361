//! Secret-looking names (`DB_PASSWORD`, `apiToken`, `x-api-key`) and
//! `key: value` lines whose key names a secret.

use super::values::literal_secret;

/// How a secret-looking name reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameClass {
    /// `*PASSWORD*`, `*PASSWD*`, `*_PASS`, `*_PWD`: any literal counts.
    Password,
    /// Tokens, secrets, API and private keys, credentials: only values that
    /// look random count (see [`looks_random`](super::values::looks_random)).
    Token,
}

/// Words that make a name a digest of something, not the thing itself.
const DIGEST_WORDS: &[&str] = &[
    "checksum",
    "hash",
    "digest",
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "fingerprint",
];

/// Last words that make a secret-looking name about something else
/// (`PASSWORD_FILE`, `TOKEN_TTL`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`).
const NOT_SECRET_LAST: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "name",
    "names",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "length",
    "len",
    "min",
    "max",
    "size",
    "ttl",
    "expiry",
    "expiration",
    "expires",
    "lifetime",
    "timeout",
    "age",
    "interval",
    "duration",
    "seconds",
    "header",
    "type",
    "mode",
    "policy",
    "required",
    "ref",
    "url",
    "uri",
    "endpoint",
    "host",
    "port",
    "realm",
    "issuer",
    "audience",
    "alg",
    "algorithm",
    "format",
    "version",
    "count",
    "location",
    "source",
    "provider",
    "store",
    "mount",
    "method",
    "field",
    "hash",
    "hashed",
    "rotation",
    "id",
    "user",
    "username",
    "prefix",
    "suffix",
    "template",
    "regex",
    "pattern",
    "strength",
    "complexity",
    "reset",
    "hint",
    "retries",
    "attempts",
    "backend",
    "kind",
    "secrets",
];

/// Words that pair with `key` to name a secret key (`API_KEY`, `SIGNING_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "encryption",
    "signing",
    "master",
    "hmac",
    "session",
    "client",
    "auth",
];

/// Split `dbPassword`, `DB_PASSWORD`, `db.password`, `x-api-key` into lowercase words.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (idx, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = idx.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(idx + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A name for a digest of something (`checksum`, `sha256`, …): a digest of a
/// secret, like Helm's `checksum/secret` annotation, is not the secret.
pub(crate) fn names_a_digest(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| DIGEST_WORDS.contains(&w.as_str()))
}

/// A key whose value is not secret even in a Secret's `data` (`username`,
/// `host`, `port`, `database-url` — a password in a URL is found on its own).
pub(crate) fn names_a_public_value(name: &str) -> bool {
    words(name)
        .last()
        .is_some_and(|last| NOT_SECRET_LAST.contains(&last.as_str()))
}

/// Whether `name` (an env var, config key or annotation key) names a secret,
/// and what kind: `(class, label)` with the label used in messages.
pub(crate) fn secret_name(name: &str) -> Option<(NameClass, &'static str)> {
    let words = words(name);
    let last = words.last()?;
    if NOT_SECRET_LAST.contains(&last.as_str()) {
        return None;
    }
    if names_a_digest(name) {
        return None;
    }
    let several = words.len() > 1;
    let mut found: Option<(NameClass, &'static str)> = None;
    for (idx, w) in words.iter().enumerate() {
        let w = w.as_str();
        let prev = idx
            .checked_sub(1)
            .and_then(|p| words.get(p))
            .map(String::as_str);
        let is_last = idx + 1 == words.len();
        if w.contains("password") || w.contains("passwd") || w.contains("passphrase") {
            return Some((NameClass::Password, "password"));
        }
        if several && (w == "pwd" || (w == "pass" && is_last)) {
            return Some((NameClass::Password, "password"));
        }
        let token = if w == "key" && prev.is_some_and(|p| KEY_QUALIFIERS.contains(&p)) {
            Some(match prev {
                Some("api") => "API key",
                Some("private") => "private key",
                _ => "secret key",
            })
        } else if w == "apikey" {
            Some("API key")
        } else if w == "privatekey" {
            Some("private key")
        } else if w.ends_with("token") {
            Some("token")
        } else if w.ends_with("secret") || w == "secretkey" || w == "accesskey" {
            Some("secret")
        } else if w == "credential" || w == "credentials" || w == "creds" {
            Some("credential")
        } else {
            None
        };
        if let (None, Some(label)) = (found, token) {
            found = Some((NameClass::Token, label));
        }
    }
    found
}

/// A `key: value`, `key=value` or `"key": "value",` line of a config file
/// whose key names a secret and whose value is a literal secret. Returns the
/// label and the byte range of the value within `line`.
pub(crate) fn secret_assignment(line: &str) -> Option<(&'static str, usize, usize)> {
    let trimmed = line.trim_start();
    let body = trimmed
        .strip_prefix("- ")
        .or_else(|| trimmed.strip_prefix("export "))
        .unwrap_or(trimmed);
    let offset = line.len() - body.len();
    let sep = body.find([':', '='])?;
    let key = body.get(..sep)?.trim().trim_matches(['"', '\'']);
    if key.is_empty() || key.contains(char::is_whitespace) || key.starts_with('#') {
        return None;
    }
    let (class, label) = secret_name(key)?;
    let after = body.get(sep + 1..)?;
    let lead = after.len() - after.trim_start().len();
    let raw = after.trim_start();
    let (start, value) = match raw.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let inner = raw.get(1..)?;
            let close = inner.find(q)?;
            (1, inner.get(..close)?)
        }
        _ => {
            let cut = raw.find(" #").unwrap_or(raw.len());
            (0, raw.get(..cut)?.trim_end().trim_end_matches([',', ';']))
        }
    };
    if value.is_empty()
        || value.starts_with(['{', '[', '|', '>', '&', '*', '!'])
        || !literal_secret(class, value)
    {
        return None;
    }
    let value_start = offset + sep + 1 + lead + start;
    Some((label, value_start, value_start + value.len()))
}
