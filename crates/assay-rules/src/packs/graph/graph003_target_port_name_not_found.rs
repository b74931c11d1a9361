use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_graph::is_near_miss;
use assay_model::{ObjectView, PortRef};

declare_rule! {
    /// A Service's named targetPort names no container port of a selected pod
    ///
    /// ## What it checks
    /// Each `spec.ports[].targetPort` written as a name (a string, e.g.
    /// `http`) against the named `containerPort`s of every workload the
    /// Service selects; a selected workload without a container port of
    /// that name is reported, with a "did you mean" when a port name is one
    /// typo away. Only workloads written in the Service's folder are judged
    /// (a run over many projects shares namespaces across them).
    ///
    /// ## Why it matters
    /// The endpoints controller resolves a named target port per pod; a pod
    /// without the name is left out of the Service's endpoints, so that
    /// Service port reaches none of those pods. Remember that a quoted number
    /// (`targetPort: "8080"`) is a name too.
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
    ///           ports: [{name: http, containerPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: htpp}]
    /// ```
    ///
    /// ## Fix
    /// Name a port the container declares:
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
    ///           ports: [{name: http, containerPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: http}]
    /// ```
    ///
    /// ## References
    /// - Service `targetPort` and named ports: https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
    /// - Endpoint resolution of named ports (`podutil.FindPort`): https://github.com/kubernetes/kubernetes/blob/master/pkg/api/v1/pod/util.go
    pub(crate) struct TargetPortNameNotFound {
        id: "GRAPH003",
        name: "target-port-name-not-found",
        severity: Error,
        scope: Scope::Object(&["Service"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for TargetPortNameNotFound {
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
            let at = port.node.get("targetPort").unwrap_or(port.node);
            for workload in service
                .selected
                .iter()
                .filter_map(|i| graph.workloads.get(*i))
                .filter(|w| super::same_folder(object, w))
            {
                if workload.port_named(name).is_some() {
                    continue;
                }
                let names: Vec<&str> = workload.ports.iter().filter_map(|p| p.name).collect();
                let guess = names.iter().find(|n| is_near_miss(name, n));
                let mut message = format!(
                    "{} sends port {} to the container port named `{name}`, which {} does not declare (named ports: {})",
                    object.display(),
                    port.port.map_or_else(|| "?".to_owned(), |p| p.to_string()),
                    workload.display(),
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                );
                let quoted_number = name
                    .parse::<i64>()
                    .ok()
                    .filter(|n| workload.ports.iter().any(|p| p.number == *n));
                let fix = match (quoted_number, guess) {
                    (Some(n), _) => {
                        message.push_str(&format!(
                            "; the quoted `\"{name}\"` is a port name, not the number {n}"
                        ));
                        format!("write the number unquoted: `targetPort: {n}`")
                    }
                    (None, guess) => match guess {
                        Some(g) => {
                            message.push_str(&format!("; did you mean `{g}`?"));
                            format!("write `targetPort: {g}`")
                        }
                        None => format!(
                            "name a container port `{name}` in {} or point `targetPort` at one it declares",
                            workload.display()
                        ),
                    },
                };
                let mut f = out
                    .at(object.at(at.span()), message)
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
