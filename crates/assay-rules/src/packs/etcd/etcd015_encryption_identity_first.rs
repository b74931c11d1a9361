use super::{ENCRYPTION_KINDS, encryption_name};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::{EncryptionConfig, ProviderKind};
use assay_model::ObjectView;

declare_rule! {
    /// An EncryptionConfiguration writes resources unencrypted (`identity` first)
    ///
    /// ## What it checks
    /// Each `resources[]` entry of an `EncryptionConfiguration` whose first
    /// provider is `identity`, alone or followed by real providers. The API
    /// server encrypts new writes with the first provider only; the others are
    /// tried when reading.
    ///
    /// ## Why it matters
    /// With `identity` first, every Secret (or whatever the entry lists) is
    /// written to etcd in clear text, although the file looks like it
    /// configures encryption. `identity` first is only right for the last
    /// step of decrypting a cluster.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - identity: {}
    ///       - kms:
    ///           apiVersion: v2
    ///           name: vault
    ///           endpoint: unix:///var/run/kms/vault.sock
    /// ```
    ///
    /// ## Fix
    /// Put the real provider first and keep `identity` last, to read data
    /// written before encryption was turned on:
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
    ///       - identity: {}
    /// ```
    ///
    /// ## References
    /// - Encrypting confidential data at rest, "Providers" (the first provider encrypts): https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
    /// - CIS Kubernetes Benchmark 1.2.28, encryption providers appropriately configured: https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/master.yaml
    pub(crate) struct EncryptionIdentityFirst {
        id: "ETCD015",
        name: "encryption-identity-first",
        severity: Error,
        scope: Scope::Object(ENCRYPTION_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for EncryptionIdentityFirst {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(config) = EncryptionConfig::read(object.root) else {
            return;
        };
        let name = encryption_name(object);
        for rule in &config.rules {
            let Some(first) = rule.providers.first() else {
                continue;
            };
            if first.kind != ProviderKind::Identity {
                continue;
            }
            let resources = rule
                .resources
                .iter()
                .map(|(r, _)| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let how = if rule.providers.len() == 1 {
                "`identity` is the only provider"
            } else {
                "`identity` is the first provider (the others only decrypt)"
            };
            let f = out
                .at(
                    object.at(first.key.span()),
                    format!(
                        "{} writes {resources} to etcd unencrypted: {how}",
                        name
                    ),
                )
                .object(name.clone())
                .fix("put `kms` (apiVersion v2), `secretbox` or `aesgcm` first and keep `identity` last, then rewrite existing Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`)");
            out.push(f);
        }
    }
}
