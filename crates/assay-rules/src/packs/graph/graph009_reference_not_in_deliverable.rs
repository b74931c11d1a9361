use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A pod spec or RoleBinding refers to an object the deliverable lacks
    ///
    /// ## What it checks
    /// References by name from pod specs (`serviceAccountName`,
    /// `priorityClassName`, `configMap`/`secret`/`persistentVolumeClaim`
    /// volumes and projected sources, `configMapKeyRef`, `secretKeyRef`,
    /// `envFrom`, `imagePullSecrets`), from a StatefulSet's `serviceName`
    /// (its governing headless Service) and from RoleBindings (`roleRef`,
    /// ServiceAccount subjects) to objects that are not in the deliverable.
    /// Optional references (`optional: true`), the `default` ServiceAccount
    /// and built-in ClusterRoles and PriorityClasses are not reported.
    /// Declare what the cluster already has with `--assume-present
    /// KIND/NAME` (or `KIND/NAMESPACE/NAME`), or `assumePresent:` in
    /// `.assay.yaml`.
    ///
    /// ## Why it matters
    /// A pod whose ConfigMap, Secret or PVC is missing stays in
    /// `ContainerCreating`; a missing ServiceAccount makes the ReplicaSet
    /// fail to create pods. A Helm chart or a partial deliverable may rely on
    /// objects created elsewhere, which is why this is information, not an
    /// error.
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
    ///           envFrom: [{configMapRef: {name: web-settings}}]
    /// ```
    ///
    /// ## Fix
    /// Ship the object with the deliverable (or declare it with `--assume-present ConfigMap/web-settings`):
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: web-settings, namespace: shop}
    /// data: {LOG_LEVEL: info}
    /// ---
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
    ///           envFrom: [{configMapRef: {name: web-settings}}]
    /// ```
    ///
    /// ## References
    /// - ConfigMaps in pods (optional references): https://kubernetes.io/docs/concepts/configuration/configmap/#using-configmaps
    /// - Secrets in pods: https://kubernetes.io/docs/concepts/configuration/secret/#using-a-secret
    /// - Service accounts: https://kubernetes.io/docs/concepts/security/service-accounts/
    pub(crate) struct ReferenceNotInDeliverable {
        id: "GRAPH009",
        name: "reference-not-in-deliverable",
        severity: Info,
        scope: Scope::Object(&[
            "Pod",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "ReplicationController",
            "Job",
            "CronJob",
            "RoleBinding",
            "ClusterRoleBinding",
        ]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ReferenceNotInDeliverable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        for r in ctx
            .graph
            .references
            .iter()
            .filter(|r| !r.present && std::ptr::eq(r.from.object, object.object))
        {
            let place = if r.namespace.is_empty() {
                String::new()
            } else {
                format!(" in namespace `{}`", r.namespace)
            };
            out.push(
                out.at(
                    object.at(r.node.span()),
                    format!(
                        "{} refers to {} `{}`, which the deliverable does not contain{place}",
                        object.display(),
                        r.kind,
                        r.name
                    ),
                )
                .object(object.display())
                .fix(format!(
                    "add the {} to the deliverable, or declare that the cluster has it: `--assume-present {}/{}` (or `assumePresent: [{}/{}]` in .assay.yaml)",
                    r.kind, r.kind, r.name, r.kind, r.name
                )),
            );
        }
    }
}
