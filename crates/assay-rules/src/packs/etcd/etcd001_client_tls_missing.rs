use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd serves clients without TLS (CIS Kubernetes Benchmark 2.1)
    ///
    /// ## What it checks
    /// An etcd process (a container whose command is `etcd`, its `ETCD_*`
    /// variables, or an etcd `--config-file` YAML) without both `--cert-file`
    /// and `--key-file` (`client-transport-security.cert-file`/`key-file` in a
    /// config file). A process using `--auto-tls` instead is reported by
    /// ETCD007.
    ///
    /// ## Why it matters
    /// etcd holds every object of the cluster, Secrets included. Without a
    /// server certificate, the client port speaks plain HTTP: anyone on the
    /// path reads and rewrites the cluster's state.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: etcd
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: etcd
    ///       image: registry.k8s.io/etcd:3.5.15-0
    ///       command:
    ///         - etcd
    ///         - --listen-client-urls=https://127.0.0.1:2379
    ///         - --key-file=/etc/kubernetes/pki/etcd/server.key
    /// ```
    ///
    /// ## Fix
    /// Give etcd its serving certificate and key:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: etcd
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: etcd
    ///       image: registry.k8s.io/etcd:3.5.15-0
    ///       command:
    ///         - etcd
    ///         - --listen-client-urls=https://127.0.0.1:2379
    ///         - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    ///         - --key-file=/etc/kubernetes/pki/etcd/server.key
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 2.1 (kube-bench `cfg/cis-1.12/etcd.yaml`): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/etcd.yaml
    /// - etcd security model, client-to-server transport security: https://etcd.io/docs/v3.5/op-guide/security/
    /// - etcd configuration flags: https://etcd.io/docs/v3.5/op-guide/configuration/
    pub(crate) struct ClientTlsMissing {
        id: "ETCD001",
        name: "etcd-client-tls-missing",
        severity: Error,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ClientTlsMissing {
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
        for p in processes(ctx, file, doc, Component::Etcd) {
            if p.is_on("auto-tls") {
                continue;
            }
            let Some(missing) = p.first_missing(&["cert-file", "key-file"]) else {
                continue;
            };
            let location = p.pair_location("cert-file", "key-file");
            let f = out
                .at(
                    p.at(location),
                    format!(
                        "{} serves clients without TLS: `{}` is not set, so the client port speaks plain HTTP",
                        p.subject,
                        p.spelling(missing)
                    ),
                )
                .object(p.object.clone())
                .fix(format!(
                    "set `{}` and `{}` to etcd's serving certificate and key (kubeadm: `/etc/kubernetes/pki/etcd/server.crt` and `server.key`) and use `https://` client URLs",
                    p.spelling("cert-file"),
                    p.spelling("key-file")
                ));
            out.push(f);
        }
    }
}
