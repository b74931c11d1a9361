use super::{REJECTS, invalid, k8s_str, pod_spec_path, qualified_name, unsupported};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, WORKLOAD_KINDS};
use assay_yaml::Value;

declare_rule! {
    /// A toleration, node affinity or pod (anti-)affinity the API server rejects
    ///
    /// ## What it checks
    /// The scheduling constraints of every pod template, as
    /// `ValidateTolerations`, `ValidateNodeSelectorRequirement`,
    /// `validateNodeFieldSelectorRequirement`, `validatePodAffinityTerm` and
    /// apimachinery's `ValidateLabelSelectorRequirement` check them:
    /// - tolerations: a key that is not a qualified name; no key with an
    ///   operator other than `Exists`; `tolerationSeconds` without the
    ///   `NoExecute` effect; `Exists` with a value; an `Equal` value that is
    ///   not a label value; an operator other than `Equal` or `Exists`; an
    ///   effect other than `NoSchedule`, `PreferNoSchedule` or `NoExecute`;
    /// - node affinity (required terms and preferred preferences):
    ///   `In`/`NotIn` without values, `Exists`/`DoesNotExist` with values,
    ///   `Gt`/`Lt` without exactly one value, an unknown operator, a key that
    ///   is not a label name; `matchFields` on anything but `metadata.name`,
    ///   or without exactly one value;
    /// - pod affinity and anti-affinity terms: no `topologyKey`, and label
    ///   selector requirements with the operator and value rules above.
    ///
    /// ## Why it matters
    /// The API server refuses the whole object, and the message names a
    /// field deep in the pod template. `assay schedule` and `diagnose` leave
    /// such a constraint out of their analysis; this rule says so in `check`.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: iis
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: iis
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: iis
    ///     spec:
    ///       tolerations:
    ///         - key: os
    ///           operator: Exists
    ///           value: windows
    ///           effect: NoSchedule
    ///       containers:
    ///         - name: iis
    ///           image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    /// ```
    ///
    /// ## Fix
    /// `Exists` matches any value; to match one value use `Equal`:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: iis
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: iis
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: iis
    ///     spec:
    ///       tolerations:
    ///         - key: os
    ///           operator: Equal
    ///           value: windows
    ///           effect: NoSchedule
    ///       containers:
    ///         - name: iis
    ///           image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    /// ```
    ///
    /// ## References
    /// - kubernetes `pkg/apis/core/validation/validation.go`: `ValidateTolerations`, `ValidateNodeSelectorRequirement`, `validateNodeFieldSelectorRequirement`, `validatePodAffinityTerm`: https://github.com/kubernetes/kubernetes
    /// - apimachinery `pkg/apis/meta/v1/validation/validation.go`: `ValidateLabelSelectorRequirement`, `ValidateLabelName`: https://github.com/kubernetes/apimachinery
    /// - Taints and tolerations: https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
    /// - Assigning pods to nodes: https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
    pub(crate) struct InvalidSchedulingConstraint {
        id: "VAL009",
        name: "invalid-scheduling-constraint",
        severity: Error,
        scope: Scope::Object(WORKLOAD_KINDS),
        fix: Sometimes,
        since: "0.1.0",
    }
}

const SELECTOR_OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist"];
const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// One rejected node: where, the server's message, and what to write.
struct Problem<'m> {
    node: Value<'m>,
    message: String,
    fix: &'static str,
}

impl Rule for InvalidSchedulingConstraint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let base = pod_spec_path(object);
        let mut found = Vec::new();
        for (i, toleration) in items(pod.get("tolerations")) {
            check_toleration(toleration, &format!("{base}.tolerations[{i}]"), &mut found);
        }
        if let Some(affinity) = pod.get("affinity") {
            check_node_affinity(affinity, &format!("{base}.affinity"), &mut found);
            for kind in ["podAffinity", "podAntiAffinity"] {
                let path = format!("{base}.affinity.{kind}");
                let terms = affinity.get(kind);
                let required = "requiredDuringSchedulingIgnoredDuringExecution";
                for (i, term) in items(terms.and_then(|t| t.get(required))) {
                    check_pod_term(term, &format!("{path}.{required}[{i}]"), &mut found);
                }
                let preferred = "preferredDuringSchedulingIgnoredDuringExecution";
                for (i, weighted) in items(terms.and_then(|t| t.get(preferred))) {
                    if let Some(term) = weighted.get("podAffinityTerm") {
                        let path = format!("{path}.{preferred}[{i}].podAffinityTerm");
                        check_pod_term(term, &path, &mut found);
                    }
                }
            }
        }
        for problem in found {
            let finding = out
                .at(object.at(problem.node.span()), problem.message)
                .object(object.display())
                .fix(problem.fix);
            out.push(finding);
        }
    }
}

fn items<'m>(list: Option<Value<'m>>) -> impl Iterator<Item = (usize, Value<'m>)> {
    list.into_iter().flat_map(Value::items).enumerate()
}

/// The string at `key`, `""` when absent (Go's zero value).
fn text<'m>(node: Value<'m>, key: &str) -> &'m str {
    node.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Whether a scalar field of `node` (one level deep, list items included)
/// still holds a template placeholder (`${X}`, `{{ .Values.x }}`): it is
/// filled in before the manifest is applied, so it is not judged.
fn unrendered(node: Value<'_>) -> bool {
    let placeholder = |v: Value<'_>| {
        v.as_str()
            .is_some_and(|s| s.contains("${") || s.contains("{{"))
    };
    node.entries()
        .flat_map(|(_, v)| std::iter::once(v).chain(v.items()))
        .any(placeholder)
}

fn check_toleration<'m>(t: Value<'m>, path: &str, found: &mut Vec<Problem<'m>>) {
    if unrendered(t) {
        return;
    }
    let key = text(t, "key");
    let operator = text(t, "operator");
    let value = text(t, "value");
    let effect = text(t, "effect");
    let at = |field: &str| t.get(field).unwrap_or(t);
    if let Some(node) = t.get("key")
        && let Some(key) = k8s_str(node).filter(|k| !k.is_empty())
        && let Some(error) = qualified_name(key).first()
    {
        found.push(Problem {
            node,
            message: invalid(&format!("{path}.key"), key, error),
            fix: "use a label key (`prefix/name`, name up to 63 alphanumerics, `-`, `_`, `.`)",
        });
    }
    if key.is_empty() && operator != "Exists" {
        found.push(Problem {
            node: at("operator"),
            message: invalid(
                &format!("{path}.operator"),
                operator,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ),
            fix: "name the taint's `key`, or write `operator: Exists` to tolerate every taint",
        });
    }
    if t.get("tolerationSeconds").is_some() && effect != "NoExecute" {
        found.push(Problem {
            node: at("effect"),
            message: invalid(
                &format!("{path}.effect"),
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ),
            fix: "`tolerationSeconds` bounds how long a pod stays after a NoExecute taint: set `effect: NoExecute`, or remove `tolerationSeconds`",
        });
    }
    match operator {
        "" | "Equal" => {
            if let Some(error) = super::label_value(value).first() {
                found.push(Problem {
                    node: at("value"),
                    message: invalid(&format!("{path}.operator"), value, error),
                    fix: "write the taint's value as a label value (up to 63 alphanumerics, `-`, `_`, `.`)",
                });
            }
        }
        "Exists" if !value.is_empty() => found.push(Problem {
            node: at("value"),
            message: invalid(
                &format!("{path}.operator"),
                operator,
                "value must be empty when `operator` is 'Exists'",
            ),
            fix: "`Exists` matches every value of the key: remove `value`, or use `operator: Equal` to match this one",
        }),
        "Exists" => {}
        other => found.push(Problem {
            node: at("operator"),
            message: unsupported(&format!("{path}.operator"), other, &["Equal", "Exists"]),
            fix: "use `operator: Equal` (with a value) or `operator: Exists`",
        }),
    }
    if !effect.is_empty() && !TAINT_EFFECTS.contains(&effect) {
        found.push(Problem {
            node: at("effect"),
            message: unsupported(&format!("{path}.effect"), effect, TAINT_EFFECTS),
            fix: "use `NoSchedule`, `PreferNoSchedule` or `NoExecute`, or leave `effect` out to match every effect",
        });
    }
}

fn check_node_affinity<'m>(affinity: Value<'m>, path: &str, found: &mut Vec<Problem<'m>>) {
    let Some(node_affinity) = affinity.get("nodeAffinity") else {
        return;
    };
    let path = format!("{path}.nodeAffinity");
    let required = "requiredDuringSchedulingIgnoredDuringExecution";
    let terms = node_affinity
        .get(required)
        .and_then(|r| r.get("nodeSelectorTerms"));
    for (i, term) in items(terms) {
        let term_path = format!("{path}.{required}.nodeSelectorTerms[{i}]");
        check_node_term(term, &term_path, found);
    }
    let preferred = "preferredDuringSchedulingIgnoredDuringExecution";
    for (i, weighted) in items(node_affinity.get(preferred)) {
        if let Some(term) = weighted.get("preference") {
            check_node_term(term, &format!("{path}.{preferred}[{i}].preference"), found);
        }
    }
}

fn check_node_term<'m>(term: Value<'m>, path: &str, found: &mut Vec<Problem<'m>>) {
    for (j, requirement) in items(term.get("matchExpressions")) {
        let path = format!("{path}.matchExpressions[{j}]");
        check_requirement(requirement, &path, true, found);
    }
    for (j, requirement) in items(term.get("matchFields")) {
        if unrendered(requirement) {
            continue;
        }
        let path = format!("{path}.matchFields[{j}]");
        let operator = text(requirement, "operator");
        let values = requirement.get("values").map_or(0, |v| v.items().count());
        let at = |field: &str| requirement.get(field).unwrap_or(requirement);
        match operator {
            "In" | "NotIn" if values != 1 => found.push(Problem {
                node: at("values"),
                message: format!(
                    "{path}.values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector; {REJECTS}"
                ),
                fix: "name exactly one node in `values`",
            }),
            "In" | "NotIn" => {}
            other => found.push(Problem {
                node: at("operator"),
                message: invalid(&format!("{path}.operator"), other, "not a valid selector operator"),
                fix: "`matchFields` takes `In` or `NotIn` with one node name",
            }),
        }
        let key = text(requirement, "key");
        if key != "metadata.name" {
            found.push(Problem {
                node: at("key"),
                message: invalid(&format!("{path}.key"), key, "not a valid field selector key"),
                fix: "`matchFields` selects nodes by `metadata.name` only; select other properties with `matchExpressions` on node labels",
            });
        }
    }
}

/// A node selector requirement (`node: true`, which adds `Gt` and `Lt`) or
/// a label selector requirement.
fn check_requirement<'m>(
    requirement: Value<'m>,
    path: &str,
    node: bool,
    found: &mut Vec<Problem<'m>>,
) {
    if unrendered(requirement) {
        return;
    }
    let operator = text(requirement, "operator");
    let values = requirement.get("values").map_or(0, |v| v.items().count());
    let at = |field: &str| requirement.get(field).unwrap_or(requirement);
    match operator {
        "In" | "NotIn" if values == 0 => found.push(Problem {
            node: at("values"),
            message: format!(
                "{path}.values: Required value: must be specified when `operator` is 'In' or 'NotIn'; {REJECTS}"
            ),
            fix: "list the values to match, or use `Exists` to match any value of the key",
        }),
        "Exists" | "DoesNotExist" if values > 0 => found.push(Problem {
            node: at("values"),
            message: format!(
                "{path}.values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'; {REJECTS}"
            ),
            fix: "remove `values`, or use `In` to match these values",
        }),
        "Gt" | "Lt" if node && values != 1 => found.push(Problem {
            node: at("values"),
            message: format!(
                "{path}.values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'; {REJECTS}"
            ),
            fix: "give `Gt` or `Lt` exactly one integer value",
        }),
        "Gt" | "Lt" if node => {}
        op if SELECTOR_OPERATORS.contains(&op) => {}
        other => found.push(Problem {
            node: at("operator"),
            message: invalid(&format!("{path}.operator"), other, "not a valid selector operator"),
            fix: if node {
                "use `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`"
            } else {
                "use `In`, `NotIn`, `Exists` or `DoesNotExist`"
            },
        }),
    }
    let key = text(requirement, "key");
    if let Some(error) = qualified_name(key).first() {
        found.push(Problem {
            node: at("key"),
            message: invalid(&format!("{path}.key"), key, error),
            fix: "use a label key (`prefix/name`, name up to 63 alphanumerics, `-`, `_`, `.`)",
        });
    }
}

fn check_pod_term<'m>(term: Value<'m>, path: &str, found: &mut Vec<Problem<'m>>) {
    for selector in ["labelSelector", "namespaceSelector"] {
        let requirements = term.get(selector).and_then(|s| s.get("matchExpressions"));
        for (j, requirement) in items(requirements) {
            let path = format!("{path}.{selector}.matchExpressions[{j}]");
            check_requirement(requirement, &path, false, found);
        }
    }
    if text(term, "topologyKey").is_empty() {
        found.push(Problem {
            node: term.get("topologyKey").unwrap_or(term),
            message: format!("{path}.topologyKey: Required value: can not be empty; {REJECTS}"),
            fix: "name the node label that defines the domain, e.g. `topologyKey: kubernetes.io/hostname` (one node) or `topology.kubernetes.io/zone`",
        });
    }
}
