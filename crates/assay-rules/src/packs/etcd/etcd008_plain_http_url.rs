use super::{SETTINGS_DOCS, is_plain_http_beyond_loopback, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd listens or advertises on plain `http://` beyond loopback
    ///
    /// ## What it checks
    /// Every URL of `--listen-client-urls`, `--advertise-client-urls`,
    /// `--listen-peer-urls` and `--initial-advertise-peer-urls` (flags,
    /// `ETCD_*` variables or config-file keys) that uses `http://` on a host
    /// other than loopback (`localhost`, `127.0.0.0/8`, `::1`). An `http://`
    /// URL means etcd serves that port without TLS, whatever certificates are
    /// configured.
    ///
    /// ## Why it matters
    /// A plain-HTTP client or peer URL on a routable address exposes the whole
    /// keyspace, Secrets included, to anyone on that network.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// listen-client-urls: http://0.0.0.0:2379
    /// advertise-client-urls: https://10.0.0.10:2379
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// listen-client-urls: https://10.0.0.10:2379,https://127.0.0.1:2379
    /// advertise-client-urls: https://10.0.0.10:2379
    /// ```
    ///
    /// ## References
    /// - etcd configuration flags (`--listen-client-urls`, `--listen-peer-urls`): https://etcd.io/docs/v3.5/op-guide/configuration/
    /// - etcd security model: https://etcd.io/docs/v3.5/op-guide/security/
    pub(crate) struct PlainHttpUrl {
        id: "ETCD008",
        name: "etcd-plain-http-url",
        severity: Error,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for PlainHttpUrl {
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
            for flag in [
                "listen-client-urls",
                "advertise-client-urls",
                "listen-peer-urls",
                "initial-advertise-peer-urls",
            ] {
                for (url, span) in p.settings.list(flag) {
                    if !is_plain_http_beyond_loopback(url) {
                        continue;
                    }
                    let f = out
                        .at(
                            p.at(span),
                            format!(
                                "{} uses `{url}` in `{}`: that port speaks plain HTTP beyond loopback",
                                p.subject,
                                p.spelling(flag)
                            ),
                        )
                        .object(p.object.clone())
                        .fix(format!(
                            "use `https://` in `{}` and configure the matching certificate and key",
                            p.spelling(flag)
                        ));
                    out.push(f);
                }
            }
        }
    }
}
