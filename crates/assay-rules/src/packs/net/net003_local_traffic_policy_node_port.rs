use super::service_type;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// NodePort Service with `externalTrafficPolicy: Local`: nodes without pods drop it
    ///
    /// ## What it checks
    /// A Service of `type: NodePort` with `spec.externalTrafficPolicy:
    /// Local`. The finding names the workloads in the deliverable the
    /// Service selects.
    ///
    /// With `Local`, a node forwards a node-port connection only to pods of
    /// the Service running on that same node; a node without one drops it.
    /// A `LoadBalancer` Service with `Local` is not reported: the cloud load
    /// balancer probes each node's `healthCheckNodePort` and sends traffic
    /// only to nodes that have pods. A NodePort Service has no such probe,
    /// so whatever sends clients to node addresses (DNS, an external load
    /// balancer, users) must know where the pods run.
    ///
    /// `Cluster` (the default) forwards to any node but rewrites the
    /// client's source address, so the pods and NetworkPolicy `ipBlock`
    /// rules see a node's address instead of the client's: that trade-off is
    /// documented, not reported.
    ///
    /// ## Why it matters
    /// With two replicas on a ten-node cluster, eight of ten node addresses
    /// time out. Pods move at every rollout and node drain, so the set of
    /// nodes that answer changes under the clients.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   externalTrafficPolicy: Local
    ///   selector: {app: web}
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Fix
    /// Put a load balancer in front (`type: LoadBalancer` keeps `Local` and
    /// health-checks the nodes), or keep the default `Cluster` policy when
    /// the client address is not needed:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Local
    ///   selector: {app: web}
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## References
    /// - Traffic policies: https://kubernetes.io/docs/reference/networking/virtual-ips/#traffic-policies
    /// - Preserving the client source IP (`Local` drops packets on nodes without endpoints; health check node port): https://kubernetes.io/docs/tutorials/services/source-ip/#source-ip-for-services-with-type-nodeport
    /// - `ServiceSpec.externalTrafficPolicy`, `healthCheckNodePort`: https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
    pub(crate) struct LocalTrafficPolicyNodePort {
        id: "NET003",
        name: "local-traffic-policy-on-node-port",
        severity: Info,
        scope: Scope::Object(&["Service"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for LocalTrafficPolicyNodePort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, service: &ObjectView<'_>, out: &mut Findings<'_>) {
        if service_type(service) != "NodePort" {
            return;
        }
        let Some(policy) = service
            .root
            .path(&["spec", "externalTrafficPolicy"])
            .filter(|p| p.as_str() == Some("Local"))
        else {
            return;
        };
        let selected: Vec<String> = ctx
            .graph
            .services
            .iter()
            .filter(|s| std::ptr::eq(s.view.object.object, service.object))
            .flat_map(|s| s.selected.iter())
            .filter_map(|&i| ctx.graph.workloads.get(i))
            .flat_map(|w| w.objects.iter().map(ObjectView::display))
            .collect();
        let pods = match selected.as_slice() {
            [] => "its pods".to_owned(),
            [one] => format!("a pod of {one}"),
            [first, rest @ ..] => format!("a pod of {first} (or of {} more)", rest.len()),
        };
        let finding = out
            .at(
                service.at(policy.span()),
                format!(
                    "NodePort {} has `externalTrafficPolicy: Local`: a node forwards its node port only to a pod on that node, so connections to every node without {pods} are dropped, and no load balancer health check steers clients away",
                    service.display()
                ),
            )
            .object(service.display())
            .fix("make it `type: LoadBalancer` (the load balancer health-checks each node and skips those without pods), or remove `externalTrafficPolicy: Local` if the client address is not needed");
        out.push(finding);
    }
}
