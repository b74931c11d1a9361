use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// Pods marked `safe-to-evict: "false"` pin their node against scale-down
    ///
    /// ## What it checks
    /// The annotation `cluster-autoscaler.kubernetes.io/safe-to-evict:
    /// "false"` on a Pod or on the pod template of a workload.
    ///
    /// ## Why it matters
    /// The cluster autoscaler never removes a node that runs such a pod.
    /// After a spike, the nodes added for it stay as long as one of these
    /// pods landed there, so the cluster keeps paying for the peak; with
    /// many replicas spread out, scale-down effectively stops. The
    /// annotation is meant for pods whose work cannot be interrupted
    /// (a long batch step), not for regular replicas of a service.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///       annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "false"}
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
    /// ```
    ///
    /// ## Fix
    /// Remove the annotation and protect availability with a
    /// PodDisruptionBudget instead (the autoscaler respects it):
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
    /// ```
    ///
    /// ## References
    /// - Cluster autoscaler FAQ, "What types of pods can prevent CA from removing a node?" (pods with the annotation `"cluster-autoscaler.kubernetes.io/safe-to-evict": "false"`): https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-types-of-pods-can-prevent-ca-from-removing-a-node
    /// - Node autoscaling, consolidation: https://kubernetes.io/docs/concepts/cluster-administration/node-autoscaling/#node-consolidation
    pub(crate) struct SafeToEvictFalse {
        id: "SCALE012",
        name: "safe-to-evict-false",
        severity: Info,
        scope: Scope::Object(&[
            "Pod",
            "Deployment",
            "StatefulSet",
            "ReplicaSet",
            "ReplicationController",
            "Job",
            "CronJob",
        ]),
        fix: Always,
        since: "0.1.0",
    }
}

const ANNOTATION: &str = "cluster-autoscaler.kubernetes.io/safe-to-evict";

impl Rule for SafeToEvictFalse {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(value) = object
            .pod_metadata()
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.get(ANNOTATION))
        else {
            return;
        };
        if value.as_str().map(str::trim) != Some("false") {
            return;
        }
        let message = format!(
            "the pods of {} are annotated `{ANNOTATION}: \"false\"`: the cluster autoscaler never removes a node they run on, so nodes added for a spike stay after it",
            object.display()
        );
        out.push(
            out.at(object.at(value.span()), message)
                .object(object.display())
                .fix("remove the annotation unless the pod's work cannot be interrupted; protect availability with a PodDisruptionBudget"),
        );
    }
}
