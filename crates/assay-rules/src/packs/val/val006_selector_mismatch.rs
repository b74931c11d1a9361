use super::REJECTS;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{LabelSelector, ObjectView, k8s_bool, labels_of};

declare_rule! {
    /// A workload whose selector does not match its pod template's labels
    ///
    /// ## What it checks
    /// Deployments, ReplicaSets, StatefulSets and DaemonSets (`apps/v1`):
    /// `spec.selector` must not be empty and must select the labels of
    /// `spec.template.metadata.labels` (`matchLabels` and
    /// `matchExpressions`). ReplicationControllers: a `spec.selector`, when
    /// written, must select the template's labels. Jobs: a `spec.selector`
    /// needs `manualSelector: true` (otherwise the server generates the
    /// selector and rejects one written by hand), and must then select the
    /// template's labels.
    ///
    /// ## Why it matters
    /// The API server rejects the object with ``spec.template.metadata.labels:
    /// Invalid value: {...}: `selector` does not match template `labels` ``:
    /// a controller whose own pods did not match its selector would create
    /// pods forever. It is the most common error after renaming an `app`
    /// label in only one place.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: frontend
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Fix
    /// Give the template the labels the selector asks for:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - kubernetes `pkg/apis/apps/validation/validation.go`: `ValidateDeploymentSpec`, `ValidateReplicaSetSpec`, `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec` ("empty selector is invalid for ...", "`selector` does not match template `labels`"): https://github.com/kubernetes/kubernetes
    /// - `pkg/apis/core/validation/validation.go` (`ValidateReplicationControllerSpec`, `ValidatePodTemplateSpecForRC`), `pkg/apis/batch/validation/validation.go` (`validateJobSpec` with `manualSelector`, `ValidateGeneratedSelector`: "`selector` not auto-generated")
    pub(crate) struct SelectorMismatch {
        id: "VAL006",
        name: "selector-mismatch",
        severity: Error,
        scope: Scope::Object(&["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController", "Job"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for SelectorMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let kind = object.kind();
        let api_version = object.object.api_version.as_str();
        let apps = api_version == "apps/v1";
        let root = object.root;
        let Some(selector_node) = root.path(&["spec", "selector"]) else {
            return;
        };
        if selector_node.is_null() {
            return;
        }
        // A mapping's span starts at its first entry: point at the key.
        let selector_key = root
            .get("spec")
            .and_then(|s| s.entry("selector"))
            .map_or(selector_node, |(k, _)| k);
        let selector = match kind {
            "ReplicationController" if api_version == "v1" => {
                LabelSelector::from_map(Some(selector_node))
            }
            "Job" if api_version == "batch/v1" => {
                if !root
                    .path(&["spec", "manualSelector"])
                    .and_then(k8s_bool)
                    .unwrap_or(false)
                {
                    // The server generates the selector (controller-uid); one
                    // written by hand cannot match it.
                    let finding = out
                        .at(
                            object.at(selector_key.span()),
                            format!("spec.selector: Invalid value: {{...}}: `selector` not auto-generated; {REJECTS}"),
                        )
                        .object(object.display())
                        .fix("remove `spec.selector` (the Job controller generates one), or set `spec.manualSelector: true` and make it match the template's labels");
                    out.push(finding);
                    return;
                }
                LabelSelector::from_label_selector(selector_node)
            }
            _ if apps => LabelSelector::from_label_selector(selector_node),
            _ => return,
        };
        // ReplicaSets share the Deployment's wording in the server.
        let lower = if kind == "ReplicaSet" {
            "deployment".to_owned()
        } else {
            kind.to_ascii_lowercase()
        };
        if selector.is_empty() {
            if apps {
                let finding = out
                    .at(object.at(selector_key.span()), format!("spec.selector: Invalid value: {{}}: empty selector is invalid for {lower}; {REJECTS}"))
                    .object(object.display())
                    .fix("select the pods by the labels of the template (`matchLabels: {app: ...}`)");
                out.push(finding);
            }
            return;
        }
        let template_metadata = root.path(&["spec", "template", "metadata"]);
        let labels = labels_of(template_metadata);
        if selector.matches(&labels) {
            return;
        }
        let at = template_metadata
            .and_then(|m| m.entry("labels"))
            .map(|(k, _)| k)
            .or_else(|| {
                root.path(&["spec"])
                    .and_then(|s| s.entry("template"))
                    .map(|(k, _)| k)
            })
            .unwrap_or(selector_node);
        let shown: Vec<String> = labels
            .iter()
            .map(|(k, v)| format!("\"{k}\":\"{v}\""))
            .collect();
        let finding = out
            .at(
                object.at(at.span()),
                format!(
                    "spec.template.metadata.labels: Invalid value: {{{}}}: `selector` does not match template `labels`; {REJECTS}",
                    shown.join(",")
                ),
            )
            .object(object.display())
            .label(object.at(selector_key.span()), "the selector")
            .fix("make `spec.template.metadata.labels` carry every label the selector requires");
        out.push(finding);
    }
}
