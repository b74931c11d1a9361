use super::{Target, target};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::ObjectView;

declare_rule! {
    /// A custom resource with no schema to validate it against
    ///
    /// ## What it checks
    /// Objects whose `apiVersion` group is not a built-in Kubernetes group
    /// (custom resources) when no CustomResourceDefinition with a schema for
    /// that group, version and kind is in the input or under `--crds`. They
    /// are reported at info level, and counted in the summary, so that an
    /// unvalidated object is never mistaken for a valid one.
    ///
    /// ## Why it matters
    /// Without the schema, a wrong field in a custom resource (a
    /// cert-manager `Certificate`, a Prometheus `ServiceMonitor`) goes
    /// unnoticed until the API server or the operator rejects it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: w
    /// spec:
    ///   size: 3
    /// ```
    ///
    /// ## Fix
    /// Give assay the CRD (here in the same input; `--crds DIR` works too):
    /// ```yaml
    /// apiVersion: apiextensions.k8s.io/v1
    /// kind: CustomResourceDefinition
    /// metadata:
    ///   name: widgets.example.com
    /// spec:
    ///   group: example.com
    ///   names:
    ///     kind: Widget
    ///     plural: widgets
    ///   scope: Namespaced
    ///   versions:
    ///     - name: v1
    ///       served: true
    ///       storage: true
    ///       schema:
    ///         openAPIV3Schema:
    ///           type: object
    ///           properties:
    ///             spec:
    ///               type: object
    ///               properties:
    ///                 size:
    ///                   type: integer
    /// ---
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: w
    /// spec:
    ///   size: 3
    /// ```
    ///
    /// ## References
    /// - Custom resources: https://kubernetes.io/docs/concepts/extend-kubernetes/api-extension/custom-resources/
    /// - CRD validation: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation
    pub(crate) struct CustomResourceNotValidated {
        id: "SCHEMA003",
        name: "custom-resource-not-validated",
        severity: Info,
        scope: Scope::Object(&[]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for CustomResourceNotValidated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Target::NoSchema { crd } = target(ctx, object) else {
            return;
        };
        let api_version = &object.object.api_version;
        let kind = object.kind();
        let at = object
            .root
            .get("kind")
            .map_or_else(|| object.anchor(), |k| object.at(k.span()));
        let message = if crd {
            format!(
                "{} {} not validated: its CustomResourceDefinition has no schema for this version",
                code(api_version),
                code(kind)
            )
        } else {
            format!(
                "{} {} not validated: no CustomResourceDefinition for it in the input or under --crds",
                code(api_version),
                code(kind)
            )
        };
        let finding = out
            .at(at, message)
            .object(object.display())
            .fix("pass its CustomResourceDefinition with --crds PATH, or add it to the input");
        out.push(finding);
    }
}
