use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ContainerKind, ObjectView};
use assay_yaml::Value;

declare_rule! {
    /// An HPA scales on utilization of a resource its target containers do not request
    ///
    /// ## What it checks
    /// Each `Utilization` target of a HorizontalPodAutoscaler found in the
    /// deliverable: `metrics[]` of `type: Resource` (every regular container
    /// of the target's pods) or `type: ContainerResource` (the named
    /// container) with `target.type: Utilization` (`targetAverageUtilization`
    /// in `autoscaling/v2beta1`), `targetCPUUtilizationPercentage` of
    /// `autoscaling/v1`, and the default of both versions when no metric is
    /// written (80% average CPU utilization). Each such container must have a
    /// request for the resource, or a limit (the API server then copies the
    /// limit into the request). Not reported when a LimitRange of the
    /// deliverable gives containers of that namespace a default for the
    /// resource.
    ///
    /// ## Why it matters
    /// Utilization is usage divided by request. The replica calculator fails
    /// with `missing request for cpu in container web of Pod ...`, the HPA
    /// reports `FailedGetResourceMetric` and never scales: the workload stays
    /// at its current size through the traffic spike the HPA was written for.
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
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    ///   metrics:
    ///     - type: Resource
    ///       resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    /// ```
    ///
    /// ## Fix
    /// Request the resource in every container of the pod:
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
    ///         - {name: web, image: "web:1.0", resources: {requests: {cpu: 250m}}}
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
    /// - HPA algorithm details ("if some of the Pod's containers do not have the relevant resource request set, CPU utilization for the Pod will not be defined and the autoscaler will not take any action for that metric"): https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
    /// - HPA walkthrough (requests needed for utilization targets): https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale-walkthrough/
    /// - `metrics` default of 80% CPU: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
    /// - kubernetes `pkg/controller/podautoscaler/metrics/utilization.go` and `replica_calculator.go` (`calculatePodRequests`: "missing request for %s in container %s of Pod %s"): https://github.com/kubernetes/kubernetes
    /// - Requests defaulted from limits: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits
    pub(crate) struct HpaUtilizationWithoutRequests {
        id: "SCALE001",
        name: "hpa-utilization-without-requests",
        severity: Error,
        scope: Scope::Object(&["HorizontalPodAutoscaler"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// One utilization target: the resource, the container it is limited to
/// (`ContainerResource`) and the node to point at.
struct UtilizationTarget<'m> {
    resource: &'m str,
    container: Option<&'m str>,
    node: Value<'m>,
}

/// The utilization targets of an HPA, defaults included.
fn utilization_targets<'m>(hpa: &ObjectView<'m>) -> Vec<UtilizationTarget<'m>> {
    let spec = hpa.root.get("spec");
    if hpa.object.api_version == "autoscaling/v1" {
        let node = spec
            .and_then(|s| s.entry("targetCPUUtilizationPercentage"))
            .map(|(key, _)| key)
            .or_else(|| spec.and_then(|s| s.get("scaleTargetRef")))
            .unwrap_or(hpa.root);
        return vec![UtilizationTarget {
            resource: "cpu",
            container: None,
            node,
        }];
    }
    let metrics = spec.and_then(|s| s.get("metrics"));
    if metrics.is_none_or(|m| m.is_null() || (m.is_sequence() && m.is_empty())) {
        let node = spec
            .and_then(|s| s.get("scaleTargetRef"))
            .unwrap_or(hpa.root);
        return vec![UtilizationTarget {
            resource: "cpu",
            container: None,
            node,
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
        let Some(source) = source else { continue };
        let Some(resource) = source.get_str("name") else {
            continue;
        };
        // autoscaling/v2 and v2beta2: `target.type`; v2beta1: `targetAverageUtilization`.
        let node = source
            .path(&["target", "type"])
            .filter(|t| t.as_str() == Some("Utilization"))
            .or_else(|| source.entry("targetAverageUtilization").map(|(k, _)| k));
        if let Some(node) = node {
            out.push(UtilizationTarget {
                resource,
                container,
                node,
            });
        }
    }
    out
}

/// Whether a LimitRange of the deliverable in `namespace` gives containers a
/// default request or limit for `resource`.
fn limit_range_defaults(ctx: &Context<'_>, namespace: &str, resource: &str) -> bool {
    ctx.model.object_views().any(|o| {
        o.kind() == "LimitRange"
            && o.object.namespace.as_deref().unwrap_or("default") == namespace
            && o.root
                .path(&["spec", "limits"])
                .into_iter()
                .flat_map(Value::items)
                .filter(|l| l.get_str("type") == Some("Container"))
                .any(|l| {
                    ["default", "defaultRequest"]
                        .iter()
                        .any(|section| l.path(&[section, resource]).is_some())
                })
    })
}

impl Rule for HpaUtilizationWithoutRequests {
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
        let namespace = assay_graph::workload::namespace_of(target);
        let containers: Vec<_> = target
            .containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::Regular)
            .collect();
        for metric in utilization_targets(object) {
            if limit_range_defaults(ctx, &namespace, metric.resource) {
                continue;
            }
            let missing: Vec<&str> = containers
                .iter()
                .filter(|c| metric.container.is_none_or(|name| c.name() == Some(name)))
                .filter(|c| {
                    c.resource("requests", metric.resource).is_none()
                        && c.resource("limits", metric.resource).is_none()
                })
                .map(|c| c.name().unwrap_or("<unnamed>"))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let resource = metric.resource;
            let list = missing
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let message = format!(
                "{} scales {} on {resource} utilization, but container {list} requests no {resource}: the HPA cannot compute utilization and never scales",
                object.display(),
                target.display()
            );
            out.push(
                out.at(object.at(metric.node.span()), message)
                    .object(object.display())
                    .fix(format!(
                        "set `resources.requests.{resource}` on container {list} of {}",
                        target.display()
                    )),
            );
        }
    }
}
