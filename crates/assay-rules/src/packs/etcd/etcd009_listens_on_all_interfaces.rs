use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::{Component, is_wildcard_host, url_host};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd on the node's network listens on every interface
    ///
    /// ## What it checks
    /// A `--listen-client-urls` or `--listen-peer-urls` URL whose host is a
    /// wildcard (`0.0.0.0`, `[::]`, or none), for etcd running on a node's
    /// network: a pod with `hostNetwork: true`, or a config file (read by etcd
    /// on a host). Inside a pod's own network namespace a wildcard only
    /// reaches the pod's IP, which is normal and not reported.
    ///
    /// ## Why it matters
    /// On a node, a wildcard binds etcd to every interface, public ones
    /// included; kubeadm binds the client port to loopback and the node's
    /// private address only.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// listen-client-urls: https://0.0.0.0:2379
    /// advertise-client-urls: https://10.0.0.10:2379
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// listen-client-urls: https://127.0.0.1:2379,https://10.0.0.10:2379
    /// advertise-client-urls: https://10.0.0.10:2379
    /// ```
    ///
    /// ## References
    /// - etcd configuration flags (`--listen-client-urls`): https://etcd.io/docs/v3.5/op-guide/configuration/
    /// - kubeadm's etcd static pod (`--listen-client-urls=https://127.0.0.1:2379,https://<node-ip>:2379`): https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/setup-ha-etcd-with-kubeadm/
    pub(crate) struct ListensOnAllInterfaces {
        id: "ETCD009",
        name: "etcd-listens-on-all-interfaces",
        severity: Warning,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ListensOnAllInterfaces {
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
            if !p.on_host_network {
                continue;
            }
            for flag in ["listen-client-urls", "listen-peer-urls"] {
                for (url, span) in p.settings.list(flag) {
                    if !is_wildcard_host(url_host(url)) {
                        continue;
                    }
                    let f = out
                        .at(
                            p.at(span),
                            format!(
                                "{} listens on every interface of the node (`{url}` in `{}`)",
                                p.subject,
                                p.spelling(flag)
                            ),
                        )
                        .object(p.object.clone())
                        .fix(format!(
                            "list only the addresses etcd must serve in `{}` (loopback and the node's private address)",
                            p.spelling(flag)
                        ));
                    out.push(f);
                }
            }
        }
    }
}
