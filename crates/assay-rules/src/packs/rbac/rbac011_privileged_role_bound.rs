use super::{binding_scope, privileged_rule, public_description, public_principal, subject_text};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::Severity;
use assay_model::{ObjectView, RbacView};

declare_rule! {
    /// A binding gives cluster-admin or a wildcard role to a subject
    ///
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings whose `roleRef` is the built-in
    /// ClusterRole `cluster-admin`, or a Role or ClusterRole of the
    /// deliverable with `*` in the `verbs` or `resources` of a rule (an
    /// aggregated ClusterRole counts the rules it aggregates). One finding per
    /// subject (user, group or ServiceAccount), at the subject. Giving such a
    /// role to `system:anonymous`, `system:unauthenticated`,
    /// `system:authenticated` or `system:serviceaccounts` is an error; to
    /// other subjects a warning when the role grants every verb on every
    /// resource (`cluster-admin`, or `*` in both fields of one rule), and
    /// information when one field only is a wildcard (`*` verbs on an
    /// operator's own custom resources, `*` resources read-only).
    ///
    /// ## Why it matters
    /// `cluster-admin` through a ClusterRoleBinding is full control of the
    /// cluster; through a RoleBinding it is full control of the namespace,
    /// its Secrets and its RoleBindings included. A wildcard role grants
    /// every verb (`escalate`, `bind`, `impersonate`) or every resource
    /// (Secrets, `pods/exec`) now and later. Bound to one of the public
    /// groups, it is granted to every client that can reach the API server.
    /// The CIS Kubernetes Benchmark control 5.1.1 asks that `cluster-admin`
    /// be used only where required.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci-admin
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: ci
    ///     namespace: tools
    /// ```
    ///
    /// ## Fix
    /// Bind a role that lists what the subject does, in the namespace it
    /// works in:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: ci-deployer
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: edit
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: ci
    ///     namespace: tools
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Using RBAC Authorization, "User-facing roles" (`cluster-admin`): https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
    /// - Kubernetes, RBAC good practices, "Least privilege": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
    /// - CIS Kubernetes Benchmark 5.1.1, ensure that the cluster-admin role is only used where required: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct PrivilegedRoleBound {
        id: "RBAC011",
        name: "privileged-role-bound",
        severity: Warning,
        scope: Scope::Object(&["RoleBinding", "ClusterRoleBinding"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for PrivilegedRoleBound {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, binding: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(view) = RbacView::new(*binding) else {
            return;
        };
        let Some(privilege) = privileged_rule(ctx, binding) else {
            return;
        };
        for subject in view.subjects() {
            let public = public_principal(subject).is_some();
            let node = subject.get("name").unwrap_or(subject);
            let everyone = if public {
                format!(", which {} belongs to,", public_description(subject))
            } else {
                String::new()
            };
            let mut f = out
                .at(
                    binding.at(node.span()),
                    format!(
                        "{} gives {} ({}) to {}{everyone} {}",
                        binding.display(),
                        privilege.role,
                        privilege.how,
                        subject_text(subject, binding),
                        binding_scope(binding),
                    ),
                )
                .object(binding.display())
                .fix("bind a role that lists the verbs and resources the subject needs (the built-in `admin`, `edit` or `view`, or your own), with a RoleBinding in the namespaces it works in");
            if let Some((role, rule)) = privilege.node {
                f = f.label(role.at(rule.span()), "the wildcard rule");
            }
            if public {
                f.severity = Severity::Error;
            } else if !privilege.full {
                f.severity = Severity::Info;
            }
            out.push(f);
        }
    }
}
