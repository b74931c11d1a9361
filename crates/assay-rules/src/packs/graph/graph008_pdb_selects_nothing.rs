use super::labels_text;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A PodDisruptionBudget's selector matches no pod of the deliverable
    ///
    /// ## What it checks
    /// `spec.selector` of a PodDisruptionBudget against the pod labels of
    /// the workloads in its namespace, when the deliverable has workloads
    /// of that namespace in the same folder and no custom resource there
    /// (an operator's custom resource may create the pods). An empty selector selects every pod of the namespace
    /// (`policy/v1`) and is not reported.
    ///
    /// ## Why it matters
    /// A budget that selects nothing protects nothing: a node drain evicts
    /// every replica of the workload it was written for at once.
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
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   minAvailable: 1
    ///   selector: {matchLabels: {app: website}}
    /// ```
    ///
    /// ## Fix
    /// Select the pods the budget is for:
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
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   minAvailable: 1
    ///   selector: {matchLabels: {app: web}}
    /// ```
    ///
    /// ## References
    /// - PodDisruptionBudget: https://kubernetes.io/docs/tasks/run-application/configure-pdb/
    /// - Empty selector semantics in `policy/v1`: https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/pod-disruption-budget-v1/
    pub(crate) struct PdbSelectsNothing {
        id: "GRAPH008",
        name: "pdb-selects-nothing",
        severity: Warning,
        scope: Scope::Object(&["PodDisruptionBudget"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for PdbSelectsNothing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let graph = ctx.graph;
        let Some(budget) = graph
            .budgets
            .iter()
            .find(|b| std::ptr::eq(b.pdb.object, object.object))
        else {
            return;
        };
        let namespace = assay_graph::workload::namespace_of(object);
        if budget.selector.is_empty()
            || !budget.selected.is_empty()
            || !super::expects_local_pods(ctx, object, &namespace)
        {
            return;
        }
        let at = object
            .root
            .path(&["spec", "selector"])
            .map_or_else(|| object.anchor(), |n| object.at(n.span()));
        let labels: Vec<String> = graph
            .workloads_in(&namespace)
            .map(|w| format!("{} ({})", w.display(), labels_text(&w.labels)))
            .collect();
        let selector = if budget.selector.match_labels.is_empty() {
            "its matchExpressions".to_owned()
        } else {
            labels_text(&budget.selector.match_labels)
        };
        out.push(
            out.at(
                at,
                format!(
                    "{} selects no pod: no workload in namespace `{namespace}` matches {selector}",
                    object.display()
                ),
            )
            .object(object.display())
            .fix(format!(
                "select the pod labels of the workload to protect; the namespace has: {}",
                labels.join("; ")
            )),
        );
    }
}
