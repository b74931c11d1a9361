use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ContainerKind, ObjectView, k8s_int};
use assay_yaml::Value;

declare_rule! {
    /// CPU limits keep pods from ever reaching the HPA's CPU target
    ///
    /// ## What it checks
    /// A HorizontalPodAutoscaler with a CPU `Utilization` target (a
    /// `Resource` or `ContainerResource` metric, `targetCPUUtilizationPercentage`
    /// of `autoscaling/v1`, or the default of 80% when no metric is
    /// written) whose target's containers all have CPU limits: utilization
    /// can never exceed limits ÷ requests (a request left out defaults to
    /// the limit). Reported when that ceiling is not above the target by
    /// more than the HPA's 10% tolerance, i.e. `limit / request × 100 ≤
    /// target × 1.1`.
    ///
    /// ## Why it matters
    /// The HPA scales up only when `usage / target` exceeds 1.1. Under a
    /// spike, pods are throttled at their CPU limit (CFS quota) before
    /// usage gets there, so the HPA sees a ratio at or below the tolerance
    /// and adds no pod: latency climbs and requests time out while the
    /// autoscaler reports everything within target.
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
    ///         - {name: web, image: "web:1.0", resources: {requests: {cpu: 500m}, limits: {cpu: 500m}}}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    ///   metrics:
    ///     - type: Resource
    ///       resource: {name: cpu, target: {type: Utilization, averageUtilization: 100}}
    /// ```
    ///
    /// ## Fix
    /// Target a utilization well below the limit's ceiling (or raise the
    /// limit):
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
    ///         - {name: web, image: "web:1.0", resources: {requests: {cpu: 500m}, limits: {cpu: 500m}}}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    ///   metrics:
    ///     - type: Resource
    ///       resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    /// ```
    ///
    /// ## References
    /// - HPA algorithm details (`desiredReplicas = ceil[currentReplicas * ( currentMetricValue / desiredMetricValue )]`; "the control plane skips any scaling action if the ratio is sufficiently close to 1.0 (within a globally-configurable tolerance, 0.1 by default)"): https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
    /// - CPU limits are enforced by throttling: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run
    /// - Requests default to limits: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits
    pub(crate) struct CpuLimitBlocksHpa {
        id: "SCALE011",
        name: "cpu-limit-blocks-hpa",
        severity: Warning,
        scope: Scope::Object(&["HorizontalPodAutoscaler"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// A CPU utilization target: percent, the container it is limited to,
/// and the node to point at.
struct CpuTarget<'m> {
    percent: i64,
    container: Option<&'m str>,
    node: Value<'m>,
}

fn cpu_targets<'m>(hpa: &ObjectView<'m>) -> Vec<CpuTarget<'m>> {
    let spec = hpa.root.get("spec");
    let default_at = || {
        spec.and_then(|s| s.get("scaleTargetRef"))
            .unwrap_or(hpa.root)
    };
    if hpa.object.api_version == "autoscaling/v1" {
        return match spec.and_then(|s| s.get("targetCPUUtilizationPercentage")) {
            Some(node) => k8s_int(node)
                .map(|percent| CpuTarget {
                    percent,
                    container: None,
                    node,
                })
                .into_iter()
                .collect(),
            None => vec![CpuTarget {
                percent: 80,
                container: None,
                node: default_at(),
            }],
        };
    }
    let metrics = spec.and_then(|s| s.get("metrics"));
    if metrics.is_none_or(|m| m.is_null() || (m.is_sequence() && m.is_empty())) {
        return vec![CpuTarget {
            percent: 80,
            container: None,
            node: default_at(),
        }];
    }
    let mut out = Vec::new();
    for metric in metrics.into_iter().flat_map(Value::items) {
        let (source, container) = match metric.get_str("type") {
            Some("Resource") => (metric.get("resource"), None),
            Some("ContainerResource") => {
                let source = metric.get("containerResource");
                (source, source.and_then(|s| s.get_str("container")))
            }
            _ => continue,
        };
        let Some(source) = source.filter(|s| s.get_str("name") == Some("cpu")) else {
            continue;
        };
        let node = source
            .path(&["target", "averageUtilization"])
            .filter(|_| {
                source.path(&["target", "type"]).and_then(Value::as_str) == Some("Utilization")
            })
            .or_else(|| source.get("targetAverageUtilization"));
        if let Some(node) = node
            && let Some(percent) = k8s_int(node)
        {
            out.push(CpuTarget {
                percent,
                container,
                node,
            });
        }
    }
    out
}

fn milli(node: Option<Value<'_>>) -> Option<i128> {
    assay_profile::parse_quantity(node?.as_str()?).map(|m| m.0)
}

impl Rule for CpuLimitBlocksHpa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(target) = ctx
            .graph
            .scale_links
            .iter()
            .find(|l| std::ptr::eq(l.hpa.object, object.object))
            .and_then(|l| l.found.as_ref())
        else {
            return;
        };
        let containers: Vec<_> = target
            .containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::Regular)
            .collect();
        for goal in cpu_targets(object) {
            let (mut requests, mut limits) = (0_i128, 0_i128);
            let mut counted = 0;
            for c in containers
                .iter()
                .filter(|c| goal.container.is_none_or(|n| c.name() == Some(n)))
            {
                // Without a limit utilization is unbounded: nothing to report.
                let Some(limit) = milli(c.resource("limits", "cpu")) else {
                    return;
                };
                let request = milli(c.resource("requests", "cpu")).unwrap_or(limit);
                requests = requests.saturating_add(request);
                limits = limits.saturating_add(limit);
                counted += 1;
            }
            if counted == 0 || requests <= 0 {
                continue;
            }
            let ceiling = limits.saturating_mul(100) / requests;
            // Scale-up needs usage/target > 1.1: ceiling*10 <= target*11 never gets there.
            if ceiling.saturating_mul(10) > i128::from(goal.percent).saturating_mul(11) {
                continue;
            }
            let message = format!(
                "{} targets {}% CPU utilization of {}, but its CPU limits cap utilization at {ceiling}% of requests: throttled pods never exceed the target by the 10% tolerance, so the HPA never scales up",
                object.display(),
                goal.percent,
                target.display()
            );
            out.push(
                out.at(object.at(goal.node.span()), message)
                    .object(object.display())
                    .fix(format!(
                        "set the target to at most {} (e.g. {}), or raise the CPU limits of {}",
                        ceiling * 10 / 11,
                        (ceiling * 7 / 10).max(1),
                        target.display()
                    )),
            );
        }
    }
}
