use super::{service_type, type_location};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A NodePort or LoadBalancer Service open to every client address
    ///
    /// ## What it checks
    /// A Service of `type: LoadBalancer` without `spec.loadBalancerSourceRanges`
    /// (nor the older `service.beta.kubernetes.io/load-balancer-source-ranges`
    /// annotation), unless an annotation asks the cloud provider for an
    /// internal load balancer (AWS, Azure, GCP, Oracle, IBM, Alibaba).
    /// A Service of `type: NodePort`, which cannot have source ranges at all:
    /// the field applies to load balancers only, so every node accepts the
    /// port from any client that can reach the node.
    ///
    /// The finding is an info: exposing a Service may be the intent; the
    /// point is that nothing in the deliverable restricts who connects.
    ///
    /// ## Why it matters
    /// A load balancer without source ranges accepts connections from the
    /// whole internet (or the whole VPC); admin consoles, databases and
    /// metrics endpoints exposed this way are found by scanners within
    /// hours. A node port opens the port on every node's addresses,
    /// bypassing the load balancer and any Ingress in front.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: admin}
    ///   ports:
    ///     - port: 443
    /// ```
    ///
    /// ## Fix
    /// List the client networks allowed to connect; for a NodePort Service,
    /// use a ClusterIP Service behind an Ingress or Gateway instead, or
    /// restrict the node port with a firewall or a NetworkPolicy `ipBlock`:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: admin}
    ///   loadBalancerSourceRanges: [203.0.113.0/24]
    ///   ports:
    ///     - port: 443
    /// ```
    ///
    /// ## References
    /// - `loadBalancerSourceRanges`: https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#restricting-load-balancer-access
    /// - Service types, NodePort: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
    /// - `ServiceSpec.loadBalancerSourceRanges` ("ignored if the cloud-provider does not support the feature"): https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
    /// - CIS Kubernetes Benchmark 5.x (minimise externally exposed services) and KICS "Service Type is NodePort" / "Service With External Load Balancer"
    pub(crate) struct ExposedWithoutSourceRanges {
        id: "NET001",
        name: "service-exposed-without-source-ranges",
        severity: Info,
        scope: Scope::Object(&["Service"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// Annotations (key, value; `None`: any value but `false`, as the legacy
/// AWS provider reads it) that make a cloud load balancer internal, i.e.
/// reachable from the private network only.
const INTERNAL_LOAD_BALANCER: &[(&str, Option<&str>)] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        None,
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        Some("internal"),
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        Some("true"),
    ),
    ("networking.gke.io/load-balancer-type", Some("Internal")),
    ("cloud.google.com/load-balancer-type", Some("Internal")),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        Some("true"),
    ),
    (
        "service.kubernetes.io/oci-load-balancer-internal",
        Some("true"),
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        Some("private"),
    ),
    (
        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
        Some("intranet"),
    ),
];

const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

impl Rule for ExposedWithoutSourceRanges {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, service: &ObjectView<'_>, out: &mut Findings<'_>) {
        let annotations: Vec<(&str, &str)> = service
            .metadata()
            .and_then(|m| m.get("annotations"))
            .into_iter()
            .flat_map(Value::entries)
            .filter_map(|(k, v)| Some((k.as_str()?, v.as_str().unwrap_or_default())))
            .collect();
        let ports = node_ports(service);
        let (message, fix) = match service_type(service) {
            "LoadBalancer" => {
                let ranges = service
                    .root
                    .path(&["spec", "loadBalancerSourceRanges"])
                    .is_some_and(|r| r.items().next().is_some());
                let internal = annotations.iter().any(|(key, value)| {
                    INTERNAL_LOAD_BALANCER.iter().any(|(k, v)| {
                        k == key
                            && match v {
                                Some(v) => v.eq_ignore_ascii_case(value.trim()),
                                None => !value.trim().is_empty() && !value.trim().eq_ignore_ascii_case("false"),
                            }
                    })
                });
                if ranges || internal || annotations.iter().any(|(k, v)| *k == SOURCE_RANGES_ANNOTATION && !v.trim().is_empty()) {
                    return;
                }
                (
                    format!(
                        "LoadBalancer {} sets no `loadBalancerSourceRanges`, so its load balancer accepts {ports} from any client address",
                        service.display()
                    ),
                    "list the client networks under `spec.loadBalancerSourceRanges` (CIDRs), or request an internal load balancer with the provider's annotation".to_owned(),
                )
            }
            "NodePort" => (
                format!(
                    "NodePort {} opens node ports for {ports} on every node, reachable by any client that can reach a node (a NodePort Service cannot have source ranges: they apply to load balancers only)",
                    service.display()
                ),
                "use a ClusterIP Service behind an Ingress or Gateway; if the node port must stay, restrict it with the nodes' firewall or security groups".to_owned(),
            ),
            _ => return,
        };
        let finding = out
            .at(type_location(service), message)
            .object(service.display())
            .fix(fix);
        out.push(finding);
    }
}

/// `port 443` / `ports 80, 443` (the Service ports, as written).
fn node_ports(service: &ObjectView<'_>) -> String {
    let ports: Vec<String> = service
        .root
        .path(&["spec", "ports"])
        .into_iter()
        .flat_map(Value::items)
        .filter_map(|p| p.get("port"))
        .filter_map(|p| p.as_str().map(|s| code(s).to_string()))
        .collect();
    match ports.as_slice() {
        [] => "its ports".to_owned(),
        [one] => format!("port {one}"),
        many => format!("ports {}", many.join(", ")),
    }
}
