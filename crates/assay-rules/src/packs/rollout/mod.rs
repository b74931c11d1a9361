//! The `ROLLOUT` pack: what turns a routine rollout into an outage or
//! leaves no way back — no revision history, strategies that stop every pod
//! before new ones are ready, probes that can never succeed.

mod rollout001_no_revision_history;
mod rollout002_probe_port_not_declared;
mod rollout003_rollout_stops_all_pods;
mod rollout004_liveness_same_as_readiness;
mod rollout011_immutable_field_changed;

use crate::Pack;

pub(crate) const PACK: Pack = Pack {
    prefix: "ROLLOUT",
    folder: "rollout",
    title: "Rollouts and rollbacks",
    rules: &[
        &rollout001_no_revision_history::NoRevisionHistory,
        &rollout002_probe_port_not_declared::ProbePortNotDeclared,
        &rollout003_rollout_stops_all_pods::RolloutStopsAllPods,
        &rollout004_liveness_same_as_readiness::LivenessSameAsReadiness,
        &rollout011_immutable_field_changed::ImmutableFieldChanged,
    ],
};
