use super::names::{NameClass, secret_assignment, secret_name};
use super::tokens::{Token, TokenKind, base64_decode, find_tokens};
use super::values::{entropy, is_non_secret_value, literal_secret, looks_random};

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
