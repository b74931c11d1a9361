use super::{SETTINGS_DOCS, is_plain_http_beyond_loopback, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd serves metrics over plain HTTP beyond loopback
    ///
    /// ## What it checks
    /// A `--listen-metrics-urls` URL on `http://` whose host is not loopback.
    /// kubeadm's `http://127.0.0.1:2381` is not reported.
    ///
    /// ## Why it matters
    /// The metrics port serves `/metrics` and `/health` without any
    /// authentication; on a routable address it tells anyone the cluster's
    /// size, request rates and the etcd version (to pick an exploit), and can
    /// be flooded.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// listen-client-urls: https://127.0.0.1:2379
    /// advertise-client-urls: https://127.0.0.1:2379
    /// listen-metrics-urls: http://0.0.0.0:2381
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// listen-client-urls: https://127.0.0.1:2379
    /// advertise-client-urls: https://127.0.0.1:2379
    /// listen-metrics-urls: http://127.0.0.1:2381
    /// ```
    ///
    /// ## References
    /// - etcd configuration flags (`--listen-metrics-urls`): https://etcd.io/docs/v3.5/op-guide/configuration/
    /// - etcd monitoring: https://etcd.io/docs/v3.5/op-guide/monitoring/
    pub(crate) struct MetricsPlainHttp {
        id: "ETCD010",
        name: "etcd-metrics-plain-http",
        severity: Warning,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for MetricsPlainHttp {
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
            for (url, span) in p.settings.list("listen-metrics-urls") {
                if !is_plain_http_beyond_loopback(url) {
                    continue;
                }
                let f = out
                    .at(
                        p.at(span),
                        format!(
                            "{} serves metrics on `{url}`: plain HTTP, unauthenticated, beyond loopback",
                            p.subject
                        ),
                    )
                    .object(p.object.clone())
                    .fix("bind `--listen-metrics-urls` to `http://127.0.0.1:2381` and scrape it from the node, or use an `https://` URL");
                out.push(f);
            }
        }
    }
}
