//! What makes a pod a Windows pod, shared by the HARD and WIN packs: the
//! Linux hardening rules stay silent for Windows pods, and the WIN rules say
//! what applies instead.
//!
//! A pod targets Windows when `spec.os.name` is `windows`, or when its node
//! selection pins it to Windows nodes: `nodeSelector` `kubernetes.io/os:
//! windows`, or a required node affinity whose every term asks for
//! `kubernetes.io/os In [windows]` (kubernetes.io/docs/concepts/windows/user-guide/,
//! "Ensuring OS-specific workloads land on the appropriate container host").

use assay_yaml::Value;

/// The node label the kubelet sets to the node's OS.
pub(crate) const OS_LABEL: &str = "kubernetes.io/os";
/// Its deprecated predecessor, still set by kubelets and used in old manifests.
const BETA_OS_LABEL: &str = "beta.kubernetes.io/os";

/// `spec.os.name` and its node.
pub(crate) fn os_name(pod: Value<'_>) -> Option<(&str, Value<'_>)> {
    let node = pod.path(&["os", "name"])?;
    Some((node.as_str()?, node))
}

/// The OS the pod's node selection pins it to, with the node that says so:
/// the `nodeSelector` entry, else the affinity when every required term
/// asks for one and the same OS.
pub(crate) fn selector_os(pod: Value<'_>) -> Option<(&str, Value<'_>)> {
    for label in [OS_LABEL, BETA_OS_LABEL] {
        if let Some(v) = pod.path(&["nodeSelector", label])
            && let Some(text) = v.as_str()
        {
            return Some((text, v));
        }
    }
    let terms = pod.path(&[
        "affinity",
        "nodeAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "nodeSelectorTerms",
    ])?;
    let mut pinned: Option<(&str, Value<'_>)> = None;
    for term in terms.items() {
        let os = term
            .get("matchExpressions")
            .into_iter()
            .flat_map(Value::items)
            .find_map(|e| {
                let key = e.get_str("key")?;
                if (key != OS_LABEL && key != BETA_OS_LABEL) || e.get_str("operator") != Some("In")
                {
                    return None;
                }
                let values = e.get("values")?;
                let mut items = values.items();
                let first = items.next()?;
                (items.len() == 0).then_some((first.as_str()?, first))
            })?;
        match pinned {
            Some((p, _)) if p != os.0 => return None,
            _ => pinned = Some(os),
        }
    }
    pinned
}

/// A pod meant for Windows nodes, by `spec.os.name` or by its node selection.
pub(crate) fn is_windows_pod(pod: Value<'_>) -> bool {
    os_name(pod).is_some_and(|(os, _)| os == "windows")
        || selector_os(pod).is_some_and(|(os, _)| os == "windows")
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_yaml::Limits;

    fn pod(text: &str) -> bool {
        let loaded = assay_yaml::load(text.as_bytes(), &Limits::default());
        let doc = loaded.tree.documents()[0].root;
        is_windows_pod(loaded.tree.value(doc))
    }

    #[test]
    fn windows_by_os_name_selector_or_affinity() {
        assert!(pod("os: {name: windows}\n"));
        assert!(pod("nodeSelector: {kubernetes.io/os: windows}\n"));
        assert!(pod("nodeSelector: {beta.kubernetes.io/os: windows}\n"));
        assert!(pod("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]}]}}}\n"));
        assert!(!pod("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows, linux]}]}]}}}\n"));
        assert!(!pod("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]}, {matchExpressions: [{key: disk, operator: Exists}]}]}}}\n"), "one term leaves the OS open");
        assert!(!pod("nodeSelector: {kubernetes.io/os: linux}\n"));
        assert!(!pod("containers: []\n"));
    }
}
