use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd checks peer certificates without its own CA
    ///
    /// ## What it checks
    /// An etcd member of a cluster with `--peer-client-cert-auth` on but no
    /// `--peer-trusted-ca-file` (`peer-transport-security.trusted-ca-file`).
    ///
    /// ## Why it matters
    /// Without a peer CA, peer certificates are verified against the host's
    /// system roots: a certificate from any public CA is accepted as a member.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// name: etcd-0
    /// listen-peer-urls: https://10.0.0.10:2380
    /// initial-cluster: etcd-0=https://10.0.0.10:2380,etcd-1=https://10.0.0.11:2380
    /// peer-transport-security:
    ///   cert-file: /etc/etcd/peer.crt
    ///   key-file: /etc/etcd/peer.key
    ///   client-cert-auth: true
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// name: etcd-0
    /// listen-peer-urls: https://10.0.0.10:2380
    /// initial-cluster: etcd-0=https://10.0.0.10:2380,etcd-1=https://10.0.0.11:2380
    /// peer-transport-security:
    ///   cert-file: /etc/etcd/peer.crt
    ///   key-file: /etc/etcd/peer.key
    ///   client-cert-auth: true
    ///   trusted-ca-file: /etc/etcd/ca.crt
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 2.7, a unique CA for etcd (kube-bench `cfg/cis-1.12/etcd.yaml`): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/etcd.yaml
    /// - etcd security model, peer transport security: https://etcd.io/docs/v3.5/op-guide/security/
    pub(crate) struct PeerTrustedCaMissing {
        id: "ETCD006",
        name: "etcd-peer-trusted-ca-missing",
        severity: Warning,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for PeerTrustedCaMissing {
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
            if !p.is_clustered() || p.is_on("peer-auto-tls") {
                continue;
            }
            let Some((true, auth)) = p.settings.bool("peer-client-cert-auth") else {
                continue;
            };
            if p.settings.non_empty("peer-trusted-ca-file").is_some() {
                continue;
            }
            let f = out
                .at(
                    p.at(auth.name_span),
                    format!(
                        "{} requires peer certificates but sets no `{}`, so any certificate the host's system roots trust is accepted as a member",
                        p.subject,
                        p.spelling("peer-trusted-ca-file")
                    ),
                )
                .object(p.object.clone())
                .fix(format!(
                    "set `{}` to the CA that signs only the members' peer certificates",
                    p.spelling("peer-trusted-ca-file")
                ));
            out.push(f);
        }
    }
}
