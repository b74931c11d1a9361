use super::{Power, check_power};
use crate::rbac::{Permission, ROLE_KINDS};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Role or ClusterRole can create ServiceAccount tokens
    ///
    /// ## What it checks
    /// `create` on the `serviceaccounts/token` subresource of the core API
    /// group, by name or through wildcards. A grant limited by `resourceNames` to
    /// named ServiceAccounts is reported as information.
    /// A rule with `*` in verbs, resources and API groups is left to
    /// `RBAC001`, which reports it once as an error.
    ///
    /// ## Why it matters
    /// The TokenRequest API issues a token for any ServiceAccount the rule
    /// covers: the subject can act as each of them, with every right they are
    /// bound to, for as long as the token lives. In a namespace running a
    /// controller with broad rights that is an escalation to those rights (RBAC
    /// good practices, "Token request"; CIS Kubernetes Benchmark 5.1.13).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: token-issuer
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]
    ///     verbs: ["create"]
    /// ```
    ///
    /// ## Fix
    /// Drop token creation (pods get their own tokens through projected volumes),
    /// or limit it with `resourceNames` to the ServiceAccount the subject must act as:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: token-issuer
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, RBAC good practices, "Token request": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request
    /// - Kubernetes, TokenRequest API: https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
    /// - CIS Kubernetes Benchmark 5.1.13, minimize access to the service account token creation: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct ServiceAccountTokenCreate {
        id: "RBAC008",
        name: "service-account-token-create",
        severity: Warning,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

const POWER: Power = Power {
    what: "issue tokens for ServiceAccounts and act as them",
    needs: &[&[Permission {
        verbs: &["create"],
        group: "",
        resources: &["serviceaccounts/token"],
    }]],
    named: true,
    fix: "remove `serviceaccounts/token`, or limit it with `resourceNames` to the ServiceAccounts the subject must act as",
};

impl Rule for ServiceAccountTokenCreate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        check_power(ctx, role, &POWER, out);
    }
}
