use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::EncryptionConfig;
use assay_model::ObjectView;

declare_rule! {
    /// An EncryptionConfiguration commits its encryption keys
    ///
    /// ## What it checks
    /// Each `secret` of an `aescbc`, `aesgcm` or `secretbox` key in an
    /// `EncryptionConfiguration` (or the legacy `EncryptionConfig`) that is
    /// written as base64 key material, not a placeholder filled in at deploy
    /// time. The finding names the key and its decoded length only, and every
    /// printed source line masks the key.
    ///
    /// ## Why it matters
    /// These keys decrypt every Secret in etcd and in every etcd backup.
    /// Committed with the deliverable, they are as exposed as the repository;
    /// encryption at rest then protects nothing.
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
    ///               secret: bm90LWEtcmVhbC1rZXktanVzdC0zMi1ieXRlcy1vayE=  # "not-a-real-key-just-32-bytes-ok!"
    /// ```
    ///
    /// ## Fix
    /// Use a KMS v2 provider (the key stays in the KMS), or template the key in
    /// at deploy time from a secret store:
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - secretbox:
    ///           keys:
    ///             - name: key1
    ///               secret: ${ETCD_ENCRYPTION_KEY}
    /// ```
    ///
    /// ## References
    /// - Encrypting confidential data at rest ("the keys are stored in the EncryptionConfiguration on the control-plane host"): https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
    /// - Using a KMS provider for data encryption: https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/
    pub(crate) struct EncryptionKeyInConfig {
        id: "SEC006",
        name: "encryption-key-in-config",
        severity: Error,
        scope: Scope::Object(&["EncryptionConfiguration", "EncryptionConfig"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for EncryptionKeyInConfig {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(config) = EncryptionConfig::read(object.root) else {
            return;
        };
        // These files rarely have `metadata`: name them by file instead.
        let name = match object.object.name {
            Some(_) => object.display(),
            None => {
                let path = object.file.path.as_str();
                let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
                format!("{} {file}", object.kind())
            }
        };
        for provider in config.rules.iter().flat_map(|r| &r.providers) {
            for key in &provider.keys {
                let (Some(span), Some(len)) = (key.secret_span, key.decoded_len) else {
                    continue;
                };
                let f = out
                    .at(
                        object.at(span),
                        format!(
                            "{}: key \"{}\" of provider `{}` is written in the file ({len} bytes of key material, redacted)",
                            name,
                            key.name.unwrap_or("<unnamed>"),
                            provider.key_name()
                        ),
                    )
                    .object(name.clone())
                    .secret(object.at(span))
                    .fix("rotate the key (it is in version control now) and move to a `kms` v2 provider, or fill the key in at deploy time from a secret store");
                out.push(f);
            }
        }
    }
}
