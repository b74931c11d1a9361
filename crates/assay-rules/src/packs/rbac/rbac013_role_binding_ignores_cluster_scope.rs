use crate::rbac::{bound_role, effective_rules};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, RbacView};

declare_rule! {
    /// A RoleBinding uses a ClusterRole whose cluster-scoped rights it cannot grant
    ///
    /// ## What it checks
    /// A RoleBinding whose `roleRef` is a ClusterRole of the deliverable
    /// (aggregated rules included) that grants cluster-scoped resources
    /// (`nodes`, `namespaces`, `persistentvolumes`, `clusterroles`,
    /// `customresourcedefinitions`, `certificatesigningrequests`, webhook
    /// configurations, …) or `nonResourceURLs`. The finding points at the
    /// `roleRef` name, with a label on each such item.
    ///
    /// ## Why it matters
    /// A RoleBinding grants a ClusterRole's rules inside its own namespace
    /// only: rights on cluster-scoped resources and non-resource URLs are not
    /// granted at all. Either the subject needs them, and the workload fails
    /// at run time with `forbidden` errors, or it does not, and the role
    /// claims more power than it is meant to have, which hides what a later
    /// ClusterRoleBinding of the same role would hand out.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: node-reader
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes", "pods"]
    ///     verbs: ["get", "list"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: agent
    ///   namespace: monitoring
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: node-reader
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: agent
    ///     namespace: monitoring
    /// ```
    ///
    /// ## Fix
    /// Bind with a ClusterRoleBinding when the subject needs the
    /// cluster-scoped rights, or drop them from the role:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: node-reader
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes", "pods"]
    ///     verbs: ["get", "list"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: agent
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: node-reader
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: agent
    ///     namespace: monitoring
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Using RBAC Authorization, "RoleBinding and ClusterRoleBinding": https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
    /// - Kubernetes, API resources and their scope (`kubectl api-resources --namespaced=false`): https://kubernetes.io/docs/reference/kubectl/generated/kubectl_api-resources/
    pub(crate) struct RoleBindingIgnoresClusterScope {
        id: "RBAC013",
        name: "role-binding-ignores-cluster-scope",
        severity: Info,
        scope: Scope::Object(&["RoleBinding"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for RoleBindingIgnoresClusterScope {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, binding: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(view) = RbacView::new(*binding) else {
            return;
        };
        if view
            .role_ref()
            .is_none_or(|(kind, _)| kind != "ClusterRole")
        {
            return;
        }
        let Some(role) = bound_role(ctx.model, binding) else {
            return;
        };
        let rules = effective_rules(ctx.model, role);
        let items: Vec<_> = rules
            .iter()
            .flat_map(|r| r.cluster_scoped_items().into_iter().map(|n| (r.role, n)))
            .collect();
        if items.is_empty() {
            return;
        }
        let Some(name_node) = binding.root.path(&["roleRef", "name"]) else {
            return;
        };
        let names = crate::rbac::list_of(items.iter().filter_map(|(_, n)| n.as_str()));
        let mut f = out
            .at(
                binding.at(name_node.span()),
                format!(
                    "{} binds {} in namespace {} only, so its rights on {names} (cluster-scoped or non-resource URLs) are not granted",
                    binding.display(),
                    role.display(),
                    crate::rbac::name_text(binding.object.namespace.as_deref().unwrap_or("default")),
                ),
            )
            .object(binding.display())
            .fix("bind the ClusterRole with a ClusterRoleBinding if the subjects need these rights; otherwise remove them from the role");
        for (origin, node) in items {
            f = f.label(origin.at(node.span()), "not granted through a RoleBinding");
        }
        out.push(f);
    }
}
