use super::{ENCRYPTION_KINDS, encryption_name};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::EncryptionConfig;
use assay_model::ObjectView;

declare_rule! {
    /// An EncryptionConfiguration does not encrypt Secrets
    ///
    /// ## What it checks
    /// An `EncryptionConfiguration` none of whose `resources[].resources`
    /// lists name `secrets` (or `secrets.`, the core-group wildcard `*.` or
    /// the wildcard `*.*`, accepted since Kubernetes 1.27).
    ///
    /// ## Why it matters
    /// Resources not listed are stored unencrypted. Secrets are the reason to
    /// encrypt at rest; a file that encrypts only other resources gives a
    /// false sense of protection.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [configmaps]
    ///     providers:
    ///       - kms:
    ///           apiVersion: v2
    ///           name: vault
    ///           endpoint: unix:///var/run/kms/vault.sock
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets, configmaps]
    ///     providers:
    ///       - kms:
    ///           apiVersion: v2
    ///           name: vault
    ///           endpoint: unix:///var/run/kms/vault.sock
    /// ```
    ///
    /// ## References
    /// - Encrypting confidential data at rest: https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
    /// - CIS Kubernetes Benchmark 1.2.28: https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/master.yaml
    pub(crate) struct EncryptionSecretsNotCovered {
        id: "ETCD016",
        name: "encryption-secrets-not-covered",
        severity: Error,
        scope: Scope::Object(ENCRYPTION_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for EncryptionSecretsNotCovered {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(config) = EncryptionConfig::read(object.root) else {
            return;
        };
        let name = encryption_name(object);
        if config.rules.iter().any(|r| r.covers_secrets()) {
            return;
        }
        let location = object
            .root
            .entry("resources")
            .map_or(object.anchor(), |(k, _)| object.at(k.span()));
        let f = out
            .at(
                location,
                format!(
                    "{} does not list `secrets` in any `resources` entry, so Secrets are stored unencrypted",
                    name
                ),
            )
            .object(name)
            .fix("add `secrets` to the `resources` list of the entry whose first provider encrypts");
        out.push(f);
    }
}
