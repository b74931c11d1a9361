use super::{Stage, check, explain_table};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An apiVersion deprecated in the target Kubernetes version
    ///
    /// ## What it checks
    /// Every Kubernetes object whose `apiVersion` and `kind` are deprecated in
    /// the target Kubernetes version (`--kubernetes-version`, default the
    /// newest) but still served, according to the API lifecycle table below.
    /// The message says until which release it is served; the fix names the
    /// replacement and the field changes. Once the target no longer serves it,
    /// API001 reports it instead. When the removal is at most two releases
    /// away, API003 adds a planning note.
    ///
    /// ## Why it matters
    /// The API server still accepts the object but answers with a deprecation
    /// warning, and a later release rejects it. Migrating while both versions
    /// are served is a plain edit; migrating after the upgrade is an outage.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: resource.k8s.io/v1beta2
    /// kind: DeviceClass
    /// metadata:
    ///   name: gpu.example.com
    /// spec:
    ///   selectors:
    ///     - cel:
    ///         expression: device.driver == "gpu.example.com"
    /// ```
    ///
    /// ## Fix
    /// Use the stable version:
    /// ```yaml
    /// apiVersion: resource.k8s.io/v1
    /// kind: DeviceClass
    /// metadata:
    ///   name: gpu.example.com
    /// spec:
    ///   selectors:
    ///     - cel:
    ///         expression: device.driver == "gpu.example.com"
    /// ```
    ///
    /// ## References
    /// - Deprecated API Migration Guide: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
    /// - Kubernetes Deprecation Policy: https://kubernetes.io/docs/reference/using-api/deprecation-policy/
    /// - `prerelease-lifecycle-gen` annotations, `staging/src/k8s.io/api/*/*/zz_generated.prerelease-lifecycle.go`: https://github.com/kubernetes/kubernetes/tree/master/staging/src/k8s.io/api
    pub(crate) struct DeprecatedApiVersion {
        id: "API002",
        name: "deprecated-api-version",
        severity: Warning,
        scope: Scope::Object(&[]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for DeprecatedApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn explain_extra(&self) -> Option<String> {
        explain_table()
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        check(Stage::Deprecated, ctx, object, out);
    }
}
