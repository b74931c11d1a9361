use crate::packs::win::targets_windows;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{LabelSelector, NetworkPolicyView, ObjectView, labels_of};
use assay_profile::Os;

declare_rule! {
    /// A NetworkPolicy that the cluster profile's CNI does not enforce
    ///
    /// ## What it checks
    /// Needs `--cluster-profile` with `installed`. A NetworkPolicy in a cluster
    /// whose CNI does not enforce NetworkPolicy (`cni.networkPolicy.linux:
    /// false`, such as AKS without a network policy engine), or one whose
    /// CNI enforces it on Linux only while the policy selects Windows
    /// workloads of the deliverable (same namespace, pod labels matching
    /// `podSelector`). Reported at `kind`.
    ///
    /// ## Why it matters
    /// NetworkPolicy is only an API object: without an enforcing CNI every pod
    /// can still reach every other pod. The deliverable looks segmented and is
    /// not. Windows support differs per CNI (Calico and Antrea enforce it,
    /// others do not or only for ingress).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// # cluster-profile: aks-mixed
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # cluster-profile: linux-only
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// ## References
    /// - Network policies need a network plugin that implements them: https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites
    /// - Windows networking, network policy support by CNI: https://kubernetes.io/docs/concepts/services-networking/windows-networking/
    /// - AKS network policy engines: https://learn.microsoft.com/azure/aks/use-network-policies
    pub(crate) struct NetworkPolicyNotEnforced {
        id: "CLOUD004",
        name: "network-policy-not-enforced",
        severity: Warning,
        scope: Scope::Object(&["NetworkPolicy"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for NetworkPolicyNotEnforced {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(profile) = ctx.cluster_profile.filter(|p| p.knows_installed) else {
            return;
        };
        let Some(policy) = NetworkPolicyView::new(*object) else {
            return;
        };
        let installed = &profile.installed;
        let location = object
            .root
            .entry("kind")
            .map_or_else(|| object.anchor(), |(k, _)| object.at(k.span()));
        let cni = if installed.cni.is_empty() {
            "its CNI"
        } else {
            installed.cni.as_str()
        };
        let message = if !installed.network_policy_linux {
            format!(
                "{} is not enforced: in cluster profile {} the CNI ({cni}) enforces no NetworkPolicy, so every pod stays reachable",
                object.display(),
                profile.name
            )
        } else if !installed.network_policy_windows
            && profile.pools_of(Os::Windows).next().is_some()
        {
            let selector: LabelSelector<'_> = policy.pod_selector();
            let namespace = object.object.namespace.as_deref().unwrap_or("default");
            let windows: Vec<String> = object
                .model
                .object_views()
                .filter(|w| w.pod_spec().is_some() && w.kind() != "PodTemplate")
                .filter(|w| w.object.namespace.as_deref().unwrap_or("default") == namespace)
                .filter(|w| targets_windows(w) && selector.matches(&labels_of(w.pod_metadata())))
                .map(|w| w.display())
                .collect();
            if windows.is_empty() {
                return;
            }
            format!(
                "{} selects Windows workloads ({}), but in cluster profile {} the CNI ({cni}) enforces NetworkPolicy on Linux nodes only",
                object.display(),
                windows.join(", "),
                profile.name
            )
        } else {
            return;
        };
        let f = out
            .at(location, message)
            .object(object.display())
            .fix("enable a network policy engine that covers these nodes (Calico, Cilium, Antrea, Azure NPM), or do not rely on this policy");
        out.push(f);
    }
}
