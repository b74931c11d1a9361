use super::{Power, check_power};
use crate::rbac::{Permission, ROLE_KINDS};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Role or ClusterRole can change admission webhooks or policies
    ///
    /// ## What it checks
    /// `create`, `update`, `patch`, `delete` or `deletecollection` on
    /// `validatingwebhookconfigurations`, `mutatingwebhookconfigurations`,
    /// `validatingadmissionpolicies`, `validatingadmissionpolicybindings`,
    /// `mutatingadmissionpolicies` or `mutatingadmissionpolicybindings` of
    /// `admissionregistration.k8s.io`, by name or through wildcards. A grant
    /// limited by `resourceNames` (a webhook's own configuration, which
    /// controllers such as cert-manager's cainjector patch) is reported as
    /// information.
    /// A rule with `*` in verbs, resources and API groups is left to
    /// `RBAC001`, which reports it once as an error.
    ///
    /// ## Why it matters
    /// Admission webhooks and policies see and may change every object
    /// written to the cluster. Whoever can write their configuration can switch
    /// policy enforcement off, or register a mutating webhook that injects a
    /// container into every pod or reads every Secret that is created (RBAC good
    /// practices, "Control admission webhooks"; CIS Kubernetes Benchmark
    /// 5.1.12).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: injector
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["mutatingwebhookconfigurations"]
    ///     verbs: ["get", "list", "patch"]
    /// ```
    ///
    /// ## Fix
    /// Limit writes to the webhook configuration the controller owns:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: injector
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["mutatingwebhookconfigurations"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, RBAC good practices, "Control admission webhooks": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks
    /// - Kubernetes, Dynamic admission control: https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/
    /// - CIS Kubernetes Benchmark 5.1.12, minimize access to webhook configuration objects: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct AdmissionWebhookWrite {
        id: "RBAC010",
        name: "admission-webhook-write",
        severity: Warning,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

const POWER: Power = Power {
    what: "change admission webhooks or policies",
    needs: &[&[Permission {
        verbs: &["create", "update", "patch", "delete", "deletecollection"],
        group: "admissionregistration.k8s.io",
        resources: &[
            "validatingwebhookconfigurations",
            "mutatingwebhookconfigurations",
            "validatingadmissionpolicies",
            "validatingadmissionpolicybindings",
            "mutatingadmissionpolicies",
            "mutatingadmissionpolicybindings",
        ],
    }]],
    named: true,
    fix: "keep write access to admission configuration for cluster administrators; a controller that patches its own webhook should name it in `resourceNames`",
};

impl Rule for AdmissionWebhookWrite {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        check_power(ctx, role, &POWER, out);
    }
}
