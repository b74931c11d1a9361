use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd accepts peers without a certificate (CIS Kubernetes Benchmark 2.5)
    ///
    /// ## What it checks
    /// An etcd member of a cluster (several members in `--initial-cluster`, or
    /// peer URLs beyond loopback) whose `--peer-client-cert-auth` is unset or
    /// false (`peer-transport-security.client-cert-auth`).
    ///
    /// ## Why it matters
    /// Without peer certificate authentication, anything that reaches the
    /// peer port can pose as a member: join the cluster, receive the whole
    /// keyspace by replication and vote.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// name: etcd-0
    /// listen-peer-urls: https://10.0.0.10:2380
    /// initial-cluster: etcd-0=https://10.0.0.10:2380,etcd-1=https://10.0.0.11:2380
    /// peer-transport-security:
    ///   cert-file: /etc/etcd/peer.crt
    ///   key-file: /etc/etcd/peer.key
    ///   trusted-ca-file: /etc/etcd/ca.crt
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
    ///   trusted-ca-file: /etc/etcd/ca.crt
    ///   client-cert-auth: true
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 2.5 (kube-bench `cfg/cis-1.12/etcd.yaml`): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/etcd.yaml
    /// - etcd security model, peer transport security: https://etcd.io/docs/v3.5/op-guide/security/
    pub(crate) struct PeerClientCertAuthDisabled {
        id: "ETCD005",
        name: "etcd-peer-client-cert-auth-disabled",
        severity: Error,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for PeerClientCertAuthDisabled {
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
            if !p.is_clustered() || p.is_on("peer-client-cert-auth") {
                continue;
            }
            let flag = p.spelling("peer-client-cert-auth");
            let (location, what) = p.off_state("peer-client-cert-auth");
            let f = out
                .at(
                    p.at(location),
                    format!(
                        "{} accepts peers without a certificate: {what}, so anything that reaches the peer port can join the cluster",
                        p.subject
                    ),
                )
                .object(p.object.clone())
                .fix(format!(
                    "set `{flag}` to true and `{}` to the CA that signs the members' peer certificates",
                    p.spelling("peer-trusted-ca-file")
                ));
            out.push(f);
        }
    }
}
