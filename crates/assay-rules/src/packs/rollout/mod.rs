//! The `ROLLOUT` pack: what turns a routine rollout into an outage or
//! leaves no way back — no revision history, strategies that stop every pod
//! before new ones are ready, probes that can never succeed.

mod rollout001_no_revision_history;
mod rollout002_probe_port_not_declared;
mod rollout003_rollout_stops_all_pods;
mod rollout004_liveness_same_as_readiness;
mod rollout005_no_readiness_probe;
mod rollout006_liveness_kills_slow_start;
mod rollout007_stale_image_on_node;
mod rollout008_progress_deadline_too_short;
mod rollout009_config_key_missing;
mod rollout010_config_change_does_not_roll;
mod rollout011_immutable_field_changed;

use crate::{Context, Pack};
use assay_graph::ServiceNode;
use assay_model::ObjectView;

pub(crate) const PACK: Pack = Pack {
    prefix: "ROLLOUT",
    folder: "rollout",
    title: "Rollouts and rollbacks",
    rules: &[
        &rollout001_no_revision_history::NoRevisionHistory,
        &rollout002_probe_port_not_declared::ProbePortNotDeclared,
        &rollout003_rollout_stops_all_pods::RolloutStopsAllPods,
        &rollout004_liveness_same_as_readiness::LivenessSameAsReadiness,
        &rollout005_no_readiness_probe::NoReadinessProbe,
        &rollout006_liveness_kills_slow_start::LivenessKillsSlowStart,
        &rollout007_stale_image_on_node::StaleImageOnNode,
        &rollout008_progress_deadline_too_short::ProgressDeadlineTooShort,
        &rollout009_config_key_missing::ConfigKeyMissing,
        &rollout010_config_change_does_not_roll::ConfigChangeDoesNotRoll,
        &rollout011_immutable_field_changed::ImmutableFieldChanged,
    ],
};

/// A Service that only exposes metrics (`argocd-...-metrics`, every port
/// named `metrics`): scrapers tolerate a gap, users never call it.
fn metrics_only(service: &ServiceNode<'_>) -> bool {
    service.name.ends_with("-metrics")
        || (!service.ports.is_empty()
            && service
                .ports
                .iter()
                .all(|p| p.name.is_some_and(|n| n.contains("metrics"))))
}

/// The first Service of the deliverable that sends users' traffic to the
/// pods of `object` (metrics-only Services do not count). Ingresses reach
/// pods through a Service, so this covers them too.
pub(crate) fn serving_service<'g>(
    ctx: &'g Context<'_>,
    object: &ObjectView<'_>,
) -> Option<&'g ServiceNode<'g>> {
    let graph = ctx.graph;
    let index = graph.workload_index(object.object)?;
    graph
        .services_selecting(index)
        .iter()
        .filter_map(|&s| graph.services.get(s))
        .find(|s| !metrics_only(s))
}
