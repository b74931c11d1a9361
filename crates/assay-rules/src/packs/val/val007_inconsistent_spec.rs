use super::{
    REJECTS, invalid, is_builtin, k8s_str, nodes_at, pod_spec_path, port_name, quantity,
    unsupported,
};
use crate::time_zones::TIME_ZONES;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, k8s_bool};
use assay_yaml::Value;

declare_rule! {
    /// Contradicting fields, or a schedule or time zone the API server rejects
    ///
    /// ## What it checks
    /// - Each container's `resources.requests` not above its `limits` for the
    ///   same resource.
    /// - A pod template's `restartPolicy`: `Always` (or unset) for
    ///   Deployments, ReplicaSets, StatefulSets, DaemonSets and
    ///   ReplicationControllers; `OnFailure` or `Never`, written, for Jobs and
    ///   CronJobs (unset means `Always`, which a Job rejects).
    /// - With `hostNetwork: true`, each `hostPort` equal to its `containerPort`.
    /// - A CronJob's `schedule`: five fields (minute, hour, day of month,
    ///   month, day of week: numbers, names, `*`, `?`, ranges, steps,
    ///   lists) or a descriptor (`@hourly`, `@every 5m`, ...); no `TZ=` or
    ///   `CRON_TZ=` in it from 1.27 on; `timeZone` an IANA time zone name.
    /// - A Service's string `targetPort` a valid port name; `clusterIP: None`
    ///   not with `type: LoadBalancer` or `NodePort`; `type: ExternalName`
    ///   with an `externalName`.
    /// - A Deployment with `strategy.type: Recreate` and a `rollingUpdate`
    ///   block, a StatefulSet with `updateStrategy.type: OnDelete` and one;
    ///   `activeDeadlineSeconds` in the pod template of a Deployment,
    ///   ReplicaSet, StatefulSet or DaemonSet; a PodDisruptionBudget with
    ///   both `minAvailable` and `maxUnavailable`.
    ///
    /// ## Why it matters
    /// Each is rejected by the API server (`spec.template.spec.restartPolicy:
    /// Required value: valid values: "OnFailure", "Never"` for a Job without
    /// one) although every field is well-formed on its own.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: report
    /// spec:
    ///   schedule: "0 25 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///             - name: report
    ///               image: busybox:1.36
    /// ```
    ///
    /// ## Fix
    /// Hours run from 0 to 23:
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: report
    /// spec:
    ///   schedule: "0 23 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///             - name: report
    ///               image: busybox:1.36
    /// ```
    ///
    /// ## References
    /// - kubernetes `pkg/apis/core/validation/validation.go`: `ValidateResourceRequirements` ("must be less than or equal to %s limit of %s"), `validateHostNetwork` ("must match `containerPort` when `hostNetwork` is true"), `ValidateService` ("may not be set to 'None' for LoadBalancer services", `externalName` required, `ValidatePortNumOrName`): https://github.com/kubernetes/kubernetes
    /// - `pkg/apis/apps/validation/validation.go` (`ValidatePodTemplateSpecForReplicaSet`, `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec`: restart policy and "activeDeadlineSeconds in ReplicaSet is not Supported"; `ValidateDeploymentStrategy`: "may not be specified when strategy `type` is 'Recreate'"; `ValidateStatefulSetSpec`: "only allowed for updateStrategy 'RollingUpdate'"), `pkg/apis/batch/validation/validation.go` (`validateJobSpec` restart policy, `validateScheduleFormat`: "cannot use TZ or CRON_TZ in schedule", `validateTimeZone`), `pkg/apis/policy/validation/validation.go` ("minAvailable and maxUnavailable cannot be both set")
    /// - Cron syntax as the CronJob controller parses it (`robfig/cron/v3` standard parser): https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
    pub(crate) struct InconsistentSpec {
        id: "VAL007",
        name: "inconsistent-spec",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Never,
        since: "0.1.0",
    }
}

/// robfig/cron bounds per field, with the names a field accepts.
const CRON_FIELDS: &[(&str, u32, u32, &[&str])] = &[
    ("minute", 0, 59, &[]),
    ("hour", 0, 23, &[]),
    ("day of month", 1, 31, &[]),
    (
        "month",
        1,
        12,
        &[
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ],
    ),
    (
        "day of week",
        0,
        6,
        &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    ),
];

fn cron_value(text: &str, min: u32, names: &[&str]) -> Option<u32> {
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    let lower = text.to_ascii_lowercase();
    names
        .iter()
        .position(|n| *n == lower)
        .and_then(|i| u32::try_from(i).ok())
        .map(|i| i + min)
}

/// One cron field (robfig/cron `getRange`); the problem when it is invalid.
fn cron_field(field: &str, (what, min, max, names): (&str, u32, u32, &[&str])) -> Option<String> {
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (part, None),
        };
        if let Some(step) = step {
            match step.parse::<u32>() {
                Ok(s) if s > 0 => {}
                _ => return Some(format!("bad step `{step}` in the {what} field")),
            }
        }
        if range == "*" || range == "?" {
            continue;
        }
        let (low, high) = match range.split_once('-') {
            Some((l, h)) => (l, Some(h)),
            None => (range, None),
        };
        let Some(low) = cron_value(low, min, names) else {
            return Some(format!("`{range}` is not a value of the {what} field"));
        };
        let high = match high {
            Some(h) => match cron_value(h, min, names) {
                Some(h) => h,
                None => return Some(format!("`{range}` is not a value of the {what} field")),
            },
            None => low,
        };
        if low < min || high > max || low > high {
            return Some(format!(
                "`{range}` is outside {min}-{max} in the {what} field"
            ));
        }
    }
    None
}

/// Validate a schedule the way the CronJob validation parses it.
fn schedule_problem(schedule: &str) -> Option<String> {
    let schedule = schedule.trim();
    if let Some(descriptor) = schedule.strip_prefix('@') {
        if let Some(every) = descriptor.strip_prefix("every ") {
            return (!is_go_duration(every.trim())).then(|| format!("`{every}` is not a duration"));
        }
        return (!matches!(
            descriptor,
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly"
        ))
        .then(|| format!("unrecognized descriptor: @{descriptor}"));
    }
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!(
            "expected exactly 5 fields, found {}: {schedule}",
            fields.len()
        ));
    }
    fields
        .iter()
        .zip(CRON_FIELDS.iter().copied())
        .find_map(|(field, spec)| cron_field(field, spec))
}

/// Go `time.ParseDuration` syntax (`1h30m`, `90s`, `1.5h`).
fn is_go_duration(text: &str) -> bool {
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        if digits == 0 {
            return false;
        }
        rest = rest.get(digits..).unwrap_or_default();
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .into_iter()
            .filter(|u| rest.starts_with(u))
            .max_by_key(|u| u.len());
        let Some(unit) = unit else {
            return false;
        };
        rest = rest.get(unit.len()..).unwrap_or_default();
    }
    true
}

struct Found {
    span: assay_span::Span,
    message: String,
}

fn push(found: &mut Vec<Found>, node: Value<'_>, message: String) {
    found.push(Found {
        span: node.span(),
        message,
    });
}

fn check_resources(found: &mut Vec<Found>, pod: Value<'_>, base: &str) {
    for list in ["initContainers", "containers"] {
        for (resources, path) in nodes_at(pod, base, &[list, "*", "resources"]) {
            let (Some(requests), Some(limits)) =
                (resources.get("requests"), resources.get("limits"))
            else {
                continue;
            };
            for (name, request) in requests.entries() {
                let (Some(name_text), Some(request_text)) = (name.as_str(), request.as_str())
                else {
                    continue;
                };
                let Some(limit_text) = limits.get(name_text).and_then(Value::as_str) else {
                    continue;
                };
                if let (Some(r), Some(l)) = (quantity(request_text), quantity(limit_text))
                    && r > l
                {
                    push(
                        found,
                        request,
                        invalid(
                            &format!("{path}.requests"),
                            request_text,
                            &format!(
                                "must be less than or equal to {name_text} limit of {limit_text}"
                            ),
                        ),
                    );
                }
            }
        }
    }
}

fn check_restart_policy(found: &mut Vec<Found>, object: &ObjectView<'_>, pod: Value<'_>) {
    let path = format!("{}.restartPolicy", pod_spec_path(object));
    let node = pod.get("restartPolicy");
    let value = node.and_then(k8s_str);
    match object.kind() {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "ReplicationController" => {
            if let (Some(node), Some(v)) = (node, value)
                && v != "Always"
                && matches!(v, "OnFailure" | "Never")
            {
                push(found, node, unsupported(&path, v, &["Always"]));
            }
        }
        "Job" | "CronJob" => match (node, value) {
            (Some(node), Some("Always")) => push(
                found,
                node,
                format!(
                    "{path}: Required value: valid values: \"OnFailure\", \"Never\" (not \"Always\"); {REJECTS}"
                ),
            ),
            (None, _) => {
                let at = object.pod_spec().map_or(object.anchor().span, |p| p.span());
                found.push(Found {
                    span: at,
                    message: format!("{path}: Required value: valid values: \"OnFailure\", \"Never\" (a Job's template gets no default); {REJECTS}"),
                });
            }
            _ => {}
        },
        _ => {}
    }
}

/// `activeDeadlineSeconds` would end the pods of a controller that must
/// keep them running.
fn check_active_deadline(found: &mut Vec<Found>, object: &ObjectView<'_>, pod: Value<'_>) {
    let owner = match object.kind() {
        "Deployment" | "ReplicaSet" => "ReplicaSet",
        "StatefulSet" => "StatefulSet",
        "DaemonSet" => "DaemonSet",
        _ => return,
    };
    if let Some((key, _)) = pod
        .entry("activeDeadlineSeconds")
        .filter(|(_, v)| !v.is_null())
    {
        push(
            found,
            key,
            format!(
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in {owner} is not Supported; {REJECTS}"
            ),
        );
    }
}

fn check_host_network(found: &mut Vec<Found>, pod: Value<'_>, base: &str) {
    if !pod.get("hostNetwork").and_then(k8s_bool).unwrap_or(false) {
        return;
    }
    for list in ["initContainers", "containers"] {
        for (port, path) in nodes_at(pod, base, &[list, "*", "ports", "*"]) {
            let container = port.get("containerPort").and_then(super::int);
            if let (Some(host), Some(c)) = (port.get("hostPort"), container)
                && let Some(h) = super::int(host).filter(|h| *h != c)
            {
                push(
                    found,
                    host,
                    format!(
                        "{path}.hostPort: Invalid value: {h}: must match `containerPort` when `hostNetwork` is true; {REJECTS}"
                    ),
                );
            }
        }
    }
}

fn check_cron_job(found: &mut Vec<Found>, ctx: &Context<'_>, root: Value<'_>) {
    if let Some(node) = root.path(&["spec", "schedule"])
        && let Some(schedule) = k8s_str(node)
    {
        let after_127 = ctx.kubernetes_version.minor >= 27 || ctx.kubernetes_version.major > 1;
        let prefixed = schedule.starts_with("TZ=") || schedule.starts_with("CRON_TZ=");
        if after_127 && prefixed {
            push(
                found,
                node,
                invalid(
                    "spec.schedule",
                    schedule,
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                ),
            );
        } else {
            // Before 1.27 a leading `TZ=zone` is accepted (with a warning).
            let body = if prefixed {
                schedule.split_once(' ').map_or("", |(_, rest)| rest)
            } else {
                schedule
            };
            if let Some(problem) = schedule_problem(body) {
                push(found, node, invalid("spec.schedule", schedule, &problem));
            }
        }
    }
    if let Some(node) = root.path(&["spec", "timeZone"])
        && let Some(zone) = k8s_str(node)
    {
        if zone.eq_ignore_ascii_case("local") {
            push(
                found,
                node,
                invalid(
                    "spec.timeZone",
                    zone,
                    "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
                ),
            );
        } else if TIME_ZONES.binary_search(&zone).is_err() {
            push(
                found,
                node,
                invalid("spec.timeZone", zone, &format!("unknown time zone {zone}")),
            );
        }
    }
}

fn check_service(found: &mut Vec<Found>, root: Value<'_>) {
    let spec = root.get("spec");
    let service_type = spec.and_then(|s| s.get_str("type")).unwrap_or("ClusterIP");
    if let Some(node) = spec.and_then(|s| s.get("clusterIP"))
        && k8s_str(node) == Some("None")
        && matches!(service_type, "LoadBalancer" | "NodePort")
    {
        push(
            found,
            node,
            format!(
                "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for {service_type} services; {REJECTS}"
            ),
        );
    }
    if service_type == "ExternalName" {
        let name = spec
            .and_then(|s| s.get("externalName"))
            .and_then(k8s_str)
            .unwrap_or_default();
        if name.is_empty() {
            let at = spec.and_then(|s| s.entry("type")).map_or(root, |(_, v)| v);
            push(
                found,
                at,
                format!("spec.externalName: Required value; {REJECTS}"),
            );
        }
    }
    for (node, path) in nodes_at(root, "", &["spec", "ports", "*", "targetPort"]) {
        let Some(text) = k8s_str(node) else { continue };
        // A quoted number is YAML007's (it reads as a port name).
        if text.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let errors = port_name(text);
        if !errors.is_empty() {
            push(found, node, invalid(&path, text, &errors.join(", ")));
        }
    }
}

impl Rule for InconsistentSpec {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if !is_builtin(object) {
            return;
        }
        let root = object.root;
        let mut found = Vec::new();
        if let Some(pod) = object.pod_spec() {
            let base = pod_spec_path(object);
            check_resources(&mut found, pod, base);
            check_restart_policy(&mut found, object, pod);
            check_active_deadline(&mut found, object, pod);
            check_host_network(&mut found, pod, base);
        }
        match object.kind() {
            "CronJob" => check_cron_job(&mut found, ctx, root),
            "Service" => check_service(&mut found, root),
            "StatefulSet" => {
                let strategy = root.path(&["spec", "updateStrategy"]);
                if strategy.and_then(|s| s.get_str("type")) == Some("OnDelete")
                    && let Some((key, _)) = strategy
                        .and_then(|s| s.entry("rollingUpdate"))
                        .filter(|(_, v)| !v.is_null())
                {
                    push(
                        &mut found,
                        key,
                        format!(
                            "spec.updateStrategy.rollingUpdate: Invalid value: {{...}}: only allowed for updateStrategy 'RollingUpdate'; {REJECTS}"
                        ),
                    );
                }
            }
            "Deployment" => {
                let strategy = root.path(&["spec", "strategy"]);
                if strategy.and_then(|s| s.get_str("type")) == Some("Recreate")
                    && let Some((key, _)) = strategy
                        .and_then(|s| s.entry("rollingUpdate"))
                        .filter(|(_, v)| !v.is_null())
                {
                    push(
                        &mut found,
                        key,
                        format!(
                            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'; {REJECTS}"
                        ),
                    );
                }
            }
            "PodDisruptionBudget" => {
                let spec = root.get("spec");
                if let (Some(_), Some((key, _))) = (
                    spec.and_then(|s| s.get("minAvailable"))
                        .filter(|v| !v.is_null()),
                    spec.and_then(|s| s.entry("maxUnavailable"))
                        .filter(|(_, v)| !v.is_null()),
                ) {
                    push(
                        &mut found,
                        key,
                        format!(
                            "spec: Invalid value: minAvailable and maxUnavailable cannot be both set; {REJECTS}"
                        ),
                    );
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
