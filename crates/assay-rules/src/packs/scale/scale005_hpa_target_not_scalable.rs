use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// An HPA targets a kind that has no `scale` subresource
    ///
    /// ## What it checks
    /// `spec.scaleTargetRef.kind` of a HorizontalPodAutoscaler: a built-in
    /// kind other than Deployment, StatefulSet, ReplicaSet and
    /// ReplicationController (the ones with a `/scale` subresource; a
    /// DaemonSet, Job, CronJob or Pod has none), or a custom kind whose
    /// CustomResourceDefinition is in the deliverable and declares
    /// `subresources.scale` in none of its versions. Custom kinds whose CRD
    /// is not in the deliverable are not judged. A target that does not
    /// exist is GRAPH007's finding.
    ///
    /// ## Why it matters
    /// The HPA controller reads and writes the target through its `scale`
    /// subresource. For a kind without one it reports `FailedGetScale`
    /// (`the server could not find the requested resource`) on every sync
    /// and never scales anything: the workload meets its traffic spike at
    /// its fixed size. A DaemonSet is sized by its nodes, not by an HPA.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: agent, namespace: ops}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: DaemonSet, name: agent}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ```
    ///
    /// ## Fix
    /// Autoscale a Deployment or StatefulSet (or a custom resource with a
    /// `scale` subresource); scale a DaemonSet by adding nodes:
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: agent, namespace: ops}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: agent}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ```
    ///
    /// ## References
    /// - Horizontal Pod Autoscaling ("Horizontal scaling ... does not apply to objects that can't be scaled (for example: a DaemonSet)"): https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
    /// - Scale subresource of custom resources: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#scale-subresource
    /// - kubernetes `pkg/controller/podautoscaler/horizontal.go` (`FailedGetScale`): https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go
    pub(crate) struct HpaTargetNotScalable {
        id: "SCALE005",
        name: "hpa-target-not-scalable",
        severity: Error,
        scope: Scope::Object(&["HorizontalPodAutoscaler"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// Built-in kinds with a `/scale` subresource.
const SCALABLE: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
];

/// API groups of built-in kinds (`apps/v1` → `apps`; `v1` → core).
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "apps",
    "extensions",
    "batch",
    "policy",
    "networking.k8s.io",
    "autoscaling",
];

/// Whether a CRD of the deliverable defines `kind` without a scale
/// subresource in any version; `None` when no CRD defines it.
fn crd_lacks_scale(ctx: &Context<'_>, group: &str, kind: &str) -> Option<bool> {
    let crd = ctx.model.object_views().find(|o| {
        o.kind() == "CustomResourceDefinition"
            && o.root
                .path(&["spec", "names", "kind"])
                .and_then(Value::as_str)
                == Some(kind)
            && o.root.path(&["spec", "group"]).and_then(Value::as_str) == Some(group)
    })?;
    let scalable = crd
        .root
        .path(&["spec", "versions"])
        .into_iter()
        .flat_map(Value::items)
        .any(|v| v.path(&["subresources", "scale"]).is_some())
        || crd.root.path(&["spec", "subresources", "scale"]).is_some();
    Some(!scalable)
}

impl Rule for HpaTargetNotScalable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(target) = object.root.path(&["spec", "scaleTargetRef"]) else {
            return;
        };
        let Some(kind_node) = target.get("kind") else {
            return;
        };
        let Some(kind) = kind_node.as_str() else {
            return;
        };
        let api_version = target.get_str("apiVersion").unwrap_or("");
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let not_scalable = if BUILT_IN_GROUPS.contains(&group) {
            !SCALABLE.contains(&kind)
        } else {
            crd_lacks_scale(ctx, group, kind) == Some(true)
        };
        if !not_scalable {
            return;
        }
        let name = target.get_str("name").unwrap_or("");
        let message = format!(
            "{} scales {} {}, a kind without a `scale` subresource: the HPA reports `FailedGetScale` and never scales",
            object.display(),
            code(kind),
            code(name)
        );
        let fix = if kind == "DaemonSet" {
            "autoscale a Deployment or StatefulSet instead; a DaemonSet runs one pod per node and grows with the nodes".to_owned()
        } else {
            format!(
                "point `scaleTargetRef` at a Deployment, StatefulSet or a custom resource with a `scale` subresource, or remove {}",
                object.display()
            )
        };
        out.push(
            out.at(object.at(kind_node.span()), message)
                .object(object.display())
                .fix(fix),
        );
    }
}
