use crate::packs::hard::POD_KINDS;
use crate::windows::selector_os;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_profile::Os;

declare_rule! {
    /// A Windows workload that tolerates none of the Windows pools' taints
    ///
    /// ## What it checks
    /// Needs `--cluster-profile`. A workload whose node selection pins it to
    /// Windows (`kubernetes.io/os: windows`), in a profile whose Windows pools
    /// that selection admits all carry a
    /// `NoSchedule` or `NoExecute` taint the pod does not tolerate — GKE taints
    /// Windows node pools `node.kubernetes.io/os=windows:NoSchedule`, and many
    /// clusters follow the Kubernetes guide's `os=windows:NoSchedule`. The
    /// finding names the taint and the toleration to add; it is reported at
    /// the pod's `tolerations`, else at the object.
    ///
    /// ## Why it matters
    /// The pod can run nowhere: Linux nodes do not match its selector and the
    /// Windows nodes repel it. It stays `Pending` with `FailedScheduling`
    /// (`assay schedule` prints the scheduler's message).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// # cluster-profile: gke-mixed
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: iis
    /// spec:
    ///   selector:
    ///     matchLabels: {app: iis}
    ///   template:
    ///     metadata:
    ///       labels: {app: iis}
    ///     spec:
    ///       nodeSelector:
    ///         kubernetes.io/os: windows
    ///       containers:
    ///         - name: iis
    ///           image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # cluster-profile: gke-mixed
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: iis
    /// spec:
    ///   selector:
    ///     matchLabels: {app: iis}
    ///   template:
    ///     metadata:
    ///       labels: {app: iis}
    ///     spec:
    ///       nodeSelector:
    ///         kubernetes.io/os: windows
    ///       tolerations:
    ///         - key: node.kubernetes.io/os
    ///           operator: Equal
    ///           value: windows
    ///           effect: NoSchedule
    ///       containers:
    ///         - name: iis
    ///           image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Windows containers user guide, "Taints and tolerations": https://kubernetes.io/docs/concepts/windows/user-guide/#taints-and-tolerations
    /// - GKE, Windows Server node pools and their taint: https://cloud.google.com/kubernetes-engine/docs/how-to/creating-a-cluster-windows
    /// - Taints and tolerations: https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
    pub(crate) struct WindowsPodWithoutToleration {
        id: "WIN003",
        name: "windows-pod-without-toleration",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for WindowsPodWithoutToleration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(profile) = ctx.cluster_profile else {
            return;
        };
        let Some(pod) = object.pod_spec() else {
            return;
        };
        // A pod that does not select Windows nodes can still go to Linux
        // nodes (WIN001's finding); this rule is about pods with nowhere to go.
        if object.kind() == "PodTemplate" || selector_os(pod).map(|(os, _)| os) != Some("windows") {
            return;
        }
        let fits: Vec<_> = assay_schedule::pool_fits(object, profile)
            .into_iter()
            .filter(|f| f.pool.os == Os::Windows && f.selected)
            .collect();
        if fits.is_empty() || fits.iter().any(|f| f.untolerated.is_none()) {
            return;
        }
        let Some(taint) = fits.iter().find_map(|f| f.untolerated) else {
            return;
        };
        let pools: Vec<String> = fits.iter().map(|f| format!("`{}`", f.pool.name)).collect();
        let location = pod
            .entry("tolerations")
            .map_or_else(|| object.anchor(), |(k, _)| object.at(k.span()));
        let toleration = format!(
            "{{key: {}, operator: Equal, value: \"{}\", effect: {}}}",
            taint.key,
            taint.value,
            taint.effect.as_str()
        );
        let f = out
            .at(
                location,
                format!(
                    "{} targets Windows, but in cluster profile {} every Windows pool it selects ({}) is tainted `{taint}` and the pod does not tolerate it; it cannot be scheduled",
                    object.display(),
                    profile.name,
                    pools.join(", ")
                ),
            )
            .object(object.display())
            .fix(format!("add the toleration `{toleration}` to the pod spec"));
        out.push(f);
    }
}
