use super::{gateway_refs, objects_of_kind, refers_to, selects_listener};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A Gateway serves over HTTP hosts it also serves over HTTPS, without a redirect
    ///
    /// ## What it checks
    /// A Gateway listener with `protocol: HTTP` whose hostname an `HTTPS`
    /// listener of the same Gateway also serves (same hostname, or either
    /// without one), when no HTTPRoute of the deliverable attached to the
    /// HTTP listener has a `RequestRedirect` filter with `scheme: https`.
    ///
    /// ## Why it matters
    /// The application answers on both schemes: clients that start on
    /// `http://` stay there, with their cookies and credentials in clear
    /// text, and HSTS is never set.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: web
    /// spec:
    ///   gatewayClassName: example
    ///   listeners:
    ///     - name: http
    ///       protocol: HTTP
    ///       port: 80
    ///     - name: https
    ///       protocol: HTTPS
    ///       port: 443
    ///       tls:
    ///         certificateRefs: [{name: web-tls}]
    /// ```
    ///
    /// ## Fix
    /// Attach a redirect route to the HTTP listener:
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: web
    /// spec:
    ///   gatewayClassName: example
    ///   listeners:
    ///     - name: http
    ///       protocol: HTTP
    ///       port: 80
    ///     - name: https
    ///       protocol: HTTPS
    ///       port: 443
    ///       tls:
    ///         certificateRefs: [{name: web-tls}]
    /// ---
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: tls-redirect
    /// spec:
    ///   parentRefs: [{name: web, sectionName: http}]
    ///   rules:
    ///     - filters:
    ///         - type: RequestRedirect
    ///           requestRedirect: {scheme: https, statusCode: 301}
    /// ```
    ///
    /// ## References
    /// - Gateway API, HTTP redirects and rewrites ("HTTP-to-HTTPS redirects"): https://gateway-api.sigs.k8s.io/guides/http-redirect-rewrite/
    /// - Gateway API reference, `HTTPRequestRedirectFilter`: https://gateway-api.sigs.k8s.io/reference/spec/#httprequestredirectfilter
    pub(crate) struct GatewayHttpWithoutRedirect {
        id: "INGRESS016",
        name: "gateway-http-without-redirect",
        severity: Warning,
        scope: Scope::Object(&["Gateway"]),
        fix: Always,
        since: "0.1.0",
    }
}

fn overlaps(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => true,
    }
}

/// An HTTPRoute rule redirecting to `https`.
fn redirects_to_https(route: &ObjectView<'_>) -> bool {
    route
        .root
        .path(&["spec", "rules"])
        .into_iter()
        .flat_map(Value::items)
        .flat_map(|r| r.get("filters").into_iter().flat_map(Value::items))
        .any(|f| {
            f.get_str("type") == Some("RequestRedirect")
                && f.path(&["requestRedirect", "scheme"])
                    .and_then(|s| s.as_str())
                    == Some("https")
        })
}

impl Rule for GatewayHttpWithoutRedirect {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let listeners: Vec<Value<'_>> = object
            .root
            .path(&["spec", "listeners"])
            .into_iter()
            .flat_map(Value::items)
            .collect();
        let https: Vec<Value<'_>> = listeners
            .iter()
            .copied()
            .filter(|l| l.get_str("protocol") == Some("HTTPS"))
            .collect();
        if https.is_empty() {
            return;
        }
        let routes = objects_of_kind(ctx, "HTTPRoute");
        for listener in listeners
            .iter()
            .filter(|l| l.get_str("protocol") == Some("HTTP"))
        {
            let hostname = listener.get_str("hostname");
            if !https
                .iter()
                .any(|h| overlaps(hostname, h.get_str("hostname")))
            {
                continue;
            }
            let redirected = routes.iter().any(|route| {
                redirects_to_https(route)
                    && gateway_refs(route)
                        .iter()
                        .any(|r| refers_to(r, object) && selects_listener(r, *listener))
            });
            if redirected {
                continue;
            }
            let location = listener
                .get("protocol")
                .map_or(listener.span(), |p| p.span());
            let f = out
                .at(
                    object.at(location),
                    format!(
                        "{}: HTTP listener \"{}\" serves {} over plain HTTP although an HTTPS listener serves it too, and no HTTPRoute redirects it to HTTPS",
                        object.display(),
                        listener.get_str("name").unwrap_or("<unnamed>"),
                        hostname.map_or_else(|| "every host".to_owned(), |h| format!("`{h}`"))
                    ),
                )
                .object(object.display())
                .fix("attach an HTTPRoute to the HTTP listener (`sectionName`) whose only rule has a `RequestRedirect` filter with `scheme: https` and `statusCode: 301`");
            out.push(f);
        }
    }
}
