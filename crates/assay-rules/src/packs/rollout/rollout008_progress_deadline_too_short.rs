use super::rollout006_liveness_kills_slow_start::probe_field;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ContainerKind, ObjectView, k8s_int};

declare_rule! {
    /// `progressDeadlineSeconds` ends before a new pod can become available
    ///
    /// ## What it checks
    /// A Deployment whose `progressDeadlineSeconds` (default 600) is not
    /// longer than the earliest time a new pod can count as available: for
    /// each regular container, the later of its `startupProbe` and
    /// `readinessProbe` `initialDelaySeconds`, plus `(successThreshold - 1)
    /// × periodSeconds` of the readiness probe; the slowest container, plus
    /// the Deployment's `minReadySeconds`. A deadline not above
    /// `minReadySeconds` alone is rejected by the API server and is VAL005's
    /// finding, not this rule's. Image pull and application start-up come on
    /// top, so the real margin is smaller still.
    ///
    /// ## Why it matters
    /// The Deployment controller marks a rollout `Progressing=False` with
    /// `ProgressDeadlineExceeded` when no new pod became available within
    /// the deadline. `kubectl rollout status` then exits non-zero and
    /// pipelines roll back (or page someone) for a release that was
    /// healthy, only slow to probe: every release fails, and a real failure
    /// cannot be told apart.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: search, namespace: shop}
    /// spec:
    ///   progressDeadlineSeconds: 120
    ///   minReadySeconds: 30
    ///   selector: {matchLabels: {app: search}}
    ///   template:
    ///     metadata: {labels: {app: search}}
    ///     spec:
    ///       containers:
    ///         - name: search
    ///           image: "search:3.2"
    ///           readinessProbe: {httpGet: {path: /ready, port: 9200}, initialDelaySeconds: 90}
    /// ```
    ///
    /// ## Fix
    /// Give the rollout more time than a pod needs to become available:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: search, namespace: shop}
    /// spec:
    ///   progressDeadlineSeconds: 600
    ///   minReadySeconds: 30
    ///   selector: {matchLabels: {app: search}}
    ///   template:
    ///     metadata: {labels: {app: search}}
    ///     spec:
    ///       containers:
    ///         - name: search
    ///           image: "search:3.2"
    ///           readinessProbe: {httpGet: {path: /ready, port: 9200}, initialDelaySeconds: 90}
    /// ```
    ///
    /// ## References
    /// - Deployment, failed deployment and progress deadline ("the Deployment controller ... reports `ProgressDeadlineExceeded`"): https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#failed-deployment
    /// - `progressDeadlineSeconds` and `minReadySeconds`: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#progress-deadline-seconds
    /// - Probe timing fields (`initialDelaySeconds`, `periodSeconds`, `successThreshold`): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
    pub(crate) struct ProgressDeadlineTooShort {
        id: "ROLLOUT008",
        name: "progress-deadline-too-short",
        severity: Warning,
        scope: Scope::Object(&["Deployment"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// Seconds after start before the container can first be ready, from its
/// probes; `None` when a value is not a plain integer.
fn probe_seconds(container: &assay_model::ContainerView<'_>) -> Option<i64> {
    let startup = match container.probe("startupProbe") {
        Some(p) => probe_field(p, "initialDelaySeconds", 0)?,
        None => 0,
    };
    let Some(readiness) = container.probe("readinessProbe") else {
        return Some(startup);
    };
    let delay = probe_field(readiness, "initialDelaySeconds", 0)?;
    let period = probe_field(readiness, "periodSeconds", 10)?;
    let successes = probe_field(readiness, "successThreshold", 1)?;
    Some(
        startup
            .max(delay)
            .saturating_add(successes.saturating_sub(1).max(0).saturating_mul(period)),
    )
}

impl Rule for ProgressDeadlineTooShort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(spec) = object.root.get("spec") else {
            return;
        };
        let deadline_node = spec.entry("progressDeadlineSeconds");
        let deadline = match deadline_node {
            Some((_, v)) if !v.is_null() => match k8s_int(v) {
                Some(d) => d,
                None => return,
            },
            _ => 600,
        };
        let min_ready = match spec.get("minReadySeconds").filter(|v| !v.is_null()) {
            Some(v) => match k8s_int(v) {
                Some(m) => m,
                None => return,
            },
            None => 0,
        };
        if deadline <= min_ready {
            return;
        }
        let mut slowest: Option<(i64, assay_model::ContainerView<'_>)> = None;
        for container in object
            .containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::Regular)
        {
            let Some(seconds) = probe_seconds(&container) else {
                return;
            };
            if slowest.as_ref().is_none_or(|(s, _)| seconds > *s) {
                slowest = Some((seconds, container));
            }
        }
        let Some((probes, container)) = slowest.filter(|(s, _)| *s > 0) else {
            return;
        };
        let needed = probes.saturating_add(min_ready);
        if needed < deadline {
            return;
        }
        let at = match deadline_node {
            Some((key, _)) => object.at(key.span()),
            None => container
                .node
                .entry("readinessProbe")
                .or_else(|| container.node.entry("startupProbe"))
                .map_or_else(|| container.anchor(), |(key, _)| container.at(key.span())),
        };
        let written = if deadline_node.is_some() {
            ""
        } else {
            " (the default)"
        };
        let message = format!(
            "{} gives a rollout {deadline} s{written} to make progress, but a new pod cannot be available before {needed} s ({probes} s of probes on {}, {min_ready} s of `minReadySeconds`): every rollout ends in `ProgressDeadlineExceeded`",
            object.display(),
            container.describe()
        );
        out.push(
            out.at(at, message)
                .object(object.display())
                .fix(format!(
                    "set `progressDeadlineSeconds` well above {needed} (image pull and start-up come on top), e.g. {}",
                    needed.saturating_mul(2).max(600)
                )),
        );
    }
}
