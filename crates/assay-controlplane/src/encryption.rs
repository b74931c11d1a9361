use assay_span::Span;
use assay_yaml::Value;

/// An encryption provider of an `EncryptionConfiguration`
/// (`apiserver.config.k8s.io/v1`, kube-apiserver `--encryption-provider-config`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderKind {
    /// No encryption: resources are written as they are.
    Identity,
    Aescbc,
    Aesgcm,
    Secretbox,
    /// KMS plugin; `v2` when `apiVersion: v2`, else the deprecated v1.
    Kms {
        v2: bool,
    },
    /// A provider key assay does not know (a typo, or a newer provider).
    Unknown,
}

impl ProviderKind {
    fn of(key: &str, body: Value<'_>) -> Self {
        match key {
            "identity" => ProviderKind::Identity,
            "aescbc" => ProviderKind::Aescbc,
            "aesgcm" => ProviderKind::Aesgcm,
            "secretbox" => ProviderKind::Secretbox,
            "kms" => ProviderKind::Kms {
                v2: body.get_str("apiVersion") == Some("v2"),
            },
            _ => ProviderKind::Unknown,
        }
    }

    /// Key lengths in bytes the API server accepts (`k8s.io/apiserver`
    /// `pkg/server/options/encryptionconfig/config.go`): AES 16, 24 or 32,
    /// secretbox exactly 32. Empty for providers without keys.
    #[must_use]
    pub fn valid_key_lengths(self) -> &'static [usize] {
        match self {
            ProviderKind::Aescbc | ProviderKind::Aesgcm => &[16, 24, 32],
            ProviderKind::Secretbox => &[32],
            _ => &[],
        }
    }
}

/// One key of an `aescbc`, `aesgcm` or `secretbox` provider. The key material
/// is not kept: only where it is written and its decoded length.
#[derive(Clone, Copy, Debug)]
pub struct EncryptionKey<'t> {
    pub name: Option<&'t str>,
    /// The key's item (`- name: …`).
    pub node: Value<'t>,
    /// Where `secret` is written (the value node), if it is.
    pub secret_span: Option<Span>,
    /// Length of the decoded key; `None` when `secret` is missing or not
    /// standard padded base64 (what Go's `base64.StdEncoding` accepts).
    pub decoded_len: Option<usize>,
}

/// One provider of a resource rule, in the order written.
#[derive(Clone, Debug)]
pub struct Provider<'t> {
    pub kind: ProviderKind,
    /// The provider key as written (`aescbc`).
    pub key: Value<'t>,
    pub body: Value<'t>,
    pub keys: Vec<EncryptionKey<'t>>,
}

impl Provider<'_> {
    #[must_use]
    pub fn key_name(&self) -> &str {
        self.key.as_str().unwrap_or_default()
    }
}

/// One entry of `resources:`: the resources it covers and its providers.
#[derive(Clone, Debug)]
pub struct ResourceRule<'t> {
    pub node: Value<'t>,
    /// `resources[].resources` items, each with its node.
    pub resources: Vec<(&'t str, Value<'t>)>,
    pub providers: Vec<Provider<'t>>,
}

impl ResourceRule<'_> {
    /// Whether this rule covers core `secrets` (`secrets`, `secrets.`, the
    /// core-group wildcard `*.` or the everything wildcard `*.*`).
    #[must_use]
    pub fn covers_secrets(&self) -> bool {
        self.resources
            .iter()
            .any(|(r, _)| matches!(*r, "secrets" | "secrets." | "*." | "*.*"))
    }
}

/// A read-only view of an `EncryptionConfiguration` (or the legacy
/// `EncryptionConfig` of `apiVersion: v1`).
#[derive(Clone, Debug)]
pub struct EncryptionConfig<'t> {
    pub root: Value<'t>,
    pub rules: Vec<ResourceRule<'t>>,
}

impl<'t> EncryptionConfig<'t> {
    /// `None` when `root` is not an encryption configuration.
    #[must_use]
    pub fn read(root: Value<'t>) -> Option<Self> {
        let kind = root.get_str("kind")?;
        let api_version = root.get_str("apiVersion").unwrap_or_default();
        let known = (kind == "EncryptionConfiguration"
            && api_version.starts_with("apiserver.config.k8s.io/"))
            || (kind == "EncryptionConfig" && api_version == "v1");
        if !known {
            return None;
        }
        let rules = root
            .get("resources")
            .into_iter()
            .flat_map(Value::items)
            .filter(|r| r.is_mapping())
            .map(|node| ResourceRule {
                node,
                resources: node
                    .get("resources")
                    .into_iter()
                    .flat_map(Value::items)
                    .filter_map(|r| r.as_str().map(|s| (s, r)))
                    .collect(),
                providers: node
                    .get("providers")
                    .into_iter()
                    .flat_map(Value::items)
                    .filter_map(|p| p.entries().next())
                    .map(|(key, body)| Provider {
                        kind: ProviderKind::of(key.as_str().unwrap_or_default(), body),
                        key,
                        body,
                        keys: body
                            .get("keys")
                            .into_iter()
                            .flat_map(Value::items)
                            .map(|k| {
                                let secret = k.get("secret");
                                EncryptionKey {
                                    name: k.get_str("name"),
                                    node: k,
                                    secret_span: secret.map(Value::span),
                                    decoded_len: secret
                                        .and_then(Value::as_str)
                                        .and_then(base64_decoded_len),
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        Some(Self { root, rules })
    }
}

/// The number of bytes standard padded base64 decodes to, or `None` when
/// Go's `base64.StdEncoding.DecodeString` would reject the text.
#[must_use]
pub fn base64_decoded_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.chunks_exact(4).remainder().is_empty() {
        return None;
    }
    let padding = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 {
        return None;
    }
    let body = bytes.get(..bytes.len() - padding)?;
    if !body
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
    {
        return None;
    }
    Some(bytes.len() / 4 * 3 - padding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_yaml::Limits;

    #[test]
    fn decoded_lengths() {
        assert_eq!(base64_decoded_len("YWJj"), Some(3));
        assert_eq!(base64_decoded_len("YQ=="), Some(1));
        assert_eq!(
            base64_decoded_len(&"A".repeat(44).replacen('A', "=", 0)),
            Some(33)
        );
        assert_eq!(base64_decoded_len("YQ="), None);
        assert_eq!(base64_decoded_len("Y==="), None);
        assert_eq!(base64_decoded_len("a-b_"), None);
        assert_eq!(base64_decoded_len(""), None);
    }

    #[test]
    fn providers_in_order_with_key_lengths() {
        let text = "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets, configmaps]\n  providers:\n  - identity: {}\n  - aesgcm:\n      keys:\n      - name: k1\n        secret: YWJjZGVmZ2hpamtsbW5vcA==\n  - kms:\n      apiVersion: v2\n      name: p\n";
        let (tree, _) = assay_yaml::parse(text, &Limits::default());
        let config = EncryptionConfig::read(tree.value(tree.documents()[0].root)).unwrap();
        let rule = &config.rules[0];
        assert!(rule.covers_secrets());
        let kinds: Vec<_> = rule.providers.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                ProviderKind::Identity,
                ProviderKind::Aesgcm,
                ProviderKind::Kms { v2: true }
            ]
        );
        let key = rule.providers[1].keys[0];
        assert_eq!(key.name, Some("k1"));
        assert_eq!(key.decoded_len, Some(16));
        assert_eq!(key.secret_span.map(|s| s.start.line), Some(10));
    }
}
