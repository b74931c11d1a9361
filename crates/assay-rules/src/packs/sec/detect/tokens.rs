//! Credentials of a known format (after the gitleaks rule set) and passwords
//! in connection URLs, found by byte matchers that slice only at ASCII
//! positions.

use super::values::is_placeholder;

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
