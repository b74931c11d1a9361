use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_graph::diagnose::selector_typo;
use assay_model::ObjectView;

declare_rule! {
    /// A NetworkPolicy selects no pod, one label typo away from a workload
    ///
    /// ## What it checks
    /// A valid NetworkPolicy whose `spec.podSelector.matchLabels` matches no
    /// workload of its namespace, while a workload there carries the same
    /// labels but for one value that differs by a typo ("did you mean
    /// `app: checkout`?").
    ///
    /// ## Why it matters
    /// A policy that selects no pod isolates nothing: the default-deny or
    /// the narrow allow-list it was written to enforce does not apply, and
    /// nothing fails to tell you.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: checkout, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: checkout}}
    ///   template:
    ///     metadata: {labels: {app: checkout}}
    ///     spec: {containers: [{name: app, image: "checkout:1.0"}]}
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: checkout-ingress, namespace: shop}
    /// spec:
    ///   podSelector: {matchLabels: {app: chekout}}
    ///   ingress: []
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: checkout, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: checkout}}
    ///   template:
    ///     metadata: {labels: {app: checkout}}
    ///     spec: {containers: [{name: app, image: "checkout:1.0"}]}
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: checkout-ingress, namespace: shop}
    /// spec:
    ///   podSelector: {matchLabels: {app: checkout}}
    ///   ingress: []
    /// ```
    ///
    /// ## References
    /// - NetworkPolicy `podSelector`: https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
    pub(crate) struct NetworkPolicySelectorTypo {
        id: "GRAPH012",
        name: "network-policy-selector-typo",
        severity: Warning,
        scope: Scope::Object(&["NetworkPolicy"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for NetworkPolicySelectorTypo {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let graph = ctx.graph;
        let Some(policy) = graph
            .policies
            .iter()
            .find(|p| std::ptr::eq(p.object.object, object.object))
        else {
            return;
        };
        let labels = &policy.pod_selector.match_labels;
        if labels.is_empty()
            || graph
                .workloads_in(&policy.namespace)
                .any(|w| policy.selects(w))
        {
            return;
        }
        let Some((workload, key, written, actual)) =
            selector_typo(graph, &policy.namespace, labels)
        else {
            return;
        };
        let at = object
            .root
            .path(&["spec", "podSelector", "matchLabels", key])
            .map_or_else(|| object.anchor(), |n| object.at(n.span()));
        let mut f = out
            .at(
                at,
                format!(
                    "{} selects no pod (`{key}: {written}`); did you mean `{key}: {actual}`, as {} has?",
                    object.display(),
                    workload.display()
                ),
            )
            .object(object.display())
            .fix(format!("write `{key}: {actual}`"));
        if let Some(o) = workload.object() {
            f = f.label(
                o.anchor(),
                format!("{} carries `{key}: {actual}`", workload.display()),
            );
        }
        out.push(f);
    }
}
