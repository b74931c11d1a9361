//! Secret detectors shared by the `SEC` rules: hand-written matchers for
//! high-confidence token formats (after the gitleaks rule set), passwords in
//! connection URLs, secret-looking names, placeholders and Shannon entropy.
//!
//! Every matcher works on bytes and only ever slices at ASCII positions, so no
//! input can make it panic. A token's prefix is checked first (one byte, then a
//! `starts_with`), so ordinary text is skipped at the cost of a byte compare.

/// A credential format recognised with high confidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    AwsAccessKeyId,
    GithubToken,
    GithubFineGrainedToken,
    GitlabToken,
    SlackToken,
    SlackWebhook,
    StripeKey,
    GoogleApiKey,
    NpmToken,
    PypiToken,
    Jwt,
    PrivateKey,
    UrlPassword,
}

impl TokenKind {
    /// What the finding calls it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            TokenKind::AwsAccessKeyId => "AWS access key id",
            TokenKind::GithubToken => "GitHub token",
            TokenKind::GithubFineGrainedToken => "GitHub fine-grained personal access token",
            TokenKind::GitlabToken => "GitLab personal access token",
            TokenKind::SlackToken => "Slack token",
            TokenKind::SlackWebhook => "Slack webhook URL",
            TokenKind::StripeKey => "Stripe live secret key",
            TokenKind::GoogleApiKey => "Google API key",
            TokenKind::NpmToken => "npm access token",
            TokenKind::PypiToken => "PyPI upload token",
            TokenKind::Jwt => "JSON Web Token",
            TokenKind::PrivateKey => "PEM private key",
            TokenKind::UrlPassword => "password in a connection URL",
        }
    }

    /// How many leading characters are public (they only name the format).
    pub(crate) fn public_prefix(self) -> usize {
        match self {
            TokenKind::AwsAccessKeyId
            | TokenKind::GithubToken
            | TokenKind::GoogleApiKey
            | TokenKind::NpmToken => 4,
            TokenKind::GitlabToken | TokenKind::PypiToken => 5,
            TokenKind::SlackToken => 4,
            TokenKind::StripeKey => 8,
            TokenKind::GithubFineGrainedToken => 11,
            TokenKind::Jwt => 3,
            TokenKind::SlackWebhook | TokenKind::PrivateKey | TokenKind::UrlPassword => 0,
        }
    }
}

/// One credential found in a text: its kind and byte range (for a URL
/// password, the password only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

#[cfg(test)]
impl Token {
    /// The secret text itself.
    pub(crate) fn value(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_aws_char(b: u8) -> bool {
    b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)
}

/// Number of bytes from `start` that satisfy `pred`.
fn run(b: &[u8], start: usize, pred: impl Fn(u8) -> bool) -> usize {
    b.get(start..)
        .map_or(0, |rest| rest.iter().take_while(|&&c| pred(c)).count())
}

fn byte(b: &[u8], i: usize) -> Option<u8> {
    b.get(i).copied()
}

/// No word character right after `end`.
fn ends_word(b: &[u8], end: usize) -> bool {
    !byte(b, end).is_some_and(is_word)
}

fn has_prefix(b: &[u8], i: usize, prefix: &str) -> bool {
    b.get(i..)
        .is_some_and(|rest| rest.starts_with(prefix.as_bytes()))
}

/// A token with a fixed prefix followed by a run of `pred` bytes whose length
/// is within `min..=max`, ending at a word boundary. Returns the end.
fn prefixed(
    b: &[u8],
    i: usize,
    prefix: &str,
    pred: impl Fn(u8) -> bool,
    min: usize,
    max: usize,
) -> Option<usize> {
    if !has_prefix(b, i, prefix) {
        return None;
    }
    let body = i + prefix.len();
    let n = run(b, body, &pred);
    let end = body + n;
    (n >= min && n <= max && ends_word(b, end) && byte(b, end) != Some(b'-')).then_some(end)
}

fn token_at(b: &[u8], i: usize) -> Option<(TokenKind, usize)> {
    let first = *b.get(i)?;
    let word_start = i == 0 || !byte(b, i - 1).is_some_and(is_word);
    match first {
        b'A' if word_start => {
            for prefix in ["AKIA", "ASIA", "ABIA", "ACCA"] {
                if let Some(end) = prefixed(b, i, prefix, |c| c.is_ascii_alphanumeric(), 16, 16) {
                    let body = b.get(i + 4..end)?;
                    // AWS documentation keys end in EXAMPLE; gitleaks allows them too.
                    if body.iter().all(|&c| is_aws_char(c)) && !body.ends_with(b"EXAMPLE") {
                        return Some((TokenKind::AwsAccessKeyId, end));
                    }
                }
            }
            prefixed(b, i, "AIza", is_b64url, 35, 35).map(|end| (TokenKind::GoogleApiKey, end))
        }
        b'g' if word_start => {
            for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
                if let Some(end) = prefixed(b, i, prefix, |c| c.is_ascii_alphanumeric(), 36, 255) {
                    return Some((TokenKind::GithubToken, end));
                }
            }
            if let Some(end) = prefixed(b, i, "github_pat_", is_word, 82, 255) {
                return Some((TokenKind::GithubFineGrainedToken, end));
            }
            if has_prefix(b, i, "glpat-") {
                let n = run(b, i + 6, is_b64url);
                if n >= 20 {
                    return Some((TokenKind::GitlabToken, i + 6 + n));
                }
            }
            None
        }
        b'x' if word_start => slack_token(b, i).map(|end| (TokenKind::SlackToken, end)),
        b'h' => slack_webhook(b, i).map(|end| (TokenKind::SlackWebhook, end)),
        b's' | b'r' if word_start => {
            for prefix in ["sk_live_", "rk_live_", "sk_prod_", "rk_prod_"] {
                if let Some(end) = prefixed(b, i, prefix, |c| c.is_ascii_alphanumeric(), 10, 255) {
                    return Some((TokenKind::StripeKey, end));
                }
            }
            None
        }
        b'n' if word_start => prefixed(b, i, "npm_", |c| c.is_ascii_alphanumeric(), 36, 255)
            .map(|end| (TokenKind::NpmToken, end)),
        b'p' if word_start => {
            let prefix = "pypi-AgEIcHlwaS5vcmc";
            if has_prefix(b, i, prefix) {
                let n = run(b, i + prefix.len(), is_b64url);
                if n >= 50 {
                    return Some((TokenKind::PypiToken, i + prefix.len() + n));
                }
            }
            None
        }
        b'e' if word_start && byte(b, i.wrapping_sub(1)) != Some(b'.') => {
            jwt(b, i).map(|end| (TokenKind::Jwt, end))
        }
        b'-' => private_key(b, i).map(|end| (TokenKind::PrivateKey, end)),
        _ => None,
    }
}

fn slack_token(b: &[u8], i: usize) -> Option<usize> {
    let app = has_prefix(b, i, "xapp-");
    let classic = has_prefix(b, i, "xox")
        && matches!(
            byte(b, i + 3),
            Some(b'a' | b'b' | b'e' | b'o' | b'p' | b'r' | b's')
        )
        && byte(b, i + 4) == Some(b'-');
    if !app && !classic {
        return None;
    }
    let body = i + 5;
    let digits = run(b, body, |c| c.is_ascii_digit());
    let n = run(b, body, |c| c.is_ascii_alphanumeric() || c == b'-');
    let rest = b.get(body..body + n)?;
    let dashes = rest.iter().filter(|&&c| c == b'-').count();
    (digits >= 1 && n >= 20 && dashes >= 1 && ends_word(b, body + n)).then_some(body + n)
}

fn slack_webhook(b: &[u8], i: usize) -> Option<usize> {
    let start = if has_prefix(b, i, "https://") {
        i + 8
    } else if has_prefix(b, i, "http://") {
        i + 7
    } else {
        return None;
    };
    let after_host = ["hooks.slack.com/services/", "hooks.slack.com/workflows/"]
        .iter()
        .find(|p| has_prefix(b, start, p))
        .map(|p| start + p.len())?;
    let n = run(b, after_host, |c| {
        c.is_ascii_alphanumeric() || c == b'/' || c == b'+'
    });
    (n >= 40).then_some(after_host + n)
}

const PEM_TYPES: &[&str] = &["", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED ", "PGP "];

fn private_key(b: &[u8], i: usize) -> Option<usize> {
    let begin = "-----BEGIN ";
    if !has_prefix(b, i, begin) {
        return None;
    }
    let after = i + begin.len();
    let header_end = PEM_TYPES.iter().find_map(|t| {
        let kind_end = after + t.len();
        (has_prefix(b, after, t) && has_prefix(b, kind_end, "PRIVATE KEY")).then(|| {
            let mut end = kind_end + "PRIVATE KEY".len();
            if has_prefix(b, end, " BLOCK") {
                end += " BLOCK".len();
            }
            end
        })
    })?;
    if !has_prefix(b, header_end, "-----") {
        return None;
    }
    let body_start = header_end + 5;
    let rest = b.get(body_start..)?;
    let end_marker = rest
        .windows(9)
        .position(|w| w == b"-----END ")
        .map(|p| body_start + p);
    let body = b.get(body_start..end_marker.unwrap_or(b.len()))?;
    let material = body
        .iter()
        .filter(|&&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
        .count();
    if material < 32 {
        return None;
    }
    let end = match end_marker {
        Some(m) => {
            let after_end = m + 9;
            let close = b
                .get(after_end..)?
                .windows(5)
                .position(|w| w == b"-----")
                .map_or(b.len(), |p| after_end + p + 5);
            // The END line stays on one line.
            let newline = b.get(after_end..)?.iter().position(|&c| c == b'\n');
            match newline {
                Some(nl) if after_end + nl < close => after_end + nl,
                _ => close,
            }
        }
        None => {
            let n = run(b, body_start, |c| c != b'"' && c != b'\'');
            body_start + n
        }
    };
    Some(end)
}

/// Decode unpadded base64url (or standard base64); `None` on any other byte.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &c in text.trim_end_matches('=').as_bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'\n' | b'\r' | b' ' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

fn jwt(b: &[u8], i: usize) -> Option<usize> {
    if !has_prefix(b, i, "eyJ") {
        return None;
    }
    let h = run(b, i, is_b64url);
    if h < 10 || byte(b, i + h) != Some(b'.') {
        return None;
    }
    let p_start = i + h + 1;
    let p = run(b, p_start, is_b64url);
    if p < 10 || byte(b, p_start + p) != Some(b'.') {
        return None;
    }
    let s_start = p_start + p + 1;
    let s = run(b, s_start, is_b64url);
    let end = s_start + s;
    if !ends_word(b, end) {
        return None;
    }
    let header = base64_decode(std::str::from_utf8(b.get(i..i + h)?).ok()?)?;
    let payload = base64_decode(std::str::from_utf8(b.get(p_start..p_start + p)?).ok()?)?;
    let header = String::from_utf8(header).ok()?;
    let payload = String::from_utf8(payload).ok()?;
    let header = header.trim();
    let is_object = |t: &str| t.trim_start().starts_with('{') && t.trim_end().ends_with('}');
    (is_object(header) && header.contains("\"alg\"") && is_object(&payload)).then_some(end)
}

/// Every token of a known format in `text`, in order, non-overlapping; then
/// the passwords of connection URLs outside those tokens.
pub(crate) fn find_tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match token_at(b, i) {
            Some((kind, end)) if end > i => {
                out.push(Token {
                    kind,
                    start: i,
                    end,
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|t| t.find("://")) {
        let at = from + found;
        from = at + 3;
        if out.iter().any(|t| t.start <= at && at < t.end) {
            continue;
        }
        if let Some((start, end)) = url_password(b, at) {
            out.push(Token {
                kind: TokenKind::UrlPassword,
                start,
                end,
            });
            from = end;
        }
    }
    out.sort_by_key(|t| t.start);
    out
}

/// The password of `scheme://user:password@host` whose `://` is at `at`.
fn url_password(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let scheme_len = b
        .get(..at)?
        .iter()
        .rev()
        .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
        .count();
    let scheme = b.get(at - scheme_len..at)?;
    if scheme.len() < 2 || !scheme.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let auth_start = at + 3;
    let auth_len = run(b, auth_start, |c| {
        !c.is_ascii_whitespace()
            && !matches!(
                c,
                b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\'
            )
    });
    let authority = b.get(auth_start..auth_start + auth_len)?;
    let at_sign = authority.iter().rposition(|&c| c == b'@')?;
    let host = authority.get(at_sign + 1..)?;
    if host.is_empty() {
        return None;
    }
    let userinfo = authority.get(..at_sign)?;
    let colon = userinfo.iter().position(|&c| c == b':')?;
    let start = auth_start + colon + 1;
    let end = auth_start + at_sign;
    let password = std::str::from_utf8(b.get(start..end)?).ok()?;
    if password.is_empty() || is_placeholder(password) {
        return None;
    }
    Some((start, end))
}

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

/// How a secret-looking name reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameClass {
    /// `*PASSWORD*`, `*PASSWD*`, `*_PASS`, `*_PWD`: any literal counts.
    Password,
    /// Tokens, secrets, API and private keys, credentials: only values that
    /// look random count (see [`looks_random`]).
    Token,
}

/// Last words that make a secret-looking name about something else
/// (`PASSWORD_FILE`, `TOKEN_TTL`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`).
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

/// Whether `name` (an env var, config key or annotation key) names a secret,
/// and what kind: `(class, label)` with the label used in messages.
/// A name for a digest of something (`checksum`, `sha256`, …): a digest of a
/// secret, like Helm's `checksum/secret` annotation, is not the secret.
pub(crate) fn names_a_digest(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| DIGEST_WORDS.contains(&w.as_str()))
}

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

/// A `key: value`, `key=value` or `"key": "value",` line of a config file
/// whose key names a secret and whose value is a literal secret. Returns the
/// label and the byte range of the value within `line`.
pub(crate) fn secret_assignment(line: &str) -> Option<(&'static str, usize, usize)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let body = trimmed
        .strip_prefix("- ")
        .or_else(|| trimmed.strip_prefix("export "))
        .unwrap_or(trimmed);
    let offset = line.len() - body.len();
    let _ = indent;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic filler characters from `alphabet` (a tiny LCG).
    fn filler(seed: u32, len: usize, alphabet: &str) -> String {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut state = seed;
        (0..len)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let idx = (state >> 16) as usize % alphabet.len();
                alphabet.get(idx).copied().unwrap_or('a')
            })
            .collect()
    }

    const UPPER27: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    fn kinds(text: &str) -> Vec<TokenKind> {
        find_tokens(text).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn aws_access_key_id() {
        let key = ["AK", "IA", &filler(1, 16, UPPER27)].concat();
        assert_eq!(kinds(&key), [TokenKind::AwsAccessKeyId]);
        assert_eq!(kinds(&format!("id={key};")), [TokenKind::AwsAccessKeyId]);
        // Too long, lowercase, or glued to a word: not a key.
        assert!(kinds(&format!("{key}A")).is_empty());
        assert!(kinds(&format!("X{key}")).is_empty());
        assert!(kinds(&["AK", "IA", &filler(1, 16, UPPER27).to_lowercase()].concat()).is_empty());
        assert!(kinds(&["AK", "IA", "IOSFODNN7", "EXAMPLE"].concat()).is_empty());
        let t = find_tokens(&format!("  {key}"));
        assert_eq!(
            t.first().map(|t| t.value(&format!("  {key}")).len()),
            Some(20)
        );
    }

    #[test]
    fn vendor_tokens() {
        let gh = ["gh", "p_", &filler(2, 36, ALNUM)].concat();
        assert_eq!(kinds(&gh), [TokenKind::GithubToken]);
        let short = ["gh", "p_", &filler(2, 20, ALNUM)].concat();
        assert!(kinds(&short).is_empty());
        let fine = ["github", "_pat_", &filler(3, 82, ALNUM)].concat();
        assert_eq!(kinds(&fine), [TokenKind::GithubFineGrainedToken]);
        let gl = ["gl", "pat-", &filler(4, 20, ALNUM)].concat();
        assert_eq!(kinds(&gl), [TokenKind::GitlabToken]);
        let slack = [
            "xo",
            "xb-",
            &filler(5, 12, "0123456789"),
            "-",
            &filler(6, 12, "0123456789"),
            "-",
            &filler(7, 24, ALNUM),
        ]
        .concat();
        assert_eq!(kinds(&slack), [TokenKind::SlackToken]);
        let hook = [
            "https://hooks.",
            "slack.com/services/T",
            &filler(8, 8, UPPER27),
            "/B",
            &filler(9, 8, UPPER27),
            "/",
            &filler(10, 24, ALNUM),
        ]
        .concat();
        assert_eq!(kinds(&hook), [TokenKind::SlackWebhook]);
        let stripe = ["sk", "_live_", &filler(11, 24, ALNUM)].concat();
        assert_eq!(kinds(&stripe), [TokenKind::StripeKey]);
        let stripe_test = ["sk", "_test_", &filler(11, 24, ALNUM)].concat();
        assert!(kinds(&stripe_test).is_empty());
        let google = ["AI", "za", &filler(12, 35, ALNUM)].concat();
        assert_eq!(kinds(&google), [TokenKind::GoogleApiKey]);
        let npm = ["np", "m_", &filler(13, 36, ALNUM)].concat();
        assert_eq!(kinds(&npm), [TokenKind::NpmToken]);
        let pypi = ["pypi-", "AgEIcHlwaS5vcmc", &filler(14, 60, ALNUM)].concat();
        assert_eq!(kinds(&pypi), [TokenKind::PypiToken]);
    }

    fn b64url(bytes: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                let idx = (n >> (18 - 6 * i)) & 63;
                out.push(char::from(A[idx as usize]));
            }
        }
        out
    }

    #[test]
    fn jwt_needs_a_decodable_header_with_alg() {
        let header = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = b64url(br#"{"sub":"1234567890","name":"x"}"#);
        let token = format!("{header}.{payload}.{}", filler(15, 43, ALNUM));
        assert_eq!(kinds(&token), [TokenKind::Jwt]);
        assert_eq!(
            kinds(&format!("Bearer {token}")),
            [TokenKind::Jwt],
            "after a space"
        );
        let no_alg = format!("{}.{payload}.sig", b64url(br#"{"typ":"JWT","x":1}"#));
        assert!(kinds(&no_alg).is_empty());
        let undecodable = format!(
            "{}.{}.abc",
            b64url(br#"{"alg":"not json"#),
            b64url(br#"{"sub":"x"}"#)
        );
        assert!(kinds(&undecodable).is_empty());
        assert_eq!(base64_decode("aGk"), Some(b"hi".to_vec()));
    }

    #[test]
    fn private_key_blocks() {
        let begin = ["-----BEGIN RSA ", "PRIVATE KEY-----"].concat();
        let end = ["-----END RSA ", "PRIVATE KEY-----"].concat();
        let body = filler(16, 64, ALNUM);
        let text = format!("x\n{begin}\n{body}\n{end}\nafter");
        let found = find_tokens(&text);
        assert_eq!(found.len(), 1);
        let t = found.first().copied().unwrap_or(Token {
            kind: TokenKind::Jwt,
            start: 0,
            end: 0,
        });
        assert_eq!(t.kind, TokenKind::PrivateKey);
        assert!(t.value(&text).starts_with("-----BEGIN"));
        assert!(t.value(&text).ends_with("KEY-----"));
        // A header with no key material, or a public key, is not a secret.
        assert!(kinds(&format!("{begin}\n...\n{end}")).is_empty());
        assert!(kinds(&format!("-----BEGIN PUBLIC KEY-----\n{body}\n")).is_empty());
    }

    #[test]
    fn url_passwords() {
        let text = "postgres://app:s3cr3t-pw@db:5432/app";
        let found = find_tokens(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found.first().map(|t| t.value(text)), Some("s3cr3t-pw"));
        assert!(find_tokens("postgres://app@db/app").is_empty());
        assert!(find_tokens("postgres://app:${DB_PASSWORD}@db/app").is_empty());
        assert!(find_tokens("redis://:$(REDIS_PASSWORD)@redis:6379").is_empty());
        assert!(find_tokens("amqp://app:pre-${RABBIT_PASSWORD}@mq").is_empty());
        assert!(find_tokens("https://example.com/a:b@c").is_empty());
        assert!(find_tokens("http://user:@host").is_empty());
        assert!(find_tokens("://x:y@z").is_empty());
        let redis = "redis://:hunter2hunter@cache:6379/0";
        assert_eq!(
            find_tokens(redis).first().map(|t| t.value(redis)),
            Some("hunter2hunter")
        );
    }

    #[test]
    fn names() {
        for name in [
            "DB_PASSWORD",
            "dbPassword",
            "MYSQL_ROOT_PASSWORD",
            "db.password",
            "SMTP_PASS",
            "REDIS_PWD",
            "POSTGRES_PASSWD",
        ] {
            assert_eq!(
                secret_name(name).map(|n| n.0),
                Some(NameClass::Password),
                "{name}"
            );
        }
        for name in [
            "API_KEY",
            "apiKey",
            "X_APIKEY",
            "GITHUB_TOKEN",
            "CLIENT_SECRET",
            "SECRET_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "PRIVATE_KEY",
            "SIGNING_KEY",
            "GOOGLE_CREDENTIALS",
        ] {
            assert_eq!(
                secret_name(name).map(|n| n.0),
                Some(NameClass::Token),
                "{name}"
            );
        }
        for name in [
            "PASSWORD_FILE",
            "TOKEN_TTL",
            "SECRET_NAME",
            "PASSWORD_MIN_LENGTH",
            "PWD",
            "BYPASS",
            "CACHE_KEY",
            "AWS_ACCESS_KEY_ID",
            "TOKEN_URL",
            "LOG_LEVEL",
            "PASS_THROUGH",
            "KEYCLOAK_REALM",
        ] {
            assert_eq!(secret_name(name), None, "{name}");
        }
    }

    #[test]
    fn values() {
        for v in [
            "",
            "true",
            "8",
            "3600",
            "30s",
            "/run/secrets/db",
            "$(DB_PASSWORD)",
            "${X}",
            "<token>",
            "REPLACE_ME",
            "xxxx",
            "****",
            "{{ .Values.x }}",
        ] {
            assert!(is_non_secret_value(v), "{v}");
        }
        assert!(literal_secret(NameClass::Password, "hunter2"));
        assert!(!literal_secret(NameClass::Token, "vault"));
        assert!(!literal_secret(NameClass::Token, "basic-auth"));
        assert!(!literal_secret(NameClass::Token, "database/creds/db-app"));
        assert!(literal_secret(NameClass::Token, &filler(17, 32, ALNUM)));
        assert!(entropy("aaaa") < 0.01);
        assert!((entropy("abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn never_panics_on_odd_input() {
        // Prefixes cut short, glued to multi-byte characters, at the very end.
        let pieces = [
            "AK",
            "IA",
            "AIza",
            "gh",
            "p_",
            "github",
            "_pat_",
            "gl",
            "pat-",
            "xo",
            "xb-",
            "xapp-",
            "https://",
            "hooks.",
            "slack.com/services/",
            "sk",
            "_live_",
            "np",
            "m_",
            "pypi-",
            "eyJ",
            ".",
            "-----BEGIN ",
            "PRIVATE KEY",
            "-----",
            "-----END ",
            "://",
            ":",
            "@",
            "é",
            "日本",
            "\n",
            "\n",
            "=",
            "0",
            "Z",
            " ",
            "\"",
            "$",
        ];
        let mut state = 7u32;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let idx = (state >> 16) as usize % pieces.len();
                text.push_str(pieces.get(idx).copied().unwrap_or(""));
            }
            for t in find_tokens(&text) {
                assert!(t.start <= t.end && text.get(t.start..t.end).is_some());
            }
            let _ = secret_assignment(&text);
            let _ = secret_name(&text);
            let _ = base64_decode(&text);
            let _ = looks_random(&text);
        }
    }

    #[test]
    fn assignments() {
        let line = "  password: \"hunter2\"  # db";
        let (label, s, e) = secret_assignment(line).unwrap_or(("", 0, 0));
        assert_eq!(label, "password");
        assert_eq!(line.get(s..e), Some("hunter2"));
        let line = "spring.datasource.password=hunter2";
        let (_, s, e) = secret_assignment(line).unwrap_or(("", 0, 0));
        assert_eq!(line.get(s..e), Some("hunter2"));
        assert!(secret_assignment("password: ${DB_PASSWORD}").is_none());
        assert!(secret_assignment("password_file: /run/secrets/db").is_none());
        assert!(secret_assignment("passwordMinLength: 8").is_none());
        assert!(secret_assignment("# password: hunter2").is_none());
        assert!(secret_assignment("password:").is_none());
    }
}
