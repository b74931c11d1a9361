use super::{POD_KINDS, account_text, has_binding, identity};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::Severity;
use assay_model::ObjectView;

declare_rule! {
    /// A pod mounts a ServiceAccount token it has no use for
    ///
    /// ## What it checks
    /// Pods and workload pod templates whose ServiceAccount token is mounted
    /// (`automountServiceAccountToken` is not `false` on the pod, nor, when the
    /// pod leaves it unset, on its ServiceAccount: the pod's setting wins)
    /// while no RoleBinding or ClusterRoleBinding of the deliverable names
    /// that ServiceAccount as a subject. Bindings to the groups
    /// `system:serviceaccounts` and `system:serviceaccounts:<namespace>` do
    /// not count: they grant every ServiceAccount alike (typically the `use`
    /// of a PodSecurityPolicy) and say nothing about this workload calling
    /// the API. A namespace left unwritten on the pod or the subject matches
    /// any namespace.
    /// The finding points at `automountServiceAccountToken: true` when it is
    /// written, else at the `serviceAccountName`, else at the object's name.
    /// A warning when the ServiceAccount is part of the deliverable;
    /// information when it is not (its bindings may live elsewhere, as
    /// kube-proxy's do). Pods on the `default` ServiceAccount are left to
    /// `SA002`, which says whether their token is mounted; mirror pods of
    /// static pods get no token and are skipped.
    ///
    /// ## Why it matters
    /// Every container of the pod can read the token at
    /// `/var/run/secrets/kubernetes.io/serviceaccount/token` and call the API
    /// server as the ServiceAccount. A pod that never calls the API gains
    /// nothing from it, while an attacker who gets code execution in it gets
    /// a credential: for the rights the cluster grants every ServiceAccount
    /// (discovery, and whatever a binding outside the deliverable adds
    /// later). The CIS Kubernetes Benchmark control 5.1.6 asks that tokens be
    /// mounted only where necessary.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       serviceAccountName: web
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Fix
    /// Do not mount the token:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       serviceAccountName: web
    ///       automountServiceAccountToken: false
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Configure Service Accounts for Pods, "Opt out of API credential automounting": https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
    /// - Kubernetes, RBAC good practices, "Least privilege" (`automountServiceAccountToken: false`): https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
    /// - CIS Kubernetes Benchmark 5.1.6, ensure that Service Account Tokens are only mounted where necessary: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct TokenMountedWithoutRights {
        id: "SA001",
        name: "token-mounted-without-rights",
        severity: Warning,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for TokenMountedWithoutRights {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(id) = identity(ctx, object) else {
            return;
        };
        if !id.automount || id.name == "default" || has_binding(ctx, id.namespace, id.name) {
            return;
        }
        let account = account_text(id.namespace, id.name);
        let written_on_pod = id
            .automount_node
            .filter(|(owner, _)| std::ptr::eq(owner.object, object.object));
        let location = match (written_on_pod, id.node) {
            (Some((_, node)), _) | (None, Some(node)) => object.at(node.span()),
            (None, None) => object.anchor(),
        };
        let how = match (written_on_pod, id.automount_node) {
            (Some(_), _) => "with `automountServiceAccountToken: true`",
            (None, Some(_)) => {
                "because its ServiceAccount sets `automountServiceAccountToken: true`"
            }
            (None, None) => "(`automountServiceAccountToken` is not set to `false`)",
        };
        let mut f = out
            .at(
                location,
                format!(
                    "{} mounts the token of ServiceAccount {account} {how}, but no RoleBinding or ClusterRoleBinding of the deliverable grants that ServiceAccount anything",
                    object.display()
                ),
            )
            .object(object.display())
            .fix("set `automountServiceAccountToken: false` in the pod spec (and on the ServiceAccount); if the application calls the API server, bind a Role to its ServiceAccount in the deliverable");
        if id.account.is_none() {
            // The ServiceAccount, and so its bindings, live outside the
            // deliverable (kube-proxy's, a platform's): it may well be bound.
            f.severity = Severity::Info;
            f.message.push_str(
                "; the ServiceAccount itself is not in the deliverable either, so it may be bound elsewhere",
            );
        }
        if let (None, Some((owner, node))) = (written_on_pod, id.automount_node) {
            f = f.label(owner.at(node.span()), "the ServiceAccount mounts its token");
        } else if let Some(account) = id.account.filter(|_| written_on_pod.is_none()) {
            f = f.label(
                account.object.anchor(),
                "the ServiceAccount, with no binding",
            );
        }
        out.push(f);
    }
}
