use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A StatefulSet's governing Service is not headless or does not select its pods
    ///
    /// ## What it checks
    /// A StatefulSet whose `spec.serviceName` names a Service of the
    /// deliverable (same namespace) that either has a cluster IP (its
    /// `clusterIP` is not `None`) or whose selector does not match the
    /// StatefulSet's pod template labels. A Service missing from the
    /// deliverable is `GRAPH009`.
    ///
    /// ## Why it matters
    /// The governing Service gives each pod its stable DNS name
    /// (`web-0.nginx.shop.svc.cluster.local`): the records exist only for a
    /// headless Service whose endpoints are the StatefulSet's pods. With a
    /// cluster IP, or a selector that misses the pods, the per-pod names do
    /// not resolve, so peers that find each other by name (databases,
    /// brokers, consensus clusters) never form.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: db, namespace: shop}
    /// spec:
    ///   selector: {app: db}
    ///   ports: [{port: 5432}]
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata: {name: db, namespace: shop}
    /// spec:
    ///   serviceName: db
    ///   selector: {matchLabels: {app: db}}
    ///   template:
    ///     metadata: {labels: {app: db}}
    ///     spec: {containers: [{name: db, image: "postgres:16.4"}]}
    /// ```
    ///
    /// ## Fix
    /// Make the governing Service headless (a second, ClusterIP Service can
    /// serve clients) and select the pods:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: db, namespace: shop}
    /// spec:
    ///   clusterIP: None
    ///   selector: {app: db}
    ///   ports: [{port: 5432}]
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata: {name: db, namespace: shop}
    /// spec:
    ///   serviceName: db
    ///   selector: {matchLabels: {app: db}}
    ///   template:
    ///     metadata: {labels: {app: db}}
    ///     spec: {containers: [{name: db, image: "postgres:16.4"}]}
    /// ```
    ///
    /// ## References
    /// - StatefulSet limitations ("You are responsible for creating this Service", a headless Service): https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#limitations
    /// - Stable network ID: https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id
    /// - Headless Services and their DNS records: https://kubernetes.io/docs/concepts/services-networking/service/#headless-services
    pub(crate) struct StatefulSetServiceNotHeadless {
        id: "GRAPH014",
        name: "statefulset-service-not-headless",
        severity: Warning,
        scope: Scope::Object(&["StatefulSet"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for StatefulSetServiceNotHeadless {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(name_node) = object.root.path(&["spec", "serviceName"]) else {
            return;
        };
        let Some(name) = name_node.as_str().filter(|n| !n.is_empty()) else {
            return;
        };
        let namespace = object.object.namespace.as_deref().unwrap_or("default");
        let Some(service) = ctx
            .graph
            .services
            .iter()
            .find(|s| s.namespace == namespace && s.name == name)
        else {
            return;
        };
        let service_object = service.view.object;
        let cluster_ip = service_object.root.path(&["spec", "clusterIP"]);
        let headless = cluster_ip.and_then(Value::as_str) == Some("None");
        let selects_pods = ctx
            .graph
            .workloads
            .iter()
            .filter(|w| {
                w.objects
                    .iter()
                    .any(|o| std::ptr::eq(o.object, object.object))
            })
            .any(|w| !service.selector.is_empty() && service.selector.matches(&w.labels));
        let problem = match (headless, selects_pods) {
            (true, true) => return,
            (false, true) => format!(
                "is not headless ({}), so the pods get no per-pod DNS names",
                cluster_ip
                    .and_then(Value::as_str)
                    .map_or_else(|| "it gets a cluster IP".to_owned(), |ip| format!("`clusterIP` is {}", code(ip)))
            ),
            (true, false) => "does not select the StatefulSet's pods, so no per-pod DNS records are made".to_owned(),
            (false, false) => "is not headless and does not select the StatefulSet's pods, so the pods get no per-pod DNS names".to_owned(),
        };
        let finding = out
            .at(
                object.at(name_node.span()),
                format!(
                    "{}'s governing Service {} {problem}",
                    object.display(),
                    code(name)
                ),
            )
            .object(object.display())
            .label(
                cluster_ip.map_or_else(|| service_object.anchor(), |ip| service_object.at(ip.span())),
                format!("{} is the governing Service", service_object.display()),
            )
            .fix(format!(
                "set `clusterIP: None` on Service {} and make its selector match the pod template labels; serve clients from a separate ClusterIP Service if needed",
                code(name)
            ));
        out.push(finding);
    }
}
