use super::{
    ROUTE_KINDS, gateway_refs, objects_of_kind, refers_to, same_namespace, selects_listener,
};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A route attaches to a Gateway that is missing or does not admit it
    ///
    /// ## What it checks
    /// Each `spec.parentRefs` entry of an HTTPRoute, GRPCRoute, TLSRoute,
    /// TCPRoute or UDPRoute that names a Gateway, in a deliverable that
    /// defines Gateways: the Gateway must exist, have the listener named by
    /// `sectionName`/`port`, and one of those listeners must admit the
    /// route's namespace (`allowedRoutes.namespaces.from`: `Same`, the
    /// default, or `All`; `Selector` is not evaluated). Objects without a
    /// namespace are taken to match any namespace.
    ///
    /// ## Why it matters
    /// The route is silently not attached (`Accepted: False` in its status):
    /// the application is unreachable, or reachable only through an older
    /// route nobody meant to keep.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: web
    ///   namespace: infra
    /// spec:
    ///   gatewayClassName: example
    ///   listeners:
    ///     - name: http
    ///       protocol: HTTP
    ///       port: 80
    /// ---
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   parentRefs: [{name: web, namespace: infra}]
    /// ```
    ///
    /// ## Fix
    /// Let the listener admit routes from other namespaces:
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: web
    ///   namespace: infra
    /// spec:
    ///   gatewayClassName: example
    ///   listeners:
    ///     - name: http
    ///       protocol: HTTP
    ///       port: 80
    ///       allowedRoutes:
    ///         namespaces: {from: All}
    /// ---
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   parentRefs: [{name: web, namespace: infra}]
    /// ```
    ///
    /// ## References
    /// - Gateway API reference, `ParentReference` and `AllowedRoutes`: https://gateway-api.sigs.k8s.io/reference/spec/#parentreference
    /// - Gateway API, cross-namespace routing: https://gateway-api.sigs.k8s.io/guides/multiple-ns/
    pub(crate) struct RouteParentInvalid {
        id: "INGRESS018",
        name: "gateway-route-parent-invalid",
        severity: Warning,
        scope: Scope::Object(ROUTE_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

/// Whether `listener` of a Gateway in `gateway_ns` admits a route in `route_ns`.
fn admits(listener: Value<'_>, gateway_ns: &str, route_ns: &str) -> bool {
    match listener
        .path(&["allowedRoutes", "namespaces", "from"])
        .and_then(|f| f.as_str())
        .unwrap_or("Same")
    {
        "Same" => same_namespace(gateway_ns, route_ns),
        _ => true,
    }
}

impl Rule for RouteParentInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let gateways = objects_of_kind(ctx, "Gateway");
        if gateways.is_empty() {
            return;
        }
        let route_ns = object.object.namespace.as_deref().unwrap_or_default();
        for reference in gateway_refs(object) {
            // Several Gateways may carry the name (alternative manifests):
            // the route is fine when any of them admits it.
            let candidates: Vec<&ObjectView<'_>> = gateways
                .iter()
                .filter(|g| refers_to(&reference, g))
                .collect();
            let mut problem = None;
            for gateway in &candidates {
                let gateway_ns = gateway.object.namespace.as_deref().unwrap_or_default();
                let listeners: Vec<Value<'_>> = gateway
                    .root
                    .path(&["spec", "listeners"])
                    .into_iter()
                    .flat_map(Value::items)
                    .filter(|l| selects_listener(&reference, *l))
                    .collect();
                if listeners.iter().any(|l| admits(*l, gateway_ns, route_ns)) {
                    problem = None;
                    break;
                }
                problem.get_or_insert_with(|| {
                    if listeners.is_empty() {
                        format!(
                            "attaches to {} through a listener it does not have ({})",
                            gateway.display(),
                            reference
                                .section
                                .map(|s| format!("sectionName `{s}`"))
                                .or(reference.port.map(|p| format!("port {p}")))
                                .unwrap_or_default()
                        )
                    } else {
                        format!(
                            "attaches to {}, whose listeners admit only routes of namespace `{gateway_ns}`",
                            gateway.display()
                        )
                    }
                });
            }
            if candidates.is_empty() {
                problem = Some(if reference.namespace.is_empty() {
                    format!(
                        "attaches to Gateway `{}` which the deliverable does not define",
                        reference.name
                    )
                } else {
                    format!(
                        "attaches to Gateway `{}/{}` which the deliverable does not define",
                        reference.namespace, reference.name
                    )
                });
            }
            let Some(problem) = problem else {
                continue;
            };
            let f = out
                .at(
                    object.at(reference.node.get("name").map_or(reference.node.span(), |n| n.span())),
                    format!("{} {problem}, so it is not attached", object.display()),
                )
                .object(object.display())
                .fix("point `parentRefs` at a Gateway and listener of the deliverable, and set that listener's `allowedRoutes.namespaces.from` to `All` or a `Selector` matching the route's namespace");
            out.push(f);
        }
    }
}
