use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, PortRef};

declare_rule! {
    /// A Service's numeric targetPort is not among the ports the pods declare
    ///
    /// ## What it checks
    /// Each numeric `spec.ports[].targetPort` (or `port`, when `targetPort`
    /// is unset) against the `containerPort`s of every selected workload that
    /// declares ports: a workload declaring ports, none of them this number
    /// and protocol, is reported. Workloads that declare no port, or are
    /// written in another folder than the Service, are not judged.
    ///
    /// ## Why it matters
    /// Declaring a container port is informational, so Kubernetes sends the
    /// traffic anyway; but when a pod declares `8080` and the Service targets
    /// `80`, the process almost always listens on the declared port and the
    /// Service answers "connection refused".
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
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: "web:1.0"
    ///           ports: [{containerPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80}]
    /// ```
    ///
    /// ## Fix
    /// Target the port the container declares:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: "web:1.0"
    ///           ports: [{containerPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ```
    ///
    /// ## References
    /// - Service ports (`targetPort` defaults to `port`): https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
    /// - Container ports are informational: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports
    pub(crate) struct TargetPortNotDeclared {
        id: "GRAPH004",
        name: "target-port-not-declared",
        severity: Warning,
        scope: Scope::Object(&["Service"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for TargetPortNotDeclared {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let graph = ctx.graph;
        let Some(service) = graph.service_of(object.object) else {
            return;
        };
        for port in &service.ports {
            let Some(PortRef::Number(target)) = port.target_port else {
                continue;
            };
            let at = port
                .node
                .get("targetPort")
                .or_else(|| port.node.get("port"))
                .unwrap_or(port.node);
            for workload in service
                .selected
                .iter()
                .filter_map(|i| graph.workloads.get(*i))
                .filter(|w| super::same_folder(object, w))
            {
                let same_protocol: Vec<i64> = workload
                    .ports
                    .iter()
                    .filter(|p| p.protocol == port.protocol)
                    .map(|p| p.number)
                    .collect();
                if same_protocol.is_empty() || same_protocol.contains(&target) {
                    continue;
                }
                let declared: Vec<String> = same_protocol.iter().map(ToString::to_string).collect();
                let fix = match declared.as_slice() {
                    [one] => format!("write `targetPort: {one}`"),
                    _ => format!(
                        "point `targetPort` at one of the declared ports ({}) or declare {target}",
                        declared.join(", ")
                    ),
                };
                let mut f = out
                    .at(
                        object.at(at.span()),
                        format!(
                            "{} sends port {} to container port {target}/{}, but {} declares {} {} only",
                            object.display(),
                            port.port.map_or_else(|| "?".to_owned(), |p| p.to_string()),
                            port.protocol,
                            workload.display(),
                            port.protocol,
                            declared.join(", ")
                        ),
                    )
                    .object(object.display())
                    .fix(fix);
                if let Some(o) = workload.object() {
                    f = f.label(
                        o.anchor(),
                        format!("{} is selected here", workload.display()),
                    );
                }
                out.push(f);
            }
        }
    }
}
