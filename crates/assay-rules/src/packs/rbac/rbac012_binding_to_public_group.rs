use super::{binding_scope, privileged_rule, public_description, public_principal, subject_text};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::{ObjectView, RbacView};

declare_rule! {
    /// A binding grants a role to anonymous, unauthenticated or all users
    ///
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings with a subject that stands for
    /// everyone: the user `system:anonymous` and the group
    /// `system:unauthenticated` (errors: any client, without credentials),
    /// the group `system:authenticated` (every user and ServiceAccount with
    /// any valid credential) and the group `system:serviceaccounts` (every
    /// ServiceAccount of every namespace) (warnings). The ClusterRoles
    /// Kubernetes itself binds to these groups (`system:public-info-viewer`,
    /// `system:discovery`, `system:basic-user`) are not reported, nor a
    /// privileged role, which `RBAC011` reports as an error.
    ///
    /// ## Why it matters
    /// Anything granted to these subjects is granted to every workload and
    /// person that can reach the API server, including compromised pods
    /// anywhere in the cluster; with anonymous authentication on, to the
    /// whole network. The RBAC documentation warns that binding roles to
    /// `system:unauthenticated` or `system:anonymous` opens the cluster.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: public-view
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: Group
    ///     apiGroup: rbac.authorization.k8s.io
    ///     name: system:unauthenticated
    /// ```
    ///
    /// ## Fix
    /// Bind the role to the group of people or the ServiceAccount that needs
    /// it:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ops-view
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: Group
    ///     apiGroup: rbac.authorization.k8s.io
    ///     name: ops
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Using RBAC Authorization, "Referring to subjects" (the `system:` groups): https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects
    /// - Kubernetes, Using RBAC Authorization, "Default roles and role bindings": https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
    /// - Kubernetes, Authenticating, "Anonymous requests": https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
    /// - CIS Kubernetes Benchmark 5.1.1 and 5.1.7 (cluster-wide roles and special groups used only where required): https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct BindingToPublicGroup {
        id: "RBAC012",
        name: "binding-to-public-group",
        severity: Error,
        scope: Scope::Object(&["RoleBinding", "ClusterRoleBinding"]),
        fix: Never,
        since: "0.1.0",
    }
}

/// ClusterRoles the API server itself binds to the public groups.
const DEFAULT_PUBLIC_ROLES: &[&str] = &[
    "system:public-info-viewer",
    "system:discovery",
    "system:basic-user",
];

impl Rule for BindingToPublicGroup {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, binding: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(view) = RbacView::new(*binding) else {
            return;
        };
        let Some((kind, name)) = view.role_ref() else {
            return;
        };
        if (kind == "ClusterRole" && DEFAULT_PUBLIC_ROLES.contains(&name))
            || privileged_rule(ctx, binding).is_some()
        {
            return;
        }
        for subject in view.subjects() {
            let Some(severity) = public_principal(subject) else {
                continue;
            };
            let node = subject.get("name").unwrap_or(subject);
            let mut f = out
                .at(
                    binding.at(node.span()),
                    format!(
                        "{} grants {kind} {} to {}, which {} belongs to, {}",
                        binding.display(),
                        code(name),
                        subject_text(subject, binding),
                        public_description(subject),
                        binding_scope(binding),
                    ),
                )
                .object(binding.display())
                .fix("replace the subject with the users, groups or ServiceAccounts that need the role");
            f.severity = severity;
            out.push(f);
        }
    }
}
