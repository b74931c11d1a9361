use super::{annotation, ingress_class, is_nginx, nginx_annotation};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A public Ingress has no rate limit
    ///
    /// ## What it checks
    /// An Ingress served by ingress-nginx without `limit-rps`, `limit-rpm` or
    /// `limit-connections` and without a source allowlist
    /// (`whitelist-source-range`/`allowlist-source-range`); for Traefik, an
    /// Ingress without any `router.middlewares` (a rate-limit middleware
    /// would be one); for HAProxy, without `haproxy.org/rate-limit-requests`.
    /// Ingresses of other controllers are not checked. Informational: the
    /// limit may be set elsewhere (a CDN, a WAF, the controller ConfigMap).
    ///
    /// ## Why it matters
    /// Without a limit, one client can exhaust the backends, brute-force a
    /// login form or scrape the API as fast as the network allows.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/limit-rps: "20"
    ///     nginx.ingress.kubernetes.io/limit-connections: "10"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    /// ```
    ///
    /// ## References
    /// - ingress-nginx annotations, "Rate Limiting": https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#rate-limiting
    /// - Traefik RateLimit middleware: https://doc.traefik.io/traefik/middlewares/http/ratelimit/
    /// - HAProxy Kubernetes Ingress annotations (`rate-limit-requests`): https://www.haproxy.com/documentation/kubernetes-ingress/community/configuration-reference/ingress/
    /// - OWASP API Security Top 10 2023, API4 Unrestricted Resource Consumption: https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
    pub(crate) struct NoRateLimit {
        id: "INGRESS004",
        name: "ingress-no-rate-limit",
        severity: Info,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for NoRateLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let class = ingress_class(object).unwrap_or_default();
        let (limited, fix) = if is_nginx(object) {
            let limited = [
                "limit-rps",
                "limit-rpm",
                "limit-connections",
                "whitelist-source-range",
                "allowlist-source-range",
            ]
            .iter()
            .any(|a| nginx_annotation(object, a).is_some());
            (
                limited,
                "add `nginx.ingress.kubernetes.io/limit-rps` (and `limit-connections`) sized for the service",
            )
        } else if class.contains("traefik") {
            (
                annotation(object, "traefik.ingress.kubernetes.io/router.middlewares").is_some(),
                "attach a RateLimit middleware with `traefik.ingress.kubernetes.io/router.middlewares`",
            )
        } else if class.contains("haproxy") {
            (
                annotation(object, "haproxy.org/rate-limit-requests").is_some(),
                "add `haproxy.org/rate-limit-requests` sized for the service",
            )
        } else {
            return;
        };
        if limited {
            return;
        }
        let f = out
            .at(
                object.anchor(),
                format!(
                    "{} is reachable from anywhere and sets no rate limit",
                    object.display()
                ),
            )
            .object(object.display())
            .fix(fix);
        out.push(f);
    }
}
