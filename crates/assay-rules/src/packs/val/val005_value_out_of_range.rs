use super::{REJECTS, int, k8s_str, nodes_at, pod_spec_path};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A number or percentage outside the range the API server accepts
    ///
    /// ## What it checks
    /// Container `containerPort` and `hostPort` (when set) and a Service's
    /// `port` and numeric `targetPort`: 1 to 65535. Counts that must not be
    /// negative: `replicas`, `minReadySeconds`, `revisionHistoryLimit`, a
    /// Job's `parallelism`, `completions` and `backoffLimit`, a CronJob's
    /// `startingDeadlineSeconds` and history limits, probe timings and
    /// thresholds. A pod's `activeDeadlineSeconds`: 1 to 2147483647.
    /// Liveness and startup probes: `successThreshold` must be 1. A
    /// Deployment's `progressDeadlineSeconds` above `minReadySeconds`;
    /// `maxSurge` and `maxUnavailable` of a rolling update (Deployment,
    /// DaemonSet, StatefulSet) and a PodDisruptionBudget's `minAvailable` /
    /// `maxUnavailable`: a non-negative integer or a percentage (`25%`),
    /// `maxUnavailable` at most 100 %; a Deployment's not both zero; a
    /// DaemonSet's exactly one non-zero, counting the defaults
    /// (`maxUnavailable` 1, `maxSurge` 0: a DaemonSet that sets only
    /// `maxSurge` is rejected); a StatefulSet's `partition` not negative (its
    /// `maxUnavailable` depends on the `MaxUnavailableStatefulSet` feature
    /// gate and is not checked). A HorizontalPodAutoscaler's `minReplicas`
    /// at least 1 and `maxReplicas` at least `minReplicas`.
    ///
    /// ## Why it matters
    /// The server rejects the object (`spec.strategy.rollingUpdate.maxUnavailable:
    /// Invalid value: 0: may not be 0 when maxSurge is 0`, a rollout that
    /// could never make progress); the schema only says "integer".
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 5
    ///   maxReplicas: 3
    /// ```
    ///
    /// ## Fix
    /// Keep each value in its range:
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 3
    ///   maxReplicas: 5
    /// ```
    ///
    /// ## References
    /// - kubernetes `pkg/apis/core/validation/validation.go`: `validateContainerPorts` (`IsValidPortNum`), `ValidateService` (`port`, `targetPort`), `validateProbe` (`ValidateNonnegativeField`), `validateLivenessProbe` / `validateStartupProbe` ("must be 1"), `ValidatePodSpec` (`activeDeadlineSeconds`): https://github.com/kubernetes/kubernetes
    /// - `pkg/apis/apps/validation/validation.go`: `ValidateDeploymentSpec` ("must be greater than minReadySeconds"), `ValidateRollingUpdateDeployment` ("may not be 0 when `maxSurge` is 0"), `ValidateRollingUpdateDaemonSet` ("may not be set when maxUnavailable is non-zero", "cannot be 0 when maxSurge is 0"), `validateRollingUpdateStatefulSet`, `ValidatePositiveIntOrPercent`, `IsNotMoreThan100Percent`; defaults from `pkg/apis/apps/v1/defaults.go` (`SetDefaults_DaemonSet`, `SetDefaults_Deployment`)
    /// - `pkg/apis/batch/validation/validation.go` (`validateJobSpec`, `validateCronJobSpec`), `pkg/apis/policy/validation/validation.go` (`ValidatePodDisruptionBudgetSpec`), `pkg/apis/autoscaling/validation/validation.go` (`validateHorizontalPodAutoscalerSpec`: "must be greater than or equal to `minReplicas`")
    pub(crate) struct ValueOutOfRange {
        id: "VAL005",
        name: "value-out-of-range",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Never,
        since: "0.1.0",
    }
}

/// Fields that must be `>= 0`: (kinds, path from the root).
static NON_NEGATIVE: &[(&[&str], &[&str])] = &[
    (
        &[
            "Deployment",
            "ReplicaSet",
            "StatefulSet",
            "ReplicationController",
        ],
        &["spec", "replicas"],
    ),
    (
        &["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"],
        &["spec", "minReadySeconds"],
    ),
    (
        &["Deployment", "StatefulSet", "DaemonSet"],
        &["spec", "revisionHistoryLimit"],
    ),
    (&["Job"], &["spec", "parallelism"]),
    (&["Job"], &["spec", "completions"]),
    (&["Job"], &["spec", "backoffLimit"]),
    (&["CronJob"], &["spec", "startingDeadlineSeconds"]),
    (&["CronJob"], &["spec", "successfulJobsHistoryLimit"]),
    (&["CronJob"], &["spec", "failedJobsHistoryLimit"]),
];

const PROBES: &[&str] = &["livenessProbe", "readinessProbe", "startupProbe"];
const PROBE_FIELDS: &[&str] = &[
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
];

/// An int-or-percent value: the integer, or the percentage.
enum IntOrPercent {
    Int(i64),
    Percent(i64),
    Invalid,
}

fn int_or_percent(node: Value<'_>) -> Option<IntOrPercent> {
    if let Some(n) = int(node) {
        return Some(IntOrPercent::Int(n));
    }
    let text = k8s_str(node)?;
    Some(
        text.strip_suffix('%')
            .and_then(|n| {
                (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| n.parse().ok())
                    .flatten()
            })
            .map_or(IntOrPercent::Invalid, IntOrPercent::Percent),
    )
}

struct Found {
    span: assay_span::Span,
    message: String,
}

fn report(found: &mut Vec<Found>, node: Value<'_>, path: &str, text: &str, problem: &str) {
    found.push(Found {
        span: node.span(),
        message: format!("{path}: Invalid value: {text}: {problem}; {REJECTS}"),
    });
}

/// `maxSurge` / `maxUnavailable` style fields; `Some(true)` when the value is zero.
fn check_int_or_percent(
    found: &mut Vec<Found>,
    node: Value<'_>,
    path: &str,
    at_most_100: bool,
) -> Option<bool> {
    let text = node.as_str().unwrap_or_default();
    match int_or_percent(node)? {
        IntOrPercent::Int(n) if n < 0 => {
            report(
                found,
                node,
                path,
                text,
                "must be greater than or equal to 0",
            );
            None
        }
        IntOrPercent::Int(n) => Some(n == 0),
        IntOrPercent::Percent(p) => {
            if at_most_100 && p > 100 {
                report(
                    found,
                    node,
                    path,
                    &format!("\"{text}\""),
                    "must not be greater than 100%",
                );
            }
            Some(p == 0)
        }
        IntOrPercent::Invalid => {
            report(
                found,
                node,
                path,
                &format!("\"{text}\""),
                &super::regex_error(
                    "a valid percent string must be a numeric string followed by an ending '%'",
                    "[0-9]+%",
                    &["1%", "93%"],
                ),
            );
            None
        }
    }
}

fn check_ports(found: &mut Vec<Found>, root: Value<'_>, base: &str, path: &[&str]) {
    for (node, at) in nodes_at(root, base, path) {
        if let Some(n) = int(node)
            && !(1..=65535).contains(&n)
        {
            report(
                found,
                node,
                &at,
                &n.to_string(),
                "must be between 1 and 65535, inclusive",
            );
        }
    }
}

impl Rule for ValueOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let kind = object.kind();
        let root = object.root;
        let mut found = Vec::new();
        for (kinds, path) in NON_NEGATIVE {
            if !kinds.contains(&kind) {
                continue;
            }
            for (node, at) in nodes_at(root, "", path) {
                if let Some(n) = int(node).filter(|n| *n < 0) {
                    report(
                        &mut found,
                        node,
                        &at,
                        &n.to_string(),
                        "must be greater than or equal to 0",
                    );
                }
            }
        }
        if let Some(pod) = object.pod_spec() {
            let base = pod_spec_path(object);
            for list in ["initContainers", "containers"] {
                check_ports(
                    &mut found,
                    pod,
                    base,
                    &[list, "*", "ports", "*", "containerPort"],
                );
                for (node, at) in nodes_at(pod, base, &[list, "*", "ports", "*", "hostPort"]) {
                    if let Some(n) = int(node).filter(|n| *n != 0 && !(1..=65535).contains(n)) {
                        report(
                            &mut found,
                            node,
                            &at,
                            &n.to_string(),
                            "must be between 1 and 65535, inclusive",
                        );
                    }
                }
                for probe in PROBES {
                    for field in PROBE_FIELDS {
                        for (node, at) in nodes_at(pod, base, &[list, "*", probe, field]) {
                            let Some(n) = int(node) else { continue };
                            if n < 0 {
                                report(
                                    &mut found,
                                    node,
                                    &at,
                                    &n.to_string(),
                                    "must be greater than or equal to 0",
                                );
                            } else if *field == "successThreshold"
                                && *probe != "readinessProbe"
                                && n > 1
                            {
                                report(&mut found, node, &at, &n.to_string(), "must be 1");
                            }
                        }
                    }
                }
            }
            for (node, at) in nodes_at(pod, base, &["activeDeadlineSeconds"]) {
                if let Some(n) = int(node).filter(|n| !(1..=2_147_483_647).contains(n)) {
                    report(
                        &mut found,
                        node,
                        &at,
                        &n.to_string(),
                        "must be between 1 and 2147483647, inclusive",
                    );
                }
            }
        }
        match kind {
            "Service" => {
                check_ports(&mut found, root, "", &["spec", "ports", "*", "port"]);
                check_ports(&mut found, root, "", &["spec", "ports", "*", "targetPort"]);
            }
            "Deployment" | "DaemonSet" => {
                let deployment = kind == "Deployment";
                let strategy = if deployment {
                    "strategy"
                } else {
                    "updateStrategy"
                };
                let strategy_node = root.path(&["spec", strategy]);
                // Only the RollingUpdate type (the default) validates these.
                let rolling_type = strategy_node
                    .and_then(|s| s.get("type"))
                    .and_then(k8s_str)
                    .is_none_or(|t| t == "RollingUpdate");
                let rolling = strategy_node
                    .and_then(|s| s.get("rollingUpdate"))
                    .filter(|r| rolling_type && r.is_mapping());
                let base = format!("spec.{strategy}.rollingUpdate");
                let surge = rolling.and_then(|r| r.get("maxSurge"));
                let unavailable = rolling.and_then(|r| r.get("maxUnavailable"));
                let surge_zero = surge.map(|n| {
                    check_int_or_percent(&mut found, n, &format!("{base}.maxSurge"), !deployment)
                });
                let unavailable_zero = unavailable.map(|n| {
                    check_int_or_percent(&mut found, n, &format!("{base}.maxUnavailable"), true)
                });
                // Defaults: 25% and 25% (Deployment); maxUnavailable 1 and
                // maxSurge 0 (DaemonSet). An invalid value is reported above.
                let (surge_zero, unavailable_zero) = match (surge_zero, unavailable_zero) {
                    (Some(None), _) | (_, Some(None)) => (None, None),
                    (s, u) => (
                        Some(s.flatten().unwrap_or(!deployment)),
                        Some(u.flatten().unwrap_or(false)),
                    ),
                };
                let path = format!("{base}.maxUnavailable");
                match (deployment, surge_zero, unavailable_zero, unavailable, surge) {
                    (true, Some(true), Some(true), Some(node), _) => report(
                        &mut found,
                        node,
                        &path,
                        node.as_str().unwrap_or_default(),
                        "may not be 0 when `maxSurge` is 0",
                    ),
                    (false, Some(true), Some(true), Some(node), _) => found.push(Found {
                        span: node.span(),
                        message: format!(
                            "{path}: Required value: cannot be 0 when maxSurge is 0; {REJECTS}"
                        ),
                    }),
                    (false, Some(false), Some(false), _, Some(node)) => report(
                        &mut found,
                        node,
                        &format!("{base}.maxSurge"),
                        node.as_str().unwrap_or_default(),
                        "may not be set when maxUnavailable is non-zero (it defaults to 1: set `maxUnavailable: 0` to surge)",
                    ),
                    _ => {}
                }
                if kind == "Deployment" {
                    let min_ready = root
                        .path(&["spec", "minReadySeconds"])
                        .and_then(int)
                        .unwrap_or(0);
                    if let Some(node) = root.path(&["spec", "progressDeadlineSeconds"])
                        && let Some(n) = int(node).filter(|n| *n <= min_ready)
                    {
                        report(
                            &mut found,
                            node,
                            "spec.progressDeadlineSeconds",
                            &n.to_string(),
                            "must be greater than minReadySeconds",
                        );
                    }
                }
            }
            "StatefulSet" => {
                let rolling = root.path(&["spec", "updateStrategy", "rollingUpdate"]);
                if let Some(node) = rolling.and_then(|r| r.get("partition"))
                    && let Some(n) = int(node).filter(|n| *n < 0)
                {
                    report(
                        &mut found,
                        node,
                        "spec.updateStrategy.rollingUpdate.partition",
                        &n.to_string(),
                        "must be greater than or equal to 0",
                    );
                }
            }
            "PodDisruptionBudget" => {
                for field in ["minAvailable", "maxUnavailable"] {
                    if let Some(node) = root.path(&["spec", field]) {
                        check_int_or_percent(&mut found, node, &format!("spec.{field}"), true);
                    }
                }
            }
            "HorizontalPodAutoscaler" => {
                let min_node = root.path(&["spec", "minReplicas"]);
                let min = min_node.and_then(int);
                if let (Some(node), Some(n)) = (min_node, min.filter(|n| *n < 1)) {
                    report(
                        &mut found,
                        node,
                        "spec.minReplicas",
                        &n.to_string(),
                        "must be greater than or equal to 1",
                    );
                }
                if let Some(node) = root.path(&["spec", "maxReplicas"])
                    && let Some(max) = int(node)
                {
                    if max < 1 {
                        report(
                            &mut found,
                            node,
                            "spec.maxReplicas",
                            &max.to_string(),
                            "must be greater than 0",
                        );
                    } else if max < min.unwrap_or(1) {
                        report(
                            &mut found,
                            node,
                            "spec.maxReplicas",
                            &max.to_string(),
                            "must be greater than or equal to `minReplicas`",
                        );
                    }
                }
            }
            _ => {}
        }
        for f in found {
            let finding = out
                .at(object.at(f.span), f.message)
                .object(object.display());
            out.push(finding);
        }
    }
}
