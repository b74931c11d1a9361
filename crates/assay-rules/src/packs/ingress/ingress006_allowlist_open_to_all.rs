use super::annotations;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An Ingress source allowlist allows every address
    ///
    /// ## What it checks
    /// `nginx.ingress.kubernetes.io/whitelist-source-range` or
    /// `allowlist-source-range`, and HAProxy's `haproxy.org/allow-list` or
    /// `whitelist`, containing `0.0.0.0/0` or `::/0`.
    ///
    /// ## Why it matters
    /// The annotation reads as a restriction but admits the whole internet;
    /// reviewers and other rules take the Ingress for a private one.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: admin
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8,0.0.0.0/0"
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: admin
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8"
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    ///
    /// ## References
    /// - ingress-nginx annotations, "Whitelist source range": https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#whitelist-source-range
    /// - HAProxy Kubernetes Ingress annotations (`allow-list`): https://www.haproxy.com/documentation/kubernetes-ingress/community/configuration-reference/ingress/
    pub(crate) struct AllowlistOpenToAll {
        id: "INGRESS006",
        name: "ingress-allowlist-open-to-all",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

const ALLOWLISTS: &[&str] = &[
    "nginx.ingress.kubernetes.io/whitelist-source-range",
    "nginx.ingress.kubernetes.io/allowlist-source-range",
    "haproxy.org/allow-list",
    "haproxy.org/whitelist",
];

impl Rule for AllowlistOpenToAll {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        for (key, _, value) in annotations(object) {
            if !ALLOWLISTS.contains(&key) {
                continue;
            }
            let Some(open) = value.as_str().and_then(|v| {
                v.split([',', ' '])
                    .map(str::trim)
                    .find(|c| matches!(*c, "0.0.0.0/0" | "::/0"))
            }) else {
                continue;
            };
            let f = out
                .at(
                    object.at(value.span()),
                    format!(
                        "{}: `{key}` contains `{open}`, which admits every address",
                        object.display()
                    ),
                )
                .object(object.display())
                .fix("list only the networks that need access (office, VPN, load balancer ranges)");
            out.push(f);
        }
    }
}
