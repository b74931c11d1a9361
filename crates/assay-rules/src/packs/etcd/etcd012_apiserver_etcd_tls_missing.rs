use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// kube-apiserver reaches etcd without a client certificate or CA (CIS 1.2.23/26)
    ///
    /// ## What it checks
    /// A kube-apiserver container (command `kube-apiserver`, or an image named
    /// `kube-apiserver` with `args`) without `--etcd-certfile`,
    /// `--etcd-keyfile` or `--etcd-cafile`.
    ///
    /// ## Why it matters
    /// Without its client certificate the API server cannot pass etcd's
    /// client certificate authentication, which pushes operators to turn that
    /// off; without `--etcd-cafile` it cannot tell the real etcd from an
    /// impostor that collects every Secret it writes.
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
    ///       command:
    ///         - kube-apiserver
    ///         - --etcd-servers=https://127.0.0.1:2379
    ///         - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    ///         - --encryption-provider-config=/etc/kubernetes/enc/config.yaml
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
    ///       command:
    ///         - kube-apiserver
    ///         - --etcd-servers=https://127.0.0.1:2379
    ///         - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    ///         - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    ///         - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    ///         - --encryption-provider-config=/etc/kubernetes/enc/config.yaml
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 1.2.23 and 1.2.26 (kube-bench `cfg/cis-1.12/master.yaml`): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/master.yaml
    /// - kube-apiserver flags: https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub(crate) struct ApiserverEtcdTlsMissing {
        id: "ETCD012",
        name: "apiserver-etcd-tls-missing",
        severity: Error,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ApiserverEtcdTlsMissing {
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
            let missing: Vec<&str> = ["etcd-certfile", "etcd-keyfile", "etcd-cafile"]
                .into_iter()
                .filter(|f| p.settings.non_empty(f).is_none())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let list = missing
                .iter()
                .map(|f| format!("`--{f}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let location = p
                .settings
                .get("etcd-servers")
                .map_or(p.anchor, |s| s.name_span);
            let f = out
                .at(
                    p.at(location),
                    format!(
                        "{} connects to etcd without {list}: it cannot prove itself to etcd or verify etcd's certificate",
                        p.subject
                    ),
                )
                .object(p.object.clone())
                .fix("set `--etcd-cafile` to etcd's CA and `--etcd-certfile`/`--etcd-keyfile` to the API server's etcd client certificate (kubeadm: `/etc/kubernetes/pki/apiserver-etcd-client.crt` and `.key`)");
            out.push(f);
        }
    }
}
