use crate::packs::rollout::serving_service;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ContainerKind, ObjectView, k8s_int};
use assay_yaml::Value;

declare_rule! {
    /// Pods behind a Service are stopped before they leave its endpoints
    ///
    /// ## What it checks
    /// A Deployment or StatefulSet selected by a Service of the deliverable
    /// (metrics-only Services do not count), one finding per workload:
    ///
    /// - `terminationGracePeriodSeconds: 0`;
    /// - a `preStop` hook that sleeps (`sleep.seconds`, or an `exec`
    ///   command running `sleep N`) at least as long as the grace period
    ///   (`terminationGracePeriodSeconds`, default 30);
    /// - when an HPA scales it (so pods are removed routinely, not only at
    ///   rollouts): no regular container has a `preStop` hook.
    ///
    /// ## Why it matters
    /// When a pod is deleted, the kubelet's SIGTERM and the removal of the
    /// pod from the Service's EndpointSlices happen at the same time; kube-
    /// proxy and ingress controllers keep sending new requests to it for a
    /// few seconds. A short `preStop` sleep keeps the pod serving through
    /// that window, and the grace period must leave time after it for the
    /// application to finish its requests. Without either, every
    /// scale-down and rollout resets in-flight connections: the HPA turns
    /// each dip in traffic into a burst of errors.
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
    ///     spec:
    ///       terminationGracePeriodSeconds: 10
    ///       containers:
    ///         - name: web
    ///           image: "web:1.0"
    ///           ports: [{containerPort: 8080}]
    ///           lifecycle: {preStop: {sleep: {seconds: 15}}}
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
    /// Sleep a few seconds before shutdown and leave time after it:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       terminationGracePeriodSeconds: 45
    ///       containers:
    ///         - name: web
    ///           image: "web:1.0"
    ///           ports: [{containerPort: 8080}]
    ///           lifecycle: {preStop: {sleep: {seconds: 15}}}
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
    /// - Pod lifecycle, termination of Pods (the endpoint removal and SIGTERM run concurrently; "If the preStop hook is still running after the grace period expires, the kubelet requests a small, one-off grace period extension of 2 seconds"): https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
    /// - Container hooks, `preStop` and the `sleep` action: https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
    /// - EndpointSlices, terminating endpoints: https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions
    pub(crate) struct NoGracefulScaleDown {
        id: "SCALE010",
        name: "no-graceful-scale-down",
        severity: Info,
        scope: Scope::Object(&["Deployment", "StatefulSet"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// Seconds a `preStop` hook sleeps: `sleep.seconds`, or `sleep N` in an
/// `exec` command.
fn pre_stop_sleep(hook: Value<'_>) -> Option<i64> {
    if let Some(seconds) = hook.path(&["sleep", "seconds"]) {
        return k8s_int(seconds);
    }
    let words: Vec<&str> = hook
        .path(&["exec", "command"])?
        .items()
        .filter_map(Value::as_str)
        .flat_map(|part| part.split([' ', ';', '&']))
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .find(|pair| pair.first().is_some_and(|w| w.ends_with("sleep")))
        .and_then(|pair| pair.get(1)?.parse().ok())
}

impl Rule for NoGracefulScaleDown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let Some(service) = serving_service(ctx, object) else {
            return;
        };
        let grace_node = pod
            .get("terminationGracePeriodSeconds")
            .filter(|v| !v.is_null());
        let grace = match grace_node {
            Some(v) => match k8s_int(v) {
                Some(g) => g,
                None => return,
            },
            None => 30,
        };
        let containers: Vec<_> = object
            .containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::Regular)
            .collect();
        let hooks: Vec<Value<'_>> = containers
            .iter()
            .filter_map(|c| c.node.path(&["lifecycle", "preStop"]))
            .collect();
        let (at, why, fix) = if let (Some(node), 0) = (grace_node, grace) {
            (
                object.at(node.span()),
                "`terminationGracePeriodSeconds: 0` kills its pods at once".to_owned(),
                "set `terminationGracePeriodSeconds` to the preStop sleep plus the longest request (30, the default, suits most)".to_owned(),
            )
        } else if let Some((hook, sleep)) = hooks
            .iter()
            .find_map(|h| pre_stop_sleep(*h).filter(|s| *s >= grace).map(|s| (*h, s)))
        {
            (
                object.at(hook.span()),
                format!(
                    "its preStop hook sleeps {sleep} s, as long as the {grace} s grace period or longer: the application is killed without a graceful shutdown"
                ),
                format!(
                    "set `terminationGracePeriodSeconds` above {sleep} plus the time the application needs to finish its requests"
                ),
            )
        } else if hooks.is_empty()
            && let Some(link) = super::scale_link_of(ctx, object)
            && let Some(first) = containers.first()
        {
            (
                first.anchor(),
                format!(
                    "{} removes its pods routinely and no container has a `preStop` hook: each scale-down cuts requests still routed to the stopping pods",
                    link.hpa.display()
                ),
                format!(
                    "add `lifecycle: {{preStop: {{sleep: {{seconds: 5}}}}}}` to {} so it keeps serving until it has left the endpoints",
                    first.describe()
                ),
            )
        } else {
            return;
        };
        let message = format!(
            "{} serves {}, but {why}",
            object.display(),
            service.display()
        );
        out.push(out.at(at, message).object(object.display()).fix(fix));
    }
}
