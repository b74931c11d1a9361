use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::{ObjectView, k8s_int};

declare_rule! {
    /// `maxReplicas` is more pods than the cluster profile can ever hold
    ///
    /// ## What it checks
    /// With a cluster profile (`--cluster-profile`): a HorizontalPodAutoscaler
    /// whose target is in the deliverable, whose pods request CPU or memory,
    /// and whose `maxReplicas` is more than the pools the pod may land on
    /// (node selectors, affinity and taints as `assay schedule` reads them)
    /// hold at their autoscaling maximum: per node, the fewest of
    /// allocatable CPU ÷ the pod's CPU request, allocatable memory ÷ its
    /// memory request and allocatable pods, times the pool's maximum node
    /// count. Nothing else is assumed to run on those nodes, so the real
    /// ceiling is lower still.
    ///
    /// ## Why it matters
    /// The HPA is sized for a peak the cluster cannot reach: beyond the
    /// capacity the extra replicas stay `Pending` (`Insufficient cpu`), the
    /// cluster autoscaler has no pool left to grow, and the load that the
    /// maximum was meant to absorb reaches users as errors. Either the
    /// pools' maximum is too low or the HPA promises capacity that does not
    /// exist; both should be decided before the spike.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// # cluster-profile: kind
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0", resources: {requests: {cpu: "2", memory: 1Gi}}}]}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 500
    /// ```
    ///
    /// ## Fix
    /// Cap `maxReplicas` at what the pools can hold (or raise the pools'
    /// autoscaling maximum):
    /// ```yaml
    /// # cluster-profile: kind
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0", resources: {requests: {cpu: 100m, memory: 128Mi}}}]}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 4
    /// ```
    ///
    /// ## References
    /// - Resource requests and scheduling ("the scheduler ensures that, for each resource type, the sum of the resource requests of the scheduled containers is less than the capacity of the node"): https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-requests-are-scheduled
    /// - Cluster autoscaling (node groups grow up to their maximum size): https://kubernetes.io/docs/concepts/cluster-administration/node-autoscaling/
    /// - HPA `maxReplicas`: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
    pub(crate) struct MaxReplicasExceedCapacity {
        id: "SCALE007",
        name: "max-replicas-exceed-capacity",
        severity: Warning,
        scope: Scope::Object(&["HorizontalPodAutoscaler"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// Pods of `request` one node of `allocatable` holds.
fn pods_per_node(allocatable: assay_profile::Resources, request: assay_profile::Resources) -> i64 {
    let mut fit = allocatable.pods.max(0);
    if request.cpu_milli > 0 {
        fit = fit.min(allocatable.cpu_milli / request.cpu_milli);
    }
    if request.memory_bytes > 0 {
        fit = fit.min(allocatable.memory_bytes / request.memory_bytes);
    }
    fit.max(0)
}

fn cpu_text(milli: i64) -> String {
    if milli % 1000 == 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

fn memory_text(bytes: i64) -> String {
    const MI: i64 = 1 << 20;
    if bytes % (1 << 30) == 0 {
        format!("{}Gi", bytes >> 30)
    } else {
        format!("{}Mi", bytes.saturating_add(MI - 1) / MI)
    }
}

impl Rule for MaxReplicasExceedCapacity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(profile) = ctx.cluster_profile else {
            return;
        };
        let Some(max_node) = object.root.path(&["spec", "maxReplicas"]) else {
            return;
        };
        let Some(max_replicas) = k8s_int(max_node) else {
            return;
        };
        let Some(target) = ctx
            .graph
            .scale_links
            .iter()
            .find(|l| std::ptr::eq(l.hpa.object, object.object))
            .and_then(|l| l.found.as_ref())
        else {
            return;
        };
        let Some(request) = assay_schedule::pod_requests(target) else {
            return;
        };
        if request.cpu_milli <= 0 && request.memory_bytes <= 0 {
            return;
        }
        let pools: Vec<_> = assay_schedule::pool_fits(target, profile)
            .into_iter()
            .filter(assay_schedule::PoolFit::admits)
            .map(|f| f.pool)
            .collect();
        let capacity: i64 = pools
            .iter()
            .map(|p| {
                pods_per_node(p.allocatable, request).saturating_mul(i64::from(p.max.max(p.count)))
            })
            .fold(0, i64::saturating_add);
        if capacity >= max_replicas {
            return;
        }
        let names = if pools.is_empty() {
            "none of its pools admits the pod".to_owned()
        } else {
            format!(
                "{} {} hold{} at most {capacity} at their maximum size",
                if pools.len() == 1 { "pool" } else { "pools" },
                pools
                    .iter()
                    .map(|p| code(&p.name).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                if pools.len() == 1 { "s" } else { "" }
            )
        };
        let message = format!(
            "{} may scale {} to {max_replicas} pods requesting {} CPU and {} memory each, but in cluster profile {} the {names}, with nothing else running: the replicas beyond stay Pending",
            object.display(),
            target.display(),
            cpu_text(request.cpu_milli),
            memory_text(request.memory_bytes),
            code(&profile.name)
        );
        out.push(
            out.at(object.at(max_node.span()), message)
                .object(object.display())
                .fix(format!(
                    "set `maxReplicas` to at most {capacity} (less what else runs there), or raise the node pools' autoscaling maximum"
                )),
        );
    }
}
