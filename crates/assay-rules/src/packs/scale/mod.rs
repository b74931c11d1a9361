//! The `SCALE` pack: what keeps a workload from scaling with its load —
//! HorizontalPodAutoscalers that cannot compute their metric or fight the
//! manifest over the replica count, PodDisruptionBudgets that block every
//! drain, replicas that share one point of failure, pods that stop before
//! they leave the Service. Rules read the HPA and PDB links of the graph
//! (`Context::graph`). "No readiness probe" belongs to ROLLOUT005 alone,
//! which names the HPA when one scales the workload; a missing HPA target
//! is GRAPH007's and a budget selecting nothing GRAPH008's.

mod scale001_hpa_utilization_without_requests;
mod scale002_replicas_set_with_hpa;
mod scale003_pdb_blocks_all_disruption;
mod scale004_hpa_behavior_blocks_scaling;
mod scale005_hpa_target_not_scalable;
mod scale006_single_replica_behind_service;
mod scale007_max_replicas_exceed_capacity;
mod scale008_pdb_missing;
mod scale009_replicas_not_spread;
mod scale010_no_graceful_scale_down;
mod scale011_cpu_limit_blocks_hpa;
mod scale012_safe_to_evict_false;
mod scale013_hpa_scale_up_slower_than_default;

use crate::Pack;
use assay_model::ObjectView;

pub(crate) const PACK: Pack = Pack {
    prefix: "SCALE",
    folder: "scale",
    title: "Autoscaling and disruption budgets",
    rules: &[
        &scale001_hpa_utilization_without_requests::HpaUtilizationWithoutRequests,
        &scale002_replicas_set_with_hpa::ReplicasSetWithHpa,
        &scale003_pdb_blocks_all_disruption::PdbBlocksAllDisruption,
        &scale004_hpa_behavior_blocks_scaling::HpaBehaviorBlocksScaling,
        &scale005_hpa_target_not_scalable::HpaTargetNotScalable,
        &scale006_single_replica_behind_service::SingleReplicaBehindService,
        &scale007_max_replicas_exceed_capacity::MaxReplicasExceedCapacity,
        &scale008_pdb_missing::PdbMissing,
        &scale009_replicas_not_spread::ReplicasNotSpread,
        &scale010_no_graceful_scale_down::NoGracefulScaleDown,
        &scale011_cpu_limit_blocks_hpa::CpuLimitBlocksHpa,
        &scale012_safe_to_evict_false::SafeToEvictFalse,
        &scale013_hpa_scale_up_slower_than_default::HpaScaleUpSlowerThanDefault,
    ],
};

/// The HorizontalPodAutoscalers of the deliverable whose scale target is
/// `object`.
fn hpas_of<'g, 'm>(
    ctx: &'g crate::Context<'m>,
    object: &'g ObjectView<'_>,
) -> impl Iterator<Item = &'g ObjectView<'m>> {
    ctx.graph
        .scale_links
        .iter()
        .filter(|l| {
            l.found
                .is_some_and(|f| std::ptr::eq(f.object, object.object))
        })
        .map(|l| &l.hpa)
}

/// The HorizontalPodAutoscaler link whose scale target is `object`.
fn scale_link_of<'g, 'm>(
    ctx: &'g crate::Context<'m>,
    object: &ObjectView<'_>,
) -> Option<&'g assay_graph::ScaleLink<'m>> {
    ctx.graph.scale_link_of(object.object)
}

/// The fewest replicas `object` runs: the HPA's `minReplicas` (default 1)
/// when one scales it, else `spec.replicas` (default 1); `None` when not
/// a plain integer.
fn fewest_replicas(ctx: &crate::Context<'_>, object: &ObjectView<'_>) -> Option<i64> {
    if let Some(link) = scale_link_of(ctx, object) {
        return match link.hpa.root.path(&["spec", "minReplicas"]) {
            None => Some(1),
            Some(v) if v.is_null() => Some(1),
            Some(v) => assay_model::k8s_int(v),
        };
    }
    match object.root.path(&["spec", "replicas"]) {
        None => Some(1),
        Some(v) if v.is_null() => Some(1),
        Some(v) => assay_model::k8s_int(v),
    }
}

/// Whether the pod mounts a PersistentVolumeClaim (a single-writer
/// workload by design when the claim is `ReadWriteOnce`).
fn mounts_claim(object: &ObjectView<'_>) -> bool {
    object
        .pod_spec()
        .and_then(|p| p.get("volumes"))
        .into_iter()
        .flat_map(assay_yaml::Value::items)
        .any(|v| v.get("persistentVolumeClaim").is_some())
}
