use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, PortRef};
use std::collections::BTreeSet;

declare_rule! {
    /// The workloads a Service selects resolve its named targetPort differently
    ///
    /// ## What it checks
    /// A named `targetPort` that resolves to a different number or protocol
    /// on different workloads the Service selects (e.g. `http` is `8080` in
    /// one Deployment and `9090` in another), among the workloads written
    /// in the Service's folder.
    ///
    /// ## Why it matters
    /// Named ports exist to let pods differ, but one Service over two
    /// workloads that disagree is usually two versions or two applications
    /// caught by the same selector: traffic is split between them, and a
    /// protocol mismatch drops part of it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api-v1, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: api, v: "1"}}
    ///   template:
    ///     metadata: {labels: {app: api, v: "1"}}
    ///     spec: {containers: [{name: api, image: "api:1", ports: [{name: http, containerPort: 8080}]}]}
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api-v2, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: api, v: "2"}}
    ///   template:
    ///     metadata: {labels: {app: api, v: "2"}}
    ///     spec: {containers: [{name: api, image: "api:2", ports: [{name: http, containerPort: 9090}]}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   selector: {app: api}
    ///   ports: [{port: 80, targetPort: http}]
    /// ```
    ///
    /// ## Fix
    /// Select one version, or make the workloads agree on the port:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api-v2, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: api, v: "2"}}
    ///   template:
    ///     metadata: {labels: {app: api, v: "2"}}
    ///     spec: {containers: [{name: api, image: "api:2", ports: [{name: http, containerPort: 9090}]}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   selector: {app: api, v: "2"}
    ///   ports: [{port: 80, targetPort: http}]
    /// ```
    ///
    /// ## References
    /// - Named target ports: https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
    pub(crate) struct PodsDisagreeOnPort {
        id: "GRAPH005",
        name: "pods-disagree-on-port",
        severity: Warning,
        scope: Scope::Object(&["Service"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for PodsDisagreeOnPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let graph = ctx.graph;
        let Some(service) = graph.service_of(object.object) else {
            return;
        };
        for port in &service.ports {
            let Some(PortRef::Name(name)) = port.target_port else {
                continue;
            };
            let resolved: Vec<(String, String)> = service
                .selected
                .iter()
                .filter_map(|i| graph.workloads.get(*i))
                .filter(|w| super::same_folder(object, w))
                .filter_map(|w| {
                    let p = w.port_named(name)?;
                    Some((format!("{}/{}", p.number, p.protocol), w.display()))
                })
                .collect();
            let distinct: BTreeSet<&str> = resolved.iter().map(|(p, _)| p.as_str()).collect();
            if distinct.len() < 2 {
                continue;
            }
            let list: Vec<String> = resolved
                .iter()
                .map(|(p, w)| format!("{p} in {w}"))
                .collect();
            let at = port.node.get("targetPort").unwrap_or(port.node);
            let f = out
                .at(
                    object.at(at.span()),
                    format!(
                        "{} selects workloads that disagree on the port named `{name}`: {}",
                        object.display(),
                        list.join(", ")
                    ),
                )
                .object(object.display())
                .fix("narrow the selector to one workload, or give the port the same number and protocol in each");
            out.push(f);
        }
    }
}
