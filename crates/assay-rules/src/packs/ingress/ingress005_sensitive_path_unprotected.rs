use super::restricts_access;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// An Ingress exposes an administrative path without authentication
    ///
    /// ## What it checks
    /// Ingress paths under `/admin`, `/metrics`, `/actuator`, `/debug`,
    /// `/.env`, `/.git` or `/server-status`, on an Ingress without
    /// authentication or a source allowlist: no ingress-nginx `auth-url`,
    /// `auth-type`, `auth-tls-verify-client`/`auth-tls-secret`,
    /// `whitelist-source-range`/`allowlist-source-range`, and no Traefik
    /// middleware or HAProxy allowlist/auth annotation.
    ///
    /// ## Why it matters
    /// These paths hand out internals: admin consoles, Prometheus metrics,
    /// Spring Boot actuators (`/actuator/env`, heap dumps), debuggers and
    /// environment files with credentials. Exposed on the public host, they
    /// are among the first things scanners request.
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
    ///       http:
    ///         paths:
    ///           - path: /actuator
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: shop, port: {number: 8080}}
    /// ```
    ///
    /// ## Fix
    /// Serve the path on an internal Ingress, or protect it:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop-admin
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /actuator
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: shop, port: {number: 8080}}
    /// ```
    ///
    /// ## References
    /// - ingress-nginx annotations, "Authentication", "External Authentication", "Client Certificate Authentication", "Whitelist source range": https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/
    /// - Spring Boot, securing actuator endpoints: https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.security
    /// - OWASP API Security Top 10 2023, API8 Security Misconfiguration: https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/
    pub(crate) struct SensitivePathUnprotected {
        id: "INGRESS005",
        name: "ingress-sensitive-path-unprotected",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

const SENSITIVE: &[&str] = &[
    "/admin",
    "/metrics",
    "/actuator",
    "/debug",
    "/.env",
    "/.git",
    "/server-status",
];

/// Whether `path` is a sensitive prefix or lies under one (`/admin`, `/admin/x`).
fn sensitive(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    SENSITIVE.iter().copied().find(|s| {
        lower
            .strip_prefix(s)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '(', '.']))
    })
}

impl Rule for SensitivePathUnprotected {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if restricts_access(object) {
            return;
        }
        for rule in object
            .root
            .path(&["spec", "rules"])
            .into_iter()
            .flat_map(Value::items)
        {
            let host = rule.get_str("host").unwrap_or("every host");
            for node in rule
                .path(&["http", "paths"])
                .into_iter()
                .flat_map(Value::items)
                .filter_map(|p| p.get("path"))
            {
                let Some(kind) = node.as_str().and_then(sensitive) else {
                    continue;
                };
                let f = out
                    .at(
                        object.at(node.span()),
                        format!(
                            "{} exposes `{}` on {host} without authentication or a source allowlist ({kind} paths serve internals)",
                            object.display(),
                            node.as_str().unwrap_or_default()
                        ),
                    )
                    .object(object.display())
                    .fix("move the path to an internal Ingress, or add `nginx.ingress.kubernetes.io/auth-url` (external auth), `auth-type: basic`, client certificates or `whitelist-source-range`");
                out.push(f);
            }
        }
    }
}
