use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, k8s_int};

declare_rule! {
    /// `revisionHistoryLimit: 0` keeps no old revision to roll back to
    ///
    /// ## What it checks
    /// `spec.revisionHistoryLimit: 0` on a Deployment, StatefulSet or
    /// DaemonSet.
    ///
    /// ## Why it matters
    /// The controller deletes every old ReplicaSet (ControllerRevision for
    /// StatefulSets and DaemonSets) as soon as a rollout completes. When the
    /// new version turns out bad, `kubectl rollout undo` has nothing to go
    /// back to: the way back is finding and re-applying the old manifest
    /// while the outage runs.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   revisionHistoryLimit: 0
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
    /// ```
    ///
    /// ## Fix
    /// Keep a few revisions (the default is 10):
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   revisionHistoryLimit: 3
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
    /// ```
    ///
    /// ## References
    /// - Deployment, Clean up Policy ("Explicitly setting this field to 0, will result in cleaning up all the history of your Deployment thus that Deployment will not be able to roll back"): https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#clean-up-policy
    /// - Rolling back a Deployment: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-back-a-deployment
    /// - DaemonSet rollback (`kubectl rollout undo` uses ControllerRevisions kept up to `revisionHistoryLimit`): https://kubernetes.io/docs/tasks/manage-daemon/rollback-daemon-set/
    pub(crate) struct NoRevisionHistory {
        id: "ROLLOUT001",
        name: "no-revision-history",
        severity: Warning,
        scope: Scope::Object(&["Deployment", "StatefulSet", "DaemonSet"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for NoRevisionHistory {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(limit) = object.root.path(&["spec", "revisionHistoryLimit"]) else {
            return;
        };
        if k8s_int(limit) != Some(0) {
            return;
        }
        let message = format!(
            "{} keeps no old revision (`revisionHistoryLimit: 0`): `kubectl rollout undo` cannot roll back a bad release",
            object.display()
        );
        out.push(
            out.at(object.at(limit.span()), message)
                .object(object.display())
                .fix(
                    "set `revisionHistoryLimit` to at least 2, or remove it for the default of 10",
                ),
        );
    }
}
