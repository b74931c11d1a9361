use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ContainerView, k8s_int};
use assay_yaml::Value;

declare_rule! {
    /// The liveness probe fails exactly when the readiness probe does
    ///
    /// ## What it checks
    /// A container whose `livenessProbe` and `readinessProbe` use the same
    /// check (`httpGet` path, port and scheme; `tcpSocket` port; `exec`
    /// command; `grpc` port and service) and whose liveness probe gives up no
    /// later than the readiness probe: `failureThreshold × periodSeconds`
    /// (defaults 3 and 10) not larger.
    ///
    /// ## Why it matters
    /// Readiness failing under load takes the pod out of the Service so it
    /// can recover; liveness failing restarts it. When both trip together,
    /// every pod that is slow during a traffic spike is killed instead of
    /// rested, the remaining pods take its load and fail in turn, and the
    /// restarts (with their start-up time) deepen the outage. A slow first
    /// start hits the same restart loop unless a `startupProbe` covers it.
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
    ///       containers:
    ///         - name: web
    ///           image: "web:1.0"
    ///           readinessProbe: {httpGet: {path: /healthz, port: 8080}}
    ///           livenessProbe: {httpGet: {path: /healthz, port: 8080}}
    /// ```
    ///
    /// ## Fix
    /// Let liveness tolerate longer failure than readiness (or probe a
    /// cheaper endpoint that only checks the process is alive):
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: "web:1.0"
    ///           readinessProbe: {httpGet: {path: /healthz, port: 8080}}
    ///           livenessProbe: {httpGet: {path: /healthz, port: 8080}, failureThreshold: 6}
    /// ```
    ///
    /// ## References
    /// - Configure liveness, readiness and startup probes ("A common pattern for liveness probes is to use the same low-cost HTTP endpoint as for readiness probes, but with a higher `failureThreshold`"; "Liveness probes can be a powerful way to recover from application failures, but they should be used with caution ... they can lead to cascading failures"): https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    /// - Probe defaults (`periodSeconds: 10`, `failureThreshold: 3`): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
    pub(crate) struct LivenessSameAsReadiness {
        id: "ROLLOUT004",
        name: "liveness-same-as-readiness",
        severity: Info,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

/// The check a probe runs, as comparable text: `httpGet HTTP /healthz 8080`.
fn check_of(probe: Value<'_>) -> Option<String> {
    let text = |node: Option<Value<'_>>| node.and_then(Value::as_str).unwrap_or("").to_owned();
    if let Some(http) = probe.get("httpGet") {
        let scheme = http.get_str("scheme").unwrap_or("HTTP");
        let path = http.get_str("path").unwrap_or("/");
        return Some(format!(
            "httpGet {scheme} {path} {} {}",
            text(http.get("port")),
            text(http.get("host"))
        ));
    }
    if let Some(tcp) = probe.get("tcpSocket") {
        return Some(format!("tcpSocket {}", text(tcp.get("port"))));
    }
    if let Some(grpc) = probe.get("grpc") {
        return Some(format!(
            "grpc {} {}",
            text(grpc.get("port")),
            text(grpc.get("service"))
        ));
    }
    let command: Vec<&str> = probe
        .path(&["exec", "command"])?
        .items()
        .map(|c| c.as_str().unwrap_or(""))
        .collect();
    Some(format!("exec {}", command.join("\u{0}")))
}

/// Seconds of consecutive failure before the probe gives up, with the
/// API defaults; `None` when a value is not a plain integer.
fn give_up_after(probe: Value<'_>) -> Option<i64> {
    let field = |key: &str, default: i64| match probe.get(key) {
        None => Some(default),
        Some(v) if v.is_null() => Some(default),
        Some(v) => k8s_int(v),
    };
    Some(field("failureThreshold", 3)?.saturating_mul(field("periodSeconds", 10)?))
}

impl Rule for LivenessSameAsReadiness {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _ctx: &Context<'_>,
        container: &ContainerView<'_>,
        out: &mut Findings<'_>,
    ) {
        let (Some(liveness), Some(readiness)) = (
            container.probe("livenessProbe"),
            container.probe("readinessProbe"),
        ) else {
            return;
        };
        let (Some(check), Some(other)) = (check_of(liveness), check_of(readiness)) else {
            return;
        };
        if check != other {
            return;
        }
        let (Some(live_after), Some(ready_after)) =
            (give_up_after(liveness), give_up_after(readiness))
        else {
            return;
        };
        if live_after > ready_after {
            return;
        }
        let at = container
            .node
            .entry("livenessProbe")
            .map_or_else(|| container.anchor(), |(key, _)| container.at(key.span()));
        let message = format!(
            "livenessProbe of {} of {} runs the same check as its readinessProbe and gives up no later ({live_after} s vs {ready_after} s): a pod slow under load is restarted instead of taken out of rotation",
            container.describe(),
            container.owner()
        );
        out.push(
            out.at(at, message)
                .object(container.owner())
                .fix(format!(
                    "raise the livenessProbe's `failureThreshold` so it gives up later than {ready_after} s (or probe a cheaper liveness endpoint); add a `startupProbe` for slow starts"
                )),
        );
    }
}
