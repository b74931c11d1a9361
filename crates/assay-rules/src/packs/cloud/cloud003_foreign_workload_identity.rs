use super::provider_name;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_profile::Provider;
use assay_yaml::Value;

/// Workload-identity keys and the provider whose webhook reads them.
const IDENTITY_KEYS: &[(&str, Provider)] = &[
    ("eks.amazonaws.com/role-arn", Provider::Eks),
    ("azure.workload.identity/client-id", Provider::Aks),
    ("azure.workload.identity/use", Provider::Aks),
    ("iam.gke.io/gcp-service-account", Provider::Gke),
];

declare_rule! {
    /// A workload-identity annotation of another provider than the cluster's
    ///
    /// ## What it checks
    /// Needs `--cluster-profile`. ServiceAccount annotations
    /// `eks.amazonaws.com/role-arn` (EKS IAM roles for service accounts),
    /// `azure.workload.identity/client-id` (Azure workload identity) and
    /// `iam.gke.io/gcp-service-account` (GKE Workload Identity), and the pod
    /// label `azure.workload.identity/use`, when the profile's provider is
    /// another one. Reported at each key.
    ///
    /// ## Why it matters
    /// No webhook or metadata server honours the foreign annotation: the pods
    /// get no cloud credentials and their calls to storage, queues or secrets
    /// fail with authorization errors at run time.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// # cluster-profile: gke-mixed
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: uploader
    ///   annotations:
    ///     eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/uploader
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # cluster-profile: gke-mixed
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: uploader
    ///   annotations:
    ///     iam.gke.io/gcp-service-account: uploader@project.iam.gserviceaccount.com
    /// ```
    ///
    /// ## References
    /// - EKS IAM roles for service accounts: https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
    /// - Azure workload identity: https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html
    /// - GKE Workload Identity: https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
    pub(crate) struct ForeignWorkloadIdentity {
        id: "CLOUD003",
        name: "foreign-workload-identity",
        severity: Warning,
        scope: Scope::Object(&[
            "ServiceAccount",
            "Pod",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "Job",
            "CronJob",
        ]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for ForeignWorkloadIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(profile) = ctx.cluster_profile else {
            return;
        };
        let maps: Vec<Value<'_>> = if object.kind() == "ServiceAccount" {
            object
                .metadata()
                .and_then(|m| m.get("annotations"))
                .into_iter()
                .collect()
        } else {
            object
                .pod_metadata()
                .and_then(|m| m.get("labels"))
                .into_iter()
                .collect()
        };
        for (key, _) in maps.into_iter().flat_map(Value::entries) {
            let Some(name) = key.as_str() else { continue };
            let Some((_, owner)) = IDENTITY_KEYS.iter().find(|(k, _)| *k == name) else {
                continue;
            };
            if *owner == profile.provider {
                continue;
            }
            let f = out
                .at(
                    object.at(key.span()),
                    format!(
                        "{} uses the {} workload identity key `{name}`, but cluster profile {} is {}: its pods get no cloud credentials",
                        object.display(),
                        provider_name(*owner),
                        profile.name,
                        provider_name(profile.provider)
                    ),
                )
                .object(object.display())
                .fix(format!("bind the identity the {} way", provider_name(profile.provider)));
            out.push(f);
        }
    }
}
