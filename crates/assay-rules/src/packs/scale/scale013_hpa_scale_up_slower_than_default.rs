use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, k8s_int};
use assay_yaml::Value;

declare_rule! {
    /// HPA `behavior.scaleUp` adds pods more slowly than the default
    ///
    /// ## What it checks
    /// `spec.behavior.scaleUp` of an `autoscaling/v2` HorizontalPodAutoscaler
    /// (one finding per HPA):
    ///
    /// - a `stabilizationWindowSeconds` above 0 (the default for scale-up);
    /// - `policies` slower than the default ones (100% of the current
    ///   replicas or 4 pods every 15 s, whichever is more): with
    ///   `selectPolicy: Max` (the default) when no `Percent` policy allows
    ///   100% per 15 s and no `Pods` policy allows 4 pods per 15 s; with
    ///   `selectPolicy: Min` when any policy allows less than that.
    ///
    /// A disabled scale-up is SCALE004's finding.
    ///
    /// ## Why it matters
    /// A scale-up window makes the HPA act on the lowest recommendation of
    /// the window, so a spike must last that long before any pod is added;
    /// small policies cap how many pods each period adds. Pods still need
    /// their start-up (and possibly a new node) after that: a slow policy
    /// stretches the time the spike is served by too few pods, which users
    /// see as errors and latency. Slow scale-up is sometimes wanted (a
    /// costly backend); then the gap should be a decision, measured with
    /// `assay simulate spike`.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 20
    ///   behavior:
    ///     scaleUp:
    ///       policies: [{type: Pods, value: 1, periodSeconds: 60}]
    /// ```
    ///
    /// ## Fix
    /// Keep the default scale-up (remove `scaleUp`), or allow at least as
    /// much as the default:
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 20
    ///   behavior:
    ///     scaleUp:
    ///       policies: [{type: Percent, value: 100, periodSeconds: 15}, {type: Pods, value: 4, periodSeconds: 15}]
    /// ```
    ///
    /// ## References
    /// - Configurable scaling behavior, default behavior (`scaleUp`: `stabilizationWindowSeconds: 0`, policies `Percent 100 / 15 s` and `Pods 4 / 15 s`, `selectPolicy: Max`): https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#default-behavior
    /// - Scaling policies and `selectPolicy`: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#scaling-policies
    pub(crate) struct HpaScaleUpSlowerThanDefault {
        id: "SCALE013",
        name: "hpa-scale-up-slower-than-default",
        severity: Info,
        scope: Scope::Object(&["HorizontalPodAutoscaler"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// Whether a policy allows at least the default's rate for its type
/// (100% or 4 pods per 15 s); `None` for an unknown type or a bad number.
fn as_fast_as_default(policy: Value<'_>) -> Option<bool> {
    let value = k8s_int(policy.get("value")?)?;
    let period = k8s_int(policy.get("periodSeconds")?)?;
    if period <= 0 {
        return None;
    }
    let per_15s = |default: i64| value.saturating_mul(15) >= default.saturating_mul(period);
    match policy.get_str("type")? {
        "Percent" => Some(per_15s(100)),
        "Pods" => Some(per_15s(4)),
        _ => None,
    }
}

impl Rule for HpaScaleUpSlowerThanDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(scale_up) = object.root.path(&["spec", "behavior", "scaleUp"]) else {
            return;
        };
        let select = scale_up.get_str("selectPolicy").unwrap_or("Max");
        if select == "Disabled" {
            return;
        }
        let found = if let Some(window) = scale_up
            .get("stabilizationWindowSeconds")
            .filter(|w| k8s_int(*w).is_some_and(|s| s > 0))
        {
            Some((
                window,
                format!(
                    "waits {} s of stabilization before adding pods (default 0)",
                    k8s_int(window).unwrap_or(0)
                ),
            ))
        } else if let Some(policies) = scale_up.get("policies").filter(|p| !p.is_empty()) {
            let fast: Option<Vec<bool>> = policies.items().map(as_fast_as_default).collect();
            match fast {
                Some(fast) if select == "Min" && fast.contains(&false) => Some((
                    policies,
                    "applies, with `selectPolicy: Min`, a policy slower than the default 100% or 4 pods per 15 s".to_owned(),
                )),
                Some(fast) if select != "Min" && !fast.contains(&true) => Some((
                    policies,
                    "allows fewer new pods per period than the default 100% or 4 pods per 15 s".to_owned(),
                )),
                _ => None,
            }
        } else {
            None
        };
        let Some((node, why)) = found else {
            return;
        };
        let message = format!(
            "{} scales up more slowly than the HPA default: it {why}, so a spike is served by too few pods for longer",
            object.display()
        );
        out.push(
            out.at(object.at(node.span()), message)
                .object(object.display())
                .fix("remove `behavior.scaleUp` for the default, or allow at least 100% or 4 pods per 15 s with no scale-up window"),
        );
    }
}
