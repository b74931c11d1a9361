use super::targets_windows;
use crate::packs::hard::POD_KINDS;
use crate::windows::selector_os;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::Severity;
use assay_model::ObjectView;
use assay_profile::Os;

declare_rule! {
    /// A Linux workload that the cluster profile would also place on Windows nodes
    ///
    /// ## What it checks
    /// Needs `--cluster-profile`. A workload that does not target Windows (no
    /// `spec.os.name: windows`, no Windows node selection, no Windows image)
    /// and does not select Linux nodes, in a profile with a Windows pool that
    /// its node selection admits and whose taints it tolerates (or that has no
    /// taints: AKS and EKS do not taint Windows nodes). A DaemonSet is an
    /// error — it puts a pod on every such Windows node, for certain — any
    /// other workload is info: its replicas may or may not land there.
    /// Reported at the pod's `nodeSelector`, else at the object.
    ///
    /// ## Why it matters
    /// A Linux image cannot run on a Windows node: the pod stays in
    /// `ContainerCreating` / `CrashLoopBackOff` there. CNI plugins, kube-proxy,
    /// log and metrics agents shipped as DaemonSets without an OS selector are
    /// the classic case, but any Deployment replica can land there too.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// # cluster-profile: aks-mixed
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: log-agent
    ///   namespace: logging
    /// spec:
    ///   selector:
    ///     matchLabels: {app: log-agent}
    ///   template:
    ///     metadata:
    ///       labels: {app: log-agent}
    ///     spec:
    ///       containers:
    ///         - name: agent
    ///           image: fluent/fluent-bit:3.1
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # cluster-profile: aks-mixed
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: log-agent
    ///   namespace: logging
    /// spec:
    ///   selector:
    ///     matchLabels: {app: log-agent}
    ///   template:
    ///     metadata:
    ///       labels: {app: log-agent}
    ///     spec:
    ///       nodeSelector:
    ///         kubernetes.io/os: linux
    ///       containers:
    ///         - name: agent
    ///           image: fluent/fluent-bit:3.1
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Windows containers user guide, "Ensuring OS-specific workloads land on the appropriate container host": https://kubernetes.io/docs/concepts/windows/user-guide/
    /// - AKS: Windows nodes are not tainted by default; use node selectors: https://learn.microsoft.com/azure/aks/windows-faq
    /// - EKS: Windows support, node selectors for Linux workloads: https://docs.aws.amazon.com/eks/latest/userguide/windows-support.html
    pub(crate) struct LinuxPodLandsOnWindows {
        id: "WIN002",
        name: "linux-pod-lands-on-windows",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for LinuxPodLandsOnWindows {
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
        if object.kind() == "PodTemplate" || targets_windows(object) || selector_os(pod).is_some() {
            return;
        }
        let pools: Vec<String> = assay_schedule::pool_fits(object, profile)
            .into_iter()
            .filter(|f| f.pool.os == Os::Windows && f.admits())
            .map(|f| {
                let taints = if f.pool.taints.is_empty() {
                    "untainted"
                } else {
                    "its taints tolerated"
                };
                format!("`{}` ({taints})", f.pool.name)
            })
            .collect();
        if pools.is_empty() {
            return;
        }
        let daemon = object.kind() == "DaemonSet";
        let what = if daemon {
            "puts a pod on every node of the Windows pool(s)"
        } else {
            "may place replicas on the Windows pool(s)"
        };
        let location = pod
            .entry("nodeSelector")
            .map_or_else(|| object.anchor(), |(k, _)| object.at(k.span()));
        let mut f = out
            .at(
                location,
                format!(
                    "{} does not select Linux nodes; in cluster profile {} it {what} {}, where a Linux image cannot run",
                    object.display(),
                    profile.name,
                    pools.join(", ")
                ),
            )
            .object(object.display())
            .fix("add `nodeSelector: {kubernetes.io/os: linux}` to the pod spec");
        if !daemon {
            f.severity = Severity::Info;
        }
        out.push(f);
    }
}
