//! Credential-shaped test values, built at run time from pieces so that no
//! such literal is ever committed. Fixtures and doc examples write
//! `{{fake:KIND}}`; the harness substitutes the value built here.
//!
//! Values are deterministic: the characters come from a tiny linear
//! congruential generator seeded with the kind, so snapshots are stable.
//! Multi-line values (`pem-private-key`) continue at the indentation of the
//! line the placeholder is on, so they fit in a YAML block scalar:
//!
//! ```yaml
//! key.pem: |
//!   {{fake:pem-private-key}}
//! ```
//!
//! `pem-private-key-escaped` is the same key on one line with `\n` escapes,
//! for double-quoted YAML and JSON strings. `base64:KIND` is the base64 of
//! a value, for Secret `data` and ConfigMap `binaryData`.

const UPPER_B32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGITS: &str = "0123456789";

/// Deterministic pseudo-random characters from `alphabet`.
struct Lcg(u64);

impl Lcg {
    fn new(seed: &str) -> Self {
        // FNV-1a of the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Self(h)
    }

    fn chars(&mut self, len: usize, alphabet: &str) -> String {
        let alphabet: Vec<char> = alphabet.chars().collect();
        (0..len)
            .map(|_| {
                self.0 = self
                    .0
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                alphabet[(self.0 >> 33) as usize % alphabet.len()]
            })
            .collect()
    }
}

fn b64url(bytes: &[u8]) -> String {
    let alphabet: Vec<char> = B64URL.chars().collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize]);
        }
    }
    out
}

/// Standard padded base64, for `{{fake:base64:KIND}}` (Secret `data`).
fn b64(bytes: &[u8]) -> String {
    let mut out = b64url(bytes).replace('-', "+").replace('_', "/");
    let padding = (4 - out.len() % 4) % 4;
    out.push_str(&"=".repeat(padding));
    out
}

fn pem_private_key(rng: &mut Lcg) -> String {
    let label = ["RSA ", "PRIV", "ATE KEY"].concat();
    let mut lines = vec![format!("-----{} {label}-----", ["BE", "GIN"].concat())];
    for _ in 0..4 {
        lines.push(rng.chars(64, B64));
    }
    lines.push(format!("{}==", rng.chars(30, B64)));
    lines.push(format!("-----{} {label}-----", ["E", "ND"].concat()));
    lines.join("\n")
}

/// The value for one placeholder kind, or `None` for an unknown kind.
pub fn fake(kind: &str) -> Option<String> {
    if let Some(inner) = kind.strip_prefix("base64:") {
        return fake(inner).map(|v| b64(v.as_bytes()));
    }
    let mut rng = Lcg::new(kind);
    let value = match kind {
        "password" => ["correct", "-horse-", "battery"].concat(),
        "password-2" => ["Tr0ub4", "dor&", "3xyz"].concat(),
        "aws-access-key-id" => ["AK", "IA", &rng.chars(16, UPPER_B32)].concat(),
        "aws-secret-key" => rng.chars(40, B64),
        "github-pat" => ["gh", "p_", &rng.chars(36, ALNUM)].concat(),
        "github-fine-grained" => ["github", "_pat_", &rng.chars(82, ALNUM)].concat(),
        "gitlab-pat" => ["gl", "pat-", &rng.chars(20, ALNUM)].concat(),
        "slack-bot" => [
            "xo",
            "xb-",
            &rng.chars(12, DIGITS),
            "-",
            &rng.chars(13, DIGITS),
            "-",
            &rng.chars(24, ALNUM),
        ]
        .concat(),
        "slack-webhook" => [
            "https://hooks.",
            "slack.com/services/T",
            &rng.chars(10, UPPER_B32),
            "/B",
            &rng.chars(10, UPPER_B32),
            "/",
            &rng.chars(24, ALNUM),
        ]
        .concat(),
        "stripe-live" => ["sk", "_live_", &rng.chars(24, ALNUM)].concat(),
        "stripe-test" => ["sk", "_test_", &rng.chars(24, ALNUM)].concat(),
        "google-api" => ["AI", "za", &rng.chars(35, ALNUM)].concat(),
        "npm" => ["np", "m_", &rng.chars(36, ALNUM)].concat(),
        "jwt" => {
            let header = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
            let payload = b64url(br#"{"sub":"svc-reporting","iat":1700000000}"#);
            format!("{header}.{payload}.{}", rng.chars(43, B64URL))
        }
        // Shaped like a JWT, but the header is not a JSON object: not reported.
        "jwt-undecodable" => {
            let header = b64url(br#"{"alg":"not json"#);
            let payload = b64url(br#"{"sub":"not json"#);
            format!("{header}.{payload}.{}", rng.chars(12, B64URL))
        }
        // The key of the AWS documentation: allow-listed, not reported.
        "aws-example-key" => ["AK", "IA", "IOSFODNN7", "EXAMPLE"].concat(),
        "random-token" => rng.chars(40, ALNUM),
        // 32 bytes: an AES-256 or secretbox key once base64-encoded.
        "aes-32" | "aes-32-b" => rng.chars(32, ALNUM),
        "pem-private-key" => pem_private_key(&mut rng),
        "pem-private-key-escaped" => pem_private_key(&mut rng).replace('\n', "\\n"),
        _ => return None,
    };
    Some(value)
}

/// Substitute every `{{fake:KIND}}` in `text`; returns the text and the values
/// used (for a multi-line value, also each of its key-material lines).
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
        let line_start = out.rfind('\n').map_or(0, |i| i + 1);
        let indent: String = out[line_start..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        for line in value
            .lines()
            .filter(|l| l.len() >= 16 && !l.starts_with('-'))
        {
            used.push(line.to_owned());
        }
        out.push_str(&value.replace('\n', &format!("\n{indent}")));
        used.push(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    (out, used)
}
