use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A HorizontalPodAutoscaler scales an object the deliverable does not contain
    ///
    /// ## What it checks
    /// `spec.scaleTargetRef` (`kind` and `name`) of a HorizontalPodAutoscaler
    /// against the objects of the deliverable in the HPA's namespace, when
    /// the deliverable has workloads in that namespace.
    ///
    /// ## Why it matters
    /// An HPA whose target does not exist reports `FailedGetScale` and
    /// scales nothing: the workload it was meant for runs at its fixed
    /// replica count, typically after a rename of the Deployment.
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
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-app}
    ///   maxReplicas: 5
    /// ```
    ///
    /// ## Fix
    /// Point the HPA at the workload:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   maxReplicas: 5
    /// ```
    ///
    /// ## References
    /// - HorizontalPodAutoscaler: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
    /// - `scaleTargetRef`: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
    pub(crate) struct HpaTargetMissing {
        id: "GRAPH007",
        name: "hpa-target-missing",
        severity: Warning,
        scope: Scope::Object(&["HorizontalPodAutoscaler"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for HpaTargetMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let graph = ctx.graph;
        let Some(link) = graph
            .scale_links
            .iter()
            .find(|l| std::ptr::eq(l.hpa.object, object.object))
        else {
            return;
        };
        let (Some((kind, name)), None) = (link.target, link.found) else {
            return;
        };
        let namespace = assay_graph::workload::namespace_of(object);
        if !super::expects_local_pods(ctx, object, &namespace) {
            return;
        }
        let same_kind: Vec<&str> = graph
            .workloads_in(&namespace)
            .filter(|w| w.kind == kind)
            .map(|w| w.name.as_str())
            .collect();
        let guess = same_kind
            .iter()
            .find(|n| assay_graph::is_near_miss(name, n))
            .or(match same_kind.as_slice() {
                [only] => Some(only),
                _ => None,
            });
        let at = object
            .root
            .path(&["spec", "scaleTargetRef", "name"])
            .map_or_else(|| object.anchor(), |n| object.at(n.span()));
        let mut message = format!(
            "{} scales {kind} `{name}`, which is not in namespace `{namespace}` of the deliverable",
            object.display()
        );
        let fix = match guess {
            Some(g) => {
                message.push_str(&format!("; did you mean `{g}`?"));
                format!("write `name: {g}`")
            }
            None => format!("point `scaleTargetRef` at a {kind} of the deliverable"),
        };
        out.push(out.at(at, message).object(object.display()).fix(fix));
    }
}
