use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd members talk to each other without TLS (CIS Kubernetes Benchmark 2.4)
    ///
    /// ## What it checks
    /// An etcd member of a cluster (several members in `--initial-cluster`, or
    /// peer URLs beyond loopback) without both `--peer-cert-file` and
    /// `--peer-key-file` (`peer-transport-security.cert-file`/`key-file`). A
    /// single member whose peer URLs are on loopback has no peer traffic and is
    /// not reported; `--peer-auto-tls` is reported by ETCD007.
    ///
    /// ## Why it matters
    /// Peers replicate every write, Secrets included, over the peer port.
    /// Without TLS the replication stream is readable and forgeable on the
    /// network between control-plane nodes.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// name: etcd-0
    /// listen-peer-urls: https://10.0.0.10:2380
    /// initial-advertise-peer-urls: https://10.0.0.10:2380
    /// initial-cluster: etcd-0=https://10.0.0.10:2380,etcd-1=https://10.0.0.11:2380
    /// peer-transport-security:
    ///   cert-file: /etc/etcd/peer.crt
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// name: etcd-0
    /// listen-peer-urls: https://10.0.0.10:2380
    /// initial-advertise-peer-urls: https://10.0.0.10:2380
    /// initial-cluster: etcd-0=https://10.0.0.10:2380,etcd-1=https://10.0.0.11:2380
    /// peer-transport-security:
    ///   cert-file: /etc/etcd/peer.crt
    ///   key-file: /etc/etcd/peer.key
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 2.4 (kube-bench `cfg/cis-1.12/etcd.yaml`): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/etcd.yaml
    /// - etcd security model, peer transport security: https://etcd.io/docs/v3.5/op-guide/security/
    pub(crate) struct PeerTlsMissing {
        id: "ETCD004",
        name: "etcd-peer-tls-missing",
        severity: Error,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for PeerTlsMissing {
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
            let Some(missing) = p.first_missing(&["peer-cert-file", "peer-key-file"]) else {
                continue;
            };
            let location = p.pair_location("peer-cert-file", "peer-key-file");
            let f = out
                .at(
                    p.at(location),
                    format!(
                        "{} replicates to its peers without TLS: `{}` is not set",
                        p.subject,
                        p.spelling(missing)
                    ),
                )
                .object(p.object.clone())
                .fix(format!(
                    "set `{}` and `{}` to the member's peer certificate and key and use `https://` peer URLs",
                    p.spelling("peer-cert-file"),
                    p.spelling("peer-key-file")
                ));
            out.push(f);
        }
    }
}
