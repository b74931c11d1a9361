use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, k8s_int};
use assay_yaml::Value;

declare_rule! {
    /// A PodDisruptionBudget allows no voluntary disruption at all
    ///
    /// ## What it checks
    /// A PodDisruptionBudget with `maxUnavailable: 0` (or `"0%"`), with
    /// `minAvailable: "100%"`, or with an integer `minAvailable` at least the
    /// total `replicas` of the Deployments, StatefulSets, ReplicaSets and
    /// ReplicationControllers of the same folder it selects (`replicas`
    /// unset counts as 1). The comparison is skipped when a selected
    /// workload is scaled by a HorizontalPodAutoscaler or is of another kind,
    /// because its replica count is not known from the manifest.
    ///
    /// ## Why it matters
    /// Such a budget never lets the eviction API remove one of its pods:
    /// `kubectl drain` retries forever, node upgrades stall, and the cluster
    /// autoscaler cannot remove the node the pods run on, so the cluster
    /// keeps paying for it after the load is gone.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   replicas: 2
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   minAvailable: 2
    ///   selector: {matchLabels: {app: web}}
    /// ```
    ///
    /// ## Fix
    /// Allow at least one pod to be evicted at a time:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   replicas: 2
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
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
    /// - Specifying a Disruption Budget ("If you set `maxUnavailable` to 0% or 0, or you set `minAvailable` to 100% or the number of replicas, you are requiring zero voluntary evictions ... then you cannot successfully drain a Node running one of those Pods"): https://kubernetes.io/docs/tasks/run-application/configure-pdb/#specifying-a-poddisruptionbudget
    /// - Cluster autoscaler: pods with a PDB that does not allow eviction block node scale-down: https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-types-of-pods-can-prevent-ca-from-removing-a-node
    pub(crate) struct PdbBlocksAllDisruption {
        id: "SCALE003",
        name: "pdb-blocks-all-disruption",
        severity: Warning,
        scope: Scope::Object(&["PodDisruptionBudget"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// `0`, `"0%"` (and `"100%"` for `minAvailable`): the written text of a
/// percentage or integer equal to `want`.
fn is_value(node: Value<'_>, want_int: i64, want_percent: &str) -> bool {
    k8s_int(node) == Some(want_int) || node.as_str().is_some_and(|s| s.trim() == want_percent)
}

fn folder<'a>(object: &'a ObjectView<'_>) -> &'a str {
    object
        .file
        .path
        .rsplit_once(['/', '\\'])
        .map_or("", |(dir, _)| dir)
}

/// The total replicas of the workloads `budget` selects in its own folder,
/// when every one has a count fixed by its manifest.
fn selected_replicas(ctx: &Context<'_>, pdb: &ObjectView<'_>) -> Option<(i64, Vec<String>)> {
    let budget = ctx
        .graph
        .budgets
        .iter()
        .find(|b| std::ptr::eq(b.pdb.object, pdb.object))?;
    let dir = folder(pdb);
    let mut total = 0_i64;
    let mut names = Vec::new();
    for workload in budget
        .selected
        .iter()
        .filter_map(|&i| ctx.graph.workloads.get(i))
    {
        let object = workload.object()?;
        if folder(object) != dir {
            continue;
        }
        if !matches!(
            object.kind(),
            "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController"
        ) || super::hpas_of(ctx, object).next().is_some()
        {
            return None;
        }
        let replicas = match object.root.path(&["spec", "replicas"]) {
            None => 1,
            Some(v) if v.is_null() => 1,
            Some(v) => k8s_int(v)?,
        };
        total = total.saturating_add(replicas);
        names.push(format!("{} ({replicas})", object.display()));
    }
    (!names.is_empty()).then_some((total, names))
}

impl Rule for PdbBlocksAllDisruption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(spec) = object.root.get("spec") else {
            return;
        };
        let fix = "set `maxUnavailable: 1` (or a `minAvailable` below the replica count) so one pod at a time can be evicted";
        let (node, why) = if let Some(v) =
            spec.get("maxUnavailable").filter(|v| is_value(*v, 0, "0%"))
        {
            (v, "`maxUnavailable` is 0".to_owned())
        } else if let Some(v) = spec.get("minAvailable") {
            if v.as_str().is_some_and(|s| s.trim() == "100%") {
                (v, "`minAvailable` is 100%".to_owned())
            } else {
                let Some(min) = k8s_int(v) else { return };
                let Some((total, names)) = selected_replicas(ctx, object) else {
                    return;
                };
                if min < total {
                    return;
                }
                (
                    v,
                    format!(
                        "`minAvailable: {min}` is not below the {total} replica(s) it selects ({})",
                        names.join(", ")
                    ),
                )
            }
        } else {
            return;
        };
        let message = format!(
            "{} allows no voluntary disruption: {why}; node drains and cluster-autoscaler scale-down block on its pods",
            object.display()
        );
        out.push(
            out.at(object.at(node.span()), message)
                .object(object.display())
                .fix(fix),
        );
    }
}
