use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd accepts clients without a certificate (CIS Kubernetes Benchmark 2.2)
    ///
    /// ## What it checks
    /// An etcd process whose `--client-cert-auth` is unset or false
    /// (`client-transport-security.client-cert-auth` in a config file, or
    /// `ETCD_CLIENT_CERT_AUTH`). etcd's default is false.
    ///
    /// ## Why it matters
    /// Without client certificate authentication, any process that reaches
    /// the client port can read and write every key (all Secrets) unless
    /// etcd's own RBAC is enabled, which Kubernetes deployments do not use.
    /// The API server is meant to be the only client, proven by its
    /// certificate.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// listen-client-urls: https://127.0.0.1:2379
    /// advertise-client-urls: https://127.0.0.1:2379
    /// client-transport-security:
    ///   cert-file: /etc/etcd/server.crt
    ///   key-file: /etc/etcd/server.key
    ///   client-cert-auth: false
    ///   trusted-ca-file: /etc/etcd/ca.crt
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
    /// - CIS Kubernetes Benchmark 2.2 (kube-bench `cfg/cis-1.12/etcd.yaml`): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/etcd.yaml
    /// - etcd security model, "Basic setup" with `--client-cert-auth`: https://etcd.io/docs/v3.5/op-guide/security/
    /// - etcd `etcd.conf.yml.sample`: https://github.com/etcd-io/etcd/blob/main/etcd.conf.yml.sample
    pub(crate) struct ClientCertAuthDisabled {
        id: "ETCD002",
        name: "etcd-client-cert-auth-disabled",
        severity: Error,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ClientCertAuthDisabled {
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
            if p.is_on("client-cert-auth") {
                continue;
            }
            let flag = p.spelling("client-cert-auth");
            let (location, what) = p.off_state("client-cert-auth");
            let f = out
                .at(
                    p.at(location),
                    format!(
                        "{} accepts clients without a certificate: {what}, so anything that reaches the client port reads and writes every key",
                        p.subject
                    ),
                )
                .object(p.object.clone())
                .fix(format!(
                    "set `{flag}` to true and `{}` to the CA that signs the API server's etcd client certificate",
                    p.spelling("trusted-ca-file")
                ));
            out.push(f);
        }
    }
}
