use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, k8s_int};

declare_rule! {
    /// HPA `behavior` that disables scale-up or scales down with no stabilization
    ///
    /// ## What it checks
    /// `spec.behavior` of an `autoscaling/v2` HorizontalPodAutoscaler:
    /// `scaleUp.selectPolicy: Disabled`, and
    /// `scaleDown.stabilizationWindowSeconds: 0` (the default is 300).
    ///
    /// ## Why it matters
    /// With scale-up disabled the HPA never adds a pod, whatever the load:
    /// the spike it was written for reaches users as errors. With no
    /// scale-down stabilization the HPA removes pods on the first dip in
    /// the metric and adds them back on the next rise, so each burst of a
    /// bursty load meets a smaller fleet that must first start new pods.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    ///   behavior:
    ///     scaleDown: {stabilizationWindowSeconds: 0}
    /// ```
    ///
    /// ## Fix
    /// Keep a scale-down window (the default, or a shorter one that still
    /// spans a few 15 s sync periods):
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    ///   behavior:
    ///     scaleDown: {stabilizationWindowSeconds: 120}
    /// ```
    ///
    /// ## References
    /// - Configurable scaling behavior, stabilization window ("used to restrict the flapping of replica count when the metrics used for scaling keep fluctuating"), default behavior (scale-down window 300 s) and disable scale up (`selectPolicy: Disabled`): https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
    pub(crate) struct HpaBehaviorBlocksScaling {
        id: "SCALE004",
        name: "hpa-behavior-blocks-scaling",
        severity: Warning,
        scope: Scope::Object(&["HorizontalPodAutoscaler"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for HpaBehaviorBlocksScaling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(behavior) = object.root.path(&["spec", "behavior"]) else {
            return;
        };
        if let Some(policy) = behavior
            .path(&["scaleUp", "selectPolicy"])
            .filter(|p| p.as_str() == Some("Disabled"))
        {
            let message = format!(
                "{} disables scale-up (`scaleUp.selectPolicy: Disabled`): it never adds a pod, whatever the load",
                object.display()
            );
            out.push(
                out.at(object.at(policy.span()), message)
                    .object(object.display())
                    .fix("remove `scaleUp.selectPolicy` (the default is `Max`)"),
            );
        }
        if let Some(window) = behavior
            .path(&["scaleDown", "stabilizationWindowSeconds"])
            .filter(|w| k8s_int(*w) == Some(0))
        {
            let message = format!(
                "{} scales down with no stabilization window (`scaleDown.stabilizationWindowSeconds: 0`, default 300): replicas flap with every dip in the metric",
                object.display()
            );
            out.push(
                out.at(object.at(window.span()), message)
                    .object(object.display())
                    .fix("set `scaleDown.stabilizationWindowSeconds` to at least 60, or remove it for the default of 300"),
            );
        }
    }
}
