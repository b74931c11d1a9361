use crate::packs::rollout::serving_service;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// Nothing keeps the replicas of a served workload off one node or zone
    ///
    /// ## What it checks
    /// A Deployment or StatefulSet selected by a Service of the deliverable
    /// (metrics-only Services do not count) that runs at least two
    /// replicas at its smallest (the HPA's `minReplicas`, else
    /// `spec.replicas`) and whose pod template has neither
    /// `topologySpreadConstraints` nor `affinity.podAntiAffinity`.
    ///
    /// ## Why it matters
    /// The scheduler's built-in spreading is a preference only
    /// (`ScheduleAnyway`, `maxSkew` 3 per node and 5 per zone): when nodes
    /// are full or a scale-up adds one new node, replicas land together.
    /// One node failure, drain or zone outage then takes all of them, so
    /// the replicas bought availability only on paper. The same holds for
    /// the pods an HPA adds in a spike, which the cluster autoscaler tends
    /// to place on the node it just added.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   replicas: 3
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0", ports: [{containerPort: 8080}]}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ```
    ///
    /// ## Fix
    /// Spread the replicas over zones and nodes:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   replicas: 3
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       topologySpreadConstraints:
    ///         - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}
    ///         - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
    ///       containers: [{name: web, image: "web:1.0", ports: [{containerPort: 8080}]}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ```
    ///
    /// ## References
    /// - Pod Topology Spread Constraints, cluster-level default constraints (`ScheduleAnyway`, `maxSkew` 3 for `kubernetes.io/hostname` and 5 for `topology.kubernetes.io/zone`): https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/#internal-default-constraints
    /// - Inter-pod anti-affinity: https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
    pub(crate) struct ReplicasNotSpread {
        id: "SCALE009",
        name: "replicas-not-spread",
        severity: Info,
        scope: Scope::Object(&["Deployment", "StatefulSet"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ReplicasNotSpread {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let spread = pod
            .get("topologySpreadConstraints")
            .is_some_and(|t| !t.is_null() && !t.is_empty())
            || pod.path(&["affinity", "podAntiAffinity"]).is_some();
        if spread {
            return;
        }
        let Some(replicas) = super::fewest_replicas(ctx, object).filter(|r| *r >= 2) else {
            return;
        };
        let Some(service) = serving_service(ctx, object) else {
            return;
        };
        let at = object
            .root
            .path(&["spec", "template", "spec"])
            .and_then(|s| s.entry("containers"))
            .map_or_else(|| object.anchor(), |(key, _)| object.at(key.span()));
        let message = format!(
            "{} runs at least {replicas} replicas behind {} with no `topologySpreadConstraints` or pod anti-affinity: the scheduler's default spreading is only a preference, so one node or zone can hold them all",
            object.display(),
            service.display()
        );
        out.push(
            out.at(at, message)
                .object(object.display())
                .fix("add `topologySpreadConstraints` over `kubernetes.io/hostname` and `topology.kubernetes.io/zone` with the pods' labels"),
        );
    }
}
