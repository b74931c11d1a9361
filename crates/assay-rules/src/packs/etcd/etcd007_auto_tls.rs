use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd generates self-signed certificates (CIS Kubernetes Benchmark 2.3 and 2.6)
    ///
    /// ## What it checks
    /// `--auto-tls` or `--peer-auto-tls` set to true (`auto-tls` under
    /// `client-transport-security` or `peer-transport-security` in a config
    /// file, or `ETCD_AUTO_TLS`/`ETCD_PEER_AUTO_TLS`).
    ///
    /// ## Why it matters
    /// With auto TLS, etcd makes itself a self-signed certificate at start-up.
    /// Connections are encrypted but nobody can verify who is at the other
    /// end, and auto TLS cannot authenticate clients or peers: a man in the
    /// middle, or any member impostor, is accepted.
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
    ///       command: [etcd, --auto-tls, --client-cert-auth=true]
    /// ```
    ///
    /// ## Fix
    /// Use certificates from a CA you control:
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
    ///         - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    ///         - --key-file=/etc/kubernetes/pki/etcd/server.key
    ///         - --client-cert-auth=true
    ///         - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 2.3 and 2.6 (kube-bench `cfg/cis-1.12/etcd.yaml`): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/etcd.yaml
    /// - etcd security model, "auto TLS": https://etcd.io/docs/v3.5/op-guide/security/
    pub(crate) struct AutoTls {
        id: "ETCD007",
        name: "etcd-auto-tls",
        severity: Error,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for AutoTls {
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
            for (flag, side, cert, key) in [
                ("auto-tls", "clients", "cert-file", "key-file"),
                ("peer-auto-tls", "peers", "peer-cert-file", "peer-key-file"),
            ] {
                let Some((true, setting)) = p.settings.bool(flag) else {
                    continue;
                };
                let f = out
                    .at(
                        p.at(setting.name_span),
                        format!(
                            "{} sets `{}`: it serves {side} a self-signed certificate nobody can verify, and cannot authenticate them",
                            p.subject,
                            p.spelling(flag)
                        ),
                    )
                    .object(p.object.clone())
                    .fix(format!(
                        "remove `{}` and set `{}` and `{}` to a certificate and key from a CA you control",
                        p.spelling(flag),
                        p.spelling(cert),
                        p.spelling(key)
                    ));
                out.push(f);
            }
        }
    }
}
