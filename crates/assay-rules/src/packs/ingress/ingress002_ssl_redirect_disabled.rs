use super::nginx_annotation;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An Ingress turns off ingress-nginx's redirect to HTTPS
    ///
    /// ## What it checks
    /// `nginx.ingress.kubernetes.io/ssl-redirect` or `force-ssl-redirect`
    /// set to `"false"` on an Ingress. ingress-nginx redirects HTTP to HTTPS
    /// by default when the Ingress has TLS; `"false"` keeps serving the same
    /// hosts over plain HTTP.
    ///
    /// ## Why it matters
    /// Clients that type the name or follow an old `http://` link stay on
    /// plain HTTP: their cookies and credentials are readable and
    /// rewritable on the way, and HSTS never gets a chance to apply.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/ssl-redirect: "false"
    /// spec:
    ///   ingressClassName: nginx
    ///   tls: [{hosts: [shop.example.com], secretName: shop-tls}]
    ///   rules:
    ///     - host: shop.example.com
    /// ```
    ///
    /// ## Fix
    /// Remove the annotation (the default redirects):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   tls: [{hosts: [shop.example.com], secretName: shop-tls}]
    ///   rules:
    ///     - host: shop.example.com
    /// ```
    ///
    /// ## References
    /// - ingress-nginx annotations, "Server-side HTTPS enforcement through redirect": https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect
    pub(crate) struct SslRedirectDisabled {
        id: "INGRESS002",
        name: "ingress-ssl-redirect-disabled",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for SslRedirectDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        for name in ["ssl-redirect", "force-ssl-redirect"] {
            let Some((_, value)) = nginx_annotation(object, name) else {
                continue;
            };
            if value.as_str().map(str::trim) != Some("false") {
                continue;
            }
            let f = out
                .at(
                    object.at(value.span()),
                    format!(
                        "{} sets `nginx.ingress.kubernetes.io/{name}: \"false\"`, so its hosts stay reachable over plain HTTP",
                        object.display()
                    ),
                )
                .object(object.display())
                .fix(format!("remove `nginx.ingress.kubernetes.io/{name}` (ingress-nginx redirects to HTTPS by default when the Ingress has TLS)"));
            out.push(f);
        }
    }
}
