use super::labels_text;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_graph::diagnose::selector_typo;
use assay_model::ObjectView;

declare_rule! {
    /// A Service's selector matches no pod of the deliverable
    ///
    /// ## What it checks
    /// A Service with a `spec.selector` whose labels no workload's pod
    /// template (or bare Pod) in the same namespace carries, when the
    /// deliverable has workloads of that namespace in the same folder and no
    /// custom resource there (an operator's custom resource may create the
    /// pods). When one label differs
    /// from a workload's by a typo, the message says which ("did you mean
    /// `app: checkout`?").
    ///
    /// ## Why it matters
    /// A Service that selects nothing has no endpoints: clients resolve its
    /// name and then time out or get "connection refused". Nothing warns at
    /// apply time; the mismatch (`app: chekout`, a renamed label) shows up
    /// only when traffic fails.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: checkout, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: checkout}}
    ///   template:
    ///     metadata: {labels: {app: checkout}}
    ///     spec: {containers: [{name: app, image: "checkout:1.0"}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: checkout, namespace: shop}
    /// spec:
    ///   selector: {app: chekout}
    ///   ports: [{port: 80}]
    /// ```
    ///
    /// ## Fix
    /// Use the pod template's labels in the selector:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: checkout, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: checkout}}
    ///   template:
    ///     metadata: {labels: {app: checkout}}
    ///     spec: {containers: [{name: app, image: "checkout:1.0"}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: checkout, namespace: shop}
    /// spec:
    ///   selector: {app: checkout}
    ///   ports: [{port: 80}]
    /// ```
    ///
    /// ## References
    /// - Service selectors: https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
    /// - Debug Services, "Does the Service have any Endpoints?": https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/
    pub(crate) struct ServiceSelectsNoPod {
        id: "GRAPH001",
        name: "service-selects-no-pod",
        severity: Warning,
        scope: Scope::Object(&["Service"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for ServiceSelectsNoPod {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let graph = ctx.graph;
        let Some(service) = graph.service_of(object.object) else {
            return;
        };
        if service.selector.is_empty()
            || !service.selected.is_empty()
            || !super::expects_local_pods(ctx, object, &service.namespace)
        {
            return;
        }
        let Some(selector) = object.root.path(&["spec", "selector"]) else {
            return;
        };
        let mut message = format!(
            "{} selects no pod: no workload in namespace `{}` has the labels {}",
            object.display(),
            service.namespace,
            labels_text(&service.selector.match_labels)
        );
        let mut location = object.at(selector.span());
        let mut fix =
            "make the selector match the pod template labels of the workload it serves".to_owned();
        let mut label = None;
        if let Some((workload, key, written, actual)) =
            selector_typo(graph, &service.namespace, &service.selector.match_labels)
        {
            message.push_str(&format!(
                "; did you mean `{key}: {actual}` (as {} has)?",
                workload.display()
            ));
            if let Some(value) = selector.get(key) {
                location = object.at(value.span());
            }
            fix = format!("write `{key}: {actual}` instead of `{key}: {written}`");
            label = workload.object().map(|o| {
                (
                    o.anchor(),
                    format!("{} carries `{key}: {actual}`", workload.display()),
                )
            });
        }
        let mut finding = out.at(location, message).object(object.display()).fix(fix);
        if let Some((at, text)) = label {
            finding = finding.label(at, text);
        }
        out.push(finding);
    }
}
