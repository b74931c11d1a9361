use super::{Stage, check, explain_table};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An apiVersion the target Kubernetes version no longer serves
    ///
    /// ## What it checks
    /// Every Kubernetes object whose `apiVersion` and `kind` the target
    /// Kubernetes version (`--kubernetes-version`, default the newest) no
    /// longer serves, according to the API lifecycle table below: from the
    /// 1.16 removals (`extensions/v1beta1` and `apps/v1beta1`/`v1beta2`
    /// workloads) through 1.22 (`extensions`/`networking.k8s.io/v1beta1`
    /// Ingress, `rbac`, `apiextensions`, webhooks, …), 1.25 (`batch/v1beta1`
    /// CronJob, `policy/v1beta1` PodDisruptionBudget and PodSecurityPolicy,
    /// `autoscaling/v2beta1`, …), 1.26, 1.27, 1.29, 1.32 (FlowControl betas)
    /// to the alpha and beta versions removed since. The finding points at the
    /// `apiVersion` value; labels point at each field the migration changes
    /// (an Ingress `serviceName`, an HPA `targetAverageUtilization`, a
    /// webhook without `sideEffects`, …).
    ///
    /// ## Why it matters
    /// The API server answers `no matches for kind "Ingress" in version
    /// "extensions/v1beta1"`: the apply fails, and with it the rollout of the
    /// whole deliverable. The replacement version often renames or requires
    /// fields, so changing `apiVersion` alone is not always enough.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: extensions/v1beta1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             backend:
    ///               serviceName: web
    ///               servicePort: 80
    /// ```
    ///
    /// ## Fix
    /// Use the replacement `apiVersion` and make the field changes it needs
    /// (the fix of each finding lists them; the table below has them all):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   number: 80
    /// ```
    ///
    /// ## References
    /// - Deprecated API Migration Guide: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
    /// - Kubernetes Deprecation Policy: https://kubernetes.io/docs/reference/using-api/deprecation-policy/
    /// - `prerelease-lifecycle-gen` annotations, `staging/src/k8s.io/api/*/*/zz_generated.prerelease-lifecycle.go`: https://github.com/kubernetes/kubernetes/tree/master/staging/src/k8s.io/api
    pub(crate) struct RemovedApiVersion {
        id: "API001",
        name: "removed-api-version",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for RemovedApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn explain_extra(&self) -> Option<String> {
        explain_table()
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        check(Stage::Removed, ctx, object, out);
    }
}
