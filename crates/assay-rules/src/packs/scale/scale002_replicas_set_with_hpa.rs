use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// `spec.replicas` is written on a workload that an HPA manages
    ///
    /// ## What it checks
    /// A Deployment, StatefulSet or ReplicaSet with `spec.replicas` that is
    /// the `scaleTargetRef` of a HorizontalPodAutoscaler of the deliverable.
    ///
    /// ## Why it matters
    /// The HPA owns the replica count. Every `kubectl apply` of the manifest
    /// sets it back to the written value: a Deployment scaled to 12 pods for
    /// a traffic peak drops to 3 the moment someone applies a config change,
    /// and the HPA needs several sync periods (15 s each, then the pods'
    /// start-up) to scale back up.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   replicas: 3
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0", resources: {requests: {cpu: 250m}}}]}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 3
    ///   maxReplicas: 10
    /// ```
    ///
    /// ## Fix
    /// Leave `replicas` out and let the HPA's `minReplicas` set the floor:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0", resources: {requests: {cpu: 250m}}}]}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 3
    ///   maxReplicas: 10
    /// ```
    ///
    /// ## References
    /// - Migrating Deployments and StatefulSets to horizontal autoscaling ("it is recommended that the value of `spec.replicas` of the Deployment and / or StatefulSet be removed from their manifest(s)"): https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
    pub(crate) struct ReplicasSetWithHpa {
        id: "SCALE002",
        name: "replicas-set-with-hpa",
        severity: Warning,
        scope: Scope::Object(&["Deployment", "StatefulSet", "ReplicaSet"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ReplicasSetWithHpa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some((key, value)) = object.root.get("spec").and_then(|s| s.entry("replicas")) else {
            return;
        };
        if value.is_null() {
            return;
        }
        let Some(hpa) = super::hpas_of(ctx, object).next() else {
            return;
        };
        let written = value.as_str().unwrap_or("?");
        let message = format!(
            "{} sets `replicas: {written}` but {} manages its replica count: every `kubectl apply` resets it to {written}",
            object.display(),
            hpa.display()
        );
        out.push(
            out.at(object.at(key.span()), message)
                .object(object.display())
                .fix("remove `spec.replicas`; the HPA's `minReplicas` sets the floor"),
        );
    }
}
