use super::labels_text;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_graph::diagnose::selector_typo;
use assay_model::ObjectView;

declare_rule! {
    /// A NetworkPolicy selects no pod of the deliverable
    ///
    /// ## What it checks
    /// A valid NetworkPolicy whose `spec.podSelector` has labels and selects
    /// no workload of its namespace, when the deliverable has workloads of
    /// that namespace in the same folder and no custom resource there (an
    /// operator's custom resource may create the pods). A selector one label
    /// typo away from a workload is `GRAPH012` instead; an empty
    /// `podSelector: {}` selects every pod and is never reported.
    ///
    /// ## Why it matters
    /// A policy that selects no pod isolates nothing: the pods it was written
    /// for keep accepting (or sending) every connection, and no tool or
    /// event says so. It is usually a label renamed on one side only.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: cache, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: cache}}
    ///   template:
    ///     metadata: {labels: {app: cache}}
    ///     spec: {containers: [{name: redis, image: "redis:7.4.1"}]}
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: cache-ingress, namespace: shop}
    /// spec:
    ///   podSelector: {matchLabels: {app: redis}}
    ///   ingress: []
    /// ```
    ///
    /// ## Fix
    /// Select the labels the pod template carries:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: cache, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: cache}}
    ///   template:
    ///     metadata: {labels: {app: cache}}
    ///     spec: {containers: [{name: redis, image: "redis:7.4.1"}]}
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: cache-ingress, namespace: shop}
    /// spec:
    ///   podSelector: {matchLabels: {app: cache}}
    ///   ingress: []
    /// ```
    ///
    /// ## References
    /// - NetworkPolicy `podSelector` ("selects the grouping of pods to which the policy applies"): https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
    /// - kube-linter `dangling-networkpolicy` and KICS "Network Policy Is Not Targeting Any Pod" check the same
    pub(crate) struct NetworkPolicySelectsNoPod {
        id: "GRAPH013",
        name: "network-policy-selects-no-pod",
        severity: Info,
        scope: Scope::Object(&["NetworkPolicy"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for NetworkPolicySelectsNoPod {
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
        if policy.pod_selector.is_empty()
            || graph
                .workloads_in(&policy.namespace)
                .any(|w| policy.selects(w))
            || !super::expects_local_pods(ctx, object, &policy.namespace)
            || selector_typo(graph, &policy.namespace, &policy.pod_selector.match_labels).is_some()
        {
            return;
        }
        let Some(selector) = object.root.path(&["spec", "podSelector"]) else {
            return;
        };
        let wanted = if policy.pod_selector.match_labels.is_empty() {
            "its `matchExpressions`".to_owned()
        } else {
            format!(
                "the labels {}",
                code(&labels_text(&policy.pod_selector.match_labels))
            )
        };
        let finding = out
            .at(
                object.at(selector.span()),
                format!(
                    "{} selects no pod: no workload in namespace `{}` matches {wanted}, so the policy isolates nothing",
                    object.display(),
                    policy.namespace
                ),
            )
            .object(object.display())
            .fix("make `spec.podSelector` match the pod template labels of the workloads the policy is for");
        out.push(finding);
    }
}
