//! The `SCALE` pack: what keeps a workload from scaling with its load —
//! HorizontalPodAutoscalers that cannot compute their metric or fight the
//! manifest over the replica count, PodDisruptionBudgets that block every
//! drain. Rules read the HPA and PDB links of the graph (`Context::graph`).

mod scale001_hpa_utilization_without_requests;
mod scale002_replicas_set_with_hpa;
mod scale003_pdb_blocks_all_disruption;
mod scale004_hpa_behavior_blocks_scaling;

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
