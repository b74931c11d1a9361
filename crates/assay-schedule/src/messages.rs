//! The kube-scheduler's filter failure reasons and its `FailedScheduling`
//! message, word for word, per Kubernetes release. Each string cites the
//! source file that defines it (kubernetes/kubernetes, `pkg/scheduler/...`).

use assay_profile::{Release, Taint};
use std::collections::BTreeMap;

/// `nodeunschedulable/node_unschedulable.go`, `ErrReasonUnschedulable`.
pub const NODE_UNSCHEDULABLE: &str = "node(s) were unschedulable";
/// `nodename/node_name.go`, `ErrReason`.
pub const NODE_NAME: &str = "node(s) didn't match the requested node name";
/// `nodeaffinity/node_affinity.go`, `ErrReasonPod`.
pub const NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
/// `nodeports/node_ports.go`, `ErrReason`.
pub const NODE_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";
/// `noderesources/fit.go`: `"Insufficient " + resource name`, and
/// `"Too many pods"` when the node's pod count is at `allocatable.pods`.
pub const TOO_MANY_PODS: &str = "Too many pods";
/// `podtopologyspread/filtering.go`, `ErrReasonConstraintsNotMatch`.
pub const TOPOLOGY_SPREAD: &str = "node(s) didn't match pod topology spread constraints";
/// `podtopologyspread/filtering.go`, `ErrReasonNodeLabelNotMatch`.
pub const TOPOLOGY_SPREAD_MISSING_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";
/// `interpodaffinity/filtering.go`, `ErrReasonAffinityRulesNotMatch`.
pub const POD_AFFINITY: &str = "node(s) didn't match pod affinity rules";
/// `interpodaffinity/filtering.go`, `ErrReasonAntiAffinityRulesNotMatch`.
pub const POD_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
/// `interpodaffinity/filtering.go`, `ErrReasonExistingAntiAffinityRulesNotMatch`.
pub const EXISTING_ANTI_AFFINITY: &str = "node(s) didn't satisfy existing pods anti-affinity rules";

/// `noderesources/fit.go`: the reason for one resource that does not fit.
#[must_use]
pub fn insufficient(resource: &str) -> String {
    format!("Insufficient {resource}")
}

/// Which wording of the TaintToleration reason a release prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaintWording {
    /// Up to 1.24: `node(s) had taint {key: value}, that the pod didn't tolerate`.
    HadTaint,
    /// 1.25 to 1.34.1: `node(s) had untolerated taint {key: value}`
    /// (kubernetes/kubernetes#109119, released in 1.25).
    Untolerated,
    /// 1.34.2 and 1.35 on: `node(s) had untolerated taint(s)`; taint keys and
    /// values were removed from pod statuses (kubernetes/kubernetes#134740 in
    /// 1.35.0, cherry-picked as #135023 into 1.34.2; CHANGELOG-1.34.md, v1.34.2).
    Generic,
}

impl TaintWording {
    #[must_use]
    pub fn of(release: Release) -> TaintWording {
        match (release.major, release.minor, release.patch) {
            (1, ..=24, _) => TaintWording::HadTaint,
            (1, 25..=33, _) | (1, 34, Some(0 | 1)) => TaintWording::Untolerated,
            _ => TaintWording::Generic,
        }
    }
}

/// `tainttoleration/taint_toleration.go`, `Filter`: the reason for the first
/// untolerated taint of a node.
#[must_use]
pub fn untolerated_taint(release: Release, taint: &Taint) -> String {
    match TaintWording::of(release) {
        TaintWording::HadTaint => format!(
            "node(s) had taint {{{}: {}}}, that the pod didn't tolerate",
            taint.key, taint.value
        ),
        TaintWording::Untolerated => {
            format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key, taint.value
            )
        }
        TaintWording::Generic => "node(s) had untolerated taint(s)".to_owned(),
    }
}

/// `FitError.Error()` in `pkg/scheduler/framework/types.go`: `0/N nodes are
/// available: ` and each reason prefixed with the number of nodes that gave
/// it, sorted as strings (Go's `sort.Strings`, byte order) and joined with
/// `, `, then a full stop. The `preemption: …` suffix the scheduler appends
/// from its PostFilter plugin is not modelled.
#[must_use]
pub fn fit_error(total_nodes: u64, reasons: &BTreeMap<String, u64>) -> String {
    let mut parts: Vec<String> = reasons
        .iter()
        .map(|(reason, count)| format!("{count} {reason}"))
        .collect();
    parts.sort();
    let mut out = format!("0/{total_nodes} nodes are available:");
    if !parts.is_empty() {
        out.push(' ');
        out.push_str(&parts.join(", "));
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_profile::TaintEffect;

    fn release(text: &str) -> Release {
        Release::parse(text).unwrap()
    }

    #[test]
    fn taint_wording_follows_the_release() {
        let taint = Taint {
            key: "os".into(),
            value: "windows".into(),
            effect: TaintEffect::NoSchedule,
        };
        assert_eq!(
            untolerated_taint(release("1.24"), &taint),
            "node(s) had taint {os: windows}, that the pod didn't tolerate"
        );
        assert_eq!(
            untolerated_taint(release("1.33"), &taint),
            "node(s) had untolerated taint {os: windows}"
        );
        assert_eq!(
            untolerated_taint(release("1.34.1"), &taint),
            "node(s) had untolerated taint {os: windows}"
        );
        assert_eq!(
            untolerated_taint(release("1.34.2"), &taint),
            "node(s) had untolerated taint(s)"
        );
        assert_eq!(
            untolerated_taint(release("1.34"), &taint),
            "node(s) had untolerated taint(s)"
        );
        assert_eq!(
            untolerated_taint(release("1.35"), &taint),
            "node(s) had untolerated taint(s)"
        );
    }

    #[test]
    fn reasons_are_counted_and_sorted_as_strings() {
        let mut reasons = BTreeMap::new();
        reasons.insert(NODE_AFFINITY.to_owned(), 8);
        reasons.insert("node(s) had untolerated taint {os: windows}".to_owned(), 4);
        assert_eq!(
            fit_error(12, &reasons),
            "0/12 nodes are available: 4 node(s) had untolerated taint {os: windows}, 8 node(s) didn't match Pod's node affinity/selector."
        );
        // Byte order, as Go sorts: "12 …" before "3 …".
        let mut reasons = BTreeMap::new();
        reasons.insert(insufficient("cpu"), 3);
        reasons.insert(insufficient("memory"), 12);
        assert_eq!(
            fit_error(15, &reasons),
            "0/15 nodes are available: 12 Insufficient memory, 3 Insufficient cpu."
        );
    }
}
