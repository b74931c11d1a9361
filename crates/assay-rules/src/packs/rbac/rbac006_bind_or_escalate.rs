use super::{Power, check_power};
use crate::rbac::{Permission, ROLE_KINDS};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Role or ClusterRole can bind or escalate roles
    ///
    /// ## What it checks
    /// The `bind` or `escalate` verb on `roles` or `clusterroles` of
    /// `rbac.authorization.k8s.io`, by name or through wildcards. A grant limited
    /// by `resourceNames` to named roles (the documented way to let someone bind
    /// one specific role) is reported as information.
    /// A rule with `*` in verbs, resources and API groups is left to
    /// `RBAC001`, which reports it once as an error.
    ///
    /// ## Why it matters
    /// The API server refuses to let a subject create a binding, or write a
    /// role, granting more than the subject holds; `bind` and `escalate` switch
    /// that check off. With `escalate` on `clusterroles` a subject can write
    /// `*`/`*` into a role it is bound to; with `bind` it can bind
    /// `cluster-admin` to itself (RBAC good practices, "Escalate verb" and "Bind
    /// verb"; CIS Kubernetes Benchmark 5.1.8).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: role-manager
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles", "clusterrolebindings"]
    ///     verbs: ["create", "update", "escalate"]
    /// ```
    ///
    /// ## Fix
    /// Drop `escalate` and `bind`: the subject can then grant only what it holds itself:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: role-manager
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles", "clusterrolebindings"]
    ///     verbs: ["create", "update"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, RBAC good practices, "Escalate verb" and "Bind verb": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb
    /// - Kubernetes, Using RBAC Authorization, "Privilege escalation prevention and bootstrapping": https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping
    /// - CIS Kubernetes Benchmark 5.1.8, limit use of the Bind, Impersonate and Escalate permissions: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct BindOrEscalate {
        id: "RBAC006",
        name: "bind-or-escalate",
        severity: Error,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

const POWER: Power = Power {
    what: "grant rights it does not hold",
    needs: &[&[Permission {
        verbs: &["bind", "escalate"],
        group: "rbac.authorization.k8s.io",
        resources: &["roles", "clusterroles"],
    }]],
    named: true,
    fix: "remove `bind` and `escalate`; when a subject must bind one specific role, grant `bind` with `resourceNames: [that-role]`",
};

impl Rule for BindOrEscalate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        check_power(ctx, role, &POWER, out);
    }
}
