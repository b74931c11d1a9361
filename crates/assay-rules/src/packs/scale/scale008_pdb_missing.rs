use crate::packs::rollout::serving_service;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A multi-replica workload behind a Service has no PodDisruptionBudget
    ///
    /// ## What it checks
    /// A Deployment or StatefulSet selected by a Service of the deliverable
    /// (metrics-only Services do not count) that runs at least two
    /// replicas at its smallest (the HPA's `minReplicas`, else
    /// `spec.replicas`) when no PodDisruptionBudget of the deliverable in
    /// its namespace selects its pods. Budgets that select nothing are
    /// GRAPH008's finding; budgets that allow no disruption are SCALE003's.
    ///
    /// ## Why it matters
    /// Node drains (upgrades, the cluster autoscaler removing an idle node,
    /// spot reclaims with a drain handler) evict through the eviction API,
    /// which only waits for pods a budget protects. Without one, draining
    /// a node that holds several replicas evicts them at once, and an
    /// upgrade that drains nodes back to back can take every replica down
    /// before the replacements are ready.
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
    /// Let one pod at a time be evicted:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   replicas: 3
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
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   maxUnavailable: 1
    ///   selector: {matchLabels: {app: web}}
    /// ```
    ///
    /// ## References
    /// - Disruptions, PodDisruptionBudgets ("An Application Owner can create a PodDisruptionBudget object for each application ... limits the number of Pods of a replicated application that are down simultaneously from voluntary disruptions"): https://kubernetes.io/docs/concepts/workloads/pods/disruptions/#pod-disruption-budgets
    /// - Specifying a Disruption Budget for your Application: https://kubernetes.io/docs/tasks/run-application/configure-pdb/
    /// - Safely drain a node (the eviction API respects budgets): https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/
    pub(crate) struct PdbMissing {
        id: "SCALE008",
        name: "pdb-missing",
        severity: Info,
        scope: Scope::Object(&["Deployment", "StatefulSet"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for PdbMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(replicas) = super::fewest_replicas(ctx, object).filter(|r| *r >= 2) else {
            return;
        };
        let graph = ctx.graph;
        let Some(index) = graph.workload_index(object.object) else {
            return;
        };
        if graph.budgets.iter().any(|b| b.selected.contains(&index)) {
            return;
        }
        let Some(service) = serving_service(ctx, object) else {
            return;
        };
        let at = object
            .root
            .path(&["spec", "selector"])
            .map_or_else(|| object.anchor(), |n| object.at(n.span()));
        let message = format!(
            "{} runs at least {replicas} replicas behind {} but no PodDisruptionBudget selects its pods: a node drain may evict several at once",
            object.display(),
            service.display()
        );
        out.push(
            out.at(at, message).object(object.display()).fix(
                "add a PodDisruptionBudget with `maxUnavailable: 1` and the workload's selector",
            ),
        );
    }
}
