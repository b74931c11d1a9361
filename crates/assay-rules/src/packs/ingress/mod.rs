//! The `INGRESS` pack: the cluster's front door. ingress-nginx first (its
//! annotations and controller ConfigMap), the Gateway API, and the Traefik
//! and HAProxy annotations that stand in for ingress-nginx's where cheap.

mod ingress001_host_without_tls;
mod ingress002_ssl_redirect_disabled;
mod ingress003_hsts_weak;
mod ingress004_no_rate_limit;
mod ingress005_sensitive_path_unprotected;
mod ingress006_allowlist_open_to_all;
mod ingress007_snippet_annotation;
mod ingress008_controller_allows_snippets;
mod ingress009_controller_ingress_nightmare;
mod ingress010_no_waf;
mod ingress011_http_to_tls_backend;
mod ingress012_deprecated_class_annotation;
mod ingress013_no_ingress_class;
mod ingress014_wildcard_host;
mod ingress015_default_backend;
mod ingress016_gateway_http_without_redirect;
mod ingress017_gateway_tls_without_certificate;
mod ingress018_route_parent_invalid;

use crate::Pack;
use assay_model::ObjectView;
use assay_yaml::Value;

pub(crate) const PACK: Pack = Pack {
    prefix: "INGRESS",
    folder: "ingress",
    title: "Ingress controllers and the Gateway API",
    rules: &[
        &ingress001_host_without_tls::HostWithoutTls,
        &ingress002_ssl_redirect_disabled::SslRedirectDisabled,
        &ingress003_hsts_weak::HstsWeak,
        &ingress004_no_rate_limit::NoRateLimit,
        &ingress005_sensitive_path_unprotected::SensitivePathUnprotected,
        &ingress006_allowlist_open_to_all::AllowlistOpenToAll,
        &ingress007_snippet_annotation::SnippetAnnotation,
        &ingress008_controller_allows_snippets::ControllerAllowsSnippets,
        &ingress009_controller_ingress_nightmare::ControllerIngressNightmare,
        &ingress010_no_waf::NoWaf,
        &ingress011_http_to_tls_backend::HttpToTlsBackend,
        &ingress012_deprecated_class_annotation::DeprecatedClassAnnotation,
        &ingress013_no_ingress_class::NoIngressClass,
        &ingress014_wildcard_host::WildcardHost,
        &ingress015_default_backend::DefaultBackend,
        &ingress016_gateway_http_without_redirect::GatewayHttpWithoutRedirect,
        &ingress017_gateway_tls_without_certificate::GatewayTlsWithoutCertificate,
        &ingress018_route_parent_invalid::RouteParentInvalid,
    ],
};

/// The prefix of ingress-nginx's annotations.
pub(crate) const NGINX: &str = "nginx.ingress.kubernetes.io/";

/// The kinds of Gateway API routes that attach to Gateways.
pub(crate) const ROUTE_KINDS: &[&str] =
    &["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"];

/// An annotation of `object`: its key node and value node.
pub(crate) fn annotation<'m>(object: &ObjectView<'m>, key: &str) -> Option<(Value<'m>, Value<'m>)> {
    object
        .root
        .path(&["metadata", "annotations"])
        .and_then(|a| a.entry(key))
}

/// An ingress-nginx annotation (`nginx.ingress.kubernetes.io/<name>`).
pub(crate) fn nginx_annotation<'m>(
    object: &ObjectView<'m>,
    name: &str,
) -> Option<(Value<'m>, Value<'m>)> {
    annotation(object, &format!("{NGINX}{name}"))
}

/// Every annotation of `object` (key text, key node, value node).
pub(crate) fn annotations<'m>(object: &ObjectView<'m>) -> Vec<(&'m str, Value<'m>, Value<'m>)> {
    object
        .root
        .path(&["metadata", "annotations"])
        .into_iter()
        .flat_map(Value::entries)
        .filter_map(|(k, v)| Some((k.as_str()?, k, v)))
        .collect()
}

/// The class an Ingress asks for: `spec.ingressClassName`, else the
/// deprecated annotation.
pub(crate) fn ingress_class<'m>(object: &ObjectView<'m>) -> Option<&'m str> {
    object
        .root
        .path(&["spec", "ingressClassName"])
        .and_then(Value::as_str)
        .or_else(|| annotation(object, "kubernetes.io/ingress.class").and_then(|(_, v)| v.as_str()))
}

/// Whether ingress-nginx serves this Ingress: its class names nginx, or it
/// has no class and carries ingress-nginx annotations. An Ingress for
/// another controller is left to that controller's rules.
pub(crate) fn is_nginx(object: &ObjectView<'_>) -> bool {
    match ingress_class(object) {
        Some(class) => class.contains("nginx"),
        None => annotations(object)
            .iter()
            .any(|(k, _, _)| k.starts_with(NGINX)),
    }
}

/// Whether the Ingress limits who may reach it: an authentication or
/// source-allowlist annotation of ingress-nginx, or a Traefik middleware /
/// HAProxy allowlist or auth (whose effect assay cannot see, so it trusts them).
pub(crate) fn restricts_access(object: &ObjectView<'_>) -> bool {
    annotations(object).iter().any(|(k, _, v)| {
        let set = v.as_str().is_some_and(|t| !t.trim().is_empty());
        set && (matches!(
            k.strip_prefix(NGINX),
            Some(
                "auth-url"
                    | "auth-type"
                    | "auth-tls-verify-client"
                    | "auth-tls-secret"
                    | "whitelist-source-range"
                    | "allowlist-source-range"
            )
        ) || matches!(
            *k,
            "traefik.ingress.kubernetes.io/router.middlewares"
                | "haproxy.org/allow-list"
                | "haproxy.org/whitelist"
                | "haproxy.org/auth-type"
        ))
    })
}

/// Whether a TLS host entry covers `host` (a `*.` wildcard covers exactly one label).
pub(crate) fn tls_covers(tls_host: &str, host: &str) -> bool {
    if tls_host.eq_ignore_ascii_case(host) {
        return true;
    }
    match (tls_host.strip_prefix("*."), host.split_once('.')) {
        (Some(suffix), Some((label, rest))) => {
            !label.is_empty() && label != "*" && rest.eq_ignore_ascii_case(suffix)
        }
        _ => false,
    }
}

/// An ingress-nginx controller ConfigMap: named like the controller's (the
/// manifests' `ingress-nginx-controller`, the old `nginx-configuration`) or
/// labelled `app.kubernetes.io/name: ingress-nginx`.
pub(crate) fn is_nginx_controller_configmap(object: &ObjectView<'_>) -> bool {
    if object.kind() != "ConfigMap" {
        return false;
    }
    let name = object.object.name.as_deref().unwrap_or_default();
    let labelled = object
        .root
        .path(&["metadata", "labels", "app.kubernetes.io/name"])
        .and_then(Value::as_str)
        == Some("ingress-nginx");
    labelled || name.ends_with("ingress-nginx-controller") || name == "nginx-configuration"
}

/// A Gateway API parent reference to a Gateway, resolved against a route's
/// namespace.
pub(crate) struct GatewayRef<'m> {
    pub(crate) node: Value<'m>,
    pub(crate) name: &'m str,
    /// The Gateway's namespace: `parentRef.namespace`, else the route's ("" when unset).
    pub(crate) namespace: &'m str,
    pub(crate) section: Option<&'m str>,
    pub(crate) port: Option<i64>,
}

/// The `spec.parentRefs` of a route that name a Gateway (`kind` defaults
/// to Gateway, `group` to `gateway.networking.k8s.io`).
pub(crate) fn gateway_refs<'m>(route: &ObjectView<'m>) -> Vec<GatewayRef<'m>> {
    let route_ns = route.object.namespace.as_deref().unwrap_or_default();
    route
        .root
        .path(&["spec", "parentRefs"])
        .into_iter()
        .flat_map(Value::items)
        .filter(|p| {
            p.get_str("kind").unwrap_or("Gateway") == "Gateway"
                && p.get_str("group").unwrap_or("gateway.networking.k8s.io")
                    == "gateway.networking.k8s.io"
        })
        .filter_map(|node| {
            Some(GatewayRef {
                node,
                name: node.get_str("name")?,
                namespace: node.get_str("namespace").unwrap_or(route_ns),
                section: node.get_str("sectionName"),
                port: node.get("port").and_then(assay_model::k8s_int),
            })
        })
        .collect()
}

/// Namespaces match, or one side is unset (applied with `-n` later).
pub(crate) fn same_namespace(a: &str, b: &str) -> bool {
    a.is_empty() || b.is_empty() || a == b
}

/// Whether `reference` designates `gateway` (and, with a section name or
/// port, one of its listeners).
pub(crate) fn refers_to(reference: &GatewayRef<'_>, gateway: &ObjectView<'_>) -> bool {
    gateway.object.name.as_deref() == Some(reference.name)
        && same_namespace(
            reference.namespace,
            gateway.object.namespace.as_deref().unwrap_or_default(),
        )
}

/// Whether `reference` (attached to its Gateway) selects `listener`.
pub(crate) fn selects_listener(reference: &GatewayRef<'_>, listener: Value<'_>) -> bool {
    reference
        .section
        .is_none_or(|s| listener.get_str("name") == Some(s))
        && reference
            .port
            .is_none_or(|p| listener.get("port").and_then(assay_model::k8s_int) == Some(p))
}

/// Every object of `kind` in the model.
pub(crate) fn objects_of_kind<'m>(ctx: &crate::Context<'m>, kind: &str) -> Vec<ObjectView<'m>> {
    ctx.model
        .index
        .of_kind(kind)
        .iter()
        .filter_map(|&i| ctx.model.objects.get(i))
        .filter_map(|o| ObjectView::new(ctx.model, o))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::tls_covers;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(tls_covers("*.example.com", "shop.example.com"));
        assert!(!tls_covers("*.example.com", "a.b.example.com"));
        assert!(!tls_covers("*.example.com", "example.com"));
        assert!(tls_covers("Shop.Example.com", "shop.example.com"));
        assert!(!tls_covers("shop.example.com", "api.example.com"));
    }
}
