//! The `CLOUD` pack: what breaks when a deliverable moves between providers.
//! Every rule compares the deliverable with the cluster profile
//! (`--cluster-profile`): load-balancer annotations and workload identity of
//! another provider, ingress and storage classes the cluster does not have,
//! NetworkPolicies its CNI does not enforce. Without a profile the pack says
//! nothing: those are questions only the target cluster can answer.

mod cloud001_foreign_load_balancer_annotation;
mod cloud002_class_not_installed;
mod cloud003_foreign_workload_identity;
mod cloud004_network_policy_not_enforced;

use crate::Pack;
use assay_profile::Provider;

pub(crate) const PACK: Pack = Pack {
    prefix: "CLOUD",
    folder: "cloud",
    title: "Portability between cloud providers (needs a cluster profile)",
    rules: &[
        &cloud001_foreign_load_balancer_annotation::ForeignLoadBalancerAnnotation,
        &cloud002_class_not_installed::ClassNotInstalled,
        &cloud003_foreign_workload_identity::ForeignWorkloadIdentity,
        &cloud004_network_policy_not_enforced::NetworkPolicyNotEnforced,
    ],
};

/// The provider's name as users know it.
pub(crate) fn provider_name(provider: Provider) -> &'static str {
    match provider {
        Provider::Aks => "AKS (Azure)",
        Provider::Eks => "EKS (AWS)",
        Provider::Gke => "GKE (Google Cloud)",
        Provider::Kind => "kind",
        Provider::Generic => "a generic cluster",
    }
}
