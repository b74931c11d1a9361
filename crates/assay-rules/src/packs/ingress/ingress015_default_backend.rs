use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An Ingress exposes a Service as the default backend
    ///
    /// ## What it checks
    /// `spec.defaultBackend` on an Ingress that names a Service.
    ///
    /// ## Why it matters
    /// The default backend answers every request no rule matches: any Host
    /// header, any path, the load balancer's bare IP address. The Service is
    /// exposed far beyond the hosts the Ingress lists, to scanners that
    /// never knew its name.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   defaultBackend:
    ///     service: {name: shop, port: {number: 80}}
    /// ```
    ///
    /// ## Fix
    /// Route named hosts only:
    /// ```yaml
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
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: shop, port: {number: 80}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Ingress, "DefaultBackend": https://kubernetes.io/docs/concepts/services-networking/ingress/#default-backend
    pub(crate) struct DefaultBackend {
        id: "INGRESS015",
        name: "ingress-default-backend",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for DefaultBackend {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some((key, backend)) = object
            .root
            .get("spec")
            .and_then(|s| s.entry("defaultBackend"))
        else {
            return;
        };
        let Some(service) = backend.path(&["service", "name"]).and_then(|n| n.as_str()) else {
            return;
        };
        let f = out
            .at(
                object.at(key.span()),
                format!("{} sends every unmatched request (any host, any path) to Service `{service}`", object.display()),
            )
            .object(object.display())
            .fix("remove `spec.defaultBackend` and route the Service under the hosts it serves; leave unmatched requests to the controller's 404 backend");
        out.push(f);
    }
}
