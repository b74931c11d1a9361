use super::{Power, check_power};
use crate::rbac::{Permission, ROLE_KINDS};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Role or ClusterRole can approve certificate signing requests
    ///
    /// ## What it checks
    /// A role that holds both halves of CSR approval: `update` or `patch` on
    /// `certificatesigningrequests/approval` and `approve` on `signers`, both of
    /// `certificates.k8s.io`, by name or through wildcards. They are usually
    /// written in two `rules` entries; the finding names both lines. When
    /// `resourceNames` limits both halves (to named signers), the finding is
    /// information.
    /// A rule with `*` in verbs, resources and API groups is left to
    /// `RBAC001`, which reports it once as an error.
    ///
    /// ## Why it matters
    /// Approving a CSR for the `kubernetes.io/kube-apiserver-client` signer
    /// issues a client certificate for any user and group written in it,
    /// `system:masters` included: a cluster-admin credential that RBAC cannot
    /// revoke until it expires (RBAC good practices, "Certificate signing
    /// requests"; CIS Kubernetes Benchmark 5.1.11).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: csr-approver
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["certificatesigningrequests/approval"]
    ///     verbs: ["update"]
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["signers"]
    ///     verbs: ["approve"]
    /// ```
    ///
    /// ## Fix
    /// Leave approval to the cluster's own approvers and keep read access (or
    /// limit both halves with `resourceNames` to the signer a controller serves):
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: csr-approver
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["certificatesigningrequests"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Certificate signing requests, "Authorization": https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization
    /// - Kubernetes, RBAC good practices, "Certificate signing requests": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#certificate-signing-requests
    /// - CIS Kubernetes Benchmark 5.1.11, minimize access to the approval sub-resource of certificatesigningrequests objects: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct CsrApprove {
        id: "RBAC009",
        name: "csr-approve",
        severity: Warning,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

const POWER: Power = Power {
    what: "approve certificate signing requests",
    needs: &[
        &[Permission {
            verbs: &["update", "patch"],
            group: "certificates.k8s.io",
            resources: &["certificatesigningrequests/approval"],
        }],
        &[Permission {
            verbs: &["approve"],
            group: "certificates.k8s.io",
            resources: &["signers"],
        }],
    ],
    named: true,
    fix: "remove the approval rights, or limit `approve` on `signers` with `resourceNames` to the signer the subject serves (never `kubernetes.io/kube-apiserver-client`)",
};

impl Rule for CsrApprove {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        check_power(ctx, role, &POWER, out);
    }
}
