use crate::packs::rollout::serving_service;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Deployment behind a Service runs a single replica
    ///
    /// ## What it checks
    /// A Deployment selected by a Service of the deliverable (metrics-only
    /// Services do not count; an Ingress reaches pods through a Service)
    /// that runs one pod at its smallest: the `minReplicas` of the
    /// HorizontalPodAutoscaler that scales it is 1 (the default), or, with
    /// no HPA, `spec.replicas` is 1 or unset. Not reported when the pod
    /// mounts a PersistentVolumeClaim (a single writer by design), and not
    /// for StatefulSets, whose replicas need the application's own
    /// clustering.
    ///
    /// ## Why it matters
    /// One pod is one point of failure: a node drain, an eviction, an OOM
    /// kill or a crash takes the Service to zero ready endpoints, and a
    /// PodDisruptionBudget cannot protect a single pod without blocking
    /// drains. An HPA at one replica also meets the start of every spike
    /// with one pod: the new ones need the HPA's sync period plus their
    /// start-up before they serve.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
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
    /// Run at least two replicas (or set the HPA's `minReplicas: 2`):
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   replicas: 2
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
    /// ## References
    /// - Specifying a Disruption Budget (a single-replica application cannot stay available through voluntary disruptions): https://kubernetes.io/docs/tasks/run-application/configure-pdb/#think-about-how-your-application-reacts-to-disruptions
    /// - HorizontalPodAutoscaler `minReplicas` (defaults to 1): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
    /// - Deployment `replicas` (defaults to 1): https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#replicas
    pub(crate) struct SingleReplicaBehindService {
        id: "SCALE006",
        name: "single-replica-behind-service",
        severity: Warning,
        scope: Scope::Object(&["Deployment"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for SingleReplicaBehindService {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if super::fewest_replicas(ctx, object) != Some(1) || super::mounts_claim(object) {
            return;
        }
        let Some(service) = serving_service(ctx, object) else {
            return;
        };
        let (at, why, fix) = match super::scale_link_of(ctx, object) {
            Some(link) => {
                let hpa = &link.hpa;
                let at = hpa
                    .root
                    .path(&["spec", "minReplicas"])
                    .or_else(|| hpa.root.path(&["spec", "scaleTargetRef"]))
                    .map_or_else(|| hpa.anchor(), |n| hpa.at(n.span()));
                (
                    at,
                    format!("{} lets it scale down to 1 pod", hpa.display()),
                    format!("set `minReplicas: 2` on {}", hpa.display()),
                )
            }
            None => {
                let at = object
                    .root
                    .path(&["spec", "replicas"])
                    .or_else(|| object.root.path(&["spec", "selector"]))
                    .map_or_else(|| object.anchor(), |n| object.at(n.span()));
                (
                    at,
                    "it runs 1 replica".to_owned(),
                    "set `replicas: 2` or more (or add an HPA with `minReplicas: 2`)".to_owned(),
                )
            }
        };
        let message = format!(
            "{} serves {} but {why}: a drain, eviction or crash leaves the Service with no ready endpoint",
            object.display(),
            service.display()
        );
        out.push(out.at(at, message).object(object.display()).fix(fix));
    }
}
