use super::{Power, check_power};
use crate::rbac::{Permission, ROLE_KINDS};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Role or ClusterRole can read Secrets
    ///
    /// ## What it checks
    /// `get`, `list` or `watch` on `secrets` of the core API group, granted by
    /// name or through `*` verbs, `*` resources or `*` API groups. When several
    /// `rules` entries together grant it (`get` here, `list` there, or rules an
    /// aggregated ClusterRole draws from other ClusterRoles), the finding names
    /// every line. A grant limited by `resourceNames` to the Secrets named there
    /// is reported as information.
    /// A rule with `*` in verbs, resources and API groups is left to
    /// `RBAC001`, which reports it once as an error.
    ///
    /// ## Why it matters
    /// Secrets hold credentials: ServiceAccount tokens of other identities,
    /// registry passwords, TLS keys, database passwords. `list` and `watch` return
    /// the contents of every Secret, not only their names. Reading the token
    /// Secret of a more privileged ServiceAccount is a well-known escalation path
    /// (RBAC good practices, "Listing secrets"; CIS Kubernetes Benchmark 5.1.2).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: reader
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps", "secrets"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## Fix
    /// Read only the Secrets the workload needs, by name (or mount them instead of reading them through the API):
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: reader
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, RBAC good practices, "Listing secrets": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets
    /// - Kubernetes, Using RBAC Authorization, "Referring to resources" (`resourceNames`): https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
    /// - CIS Kubernetes Benchmark 5.1.2, minimize access to secrets: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct SecretsRead {
        id: "RBAC002",
        name: "secrets-read",
        severity: Warning,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

const POWER: Power = Power {
    what: "read Secrets",
    needs: &[&[Permission {
        verbs: &["get", "list", "watch"],
        group: "",
        resources: &["secrets"],
    }]],
    named: true,
    fix: "remove `secrets` from the rule, or limit it to `get` on the Secrets the subject needs with `resourceNames`; mount Secrets as volumes or environment variables instead of reading them through the API",
};

impl Rule for SecretsRead {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        check_power(ctx, role, &POWER, out);
    }
}
