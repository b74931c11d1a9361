use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// kube-apiserver stores Secrets unencrypted (CIS 1.2.27)
    ///
    /// ## What it checks
    /// A kube-apiserver container without `--encryption-provider-config`.
    ///
    /// ## Why it matters
    /// Without an encryption configuration the API server writes Secrets to
    /// etcd as they are: every etcd backup, snapshot or disk holds them in
    /// clear text, and anyone who reads etcd reads them.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-apiserver
    ///       image: registry.k8s.io/kube-apiserver:v1.31.0
    ///       command: [kube-apiserver, "--etcd-servers=https://127.0.0.1:2379"]
    /// ```
    ///
    /// ## Fix
    /// Write an `EncryptionConfiguration` (KMS v2, or `secretbox`/`aesgcm`
    /// first) and point the API server at it:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-apiserver
    ///       image: registry.k8s.io/kube-apiserver:v1.31.0
    ///       command:
    ///         - kube-apiserver
    ///         - --etcd-servers=https://127.0.0.1:2379
    ///         - --encryption-provider-config=/etc/kubernetes/enc/config.yaml
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 1.2.27 (kube-bench `cfg/cis-1.12/master.yaml`): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/master.yaml
    /// - Encrypting confidential data at rest: https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
    pub(crate) struct ApiserverNoEncryptionConfig {
        id: "ETCD014",
        name: "apiserver-no-encryption-config",
        severity: Warning,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ApiserverNoEncryptionConfig {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(
        &self,
        ctx: &Context<'_>,
        file: &SourceFile,
        doc: &DocInfo,
        out: &mut Findings<'_>,
    ) {
        for p in processes(ctx, file, doc, Component::KubeApiserver) {
            if p.settings.non_empty("encryption-provider-config").is_some() {
                continue;
            }
            let f = out
                .at(
                    p.at(p.anchor),
                    format!(
                        "{} has no `--encryption-provider-config`, so Secrets are stored in etcd unencrypted",
                        p.subject
                    ),
                )
                .object(p.object.clone())
                .fix("write an EncryptionConfiguration whose first provider for `secrets` is `kms` (apiVersion v2), `secretbox` or `aesgcm`, mount it, and pass `--encryption-provider-config=<path>`");
            out.push(f);
        }
    }
}
