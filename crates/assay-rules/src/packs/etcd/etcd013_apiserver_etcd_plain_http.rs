use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::{Component, url_scheme};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// kube-apiserver reaches etcd over plain HTTP
    ///
    /// ## What it checks
    /// Each `--etcd-servers` URL of a kube-apiserver container that uses
    /// `http://` (repeated `--etcd-servers` flags add up, as `pflag` slices do).
    ///
    /// ## Why it matters
    /// Every object the API server stores, Secrets included, travels to etcd
    /// in clear text, and etcd cannot authenticate the API server by
    /// certificate.
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
    ///       command: [kube-apiserver, "--etcd-servers=http://10.0.0.10:2379"]
    /// ```
    ///
    /// ## Fix
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
    ///       command: [kube-apiserver, "--etcd-servers=https://10.0.0.10:2379"]
    /// ```
    ///
    /// ## References
    /// - kube-apiserver flags (`--etcd-servers`): https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - Operating etcd clusters for Kubernetes, "Securing etcd clusters": https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/
    pub(crate) struct ApiserverEtcdPlainHttp {
        id: "ETCD013",
        name: "apiserver-etcd-plain-http",
        severity: Error,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ApiserverEtcdPlainHttp {
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
            for (url, span) in p.settings.list("etcd-servers") {
                if !url_scheme(url).is_some_and(|s| s.eq_ignore_ascii_case("http")) {
                    continue;
                }
                let f = out
                    .at(
                        p.at(span),
                        format!(
                            "{} reaches etcd at `{url}` over plain HTTP: every stored object, Secrets included, crosses in clear text",
                            p.subject
                        ),
                    )
                    .object(p.object.clone())
                    .fix("use `https://` etcd URLs with `--etcd-cafile`, `--etcd-certfile` and `--etcd-keyfile`, and serve etcd's client port over TLS");
                out.push(f);
            }
        }
    }
}
