use super::provider_name;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_profile::Provider;
use assay_yaml::Value;

/// Service annotation prefixes read by each provider's load-balancer controller.
const LOAD_BALANCER_PREFIXES: &[(&str, Provider)] = &[
    ("service.beta.kubernetes.io/azure-", Provider::Aks),
    (
        "service.beta.kubernetes.io/aws-load-balancer-",
        Provider::Eks,
    ),
    ("cloud.google.com/load-balancer-type", Provider::Gke),
    ("networking.gke.io/", Provider::Gke),
];

declare_rule! {
    /// A Service load-balancer annotation of another provider than the cluster's
    ///
    /// ## What it checks
    /// Needs `--cluster-profile`. Service annotations read by one provider's
    /// load-balancer controller — `service.beta.kubernetes.io/azure-*` (AKS),
    /// `service.beta.kubernetes.io/aws-load-balancer-*` (EKS),
    /// `cloud.google.com/load-balancer-type` and `networking.gke.io/*` (GKE) —
    /// on a Service for a cluster of another provider (kind and generic
    /// clusters read none of them). Reported at each annotation key.
    ///
    /// ## Why it matters
    /// The annotation is ignored: an "internal" load balancer becomes a public
    /// one, a TLS or health-check setting silently disappears. Each provider
    /// has its own annotation for the same intent.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// # cluster-profile: aks-mixed
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   annotations:
    ///     service.beta.kubernetes.io/aws-load-balancer-internal: "true"
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: api}
    ///   ports: [{port: 443}]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # cluster-profile: aks-mixed
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   annotations:
    ///     service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: api}
    ///   ports: [{port: 443}]
    /// ```
    ///
    /// ## References
    /// - AKS internal load balancer annotations: https://learn.microsoft.com/azure/aks/internal-lb
    /// - AWS Load Balancer Controller Service annotations: https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
    /// - GKE LoadBalancer Service parameters: https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters
    pub(crate) struct ForeignLoadBalancerAnnotation {
        id: "CLOUD001",
        name: "foreign-load-balancer-annotation",
        severity: Warning,
        scope: Scope::Object(&["Service"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for ForeignLoadBalancerAnnotation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(profile) = ctx.cluster_profile else {
            return;
        };
        let annotations = object.metadata().and_then(|m| m.get("annotations"));
        for (key, _) in annotations.into_iter().flat_map(Value::entries) {
            let Some(name) = key.as_str() else { continue };
            let Some((_, owner)) = LOAD_BALANCER_PREFIXES
                .iter()
                .find(|(p, _)| name.starts_with(p))
            else {
                continue;
            };
            if *owner == profile.provider {
                continue;
            }
            let f = out
                .at(
                    object.at(key.span()),
                    format!(
                        "{} has the {} load-balancer annotation `{name}`, but cluster profile {} is {}: the annotation is ignored there",
                        object.display(),
                        provider_name(*owner),
                        profile.name,
                        provider_name(profile.provider)
                    ),
                )
                .object(object.display())
                .fix(format!("use the {} annotation for the same setting, or remove it", provider_name(profile.provider)));
            out.push(f);
        }
    }
}
