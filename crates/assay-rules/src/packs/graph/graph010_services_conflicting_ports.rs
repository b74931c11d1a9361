use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_graph::Workload;
use assay_model::{ObjectView, PortRef};

declare_rule! {
    /// Two Services send the same port of the same pods to different container ports
    ///
    /// ## What it checks
    /// Pairs of Services in one namespace that select a common workload and
    /// both expose the same port (number, protocol and name), but send it to
    /// different container ports of that workload. Reported on the Service
    /// that comes later in the input. Differently named ports (an
    /// admission webhook's `https-webhook` beside the controller's `https`)
    /// are deliberate and not reported, nor is one Service written twice.
    ///
    /// ## Why it matters
    /// Clients of `web:80` and `web-internal:80` expect the same thing and
    /// get different processes (or a closed port): typically a copied
    /// Service whose `targetPort` was not updated, or two charts claiming
    /// the same pods.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1", ports: [{containerPort: 8080}, {containerPort: 9090}]}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web-internal, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 9090}]
    /// ```
    ///
    /// ## Fix
    /// Give the second Service its own port number (or the same target):
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1", ports: [{containerPort: 8080}, {containerPort: 9090}]}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web-internal, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 9090, targetPort: 9090}]
    /// ```
    ///
    /// ## References
    /// - Multiple Services over the same pods: https://kubernetes.io/docs/concepts/services-networking/service/
    pub(crate) struct ServicesConflictingPorts {
        id: "GRAPH010",
        name: "services-conflicting-ports",
        severity: Warning,
        scope: Scope::Object(&["Service"]),
        fix: Never,
        since: "0.1.0",
    }
}

/// The container port number a target port means on `workload`.
fn resolve(target: PortRef<'_>, workload: &Workload<'_>) -> Option<i64> {
    match target {
        PortRef::Number(n) => Some(n),
        PortRef::Name(name) => workload.port_named(name).map(|p| p.number),
    }
}

impl Rule for ServicesConflictingPorts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let graph = ctx.graph;
        let Some(position) = graph
            .services
            .iter()
            .position(|s| std::ptr::eq(s.view.object.object, object.object))
        else {
            return;
        };
        let Some(this) = graph.services.get(position) else {
            return;
        };
        for earlier in graph.services.iter().take(position) {
            // The same Service written twice (provider variants of one
            // chart) is not two Services.
            if earlier.namespace != this.namespace || earlier.name == this.name {
                continue;
            }
            let Some(shared) = this
                .selected
                .iter()
                .filter(|w| earlier.selected.contains(w))
                .filter_map(|w| graph.workloads.get(*w))
                .find(|w| super::same_folder(object, w))
            else {
                continue;
            };
            for port in &this.ports {
                let Some(other) = earlier.ports.iter().find(|p| {
                    p.port.is_some()
                        && p.port == port.port
                        && p.protocol == port.protocol
                        && p.name == port.name
                }) else {
                    continue;
                };
                let (Some(mine), Some(theirs)) = (
                    port.target_port.and_then(|t| resolve(t, shared)),
                    other.target_port.and_then(|t| resolve(t, shared)),
                ) else {
                    continue;
                };
                if mine == theirs {
                    continue;
                }
                let number = port.port.unwrap_or_default();
                out.push(
                    out.at(
                        object.at(port.node.span()),
                        format!(
                            "{} and {} both select {} and expose port {number}/{}, but send it to container port {mine} and {theirs}",
                            object.display(),
                            earlier.display(),
                            shared.display(),
                            port.protocol
                        ),
                    )
                    .object(object.display())
                    .label(
                        earlier.view.object.at(other.node.span()),
                        format!("{} sends port {number} to {theirs}", earlier.display()),
                    )
                    .fix("give one Service another port number, or route both to the same container port"),
                );
            }
        }
    }
}
