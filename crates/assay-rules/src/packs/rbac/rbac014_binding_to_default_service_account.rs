use super::subject_text;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::{ObjectView, RbacView};

declare_rule! {
    /// A binding grants a role to a namespace's default ServiceAccount
    ///
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings with a subject of kind
    /// `ServiceAccount` named `default`, at the subject's name.
    ///
    /// ## Why it matters
    /// Every pod of a namespace that names no ServiceAccount runs as
    /// `default`. Rights given to it go to every such pod, today's and those
    /// added later by anyone who may create pods in the namespace; a
    /// compromised sidecar or debug pod inherits them. The CIS Kubernetes
    /// Benchmark control 5.1.5 asks that default ServiceAccounts not be used
    /// actively: give the workload its own ServiceAccount and bind that.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: reader
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: default
    ///     namespace: shop
    /// ```
    ///
    /// ## Fix
    /// Bind a dedicated ServiceAccount, and set it as the pods'
    /// `serviceAccountName`:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: reader
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: catalog
    ///     namespace: shop
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Service Accounts, "Default service accounts": https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts
    /// - Kubernetes, RBAC good practices, "Least privilege": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
    /// - CIS Kubernetes Benchmark 5.1.5, ensure that default service accounts are not actively used: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct BindingToDefaultServiceAccount {
        id: "RBAC014",
        name: "binding-to-default-service-account",
        severity: Warning,
        scope: Scope::Object(&["RoleBinding", "ClusterRoleBinding"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for BindingToDefaultServiceAccount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, binding: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(view) = RbacView::new(*binding) else {
            return;
        };
        let role = view
            .role_ref()
            .map(|(kind, name)| format!("{kind} {}", code(name)))
            .unwrap_or_else(|| "its role".to_owned());
        for subject in view.subjects() {
            if subject.get_str("kind") != Some("ServiceAccount") {
                continue;
            }
            let Some(node) = subject
                .get("name")
                .filter(|n| n.as_str() == Some("default"))
            else {
                continue;
            };
            let f = out
                .at(
                    binding.at(node.span()),
                    format!(
                        "{} grants {role} to {}, the identity of every pod of that namespace that names no ServiceAccount",
                        binding.display(),
                        subject_text(subject, binding),
                    ),
                )
                .object(binding.display())
                .fix("create a ServiceAccount for the workload that needs the role, bind it instead of `default`, and set it as the pods' `serviceAccountName`");
            out.push(f);
        }
    }
}
