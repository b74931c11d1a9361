use super::{Stage, check, explain_table};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An apiVersion removed within two releases after the target version
    ///
    /// ## What it checks
    /// Every Kubernetes object whose `apiVersion` and `kind` the target
    /// Kubernetes version (`--kubernetes-version`, default the newest) still
    /// serves but one of the next two minor releases stops serving, according
    /// to the API lifecycle table below. It is a planning note: a deprecated
    /// version also gets the API002 warning; an alpha version, which has no
    /// deprecation period, gets only this.
    ///
    /// ## Why it matters
    /// Clusters are upgraded one minor at a time, a few times a year. An API
    /// removed in the next release or the one after blocks that upgrade until
    /// every manifest, chart and operator using it has moved.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: resource.k8s.io/v1beta1
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
    /// Move to the replacement before the upgrade:
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
    /// - Kubernetes version skew policy (upgrades go one minor at a time): https://kubernetes.io/releases/version-skew-policy/
    pub(crate) struct ApiRemovedSoon {
        id: "API003",
        name: "api-removed-soon",
        severity: Info,
        scope: Scope::Object(&[]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for ApiRemovedSoon {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn explain_extra(&self) -> Option<String> {
        explain_table()
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        check(Stage::RemovedSoon, ctx, object, out);
    }
}
