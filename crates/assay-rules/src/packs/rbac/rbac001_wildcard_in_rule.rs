use crate::rbac::{ROLE_KINDS, scope_of};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::Severity;
use assay_model::{ObjectView, RbacView};

use super::bound_to;

declare_rule! {
    /// A Role or ClusterRole rule grants `*` verbs, resources or API groups
    ///
    /// ## What it checks
    /// Every entry of a Role's or ClusterRole's `rules` whose `verbs`,
    /// `resources`, `apiGroups` or `nonResourceURLs` hold `*` (every
    /// non-resource URL includes `/logs` and `/debug/pprof` of the API
    /// server). One finding per entry, at its first
    /// `*`, naming every field that is a wildcard. An entry with `*` in all
    /// three grants everything `cluster-admin` grants on resources and is an
    /// error, reported here only (not again by `RBAC002`–`RBAC010` for each
    /// right it includes); the others are warnings.
    ///
    /// ## Why it matters
    /// A wildcard grants what exists today and whatever is added later: new
    /// verbs, subresources (`pods/exec`, `serviceaccounts/token`), custom
    /// resources installed by any operator. `*` verbs include `escalate`,
    /// `bind` and `impersonate`; `*` resources include Secrets. The Kubernetes
    /// RBAC good practices ask for explicit lists, and the CIS Kubernetes
    /// Benchmark control 5.1.3 asks to minimise wildcard use.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: deployer
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["*"]
    /// ```
    ///
    /// ## Fix
    /// List the verbs, resources and groups the subject needs:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: deployer
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch", "update", "patch"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, RBAC good practices, "Least privilege": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
    /// - Kubernetes, Using RBAC Authorization, "Referring to resources": https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
    /// - CIS Kubernetes Benchmark 5.1.3, minimize wildcard use in Roles and ClusterRoles: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct WildcardInRule {
        id: "RBAC001",
        name: "wildcard-in-rule",
        severity: Warning,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for WildcardInRule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(view) = RbacView::new(*role) else {
            return;
        };
        let rules = crate::rbac::own_rules(view);
        for rule in &rules {
            let wildcards = rule.wildcards();
            let Some((_, first)) = wildcards.first() else {
                continue;
            };
            let mut fields: Vec<&str> = wildcards.iter().map(|(f, _)| *f).collect();
            fields.dedup();
            let everything = rule.grants_everything();
            let what = if everything {
                "every verb on every resource of every API group (what `cluster-admin` grants)"
                    .to_owned()
            } else {
                format!("`*` in {}", fields.join(" and "))
            };
            let mut f = out
                .at(
                    role.at(first.span()),
                    format!(
                        "{} grants {what} {}; {}",
                        role.display(),
                        scope_of(role),
                        bound_to(ctx, role)
                    ),
                )
                .object(role.display())
                .fix("replace each `*` with the verbs, resources, API groups or URLs the subjects need (`kubectl auth can-i --list --as=…` on a test cluster shows what they use)");
            if everything {
                f.severity = Severity::Error;
            }
            out.push(f);
        }
    }
}
