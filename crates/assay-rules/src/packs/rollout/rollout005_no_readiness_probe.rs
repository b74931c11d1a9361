use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ContainerKind, ObjectView};

declare_rule! {
    /// A workload behind a Service has no readiness probe
    ///
    /// ## What it checks
    /// A Deployment, StatefulSet, DaemonSet, ReplicaSet or
    /// ReplicationController selected by a Service of the deliverable
    /// (Services that only expose metrics do not count; an Ingress reaches
    /// pods through a Service) in which no regular container has a
    /// `readinessProbe`. This rule is the one owner of "no readiness
    /// probe": for an autoscaled workload the message adds what it means
    /// for the pods the HorizontalPodAutoscaler adds, and the `SCALE` pack
    /// does not report it again.
    ///
    /// ## Why it matters
    /// Without a readiness probe a pod is ready as soon as its containers
    /// start. The Service sends it requests while the application is still
    /// loading, and a rollout counts a crashing or misconfigured new
    /// version as available and goes on replacing the old, working pods:
    /// one bad image becomes an outage. Pods an HPA adds during a spike
    /// take traffic before they can serve it, so the spike's errors grow
    /// exactly when capacity was added.
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
    /// Probe an endpoint that answers only when the application can serve:
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
    ///       containers:
    ///         - name: web
    ///           image: "web:1.0"
    ///           ports: [{containerPort: 8080}]
    ///           readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5}
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
    /// - Configure liveness, readiness and startup probes ("Sometimes, applications are temporarily unable to serve traffic ... In such cases, you don't want to kill the application, but you don't want to send it requests either"): https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-readiness-probes
    /// - Pod lifecycle, container probes ("If a container does not provide a readiness probe, the default state is `Success`"): https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
    /// - Deployment rolling update counts only available pods: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-unavailable
    pub(crate) struct NoReadinessProbe {
        id: "ROLLOUT005",
        name: "no-readiness-probe",
        severity: Warning,
        scope: Scope::Object(&[
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "ReplicationController",
        ]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for NoReadinessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let containers: Vec<_> = object
            .containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::Regular)
            .collect();
        let Some(first) = containers.first() else {
            return;
        };
        if containers
            .iter()
            .any(|c| c.probe("readinessProbe").is_some())
        {
            return;
        }
        let Some(service) = super::serving_service(ctx, object) else {
            return;
        };
        let scaled = ctx
            .graph
            .scale_link_of(object.object)
            .map(|l| {
                format!(
                    "; the pods {} adds in a spike take requests before they can serve them",
                    l.hpa.display()
                )
            })
            .unwrap_or_default();
        let message = format!(
            "{} is behind {} but no container has a readinessProbe: new pods get traffic as soon as they start, and a rollout of a broken version replaces every working pod{scaled}",
            object.display(),
            service.display()
        );
        out.push(
            out.at(first.anchor(), message)
                .object(object.display())
                .fix(format!(
                    "add a `readinessProbe` to {} that passes only when it can serve requests",
                    first.describe()
                )),
        );
    }
}
