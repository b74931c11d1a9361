use super::{POD_KINDS, account_text, identity};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::Severity;
use assay_model::ObjectView;

declare_rule! {
    /// A pod runs as its namespace's default ServiceAccount
    ///
    /// ## What it checks
    /// Pods and workload pod templates that set no `serviceAccountName` (nor
    /// the deprecated `serviceAccount`), or set it to `default`. A warning
    /// when the pod mounts the token (see `SA001` for how that is decided);
    /// information when it does not.
    ///
    /// ## Why it matters
    /// The `default` ServiceAccount is shared by every pod of the namespace
    /// that names none: any right bound to it (by anyone, later) reaches all of
    /// them, and audit logs cannot tell the workloads apart. Its own
    /// ServiceAccount per workload keeps rights, token mounting and audit
    /// trails separate. The CIS Kubernetes Benchmark control 5.1.5 asks that
    /// default ServiceAccounts not be actively used.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    ///   namespace: shop
    /// spec:
    ///   containers:
    ///     - name: worker
    ///       image: busybox:1.36
    /// ```
    ///
    /// ## Fix
    /// Give the workload its own ServiceAccount:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: worker
    ///   namespace: shop
    /// automountServiceAccountToken: false
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    ///   namespace: shop
    /// spec:
    ///   serviceAccountName: worker
    ///   containers:
    ///     - name: worker
    ///       image: busybox:1.36
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Service Accounts, "Default service accounts": https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts
    /// - Kubernetes, Configure Service Accounts for Pods: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
    /// - CIS Kubernetes Benchmark 5.1.5, ensure that default service accounts are not actively used: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct DefaultServiceAccount {
        id: "SA002",
        name: "default-service-account",
        severity: Warning,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for DefaultServiceAccount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(id) = identity(ctx, object) else {
            return;
        };
        if id.name != "default" {
            return;
        }
        let location = id
            .node
            .map_or_else(|| object.anchor(), |n| object.at(n.span()));
        let how = if id.node.is_some() {
            "names"
        } else {
            "sets no `serviceAccountName`, so it runs as"
        };
        let token = if id.automount {
            " and mounts its token"
        } else {
            " (its token is not mounted)"
        };
        let mut f = out
            .at(
                location,
                format!(
                    "{} {how} the ServiceAccount {}{token}; it is shared by every pod of the namespace that names none",
                    object.display(),
                    account_text(id.namespace, "default"),
                ),
            )
            .object(object.display())
            .fix("create a ServiceAccount for this workload (with `automountServiceAccountToken: false` unless it calls the API) and set it as `serviceAccountName` in the pod spec");
        if !id.automount {
            f.severity = Severity::Info;
        }
        out.push(f);
    }
}
