use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_graph::is_near_miss;
use assay_model::{ObjectView, PortRef};

declare_rule! {
    /// An Ingress backend names a Service or Service port that does not exist
    ///
    /// ## What it checks
    /// Every backend of an Ingress (default backend and each rule path):
    /// the Service it names must be in the deliverable, in the Ingress's
    /// namespace (checked when the Ingress's folder has Services of that
    /// namespace: a partial deliverable may route to Services shipped
    /// elsewhere), and the port, by `number` or `name`, must be one of that
    /// Service's ports.
    ///
    /// ## Why it matters
    /// The controller answers a missing backend with 503 or 404 for that
    /// path; a wrong port number makes the route point nowhere. Both pass
    /// `kubectl apply`.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{name: http, port: 80, targetPort: 8080}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata: {name: shop, namespace: shop}
    /// spec:
    ///   defaultBackend:
    ///     service: {name: web, port: {number: 8080}}
    /// ```
    ///
    /// ## Fix
    /// Name the Service's port (`port`, not the container's `targetPort`):
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{name: http, port: 80, targetPort: 8080}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata: {name: shop, namespace: shop}
    /// spec:
    ///   defaultBackend:
    ///     service: {name: web, port: {number: 80}}
    /// ```
    ///
    /// ## References
    /// - Ingress backends: https://kubernetes.io/docs/concepts/services-networking/ingress/#resource-backend
    /// - `IngressServiceBackend`: https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/
    pub(crate) struct IngressBackendMissing {
        id: "GRAPH006",
        name: "ingress-backend-missing",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for IngressBackendMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let graph = ctx.graph;
        for route in graph
            .ingress_routes
            .iter()
            .filter(|r| std::ptr::eq(r.ingress.object, object.object))
        {
            let Some(name) = route.backend.service else {
                continue;
            };
            let service_node = route.backend.node.path(&["service", "name"]);
            let Some(service) = route.service.and_then(|s| graph.services.get(s)) else {
                let services: Vec<&str> = graph
                    .services
                    .iter()
                    .filter(|s| {
                        s.namespace == route.namespace
                            && super::folder(&s.view.object) == super::folder(object)
                    })
                    .map(|s| s.name.as_str())
                    .collect();
                if services.is_empty() {
                    continue;
                }
                let guess = services.iter().find(|s| is_near_miss(name, s));
                let mut message = format!(
                    "{} routes to Service `{name}`, which is not in namespace `{}` of the deliverable",
                    object.display(),
                    route.namespace
                );
                let fix = match guess {
                    Some(g) => {
                        message.push_str(&format!("; did you mean `{g}`?"));
                        format!("write `name: {g}`")
                    }
                    None => format!(
                        "add Service `{name}` or name one of: {}",
                        services.join(", ")
                    ),
                };
                let at = service_node.unwrap_or(route.backend.node);
                out.push(
                    out.at(object.at(at.span()), message)
                        .object(object.display())
                        .fix(fix),
                );
                continue;
            };
            let Some(port) = route.backend.port else {
                continue;
            };
            let found = service.ports.iter().any(|p| match port {
                PortRef::Number(n) => p.port == Some(n),
                PortRef::Name(n) => p.name == Some(n),
            });
            if found {
                continue;
            }
            let exposed: Vec<String> = service
                .ports
                .iter()
                .map(|p| match (p.name, p.port) {
                    (Some(n), Some(num)) => format!("{num} ({n})"),
                    (None, Some(num)) => num.to_string(),
                    (Some(n), None) => n.to_owned(),
                    (None, None) => "?".to_owned(),
                })
                .collect();
            let (text, hint) = match port {
                PortRef::Number(n) => {
                    let hint = service
                        .ports
                        .iter()
                        .find(|p| matches!(p.target_port, Some(PortRef::Number(t)) if t == n))
                        .and_then(|p| p.port)
                        .map(|p| format!("; {n} is the container port behind Service port {p}: an Ingress names the Service's port"));
                    (format!("port {n}"), hint)
                }
                PortRef::Name(n) => (format!("port `{n}`"), None),
            };
            let at = route
                .backend
                .node
                .path(&["service", "port"])
                .unwrap_or(route.backend.node);
            let f = out
                .at(
                    object.at(at.span()),
                    format!(
                        "{} routes to {text} of {}, which exposes {}{}",
                        object.display(),
                        service.display(),
                        exposed.join(", "),
                        hint.unwrap_or_default()
                    ),
                )
                .object(object.display())
                .label(
                    service.view.object.anchor(),
                    format!("{} is defined here", service.display()),
                )
                .fix(format!(
                    "name one of the Service's ports: {}",
                    exposed.join(", ")
                ));
            out.push(f);
        }
    }
}
