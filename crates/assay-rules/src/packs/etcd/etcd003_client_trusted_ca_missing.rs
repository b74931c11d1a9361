use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd checks client certificates without its own CA (CIS 2.7)
    ///
    /// ## What it checks
    /// An etcd process with `--client-cert-auth` on but no `--trusted-ca-file`
    /// (`client-transport-security.trusted-ca-file` in a config file).
    ///
    /// ## Why it matters
    /// etcd verifies client certificates against `--trusted-ca-file`. Without
    /// it, Go's TLS stack verifies them against the host's system roots, so a
    /// certificate from any public CA is accepted as a client. The CIS
    /// benchmark asks for a CA used by etcd alone.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// listen-client-urls: https://127.0.0.1:2379
    /// advertise-client-urls: https://127.0.0.1:2379
    /// client-transport-security:
    ///   cert-file: /etc/etcd/server.crt
    ///   key-file: /etc/etcd/server.key
    ///   client-cert-auth: true
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// listen-client-urls: https://127.0.0.1:2379
    /// advertise-client-urls: https://127.0.0.1:2379
    /// client-transport-security:
    ///   cert-file: /etc/etcd/server.crt
    ///   key-file: /etc/etcd/server.key
    ///   client-cert-auth: true
    ///   trusted-ca-file: /etc/etcd/ca.crt
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 2.7, a unique CA for etcd (kube-bench `cfg/cis-1.12/etcd.yaml`): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/etcd.yaml
    /// - etcd security model: https://etcd.io/docs/v3.5/op-guide/security/
    /// - Go `crypto/tls` `Config.ClientCAs` (nil: the system roots): https://pkg.go.dev/crypto/tls#Config
    pub(crate) struct ClientTrustedCaMissing {
        id: "ETCD003",
        name: "etcd-client-trusted-ca-missing",
        severity: Warning,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ClientTrustedCaMissing {
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
            let Some((true, auth)) = p.settings.bool("client-cert-auth") else {
                continue;
            };
            if p.settings.non_empty("trusted-ca-file").is_some() || p.is_on("auto-tls") {
                continue;
            }
            let f = out
                .at(
                    p.at(auth.name_span),
                    format!(
                        "{} requires client certificates but sets no `{}`, so any certificate the host's system roots trust is accepted as a client",
                        p.subject,
                        p.spelling("trusted-ca-file")
                    ),
                )
                .object(p.object.clone())
                .fix(format!(
                    "set `{}` to a CA used only for etcd clients (kubeadm: `/etc/kubernetes/pki/etcd/ca.crt`)",
                    p.spelling("trusted-ca-file")
                ));
            out.push(f);
        }
    }
}
