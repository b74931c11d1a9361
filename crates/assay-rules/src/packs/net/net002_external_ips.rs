use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A Service sets `externalIPs`, the field behind CVE-2020-8554
    ///
    /// ## What it checks
    /// A Service whose `spec.externalIPs` lists at least one address,
    /// reported at the list with each address named.
    ///
    /// ## Why it matters
    /// kube-proxy on every node routes traffic addressed to an external IP
    /// to the Service's pods, whatever that IP is and whoever owns it. Any
    /// user allowed to create or update Services can therefore intercept
    /// traffic meant for another workload or an outside address
    /// (CVE-2020-8554, a design flaw with no patch). The advisory's
    /// mitigation is to forbid the field: the `DenyServiceExternalIPs`
    /// admission plugin (Kubernetes 1.22+) or a policy engine, so on a
    /// hardened cluster this Service is rejected outright.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   externalIPs: [198.51.100.10]
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Fix
    /// Expose the Service through a load balancer (the provider assigns and
    /// owns the address) or an Ingress/Gateway:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: web}
    ///   loadBalancerSourceRanges: [203.0.113.0/24]
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## References
    /// - CVE-2020-8554 advisory (Kubernetes security announcement): https://github.com/kubernetes/kubernetes/issues/97076
    /// - `DenyServiceExternalIPs` admission plugin: https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips
    /// - External IPs: https://kubernetes.io/docs/concepts/services-networking/service/#external-ips
    pub(crate) struct ExternalIps {
        id: "NET002",
        name: "service-external-ips",
        severity: Warning,
        scope: Scope::Object(&["Service"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ExternalIps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, service: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(list) = service.root.path(&["spec", "externalIPs"]) else {
            return;
        };
        let addresses: Vec<String> = list
            .items()
            .filter_map(Value::as_str)
            .filter(|a| !a.trim().is_empty())
            .map(|a| code(a).to_string())
            .collect();
        if addresses.is_empty() {
            return;
        }
        let finding = out
            .at(
                service.at(list.span()),
                format!(
                    "{} sets `externalIPs` ({}): every node's kube-proxy sends traffic for these addresses to it, whoever owns them — the traffic interception of CVE-2020-8554; clusters that follow the advisory reject the field with the `DenyServiceExternalIPs` admission plugin",
                    service.display(),
                    addresses.join(", ")
                ),
            )
            .object(service.display())
            .fix("remove `spec.externalIPs`; expose the Service as `type: LoadBalancer` (the provider owns the address) or through an Ingress or Gateway");
        out.push(finding);
    }
}
