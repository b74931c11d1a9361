use super::{NGINX, annotations};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An Ingress injects raw NGINX configuration with a snippet annotation
    ///
    /// ## What it checks
    /// Any `nginx.ingress.kubernetes.io/*-snippet` annotation on an Ingress:
    /// `configuration-snippet`, `server-snippet`, `auth-snippet`,
    /// `stream-snippet`, `modsecurity-snippet` and the others.
    ///
    /// ## Why it matters
    /// A snippet is pasted into the controller's `nginx.conf`. Whoever can
    /// create an Ingress in any namespace can then read the controller's
    /// service-account token and every TLS Secret it serves
    /// (CVE-2021-25742), or inject through other annotations
    /// (CVE-2023-5043, CVE-2025-1097). Since controller v1.9.0 snippets are
    /// refused unless the ConfigMap sets `allow-snippet-annotations: "true"`
    /// (INGRESS008), so the Ingress is also likely to be rejected.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/configuration-snippet: |
    ///       more_set_headers "Request-Id: $req_id";
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    ///
    /// ## Fix
    /// Use the dedicated annotation or ConfigMap option instead (here
    /// `custom-headers` / `add-headers` in the controller ConfigMap):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25742, ingress-nginx custom snippets can retrieve service-account tokens and Secrets: https://github.com/kubernetes/ingress-nginx/issues/7837
    /// - CVE-2023-5043, annotation injection: https://github.com/kubernetes/ingress-nginx/issues/10571
    /// - ingress-nginx annotations, "Configuration snippet", "Server snippet": https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#configuration-snippet
    pub(crate) struct SnippetAnnotation {
        id: "INGRESS007",
        name: "ingress-nginx-snippet-annotation",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for SnippetAnnotation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        for (key, key_node, _) in annotations(object) {
            let Some(name) = key.strip_prefix(NGINX).filter(|n| n.ends_with("-snippet")) else {
                continue;
            };
            let f = out
                .at(
                    object.at(key_node.span()),
                    format!(
                        "{} injects raw NGINX configuration with `{name}`: snippets let Ingress authors read the controller's token and Secrets (CVE-2021-25742)",
                        object.display()
                    ),
                )
                .object(object.display())
                .fix("replace the snippet with the dedicated annotation or controller ConfigMap option; keep `allow-snippet-annotations` false");
            out.push(f);
        }
    }
}
