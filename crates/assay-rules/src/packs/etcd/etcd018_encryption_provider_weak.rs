use super::{ENCRYPTION_KINDS, encryption_name};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::{EncryptionConfig, ProviderKind};
use assay_model::ObjectView;

declare_rule! {
    /// An EncryptionConfiguration uses KMS v1 or encrypts with `aescbc`
    ///
    /// ## What it checks
    /// A `kms` provider without `apiVersion: v2` (KMS v1: deprecated since
    /// Kubernetes 1.28, disabled by default since 1.29 behind the `KMSv1`
    /// feature gate), anywhere in the list; and `aescbc` as the provider that
    /// encrypts new writes (first in its entry), which the Kubernetes
    /// documentation no longer recommends. The documented recommendation is
    /// KMS v2; among local keys `secretbox`, or `aesgcm` with automated
    /// rotation.
    ///
    /// ## Why it matters
    /// An API server of 1.29 or later does not start with a KMS v1 provider
    /// unless the feature gate is re-enabled. `aescbc` is exposed to padding
    /// oracle attacks; local keys sit on the control-plane disk next to the
    /// data they protect.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms:
    ///           name: vault
    ///           endpoint: unix:///var/run/kms/vault.sock
    ///           cachesize: 100
    /// ```
    ///
    /// ## Fix
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
    /// - Encrypting confidential data at rest, "Providers" (strength and recommendation of each provider): https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
    /// - Using a KMS provider for data encryption (KMS v1 deprecation, `KMSv1` feature gate): https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/
    pub(crate) struct EncryptionProviderWeak {
        id: "ETCD018",
        name: "encryption-provider-weak",
        severity: Warning,
        scope: Scope::Object(ENCRYPTION_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for EncryptionProviderWeak {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(config) = EncryptionConfig::read(object.root) else {
            return;
        };
        let name = encryption_name(object);
        for rule in &config.rules {
            for (position, provider) in rule.providers.iter().enumerate() {
                let (message, fix) = match provider.kind {
                    ProviderKind::Kms { v2: false } => (
                        format!(
                            "{}: KMS provider \"{}\" uses KMS v1, deprecated since Kubernetes 1.28 and disabled by default since 1.29",
                            name,
                            provider.body.get_str("name").unwrap_or("<unnamed>")
                        ),
                        "add `apiVersion: v2` to the provider (the plugin must speak KMS v2), migrating data as the KMS provider guide describes",
                    ),
                    ProviderKind::Aescbc if position == 0 => (
                        format!(
                            "{}: new writes are encrypted with `aescbc`, which the Kubernetes documentation no longer recommends (CBC padding-oracle weakness)",
                            name
                        ),
                        "encrypt with a `kms` v2 provider (recommended), or with `secretbox`; keep `aescbc` after it only to read old data",
                    ),
                    _ => continue,
                };
                let f = out
                    .at(object.at(provider.key.span()), message)
                    .object(name.clone())
                    .fix(fix);
                out.push(f);
            }
        }
    }
}
