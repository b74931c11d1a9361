use super::{ENCRYPTION_KINDS, encryption_name};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::EncryptionConfig;
use assay_model::ObjectView;

declare_rule! {
    /// An encryption key has the wrong length for its provider
    ///
    /// ## What it checks
    /// Each key of an `aescbc`, `aesgcm` or `secretbox` provider: `secret`
    /// must be standard padded base64 decoding to 16, 24 or 32 bytes (AES;
    /// 32 recommended) or exactly 32 bytes (secretbox). The message gives the
    /// key's name and decoded length, never the key.
    ///
    /// ## Why it matters
    /// The API server refuses to start with such a key; a short AES key (16
    /// bytes) is weaker than the 32 bytes the documentation asks for.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - secretbox:
    ///           keys:
    ///             - name: key1
    ///               secret: c2hvcnQga2V5
    /// ```
    ///
    /// ## Fix
    /// Generate a 32-byte key (`head -c 32 /dev/urandom | base64`) and keep
    /// it out of version control; a deliverable should reference KMS v2
    /// instead:
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms:
    ///           apiVersion: v2
    ///           name: vault
    ///           endpoint: unix:///var/run/kms/vault.sock
    /// ```
    ///
    /// ## References
    /// - Encrypting confidential data at rest, "Providers" (key sizes): https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
    /// - `k8s.io/apiserver` encryption configuration validation: https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation_encryption.go
    pub(crate) struct EncryptionKeyLength {
        id: "ETCD017",
        name: "encryption-key-length",
        severity: Error,
        scope: Scope::Object(ENCRYPTION_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for EncryptionKeyLength {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(config) = EncryptionConfig::read(object.root) else {
            return;
        };
        let name = encryption_name(object);
        for provider in config.rules.iter().flat_map(|r| &r.providers) {
            let valid = provider.kind.valid_key_lengths();
            if valid.is_empty() {
                continue;
            }
            let expected = match valid {
                [only] => format!("{only} bytes"),
                _ => "16, 24 or 32 bytes (32 recommended)".to_owned(),
            };
            for key in &provider.keys {
                let Some(secret_span) = key.secret_span else {
                    continue;
                };
                let problem = match key.decoded_len {
                    Some(n) if valid.contains(&n) => continue,
                    Some(n) => format!("decodes to {n} bytes"),
                    None => "is not standard padded base64".to_owned(),
                };
                let f = out
                    .at(
                        object.at(secret_span),
                        format!(
                            "{}: key \"{}\" of provider `{}` {problem}; `{}` needs {expected}",
                            name,
                            key.name.unwrap_or("<unnamed>"),
                            provider.key_name(),
                            provider.key_name()
                        ),
                    )
                    .object(name.clone())
                    .secret(object.at(secret_span))
                    .fix(format!(
                        "generate a new key of {} bytes (`head -c 32 /dev/urandom | base64`) outside the repository, or use a `kms` v2 provider",
                        valid.last().copied().unwrap_or(32)
                    ));
                out.push(f);
            }
        }
    }
}
