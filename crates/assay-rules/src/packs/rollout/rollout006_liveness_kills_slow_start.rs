use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ContainerView, k8s_int};
use assay_yaml::Value;

declare_rule! {
    /// The liveness probe restarts the container before it can be ready
    ///
    /// ## What it checks
    /// A container with a `livenessProbe`, a `readinessProbe` and no
    /// `startupProbe`, whose liveness probe gives up (`initialDelaySeconds
    /// + failureThreshold × periodSeconds`, defaults 0, 3 and 10) no later
    /// than the readiness probe's `initialDelaySeconds`: the time the
    /// manifest itself says the application needs before it can serve.
    ///
    /// ## Why it matters
    /// The liveness probe starts at its own delay. If the application is
    /// still starting it fails, and after `failureThreshold` failures the
    /// kubelet kills and restarts the container, which starts over: the
    /// pod never gets ready (`CrashLoopBackOff`), the rollout stalls, and
    /// pods added in a spike never serve. A `startupProbe` holds the
    /// liveness probe back until the first start has finished.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: "api:1.0"
    ///           readinessProbe: {httpGet: {path: /ready, port: 8080}, initialDelaySeconds: 60}
    ///           livenessProbe: {httpGet: {path: /live, port: 8080}, initialDelaySeconds: 10}
    /// ```
    ///
    /// ## Fix
    /// Let a `startupProbe` cover the slow start:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: "api:1.0"
    ///           startupProbe: {httpGet: {path: /live, port: 8080}, periodSeconds: 10, failureThreshold: 12}
    ///           readinessProbe: {httpGet: {path: /ready, port: 8080}, initialDelaySeconds: 60}
    ///           livenessProbe: {httpGet: {path: /live, port: 8080}, initialDelaySeconds: 10}
    /// ```
    ///
    /// ## References
    /// - Protect slow starting containers with startup probes ("the trick is to set up a startup probe with the same command ... with a `failureThreshold * periodSeconds` long enough to cover the worse case startup time"): https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes
    /// - Probe fields and defaults (`initialDelaySeconds` 0, `periodSeconds` 10, `failureThreshold` 3): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
    pub(crate) struct LivenessKillsSlowStart {
        id: "ROLLOUT006",
        name: "liveness-kills-slow-start",
        severity: Warning,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

/// A probe field with its API default; `None` when not a plain integer.
pub(super) fn probe_field(probe: Value<'_>, key: &str, default: i64) -> Option<i64> {
    match probe.get(key) {
        None => Some(default),
        Some(v) if v.is_null() => Some(default),
        Some(v) => k8s_int(v),
    }
}

impl Rule for LivenessKillsSlowStart {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _ctx: &Context<'_>,
        container: &ContainerView<'_>,
        out: &mut Findings<'_>,
    ) {
        if container.probe("startupProbe").is_some() {
            return;
        }
        let (Some(liveness), Some(readiness)) = (
            container.probe("livenessProbe"),
            container.probe("readinessProbe"),
        ) else {
            return;
        };
        let Some(ready_delay) = probe_field(readiness, "initialDelaySeconds", 0) else {
            return;
        };
        let (Some(delay), Some(threshold), Some(period)) = (
            probe_field(liveness, "initialDelaySeconds", 0),
            probe_field(liveness, "failureThreshold", 3),
            probe_field(liveness, "periodSeconds", 10),
        ) else {
            return;
        };
        let gives_up = delay.saturating_add(threshold.saturating_mul(period));
        if ready_delay == 0 || gives_up > ready_delay {
            return;
        }
        let at = container
            .node
            .entry("livenessProbe")
            .map_or_else(|| container.anchor(), |(key, _)| container.at(key.span()));
        let message = format!(
            "livenessProbe of {} of {} restarts the container after {gives_up} s of failure, but its readinessProbe waits {ready_delay} s for the application to start: a start that takes that long is killed and starts over",
            container.describe(),
            container.owner()
        );
        out.push(
            out.at(at, message)
                .object(container.owner())
                .fix(format!(
                    "add a `startupProbe` whose `failureThreshold × periodSeconds` covers the start (more than {ready_delay} s); the liveness probe waits for it"
                )),
        );
    }
}
