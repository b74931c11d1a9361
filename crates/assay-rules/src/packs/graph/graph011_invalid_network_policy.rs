use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A NetworkPolicy the API server would reject
    ///
    /// ## What it checks
    /// What `pkg/apis/networking/validation` rejects: a label selector
    /// operator other than `In`, `NotIn`, `Exists`, `DoesNotExist` (and
    /// `values` that do not fit the operator), an `ipBlock.cidr` that is not
    /// a CIDR, an `except` that is not a strict subset of its `cidr`, a port
    /// name that is not an IANA service name, a port outside 1–65535, an
    /// `endPort` below `port` or without a numeric `port`, an unknown
    /// protocol or policy type, a peer with no selector and no `ipBlock`, or
    /// with both. `assay connectivity` and `assay diagnose` leave such a
    /// policy out and say so.
    ///
    /// ## Why it matters
    /// `kubectl apply` fails on the whole policy, so the traffic it was meant
    /// to allow or deny is not governed by it; in a pipeline that applies
    /// manifests one by one, the rest goes in without it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: office, namespace: shop}
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///     - from:
    ///         - ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}
    /// ```
    ///
    /// ## Fix
    /// Keep `except` inside `cidr`:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: office, namespace: shop}
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///     - from:
    ///         - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    /// ```
    ///
    /// ## References
    /// - NetworkPolicy validation: https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/validation/validation.go
    /// - Label selector operators: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements
    /// - Port names (`IsValidPortName`): https://github.com/kubernetes/apimachinery/blob/master/pkg/util/validation/validation.go
    pub(crate) struct InvalidNetworkPolicy {
        id: "GRAPH011",
        name: "invalid-network-policy",
        severity: Error,
        scope: Scope::Object(&["NetworkPolicy"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for InvalidNetworkPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let display = object.display();
        let span = object.root.span();
        for problem in ctx.graph.invalid_policies.iter().filter(|p| {
            p.location.file == object.file_id()
                && p.object == display
                && span.contains(&p.location.span)
        }) {
            out.push(
                out.at(
                    problem.location,
                    format!("{display} is invalid: {}", problem.message),
                )
                .object(display.clone())
                .fix("correct the field: the API server rejects the whole policy, and assay's connectivity analysis leaves it out"),
            );
        }
    }
}
