use super::{Power, check_power};
use crate::rbac::{Permission, ROLE_KINDS};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Role or ClusterRole can impersonate users, groups or ServiceAccounts
    ///
    /// ## What it checks
    /// The `impersonate` verb on `users`, `groups` or `serviceaccounts` (core
    /// API group) or on `uids` (`authentication.k8s.io`), by
    /// name or through wildcards. A grant limited by `resourceNames` to named
    /// identities is reported as information.
    /// A rule with `*` in verbs, resources and API groups is left to
    /// `RBAC001`, which reports it once as an error.
    ///
    /// ## Why it matters
    /// Impersonation makes every request run as someone else: whoever may
    /// impersonate the group `system:masters`, or any user bound to
    /// `cluster-admin`, is cluster administrator. The RBAC good practices list
    /// `impersonate` among the verbs that allow privilege escalation, and the CIS
    /// Kubernetes Benchmark control 5.1.8 asks to limit it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: support
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["users", "groups"]
    ///     verbs: ["impersonate"]
    /// ```
    ///
    /// ## Fix
    /// Bind the rights the support team needs to the team itself instead:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: support
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "events"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, RBAC good practices, "Impersonate verb": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#impersonate-verb
    /// - Kubernetes, Authenticating, "User impersonation": https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
    /// - CIS Kubernetes Benchmark 5.1.8, limit use of the Bind, Impersonate and Escalate permissions: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct Impersonate {
        id: "RBAC005",
        name: "impersonate",
        severity: Error,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

const POWER: Power = Power {
    what: "impersonate other identities",
    needs: &[&[
        Permission {
            verbs: &["impersonate"],
            group: "",
            resources: &["users", "groups", "serviceaccounts"],
        },
        Permission {
            verbs: &["impersonate"],
            group: "authentication.k8s.io",
            resources: &["uids"],
        },
    ]],
    named: true,
    fix: "remove the `impersonate` verb; bind the rights needed to the subject directly, or limit impersonation to named identities with `resourceNames`",
};

impl Rule for Impersonate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        check_power(ctx, role, &POWER, out);
    }
}
