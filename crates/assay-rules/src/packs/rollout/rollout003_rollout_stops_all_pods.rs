use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A Deployment behind a Service stops all its pods at each rollout
    ///
    /// ## What it checks
    /// A Deployment selected by a Service of the deliverable whose
    /// `strategy.type` is `Recreate`, or whose `rollingUpdate.maxUnavailable`
    /// is `"100%"`; Services that only expose metrics (named `*-metrics`, or
    /// every port named `*metrics*`) do not count. Not reported when the pod
    /// mounts a PersistentVolumeClaim:
    /// a `ReadWriteOnce` volume cannot be attached to old and new pods on
    /// different nodes at once, and `Recreate` is then the documented choice.
    ///
    /// ## Why it matters
    /// `Recreate` kills every existing pod before the first new one is
    /// created; `maxUnavailable: 100%` lets the controller scale the old
    /// ReplicaSet to zero at once. Either way the Service has no ready
    /// endpoint from then until the new pods pass their readiness probes,
    /// and for as long as they fail to: each release is an outage, and a bad
    /// image a complete one.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   replicas: 3
    ///   strategy: {type: Recreate}
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0", ports: [{containerPort: 8080}]}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ```
    ///
    /// ## Fix
    /// Roll pods over a few at a time:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   replicas: 3
    ///   strategy:
    ///     type: RollingUpdate
    ///     rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0", ports: [{containerPort: 8080}]}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ```
    ///
    /// ## References
    /// - Deployment strategy, Recreate ("All existing Pods are killed before new ones are created") and Rolling Update (`maxUnavailable`): https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy
    /// - Recreate for workloads that cannot run two versions or share a volume: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#recreate-deployment
    pub(crate) struct RolloutStopsAllPods {
        id: "ROLLOUT003",
        name: "rollout-stops-all-pods",
        severity: Warning,
        scope: Scope::Object(&["Deployment"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// The node that makes a rollout stop every pod, and how to say it.
fn stopping_strategy<'m>(object: &ObjectView<'m>) -> Option<(Value<'m>, &'static str)> {
    let strategy = object.root.path(&["spec", "strategy"])?;
    if let Some(kind) = strategy
        .get("type")
        .filter(|t| t.as_str() == Some("Recreate"))
    {
        return Some((
            kind,
            "uses the `Recreate` strategy: every pod is killed before a new one starts",
        ));
    }
    let max_unavailable = strategy.path(&["rollingUpdate", "maxUnavailable"])?;
    (max_unavailable.as_str().map(str::trim) == Some("100%")).then_some((
        max_unavailable,
        "sets `maxUnavailable: 100%`: the rollout may stop every old pod at once",
    ))
}

fn mounts_claim(object: &ObjectView<'_>) -> bool {
    object
        .pod_spec()
        .and_then(|p| p.get("volumes"))
        .into_iter()
        .flat_map(Value::items)
        .any(|v| v.get("persistentVolumeClaim").is_some())
}

impl Rule for RolloutStopsAllPods {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some((node, what)) = stopping_strategy(object) else {
            return;
        };
        if mounts_claim(object) {
            return;
        }
        let Some(service) = super::serving_service(ctx, object) else {
            return;
        };
        let message = format!(
            "{} {what}; {} has no ready endpoint until the new pods pass readiness",
            object.display(),
            service.display()
        );
        out.push(
            out.at(object.at(node.span()), message)
                .object(object.display())
                .fix("use `type: RollingUpdate` with `maxUnavailable: 0` and `maxSurge: 1` (or a `maxUnavailable` below 100%)"),
        );
    }
}
