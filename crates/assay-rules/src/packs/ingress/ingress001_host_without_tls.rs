use super::tls_covers;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// An Ingress host is served without TLS
    ///
    /// ## What it checks
    /// Each `spec.rules[].host` of an Ingress that no `spec.tls[].hosts` entry
    /// covers (an exact name, or a `*.` wildcard for one label), and a rule
    /// without a host on an Ingress without any `spec.tls`.
    ///
    /// ## Why it matters
    /// The controller serves such a host over plain HTTP only (or with its
    /// default, self-signed certificate): sessions, tokens and form data
    /// cross the network in clear text. A `tls` entry listing other hosts is
    /// a common slip when a host is added to `rules` only.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts: [shop.example.com]
    ///       secretName: shop-tls
    ///   rules:
    ///     - host: api.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: api, port: {number: 80}}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts: [shop.example.com, api.example.com]
    ///       secretName: shop-tls
    ///   rules:
    ///     - host: api.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: api, port: {number: 80}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Ingress TLS ("the hosts in `tls` must match the host in `rules`"): https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
    /// - ingress-nginx, TLS/HTTPS: https://kubernetes.github.io/ingress-nginx/user-guide/tls/
    pub(crate) struct HostWithoutTls {
        id: "INGRESS001",
        name: "ingress-host-without-tls",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for HostWithoutTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let tls = object.root.path(&["spec", "tls"]);
        let tls_hosts: Vec<&str> = tls
            .into_iter()
            .flat_map(Value::items)
            .flat_map(|t| t.get("hosts").into_iter().flat_map(Value::items))
            .filter_map(Value::as_str)
            .collect();
        let has_tls = tls.is_some_and(|t| !t.is_empty());
        for rule in object
            .root
            .path(&["spec", "rules"])
            .into_iter()
            .flat_map(Value::items)
        {
            let (location, message) = match rule.get("host") {
                Some(host_node) => {
                    let host = host_node.as_str().unwrap_or_default();
                    if tls_hosts.iter().any(|t| tls_covers(t, host)) {
                        continue;
                    }
                    let why = if has_tls {
                        "no `spec.tls` entry lists it"
                    } else {
                        "the Ingress has no `spec.tls`"
                    };
                    (
                        host_node.span(),
                        format!(
                            "{} serves host `{host}` without TLS: {why}",
                            object.display()
                        ),
                    )
                }
                None if !has_tls => (
                    rule.entries().next().map_or(rule.span(), |(k, _)| k.span()),
                    format!(
                        "{} serves every host over plain HTTP: the rule has no host and the Ingress no `spec.tls`",
                        object.display()
                    ),
                ),
                None => continue,
            };
            let f = out
                .at(object.at(location), message)
                .object(object.display())
                .fix("add the host to `spec.tls[].hosts` with a `secretName` holding its certificate (cert-manager can issue it)");
            out.push(f);
        }
    }
}
